//! Buyers over HTTP: logging in while the company allows it, passwords, failed-login
//! throttling, deactivation and belonging to several companies.

use reqwest::Method;
use serde_json::json;

use crate::companies::{active_bolt, bolt, login, me};
use crate::harness::{TestServer, code, send};

#[tokio::test]
async fn buyers_log_in_only_while_their_company_allows_it() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    server.tenant("beta").await;
    let (_, company) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&bolt())).await;
    let path = format!("/admin/v1/companies/{}", company["id"].as_str().expect("id"));

    // Pending: refused, with the reason.
    let (status, body) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    assert_eq!((status, code(&body)), (403, "company_pending"), "{body}");

    // Approved: a session; the admin has every permission.
    send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "active"}))).await;
    let (status, session) = login(&server, "acme", "Ann@Bolt.example", "correct horse 1").await;
    assert_eq!(status, 200, "{session}");
    let token = session["token"].as_str().expect("token").to_owned();
    let (status, who) = send(me(&server, "acme", &token)).await;
    assert_eq!(status, 200, "{who}");
    assert_eq!((who["email"].as_str(), who["company"]["name"].as_str(), who["company"]["role"].as_str()), (Some("ann@bolt.example"), Some("Bolt Co"), Some("Company Administrator")));
    let permissions: Vec<&str> = who["permissions"].as_array().expect("permissions").iter().filter_map(|p| p.as_str()).collect();
    assert!(permissions.contains(&"company.users.edit") && permissions.contains(&"sales.place_order"), "{who}");

    // Wrong password and unknown address look the same.
    for (email, password) in [("ann@bolt.example", "wrong horse 1"), ("nobody@bolt.example", "correct horse 1"), ("not an address", "x")] {
        let (status, body) = login(&server, "acme", email, password).await;
        assert_eq!((status, code(&body)), (401, "invalid_credentials"), "{email}: {body}");
    }
    // The token means nothing to another tenant, nor without the Bearer scheme.
    let (status, _) = send(me(&server, "beta", &token)).await;
    assert_eq!(status, 401);
    let (status, _) = send(server.store("acme", Method::GET, "/store/v1/me")).await;
    assert_eq!(status, 401);
    // An unknown tenant is reported as such, with a session or without one; a suspended
    // tenant's sessions stop until it resumes.
    let (status, body) = send(me(&server, "nobody", &token)).await;
    assert_eq!((status, code(&body)), (404, "tenant_not_found"), "{body}");
    let (status, body) = send(server.store("nobody", Method::GET, "/store/v1/me")).await;
    assert_eq!((status, code(&body)), (404, "tenant_not_found"), "{body}");
    send(server.operator(Method::POST, "/operator/v1/tenants/acme/suspend")).await;
    let (status, body) = send(me(&server, "acme", &token)).await;
    assert_eq!((status, code(&body)), (403, "tenant_suspended"), "{body}");
    let (status, body) = send(server.store("acme", Method::GET, "/store/v1/me")).await;
    assert_eq!((status, code(&body)), (403, "tenant_suspended"), "{body}");
    send(server.operator(Method::POST, "/operator/v1/tenants/acme/resume")).await;
    assert_eq!(send(me(&server, "acme", &token)).await.0, 200);

    // Blocked: may still log in and read, not change anything; rejected: refused, and the open
    // session stops at once.
    send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "blocked"}))).await;
    let (status, _) = send(me(&server, "acme", &token)).await;
    assert_eq!(status, 200);
    assert_eq!(send(server.store("acme", Method::GET, "/store/v1/company/roles").bearer_auth(&token)).await.0, 200);
    let (status, body) = send(server.store("acme", Method::POST, "/store/v1/company/roles").bearer_auth(&token).json(&json!({"name": "X", "permissions": []}))).await;
    assert_eq!((status, code(&body)), (403, "company_blocked"), "{body}");
    let (status, _) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    assert_eq!(status, 200);
    send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "rejected", "reject_reason": "fraud"}))).await;
    let (status, body) = send(me(&server, "acme", &token)).await;
    assert_eq!((status, code(&body)), (403, "company_rejected"), "{body}");
    let (status, body) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    assert_eq!((status, code(&body)), (403, "company_rejected"), "{body}");

    // Logging out ends the session.
    send(server.admin(&acme, Method::PATCH, &path).json(&json!({"status": "active"}))).await;
    let (status, _) = send(me(&server, "acme", &token)).await;
    assert_eq!(status, 200);
    let (status, _) = send(server.store("acme", Method::POST, "/store/v1/auth/logout").bearer_auth(&token)).await;
    assert_eq!(status, 204);
    let (status, body) = send(me(&server, "acme", &token)).await;
    assert_eq!((status, code(&body)), (401, "unauthorized"), "{body}");
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_for_a_while() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    for (name, email) in [("Bolt Co", "ann@bolt.example"), ("Nut Co", "nina@nut.example")] {
        let mut body = bolt();
        body["name"] = json!(name);
        body["admin"]["email"] = json!(email);
        body["status"] = json!("active");
        send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&body)).await;
    }
    for _ in 0..5 {
        let (status, _) = login(&server, "acme", "ann@bolt.example", "wrong horse 1").await;
        assert_eq!(status, 401);
    }
    let (status, body) = login(&server, "acme", "ANN@bolt.example", "correct horse 1").await;
    assert_eq!((status, code(&body)), (429, "too_many_attempts"), "even the right password waits: {body}");
    assert!(body["error"]["details"]["retry_after_seconds"].as_u64().is_some_and(|s| s > 800), "{body}");
    let (status, _) = login(&server, "acme", "nina@nut.example", "correct horse 1").await;
    assert_eq!(status, 200, "other accounts are not affected");
}

/// The password reset messages queued for `email`, newest first, as a delivery worker reads
/// them from the outbox.
async fn reset_tokens(server: &TestServer, slug: &str, email: &str) -> Vec<String> {
    let store = hanse_store::Store::connect(&hanse_store::ConnectOptions::new(server.database_url.clone())).await.expect("store");
    let tenant = store.tenants().get_by_slug(&hanse_domain::tenant::TenantSlug::parse(slug).expect("slug")).await.expect("read").expect("tenant");
    let messages = store.outbox(&tenant.id, 100).await.expect("outbox");
    store.close().await;
    messages
        .into_iter()
        .filter(|m| m.topic == "buyer.password_reset" && m.recipient == email)
        .filter_map(|m| m.payload["token"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn buyers_change_and_reset_their_passwords() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let first = active_bolt(&server, &acme).await;
    let (_, second) = login(&server, "acme", "ann@bolt.example", "correct horse 1").await;
    let second = second["token"].as_str().expect("token").to_owned();
    let change = |token: &str, body: serde_json::Value| server.store("acme", Method::POST, "/store/v1/me/password").bearer_auth(token).json(&body);

    // Change: the current password must be right, the new one long enough; other sessions end.
    let (status, body) = send(change(&first, json!({"current_password": "wrong horse 1", "new_password": "better horse 22"}))).await;
    assert_eq!((status, body["error"]["details"]["fields"]["current_password"].is_string()), (422, true), "{body}");
    let (status, body) = send(change(&first, json!({"current_password": "correct horse 1", "new_password": "short"}))).await;
    assert_eq!((status, body["error"]["details"]["fields"]["new_password"].is_string()), (422, true), "{body}");
    let (status, _) = send(change(&first, json!({"current_password": "correct horse 1", "new_password": "better horse 22"}))).await;
    assert_eq!(status, 204);
    assert_eq!(send(me(&server, "acme", &first)).await.0, 200, "the session that changed it goes on");
    assert_eq!(send(me(&server, "acme", &second)).await.0, 401, "the others end");
    assert_eq!(login(&server, "acme", "ann@bolt.example", "correct horse 1").await.0, 401);
    assert_eq!(login(&server, "acme", "ann@bolt.example", "better horse 22").await.0, 200);

    // Reset: the same answer for unknown addresses; the token is queued, works once, ends sessions.
    let reset = |email: &str| server.store("acme", Method::POST, "/store/v1/auth/password-reset").json(&json!({"email": email}));
    assert_eq!(send(reset("nobody@bolt.example")).await.0, 202);
    assert_eq!(send(reset("ann@bolt.example")).await.0, 202);
    let tokens = reset_tokens(&server, "acme", "ann@bolt.example").await;
    assert_eq!(tokens.len(), 1, "{tokens:?}");
    assert!(reset_tokens(&server, "acme", "nobody@bolt.example").await.is_empty());
    let confirm = |token: &str, password: &str| {
        server.store("acme", Method::POST, "/store/v1/auth/password-reset/confirm").json(&json!({"token": token, "new_password": password}))
    };
    let (status, body) = send(confirm("hpr_forged", "reset horse 333")).await;
    assert_eq!((status, code(&body)), (400, "invalid_reset_token"), "{body}");
    assert_eq!(send(confirm(&tokens[0], "reset horse 333")).await.0, 204);
    let (status, body) = send(confirm(&tokens[0], "again horse 4444")).await;
    assert_eq!((status, code(&body)), (400, "invalid_reset_token"), "single use: {body}");
    assert_eq!(send(me(&server, "acme", &first)).await.0, 401, "a reset ends every session");
    assert_eq!(login(&server, "acme", "ann@bolt.example", "reset horse 333").await.0, 200);
    // A token is no good in another tenant.
    server.tenant("beta").await;
    send(reset("ann@bolt.example")).await;
    let token = reset_tokens(&server, "acme", "ann@bolt.example").await.remove(0);
    let (status, _) = send(server.store("beta", Method::POST, "/store/v1/auth/password-reset/confirm").json(&json!({"token": token, "new_password": "beta horse 55555"}))).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn users_are_deactivated_and_belong_to_several_companies() {
    let server = TestServer::start().await;
    let acme = server.tenant("acme").await;
    let ann = active_bolt(&server, &acme).await;
    let store = |method: Method, path: &str, token: &str| server.store("acme", method, path).bearer_auth(token);
    let (_, roles) = send(store(Method::GET, "/store/v1/company/roles", &ann)).await;
    let bolt_role = roles["items"][0]["id"].as_str().expect("role").to_owned();
    let (_, bob) = send(store(Method::POST, "/store/v1/company/users", &ann)
        .json(&json!({"email": "bob@bolt.example", "password": "another horse 2", "first_name": "Bob", "last_name": "Ray", "role_id": bolt_role}))).await;
    let bob_path = format!("/store/v1/company/users/{}", bob["id"].as_str().expect("id"));
    let (_, session) = login(&server, "acme", "bob@bolt.example", "another horse 2").await;
    let bob_token = session["token"].as_str().expect("token").to_owned();

    // Inactive: no login, and the open session stops; active again: both work.
    let (status, body) = send(store(Method::PATCH, &bob_path, &ann).json(&json!({"status": "inactive", "job_title": "Buyer"}))).await;
    assert_eq!((status, body["status"].as_str(), body["job_title"].as_str()), (200, Some("inactive"), Some("Buyer")), "{body}");
    let (status, body) = login(&server, "acme", "bob@bolt.example", "another horse 2").await;
    assert_eq!((status, code(&body)), (403, "user_inactive"), "{body}");
    let (status, body) = send(me(&server, "acme", &bob_token)).await;
    assert_eq!((status, code(&body)), (403, "user_inactive"), "{body}");
    send(store(Method::PATCH, &bob_path, &ann).json(&json!({"status": "active"}))).await;
    assert_eq!(send(me(&server, "acme", &bob_token)).await.0, 200);

    // The admin stays admin and active.
    let (_, who) = send(me(&server, "acme", &ann)).await;
    let ann_path = format!("/store/v1/company/users/{}", who["id"].as_str().expect("id"));
    let (status, body) = send(store(Method::PATCH, &ann_path, &ann).json(&json!({"status": "inactive"}))).await;
    assert_eq!((status, code(&body)), (409, "company_admin"), "{body}");

    // Nut Co takes Bob in too; he picks the company at login or switches.
    let mut nut = bolt();
    nut["name"] = json!("Nut Co");
    nut["admin"]["email"] = json!("nina@nut.example");
    nut["status"] = json!("active");
    let (_, nut) = send(server.admin(&acme, Method::POST, "/admin/v1/companies").json(&nut)).await;
    let nut_id = nut["id"].as_str().expect("id").to_owned();
    let (_, nina) = login(&server, "acme", "nina@nut.example", "correct horse 1").await;
    let (_, nut_roles) = send(store(Method::GET, "/store/v1/company/roles", nina["token"].as_str().expect("token"))).await;
    let nut_role = nut_roles["items"][0]["id"].as_str().expect("role").to_owned();
    let add = |role: &str| server.admin(&acme, Method::POST, &format!("/admin/v1/companies/{nut_id}/users")).json(&json!({"email": "bob@bolt.example", "role_id": role}));
    let (status, body) = send(add(&bolt_role)).await;
    assert_eq!((status, body["error"]["details"]["fields"]["role_id"].is_string()), (422, true), "another company's role: {body}");
    let (status, body) = send(add(&nut_role)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = send(add(&nut_role)).await;
    assert_eq!((status, code(&body)), (409, "already_exists"), "{body}");
    let (_, listed) = send(server.admin(&acme, Method::GET, &format!("/admin/v1/companies/{nut_id}/users"))).await;
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(2), "{listed}");

    let (_, who) = send(me(&server, "acme", &bob_token)).await;
    assert_eq!((who["company"]["name"].as_str(), who["companies"].as_array().map(Vec::len)), (Some("Bolt Co"), Some(2)), "{who}");
    let switch = |company: &str| store(Method::POST, "/store/v1/auth/switch", &bob_token).json(&json!({"company_id": company}));
    let (status, body) = send(switch(&nut_id)).await;
    assert_eq!((status, body["company_id"].as_str()), (200, Some(nut_id.as_str())), "{body}");
    let (_, who) = send(me(&server, "acme", &bob_token)).await;
    assert_eq!(who["company"]["name"], "Nut Co", "the role follows the company: {who}");
    let (status, _) = send(switch("cmp_elsewhere")).await;
    assert_eq!(status, 422);

    // Inactive at Nut: no switching or logging in there; Bolt still works.
    let (status, _) = send(server.admin(&acme, Method::PATCH, &format!("/admin/v1/companies/{nut_id}/users/{}", bob["id"].as_str().expect("id")))
        .json(&json!({"status": "inactive"}))).await;
    assert_eq!(status, 200);
    let (status, body) = send(me(&server, "acme", &bob_token)).await;
    assert_eq!((status, code(&body)), (403, "user_inactive"), "{body}");
    let (status, body) = send(server.store("acme", Method::POST, "/store/v1/auth/login")
        .json(&json!({"email": "bob@bolt.example", "password": "another horse 2", "company_id": nut_id}))).await;
    assert_eq!((status, code(&body)), (403, "user_inactive"), "{body}");
    let (status, session) = login(&server, "acme", "bob@bolt.example", "another horse 2").await;
    assert_eq!((status, session["company_id"].clone()), (200, bob_company(&server, &acme, "Bolt Co").await), "{session}");
}

async fn bob_company(server: &TestServer, admin: &str, name: &str) -> serde_json::Value {
    let (_, list) = send(server.admin(admin, Method::GET, "/admin/v1/companies")).await;
    list["items"].as_array().expect("items").iter().find(|c| c["name"] == name).map(|c| c["id"].clone()).expect("company")
}
