//! The category tree: create, list as a tree, get, rename/move/reorder, delete.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::category::{build_tree, parse_category_name};
use hanse_store::CategoryChange;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::category::{CategoryCreate, CategoryOut, CategoryPatch, CategoryTreeList};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_category, category_tree))
        .routes(routes!(get_category, patch_category, delete_category))
}

/// Create a category.
#[utoipa::path(
    post, path = "/categories", tag = "admin",
    request_body = CategoryCreate,
    responses(
        (status = 201, body = CategoryOut),
        (status = 401, body = ErrorBody),
        (status = 409, description = "Name taken among siblings (`already_exists`), unknown parent (`unknown_parent`), too deep (`tree_too_deep`)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn create_category(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CategoryCreate>,
) -> ApiResult<(StatusCode, Json<CategoryOut>)> {
    let name = parse_category_name(&body.name).map_err(|e| ApiError::invalid_field("name", e))?;
    let node = state.store().categories(&tenant.id).create(&name, body.parent_id.as_deref(), body.position.unwrap_or(0)).await?;
    Ok((StatusCode::CREATED, Json((&node).into())))
}

/// The whole category tree.
#[utoipa::path(
    get, path = "/categories", tag = "admin",
    responses((status = 200, body = CategoryTreeList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn category_tree(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<CategoryTreeList>> {
    let nodes = state.store().categories(&tenant.id).list().await?;
    Ok(Json(CategoryTreeList { items: build_tree(nodes).iter().map(Into::into).collect() }))
}

/// Get a category.
#[utoipa::path(
    get, path = "/categories/{id}", tag = "admin",
    params(("id" = String, Path, description = "Category id")),
    responses((status = 200, body = CategoryOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_category(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CategoryOut>> {
    let node = state.store().categories(&tenant.id).get(&id).await?.ok_or_else(|| ApiError::not_found("category"))?;
    Ok(Json((&node).into()))
}

/// Rename, move (with its subtree) or reorder a category.
#[utoipa::path(
    patch, path = "/categories/{id}", tag = "admin",
    params(("id" = String, Path, description = "Category id")),
    request_body = CategoryPatch,
    responses(
        (status = 200, body = CategoryOut),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Under itself (`invalid_move`), name taken (`already_exists`), unknown parent (`unknown_parent`)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn patch_category(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CategoryPatch>,
) -> ApiResult<Json<CategoryOut>> {
    let mut errors = FieldErrors::new();
    let name = body.name.as_deref().map(|n| errors.check("name", parse_category_name(n)));
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let change = CategoryChange { name: name.flatten(), parent_id: body.parent_id, position: body.position };
    let node = state.store().categories(&tenant.id).update(&id, &change).await?;
    Ok(Json((&node).into()))
}

/// Delete a category without subcategories; its products stay, unassigned from it.
#[utoipa::path(
    delete, path = "/categories/{id}", tag = "admin",
    params(("id" = String, Path, description = "Category id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "Has subcategories (`category_not_empty`)", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn delete_category(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.store().categories(&tenant.id).delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
