//! /healthz (the process answers), /readyz (the database answers and is migrated),
//! /metrics (Prometheus text).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use crate::state::AppState;

/// Liveness: the process is up.
pub async fn healthz() -> &'static str {
    "ok\n"
}

/// Readiness: the database answers and has no pending migrations.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, String) {
    if let Err(e) = state.store().ping().await {
        return (StatusCode::SERVICE_UNAVAILABLE, format!("database: {e}\n"));
    }
    match state.store().pending_migrations().await {
        Ok(pending) if pending.is_empty() => (StatusCode::OK, "ready\n".into()),
        Ok(pending) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("pending migrations: {}\n", pending.join(", ")),
        ),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("database: {e}\n")),
    }
}

/// Prometheus metrics.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics().render(),
    )
}
