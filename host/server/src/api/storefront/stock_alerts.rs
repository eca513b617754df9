//! "Tell me when it is back": a buyer subscribes to a product that cannot be ordered now and is
//! told by e-mail (through the outbox) once it is salable again.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::admin::sku_in_path;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::SignedIn;
use crate::ordering::Orderable;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(subscribe))
}

/// Subscribe the buyer's e-mail address to a product coming back in stock. The message
/// (`stock.back_in_stock`) is queued once, when its salable quantity rises above zero; asking
/// again before then changes nothing.
#[utoipa::path(
    post, path = "/products/{sku}/stock-alert", tag = "storefront",
    params(("sku" = String, Path, description = "SKU")),
    security(("buyer_session" = [])),
    responses(
        (status = 204, description = "Subscribed"),
        (status = 401, body = ErrorBody),
        (status = 404, description = "Not in the buyer's catalog (`product_not_found`)", body = ErrorBody),
    )
)]
async fn subscribe(buyer: SignedIn, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<StatusCode> {
    let parsed = sku_in_path(&sku)?;
    let audience = buyer.audience.clone();
    let orderable = Orderable::load(state.store(), &buyer.tenant, &audience, &[parsed.as_str()]).await?;
    if orderable.shown(parsed.as_str()).is_none() {
        return Err(ApiError::not_found("product"));
    }
    state.store().stock(&buyer.tenant.id).subscribe(&parsed, &buyer.buyer.email).await?;
    Ok(StatusCode::NO_CONTENT)
}
