//! F7: documentation follows OS2's documentation template — the README's sections on
//! purpose, how it works, architecture, installation and running (or docs/architecture),
//! and no unfilled placeholders.

use niveau_model::Rating;

use super::{Detector, finding};
use crate::context::{Context, heading_with, headings, placeholders};
use crate::finding::{Evidence, Finding};

/// F7 from the documentation's structure.
pub struct DocsTemplate;

/// The sections OS2's template asks for, each with the heading words that show it (Danish
/// and English).
pub const SECTIONS: &[(&str, &[&str])] = &[
    (
        "formål",
        &[
            "formål",
            "om ",
            "about",
            "purpose",
            "overview",
            "introduktion",
            "introduction",
            "beskrivelse",
            "description",
        ],
    ),
    (
        "sådan virker det",
        &[
            "sådan virker",
            "hvordan virker",
            "how it works",
            "funktionalitet",
            "features",
            "functionality",
            "brug",
            "usage",
        ],
    ),
    ("arkitektur", &["arkitektur", "architecture"]),
    (
        "installation og drift",
        &[
            "installation",
            "install",
            "kom i gang",
            "getting started",
            "opsætning",
            "setup",
            "deployment",
            "kør",
            "run",
            "drift",
        ],
    ),
];

impl Detector for DocsTemplate {
    fn id(&self) -> &'static str {
        "docs-template"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F7"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let readme = cx.readme();
        let text = readme.and_then(|r| cx.text(r)).unwrap_or_default();
        let h = headings(&text);
        let arch_doc = cx
            .find(|p| {
                p.starts_with("docs/") && p.contains("architect")
                    || p.starts_with("docs/") && p.contains("arkitektur")
            })
            .into_iter()
            .next();
        let mut evidence = Vec::new();
        let mut present = Vec::new();
        let mut missing = Vec::new();
        for (name, words) in SECTIONS {
            let found = heading_with(&h, words);
            match (found, readme) {
                (Some(hd), Some(r)) => {
                    evidence.push(Evidence::line(r.path.clone(), hd.line));
                    present.push(*name);
                }
                _ if *name == "arkitektur" && arch_doc.is_some() => {
                    if let Some(a) = arch_doc {
                        evidence.push(Evidence::file(a.path.clone()));
                    }
                    present.push(*name);
                }
                _ => missing.push(*name),
            }
        }
        let docs_dir = cx
            .files()
            .iter()
            .filter(|f| f.path.starts_with("docs/"))
            .count();
        evidence.push(Evidence::value("docs_files", docs_dir));
        let holes = placeholders(&text);
        let n = present.len();
        let (rating, confidence, da, en) = if readme.is_none() {
            (
                Rating::Red,
                3,
                "Der er ingen README at lægge OS2's dokumentationsskabelon i.".to_owned(),
                "There is no README to follow OS2's documentation template.".to_owned(),
            )
        } else if !holes.is_empty() {
            (
                Rating::Yellow,
                3,
                format!(
                    "Dokumentationen har stadig uudfyldt skabelontekst (linje {}).",
                    holes[0].0
                ),
                format!(
                    "The documentation still has unfilled template text (line {}).",
                    holes[0].0
                ),
            )
        } else if missing.is_empty() {
            (
                Rating::Green,
                3,
                "README har skabelonens afsnit: formål, sådan virker det, arkitektur, installation og drift.".to_owned(),
                "The README has the template's sections: purpose, how it works, architecture, installation and running.".to_owned(),
            )
        } else if n >= 2 {
            (
                Rating::Yellow,
                2,
                format!(
                    "README mangler afsnit fra OS2's skabelon: {}.",
                    missing.join(", ")
                ),
                format!(
                    "The README lacks sections of OS2's template: {}.",
                    missing.join(", ")
                ),
            )
        } else {
            (
                Rating::Red,
                2,
                format!(
                    "Dokumentationen følger ikke OS2's skabelon; mangler: {}.",
                    missing.join(", ")
                ),
                format!(
                    "The documentation does not follow OS2's template; missing: {}.",
                    missing.join(", ")
                ),
            )
        };
        vec![finding(
            "F7",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}
