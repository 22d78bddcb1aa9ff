//! `/fremdrift`: the secretariat's follow-up of the projects (niveau-app's
//! `progress::follow_up`): each project's newest report with its status and economy,
//! projects late reporting or expecting to spend more than their budget first and
//! marked in words, and a link to take a project to the board for reconsideration.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::progress;

use super::super::lang::PageLang;
use super::super::workspace::{here, refuse};
use super::super::{Layout, encode_component, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::labels::{kroner, progress_status as status_label};
use crate::state::AppState;

/// A project as the follow-up shows it.
struct Row {
    name: String,
    slug: String,
    period: String,
    status: &'static str,
    budget: String,
    spent: String,
    expected: String,
    late: bool,
    /// Days since the end of the newest report's period, or "no report".
    days: String,
    over_budget: bool,
    overrun: String,
    /// The case form filled in for a reconsideration of this project.
    present_href: String,
}

#[derive(Template)]
#[template(path = "board_progress.html")]
struct ProgressPage {
    layout: Layout,
    rows: Vec<Row>,
    every_days: i64,
    may_prepare: bool,
    attention: usize,
}

/// `GET /fremdrift`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/fremdrift");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ReadBoard)) {
        return Ok(answer);
    }
    let amount = |v: Option<i64>| v.map(|v| kroner(v, lang)).unwrap_or_else(|| "–".into());
    let rows: Vec<Row> = progress::follow_up(state.app(), auth.who())
        .await?
        .into_iter()
        .map(|f| {
            let latest = f.latest.as_ref();
            Row {
                period: latest
                    .map(|r| format!("{} – {}", r.period_from, r.period_to))
                    .unwrap_or_else(|| lang.pick("ingen rapport", "no report").to_owned()),
                status: latest.map(|r| status_label(r.status, lang)).unwrap_or("–"),
                budget: amount(latest.and_then(|r| r.budget)),
                spent: amount(latest.and_then(|r| r.spent)),
                expected: amount(latest.and_then(|r| r.expected_total)),
                late: f.late,
                days: f
                    .days_since_report
                    .map(|d| d.to_string())
                    .unwrap_or_else(|| lang.pick("ingen rapport", "no report").to_owned()),
                over_budget: f.over_budget,
                overrun: f.overrun.map(|o| kroner(o, lang)).unwrap_or_default(),
                present_href: format!(
                    "/bestyrelse?produkt={}&art=genovervejelse#ny-sag",
                    encode_component(&f.slug)
                ),
                name: f.name,
                slug: f.slug,
            }
        })
        .collect();
    Ok(render(&ProgressPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Fremdrift og økonomi", "Progress and economy"),
            "progress",
            path,
        ),
        attention: rows.iter().filter(|r| r.late || r.over_budget).count(),
        rows,
        every_days: progress::REPORT_EVERY_DAYS,
        may_prepare: auth.can(Action::PrepareBoard),
    }))
}
