//! Wishes in and out as CSV: `GET /wishes.csv` (the wishes the caller may see, in OS2's
//! Danish columns) and `POST /products/{key}/wishes/import` (a Jira or GitHub Projects
//! export, or Niveau's template, imported all or nothing). The rules are niveau-app's
//! ([`niveau_app::wishes::transfer`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use niveau_app::wishes::transfer::{self, ImportOutcome};
use niveau_store::wishes::WishFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::LaterQuery;
use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(export_wishes))
        .routes(routes!(import_wishes))
}

/// The wishes the caller may see as CSV (UTF-8, every field quoted, formulas
/// neutralised): product, id, title, state, priority, requester, organisation, dates, age,
/// payer, estimate, target, pledged, delivered. The public gets the published products'
/// wishes without requesters.
#[utoipa::path(get, path = "/wishes.csv", tag = "udviklingsønsker",
    params(WishFilter),
    responses((status = 200, content_type = "text/csv", body = String), (status = 400, body = ErrorBody)))]
pub async fn export_wishes(
    State(state): State<AppState>,
    auth: Auth,
    filter: LaterQuery<WishFilter>,
) -> ApiResult<Response> {
    let filter = filter.parse()?;
    let csv = transfer::export_csv(state.app(), auth.who(), &filter).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"udviklingsoensker.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

/// Where an import comes from, for the wishes' history.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// The file's name or the tool it came from (`jira-export.csv`).
    pub source: Option<String>,
}

/// Import a backlog (CSV as Jira or GitHub Projects export it, or Niveau's template) into
/// a product, all or nothing: 201 with the wishes, or 422 with every row that could not be
/// read (line and column) and nothing stored. The product's group and the secretariat.
#[utoipa::path(post, path = "/products/{key}/wishes/import", tag = "udviklingsønsker",
    params(("key" = String, Path, description = "id or slug"), ImportParams),
    request_body(description = "The CSV file", content((String = "text/csv"))),
    responses((status = 201, body = ImportOutcome), (status = 422, body = ImportOutcome),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn import_wishes(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    params: LaterQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportOutcome>)> {
    niveau_app::wishes::authorise_settings(state.app(), auth.who(), &key).await?;
    let params = params.parse()?;
    let source = params.source.unwrap_or_else(|| "CSV".to_owned());
    let outcome = transfer::import_csv(state.app(), auth.who(), &key, &body, &source).await?;
    let status = match outcome {
        ImportOutcome::Imported { .. } => StatusCode::CREATED,
        ImportOutcome::Refused { .. } => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok((status, Json(outcome)))
}
