//! Categories.

use hanse_domain::category::{CategoryNode, CategoryTree};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /admin/v1/categories`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryCreate {
    /// Display name, unique among its siblings; no `/` or `|`.
    #[schema(example = "Bolts")]
    pub name: String,
    /// Parent category id; absent or null for a top-level category.
    #[serde(default)]
    pub parent_id: Option<String>,
    /// Sort order among siblings (lower first).
    #[serde(default)]
    pub position: Option<i64>,
}

/// Body of `PATCH /admin/v1/categories/{id}`; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New parent id; `null` moves the category (with its subtree) to the top level.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub parent_id: Option<Option<String>>,
    /// New sort position.
    #[serde(default)]
    pub position: Option<i64>,
}

/// A category.
#[derive(Serialize, ToSchema)]
pub struct CategoryOut {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Parent id; null at the top level.
    pub parent_id: Option<String>,
    /// Sort order among siblings.
    pub position: i64,
    /// Ids from the top level down to this one.
    pub path: Vec<String>,
}

impl From<&CategoryNode> for CategoryOut {
    fn from(n: &CategoryNode) -> Self {
        CategoryOut {
            id: n.id.clone(),
            name: n.name.clone(),
            parent_id: n.parent_id.clone(),
            position: n.position,
            path: n.path.split('/').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        }
    }
}

/// A category with its subtree.
#[derive(Serialize, ToSchema)]
pub struct CategoryTreeOut {
    /// The category.
    #[serde(flatten)]
    pub category: CategoryOut,
    /// Its children, by position then name.
    #[schema(no_recursion)]
    pub children: Vec<CategoryTreeOut>,
}

impl From<&CategoryTree> for CategoryTreeOut {
    fn from(t: &CategoryTree) -> Self {
        CategoryTreeOut { category: (&t.node).into(), children: t.children.iter().map(Into::into).collect() }
    }
}

/// The category tree.
#[derive(Serialize, ToSchema)]
pub struct CategoryTreeList {
    /// Top-level categories with their subtrees.
    pub items: Vec<CategoryTreeOut>,
}
