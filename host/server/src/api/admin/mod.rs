//! `/admin/v1`: the merchant's API (tenant admin token).

mod categories;
mod companies;
mod credit;
mod customer_groups;
mod import;
mod inventory;
mod orders;
mod plugins;
mod price_lists;
mod products;
mod segments;
mod settings;
mod shared_catalogs;
mod sources;
mod tax_rates;

pub use companies::AUDIT_LIMIT;
pub use credit::history_page;
pub use orders::order_page;
pub use products::sku_in_path;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes under `/admin/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(products::router())
        .merge(import::router())
        .merge(categories::router())
        .merge(inventory::router())
        .merge(sources::router())
        .merge(plugins::router())
        .merge(customer_groups::router())
        .merge(companies::router())
        .merge(settings::router())
        .merge(shared_catalogs::router())
        .merge(price_lists::router())
        .merge(segments::router())
        .merge(credit::router())
        .merge(orders::router())
        .merge(tax_rates::router())
}
