//! The model loader: one clear problem per thing wrong, with file, line, column and
//! rule; no panic on any input.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::{BUILTIN_FILES, ProposalTable, Rule, load_model};
use niveau_testkit::mutate::{Mutation, apply};
use proptest::prelude::*;

fn broken() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/broken-model.toml"
    ))
    .unwrap()
}

#[test]
fn every_problem_is_reported_with_its_place_and_rule() {
    let err = load_model(&broken(), "broken-model.toml").unwrap_err();
    let lines: Vec<String> = err.problems.iter().map(ToString::to_string).collect();
    let expected = [
        "broken-model.toml:23:8: error[levels-out-of-order]: level `1` has rank 1, but the level before it (`2`) has rank 2; list levels from lowest to highest with strictly increasing ranks",
        "broken-model.toml:24:12: error[alias-collision]: level alias `sandkasse` is already used as a level id at line 11",
        "broken-model.toml:37:6: error[duplicate-id]: requirement id `R1` is already used at line 31",
        "broken-model.toml:44:9: error[unknown-theme]: requirement R2 refers to theme `relevanz`, which this model does not define (themes: relevans)",
        "broken-model.toml:45:9: error[unknown-level]: requirement R2 refers to level `4`, which this model does not define (levels: sandkasse, 2, 1)",
        "broken-model.toml:46:8: error[empty-text]: text of requirement R2 is empty",
        "broken-model.toml:47:12: error[alias-collision]: alias `R1` of requirement R2 is the id of the requirement at line 31",
        "broken-model.toml:54:1: error[structure]: unknown key `niveau` (allowed here: id, theme, level, text, short_text, guideline, criterion, obligation, aliases)",
        "broken-model.toml:61:14: error[invalid-value]: obligation `maybe` of requirement R4 must be `must` or `should`",
    ];
    assert_eq!(lines, expected, "\n{}", lines.join("\n"));
}

#[test]
fn syntax_errors_are_all_reported() {
    let text = "[model]\nid = \"x\nversion = 1\n\n[[level]]\nid = = 2\n";
    let err = load_model(text, "bad.toml").unwrap_err();
    assert!(err.problems.len() >= 2, "{err}");
    assert!(err.problems.iter().all(|p| p.rule == Rule::Syntax), "{err}");
    assert_eq!(err.problems[0].location.line, 2, "{err}");
    assert!(err.problems.iter().any(|p| p.location.line == 6), "{err}");
}

#[test]
fn wrong_types_and_missing_sections_are_structure_problems() {
    let text = "level = 3\nthme = 1\n[model]\nid = \"x\"\nversion = \"1\"\nname = \"X\"\n[model.source]\ntitle = \"T\"\nurll = \"u\"\n";
    let err = load_model(text, "m.toml").unwrap_err();
    let rendered = err.to_string();
    assert!(
        rendered.contains("m.toml:1:9: error[structure]: `level` must be an array of tables"),
        "{rendered}"
    );
    assert!(
        rendered.contains(
            "m.toml:2:1: error[structure]: unknown section `thme`; did you mean `theme`?"
        ),
        "{rendered}"
    );
    assert!(
        rendered.contains("m.toml:9:1: error[structure]: unknown key `urll`; did you mean `url`?"),
        "{rendered}"
    );
    assert!(
        rendered.contains("error[structure]: the model has no [[theme]] entries"),
        "{rendered}"
    );
    assert!(
        rendered.contains("error[structure]: the model has no [[requirement]] entries"),
        "{rendered}"
    );
}

#[test]
fn unknown_sections_and_missing_header_are_named() {
    let err = load_model("[[krav]]\nid = \"R1\"\n", "m.toml").unwrap_err();
    let rendered = err.to_string();
    assert!(
        rendered.contains("m.toml:1:3: error[structure]: unknown section `krav`"),
        "{rendered}"
    );
    assert!(rendered.contains("missing [model] section"), "{rendered}");
}

#[test]
fn retired_ids_and_mappings_are_checked() {
    let file = BUILTIN_FILES.iter().find(|f| f.id == "os2-1.1.0").unwrap();
    let text = file.text.replace(
        "merged_into = \"F7\"\nnote = \"F9",
        "merged_into = \"F99\"\nnote = \"F9",
    );
    let err = load_model(&text, "m.toml").unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    assert_eq!(err.problems[0].rule, Rule::UnknownRequirement);
    assert!(err.problems[0].message.contains("F99"));

    let file = BUILTIN_FILES.iter().find(|f| f.id == "os2-2021").unwrap();
    let text = file.text.replace("from = \"R5\"", "from = \"R55\"");
    let err = load_model(&text, "m.toml").unwrap_err();
    assert_eq!(err.problems.len(), 1, "{err}");
    assert_eq!(err.problems[0].rule, Rule::UnknownRequirement);
}

fn mutation() -> impl Strategy<Value = Mutation> {
    niveau_testkit::mutate::mutation("[a-z_]{0,8} = \"?[0-9a-z]{0,6}\"?".prop_map(String::from))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn the_loader_never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        let _ = load_model(&text, "fuzz.toml");
        let _ = ProposalTable::from_toml(&text, "fuzz.toml");
    }

    #[test]
    fn the_loader_never_panics_on_mutated_models(
        which in 0usize..3,
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let text = apply(BUILTIN_FILES[which].text, &mutations);
        match load_model(&text, "fuzz.toml") {
            Ok(model) => prop_assert!(!model.requirements().is_empty()),
            Err(problems) => {
                prop_assert!(!problems.problems.is_empty());
                for p in &problems.problems {
                    prop_assert!(p.location.line >= 1 && p.location.column >= 1);
                    prop_assert!(p.location.line <= text.lines().count().max(1) + 1);
                    prop_assert!(!p.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn the_proposal_table_loader_never_panics_on_mutations(
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        let text = apply(niveau_model::proposal::DEFAULT_TABLE_TOML, &mutations);
        if let Err(problems) = ProposalTable::from_toml(&text, "fuzz.toml") {
            prop_assert!(!problems.problems.is_empty());
        }
    }
}
