//! Plugins: merchant logic as WebAssembly components, one kind per WIT world.

use std::fmt;

use crate::ValueError;

/// The kind of a plugin: the WIT world it implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PluginKind {
    /// Prices cart lines (`pricing` world).
    Pricing,
    /// Decides on purchase orders (`approval` world).
    Approval,
    /// Quotes shipping rates (`shipping` world).
    Shipping,
    /// Offers and authorizes payment methods (`payment` world).
    Payment,
}

impl PluginKind {
    /// Every kind.
    pub const ALL: [PluginKind; 4] = [PluginKind::Pricing, PluginKind::Approval, PluginKind::Shipping, PluginKind::Payment];

    /// The stored and wire name, which is also the WIT world's name.
    pub fn as_str(self) -> &'static str {
        match self {
            PluginKind::Pricing => "pricing",
            PluginKind::Approval => "approval",
            PluginKind::Shipping => "shipping",
            PluginKind::Payment => "payment",
        }
    }

    /// Parses the stored and wire name.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| ValueError::new(format!("must be one of pricing, approval, shipping, payment; got {text:?}")))
    }
}

impl fmt::Display for PluginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in PluginKind::ALL {
            assert_eq!(PluginKind::parse(kind.as_str()).unwrap(), kind);
        }
        assert!(PluginKind::parse("tax").is_err());
    }
}
