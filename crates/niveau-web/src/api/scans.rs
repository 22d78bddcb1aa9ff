//! /products/{key}/scans and /scans: repository scans. A request queues a job; the
//! background worker ([`crate::worker`]) clones and scans each repository of the product
//! and stores one `niveau.check/1` report per repository in the scan run. The rules are
//! [`niveau_app::scans`]'s.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use niveau_app::scans;
use niveau_app::visibility::resolve_product;
use niveau_store::entity::scan_run;
use niveau_store::jobs::ScanFilter;
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
        .routes(routes!(request_scan))
        .routes(routes!(list_scans))
        .routes(routes!(get_scan))
}

/// Ask for a scan of a product's repositories. Answers 202 with the queued scan run; the
/// worker fills in its result.
#[utoipa::path(post, path = "/products/{key}/scans", tag = "scanninger",
    params(("key" = String, Path, description = "id or slug")),
    responses(
        (status = 202, body = scan_run::Model),
        (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "the product has no repositories, or one the server may not fetch from")))]
pub async fn request_scan(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<(StatusCode, Json<scan_run::Model>)> {
    let product = resolve_product(state.store(), auth.who(), &key).await?;
    auth.require(Action::RequestScan(product.id))?;
    // The configuration may have changed since the repositories were saved.
    let policy = state.config().worker.remote_policy();
    let run = scans::request(state.app(), auth.who(), &product, &policy).await?;
    Ok((StatusCode::ACCEPTED, Json(run)))
}

/// Scan runs, newest first.
#[utoipa::path(get, path = "/scans", tag = "scanninger",
    params(ListParams, ScanFilter),
    responses((status = 200, body = Page<scan_run::Model>), (status = 401, body = ErrorBody)))]
pub async fn list_scans(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<ScanFilter>,
) -> ApiResult<Json<Page<scan_run::Model>>> {
    auth.require(Action::ReadPortfolio)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        scans::list(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// One scan run with its result.
#[utoipa::path(get, path = "/scans/{id}", tag = "scanninger",
    params(("id" = i32, Path)),
    responses((status = 200, body = scan_run::Model), (status = 404, body = ErrorBody)))]
pub async fn get_scan(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<scan_run::Model>> {
    Ok(Json(scans::get(state.app(), auth.who(), id).await?))
}
