//! Plugins: the registry of packages (platform-wide and tenants' private ones), each tenant's
//! installs, and the record of calls.

use std::collections::{BTreeMap, HashMap};

use hanse_domain::plugin::{Capture, PluginId, PluginKind, Version};
use hanse_domain::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::sql::values_rows;
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// A package in the registry (without its component bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginPackage {
    /// `None` for the platform registry; the owning tenant for a private package.
    pub owner: Option<TenantId>,
    /// Plugin id.
    pub id: PluginId,
    /// Version.
    pub version: Version,
    /// The world it implements.
    pub kind: PluginKind,
    /// The WIT package it targets.
    pub wit: String,
    /// What it does.
    pub description: String,
    /// The manifest as uploaded (JSON text), with the config schema.
    pub manifest: String,
    /// SHA-256 of the component, hex.
    pub sha256: String,
    /// Component size in bytes.
    pub size: i64,
    /// When it was published.
    pub created_at: Timestamp,
}

/// A plugin installed for a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInstall {
    /// Plugin id.
    pub plugin_id: PluginId,
    /// Its kind.
    pub kind: PluginKind,
    /// Whether the package is the tenant's private one.
    pub private: bool,
    /// The active version.
    pub version: Version,
    /// Its configuration (JSON text, validated against that version's schema).
    pub config: String,
    /// The version `rollback` returns to, with its configuration.
    pub previous: Option<(Version, String)>,
    /// Whether it runs.
    pub enabled: bool,
    /// Order among the tenant's plugins of the same kind (lower first).
    pub position: i64,
    /// Which calls keep their input for replay.
    pub capture: Capture,
    /// When it was installed.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// A change to an install; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct InstallChange {
    /// New configuration for the active version (already validated).
    pub config: Option<String>,
    /// Enable or disable.
    pub enabled: Option<bool>,
    /// New position.
    pub position: Option<i64>,
    /// Which calls keep their input.
    pub capture: Option<Capture>,
}

/// One recorded plugin call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionRecord {
    /// Its id (`exe_...`).
    pub id: String,
    /// Plugin id.
    pub plugin_id: String,
    /// Version that ran.
    pub version: String,
    /// Kind.
    pub kind: PluginKind,
    /// When it started.
    pub started_at: Timestamp,
    /// How long it took, microseconds.
    pub duration_us: i64,
    /// Instructions used.
    pub fuel: i64,
    /// `ok` or an error code.
    pub outcome: String,
    /// The error message, when it failed.
    pub error: Option<String>,
    /// The log lines, as JSON (`[{"level":..,"message":..}]`).
    pub logs: String,
    /// Whether the call's input was kept.
    pub input_captured: bool,
    /// The kept input and configuration, when there are some. Lists of records leave them out
    /// (they can be large); [`Installs::execution`] has them.
    pub captured: Option<Captured>,
}

/// The input a call ran on, kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// The input, JSON in the shape `hanse plugin run --input` reads.
    pub input: String,
    /// The configuration, JSON.
    pub config: String,
}

impl ExecutionRecord {
    /// A new record's id.
    pub fn new_id() -> String {
        new_id("exe_")
    }
}

/// Execution records kept per tenant and plugin: the newest, in a ring of this many slots.
pub const EXECUTIONS_KEPT: i64 = 1_000;

/// The plugin registry.
pub struct Registry<'a> {
    store: &'a Store,
}

/// One tenant's installed plugins.
pub struct Installs<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The plugin registry.
    pub fn registry(&self) -> Registry<'_> {
        Registry { store: self }
    }

    /// The plugins installed for `tenant`.
    pub fn installs<'a>(&'a self, tenant: &'a TenantId) -> Installs<'a> {
        Installs { store: self, tenant }
    }

    /// Records plugin calls (of any tenants), in the order given, in one transaction. Each
    /// tenant's plugin keeps its newest [`EXECUTIONS_KEPT`] records: call number n goes to slot
    /// n mod [`EXECUTIONS_KEPT`] of the plugin's ring, over the record it replaces.
    pub async fn record_executions(&self, records: &[(TenantId, ExecutionRecord)]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        // Each plugin's calls, in the order given; the plugins in key order, so that two
        // replicas flushing the same plugins lock their counts in the same order.
        let mut plugins: BTreeMap<(&str, &str), Vec<&ExecutionRecord>> = BTreeMap::new();
        for (tenant, record) in records {
            plugins.entry((tenant.as_str(), record.plugin_id.as_str())).or_default().push(record);
        }
        let mut tx = self.begin_write().await?;
        // Number the calls: the counts' row locks also order two replicas' flushes of one plugin.
        let sql = format!(
            "INSERT INTO plugin_execution_counts (tenant_id, plugin_id, recorded) VALUES {}
             ON CONFLICT (tenant_id, plugin_id) DO UPDATE SET recorded = plugin_execution_counts.recorded + excluded.recorded
             RETURNING tenant_id, plugin_id, recorded",
            values_rows(plugins.len(), 3)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for ((tenant, plugin), calls) in &plugins {
            query = query.bind(*tenant).bind(*plugin).bind(calls.len() as i64);
        }
        let counted = query.fetch_all(&mut *tx).await?;
        let mut totals = HashMap::with_capacity(counted.len());
        for row in &counted {
            totals.insert((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?), row.try_get::<i64, _>(2)?);
        }
        let mut numbered: Vec<(&str, i64, &ExecutionRecord)> = Vec::with_capacity(records.len());
        for ((tenant, plugin), calls) in &plugins {
            let recorded = totals
                .get(&((*tenant).to_owned(), (*plugin).to_owned()))
                .copied()
                .ok_or_else(|| StoreError::corrupt("execution count", format!("{tenant}/{plugin} was not counted")))?;
            let first = recorded - calls.len() as i64;
            // More calls than the ring holds: the older ones would only be overwritten.
            let skip = calls.len().saturating_sub(EXECUTIONS_KEPT as usize);
            numbered.extend(calls.iter().enumerate().skip(skip).map(|(i, call)| (*tenant, first + i as i64, *call)));
        }
        // A few multi-row statements rather than one per call: a busy checkout records four
        // calls per order, and on SQLite every statement is held under the write lock.
        for chunk in numbered.chunks(EXECUTIONS_PER_STATEMENT) {
            let sql = format!(
                "INSERT INTO plugin_executions (tenant_id, plugin_id, slot, seq, id, version, kind, started_at, duration_us, fuel, outcome,
                     error, logs, input, config) VALUES {}
                 ON CONFLICT (tenant_id, plugin_id, slot) DO UPDATE SET seq = excluded.seq, id = excluded.id,
                     version = excluded.version, kind = excluded.kind, started_at = excluded.started_at,
                     duration_us = excluded.duration_us, fuel = excluded.fuel, outcome = excluded.outcome, error = excluded.error,
                     logs = excluded.logs, input = excluded.input, config = excluded.config",
                values_rows(chunk.len(), 15)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() == EXECUTIONS_PER_STATEMENT);
            for (tenant, seq, r) in chunk {
                query = query
                    .bind(*tenant)
                    .bind(&r.plugin_id)
                    .bind(seq % EXECUTIONS_KEPT)
                    .bind(*seq)
                    .bind(&r.id)
                    .bind(&r.version)
                    .bind(r.kind.as_str())
                    .bind(r.started_at.millis())
                    .bind(r.duration_us)
                    .bind(r.fuel)
                    .bind(&r.outcome)
                    .bind(r.error.as_deref())
                    .bind(&r.logs)
                    .bind(r.captured.as_ref().map(|c| c.input.as_str()))
                    .bind(r.captured.as_ref().map(|c| c.config.as_str()));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

const PACKAGE_COLUMNS: &str = "scope, id, version, kind, wit, description, manifest, sha256, size, created_at";

/// Execution records per INSERT statement (15 parameters each).
const EXECUTIONS_PER_STATEMENT: usize = 64;

impl Registry<'_> {
    /// Publishes a package. The same id and version twice is a conflict, unless the component
    /// and manifest are identical (publishing is idempotent). A private id may not shadow a
    /// platform plugin, nor the other way round for the tenant that owns it.
    pub async fn publish(&self, package: &PluginPackage, component: &[u8]) -> Result<PluginPackage> {
        let mut tx = self.store.begin_write().await?;
        let scope = package.owner.as_ref().map_or("", TenantId::as_str);
        let existing = get_package(&mut tx, scope, package.id.as_str(), &package.version.to_string()).await?;
        if let Some(existing) = existing {
            if existing.sha256 == package.sha256 && existing.manifest == package.manifest {
                return Ok(existing);
            }
            return Err(StoreError::Conflict(format!(
                "{} {} is already published with other contents; publish a new version",
                package.id, package.version
            )));
        }
        let clash: Option<String> = match &package.owner {
            None => None,
            Some(_) => sqlx::query_scalar("SELECT id FROM plugin_packages WHERE id = $1 AND scope = '' LIMIT 1")
                .bind(package.id.as_str())
                .fetch_optional(&mut *tx)
                .await?,
        };
        if clash.is_some() {
            return Err(StoreError::Conflict(format!("{:?} is the id of a platform plugin; choose another id", package.id.as_str())));
        }
        sqlx::query(
            "INSERT INTO plugin_packages (scope, id, version, kind, wit, description, manifest, sha256, size, component, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(scope)
        .bind(package.id.as_str())
        .bind(package.version.to_string())
        .bind(package.kind.as_str())
        .bind(&package.wit)
        .bind(&package.description)
        .bind(&package.manifest)
        .bind(&package.sha256)
        .bind(package.size)
        .bind(component)
        .bind(package.created_at.millis())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::on_unique(format!("{} {} is already published", package.id, package.version)))?;
        tx.commit().await?;
        Ok(package.clone())
    }

    /// The platform's packages, and `tenant`'s private ones when given; by id, newest version
    /// first.
    pub async fn list(&self, tenant: Option<&TenantId>) -> Result<Vec<PluginPackage>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PACKAGE_COLUMNS} FROM plugin_packages WHERE scope = '' OR scope = $1 ORDER BY id"
        )))
        .bind(tenant.map(TenantId::as_str))
        .fetch_all(&self.store.pool)
        .await?;
        let mut packages = rows.iter().map(package_from_row).collect::<Result<Vec<_>>>()?;
        packages.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| b.version.cmp(&a.version)));
        Ok(packages)
    }

    /// A package visible to `tenant` (platform or its own): the given version, or the newest
    /// release (pre-releases only when nothing else exists).
    pub async fn find(&self, tenant: &TenantId, id: &PluginId, version: Option<&Version>) -> Result<Option<PluginPackage>> {
        let mut candidates: Vec<PluginPackage> =
            self.list(Some(tenant)).await?.into_iter().filter(|p| &p.id == id).collect();
        if let Some(version) = version {
            return Ok(candidates.into_iter().find(|p| &p.version == version));
        }
        candidates.sort_by(|a, b| b.version.cmp(&a.version));
        let release = candidates.iter().position(|p| !p.version.is_prerelease());
        Ok(match release {
            Some(i) => Some(candidates.swap_remove(i)),
            None => candidates.into_iter().next(),
        })
    }

    /// The component bytes of a package.
    pub async fn component(&self, package: &PluginPackage) -> Result<Vec<u8>> {
        let scope = package.owner.as_ref().map_or("", TenantId::as_str);
        sqlx::query_scalar("SELECT component FROM plugin_packages WHERE scope = $1 AND id = $2 AND version = $3")
            .bind(scope)
            .bind(package.id.as_str())
            .bind(package.version.to_string())
            .fetch_optional(&self.store.pool)
            .await?
            .ok_or(StoreError::NotFound("plugin"))
    }
}

async fn get_package(conn: &mut AnyConnection, scope: &str, id: &str, version: &str) -> Result<Option<PluginPackage>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PACKAGE_COLUMNS} FROM plugin_packages WHERE scope = $1 AND id = $2 AND version = $3"
    )))
    .bind(scope)
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(package_from_row).transpose()
}

fn package_from_row(row: &AnyRow) -> Result<PluginPackage> {
    let corrupt = |what: &str, e: hanse_domain::ValueError| StoreError::corrupt(what, e);
    let scope: String = row.try_get("scope")?;
    let id: String = row.try_get("id")?;
    let version: String = row.try_get("version")?;
    let kind: String = row.try_get("kind")?;
    Ok(PluginPackage {
        owner: (!scope.is_empty()).then(|| TenantId::from_stored(scope)),
        id: PluginId::parse(&id).map_err(|e| corrupt("plugin id", e))?,
        version: Version::parse(&version).map_err(|e| corrupt("plugin version", e))?,
        kind: PluginKind::parse(&kind).map_err(|e| corrupt("plugin kind", e))?,
        wit: row.try_get("wit")?,
        description: row.try_get("description")?,
        manifest: row.try_get("manifest")?,
        sha256: row.try_get("sha256")?,
        size: row.try_get("size")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

const INSTALL_COLUMNS: &str =
    "plugin_id, kind, scope, version, config, previous_version, previous_config, status, position, capture, created_at, updated_at";

impl Installs<'_> {
    /// Installs a package for the tenant, enabled, after its other plugins of the same kind.
    pub async fn install(&self, package: &PluginPackage, config: &str) -> Result<PluginInstall> {
        let mut tx = self.store.begin_write().await?;
        let position: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM plugin_installs WHERE tenant_id = $1 AND kind = $2")
            .bind(self.tenant.as_str())
            .bind(package.kind.as_str())
            .fetch_one(&mut *tx)
            .await?;
        let at = now().millis();
        sqlx::query(
            "INSERT INTO plugin_installs (tenant_id, plugin_id, kind, scope, version, config, status, position, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'enabled', $7, $8, $8)",
        )
        .bind(self.tenant.as_str())
        .bind(package.id.as_str())
        .bind(package.kind.as_str())
        .bind(package.owner.as_ref().map_or("", TenantId::as_str))
        .bind(package.version.to_string())
        .bind(config)
        .bind(position)
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::on_unique(format!("{} is already installed; change it or activate another version", package.id)))?;
        bump_revision(&mut tx, self.tenant).await?;
        let install = get_install(&mut tx, self.tenant, package.id.as_str()).await?.ok_or(StoreError::NotFound("plugin"))?;
        tx.commit().await?;
        Ok(install)
    }

    /// The tenant's installs, by kind then position.
    pub async fn list(&self) -> Result<Vec<PluginInstall>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INSTALL_COLUMNS} FROM plugin_installs WHERE tenant_id = $1 ORDER BY kind, position, plugin_id"
        )))
        .bind(self.tenant.as_str())
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter().map(install_from_row).collect()
    }

    /// One install.
    pub async fn get(&self, plugin_id: &PluginId) -> Result<Option<PluginInstall>> {
        let mut conn = self.store.pool.acquire().await?;
        get_install(&mut conn, self.tenant, plugin_id.as_str()).await
    }

    /// Changes configuration, status or position.
    pub async fn update(&self, plugin_id: &PluginId, change: &InstallChange) -> Result<PluginInstall> {
        let mut tx = self.store.begin_write().await?;
        let current = get_install(&mut tx, self.tenant, plugin_id.as_str()).await?.ok_or(StoreError::NotFound("plugin"))?;
        let status = change.enabled.map_or(current.enabled, |e| e);
        sqlx::query(
            "UPDATE plugin_installs SET config = $3, status = $4, position = $5, capture = $6, updated_at = $7
             WHERE tenant_id = $1 AND plugin_id = $2",
        )
        .bind(self.tenant.as_str())
        .bind(plugin_id.as_str())
        .bind(change.config.as_deref().unwrap_or(&current.config))
        .bind(if status { "enabled" } else { "disabled" })
        .bind(change.position.unwrap_or(current.position))
        .bind(change.capture.unwrap_or(current.capture).as_str())
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
        bump_revision(&mut tx, self.tenant).await?;
        let install = get_install(&mut tx, self.tenant, plugin_id.as_str()).await?.ok_or(StoreError::NotFound("plugin"))?;
        tx.commit().await?;
        Ok(install)
    }

    /// Makes `package` the active version with `config`; the version it replaces becomes the one
    /// `rollback` returns to. Calls already running finish on the old version.
    pub async fn activate(&self, package: &PluginPackage, config: &str) -> Result<PluginInstall> {
        let mut tx = self.store.begin_write().await?;
        let current = get_install(&mut tx, self.tenant, package.id.as_str()).await?.ok_or(StoreError::NotFound("plugin"))?;
        set_version(&mut tx, self.tenant, package.id.as_str(), &package.version.to_string(), config, Some((&current.version.to_string(), &current.config)))
            .await?;
        bump_revision(&mut tx, self.tenant).await?;
        let install = get_install(&mut tx, self.tenant, package.id.as_str()).await?.ok_or(StoreError::NotFound("plugin"))?;
        tx.commit().await?;
        Ok(install)
    }

    /// Returns to the previous version and its configuration (the current one becomes the
    /// previous, so a second rollback undoes the first).
    pub async fn rollback(&self, plugin_id: &PluginId) -> Result<PluginInstall> {
        let mut tx = self.store.begin_write().await?;
        let current = get_install(&mut tx, self.tenant, plugin_id.as_str()).await?.ok_or(StoreError::NotFound("plugin"))?;
        let Some((version, config)) = current.previous.clone() else {
            return Err(StoreError::Refused("no_previous_version", format!("{plugin_id} has no previous version to roll back to")));
        };
        set_version(&mut tx, self.tenant, plugin_id.as_str(), &version.to_string(), &config, Some((&current.version.to_string(), &current.config)))
            .await?;
        bump_revision(&mut tx, self.tenant).await?;
        let install = get_install(&mut tx, self.tenant, plugin_id.as_str()).await?.ok_or(StoreError::NotFound("plugin"))?;
        tx.commit().await?;
        Ok(install)
    }

    /// Uninstalls; its execution records stay.
    pub async fn uninstall(&self, plugin_id: &PluginId) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query("DELETE FROM plugin_installs WHERE tenant_id = $1 AND plugin_id = $2")
            .bind(self.tenant.as_str())
            .bind(plugin_id.as_str())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("plugin"));
        }
        bump_revision(&mut tx, self.tenant).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest execution records of a plugin, newest first, without captured inputs.
    pub async fn executions(&self, plugin_id: &PluginId, limit: i64) -> Result<Vec<ExecutionRecord>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {EXECUTION_COLUMNS}, CAST(NULL AS TEXT) AS input, CAST(NULL AS TEXT) AS config FROM plugin_executions
             WHERE tenant_id = $1 AND plugin_id = $2 ORDER BY seq DESC LIMIT $3"
        )))
        .bind(self.tenant.as_str())
        .bind(plugin_id.as_str())
        .bind(limit)
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter().map(execution_from_row).collect()
    }

    /// How many calls of a plugin were recorded in all (the newest [`EXECUTIONS_KEPT`] are kept).
    pub async fn executions_recorded(&self, plugin_id: &PluginId) -> Result<i64> {
        let recorded: Option<i64> = sqlx::query_scalar("SELECT recorded FROM plugin_execution_counts WHERE tenant_id = $1 AND plugin_id = $2")
            .bind(self.tenant.as_str())
            .bind(plugin_id.as_str())
            .fetch_optional(&self.store.pool)
            .await?;
        Ok(recorded.unwrap_or(0))
    }

    /// One execution record of a plugin, with its captured input.
    pub async fn execution(&self, plugin_id: &PluginId, id: &str) -> Result<Option<ExecutionRecord>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {EXECUTION_COLUMNS}, input, config FROM plugin_executions WHERE tenant_id = $1 AND plugin_id = $2 AND id = $3"
        )))
        .bind(self.tenant.as_str())
        .bind(plugin_id.as_str())
        .bind(id)
        .fetch_optional(&self.store.pool)
        .await?;
        row.as_ref().map(execution_from_row).transpose()
    }
}

const EXECUTION_COLUMNS: &str = "id, plugin_id, version, kind, started_at, duration_us, fuel, outcome, error, logs,
     CAST(CASE WHEN input IS NULL THEN 0 ELSE 1 END AS BIGINT) AS input_captured";

fn execution_from_row(row: &AnyRow) -> Result<ExecutionRecord> {
    let kind: String = row.try_get("kind")?;
    let input: Option<String> = row.try_get("input")?;
    let config: Option<String> = row.try_get("config")?;
    Ok(ExecutionRecord {
        id: row.try_get("id")?,
        plugin_id: row.try_get("plugin_id")?,
        version: row.try_get("version")?,
        kind: PluginKind::parse(&kind).map_err(|e| StoreError::corrupt("execution kind", e))?,
        started_at: Timestamp::from_millis(row.try_get("started_at")?),
        duration_us: row.try_get("duration_us")?,
        fuel: row.try_get("fuel")?,
        outcome: row.try_get("outcome")?,
        error: row.try_get("error")?,
        logs: row.try_get("logs")?,
        input_captured: row.try_get::<i64, _>("input_captured")? == 1,
        captured: input.zip(config).map(|(input, config)| Captured { input, config }),
    })
}

async fn set_version(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    plugin_id: &str,
    version: &str,
    config: &str,
    previous: Option<(&String, &String)>,
) -> Result<()> {
    sqlx::query(
        "UPDATE plugin_installs SET version = $3, config = $4, previous_version = $5, previous_config = $6, updated_at = $7
         WHERE tenant_id = $1 AND plugin_id = $2",
    )
    .bind(tenant.as_str())
    .bind(plugin_id)
    .bind(version)
    .bind(config)
    .bind(previous.map(|p| p.0.as_str()))
    .bind(previous.map(|p| p.1.as_str()))
    .bind(now().millis())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn bump_revision(conn: &mut AnyConnection, tenant: &TenantId) -> Result<()> {
    sqlx::query("UPDATE tenants SET plugin_revision = plugin_revision + 1 WHERE id = $1")
        .bind(tenant.as_str())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn get_install(conn: &mut AnyConnection, tenant: &TenantId, plugin_id: &str) -> Result<Option<PluginInstall>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {INSTALL_COLUMNS} FROM plugin_installs WHERE tenant_id = $1 AND plugin_id = $2"
    )))
    .bind(tenant.as_str())
    .bind(plugin_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(install_from_row).transpose()
}

fn install_from_row(row: &AnyRow) -> Result<PluginInstall> {
    let corrupt = |what: &str, e: hanse_domain::ValueError| StoreError::corrupt(what, e);
    let id: String = row.try_get("plugin_id")?;
    let kind: String = row.try_get("kind")?;
    let scope: String = row.try_get("scope")?;
    let version: String = row.try_get("version")?;
    let previous_version: Option<String> = row.try_get("previous_version")?;
    let previous_config: Option<String> = row.try_get("previous_config")?;
    let status: String = row.try_get("status")?;
    let capture: String = row.try_get("capture")?;
    let previous = match (previous_version, previous_config) {
        (Some(v), Some(c)) => Some((Version::parse(&v).map_err(|e| corrupt("previous version", e))?, c)),
        _ => None,
    };
    Ok(PluginInstall {
        plugin_id: PluginId::parse(&id).map_err(|e| corrupt("plugin id", e))?,
        kind: PluginKind::parse(&kind).map_err(|e| corrupt("plugin kind", e))?,
        private: !scope.is_empty(),
        version: Version::parse(&version).map_err(|e| corrupt("plugin version", e))?,
        config: row.try_get("config")?,
        previous,
        enabled: status == "enabled",
        position: row.try_get("position")?,
        capture: Capture::parse(&capture).map_err(|e| corrupt("capture mode", e))?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
