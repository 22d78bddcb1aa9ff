//! The state every handler shares.

use std::sync::Arc;

use niveau_model::Registry;
use niveau_store::Store;

use crate::auth::oidc::OidcClient;
use crate::auth::ratelimit::LoginGuard;
use crate::config::WebConfig;
use crate::metrics::Metrics;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    app: niveau_app::App,
    config: WebConfig,
    metrics: Metrics,
    oidc: Option<OidcClient>,
    login_guard: LoginGuard,
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
        let login_guard = LoginGuard::new(config.login.guard_settings());
        let store = store.with_upload_limits(niveau_store::versions::UploadLimits {
            max_version_bytes: config.max_version_bytes,
            default_quota_bytes: config.upload_quota_bytes,
        });
        AppState {
            inner: Arc::new(Inner {
                app: niveau_app::App::new(store, registry),
                config,
                metrics: Metrics::new(),
                oidc,
                login_guard,
            }),
        }
    }

    /// The application layer: every operation goes through it.
    pub fn app(&self) -> &niveau_app::App {
        &self.inner.app
    }

    /// The store (reads for rendering; writes go through [`AppState::app`]).
    pub fn store(&self) -> &Store {
        self.inner.app.store()
    }

    /// The settings.
    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// The governance models.
    pub fn registry(&self) -> &Registry {
        self.inner.app.registry()
    }

    /// Request metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.inner.metrics
    }

    /// The single-sign-on client, if configured.
    pub fn oidc(&self) -> Option<&OidcClient> {
        self.inner.oidc.as_ref()
    }

    /// The password login's guard against guessing (rate limits and waits).
    pub fn login_guard(&self) -> &LoginGuard {
        &self.inner.login_guard
    }
}
