//! The official self-evaluation (governancerapport 1.1.0) as OS2's form generator
//! writes it: front matter, title, the document information block, and one table per
//! theme with `# | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation`.
//!
//! Models other than os2-1.1.0 are written in the same layout with their own
//! requirements, and a `Governancemodel` line in the information block so that the
//! document imports against the same model again.

use std::fmt::Write as _;

use niveau_model::{AnswerValue, Model, SelfEvaluation};

use super::{date_text, md_cell};
use crate::document::Report;
use crate::markdown::{self, FrontValue};

/// What the form writes for a requirement without documentation.
pub const NOT_FILLED: &str = "[Ikke udfyldt]";

/// Writes `se` as OS2's governance report 1.1.0.
pub fn render(report: &Report, se: &SelfEvaluation, model: &Model) -> String {
    let mut out = String::new();
    let title = format!("{} governancerapport", se.product);
    let front = markdown::front_matter(
        report.metadata.front_matter.as_deref(),
        &[
            ("title", FrontValue::Text(&title)),
            ("layout", FrontValue::Text("default")),
            ("parent", FrontValue::Text("Selvevalueringer")),
            ("nav_exclude", FrontValue::Literal("true")),
        ],
    );
    let _ = writeln!(out, "---\n{front}\n---\n");
    let product = if se.product.trim().is_empty() {
        "[produktnavn]".to_owned()
    } else {
        markdown::line(&se.product)
    };
    let draft = if report.metadata.draft {
        "[KLADDE] "
    } else {
        ""
    };
    let _ = writeln!(out, "# {draft}Governancerapport for {product}\n");
    out.push_str("> **📄 Dokumentinformation**<br/>\n");
    let version = if model.id().as_str() == "os2-1.1.0" {
        "1.1.0"
    } else {
        model.version()
    };
    let _ = writeln!(
        out,
        "> **Version for anvendt governancerapport:** {version}<br/>"
    );
    let _ = writeln!(
        out,
        "> **Dato for udfyldelse:** {}<br/>",
        markdown::line(&date_text(
            se.date,
            report.metadata.date_original.as_deref()
        ))
    );
    let _ = writeln!(
        out,
        "> **Udfyldt af:** {}<br/>",
        se.filled_by
            .as_deref()
            .map(markdown::line)
            .unwrap_or_else(|| "[Navn]".to_owned())
    );
    let _ = writeln!(
        out,
        "> **Link til Git organisation:** {}<br/>",
        se.repository
            .as_deref()
            .map(markdown::line)
            .unwrap_or_else(|| "[indsæt link til git organisation/repo]".to_owned())
    );
    if model.id().as_str() != "os2-1.1.0" {
        let _ = writeln!(out, "> **Governancemodel:** {}<br/>", model.id());
    }
    if let Some(level) = se
        .target_level
        .as_ref()
        .and_then(|l| model.level(l.as_str()))
    {
        let _ = writeln!(
            out,
            "\n{product} har en målsætning om at efterleve: **{}**.",
            level.name
        );
    }
    for theme in model.themes() {
        let _ = writeln!(out, "\n## {}\n", theme.name.to_uppercase());
        out.push_str(
            "| # | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation |\n",
        );
        out.push_str("| --- | --------------------------------------------- | ------------- | -------------- | ----------- | ------------- |\n");
        for r in model.requirements_in(&theme.id) {
            let answer = se.answer(r.id.as_str());
            let value = answer
                .map(|a| match &a.value {
                    AnswerValue::Unanswered => String::new(),
                    v => v.label_da().to_owned(),
                })
                .unwrap_or_default();
            let doc = answer
                .and_then(|a| a.documentation.as_deref())
                .map(md_cell)
                .unwrap_or_else(|| NOT_FILLED.to_owned());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.id,
                md_cell(&r.text),
                r.level,
                md_cell(r.guideline.as_deref().unwrap_or_default()),
                md_cell(&value),
                doc
            );
        }
    }
    out
}
