//! The buyer a storefront request acts for: a live session of this tenant, in a company whose
//! status and the buyer's standing still allow it (checked on every request, so approving,
//! rejecting or deactivating takes effect at once).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use hanse_domain::company::Permissions;
use hanse_store::{Buyer, Membership, Tenant};

use super::StoreTenant;
use super::auth::bearer;
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
        let StoreTenant(tenant) = StoreTenant::from_request_parts(parts, state).await?;
        let token = bearer(parts)?.to_owned();
        let buyers = state.store().buyers(&tenant.id);
        // The session, its account and the account's memberships in one read.
        let account = buyers.session_account(&token).await?.ok_or_else(|| ApiError::unauthorized("the session is not valid, expired or was ended; log in again"))?;
        let (session, buyer, memberships) = (account.session, account.buyer, account.memberships);
        let membership = memberships
            .iter()
            .find(|m| m.company_id == session.company_id)
            .cloned()
            .ok_or_else(|| ApiError::unauthorized("you no longer belong to the session's company; log in again"))?;
        if let Some(error) = refusal(&membership) {
            return Err(error);
        }
        let permissions = permissions(&membership)?;
        Ok(SignedIn { tenant, token, buyer, membership, memberships, permissions })
    }
}
