//! Tenants and admin tokens, as the operator API shows them.

use hanse_store::{AdminToken, Tenant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /operator/v1/tenants`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TenantCreate {
    /// URL-safe handle: 2-63 lower-case letters, digits and hyphens.
    #[schema(example = "acme")]
    pub slug: String,
    /// Display name.
    #[schema(example = "Acme Industrial Supply")]
    pub name: String,
    /// ISO 4217 code of every price in this tenant.
    #[schema(example = "USD")]
    pub currency: String,
    /// Host names the storefront answers on, besides the `X-Tenant` header.
    #[serde(default)]
    #[schema(example = json!(["shop.acme.example"]))]
    pub domains: Vec<String>,
}

/// A tenant.
#[derive(Serialize, ToSchema)]
pub struct TenantOut {
    /// URL-safe handle.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Storefront host names.
    pub domains: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl TenantOut {
    /// The operator's view of `t`, answering on `domains`.
    pub fn new(t: &Tenant, domains: Vec<String>) -> Self {
        TenantOut {
            slug: t.slug.to_string(),
            name: t.name.clone(),
            currency: t.currency.code().to_owned(),
            status: t.status.as_str().to_owned(),
            domains,
            created_at: t.created_at.to_string(),
            updated_at: t.updated_at.to_string(),
        }
    }
}

/// A new tenant and its first admin token (shown this once).
#[derive(Serialize, ToSchema)]
pub struct TenantCreated {
    /// The tenant.
    #[serde(flatten)]
    pub tenant: TenantOut,
    /// The first admin token. It is stored only as a hash: keep it now.
    #[schema(example = "hat_4f1c...")]
    pub admin_token: String,
    /// Id of that token, to revoke it later.
    pub admin_token_id: String,
}

/// A list of tenants.
#[derive(Serialize, ToSchema)]
pub struct TenantList {
    /// Tenants by slug.
    pub items: Vec<TenantOut>,
}

/// Body of `POST /operator/v1/tenants/{slug}/tokens`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct TokenCreate {
    /// What the token is for (`erp-sync`, `alice`); shown in listings.
    #[serde(default)]
    pub label: Option<String>,
}

/// An admin token's record.
#[derive(Serialize, ToSchema)]
pub struct TokenOut {
    /// Id, to revoke it.
    pub id: String,
    /// Label given when issued.
    pub label: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, when revoked.
    pub revoked_at: Option<String>,
}

impl From<&AdminToken> for TokenOut {
    fn from(t: &AdminToken) -> Self {
        TokenOut {
            id: t.id.clone(),
            label: t.label.clone(),
            created_at: t.created_at.to_string(),
            revoked_at: t.revoked_at.map(|r| r.to_string()),
        }
    }
}

/// A newly issued admin token: the secret is shown this once.
#[derive(Serialize, ToSchema)]
pub struct TokenIssued {
    /// The record.
    #[serde(flatten)]
    pub record: TokenOut,
    /// The bearer secret for `Authorization: Bearer ...` on `/admin/v1`.
    pub token: String,
}

/// A list of admin tokens.
#[derive(Serialize, ToSchema)]
pub struct TokenList {
    /// Newest first, revoked ones included.
    pub items: Vec<TokenOut>,
}
