//! A check as text for people, JSON for machines (schema `niveau.check/1`, documented in
//! docs/detectors.md) and Markdown for a pull-request comment. Danish unless `english`.
//!
//! Text and Markdown hold strings from the repository (file names, commit messages,
//! the target's URL): both are passed through [`niveau_model::terminal::printable`], so
//! an escape sequence in a file name is printed, not obeyed. JSON escapes them itself.

use std::fmt::Write as _;

use niveau_model::{Model, Rating};
use serde::Serialize;

use crate::check::{CheckReport, Verdict, headline};
use crate::finding::Evidence;

/// The schema id of [`json`].
pub const CHECK_SCHEMA: &str = "niveau.check/1";

fn pick<'a>(english: bool, da: &'a str, en: &'a str) -> &'a str {
    if english { en } else { da }
}

fn rating_word(r: Rating, english: bool) -> &'static str {
    if english { r.label_en() } else { r.label_da() }
}

fn level_name(model: &Model, id: Option<&niveau_model::LevelId>, english: bool) -> String {
    match id.and_then(|l| model.level(l.as_str())) {
        Some(l) => l.name.clone(),
        None => pick(english, "intet niveau", "no level").to_owned(),
    }
}

/// "Mangler for Niveau 2: F7, F11", if a next level exists.
fn missing_line(report: &CheckReport, model: &Model, english: bool) -> Option<String> {
    let next = report.next.as_ref()?;
    let missing: Vec<&str> = next
        .missing
        .iter()
        .map(|u| u.requirement.as_str())
        .collect();
    Some(format!(
        "{} {}: {}",
        pick(english, "Mangler for", "Missing for"),
        level_name(model, Some(&next.level), english),
        summary_list(&missing, english)
    ))
}

/// How many items a line of the output names before it summarises.
pub const LIST_MAX: usize = 8;

/// "a, b, c" or, for a long list, "a, b, c, …, h (+12)": long lists are summarised.
pub fn summary_list<S: AsRef<str>>(items: &[S], english: bool) -> String {
    let shown: Vec<&str> = items.iter().take(LIST_MAX).map(AsRef::as_ref).collect();
    let more = items.len().saturating_sub(shown.len());
    if more == 0 {
        shown.join(", ")
    } else {
        format!(
            "{}, … (+{more} {})",
            shown.join(", "),
            pick(english, "flere", "more")
        )
    }
}

/// The verdict of a requirement in the report, if it has one.
fn verdict_of(report: &CheckReport, id: &niveau_model::RequirementId) -> Option<Verdict> {
    report
        .verdicts
        .iter()
        .find(|v| &v.requirement == id)
        .map(|v| v.verdict)
}

/// "Niveau ud fra evidensen: Niveau 2" and the reason on the next line.
fn headline_lines(report: &CheckReport, model: &Model, english: bool) -> (String, String) {
    (
        format!(
            "{}: {}",
            pick(
                english,
                "Niveau ud fra evidensen",
                "Level the evidence carries"
            ),
            headline(
                model,
                report.allowed_level.as_ref(),
                report.outcome,
                english
            )
        ),
        format!(
            "{}: {}",
            pick(english, "Hvorfor", "Why"),
            report.allowed_level_reason.pick(english)
        ),
    )
}

/// Evidence in one short line.
pub fn evidence_text(e: &Evidence) -> String {
    match e {
        Evidence::File {
            path,
            line: Some(l),
        } => format!("{path}:{l}"),
        Evidence::File { path, line: None } => path.clone(),
        Evidence::Commit { id, summary } => {
            let short: String = id.chars().take(10).collect();
            format!("{short} «{summary}»")
        }
        Evidence::Value { name, value } => format!("{name} = {value}"),
    }
}

/// "Gemt resultat fra …" for a reused result ([`crate::cache`]).
fn cached_line(report: &CheckReport, english: bool) -> Option<String> {
    if !report.stats.cached {
        return None;
    }
    let when = chrono::DateTime::from_timestamp(report.stats.scanned_at, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    Some(if english {
        format!(
            "Stored result from {when} (same commit, branches and scanner); --no-cache scans again"
        )
    } else {
        format!(
            "Gemt resultat fra {when} (samme commit, grene og scanner); --no-cache scanner igen"
        )
    })
}

/// The check as plain text.
pub fn text(report: &CheckReport, model: &Model, english: bool) -> String {
    let mut out = String::new();
    let short: String = report.head.commit.chars().take(10).collect();
    let branch = report.head.branch.as_deref().unwrap_or("HEAD");
    let files = if english {
        crate::detectors::count(report.stats.files, "file", "files")
    } else {
        crate::detectors::count(report.stats.files, "fil", "filer")
    };
    let _ = writeln!(
        out,
        "{}  ({branch} @ {short}; {files}, {}{})",
        report.target,
        crate::detectors::count(report.stats.commits, "commit", "commits"),
        if report.stats.history_complete {
            ""
        } else {
            pick(english, ", historik ufuldstændig", ", history incomplete")
        }
    );
    if let Some(line) = cached_line(report, english) {
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "{} {} · {} {}",
        pick(english, "Model", "Model"),
        report.model.id,
        report.requirements.len(),
        pick(
            english,
            "krav kan vurderes automatisk",
            "requirements can be assessed automatically"
        )
    );
    for r in &report.requirements {
        let verdict = verdict_of(report, &r.requirement).unwrap_or(Verdict::NoEvidence);
        let _ = writeln!(
            out,
            "  {:<4} {} {:<6} ({}/5) {:<13}  {}",
            r.requirement.as_str(),
            r.rating.symbol(),
            rating_word(r.rating, english),
            r.confidence,
            verdict.label(english),
            r.explanation.pick(english)
        );
        let ev: Vec<String> = r.evidence.iter().take(6).map(evidence_text).collect();
        if !ev.is_empty() {
            let more = r.evidence.len().saturating_sub(ev.len());
            let _ = writeln!(
                out,
                "       {}: {}{}",
                pick(english, "bevis", "evidence"),
                ev.join("; "),
                if more > 0 {
                    format!("; … (+{more} {})", pick(english, "flere", "more"))
                } else {
                    String::new()
                }
            );
        }
    }
    let (head, why) = headline_lines(report, model, english);
    let _ = writeln!(out, "{head}\n{why}");
    if let Some(line) = missing_line(report, model, english) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(p) = &report.publiccode {
        let outcome = match p.outcome.as_str() {
            "valid" => pick(english, "gyldig", "valid"),
            "valid_with_warnings" => pick(english, "gyldig med advarsler", "valid with warnings"),
            _ => pick(english, "ugyldig", "invalid"),
        };
        let _ = writeln!(out, "{}: {outcome}", p.path);
        for problem in p.problems.iter().take(10) {
            let _ = writeln!(out, "  {}:{problem}", p.path);
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(
            out,
            "{} ({}):",
            pick(english, "Advarsler", "Warnings"),
            report.warnings.len()
        );
        for w in report.warnings.iter().take(20) {
            let _ = writeln!(out, "  {} [{}]", w.message.pick(english), w.code);
        }
    }
    niveau_model::terminal::printable(&out).into_owned()
}

#[derive(Serialize)]
struct Versioned<'a> {
    schema: &'static str,
    #[serde(flatten)]
    report: &'a CheckReport,
}

/// The check as JSON (schema `niveau.check/1`).
pub fn json(report: &CheckReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&Versioned {
        schema: CHECK_SCHEMA,
        report,
    })
}

fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br/>")
}

/// The check as Markdown for a pull-request comment.
pub fn markdown(report: &CheckReport, model: &Model, english: bool) -> String {
    let mut out = String::new();
    let short: String = report.head.commit.chars().take(10).collect();
    let _ = writeln!(
        out,
        "### {} `{}`\n",
        pick(
            english,
            "OS2-governancekrav i",
            "OS2 governance requirements in"
        ),
        report.target
    );
    let _ = writeln!(
        out,
        "{}: **{}** · {} `{short}` · {} {}\n",
        pick(
            english,
            "Niveau ud fra evidensen",
            "Level the evidence carries"
        ),
        headline(
            model,
            report.allowed_level.as_ref(),
            report.outcome,
            english
        ),
        pick(english, "commit", "commit"),
        pick(english, "model", "model"),
        report.model.id
    );
    let _ = writeln!(
        out,
        "{}\n",
        md_cell(report.allowed_level_reason.pick(english))
    );
    requirements_table_head(&mut out, english, None);
    for r in &report.requirements {
        let verdict = verdict_of(report, &r.requirement).unwrap_or(Verdict::NoEvidence);
        let _ = writeln!(
            out,
            "| {} | {} {} | {}/5 | {} | {} |",
            r.requirement,
            r.rating.symbol(),
            rating_word(r.rating, english),
            r.confidence,
            verdict.label(english),
            md_cell(r.explanation.pick(english))
        );
    }
    if let Some(line) = missing_line(report, model, english) {
        let _ = writeln!(out, "\n{line}");
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(
            out,
            "\n<details><summary>{} ({})</summary>\n",
            pick(english, "Advarsler", "Warnings"),
            report.warnings.len()
        );
        for w in &report.warnings {
            let _ = writeln!(out, "- {} `{}`", md_cell(w.message.pick(english)), w.code);
        }
        out.push_str("\n</details>\n");
    }
    let _ = writeln!(
        out,
        "\n_{}_",
        pick(
            english,
            "Forslagene er vejledende; sekretariatet vurderer.",
            "The proposals are advice; the secretariat rates."
        )
    );
    niveau_model::terminal::printable(&out).into_owned()
}

// ------------------------------------------------------------------ products

/// The schema id of [`product_json`].
pub const PRODUCT_SCHEMA: &str = "niveau.product/1";

fn short(commit: &str) -> String {
    commit.chars().take(10).collect()
}

/// The rows of the product's table of repositories: repository, head, level, commits in
/// the last year, main, contradicted requirements.
fn product_rows(
    product: &crate::product::ProductReport,
    model: &Model,
    english: bool,
) -> Vec<[String; 6]> {
    product
        .repositories
        .iter()
        .map(|r| {
            let ids: Vec<&str> = r.contradicted.iter().map(|x| x.as_str()).collect();
            [
                r.target.clone(),
                format!(
                    "{}@{}",
                    r.branch.as_deref().unwrap_or("HEAD"),
                    short(&r.head)
                ),
                headline(model, r.allowed_level.as_ref(), r.outcome, english),
                r.commits_365_days.to_string(),
                if r.main {
                    pick(english, "ja", "yes")
                } else {
                    pick(english, "nej", "no")
                }
                .to_owned(),
                summary_list(&ids, english),
            ]
        })
        .collect()
}

fn product_header(english: bool) -> [&'static str; 6] {
    [
        pick(english, "REPOSITORIE", "REPOSITORY"),
        "HEAD",
        pick(english, "NIVEAU", "LEVEL"),
        pick(english, "COMMITS/ÅR", "COMMITS/YEAR"),
        pick(english, "HOVED", "MAIN"),
        pick(english, "MODSAGT", "CONTRADICTED"),
    ]
}

/// "a 🟢 4/5, b 🔴 3/5, …": each repository's rating of a requirement, summarised.
fn per_repository(req: &crate::product::ProductRequirement, english: bool) -> String {
    let items: Vec<String> = req
        .repositories
        .iter()
        .map(|r| format!("{} {} {}/5", r.target, r.rating.symbol(), r.confidence))
        .collect();
    summary_list(&items, english)
}

/// A product of several repositories as plain text: the headline, one verdict per
/// requirement with each repository's rating, and the table of repositories.
pub fn product_text(
    product: &crate::product::ProductReport,
    model: &Model,
    english: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}  ({}; {} {})",
        pick(english, "Produkt", "Product"),
        product.product,
        crate::detectors::count(
            product.repositories.len(),
            pick(english, "repositorie", "repository"),
            pick(english, "repositorier", "repositories")
        ),
        pick(english, "model", "model"),
        product.model.id
    );
    for r in &product.requirements {
        let verdict = product
            .verdicts
            .iter()
            .find(|v| v.requirement == r.result.requirement)
            .map_or(Verdict::NoEvidence, |v| v.verdict);
        let _ = writeln!(
            out,
            "  {:<4} {} {:<6} ({}/5) {:<13}  {}",
            r.result.requirement.as_str(),
            r.result.rating.symbol(),
            rating_word(r.result.rating, english),
            r.result.confidence,
            verdict.label(english),
            r.result.explanation.pick(english)
        );
        let _ = writeln!(
            out,
            "       {}: {}",
            pick(english, "repositorier", "repositories"),
            per_repository(r, english)
        );
    }
    let _ = writeln!(
        out,
        "{}: {}",
        pick(
            english,
            "Niveau ud fra evidensen",
            "Level the evidence carries"
        ),
        headline(
            model,
            product.allowed_level.as_ref(),
            product.outcome,
            english
        )
    );
    let _ = writeln!(
        out,
        "{}: {}",
        pick(english, "Hvorfor", "Why"),
        product.allowed_level_reason.pick(english)
    );
    if !product.duplicates.is_empty() {
        let pairs: Vec<String> = product
            .duplicates
            .iter()
            .map(|d| format!("{} = {}", d.a, d.b))
            .collect();
        let _ = writeln!(
            out,
            "{}: {}",
            pick(
                english,
                "Repositorier, der dublerer hinanden",
                "Repositories that duplicate each other"
            ),
            summary_list(&pairs, english)
        );
    }
    let _ = writeln!(out);
    let header = product_header(english);
    let rows = product_rows(product, model, english);
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[&str]| {
        let mut l = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                l.push_str(cell);
            } else {
                l.push_str(cell);
                l.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        l.trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", line(&header));
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        let _ = writeln!(out, "{}", line(&cells));
    }
    niveau_model::terminal::printable(&out).into_owned()
}

#[derive(Serialize)]
struct VersionedProduct<'a> {
    schema: &'static str,
    #[serde(flatten)]
    product: &'a crate::product::ProductReport,
}

/// A product as JSON (schema `niveau.product/1`).
pub fn product_json(product: &crate::product::ProductReport) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&VersionedProduct {
        schema: PRODUCT_SCHEMA,
        product,
    })
}

/// A product as Markdown: the headline, one row per requirement and the table of
/// repositories.
pub fn product_markdown(
    product: &crate::product::ProductReport,
    model: &Model,
    english: bool,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### {} {}\n",
        pick(
            english,
            "OS2-governancekrav for produktet",
            "OS2 governance requirements for the product"
        ),
        md_cell(&product.product)
    );
    let _ = writeln!(
        out,
        "{}: **{}** · {} · {} {}\n\n{}\n",
        pick(
            english,
            "Niveau ud fra evidensen",
            "Level the evidence carries"
        ),
        headline(
            model,
            product.allowed_level.as_ref(),
            product.outcome,
            english
        ),
        crate::detectors::count(
            product.repositories.len(),
            pick(english, "repositorie", "repository"),
            pick(english, "repositorier", "repositories")
        ),
        pick(english, "model", "model"),
        product.model.id,
        md_cell(product.allowed_level_reason.pick(english))
    );
    requirements_table_head(
        &mut out,
        english,
        Some(pick(english, "Repositorier", "Repositories")),
    );
    for r in &product.requirements {
        let verdict = product
            .verdicts
            .iter()
            .find(|v| v.requirement == r.result.requirement)
            .map_or(Verdict::NoEvidence, |v| v.verdict);
        let _ = writeln!(
            out,
            "| {} | {} {} | {}/5 | {} | {} | {} |",
            r.result.requirement,
            r.result.rating.symbol(),
            rating_word(r.result.rating, english),
            r.result.confidence,
            verdict.label(english),
            md_cell(r.result.explanation.pick(english)),
            md_cell(&per_repository(r, english))
        );
    }
    let header = product_header(english);
    let _ = writeln!(
        out,
        "\n| {} |\n|{}",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for row in product_rows(product, model, english) {
        let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(
        out,
        "\n_{}_",
        pick(
            english,
            "Forslagene er vejledende; sekretariatet vurderer.",
            "The proposals are advice; the secretariat rates."
        )
    );
    niveau_model::terminal::printable(&out).into_owned()
}

/// The head of the Markdown table of requirements, shared by a repository's and a
/// product's report; `extra` is one more column at the end.
fn requirements_table_head(out: &mut String, english: bool, extra: Option<&str>) {
    let mut columns = vec![
        pick(english, "Krav", "Requirement"),
        pick(english, "Forslag", "Proposal"),
        pick(english, "Sikkerhed", "Confidence"),
        pick(english, "Evidens", "Evidence"),
        pick(english, "Forklaring", "Explanation"),
    ];
    columns.extend(extra);
    let _ = writeln!(
        out,
        "| {} |\n|{}",
        columns.join(" | "),
        "---|".repeat(columns.len())
    );
}
