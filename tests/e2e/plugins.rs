//! Plugins end to end: the registry, installs, pricing through Wasm, failures, isolation.

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::harness::{TestServer, code, send};

async fn widget(server: &TestServer, admin: &str) {
    let (status, body) =
        send(server.admin(admin, Method::POST, "/admin/v1/products").json(&json!({"sku": "WIDGET", "name": "Widget", "price": "10.00"}))).await;
    assert_eq!(status, 201, "{body}");
}

async fn price(server: &TestServer, slug: &str, quantity: i64) -> (u16, Value) {
    send(server.store(slug, Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "WIDGET", "quantity": quantity}]}))).await
}

pub(crate) fn upload(manifest: Value, component: Vec<u8>) -> Form {
    Form::new()
        .part("manifest", Part::text(manifest.to_string()))
        .part("component", Part::bytes(component).file_name("plugin.wasm"))
}

#[tokio::test]
async fn checked_from_outside() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let beta = server.tenant("beta").await;
    widget(&server, &acme).await;
    widget(&server, &beta).await;

    // The first-party plugins are in the registry out of the box.
    let (status, registry) = send(server.operator(Method::GET, "/operator/v1/plugins")).await;
    assert_eq!(status, 200, "{registry}");
    let items = registry["items"].as_array().expect("items");
    for id in ["tier-pricing", "flat-rate-shipping", "payment-on-account", "approval-threshold"] {
        assert!(items.iter().any(|p| p["id"] == id && p["version"].is_string()), "{id} missing: {registry}");
    }

    // Install with a valid config; a config that breaks the schema is a 422.
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "tier-pricing", "config": {"tiers": "x"}}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    assert!(body["error"]["details"]["fields"]["config.tiers"].is_string(), "{body}");
    let config = json!({"tiers": [{"min_quantity": 10, "percent_off": "10"}]});
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "tier-pricing", "config": config}))).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["version"], "0.1.0");

    // Pricing runs the plugin for acme only.
    let (status, priced) = price(&server, "acme", 10).await;
    assert_eq!(status, 200, "{priced}");
    let line = &priced["lines"][0];
    assert_eq!(line["unit_price"], "9.0000");
    assert_eq!(line["line_total"], "90.00");
    assert_eq!(priced["subtotal"], "90.00");
    let explanation = line["explanation"].as_array().expect("explanation");
    assert!(!explanation.is_empty());
    assert_eq!(explanation.last().map(|s| (s["plugin"].clone(), s["reason"].clone())), Some((json!("tier-pricing"), json!("10% off from 10 units"))));
    let (_, one) = price(&server, "acme", 1).await;
    assert_eq!(one["lines"][0]["unit_price"], "10.0000");
    let (_, other_tenant) = price(&server, "beta", 10).await;
    assert_eq!(other_tenant["lines"][0]["unit_price"], "10.0000", "acme's plugin never runs for beta");

    // The operator's limits per tenant apply to its calls only.
    let (status, limits) = send(server.operator(Method::PUT, "/operator/v1/tenants/acme/plugin-limits").json(&json!({"fuel": 100_000}))).await;
    assert_eq!((status, limits["fuel"].clone(), limits["deadline_ms"].clone()), (200, json!(100_000), json!(50)), "{limits}");
    let (status, body) = send(server.operator(Method::PUT, "/operator/v1/tenants/acme/plugin-limits").json(&json!({"fuel": 1, "memory_bytes": 1_000_000_000_000u64}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    assert!(body["error"]["details"]["fields"]["memory_bytes"].is_string(), "{body}");
    let (status, body) = send(server.store("acme", Method::POST, "/store/v1/price").json(&json!({"lines": (0..150).map(|_| json!({"sku": "WIDGET", "quantity": 10})).collect::<Vec<_>>()}))).await;
    assert_eq!((status, body["error"]["details"]["error"].clone()), (503, json!("plugin_out_of_fuel")), "{body}");
    let (status, _) = price(&server, "beta", 10).await;
    assert_eq!(status, 200);
    let (status, limits) = send(server.operator(Method::PUT, "/operator/v1/tenants/acme/plugin-limits").json(&json!({}))).await;
    assert_eq!((status, limits["fuel"].clone()), (200, json!(11_000_000)));
    let (status, _) = price(&server, "acme", 10).await;
    assert_eq!(status, 200, "defaults restored");

    // Every call is recorded with its fuel.
    let (status, executions) = send(server.admin(&acme, Method::GET, "/admin/v1/plugins/tier-pricing/executions")).await;
    assert_eq!(status, 200, "{executions}");
    let records = executions["items"].as_array().expect("items");
    assert!(records.len() >= 2, "{executions}");
    assert_eq!(executions["recorded"].as_u64(), Some(records.len() as u64), "every call so far is kept: {executions}");
    assert!(records.iter().all(|r| r["fuel"].as_i64().is_some_and(|f| f > 0)), "{executions}");
    assert!(records.iter().any(|r| r["outcome"] == "plugin_out_of_fuel"), "{executions}");

    // Per-plugin metrics.
    let metrics = server.request(Method::GET, "/metrics").send().await.expect("metrics").text().await.expect("text");
    for name in ["plugin_calls_total", "plugin_failures_total", "plugin_call_duration_seconds", "plugin_fuel"] {
        assert!(metrics.contains(name) && metrics.contains("plugin=\"tier-pricing\""), "{name}: {metrics}");
    }

    // A component that is not one is refused and the registry is unchanged.
    let manifest = json!({"id": "junk", "version": "1.0.0", "kind": "pricing", "wit": "hanse:plugin@0.1.0"});
    let random: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let (status, body) = send(server.operator(Method::POST, "/operator/v1/plugins").multipart(upload(manifest, random))).await;
    assert!((400..500).contains(&status), "{status} {body}");
    assert_eq!(code(&body), "invalid_component", "{body}");
    let (_, after) = send(server.operator(Method::GET, "/operator/v1/plugins")).await;
    assert_eq!(after["items"].as_array().map(Vec::len), Some(items.len()));
    let (status, body) = send(server.operator(Method::POST, "/operator/v1/plugins").multipart(Form::new().text("manifest", "{}"))).await;
    assert_eq!((status, code(&body)), (400, "invalid_upload"), "{body}");
}

#[tokio::test]
async fn private_plugins_fail_closed_and_versions_roll_back() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let beta = server.tenant("beta").await;
    widget(&server, &acme).await;
    widget(&server, &beta).await;
    let hostile = hanse_runtime::bundled::HOSTILE.component.to_vec();
    let manifest = |version: &str| json!({"id": "acme-chaos", "version": version, "kind": "pricing", "wit": "hanse:plugin@0.1.0",
        "config_schema": {"type": "object", "required": ["mode"]}});

    // A private package: acme's only.
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/plugin-packages").multipart(upload(manifest("0.1.0"), hostile.clone()))).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["private"], true);
    let (status, _) = send(server.admin(&beta, Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "acme-chaos", "config": {"mode": "behave"}}))).await;
    assert_eq!(status, 404, "beta cannot install acme's private plugin");
    let (_, registry) = send(server.operator(Method::GET, "/operator/v1/plugins")).await;
    assert!(!registry["items"].as_array().expect("items").iter().any(|p| p["id"] == "acme-chaos"));

    // A plugin that traps fails the pricing closed, naming itself; beta is unaffected. Failed
    // calls keep their input.
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "acme-chaos", "config": {"mode": "trap"}}))).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = send(server.admin(&acme, Method::PATCH, "/admin/v1/plugins/acme-chaos").json(&json!({"capture": "failures"}))).await;
    assert_eq!((status, body["capture"].as_str()), (200, Some("failures")), "{body}");
    let (status, body) = price(&server, "acme", 3).await;
    assert_eq!((status, code(&body)), (503, "pricing_plugin_failed"), "{body}");
    assert_eq!(body["error"]["details"]["plugin"], "acme-chaos");
    assert_eq!(body["error"]["details"]["error"], "plugin_trap");
    let (status, _) = price(&server, "beta", 3).await;
    assert_eq!(status, 200);
    let (_, executions) = send(server.admin(&acme, Method::GET, "/admin/v1/plugins/acme-chaos/executions")).await;
    assert_eq!(executions["items"][0]["outcome"], "plugin_trap", "{executions}");
    assert_eq!(executions["items"][0]["input_captured"], true, "{executions}");
    let failed = format!("/admin/v1/plugins/acme-chaos/executions/{}", executions["items"][0]["id"].as_str().expect("id"));
    let (_, failed) = send(server.admin(&acme, Method::GET, &failed)).await;
    assert_eq!(failed["input"]["lines"][0]["sku"], "WIDGET", "{failed}");
    assert_eq!(failed["input"]["lines"][0]["quantity"], 3, "{failed}");
    assert_eq!(failed["config"], json!({"mode": "trap"}), "{failed}");
    let (status, body) = send(server.admin(&acme, Method::GET, "/admin/v1/plugins/acme-chaos/executions/exe_nope")).await;
    assert_eq!((status, code(&body)), (404, "execution_not_found"), "{body}");

    // Reconfigure: it behaves (1.00 off).
    let (status, _) = send(server.admin(&acme, Method::PATCH, "/admin/v1/plugins/acme-chaos").json(&json!({"config": {"mode": "behave"}}))).await;
    assert_eq!(status, 200);
    let (_, priced) = price(&server, "acme", 3).await;
    assert_eq!(priced["lines"][0]["unit_price"], "9.0000", "{priced}");
    let (_, executions) = send(server.admin(&acme, Method::GET, "/admin/v1/plugins/acme-chaos/executions")).await;
    assert_eq!((executions["items"][0]["outcome"].as_str(), executions["items"][0]["input_captured"].as_bool()), (Some("ok"), Some(false)), "{executions}");

    // A new version with a bad config is refused; activated with a good one; rolled back.
    let (status, _) = send(server.admin(&acme, Method::POST, "/admin/v1/plugin-packages").multipart(upload(manifest("0.2.0"), hostile.clone()))).await;
    assert_eq!(status, 201);
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/plugins/acme-chaos/activate").json(&json!({"version": "0.2.0", "config": {}}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/plugins/acme-chaos/activate").json(&json!({"version": "0.2.0", "config": {"mode": "negative-price"}}))).await;
    assert_eq!((status, body["version"].clone(), body["previous_version"].clone()), (200, json!("0.2.0"), json!("0.1.0")), "{body}");
    let (status, body) = price(&server, "acme", 3).await;
    assert_eq!((status, body["error"]["details"]["error"].clone()), (503, json!("plugin_invalid_output")), "{body}");
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/plugins/acme-chaos/rollback")).await;
    assert_eq!((status, body["version"].clone()), (200, json!("0.1.0")), "{body}");
    let (_, priced) = price(&server, "acme", 3).await;
    assert_eq!(priced["lines"][0]["unit_price"], "9.0000", "{priced}");

    // Disabled, it does not run; uninstalled, it is gone.
    let (status, _) = send(server.admin(&acme, Method::PATCH, "/admin/v1/plugins/acme-chaos").json(&json!({"enabled": false}))).await;
    assert_eq!(status, 200);
    let (_, priced) = price(&server, "acme", 3).await;
    assert_eq!(priced["lines"][0]["unit_price"], "10.0000");
    let (status, _) = send(server.admin(&acme, Method::DELETE, "/admin/v1/plugins/acme-chaos")).await;
    assert_eq!(status, 204);
    let (status, list) = send(server.admin(&acme, Method::GET, "/admin/v1/plugins")).await;
    assert_eq!((status, list["items"].clone()), (200, json!([])));

    // Unknown SKUs and bad quantities name their line.
    let (status, body) = send(server.store("acme", Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "NOPE", "quantity": 0}]}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    assert!(body["error"]["details"]["fields"]["lines[0].quantity"].is_string(), "{body}");
    let (status, body) = send(server.store("acme", Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "NOPE", "quantity": 1}]}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    assert!(body["error"]["details"]["fields"]["lines[0].sku"].is_string(), "{body}");
}
