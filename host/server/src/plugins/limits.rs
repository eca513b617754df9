//! Per-tenant plugin limits: data the operator sets per plan, stored as JSON on the tenant.

use std::time::Duration;

use hanse_domain::FieldErrors;
use hanse_runtime::{Limits, MAX_MEMORY_BYTES};
use hanse_store::Tenant;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Plugin limits for one tenant; an absent field keeps the default. Fuel, input and output
/// scale with the number of cart lines above 200 (up to 10×).
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PluginLimits {
    /// Instructions per call for up to 200 lines (default 11,000,000), 100,000 to 10,000,000,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fuel: Option<u64>,
    /// Memory per call in bytes (default 10 MiB), 1 MiB to 64 MiB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_bytes: Option<usize>,
    /// Wall-clock deadline per call in milliseconds (default 50), 1 to 10,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_ms: Option<u64>,
    /// Largest input in bytes for up to 200 lines (default 128,000), 1,000 to 16,000,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_input_bytes: Option<usize>,
    /// Largest output in bytes for up to 200 lines (default 20,000), 1,000 to 16,000,000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_output_bytes: Option<usize>,
}

/// The limits in force, all fields filled.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EffectiveLimits {
    /// Instructions per call (up to 200 lines).
    pub fuel: u64,
    /// Memory per call, bytes.
    pub memory_bytes: usize,
    /// Deadline per call, milliseconds.
    pub deadline_ms: u64,
    /// Largest input, bytes (up to 200 lines).
    pub max_input_bytes: usize,
    /// Largest output, bytes (up to 200 lines).
    pub max_output_bytes: usize,
    /// What the operator set (empty: all defaults).
    pub overrides: PluginLimits,
}

impl PluginLimits {
    /// Checks the ranges, naming each field out of range.
    pub fn check(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut range = |field: &str, value: Option<u64>, min: u64, max: u64| {
            if value.is_some_and(|v| !(min..=max).contains(&v)) {
                errors.add(field, format!("must be from {min} to {max}"));
            }
        };
        range("fuel", self.fuel, 100_000, 10_000_000_000);
        range("memory_bytes", self.memory_bytes.map(|v| v as u64), 1 << 20, MAX_MEMORY_BYTES as u64);
        range("deadline_ms", self.deadline_ms, 1, 10_000);
        range("max_input_bytes", self.max_input_bytes.map(|v| v as u64), 1_000, 16_000_000);
        range("max_output_bytes", self.max_output_bytes.map(|v| v as u64), 1_000, 16_000_000);
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// These overrides over the defaults.
    pub fn apply(&self) -> Limits {
        let d = Limits::default();
        Limits {
            fuel: self.fuel.unwrap_or(d.fuel),
            memory_bytes: self.memory_bytes.unwrap_or(d.memory_bytes),
            deadline: self.deadline_ms.map_or(d.deadline, Duration::from_millis),
            max_input_bytes: self.max_input_bytes.unwrap_or(d.max_input_bytes),
            max_output_bytes: self.max_output_bytes.unwrap_or(d.max_output_bytes),
        }
    }

    /// The overrides stored on `tenant` (defaults when none, or when unreadable).
    pub fn of(tenant: &Tenant) -> PluginLimits {
        match tenant.plugin_limits.as_deref().map(serde_json::from_str::<PluginLimits>) {
            None => PluginLimits::default(),
            Some(Ok(limits)) => limits,
            Some(Err(e)) => {
                tracing::error!(tenant = %tenant.slug, error = %e, "unreadable plugin limits; using the defaults");
                PluginLimits::default()
            }
        }
    }

    /// The limits in force with these overrides.
    pub fn effective(&self) -> EffectiveLimits {
        let l = self.apply();
        EffectiveLimits {
            fuel: l.fuel,
            memory_bytes: l.memory_bytes,
            deadline_ms: l.deadline.as_millis() as u64,
            max_input_bytes: l.max_input_bytes,
            max_output_bytes: l.max_output_bytes,
            overrides: self.clone(),
        }
    }
}
