//! The background worker: takes jobs from the database queue and runs them. Any instance
//! may run one; the store guarantees that each job is taken by one worker at a time, and
//! a worker that dies loses its job when its lease runs out.
//!
//! Jobs of kind `forge_issues` open, update and close a round's repository issues
//! ([`niveau_app::forge`]); when the queue is empty the worker queues the runs that are
//! due. The other job kind is `scan`: every repository of the product is cloned (bare, with
//! gix, into a folder of its own below `worker.cache_dir`, removed afterwards) and
//! checked with niveau-scan against os2-1.1.0, the model the detectors speak (the
//! evaluation translates the findings to its own model). Nothing from a repository is
//! run. Which locations are cloned is decided by one policy
//! ([`niveau_scan::remote_policy`], configured under `[web.worker]`): https to the
//! allowed forges (ssh and http only when enabled), never a local path or `file://`,
//! and never a host that resolves to a loopback, link-local, private or otherwise
//! internal address; the clone connects to the addresses checked. The same policy is
//! applied when a product's repositories are saved and when a scan is queued
//! ([`niveau_app::scans::check_repository_locations`]), and again here right before each clone, because
//! the configuration and DNS may have changed. A clone is bounded in bytes
//! (`max_clone_bytes`) and time (`clone_timeout_seconds`, and the lease); one that
//! outgrows them is stopped and removed.
//!
//! What a scan run becomes — done, tried again, failed — and every write to the queue
//! and the scan runs are the application layer's ([`niveau_app::scans`]): this loop
//! claims a job, clones and checks, and hands the results to
//! [`niveau_app::scans::record_scan`].
//!
//! A repository whose HEAD and branches are unchanged since the product's previous
//! finished scan run, scanned by the same [`niveau_scan::SCANNER_VERSION`] less than a
//! day ago, is cloned but not scanned again: the previous run's entry is reused, marked
//! `stats.cached` ([`niveau_scan::cache::reusable`]; only that one run is read).
//!
//! Time is bounded by the lease: the whole job must finish within 80 % of
//! `worker.lease_seconds`, or its unfinished repositories are reported as timed out. A
//! clone is stopped at its own deadline; a scan of a clone that overruns cannot be
//! interrupted from outside, so its thread is left to finish and its result is dropped.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use niveau_app::AppError;
use niveau_app::scans::{self, RepositoryResult};
use niveau_scan::cache;
use niveau_scan::check::{CheckOptions, DETECTOR_MODEL};
use niveau_scan::clone::{CloneLimits, clone_to_cache};
use niveau_scan::{Limits, ScanError, check_repository, render};
use niveau_store::StoreError;
use niveau_store::entity::job;
use tokio::sync::watch;

use crate::state::AppState;

/// Why the worker could not do its own bookkeeping (a job's own failure is recorded in
/// the job, not returned).
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An operation of the application layer failed.
    #[error(transparent)]
    App(#[from] AppError),
}

/// The share of the lease a job may take.
const LEASE_SHARE: f64 = 0.8;

/// Runs the worker until `shutdown` turns true (or its sender is dropped): takes a job,
/// runs it, and looks again; when the queue is empty it waits `worker.poll_seconds`. A
/// job that is running when shutdown comes is given back to the queue at once.
pub async fn run_worker(state: AppState, worker_id: String, mut shutdown: watch::Receiver<bool>) {
    let poll = Duration::from_secs(state.config().worker.poll_seconds.max(1));
    tracing::info!(worker = %worker_id, "worker started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let claimed = tokio::select! {
            claimed = claim(&state, &worker_id) => claimed,
            () = stopped(&mut shutdown) => break,
        };
        let idle = match claimed {
            Ok(Some(job)) => {
                let id = job.id;
                tokio::select! {
                    done = process(&state, &worker_id, job) => {
                        if let Err(e) = done {
                            tracing::warn!(worker = %worker_id, job = id, error = %e, "job bookkeeping failed");
                        }
                        false
                    }
                    () = stopped(&mut shutdown) => {
                        if let Err(e) = scans::give_back(state.app(), id, &worker_id).await {
                            tracing::warn!(worker = %worker_id, job = id, error = %e, "could not give the job back");
                        }
                        break;
                    }
                }
            }
            Ok(None) => {
                // An idle moment: queue the repository issue runs that are due.
                if !state.config().forges.is_empty()
                    && let Err(e) = niveau_app::forge::queue_due(state.app()).await
                {
                    tracing::warn!(worker = %worker_id, error = %e, "could not queue repository issue runs");
                }
                true
            }
            Err(e) => {
                tracing::warn!(worker = %worker_id, error = %e, "could not read the job queue");
                true
            }
        };
        if idle {
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                () = stopped(&mut shutdown) => break,
            }
        }
    }
    tracing::info!(worker = %worker_id, "worker stopped");
}

/// Resolves when shutdown is asked for: the value turns true, or its sender is gone.
async fn stopped(shutdown: &mut watch::Receiver<bool>) {
    // An error means the sender was dropped, which is a shutdown too.
    let _ = shutdown.wait_for(|stop| *stop).await;
}

/// Takes at most one job and runs it. `Ok(true)` if a job was run (whatever its outcome,
/// which is recorded in the job and its scan run), `Ok(false)` if the queue was empty.
pub async fn run_once(state: &AppState, worker_id: &str) -> Result<bool, WorkerError> {
    match claim(state, worker_id).await? {
        Some(job) => {
            process(state, worker_id, job).await?;
            Ok(true)
        }
        None => Ok(false),
    }
}

async fn claim(state: &AppState, worker_id: &str) -> Result<Option<job::Model>, WorkerError> {
    let lease = Duration::from_secs(state.config().worker.lease_seconds.max(1));
    Ok(scans::claim_job(state.app(), worker_id, lease).await?)
}

async fn process(state: &AppState, worker_id: &str, job: job::Model) -> Result<(), WorkerError> {
    match scans::begin_job(state.app(), worker_id, job).await? {
        Some(scans::Begun::Scan(task)) => scan(state, worker_id, *task).await,
        Some(scans::Begun::Publish(job)) => publish_site(state, worker_id, job).await,
        Some(scans::Begun::Forge(job)) => {
            let forges = state.config().forges();
            niveau_app::forge::run_job(state.app(), &forges, worker_id, &job).await?;
            Ok(())
        }
        None => Ok(()),
    }
}

/// A publication of the static site (`[publish]`): rendered and written to `out_dir`
/// and/or pushed to `git_url`; a failure is recorded and the job tried again later.
async fn publish_site(
    state: &AppState,
    worker_id: &str,
    job: job::Model,
) -> Result<(), WorkerError> {
    let config = state.config().publish.clone();
    tracing::info!(worker = %worker_id, job = job.id, "publishing the static site");
    let result = publish_with(state, &config).await;
    match &result {
        Ok(()) => tracing::info!(worker = %worker_id, job = job.id, "static site published"),
        Err(e) => {
            tracing::warn!(worker = %worker_id, job = job.id, error = %e, "static site not published")
        }
    }
    niveau_app::publish::record(state.app(), worker_id, &job, result).await?;
    Ok(())
}

async fn publish_with(
    state: &AppState,
    config: &crate::config::PublishConfig,
) -> Result<(), String> {
    use crate::publish;
    if !config.enabled() {
        return Err("[publish] er ikke sat op (git_url eller out_dir)".to_owned());
    }
    let options = publish::PublishOptions {
        base_path: config.base_path.clone(),
    };
    let site = publish::render_site(state, &options)
        .await
        .map_err(|e| e.msg().da)?;
    let out_dir = config.out_dir.clone();
    let target = config.git_url.clone().map(|url| publish::git::GitTarget {
        url,
        branch: config.branch.clone(),
        policy: config.remote_policy(),
        allow_file: config.allow_file_for_tests,
    });
    tokio::task::spawn_blocking(move || {
        if let Some(dir) = &out_dir {
            publish::write_site(dir, &site).map_err(|e| e.msg().da)?;
        }
        if let Some(target) = &target {
            publish::git::publish(&site, target).map_err(|e| e.msg().da)?;
        }
        Ok(())
    })
    .await
    .map_err(|e| format!("offentliggørelsen stoppede uventet: {e}"))?
}

/// A scan of the task's repositories.
async fn scan(state: &AppState, worker_id: &str, task: scans::ScanTask) -> Result<(), WorkerError> {
    let repositories = task.product.repositories.0.clone();
    let job = &task.job;
    tracing::info!(worker = %worker_id, job = job.id, product = %task.product.slug, repositories = repositories.len(), "scanning");
    let lease = Duration::from_secs(state.config().worker.lease_seconds.max(1));
    let deadline = Instant::now() + lease.mul_f64(LEASE_SHARE);
    let dir = job_dir(state, worker_id, job);
    let mut results = Vec::with_capacity(repositories.len());
    for url in &repositories {
        let previous = task.previous_result(url).cloned();
        match scan_with_deadline(state, url, &dir, deadline, previous).await {
            Ok(report) => results.push(RepositoryResult::Scanned(report)),
            Err(Failure { message, final_ }) => {
                tracing::warn!(worker = %worker_id, job = job.id, repository = %url, error = %message, "repository not scanned");
                results.push(RepositoryResult::Failed {
                    target: url.clone(),
                    message,
                    permanent: final_,
                });
            }
        }
    }
    // Best effort: the clones are not needed any more. A failure here leaves a folder in
    // the cache directory, nothing else.
    if let Err(e) = tokio::fs::remove_dir_all(&dir).await
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(path = %dir.display(), error = %e, "could not remove the clones");
    }
    scans::record_scan(state.app(), worker_id, &task, results).await?;
    Ok(())
}

/// A folder of the job's own below the cache directory, so that workers never share a
/// clone.
fn job_dir(state: &AppState, worker_id: &str, job: &job::Model) -> PathBuf {
    let base = state
        .config()
        .worker
        .cache_dir
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join("niveau-worker"));
    let safe: String = worker_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(40)
        .collect();
    base.join(format!("job-{}-{}-{safe}", job.id, job.attempts))
}

/// Why one repository was not scanned.
struct Failure {
    /// The reason, for the scan run.
    message: String,
    /// Trying again cannot help.
    final_: bool,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure {
            message,
            final_: false,
        }
    }
}

/// The reason a clone failed, in Danish like the rest of the scan run's messages.
fn clone_failure(e: &ScanError) -> Failure {
    let message = match e {
        ScanError::Refused { refusal, .. } => format!("hentes ikke: {refusal}"),
        ScanError::TooLarge { max_bytes, .. } => {
            let limit = if *max_bytes >= 1024 * 1024 {
                format!("{} MB", max_bytes / (1024 * 1024))
            } else {
                format!("{} kB", max_bytes / 1024)
            };
            format!(
                "repositoriet er større end grænsen på {limit} (web.worker.max_clone_bytes); kopien er slettet"
            )
        }
        ScanError::TimedOut { seconds, .. } => {
            format!("kloningen blev ikke færdig inden for {seconds} s; kopien er slettet")
        }
        other => other.to_string(),
    };
    Failure {
        message,
        final_: e.is_permanent(),
    }
}

async fn scan_with_deadline(
    state: &AppState,
    url: &str,
    dir: &Path,
    deadline: Instant,
    previous: Option<serde_json::Value>,
) -> Result<serde_json::Value, Failure> {
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        return Err(Failure::from(
            "tidsgrænsen for scanningen er nået".to_owned(),
        ));
    }
    let task_state = state.clone();
    let task_url = url.to_owned();
    let task_dir = dir.to_owned();
    let handle = tokio::task::spawn_blocking(move || {
        scan_one(
            &task_state,
            &task_url,
            &task_dir,
            remaining,
            previous.as_ref(),
        )
    });
    match tokio::time::timeout(remaining, handle).await {
        Err(_) => Err(Failure::from(format!(
            "tidsgrænsen for scanningen ({} s) er nået",
            remaining.as_secs()
        ))),
        Ok(Err(join)) => Err(Failure::from(format!(
            "scanningen stoppede uventet: {join}"
        ))),
        Ok(Ok(result)) => result,
    }
}

/// Clones and checks one repository (blocking). The location is checked against the
/// policy again, with its addresses, right before the clone. When `previous` (the
/// product's previous scan run's entry for this repository) was made by this scanner
/// from the same HEAD and branches, and none of its time-based findings has changed since
/// (`stats.valid_until`), it is reused instead of a scan,
/// marked `stats.cached`.
fn scan_one(
    state: &AppState,
    url: &str,
    dir: &Path,
    remaining: Duration,
    previous: Option<&serde_json::Value>,
) -> Result<serde_json::Value, Failure> {
    let worker = &state.config().worker;
    let limits = CloneLimits {
        max_bytes: Some(worker.max_clone_bytes),
        timeout: Some(Duration::from_secs(worker.clone_timeout_seconds.max(1)).min(remaining)),
    };
    let path = clone_to_cache(url, dir, &worker.remote_policy(), &limits)
        .map_err(|e| clone_failure(&e))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    let opts = CheckOptions {
        model: DETECTOR_MODEL.to_owned(),
        rev: None,
        limits: Limits::default(),
        now,
        tool_results: Vec::new(),
    };
    // HEAD and the branches, read without the tree or the history.
    let repo_state = cache::read_state(&path, None).ok();
    let reused = match (previous, &repo_state) {
        (Some(previous), Some(repo_state)) => cache::reusable(previous, repo_state, &opts),
        _ => None,
    };
    let mut report = match reused {
        Some(report) => {
            tracing::info!(repository = %url, commit = %report.head.commit, "unchanged since the previous scan; its result is reused");
            report
        }
        None => {
            let mut report =
                check_repository(&path, state.registry(), &opts).map_err(|e| e.to_string())?;
            if let Some(repo_state) = repo_state
                && repo_state.commit == report.head.commit
            {
                report.head.refs = Some(repo_state.refs);
            }
            report
        }
    };
    report.target = url.to_owned();
    let text = render::json(&report).map_err(|e| e.to_string())?;
    Ok(serde_json::from_str(&text).map_err(|e| e.to_string())?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::WorkerConfig;

    #[test]
    fn only_allowed_remote_locations_are_accepted() {
        let config = WorkerConfig::default();
        let ok = |url: &str| {
            scans::check_repository_locations(&config.remote_policy(), &[url.to_owned()]).is_ok()
        };
        assert!(ok("https://github.com/OS2borgerPC/admin-site"));
        assert!(!ok("git@github.com:OS2borgerPC/admin-site.git"));
        assert!(!ok("ssh://git@example.org/x.git"));
        assert!(!ok("file:///etc"));
        assert!(!ok("/var/lib/niveau"));
        assert!(!ok("https://example.org/a b"));
        assert!(!ok("http://169.254.169.254/latest/meta-data"));
        let ssh = WorkerConfig {
            allow_ssh: true,
            ..WorkerConfig::default()
        };
        assert!(
            scans::check_repository_locations(
                &ssh.remote_policy(),
                &["git@github.com:OS2/x.git".into()]
            )
            .is_ok()
        );
    }
}
