//! Money on the wire: a whole number of 1/10,000 currency units.

use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places money keeps on the wire.
pub const SCALE: u32 = 4;

/// Wire units to a decimal: `125000` is `12.5000`.
pub fn from_units(units: i64) -> Decimal {
    Decimal::new(units, SCALE)
}

/// A decimal to wire units, rounded to 4 decimals half away from zero. Refuses negative amounts
/// and amounts too large to carry.
pub fn to_units(amount: Decimal) -> Result<i64, String> {
    if amount.is_sign_negative() && !amount.is_zero() {
        return Err(format!("amount {amount} is negative"));
    }
    // Exactly 4 decimals, so the mantissa is the count of 1/10,000 units: no division needed
    // unless the amount has more decimals than that.
    let mut rounded = amount.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointAwayFromZero);
    rounded.rescale(SCALE);
    if rounded.scale() != SCALE {
        return Err(format!("amount {amount} is too large"));
    }
    i64::try_from(rounded.mantissa()).map_err(|_| format!("amount {amount} is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways() {
        assert_eq!(from_units(125_000).to_string(), "12.5000");
        assert_eq!(to_units(Decimal::new(125, 1)).unwrap(), 125_000);
        assert_eq!(to_units(Decimal::new(123_455, 5)).unwrap(), 12_346, "half away from zero");
        assert!(to_units(Decimal::new(-1, 2)).is_err());
        assert_eq!(to_units(Decimal::ZERO).unwrap(), 0);
        assert!(to_units(Decimal::MAX).is_err());
        assert!(to_units(Decimal::new(i64::MAX, 0)).is_err());
        assert_eq!(to_units(Decimal::new(9_223_372_036_854, 0)).unwrap(), 92_233_720_368_540_000);
        assert_eq!(to_units(Decimal::new(7, 0)).unwrap(), 70_000, "fewer decimals than 4");
    }
}
