//! The one error type of the store.

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
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault, as the API names it (`slug`, `participants[2].organisation_id`).
        field: String,
        /// What is wrong, in Danish.
        message: String,
    },
    /// A value that must be unique is taken.
    #[error("{field}: {value} er allerede i brug")]
    Duplicate {
        /// The field that must be unique.
        field: &'static str,
        /// The taken value.
        value: String,
    },
    /// An operation that the record's state does not allow (e.g. changing a final evaluation).
    #[error("{0}")]
    State(String),
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
    /// A backup file that cannot be restored.
    #[error("backup: {0}")]
    Backup(String),
    /// The database URL or options are not usable.
    #[error("database configuration: {0}")]
    Config(String),
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
            StoreError::Backup(_) => "backup",
            StoreError::Config(_) => "config",
            StoreError::Db(_) | StoreError::Json(_) | StoreError::Io { .. } => "internal",
        }
    }

    /// Shorthand for [`StoreError::Invalid`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Invalid {
            field: field.into(),
            message: message.into(),
        }
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
