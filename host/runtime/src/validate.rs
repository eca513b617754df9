//! What the host refuses in a plugin's answer, whatever language the plugin is written in.

use std::collections::HashSet;

use crate::types::{Decision, Method, PriceChange, PriceRequest, Rate};

/// The largest amount a plugin may return: 10^12 currency units (Hanse's price limit), in
/// 1/10,000 units.
pub const MAX_MONEY: i64 = 10_000_000_000_000_000;

fn money(what: &str, value: i64) -> Result<(), String> {
    if value < 0 {
        return Err(format!("{what} is negative ({value} ten-thousandths)"));
    }
    if value > MAX_MONEY {
        return Err(format!("{what} is over the limit of 10^12"));
    }
    Ok(())
}

/// Price changes must name lines of the request, once each, with prices `>= 0`.
pub fn price_changes(request: &PriceRequest, changes: &[PriceChange]) -> Result<(), String> {
    let known: HashSet<u32> = request.lines.iter().map(|l| l.line_id).collect();
    let mut seen = HashSet::new();
    for change in changes {
        if !known.contains(&change.line_id) {
            return Err(format!("line {} does not exist in the request", change.line_id));
        }
        if !seen.insert(change.line_id) {
            return Err(format!("line {} is changed twice", change.line_id));
        }
        money(&format!("the unit price of line {}", change.line_id), change.unit_price)?;
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
        money(&format!("the amount of rate {:?}", rate.code), rate.amount)?;
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
