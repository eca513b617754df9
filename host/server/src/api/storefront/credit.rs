//! The company's credit as its buyers see it: the line (`credit`) and its history
//! (`credit.history`).

use axum::Json;
use axum::extract::State;
use hanse_domain::company::permission::{CREDIT, CREDIT_HISTORY};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::admin::history_page;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{QueryParams, SignedIn};
use crate::state::AppState;
use crate::wire::credit::{CreditHistoryOut, CreditOut, HistoryQuery};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_credit)).routes(routes!(credit_history))
}

/// The company's credit line: limit, balance and available credit.
#[utoipa::path(
    get, path = "/company/credit", tag = "storefront",
    security(("buyer_session" = [])),
    responses((status = 200, body = CreditOut), (status = 401, body = ErrorBody), (status = 403, description = "`permission_denied` (`credit`)", body = ErrorBody))
)]
async fn get_credit(buyer: SignedIn, State(state): State<AppState>) -> ApiResult<Json<CreditOut>> {
    buyer.permissions.check(&CREDIT)?;
    let company = &buyer.membership.company_id;
    let account = state.store().credit(&buyer.tenant.id, company).get().await?;
    Ok(Json(CreditOut::new(company, account.as_ref(), buyer.tenant.currency)))
}

/// The company's credit history, newest first.
#[utoipa::path(
    get, path = "/company/credit/history", tag = "storefront",
    params(HistoryQuery),
    security(("buyer_session" = [])),
    responses((status = 200, body = CreditHistoryOut), (status = 401, body = ErrorBody), (status = 403, description = "`permission_denied` (`credit.history`)", body = ErrorBody))
)]
async fn credit_history(buyer: SignedIn, State(state): State<AppState>, QueryParams(query): QueryParams<HistoryQuery>) -> ApiResult<Json<CreditHistoryOut>> {
    buyer.permissions.check(&CREDIT_HISTORY)?;
    Ok(Json(history_page(&state, &buyer.tenant, &buyer.membership.company_id, &query).await?))
}
