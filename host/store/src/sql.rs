//! Small helpers for SQL built at run time (variable-length `IN` lists, multi-row `VALUES`,
//! optional filters).

use sqlx::any::AnyArguments;
use sqlx::query::Query;

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
    Int(i64),
    OptInt(Option<i64>),
}

impl Bind {
    pub(crate) fn bind<'q>(self, query: Query<'q, sqlx::Any, AnyArguments>) -> Query<'q, sqlx::Any, AnyArguments> {
        match self {
            Bind::Text(v) => query.bind(v),
            Bind::Int(v) => query.bind(v),
            Bind::OptInt(v) => query.bind(v),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_placeholders() {
        assert_eq!(super::placeholders(2, 3), "$2, $3, $4");
        assert_eq!(super::placeholders(1, 1), "$1");
        assert_eq!(super::values_rows(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
