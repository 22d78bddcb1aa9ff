//! The web application's settings. The binary reads them (niveau.toml, NIVEAU_* variables,
//! flags) and hands them over; this crate never reads the environment.

use std::time::Duration;

use niveau_store::types::Role;
use serde::Deserialize;

use crate::auth::oidc::OidcSettings;
use crate::auth::ratelimit::GuardSettings;

/// Settings of the web application.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// The address people use (`https://niveau.os2.eu`). Decides whether cookies are
    /// marked Secure, and is the base of links in e-mails and the OpenAPI document.
    pub public_url: Option<String>,
    /// Force the Secure flag on cookies on or off (default: on when `public_url` is https).
    pub secure_cookies: Option<bool>,
    /// How long a session lives without use, in hours (1 to 8784; larger values count
    /// as 8784).
    pub session_hours: u32,
    /// Login protection.
    pub login: LoginConfig,
    /// Single sign-on; none disables it.
    pub oidc: Option<OidcConfig>,
    /// The background worker (repository scans).
    pub worker: WorkerConfig,
    /// A request that takes longer is answered with 408.
    pub request_timeout_seconds: u64,
    /// The largest request body (uploads of reports), in bytes.
    pub max_body_bytes: usize,
    /// The most bytes one product's stored self-evaluation versions may take together,
    /// unless the secretariat gave the product a quota of its own.
    pub upload_quota_bytes: i64,
    /// The most bytes one stored self-evaluation version may take (uploaded text,
    /// document and warnings).
    pub max_version_bytes: i64,
    /// The database holds example data (`niveau serve --demo`); pages and the API say so.
    pub demo: bool,
    /// Trust `X-Forwarded-For` for the client address (only behind your own proxy).
    pub trust_forwarded_for: bool,
    /// Forges for a round's repository issues, by the repositories' host
    /// (`[web.forges."github.com"]`); none configured: no issues are opened.
    pub forges: std::collections::BTreeMap<String, niveau_app::forge::ForgeConfig>,
    /// The static site published after each publication of an evaluation: niveau.toml's
    /// top-level `[publish]` section (copied here by the command line's configuration).
    #[serde(skip)]
    pub publish: PublishConfig,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            public_url: None,
            secure_cookies: None,
            session_hours: 12,
            login: LoginConfig::default(),
            oidc: None,
            worker: WorkerConfig::default(),
            request_timeout_seconds: 30,
            max_body_bytes: 5 * 1024 * 1024,
            upload_quota_bytes: niveau_store::versions::DEFAULT_UPLOAD_QUOTA_BYTES,
            max_version_bytes: niveau_store::versions::DEFAULT_MAX_VERSION_BYTES,
            demo: false,
            publish: PublishConfig::default(),
            trust_forwarded_for: false,
            forges: Default::default(),
        }
    }
}

impl WebConfig {
    /// The forges for repository issues, with the policy their API addresses must pass:
    /// the configured API hosts only, https (http only when the worker allows it), every
    /// address checked (loopback only in tests, as for clones).
    pub fn forges(&self) -> niveau_app::forge::Forges {
        let hosts: Vec<String> = self
            .forges
            .iter()
            .filter_map(|(host, c)| c.api_host(host))
            .collect();
        let mut policy =
            niveau_scan::remote_policy::RemotePolicy::server(hosts, self.worker.allow_http, false);
        policy.allow_loopback = self.worker.allow_loopback_for_tests;
        niveau_app::forge::Forges {
            hosts: self.forges.clone(),
            policy,
            public_url: self.public_url.clone(),
        }
    }

    /// Whether cookies carry the Secure flag.
    pub fn cookies_secure(&self) -> bool {
        self.secure_cookies.unwrap_or_else(|| {
            self.public_url
                .as_deref()
                .is_some_and(|u| u.starts_with("https://"))
        })
    }

    /// The session lifetime: `session_hours`, at least 1 and at most a year (8784 hours),
    /// so the session's expiry can always be computed.
    pub fn session_ttl(&self) -> chrono::Duration {
        chrono::Duration::hours(i64::from(self.session_hours.clamp(1, 8784)))
    }
}

/// Login protection (see [`crate::auth::ratelimit`] for how the limits work together).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LoginConfig {
    /// Failed logins in a row of one client on one account before that client has to wait
    /// before trying that account again. Other clients are not affected.
    pub max_failures: i32,
    /// The longest such wait, in minutes (the waits start at `first_wait_seconds` and
    /// double with each further failure).
    pub lock_minutes: i64,
    /// The first wait after `max_failures` failures, in seconds.
    pub first_wait_seconds: u64,
    /// Login attempts per client address per minute, successful or not.
    pub attempts_per_minute: u32,
    /// Failed logins per client address per hour, on any account.
    pub failures_per_hour: u32,
    /// Failed logins on one account per hour from all clients; past it every client that
    /// fails on the account waits after its first failure.
    pub account_failures_per_hour: u32,
}

impl Default for LoginConfig {
    fn default() -> Self {
        LoginConfig {
            max_failures: 5,
            lock_minutes: 15,
            first_wait_seconds: 60,
            attempts_per_minute: 20,
            failures_per_hour: 30,
            account_failures_per_hour: 20,
        }
    }
}

impl LoginConfig {
    /// The limits of the login guard.
    pub fn guard_settings(&self) -> GuardSettings {
        let minutes = u64::try_from(self.lock_minutes.max(0)).unwrap_or(0);
        GuardSettings {
            attempts_per_minute: self.attempts_per_minute,
            failures_per_hour: self.failures_per_hour,
            free_failures: u32::try_from(self.max_failures.max(0)).unwrap_or(0),
            first_wait: Duration::from_secs(self.first_wait_seconds.max(1)),
            longest_wait: Duration::from_secs(minutes.saturating_mul(60)),
            account_failures_per_hour: self.account_failures_per_hour,
        }
    }
}

/// Single sign-on with OpenID Connect, as written under `[oidc]` in niveau.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcConfig {
    /// The provider's issuer URL (discovery is read from it).
    pub issuer_url: String,
    /// Client id registered at the provider.
    pub client_id: String,
    /// Client secret.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Where the provider sends people back: `<public_url>/auth/oidc/callback`.
    pub redirect_url: String,
    /// Scopes besides `openid`.
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// The text of the login button.
    #[serde(default = "default_label")]
    pub label: String,
    /// Create an account at the first login of an unknown person.
    #[serde(default)]
    pub create_users: bool,
    /// Roles of accounts created at first login.
    #[serde(default = "default_roles")]
    pub default_roles: Vec<Role>,
}

fn default_scopes() -> Vec<String> {
    vec!["email".into(), "profile".into()]
}

fn default_label() -> String {
    "Log ind med single sign-on".into()
}

fn default_roles() -> Vec<Role> {
    vec![Role::Laeser]
}

impl OidcConfig {
    /// The settings the OIDC client needs.
    pub fn settings(&self) -> OidcSettings {
        OidcSettings {
            issuer_url: self.issuer_url.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            redirect_url: self.redirect_url.clone(),
            scopes: self.scopes.clone(),
        }
    }
}

/// The background worker.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerConfig {
    /// Run a worker in this instance.
    pub enabled: bool,
    /// Seconds between looks at the queue when it is empty.
    pub poll_seconds: u64,
    /// Seconds a worker holds a job before another may take it.
    pub lease_seconds: u64,
    /// Where cloned repositories are kept (default: a folder in the system's temp dir).
    pub cache_dir: Option<std::path::PathBuf>,
    /// The forges repositories may be cloned from: `host`, `host:port` or
    /// `*.domain`. Product repositories elsewhere are refused when saved and not scanned.
    pub allowed_hosts: Vec<String>,
    /// Allow `ssh://` and `git@host:path` locations (runs the `ssh` program).
    pub allow_ssh: bool,
    /// Allow unencrypted `http://` locations.
    pub allow_http: bool,
    /// The most bytes one clone may take on disk; a larger clone is stopped, removed and
    /// reported, and not tried again.
    pub max_clone_bytes: u64,
    /// The longest one clone may take, in seconds (the job's lease bounds it too).
    pub clone_timeout_seconds: u64,
    /// Let the worker clone from loopback addresses: only for tests that serve a
    /// repository on 127.0.0.1. Never read from the configuration file or environment.
    #[serde(skip)]
    pub allow_loopback_for_tests: bool,
}

impl WorkerConfig {
    /// The policy for product repository locations.
    pub fn remote_policy(&self) -> niveau_scan::remote_policy::RemotePolicy {
        let mut policy = niveau_scan::remote_policy::RemotePolicy::server(
            self.allowed_hosts.clone(),
            self.allow_http,
            self.allow_ssh,
        );
        policy.allow_loopback = self.allow_loopback_for_tests;
        policy
    }
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            enabled: true,
            poll_seconds: 2,
            lease_seconds: 600,
            cache_dir: None,
            allowed_hosts: niveau_scan::remote_policy::DEFAULT_ALLOWED_HOSTS
                .iter()
                .map(|h| (*h).to_owned())
                .collect(),
            allow_ssh: false,
            allow_http: false,
            max_clone_bytes: 500 * 1024 * 1024,
            clone_timeout_seconds: 300,
            allow_loopback_for_tests: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_9_session_lifetime_is_bounded() {
        let mut c = WebConfig {
            session_hours: u32::MAX,
            ..WebConfig::default()
        };
        assert_eq!(c.session_ttl(), chrono::Duration::hours(8784));
        let now = chrono::Utc::now();
        assert!(now.checked_add_signed(c.session_ttl()).is_some());
        c.session_hours = 0;
        assert_eq!(c.session_ttl(), chrono::Duration::hours(1));
    }

    #[test]
    fn secure_cookies_follow_the_public_url() {
        let mut c = WebConfig::default();
        assert!(!c.cookies_secure());
        c.public_url = Some("https://niveau.example".into());
        assert!(c.cookies_secure());
        c.secure_cookies = Some(false);
        assert!(!c.cookies_secure());
    }

    #[test]
    fn the_loopback_switch_is_not_configurable() {
        let parsed: Result<WorkerConfig, _> =
            serde_json::from_value(serde_json::json!({"allow_loopback_for_tests": true}));
        assert!(parsed.is_err(), "an unknown field");
        let c: WorkerConfig = serde_json::from_value(serde_json::json!({})).unwrap();
        assert!(!c.allow_loopback_for_tests);
        assert!(!c.remote_policy().allow_loopback);
        assert_eq!(c.allowed_hosts[0], "github.com");
    }
}

/// `[publish]`: the static site (`niveau publish`), published by the worker after each
/// publication of an evaluation. Off unless `git_url` or `out_dir` is set.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(default, deny_unknown_fields)]
pub struct PublishConfig {
    /// The git repository to commit the site to and push (https:// to `allowed_hosts`,
    /// or ssh://); none: no push.
    pub git_url: Option<String>,
    /// The branch.
    pub branch: String,
    /// The path the site is served under (`/niveau/` for a GitHub Pages project site).
    pub base_path: String,
    /// A directory to write the site into (served by a web server); none: not written.
    pub out_dir: Option<std::path::PathBuf>,
    /// The hosts `git_url` may name.
    pub allowed_hosts: Vec<String>,
    /// Let the worker push to a repository on this machine (`file://`): only for tests.
    /// Never read from the configuration file or environment.
    #[serde(skip)]
    pub allow_file_for_tests: bool,
}

impl Default for PublishConfig {
    fn default() -> Self {
        PublishConfig {
            git_url: None,
            branch: "gh-pages".to_owned(),
            base_path: "/".to_owned(),
            out_dir: None,
            allowed_hosts: vec!["github.com".to_owned()],
            allow_file_for_tests: false,
        }
    }
}

impl PublishConfig {
    /// Whether the server publishes the static site at all.
    pub fn enabled(&self) -> bool {
        self.git_url.is_some() || self.out_dir.is_some()
    }

    /// The policy for `git_url`: https to `allowed_hosts`, ssh allowed (a deploy key),
    /// every address checked.
    pub fn remote_policy(&self) -> niveau_scan::remote_policy::RemotePolicy {
        niveau_scan::remote_policy::RemotePolicy::server(self.allowed_hosts.clone(), false, true)
    }
}
