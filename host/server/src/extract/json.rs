//! `JsonBody<T>`: a JSON request body whose errors name the offending field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Largest JSON body accepted (the same as the router's default body limit).
pub const MAX_JSON_BYTES: u64 = 2 * 1024 * 1024;

/// A JSON body parsed into `T`.
///
/// - a declared `Content-Length` over 2 MiB → 413 `payload_too_large` before anything is read;
/// - no `application/json` content type → 415 `unsupported_media_type`;
/// - not JSON at all → 400 `malformed_json`, with the line and column;
/// - JSON of the wrong shape (unknown field, wrong type, missing field) → 422
///   `validation_failed` naming the field by its path (`attributes.color`, `lines[2].sku`).
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        LaterJson::from_request(request, state).await?.parse().map(JsonBody)
    }
}

/// A JSON body read but not yet checked: for handlers that must refuse a request for another
/// reason first (a permission), so the refusal does not depend on the body. [`LaterJson::parse`]
/// gives the answers [`JsonBody`] would.
pub struct LaterJson {
    is_json: bool,
    bytes: Bytes,
}

impl LaterJson {
    /// Checks the content type and parses the body into `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !self.is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with `Content-Type: application/json`",
            ));
        }
        parse(&self.bytes)
    }
}

impl LaterJson {
    /// [`LaterJson::parse`], where no body at all means `T::default()`.
    pub fn parse_or_default<T: DeserializeOwned + Default>(&self) -> Result<T, ApiError> {
        if self.bytes.iter().all(u8::is_ascii_whitespace) { Ok(T::default()) } else { self.parse() }
    }
}

impl<S: Send + Sync> FromRequest<S> for LaterJson {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        let declared = request
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > MAX_JSON_BYTES) {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("a JSON body may be at most {MAX_JSON_BYTES} bytes"),
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            ApiError::new(rejection.status(), "payload_too_large", rejection.body_text())
        })?;
        Ok(LaterJson { is_json, bytes })
    }
}

/// Parses JSON bytes into `T` with the error mapping described on [`JsonBody`].
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let field = if path == "." { "body".to_owned() } else { path };
                ApiError::invalid_field(&field, strip_position(&inner.to_string()))
            }
            _ => malformed(&inner),
        }
    })?;
    deserializer.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

fn malformed(error: &serde_json::Error) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not valid JSON: {error}"))
        .with_details(serde_json::json!({ "line": error.line(), "column": error.column() }))
}

/// serde_json appends " at line 1 column 42" to data errors; the field path says more.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        inner: Option<Inner>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        price: String,
    }

    #[test]
    fn names_the_field() {
        let err = parse::<Body>(br#"{"name": "x", "inner": {"price": 1.5}}"#).unwrap_err();
        assert_eq!(err.code(), "validation_failed");
        let err = format!("{err:?}");
        assert!(err.contains("inner.price"), "{err}");

        let err = format!("{:?}", parse::<Body>(br#"{"name": "x", "bogus": 1}"#).unwrap_err());
        assert!(err.contains("bogus"), "{err}");
    }

    #[test]
    fn syntax_is_a_400() {
        assert_eq!(parse::<Body>(b"not json").unwrap_err().code(), "malformed_json");
        assert_eq!(parse::<Body>(br#"{"name": "x"} trailing"#).unwrap_err().code(), "malformed_json");
        assert_eq!(parse::<Body>(b"").unwrap_err().code(), "malformed_json");
    }
}
