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
        self.check_role(&mut tx, role_id).await?;
        let at = now().millis();
        let id = insert_buyer(&mut tx, self.tenant, buyer, at).await?;
        insert_member(&mut tx, self.tenant, self.company_id, &id, Some(role_id), &buyer.job_title, &buyer.phone, at).await?;
        self.place_under_admin(&mut tx, &id).await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "user.created", &json!({"user": id, "email": buyer.email.as_str(), "role": role_id}))
            .await?;
        tx.commit().await?;
        self.get(&id).await?.ok_or(StoreError::NotFound("user"))
    }

    /// Makes an existing buyer of the tenant (a user of another company) a user of this one too,
    /// with `role_id`. They then choose the company at login or switch to it.
    pub async fn add_existing(&self, buyer_id: &str, role_id: &str, actor: &str) -> Result<CompanyUser> {
        let mut tx = self.store.begin_write().await?;
        self.check_role(&mut tx, role_id).await?;
        insert_member(&mut tx, self.tenant, self.company_id, buyer_id, Some(role_id), "", "", now().millis())
            .await
            .map_err(|e| match e {
                StoreError::Database(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                    StoreError::Conflict("that buyer is a user of this company already".into())
                }
                other => other,
            })?;
        self.place_under_admin(&mut tx, buyer_id).await?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "user.added", &json!({"user": buyer_id, "role": role_id})).await?;
        tx.commit().await?;
        self.get(buyer_id).await?.ok_or(StoreError::NotFound("user"))
    }

    async fn check_role(&self, conn: &mut sqlx::AnyConnection, role_id: &str) -> Result<()> {
        let role: Option<String> = sqlx::query_scalar("SELECT id FROM company_roles WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(role_id)
            .fetch_optional(&mut *conn)
            .await?;
        match role {
            Some(_) => Ok(()),
            None => Err(StoreError::Refused("unknown_role", format!("the company has no role {role_id}"))),
        }
    }

    /// Puts a user's node in the org chart, directly under the company admin.
    async fn place_under_admin(&self, conn: &mut sqlx::AnyConnection, buyer_id: &str) -> Result<()> {
        let row = sqlx::query("SELECT id, path FROM company_structure WHERE tenant_id = $1 AND company_id = $2 AND parent_id IS NULL")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound("company"))?;
        let (root_id, root_path): (String, String) = (row.try_get("id")?, row.try_get("path")?);
        let node = new_id("nod_");
        let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM company_structure WHERE tenant_id = $1 AND parent_id = $2")
            .bind(self.tenant.as_str())
            .bind(&root_id)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO company_structure (tenant_id, company_id, id, kind, buyer_id, parent_id, path, position)
             VALUES ($1, $2, $3, 'member', $4, $5, $6, $7)",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(&node)
        .bind(buyer_id)
        .bind(&root_id)
        .bind(format!("{root_path}{node}/"))
        .bind(position)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// A change to a company user; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct CompanyUserChange {
    /// A role of the company.
    pub role_id: Option<String>,
    /// Active or inactive (an inactive user cannot log in or act for the company).
    pub status: Option<UserStatus>,
    /// Job title.
    pub job_title: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

impl CompanyUsers<'_> {
    /// Changes a user's role, status, job title or phone. The company admin keeps every
    /// permission and stays active (`company_admin`); a role of another company is refused
    /// (`unknown_role`).
    pub async fn update(&self, buyer_id: &str, change: &CompanyUserChange, actor: &str) -> Result<CompanyUser> {
        let current = self.get(buyer_id).await?.ok_or(StoreError::NotFound("user"))?;
        if current.is_admin && (change.role_id.is_some() || change.status.is_some_and(|s| s != UserStatus::Active)) {
            return Err(StoreError::Refused("company_admin", "the company admin keeps every permission and stays active".into()));
        }
        let mut tx = self.store.begin_write().await?;
        if let Some(role_id) = &change.role_id {
            let known: Option<String> = sqlx::query_scalar("SELECT id FROM company_roles WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
                .bind(self.tenant.as_str())
                .bind(self.company_id)
                .bind(role_id)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(StoreError::Refused("unknown_role", format!("the company has no role {role_id}")));
            }
        }
        sqlx::query(
            "UPDATE company_members SET role_id = COALESCE($4, role_id), status = COALESCE($5, status), job_title = COALESCE($6, job_title),
                phone = COALESCE($7, phone), updated_at = $8
             WHERE tenant_id = $1 AND company_id = $2 AND buyer_id = $3",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(buyer_id)
        .bind(change.role_id.as_deref())
        .bind(change.status.map(UserStatus::as_str))
        .bind(change.job_title.as_deref())
        .bind(change.phone.as_deref())
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
        let detail = json!({"user": buyer_id, "role": change.role_id, "status": change.status.map(UserStatus::as_str)});
        audit::record(&mut tx, self.tenant, self.company_id, actor, "user.updated", &detail).await?;
        tx.commit().await?;
        self.get(buyer_id).await?.ok_or(StoreError::NotFound("user"))
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
