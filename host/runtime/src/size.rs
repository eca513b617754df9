//! How large a value is on the plugin boundary, for the input and output caps.
//!
//! The measure is the bytes of every string plus 8 bytes for every number, flag and list or
//! option header: close to what the canonical ABI copies, and the same for every plugin
//! language, so a limit means the same thing to every developer.

use crate::types::*;

const SCALAR: usize = 8;

/// A value's size on the boundary.
pub trait WireSize {
    /// Bytes, as described in the module docs.
    fn wire_size(&self) -> usize;
}

impl WireSize for String {
    fn wire_size(&self) -> usize {
        SCALAR + self.len()
    }
}

impl WireSize for i64 {
    fn wire_size(&self) -> usize {
        SCALAR
    }
}

impl WireSize for u32 {
    fn wire_size(&self) -> usize {
        SCALAR
    }
}

impl WireSize for bool {
    fn wire_size(&self) -> usize {
        SCALAR
    }
}

impl<T: WireSize> WireSize for Vec<T> {
    fn wire_size(&self) -> usize {
        SCALAR + self.iter().map(WireSize::wire_size).sum::<usize>()
    }
}

impl<T: WireSize> WireSize for Option<T> {
    fn wire_size(&self) -> usize {
        SCALAR + self.as_ref().map_or(0, WireSize::wire_size)
    }
}

/// Sums the sizes of a record's fields.
macro_rules! record {
    ($ty:ty { $($field:ident),* }) => {
        impl WireSize for $ty {
            fn wire_size(&self) -> usize {
                0 $(+ self.$field.wire_size())*
            }
        }
    };
}

record!(Attribute { name, value });
record!(Customer { company_id, customer_group, segments });
record!(Context { tenant, currency, now, config, customer });
record!(PriceLine { line_id, sku, quantity, list_price, unit_price, attributes });
record!(PriceRequest { context, lines });
record!(PriceChange { line_id, unit_price, reason });
record!(OrderLine { sku, quantity, unit_price, line_total });
record!(Buyer { user_id, role, is_company_admin, managers });
record!(ApprovalRequest { context, subtotal, shipping, grand_total, lines, buyer });
record!(ApprovalStep { name, approvers, min_approvals });
record!(ShippingLine { sku, quantity, unit_price, unit_weight });
record!(Address { country, region, postcode, city });
record!(RateRequest { context, lines, destination, subtotal });
record!(Rate { code, label, amount, estimated_days });
record!(Checkout { context, grand_total, available_credit, po_number });
record!(Method { code, label });
record!(Terms { reference, due_days });

impl WireSize for ApproverRef {
    fn wire_size(&self) -> usize {
        SCALAR
            + match self {
                ApproverRef::Role(s) | ApproverRef::User(s) => s.wire_size(),
                ApproverRef::Manager | ApproverRef::CompanyAdmin => 0,
            }
    }
}

impl WireSize for Decision {
    fn wire_size(&self) -> usize {
        SCALAR
            + match self {
                Decision::Approve => 0,
                Decision::Reject(reason) => reason.wire_size(),
                Decision::Require(steps) => steps.wire_size(),
            }
    }
}

impl WireSize for Authorization {
    fn wire_size(&self) -> usize {
        SCALAR
            + match self {
                Authorization::Authorized(s) | Authorization::Declined(s) | Authorization::Pending(s) => s.wire_size(),
                Authorization::OnTerms(terms) => terms.wire_size(),
            }
    }
}
