//! Payment on account: the company pays later against its credit line.
//!
//! Offered only when the company has a credit line; authorized when the available credit covers
//! the order. Configuration (all optional): `{"label": "Pay on account", "minimum_order": "50.00",
//! "require_po_number": true}`.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::payment::{Authorization, Checkout, Method, Payment};
use serde::Deserialize;

/// The plugin.
pub struct PaymentOnAccount;

const CODE: &str = "on-account";

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    minimum_order: Option<Decimal>,
    #[serde(default)]
    require_po_number: bool,
}

impl Payment for PaymentOnAccount {
    fn methods(checkout: &Checkout) -> Result<Vec<Method>, String> {
        let config: Config = checkout.context.config_as()?;
        let below_minimum = config.minimum_order.is_some_and(|m| checkout.grand_total < m);
        if checkout.available_credit.is_none() || below_minimum {
            return Ok(vec![]);
        }
        Ok(vec![Method { code: CODE.into(), label: config.label.unwrap_or_else(|| "Pay on account".into()) }])
    }

    fn authorize(code: &str, checkout: &Checkout) -> Result<Authorization, String> {
        if code != CODE {
            return Err(format!("unknown payment method {code:?}"));
        }
        let config: Config = checkout.context.config_as()?;
        if config.require_po_number && checkout.po_number.as_deref().is_none_or(str::is_empty) {
            return Ok(Authorization::Declined("a purchase order number is required".into()));
        }
        Ok(match checkout.available_credit {
            Some(credit) if credit >= checkout.grand_total => {
                Authorization::Authorized(format!("on-account:{}", checkout.po_number.as_deref().unwrap_or("-")))
            }
            Some(_) => Authorization::Declined("the order exceeds the available credit".into()),
            None => Authorization::Declined("the company has no credit line".into()),
        })
    }
}

hanse_plugin_sdk::export_payment!(PaymentOnAccount);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;

    use super::*;

    fn checkout(config: &str, total: i64, credit: Option<i64>, po: Option<&str>) -> Checkout {
        Checkout {
            context: Context { config: config.into(), ..Default::default() },
            grand_total: Decimal::from(total),
            available_credit: credit.map(Decimal::from),
            po_number: po.map(Into::into),
        }
    }

    #[test]
    fn offered_only_with_credit_and_above_the_minimum() {
        assert_eq!(PaymentOnAccount::methods(&checkout("{}", 10, Some(100), None)).unwrap()[0].code, "on-account");
        assert!(PaymentOnAccount::methods(&checkout("{}", 10, None, None)).unwrap().is_empty());
        assert!(PaymentOnAccount::methods(&checkout(r#"{"minimum_order":"50"}"#, 10, Some(100), None)).unwrap().is_empty());
    }

    #[test]
    fn authorizes_within_credit() {
        assert_eq!(
            PaymentOnAccount::authorize("on-account", &checkout("{}", 100, Some(100), Some("PO-7"))).unwrap(),
            Authorization::Authorized("on-account:PO-7".into())
        );
        assert!(matches!(PaymentOnAccount::authorize("on-account", &checkout("{}", 101, Some(100), None)).unwrap(), Authorization::Declined(_)));
        assert!(matches!(
            PaymentOnAccount::authorize("on-account", &checkout(r#"{"require_po_number":true}"#, 1, Some(100), None)).unwrap(),
            Authorization::Declined(_)
        ));
        assert!(PaymentOnAccount::authorize("card", &checkout("{}", 1, Some(100), None)).is_err());
    }
}
