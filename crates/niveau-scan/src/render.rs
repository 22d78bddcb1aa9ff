//! A check as text for people, JSON for machines (schema `niveau.check/1`, documented in
//! docs/detectors.md) and Markdown for a pull-request comment. Danish unless `english`.
//!
//! Text and Markdown hold strings from the repository (file names, commit messages,
//! the target's URL): both are passed through [`niveau_model::terminal::printable`], so
//! an escape sequence in a file name is printed, not obeyed. JSON escapes them itself.

use std::fmt::Write as _;

use niveau_model::{Model, Rating};
use serde::Serialize;

use crate::check::CheckReport;
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
        missing.join(", ")
    ))
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
        let _ = writeln!(
            out,
            "  {:<4} {} {:<6} ({}/5) {}",
            r.requirement.as_str(),
            r.rating.symbol(),
            rating_word(r.rating, english),
            r.confidence,
            r.explanation.pick(english)
        );
        let ev: Vec<String> = r.evidence.iter().take(6).map(evidence_text).collect();
        if !ev.is_empty() {
            let _ = writeln!(
                out,
                "       {}: {}",
                pick(english, "bevis", "evidence"),
                ev.join("; ")
            );
        }
    }
    let _ = writeln!(
        out,
        "{}: {}",
        pick(
            english,
            "Niveau, som de automatisk vurderbare krav alene tillader",
            "Level the automatable requirements alone allow"
        ),
        level_name(model, report.allowed_level.as_ref(), english)
    );
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
        "{} **{}** · {} `{short}` · {} {}\n",
        pick(
            english,
            "Niveau, som de automatisk vurderbare krav alene tillader:",
            "Level the automatable requirements alone allow:"
        ),
        level_name(model, report.allowed_level.as_ref(), english),
        pick(english, "commit", "commit"),
        pick(english, "model", "model"),
        report.model.id
    );
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        pick(english, "Krav", "Requirement"),
        pick(english, "Forslag", "Proposal"),
        pick(english, "Sikkerhed", "Confidence"),
        pick(english, "Forklaring", "Explanation")
    );
    for r in &report.requirements {
        let _ = writeln!(
            out,
            "| {} | {} {} | {}/5 | {} |",
            r.requirement,
            r.rating.symbol(),
            rating_word(r.rating, english),
            r.confidence,
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
