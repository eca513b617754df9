//! The merchant's switches.

use axum::Json;
use axum::extract::State;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::company::{SettingsOut, SettingsPatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, patch_settings))
}

/// The tenant's settings.
#[utoipa::path(
    get, path = "/settings", tag = "admin",
    responses((status = 200, body = SettingsOut), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_settings(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<SettingsOut>> {
    let settings = state.store().tenant_settings(&tenant.id).await?;
    Ok(Json((&settings).into()))
}

/// Change the tenant's settings.
#[utoipa::path(
    patch, path = "/settings", tag = "admin",
    request_body = SettingsPatch,
    responses((status = 200, body = SettingsOut), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn patch_settings(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, JsonBody(body): JsonBody<SettingsPatch>) -> ApiResult<Json<SettingsOut>> {
    let mut settings = state.store().tenant_settings(&tenant.id).await?;
    settings.company_registration = body.company_registration.unwrap_or(settings.company_registration);
    settings.guest_browsing = body.guest_browsing.unwrap_or(settings.guest_browsing);
    state.store().set_tenant_settings(&tenant.id, &settings).await?;
    Ok(Json((&settings).into()))
}
