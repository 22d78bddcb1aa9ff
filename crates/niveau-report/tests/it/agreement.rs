//! Proposals against the secretariat on real pairs of a self-evaluation and its evaluation
//! (tests/pairs, see SOURCES.md there). The goal of issue #12: at least three of four
//! requirements proposed as the secretariat rated them, and never fewer than the naive
//! mapping Ja→🟢, Nej→🔴, Planlagt→🟡. docs/quality.md lists every disagreement.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use niveau_model::{ProposalTable, Rating, Registry};
use niveau_report::agreement::{Agreement, compare};
use niveau_report::import::{ImportOptions, import_bytes};

fn pair_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/pairs")
        .join(name)
}

fn agreement(se: PathBuf, ev: PathBuf) -> Agreement {
    let registry = Registry::builtin().unwrap();
    let opts = ImportOptions::default();
    let read = |p: &PathBuf| {
        import_bytes(
            &std::fs::read(p).unwrap(),
            &p.display().to_string(),
            &registry,
            &opts,
        )
        .unwrap()
    };
    let se = read(&se);
    let ev = read(&ev);
    let answers = se.self_evaluation.as_ref().unwrap();
    let model = registry.get(answers.model.id.as_str()).unwrap();
    compare(answers, &ev, model, &ProposalTable::builtin().unwrap())
}

#[test]
fn os2rollekatalog_three_of_four_and_better_than_naive() {
    let a = agreement(
        pair_path("os2rollekatalog-2026-selvevaluering.md"),
        pair_path("os2rollekatalog-2026-evaluering.md"),
    );
    assert!(!a.generated);
    assert_eq!(a.compared(), 43);
    assert_eq!((a.proposals_agree(), a.naive_agrees()), (34, 25));
    assert!(4 * a.proposals_agree() >= 3 * a.compared());
    // Every disagreement, as docs/quality.md explains them.
    let mut dis: Vec<(String, Rating, Rating)> = a
        .disagreements()
        .map(|r| (r.requirement.clone(), r.secretariat, r.proposal))
        .collect();
    dis.sort();
    use Rating::{Green as G, Grey as E, Red as R, Yellow as Y};
    let expected: Vec<(String, Rating, Rating)> = [
        ("F11", R, Y),
        ("F14", R, E),
        ("F18", Y, G),
        ("F20", Y, G),
        ("F3", R, Y),
        ("F4", R, Y),
        ("R4", Y, G),
        ("S1", Y, G),
        ("S3", Y, G),
    ]
    .into_iter()
    .map(|(id, s, p)| (id.to_owned(), s, p))
    .collect();
    assert_eq!(dis, expected);
    // The claims the naive mapping turned green although they name no evidence or state
    // their own gap, and the secretariat did not: now yellow with the reason.
    let row = |id: &str| a.rows.iter().find(|r| r.requirement == id).unwrap();
    assert_eq!((row("F1").secretariat, row("F1").proposal), (Y, Y));
    assert!(
        row("F1").reason.contains("nævner selv en mangel"),
        "{}",
        row("F1").reason
    );
    assert_eq!((row("F2").secretariat, row("F2").proposal), (Y, Y));
    assert!(row("F2").reason.starts_with("Påstand uden dokumentation"));
    // A named document, a dated external review: green candidates, as the secretariat.
    assert_eq!(row("G10").proposal, G);
    assert_eq!(row("G9").proposal, G);
}

#[test]
fn generated_evaluations_are_no_judgment() {
    let a = agreement(
        pair_path("os2faktor-2026-selvevaluering.md"),
        pair_path("os2faktor-2026-evaluering.md"),
    );
    assert!(a.generated);
    assert_eq!(a.naive_agrees(), 43);
    let os2 = niveau_testkit::fixture_path("os2").join("reports");
    let a = agreement(
        os2.join("selfeval-1.1.0-os2-test.md"),
        os2.join("evaluation-0.9.2-os2-test.md"),
    );
    assert!(a.generated);
}

#[test]
fn an_audit_older_than_the_self_evaluation_is_still_not_worse_than_naive() {
    // OS2-SkadesØkonomi: the 2025 audit precedes the 2026 answers (SOURCES.md).
    let a = agreement(
        pair_path("os2skadesokonomi-2026-selvevaluering.md"),
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/os2-audits/os2-skadesokonomi_assessment.md"),
    );
    assert!(!a.generated);
    assert!(
        a.proposals_agree() >= a.naive_agrees(),
        "{} < {}",
        a.proposals_agree(),
        a.naive_agrees()
    );
}
