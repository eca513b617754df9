//! Which tenant a storefront request is for: the `X-Tenant` header, else the host name.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use hanse_domain::tenant::{Domain, TenantSlug};
use hanse_store::Tenant;

use super::auth::ensure_active;
use crate::error::ApiError;
use crate::state::AppState;

/// The tenant a storefront request addresses.
pub struct StoreTenant(pub Tenant);

/// The header that names the tenant by slug.
pub const TENANT_HEADER: &str = "x-tenant";

impl FromRequestParts<AppState> for StoreTenant {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let tenants = state.store().tenants();
        let tenant = if let Some(value) = parts.headers.get(TENANT_HEADER) {
            // A header that is no valid slug names no tenant: not found, like an unknown slug.
            match value.to_str().ok().and_then(|v| TenantSlug::parse(v.trim()).ok()) {
                Some(slug) => tenants.get_by_slug(&slug).await?.ok_or_else(|| ApiError::not_found("tenant"))?,
                None => return Err(ApiError::not_found("tenant")),
            }
        } else {
            let host = parts
                .headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(|h| h.rsplit_once(':').filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit())).map_or(h, |(name, _)| name));
            let found = match host.and_then(|h| Domain::parse(h).ok()) {
                Some(domain) => tenants.get_by_domain(&domain).await?,
                None => None,
            };
            found.ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "tenant_required",
                    "name the shop with the `X-Tenant: <slug>` header or call it on one of its host names",
                )
            })?
        };
        ensure_active(&tenant)?;
        Ok(StoreTenant(tenant))
    }
}
