//! No input makes the importer panic or hang: mutated real reports, arbitrary text,
//! huge and deeply nested inputs. Runs in CI with a bounded number of cases.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::LazyLock;

use niveau_model::Registry;
use niveau_report::export;
use niveau_report::import::{
    ImportError, ImportOptions, MAX_INPUT_BYTES, import_bytes, import_str,
};
use niveau_testkit::mutate::{Mutation, apply};
use proptest::prelude::*;

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| Registry::builtin().unwrap());

static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = niveau_testkit::fixture_path("os2");
    let mut out = Vec::new();
    for dir in ["reports", "templates", "forms"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for p in paths {
            out.push(std::fs::read_to_string(p).unwrap());
        }
    }
    out
});

/// Imports and, when that works, exports every format: neither may panic.
fn exercise(text: &str) {
    let Ok(report) = import_str(text, "fuzz.md", &REGISTRY, &ImportOptions::default()) else {
        return;
    };
    let model = REGISTRY.get(report.model.id.as_str()).unwrap();
    let _ = export::official_markdown(&report, model);
    let _ = export::json(&report);
    let _ = export::csv::render(&report, model);
    let _ = export::html::render(&report, model, niveau_report::Lang::Da);
    for w in &report.warnings {
        if let Some(line) = w.line {
            assert!(
                line >= 1 && line <= text.lines().count().max(1) + 1,
                "{w:?}"
            );
        }
    }
}

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("|".to_owned()),
        Just("| --- | --- |".to_owned()),
        Just("```".to_owned()),
        Just("<!--".to_owned()),
        Just("-->".to_owned()),
        Just("---".to_owned()),
        Just("| R1 | x | [x] | 🟢 / 🟡 |".to_owned()),
        Just("| F99 | ❓ | ✅ | ⚪ | 🔴 |".to_owned()),
        Just("> **Dato for udfyldelse:** 31-02-2026".to_owned()),
        Just("# Governancerapport for [KLADDE]".to_owned()),
        Just("`".to_owned()),
        Just("\\|".to_owned()),
        Just("> **Link til Git organisation:** <https://github.com/x".to_owned()),
        Just("<https://x.dk>".to_owned()),
        Just("| [] | G4 | x | Ja. | 1 |".to_owned()),
        Just("| [] | F5 | x | Hvor? | 0 |".to_owned()),
        Just("| [x] | R1 | x | Hvordan? | 0 |".to_owned()),
        Just("| # | Krav | Efterlevet? | Dokumentation | Vurdering | Vurderingsgrundlag | Anbefaling |".to_owned()),
        Just("| R3 | x | Delvist | y | 🟡 | z | w |".to_owned()),
        Just("## Resumé\nDet anbefales at placere produktet på niveau 2. Mål om niveau".to_owned()),
        "\\PC{0,40}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    niveau_testkit::mutate::mutation(fragment())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 768,
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_reports_never_panic(
        which in 0usize..14,
        mutations in prop::collection::vec(mutation(), 1..12),
    ) {
        let corpus = &*CORPUS;
        let text = apply(&corpus[which % corpus.len()], &mutations);
        exercise(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,2000}") {
        exercise(&text);
    }

    #[test]
    fn autolinks_and_unticked_texts_never_panic(text in "[<>a-zæøå:/. |\\[\\]()]{0,80}|\\PC{0,200}") {
        let once = niveau_report::import::cells::strip_autolinks(&text);
        // Stripping only removes characters.
        prop_assert!(once.len() <= text.len());
        let _ = niveau_report::import::hints::unticked(Some(&text));
    }

    #[test]
    fn every_hint_is_read_as_no_answer_however_it_is_spaced(
        which in 0usize..niveau_report::import::hints::HINTS.len(),
        upper in any::<bool>(),
        pad in "[ \t]{0,3}",
    ) {
        let hint = niveau_report::import::hints::HINTS[which];
        let hint = if upper { hint.to_uppercase() } else { hint.to_owned() };
        let text = format!("{pad}{}{pad}", hint.replace(' ', "  "));
        prop_assert_eq!(
            niveau_report::import::hints::unticked(Some(&text)),
            niveau_report::import::hints::Unticked::Blank
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let _ = import_bytes(&bytes, "fuzz.bin", &REGISTRY, &ImportOptions::default());
    }
}

#[test]
fn a_ten_megabyte_input_is_refused_before_it_is_read() {
    let big = vec![b'|'; 10 * 1024 * 1024];
    let err = import_bytes(&big, "big.md", &REGISTRY, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("at most 8388608 bytes"), "{err}");
}

#[test]
fn a_large_report_just_under_the_limit_is_read() {
    // ~8 MB of requirement rows (each a duplicate of the last). Speed is measured in
    // benches/; this test finishing at all (quadratic work would take hours) is the point.
    let head = "# Governancerapport for Stor\n\n| # | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation |\n| --- | --- | --- | --- | --- | --- |\n";
    let row = "| F1 | Kildekode | sandkasse | x | Ja | https://github.com/OS2/stor |\n";
    let n = (MAX_INPUT_BYTES - head.len()) / row.len();
    let text = format!("{head}{}", row.repeat(n));
    assert!(text.len() <= MAX_INPUT_BYTES);
    let report = import_str(&text, "big.md", &REGISTRY, &ImportOptions::default()).unwrap();
    assert_eq!(report.rows.len(), n);
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.code == "duplicate-requirement")
            .count(),
        n - 1
    );
}

#[test]
fn deeply_nested_inputs_are_handled() {
    // Markdown quotes and lists nested 100 000 deep: the line scanner does not recurse.
    let quotes = format!("{}text\n| R1 | x |\n", "> ".repeat(100_000));
    let _ = import_str(&quotes, "deep.md", &REGISTRY, &ImportOptions::default());
    let brackets = format!("| R1 | {} |\n|---|---|\n| R1 | x |", "[".repeat(100_000));
    let _ = import_str(&brackets, "deep.md", &REGISTRY, &ImportOptions::default());
    // JSON nested 100 000 deep: refused by the JSON parser's depth limit, not a crash.
    let json = format!(
        "{{\"krav\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = import_str(&json, "deep.json", &REGISTRY, &ImportOptions::default()).unwrap_err();
    assert!(matches!(err, ImportError::Json { .. }), "{err}");
    assert!(err.to_string().contains("recursion limit"), "{err}");
}

#[test]
fn pathological_cells_and_tables_are_read() {
    let head = "# Governancerapport for X\n\n| # | Krav | Produktniveau | Retningslinjer | Efterlevet? | Dokumentation |\n| --- | --- | --- | --- | --- | --- |\n";
    for filler in ["<", "http", "](", "`", "\\|", "[x]", "🟢 / "] {
        let cell = filler.repeat(1_000_000 / filler.len());
        let text = format!("{head}| F1 | x | sandkasse | x | Ja | {cell} |\n");
        let r = import_str(&text, "p.md", &REGISTRY, &ImportOptions::default());
        assert!(r.is_ok(), "{filler}");
    }
    // A header-less table with one enormous row and many short ones.
    let wide = format!(
        "| R1 {}|\n{}",
        "| x ".repeat(500_000),
        "| R1 |\n".repeat(200_000)
    );
    let _ = import_str(&wide, "w.md", &REGISTRY, &ImportOptions::default());
}
