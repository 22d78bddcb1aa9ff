//! What a scan reads from a repository, independent of how it is read: the
//! [`RepoSource`] trait and the [`Snapshot`] it provides.

use serde::{Deserialize, Serialize};

use crate::finding::ScanWarning;

/// Bounds on everything a scan reads, so that a hostile or enormous repository cannot
/// exhaust memory or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// The largest blob read, in bytes; larger files are listed but not read.
    pub max_blob_bytes: u64,
    /// The most files listed from the tree; beyond it the listing stops with a warning.
    pub max_files: usize,
    /// The most commits walked; beyond it the history is marked incomplete.
    pub max_commits: usize,
    /// The most bytes of a commit message kept.
    pub max_message_bytes: usize,
    /// The most branches examined for divergence.
    pub max_branches: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_blob_bytes: 1024 * 1024,
            max_files: 200_000,
            max_commits: 200_000,
            max_message_bytes: 4096,
            max_branches: 200,
        }
    }
}

/// The kind of a tree entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A regular file.
    File,
    /// An executable file.
    Executable,
    /// A symbolic link: listed, never followed.
    Symlink,
    /// A submodule (a commit of another repository): listed, never entered.
    Submodule,
}

/// A file in the scanned tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    /// Path from the repository root, `/`-separated.
    pub path: String,
    /// Kind.
    pub kind: EntryKind,
    /// The object id (hex).
    pub id: String,
}

impl FileEntry {
    /// The file name (last path component).
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The directory part, empty for files at the root.
    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("")
    }

    /// Lower-case file name.
    pub fn lower_name(&self) -> String {
        self.name().to_lowercase()
    }
}

/// A commit of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    /// Commit id (hex).
    pub id: String,
    /// Author name.
    pub author_name: String,
    /// Author e-mail, lower-case.
    pub author_email: String,
    /// Author time, seconds since the Unix epoch.
    pub time: i64,
    /// The message, cut at [`Limits::max_message_bytes`].
    pub message: String,
}

impl CommitInfo {
    /// The first line of the message.
    pub fn summary(&self) -> &str {
        self.message.lines().next().unwrap_or_default().trim()
    }
}

/// A branch and how far it has diverged from the default branch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BranchInfo {
    /// Short name, e.g. `main` or `feature/x` (remote-tracking branches without their
    /// remote prefix).
    pub name: String,
    /// Tip commit id.
    pub tip: String,
    /// Time of the tip commit.
    pub tip_time: i64,
    /// Commits on this branch that the default branch does not have (bounded).
    pub unique_commits: usize,
    /// Time of the oldest of those commits, if any.
    pub oldest_unique_time: Option<i64>,
}

/// The state of HEAD.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadInfo {
    /// The commit scanned.
    pub commit: String,
    /// The branch HEAD points to, if any.
    pub branch: Option<String>,
    /// The revision asked for (`--rev`), if any.
    pub rev: Option<String>,
    /// A digest of the branches (local and remote-tracking) and where they point, which
    /// the branch detector reads besides HEAD: set by [`crate::cache`], which reuses a
    /// result only when HEAD and the branches are unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refs: Option<String>,
}

/// Everything a scan needs from a repository, gathered once.
#[derive(Debug, Clone, Serialize)]
pub struct Snapshot {
    /// HEAD (or the revision asked for).
    pub head: HeadInfo,
    /// The files of the tree, sorted by path.
    pub files: Vec<FileEntry>,
    /// The history from HEAD, newest first.
    pub commits: Vec<CommitInfo>,
    /// Whether the history is complete (not cut by a limit, a shallow clone or a missing
    /// object).
    pub history_complete: bool,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
    /// The default branch: the branch HEAD points to, or the remote's HEAD.
    pub default_branch: Option<String>,
    /// The other branches.
    pub branches: Vec<BranchInfo>,
    /// What could not be read.
    pub warnings: Vec<ScanWarning>,
}

/// A file's content as read under the limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// UTF-8 text (invalid sequences replaced).
    Text(String),
    /// The file holds NUL bytes in its first 8 KiB.
    Binary,
    /// Larger than [`Limits::max_blob_bytes`]; its size.
    TooLarge(u64),
    /// A symlink or submodule: never read.
    NotAFile,
    /// The object is missing or corrupt; why.
    Unreadable(String),
}

impl Content {
    /// The text, if the content is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Content::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A repository as a scan reads it. [`crate::git::GitSource`] reads a git repository
/// with gix; tests may provide their own.
pub trait RepoSource {
    /// The snapshot gathered when the source was opened.
    fn snapshot(&self) -> &Snapshot;

    /// Reads a file of the snapshot under the limits. Never follows a symlink, never
    /// reads a blob larger than the limit.
    fn read(&self, file: &FileEntry) -> Content;

    /// How many files `commit` changed against its first parent (all its files for a
    /// root commit), counted up to [`MAX_COUNTED_CHANGES`]; `None` if the source cannot
    /// tell (the default) or the commit cannot be read. Costs a tree diff: callers ask
    /// for a bounded number of commits.
    fn changed_files(&self, commit: &str) -> Option<usize> {
        let _ = commit;
        None
    }

    /// The last commit on HEAD's first-parent line that changed each of `paths` (added,
    /// modified or removed it), found with one bounded walk for all of them. The result
    /// has one entry per path, `None` where the walk ended before finding the change;
    /// the whole result is `None` if the source cannot tell (the default).
    fn last_changes(&self, paths: &[&str]) -> Option<Vec<Option<LastChange>>> {
        let _ = paths;
        None
    }
}

/// The most changed files [`RepoSource::changed_files`] counts.
pub const MAX_COUNTED_CHANGES: usize = 100_000;

/// The commit that last changed a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastChange {
    /// Commit id (hex).
    pub commit: String,
    /// Its committer time, seconds since the Unix epoch.
    pub time: i64,
}
