//! Every real OS2 document in fixtures/os2 imports; what it holds is checked against the
//! documents themselves; exports reproduce OS2's own output and import back to the
//! same data.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use niveau_model::{AnswerValue, Rating, Registry, count};
use niveau_report::document::{DocumentKind, Generation, Report};
use niveau_report::export;
use niveau_report::import::{ImportError, ImportOptions, import_bytes, import_str};

fn registry() -> Registry {
    Registry::builtin().unwrap()
}

/// Every document under fixtures/os2 (reports, templates, forms), sorted.
fn corpus() -> Vec<PathBuf> {
    let root = niveau_testkit::fixture_path("os2");
    let mut out = Vec::new();
    for dir in ["reports", "templates", "forms"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            out.push(e.unwrap().path());
        }
    }
    out.sort();
    out
}

fn name(p: &std::path::Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn import_fixture(relative: &str) -> Report {
    let text = niveau_testkit::fixture(relative);
    import_str(&text, relative, &registry(), &ImportOptions::default()).unwrap()
}

#[test]
fn every_fixture_imports_with_the_right_kind_model_and_product() {
    let expected: BTreeMap<&str, (DocumentKind, Generation, &str, Option<&str>, &str)> = [
        (
            "evaluation-0.9-os2faktor-2025.md",
            (
                DocumentKind::Evaluation,
                Generation::EvaluationReport("0.9".into()),
                "os2-1.1.0",
                None,
                "OS2faktor",
            ),
        ),
        (
            "evaluation-0.9.2-os2-test.md",
            (
                DocumentKind::Evaluation,
                Generation::EvaluationReport("0.9.2".into()),
                "os2-1.1.0",
                None,
                "OS2-test-selvevaluering",
            ),
        ),
        (
            "selfeval-1.1.0-os2-test.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::GovernanceReport110,
                "os2-1.1.0",
                None,
                "OS2-test-selvevaluering",
            ),
        ),
        (
            "selfeval-1.1.0-os2borgerpc-2026.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::GovernanceReport110,
                "os2-1.1.0",
                None,
                "OS2BorgerPC",
            ),
        ),
        (
            "selfeval-2021-os2iot.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::Checklist2021,
                "os2-2021",
                Some("2021"),
                "OS2iot",
            ),
        ),
        (
            "selfeval-2023-os2loop.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::Checklist2023,
                "os2-2021",
                Some("2021"),
                "OS2loop",
            ),
        ),
        (
            "selfeval-2025-emoji-os2bankintegration.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::Checklist2025Emoji,
                "os2-1.1.0",
                None,
                "OS2bankintegration",
            ),
        ),
        (
            "evaluation-report-0.9.2.md",
            (
                DocumentKind::Evaluation,
                Generation::EvaluationReport("0.9.2".into()),
                "os2-1.1.0",
                None,
                "",
            ),
        ),
        (
            "evaluation-report-0.9.md",
            (
                DocumentKind::Evaluation,
                Generation::EvaluationReport("0.9".into()),
                "os2-1.1.0",
                None,
                "",
            ),
        ),
        (
            "governance-checklist-2021.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::Checklist2021,
                "os2-2021",
                Some("2021"),
                "",
            ),
        ),
        (
            "governance-checklist-2023.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::Checklist2023,
                "os2-2021",
                None,
                "",
            ),
        ),
        (
            "governance-checklist-2025-emoji.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::Checklist2025Emoji,
                "os2-1.1.0",
                None,
                "",
            ),
        ),
        (
            "governance-report-1.1.0.md",
            (
                DocumentKind::SelfEvaluation,
                Generation::GovernanceReport110,
                "os2-1.1.0",
                None,
                "",
            ),
        ),
        (
            "selfeval-form-os2-test.json",
            (
                DocumentKind::SelfEvaluation,
                Generation::SelfEvaluationForm,
                "os2-1.1.0",
                None,
                "OS2-test-selvevaluering",
            ),
        ),
    ]
    .into_iter()
    .collect();
    let reg = registry();
    let files = corpus();
    assert_eq!(
        files.len(),
        expected.len(),
        "every fixture has an expectation"
    );
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let report = import_bytes(&bytes, &name(&path), &reg, &ImportOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (kind, generation, model, edition, product) = &expected[name(&path).as_str()];
        assert_eq!(&report.kind, kind, "{}", name(&path));
        assert_eq!(&report.generation, generation, "{}", name(&path));
        assert_eq!(report.model.id.as_str(), *model, "{}", name(&path));
        assert_eq!(report.edition.as_deref(), *edition, "{}", name(&path));
        assert_eq!(report.product(), *product, "{}", name(&path));
        assert!(!report.rows.is_empty(), "{}", name(&path));
        // Every row keeps its original cells.
        for row in &report.rows {
            assert!(
                row.cells.iter().any(|c| c.text == row.id_original),
                "{}:{}",
                name(&path),
                row.line
            );
        }
    }
}

#[test]
fn snapshots_of_the_normalised_data_warnings_and_findings() {
    let reg = registry();
    for path in corpus() {
        let bytes = std::fs::read(&path).unwrap();
        let mut report =
            import_bytes(&bytes, &name(&path), &reg, &ImportOptions::default()).unwrap();
        // The rows are the source itself; the snapshot is about what was made of it.
        report.rows.clear();
        let json = serde_json::to_string_pretty(&report).unwrap();
        insta::assert_snapshot!(format!("import__{}", name(&path)), json);
    }
}

#[test]
fn answers_are_read_in_every_style() {
    let se = |r: &Report| r.self_evaluation.clone().unwrap();
    let value = |r: &Report, id: &str| se(r).answer(id).unwrap().value.clone();

    // 2021: <ul><li> [x] </li>, [X], [ ].
    let iot = import_fixture("os2/reports/selfeval-2021-os2iot.md");
    assert_eq!(value(&iot, "F3"), AnswerValue::Yes, "[X]");
    assert_eq!(value(&iot, "F22"), AnswerValue::No);
    assert_eq!(se(&iot).target_level.unwrap().as_str(), "3");
    // 2021 numbering: its F13 (strategic communication) is the model's F14, its S4 the
    // model's S5.
    let f14 = se(&iot)
        .answer("F14")
        .unwrap()
        .documentation
        .clone()
        .unwrap();
    assert!(f14.contains("hvorfor-skal-en-kommune"), "{f14}");
    assert_eq!(value(&iot, "S5"), AnswerValue::No);
    assert!(
        se(&iot).answer("S4").is_none(),
        "S4 (vision) is not in the 2021 edition"
    );

    // 2023: [x], [] and "Ikke relevant" in the text of an unticked box.
    let lp = import_fixture("os2/reports/selfeval-2023-os2loop.md");
    assert_eq!(value(&lp, "R1"), AnswerValue::Yes);
    assert_eq!(value(&lp, "F7"), AnswerValue::No);
    assert_eq!(value(&lp, "F21"), AnswerValue::NotRelevant);
    assert_eq!(se(&lp).target_level.unwrap().as_str(), "2");
    assert!(
        se(&lp).answer("S3").unwrap().documentation.as_deref() == Some("Se henvisning under S1.")
    );

    // 2025: ✅ ❌ ❓.
    let bank = import_fixture("os2/reports/selfeval-2025-emoji-os2bankintegration.md");
    assert_eq!(value(&bank, "R1"), AnswerValue::Yes);
    assert_eq!(value(&bank, "F1"), AnswerValue::No);
    assert_eq!(value(&bank, "R4"), AnswerValue::DontKnow);
    assert_eq!(
        se(&bank).answer("R4").unwrap().original.as_deref(),
        Some("❓")
    );

    // 1.1.0 form output: words, and [Ikke udfyldt] as no documentation.
    let test = import_fixture("os2/reports/selfeval-1.1.0-os2-test.md");
    assert_eq!(value(&test, "R4"), AnswerValue::NotRelevant);
    assert_eq!(value(&test, "F13"), AnswerValue::No);
    assert_eq!(se(&test).answer("F13").unwrap().documentation, None);
    assert_eq!(
        se(&test).filled_by.as_deref(),
        Some("Rasmus Frey, OS2-sekretariatet")
    );
    assert_eq!(se(&test).date.unwrap().to_string(), "2026-05-06");
    assert_eq!(se(&test).repository, None, "the placeholder is not a link");

    let borger = import_fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    assert_eq!(se(&borger).date.unwrap().to_string(), "2026-06-24");
    assert_eq!(
        se(&borger).repository.as_deref(),
        Some("https://github.com/OS2borgerPC")
    );

    // The form's JSON.
    let form = import_fixture("os2/forms/selfeval-form-os2-test.json");
    assert_eq!(value(&form, "R4"), AnswerValue::DontKnow);
    assert_eq!(se(&form).date.unwrap().to_string(), "2026-05-01");
    let answered = se(&form)
        .answers
        .iter()
        .filter(|a| a.value == AnswerValue::Yes)
        .count();
    assert_eq!(answered, 17);
}

#[test]
fn evaluations_are_read_with_sections_and_recommended_level() {
    let f = import_fixture("os2/reports/evaluation-0.9-os2faktor-2025.md");
    let ev = f.evaluation.clone().unwrap();
    assert_eq!(
        ev.evaluated_by.as_deref(),
        Some("Rasmus Frey, rasmus@os2.eu")
    );
    assert_eq!(ev.date.unwrap().to_string(), "2025-11-16");
    assert_eq!(ev.recommended_level.as_ref().unwrap().as_str(), "1");
    assert!(
        ev.summary
            .as_deref()
            .unwrap()
            .starts_with("OS2faktor er et udbredt")
    );
    assert!(
        ev.overall
            .as_deref()
            .unwrap()
            .contains("Ingen aktiv og dokumenteret styregruppe")
    );
    assert!(
        ev.recommendation
            .as_deref()
            .unwrap()
            .contains("### Høj prioritet")
    );
    assert_eq!(
        f.metadata.website.as_deref(),
        Some("https://www.os2.eu/os2faktor")
    );
    assert!(
        f.metadata
            .extra
            .iter()
            .any(|(k, v)| k == "Anvendt Governance Rapport" && v == "Ingen rapport lokaliseret")
    );
    let t = count(&registry().get("os2-1.1.0").unwrap().clone(), &ev.ratings());
    assert_eq!(
        (t.total.green, t.total.yellow, t.total.red, t.total.grey),
        (9, 22, 12, 0)
    );

    let e = import_fixture("os2/reports/evaluation-0.9.2-os2-test.md");
    let ev = e.evaluation.unwrap();
    assert_eq!(ev.summary.as_deref(), Some("Udfyldes senere."));
    assert_eq!(
        ev.evaluated_by, None,
        "[Navn] is the template's placeholder"
    );
    let r4 = ev
        .ratings
        .iter()
        .find(|r| r.requirement.as_str() == "R4")
        .unwrap();
    assert_eq!(r4.rating, Some(Rating::Grey));
    assert_eq!(r4.original.as_deref(), Some("⚪"));
    assert!(
        r4.basis
            .as_deref()
            .unwrap()
            .starts_with("Det er et internt evalueringsværktøj")
    );
}

#[test]
fn count_tables_match_the_os2_test_evaluation_and_the_faktor_mismatch_is_reported() {
    let e = import_fixture("os2/reports/evaluation-0.9.2-os2-test.md");
    assert!(e.printed_counts.as_ref().unwrap().cells.len() >= 45);
    assert!(
        e.findings.iter().all(|f| f.code != "count-mismatch"),
        "{:?}",
        e.findings
    );
    let f = import_fixture("os2/reports/evaluation-0.9-os2faktor-2025.md");
    let mismatches: Vec<String> = f
        .findings
        .iter()
        .filter(|x| x.code == "count-mismatch")
        .map(|x| format!("{}: {}", x.line.unwrap(), x.message.en))
        .collect();
    assert_eq!(
        mismatches,
        [
            "99: The printed count says 3 for Niveau 2 (🟢 Green), but the report's own rows give 4.",
            "99: The printed count says 10 for Niveau 2 (🟡 Yellow), but the report's own rows give 8.",
            "99: The printed count says 20 for Niveau 2 (in all), but the report's own rows give 19.",
            "100: The printed count says 2 for Niveau 3 (🟡 Yellow), but the report's own rows give 3.",
            "100: The printed count says 7 for Niveau 3 (in all), but the report's own rows give 8.",
            "101: The printed count says 8 for I alt (🟢 Green), but the report's own rows give 9.",
            "101: The printed count says 23 for I alt (🟡 Yellow), but the report's own rows give 22.",
        ]
    );
}

#[test]
fn the_official_exports_reproduce_os2s_own_documents() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    for file in [
        "os2/reports/evaluation-0.9.2-os2-test.md",
        "os2/reports/selfeval-1.1.0-os2-test.md",
        "os2/reports/selfeval-1.1.0-os2borgerpc-2026.md",
    ] {
        let original = niveau_testkit::fixture(file);
        let report = import_fixture(file);
        let exported = export::official_markdown(&report, model).unwrap();
        // OS2's form generator writes the G1 row with a leading space and the files end
        // without a line break; Niveau writes neither oddity.
        let expected = original.replace("\n | G1 |", "\n| G1 |") + "\n";
        assert_eq!(exported, expected, "{file}");
    }
}

fn same_data(a: &Report, b: &Report, what: &str) {
    assert_eq!(a.kind, b.kind, "{what}");
    assert_eq!(a.model, b.model, "{what}");
    assert_eq!(a.product(), b.product(), "{what}");
    assert_eq!(a.date(), b.date(), "{what}");
    if let (Some(x), Some(y)) = (&a.self_evaluation, &b.self_evaluation) {
        assert_eq!(x.filled_by, y.filled_by, "{what}");
        assert_eq!(x.repository, y.repository, "{what}");
        assert_eq!(x.target_level, y.target_level, "{what}");
        let answers =
            |s: &niveau_model::SelfEvaluation| -> Vec<(String, AnswerValue, Option<String>)> {
                s.answers
                    .iter()
                    .filter(|a| a.value != AnswerValue::Unanswered || a.documentation.is_some())
                    .map(|a| {
                        (
                            a.requirement.to_string(),
                            a.value.clone(),
                            a.documentation.clone(),
                        )
                    })
                    .collect()
            };
        assert_eq!(answers(x), answers(y), "{what}");
    } else {
        assert_eq!(
            a.self_evaluation.is_some(),
            b.self_evaluation.is_some(),
            "{what}"
        );
    }
    if let (Some(x), Some(y)) = (&a.evaluation, &b.evaluation) {
        assert_eq!(x.evaluated_by, y.evaluated_by, "{what}");
        assert_eq!(x.summary, y.summary, "{what}");
        assert_eq!(x.overall, y.overall, "{what}");
        assert_eq!(x.recommendation, y.recommendation, "{what}");
        assert_eq!(x.recommended_level, y.recommended_level, "{what}");
        let ratings =
            |e: &niveau_model::Evaluation| -> Vec<(String, Option<Rating>, Option<String>)> {
                e.ratings
                    .iter()
                    .filter(|r| r.rating.is_some() || r.basis.is_some())
                    .map(|r| (r.requirement.to_string(), r.rating, r.basis.clone()))
                    .collect()
            };
        assert_eq!(ratings(x), ratings(y), "{what}");
    }
}

#[test]
fn round_trip_every_fixture_through_markdown_and_json() {
    let reg = registry();
    let opts = ImportOptions::default();
    for path in corpus() {
        let bytes = std::fs::read(&path).unwrap();
        let first = import_bytes(&bytes, &name(&path), &reg, &opts).unwrap();
        let model = reg.get(first.model.id.as_str()).unwrap();
        // Markdown.
        let md = export::official_markdown(&first, model).unwrap();
        let again = import_str(&md, "export.md", &reg, &opts)
            .unwrap_or_else(|e| panic!("{}: {e}\n{md}", name(&path)));
        same_data(&first, &again, &format!("{} via Markdown", name(&path)));
        // A second round gives exactly the same Markdown.
        assert_eq!(
            export::official_markdown(&again, model).unwrap(),
            md,
            "{}",
            name(&path)
        );
        // JSON: the whole report comes back.
        let json = export::json(&first).unwrap();
        let back = import_str(&json, &first.source, &reg, &opts).unwrap();
        assert_eq!(back, first, "{} via JSON", name(&path));
    }
}

#[test]
fn irregular_files_are_recovered_with_a_warning_per_oddity() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/irregular-selfeval.md"
    ))
    .unwrap();
    let r = import_str(
        &text,
        "irregular-selfeval.md",
        &registry(),
        &ImportOptions::default(),
    )
    .unwrap();
    let warnings: Vec<(usize, &str)> = r
        .warnings
        .iter()
        .map(|w| (w.line.unwrap(), w.code.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [
            (11, "broken-link"),
            (12, "unknown-field"),
            (25, "row-indented"),
            (26, "row-without-trailing-pipe"),
            (26, "missing-cell"),
            (27, "extra-cell"),
            (40, "level-differs"),
            (42, "unreadable-rating"),
        ]
    );
    let findings: Vec<(Option<usize>, &str)> = r
        .findings
        .iter()
        .map(|f| (f.line, f.code.as_str()))
        .collect();
    assert!(
        findings.contains(&(Some(28), "duplicate-requirement")),
        "{findings:?}"
    );
    assert!(
        findings.contains(&(Some(29), "unknown-requirement")),
        "{findings:?}"
    );
    assert!(
        findings.contains(&(Some(25), "yes-without-documentation")),
        "{findings:?}"
    );
    assert!(
        findings.contains(&(Some(41), "grey-without-explanation")),
        "{findings:?}"
    );
    assert!(r.metadata.draft);
    assert_eq!(r.product(), "OS2test");
    assert_eq!(r.date().unwrap().to_string(), "2026-06-24");
    assert!(
        r.metadata
            .extra
            .contains(&("Ukendt felt".into(), "noget".into()))
    );
    let se = r.self_evaluation.as_ref().unwrap();
    assert_eq!(
        se.filled_by.as_deref(),
        Some("Test Testesen"),
        "English label"
    );
    assert_eq!(se.target_level.as_ref().unwrap().as_str(), "2");
    // Nothing inside the comment or the mermaid block was read.
    assert!(
        r.rows
            .iter()
            .all(|row| !row.cells.iter().any(|c| c.text.contains("skjult")))
    );
    // The long cell is kept whole; the row with the pipe is repaired.
    let r1 = se.answer("R1").unwrap();
    assert!(r1.documentation.as_ref().unwrap().len() > 1000);
    let r4 = se.answer("R4").unwrap();
    assert_eq!(r4.value, AnswerValue::NotRelevant);
    assert_eq!(r4.documentation.as_deref(), Some("Internt | værktøj"));
    // "Delvist" is an answer of its own (issue #12).
    assert_eq!(se.answer("R3").unwrap().value, AnswerValue::Partly);
    assert_eq!(
        se.answer("F2").unwrap().documentation.as_deref(),
        Some("MPL-2.0\nse LICENSE")
    );
    let ev = r.evaluation.as_ref().unwrap();
    let rating = |id: &str| {
        ev.ratings
            .iter()
            .find(|x| x.requirement.as_str() == id)
            .unwrap()
    };
    assert_eq!(rating("R4").rating, Some(Rating::Grey));
    assert_eq!(rating("R4").recommendation.as_deref(), Some("Ingen"));
    assert_eq!(rating("R1").recommendation.as_deref(), Some("Fortsæt"));
    assert_eq!(rating("F3").rating, None);
    assert_eq!(rating("F3").original.as_deref(), Some("måske"));
    // The duplicate R4 row and the unknown R9 are kept as rows.
    assert_eq!(
        r.rows.iter().filter(|row| row.id_original == "R4").count(),
        2
    );
    assert!(
        r.rows
            .iter()
            .any(|row| row.id_original == "R9" && row.requirement.is_none())
    );
}

#[test]
fn a_report_whose_boxes_are_all_empty_is_not_answered() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/all-boxes-empty.md"
    ))
    .unwrap();
    let r = import_str(
        &text,
        "all-boxes-empty.md",
        &registry(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert!(r.warnings.iter().any(|w| w.code == "all-boxes-empty"));
    let se = r.self_evaluation.unwrap();
    assert!(
        se.answers
            .iter()
            .all(|a| a.value == AnswerValue::Unanswered)
    );
    assert_eq!(se.answers.len(), 3);
}

#[test]
fn a_document_without_a_requirement_table_is_refused() {
    let reg = registry();
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/prose-review.md"
    ))
    .unwrap();
    let err = import_str(&text, "prose-review.md", &reg, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::NoRequirementTable { .. }));
    assert!(
        err.to_string()
            .starts_with("prose-review.md: no requirement table found"),
        "{err}"
    );
    let sources = niveau_testkit::fixture("os2/SOURCES.md");
    assert!(matches!(
        import_str(&sources, "SOURCES.md", &reg, &ImportOptions::default()),
        Err(ImportError::NoRequirementTable { .. })
    ));
    let err = import_str("{\"x\": 1}", "x.json", &reg, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::NoRequirementTable { .. }));
    let err = import_str("{\"krav\": [", "x.json", &reg, &ImportOptions::default()).unwrap_err();
    assert!(err.to_string().starts_with("x.json:1:"), "{err}");
}

#[test]
fn the_model_can_be_forced() {
    let text = niveau_testkit::fixture("os2/reports/selfeval-2023-os2loop.md");
    let r = import_str(
        &text,
        "loop.md",
        &registry(),
        &ImportOptions {
            model: Some("os2-1.1.0".into()),
        },
    )
    .unwrap();
    assert_eq!(r.model.id.as_str(), "os2-1.1.0");
    // R5 and F8/F9 do not exist there: reported, rows kept.
    assert!(
        r.findings
            .iter()
            .any(|f| f.code == "unknown-requirement" && f.message.en.contains("R5"))
    );
    assert!(r.findings.iter().any(|f| f.code == "merged-requirement"));
    let err = import_str(
        &text,
        "loop.md",
        &registry(),
        &ImportOptions {
            model: Some("os2-9".into()),
        },
    )
    .unwrap_err();
    assert!(err.to_string().contains("known models"), "{err}");
}

#[test]
fn exports_as_csv_and_html() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let r = import_fixture("os2/reports/evaluation-0.9-os2faktor-2025.md");
    let csv = export::csv::render(&r, model).unwrap();
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 43);
    assert_eq!(&rows[0][0], "R1");
    assert_eq!(&rows[0][8], "Grøn");
    assert_eq!(&rows[0][9], "🟢");
    assert!(rows[0][10].starts_with("MFA-sikkerhedsløsning"));
    insta::assert_snapshot!("csv__evaluation-0.9-os2faktor-2025", csv);
    let html = export::html::render(&r, model, niveau_report::Lang::Da);
    assert!(html.starts_with("<section class=\"niveau-report\" lang=\"da\">"));
    assert!(html.contains("<caption>Relevans</caption>"));
    assert!(html.contains(
        "<span class=\"rating rating-yellow\"><span aria-hidden=\"true\">🟡</span> Gul</span>"
    ));
    assert!(html.contains("<svg"));
    assert!(!html.contains("<script"));
    insta::assert_snapshot!("html__evaluation-0.9-os2faktor-2025", html);
}

/// Text a hostile product editor or evaluator could write, one attack per line.
const HOSTILE: &str = "<script>alert(1)</script>\n\
<img src=x onerror=alert(2)>\n\
[klik](javascript:alert(3)) og [mere]( JaVaScRiPt:alert(4))\n\
![billede](data:text/html;base64,PHNjcmlwdD4=) [x](javascript\\:alert(5))\n\
<javascript:alert(6)> [y](&#106;avascript:alert(7)) [z](<vbscript:alert(8)>)\n\
[ref]: javascript:alert(9)\n\
{{ site.github.owner_name }} {% include_relative _config.yml %} {:onclick=\"alert(10)\"}\n\
a | b \\| c &lt;b&gt; &amp; <!-- kommentar -->\n\
Se [OS2](https://os2.eu/produkt) & [docs](docs/README.md)";

/// The front matter of an exported document as (key, value) pairs, read by a YAML parser.
fn front_matter_of(md: &str) -> Vec<(String, String)> {
    let rest = md.strip_prefix("---\n").expect("front matter");
    let (yaml, _) = rest.split_once("\n---\n").expect("closed front matter");
    use saphyr::LoadableYamlNode as _;
    let docs = saphyr::Yaml::load_from_str(yaml).expect("valid YAML");
    let map = docs[0].as_mapping().expect("a mapping");
    map.iter()
        .map(|(k, v)| {
            let value = if let Some(s) = v.as_str() {
                s.to_owned()
            } else if let Some(b) = v.as_bool() {
                b.to_string()
            } else if let Some(i) = v.as_integer() {
                i.to_string()
            } else {
                panic!("unexpected value {v:?}")
            };
            (k.as_str().expect("string key").to_owned(), value)
        })
        .collect()
}

/// The exported Markdown as a browser would get it from a renderer that passes raw HTML
/// and every URL through (as Jekyll's kramdown does): no script, no event handler, no
/// dangerous URL, and no Liquid or kramdown markers in the source.
fn assert_inert(md: &str) {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.front_matter_delimiter = Some("---".into());
    options.render.r#unsafe = true;
    let html = comrak::markdown_to_html(md, &options).to_lowercase();
    assert!(!html.contains("<!--"), "{html}");
    // Only the elements Markdown itself makes, without event handlers.
    const ELEMENTS: &[&str] = &[
        "p",
        "br",
        "strong",
        "em",
        "h1",
        "h2",
        "h3",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "ul",
        "ol",
        "li",
        "code",
        "pre",
        "hr",
    ];
    for (i, _) in html.match_indices('<') {
        let tag = html[i + 1..].split('>').next().unwrap_or_default();
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(ELEMENTS.contains(&name.as_str()), "<{tag}> in\n{html}");
        assert!(!tag.contains(" on"), "<{tag}> in\n{html}");
        assert!(!tag.contains("src"), "<{tag}> in\n{html}");
    }
    // Every link goes to a safe scheme or is relative (`&#106;avascript:` written as
    // text is a relative path: `&` cannot be part of a scheme).
    for (i, _) in html.match_indices("href=\"") {
        let url = html[i + 6..].split('"').next().unwrap_or_default();
        let url = url.replace("&amp;", "&");
        if let Some((scheme, _)) = url.split_once(':') {
            let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
            assert!(
                !is_scheme || ["http", "https", "mailto"].contains(&scheme),
                "unsafe link {url}"
            );
        }
    }
    for bad in ["{{", "{%", "{:"] {
        assert!(!md.contains(bad), "{bad} in the Markdown");
    }
}

#[test]
fn finding_4_markdown_export_escapes_hostile_text() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let opts = ImportOptions::default();

    // A self-evaluation: hostile documentation, product name, filler and repository.
    let mut se = import_fixture("os2/reports/selfeval-1.1.0-os2-test.md");
    se.metadata.front_matter = None;
    let s = se.self_evaluation.as_mut().unwrap();
    s.product = "Evil <b>x</b> {{ site.x }}".into();
    s.filled_by = Some("[Navn](javascript:alert(1)) <i>".into());
    s.repository = Some("<javascript:alert(2)>".into());
    for a in &mut s.answers {
        a.documentation = Some(HOSTILE.into());
    }
    let md = export::official_markdown(&se, model).unwrap();
    assert_inert(&md);
    // The ordinary link in the same text still works.
    assert!(md.contains("Se [OS2](https://os2.eu/produkt) & [docs](docs/README.md)"));
    assert_eq!(
        front_matter_of(&md),
        [
            (
                "title",
                "Evil &lt;b>x&lt;/b> &#123;{ site.x }} governancerapport"
            ),
            ("layout", "default"),
            ("parent", "Selvevalueringer"),
            ("nav_exclude", "true"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
    );
    let back = import_str(&md, "hostile.md", &reg, &opts).unwrap();
    let b = back.self_evaluation.as_ref().unwrap();
    let s = se.self_evaluation.as_ref().unwrap();
    assert_eq!(b.product, s.product);
    assert_eq!(b.filled_by, s.filled_by);
    assert_eq!(b.repository, s.repository);
    assert_eq!(b.answers.len(), s.answers.len());
    for a in &b.answers {
        assert_eq!(
            a.documentation.as_deref(),
            Some(HOSTILE),
            "{}",
            a.requirement
        );
    }
    assert!(
        export::official_markdown(&back, model).unwrap() == md,
        "a second round changes nothing"
    );

    // An evaluation: hostile basis, sections and evaluator.
    let mut ev = import_fixture("os2/reports/evaluation-0.9.2-os2-test.md");
    ev.metadata.front_matter = None;
    let e = ev.evaluation.as_mut().unwrap();
    e.product = "OS2<svg onload=alert(1)>".into();
    e.evaluated_by = Some("Eva & <b>Co</b>".into());
    e.summary = Some(HOSTILE.into());
    e.overall = Some(format!("Samlet:\n\n{HOSTILE}"));
    e.recommendation = Some("- [a](javascript:alert(1))\n- <script>x</script>".into());
    for r in &mut e.ratings {
        r.basis = Some(HOSTILE.into());
    }
    let md = export::official_markdown(&ev, model).unwrap();
    assert_inert(&md);
    let keys: Vec<String> = front_matter_of(&md).into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["title", "layout", "parent", "nav_exclude"]);
    let back = import_str(&md, "hostile.md", &reg, &opts).unwrap();
    let (b, e) = (
        back.evaluation.as_ref().unwrap(),
        ev.evaluation.as_ref().unwrap(),
    );
    assert_eq!(b.product, e.product);
    assert_eq!(b.evaluated_by, e.evaluated_by);
    assert_eq!(b.summary, e.summary);
    assert_eq!(b.overall, e.overall);
    assert_eq!(b.recommendation, e.recommendation);
    for r in &b.ratings {
        assert_eq!(r.basis.as_deref(), Some(HOSTILE), "{}", r.requirement);
    }
    assert!(
        export::official_markdown(&back, model).unwrap() == md,
        "a second round changes nothing"
    );
}

#[test]
fn finding_4_front_matter_cannot_be_injected() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let opts = ImportOptions::default();
    // The self-evaluation form's productName with line breaks and YAML.
    let form = serde_json::json!({
        "productName": "OS2x\nlayout: evil\npermalink: /index.html\n\"q\": 'r' # c\r\n---\n<script>",
        "krav": [{"id": "R1", "efterlevet": "Ja", "dokumentation": "ok"}]
    });
    let r = import_str(&form.to_string(), "form.json", &reg, &opts).unwrap();
    let md = export::official_markdown(&r, model).unwrap();
    let fm = front_matter_of(&md);
    assert_eq!(
        fm[0],
        (
            "title".to_owned(),
            "OS2x layout: evil permalink: /index.html \"q\": 'r' # c --- &lt;script> governancerapport"
                .to_owned()
        )
    );
    let keys: Vec<&str> = fm.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["title", "layout", "parent", "nav_exclude"]);
    assert_eq!(md.matches("\n---\n").count(), 1, "{md}");
    assert_inert(&md);
    // The name comes back on one line.
    let back = import_str(&md, "x.md", &reg, &opts).unwrap();
    assert_eq!(
        back.product(),
        "OS2x layout: evil permalink: /index.html \"q\": 'r' # c --- <script>"
    );

    // A document's own front matter keeps the navigation keys, nothing else.
    let mut own = import_fixture("os2/reports/selfeval-1.1.0-os2-test.md");
    own.metadata.front_matter = Some(
        "title: OS2-test\npermalink: /index.html\nlayout: default\nredirect_from: /\nnav_exclude: true\nparent: \"a\\nb: c\""
            .into(),
    );
    let md = export::official_markdown(&own, model).unwrap();
    assert_eq!(
        front_matter_of(&md)
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>(),
        [
            "title=OS2-test",
            "layout=default",
            "nav_exclude=true",
            "parent=a b: c"
        ]
    );
}

#[test]
fn finding_3_csv_formula_injection_is_neutralised() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let mut r = import_fixture("os2/reports/evaluation-0.9-os2faktor-2025.md");
    r.self_evaluation = Some(niveau_model::SelfEvaluation {
        model: r.model.clone(),
        product: "x".into(),
        date: None,
        filled_by: None,
        target_level: None,
        repository: None,
        answers: vec![niveau_model::Answer {
            requirement: "R1".into(),
            value: AnswerValue::Yes,
            original: Some("@SUM(1)".into()),
            documentation: Some("=HYPERLINK(\"https://evil.example\";\"klik\")".into()),
            evidence: Vec::new(),
        }],
    });
    let ev = r.evaluation.as_mut().unwrap();
    ev.ratings[0].basis = Some("+cmd|' /C calc'!A0".into());
    ev.ratings[0].recommendation = Some("-2+3;=1".into());
    ev.ratings[1].basis = Some("\t=1".into());
    let csv = export::csv::render(&r, model).unwrap();
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = rd.records().map(|x| x.unwrap()).collect();
    assert_eq!(&rows[0][6], "'@SUM(1)");
    assert_eq!(
        &rows[0][7],
        "'=HYPERLINK(\"https://evil.example\";\"klik\")"
    );
    assert_eq!(&rows[0][10], "'+cmd|' /C calc'!A0");
    assert_eq!(&rows[0][11], "'-2+3;=1");
    assert_eq!(&rows[1][10], "'\t=1");
    // Ordinary text and numbers are untouched, every field is quoted.
    assert_eq!(&rows[0][0], "R1");
    assert!(rows[0][12].parse::<u32>().is_ok());
    assert!(csv.lines().all(|l| l.starts_with('"')), "{csv}");
    assert!(!csv.contains(",=") && !csv.contains("\"=") && !csv.contains("\"+"));
}

#[test]
fn finding_4_html_fragment_escapes_hostile_text() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let mut ev = import_fixture("os2/reports/evaluation-0.9.2-os2-test.md");
    let e = ev.evaluation.as_mut().unwrap();
    e.product = "OS2<svg onload=alert(1)>".into();
    e.evaluated_by = Some("<script>alert(2)</script>".into());
    e.summary = Some(HOSTILE.into());
    for r in &mut e.ratings {
        r.basis = Some(HOSTILE.into());
    }
    let html = export::html::render(&ev, model, niveau_report::Lang::Da).to_lowercase();
    for bad in [
        "<script",
        "<svg onload",
        "onerror",
        "onclick",
        "javascript:",
        "vbscript:",
        "data:text",
    ] {
        assert!(!html.contains(bad), "{bad}");
    }
}
