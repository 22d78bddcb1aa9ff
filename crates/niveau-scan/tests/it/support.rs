//! Helpers shared by the modules of the new detectors (#15): a fixed "now", a check of
//! a test repository, and look-ups of findings by detector.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]

use std::sync::LazyLock;

use niveau_model::Registry;
use niveau_scan::check::{CheckOptions, CheckReport};
use niveau_scan::detectors::tool_results::ToolResultFile;
use niveau_scan::{Evidence, Finding, Limits, check_repository};
use niveau_testkit::repo::TestRepo;

/// "Now" in these tests: 2026-11-23 12:00 UTC.
pub const NOW: i64 = 1_795_435_200;
/// Seconds in a day.
pub const DAY: i64 = 86_400;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::builtin().unwrap());

/// A date `days` before [`NOW`], as git takes it.
pub fn days_ago(days: i64) -> String {
    format!("{} +0000", NOW - days * DAY)
}

/// Checks `repo` at [`NOW`].
pub fn check(repo: &TestRepo) -> CheckReport {
    check_with_tools(repo, Vec::new())
}

/// Checks `repo` with other tools' result files.
pub fn check_with_tools(repo: &TestRepo, tool_results: Vec<ToolResultFile>) -> CheckReport {
    let opts = CheckOptions {
        model: "os2-1.1.0".into(),
        rev: None,
        limits: Limits::default(),
        now: NOW,
        tool_results,
    };
    check_repository(repo.path(), &REGISTRY, &opts).unwrap()
}

/// The findings of one detector.
pub fn by<'r>(report: &'r CheckReport, detector: &str) -> Vec<&'r Finding> {
    report
        .findings
        .iter()
        .filter(|f| f.detector == detector)
        .collect()
}

/// The finding of one detector about one requirement.
pub fn one<'r>(report: &'r CheckReport, detector: &str, requirement: &str) -> &'r Finding {
    by(report, detector)
        .into_iter()
        .find(|f| f.requirement.as_str() == requirement)
        .unwrap_or_else(|| {
            panic!(
                "no {detector} finding for {requirement}: {:#?}",
                report.findings
            )
        })
}

/// A value of a finding's evidence.
pub fn value<'f>(f: &'f Finding, name: &str) -> Option<&'f str> {
    f.evidence.iter().find_map(|e| match e {
        Evidence::Value { name: n, value } if n == name => Some(value.as_str()),
        _ => None,
    })
}

/// The file locations of a finding's evidence, as `path:line`.
pub fn locations(f: &Finding) -> Vec<String> {
    f.evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::File { path, line } => Some(match line {
                Some(l) => format!("{path}:{l}"),
                None => path.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// One commit of [`history`]: summary, author name, e-mail, days before [`NOW`], and
/// the files it writes (path, content).
pub type Drop<'a> = (&'a str, &'a str, &'a str, i64, Vec<(String, String)>);

/// A `git fast-import` stream of `commits` on `refs/heads/main`: each is
/// `(summary, author, email, days before NOW, files)` and writes every file given.
pub fn history(commits: &[Drop<'_>]) -> Vec<u8> {
    let mut s: Vec<u8> = Vec::new();
    for (summary, name, email, days, files) in commits {
        let t = NOW - days * DAY;
        s.extend_from_slice(b"commit refs/heads/main\n");
        s.extend_from_slice(format!("author {name} <{email}> {t} +0000\n").as_bytes());
        s.extend_from_slice(format!("committer {name} <{email}> {t} +0000\n").as_bytes());
        s.extend_from_slice(format!("data {}\n{summary}\n", summary.len()).as_bytes());
        for (path, content) in files {
            s.extend_from_slice(
                format!("M 100644 inline {path}\ndata {}\n", content.len()).as_bytes(),
            );
            s.extend_from_slice(content.as_bytes());
            s.push(b'\n');
        }
        s.push(b'\n');
    }
    s
}
