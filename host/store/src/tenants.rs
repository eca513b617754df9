//! Tenants and the host names their storefronts answer on. Operator-level: not tenant-scoped.

use std::collections::HashMap;

use hanse_domain::currency::Currency;
use hanse_domain::tenant::{Domain, TenantSlug, TenantStatus};
use hanse_domain::time::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::ids::{new_id, now};
use crate::{Result, Store, StoreError};

/// A tenant's internal id. Only the store makes one, from a tenant row it read, so holding one
/// proves the tenant exists; every tenant-scoped repository needs one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TenantId(String);

impl TenantId {
    /// A tenant id read back from a column that holds one.
    pub(crate) fn from_stored(id: String) -> Self {
        TenantId(id)
    }

    /// The id text (for logs).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A tenant as stored.
#[derive(Debug, Clone)]
pub struct Tenant {
    /// Internal id.
    pub id: TenantId,
    /// Public handle.
    pub slug: TenantSlug,
    /// Display name.
    pub name: String,
    /// The currency of every price in this tenant.
    pub currency: Currency,
    /// Whether it is serving.
    pub status: TenantStatus,
    /// Changes with every change to the tenant's installed plugins.
    pub plugin_revision: i64,
    /// Plugin limits set by the operator (JSON), `None` for the defaults.
    pub plugin_limits: Option<String>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// What the operator gives to create a tenant.
#[derive(Debug, Clone)]
pub struct NewTenant {
    /// Public handle, unique.
    pub slug: TenantSlug,
    /// Display name.
    pub name: String,
    /// Currency of all its prices.
    pub currency: Currency,
    /// Storefront host names, each unique across tenants.
    pub domains: Vec<Domain>,
}

/// The tenants repository.
pub struct Tenants<'a> {
    store: &'a Store,
}

const COLUMNS: &str = "id, slug, name, currency, status, plugin_revision, plugin_limits, created_at, updated_at";

impl Store {
    /// Tenants, for the operator.
    pub fn tenants(&self) -> Tenants<'_> {
        Tenants { store: self }
    }
}

impl Tenants<'_> {
    /// Creates a tenant with its domains, atomically.
    pub async fn create(&self, new: &NewTenant) -> Result<Tenant> {
        let mut tx = self.store.begin_write().await?;
        let id = new_id("t_");
        let at = now().millis();
        sqlx::query(
            "INSERT INTO tenants (id, slug, name, currency, status, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'active', $5, $5)",
        )
        .bind(&id)
        .bind(new.slug.as_str())
        .bind(&new.name)
        .bind(new.currency.code())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::on_unique(format!("a tenant with slug {:?} already exists", new.slug.as_str())))?;
        sqlx::query(
            "INSERT INTO shared_catalogs (tenant_id, id, name, description, kind, created_at, updated_at)
             VALUES ($1, $2, 'Public catalog', '', 'public', $3, $3)",
        )
        .bind(&id)
        .bind(crate::PUBLIC_CATALOG)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        crate::sources::create_default(&mut tx, &id, at).await?;
        for domain in &new.domains {
            sqlx::query("INSERT INTO tenant_domains (domain, tenant_id) VALUES ($1, $2)")
                .bind(domain.as_str())
                .bind(&id)
                .execute(&mut *tx)
                .await
                .map_err(StoreError::on_unique(format!("domain {:?} already belongs to a tenant", domain.as_str())))?;
        }
        tx.commit().await?;
        self.get_by_slug(&new.slug).await?.ok_or(StoreError::NotFound("tenant"))
    }

    /// The tenant after an update that touched `rows` rows (none: it does not exist).
    async fn reread(&self, slug: &TenantSlug, rows: u64) -> Result<Tenant> {
        if rows == 0 {
            return Err(StoreError::NotFound("tenant"));
        }
        self.get_by_slug(slug).await?.ok_or(StoreError::NotFound("tenant"))
    }

    /// The host names of a tenant, sorted.
    pub async fn domains(&self, tenant: &TenantId) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT domain FROM tenant_domains WHERE tenant_id = $1 ORDER BY domain")
            .bind(tenant.as_str())
            .fetch_all(&self.store.pool)
            .await?)
    }

    /// The host names of every tenant, by tenant.
    pub async fn all_domains(&self) -> Result<HashMap<TenantId, Vec<String>>> {
        let rows = sqlx::query("SELECT tenant_id, domain FROM tenant_domains ORDER BY domain").fetch_all(&self.store.pool).await?;
        let mut by_tenant: HashMap<TenantId, Vec<String>> = HashMap::new();
        for row in rows {
            by_tenant.entry(TenantId(row.try_get("tenant_id")?)).or_default().push(row.try_get("domain")?);
        }
        Ok(by_tenant)
    }

    /// All tenants, by slug.
    pub async fn list(&self) -> Result<Vec<Tenant>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM tenants ORDER BY slug")))
            .fetch_all(&self.store.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// The tenant with this slug.
    pub async fn get_by_slug(&self, slug: &TenantSlug) -> Result<Option<Tenant>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM tenants WHERE slug = $1")))
            .bind(slug.as_str())
            .fetch_optional(&self.store.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// The tenant whose storefront answers on this host name.
    pub async fn get_by_domain(&self, domain: &Domain) -> Result<Option<Tenant>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM tenants WHERE id = (SELECT tenant_id FROM tenant_domains WHERE domain = $1)"
        )))
        .bind(domain.as_str())
        .fetch_optional(&self.store.pool)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Sets the plugin limits (JSON validated by the caller; `None` restores the defaults).
    pub async fn set_plugin_limits(&self, slug: &TenantSlug, limits: Option<&str>) -> Result<Tenant> {
        let done = sqlx::query("UPDATE tenants SET plugin_limits = $1, updated_at = $2 WHERE slug = $3")
            .bind(limits)
            .bind(now().millis())
            .bind(slug.as_str())
            .execute(self.store.writes())
            .await?;
        self.reread(slug, done.rows_affected()).await
    }

    /// Sets the status; returns the updated tenant.
    pub async fn set_status(&self, slug: &TenantSlug, status: TenantStatus) -> Result<Tenant> {
        let done = sqlx::query("UPDATE tenants SET status = $1, updated_at = $2 WHERE slug = $3")
            .bind(status.as_str())
            .bind(now().millis())
            .bind(slug.as_str())
            .execute(self.store.writes())
            .await?;
        self.reread(slug, done.rows_affected()).await
    }
}

pub(crate) fn from_row(row: &AnyRow) -> Result<Tenant> {
    let slug: String = row.try_get("slug")?;
    let currency: String = row.try_get("currency")?;
    let status: String = row.try_get("status")?;
    Ok(Tenant {
        id: TenantId(row.try_get("id")?),
        slug: TenantSlug::parse(&slug).map_err(|e| StoreError::corrupt("tenant slug", e))?,
        name: row.try_get("name")?,
        currency: Currency::parse(&currency).map_err(|e| StoreError::corrupt("tenant currency", e))?,
        status: TenantStatus::parse(&status).map_err(|e| StoreError::corrupt("tenant status", e))?,
        plugin_revision: row.try_get("plugin_revision")?,
        plugin_limits: row.try_get("plugin_limits")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
