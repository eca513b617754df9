//! Price lists: contract prices per SKU, with quantity breaks and validity dates, for shared
//! catalogs, customer groups, segments or single companies.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use hanse_domain::FieldErrors;
use hanse_domain::tenant::parse_name;
use hanse_store::{EntriesOutcome, PriceListEntry, Targets};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::shared_catalogs::page_size;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody, QueryParams};
use crate::import::price_lists::{EntryCells, import_entries, parse_entry};
use crate::import::products::ImportReport;
use crate::import::csv_body;
use crate::state::AppState;
use crate::wire::catalogs::{EntriesIn, EntriesOutcomeOut, EntryIn, EntryList, PageQuery, PriceListIn, PriceListList, PriceListOut, PriceListPatch};

/// Most entries one JSON request writes.
const MAX_ENTRIES_PER_REQUEST: usize = 10_000;
/// Largest CSV accepted over HTTP.
const MAX_CSV_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_lists, create_list))
        .routes(routes!(get_list, update_list, delete_list))
        .routes(routes!(list_entries, put_entries, patch_entries))
        .merge(OpenApiRouter::new().routes(routes!(import_csv)).layer(DefaultBodyLimit::max(MAX_CSV_BYTES)))
}

/// Validates JSON entries, naming each bad field by its path.
fn entries(field: &str, input: &[EntryIn]) -> ApiResult<Vec<PriceListEntry>> {
    let mut errors = FieldErrors::new();
    if input.len() > MAX_ENTRIES_PER_REQUEST {
        errors.add(field, format!("at most {MAX_ENTRIES_PER_REQUEST} entries per request; import larger lists as CSV"));
    }
    let mut parsed = Vec::with_capacity(input.len());
    for (i, entry) in input.iter().enumerate() {
        let min_quantity = entry.min_quantity.map(|q| q.to_string());
        let cells = EntryCells {
            sku: &entry.sku,
            price: entry.price.as_ref().map(|p| p.0.as_str()),
            percent_off: entry.percent_off.as_ref().map(|p| p.0.as_str()),
            min_quantity: min_quantity.as_deref(),
            valid_from: entry.valid_from.as_deref(),
            valid_to: entry.valid_to.as_deref(),
        };
        match parse_entry(cells) {
            Ok(entry) => parsed.push(entry),
            Err(problems) => {
                for (name, message) in problems {
                    errors.add(format!("{field}[{i}].{name}"), message);
                }
            }
        }
    }
    Ok(errors.finish(|| Some(parsed))?)
}

fn outcome_out(o: EntriesOutcome) -> EntriesOutcomeOut {
    EntriesOutcomeOut { created: o.created, updated: o.updated, unchanged: o.unchanged, removed: o.removed }
}

/// Every price list, by name.
#[utoipa::path(
    get, path = "/price-lists", tag = "admin",
    responses((status = 200, body = PriceListList), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_lists(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<PriceListList>> {
    let lists = state.store().price_lists(&tenant.id).list().await?;
    Ok(Json(PriceListList { items: lists.iter().map(Into::into).collect() }))
}

/// Create a price list with its entries and targets, all or nothing. Prices apply on the next
/// storefront request.
#[utoipa::path(
    post, path = "/price-lists", tag = "admin",
    request_body = PriceListIn,
    responses((status = 201, body = PriceListOut), (status = 401, body = ErrorBody), (status = 409, description = "Name taken (`already_exists`)", body = ErrorBody),
        (status = 422, description = "Bad entries (`validation_failed`), `unknown_sku` or `unknown_target`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn create_list(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, JsonBody(body): JsonBody<PriceListIn>) -> ApiResult<(StatusCode, Json<PriceListOut>)> {
    let name = parse_name(&body.name, 255).map_err(|e| ApiError::invalid_field("name", e))?;
    let parsed = entries("entries", &body.entries)?;
    let targets = Targets {
        shared_catalogs: body.shared_catalog_ids,
        customer_groups: body.customer_group_ids,
        segments: body.segment_ids,
        companies: body.company_ids,
    };
    let list = state
        .store()
        .price_lists(&tenant.id)
        .create(&name, body.description.as_deref().unwrap_or(""), body.priority.unwrap_or(0), &targets, &parsed)
        .await?;
    Ok((StatusCode::CREATED, Json((&list).into())))
}

/// One price list.
#[utoipa::path(
    get, path = "/price-lists/{id}", tag = "admin",
    params(("id" = String, Path, description = "Price list id")),
    responses((status = 200, body = PriceListOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_list(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<PriceListOut>> {
    let list = state.store().price_lists(&tenant.id).get(&id).await?.ok_or_else(|| ApiError::not_found("price list"))?;
    Ok(Json((&list).into()))
}

/// Change name, description, priority or targets (a target list given replaces that kind).
#[utoipa::path(
    patch, path = "/price-lists/{id}", tag = "admin",
    params(("id" = String, Path, description = "Price list id")),
    request_body = PriceListPatch,
    responses((status = 200, body = PriceListOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, description = "`unknown_target` or a bad body", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn update_list(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<PriceListPatch>) -> ApiResult<Json<PriceListOut>> {
    let name = body.name.as_deref().map(|n| parse_name(n, 255)).transpose().map_err(|e| ApiError::invalid_field("name", e))?;
    let lists = state.store().price_lists(&tenant.id);
    let current = lists.get(&id).await?.ok_or_else(|| ApiError::not_found("price list"))?;
    let changes_targets = body.shared_catalog_ids.is_some() || body.customer_group_ids.is_some() || body.segment_ids.is_some() || body.company_ids.is_some();
    let targets = changes_targets.then(|| Targets {
        shared_catalogs: body.shared_catalog_ids.unwrap_or(current.targets.shared_catalogs),
        customer_groups: body.customer_group_ids.unwrap_or(current.targets.customer_groups),
        segments: body.segment_ids.unwrap_or(current.targets.segments),
        companies: body.company_ids.unwrap_or(current.targets.companies),
    });
    let list = lists.update(&id, name.as_deref(), body.description.as_deref(), body.priority, targets.as_ref()).await?;
    Ok(Json((&list).into()))
}

/// Delete a price list with its entries.
#[utoipa::path(
    delete, path = "/price-lists/{id}", tag = "admin",
    params(("id" = String, Path, description = "Price list id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn delete_list(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    state.store().price_lists(&tenant.id).delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A page of a list's entries, by SKU then quantity (a page never splits one SKU's tiers).
#[utoipa::path(
    get, path = "/price-lists/{id}/entries", tag = "admin",
    params(("id" = String, Path, description = "Price list id"), PageQuery),
    responses((status = 200, body = EntryList), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_entries(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, QueryParams(query): QueryParams<PageQuery>) -> ApiResult<Json<EntryList>> {
    let lists = state.store().price_lists(&tenant.id);
    lists.get(&id).await?.ok_or_else(|| ApiError::not_found("price list"))?;
    let (items, next_cursor) = lists.entries(&id, query.cursor.as_deref(), page_size(query.limit)?).await?;
    Ok(Json(EntryList { items: items.iter().map(Into::into).collect(), next_cursor }))
}

/// Replace every entry of a list.
#[utoipa::path(
    put, path = "/price-lists/{id}/entries", tag = "admin",
    params(("id" = String, Path, description = "Price list id")),
    request_body = EntriesIn,
    responses((status = 200, body = EntriesOutcomeOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "Bad entries or `unknown_sku`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn put_entries(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<EntriesIn>) -> ApiResult<Json<EntriesOutcomeOut>> {
    if !body.remove.is_empty() {
        return Err(ApiError::invalid_field("remove", "only PATCH removes; PUT replaces everything with `entries`"));
    }
    let parsed = entries("entries", &body.entries)?;
    let outcome = state.store().price_lists(&tenant.id).write_entries(&id, &parsed, true).await?;
    Ok(Json(outcome_out(outcome)))
}

/// Add or overwrite entries, and remove every entry of the SKUs in `remove`.
#[utoipa::path(
    patch, path = "/price-lists/{id}/entries", tag = "admin",
    params(("id" = String, Path, description = "Price list id")),
    request_body = EntriesIn,
    responses((status = 200, body = EntriesOutcomeOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "Bad entries or `unknown_sku`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn patch_entries(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<EntriesIn>) -> ApiResult<Json<EntriesOutcomeOut>> {
    let parsed = entries("entries", &body.entries)?;
    let lists = state.store().price_lists(&tenant.id);
    let mut outcome = lists.write_entries(&id, &parsed, false).await?;
    if !body.remove.is_empty() {
        outcome.removed = lists.remove_entries(&id, &body.remove).await?;
    }
    Ok(Json(outcome_out(outcome)))
}

/// Import entries from CSV (idempotent): header `sku` and `price` or `percent_off`; optional
/// `min_quantity` (or `qty`, `tier_price_qty`), `valid_from`, `valid_to`. Refused rows are
/// listed with their line; the rest are written.
#[utoipa::path(
    post, path = "/price-lists/{id}/entries/import", tag = "admin",
    params(("id" = String, Path, description = "Price list id")),
    request_body(content = String, content_type = "text/csv", example = "sku,price,min_quantity\nBOLT-M8,0.1100,1\nBOLT-M8,0.0950,1000\n"),
    responses(
        (status = 200, body = ImportReport),
        (status = 400, description = "Unusable file (`invalid_csv`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 413, description = "Larger than 64 MiB", body = ErrorBody),
        (status = 415, description = "Not `text/csv`", body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn import_csv(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let body = csv_body(&headers, body)?;
    state.store().price_lists(&tenant.id).get(&id).await?.ok_or_else(|| ApiError::not_found("price list"))?;
    let report = import_entries(state.store(), &tenant.id, &id, &body[..], |_| {}).await?;
    Ok(Json(report))
}
