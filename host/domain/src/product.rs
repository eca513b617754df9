//! Catalog products: what a merchant sells, addressed by SKU.

use std::collections::BTreeMap;
use std::fmt;

use crate::money::{Price, Weight};
use crate::ordering::SaleQuantity;
use crate::tenant::parse_name;
use crate::{FieldErrors, ValueError};

/// Longest product name, in characters (Magento's limit).
pub const MAX_NAME_CHARS: usize = 255;
/// Longest description, in bytes.
pub const MAX_DESCRIPTION_BYTES: usize = 65_535;
/// Most attributes on one product.
pub const MAX_ATTRIBUTES: usize = 100;
/// Longest attribute value, in characters.
pub const MAX_ATTRIBUTE_VALUE_CHARS: usize = 1_000;
/// Largest stock quantity accepted for one SKU.
pub const MAX_QUANTITY: i64 = 1_000_000_000_000;

/// A stock keeping unit: 1–64 ASCII letters, digits, `-`, `_` or `.`. Case is kept and matters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sku(String);

impl Sku {
    /// Parses a SKU.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let ok = (1..=64).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        if ok {
            Ok(Sku(text.to_owned()))
        } else {
            Err(ValueError::new(format!(
                "must be 1-64 characters of letters, digits, '-', '_' or '.', got {text:?}"
            )))
        }
    }

    /// The SKU text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Sku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

crate::named_enum! {
    /// Whether a product is sold.
    #[derive(Default)]
    pub enum ProductStatus {
        /// Visible and sold on the storefront.
        #[default]
        Active = "active",
        /// Kept in the catalog but absent from the storefront.
        Inactive = "inactive",
    }
}

/// Free-form product attributes (`material` → `steel`): codes are 1–64 lower-case letters,
/// digits and `_`, starting with a letter; values are text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Attributes(BTreeMap<String, String>);

impl Attributes {
    /// Validates a map of attributes.
    pub fn parse(map: BTreeMap<String, String>) -> Result<Self, ValueError> {
        if map.len() > MAX_ATTRIBUTES {
            return Err(ValueError::new(format!("must have at most {MAX_ATTRIBUTES} entries")));
        }
        for (code, value) in &map {
            let code_ok = (1..=64).contains(&code.len())
                && code.starts_with(|c: char| c.is_ascii_lowercase())
                && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !code_ok {
                return Err(ValueError::new(format!(
                    "attribute code {code:?} must be 1-64 lower-case letters, digits and '_', starting with a letter"
                )));
            }
            if value.chars().count() > MAX_ATTRIBUTE_VALUE_CHARS {
                return Err(ValueError::new(format!(
                    "attribute {code:?} must be at most {MAX_ATTRIBUTE_VALUE_CHARS} characters"
                )));
            }
        }
        Ok(Attributes(map))
    }

    /// The attributes, sorted by code.
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }
}

/// Parses a description: any text up to 64 KiB.
pub fn parse_description(text: &str) -> Result<String, ValueError> {
    if text.len() > MAX_DESCRIPTION_BYTES {
        return Err(ValueError::new(format!("must be at most {MAX_DESCRIPTION_BYTES} bytes")));
    }
    Ok(text.to_owned())
}

/// Parses a product name: required, at most 255 characters.
pub fn parse_product_name(text: &str) -> Result<String, ValueError> {
    parse_name(text, MAX_NAME_CHARS)
}

/// A stock quantity on hand: a whole number from 0 to 10^12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StockQuantity(i64);

impl StockQuantity {
    /// Checks the range.
    pub fn new(value: i64) -> Result<Self, ValueError> {
        if (0..=MAX_QUANTITY).contains(&value) {
            Ok(StockQuantity(value))
        } else {
            Err(ValueError::new(format!("must be a whole number from 0 to {MAX_QUANTITY}, got {value}")))
        }
    }

    /// Parses a whole number written as text (CSV cells).
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let value: i64 = text
            .parse()
            .map_err(|_| ValueError::new(format!("must be a whole number, got {text:?}")))?;
        Self::new(value)
    }

    /// The quantity.
    pub fn get(self) -> i64 {
        self.0
    }
}

/// Everything a merchant states about a product, validated. The catalog stores exactly this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductDraft {
    /// Unique per tenant; the product's address.
    pub sku: Sku,
    /// Display name.
    pub name: String,
    /// Long text; may be empty.
    pub description: String,
    /// List price per unit in the tenant's currency.
    pub price: Price,
    /// Whether the storefront shows it.
    pub status: ProductStatus,
    /// Shipping weight per unit, in the tenant's weight unit.
    pub weight: Option<Weight>,
    /// Free-form attributes.
    pub attributes: Attributes,
    /// How much one cart line may hold.
    pub sale: SaleQuantity,
}

/// Raw product fields as text, before validation (from JSON or a CSV row).
#[derive(Debug, Clone, Default)]
pub struct ProductInput<'a> {
    /// `sku`
    pub sku: &'a str,
    /// `name`
    pub name: &'a str,
    /// `description`, if given.
    pub description: Option<&'a str>,
    /// `price`
    pub price: &'a str,
    /// `status`, if given (default `active`).
    pub status: Option<&'a str>,
    /// `weight`, if given.
    pub weight: Option<&'a str>,
    /// `attributes`
    pub attributes: BTreeMap<String, String>,
    /// `min_sale_quantity`, if given (default 1).
    pub min_sale_quantity: Option<&'a str>,
    /// `max_sale_quantity`, if given (default none).
    pub max_sale_quantity: Option<&'a str>,
    /// `quantity_increment`, if given (default 1).
    pub quantity_increment: Option<&'a str>,
}

impl ProductDraft {
    /// Validates every field at once, naming each refused one.
    pub fn parse(input: ProductInput<'_>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sku = errors.check("sku", Sku::parse(input.sku));
        let name = errors.check("name", parse_product_name(input.name));
        let description = errors.check("description", parse_description(input.description.unwrap_or("")));
        let price = errors.check("price", Price::parse(input.price));
        let status = errors.check("status", input.status.map_or(Ok(ProductStatus::Active), ProductStatus::parse));
        let weight = errors.check("weight", input.weight.map(Weight::parse).transpose());
        let attributes = errors.check("attributes", Attributes::parse(input.attributes));
        let sale = match SaleQuantity::parse(input.min_sale_quantity, input.max_sale_quantity, input.quantity_increment) {
            Ok(sale) => Some(sale),
            Err((field, error)) => {
                errors.add(field, error);
                None
            }
        };
        errors.finish(|| {
            Some(ProductDraft {
                sku: sku?,
                name: name?,
                description: description?,
                price: price?,
                status: status?,
                weight: weight?,
                attributes: attributes?,
                sale: sale?,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>() -> ProductInput<'a> {
        ProductInput { sku: "BOLT-M8", name: "M8 bolt", price: "0.1250", ..Default::default() }
    }

    #[test]
    fn skus() {
        for ok in ["BOLT-M8", "a", "x.y_z-1", &"A".repeat(64)] {
            assert!(Sku::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "BOLT M8", "BOLT/M8", "ÄB", &"A".repeat(65), "a%", "a\n"] {
            assert!(Sku::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn draft_defaults() {
        let d = ProductDraft::parse(input()).unwrap();
        assert_eq!(d.status, ProductStatus::Active);
        assert_eq!(d.description, "");
        assert_eq!(d.price.to_string(), "0.1250");
        assert_eq!(d.weight, None);
    }

    #[test]
    fn draft_names_every_bad_field() {
        let mut bad = input();
        bad.sku = "no spaces";
        bad.name = " ";
        bad.price = "-1";
        bad.status = Some("gone");
        bad.weight = Some("1.23456");
        bad.attributes.insert("Bad Code".into(), "x".into());
        let err = ProductDraft::parse(bad).unwrap_err();
        let fields: Vec<_> = err.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["attributes", "name", "price", "sku", "status", "weight"]);
    }

    #[test]
    fn attribute_limits() {
        let many: BTreeMap<_, _> = (0..=MAX_ATTRIBUTES).map(|i| (format!("a{i}"), String::new())).collect();
        assert!(Attributes::parse(many).is_err());
        let long = BTreeMap::from([("a".to_owned(), "x".repeat(MAX_ATTRIBUTE_VALUE_CHARS + 1))]);
        assert!(Attributes::parse(long).is_err());
        let fine = BTreeMap::from([("thread_pitch".to_owned(), "1.25".to_owned())]);
        assert!(Attributes::parse(fine).is_ok());
    }

    #[test]
    fn quantities() {
        assert_eq!(StockQuantity::parse("12").unwrap().get(), 12);
        assert!(StockQuantity::parse("-1").is_err());
        assert!(StockQuantity::parse("1.5").is_err());
        assert!(StockQuantity::new(MAX_QUANTITY + 1).is_err());
    }
}
