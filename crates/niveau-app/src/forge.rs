//! Repository issues for a round (#16): for a round with the option on, an issue in each
//! product's main repository (its first) asks the product group to update its
//! self-evaluation, with the deadline, the link to the editor, and the requirements the
//! latest published evaluation rated yellow, red or left unrated (our reading of "the
//! claims the last evaluation found undocumented": the evaluation's ratings are what the
//! secretariat published; the draft's proposals are not). The issue is updated instead
//! of opened again: its number is kept per round × product × repository
//! (`forge_issue`), and when that row is lost the issue is found again by a marker in its
//! body. It is closed once the self-evaluation is in ([`crate::rounds::updated_in_round`]).
//!
//! Forges: GitHub's REST API (`POST /repos/{o}/{r}/issues`, `PATCH .../issues/{n}`,
//! `GET .../issues?state=all`) and the Forgejo/Gitea API (the same paths under
//! `/api/v1`). One token per forge host in the configuration ([`ForgeConfig`]), sent
//! as `Authorization` and never logged or shown: [`ForgeToken`]'s `Debug` says
//! `[redacted]`. Every request goes to the configured API address only after the remote
//! policy allowed it ([`niveau_scan::remote_policy`]), to exactly the addresses checked,
//! without following redirects, with timeouts, and reading at most [`MAX_RESPONSE_BYTES`].
//!
//! Failures: a rate limit (429, or 403 with `X-RateLimit-Remaining: 0` or `Retry-After`),
//! a server error (5xx) or a network failure stops the run with [`SyncError::Retry`]; the
//! job runs again later and nothing is lost (every step is idempotent). Any other 4xx is
//! the product's problem: recorded on its row (shown on the round) and the run goes on.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use niveau_model::RatingEntry;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_store::entity::forge_issue;
use niveau_store::forge::IssueRecord;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, require};
use crate::principal::Caller;
use crate::rounds::{self, RoundState};

/// The job kind that opens, updates and closes a round's issues (payload `{"round_id"}`).
pub const FORGE_JOB: &str = "forge_issues";
/// The most of a forge's answer that is read.
pub const MAX_RESPONSE_BYTES: usize = 2 * 1024 * 1024;
/// How long one request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Which API a forge speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ForgeKind {
    /// GitHub's REST API.
    #[default]
    Github,
    /// Forgejo or Gitea (`/api/v1`).
    Forgejo,
}

/// A forge's API token. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct ForgeToken(String);

impl ForgeToken {
    /// A token.
    pub fn new(secret: impl Into<String>) -> ForgeToken {
        ForgeToken(secret.into().trim().to_owned())
    }
}

impl std::fmt::Debug for ForgeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForgeToken([redacted])")
    }
}

/// One forge host's configuration (`[web.forges."github.com"]`). The token itself is
/// never read from the configuration file (a `token` key is refused): it comes from
/// `token_file` or `token_env`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForgeConfig {
    /// The API's address: `https://api.github.com`, `https://codeberg.org/api/v1`.
    /// Default: `https://api.github.com` for github.com, `https://<host>/api/v1`
    /// otherwise.
    #[serde(default)]
    pub api: Option<String>,
    /// GitHub or Forgejo/Gitea.
    #[serde(default)]
    pub kind: ForgeKind,
    /// A file that holds the token.
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// An environment variable that holds the token.
    #[serde(default)]
    pub token_env: Option<String>,
    /// The token itself (tests, or set after reading the file); never read from a file.
    #[serde(skip)]
    pub token: Option<ForgeToken>,
}

impl ForgeConfig {
    /// The token: `token`, else the file, else the environment variable.
    pub fn resolve_token(&self) -> Result<ForgeToken, ForgeError> {
        if let Some(t) = &self.token {
            return Ok(t.clone());
        }
        if let Some(path) = &self.token_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ForgeError::Config(format!("token_file {}: {e}", path.display())))?;
            return Ok(ForgeToken::new(text));
        }
        if let Some(var) = &self.token_env {
            return std::env::var(var)
                .map(ForgeToken::new)
                .map_err(|_| ForgeError::Config(format!("token_env {var} is not set")));
        }
        Err(ForgeError::Config("no token configured".into()))
    }

    /// The host (and port, if not the scheme's) of the API address, for the policy.
    pub fn api_host(&self, host: &str) -> Option<String> {
        let url = url::Url::parse(&self.api_base(host)).ok()?;
        let h = url.host_str()?.to_ascii_lowercase();
        Some(match url.port() {
            Some(p) => format!("{h}:{p}"),
            None => h,
        })
    }

    /// The API's address without a trailing slash (the default for the host if none
    /// is configured).
    pub fn api_base(&self, host: &str) -> String {
        match &self.api {
            Some(api) => api.trim_end_matches('/').to_owned(),
            None if host == "github.com" => "https://api.github.com".into(),
            None => format!("https://{host}/api/v1"),
        }
    }
}

/// The forges the server talks to, and how.
#[derive(Debug, Clone)]
pub struct Forges {
    /// Host of the repository (`github.com`) → its forge.
    pub hosts: BTreeMap<String, ForgeConfig>,
    /// Which API addresses may be reached.
    pub policy: RemotePolicy,
    /// The server's public address, for the link to the editor.
    pub public_url: Option<String>,
}

/// Why a request to a forge failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForgeError {
    /// Rate limited: try again after the time given.
    #[error("rate limited ({status}); retry in {} s", retry_after.as_secs())]
    RateLimited {
        /// 429 or 403.
        status: u16,
        /// When to try again.
        retry_after: Duration,
    },
    /// The forge failed (5xx) or could not be reached: try again later.
    #[error("forge unavailable: {0}")]
    Unavailable(String),
    /// The forge refused the request (4xx): the product's repository or token is wrong.
    #[error("forge refused the request ({status}): {message}")]
    Refused {
        /// The status.
        status: u16,
        /// The forge's message, shortened.
        message: String,
    },
    /// The address or configuration is not allowed or incomplete.
    #[error("{0}")]
    Config(String),
}

impl ForgeError {
    /// Whether the run should stop and be tried again later.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ForgeError::RateLimited { .. } | ForgeError::Unavailable(_)
        )
    }
}

/// An issue as the forge reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForgeIssue {
    /// Its number.
    pub number: i64,
    /// Its page.
    pub url: Option<String>,
    /// `open` or `closed`.
    pub state: String,
}

/// A repository on a forge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoRef {
    /// `github.com`.
    pub host: String,
    /// Owner.
    pub owner: String,
    /// Name, without `.git`.
    pub name: String,
}

/// `https://github.com/OS2mo/os2mo(.git)` → host, owner, name.
pub fn parse_repository(location: &str) -> Option<RepoRef> {
    let url = url::Url::parse(location.trim()).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host,
    };
    let mut parts = url.path_segments()?.filter(|s| !s.is_empty());
    let owner = parts.next()?.to_owned();
    let name = parts.next()?.trim_end_matches(".git").to_owned();
    if parts.next().is_some() || name.is_empty() {
        return None;
    }
    Some(RepoRef { host, owner, name })
}

/// A client for one forge.
pub struct ForgeClient {
    http: reqwest::Client,
    base: String,
    kind: ForgeKind,
    token: ForgeToken,
}

impl std::fmt::Debug for ForgeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForgeClient")
            .field("base", &self.base)
            .field("kind", &self.kind)
            .field("token", &self.token)
            .finish()
    }
}

impl ForgeClient {
    /// A client for the forge of `host`, checked against the policy (and the addresses
    /// it resolves to, which the client then connects to and no others).
    pub fn new(
        host: &str,
        config: &ForgeConfig,
        policy: &RemotePolicy,
    ) -> Result<ForgeClient, ForgeError> {
        let base = config.api_base(host);
        let target = policy
            .check(&base)
            .map_err(|e| ForgeError::Config(format!("{base}: {e}")))?;
        let addresses = policy
            .resolve(&target)
            .map_err(|e| ForgeError::Config(format!("{base}: {e}")))?;
        let parsed = url::Url::parse(&base).map_err(|e| ForgeError::Config(e.to_string()))?;
        let mut builder = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent("niveau");
        if let (Some(h), false) = (parsed.host_str(), addresses.is_empty()) {
            builder = builder.resolve_to_addrs(h, &addresses);
        }
        let http = builder
            .build()
            .map_err(|e| ForgeError::Config(e.to_string()))?;
        Ok(ForgeClient {
            http,
            base,
            kind: config.kind,
            token: config.resolve_token()?,
        })
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ForgeError> {
        let scheme = match self.kind {
            ForgeKind::Github => "Bearer",
            ForgeKind::Forgejo => "token",
        };
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("{scheme} {}", self.token.0))
            .header("Accept", "application/json");
        if self.kind == ForgeKind::Github {
            req = req
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28");
        }
        if let Some(body) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        let mut res = req
            .send()
            .await
            .map_err(|e| ForgeError::Unavailable(e.without_url().to_string()))?;
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        let mut bytes = Vec::new();
        while let Some(chunk) = res
            .chunk()
            .await
            .map_err(|e| ForgeError::Unavailable(e.without_url().to_string()))?
        {
            if bytes.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(ForgeError::Unavailable(format!(
                    "answer larger than {MAX_RESPONSE_BYTES} bytes"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        if let Some(after) = rate_limited(status, &headers) {
            return Err(ForgeError::RateLimited {
                status,
                retry_after: after,
            });
        }
        if status >= 500 {
            return Err(ForgeError::Unavailable(format!("status {status}")));
        }
        if status >= 400 {
            let message = serde_json::from_slice::<Value>(&bytes)
                .ok()
                .and_then(|v| v["message"].as_str().map(str::to_owned))
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect();
            return Err(ForgeError::Refused { status, message });
        }
        if bytes.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&bytes)
            .map_err(|e| ForgeError::Unavailable(format!("answer is not JSON: {e}")))
    }

    fn issues_path(&self, repo: &RepoRef) -> String {
        format!("/repos/{}/{}/issues", repo.owner, repo.name)
    }

    /// The issue whose body holds `marker`, among the repository's newest 100 issues
    /// (open and closed).
    pub async fn find(
        &self,
        repo: &RepoRef,
        marker: &str,
    ) -> Result<Option<ForgeIssue>, ForgeError> {
        let query = match self.kind {
            ForgeKind::Github => "?state=all&per_page=100",
            ForgeKind::Forgejo => "?state=all&type=issues&limit=50",
        };
        let list = self
            .send(
                reqwest::Method::GET,
                &format!("{}{query}", self.issues_path(repo)),
                None,
            )
            .await?;
        Ok(list.as_array().and_then(|items| {
            items
                .iter()
                .filter(|i| i.get("pull_request").is_none_or(Value::is_null))
                .find(|i| i["body"].as_str().is_some_and(|b| b.contains(marker)))
                .and_then(issue_of)
        }))
    }

    /// Open an issue.
    pub async fn create(
        &self,
        repo: &RepoRef,
        title: &str,
        body: &str,
    ) -> Result<ForgeIssue, ForgeError> {
        let answer = self
            .send(
                reqwest::Method::POST,
                &self.issues_path(repo),
                Some(&json!({"title": title, "body": body})),
            )
            .await?;
        issue_of(&answer).ok_or_else(|| ForgeError::Unavailable("no issue number".into()))
    }

    /// Change an issue's title, body and state (`open`, `closed`).
    pub async fn update(
        &self,
        repo: &RepoRef,
        number: i64,
        title: Option<&str>,
        body: Option<&str>,
        state: &str,
    ) -> Result<ForgeIssue, ForgeError> {
        let mut patch = json!({"state": state});
        if let Some(t) = title {
            patch["title"] = json!(t);
        }
        if let Some(b) = body {
            patch["body"] = json!(b);
        }
        let answer = self
            .send(
                reqwest::Method::PATCH,
                &format!("{}/{number}", self.issues_path(repo)),
                Some(&patch),
            )
            .await?;
        Ok(issue_of(&answer).unwrap_or(ForgeIssue {
            number,
            url: None,
            state: state.to_owned(),
        }))
    }
}

fn issue_of(v: &Value) -> Option<ForgeIssue> {
    Some(ForgeIssue {
        number: v["number"].as_i64()?,
        url: v["html_url"].as_str().map(str::to_owned),
        state: v["state"].as_str().unwrap_or("open").to_owned(),
    })
}

/// A rate limit answer and how long to wait: 429, or 403 with `Retry-After` or
/// `X-RateLimit-Remaining: 0`; `Retry-After` seconds, else `X-RateLimit-Reset` (epoch
/// seconds) from now, else a minute; at most an hour.
fn rate_limited(status: u16, headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let retry_after = header("retry-after").and_then(|v| v.trim().parse::<u64>().ok());
    let exhausted = header("x-ratelimit-remaining").is_some_and(|v| v.trim() == "0");
    if status != 429 && !(status == 403 && (retry_after.is_some() || exhausted)) {
        return None;
    }
    let reset = header("x-ratelimit-reset")
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(|epoch| (epoch - chrono::Utc::now().timestamp()).max(1) as u64);
    let secs = retry_after.or(reset).unwrap_or(60).clamp(1, 3600);
    Some(Duration::from_secs(secs))
}

/// How a run ended for the round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Issues opened.
    pub opened: usize,
    /// Issues updated.
    pub updated: usize,
    /// Issues closed.
    pub closed: usize,
    /// Products whose repository refused (recorded on their row).
    pub failed: usize,
}

/// Why a run stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// A forge is rate limited or unavailable: run again after `after`.
    #[error("try again in {} s: {message}", after.as_secs())]
    Retry {
        /// When.
        after: Duration,
        /// Why.
        message: String,
    },
    /// The store or the round failed.
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<niveau_store::StoreError> for SyncError {
    fn from(e: niveau_store::StoreError) -> Self {
        SyncError::App(e.into())
    }
}

/// The marker in an issue's body that finds it again.
pub fn marker(round_id: i32, product_id: i32) -> String {
    format!("<!-- niveau-round-issue round={round_id} product={product_id} -->")
}

/// The requirements the product's latest published evaluation rated yellow, red or not
/// at all, with the secretariat's recommendation where it gave one.
async fn open_points(app: &App, product_id: i32) -> AppResult<Vec<(RatingEntry, bool)>> {
    let Some(view) = app.store().latest_published_evaluation(product_id).await? else {
        return Ok(Vec::new());
    };
    let entries: Vec<RatingEntry> =
        serde_json::from_value(view.current.ratings.clone()).unwrap_or_default();
    Ok(entries
        .into_iter()
        .filter_map(|e| match e.rating {
            None => Some((e, true)),
            Some(niveau_model::Rating::Yellow | niveau_model::Rating::Red) => Some((e, false)),
            Some(_) => None,
        })
        .collect())
}

/// The issue's title and body (Danish, with an English paragraph: a product group may
/// have members who read either).
pub fn issue_text(
    round: &niveau_store::entity::evaluation_round::Model,
    product: &niveau_store::entity::product::Model,
    editor: &str,
    points: &[(RatingEntry, bool)],
) -> (String, String) {
    let title = format!(
        "Opdatér selvevalueringen til {} / Update the self-evaluation for {}",
        round.name, round.name
    );
    let deadline = round.self_evaluation_deadline.format("%d.%m.%Y");
    let mut body = format!(
        "Evalueringsrunden **{}** er åbnet. Opdatér venligst selvevalueringen for {} senest **{deadline}**: {editor}\n\n\
         The evaluation round **{}** has opened. Please update the self-evaluation of {} by **{}**: {editor}\n",
        round.name,
        product.name,
        round.name,
        product.name,
        round.self_evaluation_deadline.format("%Y-%m-%d"),
    );
    if !points.is_empty() {
        body.push_str(
            "\nKrav som den seneste offentliggjorte evaluering vurderede gul, rød eller ikke dokumenteret / \
             Requirements the latest published evaluation rated yellow, red or not documented:\n\n",
        );
        for (entry, undocumented) in points {
            let rating = match (&entry.rating, undocumented) {
                (Some(r), _) => format!("{} / {}", r.label_da(), r.label_en()),
                (None, _) => "ikke dokumenteret / not documented".to_owned(),
            };
            body.push_str(&format!("- {} ({rating})", entry.requirement));
            if let Some(rec) = entry
                .recommendation
                .as_deref()
                .filter(|r| !r.trim().is_empty())
            {
                body.push_str(&format!(": {}", rec.replace(['\r', '\n'], " ")));
            }
            body.push('\n');
        }
    }
    body.push_str(&format!("\n{}\n", marker(round.id, product.id)));
    (title, body)
}

/// Open, update or close the issues of round `round_id` (the worker's job): each
/// product's main repository on a configured forge. Nothing happens for a round
/// without the option, or one that is not open.
pub async fn sync_round(
    app: &App,
    forges: &Forges,
    round_id: i32,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    if !app.store().forge_round_enabled(round_id).await? {
        return Ok(report);
    }
    let view = app.store().round(round_id).await?;
    let today = app.store().now().date_naive();
    if rounds::state(&view.round, today) != RoundState::Open {
        return Ok(report);
    }
    let known: BTreeMap<(i32, String), forge_issue::Model> = app
        .store()
        .forge_issues(round_id)
        .await?
        .into_iter()
        .map(|i| ((i.product_id, i.repository.clone()), i))
        .collect();
    let mut clients: BTreeMap<String, Result<ForgeClient, ForgeError>> = BTreeMap::new();
    for status in &view.products {
        let product = app.store().product(status.product_id).await?;
        let Some(location) = product.repositories.0.first().cloned() else {
            continue;
        };
        let record = |number: Option<i64>,
                      url: Option<String>,
                      state: &str,
                      err: Option<&ForgeError>| IssueRecord {
            round_id,
            product_id: product.id,
            repository: location.clone(),
            number,
            url,
            state: state.to_owned(),
            last_status: match err {
                Some(
                    ForgeError::Refused { status, .. } | ForgeError::RateLimited { status, .. },
                ) => Some(i32::from(*status)),
                _ => None,
            },
            last_error: err.map(ToString::to_string),
        };
        let Some(repo) = parse_repository(&location) else {
            let e = ForgeError::Config(format!("not a forge repository address: {location}"));
            app.store()
                .record_forge_issue(record(None, None, "failed", Some(&e)))
                .await?;
            report.failed += 1;
            continue;
        };
        let client = clients.entry(repo.host.clone()).or_insert_with(|| {
            match forges.hosts.get(&repo.host) {
                Some(config) => ForgeClient::new(&repo.host, config, &forges.policy),
                None => Err(ForgeError::Config(format!(
                    "no forge configured for {}",
                    repo.host
                ))),
            }
        });
        let client = match client {
            Ok(c) => c,
            Err(e) => {
                let e = e.clone();
                app.store()
                    .record_forge_issue(record(None, None, "failed", Some(&e)))
                    .await?;
                report.failed += 1;
                continue;
            }
        };
        let submitted = rounds::updated_in_round(view.round.opens_on, status);
        let existing = known.get(&(product.id, location.clone()));
        let outcome = step(
            app,
            forges,
            client,
            &repo,
            &view.round,
            &product,
            existing,
            submitted,
        )
        .await;
        match outcome {
            Ok(Some((issue, what))) => {
                match what {
                    Step::Opened => report.opened += 1,
                    Step::Updated => report.updated += 1,
                    Step::Closed => report.closed += 1,
                }
                app.store()
                    .record_forge_issue(record(Some(issue.number), issue.url, &issue.state, None))
                    .await?;
            }
            Ok(None) => {}
            Err(e) if e.is_retryable() => {
                tracing::warn!(round = round_id, product = %product.slug, error = %e, "forge unavailable; the run is tried again later");
                app.store()
                    .record_forge_issue(record(None, None, "failed", Some(&e)))
                    .await?;
                let after = match &e {
                    ForgeError::RateLimited { retry_after, .. } => *retry_after,
                    _ => Duration::from_secs(60),
                };
                return Err(SyncError::Retry {
                    after,
                    message: e.to_string(),
                });
            }
            Err(e) => {
                tracing::warn!(round = round_id, product = %product.slug, error = %e, "forge refused");
                app.store()
                    .record_forge_issue(record(None, None, "failed", Some(&e)))
                    .await?;
                report.failed += 1;
            }
        }
    }
    Ok(report)
}

enum Step {
    Opened,
    Updated,
    Closed,
}

#[allow(clippy::too_many_arguments)]
async fn step(
    app: &App,
    forges: &Forges,
    client: &ForgeClient,
    repo: &RepoRef,
    round: &niveau_store::entity::evaluation_round::Model,
    product: &niveau_store::entity::product::Model,
    existing: Option<&forge_issue::Model>,
    submitted: bool,
) -> Result<Option<(ForgeIssue, Step)>, ForgeError> {
    let mark = marker(round.id, product.id);
    let number = match existing.and_then(|e| e.number) {
        Some(n) => Some(n),
        None => client.find(repo, &mark).await?.map(|i| i.number),
    };
    if submitted {
        // The self-evaluation is in: close the issue, if there is one still open.
        return match (number, existing.map(|e| e.state.as_str())) {
            (Some(_), Some("closed")) | (None, _) => Ok(None),
            (Some(n), _) => Ok(Some((
                client.update(repo, n, None, None, "closed").await?,
                Step::Closed,
            ))),
        };
    }
    let points = open_points(app, product.id)
        .await
        .map_err(|e| ForgeError::Unavailable(e.to_string()))?;
    let editor = format!(
        "{}/produkter/{}/selvevaluering",
        forges
            .public_url
            .as_deref()
            .unwrap_or("")
            .trim_end_matches('/'),
        product.slug
    );
    let (title, body) = issue_text(round, product, &editor, &points);
    match number {
        Some(n) => Ok(Some((
            client
                .update(repo, n, Some(&title), Some(&body), "open")
                .await?,
            Step::Updated,
        ))),
        None => Ok(Some((
            client.create(repo, &title, &body).await?,
            Step::Opened,
        ))),
    }
}

/// A round's repository issues: whether the option is on, and each issue with its state
/// and last error.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RoundIssues {
    /// Issues are opened, updated and closed for the round.
    pub enabled: bool,
    /// Per product and repository.
    pub issues: Vec<forge_issue::Model>,
}

/// Round `id`'s repository issues (logged-in readers, like the round itself).
pub async fn status(app: &App, who: Caller<'_>, id: i32) -> AppResult<RoundIssues> {
    require(who, Action::ReadPortfolio)?;
    app.store().round(id).await?;
    Ok(RoundIssues {
        enabled: app.store().forge_round_enabled(id).await?,
        issues: app.store().forge_issues(id).await?,
    })
}

/// Turn repository issues on or off for round `id` (the secretariat); turning them on
/// queues a run.
pub async fn set_enabled(
    app: &App,
    who: Caller<'_>,
    id: i32,
    enabled: bool,
) -> AppResult<RoundIssues> {
    let who = require(who, Action::EditPortfolio)?;
    let before = app.store().forge_round_enabled(id).await?;
    app.store().set_forge_round(id, enabled).await?;
    if enabled && !before {
        app.store()
            .enqueue_job(&who.actor(), FORGE_JOB, json!({"round_id": id}))
            .await?;
    }
    status(app, Some(who), id).await
}

/// Queue a run for round `id` now (the secretariat).
pub async fn run_now(
    app: &App,
    who: Caller<'_>,
    id: i32,
) -> AppResult<niveau_store::entity::job::Model> {
    let who = require(who, Action::EditPortfolio)?;
    app.store().round(id).await?;
    Ok(app
        .store()
        .enqueue_job(&who.actor(), FORGE_JOB, json!({"round_id": id}))
        .await?)
}

/// Queue runs that are due (the worker calls this when its queue is empty): for each
/// round with the option on that is open today, a run when none was queued yet (the
/// round opened), when the last was queued a day ago or more, or when a product of the
/// round stored a self-evaluation since (to close its issue). Each run is queued once
/// even with several workers. Returns how many were queued.
pub async fn queue_due(app: &App) -> AppResult<usize> {
    let now = app.store().now();
    let today = now.date_naive();
    let mut queued = 0;
    for setting in app.store().forge_rounds().await? {
        let view = match app.store().round(setting.round_id).await {
            Ok(v) => v,
            Err(niveau_store::StoreError::NotFound { .. }) => continue,
            Err(e) => return Err(e.into()),
        };
        if rounds::state(&view.round, today) != RoundState::Open {
            continue;
        }
        let due = match setting.last_queued_at {
            None => true,
            Some(last) => {
                now - last >= chrono::Duration::days(1)
                    || view
                        .products
                        .iter()
                        .any(|p| p.self_evaluation_imported_at.is_some_and(|at| at >= last))
            }
        };
        if due
            && app
                .store()
                .claim_forge_run(setting.round_id, setting.last_queued_at)
                .await?
        {
            app.store()
                .enqueue_job(
                    &niveau_store::Actor::system("forge"),
                    FORGE_JOB,
                    json!({"round_id": setting.round_id}),
                )
                .await?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// Run a claimed job of kind [`FORGE_JOB`]: sync the round and mark the job done; a
/// rate limit or an unavailable forge puts it back in the queue for later; a job whose
/// payload does not read is abandoned.
pub async fn run_job(
    app: &App,
    forges: &Forges,
    worker: &str,
    job: &niveau_store::entity::job::Model,
) -> AppResult<()> {
    let Some(round_id) = job.payload["round_id"]
        .as_i64()
        .and_then(|n| i32::try_from(n).ok())
    else {
        app.store()
            .abandon_job(job.id, worker, "ugyldige jobdata: round_id mangler")
            .await?;
        return Ok(());
    };
    match sync_round(app, forges, round_id).await {
        Ok(report) => {
            tracing::info!(
                round = round_id,
                opened = report.opened,
                updated = report.updated,
                closed = report.closed,
                failed = report.failed,
                "repository issues synchronised"
            );
            app.store().complete_job(job.id, worker).await?;
        }
        Err(SyncError::Retry { after, message }) => {
            app.store()
                .fail_job(job.id, worker, &message, after)
                .await?;
        }
        Err(SyncError::App(e)) => {
            app.store()
                .fail_job(job.id, worker, &e.to_string(), Duration::from_secs(300))
                .await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_show_in_debug_output() {
        let config = ForgeConfig {
            token: Some(ForgeToken::new("ghp_topsecret123")),
            ..Default::default()
        };
        let text = format!("{config:?}");
        assert!(!text.contains("topsecret"), "{text}");
        assert!(text.contains("[redacted]"));
        let client = ForgeClient::new("github.com", &config, &RemotePolicy::local_user());
        let text = format!("{client:?}");
        assert!(!text.contains("topsecret"), "{text}");
    }

    #[test]
    fn repository_addresses_are_read() {
        assert_eq!(
            parse_repository("https://github.com/OS2mo/os2mo.git"),
            Some(RepoRef {
                host: "github.com".into(),
                owner: "OS2mo".into(),
                name: "os2mo".into()
            })
        );
        assert_eq!(
            parse_repository("http://127.0.0.1:8080/os2/kitos/").map(|r| r.host),
            Some("127.0.0.1:8080".into())
        );
        assert_eq!(parse_repository("https://github.com/OS2mo"), None);
        assert_eq!(parse_repository("not a url"), None);
    }

    #[test]
    fn rate_limits_are_recognised() {
        let mut h = reqwest::header::HeaderMap::new();
        assert_eq!(rate_limited(429, &h), Some(Duration::from_secs(60)));
        assert_eq!(rate_limited(403, &h), None);
        h.insert(
            "retry-after",
            reqwest::header::HeaderValue::from_static("7"),
        );
        assert_eq!(rate_limited(403, &h), Some(Duration::from_secs(7)));
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(
            "x-ratelimit-remaining",
            reqwest::header::HeaderValue::from_static("0"),
        );
        assert!(rate_limited(403, &h).is_some());
        assert_eq!(rate_limited(404, &h), None);
    }
}
