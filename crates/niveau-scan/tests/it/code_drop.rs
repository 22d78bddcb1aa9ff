//! The code-drop detector (F1) on generated histories, and the per-commit change
//! sizes it rests on.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::Rating;
use niveau_scan::git::GitSource;
use niveau_scan::{Evidence, Limits, RepoSource};
use niveau_testkit::repo::TestRepo;

use crate::support::{by, check, days_ago, history, locations, one, value};

fn files(n: usize, version: &str) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            (
                format!("src/m{}/f{i}.py", i % 40),
                format!("# {version}\nx = {i}\n"),
            )
        })
        .collect()
}

#[test]
fn five_release_drops_of_2000_files_after_400_day_gaps_are_flagged() {
    let r = TestRepo::new();
    let drops: Vec<_> = [
        ("Release 2022 r1", 1640),
        ("Release 2023 r1", 1240),
        ("Release 2023 r2", 840),
        ("Release 2024 r2", 440),
        ("Release 2025 r1", 40),
    ]
    .iter()
    .map(|(m, d)| {
        (
            *m,
            "Leverandør Build",
            "build@leverandor.dk",
            *d,
            files(2000, m),
        )
    })
    .collect();
    r.fast_import(&history(&drops));
    let report = check(&r);
    let f = one(&report, "code_drop", "F1");
    assert_eq!(f.rating, Rating::Red, "{f:#?}");
    assert_eq!(f.confidence, 4);
    assert_eq!(value(f, "commits_measured"), Some("5"));
    assert_eq!(value(f, "bulk_commits_measured"), Some("5"));
    assert_eq!(
        value(f, "only_author"),
        Some("Leverandør Build <build@leverandor.dk>")
    );
    let commits: Vec<&str> = f
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Commit { summary, .. } => Some(summary.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        commits.contains(&"Release 2024 r2 (2000 files after 400 days)"),
        "{commits:?}"
    );
    assert!(
        commits.contains(&"Release 2022 r1 (2000 files)"),
        "{commits:?}"
    );
    assert!(
        f.explanation.da.contains("udvikles et andet sted"),
        "{}",
        f.explanation.da
    );
    assert!(
        f.explanation
            .en
            .contains("4 commits changing many files after more than 90 days"),
        "{}",
        f.explanation.en
    );
    // The combined F1 takes the code drop's rating: the latest drop was 40 days ago, so
    // activity alone would say green.
    let f1 = report
        .requirements
        .iter()
        .find(|r| r.requirement.as_str() == "F1")
        .unwrap();
    assert_eq!(f1.rating, Rating::Red);
}

#[test]
fn a_normal_active_history_is_not_flagged() {
    let r = TestRepo::new();
    let mut commits = vec![(
        "Første version".to_owned(),
        "Anne",
        "anne@kommune.dk",
        700,
        files(300, "v1"),
    )];
    let people = [
        ("Anne", "anne@kommune.dk"),
        ("Bo", "bo@leverandor.dk"),
        ("Cai", "cai@region.dk"),
    ];
    for i in 0..120 {
        let (name, email) = people[i % 3];
        commits.push((
            format!("Ret fejl {i} i modul {}", i % 40),
            name,
            email,
            690 - i as i64 * 5,
            vec![(
                format!("src/m{}/f{}.py", i % 40, i % 300),
                format!("x = {i}\n"),
            )],
        ));
    }
    let borrowed: Vec<_> = commits
        .iter()
        .map(|(m, n, e, d, f)| (m.as_str(), *n, *e, *d, f.clone()))
        .collect();
    r.fast_import(&history(&borrowed));
    let report = check(&r);
    assert!(
        by(&report, "code_drop").is_empty(),
        "{:#?}",
        by(&report, "code_drop")
    );
}

#[test]
fn a_readme_sending_development_elsewhere_is_flagged_with_its_line() {
    let r = TestRepo::new();
    r.write(
        "README.md",
        "# OS2x\n\nEt produkt.\n\nUdviklingen foregår i leverandørens interne GitLab; dette repositorie er et spejl.\n",
    );
    r.write("src/a.py", "x = 1\n");
    r.commit_as("Første", "Anne", "anne@kommune.dk", &days_ago(30));
    r.write("src/a.py", "x = 2\n");
    r.commit_as("Anden", "Bo", "bo@kommune.dk", &days_ago(10));
    let report = check(&r);
    let f = one(&report, "code_drop", "F1");
    assert_eq!(f.rating, Rating::Yellow);
    assert_eq!(f.confidence, 3);
    assert_eq!(locations(f), vec!["README.md:5"]);
    assert!(
        f.explanation
            .en
            .contains("README.md points development elsewhere")
    );
}

#[test]
fn changed_files_counts_additions_changes_and_removals() {
    let r = TestRepo::new();
    r.write("a.txt", "1")
        .write("d/b.txt", "1")
        .write("d/e/c.txt", "1");
    let root = r.commit("Første", &days_ago(10));
    r.write("a.txt", "2").remove("d/e").write("n/x.txt", "1");
    let second = r.commit("Anden", &days_ago(5));
    let src = GitSource::open(r.path(), None, Limits::default()).unwrap();
    assert_eq!(src.changed_files(&root), Some(3));
    // a.txt changed, d/e/c.txt removed, n/x.txt added.
    assert_eq!(src.changed_files(&second), Some(3));
    assert_eq!(src.changed_files("not-a-commit"), None);
    assert_eq!(src.changed_files(&"0".repeat(40)), None);
}

/// The new detectors on the real OS2mo (an openly developed product): no code drop, no
/// parallel versions, and the cost of the bounded change-size and last-change reads.
/// Run with `NIVEAU_REAL_REPO=/path/to/os2mo.git cargo test -p niveau-scan --test it
/// code_drop::real -- --include-ignored --nocapture`.
#[test]
#[ignore = "needs the OS2mo mirror (NIVEAU_REAL_REPO)"]
fn real_os2mo_is_not_a_code_drop() {
    use niveau_scan::context::Context;
    use niveau_scan::detectors::Detector;
    use niveau_scan::detectors::code_drop::CodeDrop;
    use niveau_scan::detectors::freshness::Freshness;
    use niveau_scan::detectors::lock_in::LockIn;
    use niveau_scan::detectors::parallel_versions::ParallelVersions;
    use std::time::Instant;

    let path = std::env::var_os("NIVEAU_REAL_REPO")
        .expect("NIVEAU_REAL_REPO must name a mirror of OS2mo (bare or work tree)");
    let start = Instant::now();
    let src = GitSource::open(std::path::Path::new(&path), None, Limits::default()).unwrap();
    println!(
        "open: {:?} ({} commits, {} files)",
        start.elapsed(),
        src.snapshot().commits.len(),
        src.snapshot().files.len()
    );
    let cx = Context::new(&src, crate::support::NOW);
    let detectors: [&dyn Detector; 4] = [&CodeDrop, &Freshness, &LockIn, &ParallelVersions];
    for d in detectors {
        let t = Instant::now();
        let found = d.detect(&cx);
        println!("{}: {:?}", d.id(), t.elapsed());
        for f in &found {
            println!(
                "  {} {:?} ({}): {}",
                f.requirement.as_str(),
                f.rating,
                f.confidence,
                f.explanation.en
            );
        }
        if d.id() == "code_drop" || d.id() == "parallel_versions" {
            assert!(found.is_empty(), "{found:#?}");
        }
    }
}
