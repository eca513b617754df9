//! Orders for the merchant: the list, an order with its history, and the moves of its
//! lifecycle (process, ship, complete, cancel, refund); invoices of orders on credit terms.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use hanse_domain::FieldErrors;
use hanse_domain::company::profile::parse_optional_text;
use hanse_domain::credit::{parse_amount, parse_signed_amount};
use hanse_domain::currency::Currency;
use hanse_domain::inventory::source::SourceCode;
use hanse_domain::order::{OrderStatus, RefundRequest};
use hanse_store::{OrderFilter, RefundInput, ShipLine, ShipmentInput};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody, LaterJson, QueryParams};
use crate::state::AppState;
use crate::wire::order::{
    CreditMemoOut, CreditMemosOut, InvoiceOut, InvoiceQuery, InvoicesOut, OrderActionIn, OrderOut, OrderPage, OrderQuery, RefundCreated, RefundIn, ShipmentCreated,
    ShipmentIn,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_orders))
        .routes(routes!(get_order))
        .routes(routes!(process_order))
        .routes(routes!(ship_order))
        .routes(routes!(complete_order))
        .routes(routes!(cancel_order))
        .routes(routes!(refund_order, list_refunds))
        .routes(routes!(list_invoices))
        .routes(routes!(pay_invoice))
}

/// Who acts for the merchant in order history.
const MERCHANT: &str = "merchant";

/// The page of orders `query` asks for, within `filter` (company or buyers already set).
pub async fn order_page(state: &AppState, tenant: &hanse_store::Tenant, mut filter: OrderFilter, query: &OrderQuery) -> ApiResult<OrderPage> {
    filter.status = query.status.as_deref().map(OrderStatus::parse).transpose().map_err(|e| ApiError::invalid_query(format!("status: {e}")))?;
    filter.before = query.before.clone();
    filter.limit = query.limit.unwrap_or(50).clamp(1, 200);
    let orders = state.store().orders(&tenant.id).list(&filter).await?;
    let next = (orders.len() as i64 == filter.limit).then(|| orders.last().map(|o| o.id.clone())).flatten();
    Ok(OrderPage { orders: orders.iter().map(OrderOut::from).collect(), next })
}

/// Orders, newest first.
#[utoipa::path(
    get, path = "/orders", tag = "admin",
    params(OrderQuery),
    responses((status = 200, body = OrderPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_orders(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, QueryParams(query): QueryParams<OrderQuery>) -> ApiResult<Json<OrderPage>> {
    let filter = OrderFilter { company_id: query.company_id.clone(), ..OrderFilter::default() };
    Ok(Json(order_page(&state, &tenant, filter, &query).await?))
}

/// An order with its history, shipments and invoice.
#[utoipa::path(
    get, path = "/orders/{id}", tag = "admin",
    params(("id" = String, Path, description = "Order id")),
    responses((status = 200, body = OrderOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_order(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<OrderOut>> {
    Ok(Json(OrderOut::from(&state.store().orders(&tenant.id).detail(&id).await?)))
}

fn comment(body: OrderActionIn) -> ApiResult<String> {
    let text = body.comment.unwrap_or_default();
    parse_optional_text(&text, 500).map_err(|e| ApiError::invalid_field("comment", e))
}

/// Start working on a pending order (`pending` → `processing`).
#[utoipa::path(
    post, path = "/orders/{id}/process", tag = "admin",
    params(("id" = String, Path, description = "Order id")),
    request_body(content = Option<OrderActionIn>),
    responses((status = 200, body = OrderOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`order_transition_refused`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn process_order(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<OrderOut>> {
    let comment = comment(body.parse_or_default()?)?;
    Ok(Json(OrderOut::from(&state.store().orders(&tenant.id).process(&id, MERCHANT, &comment).await?)))
}

/// Close a shipped order (`shipped` → `complete`).
#[utoipa::path(
    post, path = "/orders/{id}/complete", tag = "admin",
    params(("id" = String, Path, description = "Order id")),
    request_body(content = Option<OrderActionIn>),
    responses((status = 200, body = OrderOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`order_transition_refused`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn complete_order(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<OrderOut>> {
    let comment = comment(body.parse_or_default()?)?;
    Ok(Json(OrderOut::from(&state.store().orders(&tenant.id).complete(&id, MERCHANT, &comment).await?)))
}

/// Cancel an order nothing of which has shipped: its stock reservations are compensated,
/// credit paid on account is reverted, an open invoice is canceled, and `order.canceled` is
/// queued, all at once.
#[utoipa::path(
    post, path = "/orders/{id}/cancel", tag = "admin",
    params(("id" = String, Path, description = "Order id")),
    request_body(content = Option<OrderActionIn>),
    responses((status = 200, body = OrderOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`order_not_cancelable`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn cancel_order(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<Json<OrderOut>> {
    let comment = comment(body.parse_or_default()?)?;
    Ok(Json(OrderOut::from(&state.store().orders(&tenant.id).cancel(&id, MERCHANT, &comment).await?)))
}

/// Record a shipment of some or all of what is left: its units leave their sources (the
/// `source` named, else the enabled sources in priority order, each giving what it holds), and
/// so stock on hand, and their reservations are compensated; the answer says what came from
/// where. The order becomes `shipped` once every unit has shipped.
#[utoipa::path(
    post, path = "/orders/{id}/shipments", tag = "admin",
    params(("id" = String, Path, description = "Order id")),
    request_body = ShipmentIn,
    responses(
        (status = 201, body = ShipmentCreated),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`shipment_quantity_invalid`, `insufficient_stock` (the sources do not hold the units), `source_disabled` or `order_transition_refused`", body = ErrorBody),
        (status = 422, description = "`unknown_source`, `validation_failed`", body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn ship_order(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ShipmentIn>,
) -> ApiResult<(StatusCode, Json<ShipmentCreated>)> {
    let carrier = hanse_domain::tenant::parse_name(&body.carrier, 100).map_err(|e| ApiError::invalid_field("carrier", e))?;
    let tracking = parse_optional_text(body.tracking.as_deref().unwrap_or(""), 100).map_err(|e| ApiError::invalid_field("tracking", e))?;
    let source = body.source.as_deref().map(SourceCode::parse).transpose().map_err(|e| ApiError::invalid_field("source", e))?;
    let input = ShipmentInput {
        carrier,
        tracking,
        lines: body.lines.map(|lines| lines.into_iter().map(|l| ShipLine { sku: l.sku, quantity: l.quantity }).collect()),
        source: source.map(|code| code.to_string()),
    };
    let (order, shipment) = state.store().orders(&tenant.id).ship(&id, &input, MERCHANT).await?;
    Ok((StatusCode::CREATED, Json(ShipmentCreated { shipment_id: shipment.id.clone(), shipment: (&shipment).into(), order: OrderOut::from(&order) })))
}

/// Parses a refund: each refused field is named at once.
fn refund_input(body: RefundIn, currency: Currency) -> ApiResult<RefundInput> {
    let mut errors = FieldErrors::new();
    let lines = body.lines.map(|lines| {
        let mut seen = std::collections::HashSet::new();
        for (i, line) in lines.iter().enumerate() {
            if line.quantity < 1 {
                errors.add(format!("lines[{i}].quantity"), "must be a whole number from 1");
            }
            if !seen.insert(line.sku.as_str()) {
                errors.add(format!("lines[{i}].sku"), format!("{} is named twice", line.sku));
            }
        }
        drop(seen);
        lines.into_iter().map(|l| (l.sku, l.quantity)).collect::<Vec<_>>()
    });
    let shipping = body.shipping.map(|s| errors.check("shipping", parse_amount(&s, currency)));
    let adjustment = errors.check("adjustment", parse_signed_amount(body.adjustment.as_deref().unwrap_or("0"), currency));
    let comment = errors.check("comment", parse_optional_text(body.comment.as_deref().unwrap_or(""), 500));
    let input = errors.finish(|| {
        Some(RefundInput {
            request: RefundRequest {
                lines,
                shipping: match shipping {
                    Some(parsed) => Some(parsed?),
                    None => None,
                },
                adjustment: adjustment?,
            },
            return_to_stock: body.return_to_stock.unwrap_or(false),
            comment: comment?,
        })
    })?;
    Ok(input)
}

/// Refund part or all of an order with a credit memo (Magento's). Units not shipped yet give
/// their stock reservation back; shipped units return to stock on hand with
/// `return_to_stock`; the money goes back to the company's credit (payment on account,
/// history `refunded`), comes off the open invoice (net terms), or is settled outside Hanse
/// (a paid invoice, a plugin's payment), as the memo's `settlement` says. Without `lines`
/// everything not refunded yet is, shipping included. The refund that leaves nothing to refund
/// closes the order. `order.refunded` is queued with it.
#[utoipa::path(
    post, path = "/orders/{id}/refunds", tag = "admin",
    params(("id" = String, Path, description = "Order id")),
    request_body(content = Option<RefundIn>),
    responses(
        (status = 201, body = RefundCreated),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`order_not_refundable` (canceled or closed)", body = ErrorBody),
        (status = 422, description = "`refund_exceeds_order` (more units, shipping or money than is left), `refund_invalid` (nothing to refund, an adjustment fee beyond it), `unknown_sku`, `validation_failed`", body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn refund_order(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, body: LaterJson) -> ApiResult<(StatusCode, Json<RefundCreated>)> {
    let input = refund_input(body.parse_or_default()?, tenant.currency)?;
    let (order, memo) = state.store().orders(&tenant.id).refund(&id, &input, MERCHANT).await?;
    Ok((StatusCode::CREATED, Json(RefundCreated { credit_memo: CreditMemoOut::from(&memo), order: OrderOut::from(&order) })))
}

/// An order's credit memos, oldest first.
#[utoipa::path(
    get, path = "/orders/{id}/refunds", tag = "admin",
    params(("id" = String, Path, description = "Order id")),
    responses((status = 200, body = CreditMemosOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_refunds(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CreditMemosOut>> {
    let memos = state.store().orders(&tenant.id).credit_memos(&id).await?;
    Ok(Json(CreditMemosOut { credit_memos: memos.iter().map(CreditMemoOut::from).collect() }))
}

/// Invoices of orders on credit terms, by due date; `overdue=true` lists the open ones past due.
#[utoipa::path(
    get, path = "/invoices", tag = "admin",
    params(InvoiceQuery),
    responses((status = 200, body = InvoicesOut), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn list_invoices(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, QueryParams(query): QueryParams<InvoiceQuery>) -> ApiResult<Json<InvoicesOut>> {
    let now = hanse_store::now();
    let due_before = query.overdue.unwrap_or(false).then_some(now);
    let invoices = state.store().orders(&tenant.id).invoices(due_before, query.company_id.as_deref()).await?;
    Ok(Json(InvoicesOut { invoices: invoices.iter().map(|i| InvoiceOut::new(i, now)).collect() }))
}

/// Mark an open invoice paid.
#[utoipa::path(
    post, path = "/invoices/{id}/pay", tag = "admin",
    params(("id" = String, Path, description = "Invoice id")),
    responses((status = 200, body = InvoiceOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "`invoice_not_open`", body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn pay_invoice(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<InvoiceOut>> {
    let invoice = state.store().orders(&tenant.id).pay_invoice(&id, MERCHANT).await?;
    Ok(Json(InvoiceOut::new(&invoice, hanse_store::now())))
}
