//! Request extractors: authentication, tenant resolution, and JSON and query parsing with
//! errors in the API's own shape.

mod auth;
mod buyer;
mod json;
mod query;
mod shopper;
mod tenant;

pub use auth::{AdminTenant, Operator};
pub use buyer::SignedIn;
pub use json::{JsonBody, LaterJson, parse as parse_json};
pub use query::QueryParams;
pub use shopper::Shopper;
pub use tenant::StoreTenant;
