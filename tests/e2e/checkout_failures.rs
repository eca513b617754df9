//! Checkout when plugins misbehave, end to end: a payment plugin that traps or spins while the
//! order's transaction holds stock and credit leaves nothing behind; payment and shipping
//! plugins that fail drop only their own methods and rates.

use hanse_runtime::bundled::{BundledPlugin, HOSTILE_PAYMENT, HOSTILE_SHIPPING};
use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

use crate::harness::{code, send};
use crate::plugins::upload;
use crate::pricing::Shop;

/// What a plugin stopped by its limits reports: out of fuel or past its deadline, whichever
/// comes first on this machine.
const STOPPED: [&str; 2] = ["plugin_out_of_fuel", "plugin_timeout"];

/// Sends a request that must answer `status`; its body.
async fn expect(request: RequestBuilder, status: u16) -> Value {
    let (got, body) = send(request).await;
    assert_eq!(got, status, "{body}");
    body
}

async fn get(shop: &Shop, path: &str) -> Value {
    expect(shop.admin(Method::GET, path), 200).await
}

/// A shop with 5 A in stock, a credit line of 1000.00 for X, free flat-rate shipping and
/// `quantity` × A in X's buyer's cart.
async fn shop_with_cart(quantity: i64) -> Shop {
    let shop = Shop::open().await;
    expect(shop.admin(Method::PUT, "/admin/v1/inventory/A").json(&json!({"quantity": 5})), 200).await;
    expect(shop.admin(Method::PUT, &format!("/admin/v1/companies/{}/credit", shop.x)).json(&json!({"limit": "1000.00"})), 200).await;
    expect(shop.admin(Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "flat-rate-shipping", "config": {"price": "0.00", "per": "order"}})), 201).await;
    expect(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/cart/items").json(&json!({"sku": "A", "quantity": quantity})), 200).await;
    shop
}

/// Uploads a hostile plugin as acme's private package and installs it in `mode`; its id.
async fn install_hostile(shop: &Shop, plugin: &BundledPlugin, mode: &str) -> String {
    let manifest: Value = serde_json::from_str(plugin.manifest).expect("manifest");
    let id = manifest["id"].as_str().expect("id").to_owned();
    expect(shop.admin(Method::POST, "/admin/v1/plugin-packages").multipart(upload(manifest, plugin.component.to_vec())), 201).await;
    expect(shop.admin(Method::POST, "/admin/v1/plugins").json(&json!({"plugin": id, "config": {"mode": mode}})), 201).await;
    id
}

async fn set_mode(shop: &Shop, id: &str, mode: &str) {
    expect(shop.admin(Method::PATCH, &format!("/admin/v1/plugins/{id}")).json(&json!({"config": {"mode": mode}})), 200).await;
}

/// The outcome of the plugin's latest call.
async fn last_outcome(shop: &Shop, id: &str) -> String {
    let executions = get(shop, &format!("/admin/v1/plugins/{id}/executions")).await;
    executions["items"][0]["outcome"].as_str().expect("an execution").to_owned()
}

/// The codes of what the buyer is offered at `path` (`rates` or `methods` of the answer).
async fn offered(shop: &Shop, path: &str, field: &str) -> Vec<String> {
    let body = expect(shop.buyer(&shop.x_buyer, Method::GET, path), 200).await;
    body[field].as_array().expect("a list").iter().map(|o| o["code"].as_str().expect("code").to_owned()).collect()
}

async fn checkout(shop: &Shop, shipping: &str, payment: &str) -> (u16, Value) {
    let address = json!({"name": "Ann Lee", "street": "1 Main St", "city": "Springfield", "postcode": "12345", "country": "US"});
    let body = json!({"shipping_method": shipping, "payment_method": payment, "shipping_address": address});
    send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/checkout").json(&body)).await
}

/// Checks out 2 × A with the hostile payment plugin in `mode`, which fails in authorize after
/// the stock and the credit were held; asserts that nothing is left behind. The shop and the
/// error's details.
async fn fail_authorizing(mode: &str) -> (Shop, String, Value) {
    let shop = shop_with_cart(2).await;
    let id = install_hostile(&shop, &HOSTILE_PAYMENT, mode).await;
    let method = format!("{id}:pay");
    assert!(offered(&shop, "/store/v1/checkout/payment-methods", "methods").await.contains(&method), "{mode}: the method is offered");

    let (status, refused) = checkout(&shop, "flat-rate-shipping:flat-rate", &method).await;
    assert_eq!((status, code(&refused)), (502, "payment_plugin_failed"), "{refused}");
    let details = refused["error"]["details"].clone();
    assert_eq!(details["plugin"], id.as_str(), "{refused}");

    let stock = get(&shop, "/admin/v1/inventory/A").await;
    assert_eq!(stock["salable_quantity"], 5, "{stock}");
    let ledger = get(&shop, "/admin/v1/inventory/A/reservations").await;
    assert_eq!(ledger["reservations"], json!([]), "{ledger}");
    let credit = format!("/admin/v1/companies/{}/credit", shop.x);
    assert_eq!(get(&shop, &credit).await["available"], "1000.00");
    let history = get(&shop, &format!("{credit}/history")).await;
    let operations: Vec<&str> = history["entries"].as_array().expect("entries").iter().filter_map(|e| e["operation"].as_str()).collect();
    assert_eq!(operations, ["allocated"], "{history}");
    let orders = get(&shop, "/admin/v1/orders").await;
    assert_eq!(orders["orders"], json!([]), "{orders}");
    let cart = expect(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart"), 200).await;
    assert_eq!((&cart["lines"][0]["sku"], &cart["lines"][0]["quantity"]), (&json!("A"), &json!(2)), "the cart is kept: {cart}");
    assert_eq!(Some(last_outcome(&shop, &id).await.as_str()), details["error"].as_str(), "the failed call is recorded");
    (shop, id, details)
}

#[tokio::test]
async fn a_payment_plugin_that_traps_in_authorize_leaves_nothing_behind() {
    let (shop, id, details) = fail_authorizing("trap-authorize").await;
    assert_eq!(details["error"], "plugin_trap", "{details}");
    // Behaving, the same plugin places the order from the cart that was kept.
    set_mode(&shop, &id, "behave").await;
    let (status, order) = checkout(&shop, "flat-rate-shipping:flat-rate", &format!("{id}:pay")).await;
    assert_eq!((status, &order["payment"]["status"], &order["payment"]["reference"]), (201, &json!("authorized"), &json!("ok")), "{order}");
    let stock = get(&shop, "/admin/v1/inventory/A").await;
    assert_eq!(stock["salable_quantity"], 3, "{stock}");
}

#[tokio::test]
async fn a_payment_plugin_that_loops_in_authorize_is_stopped_and_leaves_nothing_behind() {
    let (_, _, details) = fail_authorizing("loop-authorize").await;
    assert!(details["error"].as_str().is_some_and(|e| STOPPED.contains(&e)), "{details}");
}

#[tokio::test]
async fn a_payment_plugin_that_fails_to_list_its_methods_is_left_out() {
    let shop = shop_with_cart(1).await;
    let id = install_hostile(&shop, &HOSTILE_PAYMENT, "behave").await;
    let methods = "/store/v1/checkout/payment-methods";
    assert_eq!(offered(&shop, methods, "methods").await, ["payment-on-account".to_owned(), format!("{id}:pay")]);
    for (mode, outcome) in [("trap-methods", "plugin_trap"), ("err-methods", "plugin_error")] {
        set_mode(&shop, &id, mode).await;
        assert_eq!(offered(&shop, methods, "methods").await, ["payment-on-account"], "{mode}");
        assert_eq!(last_outcome(&shop, &id).await, outcome, "{mode}");
        let (status, refused) = checkout(&shop, "flat-rate-shipping:flat-rate", &format!("{id}:pay")).await;
        assert_eq!((status, code(&refused)), (422, "payment_method_unavailable"), "{mode}: {refused}");
        assert_eq!(refused["error"]["details"]["offered"], json!(["payment-on-account"]), "{mode}: {refused}");
    }
}

#[tokio::test]
async fn a_shipping_plugin_that_fails_drops_only_its_own_rates() {
    let shop = shop_with_cart(1).await;
    let id = install_hostile(&shop, &HOSTILE_SHIPPING, "behave").await;
    let rates = "/store/v1/checkout/shipping-rates";
    let flat = "flat-rate-shipping:flat-rate".to_owned();
    assert_eq!(offered(&shop, rates, "rates").await, [flat.clone(), format!("{id}:ok")]);
    let modes: [(&str, &[&str]); 3] = [("trap", &["plugin_trap"]), ("loop", &STOPPED), ("huge", &["plugin_output_too_large"])];
    for (mode, outcomes) in modes {
        set_mode(&shop, &id, mode).await;
        assert_eq!(offered(&shop, rates, "rates").await, [flat.clone()], "{mode}");
        let outcome = last_outcome(&shop, &id).await;
        assert!(outcomes.contains(&outcome.as_str()), "{mode}: {outcome}");
    }

    // Alone, a failing shipping plugin leaves no rate to check out with.
    expect(shop.admin(Method::DELETE, "/admin/v1/plugins/flat-rate-shipping"), 204).await;
    for (mode, _) in modes {
        set_mode(&shop, &id, mode).await;
        assert_eq!(offered(&shop, rates, "rates").await, Vec::<String>::new(), "{mode}");
        let (status, refused) = checkout(&shop, &format!("{id}:ok"), "payment-on-account").await;
        assert_eq!((status, code(&refused)), (422, "shipping_method_unavailable"), "{mode}: {refused}");
        assert_eq!(refused["error"]["details"]["offered"], json!([]), "{mode}: {refused}");
    }
}
