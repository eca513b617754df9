//! The company's own profile and address book, as its people see and edit them, each action
//! behind its permission.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::company::permission::{COMPANY_ACCOUNT_EDIT, COMPANY_ACCOUNT_VIEW, COMPANY_ADDRESS_EDIT, COMPANY_ADDRESS_VIEW};
use hanse_domain::company::AddressKind;
use hanse_domain::tenant::parse_name;
use hanse_store::{AddressInput, CompanyChange};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::company_form::{ProfileChangeIn, address, changed_profile, text};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{LaterJson, SignedIn};
use crate::state::AppState;
use crate::wire::company::{BookAddressIn, BookAddressList, BookAddressOut, CompanyOut, ProfilePatch};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_profile, patch_profile))
        .routes(routes!(list_addresses, create_address))
        .routes(routes!(update_address, delete_address))
}

/// The company's profile.
#[utoipa::path(
    get, path = "/company", tag = "storefront",
    responses((status = 200, body = CompanyOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn get_profile(me: SignedIn, State(state): State<AppState>) -> ApiResult<Json<CompanyOut>> {
    me.permissions.check(&COMPANY_ACCOUNT_VIEW)?;
    let company = state.store().companies(&me.tenant.id).get(&me.membership.company_id).await?.ok_or_else(|| ApiError::not_found("company"))?;
    Ok(Json((&company).into()))
}

/// Edit the company's profile; the legal address needs `company.address.edit` too.
#[utoipa::path(
    patch, path = "/company", tag = "storefront",
    request_body = ProfilePatch,
    responses((status = 200, body = CompanyOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn patch_profile(me: SignedIn, State(state): State<AppState>, body: LaterJson) -> ApiResult<Json<CompanyOut>> {
    me.permissions.check(&COMPANY_ACCOUNT_EDIT)?;
    me.require_active_company()?;
    let body: ProfilePatch = body.parse()?;
    if body.address.is_some() {
        me.permissions.check(&COMPANY_ADDRESS_EDIT)?;
    }
    let companies = state.store().companies(&me.tenant.id);
    let current = companies.get(&me.membership.company_id).await?.ok_or_else(|| ApiError::not_found("company"))?;
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
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let change = CompanyChange { profile: Some(profile), ..Default::default() };
    let company = companies.update(&current.id, &change, &format!("buyer:{}", me.buyer.id)).await?;
    Ok(Json((&company).into()))
}

fn book_address(body: &BookAddressIn) -> ApiResult<AddressInput> {
    let mut errors = FieldErrors::new();
    let kind = errors.check("kind", AddressKind::parse(&body.kind));
    let label = errors.check("label", parse_name(&body.label, 100));
    let recipient = text(&mut errors, "recipient", body.recipient.as_deref(), 200);
    let place = address(&mut errors, &body.address);
    for (field, value) in [("address.street", &place.street), ("address.city", &place.city), ("address.postcode", &place.postcode), ("address.country", &place.country)] {
        if value.is_empty() {
            errors.add(field, "is required");
        }
    }
    let phone = text(&mut errors, "phone", body.phone.as_deref(), 40);
    match (kind, label) {
        (Some(kind), Some(label)) if errors.is_empty() => Ok(AddressInput { kind, label, recipient, address: place, phone, is_default: body.is_default }),
        _ => Err(errors.into()),
    }
}

/// The company's address book.
#[utoipa::path(
    get, path = "/company/addresses", tag = "storefront",
    responses((status = 200, body = BookAddressList), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn list_addresses(me: SignedIn, State(state): State<AppState>) -> ApiResult<Json<BookAddressList>> {
    me.permissions.check(&COMPANY_ADDRESS_VIEW)?;
    let addresses = state.store().company_addresses(&me.tenant.id, &me.membership.company_id).list().await?;
    Ok(Json(BookAddressList { items: addresses.iter().map(Into::into).collect() }))
}

/// Add a billing or shipping address; the first of its kind becomes the default.
#[utoipa::path(
    post, path = "/company/addresses", tag = "storefront",
    request_body = BookAddressIn,
    responses((status = 201, body = BookAddressOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn create_address(me: SignedIn, State(state): State<AppState>, body: LaterJson) -> ApiResult<(StatusCode, Json<BookAddressOut>)> {
    me.permissions.check(&COMPANY_ADDRESS_EDIT)?;
    me.require_active_company()?;
    let input = book_address(&body.parse()?)?;
    let created = state.store().company_addresses(&me.tenant.id, &me.membership.company_id).create(&input, &format!("buyer:{}", me.buyer.id)).await?;
    Ok((StatusCode::CREATED, Json((&created).into())))
}

/// Replace an address.
#[utoipa::path(
    patch, path = "/company/addresses/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Address id")),
    request_body = BookAddressIn,
    responses((status = 200, body = BookAddressOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn update_address(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<BookAddressOut>> {
    me.permissions.check(&COMPANY_ADDRESS_EDIT)?;
    me.require_active_company()?;
    let input = book_address(&body.parse()?)?;
    let updated = state.store().company_addresses(&me.tenant.id, &me.membership.company_id).update(&id, &input, &format!("buyer:{}", me.buyer.id)).await?;
    Ok(Json((&updated).into()))
}

/// Delete an address.
#[utoipa::path(
    delete, path = "/company/addresses/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Address id")),
    responses((status = 204, description = "Deleted"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn delete_address(me: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    me.permissions.check(&COMPANY_ADDRESS_EDIT)?;
    me.require_active_company()?;
    state.store().company_addresses(&me.tenant.id, &me.membership.company_id).delete(&id, &format!("buyer:{}", me.buyer.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
