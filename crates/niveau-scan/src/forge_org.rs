//! The repositories of a forge organisation: `niveau check --org LOCATION` checks a whole
//! product that lives in one GitHub organisation (or user), Forgejo/Gitea organisation or
//! GitLab group.
//!
//! [`OrgLocation::parse`] reads the location (`https://github.com/OS2mo`,
//! `https://codeberg.org/ORG`, `https://gitlab.com/GROUP`, or with an explicit kind
//! `github:ORG`, `forgejo:https://host/ORG`, `gitlab:https://host/GROUP`); the kind is
//! guessed from github.com, gitlab.com and codeberg.org, else it must be named.
//! [`list_repositories`] pages through the forge's API under [`ListLimits`] (at most
//! [`MAX_REPOSITORIES`] repositories, a bounded number of pages, a body limit per page,
//! timeouts) and sorts each repository into listed or skipped ([`OrgListing`]): archived
//! repositories and forks are skipped unless asked for, private ones always (they cannot
//! be part of an open-source product's public evidence), and a clone URL that is not on
//! the organisation's own scheme, host and port, or that the [`RemotePolicy`] refuses, is
//! skipped with the reason — a forge's answer cannot send a clone elsewhere.
//!
//! The API location itself passes the same [`RemotePolicy`] as clone locations (scheme,
//! host, addresses when the policy checks them). An optional token ([`TOKEN_VAR`]) goes
//! into the `Authorization` header only, never into a message or a log.

use std::time::Duration;

use niveau_model::Msg;
use serde::{Deserialize, Serialize};

use crate::remote_policy::{Host, Refusal, RemotePolicy, RemoteTarget, Scheme};

/// The environment variable whose value, when set, is sent as the API token.
pub const TOKEN_VAR: &str = "NIVEAU_FORGE_TOKEN";

/// The most repositories one organisation may list; more, and the listing stops there
/// and says so ([`OrgListing::truncated`]).
pub const MAX_REPOSITORIES: usize = 1000;

/// Which forge's API an organisation is listed through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ForgeKind {
    /// GitHub (github.com or GitHub Enterprise): organisations, or users.
    GitHub,
    /// Forgejo or Gitea (codeberg.org and self-hosted).
    Forgejo,
    /// GitLab groups, with their subgroups.
    GitLab,
}

impl ForgeKind {
    /// The kind's name as written before a location (`github`, `forgejo`, `gitlab`).
    pub fn as_str(self) -> &'static str {
        match self {
            ForgeKind::GitHub => "github",
            ForgeKind::Forgejo => "forgejo",
            ForgeKind::GitLab => "gitlab",
        }
    }

    /// Repositories asked for per page.
    fn page_size(self) -> usize {
        match self {
            ForgeKind::Forgejo => 50,
            ForgeKind::GitHub | ForgeKind::GitLab => 100,
        }
    }
}

/// A parsed organisation location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgLocation {
    /// The forge's kind.
    pub kind: ForgeKind,
    /// The forge's web address without a trailing slash (`https://github.com`): clone
    /// URLs must be on its scheme, host and port.
    pub web: String,
    /// The organisation, user or group (`OS2mo`; a GitLab group may be `a/b`).
    pub org: String,
    /// The API base the listing reads (`https://api.github.com`,
    /// `https://codeberg.org`); `--forge-api` replaces it.
    pub api: String,
}

/// Why a location cannot be read as an organisation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LocationError {
    /// Not `https://host/ORG` or `KIND:…`.
    #[error("{}", self.msg().da)]
    Malformed(String),
    /// A kind before the colon that is not github, forgejo (gitea) or gitlab.
    #[error("{}", self.msg().da)]
    UnknownKind(String),
    /// A host whose kind cannot be guessed.
    #[error("{}", self.msg().da)]
    KindNeeded(String),
}

impl LocationError {
    /// The error in Danish and English.
    pub fn msg(&self) -> Msg {
        const FORMS_DA: &str = "skriv fx https://github.com/OS2mo, github:OS2mo, \
             forgejo:https://vært/ORG eller gitlab:https://vært/GRUPPE";
        const FORMS_EN: &str = "write e.g. https://github.com/OS2mo, github:OS2mo, \
             forgejo:https://host/ORG or gitlab:https://host/GROUP";
        match self {
            LocationError::Malformed(l) => Msg::new(
                format!("--org {l}: ikke en organisation; {FORMS_DA}"),
                format!("--org {l}: not an organisation; {FORMS_EN}"),
            ),
            LocationError::UnknownKind(k) => Msg::new(
                format!("--org: ukendt slags forge `{k}`; kendte: github, forgejo, gitea, gitlab"),
                format!(
                    "--org: unknown kind of forge `{k}`; known: github, forgejo, gitea, gitlab"
                ),
            ),
            LocationError::KindNeeded(h) => Msg::new(
                format!(
                    "--org: hvilken slags forge {h} er, kan ikke gættes; skriv github:, forgejo: eller gitlab: foran adressen"
                ),
                format!(
                    "--org: the kind of forge {h} is cannot be guessed; write github:, forgejo: or gitlab: before the location"
                ),
            ),
        }
    }
}

/// Whether `name` is a plausible organisation, user, group or subgroup name: letters,
/// digits, `.`, `_`, `-`, not `.` or `..`, at most 100 characters.
fn valid_segment(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name != "."
        && name != ".."
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

impl OrgLocation {
    /// Reads a location. The API base is the kind's default for the host; `api`
    /// (`--forge-api`) replaces it.
    pub fn parse(location: &str, api: Option<&str>) -> Result<OrgLocation, LocationError> {
        let malformed = || LocationError::Malformed(location.chars().take(200).collect());
        let trimmed = location.trim();
        if trimmed.is_empty()
            || trimmed.len() > 2000
            || trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(malformed());
        }
        let (kind, rest) = match trimmed.split_once(':') {
            Some((k, rest)) if !rest.starts_with("//") => {
                let kind = match k.to_ascii_lowercase().as_str() {
                    "github" => ForgeKind::GitHub,
                    "forgejo" | "gitea" => ForgeKind::Forgejo,
                    "gitlab" => ForgeKind::GitLab,
                    _ => return Err(LocationError::UnknownKind(k.chars().take(40).collect())),
                };
                (Some(kind), rest)
            }
            _ => (None, trimmed),
        };
        let (web, path) = if let Some(after) = rest
            .strip_prefix("https://")
            .map(|a| ("https://", a))
            .or_else(|| rest.strip_prefix("http://").map(|a| ("http://", a)))
        {
            let (scheme, after) = after;
            let (authority, path) = after.split_once('/').ok_or_else(malformed)?;
            if authority.is_empty() || authority.contains('@') {
                return Err(malformed());
            }
            (
                format!("{scheme}{}", authority.to_ascii_lowercase()),
                path.to_owned(),
            )
        } else if rest.contains("://") {
            return Err(malformed());
        } else {
            // `github:ORG` and `gitlab:GROUP` name the public forge; Forgejo has none.
            match kind {
                Some(ForgeKind::GitHub) => ("https://github.com".to_owned(), rest.to_owned()),
                Some(ForgeKind::GitLab) => ("https://gitlab.com".to_owned(), rest.to_owned()),
                _ => return Err(malformed()),
            }
        };
        let host = web
            .split_once("://")
            .map(|(_, h)| h)
            .unwrap_or_default()
            .to_owned();
        let kind = match kind {
            Some(k) => k,
            None => match host.as_str() {
                "github.com" | "www.github.com" => ForgeKind::GitHub,
                "gitlab.com" => ForgeKind::GitLab,
                "codeberg.org" => ForgeKind::Forgejo,
                _ => return Err(LocationError::KindNeeded(host.chars().take(200).collect())),
            },
        };
        let web = web.replace("://www.github.com", "://github.com");
        let org = path.trim_end_matches('/');
        let segments: Vec<&str> = org.split('/').collect();
        let segments_ok = segments.iter().all(|s| valid_segment(s));
        let count_ok = match kind {
            ForgeKind::GitLab => (1..=20).contains(&segments.len()),
            ForgeKind::GitHub | ForgeKind::Forgejo => segments.len() == 1,
        };
        if !segments_ok || !count_ok {
            return Err(malformed());
        }
        let api = match api {
            Some(a) => a.trim().trim_end_matches('/').to_owned(),
            None if kind == ForgeKind::GitHub && web == "https://github.com" => {
                "https://api.github.com".to_owned()
            }
            // GitHub Enterprise.
            None if kind == ForgeKind::GitHub => format!("{web}/api/v3"),
            None => web.clone(),
        };
        Ok(OrgLocation {
            kind,
            web,
            org: org.to_owned(),
            api,
        })
    }

    /// The location as shown and stored: `KIND:WEB/ORG`.
    pub fn display(&self) -> String {
        format!("{}:{}/{}", self.kind.as_str(), self.web, self.org)
    }

    /// The name of a product named after the organisation: its last segment.
    pub fn name(&self) -> &str {
        self.org.rsplit('/').next().unwrap_or(&self.org)
    }

    /// The URL of one page of the listing; `users` for GitHub's user fallback.
    fn page_url(&self, page: usize, users: bool) -> String {
        match self.kind {
            ForgeKind::GitHub => format!(
                "{}/{}/{}/repos?per_page=100&page={page}",
                self.api,
                if users { "users" } else { "orgs" },
                self.org
            ),
            ForgeKind::Forgejo => format!(
                "{}/api/v1/orgs/{}/repos?limit=50&page={page}",
                self.api, self.org
            ),
            ForgeKind::GitLab => format!(
                "{}/api/v4/groups/{}/projects?per_page=100&page={page}&include_subgroups=true",
                self.api,
                self.org.replace('/', "%2F")
            ),
        }
    }
}

/// One repository as the forge lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrgRepository {
    /// Its name (GitLab: the path with its namespace, `group/sub/project`).
    pub name: String,
    /// Its https (or, on an http forge, http) clone URL.
    pub clone_url: String,
    /// Its default branch, when the forge names one.
    pub default_branch: Option<String>,
    /// Archived (read-only).
    pub archived: bool,
    /// A fork of another repository.
    pub fork: bool,
    /// Private (or GitLab `internal`).
    pub private: bool,
    /// The last push (GitHub), update (Forgejo) or activity (GitLab), as the forge
    /// writes it (RFC 3339).
    pub last_activity: Option<String>,
}

/// Why a listed repository is not checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The repository's name.
    pub name: String,
    /// Why, in Danish and English.
    pub reason: Msg,
}

/// The outcome of listing an organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgListing {
    /// The repositories to check, in the forge's order.
    pub listed: Vec<OrgRepository>,
    /// The repositories not checked, with the reason.
    pub skipped: Vec<Skipped>,
    /// The listing stopped at [`MAX_REPOSITORIES`] or at [`ListLimits::max_pages`]
    /// while the forge had more.
    pub truncated: bool,
    /// Requests made (pages read).
    pub pages: usize,
}

/// What to include, and how much to read.
#[derive(Debug, Clone)]
pub struct ListLimits {
    /// Include archived repositories.
    pub include_archived: bool,
    /// Include forks.
    pub include_forks: bool,
    /// The most pages read.
    pub max_pages: usize,
    /// The most bytes of one page's body.
    pub max_body: u64,
    /// The longest one request may take, connection and body included.
    pub timeout: Duration,
    /// The most repositories listed (skipped ones included).
    pub max_repositories: usize,
}

impl Default for ListLimits {
    fn default() -> Self {
        ListLimits {
            include_archived: false,
            include_forks: false,
            // 1,000 repositories at Forgejo's 50 a page, and one page to see there are more.
            max_pages: 21,
            max_body: 8 * 1024 * 1024,
            timeout: Duration::from_secs(30),
            max_repositories: MAX_REPOSITORIES,
        }
    }
}

/// A token for the forge's API. Its `Debug` does not show it.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// A token, `None` when empty.
    pub fn new(value: &str) -> Option<Token> {
        let value = value.trim();
        (!value.is_empty()).then(|| Token(value.to_owned()))
    }

    /// The token from [`TOKEN_VAR`], if set and not empty.
    pub fn from_env() -> Option<Token> {
        std::env::var(TOKEN_VAR).ok().and_then(|v| Token::new(&v))
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// Why an organisation could not be listed. Every variant names the URL read; none
/// holds the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ForgeError {
    /// The API location is refused by the policy.
    #[error("{}", self.msg().da)]
    Refused {
        /// The API URL.
        url: String,
        /// Why.
        refusal: Refusal,
    },
    /// The API must be reached over http(s).
    #[error("{}", self.msg().da)]
    NotHttp(String),
    /// A token would be sent unencrypted to a host other than this machine.
    #[error("{}", self.msg().da)]
    TokenOverHttp(String),
    /// The forge could not be reached, or the answer not read.
    #[error("{}", self.msg().da)]
    Transport {
        /// The page URL.
        url: String,
        /// What went wrong.
        why: Msg,
    },
    /// The organisation (and, on GitHub, the user) does not exist.
    #[error("{}", self.msg().da)]
    NotFound(String),
    /// Another status than 200.
    #[error("{}", self.msg().da)]
    Status {
        /// The page URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The page is not the JSON list of repositories expected.
    #[error("{}", self.msg().da)]
    Malformed {
        /// The page URL.
        url: String,
        /// What is wrong with it.
        why: Msg,
    },
}

impl ForgeError {
    /// The error in Danish and English.
    pub fn msg(&self) -> Msg {
        match self {
            ForgeError::Refused { url, refusal } => Msg::new(
                format!("{url}: {}", refusal.message(false)),
                format!("{url}: {}", refusal.message(true)),
            ),
            ForgeError::NotHttp(url) => Msg::new(
                format!("{url}: forgens API læses kun over https:// (eller http://)"),
                format!("{url}: the forge's API is read over https:// (or http://) only"),
            ),
            ForgeError::TokenOverHttp(url) => Msg::new(
                format!(
                    "{url}: {TOKEN_VAR} sendes ikke ukrypteret over http:// til en anden maskine; brug https://"
                ),
                format!(
                    "{url}: {TOKEN_VAR} is not sent unencrypted over http:// to another machine; use https://"
                ),
            ),
            ForgeError::Transport { url, why } => Msg::new(
                format!("{url}: forgen kunne ikke læses: {}", why.da),
                format!("{url}: the forge could not be read: {}", why.en),
            ),
            ForgeError::NotFound(url) => Msg::new(
                format!(
                    "{url}: HTTP 404: organisationen findes ikke på forgen (eller kan ikke ses uden {TOKEN_VAR})"
                ),
                format!(
                    "{url}: HTTP 404: the organisation does not exist on the forge (or cannot be seen without {TOKEN_VAR})"
                ),
            ),
            ForgeError::Status {
                url,
                status: status @ (401 | 403 | 429),
            } => Msg::new(
                format!(
                    "{url}: forgen svarede HTTP {status} (adgang nægtet eller for mange kald; et token i {TOKEN_VAR} kan hjælpe)"
                ),
                format!(
                    "{url}: the forge answered HTTP {status} (access denied or too many requests; a token in {TOKEN_VAR} may help)"
                ),
            ),
            ForgeError::Status { url, status } => Msg::new(
                format!("{url}: forgen svarede HTTP {status}"),
                format!("{url}: the forge answered HTTP {status}"),
            ),
            ForgeError::Malformed { url, why } => Msg::new(
                format!(
                    "{url}: svaret er ikke den forventede JSON-liste af repositorier: {}",
                    why.da
                ),
                format!(
                    "{url}: the answer is not the expected JSON list of repositories: {}",
                    why.en
                ),
            ),
        }
    }
}

/// What went wrong with a request, in both languages.
fn transport_msg(e: &ureq::Error) -> Msg {
    let en = e.to_string();
    let da = match e {
        ureq::Error::Io(io) => return Msg::io(io),
        ureq::Error::Timeout(_) => "tiden løb ud".to_owned(),
        ureq::Error::HostNotFound => "værten findes ikke".to_owned(),
        ureq::Error::ConnectionFailed => "der kunne ikke skabes forbindelse".to_owned(),
        ureq::Error::BodyExceedsLimit(n) => format!("svaret er større end grænsen på {n} byte"),
        ureq::Error::Tls(_) | ureq::Error::Pem(_) | ureq::Error::Rustls(_) => {
            "den krypterede forbindelse (TLS) mislykkedes".to_owned()
        }
        _ => "forbindelsen eller svaret mislykkedes".to_owned(),
    };
    Msg::new(da, en)
}

/// A GitHub repository; unknown fields are ignored.
#[derive(Debug, Deserialize)]
struct GitHubRepo {
    name: String,
    clone_url: String,
    #[serde(default)]
    default_branch: Option<String>,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    fork: bool,
    #[serde(default)]
    private: bool,
    #[serde(default)]
    pushed_at: Option<String>,
}

/// A Forgejo/Gitea repository.
#[derive(Debug, Deserialize)]
struct ForgejoRepo {
    name: String,
    clone_url: String,
    #[serde(default)]
    default_branch: Option<String>,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    fork: bool,
    #[serde(default)]
    private: bool,
    #[serde(default)]
    updated_at: Option<String>,
}

/// A GitLab project.
#[derive(Debug, Deserialize)]
struct GitLabProject {
    path_with_namespace: String,
    http_url_to_repo: String,
    #[serde(default)]
    default_branch: Option<String>,
    #[serde(default)]
    archived: bool,
    #[serde(default)]
    forked_from_project: Option<serde_json::Value>,
    #[serde(default)]
    visibility: Option<String>,
    #[serde(default)]
    last_activity_at: Option<String>,
}

/// One page's repositories in the common shape.
fn parse_page(kind: ForgeKind, body: &[u8]) -> Result<Vec<OrgRepository>, serde_json::Error> {
    Ok(match kind {
        ForgeKind::GitHub => serde_json::from_slice::<Vec<GitHubRepo>>(body)?
            .into_iter()
            .map(|r| OrgRepository {
                name: r.name,
                clone_url: r.clone_url,
                default_branch: r.default_branch,
                archived: r.archived,
                fork: r.fork,
                private: r.private,
                last_activity: r.pushed_at,
            })
            .collect(),
        ForgeKind::Forgejo => serde_json::from_slice::<Vec<ForgejoRepo>>(body)?
            .into_iter()
            .map(|r| OrgRepository {
                name: r.name,
                clone_url: r.clone_url,
                default_branch: r.default_branch,
                archived: r.archived,
                fork: r.fork,
                private: r.private,
                last_activity: r.updated_at,
            })
            .collect(),
        ForgeKind::GitLab => serde_json::from_slice::<Vec<GitLabProject>>(body)?
            .into_iter()
            .map(|r| OrgRepository {
                name: r.path_with_namespace,
                clone_url: r.http_url_to_repo,
                default_branch: r.default_branch,
                archived: r.archived,
                fork: r.forked_from_project.is_some_and(|v| !v.is_null()),
                private: r
                    .visibility
                    .as_deref()
                    .is_some_and(|v| v == "private" || v == "internal"),
                last_activity: r.last_activity_at,
            })
            .collect(),
    })
}

/// Whether a `Link` header announces a next page.
fn has_next(link: Option<&str>) -> bool {
    link.is_some_and(|l| {
        l.split(',').any(|part| {
            part.split(';')
                .skip(1)
                .any(|p| p.trim().eq_ignore_ascii_case("rel=\"next\""))
        })
    })
}

/// The same scheme, host and port.
fn same_origin(a: &RemoteTarget, b: &RemoteTarget) -> bool {
    a.scheme == b.scheme && a.host == b.host && a.port == b.port
}

/// Why a repository is skipped, or `None` to check it.
fn skip_reason(
    repo: &OrgRepository,
    web: &RemoteTarget,
    policy: &RemotePolicy,
    limits: &ListLimits,
) -> Option<Msg> {
    if repo.archived && !limits.include_archived {
        return Some(Msg::new(
            "arkiveret (--include-archived tager den med)",
            "archived (--include-archived includes it)",
        ));
    }
    if repo.fork && !limits.include_forks {
        return Some(Msg::new(
            "en fork (--include-forks tager den med)",
            "a fork (--include-forks includes it)",
        ));
    }
    if repo.private {
        return Some(Msg::new(
            "privat: ikke en del af produktets offentlige kildekode",
            "private: not part of the product's public source code",
        ));
    }
    let shown: String = repo.clone_url.chars().take(300).collect();
    match policy.check(&repo.clone_url) {
        Err(refusal) => Some(Msg::new(
            format!("klon-adressen {shown} {}", refusal.message(false)),
            format!("the clone URL {shown} {}", refusal.message(true)),
        )),
        Ok(target) if !same_origin(&target, web) => Some(Msg::new(
            format!(
                "klon-adressen {shown} er ikke på organisationens vært ({}); den hentes ikke",
                web.host.name()
            ),
            format!(
                "the clone URL {shown} is not on the organisation's host ({}); it is not fetched",
                web.host.name()
            ),
        )),
        Ok(_) => None,
    }
}

/// Checks an http(s) URL against the policy (location, then addresses).
fn allowed_http(url: &str, policy: &RemotePolicy) -> Result<RemoteTarget, ForgeError> {
    let target = policy.check(url).map_err(|refusal| ForgeError::Refused {
        url: url.to_owned(),
        refusal,
    })?;
    if !matches!(target.scheme, Scheme::Https | Scheme::Http) {
        return Err(ForgeError::NotHttp(url.to_owned()));
    }
    policy
        .resolve(&target)
        .map_err(|refusal| ForgeError::Refused {
            url: url.to_owned(),
            refusal,
        })?;
    Ok(target)
}

fn is_loopback(host: &Host) -> bool {
    match host {
        Host::Ip(ip) => ip.is_loopback(),
        Host::Name(n) => n == "localhost",
    }
}

/// Lists the organisation's repositories through its forge's API, page by page, and
/// sorts them into listed and skipped. The API and every clone URL pass `policy`.
pub fn list_repositories(
    location: &OrgLocation,
    policy: &RemotePolicy,
    token: Option<&Token>,
    limits: &ListLimits,
) -> Result<OrgListing, ForgeError> {
    let web_url = format!("{}/{}", location.web, location.org);
    let web = allowed_http(&web_url, policy)?;
    let api = allowed_http(&format!("{}/x", location.api), policy)?;
    if token.is_some() && api.scheme == Scheme::Http && !is_loopback(&api.host) {
        return Err(ForgeError::TokenOverHttp(location.api.clone()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        // A redirect could carry the token elsewhere: none is followed.
        .max_redirects(0)
        .timeout_global(Some(limits.timeout))
        .timeout_connect(Some(limits.timeout.min(Duration::from_secs(10))))
        .user_agent(concat!("niveau/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut listing = OrgListing {
        listed: Vec::new(),
        skipped: Vec::new(),
        truncated: false,
        pages: 0,
    };
    let page_size = location.kind.page_size();
    let mut users = false;
    let mut page = 1;
    loop {
        if page > limits.max_pages {
            listing.truncated = true;
            break;
        }
        let url = location.page_url(page, users);
        let mut request = agent.get(&url).header("Accept", "application/json");
        if let Some(Token(t)) = token {
            let value = match location.kind {
                ForgeKind::Forgejo => format!("token {t}"),
                ForgeKind::GitHub | ForgeKind::GitLab => format!("Bearer {t}"),
            };
            request = request.header("Authorization", value);
        }
        let mut response = request.call().map_err(|e| ForgeError::Transport {
            url: url.clone(),
            why: transport_msg(&e),
        })?;
        listing.pages += 1;
        let status = response.status().as_u16();
        if status == 404 {
            // GitHub: an account that is a user, not an organisation.
            if location.kind == ForgeKind::GitHub && !users && page == 1 {
                users = true;
                continue;
            }
            return Err(ForgeError::NotFound(url));
        }
        if status != 200 {
            return Err(ForgeError::Status { url, status });
        }
        let link = response
            .headers()
            .get("link")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response
            .body_mut()
            .with_config()
            .limit(limits.max_body)
            .read_to_vec()
            .map_err(|e| ForgeError::Transport {
                url: url.clone(),
                why: transport_msg(&e),
            })?;
        let repos = parse_page(location.kind, &body).map_err(|e| ForgeError::Malformed {
            url: url.clone(),
            why: Msg::serde(&e.to_string(), "ugyldig JSON"),
        })?;
        let count = repos.len();
        for repo in repos {
            if listing.listed.len() + listing.skipped.len() >= limits.max_repositories {
                listing.truncated = true;
                break;
            }
            match skip_reason(&repo, &web, policy, limits) {
                Some(reason) => listing.skipped.push(Skipped {
                    name: repo.name,
                    reason,
                }),
                None => listing.listed.push(repo),
            }
        }
        if listing.truncated {
            break;
        }
        // The `Link` header says whether there is more; without one, a full page does.
        let more = match &link {
            Some(l) => has_next(Some(l)),
            None => count >= page_size,
        };
        if !more || count == 0 {
            break;
        }
        page += 1;
    }
    Ok(listing)
}

/// What `niveau check` reports about the organisation in the product's JSON (`source`).
#[derive(Debug, Clone, Serialize)]
pub struct OrgSource {
    /// `github`, `forgejo` or `gitlab`.
    pub kind: ForgeKind,
    /// The location, `KIND:WEB/ORG`.
    pub location: String,
    /// The names of the repositories checked.
    pub listed: Vec<String>,
    /// The repositories not checked, with the reason in the language asked for.
    pub skipped: Vec<SkippedEntry>,
    /// The listing stopped at a limit while the forge had more.
    pub truncated: bool,
}

/// One skipped repository in [`OrgSource`].
#[derive(Debug, Clone, Serialize)]
pub struct SkippedEntry {
    /// Its name.
    pub name: String,
    /// Why.
    pub reason: String,
}

impl OrgSource {
    /// The source of a product listed from `location`.
    pub fn new(location: &OrgLocation, listing: &OrgListing, english: bool) -> Self {
        OrgSource {
            kind: location.kind,
            location: location.display(),
            listed: listing.listed.iter().map(|r| r.name.clone()).collect(),
            skipped: listing
                .skipped
                .iter()
                .map(|s| SkippedEntry {
                    name: s.name.clone(),
                    reason: s.reason.pick(english).to_owned(),
                })
                .collect(),
            truncated: listing.truncated,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(s: &str) -> Result<OrgLocation, LocationError> {
        OrgLocation::parse(s, None)
    }

    #[test]
    fn kinds_are_guessed_from_the_host_or_named() {
        let l = parse("https://github.com/OS2mo").unwrap();
        assert_eq!(
            l,
            OrgLocation {
                kind: ForgeKind::GitHub,
                web: "https://github.com".into(),
                org: "OS2mo".into(),
                api: "https://api.github.com".into(),
            }
        );
        assert_eq!(parse("github:OS2mo").unwrap(), l);
        assert_eq!(parse("https://github.com/OS2mo/").unwrap(), l);
        assert_eq!(l.display(), "github:https://github.com/OS2mo");
        let c = parse("https://codeberg.org/forgejo").unwrap();
        assert_eq!(
            (c.kind, c.api.as_str(), c.org.as_str()),
            (ForgeKind::Forgejo, "https://codeberg.org", "forgejo")
        );
        let g = parse("https://gitlab.com/os2/sub").unwrap();
        assert_eq!(
            (g.kind, g.org.as_str(), g.name()),
            (ForgeKind::GitLab, "os2/sub", "sub")
        );
        assert!(g.page_url(2, false).ends_with(
            "/api/v4/groups/os2%2Fsub/projects?per_page=100&page=2&include_subgroups=true"
        ));
        let f = parse("forgejo:https://git.kommune.dk/OS2").unwrap();
        assert_eq!(
            (f.kind, f.web.as_str(), f.api.as_str()),
            (
                ForgeKind::Forgejo,
                "https://git.kommune.dk",
                "https://git.kommune.dk"
            )
        );
        assert_eq!(parse("gitea:https://git.kommune.dk/OS2").unwrap(), f);
        let e = parse("github:https://ghe.example.org/team").unwrap();
        assert_eq!(e.api, "https://ghe.example.org/api/v3");
        assert_eq!(
            e.page_url(1, true),
            "https://ghe.example.org/api/v3/users/team/repos?per_page=100&page=1"
        );
        let o = OrgLocation::parse(
            "github:http://127.0.0.1:8080/acme",
            Some("http://127.0.0.1:8080/"),
        )
        .unwrap();
        assert_eq!(
            o.page_url(3, false),
            "http://127.0.0.1:8080/orgs/acme/repos?per_page=100&page=3"
        );
        assert_eq!(
            parse("gitlab:https://git.example/g")
                .unwrap()
                .page_url(1, false),
            "https://git.example/api/v4/groups/g/projects?per_page=100&page=1&include_subgroups=true"
        );
    }

    #[test]
    fn bad_locations_say_why() {
        for bad in [
            "",
            " ",
            "OS2mo",
            "https://github.com",
            "https://github.com/",
            "https://github.com/OS2mo/os2mo",
            "https://github.com/../x",
            "https://github.com/a b",
            "https://user@github.com/OS2mo",
            "forgejo:OS2",
            "ssh://github.com/OS2mo",
            "github:ssh://github.com/OS2mo",
            "https://gitlab.com/a//b",
            "https://github.com/-x",
            "https://github.com/a%2Fb",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse("https://git.kommune.dk/OS2").unwrap_err(),
            LocationError::KindNeeded("git.kommune.dk".into())
        );
        assert_eq!(
            parse("svn:https://x.org/y").unwrap_err(),
            LocationError::UnknownKind("svn".into())
        );
        let m = parse("https://git.kommune.dk/OS2").unwrap_err().msg();
        assert!(m.da.contains("kan ikke gættes") && m.en.contains("cannot be guessed"));
    }

    #[test]
    fn pages_are_read_into_one_shape_and_unknown_fields_are_ignored() {
        let gh = br#"[{"name":"os2mo","clone_url":"https://github.com/OS2mo/os2mo.git",
            "default_branch":"master","archived":false,"fork":true,"pushed_at":"2026-01-02T03:04:05Z",
            "owner":{"login":"OS2mo"},"topics":[]}]"#;
        let r = &parse_page(ForgeKind::GitHub, gh).unwrap()[0];
        assert_eq!(r.name, "os2mo");
        assert!(r.fork && !r.archived && !r.private);
        assert_eq!(r.default_branch.as_deref(), Some("master"));
        assert_eq!(r.last_activity.as_deref(), Some("2026-01-02T03:04:05Z"));
        let gl = br#"[{"path_with_namespace":"g/s/p","http_url_to_repo":"https://gitlab.com/g/s/p.git",
            "default_branch":null,"archived":true,"visibility":"internal","forked_from_project":null}]"#;
        let r = &parse_page(ForgeKind::GitLab, gl).unwrap()[0];
        assert_eq!(r.name, "g/s/p");
        assert!(r.archived && !r.fork && r.private && r.default_branch.is_none());
        assert!(parse_page(ForgeKind::Forgejo, b"{\"message\":\"x\"}").is_err());
        assert!(parse_page(ForgeKind::Forgejo, b"[{\"name\":1}]").is_err());
        assert!(parse_page(ForgeKind::Forgejo, b"[]").unwrap().is_empty());
    }

    #[test]
    fn clone_urls_must_stay_on_the_organisations_scheme_host_and_port() {
        let policy = RemotePolicy::local_user();
        let web = policy.check("https://github.com/OS2mo").unwrap();
        let repo = |url: &str| OrgRepository {
            name: "x".into(),
            clone_url: url.into(),
            default_branch: None,
            archived: false,
            fork: false,
            private: false,
            last_activity: None,
        };
        let limits = ListLimits::default();
        assert_eq!(
            skip_reason(
                &repo("https://github.com/OS2mo/x.git"),
                &web,
                &policy,
                &limits
            ),
            None
        );
        for other in [
            "https://evil.example/OS2mo/x.git",
            "http://github.com/OS2mo/x.git",
            "https://github.com:444/OS2mo/x.git",
            "ssh://git@github.com/OS2mo/x.git",
            "file:///etc",
            "ext::sh -c x",
        ] {
            let reason = skip_reason(&repo(other), &web, &policy, &limits);
            assert!(reason.is_some(), "{other}");
        }
        let r = skip_reason(&repo("https://evil.example/x.git"), &web, &policy, &limits).unwrap();
        assert!(
            r.en.contains("not on the organisation's host (github.com)"),
            "{}",
            r.en
        );
    }

    #[test]
    fn link_headers() {
        assert!(has_next(Some(
            "<https://api.github.com/x?page=2>; rel=\"next\", <https://api.github.com/x?page=5>; rel=\"last\""
        )));
        assert!(!has_next(Some(
            "<https://api.github.com/x?page=1>; rel=\"prev\""
        )));
        assert!(!has_next(None));
    }

    #[test]
    fn the_token_is_never_shown() {
        let t = Token::new(" secret ").unwrap();
        assert_eq!(format!("{t:?}"), "Token(…)");
        assert!(Token::new("  ").is_none());
    }

    /// A Forgejo organisation on the stub with `per_page` repositories on each of
    /// `pages` pages, every page but the last announcing a next one.
    fn stub_pages(
        pages: usize,
        per_page: usize,
    ) -> (niveau_testkit::forge_stub::ForgeStub, OrgLocation) {
        use niveau_testkit::forge_stub::{ForgeStub, Reply};
        let root = std::env::temp_dir();
        let stub = ForgeStub::start(&root);
        let base = stub.base().to_owned();
        for p in 1..=pages {
            let items: Vec<serde_json::Value> = (0..per_page)
                .map(|i| {
                    serde_json::json!({"name": format!("r{p}-{i}"),
                        "clone_url": format!("{base}/git/acme/r{p}-{i}.git")})
                })
                .collect();
            let mut reply = Reply::json(serde_json::Value::Array(items).to_string());
            if p < pages {
                reply = reply.header(
                    "Link",
                    &format!(
                        "<{base}/api/v1/orgs/acme/repos?limit=50&page={}>; rel=\"next\"",
                        p + 1
                    ),
                );
            }
            stub.route(&format!("/api/v1/orgs/acme/repos?limit=50&page={p}"), reply);
        }
        let location = OrgLocation::parse(&format!("forgejo:{base}/acme"), None).unwrap();
        (stub, location)
    }

    #[test]
    fn listing_stops_at_its_limits_and_says_so() {
        let policy = RemotePolicy::local_user();
        let (stub, location) = stub_pages(3, 2);
        let all = list_repositories(&location, &policy, None, &ListLimits::default()).unwrap();
        assert_eq!((all.listed.len(), all.pages, all.truncated), (6, 3, false));
        let limits = ListLimits {
            max_repositories: 3,
            ..ListLimits::default()
        };
        let few = list_repositories(&location, &policy, None, &limits).unwrap();
        assert_eq!((few.listed.len(), few.pages, few.truncated), (3, 2, true));
        let limits = ListLimits {
            max_pages: 2,
            ..ListLimits::default()
        };
        let two = list_repositories(&location, &policy, None, &limits).unwrap();
        assert_eq!((two.listed.len(), two.pages, two.truncated), (4, 2, true));
        let limits = ListLimits {
            max_body: 20,
            ..ListLimits::default()
        };
        let err = list_repositories(&location, &policy, None, &limits).unwrap_err();
        let page1 = format!("{}/api/v1/orgs/acme/repos?limit=50&page=1", stub.base());
        assert!(
            matches!(&err, ForgeError::Transport { url, .. } if *url == page1),
            "{err:?}"
        );
        assert!(err.msg().en.starts_with(&page1));
        assert!(
            err.msg()
                .da
                .ends_with("forgen kunne ikke læses: svaret er større end grænsen på 20 byte"),
            "{}",
            err.msg().da
        );
        // A redirect is not followed (it could carry the token elsewhere).
        stub.route(
            "/api/v1/orgs/acme/repos?limit=50&page=1",
            niveau_testkit::forge_stub::Reply::status(301)
                .header("Location", "http://example.org/"),
        );
        let err = list_repositories(&location, &policy, None, &ListLimits::default()).unwrap_err();
        assert_eq!(
            err,
            ForgeError::Status {
                url: page1,
                status: 301
            }
        );
    }

    #[test]
    fn the_token_goes_over_https_or_to_this_machine_only() {
        let policy = RemotePolicy::local_user();
        let token = Token::new("t").unwrap();
        let remote = OrgLocation::parse("forgejo:http://git.example.org/acme", None).unwrap();
        assert_eq!(
            list_repositories(&remote, &policy, Some(&token), &ListLimits::default()).unwrap_err(),
            ForgeError::TokenOverHttp("http://git.example.org".into())
        );
        let mut server = RemotePolicy::server(vec!["github.com".into()], false, false);
        server.check_addresses = false;
        let refused = OrgLocation::parse("forgejo:https://git.example.org/acme", None).unwrap();
        let err = list_repositories(&refused, &server, None, &ListLimits::default()).unwrap_err();
        assert!(matches!(err, ForgeError::Refused { .. }), "{err:?}");
        assert!(err.msg().da.contains("git.example.org"));
    }

    proptest::proptest! {
        #[test]
        fn the_location_parser_never_panics(s in "\\PC{0,80}", api in proptest::option::of("\\PC{0,40}")) {
            let _ = OrgLocation::parse(&s, api.as_deref());
        }

        #[test]
        fn location_like_inputs_never_panic(
            kind in "(github|gitlab|forgejo|gitea|x|)",
            scheme in "(https://|http://|ssh://|)",
            rest in "[a-zA-Z0-9./:@%_-]{0,40}",
        ) {
            let _ = OrgLocation::parse(&format!("{kind}:{scheme}{rest}"), None);
            let _ = OrgLocation::parse(&format!("{scheme}{rest}"), None);
        }
    }
}
