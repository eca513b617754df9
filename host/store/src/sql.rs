//! Small helpers for SQL built at run time (variable-length `IN` lists, multi-row `VALUES`,
//! optional filters).

use sqlx::AnyConnection;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use crate::Result;
use crate::rows::Dialect;

/// `$first, $first+1, ...` for `count` parameters.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ")
}

/// `($1, $2), ($3, $4), ...`: `rows` tuples of `width` parameters, for multi-row `VALUES`.
pub(crate) fn values_rows(rows: usize, width: usize) -> String {
    (0..rows).map(|r| format!("({})", placeholders(r * width + 1, width))).collect::<Vec<_>>().join(", ")
}

/// A parameter value whose SQL type is decided at run time.
pub(crate) enum Bind {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
}

impl Bind {
    pub(crate) fn bind<'q>(self, query: Query<'q, sqlx::Any, AnyArguments>) -> Query<'q, sqlx::Any, AnyArguments> {
        match self {
            Bind::Text(v) => query.bind(v),
            Bind::OptText(v) => query.bind(v),
            Bind::Int(v) => query.bind(v),
            Bind::OptInt(v) => query.bind(v),
        }
    }
}

/// Writes that go to the database in one round trip: on SQLite as one text of several
/// statements (sqlx binds `$N` by its number across them), on PostgreSQL as one statement whose
/// first writes are data-modifying `WITH` queries. Only for writes that do not read each
/// other's effects: PostgreSQL runs them on one snapshot, in no set order. Under SQLite's one
/// writer every round trip is time the write lock is held; on PostgreSQL each is a protocol
/// exchange and a statement to plan. Writes with more parameters than one statement may carry
/// (an order of thousands of lines) go in as many round trips as that takes.
#[derive(Default)]
pub(crate) struct Batch {
    /// Each write with its parameters, numbered from `$1`.
    statements: Vec<(String, Vec<Bind>)>,
}

/// The most parameters one round trip carries: PostgreSQL's protocol allows 65,535 per
/// statement, and a large quick order's lines alone can pass that.
const BINDS_PER_TRIP: usize = 30_000;

/// Round trips with at most this many parameters are kept prepared on the connection, like a
/// cart's usual writes; larger ones come in too many shapes to be worth a cache slot.
const PREPARED_BINDS: usize = 256;

impl Batch {
    /// Adds `sql`, whose parameters `$1`, `$2`, ... are `binds`.
    pub(crate) fn push(&mut self, sql: &str, binds: Vec<Bind>) {
        self.statements.push((sql.to_owned(), binds));
    }

    /// Runs every write added, in as few round trips as [`BINDS_PER_TRIP`] allows (none when
    /// there is none).
    pub(crate) async fn run(self, conn: &mut AnyConnection) -> Result<()> {
        let dialect = Dialect::of(conn);
        let mut trip: Vec<String> = Vec::new();
        let mut binds: Vec<Bind> = Vec::new();
        for (sql, more) in self.statements {
            if !trip.is_empty() && binds.len() + more.len() > BINDS_PER_TRIP {
                send(conn, dialect, std::mem::take(&mut trip), std::mem::take(&mut binds)).await?;
            }
            trip.push(renumbered(&sql, binds.len()));
            binds.extend(more);
        }
        if trip.is_empty() {
            return Ok(());
        }
        send(conn, dialect, trip, binds).await
    }
}

/// One round trip of `statements` (at least one), numbered across `binds`.
async fn send(conn: &mut AnyConnection, dialect: Dialect, mut statements: Vec<String>, binds: Vec<Bind>) -> Result<()> {
    let sql = match dialect {
        Dialect::Sqlite => statements.join(";\n"),
        Dialect::Postgres => {
            let last = statements.pop().unwrap_or_default();
            if statements.is_empty() {
                last
            } else {
                let with: Vec<String> = statements.iter().enumerate().map(|(i, s)| format!("w{i} AS ({s})")).collect();
                format!("WITH {} {last}", with.join(", "))
            }
        }
    };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(binds.len() <= PREPARED_BINDS);
    for bind in binds {
        query = bind.bind(query);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// `sql` with each parameter `$n` written `$(n + offset)`; a `$` not followed by a digit (a JSON
/// path such as `'$[0]'`) stays. SQL given here holds no `$` and digit but in parameters.
fn renumbered(sql: &str, offset: usize) -> String {
    if offset == 0 {
        return sql.to_owned();
    }
    let mut out = String::with_capacity(sql.len() + 16);
    let mut chars = sql.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        out.push(c);
        if c != '$' {
            continue;
        }
        let mut number = 0_usize;
        let mut digits = false;
        while let Some(d) = chars.peek().and_then(|(_, d)| d.to_digit(10)) {
            number = number * 10 + d as usize;
            digits = true;
            chars.next();
        }
        if digits {
            out.push_str(&(number + offset).to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{BINDS_PER_TRIP, Batch, Bind};

    #[tokio::test]
    async fn a_batch_beyond_one_statements_parameters_lands_whole() {
        let store = crate::testing::fresh_store().await;
        let mut conn = store.pool.acquire().await.unwrap();
        sqlx::query("CREATE TEMPORARY TABLE batch_rows (n BIGINT NOT NULL, label TEXT NOT NULL)").execute(&mut *conn).await.unwrap();
        // 12 statements of 3,000 rows: 72,000 parameters, past PostgreSQL's 65,535 a statement.
        let mut batch = Batch::default();
        for chunk in 0..12_i64 {
            let sql = format!("INSERT INTO batch_rows (n, label) VALUES {}", super::values_rows(3_000, 2));
            let binds = (0..3_000).flat_map(|i| [Bind::Int(chunk * 3_000 + i), Bind::Text(format!("r{i}"))]).collect();
            batch.push(&sql, binds);
        }
        assert!(12 * 6_000 > 2 * BINDS_PER_TRIP, "three round trips at least");
        batch.run(&mut conn).await.unwrap();
        let (rows, sum): (i64, i64) = sqlx::query_as("SELECT COUNT(*), CAST(SUM(n) AS BIGINT) FROM batch_rows").fetch_one(&mut *conn).await.unwrap();
        assert_eq!((rows, sum), (36_000, 36_000 * 35_999 / 2));
    }

    #[test]
    fn renumbers_parameters_after_earlier_statements() {
        assert_eq!(super::renumbered("UPDATE t SET a = $1 WHERE b = $12 AND c = ($2::json)->>$3", 0), "UPDATE t SET a = $1 WHERE b = $12 AND c = ($2::json)->>$3");
        assert_eq!(super::renumbered("UPDATE t SET a = $1 WHERE b = $12 AND c = ($2::json)->>$3", 9), "UPDATE t SET a = $10 WHERE b = $21 AND c = ($11::json)->>$12");
        assert_eq!(super::renumbered("SET r = json_extract(v.value, '$[0]'), u = $3", 4), "SET r = json_extract(v.value, '$[0]'), u = $7");
    }

    #[test]
    fn numbers_placeholders() {
        assert_eq!(super::placeholders(2, 3), "$2, $3, $4");
        assert_eq!(super::placeholders(1, 1), "$1");
        assert_eq!(super::values_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
