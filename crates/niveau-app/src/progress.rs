//! Projects report progress and economy to the secretariat (fremdrift og økonomi), and
//! the secretariat follows up: which projects are late reporting, which expect to spend
//! more than their budget. A project off course can be taken to the board for
//! reconsideration (a `genovervejelse` case, [`crate::board`]).

use chrono::NaiveDate;
use niveau_store::entity::{product, progress_report};
use niveau_store::list::{ListParams, Page};
use niveau_store::progress::ProgressInput;
use serde::Serialize;
use utoipa::ToSchema;

use crate::App;
use crate::error::AppResult;
use crate::permissions::{Action, require};
use crate::principal::Caller;
use crate::visibility::resolve_product;

/// A project reports at least this often (OS2 asks for running reports; quarterly is the
/// rhythm of municipal projects' steering groups): older, and it is late.
pub const REPORT_EVERY_DAYS: i64 = 92;

/// One project as the secretariat follows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProjectFollowUp {
    /// The project.
    pub product_id: i32,
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Its newest report.
    pub latest: Option<progress_report::Model>,
    /// No report within [`REPORT_EVERY_DAYS`] of today (none at all counts as late).
    pub late: bool,
    /// Days since the end of the newest report's period.
    pub days_since_report: Option<i64>,
    /// The newest report expects a total above the budget.
    pub over_budget: bool,
    /// By how much, in kroner.
    pub overrun: Option<i64>,
}

/// Whether `latest` is late on `today`, and the days since its period ended.
pub fn lateness(latest: Option<&progress_report::Model>, today: NaiveDate) -> (bool, Option<i64>) {
    match latest {
        None => (true, None),
        Some(r) => {
            let days = (today - r.period_to).num_days();
            (days > REPORT_EVERY_DAYS, Some(days))
        }
    }
}

/// The overrun of `report`: expected total above budget, when both are given.
pub fn overrun(report: Option<&progress_report::Model>) -> Option<i64> {
    let r = report?;
    let (budget, expected) = (r.budget?, r.expected_total?);
    (expected > budget).then_some(expected - budget)
}

/// Project `key` if the caller may report its progress (asked before the body is read).
pub async fn authorise_report(app: &App, who: Caller<'_>, key: &str) -> AppResult<product::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    require(who, Action::ReportProgress(product.id))?;
    Ok(product)
}

/// Record a progress report of project `key` (its editors and the secretariat).
pub async fn report(
    app: &App,
    who: Caller<'_>,
    key: &str,
    input: ProgressInput,
) -> AppResult<progress_report::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    let who = require(who, Action::ReportProgress(product.id))?;
    Ok(app
        .store()
        .add_progress_report(&who.actor(), product.id, input)
        .await?)
}

/// Project `key`'s reports, newest first (readers of the portfolio).
pub async fn reports(
    app: &App,
    who: Caller<'_>,
    key: &str,
    params: &ListParams,
) -> AppResult<(product::Model, Page<progress_report::Model>)> {
    let product = resolve_product(app.store(), who, key).await?;
    require(who, Action::ReadPortfolio)?;
    let page = app.store().progress_reports(product.id, params).await?;
    Ok((product, page))
}

/// Every project with its newest report, late and over-budget ones first (the board and
/// the secretariat).
pub async fn follow_up(app: &App, who: Caller<'_>) -> AppResult<Vec<ProjectFollowUp>> {
    require(who, Action::ReadBoard)?;
    let today = app.store().now().date_naive();
    let mut out: Vec<ProjectFollowUp> = app
        .store()
        .projects_with_latest_report()
        .await?
        .into_iter()
        .map(|(p, latest)| {
            let (late, days_since_report) = lateness(latest.as_ref(), today);
            let overrun = overrun(latest.as_ref());
            ProjectFollowUp {
                product_id: p.id,
                slug: p.slug,
                name: p.name,
                late,
                days_since_report,
                over_budget: overrun.is_some(),
                overrun,
                latest,
            }
        })
        .collect();
    out.sort_by_key(|f| (!(f.late || f.over_budget), f.name.clone()));
    Ok(out)
}
