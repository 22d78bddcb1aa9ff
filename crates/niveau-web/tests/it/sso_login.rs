#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Single sign-on through the application against a real OpenID Connect provider process
//! on localhost (oidc-provider-mock): /auth/oidc/login → the provider's login form →
//! /auth/oidc/callback → a session. Needs NIVEAU_TEST_OIDC_PROVIDER
//! (`source scripts/ci-oidc.sh`; CI does): ignored by a plain `cargo test`, run with
//! `-- --include-ignored`.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::TestApp;
use niveau_store::types::Role;
use niveau_testkit::oidc::MockProvider;
use niveau_web::WebConfig;
use niveau_web::auth::oidc::OidcClient;
use niveau_web::config::OidcConfig;

const REDIRECT: &str = "http://127.0.0.1:9/auth/oidc/callback";

async fn app_with(provider: &MockProvider, create_users: bool) -> (TestApp, tempfile::TempDir) {
    let oidc = OidcConfig {
        issuer_url: provider.issuer.clone(),
        client_id: "niveau".into(),
        client_secret: Some("test-secret".into()),
        redirect_url: REDIRECT.into(),
        scopes: vec!["email".into(), "profile".into()],
        label: "Log ind med OS2".into(),
        create_users,
        default_roles: vec![Role::Laeser],
    };
    let client = OidcClient::discover(&oidc.settings()).await.unwrap();
    let config = WebConfig {
        oidc: Some(oidc),
        ..Default::default()
    };
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("sso.db").display().to_string();
    (TestApp::with_oidc(&url, config, Some(client)).await, dir)
}

/// Start a login at the app, log in at the provider, and hand the answer to the app's
/// callback. Returns the callback's answer.
async fn sso(app: &TestApp, provider: &MockProvider, subject: &str, email: &str) -> common::Answer {
    let start = app.get("/auth/oidc/login?return_to=/produkter", None).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let to_provider = start.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    assert!(to_provider.starts_with(&provider.issuer), "{to_provider}");
    let back = provider
        .authorize(&to_provider, subject, email, "Sekretariatet")
        .unwrap();
    assert!(back.starts_with(REDIRECT), "{back}");
    let path_and_query = back.trim_start_matches("http://127.0.0.1:9");
    app.get(path_and_query, None).await
}

#[tokio::test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
async fn single_sign_on_creates_a_session() {
    let provider = MockProvider::start();
    let (app, _dir) = app_with(&provider, true).await;
    let providers = app.get("/api/v1/auth/providers", None).await;
    assert_eq!(providers.body["oidc"]["label"], "Log ind med OS2");

    let done = sso(&app, &provider, "sek-42", "sekretariat@os2.dk").await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{:?}", done.body);
    assert_eq!(done.headers[header::LOCATION], "/produkter");
    let cookie = done.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let me = app
        .send(
            Request::get("/api/v1/me")
                .header(header::COOKIE, &cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["user"]["username"], "sekretariat@os2.dk");
    assert_eq!(me.body["user"]["display_name"], "Sekretariatet");
    assert_eq!(me.body["user"]["roles"], serde_json::json!(["læser"]));
    assert_eq!(me.body["user"]["oidc_issuer"], provider.issuer);

    // The second login finds the same account (by issuer and subject).
    let again = sso(&app, &provider, "sek-42", "ny-adresse@os2.dk").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store()
            .list_users(&Default::default())
            .await
            .unwrap()
            .total,
        6
    );

    // A state can be used once only.
    let start = app.get("/auth/oidc/login", None).await;
    let to_provider = start.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let back = provider
        .authorize(&to_provider, "sek-42", "x@os2.dk", "X")
        .unwrap();
    let path = back.trim_start_matches("http://127.0.0.1:9").to_string();
    assert_eq!(app.get(&path, None).await.status, StatusCode::SEE_OTHER);
    let replay = app.get(&path, None).await;
    assert_eq!(replay.status, StatusCode::BAD_REQUEST);
    assert_eq!(replay.body["error"]["code"], "sso_invalid");
}

#[tokio::test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
async fn unknown_people_need_an_account_when_creation_is_off() {
    let provider = MockProvider::start();
    let (app, _dir) = app_with(&provider, false).await;
    let done = sso(&app, &provider, "stranger", "stranger@example.dk").await;
    assert_eq!(done.status, StatusCode::FORBIDDEN);
    assert_eq!(done.body["error"]["code"], "no_account");
    assert!(!done.headers.contains_key(header::SET_COOKIE));
}

#[tokio::test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
async fn a_denied_login_is_refused() {
    let provider = MockProvider::start();
    let (app, _dir) = app_with(&provider, true).await;
    let start = app.get("/auth/oidc/login", None).await;
    let to_provider = start.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .to_string();
    let back = provider.deny(&to_provider).unwrap();
    let refused = app
        .get(back.trim_start_matches("http://127.0.0.1:9"), None)
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.body["error"]["code"], "sso_denied");
}
