//! Reading a company's profile and its admin from a request, shared by the merchant's create
//! and the storefront's self-registration.

use hanse_domain::FieldErrors;
use hanse_domain::company::profile::{parse_country, parse_optional_text};
use hanse_domain::company::{Email, Password};
use hanse_domain::tenant::parse_name;
use hanse_store::{Address, CompanyProfile, NewBuyer};

use crate::auth::password;
use crate::error::ApiResult;
use crate::wire::company::{AddressBody, CompanyAdminIn};

/// An optional text field, recorded in `errors` when refused.
pub fn text(errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize) -> String {
    errors.check(field, parse_optional_text(value.unwrap_or(""), max)).unwrap_or_default()
}

/// An address, each field named `address.<field>` in `errors`.
pub fn address(errors: &mut FieldErrors, body: &AddressBody) -> Address {
    Address {
        street: text(errors, "address.street", Some(&body.street), 200),
        city: text(errors, "address.city", Some(&body.city), 100),
        region: text(errors, "address.region", Some(&body.region), 100),
        postcode: text(errors, "address.postcode", Some(&body.postcode), 20),
        country: errors.check("address.country", parse_country(&body.country)).unwrap_or_default(),
    }
}

/// The profile fields of a new company.
pub struct ProfileIn<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub legal_name: Option<&'a str>,
    pub vat_tax_id: Option<&'a str>,
    pub reseller_id: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a AddressBody>,
}

/// A new company's profile.
pub fn profile(errors: &mut FieldErrors, input: ProfileIn<'_>) -> CompanyProfile {
    CompanyProfile {
        name: errors.check("name", parse_name(input.name, 100)).unwrap_or_default(),
        email: errors.check("email", Email::parse(input.email)).map(|e| e.to_string()).unwrap_or_default(),
        legal_name: text(errors, "legal_name", input.legal_name, 200),
        vat_tax_id: text(errors, "vat_tax_id", input.vat_tax_id, 40),
        reseller_id: text(errors, "reseller_id", input.reseller_id, 40),
        phone: text(errors, "phone", input.phone, 40),
        address: address(errors, &input.address.cloned().unwrap_or_default()),
    }
}

/// A new company admin, its password hashed; the fields are named `admin.<field>`.
pub async fn admin(errors: FieldErrors, body: &CompanyAdminIn) -> ApiResult<NewBuyer> {
    person(errors, "admin.", body).await
}

/// A new buyer account, its password hashed, each field named `<prefix><field>` in `errors`.
/// Hashing happens only when every field of the request passed, so a refused request costs no
/// hash.
pub async fn person(mut errors: FieldErrors, prefix: &str, body: &CompanyAdminIn) -> ApiResult<NewBuyer> {
    let field = |name: &str| format!("{prefix}{name}");
    let email = errors.check(&field("email"), Email::parse(&body.email));
    let secret = errors.check(&field("password"), Password::parse(&body.password));
    let first_name = errors.check(&field("first_name"), parse_name(&body.first_name, 100));
    let last_name = errors.check(&field("last_name"), parse_name(&body.last_name, 100));
    let job_title = text(&mut errors, &field("job_title"), body.job_title.as_deref(), 100);
    let phone = text(&mut errors, &field("phone"), body.phone.as_deref(), 40);
    let (Some(email), Some(secret), Some(first_name), Some(last_name)) = (email, secret, first_name, last_name) else {
        return Err(errors.into());
    };
    if !errors.is_empty() {
        return Err(errors.into());
    }
    Ok(NewBuyer { email, password_hash: password::hash(&secret).await?, first_name, last_name, job_title, phone })
}

/// Changes to a profile; `None` leaves a field as it is.
pub struct ProfileChangeIn<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a str>,
    pub legal_name: Option<&'a str>,
    pub vat_tax_id: Option<&'a str>,
    pub reseller_id: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a AddressBody>,
}

/// `current` with `change` applied, each refused field recorded in `errors`.
pub fn changed_profile(errors: &mut FieldErrors, current: &CompanyProfile, change: ProfileChangeIn<'_>) -> CompanyProfile {
    let mut profile = current.clone();
    if let Some(name) = change.name {
        profile.name = errors.check("name", parse_name(name, 100)).unwrap_or_default();
    }
    if let Some(email) = change.email {
        profile.email = errors.check("email", Email::parse(email)).map(|e| e.to_string()).unwrap_or_default();
    }
    for (field, value, target, max) in [
        ("legal_name", change.legal_name, &mut profile.legal_name, 200),
        ("vat_tax_id", change.vat_tax_id, &mut profile.vat_tax_id, 40),
        ("reseller_id", change.reseller_id, &mut profile.reseller_id, 40),
        ("phone", change.phone, &mut profile.phone, 40),
    ] {
        if value.is_some() {
            *target = text(errors, field, value, max);
        }
    }
    if let Some(body) = change.address {
        profile.address = address(errors, body);
    }
    profile
}
