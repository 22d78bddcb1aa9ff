//! # niveau-web
//!
//! The web application: the JSON API under /api/v1 with its generated OpenAPI document,
//! accounts (local passwords, single sign-on, API tokens), roles and permissions, public
//! badges, health and metrics endpoints, and the background worker that scans
//! repositories.
//!
//! - [`app`] builds the router; [`serve`] runs it with graceful shutdown.
//! - Every operation and permission decision lives in `niveau_app`; this crate is HTTP only.
//! - [`auth`]: password hashing, secrets and tokens, the login rate limiter, OpenID Connect,
//!   and the request's [`auth::principal::Principal`].
//! - [`api`]: the handlers, one module per part of the portfolio.

pub mod api;
pub mod auth;
pub mod badge;
pub mod config;
pub mod detach;
pub mod error;

pub mod extract;
pub mod health;
pub mod mailer;
pub mod metrics;
pub mod pages;
pub mod publish;

pub mod state;
pub mod worker;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::routing::get;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use config::WebConfig;
pub use state::AppState;

/// The content security policy of every response: scripts, styles and images only from
/// this server (no inline scripts or styles), no plug-ins, forms only to this server, and
/// no framing by other sites. Inline SVG charts are markup, not images, so they need no
/// exception.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The whole application: API, OpenAPI document, auth routes, badges, health, metrics.
pub fn app(state: AppState) -> Router {
    let (api, openapi) = api::router();
    let openapi = std::sync::Arc::new(openapi);
    let timeout = Duration::from_secs(state.config().request_timeout_seconds.max(1));
    let body_limit = state.config().max_body_bytes;
    let metrics = state.metrics().clone();
    Router::new()
        .merge(api)
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let doc = openapi.clone();
                async move { axum::Json((*doc).clone()) }
            }),
        )
        .merge(auth::routes::routes())
        .merge(pages::routes())
        .route("/badge/{file}", get(badge::badge))
        .route("/kalender.ics", get(api::calendar::calendar_feed))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .fallback(|| async {
            error::ApiError::not_found(niveau_model::Msg::new("siden", "the page"))
        })
        // Inside `detach`: a detached write runs in a task of its own, and the request's
        // language must be set in that task.
        .layer(axum::middleware::from_fn(error::with_language))
        .layer(axum::middleware::from_fn(detach::detach_writes))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            metrics::track,
        ))
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            timeout,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // The path only, never the query: a calendar subscription carries its read-only
        // token there (`/kalender.ics?token=…`).
        .layer(TraceLayer::new_for_http().make_span_with(
            |req: &axum::http::Request<axum::body::Body>| {
                tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
            },
        ))
        .layer(CatchPanicLayer::new())
        .with_state(state)
}

/// Serve `app` on `listener` until `shutdown` resolves; requests in flight are finished
/// before this returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
