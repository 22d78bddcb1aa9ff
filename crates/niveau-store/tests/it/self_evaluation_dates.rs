#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! What a round reads of the self-evaluations stored since it opened (the report's own
//! date and when it was stored), and a version stored as a restore or a carry, audited as
//! such: on SQLite and PostgreSQL.

use chrono::NaiveDate;
use niveau_store::evaluations::NewSelfEvaluation;
use niveau_store::products::ProductInput;
use niveau_store::rounds::RoundInput;
use niveau_store::types::SubmissionFormat;
use niveau_store::{Actor, Store, StoreOptions};
use serde_json::json;

fn version(product_id: i32, date: Option<&str>) -> NewSelfEvaluation {
    let mut se = json!({"product": "OS2mo", "answers": []});
    if let Some(d) = date {
        se["date"] = json!(d);
    }
    NewSelfEvaluation {
        product_id,
        model_id: "os2-1.1.0".into(),
        model_version: "1.1.0".into(),
        format: SubmissionFormat::Json,
        source_text: None,
        document: json!({"kind": "self_evaluation", "self_evaluation": se}),
        warnings: json!([]),
        indicated_level: None,
        based_on: None,
    }
}

async fn dates_and_restores(url: &str) {
    let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
    store.migrate().await.unwrap();
    let sek = Actor::user(1, "sek");
    let product = store
        .create_product(
            &sek,
            ProductInput {
                slug: "os2mo".into(),
                name: "OS2mo".into(),
                short_description: String::new(),
                long_description: String::new(),
                stage: None,
                official_level: None,
                target_level: None,
                website: None,
                license: None,
                repositories: vec![],
                publiccode: None,
                published: true,
                version: None,
            },
        )
        .await
        .unwrap();
    let today = store.now().date_naive();
    let round = store
        .create_round(
            &sek,
            RoundInput {
                name: "Runde".into(),
                opens_on: today - chrono::Days::new(3),
                self_evaluation_deadline: today + chrono::Days::new(10),
                evaluation_deadline: today + chrono::Days::new(20),
                note: None,
                product_ids: vec![product.id],
                version: None,
            },
        )
        .await
        .unwrap();
    let status = &round.products[0];
    assert!(!status.self_evaluation_submitted);
    assert_eq!(status.self_evaluation_date, None);
    assert_eq!(status.self_evaluation_imported_at, None);

    let first = store
        .create_self_evaluation(&sek, version(product.id, Some("2024-11-01")))
        .await
        .unwrap();
    let view = store.round(round.round.id).await.unwrap();
    let status = &view.products[0];
    assert!(status.self_evaluation_submitted, "stored since the opening");
    assert_eq!(
        status.self_evaluation_date,
        Some(NaiveDate::from_ymd_opt(2024, 11, 1).unwrap())
    );
    assert_eq!(status.self_evaluation_imported_at, Some(first.submitted_at));

    // The newest version stored since the opening is the one read: here, without a date.
    let restored = store
        .create_self_evaluation_as(&sek, version(product.id, None), "restore", Some(1))
        .await
        .unwrap();
    assert_eq!(restored.number, 2);
    let view = store.round(round.round.id).await.unwrap();
    assert_eq!(view.products[0].self_evaluation_date, None);
    assert_eq!(
        view.products[0].self_evaluation_imported_at,
        Some(restored.submitted_at)
    );
    let audit = store.history("self_evaluation", restored.id).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, "restore");
    assert_eq!(audit[0].before, Some(json!({"from_version": 1})));
    assert_eq!(audit[0].after.as_ref().unwrap()["number"], 2);
    let audit = store.history("self_evaluation", first.id).await.unwrap();
    assert_eq!(audit[0].action, "submit");
    assert_eq!(audit[0].before, None);
}

#[tokio::test]
async fn dates_and_restores_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    dates_and_restores(dir.path().join("d.db").to_str().unwrap()).await;
}

#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn dates_and_restores_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    dates_and_restores(&db.url).await;
}
