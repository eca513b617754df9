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
