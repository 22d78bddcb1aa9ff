//! /decisions: the decision log. Append-only: a decision is recorded once and never changed
//! or removed; a wrong decision is corrected by a new one. The log is public, except
//! decisions about products the public may not see.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use niveau_model::Registry;
use niveau_store::decisions::{DecisionFilter, DecisionInput};
use niveau_store::entity::decision;
use niveau_store::types::DecisionKind;
use niveau_store::{ListParams, Page};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::JsonBody;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_decisions, record_decision))
        .routes(routes!(get_decision))
}

/// Check a `niveau` decision against the governance models and write the model's own
/// ids into it (`Niveau 2` becomes `2`), so the product's official level is always a
/// level id of its model.
pub(crate) fn check_level(registry: &Registry, input: &mut DecisionInput) -> ApiResult<()> {
    if input.kind != DecisionKind::Niveau {
        return Ok(());
    }
    let known = registry.ids().join(", ");
    let Some(model_id) = input
        .model_id
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    else {
        return Err(ApiError::invalid_da(
            "model_id",
            format!("et niveau hører til en model; angiv model_id (mulige: {known})"),
        ));
    };
    let model = registry.get(model_id).map_err(|_| {
        ApiError::invalid_da(
            "model_id",
            format!("'{model_id}' er ikke en kendt model; mulige: {known}"),
        )
    })?;
    let levels = model
        .levels()
        .iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let Some(to) = input.to.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(ApiError::invalid_da(
            "to",
            format!("angiv det nye niveau; mulige i {}: {levels}", model.id()),
        ));
    };
    let Some(level) = model.level(to) else {
        return Err(ApiError::invalid_da(
            "to",
            format!(
                "'{to}' er ikke et niveau i {}; mulige: {levels}",
                model.id()
            ),
        ));
    };
    input.model_id = Some(model.id().as_str().to_owned());
    input.to = Some(level.id.as_str().to_owned());
    Ok(())
}

/// The decision log, newest first. The public sees decisions about published products
/// and decisions about no product; logged-in readers see all.
#[utoipa::path(get, path = "/decisions", tag = "beslutninger",
    params(ListParams, DecisionFilter),
    responses((status = 200, body = Page<decision::Model>), (status = 422, body = ErrorBody)))]
pub async fn list_decisions(
    State(state): State<AppState>,
    auth: Auth,
    Query(params): Query<ListParams>,
    Query(mut filter): Query<DecisionFilter>,
) -> ApiResult<Json<Page<decision::Model>>> {
    filter.public_only = !auth.can(Action::ReadPortfolio);
    Ok(Json(state.store().list_decisions(&filter, &params).await?))
}

/// Record a decision. A `stadie` decision moves the product to the new stage; a `niveau`
/// decision sets its official level in the named model.
#[utoipa::path(post, path = "/decisions", tag = "beslutninger", request_body = DecisionInput,
    responses((status = 201, body = decision::Model), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_decision(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<DecisionInput>,
) -> ApiResult<(StatusCode, Json<decision::Model>)> {
    let who = auth.require(Action::Decide)?;
    let mut input = body.parse()?;
    check_level(state.registry(), &mut input)?;
    let created = state.store().record_decision(&who.actor(), input).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One decision. For the public, a decision about a product it may not see does not exist.
#[utoipa::path(get, path = "/decisions/{id}", tag = "beslutninger",
    params(("id" = i32, Path)),
    responses((status = 200, body = decision::Model), (status = 404, body = ErrorBody)))]
pub async fn get_decision(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<decision::Model>> {
    let found = state.store().decision(id).await?;
    if !auth.can(Action::ReadPortfolio)
        && let Some(product_id) = found.product_id
    {
        let hidden = match state.store().product(product_id).await {
            Ok(product) => !product.published || product.archived,
            Err(niveau_store::StoreError::NotFound { .. }) => true,
            Err(other) => return Err(other.into()),
        };
        if hidden {
            return Err(ApiError::not_found_da(&format!("decision {id}")));
        }
    }
    Ok(Json(found))
}
