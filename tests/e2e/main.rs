//! End-to-end tests: the real `hanse` binary, a fresh database per test, HTTP only.
//!
//! They run on SQLite, or on PostgreSQL when `HANSE_TEST_POSTGRES_URL` is set.

mod buyers;
mod catalog;
mod checkout;
mod checkout_failures;
mod companies;
mod harness;
mod import;
mod isolation;
mod operator;
mod outside;
mod pricing;
mod quick_order;
mod refunds;
mod requisition_lists;
mod sources;
mod platform;
mod plugin_cli;
mod plugins;
mod price_lists;
