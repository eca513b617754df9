//! Plugin manifests and configuration schemas.

use hanse_domain::FieldErrors;
use hanse_domain::plugin::{PluginId, PluginKind, Version, check_wit};
use hanse_store::{PluginPackage, TenantId, now};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use serde_json::Value;

use crate::error::ApiError;

/// A manifest as uploaded.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestIn {
    id: String,
    version: String,
    kind: String,
    wit: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    capabilities: Vec<String>,
    #[serde(default)]
    config_schema: Option<Value>,
}

/// A validated manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// Plugin id.
    pub id: PluginId,
    /// Version.
    pub version: Version,
    /// The world it implements.
    pub kind: PluginKind,
    /// The WIT package it targets.
    pub wit: String,
    /// What it does.
    pub description: String,
    /// The manifest text as given.
    pub text: String,
}

impl Manifest {
    /// The registry package for this manifest and its component; private to `owner` if given.
    pub fn into_package(self, component: &[u8], owner: Option<TenantId>) -> PluginPackage {
        PluginPackage {
            owner,
            id: self.id,
            version: self.version,
            kind: self.kind,
            wit: self.wit,
            description: self.description,
            manifest: self.text,
            sha256: hex::encode(Sha256::digest(component)),
            size: component.len() as i64,
            created_at: now(),
        }
    }
}

/// Parses and checks a manifest: field formats, a WIT version this host runs, no capability
/// requests (Hanse grants none yet), and a config schema that compiles.
pub fn parse(text: &str) -> Result<Manifest, ApiError> {
    let raw: ManifestIn = crate::extract::parse_json(text.as_bytes())?;
    let mut errors = FieldErrors::new();
    let id = errors.check("manifest.id", PluginId::parse(&raw.id));
    let version = errors.check("manifest.version", Version::parse(&raw.version));
    let kind = errors.check("manifest.kind", PluginKind::parse(&raw.kind));
    errors.check("manifest.wit", check_wit(&raw.wit));
    if !raw.capabilities.is_empty() {
        errors.add("manifest.capabilities", format!("Hanse grants plugins no capabilities; asked for {:?}", raw.capabilities));
    }
    if raw.description.len() > 2_000 {
        errors.add("manifest.description", "must be at most 2000 bytes");
    }
    let schema = raw.config_schema.unwrap_or_else(|| Value::Object(Default::default()));
    if let Err(e) = jsonschema::validator_for(&schema) {
        errors.add("manifest.config_schema", format!("is not a usable JSON Schema: {e}"));
    }
    errors
        .finish(|| {
            Some(Manifest {
                id: id?,
                version: version?,
                kind: kind?,
                wit: raw.wit.clone(),
                description: raw.description.clone(),
                text: text.to_owned(),
            })
        })
        .map_err(ApiError::from)
}

/// The config schema of a stored manifest.
pub fn schema_of(manifest_text: &str) -> Value {
    serde_json::from_str::<Value>(manifest_text)
        .ok()
        .and_then(|m| m.get("config_schema").cloned())
        .unwrap_or_else(|| Value::Object(Default::default()))
}

/// Checks `config` against `schema`, naming each bad field as `config.<path>`.
pub fn check_config(schema: &Value, config: &Value) -> Result<(), ApiError> {
    let validator = jsonschema::validator_for(schema)
        .map_err(|e| ApiError::internal(format!("a stored config schema does not compile: {e}")))?;
    let mut errors = FieldErrors::new();
    for error in validator.iter_errors(config) {
        errors.add(field_path(&error.instance_path().to_string()), error.to_string());
    }
    if errors.is_empty() { Ok(()) } else { Err(errors.into()) }
}

/// `/tiers/0/percent_off` → `config.tiers[0].percent_off`.
fn field_path(pointer: &str) -> String {
    let mut path = String::from("config");
    for segment in pointer.split('/').filter(|s| !s.is_empty()) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if segment.bytes().all(|b| b.is_ascii_digit()) {
            path.push_str(&format!("[{segment}]"));
        } else {
            path.push('.');
            path.push_str(&segment);
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(field_path(""), "config");
        assert_eq!(field_path("/tiers/0/percent_off"), "config.tiers[0].percent_off");
    }

    #[test]
    fn manifests() {
        let good = r#"{"id":"tiers","version":"1.0.0","kind":"pricing","wit":"hanse:plugin@0.1.0","config_schema":{"type":"object"}}"#;
        assert_eq!(parse(good).unwrap().kind, PluginKind::Pricing);
        let bad = r#"{"id":"T","version":"1","kind":"tax","wit":"hanse:plugin@9.0.0","capabilities":["network"],"config_schema":{"type":7}}"#;
        let err = format!("{:?}", parse(bad).unwrap_err());
        for field in ["manifest.id", "manifest.version", "manifest.kind", "manifest.wit", "manifest.capabilities", "manifest.config_schema"] {
            assert!(err.contains(field), "{field}: {err}");
        }
    }

    #[test]
    fn the_bundled_manifests_are_valid_and_their_schemas_strict() {
        use serde_json::json;
        let schemas: std::collections::HashMap<String, Value> = hanse_runtime::bundled::FIRST_PARTY
            .iter()
            .map(|bundled| {
                let manifest = parse(bundled.manifest).unwrap_or_else(|e| panic!("{e:?}"));
                (manifest.id.as_str().to_owned(), schema_of(bundled.manifest))
            })
            .collect();
        // (plugin, the example its docs give, a configuration its schema refuses)
        let examples = [
            (
                "table-rate-shipping",
                json!({"label": "Table rate", "basis": "weight", "estimated_days": 4, "rows": [
                    {"country": "US", "region": "CA", "from": "0", "price": "5.00"},
                    {"country": "US", "from": "10", "price": "9.00"},
                    {"country": "*", "from": "0", "price": "25.00"}]}),
                json!({"basis": "weight", "rows": [{"country": "*", "region": "CA", "from": "0", "price": "5.00"}]}),
            ),
            (
                "purchase-order-number",
                json!({"label": "Purchase order", "minimum_order": "100.00", "maximum_order": "50000.00", "max_length": 20, "allowed_prefixes": ["PO-", "4500"]}),
                json!({"max_length": 198}),
            ),
            (
                "net-terms",
                json!({"terms": [30, 60], "label_prefix": "Net", "minimum_order": "100.00", "require_po_number": false}),
                json!({"terms": [30, 30]}),
            ),
            (
                "payment-on-account",
                json!({"label": "Pay on account", "minimum_order": "50.00", "maximum_order": "25000.00", "require_po_number": true}),
                json!({"maximum_order": 25000}),
            ),
        ];
        for (id, good, bad) in examples {
            let schema = &schemas[id];
            assert!(check_config(schema, &good).is_ok(), "{id}: {good}");
            assert!(check_config(schema, &bad).is_err(), "{id}: {bad}");
            assert!(check_config(schema, &json!({"unknown": 1})).is_err(), "{id}: unknown fields are refused");
        }
    }

    #[test]
    fn configs() {
        let schema = serde_json::json!({"type":"object","required":["tiers"],"properties":{"tiers":{"type":"array"}}});
        assert!(check_config(&schema, &serde_json::json!({"tiers": []})).is_ok());
        let err = format!("{:?}", check_config(&schema, &serde_json::json!({"tiers": "x"})).unwrap_err());
        assert!(err.contains("config.tiers"), "{err}");
    }
}
