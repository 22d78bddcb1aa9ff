//! F11: public issue tracking tied to code changes — the share of recent commits whose
//! message refers to an issue (#123, owner/repo#123, JIRA-style keys, issue URLs).

use niveau_model::Rating;

use super::{Detector, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding};

/// F11 from commit messages.
pub struct IssueRefs;

/// How far back "recent" goes.
pub const WINDOW_DAYS: i64 = 365;
/// The most recent commits looked at.
pub const MAX_COMMITS: usize = 500;

/// Whether a commit message refers to an issue: `#123`, `owner/repo#123`, `GH-12`,
/// a JIRA-style key (`OS2-42`, `LOOP-7`), or an issue, pull-request or Jira URL.
/// Hand-written: a dozen lines, and a regex dependency would be larger than the rule.
pub fn refers_to_issue(message: &str) -> bool {
    let lower = message.to_lowercase();
    if [
        "/issues/",
        "/pull/",
        "/merge_requests/",
        "/browse/",
        "/-/issues/",
    ]
    .iter()
    .any(|p| lower.contains(p))
    {
        return true;
    }
    let chars: Vec<char> = message.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        // #123 and owner/repo#123.
        if c == '#' && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            return true;
        }
        // KEY-123: two or more upper-case letters or digits, starting with a letter, at
        // a word boundary, and not a well-known non-issue prefix (UTF-8, ISO-8859 …).
        if c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            let mut j = i;
            while j > 0 && (chars[j - 1].is_ascii_uppercase() || chars[j - 1].is_ascii_digit()) {
                j -= 1;
            }
            let key: String = chars[j..i].iter().collect();
            let boundary = j == 0 || !chars[j - 1].is_alphanumeric();
            let starts_upper = key.chars().next().is_some_and(|k| k.is_ascii_uppercase());
            const NOT_ISSUES: &[&str] = &[
                "UTF", "ISO", "SHA", "RFC", "CVE", "TLS", "SSL", "HTTP", "MD", "EN", "DA",
            ];
            if key.len() >= 2 && starts_upper && boundary && !NOT_ISSUES.contains(&key.as_str()) {
                return true;
            }
        }
    }
    false
}

impl Detector for IssueRefs {
    fn id(&self) -> &'static str {
        "issue-refs"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F11"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let recent: Vec<_> = cx
            .snapshot()
            .commits
            .iter()
            .filter(|c| cx.within(c.time, WINDOW_DAYS))
            .take(MAX_COMMITS)
            .collect();
        if recent.is_empty() {
            return vec![finding(
                "F11",
                self.id(),
                Rating::Yellow,
                1,
                Vec::new(),
                "Ingen commits det seneste år; koblingen mellem opgaver og kodeændringer kan ikke ses.",
                "No commits in the last year; the link between issues and code changes cannot be seen.",
            )];
        }
        let linked: Vec<_> = recent
            .iter()
            .filter(|c| refers_to_issue(&c.message))
            .collect();
        let share = linked.len() * 100 / recent.len();
        let mut evidence = vec![
            Evidence::value(
                "commits_with_issue_reference",
                format!("{} / {}", linked.len(), recent.len()),
            ),
            Evidence::value("share_percent", share),
        ];
        evidence.extend(linked.iter().take(3).map(|c| Evidence::Commit {
            id: c.id.clone(),
            summary: c.summary().to_owned(),
        }));
        let (rating, confidence) = if share >= 50 {
            (Rating::Green, 3)
        } else if share >= 20 {
            (Rating::Yellow, 2)
        } else {
            (Rating::Red, 2)
        };
        vec![finding(
            "F11",
            self.id(),
            rating,
            confidence,
            evidence,
            format!(
                "{share} % af de seneste {} commits henviser til en opgave (issue).",
                recent.len()
            ),
            format!(
                "{share}% of the latest {} commits refer to an issue.",
                recent.len()
            ),
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_issue_references() {
        for m in [
            "Fix #123",
            "Merge pull request #7 from x/y",
            "See OS2offdig/niveau#12",
            "OS2-42: ret fejl",
            "LOOP-7 opdater",
            "https://github.com/x/y/issues/3",
            "https://os2web.atlassian.net/browse/IOT-81",
        ] {
            assert!(refers_to_issue(m), "{m}");
        }
        for m in [
            "Update README",
            "Bump version to 1.2-3",
            "utf-8 fix",
            "UTF-8 fix",
            "# Heading",
            "x-1",
            "ISO-8859-1",
        ] {
            assert!(!refers_to_issue(m), "{m}");
        }
    }
}
