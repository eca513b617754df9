//! Checkout: shipping rates and payment methods for the cart, and placing the order.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hanse_domain::company::permission::SALES_PLACE_ORDER;
use hanse_domain::credit::format_amount;
use sha2::{Digest, Sha256};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::checkout::address;
use crate::checkout::payment::{self, Payable};
use crate::checkout::place::{self, available_credit, draft};
use crate::checkout::shipping::units;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{LaterJson, QueryParams, SignedIn};
use crate::state::AppState;
use crate::wire::checkout::{AddressOut, CheckoutIn, DestinationQuery, MethodOut, MethodsOut, RateOut, RatesOut, TotalsOut};
use crate::wire::order::OrderOut;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(shipping_rates)).routes(routes!(payment_methods)).routes(routes!(place_order))
}

/// Shipping options for the cart: every enabled shipping plugin's rates, merged. A plugin that
/// fails leaves out only its own rates.
#[utoipa::path(
    get, path = "/checkout/shipping-rates", tag = "storefront",
    params(DestinationQuery),
    security(("buyer_session" = [])),
    responses(
        (status = 200, body = RatesOut),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`permission_denied` (`sales.place_order`)", body = ErrorBody),
        (status = 404, description = "`address_not_found`", body = ErrorBody),
        (status = 409, description = "`cart_empty` or `cart_has_problems`", body = ErrorBody),
    )
)]
async fn shipping_rates(buyer: SignedIn, State(state): State<AppState>, QueryParams(query): QueryParams<DestinationQuery>) -> ApiResult<Json<RatesOut>> {
    buyer.permissions.check(&SALES_PLACE_ORDER)?;
    let destination = address::for_rates(&state, &buyer, &query).await?;
    let draft = draft(&state, &buyer, destination, None).await?;
    let currency = buyer.tenant.currency;
    Ok(Json(RatesOut {
        currency: currency.code().to_owned(),
        destination: AddressOut::from(&draft.destination),
        rates: draft
            .rates
            .iter()
            .map(|r| RateOut {
                code: r.code.clone(),
                label: r.label.clone(),
                amount: currency.format(r.amount),
                estimated_days: r.estimated_days,
                plugin: r.plugin["id"].as_str().unwrap_or_default().to_owned(),
            })
            .collect(),
    }))
}

/// Payment methods for the cart: payment on account (`payment-on-account`, for buyers allowed
/// `sales.payment_account` whose company has a credit line) and every enabled payment plugin's
/// methods. The totals include the rate `shipping_method` when given.
#[utoipa::path(
    get, path = "/checkout/payment-methods", tag = "storefront",
    params(DestinationQuery),
    security(("buyer_session" = [])),
    responses(
        (status = 200, body = MethodsOut),
        (status = 401, body = ErrorBody),
        (status = 403, description = "`permission_denied` (`sales.place_order`)", body = ErrorBody),
        (status = 409, description = "`cart_empty` or `cart_has_problems`", body = ErrorBody),
        (status = 422, description = "`shipping_method_unavailable`", body = ErrorBody),
    )
)]
async fn payment_methods(buyer: SignedIn, State(state): State<AppState>, QueryParams(query): QueryParams<DestinationQuery>) -> ApiResult<Json<MethodsOut>> {
    buyer.permissions.check(&SALES_PLACE_ORDER)?;
    let destination = address::for_rates(&state, &buyer, &query).await?;
    let (draft, credit) = tokio::try_join!(draft(&state, &buyer, destination, query.shipping_method.as_deref()), available_credit(&state, &buyer))?;
    let currency = buyer.tenant.currency;
    let payable = Payable {
        tenant: &buyer.tenant,
        audience: &draft.quote.audience,
        grand_total: units(draft.totals.grand_total),
        available_credit: credit,
        po_number: query.po_number.as_deref(),
        at: hanse_store::now(),
    };
    let methods = payment::methods(&state, &buyer, &payable).await?;
    let t = &draft.totals;
    Ok(Json(MethodsOut {
        totals: TotalsOut {
            currency: currency.code().to_owned(),
            subtotal: currency.format(t.subtotal),
            shipping: currency.format(t.shipping),
            tax: currency.format(t.tax),
            grand_total: currency.format(t.grand_total),
        },
        available_credit: credit.map(|c| format_amount(c, currency)),
        methods: methods.iter().map(|m| MethodOut { code: m.code.clone(), label: m.label.clone() }).collect(),
    }))
}

/// Place the order: the cart is priced, shipped and taxed as the payment-methods answer
/// showed; its stock is reserved and payment on account charged to the company's credit in
/// the same transaction as the order. With an `Idempotency-Key`, the same request again answers
/// the same order (`Idempotent-Replayed: true`) and never places a second one; the key with a
/// different request is refused.
#[utoipa::path(
    post, path = "/checkout", tag = "storefront",
    params(("Idempotency-Key" = Option<String>, Header, description = "Places the order at most once: 1 to 255 visible ASCII characters")),
    request_body = CheckoutIn,
    security(("buyer_session" = [])),
    responses(
        (status = 201, body = OrderOut, description = "Placed (or placed earlier with this key)"),
        (status = 400, description = "`invalid_idempotency_key`", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 402, description = "`payment_declined`", body = ErrorBody),
        (status = 403, description = "`company_blocked`, `permission_denied` (`sales.place_order`, `sales.payment_account`)", body = ErrorBody),
        (status = 409, description = "`cart_empty`, `cart_has_problems`, `cart_changed`, `out_of_stock`, `insufficient_credit`, `no_credit_line`", body = ErrorBody),
        (status = 422, description = "`validation_failed`, `shipping_address_required`, `shipping_method_unavailable`, `payment_method_unavailable`, `idempotency_key_reused`", body = ErrorBody),
        (status = 502, description = "`payment_plugin_failed`", body = ErrorBody),
        (status = 503, description = "`pricing_plugin_failed`", body = ErrorBody),
    )
)]
async fn place_order(buyer: SignedIn, State(state): State<AppState>, headers: HeaderMap, body: LaterJson) -> ApiResult<Response> {
    let key = place::idempotency_key(headers.get("idempotency-key").map(|v| v.to_str().unwrap_or("\u{0}")))?;
    let body: CheckoutIn = body.parse()?;
    // The request as parsed, so a retry with its fields in another order is the same request.
    let hash = hex::encode(Sha256::digest(serde_json::to_vec(&body).unwrap_or_default()));
    let placed = place::place(&state, &buyer, &body, key, hash).await?;
    let mut response = (StatusCode::CREATED, Json(OrderOut::from(&placed.order))).into_response();
    if let Ok(location) = HeaderValue::from_str(&format!("/store/v1/orders/{}", placed.order.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if placed.replayed {
        response.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
