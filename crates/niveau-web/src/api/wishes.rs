//! Development wishes (/wishes, /products/{key}/wishes, /wish-process): raise a wish,
//! screen it, attach the supplier's estimate, decide who pays, collect co-funding pledges,
//! prioritise, order and deliver it. The rules are niveau-app's ([`niveau_app::wishes`]).
//!
//! Every handler that changes a wish authorises first (the product's editors and the
//! secretariat handle wishes; every signed-in person may raise one and comment) and reads
//! the body only then. Every change names the version it is based on; a stale one is
//! `409 conflict` with the stored wish in `error.current`, a step the process does not
//! allow yet is `409 invalid_state` naming what is missing.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::wishes::overview::{self, Overview};
use niveau_app::wishes::table::{self, WishTable};
use niveau_app::wishes::{self, WishPage, WishView};
use niveau_store::entity::{wish, wish_comment, wish_pledge, wish_settings};
use niveau_store::wishes::{
    EstimateInput, FundingInput, PledgeInput, ScreeningInput, SettingsInput, StepInput, WishFilter,
    WishInput,
};
use niveau_store::{ListParams, Page};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery, expected_version};
use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(wish_process))
        .routes(routes!(list_wishes))
        .routes(routes!(wish_overview))
        .routes(routes!(product_wishes, raise_wish))
        .routes(routes!(prioritisation))
        .routes(routes!(get_settings, put_settings))
        .routes(routes!(get_wish, describe_wish))
        .routes(routes!(take_step))
        .routes(routes!(screen_wish))
        .routes(routes!(estimate_wish))
        .routes(routes!(fund_wish))
        .routes(routes!(rank_wish))
        .routes(routes!(pledge))
        .routes(routes!(withdraw_pledge))
        .routes(routes!(comment))
}

/// A wish's place in the order of priority.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RankInput {
    /// 1 first; null takes the wish out of the order.
    #[serde(default)]
    pub rank: Option<i32>,
    /// The version of the wish the change is based on.
    pub version: i32,
}

/// The version a change without other fields is based on.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    /// The wish's version (or an `If-Match` header).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A comment on a wish.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    /// The text.
    pub body: String,
}

/// A pledge registered: the wish (with its new version) and the pledge.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Pledged {
    /// The wish after the pledge.
    pub wish: wish::Model,
    /// The pledge.
    pub pledge: wish_pledge::Model,
}

/// A product's settings for wishes and the screening criteria in effect (the settings'
/// own, or the process's defaults when it has none).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishSettingsView {
    /// The settings (`id` 0 and `version` 0 when the product has set none).
    pub settings: wish_settings::Model,
    /// The criteria a screening rates.
    pub criteria: Vec<String>,
}

/// The wish process: its transitions, what each needs, the default screening criteria
/// (public).
#[utoipa::path(get, path = "/wish-process", tag = "ønsker",
    responses((status = 200, body = WishTable)))]
pub async fn wish_process() -> ApiResult<Json<WishTable>> {
    Ok(Json(table::builtin().clone()))
}

/// Wishes across the portfolio, newest first. The public sees a summary of published
/// products' wishes; signed-in readers the details; the requester's e-mail only those
/// who handle the wish.
#[utoipa::path(get, path = "/wishes", tag = "ønsker", params(ListParams, WishFilter),
    responses((status = 200, body = Page<WishView>), (status = 400, body = ErrorBody)))]
pub async fn list_wishes(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<WishFilter>,
) -> ApiResult<Json<Page<WishView>>> {
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        wishes::list(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// The portfolio overview of wishes: open wishes per product, age against the product's
/// target, unfunded wishes, where wishes wait (signed-in readers).
#[utoipa::path(get, path = "/wishes/overview", tag = "ønsker",
    responses((status = 200, body = Overview), (status = 401, body = ErrorBody)))]
pub async fn wish_overview(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Overview>> {
    Ok(Json(overview::overview(state.app(), auth.who()).await?))
}

/// A product's wishes, newest first unless sorted otherwise.
#[utoipa::path(get, path = "/products/{key}/wishes", tag = "ønsker",
    params(("key" = String, Path, description = "id or slug"), ListParams, WishFilter),
    responses((status = 200, body = Page<WishView>), (status = 404, body = ErrorBody)))]
pub async fn product_wishes(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<WishFilter>,
) -> ApiResult<Json<Page<WishView>>> {
    let params = params.parse()?;
    let filter = filter.parse()?;
    let (_, page) = wishes::of_product(state.app(), auth.who(), &key, &filter, &params).await?;
    Ok(Json(page))
}

/// Raise a wish for a product (every signed-in person: no developer account needed).
/// It starts as `ny`.
#[utoipa::path(post, path = "/products/{key}/wishes", tag = "ønsker",
    params(("key" = String, Path, description = "id or slug")), request_body = WishInput,
    responses((status = 201, body = wish::Model), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn raise_wish(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    body: JsonBody<WishInput>,
) -> ApiResult<(StatusCode, Json<wish::Model>)> {
    wishes::authorise_raise(state.app(), auth.who(), &key).await?;
    let input = body.parse()?;
    let created = wishes::raise(state.app(), auth.who(), &key, &input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// The coordination group's prioritisation view: the product's wishes ready for
/// prioritisation by rank (unranked last), then age (those who handle its wishes).
#[utoipa::path(get, path = "/products/{key}/wishes/prioritisation", tag = "ønsker",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = Vec<WishView>), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn prioritisation(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<Vec<WishView>>> {
    let (_, list) = wishes::prioritisation(state.app(), auth.who(), &key).await?;
    Ok(Json(list))
}

/// A product's settings for wishes and its screening criteria (signed-in readers).
#[utoipa::path(get, path = "/products/{key}/wish-settings", tag = "ønsker",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = WishSettingsView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<WishSettingsView>> {
    let (_, settings, criteria) = wishes::settings(state.app(), auth.who(), &key).await?;
    Ok(Json(WishSettingsView { settings, criteria }))
}

/// Set a product's screening criteria, whether pledges may exceed a target, and the target
/// days from raised to delivered (its editors and the secretariat). The first settings of
/// a product need no version; later ones the settings' version (body or `If-Match`).
#[utoipa::path(put, path = "/products/{key}/wish-settings", tag = "ønsker",
    params(("key" = String, Path, description = "id or slug")), request_body = SettingsInput,
    responses((status = 200, body = WishSettingsView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: JsonBody<SettingsInput>,
) -> ApiResult<Json<WishSettingsView>> {
    wishes::authorise_settings(state.app(), auth.who(), &key).await?;
    let mut input: SettingsInput = body.parse()?;
    input.version = expected_version(&headers, input.version).ok();
    let settings = wishes::put_settings(state.app(), auth.who(), &key, &input).await?;
    let criteria = wishes::rules::criteria(&settings);
    Ok(Json(WishSettingsView { settings, criteria }))
}

/// A wish with its history (every transition, oldest first), days in each state,
/// pledges, comments and the steps the caller may take.
#[utoipa::path(get, path = "/wishes/{id}", tag = "ønsker", params(("id" = i32, Path)),
    responses((status = 200, body = WishPage), (status = 404, body = ErrorBody)))]
pub async fn get_wish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<WishPage>> {
    Ok(Json(wishes::page(state.app(), auth.who(), id).await?))
}

/// Change a wish's description (before it is ordered; those who handle it).
#[utoipa::path(put, path = "/wishes/{id}", tag = "ønsker", params(("id" = i32, Path)),
    request_body = WishInput,
    responses((status = 200, body = wish::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn describe_wish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<WishInput>,
) -> ApiResult<Json<wish::Model>> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let mut input: WishInput = body.parse()?;
    input.version = Some(expected_version(&headers, input.version)?);
    Ok(Json(
        wishes::describe(state.app(), auth.who(), id, &input).await?,
    ))
}

/// Move a wish to another state. A step the process does not allow now is
/// `409 invalid_state` with a message naming what is missing (screening, estimate, the
/// decision, the co-funding still lacking, a reason).
#[utoipa::path(post, path = "/wishes/{id}/steps", tag = "ønsker", params(("id" = i32, Path)),
    request_body = StepInput,
    responses((status = 200, body = wish::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn take_step(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<StepInput>,
) -> ApiResult<Json<wish::Model>> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let input = body.parse()?;
    Ok(Json(
        wishes::step(state.app(), auth.who(), id, &input).await?,
    ))
}

/// Screen a wish against the product's criteria: every criterion once, rated `grøn`,
/// `gul` or `rød` with a note.
#[utoipa::path(put, path = "/wishes/{id}/screening", tag = "ønsker", params(("id" = i32, Path)),
    request_body = ScreeningInput,
    responses((status = 200, body = wish::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn screen_wish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<ScreeningInput>,
) -> ApiResult<Json<wish::Model>> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let input = body.parse()?;
    Ok(Json(
        wishes::screen(state.app(), auth.who(), id, &input).await?,
    ))
}

/// Attach the supplier's solution description and estimate (hours, øre).
#[utoipa::path(put, path = "/wishes/{id}/estimate", tag = "ønsker", params(("id" = i32, Path)),
    request_body = EstimateInput,
    responses((status = 200, body = wish::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn estimate_wish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<EstimateInput>,
) -> ApiResult<Json<wish::Model>> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let input = body.parse()?;
    Ok(Json(
        wishes::estimate(state.app(), auth.who(), id, &input).await?,
    ))
}

/// Record the coordination group's decision: who pays (`opgavestiller` or
/// `fællesskabet`), a co-funding target in øre, the rank.
#[utoipa::path(put, path = "/wishes/{id}/funding", tag = "ønsker", params(("id" = i32, Path)),
    request_body = FundingInput,
    responses((status = 200, body = wish::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn fund_wish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<FundingInput>,
) -> ApiResult<Json<wish::Model>> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let input = body.parse()?;
    Ok(Json(
        wishes::fund(state.app(), auth.who(), id, &input).await?,
    ))
}

/// Set only a wish's place in the order of priority (the prioritisation view).
#[utoipa::path(put, path = "/wishes/{id}/rank", tag = "ønsker", params(("id" = i32, Path)),
    request_body = RankInput,
    responses((status = 200, body = wish::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rank_wish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<RankInput>,
) -> ApiResult<Json<wish::Model>> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let input: RankInput = body.parse()?;
    Ok(Json(
        wishes::rank(state.app(), auth.who(), id, input.version, input.rank).await?,
    ))
}

/// Register an organisation's pledge of co-funding. The wish's version is bumped, so of
/// two pledges based on the same version one is `409 conflict`; a pledge above what is
/// left of the target is `422` on `amount_ore` unless the product allows over-funding.
#[utoipa::path(post, path = "/wishes/{id}/pledges", tag = "ønsker", params(("id" = i32, Path)),
    request_body = PledgeInput,
    responses((status = 201, body = Pledged), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pledge(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<PledgeInput>,
) -> ApiResult<(StatusCode, Json<Pledged>)> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let input = body.parse()?;
    let (wish, pledge) = wishes::pledge(state.app(), auth.who(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(Pledged { wish, pledge })))
}

/// Withdraw a pledge (before the order); it stays in the history as withdrawn.
#[utoipa::path(post, path = "/wishes/{id}/pledges/{pledge_id}/withdrawal", tag = "ønsker",
    params(("id" = i32, Path), ("pledge_id" = i32, Path)),
    request_body(content = VersionInput, description = "or If-Match"),
    responses((status = 200, body = wish::Model), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 428, body = ErrorBody)))]
pub async fn withdraw_pledge(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, pledge_id)): Path<(i32, i32)>,
    headers: HeaderMap,
    body: JsonBody<VersionInput>,
) -> ApiResult<Json<wish::Model>> {
    wishes::authorise_manage(state.app(), auth.who(), id).await?;
    let input: VersionInput = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        wishes::withdraw(state.app(), auth.who(), id, pledge_id, version).await?,
    ))
}

/// Comment on a wish (every signed-in person who sees it; append-only).
#[utoipa::path(post, path = "/wishes/{id}/comments", tag = "ønsker", params(("id" = i32, Path)),
    request_body = CommentInput,
    responses((status = 201, body = wish_comment::Model), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<CommentInput>,
) -> ApiResult<(StatusCode, Json<wish_comment::Model>)> {
    wishes::authorise_comment(state.app(), auth.who(), id).await?;
    let input: CommentInput = body.parse()?;
    let created = wishes::comment(state.app(), auth.who(), id, &input.body).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
