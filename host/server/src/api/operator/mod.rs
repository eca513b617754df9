//! `/operator/v1`: the hosting provider's API (operator token).

mod plugins;
mod tenants;
mod tokens;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes under `/operator/v1`.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().merge(tenants::router()).merge(tokens::router()).merge(plugins::router())
}
