//! The values that cross the plugin boundary, as generated from `wit/` (money is `i64` in
//! 1/10,000 currency units; see `wit/types.wit` for every field's contract).

pub use crate::bindings::approval::exports::hanse::plugin::approver::{
    ApprovalRequest, ApprovalStep, ApproverRef, Buyer, Decision, OrderLine,
};
pub use crate::bindings::payment::exports::hanse::plugin::payer::{Authorization, Checkout, Method, Terms};
pub use crate::bindings::pricing::exports::hanse::plugin::pricer::{PriceChange, PriceLine, PriceRequest};
pub use crate::bindings::pricing::hanse::plugin::types::{Attribute, Context, Customer};
pub use crate::bindings::shipping::exports::hanse::plugin::shipper::{Address, Rate, RateRequest, ShippingLine};
