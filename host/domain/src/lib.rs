//! Hanse's business rules, free of IO: no SQL, no HTTP, no Wasm.
//!
//! Every value that crosses into the system from a user, a file or a plugin is parsed here into a
//! newtype that cannot hold an invalid value (`Sku`, `Price`, `TenantSlug`, ...). The other crates
//! build on these types, so a rule written here holds everywhere.

pub mod category;
pub mod company;
pub mod credit;
pub mod currency;
pub mod error;
pub mod inventory;
pub mod money;
mod named;
pub mod order;
pub mod ordering;
pub mod plugin;
pub mod price_rules;
pub mod product;
pub mod segment;
pub mod tax;
pub mod tenant;
pub mod time;

pub use error::{FieldErrors, ValueError};
