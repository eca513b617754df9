//! Reading an import's CSV file row by row: the header names the columns (in any order, each
//! once), blank lines are skipped, and a row that cannot be read as the header says is handed
//! back as refused with its line, so the importer reports it and goes on. Only a file that
//! cannot be read at all, or has no usable header, stops the import.

use std::io::Read;

use super::products::{ImportError, ImportReport, refuse_row};

/// A data row, or why it cannot be read.
pub enum Row<'r, C> {
    /// The row's cells, trimmed, each with its column.
    Cells {
        /// Line in the file (the header is line 1).
        line: u64,
        /// `(column, text)` in header order.
        cells: Vec<(C, &'r str)>,
    },
    /// Refused as read: a wrong number of fields, bad UTF-8, bad quoting.
    Refused {
        /// Line in the file.
        line: u64,
        /// Why.
        message: String,
    },
}

/// A CSV file being read.
pub struct RowReader<R: Read, C> {
    reader: csv::Reader<R>,
    record: csv::ByteRecord,
    columns: Vec<C>,
}

fn read_error(e: csv::Error) -> ImportError {
    match e.kind() {
        csv::ErrorKind::Io(io) => ImportError::Read(io.to_string()),
        _ => ImportError::InvalidFile { line: e.position().map_or(0, |p| p.line()), message: e.to_string() },
    }
}

impl<R: Read, C: Copy + PartialEq> RowReader<R, C> {
    /// Reads the header: `column` maps each lower-cased name to its column or says why not;
    /// `complete` checks that the columns together are enough.
    pub fn open(
        input: R,
        column: impl Fn(&str) -> Result<C, String>,
        complete: impl FnOnce(&[C]) -> Result<(), String>,
    ) -> Result<Self, ImportError> {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(input);
        let mut record = csv::ByteRecord::new();
        if !reader.read_byte_record(&mut record).map_err(read_error)? {
            return Err(ImportError::InvalidFile { line: 1, message: "the file is empty; it needs a header row".into() });
        }
        let invalid = |message: String| ImportError::InvalidFile { line: 1, message };
        let mut columns = Vec::with_capacity(record.len());
        for raw in &record {
            let name = std::str::from_utf8(raw).map_err(|_| invalid("the header is not UTF-8".into()))?.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
            let parsed = column(&name).map_err(invalid)?;
            if columns.contains(&parsed) {
                return Err(invalid(format!("column {name:?} appears twice")));
            }
            columns.push(parsed);
        }
        complete(&columns).map_err(invalid)?;
        Ok(RowReader { reader, record, columns })
    }

    /// The next data row; `None` at the end of the file. Blank lines are skipped.
    pub fn next_row(&mut self) -> Result<Option<Row<'_, C>>, ImportError> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(false) => return Ok(None),
                Ok(true) => {}
                Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => return Err(read_error(e)),
                Err(e) => return Ok(Some(Row::Refused { line: e.position().map_or(0, |p| p.line()), message: e.to_string() })),
            }
            if self.record.len() == 1 && self.record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            let line = self.record.position().map_or(0, |p| p.line());
            if self.record.len() != self.columns.len() {
                let message = format!("has {} fields, the header has {}", self.record.len(), self.columns.len());
                return Ok(Some(Row::Refused { line, message }));
            }
            let Ok(texts) = self.record.iter().map(std::str::from_utf8).collect::<Result<Vec<&str>, _>>() else {
                return Ok(Some(Row::Refused { line, message: "is not valid UTF-8".into() }));
            };
            let cells = self.columns.iter().copied().zip(texts.into_iter().map(str::trim)).collect();
            return Ok(Some(Row::Cells { line, cells }));
        }
    }

    /// Bytes read so far, for progress bars.
    pub fn position(&self) -> u64 {
        self.reader.position().byte()
    }
}

/// Counts a row refused as read.
pub fn refuse_unread(report: &mut ImportReport, line: u64, message: String) {
    report.rows += 1;
    refuse_row(report, line, None, vec![(None, message)]);
}
