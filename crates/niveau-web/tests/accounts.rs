#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Local accounts: password login with a session cookie, CSRF on unsafe requests, lockout,
//! rate limiting, logout, API tokens with scopes, and account management.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::TestApp;
use niveau_web::WebConfig;
use serde_json::{Value, json};

const PASSWORD: &str = "korrekt-hest-batteri";

async fn with_user(config: WebConfig) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("a.db").display().to_string();
    let app = TestApp::with_config(&url, config).await;
    app.add_password_user("sek", "Sekretariatet", PASSWORD)
        .await;
    std::mem::forget(dir);
    app
}

async fn login(app: &TestApp, password: &str) -> common::Answer {
    app.send(
        Request::post("/api/v1/auth/login")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({"username": "sek", "password": password}).to_string(),
            ))
            .unwrap(),
    )
    .await
}

fn session_cookie(answer: &common::Answer) -> String {
    let set = answer
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Lax"), "{set}");
    set.split(';').next().unwrap().to_string()
}

async fn with_cookie(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: Option<Value>,
) -> common::Answer {
    let mut req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::COOKIE, cookie);
    if let Some(csrf) = csrf {
        req = req.header("x-csrf-token", csrf);
    }
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    app.send(req).await
}

#[tokio::test]
async fn password_login_session_and_csrf() {
    let app = with_user(WebConfig::default()).await;
    let ok = login(&app, PASSWORD).await;
    assert_eq!(ok.status, StatusCode::OK, "{:?}", ok.body);
    let cookie = session_cookie(&ok);
    assert!(
        !ok.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Secure"),
        "no TLS configured"
    );
    let csrf = ok.body["csrf_token"].as_str().unwrap().to_string();
    assert_eq!(ok.body["user"]["username"], "sek");
    assert!(ok.body["user"].get("password_hash").is_none());

    let me = with_cookie(&app, Method::GET, "/api/v1/me", &cookie, None, None).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["user"]["roles"], json!(["sekretariat"]));
    assert_eq!(me.body["csrf_token"], csrf);

    // An unsafe request with the cookie but without the CSRF token is refused.
    let product = json!({"slug": "os2mo", "name": "OS2mo"});
    let no_csrf = with_cookie(
        &app,
        Method::POST,
        "/api/v1/products",
        &cookie,
        None,
        Some(product.clone()),
    )
    .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    assert_eq!(no_csrf.body["error"]["code"], "csrf");
    let wrong = with_cookie(
        &app,
        Method::POST,
        "/api/v1/products",
        &cookie,
        Some("nope"),
        Some(product.clone()),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    let created = with_cookie(
        &app,
        Method::POST,
        "/api/v1/products",
        &cookie,
        Some(&csrf),
        Some(product),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let trail = app
        .store()
        .history("product", created.body["id"].as_i64().unwrap() as i32)
        .await
        .unwrap();
    assert_eq!(trail[0].actor, "sek");

    // Logout ends the session.
    let out = with_cookie(
        &app,
        Method::POST,
        "/api/v1/auth/logout",
        &cookie,
        Some(&csrf),
        None,
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = with_cookie(&app, Method::GET, "/api/v1/me", &cookie, None, None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn secure_cookies_behind_tls() {
    let config = WebConfig {
        public_url: Some("https://niveau.example".into()),
        ..Default::default()
    };
    let app = with_user(config).await;
    let ok = login(&app, PASSWORD).await;
    assert!(
        ok.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn lockout_after_repeated_failures() {
    let app = with_user(WebConfig::default()).await;
    for i in 1..5 {
        let bad = login(&app, "forkert-forkert").await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert_eq!(bad.body["error"]["code"], "bad_credentials");
    }
    let fifth = login(&app, "forkert-forkert").await;
    assert_eq!(fifth.status, StatusCode::LOCKED);
    // Even the right password is refused while locked.
    let locked = login(&app, PASSWORD).await;
    assert_eq!(locked.status, StatusCode::LOCKED);
    assert_eq!(locked.body["error"]["code"], "locked");
    // An unknown user gets the same answer as a wrong password.
    let unknown = app
        .send(
            Request::post("/api/v1/auth/login")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"username": "ingen", "password": "x"}).to_string(),
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        unknown.body["error"]["message"],
        "forkert brugernavn eller adgangskode"
    );
}

#[tokio::test]
async fn login_attempts_are_rate_limited() {
    let mut config = WebConfig::default();
    config.login.attempts_per_minute = 3;
    config.login.max_failures = 100;
    let app = with_user(config).await;
    for _ in 0..3 {
        assert_eq!(
            login(&app, "forkert").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = login(&app, PASSWORD).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
}

#[tokio::test]
async fn api_tokens_are_scoped_and_revocable() {
    let app = TestApp::new().await;
    let made = app
        .post(
            "/api/v1/me/tokens",
            Some("sekretariat"),
            json!({"name": "læse-script", "scopes": ["read"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let secret = made.body["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("niveau_"));
    assert!(made.body["info"].get("token_hash").is_none());
    let id = made.body["info"]["id"].as_i64().unwrap();

    let bearer = |method: Method, path: &str, body: Option<Value>| {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {secret}"));
        match body {
            Some(b) => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                req.body(Body::from(b.to_string())).unwrap()
            }
            None => req.body(Body::empty()).unwrap(),
        }
    };
    assert_eq!(
        app.send(bearer(Method::GET, "/api/v1/organisations", None))
            .await
            .status,
        StatusCode::OK
    );
    let write = app
        .send(bearer(
            Method::POST,
            "/api/v1/products",
            Some(json!({"slug": "x", "name": "x"})),
        ))
        .await;
    assert_eq!(
        write.status,
        StatusCode::FORBIDDEN,
        "a read token cannot write"
    );

    // Another user cannot revoke it; its owner can.
    assert_eq!(
        app.call(
            Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            Some("læser"),
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let revoked = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/tokens/{id}"),
            Some("sekretariat"),
            None,
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(revoked.body["revoked_at"].is_string());
    let gone = app
        .send(bearer(Method::GET, "/api/v1/organisations", None))
        .await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED);
    assert_eq!(gone.body["error"]["code"], "invalid_token");
}

#[tokio::test]
async fn admins_manage_accounts() {
    let app = TestApp::new().await;
    let short = app
        .post(
            "/api/v1/users",
            Some("admin"),
            json!({"username": "ny", "display_name": "Ny", "password": "kort", "roles": ["læser"]}),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.body["error"]["field"], "password");
    let made = app
        .post(
            "/api/v1/users",
            Some("admin"),
            json!({"username": "ny", "display_name": "Ny", "password": "en-lang-adgangskode", "roles": ["læser"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_eq!(made.body["has_password"], true);
    let id = made.body["id"].as_i64().unwrap();
    let bad_role = app
        .put(
            &format!("/api/v1/users/{id}"),
            Some("admin"),
            json!({"display_name": "Ny", "roles": ["konge"], "version": 1}),
        )
        .await;
    assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_role.body["error"]["field"], "roles[0]");
    let changed = app
        .put(
            &format!("/api/v1/users/{id}"),
            Some("admin"),
            json!({"display_name": "Ny", "roles": ["bestyrelse"], "version": 1}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["roles"], json!(["bestyrelse"]));
    assert_eq!(
        app.get("/api/v1/users", Some("sekretariat")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/users", Some("admin")).await.body["total"],
        6
    );
}

/// How many events the audit log holds.
async fn audit_count(app: &TestApp) -> u64 {
    app.store()
        .list_audit(&Default::default(), &niveau_store::ListParams::default())
        .await
        .unwrap()
        .total
}

/// Send `method path` with `Authorization: Bearer secret` and an optional JSON body.
async fn with_bearer(
    app: &TestApp,
    secret: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> common::Answer {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {secret}"));
    let req = match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string())),
        None => req.body(Body::empty()),
    };
    app.send(req.unwrap()).await
}

/// Issue #10, finding 1: a token with only the `read` scope revoked the account's write
/// token (and could make new tokens). Now every change of one's own tokens needs `write`;
/// reading one's profile and tokens with a read token still works.
#[tokio::test]
async fn finding_1_read_only_token_cannot_revoke_tokens() {
    let app = TestApp::new().await;
    let made = app
        .post(
            "/api/v1/me/tokens",
            Some("sekretariat"),
            json!({"name": "læse-script", "scopes": ["read"]}),
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    let read = made.body["token"].as_str().unwrap().to_string();
    let write_id = app
        .store()
        .api_tokens(app.users["sekretariat"])
        .await
        .unwrap()[0]
        .id;
    let before = audit_count(&app).await;

    let revoke = with_bearer(
        &app,
        &read,
        Method::DELETE,
        &format!("/api/v1/me/tokens/{write_id}"),
        None,
    )
    .await;
    assert_eq!(revoke.status, StatusCode::FORBIDDEN, "{:?}", revoke.body);
    assert_eq!(revoke.body["error"]["code"], "insufficient_scope");
    assert!(
        revoke.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("write"),
        "the message names the missing scope: {:?}",
        revoke.body
    );
    let own_id = made.body["info"]["id"].as_i64().unwrap();
    let self_revoke = with_bearer(
        &app,
        &read,
        Method::DELETE,
        &format!("/api/v1/me/tokens/{own_id}"),
        None,
    )
    .await;
    assert_eq!(self_revoke.status, StatusCode::FORBIDDEN);
    let create = with_bearer(
        &app,
        &read,
        Method::POST,
        "/api/v1/me/tokens",
        Some(json!({"name": "eskalering", "scopes": ["read", "write"]})),
    )
    .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN, "{:?}", create.body);
    assert_eq!(create.body["error"]["code"], "insufficient_scope");

    // Nothing changed: no audit event, the write token still works, no new token.
    assert_eq!(audit_count(&app).await, before);
    let tokens = app
        .store()
        .api_tokens(app.users["sekretariat"])
        .await
        .unwrap();
    assert_eq!(tokens.len(), 2);
    assert!(tokens.iter().all(|t| t.revoked_at.is_none()));
    assert_eq!(
        app.get("/api/v1/me/tokens", Some("sekretariat"))
            .await
            .status,
        StatusCode::OK
    );

    // Reading one's own account with the read token is fine.
    let me = with_bearer(&app, &read, Method::GET, "/api/v1/me", None).await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    assert_eq!(me.body["user"]["username"], "sekretariat-1");
    let list = with_bearer(&app, &read, Method::GET, "/api/v1/me/tokens", None).await;
    assert_eq!(list.status, StatusCode::OK, "{:?}", list.body);
    assert_eq!(list.body.as_array().unwrap().len(), 2);
}

/// Issue #10, finding 9: `expires_days` of 100,000,000 overflowed the date arithmetic
/// and answered 500. Now anything outside 1..=3650 is a 422 naming the field, and no
/// token is made.
#[tokio::test]
async fn finding_9_token_expiry_overflow_is_refused() {
    let app = TestApp::new().await;
    let before = audit_count(&app).await;
    for days in [
        json!(100_000_000),
        json!(4_294_967_295u64),
        json!(4_294_967_296u64),
        json!(3651),
        json!(0),
        json!(-1),
    ] {
        let made = app
            .post(
                "/api/v1/me/tokens",
                Some("sekretariat"),
                json!({"name": "ci", "scopes": ["read"], "expires_days": days}),
            )
            .await;
        assert_eq!(
            made.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{days}: {:?}",
            made.body
        );
        assert_eq!(made.body["error"]["field"], "expires_days", "{days}");
    }
    let refused = app
        .post(
            "/api/v1/me/tokens",
            Some("sekretariat"),
            json!({"name": "ci", "expires_days": 100_000_000}),
        )
        .await;
    assert_eq!(
        refused.body["error"]["message"],
        "expires_days skal være mellem 1 og 3650 dage; udelad feltet for et token uden udløb"
    );
    assert_eq!(audit_count(&app).await, before, "no token was made");

    let longest = app
        .post(
            "/api/v1/me/tokens",
            Some("sekretariat"),
            json!({"name": "ci", "expires_days": 3650}),
        )
        .await;
    assert_eq!(longest.status, StatusCode::CREATED, "{:?}", longest.body);
    let expires: chrono::DateTime<chrono::Utc> = longest.body["info"]["expires_at"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let days = (expires - app.store().now()).num_days();
    assert!((3649..=3650).contains(&days), "{days}");
}

/// Issue #10, finding 9, on the profile page: the form refuses an expiry outside 1..=3650
/// with a message and keeps what was typed.
#[tokio::test]
async fn finding_9_profile_form_refuses_overflowing_expiry_and_keeps_input() {
    let app = with_user(WebConfig::default()).await;
    let session = app.session("sek", PASSWORD).await;
    let before = audit_count(&app).await;
    let answer = session
        .post(
            "/profil/tokens",
            &[
                ("name", "mit script"),
                ("write", "on"),
                ("expires_days", "100000000"),
            ],
            true,
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = common::text(&answer);
    assert!(
        page.contains("Udløb skal være et helt antal dage fra 1 til 3650, eller tomt for aldrig."),
        "{page}"
    );
    assert!(page.contains(r#"value="100000000""#), "{page}");
    assert!(page.contains(r#"value="mit script""#), "{page}");
    assert!(page.contains(r#"value="on" checked"#), "{page}");
    assert_eq!(audit_count(&app).await, before, "no token was made");
}
