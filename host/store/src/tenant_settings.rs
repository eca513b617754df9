//! A tenant's settings: the merchant's switches, typed here, stored by key.

use crate::ids::now;
use crate::tenants::TenantId;
use crate::{Result, Store};

const COMPANY_REGISTRATION: &str = "company_registration";
const GUEST_BROWSING: &str = "guest_browsing";

/// The merchant's switches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantSettings {
    /// May buyers register companies on the storefront (as `pending`).
    pub company_registration: bool,
    /// May visitors without a session browse the public catalog and price it.
    pub guest_browsing: bool,
}

impl Default for TenantSettings {
    fn default() -> Self {
        // Magento's defaults: storefront registration is allowed, and so is browsing as a guest.
        TenantSettings { company_registration: true, guest_browsing: true }
    }
}

impl TenantSettings {
    fn pairs(&self) -> [(&'static str, bool); 2] {
        [(COMPANY_REGISTRATION, self.company_registration), (GUEST_BROWSING, self.guest_browsing)]
    }
}

impl Store {
    /// The settings of `tenant`; defaults for what was never set.
    pub async fn tenant_settings(&self, tenant: &TenantId) -> Result<TenantSettings> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT key, value FROM tenant_settings WHERE tenant_id = $1")
            .bind(tenant.as_str())
            .fetch_all(&self.pool)
            .await?;
        let mut settings = TenantSettings::default();
        for (key, value) in rows {
            let value = value == "true";
            match key.as_str() {
                COMPANY_REGISTRATION => settings.company_registration = value,
                GUEST_BROWSING => settings.guest_browsing = value,
                _ => {}
            }
        }
        Ok(settings)
    }

    /// Stores all of `settings` for `tenant`.
    pub async fn set_tenant_settings(&self, tenant: &TenantId, settings: &TenantSettings) -> Result<()> {
        let mut tx = self.begin_write().await?;
        for (key, value) in settings.pairs() {
            sqlx::query(
                "INSERT INTO tenant_settings (tenant_id, key, value, updated_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (tenant_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(tenant.as_str())
            .bind(key)
            .bind(if value { "true" } else { "false" })
            .bind(now().millis())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
