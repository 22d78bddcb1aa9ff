#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The process rules as a table of (stage, level, decider, step) → allowed or refused
//! with the message; a property: no sequence of allowed steps and level changes reaches
//! produkt at level 2 or 3 without the board's approval in the log; and the whole story
//! through the store: idea → concept → board case (tilbageløb, then approval) → project
//! with a progress report → product.

use chrono::NaiveDate;
use niveau_store::Actor;
use niveau_store::board::{CaseDecisionInput, CaseInput, MeetingInput};
use niveau_store::entity::decision;
use niveau_store::products::{ParticipantInput, ProductInput};
use niveau_store::progress::ProgressInput;
use niveau_store::types::{
    BoardCaseKind, BoardOutcome, DecidedBy, DecisionKind, ParticipantRole, ProgressStatus, Role,
    Stage,
};
use proptest::prelude::*;

use super::rules::{State, check, check_level_change};
use super::table::builtin;
use super::{StepInput, step, view};
use crate::work_fixtures::{app, secretariat, who};
use crate::{board, progress};

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(u64::from(n))
}

fn entry(kind: DecisionKind, from: Option<&str>, to: &str, by: DecidedBy) -> decision::Model {
    decision::Model {
        id: 0,
        product_id: Some(1),
        decided_on: day(0),
        kind,
        from_value: from.map(str::to_owned),
        to_value: Some(to.to_owned()),
        model_id: None,
        basis: "b".into(),
        decided_by: by,
        reference: None,
        evaluation_id: None,
        recorded_by: "t".into(),
        recorded_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
    }
}

fn approval(what: &str) -> decision::Model {
    entry(DecisionKind::Godkendelse, None, what, DecidedBy::Bestyrelse)
}

const REASONS: &str = "Manglende strategisk fit med OS2's vision";

/// (stage, level, board approved, user organisations, decider, step, basis) → the stage
/// reached, or the refusal in English.
#[test]
fn the_rules_as_a_table() {
    let table = builtin().unwrap();
    use DecidedBy::{Bestyrelse as B, Initiativtager as I, Sekretariat as S};
    use Stage::*;
    type Row = (
        Stage,
        Option<&'static str>,
        bool,
        usize,
        DecidedBy,
        &'static str,
        &'static str,
        Result<Stage, &'static str>,
    );
    let rows: Vec<Row> = vec![
        (Ide, Some("2"), false, 0, S, "koncept", "", Ok(Koncept)),
        (
            Ide,
            None,
            false,
            0,
            S,
            "koncept",
            "",
            Err(
                "\"Shaped into a concept\" needs the secretariat to place the product on a level (target level) first",
            ),
        ),
        (
            Ide,
            Some("1"),
            false,
            0,
            B,
            "koncept",
            "",
            Err("\"Shaped into a concept\" is decided by the secretariat, not by the board"),
        ),
        (
            Ide,
            Some("1"),
            false,
            0,
            S,
            "igangsaet",
            "",
            Err(
                "\"Started as a project\" is taken from the stage concept; the product is in the stage idea",
            ),
        ),
        (
            Ide,
            Some("1"),
            false,
            0,
            S,
            "produkt",
            "",
            Err(
                "\"Became a product\" is taken from the stage project; the product is in the stage idea",
            ),
        ),
        (
            Koncept,
            Some("1"),
            false,
            0,
            S,
            "igangsaet",
            "",
            Ok(Projekt),
        ),
        (
            Koncept,
            Some("sandkasse"),
            false,
            0,
            S,
            "igangsaet",
            "",
            Ok(Projekt),
        ),
        (
            Koncept,
            Some("2"),
            false,
            0,
            S,
            "igangsaet",
            "",
            Err(
                "a level 2 concept must be approved by the board first: present it in a board case",
            ),
        ),
        (
            Koncept,
            Some("3"),
            false,
            0,
            B,
            "igangsaet",
            "",
            Err(
                "a level 3 concept must be approved by the board first: present it in a board case",
            ),
        ),
        (Koncept, Some("2"), true, 0, B, "igangsaet", "", Ok(Projekt)),
        (
            Koncept,
            Some("2"),
            false,
            0,
            S,
            "tilbageloeb",
            REASONS,
            Ok(Ide),
        ),
        (
            Koncept,
            Some("2"),
            false,
            0,
            S,
            "tilbageloeb",
            "nej",
            Err("\"Sent back to the idea stage\" needs reasons of at least 20 characters"),
        ),
        (
            Koncept,
            Some("2"),
            false,
            0,
            S,
            "afvis",
            REASONS,
            Err("at level 2 the board takes the decision \"Rejected\": present it in a board case"),
        ),
        (
            Koncept,
            Some("2"),
            false,
            0,
            B,
            "afvis",
            REASONS,
            Ok(Afvist),
        ),
        (
            Koncept,
            Some("1"),
            false,
            0,
            S,
            "afvis",
            REASONS,
            Ok(Afvist),
        ),
        (
            Koncept,
            Some("1"),
            false,
            0,
            I,
            "traek-tilbage",
            "",
            Ok(Lukket),
        ),
        (
            Projekt,
            Some("1"),
            false,
            0,
            S,
            "produkt",
            "",
            Err(
                "a project becomes a product once implemented in its first organisations: register at least one user organisation as a participant",
            ),
        ),
        (Projekt, Some("1"), false, 1, S, "produkt", "", Ok(Produkt)),
        (
            Projekt,
            Some("2"),
            false,
            3,
            S,
            "produkt",
            "",
            Err(
                "a level 2 product must be approved by the board first: present it in a board case",
            ),
        ),
        (Projekt, Some("2"), true, 3, S, "produkt", "", Ok(Produkt)),
        (
            Projekt,
            Some("2"),
            true,
            3,
            S,
            "genovervej",
            REASONS,
            Err(
                "\"Reconsidered: back to the idea stage\" is decided by the board, not by the secretariat",
            ),
        ),
        (
            Projekt,
            Some("2"),
            true,
            3,
            B,
            "genovervej",
            REASONS,
            Ok(Ide),
        ),
        (
            Projekt,
            Some("1"),
            false,
            0,
            I,
            "traek-tilbage",
            "",
            Err(
                "\"Withdrawn by the initiator\" is taken from the stage idea or concept; the product is in the stage project",
            ),
        ),
        (
            Produkt,
            Some("3"),
            true,
            5,
            S,
            "luk",
            REASONS,
            Err("at level 3 the board takes the decision \"Closed\": present it in a board case"),
        ),
        (Produkt, Some("1"), true, 5, S, "luk", REASONS, Ok(Lukket)),
        (Produkt, Some("2"), true, 5, S, "pause", REASONS, Ok(Pauset)),
        (Afvist, Some("2"), false, 0, S, "ny-ide", "", Ok(Ide)),
        (
            Lukket,
            Some("2"),
            false,
            0,
            S,
            "ny-ide",
            "",
            Err(
                "\"Taken up again as a new idea\" is taken from the stage rejected; the product is in the stage closed",
            ),
        ),
    ];
    for (i, (stage, level, approved, users, by, id, basis, expected)) in
        rows.into_iter().enumerate()
    {
        let log: Vec<decision::Model> = if approved {
            vec![approval("koncept")]
        } else {
            Vec::new()
        };
        let state = State {
            stage,
            level,
            log: &log,
            user_organisations: users,
        };
        let t = table.get(id).unwrap();
        let got = check(t, &state, by, basis).map_err(|m| m.en);
        assert_eq!(
            got,
            expected.map_err(str::to_owned),
            "row {i}: {id} from {stage} at {level:?} by {by}"
        );
    }
}

#[test]
fn a_tilbageloeb_cancels_an_earlier_approval_and_resuming_returns_to_the_stage_before() {
    let table = builtin().unwrap();
    let start = table.get("igangsaet").unwrap();
    let log = vec![
        approval("koncept"),
        entry(
            DecisionKind::Stadie,
            Some("koncept"),
            "idé",
            DecidedBy::Bestyrelse,
        ),
        entry(
            DecisionKind::Stadie,
            Some("idé"),
            "koncept",
            DecidedBy::Sekretariat,
        ),
    ];
    let state = State {
        stage: Stage::Koncept,
        level: Some("2"),
        log: &log,
        user_organisations: 0,
    };
    assert!(check(start, &state, DecidedBy::Bestyrelse, "").is_err());
    // An approval by the secretariat is not the board's.
    let log = vec![entry(
        DecisionKind::Godkendelse,
        None,
        "koncept",
        DecidedBy::Sekretariat,
    )];
    let state = State {
        stage: Stage::Koncept,
        level: Some("2"),
        log: &log,
        user_organisations: 0,
    };
    assert!(check(start, &state, DecidedBy::Bestyrelse, "").is_err());

    let resume = table.get("genoptag").unwrap();
    let log = vec![entry(
        DecisionKind::Stadie,
        Some("projekt"),
        "pauset",
        DecidedBy::Sekretariat,
    )];
    let state = State {
        stage: Stage::Pauset,
        level: Some("1"),
        log: &log,
        user_organisations: 0,
    };
    assert_eq!(
        check(resume, &state, DecidedBy::Sekretariat, ""),
        Ok(Stage::Projekt)
    );
    let state = State {
        stage: Stage::Pauset,
        level: Some("2"),
        log: &log,
        user_organisations: 0,
    };
    assert_eq!(
        check(resume, &state, DecidedBy::Sekretariat, "")
            .unwrap_err()
            .en,
        "a level 2 product must be approved by the board first: present it in a board case"
    );
    let state = State {
        stage: Stage::Pauset,
        level: Some("1"),
        log: &[],
        user_organisations: 0,
    };
    assert!(
        check(resume, &state, DecidedBy::Sekretariat, "")
            .unwrap_err()
            .en
            .starts_with("the decision log does not show")
    );

    assert_eq!(
        check_level_change(Stage::Produkt, Some("1"), Some("2"), &[])
            .unwrap_err()
            .en,
        "a level 2 product must be approved by the board first: present it in a board case before raising the target level"
    );
    assert!(check_level_change(Stage::Koncept, Some("1"), Some("3"), &[]).is_ok());
    assert!(
        check_level_change(Stage::Produkt, Some("1"), Some("2"), &[approval("produkt")]).is_ok()
    );
}

/// One thing that can happen to a product: a step by a decider, a board approval (as
/// the board's decision on a case writes it), a user organisation joining, or a new
/// target level.
#[derive(Debug, Clone)]
enum Event {
    Step(usize, DecidedBy),
    Approve(bool),
    User,
    Level(Option<&'static str>),
}

fn event() -> impl Strategy<Value = Event> {
    let by = prop_oneof![
        Just(DecidedBy::Sekretariat),
        Just(DecidedBy::Bestyrelse),
        Just(DecidedBy::Initiativtager)
    ];
    prop_oneof![
        4 => (0usize..11, by).prop_map(|(i, b)| Event::Step(i, b)),
        1 => any::<bool>().prop_map(Event::Approve),
        1 => Just(Event::User),
        2 => prop_oneof![Just(None), Just(Some("sandkasse")), Just(Some("1")), Just(Some("2")), Just(Some("3"))].prop_map(Event::Level),
    ]
}

proptest! {
    #[test]
    fn no_allowed_sequence_reaches_a_level_2_or_3_product_without_the_boards_approval(
        events in proptest::collection::vec(event(), 0..60)
    ) {
        let table = builtin().unwrap();
        let mut stage = Stage::Ide;
        let mut level: Option<&str> = None;
        let mut log: Vec<decision::Model> = Vec::new();
        let mut users = 0;
        for e in events {
            match e {
                Event::Step(i, by) => {
                    let t = &table.transitions[i % table.transitions.len()];
                    let state = State { stage, level, log: &log, user_organisations: users };
                    if let Ok(to) = check(t, &state, by, REASONS) {
                        log.push(entry(DecisionKind::Stadie, Some(stage.as_str()), to.as_str(), by));
                        stage = to;
                    }
                }
                // Only a concept or a product is approved by the board (a board case).
                Event::Approve(concept) => {
                    if concept && stage == Stage::Koncept {
                        log.push(approval("koncept"));
                    } else if !concept && matches!(stage, Stage::Projekt | Stage::Produkt) {
                        log.push(approval("produkt"));
                    }
                }
                Event::User => users += 1,
                Event::Level(new) => {
                    if check_level_change(stage, level, new, &log).is_ok() {
                        level = new;
                    }
                }
            }
            if stage == Stage::Produkt && super::board_level(level) {
                prop_assert!(
                    log.iter().any(|d| d.kind == DecisionKind::Godkendelse && d.decided_by == DecidedBy::Bestyrelse),
                    "produkt at level {level:?} without the board's approval: {log:?}"
                );
            }
        }
    }
}

fn step_input(id: &str, by: DecidedBy, n: u32, basis: &str) -> StepInput {
    StepInput {
        transition: id.into(),
        decided_by: by,
        decided_on: day(n),
        basis: basis.into(),
        reference: None,
    }
}

#[tokio::test]
async fn from_idea_to_product_through_the_board() {
    let app = app().await;
    let sek = secretariat();
    let board_member = who(&[Role::Bestyrelse], &[]);
    let sys = Actor::system("test");
    let product = app
        .store()
        .create_product(
            &sys,
            serde_json::from_value::<ProductInput>(serde_json::json!({
                "slug": "os2ny", "name": "OS2ny", "target_level": "2"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(product.stage, Stage::Ide);
    let s = Some(&sek);

    // idé → koncept (the secretariat places it on level 2).
    step(
        &app,
        s,
        "os2ny",
        step_input(
            "koncept",
            DecidedBy::Sekretariat,
            1,
            "Idéen er formet til et koncept",
        ),
    )
    .await
    .unwrap();
    // A level 2 concept cannot start without the board.
    let err = step(
        &app,
        s,
        "os2ny",
        step_input("igangsaet", DecidedBy::Sekretariat, 2, "Vi går i gang"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid_state");
    assert_eq!(
        err.message().da,
        "et koncept på niveau 2 skal først godkendes af bestyrelsen: forelæg det i en bestyrelsessag"
    );
    // Nor may a board member record the secretariat's step, nor an editor the board's.
    let err = step(
        &app,
        Some(&board_member),
        "os2ny",
        step_input("igangsaet", DecidedBy::Sekretariat, 2, "x"),
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "forbidden");

    let view_now = view(&app, s, "os2ny").await.unwrap();
    let start = view_now.steps.iter().find(|o| o.id == "igangsaet").unwrap();
    assert!(!start.allowed);
    assert_eq!(view_now.stage, Stage::Koncept);

    // The board meeting, the case, and the board's tilbageløb.
    let meeting = board::create_meeting(
        &app,
        s,
        MeetingInput {
            held_on: day(10),
            title: "Bestyrelsesmøde".into(),
            agenda: None,
            version: None,
        },
    )
    .await
    .unwrap();
    let case_input = |title: &str| CaseInput {
        product_id: product.id,
        kind: BoardCaseKind::Koncept,
        meeting_id: Some(meeting.id),
        title: title.into(),
        presentation: "Konceptet til godkendelse og prioritering".into(),
        material: vec![
            "/produkter/os2ny".into(),
            "https://os2.eu/koncept.pdf".into(),
        ],
        group_id: None,
        evaluation_id: None,
        version: None,
    };
    let first = board::create_case(&app, s, case_input("OS2ny: koncept"))
        .await
        .unwrap();
    let decided = board::decide(
        &app,
        Some(&board_member),
        first.id,
        first.version,
        CaseDecisionInput {
            outcome: BoardOutcome::Tilbageloeb,
            decided_on: day(10),
            priority: None,
            reasons: Some("Manglende overholdelse af arkitekturkrav".into()),
            reference: Some("referat 10".into()),
            version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(decided.decisions.len(), 1);
    assert_eq!(decided.decisions[0].to_value.as_deref(), Some("idé"));
    assert_eq!(decided.decisions[0].decided_by, DecidedBy::Bestyrelse);
    assert!(
        decided.decisions[0]
            .basis
            .ends_with("Manglende overholdelse af arkitekturkrav"),
        "{}",
        decided.decisions[0].basis
    );
    // Recorded once.
    let again = board::decide(
        &app,
        s,
        first.id,
        decided.case.version,
        CaseDecisionInput {
            outcome: BoardOutcome::Godkendt,
            decided_on: day(11),
            priority: Some(1),
            reasons: None,
            reference: None,
            version: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(again.code(), "invalid_state", "{}", again.message().en);
    assert!(
        again
            .message()
            .en
            .starts_with(&format!("the board has already decided case {}", first.id))
    );

    // Once more through the idea process, then approved with priority 1.
    step(
        &app,
        s,
        "os2ny",
        step_input(
            "koncept",
            DecidedBy::Sekretariat,
            20,
            "Konceptet er gentænkt",
        ),
    )
    .await
    .unwrap();
    let second = board::create_case(&app, s, case_input("OS2ny: koncept igen"))
        .await
        .unwrap();
    let decided = board::decide(
        &app,
        Some(&board_member),
        second.id,
        second.version,
        CaseDecisionInput {
            outcome: BoardOutcome::Godkendt,
            decided_on: day(30),
            priority: Some(1),
            reasons: None,
            reference: None,
            version: None,
        },
    )
    .await
    .unwrap();
    let kinds: Vec<(DecisionKind, Option<&str>)> = decided
        .decisions
        .iter()
        .map(|d| (d.kind, d.to_value.as_deref()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (DecisionKind::Godkendelse, Some("koncept")),
            (DecisionKind::Stadie, Some("projekt"))
        ]
    );
    assert_eq!(decided.case.priority, Some(1));
    assert_eq!(
        app.store().product(product.id).await.unwrap().stage,
        Stage::Projekt
    );

    // A progress report, then follow-up: on budget, not late (the store's clock is now).
    let today = app.store().now().date_naive();
    progress::report(
        &app,
        s,
        "os2ny",
        ProgressInput {
            period_from: today - chrono::Days::new(90),
            period_to: today,
            status: ProgressStatus::Forsinket,
            budget: Some(1_000_000),
            spent: Some(700_000),
            expected_total: Some(1_200_000),
            progress: "Første version er i test i to kommuner".into(),
            risks: Some("Leverandørens kapacitet".into()),
        },
    )
    .await
    .unwrap();
    let follow = progress::follow_up(&app, Some(&board_member))
        .await
        .unwrap();
    assert_eq!(follow.len(), 1);
    assert!(!follow[0].late);
    assert_eq!(follow[0].overrun, Some(200_000));

    // Product: needs a user organisation.
    let err = step(
        &app,
        s,
        "os2ny",
        step_input("produkt", DecidedBy::Sekretariat, 60, "Implementeret"),
    )
    .await
    .unwrap_err();
    assert!(
        err.message()
            .en
            .starts_with("a project becomes a product once implemented"),
        "{}",
        err.message().en
    );
    let org = app
        .store()
        .create_organisation(
            &sys,
            serde_json::from_value(serde_json::json!({
                "name": "Aarhus Kommune", "kind": "kommune"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    app.store()
        .add_participant(
            &sys,
            product.id,
            ParticipantInput {
                organisation_id: Some(org.id),
                person_id: None,
                role: ParticipantRole::Anvender,
                since: None,
                until: None,
                version: None,
            },
        )
        .await
        .unwrap();
    let done = step(
        &app,
        s,
        "os2ny",
        step_input(
            "produkt",
            DecidedBy::Sekretariat,
            61,
            "Implementeret i Aarhus",
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        (done.from_value.as_deref(), done.to_value.as_deref()),
        (Some("projekt"), Some("produkt"))
    );
    let log = app.store().process_log(product.id).await.unwrap();
    let trail: Vec<&str> = log
        .iter()
        .filter(|d| d.kind == DecisionKind::Stadie)
        .filter_map(|d| d.to_value.as_deref())
        .collect();
    assert_eq!(
        trail,
        vec!["koncept", "idé", "koncept", "projekt", "produkt"]
    );
    // A progress report is for projects only.
    let err = progress::report(
        &app,
        s,
        "os2ny",
        ProgressInput {
            period_from: today,
            period_to: today,
            status: ProgressStatus::PaaSporet,
            budget: None,
            spent: None,
            expected_total: None,
            progress: "x".into(),
            risks: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.code(), "invalid_state");
}

#[tokio::test]
async fn a_level_1_project_prepares_the_boards_orientation_once() {
    let app = app().await;
    let sek = secretariat();
    let sys = Actor::system("test");
    let product = app
        .store()
        .create_product(
            &sys,
            serde_json::from_value::<ProductInput>(serde_json::json!({
                "slug": "os2lille", "name": "OS2lille", "target_level": "1", "stage": "koncept"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let s = Some(&sek);
    step(
        &app,
        s,
        "os2lille",
        step_input(
            "igangsaet",
            DecidedBy::Sekretariat,
            1,
            "Igangsat som niveau 1-projekt",
        ),
    )
    .await
    .unwrap();
    let open = || async {
        app.store()
            .list_cases(
                &niveau_store::board::CaseFilter {
                    product_id: Some(product.id),
                    meeting_id: None,
                    open: Some(true),
                },
                &niveau_store::ListParams::default(),
            )
            .await
            .unwrap()
            .items
    };
    let cases = open().await;
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].kind, BoardCaseKind::Orientering);
    assert_eq!(cases[0].title, "Orientering: OS2lille er igangsat");
    assert!(
        cases[0]
            .presentation
            .ends_with("Grundlag: Igangsat som niveau 1-projekt"),
        "{}",
        cases[0].presentation
    );
    assert_eq!(cases[0].meeting_id, None);
    // Becoming a product while the orientation waits prepares no second one.
    let org = app
        .store()
        .create_organisation(
            &sys,
            serde_json::from_value(serde_json::json!({
                "name": "Aarhus Kommune", "kind": "kommune"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    app.store()
        .add_participant(
            &sys,
            product.id,
            ParticipantInput {
                organisation_id: Some(org.id),
                person_id: None,
                role: ParticipantRole::Anvender,
                since: None,
                until: None,
                version: None,
            },
        )
        .await
        .unwrap();
    step(
        &app,
        s,
        "os2lille",
        step_input(
            "produkt",
            DecidedBy::Sekretariat,
            2,
            "Implementeret i Aarhus",
        ),
    )
    .await
    .unwrap();
    assert_eq!(open().await.len(), 1);
    // The board takes note: G4's evidence is in the log.
    let board_member = who(&[Role::Bestyrelse], &[]);
    let noted = board::decide(
        &app,
        Some(&board_member),
        cases[0].id,
        cases[0].version,
        CaseDecisionInput {
            outcome: BoardOutcome::TagetTilEfterretning,
            decided_on: day(30),
            priority: None,
            reasons: None,
            reference: None,
            version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(noted.decisions[0].kind, DecisionKind::Orientering);
    assert!(open().await.is_empty());
}
