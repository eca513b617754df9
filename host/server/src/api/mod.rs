//! The HTTP API: one router per audience, assembled with the OpenAPI document they generate.

pub(crate) mod admin;
mod company_form;
mod operator;
mod packages;
pub(crate) mod storefront;

pub use storefront::{ADMIN_ONLY as STOREFRONT_ADMIN_ONLY, PERMISSIONS as STOREFRONT_PERMISSIONS};
mod system;

use axum::Router;
use axum::http::StatusCode;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::error::ApiError;
use crate::state::AppState;
use crate::telemetry;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hanse",
        description = "Multi-tenant B2B commerce. `/operator/v1` for the hosting provider (operator token), \
            `/admin/v1` for a tenant's merchant staff (tenant admin token), `/store/v1` for buyers (tenant from \
            `X-Tenant` or the host name). Errors are `{\"error\": {\"code\", \"message\", \"details\"}}` with stable codes. \
            Money is always a decimal string with 4 decimals (`\"0.1250\"`), never a JSON number."
    ),
    modifiers(&BearerSchemes),
    tags(
        (name = "operator", description = "Hosting provider: tenants and their admin tokens"),
        (name = "admin", description = "Merchant: catalog, categories, stock, imports"),
        (name = "storefront", description = "Buyers: browse the catalog"),
        (name = "system", description = "Health and metrics"),
    )
)]
struct ApiDoc;

struct BearerSchemes;

impl Modify for BearerSchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for name in ["operator_token", "admin_token", "buyer_session"] {
            components.add_security_scheme(name, SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
        }
    }
}

/// Every API route, with the OpenAPI document generated from them.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(system::router())
        .nest("/operator/v1", operator::router())
        .nest("/admin/v1", admin::router())
        .nest("/store/v1", storefront::router())
}

/// The whole application: API routes, `/openapi.json`, the `/docs` page, metrics and logs.
pub fn app(state: AppState) -> Router {
    let (router, openapi) = api().split_for_parts();
    let docs = SwaggerUi::new("/docs").url("/openapi.json", openapi).config(Config::default().validator_url("none"));
    router
        .merge(docs)
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "route_not_found", "no such route; see /docs") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "this route does not take that method; see /docs")
        })
        .layer(axum::middleware::from_fn(telemetry::track_requests))
        .with_state(state)
}

/// The OpenAPI document, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}
