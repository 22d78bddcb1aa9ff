//! Self-evaluations (immutable versions) and evaluations (a head with a status plus a
//! version row for every change). Finalising an evaluation writes the decision that sets
//! the official level.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::decisions::{DecisionInput, record};
use crate::entity::{decision, evaluation, evaluation_version, self_evaluation};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::products::lock_product;
use crate::query::{order, page};
use crate::types::{DecidedBy, DecisionKind, EvaluationStatus, SubmissionFormat};
use crate::validate;
use crate::write::{Actor, Tx, load_current, map_unique, save};

/// A self-evaluation ready to store (the web layer has imported and checked it).
#[derive(Debug, Clone)]
pub struct NewSelfEvaluation {
    /// The product.
    pub product_id: i32,
    /// Model id.
    pub model_id: String,
    /// Model version.
    pub model_version: String,
    /// How it arrived.
    pub format: SubmissionFormat,
    /// The uploaded text, as it came.
    pub source_text: Option<String>,
    /// The report as Niveau JSON.
    pub document: serde_json::Value,
    /// Importer warnings.
    pub warnings: serde_json::Value,
    /// The level the answers indicate.
    pub indicated_level: Option<String>,
    /// The number of the latest self-evaluation the submitter saw; a newer one stored
    /// meanwhile makes this a conflict. `None` skips the check.
    pub based_on: Option<i32>,
}

/// A new evaluation draft.
#[derive(Debug, Clone)]
pub struct NewEvaluation {
    /// The product.
    pub product_id: i32,
    /// The self-evaluation it answers.
    pub self_evaluation_id: Option<i32>,
    /// Model id.
    pub model_id: String,
    /// Model version.
    pub model_version: String,
    /// Initial ratings (usually the proposals).
    pub ratings: serde_json::Value,
    /// Proposals with source and confidence.
    pub proposals: serde_json::Value,
    /// Overall remark.
    pub summary: Option<String>,
    /// The level the ratings indicate.
    pub indicated_level: Option<String>,
}

/// A change to an evaluation's ratings and texts.
#[derive(Debug, Clone)]
pub struct EvaluationChange {
    /// The new ratings.
    pub ratings: serde_json::Value,
    /// Summary.
    pub summary: Option<String>,
    /// Overall assessment.
    pub overall: Option<String>,
    /// Recommendations.
    pub recommendations: Option<String>,
    /// The level the ratings indicate.
    pub indicated_level: Option<String>,
}

/// How an evaluation is finalised: the official level and the decision's facts.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FinaliseInput {
    /// The version the secretariat saw.
    pub version: i32,
    /// The official level decided.
    pub level: String,
    /// Date of the decision (default today).
    #[serde(default)]
    pub decided_on: Option<chrono::NaiveDate>,
    /// Who decided (default sekretariat).
    #[serde(default)]
    pub decided_by: Option<DecidedBy>,
    /// Why.
    pub basis: String,
    /// Reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// Why the official level is above the level the ratings indicate; required then,
    /// and written in the decision log with the basis.
    #[serde(default)]
    pub justification: Option<String>,
}

/// An evaluation: its head and its current version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationView {
    /// Head: status, version.
    #[serde(flatten)]
    pub head: evaluation::Model,
    /// The current content.
    pub current: evaluation_version::Model,
}

/// Filters for the evaluation list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvaluationFilter {
    /// Only evaluations of this product.
    pub product_id: Option<i32>,
    /// Only this status.
    pub status: Option<EvaluationStatus>,
    /// Only these products (a product editor's), skipped by clients.
    #[serde(skip)]
    #[param(ignore)]
    pub products: Option<Vec<i32>>,
    /// Leave out drafts (kladde). Set by the server for callers who may not read drafts.
    #[serde(skip)]
    #[param(ignore)]
    pub exclude_drafts: bool,
    /// Only evaluations of published, non-archived products (public reads).
    #[serde(skip)]
    #[param(ignore)]
    pub public_only: bool,
}

async fn next_self_evaluation_number(
    txn: &sea_orm::DatabaseTransaction,
    product_id: i32,
) -> Result<i32> {
    let max: Option<Option<i32>> = self_evaluation::Entity::find()
        .select_only()
        .column_as(self_evaluation::Column::Number.max(), "max")
        .filter(self_evaluation::Column::ProductId.eq(product_id))
        .into_tuple()
        .one(txn)
        .await?;
    Ok(max.flatten().unwrap_or(0) + 1)
}

/// What a version holds besides its number, status and author.
struct Content {
    ratings: serde_json::Value,
    proposals: serde_json::Value,
    summary: Option<String>,
    overall: Option<String>,
    recommendations: Option<String>,
    indicated_level: Option<String>,
}

impl Content {
    /// The content of an existing version, unchanged.
    fn of(version: &evaluation_version::Model) -> Content {
        Content {
            ratings: version.ratings.clone(),
            proposals: version.proposals.clone(),
            summary: version.summary.clone(),
            overall: version.overall.clone(),
            recommendations: version.recommendations.clone(),
            indicated_level: version.indicated_level.clone(),
        }
    }
}

async fn add_version(
    tx: &Tx<'_>,
    head: &evaluation::Model,
    content: Content,
) -> Result<evaluation_version::Model> {
    evaluation_version::ActiveModel {
        evaluation_id: Set(head.id),
        number: Set(head.version),
        status: Set(head.status),
        ratings: Set(content.ratings),
        proposals: Set(content.proposals),
        summary: Set(content.summary),
        overall: Set(content.overall),
        recommendations: Set(content.recommendations),
        indicated_level: Set(content.indicated_level),
        created_by: Set(tx.actor.name.clone()),
        created_at: Set(tx.now),
        ..Default::default()
    }
    .insert(&tx.txn)
    .await
    .map_err(map_unique)
}

async fn current_version(
    db: &impl sea_orm::ConnectionTrait,
    head: &evaluation::Model,
) -> Result<evaluation_version::Model> {
    evaluation_version::Entity::find()
        .filter(evaluation_version::Column::EvaluationId.eq(head.id))
        .filter(evaluation_version::Column::Number.eq(head.version))
        .one(db)
        .await?
        .ok_or_else(|| {
            StoreError::not_found(
                "evaluation_version",
                format!("{}/{}", head.id, head.version),
            )
        })
}

impl Store {
    /// Store a new self-evaluation version for a product.
    pub async fn create_self_evaluation(
        &self,
        actor: &Actor,
        input: NewSelfEvaluation,
    ) -> Result<self_evaluation::Model> {
        self.create_self_evaluation_as(actor, input, "submit", None)
            .await
    }

    /// Stores a self-evaluation like [`Store::create_self_evaluation`], audited as
    /// `action` (`restore`, `carry`) with the version it was made from (`from`) as the
    /// audit entry's "before".
    pub async fn create_self_evaluation_as(
        &self,
        actor: &Actor,
        input: NewSelfEvaluation,
        action: &'static str,
        from: Option<i32>,
    ) -> Result<self_evaluation::Model> {
        let model_id = validate::required("model_id", &input.model_id, 64)?;
        let model_version = validate::required("model_version", &input.model_version, 32)?;
        let tx = self.tx(actor).await?;
        // Uploads to one product take turns from here to the commit, so each reads the
        // newest number after the previous upload stored its own: without `based_on` every
        // upload gets the next number, and only a stale `based_on` is a conflict. Taking
        // turns also makes the upload-volume check see every earlier upload's size.
        let product = lock_product(&tx.txn, "product_id", input.product_id).await?;
        let size_bytes = self.check_upload_volume(&tx.txn, &product, &input).await?;
        let number = next_self_evaluation_number(&tx.txn, input.product_id).await?;
        if let Some(based_on) = input.based_on
            && based_on != number - 1
        {
            let current = self
                .latest_self_evaluation_in(&tx.txn, input.product_id)
                .await?;
            return Err(StoreError::Conflict {
                entity: "self_evaluation",
                id: input.product_id,
                expected: based_on,
                actual: number - 1,
                current: serde_json::to_value(current)?,
            });
        }
        let model = self_evaluation::ActiveModel {
            product_id: Set(input.product_id),
            number: Set(number),
            model_id: Set(model_id),
            model_version: Set(model_version),
            format: Set(input.format),
            source_text: Set(input.source_text),
            document: Set(input.document),
            warnings: Set(input.warnings),
            indicated_level: Set(input.indicated_level),
            submitted_by: Set(actor.name.clone()),
            submitted_at: Set(tx.now),
            size_bytes: Set(size_bytes),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await
        .map_err(|e| match map_unique(e) {
            StoreError::Duplicate { .. } => StoreError::Conflict {
                entity: "self_evaluation",
                id: input.product_id,
                expected: number - 1,
                actual: number,
                current: serde_json::Value::Null,
            },
            other => other,
        })?;
        tx.audit(
            action,
            "self_evaluation",
            Some(model.id),
            from.map(|number| serde_json::json!({ "from_version": number }))
                .as_ref(),
            Some(&SelfEvaluationAudit::from(&model)),
        )
        .await?;
        tx.commit().await?;
        Ok(model)
    }

    async fn latest_self_evaluation_in(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        product_id: i32,
    ) -> Result<Option<self_evaluation::Model>> {
        Ok(self_evaluation::Entity::find()
            .filter(self_evaluation::Column::ProductId.eq(product_id))
            .order_by_desc(self_evaluation::Column::Number)
            .one(db)
            .await?)
    }

    /// The newest self-evaluation of a product.
    pub async fn latest_self_evaluation(
        &self,
        product_id: i32,
    ) -> Result<Option<self_evaluation::Model>> {
        self.latest_self_evaluation_in(self.conn(), product_id)
            .await
    }

    /// One self-evaluation.
    pub async fn self_evaluation(&self, id: i32) -> Result<self_evaluation::Model> {
        self_evaluation::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("self_evaluation", id))
    }

    /// The product's open evaluation (kladde or i dialog), if it has one: a product has
    /// at most one at a time. Reads that one row, not the product's history.
    pub async fn open_evaluation(&self, product_id: i32) -> Result<Option<evaluation::Model>> {
        open_of(self.conn(), product_id).await
    }

    /// Create an evaluation draft (status kladde, version 1).
    pub async fn create_evaluation(
        &self,
        actor: &Actor,
        input: NewEvaluation,
    ) -> Result<EvaluationView> {
        let tx = self.tx(actor).await?;
        // The product's row is locked (PostgreSQL; SQLite writes one at a time), so two
        // drafts started at once cannot both find the product without an open one.
        lock_product(&tx.txn, "product_id", input.product_id).await?;
        if let Some(open) = open_of(&tx.txn, input.product_id).await? {
            return Err(StoreError::OpenEvaluation {
                id: open.id,
                status: open.status,
            });
        }
        if let Some(se) = input.self_evaluation_id {
            let found = self_evaluation::Entity::find_by_id(se).one(&tx.txn).await?;
            if found.is_none_or(|s| s.product_id != input.product_id) {
                return Err(StoreError::invalid(
                    "self_evaluation_id",
                    format!("selvevaluering {se} hører ikke til produktet"),
                    format!("self-evaluation {se} does not belong to the product"),
                ));
            }
        }
        let head = evaluation::ActiveModel {
            product_id: Set(input.product_id),
            self_evaluation_id: Set(input.self_evaluation_id),
            model_id: Set(input.model_id),
            model_version: Set(input.model_version),
            status: Set(EvaluationStatus::Kladde),
            version: Set(1),
            created_by: Set(actor.name.clone()),
            created_at: Set(tx.now),
            updated_at: Set(tx.now),
            finalised_at: Set(None),
            published_at: Set(None),
            pending_decision: Set(None),
            evaluated_by: Set(None),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        let current = add_version(
            &tx,
            &head,
            Content {
                ratings: input.ratings,
                proposals: input.proposals,
                summary: input.summary,
                overall: None,
                recommendations: None,
                indicated_level: input.indicated_level,
            },
        )
        .await?;
        let view = EvaluationView { head, current };
        tx.audit(
            "create",
            "evaluation",
            Some(view.head.id),
            None::<&()>,
            Some(&view),
        )
        .await?;
        tx.commit().await?;
        Ok(view)
    }

    /// One evaluation with its current version.
    pub async fn evaluation(&self, id: i32) -> Result<EvaluationView> {
        let head = evaluation::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("evaluation", id))?;
        let current = current_version(self.conn(), &head).await?;
        Ok(EvaluationView { head, current })
    }

    /// The current version of each of `heads`, by evaluation id, in one query (for lists).
    pub async fn current_versions(
        &self,
        heads: &[evaluation::Model],
    ) -> Result<std::collections::HashMap<i32, evaluation_version::Model>> {
        if heads.is_empty() {
            return Ok(std::collections::HashMap::new());
        }
        let mut any = sea_orm::Condition::any();
        for head in heads {
            any = any.add(
                sea_orm::Condition::all()
                    .add(evaluation_version::Column::EvaluationId.eq(head.id))
                    .add(evaluation_version::Column::Number.eq(head.version)),
            );
        }
        Ok(evaluation_version::Entity::find()
            .filter(any)
            .all(self.conn())
            .await?
            .into_iter()
            .map(|v| (v.evaluation_id, v))
            .collect())
    }

    /// Change the ratings of an evaluation in kladde or i dialog, as a new version.
    pub async fn update_evaluation(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        change: EvaluationChange,
    ) -> Result<EvaluationView> {
        let summary = validate::optional("summary", change.summary.as_deref(), 20_000)?;
        let overall = validate::optional("overall", change.overall.as_deref(), 20_000)?;
        let recommendations =
            validate::optional("recommendations", change.recommendations.as_deref(), 20_000)?;
        let tx = self.tx(actor).await?;
        let before = load_current::<evaluation::Entity>(&tx.txn, id, expected).await?;
        if !before.status.is_editable() {
            return Err(StoreError::state(
                format!(
                    "evalueringen er {} og kan ikke ændres; lav en ny evaluering",
                    before.status
                ),
                format!(
                    "the evaluation is {} and cannot be changed; make a new evaluation",
                    before.status
                ),
            ));
        }
        let previous = current_version(&tx.txn, &before).await?;
        let head = save::<evaluation::Entity>(
            &tx.txn,
            id,
            expected,
            evaluation::ActiveModel {
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        let current = add_version(
            &tx,
            &head,
            Content {
                ratings: change.ratings,
                proposals: previous.proposals.clone(),
                summary,
                overall,
                recommendations,
                indicated_level: change.indicated_level,
            },
        )
        .await?;
        tx.audit(
            "update",
            "evaluation",
            Some(id),
            Some(&previous),
            Some(&current),
        )
        .await?;
        tx.commit().await?;
        Ok(EvaluationView { head, current })
    }

    /// Move an evaluation between kladde and i dialog.
    pub async fn set_evaluation_status(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        status: EvaluationStatus,
    ) -> Result<EvaluationView> {
        if !matches!(status, EvaluationStatus::Kladde | EvaluationStatus::IDialog) {
            return Err(StoreError::invalid(
                "status",
                "en evaluering bliver endelig ved finalize og offentliggjort ved publish",
                "an evaluation becomes final by finalize and published by publish",
            ));
        }
        self.change_status(actor, id, expected, status, |_| {})
            .await
    }

    async fn change_status(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        status: EvaluationStatus,
        extra: impl FnOnce(&mut evaluation::ActiveModel),
    ) -> Result<EvaluationView> {
        let tx = self.tx(actor).await?;
        let view = self
            .change_status_in(&tx, id, expected, status, extra)
            .await?;
        tx.commit().await?;
        Ok(view)
    }

    async fn change_status_in(
        &self,
        tx: &Tx<'_>,
        id: i32,
        expected: i32,
        status: EvaluationStatus,
        extra: impl FnOnce(&mut evaluation::ActiveModel),
    ) -> Result<EvaluationView> {
        let before = load_current::<evaluation::Entity>(&tx.txn, id, expected).await?;
        if !before.status.may_become(status) {
            return Err(StoreError::state(
                format!(
                    "en evaluering kan ikke gå fra {} til {status}",
                    before.status
                ),
                format!("an evaluation cannot go from {} to {status}", before.status),
            ));
        }
        let previous = current_version(&tx.txn, &before).await?;
        let mut changes = evaluation::ActiveModel {
            status: Set(status),
            updated_at: Set(tx.now),
            ..Default::default()
        };
        extra(&mut changes);
        let head = save::<evaluation::Entity>(&tx.txn, id, expected, changes).await?;
        let current = add_version(tx, &head, Content::of(&previous)).await?;
        tx.audit("status", "evaluation", Some(id), Some(&before), Some(&head))
            .await?;
        Ok(EvaluationView { head, current })
    }

    /// Make an evaluation final: status endelig, with the official-level decision
    /// (`input`, its basis as the caller composed it) kept on the evaluation until it is
    /// published ([`Store::publish_evaluation`]): nothing of it is public before. The
    /// decision is checked here as the log will check it. `evaluated_by` is the name of
    /// the person finalising.
    pub async fn finalise_evaluation(
        &self,
        actor: &Actor,
        id: i32,
        input: FinaliseInput,
        evaluated_by: &str,
    ) -> Result<(EvaluationView, DecisionInput)> {
        let basis = validate::required("basis", &input.basis, 10_000)?;
        let reference = validate::optional("reference", input.reference.as_deref(), 500)?;
        validate::level("level", Some(&input.level))?;
        let tx = self.tx(actor).await?;
        let now = tx.now;
        let head = evaluation::Entity::find_by_id(id)
            .one(&tx.txn)
            .await?
            .ok_or_else(|| StoreError::not_found("evaluation", id))?;
        let decision = DecisionInput {
            product_id: Some(head.product_id),
            decided_on: input.decided_on.unwrap_or(now.date_naive()),
            kind: DecisionKind::Niveau,
            to: Some(input.level),
            model_id: Some(head.model_id.clone()),
            basis,
            decided_by: input.decided_by.unwrap_or(DecidedBy::Sekretariat),
            reference,
        };
        let pending = serde_json::to_value(&decision)?;
        let name = evaluated_by.to_owned();
        let view = self
            .change_status_in(&tx, id, input.version, EvaluationStatus::Endelig, |m| {
                m.finalised_at = Set(Some(now));
                m.pending_decision = Set(Some(pending));
                m.evaluated_by = Set(Some(name));
            })
            .await?;
        tx.commit().await?;
        Ok((view, decision))
    }

    /// Publish a final evaluation: status offentliggjort and, in the same transaction,
    /// the official-level decision taken when it was finalised written in the log and
    /// applied to the product (none for an evaluation finalised before decisions waited
    /// for publication: its decision is in the log already).
    pub async fn publish_evaluation(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<(EvaluationView, Option<decision::Model>)> {
        let tx = self.tx(actor).await?;
        let now = tx.now;
        let before = load_current::<evaluation::Entity>(&tx.txn, id, expected).await?;
        let view = self
            .change_status_in(&tx, id, expected, EvaluationStatus::Offentliggjort, |m| {
                m.published_at = Set(Some(now));
                m.pending_decision = Set(None);
            })
            .await?;
        let decision = match before.pending_decision {
            Some(pending) => {
                let input: DecisionInput = serde_json::from_value(pending)?;
                Some(record(&tx, &input, Some(id)).await?)
            }
            None => None,
        };
        tx.commit().await?;
        Ok((view, decision))
    }

    /// Discard an evaluation in kladde or i dialog: status kasseret, kept with its
    /// versions and comments, seen by the secretariat only.
    pub async fn discard_evaluation(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<EvaluationView> {
        self.change_status(actor, id, expected, EvaluationStatus::Kasseret, |_| {})
            .await
    }

    /// Evaluations (heads); sort keys `updated_at`, `created_at`, `status`.
    pub async fn list_evaluations(
        &self,
        filter: &EvaluationFilter,
        params: &ListParams,
    ) -> Result<Page<evaluation::Model>> {
        use evaluation::Column as C;
        let mut q = evaluation::Entity::find();
        if let Some(product) = filter.product_id {
            q = q.filter(C::ProductId.eq(product));
        }
        if let Some(status) = filter.status {
            q = q.filter(C::Status.eq(status));
        }
        if let Some(products) = &filter.products {
            q = q.filter(C::ProductId.is_in(products.iter().copied()));
        }
        if filter.exclude_drafts {
            q = q.filter(C::Status.ne(EvaluationStatus::Kladde));
            q = q.filter(C::Status.ne(EvaluationStatus::Kasseret));
        }
        if filter.public_only {
            let published = sea_orm::sea_query::Query::select()
                .column(crate::entity::product::Column::Id)
                .from(crate::entity::product::Entity)
                .and_where(crate::entity::product::Column::Published.eq(true))
                .and_where(crate::entity::product::Column::Archived.eq(false))
                .to_owned();
            q = q.filter(C::ProductId.in_subquery(published));
        }
        let (key, desc) =
            params.sort_key(&["updated_at", "created_at", "status"], "-updated_at")?;
        let col = match key {
            "created_at" => C::CreatedAt,
            "status" => C::Status,
            _ => C::UpdatedAt,
        };
        q = q.order_by(col, order(desc)).order_by(C::Id, order(desc));
        page(q, params, self.conn()).await
    }

    /// The newest published evaluation of a product.
    pub async fn latest_published_evaluation(
        &self,
        product_id: i32,
    ) -> Result<Option<EvaluationView>> {
        let head = evaluation::Entity::find()
            .filter(evaluation::Column::ProductId.eq(product_id))
            .filter(evaluation::Column::Status.eq(EvaluationStatus::Offentliggjort))
            .order_by_desc(evaluation::Column::PublishedAt)
            .order_by_desc(evaluation::Column::Id)
            .one(self.conn())
            .await?;
        match head {
            Some(head) => {
                let current = current_version(self.conn(), &head).await?;
                Ok(Some(EvaluationView { head, current }))
            }
            None => Ok(None),
        }
    }
}

/// What the audit log keeps of a self-evaluation: everything but the uploaded text,
/// which is stored in the row itself and never changes.
#[derive(Serialize)]
struct SelfEvaluationAudit<'a> {
    id: i32,
    product_id: i32,
    number: i32,
    model_id: &'a str,
    model_version: &'a str,
    format: SubmissionFormat,
    indicated_level: Option<&'a str>,
    warnings: &'a serde_json::Value,
}

impl<'a> From<&'a self_evaluation::Model> for SelfEvaluationAudit<'a> {
    fn from(m: &'a self_evaluation::Model) -> Self {
        SelfEvaluationAudit {
            id: m.id,
            product_id: m.product_id,
            number: m.number,
            model_id: &m.model_id,
            model_version: &m.model_version,
            format: m.format,
            indicated_level: m.indicated_level.as_deref(),
            warnings: &m.warnings,
        }
    }
}

/// The open evaluation of `product_id`, if any (the newest, should there be more from
/// before the rule).
async fn open_of<C: sea_orm::ConnectionTrait>(
    db: &C,
    product_id: i32,
) -> Result<Option<evaluation::Model>> {
    Ok(evaluation::Entity::find()
        .filter(evaluation::Column::ProductId.eq(product_id))
        .filter(
            evaluation::Column::Status.is_in([EvaluationStatus::Kladde, EvaluationStatus::IDialog]),
        )
        .order_by_desc(evaluation::Column::Id)
        .one(db)
        .await?)
}
