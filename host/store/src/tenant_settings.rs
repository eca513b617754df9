//! A tenant's settings: the merchant's switches, typed here, stored by key.

use crate::ids::now;
use crate::tenants::TenantId;
use crate::{Result, Store};

const COMPANY_REGISTRATION: &str = "company_registration";

/// The merchant's switches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSettings {
    /// May buyers register companies on the storefront (as `pending`).
    pub company_registration: bool,
}

impl Default for TenantSettings {
    fn default() -> Self {
        // Magento's default: storefront registration is allowed.
        TenantSettings { company_registration: true }
    }
}

impl Store {
    /// The settings of `tenant`; defaults for what was never set.
    pub async fn tenant_settings(&self, tenant: &TenantId) -> Result<TenantSettings> {
        let value: Option<String> = sqlx::query_scalar("SELECT value FROM tenant_settings WHERE tenant_id = $1 AND key = $2")
            .bind(tenant.as_str())
            .bind(COMPANY_REGISTRATION)
            .fetch_optional(&self.pool)
            .await?;
        let mut settings = TenantSettings::default();
        if let Some(value) = value {
            settings.company_registration = value == "true";
        }
        Ok(settings)
    }

    /// Stores all of `settings` for `tenant`.
    pub async fn set_tenant_settings(&self, tenant: &TenantId, settings: &TenantSettings) -> Result<()> {
        sqlx::query(
            "INSERT INTO tenant_settings (tenant_id, key, value, updated_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(tenant.as_str())
        .bind(COMPANY_REGISTRATION)
        .bind(if settings.company_registration { "true" } else { "false" })
        .bind(now().millis())
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
