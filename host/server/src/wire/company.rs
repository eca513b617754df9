//! Companies and what surrounds them: customer groups.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use hanse_store::CustomerGroup;

/// Body of `POST /admin/v1/customer-groups` and `PATCH /admin/v1/customer-groups/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerGroupIn {
    /// 1–100 characters, unique within the tenant.
    #[schema(example = "Wholesale")]
    pub name: String,
}

/// A customer group.
#[derive(Serialize, ToSchema)]
pub struct CustomerGroupOut {
    /// Id.
    #[schema(example = "grp_01JD4S3K5X0Q7Z9W2B6N8M4C1V")]
    pub id: String,
    /// Name.
    #[schema(example = "Wholesale")]
    pub name: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&CustomerGroup> for CustomerGroupOut {
    fn from(g: &CustomerGroup) -> Self {
        CustomerGroupOut { id: g.id.clone(), name: g.name.clone(), created_at: g.created_at.to_string(), updated_at: g.updated_at.to_string() }
    }
}

/// The tenant's customer groups, by name.
#[derive(Serialize, ToSchema)]
pub struct CustomerGroupList {
    /// The groups.
    pub items: Vec<CustomerGroupOut>,
}
