//! The users of one company: buyers with a role and a place in the org chart.

use hanse_domain::company::UserStatus;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::companies::{NewBuyer, insert_buyer, insert_member};
use crate::ids::{new_id, now};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError, audit};

/// A user of a company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyUser {
    /// Buyer id.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Job title.
    pub job_title: String,
    /// Phone.
    pub phone: String,
    /// Status in this company.
    pub status: UserStatus,
    /// Whether the user is the company admin.
    pub is_admin: bool,
    /// The role (id, name), unless admin.
    pub role: Option<(String, String)>,
    /// The user's node in the org chart.
    pub node_id: String,
    /// The node above it; `None` for the company admin at the root.
    pub parent_node_id: Option<String>,
}

/// The users of one company.
pub struct CompanyUsers<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
    company_id: &'a str,
}

impl Store {
    /// The users of `company_id` in `tenant`.
    pub fn company_users<'a>(&'a self, tenant: &'a TenantId, company_id: &'a str) -> CompanyUsers<'a> {
        CompanyUsers { store: self, tenant, company_id }
    }
}

const SELECT: &str = "SELECT b.id, b.email, b.first_name, b.last_name, m.job_title, m.phone, m.status, m.is_admin,
        r.id AS role_id, r.name AS role_name, s.id AS node_id, s.parent_id AS parent_node_id
     FROM company_members m
     JOIN buyers b ON b.tenant_id = m.tenant_id AND b.id = m.buyer_id
     LEFT JOIN company_roles r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
     JOIN company_structure s ON s.tenant_id = m.tenant_id AND s.company_id = m.company_id AND s.buyer_id = m.buyer_id";

impl CompanyUsers<'_> {
    /// Every user, admin first, then by name.
    pub async fn list(&self) -> Result<Vec<CompanyUser>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{SELECT} WHERE m.tenant_id = $1 AND m.company_id = $2 ORDER BY m.is_admin DESC, b.last_name, b.first_name, b.id"
        )))
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// One user.
    pub async fn get(&self, buyer_id: &str) -> Result<Option<CompanyUser>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE m.tenant_id = $1 AND m.company_id = $2 AND m.buyer_id = $3")))
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(buyer_id)
            .fetch_optional(&self.store.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Creates a buyer account as a user of the company with `role_id`, placed under the
    /// company admin in the org chart. A role of another company is refused (`unknown_role`),
    /// a taken e-mail address too (`email_taken`); nothing is written then.
    pub async fn create(&self, buyer: &NewBuyer, role_id: &str, actor: &str) -> Result<CompanyUser> {
        let mut tx = self.store.begin_write().await?;
        let role: Option<String> = sqlx::query_scalar("SELECT id FROM company_roles WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(role_id)
            .fetch_optional(&mut *tx)
            .await?;
        if role.is_none() {
            return Err(StoreError::Refused("unknown_role", format!("the company has no role {role_id}")));
        }
        let (root_id, root_path): (String, String) = {
            let row = sqlx::query("SELECT id, path FROM company_structure WHERE tenant_id = $1 AND company_id = $2 AND parent_id IS NULL")
                .bind(self.tenant.as_str())
                .bind(self.company_id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound("company"))?;
            (row.try_get("id")?, row.try_get("path")?)
        };
        let at = now().millis();
        let id = insert_buyer(&mut tx, self.tenant, buyer, at).await?;
        insert_member(&mut tx, self.tenant, self.company_id, &id, Some(role_id), buyer, at).await?;
        let node = new_id("nod_");
        let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM company_structure WHERE tenant_id = $1 AND parent_id = $2")
            .bind(self.tenant.as_str())
            .bind(&root_id)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO company_structure (tenant_id, company_id, id, kind, buyer_id, parent_id, path, position)
             VALUES ($1, $2, $3, 'member', $4, $5, $6, $7)",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(&node)
        .bind(&id)
        .bind(&root_id)
        .bind(format!("{root_path}{node}/"))
        .bind(position)
        .execute(&mut *tx)
        .await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "user.created", &json!({"user": id, "email": buyer.email.as_str(), "role": role_id}))
            .await?;
        tx.commit().await?;
        self.get(&id).await?.ok_or(StoreError::NotFound("user"))
    }
}

fn from_row(row: &AnyRow) -> Result<CompanyUser> {
    let status: String = row.try_get("status")?;
    let role_id: Option<String> = row.try_get("role_id")?;
    let role = match role_id {
        Some(id) => Some((id, row.try_get("role_name")?)),
        None => None,
    };
    Ok(CompanyUser {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        job_title: row.try_get("job_title")?,
        phone: row.try_get("phone")?,
        status: UserStatus::parse(&status).map_err(|e| StoreError::corrupt("user status", e))?,
        is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        role,
        node_id: row.try_get("node_id")?,
        parent_node_id: row.try_get("parent_node_id")?,
    })
}
