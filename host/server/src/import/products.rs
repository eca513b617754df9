//! Product import from CSV: upsert by SKU, per-row errors, valid rows applied in batches.
//!
//! The file has a header row. Required columns: `sku`, `name`, `price`. Optional: `description`,
//! `status`, `weight`, `categories` (paths of names separated by `/`, several separated by `|`,
//! created when missing, as Magento's import does), `quantity` (or `qty`), and
//! `attribute.<code>` for free-form attributes. A column the file does not have leaves that
//! field of an existing product as it is; an empty `categories` or `quantity` cell does too. A
//! quantity is what the `default` source holds: a row changing it for a SKU that another source
//! holds is refused (set each source's quantity with the stock import's `source_code` column).
//!
//! A bad row is reported with its line number and skipped; the other rows are applied, a batch
//! per transaction. Running the same file again changes nothing (rows already as stored count
//! as `unchanged`). A bad header fails the whole import before anything is written.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::time::Instant;

use hanse_domain::category::parse_name_path;
use hanse_domain::product::{ProductDraft, ProductInput, StockQuantity};
use hanse_store::{ImportOutcome, ImportRow, KeepFields, Store, StoreError, TenantId};
use serde::Serialize;
use utoipa::ToSchema;

/// Rows per transaction.
pub const BATCH_SIZE: usize = 1_000;
/// At most this many row errors are listed; the rest are only counted.
pub const MAX_LISTED_ERRORS: usize = 1_000;

/// What an import did.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct ImportReport {
    /// Data rows read (the header excluded).
    pub rows: u64,
    /// Records created (products, or price-list entries).
    pub created: u64,
    /// Existing records changed.
    pub updated: u64,
    /// Rows that matched the stored record exactly.
    pub unchanged: u64,
    /// Rows refused (listed in `errors`).
    pub failed: u64,
    /// The refused rows, in file order, at most 1,000.
    pub errors: Vec<RowError>,
    /// True when more rows failed than are listed.
    pub errors_truncated: bool,
    /// Wall time of the import.
    pub duration_ms: u64,
    /// Data rows per second.
    pub rows_per_second: u64,
}

impl ImportReport {
    /// Records the wall time and the rate.
    pub(super) fn finish(&mut self, elapsed: std::time::Duration) {
        self.duration_ms = elapsed.as_millis() as u64;
        self.rows_per_second = (self.rows as f64 / elapsed.as_secs_f64().max(1e-6)) as u64;
    }
}

/// One refused row.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowError {
    /// Line in the file (the header is line 1).
    pub line: u64,
    /// The row's SKU as written, when there was one.
    pub sku: Option<String>,
    /// The refused column, when one is to blame.
    pub field: Option<String>,
    /// Why.
    pub message: String,
}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file itself is unusable (no header, missing or unknown columns).
    #[error("line {line}: {message}")]
    InvalidFile {
        /// Line of the problem.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// Reading the input failed.
    #[error("cannot read the file: {0}")]
    Read(String),
    /// The database failed; batches before the failure were applied.
    #[error("{source} (after {applied} rows were applied)")]
    Store {
        /// The failure.
        source: StoreError,
        /// Rows applied before it.
        applied: u64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Column {
    Sku,
    Name,
    Price,
    Description,
    Status,
    Weight,
    Categories,
    Quantity,
    MinSale,
    MaxSale,
    Increment,
    Attribute,
}

struct Header {
    columns: Vec<(Column, String)>,
    keep: KeepFields,
}

fn parse_header(record: &csv::ByteRecord) -> Result<Header, ImportError> {
    let invalid = |message: String| ImportError::InvalidFile { line: 1, message };
    let mut columns = Vec::with_capacity(record.len());
    let mut seen = std::collections::HashSet::new();
    for raw in record {
        let name = std::str::from_utf8(raw)
            .map_err(|_| invalid("the header is not UTF-8".into()))?
            .trim()
            .trim_start_matches('\u{feff}')
            .to_ascii_lowercase();
        let column = match name.as_str() {
            "sku" => Column::Sku,
            "name" => Column::Name,
            "price" => Column::Price,
            "description" => Column::Description,
            "status" => Column::Status,
            "weight" => Column::Weight,
            "categories" => Column::Categories,
            "quantity" | "qty" => Column::Quantity,
            // Magento's product CSV names.
            "min_sale_quantity" | "min_cart_qty" => Column::MinSale,
            "max_sale_quantity" | "max_cart_qty" => Column::MaxSale,
            "quantity_increment" | "qty_increments" => Column::Increment,
            other if other.starts_with("attribute.") && other.len() > "attribute.".len() => Column::Attribute,
            other => {
                return Err(invalid(format!(
                    "unknown column {other:?}; known: sku, name, price, description, status, weight, categories, quantity, min_sale_quantity, max_sale_quantity, quantity_increment, attribute.<code>"
                )));
            }
        };
        // Aliases (`qty`, Magento's names) count as the column they stand for.
        let key = if column == Column::Attribute { name.clone() } else { format!("{column:?}") };
        if !seen.insert(key) {
            return Err(invalid(format!("column {name:?} appears twice")));
        }
        columns.push((column, name));
    }
    let has = |c: Column| columns.iter().any(|(col, _)| *col == c);
    let missing: Vec<&str> = [(Column::Sku, "sku"), (Column::Name, "name"), (Column::Price, "price")]
        .into_iter()
        .filter(|(c, _)| !has(*c))
        .map(|(_, n)| n)
        .collect();
    if !missing.is_empty() {
        return Err(invalid(format!("missing required columns: {}", missing.join(", "))));
    }
    let keep = KeepFields {
        description: !has(Column::Description),
        status: !has(Column::Status),
        weight: !has(Column::Weight),
        attributes: !has(Column::Attribute),
        sale: !(has(Column::MinSale) || has(Column::MaxSale) || has(Column::Increment)),
    };
    Ok(Header { columns, keep })
}

/// A row's cells by column, before validation.
#[derive(Default)]
struct Cells<'a> {
    sku: &'a str,
    name: &'a str,
    price: &'a str,
    description: Option<&'a str>,
    status: Option<&'a str>,
    weight: Option<&'a str>,
    categories: Option<&'a str>,
    quantity: Option<&'a str>,
    min_sale: Option<&'a str>,
    max_sale: Option<&'a str>,
    increment: Option<&'a str>,
    attributes: BTreeMap<String, String>,
}

/// Imports products from CSV `input` into `tenant`, calling `progress` with the bytes read so far
/// after each batch.
pub async fn import_products(
    store: &Store,
    tenant: &TenantId,
    input: impl Read,
    mut progress: impl FnMut(u64),
) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
    let mut record = csv::ByteRecord::new();
    let read_error = |e: csv::Error| match e.kind() {
        csv::ErrorKind::Io(io) => ImportError::Read(io.to_string()),
        _ => ImportError::InvalidFile { line: e.position().map_or(0, |p| p.line()), message: e.to_string() },
    };
    if !reader.read_byte_record(&mut record).map_err(read_error)? {
        return Err(ImportError::InvalidFile { line: 1, message: "the file is empty; it needs a header row".into() });
    }
    let header = parse_header(&record)?;
    let mut report = ImportReport::default();
    let mut batch = Batch::default();
    let mut category_ids: HashMap<String, String> = HashMap::new();
    let mut applied = 0u64;

    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(read_error(e)),
            Err(e) => {
                // A malformed record (e.g. an unterminated quote): report it and go on.
                report.rows += 1;
                let line = e.position().map_or(0, |p| p.line());
                refuse(&mut report, line, None, None, e.to_string());
                continue;
            }
        }
        report.rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            report.rows -= 1; // blank line
            continue;
        }
        if record.len() != header.columns.len() {
            let message = format!("has {} fields, the header has {}", record.len(), header.columns.len());
            refuse(&mut report, line, None, None, message);
            continue;
        }
        let texts: Result<Vec<&str>, _> = record.iter().map(std::str::from_utf8).collect();
        let Ok(texts) = texts else {
            refuse(&mut report, line, None, None, "is not valid UTF-8".into());
            continue;
        };
        let mut cells = Cells::default();
        for ((column, name), text) in header.columns.iter().zip(texts) {
            let text = text.trim();
            let optional = (!text.is_empty()).then_some(text);
            match column {
                Column::Sku => cells.sku = text,
                Column::Name => cells.name = text,
                Column::Price => cells.price = text,
                Column::Description => cells.description = Some(text),
                Column::Status => cells.status = optional,
                Column::Weight => cells.weight = optional,
                Column::Categories => cells.categories = optional,
                Column::Quantity => cells.quantity = optional,
                Column::MinSale => cells.min_sale = optional,
                Column::MaxSale => cells.max_sale = optional,
                Column::Increment => cells.increment = optional,
                Column::Attribute => {
                    if let Some(value) = optional {
                        cells.attributes.insert(name["attribute.".len()..].to_owned(), value.to_owned());
                    }
                }
            }
        }
        let sku = (!cells.sku.is_empty()).then(|| cells.sku.to_owned());
        let draft = ProductDraft::parse(ProductInput {
            sku: cells.sku,
            name: cells.name,
            description: cells.description,
            price: cells.price,
            status: cells.status,
            weight: cells.weight,
            attributes: std::mem::take(&mut cells.attributes),
            min_sale_quantity: cells.min_sale,
            max_sale_quantity: cells.max_sale,
            quantity_increment: cells.increment,
        });
        let draft = match draft {
            Ok(d) => d,
            Err(errors) => {
                let problems = errors.iter().map(|(f, m)| (Some(f.to_owned()), m.to_owned())).collect();
                refuse_row(&mut report, line, sku, problems);
                continue;
            }
        };
        let quantity = match cells.quantity.map(StockQuantity::parse).transpose() {
            Ok(q) => q,
            Err(e) => {
                refuse(&mut report, line, sku, Some("quantity".into()), e.to_string());
                continue;
            }
        };
        let categories = match cells.categories {
            None => None,
            Some(cell) => match resolve_categories(store, tenant, cell, &mut category_ids).await {
                Ok(ids) => Some(ids),
                Err(Resolve::Invalid(message)) => {
                    refuse(&mut report, line, sku, Some("categories".into()), message);
                    continue;
                }
                Err(Resolve::Store(source)) => return Err(ImportError::Store { source, applied }),
            },
        };
        batch.rows.push(ImportRow { draft, keep: header.keep, categories, quantity });
        batch.lines.push(line);
        if batch.rows.len() >= BATCH_SIZE {
            apply(store, tenant, &mut batch, &mut report, &mut applied).await?;
            progress(reader.position().byte());
        }
    }
    apply(store, tenant, &mut batch, &mut report, &mut applied).await?;
    progress(reader.position().byte());
    if applied >= BATCH_SIZE as u64 {
        store
            .analyze(&["products", "stock_items", "product_categories", "categories", "shared_catalog_products"])
            .await
            .map_err(|source| ImportError::Store { source, applied })?;
    }
    // Rows the store refused are reported after their batch: back in file order.
    report.errors.sort_by_key(|e| e.line);
    report.finish(started.elapsed());
    Ok(report)
}

pub(super) fn refuse(report: &mut ImportReport, line: u64, sku: Option<String>, field: Option<String>, message: String) {
    refuse_row(report, line, sku, vec![(field, message)]);
}

/// Counts one failed row and lists each of its problems (up to the listing limit).
pub(super) fn refuse_row(report: &mut ImportReport, line: u64, sku: Option<String>, problems: Vec<(Option<String>, String)>) {
    report.failed += 1;
    for (field, message) in problems {
        if report.errors.len() < MAX_LISTED_ERRORS {
            report.errors.push(RowError { line, sku: sku.clone(), field, message });
        } else {
            report.errors_truncated = true;
        }
    }
}

/// Rows waiting for their transaction, with their lines in the file.
#[derive(Default)]
struct Batch {
    rows: Vec<ImportRow>,
    lines: Vec<u64>,
}

async fn apply(store: &Store, tenant: &TenantId, batch: &mut Batch, report: &mut ImportReport, applied: &mut u64) -> Result<(), ImportError> {
    if batch.rows.is_empty() {
        return Ok(());
    }
    let ImportOutcome { created, updated, unchanged, refused } = store
        .products(tenant)
        .import(&batch.rows)
        .await
        .map_err(|source| ImportError::Store { source, applied: *applied })?;
    report.created += created;
    report.updated += updated;
    report.unchanged += unchanged;
    for (position, why) in refused {
        let (line, sku) = (batch.lines.get(position).copied().unwrap_or(0), batch.rows.get(position).map(|r| r.draft.sku.to_string()));
        refuse(report, line, sku, Some("quantity".into()), why.to_string());
    }
    *applied += batch.rows.len() as u64;
    batch.rows.clear();
    batch.lines.clear();
    Ok(())
}

enum Resolve {
    Invalid(String),
    Store(StoreError),
}

/// Category ids for a `categories` cell, creating missing categories (cached per import).
async fn resolve_categories(
    store: &Store,
    tenant: &TenantId,
    cell: &str,
    cache: &mut HashMap<String, String>,
) -> Result<Vec<String>, Resolve> {
    let mut ids = Vec::new();
    for path in cell.split('|').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some(id) = cache.get(path) {
            ids.push(id.clone());
            continue;
        }
        let names = parse_name_path(path).map_err(|e| Resolve::Invalid(e.to_string()))?;
        let id = store.categories(tenant).ensure_path(&names).await.map_err(|e| match e {
            StoreError::Refused(_, message) => Resolve::Invalid(message),
            other => Resolve::Store(other),
        })?;
        cache.insert(path.to_owned(), id.clone());
        ids.push(id);
    }
    Ok(ids)
}
