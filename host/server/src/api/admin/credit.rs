//! Company credit for the merchant: the credit line, reimbursements, and the history.

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::FieldErrors;
use hanse_domain::company::profile::parse_optional_text;
use hanse_domain::credit::{parse_amount, parse_signed_amount};
use hanse_store::{CreditChange, CreditNote};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody, QueryParams};
use crate::state::AppState;
use crate::wire::credit::{CreditEntryOut, CreditHistoryOut, CreditIn, CreditOut, HistoryQuery, ReimbursementIn};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_credit, set_credit)).routes(routes!(reimburse)).routes(routes!(credit_history))
}

/// Who acts for the merchant in credit history.
const MERCHANT: &str = "merchant";

/// A company's credit line (`"enabled": false` when it has none).
#[utoipa::path(
    get, path = "/companies/{id}/credit", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    responses((status = 200, body = CreditOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_credit(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<CreditOut>> {
    let account = state.store().credit(&tenant.id, &id).get().await?;
    Ok(Json(CreditOut::new(&id, account.as_ref(), tenant.currency)))
}

/// Set a company's credit limit or allow-exceed flag. The first call allocates the credit line
/// (history `allocated`); later ones are `updated`. Absent fields keep their value.
#[utoipa::path(
    put, path = "/companies/{id}/credit", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    request_body = CreditIn,
    responses((status = 200, body = CreditOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn set_credit(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<CreditIn>) -> ApiResult<Json<CreditOut>> {
    let mut errors = FieldErrors::new();
    let limit = body.limit.as_ref().and_then(|l| errors.check("limit", parse_amount(&l.0, tenant.currency)));
    let comment = errors.check("comment", parse_optional_text(body.comment.as_deref().unwrap_or(""), 500));
    let change = errors.finish(|| Some(CreditChange { limit, allow_exceed: body.allow_exceed, comment: comment? }))?;
    let account = state.store().credit(&tenant.id, &id).set(&change, tenant.currency.code(), MERCHANT).await?;
    Ok(Json(CreditOut::new(&id, Some(&account), tenant.currency)))
}

/// Record a payment received from the company (Magento's "Reimburse Balance"): the balance
/// goes up by `amount`; a negative amount corrects an earlier one.
#[utoipa::path(
    post, path = "/companies/{id}/credit/reimbursements", tag = "admin",
    params(("id" = String, Path, description = "Company id")),
    request_body = ReimbursementIn,
    responses(
        (status = 200, body = CreditOut),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`no_credit_line`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn reimburse(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(id): Path<String>, JsonBody(body): JsonBody<ReimbursementIn>) -> ApiResult<Json<CreditOut>> {
    let mut errors = FieldErrors::new();
    let amount = errors.check("amount", parse_signed_amount(&body.amount.0, tenant.currency));
    let reference = errors.check("reference", parse_optional_text(body.reference.as_deref().unwrap_or(""), 64));
    let comment = errors.check("comment", parse_optional_text(body.comment.as_deref().unwrap_or(""), 500));
    let (amount, reference, comment) = errors.finish(|| Some((amount?, reference?, comment?)))?;
    let note = CreditNote { actor: MERCHANT, order_id: None, reference: &reference, comment: &comment };
    let account = state.store().credit(&tenant.id, &id).reimburse(amount, note).await?;
    Ok(Json(CreditOut::new(&id, Some(&account), tenant.currency)))
}

/// A company's credit history, newest first.
#[utoipa::path(
    get, path = "/companies/{id}/credit/history", tag = "admin",
    params(("id" = String, Path, description = "Company id"), HistoryQuery),
    responses((status = 200, body = CreditHistoryOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn credit_history(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(id): Path<String>,
    QueryParams(query): QueryParams<HistoryQuery>,
) -> ApiResult<Json<CreditHistoryOut>> {
    Ok(Json(history_page(&state, &tenant, &id, &query).await?))
}

/// A page of `company`'s credit history.
pub async fn history_page(state: &AppState, tenant: &hanse_store::Tenant, company: &str, query: &HistoryQuery) -> ApiResult<CreditHistoryOut> {
    let limit = query.limit.unwrap_or(50).clamp(1, 200);
    let entries = state.store().credit(&tenant.id, company).history(limit, query.before.as_deref()).await?;
    let next = (entries.len() as i64 == limit).then(|| entries.last().map(|e| e.id.clone())).flatten();
    Ok(CreditHistoryOut { entries: entries.iter().map(|e| CreditEntryOut::new(e, tenant.currency)).collect(), next })
}
