//! Health and metrics.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use crate::telemetry;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health)).routes(routes!(metrics))
}

/// Health of this instance.
#[derive(Serialize, ToSchema)]
struct Health {
    /// `ok` or `unavailable`.
    status: &'static str,
    /// `ok` or `unreachable`.
    database: &'static str,
    /// Server version.
    version: &'static str,
}

/// Health check: 200 when the instance and its database answer, 503 otherwise.
#[utoipa::path(
    get, path = "/health", tag = "system",
    responses((status = 200, body = Health), (status = 503, body = Health))
)]
async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let version = env!("CARGO_PKG_VERSION");
    if state.store().ping().await {
        (StatusCode::OK, Json(Health { status: "ok", database: "ok", version }))
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, Json(Health { status: "unavailable", database: "unreachable", version }))
    }
}

/// Prometheus metrics: `http_requests_total` and `http_request_duration_seconds` by method,
/// route and status.
#[utoipa::path(
    get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain", body = String))
)]
async fn metrics() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], telemetry::render_metrics())
}
