//! The product process (/process, /products/{key}/process), the board's meetings and
//! cases (/board/…) and projects' progress reports (/products/{key}/progress,
//! /progress). The rules are niveau-app's ([`niveau_app::process`], [`niveau_app::board`],
//! [`niveau_app::progress`]).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::board::{self, DecidedCase};
use niveau_app::process::{self, ProcessTable, ProcessView, StepInput};
use niveau_app::progress::{self, ProjectFollowUp};
use niveau_app::rounds::{self, RoundView};
use niveau_store::board::{CaseDecisionInput, CaseFilter, CaseInput, MeetingInput, MeetingView};
use niveau_store::entity::{board_case, board_meeting, decision, progress_report};
use niveau_store::progress::ProgressInput;
use niveau_store::{ListParams, Page};
use serde::Deserialize;
use utoipa::ToSchema;
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
        .routes(routes!(process_table))
        .routes(routes!(product_process))
        .routes(routes!(take_step))
        .routes(routes!(list_meetings, create_meeting))
        .routes(routes!(get_meeting, update_meeting))
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case, update_case))
        .routes(routes!(decide_case))
        .routes(routes!(list_progress, report_progress))
        .routes(routes!(follow_up))
        .routes(routes!(close_round))
}

/// The product process: its stages, transitions, deciders and conditions (public).
#[utoipa::path(get, path = "/process", tag = "proces",
    responses((status = 200, body = ProcessTable)))]
pub async fn process_table() -> ApiResult<Json<ProcessTable>> {
    Ok(Json(process::builtin()?.clone()))
}

/// A product's place in the process and the steps the caller may record from it.
#[utoipa::path(get, path = "/products/{key}/process", tag = "proces",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = ProcessView), (status = 404, body = ErrorBody)))]
pub async fn product_process(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<ProcessView>> {
    Ok(Json(process::view(state.app(), auth.who(), &key).await?))
}

/// Take a step of the process: written as a `stadie` decision that moves the product.
/// Refused (409 `invalid_state`) with a message naming the missing step.
#[utoipa::path(post, path = "/products/{key}/process/steps", tag = "proces",
    params(("key" = String, Path, description = "id or slug")), request_body = StepInput,
    responses((status = 201, body = decision::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn take_step(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    body: JsonBody<StepInput>,
) -> ApiResult<(StatusCode, Json<decision::Model>)> {
    process::authorise_step(state.app(), auth.who(), &key).await?;
    let input = body.parse()?;
    let written = process::step(state.app(), auth.who(), &key, input).await?;
    Ok((StatusCode::CREATED, Json(written)))
}

/// Board meetings, newest first (the board and the secretariat).
#[utoipa::path(get, path = "/board/meetings", tag = "bestyrelse", params(ListParams),
    responses((status = 200, body = Page<board_meeting::Model>), (status = 403, body = ErrorBody)))]
pub async fn list_meetings(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
) -> ApiResult<Json<Page<board_meeting::Model>>> {
    auth.require(Action::ReadBoard)?;
    let params = params.parse()?;
    Ok(Json(
        board::meetings(state.app(), auth.who(), &params).await?,
    ))
}

/// Plan a board meeting (the secretariat).
#[utoipa::path(post, path = "/board/meetings", tag = "bestyrelse", request_body = MeetingInput,
    responses((status = 201, body = board_meeting::Model), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_meeting(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<MeetingInput>,
) -> ApiResult<(StatusCode, Json<board_meeting::Model>)> {
    auth.require(Action::PrepareBoard)?;
    let input = body.parse()?;
    let created = board::create_meeting(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One meeting with the cases on its agenda.
#[utoipa::path(get, path = "/board/meetings/{id}", tag = "bestyrelse",
    params(("id" = i32, Path)),
    responses((status = 200, body = MeetingView), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_meeting(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<MeetingView>> {
    Ok(Json(board::meeting(state.app(), auth.who(), id).await?))
}

/// Change a meeting.
#[utoipa::path(put, path = "/board/meetings/{id}", tag = "bestyrelse", request_body = MeetingInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = board_meeting::Model), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_meeting(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<MeetingInput>,
) -> ApiResult<Json<board_meeting::Model>> {
    auth.require(Action::PrepareBoard)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        board::update_meeting(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Board cases, newest first (the board and the secretariat).
#[utoipa::path(get, path = "/board/cases", tag = "bestyrelse", params(CaseFilter, ListParams),
    responses((status = 200, body = Page<board_case::Model>), (status = 403, body = ErrorBody)))]
pub async fn list_cases(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<CaseFilter>,
) -> ApiResult<Json<Page<board_case::Model>>> {
    auth.require(Action::ReadBoard)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        board::cases(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// Prepare a case for the board (sagsoplæg; the secretariat).
#[utoipa::path(post, path = "/board/cases", tag = "bestyrelse", request_body = CaseInput,
    responses((status = 201, body = board_case::Model), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_case(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<CaseInput>,
) -> ApiResult<(StatusCode, Json<board_case::Model>)> {
    auth.require(Action::PrepareBoard)?;
    let input = body.parse()?;
    let created = board::create_case(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One case.
#[utoipa::path(get, path = "/board/cases/{id}", tag = "bestyrelse",
    params(("id" = i32, Path)),
    responses((status = 200, body = board_case::Model), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_case(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<board_case::Model>> {
    Ok(Json(board::case(state.app(), auth.who(), id).await?))
}

/// Change an undecided case.
#[utoipa::path(put, path = "/board/cases/{id}", tag = "bestyrelse", request_body = CaseInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = board_case::Model), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_case(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<CaseInput>,
) -> ApiResult<Json<board_case::Model>> {
    auth.require(Action::PrepareBoard)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        board::update_case(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Record the board's decision on a case, once; it is applied to the product (see the
/// table in niveau-app's board module).
#[utoipa::path(post, path = "/board/cases/{id}/decision", tag = "bestyrelse",
    request_body = CaseDecisionInput, params(("id" = i32, Path)),
    responses((status = 200, body = DecidedCase), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn decide_case(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<CaseDecisionInput>,
) -> ApiResult<Json<DecidedCase>> {
    auth.require(Action::DecideBoard)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        board::decide(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// A project's progress reports, newest first (logged-in readers).
#[utoipa::path(get, path = "/products/{key}/progress", tag = "proces",
    params(("key" = String, Path, description = "id or slug"), ListParams),
    responses((status = 200, body = Page<progress_report::Model>), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn list_progress(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    params: LaterQuery<ListParams>,
) -> ApiResult<Json<Page<progress_report::Model>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let (_, page) = progress::reports(state.app(), auth.who(), &key, &params).await?;
    Ok(Json(page))
}

/// Report a project's progress and economy (its editors and the secretariat).
#[utoipa::path(post, path = "/products/{key}/progress", tag = "proces",
    params(("key" = String, Path, description = "id or slug")), request_body = ProgressInput,
    responses((status = 201, body = progress_report::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report_progress(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    body: JsonBody<ProgressInput>,
) -> ApiResult<(StatusCode, Json<progress_report::Model>)> {
    progress::authorise_report(state.app(), auth.who(), &key).await?;
    let input = body.parse()?;
    let created = progress::report(state.app(), auth.who(), &key, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Every project with its newest report; late and over-budget ones first (the board and
/// the secretariat).
#[utoipa::path(get, path = "/progress", tag = "proces",
    responses((status = 200, body = Vec<ProjectFollowUp>), (status = 403, body = ErrorBody)))]
pub async fn follow_up(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<ProjectFollowUp>>> {
    auth.require(Action::ReadBoard)?;
    Ok(Json(progress::follow_up(state.app(), auth.who()).await?))
}

/// The version a close is based on.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct CloseInput {
    /// The round's version.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Close an evaluation round (the secretariat).
#[utoipa::path(post, path = "/rounds/{id}/close", tag = "runder",
    params(("id" = i32, Path)), request_body(content = Option<CloseInput>, description = "or If-Match"),
    responses((status = 200, body = RoundView), (status = 409, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn close_round(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<Json<RoundView>> {
    auth.require(Action::EditPortfolio)?;
    let input: CloseInput = super::evaluations::optional_json(&headers, &body)?.unwrap_or_default();
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        rounds::close(state.app(), auth.who(), id, version).await?,
    ))
}
