//! Placing an order from the buyer's cart, exactly once per idempotency key.
//!
//! Everything that can be worked out without writing is worked out first: the priced cart,
//! the destination, the chosen shipping rate, tax and totals, the chosen payment method. Then
//! one store transaction claims the key, reserves the stock and charges the credit; the payment
//! counts as authorized inside it (asked before it opens, and again inside when the credit
//! changed meanwhile), so a plugin that traps or declines leaves nothing behind; and the order
//! is written and committed.

use axum::http::StatusCode;
use hanse_domain::company::permission::{SALES_PAYMENT_ACCOUNT, SALES_PLACE_ORDER};
use hanse_domain::credit::format_amount;
use hanse_domain::order::Totals;
use hanse_domain::tax::rate_for;
use hanse_store::{Begun, NewLine, NewOrder, Order, OrderAddress, Refusal};
use rust_decimal::Decimal;
use serde_json::json;

use super::payment::{self, MethodKind, ON_ACCOUNT, OfferedMethod, Payable};
use super::quote::{Quote, quote};
use super::shipping::{OfferedRate, rates, units};
use super::address;
use crate::error::{ApiError, ApiResult};
use crate::extract::SignedIn;
use crate::state::AppState;
use crate::wire::checkout::CheckoutIn;

/// An order placed now, or the one an earlier request with the same key placed.
pub struct Placed {
    /// The order.
    pub order: Order,
    /// Whether it was placed by an earlier request with the same key.
    pub replayed: bool,
}

/// A checked `Idempotency-Key`: 1 to 255 visible ASCII characters.
pub fn idempotency_key(header: Option<&str>) -> ApiResult<Option<String>> {
    match header {
        None => Ok(None),
        Some(key) if !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(key.to_owned())),
        Some(_) => Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 visible ASCII characters")),
    }
}

/// The priced order to be: cart, destination, rate, tax and totals.
pub struct Draft {
    /// The priced cart.
    pub quote: Quote,
    /// Where it goes.
    pub destination: OrderAddress,
    /// Every rate offered for it.
    pub rates: Vec<OfferedRate>,
    /// The rate chosen, if any.
    pub rate: Option<OfferedRate>,
    /// Totals with that rate.
    pub totals: Totals,
}

/// Prices the cart to `destination` with the rate `shipping_method` (none: no shipping yet).
pub async fn draft(state: &AppState, buyer: &SignedIn, destination: OrderAddress, shipping_method: Option<&str>) -> ApiResult<Draft> {
    let tenant = &buyer.tenant;
    let at = hanse_store::now();
    let quote = quote(state, buyer).await?;
    let (offered, tax_rates) = tokio::try_join!(rates(state, buyer, &quote, &destination, at), async {
        Ok::<_, ApiError>(state.store().tax_rates(&tenant.id).list().await?)
    })?;
    let rate = match shipping_method {
        None => None,
        Some(code) => Some(offered.iter().find(|r| r.code == code).cloned().ok_or_else(|| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "shipping_method_unavailable", format!("shipping method {code:?} is not offered for this cart and address"))
                .with_details(json!({ "offered": offered.iter().map(|r| r.code.as_str()).collect::<Vec<_>>() }))
        })?),
    };
    let tax = rate_for(&tax_rates, &destination.country, &destination.region);
    let line_totals: Vec<Decimal> = quote.lines.iter().map(|l| l.priced.line_total).collect();
    let totals = Totals::compute(
        &line_totals,
        rate.as_ref().map_or(Decimal::ZERO, |r| r.amount),
        tax.map_or(Decimal::ZERO, |t| t.percent.to_decimal()),
        tax.is_some_and(|t| t.shipping),
        tenant.currency,
    );
    Ok(Draft { quote, destination, rates: offered, rate, totals })
}

/// The company's available credit, when it has a credit line.
pub async fn available_credit(state: &AppState, buyer: &SignedIn) -> ApiResult<Option<i64>> {
    Ok(state.store().credit(&buyer.tenant.id, &buyer.membership.company_id).line().await?.map(|a| a.line.available()))
}

/// Places the order `body` describes from the buyer's cart.
pub async fn place(state: &AppState, buyer: &SignedIn, body: &CheckoutIn, key: Option<String>, request_hash: String) -> ApiResult<Placed> {
    let orders = state.store().orders(&buyer.tenant.id);
    let Some(key) = key else { return place_once(state, buyer, body, None, request_hash).await };
    // No look-up of the key first: most requests are first attempts, and a retry is answered
    // either by the key's unique index when the order is written, or below.
    match place_once(state, buyer, body, Some(key.clone()), request_hash.clone()).await {
        // The order with this key was placed by an earlier or concurrent request, and this one
        // found the cart it ordered empty or changed, or was refused for another reason since:
        // that order is the answer.
        Err(error) => match orders.by_key(&buyer.buyer.id, &key).await? {
            Some((order, hash)) => replay(order, hash.as_deref(), &request_hash),
            None => Err(error),
        },
        placed => placed,
    }
}

async fn place_once(state: &AppState, buyer: &SignedIn, body: &CheckoutIn, key: Option<String>, request_hash: String) -> ApiResult<Placed> {
    let tenant = &buyer.tenant;
    buyer.require_active_company()?;
    buyer.permissions.check(&SALES_PLACE_ORDER)?;
    if body.payment_method == ON_ACCOUNT {
        buyer.permissions.check(&SALES_PAYMENT_ACCOUNT)?;
    }
    let po_number = body.po_number.as_deref().map(str::trim).filter(|p| !p.is_empty());
    if po_number.is_some_and(|p| p.chars().count() > 64) {
        return Err(ApiError::invalid_field("po_number", "must be at most 64 characters"));
    }
    let destination = address::for_order(state, buyer, body.shipping_address.as_ref(), body.shipping_address_id.as_deref()).await?;
    let (draft, credit) = tokio::try_join!(draft(state, buyer, destination, Some(&body.shipping_method)), available_credit(state, buyer))?;
    let at = hanse_store::now();
    let grand_total = units(draft.totals.grand_total);
    let payable = Payable { tenant, audience: &draft.quote.audience, grand_total, available_credit: credit, po_number, at };
    let offered = payment::methods(state, buyer, &payable).await?;
    let method: OfferedMethod = offered.iter().find(|m| m.code == body.payment_method).cloned().ok_or_else(|| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "payment_method_unavailable", format!("payment method {:?} is not offered for this checkout", body.payment_method))
            .with_details(json!({ "offered": offered.iter().map(|m| m.code.as_str()).collect::<Vec<_>>() }))
    })?;
    let Some(rate) = draft.rate.clone() else {
        return Err(ApiError::internal("a checkout draft without its shipping rate"));
    };
    // Authorized before the transaction, on the credit read above, so that the plugin call
    // holds no locks (on SQLite, not the database's one writer). A plugin answers from its
    // input alone: when the credit under the locks is the same, this answer is the one it would
    // give there; otherwise it is asked again below. Its refusal counts only then too.
    let early = payment::authorize(state, &method, &payable).await;
    let new = NewOrder {
        company_id: buyer.membership.company_id.clone(),
        buyer_id: buyer.buyer.id.clone(),
        currency: tenant.currency,
        subtotal: units(draft.totals.subtotal),
        shipping: units(draft.totals.shipping),
        tax: units(draft.totals.tax),
        grand_total,
        shipping_method: (rate.code.clone(), rate.label.clone()),
        shipping_address: draft.destination.clone(),
        payment_method: (method.code.clone(), method.label.clone()),
        on_account: matches!(method.kind, MethodKind::OnAccount(_)),
        po_number: po_number.unwrap_or_default().to_owned(),
        plugins: json!({ "pricing": draft.quote.pricing_plugins, "shipping": rate.plugin, "payment": method.stamp() }),
        idempotency_key: key,
        request_hash: Some(request_hash.clone()),
        payment: early.as_ref().ok().cloned(),
        lines: draft
            .quote
            .lines
            .iter()
            .map(|l| NewLine {
                sku: l.priced.sku.to_string(),
                name: l.name.clone(),
                quantity: l.priced.quantity,
                list_price: l.priced.list_price,
                unit_price: l.priced.unit_price,
                line_total: units(l.priced.line_total),
                explanation: l.explanation(),
            })
            .collect(),
    };
    // From here the order's transaction holds its locks: on SQLite it runs on the store's write
    // lane, where it is polled again as soon as each statement answers, not after whatever
    // Wasm and JSON work the request threads have queued.
    let (state, tenant, audience) = (state.clone(), tenant.clone(), draft.quote.audience.clone());
    let po_number = po_number.map(str::to_owned);
    let store = state.store().clone();
    let placed = store.on_write_lane(async move {
        let payable = Payable { tenant: &tenant, audience: &audience, grand_total, available_credit: credit, po_number: po_number.as_deref(), at };
        let orders = state.store().orders(&tenant.id);
        let mut placing = match orders.begin(new).await? {
            Begun::Existing(order, hash) => return replay(*order, hash.as_deref(), &request_hash),
            Begun::Placing(placing) => placing,
        };
        let available_before = match placing.hold().await? {
            Ok(available) => available.or(credit),
            Err(Refusal::OutOfStock(out)) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "out_of_stock",
                    format!("not enough {} in stock: {} asked, {} salable", out.sku, out.requested, out.salable.max(0)),
                )
                .with_details(json!({ "sku": out.sku, "requested": out.requested, "salable_quantity": out.salable.max(0) })));
            }
            Err(Refusal::CartChanged) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "cart_changed",
                    "the cart changed while it was being checked out (or was ordered by another checkout); review it and try again",
                ));
            }
            Err(Refusal::InsufficientCredit(short)) => {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "insufficient_credit",
                    format!(
                        "payment on account cannot be used for this order: it comes to {} and the company has {} of credit available",
                        format_amount(short.amount, tenant.currency),
                        format_amount(short.available, tenant.currency)
                    ),
                )
                .with_details(json!({
                    "grand_total": format_amount(short.amount, tenant.currency),
                    "available": format_amount(short.available, tenant.currency),
                })));
            }
        };
        // A decline or a failing plugin rolls it all back.
        let outcome = if available_before == credit {
            early?
        } else {
            payment::authorize(&state, &method, &Payable { available_credit: available_before, ..payable }).await?
        };
        let order = placing.finish(outcome).await?;
        metrics::counter!("orders_placed_total").increment(1);
        Ok(Placed { order, replayed: false })
    })
    .await??;
    Ok(placed)
}

/// The answer to a retry: the order, when the request is the same as the one that placed it.
fn replay(order: Order, hash: Option<&str>, request_hash: &str) -> ApiResult<Placed> {
    if hash.is_some_and(|h| h != request_hash) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "idempotency_key_reused",
            "this Idempotency-Key was used for a different checkout request; use a new key for a new order",
        )
        .with_details(json!({ "order_id": order.id })));
    }
    Ok(Placed { order, replayed: true })
}
