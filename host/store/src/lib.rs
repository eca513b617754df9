//! Hanse persistence on SQLite (the embedded default) and PostgreSQL, from one set of queries.
//!
//! Queries go through sqlx's `Any` driver with `$n` parameters and a deliberately small type
//! vocabulary (BIGINT, TEXT), so the same SQL runs on both backends; the few places that must
//! differ ask [`Backend`]. Repositories that touch tenant-owned rows are only reachable through
//! a [`TenantId`], which only this crate can make from a row it read: no query runs without a
//! tenant.

mod audit;
mod buyers;
mod carts;
mod categories;
mod companies;
mod company_addresses;
mod company_roles;
mod company_structure;
mod company_users;
mod credit;
mod customer_groups;
mod db;
mod error;
mod ids;
mod orders;
mod outbox;
mod plugins;
mod price_lists;
mod products;
mod rows;
mod requisition_lists;
mod secrets;
mod sessions;
mod segments;
mod settings;
mod shared_catalogs;
mod sources;
mod sql;
mod stock;
mod tax_rates;
mod tenant_settings;
mod tenants;
mod tokens;
mod write_lane;

#[cfg(feature = "testing")]
pub mod testing;

pub use audit::AuditEntry;
pub use buyers::{Buyer, BuyerSession, Buyers, Membership, SessionAccount};
pub use carts::{Cart, CartItem};
pub use categories::{CategoryChange, Categories};
pub use company_addresses::{AddressInput, CompanyAddress, CompanyAddresses};
pub use company_roles::{CompanyRole, CompanyRoles};
pub use company_structure::{CompanyStructure, NodeKind, StructureNode};
pub use company_users::{CompanyUser, CompanyUserChange, CompanyUsers};
pub use companies::{Address, Companies, Company, CompanyChange, CompanyFilter, CompanyProfile, CompanySettings, NewBuyer, NewCompany};
pub use customer_groups::{CustomerGroup, CustomerGroups};
pub use db::{Backend, ConnectOptions, Store};
pub use error::StoreError;
pub use ids::now;
pub use outbox::OutboxMessage;
pub use plugins::{Captured, EXECUTIONS_KEPT, ExecutionRecord, InstallChange, Installs, PluginInstall, PluginPackage, Registry};
pub use price_lists::{Audience, EntriesOutcome, Entry as PriceListEntry, PriceList, PriceLists, Targets};
pub use products::{ImportOutcome, ImportRow, KeepFields, Product, ProductFilter, ProductPage, Products};
pub use secrets::{Secret, hash_secret};
pub use sessions::{SessionAt, TenantKey};
pub use requisition_lists::{ListItem, MAX_LISTS_PER_OWNER, RequisitionList, RequisitionLists};
pub use segments::{Segment, Segments};
pub use settings::Settings;
pub use shared_catalogs::{Access, PUBLIC_CATALOG, SharedCatalog, SharedCatalogs};
pub use sources::{InventorySource, NewSource, SourceChange, Sources};
pub use stock::{Drift, DriftKind, OutOfStock, Reservation, SourceQuantity, Stock, StockRecord, StockRowOutcome, StockUpdate};
pub use tax_rates::TaxRates;
pub use orders::{
    Begun, CreditMemo, CreditMemoLine, Invoice, NewLine, NewOrder, Order, OrderAddress, OrderDetail, OrderFilter, OrderLine, Orders, PaymentOutcome, Placing, RefundInput,
    Refusal, ShipLine, Shipment, ShipmentInput, ShipmentSource, StatusChange,
};
pub use credit::{CompanyCredit, CreditAccount, CreditChange, CreditDrift, CreditEntry, CreditNote};
pub use tenant_settings::TenantSettings;
pub use tenants::{NewTenant, Tenant, TenantId, Tenants};
pub use tokens::{AdminToken, AdminTokens};

/// Result of a store call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
