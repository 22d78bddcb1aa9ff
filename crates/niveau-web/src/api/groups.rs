//! /groups, /members and /group-meetings: steering, coordination, architecture and
//! professional groups, the people and organisations in them, and their meetings.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::groups::{
    self, GroupFilter, GroupInput, GroupMeetingInput, GroupWithMembers, MemberInput,
};
use niveau_store::entity::{group_meeting, group_member, work_group};
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
        .routes(routes!(list_groups, create_group))
        .routes(routes!(get_group, update_group, archive_group))
        .routes(routes!(add_member))
        .routes(routes!(update_member, remove_member))
        .routes(routes!(add_meeting))
        .routes(routes!(update_meeting, remove_meeting))
}

/// List groups (without members; logged-in readers).
#[utoipa::path(get, path = "/groups", tag = "grupper",
    params(ListParams, GroupFilter),
    responses((status = 200, body = Page<work_group::Model>), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_groups(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<GroupFilter>,
) -> ApiResult<Json<Page<work_group::Model>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        groups::list(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// Create a group, for a product or for the whole community.
#[utoipa::path(post, path = "/groups", tag = "grupper", request_body = GroupInput,
    responses((status = 201, body = work_group::Model), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_group(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<GroupInput>,
) -> ApiResult<(StatusCode, Json<work_group::Model>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let created = groups::create(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One group with its members.
#[utoipa::path(get, path = "/groups/{id}", tag = "grupper",
    params(("id" = i32, Path)),
    responses((status = 200, body = GroupWithMembers), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_group(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<GroupWithMembers>> {
    Ok(Json(groups::get(state.app(), auth.who(), id).await?))
}

/// Change a group (not its members: those have their own routes).
#[utoipa::path(put, path = "/groups/{id}", tag = "grupper", request_body = GroupInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = work_group::Model), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_group(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<GroupInput>,
) -> ApiResult<Json<work_group::Model>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        groups::update(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Archive a group ("delete").
#[utoipa::path(delete, path = "/groups/{id}", tag = "grupper",
    params(("id" = i32, Path)),
    responses((status = 200, body = work_group::Model), (status = 409, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn archive_group(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> ApiResult<Json<work_group::Model>> {
    auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    Ok(Json(
        groups::archive(state.app(), auth.who(), id, version).await?,
    ))
}

/// Add a person or an organisation to a group.
#[utoipa::path(post, path = "/groups/{id}/members", tag = "grupper", request_body = MemberInput,
    params(("id" = i32, Path, description = "the group")),
    responses((status = 201, body = group_member::Model), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_member(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<MemberInput>,
) -> ApiResult<(StatusCode, Json<group_member::Model>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let created = groups::add_member(state.app(), auth.who(), id, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change a member's person, organisation or role.
#[utoipa::path(put, path = "/members/{id}", tag = "grupper", request_body = MemberInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = group_member::Model), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_member(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<MemberInput>,
) -> ApiResult<Json<group_member::Model>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        groups::update_member(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Remove a member from its group (the audit log keeps the row).
#[utoipa::path(delete, path = "/members/{id}", tag = "grupper",
    params(("id" = i32, Path)),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    groups::remove_member(state.app(), auth.who(), id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record a meeting of a group: date, title, link to the minutes.
#[utoipa::path(post, path = "/groups/{id}/meetings", tag = "grupper", request_body = GroupMeetingInput,
    params(("id" = i32, Path, description = "the group")),
    responses((status = 201, body = group_meeting::Model), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn add_meeting(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<GroupMeetingInput>,
) -> ApiResult<(StatusCode, Json<group_meeting::Model>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let created = groups::add_meeting(state.app(), auth.who(), id, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change a group's meeting.
#[utoipa::path(put, path = "/group-meetings/{id}", tag = "grupper", request_body = GroupMeetingInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = group_meeting::Model), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_meeting(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<GroupMeetingInput>,
) -> ApiResult<Json<group_meeting::Model>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        groups::update_meeting(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Remove a group's meeting registered by mistake (the audit log keeps the row).
#[utoipa::path(delete, path = "/group-meetings/{id}", tag = "grupper",
    params(("id" = i32, Path)),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn remove_meeting(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    groups::remove_meeting(state.app(), auth.who(), id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
