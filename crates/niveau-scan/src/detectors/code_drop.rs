//! F1: is the code developed *here*, or developed elsewhere and dropped in? OS2's
//! secretariat notes "release 2024 r2" code drops and "5 commits since the start" as
//! signs that a product "is developed in another source repository". Signs read:
//!
//! - bulk commits after long gaps: a commit that changes many files after more than
//!   [`GAP_DAYS`] without commits;
//! - release- or import-named commits ("Release 2024 r2", "Import from …", "Sync from
//!   internal") that are also bulk;
//! - few, large commits: a short history for a large tree;
//! - all history from one account, or from a bot;
//! - a README that points development to another repository ("development happens at
//!   …", "udviklingen foregår i …", mirror notices).
//!
//! Change sizes cost a tree diff each ([`Context::changed_files`]), so only the commits
//! that could be a sign are measured: the first, those after a gap and the
//! release-named ones, at most [`MAX_MEASURED`] in all. (An even sample of the rest was
//! measured once; it could never become a sign and was a sixth of a long history's
//! scan time.) Says nothing when no sign is found: activity (F1) speaks
//! for an openly developed repository.

use std::collections::BTreeSet;

use niveau_model::Rating;

use super::{Detector, count, finding};
use crate::context::{Context, DAY};
use crate::finding::{Evidence, Finding};
use crate::source::CommitInfo;

/// The code-drop detector.
pub struct CodeDrop;

/// A pause longer than this, in days, before a commit is a gap.
pub const GAP_DAYS: i64 = 90;
/// The most commits whose change size is measured.
pub const MAX_MEASURED: usize = 200;
/// A commit changing at least this many files is bulk (or a quarter of the tree, if
/// that is smaller, and at least [`MIN_BULK_FILES`]).
pub const BULK_FILES: usize = 500;
/// The smallest change that can count as bulk.
pub const MIN_BULK_FILES: usize = 50;
/// A history of at most this many commits is short.
pub const FEW_COMMITS: usize = 20;

/// Words of commit summaries that name a release or an import (lower-case).
const DROP_WORDS: &[&str] = &[
    "import from",
    "imported from",
    "import of",
    "sync from",
    "synced from",
    "sync with internal",
    "sync to public",
    "code drop",
    "initial import",
    "kodeaflevering",
    "aflevering",
    "overført fra",
    "importeret fra",
    "synkroniseret fra",
];

/// README phrases that send development elsewhere (lower-case).
const ELSEWHERE_PHRASES: &[&str] = &[
    "development happens",
    "development takes place",
    "developed in a private",
    "developed internally",
    "is a mirror",
    "read-only mirror",
    "readonly mirror",
    "mirrored from",
    "this repository is mirrored",
    "do not submit pull requests",
    "pull requests are not accepted",
    "we do not accept pull requests",
    "udviklingen foregår",
    "udvikles i et andet",
    "udvikles internt",
    "udvikles hos",
    "er et spejl",
    "spejlet fra",
    "pull requests modtages ikke",
];

/// The 1-based numbers of the README lines that send development elsewhere, at most
/// three. The phrases speak of this repository ("is a mirror", "mirrored from"); a line
/// that merely mentions a mirror of something else ("reads a mirror of the OS2mo
/// repository") does not count, and neither does text in fenced code blocks.
pub fn elsewhere_lines(readme: &str) -> Vec<usize> {
    let mut fenced = false;
    let mut found = Vec::new();
    for (i, line) in readme.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let l = line.to_lowercase();
        if ELSEWHERE_PHRASES.iter().any(|p| l.contains(p)) {
            found.push(i + 1);
            if found.len() == 3 {
                break;
            }
        }
    }
    found
}

/// Whether a summary names a release or an import.
pub fn is_drop_named(summary: &str) -> bool {
    let s = format!("{} ", summary.to_lowercase());
    if s.starts_with("chore(release)") || s.starts_with("chore: release") || s.contains("[skip ci]")
    {
        // Release tooling (semantic-release and the like) bumps versions; it does not
        // import code.
        return false;
    }
    if DROP_WORDS.iter().any(|w| {
        s.match_indices(w)
            .any(|(i, _)| i == 0 || s[..i].ends_with(' '))
    }) {
        return true;
    }
    // "Release 2024 r2", "release v3", "Version 4.1 release": the word release next to a
    // version, among the first words.
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .filter(|w| !w.is_empty())
        .take(4)
        .collect();
    let versionish = |w: &str| {
        let w = w.strip_prefix('v').unwrap_or(w);
        w.chars().next().is_some_and(|c| c.is_ascii_digit())
    };
    words.iter().enumerate().any(|(i, w)| {
        matches!(*w, "release" | "udgivelse")
            && (words.get(i + 1).is_some_and(|n| versionish(n))
                || i > 0 && words.get(i - 1).is_some_and(|p| versionish(p)))
    })
}

/// Whether an author looks like a bot.
fn is_bot(c: &CommitInfo) -> bool {
    let name = c.author_name.to_lowercase();
    name.ends_with("[bot]")
        || name.ends_with(" bot")
        || name.contains("mirror")
        || c.author_email.contains("[bot]")
        || c.author_email.starts_with("bot@")
}

/// Which commits (indices into the time-ordered list) to measure: every commit after a
/// gap, every drop-named one and the first, oldest first, at most [`MAX_MEASURED`].
fn to_measure(ordered: &[&CommitInfo]) -> Vec<usize> {
    let mut chosen: BTreeSet<usize> = BTreeSet::new();
    if !ordered.is_empty() {
        chosen.insert(0);
    }
    for (i, pair) in ordered.windows(2).enumerate() {
        if pair[1].time - pair[0].time > GAP_DAYS * DAY {
            chosen.insert(i + 1);
        }
    }
    for (i, c) in ordered.iter().enumerate() {
        if is_drop_named(c.summary()) {
            chosen.insert(i);
        }
    }
    chosen.into_iter().take(MAX_MEASURED).collect()
}

impl Detector for CodeDrop {
    fn id(&self) -> &'static str {
        "code_drop"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F1"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let snap = cx.snapshot();
        let mut ordered: Vec<&CommitInfo> = snap.commits.iter().collect();
        ordered.sort_by_key(|c| c.time);
        if ordered.is_empty() {
            return Vec::new();
        }
        let tree_files = snap.files.len();
        let bulk_at = BULK_FILES.min(tree_files / 4).max(MIN_BULK_FILES);

        let mut evidence = Vec::new();
        let mut strong = 0usize;
        let mut weak = 0usize;
        let mut signs_da: Vec<String> = Vec::new();
        let mut signs_en: Vec<String> = Vec::new();

        // Bulk commits, after gaps or release-named.
        let mut measured = 0usize;
        let mut bulk = 0usize;
        let mut bulk_after_gap: Vec<(&CommitInfo, usize, i64)> = Vec::new();
        let mut named_drops: Vec<(&CommitInfo, usize)> = Vec::new();
        for i in to_measure(&ordered) {
            let c = ordered[i];
            let Some(n) = cx.changed_files(&c.id) else {
                continue;
            };
            measured += 1;
            if n < bulk_at {
                continue;
            }
            bulk += 1;
            let gap = i
                .checked_sub(1)
                .map(|p| (c.time - ordered[p].time) / DAY)
                .unwrap_or(0);
            if i > 0 && gap > GAP_DAYS {
                bulk_after_gap.push((c, n, gap));
            }
            if is_drop_named(c.summary()) {
                named_drops.push((c, n));
            }
        }
        evidence.push(Evidence::value("commits_measured", measured));
        evidence.push(Evidence::value("bulk_commits_measured", bulk));
        if !bulk_after_gap.is_empty() {
            strong += 1;
            for (c, n, gap) in bulk_after_gap.iter().take(5) {
                evidence.push(Evidence::Commit {
                    id: c.id.clone(),
                    summary: format!("{} ({n} files after {gap} days)", c.summary()),
                });
            }
            signs_da.push(format!(
                "{} med mange filer efter over {GAP_DAYS} dages pause",
                count(bulk_after_gap.len(), "commit", "commits")
            ));
            signs_en.push(format!(
                "{} changing many files after more than {GAP_DAYS} days of silence",
                count(bulk_after_gap.len(), "commit", "commits")
            ));
        }
        if !named_drops.is_empty() {
            strong += 1;
            for (c, n) in named_drops.iter().take(5) {
                evidence.push(Evidence::Commit {
                    id: c.id.clone(),
                    summary: format!("{} ({n} files)", c.summary()),
                });
            }
            signs_da.push(format!(
                "{} navngivet som udgivelse eller import, der ændrer mange filer",
                count(named_drops.len(), "commit", "commits")
            ));
            signs_en.push(format!(
                "{} named as a release or import that change many files",
                count(named_drops.len(), "commit", "commits")
            ));
        }

        // Few, large commits.
        if snap.history_complete && ordered.len() <= FEW_COMMITS && tree_files >= 100 {
            weak += 1;
            evidence.push(Evidence::value("commits", ordered.len()));
            evidence.push(Evidence::value("files", tree_files));
            signs_da.push(format!(
                "kun {} i alt for {} filer",
                count(ordered.len(), "commit", "commits"),
                tree_files
            ));
            signs_en.push(format!(
                "only {} in all for {} files",
                count(ordered.len(), "commit", "commits"),
                tree_files
            ));
        }

        // One account, or a bot.
        let authors: BTreeSet<&str> = ordered.iter().map(|c| c.author_email.as_str()).collect();
        if ordered.len() >= 3 && authors.len() == 1 {
            let first = ordered[0];
            evidence.push(Evidence::value(
                "only_author",
                format!("{} <{}>", first.author_name, first.author_email),
            ));
            if ordered.iter().all(|c| is_bot(c)) {
                strong += 1;
                signs_da.push("hele historikken er lavet af en bot".to_owned());
                signs_en.push("the whole history was made by a bot".to_owned());
            } else {
                weak += 1;
                signs_da.push("hele historikken er fra én konto".to_owned());
                signs_en.push("the whole history is from one account".to_owned());
            }
        }

        // A README that sends development elsewhere.
        if let Some(readme) = cx.readme()
            && let Some(text) = cx.text(readme)
        {
            let lines = elsewhere_lines(&text);
            if !lines.is_empty() {
                strong += 1;
                for l in &lines {
                    evidence.push(Evidence::line(readme.path.clone(), *l));
                }
                signs_da.push(format!(
                    "{} henviser udviklingen til et andet sted",
                    readme.path
                ));
                signs_en.push(format!("{} points development elsewhere", readme.path));
            }
        }

        if strong == 0 && weak < 2 {
            return Vec::new();
        }
        let (rating, confidence) = if strong >= 2 || (strong == 1 && weak >= 1) {
            (Rating::Red, 4)
        } else if strong == 1 {
            (Rating::Yellow, 3)
        } else {
            (Rating::Yellow, 2)
        };
        vec![finding(
            "F1",
            self.id(),
            rating,
            confidence,
            evidence,
            format!(
                "Tegn på, at koden udvikles et andet sted og afleveres hertil: {}.",
                signs_da.join("; ")
            ),
            format!(
                "Signs that the code is developed elsewhere and dropped here: {}.",
                signs_en.join("; ")
            ),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_and_import_names() {
        assert!(is_drop_named("Release 2024 r2"));
        assert!(is_drop_named("release v3"));
        assert!(is_drop_named("Import from internal GitLab"));
        assert!(is_drop_named("Sync from internal"));
        assert!(is_drop_named("Kodeaflevering marts"));
        assert!(!is_drop_named("chore(release): 12.3.0"));
        assert!(!is_drop_named("Fix release notes typo in parser"));
        assert!(!is_drop_named("Releases are now signed"));
    }

    #[test]
    fn a_readme_sends_development_elsewhere_only_about_itself() {
        assert_eq!(
            elsewhere_lines("# X\n\nThis repository is a mirror of https://git.example/x.\n"),
            vec![3]
        );
        assert_eq!(
            elsewhere_lines("# X\nUdviklingen foregår på GitLab.\nPull requests modtages ikke.\n"),
            vec![2, 3]
        );
        // Niveau's own README (CI failed on this line once): it mentions a mirror of
        // another repository used by a test.
        let niveau = "An ignored test reads a mirror of the real OS2mo repository; run it\n";
        assert!(elsewhere_lines(niveau).is_empty());
        assert!(elsewhere_lines("Spejling af data mellem systemer.\n").is_empty());
        assert!(elsewhere_lines("```\ndevelopment happens elsewhere\n```\n").is_empty());
    }
}
