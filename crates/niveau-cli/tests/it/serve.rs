//! `niveau serve` and the commands around it (migrate, user, backup, restore, the
//! configuration), run as the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;

use nix::sys::signal::Signal;
use support::{
    PASSWORD, Server, account_with_token, agent, get, post_json, refuses_connections, run, run_ok,
};

#[test]
fn serve_starts_on_a_new_sqlite_file_answers_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &[]);
    // The default database is ./niveau.db, created and migrated on the first start.
    assert!(dir.path().join("niveau.db").is_file());

    assert_eq!(
        get(&server.url("/healthz"), None),
        (200, "ok\n".to_string())
    );
    assert_eq!(
        get(&server.url("/readyz"), None),
        (200, "ready\n".to_string())
    );
    let (status, body) = get(&server.url("/api/v1/openapi.json"), None);
    assert_eq!(status, 200);
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(doc["info"]["title"], "Niveau API");
    assert!(
        doc["paths"]["/api/v1/products"]["post"].is_object(),
        "{body}"
    );
    let (status, metrics) = get(&server.url("/metrics"), None);
    assert_eq!(status, 200);
    assert!(
        metrics.contains("route=\"/healthz\""),
        "the earlier request is counted: {metrics}"
    );

    let stderr = server.stderr.lock().unwrap().clone();
    assert!(
        stderr.contains("Der er ingen konti endnu. Opret den første administrator med:\n\n    niveau user add --admin NAVN\n"),
        "no first-start hint in:\n{stderr}"
    );

    server.signal(Signal::SIGTERM);
    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(0), "stderr:\n{stderr}");
    assert!(stderr.contains("shutting down"), "{stderr}");
}

#[test]
fn sigint_stops_the_server_too_and_a_second_start_needs_no_migration() {
    let dir = tempfile::tempdir().unwrap();
    let first = Server::start(dir.path(), &[]);
    assert!(first.stderr.lock().unwrap().contains("applied migration"));
    first.signal(Signal::SIGINT);
    let (status, _) = first.wait();
    assert_eq!(status.code(), Some(0));

    let second = Server::start(dir.path(), &[]);
    assert_eq!(get(&second.url("/readyz"), None).0, 200);
    second.signal(Signal::SIGTERM);
    let (status, stderr) = second.wait();
    assert_eq!(status.code(), Some(0));
    assert!(!stderr.contains("applied migration"), "{stderr}");
}

/// A request whose body is still arriving when SIGTERM comes is finished and answered;
/// the server stops listening at once and exits 0 after the answer.
///
/// Deterministic without timing: `Expect: 100-continue` makes the server say when the
/// handler has started reading the body, and "connection refused" says when shutdown has
/// begun; only then is the body sent.
#[test]
fn a_request_in_flight_is_finished_during_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("inflight.db");
    let db = db.to_str().unwrap();
    let token = account_with_token(dir.path(), db, "sekretaer", "sekretariat");
    let server = Server::start(dir.path(), &["--database", db]);

    let body = r#"{"slug":"under-nedlukning","name":"Oprettet under nedlukning"}"#;
    let mut conn = TcpStream::connect(server.addr).unwrap();
    conn.set_read_timeout(Some(support::HANG_GUARD)).unwrap();
    write!(
        conn,
        "POST /api/v1/products HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
        server.addr,
        body.len()
    )
    .unwrap();
    let mut interim = [0u8; 25];
    conn.read_exact(&mut interim).unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");

    server.signal(Signal::SIGTERM);
    let mut waited = 0;
    while !refuses_connections(server.addr) {
        waited += 1;
        assert!(waited < 10_000, "the server kept accepting connections");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }

    conn.write_all(body.as_bytes()).unwrap();
    let mut response = String::new();
    conn.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.1 201 Created\r\n"),
        "{response}"
    );
    assert!(
        response.contains("\"slug\":\"under-nedlukning\""),
        "{response}"
    );

    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(0), "{stderr}");

    // The write is there.
    let backup = dir.path().join("after.json");
    run_ok(
        dir.path(),
        &["backup", backup.to_str().unwrap(), "--database", db],
        "",
    );
    let backup: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&backup).unwrap()).unwrap();
    let products = backup["tables"]["product"].as_array().unwrap();
    assert_eq!(products.len(), 1);
    assert_eq!(products[0]["slug"], "under-nedlukning");
    assert_eq!(products[0]["name"], "Oprettet under nedlukning");
}

/// Finding 6: the documentation lets `niveau user add` run beside the server on the same
/// SQLite file. The server's write transactions read before they write; begun deferred,
/// they failed with "database is locked" (500) whenever the command had just committed,
/// and the command failed likewise (exit 2).
#[test]
fn finding_6_user_add_beside_the_server_does_not_lock() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("n.db");
    let db = db.to_str().unwrap();
    let server = Server::start(dir.path(), &["--database", db]);
    let token = account_with_token(dir.path(), db, "sekretaer", "sekretariat");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let url = server.url("/api/v1/organisations");
        std::thread::spawn(move || {
            let agent = agent();
            let mut answers = Vec::new();
            for i in 0..5000 {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let body = format!(r#"{{"name": "Kommune {i}", "kind": "kommune"}}"#);
                let (status, text) = post_json(&agent, &url, &token, &body).unwrap();
                answers.push((status, text));
            }
            answers
        })
    };
    let mut failures = Vec::new();
    for i in 0..6 {
        let name = format!("bruger{i}");
        let out = run(
            dir.path(),
            &[
                "user",
                "add",
                &name,
                "--role",
                "bestyrelse",
                "--password-stdin",
                "--database",
                db,
            ],
            &format!("{PASSWORD}\n"),
        );
        if !out.status.success() {
            failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
        }
    }
    stop.store(true, Ordering::SeqCst);
    let answers = writer.join().unwrap();
    assert_eq!(failures, Vec::<String>::new(), "every user add succeeded");
    assert!(
        answers.len() >= 6,
        "the server wrote meanwhile: {}",
        answers.len()
    );
    let refused: Vec<_> = answers.iter().filter(|(s, _)| *s != 201).collect();
    assert!(refused.is_empty(), "the server refused writes: {refused:?}");
    let list = run_ok(dir.path(), &["user", "list", "--database", db], "");
    assert_eq!(list.lines().count(), 1 + 1 + 6, "{list}");
    server.signal(Signal::SIGTERM);
    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(0), "stderr:\n{stderr}");
}

#[test]
fn migrate_applies_and_reports_status() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["migrate", "--status"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("niveau.db: databasefilen findes ikke"),
        "{stderr}"
    );

    let applied = run_ok(dir.path(), &["migrate"], "");
    assert!(
        applied.starts_with(
            "anvendte migreringer på niveau.db:\n  m20261124_000001_initial\n  m20261124_000002_dialog\n  m20261125_000003_upload_volume\n  m20261205_000004_evaluation_decision\n  m20261205_000005_process\n  m20261205_000006_wishes\n  m20261205_000007_outbox\n  m20261205_000008_forge_issues\n"
        ),
        "{applied}"
    );
    let again = run_ok(dir.path(), &["--lang", "en", "migrate"], "");
    assert!(
        again.starts_with("the database is up to date; nothing to migrate"),
        "{again}"
    );
    let status = run_ok(dir.path(), &["--lang", "en", "migrate", "--status"], "");
    assert!(
        status.contains("schema version: m20261205_000008_forge_issues\nno pending migrations\n"),
        "{status}"
    );
}

#[test]
fn configuration_comes_from_file_environment_and_flags_and_unknown_keys_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // The file names one database, the environment another, the flag a third.
    std::fs::write(
        dir.path().join("niveau.toml"),
        "[database]\nurl = \"from-file.db\"\n",
    )
    .unwrap();
    run_ok(dir.path(), &["migrate"], "");
    assert!(dir.path().join("from-file.db").is_file());

    let out = support::command(dir.path())
        .args(["migrate"])
        .env("NIVEAU_DATABASE__URL", "from-env.db")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("from-env.db").is_file());

    let out = support::command(dir.path())
        .args(["migrate", "--database", "from-flag.db"])
        .env("NIVEAU_DATABASE__URL", "from-env-2.db")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(dir.path().join("from-flag.db").is_file());
    assert!(!dir.path().join("from-env-2.db").exists());

    // An unknown key in the environment names the variable and the key.
    let out = support::command(dir.path())
        .args(["migrate"])
        .env("NIVEAU_WEB__LOGIN__MAX_FAILURE", "3")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("fejl: miljøvariablen NIVEAU_WEB__LOGIN__MAX_FAILURE: web.login.max_failure: ukendt nøgle"),
        "{stderr}"
    );
    // Variables without `__` are not configuration (NIVEAU_LANG, NIVEAU_TEST_…).
    let out = support::command(dir.path())
        .args(["migrate"])
        .env("NIVEAU_SOMETHING_ELSE", "x")
        .output()
        .unwrap();
    assert!(out.status.success());

    // An unknown key in the file names the file and the key.
    std::fs::write(
        dir.path().join("niveau.toml"),
        "[server]\nlisten = \"127.0.0.1:0\"\ngrace = 3\n",
    )
    .unwrap();
    let out = run(dir.path(), &["migrate"], "");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("fejl: niveau.toml: server.grace: ukendt nøgle"),
        "{stderr}"
    );
    // --config names another file, which must exist.
    let out = run(dir.path(), &["migrate", "--config", "other.toml"], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("other.toml: konfigurationsfilen findes ikke")
    );
}

#[test]
fn the_listen_address_comes_from_the_environment_when_no_flag_is_given() {
    let dir = tempfile::tempdir().unwrap();
    // `--listen 127.0.0.1:0` from Server::start wins over the environment's port 1.
    let server = Server::start_with(dir.path(), &[], &[("NIVEAU_SERVER__LISTEN", "127.0.0.1:1")]);
    assert_ne!(server.addr.port(), 1);
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    let out = support::command(dir.path())
        .args(["serve"])
        .env("NIVEAU_SERVER__LISTEN", "not an address")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fejl: kan ikke lytte på not an address"),
        "{stderr}"
    );
}

#[test]
fn users_and_tokens_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &["user", "add", "anna", "--admin", "--password-stdin"],
        "for kort\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "fejl: adgangskoden skal have mindst 12 tegn (den har 8)\n"
    );

    let created = run_ok(
        dir.path(),
        &[
            "user",
            "add",
            "anna",
            "--admin",
            "--display-name",
            "Anna Admin",
            "--email",
            "anna@example.org",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(created, "oprettede kontoen anna (id 1, roller: admin)\n");
    let duplicate = run(
        dir.path(),
        &["user", "add", "anna", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(duplicate.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("anna er allerede i brug"));

    run_ok(
        dir.path(),
        &[
            "user",
            "add",
            "bo",
            "--role",
            "bestyrelse",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    let list = run_ok(dir.path(), &["--lang", "en", "user", "list"], "");
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    assert!(lines[1].starts_with("anna "), "{list}");
    assert!(lines[1].contains("Anna Admin"), "{list}");
    assert!(lines[1].contains(" admin "), "{list}");
    assert!(lines[1].contains("active"), "{list}");
    assert!(lines[2].starts_with("bo "), "{list}");
    assert!(lines[2].contains("bestyrelse"), "{list}");

    // A token works against the server; disabling the account stops it.
    let token = run_ok(
        dir.path(),
        &[
            "user",
            "token",
            "anna",
            "--name",
            "ci",
            "--expires-days",
            "30",
        ],
        "",
    );
    let token = token.trim();
    assert!(token.starts_with("niveau_") && token.len() == 50, "{token}");
    let server = Server::start(dir.path(), &[]);
    assert!(
        !server
            .stderr
            .lock()
            .unwrap()
            .contains("niveau user add --admin"),
        "no hint once accounts exist"
    );
    let (status, _) = get(&server.url("/api/v1/products"), Some(token));
    assert_eq!(status, 200);
    let (status, body) = get(&server.url("/api/v1/me"), Some(token));
    assert_eq!(status, 200, "{body}");
    let me: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(me["user"]["username"], "anna");
    assert_eq!(me["demo"], false, "no example data here");
    // The last administrator cannot be disabled; with a second one, anna can.
    let last = run(dir.path(), &["user", "disable", "anna"], "");
    assert_eq!(last.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&last.stderr),
        "fejl: anna: den sidste aktive administrator kan ikke deaktiveres; giv først en anden konto rollen admin (niveau user add --admin)\n"
    );
    run_ok(
        dir.path(),
        &["user", "add", "carl", "--admin", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(
        run_ok(dir.path(), &["user", "disable", "anna"], ""),
        "deaktiverede anna\n"
    );
    let (status, body) = get(&server.url("/api/v1/products"), Some(token));
    assert_eq!(status, 401, "{body}");
    run_ok(dir.path(), &["user", "enable", "anna"], "");
    assert_eq!(get(&server.url("/api/v1/products"), Some(token)).0, 200);
    let list = run_ok(dir.path(), &["user", "list"], "");
    assert!(list.contains("aktiv"), "{list}");

    // A new password.
    assert_eq!(
        run_ok(
            dir.path(),
            &["user", "passwd", "bo", "--password-stdin"],
            "et helt nyt kodeord\n"
        ),
        "ny adgangskode for bo; sessioner afsluttet: 0; API-tokens tilbagekaldt: 0\n"
    );
    // A new password revokes the account's tokens, unless told to keep them.
    assert_eq!(
        run_ok(
            dir.path(),
            &[
                "--lang",
                "en",
                "user",
                "passwd",
                "anna",
                "--password-stdin",
                "--keep-tokens"
            ],
            "et helt nyt kodeord\n"
        ),
        "new password for anna; sessions ended: 0; API tokens revoked: 0\n"
    );
    assert_eq!(get(&server.url("/api/v1/products"), Some(token)).0, 200);
    assert_eq!(
        run_ok(
            dir.path(),
            &["user", "passwd", "anna", "--password-stdin"],
            "endnu et nyt kodeord\n"
        ),
        "ny adgangskode for anna; sessioner afsluttet: 0; API-tokens tilbagekaldt: 1\n"
    );
    assert_eq!(get(&server.url("/api/v1/products"), Some(token)).0, 401);
    let missing = run(
        dir.path(),
        &["user", "passwd", "nobody", "--password-stdin"],
        "et helt nyt kodeord\n",
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("kontoen 'nobody' findes ikke"));

    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));
}

/// Issue #10, finding 9: an expiry beyond the maximum (or one that would overflow the
/// date arithmetic) is a clear error with a non-zero exit, not a panic (exit 101), and
/// no token is made.
#[test]
fn finding_9_token_expiry_overflow_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    run_ok(
        dir.path(),
        &["user", "add", "anna", "--admin", "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    for (days, lang) in [
        ("4294967295", "da"),
        ("100000000", "en"),
        ("3651", "da"),
        ("0", "da"),
    ] {
        let out = run(
            dir.path(),
            &[
                "--lang",
                lang,
                "user",
                "token",
                "anna",
                "--name",
                "ci",
                "--expires-days",
                days,
            ],
            "",
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{days}: {stderr}");
        assert!(out.stdout.is_empty(), "no token printed for {days}");
        let expected = if lang == "en" {
            format!("error: --expires-days must be a number of days from 1 to 3650 (got {days})\n")
        } else {
            format!("fejl: --expires-days skal være et antal dage fra 1 til 3650 (fik {days})\n")
        };
        assert_eq!(stderr, expected);
    }
    let out = run(
        dir.path(),
        &[
            "user",
            "token",
            "anna",
            "--name",
            "ci",
            "--expires-days",
            "4294967296",
        ],
        "",
    );
    assert_eq!(
        out.status.code(),
        Some(2),
        "too big for the flag: a usage error"
    );
    let token = run_ok(
        dir.path(),
        &[
            "user",
            "token",
            "anna",
            "--name",
            "ci",
            "--expires-days",
            "3650",
        ],
        "",
    );
    assert!(token.trim().starts_with("niveau_"), "{token}");
}

/// The "  table   rows" lines of a backup or restore report.
fn counts(report: &str) -> std::collections::BTreeMap<String, usize> {
    report
        .lines()
        .filter(|l| l.starts_with("  "))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let table = parts.next()?;
            let rows = parts.last()?.parse().ok()?;
            Some((table.to_string(), rows))
        })
        .collect()
}

#[test]
fn backup_and_restore_round_trip_and_refuse_what_they_must() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.db");
    let source = source.to_str().unwrap();
    let target = dir.path().join("target.db");
    let target = target.to_str().unwrap();
    let backup = dir.path().join("backup.json");
    let backup = backup.to_str().unwrap();

    let out = run(dir.path(), &["backup", backup, "--database", source], "");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("source.db: databasefilen findes ikke"));

    run_ok(dir.path(), &["demo", "--database", source], "");
    run_ok(
        dir.path(),
        &[
            "user",
            "add",
            "anna",
            "--admin",
            "--password-stdin",
            "--database",
            source,
        ],
        &format!("{PASSWORD}\n"),
    );
    let written = run_ok(
        dir.path(),
        &["--lang", "en", "backup", backup, "--database", source],
        "",
    );
    assert!(
        written.starts_with(&format!(
            "backup written to {backup} (schema m20261205_000008_forge_issues, "
        )),
        "{written}"
    );
    let counts = counts(&written);
    assert_eq!(counts["product"], 13, "{written}");
    // The example data's 12 history decisions, the board's 2 approvals (its decisions
    // on OS2iot's cases) and the published evaluation's level decision.
    assert_eq!(counts["decision"], 15, "{written}");
    // OS2iot's two meetings and cases, and the illustration of a concept waiting for the
    // board.
    assert_eq!(counts["board_meeting"], 3, "{written}");
    assert_eq!(counts["board_case"], 3, "{written}");
    assert_eq!(counts["progress_report"], 1, "{written}");
    assert_eq!(counts["user_account"], 1, "{written}");
    assert_eq!(counts["person"], 0, "{written}");
    assert_eq!(counts.len(), 35, "34 tables and the total: {written}");
    assert_eq!(counts["evaluation_comment"], 0, "{written}");

    let restored = run_ok(
        dir.path(),
        &["--lang", "en", "restore", backup, "--database", target],
        "",
    );
    assert!(
        restored.starts_with(&format!(
            "restored {backup} into {target} (integrity check: ok):"
        )),
        "{restored}"
    );
    assert_eq!(self::counts(&restored), counts, "{restored}");

    // The restored copy backs up to the same rows.
    let again = dir.path().join("again.json");
    run_ok(
        dir.path(),
        &["backup", again.to_str().unwrap(), "--database", target],
        "",
    );
    let a: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(backup).unwrap()).unwrap();
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&again).unwrap()).unwrap();
    assert_eq!(a["tables"], b["tables"]);

    // A database with data is not overwritten without --force.
    let refused = run(
        dir.path(),
        &["--lang", "en", "restore", backup, "--database", target],
        "",
    );
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("already holds data, which the restore would replace. Use --force"),
        "{stderr}"
    );
    run_ok(
        dir.path(),
        &["restore", backup, "--database", target, "--force"],
        "",
    );

    // A broken backup file is named with its line and column.
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\n  \"format\": \"niveau-backup/1\",\n  \"created_at\": 5\n}\n",
    )
    .unwrap();
    let out = run(
        dir.path(),
        &[
            "--lang",
            "en",
            "restore",
            broken.to_str().unwrap(),
            "--database",
            target,
            "--force",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with(&format!("error: {}:3:17: not a Niveau backup: invalid type: integer `5`, expected an RFC 3339 formatted date and time string", broken.display())),
        "{stderr}"
    );
}

#[test]
fn oidc_that_cannot_be_reached_stops_the_start_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on: bind one, note it, free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    std::fs::write(
        dir.path().join("niveau.toml"),
        format!(
            "[web.oidc]\nissuer_url = \"http://127.0.0.1:{port}\"\nclient_id = \"niveau\"\nclient_secret = \"s\"\nredirect_url = \"http://127.0.0.1/auth/oidc/callback\"\n"
        ),
    )
    .unwrap();
    let out = run(
        dir.path(),
        &["--lang", "en", "serve", "--listen", "127.0.0.1:0"],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "error: single sign-on: cannot reach the provider http://127.0.0.1:{port} (fix [web.oidc] issuer_url, or remove [web.oidc] to start without single sign-on)"
        )),
        "{stderr}"
    );
}

#[test]
fn logs_are_json_lines_when_configured() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        dir.path(),
        &[],
        &[
            ("NIVEAU_LOG__FORMAT", "json"),
            ("NIVEAU_LOG__LEVEL", "info"),
        ],
    );
    let addr = server.addr.to_string();
    server.signal(Signal::SIGTERM);
    let (status, stderr) = server.wait();
    assert_eq!(status.code(), Some(0));
    let events: Vec<serde_json::Value> = stderr
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let messages: Vec<&str> = events
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(messages.contains(&"applied migration"), "{stderr}");
    assert!(messages.contains(&"listening"), "{stderr}");
    assert!(messages.contains(&"stopped"), "{stderr}");
    let listening = events.iter().find(|e| e["message"] == "listening").unwrap();
    assert_eq!(listening["level"], "INFO");
    assert_eq!(listening["addr"], addr.as_str());
}

#[test]
fn configuration_and_backup_errors_are_wholly_in_the_language_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.toml"), "[database]\nurll = \"x\"\n").unwrap();
    std::fs::write(dir.path().join("broken.json"), "{\"format\": ").unwrap();
    let first_line = |lang: &str, args: &[&str]| {
        let mut all = vec!["--lang", lang];
        all.extend_from_slice(args);
        let out = run(dir.path(), &all, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        stderr.lines().next().unwrap_or_default().to_owned()
    };
    let known = "url, max_connections, busy_timeout_ms, log_statements";
    let cases: Vec<(Vec<&str>, String, String)> = vec![
        (
            vec!["migrate", "--config", "bad.toml"],
            format!("fejl: bad.toml: database.urll: ukendt nøgle; kendte nøgler her: {known}"),
            format!("error: bad.toml: database.urll: unknown key; known keys here: {known}"),
        ),
        (
            vec!["migrate", "--config", "other.toml"],
            "fejl: other.toml: konfigurationsfilen findes ikke eller er ikke en fil".into(),
            "error: other.toml: the configuration file does not exist or is not a file".into(),
        ),
        (
            vec!["restore", "broken.json", "--database", "r.db"],
            "fejl: broken.json:1:11: ikke en Niveau-sikkerhedskopi: JSON-teksten slutter for tidligt"
                .into(),
            "error: broken.json:1:11: not a Niveau backup: EOF while parsing a value".into(),
        ),
        (
            vec!["restore", "missing.json", "--database", "r.db"],
            "fejl: missing.json: kan ikke læses: findes ikke (systemfejl 2)".into(),
            "error: missing.json: cannot be read: No such file or directory (os error 2)".into(),
        ),
    ];
    for (args, da, en) in cases {
        assert_eq!(first_line("da", &args), da);
        assert_eq!(first_line("en", &args), en);
    }
    // An unknown key in the environment names the variable in the chosen language.
    let out = support::command(dir.path())
        .args(["--lang", "da", "migrate"])
        .env("NIVEAU_WEB__LOGIN__MAX_FAILURE", "3")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.starts_with("fejl: miljøvariablen NIVEAU_WEB__LOGIN__MAX_FAILURE: web.login.max_failure: ukendt nøgle; kendte nøgler her: "),
        "{stderr}"
    );
}
