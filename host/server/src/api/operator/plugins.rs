//! The platform plugin registry.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::packages::{MAX_COMPONENT_BYTES, publish};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Operator;
use crate::state::AppState;
use crate::wire::plugin::{PackageList, PackageOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(upload_package, list_packages))
        .layer(DefaultBodyLimit::max(MAX_COMPONENT_BYTES + 1024 * 1024))
}

/// Every package in the platform registry (first-party plugins included), newest version first.
#[utoipa::path(
    get, path = "/plugins", tag = "operator",
    responses((status = 200, body = PackageList), (status = 401, body = ErrorBody)),
    security(("operator_token" = []))
)]
async fn list_packages(_: Operator, State(state): State<AppState>) -> ApiResult<Json<PackageList>> {
    let packages = state.store().registry().list(None).await?;
    Ok(Json(PackageList { items: packages.iter().map(Into::into).collect() }))
}

/// Upload a package to the platform registry: `multipart/form-data` with a `manifest` part
/// (JSON: `id`, `version`, `kind`, `wit`, `description`, `config_schema`) and a `component` part
/// (the `.wasm` bytes). The component must export the manifest's world and import nothing but
/// what Hanse offers.
#[utoipa::path(
    post, path = "/plugins", tag = "operator",
    request_body(content_type = "multipart/form-data", description = "Parts `manifest` and `component`"),
    responses(
        (status = 201, body = PackageOut),
        (status = 400, description = "Malformed upload (`invalid_upload`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 409, description = "That version exists with other contents (`already_exists`)", body = ErrorBody),
        (status = 422, description = "Bad manifest (`validation_failed`) or component (`invalid_component`)", body = ErrorBody),
    ),
    security(("operator_token" = []))
)]
async fn upload_package(_: Operator, State(state): State<AppState>, multipart: Multipart) -> ApiResult<(StatusCode, Json<PackageOut>)> {
    let package = publish(&state, multipart, None).await?;
    tracing::info!(plugin = %package.id, version = %package.version, "plugin published");
    Ok((StatusCode::CREATED, Json((&package).into())))
}
