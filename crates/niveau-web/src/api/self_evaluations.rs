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
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery};
use crate::state::AppState;
use niveau_app::permissions::Action;
use niveau_app::self_evaluations::{self as ops, Upload, UploadKind};
use niveau_app::visibility::resolve_product;
use niveau_model::Msg;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_self_evaluations, submit_self_evaluation))
        .routes(routes!(get_self_evaluation))
        .routes(routes!(get_self_evaluation_version))
        .routes(routes!(get_upload_quota, set_upload_quota))
}

/// Query of a submission.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmitParams {
    /// The number of the newest self-evaluation the submitter saw; if a newer one was
    /// stored meanwhile, the submission is a conflict (409) and nothing is stored.
    pub based_on: Option<i32>,
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
    let upload = Upload {
        kind,
        body: &body,
        based_on: params.based_on,
    };
    let stored = ops::submit(state.app(), auth.who(), &product, upload).await?;
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
