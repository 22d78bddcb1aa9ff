//! /products: the portfolio, one product's page, and its participants.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::products::{self, ParticipantInput, ProductFilter, ProductInput, ProductPage};
use niveau_store::entity::{participant, product};
use niveau_store::{ListParams, Page};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{JsonBody, expected_version};
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_products, create_product))
        .routes(routes!(get_product, update_product, archive_product))
        .routes(routes!(list_participants, add_participant))
        .routes(routes!(update_participant, remove_participant))
}

/// List products. The public sees published products; logged-in readers see all.
#[utoipa::path(get, path = "/products", tag = "produkter",
    params(ListParams, ProductFilter),
    responses((status = 200, body = Page<product::Model>), (status = 422, body = ErrorBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    auth: Auth,
    Query(params): Query<ListParams>,
    Query(filter): Query<ProductFilter>,
) -> ApiResult<Json<Page<product::Model>>> {
    Ok(Json(
        products::list(state.app(), auth.who(), filter, &params).await?,
    ))
}

/// Register a product.
#[utoipa::path(post, path = "/products", tag = "produkter", request_body = ProductInput,
    responses((status = 201, body = product::Model), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_product(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<ProductInput>,
) -> ApiResult<(StatusCode, Json<product::Model>)> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let locations = state.config().worker.remote_policy();
    let created = products::create(state.app(), auth.who(), input, &locations).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// A product's page (by id or slug).
#[utoipa::path(get, path = "/products/{key}", tag = "produkter",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = ProductPage), (status = 404, body = ErrorBody)))]
pub async fn get_product(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<ProductPage>> {
    Ok(Json(products::page(state.app(), auth.who(), &key).await?))
}

/// Change a product (not its stage or official level: those are decisions). The
/// product's editors may change its fields; publishing, unpublishing and a new slug are
/// the secretariat's (403 for an editor, naming the field).
#[utoipa::path(put, path = "/products/{key}", tag = "produkter", request_body = ProductInput,
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = product::Model), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_product(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: JsonBody<ProductInput>,
) -> ApiResult<Json<product::Model>> {
    let product = products::editable(state.app(), auth.who(), &key).await?;
    let input: ProductInput = body.parse()?;
    products::check_publishing(auth.who(), &product, &input)?;
    let version = expected_version(&headers, input.version)?;
    let locations = state.config().worker.remote_policy();
    Ok(Json(
        products::update(state.app(), auth.who(), &key, version, input, &locations).await?,
    ))
}

/// Archive a product ("delete"): it disappears from lists; its history stays.
#[utoipa::path(delete, path = "/products/{key}", tag = "produkter",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = product::Model), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn archive_product(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<product::Model>> {
    // Not found before forbidden, and both before the version is read.
    niveau_app::visibility::resolve_product(state.store(), auth.who(), &key).await?;
    auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    Ok(Json(
        products::archive(state.app(), auth.who(), &key, version).await?,
    ))
}

/// The participants of a product.
#[utoipa::path(get, path = "/products/{key}/participants", tag = "produkter",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Vec<participant::Model>)))]
pub async fn list_participants(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<participant::Model>>> {
    Ok(Json(
        products::participants(state.app(), auth.who(), &key).await?,
    ))
}

/// Add an organisation or person to a product.
#[utoipa::path(post, path = "/products/{key}/participants", tag = "produkter", request_body = ParticipantInput,
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 201, body = participant::Model), (status = 422, body = ErrorBody)))]
pub async fn add_participant(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    body: JsonBody<ParticipantInput>,
) -> ApiResult<(StatusCode, Json<participant::Model>)> {
    products::editable(state.app(), auth.who(), &key).await?;
    let input = body.parse()?;
    let created = products::add_participant(state.app(), auth.who(), &key, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Change a participant.
#[utoipa::path(put, path = "/participants/{id}", tag = "produkter", request_body = ParticipantInput,
    params(("id" = i32, Path)),
    responses((status = 200, body = participant::Model), (status = 409, body = ErrorBody)))]
pub async fn update_participant(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<ParticipantInput>,
) -> ApiResult<Json<participant::Model>> {
    products::participant_editable(state.app(), auth.who(), id).await?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        products::update_participant(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Remove a participant.
#[utoipa::path(delete, path = "/participants/{id}", tag = "produkter",
    params(("id" = i32, Path)),
    responses((status = 204), (status = 409, body = ErrorBody)))]
pub async fn remove_participant(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    products::participant_editable(state.app(), auth.who(), id).await?;
    let version = expected_version(&headers, None)?;
    products::remove_participant(state.app(), auth.who(), id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
