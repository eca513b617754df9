//! Inventory sources of one tenant (Magento MSI's sources): the warehouses it holds stock in.
//!
//! What a source holds of each SKU lives with the stock (`stock::items`); here are the sources
//! themselves. Enabling or disabling one moves its units into or out of the stock on hand of
//! every SKU it holds, in the same transaction ([`stock::source_toggled`]). `default` exists in
//! every tenant and can be neither disabled nor deleted; a source holding units cannot be
//! deleted.

use hanse_domain::inventory::source::{DEFAULT_SOURCE, SourceCode};
use hanse_domain::time::Timestamp;
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::ids::now;
use crate::rows::{Plan, fetch, fetch_planned};
use crate::sql::Bind;
use crate::stock;
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// A source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InventorySource {
    /// Code, unique within the tenant.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Whether its units are salable and shipments take from it.
    pub enabled: bool,
    /// Lower is taken from first.
    pub priority: i64,
    /// ISO 3166-1 alpha-2 country, or empty.
    pub country: String,
    /// Region, or empty.
    pub region: String,
    /// Postal code, or empty.
    pub postcode: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A new source, validated.
#[derive(Debug, Clone, Default)]
pub struct NewSource {
    /// Display name.
    pub name: String,
    /// Lower is taken from first.
    pub priority: i64,
    /// ISO 3166-1 alpha-2 country, or empty.
    pub country: String,
    /// Region, or empty.
    pub region: String,
    /// Postal code, or empty.
    pub postcode: String,
}

/// A change to a source; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct SourceChange {
    /// Display name.
    pub name: Option<String>,
    /// Priority.
    pub priority: Option<i64>,
    /// Enabled or disabled.
    pub enabled: Option<bool>,
    /// Country.
    pub country: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
}

const COLUMNS: &str = "code, name, enabled, priority, country, region, postcode, created_at, updated_at";

#[derive(Deserialize)]
struct SourceRow {
    code: String,
    name: String,
    enabled: i64,
    priority: i64,
    country: String,
    region: String,
    postcode: String,
    created_at: i64,
    updated_at: i64,
}

impl From<SourceRow> for InventorySource {
    fn from(r: SourceRow) -> Self {
        InventorySource {
            code: r.code,
            name: r.name,
            enabled: r.enabled == 1,
            priority: r.priority,
            country: r.country,
            region: r.region,
            postcode: r.postcode,
            created_at: Timestamp::from_millis(r.created_at),
            updated_at: Timestamp::from_millis(r.updated_at),
        }
    }
}

/// Creates the `default` source of a new tenant, in its creating transaction.
pub(crate) async fn create_default(conn: &mut AnyConnection, tenant_id: &str, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO inventory_sources (tenant_id, code, name, enabled, priority, country, region, postcode, created_at, updated_at)
         VALUES ($1, $2, 'Default source', 1, 0, '', '', '', $3, $3)",
    )
    .bind(tenant_id)
    .bind(DEFAULT_SOURCE)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The sources of one tenant.
pub struct Sources<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The inventory sources of `tenant`.
    pub fn sources<'a>(&'a self, tenant: &'a TenantId) -> Sources<'a> {
        Sources { store: self, tenant }
    }
}

impl Sources<'_> {
    /// Every source, by priority then code.
    pub async fn list(&self) -> Result<Vec<InventorySource>> {
        let mut conn = self.store.pool.acquire().await?;
        let binds = vec![Bind::Text(self.tenant.as_str().to_owned())];
        let rows: Vec<SourceRow> = fetch(&mut conn, COLUMNS, "FROM inventory_sources WHERE tenant_id = $1", Some("priority, code"), binds, "sources").await?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// One source (`not found` when there is none).
    pub async fn get(&self, code: &SourceCode) -> Result<InventorySource> {
        let mut conn = self.store.pool.acquire().await?;
        self.read(&mut conn, code, Plan::Kept).await
    }

    async fn read(&self, conn: &mut AnyConnection, code: &SourceCode, plan: Plan) -> Result<InventorySource> {
        let binds = vec![Bind::Text(self.tenant.as_str().to_owned()), Bind::Text(code.as_str().to_owned())];
        let rest = "FROM inventory_sources WHERE tenant_id = $1 AND code = $2";
        let mut rows: Vec<SourceRow> = fetch_planned(conn, plan, COLUMNS, rest, None, binds, "source").await?;
        rows.pop().map(Into::into).ok_or(StoreError::NotFound("source"))
    }

    /// Creates an enabled source holding nothing; a conflict when the code is taken.
    pub async fn create(&self, code: &SourceCode, new: &NewSource) -> Result<InventorySource> {
        let at = now();
        sqlx::query(
            "INSERT INTO inventory_sources (tenant_id, code, name, enabled, priority, country, region, postcode, created_at, updated_at)
             VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $8)",
        )
        .bind(self.tenant.as_str())
        .bind(code.as_str())
        .bind(new.name.as_str())
        .bind(new.priority)
        .bind(new.country.as_str())
        .bind(new.region.as_str())
        .bind(new.postcode.as_str())
        .bind(at.millis())
        .execute(self.store.writes())
        .await
        .map_err(StoreError::on_unique(format!("a source with code {:?} already exists", code.as_str())))?;
        Ok(InventorySource {
            code: code.to_string(),
            name: new.name.clone(),
            enabled: true,
            priority: new.priority,
            country: new.country.clone(),
            region: new.region.clone(),
            postcode: new.postcode.clone(),
            created_at: at,
            updated_at: at,
        })
    }

    /// Changes a source. Disabling one takes its units out of the stock on hand (and so the
    /// salable quantity) of every SKU it holds, enabling one puts them back, with the stock
    /// events that causes, in one transaction. `default` cannot be disabled (`default_source`).
    pub async fn update(&self, code: &SourceCode, change: &SourceChange) -> Result<InventorySource> {
        let mut tx = self.store.begin_write().await?;
        let current = self.read(&mut tx, code, Plan::Locked).await?;
        let enabled = change.enabled.unwrap_or(current.enabled);
        if !enabled && code.is_default() {
            return Err(StoreError::Refused("default_source", "the default source cannot be disabled".into()));
        }
        if enabled != current.enabled {
            stock::source_toggled(&mut tx, self.tenant, code.as_str(), enabled).await?;
        }
        let pick = |new: &Option<String>, old: &str| new.clone().unwrap_or_else(|| old.to_owned());
        let updated = InventorySource {
            name: pick(&change.name, &current.name),
            enabled,
            priority: change.priority.unwrap_or(current.priority),
            country: pick(&change.country, &current.country),
            region: pick(&change.region, &current.region),
            postcode: pick(&change.postcode, &current.postcode),
            updated_at: now(),
            ..current
        };
        sqlx::query(
            "UPDATE inventory_sources SET name = $3, enabled = $4, priority = $5, country = $6, region = $7, postcode = $8, updated_at = $9
             WHERE tenant_id = $1 AND code = $2",
        )
        .bind(self.tenant.as_str())
        .bind(code.as_str())
        .bind(updated.name.as_str())
        .bind(i64::from(updated.enabled))
        .bind(updated.priority)
        .bind(updated.country.as_str())
        .bind(updated.region.as_str())
        .bind(updated.postcode.as_str())
        .bind(updated.updated_at.millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Deletes a source that holds nothing, with its empty rows; `default` cannot be deleted
    /// (`default_source`), nor a source holding units (`source_not_empty`: move or sell them
    /// first, or disable it). Shipments keep the code they took units from.
    pub async fn delete(&self, code: &SourceCode) -> Result<()> {
        if code.is_default() {
            return Err(StoreError::Refused("default_source", "the default source cannot be deleted".into()));
        }
        let mut tx = self.store.begin_write().await?;
        self.read(&mut tx, code, Plan::Locked).await?;
        let held = stock::lock_source_stock(&mut tx, self.tenant, code.as_str()).await?;
        if let Some((sku, units)) = held.iter().find(|(_, units)| *units > 0) {
            return Err(StoreError::Refused("source_not_empty", format!("source {code} holds {units} units of {sku}; it can be disabled instead")));
        }
        for sql in ["DELETE FROM source_items WHERE tenant_id = $1 AND source_code = $2", "DELETE FROM inventory_sources WHERE tenant_id = $1 AND code = $2"] {
            sqlx::query(sql).bind(self.tenant.as_str()).bind(code.as_str()).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
