//! Repository issues for a round (#16): the round's setting and the issue per round ×
//! product × repository. The forge itself is niveau-app's (`niveau_app::forge`).

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Store;
use crate::entity::{evaluation_round, forge_issue, forge_round};
use crate::error::{Result, StoreError};

/// What to record about one issue after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueRecord {
    /// The round.
    pub round_id: i32,
    /// The product.
    pub product_id: i32,
    /// The repository's address.
    pub repository: String,
    /// The issue's number, once known.
    pub number: Option<i64>,
    /// The issue's page.
    pub url: Option<String>,
    /// `open`, `closed` or `failed`.
    pub state: String,
    /// The status of the failed request.
    pub last_status: Option<i32>,
    /// Why the attempt failed.
    pub last_error: Option<String>,
}

impl Store {
    /// Whether round `round_id` opens repository issues (false when never set).
    pub async fn forge_round_enabled(&self, round_id: i32) -> Result<bool> {
        Ok(forge_round::Entity::find()
            .filter(forge_round::Column::RoundId.eq(round_id))
            .one(self.conn())
            .await?
            .is_some_and(|r| r.enabled))
    }

    /// Turn repository issues on or off for round `round_id`.
    pub async fn set_forge_round(
        &self,
        round_id: i32,
        enabled: bool,
    ) -> Result<forge_round::Model> {
        evaluation_round::Entity::find_by_id(round_id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("evaluation_round", round_id))?;
        let now = self.now();
        let _guard = self.write_guard().await;
        let existing = forge_round::Entity::find()
            .filter(forge_round::Column::RoundId.eq(round_id))
            .one(self.conn())
            .await?;
        let saved = match existing {
            Some(row) => {
                let mut am: forge_round::ActiveModel = row.into();
                am.enabled = Set(enabled);
                am.updated_at = Set(now);
                am.update(self.conn()).await?
            }
            None => {
                forge_round::ActiveModel {
                    round_id: Set(round_id),
                    enabled: Set(enabled),
                    last_queued_at: Set(None),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(self.conn())
                .await?
            }
        };
        Ok(saved)
    }

    /// The settings of the rounds that open repository issues.
    pub async fn forge_rounds(&self) -> Result<Vec<forge_round::Model>> {
        Ok(forge_round::Entity::find()
            .filter(forge_round::Column::Enabled.eq(true))
            .order_by_asc(forge_round::Column::RoundId)
            .all(self.conn())
            .await?)
    }

    /// Note that a run of round `round_id` was queued now, unless another instance did
    /// so since `seen` (the value read before): true if this call won and should queue.
    pub async fn claim_forge_run(
        &self,
        round_id: i32,
        seen: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<bool> {
        use sea_orm::sea_query::Expr;
        let now = self.now();
        let _guard = self.write_guard().await;
        let mut update = forge_round::Entity::update_many()
            .col_expr(forge_round::Column::LastQueuedAt, Expr::value(now))
            .filter(forge_round::Column::RoundId.eq(round_id));
        update = match seen {
            Some(at) => update.filter(forge_round::Column::LastQueuedAt.eq(at)),
            None => update.filter(forge_round::Column::LastQueuedAt.is_null()),
        };
        Ok(update.exec(self.conn()).await?.rows_affected == 1)
    }

    /// The issues of round `round_id`, by product and repository.
    pub async fn forge_issues(&self, round_id: i32) -> Result<Vec<forge_issue::Model>> {
        Ok(forge_issue::Entity::find()
            .filter(forge_issue::Column::RoundId.eq(round_id))
            .order_by_asc(forge_issue::Column::ProductId)
            .order_by_asc(forge_issue::Column::Repository)
            .all(self.conn())
            .await?)
    }

    /// Record an attempt: the row of the round × product × repository is created or
    /// replaced. A failed attempt keeps the number and address already known.
    pub async fn record_forge_issue(&self, record: IssueRecord) -> Result<forge_issue::Model> {
        let now = self.now();
        let _guard = self.write_guard().await;
        let existing = forge_issue::Entity::find()
            .filter(forge_issue::Column::RoundId.eq(record.round_id))
            .filter(forge_issue::Column::ProductId.eq(record.product_id))
            .filter(forge_issue::Column::Repository.eq(record.repository.clone()))
            .one(self.conn())
            .await?;
        let saved = match existing {
            Some(row) => {
                let keep_state = record.state == "failed" && row.number.is_some();
                let mut am: forge_issue::ActiveModel = row.clone().into();
                am.number = Set(record.number.or(row.number));
                am.url = Set(record.url.or(row.url));
                if !keep_state {
                    am.state = Set(record.state);
                }
                am.last_status = Set(record.last_status);
                am.last_error = Set(record.last_error);
                am.updated_at = Set(now);
                am.update(self.conn()).await?
            }
            None => {
                forge_issue::ActiveModel {
                    round_id: Set(record.round_id),
                    product_id: Set(record.product_id),
                    repository: Set(record.repository),
                    number: Set(record.number),
                    url: Set(record.url),
                    state: Set(record.state),
                    last_status: Set(record.last_status),
                    last_error: Set(record.last_error),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(self.conn())
                .await?
            }
        };
        Ok(saved)
    }
}
