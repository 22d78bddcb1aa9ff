//! Import fidelity on real reports (issue #12): the 2021–2023 check boxes with the
//! templates' hint texts, "Delvist", evaluations written on the self-evaluation's
//! columns, the recommended level, autolinks in the header.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use niveau_model::{AnswerValue, Rating, Registry};
use niveau_report::document::{DocumentKind, Generation, Report};
use niveau_report::export;
use niveau_report::import::hints::{HINTS, TICKED_IN_TEMPLATE, is_hint};
use niveau_report::import::{ImportOptions, import_str};

fn registry() -> Registry {
    Registry::builtin().unwrap()
}

fn import(text: &str, source: &str) -> Report {
    import_str(text, source, &registry(), &ImportOptions::default()).unwrap()
}

fn fixture(relative: &str) -> String {
    niveau_testkit::fixture(relative)
}

fn crate_fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Every answer as `id=kind`, in model order.
fn answers(r: &Report) -> String {
    r.self_evaluation
        .as_ref()
        .unwrap()
        .answers
        .iter()
        .map(|a| {
            let kind = match &a.value {
                AnswerValue::Yes => "ja",
                AnswerValue::No => "nej",
                AnswerValue::Planned => "planlagt",
                AnswerValue::Partly => "delvist",
                AnswerValue::NotRelevant => "ir",
                AnswerValue::DontKnow => "vi",
                AnswerValue::Unanswered => "-",
                AnswerValue::Other(_) => "other",
            };
            format!("{}={kind}", a.requirement)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn codes(r: &Report) -> Vec<(usize, &str)> {
    r.warnings
        .iter()
        .map(|w| (w.line.unwrap_or(0), w.code.as_str()))
        .collect()
}

/// The Henvisning cells (4th column) of the requirement rows of a blank checklist.
fn template_hints(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').collect();
            let id = cells.get(1)?.trim();
            niveau_report::import::columns::is_requirement_id(id)
                .then(|| cells.get(3).map(|c| c.trim().to_owned()))
                .flatten()
        })
        .collect()
}

#[test]
fn the_hint_table_is_exactly_the_blank_templates_hints() {
    let mut found = Vec::new();
    for t in ["2021", "2023"] {
        let text = fixture(&format!("os2/templates/governance-checklist-{t}.md"));
        for hint in template_hints(&text) {
            if hint.is_empty() {
                continue;
            }
            assert!(is_hint(&hint), "{t}: «{hint}» is not in the hint table");
            found.push(hint);
        }
    }
    for h in HINTS {
        assert!(
            found.iter().any(|f| f == h),
            "«{h}» is in the hint table but in neither blank template"
        );
    }
    // R1 is the one box the templates tick themselves.
    assert_eq!(TICKED_IN_TEMPLATE, ["R1"]);
}

#[test]
fn the_blank_checklists_read_as_not_answered() {
    for t in ["2021", "2023"] {
        let r = import(
            &fixture(&format!("os2/templates/governance-checklist-{t}.md")),
            "blank.md",
        );
        let se = r.self_evaluation.as_ref().unwrap();
        assert!(se.answers.len() >= 44, "{t}");
        for a in &se.answers {
            assert_eq!(a.value, AnswerValue::Unanswered, "{t} {}", a.requirement);
            assert_eq!(
                a.documentation, None,
                "{t} {}: a hint is not documentation",
                a.requirement
            );
        }
        // The template's own tick on R1 is said, once.
        let ticks: Vec<_> = r
            .warnings
            .iter()
            .filter(|w| w.code == "template-tick")
            .collect();
        assert_eq!(ticks.len(), 1, "{t}");
        assert!(
            ticks[0]
                .message
                .da
                .contains("R1: feltet er krydset af som i den tomme skabelon")
        );
        assert!(
            ticks[0]
                .message
                .en
                .contains("R1: the box is ticked as in the blank template")
        );
    }
}

#[test]
fn the_os2iot_and_os2loop_reports_read_per_requirement() {
    // 2021 numbering in the model's: OS2iot's S4 is the model's S5 (S4 is not in the
    // 2021 edition). Every unticked box has the author's own text that does not claim
    // compliance ("Endnu ikke udarbejdet", "Afventer beskrivelse", "Nej - Men …"): Nej.
    let iot = import(&fixture("os2/reports/selfeval-2021-os2iot.md"), "iot.md");
    assert_eq!(
        answers(&iot),
        "R1=ja R2=ja R3=ja R4=ja R5=ja F1=ja F2=ja F3=ja F4=ja F5=ja F6=ja F7=ja F8=ja \
         F9=ja F10=ja F11=ja F12=ja F13=ja F14=ja F15=ja F16=ja F17=ja F18=ja F19=ja F20=ja \
         F21=ja F22=nej S1=ja S2=ja S3=nej S5=nej G1=ja G2=ja G3=ja G4=ja G5=ja G6=ja G7=ja \
         G8=ja G9=nej G10=ja G11=ja G12=ja G13=ja G14=ja"
    );
    assert!(codes(&iot).is_empty(), "{:?}", codes(&iot));

    // OS2loop: "Ikke relevant pt." next to an unticked box is Ikke relevant (with a
    // warning), "Er ikke dokumenteret." and "Afventer møde …" are Nej.
    let lp = import(&fixture("os2/reports/selfeval-2023-os2loop.md"), "loop.md");
    assert_eq!(
        answers(&lp),
        "R1=ja R2=ja R3=ja R4=ja R5=ir F1=ja F2=ja F3=ja F4=ja F5=ja F6=ja F7=nej F8=ja \
         F9=ja F10=ja F11=ja F12=ja F13=ja F14=ja F15=ja F16=ja F17=nej F18=nej F19=ja F20=ja \
         F21=ir F22=ir S1=ja S2=ja S3=ja S5=ir G1=ja G2=ja G3=ja G4=nej G5=nej G6=ja G7=ja \
         G8=ja G9=ja G10=ja G11=ir G12=ja G13=ir G14=ir"
    );
    assert!(
        codes(&lp)
            .iter()
            .all(|(_, c)| *c == "not-relevant-from-text")
    );
}

#[test]
fn unticked_boxes_with_hints_claims_and_denials_in_a_real_report() {
    // OS2loop's report with four rows changed as authors do: the template's hint left
    // in place, an empty cell, "Ja." and a link next to an unticked box.
    let text = fixture("os2/reports/selfeval-2023-os2loop.md")
        .replace(
            "| [] | F7 | Driftskrav til løsningen er dokumenteret | Er ikke dokumenteret. | 1 |",
            "| [] | F7 | Driftskrav til løsningen er dokumenteret | Hvor? | 1 |",
        )
        .replace(
            "| [] | F17 | Drifts og vedligeholdelses setup er beskrevet. | Er ikke beskrevet.| 2 |",
            "| [] | F17 | Drifts og vedligeholdelses setup er beskrevet. | | 2 |",
        )
        .replace(
            "| [] | G4 | Bestyrelsen er orienteret | Afventer møde i bestyrelsen primo februar | 1 |",
            "| [] | G4 | Bestyrelsen er orienteret | Ja. | 1 |",
        )
        .replace(
            "| [] | G5 | Bestyrelsen har godkendt produktet | Afventer møde i bestyrelsen primo februar | 2 |",
            "| [] | G5 | Bestyrelsen har godkendt produktet | Se [referat](https://os2.eu/referat.pdf) | 2 |",
        )
        .replace(
            "| [x] | G6 | Der er nedsat en styregruppe |",
            "| [] | G6 | Der er nedsat en styregruppe | Link til kommissorium | 2 |\n| [x] | G99 | x |",
        );
    let r = import(&text, "loop.md");
    let se = r.self_evaluation.as_ref().unwrap();
    let value = |id: &str| se.answer(id).unwrap().value.clone();
    assert_eq!(value("F7"), AnswerValue::Unanswered, "hint text");
    assert_eq!(se.answer("F7").unwrap().documentation, None);
    assert_eq!(value("F17"), AnswerValue::Unanswered, "empty cell");
    assert_eq!(
        value("G4"),
        AnswerValue::Unanswered,
        "Ja. next to an empty box"
    );
    assert_eq!(
        value("G5"),
        AnswerValue::Unanswered,
        "a link next to an empty box"
    );
    assert_eq!(
        value("G6"),
        AnswerValue::Unanswered,
        "Link til kommissorium"
    );
    // The other unticked rows keep their reading.
    assert_eq!(value("F18"), AnswerValue::No);
    assert_eq!(value("F21"), AnswerValue::NotRelevant);

    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let conflicts: Vec<_> = r
        .warnings
        .iter()
        .filter(|w| w.code == "unticked-claim")
        .collect();
    assert_eq!(conflicts.len(), 2);
    let g4 = line_of("| G4 |");
    let g5 = line_of("| G5 |");
    assert_eq!(conflicts[0].line, Some(g4));
    assert_eq!(
        conflicts[0].message.da,
        format!(
            "Linje {g4}: G4: feltet er ikke krydset af, men teksten svarer «Ja» («Ja.»); \
             det er en modstrid, og svaret læses som ikke besvaret."
        )
    );
    assert_eq!(
        conflicts[0].message.en,
        format!(
            "Line {g4}: G4: the box is not ticked, but the text answers “Ja” (yes) (“Ja.”); \
             that is a conflict, and the answer is read as not answered."
        )
    );
    assert_eq!(conflicts[1].line, Some(g5));
    assert!(
        conflicts[1].message.da.starts_with(&format!(
            "Linje {g5}: G5: feltet er ikke krydset af, men teksten henviser til et link"
        )),
        "{}",
        conflicts[1].message.da
    );
    assert!(
        conflicts[1]
            .message
            .en
            .contains("G5: the box is not ticked, but the text gives a link")
    );
}

#[test]
fn partly_is_read_exported_and_read_back() {
    let text = fixture("os2/reports/selfeval-1.1.0-os2-test.md").replace(
        "| Nej | [Ikke udfyldt] |\n| F14 |",
        "| Delvist | Slides findes til interne møder |\n| F14 |",
    );
    let r = import(&text, "test.md");
    let se = r.self_evaluation.as_ref().unwrap();
    assert_eq!(se.answer("F13").unwrap().value, AnswerValue::Partly);
    assert_eq!(se.answer("F13").unwrap().value.key(), "delvist");
    let reg = registry();
    let md = export::official_markdown(&r, reg.get("os2-1.1.0").unwrap()).unwrap();
    assert!(
        md.lines()
            .any(|l| l.starts_with("| F13 |") && l.contains("| Delvist | Slides findes")),
        "{md}"
    );
    let back = import(&md, "back.md");
    assert_eq!(
        back.self_evaluation.unwrap().answer("F13").unwrap().value,
        AnswerValue::Partly
    );
}

#[test]
fn an_evaluation_on_the_self_evaluations_columns_is_an_evaluation() {
    let r = import(
        &crate_fixture("evaluation-on-selfeval-columns.md"),
        "evaluation-on-selfeval-columns.md",
    );
    assert_eq!(r.kind, DocumentKind::Evaluation);
    assert_eq!(
        r.generation,
        Generation::EvaluationReport("unknown".into()),
        "the governance report's version is not an evaluation template's"
    );
    assert_eq!(r.metadata.template_version.as_deref(), Some("1.1.0"));
    assert_eq!(r.model.id.as_str(), "os2-1.1.0");
    assert_eq!(r.product(), "OS2-test-selvevaluering");

    // The product's claims are kept next to the ratings.
    let se = r.self_evaluation.as_ref().unwrap();
    assert_eq!(se.answers.len(), 43);
    assert_eq!(se.answer("R4").unwrap().value, AnswerValue::NotRelevant);
    assert_eq!(se.answer("F13").unwrap().value, AnswerValue::No);
    assert!(
        se.answer("F1")
            .unwrap()
            .documentation
            .as_deref()
            .unwrap()
            .contains("https://github.com/OS2offdig/os2-product-audits")
    );

    let ev = r.evaluation.as_ref().unwrap();
    assert_eq!(ev.ratings.len(), 43);
    let rating = |id: &str| {
        ev.ratings
            .iter()
            .find(|x| x.requirement.as_str() == id)
            .unwrap()
    };
    assert_eq!(rating("R1").rating, Some(Rating::Yellow));
    assert_eq!(rating("R4").rating, Some(Rating::Grey));
    assert_eq!(rating("F1").rating, Some(Rating::Green));
    assert_eq!(rating("F13").rating, Some(Rating::Red));
    assert_eq!(
        rating("F1").basis.as_deref(),
        Some("Dokumenteret med link; kontrolleret (F1).")
    );
    assert_eq!(
        rating("F13").recommendation.as_deref(),
        Some("Udarbejd dokumentation for F13.")
    );
    assert_eq!(rating("R4").recommendation.as_deref(), Some("Ingen"));
    let count = |r: Rating| ev.ratings.iter().filter(|x| x.rating == Some(r)).count();
    assert_eq!(
        (
            count(Rating::Green),
            count(Rating::Yellow),
            count(Rating::Red),
            count(Rating::Grey)
        ),
        (5, 24, 10, 4)
    );
    // "vurderer … niveau 2" comes first, but the sentence that recommends places the
    // product at level 1 (and names level 2 as a goal).
    assert_eq!(ev.recommended_level.as_ref().unwrap().as_str(), "1");
}

#[test]
fn the_recommended_level_of_os2s_real_evaluations() {
    let faktor = import(
        &fixture("os2/reports/evaluation-0.9-os2faktor-2025.md"),
        "faktor.md",
    );
    let ev = faktor.evaluation.unwrap();
    assert_eq!(ev.recommended_level.unwrap().as_str(), "1");

    let auto = import(
        &crate_fixture("os2-audits/os2autoproces_assessment.md"),
        "os2autoproces_assessment.md",
    );
    assert_eq!(auto.kind, DocumentKind::Evaluation);
    assert_eq!(auto.product(), "OS2autoproces");
    let ev = auto.evaluation.unwrap();
    // "anbefales det at fastholde produktet på **niveau 1** …, med fokus på … et muligt
    // løft til niveau 2".
    assert_eq!(ev.recommended_level.as_ref().unwrap().as_str(), "1");
    let rating = |id: &str| {
        ev.ratings
            .iter()
            .find(|x| x.requirement.as_str() == id)
            .unwrap()
    };
    assert_eq!(rating("F1").rating, Some(Rating::Yellow));
    assert_eq!(rating("F2").rating, Some(Rating::Green));
    assert_eq!(rating("F4").rating, Some(Rating::Red));
    assert_eq!(rating("G10").rating, Some(Rating::Green));
    assert_eq!(
        rating("F2").basis.as_deref(),
        Some("En MPL 2.0 licens er angivet i repo.")
    );

    let skade = import(
        &crate_fixture("os2-audits/os2-skadesokonomi_assessment.md"),
        "os2-skadesokonomi_assessment.md",
    );
    assert_eq!(skade.product(), "OS2-SkadesØkonomi");
    let ev = skade.evaluation.unwrap();
    // "står endnu ikke helt stærkt på niveau 1" does not recommend; "Det anbefales at
    // fastholde placeringen på niveau 1" does.
    assert_eq!(ev.recommended_level.as_ref().unwrap().as_str(), "1");
    let rating = |id: &str| {
        ev.ratings
            .iter()
            .find(|x| x.requirement.as_str() == id)
            .unwrap()
    };
    assert_eq!(rating("R1").rating, Some(Rating::Green));
    assert_eq!(rating("R2").rating, Some(Rating::Yellow));
    assert_eq!(rating("F4").rating, Some(Rating::Red));
    assert_eq!(
        rating("F4").basis.as_deref(),
        Some("Ingen SECURITY.md eller trusselsmodel.")
    );
}

#[test]
fn the_recommending_sentence_decides_the_level() {
    // OS2faktor's evaluation with its summary written the other way round: a judging
    // sentence that names level 2 first, then the recommendation.
    let text = fixture("os2/reports/evaluation-0.9-os2faktor-2025.md");
    let start = text.find("På denne baggrund vurderes OS2faktor").unwrap();
    let end = start + text[start..].find('\n').unwrap();
    let cases = [
        (
            "Sekretariatet vurderer, at produktet lever op til mange krav på niveau 2. \
             Sekretariatet anbefaler dog, at produktet placeres på niveau 1.",
            "1",
        ),
        ("Det anbefales at placere OS2faktor på niveau 2.", "2"),
        (
            "Med et løft kan produktet nå niveau 3. Vi anbefaler med mål om at hæve til \
             niveau 3, at OS2faktor fastholdes på **niveau 2**.",
            "2",
        ),
        (
            "Det anbefales at produktet indplaceres på sandkasseniveau.",
            "sandkasse",
        ),
    ];
    for (sentence, want) in cases {
        let mut t = text.clone();
        t.replace_range(start..end, sentence);
        let r = import(&t, "faktor.md");
        assert_eq!(
            r.evaluation.unwrap().recommended_level.unwrap().as_str(),
            want,
            "{sentence}"
        );
    }
}

#[test]
fn autolinks_in_the_header_lose_their_brackets() {
    let text = fixture("os2/reports/selfeval-1.1.0-os2-test.md").replace(
        "**Link til Git organisation:** [indsæt link til git organisation/repo]",
        "**Link til Git organisation:** <https://github.com/OS2offdig>",
    );
    let r = import(&text, "test.md");
    assert_eq!(
        r.self_evaluation.unwrap().repository.as_deref(),
        Some("https://github.com/OS2offdig")
    );
    let text = fixture("os2/reports/evaluation-0.9-os2faktor-2025.md").replace(
        "**OS2 hjemmeside link:** https://www.os2.eu/os2faktor",
        "**OS2 hjemmeside link:** <https://www.os2.eu/os2faktor>",
    );
    let r = import(&text, "faktor.md");
    assert_eq!(
        r.metadata.website.as_deref(),
        Some("https://www.os2.eu/os2faktor")
    );
}
