#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The background worker against a real git repository. The repository is made with
//! `TestRepo` and served on 127.0.0.1 by `git http-backend` (git's own smart-HTTP
//! server, run as CGI), because the store only accepts http(s)/ssh repository locations
//! and the worker refuses local paths. Loopback addresses are refused by the worker's
//! policy, so the tests that clone from 127.0.0.1 turn on the test-only switch
//! `allow_loopback_for_tests` and name the server's host and port in `allowed_hosts`
//! ([`local_config`]). Nothing leaves the machine.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use common::TestApp;
use niveau_testkit::repo::TestRepo;
use niveau_web::worker::{run_once, run_worker};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;

/// Runs `git http-backend` for one request, with `root` as the project root.
async fn cgi(root: PathBuf, home: PathBuf, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 64 * 1024 * 1024).await.unwrap();
    let header = |h: &HeaderMap, name: &str| {
        h.get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let mut cmd = tokio::process::Command::new("git");
    cmd.arg("http-backend")
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_PROJECT_ROOT", &root)
        .env("GIT_HTTP_EXPORT_ALL", "1")
        .env("REQUEST_METHOD", parts.method.as_str())
        .env("PATH_INFO", parts.uri.path())
        .env("QUERY_STRING", parts.uri.query().unwrap_or_default())
        .env("CONTENT_TYPE", header(&parts.headers, "content-type"))
        .env("CONTENT_LENGTH", body.len().to_string())
        .env("REMOTE_ADDR", "127.0.0.1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let protocol = header(&parts.headers, "git-protocol");
    if !protocol.is_empty() {
        cmd.env("GIT_PROTOCOL", protocol);
    }
    let encoding = header(&parts.headers, "content-encoding");
    if !encoding.is_empty() {
        cmd.env("HTTP_CONTENT_ENCODING", encoding);
    }
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&body).await.unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    // CGI output: header lines, a blank line, the body.
    let split = out
        .stdout
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4))
        .or_else(|| {
            out.stdout
                .windows(2)
                .position(|w| w == b"\n\n")
                .map(|i| (i, 2))
        })
        .unwrap_or_else(|| panic!("no CGI headers: {}", String::from_utf8_lossy(&out.stderr)));
    let head = String::from_utf8_lossy(&out.stdout[..split.0]).into_owned();
    let mut res = Response::builder().status(StatusCode::OK);
    for line in head.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        if name.eq_ignore_ascii_case("status") {
            let code: u16 = value.trim()[..3].parse().unwrap();
            res = res.status(code);
        } else {
            res = res.header(name.trim(), value.trim());
        }
    }
    res.body(Body::from(out.stdout[split.0 + split.1..].to_vec()))
        .unwrap()
}

/// Serves the git repositories below `root` over smart HTTP on a free local port;
/// returns the base URL.
async fn serve_git(root: &Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let root = root.to_owned();
    // HOME for git: an empty folder that lives as long as the server.
    let home = std::sync::Arc::new(tempfile::tempdir().unwrap());
    let app =
        Router::new().fallback(move |req: Request| cgi(root.clone(), home.path().to_owned(), req));
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    format!("http://{addr}")
}

/// The worker configuration that lets it clone from the local server at `base`
/// (`http://127.0.0.1:PORT`): http on, that host and port allowed, loopback allowed by
/// the test-only switch.
fn local_config(base: &str) -> niveau_web::WebConfig {
    let mut config = niveau_web::WebConfig::default();
    let host = base.trim_start_matches("http://").to_owned();
    config.worker.allowed_hosts = vec![host];
    config.worker.allow_http = true;
    config.worker.allow_loopback_for_tests = true;
    config
}

/// A small product repository: README, licence file and Dockerfile.
fn product_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "README.md",
        "# Demo\n\nDemo er et værktøj til kommunerne.\n",
    )
    .write(
        "LICENSE",
        "Mozilla Public License Version 2.0\n==================================\n",
    )
    .write("Dockerfile", "FROM scratch\n");
    repo.commit("Første version", "2026-01-31T12:00:00Z");
    repo.bare_clone()
}

async fn product_with_repository(app: &TestApp, url: &str) -> i32 {
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "demo", "name": "Demo", "short_description": "Demo", "repositories": [url]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.body["id"].as_i64().unwrap() as i32
}

fn requirement<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == id)
        .unwrap_or_else(|| panic!("no {id} in {report}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_requested_scan_is_run_and_feeds_the_draft() {
    let bare = product_repo();
    let root = bare.path().parent().unwrap().to_owned();
    let name = bare
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let base = serve_git(&root).await;
    let url = format!("{base}/{name}");

    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = local_config(&base);
    config.worker.cache_dir = Some(cache.path().to_owned());
    let app = TestApp::with_config(&dir.path().join("t.db").display().to_string(), config).await;
    let product = product_with_repository(&app, &url).await;

    // Nothing to do yet.
    assert!(!run_once(&app.state, "test-worker").await.unwrap());

    let requested = app
        .post(
            "/api/v1/products/demo/scans",
            Some("sekretariat"),
            json!({}),
        )
        .await;
    assert_eq!(
        requested.status,
        StatusCode::ACCEPTED,
        "{:?}",
        requested.body
    );
    assert_eq!(requested.body["status"], "queued");
    let run_id = requested.body["id"].as_i64().unwrap();

    assert!(run_once(&app.state, "test-worker").await.unwrap());
    let run = app
        .get(&format!("/api/v1/scans/{run_id}"), Some("læser"))
        .await;
    assert_eq!(run.status, StatusCode::OK);
    assert_eq!(run.body["status"], "done", "{:?}", run.body);
    assert_eq!(run.body["product_id"], product);
    assert!(run.body["error"].is_null());
    let reports = run.body["result"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    let report = &reports[0];
    assert_eq!(report["schema"], "niveau.check/1");
    assert_eq!(report["target"], url.as_str());
    assert_eq!(report["model"]["id"], "os2-1.1.0");
    assert_eq!(report["head"]["commit"], bare.head().as_str());
    let f19 = requirement(report, "F19");
    assert_eq!(
        (f19["rating"].as_str(), f19["confidence"].as_i64()),
        (Some("green"), Some(4))
    );
    assert_eq!(f19["evidence"][0]["path"], "Dockerfile");
    let f2 = requirement(report, "F2");
    assert_eq!(f2["rating"], "yellow");
    // The job is done, and the clone is gone from the cache.
    assert!(!run_once(&app.state, "test-worker").await.unwrap());
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
    let listed = app
        .get(
            &format!("/api/v1/scans?product_id={product}"),
            Some("læser"),
        )
        .await;
    assert_eq!(listed.body["total"], 1);

    // The draft takes the scan's findings as proposals.
    let draft = app
        .post(
            "/api/v1/products/demo/evaluations",
            Some("sekretariat"),
            json!({"model_id": "os2-1.1.0"}),
        )
        .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{:?}", draft.body);
    let proposals = draft.body["current"]["proposals"].as_array().unwrap();
    let f19 = proposals
        .iter()
        .find(|p| p["requirement"] == "F19")
        .unwrap();
    assert_eq!(f19["source"], "scan");
    assert_eq!(
        (f19["rating"].as_str(), f19["confidence"].as_i64()),
        (Some("green"), Some(4))
    );
    assert_eq!(f19["evidence"][0]["path"], "Dockerfile");
    assert!(
        f19["detail"]
            .as_str()
            .unwrap()
            .starts_with(&format!("scanning {run_id} af {url}")),
        "{f19}"
    );
    assert!(proposals.iter().all(|p| p["source"] == "scan"));
    // Requirements the scan cannot see stay unrated.
    let ratings = draft.body["current"]["ratings"].as_array().unwrap();
    let r1 = ratings.iter().find(|r| r["requirement"] == "R1").unwrap();
    assert!(r1["rating"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scans_need_repositories_and_bad_locations_fail() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_config(
        &dir.path().join("t.db").display().to_string(),
        local_config(&format!("http://127.0.0.1:{port}")),
    )
    .await;
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "tom", "name": "Tom", "short_description": "x"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let none = app
        .post("/api/v1/products/tom/scans", Some("sekretariat"), json!({}))
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(none.body["error"]["field"], "repositories");
    // Readers may not ask for scans.
    let denied = app
        .post("/api/v1/products/tom/scans", Some("læser"), json!({}))
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // A repository nobody serves: the job fails and goes back to the queue with the
    // reason; so does the scan run (queued, with the reason), until the job's last
    // attempt marks it failed or a later attempt succeeds.
    product_with_repository(&app, &format!("http://127.0.0.1:{port}/gone.git")).await;
    let requested = app
        .post(
            "/api/v1/products/demo/scans",
            Some("sekretariat"),
            json!({}),
        )
        .await;
    let run_id = requested.body["id"].as_i64().unwrap() as i32;
    assert!(run_once(&app.state, "w").await.unwrap());
    let run = app.store().scan_run(run_id).await.unwrap();
    assert_eq!(run.status.as_str(), "queued");
    assert!(
        run.error
            .as_deref()
            .unwrap_or_default()
            .contains("gone.git")
    );
    let jobs = app.store().job(1).await.unwrap();
    assert_eq!(jobs.status.as_str(), "queued");
    assert!(jobs.last_error.unwrap().contains("gone.git"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_loop_runs_jobs_and_stops_on_shutdown() {
    let bare = product_repo();
    let root = bare.path().parent().unwrap().to_owned();
    let name = bare
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let base = serve_git(&root).await;
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_config(
        &dir.path().join("t.db").display().to_string(),
        local_config(&base),
    )
    .await;
    product_with_repository(&app, &format!("{base}/{name}")).await;
    let requested = app
        .post(
            "/api/v1/products/demo/scans",
            Some("sekretariat"),
            json!({}),
        )
        .await;
    let run_id = requested.body["id"].as_i64().unwrap() as i32;

    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let worker = tokio::spawn(run_worker(app.state.clone(), "loop".into(), shutdown));
    // Wait for the scan (no time is asserted; the bound only keeps a broken worker from
    // hanging the test run).
    let mut done = false;
    for _ in 0..600 {
        let run = app.store().scan_run(run_id).await.unwrap();
        if run.status.as_str() == "done" {
            done = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(done, "the worker did not finish the scan");
    stop.send(true).unwrap();
    tokio::time::timeout(Duration::from_secs(60), worker)
        .await
        .expect("the worker did not stop")
        .unwrap();
}

/// A product stored without the API's location check (as one saved before the policy,
/// or under a more permissive configuration), with a scan queued for it.
async fn stored_product_with_scan(app: &TestApp, repositories: &[String]) -> (i32, i32) {
    let actor = niveau_store::Actor::system("test");
    let input: niveau_store::products::ProductInput = serde_json::from_value(
        json!({"slug": "gammel", "name": "Gammel", "repositories": repositories}),
    )
    .unwrap();
    let product = app.store().create_product(&actor, input).await.unwrap();
    let run = app.store().request_scan(&actor, product.id).await.unwrap();
    (product.id, run.id)
}

/// A listener on 127.0.0.1 that counts the connections it is offered.
fn recording_listener() -> (std::net::TcpListener, u16) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.set_nonblocking(true).unwrap();
    let port = l.local_addr().unwrap().port();
    (l, port)
}

fn connections(l: &std::net::TcpListener) -> usize {
    let mut n = 0;
    while l.accept().is_ok() {
        n += 1;
    }
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_8_refused_url_fails_job_without_retry() {
    let (listener, port) = recording_listener();
    // The default policy, with the listener's host and http allowed: only the address
    // rule stands between the worker and the listener.
    let mut config = niveau_web::WebConfig::default();
    config.worker.allowed_hosts = vec![format!("127.0.0.1:{port}"), "169.254.169.254".into()];
    config.worker.allow_http = true;
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_config(&dir.path().join("t.db").display().to_string(), config).await;
    let (_, run_id) = stored_product_with_scan(
        &app,
        &[
            format!("http://127.0.0.1:{port}/intern.git"),
            "http://169.254.169.254/latest/meta-data".into(),
        ],
    )
    .await;
    assert!(run_once(&app.state, "w").await.unwrap());
    let run = app.store().scan_run(run_id).await.unwrap();
    assert_eq!(run.status.as_str(), "failed", "{:?}", run.error);
    let error = run.error.unwrap();
    assert!(
        error.contains(&format!(
            "http://127.0.0.1:{port}/intern.git: hentes ikke: værten 127.0.0.1 peger på 127.0.0.1, en loopback-adresse (maskinen selv); serveren henter ikke derfra"
        )),
        "{error}"
    );
    assert!(
        error.contains("169.254.169.254, en link-local-adresse"),
        "{error}"
    );
    let job = app.store().job(1).await.unwrap();
    assert_eq!(job.status.as_str(), "failed");
    assert_eq!(job.attempts, 1);
    assert!(job.last_error.unwrap().contains("loopback"));
    // Nothing is left to retry, and nothing was sent.
    assert!(!run_once(&app.state, "w").await.unwrap());
    assert_eq!(connections(&listener), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finding_8_product_repository_url_is_validated() {
    let app = TestApp::new().await;
    for (i, url, reason) in [
        (
            0,
            "http://127.0.0.1:8080/x.git",
            "adresser med 'http' hentes ikke",
        ),
        (0, "https://169.254.169.254/latest", "link-local-adresse"),
        (0, "https://10.0.0.7/x.git", "privat netværksadresse"),
        (
            0,
            "https://git.intern.example/x.git",
            "værten git.intern.example er ikke blandt de tilladte",
        ),
        (
            0,
            "https://user:pw@github.com/x.git",
            "brugernavn eller adgangskode",
        ),
        (
            0,
            "git@github.com:OS2mo/os2mo.git",
            "adresser med 'ssh' hentes ikke",
        ),
        (0, "https://github.com:8443/x.git", "værten github.com:8443"),
    ] {
        let answer = app
            .post(
                "/api/v1/products",
                Some("sekretariat"),
                json!({"slug": "x", "name": "X", "repositories": [url]}),
            )
            .await;
        assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert_eq!(
            answer.body["error"]["field"],
            format!("repositories[{i}]"),
            "{url}"
        );
        let message = answer.body["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(url) && message.contains(reason),
            "{url}: {message}"
        );
    }
    // The second of two, on update too.
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "ok", "name": "OK", "repositories": ["https://github.com/OS2mo/os2mo"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let updated = app
        .put(
            "/api/v1/products/ok",
            Some("sekretariat"),
            json!({"slug": "ok", "name": "OK", "version": 1,
                   "repositories": ["https://github.com/OS2mo/os2mo", "http://[::1]/x"]}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(updated.body["error"]["field"], "repositories[1]");
    // A product stored with a refused location cannot have a scan queued.
    let (_, _) = stored_product_with_scan(&app, &["https://169.254.169.254/x".into()]).await;
    let queued = app
        .post(
            "/api/v1/products/gammel/scans",
            Some("sekretariat"),
            json!({}),
        )
        .await;
    assert_eq!(queued.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(queued.body["error"]["field"], "repositories[0]");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lesser_clone_size_is_capped() {
    // A repository with 2 MB that does not compress, against a limit of 256 KiB.
    let repo = TestRepo::new();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let noise: Vec<u8> = (0..2 * 1024 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    repo.write("README.md", "# Stor\n")
        .write("data.bin", &noise);
    repo.commit("Stor", "2026-01-31T12:00:00Z");
    let bare = repo.bare_clone();
    let root = bare.path().parent().unwrap().to_owned();
    let name = bare
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let base = serve_git(&root).await;

    let cache = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = local_config(&base);
    config.worker.cache_dir = Some(cache.path().to_owned());
    config.worker.max_clone_bytes = 256 * 1024;
    let app = TestApp::with_config(&dir.path().join("t.db").display().to_string(), config).await;
    product_with_repository(&app, &format!("{base}/{name}")).await;
    let requested = app
        .post(
            "/api/v1/products/demo/scans",
            Some("sekretariat"),
            json!({}),
        )
        .await;
    let run_id = requested.body["id"].as_i64().unwrap() as i32;
    assert!(run_once(&app.state, "w").await.unwrap());
    let run = app.store().scan_run(run_id).await.unwrap();
    assert_eq!(run.status.as_str(), "failed", "{:?}", run.error);
    let error = run.error.unwrap();
    assert!(
        error.contains("repositoriet er større end grænsen på 256 kB (web.worker.max_clone_bytes); kopien er slettet"),
        "{error}"
    );
    // Too large stays too large: no retry, and the partial clone is gone.
    assert_eq!(app.store().job(1).await.unwrap().status.as_str(), "failed");
    assert_eq!(std::fs::read_dir(cache.path()).unwrap().count(), 0);
}

/// Queues a scan of the product `demo` and lets the worker run it; returns the scan
/// run's stored result for the one repository.
async fn scan_demo(app: &TestApp) -> Value {
    let requested = app
        .post(
            "/api/v1/products/demo/scans",
            Some("sekretariat"),
            json!({}),
        )
        .await;
    assert_eq!(
        requested.status,
        StatusCode::ACCEPTED,
        "{:?}",
        requested.body
    );
    let run_id = requested.body["id"].as_i64().unwrap() as i32;
    assert!(run_once(&app.state, "test-worker").await.unwrap());
    let run = app.store().scan_run(run_id).await.unwrap();
    assert_eq!(run.status.as_str(), "done", "{:?}", run.error);
    let result = run.result.unwrap();
    assert_eq!(result.as_array().unwrap().len(), 1);
    result[0].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unchanged_repository_reuses_the_previous_scan_and_a_new_commit_is_scanned() {
    let work = TestRepo::new();
    work.write(
        "README.md",
        "# Demo\n\nDemo er et værktøj til kommunerne.\n",
    )
    .write(
        "LICENSE",
        "Mozilla Public License Version 2.0\n==================================\n",
    );
    work.commit("Første version", "2026-01-31T12:00:00Z");
    let bare = work.bare_clone();
    let root = bare.path().parent().unwrap().to_owned();
    let name = bare
        .path()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let base = serve_git(&root).await;
    let url = format!("{base}/{name}");
    let dir = tempfile::tempdir().unwrap();
    let app = TestApp::with_config(
        &dir.path().join("t.db").display().to_string(),
        local_config(&base),
    )
    .await;
    let product = product_with_repository(&app, &url).await;

    let first = scan_demo(&app).await;
    assert_eq!(first["head"]["commit"], bare.head().as_str());
    assert_eq!(first["scanner"], niveau_scan::SCANNER_VERSION);
    assert!(
        first["head"]["refs"]
            .as_str()
            .is_some_and(|d| d.len() == 64)
    );
    assert!(first["stats"].get("cached").is_none());
    assert_eq!(requirement(&first, "F19")["rating"], "red");

    // Nothing new: the previous result, marked, otherwise equal.
    let second = scan_demo(&app).await;
    assert_eq!(second["stats"]["cached"], true);
    let mut unmarked = second.clone();
    unmarked["stats"].as_object_mut().unwrap().remove("cached");
    assert_eq!(unmarked, first);

    // A new commit on the served repository: scanned again, with the new head.
    work.write("Dockerfile", "FROM scratch\n");
    let head = work.commit("Container", "2026-02-01T12:00:00Z");
    work.run(["push", "-q", bare.path().to_str().unwrap(), "main:main"]);
    assert_eq!(bare.head(), head);
    let third = scan_demo(&app).await;
    assert!(third["stats"].get("cached").is_none());
    assert_eq!(third["head"]["commit"], head.as_str());
    assert_eq!(requirement(&third, "F19")["rating"], "green");
    assert_ne!(third["head"]["refs"], first["head"]["refs"]);

    // The previous result stored by another scanner version (or before scanner versions
    // were recorded): scanned again, not reused.
    let run = app.store().latest_scan(product).await.unwrap().unwrap();
    let mut result = run.result.clone().unwrap();
    result[0]["scanner"] = json!("0.0.1+000000000000");
    app.store().finish_scan(run.id, Ok(result)).await.unwrap();
    let fourth = scan_demo(&app).await;
    assert!(fourth["stats"].get("cached").is_none());
    assert_eq!(fourth["scanner"], niveau_scan::SCANNER_VERSION);
    assert_eq!(fourth["requirements"], third["requirements"]);
    // And the next one reuses that.
    assert_eq!(scan_demo(&app).await["stats"]["cached"], true);
}
