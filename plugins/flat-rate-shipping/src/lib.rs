//! Flat-rate shipping: one price per order or per item, optionally free above a subtotal.
//!
//! Configuration: `{"price": "5.00", "per": "order", "label": "Standard delivery",
//! "free_above": "250.00", "estimated_days": 3}`; `per` is `order` or `item`; everything but
//! `price` is optional.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::shipping::{Rate, RateRequest, Shipping};
use serde::Deserialize;

/// The plugin.
pub struct FlatRateShipping;

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Per {
    Order,
    Item,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    price: Decimal,
    #[serde(default = "default_per")]
    per: Per,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    free_above: Option<Decimal>,
    #[serde(default)]
    estimated_days: Option<u32>,
}

fn default_per() -> Per {
    Per::Order
}

impl Shipping for FlatRateShipping {
    fn rates(request: &RateRequest) -> Result<Vec<Rate>, String> {
        let config: Config = request.context.config_as()?;
        if config.price < Decimal::ZERO {
            return Err("price must not be negative".into());
        }
        let free = config.free_above.is_some_and(|limit| request.subtotal >= limit);
        let amount = match (free, config.per) {
            (true, _) => Decimal::ZERO,
            (false, Per::Order) => config.price,
            (false, Per::Item) => config.price * Decimal::from(request.lines.iter().map(|l| l.quantity).sum::<i64>()),
        };
        Ok(vec![Rate {
            code: "flat-rate".into(),
            label: config.label.unwrap_or_else(|| "Flat rate".into()),
            amount,
            estimated_days: config.estimated_days,
        }])
    }
}

hanse_plugin_sdk::export_shipping!(FlatRateShipping);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;
    use hanse_plugin_sdk::shipping::ShippingLine;

    use super::*;

    fn request(config: &str, quantities: &[i64], subtotal: &str) -> RateRequest {
        RateRequest {
            context: Context { config: config.into(), ..Default::default() },
            lines: quantities
                .iter()
                .map(|q| ShippingLine { sku: "A".into(), quantity: *q, unit_price: Decimal::ONE, unit_weight: None })
                .collect(),
            subtotal: subtotal.parse().unwrap(),
            ..Default::default()
        }
    }

    #[test]
    fn per_order_and_per_item() {
        let per_order = FlatRateShipping::rates(&request(r#"{"price":"5.00"}"#, &[2, 3], "10")).unwrap();
        assert_eq!(per_order[0].amount, "5.00".parse::<Decimal>().unwrap());
        let per_item = FlatRateShipping::rates(&request(r#"{"price":"1.50","per":"item"}"#, &[2, 3], "10")).unwrap();
        assert_eq!(per_item[0].amount, "7.50".parse::<Decimal>().unwrap());
    }

    #[test]
    fn free_above_a_subtotal() {
        let config = r#"{"price":"5.00","free_above":"100","label":"Standard","estimated_days":2}"#;
        let rates = FlatRateShipping::rates(&request(config, &[1], "100")).unwrap();
        assert_eq!(rates[0].amount, Decimal::ZERO);
        assert_eq!(rates[0].label, "Standard");
        assert_eq!(rates[0].estimated_days, Some(2));
        assert_eq!(FlatRateShipping::rates(&request(config, &[1], "99.99")).unwrap()[0].amount, Decimal::new(5, 0));
    }

    #[test]
    fn bad_configuration_is_an_error() {
        assert!(FlatRateShipping::rates(&request(r#"{"price":"5","per":"pallet"}"#, &[1], "1")).is_err());
        assert!(FlatRateShipping::rates(&request(r#"{"price":"-1"}"#, &[1], "1")).is_err());
    }
}
