//! A payment plugin that misbehaves on purpose, for the checkout failure tests. Its
//! configuration names what to do: `{"mode": "trap-authorize"}` and so on (see [`Mode`]).
//! Every mode but the `*-methods` ones offers one method, `pay`.

use hanse_plugin_sdk::payment::{Authorization, Checkout, Method, Payment};
use serde::Deserialize;

/// The plugin.
pub struct HostilePayment;

/// The one method offered.
const CODE: &str = "pay";

/// What to do.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "mode")]
enum Mode {
    /// Behave: offer `pay` and authorize it as `Authorized("ok")`.
    Behave,
    /// Offer `pay`, then panic (a trap) when asked to authorize it.
    TrapAuthorize,
    /// Offer `pay`, then spin forever when asked to authorize it.
    LoopAuthorize,
    /// Panic (a trap) when asked for the methods.
    TrapMethods,
    /// Report an error when asked for the methods.
    ErrMethods,
}

fn mode(checkout: &Checkout) -> Result<Mode, String> {
    checkout.context.config_as()
}

impl Payment for HostilePayment {
    fn methods(checkout: &Checkout) -> Result<Vec<Method>, String> {
        match mode(checkout)? {
            Mode::TrapMethods => panic!("the hostile payment plugin panics on purpose"),
            Mode::ErrMethods => Err("the hostile payment plugin fails on purpose".into()),
            Mode::Behave | Mode::TrapAuthorize | Mode::LoopAuthorize => Ok(vec![Method { code: CODE.into(), label: "Pay".into() }]),
        }
    }

    fn authorize(code: &str, checkout: &Checkout) -> Result<Authorization, String> {
        if code != CODE {
            return Err(format!("unknown payment method {code:?}"));
        }
        match mode(checkout)? {
            Mode::TrapAuthorize => panic!("the hostile payment plugin panics on purpose"),
            Mode::LoopAuthorize => {
                let mut n: u64 = 0;
                loop {
                    n = std::hint::black_box(n.wrapping_add(1));
                }
            }
            Mode::Behave | Mode::TrapMethods | Mode::ErrMethods => Ok(Authorization::Authorized("ok".into())),
        }
    }
}

hanse_plugin_sdk::export_payment!(HostilePayment);

#[cfg(test)]
mod tests {
    use hanse_plugin_sdk::Context;

    use super::*;

    fn checkout(mode: &str) -> Checkout {
        Checkout { context: Context { config: format!(r#"{{"mode":"{mode}"}}"#), ..Default::default() }, ..Default::default() }
    }

    #[test]
    fn behaving_it_offers_pay_and_authorizes_it() {
        let methods = HostilePayment::methods(&checkout("behave")).unwrap();
        assert_eq!(methods, vec![Method { code: "pay".into(), label: "Pay".into() }]);
        assert_eq!(HostilePayment::authorize("pay", &checkout("behave")), Ok(Authorization::Authorized("ok".into())));
        assert!(HostilePayment::authorize("card", &checkout("behave")).is_err());
    }

    #[test]
    fn the_authorize_modes_still_offer_pay() {
        for mode in ["trap-authorize", "loop-authorize"] {
            assert_eq!(HostilePayment::methods(&checkout(mode)).unwrap().len(), 1, "{mode}");
        }
    }

    #[test]
    fn err_methods_reports_an_error() {
        assert!(HostilePayment::methods(&checkout("err-methods")).is_err());
    }

    #[test]
    #[should_panic(expected = "on purpose")]
    fn trap_methods_panics() {
        let _ = HostilePayment::methods(&checkout("trap-methods"));
    }

    #[test]
    #[should_panic(expected = "on purpose")]
    fn trap_authorize_panics() {
        let _ = HostilePayment::authorize("pay", &checkout("trap-authorize"));
    }

    #[test]
    fn an_unknown_mode_is_an_error() {
        assert!(HostilePayment::methods(&checkout("sulk")).is_err());
        assert!(HostilePayment::methods(&Checkout::default()).is_err());
    }
}
