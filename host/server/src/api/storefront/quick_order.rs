//! Quick order: many SKUs at once, as JSON or as Magento's `sku,qty` CSV (up to 10,000 lines).
//! Adds what it can in one transaction and answers line by line, in input order.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use hanse_domain::ordering::LineOutcome;
use serde_json::{Value, json};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{SignedIn, parse_json};
use crate::ordering::Orderable;
use crate::ordering::csv::{self, MAX_LINES, Requested};
use crate::state::AppState;
use crate::wire::cart::{LineOutcomeOut, QuickOrderIn, QuickOrderOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(quick_order))
}

/// The requested lines of a body, by its content type.
pub(super) fn requested(headers: &HeaderMap, body: &Bytes) -> ApiResult<Vec<Requested>> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/csv" | "application/csv" => csv::parse(body).map_err(|e| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_csv", format!("the CSV file cannot be read: {e}")).with_details(json!({ "line": e.line }))
        }),
        "application/json" => {
            let input: QuickOrderIn = parse_json(body)?;
            if input.items.len() > MAX_LINES {
                return Err(ApiError::invalid_field("items", format!("at most {MAX_LINES} lines per quick order")));
            }
            Ok(input
                .items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    let quantity = match &item.quantity {
                        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 1e15).map(|f| f as i64)),
                        Value::String(s) => csv::quantity(s),
                        _ => None,
                    };
                    Requested { line: i + 1, sku: item.sku.trim().to_owned(), quantity }
                })
                .collect())
        }
        _ => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send `Content-Type: text/csv` with a `sku,qty` header, or `application/json` with `{\"items\":[{\"sku\",\"quantity\"}]}`",
        )),
    }
}

/// Add many SKUs to the cart at once. Each line answers `added` or why not: `failed_sku` (no
/// such product in your catalog), `failed_permissions` (shown but not for sale to your
/// company), `failed_disabled`, `failed_qty_invalid`, `failed_qty_increment`,
/// `failed_qty_range`, `failed_out_of_stock`. A SKU given twice adds up, and the cart's own
/// quantity counts towards the limits. A malformed CSV (no `sku,qty` header, bad encoding, a
/// wrong number of fields) is refused whole with the line named.
#[utoipa::path(
    post, path = "/quick-order", tag = "storefront",
    security(("buyer_session" = [])),
    request_body(content(
        (QuickOrderIn = "application/json"),
        (String = "text/csv", example = "sku,qty\nBOLT-M8,100\nNUT-M8,100\n"),
    )),
    responses(
        (status = 200, body = QuickOrderOut),
        (status = 400, description = "Malformed CSV (`invalid_csv`, details name the line) or JSON (`malformed_json`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`company_blocked`", body = ErrorBody),
        (status = 415, description = "Neither CSV nor JSON (`unsupported_media_type`)", body = ErrorBody),
        (status = 422, description = "More than 10,000 lines or a bad JSON shape (`validation_failed`)", body = ErrorBody),
    )
)]
async fn quick_order(buyer: SignedIn, State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult<Json<QuickOrderOut>> {
    buyer.require_active_company()?;
    let requested = requested(&headers, &body)?;
    Ok(Json(add_to_cart(&state, &buyer, requested).await?))
}

/// Adds requested lines to the buyer's cart, answering each line's outcome in input order.
pub(super) async fn add_to_cart(state: &AppState, buyer: &SignedIn, requested: Vec<Requested>) -> ApiResult<QuickOrderOut> {
    let audience = buyer.audience.clone();
    let skus: Vec<&str> = requested.iter().map(|r| r.sku.as_str()).collect();
    let orderable = Orderable::load(state.store(), &buyer.tenant, &audience, &skus).await?;
    // Refusals that do not depend on the cart first; the rest go to the cart, which checks each
    // line's resulting quantity in its own transaction.
    let mut outcomes: Vec<Option<LineOutcome>> = requested
        .iter()
        .map(|r| match (orderable.check_product(&r.sku), r.quantity) {
            (Err(outcome), _) => Some(outcome),
            (Ok(_), None) => Some(LineOutcome::FailedQtyInvalid),
            (Ok(_), Some(q)) if q < 1 => Some(LineOutcome::FailedQtyInvalid),
            (Ok(_), Some(_)) => None,
        })
        .collect();
    let to_add: Vec<(usize, (String, i64))> = requested
        .iter()
        .zip(&outcomes)
        .enumerate()
        .filter(|(_, (_, outcome))| outcome.is_none())
        .map(|(i, (r, _))| (i, (r.sku.clone(), r.quantity.unwrap_or(0))))
        .collect();
    let lines: Vec<(String, i64)> = to_add.iter().map(|(_, line)| line.clone()).collect();
    let cart = state.store().cart(&buyer.tenant.id, &buyer.buyer.id, &buyer.membership.company_id);
    let added = cart.add(&lines, |sku, total| orderable.check(sku, total).map(|_| ())).await?;
    for ((i, _), result) in to_add.iter().zip(added) {
        outcomes[*i] = Some(result.err().unwrap_or(LineOutcome::Added));
    }
    Ok(outcome_report(&orderable, requested, outcomes))
}

/// The per-line answer; a line without an outcome counts as `failed_sku`.
pub(super) fn outcome_report(orderable: &Orderable, requested: Vec<Requested>, outcomes: Vec<Option<LineOutcome>>) -> QuickOrderOut {
    let lines: Vec<LineOutcomeOut> = requested
        .into_iter()
        .zip(outcomes)
        .map(|(r, outcome)| {
            let outcome = outcome.unwrap_or(LineOutcome::FailedSku);
            LineOutcomeOut { line: r.line, message: orderable.explain(&r.sku, outcome), sku: r.sku, quantity: r.quantity, outcome: outcome.as_str().to_owned() }
        })
        .collect();
    let added = lines.iter().filter(|l| l.outcome == LineOutcome::Added.as_str()).count();
    QuickOrderOut { failed: lines.len() - added, added, lines }
}
