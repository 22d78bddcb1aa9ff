#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Wishes in and out as CSV over HTTP: a real Jira export imported all or nothing (an
//! unknown municipality refuses the whole file, naming its line; after the municipality
//! is created every row is imported; the same file again is refused as imported before),
//! the export read back, and hostile text neutralised.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::common::TestApp;

const JIRA: &str = include_str!("../../../niveau-report/tests/fixtures/backlog/jira-os2mo.csv");

async fn import(app: &TestApp, who: &str, body: &str) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/products/os2mo/wishes/import?source=jira-os2mo.csv")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.tokens[who]))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(body.to_owned()))
        .unwrap();
    let a = app.send(req).await;
    (a.status, a.body)
}

async fn count(app: &TestApp) -> usize {
    app.store().wish_portfolio(None).await.unwrap().wishes.len()
}

async fn organisation(app: &TestApp, name: &str) {
    let created = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": name, "kind": "kommune"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
}

#[tokio::test]
async fn a_jira_backlog_is_imported_all_or_nothing_and_exported_again() {
    let app = TestApp::new().await;
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "published": true}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let before = count(&app).await;
    assert_eq!(before, 0);

    // Two of the three municipalities exist: the file is refused as a whole, and the
    // refusal names the unknown one's line and column.
    organisation(&app, "Aarhus Kommune").await;
    organisation(&app, "Københavns Kommune").await;
    let (status, body) = import(&app, "sekretariat", JIRA).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["outcome"], "refused");
    let rows = body["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r["column"] == "organisation"), "{body}");
    assert!(
        rows[0]["message"]["da"]
            .as_str()
            .unwrap()
            .contains("'Vejle Kommune' findes ikke"),
        "{body}"
    );
    assert!(rows[0]["line"].as_u64().unwrap() > 1);
    assert_eq!(count(&app).await, 0, "nothing half-imported");

    organisation(&app, "Vejle Kommune").await;
    let (status, body) = import(&app, "sekretariat", JIRA).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let wishes = body["wishes"].as_array().unwrap();
    assert_eq!(wishes.len(), 5);
    assert_eq!(
        wishes[0]["title"],
        "Fravær skal kunne registreres med halve dage"
    );
    assert_eq!(wishes[0]["external_key"], "OS2MO-412");
    assert_eq!(wishes[0]["state"], "ny");
    // Raised when Jira says, not today.
    assert!(
        wishes[0]["created_at"]
            .as_str()
            .unwrap()
            .starts_with("2024-03-05")
    );
    assert_eq!(count(&app).await, 5);
    let id = wishes[0]["id"].as_i64().unwrap() as i32;
    let stored = app.store().wish(id).await.unwrap();
    assert_eq!(
        stored.transitions[0].reason.as_deref(),
        Some("importeret fra jira-os2mo.csv")
    );

    // The same file again: refused, nothing doubled.
    let (status, body) = import(&app, "sekretariat", JIRA).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["file"]["da"]
            .as_str()
            .unwrap()
            .contains("OS2MO-412 er allerede importeret"),
        "{body}"
    );
    assert_eq!(count(&app).await, 5);

    // Not a backlog at all: the file is named, nothing stored.
    let (status, body) = import(&app, "sekretariat", "foo;bar\n1;2\n").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["file"]["en"].as_str().unwrap().contains("title"),
        "{body}"
    );

    // The export reads back with a CSV reader; a hostile title is neutralised.
    let product = app.store().product_by_slug("os2mo").await.unwrap();
    app.store()
        .raise_wish(
            &niveau_store::Actor::user(1, "Læser"),
            product.id,
            &serde_json::from_value(json!({
                "title": "=HYPERLINK(\"http://x\";\"klik\")",
                "need": "Behov; med \"citat\"\nog linjeskift"
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let csv = app.get("/api/v1/wishes.csv", Some("sekretariat")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = csv.body.as_str().unwrap().to_owned();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["produkt", "id", "titel", "status"]);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 6);
    assert!(
        records
            .iter()
            .any(|r| &r[2] == "'=HYPERLINK(\"http://x\";\"klik\")"),
        "{text}"
    );
    assert!(
        records
            .iter()
            .any(|r| &r[2] == "Fravær skal kunne registreres med halve dage")
    );
    // The public's export holds the published product's wishes without requesters.
    let public = app.get("/api/v1/wishes.csv", None).await;
    assert_eq!(public.status, StatusCode::OK);
    let text = public.body.as_str().unwrap().to_owned();
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let col = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "rejst_af")
        .unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 6);
    assert!(records.iter().all(|r| r[col].is_empty()), "{text}");
}
