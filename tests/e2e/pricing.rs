//! Shared catalogs, price lists, the storefront catalog at the buyer's prices, the cart and
//! quick order, end to end.

use reqwest::Method;
use serde_json::{Value, json};

use crate::companies::login;
use crate::harness::{TestServer, code, send};

/// A tenant `acme` with products A (100.00) and B (50.00), and two active companies X and Y
/// with a buyer each.
pub(crate) struct Shop {
    pub server: TestServer,
    pub admin: String,
    pub x: String,
    pub y: String,
    pub x_buyer: String,
    pub y_buyer: String,
}

pub(crate) async fn company(server: &TestServer, admin: &str, name: &str, email: &str) -> (String, String) {
    let (status, company) = send(server.admin(admin, Method::POST, "/admin/v1/companies").json(&json!({
        "name": name, "email": format!("office@{name}.example"), "status": "active",
        "admin": {"email": email, "password": "correct horse 1", "first_name": "Ann", "last_name": name}}))).await;
    assert_eq!(status, 201, "{company}");
    let (status, session) = login(server, "acme", email, "correct horse 1").await;
    assert_eq!(status, 200, "{session}");
    (company["id"].as_str().expect("id").to_owned(), session["token"].as_str().expect("token").to_owned())
}

pub(crate) async fn product(server: &TestServer, admin: &str, body: Value) {
    let (status, product) = send(server.admin(admin, Method::POST, "/admin/v1/products").json(&body)).await;
    assert_eq!(status, 201, "{product}");
}

impl Shop {
    pub(crate) async fn open() -> Shop {
        let server = TestServer::start().await;
        let admin = server.tenant("acme").await;
        product(&server, &admin, json!({"sku": "A", "name": "Anvil", "price": "100.00"})).await;
        product(&server, &admin, json!({"sku": "B", "name": "Bellows", "price": "50.00"})).await;
        let (x, x_buyer) = company(&server, &admin, "x", "ann@x.example").await;
        let (y, y_buyer) = company(&server, &admin, "y", "ann@y.example").await;
        Shop { server, admin, x, y, x_buyer, y_buyer }
    }

    pub(crate) fn admin(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.server.admin(&self.admin, method, path)
    }

    pub(crate) fn buyer(&self, token: &str, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.server.store("acme", method, path).bearer_auth(token)
    }

    pub(crate) fn guest(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        self.server.store("acme", method, path)
    }

    /// A custom catalog with these SKUs, for these companies; its id.
    pub(crate) async fn catalog(&self, name: &str, skus: &[&str], companies: &[&str]) -> String {
        let (status, catalog) = send(self.admin(Method::POST, "/admin/v1/shared-catalogs").json(&json!({"name": name, "type": "custom"}))).await;
        assert_eq!(status, 201, "{catalog}");
        let id = catalog["id"].as_str().expect("id").to_owned();
        let (status, body) = send(self.admin(Method::PUT, &format!("/admin/v1/shared-catalogs/{id}/products")).json(&json!({"skus": skus}))).await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = send(self.admin(Method::PUT, &format!("/admin/v1/shared-catalogs/{id}/companies")).json(&json!({"company_ids": companies}))).await;
        assert_eq!(status, 200, "{body}");
        id
    }
}

fn price(body: &Value) -> String {
    body["price"].as_str().unwrap_or_default().trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Issue 5's "checked from outside" list, in order.
#[tokio::test]
async fn checked_from_outside() {
    let shop = Shop::open().await;
    let (status, catalogs) = send(shop.admin(Method::GET, "/admin/v1/shared-catalogs")).await;
    assert_eq!(status, 200, "{catalogs}");
    assert!(catalogs["items"].as_array().expect("items").iter().any(|c| c["type"] == "public"), "{catalogs}");

    let (status, catalog) = send(shop.admin(Method::POST, "/admin/v1/shared-catalogs").json(&json!({"name": "X contract", "type": "custom"}))).await;
    assert_eq!(status, 201, "{catalog}");
    let id = catalog["id"].as_str().expect("id").to_owned();
    let (status, _) = send(shop.admin(Method::PUT, &format!("/admin/v1/shared-catalogs/{id}/products")).json(&json!({"skus": ["A", "B"]}))).await;
    assert_eq!(status, 200);
    let (status, _) = send(shop.admin(Method::PUT, &format!("/admin/v1/shared-catalogs/{id}/companies")).json(&json!({"company_ids": [shop.x]}))).await;
    assert_eq!(status, 200);
    let public = catalogs["items"].as_array().expect("items").iter().find(|c| c["type"] == "public").expect("public")["id"].as_str().expect("id").to_owned();
    let (status, _) = send(shop.admin(Method::PUT, &format!("/admin/v1/shared-catalogs/{public}/products")).json(&json!({"skus": ["A"]}))).await;
    assert_eq!(status, 200);

    let (status, list) = send(shop.admin(Method::POST, "/admin/v1/price-lists").json(&json!({
        "name": "X prices", "entries": [{"sku": "A", "price": "80.00"}], "shared_catalog_ids": [id]}))).await;
    assert_eq!(status, 201, "{list}");

    let (status, a) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/products/A")).await;
    assert_eq!((status, price(&a)), (200, "80".to_owned()), "{a}");
    assert_eq!(a["price"], "80.0000");
    let (status, a) = send(shop.buyer(&shop.y_buyer, Method::GET, "/store/v1/products/A")).await;
    assert_eq!((status, price(&a)), (200, "100".to_owned()), "{a}");
    let (status, b) = send(shop.buyer(&shop.y_buyer, Method::GET, "/store/v1/products/B")).await;
    assert_eq!((status, code(&b)), (404, "product_not_found"), "{b}");

    // The cart, as X's buyer.
    let cart = |method, path: &str| shop.buyer(&shop.x_buyer, method, path);
    let (status, body) = send(cart(Method::POST, "/store/v1/cart/items").json(&json!({"sku": "A", "quantity": 3}))).await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = send(cart(Method::POST, "/store/v1/cart/items").json(&json!({"sku": "A", "quantity": 2}))).await;
    assert_eq!((body["lines"].as_array().map(Vec::len), &body["lines"][0]["quantity"]), (Some(1), &json!(5)), "the same SKU merges: {body}");
    let (status, body) = send(cart(Method::PATCH, "/store/v1/cart/items/A").json(&json!({"quantity": 4}))).await;
    assert_eq!((status, &body["lines"][0]["quantity"]), (200, &json!(4)), "{body}");
    let (_, body) = send(cart(Method::POST, "/store/v1/cart/items").json(&json!({"sku": "B", "quantity": 1}))).await;
    assert_eq!(body["lines"].as_array().map(Vec::len), Some(2), "{body}");
    let (status, body) = send(cart(Method::DELETE, "/store/v1/cart/items/B")).await;
    assert_eq!((status, body["lines"].as_array().map(Vec::len)), (200, Some(1)), "{body}");
    let (status, body) = send(cart(Method::GET, "/store/v1/cart")).await;
    assert_eq!(status, 200, "{body}");
    let line = &body["lines"][0];
    assert_eq!((&line["sku"], &line["quantity"], &line["unit_price"], &line["line_total"]), (&json!("A"), &json!(4), &json!("80.0000"), &json!("320.00")), "{body}");
    assert_eq!(body["subtotal"], "320.00", "{body}");

    // Quick order, as Y's buyer.
    let (status, body) = send(
        shop.buyer(&shop.y_buyer, Method::POST, "/store/v1/quick-order").header("content-type", "text/csv").body("sku,qty\nA,2\nB,1\nNOPE,1"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let outcomes: Vec<(&str, &str)> = body["lines"].as_array().expect("lines").iter().map(|l| (l["sku"].as_str().unwrap_or(""), l["outcome"].as_str().unwrap_or(""))).collect();
    assert_eq!(outcomes, [("A", "added"), ("B", "failed_sku"), ("NOPE", "failed_sku")], "{body}");
    assert_eq!(body["lines"][0]["quantity"], 2);
    let (_, body) = send(shop.buyer(&shop.y_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(body["lines"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!((&body["lines"][0]["sku"], &body["lines"][0]["quantity"], &body["subtotal"]), (&json!("A"), &json!(2), &json!("200.00")), "{body}");
}

/// Every storefront path hides what the buyer's catalog does not show, answering as for a SKU
/// that does not exist; guests see the public catalog unless the merchant turns them away.
#[tokio::test]
async fn hidden_products_are_absent_everywhere() {
    let shop = Shop::open().await;
    shop.catalog("X contract", &["A", "B"], &[&shop.x]).await;
    let (status, _) = send(shop.admin(Method::PUT, "/admin/v1/shared-catalogs/public/products").json(&json!({"skus": ["A"]}))).await;
    assert_eq!(status, 200);
    let y = |method, path: &str| shop.buyer(&shop.y_buyer, method, path);

    // Listing and search.
    for (who, path, expected) in [
        ("y", "/store/v1/products", vec!["A"]),
        ("y", "/store/v1/products?q=bellows", vec![]),
        ("x", "/store/v1/products", vec!["A", "B"]),
        ("x", "/store/v1/products?q=bellows", vec!["B"]),
        ("guest", "/store/v1/products", vec!["A"]),
    ] {
        let request = match who {
            "y" => y(Method::GET, path),
            "x" => shop.buyer(&shop.x_buyer, Method::GET, path),
            _ => shop.guest(Method::GET, path),
        };
        let (status, body) = send(request).await;
        let skus: Vec<&str> = body["items"].as_array().expect("items").iter().filter_map(|p| p["sku"].as_str()).collect();
        assert_eq!((status, skus), (200, expected), "{who} {path}: {body}");
    }
    // Product page, for a buyer and a guest, against a SKU that does not exist.
    for request in [y(Method::GET, "/store/v1/products/B"), shop.guest(Method::GET, "/store/v1/products/B"), y(Method::GET, "/store/v1/products/NOPE")] {
        let (status, body) = send(request).await;
        assert_eq!((status, code(&body)), (404, "product_not_found"), "{body}");
    }
    // Price: refused exactly as an unknown SKU.
    let (status, hidden) = send(y(Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "B", "quantity": 1}]}))).await;
    let (_, unknown) = send(y(Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "C", "quantity": 1}]}))).await;
    assert_eq!((status, code(&hidden)), (422, "validation_failed"), "{hidden}");
    assert_eq!(hidden["error"]["message"].as_str().map(|m| m.replace('B', "C")), unknown["error"]["message"].as_str().map(str::to_owned));
    let (status, body) = send(shop.guest(Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "A", "quantity": 2}]}))).await;
    assert_eq!((status, &body["subtotal"]), (200, &json!("200.00")), "guests price the public catalog: {body}");
    // Cart and quick order.
    let (status, body) = send(y(Method::POST, "/store/v1/cart/items").json(&json!({"sku": "B", "quantity": 1}))).await;
    assert_eq!((status, code(&body)), (404, "product_not_found"), "{body}");
    let (status, body) = send(y(Method::POST, "/store/v1/quick-order").json(&json!({"items": [{"sku": "B", "quantity": 1}]}))).await;
    assert_eq!((status, &body["lines"][0]["outcome"]), (200, &json!("failed_sku")), "{body}");

    // A product hidden after it went into the cart stays there, flagged, out of the subtotal.
    let x = |method, path: &str| shop.buyer(&shop.x_buyer, method, path);
    send(x(Method::POST, "/store/v1/cart/items").json(&json!({"sku": "A", "quantity": 1}))).await;
    send(x(Method::POST, "/store/v1/cart/items").json(&json!({"sku": "B", "quantity": 2}))).await;
    let (status, _) = send(shop.admin(Method::PATCH, "/admin/v1/shared-catalogs/public/products").json(&json!({"remove": ["A"]}))).await;
    assert_eq!(status, 200);
    let (_, catalogs) = send(shop.admin(Method::GET, "/admin/v1/shared-catalogs")).await;
    let custom = catalogs["items"].as_array().expect("items").iter().find(|c| c["type"] == "custom").expect("custom")["id"].as_str().expect("id").to_owned();
    send(shop.admin(Method::PATCH, &format!("/admin/v1/shared-catalogs/{custom}/products")).json(&json!({"remove": ["B"]}))).await;
    send(shop.admin(Method::PATCH, "/admin/v1/products/A").json(&json!({"status": "inactive"}))).await;
    let (_, cart) = send(x(Method::GET, "/store/v1/cart")).await;
    let problems: Vec<(&str, &str)> = cart["lines"].as_array().expect("lines").iter().map(|l| (l["sku"].as_str().unwrap_or(""), l["problem"].as_str().unwrap_or(""))).collect();
    assert_eq!(problems, [("A", "disabled"), ("B", "unavailable")], "{cart}");
    assert_eq!((&cart["subtotal"], &cart["problems"]), (&json!("0.00"), &json!(2)), "{cart}");

    // Guest browsing off: guests are asked to sign in; buyers browse on.
    let (status, _) = send(shop.admin(Method::PATCH, "/admin/v1/settings").json(&json!({"guest_browsing": false}))).await;
    assert_eq!(status, 200);
    let (status, body) = send(shop.guest(Method::GET, "/store/v1/products")).await;
    assert_eq!((status, code(&body)), (401, "sign_in_required"), "{body}");
    let (status, body) = send(shop.guest(Method::POST, "/store/v1/price").json(&json!({"lines": [{"sku": "A", "quantity": 1}]}))).await;
    assert_eq!((status, code(&body)), (401, "sign_in_required"), "{body}");
    let (status, _) = send(y(Method::GET, "/store/v1/products")).await;
    assert_eq!(status, 200);
}

/// A pricing plugin that fails leaves the cart readable, every line flagged `unpriceable` and
/// the failure named; the product page, which must show a price, fails closed.
#[tokio::test]
async fn a_failing_plugin_flags_the_cart_instead_of_hiding_it() {
    let shop = Shop::open().await;
    send(shop.buyer(&shop.x_buyer, Method::POST, "/store/v1/cart/items").json(&json!({"sku": "A", "quantity": 2}))).await;
    let manifest = json!({"id": "acme-chaos", "version": "0.1.0", "kind": "pricing", "wit": "hanse:plugin@0.1.0"});
    let hostile = hanse_runtime::bundled::HOSTILE.component.to_vec();
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/plugin-packages").multipart(crate::plugins::upload(manifest, hostile))).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = send(shop.admin(Method::POST, "/admin/v1/plugins").json(&json!({"plugin": "acme-chaos", "config": {"mode": "trap"}}))).await;
    assert_eq!(status, 201, "{body}");

    let (status, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!(status, 200, "{cart}");
    assert_eq!((&cart["lines"][0]["problem"], &cart["lines"][0]["unit_price"]), (&json!("unpriceable"), &Value::Null), "{cart}");
    assert_eq!((&cart["pricing_error"]["code"], &cart["subtotal"]), (&json!("pricing_plugin_failed"), &json!("0.00")), "{cart}");
    let (status, body) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/products/A")).await;
    assert_eq!((status, code(&body)), (503, "pricing_plugin_failed"), "{body}");

    send(shop.admin(Method::PATCH, "/admin/v1/plugins/acme-chaos").json(&json!({"enabled": false}))).await;
    let (_, cart) = send(shop.buyer(&shop.x_buyer, Method::GET, "/store/v1/cart")).await;
    assert_eq!((&cart["lines"][0]["problem"], &cart["subtotal"]), (&Value::Null, &json!("200.00")), "{cart}");
}

/// The storefront's category tree is the visitor's catalog's: the categories of the products it
/// shows and their ancestors, plus the categories assigned to it with everything below them.
#[tokio::test]
async fn the_category_tree_shows_what_the_catalog_shows() {
    let shop = Shop::open().await;
    let category = |name: &'static str, parent: Option<String>| {
        let shop = &shop;
        async move {
            let (status, body) = send(shop.admin(Method::POST, "/admin/v1/categories").json(&json!({"name": name, "parent_id": parent}))).await;
            assert_eq!(status, 201, "{body}");
            body["id"].as_str().expect("id").to_owned()
        }
    };
    let tools = category("Tools", None).await;
    let hammers = category("Hammers", Some(tools.clone())).await;
    let metal = category("Metal", None).await;
    let sheets = category("Sheets", Some(metal.clone())).await;
    category("Empty", None).await;
    for (sku, category) in [("A", &hammers), ("B", &sheets)] {
        let (status, body) = send(shop.admin(Method::PATCH, &format!("/admin/v1/products/{sku}")).json(&json!({"categories": [category]}))).await;
        assert_eq!(status, 200, "{body}");
    }
    let custom = shop.catalog("X contract", &["B"], &[&shop.x]).await;
    let (status, body) = send(shop.admin(Method::PUT, "/admin/v1/shared-catalogs/public/products").json(&json!({"skus": ["A"]}))).await;
    assert_eq!(status, 200, "{body}");
    let tree = |request: reqwest::RequestBuilder| async move {
        let (status, body) = send(request).await;
        assert_eq!(status, 200, "{body}");
        fn names(nodes: &Value) -> Vec<String> {
            nodes.as_array().expect("nodes").iter().map(|n| format!("{}{:?}", n["name"].as_str().unwrap_or(""), names(&n["children"]))).collect()
        }
        names(&body["items"])
    };
    let x = |path: &str| shop.buyer(&shop.x_buyer, Method::GET, path);

    // Guests and Y: the public catalog shows A, in Tools > Hammers. X: B, in Metal > Sheets.
    assert_eq!(tree(shop.guest(Method::GET, "/store/v1/categories")).await, ["Tools[\"Hammers[]\"]"]);
    assert_eq!(tree(shop.buyer(&shop.y_buyer, Method::GET, "/store/v1/categories")).await, ["Tools[\"Hammers[]\"]"]);
    assert_eq!(tree(x("/store/v1/categories")).await, ["Metal[\"Sheets[]\"]"]);
    let (status, body) = send(x(&format!("/store/v1/categories/{hammers}"))).await;
    assert_eq!((status, code(&body)), (404, "category_not_found"), "a category the catalog does not show: {body}");
    let (status, body) = send(x(&format!("/store/v1/categories/{metal}"))).await;
    assert_eq!((status, body["name"].as_str()), (200, Some("Metal")), "{body}");

    // Tools assigned to X's catalog: it shows with everything below it.
    let (status, body) = send(shop.admin(Method::PUT, &format!("/admin/v1/shared-catalogs/{custom}/categories")).json(&json!({"category_ids": [tools]}))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(tree(x("/store/v1/categories")).await, ["Metal[\"Sheets[]\"]", "Tools[\"Hammers[]\"]"]);
    let (status, _) = send(x(&format!("/store/v1/categories/{hammers}"))).await;
    assert_eq!(status, 200);

    // A deactivated product no longer holds its category open.
    let (status, _) = send(shop.admin(Method::PATCH, "/admin/v1/products/A").json(&json!({"status": "inactive"}))).await;
    assert_eq!(status, 200);
    assert_eq!(tree(shop.guest(Method::GET, "/store/v1/categories")).await, Vec::<String>::new());
    // The merchant's tree is whole.
    let (_, all) = send(shop.admin(Method::GET, "/admin/v1/categories")).await;
    assert_eq!(all["items"].as_array().map(Vec::len), Some(3), "{all}");
}
