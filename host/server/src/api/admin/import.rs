//! CSV product import over HTTP: the same importer as `hanse import products`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::HeaderMap;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::AdminTenant;
use crate::import::products::{ImportReport, import_products};
use crate::import::csv_body;
use crate::state::AppState;

/// Largest CSV accepted over HTTP (about 1.5 million product rows); larger catalogs go through
/// the CLI or several files.
const MAX_CSV_BYTES: usize = 256 * 1024 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_csv)).layer(DefaultBodyLimit::max(MAX_CSV_BYTES))
}

/// Import products from CSV: upsert by SKU, idempotent, per-row errors.
///
/// Header row required. Columns: `sku`, `name`, `price` (required); `description`, `status`,
/// `weight`, `categories` (`Top/Sub` paths separated by `|`, created when missing), `quantity`
/// (or `qty`), `attribute.<code>`. Valid rows are applied in batches of 1,000 per transaction;
/// refused rows are listed with their line numbers. Running the same file again changes nothing.
#[utoipa::path(
    post, path = "/products/import", tag = "admin",
    request_body(content = String, content_type = "text/csv", description = "The CSV file",
        example = "sku,name,price,categories,quantity\nBOLT-M8,M8 hex bolt,0.1250,Fasteners/Bolts,5000\n"),
    responses(
        (status = 200, description = "Import done; see `failed` and `errors` for refused rows", body = ImportReport),
        (status = 400, description = "Unusable file: header missing or wrong (`invalid_csv`)", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 413, description = "Larger than 256 MiB", body = ErrorBody),
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
    let report = import_products(state.store(), &tenant.id, &body[..], |_| {}).await?;
    tracing::info!(tenant = %tenant.slug, rows = report.rows, created = report.created, updated = report.updated,
        failed = report.failed, duration_ms = report.duration_ms, "product import");
    Ok(Json(report))
}
