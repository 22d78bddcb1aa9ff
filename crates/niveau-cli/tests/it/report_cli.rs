//! The `niveau report` commands, run as a user runs them.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::*;

const FAKTOR: &str = "fixtures/os2/reports/evaluation-0.9-os2faktor-2025.md";
const TEST_EVAL: &str = "fixtures/os2/reports/evaluation-0.9.2-os2-test.md";
const BORGERPC: &str = "fixtures/os2/reports/selfeval-1.1.0-os2borgerpc-2026.md";

#[test]
fn import_tells_what_was_found_and_what_blocks_the_next_level() {
    let o = niveau(&["report", "import", TEST_EVAL]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("evaluering · evalueringsrapport 0.9.2 · model os2-1.1.0 · OS2-test-selvevaluering · 06-05-2026"), "{out}");
    assert!(
        out.contains("Vurderinger: 🟢 29 🟡 0 🔴 10 ⚪ 4 (0 ikke vurderet)"),
        "{out}"
    );
    assert!(
        out.contains("Vejledende niveau (ud fra vurderingerne): Niveau 1"),
        "{out}"
    );
    assert!(out.contains("Mangler for Niveau 2: F13 (rød), F14 (rød), F15 (rød), F16 (rød), F17 (rød), F18 (rød), G5 (rød)"), "{out}");

    let o = niveau(&["--lang", "en", "report", "import", FAKTOR]);
    let out = stdout(&o);
    assert!(
        out.contains("Level recommended in the report: Niveau 1"),
        "{out}"
    );
    assert!(out.contains("line 99: The printed count says 20 for Niveau 2 (in all), but the report's own rows give 19. [count-mismatch]"), "{out}");
}

#[test]
fn import_many_files_prints_a_summary_and_fails_when_one_fails() {
    let dir = tmp_dir();
    let prose = dir.join("prose.md");
    std::fs::write(&prose, "# Review\n\nEt godt produkt.\n").unwrap();
    let o = niveau(&[
        "report",
        "import",
        TEST_EVAL,
        BORGERPC,
        prose.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let table: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("FIL")).collect();
    assert_eq!(table.len(), 4, "{out}");
    assert!(
        table[1].contains("ok") && table[1].contains("Niveau 1"),
        "{out}"
    );
    assert!(table[2].contains("OS2BorgerPC"), "{out}");
    assert!(
        table[3].contains("FEJL") && table[3].contains("ingen kravtabel fundet"),
        "{out}"
    );
    assert!(stderr(&o).contains("ingen kravtabel fundet"));

    let o = niveau(&["report", "import", TEST_EVAL, BORGERPC]);
    assert!(o.status.success());
}

#[test]
fn import_as_json_has_the_report_and_the_assessment() {
    let o = niveau(&["report", "import", TEST_EVAL, "--format", "json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "niveau.import/1");
    assert_eq!(v["report"]["kind"], "evaluation");
    assert_eq!(v["assessment"]["indication"]["level"], "1");
    assert_eq!(v["assessment"]["basis"], "ratings");
}

#[test]
fn render_reproduces_os2s_evaluation_and_writes_every_format() {
    let o = niveau(&["report", "render", TEST_EVAL, "--to", "md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let original = niveau_testkit::fixture("os2/reports/evaluation-0.9.2-os2-test.md");
    assert_eq!(stdout(&o), original + "\n");

    let o = niveau(&["report", "render", FAKTOR, "--to", "json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["schema"], "niveau.report/1");
    assert_eq!(v["evaluation"]["recommended_level"], "1");

    let o = niveau(&["report", "render", FAKTOR, "--to", "csv"]);
    assert_eq!(stdout(&o).lines().count(), 44);

    let o = niveau(&["report", "render", FAKTOR, "--to", "html", "--lang", "en"]);
    assert!(stdout(&o).starts_with("<section class=\"niveau-report\" lang=\"en\">"));

    for chart in ["pies", "bars", "badge"] {
        let o = niveau(&[
            "report", "render", TEST_EVAL, "--to", "svg", "--chart", chart,
        ]);
        assert!(o.status.success(), "{chart}");
        let svg = stdout(&o);
        roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{chart}: {e}"));
        assert!(svg.contains("role=\"img\""), "{chart}");
    }
    let o = niveau(&[
        "report", "render", FAKTOR, "--to", "svg", "--chart", "badge",
    ]);
    assert!(
        stdout(&o).contains("OS2 niveau: 1"),
        "the recommended level: {}",
        stdout(&o)
    );

    let out = tmp_dir().join("faktor.md");
    let o = niveau(&[
        "report",
        "render",
        FAKTOR,
        "--to",
        "md",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .contains("| R2 | 2 | Løsningen er accepteret af lokal linjeledelse |")
    );
}

#[test]
fn new_writes_a_blank_official_template_that_imports_again() {
    let dir = tmp_dir();
    for (kind, file) in [
        ("selfeval", "new-selfeval.md"),
        ("evaluation", "new-evaluation.md"),
    ] {
        let path = dir.join(file);
        let o = niveau(&[
            "report",
            "new",
            "--kind",
            kind,
            "--product",
            "OS2mo",
            "-o",
            path.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let o = niveau(&["report", "import", path.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert!(stdout(&o).contains("· OS2mo ·"), "{}", stdout(&o));
    }
    let text = std::fs::read_to_string(dir.join("new-evaluation.md")).unwrap();
    assert!(text.contains("| R1 | Sandkasse | Løsningen skaber lokal værdi | Standard: Produktet giver konkret og dokumenterbar værdi for den enkelte myndighed. | 🟢 / 🟡 / 🔴 / ⚪ |  |"));
    let o = niveau(&[
        "report",
        "new",
        "--kind",
        "selfeval",
        "--product",
        "X",
        "--model",
        "os2-9",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("kendte modeller"));
}

#[test]
fn propose_drafts_an_evaluation_from_a_self_evaluation() {
    let o = niveau(&["report", "propose", BORGERPC]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // The claims without documentation come first, with what would settle each.
    assert!(
        out.starts_with("Påstande uden dokumentation — bed produktet om netop disse (14):\n  R1   Ja »Idriftsat i ca. 7 kommuner«: Det, der kan afgøre kravet: Beskriv den konkrete værdi"),
        "{out}"
    );
    // Then per requirement: the proposal, the claim, the reason, what to check.
    assert!(
        out.contains("R2   🟢 Grøn   (sikkerhed 3/5, kun påstanden)\n     Påstand: Ja »Vi har tilslutningsaftale fra 19 kommuner. Dermed er der godkendelse fra ledelse.«\n     Forslag: Produktet svarer Ja og henviser til noget, der kan kontrolleres."),
        "{out}"
    );
    assert!(
        out.contains("R4   🔴 Rød    (sikkerhed 4/5, kun påstanden)\n     Påstand: Nej"),
        "{out}"
    );
    assert!(
        out.contains("Vejledende niveau, hvis forslagene bekræftes:"),
        "{out}"
    );

    let o = niveau(&["report", "propose", BORGERPC, "--to", "md"]);
    let md = stdout(&o);
    assert!(
        md.contains("# [KLADDE] Evaluering af OS2-produkt: OS2BorgerPC"),
        "{md}"
    );
    assert!(
        md.contains("[Forslag, sikkerhed 3/5: Påstand uden dokumentation: produktet svarer Ja, men nævner intet, der kan kontrolleres."),
        "{md}"
    );
    // The draft imports as an evaluation with every requirement rated.
    let path = tmp_dir().join("draft.md");
    std::fs::write(&path, &md).unwrap();
    let o = niveau(&[
        "report",
        "import",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["report"]["kind"], "evaluation");
    let rated = v["report"]["evaluation"]["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| !r["rating"].is_null())
        .count();
    assert_eq!(rated, 43);

    let o = niveau(&["report", "propose", TEST_EVAL]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("er en evaluering, ikke en selvevaluering"));
}

/// A self-evaluation weighed against a scan of its repository: a claim the scan confirms
/// no longer lacks documentation, a link to a file that is not there is stated, and the
/// scan's contradiction of a claim is said.
#[test]
fn propose_weighs_claims_against_a_scan() {
    let repo = niveau_testkit::repo::TestRepo::new();
    repo.write("README.md", "# X\n");
    repo.write("LICENSE", include_str!("../../../../LICENSE"));
    repo.write("docs/sikkerhed.md", "# Sikkerhed\n");
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    repo.commit("Første version", &format!("{secs} +0000"));
    let o = niveau(&["check", repo.path().to_str().unwrap(), "--format", "json"]);
    let scan = tmp("scan.json", stdout(&o).as_bytes());
    let se = std::fs::read_to_string(niveau_testkit::fixture_path(
        "os2/reports/selfeval-1.1.0-os2borgerpc-2026.md",
    ))
    .unwrap();
    // F2 claims a licence with nothing but "Ja."; F4 points to a file that is there; F16
    // to one that is not.
    let se = se
        .lines()
        .map(|l| {
            if l.starts_with("| F2 ") {
                "| F2 | Open Source licenskriterier overholdes | sandkasse | Angiv hvilken OSI-godkendt licens projektet bruger. | Ja | Ja. |".to_owned()
            } else if l.starts_with("| F4 ") {
                "| F4 | Der er tænkt på sikkerheden i løsningen | sandkasse | Beskriv hvordan sikkerhed er indtænkt. | Ja | Se docs/sikkerhed.md |".to_owned()
            } else if l.starts_with("| F16 ") {
                "| F16 | Teknisk dokumentation indeholder best practice for kodestandarder | 2 | Beskriv kodestandarder. | Ja | Se docs/kodestandard.md |".to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let se = tmp("selfeval-weighed.md", se.as_bytes());
    let o = niveau(&[
        "report",
        "propose",
        se.to_str().unwrap(),
        "--scan",
        scan.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let block = |id: &str| {
        let start = out
            .find(&format!("\n{id:<4} "))
            .unwrap_or_else(|| panic!("{id}: {out}"));
        let rest = &out[start + 1..];
        let end = rest[1..].find("\n").map(|e| e + 1).unwrap_or(rest.len());
        let mut lines = vec![&rest[..end]];
        for l in rest[end..].lines().skip(1) {
            if !l.starts_with("     ") {
                break;
            }
            lines.push(l);
        }
        lines.join("\n")
    };
    let f2 = block("F2");
    assert!(f2.starts_with("F2   🟢 Grøn"), "{f2}");
    assert!(f2.contains("bekræftet"), "{f2}");
    assert!(
        f2.contains("Forslag: Påstanden bekræftes af scanningen af repositoriet"),
        "{f2}"
    );
    let f16 = block("F16");
    assert!(f16.contains("🟡"), "{f16}");
    assert!(
        f16.contains("findes ikke i det scannede repositorie: docs/kodestandard.md"),
        "{f16}"
    );
    let f4 = block("F4");
    assert!(f4.contains("Evidens: scanning 🟢"), "{f4}");
    // F2 is no longer among the claims to ask about.
    let head = out.split("\n\n").next().unwrap();
    assert!(!head.contains("\n  F2 "), "{head}");
    // In English, no Danish.
    let o = niveau(&[
        "--lang",
        "en",
        "report",
        "propose",
        se.to_str().unwrap(),
        "--scan",
        scan.to_str().unwrap(),
    ]);
    let en = stdout(&o);
    assert!(
        en.starts_with("Claims without documentation — ask the product for exactly these"),
        "{en}"
    );
    assert!(
        en.contains("The claim is confirmed by the repository scan"),
        "{en}"
    );
    // A scan file that is not JSON names the file and the line.
    let bad = tmp("bad-scan.json", b"{\n  nope");
    let o = niveau(&[
        "report",
        "propose",
        se.to_str().unwrap(),
        "--scan",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("bad-scan.json, linje 2"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_directory_is_imported_recursively_and_non_reports_are_skipped() {
    let dir = tmp_dir().join("rapporter");
    std::fs::create_dir_all(dir.join("2021")).unwrap();
    std::fs::copy(
        niveau_testkit::fixture_path("os2/reports/selfeval-2021-os2iot.md"),
        dir.join("2021/os2iot.md"),
    )
    .unwrap();
    std::fs::copy(
        niveau_testkit::fixture_path("os2/SOURCES.md"),
        dir.join("README.md"),
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "ikke med").unwrap();
    let o = niveau(&["report", "import", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let table: Vec<&str> = out.lines().skip_while(|l| !l.starts_with("FIL")).collect();
    assert_eq!(table.len(), 3, "{out}");
    assert!(
        table[1].contains("2021/os2iot.md") && table[1].contains("ok"),
        "{out}"
    );
    assert!(
        table[2].contains("README.md") && table[2].contains("SPRUNGET OVER"),
        "{out}"
    );
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

/// Asserts that none of `words` is a word of `line`.
fn assert_no_words(line: &str, words: &[&str]) {
    let found: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| words.contains(w))
        .collect();
    assert!(found.is_empty(), "{found:?} in {line}");
}

// "model" is a word in both languages.
const ENGLISH: &[&str] = &[
    "error",
    "cannot",
    "read",
    "the",
    "is",
    "not",
    "no",
    "found",
    "file",
    "unknown",
    "known",
    "models",
    "an",
    "evaluation",
    "such",
    "or",
];
const DANISH: &[&str] = &[
    "fejl",
    "kan",
    "ikke",
    "læse",
    "findes",
    "er",
    "ingen",
    "fundet",
    "filen",
    "ukendt",
    "kendte",
    "modeller",
    "en",
    "evaluering",
    "ugyldig",
    "eller",
];

#[test]
fn report_errors_are_wholly_in_the_language_asked_for() {
    let prose = tmp("prosa-lang.md", b"# Anmeldelse\n\nEt godt produkt.\n");
    let prose = prose.to_str().unwrap();
    let cases: Vec<(Vec<&str>, Option<i32>, String, String)> = vec![
        (
            vec!["report", "import", prose],
            Some(1),
            format!(
                "fejl: {prose}: ingen kravtabel fundet (en tabel med krav-id'er som R1, F7, G10); \
                 dokumentet er ikke en OS2-selvevaluering eller -evaluering, eller det er skrevet som fri tekst"
            ),
            format!(
                "error: {prose}: no requirement table found (a table with requirement ids such as R1, F7, G10); \
                 the document is not an OS2 self-evaluation or evaluation, or it is written as prose"
            ),
        ),
        (
            vec!["report", "import", "x/y/r.md"],
            Some(1),
            "fejl: kan ikke læse x/y/r.md: findes ikke (systemfejl 2)".into(),
            "error: cannot read x/y/r.md: No such file or directory (os error 2)".into(),
        ),
        (
            vec!["report", "render", prose, "--to", "md", "--model", "os2-9"],
            Some(2),
            "fejl: ukendt model `os2-9`; kendte modeller: os2-1.1.0, os2-2018, os2-2021".into(),
            "error: unknown model `os2-9`; known models: os2-1.1.0, os2-2018, os2-2021".into(),
        ),
        (
            vec!["report", "propose", TEST_EVAL],
            Some(2),
            format!("fejl: {TEST_EVAL} er en evaluering, ikke en selvevaluering"),
            format!("error: {TEST_EVAL} is an evaluation, not a self-evaluation"),
        ),
    ];
    for (args, code, da, en) in cases {
        let (got_code, got) = first_error_line("da", &args);
        assert_eq!(got_code, code, "{args:?}");
        assert_eq!(got, da, "{args:?}");
        // File names are the same in both languages.
        let words = got.replace(TEST_EVAL, "").replace(prose, "");
        assert_no_words(&words, ENGLISH);
        let (got_code, got) = first_error_line("en", &args);
        assert_eq!(got_code, code, "{args:?}");
        assert_eq!(got, en, "{args:?}");
        let words = got.replace(TEST_EVAL, "").replace(prose, "");
        assert_no_words(&words, DANISH);
    }
}

#[test]
fn an_import_of_bad_json_names_the_place_in_either_language() {
    let bad = tmp("bad-lang.json", b"{\"krav\": [1,}");
    let bad = bad.to_str().unwrap();
    let (code, da) = first_error_line("da", &["report", "import", bad]);
    assert_eq!(code, Some(1));
    assert_eq!(da, format!("fejl: {bad}:1:13: ugyldig JSON"));
    let (_, en) = first_error_line("en", &["report", "import", bad]);
    assert_eq!(
        en,
        format!("error: {bad}:1:13: expected value at line 1 column 13")
    );
    // NIVEAU_LANG chooses the language as --lang does.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_niveau"))
        .args(["report", "import", bad])
        .env("NIVEAU_LANG", "en")
        .output()
        .unwrap();
    assert_eq!(stderr(&o).lines().next().unwrap_or_default(), en);
}
