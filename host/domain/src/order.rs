//! Orders: the status machine, and how an order's totals are summed and rounded.
//!
//! `pending` (placed) → `processing` (the merchant works on it) → `shipped` (every unit shipped;
//! partial shipments keep it `processing`) → `complete`. `canceled` is reachable until the first
//! shipment; its compensations give back the stock and the credit.

use rust_decimal::Decimal;

use crate::currency::Currency;

crate::named_enum! {
    /// Where an order stands.
    pub enum OrderStatus {
        /// Placed; nothing done yet.
        Pending = "pending",
        /// Accepted by the merchant, or partly shipped.
        Processing = "processing",
        /// Every unit shipped.
        Shipped = "shipped",
        /// Done.
        Complete = "complete",
        /// Canceled; stock and credit were given back.
        Canceled = "canceled",
    }
}

crate::named_enum! {
    /// What the merchant does to an order.
    pub enum OrderAction {
        /// Start working on it.
        Process = "process",
        /// Ship some or all of what is left.
        Ship = "ship",
        /// Close it after shipping.
        Complete = "complete",
        /// Cancel it.
        Cancel = "cancel",
    }
}

/// An action the order's status does not allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {status} order cannot be {}", past(*.action))]
pub struct TransitionRefused {
    /// The status.
    pub status: OrderStatus,
    /// The action refused.
    pub action: OrderAction,
}

fn past(action: OrderAction) -> &'static str {
    match action {
        OrderAction::Process => "processed",
        OrderAction::Ship => "shipped",
        OrderAction::Complete => "completed",
        OrderAction::Cancel => "canceled",
    }
}

impl OrderStatus {
    /// The status after `action`. `fully_shipped` says whether every unit has shipped once a
    /// shipment is recorded; `any_shipped` whether anything has shipped at all (a shipped unit
    /// cannot be canceled: it is refunded instead).
    pub fn after(self, action: OrderAction, fully_shipped: bool, any_shipped: bool) -> Result<OrderStatus, TransitionRefused> {
        use OrderAction as A;
        use OrderStatus as S;
        let refused = Err(TransitionRefused { status: self, action });
        match (self, action) {
            (S::Pending, A::Process) => Ok(S::Processing),
            (S::Pending | S::Processing, A::Ship) => Ok(if fully_shipped { S::Shipped } else { S::Processing }),
            (S::Shipped, A::Complete) => Ok(S::Complete),
            (S::Pending | S::Processing, A::Cancel) if !any_shipped => Ok(S::Canceled),
            _ => refused,
        }
    }

    /// Whether nothing more will happen to the order.
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Complete | OrderStatus::Canceled)
    }
}

crate::named_enum! {
    /// Where the payment stands.
    pub enum PaymentStatus {
        /// A payment plugin authorized it.
        Authorized = "authorized",
        /// Accepted for settlement later (a purchase order number, a bank transfer).
        Pending = "pending",
        /// Charged to the company's credit.
        OnAccount = "on_account",
        /// On credit terms: an invoice is due later.
        OnTerms = "on_terms",
    }
}

/// An order's totals, each rounded to the currency's minor unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Sum of the line totals (each already rounded).
    pub subtotal: Decimal,
    /// Shipping.
    pub shipping: Decimal,
    /// Tax.
    pub tax: Decimal,
    /// What the buyer pays.
    pub grand_total: Decimal,
}

impl Totals {
    /// Sums rounded line totals, adds shipping, and taxes the subtotal (and shipping when the
    /// rate says so) at `tax_percent`. Tax is rounded once, on the order, half away from zero.
    pub fn compute(line_totals: &[Decimal], shipping: Decimal, tax_percent: Decimal, tax_shipping: bool, currency: Currency) -> Totals {
        let subtotal = currency.round(line_totals.iter().copied().sum());
        let shipping = currency.round(shipping);
        let taxable = if tax_shipping { subtotal + shipping } else { subtotal };
        let tax = currency.round(taxable * tax_percent / Decimal::ONE_HUNDRED);
        Totals { subtotal, shipping, tax, grand_total: subtotal + shipping + tax }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        use OrderAction as A;
        use OrderStatus as S;
        // (from, action, fully shipped, any shipped, result)
        let table = [
            (S::Pending, A::Process, false, false, Some(S::Processing)),
            (S::Pending, A::Ship, true, true, Some(S::Shipped)),
            (S::Pending, A::Ship, false, true, Some(S::Processing)),
            (S::Processing, A::Ship, true, true, Some(S::Shipped)),
            (S::Shipped, A::Complete, true, true, Some(S::Complete)),
            (S::Pending, A::Cancel, false, false, Some(S::Canceled)),
            (S::Processing, A::Cancel, false, false, Some(S::Canceled)),
            (S::Processing, A::Cancel, false, true, None),
            (S::Processing, A::Process, false, false, None),
            (S::Pending, A::Complete, false, false, None),
            (S::Shipped, A::Cancel, true, true, None),
            (S::Shipped, A::Ship, true, true, None),
            (S::Complete, A::Cancel, true, true, None),
            (S::Canceled, A::Process, false, false, None),
            (S::Canceled, A::Cancel, false, false, None),
        ];
        for (from, action, full, any, to) in table {
            assert_eq!(from.after(action, full, any).ok(), to, "{from} {action}");
        }
        assert_eq!(S::Shipped.after(A::Cancel, true, true).unwrap_err().to_string(), "a shipped order cannot be canceled");
    }

    #[test]
    fn totals_round_once_per_amount() {
        let usd = Currency::parse("USD").unwrap();
        let lines = [Decimal::new(10_005, 2), Decimal::new(3333, 2)];
        let t = Totals::compute(&lines, Decimal::new(500, 2), Decimal::new(825, 2), false, usd);
        assert_eq!(t.subtotal, Decimal::new(13_338, 2));
        // 133.38 × 8.25% = 11.00385 → 11.00
        assert_eq!(t.tax, Decimal::new(1100, 2));
        assert_eq!(t.grand_total, Decimal::new(14_938, 2));
        let with_shipping = Totals::compute(&lines, Decimal::new(500, 2), Decimal::new(10, 0), true, usd);
        assert_eq!(with_shipping.tax, Decimal::new(1384, 2));
        let none = Totals::compute(&[Decimal::new(30_000, 2)], Decimal::ZERO, Decimal::ZERO, false, usd);
        assert_eq!(none.grand_total, Decimal::new(30_000, 2));
    }
}
