//! /rounds: the evaluation rounds of the yearly cycle (årshjul), their deadlines and the
//! products in scope.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::rounds::{self, RoundInput, RoundView};
use niveau_store::entity::evaluation_round;
use niveau_store::{ListParams, Page};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery, expected_version};
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rounds, create_round))
        .routes(routes!(get_round, update_round))
}

/// List rounds, newest first (logged-in readers).
#[utoipa::path(get, path = "/rounds", tag = "runder",
    params(ListParams),
    responses((status = 200, body = Page<evaluation_round::Model>), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_rounds(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
) -> ApiResult<Json<Page<evaluation_round::Model>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    Ok(Json(rounds::list(state.app(), auth.who(), &params).await?))
}

/// Open a round with its deadlines and products.
#[utoipa::path(post, path = "/rounds", tag = "runder", request_body = RoundInput,
    responses((status = 201, body = RoundView), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_round(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<RoundInput>,
) -> ApiResult<(StatusCode, Json<RoundView>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let created = rounds::create(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One round with how far each product in scope has come.
#[utoipa::path(get, path = "/rounds/{id}", tag = "runder",
    params(("id" = i32, Path)),
    responses((status = 200, body = RoundView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_round(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<RoundView>> {
    Ok(Json(rounds::get(state.app(), auth.who(), id).await?))
}

/// Change a round; the products sent replace those in scope.
#[utoipa::path(put, path = "/rounds/{id}", tag = "runder", request_body = RoundInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = RoundView), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_round(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<RoundInput>,
) -> ApiResult<Json<RoundView>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        rounds::update(state.app(), auth.who(), id, version, input).await?,
    ))
}
