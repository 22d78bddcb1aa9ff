//! Evaluation rounds (årshjul): deadlines and the products in scope.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Store;
use crate::entity::{evaluation, evaluation_round, round_product, self_evaluation};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::products::ensure_product;
use crate::query::{lower_like, order, page};
use crate::validate;
use crate::versioned::{self, Aggregate, Change, ensure_free};
use crate::write::{Actor, map_unique};

/// What a client sends to create or change a round. The products are replaced as a whole.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundInput {
    /// Name ("Efterår 2026"), unique.
    pub name: String,
    /// Opening date.
    pub opens_on: chrono::NaiveDate,
    /// Deadline for self-evaluations.
    pub self_evaluation_deadline: chrono::NaiveDate,
    /// Deadline for evaluations.
    pub evaluation_deadline: chrono::NaiveDate,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
    /// The products in scope.
    #[serde(default)]
    pub product_ids: Vec<i32>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A round with its products and how far each has come.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundView {
    /// The round.
    #[serde(flatten)]
    pub round: evaluation_round::Model,
    /// Progress per product in scope.
    pub products: Vec<RoundProductStatus>,
}

/// Where one product stands in a round.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundProductStatus {
    /// The product.
    pub product_id: i32,
    /// The self-evaluation was updated in the round. The store says whether a version
    /// was stored since the round opened; niveau-app's rounds decide by the report's own
    /// date ("Dato for udfyldelse"), falling back to that only for a report without a date.
    pub self_evaluation_submitted: bool,
    /// The report's own date of the newest version stored since the round opened.
    pub self_evaluation_date: Option<chrono::NaiveDate>,
    /// When that version was stored (imported or saved).
    pub self_evaluation_imported_at: Option<chrono::DateTime<chrono::Utc>>,
    /// An evaluation was created since the round opened, and its status.
    pub evaluation_status: Option<crate::types::EvaluationStatus>,
    /// That evaluation's id (the newest, if there are several).
    pub evaluation_id: Option<i32>,
}

/// A round input, checked.
struct RoundChange {
    name: String,
    note: Option<String>,
    input: RoundInput,
}

fn check(input: RoundInput) -> Result<RoundChange> {
    let name = validate::required("name", &input.name, 200)?;
    let note = validate::optional("note", input.note.as_deref(), 5000)?;
    validate::period(
        "self_evaluation_deadline",
        Some(input.opens_on),
        Some(input.self_evaluation_deadline),
    )?;
    validate::period(
        "evaluation_deadline",
        Some(input.self_evaluation_deadline),
        Some(input.evaluation_deadline),
    )?;
    Ok(RoundChange { name, note, input })
}

/// A round is recorded in the audit log as the pair (round, ids of the products in scope).
impl Aggregate for evaluation_round::Entity {
    type View = (evaluation_round::Model, Vec<i32>);

    async fn view(txn: &DatabaseTransaction, round: evaluation_round::Model) -> Result<Self::View> {
        let products: Vec<i32> = round_product::Entity::find()
            .filter(round_product::Column::RoundId.eq(round.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|r| r.product_id)
            .collect();
        Ok((round, products))
    }
}

impl Change for RoundChange {
    type Of = evaluation_round::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        before: Option<&evaluation_round::Model>,
    ) -> Result<()> {
        let except = before.map(|b| b.id);
        let name = evaluation_round::Column::Name;
        ensure_free::<evaluation_round::Entity>(txn, name, "name", &self.name, except).await
    }

    fn fields(&self) -> evaluation_round::ActiveModel {
        evaluation_round::ActiveModel {
            name: Set(self.name.clone()),
            opens_on: Set(self.input.opens_on),
            self_evaluation_deadline: Set(self.input.self_evaluation_deadline),
            evaluation_deadline: Set(self.input.evaluation_deadline),
            note: Set(self.note.clone()),
            ..Default::default()
        }
    }

    /// The products are replaced as a whole; the audit log records the ids as sent.
    async fn written(
        self,
        txn: &DatabaseTransaction,
        round: evaluation_round::Model,
    ) -> Result<(evaluation_round::Model, Vec<i32>)> {
        write_products(txn, round.id, &self.input.product_ids).await?;
        Ok((round, self.input.product_ids))
    }
}

async fn write_products(
    txn: &sea_orm::DatabaseTransaction,
    round_id: i32,
    ids: &[i32],
) -> Result<()> {
    round_product::Entity::delete_many()
        .filter(round_product::Column::RoundId.eq(round_id))
        .exec(txn)
        .await?;
    let mut seen = std::collections::BTreeSet::new();
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(*id) {
            continue;
        }
        ensure_product(txn, &format!("product_ids[{i}]"), *id).await?;
        round_product::ActiveModel {
            round_id: Set(round_id),
            product_id: Set(*id),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(map_unique)?;
    }
    Ok(())
}

impl Store {
    /// Create a round.
    pub async fn create_round(&self, actor: &Actor, input: RoundInput) -> Result<RoundView> {
        let (round, _) = versioned::create(self, actor, check(input)?).await?;
        self.round(round.id).await
    }

    /// Change a round that is still at version `expected`.
    pub async fn update_round(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: RoundInput,
    ) -> Result<RoundView> {
        versioned::update(self, actor, id, expected, check(input)?).await?;
        self.round(id).await
    }

    /// Close round `id` (at version `expected`) on `closed_on`; a closed round is not
    /// closed again.
    pub async fn close_round(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        closed_on: chrono::NaiveDate,
    ) -> Result<RoundView> {
        let tx = self.tx(actor).await?;
        let before =
            crate::write::load_current::<evaluation_round::Entity>(&tx.txn, id, expected).await?;
        if let Some(on) = before.closed_on {
            return Err(StoreError::state(
                format!("runden blev lukket {on}"),
                format!("the round was closed on {on}"),
            ));
        }
        let changes = evaluation_round::ActiveModel {
            closed_on: Set(Some(closed_on)),
            updated_at: Set(tx.now),
            ..Default::default()
        };
        let after =
            crate::write::save::<evaluation_round::Entity>(&tx.txn, id, expected, changes).await?;
        tx.audit(
            "close",
            "evaluation_round",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        self.round(id).await
    }

    /// One round with the status of each product in scope.
    pub async fn round(&self, id: i32) -> Result<RoundView> {
        let round = evaluation_round::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("evaluation_round", id))?;
        let ids: Vec<i32> = round_product::Entity::find()
            .filter(round_product::Column::RoundId.eq(id))
            .order_by_asc(round_product::Column::ProductId)
            .all(self.conn())
            .await?
            .into_iter()
            .map(|r| r.product_id)
            .collect();
        let opened = round
            .opens_on
            .and_hms_opt(0, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or_default();
        let selfs = self_evaluation::Entity::find()
            .filter(self_evaluation::Column::ProductId.is_in(ids.clone()))
            .filter(self_evaluation::Column::SubmittedAt.gte(opened))
            .order_by_asc(self_evaluation::Column::Number)
            .all(self.conn())
            .await?;
        let evals = evaluation::Entity::find()
            .filter(evaluation::Column::ProductId.is_in(ids.clone()))
            .filter(evaluation::Column::CreatedAt.gte(opened))
            .order_by_asc(evaluation::Column::Id)
            .all(self.conn())
            .await?;
        let products = ids
            .into_iter()
            .map(|product_id| {
                let newest = evals.iter().rev().find(|e| e.product_id == product_id);
                let newest_self = selfs.iter().rev().find(|s| s.product_id == product_id);
                let date = newest_self.and_then(|s| {
                    s.document
                        .pointer("/self_evaluation/date")
                        .and_then(|d| d.as_str())
                        .and_then(|d| d.parse::<chrono::NaiveDate>().ok())
                });
                RoundProductStatus {
                    product_id,
                    self_evaluation_submitted: newest_self.is_some(),
                    self_evaluation_date: date,
                    self_evaluation_imported_at: newest_self.map(|s| s.submitted_at),
                    evaluation_status: newest.map(|e| e.status),
                    evaluation_id: newest.map(|e| e.id),
                }
            })
            .collect();
        Ok(RoundView { round, products })
    }

    /// Rounds, newest first by default; sort keys `opens_on`, `name`.
    pub async fn list_rounds(&self, params: &ListParams) -> Result<Page<evaluation_round::Model>> {
        use evaluation_round::Column as C;
        let mut q = evaluation_round::Entity::find();
        if let Some(text) = params.query() {
            q = q.filter(lower_like(C::Name, &text));
        }
        let (key, desc) = params.sort_key(&["opens_on", "name"], "-opens_on")?;
        let col = if key == "name" { C::Name } else { C::OpensOn };
        q = q.order_by(col, order(desc)).order_by_asc(C::Id);
        page(q, params, self.conn()).await
    }
}
