//! Publishing a plugin package from a multipart upload: shared by the operator (platform
//! registry) and the merchant (private packages).

use axum::extract::Multipart;
use axum::http::StatusCode;
use hanse_store::{PluginPackage, TenantId};

use crate::error::ApiError;
use crate::plugins::manifest;
use crate::state::AppState;

/// Largest component accepted, bytes.
pub const MAX_COMPONENT_BYTES: usize = 16 * 1024 * 1024;

fn bad_upload(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_upload", message)
}

/// Reads the `manifest` (JSON text) and `component` (bytes) parts.
async fn read_parts(mut multipart: Multipart) -> Result<(String, Vec<u8>), ApiError> {
    let mut manifest_text = None;
    let mut component = None;
    while let Some(field) = multipart.next_field().await.map_err(|e| bad_upload(format!("unreadable multipart body: {e}")))? {
        match field.name() {
            Some("manifest") => {
                manifest_text = Some(field.text().await.map_err(|e| bad_upload(format!("manifest: {e}")))?);
            }
            Some("component") => {
                let bytes = field.bytes().await.map_err(|e| bad_upload(format!("component: {e}")))?;
                component = Some(bytes.to_vec());
            }
            Some(other) => return Err(bad_upload(format!("unexpected part {other:?}; send `manifest` and `component`"))),
            None => return Err(bad_upload("every part needs a name: `manifest` and `component`")),
        }
    }
    match (manifest_text, component) {
        (Some(m), Some(c)) => Ok((m, c)),
        _ => Err(bad_upload("send two parts: `manifest` (JSON) and `component` (the .wasm bytes)")),
    }
}

/// Validates and publishes an uploaded package; `owner` makes it private to that tenant.
/// Nothing is stored unless the manifest, its config schema and the component all check out.
pub async fn publish(state: &AppState, multipart: Multipart, owner: Option<TenantId>) -> Result<PluginPackage, ApiError> {
    let (manifest_text, component) = read_parts(multipart).await?;
    let manifest = manifest::parse(&manifest_text)?;
    if component.len() > MAX_COMPONENT_BYTES {
        return Err(ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", format!("a component may be at most {MAX_COMPONENT_BYTES} bytes")));
    }
    // Compiles the component and checks its world and imports before anything is stored.
    state.plugins().prepare_bytes(manifest.kind, component.clone()).await?;
    let package = manifest.into_package(&component, owner);
    Ok(state.store().registry().publish(&package, &component).await?)
}
