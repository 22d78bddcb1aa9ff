//! A test application: the real router on a fresh SQLite file (or on PostgreSQL with
//! `TestApp::on`), with one account and one API token per role.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

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
