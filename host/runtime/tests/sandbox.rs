//! The runtime against real components: the first-party plugins and a hostile one.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use hanse_domain::plugin::PluginKind;
use hanse_runtime::bundled::{FIRST_PARTY, HOSTILE};
use hanse_runtime::types::*;
use hanse_runtime::{Limits, LoadError, LoadedPlugin, PluginError, Runtime, RuntimeOptions};

/// One runtime and one compilation per plugin for the whole test binary.
fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| Runtime::new(RuntimeOptions::default()).expect("runtime"))
}

/// Runs a call to its end on a thread of its own, as a synchronous caller would.
fn block_on<F: std::future::Future>(call: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("executor").block_on(call)
}

fn hostile() -> Arc<LoadedPlugin> {
    runtime().load(PluginKind::Pricing, HOSTILE.component).expect("hostile plugin loads")
}

fn first_party(id: &str, kind: PluginKind) -> Arc<LoadedPlugin> {
    let plugin = FIRST_PARTY.iter().find(|p| p.manifest.contains(&format!("\"id\": \"{id}\""))).expect("bundled");
    runtime().load(kind, plugin.component).expect("first-party plugin loads")
}

fn context(config: &str) -> Context {
    Context {
        tenant: "acme".into(),
        currency: "USD".into(),
        now: 1_790_000_000_000,
        config: config.into(),
        customer: Customer { company_id: None, customer_group: None, segments: vec![] },
    }
}

fn cart(config: &str, lines: usize) -> PriceRequest {
    PriceRequest {
        context: context(config),
        lines: (0..lines)
            .map(|i| PriceLine {
                line_id: i as u32,
                sku: format!("SKU-{i}"),
                quantity: 10 + i as i64,
                list_price: 100_000,
                unit_price: 100_000,
                attributes: vec![Attribute { name: "material".into(), value: "steel".into() }],
            })
            .collect(),
    }
}

/// The default limits with a deadline no loaded machine reaches, for tests whose subject is not
/// time: the deadline counts the wall time a call runs from instantiation, and beside a parallel compilation on
/// two cores the default 50 ms is not always there.
fn untimed() -> Limits {
    Limits { deadline: Duration::from_secs(10), ..Limits::default() }
}

fn hostile_call(mode: &str, limits: &Limits) -> (Result<Vec<PriceChange>, PluginError>, Duration, u64) {
    // Loaded (and on first use compiled) before the clock starts: only the call is timed.
    let (runtime, plugin, request) = (runtime(), hostile(), cart(&format!(r#"{{"mode":"{mode}"}}"#), 3));
    let started = Instant::now();
    let execution = block_on(runtime.price(&plugin, &request, limits));
    (execution.outcome, started.elapsed(), execution.fuel_used)
}

#[test]
fn tier_pricing_prices_a_cart() {
    let plugin = first_party("tier-pricing", PluginKind::Pricing);
    let request = cart(r#"{"tiers":[{"min_quantity":10,"percent_off":"10"}]}"#, 20);
    let execution = block_on(runtime().price(&plugin, &request, &untimed()));
    let changes = execution.outcome.expect("priced");
    assert_eq!(changes.len(), 20);
    assert!(changes.iter().all(|c| c.unit_price == 90_000 && c.reason == "10% off from 10 units"), "{changes:?}");
    assert!(execution.fuel_used > 0 && execution.fuel_used < Limits::default().fuel);

    // Deterministic: the same input gives the same output and the same fuel.
    let again = block_on(runtime().price(&plugin, &request, &untimed()));
    assert_eq!(again.outcome.expect("priced"), changes);
    assert_eq!(again.fuel_used, execution.fuel_used);
}

#[test]
fn the_other_first_party_plugins_answer() {
    let shipping = first_party("flat-rate-shipping", PluginKind::Shipping);
    let request = RateRequest {
        context: context(r#"{"price":"5.00","per":"item"}"#),
        lines: vec![ShippingLine { sku: "A".into(), quantity: 3, unit_price: 10_000, unit_weight: Some(5_000) }],
        destination: Address { country: "DE".into(), region: None, postcode: Some("20095".into()), city: None },
        subtotal: 30_000,
    };
    let rates = block_on(runtime().rates(&shipping, &request, &untimed())).outcome.expect("rates");
    assert_eq!(rates.len(), 1);
    assert_eq!((rates[0].code.as_str(), rates[0].amount), ("flat-rate", 150_000));

    let payment = first_party("payment-on-account", PluginKind::Payment);
    let checkout = Checkout { context: context("{}"), grand_total: 500_000, available_credit: Some(1_000_000), po_number: Some("PO-1".into()) };
    let methods = block_on(runtime().methods(&payment, &checkout, &untimed())).outcome.expect("methods");
    assert_eq!(methods[0].code, "on-account");
    let authorization = block_on(runtime().authorize(&payment, "on-account", &checkout, &untimed())).outcome.expect("authorized");
    assert_eq!(authorization, Authorization::Authorized("on-account:PO-1".into()));

    let approval = first_party("approval-threshold", PluginKind::Approval);
    let order = ApprovalRequest {
        context: context(r#"{"threshold":"1000"}"#),
        subtotal: 20_000_000,
        shipping: 0,
        grand_total: 20_000_000,
        lines: vec![],
        buyer: Buyer { user_id: "u1".into(), role: "Buyer".into(), is_company_admin: false, managers: vec![] },
    };
    let decision = block_on(runtime().evaluate(&approval, &order, &untimed())).outcome.expect("decision");
    assert!(matches!(decision, Decision::Require(ref steps) if steps[0].approvers == vec![ApproverRef::CompanyAdmin]), "{decision:?}");
}

#[test]
fn table_rate_shipping_quotes_from_its_table() {
    let plugin = first_party("table-rate-shipping", PluginKind::Shipping);
    let config = r#"{"basis":"weight","rows":[
        {"country":"US","region":"CA","from":"0","price":"5.00"},
        {"country":"US","from":"10","price":"9.00"},
        {"country":"*","from":"0","price":"25.00"}]}"#;
    let request = |country: &str, region: Option<&str>, weight: i64| RateRequest {
        context: context(config),
        lines: vec![ShippingLine { sku: "A".into(), quantity: 2, unit_price: 10_000, unit_weight: Some(weight) }],
        destination: Address { country: country.into(), region: region.map(Into::into), postcode: None, city: None },
        subtotal: 20_000,
    };
    let quote = |request: RateRequest| block_on(runtime().rates(&plugin, &request, &untimed())).outcome.expect("rates");
    let rates = quote(request("US", Some("ca"), 60_000));
    assert_eq!((rates[0].code.as_str(), rates[0].label.as_str(), rates[0].amount), ("table-rate", "Table rate", 50_000));
    assert_eq!(quote(request("US", None, 50_000))[0].amount, 90_000, "2 × 5 reaches the band from 10");
    assert_eq!(quote(request("US", None, 40_000))[0].amount, 250_000, "below the US bands: anywhere");
}

#[test]
fn the_largest_table_fits_the_default_limits() {
    // The schema allows 500 rows: such a table must fit the input cap and the fuel of a call
    // with room to spare. Parsing the configuration is most of the cost (about 9,000 fuel a
    // row), which is why the schema stops at 500.
    let plugin = first_party("table-rate-shipping", PluginKind::Shipping);
    let rows: Vec<String> = (0..500)
        .map(|i| {
            format!(r#"{{"country":"C{}","region":"R{}","from":"{}.5","price":"{}.25"}}"#, char::from(b'A' + (i % 26) as u8), i / 26, i, i)
        })
        .collect();
    let config = format!(r#"{{"basis":"subtotal","rows":[{}]}}"#, rows.join(","));
    let request = RateRequest {
        context: context(&config),
        lines: vec![ShippingLine { sku: "A".into(), quantity: 1, unit_price: 10_000_000, unit_weight: None }],
        destination: Address { country: "CA".into(), region: Some("r18".into()), postcode: None, city: None },
        subtotal: 10_000_000,
    };
    let execution = block_on(runtime().rates(&plugin, &request, &untimed()));
    // Row 468 is CA/R18 from 468.5, the only one for that region.
    assert_eq!(execution.outcome.expect("rates")[0].amount, 4_682_500);
    assert!(execution.fuel_used < Limits::default().fuel / 2, "{}", execution.fuel_used);
}

#[test]
fn the_payment_plugins_answer() {
    let company = |config: &str| Context {
        customer: Customer { company_id: Some("cmp_1".into()), customer_group: None, segments: vec![] },
        ..context(config)
    };
    let checkout = |context: Context, po: Option<&str>| Checkout {
        context,
        grand_total: 1_000_000,
        available_credit: None,
        po_number: po.map(Into::into),
    };

    let terms = first_party("net-terms", PluginKind::Payment);
    let on_terms = checkout(company(r#"{"terms":[30,60]}"#), Some("PO-7"));
    let methods = block_on(runtime().methods(&terms, &on_terms, &untimed())).outcome.expect("methods");
    assert_eq!(
        methods.iter().map(|m| (m.code.as_str(), m.label.as_str())).collect::<Vec<_>>(),
        [("net-30", "Net 30"), ("net-60", "Net 60")]
    );
    let authorization = block_on(runtime().authorize(&terms, "net-60", &on_terms, &untimed())).outcome.expect("on terms");
    assert_eq!(authorization, Authorization::OnTerms(Terms { reference: "net-60:PO-7".into(), due_days: 60 }));
    let guest = checkout(context("{}"), None);
    assert!(block_on(runtime().methods(&terms, &guest, &untimed())).outcome.expect("methods").is_empty());
    let unknown = block_on(runtime().authorize(&terms, "net-90", &on_terms, &untimed())).outcome;
    assert!(matches!(unknown, Err(PluginError::Reported(ref m)) if m.contains("net-90")), "{unknown:?}");

    let po = first_party("purchase-order-number", PluginKind::Payment);
    let with_po = checkout(context(r#"{"allowed_prefixes":["PO-"]}"#), Some("PO-7"));
    assert_eq!(block_on(runtime().methods(&po, &with_po, &untimed())).outcome.expect("methods")[0].code, "purchase-order");
    let pending = block_on(runtime().authorize(&po, "purchase-order", &with_po, &untimed())).outcome.expect("pending");
    assert_eq!(pending, Authorization::Pending("po:PO-7".into()));
    let without = checkout(context("{}"), None);
    let declined = block_on(runtime().authorize(&po, "purchase-order", &without, &untimed())).outcome.expect("declined");
    assert_eq!(declined, Authorization::Declined("a purchase order number is required".into()));
}

#[test]
fn a_bad_configuration_is_reported() {
    let plugin = first_party("tier-pricing", PluginKind::Pricing);
    let outcome = block_on(runtime().price(&plugin, &cart(r#"{"tiers":"x"}"#, 1), &untimed())).outcome;
    assert!(matches!(outcome, Err(PluginError::Reported(ref m)) if m.contains("invalid configuration")), "{outcome:?}");
}

#[test]
fn loading_checks_the_component() {
    let garbage = runtime().load(PluginKind::Pricing, b"definitely not wasm");
    assert!(matches!(garbage, Err(LoadError::NotAComponent(_))), "{:?}", garbage.err());
    let core_module = runtime().load(PluginKind::Pricing, b"\0asm\x01\0\0\0");
    assert!(matches!(core_module, Err(LoadError::NotAComponent(_))), "{:?}", core_module.err());
    let truncated = runtime().load(PluginKind::Pricing, &HOSTILE.component[..HOSTILE.component.len() / 2]);
    assert!(matches!(truncated, Err(LoadError::NotAComponent(_))), "{:?}", truncated.err());
    let wrong_world = runtime().load(PluginKind::Shipping, HOSTILE.component);
    match wrong_world {
        Err(LoadError::WrongWorld { kind, .. }) => assert_eq!(kind, "shipping"),
        other => panic!("expected WrongWorld, got {:?}", other.err()),
    }
}

#[test]
fn an_infinite_loop_runs_out_of_fuel() {
    let limits = untimed();
    let (outcome, took, fuel) = hostile_call("loop", &limits);
    assert!(matches!(outcome, Err(PluginError::OutOfFuel(_))), "{outcome:?}");
    assert_eq!(fuel, limits.fuel);
    assert!(took < Duration::from_secs(1), "{took:?}");
}

#[test]
fn an_infinite_loop_with_fuel_to_spare_hits_the_deadline() {
    let limits = Limits { fuel: u64::MAX / 4, deadline: Duration::from_millis(50), ..Limits::default() };
    let (outcome, took, _) = hostile_call("loop", &limits);
    assert!(matches!(outcome, Err(PluginError::Timeout(50))), "{outcome:?}");
    // Without the deadline the loop would spin for hours; the margin is for a loaded machine.
    assert!(took < Duration::from_millis(50 + 450), "deadline plus a margin: {took:?}");
}

#[test]
fn a_plugin_cannot_wait_on_a_timer() {
    // A wait happens inside a host call, where fuel and the deadline do not reach: the host
    // refuses the timer instead of sleeping for ten seconds.
    let limits = untimed();
    let (outcome, took, _) = hostile_call("sleep", &limits);
    assert!(matches!(outcome, Err(PluginError::Trap(ref m)) if m.contains("may not wait")), "{outcome:?}");
    // Far below the ten seconds asked for, with room for a loaded machine.
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn unbounded_memory_growth_hits_the_memory_limit() {
    let limits = Limits { fuel: u64::MAX / 4, deadline: Duration::from_secs(5), ..Limits::default() };
    let (outcome, took, _) = hostile_call("memory", &limits);
    assert!(matches!(outcome, Err(PluginError::MemoryLimit(bytes)) if bytes == limits.memory_bytes), "{outcome:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn deep_recursion_traps() {
    let limits = Limits { fuel: u64::MAX / 4, deadline: Duration::from_secs(5), ..Limits::default() };
    let (outcome, _, _) = hostile_call("recursion", &limits);
    assert!(matches!(outcome, Err(PluginError::Trap(ref m)) if m.contains("stack")), "{outcome:?}");
}

#[test]
fn a_panic_traps() {
    let (outcome, _, _) = hostile_call("trap", &untimed());
    assert!(matches!(outcome, Err(PluginError::Trap(_))), "{outcome:?}");
}

#[test]
fn output_over_the_cap_is_refused() {
    let execution = block_on(runtime().price(&hostile(), &cart(r#"{"mode":"huge-output","bytes":100000}"#, 1), &untimed()));
    assert!(matches!(execution.outcome, Err(PluginError::OutputTooLarge { limit: 20_000, .. })), "{:?}", execution.outcome);
}

#[test]
fn input_over_the_cap_is_refused_before_running() {
    let limits = Limits { max_input_bytes: 1_000, ..Limits::default() };
    let execution = block_on(runtime().price(&hostile(), &cart(r#"{"mode":"behave"}"#, 50), &limits));
    assert!(matches!(execution.outcome, Err(PluginError::InputTooLarge { limit: 1_000, .. })), "{:?}", execution.outcome);
    assert_eq!(execution.fuel_used, 0);
}

#[test]
fn invalid_prices_are_refused() {
    let (negative, _, _) = hostile_call("negative-price", &untimed());
    assert!(matches!(negative, Err(PluginError::InvalidOutput(ref m)) if m.contains("negative")), "{negative:?}");
    let (unknown, _, _) = hostile_call("unknown-line", &untimed());
    assert!(matches!(unknown, Err(PluginError::InvalidOutput(ref m)) if m.contains("9999")), "{unknown:?}");
}

#[test]
fn no_files_no_environment_no_network() {
    let (file, _, _) = hostile_call("read-file", &untimed());
    assert!(matches!(file, Err(PluginError::Reported(ref m)) if m.starts_with("file: ")), "{file:?}");
    let (env, _, _) = hostile_call("read-env", &untimed());
    assert!(matches!(env, Err(PluginError::Reported(ref m)) if m.starts_with("env: 0 variables")), "{env:?}");
    let (socket, _, _) = hostile_call("open-socket", &untimed());
    assert!(matches!(socket, Err(PluginError::Reported(ref m)) if m.starts_with("socket: ")), "{socket:?}");
}

#[test]
fn the_only_clock_is_the_hosts_now() {
    let (clock, _, _) = hostile_call("read-clock", &untimed());
    assert_eq!(clock, Err(PluginError::Reported("clock: 1790000000000".into())));
}

#[test]
fn logs_are_bounded() {
    let execution = block_on(runtime().price(&hostile(), &cart(r#"{"mode":"log-flood"}"#, 1), &Limits { fuel: 100_000_000, ..untimed() }));
    assert!(execution.outcome.is_ok(), "{:?}", execution.outcome);
    let bytes: usize = execution.logs.iter().map(|l| l.message.len()).sum();
    assert!(bytes <= hanse_runtime::MAX_LOG_BYTES && bytes > 900, "{bytes}");
    assert_eq!(execution.logs[0].message, "line 0 of a log flood");
    assert_eq!(execution.logs[0].level, "info");
}

#[test]
fn a_runaway_plugin_does_not_stop_other_calls() {
    let spinning = std::thread::spawn(|| {
        let limits = Limits { fuel: u64::MAX / 4, deadline: Duration::from_millis(1_000), ..Limits::default() };
        hostile_call("loop", &limits).0
    });
    std::thread::sleep(Duration::from_millis(20));
    let plugin = first_party("tier-pricing", PluginKind::Pricing);
    let started = Instant::now();
    let outcome = block_on(runtime().price(&plugin, &cart(r#"{"tiers":[{"min_quantity":1,"percent_off":"5"}]}"#, 5), &untimed())).outcome;
    assert!(outcome.is_ok(), "{outcome:?}");
    // Had it waited for the runaway, it would have taken most of a second.
    assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
    assert!(matches!(spinning.join().expect("thread"), Err(PluginError::Timeout(1_000))));
}

#[test]
fn large_carts_get_scaled_budgets() {
    let plugin = first_party("tier-pricing", PluginKind::Pricing);
    let request = cart(r#"{"tiers":[{"min_quantity":10,"percent_off":"10"}]}"#, 1_000);
    let limits = untimed().scaled_for_lines(request.lines.len());
    let execution = block_on(runtime().price(&plugin, &request, &limits));
    assert_eq!(execution.outcome.expect("a 1,000-line cart prices within the scaled budget").len(), 1_000);
    assert!(execution.fuel_used > Limits::default().fuel / 100, "{}", execution.fuel_used);
}

#[test]
fn compiled_components_are_cached_on_disk() {
    let dir = std::env::temp_dir().join(format!("hanse-cwasm-{}", std::process::id()));
    let first = Runtime::new(RuntimeOptions { cache_dir: Some(dir.clone()) }).expect("runtime");
    first.load(PluginKind::Pricing, HOSTILE.component).expect("loads");
    let files: Vec<_> = std::fs::read_dir(&dir).expect("cache dir").filter_map(Result::ok).collect();
    assert_eq!(files.len(), 1);
    drop(first);
    let second = Runtime::new(RuntimeOptions { cache_dir: Some(dir.clone()) }).expect("runtime");
    let started = Instant::now();
    let plugin = second.load(PluginKind::Pricing, HOSTILE.component).expect("loads from the cache");
    let loaded_in = started.elapsed();
    let outcome = block_on(second.price(&plugin, &cart(r#"{"mode":"behave"}"#, 2), &untimed())).outcome;
    assert_eq!(outcome.expect("runs")[0].unit_price, 90_000);
    assert!(loaded_in < Duration::from_secs(2), "{loaded_in:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_long_call_yields_its_thread_to_other_work() {
    // One thread for everything, as a busy server worker: a runaway plugin there must not
    // keep a short call from running until the runaway's deadline.
    block_on(async {
        let limits = Limits { fuel: u64::MAX / 4, deadline: Duration::from_millis(1_000), ..Limits::default() };
        let (plugin, request) = (hostile(), cart(r#"{"mode":"loop"}"#, 3));
        let runaway = tokio::spawn(async move { runtime().price(&plugin, &request, &limits).await.outcome });
        tokio::time::sleep(Duration::from_millis(20)).await;
        let plugin = first_party("tier-pricing", PluginKind::Pricing);
        let started = Instant::now();
        let outcome = runtime().price(&plugin, &cart(r#"{"tiers":[{"min_quantity":1,"percent_off":"5"}]}"#, 5), &untimed()).await.outcome;
        assert!(outcome.is_ok(), "{outcome:?}");
        assert!(!runaway.is_finished(), "the runaway was still running");
        assert!(started.elapsed() < Duration::from_millis(500), "{:?}", started.elapsed());
        assert!(matches!(runaway.await.expect("task"), Err(PluginError::Timeout(1_000))));
    });
}

#[test]
fn the_deadline_counts_the_time_a_call_ran() {
    // Two runaways share one thread, each running while the other waits. Each is charged
    // only its own time: both reach their 100 ms deadline, together after about 200 ms.
    // Counted in wall time, both would have stopped at 100 ms with half of it run.
    let limits = Limits { fuel: u64::MAX / 4, deadline: Duration::from_millis(100), ..Limits::default() };
    let (plugin, request) = (hostile(), cart(r#"{"mode":"loop"}"#, 3));
    let started = Instant::now();
    let (a, b) = block_on(async { tokio::join!(runtime().price(&plugin, &request, &limits), runtime().price(&plugin, &request, &limits)) });
    let took = started.elapsed();
    for execution in [&a, &b] {
        assert!(matches!(execution.outcome, Err(PluginError::Timeout(100))), "{:?}", execution.outcome);
    }
    assert!(took >= Duration::from_millis(190), "{took:?}");
    assert!(took < Duration::from_secs(2), "{took:?}");
}
