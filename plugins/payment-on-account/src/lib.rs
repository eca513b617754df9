//! Payment on account: the merchant's rules for the host's built-in "payment on account" method.
//!
//! The host owns company credit: it debits the available credit in the order's own database
//! transaction and honours the company's allow-exceed flag, so this plugin never compares the
//! order with the credit. It decides only whether the method is offered and whether an order
//! may use it:
//!
//! - offered (one method, code `on-account`) when the company has a credit line and the grand
//!   total is within `minimum_order` and `maximum_order` (both included);
//! - authorized as `on-account:<PO number or ->`, declined without a purchase order number when
//!   `require_po_number` is set, or outside the order range.
//!
//! Configuration (all optional): `{"label": "Pay on account", "minimum_order": "50.00",
//! "maximum_order": "25000.00", "require_po_number": true}`.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::payment::{Authorization, Checkout, Decline, Method, OrderRange, Payment, reference};
use serde::Deserialize;

/// The plugin.
pub struct PaymentOnAccount;

const CODE: &str = "on-account";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    minimum_order: Option<Decimal>,
    #[serde(default)]
    maximum_order: Option<Decimal>,
    #[serde(default)]
    require_po_number: bool,
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
        Ok(Rules { config, range })
    }

    /// The reference to record, or why the order may not go on account.
    fn accept(&self, checkout: &Checkout) -> Result<String, Decline> {
        let po_number = checkout.checked_po_number(self.config.require_po_number)?;
        self.range.admits(checkout)?;
        reference(CODE, po_number)
    }
}

impl Payment for PaymentOnAccount {
    fn methods(checkout: &Checkout) -> Result<Vec<Method>, String> {
        let rules = Rules::of(checkout)?;
        if checkout.available_credit.is_none() || rules.range.admits(checkout).is_err() {
            return Ok(vec![]);
        }
        Ok(vec![Method { code: CODE.into(), label: rules.config.label.unwrap_or_else(|| "Pay on account".into()) }])
    }

    fn authorize(code: &str, checkout: &Checkout) -> Result<Authorization, String> {
        if code != CODE {
            return Err(format!("unknown payment method {code:?}"));
        }
        // The credit is not compared with the total here: the host debits it with the order.
        Ok(Rules::of(checkout)?.accept(checkout).map_or_else(Authorization::from, Authorization::Authorized))
    }
}

hanse_plugin_sdk::export_payment!(PaymentOnAccount);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;

    use super::*;

    fn checkout(config: &str, total: &str, credit: Option<i64>, po: Option<&str>) -> Checkout {
        Checkout {
            context: Context { config: config.into(), currency: "USD".into(), ..Default::default() },
            grand_total: total.parse().unwrap(),
            available_credit: credit.map(Decimal::from),
            po_number: po.map(Into::into),
        }
    }

    fn offered(config: &str, total: &str, credit: Option<i64>) -> bool {
        !PaymentOnAccount::methods(&checkout(config, total, credit, None)).unwrap().is_empty()
    }

    fn authorize(config: &str, total: &str, po: Option<&str>) -> Authorization {
        PaymentOnAccount::authorize(CODE, &checkout(config, total, Some(100), po)).unwrap()
    }

    const RANGE: &str = r#"{"minimum_order":"50","maximum_order":"500.00"}"#;

    #[test]
    fn offered_with_a_credit_line_and_the_configured_label() {
        let methods = PaymentOnAccount::methods(&checkout("{}", "10", Some(100), None)).unwrap();
        assert_eq!(methods, vec![Method { code: "on-account".into(), label: "Pay on account".into() }]);
        let labelled = PaymentOnAccount::methods(&checkout(r#"{"label":"On account"}"#, "10", Some(0), None)).unwrap();
        assert_eq!(labelled[0].label, "On account");
        assert!(!offered("{}", "10", None), "no credit line, no method");
    }

    #[test]
    fn offered_within_the_order_range_only() {
        assert!(offered(RANGE, "50", Some(1)));
        assert!(offered(RANGE, "500", Some(1)));
        assert!(!offered(RANGE, "49.99", Some(1)));
        assert!(!offered(RANGE, "500.01", Some(1)));
    }

    #[test]
    fn the_total_is_not_compared_with_the_credit() {
        // The host debits the credit and applies the company's allow-exceed flag.
        assert!(offered("{}", "1000", Some(100)));
        assert_eq!(authorize("{}", "1000", Some("PO-7")), Authorization::Authorized("on-account:PO-7".into()));
    }

    #[test]
    fn authorized_with_the_po_number_or_a_dash() {
        assert_eq!(authorize("{}", "10", None), Authorization::Authorized("on-account:-".into()));
        assert_eq!(authorize("{}", "10", Some(" PO-7 ")), Authorization::Authorized("on-account:PO-7".into()));
    }

    #[test]
    fn a_required_po_number_must_be_given() {
        let config = r#"{"require_po_number":true}"#;
        assert_eq!(authorize(config, "10", None), Authorization::Declined("a purchase order number is required".into()));
        assert!(matches!(authorize(config, "10", Some("  ")), Authorization::Declined(_)));
        assert_eq!(authorize(config, "10", Some("PO-7")), Authorization::Authorized("on-account:PO-7".into()));
        assert!(matches!(authorize(config, "10", Some(&"9".repeat(300))), Authorization::Declined(_)), "too long to record");
    }

    #[test]
    fn declined_outside_the_order_range() {
        assert_eq!(
            authorize(RANGE, "49.99", None),
            Authorization::Declined("this payment method needs an order of at least 50 USD".into())
        );
        assert_eq!(
            authorize(RANGE, "500.01", None),
            Authorization::Declined("this payment method takes orders of at most 500.00 USD".into())
        );
        assert_eq!(authorize(RANGE, "50", None), Authorization::Authorized("on-account:-".into()));
    }

    #[test]
    fn an_unknown_method_is_an_error() {
        assert!(PaymentOnAccount::authorize("card", &checkout("{}", "1", Some(100), None)).is_err());
    }

    #[test]
    fn bad_configuration_is_an_error() {
        for config in [
            r#"{"minimum_order":"500","maximum_order":"50"}"#,
            r#"{"minimum_order":"-1"}"#,
            r#"{"maximum_order":"x"}"#,
            r#"{"credit_limit":"5"}"#,
            r#"{"require_po_number":"yes"}"#,
        ] {
            assert!(PaymentOnAccount::methods(&checkout(config, "10", Some(100), None)).is_err(), "{config}");
            assert!(PaymentOnAccount::authorize(CODE, &checkout(config, "10", Some(100), None)).is_err(), "{config}");
        }
    }
}
