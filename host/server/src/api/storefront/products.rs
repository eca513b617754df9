//! Active products: list, search, get.

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::product::{ProductStatus, Sku};
use hanse_store::ProductFilter;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{QueryParams, StoreTenant};
use crate::state::AppState;
use crate::wire::product::{StoreListQuery, StoreProductList, StoreProductOut, page_limit};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_products)).routes(routes!(get_product))
}

/// List and search active products, ordered by SKU.
#[utoipa::path(
    get, path = "/products", tag = "storefront",
    params(StoreListQuery, ("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    responses(
        (status = 200, body = StoreProductList),
        (status = 400, description = "Bad query (`invalid_query`) or no tenant named (`tenant_required`)", body = ErrorBody),
        (status = 403, description = "Tenant suspended (`tenant_suspended`)", body = ErrorBody),
        (status = 404, description = "Unknown tenant (`tenant_not_found`)", body = ErrorBody),
    )
)]
async fn list_products(
    StoreTenant(tenant): StoreTenant,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<StoreListQuery>,
) -> ApiResult<Json<StoreProductList>> {
    let limit = page_limit(query.limit).map_err(|e| ApiError::invalid_query(e.to_string()))?;
    let filter = ProductFilter {
        status: Some(ProductStatus::Active),
        category: query.category,
        text: query.q.filter(|q| !q.trim().is_empty()),
        after_sku: query.cursor,
        limit,
        ..Default::default()
    };
    let page = state.store().products(&tenant.id).list(&filter).await?;
    let currency = tenant.currency.code();
    Ok(Json(StoreProductList {
        items: page.items.iter().map(|p| StoreProductOut::new(p, currency)).collect(),
        next_cursor: page.next_after,
    }))
}

/// Get an active product.
#[utoipa::path(
    get, path = "/products/{sku}", tag = "storefront",
    params(("sku" = String, Path, description = "SKU"), ("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    responses(
        (status = 200, body = StoreProductOut),
        (status = 404, description = "No such active product (`product_not_found`) or tenant (`tenant_not_found`)", body = ErrorBody),
    )
)]
async fn get_product(StoreTenant(tenant): StoreTenant, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<Json<StoreProductOut>> {
    let sku = Sku::parse(&sku).map_err(|_| ApiError::not_found("product"))?;
    let product = state
        .store()
        .products(&tenant.id)
        .get(&sku)
        .await?
        .filter(|p| p.draft.status == ProductStatus::Active)
        .ok_or_else(|| ApiError::not_found("product"))?;
    Ok(Json(StoreProductOut::new(&product, tenant.currency.code())))
}
