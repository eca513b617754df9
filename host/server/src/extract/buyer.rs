//! The buyer a storefront request acts for: a live session of this tenant, in a company whose
//! status and the buyer's standing still allow it (checked on every request, so approving,
//! rejecting or deactivating takes effect at once).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hanse_domain::company::Permissions;
use hanse_store::{Audience, Buyer, Membership, Tenant};

use super::auth::{bearer, ensure_active};
use super::tenant::TenantName;
use crate::auth::session::{permissions, refusal};
use crate::error::ApiError;
use crate::state::AppState;

/// A signed-in buyer acting in one company.
pub struct SignedIn {
    /// The tenant.
    pub tenant: Tenant,
    /// The session token as sent.
    pub token: String,
    /// The buyer.
    pub buyer: Buyer,
    /// The company the session acts in, and the buyer's place there.
    pub membership: Membership,
    /// Every company the buyer belongs to.
    pub memberships: Vec<Membership>,
    /// What the buyer may do there.
    pub permissions: Permissions,
    /// Catalog, group and segments of the company, as of this request.
    pub audience: Audience,
}

impl SignedIn {
    /// `Ok` while the company may change things; a blocked company's people may log in and
    /// browse but not submit anything (`company_blocked`).
    pub fn require_active_company(&self) -> Result<(), ApiError> {
        if self.membership.company_status.allows_transactions() {
            Ok(())
        } else {
            Err(ApiError::new(
                axum::http::StatusCode::FORBIDDEN,
                "company_blocked",
                format!("{} is blocked by the merchant: you can browse, not change or order anything", self.membership.company_name),
            ))
        }
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let name = TenantName::of(parts)?;
        let token = match bearer(parts) {
            Ok(token) => token.to_owned(),
            // An unknown or suspended tenant is reported before a missing session.
            Err(error) => {
                name.tenant(state).await?;
                return Err(error);
            }
        };
        // The tenant, the session, its account, the account's memberships and the company's
        // audience in one read.
        let found = state.store().session_at(name.key(), &token).await?.ok_or_else(|| name.unknown())?;
        ensure_active(&found.tenant)?;
        let tenant = found.tenant;
        let account = found.account.ok_or_else(|| ApiError::unauthorized("the session is not valid, expired or was ended; log in again"))?;
        let (session, buyer, memberships, audience) = (account.session, account.buyer, account.memberships, account.audience);
        let membership = memberships
            .iter()
            .find(|m| m.company_id == session.company_id)
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("you no longer belong to the session's company; log in again"))?;
        if let Some(error) = refusal(&membership) {
            return Err(error);
        }
        let permissions = permissions(&membership)?;
        let audience = audience.ok_or_else(|| ApiError::internal("a session's company without its audience"))?;
        Ok(SignedIn { tenant, token, buyer, membership, memberships, permissions, audience })
    }
}
