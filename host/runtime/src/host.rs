//! What a plugin's store holds: limits, the bounded log, and an empty WASI context.

use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::bindings::pricing::hanse::plugin::log;

/// Log text kept per call, in bytes (Shopify's limit); the rest is dropped.
pub const MAX_LOG_BYTES: usize = 1_000;

/// One log line written by a plugin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// `debug`, `info`, `warn` or `error`.
    pub level: &'static str,
    /// The message (cut to what fits in the call's log budget).
    pub message: String,
}

/// The per-call state of one store. Never shared between calls or tenants.
pub struct HostState {
    /// Built on a plugin's first WASI call: most plugins make none, and building it costs
    /// more than the rest of the store.
    wasi: Option<WasiCtx>,
    now: std::time::Duration,
    table: ResourceTable,
    memory_limit: usize,
    /// Set when the plugin tried to grow memory past its limit.
    pub memory_exceeded: bool,
    /// What the plugin logged.
    pub logs: Vec<LogEntry>,
    log_bytes: usize,
    /// Set when log text was dropped.
    pub logs_truncated: bool,
}

impl HostState {
    /// A fresh state: a WASI context with no files, no network, no environment, no arguments,
    /// and clocks frozen at `now_millis` (a plugin's only notion of time is the host's "now").
    pub fn new(memory_limit: usize, now_millis: i64) -> Self {
        HostState {
            wasi: None,
            now: std::time::Duration::from_millis(u64::try_from(now_millis).unwrap_or(0)),
            table: ResourceTable::new(),
            memory_limit,
            memory_exceeded: false,
            logs: Vec::new(),
            log_bytes: 0,
            logs_truncated: false,
        }
    }
}

/// A clock that always says the same time.
struct FrozenClock(std::time::Duration);

impl wasmtime_wasi::HostWallClock for FrozenClock {
    fn resolution(&self) -> std::time::Duration {
        std::time::Duration::from_millis(1)
    }
    fn now(&self) -> std::time::Duration {
        self.0
    }
}

impl wasmtime_wasi::HostMonotonicClock for FrozenClock {
    fn resolution(&self) -> u64 {
        1_000_000
    }
    fn now(&self) -> u64 {
        u64::try_from(self.0.as_nanos()).unwrap_or(u64::MAX)
    }
}

/// The WASI a plugin sees: no files, no network, no environment, no arguments, and clocks
/// frozen at `now`.
fn sandboxed_wasi(now: std::time::Duration) -> WasiCtx {
    let mut wasi = wasmtime_wasi::WasiCtxBuilder::new();
    wasi.wall_clock(FrozenClock(now))
        .monotonic_clock(FrozenClock(now))
        .insecure_random_seed(0)
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false);
    wasi.build()
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        let now = self.now;
        WasiCtxView { ctx: self.wasi.get_or_insert_with(|| sandboxed_wasi(now)), table: &mut self.table }
    }
}

impl ResourceLimiter for HostState {
    fn memory_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.memory_limit || maximum.is_some_and(|m| desired > m) {
            self.memory_exceeded = true;
            // An error traps at once, so the plugin cannot limp on without the memory.
            wasmtime::bail!("memory limit of {} bytes reached", self.memory_limit);
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, maximum: Option<usize>) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000 && maximum.is_none_or(|m| desired <= m))
    }

    fn instances(&self) -> usize {
        // A component instantiates a handful of core instances; more means something is off.
        64
    }

    fn tables(&self) -> usize {
        64
    }

    fn memories(&self) -> usize {
        16
    }
}

impl log::Host for HostState {
    fn write(&mut self, level: log::Level, message: String) {
        let level = match level {
            log::Level::Debug => "debug",
            log::Level::Info => "info",
            log::Level::Warn => "warn",
            log::Level::Error => "error",
        };
        let room = MAX_LOG_BYTES.saturating_sub(self.log_bytes);
        if room == 0 {
            self.logs_truncated = true;
            return;
        }
        let mut cut = message.len().min(room);
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut < message.len() {
            self.logs_truncated = true;
        }
        self.log_bytes += cut;
        self.logs.push(LogEntry { level, message: message[..cut].to_owned() });
    }
}
