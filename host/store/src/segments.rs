//! Customer segments of one tenant: companies matching a rule, kept materialized in
//! `segment_companies`. A segment's members are recomputed when its rule changes, and a
//! company's segments when the company changes, in the same transaction as the change, so
//! pricing reads them with one indexed query.

use hanse_domain::segment::Rule;
use hanse_domain::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::companies::{Company, all as all_companies};
use crate::ids::{new_id, now};
use crate::sql::values_rows;
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// A segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// `seg_...`.
    pub id: String,
    /// Unique within the tenant.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Who belongs.
    pub rule: Rule,
    /// Companies that match now.
    pub company_count: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// The segments of one tenant.
pub struct Segments<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The segments of `tenant`.
    pub fn segments<'a>(&'a self, tenant: &'a TenantId) -> Segments<'a> {
        Segments { store: self, tenant }
    }
}

const SELECT: &str = "SELECT s.id, s.name, s.description, s.rule, s.created_at, s.updated_at,
        (SELECT COUNT(*) FROM segment_companies m WHERE m.tenant_id = s.tenant_id AND m.segment_id = s.id) AS company_count
    FROM segments s";

fn taken(name: &str) -> String {
    format!("a segment named {name:?} exists already")
}

impl Segments<'_> {
    /// Every segment, by name.
    pub async fn list(&self) -> Result<Vec<Segment>> {
        let sql = format!("{SELECT} WHERE s.tenant_id = $1 ORDER BY s.name, s.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).fetch_all(&self.store.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// One segment.
    pub async fn get(&self, id: &str) -> Result<Option<Segment>> {
        let sql = format!("{SELECT} WHERE s.tenant_id = $1 AND s.id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).bind(id).fetch_optional(&self.store.pool).await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Creates a segment and computes its members.
    pub async fn create(&self, name: &str, description: &str, rule: &Rule) -> Result<Segment> {
        let id = new_id("seg_");
        let mut tx = self.store.begin_write().await?;
        sqlx::query("INSERT INTO segments (tenant_id, id, name, description, rule, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)")
            .bind(self.tenant.as_str())
            .bind(&id)
            .bind(name)
            .bind(description)
            .bind(rule.to_json().to_string())
            .bind(now().millis())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::on_unique(taken(name)))?;
        recompute(&mut tx, self.tenant, &id, rule).await?;
        tx.commit().await?;
        self.get(&id).await?.ok_or(StoreError::NotFound("segment"))
    }

    /// Changes a segment; a new rule recomputes its members.
    pub async fn update(&self, id: &str, name: Option<&str>, description: Option<&str>, rule: Option<&Rule>) -> Result<Segment> {
        let current = self.get(id).await?.ok_or(StoreError::NotFound("segment"))?;
        let name = name.unwrap_or(&current.name);
        let rule = rule.unwrap_or(&current.rule);
        let mut tx = self.store.begin_write().await?;
        sqlx::query("UPDATE segments SET name = $3, description = $4, rule = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(name)
            .bind(description.unwrap_or(&current.description))
            .bind(rule.to_json().to_string())
            .bind(now().millis())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::on_unique(taken(name)))?;
        recompute(&mut tx, self.tenant, id, rule).await?;
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound("segment"))
    }

    /// Deletes a segment; price lists stop targeting it.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        sqlx::query("DELETE FROM price_list_targets WHERE tenant_id = $1 AND kind = 'segment' AND target_id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM segment_companies WHERE tenant_id = $1 AND segment_id = $2").bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        let done = sqlx::query("DELETE FROM segments WHERE tenant_id = $1 AND id = $2").bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("segment"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// The ids of the companies in a segment, sorted.
    pub async fn companies(&self, id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT company_id FROM segment_companies WHERE tenant_id = $1 AND segment_id = $2 ORDER BY company_id")
            .bind(self.tenant.as_str())
            .bind(id)
            .fetch_all(&self.store.pool)
            .await?)
    }
}

/// Rewrites a segment's members from its rule.
async fn recompute(conn: &mut AnyConnection, tenant: &TenantId, id: &str, rule: &Rule) -> Result<()> {
    sqlx::query("DELETE FROM segment_companies WHERE tenant_id = $1 AND segment_id = $2").bind(tenant.as_str()).bind(id).execute(&mut *conn).await?;
    let members: Vec<String> = all_companies(conn, tenant).await?.into_iter().filter(|c| rule.matches(c)).map(|c| c.id).collect();
    for chunk in members.chunks(200) {
        let sql = format!("INSERT INTO segment_companies (tenant_id, segment_id, company_id) VALUES {}", values_rows(chunk.len(), 3));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        for company in chunk {
            query = query.bind(tenant.as_str()).bind(id).bind(company.as_str());
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The segments of tenant `$1` with a condition on order history, as the `FROM` and `WHERE` of
/// a query: [`any_on_order_history`] asks it on its own, an order's insert on the way.
// `_` matches any character here: at worst a refresh that changes nothing.
pub(crate) const ON_ORDER_HISTORY: &str = "FROM segments WHERE tenant_id = $1 AND (rule LIKE '%order_count%' OR rule LIKE '%order_total%')";

/// Whether any segment of the tenant has a condition on order history (`order_count`,
/// `order_total`): only then does an order re-evaluate its company's segments.
pub(crate) async fn any_on_order_history(conn: &mut AnyConnection, tenant: &TenantId) -> Result<bool> {
    let found: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT 1 {ON_ORDER_HISTORY} LIMIT 1")))
        .bind(tenant.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(found.is_some())
}

/// Rewrites a company's segments after it changed.
pub(crate) async fn refresh_company(conn: &mut AnyConnection, tenant: &TenantId, company: &Company) -> Result<()> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, rule FROM segments WHERE tenant_id = $1").bind(tenant.as_str()).fetch_all(&mut *conn).await?;
    sqlx::query("DELETE FROM segment_companies WHERE tenant_id = $1 AND company_id = $2").bind(tenant.as_str()).bind(&company.id).execute(&mut *conn).await?;
    for (id, rule) in rows {
        if parse_rule(&rule)?.matches(company) {
            sqlx::query("INSERT INTO segment_companies (tenant_id, segment_id, company_id) VALUES ($1, $2, $3)")
                .bind(tenant.as_str())
                .bind(&id)
                .bind(&company.id)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

fn parse_rule(text: &str) -> Result<Rule> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| StoreError::corrupt("segment rule", e))?;
    Rule::parse(&value).map_err(|(path, e)| StoreError::corrupt("segment rule", format!("{path}: {e}")))
}

fn from_row(row: &AnyRow) -> Result<Segment> {
    Ok(Segment {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        rule: parse_rule(&row.try_get::<String, _>("rule")?)?,
        company_count: row.try_get("company_count")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
