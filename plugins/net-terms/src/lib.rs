//! Net terms: company buyers pay by invoice, due a number of days after the order ("Net 30").
//!
//! Offers one method per configured term, in the configured order: code `net-30`, label
//! `Net 30` (`label_prefix` and the days). Offered only to a buyer logged in for a company, and
//! only when the grand total is at least `minimum_order`, if set. Authorizing `net-N` accepts
//! the order on terms: the host raises an invoice due N days after the order, with the reference
//! `net-N:<PO number or ->`. It is declined without a purchase order number when
//! `require_po_number` is set, and for a guest or an order below the minimum (the cart may have
//! changed since the methods were offered). A code that is not a configured term is an error.
//!
//! Configuration (all optional): `{"terms": [30, 60], "label_prefix": "Net",
//! "minimum_order": "100.00", "require_po_number": false}`. `terms` are distinct day counts,
//! 1 to 365; the default is `[30]`.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::payment::{Authorization, Checkout, Decline, Method, OrderRange, Payment, reference};
use serde::Deserialize;

/// The plugin.
pub struct NetTerms;

/// The longest term, in days: what the host accepts.
const MAX_DAYS: u32 = 365;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    #[serde(default = "default_terms")]
    terms: Vec<u32>,
    #[serde(default)]
    label_prefix: Option<String>,
    #[serde(default)]
    minimum_order: Option<Decimal>,
    #[serde(default)]
    require_po_number: bool,
}

fn default_terms() -> Vec<u32> {
    vec![30]
}

/// The configuration checked, with its order range.
struct Rules {
    config: Config,
    range: OrderRange,
}

/// The method code of a term of `days`.
fn method_code(days: u32) -> String {
    format!("net-{days}")
}

impl Rules {
    fn of(checkout: &Checkout) -> Result<Rules, String> {
        let config: Config = checkout.context.config_as()?;
        let terms = &config.terms;
        if terms.is_empty() {
            return Err("terms must not be empty".into());
        }
        if let Some(days) = terms.iter().find(|days| !(1..=MAX_DAYS).contains(days)) {
            return Err(format!("a term of {days} days is not 1 to {MAX_DAYS} days"));
        }
        if let Some((i, days)) = terms.iter().enumerate().find(|&(i, days)| terms[..i].contains(days)) {
            return Err(format!("terms[{i}]: {days} days is given twice"));
        }
        if config.label_prefix.as_deref().is_some_and(|prefix| prefix.trim().is_empty()) {
            return Err("label_prefix must not be blank".into());
        }
        let range = OrderRange::new(config.minimum_order, None)?;
        Ok(Rules { config, range })
    }

    /// Terms are credit: only for company buyers, and only from the minimum order on.
    fn admits(&self, checkout: &Checkout) -> Result<(), Decline> {
        if checkout.context.customer.company_id.is_none() {
            return Err(Decline("payment terms are for company accounts".into()));
        }
        self.range.admits(checkout)
    }

    /// The terms to record for `days`, or why the order may not be paid on them.
    fn accept(&self, days: u32, checkout: &Checkout) -> Result<Authorization, Decline> {
        self.admits(checkout)?;
        let po_number = checkout.checked_po_number(self.config.require_po_number)?;
        Ok(Authorization::OnTerms { reference: reference(&method_code(days), po_number)?, due_days: days })
    }
}

impl Payment for NetTerms {
    fn methods(checkout: &Checkout) -> Result<Vec<Method>, String> {
        let rules = Rules::of(checkout)?;
        if rules.admits(checkout).is_err() {
            return Ok(vec![]);
        }
        let prefix = rules.config.label_prefix.as_deref().map_or("Net", str::trim);
        Ok(rules.config.terms.iter().map(|&days| Method { code: method_code(days), label: format!("{prefix} {days}") }).collect())
    }

    fn authorize(code: &str, checkout: &Checkout) -> Result<Authorization, String> {
        let rules = Rules::of(checkout)?;
        // Compared with each configured code rather than parsed: `net-030` is not `net-30`.
        let Some(&days) = rules.config.terms.iter().find(|&&days| method_code(days) == code) else {
            return Err(format!("unknown payment method {code:?}"));
        };
        Ok(rules.accept(days, checkout).unwrap_or_else(Authorization::from))
    }
}

hanse_plugin_sdk::export_payment!(NetTerms);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::{Context, Customer};

    use super::*;

    fn checkout(config: &str, company: Option<&str>, total: &str, po: Option<&str>) -> Checkout {
        Checkout {
            context: Context {
                config: config.into(),
                currency: "USD".into(),
                customer: Customer { company_id: company.map(Into::into), ..Default::default() },
                ..Default::default()
            },
            grand_total: total.parse().unwrap(),
            available_credit: None,
            po_number: po.map(Into::into),
        }
    }

    fn codes(config: &str, company: Option<&str>, total: &str) -> Vec<String> {
        NetTerms::methods(&checkout(config, company, total, None)).unwrap().into_iter().map(|m| m.code).collect()
    }

    fn authorize(config: &str, code: &str, company: Option<&str>, total: &str, po: Option<&str>) -> Authorization {
        NetTerms::authorize(code, &checkout(config, company, total, po)).unwrap()
    }

    fn on_terms(reference: &str, due_days: u32) -> Authorization {
        Authorization::OnTerms { reference: reference.into(), due_days }
    }

    const COMPANY: Option<&str> = Some("cmp_1");

    #[test]
    fn one_method_per_term_in_the_configured_order() {
        let methods = NetTerms::methods(&checkout(r#"{"terms":[60,30]}"#, COMPANY, "1", None)).unwrap();
        assert_eq!(
            methods,
            vec![Method { code: "net-60".into(), label: "Net 60".into() }, Method { code: "net-30".into(), label: "Net 30".into() }]
        );
        let labelled = NetTerms::methods(&checkout(r#"{"label_prefix":"Netto"}"#, COMPANY, "1", None)).unwrap();
        assert_eq!(labelled, vec![Method { code: "net-30".into(), label: "Netto 30".into() }], "30 days by default");
    }

    #[test]
    fn offered_to_company_buyers_only() {
        assert_eq!(codes("{}", COMPANY, "1"), ["net-30"]);
        assert!(codes("{}", None, "1").is_empty());
    }

    #[test]
    fn offered_from_the_minimum_order_on() {
        let config = r#"{"minimum_order":"100.00"}"#;
        assert_eq!(codes(config, COMPANY, "100"), ["net-30"]);
        assert!(codes(config, COMPANY, "99.99").is_empty());
    }

    #[test]
    fn a_configured_term_is_accepted_on_those_terms() {
        let config = r#"{"terms":[30,60]}"#;
        assert_eq!(authorize(config, "net-60", COMPANY, "1", Some(" PO-7 ")), on_terms("net-60:PO-7", 60));
        assert_eq!(authorize(config, "net-30", COMPANY, "1", None), on_terms("net-30:-", 30));
        assert_eq!(authorize(r#"{"terms":[1,365]}"#, "net-365", COMPANY, "1", None), on_terms("net-365:-", 365));
    }

    #[test]
    fn an_unconfigured_code_is_an_error() {
        let config = r#"{"terms":[30,60]}"#;
        for code in ["net-90", "net-030", "net-", "net-30 ", "on-account", "NET-30"] {
            assert!(NetTerms::authorize(code, &checkout(config, COMPANY, "1", None)).is_err(), "{code}");
        }
    }

    #[test]
    fn a_required_po_number_must_be_given() {
        let config = r#"{"require_po_number":true}"#;
        let refused = Authorization::Declined("a purchase order number is required".into());
        assert_eq!(authorize(config, "net-30", COMPANY, "1", None), refused);
        assert_eq!(authorize(config, "net-30", COMPANY, "1", Some("  ")), refused);
        assert_eq!(authorize(config, "net-30", COMPANY, "1", Some("PO-7")), on_terms("net-30:PO-7", 30));
        let too_long = authorize(config, "net-30", COMPANY, "1", Some(&"9".repeat(200)));
        assert_eq!(too_long, Authorization::Declined("the purchase order number may have at most 193 characters".into()));
    }

    #[test]
    fn declined_for_guests_and_below_the_minimum() {
        let config = r#"{"minimum_order":"100"}"#;
        assert_eq!(
            authorize(config, "net-30", None, "500", None),
            Authorization::Declined("payment terms are for company accounts".into())
        );
        assert_eq!(
            authorize(config, "net-30", COMPANY, "99.99", None),
            Authorization::Declined("this payment method needs an order of at least 100 USD".into())
        );
    }

    #[test]
    fn bad_configuration_is_an_error() {
        for config in [
            r#"{"terms":[]}"#,
            r#"{"terms":[0]}"#,
            r#"{"terms":[366]}"#,
            r#"{"terms":[-30]}"#,
            r#"{"terms":[30,60,30]}"#,
            r#"{"terms":"30"}"#,
            r#"{"label_prefix":" "}"#,
            r#"{"minimum_order":"-5"}"#,
            r#"{"maximum_order":"5"}"#,
        ] {
            assert!(NetTerms::methods(&checkout(config, COMPANY, "1", None)).is_err(), "{config}");
            assert!(NetTerms::authorize("net-30", &checkout(config, COMPANY, "1", None)).is_err(), "{config}");
        }
    }
}
