//! The `niveau model` commands, run as a user runs them.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::*;

#[test]
fn show_os2_1_1_0_lists_43_requirements_per_level_as_os2_counts_them() {
    let o = niveau(&["model", "show", "os2-1.1.0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("43 krav: Sandkasse 6, Niveau 1 10, Niveau 2 19, Niveau 3 8"),
        "{out}"
    );
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            l.starts_with("  ")
                && t.split_whitespace().next().is_some_and(|id| {
                    id.len() >= 2
                        && id.as_bytes()[0].is_ascii_uppercase()
                        && id[1..].chars().all(|c| c.is_ascii_digit())
                })
                && (t.contains(" skal ") || t.contains(" bør "))
        })
        .collect();
    assert_eq!(rows.len(), 43, "{out}");
    let level_count = |name: &str| rows.iter().filter(|r| r.contains(name)).count();
    assert_eq!(level_count("Sandkasse"), 6);
    assert_eq!(level_count("Niveau 1 "), 10);
    assert_eq!(level_count("Niveau 2 "), 19);
    assert_eq!(level_count("Niveau 3 "), 8);
}

#[test]
fn show_as_json_and_markdown() {
    let o = niveau(&["model", "show", "os2-1.1.0", "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["requirements"].as_array().unwrap().len(), 43);
    let o = niveau(&["model", "show", "os2-2018", "--format", "md"]);
    assert!(o.status.success());
    let out = stdout(&o);
    assert!(
        out.starts_with("# OS2's governancemodel (revideret 2018)"),
        "{out}"
    );
    assert!(
        out.contains("| F22 | Politisk kommunikation udarbejdes: Lokal. | Niveau 3 | skal |"),
        "{out}"
    );
}

#[test]
fn show_a_model_file_by_path() {
    let o = niveau(&["model", "show", "models/os2-2021.toml", "--lang", "en"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("46 requirements"));
}

#[test]
fn an_unknown_model_lists_the_known_ones() {
    let o = niveau(&["model", "show", "os2-9"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim(),
        "fejl: ukendt model `os2-9`; kendte modeller: os2-1.1.0, os2-2018, os2-2021"
    );
}

#[test]
fn list_shows_every_builtin_model() {
    let o = niveau(&["model", "list"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for (id, n) in [("os2-2018", "50"), ("os2-2021", "46"), ("os2-1.1.0", "43")] {
        let line = out.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(line.split_whitespace().any(|w| w == n), "{line}");
    }
    let o = niveau(&["model", "list", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["models"].as_array().unwrap().len(), 3);
}

#[test]
fn validate_accepts_the_builtin_models() {
    let o = niveau(&[
        "model",
        "validate",
        "models/os2-2018.toml",
        "models/os2-2021.toml",
        "models/os2-1.1.0.toml",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(
        out.lines().filter(|l| l.contains(": gyldig — ")).count(),
        3,
        "{out}"
    );
    assert!(out.contains(
        "models/os2-1.1.0.toml: gyldig — os2-1.1.0 version 1.1.0: 43 krav, 4 niveauer, 4 temaer"
    ));
}

#[test]
fn validate_reports_every_problem_with_line_and_column() {
    let o = niveau(&[
        "model",
        "validate",
        "crates/niveau-model/tests/fixtures/broken-model.toml",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("broken-model.toml:23:8: fejl[levels-out-of-order]"),
        "{err}"
    );
    assert!(
        err.contains("broken-model.toml:45:9: fejl[unknown-level]"),
        "{err}"
    );
    assert!(err.contains("broken-model.toml: 9 problem(er)"), "{err}");
}

#[test]
fn validate_checks_mappings_against_the_builtin_models() {
    let text = std::fs::read_to_string(niveau_testkit::repo_root().join("models/os2-2021.toml"))
        .unwrap()
        .replace("id = \"os2-2021\"", "id = \"my-model\"")
        .replace("to = [\"R4\"]", "to = [\"R44\"]");
    let path = tmp("mapped.toml", text.as_bytes());
    let o = niveau(&["model", "validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "fejl[unknown-requirement]: mappingen af R5 nævner R44, som ikke er et krav i os2-1.1.0"
        ),
        "{}",
        stderr(&o)
    );
}

#[test]
fn validate_cannot_read_gives_exit_2() {
    let o = niveau(&["model", "validate", "no/such/file.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("kan ikke læse no/such/file.toml"),
        "{}",
        stderr(&o)
    );
    let path = tmp("latin1.toml", b"[model]\nid = \"bl\xe5\"\n");
    let o = niveau(&["model", "validate", path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("latin1.toml:2:9: filen er ikke gyldig UTF-8-tekst"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_2021_to_1_1_0() {
    let o = niveau(&["model", "diff", "os2-2021", "os2-1.1.0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Lagt sammen (2)"), "{out}");
    assert!(out.contains("  F7, F8, F9 → F7"), "{out}");
    assert!(out.contains("  R2 → R3: Niveau 1 → Niveau 2"), "{out}");
    let o = niveau(&["model", "diff", "os2-2021", "os2-1.1.0", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["from"][0], "os2-2021");
}

#[test]
fn proposals_in_both_languages() {
    let o = niveau(&["model", "proposals"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Påstand uden dokumentation: produktet svarer Ja"));
    let o = niveau(&["--lang", "en", "model", "proposals"]);
    assert!(stdout(&o).contains("Claim without documentation: the product answers Yes"));
    let bad = tmp("bad-table.toml", b"[table]\nid = \"x\"\nname = \"X\"\n");
    let o = niveau(&["model", "proposals", "--table", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("answers = [\\\"*\\\"]") || stderr(&o).contains("answers = [\"*\"]"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_explains_the_commands() {
    let o = niveau(&["model", "--help"]);
    assert!(o.status.success());
    let out = stdout(&o);
    for cmd in ["list", "show", "validate", "diff", "proposals"] {
        assert!(out.contains(cmd), "{out}");
    }
    let o = niveau(&["--lang", "de", "model", "list"]);
    assert_eq!(o.status.code(), Some(2));
}

/// `niveau --lang LANG ARGS…`: the exit code and standard error.
fn stderr_in(lang: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["--lang", lang];
    all.extend_from_slice(args);
    let o = niveau(&all);
    (o.status.code(), stderr(&o))
}

/// Asserts that none of `words` is a word of `text`.
fn assert_no_words(text: &str, words: &[&str]) {
    let found: Vec<&str> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| words.contains(w))
        .collect();
    assert!(found.is_empty(), "{found:?} in {text}");
}

#[test]
fn model_errors_are_wholly_in_the_language_asked_for() {
    let broken = "crates/niveau-model/tests/fixtures/broken-model.toml";
    let (code, da) = stderr_in("da", &["model", "validate", broken]);
    assert_eq!(code, Some(1));
    let (_, en) = stderr_in("en", &["model", "validate", broken]);
    let first = |s: &str| s.lines().next().unwrap_or_default().to_owned();
    assert!(first(&da).starts_with(&format!("{broken}:")), "{da}");
    assert!(first(&da).contains(": fejl["), "{da}");
    assert!(first(&en).contains(": error["), "{en}");
    assert!(
        da.contains(&format!(
            "{broken}:23:8: fejl[levels-out-of-order]: niveau `"
        )),
        "{da}"
    );
    assert!(
        da.contains("skriv niveauerne fra laveste til højeste med stigende rang"),
        "{da}"
    );
    assert!(
        en.contains(&format!(
            "{broken}:23:8: error[levels-out-of-order]: level `"
        )),
        "{en}"
    );
    assert!(da.trim_end().ends_with(": 9 problem(er)"), "{da}");
    assert!(en.trim_end().ends_with(": 9 problem(s)"), "{en}");
    // Key names and values of the format (`level`, `must`) are the same in both.
    assert_no_words(
        &da,
        &[
            "error", "the", "is", "which", "does", "define", "already", "used", "refers",
        ],
    );
    assert_no_words(
        &en,
        &[
            "fejl",
            "som",
            "ikke",
            "definerer",
            "skal",
            "bruges",
            "allerede",
            "henviser",
        ],
    );

    let cases: Vec<(Vec<&str>, &str, &str)> = vec![
        (
            vec!["model", "show", "os2-9"],
            "fejl: ukendt model `os2-9`; kendte modeller: os2-1.1.0, os2-2018, os2-2021",
            "error: unknown model `os2-9`; known models: os2-1.1.0, os2-2018, os2-2021",
        ),
        (
            vec!["model", "validate", "no/such/file.toml"],
            "fejl: kan ikke læse no/such/file.toml: findes ikke (systemfejl 2)",
            "error: cannot read no/such/file.toml: No such file or directory (os error 2)",
        ),
    ];
    for (args, want_da, want_en) in cases {
        let (code, da) = stderr_in("da", &args);
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!(da.lines().next().unwrap_or_default(), want_da);
        let (code, en) = stderr_in("en", &args);
        assert_eq!(code, Some(2), "{args:?}");
        assert_eq!(en.lines().next().unwrap_or_default(), want_en);
    }

    let table = tmp(
        "bad-table-lang.toml",
        b"[table]\nid = \"x\"\nname = \"X\"\n",
    );
    let table = table.to_str().unwrap();
    let (code, da) = stderr_in("da", &["model", "proposals", "--table", table]);
    assert_eq!(code, Some(1));
    assert_eq!(
        da.lines().next().unwrap_or_default(),
        format!(
            "{table}:1:1: fejl[structure]: tabellen skal have en regel med answers = [\"*\"] og uden \
             betingelser (documented, evidence, obligation), så ethvert svar får et forslag"
        )
    );
    let (_, en) = stderr_in("en", &["model", "proposals", "--table", table]);
    assert_eq!(
        en.lines().next().unwrap_or_default(),
        format!(
            "{table}:1:1: error[structure]: the table needs a rule with answers = [\"*\"] and no \
             conditions (documented, evidence, obligation), so that every answer gets a proposal"
        )
    );
}
