//! Tax, kept simple: a per-tenant table of percentage rates by country and optionally region;
//! the most specific row wins.

use rust_decimal::Decimal;

use crate::ValueError;
use crate::money::Fixed4;

/// One row of a tenant's tax table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxRate {
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Region code, or empty for the whole country.
    pub region: String,
    /// Percent, up to 4 decimals (`8.25`).
    pub percent: Fixed4,
    /// Whether shipping is taxed too.
    pub shipping: bool,
}

/// Parses a percentage from 0 to 100 with at most 4 decimals.
pub fn parse_percent(text: &str) -> Result<Fixed4, ValueError> {
    let percent = Fixed4::parse(text)?;
    if percent.to_decimal() > Decimal::ONE_HUNDRED {
        return Err(ValueError::new(format!("must be from 0 to 100, got {text:?}")));
    }
    Ok(percent)
}

/// The rate for a destination: the row for its country and region, else the row for its
/// country with no region, else none. Region codes compare case-insensitively.
pub fn rate_for<'a>(rates: &'a [TaxRate], country: &str, region: &str) -> Option<&'a TaxRate> {
    let in_country = || rates.iter().filter(move |r| r.country.eq_ignore_ascii_case(country));
    in_country()
        .find(|r| !r.region.is_empty() && r.region.eq_ignore_ascii_case(region))
        .or_else(|| in_country().find(|r| r.region.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(country: &str, region: &str, percent: &str) -> TaxRate {
        TaxRate { country: country.into(), region: region.into(), percent: parse_percent(percent).unwrap(), shipping: false }
    }

    #[test]
    fn most_specific_row_wins() {
        let rates = [rate("US", "", "0"), rate("US", "CA", "7.25"), rate("DE", "", "19")];
        assert_eq!(rate_for(&rates, "US", "ca").map(|r| r.percent.to_string()), Some("7.2500".into()));
        assert_eq!(rate_for(&rates, "US", "NY").map(|r| r.percent.to_string()), Some("0.0000".into()));
        assert_eq!(rate_for(&rates, "DE", "").map(|r| r.percent.to_string()), Some("19.0000".into()));
        assert_eq!(rate_for(&rates, "FR", ""), None);
    }

    #[test]
    fn percentages() {
        assert!(parse_percent("100").is_ok());
        assert!(parse_percent("100.0001").is_err());
        assert!(parse_percent("-1").is_err());
    }
}
