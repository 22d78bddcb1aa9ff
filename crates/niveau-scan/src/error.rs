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
    /// The location may not be cloned (policy, or an address the server must not reach).
    #[error("{url} is not cloned: {}", refusal.message(true))]
    Refused {
        /// The location.
        url: String,
        /// Why.
        refusal: crate::remote_policy::Refusal,
    },
    /// The clone grew beyond its size limit and was removed.
    #[error("cannot clone {url}: the repository is larger than the limit of {max_bytes} bytes")]
    TooLarge {
        /// The location.
        url: String,
        /// The limit.
        max_bytes: u64,
    },
    /// The clone took longer than its time limit and was removed.
    #[error("cannot clone {url}: not done within {seconds} s")]
    TimedOut {
        /// The location.
        url: String,
        /// The limit in seconds.
        seconds: u64,
    },
    /// The model asked for is not known.
    #[error(transparent)]
    UnknownModel(#[from] niveau_model::UnknownModel),
}

impl ScanError {
    /// Whether trying again cannot help: the location is refused, or the repository is
    /// too large.
    pub fn is_permanent(&self) -> bool {
        matches!(self, ScanError::Refused { .. } | ScanError::TooLarge { .. })
    }
}
