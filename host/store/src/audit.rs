//! The company audit log: who changed what, written in the transaction of the change.

use hanse_domain::time::Timestamp;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::tenants::TenantId;
use crate::{Result, Store};

/// One audited change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who: `merchant`, `buyer:<id>` or `system`.
    pub actor: String,
    /// What (`company.created`, `company.status_changed`, `company.updated`, ...).
    pub action: String,
    /// The details, JSON.
    pub detail: serde_json::Value,
}

/// Records a change inside the caller's transaction.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    company_id: &str,
    actor: &str,
    action: &str,
    detail: &serde_json::Value,
) -> Result<()> {
    sqlx::query("INSERT INTO company_audit (tenant_id, company_id, id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(tenant.as_str())
        .bind(company_id)
        .bind(new_id("aud_"))
        .bind(now().millis())
        .bind(actor)
        .bind(action)
        .bind(detail.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

impl Store {
    /// A company's audit log, newest first.
    pub async fn company_audit(&self, tenant: &TenantId, company_id: &str, limit: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT at, actor, action, detail FROM company_audit WHERE tenant_id = $1 AND company_id = $2
             ORDER BY at DESC, id DESC LIMIT $3",
        )
        .bind(tenant.as_str())
        .bind(company_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let detail: String = row.try_get("detail")?;
                Ok(AuditEntry {
                    at: Timestamp::from_millis(row.try_get("at")?),
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    detail: serde_json::from_str(&detail).unwrap_or(serde_json::Value::Null),
                })
            })
            .collect()
    }
}
