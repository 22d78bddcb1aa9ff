//! The versions of a self-evaluation (`/produkter/{slug}/selvevaluering/versioner`): every
//! version, a page at a time, with a diff between any two, and each version's downloads.
//! A download or a diff reads the one or two versions it needs, by number.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use niveau_report::document::Report;
use niveau_store::StoreError;
use niveau_store::entity::{product, self_evaluation};
use niveau_store::types::SubmissionFormat;
use serde::Deserialize;

use super::diff::{self, AnswerDiff};
use super::selfeval::stored_draft;
use crate::auth::principal::Auth;
use crate::error::{ApiError, megabytes};
use crate::pages::form::{FormPost, see_other};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, error_page, labels, render, to_login};
use crate::state::AppState;
use niveau_app::permissions::Action;
use niveau_app::self_evaluations as ops;
use niveau_app::visibility::resolve_product;
use niveau_app::{AppError, Caller};
use niveau_model::Msg;

/// Versions per page of the history.
pub const HISTORY_PAGE: u64 = 50;

/// One version in the history.
struct VersionRow {
    number: i32,
    at: String,
    by: String,
    format: String,
    level: String,
    warnings: i64,
    size: String,
    original_ext: &'static str,
}

/// A link to another page of the history.
struct PageLink {
    href: String,
    label: String,
}

#[derive(Template)]
#[template(path = "selfeval_history.html")]
struct HistoryPage {
    layout: Layout,
    product: String,
    slug: String,
    versions: Vec<VersionRow>,
    /// "Versions 51–100 of 600".
    range: String,
    newer: Option<PageLink>,
    older: Option<PageLink>,
    /// The page shown (1 = newest), kept when comparing.
    side: u64,
    from: Vec<Choice>,
    to: Vec<Choice>,
    compared: Option<(i32, i32)>,
    differences: Vec<AnswerDiff>,
    /// The caller may restore a version (the product's editors and the secretariat).
    can_restore: bool,
    /// The newest version's number, which a restore is based on.
    newest: i32,
}

/// The query of the history: the page (`side`, 1 = the newest versions) and the two
/// versions to compare.
#[derive(Debug, Default, Deserialize)]
pub struct HistoryQuery {
    #[serde(default)]
    side: Option<String>,
    #[serde(default)]
    fra: Option<String>,
    #[serde(default)]
    til: Option<String>,
}

fn original_ext(format: SubmissionFormat) -> &'static str {
    match format {
        SubmissionFormat::Markdown => "md",
        _ => "json",
    }
}

/// Reads version `number` of `product`, or `None` when it is not stored.
async fn one_version(
    state: &AppState,
    who: Caller<'_>,
    product: &product::Model,
    number: i32,
) -> Result<Option<self_evaluation::Model>, ApiError> {
    match ops::version(state.app(), who, product, number).await {
        Ok(row) => Ok(Some(row)),
        Err(AppError::Store(StoreError::NotFound { .. })) => Ok(None),
        Err(other) => Err(other.into()),
    }
}

/// `GET /produkter/{slug}/selvevaluering/versioner`: the versions, [`HISTORY_PAGE`] per
/// page, newest first, and the differences between two (`fra`, `til`; by default the
/// newest on the page and the one before it). Only the two compared versions are read
/// whole; the list holds no texts.
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
    let product = match resolve_product(state.store(), auth.who(), &slug).await {
        Ok(p) => p,
        Err(e) => return Ok(error_page(&state, &auth, lang, path, e.into())),
    };
    let side = query
        .side
        .as_deref()
        .and_then(|t| t.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1);
    let page = ops::versions(
        state.app(),
        auth.who(),
        &product,
        &niveau_store::ListParams {
            limit: Some(HISTORY_PAGE),
            offset: Some((side - 1).saturating_mul(HISTORY_PAGE)),
            ..Default::default()
        },
    )
    .await?;
    let rows = &page.items;
    let pick = |text: &Option<String>, default: Option<i32>| {
        text.as_deref()
            .and_then(|t| t.trim().parse::<i32>().ok())
            .or(default)
    };
    let newest = rows.first().map(|r| r.number);
    let to = pick(&query.til, newest);
    let from = pick(&query.fra, newest.map(|n| n - 1).filter(|n| *n >= 1));
    let (before, after) = match (from, to) {
        (Some(a), Some(b)) => (
            one_version(&state, auth.who(), &product, a).await?,
            one_version(&state, auth.who(), &product, b).await?,
        ),
        _ => (None, None),
    };
    let (compared, differences) = match (before, after) {
        (Some(a), Some(b)) => {
            let before = stored_draft(&a)?;
            let after = stored_draft(&b)?;
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
        let mut choices: Vec<Choice> = rows
            .iter()
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
            .collect();
        // A version compared from another page stays selectable.
        if let Some(n) = selected
            && compared.is_some()
            && !rows.iter().any(|r| r.number == n)
        {
            choices.insert(
                0,
                Choice {
                    value: n.to_string(),
                    label: format!("Version {n}"),
                    selected: true,
                },
            );
        }
        choices
    };
    let versions = rows
        .iter()
        .map(|r| VersionRow {
            number: r.number,
            at: labels::date_time(r.submitted_at),
            by: r.submitted_by.clone(),
            format: match r.format {
                SubmissionFormat::Markdown => {
                    lang.pick("OS2 Markdown (upload)", "OS2 Markdown (upload)")
                }
                SubmissionFormat::Formular => {
                    lang.pick("OS2's formular (upload)", "OS2's form (upload)")
                }
                _ => lang.pick("Redigeret i Niveau / JSON", "Edited in Niveau / JSON"),
            }
            .to_owned(),
            level: labels::level(r.indicated_level.as_deref(), lang),
            warnings: r.warning_count,
            size: megabytes(r.size_bytes, lang),
            original_ext: original_ext(r.format),
        })
        .collect();
    let link = |side: u64, label: &str| PageLink {
        href: format!(
            "/produkter/{}/selvevaluering/versioner?side={side}",
            product.slug
        ),
        label: label.to_owned(),
    };
    let shown_to = page.offset.saturating_add(rows.len() as u64);
    let newer = (side > 1).then(|| link(side - 1, lang.pick("Nyere versioner", "Newer versions")));
    let older = (shown_to < page.total)
        .then(|| link(side + 1, lang.pick("Ældre versioner", "Older versions")));
    let range = if rows.is_empty() {
        String::new()
    } else {
        format!(
            "{} {}–{} {} {}",
            lang.pick("Versioner", "Versions"),
            page.offset + 1,
            shown_to,
            lang.pick("af", "of"),
            page.total
        )
    };
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
        range,
        newer,
        older,
        side,
        compared,
        differences,
        can_restore: auth.can(Action::SubmitSelfEvaluation(product.id)),
        newest: page.total as i32,
    }))
}

/// `POST /produkter/{slug}/selvevaluering/versioner` (`gendan`, `based_on`): restores
/// an earlier version as a new version (audited; the versions in between stay), then
/// the editor with it. For the product's editors and the secretariat.
pub async fn restore(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    if auth.0.is_none() {
        return Ok(to_login(&path));
    }
    let product = match resolve_product(state.store(), auth.who(), &slug).await {
        Ok(p) => p,
        Err(e) => return Ok(error_page(&state, &auth, lang, &path, e.into())),
    };
    auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let Ok(number) = fields.one("gendan").parse::<i32>() else {
        return Err(ApiError::invalid(
            "gendan",
            Msg::new("vælg en version at gendanne", "choose a version to restore"),
        ));
    };
    let based_on = fields.one("based_on").parse::<i32>().ok();
    match ops::restore(state.app(), auth.who(), &product, number, based_on).await {
        Ok(row) => Ok(see_other(&format!(
            "/produkter/{}/selvevaluering?gemt={}&gendannet={number}",
            product.slug, row.number
        ))),
        Err(e) if e.kind() == niveau_app::ErrorKind::Internal => Err(e.into()),
        Err(e) => Ok(error_page(&state, &auth, lang, &path, e.into())),
    }
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
    let not_found = || {
        error_page(
            &state,
            &auth,
            lang,
            path,
            ApiError::not_found(Msg::new("fil", "file")),
        )
    };
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
    let product = match resolve_product(state.store(), auth.who(), &slug).await {
        Ok(p) => p,
        Err(e) => return Ok(error_page(&state, &auth, lang, path, e.into())),
    };
    let Some(row) = one_version(&state, auth.who(), &product, number).await? else {
        return Ok(not_found());
    };
    let body = if original {
        if ext != original_ext(row.format) {
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
