//! Sources (warehouses), end to end: what each holds of a SKU and the salable sum over the
//! enabled ones, a checkout, a shipment split across sources by priority, a disabled source
//! dropping out of the salable quantity, the SKU's one quantity refused once several sources
//! hold it, stock imports naming sources, and the books still balancing.

use reqwest::Method;
use serde_json::{Value, json};

use crate::checkout::{checkout, checkout_body, free_shipping, put_in_cart, salable, set_credit, set_stock};
use crate::harness::{code, run_cli, send};
use crate::pricing::Shop;

async fn stock(shop: &Shop, sku: &str) -> Value {
    let (status, stock) = send(shop.admin(Method::GET, &format!("/admin/v1/inventory/{sku}"))).await;
    assert_eq!(status, 200, "{stock}");
    stock
}

/// (code, quantity, enabled) of each source holding `sku`, in priority order.
async fn held(shop: &Shop, sku: &str) -> Vec<(String, i64, bool)> {
    let stock = stock(shop, sku).await;
    let sources = stock["sources"].as_array().unwrap_or_else(|| panic!("sources: {stock}"));
    sources.iter().map(|s| (s["code"].as_str().unwrap_or("").to_owned(), s["quantity"].as_i64().unwrap_or(-1), s["enabled"] == true)).collect()
}

fn sources(list: &[(&str, i64, bool)]) -> Vec<(String, i64, bool)> {
    list.iter().map(|(c, q, e)| ((*c).to_owned(), *q, *e)).collect()
}

async fn set_held(shop: &Shop, sku: &str, source: &str, quantity: i64) -> Value {
    let (status, stock) = send(shop.admin(Method::PUT, &format!("/admin/v1/inventory/{sku}/sources/{source}")).json(&json!({"quantity": quantity}))).await;
    assert_eq!(status, 200, "{stock}");
    stock
}

async fn patch_source(shop: &Shop, source: &str, body: Value) -> (u16, Value) {
    send(shop.admin(Method::PATCH, &format!("/admin/v1/inventory/sources/{source}")).json(&body)).await
}

#[tokio::test]
async fn stock_in_two_warehouses_from_checkout_to_shipment() {
    let shop = Shop::open().await;
    free_shipping(&shop).await;
    let (status, list) = send(shop.admin(Method::GET, "/admin/v1/inventory/sources")).await;
    assert_eq!((status, &list["items"][0]["code"], list["items"].as_array().map(Vec::len)), (200, &json!("default"), Some(1)), "{list}");

    // Two warehouses besides the default one, which comes last.
    let create = |body: Value| send(shop.admin(Method::POST, "/admin/v1/inventory/sources").json(&body));
    let (status, berlin) = create(json!({"code": "berlin", "name": "Berlin", "priority": 1, "country": "de", "region": "BE", "postcode": "10115"})).await;
    assert_eq!((status, &berlin["country"], &berlin["enabled"]), (201, &json!("DE"), &json!(true)), "{berlin}");
    let (status, _) = create(json!({"code": "hamburg", "name": "Hamburg", "priority": 2})).await;
    assert_eq!(status, 201);
    let (status, refused) = create(json!({"code": "berlin", "name": "Again"})).await;
    assert_eq!((status, code(&refused)), (409, "already_exists"), "{refused}");
    let (status, refused) = create(json!({"code": "Bad Code", "name": "", "priority": -1})).await;
    let fields = refused["error"]["details"]["fields"].as_object().map(|f| f.keys().cloned().collect::<Vec<_>>());
    assert_eq!((status, fields), (422, Some(vec!["code".to_owned(), "name".to_owned(), "priority".to_owned()])), "{refused}");
    let (status, _) = patch_source(&shop, "default", json!({"priority": 10})).await;
    assert_eq!(status, 200);
    let (status, refused) = patch_source(&shop, "default", json!({"enabled": false})).await;
    assert_eq!((status, code(&refused)), (409, "default_source"), "{refused}");
    let (status, missing) = send(shop.admin(Method::GET, "/admin/v1/inventory/sources/rome")).await;
    assert_eq!((status, code(&missing)), (404, "source_not_found"), "{missing}");

    // A single-warehouse SKU keeps its one quantity; per source, the quantity is their sum.
    set_stock(&shop, "A", json!({"quantity": 4})).await;
    set_held(&shop, "A", "berlin", 3).await;
    let a = set_held(&shop, "A", "hamburg", 5).await;
    assert_eq!((&a["quantity"], &a["salable_quantity"]), (&json!(12), &json!(12)), "{a}");
    assert_eq!(held(&shop, "A").await, sources(&[("berlin", 3, true), ("hamburg", 5, true), ("default", 4, true)]));
    let (status, refused) = send(shop.admin(Method::PUT, "/admin/v1/inventory/A").json(&json!({"quantity": 9}))).await;
    assert_eq!((status, code(&refused)), (409, "multiple_sources"), "{refused}");
    assert!(refused["error"]["message"].as_str().is_some_and(|m| m.contains("/admin/v1/inventory/A/sources/")), "{refused}");
    let a = set_stock(&shop, "A", json!({"notify_quantity": 1})).await;
    assert_eq!((&a["quantity"], &a["notify_quantity"]), (&json!(12), &json!(1)), "settings still change: {a}");
    let (status, refused) = send(shop.admin(Method::PUT, "/admin/v1/inventory/A/sources/rome").json(&json!({"quantity": 1}))).await;
    assert_eq!((status, code(&refused)), (404, "source_not_found"), "{refused}");

    // A checkout reserves against the sum.
    set_credit(&shop, &shop.x, json!({"limit": "5000.00"})).await;
    put_in_cart(&shop, &shop.x_buyer, "A", 6).await;
    let (status, order) = checkout(&shop, &shop.x_buyer, None, &checkout_body("flat-rate-shipping:flat-rate", "payment-on-account")).await;
    assert_eq!(status, 201, "{order}");
    let id = order["id"].as_str().expect("id").to_owned();
    assert_eq!(salable(&shop, "A").await, 6);

    // The shipment takes from Berlin first, the rest from Hamburg; the default source last.
    let ship = |body: Value| send(shop.admin(Method::POST, &format!("/admin/v1/orders/{id}/shipments")).json(&body));
    let (status, refused) = ship(json!({"carrier": "UPS", "source": "rome"})).await;
    assert_eq!((status, code(&refused)), (422, "unknown_source"), "{refused}");
    let (status, refused) = ship(json!({"carrier": "UPS", "source": "berlin"})).await;
    assert_eq!((status, code(&refused)), (409, "insufficient_stock"), "Berlin holds 3 of 6: {refused}");
    let (status, shipped) = ship(json!({"carrier": "UPS"})).await;
    assert_eq!(status, 201, "{shipped}");
    assert_eq!(
        shipped["shipment"]["sources"],
        json!([{"sku": "A", "source": "berlin", "quantity": 3}, {"sku": "A", "source": "hamburg", "quantity": 3}]),
        "{shipped}"
    );
    assert_eq!(held(&shop, "A").await, sources(&[("berlin", 0, true), ("hamburg", 2, true), ("default", 4, true)]));
    let a = stock(&shop, "A").await;
    assert_eq!((&a["quantity"], &a["reserved"], &a["salable_quantity"]), (&json!(6), &json!(0), &json!(6)), "{a}");
    let (_, detail) = send(shop.admin(Method::GET, &format!("/admin/v1/orders/{id}"))).await;
    assert_eq!(detail["shipments"][0]["sources"], shipped["shipment"]["sources"], "{detail}");
    let (status, mine) = send(shop.buyer(&shop.x_buyer, Method::GET, &format!("/store/v1/orders/{id}"))).await;
    assert_eq!(status, 200, "{mine}");
    assert!(mine["shipments"][0].get("sources").is_none() && mine["shipments"][0]["lines"].is_array(), "warehouses are the merchant's: {mine}");

    // Disabled, Hamburg's units are not salable any more, and it cannot go while it holds them.
    let (status, hamburg) = patch_source(&shop, "hamburg", json!({"enabled": false, "name": "Hamburg (closed)"})).await;
    assert_eq!((status, &hamburg["enabled"], &hamburg["name"]), (200, &json!(false), &json!("Hamburg (closed)")), "{hamburg}");
    assert_eq!(salable(&shop, "A").await, 4);
    assert_eq!(held(&shop, "A").await, sources(&[("berlin", 0, true), ("hamburg", 2, false), ("default", 4, true)]));
    for (source, refusal) in [("hamburg", "source_not_empty"), ("default", "default_source")] {
        let (status, refused) = send(shop.admin(Method::DELETE, &format!("/admin/v1/inventory/sources/{source}"))).await;
        assert_eq!((status, code(&refused)), (409, refusal), "{refused}");
    }

    // Stock imports name the source of each row (Magento's source items); without one, the
    // default source, refused for a SKU other sources hold.
    let post = |csv: &str| send(shop.admin(Method::POST, "/admin/v1/inventory/import").header("content-type", "text/csv").body(csv.to_owned()));
    let (status, report) = post("source_code,sku,quantity\nberlin,A,7\ndefault,B,2\nparis,A,1\nberlin,Z,1\n").await;
    assert_eq!((status, &report["updated"], &report["failed"]), (200, &json!(2), &json!(2)), "{report}");
    let errors: Vec<(u64, &str)> = report["errors"].as_array().expect("errors").iter().map(|e| (e["line"].as_u64().unwrap_or(0), e["field"].as_str().unwrap_or(""))).collect();
    assert_eq!(errors, [(4, "source_code"), (5, "sku")], "{report}");
    assert_eq!(salable(&shop, "A").await, 11);
    assert_eq!(held(&shop, "B").await, sources(&[("default", 2, true)]));
    let (status, report) = post("sku,quantity\nA,1\nB,6\n").await;
    assert_eq!((status, &report["updated"], &report["errors"][0]["field"]), (200, &json!(1), &json!("quantity")), "{report}");
    let dir = std::env::temp_dir().join(format!("hanse-sources-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("source-items.csv");
    std::fs::write(&file, "source_code,sku,quantity\nhamburg,A,0\n").expect("write csv");
    let (ok, stdout, stderr) = run_cli(&shop.server.database_url, &["import", "stock", "--tenant", "acme", file.to_str().expect("path")]);
    assert!(ok && stdout.contains("1 updated"), "{stdout} {stderr}");
    let (status, _) = send(shop.admin(Method::DELETE, "/admin/v1/inventory/sources/hamburg")).await;
    assert_eq!(status, 204, "empty, it can go");
    assert_eq!(held(&shop, "A").await, sources(&[("berlin", 7, true), ("default", 4, true)]));

    let (_, spec) = send(shop.server.request(Method::GET, "/openapi.json")).await;
    for path in ["/admin/v1/inventory/sources", "/admin/v1/inventory/sources/{code}", "/admin/v1/inventory/{sku}/sources/{code}"] {
        assert!(spec["paths"][path].is_object(), "{path} in /openapi.json");
    }
    let (ok, stdout, stderr) = run_cli(&shop.server.database_url, &["inventory", "check"]);
    assert!(ok && stdout.starts_with("ok:"), "{stdout} {stderr}");
}

/// A SKU spelled like a fixed segment of the inventory routes (`sources`, `import`) is reached
/// by percent-encoding one of its characters: the router matches the path as sent, the SKU is
/// read decoded.
#[tokio::test]
async fn a_sku_named_like_a_route_is_reached_percent_encoded() {
    let shop = Shop::open().await;
    for sku in ["sources", "import"] {
        let (status, body) = send(shop.admin(Method::POST, "/admin/v1/products").json(&json!({"sku": sku, "name": sku, "price": "1.00"}))).await;
        assert_eq!(status, 201, "{body}");
        let encoded = format!("%{:02X}{}", sku.as_bytes()[0], &sku[1..]);
        let (status, stock) = send(shop.admin(Method::PUT, &format!("/admin/v1/inventory/{encoded}")).json(&json!({"quantity": 4}))).await;
        assert_eq!((status, &stock["sku"], &stock["salable_quantity"]), (200, &json!(sku), &json!(4)), "{stock}");
        let (status, stock) = send(shop.admin(Method::GET, &format!("/admin/v1/inventory/{encoded}"))).await;
        assert_eq!((status, &stock["quantity"]), (200, &json!(4)), "{stock}");
    }
    // The fixed routes answer as before.
    let (status, list) = send(shop.admin(Method::GET, "/admin/v1/inventory/sources")).await;
    assert_eq!((status, &list["items"][0]["code"]), (200, &json!("default")), "{list}");
}
