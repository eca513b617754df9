//! Tenant admin tokens: issue (shown once), list, revoke.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::tenant::parse_name;
use hanse_store::Tenant;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tenants::slug_in_path;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, Operator};
use crate::state::AppState;
use crate::wire::tenant::{TokenCreate, TokenIssued, TokenList};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(issue_token, list_tokens)).routes(routes!(revoke_token))
}

async fn tenant(state: &AppState, slug: &str) -> ApiResult<Tenant> {
    state.store().tenants().get_by_slug(&slug_in_path(slug)?).await?.ok_or_else(|| ApiError::not_found("tenant"))
}

/// Issue a new admin token for a tenant. The secret is in this answer only.
#[utoipa::path(
    post, path = "/tenants/{slug}/tokens", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug")),
    request_body = TokenCreate,
    responses((status = 201, body = TokenIssued), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn issue_token(
    _: Operator,
    State(state): State<AppState>,
    Path(slug): Path<String>,
    JsonBody(body): JsonBody<TokenCreate>,
) -> ApiResult<(StatusCode, Json<TokenIssued>)> {
    let tenant = tenant(&state, &slug).await?;
    let label = match body.label.as_deref() {
        Some(label) => parse_name(label, 100).map_err(|e| ApiError::invalid_field("label", e))?,
        None => "unnamed".to_owned(),
    };
    let (token, secret) = state.store().admin_tokens(&tenant.id).issue(&label).await?;
    tracing::info!(tenant = %tenant.slug, token = %token.id, "admin token issued");
    Ok((StatusCode::CREATED, Json(TokenIssued { record: (&token).into(), token: secret.expose().to_owned() })))
}

/// List a tenant's admin tokens (never their secrets).
#[utoipa::path(
    get, path = "/tenants/{slug}/tokens", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug")),
    responses((status = 200, body = TokenList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn list_tokens(_: Operator, State(state): State<AppState>, Path(slug): Path<String>) -> ApiResult<Json<TokenList>> {
    let tenant = tenant(&state, &slug).await?;
    let tokens = state.store().admin_tokens(&tenant.id).list().await?;
    Ok(Json(TokenList { items: tokens.iter().map(Into::into).collect() }))
}

/// Revoke an admin token; it stops working at once.
#[utoipa::path(
    delete, path = "/tenants/{slug}/tokens/{id}", tag = "operator",
    params(("slug" = String, Path, description = "Tenant slug"), ("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn revoke_token(
    _: Operator,
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let tenant = tenant(&state, &slug).await?;
    state.store().admin_tokens(&tenant.id).revoke(&id).await?;
    tracing::info!(tenant = %tenant.slug, token = %id, "admin token revoked");
    Ok(StatusCode::NO_CONTENT)
}
