//! /evaluations: the secretariat's evaluations. A draft is made from a self-evaluation
//! with ratings *proposed* from the answers, the latest scan and the portfolio registry
//! ([`niveau_app::proposals`]); the secretariat changes the ratings, takes the evaluation into
//! dialogue with the product, finalises it with the official level (a decision in the
//! log) and publishes it. Also /products/{key}/evidence: what the registry shows
//! ([`niveau_app::evidence`]).
//!
//! Who sees what: drafts (kladde) only the secretariat; evaluations in dialogue and final
//! ones readers of the product's evaluations ([`Action::ReadEvaluation`]: not a product
//! editor of another product); published ones also the public, when the product is
//! published.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_model::{Model, Rating, RatingEntry};
use niveau_report::document::Report;
use niveau_store::entity::{decision, evaluation, evaluation_comment, evaluation_version};
use niveau_store::evaluations::{
    EvaluationChange, EvaluationFilter, EvaluationView, FinaliseInput, NewEvaluation,
};
use niveau_store::types::EvaluationStatus;
use niveau_store::{ListParams, Page, StoreError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::products::resolve;
use crate::auth::principal::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery, expected_version, parse_json};
use crate::state::AppState;
use niveau_app::evidence::{self, PortfolioFinding};
use niveau_app::permissions::Action;
use niveau_app::proposals;

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
        .routes(routes!(list_comments, add_comment))
}

/// What a client may send to create a draft; every field is optional, and so is the body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvaluationInput {
    /// The model to evaluate against (default: the self-evaluation's model).
    #[serde(default)]
    pub model_id: Option<String>,
    /// The self-evaluation to answer (default: the product's newest).
    #[serde(default)]
    pub self_evaluation_id: Option<i32>,
    /// An overall remark to start with.
    #[serde(default)]
    pub summary: Option<String>,
}

/// One rating as a client sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// The requirement id (`F7`), in the evaluation's model.
    pub requirement: String,
    /// `green`, `yellow`, `red`, `grey` (also 🟢 🟡 🔴 ⚪ and the Danish names), or null
    /// for not rated.
    #[serde(default)]
    pub rating: Option<String>,
    /// The basis (vurderingsgrundlag); for grey the explanation that follow-or-explain
    /// requires.
    #[serde(default)]
    pub basis: Option<String>,
    /// A recommendation for this requirement.
    #[serde(default)]
    pub recommendation: Option<String>,
    /// The rating as written in a source document (kept as sent).
    #[serde(default)]
    pub original: Option<String>,
}

/// A change of an evaluation: the ratings replace the current ones as a whole.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationUpdate {
    /// Every rating of the new version.
    pub ratings: Vec<RatingInput>,
    /// The summary (opsummering).
    #[serde(default)]
    pub summary: Option<String>,
    /// The overall assessment (samlet vurdering).
    #[serde(default)]
    pub overall: Option<String>,
    /// Recommendations to the product (anbefalinger).
    #[serde(default)]
    pub recommendations: Option<String>,
    /// The version the change is based on (or If-Match).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A status change.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `kladde` or `i dialog`.
    pub status: EvaluationStatus,
    /// The version the change is based on (or If-Match).
    #[serde(default)]
    pub version: Option<i32>,
}

/// The version a publication is based on.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    /// The version (or If-Match).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A finalised evaluation and the decision that set the official level.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Finalised {
    /// The evaluation, now endelig.
    pub evaluation: EvaluationView,
    /// The decision in the log.
    pub decision: decision::Model,
}

/// Query of the evidence endpoint.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceParams {
    /// The model to map the evidence onto (default: the product's official model, else
    /// its newest self-evaluation's, else os2-1.1.0).
    pub model_id: Option<String>,
}

/// What the portfolio registry shows about a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PortfolioEvidence {
    /// The product.
    pub product_id: i32,
    /// The model the findings are in.
    pub model_id: String,
    /// One finding per requirement the registry supports.
    pub findings: Vec<PortfolioFinding>,
}

/// A JSON body that may also be absent (no bytes at all).
fn optional_json<T: DeserializeOwned>(headers: &HeaderMap, body: &Bytes) -> ApiResult<Option<T>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    crate::extract::require_json(headers)?;
    parse_json(body).map(Some)
}

fn model_of<'a>(state: &'a AppState, model_id: &str) -> ApiResult<&'a Model> {
    state
        .registry()
        .get(model_id)
        .map_err(|e| ApiError::invalid_da("model_id", e.to_string()))
}

fn to_json<T: Serialize>(value: &T) -> ApiResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| ApiError::internal(&e))
}

/// Checks ratings sent by a client against the model: known requirement ids (each at
/// most once), known ratings. Returns them in the model's order with canonical ids.
pub fn check_ratings(model: &Model, inputs: &[RatingInput]) -> ApiResult<Vec<RatingEntry>> {
    let mut entries: Vec<(usize, RatingEntry)> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let found = model.requirement(&input.requirement);
        let Some(position) =
            found.and_then(|req| model.requirements().iter().position(|r| r.id == req.id))
        else {
            return Err(ApiError::invalid_da(
                &format!("ratings[{i}].requirement"),
                format!(
                    "kravet '{}' findes ikke i modellen {}",
                    input.requirement,
                    model.id()
                ),
            ));
        };
        let requirement = &model.requirements()[position];
        if entries.iter().any(|(p, _)| *p == position) {
            return Err(ApiError::invalid_da(
                &format!("ratings[{i}].requirement"),
                format!("kravet {} er vurderet to gange", requirement.id),
            ));
        }
        let rating = match input.rating.as_deref() {
            None => None,
            Some(text) => Some(Rating::parse(text).ok_or_else(|| {
                ApiError::invalid_da(
                    &format!("ratings[{i}].rating"),
                    format!(
                        "ukendt vurdering '{text}'; brug green, yellow, red eller grey (🟢 🟡 🔴 ⚪), eller null for ikke vurderet"
                    ),
                )
            })?),
        };
        let blank = |t: &Option<String>| t.clone().filter(|s| !s.trim().is_empty());
        entries.push((
            position,
            RatingEntry {
                requirement: requirement.id.clone(),
                rating,
                original: blank(&input.original),
                basis: blank(&input.basis),
                recommendation: blank(&input.recommendation),
            },
        ));
    }
    entries.sort_by_key(|(p, _)| *p);
    Ok(entries.into_iter().map(|(_, e)| e).collect())
}

/// Whether the caller may see this evaluation
/// ([`niveau_app::visibility::ensure_evaluation_visible`]).
pub async fn ensure_visible(
    state: &AppState,
    auth: &Auth,
    head: &evaluation::Model,
) -> ApiResult<()> {
    Ok(niveau_app::visibility::ensure_evaluation_visible(state.store(), auth.who(), head).await?)
}

/// The products whose evaluations the caller may read; `None` for every product.
pub fn readable_products(auth: &Auth) -> Option<Vec<i32>> {
    niveau_app::visibility::readable_products(auth.who())
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
        (status = 422, body = ErrorBody)))]
pub async fn create_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<EvaluationView>)> {
    let product = resolve(&state, &auth, &key).await?;
    auth.require(Action::Evaluate)?;
    let input: NewEvaluationInput = optional_json(&headers, &body)?.unwrap_or_default();
    let created = create_draft(&state, &auth, &product, input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Creates an evaluation draft of `product` with proposed ratings (see
/// [`create_evaluation`]); shared by the API and the workbench.
pub async fn create_draft(
    state: &AppState,
    auth: &Auth,
    product: &niveau_store::entity::product::Model,
    input: NewEvaluationInput,
) -> ApiResult<EvaluationView> {
    let who = auth.require(Action::Evaluate)?;
    let store = state.store();
    let registry = state.registry();
    let self_evaluation = match input.self_evaluation_id {
        Some(id) => {
            let found = match store.self_evaluation(id).await {
                Ok(se) => Some(se),
                Err(StoreError::NotFound { .. }) => None,
                Err(other) => return Err(other.into()),
            };
            match found {
                Some(se) if se.product_id == product.id => Some(se),
                _ => {
                    return Err(ApiError::invalid_da(
                        "self_evaluation_id",
                        format!("selvevaluering {id} hører ikke til {}", product.name),
                    ));
                }
            }
        }
        None => store.latest_self_evaluation(product.id).await?,
    };
    let Some(model_id) = input
        .model_id
        .clone()
        .or_else(|| self_evaluation.as_ref().map(|s| s.model_id.clone()))
    else {
        return Err(ApiError::invalid_da(
            "model_id",
            format!(
                "{} har ingen selvevaluering; angiv den model, der evalueres efter",
                product.name
            ),
        ));
    };
    let model = model_of(state, &model_id)?;
    let mut candidates = Vec::new();

    // (a) The answers, through the proposal table, translated if the models differ.
    if let Some(se) = &self_evaluation {
        // A stored document that no longer reads (written by hand into the database, or by
        // a future format) is the caller's to fix, not a server fault.
        let report: Report = serde_json::from_value(se.document.clone()).map_err(|e| {
            ApiError::danish(
                StatusCode::UNPROCESSABLE_ENTITY,
                "unreadable_self_evaluation",
                format!(
                    "selvevaluering {} (version {}) kan ikke læses: {e}; indsend den igen",
                    se.id, se.number
                ),
            )
            .field("self_evaluation_id")
        })?;
        if let (Some(answers), Ok(se_model)) =
            (report.self_evaluation.as_ref(), registry.get(&se.model_id))
        {
            let table = proposals::default_table()?;
            let (_, from_answers) =
                niveau_report::draft::propose(&report, answers, se_model, table);
            candidates.extend(proposals::translate(
                registry,
                se_model,
                model,
                proposals::from_answers(&from_answers),
            ));
        }
    }
    // (b) The latest finished scan.
    if let Some(run) = store.latest_scan(product.id).await?
        && let Some(result) = &run.result
    {
        candidates.extend(proposals::from_scan(registry, model, run.id, result));
    }
    // (c) The portfolio registry.
    let data = evidence::load(store, product.id).await?;
    let found = evidence::findings(&data, model, store.now().date_naive());
    candidates.extend(proposals::from_portfolio(&found));

    let merged = proposals::merge(model, candidates);
    let ratings = proposals::initial_ratings(model, &merged);
    let indicated_level = proposals::indicated_level(model, &ratings);
    let created = store
        .create_evaluation(
            &who.actor(),
            NewEvaluation {
                product_id: product.id,
                self_evaluation_id: self_evaluation.as_ref().map(|s| s.id),
                model_id: model.id().to_string(),
                model_version: model.version().to_owned(),
                ratings: to_json(&ratings)?,
                proposals: to_json(&merged)?,
                summary: input.summary,
                indicated_level,
            },
        )
        .await?;
    Ok(created)
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
    let product = resolve(&state, &auth, &key).await?;
    let model_id = match params.model_id.or_else(|| product.official_model.clone()) {
        Some(m) => m,
        None => state
            .store()
            .latest_self_evaluation(product.id)
            .await?
            .map(|s| s.model_id)
            .unwrap_or_else(|| niveau_scan::check::DETECTOR_MODEL.to_owned()),
    };
    let model = model_of(&state, &model_id)?;
    let data = evidence::load(state.store(), product.id).await?;
    let findings = evidence::findings(&data, model, state.store().now().date_naive());
    Ok(Json(PortfolioEvidence {
        product_id: product.id,
        model_id: model.id().to_string(),
        findings,
    }))
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
    Query(mut filter): Query<EvaluationFilter>,
) -> ApiResult<Json<Page<evaluation::Model>>> {
    if auth.0.is_none() {
        if filter
            .status
            .is_some_and(|s| s != EvaluationStatus::Offentliggjort)
        {
            filter.products = Some(Vec::new());
        }
        filter.status = Some(EvaluationStatus::Offentliggjort);
        filter.public_only = true;
        return Ok(Json(
            state.store().list_evaluations(&filter, &params).await?,
        ));
    }
    filter.products = readable_products(&auth);
    let drafts = auth.can(Action::ReadEvaluationDrafts);
    if filter.status == Some(EvaluationStatus::Kladde) && !drafts {
        return Err(ApiError::forbidden());
    }
    filter.exclude_drafts = !drafts;
    Ok(Json(
        state.store().list_evaluations(&filter, &params).await?,
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
    let view = state.store().evaluation(id).await?;
    ensure_visible(&state, &auth, &view.head).await?;
    Ok(Json(view))
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
    let view = state.store().evaluation(id).await?;
    ensure_visible(&state, &auth, &view.head).await?;
    auth.require(Action::ReadEvaluation(view.head.product_id))?;
    let drafts = auth.can(Action::ReadEvaluationDrafts);
    let page = state
        .store()
        .evaluation_versions(id, drafts, &params)
        .await?;
    let next = crate::api::self_evaluations::next_link(
        &format!("/api/v1/evaluations/{id}/versions"),
        &page,
    );
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
    let who = auth.require(Action::Evaluate)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    let current = state.store().evaluation(id).await?;
    let model = model_of(&state, &current.head.model_id)?;
    let ratings = check_ratings(model, &input.ratings)?;
    let indicated_level = proposals::indicated_level(model, &ratings);
    Ok(Json(
        state
            .store()
            .update_evaluation(
                &who.actor(),
                id,
                version,
                EvaluationChange {
                    ratings: to_json(&ratings)?,
                    summary: input.summary,
                    overall: input.overall,
                    recommendations: input.recommendations,
                    indicated_level,
                },
            )
            .await?,
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
    let who = auth.require(Action::Evaluate)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        state
            .store()
            .set_evaluation_status(&who.actor(), id, version, input.status)
            .await?,
    ))
}

/// Make an evaluation final with the official level: the evaluation becomes endelig, and
/// a `niveau` decision in the log sets the product's official level, together.
#[utoipa::path(post, path = "/evaluations/{id}/finalise", tag = "evalueringer",
    params(("id" = i32, Path)), request_body = FinaliseInput,
    responses((status = 200, body = Finalised), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn finalise(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<FinaliseInput>,
) -> ApiResult<Json<Finalised>> {
    let who = auth.require(Action::Evaluate)?;
    let mut input = body.parse()?;
    let current = state.store().evaluation(id).await?;
    let model = model_of(&state, &current.head.model_id)?;
    let Some(level) = model.level(&input.level) else {
        let known: Vec<&str> = model.levels().iter().map(|l| l.id.as_str()).collect();
        return Err(ApiError::invalid_da(
            "level",
            format!(
                "niveauet '{}' findes ikke i {}; mulige: {}",
                input.level,
                model.id(),
                known.join(", ")
            ),
        ));
    };
    input.level = level.id.to_string();
    let (evaluation, decision) = state
        .store()
        .finalise_evaluation(&who.actor(), id, input)
        .await?;
    Ok(Json(Finalised {
        evaluation,
        decision,
    }))
}

/// A comment as a client sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    /// The requirement (`F7`), in the evaluation's model.
    pub requirement: String,
    /// The comment, plain text.
    pub body: String,
}

/// Whether the caller may take part in the dialogue about an evaluation.
pub fn may_comment(auth: &Auth, head: &evaluation::Model) -> bool {
    niveau_app::visibility::may_comment(auth.who(), head)
}

/// Whether the caller may comment on evaluation `id` now: the caller and the evaluation,
/// or 401/403/404 (409 when the dialogue is closed). Checked before the comment is read.
async fn check_may_comment<'a>(
    state: &AppState,
    auth: &'a Auth,
    id: i32,
) -> ApiResult<(&'a crate::auth::principal::Principal, EvaluationView)> {
    let who = auth.require(Action::ReadPortfolio)?;
    let view = state.store().evaluation(id).await?;
    ensure_visible(state, auth, &view.head).await?;
    if !may_comment(auth, &view.head) {
        return Err(if view.head.status.is_editable() {
            auth.require(Action::Evaluate)
                .err()
                .unwrap_or_else(ApiError::forbidden)
        } else {
            StoreError::state(
                format!("evalueringen er {} og dialogen er lukket", view.head.status),
                format!(
                    "the evaluation is {} and the dialogue is closed",
                    view.head.status
                ),
            )
            .into()
        });
    }
    Ok((who, view))
}

/// Adds a comment to the thread of one requirement, as the caller; checks the
/// requirement against the evaluation's model. Shared by the API and the workbench.
pub async fn comment(
    state: &AppState,
    auth: &Auth,
    id: i32,
    input: &CommentInput,
) -> ApiResult<evaluation_comment::Model> {
    let (who, view) = check_may_comment(state, auth, id).await?;
    let model = model_of(state, &view.head.model_id)?;
    let Some(requirement) = model.requirement(&input.requirement) else {
        return Err(ApiError::invalid_da(
            "requirement",
            format!(
                "kravet '{}' findes ikke i modellen {}",
                input.requirement,
                model.id()
            ),
        ));
    };
    Ok(state
        .store()
        .add_comment(&who.actor(), id, requirement.id.as_str(), &input.body)
        .await?)
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
    let view = state.store().evaluation(id).await?;
    ensure_visible(&state, &auth, &view.head).await?;
    auth.require(Action::ReadEvaluation(view.head.product_id))?;
    Ok(Json(state.store().comments(id).await?))
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
    check_may_comment(&state, &auth, id).await?;
    let input = body.parse()?;
    let created = comment(&state, &auth, id, &input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Publish a final evaluation.
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
    let who = auth.require(Action::Evaluate)?;
    let input: VersionInput = optional_json(&headers, &body)?.unwrap_or_default();
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        state
            .store()
            .publish_evaluation(&who.actor(), id, version)
            .await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(requirement: &str, rating: Option<&str>) -> RatingInput {
        RatingInput {
            requirement: requirement.into(),
            rating: rating.map(str::to_owned),
            basis: Some("  ".into()),
            recommendation: None,
            original: None,
        }
    }

    #[test]
    fn ratings_are_checked_against_the_model() {
        let reg = niveau_model::Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let entries = check_ratings(
            model,
            &[
                input("g6", Some("🟢")),
                input("R1", Some("yellow")),
                input("F2", None),
            ],
        )
        .unwrap();
        let got: Vec<(&str, Option<Rating>)> = entries
            .iter()
            .map(|e| (e.requirement.as_str(), e.rating))
            .collect();
        assert_eq!(
            got,
            [
                ("R1", Some(Rating::Yellow)),
                ("F2", None),
                ("G6", Some(Rating::Green))
            ]
        );
        assert_eq!(entries[0].basis, None, "a blank basis is no basis");

        let err =
            check_ratings(model, &[input("R1", None), input("F8", Some("green"))]).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err.detail.field.as_deref(), Some("ratings[1].requirement"));
        assert_eq!(
            err.detail.message,
            "kravet 'F8' findes ikke i modellen os2-1.1.0"
        );

        let err = check_ratings(model, &[input("R1", Some("blå"))]).unwrap_err();
        assert_eq!(err.detail.field.as_deref(), Some("ratings[0].rating"));

        let err = check_ratings(model, &[input("R1", None), input("r1", None)]).unwrap_err();
        assert_eq!(err.detail.field.as_deref(), Some("ratings[1].requirement"));
        assert_eq!(err.detail.message, "kravet R1 er vurderet to gange");
    }
}
