//! The state every handler shares.

use std::sync::Arc;
use std::time::Duration;

use niveau_model::Registry;
use niveau_store::Store;

use crate::auth::oidc::OidcClient;
use crate::auth::ratelimit::RateLimiter;
use crate::config::WebConfig;
use crate::metrics::Metrics;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    config: WebConfig,
    registry: Arc<Registry>,
    metrics: Metrics,
    oidc: Option<OidcClient>,
    login_limiter: RateLimiter,
}

impl AppState {
    /// Assemble the state. `oidc` is the discovered client when single sign-on is configured.
    /// The store gets the upload limits of `config`.
    pub fn new(
        store: Store,
        config: WebConfig,
        registry: Arc<Registry>,
        oidc: Option<OidcClient>,
    ) -> AppState {
        let limiter = RateLimiter::new(config.login.attempts_per_minute, Duration::from_secs(60));
        let store = store.with_upload_limits(niveau_store::versions::UploadLimits {
            max_version_bytes: config.max_version_bytes,
            default_quota_bytes: config.upload_quota_bytes,
        });
        AppState {
            inner: Arc::new(Inner {
                store,
                config,
                registry,
                metrics: Metrics::new(),
                oidc,
                login_limiter: limiter,
            }),
        }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The settings.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// The governance models.
    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    /// Request metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The single-sign-on client, if configured.
    pub fn oidc(&self) -> Option<&OidcClient> {
        self.inner.oidc.as_ref()
    }

    /// The login rate limiter.
    pub fn login_limiter(&self) -> &RateLimiter {
        &self.inner.login_limiter
    }
}
