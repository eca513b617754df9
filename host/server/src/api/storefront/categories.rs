//! The category tree as visitors browse it: the categories of the visitor's shared catalog
//! (guests: the public one). A category the catalog does not show answers like one that does
//! not exist.

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::category::build_tree;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::Shopper;
use crate::state::AppState;
use crate::wire::category::{CategoryOut, CategoryTreeList};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(category_tree)).routes(routes!(get_category))
}

/// The category tree of the visitor's catalog: the categories assigned to it and everything
/// below them, the categories of the products it shows, and their ancestors.
#[utoipa::path(
    get, path = "/categories", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    responses((status = 200, body = CategoryTreeList), (status = 401, description = "`sign_in_required` (no guest browsing)", body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn category_tree(shopper: Shopper, State(state): State<AppState>) -> ApiResult<Json<CategoryTreeList>> {
    let nodes = state.store().categories(&shopper.tenant.id).shown_by(&shopper.audience.catalog).await?;
    Ok(Json(CategoryTreeList { items: build_tree(nodes).iter().map(Into::into).collect() }))
}

/// One category of the visitor's catalog; list its products with
/// `GET /store/v1/products?category={id}`.
#[utoipa::path(
    get, path = "/categories/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Category id"), ("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    responses((status = 200, body = CategoryOut), (status = 401, description = "`sign_in_required` (no guest browsing)", body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_category(shopper: Shopper, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CategoryOut>> {
    let shown = state.store().categories(&shopper.tenant.id).shown_by(&shopper.audience.catalog).await?;
    let node = shown.iter().find(|node| node.id == id).ok_or_else(|| ApiError::not_found("category"))?;
    Ok(Json(node.into()))
}
