//! Approval plugins: decide whether a purchase order needs approval, and whose.

use rust_decimal::Decimal;

use crate::Context;
use crate::money::from_units;

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        world: "approval",
        path: "../../wit",
        pub_export_macro: true,
        export_macro_name: "__export_approval_bindings",
        default_bindings_module: "hanse_plugin_sdk::approval::bindings",
    });
}

use bindings::exports::hanse::plugin::approver as wit;

crate::__context_from_wit!(bindings::hanse::plugin::types::Context);

/// One order line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderLine {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: i64,
    /// Unit price.
    pub unit_price: Decimal,
    /// Line total.
    pub line_total: Decimal,
}

/// The buyer and their place in the company.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Buyer {
    /// User id.
    pub user_id: String,
    /// Role name.
    pub role: String,
    /// Whether the buyer is the company administrator.
    pub is_company_admin: bool,
    /// Managers' user ids, nearest first.
    pub managers: Vec<String>,
}

/// The purchase order to decide on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApprovalRequest {
    /// Tenant, currency, now, config, customer.
    pub context: Context,
    /// Sum of line totals.
    pub subtotal: Decimal,
    /// Shipping amount.
    pub shipping: Decimal,
    /// What the company pays.
    pub grand_total: Decimal,
    /// The lines.
    pub lines: Vec<OrderLine>,
    /// Who placed it.
    pub buyer: Buyer,
}

/// Who may approve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approver {
    /// Anyone with this role.
    Role(String),
    /// Any of the buyer's managers.
    Manager,
    /// The company administrator.
    CompanyAdmin,
    /// This user.
    User(String),
}

/// One stage of approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Shown to people.
    pub name: String,
    /// Who may approve.
    pub approvers: Vec<Approver>,
    /// How many must approve (at least 1).
    pub min_approvals: u32,
}

/// The decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// No approval needed.
    Approve,
    /// Refused, with a reason.
    Reject(String),
    /// These steps must approve, in order.
    Require(Vec<Step>),
}

/// An approval plugin.
pub trait Approval {
    /// Decides on a purchase order.
    fn evaluate(request: &ApprovalRequest) -> Result<Decision, String>;
}

/// Runs `P` on a request in wire form. Used by [`export_approval!`](crate::export_approval).
#[doc(hidden)]
pub fn run<P: Approval>(r: wit::ApprovalRequest) -> Result<wit::Decision, String> {
    let request = ApprovalRequest {
        context: r.context.into(),
        subtotal: from_units(r.subtotal),
        shipping: from_units(r.shipping),
        grand_total: from_units(r.grand_total),
        lines: r
            .lines
            .into_iter()
            .map(|l| OrderLine {
                sku: l.sku,
                quantity: l.quantity,
                unit_price: from_units(l.unit_price),
                line_total: from_units(l.line_total),
            })
            .collect(),
        buyer: Buyer {
            user_id: r.buyer.user_id,
            role: r.buyer.role,
            is_company_admin: r.buyer.is_company_admin,
            managers: r.buyer.managers,
        },
    };
    Ok(match P::evaluate(&request)? {
        Decision::Approve => wit::Decision::Approve,
        Decision::Reject(reason) => wit::Decision::Reject(reason),
        Decision::Require(steps) => wit::Decision::Require(
            steps
                .into_iter()
                .map(|s| wit::ApprovalStep {
                    name: s.name,
                    approvers: s
                        .approvers
                        .into_iter()
                        .map(|a| match a {
                            Approver::Role(r) => wit::ApproverRef::Role(r),
                            Approver::Manager => wit::ApproverRef::Manager,
                            Approver::CompanyAdmin => wit::ApproverRef::CompanyAdmin,
                            Approver::User(u) => wit::ApproverRef::User(u),
                        })
                        .collect(),
                    min_approvals: s.min_approvals,
                })
                .collect(),
        ),
    })
}

/// Exports an [`Approval`] implementation as the plugin's `approval` world.
#[macro_export]
macro_rules! export_approval {
    ($plugin:ty) => {
        #[doc(hidden)]
        pub struct __HanseApprovalExport;
        impl $crate::approval::bindings::exports::hanse::plugin::approver::Guest for __HanseApprovalExport {
            fn evaluate(
                request: $crate::approval::bindings::exports::hanse::plugin::approver::ApprovalRequest,
            ) -> ::core::result::Result<
                $crate::approval::bindings::exports::hanse::plugin::approver::Decision,
                ::std::string::String,
            > {
                $crate::approval::run::<$plugin>(request)
            }
        }
        // The exports are WebAssembly component exports; a native build (unit tests) has none.
        #[cfg(target_arch = "wasm32")]
        $crate::approval::bindings::__export_approval_bindings!(__HanseApprovalExport with_types_in $crate::approval::bindings);
    };
}
