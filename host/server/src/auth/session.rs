//! Who a buyer is acting as: the company a session works in, the role there, and what the
//! company's status and the buyer's standing allow.

use axum::http::StatusCode;
use hanse_domain::company::{CompanyStatus, Permissions, UserStatus};
use hanse_store::Membership;

use crate::error::ApiError;

/// How long a buyer session lasts.
pub const SESSION_TTL_MILLIS: i64 = 12 * 60 * 60 * 1000;

/// The effective permissions of a membership: everything for the company admin, else the
/// role's.
pub fn permissions(membership: &Membership) -> Result<Permissions, ApiError> {
    if membership.is_admin {
        return Ok(Permissions::all());
    }
    let Some((_, _, allowed)) = &membership.role else {
        return Ok(Permissions::default());
    };
    let ids: Vec<String> = serde_json::from_str(allowed).map_err(ApiError::internal)?;
    Permissions::parse(&ids).map_err(ApiError::internal)
}

/// Why a membership may not be used to log in or act, if it may not.
pub fn refusal(membership: &Membership) -> Option<ApiError> {
    if membership.status == UserStatus::Inactive {
        return Some(ApiError::new(StatusCode::FORBIDDEN, "user_inactive", format!("your account at {} is inactive", membership.company_name)));
    }
    match membership.company_status {
        CompanyStatus::Pending => Some(ApiError::new(
            StatusCode::FORBIDDEN,
            "company_pending",
            format!("{} is waiting for the merchant's approval", membership.company_name),
        )),
        CompanyStatus::Rejected => {
            Some(ApiError::new(StatusCode::FORBIDDEN, "company_rejected", format!("{} was not approved by the merchant", membership.company_name)))
        }
        CompanyStatus::Active | CompanyStatus::Blocked => None,
    }
}

/// The company to log in to: the one asked for, else the first that may be used. With none
/// usable, the first one's refusal.
pub fn choose<'a>(memberships: &'a [Membership], asked: Option<&str>) -> Result<&'a Membership, ApiError> {
    if let Some(id) = asked {
        let membership = memberships.iter().find(|m| m.company_id == id).ok_or_else(|| ApiError::invalid_field("company_id", "you are not a member of that company"))?;
        return match refusal(membership) {
            Some(error) => Err(error),
            None => Ok(membership),
        };
    }
    if let Some(usable) = memberships.iter().find(|m| refusal(m).is_none()) {
        return Ok(usable);
    }
    Err(memberships.first().and_then(refusal).unwrap_or_else(|| ApiError::new(StatusCode::FORBIDDEN, "no_company", "your account belongs to no company")))
}
