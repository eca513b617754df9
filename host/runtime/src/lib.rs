//! Hanse's plugin runtime: merchant logic as sandboxed WebAssembly components, per tenant.
//!
//! This crate is the only one that will know wasmtime. Today it holds the per-call resource
//! limits, which are data per tenant (a hosting provider sets them per plan).

pub mod limits;

pub use limits::Limits;
