//! Pricing plugins: new unit prices for cart lines.

use rust_decimal::Decimal;

use crate::money::{from_units, to_units};
use crate::{Attribute, Context};

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        world: "pricing",
        path: "../../wit",
        pub_export_macro: true,
        export_macro_name: "__export_pricing_bindings",
        default_bindings_module: "hanse_plugin_sdk::pricing::bindings",
    });
}

use bindings::exports::hanse::plugin::pricer as wit;

crate::__context_from_wit!(bindings::hanse::plugin::types::Context);

/// One cart line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceLine {
    /// Identifies the line within the call.
    pub line_id: u32,
    /// The product.
    pub sku: String,
    /// Units, at least 1.
    pub quantity: i64,
    /// List price per unit.
    pub list_price: Decimal,
    /// Unit price so far (after price lists and earlier plugins).
    pub unit_price: Decimal,
    /// Product attributes.
    pub attributes: Vec<Attribute>,
}

/// What to price.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceRequest {
    /// Tenant, currency, now, config, customer.
    pub context: Context,
    /// The lines.
    pub lines: Vec<PriceLine>,
}

/// A new unit price for one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceChange {
    /// The line's `line_id`.
    pub line_id: u32,
    /// The new unit price, `>= 0` (rounded to 4 decimals on the way out).
    pub unit_price: Decimal,
    /// Why, in words a buyer may read.
    pub reason: String,
}

/// A pricing plugin.
pub trait Pricing {
    /// New unit prices for some lines; lines not mentioned keep theirs. An error fails the
    /// pricing of the whole cart.
    fn price(request: &PriceRequest) -> Result<Vec<PriceChange>, String>;
}

/// Runs `P` on a request in wire form. Used by [`export_pricing!`](crate::export_pricing).
#[doc(hidden)]
pub fn run<P: Pricing>(request: wit::PriceRequest) -> Result<Vec<wit::PriceChange>, String> {
    let request = PriceRequest {
        context: request.context.into(),
        lines: request
            .lines
            .into_iter()
            .map(|l| PriceLine {
                line_id: l.line_id,
                sku: l.sku,
                quantity: l.quantity,
                list_price: from_units(l.list_price),
                unit_price: from_units(l.unit_price),
                attributes: l.attributes.into_iter().map(|a| Attribute { name: a.name, value: a.value }).collect(),
            })
            .collect(),
    };
    P::price(&request)?
        .into_iter()
        .map(|c| Ok(wit::PriceChange { line_id: c.line_id, unit_price: to_units(c.unit_price)?, reason: c.reason }))
        .collect()
}

/// Exports a [`Pricing`] implementation as the plugin's `pricing` world.
#[macro_export]
macro_rules! export_pricing {
    ($plugin:ty) => {
        #[doc(hidden)]
        pub struct __HansePricingExport;
        impl $crate::pricing::bindings::exports::hanse::plugin::pricer::Guest for __HansePricingExport {
            fn price(
                request: $crate::pricing::bindings::exports::hanse::plugin::pricer::PriceRequest,
            ) -> ::core::result::Result<
                ::std::vec::Vec<$crate::pricing::bindings::exports::hanse::plugin::pricer::PriceChange>,
                ::std::string::String,
            > {
                $crate::pricing::run::<$plugin>(request)
            }
        }
        // The exports are WebAssembly component exports; a native build (unit tests) has none.
        #[cfg(target_arch = "wasm32")]
        $crate::pricing::bindings::__export_pricing_bindings!(__HansePricingExport with_types_in $crate::pricing::bindings);
    };
}
