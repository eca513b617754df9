//! Checkout benchmark: buyers placing orders from full carts through `POST /store/v1/checkout`
//! of a running server, with a pricing, a shipping and a payment plugin installed.
//!
//! ```text
//! cargo run --release --example checkout_bench -- --base http://127.0.0.1:8080 \
//!     --database-url sqlite://data/bench.db [--buyers 5000] [--concurrency 8] [--lines 10] \
//!     [--warm-up 100] [--skus 1000]
//! ```
//!
//! Normally run by `bench/checkout.sh`, which starts the server on a fresh database (operator
//! token `bench`). The run:
//!
//! 1. creates the tenant `bench` over HTTP and installs `tier-pricing` (10 % off from 10 units),
//!    `flat-rate-shipping` (5.00 per order) and `payment-on-account` (minimum order 1.00);
//! 2. writes the rest straight into the same database through the store, because creating a
//!    buyer over HTTP costs an argon2 hash: SKUS products (`CHK-0000`…, 12.50 each, 10^9 in
//!    stock), and per buyer an active company with its admin, a credit line of 1,000,000.00, a
//!    session and a cart. Each cart holds LINES distinct SKUs drawn uniformly at random from the
//!    SKUS (fixed seed), 1 to 20 units each, so about half the lines reach the tier and
//!    concurrent orders lock some of the same stock rows (with 1,000 SKUs, 16 checkouts in
//!    flight and 10 lines each, most orders share a stock row with another in flight);
//! 3. places WARM-UP orders on extra buyers (on PostgreSQL, whose autovacuum is off on the
//!    benchmark machine, then runs `ANALYZE` on the tables checkout writes, as autoanalyze
//!    would have; `--no-warm-up-analyze` leaves them without statistics), then BUYERS orders
//!    with CONCURRENCY workers over keep-alive connections, one per buyer, each with its own
//!    `Idempotency-Key`, timing each request from sending it to the last byte of the answer;
//! 4. checks the books: every answer was 201 with a distinct order, the tenant has exactly
//!    BUYERS + WARM-UP orders, every ordered cart is empty, the stock reserved equals the units
//!    ordered, and `inventory_drift` and `credit_drift` find nothing.
//!
//! Prints one Markdown table row to stdout (`| backend | buyers | concurrency | lines | orders/s
//! | p50 | p90 | p99 | max |`); progress and checks go to stderr. Exits non-zero when any check
//! fails.

use std::collections::{BTreeSet, HashSet};
use std::process::exit;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use hanse_domain::company::{CompanyStatus, Email};
use hanse_domain::product::{ProductDraft, ProductInput, Sku, StockQuantity};
use hanse_domain::tenant::TenantSlug;
use hanse_store::{
    Backend, CompanyProfile, CompanySettings, ConnectOptions, CreditChange, ImportRow, KeepFields, NewBuyer, NewCompany, OrderFilter, Store,
    TenantId,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};

const SLUG: &str = "bench";
const OPERATOR_TOKEN: &str = "bench";
/// Catalog size unless `--skus` says otherwise.
const SKUS: usize = 1_000;
const STOCK: i64 = 1_000_000_000;
/// 1,000,000.00 in 1/10,000 units.
const CREDIT_LIMIT: i64 = 10_000_000_000;
const SESSION_TTL_MILLIS: i64 = 24 * 3_600_000;
/// Buyers set up at once.
const SETUP_CONCURRENCY: usize = 8;
const CHECKOUT_BODY: &str = r#"{"shipping_method":"flat-rate-shipping:flat-rate","payment_method":"payment-on-account","shipping_address":{"name":"Ann Lee","street":"1 Main St","city":"Springfield","postcode":"12345","country":"US"}}"#;

struct Args {
    base: String,
    database_url: String,
    buyers: usize,
    concurrency: usize,
    lines: usize,
    warm_up: usize,
    skus: usize,
    /// Leave the tables checkout writes without planner statistics after the warm-up.
    no_warm_up_analyze: bool,
}

fn usage(problem: &str) -> ! {
    eprintln!("{problem}");
    eprintln!(
        "usage: checkout_bench --base URL --database-url URL [--buyers N] [--concurrency C] [--lines L] [--warm-up W] [--skus S] \
         [--no-warm-up-analyze]"
    );
    exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        base: String::new(),
        database_url: String::new(),
        buyers: 5_000,
        concurrency: 8,
        lines: 10,
        warm_up: 100,
        skus: SKUS,
        no_warm_up_analyze: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--no-warm-up-analyze" {
            args.no_warm_up_analyze = true;
            continue;
        }
        let value = it.next().unwrap_or_else(|| usage(&format!("{flag} needs a value")));
        let number = || value.parse::<usize>().unwrap_or_else(|_| usage(&format!("{flag}: not a number: {value}")));
        match flag.as_str() {
            "--base" => args.base = value.trim_end_matches('/').to_owned(),
            "--database-url" => args.database_url = value.clone(),
            "--buyers" => args.buyers = number().max(1),
            "--concurrency" => args.concurrency = number().max(1),
            "--lines" => args.lines = number(),
            "--warm-up" => args.warm_up = number(),
            "--skus" => args.skus = number(),
            _ => usage(&format!("unknown argument {flag}")),
        }
    }
    if args.base.is_empty() || args.database_url.is_empty() {
        usage("--base and --database-url are required");
    }
    if args.lines == 0 || args.lines > args.skus {
        usage("--lines must be 1 to the number of SKUs");
    }
    args
}

fn fail(message: impl std::fmt::Display) -> ! {
    eprintln!("checkout_bench: {message}");
    exit(1)
}

/// One buyer ready to check out.
struct Buyer {
    token: String,
    company: String,
    buyer: String,
    units: i64,
}

/// Sends a JSON request and answers the JSON body of a 2xx answer.
async fn call(request: reqwest::RequestBuilder, body: Value) -> Value {
    let response = request.json(&body).send().await.unwrap_or_else(|e| fail(e));
    let status = response.status();
    let text = response.text().await.unwrap_or_else(|e| fail(e));
    if !status.is_success() {
        fail(format!("{status}: {text}"));
    }
    serde_json::from_str(&text).unwrap_or_else(|e| fail(format!("{e}: {text}")))
}

/// The tenant, with its plugins, over HTTP.
async fn create_tenant(client: &reqwest::Client, base: &str) {
    let created = call(
        client.post(format!("{base}/operator/v1/tenants")).bearer_auth(OPERATOR_TOKEN),
        json!({"slug": SLUG, "name": "Checkout bench", "currency": "USD"}),
    )
    .await;
    let admin = created["admin_token"].as_str().unwrap_or_else(|| fail(format!("no admin token in {created}"))).to_owned();
    for plugin in [
        json!({"plugin": "tier-pricing", "config": {"tiers": [{"min_quantity": 10, "percent_off": "10"}]}}),
        json!({"plugin": "flat-rate-shipping", "config": {"price": "5.00", "per": "order"}}),
        json!({"plugin": "payment-on-account", "config": {"minimum_order": "1.00"}}),
    ] {
        call(client.post(format!("{base}/admin/v1/plugins")).bearer_auth(&admin), plugin).await;
    }
}

fn sku(i: usize) -> String {
    format!("CHK-{i:04}")
}

async fn create_products(store: &Store, tenant: &TenantId, skus: usize) {
    let stock = StockQuantity::new(STOCK).unwrap_or_else(|e| fail(e));
    let rows: Vec<ImportRow> = (0..skus)
        .map(|i| {
            let (sku, name) = (sku(i), format!("Bench product {i}"));
            let draft = ProductDraft::parse(ProductInput { sku: &sku, name: &name, price: "12.50", weight: Some("1.5"), ..Default::default() })
                .unwrap_or_else(|e| fail(format!("{e:?}")));
            ImportRow { draft, keep: KeepFields::default(), categories: None, quantity: Some(stock) }
        })
        .collect();
    let mut created = 0;
    for chunk in rows.chunks(5_000) {
        created += store.products(tenant).import(chunk).await.unwrap_or_else(|e| fail(e)).created;
    }
    if created != skus as u64 {
        fail(format!("created {created} of {skus} products"));
    }
}

/// Company `i` with its admin, credit line, session and cart.
async fn create_buyer(store: &Store, tenant: &TenantId, i: usize, cart: Vec<(String, i64)>) -> Buyer {
    let new = NewCompany {
        profile: CompanyProfile { name: format!("Company {i}"), email: format!("office{i}@bench.example"), ..Default::default() },
        settings: CompanySettings::default(),
        status: CompanyStatus::Active,
        admin: NewBuyer {
            email: Email::parse(&format!("buyer{i}@bench.example")).unwrap_or_else(|e| fail(e)),
            // Never checked: the buyer gets a session directly.
            password_hash: "$argon2id$bench".into(),
            first_name: "Bench".into(),
            last_name: format!("Buyer {i}"),
            job_title: String::new(),
            phone: String::new(),
        },
    };
    let company = store.companies(tenant).create(&new, "bench").await.unwrap_or_else(|e| fail(e));
    let buyer = company.admin_buyer_id.clone();
    store
        .credit(tenant, &company.id)
        .set(&CreditChange { limit: Some(CREDIT_LIMIT), ..CreditChange::default() }, "USD", "bench")
        .await
        .unwrap_or_else(|e| fail(e));
    let (secret, _) = store.buyers(tenant).open_session(&buyer, &company.id, SESSION_TTL_MILLIS).await.unwrap_or_else(|e| fail(e));
    let units = cart.iter().map(|(_, q)| q).sum();
    let added = store.cart(tenant, &buyer, &company.id).add(&cart, |_, _| Ok::<(), ()>(())).await.unwrap_or_else(|e| fail(e));
    if added.len() != cart.len() || added.iter().any(Result::is_err) {
        fail(format!("cart of buyer {i}: {added:?}"));
    }
    Buyer { token: secret.expose().to_owned(), company: company.id, buyer, units }
}

/// Result of one checkout.
struct Outcome {
    latency: Duration,
    /// When the answer was complete.
    done: Instant,
    /// The order id (from `Location`) of a 201, or the status and body of anything else.
    answer: Result<String, String>,
}

async fn checkout(client: &reqwest::Client, url: &str, buyer: &Buyer, key: &str) -> Outcome {
    let started = Instant::now();
    let sent = client
        .post(url)
        .header("X-Tenant", SLUG)
        .bearer_auth(&buyer.token)
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .body(CHECKOUT_BODY)
        .send()
        .await;
    let answer = match sent {
        Err(e) => Err(format!("request failed: {e}")),
        Ok(response) => {
            let status = response.status();
            let location = response.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_owned);
            match response.bytes().await {
                Err(e) => Err(format!("{status}, body failed: {e}")),
                Ok(body) if status == reqwest::StatusCode::CREATED => match location.as_deref().and_then(|l| l.rsplit_once('/')) {
                    Some((_, id)) => Ok(id.to_owned()),
                    None => Err(format!("{status} without Location: {}", String::from_utf8_lossy(&body))),
                },
                Ok(body) => Err(format!("{status}: {}", String::from_utf8_lossy(&body))),
            }
        }
    };
    Outcome { latency: started.elapsed(), done: Instant::now(), answer }
}

/// Checks out every buyer of `buyers` with `concurrency` workers; answers the outcomes, when
/// the run started and its wall time.
async fn run(client: &reqwest::Client, base: &str, buyers: &[Buyer], concurrency: usize, round: &str) -> (Vec<Outcome>, Instant, Duration) {
    let url = format!("{base}/store/v1/checkout");
    let next = std::sync::atomic::AtomicUsize::new(0);
    let started = Instant::now();
    let workers = (0..concurrency).map(|_| async {
        let mut outcomes = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(buyer) = buyers.get(i) else { break };
            outcomes.push(checkout(client, &url, buyer, &format!("{round}-{i}")).await);
        }
        outcomes
    });
    let outcomes = futures_util::future::join_all(workers).await.into_iter().flatten().collect();
    (outcomes, started, started.elapsed())
}

/// Fails loudly on any answer but 201; answers the order ids.
fn order_ids(outcomes: &[Outcome], what: &str) -> Vec<String> {
    let failed: Vec<&String> = outcomes.iter().filter_map(|o| o.answer.as_ref().err()).collect();
    if !failed.is_empty() {
        for body in failed.iter().take(5) {
            eprintln!("  {body}");
        }
        fail(format!("{what}: {} of {} checkouts did not answer 201 (first ones above)", failed.len(), outcomes.len()));
    }
    outcomes.iter().filter_map(|o| o.answer.as_ref().ok().cloned()).collect()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args = parse_args();
    let setup_started = Instant::now();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency.max(SETUP_CONCURRENCY))
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap_or_else(|e| fail(e));
    create_tenant(&client, &args.base).await;

    let store = Store::connect(&ConnectOptions { url: args.database_url.clone(), max_connections: Some(SETUP_CONCURRENCY as u32) })
        .await
        .unwrap_or_else(|e| fail(format!("cannot connect to {}: {e}", args.database_url)));
    let backend = match store.backend() {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    let slug = TenantSlug::parse(SLUG).unwrap_or_else(|e| fail(e));
    let tenant = store.tenants().get_by_slug(&slug).await.unwrap_or_else(|e| fail(e)).unwrap_or_else(|| fail("the tenant was not created"));
    let tenant_id = tenant.id.clone();
    create_products(&store, &tenant_id, args.skus).await;

    let total = args.warm_up + args.buyers;
    let mut rng = StdRng::seed_from_u64(42);
    let carts: Vec<Vec<(String, i64)>> = (0..total)
        .map(|_| rand::seq::index::sample(&mut rng, args.skus, args.lines).into_iter().map(|s| (sku(s), rng.random_range(1..=20))).collect())
        .collect();
    let ordered: BTreeSet<String> = carts.iter().flatten().map(|(sku, _)| sku.clone()).collect();
    let (store_ref, tenant_ref) = (&store, &tenant_id);
    let mut buyers: Vec<(usize, Buyer)> = futures_util::stream::iter(carts.into_iter().enumerate())
        .map(|(i, cart)| async move { (i, create_buyer(store_ref, tenant_ref, i, cart).await) })
        .buffer_unordered(SETUP_CONCURRENCY)
        .collect()
        .await;
    buyers.sort_by_key(|(i, _)| *i);
    let mut buyers: Vec<Buyer> = buyers.into_iter().map(|(_, b)| b).collect();
    let measured = buyers.split_off(args.warm_up);
    let warm_up = buyers;
    // This machine's PostgreSQL runs without autovacuum: refresh the planner's statistics of
    // the tables just filled, as autovacuum would have by now in production.
    store
        .analyze(&[
            "products",
            "stock_items",
            "shared_catalog_products",
            "buyers",
            "companies",
            "company_members",
            "company_roles",
            "company_structure",
            "company_audit",
            "buyer_sessions",
            "company_credits",
            "credit_history",
            "cart_items",
            "outbox",
        ])
        .await
        .unwrap_or_else(|e| fail(e));
    eprintln!(
        "{backend}: set up {} products and {total} buyers with {}-line carts in {:.1} s",
        args.skus,
        args.lines,
        setup_started.elapsed().as_secs_f64()
    );

    let (outcomes, _, _) = run(&client, &args.base, &warm_up, args.concurrency, "warm-up").await;
    let mut ids = order_ids(&outcomes, "warm-up");
    // The warm-up gave the tables checkout writes their first rows. Without autovacuum they
    // would never get statistics, and PostgreSQL then plans lookups of one order by id (the
    // foreign-key checks of its lines and history, the payment update, the idempotency lookup)
    // through any index that starts with tenant_id, reading all of the tenant's orders: each
    // checkout gets slower as orders accumulate. Autoanalyze would have run by now.
    if !args.no_warm_up_analyze {
        store
            .analyze(&[
                "orders",
                "order_lines",
                "order_history",
                "stock_reservations",
                "stock_items",
                "company_credits",
                "credit_history",
                "companies",
                "cart_items",
                "outbox",
                "plugin_executions",
            ])
            .await
            .unwrap_or_else(|e| fail(e));
    }
    eprintln!("{backend}: timed run: {} checkouts, {} at a time", measured.len(), args.concurrency);
    let (outcomes, started, wall) = run(&client, &args.base, &measured, args.concurrency, "bench").await;
    // Orders/s in each fifth of the run (by completion), to tell a steady rate from one that
    // drifts as the tables grow.
    let mut done: Vec<Duration> = outcomes.iter().map(|o| o.done - started).collect();
    done.sort();
    let fifths: Vec<String> = (1..=5)
        .map(|k| {
            let (from, to) = ((k - 1) * done.len() / 5, k * done.len() / 5);
            let since = if from == 0 { Duration::ZERO } else { done[from - 1] };
            let span = done.get(to.max(1) - 1).map_or(Duration::ZERO, |t| t.saturating_sub(since));
            format!("{:.0}", (to - from) as f64 / span.as_secs_f64().max(1e-9))
        })
        .collect();
    eprintln!("{backend}: timed run done in {:.2} s; orders/s by fifth of the run: {}", wall.as_secs_f64(), fifths.join(", "));
    ids.extend(order_ids(&outcomes, "measured run"));
    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.latency).collect();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1).min(latencies.len() - 1)];
    let rate = measured.len() as f64 / wall.as_secs_f64();

    // The books.
    let distinct: HashSet<&String> = ids.iter().collect();
    if distinct.len() != total {
        fail(format!("{} distinct orders answered for {total} checkouts", distinct.len()));
    }
    let orders = store.orders(&tenant_id);
    let (mut stored, mut before) = (0usize, None);
    loop {
        let page = orders.list(&OrderFilter { limit: 200, before: before.clone(), ..OrderFilter::default() }).await.unwrap_or_else(|e| fail(e));
        stored += page.len();
        match page.last() {
            Some(last) if page.len() == 200 => before = Some(last.id.clone()),
            _ => break,
        }
    }
    if stored != total {
        fail(format!("the tenant has {stored} orders, {total} were placed"));
    }
    for buyer in warm_up.iter().chain(&measured) {
        let left = store.cart(&tenant_id, &buyer.buyer, &buyer.company).items().await.unwrap_or_else(|e| fail(e));
        if !left.is_empty() {
            fail(format!("buyer {} still has {} cart lines after ordering", buyer.buyer, left.len()));
        }
    }
    let mut reserved = 0;
    for sku in &ordered {
        let record = store.stock(&tenant_id).get(&Sku::parse(sku).unwrap_or_else(|e| fail(e))).await.unwrap_or_else(|e| fail(e));
        reserved += record.level.map_or(0, |l| l.reserved);
    }
    let units: i64 = warm_up.iter().chain(&measured).map(|b| b.units).sum();
    if reserved != -units {
        fail(format!("stock reserved {reserved}, units ordered {units}"));
    }
    let drift = store.inventory_drift().await.unwrap_or_else(|e| fail(e));
    if !drift.is_empty() {
        fail(format!("inventory drift: {drift:?}"));
    }
    let drift = store.credit_drift().await.unwrap_or_else(|e| fail(e));
    if !drift.is_empty() {
        fail(format!("credit drift: {drift:?}"));
    }
    eprintln!(
        "{backend}: {total} orders placed ({} warm-up), {units} units reserved, carts empty, no inventory or credit drift",
        args.warm_up
    );

    println!(
        "| {backend} | {} | {} | {} | {rate:.0} | {} | {} | {} | {} |",
        measured.len(),
        args.concurrency,
        args.lines,
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(latencies[latencies.len() - 1]),
    );
    store.close().await;
}
