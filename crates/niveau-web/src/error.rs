//! API errors: JSON with a stable code, a message and the field at fault.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message.da).field(field)
            }
            StoreError::Duplicate { field, ref value } => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "duplicate",
                format!("{value} er allerede i brug"),
            )
            .field(field),
            StoreError::State(message) => {
                ApiError::new(StatusCode::CONFLICT, "invalid_state", message.da)
            }
            ref limit @ (StoreError::QuotaExceeded { .. } | StoreError::TooLarge { .. }) => {
                let message = upload_limit_message(limit, Lang::Da).unwrap_or_default();
                ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, limit.code(), message)
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

/// `bytes` in megabytes (of 1 048 576 bytes) with one decimal, as `lang` writes numbers.
pub fn megabytes(bytes: i64, lang: Lang) -> String {
    let text = format!("{:.1} MB", bytes as f64 / 1_048_576.0);
    match lang {
        Lang::Da => text.replace('.', ","),
        Lang::En => text,
    }
}

/// The message for a self-evaluation version refused by the upload limits (413), in
/// `lang`, naming the limit and the current use; `None` for any other error.
pub fn upload_limit_message(err: &StoreError, lang: Lang) -> Option<String> {
    let mb = |b: i64| megabytes(b, lang);
    match *err {
        StoreError::QuotaExceeded {
            limit, used, size, ..
        } => Some(match lang {
            Lang::Da => format!(
                "Produktets uploadkvote er {}; {} er brugt, og den nye version fylder {}. \
                 Intet er gemt. Sekretariatet kan hæve kvoten.",
                mb(limit),
                mb(used),
                mb(size)
            ),
            Lang::En => format!(
                "The product's upload quota is {}; {} is used, and the new version takes {}. \
                 Nothing was stored. The secretariat can raise the quota.",
                mb(limit),
                mb(used),
                mb(size)
            ),
        }),
        StoreError::TooLarge { size, limit } => Some(match lang {
            Lang::Da => format!(
                "Den nye version fylder {}; en version må højst fylde {}. Intet er gemt.",
                mb(size),
                mb(limit)
            ),
            Lang::En => format!(
                "The new version takes {}; a version may take at most {}. Nothing was stored.",
                mb(size),
                mb(limit)
            ),
        }),
        _ => None,
    }
}

/// Result with [`ApiError`].
pub type ApiResult<T> = Result<T, ApiError>;
