//! The merchant builds a catalog; a buyer browses it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{TestServer, code, send};

fn skus(list: &Value) -> Vec<String> {
    list["items"].as_array().expect("items").iter().map(|p| p["sku"].as_str().unwrap_or("").to_owned()).collect()
}

#[tokio::test]
async fn merchant_builds_a_catalog_and_buyers_browse_it() {
    let server = TestServer::start().await;
    let admin = server.tenant("acme").await;
    let post = |path: &str, body: Value| server.admin(&admin, Method::POST, path).json(&body);

    // Categories as a tree.
    let (status, fasteners) = send(post("/admin/v1/categories", json!({"name": "Fasteners"}))).await;
    assert_eq!(status, 201, "{fasteners}");
    let fasteners = fasteners["id"].as_str().expect("id").to_owned();
    let (_, bolts) = send(post("/admin/v1/categories", json!({"name": "Bolts", "parent_id": fasteners}))).await;
    let bolts = bolts["id"].as_str().expect("id").to_owned();
    let (_, tools) = send(post("/admin/v1/categories", json!({"name": "Tools", "position": 5}))).await;
    let tools = tools["id"].as_str().expect("id").to_owned();
    let (status, body) = send(post("/admin/v1/categories", json!({"name": "Bolts", "parent_id": fasteners}))).await;
    assert_eq!((status, code(&body)), (409, "already_exists"));
    let (status, body) = send(post("/admin/v1/categories", json!({"name": "A/B"}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    let (status, body) = send(post("/admin/v1/categories", json!({"name": "X", "parent_id": "cat_nope"}))).await;
    assert_eq!((status, code(&body)), (409, "unknown_parent"));

    let (_, tree) = send(server.admin(&admin, Method::GET, "/admin/v1/categories")).await;
    assert_eq!(tree["items"][0]["name"], "Fasteners");
    assert_eq!(tree["items"][0]["children"][0]["name"], "Bolts");
    assert_eq!(tree["items"][0]["children"][0]["path"], json!([fasteners, bolts]));
    assert_eq!(tree["items"][1]["name"], "Tools");

    // Products with every field.
    let full = json!({
        "sku": "BOLT-M8", "name": "Hex bolt M8", "description": "DIN 933", "price": "0.1250",
        "weight": "0.0150", "attributes": {"material": "steel"}, "categories": [bolts], "quantity": 500
    });
    let (status, bolt) = send(post("/admin/v1/products", full)).await;
    assert_eq!(status, 201, "{bolt}");
    assert_eq!(bolt["weight"], "0.0150");
    assert_eq!(bolt["attributes"]["material"], "steel");
    assert_eq!(bolt["categories"], json!([bolts]));
    assert_eq!(bolt["quantity"], 500);
    assert_eq!(bolt["status"], "active");
    for (sku, name, price, category) in [
        ("BOLT-M10", "Hex bolt M10", "0.2", &bolts),
        ("NUT-M8", "Hex nut M8", "0.03", &fasteners),
        ("DRILL-18V", "Cordless drill", "129", &tools),
    ] {
        let (status, body) =
            send(post("/admin/v1/products", json!({"sku": sku, "name": name, "price": price, "categories": [category]}))).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = send(post("/admin/v1/products", json!({"sku": "BOLT-M8", "name": "again", "price": "1"}))).await;
    assert_eq!((status, code(&body)), (409, "already_exists"));
    let (status, body) = send(post("/admin/v1/products", json!({"name": "no sku", "price": "1"}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    assert!(body["error"]["details"]["fields"]["sku"].is_string(), "{body}");

    // PATCH changes only what it names; null clears the weight; the category filter follows.
    let (status, patched) = send(
        server
            .admin(&admin, Method::PATCH, "/admin/v1/products/BOLT-M8")
            .json(&json!({"price": "0.13", "weight": null, "categories": [tools]})),
    )
    .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["price"], "0.1300");
    assert_eq!(patched["weight"], Value::Null);
    assert_eq!(patched["description"], "DIN 933");
    assert_eq!(patched["quantity"], 500);
    assert_eq!(patched["categories"], json!([tools]));
    let (status, body) =
        send(server.admin(&admin, Method::PATCH, "/admin/v1/products/BOLT-M8").json(&json!({"price": 0.13}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "a JSON number is refused as money");
    assert!(body["error"]["details"]["fields"]["price"].as_str().unwrap_or("").contains("decimal string"), "{body}");

    // PUT is create-or-replace and idempotent.
    let replacement = json!({"name": "Hex bolt M8 (new)", "price": "0.1250", "status": "inactive"});
    let (status, _) = send(server.admin(&admin, Method::PUT, "/admin/v1/products/BOLT-M8").json(&replacement)).await;
    assert_eq!(status, 200);
    let (status, again) = send(server.admin(&admin, Method::PUT, "/admin/v1/products/BOLT-M8").json(&replacement)).await;
    assert_eq!(status, 200);
    assert_eq!(again["status"], "inactive");
    assert_eq!(again["categories"], json!([tools]), "PUT without categories keeps them");
    let (status, body) = send(
        server.admin(&admin, Method::PUT, "/admin/v1/products/OTHER").json(&json!({"sku": "MISMATCH", "name": "x", "price": "1"})),
    )
    .await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));

    // Admin listing with filters and pages.
    let list = |query: &str| server.admin(&admin, Method::GET, &format!("/admin/v1/products{query}"));
    let (_, all) = send(list("")).await;
    assert_eq!(skus(&all), ["BOLT-M10", "BOLT-M8", "DRILL-18V", "NUT-M8"]);
    let (_, prefixed) = send(list("?sku_prefix=BOLT")).await;
    assert_eq!(skus(&prefixed), ["BOLT-M10", "BOLT-M8"]);
    let (_, in_fasteners) = send(list(&format!("?category={fasteners}"))).await;
    assert_eq!(skus(&in_fasteners), ["BOLT-M10", "NUT-M8"], "a category includes its subcategories");
    let (_, inactive) = send(list("?status=inactive")).await;
    assert_eq!(skus(&inactive), ["BOLT-M8"]);
    let (_, searched) = send(list("?q=hex")).await;
    assert_eq!(skus(&searched), ["BOLT-M10", "BOLT-M8", "NUT-M8"]);
    let (_, recent) = send(list("?updated_since=2999-01-01T00:00:00Z")).await;
    assert_eq!(skus(&recent), Vec::<String>::new());
    let (status, body) = send(list("?updated_since=yesterday")).await;
    assert_eq!((status, code(&body)), (400, "invalid_query"));
    let (status, body) = send(list("?limit=0")).await;
    assert_eq!((status, code(&body)), (400, "invalid_query"));
    let (status, body) = send(list("?colour=red")).await;
    assert_eq!((status, code(&body)), (400, "invalid_query"), "unknown query parameters are refused");
    let (_, page1) = send(list("?limit=3")).await;
    assert_eq!(skus(&page1).len(), 3);
    let cursor = page1["next_cursor"].as_str().expect("next_cursor").to_owned();
    let (_, page2) = send(list(&format!("?limit=3&cursor={cursor}"))).await;
    assert_eq!(skus(&page2), ["NUT-M8"]);
    assert_eq!(page2["next_cursor"], Value::Null);

    // The storefront: active products only, with the currency; search and category filter.
    let store = |path: &str| server.store("acme", Method::GET, path);
    let (_, shown) = send(store("/store/v1/products")).await;
    assert_eq!(skus(&shown), ["BOLT-M10", "DRILL-18V", "NUT-M8"]);
    assert_eq!(shown["items"][0]["currency"], "USD");
    assert_eq!(shown["items"][0]["price"], "0.2000");
    assert!(shown["items"][0].get("quantity").is_none(), "buyers do not see stock counts");
    let (status, body) = send(store("/store/v1/products/BOLT-M8")).await;
    assert_eq!((status, code(&body)), (404, "product_not_found"), "inactive products are hidden");
    let (_, found) = send(store("/store/v1/products?q=DRILL")).await;
    assert_eq!(skus(&found), ["DRILL-18V"]);
    let (_, in_bolts) = send(store(&format!("/store/v1/products?category={bolts}"))).await;
    assert_eq!(skus(&in_bolts), ["BOLT-M10"]);
    let (_, store_tree) = send(store("/store/v1/categories")).await;
    assert_eq!(store_tree["items"].as_array().map(Vec::len), Some(2));

    // Stock per SKU.
    let (status, stock) =
        send(server.admin(&admin, Method::PUT, "/admin/v1/inventory/DRILL-18V").json(&json!({"quantity": 7}))).await;
    assert_eq!((status, stock["quantity"].clone()), (200, json!(7)));
    let (status, body) =
        send(server.admin(&admin, Method::PUT, "/admin/v1/inventory/DRILL-18V").json(&json!({"quantity": -1}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    let (_, drill) = send(store("/store/v1/products/DRILL-18V")).await;
    assert_eq!(drill["in_stock"], true);
    let (status, _) = send(server.admin(&admin, Method::GET, "/admin/v1/inventory/NOPE")).await;
    assert_eq!(status, 404);

    // Moving a category carries its subtree; a cycle is refused; a non-empty category stays.
    let (status, body) = send(
        server.admin(&admin, Method::PATCH, &format!("/admin/v1/categories/{fasteners}")).json(&json!({"parent_id": bolts})),
    )
    .await;
    assert_eq!((status, code(&body)), (409, "invalid_move"));
    let (status, moved) = send(
        server.admin(&admin, Method::PATCH, &format!("/admin/v1/categories/{fasteners}")).json(&json!({"parent_id": tools})),
    )
    .await;
    assert_eq!(status, 200, "{moved}");
    let (_, bolts_after) = send(server.admin(&admin, Method::GET, &format!("/admin/v1/categories/{bolts}"))).await;
    assert_eq!(bolts_after["path"], json!([tools, fasteners, bolts]));
    let (_, under_tools) = send(store(&format!("/store/v1/products?category={tools}"))).await;
    assert_eq!(skus(&under_tools), ["BOLT-M10", "DRILL-18V", "NUT-M8"]);
    let (status, body) = send(server.admin(&admin, Method::DELETE, &format!("/admin/v1/categories/{fasteners}"))).await;
    assert_eq!((status, code(&body)), (409, "category_not_empty"));
    let (status, _) = send(server.admin(&admin, Method::DELETE, &format!("/admin/v1/categories/{bolts}"))).await;
    assert_eq!(status, 204);
    let (_, m10) = send(server.admin(&admin, Method::GET, "/admin/v1/products/BOLT-M10")).await;
    assert_eq!(m10["categories"], json!([]));

    // Delete a product.
    let (status, _) = send(server.admin(&admin, Method::DELETE, "/admin/v1/products/NUT-M8")).await;
    assert_eq!(status, 204);
    let (status, _) = send(server.admin(&admin, Method::DELETE, "/admin/v1/products/NUT-M8")).await;
    assert_eq!(status, 404);
}
