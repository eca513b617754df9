//! Table-rate shipping: the price comes from a table of rows, each for a destination and a band
//! of weight, subtotal or item count, as Magento's table rates.
//!
//! Configuration:
//!
//! ```json
//! {"label": "Table rate", "basis": "weight", "estimated_days": 4, "rows": [
//!   {"country": "US", "region": "CA", "from": "0", "price": "5.00"},
//!   {"country": "US", "from": "10", "price": "9.00"},
//!   {"country": "*", "from": "0", "price": "25.00"}]}
//! ```
//!
//! - `basis` is what the bands measure: `weight` (the sum of unit weight × quantity; a line
//!   without a weight counts 0), `subtotal` (the sum of line totals) or `items` (the units).
//! - A row's `country` is an ISO 3166-1 alpha-2 code or `*` for anywhere. `region` (only with a
//!   country) narrows it to one region; regions match without regard to case, so `CA` is `ca`.
//! - A row applies from its `from` on: its band runs up to the next greater `from` of its group.
//! - Rows are grouped by how specifically they match the destination: its country and region
//!   first, then its country with no region, then `*`. The most specific group with a row the
//!   order reaches wins, and in it the row with the greatest `from`. As in Magento, an order
//!   below every band of its region falls back to its country's rows, then to `*`.
//! - No row applies: no rate (an empty answer, not an error).
//! - One rate, code `table-rate`; `label` defaults to "Table rate"; `estimated_days` is optional.
//!
//! Two rows for the same destination and the same `from` are a configuration error: which
//! price applied would depend on their order. The configuration travels with every call and is
//! parsed and checked on each, at about 9,000 fuel a row, so the schema allows at most 500 rows
//! (under half of a call's default budget of 11 million).

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::shipping::{Address, Rate, RateRequest, Shipping};
use serde::Deserialize;

/// The plugin.
pub struct TableRateShipping;

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Basis {
    Weight,
    Subtotal,
    Items,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    label: Option<String>,
    basis: Basis,
    rows: Vec<Row>,
    #[serde(default)]
    estimated_days: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Row {
    country: String,
    #[serde(default)]
    region: Option<String>,
    from: Decimal,
    price: Decimal,
}

/// How specifically a row matches a destination; a greater value is more specific.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Specificity {
    Anywhere,
    Country,
    Region,
}

/// A row checked, its codes folded once for comparing.
#[derive(Debug)]
struct Prepared {
    /// Upper-case country code; `None` for `*`.
    country: Option<String>,
    /// Region folded by [`fold`]; `None` for the whole country.
    region: Option<String>,
    from: Decimal,
    price: Decimal,
}

/// A region as compared: trimmed and lower-cased (Unicode, for names like "Île-de-France").
fn fold(region: &str) -> String {
    region.trim().to_lowercase()
}

impl Prepared {
    /// How specifically the row matches a destination in `country` (upper case) and `region`
    /// (folded); `None` when it does not match.
    fn specificity(&self, country: &str, region: Option<&str>) -> Option<Specificity> {
        match (&self.country, &self.region) {
            (None, _) => Some(Specificity::Anywhere),
            (Some(own), _) if own != country => None,
            (Some(_), None) => Some(Specificity::Country),
            (Some(_), Some(own)) => (region == Some(own.as_str())).then_some(Specificity::Region),
        }
    }
}

/// Checks the rows and folds their codes.
fn prepare(rows: &[Row]) -> Result<Vec<Prepared>, String> {
    if rows.is_empty() {
        return Err("rows must not be empty".into());
    }
    let mut prepared = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let country = match row.country.as_str() {
            "*" => None,
            code if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) => Some(code.to_ascii_uppercase()),
            code => return Err(format!("rows[{i}].country {code:?} is neither a two-letter country code nor \"*\"")),
        };
        let region = match (&row.region, &country) {
            (None, _) => None,
            (Some(_), None) => return Err(format!("rows[{i}] has a region but its country is \"*\"")),
            (Some(region), Some(_)) if region.trim().is_empty() => return Err(format!("rows[{i}].region is blank")),
            (Some(region), Some(_)) => Some(fold(region)),
        };
        for (name, value) in [("from", row.from), ("price", row.price)] {
            if value.is_sign_negative() && !value.is_zero() {
                return Err(format!("rows[{i}].{name} must not be negative"));
            }
        }
        prepared.push(Prepared { country, region, from: row.from, price: row.price });
    }
    // Sorted rather than compared pairwise: a table may have hundreds of rows, and every call
    // checks it again.
    let mut keys: Vec<(&Option<String>, &Option<String>, Decimal, usize)> =
        prepared.iter().enumerate().map(|(i, r)| (&r.country, &r.region, r.from, i)).collect();
    keys.sort_unstable();
    if let Some(pair) = keys.windows(2).find(|p| (p[0].0, p[0].1, p[0].2) == (p[1].0, p[1].1, p[1].2)) {
        let (first, second) = (pair[0].3.min(pair[1].3), pair[0].3.max(pair[1].3));
        return Err(format!("rows[{first}] and rows[{second}] are for the same destination from the same {}", pair[0].2));
    }
    Ok(prepared)
}

/// What the bands measure for this request.
fn measure(basis: Basis, request: &RateRequest) -> Result<Decimal, String> {
    match basis {
        Basis::Subtotal => Ok(request.subtotal),
        Basis::Items => request
            .lines
            .iter()
            .try_fold(0_i64, |units, line| units.checked_add(line.quantity))
            .map(Decimal::from)
            .ok_or_else(|| "the number of items is too large".into()),
        Basis::Weight => request
            .lines
            .iter()
            .try_fold(Decimal::ZERO, |total, line| {
                let weight = line.unit_weight.unwrap_or(Decimal::ZERO);
                weight.checked_mul(Decimal::from(line.quantity)).and_then(|w| total.checked_add(w))
            })
            .ok_or_else(|| "the total weight is too large".into()),
    }
}

/// The row that prices a shipment to `destination` measuring `value`, if any.
fn select<'a>(rows: &'a [Prepared], destination: &Address, value: Decimal) -> Option<&'a Prepared> {
    let country = destination.country.trim().to_ascii_uppercase();
    let region = destination.region.as_deref().map(fold);
    rows.iter()
        .filter(|row| row.from <= value)
        .filter_map(|row| row.specificity(&country, region.as_deref()).map(|s| ((s, row.from), row)))
        .max_by_key(|(key, _)| *key)
        .map(|(_, row)| row)
}

impl Shipping for TableRateShipping {
    fn rates(request: &RateRequest) -> Result<Vec<Rate>, String> {
        let config: Config = request.context.config_as()?;
        let rows = prepare(&config.rows)?;
        let value = measure(config.basis, request)?;
        Ok(select(&rows, &request.destination, value)
            .map(|row| Rate {
                code: "table-rate".into(),
                label: config.label.unwrap_or_else(|| "Table rate".into()),
                amount: row.price,
                estimated_days: config.estimated_days,
            })
            .into_iter()
            .collect())
    }
}

hanse_plugin_sdk::export_shipping!(TableRateShipping);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;
    use hanse_plugin_sdk::shipping::ShippingLine;

    use super::*;

    const TABLE: &str = r#"{"basis":"weight","rows":[
        {"country":"US","region":"CA","from":"0","price":"5.00"},
        {"country":"US","region":"CA","from":"20","price":"7.00"},
        {"country":"US","from":"10","price":"9.00"},
        {"country":"US","from":"50","price":"12.00"},
        {"country":"*","from":"0","price":"25.00"}]}"#;

    /// Lines as (quantity, unit weight).
    fn request(config: &str, country: &str, region: Option<&str>, lines: &[(i64, Option<&str>)], subtotal: &str) -> RateRequest {
        RateRequest {
            context: Context { config: config.into(), currency: "USD".into(), ..Default::default() },
            lines: lines
                .iter()
                .map(|(quantity, weight)| ShippingLine {
                    sku: "A".into(),
                    quantity: *quantity,
                    unit_price: Decimal::ONE,
                    unit_weight: weight.map(|w| w.parse().unwrap()),
                })
                .collect(),
            destination: Address { country: country.into(), region: region.map(Into::into), ..Default::default() },
            subtotal: subtotal.parse().unwrap(),
        }
    }

    /// The price quoted for a shipment of `weight` to `country`/`region`, if any.
    fn price(config: &str, country: &str, region: Option<&str>, weight: &str) -> Option<String> {
        let rates = TableRateShipping::rates(&request(config, country, region, &[(1, Some(weight))], "0")).unwrap();
        assert!(rates.len() <= 1, "{rates:?}");
        rates.first().map(|r| r.amount.to_string())
    }

    #[test]
    fn one_rate_with_the_configured_label_and_days() {
        let config = r#"{"label":"Freight","basis":"items","estimated_days":4,"rows":[{"country":"*","from":"0","price":"3.5"}]}"#;
        let rates = TableRateShipping::rates(&request(config, "DE", None, &[(1, None)], "1")).unwrap();
        assert_eq!(
            rates,
            vec![Rate { code: "table-rate".into(), label: "Freight".into(), amount: "3.5".parse().unwrap(), estimated_days: Some(4) }]
        );
        let unlabelled = r#"{"basis":"items","rows":[{"country":"*","from":"0","price":"3.5"}]}"#;
        let rates = TableRateShipping::rates(&request(unlabelled, "DE", None, &[(1, None)], "1")).unwrap();
        assert_eq!((rates[0].label.as_str(), rates[0].estimated_days), ("Table rate", None));
    }

    #[test]
    fn the_most_specific_destination_wins() {
        assert_eq!(price(TABLE, "US", Some("CA"), "60").as_deref(), Some("7.00"), "region rows beat the country's");
        assert_eq!(price(TABLE, "US", Some("NY"), "60").as_deref(), Some("12.00"), "another region: the country's rows");
        assert_eq!(price(TABLE, "US", None, "60").as_deref(), Some("12.00"), "no region: the country's rows");
        assert_eq!(price(TABLE, "DE", Some("BY"), "60").as_deref(), Some("25.00"), "another country: anywhere");
    }

    #[test]
    fn regions_match_without_regard_to_case() {
        assert_eq!(price(TABLE, "US", Some("ca"), "1").as_deref(), Some("5.00"));
        assert_eq!(price(TABLE, "us", Some(" Ca "), "1").as_deref(), Some("5.00"));
        let unicode = r#"{"basis":"weight","rows":[{"country":"FR","region":"Île-de-France","from":"0","price":"4"}]}"#;
        assert_eq!(price(unicode, "FR", Some("ÎLE-DE-FRANCE"), "1").as_deref(), Some("4"));
        assert_eq!(price(unicode, "FR", Some("Bretagne"), "1"), None);
    }

    #[test]
    fn the_greatest_from_the_order_reaches_wins() {
        assert_eq!(price(TABLE, "US", Some("CA"), "19.9999").as_deref(), Some("5.00"));
        assert_eq!(price(TABLE, "US", Some("CA"), "20").as_deref(), Some("7.00"), "a band starts at its from");
        assert_eq!(price(TABLE, "US", None, "49.99").as_deref(), Some("9.00"));
        assert_eq!(price(TABLE, "US", None, "50").as_deref(), Some("12.00"));
    }

    #[test]
    fn below_every_band_of_a_group_the_next_group_applies() {
        // The US rows start at 10: a lighter US shipment falls back to the rows for anywhere.
        assert_eq!(price(TABLE, "US", None, "9.99").as_deref(), Some("25.00"));
        assert_eq!(price(TABLE, "US", Some("NY"), "0").as_deref(), Some("25.00"));
    }

    #[test]
    fn no_matching_row_means_no_rate() {
        let us_only = r#"{"basis":"weight","rows":[{"country":"US","from":"10","price":"9"}]}"#;
        assert_eq!(price(us_only, "DE", None, "100"), None, "another country");
        assert_eq!(price(us_only, "US", None, "9"), None, "below the first band");
        let region_only = r#"{"basis":"weight","rows":[{"country":"US","region":"CA","from":"0","price":"5"}]}"#;
        assert_eq!(price(region_only, "US", None, "1"), None, "a region row needs the destination's region");
    }

    #[test]
    fn weight_is_unit_weight_times_quantity_and_missing_weights_count_zero() {
        let table = r#"{"basis":"weight","rows":[{"country":"*","from":"0","price":"1"},{"country":"*","from":"10","price":"2"}]}"#;
        let quote = |lines: &[(i64, Option<&str>)]| TableRateShipping::rates(&request(table, "DE", None, lines, "0")).unwrap()[0].amount;
        assert_eq!(quote(&[(3, Some("3")), (5, None)]), Decimal::ONE, "9 units of weight");
        assert_eq!(quote(&[(3, Some("3")), (1, Some("1"))]), Decimal::TWO, "10 units of weight");
        assert_eq!(quote(&[]), Decimal::ONE, "nothing weighs 0");
    }

    #[test]
    fn subtotal_and_items_bases() {
        let subtotal = r#"{"basis":"subtotal","rows":[{"country":"*","from":"0","price":"10"},{"country":"*","from":"100","price":"0"}]}"#;
        let quote = |config: &str, lines: &[(i64, Option<&str>)], subtotal: &str| {
            TableRateShipping::rates(&request(config, "DE", None, lines, subtotal)).unwrap()[0].amount
        };
        assert_eq!(quote(subtotal, &[(1, None)], "99.99"), Decimal::TEN);
        assert_eq!(quote(subtotal, &[(1, None)], "100.00"), Decimal::ZERO);
        let items = r#"{"basis":"items","rows":[{"country":"*","from":"1","price":"4"},{"country":"*","from":"10","price":"8"}]}"#;
        assert_eq!(quote(items, &[(4, Some("100")), (5, None)], "0"), Decimal::from(4), "9 items, weights ignored");
        assert_eq!(quote(items, &[(4, None), (6, None)], "0"), Decimal::from(8), "10 items");
    }

    #[test]
    fn totals_too_large_to_compute_are_an_error() {
        let weight = r#"{"basis":"weight","rows":[{"country":"*","from":"0","price":"1"}]}"#;
        let heavy = [(i64::MAX, Some("79228162514264337593543950")), (i64::MAX, Some("79228162514264337593543950"))];
        assert!(TableRateShipping::rates(&request(weight, "DE", None, &heavy, "0")).is_err());
        let items = r#"{"basis":"items","rows":[{"country":"*","from":"0","price":"1"}]}"#;
        assert!(TableRateShipping::rates(&request(items, "DE", None, &[(i64::MAX, None), (1, None)], "0")).is_err());
    }

    #[test]
    fn bad_configuration_is_an_error() {
        let row = |fields: &str| format!(r#"{{"basis":"weight","rows":[{{{fields}}}]}}"#);
        for config in [
            r#"{"rows":[{"country":"*","from":"0","price":"1"}]}"#.to_owned(),
            r#"{"basis":"volume","rows":[{"country":"*","from":"0","price":"1"}]}"#.to_owned(),
            r#"{"basis":"weight","rows":[]}"#.to_owned(),
            r#"{"basis":"weight","rows":[{"country":"*","from":"0","price":"1"}],"per":"order"}"#.to_owned(),
            row(r#""country":"USA","from":"0","price":"1""#),
            row(r#""country":"U1","from":"0","price":"1""#),
            row(r#""country":"*","region":"CA","from":"0","price":"1""#),
            row(r#""country":"US","region":"  ","from":"0","price":"1""#),
            row(r#""country":"US","from":"-1","price":"1""#),
            row(r#""country":"US","from":"0","price":"-0.01""#),
            row(r#""country":"US","from":"0","price":1"#),
            row(r#""country":"US","from":"0""#),
            row(r#""country":"US","from":"0","price":"1","zip":"9*""#),
        ] {
            assert!(TableRateShipping::rates(&request(&config, "US", None, &[(1, None)], "1")).is_err(), "{config}");
        }
    }

    #[test]
    fn two_rows_for_the_same_destination_and_band_are_an_error() {
        let twice = r#"{"basis":"weight","rows":[
            {"country":"US","region":"CA","from":"10","price":"1"},
            {"country":"*","from":"10","price":"2"},
            {"country":"us","region":"ca","from":"10.00","price":"3"}]}"#;
        let error = TableRateShipping::rates(&request(twice, "US", None, &[(1, None)], "1")).unwrap_err();
        assert_eq!(error, "rows[0] and rows[2] are for the same destination from the same 10");
        let distinct = r#"{"basis":"weight","rows":[
            {"country":"US","region":"CA","from":"10","price":"1"},
            {"country":"US","region":"NY","from":"10","price":"1"},
            {"country":"US","from":"10","price":"1"},
            {"country":"*","from":"10","price":"2"}]}"#;
        assert!(TableRateShipping::rates(&request(distinct, "US", None, &[(1, None)], "1")).is_ok());
    }
}
