//! The first read of every signed-in storefront request: the tenant the request names, the
//! session its token opens, the session's buyer and memberships, and the audience of the
//! session's company, all in one statement.

use hanse_domain::tenant::{Domain, TenantSlug};
use hanse_domain::time::Timestamp;
use sqlx::Row;

use crate::buyers::{Buyer, BuyerSession, SessionAccount, membership_from_row};
use crate::ids::now;
use crate::price_lists::{company_audience, segments_json};
use crate::secrets::hash_secret;
use crate::tenants::{Tenant, from_row as tenant_from_row};
use crate::{Result, Store};

/// How a storefront request names its tenant.
#[derive(Debug, Clone, Copy)]
pub enum TenantKey<'a> {
    /// By slug (the `X-Tenant` header).
    Slug(&'a TenantSlug),
    /// By one of its host names.
    Domain(&'a Domain),
}

/// What a token opens at a tenant.
#[derive(Debug, Clone)]
pub struct SessionAt {
    /// The tenant (whatever its status: the caller decides what a suspended one may do).
    pub tenant: Tenant,
    /// The live session the token names there, with its account; `None` when the token names
    /// no live session of this tenant.
    pub account: Option<SessionAccount>,
}

impl Store {
    /// The tenant `key` names and the live session `token` opens there. `None` when no tenant
    /// answers to `key`. One statement: it starts every signed-in request.
    pub async fn session_at(&self, key: TenantKey<'_>, token: &str) -> Result<Option<SessionAt>> {
        let (tenant_filter, name) = match key {
            TenantKey::Slug(slug) => ("t.slug = $3", slug.as_str()),
            TenantKey::Domain(domain) => ("t.id = (SELECT tenant_id FROM tenant_domains WHERE domain = $3)", domain.as_str()),
        };
        // Only the session's company needs its audience; the others' rows skip the subquery.
        let segments = segments_json(self.backend(), "m.tenant_id", "m.company_id");
        let sql = format!(
            "SELECT t.id, t.slug, t.name, t.currency, t.status, t.plugin_revision, t.plugin_limits, t.created_at, t.updated_at,
                    s.buyer_id AS session_buyer, s.company_id AS session_company, s.expires_at,
                    b.email, b.password_hash, b.first_name, b.last_name,
                    m.company_id, c.name AS company_name, c.status AS company_status, m.is_admin, m.status AS member_status,
                    r.id AS role_id, r.name AS role_name, r.permissions,
                    c.customer_group_id, a.catalog_id,
                    CASE WHEN m.company_id = s.company_id THEN {segments} END AS segments
             FROM tenants t
             LEFT JOIN buyer_sessions s ON s.tenant_id = t.id AND s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2
             LEFT JOIN buyers b ON b.tenant_id = s.tenant_id AND b.id = s.buyer_id
             LEFT JOIN company_members m ON m.tenant_id = b.tenant_id AND m.buyer_id = b.id
             LEFT JOIN companies c ON c.tenant_id = m.tenant_id AND c.id = m.company_id
             LEFT JOIN company_roles r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
             LEFT JOIN shared_catalog_companies a ON a.tenant_id = m.tenant_id AND a.company_id = m.company_id
             WHERE {tenant_filter}
             ORDER BY m.created_at, m.company_id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash_secret(token))
            .bind(now().millis())
            .bind(name)
            .fetch_all(&self.pool)
            .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let tenant = tenant_from_row(first)?;
        // The left joins give one row without a buyer when the token opens nothing, and one
        // without a membership when the buyer has none.
        let (Some(buyer_id), Some(email)) = (first.try_get::<Option<String>, _>("session_buyer")?, first.try_get::<Option<String>, _>("email")?) else {
            return Ok(Some(SessionAt { tenant, account: None }));
        };
        let session = BuyerSession {
            company_id: first.try_get("session_company")?,
            expires_at: Timestamp::from_millis(first.try_get("expires_at")?),
            buyer_id: buyer_id.clone(),
        };
        let buyer = Buyer {
            id: buyer_id,
            email,
            password_hash: first.try_get("password_hash")?,
            first_name: first.try_get("first_name")?,
            last_name: first.try_get("last_name")?,
        };
        let mut memberships = Vec::with_capacity(rows.len());
        let mut audience = None;
        for row in &rows {
            let Some(company) = row.try_get::<Option<String>, _>("company_id")? else { continue };
            if company == session.company_id {
                let segments: Option<String> = row.try_get("segments")?;
                let segments = segments.unwrap_or_else(|| "[]".to_owned());
                audience = Some(company_audience(&company, row.try_get("customer_group_id")?, row.try_get("catalog_id")?, &segments)?);
            }
            memberships.push(membership_from_row(row, "member_status")?);
        }
        Ok(Some(SessionAt { tenant, account: Some(SessionAccount { session, buyer, memberships, audience }) }))
    }
}
