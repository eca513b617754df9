//! Payment: the methods a checkout may use, and authorizing the chosen one.
//!
//! Every enabled payment plugin offers methods (a plugin that fails drops only its own). Hanse
//! itself offers payment on account (`payment-on-account`): the grand total is charged to the
//! company's credit line in the order's transaction. It is offered to buyers allowed
//! `sales.payment_account` whose company has a credit line. When the tenant enables the
//! `payment-on-account` plugin, that plugin holds the merchant's rules for it (a minimum order,
//! a required PO number): the method is offered only when the plugin offers `on-account`, and
//! the plugin authorizes it before the credit is charged.

use axum::http::StatusCode;
use hanse_domain::company::permission::SALES_PAYMENT_ACCOUNT;
use hanse_domain::plugin::PluginKind;
use hanse_domain::time::Timestamp;
use hanse_runtime::types::{Authorization, Checkout};
use hanse_store::{Audience, PaymentOutcome, Tenant};
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::extract::SignedIn;
use crate::plugins::host::{ActivePlugin, call_context};
use crate::plugins::limits::PluginLimits;
use crate::plugins::replay;
use crate::state::AppState;

/// The longest an authorization may run (it may run inside the order's transaction).
const AUTHORIZE_DEADLINE: std::time::Duration = std::time::Duration::from_millis(200);

/// The code of the built-in payment on account.
pub const ON_ACCOUNT: &str = "payment-on-account";
/// The plugin whose answers are the merchant's rules for payment on account, and its method.
const ON_ACCOUNT_RULES: (&str, &str) = ("payment-on-account", "on-account");

/// Who answers for a method.
#[derive(Clone)]
pub enum MethodKind {
    /// Hanse's payment on account, with the plugin holding its rules, if enabled.
    OnAccount(Option<ActivePlugin>),
    /// A plugin's method: the plugin and the method's own code.
    Plugin(ActivePlugin, String),
}

/// A payment method offered.
#[derive(Clone)]
pub struct OfferedMethod {
    /// `payment-on-account`, or `<plugin id>:<method code>`.
    pub code: String,
    /// Shown to the buyer.
    pub label: String,
    /// Who answers for it.
    pub kind: MethodKind,
}

impl OfferedMethod {
    /// The plugin behind it, as an order records it.
    pub fn stamp(&self) -> serde_json::Value {
        match &self.kind {
            MethodKind::OnAccount(rules) => json!({ "id": ON_ACCOUNT, "built_in": true, "rules": rules.as_ref().map(ActivePlugin::stamp) }),
            MethodKind::Plugin(plugin, _) => plugin.stamp(),
        }
    }
}

/// What a payment is for.
pub struct Payable<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
    /// Who buys.
    pub audience: &'a Audience,
    /// The grand total, 1/10,000 units.
    pub grand_total: i64,
    /// The company's available credit, when it has a credit line.
    pub available_credit: Option<i64>,
    /// The buyer's purchase order number.
    pub po_number: Option<&'a str>,
    /// The moment of the checkout.
    pub at: Timestamp,
}

impl Payable<'_> {
    fn checkout(&self, plugin: &ActivePlugin) -> Checkout {
        Checkout {
            context: call_context(self.tenant, self.audience, plugin, self.at),
            grand_total: self.grand_total,
            available_credit: self.available_credit,
            po_number: self.po_number.map(str::to_owned),
        }
    }
}

/// The methods offered for `payable`, payment on account first.
pub async fn methods(state: &AppState, buyer: &SignedIn, payable: &Payable<'_>) -> ApiResult<Vec<OfferedMethod>> {
    let tenant = payable.tenant;
    let plugins = state.plugins().active(state.store(), tenant).await?;
    let limits = PluginLimits::of(tenant).apply();
    let may_use_account = buyer.permissions.allows(&SALES_PAYMENT_ACCOUNT) && payable.available_credit.is_some();
    let mut on_account = may_use_account.then(|| ("Payment on account".to_owned(), None));
    let mut offered = Vec::new();
    for plugin in plugins.of(PluginKind::Payment) {
        let is_rules = plugin.id.as_str() == ON_ACCOUNT_RULES.0;
        if is_rules && !may_use_account {
            continue;
        }
        let execution = state
            .plugins()
            .run(&tenant.id, plugin, &payable.checkout(plugin), limits, async |runtime, loaded, checkout, limits| runtime.methods(loaded, checkout, limits).await, replay::checkout_to_json)
            .await;
        let methods = match execution.outcome {
            Ok(methods) => methods,
            Err(error) => {
                tracing::warn!(tenant = %tenant.slug, plugin = %plugin.id, %error, "payment plugin failed; its methods are left out");
                if is_rules {
                    // Payment on account whose rules cannot be read is not offered.
                    on_account = None;
                }
                continue;
            }
        };
        if is_rules {
            on_account = methods.into_iter().find(|m| m.code == ON_ACCOUNT_RULES.1).map(|m| (m.label, Some(plugin.clone())));
            continue;
        }
        offered.extend(methods.into_iter().map(|m| OfferedMethod {
            code: format!("{}:{}", plugin.id, m.code),
            label: m.label,
            kind: MethodKind::Plugin(plugin.clone(), m.code),
        }));
    }
    if let Some((label, rules)) = on_account {
        offered.insert(0, OfferedMethod { code: ON_ACCOUNT.to_owned(), label, kind: MethodKind::OnAccount(rules) });
    }
    Ok(offered)
}

/// Authorizes `method` for `payable`. A decline is `payment_declined` (402); a plugin that
/// fails is `payment_plugin_failed` (502): no order is placed without its payment.
pub async fn authorize(state: &AppState, method: &OfferedMethod, payable: &Payable<'_>) -> ApiResult<PaymentOutcome> {
    let reference = || format!("on-account:{}", payable.po_number.unwrap_or("-"));
    let (plugin, code) = match &method.kind {
        MethodKind::OnAccount(None) => return Ok(PaymentOutcome::OnAccount(reference())),
        MethodKind::OnAccount(Some(rules)) => (rules, ON_ACCOUNT_RULES.1.to_owned()),
        MethodKind::Plugin(plugin, code) => (plugin, code.clone()),
    };
    // The call may run while the order's transaction holds its locks (on SQLite, the
    // database's write lock): however long a tenant's plan lets plugins run, authorizing gets
    // at most this.
    let mut limits = PluginLimits::of(payable.tenant).apply();
    limits.deadline = limits.deadline.min(AUTHORIZE_DEADLINE);
    let execution = state
        .plugins()
        .run(
            &payable.tenant.id,
            plugin,
            &payable.checkout(plugin),
            limits,
            async |runtime, loaded, checkout, limits| runtime.authorize(loaded, &code, checkout, limits).await,
            replay::checkout_to_json,
        )
        .await;
    let authorization = execution.outcome.map_err(|error| {
        ApiError::new(
            StatusCode::BAD_GATEWAY,
            "payment_plugin_failed",
            format!("payment plugin {} {} failed, so no order was placed: {error}", plugin.id, plugin.version),
        )
        .with_details(json!({ "plugin": plugin.id.as_str(), "version": plugin.version.to_string(), "error": error.code() }))
    })?;
    let on_account = matches!(method.kind, MethodKind::OnAccount(_));
    Ok(match authorization {
        Authorization::Declined(reason) => {
            return Err(ApiError::new(StatusCode::PAYMENT_REQUIRED, "payment_declined", format!("the payment was declined: {reason}"))
                .with_details(json!({ "method": method.code, "reason": reason })));
        }
        // Whatever the rules plugin answers, the credit line is what pays.
        Authorization::Authorized(r) | Authorization::Pending(r) if on_account => PaymentOutcome::OnAccount(r),
        Authorization::OnTerms(t) if on_account => PaymentOutcome::OnAccount(t.reference),
        Authorization::Authorized(r) => PaymentOutcome::Authorized(r),
        Authorization::Pending(r) => PaymentOutcome::Pending(r),
        Authorization::OnTerms(t) => PaymentOutcome::OnTerms { reference: t.reference, due_days: t.due_days },
    })
}
