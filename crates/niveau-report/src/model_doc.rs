//! Documents about models: a model as text, Markdown or JSON; a list of models; a diff
//! between two models; a proposal table.

use std::fmt::Write as _;

use niveau_model::{Change, Model, ModelDiff, Obligation, ProposalTable, Requirement};
use serde::Serialize;

use crate::lang::Lang;
use crate::markdown::{block, cell, line};
use crate::text::{pad, text_table, width};

/// The schema id of [`model_json`].
pub const MODEL_SCHEMA: &str = "niveau.model/1";
/// The schema id of [`diff_json`].
pub const DIFF_SCHEMA: &str = "niveau.model-diff/1";
/// The schema id of [`proposals_json`].
pub const PROPOSALS_SCHEMA: &str = "niveau.proposal-table/1";

fn obligation(o: Obligation, lang: Lang) -> &'static str {
    match (o, lang) {
        (Obligation::Must, Lang::Da) => "skal",
        (Obligation::Should, Lang::Da) => "bør",
        (Obligation::Must, Lang::En) => "must",
        (Obligation::Should, Lang::En) => "should",
    }
}

fn level_name<'a>(model: &'a Model, r: &'a Requirement) -> &'a str {
    model
        .level(r.level.as_str())
        .map(|l| l.name.as_str())
        .unwrap_or(r.level.as_str())
}

/// " → F7" for an id merged into F7, else nothing.
fn merged_suffix(r: &niveau_model::Retired) -> String {
    r.merged_into
        .as_ref()
        .map(|t| format!(" → {t}"))
        .unwrap_or_default()
}

/// "43 krav: Sandkasse 6, Niveau 1 10, …" — requirements per level.
pub fn level_summary(model: &Model, lang: Lang) -> String {
    let parts: Vec<String> = model
        .levels()
        .iter()
        .map(|l| format!("{} {}", l.name, model.requirements_at(&l.id).count()))
        .collect();
    let should = model
        .requirements()
        .iter()
        .filter(|r| r.obligation == Obligation::Should)
        .count();
    format!(
        "{} {}: {} – {} {should} {}",
        model.requirements().len(),
        lang.pick("krav", "requirements"),
        parts.join(", "),
        lang.pick("heraf", "of which"),
        lang.pick("anbefalinger (bør)", "recommendations (should)"),
    )
}

/// A model as plain text for a terminal.
pub fn render_model_text(model: &Model, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} — {} ({} {})",
        model.id(),
        model.name(),
        lang.pick("version", "version"),
        model.version()
    );
    let src = model.source();
    let mut cite = src.title.clone();
    for extra in [&src.license, &src.attribution].into_iter().flatten() {
        cite.push_str(", ");
        cite.push_str(extra);
    }
    let _ = writeln!(out, "{}: {cite}", lang.pick("Kilde", "Source"));
    if let Some(url) = &src.url {
        let _ = writeln!(out, "        {url}");
    }
    let _ = writeln!(out, "{}", level_summary(model, lang));
    let id_w = model
        .requirements()
        .iter()
        .map(|r| width(r.id.as_str()))
        .max()
        .unwrap_or(2);
    let level_w = model
        .levels()
        .iter()
        .map(|l| width(&l.name))
        .max()
        .unwrap_or(8);
    let ob_w = 6;
    for theme in model.themes() {
        let reqs: Vec<&Requirement> = model.requirements_in(&theme.id).collect();
        let _ = writeln!(
            out,
            "\n{} ({} {})",
            theme.name.to_uppercase(),
            reqs.len(),
            lang.pick("krav", "requirements")
        );
        for r in reqs {
            let _ = writeln!(
                out,
                "  {}  {}  {}  {}",
                pad(r.id.as_str(), id_w),
                pad(level_name(model, r), level_w),
                pad(obligation(r.obligation, lang), ob_w),
                r.text
            );
        }
    }
    if !model.retired().is_empty() {
        let _ = writeln!(out, "\n{}", lang.pick("UDGÅEDE ID'ER", "RETIRED IDS"));
        for r in model.retired() {
            let target = merged_suffix(r);
            let note = r.note.as_deref().unwrap_or_default();
            let _ = writeln!(out, "  {}{target}  {note}", r.id);
        }
    }
    for ed in model.editions() {
        let _ = writeln!(
            out,
            "\n{} {}: {}",
            lang.pick("UDGAVE", "EDITION"),
            ed.id,
            ed.title
        );
        for (from, to) in &ed.renumber {
            let _ = writeln!(
                out,
                "  {from} {} {to} {}",
                lang.pick("i denne udgave er", "in this edition is"),
                lang.pick("i modellen", "in the model")
            );
        }
        if !ed.absent.is_empty() {
            let absent: Vec<&str> = ed.absent.iter().map(|a| a.as_str()).collect();
            let _ = writeln!(
                out,
                "  {}: {}",
                lang.pick("findes ikke", "absent"),
                absent.join(", ")
            );
        }
    }
    for m in model.mappings() {
        let _ = writeln!(
            out,
            "\n{} {} ({} {})",
            lang.pick("MAPPING TIL", "MAPPING ONTO"),
            m.target,
            m.entries.len(),
            lang.pick("eksplicitte par", "explicit entries")
        );
        for e in &m.entries {
            let to: Vec<&str> = e.to.iter().map(|t| t.as_str()).collect();
            let to = if to.is_empty() {
                lang.pick("(intet)", "(none)").to_owned()
            } else {
                to.join(", ")
            };
            let _ = writeln!(out, "  {} → {to}", e.from);
        }
    }
    out
}

/// A model as a Markdown document: one table per theme.
pub fn render_model_markdown(model: &Model, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", line(model.name()));
    let _ = writeln!(
        out,
        "> **{}:** `{}`  \n> **{}:** {}  \n> **{}:** {}",
        lang.pick("Model", "Model"),
        model.id(),
        lang.pick("Version", "Version"),
        model.version(),
        lang.pick("Kilde", "Source"),
        match &model.source().url {
            Some(url) => line(&format!("[{}]({url})", model.source().title)),
            None => line(&model.source().title),
        }
    );
    if let (Some(license), Some(who)) = (&model.source().license, &model.source().attribution) {
        let _ = writeln!(out, ">  \n> {who}, {license}");
    }
    out.push('\n');
    if let Some(d) = model.description() {
        let _ = writeln!(out, "{}\n", block(d));
    }
    let _ = writeln!(out, "{}\n", level_summary(model, lang));
    for theme in model.themes() {
        let _ = writeln!(out, "## {}\n", theme.name.to_uppercase());
        let _ = writeln!(
            out,
            "| # | {} | {} | {} | {} | {} |",
            lang.pick("Krav", "Requirement"),
            lang.pick("Niveau", "Level"),
            lang.pick("Skal/bør", "Must/should"),
            lang.pick("Retningslinjer", "Guideline"),
            lang.pick("Vurderingskriterie", "Criterion"),
        );
        out.push_str("| --- | --- | --- | --- | --- | --- |\n");
        for r in model.requirements_in(&theme.id) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.id,
                cell(&r.text),
                cell(level_name(model, r)),
                obligation(r.obligation, lang),
                cell(r.guideline.as_deref().unwrap_or_default()),
                cell(r.criterion.as_deref().unwrap_or_default()),
            );
        }
        out.push('\n');
    }
    if !model.retired().is_empty() {
        let _ = writeln!(out, "## {}\n", lang.pick("Udgåede id'er", "Retired ids"));
        for r in model.retired() {
            let target = merged_suffix(r);
            let note = r
                .note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            let _ = writeln!(out, "- {}{target}{note}", r.id);
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct Versioned<'a, T: Serialize> {
    schema: &'static str,
    #[serde(flatten)]
    body: &'a T,
}

fn to_json<T: Serialize>(schema: &'static str, body: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&Versioned { schema, body })
}

/// A model as JSON (schema `niveau.model/1`, documented in docs/models.md).
pub fn model_json(model: &Model) -> Result<String, serde_json::Error> {
    to_json(MODEL_SCHEMA, model)
}

/// A model diff as JSON (schema `niveau.model-diff/1`).
pub fn diff_json(diff: &ModelDiff) -> Result<String, serde_json::Error> {
    to_json(DIFF_SCHEMA, diff)
}

/// A proposal table as JSON (schema `niveau.proposal-table/1`).
pub fn proposals_json(table: &ProposalTable) -> Result<String, serde_json::Error> {
    to_json(PROPOSALS_SCHEMA, table)
}

/// A list of models as a text table.
pub fn render_model_list(models: &[&Model], lang: Lang) -> String {
    let header = [
        lang.pick("ID", "ID"),
        lang.pick("VERSION", "VERSION"),
        lang.pick("KRAV", "REQS"),
        lang.pick("NIVEAUER", "LEVELS"),
        lang.pick("NAVN", "NAME"),
    ];
    let rows: Vec<Vec<String>> = models
        .iter()
        .map(|m| {
            vec![
                m.id().to_string(),
                m.version().to_owned(),
                m.requirements().len().to_string(),
                m.levels()
                    .iter()
                    .map(|l| l.id.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                m.name().to_owned(),
            ]
        })
        .collect();
    text_table(&header, &rows)
}

/// Section titles of a diff, in the order of [`Change`]'s variants.
const DIFF_SECTIONS: [(&str, &str); 9] = [
    ("Tilføjet", "Added"),
    ("Fjernet", "Removed"),
    ("Omnummereret", "Renumbered"),
    ("Lagt sammen", "Merged"),
    ("Delt op", "Split"),
    ("Flyttet mellem niveauer", "Moved between levels"),
    ("Flyttet mellem temaer", "Moved between themes"),
    ("Skal/bør ændret", "Must/should changed"),
    ("Tekst ændret", "Wording changed"),
];

fn id_list(refs: &[niveau_model::diff::ReqRef]) -> String {
    refs.iter()
        .map(|r| r.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The section (index into [`DIFF_SECTIONS`]) and the line describing one change.
fn change_line(change: &Change, lang: Lang) -> (usize, String) {
    match change {
        Change::Added { to } => (0, format!("{} ({}) {}", to.id, to.level_name, to.text)),
        Change::Removed { from } => (
            1,
            format!("{} ({}) {}", from.id, from.level_name, from.text),
        ),
        Change::Renumbered { from, to } => (2, format!("{} → {}  {}", from.id, to.id, to.text)),
        Change::Merged { from, to } => (3, format!("{} → {}  {}", id_list(from), to.id, to.text)),
        Change::Split { from, to } => (4, format!("{} → {}", from.id, id_list(to))),
        Change::LevelMoved { from, to } => (
            5,
            format!(
                "{} → {}: {} → {}",
                from.id, to.id, from.level_name, to.level_name
            ),
        ),
        Change::ThemeMoved { from, to } => (
            6,
            format!(
                "{} → {}: {} → {}",
                from.id, to.id, from.theme_name, to.theme_name
            ),
        ),
        Change::ObligationChanged { from, to } => (
            7,
            format!(
                "{} → {}: {} → {}",
                from.id,
                to.id,
                obligation(from.obligation, lang),
                obligation(to.obligation, lang)
            ),
        ),
        Change::TextChanged { from, to } => (
            8,
            format!(
                "{} → {}\n      {}: {}\n      {}: {}",
                from.id,
                to.id,
                lang.pick("før", "old"),
                from.text,
                lang.pick("nu ", "new"),
                to.text
            ),
        ),
    }
}

/// The non-empty sections of a diff: title and lines.
fn diff_sections(diff: &ModelDiff, lang: Lang) -> Vec<(&'static str, Vec<String>)> {
    let mut buckets: Vec<Vec<String>> = vec![Vec::new(); DIFF_SECTIONS.len()];
    for change in &diff.changes {
        let (i, line) = change_line(change, lang);
        buckets[i].push(line);
    }
    DIFF_SECTIONS
        .iter()
        .zip(buckets)
        .filter(|(_, lines)| !lines.is_empty())
        .map(|((da, en), lines)| (lang.pick(da, en), lines))
        .collect()
}

fn diff_heading(diff: &ModelDiff, lang: Lang) -> (String, String) {
    let title = format!(
        "{} ({}) → {} ({})",
        diff.from.0, diff.from.1, diff.to.0, diff.to.1
    );
    let how = match &diff.mapping {
        Some(m) => {
            let steps: Vec<String> = m
                .steps
                .iter()
                .map(|st| {
                    let backwards = if st.reversed {
                        lang.pick(", læst baglæns", ", read backwards")
                    } else {
                        ""
                    };
                    format!(
                        "{} → {} ({} {}{backwards})",
                        st.from,
                        st.to,
                        lang.pick("mappingen i", "the mapping in"),
                        st.declared_in
                    )
                })
                .collect();
            format!(
                "{}: {}",
                lang.pick("Kravene er parret efter", "Requirements are paired by"),
                steps.join("; ")
            )
        }
        None => lang
            .pick(
                "Ingen mapping forbinder modellerne; kravene er parret efter id.",
                "No mapping links the models; requirements are paired by id.",
            )
            .to_owned(),
    };
    (title, how)
}

/// A diff as plain text.
pub fn render_diff_text(diff: &ModelDiff, lang: Lang) -> String {
    let (title, how) = diff_heading(diff, lang);
    let mut out = format!("{title}\n{how}\n");
    if diff.is_empty() {
        let _ = writeln!(out, "{}", lang.pick("Ingen forskelle.", "No differences."));
        return out;
    }
    for (title, lines) in diff_sections(diff, lang) {
        let _ = writeln!(out, "\n{title} ({})", lines.len());
        for line in lines {
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// A diff as Markdown.
pub fn render_diff_markdown(diff: &ModelDiff, lang: Lang) -> String {
    let (title, how) = diff_heading(diff, lang);
    let mut out = format!("# {title}\n\n{how}\n");
    if diff.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick("Ingen forskelle.", "No differences.")
        );
        return out;
    }
    for (title, lines) in diff_sections(diff, lang) {
        let _ = writeln!(out, "\n## {title} ({})\n", lines.len());
        for line in lines {
            let text = block(&line).replace("\n      ", "  \n  ");
            let _ = writeln!(out, "- {text}");
        }
    }
    out
}

/// A proposal table as Markdown: one table row per rule.
pub fn render_proposals_markdown(table: &ProposalTable, lang: Lang) -> String {
    let mut out = format!("# {} (`{}`)\n\n", line(&table.name), table.id);
    if let Some(d) = &table.description {
        let _ = writeln!(out, "{}\n", block(d));
    }
    let _ = writeln!(
        out,
        "| # | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
        lang.pick("Svar", "Answers"),
        lang.pick("Dokumenteret", "Documented"),
        lang.pick("Forslag", "Proposal"),
        lang.pick("Sikkerhed", "Confidence"),
        lang.pick("Begrundelse", "Reason")
    );
    for (i, r) in table.rules.iter().enumerate() {
        let answers: Vec<String> = r.answers.iter().map(|a| format!("`{a}`")).collect();
        let doc = match r.documented {
            Some(true) => lang.pick("ja", "yes"),
            Some(false) => lang.pick("nej", "no"),
            None => "–",
        };
        let doc = format!("{doc}{}", conditions(r, lang));
        let _ = writeln!(
            out,
            "| {} | {} | {doc} | {} {} | {}/5 | {} |",
            i + 1,
            answers.join(", "),
            r.rating.symbol(),
            lang.pick(r.rating.label_da(), r.rating.label_en()),
            r.confidence,
            cell(lang.pick(&r.reason, &r.reason_en))
        );
    }
    out
}

/// A rule's conditions on evidence, obligation and flag, e.g. " [evidens: named; skal-krav]".
fn conditions(r: &niveau_model::ProposalRule, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(e) = &r.evidence {
        parts.push(format!(
            "{}: {}",
            lang.pick("evidens", "evidence"),
            e.join(", ")
        ));
    }
    match r.obligation {
        Some(niveau_model::Obligation::Must) => {
            parts.push(lang.pick("skal-krav", "must").to_owned())
        }
        Some(niveau_model::Obligation::Should) => {
            parts.push(lang.pick("anbefaling", "should").to_owned())
        }
        None => {}
    }
    if r.flag {
        parts.push(
            lang.pick("til sekretariatets skøn", "for the secretariat's judgment")
                .to_owned(),
        );
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" [{}]", parts.join("; "))
    }
}

/// A proposal table as plain text.
pub fn render_proposals_text(table: &ProposalTable, lang: Lang) -> String {
    let mut out = format!("{} ({})\n", table.name, table.id);
    if let Some(d) = &table.description {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "Reglerne prøves oppefra; den første, der passer, giver forslaget.",
            "Rules are tried from the top; the first that matches gives the proposal."
        )
    );
    for (i, r) in table.rules.iter().enumerate() {
        let doc = match r.documented {
            Some(true) => lang.pick(" med dokumentation", " with documentation"),
            Some(false) => lang.pick(" uden dokumentation", " without documentation"),
            None => "",
        };
        let doc = format!("{doc}{}", conditions(r, lang));
        let answers = r
            .answers
            .iter()
            .map(|a| match a.as_str() {
                "*" => lang
                    .pick("(ethvert andet svar)", "(any other answer)")
                    .to_owned(),
                "blank" => lang.pick("(tomt)", "(blank)").to_owned(),
                other => format!("\"{other}\""),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "\n{:>2}. {answers}{doc}\n    → {} {} ({} {}/5)\n    {}",
            i + 1,
            r.rating.symbol(),
            lang.pick(r.rating.label_da(), r.rating.label_en()),
            lang.pick("sikkerhed", "confidence"),
            r.confidence,
            lang.pick(&r.reason, &r.reason_en),
        );
    }
    out
}
