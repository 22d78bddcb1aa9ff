#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Local accounts: password login with a session cookie, CSRF on unsafe requests, the login
//! guard (rate limits, per-client waits), logout, API tokens with scopes, and account
//! management (the last administrator, password changes).

use crate::common;

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

/// A login as `username` from the client `from` (sent as X-Forwarded-For; the app must
/// trust it) or, with `None`, from the one client the test router knows.
async fn login_as(
    app: &TestApp,
    username: &str,
    password: &str,
    from: Option<&str>,
) -> common::Answer {
    let mut req =
        Request::post("/api/v1/auth/login").header(header::CONTENT_TYPE, "application/json");
    if let Some(from) = from {
        req = req.header("x-forwarded-for", from);
    }
    app.send(
        req.body(Body::from(
            json!({"username": username, "password": password}).to_string(),
        ))
        .unwrap(),
    )
    .await
}

fn behind_proxy() -> WebConfig {
    WebConfig {
        trust_forwarded_for: true,
        ..Default::default()
    }
}

/// An API token of the account `id` with both scopes.
async fn token_of(app: &TestApp, id: i32, name: &str) -> String {
    let token = niveau_web::auth::token::new_api_token();
    app.store()
        .create_api_token(
            &niveau_store::Actor::system("test"),
            id,
            name,
            &niveau_web::auth::token::hash_secret(&token),
            vec!["read".into(), "write".into()],
            None,
        )
        .await
        .unwrap();
    token
}

fn bearer(method: Method, path: &str, token: &str, body: Option<Value>) -> Request<Body> {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    match body {
        Some(b) => req
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(b.to_string()))
            .unwrap(),
        None => req.body(Body::empty()).unwrap(),
    }
}

#[tokio::test]
async fn finding_2_attacker_cannot_lock_out_other_client() {
    let app = with_user(behind_proxy()).await;
    let attacker = Some("198.51.100.7");
    // Five wrong passwords are free; the sixth makes the attacker's client wait.
    for i in 1..=6 {
        let bad = login_as(&app, "sek", "forkert-forkert", attacker).await;
        assert_eq!(bad.status, StatusCode::UNAUTHORIZED, "attempt {i}");
        assert_eq!(bad.body["error"]["code"], "bad_credentials");
    }
    let waits = login_as(&app, "sek", PASSWORD, attacker).await;
    assert_eq!(waits.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(waits.headers[header::RETRY_AFTER], "60");
    // The secretariat's own client logs in at once: the account is not locked.
    let office = login_as(&app, "sek", PASSWORD, Some("203.0.113.20")).await;
    assert_eq!(office.status, StatusCode::OK, "{:?}", office.body);
    let stored = app.store().user_by_username("sek").await.unwrap().unwrap();
    assert_eq!(stored.locked_until, None);
    assert_eq!(stored.failed_logins, 0);
}

#[tokio::test]
async fn finding_2_locked_and_unknown_accounts_answer_alike() {
    let app = with_user(behind_proxy()).await;
    // The same sequence of answers for an existing and an unknown account, each from its
    // own client.
    let mut seen = Vec::new();
    for (name, client) in [("sek", "198.51.100.1"), ("ingen-konto", "198.51.100.2")] {
        let mut answers = Vec::new();
        for _ in 0..8 {
            let a = login_as(&app, name, "forkert-forkert", Some(client)).await;
            answers.push((
                a.status,
                a.body.clone(),
                a.headers.get(header::RETRY_AFTER).cloned(),
            ));
        }
        seen.push(answers);
    }
    assert_eq!(seen[0], seen[1]);
    let (status, body, retry) = &seen[0][0];
    assert_eq!(*status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        body["error"]["message"],
        "forkert brugernavn eller adgangskode"
    );
    assert!(retry.is_none());
    let (status, body, retry) = &seen[0][7];
    assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["error"]["code"], "rate_limited");
    assert!(retry.is_some());
    // The right password from the waiting client waits too (no tell-tale 423), and a
    // disabled account answers like a wrong password.
    let right = login_as(&app, "sek", PASSWORD, Some("198.51.100.1")).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    let id = app
        .store()
        .user_by_username("sek")
        .await
        .unwrap()
        .unwrap()
        .id;
    let disabled = app
        .put(
            &format!("/api/v1/users/{id}"),
            Some("admin"),
            json!({"display_name": "Sekretariatet", "roles": ["sekretariat"], "disabled": true, "version": 1}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK, "{:?}", disabled.body);
    let refused = login_as(&app, "sek", PASSWORD, Some("198.51.100.3")).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refused.body, seen[0][0].1);
}

#[tokio::test]
async fn finding_2_success_does_not_reset_limit_for_other_accounts() {
    let mut config = WebConfig::default();
    config.login.attempts_per_minute = 5;
    let app = with_user(config).await;
    app.add_password_user("offer", "Offeret", "offerets-hemmelige-kode")
        .await;
    // The attacker logs into their own account between guesses at another.
    for round in 0..2 {
        for _ in 0..2 {
            let guess = login_as(&app, "offer", "gæt-gæt-gæt", None).await;
            assert_eq!(guess.status, StatusCode::UNAUTHORIZED);
        }
        if round == 0 {
            assert_eq!(login(&app, PASSWORD).await.status, StatusCode::OK);
        }
    }
    // Five attempts in the minute: the next waits, whoever it names.
    let limited = login_as(&app, "offer", "gæt-gæt-gæt", None).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key(header::RETRY_AFTER));
    assert_eq!(
        login(&app, PASSWORD).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn finding_2_forwarded_for_counts_only_when_trusted_and_only_its_last_entry() {
    // Not trusted: X-Forwarded-For is ignored, so changing it buys nothing.
    let mut config = WebConfig::default();
    config.login.attempts_per_minute = 2;
    let app = with_user(config.clone()).await;
    for from in ["198.51.100.1", "198.51.100.2"] {
        let a = login_as(&app, "sek", "forkert", Some(from)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = login_as(&app, "sek", "forkert", Some("198.51.100.3")).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    // Trusted: the last entry (what our proxy appended) counts; the client's own earlier
    // entries do not.
    config.trust_forwarded_for = true;
    let app = with_user(config).await;
    for spoofed in ["1.1.1.1", "2.2.2.2"] {
        let from = format!("{spoofed}, 198.51.100.9");
        let a = login_as(&app, "sek", "forkert", Some(&from)).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    let a = login_as(&app, "sek", "forkert", Some("3.3.3.3, 198.51.100.9")).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS);
    let other = login_as(&app, "sek", PASSWORD, Some("198.51.100.10")).await;
    assert_eq!(other.status, StatusCode::OK);
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
async fn lesser_last_admin_cannot_drop_admin_role() {
    let app = TestApp::new().await;
    let admin = app.users["admin"];
    let path = format!("/api/v1/users/{admin}");
    for body in [
        json!({"display_name": "Test admin", "roles": ["læser"], "version": 1}),
        json!({"display_name": "Test admin", "roles": ["admin"], "disabled": true, "version": 1}),
    ] {
        let refused = app.put(&path, Some("admin"), body).await;
        assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
        assert_eq!(refused.body["error"]["code"], "invalid_state");
        assert_eq!(
            refused.body["error"]["message"],
            niveau_store::accounts::LAST_ADMIN
        );
    }
    let stored = app.store().user(admin).await.unwrap();
    assert_eq!(stored.version, 1, "nothing was saved");
    assert!(!stored.disabled);
    // With a second administrator, the first may step down.
    let second = app
        .post(
            "/api/v1/users",
            Some("admin"),
            json!({"username": "anden-admin", "display_name": "Anden", "roles": ["admin"]}),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED);
    let stepped_down = app
        .put(
            &path,
            Some("admin"),
            json!({"display_name": "Test admin", "roles": ["læser"], "version": 1}),
        )
        .await;
    assert_eq!(
        stepped_down.status,
        StatusCode::OK,
        "{:?}",
        stepped_down.body
    );
    // Now the second is the last one, and cannot disable itself.
    let id = i32::try_from(second.body["id"].as_i64().unwrap()).unwrap();
    let token = token_of(&app, id, "t").await;
    let refused = app
        .send(bearer(
            Method::PUT,
            &format!("/api/v1/users/{id}"),
            &token,
            Some(json!({"display_name": "Anden", "roles": ["admin"], "disabled": true, "version": 1})),
        ))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
}

#[tokio::test]
async fn lesser_password_change_revokes_sessions_and_tokens() {
    let app = with_user(WebConfig::default()).await;
    let sek = app
        .store()
        .user_by_username("sek")
        .await
        .unwrap()
        .unwrap()
        .id;
    let cookie = session_cookie(&login(&app, PASSWORD).await);
    let token = token_of(&app, sek, "script").await;
    let me = |token: &str| bearer(Method::GET, "/api/v1/me", token, None);
    assert_eq!(app.send(me(&token)).await.status, StatusCode::OK);

    // An admin sets a new password: the session ends and the token is revoked.
    let set = app
        .post(
            &format!("/api/v1/users/{sek}/password"),
            Some("admin"),
            json!({"password": "et-helt-nyt-kodeord"}),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{:?}", set.body);
    assert_eq!(set.body, json!({"sessions_ended": 1, "tokens_revoked": 1}));
    let after = with_cookie(&app, Method::GET, "/api/v1/me", &cookie, None, None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.send(me(&token)).await.status, StatusCode::UNAUTHORIZED);
    let tokens = app.store().api_tokens(sek).await.unwrap();
    assert!(tokens[0].revoked_at.is_some());
    let audit = app.store().history("user", sek).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "password"), "{audit:?}");

    // Opting out keeps the tokens (and still ends the sessions).
    let cookie = session_cookie(&login(&app, "et-helt-nyt-kodeord").await);
    let kept = token_of(&app, sek, "kept").await;
    let set = app
        .post(
            &format!("/api/v1/users/{sek}/password"),
            Some("admin"),
            json!({"password": "endnu-et-nyt-kodeord", "revoke_tokens": false}),
        )
        .await;
    assert_eq!(set.body, json!({"sessions_ended": 1, "tokens_revoked": 0}));
    assert_eq!(app.send(me(&kept)).await.status, StatusCode::OK);
    let after = with_cookie(&app, Method::GET, "/api/v1/me", &cookie, None, None).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
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
