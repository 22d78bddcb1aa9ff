//! /agreements: joining agreements and the other agreements, with their parties.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::agreements::{self, AgreementFilter, AgreementInput, AgreementWithParties};
use niveau_store::entity::agreement;
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
        .routes(routes!(list_agreements, create_agreement))
        .routes(routes!(get_agreement, update_agreement, archive_agreement))
}

/// List agreements with their parties (logged-in readers).
#[utoipa::path(get, path = "/agreements", tag = "aftaler",
    params(ListParams, AgreementFilter),
    responses((status = 200, body = Page<AgreementWithParties>), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_agreements(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<AgreementFilter>,
) -> ApiResult<Json<Page<AgreementWithParties>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        agreements::list(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// Register an agreement with its parties.
#[utoipa::path(post, path = "/agreements", tag = "aftaler", request_body = AgreementInput,
    responses((status = 201, body = AgreementWithParties), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_agreement(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<AgreementInput>,
) -> ApiResult<(StatusCode, Json<AgreementWithParties>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let created = agreements::create(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One agreement with its parties.
#[utoipa::path(get, path = "/agreements/{id}", tag = "aftaler",
    params(("id" = i32, Path)),
    responses((status = 200, body = AgreementWithParties), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_agreement(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<AgreementWithParties>> {
    Ok(Json(agreements::get(state.app(), auth.who(), id).await?))
}

/// Change an agreement; the parties sent replace the stored ones.
#[utoipa::path(put, path = "/agreements/{id}", tag = "aftaler", request_body = AgreementInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = AgreementWithParties), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_agreement(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<AgreementInput>,
) -> ApiResult<Json<AgreementWithParties>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        agreements::update(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Archive an agreement ("delete").
#[utoipa::path(delete, path = "/agreements/{id}", tag = "aftaler",
    params(("id" = i32, Path)),
    responses((status = 200, body = agreement::Model), (status = 409, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn archive_agreement(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> ApiResult<Json<agreement::Model>> {
    auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    Ok(Json(
        agreements::archive(state.app(), auth.who(), id, version).await?,
    ))
}
