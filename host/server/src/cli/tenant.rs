//! `hanse tenant ...`

use clap::Subcommand;
use hanse_domain::FieldErrors;
use hanse_domain::currency::Currency;
use hanse_domain::tenant::{Domain, TenantSlug, parse_name};
use hanse_store::{NewTenant, Store};

use super::CliError;

#[derive(Subcommand)]
pub enum TenantCommand {
    /// Create a tenant and print its first admin token (shown only this once).
    Create {
        /// URL-safe handle: 2-63 lower-case letters, digits and hyphens.
        #[arg(long)]
        slug: String,
        /// Display name.
        #[arg(long)]
        name: String,
        /// ISO 4217 currency of all its prices.
        #[arg(long, default_value = "USD")]
        currency: String,
        /// A host name its storefront answers on (repeatable).
        #[arg(long = "domain")]
        domains: Vec<String>,
    },
    /// List tenants.
    List,
}

pub async fn run(store: &Store, command: TenantCommand) -> Result<(), CliError> {
    match command {
        TenantCommand::Create { slug, name, currency, domains } => {
            let mut errors = FieldErrors::new();
            let slug = errors.check("--slug", TenantSlug::parse(&slug));
            let name = errors.check("--name", parse_name(&name, 200));
            let currency = errors.check("--currency", Currency::parse(&currency));
            let domains: Vec<_> = domains.iter().map(|d| errors.check("--domain", Domain::parse(d))).collect();
            let new = errors
                .finish(|| Some(NewTenant { slug: slug?, name: name?, currency: currency?, domains: domains.into_iter().collect::<Option<_>>()? }))
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let tenant = store.tenants().create(&new).await?;
            let (_, secret) = store.admin_tokens(&tenant.id).issue("initial").await?;
            println!("created tenant {} ({}, {})", tenant.slug, tenant.name, tenant.currency);
            println!("admin token (shown only now): {}", secret.expose());
            Ok(())
        }
        TenantCommand::List => {
            let tenants = store.tenants().list().await?;
            println!("{:<24} {:<10} {:<9} {:<24} NAME", "SLUG", "STATUS", "CURRENCY", "CREATED");
            for t in &tenants {
                println!("{:<24} {:<10} {:<9} {:<24} {}", t.slug, t.status.as_str(), t.currency, t.created_at, t.name);
            }
            println!("{} tenant(s)", tenants.len());
            Ok(())
        }
    }
}
