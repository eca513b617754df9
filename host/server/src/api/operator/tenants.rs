//! Tenants: create, list, get, suspend, resume.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::currency::Currency;
use hanse_domain::tenant::{Domain, TenantSlug, TenantStatus, parse_name};
use hanse_store::{NewTenant, Tenant};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, Operator};
use crate::plugins::limits::{EffectiveLimits, PluginLimits};
use crate::state::AppState;
use crate::wire::tenant::{TenantCreate, TenantCreated, TenantList, TenantOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_tenant, list_tenants))
        .routes(routes!(get_tenant))
        .routes(routes!(suspend_tenant))
        .routes(routes!(resume_tenant))
        .routes(routes!(get_plugin_limits, set_plugin_limits))
}

/// Parses a slug from a path: one that cannot exist is simply not found.
pub(super) fn slug_in_path(slug: &str) -> ApiResult<TenantSlug> {
    TenantSlug::parse(slug).map_err(|_| ApiError::not_found("tenant"))
}

/// Create a tenant, with its first admin token.
#[utoipa::path(
    post, path = "/tenants", tag = "operator",
    request_body = TenantCreate,
    responses(
        (status = 201, description = "Created; the admin token is shown only now", body = TenantCreated),
        (status = 401, description = "No or wrong operator token", body = ErrorBody),
        (status = 409, description = "Slug or domain taken (`already_exists`)", body = ErrorBody),
        (status = 422, description = "Invalid field (`validation_failed`)", body = ErrorBody),
    ),
    security(("operator_token" = []))
)]
async fn create_tenant(
    _: Operator,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<TenantCreate>,
) -> ApiResult<(StatusCode, Json<TenantCreated>)> {
    let mut errors = FieldErrors::new();
    let slug = errors.check("slug", TenantSlug::parse(&body.slug));
    let name = errors.check("name", parse_name(&body.name, 200));
    let currency = errors.check("currency", Currency::parse(&body.currency));
    let domains: Vec<Option<Domain>> =
        body.domains.iter().enumerate().map(|(i, d)| errors.check(&format!("domains[{i}]"), Domain::parse(d))).collect();
    let new = errors.finish(|| {
        Some(NewTenant { slug: slug?, name: name?, currency: currency?, domains: domains.into_iter().collect::<Option<_>>()? })
    })?;
    let store = state.store();
    let tenant = store.tenants().create(&new).await?;
    let (token, secret) = store.admin_tokens(&tenant.id).issue("initial").await?;
    tracing::info!(tenant = %tenant.slug, "tenant created");
    Ok((
        StatusCode::CREATED,
        Json(TenantCreated { tenant: TenantOut::new(&tenant, new.domains.iter().map(|d| d.as_str().to_owned()).collect()), admin_token: secret.expose().to_owned(), admin_token_id: token.id }),
    ))
}

/// List all tenants.
#[utoipa::path(
    get, path = "/tenants", tag = "operator",
    responses((status = 200, body = TenantList), (status = 401, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn list_tenants(_: Operator, State(state): State<AppState>) -> ApiResult<Json<TenantList>> {
    let tenants = state.store().tenants();
    let mut domains = tenants.all_domains().await?;
    let items = tenants.list().await?.iter().map(|t| TenantOut::new(t, domains.remove(&t.id).unwrap_or_default())).collect();
    Ok(Json(TenantList { items }))
}

/// Get a tenant.
#[utoipa::path(
    get, path = "/tenants/{slug}", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug")),
    responses((status = 200, body = TenantOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn get_tenant(_: Operator, State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<TenantOut>> {
    let tenant = state.store().tenants().get_by_slug(&slug_in_path(&slug)?).await?.ok_or_else(|| ApiError::not_found("tenant"))?;
    tenant_out(&state, &tenant).await
}

/// Suspend a tenant: its admin and storefront APIs answer 403 `tenant_suspended`; data is kept.
#[utoipa::path(
    post, path = "/tenants/{slug}/suspend", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug")),
    responses((status = 200, body = TenantOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn suspend_tenant(_: Operator, State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<TenantOut>> {
    let tenant = state.store().tenants().set_status(&slug_in_path(&slug)?, TenantStatus::Suspended).await?;
    tracing::info!(tenant = %tenant.slug, "tenant suspended");
    tenant_out(&state, &tenant).await
}

/// Resume a suspended tenant.
#[utoipa::path(
    post, path = "/tenants/{slug}/resume", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug")),
    responses((status = 200, body = TenantOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn resume_tenant(_: Operator, State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<TenantOut>> {
    let tenant = state.store().tenants().set_status(&slug_in_path(&slug)?, TenantStatus::Active).await?;
    tracing::info!(tenant = %tenant.slug, "tenant resumed");
    tenant_out(&state, &tenant).await
}

/// The plugin limits in force for a tenant.
#[utoipa::path(
    get, path = "/tenants/{slug}/plugin-limits", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug")),
    responses((status = 200, body = EffectiveLimits), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn get_plugin_limits(_: Operator, State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<EffectiveLimits>> {
    let tenant = state.store().tenants().get_by_slug(&slug_in_path(&slug)?).await?.ok_or_else(|| ApiError::not_found("tenant"))?;
    Ok(Json(PluginLimits::of(&tenant).effective()))
}

/// Set a tenant's plugin limits (its plan). Absent fields keep the defaults; `{}` restores all
/// defaults. Takes effect on the tenant's next plugin call.
#[utoipa::path(
    put, path = "/tenants/{slug}/plugin-limits", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug")),
    request_body = PluginLimits,
    responses((status = 200, body = EffectiveLimits), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn set_plugin_limits(
    _: Operator,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    JsonBody(limits): JsonBody<PluginLimits>,
) -> ApiResult<Json<EffectiveLimits>> {
    limits.check()?;
    let stored = (limits != PluginLimits::default()).then(|| serde_json::to_string(&limits)).transpose().map_err(ApiError::internal)?;
    let tenant = state.store().tenants().set_plugin_limits(&slug_in_path(&slug)?, stored.as_deref()).await?;
    tracing::info!(tenant = %tenant.slug, "plugin limits set");
    Ok(Json(PluginLimits::of(&tenant).effective()))
}

async fn tenant_out(state: &AppState, tenant: &Tenant) -> ApiResult<Json<TenantOut>> {
    let domains = state.store().tenants().domains(&tenant.id).await?;
    Ok(Json(TenantOut::new(tenant, domains)))
}
