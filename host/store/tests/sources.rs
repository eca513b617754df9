//! Sources (warehouses) in the store: a SKU's stock on hand follows what its enabled sources
//! hold, shipments take from sources by priority or from the one named, refunds return units
//! to the source they shipped from, and the check finds a quantity that drifts from its
//! sources. On SQLite, or on PostgreSQL when `HANSE_TEST_POSTGRES_URL` is set.

mod support;

use hanse_domain::inventory::source::SourceCode;
use hanse_domain::order::RefundRequest;
use hanse_domain::product::{ProductDraft, ProductInput, Sku, StockQuantity};
use hanse_store::testing::execute;
use hanse_store::{
    DriftKind, ImportRow, KeepFields, NewSource, PaymentOutcome, RefundInput, ShipLine, ShipmentInput, SourceChange, StockRowOutcome, StockUpdate, StoreError,
};

use self::support::{Setup, line, setup};

fn code(text: &str) -> SourceCode {
    SourceCode::parse(text).unwrap()
}

fn sku(text: &str) -> Sku {
    Sku::parse(text).unwrap()
}

fn held(quantity: i64, source: &str) -> StockUpdate {
    StockUpdate { quantity: Some(StockQuantity::new(quantity).unwrap()), source: Some(code(source)), ..StockUpdate::default() }
}

fn refused(result: Result<impl std::fmt::Debug, StoreError>) -> &'static str {
    match result {
        Err(StoreError::Refused(code, _)) => code,
        Err(StoreError::NotFound(what)) => what,
        other => panic!("not refused: {other:?}"),
    }
}

impl Setup {
    /// A source with this priority.
    async fn source(&self, source: &str, priority: i64) {
        let new = NewSource { name: source.to_uppercase(), priority, ..NewSource::default() };
        self.store.sources(&self.tenant.id).create(&code(source), &new).await.unwrap();
    }

    async fn set(&self, sku: &str, quantity: i64, source: &str) {
        self.store.stock(&self.tenant.id).update(&Sku::parse(sku).unwrap(), held(quantity, source)).await.unwrap();
    }

    async fn enable(&self, source: &str, enabled: bool) -> Result<hanse_store::InventorySource, StoreError> {
        self.store.sources(&self.tenant.id).update(&code(source), &SourceChange { enabled: Some(enabled), ..SourceChange::default() }).await
    }

    /// (on hand, what each source holds) of a SKU.
    async fn held_by(&self, sku: &str) -> (i64, Vec<(String, i64)>) {
        let record = self.store.stock(&self.tenant.id).get(&Sku::parse(sku).unwrap()).await.unwrap();
        (record.level.map_or(0, |l| l.on_hand), record.sources.into_iter().map(|s| (s.code, s.quantity)).collect())
    }
}

fn pairs(list: &[(&str, i64)]) -> Vec<(String, i64)> {
    list.iter().map(|(c, q)| ((*c).to_owned(), *q)).collect()
}

#[tokio::test]
async fn stock_on_hand_is_what_the_enabled_sources_hold() {
    let s = setup().await;
    let sources = s.store.sources(&s.tenant.id);
    assert_eq!(sources.list().await.unwrap().iter().map(|s| (s.code.as_str(), s.enabled)).collect::<Vec<_>>(), [("default", true)]);
    assert_eq!(s.held_by("A").await, (5, pairs(&[("default", 5)])), "the stock set before is the default source's");
    s.source("berlin", 1).await;
    s.source("hamburg", 2).await;
    let taken = sources.create(&code("berlin"), &NewSource::default()).await.unwrap_err();
    assert!(matches!(taken, StoreError::Conflict(_)), "{taken:?}");

    s.set("A", 3, "berlin").await;
    s.set("A", 4, "hamburg").await;
    assert_eq!(s.held_by("A").await, (12, pairs(&[("default", 5), ("berlin", 3), ("hamburg", 4)])));
    // Disabled, a source's units leave the salable sum; enabled, they come back.
    s.enable("hamburg", false).await.unwrap();
    assert_eq!(s.held_by("A").await.0, 8);
    s.set("A", 6, "hamburg").await;
    assert_eq!(s.held_by("A").await, (8, pairs(&[("default", 5), ("berlin", 3), ("hamburg", 6)])), "a disabled source's units do not count");
    s.enable("hamburg", true).await.unwrap();
    assert_eq!(s.held_by("A").await.0, 14);
    s.books_balance().await;

    // The SKU's one quantity no longer says which warehouse holds what; its settings still change.
    let stock = s.store.stock(&s.tenant.id);
    let plain = StockUpdate { quantity: Some(StockQuantity::new(9).unwrap()), ..StockUpdate::default() };
    assert_eq!(refused(stock.update(&sku("A"), plain.clone()).await), "multiple_sources");
    let settings = StockUpdate { notify_qty: Some(Some(2)), ..StockUpdate::default() };
    assert_eq!(stock.update(&sku("A"), settings).await.unwrap().notify_qty, Some(2));
    assert_eq!(stock.update(&sku("B"), plain).await.unwrap().level.map(|l| l.on_hand), Some(9), "B has one source");
    assert_eq!(stock.update(&sku("A"), held(7, "default")).await.unwrap().level.map(|l| l.on_hand), Some(16), "naming the default source is fine");
    let draft = ProductDraft::parse(ProductInput { sku: "A", name: "A", price: "10.00", ..Default::default() }).unwrap();
    let products = s.store.products(&s.tenant.id);
    assert_eq!(refused(products.save(&draft, None, Some(StockQuantity::new(1).unwrap()), false).await), "multiple_sources");
    assert_eq!(products.save(&draft, None, Some(StockQuantity::new(16).unwrap()), false).await.unwrap().0.quantity, 16, "the same total is no change");
    let row = |sku: &str, quantity: i64| ImportRow {
        draft: ProductDraft::parse(ProductInput { sku, name: sku, price: "10.00", ..Default::default() }).unwrap(),
        keep: KeepFields::default(),
        categories: None,
        quantity: Some(StockQuantity::new(quantity).unwrap()),
    };
    let outcome = products.import(&[row("A", 1), row("B", 4)]).await.unwrap();
    assert_eq!((outcome.updated, outcome.refused.iter().map(|(i, e)| (*i, e.to_string().contains("sources hold A"))).collect::<Vec<_>>()), (1, vec![(0, true)]));
    assert_eq!(s.held_by("B").await, (4, pairs(&[("default", 4)])), "a product's quantity is the default source's");

    // An import names sources per row.
    let rows = [(sku("A"), held(2, "berlin")), (sku("A"), held(1, "paris")), (sku("B"), StockUpdate { source: None, ..held(3, "default") })];
    let outcomes = stock.import(&rows).await.unwrap();
    assert_eq!(outcomes, [StockRowOutcome::Updated, StockRowOutcome::UnknownSource, StockRowOutcome::Updated]);
    let plain = StockUpdate { quantity: Some(StockQuantity::new(1).unwrap()), ..StockUpdate::default() };
    assert!(matches!(&stock.import(&[(sku("A"), plain)]).await.unwrap()[..], [StockRowOutcome::MultipleSources(_)]));
    assert_eq!(s.held_by("A").await, (15, pairs(&[("default", 7), ("berlin", 2), ("hamburg", 6)])));
    assert_eq!(refused(stock.update(&sku("A"), held(1, "paris")).await), "source");

    // The default source stays; a source holding units cannot go.
    assert_eq!(refused(s.enable("default", false).await), "default_source");
    assert_eq!(refused(sources.delete(&code("default")).await), "default_source");
    assert_eq!(refused(sources.delete(&code("berlin")).await), "source_not_empty");
    s.set("A", 0, "berlin").await;
    sources.delete(&code("berlin")).await.unwrap();
    assert_eq!(refused(sources.get(&code("berlin")).await), "source");
    assert_eq!(s.held_by("A").await, (13, pairs(&[("default", 7), ("hamburg", 6)])));
    let renamed = SourceChange { name: Some("Hamburg Nord".into()), priority: Some(0), postcode: Some("22041".into()), ..SourceChange::default() };
    let hamburg = sources.update(&code("hamburg"), &renamed).await.unwrap();
    assert_eq!((hamburg.name.as_str(), hamburg.priority, hamburg.postcode.as_str(), hamburg.enabled), ("Hamburg Nord", 0, "22041", true));
    assert_eq!(sources.list().await.unwrap().iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["default", "hamburg"], "by priority, then code");
    s.books_balance().await;
}

#[tokio::test]
async fn disabling_a_source_announces_what_it_does_to_salable_quantities() {
    let s = setup().await;
    s.source("berlin", 1).await;
    let stock = s.store.stock(&s.tenant.id);
    stock.update(&sku("A"), StockUpdate { quantity: Some(StockQuantity::new(0).unwrap()), notify_qty: Some(Some(2)), ..StockUpdate::default() }).await.unwrap();
    s.set("A", 3, "berlin").await;
    stock.subscribe(&sku("A"), "ann@bolt.example").await.unwrap();
    s.enable("berlin", false).await.unwrap();
    s.enable("berlin", true).await.unwrap();
    let topics = s.topics().await;
    assert_eq!(topics.iter().rev().take(2).collect::<Vec<_>>(), ["stock.back_in_stock", "stock.low"], "{topics:?}");
    s.books_balance().await;
}

#[tokio::test]
async fn shipments_take_by_priority_and_refunds_return_to_where_units_shipped_from() {
    let s = setup().await;
    // default (priority 10) holds 5 of A, berlin (priority 1) 2: berlin gives first.
    let sources = s.store.sources(&s.tenant.id);
    sources.update(&code("default"), &SourceChange { priority: Some(10), ..SourceChange::default() }).await.unwrap();
    s.source("berlin", 1).await;
    s.set("A", 2, "berlin").await;
    let order = s.place(s.order(vec![line("A", 3, 300_000), line("B", 1, 100_000)]), PaymentOutcome::OnAccount("x".into())).await;
    let orders = s.store.orders(&s.tenant.id);
    let (_, shipment) = orders.ship(&order.id, &ShipmentInput { carrier: "UPS".into(), ..ShipmentInput::default() }, "merchant").await.unwrap();
    let taken: Vec<(&str, &str, i64)> = shipment.sources.iter().map(|t| (t.sku.as_str(), t.source.as_str(), t.quantity)).collect();
    assert_eq!(taken, [("A", "berlin", 2), ("A", "default", 1), ("B", "default", 1)]);
    assert_eq!(s.held_by("A").await, (4, pairs(&[("berlin", 0), ("default", 4)])));
    assert_eq!(s.stock_of("A").await, (4, 0), "on hand and reservations both settled");
    assert_eq!(orders.detail(&order.id).await.unwrap().shipments[0].sources, shipment.sources, "what is stored says the same");

    // A returned unit goes back to the source A shipped from first.
    let back = RefundInput {
        request: RefundRequest { lines: Some(vec![("A".into(), 1), ("B".into(), 1)]), ..RefundRequest::default() },
        return_to_stock: true,
        ..RefundInput::default()
    };
    let (_, memo) = orders.refund(&order.id, &back, "merchant").await.unwrap();
    assert_eq!(memo.lines.iter().map(|l| (l.sku.as_str(), l.restocked)).collect::<Vec<_>>(), [("A", 1), ("B", 1)]);
    assert_eq!(s.held_by("A").await, (5, pairs(&[("berlin", 1), ("default", 4)])));
    assert_eq!(s.held_by("B").await, (5, pairs(&[("default", 5)])));
    // Once the source is gone, returned units go to the default source.
    s.set("A", 0, "berlin").await;
    sources.delete(&code("berlin")).await.unwrap();
    let one = RefundInput { request: RefundRequest { lines: Some(vec![("A".into(), 1)]), ..RefundRequest::default() }, ..back };
    let (_, memo) = orders.refund(&order.id, &one, "merchant").await.unwrap();
    assert_eq!(memo.lines.iter().map(|l| (l.sku.as_str(), l.restocked)).collect::<Vec<_>>(), [("A", 1)]);
    assert_eq!(s.held_by("A").await, (5, pairs(&[("default", 5)])));
    s.books_balance().await;
}

#[tokio::test]
async fn a_shipment_may_name_its_source() {
    let s = setup().await;
    let priority = SourceChange { priority: Some(5), ..SourceChange::default() };
    s.store.sources(&s.tenant.id).update(&code("default"), &priority).await.unwrap();
    s.source("berlin", 1).await;
    s.source("paris", 2).await;
    s.set("A", 2, "berlin").await;
    s.set("A", 9, "paris").await;
    let order = s.place(s.order(vec![line("A", 3, 300_000)]), PaymentOutcome::OnAccount("x".into())).await;
    let orders = s.store.orders(&s.tenant.id);
    let from = |source: &str| ShipmentInput { carrier: "UPS".into(), source: Some(source.into()), ..ShipmentInput::default() };
    assert_eq!(refused(orders.ship(&order.id, &from("rome"), "merchant").await), "unknown_source");
    assert_eq!(refused(orders.ship(&order.id, &from("berlin"), "merchant").await), "insufficient_stock", "berlin holds 2");
    s.enable("paris", false).await.unwrap();
    assert_eq!(refused(orders.ship(&order.id, &from("paris"), "merchant").await), "source_disabled");
    s.enable("paris", true).await.unwrap();
    let part = ShipmentInput { lines: Some(vec![ShipLine { sku: "A".into(), quantity: 2 }]), ..from("paris") };
    let (_, shipment) = orders.ship(&order.id, &part, "merchant").await.unwrap();
    assert_eq!(shipment.sources.iter().map(|t| (t.source.as_str(), t.quantity)).collect::<Vec<_>>(), [("paris", 2)]);
    assert_eq!(s.held_by("A").await, (14, pairs(&[("berlin", 2), ("paris", 7), ("default", 5)])));
    // Without a source: the enabled ones by priority, a disabled one never.
    s.enable("berlin", false).await.unwrap();
    let (_, shipment) = orders.ship(&order.id, &ShipmentInput { carrier: "UPS".into(), ..ShipmentInput::default() }, "merchant").await.unwrap();
    assert_eq!(shipment.sources.iter().map(|t| (t.source.as_str(), t.quantity)).collect::<Vec<_>>(), [("paris", 1)]);
    assert_eq!(s.held_by("A").await, (11, pairs(&[("berlin", 2), ("paris", 6), ("default", 5)])));
    s.books_balance().await;
}

#[tokio::test]
async fn the_check_reports_quantities_that_drift_from_their_sources() {
    let s = setup().await;
    s.source("berlin", 1).await;
    s.set("A", 2, "berlin").await;
    s.books_balance().await;
    execute(&s.store, "UPDATE source_items SET quantity = quantity + 3 WHERE sku = 'A' AND source_code = 'default'").await;
    execute(&s.store, "UPDATE inventory_sources SET enabled = 0 WHERE code = 'berlin'").await;
    execute(&s.store, "UPDATE stock_items SET reserved = reserved - 1 WHERE sku = 'B'").await;
    let drift = s.store.inventory_drift().await.unwrap();
    let found: Vec<(&str, DriftKind, i64, i64)> = drift.iter().map(|d| (d.sku.as_str(), d.kind, d.recorded, d.ledger)).collect();
    assert_eq!(found, [("A", DriftKind::OnHand, 7, 8), ("B", DriftKind::Reserved, -1, 0)]);
    execute(&s.store, "UPDATE stock_items SET reserved = reserved + 1 WHERE sku = 'B'").await;
    execute(&s.store, "UPDATE inventory_sources SET enabled = 1 WHERE code = 'berlin'").await;
    let drift = s.store.inventory_drift().await.unwrap();
    assert_eq!(drift.iter().map(|d| (d.sku.as_str(), d.kind, d.ledger)).collect::<Vec<_>>(), [("A", DriftKind::OnHand, 10)], "{drift:?}");
    execute(&s.store, "UPDATE source_items SET quantity = quantity - 3 WHERE sku = 'A' AND source_code = 'default'").await;
    s.books_balance().await;
}

/// Ships what is left of an order, from the sources by priority.
async fn ship_everything(store: &hanse_store::Store, tenant: &hanse_store::TenantId, id: &str) -> Result<(), StoreError> {
    let input = ShipmentInput { carrier: "UPS".into(), ..ShipmentInput::default() };
    store.orders(tenant).ship(id, &input, "merchant").await.map(|_| ())
}

/// Spawns `work` for each of `items` at once on the runtime's threads, and waits for all.
async fn at_once<T: Send + 'static, F>(items: Vec<T>, work: impl Fn(T) -> F) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let tasks: Vec<_> = items.into_iter().map(|item| tokio::spawn(work(item))).collect();
    let mut done = Vec::with_capacity(tasks.len());
    for task in tasks {
        done.push(task.await.unwrap());
    }
    done
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn first_stock_writes_to_several_sources_at_once_all_count() {
    let s = setup().await;
    s.source("berlin", 1).await;
    s.source("hamburg", 2).await;
    let products = s.store.products(&s.tenant.id);
    let skus: Vec<String> = (0..12).map(|i| format!("N{i}")).collect();
    for sku in &skus {
        let draft = ProductDraft::parse(ProductInput { sku, name: sku, price: "10.00", ..Default::default() }).unwrap();
        products.create(&draft, &[], None).await.unwrap();
    }
    // Each new SKU gets its first units from three writers at once: none of them may miss
    // another's, whoever writes the stock row first.
    let writes: Vec<(String, &str, i64)> =
        skus.iter().flat_map(|sku| [(sku.clone(), "berlin", 3), (sku.clone(), "hamburg", 4), (sku.clone(), "default", 5)]).collect();
    let (store, tenant) = (s.store.clone(), s.tenant.id.clone());
    let done = at_once(writes, move |(sku, source, quantity)| {
        let (store, tenant) = (store.clone(), tenant.clone());
        async move { store.stock(&tenant).update(&Sku::parse(&sku).unwrap(), held(quantity, source)).await.map(|_| ()) }
    })
    .await;
    assert!(done.iter().all(Result::is_ok), "{done:?}");
    for sku in &skus {
        assert_eq!(s.held_by(sku).await.0, 12, "{sku}: 3 + 4 + 5");
    }
    s.books_balance().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn disabling_a_source_while_it_ships_keeps_stock_equal_to_its_sources() {
    let s = setup().await;
    s.source("berlin", 1).await;
    s.set("A", 40, "berlin").await;
    s.set("A", 20, "default").await;
    let mut ids = Vec::new();
    for _ in 0..12 {
        ids.push(s.place(s.order(vec![line("A", 1, 100_000)]), PaymentOutcome::OnAccount("x".into())).await.id);
    }
    // Shipments take from berlin (the first by priority) while it is disabled and enabled again:
    // each toggle must move exactly what berlin holds at its commit.
    let (store, tenant) = (s.store.clone(), s.tenant.id.clone());
    let work: Vec<Option<String>> = ids.into_iter().map(Some).chain((0..6).map(|_| None)).collect();
    let done = at_once(work, move |order| {
        let (store, tenant) = (store.clone(), tenant.clone());
        async move {
            match order {
                Some(id) => ship_everything(&store, &tenant, &id).await,
                None => {
                    let sources = store.sources(&tenant);
                    for enabled in [false, true] {
                        sources.update(&code("berlin"), &SourceChange { enabled: Some(enabled), ..SourceChange::default() }).await?;
                    }
                    Ok(())
                }
            }
        }
    })
    .await;
    assert!(done.iter().all(Result::is_ok), "{done:?}");
    let (on_hand, held) = s.held_by("A").await;
    assert_eq!(on_hand, held.iter().map(|(_, q)| q).sum::<i64>(), "{held:?}");
    assert_eq!(on_hand, 60 - 12);
    s.books_balance().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deleting_products_beside_shipments_of_them_neither_deadlocks_nor_drifts() {
    let s = setup().await;
    s.source("berlin", 1).await;
    let products = s.store.products(&s.tenant.id);
    let skus: Vec<String> = (0..8).map(|i| format!("D{i}")).collect();
    let mut ids = Vec::new();
    for sku in &skus {
        let draft = ProductDraft::parse(ProductInput { sku, name: sku, price: "10.00", ..Default::default() }).unwrap();
        products.create(&draft, &[], Some(StockQuantity::new(3).unwrap())).await.unwrap();
        s.set(sku, 2, "berlin").await;
        ids.push(s.place(s.order(vec![line(sku, 4, 400_000)]), PaymentOutcome::OnAccount("x".into())).await.id);
    }
    let (store, tenant) = (s.store.clone(), s.tenant.id.clone());
    let work: Vec<(String, String)> = skus.into_iter().zip(ids).collect();
    let done = at_once(work.iter().flat_map(|(sku, id)| [(sku.clone(), None), (sku.clone(), Some(id.clone()))]).collect(), move |(sku, order)| {
        let (store, tenant) = (store.clone(), tenant.clone());
        async move {
            match order {
                Some(id) => ship_everything(&store, &tenant, &id).await,
                None => store.products(&tenant).delete(&Sku::parse(&sku).unwrap()).await,
            }
        }
    })
    .await;
    // A shipment after its product went ships nothing of it; nothing else may fail.
    assert!(done.iter().all(Result::is_ok), "{done:?}");
    s.books_balance().await;
}
