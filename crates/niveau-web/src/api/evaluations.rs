//! Routes of this part of the API (being written).

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
