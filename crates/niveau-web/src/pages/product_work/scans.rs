//! Scans of a product's repositories (`/produkter/{slug}/scanninger`): asking for one
//! (a button for the product's editors and the secretariat, [`niveau_app::scans::request`])
//! and reading the newest scan's status and, per repository, what it found, with one
//! verdict for the whole product when it has several repositories
//! ([`niveau_app::scans::product_verdict`]); the earlier scans below. For logged-in
//! readers.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::AppError;
use niveau_app::permissions::Action;
use niveau_app::scans;
use niveau_app::visibility::resolve_product;
use niveau_model::Rating;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::entity::{product, scan_run};
use niveau_store::jobs::ScanFilter;
use niveau_store::types::JobStatus;

use super::{
    in_lang, is_internal, message, refusal, see_other, sends_away, status_of, with_status,
};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{FormPost, NoticeQuery};
use crate::pages::lang::PageLang;
use crate::pages::{Layout, labels, render};
use crate::state::AppState;

/// "I kø" / "Queued" …
pub fn status_label(status: JobStatus, lang: Lang) -> &'static str {
    let (da, en) = match status {
        JobStatus::Queued => ("I kø", "Queued"),
        JobStatus::Running => ("I gang", "Running"),
        JobStatus::Done => ("Færdig", "Done"),
        JobStatus::Failed => ("Mislykket", "Failed"),
    };
    lang.pick(da, en)
}

/// What one repository's entry of a scan's result says.
pub struct RepositoryResult {
    /// The repository.
    pub target: String,
    /// The commit scanned (short), or empty.
    pub commit: String,
    /// The level the evidence carries, "no level" or "not enough evidence for a level"
    /// (reports from before issue #15, without `outcome`: the level or "not assessed").
    pub allowed_level: String,
    /// "12 grønne, 3 gule, 2 røde, 1 grå".
    pub ratings: String,
    /// How many detector findings.
    pub findings: usize,
    /// How many warnings (what could not be read).
    pub warnings: usize,
    /// Why the repository could not be scanned, or empty.
    pub error: String,
}

/// A scan as the pages show it.
pub struct LatestScan {
    /// Id.
    pub id: i32,
    /// Status, for people.
    pub status: &'static str,
    /// The status's stored value (`queued` …), for tests and styling.
    pub status_code: &'static str,
    /// Who asked.
    pub requested_by: String,
    /// When it was asked for.
    pub requested_at: String,
    /// When it finished, or empty.
    pub finished_at: String,
    /// Why it failed, or empty.
    pub error: String,
    /// Per repository.
    pub repositories: Vec<RepositoryResult>,
}

/// The headline of a stored report: its level, or why it has none.
fn level_label(level: Option<&str>, outcome: Option<&str>, lang: Lang) -> String {
    match (level, outcome) {
        (None, Some("not_enough_evidence")) => lang
            .pick(
                "Ikke nok evidens til et niveau",
                "Not enough evidence for a level",
            )
            .to_owned(),
        (None, Some("no_level")) => lang.pick("Intet niveau", "No level").to_owned(),
        _ => labels::level(level, lang),
    }
}

fn summarise(entry: &serde_json::Value, lang: Lang) -> RepositoryResult {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_owned();
    if let Some(error) = entry.get("error") {
        return RepositoryResult {
            target: text(&entry["target"]),
            commit: String::new(),
            allowed_level: String::new(),
            ratings: String::new(),
            findings: 0,
            warnings: 0,
            error: text(error),
        };
    }
    let mut counts = [0usize; 4];
    for r in entry["requirements"].as_array().into_iter().flatten() {
        if let Ok(rating) = serde_json::from_value::<Rating>(r["rating"].clone())
            && let Some(i) = Rating::ALL.iter().position(|x| *x == rating)
        {
            counts[i] += 1;
        }
    }
    let ratings = Rating::ALL
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(r, n)| format!("{n} × {}", crate::pages::ratings::label(Some(*r), lang)))
        .collect::<Vec<_>>()
        .join(", ");
    let level = entry["allowed_level"].as_str();
    RepositoryResult {
        target: text(&entry["target"]),
        commit: entry["head"]["commit"]
            .as_str()
            .unwrap_or("")
            .chars()
            .take(10)
            .collect(),
        allowed_level: level_label(level, entry["outcome"].as_str(), lang),
        ratings,
        findings: entry["findings"].as_array().map_or(0, Vec::len),
        warnings: entry["warnings"].as_array().map_or(0, Vec::len),
        error: String::new(),
    }
}

/// One requirement of the product's combined verdict.
pub struct VerdictRow {
    /// The requirement's id.
    pub requirement: String,
    /// "understøttet" / "supported" …
    pub verdict: &'static str,
    /// `supported`, `contradicted`, `no_evidence`: for styling and tests.
    pub verdict_code: &'static str,
    /// The rating it rests on, and its confidence ("grøn, sikkerhed 4").
    pub rating: String,
    /// How the repositories' results were combined, in words.
    pub rule: String,
    /// The repository whose finding decided.
    pub decided_by: String,
    /// Main repositories whose result is not green, comma-separated, or empty.
    pub lacking: String,
    /// Each repository's verdict ("a: understøttet; b: modsagt").
    pub per_repository: String,
}

/// The whole product's verdict from the latest scan of several repositories.
pub struct ProductVerdict {
    /// The level the evidence carries, "no level" or "not enough evidence".
    pub headline: String,
    /// Why.
    pub reason: String,
    /// How many repositories were combined.
    pub repositories: usize,
    /// One row per requirement.
    pub rows: Vec<VerdictRow>,
    /// Repositories that duplicate each other ("a = b (same first commit)").
    pub duplicates: Vec<String>,
}

fn verdict_code(v: niveau_scan::check::Verdict) -> &'static str {
    match v {
        niveau_scan::check::Verdict::Supported => "supported",
        niveau_scan::check::Verdict::Contradicted => "contradicted",
        niveau_scan::check::Verdict::NoEvidence => "no_evidence",
    }
}

/// The product's combined verdict for people.
pub fn product_verdict(report: &niveau_scan::product::ProductReport, lang: Lang) -> ProductVerdict {
    let english = lang == Lang::En;
    let outcome = match report.outcome {
        niveau_scan::check::Outcome::Level => "level",
        niveau_scan::check::Outcome::NoLevel => "no_level",
        niveau_scan::check::Outcome::NotEnoughEvidence => "not_enough_evidence",
    };
    let headline = level_label(
        report.allowed_level.as_ref().map(|l| l.as_str()),
        Some(outcome),
        lang,
    );
    let rows = report
        .requirements
        .iter()
        .map(|r| {
            let verdict = niveau_scan::check::verdict_of(r.result.rating, r.result.confidence);
            VerdictRow {
                requirement: r.result.requirement.to_string(),
                verdict: verdict.label(english),
                verdict_code: verdict_code(verdict),
                rating: format!(
                    "{}, {} {}",
                    crate::pages::ratings::label(Some(r.result.rating), lang),
                    lang.pick("sikkerhed", "confidence"),
                    r.result.confidence
                ),
                rule: r.rule.describe().pick(english).to_owned(),
                decided_by: r.decided_by.clone(),
                lacking: r.lacking.join(", "),
                per_repository: r
                    .repositories
                    .iter()
                    .map(|x| format!("{}: {}", x.target, x.verdict.label(english)))
                    .collect::<Vec<_>>()
                    .join("; "),
            }
        })
        .collect();
    let duplicates = report
        .duplicates
        .iter()
        .map(|d| {
            let how = match (d.same_first_commit, d.shared_files_percent) {
                (true, _) => lang
                    .pick("samme første commit", "same first commit")
                    .to_owned(),
                (false, Some(p)) => format!("{p} % {}", lang.pick("ens filer", "identical files")),
                (false, None) => String::new(),
            };
            format!("{} = {} ({how})", d.a, d.b)
        })
        .collect();
    ProductVerdict {
        headline,
        reason: report.allowed_level_reason.pick(english).to_owned(),
        repositories: report.repositories.len(),
        rows,
        duplicates,
    }
}

/// A scan run for people.
pub fn shown(run: &scan_run::Model, lang: Lang) -> LatestScan {
    let repositories = match &run.result {
        Some(serde_json::Value::Array(entries)) => {
            entries.iter().map(|e| summarise(e, lang)).collect()
        }
        _ => Vec::new(),
    };
    LatestScan {
        id: run.id,
        status: status_label(run.status, lang),
        status_code: run.status.as_str(),
        requested_by: run.requested_by.clone(),
        requested_at: labels::date_time(run.requested_at),
        finished_at: run.finished_at.map(labels::date_time).unwrap_or_default(),
        error: run.error.clone().unwrap_or_default(),
        repositories,
    }
}

/// The newest scan of `product` for its page: logged-in readers only (`None` for the
/// public, or when there is none).
pub async fn latest_for_product_page(
    state: &AppState,
    auth: &Auth,
    product_id: i32,
    lang: Lang,
) -> Result<Option<LatestScan>, ApiError> {
    if !auth.can(Action::ReadPortfolio) {
        return Ok(None);
    }
    let page = scans::list(
        state.app(),
        auth.who(),
        &ScanFilter {
            product_id: Some(product_id),
        },
        &ListParams {
            limit: Some(1),
            ..Default::default()
        },
    )
    .await?;
    Ok(page.items.first().map(|run| shown(run, lang)))
}

#[derive(Template)]
#[template(path = "product_scans.html")]
struct ScansPage {
    layout: Layout,
    product: String,
    slug: String,
    repositories: Vec<String>,
    notice: String,
    error: String,
    can_request: bool,
    action: String,
    latest: Option<LatestScan>,
    verdict: Option<ProductVerdict>,
    earlier: Vec<LatestScan>,
}

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    product: &product::Model,
    notice: String,
    error: String,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let runs = scans::list(
        state.app(),
        auth.who(),
        &ScanFilter {
            product_id: Some(product.id),
        },
        &ListParams {
            limit: Some(20),
            ..Default::default()
        },
    )
    .await?
    .items;
    let verdict = runs
        .first()
        .and_then(|run| scans::product_verdict(state.app(), &product.name, run))
        .map(|report| product_verdict(&report, lang));
    let mut all = runs.iter().map(|r| shown(r, lang));
    let latest = all.next();
    let earlier = all.collect();
    let path = format!("/produkter/{}/scanninger", product.slug);
    let page = ScansPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            format!("{} – {}", lang.pick("Scanninger", "Scans"), product.name),
            "portfolio",
            &in_lang(&path, lang),
        ),
        product: product.name.clone(),
        slug: product.slug.clone(),
        repositories: product.repositories.0.clone(),
        notice,
        error,
        can_request: auth.can(Action::RequestScan(product.id)),
        action: in_lang(&path, lang),
        latest,
        verdict,
        earlier,
    };
    Ok(with_status(render(&page), status))
}

/// The product `slug` for a logged-in reader, or the answer that sends the visitor away.
async fn readable(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    slug: &str,
    path: &str,
) -> Result<Result<product::Model, Response>, ApiError> {
    let found = match resolve_product(state.store(), auth.who(), slug).await {
        Ok(p) if auth.can(Action::ReadPortfolio) => Ok(p),
        Ok(_) => Err(AppError::Unauthenticated),
        Err(e) => Err(e),
    };
    match found {
        Ok(p) => Ok(Ok(p)),
        Err(e) if sends_away(&e) => Ok(Err(refusal(state, auth, lang, path, e))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /produkter/{slug}/scanninger`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let product = match readable(&state, &auth, lang, &slug, path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    let notice = match query.notice() {
        Some("bestilt") => lang
            .pick(
                "Scanningen står i kø. Siden viser status og resultat, når den er kørt – hent siden igen om lidt.",
                "The scan is queued. The page shows its status and result once it has run – reload the page in a while.",
            )
            .to_owned(),
        _ => String::new(),
    };
    show(
        &state,
        &auth,
        lang,
        &product,
        notice,
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /produkter/{slug}/scanninger`: queue a scan of the product's repositories.
pub async fn request(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, path, ..
    } = post;
    let product = match readable(&state, &auth, lang, &slug, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    // The configuration may have changed since the repositories were saved.
    let policy = state.config().worker.remote_policy();
    match scans::request(state.app(), auth.who(), &product, &policy).await {
        Ok(_) => Ok(see_other(
            &format!("/produkter/{}/scanninger?besked=bestilt", product.slug),
            lang,
        )),
        Err(e) if sends_away(&e) => Ok(refusal(&state, &auth, lang, &path, e)),
        Err(e) if is_internal(&e) => Err(e.into()),
        Err(e) => {
            let status = status_of(&e);
            show(
                &state,
                &auth,
                lang,
                &product,
                String::new(),
                message(&e, lang),
                status,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_a_level_says_why() {
        let entry = |level: serde_json::Value, outcome: Option<&str>| {
            let mut e = serde_json::json!({
                "target": "x", "head": {"commit": "0123456789abc"}, "allowed_level": level,
            });
            if let Some(o) = outcome {
                e["outcome"] = o.into();
            }
            summarise(&e, Lang::Da).allowed_level
        };
        assert_eq!(
            entry(serde_json::Value::Null, Some("not_enough_evidence")),
            "Ikke nok evidens til et niveau"
        );
        assert_eq!(
            entry(serde_json::Value::Null, Some("no_level")),
            "Intet niveau"
        );
        assert_eq!(entry("2".into(), Some("level")), "Niveau 2");
        // A report from before the verdicts: as before.
        assert_eq!(entry(serde_json::Value::Null, None), "Ikke vurderet");
    }
}
