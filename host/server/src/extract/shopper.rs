//! Whoever browses the storefront: a signed-in buyer (when the request carries a session) or a
//! guest. Both come with the audience their catalog and prices are resolved for.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use hanse_store::{Audience, Tenant};

use super::{SignedIn, StoreTenant};
use crate::error::ApiError;
use crate::state::AppState;

/// A storefront visitor.
pub struct Shopper {
    /// The tenant.
    pub tenant: Tenant,
    /// Whose catalog and prices apply.
    pub audience: Audience,
}

impl FromRequestParts<AppState> for Shopper {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            // A session that is sent must be good: a bad one is an error, never a silent guest.
            let buyer = SignedIn::from_request_parts(parts, state).await?;
            return Ok(Shopper { tenant: buyer.tenant, audience: buyer.audience });
        }
        let StoreTenant(tenant) = StoreTenant::from_request_parts(parts, state).await?;
        if !state.store().tenant_settings(&tenant.id).await?.guest_browsing {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "sign_in_required",
                "this store shows its catalog to signed-in buyers only; log in first",
            ));
        }
        let audience = state.store().audience(&tenant.id, None).await?;
        Ok(Shopper { tenant, audience })
    }
}
