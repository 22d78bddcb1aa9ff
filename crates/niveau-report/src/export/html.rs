//! An HTML fragment of a document for embedding in a web page: the document
//! information, one table per theme (answers and/or ratings with their texts), both
//! count tables and the charts. All text written by people is rendered from Markdown
//! (comrak) and sanitised (ammonia); everything else is escaped.

use std::fmt::Write as _;

use niveau_model::{AnswerValue, Model, Rating, count};

use crate::document::Report;
use crate::lang::Lang;
use crate::svg;

/// HTML-escapes text for element content and attribute values (see
/// [`crate::text::escape_xml`]).
pub fn escape(text: &str) -> String {
    crate::text::escape_xml(text)
}

/// Markdown written by a person → safe HTML: links kept (with `rel="noopener
/// noreferrer"`), line breaks kept, raw HTML and scripts removed.
pub fn user_markdown(text: &str) -> String {
    let mut options = comrak::Options::default();
    options.render.hardbreaks = true;
    options.extension.autolink = true;
    let html = comrak::markdown_to_html(text, &options);
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&html)
        .to_string()
        .trim()
        .to_owned()
}

fn rating_html(rating: Option<Rating>, lang: Lang) -> String {
    match rating {
        Some(r) => format!(
            "<span class=\"rating rating-{}\"><span aria-hidden=\"true\">{}</span> {}</span>",
            r.as_id(),
            r.symbol(),
            lang.pick(r.label_da(), r.label_en())
        ),
        None => format!(
            "<span class=\"rating rating-none\">{}</span>",
            lang.pick("ikke vurderet", "not rated")
        ),
    }
}

/// Writes the document as an HTML fragment (a `<section>`), in `lang`.
pub fn render(report: &Report, model: &Model, lang: Lang) -> String {
    let mut out = String::new();
    let title = match report.kind {
        crate::document::DocumentKind::SelfEvaluation => {
            lang.pick("Selvevaluering", "Self-evaluation")
        }
        crate::document::DocumentKind::Evaluation => lang.pick("Evaluering", "Evaluation"),
    };
    let _ = writeln!(
        out,
        "<section class=\"niveau-report\" lang=\"{}\">",
        lang.code()
    );
    let _ = writeln!(
        out,
        "<h2>{title}: {}</h2>",
        escape(if report.product().is_empty() {
            lang.pick("(uden produktnavn)", "(no product name)")
        } else {
            report.product()
        })
    );
    out.push_str("<dl class=\"niveau-meta\">\n");
    let mut item = |k: &str, v: &str| {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(k), escape(v));
    };
    item(lang.pick("Model", "Model"), report.model.id.as_str());
    if let Some(d) = report.date() {
        item(lang.pick("Dato", "Date"), &d.format("%d-%m-%Y").to_string());
    }
    if let Some(se) = &report.self_evaluation {
        if let Some(by) = &se.filled_by {
            item(lang.pick("Udfyldt af", "Filled in by"), by);
        }
        if let Some(repo) = &se.repository {
            item(lang.pick("Git-organisation", "Git organisation"), repo);
        }
    }
    if let Some(ev) = &report.evaluation {
        if let Some(by) = &ev.evaluated_by {
            item(lang.pick("Evalueret af", "Evaluated by"), by);
        }
        item(
            lang.pick("Status", "Status"),
            lang.pick(ev.status.label_da(), ev.status.label_en()),
        );
    }
    out.push_str("</dl>\n");
    if let Some(ev) = &report.evaluation {
        for (heading, text) in [
            (lang.pick("Resumé", "Summary"), &ev.summary),
            (
                lang.pick("Overordnet vurdering", "Overall assessment"),
                &ev.overall,
            ),
            (
                lang.pick("Anbefaling", "Recommendation"),
                &ev.recommendation,
            ),
        ] {
            if let Some(t) = text {
                let _ = writeln!(out, "<h3>{}</h3>\n{}", escape(heading), user_markdown(t));
            }
        }
    }
    for theme in model.themes() {
        let _ = writeln!(out, "<table class=\"niveau-requirements\">");
        let _ = writeln!(out, "<caption>{}</caption>", escape(&theme.name));
        out.push_str("<thead><tr>");
        let mut headers = vec![
            "#",
            lang.pick("Niveau", "Level"),
            lang.pick("Krav", "Requirement"),
        ];
        if report.self_evaluation.is_some() {
            headers.push(lang.pick("Svar", "Answer"));
            headers.push(lang.pick("Dokumentation", "Documentation"));
        }
        if report.evaluation.is_some() {
            headers.push(lang.pick("Vurdering", "Rating"));
            headers.push(lang.pick("Vurderingsgrundlag", "Basis"));
        }
        for h in &headers {
            let _ = write!(out, "<th scope=\"col\">{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for r in model.requirements_in(&theme.id) {
            let level = model
                .level(r.level.as_str())
                .map(|l| l.name.as_str())
                .unwrap_or(r.level.as_str());
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td>",
                escape(r.id.as_str()),
                escape(level),
                escape(&r.text)
            );
            if let Some(se) = &report.self_evaluation {
                let a = se.answer(r.id.as_str());
                let value = match a.map(|a| &a.value) {
                    None | Some(AnswerValue::Unanswered) => {
                        lang.pick("ikke besvaret", "not answered").to_owned()
                    }
                    Some(v) => lang.pick(v.label_da(), v.label_en()).to_owned(),
                };
                let doc = a
                    .and_then(|a| a.documentation.as_deref())
                    .map(user_markdown)
                    .unwrap_or_default();
                let _ = write!(out, "<td>{}</td><td>{doc}</td>", escape(&value));
            }
            if let Some(ev) = &report.evaluation {
                let e = ev.ratings.iter().find(|e| e.requirement == r.id);
                let basis = e
                    .and_then(|e| e.basis.as_deref())
                    .map(user_markdown)
                    .unwrap_or_default();
                let _ = write!(
                    out,
                    "<td>{}</td><td>{basis}</td>",
                    rating_html(e.and_then(|e| e.rating), lang)
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
    }
    if let Some(ev) = &report.evaluation {
        let tables = count(model, &ev.ratings());
        let _ = writeln!(
            out,
            "<table class=\"niveau-counts\">\n<caption>{}</caption>",
            lang.pick("Optælling af vurderinger pr. niveau", "Ratings per level")
        );
        let _ = write!(
            out,
            "<thead><tr><th scope=\"col\">{}</th>",
            lang.pick("Niveau", "Level")
        );
        for r in Rating::ALL {
            let _ = write!(
                out,
                "<th scope=\"col\">{}</th>",
                escape(lang.pick(r.label_da(), r.label_en()))
            );
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        let total_label = lang.pick("I alt", "Total");
        let rows = tables
            .by_level
            .iter()
            .map(|(l, c)| {
                (
                    model
                        .level(l.as_str())
                        .map(|x| x.name.clone())
                        .unwrap_or_else(|| l.to_string()),
                    *c,
                )
            })
            .chain(std::iter::once((total_label.to_owned(), tables.total)));
        for (label, c) in rows {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", escape(&label));
            for r in Rating::ALL {
                let _ = write!(out, "<td>{}</td>", c.get(r));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n");
        let _ = writeln!(
            out,
            "<figure class=\"niveau-chart\">{}</figure>",
            svg::level_pies(model, &tables, lang)
        );
        let _ = writeln!(
            out,
            "<figure class=\"niveau-chart\">{}</figure>",
            svg::theme_bars(model, &tables, lang)
        );
    }
    out.push_str("</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_is_sanitised_and_links_kept() {
        let html = user_markdown(
            "Se [her](https://os2.eu)\nog <b onclick=x>fed</b> <script>alert(1)</script>",
        );
        assert!(
            html.contains("<a href=\"https://os2.eu\" rel=\"noopener noreferrer\">her</a>"),
            "{html}"
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(html.contains("<br>"), "{html}");
        let html = user_markdown("[x](javascript:alert(1))");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;"
        );
    }
}
