#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Repository issues for a round (#16) against a local forge: an axum server in the test
//! that implements the GitHub and Forgejo endpoints the sync uses and records every
//! request. No network: the policy allows exactly 127.0.0.1:<port>, over http, with
//! loopback enabled through the policy's test switch.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use niveau_app::App;
use niveau_app::forge::{self, ForgeConfig, ForgeKind, ForgeToken, Forges, SyncError};
use niveau_model::Registry;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_store::evaluations::NewSelfEvaluation;
use niveau_store::products::ProductInput;
use niveau_store::types::SubmissionFormat;
use niveau_store::{Actor, Store, StoreOptions};
use serde_json::{Value, json};

const TOKEN: &str = "ghp_forge-test-secret";

/// One request as the forge saw it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    path: String,
    authorization: Option<String>,
    body: Value,
}

#[derive(Default)]
struct Forge {
    requests: Vec<Recorded>,
    /// (owner/repo) → issues.
    issues: BTreeMap<String, Vec<Value>>,
    /// Answers to give before the real one: (status, headers).
    script: VecDeque<(u16, Vec<(&'static str, String)>)>,
}

type Shared = Arc<Mutex<Forge>>;

fn scripted(forge: &Shared) -> Option<Response> {
    let (status, headers) = forge.lock().unwrap().script.pop_front()?;
    let mut res = (
        StatusCode::from_u16(status).unwrap(),
        axum::Json(json!({"message": "scripted"})),
    )
        .into_response();
    for (k, v) in headers {
        res.headers_mut().insert(k, v.parse().unwrap());
    }
    Some(res)
}

fn record(forge: &Shared, method: Method, path: String, headers: &HeaderMap, body: &str) {
    forge.lock().unwrap().requests.push(Recorded {
        method: method.to_string(),
        path,
        authorization: headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned()),
        body: serde_json::from_str(body).unwrap_or(Value::Null),
    });
}

async fn list(
    State(forge): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    headers: HeaderMap,
) -> Response {
    record(&forge, Method::GET, uri.to_string(), &headers, "");
    if let Some(r) = scripted(&forge) {
        return r;
    }
    let issues = forge
        .lock()
        .unwrap()
        .issues
        .get(&format!("{owner}/{repo}"))
        .cloned()
        .unwrap_or_default();
    axum::Json(Value::Array(issues)).into_response()
}

async fn create(
    State(forge): State<Shared>,
    Path((owner, repo)): Path<(String, String)>,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    headers: HeaderMap,
    body: String,
) -> Response {
    record(&forge, Method::POST, uri.to_string(), &headers, &body);
    if let Some(r) = scripted(&forge) {
        return r;
    }
    let sent: Value = serde_json::from_str(&body).unwrap();
    let mut f = forge.lock().unwrap();
    let list = f.issues.entry(format!("{owner}/{repo}")).or_default();
    let number = list.len() as i64 + 1;
    let issue = json!({
        "number": number, "state": "open", "title": sent["title"], "body": sent["body"],
        "html_url": format!("http://forge/{owner}/{repo}/issues/{number}")});
    list.push(issue.clone());
    (StatusCode::CREATED, axum::Json(issue)).into_response()
}

async fn update(
    State(forge): State<Shared>,
    Path((owner, repo, number)): Path<(String, String, i64)>,
    axum::extract::OriginalUri(uri): axum::extract::OriginalUri,
    headers: HeaderMap,
    body: String,
) -> Response {
    record(&forge, Method::PATCH, uri.to_string(), &headers, &body);
    if let Some(r) = scripted(&forge) {
        return r;
    }
    let sent: Value = serde_json::from_str(&body).unwrap();
    let mut f = forge.lock().unwrap();
    let Some(issue) = f
        .issues
        .get_mut(&format!("{owner}/{repo}"))
        .and_then(|l| l.iter_mut().find(|i| i["number"] == number))
    else {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"message": "Not Found"})),
        )
            .into_response();
    };
    for key in ["title", "body", "state"] {
        if !sent[key].is_null() {
            issue[key] = sent[key].clone();
        }
    }
    axum::Json(issue.clone()).into_response()
}

/// A forge on 127.0.0.1 with the API at `prefix` ("" for GitHub, "/api/v1" for Forgejo).
async fn start_forge(prefix: &str) -> (Shared, String) {
    let forge: Shared = Arc::default();
    let api = Router::new()
        .route("/repos/{owner}/{repo}/issues", get(list).post(create))
        .route("/repos/{owner}/{repo}/issues/{number}", patch(update))
        .with_state(forge.clone());
    let app = if prefix.is_empty() {
        api
    } else {
        Router::new().nest(prefix, api)
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (forge, format!("127.0.0.1:{}", addr.port()))
}

fn forges(host: &str, kind: ForgeKind, prefix: &str) -> Forges {
    let mut policy = RemotePolicy::server(vec![host.to_owned()], true, false);
    policy.allow_loopback = true;
    let config = ForgeConfig {
        api: Some(format!("http://{host}{prefix}")),
        kind,
        token: Some(ForgeToken::new(TOKEN)),
        ..Default::default()
    };
    Forges {
        hosts: BTreeMap::from([(host.to_owned(), config)]),
        policy,
        public_url: Some("https://niveau.example".into()),
    }
}

struct Setup {
    app: App,
    store: Store,
    round: i32,
    products: Vec<i32>,
    _dir: tempfile::TempDir,
}

/// A round that opened on 1 December 2026 (and runs past today) with two products whose
/// main repositories are on the local forge.
async fn setup(host: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("forge.db").display().to_string();
    let store = Store::connect(&url, &StoreOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let clock_now = chrono::DateTime::parse_from_rfc3339("2026-12-05T10:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let store = store.with_clock(Arc::new(move || clock_now));
    let sek = Actor::system("test");
    let mut products = Vec::new();
    for slug in ["os2mo", "kitos"] {
        let p = store
            .create_product(
                &sek,
                serde_json::from_value::<ProductInput>(json!({
                    "slug": slug, "name": slug.to_uppercase(),
                    "repositories": [format!("http://{host}/os2/{slug}.git"), "https://example.org/other/repo"]}))
                .unwrap(),
            )
            .await
            .unwrap();
        products.push(p.id);
    }
    let round = store
        .create_round(
            &sek,
            serde_json::from_value(json!({
                "name": "Efterår 2026", "opens_on": "2026-12-01",
                "self_evaluation_deadline": "2026-12-20", "evaluation_deadline": "2027-01-15",
                "product_ids": products}))
            .unwrap(),
        )
        .await
        .unwrap()
        .round
        .id;
    store.set_forge_round(round, true).await.unwrap();
    let app = App::new(store.clone(), Arc::new(Registry::builtin().unwrap()));
    Setup {
        app,
        store,
        round,
        products,
        _dir: dir,
    }
}

async fn submit_self_evaluation(store: &Store, product_id: i32) {
    store
        .create_self_evaluation(
            &Actor::system("test"),
            NewSelfEvaluation {
                product_id,
                model_id: "os2-1.1.0".into(),
                model_version: "1.1.0".into(),
                format: SubmissionFormat::Json,
                source_text: None,
                document: json!({"kind": "self_evaluation", "self_evaluation":
                    {"product": "OS2mo", "answers": [], "date": "2026-12-04"}}),
                warnings: json!([]),
                indicated_level: None,
                based_on: None,
            },
        )
        .await
        .unwrap();
}

fn requests(forge: &Shared) -> Vec<Recorded> {
    forge.lock().unwrap().requests.clone()
}

#[tokio::test]
async fn github_first_run_opens_second_updates_and_a_self_evaluation_closes() {
    let (forge, host) = start_forge("").await;
    let s = setup(&host).await;
    let forges = forges(&host, ForgeKind::Github, "");

    let first = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!(
        (first.opened, first.updated, first.closed, first.failed),
        (2, 0, 0, 0)
    );
    let sent = requests(&forge);
    // Per product: a search by marker (no table row yet), then the new issue.
    let lines: Vec<String> = sent
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        lines,
        vec![
            "GET /repos/os2/os2mo/issues?state=all&per_page=100",
            "POST /repos/os2/os2mo/issues",
            "GET /repos/os2/kitos/issues?state=all&per_page=100",
            "POST /repos/os2/kitos/issues",
        ]
    );
    // The token is sent as Authorization, on every request.
    assert!(
        sent.iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}") as &str))
    );
    let body = sent[1].body["body"].as_str().unwrap();
    assert_eq!(
        sent[1].body["title"],
        "Opdatér selvevalueringen til Efterår 2026 / Update the self-evaluation for Efterår 2026"
    );
    assert!(body.contains("senest **20.12.2026**"), "{body}");
    assert!(
        body.contains("https://niveau.example/produkter/os2mo/selvevaluering"),
        "{body}"
    );
    assert!(
        body.contains(&forge::marker(s.round, s.products[0])),
        "{body}"
    );
    // Only the main repository (the first) gets an issue.
    assert!(sent.iter().all(|r| !r.path.contains("other")));
    let rows = s.store.forge_issues(s.round).await.unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|r| r.state == "open" && r.number == Some(1) && r.last_error.is_none())
    );

    // Second run: the numbers are known, the issues are updated, not opened again.
    let second = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!((second.opened, second.updated), (0, 2));
    let sent = requests(&forge);
    let tail: Vec<String> = sent[4..]
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        tail,
        vec![
            "PATCH /repos/os2/os2mo/issues/1",
            "PATCH /repos/os2/kitos/issues/1"
        ]
    );
    assert_eq!(sent[4].body["state"], "open");
    assert_eq!(forge.lock().unwrap().issues["os2/os2mo"].len(), 1);

    // OS2mo's self-evaluation is in: its issue is closed; KITOS's stays open.
    submit_self_evaluation(&s.store, s.products[0]).await;
    let third = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!((third.closed, third.updated), (1, 1));
    let sent = requests(&forge);
    assert_eq!(sent[6].method, "PATCH");
    assert_eq!(sent[6].path, "/repos/os2/os2mo/issues/1");
    assert_eq!(sent[6].body, json!({"state": "closed"}));
    assert_eq!(
        forge.lock().unwrap().issues["os2/os2mo"][0]["state"],
        "closed"
    );
    let rows = s.store.forge_issues(s.round).await.unwrap();
    assert_eq!(rows[0].state, "closed");
    assert_eq!(rows[1].state, "open");
    // A closed issue is left alone afterwards.
    let fourth = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!((fourth.closed, fourth.updated), (0, 1));
}

#[tokio::test]
async fn a_lost_table_row_finds_the_issue_again_by_its_marker() {
    let (forge, host) = start_forge("").await;
    let s = setup(&host).await;
    let forges = forges(&host, ForgeKind::Github, "");
    forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    // A database restored from before the first run: the rows are gone.
    let other = setup(&host).await;
    assert_eq!(other.round, s.round);
    let again = forge::sync_round(&other.app, &forges, other.round)
        .await
        .unwrap();
    assert_eq!((again.opened, again.updated), (0, 2));
    assert_eq!(forge.lock().unwrap().issues["os2/os2mo"].len(), 1);
}

#[tokio::test]
async fn a_rate_limit_stops_the_run_and_the_retry_loses_nothing() {
    let (forge, host) = start_forge("").await;
    let s = setup(&host).await;
    let forges = forges(&host, ForgeKind::Github, "");
    forge
        .lock()
        .unwrap()
        .script
        .push_back((429, vec![("retry-after", "17".into())]));
    let err = forge::sync_round(&s.app, &forges, s.round)
        .await
        .unwrap_err();
    match err {
        SyncError::Retry { after, .. } => assert_eq!(after, Duration::from_secs(17)),
        other => panic!("{other}"),
    }
    let rows = s.store.forge_issues(s.round).await.unwrap();
    assert_eq!(rows[0].last_status, Some(429));
    // GitHub's secondary limit: 403 with X-RateLimit-Remaining 0 is a rate limit too.
    forge.lock().unwrap().script.push_back((
        403,
        vec![
            ("x-ratelimit-remaining", "0".into()),
            (
                "x-ratelimit-reset",
                (chrono::Utc::now().timestamp() + 30).to_string(),
            ),
        ],
    ));
    let err = forge::sync_round(&s.app, &forges, s.round)
        .await
        .unwrap_err();
    assert!(
        matches!(err, SyncError::Retry { after, .. } if after.as_secs() >= 25 && after.as_secs() <= 31)
    );
    // Then the forge answers: both issues are opened, once.
    let ok = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!(ok.opened, 2);
    let rows = s.store.forge_issues(s.round).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.state == "open" && r.last_status.is_none())
    );
    assert_eq!(
        forge
            .lock()
            .unwrap()
            .issues
            .values()
            .map(Vec::len)
            .sum::<usize>(),
        2
    );
}

#[tokio::test]
async fn a_server_error_is_retried_and_a_refusal_is_the_products_alone() {
    let (forge, host) = start_forge("").await;
    let s = setup(&host).await;
    let forges = forges(&host, ForgeKind::Github, "");
    // 500 on the first request: the run stops, to be retried.
    forge.lock().unwrap().script.push_back((500, vec![]));
    let err = forge::sync_round(&s.app, &forges, s.round)
        .await
        .unwrap_err();
    assert!(matches!(err, SyncError::Retry { after, .. } if after == Duration::from_secs(60)));
    // 404 for OS2mo's repository (gone, or the token may not see it): recorded on its row,
    // and KITOS still gets its issue.
    forge.lock().unwrap().script.push_back((404, vec![]));
    let run = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!((run.opened, run.failed), (1, 1));
    let rows = s.store.forge_issues(s.round).await.unwrap();
    let os2mo = rows.iter().find(|r| r.product_id == s.products[0]).unwrap();
    assert_eq!(os2mo.state, "failed");
    assert_eq!(os2mo.last_status, Some(404));
    assert!(os2mo.last_error.as_deref().unwrap().contains("404"));
    assert!(!os2mo.last_error.as_deref().unwrap().contains(TOKEN));
    let kitos = rows.iter().find(|r| r.product_id == s.products[1]).unwrap();
    assert_eq!(kitos.state, "open");
    // Next run: OS2mo's issue is opened after all.
    let run = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!((run.opened, run.updated, run.failed), (1, 1, 0));
}

#[tokio::test]
async fn forgejo_flavoured_run_uses_api_v1_and_token_authorization() {
    let (forge, host) = start_forge("/api/v1").await;
    let s = setup(&host).await;
    let forges = forges(&host, ForgeKind::Forgejo, "/api/v1");
    let run = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!(run.opened, 2);
    submit_self_evaluation(&s.store, s.products[1]).await;
    let run = forge::sync_round(&s.app, &forges, s.round).await.unwrap();
    assert_eq!((run.updated, run.closed), (1, 1));
    let sent = requests(&forge);
    let lines: Vec<String> = sent
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        lines,
        vec![
            "GET /api/v1/repos/os2/os2mo/issues?state=all&type=issues&limit=50",
            "POST /api/v1/repos/os2/os2mo/issues",
            "GET /api/v1/repos/os2/kitos/issues?state=all&type=issues&limit=50",
            "POST /api/v1/repos/os2/kitos/issues",
            "PATCH /api/v1/repos/os2/os2mo/issues/1",
            "PATCH /api/v1/repos/os2/kitos/issues/1",
        ]
    );
    assert!(
        sent.iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("token {TOKEN}") as &str))
    );
    assert_eq!(
        forge.lock().unwrap().issues["os2/kitos"][0]["state"],
        "closed"
    );
}

#[tokio::test]
async fn nothing_is_sent_without_the_option_or_to_a_host_the_policy_refuses() {
    let (forge, host) = start_forge("").await;
    let s = setup(&host).await;
    s.store.set_forge_round(s.round, false).await.unwrap();
    let run = forge::sync_round(&s.app, &forges(&host, ForgeKind::Github, ""), s.round)
        .await
        .unwrap();
    assert_eq!(run, forge::SyncReport::default());
    s.store.set_forge_round(s.round, true).await.unwrap();
    // The production policy: loopback is never allowed.
    let mut refused = forges(&host, ForgeKind::Github, "");
    refused.policy.allow_loopback = false;
    let run = forge::sync_round(&s.app, &refused, s.round).await.unwrap();
    assert_eq!(run.failed, 2);
    assert!(requests(&forge).is_empty());
    let rows = s.store.forge_issues(s.round).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.state == "failed" && r.last_error.is_some())
    );
}
