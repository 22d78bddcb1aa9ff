//! /products/{key}/self-evaluations and /self-evaluations: the products' own claims,
//! uploaded as OS2 Markdown, OS2's form JSON or Niveau JSON (see
//! [`niveau_app::self_evaluations`], where the import and the rules live).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use niveau_store::entity::self_evaluation;
use niveau_store::versions::{SelfEvaluationVersion, UploadQuotaInput, UploadVolume};
use niveau_store::{ListParams, Page};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery};
use crate::state::AppState;
use niveau_app::permissions::Action;
use niveau_app::self_evaluations::carry::Carried;
use niveau_app::self_evaluations::{self as ops, ModelChoice, Upload, UploadChoices, UploadKind};
use niveau_app::visibility::resolve_product;
use niveau_model::Msg;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_self_evaluations, submit_self_evaluation))
        .routes(routes!(get_self_evaluation))
        .routes(routes!(get_self_evaluation_version))
        .routes(routes!(get_upload_quota, set_upload_quota))
        .routes(routes!(restore_self_evaluation))
        .routes(routes!(carry_self_evaluation))
}

/// Query of a submission.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmitParams {
    /// The number of the newest self-evaluation the submitter saw; if a newer one was
    /// stored meanwhile, the submission is a conflict (409) and nothing is stored.
    pub based_on: Option<i32>,
    /// Import the report although its product name is another product's in the
    /// portfolio; without it such a report is refused (409, `product_mismatch`).
    pub confirm_product: Option<bool>,
    /// For a report in another model than the product's self-evaluation: `keep` (store
    /// it in the report's model) or `carry` (carry it to the product's model, changed and
    /// new requirements marked to re-answer); without it such a report is refused (409,
    /// `model_mismatch`).
    pub model_choice: Option<String>,
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
        (status = 409, body = ErrorBody, description = "based_on is not the newest self-evaluation (`conflict`); the report names another product of the portfolio (`product_mismatch`, see confirm_product); the report is in another model (`model_mismatch`, see model_choice)"),
        (status = 413, body = ErrorBody, description = "larger than the request limit, than a version may be, or than the product's upload quota leaves"),
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
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let params = params.parse()?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let Some(kind) = UploadKind::from_media_type(content_type) else {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid",
            Msg::new(
                "send en selvevaluering som text/markdown (OS2's Markdown) eller application/json \
                 (OS2's formular eller Niveaus JSON)",
                "send a self-evaluation as text/markdown (OS2's Markdown) or application/json \
                 (OS2's form or Niveau's JSON)",
            ),
        )
        .field("content-type"));
    };
    let model = match params.model_choice.as_deref() {
        None => None,
        Some(text) => Some(ModelChoice::parse(text).ok_or_else(|| {
            ApiError::invalid(
                "model_choice",
                Msg::new(
                    format!("model_choice skal være keep eller carry, ikke `{text}`"),
                    format!("model_choice must be keep or carry, not `{text}`"),
                ),
            )
        })?),
    };
    let upload = Upload {
        kind,
        body: &body,
        based_on: params.based_on,
    };
    let choices = UploadChoices {
        confirm_product: params.confirm_product.unwrap_or(false),
        model,
    };
    let (stored, _) =
        ops::submit_upload(state.app(), auth.who(), &product, upload, choices).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// A product's self-evaluation versions, newest first, one page at a time (`limit` at most
/// 100, default 50; `offset`): metadata only, without the uploaded text, document and
/// warnings (fetch one version for those). A `Link` header names the next page.
#[utoipa::path(get, path = "/products/{key}/self-evaluations", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug"), ListParams),
    responses((status = 200, body = Page<SelfEvaluationVersion>), (status = 401, body = ErrorBody)))]
pub async fn list_self_evaluations(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    params: LaterQuery<ListParams>,
) -> ApiResult<(HeaderMap, Json<Page<SelfEvaluationVersion>>)> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    let page = ops::versions(state.app(), auth.who(), &product, &params).await?;
    let next = next_link(
        &format!("/api/v1/products/{}/self-evaluations", product.slug),
        &page,
    );
    Ok((next, Json(page)))
}

/// A `Link: <path?limit=…&offset=…>; rel="next"` header when `page` is not the last.
pub(crate) fn next_link<T>(path: &str, page: &Page<T>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let next = page.offset.saturating_add(page.limit);
    if next < page.total
        && let Ok(value) = HeaderValue::from_str(&format!(
            "<{path}?limit={}&offset={next}>; rel=\"next\"",
            page.limit
        ))
    {
        headers.insert(header::LINK, value);
    }
    headers
}

/// Version `number` of a product's self-evaluation, whatever its age: the stored row with
/// the uploaded text, the document and the importer's warnings.
#[utoipa::path(get, path = "/products/{key}/self-evaluations/{number}", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug"), ("number" = i32, Path)),
    responses((status = 200, body = self_evaluation::Model), (status = 404, body = ErrorBody)))]
pub async fn get_self_evaluation_version(
    State(state): State<AppState>,
    auth: Auth,
    Path((key, number)): Path<(String, i32)>,
) -> ApiResult<Json<self_evaluation::Model>> {
    auth.require(Action::ReadPortfolio)?;
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    Ok(Json(
        ops::version(state.app(), auth.who(), &product, number).await?,
    ))
}

/// What a product's self-evaluation versions take against its upload quota; for the
/// product's editors and the secretariat.
#[utoipa::path(get, path = "/products/{key}/upload-quota", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = UploadVolume), (status = 403, body = ErrorBody)))]
pub async fn get_upload_quota(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<UploadVolume>> {
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    Ok(Json(
        ops::upload_volume(state.app(), auth.who(), &product).await?,
    ))
}

/// Set a product's upload quota (`upload_quota_bytes`, 1 byte – 10 GiB, or null for the
/// server's default), based on the product's `version`; for the secretariat, audited.
#[utoipa::path(put, path = "/products/{key}/upload-quota", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug")),
    request_body = UploadQuotaInput,
    responses(
        (status = 200, body = UploadVolume),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "stale product version"),
        (status = 422, body = ErrorBody)))]
pub async fn set_upload_quota(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    body: JsonBody<UploadQuotaInput>,
) -> ApiResult<Json<UploadVolume>> {
    auth.require(Action::EditPortfolio)?;
    let input = body.parse()?;
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    Ok(Json(
        ops::set_upload_quota(state.app(), auth.who(), &product, input).await?,
    ))
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
    Ok(Json(ops::get(state.app(), auth.who(), id).await?))
}

/// What a restore is based on.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RestoreInput {
    /// The number of the newest self-evaluation the caller saw; if a newer one was stored
    /// meanwhile, the restore is a conflict (409) and nothing is stored.
    #[serde(default)]
    pub based_on: Option<i32>,
}

/// Restore version `number` of a product's self-evaluation as a new version: the
/// versions in between stay in the history, and the audit log says `restore` with the
/// version restored. For the product's editors and the secretariat.
#[utoipa::path(post, path = "/products/{key}/self-evaluations/{number}/restore", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug"), ("number" = i32, Path)),
    request_body = RestoreInput,
    responses(
        (status = 201, body = self_evaluation::Model),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "based_on is not the newest self-evaluation")))]
pub async fn restore_self_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path((key, number)): Path<(String, i32)>,
    body: JsonBody<RestoreInput>,
) -> ApiResult<(StatusCode, Json<self_evaluation::Model>)> {
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let input = body.parse()?;
    let stored = ops::restore(state.app(), auth.who(), &product, number, input.based_on).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// Which model to carry the self-evaluation to.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CarryInput {
    /// The model to carry to (`os2-1.1.0`).
    pub model: String,
    /// The number of the newest self-evaluation the caller saw (409 if a newer one was
    /// stored meanwhile).
    #[serde(default)]
    pub based_on: Option<i32>,
}

/// The carried version and what happened to each requirement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarryResult {
    /// The new version, in the new model.
    pub self_evaluation: self_evaluation::Model,
    /// Requirements of the new model that kept their answers: new id → old id.
    pub kept: std::collections::BTreeMap<String, String>,
    /// Requirements marked "to re-answer", with why (`{"da": …, "en": …}`).
    #[schema(value_type = Object)]
    pub reanswer: std::collections::BTreeMap<String, Msg>,
    /// Old requirements with an answer that no requirement of the new model takes.
    pub dropped: Vec<String>,
}

/// Carry the newest self-evaluation to a newer model version (e.g. `os2-2021` to
/// `os2-1.1.0`) through the models' mappings, as a new version: unchanged requirements
/// keep their answers, changed and new ones are marked "to re-answer" (kept in the
/// document's `reanswer` object); the old version stays in the history. Audited as
/// `carry`. For the product's editors and the secretariat.
#[utoipa::path(post, path = "/products/{key}/self-evaluations/carry", tag = "selvevalueringer",
    params(("key" = String, Path, description = "id or slug")),
    request_body = CarryInput,
    responses(
        (status = 201, body = CarryResult),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "no self-evaluation to carry, it already follows the model, or based_on is stale"),
        (status = 422, body = ErrorBody, description = "unknown model")))]
pub async fn carry_self_evaluation(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
    body: JsonBody<CarryInput>,
) -> ApiResult<(StatusCode, Json<CarryResult>)> {
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let input = body.parse()?;
    let (stored, carry) = ops::carry_to(
        state.app(),
        auth.who(),
        &product,
        &input.model,
        input.based_on,
    )
    .await?;
    let kept = carry
        .requirements
        .iter()
        .filter_map(|(id, c)| match c {
            Carried::Kept(old) => Some((id.to_string(), old.to_string())),
            Carried::Reanswer(_) => None,
        })
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(CarryResult {
            self_evaluation: stored,
            kept,
            reanswer: carry.marks,
            dropped: carry.dropped.iter().map(|d| d.to_string()).collect(),
        }),
    ))
}
