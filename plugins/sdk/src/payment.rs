//! Payment plugins: which methods a checkout may use, and authorizing a payment.

use rust_decimal::Decimal;

use crate::Context;
use crate::money::from_units;

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        world: "payment",
        path: "../../wit",
        pub_export_macro: true,
        export_macro_name: "__export_payment_bindings",
        default_bindings_module: "hanse_plugin_sdk::payment::bindings",
    });
}

use bindings::exports::hanse::plugin::payer as wit;

crate::__context_from_wit!(bindings::hanse::plugin::types::Context);

/// The checkout being paid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkout {
    /// Tenant, currency, now, config, customer.
    pub context: Context,
    /// What the buyer pays.
    pub grand_total: Decimal,
    /// The company's available credit, when it has a credit line.
    pub available_credit: Option<Decimal>,
    /// The buyer's purchase order number.
    pub po_number: Option<String>,
}

/// A payment method.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Method {
    /// Stable code.
    pub code: String,
    /// Shown to the buyer.
    pub label: String,
}

/// The outcome of authorizing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Authorization {
    /// Authorized, with a reference.
    Authorized(String),
    /// Refused, with a reason.
    Declined(String),
    /// Accepted for later settlement, with a reference.
    Pending(String),
    /// Accepted on credit terms: the host raises an invoice due `due_days` after the order.
    OnTerms {
        /// Recorded on the order and the invoice ("net-30:PO-7"), 1 to 200 characters.
        reference: String,
        /// Days from the order until the invoice is due, 1 to 365.
        due_days: u32,
    },
}

/// The longest reference the host records on an order or an invoice, in characters.
pub const MAX_REFERENCE_CHARS: usize = 200;

/// A payment refused, with a reason for the buyer. The checks below return it as their error,
/// so a plugin chains them with `?` and answers the first refusal as
/// [`Authorization::Declined`] (`From` converts it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decline(pub String);

impl From<Decline> for Authorization {
    fn from(decline: Decline) -> Self {
        Authorization::Declined(decline.0)
    }
}

impl Checkout {
    /// The buyer's purchase order number without surrounding white space; `None` when none was
    /// given or it is blank.
    pub fn given_po_number(&self) -> Option<&str> {
        self.po_number.as_deref().map(str::trim).filter(|po| !po.is_empty())
    }

    /// [`given_po_number`](Self::given_po_number), refused when there is none.
    pub fn required_po_number(&self) -> Result<&str, Decline> {
        self.given_po_number().ok_or_else(|| Decline("a purchase order number is required".into()))
    }

    /// [`given_po_number`](Self::given_po_number), refused when `required` and there is none.
    pub fn checked_po_number(&self, required: bool) -> Result<Option<&str>, Decline> {
        if required { self.required_po_number().map(Some) } else { Ok(self.given_po_number()) }
    }
}

/// The reference `"<prefix>:<PO number>"` recorded on the order, `-` standing for no PO number
/// (`"net-30:PO-7"`, `"on-account:-"`). Refused when a long PO number would make it longer than
/// the host records ([`MAX_REFERENCE_CHARS`]): the buyer can shorten it, a cut one would be
/// recorded wrong.
pub fn reference(prefix: &str, po_number: Option<&str>) -> Result<String, Decline> {
    let reference = format!("{prefix}:{}", po_number.unwrap_or("-"));
    if reference.chars().count() > MAX_REFERENCE_CHARS {
        let room = MAX_REFERENCE_CHARS.saturating_sub(prefix.chars().count() + 1);
        return Err(Decline(format!("the purchase order number may have at most {room} characters")));
    }
    Ok(reference)
}

/// The grand totals a payment method accepts: a merchant's `minimum_order` and
/// `maximum_order`, both included, either optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OrderRange {
    minimum: Option<Decimal>,
    maximum: Option<Decimal>,
}

impl OrderRange {
    /// Checks bounds read from configuration: neither negative, the minimum not above the
    /// maximum.
    pub fn new(minimum: Option<Decimal>, maximum: Option<Decimal>) -> Result<OrderRange, String> {
        for (name, bound) in [("minimum_order", minimum), ("maximum_order", maximum)] {
            if bound.is_some_and(|b| b.is_sign_negative() && !b.is_zero()) {
                return Err(format!("{name} must not be negative"));
            }
        }
        if let (Some(min), Some(max)) = (minimum, maximum)
            && min > max
        {
            return Err(format!("minimum_order {min} is above maximum_order {max}"));
        }
        Ok(OrderRange { minimum, maximum })
    }

    /// Accepts the checkout's grand total when it is within the range; a refusal names the
    /// bound for the buyer.
    pub fn admits(&self, checkout: &Checkout) -> Result<(), Decline> {
        let amount = |bound: Decimal| format!("{bound} {}", checkout.context.currency).trim_end().to_owned();
        if let Some(min) = self.minimum.filter(|&min| checkout.grand_total < min) {
            return Err(Decline(format!("this payment method needs an order of at least {}", amount(min))));
        }
        if let Some(max) = self.maximum.filter(|&max| checkout.grand_total > max) {
            return Err(Decline(format!("this payment method takes orders of at most {}", amount(max))));
        }
        Ok(())
    }
}

/// A payment plugin.
pub trait Payment {
    /// Methods offered for this checkout.
    fn methods(checkout: &Checkout) -> Result<Vec<Method>, String>;
    /// Authorizes paying with `code`.
    fn authorize(code: &str, checkout: &Checkout) -> Result<Authorization, String>;
}

fn checkout(c: wit::Checkout) -> Checkout {
    Checkout {
        context: c.context.into(),
        grand_total: from_units(c.grand_total),
        available_credit: c.available_credit.map(from_units),
        po_number: c.po_number,
    }
}

/// Runs `P::methods` on wire input. Used by [`export_payment!`](crate::export_payment).
#[doc(hidden)]
pub fn run_methods<P: Payment>(c: wit::Checkout) -> Result<Vec<wit::Method>, String> {
    Ok(P::methods(&checkout(c))?.into_iter().map(|m| wit::Method { code: m.code, label: m.label }).collect())
}

/// Runs `P::authorize` on wire input. Used by [`export_payment!`](crate::export_payment).
#[doc(hidden)]
pub fn run_authorize<P: Payment>(code: String, c: wit::Checkout) -> Result<wit::Authorization, String> {
    Ok(match P::authorize(&code, &checkout(c))? {
        Authorization::Authorized(r) => wit::Authorization::Authorized(r),
        Authorization::Declined(r) => wit::Authorization::Declined(r),
        Authorization::Pending(r) => wit::Authorization::Pending(r),
        Authorization::OnTerms { reference, due_days } => wit::Authorization::OnTerms(wit::Terms { reference, due_days }),
    })
}

/// Exports a [`Payment`] implementation as the plugin's `payment` world.
#[macro_export]
macro_rules! export_payment {
    ($plugin:ty) => {
        #[doc(hidden)]
        pub struct __HansePaymentExport;
        impl $crate::payment::bindings::exports::hanse::plugin::payer::Guest for __HansePaymentExport {
            fn methods(
                checkout: $crate::payment::bindings::exports::hanse::plugin::payer::Checkout,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::payment::bindings::exports::hanse::plugin::payer::Method>,
                ::std::string::String,
            > {
                $crate::payment::run_methods::<$plugin>(checkout)
            }
            fn authorize(
                code: ::std::string::String,
                checkout: $crate::payment::bindings::exports::hanse::plugin::payer::Checkout,
            ) -> ::core::result::Result<
                $crate::payment::bindings::exports::hanse::plugin::payer::Authorization,
                ::std::string::String,
            > {
                $crate::payment::run_authorize::<$plugin>(code, checkout)
            }
        }
        // The exports are WebAssembly component exports; a native build (unit tests) has none.
        #[cfg(target_arch = "wasm32")]
        $crate::payment::bindings::__export_payment_bindings!(__HansePaymentExport with_types_in $crate::payment::bindings);
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkout(total: &str, po: Option<&str>) -> Checkout {
        Checkout {
            context: Context { currency: "EUR".into(), ..Default::default() },
            grand_total: total.parse().unwrap(),
            po_number: po.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn po_numbers_are_trimmed_and_blank_is_none() {
        assert_eq!(checkout("1", Some("  PO-7 ")).given_po_number(), Some("PO-7"));
        assert_eq!(checkout("1", Some(" \t ")).given_po_number(), None);
        assert_eq!(checkout("1", None).given_po_number(), None);
        assert_eq!(checkout("1", Some(" ")).checked_po_number(false), Ok(None));
        assert_eq!(checkout("1", Some(" ")).checked_po_number(true), Err(Decline("a purchase order number is required".into())));
        assert_eq!(checkout("1", Some("PO-7")).checked_po_number(true), Ok(Some("PO-7")));
        assert_eq!(checkout("1", Some(" PO-7")).required_po_number(), Ok("PO-7"));
        assert!(checkout("1", None).required_po_number().is_err());
    }

    #[test]
    fn references_fit_what_the_host_records() {
        assert_eq!(reference("net-30", Some("PO-7")), Ok("net-30:PO-7".into()));
        assert_eq!(reference("on-account", None), Ok("on-account:-".into()));
        let longest = "é".repeat(MAX_REFERENCE_CHARS - "po:".len());
        assert_eq!(reference("po", Some(&longest)).map(|r| r.chars().count()), Ok(MAX_REFERENCE_CHARS));
        assert_eq!(
            reference("po", Some(&format!("{longest}x"))),
            Err(Decline("the purchase order number may have at most 197 characters".into()))
        );
    }

    #[test]
    fn order_ranges_include_their_bounds() {
        let range = OrderRange::new(Some("50".parse().unwrap()), Some("500.00".parse().unwrap())).unwrap();
        assert_eq!(range.admits(&checkout("50", None)), Ok(()));
        assert_eq!(range.admits(&checkout("500", None)), Ok(()));
        assert_eq!(range.admits(&checkout("49.99", None)), Err(Decline("this payment method needs an order of at least 50 EUR".into())));
        assert_eq!(range.admits(&checkout("500.01", None)), Err(Decline("this payment method takes orders of at most 500.00 EUR".into())));
        assert_eq!(OrderRange::default().admits(&checkout("0", None)), Ok(()));
        assert!(OrderRange::new(None, Some(Decimal::ONE)).unwrap().admits(&checkout("2", None)).is_err());
    }

    #[test]
    fn bad_bounds_are_refused() {
        assert!(OrderRange::new(Some(Decimal::TWO), Some(Decimal::ONE)).is_err());
        assert!(OrderRange::new(Some(Decimal::NEGATIVE_ONE), None).is_err());
        assert!(OrderRange::new(None, Some(Decimal::NEGATIVE_ONE)).is_err());
        assert!(OrderRange::new(Some(Decimal::ONE), Some(Decimal::ONE)).is_ok());
    }
}
