//! `niveau check` and `niveau publiccode validate`, run as a user runs them.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::*;
use niveau_testkit::repo::TestRepo;

/// The current time as git wants it, so that the CLI (which checks against the real
/// clock) sees a recent commit.
fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!("{secs} +0000")
}

/// "Now" minus `days`, as git wants it.
fn days_ago(days: u64) -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!("{} +0000", secs - days * 86_400)
}

/// A repository that meets every automatable requirement, with a history long and broad
/// enough (twelve commits by two people over more than a year) to carry a level.
fn good_repo() -> TestRepo {
    let r = TestRepo::new();
    for i in 0..11u64 {
        r.write("history.txt", format!("{i}\n"));
        let (name, email) = if i % 2 == 0 {
            ("Anne", "anne@kommune.dk")
        } else {
            ("Bo", "bo@leverandor.dk")
        };
        r.commit_as(
            &format!("Fix #{i}: trin {i}"),
            name,
            email,
            &days_ago(400 - i * 30),
        );
    }
    let mut readme = String::from("# OS2demo\n\n## Formål\n\n");
    readme.push_str(&"OS2demo hjælper kommuner med at holde styr på deres løsninger. ".repeat(12));
    readme.push_str("\n\n## Sådan virker det\n\nx\n\n## Arkitektur\n\ny\n\n## Installation\n\nz\n");
    r.write("README.md", readme);
    r.write("LICENSE", include_str!("../../../../LICENSE"));
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
    r.commit("Fix #11: første version", &now());
    r
}

fn weak_repo() -> TestRepo {
    let r = TestRepo::new();
    r.write("a.txt", "x");
    r.commit("Start", &now());
    r
}

#[test]
fn check_prints_proposals_evidence_and_the_allowed_level() {
    let r = good_repo();
    let o = niveau(&["check", r.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("13 krav kan vurderes automatisk"), "{out}");
    assert!(
        out.contains("F2   🟢 Grøn   (4/5) understøttet   OSI-godkendt licens: MPL-2.0."),
        "{out}"
    );
    assert!(out.contains("Niveau ud fra evidensen: Niveau 2"), "{out}");
    assert!(
        out.contains("Hvorfor: Evidensen bærer Niveau 2; Niveau 3 kræver R4, F21, F22, S5, G11, G12, G13, G14, og intet af det kan vurderes ud fra et repositorie."),
        "{out}"
    );
    let o = niveau(&[
        "--lang",
        "en",
        "check",
        r.path().to_str().unwrap(),
        "--format",
        "md",
    ]);
    let md = stdout(&o);
    assert!(md.contains("| F19 | 🟢 Green | 4/5 | supported |"), "{md}");
    assert!(
        md.contains("Level the evidence carries: **Niveau 2**"),
        "{md}"
    );
}

#[test]
fn check_json_follows_its_schema() {
    let r = good_repo();
    let o = niveau(&["check", r.path().to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "niveau.check/1");
    assert_eq!(v["model"]["id"], "os2-1.1.0");
    assert_eq!(v["allowed_level"], "2");
    assert_eq!(v["outcome"], "level");
    assert_eq!(v["verdicts"].as_array().unwrap().len(), 13);
    assert_eq!(v["verdicts"][0]["verdict"], "supported");
    assert!(
        v["allowed_level_reason"]["en"]
            .as_str()
            .unwrap()
            .starts_with("The evidence carries Niveau 2; Niveau 3 requires R4")
    );
    assert_eq!(v["requirements"].as_array().unwrap().len(), 13);
    let f1 = &v["requirements"][0];
    assert_eq!(f1["requirement"], "F1");
    assert_eq!(f1["rating"], "green");
    assert!(
        f1["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "value" && e["name"] == "commits_90_days")
    );
    assert_eq!(v["stats"]["files"], 11);
}

#[test]
fn min_level_gates_ci_and_errors_give_exit_2() {
    let weak = weak_repo();
    let o = niveau(&["check", weak.path().to_str().unwrap(), "--min-level", "1"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let o = niveau(&[
        "check",
        weak.path().to_str().unwrap(),
        "--min-level",
        "sandkasse",
    ]);
    assert_eq!(o.status.code(), Some(1), "no licence: not even sandkasse");
    let good = good_repo();
    let o = niveau(&["check", good.path().to_str().unwrap(), "--min-level", "2"]);
    assert!(o.status.success());
    let o = niveau(&["check", good.path().to_str().unwrap(), "--min-level", "9"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("ukendt niveau `9`"), "{}", stderr(&o));
    let o = niveau(&["check", "/no/such/repo"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ikke et læsbart git-repositorie"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn many_repositories_in_parallel_end_with_a_summary_table() {
    let good = good_repo();
    let weak = weak_repo();
    let o = niveau(&[
        "check",
        good.path().to_str().unwrap(),
        weak.path().to_str().unwrap(),
        "/no/such/repo",
        "--jobs",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("REPOSITORIE"))
        .collect();
    assert_eq!(table.len(), 4, "{out}");
    assert!(table[1].contains("Niveau 2"), "{out}");
    assert!(table[2].contains("intet"), "{out}");
    assert!(table[3].contains("FEJL"), "{out}");
}

#[test]
fn a_file_url_is_read_in_place() {
    let good = good_repo();
    let cache = tmp_dir().join("cache");
    let url = good.file_url();
    let o = niveau(&[
        "check",
        &url,
        "--cache-dir",
        cache.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["target"], url.as_str());
    assert_eq!(v["allowed_level"], "2");
    // Nothing is cloned for a file:// location: the cache directory holds only the
    // check results (`checks`, #15).
    assert!(
        !cache.exists()
            || std::fs::read_dir(&cache)
                .unwrap()
                .all(|e| e.unwrap().file_name() == "checks")
    );
}

#[test]
fn lesser_check_file_url_starts_no_git_process() {
    // PATH holds only programs that leave a marker when started: a clone through git's
    // file transport would start git-upload-pack (and ssh or git for other transports).
    let good = good_repo();
    let bin = tmp_dir().join("fake-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let marker = tmp_dir().join("a-git-process-ran");
    for name in ["git-upload-pack", "git", "ssh"] {
        let path = bin.join(name);
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho {name} >> '{}'\nexit 1\n", marker.display()),
        )
        .unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let url = good.file_url();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_niveau"))
        .args([
            "check",
            &url,
            "--cache-dir",
            tmp_dir().join("cache-no-git").to_str().unwrap(),
            "--format",
            "json",
        ])
        .env("PATH", &bin)
        .env_remove("NIVEAU_LANG")
        .current_dir(niveau_testkit::repo_root())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["allowed_level"], "2");
    assert!(
        !marker.exists(),
        "started: {}",
        std::fs::read_to_string(&marker).unwrap_or_default()
    );
    // Other transports that would run a program are refused, not tried.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_niveau"))
        .args(["check", "git://example.invalid/x.git"])
        .env("PATH", &bin)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("'git'"), "{}", stderr(&o));
    assert!(!marker.exists());
}

#[test]
fn niveau_meets_what_it_checks_up_to_level_2() {
    let root = niveau_testkit::repo_root();
    if !root.join(".git").exists() {
        // A source tarball has no history to check; every git checkout (CI's included)
        // runs the test.
        eprintln!("skipped: {} is not a git checkout", root.display());
        return;
    }
    let o = niveau(&["check", ".", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let registry = niveau_model::Registry::builtin().unwrap();
    let model = registry.get("os2-1.1.0").unwrap();
    let mut not_green = Vec::new();
    for r in v["requirements"].as_array().unwrap() {
        let id = r["requirement"].as_str().unwrap();
        let level = model.requirement(id).unwrap().level.clone();
        let rank = model.level(level.as_str()).unwrap().rank;
        if rank <= 2 && r["rating"] != "green" {
            not_green.push(format!("{id}: {}", r["explanation"]["en"]));
        }
    }
    assert!(
        not_green.is_empty(),
        "Niveau does not meet what it checks:\n{}",
        not_green.join("\n")
    );
    assert_eq!(v["allowed_level"], "2", "{}", v["allowed_level_reason"]);
    let o = niveau(&["check", ".", "--min-level", "2"]);
    assert!(o.status.success(), "{}", stdout(&o));
}

#[test]
fn publiccode_validate_reports_problems_with_place() {
    let o = niveau(&["publiccode", "validate", "publiccode.yml"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("publiccode.yml: gyldig"),
        "{}",
        stdout(&o)
    );
    let bad = tmp(
        "bad-publiccode.yml",
        b"publiccodeYmlVersion: \"0.4\"\nname: X\nurl: not a url\ndevelopmentStatus: maybe\n",
    );
    let o = niveau(&[
        "--lang",
        "en",
        "publiccode",
        "validate",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(":4:1: error: developmentStatus: must be one of"),
        "{out}"
    );
    assert!(out.contains(":3:1: error: url:"), "{out}");
    assert!(out.contains(": invalid (publiccode.yml 0.4)"), "{out}");
    let o = niveau(&["publiccode", "validate", "/no/such/file.yml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn lesser_check_output_strips_ansi_escapes() {
    let r = TestRepo::new();
    // A licence file and a commit message with escape sequences: red text, a cleared
    // screen, a carriage return that would overwrite the line.
    r.write("LICENSE\u{1b}[31mred", include_str!("../../../../LICENSE"));
    r.write("README.md", "# x\n");
    r.commit("Fix #1: \u{1b}[2J\rryddet", &now());
    let o = niveau(&["check", r.path().to_str().unwrap()]);
    let out = stdout(&o);
    assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out:?}");
    assert!(out.contains("LICENSE\\x1b[31mred"), "{out}");
    let o = niveau(&["check", r.path().to_str().unwrap(), "--format", "md"]);
    assert!(!stdout(&o).contains('\u{1b}'));
    // JSON keeps the name exactly (serde writes the escape as \u001b).
    let o = niveau(&["check", r.path().to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(json.to_string().contains("LICENSE\\u001b[31mred"), "{json}");
}

/// `niveau --lang LANG ARGS…`: the exit code and the first line of standard error.
fn first_error_line(lang: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["--lang", lang];
    all.extend_from_slice(args);
    let o = niveau(&all);
    let err = stderr(&o);
    (
        o.status.code(),
        err.lines().next().unwrap_or_default().to_owned(),
    )
}

#[test]
fn check_errors_are_wholly_in_the_language_asked_for() {
    let good = good_repo();
    let good = good.path().to_str().unwrap().to_owned();
    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["check", "/no/such/repo"],
            "fejl: /no/such/repo: ikke et læsbart git-repositorie: stien findes ikke",
            "error: /no/such/repo: not a readable git repository: the path does not exist",
        ),
        (
            vec!["check", &good, "--min-level", "9"],
            "fejl: ukendt niveau `9` i os2-1.1.0; niveauer: sandkasse, 1, 2, 3",
            "error: unknown level `9` in os2-1.1.0; levels: sandkasse, 1, 2, 3",
        ),
        (
            vec!["check", &good, "--model", "os2-9"],
            "fejl: ukendt model `os2-9`; kendte modeller: os2-1.1.0, os2-2018, os2-2021",
            "error: unknown model `os2-9`; known models: os2-1.1.0, os2-2018, os2-2021",
        ),
        (
            vec!["publiccode", "validate", "/no/such/file.yml"],
            "fejl: /no/such/file.yml: findes ikke (systemfejl 2)",
            "error: /no/such/file.yml: No such file or directory (os error 2)",
        ),
    ];
    for (args, want_da, want_en) in cases {
        let (code, da) = first_error_line("da", &args);
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!(da, want_da);
        let (code, en) = first_error_line("en", &args);
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!(en, want_en);
    }
}

#[test]
fn publiccode_problems_are_wholly_in_the_language_asked_for() {
    let bad = tmp(
        "bad-publiccode-lang.yml",
        b"publiccodeYmlVersion: \"0.5\"\nname: X\nurl: not a url\ndevelopmentStatus: maybe\n",
    );
    let bad = bad.to_str().unwrap();
    let o = niveau(&["--lang", "da", "publiccode", "validate", bad]);
    assert_eq!(o.status.code(), Some(1));
    let da = stdout(&o);
    assert!(
        da.contains(&format!(
            "{bad}:3:1: fejl: url: skal være en gyldig URL, fandt \"not a url\"\n"
        )),
        "{da}"
    );
    assert!(
        da.contains(&format!("{bad}:1:1: fejl: legal: påkrævet nøgle mangler\n")),
        "{da}"
    );
    assert!(
        da.trim_end()
            .ends_with(&format!("{bad}: ugyldig (publiccode.yml 0.5)")),
        "{da}"
    );
    for english in ["error", "required", "must", "found", "invalid"] {
        assert!(
            !da.split(|c: char| !c.is_alphanumeric())
                .any(|w| w == english),
            "{english} in {da}"
        );
    }
    let o = niveau(&["--lang", "en", "publiccode", "validate", bad]);
    let en = stdout(&o);
    assert!(
        en.contains(&format!(
            "{bad}:3:1: error: url: must be a valid URL, found \"not a url\"\n"
        )),
        "{en}"
    );
    assert!(
        en.contains(&format!(
            "{bad}:1:1: error: legal: required key is missing\n"
        )),
        "{en}"
    );
    for danish in ["fejl", "påkrævet", "skal", "fandt", "ugyldig"] {
        assert!(
            !en.split(|c: char| !c.is_alphanumeric())
                .any(|w| w == danish),
            "{danish} in {en}"
        );
    }
}

#[test]
fn check_reads_scorecard_and_best_practices_given_on_the_command_line() {
    let r = good_repo();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../niveau-scan/tests/fixtures/tools");
    let scorecard = fixtures.join("scorecard.json");
    let best = fixtures.join("bestpractices.json");
    let o = niveau(&[
        "check",
        r.path().to_str().unwrap(),
        "--format",
        "json",
        "--scorecard",
        scorecard.to_str().unwrap(),
        "--best-practices",
        best.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let tools: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["detector"] == "tool_results")
        .collect();
    let f11 = tools.iter().find(|f| f["requirement"] == "F11").unwrap();
    assert_eq!(f11["rating"], "green");
    assert!(
        f11["evidence"]
            .to_string()
            .contains("bestpractices:report_tracker"),
        "{f11}"
    );
    let f4 = tools.iter().find(|f| f["requirement"] == "F4").unwrap();
    assert!(
        f4["evidence"]
            .to_string()
            .contains("scorecard:Security-Policy"),
        "{f4}"
    );
    // Every finding rests on the checked commit.
    assert_eq!(v["findings"][0]["rests_on"]["commit"], v["head"]["commit"]);
    let o = niveau(&[
        "check",
        r.path().to_str().unwrap(),
        "--scorecard",
        "/no/such.json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("/no/such.json"), "{}", stdout(&o));
}

/// `niveau check … --format json` with the check cache in `cache`.
fn check_json(target: &str, cache: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "check",
        target,
        "--cache-dir",
        cache.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let o = niveau(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn check_reuses_its_result_until_the_repository_changes() {
    let r = good_repo();
    let cache = tmp_dir().join("cache-incremental");
    let path = r.path().to_str().unwrap();
    let first = check_json(path, &cache, &[]);
    assert_eq!(first["stats"].get("cached"), None);
    assert_eq!(first["head"]["commit"], r.head().as_str());
    assert!(first["scanner"].as_str().unwrap().contains('+'));
    let entries = std::fs::read_dir(cache.join("checks")).unwrap().count();
    assert_eq!(entries, 1);

    // Unchanged: the stored result, marked, with the same findings; the target is the
    // one given now (a file:// URL of the same repository is the same repository).
    let url = r.file_url();
    let second = check_json(&url, &cache, &[]);
    assert_eq!(second["stats"]["cached"], true);
    assert_eq!(second["target"], url.as_str());
    assert_eq!(second["requirements"], first["requirements"]);
    assert_eq!(second["findings"], first["findings"]);
    assert_eq!(second["allowed_level"], "2");
    assert_eq!(second["stats"]["scanned_at"], first["stats"]["scanned_at"]);
    let text = niveau(&["check", path, "--cache-dir", cache.to_str().unwrap()]);
    assert!(
        stdout(&text).contains("Gemt resultat fra "),
        "{}",
        stdout(&text)
    );
    let text = niveau(&[
        "--lang",
        "en",
        "check",
        path,
        "--cache-dir",
        cache.to_str().unwrap(),
    ]);
    assert!(
        stdout(&text).contains("Stored result from "),
        "{}",
        stdout(&text)
    );

    // --no-cache scans again.
    let forced = check_json(path, &cache, &["--no-cache"]);
    assert_eq!(forced["stats"].get("cached"), None);
    assert_eq!(forced["requirements"], first["requirements"]);

    // Another model is another result.
    let other = check_json(path, &cache, &["--model", "os2-2021"]);
    assert_eq!(other["stats"].get("cached"), None);
    assert_eq!(other["model"]["id"], "os2-2021");

    // A new commit is scanned.
    r.remove("SECURITY.md");
    let head = r.commit("Fjern sikkerhedspolitikken", &now());
    let third = check_json(path, &cache, &[]);
    assert_eq!(third["stats"].get("cached"), None);
    assert_eq!(third["head"]["commit"], head.as_str());
    assert_ne!(third["requirements"], first["requirements"]);

    // Corrupt entries are rescans, not errors, and are overwritten.
    for entry in std::fs::read_dir(cache.join("checks")).unwrap() {
        std::fs::write(entry.unwrap().path(), "{ not json").unwrap();
    }
    let after = check_json(path, &cache, &[]);
    assert_eq!(after["stats"].get("cached"), None);
    assert_eq!(after["requirements"], third["requirements"]);
    assert_eq!(check_json(path, &cache, &[])["stats"]["cached"], true);
}

#[test]
fn product_of_several_repositories_gives_one_verdict_and_a_table() {
    let good = good_repo();
    let weak = weak_repo();
    let o = niveau(&[
        "check",
        good.path().to_str().unwrap(),
        weak.path().to_str().unwrap(),
        "--product",
        "OS2demo",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "niveau.product/1");
    assert_eq!(v["product"], "OS2demo");
    assert_eq!(v["repositories"].as_array().unwrap().len(), 2);
    // The weak repository has a single commit: good carries the activity and is the one
    // main repository, so its licence decides F2.
    let f2 = v["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "F2")
        .unwrap();
    assert_eq!(f2["rule"], "every_main");
    assert_eq!(f2["rating"], "green");
    assert_eq!(v["allowed_level"], "2");
    assert_eq!(v["repositories"][0]["main"], true);
    assert_eq!(v["repositories"][1]["main"], false);

    let o = niveau(&[
        "check",
        good.path().to_str().unwrap(),
        weak.path().to_str().unwrap(),
        "--product",
        "OS2demo",
    ]);
    let out = stdout(&o);
    assert!(
        out.starts_with("Produkt OS2demo  (2 repositorier; model os2-1.1.0)"),
        "{out}"
    );
    assert!(out.contains("Niveau ud fra evidensen: Niveau 2"), "{out}");
    assert!(out.contains("REPOSITORIE"), "{out}");
    let o = niveau(&[
        "check",
        good.path().to_str().unwrap(),
        "/no/such/repo",
        "--product",
        "OS2demo",
        "--min-level",
        "2",
    ]);
    assert_eq!(o.status.code(), Some(2), "an unreadable repository: exit 2");
}

#[test]
fn mirrors_takes_every_repository_in_a_directory_and_min_level_gates_the_product() {
    let dir = tmp_dir().join("mirrors");
    std::fs::create_dir_all(&dir).unwrap();
    let weak = TestRepo::new_in(&dir);
    weak.write("a.txt", "x");
    weak.commit("Start", &now());
    std::fs::write(dir.join("not-a-repo.txt"), "x").unwrap();
    let o = niveau(&[
        "check",
        "--mirrors",
        dir.to_str().unwrap(),
        "--min-level",
        "sandkasse",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["product"], "mirrors");
    assert_eq!(v["repositories"].as_array().unwrap().len(), 1);
    assert_eq!(v["outcome"], "no_level");

    let good = good_repo();
    let o = niveau(&[
        "--lang",
        "en",
        "check",
        "--mirrors",
        dir.to_str().unwrap(),
        good.path().to_str().unwrap(),
        "--product",
        "OS2demo",
        "--min-level",
        "2",
        "--format",
        "md",
    ]);
    assert!(o.status.success(), "{}", stdout(&o));
    let md = stdout(&o);
    assert!(
        md.contains("Level the evidence carries: **Niveau 2** · 2 repositories"),
        "{md}"
    );
    let o = niveau(&["check", "--mirrors", "/no/such/dir"]);
    assert_eq!(o.status.code(), Some(2));
}
