//! Refunds, end to end: credit memos on an order paid on account give back exactly their total
//! to the credit, the reservations of units not shipped and, when asked, shipped units to stock
//! on hand; the last one closes the order, and one that asks too much changes nothing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::checkout::{available, checkout, checkout_body, credit_ledger_balances, put_in_cart, salable, set_credit, set_stock};
use crate::harness::{code, run_cli, send};
use crate::pricing::Shop;

async fn stock(shop: &Shop, sku: &str) -> (Value, Value) {
    let (status, stock) = send(shop.admin(Method::GET, &format!("/admin/v1/inventory/{sku}"))).await;
    assert_eq!(status, 200, "{stock}");
    (stock["quantity"].clone(), stock["salable_quantity"].clone())
}

#[tokio::test]
async fn refunds_give_back_credit_and_stock_and_close_the_order() {
    let shop = Shop::open().await;
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "flat-rate-shipping", "config": {"price": "5.00", "per": "order"}}))).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = send(shop.admin(Method::PUT, "/admin/v1/tax-rates").json(&json!({"rates": [{"country": "US", "percent": "10"}]}))).await;
    assert_eq!(status, 200, "{body}");
    set_stock(&shop, "A", json!({"quantity": 10})).await;
    set_stock(&shop, "B", json!({"quantity": 10})).await;
    set_credit(&shop, &shop.x, json!({"limit": "1000.00"})).await;

    // 3 × A at 100.00 and 2 × B at 50.00, 5.00 shipping, 10% tax on the goods: 445.00.
    put_in_cart(&shop, &shop.x_buyer, "A", 3).await;
    put_in_cart(&shop, &shop.x_buyer, "B", 2).await;
    let (status, order) = checkout(&shop, &shop.x_buyer, None, &checkout_body("flat-rate-shipping:flat-rate", "payment-on-account")).await;
    assert_eq!((status, order["grand_total"].as_str(), order["tax"].as_str()), (201, Some("445.00"), Some("40.00")), "{order}");
    assert_eq!(order["refunded"], "0.00", "{order}");
    let id = order["id"].as_str().expect("id").to_owned();
    let refunds = format!("/admin/v1/orders/{id}/refunds");
    assert_eq!(available(&shop, &shop.x).await, "555.00");
    assert_eq!(salable(&shop, "A").await, 7);

    // One A, not shipped yet: 100.00 and its 10.00 of tax back to the credit, the unit salable.
    let (status, refunded) = send(shop.admin(Method::POST, &refunds).json(&json!({"lines": [{"sku": "A", "quantity": 1}], "comment": "wrong size"}))).await;
    assert_eq!(status, 201, "{refunded}");
    let memo = &refunded["credit_memo"];
    assert_eq!((memo["subtotal"].as_str(), memo["tax"].as_str(), memo["shipping"].as_str(), memo["total"].as_str()), (Some("100.00"), Some("10.00"), Some("0.00"), Some("110.00")), "{memo}");
    assert_eq!((memo["settlement"].as_str(), &memo["lines"][0]["unshipped"]), (Some("credit"), &json!(1)), "{memo}");
    assert_eq!((refunded["order"]["status"].as_str(), refunded["order"]["refunded"].as_str()), (Some("pending"), Some("110.00")), "{refunded}");
    assert_eq!(available(&shop, &shop.x).await, "665.00", "up by exactly the memo's total");
    assert_eq!(salable(&shop, "A").await, 8);

    // The buyer sees what was refunded.
    let (status, mine) = send(shop.buyer(&shop.x_buyer, Method::GET, &format!("/store/v1/orders/{id}"))).await;
    assert_eq!((status, mine["refunded"].as_str(), &mine["lines"][0]["quantity_refunded"]), (200, Some("110.00"), &json!(1)), "{mine}");

    // Asking too much, or nonsense, is refused and changes nothing.
    let before = send(shop.admin(Method::GET, &format!("/admin/v1/orders/{id}"))).await.1;
    let (status, refused) = send(shop.admin(Method::POST, &refunds).json(&json!({"lines": [{"sku": "A", "quantity": 3}]}))).await;
    assert_eq!((status, code(&refused)), (422, "refund_exceeds_order"), "{refused}");
    let (status, refused) = send(shop.admin(Method::POST, &refunds).json(&json!({"adjustment": "0.01"}))).await;
    assert_eq!((status, code(&refused)), (422, "refund_exceeds_order"), "everything left plus a cent: {refused}");
    let (status, refused) = send(shop.admin(Method::POST, &refunds).json(&json!({"shipping": "5.001", "adjustment": "ten", "lines": [{"sku": "B", "quantity": 0}]}))).await;
    assert_eq!((status, code(&refused)), (422, "validation_failed"), "{refused}");
    let fields = refused["error"]["details"]["fields"].as_object().expect("fields");
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["adjustment", "lines[0].quantity", "shipping"], "{refused}");
    let (status, refused) = send(shop.admin(Method::POST, &refunds).json(&json!({"lines": [{"sku": "Z", "quantity": 1}]}))).await;
    assert_eq!((status, code(&refused)), (422, "unknown_sku"), "{refused}");
    assert_eq!(send(shop.admin(Method::GET, &format!("/admin/v1/orders/{id}"))).await.1, before);
    assert_eq!(available(&shop, &shop.x).await, "665.00");
    assert_eq!(salable(&shop, "A").await, 8);

    // The rest ships; refunded with "return to stock", it goes back on the shelf.
    let (status, shipped) = send(shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/shipments")).json(&json!({"carrier": "UPS"}))).await;
    assert_eq!((status, shipped["order"]["status"].as_str()), (201, Some("shipped")), "{shipped}");
    assert_eq!((stock(&shop, "A").await, stock(&shop, "B").await), ((json!(8), json!(8)), (json!(8), json!(8))));
    let (status, refunded) = send(shop.admin(Method::POST, &refunds).json(&json!({"return_to_stock": true}))).await;
    assert_eq!(status, 201, "{refunded}");
    let memo = &refunded["credit_memo"];
    assert_eq!((memo["subtotal"].as_str(), memo["tax"].as_str(), memo["shipping"].as_str(), memo["total"].as_str()), (Some("300.00"), Some("30.00"), Some("5.00"), Some("335.00")), "{memo}");
    let restocked: Vec<(&str, &Value)> = memo["lines"].as_array().expect("lines").iter().map(|l| (l["sku"].as_str().unwrap_or(""), &l["restocked"])).collect();
    assert_eq!(restocked, [("A", &json!(2)), ("B", &json!(2))], "{memo}");
    let order = &refunded["order"];
    assert_eq!((order["status"].as_str(), order["refunded"].as_str(), order["shipping_refunded"].as_str()), (Some("closed"), Some("445.00"), Some("5.00")), "{order}");
    assert_eq!((stock(&shop, "A").await, stock(&shop, "B").await), ((json!(10), json!(10)), (json!(10), json!(10))));
    assert_eq!(available(&shop, &shop.x).await, "1000.00");
    let (status, refused) = send(shop.admin(Method::POST, &refunds).json(&json!({"adjustment": "1.00"}))).await;
    assert_eq!((status, code(&refused)), (409, "order_not_refundable"), "{refused}");

    let (status, memos) = send(shop.admin(Method::GET, &refunds)).await;
    let totals: Vec<&str> = memos["credit_memos"].as_array().expect("memos").iter().filter_map(|m| m["total"].as_str()).collect();
    assert_eq!((status, totals), (200, vec!["110.00", "335.00"]), "{memos}");
    // The buyer sees the same memos; another company's buyer does not see the order at all.
    let (status, mine) = send(shop.buyer(&shop.x_buyer, Method::GET, &format!("/store/v1/orders/{id}/refunds"))).await;
    assert_eq!((status, &mine), (200, &memos), "{mine}");
    let (status, theirs) = send(shop.buyer(&shop.y_buyer, Method::GET, &format!("/store/v1/orders/{id}/refunds"))).await;
    assert_eq!((status, code(&theirs)), (404, "order_not_found"), "{theirs}");
    let (_, history) = send(shop.admin(Method::GET, &format!("/admin/v1/companies/{}/credit/history", shop.x))).await;
    let operations: Vec<(&str, &str)> =
        history["entries"].as_array().expect("entries").iter().map(|e| (e["operation"].as_str().unwrap_or(""), e["amount"].as_str().unwrap_or(""))).collect();
    assert_eq!(operations, [("refunded", "335.00"), ("refunded", "110.00"), ("purchased", "-445.00"), ("allocated", "0.00")], "{history}");
    credit_ledger_balances(&shop, &shop.x).await;
    let (status, other) = send(shop.server.admin(&shop.server.tenant("other").await, Method::GET, &refunds)).await;
    assert_eq!((status, code(&other)), (404, "order_not_found"), "another tenant's order does not exist: {other}");

    let (_, spec) = send(shop.server.request(Method::GET, "/openapi.json")).await;
    let path = &spec["paths"]["/admin/v1/orders/{id}/refunds"];
    assert!(path["post"].is_object() && path["get"].is_object(), "refunds in /openapi.json: {path}");
    assert!(spec["paths"]["/store/v1/orders/{id}/refunds"]["get"].is_object(), "the buyer's refunds in /openapi.json");

    for check in [["inventory", "check"], ["credit", "check"]] {
        let (ok, stdout, stderr) = run_cli(&shop.server.database_url, &check);
        assert!(ok && stdout.starts_with("ok:"), "{check:?}: {stdout} {stderr}");
    }
}
