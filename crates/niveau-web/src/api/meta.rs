//! /meta: what this server is, for clients and the public (is this example data?).

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(meta))
}

/// About this server.
#[derive(Debug, Serialize, ToSchema)]
pub struct Meta {
    /// Always "Niveau".
    pub name: String,
    /// The program's version.
    pub version: String,
    /// The database holds example data, not a real portfolio.
    pub demo: bool,
    /// The governance models this server knows, by id.
    pub models: Vec<String>,
    /// Single sign-on is available.
    pub single_sign_on: bool,
}

/// What this server is. Public.
#[utoipa::path(get, path = "/meta", tag = "system", responses((status = 200, body = Meta)))]
pub async fn meta(State(state): State<AppState>) -> Json<Meta> {
    Json(Meta {
        name: "Niveau".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        demo: state.config().demo,
        models: state.registry().ids(),
        single_sign_on: state.oidc().is_some(),
    })
}
