//! /evaluations: the secretariat's evaluations. A draft is made from a self-evaluation
//! with ratings *proposed* from the answers, the latest scan and the portfolio registry
//! ([`niveau_app::proposals`]); the secretariat changes the ratings, takes the evaluation into
//! dialogue with the product, finalises it with the official level (a decision in the
//! log) and publishes it. Also /products/{key}/evidence: what the registry shows
//! ([`niveau_app::evidence`]).
//!
//! Every handler authorises, parses and calls one operation of
//! [`niveau_app::evaluations`], where the rules live.
//!
//! Who sees what: drafts (kladde) only the secretariat; evaluations in dialogue and final
//! ones readers of the product's evaluations ([`Action::ReadEvaluation`]: not a product
//! editor of another product); published ones also the public, when the product is
//! published.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::evaluations::{
    self as ops, CommentInput, EvaluationUpdate, Finalised, NewEvaluationInput, PortfolioEvidence,
    StatusInput, VersionInput,
};
use niveau_app::permissions::Action;
use niveau_app::visibility::resolve_product;
use niveau_store::entity::{evaluation, evaluation_comment, evaluation_version};
use niveau_store::evaluations::{EvaluationFilter, EvaluationView, FinaliseInput};
use niveau_store::{ListParams, Page};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::self_evaluations::next_link;
use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery, expected_version, parse_json};
use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_evaluation))
        .routes(routes!(product_evidence))
        .routes(routes!(list_evaluations))
        .routes(routes!(get_evaluation, update_evaluation))
        .routes(routes!(evaluation_versions))
        .routes(routes!(set_status))
        .routes(routes!(finalise))
        .routes(routes!(publish))
        .routes(routes!(discard))
        .routes(routes!(list_comments, add_comment))
}

/// Query of the evidence endpoint.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceParams {
    /// The model to map the evidence onto (default: the product's official model, else
    /// its newest self-evaluation's, else os2-1.1.0).
    pub model_id: Option<String>,
}

/// A JSON body that may also be absent (no bytes at all).
pub(crate) fn optional_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: &Bytes,
) -> ApiResult<Option<T>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    crate::extract::require_json(headers)?;
    parse_json(body).map(Some)
}

/// Create an evaluation draft of a product, answering its newest self-evaluation (or
/// `self_evaluation_id`). Every requirement gets the rating *proposed* from the answers,
/// the latest finished scan and the portfolio registry; `proposals` keeps each proposal
/// with its source (`answer`, `scan`, `portfolio`), confidence, reason and the proposals
/// that lost. The ratings are proposals until the secretariat confirms them.
#[utoipa::path(post, path = "/products/{key}/evaluations", tag = "evalueringer",
    params(("key" = String, Path, description = "id or slug")),
    request_body(content = Option<NewEvaluationInput>, description = "optional"),
    responses(
        (status = 201, body = EvaluationView),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the product has an open evaluation (code `open_evaluation`; the message names it)"),
        (status = 422, body = ErrorBody)))]
pub async fn create_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<EvaluationView>)> {
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    auth.require(Action::Evaluate)?;
    let input: NewEvaluationInput = optional_json(&headers, &body)?.unwrap_or_default();
    let created = ops::create_draft(state.app(), auth.who(), &product, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// What the portfolio registry shows about a product's governance requirements: findings
/// shaped like a scan's, each with the registry rows it rests on.
#[utoipa::path(get, path = "/products/{key}/evidence", tag = "evalueringer",
    params(("key" = String, Path, description = "id or slug"), EvidenceParams),
    responses((status = 200, body = PortfolioEvidence), (status = 401, body = ErrorBody)))]
pub async fn product_evidence(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    params: LaterQuery<EvidenceParams>,
) -> ApiResult<Json<PortfolioEvidence>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    Ok(Json(
        ops::product_evidence(state.app(), auth.who(), &product, params.model_id).await?,
    ))
}

/// Evaluations (heads), newest change first. Drafts only for the secretariat; a product
/// editor sees only the evaluations of their products; the public sees published
/// evaluations of published products.
#[utoipa::path(get, path = "/evaluations", tag = "evalueringer",
    params(ListParams, EvaluationFilter),
    responses((status = 200, body = Page<evaluation::Model>), (status = 403, body = ErrorBody)))]
pub async fn list_evaluations(
    State(state): State<AppState>,
    auth: Auth,
    Query(params): Query<ListParams>,
    Query(filter): Query<EvaluationFilter>,
) -> ApiResult<Json<Page<evaluation::Model>>> {
    Ok(Json(
        ops::list(state.app(), auth.who(), filter, &params).await?,
    ))
}

/// One evaluation with its current version (ratings, proposals, summary, indicated level).
#[utoipa::path(get, path = "/evaluations/{id}", tag = "evalueringer",
    params(("id" = i32, Path)),
    responses((status = 200, body = EvaluationView), (status = 404, body = ErrorBody)))]
pub async fn get_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<EvaluationView>> {
    Ok(Json(ops::get(state.app(), auth.who(), id).await?))
}

/// An evaluation's versions, oldest first, one page at a time (`limit` at most 100,
/// default 50; `offset`); draft versions only for the secretariat. A `Link` header names
/// the next page.
#[utoipa::path(get, path = "/evaluations/{id}/versions", tag = "evalueringer",
    params(("id" = i32, Path), ListParams),
    responses((status = 200, body = Page<evaluation_version::Model>), (status = 404, body = ErrorBody)))]
pub async fn evaluation_versions(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    Query(params): Query<ListParams>,
) -> ApiResult<(HeaderMap, Json<Page<evaluation_version::Model>>)> {
    let page = ops::versions(state.app(), auth.who(), id, &params).await?;
    let next = next_link(&format!("/api/v1/evaluations/{id}/versions"), &page);
    Ok((next, Json(page)))
}

/// Change the ratings (replaced as a whole) and the overall remark, as a new version.
/// Each requirement must be one of the evaluation's model, each rating green, yellow,
/// red, grey or null; the indicated level is computed again.
#[utoipa::path(put, path = "/evaluations/{id}", tag = "evalueringer",
    params(("id" = i32, Path)), request_body = EvaluationUpdate,
    responses(
        (status = 200, body = EvaluationView),
        (status = 409, body = ErrorBody, description = "stale version, or not editable any more"),
        (status = 422, body = ErrorBody)))]
pub async fn update_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<EvaluationUpdate>,
) -> ApiResult<Json<EvaluationView>> {
    auth.require(Action::Evaluate)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        ops::save_ratings(state.app(), auth.who(), id, version, input).await?,
    ))
}

/// Move an evaluation between kladde and i dialog.
#[utoipa::path(post, path = "/evaluations/{id}/status", tag = "evalueringer",
    params(("id" = i32, Path)), request_body = StatusInput,
    responses((status = 200, body = EvaluationView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_status(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<StatusInput>,
) -> ApiResult<Json<EvaluationView>> {
    auth.require(Action::Evaluate)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        ops::set_status(state.app(), auth.who(), id, version, input.status).await?,
    ))
}

/// Make an evaluation final with the official level: the evaluation becomes endelig, and
/// the `niveau` decision (`pending_decision`) waits for publication, which writes it in
/// the log and sets the product's official level. A level above the one the ratings
/// indicate needs a `justification`, written in the log with the basis.
#[utoipa::path(post, path = "/evaluations/{id}/finalise", tag = "evalueringer",
    params(("id" = i32, Path)), request_body = FinaliseInput,
    responses((status = 200, body = Finalised), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn finalise(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<FinaliseInput>,
) -> ApiResult<Json<Finalised>> {
    auth.require(Action::Evaluate)?;
    let input = body.parse()?;
    Ok(Json(
        ops::finalise(state.app(), auth.who(), id, input).await?,
    ))
}

/// The dialogue about an evaluation: every comment, oldest first, each naming its
/// requirement. Not public.
#[utoipa::path(get, path = "/evaluations/{id}/comments", tag = "evalueringer",
    params(("id" = i32, Path)),
    responses((status = 200, body = Vec<evaluation_comment::Model>), (status = 404, body = ErrorBody)))]
pub async fn list_comments(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<Vec<evaluation_comment::Model>>> {
    Ok(Json(ops::comments(state.app(), auth.who(), id).await?))
}

/// Add a comment about one requirement: the secretariat while the evaluation is kladde
/// or i dialog, the product's editors while it is i dialog.
#[utoipa::path(post, path = "/evaluations/{id}/comments", tag = "evalueringer",
    params(("id" = i32, Path)), request_body = CommentInput,
    responses(
        (status = 201, body = evaluation_comment::Model),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the evaluation is final; the dialogue is closed"),
        (status = 422, body = ErrorBody)))]
pub async fn add_comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<CommentInput>,
) -> ApiResult<(StatusCode, Json<evaluation_comment::Model>)> {
    // Who may comment is decided before the comment is read.
    ops::check_may_comment(state.app(), auth.who(), id).await?;
    let input = body.parse()?;
    let created = ops::comment(state.app(), auth.who(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Publish a final evaluation: its official-level decision is written in the decision
/// log and sets the product's official level, together. Nothing of the evaluation is
/// public before.
#[utoipa::path(post, path = "/evaluations/{id}/publish", tag = "evalueringer",
    params(("id" = i32, Path)), request_body(content = Option<VersionInput>, description = "or If-Match"),
    responses((status = 200, body = EvaluationView), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn publish(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<EvaluationView>> {
    auth.require(Action::Evaluate)?;
    let input: VersionInput = optional_json(&headers, &body)?.unwrap_or_default();
    let version = expected_version(&headers, input.version)?;
    let published = ops::publish(state.app(), auth.who(), id, version).await?;
    crate::publish::after_publication(&state, auth.who()).await;
    Ok(Json(published.evaluation))
}

/// Discard an evaluation in kladde or i dialog: it becomes kasseret, is kept with its
/// versions and comments for the secretariat, and no longer blocks a new draft of the
/// product.
#[utoipa::path(post, path = "/evaluations/{id}/discard", tag = "evalueringer",
    params(("id" = i32, Path)), request_body(content = Option<VersionInput>, description = "or If-Match"),
    responses((status = 200, body = EvaluationView), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn discard(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<EvaluationView>> {
    auth.require(Action::Evaluate)?;
    let input: VersionInput = optional_json(&headers, &body)?.unwrap_or_default();
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        ops::discard(state.app(), auth.who(), id, version).await?,
    ))
}
