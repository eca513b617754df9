//! Plugin call benchmark: the tier-pricing plugin as a WebAssembly component (fresh instance per
//! call, the server's limits), the same logic in native Rust, and the same logic behind an HTTP
//! webhook on loopback (the Saleor / commercetools extension model), for 1-, 20- and 200-line
//! carts.
//!
//! ```text
//! cargo run --release --example plugin_bench [CALLS]
//! ```
//!
//! Prints a Markdown table. CALLS (default 2000) is per configuration, after 200 warm-up calls.

use std::time::{Duration, Instant};

use hanse_domain::plugin::PluginKind;
use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::pricing::{PriceLine as SdkLine, PriceRequest as SdkRequest, Pricing};
use hanse_runtime::bundled::FIRST_PARTY;
use hanse_runtime::types::{Context, Customer, PriceLine, PriceRequest};
use hanse_runtime::{Limits, Runtime, RuntimeOptions};
use serde_json::{Value, json};
use tier_pricing::TierPricing;

const CONFIG: &str = r#"{"tiers":[{"min_quantity":10,"percent_off":"10"},{"min_quantity":100,"fixed_price":"7.50"}]}"#;
const WARM_UP: usize = 200;

fn wasm_request(lines: usize) -> PriceRequest {
    PriceRequest {
        context: Context {
            tenant: "bench".into(),
            currency: "USD".into(),
            now: 0,
            config: CONFIG.into(),
            customer: Customer { company_id: None, customer_group: None, segments: vec![] },
        },
        lines: (0..lines)
            .map(|i| PriceLine {
                line_id: i as u32,
                sku: format!("SKU-{i:05}"),
                quantity: 5 + i as i64,
                list_price: 100_000,
                unit_price: 100_000,
                attributes: vec![],
            })
            .collect(),
    }
}

fn native_request(lines: usize) -> SdkRequest {
    SdkRequest {
        context: hanse_plugin_sdk::Context { config: CONFIG.into(), currency: "USD".into(), ..Default::default() },
        lines: (0..lines)
            .map(|i| SdkLine {
                line_id: i as u32,
                sku: format!("SKU-{i:05}"),
                quantity: 5 + i as i64,
                list_price: Decimal::new(100_000, 4),
                unit_price: Decimal::new(100_000, 4),
                attributes: vec![],
            })
            .collect(),
    }
}

fn webhook_body(lines: usize) -> Value {
    json!({
        "config": CONFIG,
        "lines": (0..lines).map(|i| json!({"line_id": i, "sku": format!("SKU-{i:05}"), "quantity": 5 + i, "list_price": "10.0000", "unit_price": "10.0000"})).collect::<Vec<_>>(),
    })
}

/// The webhook: JSON in, the native logic, JSON out.
async fn webhook(axum::Json(body): axum::Json<Value>) -> axum::Json<Value> {
    let lines = body["lines"].as_array().cloned().unwrap_or_default();
    let request = SdkRequest {
        context: hanse_plugin_sdk::Context { config: body["config"].as_str().unwrap_or("{}").into(), ..Default::default() },
        lines: lines
            .iter()
            .map(|l| SdkLine {
                line_id: l["line_id"].as_u64().unwrap_or(0) as u32,
                sku: l["sku"].as_str().unwrap_or("").into(),
                quantity: l["quantity"].as_i64().unwrap_or(0),
                list_price: l["list_price"].as_str().and_then(|p| p.parse().ok()).unwrap_or_default(),
                unit_price: l["unit_price"].as_str().and_then(|p| p.parse().ok()).unwrap_or_default(),
                attributes: vec![],
            })
            .collect(),
    };
    let changes = TierPricing::price(&request).unwrap_or_default();
    axum::Json(json!(changes.iter().map(|c| json!({"line_id": c.line_id, "unit_price": c.unit_price.to_string(), "reason": c.reason})).collect::<Vec<_>>()))
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q) as usize).min(samples.len() - 1)];
    (at(0.50), at(0.99))
}

fn measure(calls: usize, mut call: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..WARM_UP {
        call();
    }
    let samples = (0..calls)
        .map(|_| {
            let started = Instant::now();
            call();
            started.elapsed()
        })
        .collect();
    percentiles(samples)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn main() {
    let calls: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2_000);
    let component = FIRST_PARTY
        .iter()
        .find(|p| p.manifest.contains("\"id\": \"tier-pricing\""))
        .expect("tier-pricing is bundled")
        .component;
    let runtime = Runtime::new(RuntimeOptions::default()).expect("runtime");
    let started = Instant::now();
    let plugin = runtime.load(PluginKind::Pricing, component).expect("loads");
    let compile = started.elapsed();

    let tokio = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("tokio");
    let listener = tokio.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
    let address = listener.local_addr().expect("address");
    tokio.spawn(async move {
        let app = axum::Router::new().route("/price", axum::routing::post(webhook));
        let _ = axum::serve(listener, app).await;
    });
    let client = reqwest::Client::new();
    // The calling thread's own executor: a plugin call runs on its caller's task.
    let caller = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio");
    let url = format!("http://{address}/price");

    println!("tier-pricing component: {} bytes, compiled in {:.1} ms; {calls} calls per cell after {WARM_UP} warm-up calls\n", component.len(), compile.as_secs_f64() * 1e3);
    println!("| lines | wasm p50 | wasm p99 | fuel | native p50 | native p99 | webhook p50 | webhook p99 | wasm ÷ native (p50) | webhook ÷ wasm (p50) |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for lines in [1, 20, 200] {
        let request = wasm_request(lines);
        let limits = Limits::default().scaled_for_lines(lines);
        let fuel = caller.block_on(runtime.price(&plugin, &request, &limits)).fuel_used;
        let (wasm50, wasm99) = measure(calls, || {
            let execution = caller.block_on(runtime.price(&plugin, &request, &limits));
            assert!(execution.outcome.is_ok(), "{:?}", execution.outcome);
        });
        let native = native_request(lines);
        let (native50, native99) = measure(calls, || {
            let changes = TierPricing::price(std::hint::black_box(&native)).expect("prices");
            std::hint::black_box(changes);
        });
        let body = webhook_body(lines);
        let (hook50, hook99) = measure(calls, || {
            let response = tokio.block_on(async { client.post(&url).json(&body).send().await?.json::<Value>().await }).expect("webhook");
            std::hint::black_box(response);
        });
        println!(
            "| {lines} | {} | {} | {fuel} | {} | {} | {} | {} | {:.1}× | {:.1}× |",
            us(wasm50),
            us(wasm99),
            us(native50),
            us(native99),
            us(hook50),
            us(hook99),
            wasm50.as_secs_f64() / native50.as_secs_f64(),
            hook50.as_secs_f64() / wasm50.as_secs_f64(),
        );
    }
}
