//! Every detector on repositories built by the testkit: positive, negative and odd
//! cases; and the safety rules on hostile repositories.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::LazyLock;

use niveau_model::{Rating, Registry};
use niveau_scan::check::{CheckOptions, CheckReport, RequirementResult};
use niveau_scan::{Evidence, Limits, check_repository};
use niveau_testkit::repo::TestRepo;

/// "Now" in these tests: 2026-11-23 12:00 UTC.
const NOW: i64 = 1_795_435_200;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::builtin().unwrap());

fn days_ago(days: i64) -> String {
    format!("{} +0000", NOW - days * 86_400)
}

fn check(repo: &TestRepo) -> CheckReport {
    check_with(repo, Limits::default(), None)
}

fn check_with(repo: &TestRepo, limits: Limits, rev: Option<&str>) -> CheckReport {
    let opts = CheckOptions {
        model: "os2-1.1.0".into(),
        rev: rev.map(str::to_owned),
        limits,
        now: NOW,
        tool_results: Vec::new(),
    };
    check_repository(repo.path(), &REGISTRY, &opts).unwrap()
}

fn req<'r>(report: &'r CheckReport, id: &str) -> &'r RequirementResult {
    report
        .requirements
        .iter()
        .find(|r| r.requirement.as_str() == id)
        .unwrap_or_else(|| panic!("no result for {id}: {:?}", report.requirements))
}

fn evidence_paths(r: &RequirementResult) -> Vec<String> {
    r.evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::File { path, .. } => Some(path.clone()),
            _ => None,
        })
        .collect()
}

fn value<'r>(r: &'r RequirementResult, name: &str) -> Option<&'r str> {
    r.evidence.iter().find_map(|e| match e {
        Evidence::Value { name: n, value } if n == name => Some(value.as_str()),
        _ => None,
    })
}

const MPL: &str = include_str!("../../../../LICENSE");

fn long_readme() -> String {
    let mut s = String::from("# OS2demo\n\n## Formål\n\n");
    s.push_str(&"OS2demo hjælper kommuner med at holde styr på deres borgerrettede løsninger og giver et fælles overblik. ".repeat(6));
    s.push_str("\n\n## Sådan virker det\n\nLøsningen samler data.\n\n## Arkitektur\n\nEn webserver og en database.\n\n## Installation\n\nKør `docker compose up`.\n");
    s
}

// ---------------------------------------------------------------- F1

#[test]
fn f1_active_repository_is_green_with_counts() {
    let r = TestRepo::new();
    r.write("a.txt", "1");
    r.commit_as("Første", "Anne", "anne@kommune.dk", &days_ago(800));
    r.write("a.txt", "2");
    r.commit_as("Anden", "Bo", "bo@kommune.dk", &days_ago(200));
    r.write("a.txt", "3");
    r.commit_as("Tredje", "Anne", "ANNE@kommune.dk", &days_ago(30));
    r.write("a.txt", "4");
    r.commit_as("Fjerde", "Cai", "cai@leverandor.dk", &days_ago(5));
    let report = check(&r);
    let f1 = req(&report, "F1");
    assert_eq!(f1.rating, Rating::Green);
    assert_eq!(value(f1, "commits_90_days"), Some("2"));
    assert_eq!(value(f1, "authors_90_days"), Some("2"));
    assert_eq!(value(f1, "commits_365_days"), Some("3"));
    assert_eq!(value(f1, "authors_365_days"), Some("3"));
    assert_eq!(value(f1, "last_commit_days_ago"), Some("5"));
    assert_eq!(value(f1, "age_days"), Some("800"));
}

#[test]
fn f1_no_commits_in_a_year_is_red_and_half_a_year_is_yellow() {
    let r = TestRepo::new();
    r.write("a.txt", "1");
    r.commit("Gammel", &days_ago(500));
    assert_eq!(req(&check(&r), "F1").rating, Rating::Red);
    r.write("a.txt", "2");
    r.commit("Nyere", &days_ago(200));
    let report = check(&r);
    assert_eq!(req(&report, "F1").rating, Rating::Yellow);
    assert!(req(&report, "F1").explanation.en.contains("200 days old"));
}

// ---------------------------------------------------------------- F2

#[test]
fn f2_mpl_license_is_identified_and_osi_approved() {
    let r = TestRepo::new();
    r.write("LICENSE", MPL);
    r.write(
        "src/main.rs",
        "// SPDX-License-Identifier: MPL-2.0\nfn main() {}\n",
    );
    r.write("src/lib.rs", "pub fn x() {}\n");
    r.commit("Licens", &days_ago(1));
    let f2 = req(&check(&r), "F2").clone();
    assert_eq!(f2.rating, Rating::Green, "{f2:?}");
    assert!(
        value(&f2, "license").unwrap().starts_with("MPL-2.0"),
        "{f2:?}"
    );
    assert_eq!(value(&f2, "spdx_headers"), Some("1 / 2"));
    assert!(evidence_paths(&f2).contains(&"src/main.rs".to_owned()));
}

#[test]
fn f2_several_licences_in_one_file_and_reuse_directories() {
    let r = TestRepo::new();
    let mit = spdx::text::LICENSE_TEXTS
        .iter()
        .find(|(id, _)| *id == "MIT")
        .map(|(_, t)| *t)
        .unwrap();
    let apache = spdx::text::LICENSE_TEXTS
        .iter()
        .find(|(id, _)| *id == "Apache-2.0")
        .map(|(_, t)| *t)
        .unwrap();
    r.write(
        "COPYING",
        format!("Dele af koden:\n\n{mit}\n\nResten:\n\n{apache}"),
    );
    r.commit("To licenser", &days_ago(1));
    let f2 = req(&check(&r), "F2").clone();
    let ids: Vec<&str> = f2
        .evidence
        .iter()
        .filter_map(|e| match e {
            Evidence::Value { name, value } if name == "license" => value.split(' ').next(),
            _ => None,
        })
        .collect();
    assert!(ids.contains(&"MIT"), "{f2:?}");
    assert!(ids.contains(&"Apache-2.0"), "{f2:?}");
    assert_eq!(f2.rating, Rating::Green);

    let reuse = TestRepo::new();
    reuse.write("LICENSES/MPL-2.0.txt", MPL);
    reuse.write("LICENSES/CC-BY-SA-4.0.txt", "Creative Commons");
    reuse.commit("REUSE", &days_ago(1));
    let f2 = req(&check(&reuse), "F2").clone();
    assert_eq!(f2.rating, Rating::Green, "{f2:?}");
    assert!(f2.explanation.en.contains("MPL-2.0"));
}

#[test]
fn f2_no_licence_unknown_licence_and_non_osi_licence() {
    let none = TestRepo::new();
    none.write("README.md", "# X\n");
    none.commit("Ingen licens", &days_ago(1));
    assert_eq!(req(&check(&none), "F2").rating, Rating::Red);

    let unknown = TestRepo::new();
    unknown.write(
        "LICENSE",
        "Copyright Kommunen. All rights reserved. Må ikke kopieres.\n",
    );
    unknown.commit("Egen licens", &days_ago(1));
    let f2 = req(&check(&unknown), "F2").clone();
    assert_eq!(f2.rating, Rating::Yellow, "{f2:?}");

    let non_osi = TestRepo::new();
    non_osi.write("LICENSES/CC-BY-NC-4.0.txt", "Attribution-NonCommercial 4.0");
    non_osi.commit("NC", &days_ago(1));
    let f2 = req(&check(&non_osi), "F2").clone();
    assert_eq!(f2.rating, Rating::Red, "{f2:?}");
    assert!(f2.explanation.en.contains("not OSI-approved"));
}

#[test]
fn f2_publiccode_must_agree_with_the_licence_file() {
    let r = TestRepo::new();
    r.write("LICENSE", MPL);
    r.write(
        "publiccode.yml",
        "publiccodeYmlVersion: \"0.4\"\nname: X\nurl: https://github.com/x/x\nlegal:\n  license: MIT\n",
    );
    r.commit("Uenig", &days_ago(1));
    let f2 = req(&check(&r), "F2").clone();
    assert_eq!(f2.rating, Rating::Yellow, "{f2:?}");
    assert!(f2.explanation.en.contains("disagree"));
    assert_eq!(value(&f2, "publiccode_license"), Some("MIT"));
}

// ---------------------------------------------------------------- F4, F5, F7

#[test]
fn f4_security_policy_bots_and_sections() {
    let r = TestRepo::new();
    r.write(
        "SECURITY.md",
        "# Sikkerhed\nSkriv til sikkerhed@kommune.dk\n",
    );
    r.write(".github/dependabot.yml", "version: 2\n");
    r.commit("Sikkerhed", &days_ago(1));
    let f4 = req(&check(&r), "F4").clone();
    assert_eq!((f4.rating, f4.confidence), (Rating::Green, 4));

    let section = TestRepo::new();
    section.write("README.md", "# X\n\n## Sikkerhed\n\nVi krypterer alt.\n");
    section.commit("Afsnit", &days_ago(1));
    let f4 = req(&check(&section), "F4").clone();
    assert_eq!(f4.rating, Rating::Yellow);
    assert_eq!(f4.evidence, vec![Evidence::line("README.md", 3)]);

    let none = TestRepo::new();
    none.write("a.txt", "x");
    none.commit("Intet", &days_ago(1));
    assert_eq!(req(&check(&none), "F4").rating, Rating::Red);
}

#[test]
fn f5_readme_must_describe_purpose_without_placeholders() {
    let good = TestRepo::new();
    good.write("README.md", long_readme());
    good.commit("README", &days_ago(1));
    assert_eq!(req(&check(&good), "F5").rating, Rating::Green);

    let template = TestRepo::new();
    template.write(
        "README.md",
        long_readme().replace("# OS2demo", "# [Produktnavn]"),
    );
    template.commit("Skabelon", &days_ago(1));
    let f5 = req(&check(&template), "F5").clone();
    assert_eq!(f5.rating, Rating::Yellow);
    assert!(
        f5.evidence.contains(&Evidence::line("README.md", 1)),
        "{f5:?}"
    );

    let short = TestRepo::new();
    short.write("README.md", "# X\nEt værktøj.\n");
    short.commit("Kort", &days_ago(1));
    assert_eq!(req(&check(&short), "F5").rating, Rating::Yellow);

    let none = TestRepo::new();
    none.write("a.txt", "x");
    none.commit("Ingen", &days_ago(1));
    assert_eq!(req(&check(&none), "F5").rating, Rating::Red);
}

#[test]
fn f7_documentation_template_sections() {
    let good = TestRepo::new();
    good.write("README.md", long_readme());
    good.commit("Skabelon fulgt", &days_ago(1));
    assert_eq!(req(&check(&good), "F7").rating, Rating::Green);

    let arch_doc = TestRepo::new();
    arch_doc.write(
        "README.md",
        long_readme().replace("## Arkitektur", "## Andet"),
    );
    arch_doc.write("docs/architecture.md", "# Arkitektur\n");
    arch_doc.commit("Arkitektur i docs", &days_ago(1));
    let f7 = req(&check(&arch_doc), "F7").clone();
    assert_eq!(f7.rating, Rating::Green, "{f7:?}");
    assert!(evidence_paths(&f7).contains(&"docs/architecture.md".to_owned()));

    let partial = TestRepo::new();
    partial.write(
        "README.md",
        "# X\n\n## Formål\n\nx\n\n## Installation\n\ny\n",
    );
    partial.commit("Delvis", &days_ago(1));
    let f7 = req(&check(&partial), "F7").clone();
    assert_eq!(f7.rating, Rating::Yellow);
    assert!(
        f7.explanation.en.contains("sådan virker det, arkitektur"),
        "{f7:?}"
    );
}

// ---------------------------------------------------------------- F11, F12

#[test]
fn f11_share_of_commits_that_refer_to_issues() {
    let r = TestRepo::new();
    for (i, msg) in [
        "Fix #12",
        "OS2-7: ny funktion",
        "Ret stavefejl",
        "Closes https://github.com/x/y/issues/3",
    ]
    .iter()
    .enumerate()
    {
        r.write("a.txt", msg);
        r.commit(msg, &days_ago(40 - i as i64));
    }
    let f11 = req(&check(&r), "F11").clone();
    assert_eq!(f11.rating, Rating::Green);
    assert_eq!(value(&f11, "commits_with_issue_reference"), Some("3 / 4"));

    let none = TestRepo::new();
    for i in 0..5 {
        none.write("a.txt", i.to_string());
        none.commit("Opdatering", &days_ago(10 + i));
    }
    assert_eq!(req(&check(&none), "F11").rating, Rating::Red);
}

#[test]
fn f12_long_lived_divergent_branches() {
    let r = TestRepo::new();
    r.write("a.txt", "1");
    r.commit("Start", &days_ago(400));
    r.branch("kommune-fork");
    r.checkout("kommune-fork");
    r.write("b.txt", "fork");
    r.commit("Egen version", &days_ago(300));
    r.checkout("main");
    r.write("a.txt", "2");
    r.commit("Videre", &days_ago(10));
    let f12 = req(&check(&r), "F12").clone();
    assert_eq!(f12.rating, Rating::Yellow, "{f12:?}");
    assert!(f12.explanation.en.contains("kommune-fork"));
    assert_eq!(value(&f12, "default_branch"), Some("main"));

    // Merged back: one version again.
    r.merge("kommune-fork", "Flet", &days_ago(5));
    assert_eq!(req(&check(&r), "F12").rating, Rating::Green);
}

// ---------------------------------------------------------------- F16, F17, F19, F13/F15/F20

#[test]
fn f16_code_standards_and_tool_configuration() {
    let r = TestRepo::new();
    r.write(
        "CONTRIBUTING.md",
        "# Bidrag\n\nVi følger kodestandarden i PEP 8.\n",
    );
    r.write(".editorconfig", "root = true\n");
    r.write(
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.ruff]\nline-length = 100\n",
    );
    r.commit("Standarder", &days_ago(1));
    let f16 = req(&check(&r), "F16").clone();
    assert_eq!(f16.rating, Rating::Green, "{f16:?}");
    assert!(f16.evidence.contains(&Evidence::line("CONTRIBUTING.md", 3)));
    assert!(f16.evidence.contains(&Evidence::line("pyproject.toml", 4)));

    let config_only = TestRepo::new();
    config_only.write(".eslintrc.json", "{}");
    config_only.commit("Lint", &days_ago(1));
    assert_eq!(req(&check(&config_only), "F16").rating, Rating::Yellow);

    let none = TestRepo::new();
    none.write("a.txt", "x");
    none.commit("Intet", &days_ago(1));
    assert_eq!(req(&check(&none), "F16").rating, Rating::Red);
}

#[test]
fn f17_operations_documentation_and_manifests() {
    let r = TestRepo::new();
    r.write(
        "docs/drift.md",
        "# Drift\n\n## Udrulning\n\nx\n\n## Backup og genskabelse\n\ny\n\n## Overvågning\n\nz\n",
    );
    r.commit("Drift", &days_ago(1));
    let f17 = req(&check(&r), "F17").clone();
    assert_eq!(f17.rating, Rating::Green, "{f17:?}");

    let helm = TestRepo::new();
    helm.write("charts/x/Chart.yaml", "apiVersion: v2\n");
    helm.commit("Helm", &days_ago(1));
    assert_eq!(req(&check(&helm), "F17").rating, Rating::Yellow);

    let none = TestRepo::new();
    none.write("a.txt", "x");
    none.commit("Intet", &days_ago(1));
    assert_eq!(req(&check(&none), "F17").rating, Rating::Red);
}

#[test]
fn f19_container_formats() {
    let docker = TestRepo::new();
    docker.write("deploy/Dockerfile", "FROM debian\n");
    docker.commit("Docker", &days_ago(1));
    let f19 = req(&check(&docker), "F19").clone();
    assert_eq!((f19.rating, f19.confidence), (Rating::Green, 4));
    assert_eq!(evidence_paths(&f19), ["deploy/Dockerfile"]);

    let compose = TestRepo::new();
    compose.write("docker-compose.yml", "services: {}\n");
    compose.commit("Compose", &days_ago(1));
    assert_eq!(req(&check(&compose), "F19").confidence, 3);

    let none = TestRepo::new();
    none.write("a.txt", "x");
    none.commit("Intet", &days_ago(1));
    assert_eq!(req(&check(&none), "F19").rating, Rating::Red);
}

#[test]
fn f13_f15_f20_material_is_a_low_confidence_hint() {
    let r = TestRepo::new();
    r.write("docs/slides/intro.pdf", "%PDF");
    r.write(
        "docs/implementeringsvejledning.md",
        "# Sådan implementerer I OS2demo\n",
    );
    r.write("docs/brugervejledning.md", "# Brugervejledning\n");
    r.commit("Materiale", &days_ago(1));
    let report = check(&r);
    for id in ["F13", "F15", "F20"] {
        let f = req(&report, id);
        assert_eq!((f.rating, f.confidence), (Rating::Green, 2), "{id}");
    }
    let none = TestRepo::new();
    none.write("a.txt", "x");
    none.commit("Intet", &days_ago(1));
    let report = check(&none);
    for id in ["F13", "F15", "F20"] {
        let f = req(&report, id);
        assert_eq!((f.rating, f.confidence), (Rating::Red, 1), "{id}");
    }
}

// ---------------------------------------------------------------- the whole check

#[test]
fn a_well_kept_repository_reaches_level_2_on_its_automatable_requirements() {
    let r = TestRepo::new();
    // A history long and broad enough to carry a level: two people over more than a year.
    for i in 0..10i64 {
        r.write("history.txt", format!("{i}\n"));
        let who = if i % 2 == 0 {
            "anne@kommune.dk"
        } else {
            "bo@leverandor.dk"
        };
        r.commit_as(
            &format!("Fix #{i}: trin"),
            "Udvikler",
            who,
            &days_ago(500 - i * 40),
        );
    }
    r.write("README.md", long_readme());
    r.write("LICENSE", MPL);
    r.write("SECURITY.md", "# Sikkerhed\n");
    r.write("CONTRIBUTING.md", "Kodestandard: cargo fmt og clippy.\n");
    r.write("rustfmt.toml", "edition = \"2024\"\n");
    r.write(
        "docs/operations.md",
        "# Drift\n## Deployment\n## Backup\n## Monitoring\n",
    );
    r.write("Dockerfile", "FROM debian\n");
    r.write("docs/presentation.md", "# Præsentation\n");
    r.write("docs/implementation-guide.md", "# Implementering\n");
    r.write("docs/user-guide.md", "# Brugervejledning\n");
    r.commit("Fix #1: alt på plads", &days_ago(3));
    let report = check(&r);
    let not_green: Vec<&str> = report
        .requirements
        .iter()
        .filter(|x| x.rating != Rating::Green)
        .map(|x| x.requirement.as_str())
        .collect();
    assert!(not_green.is_empty(), "{not_green:?}");
    // Level 3's requirements cannot be read from a repository: the evidence carries 2.
    assert_eq!(report.allowed_level.as_ref().unwrap().as_str(), "2");
    assert_eq!(report.requirements.len(), 13);
    assert_eq!(report.stats.files, 11);
}

#[test]
fn results_translate_to_the_2021_checklist() {
    let r = TestRepo::new();
    r.write("LICENSE", MPL);
    r.commit("Licens", &days_ago(1));
    let opts = CheckOptions {
        model: "os2-2021".into(),
        rev: None,
        limits: Limits::default(),
        now: NOW,
        tool_results: Vec::new(),
    };
    let report = check_repository(r.path(), &REGISTRY, &opts).unwrap();
    assert_eq!(report.model.id.as_str(), "os2-2021");
    // 1.1.0 F7 (documentation template) covers 2021's F7, F8 and F9.
    for id in ["F7", "F8", "F9"] {
        assert_eq!(req(&report, id).rating, Rating::Red, "{id}");
    }
    assert_eq!(req(&report, "F2").rating, Rating::Green);
}

// ---------------------------------------------------------------- safety

#[test]
fn symlinks_are_never_followed() {
    let r = TestRepo::new();
    r.symlink("README.md", "/etc/passwd");
    r.symlink("LICENSE", "../../outside/LICENSE");
    r.commit("Lænker", &days_ago(1));
    let report = check(&r);
    let json = niveau_scan::render::json(&report).unwrap();
    assert!(
        !json.contains("root:x:0:0"),
        "content behind a symlink leaked"
    );
    assert_eq!(
        req(&report, "F5").rating,
        Rating::Yellow,
        "a README that is a link cannot be read"
    );
    assert_eq!(req(&report, "F2").rating, Rating::Yellow);
}

#[test]
fn large_binary_missing_and_corrupt_blobs_become_warnings() {
    let r = TestRepo::new();
    r.write("README.md", long_readme());
    r.write("docs/huge.md", "a".repeat(2 * 1024 * 1024));
    r.write("LICENSE", b"\x00\x01binary licence\x00");
    r.write("SECURITY.md", "# Security\n");
    r.write("CONTRIBUTING.md", "# Contributing\ncode style: rustfmt\n");
    r.commit("Blandet", &days_ago(1));
    r.remove_object(&r.blob_id("SECURITY.md"));
    r.corrupt_object(&r.blob_id("CONTRIBUTING.md"));
    // A tiny blob limit so that README.md (about 800 bytes) is "too large".
    let limits = Limits {
        max_blob_bytes: 300,
        ..Limits::default()
    };
    let report = check_with(&r, limits, None);
    let codes: Vec<&str> = report.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(codes.contains(&"file-too-large"), "{codes:?}");
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code == "file-too-large" && w.path.as_deref() == Some("README.md"))
    );
    assert_eq!(
        req(&report, "F5").rating,
        Rating::Yellow,
        "an unreadable README"
    );
    assert!(codes.contains(&"missing-object"), "{codes:?}");
    assert_eq!(
        req(&report, "F2").rating,
        Rating::Yellow,
        "a binary LICENSE is not readable as a licence"
    );
    // SECURITY.md is listed even though its blob is missing: the policy exists.
    assert_eq!(req(&report, "F4").rating, Rating::Green);
}

#[test]
fn shallow_clones_and_missing_commits_cut_the_history_with_a_warning() {
    let r = TestRepo::new();
    for i in 0..5 {
        r.write("a.txt", i.to_string());
        r.commit(&format!("Commit {i}"), &days_ago(50 - i));
    }
    let shallow = r.shallow_clone(2);
    let report = check(&shallow);
    assert!(report.stats.shallow);
    assert!(!report.stats.history_complete);
    assert_eq!(report.stats.commits, 2);
    assert!(report.warnings.iter().any(|w| w.code == "shallow-clone"));

    let middle = r.rev_parse("HEAD~2");
    r.remove_object(&middle);
    let report = check(&r);
    assert!(!report.stats.history_complete);
    assert!(
        report.stats.commits >= 2 && report.stats.commits < 5,
        "{}",
        report.stats.commits
    );
    assert!(report.warnings.iter().any(|w| w.code == "missing-object"));
}

#[test]
fn bare_repositories_revisions_and_limits() {
    let r = TestRepo::new();
    r.write("a.txt", "1");
    let first = r.commit("Første", &days_ago(20));
    r.write("Dockerfile", "FROM x\n");
    r.commit("Anden", &days_ago(10));
    let bare = r.bare_clone();
    let report = check(&bare);
    assert_eq!(req(&report, "F19").rating, Rating::Green);
    let old = check_with(&r, Limits::default(), Some(&first));
    assert_eq!(old.head.commit, first);
    assert_eq!(req(&old, "F19").rating, Rating::Red);
    let limited = check_with(
        &r,
        Limits {
            max_files: 1,
            max_commits: 1,
            ..Limits::default()
        },
        None,
    );
    assert_eq!(limited.stats.files, 1);
    assert_eq!(limited.stats.commits, 1);
    let codes: Vec<&str> = limited.warnings.iter().map(|w| w.code.as_str()).collect();
    assert!(
        codes.contains(&"too-many-files") && codes.contains(&"too-many-commits"),
        "{codes:?}"
    );
    let opts = CheckOptions {
        model: "os2-1.1.0".into(),
        rev: Some("no-such-branch".into()),
        limits: Limits::default(),
        now: NOW,
        tool_results: Vec::new(),
    };
    let err = check_repository(r.path(), &REGISTRY, &opts).unwrap_err();
    assert!(
        err.to_string()
            .contains("revision `no-such-branch` not found"),
        "{err}"
    );
}

#[test]
fn not_a_repository_and_empty_repositories_are_errors_not_panics() {
    let dir = std::env::temp_dir().join(format!("niveau-not-a-repo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let opts = CheckOptions {
        model: "os2-1.1.0".into(),
        rev: None,
        limits: Limits::default(),
        now: NOW,
        tool_results: Vec::new(),
    };
    let err = check_repository(&dir, &REGISTRY, &opts).unwrap_err();
    assert!(
        err.to_string().contains("not a readable git repository"),
        "{err}"
    );
    let empty = TestRepo::new();
    let err = check_repository(empty.path(), &REGISTRY, &opts).unwrap_err();
    assert!(err.to_string().contains("no commit"), "{err}");
}
