//! Orders in the store: a database failure half way through placing one leaves nothing behind,
//! and the checks find any sum that drifts from its ledger. On SQLite, or on PostgreSQL when
//! `HANSE_TEST_POSTGRES_URL` is set.

use hanse_domain::company::{CompanyStatus, Email};
use hanse_domain::currency::Currency;
use hanse_domain::inventory::Backorders;
use hanse_domain::product::{ProductDraft, ProductInput, Sku, StockQuantity};
use hanse_domain::tenant::TenantSlug;
use hanse_store::testing::{execute, fresh_store};
use hanse_store::{
    Begun, CompanyProfile, CompanySettings, CreditChange, NewBuyer, NewCompany, NewLine, NewOrder, NewTenant, OrderAddress, PaymentOutcome, Refusal,
    StockUpdate, Store, Tenant,
};
use serde_json::json;

struct Setup {
    store: Store,
    tenant: Tenant,
    company: String,
    buyer: String,
}

async fn setup() -> Setup {
    let store = fresh_store().await;
    let tenant = store
        .tenants()
        .create(&NewTenant { slug: TenantSlug::parse("acme").unwrap(), name: "Acme".into(), currency: Currency::parse("USD").unwrap(), domains: vec![] })
        .await
        .unwrap();
    let products = store.products(&tenant.id);
    for sku in ["A", "B"] {
        products.create(&ProductDraft::parse(ProductInput { sku, name: sku, price: "10.00", ..Default::default() }).unwrap(), &[], None).await.unwrap();
        let update = StockUpdate { quantity: Some(StockQuantity::new(5).unwrap()), backorders: Some(Backorders::No), ..StockUpdate::default() };
        store.stock(&tenant.id).update(&Sku::parse(sku).unwrap(), update).await.unwrap();
    }
    let company = store
        .companies(&tenant.id)
        .create(
            &NewCompany {
                profile: CompanyProfile { name: "Bolt".into(), email: "office@bolt.example".into(), ..Default::default() },
                settings: CompanySettings::default(),
                status: CompanyStatus::Active,
                admin: NewBuyer {
                    email: Email::parse("ann@bolt.example").unwrap(),
                    password_hash: "$argon2id$test".into(),
                    first_name: "Ann".into(),
                    last_name: "Lee".into(),
                    job_title: String::new(),
                    phone: String::new(),
                },
            },
            "merchant",
        )
        .await
        .unwrap();
    let buyer = store.company_users(&tenant.id, &company.id).list().await.unwrap().remove(0).id;
    store.credit(&tenant.id, &company.id).set(&CreditChange { limit: Some(10_000_000), ..CreditChange::default() }, "USD", "merchant").await.unwrap();
    Setup { store, tenant, company: company.id, buyer }
}

fn line(sku: &str, quantity: i64, line_total: i64) -> NewLine {
    NewLine { sku: sku.into(), name: sku.into(), quantity, list_price: 100_000, unit_price: 100_000, line_total, explanation: json!([]) }
}

impl Setup {
    async fn fill_cart(&self, lines: &[(&str, i64)]) {
        let lines: Vec<(String, i64)> = lines.iter().map(|(s, q)| ((*s).to_owned(), *q)).collect();
        self.store.cart(&self.tenant.id, &self.buyer, &self.company).add(&lines, |_, _| Ok::<(), ()>(())).await.unwrap();
    }

    fn order(&self, lines: Vec<NewLine>) -> NewOrder {
        let total = lines.iter().map(|l| l.line_total).sum();
        NewOrder {
            company_id: self.company.clone(),
            buyer_id: self.buyer.clone(),
            currency: Currency::parse("USD").unwrap(),
            subtotal: total,
            shipping: 0,
            tax: 0,
            grand_total: total,
            shipping_method: ("flat".into(), "Flat".into()),
            shipping_address: OrderAddress { country: "US".into(), ..OrderAddress::default() },
            payment_method: ("payment-on-account".into(), "On account".into()),
            on_account: true,
            po_number: String::new(),
            plugins: json!({}),
            idempotency_key: None,
            request_hash: None,
            lines,
        }
    }

    async fn nothing_left(&self) {
        let stock = self.store.stock(&self.tenant.id).get(&Sku::parse("A").unwrap()).await.unwrap();
        assert_eq!(stock.level.map(|l| (l.reserved, l.salable())), Some((0, 5)));
        assert_eq!(self.store.stock(&self.tenant.id).reservations(&Sku::parse("A").unwrap(), 10).await.unwrap(), vec![]);
        let credit = self.store.credit(&self.tenant.id, &self.company).get().await.unwrap().unwrap();
        assert_eq!(credit.line.balance, 0);
        assert_eq!(self.store.credit(&self.tenant.id, &self.company).history(10, None).await.unwrap().len(), 1, "only the allocation");
        let orders = self.store.orders(&self.tenant.id).list(&hanse_store::OrderFilter { limit: 10, ..Default::default() }).await.unwrap();
        assert!(orders.is_empty(), "{orders:?}");
        assert_eq!(self.store.cart(&self.tenant.id, &self.buyer, &self.company).items().await.unwrap().len(), 2, "the cart is kept");
        assert!(self.store.inventory_drift().await.unwrap().is_empty());
        assert!(self.store.credit_drift().await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn a_database_error_after_stock_and_credit_were_taken_leaves_nothing() {
    let s = setup().await;
    s.fill_cart(&[("A", 2), ("B", 1)]).await;
    // The second line breaks a constraint when the lines are written, after the stock was
    // reserved and the credit charged in the same transaction.
    let order = s.order(vec![line("A", 2, 200_000), line("B", 1, -1)]);
    let Begun::Placing(mut placing) = s.store.orders(&s.tenant.id).begin(order).await.unwrap() else { panic!("new order") };
    assert_eq!(placing.hold().await.unwrap(), Ok(Some(10_000_000)));
    assert!(placing.finish(PaymentOutcome::OnAccount("x".into())).await.is_err());
    s.nothing_left().await;
}

#[tokio::test]
async fn a_refusal_rolls_back_what_was_held() {
    let s = setup().await;
    s.fill_cart(&[("A", 2), ("B", 1)]).await;
    let Begun::Placing(mut placing) = s.store.orders(&s.tenant.id).begin(s.order(vec![line("A", 2, 200_000), line("B", 1, 9_900_000)])).await.unwrap() else {
        panic!("new order")
    };
    assert!(matches!(placing.hold().await.unwrap(), Err(Refusal::InsufficientCredit(_))));
    drop(placing);
    s.nothing_left().await;
}

#[tokio::test]
async fn the_checks_report_sums_that_drift_from_their_ledgers() {
    let s = setup().await;
    s.fill_cart(&[("A", 2), ("B", 1)]).await;
    let Begun::Placing(mut placing) = s.store.orders(&s.tenant.id).begin(s.order(vec![line("A", 2, 200_000), line("B", 1, 100_000)])).await.unwrap() else {
        panic!("new order")
    };
    placing.hold().await.unwrap().unwrap();
    let order = placing.finish(PaymentOutcome::OnAccount("x".into())).await.unwrap();
    assert!(s.store.inventory_drift().await.unwrap().is_empty());
    assert!(s.store.credit_drift().await.unwrap().is_empty());
    execute(&s.store, "UPDATE stock_items SET reserved = reserved + 1 WHERE sku = 'A'").await;
    execute(&s.store, "UPDATE company_credits SET balance = balance + 5").await;
    let drift = s.store.inventory_drift().await.unwrap();
    assert_eq!(drift.iter().map(|d| (d.sku.as_str(), d.recorded, d.ledger)).collect::<Vec<_>>(), [("A", -1, -2)]);
    let drift = s.store.credit_drift().await.unwrap();
    assert_eq!(drift.iter().map(|d| (d.balance, d.ledger)).collect::<Vec<_>>(), [(-299_995, -300_000)]);
    // Canceling writes compensations that balance.
    execute(&s.store, "UPDATE stock_items SET reserved = reserved - 1 WHERE sku = 'A'").await;
    execute(&s.store, "UPDATE company_credits SET balance = balance - 5").await;
    s.store.orders(&s.tenant.id).cancel(&order.id, "merchant", "").await.unwrap();
    assert!(s.store.inventory_drift().await.unwrap().is_empty());
    assert!(s.store.credit_drift().await.unwrap().is_empty());
}

#[tokio::test]
async fn placing_and_canceling_queue_their_events_in_the_same_transaction() {
    let s = setup().await;
    let low = StockUpdate { notify_qty: Some(Some(3)), ..StockUpdate::default() };
    s.store.stock(&s.tenant.id).update(&Sku::parse("A").unwrap(), low).await.unwrap();
    s.fill_cart(&[("A", 2), ("B", 1)]).await;
    let Begun::Placing(mut placing) = s.store.orders(&s.tenant.id).begin(s.order(vec![line("A", 2, 200_000), line("B", 1, 100_000)])).await.unwrap() else {
        panic!("new order")
    };
    placing.hold().await.unwrap().unwrap();
    let order = placing.finish(PaymentOutcome::OnAccount("x".into())).await.unwrap();
    s.store.orders(&s.tenant.id).cancel(&order.id, "merchant", "").await.unwrap();
    let mut topics: Vec<String> = s.store.outbox(&s.tenant.id, 20).await.unwrap().into_iter().map(|m| m.topic).collect();
    topics.reverse();
    assert_eq!(topics, ["credit.changed", "credit.changed", "order.placed", "stock.low", "credit.changed", "order.canceled"]);
    let placed = s.store.outbox(&s.tenant.id, 20).await.unwrap().into_iter().find(|m| m.topic == "order.placed").unwrap();
    assert_eq!((placed.payload["grand_total"].as_str(), placed.recipient.as_str()), (Some("30.00"), ""), "{:?}", placed.payload);
}

#[tokio::test]
async fn subscribers_hear_once_when_a_product_is_back_in_stock() {
    let s = setup().await;
    let stock = s.store.stock(&s.tenant.id);
    let a = Sku::parse("A").unwrap();
    let set = |quantity: i64| StockUpdate { quantity: Some(StockQuantity::new(quantity).unwrap()), ..StockUpdate::default() };
    stock.update(&a, set(0)).await.unwrap();
    stock.subscribe(&a, "ann@bolt.example").await.unwrap();
    stock.subscribe(&a, "ann@bolt.example").await.unwrap();
    stock.update(&a, set(0)).await.unwrap();
    stock.update(&a, set(4)).await.unwrap();
    stock.update(&a, set(8)).await.unwrap();
    let sent: Vec<(String, String)> =
        s.store.outbox(&s.tenant.id, 50).await.unwrap().into_iter().filter(|m| m.topic == "stock.back_in_stock").map(|m| (m.recipient, m.payload["sku"].to_string())).collect();
    assert_eq!(sent, [("ann@bolt.example".to_owned(), "\"A\"".to_owned())]);
}
