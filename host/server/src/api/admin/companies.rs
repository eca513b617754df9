//! B2B company accounts, as the merchant manages them: create (with the company admin), list
//! and filter, read, change the profile, settings and status.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::company::{CompanyStatus, Email};
use hanse_domain::tenant::parse_name;
use hanse_domain::FieldErrors;
use hanse_store::{Company, CompanyChange, CompanyFilter, CompanySettings, NewCompany, Tenant};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::company_form::{self, ProfileChangeIn, ProfileIn, changed_profile, text};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody, QueryParams};
use crate::state::AppState;
use crate::wire::company::{AuditList, CompanyAdminIn, CompanyIn, CompanyList, CompanyOut, CompanyPatch, CompanyQuery};
use crate::wire::company_people::{AddUserIn, CompanyUserList, CompanyUserOut, CompanyUserPatch};
use crate::wire::product::page_limit;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_company, list_companies))
        .routes(routes!(get_company, patch_company))
        .routes(routes!(company_audit))
        .routes(routes!(list_company_users, add_company_user))
        .routes(routes!(update_company_user))
}

/// Who acts through the admin API, for the audit log.
const MERCHANT: &str = "merchant";

/// A customer group id must name one of the tenant's groups.
async fn check_group(state: &AppState, tenant: &Tenant, errors: &mut FieldErrors, id: Option<&str>) -> ApiResult<()> {
    if let Some(id) = id {
        if state.store().customer_groups(&tenant.id).get(id).await?.is_none() {
            errors.add("customer_group_id", format!("no customer group {id}"));
        }
    }
    Ok(())
}

/// Create a company with its admin (a new buyer account). It starts `pending` unless another
/// `status` is given (`active` or `blocked`; rejecting needs a reason, so it is a change).
#[utoipa::path(
    post, path = "/companies", tag = "admin",
    request_body = CompanyIn,
    responses((status = 201, body = CompanyOut), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody, description = "`email_taken`"),
        (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn create_company(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CompanyIn>,
) -> ApiResult<(StatusCode, Json<CompanyOut>)> {
    let mut errors = FieldErrors::new();
    let profile = company_form::profile(
        &mut errors,
        ProfileIn {
            name: &body.name,
            email: &body.email,
            legal_name: body.legal_name.as_deref(),
            vat_tax_id: body.vat_tax_id.as_deref(),
            reseller_id: body.reseller_id.as_deref(),
            phone: body.phone.as_deref(),
            address: body.address.as_ref(),
        },
    );
    let settings = CompanySettings {
        sales_rep: text(&mut errors, "sales_rep", body.sales_rep.as_deref(), 200),
        customer_group_id: body.customer_group_id.clone(),
        quotes_enabled: body.quotes_enabled.unwrap_or(true),
        purchase_orders_enabled: body.purchase_orders_enabled.unwrap_or(false),
    };
    let status = match body.status.as_deref().map(CompanyStatus::parse).transpose() {
        Ok(None) => CompanyStatus::Pending,
        Ok(Some(CompanyStatus::Rejected)) => {
            errors.add("status", "a new company is pending, active or blocked; reject it with a reason afterwards");
            CompanyStatus::Pending
        }
        Ok(Some(status)) => status,
        Err(e) => {
            errors.add("status", e);
            CompanyStatus::Pending
        }
    };
    check_group(&state, &tenant, &mut errors, settings.customer_group_id.as_deref()).await?;
    let admin = company_form::admin(errors, &body.admin).await?;
    let company = state.store().companies(&tenant.id).create(&NewCompany { profile, settings, status, admin }, MERCHANT).await?;
    tracing::info!(tenant = %tenant.slug, company = %company.id, "company created");
    Ok((StatusCode::CREATED, Json((&company).into())))
}

/// The tenant's companies, oldest first, filtered by status or customer group.
#[utoipa::path(
    get, path = "/companies", tag = "admin",
    params(CompanyQuery),
    responses((status = 200, body = CompanyList), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_companies(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    QueryParams(query): QueryParams<CompanyQuery>,
) -> ApiResult<Json<CompanyList>> {
    let mut errors = FieldErrors::new();
    let limit = errors.check("limit", page_limit(query.limit));
    let status = query.status.as_deref().map(|s| errors.check("status", CompanyStatus::parse(s)));
    let Some(limit) = limit.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    let filter = CompanyFilter {
        status: status.flatten(),
        customer_group_id: query.customer_group_id,
        after: query.cursor,
        limit: i64::from(limit) + 1,
    };
    let mut companies = state.store().companies(&tenant.id).list(&filter).await?;
    let more = companies.len() > limit as usize;
    companies.truncate(limit as usize);
    let next_cursor = if more { companies.last().map(|c| c.id.clone()) } else { None };
    Ok(Json(CompanyList { items: companies.iter().map(Into::into).collect(), next_cursor }))
}

async fn company(state: &AppState, tenant: &Tenant, id: &str) -> ApiResult<Company> {
    state.store().companies(&tenant.id).get(id).await?.ok_or_else(|| ApiError::not_found("company"))
}

/// One company.
#[utoipa::path(
    get, path = "/companies/{id}", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = CompanyOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_company(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CompanyOut>> {
    Ok(Json((&company(&state, &tenant, &id).await?).into()))
}

/// Change a company's profile, settings or status. `rejected` needs a `reject_reason`; every
/// status change is recorded and queued as a notification to the company admin.
#[utoipa::path(
    patch, path = "/companies/{id}", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    request_body = CompanyPatch,
    responses((status = 200, body = CompanyOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn patch_company(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<CompanyPatch>,
) -> ApiResult<Json<CompanyOut>> {
    let current = company(&state, &tenant, &id).await?;
    let mut errors = FieldErrors::new();
    let profile = changed_profile(
        &mut errors,
        &current.profile,
        ProfileChangeIn {
            name: body.name.as_deref(),
            email: body.email.as_deref(),
            legal_name: body.legal_name.as_deref(),
            vat_tax_id: body.vat_tax_id.as_deref(),
            reseller_id: body.reseller_id.as_deref(),
            phone: body.phone.as_deref(),
            address: body.address.as_ref(),
        },
    );
    let mut settings = current.settings.clone();
    if body.sales_rep.is_some() {
        settings.sales_rep = text(&mut errors, "sales_rep", body.sales_rep.as_deref(), 200);
    }
    if let Some(group) = &body.customer_group_id {
        check_group(&state, &tenant, &mut errors, group.as_deref()).await?;
        settings.customer_group_id = group.clone();
    }
    settings.quotes_enabled = body.quotes_enabled.unwrap_or(settings.quotes_enabled);
    settings.purchase_orders_enabled = body.purchase_orders_enabled.unwrap_or(settings.purchase_orders_enabled);
    let reason = body.reject_reason.as_deref().map(|r| errors.check("reject_reason", parse_name(r, 1000))).flatten();
    let status = match body.status.as_deref().map(CompanyStatus::parse).transpose() {
        Ok(status) => status,
        Err(e) => {
            errors.add("status", e);
            None
        }
    };
    match status {
        Some(CompanyStatus::Rejected) if reason.is_none() && current.status != CompanyStatus::Rejected => {
            errors.add("reject_reason", "is required to reject a company");
        }
        Some(CompanyStatus::Rejected) => {}
        _ if body.reject_reason.is_some() => errors.add("reject_reason", "is only taken with \"status\":\"rejected\""),
        _ => {}
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let change = CompanyChange { profile: Some(profile), settings: Some(settings), status: status.map(|s| (s, reason)) };
    let company = state.store().companies(&tenant.id).update(&id, &change, MERCHANT).await?;
    if company.status != current.status {
        tracing::info!(tenant = %tenant.slug, company = %company.id, from = %current.status, to = %company.status, "company status changed");
    }
    Ok(Json((&company).into()))
}

/// Most audit entries returned at once.
pub const AUDIT_LIMIT: i64 = 200;

/// Who changed what in a company (status, profile, roles, users), newest first.
#[utoipa::path(
    get, path = "/companies/{id}/audit", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = AuditList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn company_audit(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<AuditList>> {
    let company = company(&state, &tenant, &id).await?;
    let entries = state.store().company_audit(&tenant.id, &company.id, AUDIT_LIMIT).await?;
    Ok(Json(AuditList { items: entries.iter().map(Into::into).collect() }))
}

/// The company's users, admin first.
#[utoipa::path(
    get, path = "/companies/{id}/users", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = CompanyUserList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_company_users(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CompanyUserList>> {
    let company = company(&state, &tenant, &id).await?;
    let users = state.store().company_users(&tenant.id, &company.id).list().await?;
    Ok(Json(CompanyUserList { items: users.iter().map(Into::into).collect() }))
}

/// Add a user to the company with one of its roles: a new account, or an existing buyer of the
/// shop (a user of another company), who then picks the company at login (`company_id`) or
/// switches to it.
#[utoipa::path(
    post, path = "/companies/{id}/users", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    request_body = AddUserIn,
    responses((status = 201, body = CompanyUserOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn add_company_user(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AddUserIn>,
) -> ApiResult<(StatusCode, Json<CompanyUserOut>)> {
    let company = company(&state, &tenant, &id).await?;
    let email = Email::parse(&body.email).map_err(|e| ApiError::invalid_field("email", e))?;
    let users = state.store().company_users(&tenant.id, &company.id);
    let existing = state.store().buyers(&tenant.id).by_email(&email).await?;
    let added = match existing {
        Some(_) if body.password.is_some() => {
            return Err(ApiError::invalid_field("password", "this address has an account in the shop; leave the password out to add that buyer"));
        }
        Some(buyer) => users.add_existing(&buyer.id, &body.role_id, MERCHANT).await,
        None => {
            let account = CompanyAdminIn {
                email: body.email.clone(),
                password: body.password.clone().unwrap_or_default(),
                first_name: body.first_name.clone().unwrap_or_default(),
                last_name: body.last_name.clone().unwrap_or_default(),
                job_title: body.job_title.clone(),
                phone: body.phone.clone(),
            };
            let buyer = company_form::person(FieldErrors::new(), "", &account).await?;
            users.create(&buyer, &body.role_id, MERCHANT).await
        }
    };
    let user = added.map_err(|e| match e {
        hanse_store::StoreError::Refused("unknown_role", message) => ApiError::invalid_field("role_id", message),
        other => other.into(),
    })?;
    Ok((StatusCode::CREATED, Json((&user).into())))
}

/// Change a company user's role, status, job title or phone.
#[utoipa::path(
    patch, path = "/companies/{id}/users/{user}", tag = "admin",
    params(("id" = String, Path, description = "Company id"), ("user" = String, Path, description = "User (buyer) id")),
    request_body = CompanyUserPatch,
    responses((status = 200, body = CompanyUserOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn update_company_user(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path((id, user)): Path<(String, String)>,
    JsonBody(body): JsonBody<CompanyUserPatch>,
) -> ApiResult<Json<CompanyUserOut>> {
    let company = company(&state, &tenant, &id).await?;
    let user = crate::api::storefront::update_company_user(&state, &tenant, &company.id, &user, &body, MERCHANT).await?;
    Ok(Json((&user).into()))
}
