//! Company self-registration on the storefront: a pending company and its admin, for the
//! merchant to approve. The merchant can turn it off (`PATCH /admin/v1/settings`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::company::CompanyStatus;
use hanse_store::{CompanySettings, NewCompany};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::company_form::{self, ProfileIn};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, StoreTenant};
use crate::state::AppState;
use crate::wire::company::{CompanyRegistrationIn, RegistrationOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register))
}

/// Register a company. It starts `pending`, with the person registering as its admin, who can
/// log in once the merchant approves it.
#[utoipa::path(
    post, path = "/companies", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    request_body = CompanyRegistrationIn,
    responses((status = 201, body = RegistrationOut), (status = 403, body = ErrorBody, description = "`registration_closed`"),
        (status = 409, body = ErrorBody, description = "`email_taken`"), (status = 422, body = ErrorBody)),
)]
async fn register(
    StoreTenant(tenant): StoreTenant,
    State(state): State<AppState>,
    JsonBody(body): JsonBody<CompanyRegistrationIn>,
) -> ApiResult<(StatusCode, Json<RegistrationOut>)> {
    if !state.store().tenant_settings(&tenant.id).await?.company_registration {
        return Err(ApiError::new(StatusCode::FORBIDDEN, "registration_closed", "this shop does not take company registrations; contact the merchant"));
    }
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
    let admin = company_form::admin(errors, &body.admin).await?;
    let new = NewCompany { profile, settings: CompanySettings::default(), status: CompanyStatus::Pending, admin };
    let company = state.store().companies(&tenant.id).create(&new, "storefront").await?;
    tracing::info!(tenant = %tenant.slug, company = %company.id, "company registered");
    Ok((StatusCode::CREATED, Json(RegistrationOut { id: company.id, name: company.profile.name, status: company.status.as_str().to_owned() })))
}
