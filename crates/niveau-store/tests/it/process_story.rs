#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The process tables' story on SQLite and PostgreSQL: a board meeting and a case, the
//! board's decision recorded once (of two decisions sent at once exactly one is
//! recorded), the decisions it writes moving the product, progress reports, a closed
//! round, and all of it through backup and restore.

use chrono::NaiveDate;
use niveau_store::board::{CaseDecisionInput, CaseFilter, CaseInput, MeetingInput};
use niveau_store::decisions::DecisionInput;
use niveau_store::progress::ProgressInput;
use niveau_store::rounds::RoundInput;
use niveau_store::types::*;
use niveau_store::{Actor, ListParams, Store, StoreError, StoreOptions};

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn story(url: &str, copy: &str) {
    let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
    store.migrate().await.unwrap();
    let sek = Actor::system("sekretariat");
    let product = store
        .create_product(
            &sek,
            serde_json::from_value(serde_json::json!({
                "slug": "os2ny", "name": "OS2ny", "target_level": "2", "stage": "koncept"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let meeting = store
        .create_meeting(
            &sek,
            MeetingInput {
                held_on: date("2027-03-12"),
                title: "Bestyrelsesmøde marts".into(),
                agenda: Some("1. Koncepter".into()),
                version: None,
            },
        )
        .await
        .unwrap();
    let case = store
        .create_case(
            &sek,
            CaseInput {
                product_id: product.id,
                kind: BoardCaseKind::Koncept,
                meeting_id: Some(meeting.id),
                title: "OS2ny til godkendelse".into(),
                presentation: "Konceptet".into(),
                material: vec!["/produkter/os2ny".into(), "https://os2.eu/k.pdf".into()],
                group_id: None,
                evaluation_id: None,
                version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(case.material.0.len(), 2);
    let bad = store
        .create_case(
            &sek,
            CaseInput {
                product_id: product.id,
                kind: BoardCaseKind::Koncept,
                meeting_id: None,
                title: "x".into(),
                presentation: "y".into(),
                material: vec!["javascript:alert(1)".into()],
                group_id: None,
                evaluation_id: None,
                version: None,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&bad, StoreError::Invalid { field, .. } if field == "material[0]"),
        "{bad}"
    );
    // A path that a browser would read as another host is refused too.
    let sneaky = store
        .create_case(
            &sek,
            CaseInput {
                product_id: product.id,
                kind: BoardCaseKind::Koncept,
                meeting_id: None,
                title: "x".into(),
                presentation: "y".into(),
                material: vec!["/produkter/os2ny".into(), "/\\evil.example/x".into()],
                group_id: None,
                evaluation_id: None,
                version: None,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&sneaky, StoreError::Invalid { field, .. } if field == "material[1]"),
        "{sneaky}"
    );
    let view = store.meeting(meeting.id).await.unwrap();
    assert_eq!(view.cases.len(), 1);

    // Two decisions at once: one is recorded, the other is a conflict; the product moves
    // once.
    let decide = |store: Store, outcome: BoardOutcome| async move {
        let input = CaseDecisionInput {
            outcome,
            decided_on: date("2027-03-12"),
            priority: Some(2),
            reasons: Some("Godkendt med prioritet 2".into()),
            reference: None,
            version: Some(1),
        };
        store
            .decide_case(&Actor::system("bestyrelse"), case.id, 1, &input, |ctx| {
                Ok(vec![DecisionInput {
                    product_id: Some(ctx.product.id),
                    decided_on: input.decided_on,
                    kind: DecisionKind::Stadie,
                    to: Some("projekt".into()),
                    model_id: None,
                    basis: "Bestyrelsens afgørelse".into(),
                    decided_by: DecidedBy::Bestyrelse,
                    reference: None,
                }])
            })
            .await
    };
    let (a, b) = tokio::join!(
        tokio::spawn(decide(store.clone(), BoardOutcome::Godkendt)),
        tokio::spawn(decide(store.clone(), BoardOutcome::Godkendt)),
    );
    let results = [a.unwrap(), b.unwrap()];
    let ok = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(ok, 1, "{results:?}");
    for r in &results {
        if let Err(e) = r {
            assert!(
                matches!(e, StoreError::Conflict { .. } | StoreError::State(_)),
                "{e}"
            );
        }
    }
    let decided = store.case(case.id).await.unwrap();
    assert_eq!(decided.outcome, Some(BoardOutcome::Godkendt));
    assert_eq!(decided.priority, Some(2));
    assert!(decided.decision_id.is_some());
    assert_eq!(
        store.product(product.id).await.unwrap().stage,
        Stage::Projekt
    );
    let log = store.process_log(product.id).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (log[0].from_value.as_deref(), log[0].to_value.as_deref()),
        (Some("koncept"), Some("projekt"))
    );
    let open = store
        .list_cases(
            &CaseFilter {
                open: Some(true),
                ..CaseFilter::default()
            },
            &ListParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(open.total, 0);
    // The agenda's counts come from the database: one case, none undecided.
    let counts = store.case_counts_by_meeting().await.unwrap();
    assert_eq!(counts.get(&meeting.id), Some(&(1, 0)));

    // Progress reports: the newest per project.
    for (from, to, spent) in [
        ("2027-04-01", "2027-06-30", 200_000),
        ("2027-07-01", "2027-09-30", 450_000),
    ] {
        store
            .add_progress_report(
                &Actor::system("projektleder"),
                product.id,
                ProgressInput {
                    period_from: date(from),
                    period_to: date(to),
                    status: ProgressStatus::PaaSporet,
                    budget: Some(800_000),
                    spent: Some(spent),
                    expected_total: Some(900_000),
                    progress: format!("Kvartal til {to}"),
                    risks: None,
                },
            )
            .await
            .unwrap();
    }
    let projects = store.projects_with_latest_report().await.unwrap();
    assert_eq!(projects.len(), 1);
    let latest = projects[0].1.as_ref().unwrap();
    assert_eq!(
        (latest.period_to, latest.spent),
        (date("2027-09-30"), Some(450_000))
    );

    // A round closed once.
    let round = store
        .create_round(
            &sek,
            RoundInput {
                name: "Forår 2027".into(),
                opens_on: date("2027-03-01"),
                self_evaluation_deadline: date("2027-04-01"),
                evaluation_deadline: date("2027-05-15"),
                note: None,
                product_ids: vec![product.id],
                version: None,
            },
        )
        .await
        .unwrap();
    let closed = store
        .close_round(&sek, round.round.id, 1, date("2027-05-20"))
        .await
        .unwrap();
    assert_eq!(closed.round.closed_on, Some(date("2027-05-20")));
    assert!(
        store
            .close_round(&sek, round.round.id, 2, date("2027-05-21"))
            .await
            .is_err()
    );

    // Backup and restore keep the new tables.
    let backup = store.backup().await.unwrap();
    for table in ["board_meeting", "board_case", "progress_report"] {
        assert!(
            backup
                .tables
                .get(table)
                .is_some_and(|rows| !rows.is_empty()),
            "{table}"
        );
    }
    let target = Store::connect(copy, &StoreOptions::default())
        .await
        .unwrap();
    target.migrate().await.unwrap();
    target.restore(&backup, false).await.unwrap();
    assert_eq!(
        target.case(case.id).await.unwrap().outcome,
        Some(BoardOutcome::Godkendt)
    );
    assert_eq!(
        target
            .progress_reports(product.id, &ListParams::default())
            .await
            .unwrap()
            .total,
        2
    );
    // The restored sequences continue after the restored ids.
    let next = target
        .create_meeting(
            &sek,
            MeetingInput {
                held_on: date("2027-06-01"),
                title: "Juni".into(),
                agenda: None,
                version: None,
            },
        )
        .await
        .unwrap();
    assert!(next.id > meeting.id);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn process_story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(
        dir.path().join("a.db").to_str().unwrap(),
        dir.path().join("b.db").to_str().unwrap(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn process_story_on_postgres() {
    let a = niveau_testkit::postgres::TestDatabase::create();
    let b = niveau_testkit::postgres::TestDatabase::create();
    story(&a.url, &b.url).await;
}
