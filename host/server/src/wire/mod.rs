//! The JSON shapes of the API: request bodies, responses and query strings.
//!
//! Only this module knows them. Requests carry raw text (money as decimal strings, never
//! numbers) and are parsed into domain types by the handlers, field by field, so one answer
//! names every bad field.

pub mod cart;
pub mod catalogs;
pub mod category;
pub mod checkout;
pub mod buyer;
pub mod company;
pub mod company_people;
pub mod credit;
pub mod order;
pub mod plugin;
pub mod product;
pub mod requisition;
pub mod source;
pub mod tax;
pub mod tenant;

/// `Option<Option<T>>` for PATCH fields: absent → `None` (leave as is), `null` → `Some(None)`
/// (clear), a value → `Some(Some(v))`.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    serde::Deserialize::deserialize(deserializer).map(Some)
}

/// A decimal amount as it travels in JSON: always a string (`"0.1250"`), never a number, so
/// no client ever rounds money through a float. A JSON number is refused with a message that
/// says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecimalText(pub String);

impl<'de> serde::Deserialize<'de> for DecimalText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DecimalText;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a decimal string such as \"12.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DecimalText, E> {
                Ok(DecimalText(v.to_owned()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DecimalText, E> {
                Err(E::custom(format!("must be a decimal string such as \"{v}\", not a JSON number")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DecimalText, E> {
                Err(E::custom(format!("must be a decimal string such as \"{v}\", not a JSON number")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DecimalText, E> {
                Err(E::custom(format!("must be a decimal string such as \"{v}\", not a JSON number")))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}
