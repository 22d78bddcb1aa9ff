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
        /// What went wrong, in English.
        message: String,
        /// What went wrong, in Danish.
        message_da: String,
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
    /// The error in both languages; the English text is the `Display` text. What git
    /// (gix) said is quoted as it is, after `git:`, in both.
    pub fn msg(&self) -> niveau_model::Msg {
        let da = match self {
            ScanError::Open { path, message } => {
                format!("{path}: ikke et læsbart git-repositorie (git: {message})")
            }
            ScanError::NoCommit { path, message } => {
                format!("{path}: repositoriet har ingen commit at undersøge (git: {message})")
            }
            ScanError::Revision { rev, message } => {
                format!("revisionen `{rev}` findes ikke (git: {message})")
            }
            ScanError::Clone {
                url, message_da, ..
            } => format!("kan ikke klone {url}: {message_da}"),
            ScanError::Refused { url, refusal } => {
                format!("{url} klones ikke: {}", refusal.message(false))
            }
            ScanError::TooLarge { url, max_bytes } => format!(
                "kan ikke klone {url}: repositoriet er større end grænsen på {max_bytes} bytes"
            ),
            ScanError::TimedOut { url, seconds } => {
                format!("kan ikke klone {url}: kloningen blev ikke færdig inden for {seconds} s")
            }
            ScanError::UnknownModel(e) => return e.msg(),
        };
        niveau_model::Msg::new(da, self.to_string())
    }

    /// Whether trying again cannot help: the location is refused, or the repository is
    /// too large.
    pub fn is_permanent(&self) -> bool {
        matches!(self, ScanError::Refused { .. } | ScanError::TooLarge { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remote_policy::Refusal;

    #[test]
    fn errors_in_both_languages() {
        let e = ScanError::TimedOut {
            url: "https://x.dk/r.git".into(),
            seconds: 60,
        };
        assert_eq!(
            e.msg().da,
            "kan ikke klone https://x.dk/r.git: kloningen blev ikke færdig inden for 60 s"
        );
        assert_eq!(e.msg().en, e.to_string());
        let e = ScanError::Refused {
            url: "ftp://x".into(),
            refusal: Refusal::Credentials,
        };
        assert_eq!(
            e.msg().da,
            "ftp://x klones ikke: må ikke indeholde brugernavn eller adgangskode"
        );
        assert_eq!(
            e.msg().en,
            "ftp://x is not cloned: must not contain a user name or password"
        );
        let e = ScanError::Clone {
            url: "https://x.dk/r.git".into(),
            message: "cannot create /c: No such file or directory (os error 2)".into(),
            message_da: "kan ikke oprette /c: findes ikke (systemfejl 2)".into(),
        };
        assert_eq!(
            e.msg().da,
            "kan ikke klone https://x.dk/r.git: kan ikke oprette /c: findes ikke (systemfejl 2)"
        );
        let e = ScanError::Open {
            path: "/r".into(),
            message: "not a repository".into(),
        };
        assert_eq!(
            e.msg().da,
            "/r: ikke et læsbart git-repositorie (git: not a repository)"
        );
    }
}
