//! Prometheus metrics of the HTTP layer.
//!
//! [`Metrics`] owns its own recorder instead of installing a process-wide one, so that several
//! applications (for example one per test) can live in one process without sharing counters.
//! Metrics are recorded with that recorder explicitly; code that uses the `metrics` macros
//! without a recorder in scope records nothing here.
//!
//! [`track`] is an axum middleware that counts requests and measures their duration:
//!
//! - `niveau_http_requests_total{method, route, status}` (counter)
//! - `niveau_http_request_duration_seconds{method, route}` (histogram, buckets
//!   [`DURATION_BUCKETS`])
//!
//! `route` is the route template (`/api/v1/products/{id}`), never the raw path, and `method`
//! is one of the standard methods or `OTHER`, so the number of series stays bounded. Requests
//! that match no route are recorded with the route [`UNMATCHED_ROUTE`].
//!
//! ```
//! use axum::{Router, middleware, routing::get};
//! use niveau_web::metrics::{Metrics, track};
//!
//! let metrics = Metrics::new();
//! let app: Router = Router::new()
//!     .route("/products/{id}", get(|| async { "ok" }))
//!     .layer(middleware::from_fn_with_state(metrics.clone(), track));
//! // Serve `metrics.render()` at /metrics.
//! ```

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use metrics::{Unit, counter, describe_counter, describe_histogram, histogram};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

/// The name of the request counter.
pub const REQUESTS_TOTAL: &str = "niveau_http_requests_total";

/// The name of the request duration histogram.
pub const REQUEST_DURATION_SECONDS: &str = "niveau_http_request_duration_seconds";

/// The `route` label of requests that matched no route (404s from the fallback).
pub const UNMATCHED_ROUTE: &str = "unmatched";

/// The bucket bounds, in seconds, of [`REQUEST_DURATION_SECONDS`]: from 5 ms (a cached page)
/// to 10 s (a large import).
pub const DURATION_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 7.5, 10.0,
];

/// The metrics of one web application: a Prometheus recorder of its own and the handle that
/// renders it.
///
/// Cloning is cheap and shares the recorder.
#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Returns a new, empty set of metrics with its own recorder; no global recorder is
    /// installed.
    pub fn new() -> Self {
        let builder = PrometheusBuilder::new();
        // Setting buckets fails only for an empty list; DURATION_BUCKETS is not empty. Should it
        // ever fail, the duration is exported as a summary instead of a histogram.
        let builder = builder
            .set_buckets_for_metric(
                Matcher::Full(REQUEST_DURATION_SECONDS.to_owned()),
                &DURATION_BUCKETS,
            )
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        metrics::with_local_recorder(&recorder, || {
            describe_counter!(REQUESTS_TOTAL, "HTTP requests handled, by route template.");
            describe_histogram!(
                REQUEST_DURATION_SECONDS,
                Unit::Seconds,
                "Time to handle an HTTP request, by route template."
            );
        });
        Self {
            recorder: Arc::new(recorder),
            handle,
        }
    }

    /// Returns the current metrics in the Prometheus text exposition format, for `/metrics`.
    pub fn render(&self) -> String {
        self.handle.render()
    }

    /// Drains buffered histogram samples into their buckets.
    ///
    /// [`render`](Self::render) does this too. Call it every few seconds when the metrics
    /// might not be scraped for a long time, so buffered samples do not pile up in memory.
    pub fn run_upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// Run [`Metrics::run_upkeep`] every `every` until the task is dropped or aborted. The
    /// Prometheus recorder keeps every histogram sample in a buffer until upkeep (or a
    /// scrape) folds it into the buckets, so a server nobody scrapes must run this, or the
    /// buffer grows by a few bytes per request: 40 MB after two million requests in the API
    /// benchmark (docs/performance.md).
    pub async fn upkeep(self, every: std::time::Duration) {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            self.run_upkeep();
        }
    }

    /// Records one handled request.
    ///
    /// `route` must be a route template or [`UNMATCHED_ROUTE`], never a raw path.
    pub fn record_request(&self, method: &Method, route: &str, status: u16, seconds: f64) {
        let method = method_label(method);
        let route = route.to_owned();
        metrics::with_local_recorder(self.recorder.as_ref(), || {
            counter!(
                REQUESTS_TOTAL,
                "method" => method,
                "route" => route.clone(),
                "status" => status.to_string()
            )
            .increment(1);
            histogram!(REQUEST_DURATION_SECONDS, "method" => method, "route" => route)
                .record(seconds);
        });
    }
}

/// The `method` label: the standard methods by name, anything else as `OTHER`, so that clients
/// cannot create new series by inventing methods.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::TRACE => "TRACE",
        Method::CONNECT => "CONNECT",
        _ => "OTHER",
    }
}

/// Axum middleware that records every request in `metrics`: its count by method, route
/// template and status, and its duration by method and route template.
///
/// Add it with `Router::layer(axum::middleware::from_fn_with_state(metrics, track))` so that it
/// runs after routing and sees the [`MatchedPath`]. The duration covers the inner service up to
/// the response head, not the streaming of the body.
pub async fn track(
    State(metrics): State<Metrics>,
    matched_path: Option<MatchedPath>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().clone();
    let route = matched_path.map_or_else(
        || UNMATCHED_ROUTE.to_owned(),
        |path| path.as_str().to_owned(),
    );
    let start = Instant::now();
    let response = next.run(request).await;
    let seconds = start.elapsed().as_secs_f64();
    metrics.record_request(&method, &route, response.status().as_u16(), seconds);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::middleware;
    use axum::routing::get;
    use tower::ServiceExt as _;

    fn app(metrics: &Metrics) -> Router {
        Router::new()
            .route("/products/{id}", get(|| async { "product" }))
            .route(
                "/fail",
                get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "no") }),
            )
            .layer(middleware::from_fn_with_state(metrics.clone(), track))
    }

    async fn send(app: Router, method: &str, uri: &str) -> StatusCode {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .body(Body::empty())
            .unwrap();
        app.oneshot(request).await.unwrap().status()
    }

    /// The value of the sample line that starts with `prefix` (name and labels).
    fn sample(rendered: &str, prefix: &str) -> Option<f64> {
        rendered
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .and_then(|value| value.trim().parse().ok())
    }

    #[tokio::test]
    async fn upkeep_keeps_every_sample() {
        let metrics = Metrics::new();
        let upkeep = tokio::spawn(metrics.clone().upkeep(std::time::Duration::from_millis(5)));
        for _ in 0..3 {
            send(app(&metrics), "GET", "/products/1").await;
            tokio::time::sleep(std::time::Duration::from_millis(12)).await;
        }
        upkeep.abort();
        let rendered = metrics.render();
        assert_eq!(
            sample(
                &rendered,
                r#"niveau_http_request_duration_seconds_count{method="GET",route="/products/{id}"}"#
            ),
            Some(3.0),
            "{rendered}"
        );
    }

    #[tokio::test]
    async fn counts_requests_by_route_template() {
        let metrics = Metrics::new();
        assert_eq!(
            send(app(&metrics), "GET", "/products/42").await,
            StatusCode::OK
        );
        assert_eq!(
            send(app(&metrics), "GET", "/products/43").await,
            StatusCode::OK
        );
        assert_eq!(
            send(app(&metrics), "GET", "/fail").await,
            StatusCode::INTERNAL_SERVER_ERROR
        );

        let rendered = metrics.render();
        assert_eq!(
            sample(
                &rendered,
                r#"niveau_http_requests_total{method="GET",route="/products/{id}",status="200"}"#
            ),
            Some(2.0),
            "{rendered}"
        );
        assert_eq!(
            sample(
                &rendered,
                r#"niveau_http_requests_total{method="GET",route="/fail",status="500"}"#
            ),
            Some(1.0),
            "{rendered}"
        );
        assert!(!rendered.contains("/products/42"), "{rendered}");
        assert!(
            rendered.contains("# TYPE niveau_http_requests_total counter"),
            "{rendered}"
        );
        assert!(
            rendered.contains(
                "# HELP niveau_http_requests_total HTTP requests handled, by route template."
            ),
            "{rendered}"
        );
    }

    #[tokio::test]
    async fn measures_duration_as_a_histogram() {
        let metrics = Metrics::new();
        send(app(&metrics), "GET", "/products/1").await;
        let rendered = metrics.render();
        assert!(
            rendered.contains("# TYPE niveau_http_request_duration_seconds histogram"),
            "{rendered}"
        );
        assert_eq!(
            sample(
                &rendered,
                r#"niveau_http_request_duration_seconds_count{method="GET",route="/products/{id}"}"#
            ),
            Some(1.0),
            "{rendered}"
        );
        assert_eq!(
            sample(
                &rendered,
                r#"niveau_http_request_duration_seconds_bucket{method="GET",route="/products/{id}",le="+Inf"}"#
            ),
            Some(1.0),
            "{rendered}"
        );
    }

    #[tokio::test]
    async fn unmatched_paths_and_odd_methods_do_not_create_series() {
        let metrics = Metrics::new();
        assert_eq!(
            send(app(&metrics), "GET", "/no/such/page").await,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            send(app(&metrics), "BREW", "/products/1").await,
            StatusCode::METHOD_NOT_ALLOWED
        );
        let rendered = metrics.render();
        assert_eq!(
            sample(
                &rendered,
                r#"niveau_http_requests_total{method="GET",route="unmatched",status="404"}"#
            ),
            Some(1.0),
            "{rendered}"
        );
        assert_eq!(
            sample(
                &rendered,
                r#"niveau_http_requests_total{method="OTHER",route="/products/{id}",status="405"}"#
            ),
            Some(1.0),
            "{rendered}"
        );
        assert!(!rendered.contains("/no/such/page"), "{rendered}");
        assert!(!rendered.contains("BREW"), "{rendered}");
    }

    #[tokio::test]
    async fn instances_do_not_share_counters() {
        let first = Metrics::new();
        let second = Metrics::new();
        send(app(&first), "GET", "/products/1").await;
        assert!(first.render().contains("niveau_http_requests_total{"));
        assert!(
            !second.render().contains("niveau_http_requests_total{"),
            "{}",
            second.render()
        );
    }
}
