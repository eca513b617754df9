//! A tenant's tax table: percentage rates by country and optionally region.

use hanse_domain::money::Fixed4;
use hanse_domain::tax::TaxRate;

use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// The tax table of one tenant.
pub struct TaxRates<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The tax table of `tenant`.
    pub fn tax_rates<'a>(&'a self, tenant: &'a TenantId) -> TaxRates<'a> {
        TaxRates { store: self, tenant }
    }
}

impl TaxRates<'_> {
    /// Every rate, by country and region.
    pub async fn list(&self) -> Result<Vec<TaxRate>> {
        let rows: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT country, region, percent, shipping FROM tax_rates WHERE tenant_id = $1 ORDER BY country, region")
                .bind(self.tenant.as_str())
                .fetch_all(&self.store.pool)
                .await?;
        rows.into_iter()
            .map(|(country, region, percent, shipping)| {
                Ok(TaxRate { country, region, percent: Fixed4::from_units(percent).map_err(|e| StoreError::corrupt("tax percent", e))?, shipping: shipping == 1 })
            })
            .collect()
    }

    /// Replaces the whole table in one transaction.
    pub async fn replace(&self, rates: &[TaxRate]) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        sqlx::query("DELETE FROM tax_rates WHERE tenant_id = $1").bind(self.tenant.as_str()).execute(&mut *tx).await?;
        for rate in rates {
            sqlx::query("INSERT INTO tax_rates (tenant_id, country, region, percent, shipping) VALUES ($1, $2, $3, $4, $5)")
                .bind(self.tenant.as_str())
                .bind(rate.country.as_str())
                .bind(rate.region.as_str())
                .bind(rate.percent.units())
                .bind(i64::from(rate.shipping))
                .execute(&mut *tx)
                .await
                .map_err(StoreError::on_unique(format!("the rate for {} {} is given twice", rate.country, rate.region)))?;
        }
        tx.commit().await?;
        Ok(())
    }
}
