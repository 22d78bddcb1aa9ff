//! The detectors: one file per detector, each behind [`Detector`], listed in [`all`].
//! How to add one is described in docs/detectors.md.
//!
//! Detectors propose ratings for requirements of os2-1.1.0 (the check translates them
//! to other models). Each returns at most one finding per requirement it covers.

use niveau_model::{Msg, Rating, RequirementId};

use crate::context::Context;
use crate::finding::{Evidence, Finding};

pub mod activity;
pub mod branches;
pub mod code_drop;
pub mod code_standards;
pub mod container;
pub mod docs_template;
pub mod freshness;
pub mod implementation;
pub mod issue_refs;
pub mod license;
pub mod lock_in;
pub mod operations;
pub mod parallel_versions;
pub mod presentation;
pub mod readme;
pub mod security;
pub mod tool_results;
pub mod training;

/// A detector of evidence for one or more requirements.
pub trait Detector: Send + Sync {
    /// Stable id, e.g. `license`.
    fn id(&self) -> &'static str;
    /// The os2-1.1.0 requirement ids it proposes ratings for.
    fn requirements(&self) -> &'static [&'static str];
    /// Looks at the repository and proposes ratings.
    fn detect(&self, cx: &Context<'_>) -> Vec<Finding>;
}

/// Every detector, in requirement order.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(activity::Activity),
        Box::new(license::License),
        Box::new(security::Security),
        Box::new(readme::Readme),
        Box::new(docs_template::DocsTemplate),
        Box::new(issue_refs::IssueRefs),
        Box::new(branches::Branches),
        Box::new(presentation::Presentation),
        Box::new(implementation::Implementation),
        Box::new(code_standards::CodeStandards),
        Box::new(operations::Operations),
        Box::new(container::Container),
        Box::new(training::Training),
        Box::new(code_drop::CodeDrop),
        Box::new(lock_in::LockIn),
        Box::new(freshness::Freshness),
        Box::new(parallel_versions::ParallelVersions),
        Box::new(tool_results::ToolResults),
    ]
}

/// The requirements some detector covers (os2-1.1.0 ids), in model order.
pub fn automatable() -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = all()
        .iter()
        .flat_map(|d| d.requirements().iter().copied())
        .collect();
    ids.sort_by_key(|id| {
        let (letter, number) = id.split_at(1);
        let theme = match letter {
            "R" => 0,
            "F" => 1,
            "S" => 2,
            _ => 3,
        };
        (theme, number.parse::<u32>().unwrap_or(0))
    });
    ids.dedup();
    ids
}

/// "1 fil" / "2 filer": a count with the singular or plural word.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// How many items [`first_few`] names before it says "…".
pub const FIRST_FEW: usize = 5;

/// A long list as its count and the first few items: "182 grene, fx a, b, c, d, e, …";
/// a list of at most `max` items is given whole ("2 grene: a, b"). `one`/`many` are the
/// singular and plural words, `for_example` is "fx" or "e.g.".
pub fn first_few<S: AsRef<str>>(
    items: &[S],
    max: usize,
    one: &str,
    many: &str,
    for_example: &str,
) -> String {
    let counted = count(items.len(), one, many);
    let shown: Vec<&str> = items.iter().take(max).map(AsRef::as_ref).collect();
    if items.is_empty() {
        counted
    } else if items.len() <= max {
        format!("{counted}: {}", shown.join(", "))
    } else {
        format!("{counted}, {for_example} {}, …", shown.join(", "))
    }
}

/// Builds a finding.
pub fn finding(
    requirement: &str,
    detector: &str,
    rating: Rating,
    confidence: u8,
    evidence: Vec<Evidence>,
    da: impl Into<String>,
    en: impl Into<String>,
) -> Finding {
    Finding {
        requirement: RequirementId::new(requirement),
        detector: detector.to_owned(),
        rating,
        confidence: confidence.clamp(1, 5),
        evidence,
        explanation: Msg::new(da, en),
        rests_on: None,
    }
}

/// Evidence for the files found, at most `max`.
pub fn files_evidence<'a>(
    files: impl IntoIterator<Item = &'a crate::source::FileEntry>,
    max: usize,
) -> Vec<Evidence> {
    files
        .into_iter()
        .take(max)
        .map(|f| Evidence::file(f.path.clone()))
        .collect()
}

/// Documents (by extension) whose file name contains one of `words`, lower-case.
pub fn documents<'c>(
    cx: &'c Context<'_>,
    extensions: &[&str],
    words: &[&str],
) -> Vec<&'c crate::source::FileEntry> {
    cx.find(|p| {
        let name = p.rsplit('/').next().unwrap_or(p);
        extensions.iter().any(|e| p.ends_with(e)) && words.iter().any(|w| name.contains(w))
    })
}

/// A "material may live outside the repository" finding for the low-confidence
/// detectors (F13, F15, F20): Green with confidence 2 when files are found, otherwise
/// Red with confidence 1.
pub fn material_finding(
    requirement: &str,
    detector: &str,
    found: &[&crate::source::FileEntry],
    what_da: &str,
    what_en: &str,
) -> Finding {
    if found.is_empty() {
        finding(
            requirement,
            detector,
            Rating::Red,
            1,
            Vec::new(),
            format!(
                "Der er ikke fundet {what_da} i repositoriet; det kan ligge andre steder, fx på os2.eu."
            ),
            format!("No {what_en} found in the repository; it may live elsewhere, e.g. on os2.eu."),
        )
    } else {
        finding(
            requirement,
            detector,
            Rating::Green,
            2,
            files_evidence(found.iter().copied(), 5),
            format!(
                "Repositoriet har {what_da} ({}); indholdet skal vurderes af en person.",
                count(found.len(), "fil", "filer")
            ),
            format!(
                "Found {what_en} in the repository ({}); a person must judge the content.",
                count(found.len(), "file", "files")
            ),
        )
    }
}
