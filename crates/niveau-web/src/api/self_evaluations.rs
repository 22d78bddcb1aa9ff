//! /products/{key}/self-evaluations and /self-evaluations: the products' own claims,
//! uploaded as OS2 Markdown, OS2's form JSON or Niveau JSON (see [`crate::submission`]).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use niveau_store::entity::self_evaluation;
use niveau_store::types::SubmissionFormat;
use niveau_store::{ListParams, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api::products::resolve;
use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::LaterQuery;
use crate::permissions::Action;
use crate::state::AppState;
use crate::submission::prepare_self_evaluation;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_self_evaluations, submit_self_evaluation))
        .routes(routes!(get_self_evaluation))
}

/// Query of a submission.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmitParams {
    /// The number of the newest self-evaluation the submitter saw; if a newer one was
    /// stored meanwhile, the submission is a conflict (409) and nothing is stored.
    pub based_on: Option<i32>,
}

/// A self-evaluation in a list: everything but the uploaded text and the document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SelfEvaluationItem {
    /// Id.
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// Version number within the product.
    pub number: i32,
    /// Model id.
    pub model_id: String,
    /// Model version.
    pub model_version: String,
    /// How it arrived.
    pub format: SubmissionFormat,
    /// The importer's warnings, with lines.
    #[schema(value_type = Vec<Object>)]
    pub warnings: serde_json::Value,
    /// The level the answers indicate.
    pub indicated_level: Option<String>,
    /// Who submitted it.
    pub submitted_by: String,
    /// When.
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

impl From<self_evaluation::Model> for SelfEvaluationItem {
    fn from(m: self_evaluation::Model) -> Self {
        SelfEvaluationItem {
            id: m.id,
            product_id: m.product_id,
            number: m.number,
            model_id: m.model_id,
            model_version: m.model_version,
            format: m.format,
            warnings: m.warnings,
            indicated_level: m.indicated_level,
            submitted_by: m.submitted_by,
            submitted_at: m.submitted_at,
        }
    }
}

/// Submit a self-evaluation: an OS2 Markdown report (`text/markdown`), OS2's form JSON
/// or Niveau JSON (`application/json`). The importer's warnings are kept with their
/// lines; an unreadable upload is refused (422, naming the line) and nothing is stored.
#[utoipa::path(post, path = "/products/{key}/self-evaluations", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug"), SubmitParams),
    request_body(description = "The report as uploaded", content(
        (String = "text/markdown"),
        (Object = "application/json"),
    )),
    responses(
        (status = 201, body = self_evaluation::Model),
        (status = 409, body = ErrorBody, description = "based_on is not the newest self-evaluation"),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "the upload cannot be read; the message names the line")))]
pub async fn submit_self_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    params: LaterQuery<SubmitParams>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<self_evaluation::Model>)> {
    let product = resolve(&state, &auth, &key).await?;
    let who = auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let params = params.parse()?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let input = prepare_self_evaluation(
        state.registry(),
        product.id,
        content_type,
        &body,
        params.based_on,
    )?;
    let stored = state
        .store()
        .create_self_evaluation(&who.actor(), input)
        .await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// A product's self-evaluations, newest first (without the uploaded text and document:
/// fetch one for those).
#[utoipa::path(get, path = "/products/{key}/self-evaluations", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug"), ListParams),
    responses((status = 200, body = Page<SelfEvaluationItem>), (status = 401, body = ErrorBody)))]
pub async fn list_self_evaluations(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    params: LaterQuery<ListParams>,
) -> ApiResult<Json<Page<SelfEvaluationItem>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let product = resolve(&state, &auth, &key).await?;
    let page = state.store().self_evaluations(product.id, &params).await?;
    Ok(Json(page.map(SelfEvaluationItem::from)))
}

/// One self-evaluation: the stored row with the uploaded text, the document (Niveau
/// JSON with its findings) and the importer's warnings.
#[utoipa::path(get, path = "/self-evaluations/{id}", tag = "selvevalueringer",
    params(("id" = i32, Path)),
    responses((status = 200, body = self_evaluation::Model), (status = 404, body = ErrorBody)))]
pub async fn get_self_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<self_evaluation::Model>> {
    auth.require(Action::ReadPortfolio)?;
    Ok(Json(state.store().self_evaluation(id).await?))
}
