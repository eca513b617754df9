//! The plugin host of this process: the runtime, the components it has prepared, each tenant's
//! active plugin set, and the buffer of execution records.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hanse_domain::plugin::{Capture, PluginId, PluginKind, Version};
use hanse_domain::time::Timestamp;
use hanse_runtime::types::{Context, Customer};
use hanse_runtime::{Execution, Limits, LoadedPlugin, Runtime};
use hanse_store::{Audience, Captured, ExecutionRecord, PluginPackage, Store, Tenant, TenantId, now};

use crate::error::ApiError;

/// Execution records written per transaction. A flush of a busy half second holds a thousand
/// and more; on SQLite one transaction for all of them held the one write lock long enough to
/// stall every checkout queued behind it. Two multi-row inserts' worth keeps each write about as
/// short as an order's.
const RECORDS_PER_TRANSACTION: usize = 128;

/// A plugin a tenant has enabled, ready to call.
#[derive(Clone)]
pub struct ActivePlugin {
    /// Plugin id.
    pub id: PluginId,
    /// Active version.
    pub version: Version,
    /// Configuration (JSON text).
    pub config: String,
    /// Which calls keep their input.
    pub capture: Capture,
    /// The prepared component.
    pub loaded: Arc<LoadedPlugin>,
}

impl ActivePlugin {
    /// `{"id": ..., "version": ...}`: how an order records the plugins that worked on it.
    pub fn stamp(&self) -> serde_json::Value {
        serde_json::json!({ "id": self.id.as_str(), "version": self.version.to_string() })
    }
}

/// What every call carries: the tenant, its currency, the moment, the plugin's configuration
/// and who is buying.
pub fn call_context(tenant: &Tenant, audience: &Audience, plugin: &ActivePlugin, at: Timestamp) -> Context {
    Context {
        tenant: tenant.slug.to_string(),
        currency: tenant.currency.code().to_owned(),
        now: at.millis(),
        config: plugin.config.clone(),
        customer: Customer {
            company_id: audience.company.clone(),
            customer_group: audience.customer_group.clone(),
            segments: audience.segments.clone(),
        },
    }
}

/// A tenant's enabled plugins by kind, in the merchant's order, as of one plugin revision.
pub struct TenantPlugins {
    revision: i64,
    by_kind: HashMap<PluginKind, Vec<ActivePlugin>>,
}

impl TenantPlugins {
    /// The enabled plugins of `kind`, in order.
    pub fn of(&self, kind: PluginKind) -> &[ActivePlugin] {
        self.by_kind.get(&kind).map_or(&[], Vec::as_slice)
    }
}

/// The process's plugin host. Cheap to share (`Arc`).
pub struct PluginHost {
    runtime: Runtime,
    /// Prepared components by (owner scope, id, version).
    prepared: Mutex<HashMap<(String, String, String), Arc<LoadedPlugin>>>,
    /// Each tenant's active set, valid while the tenant's plugin revision is unchanged (so a
    /// change made through another replica is seen on the next request here).
    active: Mutex<HashMap<TenantId, Arc<TenantPlugins>>>,
    pending: Mutex<Vec<(TenantId, ExecutionRecord)>>,
}

impl PluginHost {
    /// A host over `runtime`.
    pub fn new(runtime: Runtime) -> Self {
        PluginHost { runtime, prepared: Mutex::default(), active: Mutex::default(), pending: Mutex::default() }
    }

    /// The runtime.
    pub fn runtime(&self) -> &Runtime {
        &self.runtime
    }

    /// Validates `bytes` as a `kind` component (compiling it off the async threads).
    pub async fn prepare_bytes(self: &Arc<Self>, kind: PluginKind, bytes: Vec<u8>) -> Result<Arc<LoadedPlugin>, ApiError> {
        let host = self.clone();
        tokio::task::spawn_blocking(move || host.runtime.load(kind, &bytes))
            .await
            .map_err(ApiError::internal)?
            .map_err(|e| ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, "invalid_component", e.to_string()))
    }

    /// The prepared component of a registry package, loading it on first use.
    pub async fn prepare(self: &Arc<Self>, store: &Store, package: &PluginPackage) -> Result<Arc<LoadedPlugin>, ApiError> {
        let key = (
            package.owner.as_ref().map_or(String::new(), |t| t.as_str().to_owned()),
            package.id.to_string(),
            package.version.to_string(),
        );
        if let Some(loaded) = self.prepared.lock().map_err(ApiError::internal)?.get(&key) {
            return Ok(loaded.clone());
        }
        let bytes = store.registry().component(package).await?;
        let loaded = self.prepare_bytes(package.kind, bytes).await?;
        self.prepared.lock().map_err(ApiError::internal)?.insert(key, loaded.clone());
        Ok(loaded)
    }

    /// The tenant's enabled plugins, reloaded when its plugin revision moved.
    pub async fn active(self: &Arc<Self>, store: &Store, tenant: &Tenant) -> Result<Arc<TenantPlugins>, ApiError> {
        if let Some(set) = self.active.lock().map_err(ApiError::internal)?.get(&tenant.id) {
            if set.revision == tenant.plugin_revision {
                return Ok(set.clone());
            }
        }
        let mut by_kind: HashMap<PluginKind, Vec<ActivePlugin>> = HashMap::new();
        for install in store.installs(&tenant.id).list().await?.into_iter().filter(|i| i.enabled) {
            let Some(package) = store.registry().find(&tenant.id, &install.plugin_id, Some(&install.version)).await? else {
                tracing::error!(tenant = %tenant.slug, plugin = %install.plugin_id, "installed package missing from the registry");
                continue;
            };
            let loaded = self.prepare(store, &package).await?;
            by_kind.entry(install.kind).or_default().push(ActivePlugin {
                id: install.plugin_id,
                version: install.version,
                config: install.config,
                capture: install.capture,
                loaded,
            });
        }
        let set = Arc::new(TenantPlugins { revision: tenant.plugin_revision, by_kind });
        self.active.lock().map_err(ApiError::internal)?.insert(tenant.id.clone(), set.clone());
        Ok(set)
    }

    /// Runs one call of `plugin` on the caller's task and records it. `call` gets the runtime,
    /// the component, the request and the limits; `input` renders the request for replay when
    /// the install captures calls. A call that runs longer than an epoch tick yields between
    /// ticks (`hanse_runtime`), so plugins need no threads of their own.
    pub async fn run<R, T>(
        &self,
        tenant: &TenantId,
        plugin: &ActivePlugin,
        request: &R,
        limits: Limits,
        call: impl AsyncFnOnce(&Runtime, &LoadedPlugin, &R, &Limits) -> Execution<T>,
        input: impl FnOnce(&R) -> serde_json::Value,
    ) -> Execution<T> {
        let execution = call(&self.runtime, &plugin.loaded, request, &limits).await;
        self.record(tenant, plugin, &execution, || input(request));
        execution
    }

    /// Notes a call: metrics now, the execution record on the next flush. `input` renders the
    /// call's input for replay; it is called only when the install captures this call.
    pub fn record<T>(&self, tenant: &TenantId, plugin: &ActivePlugin, execution: &Execution<T>, input: impl FnOnce() -> serde_json::Value) {
        let (outcome, error) = match &execution.outcome {
            Ok(_) => ("ok".to_owned(), None),
            Err(e) => (e.code().to_owned(), Some(e.to_string())),
        };
        let labels = [("plugin", plugin.id.to_string()), ("kind", plugin.loaded.kind().as_str().to_owned()), ("outcome", outcome.clone())];
        metrics::counter!("plugin_calls_total", &labels).increment(1);
        if execution.outcome.is_err() {
            metrics::counter!("plugin_failures_total", &labels[..2]).increment(1);
        }
        metrics::histogram!("plugin_call_duration_seconds", &labels[..2]).record(execution.duration.as_secs_f64());
        metrics::histogram!("plugin_fuel", &labels[..2]).record(execution.fuel_used as f64);
        let logs: Vec<serde_json::Value> =
            execution.logs.iter().map(|l| serde_json::json!({"level": l.level, "message": l.message})).collect();
        let captured = plugin
            .capture
            .keeps(execution.outcome.is_ok())
            .then(|| Captured { input: input().to_string(), config: plugin.config.clone() });
        let record = ExecutionRecord {
            id: ExecutionRecord::new_id(),
            plugin_id: plugin.id.to_string(),
            version: plugin.version.to_string(),
            kind: plugin.loaded.kind(),
            started_at: now(),
            duration_us: i64::try_from(execution.duration.as_micros()).unwrap_or(i64::MAX),
            fuel: i64::try_from(execution.fuel_used).unwrap_or(i64::MAX),
            outcome,
            error,
            logs: serde_json::Value::Array(logs).to_string(),
            input_captured: captured.is_some(),
            captured,
        };
        if let Ok(mut pending) = self.pending.lock() {
            pending.push((tenant.clone(), record));
        }
    }

    /// Writes the buffered execution records, [`RECORDS_PER_TRANSACTION`] at a time: each write
    /// holds SQLite's lock about as long as an order's, so checkouts do not queue behind it.
    pub async fn flush(&self, store: &Store) -> Result<(), ApiError> {
        let mut batch = std::mem::take(&mut *self.pending.lock().map_err(ApiError::internal)?);
        while !batch.is_empty() {
            let rest = batch.split_off(batch.len().min(RECORDS_PER_TRANSACTION));
            // Like an order, the write holds SQLite's lock across several statements: it runs
            // on the store's write lane.
            let lane = store.clone();
            let (written, batch_back) = store
                .on_write_lane(async move {
                    let written = lane.record_executions(&batch).await;
                    (written, batch)
                })
                .await?;
            batch = batch_back;
            if let Err(e) = written {
                // Put back what is not written, ahead of calls recorded meanwhile, so the next
                // flush tries again in the order of the calls.
                if let Ok(mut pending) = self.pending.lock() {
                    let newer = std::mem::take(&mut *pending);
                    pending.extend(batch.into_iter().chain(rest).chain(newer));
                }
                return Err(e.into());
            }
            batch = rest;
        }
        Ok(())
    }

    /// Flushes execution records every `period` until the process ends.
    pub fn start_flushing(self: &Arc<Self>, store: Store, period: Duration) {
        let host = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            loop {
                tick.tick().await;
                if let Err(e) = host.flush(&store).await {
                    tracing::warn!(error = ?e, "execution records not written yet");
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use hanse_domain::currency::Currency;
    use hanse_domain::plugin::{PluginId, PluginKind};
    use hanse_domain::tenant::TenantSlug;
    use hanse_runtime::{Runtime, RuntimeOptions};
    use hanse_store::{ExecutionRecord, NewTenant};

    use super::{PluginHost, RECORDS_PER_TRANSACTION};

    fn record(i: i64) -> ExecutionRecord {
        ExecutionRecord {
            id: ExecutionRecord::new_id(),
            plugin_id: "tiers".into(),
            version: "1.0.0".into(),
            kind: PluginKind::Pricing,
            started_at: hanse_domain::time::Timestamp::from_millis(1_000 + i),
            duration_us: 40,
            fuel: i,
            outcome: "ok".into(),
            error: None,
            logs: "[]".into(),
            input_captured: false,
            captured: None,
        }
    }

    #[tokio::test]
    async fn a_flush_writes_in_short_transactions_and_keeps_what_it_could_not_write() {
        let store = hanse_store::testing::fresh_store().await;
        let new = NewTenant { slug: TenantSlug::parse("acme").unwrap(), name: "Acme".into(), currency: Currency::parse("USD").unwrap(), domains: vec![] };
        let tenant = store.tenants().create(&new).await.unwrap();
        let host = PluginHost::new(Runtime::new(RuntimeOptions::default()).unwrap());
        let count = 2 * RECORDS_PER_TRANSACTION + 44;
        let mut records: Vec<_> = (0..count as i64).map(|i| (tenant.id.clone(), record(i))).collect();
        // A record of the second transaction names a tenant of another database, unknown to
        // this one: that transaction fails.
        let elsewhere = hanse_store::testing::fresh_store().await;
        let unknown = elsewhere.tenants().create(&new).await.unwrap().id;
        records[RECORDS_PER_TRANSACTION + 10].0 = unknown;
        host.pending.lock().unwrap().extend(records.iter().cloned());
        assert!(host.flush(&store).await.is_err());
        let id = PluginId::parse("tiers").unwrap();
        let written = store.installs(&tenant.id).executions(&id, 5_000).await.unwrap();
        assert_eq!(written.len(), RECORDS_PER_TRANSACTION, "the first transaction is kept");
        // Everything after it waits for the next flush, in order, ahead of calls recorded
        // meanwhile; without the unknown tenant it goes in.
        host.pending.lock().unwrap().push((tenant.id.clone(), record(count as i64)));
        let pending: Vec<i64> = host.pending.lock().unwrap().iter().map(|(_, r)| r.fuel).collect();
        assert_eq!(pending, (RECORDS_PER_TRANSACTION as i64..=count as i64).collect::<Vec<_>>());
        host.pending.lock().unwrap()[10].0 = tenant.id.clone();
        host.flush(&store).await.unwrap();
        assert!(host.pending.lock().unwrap().is_empty());
        let written = store.installs(&tenant.id).executions(&id, 5_000).await.unwrap();
        assert_eq!(written.len(), count + 1);
        let newest_first: Vec<i64> = written.iter().map(|r| r.fuel).collect();
        assert_eq!(newest_first, (0..=count as i64).rev().collect::<Vec<_>>(), "listed in the order of the calls");
        assert_eq!(store.installs(&tenant.id).executions_recorded(&id).await.unwrap(), count as i64 + 1);

        // A flush leaves each plugin its newest records only.
        let more = hanse_store::EXECUTIONS_KEPT as usize;
        host.pending.lock().unwrap().extend((0..more as i64).map(|i| (tenant.id.clone(), record(10_000 + i))));
        host.flush(&store).await.unwrap();
        let kept = store.installs(&tenant.id).executions(&id, 5_000).await.unwrap();
        assert_eq!(kept.len(), more);
        assert!(kept.iter().all(|r| r.fuel >= 10_000), "the older ones went");
    }
}
