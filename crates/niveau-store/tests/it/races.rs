#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Concurrent writers: of two updates based on the same version exactly one wins, and
//! every queued job is taken by exactly one worker, and of drafts started at once for one
//! product exactly one is created. On SQLite and PostgreSQL.

use std::collections::BTreeSet;
use std::time::Duration;

use niveau_store::evaluations::NewEvaluation;
use niveau_store::products::ProductInput;
use niveau_store::types::EvaluationStatus;
use niveau_store::{Actor, Store, StoreError, StoreOptions};

fn input(name: &str) -> ProductInput {
    serde_json::from_value(serde_json::json!({ "slug": "os2mo", "name": name })).unwrap()
}

async fn races(url: &str) {
    let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
    store.migrate().await.unwrap();
    let actor = Actor::system("race");
    let product = store.create_product(&actor, input("OS2mo")).await.unwrap();

    let mut tasks = Vec::new();
    for i in 0..8 {
        let store = store.clone();
        let id = product.id;
        tasks.push(tokio::spawn(async move {
            store
                .update_product(
                    &Actor::system(format!("writer-{i}")),
                    id,
                    1,
                    input(&format!("OS2mo {i}")),
                )
                .await
        }));
    }
    let mut wins = 0;
    let mut conflicts = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(p) => {
                assert_eq!(p.version, 2);
                wins += 1;
            }
            Err(StoreError::Conflict { actual: 2, .. }) => conflicts += 1,
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!((wins, conflicts), (1, 7));
    assert_eq!(store.history("product", product.id).await.unwrap().len(), 2);

    for _ in 0..20 {
        store.request_scan(&actor, product.id).await.unwrap();
    }
    let mut workers = Vec::new();
    for w in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut taken = Vec::new();
            let name = format!("worker-{w}");
            while let Some(job) = store
                .claim_job(&name, Duration::from_secs(60))
                .await
                .unwrap()
            {
                store.complete_job(job.id, &name).await.unwrap();
                taken.push(job.id);
            }
            taken
        }));
    }
    let mut all = Vec::new();
    for w in workers {
        all.extend(w.await.unwrap());
    }
    let unique: BTreeSet<_> = all.iter().copied().collect();
    assert_eq!(all.len(), 20, "every job was taken");
    assert_eq!(unique.len(), 20, "no job was taken twice");

    // Drafts started at once for one product: exactly one is created, the others are
    // refused naming it; a product has one open evaluation at a time.
    let mut drafts = Vec::new();
    for i in 0..6 {
        let store = store.clone();
        let id = product.id;
        drafts.push(tokio::spawn(async move {
            store
                .create_evaluation(
                    &Actor::system(format!("evaluator-{i}")),
                    NewEvaluation {
                        product_id: id,
                        self_evaluation_id: None,
                        model_id: "os2-1.1.0".into(),
                        model_version: "1.1.0".into(),
                        ratings: serde_json::json!([]),
                        proposals: serde_json::json!([]),
                        summary: None,
                        indicated_level: None,
                    },
                )
                .await
        }));
    }
    let mut created = Vec::new();
    let mut refused = Vec::new();
    for d in drafts {
        match d.await.unwrap() {
            Ok(view) => created.push(view.head.id),
            Err(StoreError::OpenEvaluation { id, status }) => {
                assert_eq!(status, EvaluationStatus::Kladde);
                refused.push(id);
            }
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(refused, vec![created[0]; 5]);
    assert_eq!(
        store
            .open_evaluation(product.id)
            .await
            .unwrap()
            .map(|e| e.id),
        Some(created[0])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn races_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    races(dir.path().join("r.db").to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn races_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    races(&db.url).await;
}

#[tokio::test]
async fn an_expired_lease_lets_another_worker_take_the_job() {
    let dir = tempfile::tempdir().unwrap();
    let now = std::sync::Arc::new(std::sync::Mutex::new(chrono::Utc::now()));
    let clock = now.clone();
    let store = Store::connect(
        dir.path().join("l.db").to_str().unwrap(),
        &StoreOptions::default(),
    )
    .await
    .unwrap()
    .with_clock(std::sync::Arc::new(move || *clock.lock().unwrap()));
    store.migrate().await.unwrap();
    let actor = Actor::system("t");
    store
        .enqueue_job(&actor, "scan", serde_json::json!({}))
        .await
        .unwrap();
    let job = store
        .claim_job("a", Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert!(
        store
            .claim_job("b", Duration::from_secs(30))
            .await
            .unwrap()
            .is_none()
    );
    *now.lock().unwrap() += chrono::Duration::seconds(31);
    let again = store
        .claim_job("b", Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((again.id, again.attempts), (job.id, 2));
    // The first worker lost the job: it may not complete it.
    assert!(store.complete_job(job.id, "a").await.is_err());
    store
        .fail_job(job.id, "b", "network down", Duration::from_secs(0))
        .await
        .unwrap();
    let third = store
        .claim_job("c", Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(third.attempts, 3);
    store
        .fail_job(job.id, "c", "still down", Duration::from_secs(0))
        .await
        .unwrap();
    assert!(
        store
            .claim_job("d", Duration::from_secs(30))
            .await
            .unwrap()
            .is_none()
    );
    let failed = store.job(job.id).await.unwrap();
    assert_eq!(failed.status, niveau_store::types::JobStatus::Failed);
    assert_eq!(failed.last_error.as_deref(), Some("still down"));
}

#[tokio::test]
async fn a_job_that_cannot_succeed_is_abandoned_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(
        dir.path().join("a.db").to_str().unwrap(),
        &StoreOptions::default(),
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let job = store
        .enqueue_job(&Actor::system("t"), "unknown", serde_json::json!({}))
        .await
        .unwrap();
    let taken = store
        .claim_job("w", Duration::from_secs(30))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(taken.id, job.id);
    store
        .abandon_job(job.id, "w", "ukendt jobtype")
        .await
        .unwrap();
    let failed = store.job(job.id).await.unwrap();
    assert_eq!(
        (failed.status, failed.attempts),
        (niveau_store::types::JobStatus::Failed, 1)
    );
    assert!(
        store
            .claim_job("w", Duration::from_secs(30))
            .await
            .unwrap()
            .is_none()
    );
}
