//! The decision log: append-only. Stage and official-level changes are written here and
//! applied to the product in the same transaction.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::entity::{decision, product};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::products::lock_product;
use crate::query::{order, page};
use crate::types::{DecidedBy, DecisionKind, Stage};
use crate::validate;
use crate::write::{Actor, Tx, save};

/// What a client sends to record a decision.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// The product (required for `niveau` and `stadie`).
    #[serde(default)]
    pub product_id: Option<i32>,
    /// Date of the decision.
    pub decided_on: chrono::NaiveDate,
    /// Kind.
    pub kind: DecisionKind,
    /// The new value: a stage for `stadie`, a level id for `niveau`.
    #[serde(default)]
    pub to: Option<String>,
    /// The model a level refers to (required for `niveau`).
    #[serde(default)]
    pub model_id: Option<String>,
    /// Why.
    pub basis: String,
    /// Who decided.
    pub decided_by: DecidedBy,
    /// Reference (minutes, case number).
    #[serde(default)]
    pub reference: Option<String>,
}

/// Filters for the decision log.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionFilter {
    /// Only decisions about this product.
    pub product_id: Option<i32>,
    /// Only this kind.
    pub kind: Option<DecisionKind>,
    /// Decided on or after.
    pub from_date: Option<chrono::NaiveDate>,
    /// Decided on or before.
    pub to_date: Option<chrono::NaiveDate>,
    /// Only what the public may see: decisions without a product, and decisions about
    /// published, non-archived products. Set by the server, not by clients.
    #[serde(skip)]
    #[param(ignore)]
    pub public_only: bool,
}

/// Record `input` inside an open transaction, applying it to the product.
pub(crate) async fn record(
    tx: &Tx<'_>,
    input: &DecisionInput,
    evaluation_id: Option<i32>,
) -> Result<decision::Model> {
    let basis = validate::required("basis", &input.basis, 10_000)?;
    let reference = validate::optional("reference", input.reference.as_deref(), 500)?;
    let to = validate::optional("to", input.to.as_deref(), 64)?;
    let mut from = None;
    let mut model_id = validate::optional("model_id", input.model_id.as_deref(), 64)?;
    if matches!(input.kind, DecisionKind::Niveau | DecisionKind::Stadie) {
        let Some(product_id) = input.product_id else {
            return Err(StoreError::invalid(
                "product_id",
                "en beslutning om niveau eller stadie gælder et produkt",
                "a decision about level or stage concerns a product",
            ));
        };
        let Some(to_value) = to.clone() else {
            return Err(StoreError::invalid("to", "skal udfyldes", "is required"));
        };
        // Locked: the product is saved at the version read here, which a decision recorded
        // at the same moment must not change in between (PostgreSQL).
        let before = lock_product(&tx.txn, "product_id", product_id).await?;
        let mut changes = product::ActiveModel {
            updated_at: Set(tx.now),
            ..Default::default()
        };
        match input.kind {
            DecisionKind::Stadie => {
                let stage = Stage::parse(&to_value).ok_or_else(|| {
                    StoreError::invalid(
                        "to",
                        format!(
                            "'{to_value}' er ikke et stadie; mulige: {}",
                            Stage::expected()
                        ),
                        format!(
                            "'{to_value}' is not a stage; possible: {}",
                            Stage::expected()
                        ),
                    )
                })?;
                if stage == before.stage {
                    return Err(StoreError::invalid(
                        "to",
                        format!("produktet er allerede i stadiet {stage}"),
                        format!("the product is already in the stage {stage}"),
                    ));
                }
                from = Some(before.stage.as_str().to_string());
                changes.stage = Set(stage);
                model_id = None;
            }
            _ => {
                validate::level("to", Some(&to_value))?;
                let Some(model) = model_id.clone() else {
                    return Err(StoreError::invalid(
                        "model_id",
                        "et niveau hører til en model; angiv model_id",
                        "a level belongs to a model; give model_id",
                    ));
                };
                from = before.official_level.clone();
                changes.official_level = Set(Some(to_value.clone()));
                changes.official_model = Set(Some(model));
            }
        }
        let after = save::<product::Entity>(&tx.txn, product_id, before.version, changes).await?;
        tx.audit(
            "update",
            "product",
            Some(product_id),
            Some(&before),
            Some(&after),
        )
        .await?;
    } else if let Some(product_id) = input.product_id {
        crate::products::ensure_product(&tx.txn, "product_id", product_id).await?;
    }
    let model = decision::ActiveModel {
        product_id: Set(input.product_id),
        decided_on: Set(input.decided_on),
        kind: Set(input.kind),
        from_value: Set(from),
        to_value: Set(to),
        model_id: Set(model_id),
        basis: Set(basis),
        decided_by: Set(input.decided_by),
        reference: Set(reference),
        evaluation_id: Set(evaluation_id),
        recorded_by: Set(tx.actor.name.clone()),
        recorded_at: Set(tx.now),
        ..Default::default()
    }
    .insert(&tx.txn)
    .await?;
    tx.audit(
        "create",
        "decision",
        Some(model.id),
        None::<&()>,
        Some(&model),
    )
    .await?;
    Ok(model)
}

/// The most process decisions of one product a rule reads (far more than a product's
/// life produces; a bound, so that a request never loads without limit).
pub const PROCESS_LOG_LIMIT: u64 = 2_000;

/// A product's stage, approval and orientation decisions, oldest first (the newest
/// [`PROCESS_LOG_LIMIT`]): what the process rules read.
pub(crate) async fn process_log(
    db: &impl sea_orm::ConnectionTrait,
    product_id: i32,
) -> Result<Vec<decision::Model>> {
    use decision::Column as C;
    let mut rows = decision::Entity::find()
        .filter(C::ProductId.eq(product_id))
        .filter(C::Kind.is_in([
            DecisionKind::Stadie,
            DecisionKind::Godkendelse,
            DecisionKind::Orientering,
        ]))
        .order_by_desc(C::DecidedOn)
        .order_by_desc(C::Id)
        .limit(PROCESS_LOG_LIMIT)
        .all(db)
        .await?;
    rows.reverse();
    Ok(rows)
}

impl Store {
    /// A product's stage, approval and orientation decisions, oldest first.
    pub async fn process_log(&self, product_id: i32) -> Result<Vec<decision::Model>> {
        process_log(self.conn(), product_id).await
    }

    /// Record a step of the product process: `decide` gets the product (locked) and its
    /// process log as they are inside the transaction and returns the decisions to write
    /// (a stage change moves the product) and the board cases the step prepares (an
    /// orientation of the board), or a refusal; one transaction.
    pub async fn record_process_step<F>(
        &self,
        actor: &Actor,
        product_id: i32,
        decide: F,
    ) -> Result<(Vec<decision::Model>, Vec<crate::entity::board_case::Model>)>
    where
        F: FnOnce(
                &product::Model,
                &[decision::Model],
            ) -> Result<(Vec<DecisionInput>, Vec<crate::board::CaseInput>)>
            + Send,
    {
        let tx = self.tx(actor).await?;
        let product = lock_product(&tx.txn, "product_id", product_id).await?;
        let log = process_log(&tx.txn, product_id).await?;
        let (inputs, cases) = decide(&product, &log)?;
        let mut written = Vec::new();
        for d in &inputs {
            written.push(record(&tx, d, None).await?);
        }
        let mut prepared = Vec::new();
        for c in cases {
            prepared.push(crate::board::insert_case(&tx, c).await?);
        }
        tx.commit().await?;
        Ok((written, prepared))
    }

    /// Record a decision. A `stadie` decision moves the product to the new stage, a
    /// `niveau` decision sets its official level; both in the same transaction.
    pub async fn record_decision(
        &self,
        actor: &Actor,
        input: DecisionInput,
    ) -> Result<decision::Model> {
        let tx = self.tx(actor).await?;
        let model = record(&tx, &input, None).await?;
        tx.commit().await?;
        Ok(model)
    }

    /// One decision.
    pub async fn decision(&self, id: i32) -> Result<decision::Model> {
        decision::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("decision", id))
    }

    /// The decision log, newest first by default; sort keys `decided_on`, `recorded_at`.
    pub async fn list_decisions(
        &self,
        filter: &DecisionFilter,
        params: &ListParams,
    ) -> Result<Page<decision::Model>> {
        use decision::Column as C;
        let mut q = decision::Entity::find();
        if let Some(product) = filter.product_id {
            q = q.filter(C::ProductId.eq(product));
        }
        if let Some(kind) = filter.kind {
            q = q.filter(C::Kind.eq(kind));
        }
        if let Some(from) = filter.from_date {
            q = q.filter(C::DecidedOn.gte(from));
        }
        if let Some(to) = filter.to_date {
            q = q.filter(C::DecidedOn.lte(to));
        }
        if filter.public_only {
            let published = sea_orm::sea_query::Query::select()
                .column(product::Column::Id)
                .from(product::Entity)
                .and_where(product::Column::Published.eq(true))
                .and_where(product::Column::Archived.eq(false))
                .to_owned();
            q = q.filter(
                sea_orm::Condition::any()
                    .add(C::ProductId.is_null())
                    .add(C::ProductId.in_subquery(published)),
            );
        }
        let (key, desc) = params.sort_key(&["decided_on", "recorded_at"], "-decided_on")?;
        let col = if key == "recorded_at" {
            C::RecordedAt
        } else {
            C::DecidedOn
        };
        q = q.order_by(col, order(desc)).order_by(C::Id, order(desc));
        page(q, params, self.conn()).await
    }
}
