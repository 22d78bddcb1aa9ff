//! Requests that may change data run to the end, even when the client goes away.
//!
//! A request handler is a future that hyper drops when the client disconnects (and that
//! the timeout layer drops when time is up). Dropped in the middle of a database
//! transaction, it leaves the rollback to the connection pool, and the connection's next
//! user sees PostgreSQL's "there is already a transaction in progress" (the API
//! benchmark's clients disconnecting at the end of a run showed exactly that). So every
//! request with a method that is not safe (POST, PUT, PATCH, DELETE) runs in a task of
//! its own: the client may stop waiting, the write still finishes or rolls back as a
//! whole. Safe methods (GET, HEAD, OPTIONS) stay in the connection's task, where
//! dropping them costs nothing.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The middleware (see the module documentation).
pub async fn detach_writes(request: Request, next: Next) -> Response {
    if request.method().is_safe() {
        return next.run(request).await;
    }
    match tokio::spawn(next.run(request)).await {
        Ok(response) => response,
        Err(err) => {
            tracing::error!(error = %err, "a request task failed");
            ApiError::internal(&err).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use axum::Router;
    use axum::body::Body;
    use axum::http::{Method, StatusCode};
    use axum::routing::any;
    use tower::ServiceExt;

    use super::*;

    /// A router whose one handler sleeps, then records that it finished.
    fn slow(finished: Arc<AtomicBool>) -> Router {
        Router::new()
            .route(
                "/",
                any(move || {
                    let finished = finished.clone();
                    async move {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        finished.store(true, Ordering::SeqCst);
                        StatusCode::NO_CONTENT
                    }
                }),
            )
            .layer(axum::middleware::from_fn(detach_writes))
    }

    async fn abandoned(method: Method) -> bool {
        let finished = Arc::new(AtomicBool::new(false));
        let request = Request::builder()
            .method(method)
            .uri("/")
            .body(Body::empty())
            .unwrap();
        // The client gives up after 10 ms: the request future is dropped.
        let call = slow(finished.clone()).oneshot(request);
        assert!(
            tokio::time::timeout(Duration::from_millis(10), call)
                .await
                .is_err()
        );
        tokio::time::sleep(Duration::from_millis(150)).await;
        finished.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn a_write_finishes_after_the_client_left() {
        assert!(abandoned(Method::POST).await);
        assert!(abandoned(Method::DELETE).await);
    }

    #[tokio::test]
    async fn a_read_stops_with_the_client() {
        assert!(!abandoned(Method::GET).await);
    }

    #[tokio::test]
    async fn a_panicking_write_is_a_500() {
        let app = Router::new()
            .route(
                "/",
                any(|| async {
                    if true {
                        panic!("the handler panics on purpose");
                    }
                    StatusCode::NO_CONTENT
                }),
            )
            .layer(axum::middleware::from_fn(detach_writes));
        let request = Request::builder()
            .method(Method::POST)
            .uri("/")
            .body(Body::empty())
            .unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
