//! The "checked from outside" list, call for call.

use reqwest::Method;
use serde_json::json;

use crate::harness::{Options, TestServer, code, random_token, send};

#[tokio::test]
async fn checked_from_outside() {
    let token = random_token();
    let mut server = TestServer::start_with(Options { operator_token: Some(token.clone()), ..Default::default() }).await;

    // 1. Health.
    let (status, body) = send(server.request(Method::GET, "/health")).await;
    assert_eq!(status, 200, "{body}");

    // 2. Create a tenant with the operator token; without it, 401.
    let tenant = json!({"slug": "acme", "name": "Acme", "currency": "USD"});
    let (status, body) = send(server.request(Method::POST, "/operator/v1/tenants").json(&tenant)).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(code(&body), "unauthorized");
    let (status, body) = send(server.operator(Method::POST, "/operator/v1/tenants").json(&tenant)).await;
    assert_eq!(status, 201, "{body}");
    let admin = body["admin_token"].as_str().expect("admin_token").to_owned();

    // 3. Create a product; read it back with its exact price.
    let product = json!({"sku": "BOLT-M8", "name": "M8 bolt", "price": "0.1250"});
    let (status, body) = send(server.admin(&admin, Method::POST, "/admin/v1/products").json(&product)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = send(server.admin(&admin, Method::GET, "/admin/v1/products/BOLT-M8")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["price"], "0.1250");

    // 4. The storefront shows it.
    let (status, body) = send(server.store("acme", Method::GET, "/store/v1/products/BOLT-M8")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["price"], "0.1250");

    // 5. Another tenant's admin token does not see it.
    let other = server.tenant("other").await;
    let (status, body) = send(server.admin(&other, Method::GET, "/admin/v1/products/BOLT-M8")).await;
    assert_eq!(status, 404, "{body}");

    // 6. Bad prices and bodies that are not JSON are 4xx with an error code.
    for price in [json!("-1"), json!("1.23456")] {
        let bad = json!({"sku": "BAD-1", "name": "Bad", "price": price});
        let (status, body) = send(server.admin(&admin, Method::POST, "/admin/v1/products").json(&bad)).await;
        assert!((400..500).contains(&status), "{price}: {status} {body}");
        assert_eq!(code(&body), "validation_failed", "{body}");
        assert!(body["error"]["details"]["fields"]["price"].is_string(), "the field is named: {body}");
    }
    let (status, body) = send(
        server
            .admin(&admin, Method::POST, "/admin/v1/products")
            .header("content-type", "application/json")
            .body("this is not json"),
    )
    .await;
    assert!((400..500).contains(&status), "{status} {body}");
    assert_eq!(code(&body), "malformed_json");

    // 7. Restart on the same database: the product is still there.
    assert!(server.stop(), "graceful shutdown exits 0");
    let server = TestServer::start_with(Options {
        database_url: Some(server.database_url.clone()),
        operator_token: Some(token),
        ..Default::default()
    })
    .await;
    let (status, body) = send(server.admin(&admin, Method::GET, "/admin/v1/products/BOLT-M8")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["price"], "0.1250");

    // 8. OpenAPI lists the products route; metrics answer Prometheus text.
    let (status, body) = send(server.request(Method::GET, "/openapi.json")).await;
    assert_eq!(status, 200);
    assert!(body["paths"]["/admin/v1/products"].is_object(), "openapi paths: {:?}", body["paths"].as_object().map(|p| p.keys().collect::<Vec<_>>()));
    let metrics = server.request(Method::GET, "/metrics").send().await.expect("metrics");
    assert_eq!(metrics.status(), 200);
    assert!(metrics.headers()["content-type"].to_str().unwrap_or("").starts_with("text/plain"));
    let text = metrics.text().await.expect("text");
    assert!(text.contains("# TYPE http_requests_total counter"), "{text}");
    assert!(text.contains("route=\"/admin/v1/products/{sku}\""), "{text}");
    assert!(text.contains("http_request_duration_seconds_bucket"), "{text}");
}
