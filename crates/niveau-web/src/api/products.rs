//! /products: the portfolio, one product's page, and its participants.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_store::agreements::AgreementWithParties;
use niveau_store::decisions::DecisionFilter;
use niveau_store::entity::{decision, organisation, participant, product};
use niveau_store::groups::GroupWithMembers;
use niveau_store::products::{ParticipantInput, ProductFilter, ProductInput};
use niveau_store::types::{EvaluationStatus, SubmissionFormat};
use niveau_store::{ListParams, Page};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
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

/// Find a product by id (digits) or slug, hiding what the caller may not see
/// ([`niveau_app::visibility::resolve_product`]).
pub async fn resolve(state: &AppState, auth: &Auth, key: &str) -> ApiResult<product::Model> {
    Ok(niveau_app::visibility::resolve_product(state.store(), auth.who(), key).await?)
}

/// A product's page: the product and everything around it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    /// The product.
    pub product: product::Model,
    /// Organisations and people taking part.
    pub participants: Vec<participant::Model>,
    /// The organisations referred to by participants, groups and agreements.
    pub organisations: Vec<organisation::Model>,
    /// Groups with members.
    pub groups: Vec<GroupWithMembers>,
    /// Agreements with parties.
    pub agreements: Vec<AgreementWithParties>,
    /// The product's decisions, newest first.
    pub decisions: Vec<decision::Model>,
    /// The newest self-evaluation (logged-in readers only).
    pub latest_self_evaluation: Option<SelfEvaluationSummary>,
    /// The newest evaluation the caller may read.
    pub latest_evaluation: Option<EvaluationSummary>,
}

/// A self-evaluation in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfEvaluationSummary {
    /// Id.
    pub id: i32,
    /// Version number.
    pub number: i32,
    /// Model.
    pub model_id: String,
    /// How it arrived.
    pub format: SubmissionFormat,
    /// The level the answers indicate.
    pub indicated_level: Option<String>,
    /// When.
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

/// An evaluation in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationSummary {
    /// Id.
    pub id: i32,
    /// Status.
    pub status: EvaluationStatus,
    /// Model.
    pub model_id: String,
    /// The level the ratings indicate.
    pub indicated_level: Option<String>,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// List products. The public sees published products; logged-in readers see all.
#[utoipa::path(get, path = "/products", tag = "produkter",
    params(ListParams, ProductFilter),
    responses((status = 200, body = Page<product::Model>), (status = 422, body = ErrorBody)))]
pub async fn list_products(
    State(state): State<AppState>,
    auth: Auth,
    Query(params): Query<ListParams>,
    Query(mut filter): Query<ProductFilter>,
) -> ApiResult<Json<Page<product::Model>>> {
    if !auth.can(Action::ReadPortfolio) {
        filter.published = Some(true);
        filter.archived = Some(false);
    }
    Ok(Json(state.store().list_products(&filter, &params).await?))
}

/// Register a product.
#[utoipa::path(post, path = "/products", tag = "produkter", request_body = ProductInput,
    responses((status = 201, body = product::Model), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_product(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<ProductInput>,
) -> ApiResult<(StatusCode, Json<product::Model>)> {
    let who = auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    crate::worker::check_repository_locations(&state.config().worker, &input.repositories)?;
    let created = state.store().create_product(&who.actor(), input).await?;
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
    Ok(Json(load_page(&state, &auth, &key).await?))
}

/// Everything on a product's page, as `auth` may see it (the JSON above and the HTML
/// product page share it).
pub async fn load_page(state: &AppState, auth: &Auth, key: &str) -> ApiResult<ProductPage> {
    let product = resolve(state, auth, key).await?;
    let store = state.store();
    let id = product.id;
    // Participants, groups, agreements and the organisations they name: the same read
    // the evidence rules use.
    let around = niveau_app::evidence::load(store, id).await?;
    let decisions = store
        .list_decisions(
            &DecisionFilter {
                product_id: Some(id),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items;
    let latest_self_evaluation = if auth.can(Action::ReadPortfolio) {
        store
            .latest_self_evaluation(id)
            .await?
            .map(|s| SelfEvaluationSummary {
                id: s.id,
                number: s.number,
                model_id: s.model_id,
                format: s.format,
                indicated_level: s.indicated_level,
                submitted_at: s.submitted_at,
            })
    } else {
        None
    };
    let latest_evaluation = latest_visible_evaluation(state, auth, id).await?;
    Ok(ProductPage {
        product,
        participants: around.participants,
        organisations: around.organisations.into_values().collect(),
        groups: around.groups,
        agreements: around.agreements,
        decisions,
        latest_self_evaluation,
        latest_evaluation,
    })
}

async fn latest_visible_evaluation(
    state: &AppState,
    auth: &Auth,
    product_id: i32,
) -> ApiResult<Option<EvaluationSummary>> {
    let summary = |e: niveau_store::evaluations::EvaluationView| EvaluationSummary {
        id: e.head.id,
        status: e.head.status,
        model_id: e.head.model_id,
        indicated_level: e.current.indicated_level,
        updated_at: e.head.updated_at,
    };
    if auth.can(Action::ReadEvaluation(product_id)) {
        let heads = state
            .store()
            .list_evaluations(
                &niveau_store::evaluations::EvaluationFilter {
                    product_id: Some(product_id),
                    ..Default::default()
                },
                &ListParams {
                    limit: Some(20),
                    ..Default::default()
                },
            )
            .await?;
        let drafts = auth.can(Action::ReadEvaluationDrafts);
        if let Some(head) = heads
            .items
            .into_iter()
            .find(|h| drafts || h.status != EvaluationStatus::Kladde)
        {
            return Ok(Some(summary(state.store().evaluation(head.id).await?)));
        }
        return Ok(None);
    }
    Ok(state
        .store()
        .latest_published_evaluation(product_id)
        .await?
        .map(summary))
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
    let product = resolve(&state, &auth, &key).await?;
    let who = auth.require(Action::EditProduct(product.id))?;
    let input: ProductInput = body.parse()?;
    if input.published != product.published || input.slug.trim() != product.slug {
        auth.require(Action::PublishProduct).map_err(|e| {
            if e.detail.code == "forbidden" {
                ApiError::danish(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "kun sekretariatet kan offentliggøre eller skjule et produkt og ændre dets slug",
                )
                .field(if input.slug.trim() == product.slug {
                    "published"
                } else {
                    "slug"
                })
            } else {
                e
            }
        })?;
    }
    let version = expected_version(&headers, input.version)?;
    crate::worker::check_repository_locations(&state.config().worker, &input.repositories)?;
    Ok(Json(
        state
            .store()
            .update_product(&who.actor(), product.id, version, input)
            .await?,
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
    let product = resolve(&state, &auth, &key).await?;
    let who = auth.require(Action::EditPortfolio)?;
    let version = expected_version(&headers, None)?;
    Ok(Json(
        state
            .store()
            .archive_product(&who.actor(), product.id, version)
            .await?,
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
    let product = resolve(&state, &auth, &key).await?;
    Ok(Json(state.store().participants(product.id).await?))
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
    let product = resolve(&state, &auth, &key).await?;
    let who = auth.require(Action::EditProduct(product.id))?;
    let input = body.parse()?;
    let created = state
        .store()
        .add_participant(&who.actor(), product.id, input)
        .await?;
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
    auth.require(Action::ReadPortfolio)?;
    let current = state.store().participant(id).await?;
    let who = auth.require(Action::EditProduct(current.product_id))?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        state
            .store()
            .update_participant(&who.actor(), id, version, input)
            .await?,
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
    auth.require(Action::ReadPortfolio)?;
    let current = state.store().participant(id).await?;
    let who = auth.require(Action::EditProduct(current.product_id))?;
    let version = expected_version(&headers, None)?;
    state
        .store()
        .remove_participant(&who.actor(), id, version)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
