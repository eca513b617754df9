//! Orders in the store: a database failure half way through placing one leaves nothing behind,
//! and the checks find any sum that drifts from its ledger. On SQLite, or on PostgreSQL when
//! `HANSE_TEST_POSTGRES_URL` is set.

mod support;

use hanse_domain::credit::CreditOperation;
use hanse_domain::inventory::ReservationReason;
use hanse_domain::order::{OrderStatus, RefundRequest, Settlement};
use hanse_domain::product::{ProductDraft, ProductInput, Sku, StockQuantity};
use hanse_store::testing::execute;
use hanse_store::{Begun, ImportRow, KeepFields, NewOrder, PaymentOutcome, RefundInput, Refusal, ShipmentInput, StockUpdate};

use self::support::{Setup, line, setup};

impl Setup {
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
    // The second line breaks a constraint when the order's writes run, with the stock's and the
    // credit's (checked and locked by `hold`) in the same transaction.
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
async fn a_cart_that_changed_since_it_was_priced_places_nothing() {
    let s = setup().await;
    s.fill_cart(&[("A", 2), ("B", 1)]).await;
    // Priced with 3 of A, but the cart holds 2; then a line the cart does not hold at all.
    for lines in [vec![line("A", 3, 300_000), line("B", 1, 100_000)], vec![line("A", 2, 200_000), line("B", 1, 100_000), line("C", 1, 100_000)]] {
        let Begun::Placing(mut placing) = s.store.orders(&s.tenant.id).begin(s.order(lines)).await.unwrap() else { panic!("new order") };
        assert_eq!(placing.hold().await.unwrap(), Err(Refusal::CartChanged));
        drop(placing);
        s.nothing_left().await;
    }
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

#[tokio::test]
async fn stock_set_by_a_product_import_is_announced_as_by_hand() {
    let s = setup().await;
    let stock = s.store.stock(&s.tenant.id);
    let a = Sku::parse("A").unwrap();
    stock.update(&a, StockUpdate { quantity: Some(StockQuantity::new(0).unwrap()), notify_qty: Some(Some(2)), ..StockUpdate::default() }).await.unwrap();
    stock.subscribe(&a, "ann@bolt.example").await.unwrap();
    let row = |quantity: i64| ImportRow {
        draft: ProductDraft::parse(ProductInput { sku: "A", name: "A", price: "10.00", ..Default::default() }).unwrap(),
        keep: KeepFields::default(),
        categories: None,
        quantity: Some(StockQuantity::new(quantity).unwrap()),
    };
    let topics = || async {
        let all = s.store.outbox(&s.tenant.id, 50).await.unwrap();
        all.into_iter().filter(|m| m.topic.starts_with("stock.")).map(|m| (m.topic, m.recipient, m.payload["salable_quantity"].clone())).collect::<Vec<_>>()
    };
    let before = topics().await;
    let products = s.store.products(&s.tenant.id);
    assert_eq!(products.import(&[row(6)]).await.unwrap().updated, 1);
    assert_eq!(products.import(&[row(1)]).await.unwrap().updated, 1);
    let after = topics().await;
    let new: Vec<_> = after.iter().filter(|t| !before.contains(t)).map(|(topic, to, q)| (topic.as_str(), to.as_str(), q.as_i64())).collect();
    let mut new = new;
    new.sort_unstable();
    assert_eq!(new, [("stock.back_in_stock", "ann@bolt.example", Some(6)), ("stock.low", "", Some(1))]);
    assert!(s.store.inventory_drift().await.unwrap().is_empty());
}

fn refund_of(lines: &[(&str, i64)]) -> RefundInput {
    let request = RefundRequest { lines: Some(lines.iter().map(|(s, q)| ((*s).to_owned(), *q)).collect()), ..RefundRequest::default() };
    RefundInput { request, ..RefundInput::default() }
}

#[tokio::test]
async fn a_partial_then_a_full_refund_gives_everything_back_and_closes_the_order() {
    let s = setup().await;
    let order = s.place_on_account().await;
    let orders = s.store.orders(&s.tenant.id);
    assert_eq!((s.balance().await, s.order_total().await), (-375_000, (1, 375_000)));

    // One A, not shipped: 10.00 and its share of the tax, 2.50 × 10/30 = 0.83.
    let (after, memo) = orders.refund(&order.id, &refund_of(&[("A", 1)]), "merchant").await.unwrap();
    assert_eq!((memo.subtotal, memo.tax, memo.shipping, memo.total), (100_000, 8_300, 0, 108_300));
    assert_eq!((memo.settlement, memo.lines[0].unshipped, memo.lines[0].restocked), (Settlement::Credit, 1, 0));
    assert_eq!((after.status, after.refunded, after.lines[0].qty_refunded), (OrderStatus::Pending, 108_300, 1));
    assert_eq!(s.stock_of("A").await, (5, -1), "the unshipped unit's reservation is given back");
    assert_eq!(s.balance().await, -375_000 + 108_300);
    assert_eq!(s.order_total().await, (1, 375_000 - 108_300));

    // The rest ships (the refunded unit does not), then comes back to stock.
    let (shipped, _) = orders.ship(&order.id, &ShipmentInput { carrier: "UPS".into(), ..ShipmentInput::default() }, "merchant").await.unwrap();
    assert_eq!((shipped.status, shipped.lines[0].qty_shipped), (OrderStatus::Shipped, 1));
    assert_eq!((s.stock_of("A").await, s.stock_of("B").await), ((4, 0), (4, 0)));
    let rest = RefundInput { return_to_stock: true, comment: "returned".into(), ..RefundInput::default() };
    let (closed, memo) = orders.refund(&order.id, &rest, "merchant").await.unwrap();
    assert_eq!((memo.subtotal, memo.tax, memo.shipping, memo.total), (200_000, 25_000 - 8_300, 50_000, 266_700));
    assert_eq!(memo.lines.iter().map(|l| (l.sku.as_str(), l.quantity, l.unshipped, l.restocked)).collect::<Vec<_>>(), [("A", 1, 0, 1), ("B", 1, 0, 1)]);
    assert_eq!((closed.status, closed.refunded, closed.shipping_refunded), (OrderStatus::Closed, 375_000, 50_000));
    assert_eq!((s.stock_of("A").await, s.stock_of("B").await), ((5, 0), (5, 0)));
    assert_eq!((s.balance().await, s.order_total().await), (0, (1, 0)));
    let refused = orders.refund(&order.id, &RefundInput::default(), "merchant").await.unwrap_err();
    assert!(matches!(refused, hanse_store::StoreError::Refused("order_not_refundable", _)), "{refused:?}");

    // What is stored says the same.
    let detail = orders.detail(&order.id).await.unwrap();
    assert_eq!(detail.order, closed);
    let statuses: Vec<(OrderStatus, &str)> = detail.history.iter().map(|h| (h.status, h.comment.as_str())).collect();
    assert_eq!(statuses.last().map(|(s, c)| (*s, c.ends_with(": returned"))), Some((OrderStatus::Closed, true)), "{statuses:?}");
    assert_eq!(statuses.len(), 4, "placed, refunded, shipped, closed: {statuses:?}");
    let memos = orders.credit_memos(&order.id).await.unwrap();
    assert_eq!(memos.iter().map(|m| m.total).collect::<Vec<_>>(), [108_300, 266_700]);
    assert_eq!(memos[1], memo);
    let reasons: Vec<(ReservationReason, i64)> =
        s.store.stock(&s.tenant.id).reservations(&Sku::parse("A").unwrap(), 10).await.unwrap().into_iter().map(|r| (r.reason, r.quantity)).collect();
    assert_eq!(reasons, [(ReservationReason::ShipmentCreated, 1), (ReservationReason::OrderRefunded, 1), (ReservationReason::OrderPlaced, -2)]);
    use CreditOperation as Op;
    assert_eq!(s.operations().await, [Op::Refunded, Op::Refunded, Op::Purchased, Op::Allocated]);
    let topics = s.topics().await;
    let from_refunds: Vec<&str> = topics.iter().skip_while(|t| *t != "shipment.created").skip(1).map(String::as_str).collect();
    assert_eq!(from_refunds, ["credit.changed", "order.closed", "order.refunded"]);
    assert_eq!(topics.iter().filter(|t| *t == "order.refunded").count(), 2);
    s.books_balance().await;
}

#[tokio::test]
async fn shipped_units_return_to_stock_only_when_asked() {
    let s = setup().await;
    let order = s.place_on_account().await;
    let orders = s.store.orders(&s.tenant.id);
    orders.ship(&order.id, &ShipmentInput { carrier: "UPS".into(), ..ShipmentInput::default() }, "merchant").await.unwrap();
    assert_eq!(s.stock_of("A").await, (3, 0));
    // Damaged in transit: refunded, not back on the shelf.
    let (after, memo) = orders.refund(&order.id, &refund_of(&[("A", 1)]), "merchant").await.unwrap();
    assert_eq!((memo.lines[0].unshipped, memo.lines[0].restocked, memo.return_to_stock), (0, 0, false));
    assert_eq!((after.status, s.stock_of("A").await), (OrderStatus::Shipped, (3, 0)));
    let back = RefundInput { return_to_stock: true, ..refund_of(&[("A", 1)]) };
    let (_, memo) = orders.refund(&order.id, &back, "merchant").await.unwrap();
    assert_eq!((memo.lines[0].restocked, s.stock_of("A").await), (1, (4, 0)));
    // Neither writes a reservation: nothing was reserved any more.
    let reservations = s.store.stock(&s.tenant.id).reservations(&Sku::parse("A").unwrap(), 10).await.unwrap();
    assert_eq!(reservations.len(), 2, "placed and shipped only: {reservations:?}");
    s.books_balance().await;
}

#[tokio::test]
async fn an_over_refund_is_refused_with_nothing_written() {
    let s = setup().await;
    let order = s.place_on_account().await;
    let orders = s.store.orders(&s.tenant.id);
    let topics = s.topics().await;
    let too_much = [
        (refund_of(&[("A", 3)]), "refund_exceeds_order"),
        (refund_of(&[("C", 1)]), "unknown_sku"),
        (RefundInput { request: RefundRequest { shipping: Some(50_001), ..RefundRequest::default() }, ..RefundInput::default() }, "refund_exceeds_order"),
        (RefundInput { request: RefundRequest { adjustment: 1, ..RefundRequest::default() }, ..RefundInput::default() }, "refund_exceeds_order"),
        (RefundInput { request: RefundRequest { adjustment: -108_301, ..refund_of(&[("A", 1)]).request }, ..RefundInput::default() }, "refund_invalid"),
        (refund_of(&[]), "refund_invalid"),
    ];
    for (input, code) in too_much {
        match orders.refund(&order.id, &input, "merchant").await {
            Err(hanse_store::StoreError::Refused(refused, _)) => assert_eq!(refused, code, "{input:?}"),
            other => panic!("{input:?}: {other:?}"),
        }
    }
    assert_eq!(orders.get(&order.id).await.unwrap(), order);
    assert_eq!(orders.credit_memos(&order.id).await.unwrap(), vec![]);
    assert_eq!((s.stock_of("A").await, s.balance().await), ((5, -2), -375_000));
    assert_eq!(s.operations().await.len(), 2);
    assert_eq!(s.topics().await, topics);
    assert!(matches!(orders.credit_memos("ord_nope").await, Err(hanse_store::StoreError::NotFound("order"))));
    s.books_balance().await;
}

#[tokio::test]
async fn canceling_after_a_refund_gives_back_only_the_rest() {
    let s = setup().await;
    let order = s.place_on_account().await;
    let orders = s.store.orders(&s.tenant.id);
    orders.refund(&order.id, &refund_of(&[("A", 1)]), "merchant").await.unwrap();
    let canceled = orders.cancel(&order.id, "merchant", "").await.unwrap();
    assert_eq!(canceled.status, OrderStatus::Canceled);
    assert_eq!((s.stock_of("A").await, s.stock_of("B").await), ((5, 0), (5, 0)));
    assert_eq!((s.balance().await, s.order_total().await), (0, (0, 0)));
    use CreditOperation as Op;
    assert_eq!(s.operations().await, [Op::Reverted, Op::Refunded, Op::Purchased, Op::Allocated]);
    let refused = orders.refund(&order.id, &RefundInput::default(), "merchant").await.unwrap_err();
    assert!(matches!(refused, hanse_store::StoreError::Refused("order_not_refundable", _)), "{refused:?}");
    s.books_balance().await;
}

#[tokio::test]
async fn a_refund_on_terms_comes_off_the_open_invoice_or_is_settled_outside() {
    let s = setup().await;
    let on_terms = || PaymentOutcome::OnTerms { reference: "net30".into(), due_days: 30 };
    let new = || NewOrder { on_account: false, ..s.order(vec![line("A", 1, 100_000), line("B", 1, 100_000)]) };
    let order = s.place(new(), on_terms()).await;
    let orders = s.store.orders(&s.tenant.id);
    let (_, memo) = orders.refund(&order.id, &refund_of(&[("A", 1)]), "merchant").await.unwrap();
    let invoice = orders.detail(&order.id).await.unwrap().invoice.unwrap();
    assert_eq!((memo.settlement, memo.invoice_id.as_deref()), (Settlement::Invoice, Some(invoice.id.as_str())));
    assert_eq!((invoice.amount, invoice.status.as_str()), (100_000, "open"));
    let (closed, _) = orders.refund(&order.id, &RefundInput::default(), "merchant").await.unwrap();
    let invoice = orders.detail(&order.id).await.unwrap().invoice.unwrap();
    assert_eq!((closed.status, invoice.amount, invoice.status.as_str()), (OrderStatus::Closed, 0, "canceled"));
    assert_eq!(s.operations().await, [CreditOperation::Allocated], "the credit line is not involved");

    // A paid invoice stays paid: the refund is settled outside Hanse.
    let paid = s.place(new(), on_terms()).await;
    let invoice = orders.detail(&paid.id).await.unwrap().invoice.unwrap();
    orders.pay_invoice(&invoice.id, "merchant").await.unwrap();
    let (_, memo) = orders.refund(&paid.id, &refund_of(&[("B", 1)]), "merchant").await.unwrap();
    assert_eq!((memo.settlement, memo.invoice_id), (Settlement::Offline, None));
    let invoice = orders.detail(&paid.id).await.unwrap().invoice.unwrap();
    assert_eq!((invoice.amount, invoice.status.as_str()), (200_000, "paid"));
    s.books_balance().await;
}

#[tokio::test]
async fn a_payment_known_ahead_is_written_with_the_order_and_corrected_when_it_changed() {
    let s = setup().await;
    let ahead = PaymentOutcome::Authorized("auth-1".into());
    let new = || NewOrder { on_account: false, payment: Some(ahead.clone()), ..s.order(vec![line("A", 1, 100_000)]) };
    let same = s.place(new(), ahead.clone()).await.id;
    let changed = s.place(new(), PaymentOutcome::Pending("later-2".into())).await.id;
    let orders = s.store.orders(&s.tenant.id);
    for (id, status, reference) in [(same, "authorized", "auth-1"), (changed, "pending", "later-2")] {
        let detail = orders.detail(&id).await.unwrap();
        let order = &detail.order;
        assert_eq!((order.payment_status.as_str(), order.payment_reference.as_str()), (status, reference), "what finish was given is stored");
        // The order's last writes go in one round trip: each of them landed.
        assert_eq!((detail.order.lines.len(), detail.history.len()), (1, 1));
    }
    assert_eq!(s.topics().await.iter().filter(|t| *t == "order.placed").count(), 2);
    let company = s.store.companies(&s.tenant.id).get(&s.company).await.unwrap().unwrap();
    assert_eq!((company.order_count, company.order_total), (2, 200_000));
}
