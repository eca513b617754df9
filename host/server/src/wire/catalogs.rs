//! Shared catalogs and price lists, as the merchant's API shows them.

use hanse_store::{PriceList, PriceListEntry, SharedCatalog};
use hanse_domain::price_rules::EntryRule;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::DecimalText;

/// Body of `POST /admin/v1/shared-catalogs`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedCatalogIn {
    /// Unique name.
    #[schema(example = "X contract")]
    pub name: String,
    /// `custom` (the only kind that can be created; each tenant has one `public` catalog).
    #[serde(rename = "type", default)]
    #[schema(example = "custom")]
    pub kind: Option<String>,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
}

/// Body of `PATCH /admin/v1/shared-catalogs/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SharedCatalogPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A shared catalog.
#[derive(Serialize, ToSchema)]
pub struct SharedCatalogOut {
    /// `public`, or `cat_...`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// `public` (guests and companies without a custom catalog) or `custom`.
    #[serde(rename = "type")]
    #[schema(example = "public")]
    pub kind: String,
    /// Products assigned directly.
    pub product_count: i64,
    /// Categories assigned.
    pub category_count: i64,
    /// Companies that see it.
    pub company_count: i64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&SharedCatalog> for SharedCatalogOut {
    fn from(c: &SharedCatalog) -> Self {
        SharedCatalogOut {
            id: c.id.clone(),
            name: c.name.clone(),
            description: c.description.clone(),
            kind: c.kind.clone(),
            product_count: c.product_count,
            category_count: c.category_count,
            company_count: c.company_count,
            created_at: c.created_at.to_string(),
            updated_at: c.updated_at.to_string(),
        }
    }
}

/// The shared catalogs.
#[derive(Serialize, ToSchema)]
pub struct SharedCatalogList {
    /// The public catalog first, then by name.
    pub items: Vec<SharedCatalogOut>,
}

/// Body of `PUT /admin/v1/shared-catalogs/{id}/products`: the catalog's products, replacing
/// the ones assigned.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogProductsPut {
    /// Every SKU the catalog shows directly (at most 100,000 per request).
    #[schema(example = json!(["A", "B"]))]
    pub skus: Vec<String>,
    /// Those among `skus` shown but not sold to the catalog's companies.
    #[serde(default)]
    pub browse_only: Vec<String>,
}

/// Body of `PATCH /admin/v1/shared-catalogs/{id}/products`: assignments to add and remove.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogProductsPatch {
    /// SKUs to show (sold unless also in `browse_only`).
    #[serde(default)]
    pub add: Vec<String>,
    /// Those among `add` shown but not sold.
    #[serde(default)]
    pub browse_only: Vec<String>,
    /// SKUs to stop showing directly.
    #[serde(default)]
    pub remove: Vec<String>,
}

/// A page of a catalog's direct product assignments.
#[derive(Serialize, ToSchema)]
pub struct CatalogProductList {
    /// By SKU.
    pub items: Vec<CatalogProductOut>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// One assigned product.
#[derive(Serialize, ToSchema)]
pub struct CatalogProductOut {
    /// SKU.
    pub sku: String,
    /// Whether the catalog's companies may buy it (else browse only).
    pub purchasable: bool,
}

/// Body of `PUT /admin/v1/shared-catalogs/{id}/categories`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogCategoriesPut {
    /// Category ids: every product in them or below them is shown, now and later.
    pub category_ids: Vec<String>,
}

/// The categories of a catalog.
#[derive(Serialize, ToSchema)]
pub struct CatalogCategoriesOut {
    /// Category ids.
    pub category_ids: Vec<String>,
}

/// Body of `PUT /admin/v1/shared-catalogs/{id}/companies`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CatalogCompaniesPut {
    /// The companies that see this catalog (each company sees exactly one; they move here).
    pub company_ids: Vec<String>,
}

/// The companies of a catalog or segment.
#[derive(Serialize, ToSchema)]
pub struct CatalogCompaniesOut {
    /// Company ids.
    pub company_ids: Vec<String>,
}

/// Page query for long listings.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page size, 1-1000 (default 100).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// One price-list entry as sent: exactly one of `price` and `percent_off`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryIn {
    /// The product.
    #[schema(example = "A")]
    pub sku: String,
    /// Fixed unit price, decimal string.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "80.00")]
    pub price: Option<DecimalText>,
    /// Percent off the list price, decimal string, more than 0 and at most 100.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "12.5")]
    pub percent_off: Option<DecimalText>,
    /// The entry applies from this quantity on (a tier price); default 1.
    #[serde(default)]
    pub min_quantity: Option<i64>,
    /// RFC 3339: valid from (inclusive).
    #[serde(default)]
    pub valid_from: Option<String>,
    /// RFC 3339: valid until (exclusive).
    #[serde(default)]
    pub valid_to: Option<String>,
}

/// An entry as stored.
#[derive(Serialize, ToSchema)]
pub struct EntryOut {
    /// The product.
    pub sku: String,
    /// Fixed unit price, 4 decimals (when the entry is fixed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    /// Percent off the list price (when the entry is a discount).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_off: Option<String>,
    /// From this quantity on.
    pub min_quantity: i64,
    /// RFC 3339.
    pub valid_from: Option<String>,
    /// RFC 3339.
    pub valid_to: Option<String>,
}

impl From<&PriceListEntry> for EntryOut {
    fn from(e: &PriceListEntry) -> Self {
        let (price, percent_off) = match e.rule {
            EntryRule::Fixed(p) => (Some(p.to_string()), None),
            EntryRule::PercentOff(p) => (None, Some(p.value().to_string())),
        };
        EntryOut {
            sku: e.sku.clone(),
            price,
            percent_off,
            min_quantity: e.min_quantity,
            valid_from: e.valid_from.map(|t| t.to_string()),
            valid_to: e.valid_to.map(|t| t.to_string()),
        }
    }
}

/// Body of `POST /admin/v1/price-lists`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceListIn {
    /// Unique name.
    #[schema(example = "X prices")]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Higher wins a tie between equal prices (default 0).
    #[serde(default)]
    pub priority: Option<i64>,
    /// Entries (at most 10,000 here; use the CSV import for more).
    #[serde(default)]
    pub entries: Vec<EntryIn>,
    /// Applies to everyone who sees these catalogs.
    #[serde(default)]
    pub shared_catalog_ids: Vec<String>,
    /// Applies to companies in these customer groups.
    #[serde(default)]
    pub customer_group_ids: Vec<String>,
    /// Applies to companies in these segments.
    #[serde(default)]
    pub segment_ids: Vec<String>,
    /// Applies to these companies.
    #[serde(default)]
    pub company_ids: Vec<String>,
}

/// Body of `PATCH /admin/v1/price-lists/{id}`; target lists given replace that kind's targets.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceListPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// New priority.
    #[serde(default)]
    pub priority: Option<i64>,
    /// New shared catalog targets.
    #[serde(default)]
    pub shared_catalog_ids: Option<Vec<String>>,
    /// New customer group targets.
    #[serde(default)]
    pub customer_group_ids: Option<Vec<String>>,
    /// New segment targets.
    #[serde(default)]
    pub segment_ids: Option<Vec<String>>,
    /// New company targets.
    #[serde(default)]
    pub company_ids: Option<Vec<String>>,
}

/// A price list.
#[derive(Serialize, ToSchema)]
pub struct PriceListOut {
    /// `pl_...`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Higher wins a tie.
    pub priority: i64,
    /// Entries held.
    pub entry_count: i64,
    /// Target catalogs.
    pub shared_catalog_ids: Vec<String>,
    /// Target customer groups.
    pub customer_group_ids: Vec<String>,
    /// Target segments.
    pub segment_ids: Vec<String>,
    /// Target companies.
    pub company_ids: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&PriceList> for PriceListOut {
    fn from(l: &PriceList) -> Self {
        PriceListOut {
            id: l.id.clone(),
            name: l.name.clone(),
            description: l.description.clone(),
            priority: l.priority,
            entry_count: l.entry_count,
            shared_catalog_ids: l.targets.shared_catalogs.clone(),
            customer_group_ids: l.targets.customer_groups.clone(),
            segment_ids: l.targets.segments.clone(),
            company_ids: l.targets.companies.clone(),
            created_at: l.created_at.to_string(),
            updated_at: l.updated_at.to_string(),
        }
    }
}

/// The price lists.
#[derive(Serialize, ToSchema)]
pub struct PriceListList {
    /// By name.
    pub items: Vec<PriceListOut>,
}

/// Body of `PUT /admin/v1/price-lists/{id}/entries` (replace all) and `PATCH` (add or
/// overwrite, and remove).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntriesIn {
    /// Entries to write (at most 10,000 per request).
    #[serde(default)]
    pub entries: Vec<EntryIn>,
    /// PATCH only: SKUs whose entries to remove.
    #[serde(default)]
    pub remove: Vec<String>,
}

/// A page of entries.
#[derive(Serialize, ToSchema)]
pub struct EntryList {
    /// By SKU, then quantity.
    pub items: Vec<EntryOut>,
    /// Pass as `cursor` for the next page.
    pub next_cursor: Option<String>,
}

/// What a write of entries did.
#[derive(Serialize, ToSchema)]
pub struct EntriesOutcomeOut {
    /// New entries.
    pub created: u64,
    /// Changed entries.
    pub updated: u64,
    /// Entries already exactly so.
    pub unchanged: u64,
    /// Entries removed.
    pub removed: u64,
}

/// Body of `POST /admin/v1/segments`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentIn {
    /// Unique name.
    #[schema(example = "German steel buyers")]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// `{"match": "all"|"any", "conditions": [{"field", "op", "value"}]}`. Fields: `name`,
    /// `email`, `country`, `region`, `city`, `postcode`, `customer_group_id`, `status`,
    /// `sales_rep`, and the order history: `order_count` (orders placed and not canceled) and
    /// `order_total` (their grand totals); ops: `eq`, `ne`, `in`, `not_in` (value is a list),
    /// `contains`, `starts_with`, `ends_with` (text, ignoring case), and `gt`, `gte`, `lt`,
    /// `lte` (numbers, value as text such as `"5000.00"`).
    #[schema(value_type = Object, example = json!({"match": "all", "conditions": [{"field": "country", "op": "eq", "value": "DE"}]}))]
    pub rule: serde_json::Value,
}

/// Body of `PATCH /admin/v1/segments/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// New rule (members are recomputed).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub rule: Option<serde_json::Value>,
}

/// A segment.
#[derive(Serialize, ToSchema)]
pub struct SegmentOut {
    /// `seg_...`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// The rule.
    #[schema(value_type = Object)]
    pub rule: serde_json::Value,
    /// Companies that match now.
    pub company_count: i64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&hanse_store::Segment> for SegmentOut {
    fn from(s: &hanse_store::Segment) -> Self {
        SegmentOut {
            id: s.id.clone(),
            name: s.name.clone(),
            description: s.description.clone(),
            rule: s.rule.to_json(),
            company_count: s.company_count,
            created_at: s.created_at.to_string(),
            updated_at: s.updated_at.to_string(),
        }
    }
}

/// The segments.
#[derive(Serialize, ToSchema)]
pub struct SegmentList {
    /// By name.
    pub items: Vec<SegmentOut>,
}
