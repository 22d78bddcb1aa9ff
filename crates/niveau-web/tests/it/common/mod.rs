//! A test application: the real router on a fresh SQLite file (or on PostgreSQL with
//! `TestApp::on`), with one account and one API token per role.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use niveau_store::accounts::NewUser;
use niveau_store::types::Role;
use niveau_store::{Actor, Store, StoreOptions};
use niveau_web::auth::token::{hash_secret, new_api_token};
use niveau_web::{AppState, WebConfig};
use serde_json::Value;
use tower::ServiceExt;

/// Who makes a request.
pub const ROLES: &[&str] = &[
    "admin",
    "sekretariat",
    "bestyrelse",
    "produktredaktør",
    "læser",
];

/// A running test app.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    /// Role name → bearer token (write scope).
    pub tokens: BTreeMap<String, String>,
    /// Role name → user id.
    pub users: BTreeMap<String, i32>,
    _dir: Option<tempfile::TempDir>,
}

/// An answer.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: axum::http::HeaderMap,
}

impl TestApp {
    /// On a fresh SQLite file.
    pub async fn new() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("test.db").display().to_string();
        let mut app = TestApp::on(&url).await;
        app._dir = Some(dir);
        app
    }

    /// On the database at `url`.
    pub async fn on(url: &str) -> TestApp {
        TestApp::with_config(url, WebConfig::default()).await
    }

    /// On the database at `url`, with settings.
    pub async fn with_config(url: &str, config: WebConfig) -> TestApp {
        TestApp::with_oidc(url, config, None).await
    }

    /// On the database at `url`, with settings and a single-sign-on client.
    pub async fn with_oidc(
        url: &str,
        mut config: WebConfig,
        oidc: Option<niveau_web::auth::oidc::OidcClient>,
    ) -> TestApp {
        config.worker.enabled = false;
        let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
        store.migrate().await.unwrap();
        let registry = Arc::new(niveau_model::Registry::builtin().unwrap());
        let state = AppState::new(store.clone(), config, registry, oidc);
        let mut tokens = BTreeMap::new();
        let mut users = BTreeMap::new();
        for role in ROLES {
            let user = store
                .create_user(
                    &Actor::system("test"),
                    NewUser {
                        username: format!("{role}-1"),
                        display_name: format!("Test {role}"),
                        email: None,
                        password_hash: None,
                        roles: vec![Role::parse(role).unwrap()],
                        product_ids: vec![],
                        oidc: None,
                    },
                )
                .await
                .unwrap();
            let secret = new_api_token();
            store
                .create_api_token(
                    &Actor::system("test"),
                    user.id,
                    "test",
                    &hash_secret(&secret),
                    vec!["read".into(), "write".into()],
                    None,
                )
                .await
                .unwrap();
            tokens.insert(role.to_string(), secret);
            users.insert(role.to_string(), user.id);
        }
        let router = niveau_web::app(state.clone());
        TestApp {
            state,
            router,
            tokens,
            users,
            _dir: None,
        }
    }

    /// Register a decision from before the process as history (the stage of a test's
    /// product), through the store as the example portfolio does: stage changes through
    /// the API go through the product process.
    pub async fn register_decision(
        &self,
        body: serde_json::Value,
    ) -> niveau_store::entity::decision::Model {
        let input: niveau_store::decisions::DecisionInput = serde_json::from_value(body).unwrap();
        self.store()
            .record_decision(&niveau_store::Actor::system("test"), input)
            .await
            .unwrap()
    }

    /// The store.
    pub fn store(&self) -> &Store {
        self.state.store()
    }

    /// Add a secretariat account that logs in with `password`.
    pub async fn add_password_user(&self, username: &str, display_name: &str, password: &str) {
        self.store()
            .create_user(
                &Actor::system("test"),
                NewUser {
                    username: username.into(),
                    display_name: display_name.into(),
                    email: None,
                    password_hash: Some(
                        niveau_web::auth::password::hash_password(password).unwrap(),
                    ),
                    roles: vec![Role::Sekretariat],
                    product_ids: vec![],
                    oidc: None,
                },
            )
            .await
            .unwrap();
    }

    /// Make the produktredaktør the editor of `product_ids`.
    pub async fn set_editor_products(&self, product_ids: Vec<i32>) {
        let id = self.users["produktredaktør"];
        let user = self.store().user(id).await.unwrap();
        self.store()
            .update_user(
                &Actor::system("test"),
                id,
                user.version,
                niveau_store::accounts::UserUpdate {
                    display_name: user.display_name,
                    email: None,
                    roles: vec![Role::Produktredaktor],
                    product_ids,
                    disabled: false,
                    version: None,
                },
            )
            .await
            .unwrap();
    }

    /// Send a request as `who` (a role name, or None for anonymous) with an optional JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        who: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(role) = who {
            req = req.header(
                header::AUTHORIZATION,
                format!("Bearer {}", self.tokens[role]),
            );
        }
        let req = match body {
            Some(body) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&body).unwrap()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// Send a raw request.
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), 64 * 1024 * 1024)
            .await
            .unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Answer {
            status,
            body,
            headers,
        }
    }

    /// GET as `who`.
    pub async fn get(&self, path: &str, who: Option<&str>) -> Answer {
        self.call(Method::GET, path, who, None).await
    }

    /// POST JSON as `who`.
    pub async fn post(&self, path: &str, who: Option<&str>, body: Value) -> Answer {
        self.call(Method::POST, path, who, Some(body)).await
    }

    /// PUT JSON as `who`.
    pub async fn put(&self, path: &str, who: Option<&str>, body: Value) -> Answer {
        self.call(Method::PUT, path, who, Some(body)).await
    }

    /// DELETE as `who` with an If-Match version.
    pub async fn delete(&self, path: &str, who: Option<&str>, version: i32) -> Answer {
        let mut req = Request::builder()
            .method(Method::DELETE)
            .uri(path)
            .header(header::IF_MATCH, version.to_string());
        if let Some(role) = who {
            req = req.header(
                header::AUTHORIZATION,
                format!("Bearer {}", self.tokens[role]),
            );
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }
}

/// A browser-like session on the HTML pages: a session cookie from a password login and
/// the CSRF token the pages put in their forms.
pub struct Session<'a> {
    pub app: &'a TestApp,
    pub cookie: String,
    pub csrf: String,
}

impl TestApp {
    /// Log in through `/log-ind` (the account must exist, e.g. by
    /// [`TestApp::add_password_user`]) and read the CSRF token from the profile page.
    pub async fn session(&self, username: &str, password: &str) -> Session<'_> {
        let body = format!("username={username}&password={password}");
        let ok = self
            .send(
                Request::post("/log-ind")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "login: {:?}", ok.body);
        let cookie = ok.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let mut session = Session {
            app: self,
            cookie,
            csrf: String::new(),
        };
        let profile = session.get("/profil").await;
        session.csrf = csrf_in(profile.body.as_str().unwrap());
        session
    }
}

/// The CSRF token in a page's forms.
pub fn csrf_in(body: &str) -> String {
    body.split("name=\"csrf_token\" value=\"")
        .nth(1)
        .expect("a form with a CSRF token")
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// Percent-encode a form value.
pub fn form_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// GET a page with extra headers (a cookie, Accept-Language …).
pub async fn page(app: &TestApp, path: &str, headers: &[(header::HeaderName, &str)]) -> Answer {
    let mut req = Request::builder().uri(path);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    app.send(req.body(Body::empty()).unwrap()).await
}

/// The body of a page that must have been answered 200.
pub fn html(a: &Answer) -> &str {
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    a.body.as_str().unwrap()
}

/// The body of a page, whatever its status.
pub fn text(a: &Answer) -> &str {
    a.body.as_str().unwrap_or("")
}

/// Where a 303 sends the browser.
pub fn location(a: &Answer) -> &str {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{:?}", a.body);
    a.headers[header::LOCATION].to_str().unwrap()
}

/// Take a new evaluation of `slug` (os2-1.1.0) through the API to published: every
/// requirement rated by `rate(id)` (a rating object), then dialogue, finalising at level
/// 1 on 2026-11-20 with `basis` (and a justification, should level 1 be above the one
/// the ratings indicate), and publishing.
pub async fn publish_evaluation_with(
    app: &TestApp,
    slug: &str,
    rate: impl Fn(&str) -> Value,
    basis: &str,
) {
    let created = app
        .post(
            &format!("/api/v1/products/{slug}/evaluations"),
            Some("sekretariat"),
            serde_json::json!({"model_id": "os2-1.1.0"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    let version = created.body["version"].as_i64().unwrap();
    let ratings: Vec<Value> = created.body["current"]["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| rate(r["requirement"].as_str().unwrap()))
        .collect();
    let steps = [
        (
            Method::PUT,
            format!("/api/v1/evaluations/{id}"),
            serde_json::json!({"ratings": ratings, "version": version}),
        ),
        (
            Method::POST,
            format!("/api/v1/evaluations/{id}/status"),
            serde_json::json!({"status": "i dialog", "version": version + 1}),
        ),
        (
            Method::POST,
            format!("/api/v1/evaluations/{id}/finalise"),
            serde_json::json!({"version": version + 2, "level": "1", "basis": basis, "decided_on": "2026-11-20", "justification": "Testens niveau"}),
        ),
        (
            Method::POST,
            format!("/api/v1/evaluations/{id}/publish"),
            serde_json::json!({"version": version + 3}),
        ),
    ];
    for (method, path, body) in steps {
        let a = app
            .call(method, &path, Some("sekretariat"), Some(body))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{path}: {:?}", a.body);
    }
}

impl Session<'_> {
    /// GET a page.
    pub async fn get(&self, path: &str) -> Answer {
        self.app
            .send(
                Request::get(path)
                    .header(header::COOKIE, &self.cookie)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
    }

    /// POST a form: the fields (the CSRF token is added first unless `csrf` is false).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)], csrf: bool) -> Answer {
        let mut pairs: Vec<String> = Vec::new();
        if csrf {
            pairs.push(format!("csrf_token={}", form_value(&self.csrf)));
        }
        pairs.extend(
            fields
                .iter()
                .map(|(k, v)| format!("{}={}", form_value(k), form_value(v))),
        );
        self.app
            .send(
                Request::post(path)
                    .header(header::COOKIE, &self.cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(pairs.join("&")))
                    .unwrap(),
            )
            .await
    }

    /// POST a multipart form with one file field `fil` and text fields.
    pub async fn upload(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        file_name: &str,
        content: &[u8],
    ) -> Answer {
        let boundary = "niveau-test-boundary";
        let mut body: Vec<u8> = Vec::new();
        let mut text = vec![("csrf_token", self.csrf.as_str())];
        text.extend_from_slice(fields);
        for (k, v) in text {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"fil\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(content);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.app
            .send(
                Request::post(path)
                    .header(header::COOKIE, &self.cookie)
                    .header(
                        header::CONTENT_TYPE,
                        format!("multipart/form-data; boundary={boundary}"),
                    )
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
    }
}
