//! Freshness: every finding rests on a commit and date (HEAD by default), and the
//! freshness detector states documents last changed long ago, resting on their last
//! change; the last change is found on the first-parent line.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::Rating;
use niveau_scan::git::GitSource;
use niveau_scan::{Limits, RepoSource};
use niveau_testkit::repo::TestRepo;

use crate::support::{DAY, NOW, by, check, days_ago, locations, one, value};

#[test]
fn findings_rest_on_head_by_default() {
    let r = TestRepo::new();
    r.write("README.md", "# OS2x\n");
    r.commit("Første", &days_ago(30));
    r.write("a.txt", "1");
    let head = r.commit("Anden", &days_ago(3));
    let report = check(&r);
    let activity = one(&report, "activity", "F1");
    let rests = activity.rests_on.as_ref().unwrap();
    assert_eq!(rests.commit, head);
    assert_eq!(rests.time, NOW - 3 * DAY);
    assert_eq!(rests.date, "2026-11-20");
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rests_on.as_ref().is_some_and(|r| r.commit == head))
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["findings"][0]["rests_on"]["date"], "2026-11-20");
}

#[test]
fn security_documentation_over_three_years_old_is_stated_and_rests_on_its_last_change() {
    let r = TestRepo::new();
    r.write(
        "SECURITY.md",
        "# Sikkerhed\n\nSkriv til sikkerhed@kommune.dk.\n",
    );
    r.write("README.md", "# OS2x\n");
    let security_commit = r.commit("Sikkerhedspolitik", &days_ago(1500));
    r.write("README.md", "# OS2x\n\nMere tekst.\n");
    r.commit("README", &days_ago(200));
    r.write("a.txt", "1");
    r.commit("Kode", &days_ago(2));
    let report = check(&r);
    let f = one(&report, "freshness", "F4");
    assert_eq!((f.rating, f.confidence), (Rating::Yellow, 4));
    assert_eq!(f.rests_on.as_ref().unwrap().commit, security_commit);
    assert_eq!(value(f, "last_changed_days_ago"), Some("1500"));
    assert_eq!(value(f, "last_changed"), Some("2022-10-15"));
    assert_eq!(locations(f), vec!["SECURITY.md"]);
    assert!(
        f.explanation.da.contains("over 4 år siden"),
        "{}",
        f.explanation.da
    );
    // The security detector alone says green (confidence 3); the old policy decides.
    let f4 = report
        .requirements
        .iter()
        .find(|q| q.requirement.as_str() == "F4")
        .unwrap();
    assert_eq!(f4.rating, Rating::Yellow);
    // The README changed 200 days ago: fresh, nothing said.
    assert!(
        by(&report, "freshness")
            .iter()
            .all(|f| f.requirement.as_str() != "F5")
    );
}

#[test]
fn recently_changed_documents_are_not_stated() {
    let r = TestRepo::new();
    r.write("SECURITY.md", "# Sikkerhed\n");
    r.write("README.md", "# OS2x\n");
    r.commit("Første", &days_ago(2000));
    r.write("SECURITY.md", "# Sikkerhed\n\nOpdateret.\n");
    r.commit("Opdater politik", &days_ago(100));
    assert!(
        by(&check(&r), "freshness")
            .iter()
            .all(|f| f.requirement.as_str() != "F4")
    );
}

#[test]
fn last_changes_follow_the_first_parent_line_and_report_missing_paths() {
    let r = TestRepo::new();
    r.write("docs/drift.md", "v1");
    r.write("README.md", "v1");
    let root = r.commit("Første", &days_ago(900));
    r.branch("side");
    r.checkout("side");
    r.write("docs/drift.md", "v2");
    r.commit("Drift på gren", &days_ago(500));
    r.checkout("main");
    r.write("a.txt", "1");
    r.commit("Kode", &days_ago(400));
    let merge = r.merge("side", "Flet side", &days_ago(300));
    // A sibling in docs/ changes later: the directory's tree differs, the file does not.
    r.write("a.txt", "2");
    r.write("docs/andet.md", "ny");
    let sibling = r.commit("Mere kode", &days_ago(10));
    let src = GitSource::open(r.path(), None, Limits::default()).unwrap();
    let changes = src
        .last_changes(&["docs/drift.md", "README.md", "no/such.md", "docs/andet.md"])
        .unwrap();
    assert_eq!(changes[0].as_ref().unwrap().commit, merge);
    assert_eq!(changes[1].as_ref().unwrap().commit, root);
    assert_eq!(changes[2], None);
    assert_eq!(changes[3].as_ref().unwrap().commit, sibling);
}
