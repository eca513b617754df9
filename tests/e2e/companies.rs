//! Companies and what surrounds them, over HTTP: customer groups.

use reqwest::Method;
use serde_json::json;

use crate::harness::{TestServer, code, send};

#[tokio::test]
async fn customer_groups_are_managed_by_the_merchant() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let beta = server.tenant("beta").await;

    let (status, wholesale) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Wholesale"}))).await;
    assert_eq!(status, 201, "{wholesale}");
    let id = wholesale["id"].as_str().expect("id").to_owned();
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Wholesale"}))).await;
    assert_eq!((status, code(&body)), (409, "already_exists"), "{body}");
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "  "}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    assert!(body["error"]["details"]["fields"]["name"].is_string(), "{body}");
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Retail", "colour": "red"}))).await;
    assert_eq!(status, 422, "unknown fields are refused: {body}");

    let (status, body) = send(server.admin(&acme, Method::PATCH, &format!("/admin/v1/customer-groups/{id}")).json(&json!({"name": "Trade"}))).await;
    assert_eq!((status, body["name"].as_str()), (200, Some("Trade")), "{body}");
    let (_, list) = send(server.admin(&acme, Method::GET, "/admin/v1/customer-groups")).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");

    // Another tenant's admin sees nothing of it.
    let path = format!("/admin/v1/customer-groups/{id}");
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = send(server.admin(&beta, method, &path)).await;
        assert_eq!((status, code(&body)), (404, "customer_group_not_found"), "{body}");
    }
    let (_, list) = send(server.admin(&beta, Method::GET, "/admin/v1/customer-groups")).await;
    assert_eq!(list["items"], json!([]));

    let (status, _) = send(server.admin(&acme, Method::DELETE, &path)).await;
    assert_eq!(status, 204);
    let (status, _) = send(server.admin(&acme, Method::GET, &path)).await;
    assert_eq!(status, 404);
}
