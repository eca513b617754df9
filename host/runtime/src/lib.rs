//! Hanse's plugin runtime: merchant logic as sandboxed WebAssembly components, per tenant.
//!
//! This is the only crate that knows wasmtime. One [`Runtime`] per process holds the engine;
//! [`Runtime::load`] validates a component against the world its manifest claims (compiling
//! it once per sha256); each call ([`Runtime::price`], [`Runtime::rates`], ...) runs in a fresh
//! store under [`Limits`] and returns an [`Execution`]: the typed answer or a typed
//! [`PluginError`], with the fuel used, the time taken and the plugin's log.
//!
//! What a plugin can reach: its input, a bounded log, and WASI with no files, no network, no
//! environment, no arguments, and clocks frozen at the host's "now".

mod bindings;
pub mod bundled;
mod error;
mod host;
pub mod limits;
mod runtime;
mod size;
pub mod types;
mod validate;

pub use error::{LoadError, PluginError};
pub use host::{LogEntry, MAX_LOG_BYTES};
pub use limits::Limits;
pub use runtime::{Execution, LoadedPlugin, MAX_MEMORY_BYTES, Runtime, RuntimeOptions};
pub use size::WireSize;
