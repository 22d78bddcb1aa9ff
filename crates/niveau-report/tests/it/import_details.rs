//! Details of import and export beyond the fixture corpus: template versions, retired
//! ids, drafts, Niveau's own JSON, editions in proposals.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::{ProposalTable, Rating, Registry, load_model};
use niveau_report::document::{DocumentKind, Generation};
use niveau_report::import::{ImportOptions, import_str};
use niveau_report::{draft, export};

fn registry() -> Registry {
    Registry::builtin().unwrap()
}

fn import(text: &str) -> niveau_report::document::Report {
    import_str(text, "t.md", &registry(), &ImportOptions::default()).unwrap()
}

#[test]
fn evaluation_template_0_9_1_is_recognised_by_its_version() {
    let text = niveau_testkit::fixture("os2/reports/evaluation-0.9.2-os2-test.md").replace(
        "evalueringsskabelon:** 0.9.2",
        "evalueringsskabelon:** 0.9.1",
    );
    let r = import(&text);
    assert_eq!(r.generation, Generation::EvaluationReport("0.9.1".into()));
    assert_eq!(r.kind, DocumentKind::Evaluation);
}

#[test]
fn an_evaluation_without_rating_column_still_is_an_evaluation() {
    let text = "# Evaluering af OS2-produkt: OS2x\n\n| # | Niveau | Krav |\n|---|---|---|\n| R1 | Sandkasse | Løsningen skaber lokal værdi |\n";
    let r = import(text);
    assert_eq!(r.kind, DocumentKind::Evaluation);
    let ev = r.evaluation.as_ref().unwrap();
    assert_eq!(ev.product, "OS2x");
    assert_eq!(ev.ratings.len(), 1);
    assert_eq!(ev.ratings[0].rating, None);
    let model = registry().get("os2-1.1.0").unwrap().clone();
    assert!(export::official_markdown(&r, &model).is_ok());
}

#[test]
fn a_retired_id_without_successor_is_reported() {
    let file = niveau_model::BUILTIN_FILES
        .iter()
        .find(|f| f.id == "os2-1.1.0")
        .unwrap();
    let custom = file
        .text
        .replace("id = \"os2-1.1.0\"", "id = \"custom\"")
        .replace("merged_into = \"F7\"\nnote = \"F9", "note = \"F9");
    let mut reg = registry();
    reg.insert(load_model(&custom, "custom.toml").unwrap());
    let text = "| # | Krav | Efterlevet? |\n|---|---|---|\n| F9 | Gammelt krav | Ja |\n| R1 | Lokal værdi | Ja |\n";
    let r = import_str(
        text,
        "t.md",
        &reg,
        &ImportOptions {
            model: Some("custom".into()),
        },
    )
    .unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "retired-requirement")
        .unwrap();
    assert_eq!(f.line, Some(3));
}

#[test]
fn the_evaluations_git_link_survives_export() {
    let r = import(&niveau_testkit::fixture(
        "os2/reports/evaluation-0.9-os2faktor-2025.md",
    ));
    let ev = r.evaluation.as_ref().unwrap();
    assert_eq!(
        ev.repository.as_deref(),
        Some("https://github.com/OS2faktor")
    );
    let model = registry().get("os2-1.1.0").unwrap().clone();
    let md = export::official_markdown(&r, &model).unwrap();
    assert!(md.contains("> **Link til Git organisation:** https://github.com/OS2faktor<br/>"));
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == "unknown-field" && w.line == Some(15))
    );
}

#[test]
fn a_proposed_draft_stays_a_draft_through_markdown() {
    let reg = registry();
    let model = reg.get("os2-1.1.0").unwrap();
    let se_report = import(&niveau_testkit::fixture(
        "os2/reports/selfeval-1.1.0-os2borgerpc-2026.md",
    ));
    let table = ProposalTable::builtin().unwrap();
    let (d, proposals) = draft::propose(
        &se_report,
        se_report.self_evaluation.as_ref().unwrap(),
        model,
        &table,
    );
    assert_eq!(proposals.len(), 43);
    let md = export::official_markdown(&d, model).unwrap();
    assert!(md.contains("# [KLADDE] Evaluering af OS2-produkt: OS2BorgerPC"));
    let back = import(&md);
    assert!(back.metadata.draft);
    assert_eq!(back.product(), "OS2BorgerPC");
    assert_eq!(
        back.evaluation.unwrap().status,
        niveau_model::EvaluationStatus::Draft
    );
}

#[test]
fn proposals_respect_the_documents_edition() {
    let reg = registry();
    let r = import(&niveau_testkit::fixture(
        "os2/reports/selfeval-2021-os2iot.md",
    ));
    assert_eq!(r.edition.as_deref(), Some("2021"));
    let model = reg.get("os2-2021").unwrap();
    let table = ProposalTable::builtin().unwrap();
    let (_, proposals) = draft::propose(&r, r.self_evaluation.as_ref().unwrap(), model, &table);
    let s4 = proposals
        .iter()
        .find(|p| p.requirement.as_str() == "S4")
        .unwrap();
    assert_eq!(s4.rating, Rating::Grey);
    assert!(s4.rated().counts_as_met());
}

#[test]
fn import_output_with_its_assessment_imports_again() {
    let r = import(&niveau_testkit::fixture(
        "os2/reports/evaluation-0.9.2-os2-test.md",
    ));
    let wrapped = serde_json::json!({
        "schema": niveau_report::document::IMPORT_SCHEMA,
        "report": &r,
        "assessment": null,
    });
    let back = import_str(
        &wrapped.to_string(),
        "t.md",
        &registry(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(back, r);
    let err = import_str(
        "{\"schema\": \"niveau.report/9\"}",
        "x.json",
        &registry(),
        &ImportOptions::default(),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("unsupported schema `niveau.report/9`"),
        "{err}"
    );
}

#[test]
fn form_findings_name_the_element_not_a_line() {
    let r = import(&niveau_testkit::fixture(
        "os2/forms/selfeval-form-os2-test.json",
    ));
    assert!(r.findings.iter().all(|f| f.line.is_none()));
    // R4 is "Ved ikke" without documentation; made a Ja, it is reported at its element.
    let text = niveau_testkit::fixture("os2/forms/selfeval-form-os2-test.json").replacen(
        "\"efterlevet\":\"Ved ikke\"",
        "\"efterlevet\":\"Ja\"",
        1,
    );
    let r = import(&text);
    let f = r
        .findings
        .iter()
        .find(|f| f.code == "yes-without-documentation")
        .unwrap();
    assert_eq!(f.path.as_deref(), Some("krav[3]"));
}
