//! `hanse serve --demo`: a tenant with a small realistic catalog, so every README example works.

use hanse_domain::currency::Currency;
use hanse_domain::tenant::{Domain, TenantSlug};
use hanse_store::{NewTenant, Secret, Store};

use crate::cli::CliError;
use crate::import::products::import_products;

/// The demo tenant's slug.
pub const TENANT: &str = "demo";
/// The operator token in demo mode, unless `HANSE_OPERATOR_TOKEN` is set.
pub const OPERATOR_TOKEN: &str = "demo-operator-token";
/// The demo tenant's admin token.
pub const ADMIN_TOKEN: &str = "demo-admin-token";

const CATALOG: &str = include_str!("demo_catalog.csv");

/// Creates the demo tenant with its catalog, unless it exists (then it is left as it is, with
/// whatever changes were made to it).
pub async fn seed(store: &Store) -> Result<(), CliError> {
    let slug = TenantSlug::parse(TENANT).map_err(|e| CliError::Usage(e.to_string()))?;
    if store.tenants().get_by_slug(&slug).await?.is_some() {
        tracing::info!(tenant = TENANT, "demo tenant exists; not seeding");
        return Ok(());
    }
    let currency = Currency::parse("USD").map_err(|e| CliError::Usage(e.to_string()))?;
    let domains = vec![Domain::parse("demo.localhost").map_err(|e| CliError::Usage(e.to_string()))?];
    let tenant = store
        .tenants()
        .create(&NewTenant { slug, name: "Demo Industrial Supply".into(), currency, domains })
        .await?;
    store.admin_tokens(&tenant.id).issue_with("demo", &Secret::known(ADMIN_TOKEN)).await?;
    let report = import_products(store, &tenant.id, CATALOG.as_bytes(), |_| {})
        .await
        .map_err(|e| CliError::Io(format!("demo catalog: {e}")))?;
    if report.failed > 0 {
        return Err(CliError::Io(format!("demo catalog: {} rows refused: {:?}", report.failed, report.errors)));
    }
    tracing::warn!(tenant = TENANT, admin_token = ADMIN_TOKEN, products = report.created, "seeded the demo tenant");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalog_has_a_header_and_rows() {
        let mut lines = super::CATALOG.lines();
        assert!(lines.next().is_some_and(|h| h.starts_with("sku,name,price")));
        assert!(lines.count() >= 30);
    }
}
