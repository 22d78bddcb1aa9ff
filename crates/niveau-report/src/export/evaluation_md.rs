//! The official evaluation report (evalueringsrapport), template 0.9.2, as OS2's own
//! generator writes it: header, summary sections, one table per theme, both count
//! tables, a pie chart per level and in total whose colours follow their slices, and
//! OS2's fixed closing text.

use std::fmt::Write as _;

use niveau_model::{Counts, Evaluation, Model, Rating, count};

use super::{date_text, level_label, md_cell, retired_note};
use crate::document::Report;
use crate::markdown::{self, FrontValue};

const FOOTER: &str = include_str!("../../templates/evaluation-0.9.2-footer.md");

/// OS2's colours for the ratings, as the template's comment lists them.
pub fn colour(r: Rating) -> &'static str {
    match r {
        Rating::Green => "#008000",
        Rating::Yellow => "#FFFF00",
        Rating::Red => "#FF0000",
        Rating::Grey => "#808080",
    }
}

/// Percent rounded half up, as OS2's generator does (29 of 43 → 67).
pub fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        0
    } else {
        (part * 200 + whole) / (whole * 2)
    }
}

/// The slices of a pie in the order mermaid draws them (largest first; ties in the
/// order 🟢 🟡 🔴 ⚪), so that `pie1`, `pie2`, … can be given the right colours.
pub fn slice_order(c: &Counts) -> Vec<(Rating, u32)> {
    let mut slices: Vec<(Rating, u32)> = Rating::ALL.iter().map(|&r| (r, c.get(r))).collect();
    slices.sort_by_key(|s| std::cmp::Reverse(s.1));
    slices
}

fn pie(out: &mut String, title: &str, c: &Counts) {
    let slices = slice_order(c);
    let total: u32 = slices.iter().map(|(_, n)| n).sum();
    out.push_str("```mermaid\n%%{init: {\"themeVariables\": {\n");
    let vars: Vec<String> = slices
        .iter()
        .enumerate()
        .map(|(i, (r, _))| format!("\t\"pie{}\": \"{}\"", i + 1, colour(*r)))
        .collect();
    out.push_str(&vars.join(", "));
    out.push_str("\n}}}%%\npie showData\n");
    let _ = writeln!(out, "\ttitle {title}");
    for (r, n) in &slices {
        let _ = writeln!(out, "\t\"{} {}%\" : {n}", r.label_da(), percent(*n, total));
    }
    out.push_str("```\n\n");
}

/// The theme × level cell: `🟢 1 🟡 0 🔴 0 ⚪ 0`.
fn symbols(c: &Counts) -> String {
    Rating::ALL
        .iter()
        .map(|r| format!("{} {}", r.symbol(), c.get(*r)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn section(out: &mut String, title: &str, text: Option<&str>, placeholder: &str) {
    let _ = writeln!(out, "## {title}");
    let body = text.map(markdown::block);
    let _ = writeln!(out, "{}\n", body.as_deref().unwrap_or(placeholder));
}

/// The template's "Anbefaling": the overall recommendation, followed by the
/// per-requirement recommendations as points (the template asks for "et overblik over
/// anbefalinger - gerne i punktform"), in the model's order: `* **F7** Krav: tekst`.
fn recommendations(out: &mut String, evaluation: &Evaluation, model: &Model) {
    let points: Vec<String> = model
        .requirements()
        .iter()
        .filter_map(|r| {
            let entry = evaluation.ratings.iter().find(|e| e.requirement == r.id)?;
            let text = entry.recommendation.as_deref()?.trim();
            (!text.is_empty()).then(|| {
                format!(
                    "* **{}** {}: {}",
                    r.id,
                    markdown::line(r.short_text.as_deref().unwrap_or(&r.text)),
                    markdown::line(text)
                )
            })
        })
        .collect();
    if points.is_empty() {
        section(
            out,
            "Anbefaling",
            evaluation.recommendation.as_deref(),
            "[Her skrives et overblik over anbefalinger - gerne i punktform]",
        );
        return;
    }
    out.push_str("## Anbefaling\n");
    if let Some(text) = evaluation.recommendation.as_deref() {
        let _ = writeln!(out, "{}\n", markdown::block(text));
    }
    let _ = writeln!(out, "{}\n", points.join("\n"));
}

/// "Hvor mange krav er der?", counted from the model.
fn how_many(out: &mut String, model: &Model) {
    out.push_str("## Hvor mange krav er der?\n\n### Antal krav fordelt på tema\n");
    let total = model.requirements().len();
    for theme in model.themes() {
        let reqs: Vec<_> = model.requirements_in(&theme.id).collect();
        let (Some(first), Some(last)) = (reqs.first(), reqs.last()) else {
            continue;
        };
        let _ = writeln!(
            out,
            "* {}: *{} krav* ({}–{}{})",
            theme.name,
            reqs.len(),
            first.id,
            last.id,
            retired_note(model, &theme.id)
        );
    }
    let _ = writeln!(out, "* *I alt: {total} krav*\n");
    out.push_str("### Antal krav fordelt på niveau\n\nBemærk at der nedarves så et niveau 2 produkt skal også efterleve sandkasse og niveau 2.\n\n");
    let mut cumulative = 0;
    for (i, level) in model.levels().iter().enumerate() {
        let n = model.requirements_at(&level.id).count();
        cumulative += n;
        if i == 0 {
            let _ = writeln!(out, "* {}: *{n} krav*", level.name);
        } else {
            let _ = writeln!(out, "* {}: *{n} krav* ({cumulative} i alt)", level.name);
        }
    }
    let _ = writeln!(out, "* *I alt: {total} krav*");
}

/// Writes `evaluation` in OS2's evaluation report template 0.9.2.
pub fn render(report: &Report, evaluation: &Evaluation, model: &Model) -> String {
    let mut out = String::new();
    let title = format!("{} evaluering", evaluation.product);
    let front = markdown::front_matter(
        report.metadata.front_matter.as_deref(),
        &[
            ("title", FrontValue::Text(&title)),
            ("layout", FrontValue::Text("default")),
            ("parent", FrontValue::Text("Evalueringsrapporter")),
            ("nav_exclude", FrontValue::Literal("true")),
        ],
    );
    let _ = writeln!(out, "---\n{front}\n---\n");
    let product = if evaluation.product.trim().is_empty() {
        "[Produktnavn]".to_owned()
    } else {
        markdown::line(&evaluation.product)
    };
    let draft = if report.metadata.draft {
        "[KLADDE] "
    } else {
        ""
    };
    let _ = writeln!(out, "# {draft}Evaluering af OS2-produkt: {product}\n");
    out.push_str("> **📄 Dokumentinformation**<br/>\n");
    let _ = writeln!(
        out,
        "> **Version for anvendt evalueringsskabelon:** 0.9.2<br/>"
    );
    let _ = writeln!(
        out,
        "> **Dato for udfyldelse:** {}<br/>",
        markdown::line(&date_text(
            evaluation.date,
            report.metadata.date_original.as_deref()
        ))
    );
    let _ = writeln!(
        out,
        "> **Evaluering lavet af:** {}<br/>",
        evaluation
            .evaluated_by
            .as_deref()
            .map(markdown::line)
            .unwrap_or_else(|| "[Navn]".to_owned())
    );
    let repository = evaluation.repository.clone().or_else(|| {
        report
            .self_evaluation
            .as_ref()
            .and_then(|s| s.repository.clone())
    });
    let _ = writeln!(
        out,
        "> **Link til Git organisation:** {}<br/>",
        repository
            .as_deref()
            .map(markdown::line)
            .unwrap_or_else(|| "[indsæt link til git organisation/repo]".to_owned())
    );
    if report.model.id.as_str() != "os2-1.1.0" {
        let _ = writeln!(out, "> **Governancemodel:** {}<br/>", report.model.id);
    }
    out.push('\n');
    section(
        &mut out,
        "Resumé",
        evaluation.summary.as_deref(),
        "[Her skrives et kort resumé af den samlede vurdering og anbefaling.]",
    );
    section(
        &mut out,
        "Overordnet vurdering",
        evaluation.overall.as_deref(),
        "[Her skrives en samlet vurdering: hvilke styrker, hvilke forbedringspunkter, anbefalinger til næste skridt.]",
    );
    recommendations(&mut out, evaluation, model);
    out.push_str("---\n\n# Evaluering i henhold til krav i OS2s styringsmodel\n\n");
    for theme in model.themes() {
        let reqs: Vec<_> = model.requirements_in(&theme.id).collect();
        let wide = reqs.iter().any(|r| r.id.as_str().len() >= 3);
        let _ = writeln!(out, "## {}\n", theme.name.to_uppercase());
        out.push_str(
            "| # | Niveau | Krav | Vurderingskriterie | Vurdering | Vurderingsgrundlag |\n",
        );
        if wide {
            out.push_str("|------|-----------|------|--------------------|-----------|--------------------|\n");
        } else {
            out.push_str("|-----|-----------|------|--------------------|-----------|--------------------|\n");
        }
        for r in reqs {
            let entry = evaluation.ratings.iter().find(|e| e.requirement == r.id);
            let rating = entry
                .and_then(|e| e.rating)
                .map(|r| r.symbol().to_owned())
                .unwrap_or_else(|| "🟢 / 🟡 / 🔴 / ⚪".to_owned());
            let basis = entry.and_then(|e| e.basis.as_deref()).unwrap_or_default();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |",
                r.id,
                level_label(model, &r.level),
                md_cell(r.short_text.as_deref().unwrap_or(&r.text)),
                md_cell(r.criterion.as_deref().unwrap_or_default()),
                rating,
                md_cell(basis)
            );
        }
        out.push('\n');
    }
    let tables = count(model, &evaluation.ratings());
    out.push_str("# Optælling af vurderinger pr. niveau og tema\n\n");
    out.push_str("| Niveau / Vurdering | 🟢 Grøn | 🟡 Gul | 🔴 Rød | ⚪ Grå |\n");
    out.push_str("|-------------------------|---------|--------|--------|--------|\n");
    for (level, c) in &tables.by_level {
        let name = model
            .level(level.as_str())
            .map(|l| l.name.as_str())
            .unwrap_or(level.as_str());
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {} | {} |",
            c.green, c.yellow, c.red, c.grey
        );
    }
    let t = &tables.total;
    let _ = writeln!(
        out,
        "| **Total** | {} | {} | {} | {} |\n",
        t.green, t.yellow, t.red, t.grey
    );
    let level_names: Vec<&str> = model.levels().iter().map(|l| l.name.as_str()).collect();
    let _ = writeln!(
        out,
        "| Tema / Niveau | {} | Total |",
        level_names.join(" | ")
    );
    let _ = writeln!(out, "|---|{}---|", "---|".repeat(level_names.len()));
    for row in &tables.by_theme {
        let name = model
            .theme(row.theme.as_str())
            .map(|t| t.name.as_str())
            .unwrap_or(row.theme.as_str());
        let cells: Vec<String> = row.per_level.iter().map(|(_, c)| symbols(c)).collect();
        let _ = writeln!(
            out,
            "| {name} | {} | {} |",
            cells.join(" | "),
            symbols(&row.total)
        );
    }
    out.push('\n');
    for (level, c) in &tables.by_level {
        let Some(l) = model.level(level.as_str()) else {
            continue;
        };
        let n = model.requirements_at(&l.id).count();
        pie(&mut out, &format!("{} ({n} krav)", l.name), c);
    }
    pie(
        &mut out,
        &format!("Samlet ({} krav)", model.requirements().len()),
        &tables.total,
    );
    let footer = FOOTER
        .split_once("-->\n")
        .map(|(_, rest)| rest)
        .unwrap_or(FOOTER);
    out.push_str(footer);
    how_many(&mut out, model);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(29, 43), 67);
        assert_eq!(percent(10, 43), 23);
        assert_eq!(percent(4, 43), 9);
        assert_eq!(percent(10, 19), 53);
        assert_eq!(percent(9, 19), 47);
        assert_eq!(percent(1, 2), 50);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
    }

    #[test]
    fn slices_keep_their_colours_in_any_order() {
        let c = Counts {
            green: 4,
            yellow: 0,
            red: 0,
            grey: 4,
            unrated: 0,
        };
        let order: Vec<Rating> = slice_order(&c).into_iter().map(|(r, _)| r).collect();
        assert_eq!(
            order,
            [Rating::Green, Rating::Grey, Rating::Yellow, Rating::Red]
        );
        let c = Counts {
            green: 1,
            yellow: 2,
            red: 9,
            grey: 0,
            unrated: 0,
        };
        let order: Vec<Rating> = slice_order(&c).into_iter().map(|(r, _)| r).collect();
        assert_eq!(
            order,
            [Rating::Red, Rating::Yellow, Rating::Green, Rating::Grey]
        );
    }
}
