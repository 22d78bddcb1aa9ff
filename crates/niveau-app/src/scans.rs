//! Repository scans: asking for one ([`request`]), reading them ([`list`], [`get`]), and
//! the background worker's bookkeeping ([`claim_job`], [`begin_scan`], [`record_scan`],
//! [`give_back`]), and one verdict for the whole product from a run's reports
//! ([`product_verdict`]). The worker's loop, its clones and its configuration live in the web
//! crate; the rules of what a scan run becomes live here.
//!
//! Which locations may be cloned is one policy ([`niveau_scan::remote_policy`]); the
//! caller passes the one it is configured with. It is applied when a product's
//! repositories are saved and when a scan is queued ([`check_repository_locations`]), and
//! again by the worker right before each clone.
//!
//! The scan run's result is a JSON array with one entry per repository, in the product's
//! order: a `niveau.check/1` report, or `{"target": URL, "error": MESSAGE}` for a
//! repository that could not be cloned or read. When every repository fails, the job
//! fails and is tried again later (the store gives up after its attempts); the scan run
//! is marked failed on the last attempt. When every failure is one that trying again
//! cannot mend (a refused location, a repository over the size limit), the job fails at
//! once, without retries.

use std::time::Duration;

use niveau_model::Msg;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_store::entity::{job, product, scan_run};
use niveau_store::jobs::{SCAN_JOB, ScanFilter};
use niveau_store::{ListParams, Page};
use serde::Deserialize;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, require};
use crate::principal::Caller;

/// How long a failed scan job waits before it is tried again.
pub const RETRY_AFTER: Duration = Duration::from_secs(60);

/// Checks product repository locations against `policy` without the network (scheme,
/// credentials, allowed host and port, addresses written in the location), naming the
/// field of the first refused one (`repositories[i]`).
pub fn check_repository_locations(policy: &RemotePolicy, repositories: &[String]) -> AppResult<()> {
    for (i, url) in repositories.iter().enumerate() {
        if let Err(refusal) = policy.check(url) {
            let url = url.trim();
            return Err(AppError::invalid(
                format!("repositories[{i}]"),
                Msg::new(
                    format!("{url}: {refusal}"),
                    format!("{url}: {}", refusal.message(true)),
                ),
            ));
        }
    }
    Ok(())
}

/// Queues a scan of `product`'s repositories (found with
/// [`crate::visibility::resolve_product`]): for the product's editors and the
/// secretariat. Refuses a product without repositories, and one with a repository
/// `policy` does not allow (the policy may have changed since they were saved).
pub async fn request(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    policy: &RemotePolicy,
) -> AppResult<scan_run::Model> {
    let who = require(who, Action::RequestScan(product.id))?;
    if product.repositories.0.is_empty() {
        return Err(AppError::invalid(
            "repositories",
            Msg::new(
                format!(
                    "{} har ingen repositorier; tilføj dem til produktet før en scanning",
                    product.name
                ),
                format!(
                    "{} has no repositories; add them to the product before a scan",
                    product.name
                ),
            ),
        ));
    }
    check_repository_locations(policy, &product.repositories.0)?;
    Ok(app.store().request_scan(&who.actor(), product.id).await?)
}

/// Scan runs, newest first. For logged-in readers.
pub async fn list(
    app: &App,
    who: Caller<'_>,
    filter: &ScanFilter,
    params: &ListParams,
) -> AppResult<Page<scan_run::Model>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().list_scans(filter, params).await?)
}

/// One scan run with its result. For logged-in readers.
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<scan_run::Model> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().scan_run(id).await?)
}

/// A scan job the worker has begun: the job, its scan run and the product to scan.
#[derive(Debug, Clone)]
pub struct ScanTask {
    /// The job, claimed by the worker.
    pub job: job::Model,
    /// The scan run to fill in.
    pub scan_run_id: i32,
    /// The product, with its repositories in order.
    pub product: product::Model,
    /// What the product's latest finished scan run recorded for its repositories (at most
    /// one entry per repository of the product, nothing else from that run): the worker
    /// reuses an entry whose commit, branches and scanner are unchanged
    /// ([`niveau_scan::cache::reusable`]).
    pub previous: Vec<serde_json::Value>,
}

impl ScanTask {
    /// The previous scan run's entry for `target`, if it recorded one.
    pub fn previous_result(&self, target: &str) -> Option<&serde_json::Value> {
        self.previous
            .iter()
            .find(|entry| entry.get("target").and_then(|t| t.as_str()) == Some(target))
    }
}

/// The entries of the product's latest finished scan run that belong to one of its
/// current repositories, the first per repository. Reads that one run, not the
/// product's history.
async fn previous_results(
    app: &App,
    product: &product::Model,
) -> AppResult<Vec<serde_json::Value>> {
    let Some(run) = app.store().latest_scan(product.id).await? else {
        return Ok(Vec::new());
    };
    let Some(serde_json::Value::Array(entries)) = run.result else {
        return Ok(Vec::new());
    };
    let mut kept: Vec<serde_json::Value> = Vec::new();
    for entry in entries {
        let Some(target) = entry.get("target").and_then(|t| t.as_str()) else {
            continue;
        };
        let wanted = product.repositories.0.iter().any(|r| r == target);
        let seen = kept
            .iter()
            .any(|k| k.get("target").and_then(|t| t.as_str()) == Some(target));
        if wanted && !seen {
            kept.push(entry);
        }
    }
    Ok(kept)
}

/// What became of one repository.
#[derive(Debug, Clone, PartialEq)]
pub enum RepositoryResult {
    /// Its `niveau.check/1` report.
    Scanned(serde_json::Value),
    /// It could not be cloned or read.
    Failed {
        /// The repository.
        target: String,
        /// Why, for the scan run.
        message: String,
        /// Trying again cannot help (a refused location, a repository over the limit).
        permanent: bool,
    },
}

/// What [`record_scan`] made of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanOutcome {
    /// At least one repository was scanned: the scan run is done.
    Done,
    /// Every repository failed, and will be tried again later.
    Retry,
    /// Every repository failed, and the scan run failed (no attempts left, or nothing a
    /// later attempt could change).
    Failed,
}

#[derive(Debug, Deserialize)]
struct ScanPayload {
    scan_run_id: i32,
    product_id: i32,
}

/// Takes at most one job from the queue for `worker`, for `lease`.
pub async fn claim_job(app: &App, worker: &str, lease: Duration) -> AppResult<Option<job::Model>> {
    Ok(app.store().claim_job(worker, lease).await?)
}

/// Gives a job back to the queue at once (the worker is stopping).
pub async fn give_back(app: &App, job_id: i32, worker: &str) -> AppResult<()> {
    Ok(app
        .store()
        .fail_job(job_id, worker, "arbejderen blev stoppet", Duration::ZERO)
        .await?)
}

/// A claimed job, by kind.
#[derive(Debug)]
pub enum Begun {
    /// A scan of a product's repositories.
    Scan(Box<ScanTask>),
    /// A publication of the static site ([`crate::publish`]).
    Publish(job::Model),
    /// A round's repository issues on the forges ([`crate::forge`]).
    Forge(job::Model),
}

/// Begins a claimed job of any kind the worker knows: a scan ([`begin_scan`]), a
/// publication of the static site or a round's forge issues; `None` when there is nothing to do (an unknown kind
/// is abandoned with the reason).
pub async fn begin_job(app: &App, worker: &str, job: job::Model) -> AppResult<Option<Begun>> {
    match job.kind.as_str() {
        SCAN_JOB => Ok(begin_scan(app, worker, job)
            .await?
            .map(|task| Begun::Scan(Box::new(task)))),
        crate::publish::PUBLISH_JOB => Ok(Some(Begun::Publish(job))),
        crate::forge::FORGE_JOB => Ok(Some(Begun::Forge(job))),
        other => {
            app.store()
                .abandon_job(job.id, worker, &format!("ukendt jobtype '{other}'"))
                .await?;
            Ok(None)
        }
    }
}

/// Begins a claimed job: the scan to run, or `None` when there is nothing to scan (the
/// job is not a scan or its data is unreadable — it is abandoned; the product has no
/// repositories — the scan run fails and the job is done).
pub async fn begin_scan(app: &App, worker: &str, job: job::Model) -> AppResult<Option<ScanTask>> {
    let store = app.store();
    if job.kind != SCAN_JOB {
        store
            .abandon_job(job.id, worker, &format!("ukendt jobtype '{}'", job.kind))
            .await?;
        return Ok(None);
    }
    let payload: ScanPayload = match serde_json::from_value(job.payload.clone()) {
        Ok(p) => p,
        Err(e) => {
            store
                .abandon_job(job.id, worker, &format!("ugyldige jobdata: {e}"))
                .await?;
            return Ok(None);
        }
    };
    store.start_scan(payload.scan_run_id).await?;
    let product = store.product(payload.product_id).await?;
    if product.repositories.0.is_empty() {
        store
            .finish_scan(
                payload.scan_run_id,
                Err(format!("{} har ingen repositorier", product.name)),
            )
            .await?;
        store.complete_job(job.id, worker).await?;
        return Ok(None);
    }
    let previous = previous_results(app, &product).await?;
    Ok(Some(ScanTask {
        job,
        scan_run_id: payload.scan_run_id,
        product,
        previous,
    }))
}

/// Records what became of each repository of `task` (one result per repository, in the
/// product's order) in the scan run and the job: done when at least one was scanned;
/// otherwise failed at once when no failure can be mended by trying again, failed on the
/// last attempt, or given back to be tried again after [`RETRY_AFTER`].
pub async fn record_scan(
    app: &App,
    worker: &str,
    task: &ScanTask,
    results: Vec<RepositoryResult>,
) -> AppResult<ScanOutcome> {
    let store = app.store();
    let (job, run) = (&task.job, task.scan_run_id);
    let total = results.len();
    let mut errors = Vec::new();
    let mut permanent = 0;
    let entries: Vec<serde_json::Value> = results
        .into_iter()
        .map(|r| match r {
            RepositoryResult::Scanned(report) => report,
            RepositoryResult::Failed {
                target,
                message,
                permanent: final_,
            } => {
                permanent += usize::from(final_);
                errors.push(format!("{target}: {message}"));
                serde_json::json!({ "target": target, "error": message })
            }
        })
        .collect();
    if errors.len() < total {
        store
            .finish_scan(run, Ok(serde_json::Value::Array(entries)))
            .await?;
        store.complete_job(job.id, worker).await?;
        return Ok(ScanOutcome::Done);
    }
    let message = errors.join("; ");
    if permanent == total {
        // Nothing a later attempt could change: fail the scan and the job now.
        store.finish_scan(run, Err(message.clone())).await?;
        store.abandon_job(job.id, worker, &message).await?;
        return Ok(ScanOutcome::Failed);
    }
    let outcome = if job.attempts >= job.max_attempts {
        store.finish_scan(run, Err(message.clone())).await?;
        ScanOutcome::Failed
    } else {
        store.requeue_scan(run, &message).await?;
        ScanOutcome::Retry
    };
    store
        .fail_job(job.id, worker, &message, RETRY_AFTER)
        .await?;
    Ok(outcome)
}

/// One verdict for the whole product from a scan run's per-repository reports (issue
/// 15's "whole products", as `niveau check A B --product NAME` gives it): each
/// requirement combined by its rule from the repositories' results
/// ([`niveau_scan::product::combine`]), with the evidence per repository.
///
/// `None` when there is nothing to combine: fewer than two repositories were scanned
/// (one repository's report is the product's), the run has no result yet, or the
/// reports cannot be read as `niveau.check/1` or were made against different or unknown
/// models (older runs). A failed repository is left out; the page lists it beside.
pub fn product_verdict(
    app: &App,
    product_name: &str,
    run: &scan_run::Model,
) -> Option<niveau_scan::product::ProductReport> {
    let serde_json::Value::Array(entries) = run.result.as_ref()? else {
        return None;
    };
    let reports: Vec<niveau_scan::check::CheckReport> = entries
        .iter()
        .filter(|e| e.get("error").is_none())
        .map(|e| serde_json::from_value(e.clone()).ok())
        .collect::<Option<_>>()?;
    if reports.len() < 2 {
        return None;
    }
    let model_id = reports[0].model.id.clone();
    if reports.iter().any(|r| r.model.id != model_id) {
        return None;
    }
    let model = app.registry().get(model_id.as_str()).ok()?;
    Some(niveau_scan::product::combine(product_name, model, &reports))
}

#[cfg(test)]
mod tests {
    use niveau_store::types::{JobStatus, Role};

    use super::*;
    use crate::work_fixtures::{app, product_with, secretariat, who};

    fn policy() -> RemotePolicy {
        RemotePolicy::server(vec!["github.com".into()], false, false)
    }

    #[test]
    fn only_allowed_remote_locations_are_accepted() {
        let policy = policy();
        let ok = |url: &str| check_repository_locations(&policy, &[url.to_owned()]).is_ok();
        assert!(ok("https://github.com/OS2borgerPC/admin-site"));
        assert!(!ok("git@github.com:OS2borgerPC/admin-site.git"));
        assert!(!ok("file:///etc"));
        assert!(!ok("/var/lib/niveau"));
        assert!(!ok("http://169.254.169.254/latest/meta-data"));
        let err = check_repository_locations(
            &policy,
            &["https://github.com/a/b".into(), " file:///etc ".into()],
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("repositories[1]"));
        assert!(err.message().da.starts_with("file:///etc: "));
        assert!(err.message().en.starts_with("file:///etc: "));
    }

    #[tokio::test]
    async fn a_scan_is_queued_for_the_products_editors_with_repositories() {
        let app = app().await;
        let product = product_with(&app, &["https://github.com/OS2/x"]).await;
        let stranger = who(&[Role::Produktredaktor], &[product.id + 1]);
        assert!(matches!(
            request(&app, Some(&stranger), &product, &policy()).await,
            Err(AppError::Forbidden)
        ));
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        let run = request(&app, Some(&editor), &product, &policy())
            .await
            .unwrap();
        assert_eq!(run.status, JobStatus::Queued);
        assert_eq!(run.requested_by, "redaktør");
        // A policy that no longer allows the forge refuses.
        let strict = RemotePolicy::server(vec!["gitlab.com".into()], false, false);
        let err = request(&app, Some(&editor), &product, &strict)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("repositories[0]"));
        let page = list(
            &app,
            Some(&editor),
            &ScanFilter::default(),
            &ListParams::all(),
        )
        .await
        .unwrap();
        assert_eq!(page.total, 1);
        assert!(matches!(
            get(&app, None, run.id).await,
            Err(AppError::Unauthenticated)
        ));
    }

    #[tokio::test]
    async fn a_product_without_repositories_cannot_be_scanned() {
        let app = app().await;
        let product = product_with(&app, &[]).await;
        let err = request(&app, Some(&secretariat()), &product, &policy())
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("repositories"));
        assert_eq!(
            err.message().en,
            "Produkt has no repositories; add them to the product before a scan"
        );
    }

    #[tokio::test]
    async fn the_worker_records_what_became_of_each_repository() {
        let app = app().await;
        let product =
            product_with(&app, &["https://github.com/a/b", "https://github.com/c/d"]).await;
        let sek = secretariat();
        let lease = Duration::from_secs(60);
        let failed = |permanent| RepositoryResult::Failed {
            target: "https://github.com/c/d".into(),
            message: "nope".into(),
            permanent,
        };

        // One scanned, one failed: done, with both entries in order.
        let run = request(&app, Some(&sek), &product, &policy())
            .await
            .unwrap();
        let job = claim_job(&app, "w", lease).await.unwrap().unwrap();
        let task = begin_scan(&app, "w", job).await.unwrap().unwrap();
        assert_eq!(task.scan_run_id, run.id);
        let report = serde_json::json!({"schema": "niveau.check/1"});
        let outcome = record_scan(
            &app,
            "w",
            &task,
            vec![RepositoryResult::Scanned(report.clone()), failed(false)],
        )
        .await
        .unwrap();
        assert_eq!(outcome, ScanOutcome::Done);
        let stored = get(&app, Some(&sek), run.id).await.unwrap();
        assert_eq!(stored.status, JobStatus::Done);
        assert_eq!(
            stored.result,
            Some(
                serde_json::json!([report, {"target": "https://github.com/c/d", "error": "nope"}])
            )
        );

        // Everything failed for good: failed at once.
        let run = request(&app, Some(&sek), &product, &policy())
            .await
            .unwrap();
        let job = claim_job(&app, "w", lease).await.unwrap().unwrap();
        let task = begin_scan(&app, "w", job).await.unwrap().unwrap();
        let outcome = record_scan(&app, "w", &task, vec![failed(true), failed(true)])
            .await
            .unwrap();
        assert_eq!(outcome, ScanOutcome::Failed);
        let stored = get(&app, Some(&sek), run.id).await.unwrap();
        assert_eq!(stored.status, JobStatus::Failed);
        assert_eq!(
            stored.error.as_deref(),
            Some("https://github.com/c/d: nope; https://github.com/c/d: nope")
        );

        // Everything failed, but a retry may help: queued again.
        let run = request(&app, Some(&sek), &product, &policy())
            .await
            .unwrap();
        let job = claim_job(&app, "w", lease).await.unwrap().unwrap();
        let task = begin_scan(&app, "w", job).await.unwrap().unwrap();
        let outcome = record_scan(&app, "w", &task, vec![failed(false), failed(true)])
            .await
            .unwrap();
        assert_eq!(outcome, ScanOutcome::Retry);
        let stored = get(&app, Some(&sek), run.id).await.unwrap();
        assert_eq!(stored.status, JobStatus::Queued);
    }
}
