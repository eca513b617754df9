//! `hanse import ...`

use std::path::PathBuf;

use clap::Subcommand;
use hanse_domain::tenant::TenantSlug;
use hanse_store::Store;
use indicatif::{ProgressBar, ProgressStyle};

use super::CliError;
use crate::import::price_lists::import_entries;
use crate::import::products::{ImportError, import_products};
use crate::import::stock::import_stock;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import products from a CSV file: upsert by SKU, idempotent, per-row errors.
    ///
    /// Columns: sku, name, price (required); description, status, weight, categories
    /// ("Top/Sub" paths separated by "|", created when missing), quantity (or qty),
    /// attribute.<code>. Exits with status 1 if any row was refused (valid rows are applied).
    Products {
        /// Slug of the tenant to import into.
        #[arg(long)]
        tenant: String,
        /// The CSV file.
        file: PathBuf,
    },
    /// Import price-list entries from a CSV file: upsert by SKU and quantity, idempotent,
    /// per-row errors.
    ///
    /// Columns: sku, and price (a fixed unit price) or percent_off (off the list price);
    /// optional min_quantity (or qty, tier_price_qty) for quantity breaks, valid_from and
    /// valid_to (RFC 3339). Exits with status 1 if any row was refused (valid rows are applied).
    Prices {
        /// Slug of the tenant.
        #[arg(long)]
        tenant: String,
        /// Id of the price list (`pl_...`) to import into; it must exist.
        #[arg(long)]
        list: String,
        /// The CSV file.
        file: PathBuf,
    },
    /// Import stock from a CSV file: absolute values by SKU, idempotent, per-row errors.
    ///
    /// Columns: sku, and any of quantity (or qty), out_of_stock_threshold (or min_qty),
    /// backorders (no, allow, allow_notify or 0, 1, 2), notify_quantity (or notify_stock_qty);
    /// optionally source_code, the source a row's quantity is for (Magento's source items:
    /// source_code,sku,quantity; without it, the default source). An empty cell keeps the
    /// stored value. Exits with status 1 if any row was refused.
    Stock {
        /// Slug of the tenant.
        #[arg(long)]
        tenant: String,
        /// The CSV file.
        file: PathBuf,
    },
}

/// Which importer a command runs.
enum Importer {
    Products,
    Prices(String),
    Stock,
}

pub async fn run(store: &Store, command: ImportCommand) -> Result<(), CliError> {
    let (tenant, file, importer) = match command {
        ImportCommand::Products { tenant, file } => (tenant, file, Importer::Products),
        ImportCommand::Prices { tenant, list, file } => (tenant, file, Importer::Prices(list)),
        ImportCommand::Stock { tenant, file } => (tenant, file, Importer::Stock),
    };
    let slug = TenantSlug::parse(&tenant).map_err(|e| CliError::Usage(format!("--tenant: {e}")))?;
    let tenant = store
        .tenants()
        .get_by_slug(&slug)
        .await?
        .ok_or_else(|| CliError::Usage(format!("no tenant with slug {:?}", slug.as_str())))?;
    if let Importer::Prices(list) = &importer {
        if store.price_lists(&tenant.id).get(list).await?.is_none() {
            return Err(CliError::Usage(format!("--list: no price list {list:?} in tenant {}", slug.as_str())));
        }
    }
    let handle = std::fs::File::open(&file).map_err(|e| CliError::Io(format!("cannot open {}: {e}", file.display())))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let reader = std::io::BufReader::with_capacity(1 << 20, handle);
    let result = match &importer {
        Importer::Products => import_products(store, &tenant.id, reader, |bytes| bar.set_position(bytes)).await,
        Importer::Prices(list) => import_entries(store, &tenant.id, list, reader, |bytes| bar.set_position(bytes)).await,
        Importer::Stock => import_stock(store, &tenant.id, reader, |bytes| bar.set_position(bytes)).await,
    };
    bar.finish_and_clear();
    let report = result.map_err(|e| match e {
        ImportError::InvalidFile { .. } | ImportError::Read(_) => CliError::Usage(format!("{}: {e}", file.display())),
        ImportError::Store { .. } => CliError::Io(e.to_string()),
    })?;
    for error in &report.errors {
        let sku = error.sku.as_deref().map(|s| format!(" [{s}]")).unwrap_or_default();
        let field = error.field.as_deref().map(|f| format!(" {f}:")).unwrap_or_default();
        eprintln!("line {}{sku}{field} {}", error.line, error.message);
    }
    if report.errors_truncated {
        eprintln!("... more refused rows not listed");
    }
    println!(
        "{} rows: {} created, {} updated, {} unchanged, {} failed in {:.2} s ({} rows/s)",
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.failed,
        report.duration_ms as f64 / 1000.0,
        report.rows_per_second
    );
    if report.failed > 0 {
        return Err(CliError::Usage(format!("{} row(s) refused; the valid rows were applied", report.failed)));
    }
    Ok(())
}
