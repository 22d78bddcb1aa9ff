//! Login and logout: local accounts (POST /api/v1/auth/login), single sign-on
//! (/auth/oidc/login → provider → /auth/oidc/callback), and logout.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes outside the OpenAPI document (browser redirects).
pub fn routes() -> Router<AppState> {
    Router::new()
}

/// Documented API routes (login, logout).
pub fn api_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
