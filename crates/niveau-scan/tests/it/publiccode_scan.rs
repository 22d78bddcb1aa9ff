//! `niveau check` validates the repository's publiccode.yml against the scanned tree: a
//! logo or screenshot must be a file of the commit that was read (issue #15).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::Registry;
use niveau_scan::check::{CheckOptions, CheckReport};
use niveau_scan::{Limits, check_repository};
use niveau_testkit::repo::TestRepo;
use std::path::PathBuf;

const NOW: i64 = 1_795_435_200;

fn reference(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/publiccode-parser-go/v0")
        .join(path);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn check(repo: &TestRepo) -> CheckReport {
    let registry = Registry::builtin().unwrap();
    let opts = CheckOptions {
        model: "os2-1.1.0".into(),
        rev: None,
        limits: Limits::default(),
        now: NOW,
        tool_results: Vec::new(),
    };
    check_repository(repo.path(), &registry, &opts).unwrap()
}

fn problems(report: &CheckReport) -> Vec<String> {
    report
        .publiccode
        .as_ref()
        .unwrap()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn the_logo_and_screenshots_must_be_in_the_scanned_tree() {
    let r = TestRepo::new();
    r.write("publiccode.yml", reference("valid/no-network/valid.yml"));
    r.commit("publiccode.yml without its images", "1795000000 +0000");
    let report = check(&r);
    let summary = report.publiccode.as_ref().unwrap();
    assert_eq!(summary.outcome, "invalid", "{:?}", problems(&report));
    assert_eq!(
        problems(&report),
        vec![
            "14:1: error: logo: the file \"assets/img/logo.png\" does not exist in the repository",
            "168:9: error: description.en.screenshots[0]: the file \"assets/img/sshot1.png\" does not exist in the repository",
            "169:9: error: description.en.screenshots[1]: the file \"assets/img/sshot2.png\" does not exist in the repository",
            "170:9: error: description.en.screenshots[2]: the file \"assets/img/sshot3.png\" does not exist in the repository",
        ]
    );

    // Committed beside it: valid. (The scan reads no image contents; the PNG header is
    // checked by `niveau publiccode validate`.)
    for img in ["logo.png", "sshot1.png", "sshot2.png", "sshot3.png"] {
        r.write(
            format!("assets/img/{img}"),
            reference(&format!("valid/no-network/assets/img/{img}")),
        );
    }
    r.commit("The images", "1795100000 +0000");
    let report = check(&r);
    let summary = report.publiccode.as_ref().unwrap();
    assert_eq!(summary.outcome, "valid", "{:?}", problems(&report));
    assert!(summary.problems.is_empty());
}

#[test]
fn an_unsupported_logo_extension_and_a_path_out_of_the_repository_are_errors() {
    let r = TestRepo::new();
    let text = String::from_utf8(reference("valid/no-network/valid.yml")).unwrap();
    let text = text
        .replace("logo: assets/img/logo.png", "logo: ../logo.svg")
        .replace("      - assets/img/sshot1.png\n", "      - docs/shot.gif\n");
    r.write("publiccode.yml", text);
    r.write("docs/shot.gif", "GIF89a");
    r.write(
        "assets/img/sshot2.png",
        reference("valid/no-network/assets/img/sshot2.png"),
    );
    r.write(
        "assets/img/sshot3.png",
        reference("valid/no-network/assets/img/sshot3.png"),
    );
    r.commit("Odd paths", "1795000000 +0000");
    assert_eq!(
        problems(&check(&r)),
        vec![
            "14:1: error: logo: the file \"../logo.svg\" does not exist in the repository",
            "168:9: error: description.en.screenshots[0]: \"docs/shot.gif\" does not have a supported file extension (.jpg, .png)",
        ]
    );
}
