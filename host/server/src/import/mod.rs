//! Bulk imports shared by the CLI and the admin API.

pub mod products;
