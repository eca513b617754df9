//! The first-party plugins, compiled by this crate's build script from `plugins/` and embedded,
//! each with its manifest.

/// A plugin shipped inside the binary.
#[derive(Debug, Clone, Copy)]
pub struct BundledPlugin {
    /// The manifest (JSON: id, version, kind, wit, description, capabilities, config_schema).
    pub manifest: &'static str,
    /// The WebAssembly component.
    pub component: &'static [u8],
}

macro_rules! bundled {
    ($dir:literal, $file:literal) => {
        BundledPlugin {
            manifest: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../plugins/", $dir, "/manifest.json")),
            component: include_bytes!(concat!(env!("OUT_DIR"), "/", $file)),
        }
    };
}

/// The first-party plugins, registered in every instance's registry.
pub const FIRST_PARTY: [BundledPlugin; 7] = [
    bundled!("tier-pricing", "tier_pricing.wasm"),
    bundled!("flat-rate-shipping", "flat_rate_shipping.wasm"),
    bundled!("payment-on-account", "payment_on_account.wasm"),
    bundled!("approval-threshold", "approval_threshold.wasm"),
    bundled!("table-rate-shipping", "table_rate_shipping.wasm"),
    bundled!("purchase-order-number", "purchase_order_number.wasm"),
    bundled!("net-terms", "net_terms.wasm"),
];

/// A pricing plugin that misbehaves as its configuration says (`{"mode": "loop"}`, ...), for
/// sandbox tests.
#[cfg(feature = "testing")]
pub const HOSTILE: BundledPlugin = bundled!("testing/hostile", "hostile_plugin.wasm");

/// A payment plugin that misbehaves as its configuration says (`{"mode": "trap-authorize"}`,
/// ...), for checkout failure tests.
#[cfg(feature = "testing")]
pub const HOSTILE_PAYMENT: BundledPlugin = bundled!("testing/hostile-payment", "hostile_payment_plugin.wasm");

/// A shipping plugin that misbehaves as its configuration says (`{"mode": "loop"}`, ...), for
/// checkout failure tests.
#[cfg(feature = "testing")]
pub const HOSTILE_SHIPPING: BundledPlugin = bundled!("testing/hostile-shipping", "hostile_shipping_plugin.wasm");
