//! PDFs (issue 16): the published evaluation and the annual report draft, typeset in
//! process with typst. User text travels as data and is printed as written, however
//! hostile; `escape_markup` makes text literal in typst markup. The pdftotext tests read
//! the real PDF back (scripts/ci-pdf.sh) and leave the PDFs and PNGs of their first
//! pages in `target/tmp/pdf/` to look at.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::NaiveDate;
use niveau_model::{Msg, Registry};
use niveau_report::Lang;
use niveau_report::annual::{
    self, AnnualFigures, Change, EvaluationDone, ProductGovernance, StartEnd,
};
use niveau_report::document::Report;
use niveau_report::import::{ImportOptions, import_str};
use niveau_report::pdf::{self, escape_markup};
use proptest::prelude::*;

fn os2faktor() -> Report {
    let relative = "os2/reports/evaluation-0.9-os2faktor-2025.md";
    let text = niveau_testkit::fixture(relative);
    import_str(
        &text,
        relative,
        &Registry::builtin().unwrap(),
        &ImportOptions::default(),
    )
    .unwrap()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn out_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf")
}

const HOSTILE: &[&str] = &[
    "#panic(\"boom\")",
    "#{ read(\"/etc/passwd\") }",
    "$x^2$ *fed* _kursiv_ <label> @ref",
    "\\ \\\\ \\u{41} ] [ ]] [[",
    "```rust\nfn main() {}\n```",
    "`raw` = Overskrift\n- punkt\n+ tal\n/ term: x",
    "// kommentar /* blok */",
    "#import \"@preview/cetz:0.3.0\"",
    "#include \"/data.json\"",
    "Æble, øl & å — “citat” ~ ... -- ---",
];

#[test]
fn escaped_markup_is_shown_as_written() {
    for text in HOSTILE {
        let markup = format!(
            "#set page(width: 30cm, height: auto)\n{}",
            escape_markup(text)
        );
        let shown = pdf::markup_text(&markup).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(squeeze(&shown), squeeze(text), "{text:?}");
    }
    assert_eq!(escape_markup("a#b\r\nc"), "a\\#b\nc");
}

#[test]
fn unescaped_markup_would_run_code() {
    // The reason for the data path and escape_markup: raw user text in markup runs.
    let err = pdf::markup_text("#panic(\"boom\")").unwrap_err();
    assert!(err.to_string().contains("boom"), "{err}");
}

#[test]
fn hostile_user_text_in_an_evaluation_is_printed_as_written() {
    let reg = Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    let mut report = os2faktor();
    let ev = report.evaluation.as_mut().unwrap();
    ev.product = HOSTILE[0].to_owned();
    // The basis is plain text: every hostile string is shown exactly as written.
    ev.ratings[0].basis = Some(HOSTILE.join("\n\n"));
    // The summary is Markdown: it is rendered as Markdown, and typst markup in it is
    // still text that never runs.
    ev.summary = Some(HOSTILE.join("\n\n"));
    let doc = pdf::evaluation_doc(&report, model, Lang::Da);
    let shown = squeeze(&pdf::typeset_text(&doc).unwrap());
    for text in HOSTILE {
        assert!(shown.contains(&squeeze(text)), "{text:?} missing");
    }
    // Typst markup in the summary is printed as written (in the basis and the summary)…
    for text in [HOSTILE[1], HOSTILE[7], HOSTILE[8]] {
        assert_eq!(shown.matches(&squeeze(text)).count(), 2, "{text:?}");
    }
    // …while its Markdown is rendered: the asterisks of *fed* are left only in the basis.
    assert_eq!(shown.matches(&squeeze(HOSTILE[2])).count(), 1);
    // What Markdown makes of the others in the summary: emphasis without its marks,
    // the code block's content, a list.
    assert!(shown.contains(&squeeze("$x^2$ fed kursiv <label> @ref")));
    assert!(shown.contains(&squeeze("raw = Overskrift")));
    let bytes = pdf::evaluation(&report, model, Lang::Da, NaiveDate::default()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
}

#[test]
fn the_evaluation_document_has_the_counts_and_every_rating() {
    let reg = Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    let report = os2faktor();
    let doc = pdf::evaluation_doc(&report, model, Lang::Da);
    let text = pdf::typeset_text(&doc).unwrap();
    let shown = squeeze(&text);
    assert!(
        shown.contains("EvalueringafOS2-produkt:OS2faktor"),
        "{text}"
    );
    assert!(shown.contains("Optællingafvurderingerpr.niveauogtema"));
    assert!(shown.contains("Vurderingsgrundlag"));
    // Every requirement id of the model is in the requirement tables.
    for r in model.requirements() {
        assert!(shown.contains(r.id.as_str()), "{} missing", r.id);
    }
    assert_eq!(doc.files.len(), 2, "two charts");
    let en = pdf::evaluation_doc(&report, model, Lang::En);
    assert!(en.title.starts_with("Evaluation of OS2 product: OS2faktor"));
}

fn figures() -> AnnualFigures {
    AnnualFigures {
        year: 2018,
        made_on: NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        members_joined: 6,
        members_total: 66,
        members_by_year: vec![(2016, 50), (2017, 60), (2018, 66)],
        products_by_year: vec![(2017, 12), (2018, 17)],
        by_stage: vec![StartEnd {
            label: Msg::new("produkt", "product"),
            start: 12,
            end: 17,
        }],
        by_level: vec![StartEnd {
            label: Msg::new("Niveau 3", "Level 3"),
            start: 0,
            end: 2,
        }],
        in_operation: vec![ProductGovernance {
            product: "OS2udoglær #panic()".into(),
            coordination_group: true,
            steering_group: false,
            joining_agreement: true,
        }],
        stage_changes: vec![Change {
            date: NaiveDate::from_ymd_opt(2018, 4, 1).unwrap(),
            product: "OS2faktor".into(),
            from: Msg::new("projekt", "project"),
            to: Msg::new("produkt", "product"),
        }],
        level_decisions: vec![],
        evaluations: vec![EvaluationDone {
            date: NaiveDate::from_ymd_opt(2018, 11, 16).unwrap(),
            product: "OS2faktor".into(),
        }],
        board_meetings: 7,
        wishes_delivered: 3,
        pledges: 2,
        pledged_ore: 20_000_000,
    }
}

#[test]
fn the_annual_markdown_has_the_figures_and_placeholders() {
    let md = annual::markdown(&figures(), Lang::Da);
    assert!(md.starts_with("# Bestyrelsens beretning 2019\n"), "{md}");
    assert!(md.contains(
        "I løbet af 2018 har 6 nye medlemmer meldt sig ind, og foreningen har 66 medlemmer"
    ));
    assert!(md.contains("Ved udgangen af 2018 er der 1 driftsklare produkter"));
    assert!(md.contains("| produkt | 12 | 17 | +5 |"), "{md}");
    assert!(md.contains("| OS2udoglær #panic() | ja | nej | ja |"));
    assert!(md.contains("| 01-04-2018 | OS2faktor | projekt | produkt |"));
    assert!(md.contains("Bestyrelsen holdt 7 møder i 2018."));
    assert!(md.contains("3 udviklingsønsker blev leveret i 2018. Der blev givet 2 tilsagn om samfinansiering (i alt 200.000 kr.)."), "{md}");
    assert!(md.contains("> **[BESTYRELSEN SKRIVER: fokus for det kommende år.]**"));
    assert!(md.contains("![Udvikling i antal medlemmer](data:image/svg+xml;base64,"));
    let en = annual::markdown(&figures(), Lang::En);
    assert!(en.contains("6 new members joined in 2018"), "{en}");
}

#[test]
fn the_annual_pdf_has_the_figures() {
    let f = figures();
    let bytes = annual::pdf(&f, Lang::Da).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
}

#[test]
#[ignore = "needs pdftotext (scripts/ci-pdf.sh)"]
fn pdftotext_reads_the_evaluation_back() {
    let reg = Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    let report = os2faktor();
    let day = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
    let bytes = pdf::evaluation(&report, model, Lang::Da, day).unwrap();
    let text = niveau_testkit::pdf::text(&bytes);
    let png = niveau_testkit::pdf::first_page_png(&bytes, &out_dir(), "evaluering-os2faktor-da");
    assert!(png.exists());
    assert!(
        text.contains("Evaluering af OS2-produkt: OS2faktor"),
        "{text}"
    );
    assert!(text.contains("16-11-2025"), "{text}");
    // Danish letters survive.
    for word in ["Resumé", "Optælling", "Grøn", "Rød", "Grå", "Anbefaling"] {
        assert!(text.contains(word), "{word} missing:\n{text}");
    }
    // The count table: the total row has the same figures as the document's ratings.
    let tables = niveau_model::count(model, &report.evaluation.as_ref().unwrap().ratings());
    let t = &tables.total;
    let total_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("I alt"))
        .unwrap_or_else(|| panic!("no total row:\n{text}"));
    let numbers: Vec<u32> = total_line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(numbers, [t.green, t.yellow, t.red, t.grey], "{total_line}");
    let en = pdf::evaluation(&report, model, Lang::En, day).unwrap();
    let en_text = niveau_testkit::pdf::text(&en);
    niveau_testkit::pdf::first_page_png(&en, &out_dir(), "evaluering-os2faktor-en");
    assert!(en_text.contains("Evaluation of OS2 product: OS2faktor"));
    assert!(en_text.contains("Green"));
}

#[test]
#[ignore = "needs pdftotext (scripts/ci-pdf.sh)"]
fn pdftotext_reads_the_annual_report_back() {
    let bytes = annual::pdf(&figures(), Lang::Da).unwrap();
    niveau_testkit::pdf::first_page_png(&bytes, &out_dir(), "aarsrapport-2018-da");
    let text = niveau_testkit::pdf::text(&bytes);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Bestyrelsens beretning 2019"), "{flat}");
    assert!(flat.contains("6 nye medlemmer"), "{flat}");
    assert!(flat.contains("66 medlemmer"), "{flat}");
    assert!(flat.contains("OS2udoglær #panic()"), "{flat}");
    assert!(flat.contains("200.000 kr."), "{flat}");
    assert!(flat.contains("BESTYRELSEN SKRIVER"), "{flat}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Any user text — product name, summary, a basis — typesets, and shows as written.
    #[test]
    fn hostile_text_never_breaks_the_evaluation_pdf(
        name in "[#$*_<>@\\\\\\]\\[`=+/~'\"a-zæøå0-9 {}()\n-]{0,40}",
        basis in any::<String>(),
    ) {
        let reg = Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let mut report = os2faktor();
        let ev = report.evaluation.as_mut().unwrap();
        ev.product = name.clone();
        ev.ratings[0].basis = Some(basis);
        let doc = pdf::evaluation_doc(&report, model, Lang::Da);
        let shown = squeeze(&pdf::typeset_text(&doc).unwrap());
        prop_assert!(shown.contains(&squeeze(&name)), "{:?}", name);
    }

    /// Escaped markup compiles and shows the text.
    #[test]
    fn escaped_markup_never_breaks(text in "[#$*_<>@\\\\\\]\\[`=+/~'\":a-zæ0-9 {}()\n-]{0,60}") {
        let markup = format!("#set page(width: 40cm, height: auto)\n{}", escape_markup(&text));
        let shown = pdf::markup_text(&markup).unwrap();
        prop_assert_eq!(squeeze(&shown), squeeze(&text));
    }
}
