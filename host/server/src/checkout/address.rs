//! Where an order goes: an address typed at checkout, an entry of the company's address book,
//! or the book's default shipping address.

use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::company::AddressKind;
use hanse_domain::company::profile::{parse_country, parse_optional_text};
use hanse_domain::tenant::parse_name;
use hanse_store::{CompanyAddress, OrderAddress};

use crate::error::{ApiError, ApiResult};
use crate::extract::SignedIn;
use crate::state::AppState;
use crate::wire::checkout::{DestinationQuery, ShippingAddressIn};

/// Checks an address typed at checkout; fields are named `shipping_address.<field>`.
pub fn parse(body: &ShippingAddressIn) -> Result<OrderAddress, FieldErrors> {
    let mut errors = FieldErrors::new();
    let field = |name: &str| format!("shipping_address.{name}");
    let name = errors.check(&field("name"), parse_name(&body.name, 200));
    let street = errors.check(&field("street"), parse_name(&body.street, 200));
    let city = errors.check(&field("city"), parse_name(&body.city, 100));
    let region = errors.check(&field("region"), parse_optional_text(body.region.as_deref().unwrap_or(""), 100));
    let postcode = errors.check(&field("postcode"), parse_optional_text(body.postcode.as_deref().unwrap_or(""), 20));
    let phone = errors.check(&field("phone"), parse_optional_text(body.phone.as_deref().unwrap_or(""), 40));
    let country = match errors.check(&field("country"), parse_country(&body.country)) {
        Some(code) if code.is_empty() => {
            errors.add(field("country"), "is required");
            None
        }
        other => other,
    };
    errors.finish(|| {
        Some(OrderAddress { name: name?, street: street?, city: city?, region: region?, postcode: postcode?, country: country?, phone: phone? })
    })
}

fn from_book(entry: &CompanyAddress) -> OrderAddress {
    let a = &entry.address;
    OrderAddress {
        name: entry.recipient.clone(),
        street: a.street.clone(),
        city: a.city.clone(),
        region: a.region.clone(),
        postcode: a.postcode.clone(),
        country: a.country.clone(),
        phone: entry.phone.clone(),
    }
}

/// A shipping entry of the company's address book (`address_not_found` for any other id).
pub async fn from_address_book(state: &AppState, buyer: &SignedIn, id: &str) -> ApiResult<OrderAddress> {
    let book = state.store().company_addresses(&buyer.tenant.id, &buyer.membership.company_id);
    match book.get(id).await? {
        Some(entry) if entry.kind == AddressKind::Shipping && !entry.address.country.is_empty() => Ok(from_book(&entry)),
        _ => Err(ApiError::not_found("address")),
    }
}

/// The company's default shipping address, if it has one with a country.
pub async fn default_shipping(state: &AppState, buyer: &SignedIn) -> ApiResult<Option<OrderAddress>> {
    let book = state.store().company_addresses(&buyer.tenant.id, &buyer.membership.company_id).list().await?;
    Ok(book.iter().find(|e| e.kind == AddressKind::Shipping && e.is_default && !e.address.country.is_empty()).map(from_book))
}

/// The destination to quote rates for: the one in the query (an address book entry, or a
/// country with optional region, postcode and city), else the company's default shipping
/// address, else an unknown destination (empty country: an estimate).
pub async fn for_rates(state: &AppState, buyer: &SignedIn, query: &DestinationQuery) -> ApiResult<OrderAddress> {
    if let Some(id) = &query.address_id {
        return from_address_book(state, buyer, id).await;
    }
    if let Some(country) = &query.country {
        let country = parse_country(country).map_err(|e| ApiError::invalid_query(format!("country: {e}")))?;
        return Ok(OrderAddress {
            country,
            region: query.region.clone().unwrap_or_default(),
            postcode: query.postcode.clone().unwrap_or_default(),
            city: query.city.clone().unwrap_or_default(),
            ..OrderAddress::default()
        });
    }
    Ok(default_shipping(state, buyer).await?.unwrap_or_default())
}

/// The destination an order ships to: typed, chosen from the address book, or the default;
/// `shipping_address_required` when there is none.
pub async fn for_order(state: &AppState, buyer: &SignedIn, typed: Option<&ShippingAddressIn>, id: Option<&str>) -> ApiResult<OrderAddress> {
    match (typed, id) {
        (Some(_), Some(_)) => Err(ApiError::invalid_field("shipping_address_id", "give either shipping_address or shipping_address_id, not both")),
        (Some(typed), None) => Ok(parse(typed)?),
        (None, Some(id)) => from_address_book(state, buyer, id).await,
        (None, None) => default_shipping(state, buyer).await?.ok_or_else(|| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "shipping_address_required",
                "give a shipping_address or a shipping_address_id: the company has no default shipping address",
            )
        }),
    }
}
