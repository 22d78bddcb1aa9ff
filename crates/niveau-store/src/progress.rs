//! Projects' progress reports to the secretariat (fremdrift og økonomi): append-only.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Store;
use crate::entity::{product, progress_report};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::products::ensure_product;
use crate::query::{order, page};
use crate::types::{ProgressStatus, Stage};
use crate::validate;

/// What a project sends to report its progress.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressInput {
    /// First day of the period.
    pub period_from: chrono::NaiveDate,
    /// Last day of the period.
    pub period_to: chrono::NaiveDate,
    /// How the project is doing.
    pub status: ProgressStatus,
    /// The approved budget, in whole kroner.
    #[serde(default)]
    pub budget: Option<i64>,
    /// Spent so far, in whole kroner.
    #[serde(default)]
    pub spent: Option<i64>,
    /// The expected total cost, in whole kroner.
    #[serde(default)]
    pub expected_total: Option<i64>,
    /// Progress in words.
    pub progress: String,
    /// Risks.
    #[serde(default)]
    pub risks: Option<String>,
}

fn amount(field: &str, value: Option<i64>) -> Result<Option<i64>> {
    match value {
        Some(v) if !(0..=100_000_000_000).contains(&v) => Err(StoreError::invalid(
            field,
            "et beløb i hele kroner fra 0 til 100 mia.",
            "an amount in whole kroner from 0 to 100 billion",
        )),
        other => Ok(other),
    }
}

impl Store {
    /// Record a progress report of a product in stage `projekt`.
    pub async fn add_progress_report(
        &self,
        actor: &crate::write::Actor,
        product_id: i32,
        input: ProgressInput,
    ) -> Result<progress_report::Model> {
        let progress = validate::required("progress", &input.progress, 20_000)?;
        let risks = validate::optional("risks", input.risks.as_deref(), 20_000)?;
        validate::period("period_to", Some(input.period_from), Some(input.period_to))?;
        let budget = amount("budget", input.budget)?;
        let spent = amount("spent", input.spent)?;
        let expected_total = amount("expected_total", input.expected_total)?;
        let tx = self.tx(actor).await?;
        ensure_product(&tx.txn, "product_id", product_id).await?;
        let stage = product::Entity::find_by_id(product_id)
            .one(&tx.txn)
            .await?
            .map(|p| p.stage);
        if stage != Some(Stage::Projekt) {
            let now = stage.map(|s| s.as_str()).unwrap_or("-");
            return Err(StoreError::state(
                format!("fremdrift rapporteres for projekter; produktet er i stadiet {now}"),
                format!("progress is reported for projects; the product is in the stage {now}"),
            ));
        }
        let row = progress_report::ActiveModel {
            product_id: Set(product_id),
            period_from: Set(input.period_from),
            period_to: Set(input.period_to),
            status: Set(input.status),
            budget: Set(budget),
            spent: Set(spent),
            expected_total: Set(expected_total),
            progress: Set(progress),
            risks: Set(risks),
            reported_by: Set(actor.name.clone()),
            created_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        tx.audit(
            "create",
            "progress_report",
            Some(row.id),
            None::<&()>,
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// A product's progress reports, newest period first.
    pub async fn progress_reports(
        &self,
        product_id: i32,
        params: &ListParams,
    ) -> Result<Page<progress_report::Model>> {
        use progress_report::Column as C;
        let (_, desc) = params.sort_key(&["period_to"], "-period_to")?;
        let q = progress_report::Entity::find()
            .filter(C::ProductId.eq(product_id))
            .order_by(C::PeriodTo, order(desc))
            .order_by(C::Id, order(desc));
        page(q, params, self.conn()).await
    }

    /// The projects (stage `projekt`, not archived) with each one's newest report, if any:
    /// what the secretariat follows up on. Reads one report per project, not the history.
    pub async fn projects_with_latest_report(
        &self,
    ) -> Result<Vec<(product::Model, Option<progress_report::Model>)>> {
        let projects = product::Entity::find()
            .filter(product::Column::Stage.eq(Stage::Projekt))
            .filter(product::Column::Archived.eq(false))
            .order_by_asc(product::Column::Name)
            .all(self.conn())
            .await?;
        let mut out = Vec::with_capacity(projects.len());
        for p in projects {
            let latest = progress_report::Entity::find()
                .filter(progress_report::Column::ProductId.eq(p.id))
                .order_by_desc(progress_report::Column::PeriodTo)
                .order_by_desc(progress_report::Column::Id)
                .one(self.conn())
                .await?;
            out.push((p, latest));
        }
        Ok(out)
    }
}
