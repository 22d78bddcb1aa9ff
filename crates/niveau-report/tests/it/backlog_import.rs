//! Import of a backlog of development wishes from CSV (Jira, GitHub Projects, Niveau's
//! template), the wish CSV export, and the round trip between them.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::NaiveDate;
use niveau_report::export::wishes_csv::{HEADER, WishCsvRow, wishes_csv};
use niveau_report::import::backlog::{
    BacklogError, BacklogRow, MAX_ROWS, PRIORITIES, RowError, STATES, parse_backlog,
};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/backlog")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn rows(name: &str) -> Vec<BacklogRow> {
    match parse_backlog(&fixture(name)) {
        Ok(rows) => rows,
        Err(BacklogError::Rows(errors)) => panic!("{name}: {errors:#?}"),
        Err(e) => panic!("{name}: {e}"),
    }
}

fn row_errors(bytes: &[u8]) -> Vec<RowError> {
    match parse_backlog(bytes) {
        Err(BacklogError::Rows(errors)) => errors,
        other => panic!("expected row errors, got {other:#?}"),
    }
}

fn header_error(bytes: &[u8]) -> niveau_model::Msg {
    match parse_backlog(bytes) {
        Err(BacklogError::Header(m)) => m,
        other => panic!("expected a header error, got {other:#?}"),
    }
}

#[test]
fn a_jira_export_is_read_with_its_repeated_labels_and_seconds() {
    let rows = rows("jira-os2mo.csv");
    assert_eq!(rows.len(), 5);
    let first = &rows[0];
    assert_eq!(first.line, 2);
    assert_eq!(first.key.as_deref(), Some("OS2MO-412"));
    assert_eq!(first.title, "Fravær skal kunne registreres med halve dage");
    assert_eq!(first.state, "ny");
    assert_eq!(first.priority, "middel");
    assert_eq!(first.raised_by.as_deref(), Some("Mette Jensen"));
    assert_eq!(first.organisation.as_deref(), Some("Aarhus Kommune"));
    assert_eq!(first.created, Some(date(2024, 3, 5)));
    // 27000 seconds = 7.5 hours, rounded up.
    assert_eq!(first.estimate_hours, Some(8));
    assert_eq!(first.estimate_ore, Some(1_250_000));
    assert_eq!(first.labels, ["orlov", "ønske"]);
    let need = first.need.as_deref().unwrap();
    assert!(
        need.starts_with("h3. Forretningsbehov\nVores HR-afdeling"),
        "{need}"
    );
    assert!(
        need.contains("Se \"Aftale om seniordage\", §4, stk. 2."),
        "{need}"
    );
    assert!(!need.contains('\r'));
    // The multi-line description moves the next record down.
    let second = &rows[1];
    assert_eq!(second.line, 8);
    assert_eq!(second.state, "i gang");
    assert_eq!(second.priority, "høj");
    assert_eq!(second.estimate_hours, Some(32));
    assert_eq!(second.estimate_ore, Some(8_640_000));
    assert_eq!(second.labels, ["fk-org", "integration"]);
    assert_eq!(
        rows.iter().map(|r| r.state.as_str()).collect::<Vec<_>>(),
        ["ny", "i gang", "leveret", "i test", "afvist"]
    );
    assert_eq!(
        rows.iter().map(|r| r.priority.as_str()).collect::<Vec<_>>(),
        ["middel", "høj", "lav", "kritisk", "lav"]
    );
    assert_eq!(rows[2].need, None);
    assert_eq!(rows[2].estimate_hours, None);
    assert_eq!(rows[3].raised_by.as_deref(), Some("Sikkerhed, Magenta"));
    assert_eq!(rows[3].estimate_hours, Some(1));
    assert_eq!(rows[4].labels, ["rapport", "pdf", "ønske"]);
    assert_eq!(rows[4].created, Some(date(2023, 11, 15)));
}

#[test]
fn a_github_projects_export_is_read_with_its_own_fields() {
    let rows = rows("github-projects-os2faktor.csv");
    assert_eq!(rows.len(), 5);
    assert_eq!(
        rows[0].key.as_deref(),
        Some("https://github.com/OS2sandbox/os2faktor/issues/88")
    );
    assert_eq!(rows[0].title, "Vis sidste login på brugerens side");
    assert_eq!(rows[0].state, "ny");
    assert_eq!(rows[0].priority, "middel");
    assert_eq!(rows[0].estimate_hours, Some(16));
    assert_eq!(rows[0].organisation.as_deref(), Some("Randers Kommune"));
    assert_eq!(rows[0].labels, ["enhancement", "ux"]);
    assert_eq!(rows[1].state, "i gang");
    assert_eq!(rows[1].priority, "høj");
    assert_eq!(rows[1].estimate_hours, Some(3));
    assert_eq!(rows[1].labels, ["enhancement", "security", "\"nøgler\""]);
    assert_eq!(
        rows[2].title,
        "Fejl: NSIS-niveau vises som \"Lav\" efter fornyelse"
    );
    assert_eq!(rows[2].state, "leveret");
    assert_eq!(rows[2].priority, "kritisk");
    assert_eq!(rows[3].state, "i test");
    assert_eq!(rows[3].priority, "middel");
    assert_eq!(rows[3].estimate_hours, None);
    assert_eq!(rows[4].key, None);
    assert_eq!(rows[4].state, "ny");
    for r in &rows {
        assert_eq!(r.created, None);
        assert_eq!(r.need, None);
        assert_eq!(r.raised_by, None);
    }
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4, 5, 6]
    );
}

#[test]
fn the_danish_template_from_excel_is_read() {
    let bytes = fixture("niveau-template.csv");
    assert!(bytes.starts_with(b"\xef\xbb\xbf"), "the fixture has a BOM");
    let rows = rows("niveau-template.csv");
    assert_eq!(rows.len(), 4);
    let r = &rows[0];
    assert_eq!(r.title, "Borgervendt selvbetjening af fritvalgsbevis");
    assert_eq!(r.state, "klar til prioritering");
    assert_eq!(r.priority, "høj");
    assert_eq!(
        r.priority_reason.as_deref(),
        Some("Over 400 opkald om måneden i tre kommuner; borgerne venter i telefonkø.")
    );
    assert_eq!(r.organisation.as_deref(), Some("Silkeborg Kommune"));
    assert_eq!(r.raised_by.as_deref(), Some("Hanne Møller"));
    assert_eq!(r.created, Some(date(2024, 3, 5)));
    assert_eq!(r.estimate_hours, Some(8));
    assert_eq!(r.estimate_ore, Some(1_250_050));
    assert_eq!(r.key.as_deref(), Some("SB-17"));
    assert!(r.proposal.as_deref().unwrap().contains("MitID"));
    assert_eq!(r.value.as_deref(), Some("Færre opkald; hurtigere service."));
    assert!(r.labels.is_empty());
    assert_eq!(rows[1].state, "i gang");
    assert_eq!(rows[1].priority, "kritisk");
    assert_eq!(rows[1].estimate_ore, Some(9_600_000));
    assert_eq!(rows[1].created, Some(date(2024, 1, 15)));
    // A row with only a title: the defaults.
    assert_eq!(rows[2].title, "Bedre søgning i sager");
    assert_eq!(
        (rows[2].state.as_str(), rows[2].priority.as_str()),
        ("ny", "middel")
    );
    assert_eq!(rows[2].need, None);
    assert_eq!(rows[3].title, "Eksport af statistik til Excel;CSV");
    assert_eq!(
        rows[3].need.as_deref(),
        Some("Ledere vil kunne lave egne opgørelser.\nMed én linje pr. sag.")
    );
    assert_eq!(rows[3].created, Some(date(2023, 12, 1)));
    assert_eq!(rows[3].estimate_ore, Some(1_250_000));
    assert_eq!(
        rows.iter().map(|r| r.line).collect::<Vec<_>>(),
        [2, 3, 4, 5]
    );
}

#[test]
fn every_bad_row_is_reported_with_its_line_and_column_and_nothing_is_imported() {
    let errors = row_errors(&fixture("bad-rows.csv"));
    let found: Vec<(u64, Option<&str>)> = errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        found,
        [
            (5, Some("titel")),
            (6, Some("status")),
            (7, Some("prioritet")),
            (8, Some("estimat_kr")),
            (9, Some("oprettet")),
            (10, Some("estimat_timer")),
            (12, Some("status")),
            (12, Some("prioritet")),
            (12, Some("oprettet")),
            (12, Some("estimat_timer")),
            (12, Some("estimat_kr")),
            (13, None),
            (14, Some("estimat_kr")),
        ]
    );
    let msg = |line: u64, col: &str| {
        errors
            .iter()
            .find(|e| e.line == line && e.column.as_deref() == Some(col))
            .unwrap()
            .message
            .clone()
    };
    let m = msg(6, "status");
    assert!(m.da.contains("«Venter på kunde»"), "{}", m.da);
    assert!(m.da.contains("klar til prioritering"), "{}", m.da);
    assert!(
        m.en.contains("unknown status «Venter på kunde»"),
        "{}",
        m.en
    );
    let m = msg(7, "prioritet");
    assert!(m.da.contains("«Snarest»") && m.da.contains("lav, middel, høj, kritisk"));
    let m = msg(8, "estimat_kr");
    assert!(m.da.contains("«12,500»") && m.da.contains("mere end to decimaler"));
    let m = msg(9, "oprettet");
    assert!(m.da.contains("«05/03/2024»") && m.en.contains("not a date"));
    let m = msg(14, "estimat_kr");
    assert!(m.da.contains("negativt"), "{}", m.da);
    let whole = errors.iter().find(|e| e.line == 13).unwrap();
    assert!(
        whole.message.da.contains("8 felter"),
        "{}",
        whole.message.da
    );
    assert!(whole.message.en.contains("8 fields"));
}

#[test]
fn the_file_as_a_whole_is_refused_with_a_reason() {
    assert!(header_error(b"").da.contains("tom"));
    assert!(header_error(b"\xef\xbb\xbf \n\n").en.contains("empty"));
    let m = header_error(b"navn,status\nEt \xf8nske,ny\n");
    assert!(
        m.da.contains("ikke UTF-8") && m.da.contains("linje 2"),
        "{}",
        m.da
    );
    assert!(m.en.contains("CSV UTF-8"), "{}", m.en);
    let m = header_error("navn;status\nEt ønske;ny\n".as_bytes());
    assert!(m.da.contains("ingen kolonne med titlen") && m.da.contains("summary"));
    assert!(m.da.contains("«;»"), "{}", m.da);
    let m = header_error(b"titel,status\n");
    assert!(m.en.contains("no rows"), "{}", m.en);
    let mut many = String::from("titel\n");
    for i in 0..=MAX_ROWS {
        many.push_str(&format!("Ønske {i}\n"));
    }
    assert!(
        header_error(many.as_bytes())
            .da
            .contains("mere end 5000 rækker")
    );
    let big = vec![b'a'; 5 * 1024 * 1024 + 1];
    assert!(header_error(&big).en.contains("5 MB"));
}

#[test]
fn headers_are_matched_without_case_and_spaces_and_excel_sep_lines_are_understood() {
    let text = "sep=;\n  TITEL ; Status;PRIORITET;Custom field (Kommune);Labels;Labels\n\
                Et ønske;In Progress;High;Aarhus Kommune;a;b, a\n;;;;;\n";
    let rows = parse_backlog(text.as_bytes()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].line, 3);
    assert_eq!(rows[0].title, "Et ønske");
    assert_eq!(rows[0].state, "i gang");
    assert_eq!(rows[0].priority, "høj");
    assert_eq!(rows[0].organisation.as_deref(), Some("Aarhus Kommune"));
    assert_eq!(rows[0].labels, ["a", "b"]);
    // A tab-separated file, as GitHub's TSV export writes it.
    let rows = parse_backlog(b"Title\tStatus\tEstimate\nFoo, bar\tDone\t7,5\n").unwrap();
    assert_eq!(rows[0].title, "Foo, bar");
    assert_eq!(rows[0].state, "leveret");
    assert_eq!(rows[0].estimate_hours, Some(8));
}

#[test]
fn texts_are_bounded() {
    let long_title = "x".repeat(301);
    let long_need = "y".repeat(20_001);
    let text = format!(
        "titel,behov\n{long_title},kort\nkort,{long_need}\n{},{}\n",
        "x".repeat(300),
        "y".repeat(20_000)
    );
    let errors = row_errors(text.as_bytes());
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(
        (errors[0].line, errors[0].column.as_deref()),
        (2, Some("titel"))
    );
    assert!(errors[0].message.da.contains("301 tegn; højst 300"));
    assert_eq!(
        (errors[1].line, errors[1].column.as_deref()),
        (3, Some("behov"))
    );
}

fn wish(id: i32, title: &str, state: &str, priority: &str) -> WishCsvRow {
    WishCsvRow {
        product: "OS2mo".to_owned(),
        id,
        title: title.to_owned(),
        state: state.to_owned(),
        priority: priority.to_owned(),
        raised_by: "Mette Jensen".to_owned(),
        organisation: "Aarhus Kommune".to_owned(),
        created: date(2024, 3, 5),
        state_since: date(2024, 4, 1),
        age_days: 27,
        payer: "fællesskabet".to_owned(),
        estimate_hours: Some(120),
        estimate_ore: Some(1_250_050),
        target_ore: Some(10_000_000),
        pledged_ore: 7_500_000,
        delivered: None,
    }
}

#[test]
fn the_wish_export_has_danish_headers_plain_amounts_and_neutralised_formulas() {
    let hostile = [
        "=HYPERLINK(\"http://evil.example\";\"klik\")",
        "Et \"citeret\" ønske; med semikolon",
        "To linjer\nanden linje",
        "+SUM(A1:A9)",
        "@kommune",
        "-1+2",
    ];
    let mut rows: Vec<WishCsvRow> = hostile
        .iter()
        .enumerate()
        .map(|(i, t)| wish(i as i32 + 1, t, STATES[i], PRIORITIES[i % 4]))
        .collect();
    rows[0].raised_by = "=cmd|' /C calc'!A0".to_owned();
    rows[1].estimate_ore = Some(1_250_000);
    rows[1].target_ore = None;
    rows[1].estimate_hours = None;
    rows[1].delivered = Some(date(2024, 9, 30));
    let text = wishes_csv(&rows).unwrap();
    assert!(text.starts_with(
        "\"produkt\",\"id\",\"titel\",\"status\",\"prioritet\",\"rejst_af\",\"organisation\",\
         \"oprettet\",\"status_siden\",\"alder_dage\",\"betaler\",\"estimat_timer\",\
         \"estimat_kr\",\"maal_kr\",\"tilsagn_kr\",\"leveret\"\n"
    ));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), HEADER);
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), hostile.len());
    let first: Vec<&str> = records[0].iter().collect();
    assert_eq!(
        first,
        [
            "OS2mo",
            "1",
            "'=HYPERLINK(\"http://evil.example\";\"klik\")",
            "ny",
            "lav",
            "'=cmd|' /C calc'!A0",
            "Aarhus Kommune",
            "2024-03-05",
            "2024-04-01",
            "27",
            "fællesskabet",
            "120",
            "12500,50",
            "100000",
            "75000",
            "",
        ]
    );
    assert_eq!(&records[1][2], "Et \"citeret\" ønske; med semikolon");
    assert_eq!(&records[1][11], "");
    assert_eq!(&records[1][12], "12500");
    assert_eq!(&records[1][13], "");
    assert_eq!(&records[1][15], "2024-09-30");
    assert_eq!(&records[2][2], "To linjer\nanden linje");
    assert_eq!(&records[3][2], "'+SUM(A1:A9)");
    assert_eq!(&records[4][2], "'@kommune");
    assert_eq!(&records[5][2], "'-1+2");
    // No cell a spreadsheet would evaluate.
    for r in &records {
        for c in r.iter() {
            assert!(!c.starts_with(['=', '+', '@']), "{c}");
        }
    }

    // The export is a backlog: it reads back with titles, states and priorities.
    let back = parse_backlog(text.as_bytes()).unwrap();
    assert_eq!(back.len(), rows.len());
    for (w, b) in rows.iter().zip(&back) {
        assert_eq!(b.title, w.title);
        assert_eq!(b.state, w.state);
        assert_eq!(b.priority, w.priority);
        assert_eq!(b.organisation.as_deref(), Some(w.organisation.as_str()));
        assert_eq!(b.created, Some(w.created));
        assert_eq!(b.estimate_hours, w.estimate_hours);
        assert_eq!(b.estimate_ore, w.estimate_ore);
        assert_eq!(b.key, Some(w.id.to_string()));
    }
    assert_eq!(back[0].raised_by.as_deref(), Some("=cmd|' /C calc'!A0"));
    assert_eq!(back[2].line, 4);
    assert_eq!(back[3].line, 6);
}

#[test]
fn every_state_and_priority_survives_the_round_trip() {
    let rows: Vec<WishCsvRow> = STATES
        .iter()
        .enumerate()
        .map(|(i, s)| wish(i as i32, &format!("Ønske {i}"), s, PRIORITIES[i % 4]))
        .collect();
    let back = parse_backlog(wishes_csv(&rows).unwrap().as_bytes()).unwrap();
    let states: Vec<&str> = back.iter().map(|b| b.state.as_str()).collect();
    assert_eq!(states, STATES);
    assert_eq!(wishes_csv(&[]).unwrap().lines().count(), 1);
}

fn fixture_texts() -> Vec<String> {
    [
        "jira-os2mo.csv",
        "github-projects-os2faktor.csv",
        "niveau-template.csv",
        "bad-rows.csv",
    ]
    .iter()
    .map(|n| String::from_utf8_lossy(&fixture(n)).into_owned())
    .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_backlog(&bytes);
    }

    #[test]
    fn csv_like_text_never_panics_and_lines_are_in_the_file(
        text in "[a-zA-Zæøå0-9 ,;\"'\n\r\t=.-]{0,400}"
    ) {
        let with_header = format!("titel;status;prioritet;estimat_kr;oprettet\n{text}");
        let lines = with_header.lines().count() as u64 + 1;
        match parse_backlog(with_header.as_bytes()) {
            Ok(rows) => for r in rows {
                prop_assert!(r.line >= 2 && r.line <= lines);
                prop_assert!(STATES.contains(&r.state.as_str()));
                prop_assert!(PRIORITIES.contains(&r.priority.as_str()));
            },
            Err(BacklogError::Rows(errors)) => for e in errors {
                prop_assert!(e.line >= 2 && e.line <= lines, "{e:?}");
            },
            Err(BacklogError::Header(_)) => {}
        }
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..4,
        cut in 0usize..4000,
        insert in "[,;\"\n\r\u{feff}x]{0,4}",
    ) {
        let texts = fixture_texts();
        let t = &texts[which];
        let mut at = cut.min(t.len());
        while !t.is_char_boundary(at) {
            at -= 1;
        }
        let mutated = format!("{}{insert}{}", &t[..at], &t[at..]);
        let _ = parse_backlog(mutated.as_bytes());
        let _ = parse_backlog(&mutated.as_bytes()[..at]);
    }
}
