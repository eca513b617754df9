//! The plugin developer's loop: scaffold a crate, build it, run it locally, upload it.

use std::path::Path;
use std::process::Command;

use reqwest::Method;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};

use crate::harness::{TestServer, send};

fn hanse(args: &[&str], dir: &Path) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_hanse")).args(args).current_dir(dir).output().expect("run hanse");
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[tokio::test]
async fn scaffold_build_run_and_upload_a_pricing_plugin() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = std::env::temp_dir().join("hanse-tests").join(format!("scaffold-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).expect("work dir");

    let (ok, stdout, stderr) = hanse(&["plugin", "new", "volume-discount", "--kind", "pricing"], &work);
    assert!(ok, "{stdout} {stderr}");
    let crate_dir = work.join("volume-discount");
    let (ok, _, stderr) = hanse(&["plugin", "new", "volume-discount"], &work);
    assert!(!ok && stderr.contains("exists already"), "{stderr}");

    // Build it as a developer would; the workspace's lock file and plugin build folder keep it
    // offline and quick.
    std::fs::copy(root.join("Cargo.lock"), crate_dir.join("Cargo.lock")).expect("lock file");
    let target = root.join("target").join("wasm-plugins");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--release", "--target", "wasm32-wasip2"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("RUSTFLAGS")
        .current_dir(&crate_dir)
        .status()
        .expect("cargo build");
    assert!(status.success(), "the scaffolded plugin builds");
    let wasm = target.join("wasm32-wasip2/release/volume_discount.wasm");

    std::fs::write(crate_dir.join("input.json"), r#"{"lines":[{"sku":"A","quantity":3,"list_price":"10.00"}]}"#).expect("input");
    std::fs::write(crate_dir.join("config.json"), r#"{"percent_off":"5"}"#).expect("config");
    let wasm_arg = wasm.to_str().expect("path");
    let (ok, stdout, stderr) =
        hanse(&["plugin", "run", "--kind", "pricing", "--config", "config.json", "--input", "input.json", wasm_arg], &crate_dir);
    assert!(ok, "{stdout} {stderr}");
    let report: Value = serde_json::from_str(&stdout).expect("JSON report");
    assert_eq!(report["result"]["output"][0]["unit_price"], "9.5000", "{report}");
    assert!(report["result"]["fuel"].as_u64().is_some_and(|f| f > 0), "{report}");

    // The wrong kind, or too little fuel, fail with a clear error.
    let (ok, _, stderr) = hanse(&["plugin", "run", "--kind", "shipping", "--input", "input.json", wasm_arg], &crate_dir);
    assert!(!ok && stderr.contains("does not implement the shipping world"), "{stderr}");
    let (ok, stdout, _) = hanse(&["plugin", "run", "--kind", "pricing", "--config", "config.json", "--input", "input.json", "--fuel", "100", wasm_arg], &crate_dir);
    assert!(!ok && stdout.contains("plugin_out_of_fuel"), "{stdout}");

    // And the merchant installs it as a private plugin.
    let server = TestServer::start().await;
    let admin = server.tenant("acme").await;
    send(server.admin(&admin, Method::POST, "/admin/v1/products").json(&json!({"sku": "A", "name": "A", "price": "10.00"}))).await;
    let manifest = std::fs::read_to_string(crate_dir.join("manifest.json")).expect("manifest");
    let form = Form::new().part("manifest", Part::text(manifest)).part("component", Part::bytes(std::fs::read(&wasm).expect("wasm")));
    let (status, body) = send(server.admin(&admin, Method::POST, "/admin/v1/plugin-packages").multipart(form)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) =
        send(server.admin(&admin, Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "volume-discount", "config": {"percent_off": "5"}}))).await;
    assert_eq!(status, 201, "{body}");
    let (_, priced) = send(server.store("acme", Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "A", "quantity": 2}]}))).await;
    assert_eq!(priced["lines"][0]["unit_price"], "9.5000", "{priced}");

    // Inputs are not kept by default; with capture on, a real call can be replayed locally.
    let (_, executions) = send(server.admin(&admin, Method::GET, "/admin/v1/plugins/volume-discount/executions")).await;
    assert_eq!(executions["items"][0]["input_captured"], false, "{executions}");
    let (status, body) = send(server.admin(&admin, Method::PATCH, "/admin/v1/plugins/volume-discount").json(&json!({"capture": "sometimes"}))).await;
    assert_eq!((status, body["error"]["details"]["fields"]["capture"].is_string()), (422, true), "{body}");
    let (status, body) = send(server.admin(&admin, Method::PATCH, "/admin/v1/plugins/volume-discount").json(&json!({"capture": "all"}))).await;
    assert_eq!((status, body["capture"].as_str()), (200, Some("all")), "{body}");
    send(server.admin(&admin, Method::POST, "/admin/v1/products").json(&json!({"sku": "B", "name": "B", "price": "4.00", "attributes": {"color": "red"}}))).await;
    let cart = json!({"lines": [{"sku": "A", "quantity": 7}, {"sku": "B", "quantity": 1}]});
    let (_, priced) = send(server.store("acme", Method::POST, "/store/v1/price").json(&cart)).await;
    let (_, executions) = send(server.admin(&admin, Method::GET, "/admin/v1/plugins/volume-discount/executions")).await;
    let newest = &executions["items"][0];
    assert_eq!(newest["input_captured"], true, "{executions}");
    let path = format!("/admin/v1/plugins/volume-discount/executions/{}", newest["id"].as_str().expect("id"));
    let (status, captured) = send(server.admin(&admin, Method::GET, &path)).await;
    assert_eq!(status, 200, "{captured}");
    assert_eq!(captured["config"], json!({"percent_off": "5"}), "{captured}");
    assert_eq!(captured["input"]["tenant"], "acme", "{captured}");
    assert_eq!(captured["input"]["lines"][1]["attributes"], json!({"color": "red"}), "{captured}");
    std::fs::write(crate_dir.join("captured-input.json"), captured["input"].to_string()).expect("input");
    std::fs::write(crate_dir.join("captured-config.json"), captured["config"].to_string()).expect("config");
    let (ok, stdout, stderr) =
        hanse(&["plugin", "run", "--kind", "pricing", "--config", "captured-config.json", "--input", "captured-input.json", wasm_arg], &crate_dir);
    assert!(ok, "{stdout} {stderr}");
    let replayed: Value = serde_json::from_str(&stdout).expect("JSON report");
    let output = &replayed["result"]["output"];
    assert_eq!(output.as_array().map(Vec::len), Some(2), "{replayed}");
    for (i, line) in priced["lines"].as_array().expect("lines").iter().enumerate() {
        assert_eq!(output[i]["unit_price"], line["unit_price"], "the replay prices line {i} as the server did: {replayed} {priced}");
    }
    // Another tenant cannot read it.
    let beta = server.tenant("beta").await;
    let (status, _) = send(server.admin(&beta, Method::GET, &path)).await;
    assert_eq!(status, 404);
    let _ = std::fs::remove_dir_all(&work);
}
