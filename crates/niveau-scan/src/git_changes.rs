//! Per-commit change sizes and the last change of a few paths, read with gix for
//! [`crate::git::GitSource`]. Both are bounded: a tree diff stops counting at
//! [`MAX_COUNTED_CHANGES`], and the last-change walk follows HEAD's first-parent line for
//! at most [`MAX_LAST_CHANGE_COMMITS`] commits, looking all paths up in one pass.

use std::collections::HashMap;

use gix::ObjectId;

use crate::source::{LastChange, MAX_COUNTED_CHANGES};

/// The most commits the last-change walk reads.
pub const MAX_LAST_CHANGE_COMMITS: usize = 50_000;

/// A decoded tree entry: is it a tree, and its id.
type Entries = HashMap<Vec<u8>, (bool, ObjectId)>;

fn tree_entries(repo: &gix::Repository, id: ObjectId) -> Option<Entries> {
    let tree = repo.find_object(id).ok()?.try_into_tree().ok()?;
    let decoded = tree.decode().ok()?;
    Some(
        decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_vec(), (e.mode.is_tree(), e.oid.to_owned())))
            .collect(),
    )
}

/// How many files lie under the tree `id` (bounded by `budget`).
fn count_files(repo: &gix::Repository, id: ObjectId, budget: usize) -> Option<usize> {
    let mut n = 0;
    let mut stack = vec![id];
    while let Some(t) = stack.pop() {
        for (is_tree, oid) in tree_entries(repo, t)?.into_values() {
            if is_tree {
                stack.push(oid);
            } else {
                n += 1;
                if n >= budget {
                    return Some(n);
                }
            }
        }
    }
    Some(n)
}

/// Files that differ between the trees `old` (none: the empty tree) and `new`, counted
/// up to [`MAX_COUNTED_CHANGES`]; only subtrees whose ids differ are entered.
pub fn changed_between(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: ObjectId,
) -> Option<usize> {
    let Some(old) = old else {
        return count_files(repo, new, MAX_COUNTED_CHANGES);
    };
    let mut n = 0usize;
    let mut stack = vec![(old, new)];
    while let Some((o, w)) = stack.pop() {
        if o == w {
            continue;
        }
        let mut old_entries = tree_entries(repo, o)?;
        for (name, (new_is_tree, new_id)) in tree_entries(repo, w)? {
            let budget = MAX_COUNTED_CHANGES.saturating_sub(n);
            match old_entries.remove(&name) {
                Some((_, old_id)) if old_id == new_id => {}
                Some((true, old_id)) if new_is_tree => stack.push((old_id, new_id)),
                Some((false, _)) if !new_is_tree => n += 1,
                Some((old_is_tree, old_id)) => {
                    // A file became a directory or the reverse.
                    n += if old_is_tree {
                        count_files(repo, old_id, budget)?
                    } else {
                        1
                    };
                    n += if new_is_tree {
                        count_files(repo, new_id, budget)?
                    } else {
                        1
                    };
                }
                None => {
                    n += if new_is_tree {
                        count_files(repo, new_id, budget)?
                    } else {
                        1
                    };
                }
            }
            if n >= MAX_COUNTED_CHANGES {
                return Some(MAX_COUNTED_CHANGES);
            }
        }
        // What is left of the old tree was removed.
        for (is_tree, id) in old_entries.into_values() {
            n += if is_tree {
                count_files(repo, id, MAX_COUNTED_CHANGES.saturating_sub(n))?
            } else {
                1
            };
            if n >= MAX_COUNTED_CHANGES {
                return Some(MAX_COUNTED_CHANGES);
            }
        }
    }
    Some(n)
}

/// The tree and the first parent of a commit.
fn tree_and_parent(
    repo: &gix::Repository,
    id: ObjectId,
) -> Option<(ObjectId, Option<ObjectId>, i64)> {
    let commit = repo.find_object(id).ok()?.try_into_commit().ok()?;
    let tree = commit.tree_id().ok()?.detach();
    let parent = commit.parent_ids().next().map(|p| p.detach());
    let time = commit.time().ok()?.seconds;
    Some((tree, parent, time))
}

/// How many files the commit `commit` (hex) changed against its first parent.
pub fn changed_files(repo: &gix::Repository, commit: &str) -> Option<usize> {
    let id = ObjectId::from_hex(commit.as_bytes()).ok()?;
    let (tree, parent, _) = tree_and_parent(repo, id)?;
    let old = match parent {
        Some(p) => Some(tree_and_parent(repo, p)?.0),
        None => None,
    };
    changed_between(repo, old, tree)
}

/// The decoded trees of one commit, each read at most once.
type Trees = HashMap<ObjectId, Option<Entries>>;

/// The ids of the entries at `paths` in the tree `root` (`None` where a path is absent
/// or a tree cannot be read), through `trees`: each tree on the way is decoded at most
/// once for all paths together, the root too when the caller has already read it.
fn entries_at(
    repo: &gix::Repository,
    root: ObjectId,
    paths: &[&str],
    trees: &mut Trees,
) -> Vec<Option<ObjectId>> {
    paths
        .iter()
        .map(|path| {
            let mut id = root;
            for part in path.split('/') {
                let entries = trees
                    .entry(id)
                    .or_insert_with(|| tree_entries(repo, id))
                    .as_ref()?;
                id = entries.get(part.as_bytes())?.1;
            }
            Some(id)
        })
        .collect()
}

/// The root tree `root` read into a fresh [`Trees`]; `None` when it cannot be read.
fn read_root(repo: &gix::Repository, root: ObjectId) -> Option<Trees> {
    Some(HashMap::from([(root, Some(tree_entries(repo, root)?))]))
}

/// The top-level entry of each path's first component in the root tree `root` (read by
/// [`read_root`] into `trees`): when it is unchanged between two commits, so is
/// everything under it.
fn tops(trees: &Trees, root: ObjectId, paths: &[&str]) -> Vec<Option<ObjectId>> {
    let entries = trees.get(&root).and_then(Option::as_ref);
    paths
        .iter()
        .map(|p| {
            let first = p.split('/').next().unwrap_or(p);
            entries?.get(first.as_bytes()).map(|e| e.1)
        })
        .collect()
}

/// The last commit on `head`'s first-parent line that changed each of `paths`: walks
/// back until each path's entry differs from the one in the next older commit (or the
/// line ends at a root commit, which then added it), at most
/// [`MAX_LAST_CHANGE_COMMITS`] commits for all paths together. Per commit whose root
/// tree differs, that tree is decoded once; a path's subtrees only when its top-level
/// entry changed.
pub fn last_changes(
    repo: &gix::Repository,
    head: ObjectId,
    paths: &[&str],
) -> Vec<Option<LastChange>> {
    let mut out: Vec<Option<LastChange>> = vec![None; paths.len()];
    let Some((mut tree, mut parent, mut time)) = tree_and_parent(repo, head) else {
        return out;
    };
    let mut commit = head;
    let Some(mut trees) = read_root(repo, tree) else {
        return out;
    };
    let mut current = entries_at(repo, tree, paths, &mut trees);
    let mut current_tops = tops(&trees, tree, paths);
    let mut open: Vec<usize> = (0..paths.len()).collect();
    for _ in 0..MAX_LAST_CHANGE_COMMITS {
        if open.is_empty() {
            break;
        }
        let Some(p) = parent else {
            // A root commit added whatever it has.
            for &i in &open {
                if current[i].is_some() {
                    out[i] = Some(LastChange {
                        commit: commit.to_string(),
                        time,
                    });
                }
            }
            break;
        };
        let Some((p_tree, p_parent, p_time)) = tree_and_parent(repo, p) else {
            break;
        };
        if p_tree != tree {
            // An older root tree that cannot be read ends the walk, as an unreadable
            // commit does: nothing below it can be compared.
            let Some(mut trees) = read_root(repo, p_tree) else {
                break;
            };
            let older_tops = tops(&trees, p_tree, paths);
            // The open paths under a top-level entry that changed, looked up together.
            let moved: Vec<usize> = open
                .iter()
                .copied()
                .filter(|&i| older_tops[i] != current_tops[i])
                .collect();
            let moved_paths: Vec<&str> = moved.iter().map(|&i| paths[i]).collect();
            let older = entries_at(repo, p_tree, &moved_paths, &mut trees);
            for (k, &i) in moved.iter().enumerate() {
                if older[k] != current[i] {
                    out[i] = Some(LastChange {
                        commit: commit.to_string(),
                        time,
                    });
                }
                current[i] = older[k];
            }
            open.retain(|i| out[*i].is_none());
            current_tops = older_tops;
        }
        commit = p;
        tree = p_tree;
        parent = p_parent;
        time = p_time;
    }
    out
}
