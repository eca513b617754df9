//! Stock on hand per SKU.

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::product::StockQuantity;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::products::sku_in_path;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::product::{StockOut, StockSet};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_stock, set_stock))
}

/// Stock on hand for a SKU.
#[utoipa::path(
    get, path = "/inventory/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    responses((status = 200, body = StockOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_stock(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<Json<StockOut>> {
    let sku = sku_in_path(&sku)?;
    let quantity = state.store().stock(&tenant.id).get(&sku).await?;
    Ok(Json(StockOut { sku: sku.to_string(), quantity }))
}

/// Set stock on hand for a SKU.
#[utoipa::path(
    put, path = "/inventory/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    request_body = StockSet,
    responses((status = 200, body = StockOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn set_stock(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(sku): Path<String>,
    JsonBody(body): JsonBody<StockSet>,
) -> ApiResult<Json<StockOut>> {
    let sku = sku_in_path(&sku)?;
    let quantity = StockQuantity::new(body.quantity).map_err(|e| ApiError::invalid_field("quantity", e))?;
    state.store().stock(&tenant.id).set(&sku, quantity).await?;
    Ok(Json(StockOut { sku: sku.to_string(), quantity: quantity.get() }))
}
