#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A round's repository issues in the web application (#16): the secretariat turns them on
//! from the round page, the API shows them, the worker runs the queued job (here with no
//! forge configured for the host: every product is recorded as failed, the job is done),
//! and the round page shows each product's error, escaped. The forge protocol itself is
//! tested against a local forge in niveau-app's tests (tests/it/forge_issues.rs).

use crate::common::{self, TestApp};

use axum::http::StatusCode;
use niveau_store::Actor;
use niveau_store::forge::IssueRecord;
use niveau_web::worker::run_once;
use serde_json::json;

async fn round_with_product(app: &TestApp) -> (i32, i32) {
    let sys = Actor::system("fixture");
    let product = app
        .store()
        .create_product(
            &sys,
            serde_json::from_value(json!({"slug": "os2mo", "name": "OS2mo",
                "repositories": ["https://github.com/OS2mo/os2mo"]}))
            .unwrap(),
        )
        .await
        .unwrap();
    let today = app.store().now().date_naive();
    let round = app
        .store()
        .create_round(
            &sys,
            serde_json::from_value(json!({
                "name": "Runden", "opens_on": today - chrono::Duration::days(1),
                "self_evaluation_deadline": today + chrono::Duration::days(20),
                "evaluation_deadline": today + chrono::Duration::days(40),
                "product_ids": [product.id]}))
            .unwrap(),
        )
        .await
        .unwrap();
    (round.round.id, product.id)
}

#[tokio::test]
async fn the_secretariat_turns_issues_on_and_the_worker_records_each_product() {
    let app = TestApp::new().await;
    let (round, product) = round_with_product(&app).await;
    let password = "en-lang-adgangskode-til-runden";
    app.add_password_user("sek", "Sekretariatet", password)
        .await;
    let session = app.session("sek", password).await;
    let page = session.get(&format!("/runder/{round}")).await;
    let html = common::html(&page);
    assert!(html.contains("Runden åbner ikke issues i produkternes repositorier."));
    assert!(html.contains(&format!("action=\"/runder/{round}/issues\"")));

    let posted = session
        .post(
            &format!("/runder/{round}/issues"),
            &[("enabled", "ja")],
            true,
        )
        .await;
    assert_eq!(
        common::location(&posted),
        format!("/runder/{round}?besked=issues-til#issues")
    );
    let status = app
        .get(
            &format!("/api/v1/rounds/{round}/forge-issues"),
            Some("læser"),
        )
        .await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(status.body["enabled"], true);

    // The queued job runs: github.com has no forge configured, so the product is recorded
    // as failed with that reason, and the job is done (not retried).
    assert!(run_once(&app.state, "w").await.unwrap());
    let status = app
        .get(
            &format!("/api/v1/rounds/{round}/forge-issues"),
            Some("læser"),
        )
        .await;
    let issues = status.body["issues"].as_array().unwrap();
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0]["product_id"], product);
    assert_eq!(issues[0]["state"], "failed");
    assert_eq!(
        issues[0]["last_error"],
        "no forge configured for github.com"
    );
    assert!(!run_once(&app.state, "w").await.unwrap(), "nothing retried");

    // The API's run-now queues another run.
    let queued = app
        .post(
            &format!("/api/v1/rounds/{round}/forge-issues/run"),
            Some("sekretariat"),
            json!(null),
        )
        .await;
    assert_eq!(queued.status, StatusCode::ACCEPTED);
    assert_eq!(queued.body["kind"], "forge_issues");

    // A refusal from the forge, with hostile text, is shown escaped on the round page.
    app.store()
        .record_forge_issue(IssueRecord {
            round_id: round,
            product_id: product,
            repository: "https://github.com/OS2mo/os2mo".into(),
            number: None,
            url: None,
            state: "failed".into(),
            last_status: Some(404),
            last_error: Some("forge refused the request (404): <script>x</script>".into()),
        })
        .await
        .unwrap();
    let page = session.get(&format!("/runder/{round}")).await;
    let html = common::html(&page);
    assert!(
        html.contains("forge refused the request (404): &#60;script&#62;x&#60;")
            || html.contains("forge refused the request (404): &lt;script&gt;x&lt;"),
        "{html}"
    );
    assert!(!html.contains("<script>x"));
    assert!(html.contains("<td>fejlet</td>"));
    assert!(html.contains("Slå issues fra"));

    let off = session
        .post(
            &format!("/runder/{round}/issues"),
            &[("enabled", "nej")],
            true,
        )
        .await;
    assert_eq!(
        common::location(&off),
        format!("/runder/{round}?besked=issues-fra#issues")
    );
}

#[test]
fn forge_tokens_are_redacted_in_the_configuration() {
    let mut config = niveau_web::WebConfig::default();
    config.forges.insert(
        "github.com".into(),
        niveau_app::forge::ForgeConfig {
            token: Some(niveau_app::forge::ForgeToken::new("ghp_secret-in-config")),
            ..Default::default()
        },
    );
    let shown = format!("{config:?} {:?}", config.forges());
    assert!(!shown.contains("secret-in-config"), "{shown}");
    assert!(shown.contains("[redacted]"));
    // The API host is the only one the policy allows.
    assert_eq!(
        config.forges().policy.allowed_hosts,
        Some(vec!["api.github.com".to_string()])
    );
}
