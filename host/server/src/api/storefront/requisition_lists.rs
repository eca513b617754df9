//! Requisition lists: named lists for repeat orders, private or shared with the company.
//! Everything needs `requisition_lists`; creating and changing own lists needs
//! `requisition_lists.manage`; sharing, and changing lists others shared, needs
//! `requisition_lists.share`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hanse_domain::company::permission::{REQUISITION_LISTS, REQUISITION_LISTS_MANAGE, REQUISITION_LISTS_SHARE};
use hanse_domain::ordering::{LineOutcome, MAX_LINE_QUANTITY};
use hanse_domain::tenant::parse_name;
use hanse_store::{ListItem, RequisitionList, RequisitionLists};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::quick_order::{add_to_cart, outcome_report, requested};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{LaterJson, SignedIn};
use crate::ordering::Orderable;
use crate::ordering::csv::Requested;
use crate::state::AppState;
use crate::wire::cart::QuickOrderOut;
use crate::wire::requisition::{ItemPatch, ListDetail, ListIn, ListItemOut, ListList, ListOut, ListPatch, ToCartIn, TransferIn};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_lists, create_list))
        .routes(routes!(get_list, update_list, delete_list))
        .routes(routes!(add_items))
        .routes(routes!(add_from_cart))
        .routes(routes!(set_item, remove_item))
        .routes(routes!(move_items))
        .routes(routes!(copy_items))
        .routes(routes!(list_to_cart))
        .routes(routes!(export_list))
}

fn lists<'a>(state: &'a AppState, buyer: &'a SignedIn) -> RequisitionLists<'a> {
    state.store().requisition_lists(&buyer.tenant.id, &buyer.membership.company_id, &buyer.buyer.id)
}

/// The list, when the buyer may change it: their own with `manage`, a colleague's shared one
/// with `share`. Also refuses blocked companies.
async fn editable(state: &AppState, buyer: &SignedIn, id: &str) -> ApiResult<RequisitionList> {
    buyer.require_active_company()?;
    buyer.permissions.check(&REQUISITION_LISTS_MANAGE)?;
    let list = lists(state, buyer).get(id).await?.ok_or_else(|| ApiError::not_found("requisition list"))?;
    if list.owner_id != buyer.buyer.id {
        buyer.permissions.check(&REQUISITION_LISTS_SHARE)?;
    }
    Ok(list)
}

async fn detail(state: &AppState, buyer: &SignedIn, list: &RequisitionList) -> ApiResult<ListDetail> {
    let items = lists(state, buyer).items(&list.id).await?;
    let audience = buyer.audience.clone();
    let skus: Vec<&str> = items.iter().map(|i| i.sku.as_str()).collect();
    let orderable = Orderable::load(state.store(), &buyer.tenant, &audience, &skus).await?;
    let lines = items
        .iter()
        .map(|item| {
            let shown = orderable.shown(&item.sku);
            ListItemOut { sku: item.sku.clone(), quantity: item.quantity, name: shown.map(|p| p.draft.name.clone()), available: shown.is_some() }
        })
        .collect();
    Ok(ListDetail { list: ListOut::new(list, &buyer.buyer.id), lines })
}

/// The buyer's own lists and those shared in the company.
#[utoipa::path(
    get, path = "/requisition-lists", tag = "storefront",
    security(("buyer_session" = [])),
    responses((status = 200, body = ListList), (status = 401, body = ErrorBody), (status = 403, description = "`permission_denied`", body = ErrorBody))
)]
async fn list_lists(buyer: SignedIn, State(state): State<AppState>) -> ApiResult<Json<ListList>> {
    buyer.permissions.check(&REQUISITION_LISTS)?;
    let items = lists(&state, &buyer).list().await?;
    Ok(Json(ListList { items: items.iter().map(|l| ListOut::new(l, &buyer.buyer.id)).collect() }))
}

/// Create a list; `shared` needs `requisition_lists.share`.
#[utoipa::path(
    post, path = "/requisition-lists", tag = "storefront",
    security(("buyer_session" = [])),
    request_body = ListIn,
    responses((status = 201, body = ListOut), (status = 401, body = ErrorBody), (status = 403, description = "`permission_denied` or `company_blocked`", body = ErrorBody),
        (status = 409, description = "`too_many_lists`", body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn create_list(buyer: SignedIn, State(state): State<AppState>, body: LaterJson) -> ApiResult<(StatusCode, Json<ListOut>)> {
    buyer.require_active_company()?;
    buyer.permissions.check(&REQUISITION_LISTS_MANAGE)?;
    let body: ListIn = body.parse()?;
    if body.shared {
        buyer.permissions.check(&REQUISITION_LISTS_SHARE)?;
    }
    let name = parse_name(&body.name, 255).map_err(|e| ApiError::invalid_field("name", e))?;
    let list = lists(&state, &buyer).create(&name, body.description.as_deref().unwrap_or(""), body.shared).await?;
    Ok((StatusCode::CREATED, Json(ListOut::new(&list, &buyer.buyer.id))))
}

/// One list with its items.
#[utoipa::path(
    get, path = "/requisition-lists/{id}", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    responses((status = 200, body = ListDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such list, or a colleague's private one (`requisition_list_not_found`)", body = ErrorBody))
)]
async fn get_list(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<ListDetail>> {
    buyer.permissions.check(&REQUISITION_LISTS)?;
    let list = lists(&state, &buyer).get(&id).await?.ok_or_else(|| ApiError::not_found("requisition list"))?;
    Ok(Json(detail(&state, &buyer, &list).await?))
}

/// Rename, redescribe, share or stop sharing a list.
#[utoipa::path(
    patch, path = "/requisition-lists/{id}", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    request_body = ListPatch,
    responses((status = 200, body = ListOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn update_list(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<ListOut>> {
    let list = editable(&state, &buyer, &id).await?;
    let body: ListPatch = body.parse()?;
    if body.shared.is_some_and(|s| s != list.shared) {
        buyer.permissions.check(&REQUISITION_LISTS_SHARE)?;
    }
    let name = body.name.as_deref().map(|n| parse_name(n, 255)).transpose().map_err(|e| ApiError::invalid_field("name", e))?;
    let list = lists(&state, &buyer).update(&id, name.as_deref(), body.description.as_deref(), body.shared).await?;
    Ok(Json(ListOut::new(&list, &buyer.buyer.id)))
}

/// Delete a list.
#[utoipa::path(
    delete, path = "/requisition-lists/{id}", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn delete_list(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<StatusCode> {
    editable(&state, &buyer, &id).await?;
    lists(&state, &buyer).delete(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Add items as quick order takes them (JSON `{"items":[{"sku","quantity"}]}` or a `sku,qty`
/// CSV); a SKU already on the list adds up. Each line answers `added`, `failed_sku` (not in
/// the buyer's catalog) or `failed_qty_invalid`; stock and sale quantities are checked when the
/// list goes to the cart.
#[utoipa::path(
    post, path = "/requisition-lists/{id}/items", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    request_body(content(
        (crate::wire::cart::QuickOrderIn = "application/json"),
        (String = "text/csv", example = "sku,qty\nBOLT-M8,100\n"),
    )),
    responses((status = 200, body = QuickOrderOut), (status = 400, description = "`invalid_csv`", body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 415, body = ErrorBody))
)]
async fn add_items(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap, body: Bytes) -> ApiResult<Json<QuickOrderOut>> {
    editable(&state, &buyer, &id).await?;
    let requested = requested(&headers, &body)?;
    Ok(Json(add_requested(&state, &buyer, &id, requested).await?))
}

async fn add_requested(state: &AppState, buyer: &SignedIn, id: &str, requested: Vec<Requested>) -> ApiResult<QuickOrderOut> {
    let audience = buyer.audience.clone();
    let skus: Vec<&str> = requested.iter().map(|r| r.sku.as_str()).collect();
    let orderable = Orderable::load(state.store(), &buyer.tenant, &audience, &skus).await?;
    let outcomes: Vec<Option<LineOutcome>> = requested
        .iter()
        .map(|r| match (orderable.shown(&r.sku), r.quantity) {
            (None, _) => Some(LineOutcome::FailedSku),
            (Some(_), Some(q)) if (1..=MAX_LINE_QUANTITY).contains(&q) => Some(LineOutcome::Added),
            (Some(_), _) => Some(LineOutcome::FailedQtyInvalid),
        })
        .collect();
    let items: Vec<ListItem> = requested
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| **o == Some(LineOutcome::Added))
        .map(|(r, _)| ListItem { sku: r.sku.clone(), quantity: r.quantity.unwrap_or(1) })
        .collect();
    lists(state, buyer).add(id, &items).await?;
    Ok(outcome_report(&orderable, requested, outcomes))
}

/// Add every line of the buyer's cart to the list.
#[utoipa::path(
    post, path = "/requisition-lists/{id}/items/from-cart", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    responses((status = 200, body = QuickOrderOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn add_from_cart(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<QuickOrderOut>> {
    editable(&state, &buyer, &id).await?;
    let cart = state.store().cart(&buyer.tenant.id, &buyer.buyer.id, &buyer.membership.company_id).items().await?;
    let requested = cart.into_iter().enumerate().map(|(i, item)| Requested { line: i + 1, sku: item.sku, quantity: Some(item.quantity) }).collect();
    Ok(Json(add_requested(&state, &buyer, &id, requested).await?))
}

/// Set an item's quantity.
#[utoipa::path(
    patch, path = "/requisition-lists/{id}/items/{sku}", tag = "storefront",
    params(("id" = String, Path, description = "List id"), ("sku" = String, Path, description = "SKU")),
    security(("buyer_session" = [])),
    request_body = ItemPatch,
    responses((status = 200, body = ListDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "`requisition_list_not_found` or `requisition_list_item_not_found`", body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn set_item(buyer: SignedIn, State(state): State<AppState>, Path((id, sku)): Path<(String, String)>, body: LaterJson) -> ApiResult<Json<ListDetail>> {
    editable(&state, &buyer, &id).await?;
    let body: ItemPatch = body.parse()?;
    if !(1..=MAX_LINE_QUANTITY).contains(&body.quantity) {
        return Err(ApiError::invalid_field("quantity", format!("must be a whole number from 1 to {MAX_LINE_QUANTITY}")));
    }
    let lists = lists(&state, &buyer);
    lists.set_quantity(&id, &sku, body.quantity).await?;
    let list = lists.get(&id).await?.ok_or_else(|| ApiError::not_found("requisition list"))?;
    Ok(Json(detail(&state, &buyer, &list).await?))
}

/// Remove an item.
#[utoipa::path(
    delete, path = "/requisition-lists/{id}/items/{sku}", tag = "storefront",
    params(("id" = String, Path, description = "List id"), ("sku" = String, Path, description = "SKU")),
    security(("buyer_session" = [])),
    responses((status = 200, body = ListDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn remove_item(buyer: SignedIn, State(state): State<AppState>, Path((id, sku)): Path<(String, String)>) -> ApiResult<Json<ListDetail>> {
    editable(&state, &buyer, &id).await?;
    let lists = lists(&state, &buyer);
    if lists.remove(&id, &[sku]).await? == 0 {
        return Err(ApiError::not_found("requisition list item"));
    }
    let list = lists.get(&id).await?.ok_or_else(|| ApiError::not_found("requisition list"))?;
    Ok(Json(detail(&state, &buyer, &list).await?))
}

async fn transfer(state: &AppState, buyer: &SignedIn, id: &str, body: LaterJson, take: bool) -> ApiResult<ListDetail> {
    editable(state, buyer, id).await?;
    let body: TransferIn = body.parse()?;
    editable(state, buyer, &body.to).await?;
    if body.to == id {
        return Err(ApiError::invalid_field("to", "must be another list"));
    }
    let lists = lists(state, buyer);
    lists.transfer(id, &body.to, &body.skus, take).await?;
    let list = lists.get(&body.to).await?.ok_or_else(|| ApiError::not_found("requisition list"))?;
    detail(state, buyer, &list).await
}

/// Move items to another list (quantities add up there); answers the target list.
#[utoipa::path(
    post, path = "/requisition-lists/{id}/items/move", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    request_body = TransferIn,
    responses((status = 200, body = ListDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn move_items(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<ListDetail>> {
    Ok(Json(transfer(&state, &buyer, &id, body, true).await?))
}

/// Copy items to another list (quantities add up there); answers the target list.
#[utoipa::path(
    post, path = "/requisition-lists/{id}/items/copy", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    request_body = TransferIn,
    responses((status = 200, body = ListDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
async fn copy_items(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<ListDetail>> {
    Ok(Json(transfer(&state, &buyer, &id, body, false).await?))
}

/// Add the list's items (or the selected SKUs) to the cart; each line answers as in quick
/// order. Anyone who can see the list may do this; the list itself is not changed.
#[utoipa::path(
    post, path = "/requisition-lists/{id}/add-to-cart", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    request_body = ToCartIn,
    responses((status = 200, body = QuickOrderOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn list_to_cart(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<QuickOrderOut>> {
    buyer.permissions.check(&REQUISITION_LISTS)?;
    buyer.require_active_company()?;
    let body: ToCartIn = body.parse()?;
    let lists = lists(&state, &buyer);
    lists.get(&id).await?.ok_or_else(|| ApiError::not_found("requisition list"))?;
    let items = lists.items(&id).await?;
    let selected: Vec<ListItem> = match &body.skus {
        None => items,
        Some(skus) => {
            if let Some(missing) = skus.iter().find(|s| !items.iter().any(|i| &i.sku == *s)) {
                return Err(ApiError::invalid_field("skus", format!("{missing} is not on the list")));
            }
            items.into_iter().filter(|i| skus.contains(&i.sku)).collect()
        }
    };
    let requested = selected.into_iter().enumerate().map(|(i, item)| Requested { line: i + 1, sku: item.sku, quantity: Some(item.quantity) }).collect();
    Ok(Json(add_to_cart(&state, &buyer, requested).await?))
}

/// The list as CSV (`sku,qty`, the format quick order reads).
#[utoipa::path(
    get, path = "/requisition-lists/{id}/export", tag = "storefront",
    params(("id" = String, Path, description = "List id")),
    security(("buyer_session" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn export_list(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Response> {
    buyer.permissions.check(&REQUISITION_LISTS)?;
    let lists = lists(&state, &buyer);
    let list = lists.get(&id).await?.ok_or_else(|| ApiError::not_found("requisition list"))?;
    let mut csv = String::from("sku,qty\n");
    for item in lists.items(&id).await? {
        // SKUs are letters, digits, '-', '_' and '.': nothing to quote.
        csv += &format!("{},{}\n", item.sku, item.quantity);
    }
    let file = format!("attachment; filename=\"{}.csv\"", list.id);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, file)], csv).into_response())
}
