//! Requisition lists: private and shared lists, their permissions, moving and copying, the
//! cart both ways, CSV export.

use reqwest::Method;
use serde_json::{Value, json};

use crate::companies::login;
use crate::harness::{code, send};
use crate::pricing::Shop;

/// Adds a colleague with a role allowing `permissions` to X; their session.
async fn colleague(shop: &Shop, email: &str, permissions: &[&str]) -> String {
    let (status, role) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/company/roles").json(&json!({"name": email, "permissions": permissions}))).await;
    assert_eq!(status, 201, "{role}");
    let (status, user) = send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/company/users").json(&json!({
        "email": email, "password": "another horse 2", "first_name": "Bob", "last_name": "Ray", "role_id": role["id"]}))).await;
    assert_eq!(status, 201, "{user}");
    let (_, session) = login(&shop.server, "acme", email, "another horse 2").await;
    session["token"].as_str().expect("token").to_owned()
}

async fn create(shop: &Shop, token: &str, body: Value) -> (u16, Value) {
    send(shop.buyer(token, Method::POST, "/store/v1/requisition-lists").json(&body)).await
}

#[tokio::test]
async fn lists_hold_items_and_go_to_the_cart() {
    let shop = Shop::open().await;
    let ann = &shop.x_buyer;
    let (status, list) = create(&shop, ann, json!({"name": "Monthly"})).await;
    assert_eq!(status, 201, "{list}");
    let id = list["id"].as_str().expect("id").to_owned();
    let path = |tail: &str| format!("/store/v1/requisition-lists/{id}{tail}");

    // From quick-order input (CSV), with per-line outcomes; repeats add up.
    let (status, body) = send(shop.buyer(ann, Method::POST, &path("/items")).header("content-type", "text/csv").body("sku,qty\nA,2\nNOPE,1\nB,0\nA,1\n")).await;
    assert_eq!(status, 200, "{body}");
    let outcomes: Vec<&str> = body["lines"].as_array().expect("lines").iter().filter_map(|l| l["outcome"].as_str()).collect();
    assert_eq!(outcomes, ["added", "failed_sku", "failed_qty_invalid", "added"]);
    // From the cart.
    send(shop.buyer(ann, Method::POST, "/store/v1/cart/items").json(&json!({"sku": "B", "quantity": 4}))).await;
    let (status, _) = send(shop.buyer(ann, Method::POST, &path("/items/from-cart"))).await;
    assert_eq!(status, 200);
    let (_, detail) = send(shop.buyer(ann, Method::GET, &path(""))).await;
    let lines: Vec<(&str, i64)> = detail["lines"].as_array().expect("lines").iter().map(|l| (l["sku"].as_str().unwrap_or(""), l["quantity"].as_i64().unwrap_or(0))).collect();
    assert_eq!(lines, [("A", 3), ("B", 4)], "{detail}");

    // Quantities, export, move and copy.
    let (status, detail) = send(shop.buyer(ann, Method::PATCH, &path("/items/A")).json(&json!({"quantity": 6}))).await;
    assert_eq!((status, &detail["lines"][0]["quantity"]), (200, &json!(6)), "{detail}");
    let export = shop.buyer(ann, Method::GET, &path("/export")).send().await.expect("export");
    assert_eq!(export.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/csv; charset=utf-8"));
    assert_eq!(export.text().await.expect("text"), "sku,qty\nA,6\nB,4\n");
    let (_, other) = create(&shop, ann, json!({"name": "Spare"})).await;
    let other_id = other["id"].as_str().expect("id").to_owned();
    let (status, target) = send(shop.buyer(ann, Method::POST, &path("/items/copy")).json(&json!({"to": other_id, "skus": ["A"]}))).await;
    assert_eq!((status, &target["lines"][0]["quantity"]), (200, &json!(6)), "{target}");
    let (status, target) = send(shop.buyer(ann, Method::POST, &path("/items/move")).json(&json!({"to": other_id, "skus": ["A", "B"]}))).await;
    assert_eq!(status, 200, "{target}");
    let moved: Vec<(&str, i64)> = target["lines"].as_array().expect("lines").iter().map(|l| (l["sku"].as_str().unwrap_or(""), l["quantity"].as_i64().unwrap_or(0))).collect();
    assert_eq!(moved, [("A", 12), ("B", 4)], "{target}");
    let (_, source) = send(shop.buyer(ann, Method::GET, &path(""))).await;
    assert_eq!(source["lines"], json!([]), "{source}");
    let (status, body) = send(shop.buyer(ann, Method::POST, &path("/items/move")).json(&json!({"to": other_id, "skus": ["A"]}))).await;
    assert_eq!((status, code(&body)), (404, "requisition_list_item_not_found"), "{body}");

    // To the cart: selected items, each with its outcome; a hidden product answers failed_sku.
    send(shop.buyer(ann, Method::DELETE, "/store/v1/cart")).await;
    shop.catalog("X contract", &["A"], &[&shop.x]).await;
    let (status, body) = send(shop.buyer(ann, Method::POST, &format!("/store/v1/requisition-lists/{other_id}/add-to-cart")).json(&json!({}))).await;
    assert_eq!(status, 200, "{body}");
    let outcomes: Vec<&str> = body["lines"].as_array().expect("lines").iter().filter_map(|l| l["outcome"].as_str()).collect();
    assert_eq!(outcomes, ["added", "failed_sku"]);
    let (_, cart) = send(shop.buyer(ann, Method::GET, "/store/v1/cart")).await;
    assert_eq!((&cart["lines"][0]["sku"], &cart["lines"][0]["quantity"]), (&json!("A"), &json!(12)), "{cart}");
    let (_, detail) = send(shop.buyer(ann, Method::GET, &format!("/store/v1/requisition-lists/{other_id}"))).await;
    assert_eq!(detail["lines"][1]["available"], false, "{detail}");
}

#[tokio::test]
async fn shared_lists_and_their_permissions() {
    let shop = Shop::open().await;
    let ann = &shop.x_buyer; // the company admin: every permission
    let viewer = colleague(&shop, "view@x.example", &["requisition_lists"]).await;
    let manager = colleague(&shop, "manage@x.example", &["requisition_lists.manage"]).await;
    let sharer = colleague(&shop, "share@x.example", &["requisition_lists.share"]).await;
    let nobody = colleague(&shop, "none@x.example", &["company.users.view"]).await;

    let (_, private) = create(&shop, ann, json!({"name": "Ann private"})).await;
    let (status, shared) = create(&shop, ann, json!({"name": "Team restock", "shared": true})).await;
    assert_eq!((status, &shared["shared"]), (201, &json!(true)), "{shared}");
    let shared_id = shared["id"].as_str().expect("id").to_owned();
    let private_id = private["id"].as_str().expect("id").to_owned();
    send(shop.buyer(ann, Method::POST, &format!("/store/v1/requisition-lists/{shared_id}/items")).json(&json!({"items": [{"sku": "A", "quantity": 1}]}))).await;

    // Everyone with `requisition_lists` sees the shared list, never Ann's private one.
    for token in [&viewer, &manager, &sharer] {
        let (status, body) = send(shop.buyer(token, Method::GET, "/store/v1/requisition-lists")).await;
        let names: Vec<&str> = body["items"].as_array().expect("items").iter().filter_map(|l| l["name"].as_str()).collect();
        assert_eq!((status, names), (200, vec!["Team restock"]), "{body}");
        let (status, body) = send(shop.buyer(token, Method::GET, &format!("/store/v1/requisition-lists/{private_id}"))).await;
        assert_eq!((status, code(&body)), (404, "requisition_list_not_found"), "{body}");
    }
    let (status, body) = send(shop.buyer(&nobody, Method::GET, "/store/v1/requisition-lists")).await;
    assert_eq!((status, code(&body)), (403, "permission_denied"), "{body}");
    assert_eq!(body["error"]["details"]["permission"], "requisition_lists");
    // Another company never sees them.
    let (_, body) = send(shop.buyer(&shop.y_buyer, Method::GET, &format!("/store/v1/requisition-lists/{shared_id}"))).await;
    assert_eq!(code(&body), "requisition_list_not_found");

    // Viewing is not managing; managing own lists is not sharing; changing a colleague's
    // shared list takes `share`.
    let (status, body) = create(&shop, &viewer, json!({"name": "Mine"})).await;
    assert_eq!((status, &body["error"]["details"]["permission"]), (403, &json!("requisition_lists.manage")), "{body}");
    let (status, body) = create(&shop, &manager, json!({"name": "Mine", "shared": true})).await;
    assert_eq!((status, &body["error"]["details"]["permission"]), (403, &json!("requisition_lists.share")), "{body}");
    let (status, own) = create(&shop, &manager, json!({"name": "Mine"})).await;
    assert_eq!(status, 201, "{own}");
    let item = json!({"items": [{"sku": "B", "quantity": 1}]});
    let (status, body) = send(shop.buyer(&manager, Method::POST, &format!("/store/v1/requisition-lists/{shared_id}/items")).json(&item)).await;
    assert_eq!((status, &body["error"]["details"]["permission"]), (403, &json!("requisition_lists.share")), "{body}");
    let (status, _) = send(shop.buyer(&sharer, Method::POST, &format!("/store/v1/requisition-lists/{shared_id}/items")).json(&item)).await;
    assert_eq!(status, 200);
    let (status, body) = send(shop.buyer(&manager, Method::PATCH, &format!("/store/v1/requisition-lists/{}", own["id"].as_str().expect("id"))).json(&json!({"shared": true}))).await;
    assert_eq!(status, 403, "{body}");
    // Anyone who sees a shared list may put it in their own cart.
    let (status, body) = send(shop.buyer(&viewer, Method::POST, &format!("/store/v1/requisition-lists/{shared_id}/add-to-cart")).json(&json!({"skus": ["B"]}))).await;
    assert_eq!((status, &body["added"]), (200, &json!(1)), "{body}");
    // Unsharing hides it again.
    send(shop.buyer(ann, Method::PATCH, &format!("/store/v1/requisition-lists/{shared_id}")).json(&json!({"shared": false}))).await;
    let (_, body) = send(shop.buyer(&viewer, Method::GET, "/store/v1/requisition-lists")).await;
    assert_eq!(body["items"], json!([]), "{body}");
}
