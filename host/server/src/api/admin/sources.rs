//! Inventory sources: the warehouses a tenant holds stock in (Magento MSI's sources). What each
//! holds of a SKU is set under `/inventory/{sku}/sources/{code}` (`inventory.rs`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::company::profile::{parse_country, parse_optional_text};
use hanse_domain::inventory::source::{SourceCode, check_priority};
use hanse_domain::tenant::parse_name;
use hanse_store::{NewSource, SourceChange};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::source::{SourceIn, SourceList, SourceOut, SourcePatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_sources, create_source)).routes(routes!(get_source, update_source, delete_source))
}

/// A source code in a path; a malformed one names no source.
pub fn code_in_path(code: &str) -> ApiResult<SourceCode> {
    SourceCode::parse(code).map_err(|_| ApiError::not_found("source"))
}

/// The address fields of a source, each checked into `errors`.
struct Address {
    country: Option<String>,
    region: Option<String>,
    postcode: Option<String>,
}

fn address(country: Option<&str>, region: Option<&str>, postcode: Option<&str>, errors: &mut FieldErrors) -> Address {
    Address {
        country: country.and_then(|c| errors.check("country", parse_country(c))),
        region: region.and_then(|r| errors.check("region", parse_optional_text(r, 100))),
        postcode: postcode.and_then(|p| errors.check("postcode", parse_optional_text(p, 20))),
    }
}

/// The tenant's sources, by priority then code.
#[utoipa::path(
    get, path = "/inventory/sources", tag = "admin",
    responses((status = 200, body = SourceList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_sources(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<SourceList>> {
    let sources = state.store().sources(&tenant.id).list().await?;
    Ok(Json(SourceList { items: sources.iter().map(Into::into).collect() }))
}

/// Create a source: enabled, holding nothing yet. Shipments take from enabled sources in
/// priority order (lower first, ties by code).
#[utoipa::path(
    post, path = "/inventory/sources", tag = "admin",
    request_body = SourceIn,
    responses(
        (status = 201, body = SourceOut),
        (status = 401, body = ErrorBody),
        (status = 409, description = "`already_exists`: the code is taken", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn create_source(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, JsonBody(body): JsonBody<SourceIn>) -> ApiResult<(StatusCode, Json<SourceOut>)> {
    let mut errors = FieldErrors::new();
    let code = errors.check("code", SourceCode::parse(&body.code));
    let name = errors.check("name", parse_name(&body.name, 100));
    let priority = errors.check("priority", check_priority(body.priority.unwrap_or(0)));
    let place = address(body.country.as_deref(), body.region.as_deref(), body.postcode.as_deref(), &mut errors);
    let (code, new) = errors.finish(|| {
        Some((code?, NewSource {
            name: name?,
            priority: priority?,
            country: place.country.unwrap_or_default(),
            region: place.region.unwrap_or_default(),
            postcode: place.postcode.unwrap_or_default(),
        }))
    })?;
    let source = state.store().sources(&tenant.id).create(&code, &new).await?;
    Ok((StatusCode::CREATED, Json((&source).into())))
}

/// One source.
#[utoipa::path(
    get, path = "/inventory/sources/{code}", tag = "admin",
    params(("code" = String, Path, description = "Source code")),
    responses((status = 200, body = SourceOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_source(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<SourceOut>> {
    let source = state.store().sources(&tenant.id).get(&code_in_path(&code)?).await?;
    Ok(Json((&source).into()))
}

/// Change a source's name, priority, address, or whether it is enabled. Disabling a source takes
/// the units it holds out of the stock on hand, and so the salable quantity, of every SKU;
/// enabling it puts them back (with `stock.low` and back-in-stock messages as for a change of
/// stock). Shipments never take from a disabled source.
#[utoipa::path(
    patch, path = "/inventory/sources/{code}", tag = "admin",
    params(("code" = String, Path, description = "Source code")),
    request_body = SourcePatch,
    responses(
        (status = 200, body = SourceOut),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`default_source`: the default source cannot be disabled", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn update_source(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(code): Path<String>,
    JsonBody(body): JsonBody<SourcePatch>,
) -> ApiResult<Json<SourceOut>> {
    let code = code_in_path(&code)?;
    let mut errors = FieldErrors::new();
    let name = body.name.as_deref().and_then(|n| errors.check("name", parse_name(n, 100)));
    let priority = body.priority.and_then(|p| errors.check("priority", check_priority(p)));
    let place = address(body.country.as_deref(), body.region.as_deref(), body.postcode.as_deref(), &mut errors);
    let change = errors.finish(|| {
        Some(SourceChange { name, priority, enabled: body.enabled, country: place.country, region: place.region, postcode: place.postcode })
    })?;
    let source = state.store().sources(&tenant.id).update(&code, &change).await?;
    Ok(Json((&source).into()))
}

/// Delete a source that holds nothing. Shipments keep the code of the source they took from.
#[utoipa::path(
    delete, path = "/inventory/sources/{code}", tag = "admin",
    params(("code" = String, Path, description = "Source code")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`default_source` (the default source cannot be deleted) or `source_not_empty` (it holds units: disable it instead)", body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn delete_source(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<StatusCode> {
    state.store().sources(&tenant.id).delete(&code_in_path(&code)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
