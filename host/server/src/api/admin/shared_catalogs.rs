//! Shared catalogs: which products and categories each company may see and buy.

use std::collections::HashSet;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::tenant::parse_name;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody, QueryParams};
use crate::state::AppState;
use crate::wire::catalogs::{
    CatalogCategoriesOut, CatalogCategoriesPut, CatalogCompaniesOut, CatalogCompaniesPut, CatalogProductList, CatalogProductOut,
    CatalogProductsPatch, CatalogProductsPut, PageQuery, SharedCatalogIn, SharedCatalogList, SharedCatalogOut, SharedCatalogPatch,
};

/// Most SKUs one request assigns or removes.
const MAX_SKUS_PER_REQUEST: usize = 100_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_catalogs, create_catalog))
        .routes(routes!(get_catalog, update_catalog, delete_catalog))
        .routes(routes!(list_products, put_products, patch_products))
        .routes(routes!(get_categories, put_categories))
        .routes(routes!(get_companies, put_companies))
}

/// The page size of long listings: default 100, at most 1,000.
pub(super) fn page_size(limit: Option<u32>) -> ApiResult<u32> {
    match limit {
        None => Ok(100),
        Some(n @ 1..=1000) => Ok(n),
        Some(n) => Err(ApiError::invalid_query(format!("limit must be from 1 to 1000, got {n}"))),
    }
}

fn check_sku_count(field: &str, count: usize) -> ApiResult<()> {
    if count > MAX_SKUS_PER_REQUEST {
        return Err(ApiError::invalid_field(field, format!("at most {MAX_SKUS_PER_REQUEST} SKUs per request")));
    }
    Ok(())
}

/// Every shared catalog, the public one first.
#[utoipa::path(
    get, path = "/shared-catalogs", tag = "admin",
    responses((status = 200, body = SharedCatalogList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_catalogs(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<SharedCatalogList>> {
    let items = state.store().shared_catalogs(&tenant.id).list().await?;
    Ok(Json(SharedCatalogList { items: items.iter().map(Into::into).collect() }))
}

/// Create a custom shared catalog (it shows nothing until products or categories are assigned).
#[utoipa::path(
    post, path = "/shared-catalogs", tag = "admin",
    request_body = SharedCatalogIn,
    responses((status = 201, body = SharedCatalogOut), (status = 401, body = ErrorBody), (status = 409, description = "Name taken (`already_exists`)", body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn create_catalog(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, JsonBody(body): JsonBody<SharedCatalogIn>) -> ApiResult<(StatusCode, Json<SharedCatalogOut>)> {
    let name = parse_name(&body.name, 255).map_err(|e| ApiError::invalid_field("name", e))?;
    if let Some(kind) = body.kind.as_deref().filter(|k| *k != "custom") {
        return Err(ApiError::invalid_field("type", format!("only `custom` catalogs can be created (each tenant has one public catalog); got {kind:?}")));
    }
    let catalog = state.store().shared_catalogs(&tenant.id).create(&name, body.description.as_deref().unwrap_or("")).await?;
    Ok((StatusCode::CREATED, Json((&catalog).into())))
}

/// One shared catalog.
#[utoipa::path(
    get, path = "/shared-catalogs/{id}", tag = "admin",
    params(("id" = String, Path, description = "Catalog id (`public` for the public one)")),
    responses((status = 200, body = SharedCatalogOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_catalog(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<SharedCatalogOut>> {
    let catalog = state.store().shared_catalogs(&tenant.id).get(&id).await?.ok_or_else(|| ApiError::not_found("shared catalog"))?;
    Ok(Json((&catalog).into()))
}

/// Rename or redescribe a shared catalog.
#[utoipa::path(
    patch, path = "/shared-catalogs/{id}", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    request_body = SharedCatalogPatch,
    responses((status = 200, body = SharedCatalogOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn update_catalog(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<SharedCatalogPatch>) -> ApiResult<Json<SharedCatalogOut>> {
    let name = body.name.as_deref().map(|n| parse_name(n, 255)).transpose().map_err(|e| ApiError::invalid_field("name", e))?;
    let catalog = state.store().shared_catalogs(&tenant.id).update(&id, name.as_deref(), body.description.as_deref()).await?;
    Ok(Json((&catalog).into()))
}

/// Delete a custom catalog: its companies see the public catalog again, and price lists stop
/// targeting it.
#[utoipa::path(
    delete, path = "/shared-catalogs/{id}", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "The public catalog (`public_catalog`)", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn delete_catalog(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.store().shared_catalogs(&tenant.id).delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The products a catalog assigns directly, by SKU (products shown through categories are not
/// listed here).
#[utoipa::path(
    get, path = "/shared-catalogs/{id}/products", tag = "admin",
    params(("id" = String, Path, description = "Catalog id"), PageQuery),
    responses((status = 200, body = CatalogProductList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_products(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, QueryParams(query): QueryParams<PageQuery>) -> ApiResult<Json<CatalogProductList>> {
    let catalogs = state.store().shared_catalogs(&tenant.id);
    catalogs.get(&id).await?.ok_or_else(|| ApiError::not_found("shared catalog"))?;
    let (items, next_cursor) = catalogs.products(&id, query.cursor.as_deref(), page_size(query.limit)?).await?;
    Ok(Json(CatalogProductList { items: items.into_iter().map(|(sku, purchasable)| CatalogProductOut { sku, purchasable }).collect(), next_cursor }))
}

/// Replace the products a catalog assigns directly. Unknown SKUs refuse the whole request
/// (`unknown_sku`); takes effect on the next storefront request.
#[utoipa::path(
    put, path = "/shared-catalogs/{id}/products", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    request_body = CatalogProductsPut,
    responses((status = 200, body = SharedCatalogOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "`unknown_sku` or a bad body", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn put_products(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<CatalogProductsPut>) -> ApiResult<Json<SharedCatalogOut>> {
    check_sku_count("skus", body.skus.len())?;
    let browse_only: HashSet<String> = body.browse_only.iter().cloned().collect();
    if let Some(stray) = body.browse_only.iter().find(|s| !body.skus.contains(s)) {
        return Err(ApiError::invalid_field("browse_only", format!("{stray} is not among `skus`")));
    }
    let catalog = state.store().shared_catalogs(&tenant.id).change_products(&id, true, &body.skus, &browse_only, &[]).await?;
    Ok(Json((&catalog).into()))
}

/// Assign and unassign products without restating the rest.
#[utoipa::path(
    patch, path = "/shared-catalogs/{id}/products", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    request_body = CatalogProductsPatch,
    responses((status = 200, body = SharedCatalogOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "`unknown_sku` or a bad body", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn patch_products(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<CatalogProductsPatch>) -> ApiResult<Json<SharedCatalogOut>> {
    check_sku_count("add", body.add.len() + body.remove.len())?;
    if let Some(stray) = body.browse_only.iter().find(|s| !body.add.contains(s)) {
        return Err(ApiError::invalid_field("browse_only", format!("{stray} is not among `add`")));
    }
    let browse_only: HashSet<String> = body.browse_only.iter().cloned().collect();
    let catalog = state.store().shared_catalogs(&tenant.id).change_products(&id, false, &body.add, &browse_only, &body.remove).await?;
    Ok(Json((&catalog).into()))
}

/// The categories a catalog assigns.
#[utoipa::path(
    get, path = "/shared-catalogs/{id}/categories", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    responses((status = 200, body = CatalogCategoriesOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_categories(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CatalogCategoriesOut>> {
    let catalogs = state.store().shared_catalogs(&tenant.id);
    catalogs.get(&id).await?.ok_or_else(|| ApiError::not_found("shared catalog"))?;
    Ok(Json(CatalogCategoriesOut { category_ids: catalogs.categories(&id).await? }))
}

/// Replace the categories a catalog assigns: every product in them or below them is shown,
/// including products added to them later.
#[utoipa::path(
    put, path = "/shared-catalogs/{id}/categories", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    request_body = CatalogCategoriesPut,
    responses((status = 200, body = SharedCatalogOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`unknown_category`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn put_categories(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<CatalogCategoriesPut>) -> ApiResult<Json<SharedCatalogOut>> {
    let catalog = state.store().shared_catalogs(&tenant.id).set_categories(&id, &body.category_ids).await?;
    Ok(Json((&catalog).into()))
}

/// The companies that see a catalog.
#[utoipa::path(
    get, path = "/shared-catalogs/{id}/companies", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    responses((status = 200, body = CatalogCompaniesOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_companies(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CatalogCompaniesOut>> {
    let catalogs = state.store().shared_catalogs(&tenant.id);
    catalogs.get(&id).await?.ok_or_else(|| ApiError::not_found("shared catalog"))?;
    Ok(Json(CatalogCompaniesOut { company_ids: catalogs.companies(&id).await? }))
}

/// Set which companies see a custom catalog (a company sees one catalog: named companies move
/// here; the catalog's other companies go back to the public one). For `public`, the named
/// companies leave their custom catalogs.
#[utoipa::path(
    put, path = "/shared-catalogs/{id}/companies", tag = "admin",
    params(("id" = String, Path, description = "Catalog id")),
    request_body = CatalogCompaniesPut,
    responses((status = 200, body = SharedCatalogOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, description = "`unknown_company`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn put_companies(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<CatalogCompaniesPut>) -> ApiResult<Json<SharedCatalogOut>> {
    let catalog = state.store().shared_catalogs(&tenant.id).set_companies(&id, &body.company_ids).await?;
    Ok(Json((&catalog).into()))
}
