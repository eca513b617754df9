//! The category tree as buyers browse it.

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::category::build_tree;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::StoreTenant;
use crate::state::AppState;
use crate::wire::category::{CategoryOut, CategoryTreeList};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(category_tree)).routes(routes!(get_category))
}

/// The category tree.
#[utoipa::path(
    get, path = "/categories", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    responses((status = 200, body = CategoryTreeList), (status = 404, body = ErrorBody))
)]
async fn category_tree(StoreTenant(tenant): StoreTenant, State(state): State<AppState>) -> ApiResult<Json<CategoryTreeList>> {
    let nodes = state.store().categories(&tenant.id).list().await?;
    Ok(Json(CategoryTreeList { items: build_tree(nodes).iter().map(Into::into).collect() }))
}

/// One category; list its products with `GET /store/v1/products?category={id}`.
#[utoipa::path(
    get, path = "/categories/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Category id"), ("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    responses((status = 200, body = CategoryOut), (status = 404, body = ErrorBody))
)]
async fn get_category(StoreTenant(tenant): StoreTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CategoryOut>> {
    let node = state.store().categories(&tenant.id).get(&id).await?.ok_or_else(|| ApiError::not_found("category"))?;
    Ok(Json((&node).into()))
}
