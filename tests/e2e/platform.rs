//! Cross-cutting behaviour: errors, tenant resolution, docs, logs, shutdown, demo data.

use reqwest::Method;
use serde_json::json;

use crate::harness::{Options, TestServer, code, send};

#[tokio::test]
async fn errors_have_stable_codes() {
    let server = TestServer::start().await;
    let admin = server.tenant("acme").await;

    let (status, body) = send(server.request(Method::GET, "/no/such/route")).await;
    assert_eq!((status, code(&body)), (404, "route_not_found"));
    let (status, body) = send(server.request(Method::DELETE, "/health")).await;
    assert_eq!((status, code(&body)), (405, "method_not_allowed"));

    let response = server.request(Method::GET, "/admin/v1/products").send().await.expect("request");
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    let (status, body) = send(server.request(Method::GET, "/admin/v1/products").header("authorization", "Basic abc")).await;
    assert_eq!((status, code(&body)), (401, "unauthorized"));

    let post = || server.admin(&admin, Method::POST, "/admin/v1/products");
    let (status, body) = send(post().body(r#"{"sku":"A","name":"a","price":"1"}"#)).await;
    assert_eq!((status, code(&body)), (415, "unsupported_media_type"));
    let (status, body) = send(post().header("content-type", "application/json").body(r#"{"sku": "A", "#)).await;
    assert_eq!((status, code(&body)), (400, "malformed_json"));
    let (status, body) = send(post().json(&json!({"sku": "A", "name": "a", "price": "1", "colour": "red"}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    assert!(body["error"]["details"]["fields"]["colour"].is_string(), "{body}");
    let (status, body) = send(post().json(&json!({"sku": "A", "name": "a", "price": "1", "attributes": {"size": 5}}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    assert!(body["error"]["details"]["fields"]["attributes.size"].is_string(), "{body}");
    let (status, body) = send(post().json(&json!({"sku": "A".repeat(65), "name": "a", "price": "1"}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    let (status, body) = send(post().json(&json!({"sku": "A", "name": "a", "price": "1", "quantity": "ten"}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    let (status, body) = send(post().json(&json!([1, 2]))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    let (status, body) = send(post().json(&json!({"sku": "A", "name": "a", "price": "1", "quantity": 1_000_000_000_001_i64}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    // A body over the limit is refused from its headers, before it is read. Sent by hand: an
    // HTTP client would still be writing the body when the answer comes.
    let head = format!(
        "POST /admin/v1/products HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {admin}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        3 * 1024 * 1024
    );
    let answer = raw_exchange(&server.base, head.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"payload_too_large\""), "{answer}");

    // Storefront tenant resolution.
    let (status, body) = send(server.request(Method::GET, "/store/v1/products")).await;
    assert_eq!((status, code(&body)), (400, "tenant_required"));
    let (status, body) = send(server.store("nobody", Method::GET, "/store/v1/products")).await;
    assert_eq!((status, code(&body)), (404, "tenant_not_found"));
    let (status, body) = send(server.store("acme", Method::GET, "/store/v1/products/NOPE")).await;
    assert_eq!((status, code(&body)), (404, "product_not_found"));
    let (status, body) = send(server.store("acme", Method::GET, "/store/v1/products/bad%20sku")).await;
    assert_eq!((status, code(&body)), (404, "product_not_found"));
}

/// Writes `bytes` to the server and reads until it closes the connection.
async fn raw_exchange(base: &str, bytes: &[u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let address = base.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.expect("connect");
    stream.write_all(bytes).await.expect("write");
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn storefront_answers_on_a_tenant_host_name() {
    let server = TestServer::start().await;
    let (status, body) = send(server.operator(Method::POST, "/operator/v1/tenants").json(&json!({
        "slug": "acme", "name": "Acme", "currency": "EUR", "domains": ["shop.acme.test"]
    })))
    .await;
    assert_eq!(status, 201, "{body}");
    let admin = body["admin_token"].as_str().expect("token").to_owned();
    send(server.admin(&admin, Method::POST, "/admin/v1/products").json(&json!({"sku": "A", "name": "a", "price": "1"}))).await;
    let (status, product) = send(server.request(Method::GET, "/store/v1/products/A").header("host", "Shop.Acme.Test:8080")).await;
    assert_eq!((status, product["currency"].clone()), (200, json!("EUR")), "{product}");
    let (status, body) = send(server.request(Method::GET, "/store/v1/products/A").header("host", "elsewhere.test")).await;
    assert_eq!((status, code(&body)), (400, "tenant_required"));
    // A buyer's session works on the host name too, and only at its own tenant's.
    let token = crate::companies::active_bolt(&server, &admin).await;
    let me = |host: &str| server.request(Method::GET, "/store/v1/me").header("host", host).bearer_auth(&token);
    let (status, who) = send(me("shop.acme.test")).await;
    assert_eq!((status, who["email"].as_str()), (200, Some("ann@bolt.example")), "{who}");
    let (status, body) = send(me("elsewhere.test")).await;
    assert_eq!((status, code(&body)), (400, "tenant_required"));
    let (status, body) = send(server.operator(Method::POST, "/operator/v1/tenants").json(&json!({
        "slug": "copycat", "name": "Copycat", "currency": "EUR", "domains": ["shop.acme.test"]
    })))
    .await;
    assert_eq!((status, code(&body)), (409, "already_exists"));
    let (status, _) = send(server.operator(Method::GET, "/operator/v1/tenants/copycat")).await;
    assert_eq!(status, 404, "a refused tenant is not half-created");
}

#[tokio::test]
async fn docs_page_and_openapi_work_offline() {
    let server = TestServer::start().await;
    let page = server.request(Method::GET, "/docs/").send().await.expect("docs");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "the page loads nothing from the internet");
    let bundle = server.request(Method::GET, "/docs/swagger-ui-bundle.js").send().await.expect("bundle");
    assert_eq!(bundle.status(), 200);
    assert!(bundle.bytes().await.expect("js").len() > 100_000);
    let init = server.request(Method::GET, "/docs/swagger-initializer.js").send().await.expect("init");
    let init = init.text().await.expect("js");
    assert!(init.contains("/openapi.json"), "{init}");

    let (_, spec) = send(server.request(Method::GET, "/openapi.json")).await;
    for path in [
        "/health",
        "/metrics",
        "/operator/v1/tenants",
        "/operator/v1/tenants/{slug}",
        "/operator/v1/tenants/{slug}/suspend",
        "/operator/v1/tenants/{slug}/tokens/{id}",
        "/admin/v1/products",
        "/admin/v1/products/{sku}",
        "/admin/v1/products/import",
        "/admin/v1/categories/{id}",
        "/admin/v1/inventory/{sku}",
        "/store/v1/products",
        "/store/v1/products/{sku}",
        "/store/v1/categories",
        "/store/v1/price",
        "/store/v1/auth/login",
        "/store/v1/auth/logout",
        "/store/v1/me",
        "/store/v1/me/password",
        "/store/v1/auth/password-reset",
        "/store/v1/auth/password-reset/confirm",
        "/store/v1/company/roles",
        "/store/v1/company/roles/{id}",
        "/store/v1/company/users",
        "/store/v1/company/audit",
        "/admin/v1/companies/{id}/audit",
        "/admin/v1/companies/{id}/users",
        "/admin/v1/companies/{id}/users/{user}",
        "/store/v1/auth/switch",
        "/store/v1/company/users/{id}",
        "/store/v1/company",
        "/store/v1/company/addresses",
        "/store/v1/company/addresses/{id}",
        "/store/v1/company/structure",
        "/store/v1/company/teams",
        "/admin/v1/settings",
        "/store/v1/companies",
        "/operator/v1/plugins",
        "/operator/v1/tenants/{slug}/plugin-limits",
        "/admin/v1/plugins",
        "/admin/v1/plugins/{id}",
        "/admin/v1/plugins/{id}/activate",
        "/admin/v1/plugins/{id}/rollback",
        "/admin/v1/plugins/{id}/executions",
        "/admin/v1/plugins/{id}/executions/{execution}",
        "/admin/v1/plugin-packages",
        "/admin/v1/customer-groups",
        "/admin/v1/customer-groups/{id}",
        "/admin/v1/companies",
        "/admin/v1/companies/{id}",
        "/admin/v1/shared-catalogs",
        "/admin/v1/shared-catalogs/{id}",
        "/admin/v1/shared-catalogs/{id}/products",
        "/admin/v1/shared-catalogs/{id}/categories",
        "/admin/v1/shared-catalogs/{id}/companies",
        "/admin/v1/price-lists",
        "/admin/v1/price-lists/{id}",
        "/admin/v1/price-lists/{id}/entries",
        "/admin/v1/price-lists/{id}/entries/import",
        "/admin/v1/segments",
        "/admin/v1/segments/{id}",
        "/admin/v1/segments/{id}/companies",
        "/store/v1/cart",
        "/store/v1/cart/items",
        "/store/v1/cart/items/{sku}",
        "/store/v1/quick-order",
        "/store/v1/requisition-lists",
        "/store/v1/requisition-lists/{id}",
        "/store/v1/requisition-lists/{id}/items",
        "/store/v1/requisition-lists/{id}/items/from-cart",
        "/store/v1/requisition-lists/{id}/items/{sku}",
        "/store/v1/requisition-lists/{id}/items/move",
        "/store/v1/requisition-lists/{id}/items/copy",
        "/store/v1/requisition-lists/{id}/add-to-cart",
        "/store/v1/requisition-lists/{id}/export",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} missing from /openapi.json");
    }
    assert!(spec["components"]["securitySchemes"]["admin_token"].is_object());
    assert_eq!(spec["components"]["schemas"]["ProductOut"]["properties"]["price"]["type"], "string");
}

#[tokio::test]
async fn json_logs_and_graceful_shutdown() {
    let mut server = TestServer::start_with(Options {
        operator_token: Some("t".into()),
        args: vec!["--log-format".into(), "json".into()],
        env: vec![("RUST_LOG".into(), "info".into())],
        ..Default::default()
    })
    .await;
    send(server.request(Method::GET, "/health")).await;
    assert!(server.stop(), "SIGTERM ends the server with status 0");
    let lines: Vec<String> = server.stderr.iter().take_while(|_| true).collect();
    assert!(!lines.is_empty(), "logs were written");
    let parsed: Vec<serde_json::Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    assert!(parsed.iter().all(|p| p["level"].is_string() && p["timestamp"].is_string()), "{lines:?}");
    let request = parsed.iter().find(|p| p["message"] == "request").unwrap_or_else(|| panic!("no request log: {lines:?}"));
    assert_eq!((request["route"].as_str(), request["status"].as_str()), (Some("/health"), Some("200")), "{request}");
    assert!(parsed.iter().any(|p| p["message"] == "shutting down"), "{lines:?}");
}

#[tokio::test]
async fn demo_mode_seeds_a_catalog_once() {
    let server = TestServer::start_with(Options { args: vec!["--demo".into()], ..Default::default() }).await;
    let (status, list) = send(server.store("demo", Method::GET, "/store/v1/products?limit=200")).await;
    assert_eq!(status, 200);
    let count = list["items"].as_array().map_or(0, Vec::len);
    assert!(count >= 30, "{count} products");
    let (status, _) = send(server.request(Method::GET, "/admin/v1/products").bearer_auth("demo-admin-token")).await;
    assert_eq!(status, 200);
    let (status, _) = send(server.request(Method::GET, "/operator/v1/tenants").bearer_auth("demo-operator-token")).await;
    assert_eq!(status, 200);
    let (status, _) = send(server.request(Method::DELETE, "/admin/v1/products/BOLT-M8-30").bearer_auth("demo-admin-token")).await;
    assert_eq!(status, 204);
    let url = server.database_url.clone();
    drop(server);

    // A second start with --demo leaves the existing demo tenant as it is.
    let again = TestServer::start_with(Options { database_url: Some(url), args: vec!["--demo".into()], ..Default::default() }).await;
    let (status, _) = send(again.store("demo", Method::GET, "/store/v1/products/BOLT-M8-30")).await;
    assert_eq!(status, 404, "not re-seeded");
}
