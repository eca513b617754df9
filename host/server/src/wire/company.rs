//! Companies and what surrounds them: customer groups.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use hanse_store::{AuditEntry, Company, CompanyAddress, CompanyRole, CompanyUser, CustomerGroup, Membership};

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

/// A postal address; absent fields are empty.
#[derive(Deserialize, Serialize, ToSchema, Default, Clone)]
#[serde(deny_unknown_fields)]
pub struct AddressBody {
    /// Street and number.
    #[serde(default)]
    pub street: String,
    /// City.
    #[serde(default)]
    pub city: String,
    /// State, province or region.
    #[serde(default)]
    pub region: String,
    /// Postal code.
    #[serde(default)]
    pub postcode: String,
    /// ISO 3166-1 alpha-2 country code (`DE`).
    #[serde(default)]
    #[schema(example = "DE")]
    pub country: String,
}

/// The company admin to create with a company.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyAdminIn {
    /// E-mail address; unused in this tenant so far.
    #[schema(example = "ann@bolt.example")]
    pub email: String,
    /// At least 10 characters.
    #[schema(example = "correct horse 1")]
    pub password: String,
    /// First name.
    #[schema(example = "Ann")]
    pub first_name: String,
    /// Last name.
    #[schema(example = "Lee")]
    pub last_name: String,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Body of `POST /admin/v1/companies`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyIn {
    /// Display name, 1–100 characters.
    #[schema(example = "Bolt Co")]
    pub name: String,
    /// The company's e-mail address.
    #[schema(example = "office@bolt.example")]
    pub email: String,
    /// Registered legal name.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// VAT or tax id.
    #[serde(default)]
    pub vat_tax_id: Option<String>,
    /// Reseller id.
    #[serde(default)]
    pub reseller_id: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Legal address.
    #[serde(default)]
    pub address: Option<AddressBody>,
    /// The merchant's staff member who looks after the company.
    #[serde(default)]
    pub sales_rep: Option<String>,
    /// Customer group id.
    #[serde(default)]
    pub customer_group_id: Option<String>,
    /// May its buyers ask for quotes (default true).
    #[serde(default)]
    pub quotes_enabled: Option<bool>,
    /// Do its orders go through purchase orders (default false).
    #[serde(default)]
    pub purchase_orders_enabled: Option<bool>,
    /// `pending` (the default) or `active`.
    #[serde(default)]
    pub status: Option<String>,
    /// Its admin, a new buyer account.
    pub admin: CompanyAdminIn,
}

/// Body of `PATCH /admin/v1/companies/{id}`: absent fields stay as they are.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CompanyPatch {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The company's e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Registered legal name.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// VAT or tax id.
    #[serde(default)]
    pub vat_tax_id: Option<String>,
    /// Reseller id.
    #[serde(default)]
    pub reseller_id: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Legal address (replaced as a whole).
    #[serde(default)]
    pub address: Option<AddressBody>,
    /// The merchant's staff member who looks after the company.
    #[serde(default)]
    pub sales_rep: Option<String>,
    /// Customer group id; `null` removes it.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub customer_group_id: Option<Option<String>>,
    /// May its buyers ask for quotes.
    #[serde(default)]
    pub quotes_enabled: Option<bool>,
    /// Do its orders go through purchase orders.
    #[serde(default)]
    pub purchase_orders_enabled: Option<bool>,
    /// `pending`, `active`, `rejected` (needs `reject_reason`) or `blocked`. Each change is
    /// recorded and queued as a notification to the company admin.
    #[serde(default)]
    #[schema(example = "active")]
    pub status: Option<String>,
    /// Why the company is rejected.
    #[serde(default)]
    pub reject_reason: Option<String>,
}

/// A company account.
#[derive(Serialize, ToSchema)]
pub struct CompanyOut {
    /// Id.
    #[schema(example = "cmp_01jd4s3k5x0q7z9w")]
    pub id: String,
    /// Display name.
    pub name: String,
    /// Registered legal name.
    pub legal_name: String,
    /// E-mail address.
    pub email: String,
    /// VAT or tax id.
    pub vat_tax_id: String,
    /// Reseller id.
    pub reseller_id: String,
    /// Phone.
    pub phone: String,
    /// Legal address.
    pub address: AddressBody,
    /// The merchant's staff member who looks after it.
    pub sales_rep: String,
    /// Customer group id.
    pub customer_group_id: Option<String>,
    /// May its buyers ask for quotes.
    pub quotes_enabled: bool,
    /// Do its orders go through purchase orders.
    pub purchase_orders_enabled: bool,
    /// `pending`, `active`, `rejected` or `blocked`.
    #[schema(example = "pending")]
    pub status: String,
    /// Why it was rejected, while it is.
    pub reject_reason: Option<String>,
    /// RFC 3339, while it is rejected.
    pub rejected_at: Option<String>,
    /// The company admin's buyer id.
    pub admin_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&Company> for CompanyOut {
    fn from(c: &Company) -> Self {
        let a = &c.profile.address;
        CompanyOut {
            id: c.id.clone(),
            name: c.profile.name.clone(),
            legal_name: c.profile.legal_name.clone(),
            email: c.profile.email.clone(),
            vat_tax_id: c.profile.vat_tax_id.clone(),
            reseller_id: c.profile.reseller_id.clone(),
            phone: c.profile.phone.clone(),
            address: a.into(),
            sales_rep: c.settings.sales_rep.clone(),
            customer_group_id: c.settings.customer_group_id.clone(),
            quotes_enabled: c.settings.quotes_enabled,
            purchase_orders_enabled: c.settings.purchase_orders_enabled,
            status: c.status.as_str().to_owned(),
            reject_reason: c.reject_reason.clone(),
            rejected_at: c.rejected_at.map(|t| t.to_string()),
            admin_id: c.admin_buyer_id.clone(),
            created_at: c.created_at.to_string(),
            updated_at: c.updated_at.to_string(),
        }
    }
}

/// A page of companies, oldest first.
#[derive(Serialize, ToSchema)]
pub struct CompanyList {
    /// The companies.
    pub items: Vec<CompanyOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Query of `GET /admin/v1/companies`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CompanyQuery {
    /// Page size, 1-200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `pending`, `active`, `rejected` or `blocked`.
    pub status: Option<String>,
    /// Customer group id.
    pub customer_group_id: Option<String>,
}

/// Body of `POST /store/v1/auth/login`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginIn {
    /// E-mail address.
    #[schema(example = "ann@bolt.example")]
    pub email: String,
    /// Password.
    #[schema(example = "correct horse 1")]
    pub password: String,
    /// The company to act in, for a buyer of several; else the first usable one.
    #[serde(default)]
    pub company_id: Option<String>,
}

/// A new session.
#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer <token>`; shown only here.
    pub token: String,
    /// RFC 3339.
    pub expires_at: String,
    /// The company the session acts in.
    pub company_id: String,
}

/// A company the buyer belongs to.
#[derive(Serialize, ToSchema)]
pub struct MembershipOut {
    /// Company id.
    pub id: String,
    /// Company name.
    pub name: String,
    /// Company status.
    pub status: String,
    /// The buyer's role there (`Company Administrator` for its admin).
    pub role: String,
}

/// `GET /store/v1/me`: the buyer, the company the session acts in, the role there and what it
/// allows.
#[derive(Serialize, ToSchema)]
pub struct MeOut {
    /// Buyer id.
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// The current company.
    pub company: MembershipOut,
    /// Role id there; null for the company admin.
    pub role_id: Option<String>,
    /// Allowed permission ids (see the permission tree in the README).
    #[schema(example = json!(["company", "company.users.view", "company.user_management"]))]
    pub permissions: Vec<String>,
    /// Every company the buyer belongs to.
    pub companies: Vec<MembershipOut>,
}

impl From<&Membership> for MembershipOut {
    fn from(m: &Membership) -> Self {
        let role = match (&m.role, m.is_admin) {
            (_, true) => "Company Administrator".to_owned(),
            (Some((_, name, _)), false) => name.clone(),
            (None, false) => String::new(),
        };
        MembershipOut { id: m.company_id.clone(), name: m.company_name.clone(), status: m.company_status.as_str().to_owned(), role }
    }
}

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

/// One entry of a company's audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryOut {
    /// RFC 3339.
    pub at: String,
    /// Who: `merchant`, `buyer:<id>` or `system`.
    pub actor: String,
    /// What: `company.created`, `company.updated`, `company.status_changed`, `role.created`,
    /// `role.updated`, `role.deleted`, `user.created`.
    pub action: String,
    /// The details.
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
}

impl From<&AuditEntry> for AuditEntryOut {
    fn from(e: &AuditEntry) -> Self {
        AuditEntryOut { at: e.at.to_string(), actor: e.actor.clone(), action: e.action.clone(), detail: e.detail.clone() }
    }
}

/// A company's audit log, newest first (at most 200 entries).
#[derive(Serialize, ToSchema)]
pub struct AuditList {
    /// The entries.
    pub items: Vec<AuditEntryOut>,
}

/// Body of `POST /store/v1/companies`: a company registering itself.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyRegistrationIn {
    /// Display name, 1–100 characters.
    #[schema(example = "Bolt Co")]
    pub name: String,
    /// The company's e-mail address.
    #[schema(example = "office@bolt.example")]
    pub email: String,
    /// Registered legal name.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// VAT or tax id.
    #[serde(default)]
    pub vat_tax_id: Option<String>,
    /// Reseller id.
    #[serde(default)]
    pub reseller_id: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Legal address.
    #[serde(default)]
    pub address: Option<AddressBody>,
    /// The person registering, who becomes the company admin.
    pub admin: CompanyAdminIn,
}

/// A registered company, waiting for the merchant.
#[derive(Serialize, ToSchema)]
pub struct RegistrationOut {
    /// Company id.
    pub id: String,
    /// Name.
    pub name: String,
    /// `pending` until the merchant approves it.
    #[schema(example = "pending")]
    pub status: String,
}

/// The merchant's switches (`GET` and `PATCH /admin/v1/settings`).
#[derive(Serialize, ToSchema)]
pub struct SettingsOut {
    /// May buyers register companies on the storefront (they start `pending`).
    pub company_registration: bool,
}

/// Body of `PATCH /admin/v1/settings`: absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// May buyers register companies on the storefront.
    #[serde(default)]
    pub company_registration: Option<bool>,
}

/// Body of `POST /store/v1/me/password`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeIn {
    /// The password now.
    pub current_password: String,
    /// The new one, at least 10 characters.
    pub new_password: String,
}

/// Body of `POST /store/v1/auth/password-reset`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetIn {
    /// The account's e-mail address.
    #[schema(example = "ann@bolt.example")]
    pub email: String,
}

/// Body of `POST /store/v1/auth/password-reset/confirm`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmIn {
    /// The token from the reset message.
    pub token: String,
    /// The new password, at least 10 characters.
    pub new_password: String,
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

/// Body of `POST /store/v1/auth/switch`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchIn {
    /// One of the buyer's companies (see `GET /store/v1/me`).
    pub company_id: String,
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

/// Body of `PATCH /store/v1/company`: the company's own profile; absent fields stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Registered legal name.
    #[serde(default)]
    pub legal_name: Option<String>,
    /// The company's e-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// VAT or tax id.
    #[serde(default)]
    pub vat_tax_id: Option<String>,
    /// Reseller id.
    #[serde(default)]
    pub reseller_id: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Legal address (needs `company.address.edit` as well).
    #[serde(default)]
    pub address: Option<AddressBody>,
}

/// An entry of the company's address book, as sent.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookAddressIn {
    /// `billing` or `shipping`.
    #[schema(example = "shipping")]
    pub kind: String,
    /// A name for it.
    #[schema(example = "Main warehouse")]
    pub label: String,
    /// Who receives.
    #[serde(default)]
    pub recipient: Option<String>,
    /// The address; `street`, `city`, `postcode` and `country` are required.
    pub address: AddressBody,
    /// Phone at the address.
    #[serde(default)]
    pub phone: Option<String>,
    /// Make it the default of its kind.
    #[serde(default)]
    pub is_default: bool,
}

/// An entry of the company's address book.
#[derive(Serialize, ToSchema)]
pub struct BookAddressOut {
    /// Id.
    pub id: String,
    /// `billing` or `shipping`.
    pub kind: String,
    /// Its name.
    pub label: String,
    /// Who receives.
    pub recipient: String,
    /// The address.
    pub address: AddressBody,
    /// Phone.
    pub phone: String,
    /// The default of its kind.
    pub is_default: bool,
}

impl From<&CompanyAddress> for BookAddressOut {
    fn from(a: &CompanyAddress) -> Self {
        let x = &a.address;
        BookAddressOut {
            id: a.id.clone(),
            kind: a.kind.as_str().to_owned(),
            label: a.label.clone(),
            recipient: a.recipient.clone(),
            address: x.into(),
            phone: a.phone.clone(),
            is_default: a.is_default,
        }
    }
}

/// The company's address book.
#[derive(Serialize, ToSchema)]
pub struct BookAddressList {
    /// Billing first, defaults first.
    pub items: Vec<BookAddressOut>,
}

impl From<&hanse_store::Address> for AddressBody {
    fn from(a: &hanse_store::Address) -> Self {
        AddressBody { street: a.street.clone(), city: a.city.clone(), region: a.region.clone(), postcode: a.postcode.clone(), country: a.country.clone() }
    }
}
