//! API errors: JSON with a stable code, a message and the field at fault.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    /// `internal`.
    pub code: String,
    /// Message for people (Danish).
    pub message: String,
    /// The field at fault (`slug`, `parties[0].organisation_id`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For conflicts: the stored record, to show or merge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<serde_json::Value>,
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Body.
    pub detail: ErrorDetail,
}

impl ApiError {
    /// A new error.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            detail: ErrorDetail {
                code: code.to_string(),
                message: message.into(),
                field: None,
                current: None,
            },
        }
    }

    /// Name the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> ApiError {
        self.detail.field = Some(field.into());
        self
    }

    /// 401: not logged in.
    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "log ind for at se eller ændre dette",
        )
    }

    /// 403: logged in, but not allowed.
    pub fn forbidden() -> ApiError {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "din rolle giver ikke adgang til dette",
        )
    }

    /// 404.
    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} findes ikke"),
        )
    }

    /// 422 for a field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).field(field)
    }

    /// 500 without details for the client; the cause goes to the log.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "der skete en intern fejl; den er skrevet i loggen",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound { entity, key } => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{entity} {key} findes ikke"),
            ),
            StoreError::Conflict { ref current, .. } => {
                let current = current.clone();
                let mut e = ApiError::new(StatusCode::CONFLICT, "conflict", err.to_string())
                    .field("version");
                e.detail.current = Some(current);
                e
            }
            StoreError::Invalid { field, message } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).field(field)
            }
            StoreError::Duplicate { field, ref value } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "duplicate",
                format!("{value} er allerede i brug"),
            )
            .field(field),
            StoreError::State(message) => {
                ApiError::new(StatusCode::CONFLICT, "invalid_state", message)
            }
            other => ApiError::internal(&other),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.detail })).into_response()
    }
}

/// Result with [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;
