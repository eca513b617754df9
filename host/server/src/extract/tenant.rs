//! Which tenant a storefront request is for: the `X-Tenant` header, else the host name.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use hanse_domain::tenant::{Domain, TenantSlug};
use hanse_store::{Tenant, TenantKey};

use super::auth::ensure_active;
use crate::error::ApiError;
use crate::state::AppState;

/// The tenant a storefront request addresses.
pub struct StoreTenant(pub Tenant);

/// The header that names the tenant by slug.
pub const TENANT_HEADER: &str = "x-tenant";

/// How a request names its tenant, before it is looked up.
pub enum TenantName {
    /// By the `X-Tenant` header.
    Slug(TenantSlug),
    /// By the host it was sent to.
    Domain(Domain),
}

impl TenantName {
    /// The name in `parts`: a header that is no valid slug names no tenant (not found, like an
    /// unknown slug); a request without the header and without a host name is `tenant_required`.
    pub fn of(parts: &Parts) -> Result<TenantName, ApiError> {
        if let Some(value) = parts.headers.get(TENANT_HEADER) {
            return match value.to_str().ok().and_then(|v| TenantSlug::parse(v.trim()).ok()) {
                Some(slug) => Ok(TenantName::Slug(slug)),
                None => Err(ApiError::not_found("tenant")),
            };
        }
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(|h| h.rsplit_once(':').filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit())).map_or(h, |(name, _)| name));
        match host.and_then(|h| Domain::parse(h).ok()) {
            Some(domain) => Ok(TenantName::Domain(domain)),
            None => Err(tenant_required()),
        }
    }

    /// The key the store looks the tenant up by.
    pub fn key(&self) -> TenantKey<'_> {
        match self {
            TenantName::Slug(slug) => TenantKey::Slug(slug),
            TenantName::Domain(domain) => TenantKey::Domain(domain),
        }
    }

    /// The error when no tenant answers to this name.
    pub fn unknown(&self) -> ApiError {
        match self {
            TenantName::Slug(_) => ApiError::not_found("tenant"),
            TenantName::Domain(_) => tenant_required(),
        }
    }

    /// The active tenant of this name.
    pub async fn tenant(&self, state: &AppState) -> Result<Tenant, ApiError> {
        let tenants = state.store().tenants();
        let found = match self {
            TenantName::Slug(slug) => tenants.get_by_slug(slug).await?,
            TenantName::Domain(domain) => tenants.get_by_domain(domain).await?,
        };
        let tenant = found.ok_or_else(|| self.unknown())?;
        ensure_active(&tenant)?;
        Ok(tenant)
    }
}

fn tenant_required() -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "tenant_required",
        "name the shop with the `X-Tenant: <slug>` header or call it on one of its host names",
    )
}

impl FromRequestParts<AppState> for StoreTenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(StoreTenant(TenantName::of(parts)?.tenant(state).await?))
    }
}
