//! Price-list entries from text (JSON fields or CSV cells), and the bulk CSV import shared by
//! `hanse import prices` and `POST /admin/v1/price-lists/{id}/entries/import`.
//!
//! The file has a header row: `sku` and one of `price` and `percent_off` are required;
//! `min_quantity` (or `qty`, Magento's `tier_price_qty`), `valid_from` and `valid_to`
//! (RFC 3339) are optional. Each row sets one entry (SKU and quantity); a bad row is reported
//! with its line and skipped; valid rows are written in batches, and rows already as stored
//! write nothing, so running the same file twice changes nothing the second time.

use std::collections::HashSet;
use std::io::Read;
use std::time::Instant;

use hanse_domain::money::Price;
use hanse_domain::ordering::MAX_LINE_QUANTITY;
use hanse_domain::price_rules::{EntryRule, PercentOff};
use hanse_domain::product::Sku;
use hanse_domain::time::Timestamp;
use hanse_store::{PriceListEntry, Store, TenantId};

use super::products::{ImportError, ImportReport, refuse_row as refuse};
use super::rows::{Row, RowReader, refuse_unread};

/// Rows per transaction.
pub const BATCH_SIZE: usize = 2_000;

/// One entry's fields as text.
#[derive(Debug, Default, Clone, Copy)]
pub struct EntryCells<'a> {
    /// `sku`
    pub sku: &'a str,
    /// `price`, if given.
    pub price: Option<&'a str>,
    /// `percent_off`, if given.
    pub percent_off: Option<&'a str>,
    /// `min_quantity`, if given (default 1).
    pub min_quantity: Option<&'a str>,
    /// `valid_from`, if given.
    pub valid_from: Option<&'a str>,
    /// `valid_to`, if given.
    pub valid_to: Option<&'a str>,
}

/// Validates one entry, naming every refused field.
pub fn parse_entry(cells: EntryCells<'_>) -> Result<PriceListEntry, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let sku = Sku::parse(cells.sku).map_err(|e| errors.push(("sku", e.to_string()))).ok();
    let rule = match (cells.price, cells.percent_off) {
        (Some(price), None) => Price::parse(price).map(EntryRule::Fixed).map_err(|e| errors.push(("price", e.to_string()))).ok(),
        (None, Some(percent)) => PercentOff::parse(percent).map(EntryRule::PercentOff).map_err(|e| errors.push(("percent_off", e.to_string()))).ok(),
        _ => {
            errors.push(("price", "give exactly one of `price` and `percent_off`".to_owned()));
            None
        }
    };
    let min_quantity = match cells.min_quantity.map(|q| q.trim().parse::<i64>()) {
        None => Some(1),
        Some(Ok(q)) if (1..=MAX_LINE_QUANTITY).contains(&q) => Some(q),
        Some(_) => {
            errors.push(("min_quantity", format!("must be a whole number from 1 to {MAX_LINE_QUANTITY}")));
            None
        }
    };
    let mut time = |field: &'static str, text: Option<&str>| match text.map(|t| Timestamp::parse_rfc3339(t.trim())) {
        None => Some(None),
        Some(Ok(t)) => Some(Some(t)),
        Some(Err(e)) => {
            errors.push((field, e.to_string()));
            None
        }
    };
    let valid_from = time("valid_from", cells.valid_from);
    let valid_to = time("valid_to", cells.valid_to);
    if let (Some(Some(from)), Some(Some(to))) = (valid_from, valid_to) {
        if to <= from {
            errors.push(("valid_to", "must be after `valid_from`".to_owned()));
        }
    }
    match (sku, rule, min_quantity, valid_from, valid_to) {
        (Some(sku), Some(rule), Some(min_quantity), Some(valid_from), Some(valid_to)) if errors.is_empty() => {
            Ok(PriceListEntry { sku: sku.as_str().to_owned(), min_quantity, rule, valid_from, valid_to })
        }
        _ => Err(errors),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Sku,
    Price,
    PercentOff,
    MinQuantity,
    ValidFrom,
    ValidTo,
}

fn column(name: &str) -> Result<Column, String> {
    Ok(match name {
        "sku" => Column::Sku,
        "price" => Column::Price,
        "percent_off" => Column::PercentOff,
        "min_quantity" | "qty" | "tier_price_qty" => Column::MinQuantity,
        "valid_from" => Column::ValidFrom,
        "valid_to" => Column::ValidTo,
        other => return Err(format!("unknown column {other:?}; known: sku, price, percent_off, min_quantity, valid_from, valid_to")),
    })
}

fn complete(columns: &[Column]) -> Result<(), String> {
    if columns.contains(&Column::Sku) && (columns.contains(&Column::Price) || columns.contains(&Column::PercentOff)) {
        Ok(())
    } else {
        Err("the header needs `sku` and `price` or `percent_off`".into())
    }
}

/// Imports entries into price list `list` from CSV `input`, calling `progress` with the bytes
/// read so far after each batch. The list must exist.
pub async fn import_entries(store: &Store, tenant: &TenantId, list: &str, input: impl Read, mut progress: impl FnMut(u64)) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let mut rows = RowReader::open(input, column, complete)?;
    let mut report = ImportReport::default();
    let mut batch: Vec<(u64, PriceListEntry)> = Vec::with_capacity(BATCH_SIZE);
    let mut applied = 0u64;
    while let Some(row) = rows.next_row()? {
        let (line, texts) = match row {
            Row::Refused { line, message } => {
                refuse_unread(&mut report, line, message);
                continue;
            }
            Row::Cells { line, cells } => (line, cells),
        };
        report.rows += 1;
        let mut cells = EntryCells::default();
        for (column, text) in texts {
            let optional = (!text.is_empty()).then_some(text);
            match column {
                Column::Sku => cells.sku = text,
                Column::Price => cells.price = optional,
                Column::PercentOff => cells.percent_off = optional,
                Column::MinQuantity => cells.min_quantity = optional,
                Column::ValidFrom => cells.valid_from = optional,
                Column::ValidTo => cells.valid_to = optional,
            }
        }
        match parse_entry(cells) {
            Ok(entry) => batch.push((line, entry)),
            Err(problems) => {
                let sku = (!cells.sku.is_empty()).then(|| cells.sku.to_owned());
                refuse(&mut report, line, sku, problems.into_iter().map(|(f, m)| (Some(f.to_owned()), m)).collect());
                continue;
            }
        }
        if batch.len() >= BATCH_SIZE {
            apply(store, tenant, list, &mut batch, &mut report, &mut applied).await?;
            progress(rows.position());
        }
    }
    apply(store, tenant, list, &mut batch, &mut report, &mut applied).await?;
    progress(rows.position());
    // Unknown SKUs are found per batch, after the rows refused as they were read.
    report.errors.sort_by_key(|e| e.line);
    report.finish(started.elapsed());
    Ok(report)
}

async fn apply(
    store: &Store,
    tenant: &TenantId,
    list: &str,
    batch: &mut Vec<(u64, PriceListEntry)>,
    report: &mut ImportReport,
    applied: &mut u64,
) -> Result<(), ImportError> {
    if batch.is_empty() {
        return Ok(());
    }
    let skus: Vec<&str> = batch.iter().map(|(_, e)| e.sku.as_str()).collect();
    let known: HashSet<String> = store.products(tenant).existing(&skus).await.map_err(|source| ImportError::Store { source, applied: *applied })?;
    let mut entries = Vec::with_capacity(batch.len());
    for (line, entry) in batch.drain(..) {
        if known.contains(&entry.sku) {
            entries.push(entry);
        } else {
            let message = format!("no product {}", entry.sku);
            refuse(report, line, Some(entry.sku), vec![(Some("sku".into()), message)]);
        }
    }
    let outcome = store.price_lists(tenant).write_entries(list, &entries, false).await.map_err(|source| ImportError::Store { source, applied: *applied })?;
    report.created += outcome.created;
    report.updated += outcome.updated;
    report.unchanged += outcome.unchanged;
    *applied += entries.len() as u64;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_name_every_bad_field() {
        let ok = parse_entry(EntryCells { sku: "A", price: Some("80.00"), ..Default::default() }).unwrap();
        assert_eq!(ok.min_quantity, 1);
        let tier = parse_entry(EntryCells { sku: "A", percent_off: Some("10"), min_quantity: Some("10"), ..Default::default() }).unwrap();
        assert_eq!(tier.min_quantity, 10);
        let fields = |cells| parse_entry(cells).unwrap_err().into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(fields(EntryCells { sku: "A", ..Default::default() }), ["price"]);
        assert_eq!(fields(EntryCells { sku: "A", price: Some("1"), percent_off: Some("1"), ..Default::default() }), ["price"]);
        assert_eq!(fields(EntryCells { sku: "no spaces", percent_off: Some("101"), min_quantity: Some("0"), ..Default::default() }), ["sku", "percent_off", "min_quantity"]);
        assert_eq!(
            fields(EntryCells { sku: "A", price: Some("1"), valid_from: Some("2026-12-01T00:00:00Z"), valid_to: Some("2026-11-01T00:00:00Z"), ..Default::default() }),
            ["valid_to"]
        );
    }
}
