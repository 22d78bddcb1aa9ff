//! Incremental scans: a check records the commit it read and the scanner that read it,
//! and a check of the same repository with both unchanged returns the stored result at
//! once.
//!
//! - [`SCANNER_VERSION`]: the crate's version and a fingerprint computed at build time
//!   (build.rs) over everything that can change a result: this crate's sources,
//!   niveau-model's sources, the built-in models and Cargo.lock.
//! - [`read_state`]: what the repository looks like, read cheaply — HEAD (or the
//!   revision asked for) resolved to a commit, and a digest of the branches, HEAD's
//!   branch and the shallow boundary (the branch detector reads them besides HEAD). No
//!   tree, no history walk.
//! - [`CacheKey`]: repository identity (canonical path or URL), that state, the scanner
//!   version, the model, the revision and the [`Limits`].
//! - [`CheckCache`]: one small JSON file per key in a directory, written atomically
//!   (temporary file, then rename); unreadable or corrupt files count as misses and are
//!   overwritten; nothing about the cache is ever fatal.
//! - [`reusable`]: the same rule for a report stored elsewhere (the server's previous
//!   scan run).
//!
//! "Now" matters to the age-based detectors (activity in the last 90 days, branches
//! older than 180 days, documents older than three years …). Each asks the context
//! (`Context::older_than`, `Context::within`), which records the earliest moment at which
//! one of those answers would change; the report keeps it as `stats.valid_until`, and a
//! stored result is reused only before it. A detector that reads the clock directly
//! (`Context::now`) limits the result to one day. The day counts a stored result shows
//! ("the latest commit 12 days ago") are as of its scan (`stats.scanned_at`, shown as
//! "Gemt resultat fra …").

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use gix::bstr::ByteSlice;
use niveau_model::Registry;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::check::{CheckOptions, CheckReport, check_repository};
use crate::error::ScanError;
use crate::source::Limits;

/// The detector set's version: the crate version and a short hash of everything that can
/// change a result (see the module documentation). Stored with every result; a result
/// from another scanner version is never reused.
pub const SCANNER_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "+",
    env!("NIVEAU_SCAN_FINGERPRINT")
);

/// The format of a cache file; a file of another format is a miss.
const ENTRY_FORMAT: &str = "niveau.check-cache/1";

/// What a repository looks like, read without reading its tree or history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepoState {
    /// The commit HEAD (or the revision asked for) resolves to.
    pub commit: String,
    /// SHA-256 (hex) over HEAD's branch, every local and remote-tracking branch and its
    /// target, and the shallow boundary.
    pub refs: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn open_err(path: &Path, e: impl std::fmt::Display) -> ScanError {
    ScanError::Open {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Reads the state of the repository at `path`: HEAD or `rev` resolved to a commit (one
/// object read), and the digest of the branches. Configuration from the user and the
/// system is ignored, as in [`crate::git::GitSource::open`].
pub fn read_state(path: &Path, rev: Option<&str>) -> Result<RepoState, ScanError> {
    let repo =
        gix::open_opts(path, gix::open::Options::isolated()).map_err(|e| open_err(path, e))?;
    let commit = match rev {
        Some(r) => {
            repo.rev_parse_single(r)
                .map_err(|e| ScanError::Revision {
                    rev: r.to_owned(),
                    message: e.to_string(),
                })?
                .object()
                .and_then(|o| o.peel_to_commit())
                .map_err(|e| ScanError::Revision {
                    rev: r.to_owned(),
                    message: e.to_string(),
                })?
                .id
        }
        None => {
            repo.head_commit()
                .map_err(|e| ScanError::NoCommit {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?
                .id
        }
    };
    let mut hasher = Sha256::new();
    if let Ok(Some(name)) = repo.head_name() {
        hasher.update(name.as_bstr().as_bytes());
    }
    hasher.update(b"\0");
    let platform = repo.references().map_err(|e| open_err(path, e))?;
    let mut refs: Vec<(String, String)> = Vec::new();
    for iter in [platform.local_branches(), platform.remote_branches()]
        .into_iter()
        .flatten()
    {
        for r in iter.flatten() {
            let target = match r.target() {
                gix::refs::TargetRef::Object(id) => id.to_string(),
                gix::refs::TargetRef::Symbolic(name) => {
                    format!("ref: {}", name.as_bstr().to_str_lossy())
                }
            };
            refs.push((r.name().as_bstr().to_str_lossy().into_owned(), target));
        }
    }
    refs.sort();
    for (name, target) in &refs {
        hasher.update(name.as_bytes());
        hasher.update(b" ");
        hasher.update(target.as_bytes());
        hasher.update(b"\n");
    }
    hasher.update(b"\0shallow:");
    if let Ok(Some(shallow)) = repo.shallow_commits() {
        let mut ids: Vec<String> = shallow.iter().map(|id| id.to_string()).collect();
        ids.sort();
        hasher.update(ids.join(",").as_bytes());
    }
    Ok(RepoState {
        commit: commit.to_string(),
        refs: hex(&hasher.finalize()),
    })
}

/// Everything a check's result depends on besides "now".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CacheKey {
    /// The repository: its canonical path, or its URL.
    pub repository: String,
    /// The repository's state.
    pub state: RepoState,
    /// [`SCANNER_VERSION`] of the scanner.
    pub scanner: String,
    /// The model reported against.
    pub model: String,
    /// The revision asked for, if any.
    pub rev: Option<String>,
    /// The read limits.
    pub limits: Limits,
}

impl CacheKey {
    /// The key of a check of `repository` in `state` with `opts`, by this scanner.
    pub fn new(repository: &str, state: RepoState, opts: &CheckOptions) -> Self {
        CacheKey {
            repository: repository.to_owned(),
            state,
            scanner: SCANNER_VERSION.to_owned(),
            model: opts.model.clone(),
            rev: opts.rev.clone(),
            limits: opts.limits,
        }
    }

    /// The file name of the key's entry: the SHA-256 of the key, in hex.
    pub fn file_name(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        format!("{}.json", hex(&Sha256::digest(text.as_bytes())))
    }
}

/// A cache file.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    format: String,
    /// The whole key, compared on reading (the file name is only its hash).
    key: CacheKey,
    /// The report as `niveau.check/1` has it.
    report: CheckReport,
    /// The Danish texts of the publiccode.yml problems, which the report's JSON leaves
    /// out, in the problems' order.
    #[serde(default)]
    problems_da: Vec<String>,
}

/// Whether a result scanned at `scanned_at`, whose time-based findings hold until
/// `valid_until`, may stand for a scan at `now`: not before its scan (a clock turned
/// back), and not from the moment one of its time-based findings would change.
pub fn fresh(scanned_at: i64, valid_until: Option<i64>, now: i64) -> bool {
    now >= scanned_at && valid_until.is_none_or(|v| now < v)
}

/// Check results kept as files in a directory (the CLI's
/// `$XDG_CACHE_HOME/niveau/checks`).
#[derive(Debug, Clone)]
pub struct CheckCache {
    dir: PathBuf,
}

impl CheckCache {
    /// A cache in `dir` (created when the first result is stored).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        CheckCache { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The stored report for `key`, if there is one whose time-based findings still hold
    /// at `now` ([`fresh`]). A missing, unreadable, corrupt or foreign file is a miss.
    pub fn get(&self, key: &CacheKey, now: i64) -> Option<CheckReport> {
        let bytes = std::fs::read(self.dir.join(key.file_name())).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        if entry.format != ENTRY_FORMAT
            || entry.key != *key
            || entry.report.head.commit != key.state.commit
            || !fresh(
                entry.report.stats.scanned_at,
                entry.report.stats.valid_until,
                now,
            )
        {
            return None;
        }
        let mut report = entry.report;
        if let Some(pc) = report.publiccode.as_mut()
            && pc.problems.len() == entry.problems_da.len()
        {
            for (p, da) in pc.problems.iter_mut().zip(entry.problems_da) {
                p.message_da = da;
            }
        }
        Some(report)
    }

    /// Stores `report` under `key`: written to a temporary file in the directory and
    /// renamed over the entry, so that a reader or a concurrent writer never sees half a
    /// file.
    pub fn put(&self, key: &CacheKey, report: &CheckReport) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let mut report = report.clone();
        report.stats.cached = false;
        let problems_da = report
            .publiccode
            .as_ref()
            .map(|pc| pc.problems.iter().map(|p| p.message_da.clone()).collect())
            .unwrap_or_default();
        let entry = Entry {
            format: ENTRY_FORMAT.to_owned(),
            key: key.clone(),
            report,
            problems_da,
        };
        let bytes = serde_json::to_vec(&entry).map_err(std::io::Error::other)?;
        let mut tmp = tempfile::NamedTempFile::new_in(&self.dir)?;
        tmp.write_all(&bytes)?;
        tmp.as_file().sync_data()?;
        tmp.persist(self.dir.join(key.file_name()))
            .map_err(|e| e.error)?;
        Ok(())
    }
}

/// The cache key of a check, or `None` when the check is not cached: the repository's
/// state cannot be read (the full check reports the problem), or other tools' results
/// are given from outside the repository, which the key does not cover.
fn cache_key(path: &Path, repository: &str, opts: &CheckOptions) -> Option<CacheKey> {
    if !opts.tool_results.is_empty() {
        return None;
    }
    let state = read_state(path, opts.rev.as_deref()).ok()?;
    Some(CacheKey::new(repository, state, opts))
}

/// Checks the repository at `path` (known as `repository`: its canonical path or URL),
/// returning the stored result when HEAD, the branches, the scanner, the model, the
/// revision and the limits are unchanged and no time-based finding of the result has
/// changed since ([`fresh`]; `stats.cached` is then true). Otherwise the repository is checked and the result
/// stored — unless the repository changed while it was read. The cache never makes a
/// check fail: a state that cannot be read means a full check (which reports the
/// problem), a result that cannot be stored is still returned.
pub fn check_repository_cached(
    path: &Path,
    repository: &str,
    registry: &Registry,
    opts: &CheckOptions,
    cache: &CheckCache,
) -> Result<CheckReport, ScanError> {
    let start = Instant::now();
    let Some(key) = cache_key(path, repository, opts) else {
        return check_repository(path, registry, opts);
    };
    if let Some(mut report) = cache.get(&key, opts.now) {
        report.stats.cached = true;
        report.stats.duration_ms = start.elapsed().as_millis();
        return Ok(report);
    }
    store(
        path,
        key,
        check_repository(path, registry, opts)?,
        opts,
        cache,
    )
}

/// Checks the repository at `path` (known as `repository`) without looking in the cache,
/// and stores the result for the next check (`--no-cache`).
pub fn check_and_store(
    path: &Path,
    repository: &str,
    registry: &Registry,
    opts: &CheckOptions,
    cache: &CheckCache,
) -> Result<CheckReport, ScanError> {
    let Some(key) = cache_key(path, repository, opts) else {
        return check_repository(path, registry, opts);
    };
    store(
        path,
        key,
        check_repository(path, registry, opts)?,
        opts,
        cache,
    )
}

/// Stamps `report` with the branches' digest of `key` and stores it, unless the
/// repository changed while it was read (HEAD or the branches differ afterwards).
fn store(
    path: &Path,
    key: CacheKey,
    mut report: CheckReport,
    opts: &CheckOptions,
    cache: &CheckCache,
) -> Result<CheckReport, ScanError> {
    report.head.refs = Some(key.state.refs.clone());
    let unchanged = report.head.commit == key.state.commit
        && read_state(path, opts.rev.as_deref()).is_ok_and(|after| after == key.state);
    if unchanged {
        // Best effort: a read-only or full cache directory only costs the next rescan.
        let _ = cache.put(&key, &report);
    }
    Ok(report)
}

/// Whether `stored` (a `niveau.check/1` report kept elsewhere, e.g. by the server's
/// previous scan run) can stand for a check with `opts` of a repository now in `state`:
/// same commit and branches, same scanner, model and revision, and no time-based
/// finding changed since ([`fresh`]). Returns the report, marked `stats.cached`, if so. The limits
/// are not stored in a report: the caller passes the ones it always uses.
pub fn reusable(
    stored: &serde_json::Value,
    state: &RepoState,
    opts: &CheckOptions,
) -> Option<CheckReport> {
    if stored.get("error").is_some() {
        return None;
    }
    let mut report: CheckReport = serde_json::from_value(stored.clone()).ok()?;
    let same = report.scanner == SCANNER_VERSION
        && report.head.commit == state.commit
        && report.head.refs.as_deref() == Some(state.refs.as_str())
        && report.head.rev == opts.rev
        && report.model.id.as_str() == opts.model
        && fresh(report.stats.scanned_at, report.stats.valid_until, opts.now);
    if !same {
        return None;
    }
    report.stats.cached = true;
    Some(report)
}
