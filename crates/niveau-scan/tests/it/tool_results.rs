//! Other tools' results (OpenSSF Scorecard, OpenSSF Best Practices): read from the
//! repository or given outside it, mapped to requirements with their source; bad JSON
//! gives a warning with the serde line and column, and the parsers never panic.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use niveau_model::Rating;
use niveau_scan::detectors::tool_results::{
    Status, ToolKind, ToolResultFile, parse_best_practices, parse_scorecard,
};
use niveau_testkit::repo::TestRepo;
use proptest::prelude::*;

use crate::support::{by, check, check_with_tools, days_ago, one, value};

const SCORECARD: &str = include_str!("../fixtures/tools/scorecard.json");
const BEST_PRACTICES: &str = include_str!("../fixtures/tools/bestpractices.json");

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/tools")
        .join(name)
}

fn repo() -> TestRepo {
    let r = TestRepo::new();
    r.write("README.md", "# OS2demo\n");
    r.commit("Første", &days_ago(10));
    r
}

#[test]
fn the_fixtures_parse() {
    let s = parse_scorecard(SCORECARD).unwrap();
    assert_eq!(s.checks.len(), 7);
    assert_eq!(s.score, Some(5.9));
    assert_eq!(
        s.repo.unwrap().name.as_deref(),
        Some("github.com/OS2demo/os2demo")
    );
    let b = parse_best_practices(BEST_PRACTICES).unwrap();
    assert_eq!(b.badge_level.as_deref(), Some("in_progress"));
    assert_eq!(b.status("report_tracker"), Some(Status::Met));
    assert_eq!(
        b.status("vulnerability_report_private"),
        Some(Status::Unmet)
    );
    assert_eq!(b.status("crypto_weaknesses"), Some(Status::NotApplicable));
    assert_eq!(
        b.status("test_continuous_integration"),
        Some(Status::Unknown)
    );
    assert_eq!(b.status("no_such_criterion"), None);
    // The database export's numbers mean the same.
    let n = parse_best_practices(r#"{"report_tracker_status": 3, "build_status": 1}"#).unwrap();
    assert_eq!(n.status("report_tracker"), Some(Status::Met));
    assert_eq!(n.status("build"), Some(Status::Unmet));
}

#[test]
fn a_scorecard_given_on_the_command_line_maps_to_requirements_with_its_source() {
    let path = fixture("scorecard.json");
    let report = check_with_tools(
        &repo(),
        vec![ToolResultFile {
            kind: ToolKind::Scorecard,
            path: path.clone(),
        }],
    );
    let source = path.display().to_string();
    let f4 = one(&report, "tool_results", "F4");
    // Security-Policy 10, Dependency-Update-Tool 0.
    assert_eq!((f4.rating, f4.confidence), (Rating::Yellow, 2));
    assert_eq!(
        value(f4, "scorecard:Security-Policy"),
        Some(format!("10/10 — security policy file detected ({source})").as_str())
    );
    assert!(
        f4.explanation.en.contains("average 5.0 out of 10"),
        "{}",
        f4.explanation.en
    );
    assert_eq!(one(&report, "tool_results", "F2").rating, Rating::Green);
    assert_eq!(one(&report, "tool_results", "F1").rating, Rating::Green);
    // CI-Tests 3; SAST could not run (-1) and is evidence without a score.
    let f16 = one(&report, "tool_results", "F16");
    assert_eq!(f16.rating, Rating::Red);
    assert!(
        value(f16, "scorecard:SAST")
            .unwrap()
            .starts_with("? — internal error")
    );
    assert!(
        by(&report, "tool_results")
            .iter()
            .all(|f| f.requirement.as_str() != "F11")
    );
}

#[test]
fn a_best_practices_json_in_the_repository_is_read() {
    let r = TestRepo::new();
    r.write(".bestpractices.json", BEST_PRACTICES);
    r.commit("Best practices", &days_ago(10));
    let report = check(&r);
    let f11 = one(&report, "tool_results", "F11");
    assert_eq!(f11.rating, Rating::Green);
    assert_eq!(
        value(f11, "bestpractices:report_tracker"),
        Some("Met (badge: in_progress; .bestpractices.json)")
    );
    assert_eq!(one(&report, "tool_results", "F4").rating, Rating::Yellow);
    assert_eq!(one(&report, "tool_results", "F2").rating, Rating::Green);
    assert_eq!(one(&report, "tool_results", "F16").rating, Rating::Green);
}

#[test]
fn bad_json_is_a_warning_with_line_and_column_and_a_missing_file_too() {
    let r = TestRepo::new();
    r.write(
        "scorecard.json",
        "{\n  \"checks\": [\n    {\"name\": 3}\n  ]\n}\n",
    );
    r.commit("Ødelagt", &days_ago(10));
    let report = check_with_tools(
        &r,
        vec![ToolResultFile {
            kind: ToolKind::BestPractices,
            path: PathBuf::from("/no/such/bestpractices.json"),
        }],
    );
    let invalid = report
        .warnings
        .iter()
        .find(|w| w.code == "tool-result-invalid")
        .unwrap();
    assert_eq!(invalid.path.as_deref(), Some("scorecard.json"));
    assert!(
        invalid.message.en.contains("(line 3, column"),
        "{}",
        invalid.message.en
    );
    assert!(
        invalid.message.da.contains("(linje 3, kolonne"),
        "{}",
        invalid.message.da
    );
    let unreadable = report
        .warnings
        .iter()
        .find(|w| w.code == "tool-result-unreadable")
        .unwrap();
    assert_eq!(
        unreadable.path.as_deref(),
        Some("/no/such/bestpractices.json")
    );
    assert!(by(&report, "tool_results").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn parsers_never_panic_on_any_text(text in "\\PC{0,200}") {
        let _ = parse_scorecard(&text);
        let _ = parse_best_practices(&text);
    }

    #[test]
    fn parsers_never_panic_on_cut_or_altered_fixtures(cut in 0usize..4000, at in 0usize..4000, byte in any::<u8>()) {
        for fixture in [SCORECARD, BEST_PRACTICES] {
            let mut bytes = fixture.as_bytes().to_vec();
            let at = at % bytes.len();
            bytes[at] = byte;
            bytes.truncate(cut.max(1).min(bytes.len()));
            let text = String::from_utf8_lossy(&bytes);
            if let Err(p) = parse_scorecard(&text) {
                prop_assert!(!p.message.is_empty());
            }
            if let Err(p) = parse_best_practices(&text) {
                prop_assert!(!p.message.is_empty());
            }
        }
    }
}
