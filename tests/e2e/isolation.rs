//! Tenant isolation: one tenant's admin token can neither read nor change another's data, and
//! another tenant's object is a 404, never a 403.

use reqwest::Method;
use serde_json::json;

use crate::harness::{TestServer, code, send};

#[tokio::test]
async fn tenant_b_cannot_read_or_change_tenant_a() {
    let server = TestServer::start().await;
    let a = server.tenant("tenant-a").await;
    let b = server.tenant("tenant-b").await;

    let (status, category) =
        send(server.admin(&a, Method::POST, "/admin/v1/categories").json(&json!({"name": "Secret"}))).await;
    assert_eq!(status, 201, "{category}");
    let category_id = category["id"].as_str().expect("id").to_owned();
    let product = json!({"sku": "A-ONLY", "name": "A's product", "price": "10", "categories": [category_id], "quantity": 5});
    let (status, body) = send(server.admin(&a, Method::POST, "/admin/v1/products").json(&product)).await;
    assert_eq!(status, 201, "{body}");

    let product_path = "/admin/v1/products/A-ONLY";
    let category_path = format!("/admin/v1/categories/{category_id}");
    let attempts = [
        (Method::GET, product_path.to_owned(), None),
        (Method::PATCH, product_path.to_owned(), Some(json!({"price": "0.01"}))),
        (Method::DELETE, product_path.to_owned(), None),
        (Method::GET, "/admin/v1/inventory/A-ONLY".to_owned(), None),
        (Method::PUT, "/admin/v1/inventory/A-ONLY".to_owned(), Some(json!({"quantity": 0}))),
        (Method::GET, category_path.clone(), None),
        (Method::PATCH, category_path.clone(), Some(json!({"name": "Stolen"}))),
        (Method::DELETE, category_path.clone(), None),
    ];
    for (method, path, body) in attempts {
        let mut request = server.admin(&b, method.clone(), &path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let (status, answer) = send(request).await;
        assert_eq!(status, 404, "{method} {path} as tenant B: {answer}");
    }

    // B cannot assign A's category to its own product either.
    let steal = json!({"sku": "B-1", "name": "B", "price": "1", "categories": [category_id]});
    let (status, body) = send(server.admin(&b, Method::POST, "/admin/v1/products").json(&steal)).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(code(&body), "unknown_category");

    // B's listings and tree are empty; PUT on the same SKU creates B's own product.
    let (_, list) = send(server.admin(&b, Method::GET, "/admin/v1/products")).await;
    assert_eq!(list["items"], json!([]));
    let (_, tree) = send(server.admin(&b, Method::GET, "/admin/v1/categories")).await;
    assert_eq!(tree["items"], json!([]));
    let (status, body) =
        send(server.admin(&b, Method::PUT, product_path).json(&json!({"name": "B's own", "price": "99"}))).await;
    assert_eq!(status, 201, "{body}");

    // A's product is untouched.
    let (status, mine) = send(server.admin(&a, Method::GET, product_path)).await;
    assert_eq!(status, 200);
    assert_eq!(mine["price"], "10.0000");
    assert_eq!(mine["name"], "A's product");
    assert_eq!(mine["quantity"], 5);
    let (_, stock) = send(server.admin(&a, Method::GET, "/admin/v1/inventory/A-ONLY")).await;
    assert_eq!(stock["quantity"], 5);
    let (status, _) = send(server.admin(&a, Method::GET, &category_path)).await;
    assert_eq!(status, 200);

    // Storefronts are separate too.
    let (_, a_store) = send(server.store("tenant-a", Method::GET, "/store/v1/products/A-ONLY")).await;
    assert_eq!(a_store["name"], "A's product");
    let (_, b_store) = send(server.store("tenant-b", Method::GET, "/store/v1/products/A-ONLY")).await;
    assert_eq!(b_store["name"], "B's own");
    let (status, _) = send(server.store("tenant-b", Method::GET, &format!("/store/v1/categories/{category_id}"))).await;
    assert_eq!(status, 404);

    // An admin token is no operator token, and an operator token is no admin token.
    let (status, _) = send(server.admin(&a, Method::GET, "/operator/v1/tenants")).await;
    assert_eq!(status, 401);
    let (status, _) = send(server.admin(&server.operator_token, Method::GET, "/admin/v1/products")).await;
    assert_eq!(status, 401);
}
