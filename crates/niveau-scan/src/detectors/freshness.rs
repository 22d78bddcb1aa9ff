//! Freshness of documents: security documentation last changed more than three years
//! ago (OS2's evaluations note "ældre end 3 år"), and README and operations documents
//! last changed more than [`DOCS_MAX_DAYS`] days ago. The last change of every
//! document is found with one bounded walk ([`Context::last_changes`]); each finding
//! rests on the document's last change rather than on HEAD. Says nothing about fresh
//! documents.

use niveau_model::Rating;

use super::{Detector, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding, RestsOn};
use crate::source::FileEntry;

/// The freshness detector.
pub struct Freshness;

/// Security documentation older than this is stale (three years).
pub const SECURITY_MAX_DAYS: i64 = 3 * 365;
/// README and operations documents older than this are stale (three years).
pub const DOCS_MAX_DAYS: i64 = 3 * 365;
/// The most documents looked up.
const MAX_DOCS: usize = 12;

/// A group of documents: the requirement, the age limit and what they are.
struct Group<'c> {
    requirement: &'static str,
    max_days: i64,
    confidence: u8,
    what_da: &'static str,
    what_en: &'static str,
    files: Vec<&'c FileEntry>,
}

impl Detector for Freshness {
    fn id(&self) -> &'static str {
        "freshness"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F4", "F5", "F17"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let mut security = cx.named(&[".github", "docs", ".gitlab"], &["security"]);
        security.truncate(4);
        let readme: Vec<&FileEntry> = cx.readme().into_iter().collect();
        let mut operations = cx.named(
            &["docs", "doc"],
            &[
                "install",
                "operations",
                "drift",
                "deploy",
                "opsætning",
                "opsaetning",
            ],
        );
        operations.retain(|f| {
            let n = f.lower_name();
            n.ends_with(".md") || n.ends_with(".rst") || n.ends_with(".txt") || n.ends_with(".adoc")
        });
        operations.truncate(4);
        let groups = [
            Group {
                requirement: "F4",
                max_days: SECURITY_MAX_DAYS,
                confidence: 4,
                what_da: "Sikkerhedsdokumentationen",
                what_en: "The security documentation",
                files: security,
            },
            Group {
                requirement: "F5",
                max_days: DOCS_MAX_DAYS,
                confidence: 2,
                what_da: "README",
                what_en: "The README",
                files: readme,
            },
            Group {
                requirement: "F17",
                max_days: DOCS_MAX_DAYS,
                confidence: 2,
                what_da: "Driftsdokumentationen",
                what_en: "The operations documentation",
                files: operations,
            },
        ];
        let paths: Vec<&str> = groups
            .iter()
            .flat_map(|g| g.files.iter().map(|f| f.path.as_str()))
            .take(MAX_DOCS)
            .collect();
        if paths.is_empty() {
            return Vec::new();
        }
        let Some(changes) = cx.last_changes(&paths) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for g in &groups {
            // The group is as fresh as its newest document.
            let newest = g
                .files
                .iter()
                .filter_map(|f| {
                    let i = paths.iter().position(|p| *p == f.path)?;
                    let change = changes.get(i)?.as_ref()?;
                    Some((*f, change))
                })
                .max_by_key(|(_, c)| c.time);
            let Some((file, change)) = newest else {
                continue;
            };
            if !cx.older_than(change.time, g.max_days) {
                continue;
            }
            let days = cx.days_ago(change.time);
            let rests = RestsOn::new(change.commit.clone(), change.time);
            let years = days / 365;
            let mut f = finding(
                g.requirement,
                self.id(),
                Rating::Yellow,
                g.confidence,
                vec![
                    Evidence::file(file.path.clone()),
                    Evidence::value("last_changed", &rests.date),
                    Evidence::value("last_changed_days_ago", days),
                    Evidence::Commit {
                        id: change.commit.clone(),
                        summary: format!("last change of {}", file.path),
                    },
                ],
                format!(
                    "{} ({}) er sidst ændret {} for over {years} år siden; er den stadig gældende?",
                    g.what_da, file.path, rests.date
                ),
                format!(
                    "{} ({}) was last changed on {}, over {years} years ago; does it still hold?",
                    g.what_en, file.path, rests.date
                ),
            );
            f.rests_on = Some(rests);
            out.push(f);
        }
        out
    }
}
