//! Refunds: what a credit memo gives back, and whether it may (Magento's credit memo).
//!
//! A memo refunds units of the order's lines, some or all of the shipping, and an adjustment
//! (positive: an extra refund; negative: a fee kept back). A line's units are refunded at their
//! pro rata share of the line total, the tax at the lines' pro rata share of the order's tax.
//! Both shares are taken of everything refunded so far, rounded to the currency, minus what
//! earlier memos gave: one memo of `n` units gives `round(line_total × n / quantity)`, rounding
//! never accumulates over several memos, and the memo that refunds the last unit gives the
//! remainder, so a line refunded in full gives back exactly its line total and an order
//! refunded in full exactly its tax. The order keeps one tax amount (rounded once per order,
//! [`super::Totals`]), so the tax follows the lines; refunding only shipping gives no tax back
//! until the last memo. Amounts are in 1/10,000 units.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::{LineUnits, OrderAction, OrderStatus, PaymentStatus, Progress, TransitionRefused};
use crate::currency::Currency;

/// One order line as a refund sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundLine {
    /// The product.
    pub sku: String,
    /// Units ordered, shipped and refunded so far.
    pub units: LineUnits,
    /// The line total.
    pub line_total: i64,
}

/// An order as a refund sees it.
#[derive(Debug, Clone, Copy)]
pub struct Refundable<'a> {
    /// Where it stands.
    pub status: OrderStatus,
    /// Its currency: what shares are rounded to.
    pub currency: Currency,
    /// Its lines.
    pub lines: &'a [RefundLine],
    /// Sum of the line totals.
    pub subtotal: i64,
    /// Shipping.
    pub shipping: i64,
    /// Tax.
    pub tax: i64,
    /// What the company paid.
    pub grand_total: i64,
    /// Shipping refunded by earlier memos.
    pub shipping_refunded: i64,
    /// What earlier memos gave back in all.
    pub refunded: i64,
}

/// What the merchant asks to refund.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefundRequest {
    /// Units per SKU. `None` refunds every unit not refunded yet (Magento's default memo).
    pub lines: Option<Vec<(String, i64)>>,
    /// Shipping to refund. `None` refunds all the shipping left when `lines` is `None` too,
    /// and none otherwise.
    pub shipping: Option<i64>,
    /// An adjustment refund (positive) or fee (negative).
    pub adjustment: i64,
}

/// The units of one line a memo refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemoLine {
    /// The product.
    pub sku: String,
    /// Units refunded.
    pub quantity: i64,
    /// What they give back, before tax.
    pub amount: i64,
    /// How many of them had not shipped: their reservation is given back. The others had
    /// shipped and may return to stock on hand.
    pub unshipped: i64,
}

impl MemoLine {
    /// Units refunded that had shipped.
    pub fn shipped(&self) -> i64 {
        self.quantity - self.unshipped
    }
}

/// A credit memo's amounts, and the order's status after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// The lines refunded, in the order's line order.
    pub lines: Vec<MemoLine>,
    /// Sum of the lines' amounts.
    pub subtotal: i64,
    /// The lines' share of the order's tax.
    pub tax: i64,
    /// Shipping refunded.
    pub shipping: i64,
    /// Adjustment: refund (positive) or fee (negative).
    pub adjustment: i64,
    /// What the memo gives back: subtotal + tax + shipping + adjustment.
    pub total: i64,
    /// The order's status after the memo.
    pub status: OrderStatus,
}

/// Why a refund is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefundRefused {
    /// The order is canceled or already closed.
    #[error("{0}")]
    NotRefundable(TransitionRefused),
    /// The order has no line of this SKU.
    #[error("the order has no line {0}")]
    UnknownLine(String),
    /// A SKU named twice, a quantity below 1 or negative shipping.
    #[error("{0}")]
    Invalid(String),
    /// Nothing to refund: no units, no shipping, no adjustment.
    #[error("the refund names no units, shipping or adjustment")]
    Empty,
    /// More units than are left to refund.
    #[error("{requested} units of {sku} cannot be refunded: {refundable} are left")]
    QuantityExceeds {
        /// The product.
        sku: String,
        /// Units asked.
        requested: i64,
        /// Units not refunded yet.
        refundable: i64,
    },
    /// More shipping than is left to refund.
    #[error("shipping of {} cannot be refunded: {} is left", amount(.requested), amount(.refundable))]
    ShippingExceeds {
        /// Asked, 1/10,000 units.
        requested: i64,
        /// Left, 1/10,000 units.
        refundable: i64,
    },
    /// The memo would give back more than the order has left.
    #[error("a refund of {} exceeds the {} left of the order", amount(.total), amount(.refundable))]
    TotalExceeds {
        /// The memo's total, 1/10,000 units.
        total: i64,
        /// Grand total minus earlier refunds, 1/10,000 units.
        refundable: i64,
    },
    /// An adjustment fee larger than what the memo refunds.
    #[error("the refund's total would be negative ({}): the adjustment fee exceeds what is refunded", amount(.total))]
    NegativeTotal {
        /// The memo's total, 1/10,000 units.
        total: i64,
    },
}

/// 1/10,000 units as a decimal, for messages.
fn amount(units: &i64) -> Decimal {
    Decimal::new(*units, 4)
}

impl RefundRefused {
    /// The stable code: `order_not_refundable`, `unknown_sku`, `refund_exceeds_order` or
    /// `refund_invalid`.
    pub fn code(&self) -> &'static str {
        match self {
            RefundRefused::NotRefundable(_) => "order_not_refundable",
            RefundRefused::UnknownLine(_) => "unknown_sku",
            RefundRefused::QuantityExceeds { .. } | RefundRefused::ShippingExceeds { .. } | RefundRefused::TotalExceeds { .. } => "refund_exceeds_order",
            RefundRefused::Invalid(_) | RefundRefused::Empty | RefundRefused::NegativeTotal { .. } => "refund_invalid",
        }
    }
}

crate::named_enum! {
    /// Where a refund's money goes.
    pub enum Settlement {
        /// Back to the company's credit (payment on account), history `refunded`.
        Credit = "credit",
        /// Off the order's open invoice (net terms): reduced, canceled at zero.
        Invoice = "invoice",
        /// Outside Hanse: the invoice was paid, or a payment plugin took the payment.
        Offline = "offline",
    }
}

impl Settlement {
    /// Where a refund of an order paid with `payment` goes; `open_invoice` says whether the
    /// order's invoice (net terms) is still open.
    pub fn of(payment: PaymentStatus, open_invoice: bool) -> Settlement {
        match payment {
            PaymentStatus::OnAccount => Settlement::Credit,
            PaymentStatus::OnTerms if open_invoice => Settlement::Invoice,
            _ => Settlement::Offline,
        }
    }
}

/// `amount` rounded to the currency, in 1/10,000 units (within the line totals, so in range).
fn to_units(currency: Currency, amount: Decimal) -> i64 {
    let scaled = (currency.round(amount) * Decimal::new(10_000, 0)).trunc();
    i64::try_from(scaled).unwrap_or(i64::MAX)
}

/// `total × part / whole` rounded to the currency; `total` itself once `part` reaches `whole`.
fn pro_rata(currency: Currency, total: i64, part: i64, whole: i64) -> i64 {
    if part >= whole || whole <= 0 {
        return total;
    }
    to_units(currency, Decimal::new(total, 4) * Decimal::from(part) / Decimal::from(whole))
}

/// The tax given back once `refunded[i]` units of each line are: the lines' share of the
/// order's tax, all of it once every unit is.
fn tax_share(order: &Refundable<'_>, refunded: &[i64]) -> i64 {
    let lines = order.lines.iter().zip(refunded);
    if lines.clone().all(|(line, n)| *n >= line.units.ordered) {
        return order.tax;
    }
    let amount: i64 = lines.map(|(line, n)| pro_rata(order.currency, line.line_total, *n, line.units.ordered)).sum();
    if order.subtotal <= 0 { 0 } else { pro_rata(order.currency, order.tax, amount, order.subtotal) }
}

/// The memo `request` makes of `order`, or why it cannot be made. Nothing is refunded from a
/// canceled or closed order; each line at most its units not refunded yet; shipping at most
/// what is left of it; and the memo's total is from zero to the grand total minus what earlier
/// memos gave back.
pub fn refund(order: &Refundable<'_>, request: &RefundRequest) -> Result<Refund, RefundRefused> {
    order.status.after(OrderAction::Refund, Progress::default()).map_err(RefundRefused::NotRefundable)?;
    let mut units = vec![0_i64; order.lines.len()];
    match &request.lines {
        None => {
            for (n, line) in units.iter_mut().zip(order.lines) {
                *n = line.units.refundable();
            }
        }
        Some(asked) => {
            let index: HashMap<&str, usize> = order.lines.iter().enumerate().map(|(i, l)| (l.sku.as_str(), i)).collect();
            for (sku, quantity) in asked {
                let Some(&i) = index.get(sku.as_str()) else {
                    return Err(RefundRefused::UnknownLine(sku.clone()));
                };
                if *quantity < 1 {
                    return Err(RefundRefused::Invalid(format!("{sku}: a quantity must be at least 1, got {quantity}")));
                }
                if units[i] != 0 {
                    return Err(RefundRefused::Invalid(format!("{sku} is named twice")));
                }
                let refundable = order.lines[i].units.refundable();
                if *quantity > refundable {
                    return Err(RefundRefused::QuantityExceeds { sku: sku.clone(), requested: *quantity, refundable });
                }
                units[i] = *quantity;
            }
        }
    }
    let shipping_left = order.shipping - order.shipping_refunded;
    let shipping = match (request.shipping, &request.lines) {
        (Some(amount), _) => amount,
        (None, None) => shipping_left,
        (None, Some(_)) => 0,
    };
    if shipping < 0 {
        return Err(RefundRefused::Invalid("shipping must not be negative".into()));
    }
    if shipping > shipping_left {
        return Err(RefundRefused::ShippingExceeds { requested: shipping, refundable: shipping_left });
    }
    if units.iter().all(|n| *n == 0) && shipping == 0 && request.adjustment == 0 {
        return Err(RefundRefused::Empty);
    }
    let before: Vec<i64> = order.lines.iter().map(|l| l.units.refunded).collect();
    let after: Vec<i64> = before.iter().zip(&units).map(|(b, n)| b + n).collect();
    let lines: Vec<MemoLine> = order
        .lines
        .iter()
        .zip(&units)
        .enumerate()
        .filter(|(_, (_, n))| **n > 0)
        .map(|(i, (line, n))| {
            let share = |refunded: i64| pro_rata(order.currency, line.line_total, refunded, line.units.ordered);
            MemoLine { sku: line.sku.clone(), quantity: *n, amount: share(after[i]) - share(before[i]), unshipped: (*n).min(line.units.to_ship()) }
        })
        .collect();
    let subtotal: i64 = lines.iter().map(|l| l.amount).sum();
    let tax = tax_share(order, &after) - tax_share(order, &before);
    let total = subtotal + tax + shipping + request.adjustment;
    if total < 0 {
        return Err(RefundRefused::NegativeTotal { total });
    }
    let refundable = order.grand_total - order.refunded;
    if total > refundable {
        return Err(RefundRefused::TotalExceeds { total, refundable });
    }
    let progress = Progress::of(
        order.lines.iter().zip(&after).map(|(line, refunded)| LineUnits { refunded: *refunded, ..line.units }),
        order.shipping_refunded + shipping >= order.shipping,
    );
    let status = order.status.after(OrderAction::Refund, progress).map_err(RefundRefused::NotRefundable)?;
    Ok(Refund { lines, subtotal, tax, shipping, adjustment: request.adjustment, total, status })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn line(sku: &str, ordered: i64, shipped: i64, refunded: i64, line_total: i64) -> RefundLine {
        RefundLine { sku: sku.into(), units: LineUnits { ordered, shipped, refunded }, line_total }
    }

    /// An order of A (3 units, 10.00) and B (2 units, 90.00), 5.00 shipping and 8.25 tax:
    /// grand total 113.25.
    fn order(lines: &[RefundLine]) -> Refundable<'_> {
        Refundable {
            status: OrderStatus::Processing,
            currency: usd(),
            lines,
            subtotal: lines.iter().map(|l| l.line_total).sum(),
            shipping: 50_000,
            tax: 82_500,
            grand_total: lines.iter().map(|l| l.line_total).sum::<i64>() + 50_000 + 82_500,
            shipping_refunded: 0,
            refunded: 0,
        }
    }

    fn ask(lines: &[(&str, i64)]) -> RefundRequest {
        RefundRequest { lines: Some(lines.iter().map(|(s, q)| ((*s).to_owned(), *q)).collect()), ..RefundRequest::default() }
    }

    /// Applies `memo` to `lines` and `order`, as the store does.
    fn apply(lines: &mut [RefundLine], refunded: &mut (i64, i64), memo: &Refund) {
        for m in &memo.lines {
            if let Some(l) = lines.iter_mut().find(|l| l.sku == m.sku) {
                l.units.refunded += m.quantity;
            }
        }
        refunded.0 += memo.shipping;
        refunded.1 += memo.total;
    }

    #[test]
    fn pro_rata_shares_round_once_per_line_and_the_last_unit_takes_the_remainder() {
        // (line total, units ordered, units refunded before, units now) → amount
        let table = [
            (100_000, 3, 0, 1, 33_300),  // 3.333 → 3.33
            (100_000, 3, 1, 1, 33_400),  // 6.667 → 6.67, minus 3.33
            (100_000, 3, 2, 1, 33_300),  // the remainder: 10.00 − 6.67
            (100_000, 3, 0, 3, 100_000), // all at once: the line total exactly
            (50_000, 2, 0, 1, 25_000),   // 2.50
            (500, 2, 0, 1, 300),         // 0.025 → 0.03, half away from zero
            (500, 2, 1, 1, 200),         // the remainder: 0.05 − 0.03
            (1_000, 12, 0, 11, 900),     // 0.0917 → 0.09
            (1_000, 12, 11, 1, 100),     // the remainder, 0.01 (a share of its own, 0.0083, rounds to 0.01 too)
        ];
        for (line_total, ordered, before, now, amount) in table {
            let lines = [line("A", ordered, 0, before, line_total)];
            let refund = refund(&order(&lines), &ask(&[("A", now)])).unwrap();
            assert_eq!(refund.lines[0].amount, amount, "{line_total} × {now}/{ordered} after {before}");
        }
    }

    #[test]
    fn rounding_follows_the_currency() {
        let lines = [line("A", 3, 0, 0, 1_000_000)];
        let yen = Refundable { currency: Currency::parse("JPY").unwrap(), shipping: 0, tax: 0, grand_total: 1_000_000, ..order(&lines) };
        // 100 yen over 3 units: 33.33 → 33.
        assert_eq!(refund(&yen, &ask(&[("A", 1)])).unwrap().subtotal, 330_000);
    }

    #[test]
    fn the_tax_follows_the_lines_and_comes_back_whole() {
        let mut lines = vec![line("A", 3, 0, 0, 100_000), line("B", 2, 0, 0, 900_000)];
        let mut refunded = (0, 0);
        // One A: 3.33 of a 100.00 subtotal, so 3.33% of 8.25 = 0.2747 → 0.27.
        let first = refund(&order(&lines), &ask(&[("A", 1)])).unwrap();
        assert_eq!((first.subtotal, first.tax, first.shipping, first.total), (33_300, 2_700, 0, 36_000));
        assert_eq!(first.status, OrderStatus::Processing);
        apply(&mut lines, &mut refunded, &first);
        // One B: the share of everything refunded (48.33% → 3.99) minus the 0.27 given.
        let second = refund(&Refundable { shipping_refunded: refunded.0, refunded: refunded.1, ..order(&lines) }, &ask(&[("B", 1)])).unwrap();
        assert_eq!((second.subtotal, second.tax), (450_000, 39_900 - 2_700));
        apply(&mut lines, &mut refunded, &second);
        // Shipping alone gives no tax back.
        let shipping = RefundRequest { lines: Some(vec![]), shipping: Some(20_000), adjustment: 0 };
        let third = refund(&Refundable { shipping_refunded: refunded.0, refunded: refunded.1, ..order(&lines) }, &shipping).unwrap();
        assert_eq!((third.subtotal, third.tax, third.total), (0, 0, 20_000));
        apply(&mut lines, &mut refunded, &third);
        // The rest (lines omitted): every unit, the shipping left and the tax left, and the
        // order is closed with exactly its grand total given back.
        let last = refund(&Refundable { shipping_refunded: refunded.0, refunded: refunded.1, ..order(&lines) }, &RefundRequest::default()).unwrap();
        assert_eq!(last.lines.iter().map(|l| (l.sku.as_str(), l.quantity, l.amount)).collect::<Vec<_>>(), [("A", 2, 66_700), ("B", 1, 450_000)]);
        assert_eq!((last.shipping, last.tax), (30_000, 82_500 - 39_900));
        assert_eq!(last.status, OrderStatus::Closed);
        apply(&mut lines, &mut refunded, &last);
        assert_eq!(refunded.1, order(&lines).grand_total);
        assert_eq!(first.tax + second.tax + third.tax + last.tax, 82_500);
    }

    #[test]
    fn unshipped_units_are_refunded_first() {
        let lines = [line("A", 5, 2, 0, 500_000)];
        let memo = refund(&order(&lines), &ask(&[("A", 4)])).unwrap();
        assert_eq!((memo.lines[0].unshipped, memo.lines[0].shipped()), (3, 1));
        // Everything not shipped refunded, everything else shipped: the order is shipped.
        let lines = [line("A", 5, 2, 0, 500_000)];
        let rest = RefundRequest { lines: Some(vec![("A".into(), 3)]), shipping: None, adjustment: 0 };
        assert_eq!(refund(&order(&lines), &rest).unwrap().status, OrderStatus::Shipped);
        let lines = [line("A", 5, 4, 3, 500_000)];
        let memo = refund(&Refundable { status: OrderStatus::Complete, ..order(&lines) }, &ask(&[("A", 2)])).unwrap();
        assert_eq!((memo.lines[0].unshipped, memo.status), (0, OrderStatus::Complete));
    }

    #[test]
    fn adjustments_add_or_keep_back() {
        let lines = [line("A", 3, 0, 0, 100_000), line("B", 2, 0, 0, 900_000)];
        let fee = RefundRequest { adjustment: -10_000, ..ask(&[("A", 1)]) };
        assert_eq!(refund(&order(&lines), &fee).unwrap().total, 36_000 - 10_000);
        let goodwill = RefundRequest { lines: Some(vec![]), shipping: None, adjustment: 50_000 };
        let memo = refund(&order(&lines), &goodwill).unwrap();
        assert_eq!((memo.lines.len(), memo.total, memo.status), (0, 50_000, OrderStatus::Processing));
    }

    #[test]
    fn refusals() {
        let lines = [line("A", 3, 0, 1, 100_000), line("B", 2, 0, 0, 900_000)];
        let o = order(&lines);
        // An earlier memo refunded one A (3.33 and 0.27 tax) and 4.00 of the shipping.
        let partly = Refundable { shipping_refunded: 40_000, refunded: 76_000, ..o };
        let table: [(Refundable<'_>, RefundRequest, &str); 10] = [
            (Refundable { status: OrderStatus::Canceled, ..o }, RefundRequest::default(), "order_not_refundable"),
            (Refundable { status: OrderStatus::Closed, ..o }, ask(&[("A", 1)]), "order_not_refundable"),
            (o, ask(&[("C", 1)]), "unknown_sku"),
            (o, ask(&[("A", 3)]), "refund_exceeds_order"),
            (o, ask(&[("A", 0)]), "refund_invalid"),
            (o, ask(&[("B", 1), ("B", 1)]), "refund_invalid"),
            (partly, RefundRequest { shipping: Some(10_001), ..ask(&[]) }, "refund_exceeds_order"),
            (o, ask(&[]), "refund_invalid"),
            (o, RefundRequest { adjustment: -40_000, ..ask(&[("A", 1)]) }, "refund_invalid"),
            // The rest of the order plus 1.00 is too much.
            (partly, RefundRequest { adjustment: 10_000, ..RefundRequest::default() }, "refund_exceeds_order"),
        ];
        for (order, request, code) in table {
            let refused = refund(&order, &request).unwrap_err();
            assert_eq!(refused.code(), code, "{request:?}: {refused}");
        }
        assert_eq!(refund(&o, &ask(&[("A", 3)])).unwrap_err().to_string(), "3 units of A cannot be refunded: 2 are left");
        assert_eq!(refund(&Refundable { status: OrderStatus::Canceled, ..o }, &ask(&[("A", 1)])).unwrap_err().to_string(), "a canceled order cannot be refunded");
        assert_eq!(refund(&partly, &RefundRequest { adjustment: 10_000, ..RefundRequest::default() }).unwrap_err().to_string(), "a refund of 106.6500 exceeds the 105.6500 left of the order");
        // Exactly what is left is fine.
        assert_eq!(refund(&partly, &RefundRequest::default()).map(|m| (m.total, m.status)), Ok((o.grand_total - 76_000, OrderStatus::Closed)));
    }

    #[test]
    fn settlements() {
        assert_eq!(Settlement::of(PaymentStatus::OnAccount, false), Settlement::Credit);
        assert_eq!(Settlement::of(PaymentStatus::OnTerms, true), Settlement::Invoice);
        assert_eq!(Settlement::of(PaymentStatus::OnTerms, false), Settlement::Offline);
        assert_eq!(Settlement::of(PaymentStatus::Authorized, false), Settlement::Offline);
    }
}
