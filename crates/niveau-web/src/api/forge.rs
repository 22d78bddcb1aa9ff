//! /rounds/{id}/forge-issues: a round's issues in the products' repositories (#16) — the
//! option, the issues with their state and last error, and a run now.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use niveau_app::forge::{self, RoundIssues};
use niveau_store::entity::job;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::JsonBody;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_forge_issues, set_forge_issues))
        .routes(routes!(run_forge_issues))
}

/// Whether the round opens repository issues.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgeIssuesInput {
    /// On or off.
    pub enabled: bool,
}

/// The round's repository issues (logged-in readers).
#[utoipa::path(get, path = "/rounds/{id}/forge-issues", tag = "runder",
    params(("id" = i32, Path)),
    responses((status = 200, body = RoundIssues), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_forge_issues(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<RoundIssues>> {
    Ok(Json(forge::status(state.app(), auth.who(), id).await?))
}

/// Turn the round's repository issues on or off (the secretariat); on queues a run.
#[utoipa::path(put, path = "/rounds/{id}/forge-issues", tag = "runder",
    request_body = ForgeIssuesInput, params(("id" = i32, Path)),
    responses((status = 200, body = RoundIssues), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_forge_issues(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<ForgeIssuesInput>,
) -> ApiResult<Json<RoundIssues>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    Ok(Json(
        forge::set_enabled(state.app(), auth.who(), id, input.enabled).await?,
    ))
}

/// Queue a run of the round's repository issues now (the secretariat).
#[utoipa::path(post, path = "/rounds/{id}/forge-issues/run", tag = "runder",
    params(("id" = i32, Path)),
    responses((status = 202, body = job::Model), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn run_forge_issues(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<(StatusCode, Json<job::Model>)> {
    auth.require(Action::EditPortfolio)?;
    let queued = forge::run_now(state.app(), auth.who(), id).await?;
    Ok((StatusCode::ACCEPTED, Json(queued)))
}
