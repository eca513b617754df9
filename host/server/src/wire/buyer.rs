//! Buyer sign-in: login, sessions, who am I, passwords, switching companies.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use hanse_store::Membership;

/// Body of `POST /store/v1/auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// E-mail address.
    #[schema(example = "ann@bolt.example")]
    pub email: String,
    /// Password.
    #[schema(example = "correct horse 1")]
    pub password: String,
    /// The company to act in, for a buyer of several; else the first usable one.
    #[serde(default)]
    pub company_id: Option<String>,
}

/// A new session.
#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer <token>`; shown only here.
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    /// The company the session acts in.
    pub company_id: String,
}

/// A company the buyer belongs to.
#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    /// Company id.
    pub id: String,
    /// Company name.
    pub name: String,
    /// Company status.
    pub status: String,
    /// The buyer's role there (`Company Administrator` for its admin).
    pub role: String,
}

/// `GET /store/v1/me`: the buyer, the company the session acts in, the role there and what it
/// allows.
#[derive(Serialize, ToSchema)]
pub struct MeOut {
    /// Buyer id.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The current company.
    pub company: MembershipOut,
    /// Role id there; null for the company admin.
    pub role_id: Option<String>,
    /// Allowed permission ids (see the permission tree in the README).
    #[schema(example = json!(["company", "company.users.view", "company.user_management"]))]
    pub permissions: Vec<String>,
    /// Every company the buyer belongs to.
    pub companies: Vec<MembershipOut>,
}

impl From<&Membership> for MembershipOut {
    fn from(m: &Membership) -> Self {
        let role = match (&m.role, m.is_admin) {
            (_, true) => "Company Administrator".to_owned(),
            (Some((_, name, _)), false) => name.clone(),
            (None, false) => String::new(),
        };
        MembershipOut { id: m.company_id.clone(), name: m.company_name.clone(), status: m.company_status.as_str().to_owned(), role }
    }
}

/// Body of `POST /store/v1/me/password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeIn {
    /// The password now.
    pub current_password: String,
    /// The new one, at least 10 characters.
    pub new_password: String,
}

/// Body of `POST /store/v1/auth/password-reset`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetIn {
    /// The account's e-mail address.
    #[schema(example = "ann@bolt.example")]
    pub email: String,
}

/// Body of `POST /store/v1/auth/password-reset/confirm`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmIn {
    /// The token from the reset message.
    pub token: String,
    /// The new password, at least 10 characters.
    pub new_password: String,
}

/// Body of `POST /store/v1/auth/switch`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchIn {
    /// One of the buyer's companies (see `GET /store/v1/me`).
    pub company_id: String,
}
