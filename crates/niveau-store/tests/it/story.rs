#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The storage story: create → update → conflict → version history → audit trail →
//! backup → restore, on SQLite and on PostgreSQL (the `…_on_postgres` tests need
//! NIVEAU_TEST_DATABASE_URL and are ignored unless asked for with `-- --include-ignored`).

use chrono::NaiveDate;
use niveau_store::accounts::{NewUser, PasswordChange, PasswordChanged, UserUpdate};
use niveau_store::agreements::{AgreementInput, PartyInput};
use niveau_store::decisions::{DecisionFilter, DecisionInput};
use niveau_store::evaluations::{
    EvaluationChange, FinaliseInput, NewEvaluation, NewSelfEvaluation,
};
use niveau_store::groups::{GroupInput, MemberInput};
use niveau_store::organisations::OrganisationInput;
use niveau_store::products::{ParticipantInput, ProductFilter, ProductInput};
use niveau_store::rounds::RoundInput;
use niveau_store::types::*;
use niveau_store::{Actor, ListParams, Store, StoreError, StoreOptions};
use serde_json::json;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn product_input(slug: &str, name: &str) -> ProductInput {
    ProductInput {
        slug: slug.into(),
        name: name.into(),
        short_description: "Medarbejder- og organisationsdata".into(),
        long_description: String::new(),
        stage: None,
        official_level: None,
        target_level: Some("2".into()),
        website: None,
        license: Some("MPL-2.0".into()),
        repositories: vec!["https://github.com/OS2mo/os2mo".into()],
        publiccode: None,
        published: true,
        version: None,
    }
}

async fn open(url: &str) -> Store {
    let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
    let report = store.migrate().await.unwrap();
    assert_eq!(
        report.applied.len(),
        report.total,
        "a new database gets every migration"
    );
    let again = store.migrate().await.unwrap();
    assert!(again.applied.is_empty(), "migrating twice applies nothing");
    store
}

async fn story(url: &str, restore_url: &str) {
    let store = open(url).await;
    let sek = Actor::user(1, "sekretariat-1");

    // Create.
    let kbh = store
        .create_organisation(
            &sek,
            OrganisationInput {
                name: "Københavns Kommune".into(),
                kind: OrgKind::Kommune,
                member_since: Some(date("2012-01-01")),
                left_on: None,
                supplier_partner_since: None,
                note: None,
                version: None,
            },
        )
        .await
        .unwrap();
    let magenta = store
        .create_organisation(
            &sek,
            OrganisationInput {
                name: "Magenta".into(),
                kind: OrgKind::Leverandor,
                member_since: None,
                left_on: None,
                supplier_partner_since: Some(date("2019-06-01")),
                note: None,
                version: None,
            },
        )
        .await
        .unwrap();
    let product = store
        .create_product(&sek, product_input("os2mo", "OS2mo"))
        .await
        .unwrap();
    assert_eq!(product.version, 1);
    assert_eq!(product.stage, Stage::Ide);
    assert_eq!(product.official_level, None);

    // Invalid input is rejected with the field named, and nothing is written.
    let audit_before = store
        .list_audit(&Default::default(), &ListParams::default())
        .await
        .unwrap()
        .total;
    let err = store
        .create_product(&sek, product_input("OS2 MO", "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid { field, .. } if field == "slug"),
        "{err}"
    );
    let err = store
        .create_product(&sek, product_input("os2mo", "Again"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Duplicate { field: "slug", .. }),
        "{err}"
    );
    let mut bad = product_input("os2faktor", "OS2faktor");
    bad.repositories.push("file:///etc".into());
    let err = store.create_product(&sek, bad).await.unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid { field, .. } if field == "repositories[1]"),
        "{err}"
    );
    assert_eq!(
        store
            .list_audit(&Default::default(), &ListParams::default())
            .await
            .unwrap()
            .total,
        audit_before
    );

    // Update.
    let mut change = product_input("os2mo", "OS2mo");
    change.short_description = "Organisation og medarbejdere".into();
    let product = store
        .update_product(&sek, product.id, 1, change.clone())
        .await
        .unwrap();
    assert_eq!(product.version, 2);
    assert_eq!(product.short_description, "Organisation og medarbejdere");

    // Conflict: a change based on version 1 after version 2 exists.
    change.name = "OS2MO (stale)".into();
    match store
        .update_product(&sek, product.id, 1, change)
        .await
        .unwrap_err()
    {
        StoreError::Conflict {
            entity,
            expected,
            actual,
            current,
            ..
        } => {
            assert_eq!(entity, "product");
            assert_eq!((expected, actual), (1, 2));
            assert_eq!(current["name"], "OS2mo");
            assert_eq!(current["version"], 2);
        }
        other => panic!("expected a conflict, got {other}"),
    }
    assert_eq!(store.product(product.id).await.unwrap().name, "OS2mo");

    // The stage changes only by decision.
    let mut sneaky = product_input("os2mo", "OS2mo");
    sneaky.stage = Some(Stage::Produkt);
    let err = store
        .update_product(&sek, product.id, 2, sneaky)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid { field, .. } if field == "stage"),
        "{err}"
    );
    let mut sneaky = product_input("os2mo", "OS2mo");
    sneaky.official_level = Some("3".into());
    let err = store
        .update_product(&sek, product.id, 2, sneaky)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid { field, .. } if field == "official_level"),
        "{err}"
    );

    let decision = store
        .record_decision(
            &Actor::user(2, "bestyrelse-1"),
            DecisionInput {
                product_id: Some(product.id),
                decided_on: date("2026-09-01"),
                kind: DecisionKind::Stadie,
                to: Some("koncept".into()),
                model_id: None,
                basis: "Konceptbeskrivelsen er godkendt".into(),
                decided_by: DecidedBy::Bestyrelse,
                reference: Some("Bestyrelsesmøde 1. september 2026, pkt. 4".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(decision.from_value.as_deref(), Some("idé"));
    assert_eq!(decision.to_value.as_deref(), Some("koncept"));
    let product = store.product(product.id).await.unwrap();
    assert_eq!((product.stage, product.version), (Stage::Koncept, 3));

    // Participants, groups, agreements.
    store
        .add_participant(
            &sek,
            product.id,
            ParticipantInput {
                organisation_id: Some(kbh.id),
                person_id: None,
                role: ParticipantRole::Initiativtager,
                since: None,
                until: None,
                version: None,
            },
        )
        .await
        .unwrap();
    let group = store
        .create_group(
            &sek,
            GroupInput {
                product_id: Some(product.id),
                kind: GroupKind::Styregruppe,
                name: "Styregruppen".into(),
                version: None,
                mandate_url: None,
            },
        )
        .await
        .unwrap();
    store
        .add_member(
            &sek,
            group.id,
            MemberInput {
                person_id: None,
                organisation_id: Some(kbh.id),
                role: GroupRole::Formand,
                version: None,
                since: None,
                until: None,
            },
        )
        .await
        .unwrap();
    let agreement = store
        .create_agreement(
            &sek,
            AgreementInput {
                product_id: Some(product.id),
                kind: AgreementKind::Tilslutningsaftale,
                title: "Tilslutningsaftale OS2mo".into(),
                starts_on: Some(date("2026-01-01")),
                ends_on: Some(date("2027-12-31")),
                economy: Some("Årligt bidrag pr. kommune".into()),
                document_url: None,
                parties: vec![
                    PartyInput {
                        organisation_id: kbh.id,
                        role: "part".into(),
                    },
                    PartyInput {
                        organisation_id: magenta.id,
                        role: "leverandør".into(),
                    },
                ],
                version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(agreement.parties.len(), 2);
    let err = store
        .create_agreement(
            &sek,
            AgreementInput {
                product_id: Some(product.id),
                kind: AgreementKind::Andet,
                title: "Forkert".into(),
                starts_on: None,
                ends_on: None,
                economy: None,
                document_url: None,
                parties: vec![PartyInput {
                    organisation_id: 9999,
                    role: "part".into(),
                }],
                version: None,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::Invalid { field, .. } if field == "parties[0].organisation_id"),
        "{err}"
    );
    assert_eq!(
        store
            .list_agreements(&Default::default(), &ListParams::default())
            .await
            .unwrap()
            .total,
        1,
        "the failed agreement left nothing behind"
    );

    // Self-evaluations are versions; a stale submission is a conflict.
    let se = |based_on| NewSelfEvaluation {
        product_id: product.id,
        model_id: "os2-1.1.0".into(),
        model_version: "1.1.0".into(),
        format: SubmissionFormat::Json,
        source_text: None,
        document: json!({"answers": []}),
        warnings: json!([]),
        indicated_level: Some("1".into()),
        based_on,
    };
    let first = store
        .create_self_evaluation(&sek, se(Some(0)))
        .await
        .unwrap();
    let second = store
        .create_self_evaluation(&sek, se(Some(1)))
        .await
        .unwrap();
    assert_eq!((first.number, second.number), (1, 2));
    let err = store
        .create_self_evaluation(&sek, se(Some(1)))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        store
            .latest_self_evaluation(product.id)
            .await
            .unwrap()
            .unwrap()
            .id,
        second.id
    );

    // An evaluation: draft → update → stale update → final (sets the level) → published.
    let eval = store
        .create_evaluation(
            &sek,
            NewEvaluation {
                product_id: product.id,
                self_evaluation_id: Some(second.id),
                model_id: "os2-1.1.0".into(),
                model_version: "1.1.0".into(),
                ratings: json!([{"requirement": "F7", "rating": "yellow"}]),
                proposals: json!([{"requirement": "F7", "rating": "yellow", "source": "scan", "confidence": "high"}]),
                summary: None,
                indicated_level: Some("sandkasse".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (eval.head.status, eval.head.version),
        (EvaluationStatus::Kladde, 1)
    );
    let updated = store
        .update_evaluation(
            &sek,
            eval.head.id,
            1,
            EvaluationChange {
                ratings: json!([{"requirement": "F7", "rating": "green"}]),
                summary: Some("Fint".into()),
                overall: Some("  Godt arbejde ".into()),
                recommendations: Some("Skriv en driftsvejledning".into()),
                indicated_level: Some("1".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(updated.head.version, 2);
    assert_eq!(updated.current.ratings[0]["rating"], "green");
    assert_eq!(
        updated.current.proposals[0]["source"], "scan",
        "proposals are kept"
    );
    assert_eq!(updated.current.overall.as_deref(), Some("Godt arbejde"));
    assert_eq!(
        updated.current.recommendations.as_deref(),
        Some("Skriv en driftsvejledning")
    );
    let err = store
        .update_evaluation(
            &sek,
            eval.head.id,
            1,
            EvaluationChange {
                ratings: json!([]),
                summary: None,
                overall: None,
                recommendations: None,
                indicated_level: None,
            },
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                actual: 2,
                ..
            }
        ),
        "{err}"
    );
    let dialog = store
        .set_evaluation_status(&sek, eval.head.id, 2, EvaluationStatus::IDialog)
        .await
        .unwrap();
    assert_eq!(
        dialog.current.overall.as_deref(),
        Some("Godt arbejde"),
        "a status change keeps the texts"
    );
    // The dialogue: a thread per requirement, oldest first, refused once final.
    store
        .add_comment(&sek, eval.head.id, "F7", "Hvor er byggevejledningen?")
        .await
        .unwrap();
    let editor = Actor::user(99, "styregruppe");
    store
        .add_comment(&editor, eval.head.id, "F7", " I docs/build.md ")
        .await
        .unwrap();
    let err = store
        .add_comment(&sek, eval.head.id, "F7", "   ")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    let thread: Vec<(String, String)> = store
        .comments(eval.head.id)
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.author, c.body))
        .collect();
    assert_eq!(
        thread,
        [
            (sek.name.clone(), "Hvor er byggevejledningen?".to_owned()),
            ("styregruppe".to_owned(), "I docs/build.md".to_owned())
        ]
    );
    let (final_view, pending) = store
        .finalise_evaluation(
            &sek,
            eval.head.id,
            FinaliseInput {
                version: 3,
                level: "1".into(),
                decided_on: Some(date("2026-11-20")),
                decided_by: None,
                basis: "Alle skal-krav på niveau 1 er opfyldt".into(),
                reference: None,
                justification: None,
            },
            "Sekretær Sørensen",
        )
        .await
        .unwrap();
    assert_eq!(final_view.head.status, EvaluationStatus::Endelig);
    assert_eq!(
        final_view.head.evaluated_by.as_deref(),
        Some("Sekretær Sørensen")
    );
    assert_eq!(pending.kind, DecisionKind::Niveau);
    assert_eq!(pending.to.as_deref(), Some("1"));
    // The decision waits for publication: the product's official level and the log are
    // untouched until then (#12).
    let unchanged = store.product(product.id).await.unwrap();
    assert_eq!(unchanged.official_level, None);
    let waiting = store
        .list_decisions(
            &DecisionFilter {
                product_id: Some(product.id),
                kind: Some(DecisionKind::Niveau),
                ..Default::default()
            },
            &ListParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(waiting.total, 0, "no level decision before publication");
    let err = store
        .update_evaluation(
            &sek,
            eval.head.id,
            4,
            EvaluationChange {
                ratings: json!([]),
                summary: None,
                overall: None,
                recommendations: None,
                indicated_level: None,
            },
        )
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::State(_)), "{err}");
    let err = store
        .add_comment(&sek, eval.head.id, "F7", "For sent")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::State(_)), "{err}");
    let (_, level_decision) = store
        .publish_evaluation(&sek, eval.head.id, 4)
        .await
        .unwrap();
    let level_decision = level_decision.expect("the pending decision is recorded");
    assert_eq!(level_decision.kind, DecisionKind::Niveau);
    assert_eq!(level_decision.from_value, None);
    assert_eq!(level_decision.to_value.as_deref(), Some("1"));
    assert_eq!(level_decision.decided_on, date("2026-11-20"));
    assert_eq!(level_decision.evaluation_id, Some(eval.head.id));
    assert_eq!(level_decision.decided_by, DecidedBy::Sekretariat);
    let product = store.product(product.id).await.unwrap();
    assert_eq!(product.official_level.as_deref(), Some("1"));
    assert_eq!(product.official_model.as_deref(), Some("os2-1.1.0"));
    let published = store
        .latest_published_evaluation(product.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(published.head.status, EvaluationStatus::Offentliggjort);

    // Version history.
    let versions = store
        .evaluation_versions(eval.head.id, true, &ListParams::default())
        .await
        .unwrap()
        .items;
    let statuses: Vec<_> = versions.iter().map(|v| (v.number, v.status)).collect();
    assert_eq!(
        statuses,
        vec![
            (1, EvaluationStatus::Kladde),
            (2, EvaluationStatus::Kladde),
            (3, EvaluationStatus::IDialog),
            (4, EvaluationStatus::Endelig),
            (5, EvaluationStatus::Offentliggjort),
        ]
    );
    assert_eq!(
        versions[0].ratings[0]["rating"], "yellow",
        "old versions are untouched"
    );

    // The decision log.
    let log = store
        .list_decisions(
            &DecisionFilter {
                product_id: Some(product.id),
                ..Default::default()
            },
            &ListParams::default(),
        )
        .await
        .unwrap();
    let kinds: Vec<_> = log
        .items
        .iter()
        .map(|d| (d.kind, d.to_value.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (DecisionKind::Niveau, "1".to_string()),
            (DecisionKind::Stadie, "koncept".to_string())
        ]
    );

    // The audit trail of the product: who, what, before and after.
    let trail = store.history("product", product.id).await.unwrap();
    let actions: Vec<_> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["create", "update", "update", "update"]);
    assert_eq!(trail[0].actor, "sekretariat-1");
    assert!(trail[0].before.is_none());
    assert_eq!(
        trail[1].before.as_ref().unwrap()["short_description"],
        "Medarbejder- og organisationsdata"
    );
    assert_eq!(
        trail[1].after.as_ref().unwrap()["short_description"],
        "Organisation og medarbejdere"
    );
    assert_eq!(trail[2].actor, "bestyrelse-1");
    assert_eq!(trail[2].before.as_ref().unwrap()["stage"], "idé");
    assert_eq!(trail[2].after.as_ref().unwrap()["stage"], "koncept");
    assert_eq!(trail[3].after.as_ref().unwrap()["official_level"], "1");

    // Archiving is not deleting.
    let archived = store
        .archive_product(&sek, product.id, product.version)
        .await
        .unwrap();
    assert!(archived.archived);
    assert_eq!(
        store
            .list_products(&ProductFilter::default(), &ListParams::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        store
            .list_products(
                &ProductFilter {
                    archived: Some(true),
                    ..Default::default()
                },
                &ListParams::default()
            )
            .await
            .unwrap()
            .total,
        1
    );

    // Paging: the total counts every row whatever the page, also past the end.
    let all = store
        .list_audit(&Default::default(), &ListParams::default())
        .await
        .unwrap();
    assert!(all.total >= 5, "{}", all.total);
    assert_eq!(all.items.len() as u64, all.total);
    let window = store
        .list_audit(
            &Default::default(),
            &ListParams {
                limit: Some(2),
                offset: Some(1),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(window.total, all.total);
    assert_eq!(
        window.items.iter().map(|e| e.id).collect::<Vec<_>>(),
        all.items[1..3].iter().map(|e| e.id).collect::<Vec<_>>()
    );
    let past = store
        .list_audit(
            &Default::default(),
            &ListParams {
                limit: Some(2),
                offset: Some(all.total + 10),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(past.items.is_empty());
    assert_eq!(past.total, all.total);

    // A round, an account, a scan job.
    let round = store
        .create_round(
            &sek,
            RoundInput {
                name: "Efterår 2026".into(),
                opens_on: date("2026-09-01"),
                self_evaluation_deadline: date("2026-10-15"),
                evaluation_deadline: date("2026-11-30"),
                note: None,
                product_ids: vec![product.id],
                version: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(round.products.len(), 1);
    store
        .create_user(
            &Actor::system("test"),
            NewUser {
                username: "admin".into(),
                display_name: "Administrator".into(),
                email: None,
                password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA".into()),
                roles: vec![Role::Admin],
                product_ids: vec![],
                oidc: None,
            },
        )
        .await
        .unwrap();
    let run = store.request_scan(&sek, product.id).await.unwrap();
    let job = store
        .claim_job("worker-a", std::time::Duration::from_secs(60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(job.payload["scan_run_id"], run.id);
    assert!(
        store
            .claim_job("worker-b", std::time::Duration::from_secs(60))
            .await
            .unwrap()
            .is_none()
    );
    store.complete_job(job.id, "worker-a").await.unwrap();

    // Backup → restore into an empty database gives the same rows.
    let backup = store.backup().await.unwrap();
    assert_eq!(backup.counts()["product"], 1);
    assert_eq!(backup.counts()["evaluation_version"], 5);
    assert_eq!(backup.counts()["evaluation_comment"], 2);
    let text = serde_json::to_string(&backup).unwrap();
    let parsed: niveau_store::backup::BackupFile = serde_json::from_str(&text).unwrap();

    let target = open(restore_url).await;
    target.restore(&parsed, false).await.unwrap();
    let again = target.backup().await.unwrap();
    assert_eq!(
        again.tables, backup.tables,
        "restored rows equal the originals"
    );
    assert!(target.integrity_check().await.unwrap().is_empty());
    // Ids continue after the restored ones.
    let next = target
        .create_product(&sek, product_input("os2faktor", "OS2faktor"))
        .await
        .unwrap();
    assert!(next.id > product.id);
    // A database with data is not overwritten without force.
    let err = target.restore(&parsed, false).await.unwrap_err();
    assert!(matches!(err, StoreError::Backup(_)), "{err}");
    target.restore(&parsed, true).await.unwrap();
    assert_eq!(
        target
            .list_products(
                &ProductFilter {
                    archived: Some(true),
                    ..Default::default()
                },
                &ListParams::default()
            )
            .await
            .unwrap()
            .total,
        1
    );
    assert!(store.integrity_check().await.unwrap().is_empty());
}

#[tokio::test]
async fn story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.db");
    let b = dir.path().join("b.db");
    story(a.to_str().unwrap(), b.to_str().unwrap()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn story_on_postgres() {
    let a = niveau_testkit::postgres::TestDatabase::create();
    let b = niveau_testkit::postgres::TestDatabase::create();
    story(&a.url, &b.url).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn backups_cross_backends() {
    // A SQLite backup restores on PostgreSQL (and the rows come back equal).
    let pg = niveau_testkit::postgres::TestDatabase::create();
    let dir = tempfile::tempdir().unwrap();
    let lite = open(dir.path().join("x.db").to_str().unwrap()).await;
    let sek = Actor::user(1, "s");
    lite.create_product(&sek, product_input("os2iot", "OS2iot"))
        .await
        .unwrap();
    let backup = lite.backup().await.unwrap();
    let target = open(&pg.url).await;
    target.restore(&backup, false).await.unwrap();
    assert_eq!(target.backup().await.unwrap().tables, backup.tables);
}

#[tokio::test]
async fn closing_folds_the_write_ahead_log_into_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.db");
    let store = open(path.to_str().unwrap()).await;
    store
        .create_product(&Actor::system("t"), product_input("os2mo", "OS2mo"))
        .await
        .unwrap();
    let wal = dir.path().join("c.db-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "writes go to the WAL first"
    );
    store.close().await.unwrap();
    assert_eq!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0), 0);
    let again = Store::connect(path.to_str().unwrap(), &StoreOptions::default())
        .await
        .unwrap();
    assert!(again.pending_migrations().await.unwrap().is_empty());
    assert_eq!(again.product_by_slug("os2mo").await.unwrap().name, "OS2mo");
}

fn self_evaluation(product_id: i32, based_on: Option<i32>) -> NewSelfEvaluation {
    NewSelfEvaluation {
        product_id,
        model_id: "os2-1.1.0".into(),
        model_version: "1.1.0".into(),
        format: SubmissionFormat::Json,
        source_text: None,
        document: json!({"answers": []}),
        warnings: json!([]),
        indicated_level: Some("1".into()),
        based_on,
    }
}

/// Finding 6: two stores with their own pools on one SQLite file stand for two processes
/// (the server and `niveau user add`). Each write transaction reads before it writes; taken
/// as a deferred transaction, the upgrade to a write lock failed at once with "database is
/// locked" whenever the other process had committed in between.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn finding_6_sqlite_two_writers_do_not_lock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two.db");
    let url = path.to_str().unwrap().to_string();
    let first = open(&url).await;
    let second = Store::connect(&url, &StoreOptions::default())
        .await
        .unwrap();
    let product = first
        .create_product(&Actor::system("t"), product_input("os2mo", "OS2mo"))
        .await
        .unwrap();
    const EACH: usize = 40;
    let mut tasks = Vec::new();
    for (s, store) in [first.clone(), second.clone()].into_iter().enumerate() {
        for i in 0..EACH {
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let actor = Actor::system(format!("writer-{s}-{i}"));
                if i % 2 == 0 {
                    store
                        .create_self_evaluation(&actor, self_evaluation(product.id, None))
                        .await
                        .map(|se| Some(se.number))
                } else {
                    store
                        .create_user(
                            &actor,
                            NewUser {
                                username: format!("bruger-{s}-{i}"),
                                display_name: format!("Bruger {s} {i}"),
                                email: None,
                                password_hash: None,
                                roles: vec![Role::Admin],
                                product_ids: vec![],
                                oidc: None,
                            },
                        )
                        .await
                        .map(|_| None)
                }
            }));
        }
    }
    let mut errors = Vec::new();
    let mut numbers = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(number) => numbers.extend(number),
            Err(e) => errors.push(e.to_string()),
        }
    }
    assert_eq!(errors, Vec::<String>::new(), "no write failed");
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=EACH as i32).collect::<Vec<_>>());
    let stored = first
        .self_evaluation_versions(product.id, &ListParams::default())
        .await
        .unwrap();
    assert_eq!(stored.total, EACH as u64);
    let users = second.list_users(&ListParams::default()).await.unwrap();
    assert_eq!(users.total, EACH as u64);
    assert!(first.integrity_check().await.unwrap().is_empty());
}

/// Finding 7: uploads without `based_on` each get the next number, however many arrive at
/// once; only a stale `based_on` is a conflict.
async fn concurrent_uploads(url: &str) {
    let store = open(url).await;
    let product = store
        .create_product(&Actor::system("t"), product_input("os2mo", "OS2mo"))
        .await
        .unwrap();
    const N: i32 = 100;
    let mut tasks = Vec::new();
    for i in 0..N {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .create_self_evaluation(
                    &Actor::system(format!("uploader-{i}")),
                    self_evaluation(product.id, None),
                )
                .await
        }));
    }
    let mut numbers = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        match task.await.unwrap() {
            Ok(se) => numbers.push(se.number),
            Err(e) => errors.push(e.to_string()),
        }
    }
    assert_eq!(
        errors,
        Vec::<String>::new(),
        "no upload without based_on failed"
    );
    numbers.sort_unstable();
    assert_eq!(
        numbers,
        (1..=N).collect::<Vec<_>>(),
        "no gaps, no duplicates"
    );

    match store
        .create_self_evaluation(
            &Actor::system("stale"),
            self_evaluation(product.id, Some(N - 1)),
        )
        .await
    {
        Err(StoreError::Conflict {
            expected, actual, ..
        }) => assert_eq!((expected, actual), (N - 1, N)),
        other => panic!("a stale based_on must conflict, got {other:?}"),
    }
    let next = store
        .create_self_evaluation(
            &Actor::system("fresh"),
            self_evaluation(product.id, Some(N)),
        )
        .await
        .unwrap();
    assert_eq!(next.number, N + 1);

    // The same race, elsewhere: a decision carries no version but saves the product at
    // the version it read. Decisions recorded at once must all be stored.
    let before = store.product(product.id).await.unwrap().version;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .record_decision(
                    &Actor::system(format!("board-{i}")),
                    DecisionInput {
                        product_id: Some(product.id),
                        decided_on: date("2026-09-01"),
                        kind: DecisionKind::Niveau,
                        to: Some(["1", "2", "3"][i % 3].into()),
                        model_id: Some("os2-1.1.0".into()),
                        basis: format!("Beslutning {i}"),
                        decided_by: DecidedBy::Bestyrelse,
                        reference: None,
                    },
                )
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        store.product(product.id).await.unwrap().version,
        before + 20
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn finding_7_concurrent_uploads_without_based_on_never_conflict_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    concurrent_uploads(dir.path().join("u.db").to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn finding_7_concurrent_uploads_without_based_on_never_conflict_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    concurrent_uploads(&db.url).await;
}

/// A small self-evaluation version of `product_id` whose document says `n`.
fn small_version(product_id: i32, n: usize) -> NewSelfEvaluation {
    NewSelfEvaluation {
        product_id,
        model_id: "os2-1.1.0".into(),
        model_version: "1.1.0".into(),
        format: SubmissionFormat::Markdown,
        source_text: Some(format!("# version {n}")),
        document: json!({"n": n}),
        warnings: json!([{"line": 1, "message": {"da": "x", "en": "x"}}]),
        indicated_level: None,
        based_on: None,
    }
}

/// Finding 5: with 600 versions, the oldest is read by its number, a list page holds
/// metadata only and at most `MAX_VERSION_PAGE` rows, and every version is reachable.
async fn version_reads(url: &str) {
    use niveau_store::versions::{MAX_VERSION_PAGE, SelfEvaluationVersion};
    let store = open(url).await;
    let sek = Actor::user(1, "sekretariat-1");
    let product = store
        .create_product(&sek, product_input("os2mo", "OS2mo"))
        .await
        .unwrap();
    for n in 1..=600 {
        store
            .create_self_evaluation(&sek, small_version(product.id, n))
            .await
            .unwrap();
    }
    let first = store.self_evaluation_version(product.id, 1).await.unwrap();
    assert_eq!((first.number, first.document.clone()), (1, json!({"n": 1})));
    assert_eq!(
        first.size_bytes,
        niveau_store::versions::version_size(&small_version(product.id, 1)).unwrap()
    );
    let err = store
        .self_evaluation_version(product.id, 601)
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");

    // The list's rows are metadata: the type has no document, text or warnings.
    let page: niveau_store::Page<SelfEvaluationVersion> = store
        .self_evaluation_versions(product.id, &ListParams::default())
        .await
        .unwrap();
    assert_eq!((page.total, page.items.len(), page.limit), (600, 50, 50));
    assert_eq!(page.items[0].number, 600);
    assert_eq!(page.items[0].warning_count, 1);
    // "# version 600" and {"n":600} are two bytes longer each than version 1's.
    assert_eq!(page.items[0].size_bytes, first.size_bytes + 4);
    let big = store
        .self_evaluation_versions(
            product.id,
            &ListParams {
                limit: Some(10_000),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(big.items.len() as u64, MAX_VERSION_PAGE);
    let last = store
        .self_evaluation_versions(
            product.id,
            &ListParams {
                limit: Some(100),
                offset: Some(550),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let numbers: Vec<i32> = last.items.iter().map(|v| v.number).collect();
    assert_eq!(numbers, (1..=50).rev().collect::<Vec<_>>());
    let volume = store.upload_volume(product.id).await.unwrap();
    assert_eq!(volume.versions, 600);
    assert!(volume.used_bytes > 600 * first.size_bytes);
}

#[tokio::test]
async fn finding_5_version_read_loads_one_version_on_sqlite() {
    version_reads("sqlite::memory:").await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn finding_5_version_read_loads_one_version_on_postgres() {
    let pg = niveau_testkit::postgres::TestDatabase::create();
    version_reads(&pg.url).await;
}

/// Finding 5: a version past the product's upload quota, or larger than a version may
/// be, is refused and nothing is stored; the secretariat raises the quota (audited).
async fn upload_quota(url: &str) {
    use niveau_store::versions::UploadLimits;
    let store = open(url).await.with_upload_limits(UploadLimits {
        max_version_bytes: 1_000,
        default_quota_bytes: 300,
    });
    let sek = Actor::user(1, "sekretariat-1");
    let product = store
        .create_product(&sek, product_input("os2mo", "OS2mo"))
        .await
        .unwrap();
    let size = niveau_store::versions::version_size(&small_version(product.id, 1)).unwrap();
    let fits = 300 / size;
    for n in 1..=fits {
        store
            .create_self_evaluation(&sek, small_version(product.id, n as usize))
            .await
            .unwrap();
    }
    let err = store
        .create_self_evaluation(&sek, small_version(product.id, 9))
        .await
        .unwrap_err();
    match err {
        StoreError::QuotaExceeded {
            limit, used, size, ..
        } => {
            assert_eq!(limit, 300);
            assert_eq!(used, fits * size);
            assert!(used + size > 300);
        }
        other => panic!("{other}"),
    }
    let before = store.upload_volume(product.id).await.unwrap();
    assert_eq!(
        (before.versions, before.quota_bytes, before.own_quota),
        (fits as u64, 300, false)
    );

    // One version larger than any may be.
    let mut huge = small_version(product.id, 1);
    huge.source_text = Some("x".repeat(1_001));
    let err = store.create_self_evaluation(&sek, huge).await.unwrap_err();
    assert!(
        matches!(err, StoreError::TooLarge { limit: 1_000, .. }),
        "{err}"
    );

    // The secretariat raises it: bad values and stale versions are refused.
    let err = store
        .set_upload_quota(&sek, product.id, product.version, Some(0))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid { .. }), "{err}");
    let err = store
        .set_upload_quota(&sek, product.id, product.version + 5, Some(10_000))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let raised = store
        .set_upload_quota(&sek, product.id, product.version, Some(10_000))
        .await
        .unwrap();
    assert_eq!(raised.upload_quota_bytes, Some(10_000));
    assert_eq!(raised.version, product.version + 1);
    store
        .create_self_evaluation(&sek, small_version(product.id, 9))
        .await
        .unwrap();
    let after = store.upload_volume(product.id).await.unwrap();
    assert_eq!(
        (after.versions, after.quota_bytes, after.own_quota),
        (fits as u64 + 1, 10_000, true)
    );
    let trail = store.history("product", product.id).await.unwrap();
    let event = trail
        .iter()
        .find(|e| e.action == "upload_quota")
        .expect("the quota change is audited");
    assert_eq!(event.after, Some(json!({"upload_quota_bytes": 10_000})));
    assert_eq!(event.before, Some(json!({"upload_quota_bytes": null})));
}

#[tokio::test]
async fn finding_5_upload_quota_refuses_and_secretariat_can_raise_on_sqlite() {
    upload_quota("sqlite::memory:").await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn finding_5_upload_quota_refuses_and_secretariat_can_raise_on_postgres() {
    let pg = niveau_testkit::postgres::TestDatabase::create();
    upload_quota(&pg.url).await;
}

fn account(username: &str, roles: Vec<Role>) -> NewUser {
    NewUser {
        username: username.into(),
        display_name: username.into(),
        email: None,
        password_hash: Some("$argon2id$stand-in".into()),
        roles,
        product_ids: vec![],
        oidc: None,
    }
}

fn change(user: &niveau_store::accounts::UserView, roles: Vec<Role>, disabled: bool) -> UserUpdate {
    UserUpdate {
        display_name: user.display_name.clone(),
        email: None,
        roles,
        product_ids: vec![],
        disabled,
        version: Some(user.version),
    }
}

/// The last enabled administrator keeps the role, also when two administrators step down
/// at the same moment.
async fn last_admin_story(url: &str) {
    let store = open(url).await;
    let system = Actor::system("test");
    let anna = store
        .create_user(&system, account("anna", vec![Role::Admin]))
        .await
        .unwrap();
    for (roles, disabled) in [(vec![Role::Laeser], false), (vec![Role::Admin], true)] {
        let refused = store
            .update_user(&system, anna.id, 1, change(&anna, roles, disabled))
            .await;
        assert!(
            matches!(&refused, Err(StoreError::State(m)) if m.da == niveau_store::accounts::LAST_ADMIN),
            "{refused:?}"
        );
    }
    assert_eq!(store.user(anna.id).await.unwrap().version, 1);
    // A disabled administrator does not count.
    let bo = store
        .create_user(&system, account("bo", vec![Role::Admin]))
        .await
        .unwrap();
    let bo = store
        .update_user(&system, bo.id, 1, change(&bo, vec![Role::Admin], true))
        .await
        .unwrap();
    assert!(
        store
            .update_user(
                &system,
                anna.id,
                1,
                change(&anna, vec![Role::Laeser], false)
            )
            .await
            .is_err()
    );
    // Enabled again, either may step down, but not both at once.
    let bo = store
        .update_user(
            &system,
            bo.id,
            bo.version,
            change(&bo, vec![Role::Admin], false),
        )
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        store.update_user(
            &system,
            anna.id,
            1,
            change(&anna, vec![Role::Laeser], false)
        ),
        store.update_user(
            &system,
            bo.id,
            bo.version,
            change(&bo, vec![Role::Sekretariat], false)
        ),
    );
    assert_eq!(
        u8::from(a.is_ok()) + u8::from(b.is_ok()),
        1,
        "exactly one steps down: {a:?} {b:?}"
    );
    let admins = store
        .list_users(&ListParams::all())
        .await
        .unwrap()
        .items
        .into_iter()
        .filter(|u| !u.disabled && u.roles.contains(&Role::Admin))
        .count();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn lesser_last_admin_cannot_drop_admin_role_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    last_admin_story(dir.path().join("admins.db").to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn lesser_last_admin_cannot_drop_admin_role_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    last_admin_story(&db.url).await;
}

/// A new password ends the account's sessions (but the one kept) and, unless asked not
/// to, revokes its API tokens.
async fn password_story(url: &str) {
    let store = open(url).await;
    let system = Actor::system("test");
    let sek = store
        .create_user(&system, account("sek", vec![Role::Sekretariat]))
        .await
        .unwrap();
    let other = store
        .create_user(&system, account("other", vec![Role::Laeser]))
        .await
        .unwrap();
    let ttl = chrono::Duration::hours(1);
    for (hash, user) in [("s1", sek.id), ("s2", sek.id), ("s3", other.id)] {
        store.create_session(hash, user, "csrf", ttl).await.unwrap();
    }
    for (hash, user) in [("t1", sek.id), ("t2", sek.id), ("t3", other.id)] {
        store
            .create_api_token(&system, user, hash, hash, vec!["read".into()], None)
            .await
            .unwrap();
    }
    store.revoke_api_token(&system, 2).await.unwrap();
    let changed = store
        .set_password_with(
            &system,
            sek.id,
            "$argon2id$new".into(),
            PasswordChange {
                keep_session: Some("s1"),
                revoke_tokens: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        changed,
        PasswordChanged {
            sessions_ended: 1,
            tokens_revoked: 0
        }
    );
    assert!(store.session("s1", ttl).await.unwrap().is_some());
    assert!(store.session("s2", ttl).await.unwrap().is_none());
    assert!(store.api_token("t1").await.unwrap().is_some());
    let changed = store
        .set_password(&system, sek.id, "$argon2id$newer".into())
        .await
        .unwrap();
    assert_eq!(
        changed,
        PasswordChanged {
            sessions_ended: 1,
            tokens_revoked: 1
        }
    );
    assert!(store.session("s1", ttl).await.unwrap().is_none());
    assert!(store.api_token("t1").await.unwrap().is_none());
    // The other account is untouched.
    assert!(store.session("s3", ttl).await.unwrap().is_some());
    assert!(store.api_token("t3").await.unwrap().is_some());
    let trail = store.history("user", sek.id).await.unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.action, "password");
    assert_eq!(
        last.after,
        Some(json!({"sessions_ended": 1, "tokens_revoked": 1}))
    );
}

#[tokio::test]
async fn lesser_password_change_revokes_sessions_and_tokens_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    password_story(dir.path().join("passwords.db").to_str().unwrap()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn lesser_password_change_revokes_sessions_and_tokens_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    password_story(&db.url).await;
}
