//! /organisations and /persons: the municipalities, regions, suppliers and people of the
//! community. Persons hold e-mail addresses, so nothing here is public.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::organisations::{
    self, OrganisationFilter, OrganisationInput, PersonFilter, PersonInput,
};
use niveau_store::entity::{organisation, person};
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
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(
            get_organisation,
            update_organisation,
            archive_organisation
        ))
        .routes(routes!(list_persons, create_person))
        .routes(routes!(get_person, update_person, archive_person))
}

/// List organisations (logged-in readers).
#[utoipa::path(get, path = "/organisations", tag = "organisationer",
    params(ListParams, OrganisationFilter),
    responses((status = 200, body = Page<organisation::Model>), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<OrganisationFilter>,
) -> ApiResult<Json<Page<organisation::Model>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        organisations::list(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// Register an organisation.
#[utoipa::path(post, path = "/organisations", tag = "organisationer",
    request_body = OrganisationInput,
    responses((status = 201, body = organisation::Model), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<OrganisationInput>,
) -> ApiResult<(StatusCode, Json<organisation::Model>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let created = organisations::create(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One organisation.
#[utoipa::path(get, path = "/organisations/{id}", tag = "organisationer",
    params(("id" = i32, Path)),
    responses((status = 200, body = organisation::Model), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_organisation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<organisation::Model>> {
    Ok(Json(organisations::get(state.app(), auth.who(), id).await?))
}

/// Change an organisation.
#[utoipa::path(put, path = "/organisations/{id}", tag = "organisationer",
    request_body = OrganisationInput, params(("id" = i32, Path)),
    responses((status = 200, body = organisation::Model), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_organisation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<OrganisationInput>,
) -> ApiResult<Json<organisation::Model>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        organisations::update(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Archive an organisation ("delete"): it leaves the lists; its history stays.
#[utoipa::path(delete, path = "/organisations/{id}", tag = "organisationer",
    params(("id" = i32, Path)),
    responses((status = 200, body = organisation::Model), (status = 409, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn archive_organisation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> ApiResult<Json<organisation::Model>> {
    auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    Ok(Json(
        organisations::archive(state.app(), auth.who(), id, version).await?,
    ))
}

/// List persons (logged-in readers; they hold e-mail addresses).
#[utoipa::path(get, path = "/persons", tag = "organisationer",
    params(ListParams, PersonFilter),
    responses((status = 200, body = Page<person::Model>), (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn list_persons(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<PersonFilter>,
) -> ApiResult<Json<Page<person::Model>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        organisations::list_persons(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// Register a person.
#[utoipa::path(post, path = "/persons", tag = "organisationer", request_body = PersonInput,
    responses((status = 201, body = person::Model), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn create_person(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<PersonInput>,
) -> ApiResult<(StatusCode, Json<person::Model>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let created = organisations::create_person(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One person.
#[utoipa::path(get, path = "/persons/{id}", tag = "organisationer",
    params(("id" = i32, Path)),
    responses((status = 200, body = person::Model), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_person(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<person::Model>> {
    Ok(Json(
        organisations::get_person(state.app(), auth.who(), id).await?,
    ))
}

/// Change a person.
#[utoipa::path(put, path = "/persons/{id}", tag = "organisationer", request_body = PersonInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = person::Model), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_person(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<PersonInput>,
) -> ApiResult<Json<person::Model>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        organisations::update_person(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Archive a person ("delete").
#[utoipa::path(delete, path = "/persons/{id}", tag = "organisationer",
    params(("id" = i32, Path)),
    responses((status = 200, body = person::Model), (status = 409, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn archive_person(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> ApiResult<Json<person::Model>> {
    auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    Ok(Json(
        organisations::archive_person(state.app(), auth.who(), id, version).await?,
    ))
}
