//! Quick order: one test per outcome code, the CSV format's refusals, and the same checks on
//! single cart lines.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{code, send};
use crate::pricing::{Shop, product};

/// Sends a quick order as X's buyer and answers each line's outcome.
async fn outcomes(shop: &Shop, csv: &str) -> Vec<String> {
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/quick-order").header("content-type", "text/csv").body(csv.to_owned())).await;
    assert_eq!(status, 200, "{body}");
    body["lines"].as_array().expect("lines").iter().map(|l| l["outcome"].as_str().unwrap_or("").to_owned()).collect()
}

async fn cart_quantity(shop: &Shop, sku: &str) -> Option<i64> {
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    cart["lines"].as_array().expect("lines").iter().find(|l| l["sku"] == sku).and_then(|l| l["quantity"].as_i64())
}

#[tokio::test]
async fn added_merges_repeated_skus_in_input_order() {
    let shop = Shop::open().await;
    assert_eq!(outcomes(&shop, "sku,qty\nA,2\nB,1\nA,3\n").await, ["added", "added", "added"]);
    assert_eq!(cart_quantity(&shop, "A").await, Some(5));
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(cart["lines"][0]["sku"], "A", "first added first: {cart}");
    // JSON works the same, quantities as numbers or strings.
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/quick-order").json(&json!({"items": [{"sku": "B", "quantity": "2"}, {"sku": "A", "quantity": 1}]}))).await;
    assert_eq!((status, body["added"].as_u64()), (200, Some(2)), "{body}");
    assert_eq!(cart_quantity(&shop, "B").await, Some(3));
}

#[tokio::test]
async fn failed_sku_for_unknown_and_hidden_alike() {
    let shop = Shop::open().await;
    shop.catalog("X contract", &["A"], &[&shop.x]).await;
    assert_eq!(outcomes(&shop, "sku,qty\nNOPE,1\nB,1\nbad sku,1\n").await, ["failed_sku", "failed_sku", "failed_sku"]);
    assert_eq!(cart_quantity(&shop, "B").await, None);
}

#[tokio::test]
async fn failed_permissions_when_the_catalog_only_shows_the_product() {
    let shop = Shop::open().await;
    let id = shop.catalog("X contract", &["A"], &[&shop.x]).await;
    let (status, body) = send(shop.admin(Method::PUT, &format!("/admin/v1/shared-catalogs/{id}/products")).json(&json!({"skus": ["A", "B"], "browse_only": ["B"]}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(outcomes(&shop, "sku,qty\nB,1\n").await, ["failed_permissions"]);
    let (status, page) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/products/B")).await;
    assert_eq!((status, &page["purchasable"]), (200, &json!(false)), "{page}");
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/cart/items").json(&json!({"sku": "B", "quantity": 1}))).await;
    assert_eq!((status, code(&body)), (403, "not_purchasable"), "{body}");
}

#[tokio::test]
async fn failed_disabled() {
    let shop = Shop::open().await;
    send(shop.admin(Method::PATCH, "/admin/v1/products/B").json(&json!({"status": "inactive"}))).await;
    assert_eq!(outcomes(&shop, "sku,qty\nB,1\nA,1\n").await, ["failed_disabled", "added"]);
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/cart/items").json(&json!({"sku": "B", "quantity": 1}))).await;
    assert_eq!((status, code(&body)), (409, "product_disabled"), "{body}");
}

#[tokio::test]
async fn failed_qty_invalid() {
    let shop = Shop::open().await;
    assert_eq!(outcomes(&shop, "sku,qty\nA,0\nA,-2\nA,1.5\nA,lots\nA,\n").await, vec!["failed_qty_invalid"; 5]);
    assert_eq!(cart_quantity(&shop, "A").await, None);
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/cart/items").json(&json!({"sku": "A", "quantity": 0}))).await;
    assert_eq!((status, code(&body)), (422, "quantity_invalid"), "{body}");
}

#[tokio::test]
async fn failed_qty_increment() {
    let shop = Shop::open().await;
    product(&shop.server, &shop.admin, json!({"sku": "NUT", "name": "Nut", "price": "0.10", "quantity_increment": 50})).await;
    assert_eq!(outcomes(&shop, "sku,qty\nNUT,75\nNUT,100\nNUT,25\n").await, ["failed_qty_increment", "added", "failed_qty_increment"]);
    assert_eq!(cart_quantity(&shop, "NUT").await, Some(100));
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::PATCH, "/store/v1/cart/items/NUT").json(&json!({"quantity": 120}))).await;
    assert_eq!((status, code(&body)), (422, "quantity_increment"), "{body}");
}

#[tokio::test]
async fn failed_qty_range_counts_what_the_cart_holds() {
    let shop = Shop::open().await;
    product(&shop.server, &shop.admin, json!({"sku": "BOX", "name": "Box", "price": "5.00", "min_sale_quantity": 10, "max_sale_quantity": 30})).await;
    assert_eq!(outcomes(&shop, "sku,qty\nBOX,5\nBOX,20\nBOX,15\nBOX,10\n").await, ["failed_qty_range", "added", "failed_qty_range", "added"]);
    assert_eq!(cart_quantity(&shop, "BOX").await, Some(30));
    let (status, page) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/products/BOX")).await;
    assert_eq!((status, &page["min_sale_quantity"], &page["max_sale_quantity"]), (200, &json!(10), &json!(30)), "{page}");
}

#[tokio::test]
async fn failed_out_of_stock() {
    let shop = Shop::open().await;
    let (status, _) = send(shop.admin(Method::PUT, "/admin/v1/inventory/A").json(&json!({"quantity": 3}))).await;
    assert_eq!(status, 200);
    assert_eq!(outcomes(&shop, "sku,qty\nA,2\nA,2\nA,1\nB,1000\n").await, ["added", "failed_out_of_stock", "added", "added"]);
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(cart["lines"][0]["problem"], serde_json::Value::Null, "{cart}");
    // The cart itself keeps more than is in stock, flagged: stock is promised at checkout.
    let (status, cart) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/cart/items").json(&json!({"sku": "A", "quantity": 1}))).await;
    assert_eq!((status, &cart["lines"][0]["quantity"], &cart["lines"][0]["problem"]), (200, &json!(4), &json!("out_of_stock")), "{cart}");
    // So is stock that drops after the fact.
    send(shop.buyer(&shop.x_buyer, Method::PATCH, "/store/v1/cart/items/A").json(&json!({"quantity": 3}))).await;
    send(shop.admin(Method::PUT, "/admin/v1/inventory/A").json(&json!({"quantity": 1}))).await;
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(cart["lines"][0]["problem"], "out_of_stock", "{cart}");
}

#[tokio::test]
async fn malformed_csv_is_refused_whole_naming_the_line() {
    let shop = Shop::open().await;
    for (csv, line) in [("", 1), ("A,1\nB,2\n", 1), ("sku,qty\nA,1\nB\n", 3), ("sku,qty\nA,1\nB,1,1\n", 3)] {
        let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/quick-order").header("content-type", "text/csv").body(csv)).await;
        assert_eq!((status, code(&body), &body["error"]["details"]["line"]), (400, "invalid_csv", &json!(line)), "{csv:?}: {body}");
    }
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/quick-order").header("content-type", "text/csv").body(b"sku,qty\nA,1\n\xff,1\n".to_vec())).await;
    assert_eq!((status, &body["error"]["details"]["line"]), (400, &json!(3)), "{body}");
    assert_eq!(cart_quantity(&shop, "A").await, None, "nothing was added from a refused file");
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/quick-order").header("content-type", "application/xml").body("<a/>")).await;
    assert_eq!((status, code(&body)), (415, "unsupported_media_type"), "{body}");
    let (status, _) = send(shop.guest(Method::POST, "/store/v1/quick-order").header("content-type", "text/csv").body("sku,qty\nA,1\n")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn ten_thousand_lines_are_taken() {
    let shop = Shop::open().await;
    let mut csv = String::from("sku,qty\n");
    for i in 0..10_000 {
        csv += if i % 2 == 0 { "A,1\n" } else { "NOPE,1\n" };
    }
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/quick-order").header("content-type", "text/csv").body(csv.clone())).await;
    assert_eq!((status, body["added"].as_u64(), body["failed"].as_u64()), (200, Some(5_000), Some(5_000)));
    assert_eq!(cart_quantity(&shop, "A").await, Some(5_000));
    csv += "A,1\n";
    let (status, body): (u16, Value) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/quick-order").header("content-type", "text/csv").body(csv)).await;
    assert_eq!((status, code(&body)), (400, "invalid_csv"), "{body}");
}
