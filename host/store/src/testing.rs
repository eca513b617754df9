//! Fresh databases for tests, on the backend the test run asks for.
//!
//! With `HANSE_TEST_POSTGRES_URL` set (a server URL such as `postgres://postgres@127.0.0.1:5432/postgres`)
//! every call creates a new, empty PostgreSQL database on that server; without it, a new SQLite
//! file in the system's temp folder. A PostgreSQL server that cannot be reached fails the test
//! loudly: it never falls back to SQLite.

use std::str::FromStr;

use sqlx::any::AnyConnectOptions;
use sqlx::{ConnectOptions as _, Connection as _, Executor as _};

/// The variable that selects PostgreSQL for a test run.
pub const POSTGRES_ENV: &str = "HANSE_TEST_POSTGRES_URL";

/// The backend this test run uses, for test names and messages.
pub fn backend_name() -> &'static str {
    if std::env::var_os(POSTGRES_ENV).is_some() { "postgres" } else { "sqlite" }
}

/// The URL of a new empty database (not yet migrated).
pub async fn fresh_database_url() -> String {
    let unique = format!(
        "hanse_test_{}_{}",
        std::process::id(),
        crate::ids::new_id("").to_lowercase()
    );
    match std::env::var(POSTGRES_ENV) {
        Ok(server) => {
            sqlx::any::install_default_drivers();
            let options = AnyConnectOptions::from_str(&server)
                .unwrap_or_else(|e| panic!("{POSTGRES_ENV}={server:?} is not a valid URL: {e}"));
            let mut conn = options.connect().await.unwrap_or_else(|e| {
                panic!("{POSTGRES_ENV} is set but PostgreSQL at {server:?} cannot be reached: {e}")
            });
            conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {unique}")))
                .await
                .unwrap_or_else(|e| panic!("cannot create test database {unique}: {e}"));
            let _ = conn.close().await;
            let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
            let base = if base.ends_with('/') || base.ends_with(':') { server.as_str() } else { base };
            format!("{base}/{unique}")
        }
        Err(_) => {
            let path = std::env::temp_dir().join("hanse-tests").join(format!("{unique}.db"));
            format!("sqlite://{}", path.display())
        }
    }
}

/// A migrated store on a new empty database.
pub async fn fresh_store() -> crate::Store {
    let url = fresh_database_url().await;
    let store = crate::Store::connect(&crate::ConnectOptions::new(&url))
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
    store.migrate().await.unwrap_or_else(|e| panic!("cannot migrate {url}: {e}"));
    store
}

/// Runs `sql` as it is: for tests that damage data on purpose to see it reported.
pub async fn execute(store: &crate::Store, sql: &str) {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(store.writes())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}
