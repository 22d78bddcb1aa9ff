//! /audit: who changed what, when, with the record before and after.

use axum::Json;
use axum::extract::{Path, State};
use niveau_app::audit::{self, AuditFilter};
use niveau_store::entity::audit_event;
use niveau_store::{ListParams, Page};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::LaterQuery;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_audit))
        .routes(routes!(history))
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/audit", tag = "revision",
    params(ListParams, AuditFilter),
    responses((status = 200, body = Page<audit_event::Model>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn list_audit(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<AuditFilter>,
) -> ApiResult<Json<Page<audit_event::Model>>> {
    auth.require(Action::ReadAudit)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        audit::log(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// Every change of one row, oldest first. An entity or id without changes gives an
/// empty list.
#[utoipa::path(get, path = "/audit/{entity}/{id}", tag = "revision",
    params(
        ("entity" = String, Path, description = "`product`, `organisation`, `person`, `group`, `group_member`, `agreement`, `evaluation_round`, `decision`…"),
        ("id" = i32, Path)),
    responses((status = 200, body = Vec<audit_event::Model>), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn history(
    State(state): State<AppState>,
    auth: Auth,
    Path((entity, id)): Path<(String, i32)>,
) -> ApiResult<Json<Vec<audit_event::Model>>> {
    Ok(Json(
        audit::history(state.app(), auth.who(), &entity, id).await?,
    ))
}
