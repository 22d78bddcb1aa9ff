//! What an import found, for people: the document, the indicated level and what blocks
//! the next one, warnings and findings.

use std::fmt::Write as _;

use niveau_model::{
    Gap, Indication, Model, ProposalTable, Ratings, SelfEvaluation, count, indicate,
};
use serde::Serialize;

use crate::document::{DocumentKind, Report};
use crate::lang::Lang;

/// Where the ratings behind an indicated level come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The secretariat's ratings in the document.
    Ratings,
    /// Ratings proposed from the self-evaluation's answers.
    ProposedFromAnswers,
}

/// The level a document indicates.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    /// Where the ratings come from.
    pub basis: Basis,
    /// The ratings used.
    pub ratings: Ratings,
    /// The engine's result.
    pub indication: Indication,
}

/// The ratings of a self-evaluation's answers as the proposal table proposes them.
pub fn proposed_ratings(model: &Model, se: &SelfEvaluation, table: &ProposalTable) -> Ratings {
    table
        .propose_all(model, se)
        .into_iter()
        .map(|p| (p.requirement.clone(), p.rated()))
        .collect()
}

/// Requirements that the document's edition of the model does not have cannot block it:
/// they are rated Grey with that as the explanation.
pub fn excuse_absent(report: &Report, model: &Model, ratings: &mut Ratings) {
    let Some(edition) = report
        .edition
        .as_ref()
        .and_then(|e| model.editions().iter().find(|x| &x.id == e))
    else {
        return;
    };
    for id in &edition.absent {
        ratings.set(
            id.clone(),
            niveau_model::Rated::with_basis(
                niveau_model::Rating::Grey,
                format!("Kravet findes ikke i udgave {} af modellen.", edition.id),
            ),
        );
    }
}

/// The indicated level of a document: from its ratings if it has any, otherwise from
/// ratings proposed from its answers.
pub fn assess(report: &Report, model: &Model, table: &ProposalTable) -> Option<Assessment> {
    let from_ratings = report
        .evaluation
        .as_ref()
        .map(|e| e.ratings())
        .filter(|r| !r.is_empty());
    let (basis, ratings) = match (from_ratings, &report.self_evaluation) {
        (Some(r), _) => (Basis::Ratings, r),
        (None, Some(se)) => (
            Basis::ProposedFromAnswers,
            proposed_ratings(model, se, table),
        ),
        (None, None) => return None,
    };
    let mut ratings = ratings;
    excuse_absent(report, model, &mut ratings);
    let indication = indicate(model, &ratings);
    Some(Assessment {
        basis,
        ratings,
        indication,
    })
}

fn gap_word(gap: Gap, lang: Lang) -> &'static str {
    match gap {
        Gap::NotRated => lang.pick("ikke vurderet", "not rated"),
        Gap::Yellow => lang.pick("gul", "yellow"),
        Gap::Red => lang.pick("rød", "red"),
        Gap::GreyWithoutExplanation => lang.pick("grå uden forklaring", "grey without explanation"),
    }
}

/// "Mangler for Niveau 2: F13 (rød), G5 (gul)".
fn missing_line(model: &Model, next: &niveau_model::NextLevel, lang: Lang) -> String {
    let missing: Vec<String> = next
        .missing
        .iter()
        .map(|u| format!("{} ({})", u.requirement, gap_word(u.gap, lang)))
        .collect();
    format!(
        "{} {}: {}",
        lang.pick("Mangler for", "Missing for"),
        level_name(model, Some(&next.level), lang),
        missing.join(", ")
    )
}

/// The level's display name, or a dash.
fn level_name(model: &Model, id: Option<&niveau_model::LevelId>, lang: Lang) -> String {
    match id {
        Some(id) => model
            .level(id.as_str())
            .map(|l| l.name.clone())
            .unwrap_or_else(|| id.to_string()),
        None => lang.pick("intet niveau", "no level").to_owned(),
    }
}

/// A plain-text account of one imported document, control characters written visibly
/// ([`niveau_model::terminal::printable`]).
pub fn render_import_text(
    report: &Report,
    model: &Model,
    assessment: Option<&Assessment>,
    lang: Lang,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", report.source);
    let product = if report.product().is_empty() {
        lang.pick("(uden produktnavn)", "(no product name)")
    } else {
        report.product()
    };
    let date = report
        .date()
        .map(|d| d.format("%d-%m-%Y").to_string())
        .unwrap_or_else(|| lang.pick("uden dato", "no date").to_owned());
    let edition = report
        .edition
        .as_ref()
        .map(|e| format!(" ({} {e})", lang.pick("udgave", "edition")))
        .unwrap_or_default();
    let draft = if report.metadata.draft {
        lang.pick(" · KLADDE", " · DRAFT")
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "  {} · {} · {} {}{edition} · {product} · {date}{draft}",
        report.kind.label(lang),
        report.generation.name(),
        lang.pick("model", "model"),
        report.model.id,
    );
    if let Some(se) = &report.self_evaluation {
        let answered = se
            .answers
            .iter()
            .filter(|a| a.value != niveau_model::AnswerValue::Unanswered)
            .count();
        let _ = writeln!(
            out,
            "  {}: {answered} {} {}",
            lang.pick("Svar", "Answers"),
            lang.pick("af", "of"),
            se.answers.len()
        );
        if let Some(l) = &se.target_level {
            let _ = writeln!(
                out,
                "  {}: {}",
                lang.pick("Målniveau i rapporten", "Target level in the report"),
                level_name(model, Some(l), lang)
            );
        }
    }
    if let Some(ev) = &report.evaluation {
        let c = count(model, &ev.ratings());
        let _ = writeln!(
            out,
            "  {}: 🟢 {} 🟡 {} 🔴 {} ⚪ {} ({} {})",
            lang.pick("Vurderinger", "Ratings"),
            c.total.green,
            c.total.yellow,
            c.total.red,
            c.total.grey,
            c.total.unrated,
            lang.pick("ikke vurderet", "not rated"),
        );
        if let Some(l) = &ev.recommended_level {
            let _ = writeln!(
                out,
                "  {}: {}",
                lang.pick(
                    "Anbefalet niveau i rapporten",
                    "Level recommended in the report"
                ),
                level_name(model, Some(l), lang)
            );
        }
    }
    if let Some(a) = assessment {
        let basis = match a.basis {
            Basis::Ratings => lang.pick("ud fra vurderingerne", "from the ratings"),
            Basis::ProposedFromAnswers => lang.pick(
                "ud fra svarene, som foreslåede vurderinger",
                "from the answers, as proposed ratings",
            ),
        };
        let _ = writeln!(
            out,
            "  {} ({basis}): {}",
            lang.pick("Vejledende niveau", "Indicated level"),
            level_name(model, a.indication.level.as_ref(), lang)
        );
        if let Some(next) = &a.indication.next {
            let _ = writeln!(out, "  {}", missing_line(model, next, lang));
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(
            out,
            "  {} ({}):",
            lang.pick("Advarsler", "Warnings"),
            report.warnings.len()
        );
        for w in &report.warnings {
            let place = match (w.line, &w.path) {
                (Some(l), _) => format!("{} {l}", lang.pick("linje", "line")),
                (None, Some(p)) => p.clone(),
                (None, None) => "-".into(),
            };
            let _ = writeln!(out, "    {place}: {} [{}]", lang.msg(&w.message), w.code);
        }
    }
    if !report.findings.is_empty() {
        let _ = writeln!(
            out,
            "  {} ({}):",
            lang.pick("Fund", "Findings"),
            report.findings.len()
        );
        for f in &report.findings {
            let place = match (f.line, &f.path) {
                (Some(l), _) => format!("{} {l}", lang.pick("linje", "line")),
                (None, Some(p)) => p.clone(),
                (None, None) => lang.pick("dokumentet", "document").to_owned(),
            };
            let _ = writeln!(out, "    {place}: {} [{}]", lang.msg(&f.message), f.code);
        }
    }
    // Cell texts and file names come from the document: print escapes, do not obey them.
    niveau_model::terminal::printable(&out).into_owned()
}

/// One row of the summary table of a multi-file import.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    /// File.
    pub file: String,
    /// Skipped on purpose (not a report, found in a directory); `result` says why.
    #[serde(default)]
    pub skipped: bool,
    /// `ok` or the error.
    pub result: Result<SummaryOk, String>,
}

/// The summary of a document that imported.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryOk {
    /// Self-evaluation or evaluation.
    pub kind: DocumentKind,
    /// Generation name.
    pub generation: String,
    /// Model id.
    pub model: String,
    /// Product.
    pub product: String,
    /// Indicated level name.
    pub level: String,
    /// Number of warnings.
    pub warnings: usize,
    /// Number of findings.
    pub findings: usize,
}

/// A text table summarising many imports.
pub fn render_summary_table(rows: &[SummaryRow], lang: Lang) -> String {
    let header = [
        lang.pick("FIL", "FILE"),
        lang.pick("RESULTAT", "RESULT"),
        lang.pick("SLAGS", "KIND"),
        lang.pick("GENERATION", "GENERATION"),
        lang.pick("PRODUKT", "PRODUCT"),
        lang.pick("NIVEAU", "LEVEL"),
        lang.pick("ADV.", "WARN."),
        lang.pick("FUND", "FIND."),
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| match &r.result {
            Ok(ok) => vec![
                r.file.clone(),
                "ok".into(),
                ok.kind.label(lang).into(),
                ok.generation.clone(),
                ok.product.clone(),
                ok.level.clone(),
                ok.warnings.to_string(),
                ok.findings.to_string(),
            ],
            // The message goes last, so that its length does not widen the other columns.
            Err(e) => {
                let label = if r.skipped {
                    lang.pick("SPRUNGET OVER", "SKIPPED")
                } else {
                    lang.pick("FEJL", "ERROR")
                };
                let mut row = vec![r.file.clone(), label.into()];
                row.extend(std::iter::repeat_n(String::new(), 5));
                row.push(e.clone());
                row
            }
        })
        .collect();
    crate::text::text_table(&header, &cells)
}

/// The proposals of a draft evaluation, one per requirement, for people.
pub fn render_proposals(proposals: &[niveau_model::Proposal], model: &Model, lang: Lang) -> String {
    let mut out = String::new();
    let ratings: Ratings = proposals
        .iter()
        .map(|p| (p.requirement.clone(), p.rated()))
        .collect();
    for p in proposals {
        let _ = writeln!(
            out,
            "{:<4} {} {:<5} ({} {}/5) {}",
            p.requirement.as_str(),
            p.rating.symbol(),
            lang.pick(p.rating.label_da(), p.rating.label_en()),
            lang.pick("sikkerhed", "confidence"),
            p.confidence,
            lang.pick(&p.reason, &p.reason_en),
        );
    }
    let ind = indicate(model, &ratings);
    let _ = writeln!(
        out,
        "\n{}: {}",
        lang.pick(
            "Vejledende niveau, hvis forslagene bekræftes",
            "Indicated level if the proposals are confirmed"
        ),
        level_name(model, ind.level.as_ref(), lang)
    );
    if let Some(next) = &ind.next {
        let _ = writeln!(out, "{}", missing_line(model, next, lang));
    }
    out
}
