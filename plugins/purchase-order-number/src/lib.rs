//! Purchase order: the buyer pays against a purchase order number, and the merchant settles
//! the payment outside Hanse (an invoice from the ERP, a bank transfer).
//!
//! Offers one method, code `purchase-order`, for every checkout whose grand total is within
//! `minimum_order` and `maximum_order` (both included, both optional). Authorizing needs the
//! checkout's PO number (trimmed, not blank) of at most `max_length` characters (default 64),
//! starting with one of `allowed_prefixes` when that list is given (case matters). The order is
//! then accepted as pending with the reference `po:<number>`; otherwise it is declined with the
//! reason.
//!
//! Configuration (all optional): `{"label": "Purchase order", "minimum_order": "100.00",
//! "maximum_order": "50000.00", "max_length": 20, "allowed_prefixes": ["PO-", "4500"]}`.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::payment::{Authorization, Checkout, Decline, MAX_REFERENCE_CHARS, Method, OrderRange, Payment, reference};
use serde::Deserialize;

/// The plugin.
pub struct PurchaseOrderNumber;

const CODE: &str = "purchase-order";
/// What the reference starts with: `po:<number>`.
const PREFIX: &str = "po";
/// The longest `max_length` that still fits the reference the host records.
const LONGEST_PO_NUMBER: usize = MAX_REFERENCE_CHARS - PREFIX.len() - 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    minimum_order: Option<Decimal>,
    #[serde(default)]
    maximum_order: Option<Decimal>,
    #[serde(default = "default_max_length")]
    max_length: usize,
    #[serde(default)]
    allowed_prefixes: Option<Vec<String>>,
}

fn default_max_length() -> usize {
    64
}

/// The configuration checked, with its order range.
struct Rules {
    config: Config,
    range: OrderRange,
}

impl Rules {
    fn of(checkout: &Checkout) -> Result<Rules, String> {
        let config: Config = checkout.context.config_as()?;
        let range = OrderRange::new(config.minimum_order, config.maximum_order)?;
        if !(1..=LONGEST_PO_NUMBER).contains(&config.max_length) {
            return Err(format!("max_length must be 1 to {LONGEST_PO_NUMBER}"));
        }
        match &config.allowed_prefixes {
            Some(prefixes) if prefixes.is_empty() => return Err("allowed_prefixes must not be empty when given".into()),
            // A trimmed number never starts with white space: such a prefix would refuse all.
            Some(prefixes) if prefixes.iter().any(|p| p.trim_start().len() != p.len() || p.is_empty()) => {
                return Err("allowed_prefixes must not be blank or start with white space".into());
            }
            _ => {}
        }
        Ok(Rules { config, range })
    }

    /// The reference to record, or why the order may not be paid by purchase order.
    fn accept(&self, checkout: &Checkout) -> Result<String, Decline> {
        self.range.admits(checkout)?;
        let number = checkout.required_po_number()?;
        let max_length = self.config.max_length;
        if number.chars().nth(max_length).is_some() {
            return Err(Decline(format!("the purchase order number may have at most {max_length} characters")));
        }
        if let Some(prefixes) = &self.config.allowed_prefixes
            && !prefixes.iter().any(|prefix| number.starts_with(prefix.as_str()))
        {
            return Err(Decline(format!("the purchase order number must start with {}", prefixes.join(" or "))));
        }
        reference(PREFIX, Some(number))
    }
}

impl Payment for PurchaseOrderNumber {
    fn methods(checkout: &Checkout) -> Result<Vec<Method>, String> {
        let rules = Rules::of(checkout)?;
        if rules.range.admits(checkout).is_err() {
            return Ok(vec![]);
        }
        Ok(vec![Method { code: CODE.into(), label: rules.config.label.unwrap_or_else(|| "Purchase order".into()) }])
    }

    fn authorize(code: &str, checkout: &Checkout) -> Result<Authorization, String> {
        if code != CODE {
            return Err(format!("unknown payment method {code:?}"));
        }
        // Pending, not authorized: the money is collected later, outside Hanse.
        Ok(Rules::of(checkout)?.accept(checkout).map_or_else(Authorization::from, Authorization::Pending))
    }
}

hanse_plugin_sdk::export_payment!(PurchaseOrderNumber);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;

    use super::*;

    fn checkout(config: &str, total: &str, po: Option<&str>) -> Checkout {
        Checkout {
            context: Context { config: config.into(), currency: "EUR".into(), ..Default::default() },
            grand_total: total.parse().unwrap(),
            available_credit: None,
            po_number: po.map(Into::into),
        }
    }

    fn methods(config: &str, total: &str) -> Vec<Method> {
        PurchaseOrderNumber::methods(&checkout(config, total, None)).unwrap()
    }

    fn authorize(config: &str, po: Option<&str>) -> Authorization {
        PurchaseOrderNumber::authorize(CODE, &checkout(config, "100", po)).unwrap()
    }

    fn declined(reason: &str) -> Authorization {
        Authorization::Declined(reason.into())
    }

    #[test]
    fn offered_to_everyone_with_the_configured_label() {
        assert_eq!(methods("{}", "0"), vec![Method { code: "purchase-order".into(), label: "Purchase order".into() }]);
        assert_eq!(methods(r#"{"label":"Bestellnummer"}"#, "1")[0].label, "Bestellnummer");
    }

    #[test]
    fn offered_within_the_order_range_only() {
        let range = r#"{"minimum_order":"100","maximum_order":"1000"}"#;
        assert_eq!(methods(range, "100").len(), 1);
        assert_eq!(methods(range, "1000").len(), 1);
        assert!(methods(range, "99.99").is_empty());
        assert!(methods(range, "1000.01").is_empty());
        assert_eq!(methods(r#"{"maximum_order":"10"}"#, "0").len(), 1);
    }

    #[test]
    fn pending_with_the_trimmed_po_number() {
        assert_eq!(authorize("{}", Some("  4500012345 ")), Authorization::Pending("po:4500012345".into()));
    }

    #[test]
    fn a_po_number_is_required() {
        assert_eq!(authorize("{}", None), declined("a purchase order number is required"));
        assert_eq!(authorize("{}", Some(" \t ")), declined("a purchase order number is required"));
    }

    #[test]
    fn the_po_number_has_a_maximum_length() {
        assert_eq!(authorize("{}", Some(&"7".repeat(64))), Authorization::Pending(format!("po:{}", "7".repeat(64))));
        assert_eq!(authorize("{}", Some(&"7".repeat(65))), declined("the purchase order number may have at most 64 characters"));
        let short = r#"{"max_length":5}"#;
        assert_eq!(authorize(short, Some("ÄÖÜ-1")), Authorization::Pending("po:ÄÖÜ-1".into()), "characters, not bytes");
        assert_eq!(authorize(short, Some("PO-123")), declined("the purchase order number may have at most 5 characters"));
        let longest = format!(r#"{{"max_length":{LONGEST_PO_NUMBER}}}"#);
        let reference = authorize(&longest, Some(&"é".repeat(LONGEST_PO_NUMBER)));
        assert!(matches!(reference, Authorization::Pending(ref r) if r.chars().count() == MAX_REFERENCE_CHARS), "{reference:?}");
    }

    #[test]
    fn the_po_number_starts_with_an_allowed_prefix() {
        let config = r#"{"allowed_prefixes":["PO-","4500"]}"#;
        assert_eq!(authorize(config, Some("PO-7")), Authorization::Pending("po:PO-7".into()));
        assert_eq!(authorize(config, Some("4500012345")), Authorization::Pending("po:4500012345".into()));
        assert_eq!(authorize(config, Some("po-7")), declined("the purchase order number must start with PO- or 4500"));
        assert_eq!(authorize(config, Some("7-PO-")), declined("the purchase order number must start with PO- or 4500"));
    }

    #[test]
    fn declined_outside_the_order_range() {
        let config = r#"{"minimum_order":"100.01"}"#;
        assert_eq!(authorize(config, Some("PO-7")), declined("this payment method needs an order of at least 100.01 EUR"));
        let config = r#"{"maximum_order":"99.99"}"#;
        assert_eq!(authorize(config, Some("PO-7")), declined("this payment method takes orders of at most 99.99 EUR"));
    }

    #[test]
    fn an_unknown_method_is_an_error() {
        assert!(PurchaseOrderNumber::authorize("on-account", &checkout("{}", "1", Some("PO-7"))).is_err());
    }

    #[test]
    fn bad_configuration_is_an_error() {
        for config in [
            r#"{"max_length":0}"#,
            r#"{"max_length":198}"#,
            r#"{"max_length":-1}"#,
            r#"{"allowed_prefixes":[]}"#,
            r#"{"allowed_prefixes":["PO-",""]}"#,
            r#"{"allowed_prefixes":[" PO-"]}"#,
            r#"{"allowed_prefixes":"PO-"}"#,
            r#"{"minimum_order":"10","maximum_order":"1"}"#,
            r#"{"pattern":"^PO-[0-9]+$"}"#,
        ] {
            assert!(PurchaseOrderNumber::methods(&checkout(config, "1", Some("PO-7"))).is_err(), "{config}");
            assert!(PurchaseOrderNumber::authorize(CODE, &checkout(config, "1", Some("PO-7"))).is_err(), "{config}");
        }
    }
}
