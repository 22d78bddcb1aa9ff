//! The headline rules (verdicts, the allowed level and why) and whole products of several
//! repositories, on repositories built by the testkit.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::LazyLock;

use niveau_model::{Rating, Registry};
use niveau_scan::check::{CheckOptions, CheckReport, Outcome, Verdict};
use niveau_scan::detectors::first_few;
use niveau_scan::product::{Rule, combine};
use niveau_scan::{Limits, check_repository};
use niveau_testkit::repo::TestRepo;

/// "Now" in these tests: 2026-11-23 12:00 UTC.
const NOW: i64 = 1_795_435_200;
const MPL: &str = include_str!("../../../../LICENSE");

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::builtin().unwrap());

fn days_ago(days: i64) -> String {
    format!("{} +0000", NOW - days * 86_400)
}

fn check(repo: &TestRepo, target: &str) -> CheckReport {
    let opts = CheckOptions {
        model: "os2-1.1.0".into(),
        rev: None,
        limits: Limits::default(),
        now: NOW,
        tool_results: Vec::new(),
    };
    let mut r = check_repository(repo.path(), &REGISTRY, &opts).unwrap();
    r.target = target.to_owned();
    r
}

/// Every document the detectors look for.
fn documents(r: &TestRepo, licence: bool) {
    let mut readme = String::from("# OS2demo\n\n## Formål\n\n");
    readme.push_str(&"OS2demo hjælper kommuner med at holde styr på deres løsninger. ".repeat(12));
    readme.push_str("\n\n## Sådan virker det\n\nx\n\n## Arkitektur\n\ny\n\n## Installation\n\nz\n");
    r.write("README.md", readme);
    if licence {
        r.write("LICENSE", MPL);
    }
    r.write("SECURITY.md", "# Sikkerhed\n");
    r.write("CONTRIBUTING.md", "Kodestandard: rustfmt.\n");
    r.write(".editorconfig", "root = true\n");
    r.write(
        "docs/operations.md",
        "# Drift\n## Deployment\n## Backup\n## Monitoring\n",
    );
    r.write("Dockerfile", "FROM debian\n");
    r.write("docs/presentation.md", "# Præsentation\n");
    r.write("docs/implementation-guide.md", "# Implementering\n");
    r.write("docs/user-guide.md", "# Brugervejledning\n");
}

/// `n` commits by two people, the last `last` days ago, 40 days apart, each touching a
/// file named after `tag` (so that two repositories differ).
fn history(r: &TestRepo, tag: &str, n: i64, last: i64) {
    for i in 0..n {
        r.write(format!("src/{tag}.txt"), format!("{tag} {i}\n"));
        let who = if i % 2 == 0 {
            "anne@kommune.dk"
        } else {
            "bo@leverandor.dk"
        };
        r.commit_as(
            &format!("Fix #{i}: {tag}"),
            "Udvikler",
            who,
            &days_ago(last + (n - 1 - i) * 40),
        );
    }
}

fn verdict(report: &CheckReport, id: &str) -> Verdict {
    report
        .verdicts
        .iter()
        .find(|v| v.requirement.as_str() == id)
        .unwrap()
        .verdict
}

#[test]
fn a_tiny_new_one_person_repository_is_not_given_a_level_from_absence_of_evidence() {
    let r = TestRepo::new();
    documents(&r, true);
    r.commit("Fix #1: alt på én gang", &days_ago(11));
    let report = check(&r, "tiny");
    assert_eq!(verdict(&report, "F1"), Verdict::NoEvidence);
    assert_eq!(report.allowed_level, None);
    assert_eq!(report.outcome, Outcome::NotEnoughEvidence);
    assert_eq!(
        report.allowed_level_reason.da,
        "Ikke nok evidens til et niveau; Sandkasse kræver F1, F2, F4, F5; ingen evidens for F1 (grøn 1/5)."
    );
    assert!(report.allowed_level_reason.en.starts_with("Not enough evidence for a level; Sandkasse requires F1, F2, F4, F5; no evidence for F1 (green 1/5)"));
}

#[test]
fn strong_evidence_carries_level_2_and_never_level_3() {
    let r = TestRepo::new();
    documents(&r, true);
    history(&r, "core", 12, 5);
    let report = check(&r, "strong");
    assert_eq!(report.allowed_level.as_ref().unwrap().as_str(), "2");
    assert_eq!(report.outcome, Outcome::Level);
    assert!(
        report
            .verdicts
            .iter()
            .all(|v| v.verdict == Verdict::Supported),
        "{:?}",
        report.verdicts
    );
    let level3 = report
        .level_reasons
        .iter()
        .find(|l| l.level.as_str() == "3")
        .unwrap();
    assert!(level3.requires.is_empty() && !level3.allowed);
    assert_eq!(level3.not_automatable.len(), 8);
    assert_eq!(report.next.as_ref().unwrap().level.as_str(), "3");
}

#[test]
fn one_low_confidence_red_means_not_enough_evidence_not_no_level() {
    let r = TestRepo::new();
    documents(&r, true);
    r.remove("SECURITY.md");
    history(&r, "core", 12, 5);
    let report = check(&r, "big");
    let f4 = report
        .requirements
        .iter()
        .find(|x| x.requirement.as_str() == "F4")
        .unwrap();
    assert_eq!((f4.rating, f4.confidence), (Rating::Red, 2));
    assert_eq!(verdict(&report, "F4"), Verdict::NoEvidence);
    assert_eq!(report.outcome, Outcome::NotEnoughEvidence);
    assert!(
        report
            .allowed_level_reason
            .da
            .contains("ingen evidens for F4 (rød 2/5)"),
        "{}",
        report.allowed_level_reason.da
    );

    // A confident red (no licence, 4/5) contradicts: no level.
    let bare = TestRepo::new();
    documents(&bare, false);
    history(&bare, "core", 12, 5);
    let report = check(&bare, "unlicensed");
    assert_eq!(verdict(&report, "F2"), Verdict::Contradicted);
    assert_eq!(report.outcome, Outcome::NoLevel);
    assert!(
        report
            .allowed_level_reason
            .da
            .starts_with("Intet niveau; Sandkasse kræver F1, F2, F4, F5; modsagt: F2 (rød"),
        "{}",
        report.allowed_level_reason.da
    );
}

#[test]
fn a_product_needs_a_licence_in_every_main_repository_and_names_the_ones_without() {
    let core = TestRepo::new();
    documents(&core, true);
    history(&core, "core", 12, 5);
    let plugin = TestRepo::new();
    plugin.write("README.md", "# Plugin\n");
    history(&plugin, "plugin", 12, 3);
    let reports = vec![check(&core, "core"), check(&plugin, "plugin")];
    let product = combine("OS2demo", REGISTRY.get("os2-1.1.0").unwrap(), &reports);
    let f2 = product
        .requirements
        .iter()
        .find(|r| r.result.requirement.as_str() == "F2")
        .unwrap();
    assert_eq!(f2.rule, Rule::EveryMain);
    assert_eq!(f2.result.rating, Rating::Red);
    assert_eq!(f2.lacking, vec!["plugin".to_owned()]);
    assert_eq!(f2.decided_by, "plugin");
    assert!(
        f2.result
            .explanation
            .da
            .starts_with("1 af 2 hovedrepositorier mangler det (plugin)."),
        "{}",
        f2.result.explanation.da
    );
    assert_eq!(product.outcome, Outcome::NoLevel);
    // Documentation may live in any repository: the core's README counts.
    let f5 = product
        .requirements
        .iter()
        .find(|r| r.result.requirement.as_str() == "F5")
        .unwrap();
    assert_eq!(
        (f5.rule, f5.decided_by.as_str(), f5.result.rating),
        (Rule::AnyRepository, "core", Rating::Green)
    );
    assert_eq!(f5.repositories.len(), 2);

    // A dormant repository is not a main repository: its missing licence does not decide.
    let dormant = TestRepo::new();
    dormant.write("README.md", "# Gammelt\n");
    history(&dormant, "old", 3, 800);
    let reports = vec![check(&core, "core"), check(&dormant, "dormant")];
    let product = combine("OS2demo", REGISTRY.get("os2-1.1.0").unwrap(), &reports);
    let f2 = product
        .requirements
        .iter()
        .find(|r| r.result.requirement.as_str() == "F2")
        .unwrap();
    assert_eq!(f2.result.rating, Rating::Green);
    assert!(f2.lacking.is_empty());
    let f1 = product
        .requirements
        .iter()
        .find(|r| r.result.requirement.as_str() == "F1")
        .unwrap();
    assert_eq!(
        (f1.decided_by.as_str(), f1.result.rating),
        ("core", Rating::Green)
    );
    assert_eq!(product.allowed_level.as_ref().unwrap().as_str(), "2");
    let rows: Vec<(&str, bool, usize)> = product
        .repositories
        .iter()
        .map(|r| (r.target.as_str(), r.main, r.commits_365_days))
        .collect();
    assert_eq!(rows, vec![("core", true, 10), ("dormant", false, 0)]);
}

#[test]
fn repositories_that_duplicate_each_other_contradict_one_core_code() {
    let core = TestRepo::new();
    documents(&core, true);
    history(&core, "core", 12, 5);
    let copy = core.bare_clone();
    let other = TestRepo::new();
    documents(&other, true);
    for i in 0..20 {
        other.write(format!("src/m{i}.rs"), format!("pub fn f{i}() {{}}\n"));
    }
    history(&other, "other", 12, 5);
    let reports = vec![
        check(&core, "core"),
        check(&copy, "copy"),
        check(&other, "other"),
    ];
    let product = combine("OS2demo", REGISTRY.get("os2-1.1.0").unwrap(), &reports);
    let pairs: Vec<(&str, &str, bool)> = product
        .duplicates
        .iter()
        .map(|d| (d.a.as_str(), d.b.as_str(), d.same_first_commit))
        .collect();
    // core and copy share their first commit and every file; other shares the documents
    // but neither its history nor most of its files.
    assert_eq!(pairs, vec![("core", "copy", true)]);
    assert_eq!(product.duplicates[0].shared_files_percent, Some(100));
    let f12 = product
        .requirements
        .iter()
        .find(|r| r.result.requirement.as_str() == "F12")
        .unwrap();
    assert_eq!(
        (f12.result.rating, f12.result.confidence),
        (Rating::Yellow, 3)
    );
    assert!(
        f12.result.explanation.en.contains("core = copy"),
        "{}",
        f12.result.explanation.en
    );
    assert_eq!(product.outcome, Outcome::Level);
    assert_eq!(product.allowed_level.as_ref().unwrap().as_str(), "1");
}

#[test]
fn long_lists_are_a_count_and_the_first_few() {
    let names: Vec<String> = (1..=182).map(|i| format!("b{i}")).collect();
    assert_eq!(
        first_few(&names, 3, "gren", "grene", "fx"),
        "182 grene, fx b1, b2, b3, …"
    );
    assert_eq!(
        first_few(&names[..2], 3, "branch", "branches", "e.g."),
        "2 branches: b1, b2"
    );
    assert_eq!(
        first_few(&names[..1], 3, "gren", "grene", "fx"),
        "1 gren: b1"
    );

    // The F12 explanation on a repository with many long-lived branches names five.
    let r = TestRepo::new();
    r.write("a.txt", "1");
    r.commit("Start", &days_ago(400));
    for i in 0..12 {
        r.branch(&format!("gammel-{i:02}"));
        r.checkout(&format!("gammel-{i:02}"));
        r.write("b.txt", format!("{i}"));
        r.commit("Egen version", &days_ago(300));
        r.checkout("main");
    }
    let report = check(&r, "branches");
    let f12 = report
        .requirements
        .iter()
        .find(|x| x.requirement.as_str() == "F12")
        .unwrap();
    assert!(
        f12.explanation.da.starts_with("12 grene, fx gammel-00, gammel-01, gammel-02, gammel-03, gammel-04, … har i over 180 dage"),
        "{}",
        f12.explanation.da
    );
}
