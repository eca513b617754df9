//! The Hanse server: the HTTP API (operator, admin, storefront), its wire shapes and extractors,
//! bulk imports, and the `hanse` command line.
//!
//! Only this crate knows axum and the JSON shapes on the wire; business rules live in
//! `hanse-domain`, SQL in `hanse-store`.

mod api;
mod auth;
mod checkout;
pub mod cli;
mod demo;
mod error;
mod extract;
mod import;
mod ordering;
mod plugins;
mod serve;
mod state;
mod telemetry;
mod wire;

pub use api::{STOREFRONT_ADMIN_ONLY, STOREFRONT_PERMISSIONS, app, openapi};
pub use error::ApiError;
pub use state::AppState;
