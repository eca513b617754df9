//! CSV product import over HTTP and from the command line.

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::{TestServer, code, run_cli, send};

const GOOD_AND_BAD: &str = "\
sku,name,price,description,categories,quantity,attribute.material
BOLT-M8,Hex bolt M8,0.1250,DIN 933,Fasteners/Bolts,100,steel
BOLT-M10,Hex bolt M10,0.2300,,Fasteners/Bolts|Sale,50,steel
BAD SKU,Broken,1.00,,,,
NEG-1,Negative,-5,,,,
FRAC-1,Too precise,1.23456,,,,
NONAME-1,,1.00,,,,
QTY-1,Bad quantity,1.00,,,lots,
\"WASH-M8\",\"Washer, M8\",0.0120,\"Flat washer,
two lines\",Fasteners/Washers,1000,steel
SHORT-1,Short row
";

async fn import(server: &TestServer, admin: &str, csv: &str) -> (u16, Value) {
    send(server.admin(admin, Method::POST, "/admin/v1/products/import").header("content-type", "text/csv").body(csv.to_owned())).await
}

#[tokio::test]
async fn http_import_applies_valid_rows_reports_bad_ones_and_is_idempotent() {
    let server = TestServer::start().await;
    let admin = server.tenant("acme").await;

    let (status, report) = import(&server, &admin, GOOD_AND_BAD).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["rows"], 9, "{report}");
    assert_eq!(report["created"], 3, "{report}");
    assert_eq!(report["failed"], 6, "{report}");
    let errors = report["errors"].as_array().expect("errors");
    let by_line: Vec<(u64, Option<&str>)> =
        errors.iter().map(|e| (e["line"].as_u64().unwrap_or(0), e["field"].as_str())).collect();
    assert_eq!(
        by_line,
        [(4, Some("sku")), (5, Some("price")), (6, Some("price")), (7, Some("name")), (8, Some("quantity")), (11, None)],
        "{report}"
    );

    let (_, washer) = send(server.admin(&admin, Method::GET, "/admin/v1/products/WASH-M8")).await;
    assert_eq!(washer["name"], "Washer, M8");
    assert_eq!(washer["description"], "Flat washer,\ntwo lines");
    assert_eq!(washer["quantity"], 1000);
    assert_eq!(washer["attributes"]["material"], "steel");
    let (_, tree) = send(server.admin(&admin, Method::GET, "/admin/v1/categories")).await;
    let top: Vec<&str> = tree["items"].as_array().expect("items").iter().filter_map(|c| c["name"].as_str()).collect();
    assert_eq!(top, ["Fasteners", "Sale"], "categories are created from their paths");
    let (_, m10) = send(server.admin(&admin, Method::GET, "/admin/v1/products/BOLT-M10")).await;
    assert_eq!(m10["categories"].as_array().map(Vec::len), Some(2));

    // The same file again changes nothing.
    let before = m10["updated_at"].clone();
    let (_, again) = import(&server, &admin, GOOD_AND_BAD).await;
    assert_eq!((again["created"].clone(), again["updated"].clone(), again["unchanged"].clone()), (json!(0), json!(0), json!(3)));
    let (_, m10) = send(server.admin(&admin, Method::GET, "/admin/v1/products/BOLT-M10")).await;
    assert_eq!(m10["updated_at"], before);

    // A file without a description column keeps descriptions; a changed price updates.
    let (_, update) = import(&server, &admin, "sku,name,price\nBOLT-M8,Hex bolt M8,0.1300\n").await;
    assert_eq!(update["updated"], 1, "{update}");
    let (_, m8) = send(server.admin(&admin, Method::GET, "/admin/v1/products/BOLT-M8")).await;
    assert_eq!((m8["price"].clone(), m8["description"].clone(), m8["quantity"].clone()), (json!("0.1300"), json!("DIN 933"), json!(100)));

    // Unusable files fail whole, naming the problem, and write nothing.
    for (csv, needle) in [
        ("", "empty"),
        ("name,price\nX,1\n", "missing required columns: sku"),
        ("sku,name,price,colour\nX,x,1,red\n", "unknown column \"colour\""),
        ("sku,name,price,sku\nX,x,1,X\n", "appears twice"),
    ] {
        let (status, body) = import(&server, &admin, csv).await;
        assert_eq!((status, code(&body)), (400, "invalid_csv"), "{csv:?}: {body}");
        assert!(body["error"]["message"].as_str().unwrap_or("").contains(needle), "{csv:?}: {body}");
    }
    let (status, body) = send(server.admin(&admin, Method::POST, "/admin/v1/products/import").body("sku,name,price\n")).await;
    assert_eq!((status, code(&body)), (415, "unsupported_media_type"));
    let latin1 = b"sku,name,price\nCAFE-1,Caf\xe9,1\nOK-1,Fine,1\n".to_vec();
    let (status, report) = send(
        server.admin(&admin, Method::POST, "/admin/v1/products/import").header("content-type", "text/csv").body(latin1),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!((report["created"].clone(), report["failed"].clone()), (json!(1), json!(1)), "{report}");
    assert!(report["errors"][0]["message"].as_str().unwrap_or("").contains("UTF-8"), "{report}");
}

#[tokio::test]
async fn cli_import_prints_a_summary_and_row_errors() {
    let server = TestServer::start().await;
    server.tenant("acme").await;
    let dir = std::env::temp_dir().join(format!("hanse-cli-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("products.csv");
    std::fs::write(&file, GOOD_AND_BAD).expect("write csv");
    let path = file.to_str().expect("utf-8 path");

    let (ok, stdout, stderr) = run_cli(&server.database_url, &["import", "products", "--tenant", "acme", path]);
    assert!(!ok, "refused rows make the exit status 1");
    assert!(stdout.contains("9 rows: 3 created, 0 updated, 0 unchanged, 6 failed"), "{stdout}");
    assert!(stdout.contains("rows/s"), "{stdout}");
    assert!(stderr.contains("line 4 [BAD SKU] sku:"), "{stderr}");
    assert!(stderr.contains("line 11 has 2 fields, the header has 7"), "{stderr}");

    let clean = dir.join("clean.csv");
    std::fs::write(&clean, "sku,name,price\nCLI-1,From the CLI,2.50\n").expect("write csv");
    let (ok, stdout, stderr) = run_cli(&server.database_url, &["import", "products", "--tenant", "acme", clean.to_str().expect("path")]);
    assert!(ok, "{stdout} {stderr}");
    let (ok, stdout, _) = run_cli(&server.database_url, &["import", "products", "--tenant", "acme", clean.to_str().expect("path")]);
    assert!(ok && stdout.contains("1 rows: 0 created, 0 updated, 1 unchanged, 0 failed"), "{stdout}");

    // The running server sees what the CLI wrote.
    let (status, product) = send(server.store("acme", Method::GET, "/store/v1/products/CLI-1")).await;
    assert_eq!((status, product["price"].clone()), (200, json!("2.5000")));

    let (ok, _, stderr) = run_cli(&server.database_url, &["import", "products", "--tenant", "nobody", path]);
    assert!(!ok && stderr.contains("no tenant with slug \"nobody\""), "{stderr}");
    let (ok, _, stderr) = run_cli(&server.database_url, &["import", "products", "--tenant", "acme", "/nonexistent.csv"]);
    assert!(!ok && stderr.contains("cannot open /nonexistent.csv"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn stock_import_sets_absolute_values_by_sku_and_is_idempotent() {
    let server = TestServer::start().await;
    let admin = server.tenant("acme").await;
    let (status, _) = import(&server, &admin, "sku,name,price\nA,Anvil,10\nB,Bellows,5\n").await;
    assert_eq!(status, 200);
    let csv = "sku,qty,backorders,min_qty,notify_stock_qty\nA,40,0,2,5\nB,,2,-3,\nNOPE,1,,,\nA B,x,maybe,,\nB,7,no,-1,\n";
    let post = |csv: &str| server.admin(&admin, Method::POST, "/admin/v1/inventory/import").header("content-type", "text/csv").body(csv.to_owned());
    let (status, report) = send(post(csv)).await;
    assert_eq!((status, &report["rows"], &report["updated"], &report["failed"]), (200, &json!(5), &json!(2), &json!(3)), "{report}");
    let errors: Vec<(u64, &str)> = report["errors"].as_array().expect("errors").iter().map(|e| (e["line"].as_u64().unwrap_or(0), e["field"].as_str().unwrap_or(""))).collect();
    assert_eq!(errors, [(4, "sku"), (5, "sku"), (5, "quantity"), (5, "backorders"), (6, "out_of_stock_threshold")], "{report}");
    let (_, a) = send(server.admin(&admin, Method::GET, "/admin/v1/inventory/A")).await;
    assert_eq!((&a["quantity"], &a["salable_quantity"], &a["backorders"], &a["notify_quantity"]), (&json!(40), &json!(38), &json!("no"), &json!(5)), "{a}");
    let (_, b) = send(server.admin(&admin, Method::GET, "/admin/v1/inventory/B")).await;
    assert_eq!((&b["quantity"], &b["salable_quantity"], &b["backorders"]), (&json!(0), &json!(3), &json!("allow_notify")), "{b}");

    let (_, again) = send(post(csv)).await;
    assert_eq!((&again["updated"], &again["unchanged"]), (&json!(0), &json!(2)), "the same file changes nothing: {again}");
    let (status, refused) = send(post("quantity\n1\n")).await;
    assert_eq!((status, code(&refused)), (400, "invalid_csv"), "{refused}");

    let path = std::env::temp_dir().join(format!("hanse-stock-{}.csv", std::process::id()));
    std::fs::write(&path, "sku,quantity\nA,41\n").expect("write csv");
    let (ok, stdout, stderr) = run_cli(&server.database_url, &["import", "stock", "--tenant", "acme", path.to_str().expect("path")]);
    assert!(ok, "{stdout} {stderr}");
    let (_, a) = send(server.admin(&admin, Method::GET, "/admin/v1/inventory/A")).await;
    assert_eq!(a["quantity"], 41, "{a}");
}
