//! Bearer-token authentication for the operator and tenant admin APIs.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use hanse_domain::tenant::TenantStatus;
use hanse_store::{Tenant, hash_secret};

use crate::error::ApiError;
use crate::state::AppState;

/// Proof that the request carries the operator token.
pub struct Operator;

/// The tenant whose admin token the request carries.
pub struct AdminTenant(pub Tenant);

pub(super) fn bearer(parts: &Parts) -> Result<&str, ApiError> {
    let value = parts
        .headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("send `Authorization: Bearer <token>`"))?;
    value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::unauthorized("the Authorization header must be `Bearer <token>`"))
}

/// Compares two equal-length hex digests without an early exit.
fn digests_equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Operator {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        if digests_equal(&hash_secret(token), state.operator_token_hash()) {
            Ok(Operator)
        } else {
            Err(ApiError::unauthorized("the operator token is not valid"))
        }
    }
}

impl FromRequestParts<AppState> for AdminTenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts)?;
        let tenant = state
            .store()
            .tenant_for_admin_token(token)
            .await?
            .ok_or_else(|| ApiError::unauthorized("the admin token is not valid or was revoked"))?;
        ensure_active(&tenant)?;
        Ok(AdminTenant(tenant))
    }
}

/// Refuses a suspended tenant with 403 `tenant_suspended`.
pub fn ensure_active(tenant: &Tenant) -> Result<(), ApiError> {
    match tenant.status {
        TenantStatus::Active => Ok(()),
        TenantStatus::Suspended => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "tenant_suspended",
            format!("tenant {:?} is suspended", tenant.slug.as_str()),
        )),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compares_digests() {
        assert!(super::digests_equal("abc", "abc"));
        assert!(!super::digests_equal("abc", "abd"));
        assert!(!super::digests_equal("abc", "ab"));
    }
}
