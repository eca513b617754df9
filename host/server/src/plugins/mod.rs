//! Plugins on the server side: manifests and config schemas, the per-process plugin host
//! (runtime, caches, execution records), and the pricing pipeline that runs them.

pub mod host;
pub mod limits;
pub mod manifest;
pub mod pricing;
pub mod replay;
