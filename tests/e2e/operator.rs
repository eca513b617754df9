//! The hosting provider's API: tenants, suspension, admin tokens, and the operator token itself.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{Options, TestServer, code, run_cli, send};

#[tokio::test]
async fn tenants_are_created_listed_suspended_and_resumed() {
    let server = TestServer::start().await;
    let admin = server.tenant("acme").await;
    server.tenant("beta").await;

    let (status, list) = send(server.operator(Method::GET, "/operator/v1/tenants")).await;
    assert_eq!(status, 200);
    let slugs: Vec<&str> = list["items"].as_array().expect("items").iter().filter_map(|t| t["slug"].as_str()).collect();
    assert_eq!(slugs, ["acme", "beta"]);
    let (status, acme) = send(server.operator(Method::GET, "/operator/v1/tenants/acme")).await;
    assert_eq!((status, acme["currency"].clone(), acme["status"].clone()), (200, json!("USD"), json!("active")));
    let (status, body) = send(server.operator(Method::GET, "/operator/v1/tenants/nope")).await;
    assert_eq!((status, code(&body)), (404, "tenant_not_found"));

    // Validation names every bad field; duplicates conflict.
    let (status, body) = send(
        server.operator(Method::POST, "/operator/v1/tenants").json(&json!({"slug": "Bad Slug", "name": "", "currency": "XXX"})),
    )
    .await;
    assert_eq!((status, code(&body)), (422, "validation_failed"));
    let fields = body["error"]["details"]["fields"].as_object().expect("fields");
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["currency", "name", "slug"]);
    let (status, body) = send(
        server.operator(Method::POST, "/operator/v1/tenants").json(&json!({"slug": "acme", "name": "Again", "currency": "EUR"})),
    )
    .await;
    assert_eq!((status, code(&body)), (409, "already_exists"));

    // Suspension stops the admin and storefront APIs and keeps the data.
    send(server.admin(&admin, Method::POST, "/admin/v1/products").json(&json!({"sku": "A", "name": "a", "price": "1"}))).await;
    let (status, body) = send(server.operator(Method::POST, "/operator/v1/tenants/acme/suspend")).await;
    assert_eq!((status, body["status"].clone()), (200, json!("suspended")));
    let (status, body) = send(server.admin(&admin, Method::GET, "/admin/v1/products/A")).await;
    assert_eq!((status, code(&body)), (403, "tenant_suspended"));
    let (status, body) = send(server.store("acme", Method::GET, "/store/v1/products/A")).await;
    assert_eq!((status, code(&body)), (403, "tenant_suspended"));
    let (status, _) = send(server.operator(Method::POST, "/operator/v1/tenants/acme/resume")).await;
    assert_eq!(status, 200);
    let (status, _) = send(server.admin(&admin, Method::GET, "/admin/v1/products/A")).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn admin_tokens_are_shown_once_and_revocable() {
    let server = TestServer::start().await;
    let first = server.tenant("acme").await;
    let (status, issued) =
        send(server.operator(Method::POST, "/operator/v1/tenants/acme/tokens").json(&json!({"label": "erp-sync"}))).await;
    assert_eq!(status, 201, "{issued}");
    let second = issued["token"].as_str().expect("token").to_owned();
    assert!(second.starts_with("hat_") && second.len() == 68, "{second}");
    let (status, _) = send(server.admin(&second, Method::GET, "/admin/v1/products")).await;
    assert_eq!(status, 200);

    let (_, list) = send(server.operator(Method::GET, "/operator/v1/tenants/acme/tokens")).await;
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    let labels: Vec<&str> = items.iter().filter_map(|t| t["label"].as_str()).collect();
    assert!(labels.contains(&"erp-sync") && labels.contains(&"initial"), "{list}");
    assert!(items.iter().all(|t| t.get("token").is_none()), "secrets are never listed: {list}");

    let id = issued["id"].as_str().expect("id");
    let (status, _) = send(server.operator(Method::DELETE, &format!("/operator/v1/tenants/acme/tokens/{id}"))).await;
    assert_eq!(status, 204);
    let (status, body) = send(server.admin(&second, Method::GET, "/admin/v1/products")).await;
    assert_eq!((status, code(&body)), (401, "unauthorized"));
    let (status, _) = send(server.admin(&first, Method::GET, "/admin/v1/products")).await;
    assert_eq!(status, 200, "other tokens keep working");
    let (_, list) = send(server.operator(Method::GET, "/operator/v1/tenants/acme/tokens")).await;
    let revoked = list["items"].as_array().expect("items").iter().find(|t| t["id"] == issued["id"]).expect("listed");
    assert!(revoked["revoked_at"].is_string(), "{list}");

    // A token id of another tenant is not found.
    server.tenant("beta").await;
    let (status, _) = send(server.operator(Method::DELETE, &format!("/operator/v1/tenants/beta/tokens/{id}"))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_generated_operator_token_is_printed_once_and_survives_restarts() {
    let mut server = TestServer::start_with(Options::default()).await;
    let printed: Vec<String> = server.stdout.try_iter().collect();
    let token = printed.iter().map(|l| l.trim()).find(|l| l.starts_with("hop_")).unwrap_or_else(|| panic!("{printed:?}")).to_owned();
    let (status, _) = send(server.request(Method::GET, "/operator/v1/tenants").bearer_auth(&token)).await;
    assert_eq!(status, 200);
    assert!(server.stop());

    let restarted =
        TestServer::start_with(Options { database_url: Some(server.database_url.clone()), ..Default::default() }).await;
    let printed: Vec<String> = restarted.stdout.try_iter().collect();
    assert!(!printed.iter().any(|l| l.contains("hop_")), "printed only on the first start: {printed:?}");
    let (status, _) = send(restarted.request(Method::GET, "/operator/v1/tenants").bearer_auth(&token)).await;
    assert_eq!(status, 200);
    let (status, _) = send(restarted.request(Method::GET, "/operator/v1/tenants").bearer_auth("hop_wrong")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn tenant_cli_creates_and_lists() {
    let url = hanse_store::testing::fresh_database_url().await;
    let (ok, stdout, stderr) = run_cli(&url, &["tenant", "create", "--slug", "nordic", "--name", "Nordic Tools", "--currency", "SEK"]);
    assert!(ok, "{stdout} {stderr}");
    let token = stdout.lines().find_map(|l| l.strip_prefix("admin token (shown only now): ")).expect("token line").to_owned();
    let (ok, stdout, _) = run_cli(&url, &["tenant", "list"]);
    assert!(ok && stdout.contains("nordic") && stdout.contains("SEK") && stdout.contains("1 tenant(s)"), "{stdout}");
    let (ok, _, stderr) = run_cli(&url, &["tenant", "create", "--slug", "nordic", "--name", "Again"]);
    assert!(!ok && stderr.contains("already exists"), "{stderr}");
    let (ok, _, stderr) = run_cli(&url, &["tenant", "create", "--slug", "X", "--name", "x", "--currency", "ABC"]);
    assert!(!ok && stderr.contains("--slug") && stderr.contains("--currency"), "{stderr}");

    let server = TestServer::start_with(Options { database_url: Some(url), ..Default::default() }).await;
    let (status, body): (u16, Value) = send(server.admin(&token, Method::GET, "/admin/v1/products")).await;
    assert_eq!(status, 200, "{body}");
}
