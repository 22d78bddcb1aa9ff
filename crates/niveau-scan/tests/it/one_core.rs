//! One core code (F12): customer branches and long-unmerged version branches are
//! stated by the parallel-versions detector; ordinary feature branches are not.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::Rating;
use niveau_testkit::repo::TestRepo;

use crate::support::{by, check, days_ago, one};

fn base() -> TestRepo {
    let r = TestRepo::new();
    r.write("a.txt", "1");
    r.commit("Første", &days_ago(900));
    r
}

fn branch_with_commit(r: &TestRepo, name: &str, days: i64) {
    r.branch(name);
    r.checkout(name);
    r.write(format!("{}.txt", name.replace('/', "_")), "x");
    r.commit(&format!("Ændring på {name}"), &days_ago(days));
    r.checkout("main");
}

#[test]
fn customer_and_old_release_branches_are_parallel_versions() {
    let r = base();
    branch_with_commit(&r, "kommune-aarhus", 60);
    branch_with_commit(&r, "release/2023", 500);
    branch_with_commit(&r, "release/2026", 30);
    branch_with_commit(&r, "feature/kort", 20);
    r.write("a.txt", "2");
    r.commit("Videre", &days_ago(5));
    let report = check(&r);
    let f = one(&report, "parallel_versions", "F12");
    assert_eq!((f.rating, f.confidence), (Rating::Yellow, 3));
    let values: Vec<String> = f
        .evidence
        .iter()
        .map(|e| serde_json::to_string(e).unwrap())
        .collect();
    assert_eq!(values.len(), 2, "{values:?}");
    assert!(
        values[0].contains("kommune-aarhus (1 commits, 60 days)"),
        "{values:?}"
    );
    assert!(
        values[1].contains("release/2023 (1 commits, 500 days)"),
        "{values:?}"
    );
    assert!(
        f.explanation.da.contains("1 gren for enkelte kunder"),
        "{}",
        f.explanation.da
    );
    // The branch detector reports the release branch yellow with confidence 2; the
    // customer branch (confidence 3) decides F12.
    let f12 = report
        .requirements
        .iter()
        .find(|q| q.requirement.as_str() == "F12")
        .unwrap();
    assert_eq!(f12.rating, Rating::Yellow);
    assert_eq!(f12.confidence, 3);
}

#[test]
fn feature_and_merged_branches_are_not_parallel_versions() {
    let r = base();
    branch_with_commit(&r, "feature/kort", 20);
    branch_with_commit(&r, "release/2026", 30);
    branch_with_commit(&r, "kunde-odense", 400);
    r.merge("kunde-odense", "Flet kunde-odense tilbage", &days_ago(10));
    let report = check(&r);
    assert!(
        by(&report, "parallel_versions").is_empty(),
        "{:#?}",
        by(&report, "parallel_versions")
    );
}
