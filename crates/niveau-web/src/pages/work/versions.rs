//! The versions of a self-evaluation (`/produkter/{slug}/selvevaluering/versioner`): every
//! version with a diff between any two, and each version's downloads.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use niveau_report::document::Report;
use niveau_store::entity::self_evaluation;
use serde::Deserialize;

use super::diff::{self, AnswerDiff};
use super::selfeval::stored_draft;
use crate::api::products::resolve;
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, error_page, labels, render, to_login};
use crate::permissions::Action;
use crate::state::AppState;

/// One version in the history.
struct VersionRow {
    number: i32,
    at: String,
    by: String,
    format: String,
    level: String,
    warnings: usize,
    original_ext: &'static str,
}

#[derive(Template)]
#[template(path = "selfeval_history.html")]
struct HistoryPage {
    layout: Layout,
    product: String,
    slug: String,
    versions: Vec<VersionRow>,
    from: Vec<Choice>,
    to: Vec<Choice>,
    compared: Option<(i32, i32)>,
    differences: Vec<AnswerDiff>,
}

/// The query of the history: the two versions to compare.
#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    #[serde(default)]
    fra: Option<String>,
    #[serde(default)]
    til: Option<String>,
}

fn original_ext(row: &self_evaluation::Model) -> &'static str {
    match row.format {
        niveau_store::types::SubmissionFormat::Markdown => "md",
        _ => "json",
    }
}

/// `GET /produkter/{slug}/selvevaluering/versioner`: every version, and the differences
/// between two (`fra`, `til`; by default the two newest).
pub async fn history(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(query): Query<HistoryQuery>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if !auth.can(Action::ReadPortfolio) {
        return Ok(to_login(path));
    }
    let product = match resolve(&state, &auth, &slug).await {
        Ok(p) => p,
        Err(e) => return Ok(error_page(&state, &auth, lang, path, e)),
    };
    let rows = state
        .store()
        .self_evaluations(product.id, &niveau_store::ListParams::all())
        .await?
        .items;
    let pick = |text: &Option<String>, default: Option<i32>| {
        text.as_deref()
            .and_then(|t| t.trim().parse::<i32>().ok())
            .or(default)
    };
    let newest = rows.first().map(|r| r.number);
    let to = pick(&query.til, newest);
    let from = pick(&query.fra, newest.map(|n| n - 1).filter(|n| *n >= 1));
    let by_number: HashMap<i32, &self_evaluation::Model> =
        rows.iter().map(|r| (r.number, r)).collect();
    let (compared, differences) = match (
        from.and_then(|n| by_number.get(&n)),
        to.and_then(|n| by_number.get(&n)),
    ) {
        (Some(a), Some(b)) => {
            let before = stored_draft(a)?;
            let after = stored_draft(b)?;
            let model = state
                .registry()
                .get(&after.model_id)
                .map_err(|e| ApiError::internal(&e))?;
            (
                Some((a.number, b.number)),
                diff::answers(model, &before.se.answers, &after.se.answers, lang),
            )
        }
        _ => (None, Vec::new()),
    };
    let choices = |selected: Option<i32>| {
        rows.iter()
            .map(|r| Choice {
                value: r.number.to_string(),
                label: format!(
                    "{} {} ({})",
                    lang.pick("Version", "Version"),
                    r.number,
                    r.submitted_at.format("%Y-%m-%d")
                ),
                selected: Some(r.number) == selected,
            })
            .collect::<Vec<_>>()
    };
    let versions = rows
        .iter()
        .map(|r| VersionRow {
            number: r.number,
            at: labels::date_time(r.submitted_at),
            by: r.submitted_by.clone(),
            format: match r.format {
                niveau_store::types::SubmissionFormat::Markdown => {
                    lang.pick("OS2 Markdown (upload)", "OS2 Markdown (upload)")
                }
                niveau_store::types::SubmissionFormat::Formular => {
                    lang.pick("OS2's formular (upload)", "OS2's form (upload)")
                }
                _ => lang.pick("Redigeret i Niveau / JSON", "Edited in Niveau / JSON"),
            }
            .to_owned(),
            level: labels::level(r.indicated_level.as_deref(), lang),
            warnings: r.warnings.as_array().map_or(0, Vec::len),
            original_ext: original_ext(r),
        })
        .collect();
    let title = format!(
        "{} – {}",
        lang.pick(
            "Versioner af selvevalueringen",
            "Versions of the self-evaluation"
        ),
        product.name
    );
    Ok(render(&HistoryPage {
        layout: Layout::new(&state, &auth, lang, title, "", path),
        product: product.name.clone(),
        slug: product.slug.clone(),
        from: choices(from),
        to: choices(to),
        versions,
        compared,
        differences,
    }))
}

/// `GET /produkter/{slug}/selvevaluering/{file}`: `vN.md` (OS2's official Markdown),
/// `vN.json` (Niveau JSON) or `vN-original.md|json` (the upload as it came), for
/// logged-in readers.
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if !auth.can(Action::ReadPortfolio) {
        return Ok(to_login(path));
    }
    let not_found = || error_page(&state, &auth, lang, path, ApiError::not_found("fil"));
    let Some((stem, ext)) = file.rsplit_once('.') else {
        return Ok(not_found());
    };
    let (number, original) = match stem.strip_suffix("-original") {
        Some(n) => (n, true),
        None => (stem, false),
    };
    let Some(number) = number.strip_prefix('v').and_then(|n| n.parse::<i32>().ok()) else {
        return Ok(not_found());
    };
    let product = match resolve(&state, &auth, &slug).await {
        Ok(p) => p,
        Err(e) => return Ok(error_page(&state, &auth, lang, path, e)),
    };
    let rows = state
        .store()
        .self_evaluations(product.id, &niveau_store::ListParams::all())
        .await?
        .items;
    let Some(row) = rows.into_iter().find(|r| r.number == number) else {
        return Ok(not_found());
    };
    let body = if original {
        if ext != original_ext(&row) {
            return Ok(not_found());
        }
        match &row.source_text {
            Some(text) => text.clone(),
            None => return Ok(not_found()),
        }
    } else {
        let report: Report =
            serde_json::from_value(row.document.clone()).map_err(|e| ApiError::internal(&e))?;
        let model = state
            .registry()
            .get(&row.model_id)
            .map_err(|e| ApiError::internal(&e))?;
        match ext {
            "md" => niveau_report::export::official_markdown(&report, model),
            "json" => niveau_report::export::json(&report),
            "csv" => niveau_report::export::csv::render(&report, model),
            _ => return Ok(not_found()),
        }
        .map_err(|e| ApiError::internal(&e))?
    };
    let content_type = match ext {
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/json",
    };
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-selvevaluering-{file}\"",
        product.slug
    )) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
