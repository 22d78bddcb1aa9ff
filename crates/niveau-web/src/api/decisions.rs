//! /decisions: the decision log ([`niveau_app::decisions`]). Append-only: a decision is
//! recorded once and never changed or removed; a wrong decision is corrected by a new one.
//! The log is public, except decisions about products the public may not see.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use niveau_app::decisions;
use niveau_store::decisions::{DecisionFilter, DecisionInput};
use niveau_store::entity::decision;
use niveau_store::{ListParams, Page};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::JsonBody;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_decisions, record_decision))
        .routes(routes!(get_decision))
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
    Query(filter): Query<DecisionFilter>,
) -> ApiResult<Json<Page<decision::Model>>> {
    Ok(Json(
        decisions::list(state.app(), auth.who(), filter, &params).await?,
    ))
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
    auth.require(Action::Decide)?;
    let input: DecisionInput = body.parse()?;
    let created = decisions::record(state.app(), auth.who(), input).await?;
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
    Ok(Json(decisions::get(state.app(), auth.who(), id).await?))
}
