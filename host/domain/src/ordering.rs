//! Ordering by SKU and quantity: how much of a product one cart line may hold, and the outcome
//! codes quick order, requisition lists and reorder answer per line (Magento's quick-order codes,
//! so existing integrations read them unchanged).

use crate::ValueError;

/// Largest quantity on one line.
pub const MAX_LINE_QUANTITY: i64 = 1_000_000_000;

/// How much of a product one cart line may hold: Magento's minimum and maximum cart quantity and
/// quantity increments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleQuantity {
    /// Fewest units on a line (at least 1).
    pub min: i64,
    /// Most units on a line; `None` for no limit beyond [`MAX_LINE_QUANTITY`].
    pub max: Option<i64>,
    /// A line holds a multiple of this (at least 1).
    pub increment: i64,
}

impl Default for SaleQuantity {
    fn default() -> Self {
        SaleQuantity { min: 1, max: None, increment: 1 }
    }
}

/// Why a quantity is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuantityProblem {
    /// Not a whole number from 1 to [`MAX_LINE_QUANTITY`].
    Invalid,
    /// Below the minimum or above the maximum.
    Range,
    /// Not a multiple of the increment.
    Increment,
}

impl SaleQuantity {
    /// Builds the rules from optional whole numbers (absent: the default), naming the field at
    /// fault: `min_sale_quantity`, `max_sale_quantity` or `quantity_increment`.
    pub fn new(min: Option<i64>, max: Option<i64>, increment: Option<i64>) -> Result<Self, (&'static str, ValueError)> {
        let in_range = |v: i64| (1..=MAX_LINE_QUANTITY).contains(&v);
        let min = min.unwrap_or(1);
        let increment = increment.unwrap_or(1);
        if !in_range(min) {
            return Err(("min_sale_quantity", ValueError::new(format!("must be a whole number from 1 to {MAX_LINE_QUANTITY}, got {min}"))));
        }
        if !in_range(increment) {
            return Err(("quantity_increment", ValueError::new(format!("must be a whole number from 1 to {MAX_LINE_QUANTITY}, got {increment}"))));
        }
        if let Some(max) = max {
            if !in_range(max) || max < min {
                return Err(("max_sale_quantity", ValueError::new(format!("must be a whole number from the minimum ({min}) to {MAX_LINE_QUANTITY}, got {max}"))));
            }
        }
        Ok(SaleQuantity { min, max, increment })
    }

    /// Parses the rules from optional text cells (CSV).
    pub fn parse(min: Option<&str>, max: Option<&str>, increment: Option<&str>) -> Result<Self, (&'static str, ValueError)> {
        let number = |field: &'static str, text: Option<&str>| {
            text.map(|t| t.trim().parse::<i64>().map_err(|_| (field, ValueError::new(format!("must be a whole number, got {t:?}"))))).transpose()
        };
        Self::new(number("min_sale_quantity", min)?, number("max_sale_quantity", max)?, number("quantity_increment", increment)?)
    }

    /// Checks one line's quantity: first that it is a quantity at all, then the range, then the
    /// increment (Magento's order).
    pub fn check(&self, quantity: i64) -> Result<(), QuantityProblem> {
        if !(1..=MAX_LINE_QUANTITY).contains(&quantity) {
            return Err(QuantityProblem::Invalid);
        }
        if quantity < self.min || self.max.is_some_and(|max| quantity > max) {
            return Err(QuantityProblem::Range);
        }
        if quantity % self.increment != 0 {
            return Err(QuantityProblem::Increment);
        }
        Ok(())
    }

    /// Explains the rules, for error messages: "from 10, at most 100, in steps of 5".
    pub fn describe(&self) -> String {
        let mut text = format!("at least {}", self.min);
        if let Some(max) = self.max {
            text += &format!(", at most {max}");
        }
        if self.increment > 1 {
            text += &format!(", in multiples of {}", self.increment);
        }
        text
    }
}

crate::named_enum! {
    /// What happened to one line of a quick order (or of a requisition list or reorder added to
    /// the cart). A SKU the buyer's catalog hides answers `failed_sku`, exactly like a SKU that
    /// does not exist, so the answer never reveals it.
    pub enum LineOutcome {
        /// The line is in the cart.
        Added = "added",
        /// No such SKU in the buyer's catalog.
        FailedSku = "failed_sku",
        /// The buyer's catalog shows the product but does not let the company buy it.
        FailedPermissions = "failed_permissions",
        /// The product is disabled.
        FailedDisabled = "failed_disabled",
        /// The quantity is not a whole number from 1 up.
        FailedQtyInvalid = "failed_qty_invalid",
        /// The quantity is not a multiple of the product's increment.
        FailedQtyIncrement = "failed_qty_increment",
        /// The quantity (with what the cart already holds) is outside the product's range.
        FailedQtyRange = "failed_qty_range",
        /// Not enough stock for the quantity (with what the cart already holds).
        FailedOutOfStock = "failed_out_of_stock",
    }
}

impl From<QuantityProblem> for LineOutcome {
    fn from(problem: QuantityProblem) -> Self {
        match problem {
            QuantityProblem::Invalid => LineOutcome::FailedQtyInvalid,
            QuantityProblem::Range => LineOutcome::FailedQtyRange,
            QuantityProblem::Increment => LineOutcome::FailedQtyIncrement,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_in_magentos_order() {
        let rules = SaleQuantity::new(Some(10), Some(100), Some(5)).unwrap();
        let table = [
            (0, Err(QuantityProblem::Invalid)),
            (-5, Err(QuantityProblem::Invalid)),
            (MAX_LINE_QUANTITY + 1, Err(QuantityProblem::Invalid)),
            (5, Err(QuantityProblem::Range)),
            (105, Err(QuantityProblem::Range)),
            (7, Err(QuantityProblem::Range)),
            (12, Err(QuantityProblem::Increment)),
            (10, Ok(())),
            (100, Ok(())),
            (55, Ok(())),
        ];
        for (quantity, expected) in table {
            assert_eq!(rules.check(quantity), expected, "{quantity}");
        }
        assert_eq!(SaleQuantity::default().check(MAX_LINE_QUANTITY), Ok(()));
    }

    #[test]
    fn refuses_rules_that_make_no_sense() {
        assert_eq!(SaleQuantity::new(Some(0), None, None).unwrap_err().0, "min_sale_quantity");
        assert_eq!(SaleQuantity::new(Some(5), Some(4), None).unwrap_err().0, "max_sale_quantity");
        assert_eq!(SaleQuantity::new(None, None, Some(0)).unwrap_err().0, "quantity_increment");
        assert_eq!(SaleQuantity::parse(Some("x"), None, None).unwrap_err().0, "min_sale_quantity");
        assert_eq!(SaleQuantity::parse(None, None, None).unwrap(), SaleQuantity::default());
        assert_eq!(SaleQuantity::parse(Some("2"), Some(""), None).unwrap_err().0, "max_sale_quantity");
    }

    #[test]
    fn outcome_names_are_magentos() {
        let names: Vec<&str> = LineOutcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(names.len(), 8);
        assert!(names.iter().all(|n| *n == "added" || n.starts_with("failed_")));
        assert_eq!(LineOutcome::from(QuantityProblem::Increment), LineOutcome::FailedQtyIncrement);
    }
}
