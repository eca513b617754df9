//! Company credit (Magento's "Payment on Account"): a limit, a signed balance that purchases
//! make negative, and a ledger of every change.
//!
//! Available credit = limit + balance. An order paid on account is refused when it exceeds the
//! available credit, unless the merchant lets the company exceed its limit.

use rust_decimal::Decimal;

use crate::ValueError;
use crate::currency::Currency;

crate::named_enum! {
    /// Why a company's credit changed: Magento's history types.
    pub enum CreditOperation {
        /// The first limit was set.
        Allocated = "allocated",
        /// The limit, currency or allow-exceed flag changed.
        Updated = "updated",
        /// An order was paid on account (balance down).
        Purchased = "purchased",
        /// The merchant recorded a payment received (either sign).
        Reimbursed = "reimbursed",
        /// A refund gave credit back (balance up).
        Refunded = "refunded",
        /// A canceled order gave its credit back (balance up).
        Reverted = "reverted",
    }
}

/// A company's credit line, amounts in 1/10,000 currency units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CreditLine {
    /// The limit (≥ 0).
    pub limit: i64,
    /// The balance: negative when the company owes.
    pub balance: i64,
    /// Whether orders may go beyond the limit.
    pub allow_exceed: bool,
}

/// Why an amount cannot be paid on account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsufficientCredit {
    /// What was available.
    pub available: i64,
    /// What was asked.
    pub amount: i64,
}

impl CreditLine {
    /// Limit + balance.
    pub fn available(&self) -> i64 {
        self.limit.saturating_add(self.balance)
    }

    /// The line after paying `amount` (≥ 0) on account, or why not.
    pub fn purchase(&self, amount: i64) -> Result<CreditLine, InsufficientCredit> {
        if !self.allow_exceed && self.available() < amount {
            return Err(InsufficientCredit { available: self.available(), amount });
        }
        Ok(CreditLine { balance: self.balance.saturating_sub(amount), ..*self })
    }

    /// The line after `amount` comes back (a cancel, refund or payment received).
    pub fn credit(&self, amount: i64) -> CreditLine {
        CreditLine { balance: self.balance.saturating_add(amount), ..*self }
    }
}

/// A signed amount of money in `currency`, at most the currency's decimals (`"-250.00"`), as
/// 1/10,000 units. Used for reimbursements, which may go either way.
pub fn parse_signed_amount(text: &str, currency: Currency) -> Result<i64, ValueError> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let value = parse_amount(digits, currency)?;
    Ok(if negative { -value } else { value })
}

/// A non-negative amount of money in `currency` with at most its decimals (`"1000.00"`), as
/// 1/10,000 units.
pub fn parse_amount(text: &str, currency: Currency) -> Result<i64, ValueError> {
    let fixed = crate::money::Fixed4::parse(text)?;
    let decimal = fixed.to_decimal();
    if currency.round(decimal) != decimal {
        return Err(ValueError::new(format!("must have at most {} decimal places for {currency}, got {text:?}", currency.minor_units())));
    }
    Ok(fixed.units())
}

/// An amount of 1/10,000 units written with the currency's decimals (`-2500000` → `"-250.00"`).
pub fn format_amount(units: i64, currency: Currency) -> String {
    currency.format(Decimal::new(units, 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    #[test]
    fn available_is_limit_plus_balance() {
        let line = CreditLine { limit: 10_000_000, balance: -3_000_000, allow_exceed: false };
        assert_eq!(line.available(), 7_000_000);
    }

    #[test]
    fn purchases_within_the_limit_unless_exceeding_is_allowed() {
        let line = CreditLine { limit: 10_000_000, balance: 0, allow_exceed: false };
        assert_eq!(line.purchase(3_000_000).unwrap().balance, -3_000_000);
        assert_eq!(line.purchase(10_000_000).unwrap().available(), 0);
        assert_eq!(line.purchase(10_000_001), Err(InsufficientCredit { available: 10_000_000, amount: 10_000_001 }));
        let exceeding = CreditLine { allow_exceed: true, ..line };
        assert_eq!(exceeding.purchase(12_000_000).unwrap().available(), -2_000_000);
        assert_eq!(line.purchase(3_000_000).unwrap().credit(3_000_000), line);
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("1000.00", usd()), Ok(10_000_000));
        assert_eq!(parse_signed_amount("-250.5", usd()), Ok(-2_505_000));
        assert!(parse_amount("1.005", usd()).is_err());
        assert!(parse_amount("-1", usd()).is_err());
        assert!(parse_amount("1e3", usd()).is_err());
        assert_eq!(format_amount(-2_505_000, usd()), "-250.50");
        assert_eq!(format_amount(0, Currency::parse("JPY").unwrap()), "0");
    }
}
