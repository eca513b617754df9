//! Repository tests. They run on SQLite, or on PostgreSQL when `HANSE_TEST_POSTGRES_URL` is set
//! (the CI runs the suite once each way).

use std::collections::BTreeMap;

use hanse_domain::currency::Currency;
use hanse_domain::product::{ProductDraft, ProductInput, ProductStatus, Sku, StockQuantity};
use hanse_domain::tenant::{Domain, TenantSlug, TenantStatus};
use hanse_store::testing::fresh_store;
use hanse_store::{CategoryChange, ImportRow, NewTenant, ProductFilter, Store, StoreError, Tenant};

async fn tenant(store: &Store, slug: &str) -> Tenant {
    store
        .tenants()
        .create(&NewTenant {
            slug: TenantSlug::parse(slug).unwrap(),
            name: slug.to_uppercase(),
            currency: Currency::parse("EUR").unwrap(),
            domains: vec![Domain::parse(&format!("{slug}.example.com")).unwrap()],
        })
        .await
        .unwrap()
}

fn draft(sku: &str, name: &str, price: &str) -> ProductDraft {
    ProductDraft::parse(ProductInput { sku, name, price, ..Default::default() }).unwrap()
}

fn sku(s: &str) -> Sku {
    Sku::parse(s).unwrap()
}

#[tokio::test]
async fn tenants_are_unique_and_found_by_slug_and_domain() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    assert_eq!(acme.status, TenantStatus::Active);
    assert_eq!(store.tenants().domains(&acme.id).await.unwrap(), ["acme.example.com"]);
    let again = store
        .tenants()
        .create(&NewTenant {
            slug: acme.slug.clone(),
            name: "x".into(),
            currency: Currency::parse("USD").unwrap(),
            domains: vec![],
        })
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let by_domain = store.tenants().get_by_domain(&Domain::parse("ACME.example.com").unwrap()).await.unwrap().unwrap();
    assert_eq!(by_domain.id, acme.id);
    let suspended = store.tenants().set_status(&acme.slug, TenantStatus::Suspended).await.unwrap();
    assert_eq!(suspended.status, TenantStatus::Suspended);
    tenant(&store, "beta").await;
    let slugs: Vec<_> = store.tenants().list().await.unwrap().into_iter().map(|t| t.slug.to_string()).collect();
    assert_eq!(slugs, ["acme", "beta"]);
}

#[tokio::test]
async fn admin_tokens_authenticate_until_revoked() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let (token, secret) = store.admin_tokens(&acme.id).issue("ci").await.unwrap();
    assert!(secret.expose().starts_with("hat_"));
    let found = store.tenant_for_admin_token(secret.expose()).await.unwrap().unwrap();
    assert_eq!(found.id, acme.id);
    assert!(store.tenant_for_admin_token("hat_wrong").await.unwrap().is_none());

    let beta = tenant(&store, "beta").await;
    // Another tenant cannot revoke it.
    assert!(matches!(store.admin_tokens(&beta.id).revoke(&token.id).await, Err(StoreError::NotFound(_))));
    store.admin_tokens(&acme.id).revoke(&token.id).await.unwrap();
    assert!(store.tenant_for_admin_token(secret.expose()).await.unwrap().is_none());
    let listed = store.admin_tokens(&acme.id).list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].revoked_at.is_some());
}

#[tokio::test]
async fn operator_token_is_generated_once() {
    let store = fresh_store().await;
    let first = store.settings().ensure_operator_token().await.unwrap().unwrap();
    assert!(store.settings().ensure_operator_token().await.unwrap().is_none());
    let hash = store.settings().operator_token_hash().await.unwrap().unwrap();
    assert_eq!(hash, hanse_store::hash_secret(first.expose()));
}

#[tokio::test]
async fn products_round_trip_exactly_and_stay_in_their_tenant() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let beta = tenant(&store, "beta").await;
    let mut bolt = draft("BOLT-M8", "M8 bolt", "0.1250");
    bolt.weight = Some(hanse_domain::money::Weight::parse("0.0125").unwrap());
    bolt.attributes =
        hanse_domain::product::Attributes::parse(BTreeMap::from([("material".into(), "steel".into())])).unwrap();
    let created = store.products(&acme.id).create(&bolt, &[], Some(StockQuantity::new(40).unwrap())).await.unwrap();
    assert_eq!(created.draft, bolt);
    assert_eq!(created.quantity, 40);
    assert_eq!(created.draft.price.to_string(), "0.1250");

    let dup = store.products(&acme.id).create(&bolt, &[], None).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    // The same SKU is free in another tenant, and invisible from it.
    assert!(store.products(&beta.id).get(&sku("BOLT-M8")).await.unwrap().is_none());
    store.products(&beta.id).create(&draft("BOLT-M8", "Other", "9"), &[], None).await.unwrap();
    let mine = store.products(&acme.id).get(&sku("BOLT-M8")).await.unwrap().unwrap();
    assert_eq!(mine.draft.name, "M8 bolt");

    let mut changed = bolt.clone();
    changed.price = hanse_domain::money::Price::parse("0.13").unwrap();
    let (saved, created_now) = store.products(&acme.id).save(&changed, None, None, false).await.unwrap();
    assert!(!created_now);
    assert_eq!(saved.draft.price.to_string(), "0.1300");
    assert_eq!(saved.quantity, 40, "stock is kept when not given");
    let missing = store.products(&acme.id).save(&draft("NEW", "n", "1"), None, None, false).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));

    store.products(&acme.id).delete(&sku("BOLT-M8")).await.unwrap();
    assert!(store.products(&acme.id).get(&sku("BOLT-M8")).await.unwrap().is_none());
    assert!(store.products(&beta.id).get(&sku("BOLT-M8")).await.unwrap().is_some());
    assert!(matches!(store.products(&acme.id).delete(&sku("BOLT-M8")).await, Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn listing_filters_and_pages() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let cats = store.categories(&acme.id);
    let fasteners = cats.create("Fasteners", None, 0).await.unwrap();
    let bolts = cats.create("Bolts", Some(&fasteners.id), 0).await.unwrap();
    let tools = cats.create("Tools", None, 1).await.unwrap();
    let products = store.products(&acme.id);
    for (s, name, cat) in [
        ("BOLT-M8", "Hex bolt M8", &bolts.id),
        ("BOLT-M10", "Hex bolt M10", &bolts.id),
        ("bolt_x", "Odd bolt", &fasteners.id),
        ("DRILL-1", "Cordless drill", &tools.id),
    ] {
        products.create(&draft(s, name, "1"), std::slice::from_ref(cat), None).await.unwrap();
    }
    let mut off = draft("BOLT-OLD", "Retired bolt", "1");
    off.status = ProductStatus::Inactive;
    products.create(&off, &[], None).await.unwrap();

    let products = &products;
    let list = |f: ProductFilter| async move {
        products.list(&ProductFilter { limit: 100, ..f }).await.unwrap().items.into_iter().map(|p| p.draft.sku.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(list(ProductFilter { sku_prefix: Some("BOLT-".into()), ..Default::default() }).await, ["BOLT-M10", "BOLT-M8", "BOLT-OLD"]);
    // '_' is a literal in a prefix, not a LIKE wildcard; case matters.
    assert_eq!(list(ProductFilter { sku_prefix: Some("bolt_".into()), ..Default::default() }).await, ["bolt_x"]);
    assert_eq!(list(ProductFilter { category: Some(fasteners.id.clone()), ..Default::default() }).await, ["BOLT-M10", "BOLT-M8", "bolt_x"]);
    assert_eq!(list(ProductFilter { category: Some(bolts.id.clone()), ..Default::default() }).await, ["BOLT-M10", "BOLT-M8"]);
    assert_eq!(list(ProductFilter { status: Some(ProductStatus::Inactive), ..Default::default() }).await, ["BOLT-OLD"]);
    assert_eq!(list(ProductFilter { text: Some("HEX".into()), ..Default::default() }).await, ["BOLT-M10", "BOLT-M8"]);
    assert_eq!(list(ProductFilter { text: Some("%".into()), ..Default::default() }).await, Vec::<String>::new());
    let far_future = hanse_domain::time::Timestamp::from_millis(i64::MAX / 2);
    assert!(list(ProductFilter { updated_since: Some(far_future), ..Default::default() }).await.is_empty());

    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = products.list(&ProductFilter { limit: 2, after_sku: after, ..Default::default() }).await.unwrap();
        assert!(page.items.len() <= 2);
        seen.extend(page.items.iter().map(|p| p.draft.sku.to_string()));
        match page.next_after {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    let mut sorted = seen.clone();
    sorted.sort();
    assert_eq!(seen, sorted);
}

#[tokio::test]
async fn category_tree_moves_and_refuses_cycles() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let cats = store.categories(&acme.id);
    let a = cats.create("A", None, 0).await.unwrap();
    let b = cats.create("B", Some(&a.id), 0).await.unwrap();
    let c = cats.create("C", Some(&b.id), 0).await.unwrap();
    assert_eq!(c.path, format!("/{}/{}/{}/", a.id, b.id, c.id));
    assert!(matches!(cats.create("B", Some(&a.id), 0).await, Err(StoreError::Conflict(_))));

    let cycle = cats.update(&a.id, &CategoryChange { parent_id: Some(Some(c.id.clone())), ..Default::default() }).await;
    assert!(matches!(cycle, Err(StoreError::Refused(..))), "{cycle:?}");

    let moved = cats.update(&b.id, &CategoryChange { parent_id: Some(None), name: Some("B2".into()), ..Default::default() }).await.unwrap();
    assert_eq!(moved.path, format!("/{}/", b.id));
    assert_eq!(moved.name, "B2");
    let c_after = cats.get(&c.id).await.unwrap().unwrap();
    assert_eq!(c_after.path, format!("/{}/{}/", b.id, c.id), "the subtree moves along");

    assert!(matches!(cats.delete(&b.id).await, Err(StoreError::Refused(..))), "not empty");
    store.products(&acme.id).create(&draft("X", "x", "1"), std::slice::from_ref(&c.id), None).await.unwrap();
    cats.delete(&c.id).await.unwrap();
    let x = store.products(&acme.id).get(&sku("X")).await.unwrap().unwrap();
    assert!(x.categories.is_empty(), "deleting a category unassigns its products");

    let id = cats.ensure_path(&["Tools".into(), "Drills".into()]).await.unwrap();
    assert_eq!(cats.ensure_path(&["Tools".into(), "Drills".into()]).await.unwrap(), id, "idempotent");
    let other = tenant(&store, "beta").await;
    assert!(store.categories(&other.id).get(&id).await.unwrap().is_none());
    let unknown = store.products(&other.id).create(&draft("Y", "y", "1"), &[id], None).await;
    assert!(matches!(unknown, Err(StoreError::Refused(..))), "another tenant's category is unknown: {unknown:?}");
}

#[tokio::test]
async fn import_is_idempotent() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let cat = store.categories(&acme.id).ensure_path(&["Fasteners".into()]).await.unwrap();
    let rows: Vec<ImportRow> = (0..50)
        .map(|i| ImportRow {
            draft: draft(&format!("SKU-{i:03}"), &format!("Product {i}"), "2.5"),
            keep: Default::default(),
            categories: Some(vec![cat.clone()]),
            quantity: Some(StockQuantity::new(i).unwrap()),
        })
        .collect();
    let first = store.products(&acme.id).import(&rows).await.unwrap();
    assert_eq!((first.created, first.updated, first.unchanged), (50, 0, 0));
    let before = store.products(&acme.id).get(&sku("SKU-007")).await.unwrap().unwrap();
    let again = store.products(&acme.id).import(&rows).await.unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 50));
    let after = store.products(&acme.id).get(&sku("SKU-007")).await.unwrap().unwrap();
    assert_eq!(before, after, "nothing, not even updated_at, changes on a re-run");

    let mut changed = rows[..2].to_vec();
    changed[0].quantity = Some(StockQuantity::new(999).unwrap());
    changed[1].draft.name = "Renamed".into();
    let third = store.products(&acme.id).import(&changed).await.unwrap();
    assert_eq!((third.created, third.updated, third.unchanged), (0, 2, 0));
    assert_eq!(store.stock(&acme.id).get(&sku("SKU-000")).await.unwrap().level.map(|l| l.on_hand), Some(999));

    let dup = vec![rows[3].clone(), ImportRow { quantity: Some(StockQuantity::new(1).unwrap()), ..rows[3].clone() }];
    let fourth = store.products(&acme.id).import(&dup).await.unwrap();
    assert_eq!((fourth.created, fourth.updated, fourth.unchanged), (0, 1, 1));
    assert_eq!(store.stock(&acme.id).get(&sku("SKU-003")).await.unwrap().level.map(|l| l.on_hand), Some(1));

    // A file without a description column keeps the stored description.
    let mut described = rows[4].draft.clone();
    described.description = "Zinc plated".into();
    store.products(&acme.id).save(&described, None, None, false).await.unwrap();
    let keep = hanse_store::KeepFields { description: true, ..Default::default() };
    let fifth = store.products(&acme.id).import(&[ImportRow { keep, ..rows[4].clone() }]).await.unwrap();
    assert_eq!(fifth.unchanged, 1);
    let kept = store.products(&acme.id).get(&sku("SKU-004")).await.unwrap().unwrap();
    assert_eq!(kept.draft.description, "Zinc plated");
}

#[tokio::test]
async fn customer_groups_have_unique_names_per_tenant() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let beta = tenant(&store, "beta").await;
    let groups = store.customer_groups(&acme.id);
    let retail = groups.create("Retail").await.unwrap();
    let wholesale = groups.create("Wholesale").await.unwrap();
    assert!(matches!(groups.create("Retail").await, Err(StoreError::Conflict(_))));
    // The same name in another tenant is another group.
    store.customer_groups(&beta.id).create("Retail").await.unwrap();
    let names: Vec<String> = groups.list().await.unwrap().into_iter().map(|g| g.name).collect();
    assert_eq!(names, ["Retail", "Wholesale"]);

    assert!(matches!(groups.rename(&wholesale.id, "Retail").await, Err(StoreError::Conflict(_))));
    let renamed = groups.rename(&wholesale.id, "Trade").await.unwrap();
    assert_eq!((renamed.id.as_str(), renamed.name.as_str()), (wholesale.id.as_str(), "Trade"));
    assert_eq!(groups.get(&wholesale.id).await.unwrap(), Some(renamed));

    // Beta cannot see, rename or delete acme's groups.
    let other = store.customer_groups(&beta.id);
    assert_eq!(other.get(&retail.id).await.unwrap(), None);
    assert!(matches!(other.rename(&retail.id, "Mine").await, Err(StoreError::NotFound(_))));
    assert!(matches!(other.delete(&retail.id).await, Err(StoreError::NotFound(_))));

    groups.delete(&retail.id).await.unwrap();
    assert!(matches!(groups.delete(&retail.id).await, Err(StoreError::NotFound(_))));
    assert_eq!(groups.list().await.unwrap().len(), 1);
}

fn new_company(name: &str, admin_email: &str) -> hanse_store::NewCompany {
    use hanse_domain::company::{CompanyStatus, Email};
    hanse_store::NewCompany {
        profile: hanse_store::CompanyProfile { name: name.into(), email: format!("office@{}.example", name.to_lowercase()), ..Default::default() },
        settings: hanse_store::CompanySettings::default(),
        status: CompanyStatus::Pending,
        admin: hanse_store::NewBuyer {
            email: Email::parse(admin_email).unwrap(),
            password_hash: "$argon2id$test".into(),
            first_name: "Ann".into(),
            last_name: "Lee".into(),
            job_title: String::new(),
            phone: String::new(),
        },
    }
}

#[tokio::test]
async fn companies_are_created_whole_and_their_status_changes_are_audited_and_announced() {
    use hanse_domain::company::CompanyStatus;
    use hanse_store::{CompanyChange, CompanyFilter};
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let beta = tenant(&store, "beta").await;
    let companies = store.companies(&acme.id);

    let bolt = companies.create(&new_company("Bolt", "ann@bolt.example"), "merchant").await.unwrap();
    assert_eq!(bolt.status, CompanyStatus::Pending);
    assert!(bolt.settings.quotes_enabled && !bolt.settings.purchase_orders_enabled);
    assert_eq!(companies.get(&bolt.id).await.unwrap().as_ref(), Some(&bolt));

    // The same admin e-mail again is refused, and nothing of the second company is written.
    let error = companies.create(&new_company("Nut", "ANN@bolt.example".to_lowercase().as_str()), "merchant").await.unwrap_err();
    assert!(matches!(error, StoreError::Refused("email_taken", _)), "{error:?}");
    let all = CompanyFilter { limit: 100, ..Default::default() };
    assert_eq!(companies.list(&all).await.unwrap().len(), 1);
    // Another tenant may use the address.
    store.companies(&beta.id).create(&new_company("Bolt", "ann@bolt.example"), "merchant").await.unwrap();

    // Rejected with a reason, then approved: each change audited and queued to the admin.
    let rejected = CompanyChange { status: Some((CompanyStatus::Rejected, Some("no VAT id".into()))), ..Default::default() };
    let bolt = companies.update(&bolt.id, &rejected, "merchant").await.unwrap();
    assert_eq!((bolt.status, bolt.reject_reason.as_deref()), (CompanyStatus::Rejected, Some("no VAT id")));
    assert!(bolt.rejected_at.is_some());
    let active = CompanyChange { status: Some((CompanyStatus::Active, None)), ..Default::default() };
    let bolt = companies.update(&bolt.id, &active, "merchant").await.unwrap();
    assert_eq!((bolt.status, bolt.reject_reason.clone(), bolt.rejected_at), (CompanyStatus::Active, None, None));
    // The same status again is no change.
    companies.update(&bolt.id, &active, "merchant").await.unwrap();

    let outbox = store.outbox(&acme.id, 10).await.unwrap();
    assert_eq!(outbox.len(), 2, "{outbox:?}");
    assert!(outbox.iter().all(|m| m.topic == "company.status_changed" && m.recipient == "ann@bolt.example"));
    assert_eq!(outbox[0].payload["to"], "active");
    assert_eq!(outbox[1].payload["reason"], "no VAT id");
    let audit = store.company_audit(&acme.id, &bolt.id, 10).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["company.status_changed", "company.status_changed", "company.created"]);
    assert!(store.outbox(&beta.id, 10).await.unwrap().is_empty());

    // Filters; another tenant cannot see or change it.
    let pending = CompanyFilter { status: Some(CompanyStatus::Pending), limit: 100, ..Default::default() };
    assert!(companies.list(&pending).await.unwrap().is_empty());
    assert_eq!(store.companies(&beta.id).get(&bolt.id).await.unwrap(), None);
    assert!(matches!(store.companies(&beta.id).update(&bolt.id, &active, "merchant").await, Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn buyer_sessions_end_when_they_expire_or_are_revoked() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let beta = tenant(&store, "beta").await;
    let company = store.companies(&acme.id).create(&new_company("Bolt", "ann@bolt.example"), "merchant").await.unwrap();
    let buyers = store.buyers(&acme.id);
    let ann = buyers.by_email(&hanse_domain::company::Email::parse("ann@bolt.example").unwrap()).await.unwrap().unwrap();
    let memberships = buyers.memberships(&ann.id).await.unwrap();
    assert_eq!(memberships.len(), 1);
    assert!(memberships[0].is_admin && memberships[0].role.is_none() && memberships[0].company_id == company.id);

    let (live, _) = buyers.open_session(&ann.id, &company.id, 60_000).await.unwrap();
    let (expired, _) = buyers.open_session(&ann.id, &company.id, -1).await.unwrap();
    assert_eq!(buyers.session(live.expose()).await.unwrap().map(|s| s.buyer_id), Some(ann.id.clone()));
    assert_eq!(buyers.session(expired.expose()).await.unwrap(), None, "expired");
    assert_eq!(store.buyers(&beta.id).session(live.expose()).await.unwrap(), None, "another tenant's token");
    assert!(matches!(store.buyers(&beta.id).revoke_session(live.expose()).await, Err(StoreError::NotFound(_))));
    buyers.revoke_session(live.expose()).await.unwrap();
    assert_eq!(buyers.session(live.expose()).await.unwrap(), None, "revoked");
    assert!(matches!(buyers.revoke_session(live.expose()).await, Err(StoreError::NotFound(_))));
}

#[tokio::test]
async fn subordinates_are_all_descendants_and_managers_all_ancestor_users() {
    let store = fresh_store().await;
    let acme = tenant(&store, "acme").await;
    let company = store.companies(&acme.id).create(&new_company("Bolt", "ann@bolt.example"), "merchant").await.unwrap();
    let role = store.company_roles(&acme.id, &company.id).list().await.unwrap().remove(0);
    let users = store.company_users(&acme.id, &company.id);
    let mut user = new_company("x", "bob@bolt.example").admin;
    let bob = users.create(&user, &role.id, "test").await.unwrap();
    user.email = hanse_domain::company::Email::parse("carl@bolt.example").unwrap();
    let carl = users.create(&user, &role.id, "test").await.unwrap();
    let chart = store.company_structure(&acme.id, &company.id);
    let team = chart.create_team("Purchasing", "", None, "test").await.unwrap();
    chart.move_node(&bob.node_id, &team, "test").await.unwrap();
    chart.move_node(&carl.node_id, &bob.node_id, "test").await.unwrap();

    assert_eq!(chart.subordinates(&company.admin_buyer_id).await.unwrap(), [bob.id.clone(), carl.id.clone()]);
    assert_eq!(chart.subordinates(&bob.id).await.unwrap(), [carl.id.clone()]);
    assert!(chart.subordinates(&carl.id).await.unwrap().is_empty());
    assert_eq!(chart.managers(&carl.id).await.unwrap(), [bob.id.clone(), company.admin_buyer_id.clone()], "the team in between is no manager");
    assert!(chart.managers(&company.admin_buyer_id).await.unwrap().is_empty());
    assert!(matches!(chart.move_node(&team, &carl.node_id, "test").await, Err(StoreError::Refused("invalid_move", _))));
}
