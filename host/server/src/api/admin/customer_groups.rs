//! Customer groups: the merchant's segments of buyer companies.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::tenant::parse_name;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::company::{CustomerGroupIn, CustomerGroupList, CustomerGroupOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_group, list_groups)).routes(routes!(get_group, rename_group, delete_group))
}

fn group_name(body: &CustomerGroupIn) -> ApiResult<String> {
    parse_name(&body.name, 100).map_err(|e| ApiError::invalid_field("name", e))
}

/// Create a customer group.
#[utoipa::path(
    post, path = "/customer-groups", tag = "admin",
    request_body = CustomerGroupIn,
    responses((status = 201, body = CustomerGroupOut), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn create_group(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CustomerGroupIn>,
) -> ApiResult<(StatusCode, Json<CustomerGroupOut>)> {
    let group = state.store().customer_groups(&tenant.id).create(&group_name(&body)?).await?;
    Ok((StatusCode::CREATED, Json((&group).into())))
}

/// The tenant's customer groups, by name.
#[utoipa::path(
    get, path = "/customer-groups", tag = "admin",
    responses((status = 200, body = CustomerGroupList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_groups(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<CustomerGroupList>> {
    let groups = state.store().customer_groups(&tenant.id).list().await?;
    Ok(Json(CustomerGroupList { items: groups.iter().map(Into::into).collect() }))
}

/// One customer group.
#[utoipa::path(
    get, path = "/customer-groups/{id}", tag = "admin",
    params(("id" = String, Path, description = "Group id")),
    responses((status = 200, body = CustomerGroupOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_group(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CustomerGroupOut>> {
    let group = state.store().customer_groups(&tenant.id).get(&id).await?.ok_or_else(|| ApiError::not_found("customer group"))?;
    Ok(Json((&group).into()))
}

/// Rename a customer group.
#[utoipa::path(
    patch, path = "/customer-groups/{id}", tag = "admin",
    params(("id" = String, Path, description = "Group id")),
    request_body = CustomerGroupIn,
    responses((status = 200, body = CustomerGroupOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn rename_group(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CustomerGroupIn>,
) -> ApiResult<Json<CustomerGroupOut>> {
    let group = state.store().customer_groups(&tenant.id).rename(&id, &group_name(&body)?).await?;
    Ok(Json((&group).into()))
}

/// Delete a customer group.
#[utoipa::path(
    delete, path = "/customer-groups/{id}", tag = "admin",
    params(("id" = String, Path, description = "Group id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn delete_group(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.store().customer_groups(&tenant.id).delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
