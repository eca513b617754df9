//! The API's one error type, and the one place errors become HTTP responses.
//!
//! Every error answers `{"error": {"code": ..., "message": ..., "details": ...}}`. Codes are
//! stable and documented; messages are for people and may change. Database errors are logged
//! with their cause and answered with a bare `internal`/`unavailable`: they never leak.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use hanse_domain::FieldErrors;
use hanse_store::StoreError;

use crate::import::products::ImportError;
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// An error answer.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Option<Value>,
}

/// The JSON body of every error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorObject,
}

/// What went wrong.
#[derive(Serialize, ToSchema)]
pub struct ErrorObject {
    /// Stable machine-readable code, e.g. `validation_failed`, `product_not_found`.
    code: String,
    /// Human-readable explanation.
    message: String,
    /// For `validation_failed`: `{"fields": {"price": "must not be negative"}}`; otherwise
    /// whatever helps (e.g. the CSV line).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    details: Option<Value>,
}

impl ApiError {
    /// An error with a status, a stable code and a message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError { status, code, message: message.into(), details: None }
    }

    /// Adds machine-readable details.
    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    /// 401: no or wrong credentials.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 404 for a resource (`product` → `product_not_found`).
    pub fn not_found(resource: &'static str) -> Self {
        let code = match resource {
            "tenant" => "tenant_not_found",
            "product" => "product_not_found",
            "category" => "category_not_found",
            "token" => "token_not_found",
            "plugin" => "plugin_not_found",
            "execution" => "execution_not_found",
            "customer group" => "customer_group_not_found",
            "company" => "company_not_found",
            "role" => "role_not_found",
            "user" => "user_not_found",
            "team" => "team_not_found",
            "node" => "node_not_found",
            "address" => "address_not_found",
            "shared catalog" => "shared_catalog_not_found",
            "price list" => "price_list_not_found",
            "segment" => "segment_not_found",
            "cart line" => "cart_line_not_found",
            "order" => "order_not_found",
            "invoice" => "invoice_not_found",
            "source" => "source_not_found",
            "requisition list" => "requisition_list_not_found",
            "requisition list item" => "requisition_list_item_not_found",
            _ => "not_found",
        };
        Self::new(StatusCode::NOT_FOUND, code, format!("{resource} not found"))
    }

    /// 422 for one refused field.
    pub fn invalid_field(field: &str, reason: impl std::fmt::Display) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, reason);
        errors.into()
    }

    /// 400 for a bad query string.
    pub fn invalid_query(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_query", message)
    }

    /// 500, after logging the cause.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; the cause has been logged")
    }

    /// The stable code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl From<FieldErrors> for ApiError {
    fn from(errors: FieldErrors) -> Self {
        let fields: serde_json::Map<String, Value> =
            errors.iter().map(|(field, reason)| (field.to_owned(), Value::String(reason.to_owned()))).collect();
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", format!("invalid input: {errors}"))
            .with_details(json!({ "fields": fields }))
    }
}

impl From<hanse_domain::company::PermissionDenied> for ApiError {
    fn from(denied: hanse_domain::company::PermissionDenied) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "permission_denied", denied.to_string()).with_details(json!({ "permission": denied.0.id }))
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(resource) => ApiError::not_found(resource),
            StoreError::Conflict(message) => ApiError::new(StatusCode::CONFLICT, "already_exists", message),
            // Naming something that does not exist, or asking a refund the order cannot give,
            // is bad input; other refusals conflict with the current state.
            StoreError::Refused(
                code @ ("unknown_sku" | "unknown_target" | "unknown_company" | "unknown_source" | "refund_exceeds_order" | "refund_invalid"),
                message,
            ) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            StoreError::Refused(code, message) => ApiError::new(StatusCode::CONFLICT, code, message),
            StoreError::Unavailable(cause) => {
                tracing::error!(%cause, "database unavailable");
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", "the database is unavailable; try again")
            }
            other => ApiError::internal(other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorObject { code: self.code.to_owned(), message: self.message, details: self.details },
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// An import that stopped: a bad file is the client's (400 `invalid_csv`, naming the line), a
/// database failure is the store's.
impl From<ImportError> for ApiError {
    fn from(error: ImportError) -> Self {
        match error {
            ImportError::InvalidFile { line, message } => {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_csv", format!("line {line}: {message}")).with_details(json!({ "line": line }))
            }
            ImportError::Read(message) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_csv", message),
            ImportError::Store { source, applied } => {
                tracing::error!(applied, "import stopped by a database error");
                ApiError::from(source)
            }
        }
    }
}
