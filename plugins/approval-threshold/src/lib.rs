//! Approval above a threshold: orders whose grand total exceeds an amount need approval.
//!
//! Configuration: `{"threshold": "1000.00", "approver": "company-admin"}` where `approver` is
//! `company-admin` (default), `manager`, or `{"role": "Finance"}`; optional `"min_approvals": 2`
//! and `"step": "Finance review"`. Company administrators' own orders need no approval.

use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::approval::{Approval, ApprovalRequest, Approver, Decision, Step};
use serde::Deserialize;

/// The plugin.
pub struct ApprovalThreshold;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum ApproverConfig {
    CompanyAdmin,
    Manager,
    #[serde(untagged)]
    Role {
        role: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    threshold: Decimal,
    #[serde(default)]
    approver: Option<ApproverConfig>,
    #[serde(default)]
    min_approvals: Option<u32>,
    #[serde(default)]
    step: Option<String>,
}

impl Approval for ApprovalThreshold {
    fn evaluate(request: &ApprovalRequest) -> Result<Decision, String> {
        let config: Config = request.context.config_as()?;
        if request.grand_total <= config.threshold || request.buyer.is_company_admin {
            return Ok(Decision::Approve);
        }
        let approver = match config.approver.unwrap_or(ApproverConfig::CompanyAdmin) {
            ApproverConfig::CompanyAdmin => Approver::CompanyAdmin,
            ApproverConfig::Manager => Approver::Manager,
            ApproverConfig::Role { role } => Approver::Role(role),
        };
        Ok(Decision::Require(vec![Step {
            name: config.step.unwrap_or_else(|| format!("Orders over {}", config.threshold.normalize())),
            approvers: vec![approver],
            min_approvals: config.min_approvals.unwrap_or(1).max(1),
        }]))
    }
}

hanse_plugin_sdk::export_approval!(ApprovalThreshold);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;
    use hanse_plugin_sdk::approval::Buyer;

    use super::*;

    fn request(config: &str, total: i64, admin: bool) -> ApprovalRequest {
        ApprovalRequest {
            context: Context { config: config.into(), ..Default::default() },
            grand_total: Decimal::from(total),
            buyer: Buyer { is_company_admin: admin, ..Default::default() },
            ..Default::default()
        }
    }

    #[test]
    fn at_or_below_the_threshold_approves() {
        assert_eq!(ApprovalThreshold::evaluate(&request(r#"{"threshold":"1000"}"#, 1000, false)).unwrap(), Decision::Approve);
    }

    #[test]
    fn above_it_requires_the_configured_approver() {
        let Decision::Require(steps) = ApprovalThreshold::evaluate(&request(r#"{"threshold":"1000"}"#, 1001, false)).unwrap() else {
            panic!("expected approval steps");
        };
        assert_eq!(steps[0].approvers, vec![Approver::CompanyAdmin]);
        assert_eq!(steps[0].name, "Orders over 1000");
        let config = r#"{"threshold":"10","approver":{"role":"Finance"},"min_approvals":2,"step":"Finance"}"#;
        let Decision::Require(steps) = ApprovalThreshold::evaluate(&request(config, 11, false)).unwrap() else {
            panic!("expected approval steps");
        };
        assert_eq!((steps[0].approvers.clone(), steps[0].min_approvals), (vec![Approver::Role("Finance".into())], 2));
        let manager = r#"{"threshold":"10","approver":"manager"}"#;
        let Decision::Require(steps) = ApprovalThreshold::evaluate(&request(manager, 11, false)).unwrap() else {
            panic!("expected approval steps");
        };
        assert_eq!(steps[0].approvers, vec![Approver::Manager]);
    }

    #[test]
    fn company_admins_need_no_approval() {
        assert_eq!(ApprovalThreshold::evaluate(&request(r#"{"threshold":"1"}"#, 5000, true)).unwrap(), Decision::Approve);
    }
}
