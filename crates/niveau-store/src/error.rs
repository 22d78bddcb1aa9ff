//! The one error type of the store.
//!
//! The messages that reach people ([`StoreError::Invalid`], [`StoreError::State`]) are a
//! [`Msg`] in Danish and English, so the caller answers in its user's language; the
//! error's `Display` is the Danish text.

use niveau_model::Msg;
use thiserror::Error;

/// What went wrong in the store. Every variant names the entity and, where there is one,
/// the field at fault, so the web layer can answer with a stable code and the place.
#[derive(Debug, Error)]
pub enum StoreError {
    /// No row with this id (or key).
    #[error("{entity} {key} findes ikke")]
    NotFound {
        /// Entity name, e.g. `product`.
        entity: &'static str,
        /// The id or key that was looked up.
        key: String,
    },
    /// The update was based on an older version than the stored one.
    #[error(
        "{entity} {id} er ændret af en anden (du havde version {expected}, den gemte er {actual})"
    )]
    Conflict {
        /// Entity name.
        entity: &'static str,
        /// Row id.
        id: i32,
        /// The version the caller based the change on.
        expected: i32,
        /// The stored version.
        actual: i32,
        /// The stored record, as JSON, so the caller can show or merge it.
        current: serde_json::Value,
    },
    /// Input that breaks a rule of the data (empty name, bad slug, unknown reference…).
    #[error("{field}: {}", message.da)]
    Invalid {
        /// The field at fault, as the API names it (`slug`, `participants[2].organisation_id`).
        field: String,
        /// What is wrong, in Danish and English.
        message: Msg,
    },
    /// A value that must be unique is taken.
    #[error("{field}: {value} er allerede i brug")]
    Duplicate {
        /// The field that must be unique.
        field: &'static str,
        /// The taken value.
        value: String,
    },
    /// An operation that the record's state does not allow (e.g. changing a final evaluation),
    /// in Danish and English.
    #[error("{}", .0.da)]
    State(Msg),
    /// A new self-evaluation version would take the product's stored upload volume past
    /// its quota; nothing was stored.
    #[error(
        "produktets uploadkvote er {limit} bytes; {used} bytes er brugt, og den nye version fylder {size} bytes"
    )]
    QuotaExceeded {
        /// The product.
        product_id: i32,
        /// The product's quota, in bytes.
        limit: i64,
        /// Bytes its stored versions take now.
        used: i64,
        /// Bytes the refused version would take.
        size: i64,
    },
    /// One self-evaluation version is larger than any version may be; nothing was stored.
    #[error("versionen fylder {size} bytes; en version må højst fylde {limit} bytes")]
    TooLarge {
        /// Bytes the refused version would take.
        size: i64,
        /// The largest a version may be, in bytes.
        limit: i64,
    },
    /// The product already has an open evaluation (kladde or i dialog); a product has at
    /// most one at a time.
    #[error("produktet har allerede en åben evaluering ({id})")]
    OpenEvaluation {
        /// The open evaluation.
        id: i32,
        /// Its status.
        status: crate::types::EvaluationStatus,
    },
    /// A backup file that cannot be restored, in Danish and English.
    #[error("backup: {}", .0.en)]
    Backup(Msg),
    /// The database URL or options are not usable, in Danish and English.
    #[error("database configuration: {}", .0.en)]
    Config(Msg),
    /// An error from the database driver.
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    /// JSON (de)serialisation of a stored document failed.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// File I/O (SQLite file creation, backups).
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}

impl StoreError {
    /// A short stable machine code for the error (used as the API error code).
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NotFound { .. } => "not_found",
            StoreError::Conflict { .. } => "conflict",
            StoreError::Invalid { .. } => "invalid",
            StoreError::Duplicate { .. } => "duplicate",
            StoreError::State(_) => "invalid_state",
            StoreError::QuotaExceeded { .. } => "quota_exceeded",
            StoreError::TooLarge { .. } => "too_large",
            StoreError::OpenEvaluation { .. } => "open_evaluation",
            StoreError::Backup(_) => "backup",
            StoreError::Config(_) => "config",
            StoreError::Db(_) | StoreError::Json(_) | StoreError::Io { .. } => "internal",
        }
    }

    /// Shorthand for [`StoreError::Invalid`]: what is wrong with `field`, in Danish (`da`)
    /// and English (`en`).
    pub fn invalid(field: impl Into<String>, da: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            message: Msg::new(da, en),
        }
    }

    /// Shorthand for [`StoreError::State`]: why the record's state refuses, in Danish
    /// (`da`) and English (`en`).
    pub fn state(da: impl Into<String>, en: impl Into<String>) -> Self {
        StoreError::State(Msg::new(da, en))
    }

    /// Whether this is the refusal to leave no enabled administrator
    /// ([`crate::accounts::LAST_ADMIN`]).
    pub fn is_last_admin(&self) -> bool {
        matches!(self, StoreError::State(message) if message.da == crate::accounts::LAST_ADMIN)
    }

    /// Shorthand for [`StoreError::NotFound`].
    pub fn not_found(entity: &'static str, key: impl ToString) -> Self {
        StoreError::NotFound {
            entity,
            key: key.to_string(),
        }
    }
}

/// Result with [`StoreError`].
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_messages_come_in_both_languages_and_display_in_danish() {
        let invalid = StoreError::invalid("name", "skal udfyldes", "is required");
        assert_eq!(invalid.to_string(), "name: skal udfyldes");
        let StoreError::Invalid { field, message } = &invalid else {
            panic!("{invalid:?}");
        };
        assert_eq!(field, "name");
        assert_eq!(message, &Msg::new("skal udfyldes", "is required"));
        assert_eq!(invalid.code(), "invalid");

        let state = StoreError::state("lukket", "closed");
        assert_eq!(state.to_string(), "lukket");
        assert_eq!(state.code(), "invalid_state");
        assert!(!state.is_last_admin());

        let last = StoreError::state(crate::accounts::LAST_ADMIN, crate::accounts::LAST_ADMIN_EN);
        assert!(last.is_last_admin());
        assert_eq!(last.to_string(), crate::accounts::LAST_ADMIN);
    }
}
