//! The plugin runtime: one engine per process, components compiled once per sha256 (and cached
//! on disk across restarts), pre-instantiated per component, a fresh store per call.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hanse_domain::plugin::PluginKind;
use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, StoreContextMut, Trap, UpdateDeadline};

use crate::bindings::{approval, payment, pricing, shipping};
use crate::error::{LoadError, PluginError};
use crate::host::{HostState, LogEntry};
use crate::limits::Limits;
use crate::size::WireSize;
use crate::validate;
use crate::types::{ApprovalRequest, Checkout, Decision, Method, Authorization, PriceChange, PriceRequest, Rate, RateRequest};

/// How often the deadline is checked, and how long a running call keeps its thread before it
/// yields.
const EPOCH_TICK: Duration = Duration::from_millis(2);
/// The most memory any plugin call may be granted; per-tenant limits are clamped to it.
pub const MAX_MEMORY_BYTES: usize = 64 * 1024 * 1024;
/// Dirty linear memory a pooled slot keeps (zeroed) between calls, where the kernel can say
/// which pages were dirtied. Bounds the resident memory of idle slots.
const KEEP_RESIDENT_BYTES: usize = 2 * 1024 * 1024;
/// The same for tables.
const KEEP_RESIDENT_TABLE_BYTES: usize = 64 * 1024;
/// Longest error text kept from a plugin.
const MAX_ERROR_CHARS: usize = 1_000;

/// Runs one call of a `$world` plugin: a fresh store with the limits, the component
/// instantiated in it, `$body` with the instance and the store, and the outcome named.
macro_rules! plugin_call {
    ($runtime:expr, $plugin:expr, $limits:expr, $now:expr, $size:expr, $world:ident, |$instance:ident, $store:ident| $body:expr) => {{
        match $runtime.start($limits, $now, $size) {
            Err(refused) => refused,
            Ok(mut call) => {
                let answer = match &$plugin.pre {
                    Pre::$world(pre) => async {
                        let $store = &mut call.store;
                        let $instance = pre.instantiate_async(&mut *$store).await?;
                        let $store = &mut *$store;
                        $body
                    }
                    .await,
                    _ => Ok(Err(wrong_kind($plugin.kind, PluginKind::$world))),
                };
                call.finish($limits, answer)
            }
        }
    }};
}

/// How to build a [`Runtime`].
#[derive(Debug, Clone, Default)]
pub struct RuntimeOptions {
    /// Folder for compiled components, reused across restarts; `None` keeps them in memory only.
    pub cache_dir: Option<PathBuf>,
}

/// A component that passed validation, ready to run.
pub struct LoadedPlugin {
    kind: PluginKind,
    sha256: String,
    pre: Pre,
}

enum Pre {
    Pricing(pricing::PricingPre<HostState>),
    Approval(approval::ApprovalPre<HostState>),
    Shipping(shipping::ShippingPre<HostState>),
    Payment(payment::PaymentPre<HostState>),
}

impl LoadedPlugin {
    /// The world it implements.
    pub fn kind(&self) -> PluginKind {
        self.kind
    }

    /// SHA-256 of the component bytes, hex.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

/// The result of one call: what the plugin answered (or why it failed), and what it cost.
#[derive(Debug, Clone)]
pub struct Execution<T> {
    /// The answer, validated for size; or the typed failure.
    pub outcome: Result<T, PluginError>,
    /// Instructions used (wasmtime fuel), as Shopify reports them.
    pub fuel_used: u64,
    /// Wall time of the call: store, instantiation, the call and the slot's reset.
    pub duration: Duration,
    /// What the plugin logged (at most 1,000 bytes).
    pub logs: Vec<LogEntry>,
}

/// The plugin runtime. Create one per process and share it.
pub struct Runtime {
    engine: Engine,
    linker: Linker<HostState>,
    cache_dir: Option<PathBuf>,
    loaded: Mutex<HashMap<(PluginKind, String), Arc<LoadedPlugin>>>,
    stop_ticker: Arc<AtomicBool>,
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.stop_ticker.store(true, Ordering::Relaxed);
    }
}

impl Runtime {
    /// A runtime with fuel metering, epoch deadlines and a pooling allocator.
    pub fn new(options: RuntimeOptions) -> Result<Runtime, LoadError> {
        let mut config = Config::new();
        config.consume_fuel(true).epoch_interruption(true).max_wasm_stack(512 * 1024);
        let mut pool = PoolingAllocationConfig::new();
        pool.max_memory_size(MAX_MEMORY_BYTES);
        if PoolingAllocationConfig::is_pagemap_scan_available() {
            // Reset only the pages a call dirtied, in place, instead of handing the whole
            // slot back to the kernel: the next call on the slot then neither takes page
            // faults nor pays for the `madvise`. This halved a 20-line pricing call (see
            // BENCHMARKS.md). Without PAGEMAP_SCAN (Linux < 6.7) keeping memory resident
            // would mean zeroing all of it on every call, so the defaults stay.
            pool.pagemap_scan(Enabled::Yes)
                .linear_memory_keep_resident(KEEP_RESIDENT_BYTES)
                .table_keep_resident(KEEP_RESIDENT_TABLE_BYTES);
        }
        config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let engine = match Engine::new(&config) {
            Ok(engine) => engine,
            // Pooling reserves address space up front; where that is refused, run without it.
            Err(_) => {
                config.allocation_strategy(InstanceAllocationStrategy::OnDemand);
                Engine::new(&config).map_err(|e| LoadError::Cache(format!("cannot start the WebAssembly engine: {e}")))?
            }
        };
        let mut linker = Linker::new(&engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(|e| LoadError::Cache(e.to_string()))?;
        forbid_waiting(&mut linker).map_err(|e| LoadError::Cache(e.to_string()))?;
        pricing::hanse::plugin::log::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)
            .map_err(|e| LoadError::Cache(e.to_string()))?;
        if let Some(dir) = &options.cache_dir {
            std::fs::create_dir_all(dir).map_err(|e| LoadError::Cache(format!("{}: {e}", dir.display())))?;
        }
        let stop_ticker = Arc::new(AtomicBool::new(false));
        let ticker_engine = engine.clone();
        let stop = stop_ticker.clone();
        std::thread::Builder::new()
            .name("hanse-wasm-epoch".into())
            .spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    ticker_engine.increment_epoch();
                }
            })
            .map_err(|e| LoadError::Cache(format!("cannot start the deadline ticker: {e}")))?;
        Ok(Runtime { engine, linker, cache_dir: options.cache_dir, loaded: Mutex::new(HashMap::new()), stop_ticker })
    }

    /// Validates and prepares a component for `kind`: it must be a component, import nothing
    /// but what the host offers, and export the `kind` world. Compiled once per sha256.
    pub fn load(&self, kind: PluginKind, bytes: &[u8]) -> Result<Arc<LoadedPlugin>, LoadError> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        let key = (kind, sha256.clone());
        if let Some(plugin) = self.loaded.lock().map_err(|_| LoadError::Cache("poisoned".into()))?.get(&key) {
            return Ok(plugin.clone());
        }
        let component = self.compile(bytes, &sha256)?;
        let instance_pre = self.linker.instantiate_pre(&component).map_err(|e| LoadError::ForbiddenImport(root_cause(&e)))?;
        let wrong = |e: wasmtime::Error| LoadError::WrongWorld { kind: kind.as_str(), detail: root_cause(&e) };
        let pre = match kind {
            PluginKind::Pricing => Pre::Pricing(pricing::PricingPre::new(instance_pre).map_err(wrong)?),
            PluginKind::Approval => Pre::Approval(approval::ApprovalPre::new(instance_pre).map_err(wrong)?),
            PluginKind::Shipping => Pre::Shipping(shipping::ShippingPre::new(instance_pre).map_err(wrong)?),
            PluginKind::Payment => Pre::Payment(payment::PaymentPre::new(instance_pre).map_err(wrong)?),
        };
        let plugin = Arc::new(LoadedPlugin { kind, sha256, pre });
        self.loaded.lock().map_err(|_| LoadError::Cache("poisoned".into()))?.insert(key, plugin.clone());
        Ok(plugin)
    }

    fn compile(&self, bytes: &[u8], sha256: &str) -> Result<Component, LoadError> {
        let cached = self.cache_dir.as_ref().map(|dir| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            self.engine.precompile_compatibility_hash().hash(&mut hasher);
            dir.join(format!("{sha256}-{:016x}.cwasm", hasher.finish()))
        });
        if let Some(path) = cached.as_ref().filter(|p| p.is_file()) {
            // SAFETY: the file was written by `Component::serialize` of this engine build
            // (the name carries the engine's compatibility hash) into Hanse's own cache folder;
            // it is never taken from a plugin author.
            if let Ok(component) = unsafe { Component::deserialize_file(&self.engine, path) } {
                return Ok(component);
            }
        }
        let component = Component::new(&self.engine, bytes).map_err(|e| LoadError::NotAComponent(root_cause(&e)))?;
        if let Some(path) = cached {
            let artifact = component.serialize().map_err(|e| LoadError::Cache(e.to_string()))?;
            // A name of its own per writer: several processes may share the cache folder.
            let partial = path.with_extension(format!("{}-{:?}.partial", std::process::id(), std::thread::current().id()));
            std::fs::write(&partial, artifact)
                .and_then(|()| std::fs::rename(&partial, &path))
                .map_err(|e| LoadError::Cache(format!("{}: {e}", path.display())))?;
        }
        Ok(component)
    }

    /// Runs a pricing plugin.
    pub async fn price(&self, plugin: &LoadedPlugin, request: &PriceRequest, limits: &Limits) -> Execution<Vec<PriceChange>> {
        let mut execution = plugin_call!(self, plugin, limits, request.context.now, request.wire_size(), Pricing, |instance, store| {
            instance.hanse_plugin_pricer().call_price(store, request).await
        });
        checked(&mut execution, |changes| validate::price_changes(request, changes));
        execution
    }

    /// Runs an approval plugin.
    pub async fn evaluate(&self, plugin: &LoadedPlugin, request: &ApprovalRequest, limits: &Limits) -> Execution<Decision> {
        let mut execution = plugin_call!(self, plugin, limits, request.context.now, request.wire_size(), Approval, |instance, store| {
            instance.hanse_plugin_approver().call_evaluate(store, request).await
        });
        checked(&mut execution, validate::decision);
        execution
    }

    /// Runs a shipping plugin.
    pub async fn rates(&self, plugin: &LoadedPlugin, request: &RateRequest, limits: &Limits) -> Execution<Vec<Rate>> {
        let mut execution = plugin_call!(self, plugin, limits, request.context.now, request.wire_size(), Shipping, |instance, store| {
            instance.hanse_plugin_shipper().call_rates(store, request).await
        });
        checked(&mut execution, |rates| validate::rates(rates));
        execution
    }

    /// Asks a payment plugin for its methods.
    pub async fn methods(&self, plugin: &LoadedPlugin, checkout: &Checkout, limits: &Limits) -> Execution<Vec<Method>> {
        let mut execution = plugin_call!(self, plugin, limits, checkout.context.now, checkout.wire_size(), Payment, |instance, store| {
            instance.hanse_plugin_payer().call_methods(store, checkout).await
        });
        checked(&mut execution, |methods| validate::methods(methods));
        execution
    }

    /// Asks a payment plugin to authorize a payment with method `code`.
    pub async fn authorize(&self, plugin: &LoadedPlugin, code: &str, checkout: &Checkout, limits: &Limits) -> Execution<Authorization> {
        let mut execution = plugin_call!(self, plugin, limits, checkout.context.now, checkout.wire_size() + code.len(), Payment, |instance, store| {
            instance.hanse_plugin_payer().call_authorize(store, code, checkout).await
        });
        checked(&mut execution, validate::authorization);
        execution
    }

    /// A fresh store for one call with `limits`: fuel, a deadline on the time the call runs,
    /// and a memory cap. `Err`: the call ends before it starts (its input is too large, or fuel
    /// cannot be set), with the execution that says so.
    fn start<T>(&self, limits: &Limits, now_millis: i64, input_size: usize) -> Result<Call, Execution<T>> {
        let started = Instant::now();
        if input_size > limits.max_input_bytes {
            let outcome = Err(PluginError::InputTooLarge { size: input_size, limit: limits.max_input_bytes });
            return Err(Execution { outcome, fuel_used: 0, duration: started.elapsed(), logs: Vec::new() });
        }
        let memory = limits.memory_bytes.min(MAX_MEMORY_BYTES);
        let mut store = Store::new(&self.engine, HostState::new(memory, now_millis));
        store.limiter(|state| state);
        if let Err(e) = store.set_fuel(limits.fuel) {
            let outcome = Err(PluginError::Instantiation(e.to_string()));
            return Err(Execution { outcome, fuel_used: 0, duration: started.elapsed(), logs: Vec::new() });
        }
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(deadline_check(limits.deadline, started));
        Ok(Call { store, started })
    }
}

/// One call's store, from [`Runtime::start`] to [`Call::finish`].
struct Call {
    store: Store<HostState>,
    started: Instant,
}

impl Call {
    /// Names the outcome, checks the answer's size, and frees the store.
    fn finish<T: WireSize>(mut self, limits: &Limits, answer: wasmtime::Result<Result<T, String>>) -> Execution<T> {
        let outcome = answer
            .map_err(|e| classify(&e, &self.store, limits))
            .and_then(|answer| answer.map_err(|message| PluginError::Reported(truncate(&message))));
        let fuel_used = limits.fuel.saturating_sub(self.store.get_fuel().unwrap_or(0));
        let outcome = outcome.and_then(|value| {
            let size = value.wire_size();
            if size > limits.max_output_bytes {
                Err(PluginError::OutputTooLarge { size, limit: limits.max_output_bytes })
            } else {
                Ok(value)
            }
        });
        let outcome = match outcome {
            Err(PluginError::OutOfFuel(_)) => Err(PluginError::OutOfFuel(fuel_used)),
            other => other,
        };
        let logs = std::mem::take(&mut self.store.data_mut().logs);
        // Dropping the store resets its pool slot; that is part of what the call cost.
        drop(self.store);
        Execution { outcome, fuel_used, duration: self.started.elapsed(), logs }
    }
}

/// The deadline, checked at every epoch tick while the call runs. A call that is still
/// running yields to its caller's executor at each tick, so a long plugin call shares its
/// thread with other requests instead of holding it. The deadline counts the time the call
/// ran, not the time it waited to be resumed after a yield: a plugin is not charged for the
/// server's other work.
fn deadline_check(
    deadline: Duration,
    started: Instant,
) -> impl FnMut(StoreContextMut<'_, HostState>) -> wasmtime::Result<UpdateDeadline> + Send + Sync + 'static {
    // Time since `started` at which the call last resumed, in nanoseconds.
    let resumed = Arc::new(AtomicU64::new(0));
    let mut ran = Duration::ZERO;
    move |_| {
        let now = started.elapsed();
        ran += now.saturating_sub(Duration::from_nanos(resumed.load(Ordering::Relaxed)));
        if ran >= deadline {
            return Ok(UpdateDeadline::Interrupt);
        }
        let resumed = resumed.clone();
        Ok(UpdateDeadline::YieldCustom(
            1,
            Box::pin(async move {
                tokio::task::yield_now().await;
                let at = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                resumed.store(at, Ordering::Relaxed);
            }),
        ))
    }
}

/// The WASI interface whose timers a plugin would wait on.
const MONOTONIC_CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.12";

/// Replaces WASI's timers with functions that trap. A plugin waiting on a timer (a `sleep`)
/// would wait inside a host call, where neither fuel nor the epoch deadline reach, and hold
/// its request for as long as it asked; a plugin answers from its input and has nothing to
/// wait for. Without a timer there is nothing to wait on: stdin is empty, stdout and stderr
/// are sinks, and sockets are off.
fn forbid_waiting(linker: &mut Linker<HostState>) -> wasmtime::Result<()> {
    linker.allow_shadowing(true);
    let mut clock = linker.instance(MONOTONIC_CLOCK)?;
    for name in ["subscribe-duration", "subscribe-instant"] {
        clock.func_new(name, |_, _, _, _| Err(wasmtime::format_err!("plugins may not wait: a timer was requested")))?;
    }
    linker.allow_shadowing(false);
    Ok(())
}

/// Turns an answer the host refuses into [`PluginError::InvalidOutput`].
fn checked<T>(execution: &mut Execution<T>, check: impl FnOnce(&T) -> Result<(), String>) {
    if let Ok(value) = &execution.outcome {
        if let Err(why) = check(value) {
            execution.outcome = Err(PluginError::InvalidOutput(why));
        }
    }
}

fn wrong_kind(actual: PluginKind, wanted: PluginKind) -> String {
    format!("a {actual} plugin was called as a {wanted} plugin")
}

/// Names a failed call by what the store saw.
fn classify(error: &wasmtime::Error, store: &Store<HostState>, limits: &Limits) -> PluginError {
    if store.data().memory_exceeded {
        return PluginError::MemoryLimit(limits.memory_bytes.min(MAX_MEMORY_BYTES));
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::OutOfFuel) => PluginError::OutOfFuel(limits.fuel),
        Some(Trap::Interrupt) => PluginError::Timeout(limits.deadline.as_millis() as u64),
        Some(trap) => PluginError::Trap(truncate(&trap.to_string())),
        None if is_instantiation(error) => PluginError::Instantiation(truncate(&root_cause(error))),
        None => PluginError::Trap(truncate(&format!("{error:#}"))),
    }
}

fn is_instantiation(error: &wasmtime::Error) -> bool {
    let text = format!("{error:#}");
    text.contains("pooling allocator") || text.contains("resource limit")
}

fn root_cause(error: &wasmtime::Error) -> String {
    truncate(&format!("{error:#}"))
}

fn truncate(text: &str) -> String {
    if text.chars().count() <= MAX_ERROR_CHARS {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(MAX_ERROR_CHARS).collect();
    cut.push('…');
    cut
}
