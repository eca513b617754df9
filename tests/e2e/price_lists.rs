//! Price lists end to end: targets (catalog, group, segment, company), tiers, percentages,
//! validity, priority, the plugin step after them, CSV import, and changes visible on the next
//! request.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{code, send};
use crate::pricing::Shop;

async fn unit_price(shop: &Shop, token: &str, sku: &str, quantity: i64) -> (String, Value) {
    let (status, body) = send(shop.buyer(token, Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": sku, "quantity": quantity}]}))).await;
    assert_eq!(status, 200, "{body}");
    (body["lines"][0]["unit_price"].as_str().unwrap_or_default().to_owned(), body["lines"][0]["explanation"].clone())
}

async fn list(shop: &Shop, body: Value) -> String {
    let (status, list) = send(shop.admin(Method::POST, "/admin/v1/price-lists").json(&body)).await;
    assert_eq!(status, 201, "{list}");
    list["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn the_lowest_applicable_price_wins_for_each_audience() {
    let shop = Shop::open().await;
    // X is in a customer group and (by its country) in a segment; Y is in neither.
    let (_, group) = send(shop.admin(Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Wholesale"}))).await;
    let group = group["id"].as_str().expect("id").to_owned();
    let (status, body) = send(shop.admin(Method::PATCH, &format!("/admin/v1/companies/{}", shop.x)).json(&json!({"customer_group_id": group, "address": {"street": "1 Main St", "city": "Berlin", "postcode": "10115", "country": "DE"}}))).await;
    assert_eq!(status, 200, "{body}");
    let (status, segment) = send(shop.admin(Method::POST, "/admin/v1/segments").json(&json!({
        "name": "Germany", "rule": {"match": "all", "conditions": [{"field": "country", "op": "eq", "value": "de"}]}}))).await;
    assert_eq!((status, &segment["company_count"]), (201, &json!(1)), "{segment}");
    let segment = segment["id"].as_str().expect("id").to_owned();
    let (_, members) = send(shop.admin(Method::GET, &format!("/admin/v1/segments/{segment}/companies"))).await;
    assert_eq!(members["company_ids"], json!([shop.x]), "{members}");

    list(&shop, json!({"name": "Group", "customer_group_ids": [group], "entries": [{"sku": "A", "price": "95.00"}]})).await;
    list(&shop, json!({"name": "Segment", "segment_ids": [segment], "entries": [{"sku": "A", "percent_off": "10"}, {"sku": "A", "price": "70.00", "min_quantity": 10}]})).await;
    list(&shop, json!({"name": "Y only", "company_ids": [shop.y], "entries": [{"sku": "B", "price": "45.00"}]})).await;
    list(&shop, json!({"name": "Expired", "shared_catalog_ids": ["public"], "entries": [{"sku": "A", "price": "1.00", "valid_to": "2020-01-01T00:00:00Z"}]})).await;
    list(&shop, json!({"name": "Future", "shared_catalog_ids": ["public"], "entries": [{"sku": "A", "price": "1.00", "valid_from": "2099-01-01T00:00:00Z"}]})).await;

    let (price, explanation) = unit_price(&shop, &shop.x_buyer, "A", 1).await;
    assert_eq!(price, "90.0000", "10% off beats 95.00: {explanation}");
    assert_eq!((&explanation[1]["source"], &explanation[1]["price_list_name"]), (&json!("price_list"), &json!("Segment")), "{explanation}");
    assert_eq!(unit_price(&shop, &shop.x_buyer, "A", 10).await.0, "70.0000", "the tier from 10 units");
    assert_eq!(unit_price(&shop, &shop.y_buyer, "A", 10).await.0, "100.0000", "no list applies to Y for A; expired and future entries do not count");
    assert_eq!(unit_price(&shop, &shop.y_buyer, "B", 1).await.0, "45.0000");
    assert_eq!(unit_price(&shop, &shop.x_buyer, "B", 1).await.0, "50.0000");
    let (_, page) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/products/A")).await;
    assert_eq!(page["tier_prices"], json!([{"min_quantity": 10, "unit_price": "70.0000"}]), "{page}");

    // A company that leaves the segment (its country changes) loses the segment's prices on the
    // next request.
    send(shop.admin(Method::PATCH, &format!("/admin/v1/companies/{}", shop.x)).json(&json!({"address": {"street": "1 Rue", "city": "Lyon", "postcode": "69001", "country": "FR"}}))).await;
    assert_eq!(unit_price(&shop, &shop.x_buyer, "A", 1).await.0, "95.0000");
    // A segment whose rule changes takes it back; no reindex anywhere.
    send(shop.admin(Method::PATCH, &format!("/admin/v1/segments/{segment}")).json(&json!({"rule": {"conditions": [{"field": "country", "op": "in", "value": ["DE", "FR"]}]}}))).await;
    assert_eq!(unit_price(&shop, &shop.x_buyer, "A", 1).await.0, "90.0000");

    // Bad input names what is wrong.
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/price-lists").json(&json!({"name": "Bad", "entries": [{"sku": "A"}, {"sku": "A", "percent_off": "150"}]}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"]["fields"]["entries[0].price"].is_string() && body["error"]["details"]["fields"]["entries[1].percent_off"].is_string(), "{body}");
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/price-lists").json(&json!({"name": "Bad", "entries": [{"sku": "NOPE", "price": "1"}]}))).await;
    assert_eq!((status, code(&body)), (422, "unknown_sku"), "{body}");
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/price-lists").json(&json!({"name": "Bad", "company_ids": ["cmp_nope"]}))).await;
    assert_eq!((status, code(&body)), (422, "unknown_target"), "{body}");
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/segments").json(&json!({"name": "Bad", "rule": {"conditions": [{"field": "shoe", "op": "eq", "value": "9"}]}}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"]["fields"]["rule.conditions[0].field"].is_string(), "{body}");
}

#[tokio::test]
async fn ties_go_to_priority_and_plugins_run_after_price_lists_with_the_buyers_context() {
    let shop = Shop::open().await;
    let (_, segment) = send(shop.admin(Method::POST, "/admin/v1/segments").json(&json!({"name": "Everyone", "rule": {"conditions": []}}))).await;
    let segment = segment["id"].as_str().expect("id").to_owned();
    list(&shop, json!({"name": "Low", "priority": 1, "company_ids": [shop.x], "entries": [{"sku": "A", "price": "80.00"}]})).await;
    list(&shop, json!({"name": "High", "priority": 5, "segment_ids": [segment], "entries": [{"sku": "A", "price": "80.00"}]})).await;
    let (_, explanation) = unit_price(&shop, &shop.x_buyer, "A", 1).await;
    assert_eq!(explanation[1]["price_list_name"], "High", "{explanation}");

    let config = json!({"tiers": [{"min_quantity": 1, "percent_off": "10"}]});
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "tier-pricing", "config": config}))).await;
    assert_eq!(status, 201, "{body}");
    send(shop.admin(Method::PATCH, "/admin/v1/plugins/tier-pricing").json(&json!({"capture": "all"}))).await;
    let (price, explanation) = unit_price(&shop, &shop.x_buyer, "A", 1).await;
    assert_eq!(price, "72.0000", "10% off the contract price: {explanation}");
    let sources: Vec<&str> = explanation.as_array().expect("steps").iter().filter_map(|s| s["source"].as_str()).collect();
    assert_eq!(sources, ["list_price", "price_list", "plugin"]);
    let (_, executions) = send(shop.admin(Method::GET, "/admin/v1/plugins/tier-pricing/executions")).await;
    let path = format!("/admin/v1/plugins/tier-pricing/executions/{}", executions["items"][0]["id"].as_str().expect("id"));
    let (_, captured) = send(shop.admin(Method::GET, &path)).await;
    assert_eq!(captured["input"]["customer"]["company_id"], json!(shop.x), "{captured}");
    assert_eq!(captured["input"]["customer"]["segments"], json!([segment]), "{captured}");
    assert_eq!(captured["input"]["lines"][0]["unit_price"], "80.0000", "the plugin sees the contract price: {captured}");
}

#[tokio::test]
async fn csv_import_is_idempotent_and_reports_bad_rows() {
    let shop = Shop::open().await;
    let id = list(&shop, json!({"name": "Contract", "company_ids": [shop.x]})).await;
    let csv = "sku,price,percent_off,min_quantity\nA,80.00,,1\nA,,25,100\nB,40.00,,\nNOPE,1.00,,\nB,x,,\n";
    let import = |body: &'static str| shop.admin(Method::POST, &format!("/admin/v1/price-lists/{id}/entries/import")).header("content-type", "text/csv").body(body);
    let (status, report) = send(import(csv)).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["created"].as_u64(), report["failed"].as_u64()), (Some(3), Some(2)), "{report}");
    let lines: Vec<u64> = report["errors"].as_array().expect("errors").iter().filter_map(|e| e["line"].as_u64()).collect();
    assert_eq!(lines, [5, 6], "{report}");
    let (_, again) = send(import(csv)).await;
    assert_eq!((again["created"].as_u64(), again["updated"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(0), Some(3)), "{again}");
    assert_eq!(unit_price(&shop, &shop.x_buyer, "A", 100).await.0, "75.0000");
    let (_, entries) = send(shop.admin(Method::GET, &format!("/admin/v1/price-lists/{id}/entries"))).await;
    assert_eq!(entries["items"].as_array().map(Vec::len), Some(3), "{entries}");
    let (status, body) = send(import("price\n1\n")).await;
    assert_eq!((status, code(&body)), (400, "invalid_csv"), "{body}");

    // The CLI imports the same format into the same list.
    let file = std::env::temp_dir().join(format!("prices-{}.csv", std::process::id()));
    std::fs::write(&file, "sku,price\nB,35.00\n").expect("write");
    let (ok, stdout, stderr) = crate::harness::run_cli(&shop.server.database_url, &["import", "prices", "--tenant", "acme", "--list", &id, file.to_str().expect("path")]);
    assert!(ok, "{stdout} {stderr}");
    assert!(stdout.contains("1 updated"), "{stdout}");
    assert_eq!(unit_price(&shop, &shop.x_buyer, "B", 1).await.0, "35.0000");
    let _ = std::fs::remove_file(file);
}
