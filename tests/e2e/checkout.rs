//! Checkout, end to end: the journey from a cart to an order and back (cancel), stock that is
//! never oversold and credit never overdrawn under concurrent checkouts, idempotency, and
//! nothing left behind by a checkout that fails half way.

use futures_util::future::join_all;
use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Options, TestServer, code, run_cli, send};
use crate::pricing::{Shop, company, product};

const ADDRESS: &str = r#"{"name":"Ann Lee","street":"1 Main St","city":"Springfield","postcode":"12345","country":"US"}"#;

fn address() -> Value {
    serde_json::from_str(ADDRESS).expect("address")
}

pub(crate) fn checkout_body(shipping: &str, payment: &str) -> Value {
    json!({"shipping_method": shipping, "payment_method": payment, "shipping_address": address()})
}

/// Installs the flat-rate shipping plugin at 0.00 per order.
pub(crate) async fn free_shipping(shop: &Shop) {
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "flat-rate-shipping", "config": {"price": "0.00", "per": "order"}}))).await;
    assert_eq!(status, 201, "{body}");
}

pub(crate) async fn set_stock(shop: &Shop, sku: &str, body: Value) -> Value {
    let (status, stock) = send(shop.admin(Method::PUT, &format!("/admin/v1/inventory/{sku}")).json(&body)).await;
    assert_eq!(status, 200, "{stock}");
    stock
}

pub(crate) async fn salable(shop: &Shop, sku: &str) -> Value {
    let (status, stock) = send(shop.admin(Method::GET, &format!("/admin/v1/inventory/{sku}"))).await;
    assert_eq!(status, 200, "{stock}");
    stock["salable_quantity"].clone()
}

pub(crate) async fn set_credit(shop: &Shop, company: &str, body: Value) {
    let (status, credit) = send(shop.admin(Method::PUT, &format!("/admin/v1/companies/{company}/credit")).json(&body)).await;
    assert_eq!(status, 200, "{credit}");
}

pub(crate) async fn available(shop: &Shop, company: &str) -> Value {
    let (status, credit) = send(shop.admin(Method::GET, &format!("/admin/v1/companies/{company}/credit"))).await;
    assert_eq!(status, 200, "{credit}");
    credit["available"].clone()
}

pub(crate) async fn put_in_cart(shop: &Shop, token: &str, sku: &str, quantity: i64) {
    let (status, cart) = send(shop.buyer(token, Method::POST, "/store/v1/cart/items").json(&json!({"sku": sku, "quantity": quantity}))).await;
    assert_eq!(status, 200, "{cart}");
}

pub(crate) async fn checkout(shop: &Shop, token: &str, key: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = shop.buyer(token, Method::POST, "/store/v1/checkout").json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    send(request).await
}

/// The balance of every credit history entry adds up, and the last one is the line.
pub(crate) async fn credit_ledger_balances(shop: &Shop, company: &str) {
    let (_, history) = send(shop.admin(Method::GET, &format!("/admin/v1/companies/{company}/credit/history?limit=200"))).await;
    let entries = history["entries"].as_array().expect("entries");
    let sum: f64 = entries.iter().map(|e| e["amount"].as_str().and_then(|a| a.parse::<f64>().ok()).expect("amount")).sum();
    let (_, credit) = send(shop.admin(Method::GET, &format!("/admin/v1/companies/{company}/credit"))).await;
    assert_eq!(format!("{sum:.2}"), credit["balance"].as_str().expect("balance"), "history {history} vs {credit}");
    assert_eq!(entries[0]["balance"], credit["balance"], "newest entry carries the balance");
}

#[tokio::test]
async fn the_journey_from_cart_to_order_and_back() {
    let shop = Shop::open().await;
    free_shipping(&shop).await;
    let stock = set_stock(&shop, "A", json!({"quantity": 5})).await;
    assert_eq!(stock["salable_quantity"], 5, "{stock}");
    assert_eq!(salable(&shop, "A").await, 5);
    set_credit(&shop, &shop.x, json!({"limit": "1000.00"})).await;
    assert_eq!(available(&shop, &shop.x).await, "1000.00");

    put_in_cart(&shop, &shop.x_buyer, "A", 3).await;
    let (status, rates) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/checkout/shipping-rates")).await;
    assert_eq!(status, 200, "{rates}");
    let shipping = rates["rates"][0]["code"].as_str().expect("a rate code").to_owned();
    let (status, methods) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/checkout/payment-methods")).await;
    assert_eq!(status, 200, "{methods}");
    assert!(methods["methods"].as_array().expect("methods").iter().any(|m| m["code"] == "payment-on-account"), "{methods}");
    assert_eq!(methods["totals"]["grand_total"], "300.00", "{methods}");

    let body = checkout_body(&shipping, "payment-on-account");
    let (status, order) = checkout(&shop, &shop.x_buyer, Some("k1"), &body).await;
    assert_eq!((status, order["status"].as_str(), order["grand_total"].as_str()), (201, Some("pending"), Some("300.00")), "{order}");
    let id = order["id"].as_str().expect("id").to_owned();
    assert_eq!(order["lines"][0]["unit_price"], "100.0000", "{order}");
    assert_eq!(order["lines"][0]["explanation"][0]["source"], "list_price", "{order}");
    assert_eq!(order["plugins"]["shipping"]["id"], "flat-rate-shipping", "{order}");
    assert_eq!(order["payment"]["status"], "on_account", "{order}");
    assert_eq!(available(&shop, &shop.x).await, "700.00");
    assert_eq!(salable(&shop, "A").await, 2);
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(cart["lines"], json!([]), "ordered lines leave the cart: {cart}");

    // The same request with the same key: the same order, nothing charged twice.
    let (status, again) = checkout(&shop, &shop.x_buyer, Some("k1"), &body).await;
    assert_eq!((status, again["id"].as_str()), (201, Some(id.as_str())), "{again}");
    assert_eq!(available(&shop, &shop.x).await, "700.00");
    // The same key with another request is refused.
    let (status, refused) = checkout(&shop, &shop.x_buyer, Some("k1"), &checkout_body(&shipping, "nope")).await;
    assert_eq!((status, code(&refused)), (422, "idempotency_key_reused"), "{refused}");

    // More than is salable: refused, nothing changes.
    put_in_cart(&shop, &shop.x_buyer, "A", 8).await;
    let (status, refused) = checkout(&shop, &shop.x_buyer, Some("k2"), &body).await;
    assert_eq!((status, code(&refused)), (409, "out_of_stock"), "{refused}");
    assert_eq!(refused["error"]["details"]["salable_quantity"], 2, "{refused}");
    // Enough stock, not enough credit: refused, nothing changes either.
    set_stock(&shop, "A", json!({"quantity": 100})).await;
    let (status, refused) = checkout(&shop, &shop.x_buyer, Some("k3"), &body).await;
    assert_eq!((status, code(&refused)), (409, "insufficient_credit"), "{refused}");
    assert_eq!(available(&shop, &shop.x).await, "700.00");
    assert_eq!(salable(&shop, "A").await, 97);
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(cart["lines"][0]["quantity"], 8, "a refused checkout keeps the cart: {cart}");

    // Cancel gives back the credit and the stock.
    let (status, canceled) = send(shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/cancel"))).await;
    assert_eq!((status, canceled["status"].as_str()), (200, Some("canceled")), "{canceled}");
    assert_eq!(available(&shop, &shop.x).await, "1000.00");
    assert_eq!(salable(&shop, "A").await, 100);
    let (status, refused) = send(shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/cancel"))).await;
    assert_eq!((status, code(&refused)), (409, "order_not_cancelable"), "{refused}");
    credit_ledger_balances(&shop, &shop.x).await;
    let (_, history) = send(shop.admin(Method::GET, &format!("/admin/v1/companies/{}/credit/history", shop.x))).await;
    let operations: Vec<&str> = history["entries"].as_array().expect("entries").iter().filter_map(|e| e["operation"].as_str()).collect();
    assert_eq!(operations, ["reverted", "purchased", "allocated"], "{history}");
    let (_, ledger) = send(shop.admin(Method::GET, "/admin/v1/inventory/A/reservations")).await;
    let reasons: Vec<&str> = ledger["reservations"].as_array().expect("reservations").iter().filter_map(|r| r["reason"].as_str()).collect();
    assert_eq!(reasons, ["order_canceled", "order_placed"], "{ledger}");

    // Every sum balances with its ledger, as the operator's checks prove.
    for check in [["inventory", "check"], ["credit", "check"]] {
        let (ok, stdout, stderr) = run_cli(&shop.server.database_url, &check);
        assert!(ok && stdout.starts_with("ok:"), "{check:?}: {stdout} {stderr}");
    }

    // The buyer sees the order, with its history.
    let (status, mine) = send(shop.buyer(&shop.x_buyer, Method::GET, &format!("/store/v1/orders/{id}"))).await;
    assert_eq!((status, mine["status"].as_str()), (200, Some("canceled")), "{mine}");
    assert_eq!(mine["history"].as_array().map(Vec::len), Some(2), "{mine}");
    let (status, _) = send(shop.buyer(&shop.y_buyer, Method::GET, &format!("/store/v1/orders/{id}"))).await;
    assert_eq!(status, 404, "another company's order does not exist for Y");
}

#[tokio::test]
async fn shipping_moves_an_order_to_complete_and_stock_out_of_the_warehouse() {
    let shop = Shop::open().await;
    free_shipping(&shop).await;
    set_stock(&shop, "A", json!({"quantity": 10})).await;
    put_in_cart(&shop, &shop.x_buyer, "A", 4).await;
    put_in_cart(&shop, &shop.x_buyer, "B", 1).await;
    let (_, methods) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/checkout/payment-methods")).await;
    assert!(!methods["methods"].as_array().expect("methods").iter().any(|m| m["code"] == "payment-on-account"), "no credit line, no payment on account: {methods}");
    let (status, refused) = checkout(&shop, &shop.x_buyer, None, &checkout_body("flat-rate-shipping:flat-rate", "payment-on-account")).await;
    assert_eq!((status, code(&refused)), (422, "payment_method_unavailable"), "{refused}");
    set_credit(&shop, &shop.x, json!({"limit": "1000.00"})).await;
    let (status, order) = checkout(&shop, &shop.x_buyer, None, &checkout_body("flat-rate-shipping:flat-rate", "payment-on-account")).await;
    assert_eq!(status, 201, "{order}");
    let id = order["id"].as_str().expect("id");

    let ship = |body: Value| shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/shipments")).json(&body);
    let (status, refused) = send(ship(json!({"carrier": "UPS", "lines": [{"sku": "A", "quantity": 5}]}))).await;
    assert_eq!((status, code(&refused)), (409, "shipment_quantity_invalid"), "{refused}");
    let (status, partial) = send(ship(json!({"carrier": "UPS", "tracking": "1Z1", "lines": [{"sku": "A", "quantity": 3}]}))).await;
    assert_eq!((status, partial["order"]["status"].as_str()), (201, Some("processing")), "{partial}");
    let stock = send(shop.admin(Method::GET, "/admin/v1/inventory/A")).await.1;
    assert_eq!((&stock["quantity"], &stock["reserved"], &stock["salable_quantity"]), (&json!(7), &json!(-1), &json!(6)), "{stock}");
    let (status, refused) = send(shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/cancel"))).await;
    assert_eq!((status, code(&refused)), (409, "order_not_cancelable"), "shipped units are not canceled: {refused}");
    let (status, rest) = send(ship(json!({"carrier": "UPS", "tracking": "1Z2"}))).await;
    assert_eq!((status, rest["order"]["status"].as_str()), (201, Some("shipped")), "{rest}");
    let (status, done) = send(shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/complete")).json(&json!({"comment": "delivered"}))).await;
    assert_eq!((status, done["status"].as_str()), (200, Some("complete")), "{done}");
    let (_, detail) = send(shop.admin(Method::GET, &format!("/admin/v1/orders/{id}"))).await;
    assert_eq!(detail["shipments"].as_array().map(Vec::len), Some(2), "{detail}");
    let statuses: Vec<&str> = detail["history"].as_array().expect("history").iter().filter_map(|h| h["status"].as_str()).collect();
    assert_eq!(statuses, ["pending", "processing", "shipped", "complete"], "{detail}");
    assert_eq!(salable(&shop, "A").await, 6);
}

/// Fifty checkouts race for ten units, half of them through a second server process (another
/// replica) on the same database.
#[tokio::test]
async fn fifty_checkouts_race_for_ten_units_and_exactly_ten_win() {
    let server = TestServer::start().await;
    let admin = server.tenant("acme").await;
    product(&server, &admin, json!({"sku": "A", "name": "Anvil", "price": "10.00"})).await;
    let (status, _) = send(server.admin(&admin, Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "flat-rate-shipping", "config": {"price": "5.00"}}))).await;
    assert_eq!(status, 201);
    let (status, _) = send(server.admin(&admin, Method::PUT, "/admin/v1/inventory/A").json(&json!({"quantity": 10}))).await;
    assert_eq!(status, 200);
    let mut buyers = Vec::new();
    for i in 0..50 {
        let (company, token) = company(&server, &admin, &format!("c{i}"), &format!("ann@c{i}.example")).await;
        let (status, _) = send(server.admin(&admin, Method::PUT, &format!("/admin/v1/companies/{company}/credit")).json(&json!({"limit": "100.00"}))).await;
        assert_eq!(status, 200);
        let (status, cart) = send(server.store("acme", Method::POST, "/store/v1/cart/items").bearer_auth(&token).json(&json!({"sku": "A", "quantity": 1}))).await;
        assert_eq!(status, 200, "{cart}");
        buyers.push(token);
    }
    let body = checkout_body("flat-rate-shipping:flat-rate", "payment-on-account");
    let replica = TestServer::start_with(Options { database_url: Some(server.database_url.clone()), ..Default::default() }).await;
    let answers = join_all(buyers.iter().enumerate().map(|(i, token)| {
        let via = if i % 2 == 0 { &server } else { &replica };
        send(via.store("acme", Method::POST, "/store/v1/checkout").bearer_auth(token).json(&body))
    }))
    .await;
    let placed = answers.iter().filter(|(status, _)| *status == 201).count();
    let refused: Vec<&str> = answers.iter().filter(|(status, _)| *status != 201).map(|(_, body)| code(body)).collect();
    assert_eq!(placed, 10, "exactly the stock: {answers:?}");
    assert!(refused.iter().all(|c| *c == "out_of_stock"), "the rest are a clean out_of_stock: {refused:?}");
    let (_, stock) = send(server.admin(&admin, Method::GET, "/admin/v1/inventory/A")).await;
    assert_eq!((&stock["salable_quantity"], &stock["reserved"]), (&json!(0), &json!(-10)), "{stock}");
    let (_, ledger) = send(server.admin(&admin, Method::GET, "/admin/v1/inventory/A/reservations")).await;
    let sum: i64 = ledger["reservations"].as_array().expect("reservations").iter().filter_map(|r| r["quantity"].as_i64()).sum();
    assert_eq!(sum, -10, "the ledger balances: {ledger}");
    let (_, orders) = send(server.admin(&admin, Method::GET, "/admin/v1/orders?limit=200")).await;
    assert_eq!(orders["orders"].as_array().map(Vec::len), Some(10), "{orders}");
}

/// Users of one company, each logged in, with `quantity` × `sku` in their carts.
async fn company_buyers(shop: &Shop, count: usize, sku: &str, quantity: i64) -> Vec<String> {
    let (_, roles) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/company/roles")).await;
    let role = roles["items"][0]["id"].as_str().expect("role id").to_owned();
    let mut tokens = Vec::new();
    for i in 0..count {
        let email = format!("buyer{i}@x.example");
        let user = json!({"email": email, "password": "another horse 2", "first_name": "B", "last_name": format!("{i}"), "role_id": role});
        let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/company/users").json(&user)).await;
        assert_eq!(status, 201, "{body}");
        let (status, session) = crate::companies::login(&shop.server, "acme", &email, "another horse 2").await;
        assert_eq!(status, 200, "{session}");
        let token = session["token"].as_str().expect("token").to_owned();
        put_in_cart(shop, &token, sku, quantity).await;
        tokens.push(token);
    }
    tokens
}

#[tokio::test]
async fn concurrent_orders_on_account_never_pass_the_limit() {
    let shop = Shop::open().await;
    free_shipping(&shop).await;
    // 450.00 of credit; each order is 100.00: four fit, the fifth would not.
    set_credit(&shop, &shop.x, json!({"limit": "450.00"})).await;
    let mut buyers = company_buyers(&shop, 11, "A", 1).await;
    // The role of the users may not pay on account yet: the company admin's may.
    let (_, roles) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/company/roles")).await;
    let role = roles["items"][0]["id"].as_str().expect("role id");
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::PATCH, &format!("/store/v1/company/roles/{role}")).json(&json!({"permissions": ["sales.place_order", "sales.payment_account", "sales.view_orders"]}))).await;
    assert_eq!(status, 200, "{body}");
    let exceeding = buyers.split_off(8);
    let body = checkout_body("flat-rate-shipping:flat-rate", "payment-on-account");
    let answers = join_all(buyers.iter().map(|token| checkout(&shop, token, None, &body))).await;
    let placed = answers.iter().filter(|(status, _)| *status == 201).count();
    assert_eq!(placed, 4, "{answers:?}");
    assert!(answers.iter().filter(|(s, _)| *s != 201).all(|(_, b)| code(b) == "insufficient_credit"), "{answers:?}");
    assert_eq!(available(&shop, &shop.x).await, "50.00");
    credit_ledger_balances(&shop, &shop.x).await;

    // With exceeding allowed, orders go beyond the limit, and the ledger still balances.
    set_credit(&shop, &shop.x, json!({"allow_exceed": true})).await;
    let answers = join_all(exceeding.iter().map(|token| checkout(&shop, token, None, &body))).await;
    assert!(answers.iter().all(|(status, _)| *status == 201), "{answers:?}");
    assert_eq!(available(&shop, &shop.x).await, "-250.00");
    credit_ledger_balances(&shop, &shop.x).await;
}

#[tokio::test]
async fn the_same_key_twenty_times_at_once_places_one_order() {
    let shop = Shop::open().await;
    free_shipping(&shop).await;
    set_stock(&shop, "A", json!({"quantity": 100})).await;
    set_credit(&shop, &shop.x, json!({"limit": "10000.00"})).await;
    put_in_cart(&shop, &shop.x_buyer, "A", 2).await;
    let body = checkout_body("flat-rate-shipping:flat-rate", "payment-on-account");
    let answers = join_all((0..20).map(|_| checkout(&shop, &shop.x_buyer, Some("same-key"), &body))).await;
    let ids: std::collections::HashSet<&str> = answers.iter().filter_map(|(status, order)| (*status == 201).then(|| order["id"].as_str()).flatten()).collect();
    assert_eq!(ids.len(), 1, "{answers:?}");
    assert!(answers.iter().all(|(status, _)| *status == 201), "every retry answers the order: {answers:?}");
    assert_eq!(salable(&shop, "A").await, 98);
    assert_eq!(available(&shop, &shop.x).await, "9800.00");
    let (_, orders) = send(shop.admin(Method::GET, "/admin/v1/orders")).await;
    assert_eq!(orders["orders"].as_array().map(Vec::len), Some(1), "{orders}");
}

#[tokio::test]
async fn a_checkout_that_fails_half_way_leaves_nothing_behind() {
    let shop = Shop::open().await;
    free_shipping(&shop).await;
    set_stock(&shop, "A", json!({"quantity": 5})).await;
    set_credit(&shop, &shop.x, json!({"limit": "1000.00"})).await;
    // The merchant's rules for payment on account demand a PO number.
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "payment-on-account", "config": {"require_po_number": true}}))).await;
    assert_eq!(status, 201, "{body}");
    put_in_cart(&shop, &shop.x_buyer, "A", 2).await;
    let body = checkout_body("flat-rate-shipping:flat-rate", "payment-on-account");
    // The plugin declines inside the order's transaction, after stock and credit were taken.
    let (status, refused) = checkout(&shop, &shop.x_buyer, Some("k"), &body).await;
    assert_eq!((status, code(&refused)), (402, "payment_declined"), "{refused}");
    assert_eq!(salable(&shop, "A").await, 5);
    assert_eq!(available(&shop, &shop.x).await, "1000.00");
    let (_, ledger) = send(shop.admin(Method::GET, "/admin/v1/inventory/A/reservations")).await;
    assert_eq!(ledger["reservations"], json!([]), "{ledger}");
    let (_, history) = send(shop.admin(Method::GET, &format!("/admin/v1/companies/{}/credit/history", shop.x))).await;
    assert_eq!(history["entries"].as_array().map(Vec::len), Some(1), "only the allocation: {history}");
    let (_, orders) = send(shop.admin(Method::GET, "/admin/v1/orders")).await;
    assert_eq!(orders["orders"], json!([]), "{orders}");
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(cart["lines"][0]["quantity"], 2, "the cart is kept: {cart}");
    // The key was not used up: the same key with a PO number places the order.
    let mut with_po = body.clone();
    with_po["po_number"] = json!("PO-7");
    let (status, order) = checkout(&shop, &shop.x_buyer, Some("k2"), &with_po).await;
    assert_eq!((status, order["po_number"].as_str()), (201, Some("PO-7")), "{order}");
}

#[tokio::test]
async fn segments_on_order_history_follow_orders_and_cancels() {
    let shop = Shop::open().await;
    free_shipping(&shop).await;
    set_credit(&shop, &shop.x, json!({"limit": "10000.00"})).await;
    let rule = json!({"conditions": [{"field": "order_total", "op": "gte", "value": "250.00"}]});
    let (status, segment) = send(shop.admin(Method::POST, "/admin/v1/segments").json(&json!({"name": "Key accounts", "rule": rule}))).await;
    assert_eq!(status, 201, "{segment}");
    let segment = segment["id"].as_str().expect("id").to_owned();
    let (status, list) = send(shop.admin(Method::POST, "/admin/v1/price-lists").json(&json!({"name": "Key", "segment_ids": [segment], "entries": [{"sku": "B", "price": "40.00"}]}))).await;
    assert_eq!(status, 201, "{list}");
    let price_of_b = || async {
        let (_, page) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/products/B")).await;
        page["price"].as_str().map(|p| p.trim_end_matches('0').trim_end_matches('.').to_owned())
    };
    assert_eq!(price_of_b().await.as_deref(), Some("50"));

    put_in_cart(&shop, &shop.x_buyer, "A", 3).await;
    let (status, order) = checkout(&shop, &shop.x_buyer, None, &checkout_body("flat-rate-shipping:flat-rate", "payment-on-account")).await;
    assert_eq!(status, 201, "{order}");
    let (_, members) = send(shop.admin(Method::GET, &format!("/admin/v1/segments/{segment}/companies"))).await;
    assert!(members.to_string().contains(&shop.x), "X joined with 300.00 ordered: {members}");
    assert_eq!(price_of_b().await.as_deref(), Some("40"), "the segment's price applies at once");

    let id = order["id"].as_str().expect("id");
    let (status, _) = send(shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/cancel"))).await;
    assert_eq!(status, 200);
    let (_, members) = send(shop.admin(Method::GET, &format!("/admin/v1/segments/{segment}/companies"))).await;
    assert!(!members.to_string().contains(&shop.x), "a canceled order no longer counts: {members}");
    assert_eq!(price_of_b().await.as_deref(), Some("50"));
}
