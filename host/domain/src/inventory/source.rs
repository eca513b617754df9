//! Sources: the warehouses a tenant holds stock in (Magento MSI's sources), and which of them a
//! shipment takes its units from.
//!
//! A SKU's stock on hand is the sum of what its *enabled* sources hold; reservations stay per SKU
//! (Magento reserves at stock level, not per source). A shipment deducts from sources with
//! Magento's priority algorithm ([`select_sources`]) unless the merchant names one.

use std::fmt;

use crate::ValueError;

/// The code of the source every tenant has, which can be neither disabled nor deleted: a
/// single-warehouse tenant never needs another.
pub const DEFAULT_SOURCE: &str = "default";

/// Highest priority number (lower numbers are taken from first).
pub const MAX_PRIORITY: i64 = 1_000_000;

/// A source's code: 1–64 lower-case letters, digits, `_` and `-` (Magento's `source_code`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SourceCode(String);

impl SourceCode {
    /// Parses a code.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let ok_chars = text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
        if (1..=64).contains(&text.len()) && ok_chars {
            Ok(SourceCode(text.to_owned()))
        } else {
            Err(ValueError::new(format!("must be 1-64 lower-case letters, digits, `_` and `-`, got {text:?}")))
        }
    }

    /// The `default` source's code.
    pub fn default_source() -> Self {
        SourceCode(DEFAULT_SOURCE.to_owned())
    }

    /// The code text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the `default` source.
    pub fn is_default(&self) -> bool {
        self.0 == DEFAULT_SOURCE
    }
}

impl fmt::Display for SourceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks a source's priority: a whole number from 0 to [`MAX_PRIORITY`].
pub fn check_priority(priority: i64) -> Result<i64, ValueError> {
    if (0..=MAX_PRIORITY).contains(&priority) {
        Ok(priority)
    } else {
        Err(ValueError::new(format!("must be a whole number from 0 to {MAX_PRIORITY}, got {priority}")))
    }
}

/// What one source holds of a SKU, as the selection sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceStock<'a> {
    /// The source.
    pub code: &'a str,
    /// Lower is taken from first.
    pub priority: i64,
    /// A disabled source's units are not salable and are never taken.
    pub enabled: bool,
    /// Units it holds.
    pub quantity: i64,
}

/// Units a shipment takes from one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Take<'a> {
    /// The source.
    pub code: &'a str,
    /// Units (> 0).
    pub quantity: i64,
}

/// Which sources `wanted` units of a SKU come from, Magento's priority algorithm: the enabled
/// sources in priority order (ties by code), each giving up to what it holds; what none holds
/// (units sold on backorder) is taken from the first. Empty when nothing is wanted or no source
/// is enabled.
pub fn select_sources<'a>(wanted: i64, sources: &[SourceStock<'a>]) -> Vec<Take<'a>> {
    let mut enabled: Vec<&SourceStock<'a>> = sources.iter().filter(|s| s.enabled).collect();
    enabled.sort_by_key(|s| (s.priority, s.code));
    let Some(first) = enabled.first().map(|s| s.code) else { return Vec::new() };
    let mut takes: Vec<Take<'a>> = Vec::new();
    let mut left = wanted.max(0);
    for source in &enabled {
        let quantity = left.min(source.quantity.max(0));
        if quantity > 0 {
            takes.push(Take { code: source.code, quantity });
            left -= quantity;
        }
    }
    if left > 0 {
        match takes.iter_mut().find(|t| t.code == first) {
            Some(take) => take.quantity += left,
            None => takes.insert(0, Take { code: first, quantity: left }),
        }
    }
    takes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stock(code: &str, priority: i64, enabled: bool, quantity: i64) -> SourceStock<'_> {
        SourceStock { code, priority, enabled, quantity }
    }

    #[test]
    fn codes() {
        for good in ["default", "eu-west_2", "a", &"x".repeat(64)] {
            assert_eq!(SourceCode::parse(good).map(|c| c.to_string()), Ok(good.to_owned()));
        }
        for bad in ["", "Berlin", "a b", "é", "a.b", &"x".repeat(65)] {
            assert!(SourceCode::parse(bad).is_err(), "{bad:?}");
        }
        assert!(SourceCode::default_source().is_default());
        assert!(!SourceCode::parse("berlin").unwrap().is_default());
        assert_eq!(check_priority(0), Ok(0));
        assert!(check_priority(-1).is_err());
        assert!(check_priority(MAX_PRIORITY + 1).is_err());
    }

    #[test]
    fn sources_are_taken_in_priority_order() {
        let sources = [stock("default", 10, true, 4), stock("berlin", 1, true, 3), stock("hamburg", 1, true, 5), stock("paris", 0, false, 100)];
        let taken = |wanted: i64| select_sources(wanted, &sources).into_iter().map(|t| (t.code, t.quantity)).collect::<Vec<_>>();
        // (wanted, takes): equal priorities by code; a disabled source is never taken from.
        let table: [(i64, Vec<(&str, i64)>); 6] = [
            (0, vec![]),
            (2, vec![("berlin", 2)]),
            (3, vec![("berlin", 3)]),
            (7, vec![("berlin", 3), ("hamburg", 4)]),
            (12, vec![("berlin", 3), ("hamburg", 5), ("default", 4)]),
            // Backorders: what no source holds comes from the first.
            (15, vec![("berlin", 6), ("hamburg", 5), ("default", 4)]),
        ];
        for (wanted, takes) in table {
            assert_eq!(taken(wanted), takes, "{wanted}");
        }
    }

    #[test]
    fn an_empty_first_source_still_takes_the_backorders() {
        let sources = [stock("a", 0, true, 0), stock("b", 1, true, 2), stock("c", 2, true, -1)];
        let takes: Vec<(&str, i64)> = select_sources(5, &sources).into_iter().map(|t| (t.code, t.quantity)).collect();
        assert_eq!(takes, [("a", 3), ("b", 2)]);
        assert_eq!(select_sources(5, &[stock("a", 0, false, 9)]), vec![], "no enabled source");
    }
}
