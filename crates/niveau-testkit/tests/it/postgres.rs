//! `postgres::TestDatabase` against a real server. The tests that need it need
//! `NIVEAU_TEST_DATABASE_URL` (`source scripts/ci-postgres.sh`; CI always does): a plain
//! `cargo test` lists them as ignored, `-- --include-ignored` runs them.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use niveau_testkit::postgres::{TestDatabase, admin_url, psql};

/// How many databases of that name exist, seen from the administrative connection.
fn count_databases(admin: &str, name: &str) -> String {
    psql(
        admin,
        &format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'"),
    )
    .unwrap()
}

#[test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
fn creates_a_usable_database_and_drops_it() {
    let db = TestDatabase::create();
    let admin = admin_url().unwrap();
    let name = db.name.clone();

    assert!(name.starts_with(&format!("niveau_test_{}_", std::process::id())));
    assert!(db.url.ends_with(&format!("/{name}")), "{}", db.url);
    assert_eq!(count_databases(&admin, &name), "1\n");

    // The URL works on its own: it carries the role and the password.
    assert_eq!(
        db.psql("SELECT current_database()").unwrap(),
        format!("{name}\n")
    );
    let role = url::Url::parse(&admin).unwrap().username().to_owned();
    assert_eq!(db.psql("SELECT current_user").unwrap(), format!("{role}\n"));
    let out = db
        .psql(
            "CREATE TABLE evaluation (id integer PRIMARY KEY, level integer NOT NULL);
             INSERT INTO evaluation VALUES (1, 3), (2, 5);
             SELECT sum(level) FROM evaluation",
        )
        .unwrap();
    assert_eq!(out, "8\n");

    drop(db);
    assert_eq!(count_databases(&admin, &name), "0\n");
}

#[test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
fn databases_are_separate() {
    let first = TestDatabase::create();
    let second = TestDatabase::create();
    assert_ne!(first.name, second.name);
    assert_ne!(first.url, second.url);

    first.psql("CREATE TABLE only_here (x integer)").unwrap();
    let seen = |db: &TestDatabase| {
        db.psql("SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'")
            .unwrap()
    };
    assert_eq!(seen(&first), "1\n");
    assert_eq!(seen(&second), "0\n");
}

#[test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
fn drop_ends_sessions_that_are_still_open() {
    let db = TestDatabase::create();
    let admin = admin_url().unwrap();
    let name = db.name.clone();

    // A session that would keep a plain DROP DATABASE from succeeding for a minute.
    let mut session = Command::new("psql")
        .args(["-X", "-q", "-d", &db.url, "-c", "SELECT pg_sleep(60)"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let active = format!("SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}'");
    let give_up = Instant::now() + Duration::from_secs(20);
    while psql(&admin, &active).unwrap() == "0\n" {
        assert!(Instant::now() < give_up, "the psql session never connected");
        std::thread::sleep(Duration::from_millis(50));
    }

    drop(db);

    assert_eq!(count_databases(&admin, &name), "0\n");
    let status = session.wait().unwrap();
    assert!(
        !status.success(),
        "the open session was not terminated: {status}"
    );
}
