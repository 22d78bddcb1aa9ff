//! The official evaluation Markdown names the evaluator and carries the per-requirement
//! recommendations in the template's "Anbefaling" section, as points (#12); the JSON
//! carries them per rating.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::Registry;
use niveau_report::document::Report;
use niveau_report::export;
use niveau_report::import::{ImportOptions, import_str};

fn evaluation() -> Report {
    let relative = "os2/reports/evaluation-0.9.2-os2-test.md";
    let text = niveau_testkit::fixture(relative);
    import_str(
        &text,
        relative,
        &Registry::builtin().unwrap(),
        &ImportOptions::default(),
    )
    .unwrap()
}

/// The lines of the "## Anbefaling" section, up to the next heading or rule.
fn recommendation_section(md: &str) -> Vec<&str> {
    md.lines()
        .skip_while(|l| *l != "## Anbefaling")
        .take_while(|l| *l != "---")
        .collect()
}

#[test]
fn the_official_markdown_names_the_evaluator_and_lists_the_recommendations() {
    let reg = Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    let mut report = evaluation();
    report.metadata.front_matter = None;
    let e = report.evaluation.as_mut().unwrap();
    e.evaluated_by = Some("Sara Sekretær".into());
    e.recommendation = Some("Dokumentationen bør samles ét sted.".into());
    for entry in &mut e.ratings {
        entry.recommendation = match entry.requirement.as_str() {
            "F7" => Some("Brug OS2's skabelon til dokumentationen.".into()),
            "G1" => Some("Nedsæt en styregruppe\nmed kommissorium.".into()),
            _ => None,
        };
    }
    let md = export::official_markdown(&report, model).unwrap();
    assert!(md.contains("> **Evaluering lavet af:** Sara Sekretær<br/>\n"));
    assert!(!md.contains("[Navn]"));
    let section = recommendation_section(&md);
    let f7 = model.requirement("F7").unwrap();
    let g1 = model.requirement("G1").unwrap();
    assert_eq!(
        section,
        [
            "## Anbefaling",
            "Dokumentationen bør samles ét sted.",
            "",
            &format!(
                "* **F7** {}: Brug OS2's skabelon til dokumentationen.",
                f7.short_text.as_deref().unwrap_or(&f7.text)
            ),
            &format!(
                "* **G1** {}: Nedsæt en styregruppe med kommissorium.",
                g1.short_text.as_deref().unwrap_or(&g1.text)
            ),
            "",
        ]
    );
    insta::assert_snapshot!("evaluation_with_recommendations_md", md);

    // The JSON carries each recommendation with its rating.
    let json: serde_json::Value = serde_json::from_str(&export::json(&report).unwrap()).unwrap();
    let ratings = json["evaluation"]["ratings"].as_array().unwrap();
    let f7_json = ratings.iter().find(|r| r["requirement"] == "F7").unwrap();
    assert_eq!(
        f7_json["recommendation"],
        "Brug OS2's skabelon til dokumentationen."
    );
    assert_eq!(json["evaluation"]["evaluated_by"], "Sara Sekretær");
}

#[test]
fn without_recommendations_the_template_text_stays() {
    let reg = Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    let mut report = evaluation();
    let e = report.evaluation.as_mut().unwrap();
    e.recommendation = None;
    for entry in &mut e.ratings {
        entry.recommendation = None;
    }
    let md = export::official_markdown(&report, model).unwrap();
    assert_eq!(
        recommendation_section(&md),
        [
            "## Anbefaling",
            "[Her skrives et overblik over anbefalinger - gerne i punktform]",
            "",
        ]
    );
}
