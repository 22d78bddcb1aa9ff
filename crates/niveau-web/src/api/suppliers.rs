//! Suppliers (/suppliers/concentration, /products/{key}/suppliers) and their partner
//! agreements (/organisations/{id}/partner-agreement). The rules are niveau-app's
//! [`niveau_app::suppliers`].

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use niveau_app::permissions::Action;
use niveau_app::suppliers::{self, Concentration, ProductSuppliers};
use niveau_model::Msg;
use niveau_store::entity::{organisation, partner_agreement};
use niveau_store::partners::PartnerInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery, expected_version, parse_json};
use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(concentration))
        .routes(routes!(product_suppliers))
        .routes(routes!(
            get_partner_agreement,
            put_partner_agreement,
            delete_partner_agreement
        ))
}

/// The portfolio's supplier concentration: per product the suppliers in each supplier
/// role, products with one supplier in every role, self-review, no third-party review,
/// suppliers without a current partner agreement, and what ends soon (logged-in readers).
#[utoipa::path(get, path = "/suppliers/concentration", tag = "leverandører",
    responses((status = 200, body = Concentration), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn concentration(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Concentration>> {
    Ok(Json(
        suppliers::concentration(state.app(), auth.who()).await?,
    ))
}

/// A product's suppliers per role (the public sees a published product's roles without
/// the flags about partner agreements).
#[utoipa::path(get, path = "/products/{key}/suppliers", tag = "leverandører",
    params(("key" = String, Path, description = "id or slug")),
    responses((status = 200, body = ProductSuppliers), (status = 404, body = ErrorBody)))]
pub async fn product_suppliers(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> ApiResult<Json<ProductSuppliers>> {
    Ok(Json(
        suppliers::of_product(state.app(), auth.who(), &key).await?,
    ))
}

/// An organisation and its partner agreement, if it has one.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerView {
    /// The organisation.
    pub organisation: organisation::Model,
    /// Its partner agreement (none when it has not signed one).
    pub agreement: Option<partner_agreement::Model>,
}

/// Organisation `id`'s partner agreement (logged-in readers: it names contact persons).
#[utoipa::path(get, path = "/organisations/{id}/partner-agreement", tag = "leverandører",
    params(("id" = i32, Path)),
    responses((status = 200, body = PartnerView), (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody)))]
pub async fn get_partner_agreement(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<PartnerView>> {
    let (organisation, agreement) = suppliers::partner(state.app(), auth.who(), id).await?;
    Ok(Json(PartnerView {
        organisation,
        agreement,
    }))
}

/// Record or renew a supplier's partner agreement (the secretariat). A new agreement
/// needs no version; a change needs the version it is based on (409 with the stored
/// agreement when it is stale).
#[utoipa::path(put, path = "/organisations/{id}/partner-agreement", tag = "leverandører",
    params(("id" = i32, Path)), request_body = PartnerInput,
    responses((status = 200, body = partner_agreement::Model), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_partner_agreement(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<PartnerInput>,
) -> ApiResult<Json<partner_agreement::Model>> {
    auth.require(Action::EditPortfolio)?;
    let mut input = body.parse()?;
    if input.version.is_none() {
        // An If-Match header may carry the version instead of the body.
        input.version = expected_version(&headers, None).ok();
    }
    Ok(Json(
        suppliers::put_partner(state.app(), auth.who(), id, &input).await?,
    ))
}

/// `?version=` of a removal.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct VersionQuery {
    /// The version the removal is based on.
    #[serde(default)]
    pub version: Option<i32>,
}

/// `{"version": N}` of a removal sent as a body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    /// The version the removal is based on.
    pub version: i32,
}

/// Remove a supplier's partner agreement (the secretariat), at the version given as
/// `?version=N`, `If-Match` or a body `{"version": N}`; 409 with the stored agreement
/// when it is stale.
#[utoipa::path(delete, path = "/organisations/{id}/partner-agreement", tag = "leverandører",
    params(("id" = i32, Path), VersionQuery), request_body(content = Option<VersionBody>, description = "optional: the version as a body"),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn delete_partner_agreement(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    query: LaterQuery<VersionQuery>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    auth.require(Action::EditPortfolio)?;
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(parse_json::<VersionBody>(&body)?.version)
    };
    let version = match query.parse()?.version.or(from_body) {
        Some(v) => v,
        None => match expected_version(&headers, None) {
            Ok(v) => v,
            Err(_) => {
                return Err(ApiError::new(
                    StatusCode::PRECONDITION_REQUIRED,
                    "version_required",
                    Msg::new(
                        "angiv den version, fjernelsen bygger på (?version=N, If-Match eller {\"version\": N})",
                        "give the version the removal is based on (?version=N, If-Match or {\"version\": N})",
                    ),
                )
                .field("version"));
            }
        },
    };
    suppliers::remove_partner(state.app(), auth.who(), id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
