//! Shipping plugins: rates for a shipment.

use rust_decimal::Decimal;

use crate::Context;
use crate::money::{from_units, to_units};

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        world: "shipping",
        path: "../../wit",
        pub_export_macro: true,
        export_macro_name: "__export_shipping_bindings",
        default_bindings_module: "hanse_plugin_sdk::shipping::bindings",
    });
}

use bindings::exports::hanse::plugin::shipper as wit;

crate::__context_from_wit!(bindings::hanse::plugin::types::Context);

/// One line to ship.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingLine {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: i64,
    /// Unit price.
    pub unit_price: Decimal,
    /// Weight per unit, if known.
    pub unit_weight: Option<Decimal>,
}

/// Destination.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Address {
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Region or state code.
    pub region: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
    /// City.
    pub city: Option<String>,
}

/// What to quote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateRequest {
    /// Tenant, currency, now, config, customer.
    pub context: Context,
    /// The lines.
    pub lines: Vec<ShippingLine>,
    /// Destination.
    pub destination: Address,
    /// Sum of line totals.
    pub subtotal: Decimal,
}

/// A shipping option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    /// Stable code, unique in the answer.
    pub code: String,
    /// Shown to the buyer.
    pub label: String,
    /// Price, `>= 0`.
    pub amount: Decimal,
    /// Expected days, if known.
    pub estimated_days: Option<u32>,
}

/// A shipping plugin.
pub trait Shipping {
    /// The options for this shipment.
    fn rates(request: &RateRequest) -> Result<Vec<Rate>, String>;
}

/// Runs `P` on a request in wire form. Used by [`export_shipping!`](crate::export_shipping).
#[doc(hidden)]
pub fn run<P: Shipping>(request: wit::RateRequest) -> Result<Vec<wit::Rate>, String> {
    let d = request.destination;
    let request = RateRequest {
        context: request.context.into(),
        lines: request
            .lines
            .into_iter()
            .map(|l| ShippingLine {
                sku: l.sku,
                quantity: l.quantity,
                unit_price: from_units(l.unit_price),
                unit_weight: l.unit_weight.map(from_units),
            })
            .collect(),
        destination: Address { country: d.country, region: d.region, postcode: d.postcode, city: d.city },
        subtotal: from_units(request.subtotal),
    };
    P::rates(&request)?
        .into_iter()
        .map(|r| Ok(wit::Rate { code: r.code, label: r.label, amount: to_units(r.amount)?, estimated_days: r.estimated_days }))
        .collect()
}

/// Exports a [`Shipping`] implementation as the plugin's `shipping` world.
#[macro_export]
macro_rules! export_shipping {
    ($plugin:ty) => {
        #[doc(hidden)]
        pub struct __HanseShippingExport;
        impl $crate::shipping::bindings::exports::hanse::plugin::shipper::Guest for __HanseShippingExport {
            fn rates(
                request: $crate::shipping::bindings::exports::hanse::plugin::shipper::RateRequest,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::shipping::bindings::exports::hanse::plugin::shipper::Rate>,
                ::std::string::String,
            > {
                $crate::shipping::run::<$plugin>(request)
            }
        }
        // The exports are WebAssembly component exports; a native build (unit tests) has none.
        #[cfg(target_arch = "wasm32")]
        $crate::shipping::bindings::__export_shipping_bindings!(__HanseShippingExport with_types_in $crate::shipping::bindings);
    };
}
