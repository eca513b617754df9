//! Companies over HTTP: customer groups, company accounts and their statuses, roles and users
//! behind permissions, the org chart, the profile and address book, the audit log.

use reqwest::Method;
use serde_json::json;

use crate::harness::{TestServer, code, send};

#[tokio::test]
async fn customer_groups_are_managed_by_the_merchant() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let beta = server.tenant("beta").await;

    let (status, wholesale) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Wholesale"}))).await;
    assert_eq!(status, 201, "{wholesale}");
    let id = wholesale["id"].as_str().expect("id").to_owned();
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Wholesale"}))).await;
    assert_eq!((status, code(&body)), (409, "already_exists"), "{body}");
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "  "}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    assert!(body["error"]["details"]["fields"]["name"].is_string(), "{body}");
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Retail", "colour": "red"}))).await;
    assert_eq!(status, 422, "unknown fields are refused: {body}");

    let (status, body) = send(server.admin(&acme, Method::PATCH, &format!("/admin/v1/customer-groups/{id}")).json(&json!({"name": "Trade"}))).await;
    assert_eq!((status, body["name"].as_str()), (200, Some("Trade")), "{body}");
    let (_, list) = send(server.admin(&acme, Method::GET, "/admin/v1/customer-groups")).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");

    // Another tenant's admin sees nothing of it.
    let path = format!("/admin/v1/customer-groups/{id}");
    for method in [Method::GET, Method::DELETE] {
        let (status, body) = send(server.admin(&beta, method, &path)).await;
        assert_eq!((status, code(&body)), (404, "customer_group_not_found"), "{body}");
    }
    let (_, list) = send(server.admin(&beta, Method::GET, "/admin/v1/customer-groups")).await;
    assert_eq!(list["items"], json!([]));

    let (status, _) = send(server.admin(&acme, Method::DELETE, &path)).await;
    assert_eq!(status, 204);
    let (status, _) = send(server.admin(&acme, Method::GET, &path)).await;
    assert_eq!(status, 404);
}

pub(crate) fn bolt() -> serde_json::Value {
    json!({"name": "Bolt Co", "email": "office@bolt.example",
        "admin": {"email": "ann@bolt.example", "password": "correct horse 1", "first_name": "Ann", "last_name": "Lee"}})
}

#[tokio::test]
async fn the_merchant_creates_companies_and_moves_them_through_their_statuses() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let beta = server.tenant("beta").await;

    let (status, company) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&bolt())).await;
    assert_eq!(status, 201, "{company}");
    assert_eq!(company["status"], "pending");
    assert_eq!((company["quotes_enabled"].as_bool(), company["purchase_orders_enabled"].as_bool()), (Some(true), Some(false)));
    let id = company["id"].as_str().expect("id").to_owned();
    let path = format!("/admin/v1/companies/{id}");

    // The same admin e-mail (in any case) is taken; nothing of the second company is written.
    let mut again = bolt();
    again["name"] = json!("Bolt Two");
    again["admin"]["email"] = json!("ANN@bolt.example");
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&again)).await;
    assert_eq!((status, code(&body)), (409, "email_taken"), "{body}");
    let (_, list) = send(server.admin(&acme, Method::GET, "/admin/v1/companies")).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(1), "{list}");

    // Every bad field is named at once.
    let bad = json!({"name": "", "email": "nope", "address": {"country": "Germany"}, "customer_group_id": "grp_missing",
        "admin": {"email": "x", "password": "short", "first_name": "A", "last_name": ""}});
    let (status, body) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&bad)).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    for field in ["name", "email", "address.country", "customer_group_id", "admin.email", "admin.password", "admin.last_name"] {
        assert!(body["error"]["details"]["fields"][field].is_string(), "{field}: {body}");
    }

    // Statuses: rejecting needs a reason; approving clears it.
    let (status, body) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "rejected"}))).await;
    assert_eq!((status, code(&body)), (422, "validation_failed"), "{body}");
    let (status, body) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "rejected", "reject_reason": "No VAT id"}))).await;
    assert_eq!((status, body["status"].as_str(), body["reject_reason"].as_str()), (200, Some("rejected"), Some("No VAT id")), "{body}");
    assert!(body["rejected_at"].is_string(), "{body}");
    let (status, body) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "active", "vat_tax_id": "DE123456789"}))).await;
    assert_eq!((status, body["status"].as_str(), body["vat_tax_id"].as_str()), (200, Some("active"), Some("DE123456789")), "{body}");
    assert!(body["reject_reason"].is_null() && body["rejected_at"].is_null(), "{body}");
    let (status, body) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "closed"}))).await;
    assert_eq!(status, 422, "{body}");

    // Customer group: set, filtered on, removed.
    let (_, group) = send(server.admin(&acme, Method::POST, "/admin/v1/customer-groups").json(&json!({"name": "Wholesale"}))).await;
    let group_id = group["id"].as_str().expect("id");
    let (status, body) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"customer_group_id": group_id, "address": {"city": "Hamburg", "country": "de"}}))).await;
    assert_eq!((status, body["customer_group_id"].as_str(), body["address"]["country"].as_str()), (200, Some(group_id), Some("DE")), "{body}");
    let mut other = bolt();
    other["name"] = json!("Nut Co");
    other["admin"]["email"] = json!("nina@nut.example");
    other["status"] = json!("active");
    let (status, nut) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&other)).await;
    assert_eq!((status, nut["status"].as_str()), (201, Some("active")), "{nut}");
    let (_, grouped) = send(server.admin(&acme, Method::GET, &format!("/admin/v1/companies?customer_group_id={group_id}"))).await;
    assert_eq!(grouped["items"].as_array().map(Vec::len), Some(1), "{grouped}");
    let (_, page) = send(server.admin(&acme, Method::GET, "/admin/v1/companies?status=active&limit=1")).await;
    assert_eq!(page["items"][0]["id"].as_str(), Some(id.as_str()), "{page}");
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let (_, page) = send(server.admin(&acme, Method::GET, &format!("/admin/v1/companies?status=active&limit=1&cursor={cursor}"))).await;
    assert_eq!((page["items"][0]["name"].as_str(), page["next_cursor"].is_null()), (Some("Nut Co"), true), "{page}");
    let group_path = format!("/admin/v1/customer-groups/{group_id}");
    let (status, body) = send(server.admin(&acme, Method::DELETE, &group_path)).await;
    assert_eq!((status, code(&body)), (409, "customer_group_in_use"), "{body}");
    let (status, body) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"customer_group_id": null}))).await;
    assert_eq!((status, body["customer_group_id"].is_null()), (200, true), "{body}");
    assert_eq!(send(server.admin(&acme, Method::DELETE, &group_path)).await.0, 204);

    // Another tenant sees none of it, and may use the same e-mail address.
    let (status, body) = send(server.admin(&beta, Method::GET, &path)).await;
    assert_eq!((status, code(&body)), (404, "company_not_found"), "{body}");
    let (status, _) = send(server.admin(&beta, Method::PATCH, &path).json(&json!({"status": "blocked"}))).await;
    assert_eq!(status, 404);
    let (status, _) = send(server.admin(&beta, Method::POST, "/admin/v1/companies").json(&bolt())).await;
    assert_eq!(status, 201);
}

pub(crate) async fn login(server: &TestServer, tenant: &str, email: &str, password: &str) -> (u16, serde_json::Value) {
    send(server.store(tenant, Method::POST, "/store/v1/auth/login").json(&json!({"email": email, "password": password}))).await
}

/// Creates Bolt Co, active, in tenant `acme` (admin token `admin`) and logs its admin Ann in.
pub(crate) async fn active_bolt(server: &TestServer, admin: &str) -> String {
    let mut body = bolt();
    body["status"] = json!("active");
    let (status, company) = send(server.admin(admin, Method::POST, "/admin/v1/companies").json(&body)).await;
    assert_eq!(status, 201, "{company}");
    let (_, session) = login(server, "acme", "ann@bolt.example", "correct horse 1").await;
    session["token"].as_str().expect("token").to_owned()
}

pub(crate) fn me(server: &TestServer, tenant: &str, token: &str) -> reqwest::RequestBuilder {
    server.store(tenant, Method::GET, "/store/v1/me").bearer_auth(token)
}

/// Issue 4's "checked from outside" list, in order.
#[tokio::test]
async fn checked_from_outside() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let (status, company) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&json!({"name":"Bolt Co","email":"office@bolt.example",
        "admin":{"email":"ann@bolt.example","password":"correct horse 1","first_name":"Ann","last_name":"Lee"}}))).await;
    assert_eq!((status, company["status"].as_str()), (201, Some("pending")), "{company}");
    assert!(company["id"].is_string());
    let path = format!("/admin/v1/companies/{}", company["id"].as_str().expect("id"));

    let (status, body) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    assert!((400..500).contains(&status) && code(&body) == "company_pending", "{status} {body}");
    let (status, _) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "active"}))).await;
    assert_eq!(status, 200);
    let (status, session) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    assert_eq!(status, 200, "{session}");
    let ann = session["token"].as_str().expect("token").to_owned();

    let (status, role) = send(server.store("acme", Method::POST, "/store/v1/company/roles").bearer_auth(&ann)
        .json(&json!({"name": "Viewer", "permissions": ["company.users.view"]}))).await;
    assert_eq!(status, 201, "{role}");
    let role_id = role["id"].as_str().expect("id");
    let (status, bob) = send(server.store("acme", Method::POST, "/store/v1/company/users").bearer_auth(&ann)
        .json(&json!({"email": "bob@bolt.example", "password": "another horse 2", "first_name": "Bob", "last_name": "Ray", "role_id": role_id}))).await;
    assert_eq!(status, 201, "{bob}");

    let (status, session) = login(&server, "acme", "bob@bolt.example", "another horse 2").await;
    assert_eq!(status, 200, "{session}");
    let bob = session["token"].as_str().expect("token").to_owned();
    let (status, body) = send(server.store("acme", Method::POST, "/store/v1/company/users").bearer_auth(&bob).json(&json!({}))).await;
    assert_eq!((status, code(&body)), (403, "permission_denied"), "{body}");
    let (status, who) = send(me(&server, "acme", &bob)).await;
    assert_eq!(status, 200, "{who}");
    let permissions: Vec<&str> = who["permissions"].as_array().expect("permissions").iter().filter_map(|p| p.as_str()).collect();
    assert!(permissions.contains(&"company.users.view") && !permissions.contains(&"company.users.edit"), "{who}");

    let (status, _) = send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "blocked"}))).await;
    assert_eq!(status, 200);
    let (status, body) = login(&server, "acme", "bob@bolt.example", "another horse 2").await;
    assert_eq!(status, 200, "Bob can still log in: {body}");
}

#[tokio::test]
async fn roles_and_users_are_managed_behind_their_permissions() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let ann = active_bolt(&server, &acme).await;
    let post = |path: &str, token: &str, body: serde_json::Value| server.store("acme", Method::POST, path).bearer_auth(token).json(&body);

    // A new company has its Default User role; Magento's defaults.
    let (_, roles) = send(server.store("acme", Method::GET, "/store/v1/company/roles").bearer_auth(&ann)).await;
    assert_eq!(roles["items"][0]["name"], "Default User", "{roles}");
    let default_id = roles["items"][0]["id"].as_str().expect("id").to_owned();
    assert!(roles["items"][0]["permissions"].as_array().expect("permissions").contains(&json!("sales.place_order")), "{roles}");

    // Bad input: unknown permission, duplicate name, another company's role, taken e-mail.
    let (status, body) = send(post("/store/v1/company/roles", &ann, json!({"name": "X", "permissions": ["sales.fly"]}))).await;
    assert_eq!((status, body["error"]["details"]["fields"]["permissions"].is_string()), (422, true), "{body}");
    let (status, body) = send(post("/store/v1/company/roles", &ann, json!({"name": "Default User", "permissions": []}))).await;
    assert_eq!((status, code(&body)), (409, "already_exists"), "{body}");
    let (status, buyer_role) = send(post("/store/v1/company/roles", &ann, json!({"name": "Buyer", "permissions": ["sales.view_orders.subordinates"]}))).await;
    assert_eq!(status, 201, "{buyer_role}");
    assert_eq!(buyer_role["permissions"], json!(["sales", "sales.view_orders", "sales.view_orders.subordinates"]), "parents are implied");
    let mut other = bolt();
    other["admin"]["email"] = json!("olga@other.example");
    other["status"] = json!("active");
    send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&other)).await;
    let (_, olga) = login(&server, "acme", "olga@other.example", "correct horse 1").await;
    let olga = olga["token"].as_str().expect("token").to_owned();
    let user = |email: &str, role: &str| json!({"email": email, "password": "another horse 2", "first_name": "Bob", "last_name": "Ray", "role_id": role});
    let (status, body) = send(post("/store/v1/company/users", &olga, user("bob@bolt.example", &default_id))).await;
    assert_eq!((status, body["error"]["details"]["fields"]["role_id"].is_string()), (422, true), "another company's role: {body}");
    let (status, body) = send(post("/store/v1/company/users", &ann, user("olga@other.example", &default_id))).await;
    assert_eq!((status, code(&body)), (409, "email_taken"), "{body}");

    // A user is placed under the admin; a role in use cannot be deleted; roles can change.
    let (status, carl) = send(post("/store/v1/company/users", &ann, user("carl@bolt.example", buyer_role["id"].as_str().expect("id")))).await;
    assert_eq!(status, 201, "{carl}");
    let (_, users) = send(server.store("acme", Method::GET, "/store/v1/company/users").bearer_auth(&ann)).await;
    assert_eq!(users["items"].as_array().map(Vec::len), Some(2), "{users}");
    assert_eq!((users["items"][0]["role"].as_str(), users["items"][0]["parent_node_id"].is_null()), (Some("Company Administrator"), true));
    assert_eq!(users["items"][1]["parent_node_id"], users["items"][0]["node_id"], "{users}");
    let role_path = format!("/store/v1/company/roles/{}", buyer_role["id"].as_str().expect("id"));
    let (status, body) = send(server.store("acme", Method::DELETE, &role_path).bearer_auth(&ann)).await;
    assert_eq!((status, code(&body)), (409, "role_in_use"), "{body}");
    let (status, body) = send(server.store("acme", Method::PATCH, &role_path).bearer_auth(&ann).json(&json!({"permissions": ["company.roles.view"]}))).await;
    assert_eq!((status, body["permissions"].clone()), (200, json!(["company.user_management", "company.roles.view"])), "{body}");

    // Carl's new permissions apply at once: he may read roles, not users, and change nothing.
    let (_, session) = login(&server, "acme", "carl@bolt.example", "another horse 2").await;
    let carl = session["token"].as_str().expect("token").to_owned();
    let (status, _) = send(server.store("acme", Method::GET, "/store/v1/company/roles").bearer_auth(&carl)).await;
    assert_eq!(status, 200);
    for (method, path) in [(Method::GET, "/store/v1/company/users"), (Method::POST, "/store/v1/company/roles"), (Method::DELETE, role_path.as_str())] {
        let (status, body) = send(server.store("acme", method.clone(), path).bearer_auth(&carl).json(&json!({"name": "x", "permissions": []}))).await;
        assert_eq!((status, code(&body)), (403, "permission_denied"), "{method} {path}: {body}");
    }
    // Olga's company does not see Ann's.
    let (_, users) = send(server.store("acme", Method::GET, "/store/v1/company/users").bearer_auth(&olga)).await;
    assert_eq!(users["items"].as_array().map(Vec::len), Some(1), "{users}");
    let (status, _) = send(server.store("acme", Method::DELETE, &role_path).bearer_auth(&olga)).await;
    assert_eq!(status, 404);
}

/// For every protected storefront action: a role that denies its permission gets
/// `permission_denied` naming it, a role that allows it gets past the check. Every
/// `/store/v1/company` route of the OpenAPI document must be in the table, so a new endpoint
/// without a declared permission fails here.
#[tokio::test]
async fn permission_matrix() {
    use hanse_domain::company::permission::TREE;
    let matrix = hanse_server::STOREFRONT_PERMISSIONS;
    let server = TestServer::start().await;
    let (_, spec) = send(server.request(Method::GET, "/openapi.json")).await;
    let mut routes = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        if path.starts_with("/store/v1/company") {
            for method in item.as_object().expect("operations").keys() {
                routes.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    assert!(!routes.is_empty());
    let admin_only = hanse_server::STOREFRONT_ADMIN_ONLY;
    for (method, path) in &routes {
        let declared = matrix.iter().any(|(m, p, _)| m == method && p == path) || admin_only.iter().any(|(m, p)| m == method && p == path);
        assert!(declared, "{method} {path} has no permission in STOREFRONT_PERMISSIONS (nor is it in STOREFRONT_ADMIN_ONLY)");
    }
    assert_eq!(routes.len(), matrix.len() + admin_only.len(), "a table names a route the API does not have");

    let acme = server.tenant("acme").await;
    let ann = active_bolt(&server, &acme).await;
    for (i, (method, path, resource)) in matrix.iter().enumerate() {
        // Denying a permission means allowing neither it nor anything below it.
        let is_below = |r: &&hanse_domain::company::Resource| {
            let mut node: Option<&hanse_domain::company::Resource> = Some(*r);
            while let Some(n) = node {
                if n.id == resource.id {
                    return true;
                }
                node = n.parent.and_then(hanse_domain::company::permission::resource);
            }
            false
        };
        let denied: Vec<&str> = TREE.iter().filter(|r| !is_below(r)).map(|r| r.id).collect();
        for (label, allowed, expect_denied) in [("deny", denied, true), ("allow", vec![resource.id], false)] {
            let (status, role) = send(server.store("acme", Method::POST, "/store/v1/company/roles").bearer_auth(&ann)
                .json(&json!({"name": format!("{label}-{i}"), "permissions": allowed}))).await;
            assert_eq!(status, 201, "{role}");
            let email = format!("{label}-{i}@bolt.example");
            let (status, user) = send(server.store("acme", Method::POST, "/store/v1/company/users").bearer_auth(&ann)
                .json(&json!({"email": email, "password": "another horse 2", "first_name": "T", "last_name": "T", "role_id": role["id"]}))).await;
            assert_eq!(status, 201, "{user}");
            let (_, session) = login(&server, "acme", &email, "another horse 2").await;
            let token = session["token"].as_str().expect("token");
            let url = path.replace("{id}", "rol_none");
            let method = Method::from_bytes(method.as_bytes()).expect("method");
            let (status, body) = send(server.request(method.clone(), &url).header("X-Tenant", "acme").bearer_auth(token).json(&json!({}))).await;
            if expect_denied {
                assert_eq!((status, code(&body)), (403, "permission_denied"), "{method} {url} without {}: {body}", resource.id);
                assert_eq!(body["error"]["details"]["permission"], resource.id, "{body}");
            } else {
                assert_ne!(code(&body), "permission_denied", "{method} {url} with {}: {body}", resource.id);
            }
        }
    }

    // Admin-only actions: refused to a user whose role allows everything, open to the admin.
    let every: Vec<&str> = TREE.iter().map(|r| r.id).collect();
    let (_, role) = send(server.store("acme", Method::POST, "/store/v1/company/roles").bearer_auth(&ann).json(&json!({"name": "Everything", "permissions": every}))).await;
    send(server.store("acme", Method::POST, "/store/v1/company/users").bearer_auth(&ann)
        .json(&json!({"email": "all@bolt.example", "password": "another horse 2", "first_name": "A", "last_name": "L", "role_id": role["id"]}))).await;
    let (_, session) = login(&server, "acme", "all@bolt.example", "another horse 2").await;
    let all = session["token"].as_str().expect("token").to_owned();
    for (method, path) in admin_only {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let (status, body) = send(server.request(method.clone(), path).header("X-Tenant", "acme").bearer_auth(&all)).await;
        assert_eq!((status, code(&body)), (403, "company_admin_only"), "{method} {path}: {body}");
        let (status, body) = send(server.request(method.clone(), path).header("X-Tenant", "acme").bearer_auth(&ann)).await;
        assert_eq!(status, 200, "{method} {path}: {body}");
    }
}

#[tokio::test]
async fn the_audit_log_says_who_changed_what() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let (_, company) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&bolt())).await;
    let path = format!("/admin/v1/companies/{}", company["id"].as_str().expect("id"));
    send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "active"}))).await;
    let (_, session) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    let ann = session["token"].as_str().expect("token").to_owned();
    let (_, role) = send(server.store("acme", Method::POST, "/store/v1/company/roles").bearer_auth(&ann).json(&json!({"name": "Viewer", "permissions": []}))).await;
    send(server.store("acme", Method::POST, "/store/v1/company/users").bearer_auth(&ann)
        .json(&json!({"email": "bob@bolt.example", "password": "another horse 2", "first_name": "Bob", "last_name": "Ray", "role_id": role["id"]}))).await;

    let (status, merchant_view) = send(server.admin(&acme, Method::GET, &format!("{path}/audit"))).await;
    assert_eq!(status, 200, "{merchant_view}");
    let actions: Vec<&str> = merchant_view["items"].as_array().expect("items").iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["user.created", "role.created", "company.status_changed", "company.created"], "{merchant_view}");
    assert_eq!(merchant_view["items"][2]["actor"], "merchant");
    assert_eq!(merchant_view["items"][2]["detail"]["to"], "active");
    assert!(merchant_view["items"][0]["actor"].as_str().is_some_and(|a| a.starts_with("buyer:")), "{merchant_view}");
    let (_, company_view) = send(server.store("acme", Method::GET, "/store/v1/company/audit").bearer_auth(&ann)).await;
    assert_eq!(company_view["items"], merchant_view["items"]);
    let (status, _) = send(server.admin(&acme, Method::GET, "/admin/v1/companies/cmp_none/audit")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn companies_register_themselves_unless_the_merchant_says_no() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let register = |body: serde_json::Value| server.store("acme", Method::POST, "/store/v1/companies").json(&body);

    let (status, settings) = send(server.admin(&acme, Method::GET, "/admin/v1/settings")).await;
    assert_eq!((status, settings["company_registration"].as_bool()), (200, Some(true)), "{settings}");
    let (status, company) = send(register(bolt())).await;
    assert_eq!((status, company["status"].as_str()), (201, Some("pending")), "{company}");
    let (status, body) = send(register(bolt())).await;
    assert_eq!((status, code(&body)), (409, "email_taken"), "{body}");
    let mut merchant_only = bolt();
    merchant_only["status"] = json!("active");
    let (status, _) = send(register(merchant_only)).await;
    assert_eq!(status, 422, "a registration cannot choose its status");
    let (status, body) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    assert_eq!((status, code(&body)), (403, "company_pending"), "{body}");
    let (_, listed) = send(server.admin(&acme, Method::GET, "/admin/v1/companies?status=pending")).await;
    assert_eq!(listed["items"][0]["id"], company["id"], "{listed}");
    let (_, audit) = send(server.admin(&acme, Method::GET, &format!("/admin/v1/companies/{}/audit", company["id"].as_str().expect("id")))).await;
    assert_eq!(audit["items"][0]["actor"], "storefront", "{audit}");

    let (status, settings) = send(server.admin(&acme, Method::PATCH, "/admin/v1/settings").json(&json!({"company_registration": false}))).await;
    assert_eq!((status, settings["company_registration"].as_bool()), (200, Some(false)), "{settings}");
    let mut other = bolt();
    other["admin"]["email"] = json!("otto@other.example");
    let (status, body) = send(register(other)).await;
    assert_eq!((status, code(&body)), (403, "registration_closed"), "{body}");
}

#[tokio::test]
async fn the_org_chart_holds_teams_and_users_and_refuses_cycles() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let ann = active_bolt(&server, &acme).await;
    let call = |method: Method, path: &str| server.store("acme", method, path).bearer_auth(&ann);
    let (_, roles) = send(call(Method::GET, "/store/v1/company/roles")).await;
    let role = roles["items"][0]["id"].clone();
    for (first, email) in [("Bob", "bob@bolt.example"), ("Carl", "carl@bolt.example")] {
        let (status, user) = send(call(Method::POST, "/store/v1/company/users")
            .json(&json!({"email": email, "password": "another horse 2", "first_name": first, "last_name": "Ray", "role_id": role}))).await;
        assert_eq!(status, 201, "{user}");
    }
    let (status, team) = send(call(Method::POST, "/store/v1/company/teams").json(&json!({"name": "Purchasing", "description": "Buys bolts"}))).await;
    assert_eq!(status, 201, "{team}");
    let team_id = team["id"].as_str().expect("id").to_owned();
    let (_, chart) = send(call(Method::GET, "/store/v1/company/structure")).await;
    let node_of = |chart: &serde_json::Value, name: &str| -> String {
        fn find(node: &serde_json::Value, name: &str) -> Option<String> {
            if node["name"] == name {
                return node["id"].as_str().map(str::to_owned);
            }
            node["children"].as_array()?.iter().find_map(|c| find(c, name))
        }
        find(chart, name).expect("node")
    };
    let (bob, carl, root) = (node_of(&chart, "Bob Ray"), node_of(&chart, "Carl Ray"), chart["id"].as_str().expect("root").to_owned());
    let mv = |node: &str, parent: &str| call(Method::POST, &format!("/store/v1/company/structure/{node}/move")).json(&json!({"parent_id": parent}));

    // Bob into the team, Carl under Bob.
    assert_eq!(send(mv(&bob, &team_id)).await.0, 204);
    assert_eq!(send(mv(&carl, &bob)).await.0, 204);
    let (_, chart) = send(call(Method::GET, "/store/v1/company/structure")).await;
    assert_eq!(chart["name"], "Ann Lee", "{chart}");
    let purchasing = chart["children"].as_array().expect("children").iter().find(|c| c["type"] == "team").expect("team").clone();
    assert_eq!(purchasing["description"], "Buys bolts");
    assert_eq!(purchasing["children"][0]["name"], "Bob Ray", "{chart}");
    assert_eq!(purchasing["children"][0]["children"][0]["name"], "Carl Ray", "{chart}");

    // No cycles, the admin stays on top, parents must be in the chart, non-empty teams stay.
    let (status, body) = send(mv(&team_id, &carl)).await;
    assert_eq!((status, code(&body)), (409, "invalid_move"), "{body}");
    let (status, body) = send(mv(&root, &team_id)).await;
    assert_eq!((status, code(&body)), (409, "invalid_move"), "{body}");
    let (status, body) = send(mv(&bob, "nod_elsewhere")).await;
    assert_eq!((status, code(&body)), (409, "unknown_parent"), "{body}");
    let (status, body) = send(call(Method::DELETE, &format!("/store/v1/company/teams/{team_id}"))).await;
    assert_eq!((status, code(&body)), (409, "team_not_empty"), "{body}");
    let (status, body) = send(call(Method::DELETE, &format!("/store/v1/company/teams/{bob}"))).await;
    assert_eq!((status, code(&body)), (404, "team_not_found"), "a user is no team: {body}");

    // Bob leaves with Carl under him; the team can go.
    assert_eq!(send(mv(&bob, &root)).await.0, 204);
    let (_, chart) = send(call(Method::GET, "/store/v1/company/structure")).await;
    let bob_node = chart["children"].as_array().expect("children").iter().find(|c| c["name"] == "Bob Ray").expect("bob").clone();
    assert_eq!(bob_node["children"][0]["name"], "Carl Ray", "{chart}");
    let (status, _) = send(call(Method::PATCH, &format!("/store/v1/company/teams/{team_id}")).json(&json!({"name": "Sourcing"}))).await;
    assert_eq!(status, 204);
    assert_eq!(send(call(Method::DELETE, &format!("/store/v1/company/teams/{team_id}"))).await.0, 204);
}

#[tokio::test]
async fn the_company_keeps_its_profile_and_address_book() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let ann = active_bolt(&server, &acme).await;
    let call = |method: Method, path: &str| server.store("acme", method, path).bearer_auth(&ann);

    let (status, profile) = send(call(Method::GET, "/store/v1/company")).await;
    assert_eq!((status, profile["name"].as_str()), (200, Some("Bolt Co")), "{profile}");
    let (status, profile) = send(call(Method::PATCH, "/store/v1/company").json(&json!({"legal_name": "Bolt Co GmbH", "address": {"city": "Bremen", "country": "DE"}}))).await;
    assert_eq!((status, profile["legal_name"].as_str(), profile["address"]["city"].as_str()), (200, Some("Bolt Co GmbH"), Some("Bremen")), "{profile}");
    let (status, body) = send(call(Method::PATCH, "/store/v1/company").json(&json!({"email": "nope"}))).await;
    assert_eq!((status, body["error"]["details"]["fields"]["email"].is_string()), (422, true), "{body}");

    let place = |city: &str| json!({"street": "Kai 1", "city": city, "postcode": "20457", "country": "DE"});
    let (status, first) = send(call(Method::POST, "/store/v1/company/addresses").json(&json!({"kind": "shipping", "label": "Main", "address": place("Hamburg")}))).await;
    assert_eq!((status, first["is_default"].as_bool()), (201, Some(true)), "the first of its kind is the default: {first}");
    let (_, second) = send(call(Method::POST, "/store/v1/company/addresses").json(&json!({"kind": "shipping", "label": "Annex", "address": place("Kiel"), "is_default": true}))).await;
    assert_eq!(second["is_default"], true);
    let (_, billing) = send(call(Method::POST, "/store/v1/company/addresses").json(&json!({"kind": "billing", "label": "Office", "address": place("Hamburg")}))).await;
    assert_eq!(billing["is_default"], true, "defaults are per kind: {billing}");
    let (_, book) = send(call(Method::GET, "/store/v1/company/addresses")).await;
    let defaults: Vec<(&str, bool)> = book["items"].as_array().expect("items").iter().map(|a| (a["label"].as_str().unwrap_or(""), a["is_default"].as_bool().unwrap_or(false))).collect();
    assert_eq!(defaults, [("Office", true), ("Annex", true), ("Main", false)], "{book}");
    let (status, body) = send(call(Method::POST, "/store/v1/company/addresses").json(&json!({"kind": "moon", "label": "", "address": {"country": "Germany"}}))).await;
    assert_eq!(status, 422, "{body}");
    for field in ["kind", "label", "address.street", "address.city", "address.postcode", "address.country"] {
        assert!(body["error"]["details"]["fields"][field].is_string(), "{field}: {body}");
    }
    let path = format!("/store/v1/company/addresses/{}", first["id"].as_str().expect("id"));
    let (status, body) = send(call(Method::PATCH, &path).json(&json!({"kind": "shipping", "label": "Main", "address": place("Lübeck"), "is_default": true}))).await;
    assert_eq!((status, body["address"]["city"].as_str(), body["is_default"].as_bool()), (200, Some("Lübeck"), Some(true)), "{body}");
    assert_eq!(send(call(Method::DELETE, &path)).await.0, 204);
    assert_eq!(send(call(Method::DELETE, &path)).await.0, 404);

    // A Default User may look but not touch.
    let (_, roles) = send(call(Method::GET, "/store/v1/company/roles")).await;
    send(call(Method::POST, "/store/v1/company/users").json(&json!({"email": "bob@bolt.example", "password": "another horse 2", "first_name": "Bob", "last_name": "Ray", "role_id": roles["items"][0]["id"]}))).await;
    let (_, session) = login(&server, "acme", "bob@bolt.example", "another horse 2").await;
    let bob = session["token"].as_str().expect("token").to_owned();
    assert_eq!(send(server.store("acme", Method::GET, "/store/v1/company/addresses").bearer_auth(&bob)).await.0, 200);
    let (status, body) = send(server.store("acme", Method::PATCH, "/store/v1/company").bearer_auth(&bob).json(&json!({"name": "Bob Co"}))).await;
    assert_eq!((status, code(&body)), (403, "permission_denied"), "{body}");
}

#[tokio::test]
async fn the_merchant_creates_company_users_too() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let ann = active_bolt(&server, &acme).await;
    let (_, roles) = send(server.store("acme", Method::GET, "/store/v1/company/roles").bearer_auth(&ann)).await;
    let role = roles["items"][0]["id"].as_str().expect("role").to_owned();
    let (_, list) = send(server.admin(&acme, Method::GET, "/admin/v1/companies")).await;
    let users = format!("/admin/v1/companies/{}/users", list["items"][0]["id"].as_str().expect("id"));

    let (status, body) = send(server.admin(&acme, Method::POST, &users).json(&json!({"email": "dora@bolt.example", "role_id": role}))).await;
    assert_eq!(status, 422, "a new account needs a password and names: {body}");
    for field in ["password", "first_name", "last_name"] {
        assert!(body["error"]["details"]["fields"][field].is_string(), "{field}: {body}");
    }
    let (status, dora) = send(server.admin(&acme, Method::POST, &users)
        .json(&json!({"email": "dora@bolt.example", "role_id": role, "password": "another horse 2", "first_name": "Dora", "last_name": "Kim"}))).await;
    assert_eq!((status, dora["role_id"].as_str()), (201, Some(role.as_str())), "{dora}");
    assert_eq!(login(&server, "acme", "dora@bolt.example", "another horse 2").await.0, 200);
    let (status, body) = send(server.admin(&acme, Method::POST, &users)
        .json(&json!({"email": "ann@bolt.example", "role_id": role, "password": "another horse 2"}))).await;
    assert_eq!((status, body["error"]["details"]["fields"]["password"].is_string()), (422, true), "an existing account keeps its password: {body}");
}
