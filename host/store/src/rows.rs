//! Reading many rows by key, fast on both backends.
//!
//! sqlx hands a query's rows over one at a time; on SQLite each comes from the connection's
//! worker thread with every value copied, and the `Any` driver converts each row once more. For
//! the hundreds of rows a cart, a price lookup or a quick order reads per request, that was most
//! of the request's time. So on SQLite the database packs the rows into one JSON array
//! (`json_group_array`), which serde decodes in one pass. PostgreSQL sends rows in one buffer
//! and its `json_agg` costs more than it saves, so there the rows are read as they come. Either
//! way they are decoded with serde into a struct whose fields follow the column list's order:
//! one decoder per row type, whatever the backend.
//!
//! Key sets travel as one JSON-array parameter ([`Dialect::in_set`], [`key_set`]) instead of
//! one parameter per key, so a statement's text does not depend on how many keys there are and
//! it stays prepared ([`Plan::Kept`]): planning the statement anew costs PostgreSQL about as much
//! as running it. A read made while its table grows in bulk asks for [`Plan::Fresh`]: a generic
//! plan made while an import had barely begun filling a table would keep scanning the whole
//! table for every later batch, until the next `ANALYZE` (which bulk writes run at their end, and
//! autovacuum runs as tables grow) makes PostgreSQL plan again.

use serde::Deserializer;
use serde::de::value::Error as DeError;
use serde::de::{DeserializeOwned, DeserializeSeed, Error as _, SeqAccess, Visitor};
use sqlx::any::{AnyArguments, AnyRow, AnyTypeInfoKind};
use sqlx::query::Query;
use sqlx::{AnyConnection, Row, ValueRef};

use crate::sql::Bind;
use crate::{Result, StoreError};

/// The SQL spelling of the JSON functions, per backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// The dialect of the database behind `conn`.
    pub(crate) fn of(conn: &AnyConnection) -> Dialect {
        if conn.backend_name() == "PostgreSQL" { Dialect::Postgres } else { Dialect::Sqlite }
    }

    /// The condition "`expr` is one of the texts in the JSON-array parameter `$n`" (see
    /// [`key_set`]). On PostgreSQL the set becomes an array, so that the lookup is one index
    /// scan over the keys (`= ANY`); as a joined subquery the planner may scan a whole price
    /// list instead.
    pub(crate) fn in_set(self, expr: &str, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("{expr} IN (SELECT value FROM json_each(${n}))"),
            Dialect::Postgres => format!("{expr} = ANY(ARRAY(SELECT json_array_elements_text(${n}::json)))"),
        }
    }

    /// A subquery of the pairs `(k, v)` of the JSON-object parameter `$n` whose values are
    /// whole numbers (`{"A": 3}` → `("A", 3)`).
    pub(crate) fn key_numbers(self, n: usize) -> String {
        match self {
            Dialect::Sqlite => format!("(SELECT key AS k, value AS v FROM json_each(${n}))"),
            Dialect::Postgres => format!("(SELECT key AS k, value::bigint AS v FROM json_each_text(${n}::json))"),
        }
    }

    /// The statement reading `columns` (SQL expressions, comma-separated) from `rest`
    /// (`FROM ... WHERE ...`, no `ORDER BY`), in `order_by`'s order when given.
    fn select(self, columns: &str, rest: &str, order_by: Option<&str>, plan: Plan) -> String {
        match self {
            Dialect::Sqlite => {
                let order = order_by.map(|o| format!(" ORDER BY {o}")).unwrap_or_default();
                format!("SELECT json_group_array(json_array({columns}){order}) {rest}")
            }
            Dialect::Postgres => {
                let order = order_by.map(|o| format!(" ORDER BY {o}")).unwrap_or_default();
                let lock = if plan == Plan::Locked { " FOR UPDATE" } else { "" };
                format!("SELECT {columns} {rest}{order}{lock}")
            }
        }
    }
}

/// Whether PostgreSQL may keep a statement's plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plan {
    /// Prepared once per connection.
    Kept,
    /// Planned for each run: for reads of a table an import is filling.
    Fresh,
    /// Prepared once; in a write transaction the rows read stay locked until it ends (`FOR
    /// UPDATE` on PostgreSQL; SQLite's write transaction holds the whole database already).
    /// Order the rows by key, so transactions lock them in the same order and never deadlock.
    Locked,
}

/// A JSON array of `keys`: the parameter of a [`Dialect::in_set`].
pub(crate) fn key_set<S: AsRef<str>>(keys: &[S]) -> String {
    let keys: Vec<&str> = keys.iter().map(AsRef::as_ref).collect();
    // A list of strings always serialises.
    serde_json::to_string(&keys).unwrap_or_else(|_| "[]".to_owned())
}

/// Reads `columns` from `rest` with `binds` for `$1`, `$2`, ... into `T`, a struct (or tuple)
/// whose fields follow the columns' order; `what` names the rows in errors. `order_by` orders
/// them; otherwise their order is unspecified.
pub(crate) async fn fetch<T: DeserializeOwned>(
    conn: &mut AnyConnection,
    columns: &str,
    rest: &str,
    order_by: Option<&str>,
    binds: Vec<Bind>,
    what: &str,
) -> Result<Vec<T>> {
    fetch_planned(conn, Plan::Kept, columns, rest, order_by, binds, what).await
}

/// [`fetch`], saying whether PostgreSQL may keep the plan.
pub(crate) async fn fetch_planned<T: DeserializeOwned>(
    conn: &mut AnyConnection,
    plan: Plan,
    columns: &str,
    rest: &str,
    order_by: Option<&str>,
    binds: Vec<Bind>,
    what: &str,
) -> Result<Vec<T>> {
    let dialect = Dialect::of(conn);
    let sql = dialect.select(columns, rest, order_by, plan);
    // SQLite plans from its indexes, never from statistics: its statements are always kept.
    let keep = plan != Plan::Fresh || dialect == Dialect::Sqlite;
    let mut query: Query<'_, sqlx::Any, AnyArguments> = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(keep);
    for bind in binds {
        query = bind.bind(query);
    }
    match dialect {
        Dialect::Sqlite => {
            let text: String = query.fetch_one(&mut *conn).await?.try_get(0)?;
            serde_json::from_str(&text).map_err(|e| StoreError::corrupt(what, e))
        }
        Dialect::Postgres => {
            let rows = query.fetch_all(&mut *conn).await?;
            rows.iter().map(|row| T::deserialize(RowDe(row)).map_err(|e| StoreError::corrupt(what, e))).collect()
        }
    }
}

/// A row as a sequence of its columns.
struct RowDe<'r>(&'r AnyRow);

impl<'de> Deserializer<'de> for RowDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, DeError> {
        visitor.visit_seq(Columns { row: self.0, next: 0 })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct Columns<'r> {
    row: &'r AnyRow,
    next: usize,
}

impl<'de> SeqAccess<'de> for Columns<'_> {
    type Error = DeError;

    fn next_element_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> std::result::Result<Option<S::Value>, DeError> {
        if self.next >= self.row.len() {
            return Ok(None);
        }
        let column = ValueDe { row: self.row, index: self.next };
        self.next += 1;
        seed.deserialize(column).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.row.len() - self.next)
    }
}

/// One column's value, typed by what the database sent.
struct ValueDe<'r> {
    row: &'r AnyRow,
    index: usize,
}

impl ValueDe<'_> {
    fn kind(&self) -> std::result::Result<AnyTypeInfoKind, DeError> {
        let raw = self.row.try_get_raw(self.index).map_err(DeError::custom)?;
        Ok(if raw.is_null() { AnyTypeInfoKind::Null } else { raw.type_info().kind() })
    }

    fn get<T: for<'a> sqlx::Decode<'a, sqlx::Any> + sqlx::Type<sqlx::Any>>(&self) -> std::result::Result<T, DeError> {
        self.row.try_get(self.index).map_err(DeError::custom)
    }
}

impl<'de> Deserializer<'de> for ValueDe<'_> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, DeError> {
        match self.kind()? {
            AnyTypeInfoKind::Null => visitor.visit_none(),
            AnyTypeInfoKind::Bool => visitor.visit_bool(self.get()?),
            AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => visitor.visit_i64(self.get()?),
            AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => visitor.visit_f64(self.get()?),
            AnyTypeInfoKind::Text => visitor.visit_string(self.get()?),
            AnyTypeInfoKind::Blob => visitor.visit_byte_buf(self.get()?),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> std::result::Result<V::Value, DeError> {
        if self.kind()? == AnyTypeInfoKind::Null { visitor.visit_none() } else { visitor.visit_some(self) }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf unit
        unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spells_each_backend() {
        assert_eq!(Dialect::Sqlite.select("a, b", "FROM t", None, Plan::Kept), "SELECT json_group_array(json_array(a, b)) FROM t");
        assert_eq!(Dialect::Sqlite.select("a", "FROM t", Some("a"), Plan::Locked), "SELECT json_group_array(json_array(a) ORDER BY a) FROM t");
        assert_eq!(Dialect::Postgres.select("a", "FROM t", Some("a"), Plan::Kept), "SELECT a FROM t ORDER BY a");
        assert_eq!(Dialect::Postgres.select("a", "FROM t", Some("a"), Plan::Locked), "SELECT a FROM t ORDER BY a FOR UPDATE");
        assert_eq!(Dialect::Sqlite.in_set("sku", 2), "sku IN (SELECT value FROM json_each($2))");
        assert_eq!(Dialect::Postgres.in_set("sku", 3), "sku = ANY(ARRAY(SELECT json_array_elements_text($3::json)))");
        assert_eq!(key_set(&["A", "B\"1"]), r#"["A","B\"1"]"#);
    }
}
