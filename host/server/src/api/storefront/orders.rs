//! The buyer's order history, scoped by permission: their own orders (`sales.view_orders`),
//! their subordinates' too (`sales.view_orders.subordinates`), or the whole company's (the
//! company admin); an order's detail, its credit memos; and reorder.

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::company::permission::{SALES_VIEW_ORDERS, SALES_VIEW_ORDERS_SUBORDINATES};
use hanse_domain::ordering::LineOutcome;
use hanse_store::{Order, OrderFilter};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::admin::order_page;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{QueryParams, SignedIn};
use crate::ordering::Orderable;
use crate::state::AppState;
use crate::wire::cart::{LineOutcomeOut, QuickOrderOut};
use crate::wire::order::{CreditMemoOut, CreditMemosOut, OrderOut, OrderPage, OrderQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_orders)).routes(routes!(get_order)).routes(routes!(list_refunds)).routes(routes!(reorder))
}

/// The buyers whose orders `buyer` may see: `None` for the whole company.
async fn visible_buyers(state: &AppState, buyer: &SignedIn) -> ApiResult<Option<Vec<String>>> {
    buyer.permissions.check(&SALES_VIEW_ORDERS)?;
    if buyer.membership.is_admin {
        return Ok(None);
    }
    let mut ids = vec![buyer.buyer.id.clone()];
    if buyer.permissions.allows(&SALES_VIEW_ORDERS_SUBORDINATES) {
        ids.extend(state.store().company_structure(&buyer.tenant.id, &buyer.membership.company_id).subordinates(&buyer.buyer.id).await?);
    }
    Ok(Some(ids))
}

/// An order of the buyer's company that the buyer may see; 404 otherwise.
async fn visible_order(state: &AppState, buyer: &SignedIn, id: &str) -> ApiResult<hanse_store::OrderDetail> {
    let buyers = visible_buyers(state, buyer).await?;
    let detail = state.store().orders(&buyer.tenant.id).detail(id).await?;
    let order = &detail.order;
    let visible = order.company_id == buyer.membership.company_id && buyers.is_none_or(|ids| ids.contains(&order.buyer_id));
    if visible { Ok(detail) } else { Err(ApiError::not_found("order")) }
}

/// Orders the buyer may see in the current company, newest first.
#[utoipa::path(
    get, path = "/orders", tag = "storefront",
    params(OrderQuery),
    security(("buyer_session" = [])),
    responses((status = 200, body = OrderPage), (status = 401, body = ErrorBody), (status = 403, description = "`permission_denied` (`sales.view_orders`)", body = ErrorBody))
)]
async fn list_orders(buyer: SignedIn, State(state): State<AppState>, QueryParams(mut query): QueryParams<OrderQuery>) -> ApiResult<Json<OrderPage>> {
    let buyer_ids = visible_buyers(&state, &buyer).await?;
    query.company_id = None;
    let filter = OrderFilter { company_id: Some(buyer.membership.company_id.clone()), buyer_ids, ..OrderFilter::default() };
    Ok(Json(order_page(&state, &buyer.tenant, filter, &query).await?))
}

/// An order the buyer may see, with its history, shipments and invoice.
#[utoipa::path(
    get, path = "/orders/{id}", tag = "storefront",
    params(("id" = String, Path, description = "Order id")),
    security(("buyer_session" = [])),
    responses((status = 200, body = OrderOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn get_order(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<OrderOut>> {
    Ok(Json(OrderOut::from(&visible_order(&state, &buyer, &id).await?).for_buyer()))
}

/// The credit memos of an order the buyer may see, oldest first (Magento's "Refunds" tab):
/// what each gave back, line by line, and where the money went.
#[utoipa::path(
    get, path = "/orders/{id}/refunds", tag = "storefront",
    params(("id" = String, Path, description = "Order id")),
    security(("buyer_session" = [])),
    responses((status = 200, body = CreditMemosOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn list_refunds(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CreditMemosOut>> {
    let order = visible_order(&state, &buyer, &id).await?.order;
    let memos = state.store().orders(&buyer.tenant.id).credit_memos(&order.id).await?;
    Ok(Json(CreditMemosOut { credit_memos: memos.iter().map(CreditMemoOut::from).collect() }))
}

/// Copy an order's lines into the cart, each with a quick-order outcome code: products no
/// longer in the buyer's catalog, disabled, unbuyable or out of stock are left out and said so.
#[utoipa::path(
    post, path = "/orders/{id}/reorder", tag = "storefront",
    params(("id" = String, Path, description = "Order id")),
    security(("buyer_session" = [])),
    responses((status = 200, body = QuickOrderOut), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
async fn reorder(buyer: SignedIn, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<QuickOrderOut>> {
    buyer.require_active_company()?;
    let order: Order = visible_order(&state, &buyer, &id).await?.order;
    let audience = buyer.audience.clone();
    let skus: Vec<&str> = order.lines.iter().map(|l| l.sku.as_str()).collect();
    let orderable = Orderable::load(state.store(), &buyer.tenant, &audience, &skus).await?;
    let cart = state.store().cart(&buyer.tenant.id, &buyer.buyer.id, &buyer.membership.company_id);
    let wanted: Vec<(String, i64)> = order.lines.iter().map(|l| (l.sku.clone(), l.quantity)).collect();
    let outcomes = cart.add(&wanted, |sku, total| orderable.check(sku, total).map(|_| ())).await?;
    let lines: Vec<LineOutcomeOut> = order
        .lines
        .iter()
        .zip(outcomes)
        .enumerate()
        .map(|(i, (line, outcome))| {
            let outcome = outcome.err().unwrap_or(LineOutcome::Added);
            LineOutcomeOut {
                line: i + 1,
                sku: line.sku.clone(),
                quantity: Some(line.quantity),
                outcome: outcome.as_str().to_owned(),
                message: orderable.explain(&line.sku, outcome),
            }
        })
        .collect();
    let added = lines.iter().filter(|l| l.outcome == LineOutcome::Added.as_str()).count();
    Ok(Json(QuickOrderOut { failed: lines.len() - added, added, lines }))
}
