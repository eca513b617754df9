//! Currencies: ISO 4217 codes and how many minor units each has.
//!
//! Line and order totals are rounded to the currency's minor unit (cents for USD, none for JPY);
//! unit prices keep 4 decimals. The rounding rule is half away from zero, as Magento rounds.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use crate::ValueError;

/// ISO 4217 codes Hanse accepts, with their minor-unit exponent. Codes not listed are refused
/// rather than guessed, because a wrong exponent would round every total wrongly.
const CURRENCIES: &[(&str, u32)] = &[
    ("AED", 2), ("AUD", 2), ("BGN", 2), ("BHD", 3), ("BRL", 2), ("CAD", 2), ("CHF", 2),
    ("CLP", 0), ("CNY", 2), ("CZK", 2), ("DKK", 2), ("EUR", 2), ("GBP", 2), ("HKD", 2),
    ("HUF", 2), ("IDR", 2), ("ILS", 2), ("INR", 2), ("ISK", 0), ("JPY", 0), ("KRW", 0),
    ("KWD", 3), ("MXN", 2), ("MYR", 2), ("NOK", 2), ("NZD", 2), ("OMR", 3), ("PHP", 2),
    ("PLN", 2), ("RON", 2), ("SAR", 2), ("SEK", 2), ("SGD", 2), ("THB", 2), ("TRY", 2),
    ("TWD", 2), ("UAH", 2), ("USD", 2), ("VND", 0), ("ZAR", 2),
];

/// A supported ISO 4217 currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency {
    code: &'static str,
    minor_units: u32,
}

impl Currency {
    /// Parses an upper-case ISO 4217 code such as `"USD"`.
    pub fn parse(code: &str) -> Result<Self, ValueError> {
        CURRENCIES
            .iter()
            .find(|(c, _)| *c == code)
            .map(|&(code, minor_units)| Currency { code, minor_units })
            .ok_or_else(|| {
                ValueError::new(format!(
                    "must be a supported upper-case ISO 4217 currency code such as \"USD\", got {code:?}"
                ))
            })
    }

    /// The three-letter code.
    pub fn code(self) -> &'static str {
        self.code
    }

    /// Decimal places of the minor unit (2 for USD, 0 for JPY).
    pub fn minor_units(self) -> u32 {
        self.minor_units
    }

    /// Rounds a total to the minor unit, half away from zero.
    pub fn round(self, amount: Decimal) -> Decimal {
        amount.round_dp_with_strategy(self.minor_units, RoundingStrategy::MidpointAwayFromZero)
    }

    /// `amount` rounded and written with exactly the currency's decimals (`"200.00"`).
    pub fn format(self, amount: Decimal) -> String {
        format!("{:.*}", self.minor_units() as usize, self.round(amount))
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_minor_units() {
        assert_eq!(Currency::parse("USD").unwrap().minor_units(), 2);
        assert_eq!(Currency::parse("JPY").unwrap().minor_units(), 0);
        assert_eq!(Currency::parse("KWD").unwrap().minor_units(), 3);
        assert!(Currency::parse("usd").is_err());
        assert!(Currency::parse("XXX").is_err());
        assert!(Currency::parse("").is_err());
    }

    #[test]
    fn rounds_half_away_from_zero() {
        let usd = Currency::parse("USD").unwrap();
        assert_eq!(usd.round(Decimal::new(12_345, 3)), Decimal::new(1235, 2));
        assert_eq!(usd.round(Decimal::new(12_344, 3)), Decimal::new(1234, 2));
        assert_eq!(usd.round(Decimal::new(-12_345, 3)), Decimal::new(-1235, 2));
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(jpy.round(Decimal::new(1005, 1)), Decimal::new(101, 0));
    }
}
