//! Customer segments: companies grouped by a rule over their facts, recomputed on every change;
//! price-list targets, and passed to pricing plugins.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::segment::Rule;
use hanse_domain::tenant::parse_name;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::catalogs::{CatalogCompaniesOut, SegmentIn, SegmentList, SegmentOut, SegmentPatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_segments, create_segment))
        .routes(routes!(get_segment, update_segment, delete_segment))
        .routes(routes!(segment_companies))
}

fn rule(value: &serde_json::Value) -> ApiResult<Rule> {
    Rule::parse(value).map_err(|(path, e)| ApiError::invalid_field(&path, e))
}

/// Every segment, by name.
#[utoipa::path(
    get, path = "/segments", tag = "admin",
    responses((status = 200, body = SegmentList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_segments(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<SegmentList>> {
    let items = state.store().segments(&tenant.id).list().await?;
    Ok(Json(SegmentList { items: items.iter().map(Into::into).collect() }))
}

/// Create a segment; its members are computed at once.
#[utoipa::path(
    post, path = "/segments", tag = "admin",
    request_body = SegmentIn,
    responses((status = 201, body = SegmentOut), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, description = "A bad rule (`validation_failed`, the field names the path)", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn create_segment(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, JsonBody(body): JsonBody<SegmentIn>) -> ApiResult<(StatusCode, Json<SegmentOut>)> {
    let name = parse_name(&body.name, 255).map_err(|e| ApiError::invalid_field("name", e))?;
    let rule = rule(&body.rule)?;
    let segment = state.store().segments(&tenant.id).create(&name, body.description.as_deref().unwrap_or(""), &rule).await?;
    Ok((StatusCode::CREATED, Json((&segment).into())))
}

/// One segment.
#[utoipa::path(
    get, path = "/segments/{id}", tag = "admin",
    params(("id" = String, Path, description = "Segment id")),
    responses((status = 200, body = SegmentOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_segment(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<SegmentOut>> {
    let segment = state.store().segments(&tenant.id).get(&id).await?.ok_or_else(|| ApiError::not_found("segment"))?;
    Ok(Json((&segment).into()))
}

/// Change a segment; a new rule recomputes its members.
#[utoipa::path(
    patch, path = "/segments/{id}", tag = "admin",
    params(("id" = String, Path, description = "Segment id")),
    request_body = SegmentPatch,
    responses((status = 200, body = SegmentOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn update_segment(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<SegmentPatch>) -> ApiResult<Json<SegmentOut>> {
    let name = body.name.as_deref().map(|n| parse_name(n, 255)).transpose().map_err(|e| ApiError::invalid_field("name", e))?;
    let rule = body.rule.as_ref().map(rule).transpose()?;
    let segment = state.store().segments(&tenant.id).update(&id, name.as_deref(), body.description.as_deref(), rule.as_ref()).await?;
    Ok(Json((&segment).into()))
}

/// Delete a segment; price lists stop targeting it.
#[utoipa::path(
    delete, path = "/segments/{id}", tag = "admin",
    params(("id" = String, Path, description = "Segment id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn delete_segment(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.store().segments(&tenant.id).delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The companies in a segment now.
#[utoipa::path(
    get, path = "/segments/{id}/companies", tag = "admin",
    params(("id" = String, Path, description = "Segment id")),
    responses((status = 200, body = CatalogCompaniesOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn segment_companies(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CatalogCompaniesOut>> {
    let segments = state.store().segments(&tenant.id);
    segments.get(&id).await?.ok_or_else(|| ApiError::not_found("segment"))?;
    Ok(Json(CatalogCompaniesOut { company_ids: segments.companies(&id).await? }))
}
