//! Inventory: how much of a SKU can still be sold, Magento MSI's way.
//!
//! Stock on hand is what the warehouse holds. Placing an order does not touch it: it appends a
//! reservation of −qty. Shipping deducts the units from stock and appends the compensating
//! +qty; canceling or refunding appends +qty. So
//! `salable = on hand + Σ reservations − out-of-stock threshold`, and every reservation ever
//! made stays in the ledger that proves it. Stock on hand is what the SKU's enabled sources
//! (warehouses, [`source`]) hold together.

pub mod source;

use crate::ValueError;

/// Largest out-of-stock threshold, either sign.
pub const MAX_THRESHOLD: i64 = 1_000_000_000_000;

crate::named_enum! {
    /// Whether orders may take a SKU below zero salable (Magento's `backorders` 0, 1, 2).
    pub enum Backorders {
        /// Never sell more than is salable.
        No = "no",
        /// Sell beyond stock.
        Allow = "allow",
        /// Sell beyond stock, and tell the buyer the line is backordered.
        AllowNotify = "allow_notify",
    }
}

/// The stock of one SKU as the reservation check sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StockLevel {
    /// Units on hand (≥ 0).
    pub on_hand: i64,
    /// Sum of the SKU's reservations: orders placed and not yet shipped or canceled (≤ 0
    /// normally).
    pub reserved: i64,
    /// Out-of-stock threshold (Magento's `min_qty`): units kept back. Negative only with
    /// backorders, where it limits how far below zero orders may go.
    pub threshold: i64,
    /// Backorder setting.
    pub backorders: Backorders,
}

impl StockLevel {
    /// What can still be sold: on hand + reservations − threshold. Negative when backorders
    /// sold beyond stock.
    pub fn salable(&self) -> i64 {
        self.on_hand.saturating_add(self.reserved).saturating_sub(self.threshold)
    }

    /// Whether `quantity` more units may be reserved. Without backorders, or with backorders
    /// limited by a negative threshold, the salable quantity must cover them; backorders with a
    /// threshold of zero or more are unlimited (Magento's rule).
    pub fn can_reserve(&self, quantity: i64) -> bool {
        let limited = self.backorders == Backorders::No || self.threshold < 0;
        !limited || self.salable() >= quantity
    }

    /// Whether a line of `quantity` is sold beyond the stock on hand (to tell the buyer).
    pub fn backordered(&self, quantity: i64) -> bool {
        self.backorders != Backorders::No && self.on_hand.saturating_add(self.reserved) < quantity
    }
}

/// Checks a threshold against the backorder setting: a negative threshold means limited
/// backorders, so it needs backorders on.
pub fn check_threshold(threshold: i64, backorders: Backorders) -> Result<i64, ValueError> {
    if !(-MAX_THRESHOLD..=MAX_THRESHOLD).contains(&threshold) {
        return Err(ValueError::new(format!("must be a whole number from -{MAX_THRESHOLD} to {MAX_THRESHOLD}, got {threshold}")));
    }
    if threshold < 0 && backorders == Backorders::No {
        return Err(ValueError::new("a negative out-of-stock threshold limits backorders, so it needs backorders allowed"));
    }
    Ok(threshold)
}

/// Whether a change of the salable quantity from `before` to `after` crosses the low-stock
/// level `notify_at` downwards (at or below it after, above it before).
pub fn fell_to_low_stock(before: i64, after: i64, notify_at: Option<i64>) -> bool {
    notify_at.is_some_and(|level| before > level && after <= level)
}

/// Whether a change of the salable quantity from `before` to `after` brings the SKU back in
/// stock.
pub fn came_back_in_stock(before: i64, after: i64) -> bool {
    before <= 0 && after > 0
}

crate::named_enum! {
    /// Why a reservation was written (Magento's reservation event types).
    pub enum ReservationReason {
        /// An order took the units (−qty).
        OrderPlaced = "order_placed",
        /// The order was canceled (+qty).
        OrderCanceled = "order_canceled",
        /// The units were shipped and deducted from stock on hand (+qty).
        ShipmentCreated = "shipment_created",
        /// Units not yet shipped were refunded (a credit memo, +qty).
        OrderRefunded = "order_refunded",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(on_hand: i64, reserved: i64, threshold: i64, backorders: Backorders) -> StockLevel {
        StockLevel { on_hand, reserved, threshold, backorders }
    }

    #[test]
    fn salable_is_stock_plus_reservations_minus_threshold() {
        assert_eq!(level(10, -3, 2, Backorders::No).salable(), 5);
        assert_eq!(level(0, -4, 0, Backorders::Allow).salable(), -4);
    }

    #[test]
    fn reservation_rules() {
        // (level, quantity, allowed)
        let table = [
            (level(10, -3, 0, Backorders::No), 7, true),
            (level(10, -3, 0, Backorders::No), 8, false),
            (level(10, 0, 3, Backorders::No), 8, false),
            (level(0, 0, 0, Backorders::Allow), 1_000, true),
            (level(0, 0, 0, Backorders::AllowNotify), 5, true),
            // A negative threshold limits backorders to that many below zero.
            (level(0, 0, -5, Backorders::Allow), 5, true),
            (level(0, -2, -5, Backorders::Allow), 4, false),
        ];
        for (stock, quantity, allowed) in table {
            assert_eq!(stock.can_reserve(quantity), allowed, "{stock:?} {quantity}");
        }
    }

    #[test]
    fn backordered_lines_are_told() {
        assert!(level(2, 0, 0, Backorders::AllowNotify).backordered(3));
        assert!(!level(3, 0, 0, Backorders::AllowNotify).backordered(3));
        assert!(!level(0, 0, 0, Backorders::No).backordered(3));
    }

    #[test]
    fn thresholds() {
        assert_eq!(check_threshold(-5, Backorders::Allow), Ok(-5));
        assert!(check_threshold(-5, Backorders::No).is_err());
        assert!(check_threshold(MAX_THRESHOLD + 1, Backorders::Allow).is_err());
    }

    #[test]
    fn crossings() {
        assert!(fell_to_low_stock(6, 5, Some(5)));
        assert!(!fell_to_low_stock(5, 4, Some(5)));
        assert!(!fell_to_low_stock(9, 1, None));
        assert!(came_back_in_stock(0, 3));
        assert!(!came_back_in_stock(1, 3));
        assert!(!came_back_in_stock(-2, 0));
    }

    #[test]
    fn names() {
        assert_eq!(Backorders::parse("allow_notify"), Ok(Backorders::AllowNotify));
        assert!(Backorders::parse("yes").is_err());
        assert_eq!(ReservationReason::parse("order_refunded"), Ok(ReservationReason::OrderRefunded));
    }
}
