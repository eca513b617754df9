//! How a unit price is resolved before plugins run: the list price, and every price-list entry
//! that applies to the buyer, the quantity and the moment; the lowest wins (Magento's rule for
//! tier, group and catalog prices). Ties go to the list with the higher priority, then to the
//! older list, so the answer never depends on load order. Prices resolve at request time: a
//! price-list change counts on the next request, with nothing to reindex.

use std::cmp::Ordering;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::ValueError;
use crate::money::Price;
use crate::time::Timestamp;

/// A percentage off, `0 < p <= 100`, at most 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PercentOff(Decimal);

impl PercentOff {
    /// Parses `"12.5"`.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let value: Decimal = text.trim().parse().map_err(|_| ValueError::new(format!("{text:?} is not a number")))?;
        if value <= Decimal::ZERO || value > Decimal::ONE_HUNDRED || value.scale() > 4 {
            return Err(ValueError::new(format!("must be more than 0 and at most 100, with at most 4 decimals; got {text:?}")));
        }
        Ok(PercentOff(value.normalize()))
    }

    /// The percentage.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// `price` less this percentage, rounded to 4 decimals half away from zero.
    pub fn apply(self, price: Price) -> Price {
        let reduced = price.to_decimal() * (Decimal::ONE_HUNDRED - self.0) / Decimal::ONE_HUNDRED;
        let rounded = reduced.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero);
        let units = (rounded * Decimal::from(10_000)).trunc();
        // A reduction never leaves the range of `price`; were it to, the undiscounted price
        // stands rather than a wrong one.
        i64::try_from(units).ok().and_then(|units| Price::from_units(units).ok()).unwrap_or(price)
    }
}

/// What a price-list entry sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryRule {
    /// This unit price.
    Fixed(Price),
    /// This much off the list price.
    PercentOff(PercentOff),
}

/// One entry of a price list that applies to the buyer (the caller has already matched the
/// list's targets: shared catalog, customer group, segment or company).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    /// The price list.
    pub list_id: String,
    /// Its name, for the explanation.
    pub list_name: String,
    /// Higher wins a tie.
    pub priority: i64,
    /// The entry applies from this quantity on (a tier price); 1 for every quantity.
    pub min_quantity: i64,
    /// What it sets.
    pub rule: EntryRule,
    /// Valid from (inclusive).
    pub valid_from: Option<Timestamp>,
    /// Valid until (exclusive).
    pub valid_to: Option<Timestamp>,
}

impl ListEntry {
    /// Whether the entry applies to `quantity` units at `now`.
    pub fn applies(&self, quantity: i64, now: Timestamp) -> bool {
        quantity >= self.min_quantity
            && self.valid_from.is_none_or(|from| now >= from)
            && self.valid_to.is_none_or(|to| now < to)
    }

    /// The unit price it gives a product listed at `list_price`.
    pub fn unit_price(&self, list_price: Price) -> Price {
        match self.rule {
            EntryRule::Fixed(price) => price,
            EntryRule::PercentOff(percent) => percent.apply(list_price),
        }
    }
}

/// The resolved unit price and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<'a> {
    /// The unit price.
    pub unit_price: Price,
    /// The entry that set it; `None` when the list price stands.
    pub entry: Option<&'a ListEntry>,
}

/// Resolves the unit price of `quantity` units listed at `list_price`, at `now`, among
/// `entries` (in any order).
pub fn resolve<'a>(list_price: Price, quantity: i64, now: Timestamp, entries: &'a [ListEntry]) -> Resolved<'a> {
    let best = entries
        .iter()
        .filter(|e| e.applies(quantity, now))
        .map(|e| (e.unit_price(list_price), e))
        .min_by(|(a_price, a), (b_price, b)| {
            a_price.cmp(b_price).then_with(|| b.priority.cmp(&a.priority)).then_with(|| a.list_id.cmp(&b.list_id)).then(Ordering::Equal)
        });
    match best {
        Some((price, entry)) if price < list_price => Resolved { unit_price: price, entry: Some(entry) },
        _ => Resolved { unit_price: list_price, entry: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(text: &str) -> Price {
        Price::parse(text).unwrap()
    }

    fn entry(list: &str, priority: i64, min_quantity: i64, rule: &str) -> ListEntry {
        let rule = match rule.strip_suffix('%') {
            Some(percent) => EntryRule::PercentOff(PercentOff::parse(percent).unwrap()),
            None => EntryRule::Fixed(price(rule)),
        };
        ListEntry { list_id: list.into(), list_name: list.to_uppercase(), priority, min_quantity, rule, valid_from: None, valid_to: None }
    }

    const NOW: Timestamp = Timestamp::from_millis(1_000_000);

    #[test]
    fn the_lowest_applicable_price_wins() {
        // (list price, quantity, entries, expected unit price, expected winning list)
        let table: &[(&str, i64, Vec<ListEntry>, &str, Option<&str>)] = &[
            ("100.00", 1, vec![], "100.00", None),
            ("100.00", 1, vec![entry("a", 0, 1, "80.00")], "80.00", Some("a")),
            ("100.00", 1, vec![entry("a", 0, 1, "80.00"), entry("b", 0, 1, "75.00")], "75.00", Some("b")),
            ("100.00", 1, vec![entry("a", 0, 1, "10%")], "90.00", Some("a")),
            ("100.00", 1, vec![entry("a", 0, 1, "10%"), entry("b", 0, 1, "95.00")], "90.00", Some("a")),
            // Tiers: an entry counts from its quantity on.
            ("100.00", 9, vec![entry("a", 0, 1, "95.00"), entry("a", 0, 10, "85.00")], "95.00", Some("a")),
            ("100.00", 10, vec![entry("a", 0, 1, "95.00"), entry("a", 0, 10, "85.00")], "85.00", Some("a")),
            // Never above the list price.
            ("100.00", 1, vec![entry("a", 0, 1, "120.00")], "100.00", None),
            ("100.00", 1, vec![entry("a", 0, 1, "100.00")], "100.00", None),
            // Rounding half away from zero at 4 decimals: 0.3333 less 50% is 0.16665 → 0.1667.
            ("0.3333", 1, vec![entry("a", 0, 1, "50%")], "0.1667", Some("a")),
            ("9.99", 1, vec![entry("a", 0, 1, "100%")], "0", Some("a")),
        ];
        for (list, quantity, entries, expected, winner) in table {
            let resolved = resolve(price(list), *quantity, NOW, entries);
            assert_eq!(resolved.unit_price, price(expected), "{list} x{quantity} {entries:?}");
            assert_eq!(resolved.entry.map(|e| e.list_id.as_str()), *winner, "{list} x{quantity} {entries:?}");
        }
    }

    #[test]
    fn ties_go_to_priority_then_to_the_list_id_whatever_the_order() {
        let entries = vec![entry("b", 1, 1, "80.00"), entry("a", 1, 1, "80.00"), entry("c", 5, 1, "80.00")];
        assert_eq!(resolve(price("100"), 1, NOW, &entries).entry.map(|e| e.list_id.as_str()), Some("c"));
        let entries = vec![entry("b", 1, 1, "80.00"), entry("a", 1, 1, "80.00")];
        let mut reversed = entries.clone();
        reversed.reverse();
        assert_eq!(resolve(price("100"), 1, NOW, &entries).entry, resolve(price("100"), 1, NOW, &reversed).entry);
        assert_eq!(resolve(price("100"), 1, NOW, &entries).entry.map(|e| e.list_id.as_str()), Some("a"));
    }

    #[test]
    fn entries_count_only_while_valid() {
        let mut dated = entry("a", 0, 1, "50.00");
        dated.valid_from = Some(Timestamp::from_millis(NOW.millis() + 1));
        assert_eq!(resolve(price("100"), 1, NOW, std::slice::from_ref(&dated)).unit_price, price("100"), "not yet");
        dated.valid_from = Some(NOW);
        assert_eq!(resolve(price("100"), 1, NOW, std::slice::from_ref(&dated)).unit_price, price("50"), "from is inclusive");
        dated.valid_to = Some(NOW);
        assert_eq!(resolve(price("100"), 1, NOW, std::slice::from_ref(&dated)).unit_price, price("100"), "to is exclusive");
    }

    #[test]
    fn percentages_are_checked() {
        for bad in ["0", "-5", "100.5", "x", "1.23456"] {
            assert!(PercentOff::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PercentOff::parse("12.50").unwrap().value(), Decimal::new(125, 1));
    }
}
