//! Company self-service (`/store/v1/company/...`): the signed-in buyer's company, its roles and
//! users, each action behind its permission. The permission is checked before the body is
//! read, so a buyer without it gets `permission_denied` whatever was sent.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::company::permission::{
    COMPANY_ACCOUNT_EDIT, COMPANY_ACCOUNT_VIEW, COMPANY_ADDRESS_EDIT, COMPANY_ADDRESS_VIEW, COMPANY_ROLES_EDIT, COMPANY_ROLES_VIEW, COMPANY_USERS_EDIT,
    COMPANY_USERS_VIEW, CREDIT, CREDIT_HISTORY,
};
use hanse_domain::company::profile::parse_optional_text;
use hanse_domain::company::{Permissions, Resource, UserStatus};
use hanse_domain::tenant::parse_name;
use hanse_store::{CompanyUserChange, NodeKind, StructureNode};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::company_form::person;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{LaterJson, SignedIn};
use crate::state::AppState;
use crate::wire::company::{AuditList, CompanyAdminIn};
use crate::wire::company_people::{CompanyUserIn, CompanyUserList, CompanyUserOut, CompanyUserPatch, MoveIn, RoleIn, RoleList, RoleOut, RolePatch, StructureOut, TeamIn, TeamOut, TeamPatch};

/// Every protected storefront action (method, path, the permission it needs). The permission
/// matrix test checks each one both ways, and fails for any `/store/v1/company` route missing
/// here.
pub static PERMISSIONS: &[(&str, &str, &Resource)] = &[
    ("GET", "/store/v1/company/roles", &COMPANY_ROLES_VIEW),
    ("POST", "/store/v1/company/roles", &COMPANY_ROLES_EDIT),
    ("PATCH", "/store/v1/company/roles/{id}", &COMPANY_ROLES_EDIT),
    ("DELETE", "/store/v1/company/roles/{id}", &COMPANY_ROLES_EDIT),
    ("GET", "/store/v1/company/users", &COMPANY_USERS_VIEW),
    ("POST", "/store/v1/company/users", &COMPANY_USERS_EDIT),
    ("GET", "/store/v1/company/users/{id}", &COMPANY_USERS_VIEW),
    ("PATCH", "/store/v1/company/users/{id}", &COMPANY_USERS_EDIT),
    ("GET", "/store/v1/company/structure", &COMPANY_USERS_VIEW),
    ("POST", "/store/v1/company/teams", &COMPANY_USERS_EDIT),
    ("PATCH", "/store/v1/company/teams/{id}", &COMPANY_USERS_EDIT),
    ("DELETE", "/store/v1/company/teams/{id}", &COMPANY_USERS_EDIT),
    ("POST", "/store/v1/company/structure/{id}/move", &COMPANY_USERS_EDIT),
    ("GET", "/store/v1/company", &COMPANY_ACCOUNT_VIEW),
    ("PATCH", "/store/v1/company", &COMPANY_ACCOUNT_EDIT),
    ("GET", "/store/v1/company/addresses", &COMPANY_ADDRESS_VIEW),
    ("POST", "/store/v1/company/addresses", &COMPANY_ADDRESS_EDIT),
    ("PATCH", "/store/v1/company/addresses/{id}", &COMPANY_ADDRESS_EDIT),
    ("DELETE", "/store/v1/company/addresses/{id}", &COMPANY_ADDRESS_EDIT),
    ("GET", "/store/v1/company/credit", &CREDIT),
    ("GET", "/store/v1/company/credit/history", &CREDIT_HISTORY),
];

/// Storefront actions only the company admin may take, whatever a role allows.
pub static ADMIN_ONLY: &[(&str, &str)] = &[("GET", "/store/v1/company/audit")];

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(audit))
        .routes(routes!(list_roles, create_role))
        .routes(routes!(update_role, delete_role))
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(structure))
        .routes(routes!(create_team))
        .routes(routes!(update_team, delete_team))
        .routes(routes!(move_node))
}

impl SignedIn {
    /// Who acts, for the audit log.
    fn actor(&self) -> String {
        format!("buyer:{}", self.buyer.id)
    }

    /// `Ok` for the company admin; `company_admin_only` for anyone else.
    fn require_admin(&self) -> ApiResult<()> {
        if self.membership.is_admin {
            Ok(())
        } else {
            Err(ApiError::new(StatusCode::FORBIDDEN, "company_admin_only", "only the company admin may do this"))
        }
    }
}

/// The company's audit log, newest first: who changed what. For the company admin.
#[utoipa::path(
    get, path = "/company/audit", tag = "storefront",
    responses((status = 200, body = AuditList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "`company_admin_only`")),
    security(("buyer_session" = []))
)]
async fn audit(me: SignedIn, State(state): State<AppState>) -> ApiResult<Json<AuditList>> {
    me.require_admin()?;
    let entries = state.store().company_audit(&me.tenant.id, &me.membership.company_id, crate::api::admin::AUDIT_LIMIT).await?;
    Ok(Json(AuditList { items: entries.iter().map(Into::into).collect() }))
}

/// A role's permissions, checked against the tree; stored closed under ancestors.
fn role_permissions(errors: &mut FieldErrors, ids: &[String]) -> Vec<&'static str> {
    errors.check("permissions", Permissions::parse(ids)).map(|p| p.ids()).unwrap_or_default()
}

/// The company's roles.
#[utoipa::path(
    get, path = "/company/roles", tag = "storefront",
    responses((status = 200, body = RoleList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody, description = "`permission_denied`")),
    security(("buyer_session" = []))
)]
async fn list_roles(me: SignedIn, State(state): State<AppState>) -> ApiResult<Json<RoleList>> {
    me.permissions.check(&COMPANY_ROLES_VIEW)?;
    let roles = state.store().company_roles(&me.tenant.id, &me.membership.company_id).list().await?;
    Ok(Json(RoleList { items: roles.iter().map(Into::into).collect() }))
}

/// Create a role: the permissions listed are allowed, all others denied.
#[utoipa::path(
    post, path = "/company/roles", tag = "storefront",
    request_body = RoleIn,
    responses((status = 201, body = RoleOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn create_role(me: SignedIn, State(state): State<AppState>, body: LaterJson) -> ApiResult<(StatusCode, Json<RoleOut>)> {
    me.permissions.check(&COMPANY_ROLES_EDIT)?;
    me.require_active_company()?;
    let body: RoleIn = body.parse()?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", parse_name(&body.name, 100));
    let permissions = role_permissions(&mut errors, &body.permissions);
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let role = state.store().company_roles(&me.tenant.id, &me.membership.company_id).create(&name, &permissions, &me.actor()).await?;
    Ok((StatusCode::CREATED, Json((&role).into())))
}

/// Rename a role or replace its permissions.
#[utoipa::path(
    patch, path = "/company/roles/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Role id")),
    request_body = RolePatch,
    responses((status = 200, body = RoleOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn update_role(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<RoleOut>> {
    me.permissions.check(&COMPANY_ROLES_EDIT)?;
    me.require_active_company()?;
    let body: RolePatch = body.parse()?;
    let mut errors = FieldErrors::new();
    let name = body.name.as_deref().map(|n| errors.check("name", parse_name(n, 100)));
    let permissions = body.permissions.as_deref().map(|p| role_permissions(&mut errors, p));
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let role = state
        .store()
        .company_roles(&me.tenant.id, &me.membership.company_id)
        .update(&id, name.flatten().as_deref(), permissions.as_deref(), &me.actor())
        .await?;
    Ok(Json((&role).into()))
}

/// Delete a role that no user has (`role_in_use` otherwise).
#[utoipa::path(
    delete, path = "/company/roles/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Role id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn delete_role(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    me.permissions.check(&COMPANY_ROLES_EDIT)?;
    me.require_active_company()?;
    state.store().company_roles(&me.tenant.id, &me.membership.company_id).delete(&id, &me.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The company's users, admin first.
#[utoipa::path(
    get, path = "/company/users", tag = "storefront",
    responses((status = 200, body = CompanyUserList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn list_users(me: SignedIn, State(state): State<AppState>) -> ApiResult<Json<CompanyUserList>> {
    me.permissions.check(&COMPANY_USERS_VIEW)?;
    let users = state.store().company_users(&me.tenant.id, &me.membership.company_id).list().await?;
    Ok(Json(CompanyUserList { items: users.iter().map(Into::into).collect() }))
}

/// Create a user of the company (a new buyer account) with one of its roles, placed under the
/// company admin.
#[utoipa::path(
    post, path = "/company/users", tag = "storefront",
    request_body = CompanyUserIn,
    responses((status = 201, body = CompanyUserOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`email_taken`"), (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn create_user(me: SignedIn, State(state): State<AppState>, body: LaterJson) -> ApiResult<(StatusCode, Json<CompanyUserOut>)> {
    me.permissions.check(&COMPANY_USERS_EDIT)?;
    me.require_active_company()?;
    let body: CompanyUserIn = body.parse()?;
    let company = &me.membership.company_id;
    let mut errors = FieldErrors::new();
    if state.store().company_roles(&me.tenant.id, company).get(&body.role_id).await?.is_none() {
        errors.add("role_id", "is not a role of your company");
    }
    let account = CompanyAdminIn {
        email: body.email,
        password: body.password,
        first_name: body.first_name,
        last_name: body.last_name,
        job_title: body.job_title,
        phone: body.phone,
    };
    let buyer = person(errors, "", &account).await?;
    let user = state.store().company_users(&me.tenant.id, company).create(&buyer, &body.role_id, &me.actor()).await.map_err(|e| match e {
        hanse_store::StoreError::Refused("unknown_role", message) => ApiError::invalid_field("role_id", message),
        other => other.into(),
    })?;
    Ok((StatusCode::CREATED, Json((&user).into())))
}

/// The company's org chart: teams and users in one tree under the company admin.
#[utoipa::path(
    get, path = "/company/structure", tag = "storefront",
    responses((status = 200, body = StructureOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn structure(me: SignedIn, State(state): State<AppState>) -> ApiResult<Json<StructureOut>> {
    me.permissions.check(&COMPANY_USERS_VIEW)?;
    let nodes = state.store().company_structure(&me.tenant.id, &me.membership.company_id).nodes().await?;
    let root = nodes.iter().find(|n| n.parent_id.is_none()).ok_or_else(|| ApiError::internal("a company without a chart root"))?;
    Ok(Json(tree(root, &nodes)))
}

fn tree(node: &StructureNode, nodes: &[StructureNode]) -> StructureOut {
    let children = nodes.iter().filter(|n| n.parent_id.as_deref() == Some(node.id.as_str())).map(|child| tree(child, nodes)).collect();
    match &node.kind {
        NodeKind::Team { name, description } => {
            StructureOut { id: node.id.clone(), kind: "team".into(), name: name.clone(), description: Some(description.clone()), user_id: None, children }
        }
        NodeKind::User { buyer_id, name } => {
            StructureOut { id: node.id.clone(), kind: "user".into(), name: name.clone(), description: None, user_id: Some(buyer_id.clone()), children }
        }
    }
}

/// Add a team to the chart (under the company admin unless `parent_id` says otherwise).
#[utoipa::path(
    post, path = "/company/teams", tag = "storefront",
    request_body = TeamIn,
    responses((status = 201, body = TeamOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn create_team(me: SignedIn, State(state): State<AppState>, body: LaterJson) -> ApiResult<(StatusCode, Json<TeamOut>)> {
    me.permissions.check(&COMPANY_USERS_EDIT)?;
    me.require_active_company()?;
    let body: TeamIn = body.parse()?;
    let mut errors = FieldErrors::new();
    let name = errors.check("name", parse_name(&body.name, 100));
    let description = errors.check("description", parse_optional_text(body.description.as_deref().unwrap_or(""), 500)).unwrap_or_default();
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let id = state
        .store()
        .company_structure(&me.tenant.id, &me.membership.company_id)
        .create_team(&name, &description, body.parent_id.as_deref(), &me.actor())
        .await?;
    Ok((StatusCode::CREATED, Json(TeamOut { id, name, description })))
}

/// Rename a team or change its description.
#[utoipa::path(
    patch, path = "/company/teams/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Team node id")),
    request_body = TeamPatch,
    responses((status = 204, description = "Changed"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn update_team(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<StatusCode> {
    me.permissions.check(&COMPANY_USERS_EDIT)?;
    me.require_active_company()?;
    let body: TeamPatch = body.parse()?;
    let mut errors = FieldErrors::new();
    let name = body.name.as_deref().map(|n| errors.check("name", parse_name(n, 100))).flatten();
    let description = body.description.as_deref().map(|d| errors.check("description", parse_optional_text(d, 500))).flatten();
    if !errors.is_empty() {
        return Err(errors.into());
    }
    state
        .store()
        .company_structure(&me.tenant.id, &me.membership.company_id)
        .update_team(&id, name.as_deref(), description.as_deref(), &me.actor())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete an empty team (`team_not_empty` otherwise).
#[utoipa::path(
    delete, path = "/company/teams/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Team node id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn delete_team(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    me.permissions.check(&COMPANY_USERS_EDIT)?;
    me.require_active_company()?;
    state.store().company_structure(&me.tenant.id, &me.membership.company_id).delete_team(&id, &me.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Move a user or team, with everything below it, under another node. The company admin stays
/// at the top; nothing moves under itself (`invalid_move`).
#[utoipa::path(
    post, path = "/company/structure/{id}/move", tag = "storefront",
    params(("id" = String, Path, description = "Node id")),
    request_body = MoveIn,
    responses((status = 204, description = "Moved"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`invalid_move`, `unknown_parent`")),
    security(("buyer_session" = []))
)]
async fn move_node(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<StatusCode> {
    me.permissions.check(&COMPANY_USERS_EDIT)?;
    me.require_active_company()?;
    let body: MoveIn = body.parse()?;
    state.store().company_structure(&me.tenant.id, &me.membership.company_id).move_node(&id, &body.parent_id, &me.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// One user of the company.
#[utoipa::path(
    get, path = "/company/users/{id}", tag = "storefront",
    params(("id" = String, Path, description = "User (buyer) id")),
    responses((status = 200, body = CompanyUserOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn get_user(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CompanyUserOut>> {
    me.permissions.check(&COMPANY_USERS_VIEW)?;
    let user = state.store().company_users(&me.tenant.id, &me.membership.company_id).get(&id).await?.ok_or_else(|| ApiError::not_found("user"))?;
    Ok(Json((&user).into()))
}

/// Change a user's role, status (`inactive` users cannot log in), job title or phone. The
/// company admin keeps every permission and stays active (`company_admin`).
#[utoipa::path(
    patch, path = "/company/users/{id}", tag = "storefront",
    params(("id" = String, Path, description = "User (buyer) id")),
    request_body = CompanyUserPatch,
    responses((status = 200, body = CompanyUserOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`company_admin`"), (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn update_user(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<CompanyUserOut>> {
    me.permissions.check(&COMPANY_USERS_EDIT)?;
    me.require_active_company()?;
    let body: CompanyUserPatch = body.parse()?;
    let user = update_company_user(&state, &me.tenant, &me.membership.company_id, &id, &body, &me.actor()).await?;
    Ok(Json((&user).into()))
}

/// Checks and applies a user change; shared with the merchant's API.
pub async fn update_company_user(
    state: &AppState,
    tenant: &hanse_store::Tenant,
    company_id: &str,
    id: &str,
    body: &CompanyUserPatch,
    actor: &str,
) -> ApiResult<hanse_store::CompanyUser> {
    let mut errors = FieldErrors::new();
    let status = body.status.as_deref().map(|s| errors.check("status", UserStatus::parse(s))).flatten();
    let job_title = body.job_title.as_deref().map(|t| errors.check("job_title", parse_optional_text(t, 100))).flatten();
    let phone = body.phone.as_deref().map(|p| errors.check("phone", parse_optional_text(p, 40))).flatten();
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let change = CompanyUserChange { role_id: body.role_id.clone(), status, job_title, phone };
    state.store().company_users(&tenant.id, company_id).update(id, &change, actor).await.map_err(|e| match e {
        hanse_store::StoreError::Refused("unknown_role", message) => ApiError::invalid_field("role_id", message),
        other => other.into(),
    })
}
