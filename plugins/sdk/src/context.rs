//! What every call carries: tenant, currency, "now", configuration, customer.

use serde::de::DeserializeOwned;

/// A product attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute code (`material`).
    pub name: String,
    /// Its value (`steel`).
    pub value: String,
}

/// Who is buying; all empty for a guest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// The buyer's company id.
    pub company_id: Option<String>,
    /// The company's customer group.
    pub customer_group: Option<String>,
    /// Customer segment ids.
    pub segments: Vec<String>,
}

/// The context of a call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// The tenant's slug.
    pub tenant: String,
    /// ISO 4217 code of every amount in the call.
    pub currency: String,
    /// The host's "now", milliseconds since the Unix epoch. Plugins have no other clock.
    pub now_millis: i64,
    /// The plugin's configuration, JSON already validated against the plugin's schema.
    pub config: String,
    /// The buyer.
    pub customer: Customer,
}

impl Context {
    /// Parses the configuration into `T`.
    pub fn config_as<T: DeserializeOwned>(&self) -> Result<T, String> {
        serde_json::from_str(&self.config).map_err(|e| format!("invalid configuration: {e}"))
    }
}

/// Converts the generated WIT context of one world into [`Context`].
#[doc(hidden)]
#[macro_export]
macro_rules! __context_from_wit {
    ($wit:ty) => {
        impl From<$wit> for $crate::Context {
            fn from(c: $wit) -> Self {
                $crate::Context {
                    tenant: c.tenant,
                    currency: c.currency,
                    now_millis: c.now,
                    config: c.config,
                    customer: $crate::Customer {
                        company_id: c.customer.company_id,
                        customer_group: c.customer.customer_group,
                        segments: c.customer.segments,
                    },
                }
            }
        }
    };
}
