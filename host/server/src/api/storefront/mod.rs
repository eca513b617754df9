//! `/store/v1`: the buyers' API. The tenant comes from `X-Tenant` or the host name.

mod auth;
mod cart;
mod categories;
mod checkout;
mod company;
mod company_profile;
mod credit;

pub use company::{ADMIN_ONLY, PERMISSIONS, update_company_user};
mod price;
mod products;
mod orders;
mod quick_order;
mod registration;
mod requisition_lists;
mod stock_alerts;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes under `/store/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(products::router()).merge(categories::router()).merge(price::router()).merge(auth::router()).merge(company::router()).merge(company_profile::router()).merge(registration::router()).merge(cart::router()).merge(quick_order::router()).merge(requisition_lists::router()).merge(checkout::router()).merge(orders::router()).merge(credit::router()).merge(stock_alerts::router())
}
