//! What the host refuses in a plugin's answer, whatever language the plugin is written in.

use std::collections::HashSet;

use crate::types::{Authorization, Decision, Method, PriceChange, PriceRequest, Rate};

/// The largest amount a plugin may return: 10^12 currency units (Hanse's price limit), in
/// 1/10,000 units.
pub const MAX_MONEY: i64 = 10_000_000_000_000_000;

/// The longest payment reference, in characters: it is recorded on the order and the invoice.
pub const MAX_REFERENCE_CHARS: usize = 200;

/// The longest credit terms, in days from the order to the invoice's due date.
pub const MAX_DUE_DAYS: u32 = 365;

/// Checks an amount; `what` names it, and is only called when there is something to report.
fn money(what: impl FnOnce() -> String, value: i64) -> Result<(), String> {
    if value < 0 {
        return Err(format!("{} is negative ({value} ten-thousandths)", what()));
    }
    if value > MAX_MONEY {
        return Err(format!("{} is over the limit of 10^12", what()));
    }
    Ok(())
}

/// Price changes must name lines of the request, once each, with prices `>= 0`.
pub fn price_changes(request: &PriceRequest, changes: &[PriceChange]) -> Result<(), String> {
    // Sorted ids rather than hash sets: this runs on every pricing call, on carts of up to
    // thousands of lines.
    let mut known: Vec<u32> = request.lines.iter().map(|l| l.line_id).collect();
    known.sort_unstable();
    for change in changes {
        if known.binary_search(&change.line_id).is_err() {
            return Err(format!("line {} does not exist in the request", change.line_id));
        }
        money(|| format!("the unit price of line {}", change.line_id), change.unit_price)?;
    }
    let mut changed: Vec<u32> = changes.iter().map(|c| c.line_id).collect();
    changed.sort_unstable();
    if let Some(twice) = changed.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(format!("line {} is changed twice", twice[0]));
    }
    Ok(())
}

/// Rates need distinct, non-empty codes and amounts `>= 0`.
pub fn rates(rates: &[Rate]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for rate in rates {
        if rate.code.is_empty() || !seen.insert(rate.code.as_str()) {
            return Err(format!("rate code {:?} is empty or repeated", rate.code));
        }
        money(|| format!("the amount of rate {:?}", rate.code), rate.amount)?;
    }
    Ok(())
}

/// Methods need distinct, non-empty codes.
pub fn methods(methods: &[Method]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for method in methods {
        if method.code.is_empty() || !seen.insert(method.code.as_str()) {
            return Err(format!("method code {:?} is empty or repeated", method.code));
        }
    }
    Ok(())
}

/// References are 1 to [`MAX_REFERENCE_CHARS`] characters, a decline gives a reason, and credit
/// terms fall due 1 to [`MAX_DUE_DAYS`] days after the order.
pub fn authorization(authorization: &Authorization) -> Result<(), String> {
    let reference = |what: &str, text: &str| {
        // `nth` stops one past the limit instead of counting all of a text only the output cap
        // bounds.
        if text.is_empty() || text.chars().nth(MAX_REFERENCE_CHARS).is_some() {
            return Err(format!("the {what} reference must be 1 to {MAX_REFERENCE_CHARS} characters"));
        }
        Ok(())
    };
    match authorization {
        Authorization::Authorized(r) => reference("authorized", r),
        Authorization::Pending(r) => reference("pending", r),
        Authorization::Declined(reason) if reason.is_empty() => Err("a declined payment needs a reason".into()),
        Authorization::Declined(_) => Ok(()),
        Authorization::OnTerms(terms) => {
            reference("on-terms", &terms.reference)?;
            if !(1..=MAX_DUE_DAYS).contains(&terms.due_days) {
                return Err(format!("terms due in {} days; due-days must be 1 to {MAX_DUE_DAYS}", terms.due_days));
            }
            Ok(())
        }
    }
}

/// Required steps need approvers and at least one approval each.
pub fn decision(decision: &Decision) -> Result<(), String> {
    if let Decision::Require(steps) = decision {
        if steps.is_empty() {
            return Err("approval is required but no step is given".into());
        }
        for step in steps {
            if step.approvers.is_empty() || step.min_approvals == 0 {
                return Err(format!("step {:?} needs approvers and at least one approval", step.name));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Context, Customer, PriceLine, Terms};

    fn request(ids: &[u32]) -> PriceRequest {
        let customer = Customer { company_id: None, customer_group: None, segments: vec![] };
        PriceRequest {
            context: Context { tenant: "t".into(), currency: "USD".into(), now: 0, config: "{}".into(), customer },
            lines: ids
                .iter()
                .map(|&line_id| PriceLine { line_id, sku: "S".into(), quantity: 1, list_price: 1, unit_price: 1, attributes: vec![] })
                .collect(),
        }
    }

    fn change(line_id: u32, unit_price: i64) -> PriceChange {
        PriceChange { line_id, unit_price, reason: String::new() }
    }

    #[test]
    fn price_changes_name_known_lines_once_with_sane_prices() {
        let request = request(&[7, 3, 11]);
        assert_eq!(price_changes(&request, &[change(11, 5), change(3, 0)]), Ok(()));
        assert_eq!(price_changes(&request, &[]), Ok(()));
        assert_eq!(price_changes(&request, &[change(4, 5)]), Err("line 4 does not exist in the request".into()));
        assert_eq!(price_changes(&request, &[change(3, 5), change(7, 1), change(3, 6)]), Err("line 3 is changed twice".into()));
        assert_eq!(price_changes(&request, &[change(7, -1)]), Err("the unit price of line 7 is negative (-1 ten-thousandths)".into()));
        assert_eq!(price_changes(&request, &[change(7, MAX_MONEY + 1)]), Err("the unit price of line 7 is over the limit of 10^12".into()));
        assert_eq!(price_changes(&request, &[change(7, MAX_MONEY)]), Ok(()));
    }

    #[test]
    fn rates_need_distinct_codes_and_sane_amounts() {
        let rate = |code: &str, amount| Rate { code: code.into(), label: String::new(), amount, estimated_days: None };
        assert_eq!(rates(&[rate("std", 0), rate("exp", 5)]), Ok(()));
        assert!(rates(&[rate("std", 0), rate("std", 5)]).is_err());
        assert!(rates(&[rate("", 0)]).is_err());
        assert_eq!(rates(&[rate("std", -5)]), Err("the amount of rate \"std\" is negative (-5 ten-thousandths)".into()));
    }

    #[test]
    fn authorizations_need_sane_references_and_terms() {
        let terms = |reference: &str, due_days| Authorization::OnTerms(Terms { reference: reference.into(), due_days });
        let longest = "é".repeat(MAX_REFERENCE_CHARS);
        for good in [
            Authorization::Authorized("on-account:PO-7".into()),
            Authorization::Pending(longest.clone()),
            Authorization::Declined("over the limit".into()),
            terms("net-30:PO-7", 30),
            terms("net-1:-", 1),
            terms("net-365:-", MAX_DUE_DAYS),
        ] {
            assert_eq!(authorization(&good), Ok(()), "{good:?}");
        }
        for bad in [
            Authorization::Authorized(String::new()),
            Authorization::Pending(format!("{longest}x")),
            Authorization::Declined(String::new()),
            terms("", 30),
            terms(&format!("{longest}x"), 30),
            terms("net-0:-", 0),
            terms("net-366:-", MAX_DUE_DAYS + 1),
        ] {
            assert!(authorization(&bad).is_err(), "{bad:?}");
        }
        assert_eq!(authorization(&terms("net-0:-", 0)), Err("terms due in 0 days; due-days must be 1 to 365".into()));
    }
}
