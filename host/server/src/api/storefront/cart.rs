//! The cart: one per buyer per company, priced live through the whole pipeline on every read.
//! A line whose product became hidden, disabled, unbuyable or unpriceable stays, flagged.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use hanse_domain::ordering::{LineOutcome, MAX_LINE_QUANTITY};
use hanse_store::{Audience, Product};
use rust_decimal::Decimal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{LaterJson, SignedIn};
use crate::ordering::Orderable;
use crate::plugins::pricing::price_with_entries;
use crate::state::AppState;
use crate::wire::cart::{CartItemIn, CartItemPatch, CartLineOut, CartOut, PricingErrorOut};
use crate::wire::plugin::{StepOut, fixed4};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_cart, clear_cart)).routes(routes!(add_item)).routes(routes!(set_item, remove_item))
}

/// The wire name of a cart line's problem.
fn problem(outcome: LineOutcome) -> &'static str {
    match outcome {
        LineOutcome::Added => "none",
        LineOutcome::FailedSku => "unavailable",
        LineOutcome::FailedDisabled => "disabled",
        LineOutcome::FailedPermissions => "not_purchasable",
        LineOutcome::FailedQtyInvalid => "quantity_invalid",
        LineOutcome::FailedQtyIncrement => "quantity_increment",
        LineOutcome::FailedQtyRange => "quantity_range",
        LineOutcome::FailedOutOfStock => "out_of_stock",
    }
}

/// The cart of `buyer`, priced.
pub(super) async fn cart_view(state: &AppState, buyer: &SignedIn, audience: &Audience) -> ApiResult<CartOut> {
    let tenant = &buyer.tenant;
    let items = state.store().cart(&tenant.id, &buyer.buyer.id, &buyer.membership.company_id).items().await?;
    let skus: Vec<&str> = items.iter().map(|i| i.sku.as_str()).collect();
    // The products and the price-list entries for them are read at once.
    let entries = async { Ok::<_, ApiError>(state.store().price_lists(&tenant.id).entries_for(audience, &skus).await?) };
    let (orderable, entries) = tokio::try_join!(Orderable::load(state.store(), tenant, audience, &skus), entries)?;
    // Lines whose product the buyer can still see and buy are priced, whatever their quantity.
    let priceable: Vec<(&Product, i64)> =
        items.iter().filter_map(|item| orderable.check_product(&item.sku).ok().map(|p| (p, item.quantity))).collect();
    let (priced, pricing_error) = match price_with_entries(state.plugins(), state.store(), tenant, audience, &priceable, &entries).await {
        Ok(priced) => (priced, None),
        Err(error) if error.code() == "pricing_plugin_failed" => {
            (Vec::new(), Some(PricingErrorOut { code: error.code().to_owned(), message: error.message().to_owned() }))
        }
        Err(error) => return Err(error),
    };
    let priced: HashMap<&str, _> = priced.iter().map(|line| (line.sku.as_str(), line)).collect();
    let mut subtotal = Decimal::ZERO;
    let mut problems = 0;
    let lines = items
        .iter()
        .map(|item| {
            let checked = orderable.check(&item.sku, item.quantity);
            let line = priced.get(item.sku.as_str());
            let (problem, message) = match (checked, line) {
                (Err(outcome), _) => (Some(problem(outcome).to_owned()), Some(orderable.explain(&item.sku, outcome))),
                (Ok(_), None) => (Some("unpriceable".to_owned()), Some("the price cannot be worked out at the moment".to_owned())),
                (Ok(_), Some(line)) => {
                    subtotal += line.line_total;
                    (None, None)
                }
            };
            problems += usize::from(problem.is_some());
            CartLineOut {
                sku: item.sku.clone(),
                name: orderable.shown(&item.sku).map(|p| p.draft.name.clone()),
                quantity: item.quantity,
                unit_price: line.map(|l| fixed4(l.unit_price)),
                line_total: line.map(|l| tenant.currency.format(l.line_total)),
                explanation: line.map(|l| l.explanation.iter().map(StepOut::from).collect()).unwrap_or_default(),
                problem,
                message,
            }
        })
        .collect();
    Ok(CartOut {
        currency: tenant.currency.code().to_owned(),
        lines,
        subtotal: tenant.currency.format(subtotal),
        item_count: items.iter().map(|i| i.quantity).sum(),
        problems,
        pricing_error,
    })
}

/// The buyer's cart in the current company, priced live: list price, price lists, plugins.
#[utoipa::path(
    get, path = "/cart", tag = "storefront",
    security(("buyer_session" = [])),
    responses((status = 200, body = CartOut), (status = 401, body = ErrorBody))
)]
async fn get_cart(buyer: SignedIn, State(state): State<AppState>) -> ApiResult<Json<CartOut>> {
    let audience = buyer.audience.clone();
    Ok(Json(cart_view(&state, &buyer, &audience).await?))
}

/// Empty the cart.
#[utoipa::path(
    delete, path = "/cart", tag = "storefront",
    security(("buyer_session" = [])),
    responses((status = 200, body = CartOut), (status = 401, body = ErrorBody), (status = 403, description = "`company_blocked`", body = ErrorBody))
)]
async fn clear_cart(buyer: SignedIn, State(state): State<AppState>) -> ApiResult<Json<CartOut>> {
    buyer.require_active_company()?;
    state.store().cart(&buyer.tenant.id, &buyer.buyer.id, &buyer.membership.company_id).clear().await?;
    let audience = buyer.audience.clone();
    Ok(Json(cart_view(&state, &buyer, &audience).await?))
}

/// Add units of a SKU; a SKU already in the cart gets the units added to its line. The line's
/// resulting quantity must respect the product's sale quantities. More than is in stock is
/// kept and the line flagged `out_of_stock`: stock is promised when the order reserves it.
#[utoipa::path(
    post, path = "/cart/items", tag = "storefront",
    security(("buyer_session" = [])),
    request_body = CartItemIn,
    responses(
        (status = 200, body = CartOut),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`company_blocked`, or the catalog shows the product but the company cannot buy it (`not_purchasable`)", body = ErrorBody),
        (status = 404, description = "No such product in the buyer's catalog (`product_not_found`)", body = ErrorBody),
        (status = 409, description = "`product_disabled`", body = ErrorBody),
        (status = 422, description = "`quantity_invalid`, `quantity_range`, `quantity_increment`, or a bad body (`validation_failed`)", body = ErrorBody),
    )
)]
async fn add_item(buyer: SignedIn, State(state): State<AppState>, body: LaterJson) -> ApiResult<Json<CartOut>> {
    buyer.require_active_company()?;
    let body: CartItemIn = body.parse()?;
    let audience = buyer.audience.clone();
    let orderable = Orderable::load(state.store(), &buyer.tenant, &audience, &[body.sku.as_str()]).await?;
    orderable.check_product(&body.sku).map_err(|outcome| orderable.refusal(&body.sku, outcome))?;
    if !(1..=MAX_LINE_QUANTITY).contains(&body.quantity) {
        return Err(orderable.refusal(&body.sku, LineOutcome::FailedQtyInvalid));
    }
    let cart = state.store().cart(&buyer.tenant.id, &buyer.buyer.id, &buyer.membership.company_id);
    let outcome = cart.add(&[(body.sku.clone(), body.quantity)], |sku, total| orderable.check_sale(sku, total).map(|_| ())).await?;
    if let Some(Err(outcome)) = outcome.into_iter().next() {
        return Err(orderable.refusal(&body.sku, outcome));
    }
    Ok(Json(cart_view(&state, &buyer, &audience).await?))
}

/// Set a line's quantity.
#[utoipa::path(
    patch, path = "/cart/items/{sku}", tag = "storefront",
    params(("sku" = String, Path, description = "SKU of the line")),
    security(("buyer_session" = [])),
    request_body = CartItemPatch,
    responses(
        (status = 200, body = CartOut),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`company_blocked` or `not_purchasable`", body = ErrorBody),
        (status = 404, description = "Not in the cart (`cart_line_not_found`) or no longer in the catalog (`product_not_found`)", body = ErrorBody),
        (status = 409, description = "`product_disabled`", body = ErrorBody),
        (status = 422, description = "`quantity_invalid`, `quantity_range` or `quantity_increment`", body = ErrorBody),
    )
)]
async fn set_item(buyer: SignedIn, State(state): State<AppState>, Path(sku): Path<String>, body: LaterJson) -> ApiResult<Json<CartOut>> {
    buyer.require_active_company()?;
    let body: CartItemPatch = body.parse()?;
    let audience = buyer.audience.clone();
    let orderable = Orderable::load(state.store(), &buyer.tenant, &audience, &[sku.as_str()]).await?;
    let cart = state.store().cart(&buyer.tenant.id, &buyer.buyer.id, &buyer.membership.company_id);
    cart.set(&sku, body.quantity, |quantity| orderable.check_sale(&sku, quantity).map(|_| ()))
        .await?
        .map_err(|outcome| orderable.refusal(&sku, outcome))?;
    Ok(Json(cart_view(&state, &buyer, &audience).await?))
}

/// Remove a line.
#[utoipa::path(
    delete, path = "/cart/items/{sku}", tag = "storefront",
    params(("sku" = String, Path, description = "SKU of the line")),
    security(("buyer_session" = [])),
    responses(
        (status = 200, body = CartOut),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`company_blocked`", body = ErrorBody),
        (status = 404, description = "Not in the cart (`cart_line_not_found`)", body = ErrorBody),
    )
)]
async fn remove_item(buyer: SignedIn, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<Json<CartOut>> {
    buyer.require_active_company()?;
    state.store().cart(&buyer.tenant.id, &buyer.buyer.id, &buyer.membership.company_id).remove(&sku).await?;
    let audience = buyer.audience.clone();
    Ok(Json(cart_view(&state, &buyer, &audience).await?))
}
