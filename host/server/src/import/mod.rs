//! Bulk imports shared by the CLI and the admin API.

pub mod products;
pub mod price_lists;
pub mod rows;
pub mod stock;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};

use crate::error::ApiError;

/// Whether a request declares `Content-Type: text/csv`.
fn is_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv")))
}

/// The body of a CSV upload: 415 unless the request is `text/csv`, 413 when it is larger than
/// the route allows.
pub fn csv_body(headers: &HeaderMap, body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    require_csv(headers)?;
    body.map_err(|r| ApiError::new(r.status(), "payload_too_large", r.body_text()))
}

/// 415 unless the request is CSV.
fn require_csv(headers: &HeaderMap) -> Result<(), ApiError> {
    if is_csv(headers) {
        Ok(())
    } else {
        Err(ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send the file with `Content-Type: text/csv`"))
    }
}
