//! Products by SKU: create, replace, patch, get, delete, list with filters.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::product::{ProductStatus, Sku};
use hanse_domain::time::Timestamp;
use hanse_store::ProductFilter;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody, QueryParams};
use crate::state::AppState;
use crate::wire::product::{AdminListQuery, ProductBody, ProductList, ProductOut, ProductPatch, page_limit};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_product, list_products))
        .routes(routes!(get_product, replace_product, patch_product, delete_product))
}

/// A SKU from a path: one that cannot exist is simply not found.
pub fn sku_in_path(sku: &str) -> ApiResult<Sku> {
    Sku::parse(sku).map_err(|_| ApiError::not_found("product"))
}

/// Create a product.
#[utoipa::path(
    post, path = "/products", tag = "admin",
    request_body = ProductBody,
    responses(
        (status = 201, body = ProductOut),
        (status = 400, description = "Body is not JSON (`malformed_json`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 409, description = "SKU exists (`already_exists`) or unknown category (`unknown_category`)", body = ErrorBody),
        (status = 422, description = "Invalid field (`validation_failed`, `details.fields` names each)", body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn create_product(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<ProductBody>,
) -> ApiResult<(StatusCode, Json<ProductOut>)> {
    let sku = body.sku.clone().ok_or_else(|| ApiError::invalid_field("sku", "is required"))?;
    let (draft, quantity) = body.parse(&sku)?;
    let categories = body.categories.clone().unwrap_or_default();
    let product = state.store().products(&tenant.id).create(&draft, &categories, quantity).await?;
    Ok((StatusCode::CREATED, Json((&product).into())))
}

/// Create or replace the product at this SKU (idempotent).
#[utoipa::path(
    put, path = "/products/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    request_body = ProductBody,
    responses(
        (status = 200, description = "Replaced", body = ProductOut),
        (status = 201, description = "Created", body = ProductOut),
        (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn replace_product(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(sku): Path<String>,
    JsonBody(body): JsonBody<ProductBody>,
) -> ApiResult<(StatusCode, Json<ProductOut>)> {
    if body.sku.as_ref().is_some_and(|s| *s != sku) {
        return Err(ApiError::invalid_field("sku", "must match the SKU in the path"));
    }
    let (draft, quantity) = body.parse(&sku)?;
    let (product, created) =
        state.store().products(&tenant.id).save(&draft, body.categories.as_deref(), quantity, true).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json((&product).into())))
}

/// Change some fields of a product.
#[utoipa::path(
    patch, path = "/products/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    request_body = ProductPatch,
    responses((status = 200, body = ProductOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn patch_product(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(sku): Path<String>,
    JsonBody(patch): JsonBody<ProductPatch>,
) -> ApiResult<Json<ProductOut>> {
    let products = state.store().products(&tenant.id);
    let current = products.get(&sku_in_path(&sku)?).await?.ok_or_else(|| ApiError::not_found("product"))?;
    let (draft, quantity) = patch.apply(&current.draft)?;
    let (product, _) = products.save(&draft, patch.categories.as_deref(), quantity, false).await?;
    Ok(Json((&product).into()))
}

/// Get a product.
#[utoipa::path(
    get, path = "/products/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    responses((status = 200, body = ProductOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_product(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<Json<ProductOut>> {
    let product = state.store().products(&tenant.id).get(&sku_in_path(&sku)?).await?.ok_or_else(|| ApiError::not_found("product"))?;
    Ok(Json((&product).into()))
}

/// Delete a product with its category assignments and stock.
///
/// What every source holds of it, its reservation ledger and its back-in-stock subscriptions go
/// too. Orders keep their lines; shipping, canceling or refunding them later moves no stock of it.
#[utoipa::path(
    delete, path = "/products/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn delete_product(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<StatusCode> {
    state.store().products(&tenant.id).delete(&sku_in_path(&sku)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// List products, ordered by SKU, a page at a time.
#[utoipa::path(
    get, path = "/products", tag = "admin",
    params(AdminListQuery),
    responses((status = 200, body = ProductList), (status = 400, description = "Bad query (`invalid_query`)", body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_products(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<AdminListQuery>,
) -> ApiResult<Json<ProductList>> {
    let filter = admin_filter(query)?;
    let page = state.store().products(&tenant.id).list(&filter).await?;
    Ok(Json(ProductList { items: page.items.iter().map(Into::into).collect(), next_cursor: page.next_after }))
}

fn admin_filter(query: AdminListQuery) -> ApiResult<ProductFilter> {
    let mut errors = FieldErrors::new();
    let limit = errors.check("limit", page_limit(query.limit));
    let status = errors.check("status", query.status.as_deref().map(ProductStatus::parse).transpose());
    let updated_since = errors.check("updated_since", query.updated_since.as_deref().map(Timestamp::parse_rfc3339).transpose());
    if !errors.is_empty() {
        return Err(ApiError::invalid_query(errors.to_string()));
    }
    Ok(ProductFilter {
        sku_prefix: query.sku_prefix,
        category: query.category,
        status: status.flatten(),
        updated_since: updated_since.flatten(),
        text: query.q.filter(|q| !q.trim().is_empty()),
        catalog: None,
        after_sku: query.cursor,
        limit: limit.unwrap_or(50),
    })
}
