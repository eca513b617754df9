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
/// exchange and a statement to plan.
#[derive(Default)]
pub(crate) struct Batch {
    statements: Vec<String>,
    binds: Vec<Bind>,
}

impl Batch {
    /// Adds `sql`, whose parameters `$1`, `$2`, ... are `binds`.
    pub(crate) fn push(&mut self, sql: &str, binds: Vec<Bind>) {
        self.statements.push(renumbered(sql, self.binds.len()));
        self.binds.extend(binds);
    }

    /// Runs every write added, in one round trip (none when there is none).
    pub(crate) async fn run(self, conn: &mut AnyConnection) -> Result<()> {
        let Some((last, first)) = self.statements.split_last() else { return Ok(()) };
        let sql = match Dialect::of(conn) {
            Dialect::Sqlite => self.statements.join(";\n"),
            Dialect::Postgres if first.is_empty() => last.clone(),
            Dialect::Postgres => {
                let with: Vec<String> = first.iter().enumerate().map(|(i, s)| format!("w{i} AS ({s})")).collect();
                format!("WITH {} {last}", with.join(", "))
            }
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for bind in self.binds {
            query = bind.bind(query);
        }
        query.execute(&mut *conn).await?;
        Ok(())
    }
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
