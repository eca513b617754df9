//! Checkout as the storefront sees it: destinations, shipping rates, payment methods, the
//! order request.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Where to quote shipping for: an address book entry, or a country with optional details.
/// Without either, the company's default shipping address (or an estimate without one).
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct DestinationQuery {
    /// A shipping entry of the company's address book.
    pub address_id: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Region or state code.
    pub region: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
    /// City.
    pub city: Option<String>,
    /// For payment methods: the shipping rate chosen (its `code`); the totals include it.
    pub shipping_method: Option<String>,
    /// For payment methods: the purchase order number the buyer will give.
    pub po_number: Option<String>,
}

/// A shipping address typed at checkout.
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct ShippingAddressIn {
    /// Who receives it.
    #[schema(example = "Ann Lee")]
    pub name: String,
    /// Street and number.
    #[schema(example = "1 Main St")]
    pub street: String,
    /// City.
    #[schema(example = "Springfield")]
    pub city: String,
    /// Region or state code.
    #[serde(default)]
    pub region: Option<String>,
    /// Postal code.
    #[serde(default)]
    #[schema(example = "12345")]
    pub postcode: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[schema(example = "US")]
    pub country: String,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Body of `POST /store/v1/checkout`.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckoutIn {
    /// A `code` from `GET /store/v1/checkout/shipping-rates`.
    #[schema(example = "flat-rate-shipping:flat-rate")]
    pub shipping_method: String,
    /// A `code` from `GET /store/v1/checkout/payment-methods`.
    #[schema(example = "payment-on-account")]
    pub payment_method: String,
    /// Where it goes (or give `shipping_address_id`; with neither, the company's default
    /// shipping address).
    #[serde(default)]
    pub shipping_address: Option<ShippingAddressIn>,
    /// A shipping entry of the company's address book.
    #[serde(default)]
    pub shipping_address_id: Option<String>,
    /// The buyer's purchase order number, up to 64 characters.
    #[serde(default)]
    pub po_number: Option<String>,
}

/// A shipping option.
#[derive(Serialize, ToSchema)]
pub struct RateOut {
    /// `<plugin>:<rate>`: what `shipping_method` takes.
    #[schema(example = "flat-rate-shipping:flat-rate")]
    pub code: String,
    /// Shown to the buyer.
    pub label: String,
    /// Price.
    #[schema(example = "5.00")]
    pub amount: String,
    /// Expected days, if known.
    pub estimated_days: Option<u32>,
    /// The plugin that offered it.
    pub plugin: String,
}

/// The shipping options for the cart.
#[derive(Serialize, ToSchema)]
pub struct RatesOut {
    /// Currency of the amounts.
    pub currency: String,
    /// The destination quoted (empty country: an estimate before an address is chosen).
    pub destination: AddressOut,
    /// Every option, as the plugins answered, in the merchant's plugin order.
    pub rates: Vec<RateOut>,
}

/// A payment method.
#[derive(Serialize, ToSchema)]
pub struct MethodOut {
    /// What `payment_method` takes: `payment-on-account`, or `<plugin>:<method>`.
    #[schema(example = "payment-on-account")]
    pub code: String,
    /// Shown to the buyer.
    pub label: String,
}

/// The payment methods for the cart.
#[derive(Serialize, ToSchema)]
pub struct MethodsOut {
    /// The totals the methods were asked about.
    pub totals: TotalsOut,
    /// Available credit, when the company has a credit line and the buyer may see it.
    pub available_credit: Option<String>,
    /// The methods.
    pub methods: Vec<MethodOut>,
}

/// An order's totals, each rounded to the currency.
#[derive(Serialize, ToSchema)]
pub struct TotalsOut {
    /// Currency.
    pub currency: String,
    /// Sum of the lines.
    #[schema(example = "300.00")]
    pub subtotal: String,
    /// Shipping.
    pub shipping: String,
    /// Tax.
    pub tax: String,
    /// What the company pays.
    #[schema(example = "300.00")]
    pub grand_total: String,
}

/// A postal address on an order.
#[derive(Serialize, ToSchema)]
pub struct AddressOut {
    /// Who receives it.
    pub name: String,
    /// Street.
    pub street: String,
    /// City.
    pub city: String,
    /// Region.
    pub region: String,
    /// Postal code.
    pub postcode: String,
    /// Country.
    pub country: String,
    /// Phone.
    pub phone: String,
}

impl From<&hanse_store::OrderAddress> for AddressOut {
    fn from(a: &hanse_store::OrderAddress) -> Self {
        AddressOut {
            name: a.name.clone(),
            street: a.street.clone(),
            city: a.city.clone(),
            region: a.region.clone(),
            postcode: a.postcode.clone(),
            country: a.country.clone(),
            phone: a.phone.clone(),
        }
    }
}
