//! `niveau publish --git URL`: the static site committed to a branch of a git repository
//! and pushed.
//!
//! gix cannot push, so this runs the `git` program, safely: no shell, every argument a
//! separate argument, the location after `--`, a location checked first (the remote
//! policy, or an explicit `file://` permission for the command line and tests), and an
//! isolated configuration (no system or user config, no hooks, no prompts), so nothing
//! from the machine's or the user's git setup runs.
//!
//! The previous publication is read from the branch's tree (its manifest), so a
//! publication never drops a file an earlier one wrote for a published evaluation
//! ([`super::write_site`]). An unchanged portfolio makes no commit.

use std::path::Path;
use std::process::{Command, Stdio};

use niveau_model::Msg;
use niveau_scan::remote_policy::RemotePolicy;

use super::{Changes, PublishError, Site, write_site};

/// Where the site goes.
#[derive(Debug, Clone)]
pub struct GitTarget {
    /// The repository's location.
    pub url: String,
    /// The branch (`gh-pages`).
    pub branch: String,
    /// The locations that may be pushed to.
    pub policy: RemotePolicy,
    /// `file://` locations (a repository on this machine) are allowed: the command line
    /// and tests only, never the server's configuration.
    pub allow_file: bool,
}

/// What a push did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitOutcome {
    /// What changed.
    pub changes: Changes,
    /// The new commit, when one was made.
    pub commit: Option<String>,
}

fn git_error(da: impl Into<String>, en: impl Into<String>) -> PublishError {
    PublishError::Git(Msg::new(da, en))
}

/// Check the location and the branch name before anything runs.
pub fn check_target(target: &GitTarget) -> Result<(), PublishError> {
    let branch = &target.branch;
    let branch_ok = !branch.is_empty()
        && branch.len() <= 200
        && !branch.starts_with(['-', '/', '.'])
        && !branch.ends_with(['/', '.'])
        && !branch.contains("..")
        && !branch.contains("//")
        && !branch.ends_with(".lock")
        && branch
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/' | b'.'));
    if !branch_ok {
        return Err(git_error(
            format!("grenens navn kan ikke bruges: {branch}"),
            format!("the branch name cannot be used: {branch}"),
        ));
    }
    let url = target.url.trim();
    if let Some(path) = url.strip_prefix("file://") {
        if target.allow_file && path.starts_with('/') && !path.chars().any(char::is_control) {
            return Ok(());
        }
        return Err(git_error(
            "et lokalt repository (file://) er ikke tilladt her",
            "a local repository (file://) is not allowed here",
        ));
    }
    target.policy.check(url).map(|_| ()).map_err(|refusal| {
        git_error(
            format!("adressen {url} afvises: {}", refusal.message(false)),
            format!("the location {url} is refused: {}", refusal.message(true)),
        )
    })
}

/// `git` with an isolated configuration, in `dir`.
fn git(dir: &Path, home: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_AUTHOR_NAME", "Niveau")
        .env("GIT_AUTHOR_EMAIL", "niveau@localhost")
        .env("GIT_COMMITTER_NAME", "Niveau")
        .env("GIT_COMMITTER_EMAIL", "niveau@localhost")
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "protocol.ext.allow=never",
        ])
        .stdin(Stdio::null());
    if let Some(ssh) = std::env::var_os("GIT_SSH_COMMAND") {
        // The operator's key for an ssh location (from the server's environment).
        command.env("GIT_SSH_COMMAND", ssh);
    }
    command
}

/// Run `command`; its standard output on success.
fn run(mut command: Command, what: &str) -> Result<String, PublishError> {
    let output = command.output().map_err(|e| {
        let io = Msg::io(&e);
        git_error(
            format!("git kan ikke startes ({what}): {}", io.da),
            format!("git cannot be started ({what}): {}", io.en),
        )
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stderr = stderr.trim();
        return Err(git_error(
            format!("git {what} mislykkedes: {stderr}"),
            format!("git {what} failed: {stderr}"),
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// Commit `site` to the target's branch and push it. The branch is made when the
/// repository does not have it yet.
pub fn publish(site: &Site, target: &GitTarget) -> Result<GitOutcome, PublishError> {
    check_target(target)?;
    let temp = tempfile::tempdir().map_err(|e| PublishError::io(Path::new("tempdir"), e))?;
    let home = temp.path().join("home");
    let work = temp.path().join("site");
    std::fs::create_dir_all(&home).map_err(|e| PublishError::io(&home, e))?;
    std::fs::create_dir_all(&work).map_err(|e| PublishError::io(&work, e))?;
    let url = target.url.trim();
    let branch = &target.branch;

    let mut heads = git(&work, &home);
    heads.args([
        "ls-remote",
        "--heads",
        "--",
        url,
        &format!("refs/heads/{branch}"),
    ]);
    let exists = !run(heads, "ls-remote")?.trim().is_empty();
    if exists {
        let mut clone = git(temp.path(), &home);
        clone.args([
            "clone",
            "--quiet",
            "--no-tags",
            "--single-branch",
            "--branch",
            branch,
            "--",
            url,
            "site",
        ]);
        run(clone, "clone")?;
    } else {
        let mut init = git(&work, &home);
        init.args(["init", "--quiet", "--initial-branch", branch]);
        run(init, "init")?;
        let mut remote = git(&work, &home);
        remote.args(["remote", "add", "--", "origin", url]);
        run(remote, "remote add")?;
    }

    let changes = write_site(&work, site)?;
    let mut add = git(&work, &home);
    add.args(["add", "--all", "."]);
    run(add, "add")?;
    let mut status = git(&work, &home);
    status.args(["status", "--porcelain"]);
    if run(status, "status")?.trim().is_empty() {
        return Ok(GitOutcome {
            changes,
            commit: None,
        });
    }
    let mut commit = git(&work, &home);
    commit.args([
        "commit",
        "--quiet",
        "--no-gpg-sign",
        "-m",
        &changes.commit_message(),
    ]);
    run(commit, "commit")?;
    let mut head = git(&work, &home);
    head.args(["rev-parse", "HEAD"]);
    let id = run(head, "rev-parse")?.trim().to_owned();
    let mut push = git(&work, &home);
    push.args([
        "push",
        "--quiet",
        "origin",
        &format!("HEAD:refs/heads/{branch}"),
    ]);
    run(push, "push")?;
    Ok(GitOutcome {
        changes,
        commit: Some(id),
    })
}
