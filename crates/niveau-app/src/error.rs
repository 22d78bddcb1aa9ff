//! The one error type of the operations, and its messages in both languages.
//!
//! Every refusal says what is wrong in Danish and English ([`AppError::message`]); the
//! caller (the HTTP layer, the CLI) picks the language of the person it answers and maps
//! [`AppError::kind`] to its own status codes. Nothing here knows of HTTP.

use niveau_model::Msg;
use niveau_store::StoreError;
use thiserror::Error;

/// What kind of failure an [`AppError`] is; the HTTP layer maps each to one status code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Nobody is logged in, and the operation needs an account.
    Unauthenticated,
    /// The account may not do this.
    Forbidden,
    /// No such thing, or the caller may not know it exists.
    NotFound,
    /// Input that breaks a rule; names the field.
    Invalid,
    /// Based on an older version than the stored one.
    Conflict,
    /// The record's state does not allow the operation.
    State,
    /// An upload larger than a limit or a quota allows.
    TooLarge,
    /// Anything else: the cause is logged, the person is told it was logged.
    Internal,
}

/// Why an operation refused or failed.
#[derive(Debug, Error)]
pub enum AppError {
    /// The operation needs an account, and the caller has none.
    #[error("not logged in")]
    Unauthenticated,
    /// The caller's roles do not allow the operation.
    #[error("not allowed")]
    Forbidden,
    /// The caller authenticated with an API token that may only read, and the operation
    /// changes something.
    #[error("read-only token")]
    ReadOnlyToken,
    /// The caller may do the operation, but not this part of it (a product editor
    /// publishing the product): names the field and says who may.
    #[error("{field}: {}", message.da)]
    Refused {
        /// The field whose change is refused.
        field: String,
        /// Why, and who may.
        message: Msg,
    },
    /// Nothing of this kind with this key, or nothing the caller may see.
    #[error("{} findes ikke", what.da)]
    NotFound {
        /// What was looked for, with its key: "produktet x" / "the product x".
        what: Msg,
    },
    /// Input that breaks a rule.
    #[error("{field}: {}", message.da)]
    Invalid {
        /// The field at fault, as the API names it (`ratings[2].rating`).
        field: String,
        /// What is wrong.
        message: Msg,
    },
    /// The record's state does not allow the operation (finalising an evaluation without a
    /// level, changing a published one).
    #[error("{}", .0.da)]
    State(Msg),
    /// A refusal with a stable code of its own (`unreadable_self_evaluation`; `too_large`
    /// for an upload above the importer's limit).
    #[error("{code}: {}", message.da)]
    Coded {
        /// The kind, for the status code.
        kind: ErrorKind,
        /// The machine code (the API's `error.code`).
        code: &'static str,
        /// The field at fault.
        field: Option<String>,
        /// What is wrong.
        message: Msg,
    },
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A failure that is not the caller's fault (a model that cannot be rendered, a
    /// document that cannot be serialised); the text is for the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    /// An invalid field.
    pub fn invalid(field: impl Into<String>, message: Msg) -> AppError {
        AppError::Invalid {
            field: field.into(),
            message,
        }
    }

    /// A refused part of an operation the caller may otherwise do.
    pub fn refused(field: impl Into<String>, message: Msg) -> AppError {
        AppError::Refused {
            field: field.into(),
            message,
        }
    }

    /// Not found: `what` names the thing with its key ("produktet x" / "the product x").
    pub fn not_found(what: Msg) -> AppError {
        AppError::NotFound { what }
    }

    /// A refusal of `field` with its own machine `code`.
    pub fn coded(
        kind: ErrorKind,
        code: &'static str,
        field: impl Into<String>,
        message: Msg,
    ) -> AppError {
        AppError::Coded {
            kind,
            code,
            field: Some(field.into()),
            message,
        }
    }

    /// A state that does not allow the operation.
    pub fn state(message: Msg) -> AppError {
        AppError::State(message)
    }

    /// A failure that is not the caller's fault.
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        AppError::Internal(cause.to_string())
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            AppError::Unauthenticated => ErrorKind::Unauthenticated,
            AppError::Forbidden | AppError::ReadOnlyToken | AppError::Refused { .. } => {
                ErrorKind::Forbidden
            }
            AppError::NotFound { .. } => ErrorKind::NotFound,
            AppError::Invalid { .. } => ErrorKind::Invalid,
            AppError::State(_) => ErrorKind::State,
            AppError::Coded { kind, .. } => *kind,
            AppError::Internal(_) => ErrorKind::Internal,
            AppError::Store(e) => match e {
                StoreError::NotFound { .. } => ErrorKind::NotFound,
                StoreError::Conflict { .. } => ErrorKind::Conflict,
                StoreError::Invalid { .. } | StoreError::Duplicate { .. } => ErrorKind::Invalid,
                StoreError::State(_) | StoreError::OpenEvaluation { .. } => ErrorKind::State,
                StoreError::QuotaExceeded { .. } | StoreError::TooLarge { .. } => {
                    ErrorKind::TooLarge
                }
                _ => ErrorKind::Internal,
            },
        }
    }

    /// A short stable machine code (the API's `error.code`).
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden | AppError::Refused { .. } => "forbidden",
            AppError::ReadOnlyToken => "insufficient_scope",
            AppError::NotFound { .. } => "not_found",
            AppError::Invalid { .. } => "invalid",
            AppError::State(_) => "invalid_state",
            AppError::Coded { code, .. } => code,
            AppError::Internal(_) => "internal",
            AppError::Store(e) => match e.code() {
                "backup" | "config" => "internal",
                code => code,
            },
        }
    }

    /// The field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } | AppError::Refused { field, .. } => Some(field),
            AppError::Coded { field, .. } => field.as_deref(),
            AppError::Store(StoreError::Invalid { field, .. }) => Some(field),
            AppError::Store(StoreError::Duplicate { field, .. }) => Some(field),
            AppError::Store(StoreError::Conflict { .. }) => Some("version"),
            AppError::Store(StoreError::OpenEvaluation { .. }) => Some("product"),
            _ => None,
        }
    }

    /// For a conflict: the stored record, to show or merge.
    pub fn current(&self) -> Option<&serde_json::Value> {
        match self {
            AppError::Store(StoreError::Conflict { current, .. }) => Some(current),
            _ => None,
        }
    }

    /// What to tell the person, in both languages. Internal failures say only that they
    /// were logged.
    pub fn message(&self) -> Msg {
        match self {
            AppError::Unauthenticated => Msg::new(
                "log ind for at se eller ændre dette",
                "log in to see or change this",
            ),
            AppError::Forbidden => Msg::new(
                "din rolle giver ikke adgang til dette",
                "your role does not give access to this",
            ),
            AppError::ReadOnlyToken => Msg::new(
                "API-tokenet har kun scopet read og må ikke ændre noget; lav et token med scopet write",
                "the API token only has the read scope and may not change anything; create a token with the write scope",
            ),
            AppError::NotFound { what } => not_found_message(what),
            AppError::Invalid { message, .. }
            | AppError::Refused { message, .. }
            | AppError::State(message)
            | AppError::Coded { message, .. } => message.clone(),
            AppError::Internal(_) => internal_message(),
            AppError::Store(e) => store_message(e),
        }
    }
}

/// "x findes ikke" / "x does not exist".
fn not_found_message(what: &Msg) -> Msg {
    Msg::new(
        format!("{} findes ikke", what.da),
        format!("{} does not exist", what.en),
    )
}

/// The message of a failure that is not the caller's fault.
pub fn internal_message() -> Msg {
    Msg::new(
        "der skete en intern fejl; den er skrevet i loggen",
        "an internal error occurred; it has been written to the log",
    )
}

/// The store's entity names as people read them: (Danish, English).
fn entity_names(entity: &str) -> (&str, &str) {
    match entity {
        "agreement" => ("aftale", "agreement"),
        "api_token" | "token" => ("API-token", "API token"),
        "decision" => ("beslutning", "decision"),
        "evaluation" => ("evaluering", "evaluation"),
        "evaluation_round" => ("evalueringsrunde", "evaluation round"),
        "group" => ("gruppe", "group"),
        "group_member" => ("gruppemedlem", "group member"),
        "job" => ("job", "job"),
        "organisation" => ("organisation", "organisation"),
        "participant" => ("deltager", "participant"),
        "person" => ("person", "person"),
        "product" => ("produkt", "product"),
        "scan_run" => ("scanning", "scan"),
        "self_evaluation" => ("selvevaluering", "self-evaluation"),
        "user" => ("bruger", "user"),
        other => (other, other),
    }
}

/// The message of a store error, in both languages.
fn store_message(e: &StoreError) -> Msg {
    match e {
        StoreError::NotFound { entity, key } => {
            let (da, en) = entity_names(entity);
            not_found_message(&Msg::new(format!("{da} {key}"), format!("{en} {key}")))
        }
        StoreError::Conflict {
            entity,
            id,
            expected,
            actual,
            ..
        } => {
            let (da, en) = entity_names(entity);
            Msg::new(
                format!(
                    "{da} {id} er ændret af en anden (du havde version {expected}, den gemte er {actual})"
                ),
                format!(
                    "{en} {id} was changed by someone else (you had version {expected}, the stored one is {actual})"
                ),
            )
        }
        StoreError::Invalid { message, .. } | StoreError::State(message) => message.clone(),
        StoreError::Duplicate { value, .. } => Msg::new(
            format!("{value} er allerede i brug"),
            format!("{value} is already in use"),
        ),
        StoreError::QuotaExceeded {
            limit, used, size, ..
        } => Msg::new(
            format!(
                "Produktets uploadkvote er {}; {} er brugt, og den nye version fylder {}. \
                 Intet er gemt. Sekretariatet kan hæve kvoten.",
                megabytes(*limit, false),
                megabytes(*used, false),
                megabytes(*size, false)
            ),
            format!(
                "The product's upload quota is {}; {} is used, and the new version takes {}. \
                 Nothing was stored. The secretariat can raise the quota.",
                megabytes(*limit, true),
                megabytes(*used, true),
                megabytes(*size, true)
            ),
        ),
        StoreError::OpenEvaluation { id, status } => Msg::new(
            format!(
                "Produktet har allerede en åben evaluering (evaluering {id}, {}): /evalueringer/{id}. Arbejd videre i den, eller kassér den først.",
                status.as_str()
            ),
            format!(
                "The product already has an open evaluation (evaluation {id}, {}): /evalueringer/{id}. Continue it, or discard it first.",
                status.as_str()
            ),
        ),
        StoreError::TooLarge { size, limit } => Msg::new(
            format!(
                "Den nye version fylder {}; en version må højst fylde {}. Intet er gemt.",
                megabytes(*size, false),
                megabytes(*limit, false)
            ),
            format!(
                "The new version takes {}; a version may take at most {}. Nothing was stored.",
                megabytes(*size, true),
                megabytes(*limit, true)
            ),
        ),
        _ => internal_message(),
    }
}

/// `bytes` in megabytes (of 1 048 576 bytes) with one decimal, as Danish (`english ==
/// false`) or English writes numbers.
pub fn megabytes(bytes: i64, english: bool) -> String {
    let text = format!("{:.1} MB", bytes as f64 / 1_048_576.0);
    if english {
        text
    } else {
        text.replace('.', ",")
    }
}

/// Result with [`AppError`].
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_keep_their_code_field_and_get_both_languages() {
        let err = AppError::from(StoreError::not_found("product", "os2mo"));
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(err.code(), "not_found");
        assert_eq!(err.message().da, "produkt os2mo findes ikke");
        assert_eq!(err.message().en, "product os2mo does not exist");

        let err = AppError::from(StoreError::Duplicate {
            field: "slug",
            value: "os2mo".into(),
        });
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert_eq!(err.code(), "duplicate");
        assert_eq!(err.field(), Some("slug"));
        assert_eq!(err.message().en, "os2mo is already in use");
    }

    #[test]
    fn a_conflict_names_the_versions_and_carries_the_stored_record() {
        let err = AppError::from(StoreError::Conflict {
            entity: "evaluation",
            id: 4,
            expected: 2,
            actual: 3,
            current: serde_json::json!({"version": 3}),
        });
        assert_eq!(err.kind(), ErrorKind::Conflict);
        assert_eq!(err.field(), Some("version"));
        assert_eq!(err.current(), Some(&serde_json::json!({"version": 3})));
        assert_eq!(
            err.message().da,
            "evaluering 4 er ændret af en anden (du havde version 2, den gemte er 3)"
        );
    }

    #[test]
    fn upload_limits_are_told_in_megabytes_as_each_language_writes_them() {
        let err = AppError::from(StoreError::TooLarge {
            size: 3 * 1_048_576 + 524_288,
            limit: 2 * 1_048_576,
        });
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(err.code(), "too_large");
        assert!(
            err.message()
                .da
                .starts_with("Den nye version fylder 3,5 MB")
        );
        assert!(err.message().en.starts_with("The new version takes 3.5 MB"));
    }

    #[test]
    fn internal_failures_tell_only_that_they_were_logged() {
        let err = AppError::from(StoreError::Backup(Msg::new(
            "secret path /etc",
            "secret path /etc",
        )));
        assert_eq!(err.kind(), ErrorKind::Internal);
        assert_eq!(err.code(), "internal");
        assert!(!err.message().da.contains("/etc"));
        assert!(!err.message().en.contains("/etc"));
    }
}
