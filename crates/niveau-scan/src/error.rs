//! Errors that stop a scan of one repository.

/// Why a repository could not be scanned at all.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// Not a git repository, or unreadable.
    #[error("{path}: not a readable git repository: {message}")]
    Open {
        /// The path given.
        path: String,
        /// What gix said.
        message: String,
    },
    /// The repository has no commit to scan.
    #[error("{path}: the repository has no commit to scan: {message}")]
    NoCommit {
        /// The path given.
        path: String,
        /// What gix said.
        message: String,
    },
    /// The revision asked for does not exist.
    #[error("revision `{rev}` not found: {message}")]
    Revision {
        /// The revision.
        rev: String,
        /// What gix said.
        message: String,
    },
    /// Cloning a URL failed.
    #[error("cannot clone {url}: {message}")]
    Clone {
        /// The URL.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// The model asked for is not known.
    #[error(transparent)]
    UnknownModel(#[from] niveau_model::UnknownModel),
}
