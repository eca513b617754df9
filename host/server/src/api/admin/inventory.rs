//! Stock per SKU: on hand (what each source holds), the out-of-stock threshold, backorders, the
//! low-stock level, and the reservation ledger behind the salable quantity.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::HeaderMap;
use hanse_domain::FieldErrors;
use hanse_domain::inventory::{Backorders, MAX_THRESHOLD};
use hanse_domain::product::StockQuantity;
use hanse_store::StockUpdate;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::products::sku_in_path;
use super::sources::code_in_path;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::import::products::ImportReport;
use crate::import::csv_body;
use crate::import::stock::import_stock;
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::product::{ReservationOut, ReservationsOut, StockOut, StockSet};
use crate::wire::source::SourceQuantitySet;

/// Largest stock CSV accepted over HTTP.
const MAX_CSV_BYTES: usize = 64 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_stock, set_stock))
        .routes(routes!(set_source_stock))
        .routes(routes!(reservations))
        .merge(OpenApiRouter::new().routes(routes!(import_csv)).layer(DefaultBodyLimit::max(MAX_CSV_BYTES)))
}

/// Import stock from CSV (the same importer as `hanse import stock`): by SKU, `quantity`,
/// `out_of_stock_threshold`, `backorders`, `notify_quantity` (Magento's `qty`, `min_qty`,
/// `backorders` 0/1/2 and `notify_stock_qty` are read too), and `source_code`, the source a row's
/// quantity is for (Magento's source items: `source_code,sku,quantity`; without it, `default`,
/// refused for a SKU another source holds); an empty cell keeps the stored value. Values are
/// absolute: the same file again changes nothing. Bad rows (an unknown SKU or source among them)
/// are listed with their lines; the others are applied, 1,000 per transaction.
#[utoipa::path(
    post, path = "/inventory/import", tag = "admin",
    request_body(content = String, content_type = "text/csv", description = "The CSV file",
        example = "source_code,sku,quantity\ndefault,BOLT-M8,5000\nberlin,BOLT-M8,1200\n"),
    responses(
        (status = 200, description = "Import done; see `failed` and `errors` for refused rows", body = ImportReport),
        (status = 400, description = "Unusable file: header missing or wrong (`invalid_csv`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 413, description = "Larger than 64 MiB", body = ErrorBody),
        (status = 415, description = "Not `text/csv`", body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn import_csv(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> ApiResult<Json<ImportReport>> {
    let body = csv_body(&headers, body)?;
    let report = import_stock(state.store(), &tenant.id, &body[..], |_| {}).await?;
    tracing::info!(tenant = %tenant.slug, rows = report.rows, updated = report.updated, failed = report.failed, "stock import");
    Ok(Json(report))
}

/// Stock of a SKU with its salable quantity and what each source holds.
#[utoipa::path(
    get, path = "/inventory/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    responses((status = 200, body = StockOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_stock(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<Json<StockOut>> {
    let sku = sku_in_path(&sku)?;
    Ok(Json(StockOut::from(&state.store().stock(&tenant.id).get(&sku).await?)))
}

/// Set stock on hand and the stock settings of a SKU. The quantity is what the `default` source
/// holds: refused with `multiple_sources` when another source holds the SKU (set each source's
/// quantity with `PUT /inventory/{sku}/sources/{code}`; the settings still change here).
/// Reservations of open orders stay: the salable quantity is the new quantity plus them, minus
/// the threshold. Subscribers of a SKU that comes back in stock are told through the outbox.
#[utoipa::path(
    put, path = "/inventory/{sku}", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    request_body = StockSet,
    responses(
        (status = 200, body = StockOut),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "`invalid_stock_settings` (a negative threshold without backorders) or `multiple_sources` (a quantity for a SKU another source holds)", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn set_stock(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path(sku): Path<String>,
    JsonBody(body): JsonBody<StockSet>,
) -> ApiResult<Json<StockOut>> {
    let sku = sku_in_path(&sku)?;
    let mut errors = FieldErrors::new();
    let quantity = body.quantity.and_then(|q| errors.check("quantity", StockQuantity::new(q)));
    let backorders = body.backorders.as_deref().and_then(|b| errors.check("backorders", Backorders::parse(b)));
    let in_range = |field: &str, value: i64, errors: &mut FieldErrors| {
        if (-MAX_THRESHOLD..=MAX_THRESHOLD).contains(&value) {
            Some(value)
        } else {
            errors.add(field, format!("must be a whole number from -{MAX_THRESHOLD} to {MAX_THRESHOLD}"));
            None
        }
    };
    let threshold = body.out_of_stock_threshold.and_then(|t| in_range("out_of_stock_threshold", t, &mut errors));
    let notify = body.notify_quantity.map(|n| n.and_then(|n| in_range("notify_quantity", n, &mut errors)));
    let update = errors.finish(|| Some(StockUpdate { quantity, source: None, threshold, backorders, notify_qty: notify }))?;
    Ok(Json(StockOut::from(&state.store().stock(&tenant.id).update(&sku, update).await?)))
}

/// Set what one source holds of a SKU (starting to manage its stock when it was not). The SKU's
/// quantity is what its enabled sources hold together, so it follows; `stock.low` and
/// back-in-stock messages are queued as for `PUT /inventory/{sku}`.
#[utoipa::path(
    put, path = "/inventory/{sku}/sources/{code}", tag = "admin",
    params(("sku" = String, Path, description = "SKU"), ("code" = String, Path, description = "Source code")),
    request_body = SourceQuantitySet,
    responses(
        (status = 200, body = StockOut),
        (status = 401, body = ErrorBody),
        (status = 404, description = "`product_not_found` or `source_not_found`", body = ErrorBody),
        (status = 422, body = ErrorBody),
    ),
    security(("admin_token" = []))
)]
async fn set_source_stock(
    AdminTenant(tenant): AdminTenant,
    State(state): State<AppState>,
    Path((sku, code)): Path<(String, String)>,
    JsonBody(body): JsonBody<SourceQuantitySet>,
) -> ApiResult<Json<StockOut>> {
    let sku = sku_in_path(&sku)?;
    let source = code_in_path(&code)?;
    let quantity = StockQuantity::new(body.quantity).map_err(|e| ApiError::invalid_field("quantity", e))?;
    let update = StockUpdate { quantity: Some(quantity), source: Some(source), ..StockUpdate::default() };
    Ok(Json(StockOut::from(&state.store().stock(&tenant.id).update(&sku, update).await?)))
}

/// The newest 100 entries of a SKU's reservation ledger.
#[utoipa::path(
    get, path = "/inventory/{sku}/reservations", tag = "admin",
    params(("sku" = String, Path, description = "SKU")),
    responses((status = 200, body = ReservationsOut), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn reservations(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, Path(sku): Path<String>) -> ApiResult<Json<ReservationsOut>> {
    let sku = sku_in_path(&sku)?;
    let stock = state.store().stock(&tenant.id);
    stock.get(&sku).await?;
    let found = stock.reservations(&sku, 100).await?;
    Ok(Json(ReservationsOut {
        reservations: found
            .iter()
            .map(|r| ReservationOut {
                id: r.id.clone(),
                quantity: r.quantity,
                reason: r.reason.as_str().to_owned(),
                order_id: r.order_id.clone(),
                created_at: r.created_at.to_string(),
            })
            .collect(),
    }))
}
