//! Exact amounts: unit prices and other 4-decimal quantities.
//!
//! Magento keeps prices at 4 decimals; so does Hanse. An amount is a fixed-point integer of
//! 1/10,000 units, which is also how it is stored in SQL, so nothing is ever rounded on the way
//! in or out. Money is never a float anywhere in Hanse.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::ValueError;

/// Decimal places kept for unit prices and weights.
pub const SCALE: u32 = 4;
const UNITS_PER_ONE: i64 = 10_000;
/// The largest whole part accepted (keeps every sum of realistic carts far from `i64` overflow).
const MAX_WHOLE: i64 = 999_999_999_999;

/// A non-negative decimal with at most 4 decimal places, held as 1/10,000 units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fixed4(i64);

impl Fixed4 {
    /// Zero.
    pub const ZERO: Fixed4 = Fixed4(0);

    /// Parses a decimal string such as `"12"`, `"0.1250"`: digits, then optionally a point and
    /// 1 to 4 digits. Signs, exponents, spaces and more decimals are refused, never rounded.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (text, None),
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if text.starts_with('-') {
            return Err(ValueError::new("must not be negative"));
        }
        if !digits(whole) || fraction.is_some_and(|f| !digits(f)) {
            return Err(ValueError::new(format!(
                "must be a decimal string such as \"12.50\", got {text:?}"
            )));
        }
        let fraction = fraction.unwrap_or("");
        if fraction.len() > SCALE as usize {
            return Err(ValueError::new(format!(
                "must have at most {SCALE} decimal places, got {text:?}"
            )));
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 12 {
            return Err(ValueError::new(format!("must be at most {MAX_WHOLE}.9999")));
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| ValueError::new("is not a number"))? };
        let mut frac_units: i64 = 0;
        for (i, b) in fraction.bytes().enumerate() {
            frac_units += i64::from(b - b'0') * 10_i64.pow(SCALE - 1 - i as u32);
        }
        Ok(Fixed4(whole * UNITS_PER_ONE + frac_units))
    }

    /// From a count of 1/10,000 units, as stored. Refuses negative counts.
    pub fn from_units(units: i64) -> Result<Self, ValueError> {
        if units < 0 {
            return Err(ValueError::new("must not be negative"));
        }
        if units > MAX_WHOLE * UNITS_PER_ONE + (UNITS_PER_ONE - 1) {
            return Err(ValueError::new(format!("must be at most {MAX_WHOLE}.9999")));
        }
        Ok(Fixed4(units))
    }

    /// From an exact decimal; refuses negatives and more than 4 decimal places.
    pub fn from_decimal(value: Decimal) -> Result<Self, ValueError> {
        Self::parse(&value.normalize().to_string())
    }

    /// The count of 1/10,000 units, as stored.
    pub fn units(self) -> i64 {
        self.0
    }

    /// The exact decimal value, with scale 4.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, SCALE)
    }
}

impl fmt::Display for Fixed4 {
    /// Always 4 decimals (`"0.1250"`): the wire form of every amount.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:04}", self.0 / UNITS_PER_ONE, self.0 % UNITS_PER_ONE)
    }
}

impl FromStr for Fixed4 {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A unit price in the tenant's currency: `>= 0`, at most 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Price(pub Fixed4);

impl Price {
    /// Parses a price string; see [`Fixed4::parse`].
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Fixed4::parse(text).map(Price)
    }

    /// The stored form: 1/10,000 units of the currency.
    pub fn units(self) -> i64 {
        self.0.units()
    }

    /// From the stored form.
    pub fn from_units(units: i64) -> Result<Self, ValueError> {
        Fixed4::from_units(units).map(Price)
    }

    /// The exact decimal value.
    pub fn to_decimal(self) -> Decimal {
        self.0.to_decimal()
    }
}

impl fmt::Display for Price {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A product weight in the tenant's weight unit: `>= 0`, at most 4 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Weight(pub Fixed4);

impl Weight {
    /// Parses a weight string; see [`Fixed4::parse`].
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Fixed4::parse(text).map(Weight)
    }

    /// The stored form: 1/10,000 units.
    pub fn units(self) -> i64 {
        self.0.units()
    }

    /// From the stored form.
    pub fn from_units(units: i64) -> Result<Self, ValueError> {
        Fixed4::from_units(units).map(Weight)
    }
}

impl fmt::Display for Weight {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_decimal_strings() {
        for (text, units, shown) in [
            ("0", 0, "0.0000"),
            ("0.1250", 1250, "0.1250"),
            ("0.125", 1250, "0.1250"),
            ("12", 120_000, "12.0000"),
            ("12.5", 125_000, "12.5000"),
            ("007.0001", 70_001, "7.0001"),
            ("999999999999.9999", 9_999_999_999_999_999, "999999999999.9999"),
        ] {
            let p = Price::parse(text).unwrap();
            assert_eq!(p.units(), units, "{text}");
            assert_eq!(p.to_string(), shown, "{text}");
            assert_eq!(Price::from_units(units).unwrap(), p);
        }
    }

    #[test]
    fn refuses_everything_else() {
        for (text, why) in [
            ("-1", "negative"),
            ("-0.5", "negative"),
            ("1.23456", "at most 4 decimal places"),
            ("", "decimal string"),
            (".5", "decimal string"),
            ("5.", "decimal string"),
            ("1e3", "decimal string"),
            ("+1", "decimal string"),
            (" 1", "decimal string"),
            ("1,5", "decimal string"),
            ("NaN", "decimal string"),
            ("1000000000000", "at most"),
            ("١٢", "decimal string"),
        ] {
            let err = Price::parse(text).unwrap_err().to_string();
            assert!(err.contains(why), "{text:?}: {err}");
        }
        assert!(Price::from_units(-1).is_err());
        assert!(Price::from_units(i64::MAX).is_err());
    }

    #[test]
    fn round_trips_through_decimal() {
        let p = Price::parse("19.99").unwrap();
        assert_eq!(p.to_decimal(), Decimal::new(199_900, 4));
        assert_eq!(Fixed4::from_decimal(p.to_decimal()).unwrap(), p.0);
        assert!(Fixed4::from_decimal(Decimal::new(123_456, 5)).is_err());
    }
}
