//! The storefront catalog: the products the visitor's shared catalog shows, at the visitor's
//! prices. A product the catalog hides answers exactly like one that does not exist.

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::product::{ProductStatus, Sku};
use hanse_store::{Access, Product, ProductFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{QueryParams, Shopper};
use crate::plugins::pricing::price_products;
use crate::state::AppState;
use crate::wire::product::{StoreListQuery, StoreProductList, StoreProductOut, page_limit};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_products)).routes(routes!(get_product))
}

/// Prices `products` (all shown to the shopper) at their minimum sale quantity and writes them
/// for the wire.
async fn priced(state: &AppState, shopper: &Shopper, products: &[Product]) -> ApiResult<Vec<StoreProductOut>> {
    let skus: Vec<&str> = products.iter().map(|p| p.draft.sku.as_str()).collect();
    let access = state.store().shared_catalogs(&shopper.tenant.id).access(&shopper.audience.catalog, &skus).await?;
    let lines: Vec<(&Product, i64)> = products.iter().map(|p| (p, p.draft.sale.min)).collect();
    let priced = price_products(state.plugins(), state.store(), &shopper.tenant, &shopper.audience, &lines).await?;
    let currency = shopper.tenant.currency.code();
    Ok(products
        .iter()
        .zip(&priced)
        .map(|(p, line)| StoreProductOut::new(p, access.get(p.draft.sku.as_str()) == Some(&Access::Buy), line, currency))
        .collect())
}

/// List and search the products the visitor's catalog shows, ordered by SKU, each at the
/// visitor's price with its explanation. Guests see the public catalog at public prices.
#[utoipa::path(
    get, path = "/products", tag = "storefront",
    params(StoreListQuery, ("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    security((), ("buyer_session" = [])),
    responses(
        (status = 200, body = StoreProductList),
        (status = 400, description = "Bad query (`invalid_query`) or no tenant named (`tenant_required`)", body = ErrorBody),
        (status = 401, description = "Guest browsing is off (`sign_in_required`) or the session is not valid", body = ErrorBody),
        (status = 403, description = "Tenant suspended (`tenant_suspended`)", body = ErrorBody),
        (status = 404, description = "Unknown tenant (`tenant_not_found`)", body = ErrorBody),
        (status = 503, description = "A pricing plugin failed (`pricing_plugin_failed`)", body = ErrorBody),
    )
)]
async fn list_products(shopper: Shopper, State(state): State<AppState>, QueryParams(query): QueryParams<StoreListQuery>) -> ApiResult<Json<StoreProductList>> {
    let limit = page_limit(query.limit).map_err(|e| ApiError::invalid_query(e.to_string()))?;
    let filter = ProductFilter {
        status: Some(ProductStatus::Active),
        category: query.category,
        text: query.q.filter(|q| !q.trim().is_empty()),
        catalog: Some(shopper.audience.catalog.clone()),
        after_sku: query.cursor,
        limit,
        ..Default::default()
    };
    let page = state.store().products(&shopper.tenant.id).list(&filter).await?;
    Ok(Json(StoreProductList { items: priced(&state, &shopper, &page.items).await?, next_cursor: page.next_after }))
}

/// One product the visitor's catalog shows, at the visitor's price; 404 when it is hidden,
/// disabled or does not exist (the three answer alike).
#[utoipa::path(
    get, path = "/products/{sku}", tag = "storefront",
    params(("sku" = String, Path, description = "SKU"), ("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    security((), ("buyer_session" = [])),
    responses(
        (status = 200, body = StoreProductOut),
        (status = 401, description = "Guest browsing is off (`sign_in_required`) or the session is not valid", body = ErrorBody),
        (status = 404, description = "No such product for this visitor (`product_not_found`) or tenant (`tenant_not_found`)", body = ErrorBody),
        (status = 503, description = "A pricing plugin failed (`pricing_plugin_failed`)", body = ErrorBody),
    )
)]
async fn get_product(shopper: Shopper, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<Json<StoreProductOut>> {
    let sku = Sku::parse(&sku).map_err(|_| ApiError::not_found("product"))?;
    let shown = state.store().shared_catalogs(&shopper.tenant.id).access(&shopper.audience.catalog, &[sku.as_str()]).await?;
    let product = state
        .store()
        .products(&shopper.tenant.id)
        .get(&sku)
        .await?
        .filter(|p| p.draft.status == ProductStatus::Active && shown.contains_key(sku.as_str()))
        .ok_or_else(|| ApiError::not_found("product"))?;
    let mut items = priced(&state, &shopper, std::slice::from_ref(&product)).await?;
    items.pop().map(Json).ok_or_else(|| ApiError::internal("pricing returned no line"))
}
