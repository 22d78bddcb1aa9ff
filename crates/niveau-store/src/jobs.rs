//! The background job queue and scan runs. Jobs live in the database, so any instance's
//! worker can take any job. Taking a job is one conditional UPDATE: it succeeds for exactly
//! one worker even when several race for the same row, on SQLite and on PostgreSQL.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::Store;
use crate::entity::{job, scan_run};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::products::ensure_product;
use crate::query::page;
use crate::types::JobStatus;
use crate::write::Actor;

/// The job kind for repository scans.
pub const SCAN_JOB: &str = "scan";

/// Filters for scan runs.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ScanFilter {
    /// Only scans of this product.
    pub product_id: Option<i32>,
}

fn available(now: chrono::DateTime<chrono::Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(job::Column::Status.eq(JobStatus::Queued))
                .add(job::Column::RunAfter.lte(now)),
        )
        .add(
            // A worker that died keeps its job only until its lease runs out.
            Condition::all()
                .add(job::Column::Status.eq(JobStatus::Running))
                .add(job::Column::LockedUntil.lt(now)),
        )
}

impl Store {
    /// How many jobs of `kind` wait in the queue (not yet running).
    pub async fn queued_jobs(&self, kind: &str) -> Result<u64> {
        Ok(job::Entity::find()
            .filter(job::Column::Kind.eq(kind))
            .filter(job::Column::Status.eq(JobStatus::Queued))
            .count(self.conn())
            .await?)
    }

    /// Put a job in the queue.
    pub async fn enqueue_job(
        &self,
        actor: &Actor,
        kind: &str,
        payload: serde_json::Value,
    ) -> Result<job::Model> {
        let tx = self.tx(actor).await?;
        let model = job::ActiveModel {
            kind: Set(kind.to_string()),
            payload: Set(payload),
            status: Set(JobStatus::Queued),
            attempts: Set(0),
            max_attempts: Set(3),
            run_after: Set(tx.now),
            created_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        tx.commit().await?;
        Ok(model)
    }

    /// Take the oldest available job for `worker`, holding it for `lease`. Returns none
    /// when nothing is waiting. Jobs whose attempts are used up are marked failed.
    pub async fn claim_job(
        &self,
        worker: &str,
        lease: std::time::Duration,
    ) -> Result<Option<job::Model>> {
        let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
        for _ in 0..8 {
            let now = self.now();
            let candidate = job::Entity::find()
                .filter(available(now))
                .order_by_asc(job::Column::Id)
                .limit(1)
                .one(self.conn())
                .await?;
            let Some(candidate) = candidate else {
                return Ok(None);
            };
            let guard = self.write_guard().await;
            if candidate.attempts >= candidate.max_attempts {
                job::Entity::update_many()
                    .col_expr(job::Column::Status, Expr::value(JobStatus::Failed.as_str()))
                    .col_expr(job::Column::FinishedAt, Expr::value(now))
                    .col_expr(
                        job::Column::LastError,
                        Expr::value(format!(
                            "opgivet efter {} forsøg: {}",
                            candidate.attempts,
                            candidate.last_error.clone().unwrap_or_default()
                        )),
                    )
                    .filter(job::Column::Id.eq(candidate.id))
                    .filter(job::Column::Attempts.eq(candidate.attempts))
                    .exec(self.conn())
                    .await?;
                drop(guard);
                continue;
            }
            let taken = job::Entity::update_many()
                .col_expr(
                    job::Column::Status,
                    Expr::value(JobStatus::Running.as_str()),
                )
                .col_expr(job::Column::LockedBy, Expr::value(worker))
                .col_expr(job::Column::LockedUntil, Expr::value(now + lease))
                .col_expr(
                    job::Column::Attempts,
                    Expr::col(job::Column::Attempts).add(1),
                )
                .filter(job::Column::Id.eq(candidate.id))
                .filter(job::Column::Attempts.eq(candidate.attempts))
                .filter(available(now))
                .exec(self.conn())
                .await?;
            drop(guard);
            if taken.rows_affected == 1 {
                return Ok(job::Entity::find_by_id(candidate.id)
                    .one(self.conn())
                    .await?);
            }
            // Another worker was faster; look again.
        }
        Ok(None)
    }

    /// Mark a job done. Only the worker holding it may.
    pub async fn complete_job(&self, id: i32, worker: &str) -> Result<()> {
        self.finish_job(id, worker, JobStatus::Done, None).await
    }

    /// Record a failure. The job goes back to the queue (after `retry_after`) unless its
    /// attempts are used up, in which case it fails for good.
    pub async fn fail_job(
        &self,
        id: i32,
        worker: &str,
        error: &str,
        retry_after: std::time::Duration,
    ) -> Result<()> {
        let current = job::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("job", id))?;
        if current.attempts >= current.max_attempts {
            return self
                .finish_job(id, worker, JobStatus::Failed, Some(error))
                .await;
        }
        let now = self.now();
        let retry = chrono::Duration::from_std(retry_after).unwrap_or(chrono::Duration::minutes(1));
        let _guard = self.write_guard().await;
        job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(JobStatus::Queued.as_str()))
            .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(
                job::Column::LockedUntil,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(job::Column::RunAfter, Expr::value(now + retry))
            .col_expr(job::Column::LastError, Expr::value(error))
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LockedBy.eq(worker))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Fail a job for good, whatever its attempts: for jobs that can never succeed (an
    /// unknown kind, arguments that do not read).
    pub async fn abandon_job(&self, id: i32, worker: &str, error: &str) -> Result<()> {
        self.finish_job(id, worker, JobStatus::Failed, Some(error))
            .await
    }

    async fn finish_job(
        &self,
        id: i32,
        worker: &str,
        status: JobStatus,
        error: Option<&str>,
    ) -> Result<()> {
        let now = self.now();
        let _guard = self.write_guard().await;
        let result = job::Entity::update_many()
            .col_expr(job::Column::Status, Expr::value(status.as_str()))
            .col_expr(job::Column::FinishedAt, Expr::value(now))
            .col_expr(
                job::Column::LockedUntil,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(
                job::Column::LastError,
                Expr::value(error.map(str::to_string)),
            )
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LockedBy.eq(worker))
            .exec(self.conn())
            .await?;
        if result.rows_affected == 0 {
            return Err(StoreError::state(
                format!("job {id} holdes ikke af {worker}"),
                format!("job {id} is not held by {worker}"),
            ));
        }
        Ok(())
    }

    /// One job.
    pub async fn job(&self, id: i32) -> Result<job::Model> {
        job::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("job", id))
    }

    /// Ask for a scan of a product's repositories: a scan run and its job, together.
    pub async fn request_scan(&self, actor: &Actor, product_id: i32) -> Result<scan_run::Model> {
        let tx = self.tx(actor).await?;
        ensure_product(&tx.txn, "product_id", product_id).await?;
        let run = scan_run::ActiveModel {
            product_id: Set(product_id),
            status: Set(JobStatus::Queued),
            requested_by: Set(actor.name.clone()),
            requested_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        job::ActiveModel {
            kind: Set(SCAN_JOB.to_string()),
            payload: Set(serde_json::json!({ "scan_run_id": run.id, "product_id": product_id })),
            status: Set(JobStatus::Queued),
            attempts: Set(0),
            max_attempts: Set(3),
            run_after: Set(tx.now),
            created_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        tx.audit("create", "scan_run", Some(run.id), None::<&()>, Some(&run))
            .await?;
        tx.commit().await?;
        Ok(run)
    }

    /// Mark a scan run started.
    pub async fn start_scan(&self, id: i32) -> Result<()> {
        let now = self.now();
        let _guard = self.write_guard().await;
        scan_run::Entity::update_many()
            .col_expr(
                scan_run::Column::Status,
                Expr::value(JobStatus::Running.as_str()),
            )
            .col_expr(scan_run::Column::StartedAt, Expr::value(now))
            .filter(scan_run::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Put a scan run back to waiting after a failed attempt that will be retried,
    /// keeping the reason for people to read meanwhile.
    pub async fn requeue_scan(&self, id: i32, error: &str) -> Result<()> {
        let _guard = self.write_guard().await;
        scan_run::Entity::update_many()
            .col_expr(
                scan_run::Column::Status,
                Expr::value(JobStatus::Queued.as_str()),
            )
            .col_expr(scan_run::Column::Error, Expr::value(error))
            .filter(scan_run::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Store the result of a scan run (done) or its error (failed).
    pub async fn finish_scan(
        &self,
        id: i32,
        outcome: std::result::Result<serde_json::Value, String>,
    ) -> Result<scan_run::Model> {
        let actor = Actor::system("worker");
        let tx = self.tx(&actor).await?;
        let mut run: scan_run::ActiveModel = scan_run::Entity::find_by_id(id)
            .one(&tx.txn)
            .await?
            .ok_or_else(|| StoreError::not_found("scan_run", id))?
            .into();
        run.finished_at = Set(Some(tx.now));
        match outcome {
            Ok(result) => {
                run.status = Set(JobStatus::Done);
                run.result = Set(Some(result));
                run.error = Set(None);
            }
            Err(error) => {
                run.status = Set(JobStatus::Failed);
                run.error = Set(Some(error));
            }
        }
        let run = run.update(&tx.txn).await?;
        tx.commit().await?;
        Ok(run)
    }

    /// One scan run.
    pub async fn scan_run(&self, id: i32) -> Result<scan_run::Model> {
        scan_run::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("scan_run", id))
    }

    /// The newest finished scan of a product.
    pub async fn latest_scan(&self, product_id: i32) -> Result<Option<scan_run::Model>> {
        Ok(scan_run::Entity::find()
            .filter(scan_run::Column::ProductId.eq(product_id))
            .filter(scan_run::Column::Status.eq(JobStatus::Done))
            .order_by_desc(scan_run::Column::Id)
            .one(self.conn())
            .await?)
    }

    /// Scan runs, newest first.
    pub async fn list_scans(
        &self,
        filter: &ScanFilter,
        params: &ListParams,
    ) -> Result<Page<scan_run::Model>> {
        let mut q = scan_run::Entity::find();
        if let Some(product) = filter.product_id {
            q = q.filter(scan_run::Column::ProductId.eq(product));
        }
        q = q.order_by_desc(scan_run::Column::Id);
        page(q, params, self.conn()).await
    }
}
