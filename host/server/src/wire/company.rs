//! Companies as accounts: customer groups, the company profile and address book, the audit
//! log, registration and the merchant's settings.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use hanse_store::{AuditEntry, Company, CompanyAddress, CustomerGroup};

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
    /// May visitors without a session browse and price the public catalog.
    pub guest_browsing: bool,
}

impl From<&hanse_store::TenantSettings> for SettingsOut {
    fn from(s: &hanse_store::TenantSettings) -> Self {
        SettingsOut { company_registration: s.company_registration, guest_browsing: s.guest_browsing }
    }
}

/// Body of `PATCH /admin/v1/settings`: absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsPatch {
    /// May buyers register companies on the storefront.
    #[serde(default)]
    pub company_registration: Option<bool>,
    /// May guests browse the public catalog (default true).
    #[serde(default)]
    pub guest_browsing: Option<bool>,
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
