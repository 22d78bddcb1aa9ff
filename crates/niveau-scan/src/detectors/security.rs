//! F4: security is thought through — SECURITY.md or a security section, with
//! dependency-update configuration (Dependabot, Renovate) as supporting evidence.

use niveau_model::Rating;

use super::{Detector, files_evidence, finding};
use crate::context::{Context, heading_with, headings};
use crate::finding::{Evidence, Finding};

/// F4 from security documentation.
pub struct Security;

const DEPENDENCY_BOTS: &[&str] = &[
    ".github/dependabot.yml",
    ".github/dependabot.yaml",
    "renovate.json",
    "renovate.json5",
    ".renovaterc",
    ".renovaterc.json",
    ".github/renovate.json",
    ".github/renovate.json5",
    ".gitlab/renovate.json",
];

impl Detector for Security {
    fn id(&self) -> &'static str {
        "security"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F4"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let policy = cx.named(&[".github", "docs", ".gitlab"], &["security"]);
        let bots: Vec<_> = DEPENDENCY_BOTS.iter().filter_map(|p| cx.file(p)).collect();
        let section = cx.readme().and_then(|r| {
            let text = cx.text(r)?;
            let h = headings(&text);
            heading_with(&h, &["security", "sikkerhed"])
                .map(|h| Evidence::line(r.path.clone(), h.line))
        });
        let mut evidence = files_evidence(policy.iter().copied(), 3);
        evidence.extend(section.clone());
        evidence.extend(files_evidence(bots.iter().copied(), 2));
        let supporting = !bots.is_empty();
        let (rating, confidence, da, en) = if !policy.is_empty() {
            (
                Rating::Green,
                if supporting { 4 } else { 3 },
                "Der er en sikkerhedspolitik (SECURITY.md)".to_owned()
                    + if supporting {
                        ", og afhængigheder holdes opdateret automatisk."
                    } else {
                        "."
                    },
                "There is a security policy (SECURITY.md)".to_owned()
                    + if supporting {
                        ", and dependencies are kept up to date automatically."
                    } else {
                        "."
                    },
            )
        } else if section.is_some() {
            (
                Rating::Yellow,
                2,
                "README har et afsnit om sikkerhed, men der er ingen SECURITY.md.".to_owned(),
                "The README has a security section, but there is no SECURITY.md.".to_owned(),
            )
        } else if supporting {
            (
                Rating::Yellow,
                2,
                "Afhængigheder holdes opdateret automatisk, men sikkerhedsarbejdet er ikke beskrevet.".to_owned(),
                "Dependencies are kept up to date automatically, but the security work is not described.".to_owned(),
            )
        } else {
            (
                Rating::Red,
                2,
                "Der er ikke fundet sikkerhedsdokumentation i repositoriet.".to_owned(),
                "No security documentation was found in the repository.".to_owned(),
            )
        };
        vec![finding(
            "F4",
            self.id(),
            rating,
            confidence,
            evidence,
            da,
            en,
        )]
    }
}
