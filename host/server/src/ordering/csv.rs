//! The quick-order CSV: a `sku,qty` header (Magento's format; `quantity` is accepted for `qty`,
//! column order is free), then one line per SKU. Anything else is refused with the line named.

use std::fmt;

/// Most lines one quick order takes.
pub const MAX_LINES: usize = 10_000;

/// One requested line, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requested {
    /// 1-based position among the requested lines.
    pub line: usize,
    /// The SKU as written (trimmed).
    pub sku: String,
    /// The quantity, when it is a whole number.
    pub quantity: Option<i64>,
}

/// Why a file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvError {
    /// 1-based line of the file.
    pub line: u64,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parses a quantity cell: a whole number (`"2"`, `" 2 "`, `"2.0"`), else `None`.
pub fn quantity(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        let value: rust_decimal::Decimal = text.parse().ok()?;
        (value.fract().is_zero()).then(|| i64::try_from(value.trunc()).ok()).flatten()
    })
}

/// Parses a whole quick-order file.
pub fn parse(bytes: &[u8]) -> Result<Vec<Requested>, CsvError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let failed = |e: csv::Error| CsvError { line: e.position().map_or(0, |p| p.line()), message: e.to_string() };
    if !reader.read_byte_record(&mut record).map_err(failed)? {
        return Err(CsvError { line: 1, message: "the file is empty; it needs a `sku,qty` header".into() });
    }
    let header: Vec<String> = record
        .iter()
        .map(|cell| std::str::from_utf8(cell).map(|c| c.trim().to_ascii_lowercase()))
        .collect::<Result<_, _>>()
        .map_err(|_| CsvError { line: 1, message: "the header is not UTF-8".into() })?;
    let position = |names: &[&str]| header.iter().position(|h| names.contains(&h.as_str()));
    let (Some(sku_at), Some(qty_at)) = (position(&["sku"]), position(&["qty", "quantity"])) else {
        return Err(CsvError { line: 1, message: format!("the header must be `sku,qty`; got {:?}", header.join(",")) });
    };
    if let Some(other) = header.iter().find(|h| !["sku", "qty", "quantity"].contains(&h.as_str())) {
        return Err(CsvError { line: 1, message: format!("unknown column {other:?}; the header must be `sku,qty`") });
    }
    if header.len() != 2 {
        return Err(CsvError { line: 1, message: "the header must have exactly the columns `sku` and `qty`".into() });
    }
    let mut lines = Vec::new();
    loop {
        if !reader.read_byte_record(&mut record).map_err(failed)? {
            break;
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record.get(0).is_some_and(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // a blank line
        }
        if record.len() != header.len() {
            return Err(CsvError { line, message: format!("has {} fields, the header has {}", record.len(), header.len()) });
        }
        let cell = |at: usize| {
            std::str::from_utf8(record.get(at).unwrap_or_default()).map_err(|_| CsvError { line, message: "is not valid UTF-8".into() })
        };
        let sku = cell(sku_at)?.trim().to_owned();
        let quantity = quantity(cell(qty_at)?);
        if lines.len() == MAX_LINES {
            return Err(CsvError { line, message: format!("a quick order takes at most {MAX_LINES} lines") });
        }
        lines.push(Requested { line: lines.len() + 1, sku, quantity });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_magentos_format() {
        let lines = parse(b"sku,qty\nA,2\n\nB, 1 \r\nNOPE,x\n").unwrap();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0], Requested { line: 1, sku: "A".into(), quantity: Some(2) });
        assert_eq!(lines[1].quantity, Some(1));
        assert_eq!(lines[2].quantity, None);
        let swapped = parse(b"\xef\xbb\xbfQty,SKU\n3,A\n").unwrap();
        assert_eq!(swapped[0].sku, "A");
        assert_eq!(swapped[0].quantity, Some(3));
        assert_eq!(quantity("2.0"), Some(2));
        assert_eq!(quantity("2.5"), None);
        assert_eq!(quantity("-1"), Some(-1));
    }

    #[test]
    fn names_the_line_at_fault() {
        assert_eq!(parse(b"").unwrap_err().line, 1);
        assert_eq!(parse(b"A,2\n").unwrap_err().line, 1);
        assert_eq!(parse(b"sku,qty,price\nA,1,2\n").unwrap_err().line, 1);
        assert_eq!(parse(b"sku,qty\nA,1\nB\n").unwrap_err().line, 3);
        assert_eq!(parse(b"sku,qty\nA,1\nB,1,1\n").unwrap_err().line, 3);
        assert_eq!(parse(b"sku,qty\nA,1\n\xff\xfe,1\n").unwrap_err().line, 3);
        let many = format!("sku,qty\n{}", "A,1\n".repeat(MAX_LINES + 1));
        assert_eq!(parse(many.as_bytes()).unwrap_err().line, MAX_LINES as u64 + 2);
    }
}
