//! API errors: JSON with a stable code, a message in the caller's language and the field
//! at fault. [`ApiError`] comes from the application layer's [`AppError`] through one
//! mapping ([`status_of`]); the pages show the same errors as pages.

use axum::Json;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer: `{"error": {...}}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code: `invalid`, `bad_json`, `not_found`, `conflict`, `duplicate`,
    /// `invalid_state`, `unauthenticated`, `forbidden`, `csrf`, `locked`, `rate_limited`,
    /// `quota_exceeded`, `too_large`, `internal`.
    pub code: String,
    /// Message for people, in the request's language (Danish unless the request asks
    /// for English with `Accept-Language`, `?lang=` or the language cookie).
    pub message: String,
    /// The field at fault (`slug`, `parties[0].organisation_id`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For conflicts: the stored record, to show or merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
}

/// An error answer. Its message is kept in Danish and English; the body is written in the
/// language of the request ([`with_language`]), Danish when none was asked for.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body, with the Danish message.
    pub detail: ErrorDetail,
    /// The message in both languages (boxed: errors travel in every `Result`).
    pub message: Box<Msg>,
}

tokio::task_local! {
    /// The language of the request being answered (set by [`with_language`]).
    static LANG: Lang;
}

/// Middleware: answers the request's errors in its language (`?lang=`, the language
/// cookie, `Accept-Language`, else Danish; see [`crate::pages::lang::negotiate`]).
pub async fn with_language(request: Request, next: Next) -> Response {
    let lang = crate::pages::lang::negotiate(request.uri().query(), request.headers());
    LANG.scope(lang, next.run(request)).await
}

/// The language of the request being answered; Danish outside a request.
pub fn request_lang() -> Lang {
    LANG.try_with(|lang| *lang).unwrap_or_default()
}

impl ApiError {
    /// A new error with its message in both languages.
    pub fn new(status: StatusCode, code: &str, message: Msg) -> ApiError {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.to_string(),
                message: message.da.clone(),
                field: None,
                current: None,
            },
            message: Box::new(message),
        }
    }

    /// Name the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.detail.field = Some(field.into());
        self
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        lang.msg(&self.message)
    }

    /// 401: not logged in.
    pub fn unauthenticated() -> ApiError {
        AppError::Unauthenticated.into()
    }

    /// 403: logged in, but not allowed.
    pub fn forbidden() -> ApiError {
        AppError::Forbidden.into()
    }

    /// 404: `what` names the thing ("siden" / "the page").
    pub fn not_found(what: Msg) -> ApiError {
        AppError::not_found(what).into()
    }

    /// 422 for a field.
    pub fn invalid(field: &str, message: Msg) -> ApiError {
        AppError::invalid(field, message).into()
    }

    /// 500 without details for the client; the cause goes to the log.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            niveau_app::error::internal_message(),
        )
    }
}

/// The HTTP status of each kind of application error: the one mapping the API and the
/// pages share.
pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Conflict | ErrorKind::State => StatusCode::CONFLICT,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        let kind = err.kind();
        if kind == ErrorKind::Internal {
            return ApiError::internal(&err);
        }
        let mut e = ApiError::new(status_of(kind), err.code(), err.message());
        e.detail.field = err.field().map(str::to_owned);
        e.detail.current = err.current().cloned();
        e
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        AppError::from(err).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(mut self) -> Response {
        let lang = request_lang();
        if lang != Lang::Da {
            self.detail.message = lang.msg(&self.message).to_owned();
        }
        (self.status, Json(ErrorBody { error: self.detail })).into_response()
    }
}

/// `bytes` in megabytes (of 1 048 576 bytes) with one decimal, as `lang` writes numbers.
pub fn megabytes(bytes: i64, lang: Lang) -> String {
    niveau_app::error::megabytes(bytes, lang == Lang::En)
}

/// Result with [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;
