//! Orders: the status machine, and how an order's totals are summed and rounded.
//!
//! `pending` (placed) → `processing` (the merchant works on it) → `shipped` (every unit shipped;
//! partial shipments keep it `processing`) → `complete`. `canceled` is reachable until the first
//! shipment; its compensations give back the stock and the credit. Refunds (credit memos,
//! [`refund`]) are possible in every status but `canceled` and `closed`; the one that refunds
//! every unit and all the shipping makes the order `closed`.

mod refund;

use rust_decimal::Decimal;

use crate::currency::Currency;

pub use self::refund::{MemoLine, Refund, RefundLine, RefundRefused, RefundRequest, Refundable, Settlement, refund};

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
        /// Everything refunded (Magento's "Closed").
        Closed = "closed",
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
        /// Refund some or all of it (a credit memo).
        Refund = "refund",
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
        OrderAction::Refund => "refunded",
    }
}

/// The units of one order line: ordered, shipped and refunded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineUnits {
    /// Units ordered.
    pub ordered: i64,
    /// Units shipped.
    pub shipped: i64,
    /// Units refunded.
    pub refunded: i64,
}

impl LineUnits {
    /// Units neither shipped nor refunded: still reserved, still to ship. A refund takes
    /// these first (Magento's rule), so the refunded units that never shipped are
    /// `min(refunded, ordered − shipped)`, and what is left to ship follows from the three
    /// counts alone.
    pub fn to_ship(self) -> i64 {
        (self.ordered - self.shipped - self.refunded).max(0)
    }

    /// Units that may still be refunded, shipped or not.
    pub fn refundable(self) -> i64 {
        self.ordered - self.refunded
    }
}

/// Where an order's units stand, as the status machine needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Progress {
    /// Some unit has shipped.
    pub any_shipped: bool,
    /// Nothing is left to ship: every unit shipped or refunded.
    pub all_shipped: bool,
    /// Every unit and all the shipping are refunded.
    pub all_refunded: bool,
}

impl Progress {
    /// The progress of an order with `lines`, whose shipping is wholly refunded or not.
    pub fn of(lines: impl IntoIterator<Item = LineUnits>, shipping_refunded: bool) -> Progress {
        let mut progress = Progress { any_shipped: false, all_shipped: true, all_refunded: shipping_refunded };
        for line in lines {
            progress.any_shipped |= line.shipped > 0;
            progress.all_shipped &= line.to_ship() == 0;
            progress.all_refunded &= line.refundable() == 0;
        }
        progress
    }
}

impl OrderStatus {
    /// The status after `action`, given the order's `progress` once the action is done. A
    /// shipped unit cannot be canceled (it is refunded instead); a refund of everything closes
    /// the order, and one that leaves nothing to ship after something shipped makes it
    /// `shipped`.
    pub fn after(self, action: OrderAction, progress: Progress) -> Result<OrderStatus, TransitionRefused> {
        use OrderAction as A;
        use OrderStatus as S;
        let refused = Err(TransitionRefused { status: self, action });
        let shipped_all = progress.any_shipped && progress.all_shipped;
        match (self, action) {
            (S::Pending, A::Process) => Ok(S::Processing),
            (S::Pending | S::Processing, A::Ship) => Ok(if progress.all_shipped { S::Shipped } else { S::Processing }),
            (S::Shipped, A::Complete) => Ok(S::Complete),
            (S::Pending | S::Processing, A::Cancel) if !progress.any_shipped => Ok(S::Canceled),
            (S::Pending | S::Processing | S::Shipped | S::Complete, A::Refund) if progress.all_refunded => Ok(S::Closed),
            (S::Pending | S::Processing, A::Refund) if shipped_all => Ok(S::Shipped),
            (S::Pending | S::Processing | S::Shipped | S::Complete, A::Refund) => Ok(self),
            _ => refused,
        }
    }

    /// Whether the merchant's work on the order is over: nothing ships or is canceled any
    /// more (a `complete` order may still be refunded, which closes it).
    pub fn is_final(self) -> bool {
        matches!(self, OrderStatus::Complete | OrderStatus::Canceled | OrderStatus::Closed)
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
        // Progress after the action: nothing shipped, partly shipped, all shipped, everything
        // refunded, and a partial refund that leaves only shipped units.
        let none = Progress { any_shipped: false, all_shipped: false, all_refunded: false };
        let part = Progress { any_shipped: true, all_shipped: false, all_refunded: false };
        let all = Progress { any_shipped: true, all_shipped: true, all_refunded: false };
        let refunded = Progress { any_shipped: false, all_shipped: true, all_refunded: true };
        let table = [
            (S::Pending, A::Process, none, Some(S::Processing)),
            (S::Pending, A::Ship, all, Some(S::Shipped)),
            (S::Pending, A::Ship, part, Some(S::Processing)),
            (S::Processing, A::Ship, all, Some(S::Shipped)),
            (S::Shipped, A::Complete, all, Some(S::Complete)),
            (S::Pending, A::Cancel, none, Some(S::Canceled)),
            (S::Processing, A::Cancel, none, Some(S::Canceled)),
            (S::Processing, A::Cancel, part, None),
            (S::Processing, A::Process, none, None),
            (S::Pending, A::Complete, none, None),
            (S::Shipped, A::Cancel, all, None),
            (S::Shipped, A::Ship, all, None),
            (S::Complete, A::Cancel, all, None),
            (S::Canceled, A::Process, none, None),
            (S::Canceled, A::Cancel, none, None),
            (S::Pending, A::Refund, none, Some(S::Pending)),
            (S::Pending, A::Refund, refunded, Some(S::Closed)),
            (S::Processing, A::Refund, part, Some(S::Processing)),
            (S::Processing, A::Refund, all, Some(S::Shipped)),
            (S::Shipped, A::Refund, all, Some(S::Shipped)),
            (S::Shipped, A::Refund, Progress { any_shipped: true, ..refunded }, Some(S::Closed)),
            (S::Complete, A::Refund, all, Some(S::Complete)),
            (S::Complete, A::Refund, refunded, Some(S::Closed)),
            (S::Canceled, A::Refund, refunded, None),
            (S::Closed, A::Refund, refunded, None),
            (S::Closed, A::Cancel, none, None),
            (S::Closed, A::Ship, all, None),
            (S::Closed, A::Complete, all, None),
            (S::Closed, A::Process, none, None),
        ];
        for (from, action, progress, to) in table {
            assert_eq!(from.after(action, progress).ok(), to, "{from} {action} {progress:?}");
        }
        assert_eq!(S::Shipped.after(A::Cancel, all).unwrap_err().to_string(), "a shipped order cannot be canceled");
        assert_eq!(S::Canceled.after(A::Refund, none).unwrap_err().to_string(), "a canceled order cannot be refunded");
        let finals: Vec<S> = S::ALL.iter().copied().filter(|s| s.is_final()).collect();
        assert_eq!(finals, [S::Complete, S::Canceled, S::Closed]);
    }

    #[test]
    fn a_refund_takes_unshipped_units_first() {
        // (ordered, shipped, refunded) → (to ship, refundable)
        let table = [((10, 0, 0), (10, 10)), ((10, 0, 3), (7, 7)), ((10, 6, 3), (1, 7)), ((10, 6, 5), (0, 5)), ((10, 10, 4), (0, 6)), ((10, 5, 10), (0, 0))];
        for ((ordered, shipped, refunded), expected) in table {
            let units = LineUnits { ordered, shipped, refunded };
            assert_eq!((units.to_ship(), units.refundable()), expected, "{units:?}");
        }
        let lines = [LineUnits { ordered: 2, shipped: 2, refunded: 0 }, LineUnits { ordered: 1, shipped: 0, refunded: 1 }];
        assert_eq!(Progress::of(lines, false), Progress { any_shipped: true, all_shipped: true, all_refunded: false });
        let lines = [LineUnits { ordered: 2, shipped: 1, refunded: 2 }];
        assert_eq!(Progress::of(lines, false), Progress { any_shipped: true, all_shipped: true, all_refunded: false });
        assert!(Progress::of(lines, true).all_refunded);
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
