#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The e-mail outbox: one message per event and recipient, each message taken by one
//! sender even when several race, leases that expire, backoff and failure, digests. On
//! SQLite and PostgreSQL.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use niveau_store::entity::notification_setting::NotifyMode;
use niveau_store::entity::outbox_message::OutboxStatus;
use niveau_store::outbox::{NewMessage, OutboxFilter};
use niveau_store::{Actor, ListParams, Store, StoreOptions};

fn message(key: &str, to: &str) -> NewMessage {
    NewMessage {
        event_key: key.into(),
        event_kind: "test".into(),
        entity: "wish".into(),
        entity_id: Some(1),
        recipient_user_id: None,
        recipient: to.into(),
        language: "da".into(),
        subject: format!("Emne {key}"),
        body: "Tekst".into(),
        link: Some("/ønsker/1".into()),
        hold: false,
    }
}

async fn senders_race(url: &str) {
    let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
    store.migrate().await.unwrap();
    let batch: Vec<_> = (0..30)
        .map(|i| message(&format!("e:{i}"), "a@example.org"))
        .collect();
    assert_eq!(store.enqueue_mail(&batch).await.unwrap(), 30);
    // The same events again (a retried operation) add nothing; a new recipient does.
    assert_eq!(store.enqueue_mail(&batch).await.unwrap(), 0);
    assert_eq!(
        store
            .enqueue_mail(&[message("e:0", "b@example.org")])
            .await
            .unwrap(),
        1
    );
    let mut senders = Vec::new();
    for s in 0..4 {
        let store = store.clone();
        senders.push(tokio::spawn(async move {
            let name = format!("sender-{s}");
            let mut sent = Vec::new();
            loop {
                let taken = store
                    .claim_mail(&name, Duration::from_secs(60), 5)
                    .await
                    .unwrap();
                if taken.is_empty() {
                    break;
                }
                for m in taken {
                    assert!(store.mail_sent(m.id, &name).await.unwrap());
                    sent.push(m.id);
                }
            }
            sent
        }));
    }
    let mut all = Vec::new();
    for s in senders {
        all.extend(s.await.unwrap());
    }
    let unique: BTreeSet<_> = all.iter().copied().collect();
    assert_eq!(all.len(), 31, "every message was taken");
    assert_eq!(unique.len(), 31, "no message was taken twice");
    let sent = store
        .list_outbox(
            &OutboxFilter {
                status: Some(OutboxStatus::Sent),
            },
            &ListParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(sent.total, 31);
    assert!(sent.items.iter().all(|m| m.attempts == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn senders_race_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    senders_race(dir.path().join("o.db").to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn senders_race_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    senders_race(&db.url).await;
}

#[tokio::test]
async fn leases_backoff_failure_and_sending_again() {
    let dir = tempfile::tempdir().unwrap();
    let now = Arc::new(Mutex::new(chrono::Utc::now()));
    let clock = now.clone();
    let store = Store::connect(
        dir.path().join("l.db").to_str().unwrap(),
        &StoreOptions::default(),
    )
    .await
    .unwrap()
    .with_clock(Arc::new(move || *clock.lock().unwrap()));
    store.migrate().await.unwrap();
    store
        .enqueue_mail(&[message("w:1", "a@example.org")])
        .await
        .unwrap();
    let first = store
        .claim_mail("a", Duration::from_secs(30), 10)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    let id = first[0].id;
    assert!(
        store
            .claim_mail("b", Duration::from_secs(30), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Sender a dies; after its lease, b takes the message, and a may no longer mark it.
    *now.lock().unwrap() += chrono::Duration::seconds(31);
    let again = store
        .claim_mail("b", Duration::from_secs(30), 10)
        .await
        .unwrap();
    assert_eq!((again[0].id, again[0].attempts), (id, 2));
    assert!(!store.mail_sent(id, "a").await.unwrap());
    // A temporary refusal: queued again, not due before the backoff.
    let status = store
        .mail_failed(id, "b", "451 try later", Some(Duration::from_secs(120)))
        .await
        .unwrap();
    assert_eq!(status, OutboxStatus::Queued);
    assert!(
        store
            .claim_mail("c", Duration::from_secs(30), 10)
            .await
            .unwrap()
            .is_empty()
    );
    *now.lock().unwrap() += chrono::Duration::seconds(121);
    let third = store
        .claim_mail("c", Duration::from_secs(30), 10)
        .await
        .unwrap();
    assert_eq!(third[0].attempts, 3);
    // A permanent refusal: failed at once, and visible as failed.
    let status = store
        .mail_failed(id, "c", "550 no such user", None)
        .await
        .unwrap();
    assert_eq!(status, OutboxStatus::Failed);
    let failed = store.outbox_message(id).await.unwrap();
    assert_eq!(failed.last_error.as_deref(), Some("550 no such user"));
    assert!(
        store
            .claim_mail("d", Duration::from_secs(30), 10)
            .await
            .unwrap()
            .is_empty()
    );
    // Sending again is only for failed messages, and starts the attempts afresh.
    let actor = Actor::system("sekretariatet");
    let retried = store.retry_mail(&actor, id).await.unwrap();
    assert_eq!(
        (retried.status, retried.attempts),
        (OutboxStatus::Queued, 0)
    );
    assert!(store.retry_mail(&actor, id).await.is_err());
    let taken = store
        .claim_mail("d", Duration::from_secs(30), 10)
        .await
        .unwrap();
    assert!(store.mail_sent(taken[0].id, "d").await.unwrap());
    // Too many temporary failures end in failed too.
    store
        .enqueue_mail(&[message("w:2", "a@example.org")])
        .await
        .unwrap();
    let mut last = OutboxStatus::Queued;
    for _ in 0..niveau_store::outbox::MAX_ATTEMPTS {
        let taken = store
            .claim_mail("e", Duration::from_secs(30), 10)
            .await
            .unwrap();
        last = store
            .mail_failed(taken[0].id, "e", "421 busy", Some(Duration::ZERO))
            .await
            .unwrap();
    }
    assert_eq!(last, OutboxStatus::Failed);
}

#[tokio::test]
async fn held_messages_become_one_digest_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(
        dir.path().join("d.db").to_str().unwrap(),
        &StoreOptions::default(),
    )
    .await
    .unwrap();
    store.migrate().await.unwrap();
    let actor = Actor::system("t");
    let user = store
        .create_user(
            &actor,
            niveau_store::accounts::NewUser {
                username: "anna".into(),
                display_name: "Anna".into(),
                email: Some("anna@example.org".into()),
                password_hash: None,
                roles: vec![niveau_store::types::Role::Laeser],
                product_ids: vec![],
                oidc: None,
            },
        )
        .await
        .unwrap();
    store
        .put_notification_setting(&actor, user.id, NotifyMode::Digest, "en")
        .await
        .unwrap();
    let mut held: Vec<_> = (0..3)
        .map(|i| NewMessage {
            recipient_user_id: Some(user.id),
            hold: true,
            ..message(&format!("h:{i}"), "anna@example.org")
        })
        .collect();
    held[0].language = "en".into();
    store.enqueue_mail(&held).await.unwrap();
    let compose = |ms: &[niveau_store::entity::outbox_message::Model]| {
        (
            format!("{} events", ms.len()),
            ms.iter()
                .map(|m| m.subject.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        )
    };
    assert_eq!(
        store
            .make_digests(chrono::Duration::hours(20), compose)
            .await
            .unwrap(),
        1
    );
    // Nothing held is left, and a second run the same day makes nothing.
    assert_eq!(
        store
            .make_digests(chrono::Duration::hours(20), compose)
            .await
            .unwrap(),
        0
    );
    let queued = store
        .list_outbox(
            &OutboxFilter {
                status: Some(OutboxStatus::Queued),
            },
            &ListParams::default(),
        )
        .await
        .unwrap();
    assert_eq!(queued.total, 1);
    assert_eq!(queued.items[0].subject, "3 events");
    assert_eq!(queued.items[0].body, "Emne h:0\nEmne h:1\nEmne h:2");
    assert!(
        store
            .claim_mail("s", Duration::from_secs(5), 10)
            .await
            .unwrap()
            .len()
            == 1
    );
}
