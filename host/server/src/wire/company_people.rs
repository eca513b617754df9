//! A company's people and how they are organised: roles, users, the org chart.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use hanse_store::{CompanyRole, CompanyUser};

/// Body of `POST /store/v1/company/roles`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleIn {
    /// 1–100 characters, unique within the company.
    #[schema(example = "Viewer")]
    pub name: String,
    /// Allowed permission ids; all others are denied. Parents of an allowed permission are
    /// allowed too.
    #[schema(example = json!(["company.users.view"]))]
    pub permissions: Vec<String>,
}

/// Body of `PATCH /store/v1/company/roles/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// The new set of allowed permission ids (replaces the old one).
    #[serde(default)]
    pub permissions: Option<Vec<String>>,
}

/// A company role.
#[derive(Serialize, ToSchema)]
pub struct RoleOut {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Allowed permission ids, parents included.
    pub permissions: Vec<String>,
    /// How many users have it.
    pub users: i64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&CompanyRole> for RoleOut {
    fn from(r: &CompanyRole) -> Self {
        RoleOut {
            id: r.id.clone(),
            name: r.name.clone(),
            permissions: r.permissions.clone(),
            users: r.users,
            created_at: r.created_at.to_string(),
            updated_at: r.updated_at.to_string(),
        }
    }
}

/// The company's roles, by name (the virtual Company Administrator role is not listed).
#[derive(Serialize, ToSchema)]
pub struct RoleList {
    /// The roles.
    pub items: Vec<RoleOut>,
}

/// Body of `POST /store/v1/company/users`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyUserIn {
    /// E-mail address; unused in this shop so far.
    #[schema(example = "bob@bolt.example")]
    pub email: String,
    /// At least 10 characters.
    #[schema(example = "another horse 2")]
    pub password: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// A role of the company.
    pub role_id: String,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// A user of the company.
#[derive(Serialize, ToSchema)]
pub struct CompanyUserOut {
    /// Buyer id.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Job title.
    pub job_title: String,
    /// Phone.
    pub phone: String,
    /// `active` or `inactive`.
    pub status: String,
    /// Whether the user is the company admin.
    pub is_admin: bool,
    /// Role id; null for the company admin.
    pub role_id: Option<String>,
    /// Role name (`Company Administrator` for the admin).
    pub role: String,
    /// Node in the org chart.
    pub node_id: String,
    /// The node above; null for the admin at the root.
    pub parent_node_id: Option<String>,
}

impl From<&CompanyUser> for CompanyUserOut {
    fn from(u: &CompanyUser) -> Self {
        CompanyUserOut {
            id: u.id.clone(),
            email: u.email.clone(),
            first_name: u.first_name.clone(),
            last_name: u.last_name.clone(),
            job_title: u.job_title.clone(),
            phone: u.phone.clone(),
            status: u.status.as_str().to_owned(),
            is_admin: u.is_admin,
            role_id: u.role.as_ref().map(|(id, _)| id.clone()),
            role: if u.is_admin { "Company Administrator".to_owned() } else { u.role.as_ref().map(|(_, n)| n.clone()).unwrap_or_default() },
            node_id: u.node_id.clone(),
            parent_node_id: u.parent_node_id.clone(),
        }
    }
}

/// The company's users, admin first.
#[derive(Serialize, ToSchema)]
pub struct CompanyUserList {
    /// The users.
    pub items: Vec<CompanyUserOut>,
}

/// A node of the company's org chart, with the nodes below it.
#[derive(Serialize, ToSchema)]
pub struct StructureOut {
    /// Node id.
    pub id: String,
    /// `user` or `team`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The team's name, or the user's.
    pub name: String,
    /// A team's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A user's buyer id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The nodes below, in order.
    #[schema(no_recursion)]
    pub children: Vec<StructureOut>,
}

/// Body of `POST /store/v1/company/teams`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamIn {
    /// 1–100 characters.
    #[schema(example = "Purchasing")]
    pub name: String,
    /// What the team does.
    #[serde(default)]
    pub description: Option<String>,
    /// The node to put it under; the company admin when absent.
    #[serde(default)]
    pub parent_id: Option<String>,
}

/// Body of `PATCH /store/v1/company/teams/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A team, as created.
#[derive(Serialize, ToSchema)]
pub struct TeamOut {
    /// Node id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// Body of `POST /store/v1/company/structure/{id}/move`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveIn {
    /// The node to move under.
    pub parent_id: String,
}

/// Body of `PATCH /store/v1/company/users/{id}`: absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyUserPatch {
    /// A role of the company.
    #[serde(default)]
    pub role_id: Option<String>,
    /// `active` or `inactive` (an inactive user cannot log in).
    #[serde(default)]
    pub status: Option<String>,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Body of `POST /admin/v1/companies/{id}/users`. An address that has an account in the shop
/// adds that buyer to this company as well (send no password then); a new address creates the
/// account (password and names required).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddUserIn {
    /// The buyer's e-mail address.
    #[schema(example = "ann@bolt.example")]
    pub email: String,
    /// A role of this company.
    pub role_id: String,
    /// For a new account: at least 10 characters.
    #[serde(default)]
    pub password: Option<String>,
    /// For a new account.
    #[serde(default)]
    pub first_name: Option<String>,
    /// For a new account.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}
