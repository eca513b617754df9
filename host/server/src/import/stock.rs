//! Stock from CSV, shared by `hanse import stock` and `POST /admin/v1/inventory/import`.
//!
//! The header names `sku` and at least one of `quantity` (or `qty`), `out_of_stock_threshold`
//! (or Magento's `min_qty`), `backorders` (`no`, `allow`, `allow_notify`, or Magento's 0, 1, 2)
//! and `notify_quantity` (or `notify_stock_qty`); optionally `source_code`, the source a row's
//! quantity is for, which reads Magento's source-items export (`source_code,sku,quantity`).
//! Without a source, a quantity is for `default` and is refused for a SKU another source holds.
//! An empty cell keeps the stored value. Values are absolute, so running the same file again
//! changes nothing; rows already as stored write nothing. A bad row (an unknown SKU or source
//! among them) is reported with its line and skipped.

use std::io::Read;
use std::time::Instant;

use hanse_domain::inventory::source::SourceCode;
use hanse_domain::inventory::{Backorders, MAX_THRESHOLD};
use hanse_domain::product::{Sku, StockQuantity};
use hanse_store::{StockRowOutcome, StockUpdate, Store, TenantId};

use super::products::{ImportError, ImportReport, refuse_row};
use super::rows::{Row, RowReader, refuse_unread};

/// Rows per transaction.
pub const BATCH_SIZE: usize = 1_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Column {
    Sku,
    Source,
    Quantity,
    Threshold,
    Backorders,
    Notify,
}

fn column(name: &str) -> Result<Column, String> {
    Ok(match name {
        "sku" => Column::Sku,
        "source_code" => Column::Source,
        "quantity" | "qty" => Column::Quantity,
        "out_of_stock_threshold" | "min_qty" => Column::Threshold,
        "backorders" => Column::Backorders,
        "notify_quantity" | "notify_stock_qty" => Column::Notify,
        other => return Err(format!("unknown column {other:?}; known: sku, source_code, quantity, out_of_stock_threshold, backorders, notify_quantity")),
    })
}

fn complete(columns: &[Column]) -> Result<(), String> {
    if columns.contains(&Column::Sku) && columns.iter().any(|c| !matches!(c, Column::Sku | Column::Source)) {
        Ok(())
    } else {
        Err("the header needs `sku` and at least one of quantity, out_of_stock_threshold, backorders, notify_quantity".into())
    }
}

/// Reads one row's cells into a change, naming every refused field.
fn parse_row(cells: &[(Column, &str)]) -> Result<(Sku, StockUpdate), Vec<(Option<String>, String)>> {
    let mut errors: Vec<(Option<String>, String)> = Vec::new();
    let mut problem = |field: &str, message: String| errors.push((Some(field.to_owned()), message));
    let mut sku = None;
    let mut update = StockUpdate::default();
    let number = |text: &str| text.parse::<i64>().ok().filter(|n| (-MAX_THRESHOLD..=MAX_THRESHOLD).contains(n));
    for (column, text) in cells {
        if text.is_empty() && *column != Column::Sku {
            continue;
        }
        match column {
            Column::Sku => match Sku::parse(text) {
                Ok(parsed) => sku = Some(parsed),
                Err(e) => problem("sku", e.to_string()),
            },
            Column::Source => match SourceCode::parse(text) {
                Ok(code) => update.source = Some(code),
                Err(e) => problem("source_code", e.to_string()),
            },
            Column::Quantity => match StockQuantity::parse(text) {
                Ok(q) => update.quantity = Some(q),
                Err(e) => problem("quantity", e.to_string()),
            },
            Column::Threshold => match number(text) {
                Some(n) => update.threshold = Some(n),
                None => problem("out_of_stock_threshold", format!("must be a whole number from -{MAX_THRESHOLD} to {MAX_THRESHOLD}")),
            },
            Column::Backorders => match *text {
                "0" => update.backorders = Some(Backorders::No),
                "1" => update.backorders = Some(Backorders::Allow),
                "2" => update.backorders = Some(Backorders::AllowNotify),
                other => match Backorders::parse(other) {
                    Ok(b) => update.backorders = Some(b),
                    Err(e) => problem("backorders", e.to_string()),
                },
            },
            Column::Notify => match number(text) {
                Some(n) => update.notify_qty = Some(Some(n)),
                None => problem("notify_quantity", format!("must be a whole number from -{MAX_THRESHOLD} to {MAX_THRESHOLD}")),
            },
        }
    }
    match sku {
        Some(sku) if errors.is_empty() => Ok((sku, update)),
        _ => Err(errors),
    }
}

/// Imports stock from CSV `input`, calling `progress` with the bytes read after each batch.
pub async fn import_stock(store: &Store, tenant: &TenantId, input: impl Read, mut progress: impl FnMut(u64)) -> Result<ImportReport, ImportError> {
    let started = Instant::now();
    let mut rows = RowReader::open(input, column, complete)?;
    let mut report = ImportReport::default();
    let mut batch: Vec<(u64, Sku, StockUpdate)> = Vec::with_capacity(BATCH_SIZE);
    let mut applied = 0u64;
    while let Some(row) = rows.next_row()? {
        let (line, cells) = match row {
            Row::Refused { line, message } => {
                refuse_unread(&mut report, line, message);
                continue;
            }
            Row::Cells { line, cells } => (line, cells),
        };
        report.rows += 1;
        match parse_row(&cells) {
            Ok((sku, update)) => batch.push((line, sku, update)),
            Err(problems) => {
                let sku = cells.iter().find(|(c, t)| *c == Column::Sku && !t.is_empty()).map(|(_, t)| (*t).to_owned());
                refuse_row(&mut report, line, sku, problems);
                continue;
            }
        }
        if batch.len() >= BATCH_SIZE {
            apply(store, tenant, &mut batch, &mut report, &mut applied).await?;
            progress(rows.position());
        }
    }
    apply(store, tenant, &mut batch, &mut report, &mut applied).await?;
    progress(rows.position());
    report.errors.sort_by_key(|e| e.line);
    report.finish(started.elapsed());
    Ok(report)
}

async fn apply(store: &Store, tenant: &TenantId, batch: &mut Vec<(u64, Sku, StockUpdate)>, report: &mut ImportReport, applied: &mut u64) -> Result<(), ImportError> {
    if batch.is_empty() {
        return Ok(());
    }
    let changes: Vec<(Sku, StockUpdate)> = batch.iter().map(|(_, sku, update)| (sku.clone(), update.clone())).collect();
    let outcomes = store.stock(tenant).import(&changes).await.map_err(|source| ImportError::Store { source, applied: *applied })?;
    for ((line, sku, update), outcome) in batch.drain(..).zip(outcomes) {
        match outcome {
            StockRowOutcome::Updated => report.updated += 1,
            StockRowOutcome::Unchanged => report.unchanged += 1,
            StockRowOutcome::UnknownSku => refuse_row(report, line, Some(sku.to_string()), vec![(Some("sku".into()), format!("no product {sku}"))]),
            StockRowOutcome::UnknownSource => {
                let code = update.source.as_ref().map_or_else(String::new, ToString::to_string);
                refuse_row(report, line, Some(sku.to_string()), vec![(Some("source_code".into()), format!("no source {code}"))]);
            }
            StockRowOutcome::MultipleSources(message) => refuse_row(report, line, Some(sku.to_string()), vec![(Some("quantity".into()), message)]),
            StockRowOutcome::Invalid(message) => refuse_row(report, line, Some(sku.to_string()), vec![(Some("out_of_stock_threshold".into()), message)]),
        }
    }
    *applied += changes.len() as u64;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_name_every_bad_field_and_empty_cells_keep() {
        let (sku, update) = parse_row(&[(Column::Sku, "A"), (Column::Quantity, "5"), (Column::Backorders, "2"), (Column::Notify, "")]).unwrap();
        assert_eq!((sku.as_str(), update.quantity.map(StockQuantity::get), update.backorders, update.notify_qty), ("A", Some(5), Some(Backorders::AllowNotify), None));
        let fields = |cells: &[(Column, &str)]| parse_row(cells).unwrap_err().into_iter().filter_map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(
            fields(&[(Column::Sku, "no spaces"), (Column::Quantity, "-1"), (Column::Threshold, "x"), (Column::Backorders, "yes"), (Column::Source, "Berlin")]),
            ["sku", "quantity", "out_of_stock_threshold", "backorders", "source_code"]
        );
        let (_, update) = parse_row(&[(Column::Source, "berlin"), (Column::Sku, "A"), (Column::Quantity, "3")]).unwrap();
        assert_eq!(update.source.map(|c| c.to_string()), Some("berlin".to_owned()));
        assert!(complete(&[Column::Source, Column::Sku]).is_err(), "a source alone changes nothing");
    }
}
