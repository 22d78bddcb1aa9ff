//! A git repository read with gix, straight from the object database: no checkout, no
//! `git` process, nothing from the repository executed, no symlink followed, every
//! blob read bounded, missing and corrupt objects turned into warnings.

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};
use std::path::Path;

use gix::bstr::ByteSlice;

use crate::error::ScanError;
use crate::finding::ScanWarning;
use crate::source::{
    BranchInfo, CommitInfo, Content, EntryKind, FileEntry, HeadInfo, Limits, RepoSource, Snapshot,
};

/// The most commits counted per branch when measuring divergence.
const MAX_UNIQUE_PER_BRANCH: usize = 10_000;

/// A git repository (working tree or bare), read with gix.
pub struct GitSource {
    repo: gix::Repository,
    snapshot: Snapshot,
    limits: Limits,
}

fn err(path: &Path, e: impl std::fmt::Display) -> ScanError {
    ScanError::Open {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

fn short_branch(full: &str) -> Option<String> {
    if let Some(rest) = full.strip_prefix("refs/heads/") {
        return Some(rest.to_owned());
    }
    let rest = full.strip_prefix("refs/remotes/")?;
    let (_, name) = rest.split_once('/')?;
    (name != "HEAD").then(|| name.to_owned())
}

impl GitSource {
    /// Opens the repository at `path` (its work tree, its `.git` directory, or a bare
    /// repository) and gathers the snapshot at HEAD or at `rev`. Configuration from the
    /// user and the system is ignored, so that nothing outside the repository changes
    /// what is read.
    pub fn open(path: &Path, rev: Option<&str>, limits: Limits) -> Result<GitSource, ScanError> {
        let repo =
            gix::open_opts(path, gix::open::Options::isolated()).map_err(|e| err(path, e))?;
        let mut warnings = Vec::new();

        let (head_id, tree_id) = {
            let head_commit = match rev {
                Some(r) => repo
                    .rev_parse_single(r)
                    .map_err(|e| ScanError::Revision {
                        rev: r.to_owned(),
                        message: e.to_string(),
                    })?
                    .object()
                    .and_then(|o| o.peel_to_commit())
                    .map_err(|e| ScanError::Revision {
                        rev: r.to_owned(),
                        message: e.to_string(),
                    })?,
                None => repo.head_commit().map_err(|e| ScanError::NoCommit {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?,
            };
            let tree = head_commit
                .tree_id()
                .map(|t| t.detach())
                .map_err(|e| e.to_string());
            (head_commit.id, tree)
        };
        let head_branch = repo
            .head_name()
            .ok()
            .flatten()
            .and_then(|n| short_branch(&n.as_bstr().to_str_lossy()));
        let default_branch = head_branch.clone().or_else(|| remote_head(&repo));

        let files = match tree_id {
            Ok(tree) => list_files(&repo, tree, &limits, &mut warnings),
            Err(e) => {
                warnings.push(ScanWarning::new(
                    "missing-object",
                    None,
                    format!("Træet for {head_id} kan ikke læses: {e}"),
                    format!("The tree of {head_id} cannot be read: {e}"),
                ));
                Vec::new()
            }
        };
        let shallow = repo.is_shallow().unwrap_or(false);
        let (commits, mut history_complete, reached) =
            walk_history(&repo, head_id, &limits, &mut warnings);
        if shallow {
            history_complete = false;
            warnings.push(ScanWarning::new(
                "shallow-clone",
                None,
                "Repositoriet er en overfladisk kopi (shallow clone); historikken er ufuldstændig.",
                "The repository is a shallow clone; its history is incomplete.",
            ));
        }
        let branches = branches(
            &repo,
            &reached,
            default_branch.as_deref(),
            &limits,
            &mut warnings,
        );
        let snapshot = Snapshot {
            head: HeadInfo {
                commit: head_id.to_string(),
                branch: head_branch,
                rev: rev.map(str::to_owned),
                refs: None,
            },
            files,
            commits,
            history_complete,
            shallow,
            default_branch,
            branches,
            warnings,
        };
        Ok(GitSource {
            repo,
            snapshot,
            limits,
        })
    }
}

/// The branch `refs/remotes/origin/HEAD` points to, for clones whose HEAD is detached.
fn remote_head(repo: &gix::Repository) -> Option<String> {
    let r = repo.find_reference("refs/remotes/origin/HEAD").ok()?;
    let target = r.target();
    let name = target.try_name()?;
    short_branch(&name.as_bstr().to_str_lossy())
}

/// Lists the files of `tree` without recursion (an explicit stack), stopping at the
/// file limit; unreadable trees become warnings.
fn list_files(
    repo: &gix::Repository,
    tree: gix::ObjectId,
    limits: &Limits,
    warnings: &mut Vec<ScanWarning>,
) -> Vec<FileEntry> {
    let mut out = Vec::new();
    let mut stack: Vec<(String, gix::ObjectId)> = vec![(String::new(), tree)];
    while let Some((prefix, id)) = stack.pop() {
        let tree = match repo.find_object(id).and_then(|o| o.try_into_tree()) {
            Ok(t) => t,
            Err(e) => {
                warnings.push(ScanWarning::new(
                    "missing-object",
                    Some(prefix.clone()),
                    format!("Mappen «{prefix}» kan ikke læses ({e}); den er sprunget over."),
                    format!("The directory “{prefix}” cannot be read ({e}); it is skipped."),
                ));
                continue;
            }
        };
        let decoded = match tree.decode() {
            Ok(d) => d,
            Err(e) => {
                warnings.push(ScanWarning::new(
                    "corrupt-object",
                    Some(prefix.clone()),
                    format!("Mappen «{prefix}» er beskadiget ({e}); den er sprunget over."),
                    format!("The directory “{prefix}” is corrupt ({e}); it is skipped."),
                ));
                continue;
            }
        };
        for entry in &decoded.entries {
            let name = entry.filename.to_str_lossy();
            let path = if prefix.is_empty() {
                name.into_owned()
            } else {
                format!("{prefix}/{name}")
            };
            let mode = entry.mode;
            if mode.is_tree() {
                stack.push((path, entry.oid.to_owned()));
                continue;
            }
            if out.len() >= limits.max_files {
                warnings.push(ScanWarning::new(
                    "too-many-files",
                    None,
                    format!(
                        "Træet har mere end {} filer; resten er ikke læst.",
                        limits.max_files
                    ),
                    format!(
                        "The tree has more than {} files; the rest is not read.",
                        limits.max_files
                    ),
                ));
                out.sort_by(|a: &FileEntry, b| a.path.cmp(&b.path));
                return out;
            }
            let kind = if mode.is_link() {
                EntryKind::Symlink
            } else if mode.is_commit() {
                EntryKind::Submodule
            } else if mode.kind() == gix::object::tree::EntryKind::BlobExecutable {
                EntryKind::Executable
            } else {
                EntryKind::File
            };
            out.push(FileEntry {
                path,
                kind,
                id: entry.oid.to_string(),
            });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// Reads one commit: its information and its parents. Each commit is decompressed and
/// decoded once.
fn load_commit(
    repo: &gix::Repository,
    id: gix::ObjectId,
    limits: &Limits,
) -> Result<(CommitInfo, Vec<gix::ObjectId>), String> {
    let object = repo.find_object(id).map_err(|e| e.to_string())?;
    let commit = object.try_into_commit().map_err(|e| e.to_string())?;
    let decoded = commit.decode().map_err(|e| e.to_string())?;
    let author = decoded.author().map_err(|e| e.to_string())?;
    let raw = decoded.message.as_bytes();
    let cut = &raw[..raw.len().min(limits.max_message_bytes)];
    let info = CommitInfo {
        id: id.to_string(),
        author_name: author.name.to_str_lossy().trim().to_owned(),
        author_email: author.email.to_str_lossy().trim().to_lowercase(),
        time: author.seconds(),
        message: String::from_utf8_lossy(cut).into_owned(),
    };
    Ok((info, decoded.parents().collect()))
}

/// The history from `head`, newest first, up to the commit limit: a walk in commit-time
/// order that reads every commit once. Also returns the ids of every commit the walk
/// reached (all of them reachable from `head`), for [`branches`]. Parents of the commits a shallow clone cuts off
/// are not followed; any other commit that cannot be read ends the walk with a warning.
fn walk_history(
    repo: &gix::Repository,
    head: gix::ObjectId,
    limits: &Limits,
    warnings: &mut Vec<ScanWarning>,
) -> (Vec<CommitInfo>, bool, HashMap<gix::ObjectId, i64>) {
    let shallow: HashSet<gix::ObjectId> = repo
        .shallow_commits()
        .ok()
        .flatten()
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    let mut complete = true;
    // Every commit reached, with its author time (0 when it cannot be read).
    let mut seen: HashMap<gix::ObjectId, i64> = HashMap::new();
    let mut frontier: HashMap<gix::ObjectId, (CommitInfo, Vec<gix::ObjectId>)> = HashMap::new();
    let mut queue: BinaryHeap<(i64, gix::ObjectId)> = BinaryHeap::new();
    let missing = |id: gix::ObjectId, e: String, warnings: &mut Vec<ScanWarning>| {
        warnings.push(ScanWarning::new(
            "missing-object",
            None,
            format!("Historikken stopper ved commit {id}, som ikke kan læses ({e})."),
            format!("The history stops at commit {id}, which cannot be read ({e})."),
        ));
    };
    seen.insert(head, 0);
    match load_commit(repo, head, limits) {
        Ok(loaded) => {
            seen.insert(head, loaded.0.time);
            queue.push((loaded.0.time, head));
            frontier.insert(head, loaded);
        }
        Err(e) => {
            missing(head, e, warnings);
            return (out, false, seen);
        }
    }
    while let Some((_, id)) = queue.pop() {
        let Some((info, parents)) = frontier.remove(&id) else {
            continue;
        };
        if out.len() >= limits.max_commits {
            warnings.push(ScanWarning::new(
                "too-many-commits",
                None,
                format!(
                    "Historikken har mere end {} commits; resten er ikke læst.",
                    limits.max_commits
                ),
                format!(
                    "The history has more than {} commits; the rest is not read.",
                    limits.max_commits
                ),
            ));
            return (out, false, seen);
        }
        out.push(info);
        if shallow.contains(&id) {
            continue;
        }
        for parent in parents {
            if seen.contains_key(&parent) {
                continue;
            }
            seen.insert(parent, 0);
            match load_commit(repo, parent, limits) {
                Ok(loaded) => {
                    seen.insert(parent, loaded.0.time);
                    queue.push((loaded.0.time, parent));
                    frontier.insert(parent, loaded);
                }
                Err(e) => {
                    if complete {
                        missing(parent, e, warnings);
                    }
                    complete = false;
                }
            }
        }
    }
    (out, complete, seen)
}

/// Every other branch (local and remote-tracking) with its divergence from the default
/// branch: the commits reachable from the branch and not from the scanned commit.
///
/// `reached` holds the commits the history walk reached from the scanned commit, with
/// their author times. Each other commit is read at most once in the whole scan (see
/// [`Divergence`]); the branches are then measured in memory.
fn branches(
    repo: &gix::Repository,
    reached: &HashMap<gix::ObjectId, i64>,
    default: Option<&str>,
    limits: &Limits,
    warnings: &mut Vec<ScanWarning>,
) -> Vec<BranchInfo> {
    let mut tips: BTreeMap<String, gix::ObjectId> = BTreeMap::new();
    let Ok(platform) = repo.references() else {
        return Vec::new();
    };
    let iters = [platform.local_branches(), platform.remote_branches()];
    for iter in iters.into_iter().flatten() {
        for r in iter.flatten() {
            let full = r.name().as_bstr().to_str_lossy().into_owned();
            let Some(name) = short_branch(&full) else {
                continue;
            };
            if Some(name.as_str()) == default || tips.contains_key(&name) {
                continue;
            }
            let mut r = r;
            if let Ok(id) = r.peel_to_id() {
                tips.insert(name, id.detach());
            }
        }
    }
    let mut divergence = Divergence::new(repo, reached, limits.max_commits);
    let mut out = Vec::new();
    for (name, tip) in tips {
        if out.len() >= limits.max_branches {
            warnings.push(ScanWarning::new(
                "too-many-branches",
                None,
                format!(
                    "Der er mere end {} grene; resten er ikke undersøgt.",
                    limits.max_branches
                ),
                format!(
                    "There are more than {} branches; the rest are not examined.",
                    limits.max_branches
                ),
            ));
            break;
        }
        let (tip_time, unique_commits, oldest_unique_time) = divergence.measure(tip);
        out.push(BranchInfo {
            name,
            tip: tip.to_string(),
            tip_time,
            unique_commits,
            oldest_unique_time,
        });
    }
    out
}

/// What divergence needs of a commit the default branch does not reach.
struct Node {
    /// Author time.
    time: i64,
    /// The parents the default branch does not reach.
    parents: Box<[gix::ObjectId]>,
}

/// Measures branches against the commits reachable from the scanned commit.
///
/// Commits outside that history are read once (parents and author time only) into a
/// cache shared by all branches, so that a long unmerged branch that many feature
/// branches start from is inflated and decoded once, not once per branch; each branch
/// is then a walk over the cache (newest first, at most [`MAX_UNIQUE_PER_BRANCH`]
/// commits) with a visit mark per cached commit instead of a set per branch. The cache
/// holds at most `capacity` commits; when it is full it is emptied and filled again, so
/// memory stays bounded and only time grows in a pathological repository.
struct Divergence<'a> {
    repo: &'a gix::Repository,
    reached: &'a HashMap<gix::ObjectId, i64>,
    capacity: usize,
    /// Cached commits by id; `None` for a commit that cannot be read.
    index: HashMap<gix::ObjectId, Option<u32>>,
    nodes: Vec<Node>,
    /// Per cached commit, the number of the last walk that visited it.
    visited: Vec<u32>,
    walk: u32,
}

impl<'a> Divergence<'a> {
    fn new(
        repo: &'a gix::Repository,
        reached: &'a HashMap<gix::ObjectId, i64>,
        capacity: usize,
    ) -> Self {
        Divergence {
            repo,
            reached,
            capacity: capacity.max(1),
            index: HashMap::new(),
            nodes: Vec::new(),
            visited: Vec::new(),
            walk: 0,
        }
    }

    /// The cache index of `id`, reading the commit when it is not cached yet; `None`
    /// when it cannot be read.
    fn node(&mut self, id: gix::ObjectId) -> Option<u32> {
        if let Some(known) = self.index.get(&id) {
            return *known;
        }
        let loaded = read_node(self.repo, id).ok().map(|(time, parents)| Node {
            time,
            parents: parents
                .into_iter()
                .filter(|p| !self.reached.contains_key(p))
                .collect(),
        });
        let slot = loaded.and_then(|node| {
            let i = u32::try_from(self.nodes.len()).ok()?;
            self.nodes.push(node);
            self.visited.push(0);
            Some(i)
        });
        self.index.insert(id, slot);
        slot
    }

    /// The tip's author time (0 when it cannot be read), how many commits the branch
    /// has that the scanned history does not (at most [`MAX_UNIQUE_PER_BRANCH`]), and
    /// the author time of the oldest of those counted.
    fn measure(&mut self, tip: gix::ObjectId) -> (i64, usize, Option<i64>) {
        if let Some(time) = self.reached.get(&tip) {
            return (*time, 0, None);
        }
        if self.nodes.len() >= self.capacity {
            self.index.clear();
            self.nodes.clear();
            self.visited.clear();
        }
        self.walk = self.walk.wrapping_add(1).max(1);
        let walk = self.walk;
        let Some(start) = self.node(tip) else {
            return (0, 0, None);
        };
        let tip_time = self.nodes[start as usize].time;
        let mut queue: BinaryHeap<(i64, u32)> = BinaryHeap::new();
        self.visited[start as usize] = walk;
        queue.push((tip_time, start));
        let mut unique = 0;
        let mut oldest: Option<i64> = None;
        while let Some((time, i)) = queue.pop() {
            if unique >= MAX_UNIQUE_PER_BRANCH {
                break;
            }
            unique += 1;
            oldest = Some(oldest.map_or(time, |o| o.min(time)));
            for k in 0..self.nodes[i as usize].parents.len() {
                let parent = self.nodes[i as usize].parents[k];
                let Some(j) = self.node(parent) else {
                    continue;
                };
                let j = j as usize;
                if self.visited[j] != walk {
                    self.visited[j] = walk;
                    queue.push((self.nodes[j].time, j as u32));
                }
            }
        }
        (tip_time, unique, oldest)
    }
}

/// Reads a commit's author time and parents, nothing else.
fn read_node(
    repo: &gix::Repository,
    id: gix::ObjectId,
) -> Result<(i64, Vec<gix::ObjectId>), String> {
    let object = repo.find_object(id).map_err(|e| e.to_string())?;
    let commit = object.try_into_commit().map_err(|e| e.to_string())?;
    let decoded = commit.decode().map_err(|e| e.to_string())?;
    let author = decoded.author().map_err(|e| e.to_string())?;
    Ok((author.seconds(), decoded.parents().collect()))
}

impl RepoSource for GitSource {
    fn snapshot(&self) -> &Snapshot {
        &self.snapshot
    }

    fn read(&self, file: &FileEntry) -> Content {
        if matches!(file.kind, EntryKind::Symlink | EntryKind::Submodule) {
            return Content::NotAFile;
        }
        let Ok(id) = gix::ObjectId::from_hex(file.id.as_bytes()) else {
            return Content::Unreadable(format!("invalid object id {}", file.id));
        };
        match self.repo.find_header(id) {
            Ok(h) if h.size() > self.limits.max_blob_bytes => return Content::TooLarge(h.size()),
            Ok(_) => {}
            Err(e) => return Content::Unreadable(e.to_string()),
        }
        match self.repo.find_object(id) {
            Ok(o) => {
                let data = &o.data;
                if data.iter().take(8192).any(|&b| b == 0) {
                    Content::Binary
                } else {
                    Content::Text(String::from_utf8_lossy(data).into_owned())
                }
            }
            Err(e) => Content::Unreadable(e.to_string()),
        }
    }

    fn changed_files(&self, commit: &str) -> Option<usize> {
        crate::git_changes::changed_files(&self.repo, commit)
    }

    fn last_changes(&self, paths: &[&str]) -> Option<Vec<Option<crate::source::LastChange>>> {
        let head = gix::ObjectId::from_hex(self.snapshot.head.commit.as_bytes()).ok()?;
        Some(crate::git_changes::last_changes(&self.repo, head, paths))
    }
}
