//! Buyer sign-in: log in with e-mail and password, log out, and who am I.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use hanse_domain::company::{Email, Password};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::password;
use crate::auth::session::{SESSION_TTL_MILLIS, choose};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, SignedIn, StoreTenant};
use crate::state::AppState;
use crate::wire::buyer::{LoginIn, MeOut, PasswordChangeIn, PasswordResetConfirmIn, PasswordResetIn, SessionOut, SwitchIn};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(switch_company))
        .routes(routes!(change_password))
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
}

fn bad_credentials() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", "the e-mail address or the password is wrong")
}

/// Log in. Users of a pending or rejected company, and inactive users, are refused
/// (`company_pending`, `company_rejected`, `user_inactive`); users of a blocked company may log
/// in and browse. After 5 wrong passwords for an account within 15 minutes, its logins are
/// refused (`too_many_attempts`) until the oldest failure is 15 minutes old.
#[utoipa::path(
    post, path = "/auth/login", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    request_body = LoginIn,
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody, description = "`invalid_credentials`"),
        (status = 403, body = ErrorBody, description = "`company_pending`, `company_rejected`, `user_inactive`"), (status = 422, body = ErrorBody),
        (status = 429, body = ErrorBody, description = "`too_many_attempts`")),
)]
async fn login(StoreTenant(tenant): StoreTenant, State(state): State<AppState>, JsonBody(body): JsonBody<LoginIn>) -> ApiResult<Json<SessionOut>> {
    let buyers = state.store().buyers(&tenant.id);
    let email = Email::parse(&body.email).ok();
    let account = email.as_ref().map_or_else(|| body.email.trim().to_lowercase(), |e| e.to_string());
    let throttle = state.login_throttle();
    if let Some(wait) = throttle.blocked(tenant.id.as_str(), &account) {
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("too many failed logins for this account; try again in {} minutes", wait.as_secs().div_ceil(60)),
        )
        .with_details(serde_json::json!({ "retry_after_seconds": wait.as_secs().max(1) })));
    }
    let buyer = match &email {
        Some(email) => buyers.by_email(email).await?,
        None => None,
    };
    if !password::verify(&body.password, buyer.as_ref().map(|b| b.password_hash.as_str())).await? {
        throttle.failed(tenant.id.as_str(), &account);
        return Err(bad_credentials());
    }
    throttle.succeeded(tenant.id.as_str(), &account);
    let Some(buyer) = buyer else {
        return Err(bad_credentials());
    };
    let memberships = buyers.memberships(&buyer.id).await?;
    let membership = choose(&memberships, body.company_id.as_deref())?;
    let (token, session) = buyers.open_session(&buyer.id, &membership.company_id, SESSION_TTL_MILLIS).await?;
    Ok(Json(SessionOut { token: token.expose().to_owned(), expires_at: session.expires_at.to_string(), company_id: session.company_id }))
}

/// Log out: the session's token stops working.
#[utoipa::path(
    post, path = "/auth/logout", tag = "storefront",
    responses((status = 204, description = "Logged out"), (status = 401, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn logout(signed_in: SignedIn, State(state): State<AppState>) -> ApiResult<StatusCode> {
    state.store().buyers(&signed_in.tenant.id).revoke_session(&signed_in.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in buyer: the current company, the role there, the permissions it gives, and
/// every company the buyer belongs to.
#[utoipa::path(
    get, path = "/me", tag = "storefront",
    responses((status = 200, body = MeOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn me(signed_in: SignedIn) -> ApiResult<Json<MeOut>> {
    let SignedIn { buyer, membership, memberships, permissions, .. } = signed_in;
    Ok(Json(MeOut {
        id: buyer.id,
        email: buyer.email,
        first_name: buyer.first_name,
        last_name: buyer.last_name,
        company: (&membership).into(),
        role_id: membership.role.as_ref().map(|(id, _, _)| id.clone()),
        permissions: permissions.ids().into_iter().map(str::to_owned).collect(),
        companies: memberships.iter().map(Into::into).collect(),
    }))
}

/// How long a password reset token works.
pub const RESET_TTL_MILLIS: i64 = 60 * 60 * 1000;

/// Change the signed-in buyer's password. Every other session of the buyer ends.
#[utoipa::path(
    post, path = "/me/password", tag = "storefront",
    request_body = PasswordChangeIn,
    responses((status = 204, description = "Changed"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn change_password(me: SignedIn, State(state): State<AppState>, JsonBody(body): JsonBody<PasswordChangeIn>) -> ApiResult<StatusCode> {
    let new = Password::parse(&body.new_password).map_err(|e| ApiError::invalid_field("new_password", e))?;
    if !password::verify(&body.current_password, Some(&me.buyer.password_hash)).await? {
        return Err(ApiError::invalid_field("current_password", "is not your password"));
    }
    let hash = password::hash(&new).await?;
    state.store().buyers(&me.tenant.id).set_password(&me.buyer.id, &hash, Some(&me.token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask for a password reset. If the address has an account, a single-use token valid for an
/// hour is queued to it; the answer is the same either way, so it tells nobody which
/// addresses have accounts.
#[utoipa::path(
    post, path = "/auth/password-reset", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    request_body = PasswordResetIn,
    responses((status = 202, description = "Queued if the account exists"), (status = 422, body = ErrorBody)),
)]
async fn request_reset(StoreTenant(tenant): StoreTenant, State(state): State<AppState>, JsonBody(body): JsonBody<PasswordResetIn>) -> ApiResult<StatusCode> {
    let email = Email::parse(&body.email).map_err(|e| ApiError::invalid_field("email", e))?;
    let buyers = state.store().buyers(&tenant.id);
    if let Some(buyer) = buyers.by_email(&email).await? {
        buyers.start_password_reset(&buyer, RESET_TTL_MILLIS).await?;
    }
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with a reset token. The token works once; every session of the buyer
/// ends.
#[utoipa::path(
    post, path = "/auth/password-reset/confirm", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    request_body = PasswordResetConfirmIn,
    responses((status = 204, description = "Changed"), (status = 400, body = ErrorBody, description = "`invalid_reset_token`"), (status = 422, body = ErrorBody)),
)]
async fn confirm_reset(StoreTenant(tenant): StoreTenant, State(state): State<AppState>, JsonBody(body): JsonBody<PasswordResetConfirmIn>) -> ApiResult<StatusCode> {
    let new = Password::parse(&body.new_password).map_err(|e| ApiError::invalid_field("new_password", e))?;
    let hash = password::hash(&new).await?;
    state.store().buyers(&tenant.id).finish_password_reset(body.token.trim(), &hash).await.map_err(|e| match e {
        hanse_store::StoreError::Refused(code @ "invalid_reset_token", message) => ApiError::new(StatusCode::BAD_REQUEST, code, message),
        other => other.into(),
    })?;
    Ok(StatusCode::NO_CONTENT)
}

/// Act in another of the buyer's companies: the session (same token) now carries that
/// company, and with it the role, cart and orders there.
#[utoipa::path(
    post, path = "/auth/switch", tag = "storefront",
    request_body = SwitchIn,
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("buyer_session" = []))
)]
async fn switch_company(me: SignedIn, State(state): State<AppState>, JsonBody(body): JsonBody<SwitchIn>) -> ApiResult<Json<SessionOut>> {
    let target = choose(&me.memberships, Some(&body.company_id))?;
    let buyers = state.store().buyers(&me.tenant.id);
    buyers.switch_session(&me.token, &target.company_id).await?;
    let session = buyers.session(&me.token).await?.ok_or_else(|| ApiError::unauthorized("the session ended"))?;
    Ok(Json(SessionOut { token: me.token.clone(), expires_at: session.expires_at.to_string(), company_id: session.company_id }))
}
