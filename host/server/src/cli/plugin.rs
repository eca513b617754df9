//! `hanse plugin ...`: scaffold a plugin crate, and run a component locally the way the server
//! would, printing its answer, the fuel it used and the time it took.

use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use hanse_domain::plugin::{PluginId, PluginKind};
use hanse_runtime::types::*;
use hanse_runtime::{Execution, Limits, Runtime, RuntimeOptions};
use serde::Deserialize;
use serde_json::{Value, json};

use super::CliError;
use crate::plugins::replay::{self, money_out};

/// Plugin kinds on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    /// Prices cart lines.
    Pricing,
    /// Decides on purchase orders.
    Approval,
    /// Quotes shipping rates.
    Shipping,
    /// Offers and authorizes payment methods.
    Payment,
}

impl From<Kind> for PluginKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Pricing => PluginKind::Pricing,
            Kind::Approval => PluginKind::Approval,
            Kind::Shipping => PluginKind::Shipping,
            Kind::Payment => PluginKind::Payment,
        }
    }
}

#[derive(Subcommand)]
pub enum PluginCommand {
    /// Create a plugin crate that builds: Cargo.toml, manifest.json, src/lib.rs with a test.
    ///
    /// Then: `cargo build --release --target wasm32-wasip2` in it, and upload
    /// `target/wasm32-wasip2/release/<name>.wasm` with its manifest.json.
    New {
        /// Plugin id and crate name (lower-case letters, digits, hyphens).
        name: String,
        /// The kind of plugin.
        #[arg(long, value_enum, default_value = "pricing")]
        kind: Kind,
        /// Folder to create (default: ./NAME).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// The plugin SDK to depend on (default: the SDK of the source tree this binary was built from).
        #[arg(long)]
        sdk: Option<PathBuf>,
    },
    /// Run a component locally on an input file, with the server's sandbox and limits.
    ///
    /// Money in the input and output is decimal strings. Inputs by kind:
    /// pricing `{"lines":[{"sku":"A","quantity":10,"list_price":"10.00","unit_price":"9.00","attributes":{"color":"red"}}]}`
    /// (`unit_price` defaults to the list price);
    /// shipping `{"lines":[{"sku":"A","quantity":1,"unit_price":"5.00","unit_weight":"0.5"}],"destination":{"country":"DE"},"subtotal":"5.00"}`;
    /// payment `{"grand_total":"100.00","available_credit":"500.00","po_number":"PO-1"}` (with --method, also authorizes);
    /// approval `{"grand_total":"5000.00","buyer":{"user_id":"u1","role":"Buyer"}}`.
    /// Every input may also carry `currency` (default USD), `tenant`, `now` (milliseconds) and
    /// `customer` (`{"company_id","customer_group","segments":[]}`). An execution the server
    /// captured (`GET /admin/v1/plugins/{id}/executions/{execution}`) gives `input` and
    /// `config` in exactly these shapes, to replay a real call.
    Run {
        /// The kind of plugin.
        #[arg(long, value_enum)]
        kind: Kind,
        /// The plugin's configuration (a JSON file); `{}` when absent.
        #[arg(long)]
        config: Option<PathBuf>,
        /// The input (a JSON file, shapes above).
        #[arg(long)]
        input: PathBuf,
        /// For payment plugins: also authorize with this method code.
        #[arg(long)]
        method: Option<String>,
        /// Instruction budget (default: the server's, scaled with the number of lines).
        #[arg(long)]
        fuel: Option<u64>,
        /// The component (.wasm).
        component: PathBuf,
    },
}

pub async fn run(command: PluginCommand) -> Result<(), CliError> {
    match command {
        PluginCommand::New { name, kind, dir, sdk } => scaffold(&name, kind.into(), dir, sdk),
        PluginCommand::Run { kind, config, input, method, fuel, component } => {
            run_component(kind.into(), config.as_deref(), &input, method.as_deref(), fuel, &component).await
        }
    }
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| CliError::Io(format!("cannot read {}: {e}", path.display())))
}

fn read_json(path: &Path) -> Result<Value, CliError> {
    serde_json::from_slice(&read(path)?).map_err(|e| CliError::Usage(format!("{}: not JSON: {e}", path.display())))
}

fn money_in(value: &str, what: &str) -> Result<i64, CliError> {
    replay::money_in(value, what).map_err(CliError::Usage)
}

fn field<T: serde::de::DeserializeOwned>(input: &Value, name: &str) -> Result<T, CliError> {
    replay::field(input, name).map_err(CliError::Usage)
}

async fn run_component(
    kind: PluginKind,
    config: Option<&Path>,
    input_path: &Path,
    method: Option<&str>,
    fuel: Option<u64>,
    component: &Path,
) -> Result<(), CliError> {
    let config = match config {
        Some(path) => read_json(path)?.to_string(),
        None => "{}".to_owned(),
    };
    let input = read_json(input_path)?;
    let runtime = Runtime::new(RuntimeOptions::default()).map_err(|e| CliError::Io(e.to_string()))?;
    let started = std::time::Instant::now();
    let plugin = runtime.load(kind, &read(component)?).map_err(|e| CliError::Usage(format!("{}: {e}", component.display())))?;
    let compiled_in = started.elapsed();
    let context = replay::context_from_json(&input, config).map_err(CliError::Usage)?;
    let lines = input.get("lines").and_then(Value::as_array).map_or(0, Vec::len);
    let mut limits = Limits::default().scaled_for_lines(lines);
    if let Some(fuel) = fuel {
        limits.fuel = fuel;
    }
    let report = match kind {
        PluginKind::Pricing => {
            let wire = replay::price_lines_from_json(&input).map_err(CliError::Usage)?;
            let execution = runtime.price(&plugin, &PriceRequest { context, lines: wire }, &limits).await;
            report(execution, |changes| {
                json!(changes.iter().map(|c| json!({"line_id": c.line_id, "unit_price": money_out(c.unit_price), "reason": c.reason})).collect::<Vec<_>>())
            })
        }
        PluginKind::Shipping => {
            #[derive(Deserialize)]
            struct Line {
                sku: String,
                quantity: i64,
                unit_price: String,
                unit_weight: Option<String>,
            }
            #[derive(Deserialize)]
            struct Destination {
                country: String,
                region: Option<String>,
                postcode: Option<String>,
                city: Option<String>,
            }
            let lines: Vec<Line> = field(&input, "lines")?;
            let d: Destination = field(&input, "destination")?;
            let subtotal: String = field(&input, "subtotal")?;
            let mut wire = Vec::new();
            for (i, l) in lines.into_iter().enumerate() {
                wire.push(ShippingLine {
                    sku: l.sku,
                    quantity: l.quantity,
                    unit_price: money_in(&l.unit_price, &format!("lines[{i}].unit_price"))?,
                    unit_weight: l.unit_weight.as_deref().map(|w| money_in(w, &format!("lines[{i}].unit_weight"))).transpose()?,
                });
            }
            let request = RateRequest {
                context,
                lines: wire,
                destination: Address { country: d.country, region: d.region, postcode: d.postcode, city: d.city },
                subtotal: money_in(&subtotal, "subtotal")?,
            };
            report(runtime.rates(&plugin, &request, &limits).await, |rates| {
                json!(rates.iter().map(|r| json!({"code": r.code, "label": r.label, "amount": money_out(r.amount), "estimated_days": r.estimated_days})).collect::<Vec<_>>())
            })
        }
        PluginKind::Payment => {
            let total: String = field(&input, "grand_total")?;
            let credit: Option<String> = field(&input, "available_credit")?;
            let checkout = Checkout {
                context,
                grand_total: money_in(&total, "grand_total")?,
                available_credit: credit.as_deref().map(|c| money_in(c, "available_credit")).transpose()?,
                po_number: field(&input, "po_number")?,
            };
            let methods = report(runtime.methods(&plugin, &checkout, &limits).await, |methods| {
                json!(methods.iter().map(|m| json!({"code": m.code, "label": m.label})).collect::<Vec<_>>())
            });
            match method {
                None => methods,
                Some(code) => {
                    let authorization = report(runtime.authorize(&plugin, code, &checkout, &limits).await, |a| match a {
                        Authorization::Authorized(r) => json!({"authorized": r}),
                        Authorization::Declined(r) => json!({"declined": r}),
                        Authorization::Pending(r) => json!({"pending": r}),
                        Authorization::OnTerms(t) => json!({"on_terms": {"reference": t.reference, "due_days": t.due_days}}),
                    });
                    json!({"methods": methods, "authorize": authorization})
                }
            }
        }
        PluginKind::Approval => {
            #[derive(Deserialize, Default)]
            struct BuyerIn {
                #[serde(default)]
                user_id: String,
                #[serde(default)]
                role: String,
                #[serde(default)]
                is_company_admin: bool,
                #[serde(default)]
                managers: Vec<String>,
            }
            let total: String = field(&input, "grand_total")?;
            let buyer: Option<BuyerIn> = field(&input, "buyer")?;
            let buyer = buyer.unwrap_or_default();
            let total = money_in(&total, "grand_total")?;
            let request = ApprovalRequest {
                context,
                subtotal: total,
                shipping: 0,
                grand_total: total,
                lines: vec![],
                buyer: Buyer { user_id: buyer.user_id, role: buyer.role, is_company_admin: buyer.is_company_admin, managers: buyer.managers },
            };
            report(runtime.evaluate(&plugin, &request, &limits).await, |d| match d {
                Decision::Approve => json!("approve"),
                Decision::Reject(r) => json!({"reject": r}),
                Decision::Require(steps) => json!({"require": steps.iter().map(|s| json!({
                    "name": s.name,
                    "min_approvals": s.min_approvals,
                    "approvers": s.approvers.iter().map(|a| match a {
                        ApproverRef::Role(r) => json!({"role": r}),
                        ApproverRef::User(u) => json!({"user": u}),
                        ApproverRef::Manager => json!("manager"),
                        ApproverRef::CompanyAdmin => json!("company-admin"),
                    }).collect::<Vec<_>>(),
                })).collect::<Vec<_>>()}),
            })
        }
    };
    let out = json!({"compile_ms": compiled_in.as_secs_f64() * 1000.0, "result": report});
    println!("{}", serde_json::to_string_pretty(&out).map_err(|e| CliError::Io(e.to_string()))?);
    let failed = out["result"].get("error").is_some() || out["result"]["authorize"].get("error").is_some();
    if failed { Err(CliError::Usage("the plugin call failed (see \"error\")".into())) } else { Ok(()) }
}

fn report<T>(execution: Execution<T>, output: impl FnOnce(&T) -> Value) -> Value {
    let mut value = json!({
        "fuel": execution.fuel_used,
        "duration_us": execution.duration.as_micros() as u64,
        "logs": execution.logs.iter().map(|l| json!({"level": l.level, "message": l.message})).collect::<Vec<_>>(),
    });
    match &execution.outcome {
        Ok(answer) => value["output"] = output(answer),
        Err(e) => value["error"] = json!({"code": e.code(), "message": e.to_string()}),
    }
    value
}

/// The SDK of the source tree this binary was built from.
fn default_sdk() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plugins/sdk")
}

fn scaffold(name: &str, kind: PluginKind, dir: Option<PathBuf>, sdk: Option<PathBuf>) -> Result<(), CliError> {
    let id = PluginId::parse(name).map_err(|e| CliError::Usage(format!("NAME {e}")))?;
    let dir = dir.unwrap_or_else(|| PathBuf::from(name));
    if dir.exists() {
        return Err(CliError::Usage(format!("{} exists already", dir.display())));
    }
    let sdk = sdk.unwrap_or_else(default_sdk);
    let sdk = sdk.canonicalize().map_err(|e| CliError::Usage(format!("the SDK at {}: {e}", sdk.display())))?;
    let crate_name = id.as_str().replace('-', "_");
    let kind_name = kind.as_str();
    let cargo = format!(
        r#"[package]
name = "{id}"
version = "0.1.0"
edition = "2024"

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
hanse-plugin-sdk = {{ path = {sdk:?}, features = ["{kind_name}"] }}
serde = {{ version = "1", features = ["derive"] }}

[profile.release]
strip = "debuginfo"

# A crate of its own, not part of any surrounding workspace.
[workspace]
"#,
        sdk = sdk.display().to_string()
    );
    let manifest = json!({
        "id": id.as_str(),
        "version": "0.1.0",
        "kind": kind_name,
        "wit": hanse_domain::plugin::WIT_PACKAGE,
        "description": format!("{id}: describe what it does"),
        "capabilities": [],
        "config_schema": template_schema(kind),
    });
    let source = template_source(kind, &crate_name);
    let files = [
        ("Cargo.toml", cargo),
        ("manifest.json", serde_json::to_string_pretty(&manifest).unwrap_or_default() + "\n"),
        ("src/lib.rs", source),
        (".gitignore", "/target\nCargo.lock\n".to_owned()),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| CliError::Io(format!("{}: {e}", parent.display())))?;
        }
        std::fs::write(&path, text).map_err(|e| CliError::Io(format!("{}: {e}", path.display())))?;
    }
    println!("created {} ({kind_name} plugin {id})", dir.display());
    println!("  cd {} && cargo test && cargo build --release --target wasm32-wasip2", dir.display());
    println!("  component: target/wasm32-wasip2/release/{crate_name}.wasm, manifest: manifest.json");
    Ok(())
}

fn template_schema(kind: PluginKind) -> Value {
    match kind {
        PluginKind::Pricing => json!({"type": "object", "additionalProperties": false, "required": ["percent_off"],
            "properties": {"percent_off": {"type": "string", "pattern": "^[0-9]{1,2}(\\.[0-9]{1,4})?$"}}}),
        _ => json!({"type": "object"}),
    }
}

fn template_source(kind: PluginKind, crate_name: &str) -> String {
    match kind {
        PluginKind::Pricing => format!(
            r##"//! {crate_name}: a pricing plugin for Hanse. Configuration: {{"percent_off": "5"}}.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::pricing::{{PriceChange, PriceRequest, Pricing}};
use serde::Deserialize;

pub struct Plugin;

#[derive(Deserialize)]
struct Config {{
    percent_off: Decimal,
}}

impl Pricing for Plugin {{
    fn price(request: &PriceRequest) -> Result<Vec<PriceChange>, String> {{
        let config: Config = request.context.config_as()?;
        let factor = (Decimal::ONE_HUNDRED - config.percent_off) / Decimal::ONE_HUNDRED;
        Ok(request
            .lines
            .iter()
            .map(|line| PriceChange {{
                line_id: line.line_id,
                unit_price: line.unit_price * factor,
                reason: format!("{{}}% off", config.percent_off.normalize()),
            }})
            .collect())
    }}
}}

hanse_plugin_sdk::export_pricing!(Plugin);

#[cfg(test)]
mod tests {{
    use hanse_plugin_sdk::Context;
    use hanse_plugin_sdk::pricing::PriceLine;

    use super::*;

    #[test]
    fn takes_the_percentage_off() {{
        let request = PriceRequest {{
            context: Context {{ config: r#"{{"percent_off":"5"}}"#.into(), ..Default::default() }},
            lines: vec![PriceLine {{
                line_id: 0,
                sku: "A".into(),
                quantity: 1,
                list_price: Decimal::new(1000, 2),
                unit_price: Decimal::new(1000, 2),
                attributes: vec![],
            }}],
        }};
        let changes = Plugin::price(&request).unwrap();
        assert_eq!(changes[0].unit_price, Decimal::new(950, 2));
    }}
}}
"##
        ),
        PluginKind::Shipping => format!(
            r#"//! {crate_name}: a shipping plugin for Hanse.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::shipping::{{Rate, RateRequest, Shipping}};

pub struct Plugin;

impl Shipping for Plugin {{
    fn rates(_request: &RateRequest) -> Result<Vec<Rate>, String> {{
        Ok(vec![Rate {{ code: "standard".into(), label: "Standard".into(), amount: Decimal::new(500, 2), estimated_days: Some(3) }}])
    }}
}}

hanse_plugin_sdk::export_shipping!(Plugin);
"#
        ),
        PluginKind::Payment => format!(
            r#"//! {crate_name}: a payment plugin for Hanse.

use hanse_plugin_sdk::payment::{{Authorization, Checkout, Method, Payment}};

pub struct Plugin;

impl Payment for Plugin {{
    fn methods(_checkout: &Checkout) -> Result<Vec<Method>, String> {{
        Ok(vec![Method {{ code: "invoice".into(), label: "Invoice".into() }}])
    }}

    fn authorize(code: &str, _checkout: &Checkout) -> Result<Authorization, String> {{
        Ok(Authorization::Pending(format!("{{code}}:pending")))
    }}
}}

hanse_plugin_sdk::export_payment!(Plugin);
"#
        ),
        PluginKind::Approval => format!(
            r#"//! {crate_name}: an approval plugin for Hanse.

use hanse_plugin_sdk::approval::{{Approval, ApprovalRequest, Decision}};

pub struct Plugin;

impl Approval for Plugin {{
    fn evaluate(_request: &ApprovalRequest) -> Result<Decision, String> {{
        Ok(Decision::Approve)
    }}
}}

hanse_plugin_sdk::export_approval!(Plugin);
"#
        ),
    }
}

