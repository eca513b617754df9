//! Company credit as merchants and buyers see it.

use hanse_domain::credit::format_amount;
use hanse_domain::currency::Currency;
use hanse_store::{CreditAccount, CreditEntry};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::DecimalText;

/// Body of `PUT /admin/v1/companies/{id}/credit`: absent fields keep their value.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditIn {
    /// Credit limit in the tenant's currency.
    #[schema(value_type = Option<String>, example = "1000.00")]
    #[serde(default)]
    pub limit: Option<DecimalText>,
    /// Whether orders on account may exceed it.
    #[serde(default)]
    pub allow_exceed: Option<bool>,
    /// Why, for the history.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Body of `POST /admin/v1/companies/{id}/credit/reimbursements`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReimbursementIn {
    /// Amount received (negative to correct a mistake).
    #[schema(value_type = String, example = "250.00")]
    pub amount: DecimalText,
    /// The purchase order or custom reference number.
    #[serde(default)]
    pub reference: Option<String>,
    /// A comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A company's credit line.
#[derive(Serialize, ToSchema)]
pub struct CreditOut {
    /// The company.
    pub company_id: String,
    /// Currency.
    pub currency: String,
    /// Whether the company has a credit line.
    pub enabled: bool,
    /// Limit.
    #[schema(example = "1000.00")]
    pub limit: String,
    /// Balance: negative when the company owes.
    #[schema(example = "-300.00")]
    pub balance: String,
    /// Limit + balance.
    #[schema(example = "700.00")]
    pub available: String,
    /// Whether orders on account may exceed the limit.
    pub allow_exceed: bool,
}

impl CreditOut {
    /// The wire form of `account` (or of no credit line) for `company`.
    pub fn new(company: &str, account: Option<&CreditAccount>, currency: Currency) -> Self {
        let money = |units: i64| format_amount(units, currency);
        match account {
            Some(a) => CreditOut {
                company_id: a.company_id.clone(),
                currency: a.currency.clone(),
                enabled: true,
                limit: money(a.line.limit),
                balance: money(a.line.balance),
                available: money(a.line.available()),
                allow_exceed: a.line.allow_exceed,
            },
            None => CreditOut {
                company_id: company.to_owned(),
                currency: currency.code().to_owned(),
                enabled: false,
                limit: money(0),
                balance: money(0),
                available: money(0),
                allow_exceed: false,
            },
        }
    }
}

/// One history entry.
#[derive(Serialize, ToSchema)]
pub struct CreditEntryOut {
    /// Id.
    pub id: String,
    /// `allocated`, `updated`, `purchased`, `reimbursed`, `refunded` or `reverted`.
    pub operation: String,
    /// Change of the balance.
    pub amount: String,
    /// Balance after it.
    pub balance: String,
    /// Limit after it.
    pub limit: String,
    /// Available credit after it.
    pub available: String,
    /// Whether exceeding was allowed after it.
    pub allow_exceed: bool,
    /// Who.
    pub actor: String,
    /// The order, if any.
    pub order_id: Option<String>,
    /// Purchase order or custom reference.
    pub reference: String,
    /// Comment.
    pub comment: String,
    /// When (RFC 3339).
    pub created_at: String,
}

impl CreditEntryOut {
    /// The wire form of `entry`.
    pub fn new(entry: &CreditEntry, currency: Currency) -> Self {
        let money = |units: i64| format_amount(units, currency);
        CreditEntryOut {
            id: entry.id.clone(),
            operation: entry.operation.as_str().to_owned(),
            amount: money(entry.amount),
            balance: money(entry.line.balance),
            limit: money(entry.line.limit),
            available: money(entry.line.available()),
            allow_exceed: entry.line.allow_exceed,
            actor: entry.actor.clone(),
            order_id: entry.order_id.clone(),
            reference: entry.reference.clone(),
            comment: entry.comment.clone(),
            created_at: entry.created_at.to_string(),
        }
    }
}

/// A page of credit history, newest first.
#[derive(Serialize, ToSchema)]
pub struct CreditHistoryOut {
    /// Entries.
    pub entries: Vec<CreditEntryOut>,
    /// Pass as `before` for the next page.
    pub next: Option<String>,
}

/// Paging of the credit history.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// The previous page's `next`.
    pub before: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
}
