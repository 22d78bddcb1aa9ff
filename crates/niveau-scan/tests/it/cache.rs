//! Incremental scans: a stored result is reused while the repository, the scanner and the
//! options are unchanged, and only then; a broken cache never breaks a check.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::LazyLock;

use niveau_model::Registry;
use niveau_scan::cache::{
    CacheKey, CheckCache, SCANNER_VERSION, check_repository_cached, read_state, reusable,
};
use niveau_scan::check::{CheckOptions, CheckReport};
use niveau_scan::{Limits, check_repository, render};
use niveau_testkit::repo::TestRepo;

/// "Now" in these tests: 2026-11-23 12:00 UTC.
const NOW: i64 = 1_795_435_200;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::builtin().unwrap());

fn days_ago(days: i64) -> String {
    format!("{} +0000", NOW - days * 86_400)
}

fn opts() -> CheckOptions {
    CheckOptions {
        model: "os2-1.1.0".into(),
        rev: None,
        limits: Limits::default(),
        now: NOW,
        tool_results: Vec::new(),
    }
}

/// A repository with a licence, a README, a side branch and a publiccode.yml with
/// problems (whose Danish texts the report's JSON leaves out).
fn repo() -> TestRepo {
    let r = TestRepo::new();
    r.write("README.md", "# Demo\n\nDemo hjælper kommunerne.\n")
        .write(
            "LICENSE",
            "Mozilla Public License Version 2.0\n==================================\n",
        )
        .write(
            "publiccode.yml",
            "publiccodeYmlVersion: \"0.4\"\nname: Demo\nlegal:\n  license: MPL-2.0\n",
        );
    r.commit("Fix #1: første version", &days_ago(3));
    r.branch("feature/x");
    r
}

fn cached(r: &TestRepo, cache: &CheckCache, opts: &CheckOptions) -> CheckReport {
    let id = r.path().canonicalize().unwrap().display().to_string();
    check_repository_cached(r.path(), &id, &REGISTRY, opts, cache).unwrap()
}

/// The report without what differs between a scan and its reuse.
fn comparable(mut report: CheckReport) -> CheckReport {
    report.stats.cached = false;
    report.stats.duration_ms = 0;
    report
}

#[test]
fn the_same_commit_returns_the_stored_result() {
    let r = repo();
    let dir = tempfile::tempdir().unwrap();
    let cache = CheckCache::new(dir.path());
    let first = cached(&r, &cache, &opts());
    assert!(!first.stats.cached);
    assert_eq!(first.head.commit, r.head());
    assert_eq!(first.scanner, SCANNER_VERSION);
    assert_eq!(first.stats.scanned_at, NOW);
    assert!(first.head.refs.as_deref().is_some_and(|d| d.len() == 64));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    // An hour later: the stored result, marked, and otherwise the same (the Danish
    // publiccode.yml problems included).
    let later = CheckOptions {
        now: NOW + 3600,
        ..opts()
    };
    let second = cached(&r, &cache, &later);
    assert!(second.stats.cached);
    assert_eq!(second.stats.scanned_at, NOW);
    let problems = &second.publiccode.as_ref().unwrap().problems;
    assert!(!problems.is_empty());
    assert!(problems.iter().all(|p| !p.message_da.is_empty()));
    assert_eq!(comparable(second.clone()), comparable(first.clone()));

    // And the same as a check without the cache.
    let mut plain = check_repository(r.path(), &REGISTRY, &opts()).unwrap();
    plain.head.refs = first.head.refs.clone();
    plain.target = first.target.clone();
    assert_eq!(comparable(plain), comparable(first));

    // The flag shows in the JSON; an unflagged report does not carry it.
    let json: serde_json::Value = serde_json::from_str(&render::json(&second).unwrap()).unwrap();
    assert_eq!(json["stats"]["cached"], true);
    assert_eq!(json["scanner"], SCANNER_VERSION);
    assert_eq!(
        json["head"]["refs"],
        second.head.refs.clone().unwrap().as_str()
    );
}

#[test]
fn a_new_commit_or_branch_is_scanned_again() {
    let r = repo();
    let dir = tempfile::tempdir().unwrap();
    let cache = CheckCache::new(dir.path());
    let first = cached(&r, &cache, &opts());

    r.write("SECURITY.md", "# Sikkerhed\n");
    let new_head = r.commit("Sikkerhedspolitik", &days_ago(1));
    let second = cached(&r, &cache, &opts());
    assert!(!second.stats.cached);
    assert_eq!(second.head.commit, new_head);
    assert_ne!(second.head.commit, first.head.commit);
    assert!(
        second
            .findings
            .iter()
            .any(|f| f.requirement.as_str() == "F4" && f.rating == niveau_model::Rating::Green)
    );
    assert!(cached(&r, &cache, &opts()).stats.cached);

    // HEAD unchanged, but a branch moved: the branch detector reads branches.
    r.checkout("feature/x");
    r.write("x.txt", "x");
    r.commit("Eksperiment", &days_ago(1));
    r.checkout("main");
    assert_eq!(r.head(), new_head);
    let third = cached(&r, &cache, &opts());
    assert!(!third.stats.cached);
    assert_ne!(third.head.refs, second.head.refs);
}

#[test]
fn another_scanner_model_revision_limits_or_day_is_a_miss() {
    let r = repo();
    let dir = tempfile::tempdir().unwrap();
    let cache = CheckCache::new(dir.path());
    let base = cached(&r, &cache, &opts());
    let id = r.path().canonicalize().unwrap().display().to_string();
    let state = read_state(r.path(), None).unwrap();
    let key = CacheKey::new(&id, state.clone(), &opts());
    assert!(cache.get(&key, NOW).is_some());

    // Another scanner version: same file contents, but the key differs.
    let other_scanner = CacheKey {
        scanner: "0.0.0+000000000000".into(),
        ..key.clone()
    };
    assert!(cache.get(&other_scanner, NOW).is_none());
    // An entry whose file name matches but whose key does not (a stale or foreign file).
    let path = dir.path().join(key.file_name());
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace(SCANNER_VERSION, "0.0.0+000000000000")).unwrap();
    assert!(cache.get(&key, NOW).is_none());
    assert!(!cached(&r, &cache, &opts()).stats.cached);
    assert!(cached(&r, &cache, &opts()).stats.cached);

    // Another model, revision or limits: scanned, not reused.
    let os2_2021 = CheckOptions {
        model: "os2-2021".into(),
        ..opts()
    };
    let translated = cached(&r, &cache, &os2_2021);
    assert!(!translated.stats.cached);
    assert_eq!(translated.model.id.as_str(), "os2-2021");
    let rev = CheckOptions {
        rev: Some("main".into()),
        ..opts()
    };
    let at_rev = cached(&r, &cache, &rev);
    assert!(!at_rev.stats.cached);
    assert_eq!(at_rev.head.commit, base.head.commit);
    assert_eq!(at_rev.head.rev.as_deref(), Some("main"));
    assert!(cached(&r, &cache, &rev).stats.cached);
    let limits = CheckOptions {
        limits: Limits {
            max_files: 10,
            ..Limits::default()
        },
        ..opts()
    };
    assert!(!cached(&r, &cache, &limits).stats.cached);

    // The stored result holds until its first time-based finding would change (here the
    // newest commit leaving the 90-day activity window, or sooner): just before that it
    // is reused, from then on — or with the clock turned back — it is scanned again.
    let until = base
        .stats
        .valid_until
        .expect("the activity findings depend on the date");
    assert!(until > NOW, "{until}");
    let just_before = CheckOptions {
        now: until - 1,
        ..opts()
    };
    let later = cached(&r, &cache, &just_before);
    assert!(later.stats.cached);
    assert_eq!(later.stats.scanned_at, base.stats.scanned_at);
    let then = CheckOptions {
        now: until,
        ..opts()
    };
    let rescanned = cached(&r, &cache, &then);
    assert!(!rescanned.stats.cached);
    assert_eq!(rescanned.stats.scanned_at, until);
    assert!(rescanned.stats.valid_until.is_some_and(|v| v > until));
    let earlier = CheckOptions { now: NOW, ..opts() };
    assert!(!cached(&r, &cache, &earlier).stats.cached);
}

#[test]
fn a_corrupt_or_unwritable_cache_means_a_rescan_not_an_error() {
    let r = repo();
    let dir = tempfile::tempdir().unwrap();
    let cache = CheckCache::new(dir.path());
    let first = cached(&r, &cache, &opts());
    let id = r.path().canonicalize().unwrap().display().to_string();
    let key = CacheKey::new(&id, read_state(r.path(), None).unwrap(), &opts());
    let path = dir.path().join(key.file_name());
    for garbage in [
        &b"{\"format\": \"niveau.check-cache/1\", \"key\": "[..],
        b"",
        b"\xff\xfe\0",
    ] {
        std::fs::write(&path, garbage).unwrap();
        let again = cached(&r, &cache, &opts());
        assert!(!again.stats.cached);
        assert_eq!(comparable(again), comparable(first.clone()));
        // Overwritten with a good entry.
        assert!(cache.get(&key, NOW).is_some());
    }

    // A cache "directory" that is a file: nothing stored, the check still works.
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let blocked = CheckCache::new(&file);
    let report = cached(&r, &blocked, &opts());
    assert_eq!(report.head.commit, r.head());
    assert!(!cached(&r, &blocked, &opts()).stats.cached);

    // A path that is no repository: the check's own error, not the cache's.
    let empty = tempfile::tempdir().unwrap();
    let err = check_repository_cached(empty.path(), "x", &REGISTRY, &opts(), &cache).unwrap_err();
    assert!(
        err.to_string()
            .contains(&empty.path().display().to_string()),
        "{err}"
    );
}

#[test]
fn concurrent_writers_never_leave_a_torn_file() {
    let r = repo();
    let dir = tempfile::tempdir().unwrap();
    let cache = CheckCache::new(dir.path());
    let report = cached(&r, &cache, &opts());
    let id = r.path().canonicalize().unwrap().display().to_string();
    let key = CacheKey::new(&id, read_state(r.path(), None).unwrap(), &opts());
    std::fs::remove_file(dir.path().join(key.file_name())).unwrap();
    std::thread::scope(|s| {
        for _ in 0..6 {
            s.spawn(|| {
                for _ in 0..30 {
                    cache.put(&key, &report).unwrap();
                }
            });
        }
        s.spawn(|| {
            for _ in 0..200 {
                // Either not there yet, or whole: never a parse failure of a half file.
                if let Ok(bytes) = std::fs::read(dir.path().join(key.file_name())) {
                    serde_json::from_slice::<serde_json::Value>(&bytes).unwrap();
                }
            }
        });
    });
    let got = cache.get(&key, NOW).unwrap();
    assert_eq!(comparable(got), comparable(report));
    // Only the entry is left: every temporary file was renamed.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_stored_report_is_reusable_only_for_the_same_state_and_scanner() {
    let r = repo();
    let dir = tempfile::tempdir().unwrap();
    let report = cached(&r, &CheckCache::new(dir.path()), &opts());
    let stored: serde_json::Value = serde_json::from_str(&render::json(&report).unwrap()).unwrap();
    let state = read_state(r.path(), None).unwrap();
    assert_eq!(state.commit, r.head());

    let reused = reusable(&stored, &state, &opts()).unwrap();
    assert!(reused.stats.cached);
    assert_eq!(reused.requirements, report.requirements);
    assert_eq!(reused.findings, report.findings);

    let moved = niveau_scan::cache::RepoState {
        commit: "0".repeat(40),
        ..state.clone()
    };
    assert!(reusable(&stored, &moved, &opts()).is_none());
    let mut old = stored.clone();
    old["scanner"] = "0.1.0+aaaaaaaaaaaa".into();
    assert!(reusable(&old, &state, &opts()).is_none());
    let mut before = stored.clone();
    before.as_object_mut().unwrap().remove("scanner");
    assert!(reusable(&before, &state, &opts()).is_none());
    // Until its first time-based finding would change, and not from then on.
    let until = report.stats.valid_until.unwrap();
    let at = |now: i64| CheckOptions { now, ..opts() };
    assert!(reusable(&stored, &state, &at(until - 1)).is_some());
    assert!(reusable(&stored, &state, &at(until)).is_none());
    let failed = serde_json::json!({"target": "x", "error": "nope"});
    assert!(reusable(&failed, &state, &opts()).is_none());
}
