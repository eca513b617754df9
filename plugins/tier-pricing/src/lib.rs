//! Tier pricing: a lower unit price from a quantity on, as a percentage off or a fixed price.
//!
//! Configuration:
//! `{"tiers": [{"min_quantity": 10, "percent_off": "10"}, {"min_quantity": 100, "fixed_price": "7.50"}],
//!   "skus": ["BOLT-M8"]}`. `skus` is optional: without it every line is eligible. Of the tiers a
//! line reaches, the one that gives the lowest unit price wins; a tier never raises a price.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::pricing::{PriceChange, PriceRequest, Pricing};
use serde::Deserialize;

/// The plugin.
pub struct TierPricing;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    tiers: Vec<Tier>,
    #[serde(default)]
    skus: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Tier {
    min_quantity: i64,
    #[serde(default)]
    percent_off: Option<Decimal>,
    #[serde(default)]
    fixed_price: Option<Decimal>,
}

/// A tier checked once per call, with the words that explain it.
struct Prepared {
    min_quantity: i64,
    rule: Rule,
    reason: String,
}

enum Rule {
    /// Keep this percentage of the price (100 minus the discount).
    Keep(Decimal),
    /// This unit price.
    Fixed(Decimal),
}

impl Tier {
    /// Checks the tier and writes its reason, once per call rather than once per line.
    fn prepare(&self) -> Result<Prepared, String> {
        let (rule, reason) = match (self.percent_off, self.fixed_price) {
            (Some(percent), None) => {
                if percent < Decimal::ZERO || percent > Decimal::ONE_HUNDRED {
                    return Err(format!("percent_off {percent} is not between 0 and 100"));
                }
                (Rule::Keep(Decimal::ONE_HUNDRED - percent), format!("{}% off from {} units", percent.normalize(), self.min_quantity))
            }
            (None, Some(fixed)) => {
                if fixed < Decimal::ZERO {
                    return Err(format!("fixed_price {fixed} is negative"));
                }
                (Rule::Fixed(fixed), format!("tier price {} from {} units", fixed.normalize(), self.min_quantity))
            }
            _ => return Err("each tier needs exactly one of percent_off and fixed_price".into()),
        };
        Ok(Prepared { min_quantity: self.min_quantity, rule, reason })
    }
}

impl Prepared {
    /// The unit price this tier gives a line now at `unit_price`.
    fn unit_price(&self, unit_price: Decimal) -> Result<Decimal, String> {
        match self.rule {
            Rule::Fixed(price) => Ok(price),
            Rule::Keep(keep) => {
                let mut price = unit_price.checked_mul(keep).ok_or_else(|| format!("{unit_price} × {keep}% is too large"))?;
                // Dividing by 100 is moving the decimal point: exact, and far cheaper than a
                // 96-bit division (which WebAssembly does in software).
                if price.scale() + 2 <= 28 {
                    price.set_scale(price.scale() + 2).map_err(|e| e.to_string())?;
                    Ok(price)
                } else {
                    Ok(price / Decimal::ONE_HUNDRED)
                }
            }
        }
    }
}

impl Pricing for TierPricing {
    fn price(request: &PriceRequest) -> Result<Vec<PriceChange>, String> {
        let config: Config = request.context.config_as()?;
        let tiers = config.tiers.iter().map(Tier::prepare).collect::<Result<Vec<_>, _>>()?;
        let mut changes = Vec::new();
        for line in &request.lines {
            if config.skus.as_ref().is_some_and(|skus| !skus.contains(&line.sku)) {
                continue;
            }
            // The lowest price of the tiers the line reaches, if it is below the current one.
            let mut best: Option<(Decimal, &Prepared)> = None;
            for tier in tiers.iter().filter(|t| line.quantity >= t.min_quantity) {
                let price = tier.unit_price(line.unit_price)?;
                if price < line.unit_price && best.is_none_or(|(b, _)| price < b) {
                    best = Some((price, tier));
                }
            }
            if let Some((unit_price, tier)) = best {
                changes.push(PriceChange { line_id: line.line_id, unit_price, reason: tier.reason.clone() });
            }
        }
        Ok(changes)
    }
}

hanse_plugin_sdk::export_pricing!(TierPricing);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;
    use hanse_plugin_sdk::pricing::PriceLine;

    use super::*;

    fn request(config: &str, lines: &[(&str, i64, &str)]) -> PriceRequest {
        PriceRequest {
            context: Context { config: config.into(), currency: "USD".into(), ..Default::default() },
            lines: lines
                .iter()
                .enumerate()
                .map(|(i, (sku, quantity, price))| PriceLine {
                    line_id: i as u32,
                    sku: (*sku).into(),
                    quantity: *quantity,
                    list_price: price.parse().unwrap(),
                    unit_price: price.parse().unwrap(),
                    attributes: vec![],
                })
                .collect(),
        }
    }

    const TIERS: &str = r#"{"tiers":[{"min_quantity":10,"percent_off":"10"},{"min_quantity":100,"fixed_price":"7.50"}]}"#;

    #[test]
    fn below_the_first_tier_nothing_changes() {
        assert_eq!(TierPricing::price(&request(TIERS, &[("W", 9, "10.00")])).unwrap(), vec![]);
    }

    #[test]
    fn the_best_reached_tier_wins() {
        let changes = TierPricing::price(&request(TIERS, &[("A", 10, "10.00"), ("B", 100, "10.00"), ("C", 100, "7.00")])).unwrap();
        assert_eq!(changes.len(), 3, "{changes:?}");
        assert_eq!(changes[0].unit_price, "9.00".parse::<Decimal>().unwrap());
        assert_eq!(changes[0].reason, "10% off from 10 units");
        assert_eq!(changes[1].unit_price, "7.50".parse::<Decimal>().unwrap());
        assert_eq!(changes[1].reason, "tier price 7.5 from 100 units");
        // At 7.00 the fixed 7.50 would raise the price; 10% off wins.
        assert_eq!(changes[2].unit_price, "6.30".parse::<Decimal>().unwrap());
    }

    #[test]
    fn a_tier_never_raises_a_price() {
        let config = r#"{"tiers":[{"min_quantity":1,"fixed_price":"8"}]}"#;
        assert_eq!(TierPricing::price(&request(config, &[("A", 5, "7.99")])).unwrap(), vec![]);
    }

    #[test]
    fn sku_filter_limits_the_lines() {
        let config = r#"{"tiers":[{"min_quantity":1,"percent_off":"50"}],"skus":["A"]}"#;
        let changes = TierPricing::price(&request(config, &[("A", 1, "2"), ("B", 1, "2")])).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].line_id, 0);
    }

    #[test]
    fn bad_configuration_is_an_error() {
        for config in [r#"{"tiers":"x"}"#, r#"{"tiers":[{"min_quantity":1}]}"#, r#"{"tiers":[{"min_quantity":1,"percent_off":"120"}]}"#] {
            assert!(TierPricing::price(&request(config, &[("A", 5, "1")])).is_err(), "{config}");
        }
    }
}
