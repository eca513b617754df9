//! Requisition lists, as the storefront shows them.

use hanse_store::RequisitionList;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /store/v1/requisition-lists`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListIn {
    /// Name.
    #[schema(example = "Monthly restock")]
    pub name: String,
    /// Free text.
    #[serde(default)]
    pub description: Option<String>,
    /// Share with everyone in the company (needs `requisition_lists.share`).
    #[serde(default)]
    pub shared: bool,
}

/// Body of `PATCH /store/v1/requisition-lists/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ListPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// Share or stop sharing (needs `requisition_lists.share`).
    #[serde(default)]
    pub shared: Option<bool>,
}

/// A requisition list.
#[derive(Serialize, ToSchema)]
pub struct ListOut {
    /// `rql_...`.
    pub id: String,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Visible to everyone in the company.
    pub shared: bool,
    /// The owner's buyer id.
    pub owner_id: String,
    /// The owner's name.
    pub owner_name: String,
    /// Whether the signed-in buyer owns it.
    pub mine: bool,
    /// Items on it.
    pub item_count: i64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl ListOut {
    /// The wire form, as seen by buyer `viewer`.
    pub fn new(list: &RequisitionList, viewer: &str) -> Self {
        ListOut {
            id: list.id.clone(),
            name: list.name.clone(),
            description: list.description.clone(),
            shared: list.shared,
            owner_id: list.owner_id.clone(),
            owner_name: list.owner_name.clone(),
            mine: list.owner_id == viewer,
            item_count: list.item_count,
            created_at: list.created_at.to_string(),
            updated_at: list.updated_at.to_string(),
        }
    }
}

/// The lists a buyer can reach.
#[derive(Serialize, ToSchema)]
pub struct ListList {
    /// Own and shared lists, by name.
    pub items: Vec<ListOut>,
}

/// A list with its items.
#[derive(Serialize, ToSchema)]
pub struct ListDetail {
    /// The list.
    #[serde(flatten)]
    pub list: ListOut,
    /// Items in the order they were first added.
    pub lines: Vec<ListItemOut>,
}

/// One item.
#[derive(Serialize, ToSchema)]
pub struct ListItemOut {
    /// SKU.
    pub sku: String,
    /// Units.
    pub quantity: i64,
    /// Product name; null when the buyer's catalog no longer shows it.
    pub name: Option<String>,
    /// Whether the buyer's catalog still shows it.
    pub available: bool,
}

/// Body of `PATCH /store/v1/requisition-lists/{id}/items/{sku}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemPatch {
    /// New quantity, 1 or more.
    pub quantity: i64,
}

/// Body of `POST /store/v1/requisition-lists/{id}/items/move` and `/copy`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferIn {
    /// The list to move or copy to.
    pub to: String,
    /// The SKUs to move or copy.
    pub skus: Vec<String>,
}

/// Body of `POST /store/v1/requisition-lists/{id}/add-to-cart`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ToCartIn {
    /// The SKUs to add; all items when absent.
    #[serde(default)]
    pub skus: Option<Vec<String>>,
}
