//! The merchant's plugins: install from the registry, configure, enable, order, activate
//! another version, roll back, uninstall; executions; private packages.

use axum::Json;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use hanse_domain::plugin::{Capture, PluginId, Version};
use hanse_store::{InstallChange, PluginPackage, Tenant};
use serde_json::Value;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::packages::{MAX_COMPONENT_BYTES, publish};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::plugins::manifest::{check_config, schema_of};
use crate::state::AppState;
use crate::wire::plugin::{ActivateIn, ExecutionDetail, ExecutionList, InstallIn, InstallList, InstallOut, InstallPatch, PackageList, PackageOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(install_plugin, list_installs))
        .routes(routes!(get_install, patch_install, uninstall))
        .routes(routes!(activate))
        .routes(routes!(rollback))
        .routes(routes!(executions))
        .routes(routes!(execution))
        .routes(routes!(upload_private, list_packages))
        .layer(DefaultBodyLimit::max(MAX_COMPONENT_BYTES + 1024 * 1024))
}

fn id_in_path(id: &str) -> ApiResult<PluginId> {
    PluginId::parse(id).map_err(|_| ApiError::not_found("plugin"))
}

/// The package `id` at `version` (or the newest release) visible to `tenant`, checking `config`
/// against its schema. Answers the config actually stored (`{}` when none was given).
async fn package_with_config(
    state: &AppState,
    tenant: &Tenant,
    id: &PluginId,
    version: Option<&Version>,
    config: Option<&Value>,
) -> ApiResult<(PluginPackage, String)> {
    let package = state
        .store()
        .registry()
        .find(&tenant.id, id, version)
        .await?
        .ok_or_else(|| ApiError::not_found("plugin"))?;
    let config = config.cloned().unwrap_or_else(|| Value::Object(Default::default()));
    check_config(&schema_of(&package.manifest), &config)?;
    // Prepared now, so a package that cannot run is refused here rather than at checkout.
    state.plugins().prepare(state.store(), &package).await?;
    Ok((package, config.to_string()))
}

/// Install a plugin from the registry (or a private package), enabled, after the tenant's
/// other plugins of its kind.
#[utoipa::path(
    post, path = "/plugins", tag = "admin",
    request_body = InstallIn,
    responses(
        (status = 201, body = InstallOut),
        (status = 401, body = ErrorBody),
        (status = 404, description = "No such plugin or version (`plugin_not_found`)", body = ErrorBody),
        (status = 409, description = "Already installed (`already_exists`)", body = ErrorBody),
        (status = 422, description = "Config breaks the schema (`validation_failed`, fields `config.<path>`)", body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn install_plugin(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<InstallIn>,
) -> ApiResult<(StatusCode, Json<InstallOut>)> {
    let id = PluginId::parse(&body.plugin).map_err(|e| ApiError::invalid_field("plugin", e))?;
    let version = body.version.as_deref().map(Version::parse).transpose().map_err(|e| ApiError::invalid_field("version", e))?;
    let (package, config) = package_with_config(&state, &tenant, &id, version.as_ref(), body.config.as_ref()).await?;
    let install = state.store().installs(&tenant.id).install(&package, &config).await?;
    tracing::info!(tenant = %tenant.slug, plugin = %id, version = %install.version, "plugin installed");
    Ok((StatusCode::CREATED, Json((&install).into())))
}

/// The tenant's plugins, by kind and position.
#[utoipa::path(
    get, path = "/plugins", tag = "admin",
    responses((status = 200, body = InstallList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_installs(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<InstallList>> {
    let installs = state.store().installs(&tenant.id).list().await?;
    Ok(Json(InstallList { items: installs.iter().map(Into::into).collect() }))
}

/// One installed plugin.
#[utoipa::path(
    get, path = "/plugins/{id}", tag = "admin",
    params(("id" = String, Path, description = "Plugin id")),
    responses((status = 200, body = InstallOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_install(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<InstallOut>> {
    let install = state.store().installs(&tenant.id).get(&id_in_path(&id)?).await?.ok_or_else(|| ApiError::not_found("plugin"))?;
    Ok(Json((&install).into()))
}

/// Change the configuration, enable or disable, reorder, or choose which calls keep their
/// input for replay (`capture`: `off`, `failures`, `all`).
#[utoipa::path(
    patch, path = "/plugins/{id}", tag = "admin",
    params(("id" = String, Path, description = "Plugin id")),
    request_body = InstallPatch,
    responses((status = 200, body = InstallOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn patch_install(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<InstallPatch>,
) -> ApiResult<Json<InstallOut>> {
    let id = id_in_path(&id)?;
    let installs = state.store().installs(&tenant.id);
    let current = installs.get(&id).await?.ok_or_else(|| ApiError::not_found("plugin"))?;
    let config = match &body.config {
        Some(config) => {
            let (_, config) = package_with_config(&state, &tenant, &id, Some(&current.version), Some(config)).await?;
            Some(config)
        }
        None => None,
    };
    let capture = body.capture.as_deref().map(Capture::parse).transpose().map_err(|e| ApiError::invalid_field("capture", e))?;
    let install = installs.update(&id, &InstallChange { config, enabled: body.enabled, position: body.position, capture }).await?;
    Ok(Json((&install).into()))
}

/// Uninstall a plugin; its execution records stay.
#[utoipa::path(
    delete, path = "/plugins/{id}", tag = "admin",
    params(("id" = String, Path, description = "Plugin id")),
    responses((status = 204, description = "Uninstalled"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn uninstall(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.store().installs(&tenant.id).uninstall(&id_in_path(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Make another version active, atomically: calls already running finish on the old one.
#[utoipa::path(
    post, path = "/plugins/{id}/activate", tag = "admin",
    params(("id" = String, Path, description = "Plugin id")),
    request_body = ActivateIn,
    responses((status = 200, body = InstallOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn activate(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ActivateIn>,
) -> ApiResult<Json<InstallOut>> {
    let id = id_in_path(&id)?;
    let version = Version::parse(&body.version).map_err(|e| ApiError::invalid_field("version", e))?;
    let installs = state.store().installs(&tenant.id);
    let current = installs.get(&id).await?.ok_or_else(|| ApiError::not_found("plugin"))?;
    let current_config: Value = serde_json::from_str(&current.config).unwrap_or(Value::Null);
    let config = body.config.as_ref().unwrap_or(&current_config);
    let (package, config) = package_with_config(&state, &tenant, &id, Some(&version), Some(config)).await?;
    let install = installs.activate(&package, &config).await?;
    tracing::info!(tenant = %tenant.slug, plugin = %id, version = %install.version, "plugin version activated");
    Ok(Json((&install).into()))
}

/// Return to the previous version and its configuration.
#[utoipa::path(
    post, path = "/plugins/{id}/rollback", tag = "admin",
    params(("id" = String, Path, description = "Plugin id")),
    responses((status = 200, body = InstallOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Nothing to roll back to (`no_previous_version`)", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn rollback(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<InstallOut>> {
    let install = state.store().installs(&tenant.id).rollback(&id_in_path(&id)?).await?;
    tracing::info!(tenant = %tenant.slug, plugin = %install.plugin_id, version = %install.version, "plugin rolled back");
    Ok(Json((&install).into()))
}

/// The plugin's most recent calls (up to 100): duration, fuel, outcome, error, logs; and how
/// many calls were recorded in all (the newest 1,000 are kept).
#[utoipa::path(
    get, path = "/plugins/{id}/executions", tag = "admin",
    params(("id" = String, Path, description = "Plugin id")),
    responses((status = 200, body = ExecutionList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn executions(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<ExecutionList>> {
    let id = id_in_path(&id)?;
    // Records are written in batches; write what this instance holds before reading.
    state.plugins().flush(state.store()).await?;
    let installs = state.store().installs(&tenant.id);
    let records = installs.executions(&id, 100).await?;
    let recorded = installs.executions_recorded(&id).await?;
    Ok(Json(ExecutionList { items: records.iter().map(Into::into).collect(), recorded }))
}

/// One recorded call, with its input and configuration when the install captured it: save
/// them as files and `hanse plugin run --config config.json --input input.json` replays the call.
#[utoipa::path(
    get, path = "/plugins/{id}/executions/{execution}", tag = "admin",
    params(("id" = String, Path, description = "Plugin id"), ("execution" = String, Path, description = "Execution id (`exe_...`)")),
    responses((status = 200, body = ExecutionDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn execution(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path((id, execution)): Path<(String, String)>,
) -> ApiResult<Json<ExecutionDetail>> {
    let id = id_in_path(&id)?;
    state.plugins().flush(state.store()).await?;
    let record = state.store().installs(&tenant.id).execution(&id, &execution).await?.ok_or_else(|| ApiError::not_found("execution"))?;
    Ok(Json((&record).into()))
}

/// Upload a private package, visible to this tenant only (same parts as the operator's upload).
#[utoipa::path(
    post, path = "/plugin-packages", tag = "admin",
    request_body(content_type = "multipart/form-data", description = "Parts `manifest` and `component`"),
    responses((status = 201, body = PackageOut), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn upload_private(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, multipart: Multipart) -> ApiResult<(StatusCode, Json<PackageOut>)> {
    let package = publish(&state, multipart, Some(tenant.id.clone())).await?;
    tracing::info!(tenant = %tenant.slug, plugin = %package.id, version = %package.version, "private plugin published");
    Ok((StatusCode::CREATED, Json((&package).into())))
}

/// The packages this tenant can install: the platform registry and its private packages.
#[utoipa::path(
    get, path = "/plugin-packages", tag = "admin",
    responses((status = 200, body = PackageList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_packages(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<PackageList>> {
    let packages = state.store().registry().list(Some(&tenant.id)).await?;
    Ok(Json(PackageList { items: packages.iter().map(Into::into).collect() }))
}
