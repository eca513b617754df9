//! A shipping plugin that misbehaves on purpose, for the checkout failure tests. Its
//! configuration names what to do: `{"mode": "trap"}` and so on (see [`Mode`]).

use hanse_plugin_sdk::Context;
use hanse_plugin_sdk::Decimal;
use hanse_plugin_sdk::shipping::{Rate, RateRequest, Shipping};
use serde::Deserialize;

/// The plugin.
pub struct HostileShipping;

/// How many rates `huge` answers unless its configuration says otherwise: about 360 kB on the
/// wire, eighteen times the default output cap, for about 7 of the default 11 million
/// instructions. (100,000 rates run out of fuel before they are returned, even with empty codes.)
pub const HUGE_RATES: usize = 10_000;

/// What to do.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "mode")]
enum Mode {
    /// Behave: one rate, `ok`, at 1.00.
    Behave,
    /// Panic (a trap).
    Trap,
    /// Spin forever.
    Loop,
    /// Answer `rates` distinct rates (default [`HUGE_RATES`]), far more than the output cap lets
    /// through; `{"mode": "huge", "rates": 100000}` runs out of fuel first instead.
    Huge {
        #[serde(default = "huge_rates")]
        rates: usize,
    },
}

fn huge_rates() -> usize {
    HUGE_RATES
}

fn mode(config: &str) -> Result<Mode, String> {
    Context { config: config.to_owned(), ..Context::default() }.config_as()
}

impl Shipping for HostileShipping {
    fn rates(request: &RateRequest) -> Result<Vec<Rate>, String> {
        match mode(&request.context.config)? {
            Mode::Behave => Ok(vec![Rate { code: "ok".into(), label: "OK".into(), amount: Decimal::ONE, estimated_days: None }]),
            Mode::Trap => panic!("the hostile shipping plugin panics on purpose"),
            Mode::Loop => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            // Answered on the wire in `Guest::rates` below, without the SDK's conversion, so
            // that the fuel goes into the answer the host then measures.
            Mode::Huge { .. } => Err("unreachable: handled on the wire".into()),
        }
    }
}

use hanse_plugin_sdk::shipping::bindings::exports::hanse::plugin::shipper as wire;

/// `count` distinct rates in wire form (codes `0`, `1`, ..., free, no label).
pub fn huge(count: usize) -> Vec<wire::Rate> {
    (0..count).map(|i| wire::Rate { code: i.to_string(), label: String::new(), amount: 0, estimated_days: None }).collect()
}

/// Exported by hand rather than with `export_shipping!`, so that `huge` can build its answer
/// directly in wire form.
pub struct HostileShippingExport;

impl wire::Guest for HostileShippingExport {
    fn rates(request: wire::RateRequest) -> Result<Vec<wire::Rate>, String> {
        if let Mode::Huge { rates } = mode(&request.context.config)? {
            return Ok(huge(rates));
        }
        hanse_plugin_sdk::shipping::run::<HostileShipping>(request)
    }
}

#[cfg(target_arch = "wasm32")]
hanse_plugin_sdk::shipping::bindings::__export_shipping_bindings!(HostileShippingExport with_types_in hanse_plugin_sdk::shipping::bindings);

#[cfg(test)]
mod tests {
    use super::*;

    fn request(config: &str) -> RateRequest {
        RateRequest { context: Context { config: config.into(), ..Context::default() }, ..RateRequest::default() }
    }

    #[test]
    fn behaving_it_offers_one_rate() {
        let rates = HostileShipping::rates(&request(r#"{"mode":"behave"}"#)).unwrap();
        assert_eq!(rates, vec![Rate { code: "ok".into(), label: "OK".into(), amount: Decimal::ONE, estimated_days: None }]);
    }

    #[test]
    #[should_panic(expected = "on purpose")]
    fn trap_panics() {
        let _ = HostileShipping::rates(&request(r#"{"mode":"trap"}"#));
    }

    #[test]
    fn huge_is_many_distinct_rates() {
        assert!(matches!(mode(r#"{"mode":"huge"}"#), Ok(Mode::Huge { rates: HUGE_RATES })));
        assert!(matches!(mode(r#"{"mode":"huge","rates":7}"#), Ok(Mode::Huge { rates: 7 })));
        let rates = huge(HUGE_RATES);
        assert_eq!(rates.len(), HUGE_RATES);
        let codes: std::collections::HashSet<&str> = rates.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), HUGE_RATES);
    }

    #[test]
    fn an_unknown_mode_is_an_error() {
        assert!(HostileShipping::rates(&request(r#"{"mode":"sulk"}"#)).is_err());
        assert!(HostileShipping::rates(&request("{}")).is_err());
    }
}
