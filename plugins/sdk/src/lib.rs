//! Write Hanse plugins in plain Rust.
//!
//! A plugin is a small crate (`crate-type = ["cdylib", "rlib"]`) that depends on this SDK with
//! the feature of its kind (`pricing`, `approval`, `shipping` or `payment`), implements the
//! kind's trait on a type, and exports it:
//!
//! ```ignore
//! use hanse_plugin_sdk::pricing::{PriceChange, PriceRequest, Pricing};
//!
//! pub struct HalfPrice;
//!
//! impl Pricing for HalfPrice {
//!     fn price(request: &PriceRequest) -> Result<Vec<PriceChange>, String> {
//!         Ok(request.lines.iter().map(|l| PriceChange {
//!             line_id: l.line_id,
//!             unit_price: l.unit_price / hanse_plugin_sdk::Decimal::TWO,
//!             reason: "half price".into(),
//!         }).collect())
//!     }
//! }
//!
//! hanse_plugin_sdk::export_pricing!(HalfPrice);
//! ```
//!
//! Build it with `cargo build --release --target wasm32-wasip2`; the `.wasm` in
//! `target/wasm32-wasip2/release/` is the component to upload. The logic is plain Rust, so it
//! is unit-tested natively with `cargo test`.
//!
//! Money is [`Decimal`] here; on the wire it is a whole number of 1/10,000 currency units, and
//! the SDK converts both ways (rounding results to 4 decimals, half away from zero). The
//! plugin's configuration arrives in [`Context::config`] as JSON the host has already checked
//! against the plugin's schema; [`Context::config_as`] parses it into your own type.

mod context;
pub mod log;
pub mod money;

pub use context::{Attribute, Context, Customer};
pub use rust_decimal::Decimal;

#[cfg(feature = "approval")]
pub mod approval;
#[cfg(feature = "payment")]
pub mod payment;
#[cfg(feature = "pricing")]
pub mod pricing;
#[cfg(feature = "shipping")]
pub mod shipping;
