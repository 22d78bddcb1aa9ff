//! Crash safety: a server that is writing continuously is killed with SIGKILL; after a
//! restart every write it acknowledged is there with its values, and the database passes
//! its integrity check and backs up.
//!
//! The kill comes after a number of acknowledged writes, not after a time, while several
//! writer threads are still sending. Runs on SQLite always; the PostgreSQL run needs
//! `NIVEAU_TEST_DATABASE_URL` (`source scripts/ci-postgres.sh`) and is ignored unless
//! asked for with `-- --include-ignored`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use niveau_store::{Store, StoreOptions};
use nix::sys::signal::Signal;
use support::{Server, account_with_token, get, post_json, run_ok};

/// Acknowledged writes before the kill.
const KILL_AFTER: usize = 300;
/// Writer threads.
const WRITERS: usize = 4;

/// One acknowledged write: the id the server answered with and what was sent.
#[derive(Debug, Clone)]
struct Acked {
    id: i32,
    slug: String,
    name: String,
    short_description: String,
}

fn crash_and_recover(dir: &Path, database: &str) {
    let token = account_with_token(dir, database, "skriver", "sekretariat");
    let mut server = Server::start(dir, &["--database", database]);
    let url = server.url("/api/v1/products");

    let acked: Arc<Mutex<Vec<Acked>>> = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let unexpected: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let (reached_tx, reached_rx) = mpsc::channel();
    let mut writers = Vec::new();
    for t in 0..WRITERS {
        let (url, token, acked, count, unexpected, reached_tx) = (
            url.clone(),
            token.clone(),
            acked.clone(),
            count.clone(),
            unexpected.clone(),
            reached_tx.clone(),
        );
        writers.push(std::thread::spawn(move || {
            let agent = support::agent();
            for i in 0.. {
                let slug = format!("crash-{t}-{i}");
                let name = format!("Skrivning {i} fra tråd {t}");
                let short_description = format!("tråd {t}, nummer {i}: æøå ✓");
                let body = serde_json::json!({
                    "slug": slug,
                    "name": name,
                    "short_description": short_description,
                    "published": i % 2 == 0,
                })
                .to_string();
                match post_json(&agent, &url, &token, &body) {
                    Ok((201, text)) => {
                        let created: serde_json::Value = serde_json::from_str(&text).unwrap();
                        let id = i32::try_from(created["id"].as_i64().unwrap()).unwrap();
                        acked.lock().unwrap().push(Acked {
                            id,
                            slug,
                            name,
                            short_description,
                        });
                        if count.fetch_add(1, Ordering::SeqCst) + 1 == KILL_AFTER {
                            let _ = reached_tx.send(());
                        }
                    }
                    Ok((status, text)) => {
                        unexpected.lock().unwrap().push(format!("{status}: {text}"));
                        return;
                    }
                    // The server is gone (killed): this writer is done.
                    Err(_) => return,
                }
            }
        }));
    }
    drop(reached_tx);
    reached_rx
        .recv_timeout(support::HANG_GUARD)
        .unwrap_or_else(|_| {
            panic!(
                "the writers never reached {KILL_AFTER} acknowledged writes; unexpected answers: {:?}; stderr:\n{}",
                unexpected.lock().unwrap(),
                server.stderr.lock().unwrap()
            )
        });
    server.kill();
    for w in writers {
        w.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        unexpected.lock().unwrap().is_empty(),
        "answers other than 201 before the kill: {:?}",
        unexpected.lock().unwrap()
    );
    assert!(acked.len() >= KILL_AFTER, "{}", acked.len());
    eprintln!(
        "{database}: {} writes acknowledged when SIGKILL came",
        acked.len()
    );

    // Open the database the way a restart does, and look for every acknowledged write.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = Store::connect(database, &StoreOptions::default())
            .await
            .unwrap();
        assert_eq!(store.integrity_check().await.unwrap(), Vec::<String>::new());
        for a in &acked {
            let stored = store.product(a.id).await.unwrap_or_else(|e| {
                panic!("acknowledged product {} ({}) is missing: {e}", a.id, a.slug)
            });
            assert_eq!(stored.slug, a.slug);
            assert_eq!(stored.name, a.name);
            assert_eq!(stored.short_description, a.short_description);
            assert_eq!(stored.version, 1);
        }
    });

    // The server starts again on the same database and serves the writes.
    let server = Server::start(dir, &["--database", database]);
    assert_eq!(get(&server.url("/readyz"), None).0, 200);
    let last = acked.last().unwrap();
    let (status, body) = get(
        &server.url(&format!("/api/v1/products/{}", last.slug)),
        Some(&token),
    );
    assert_eq!(status, 200, "{body}");
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["product"]["name"], last.name.as_str());
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    // And it backs up, with every acknowledged row in the backup.
    let backup = dir.join("after-crash.json");
    run_ok(
        dir,
        &["backup", backup.to_str().unwrap(), "--database", database],
        "",
    );
    let backup: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&backup).unwrap()).unwrap();
    let ids: std::collections::HashSet<i64> = backup["tables"]["product"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    for a in &acked {
        assert!(
            ids.contains(&i64::from(a.id)),
            "{} not in the backup",
            a.slug
        );
    }
}

#[test]
fn acknowledged_writes_survive_sigkill_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    crash_and_recover(dir.path(), db.to_str().unwrap());
}

#[test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
fn acknowledged_writes_survive_sigkill_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    let dir = tempfile::tempdir().unwrap();
    crash_and_recover(dir.path(), &db.url);
}
