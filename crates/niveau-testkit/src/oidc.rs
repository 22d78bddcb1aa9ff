//! A real OpenID Connect provider for login tests.
//!
//! [`MockProvider`] runs [oidc-provider-mock] (a Python package: Flask, Authlib and
//! uvicorn) as a child process on a free port of 127.0.0.1, and plays the browser's part
//! of the authorization code flow ([`MockProvider::authorize`]). The application under
//! test talks to it as to any provider: discovery, JWKS, token and userinfo endpoints.
//!
//! The switch is the environment variable [`PROVIDER_VAR`]
//! (`NIVEAU_TEST_OIDC_PROVIDER`): the path of a Python interpreter that can import
//! `oidc_provider_mock` (preferred; `scripts/ci-oidc.sh` installs one into
//! `target/ci-venv` and exports this variable) or of the package's `oidc-provider-mock`
//! console script.
//!
//! A test that needs the provider carries
//! `#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]` ([`IGNORE_REASON`]),
//! so a plain `cargo test` lists it as ignored; it runs with
//! `cargo test -- --include-ignored`, and then [`MockProvider::start`] panics, naming the
//! variable and the script, if the variable is not set.
//!
//! What the provider (version 0.3.4, pinned in `scripts/oidc-provider-requirements.txt`)
//! does, as the tests in `tests/it/oidc.rs` check:
//!
//! - The issuer is `http://127.0.0.1:<port>`, without a trailing slash; the provider
//!   takes it from the request's `Host`, so clients must use exactly [`MockProvider::issuer`].
//! - Any `client_id` and any secret are accepted, and any `redirect_uri`. The token
//!   endpoint takes `client_secret_basic` or `client_secret_post`, **not** `none`: a
//!   client must send some secret.
//! - `nonce` is carried into the ID token. PKCE parameters are accepted but **not
//!   checked**: a wrong `code_verifier` still gets tokens.
//! - ID tokens are RS256, signed with a key made at start-up (see `jwks_uri`).
//! - Claims come from `PUT {issuer}/users/{sub}` (a JSON object); `email`, `name` and
//!   the other standard claims appear only for the scopes that grant them (`email`,
//!   `profile`).
//!
//! [oidc-provider-mock]: https://pypi.org/project/oidc-provider-mock/

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The environment variable naming the provider's Python interpreter or console script.
pub const PROVIDER_VAR: &str = "NIVEAU_TEST_OIDC_PROVIDER";

/// The reason an OIDC test gives in its `#[ignore = "…"]` attribute. Attributes take
/// only literals, so tests repeat this text; it is here to be found by grep.
pub const IGNORE_REASON: &str = "needs the OIDC provider: source scripts/ci-oidc.sh";

/// How long [`MockProvider::start`] waits for the provider to answer discovery.
pub const START_TIMEOUT: Duration = Duration::from_secs(20);

/// How many of the provider's last log lines are kept for error messages.
const LOG_LINES: usize = 200;

/// Started through the interpreter, the provider watches its stdin: when the test process
/// ends, even by a signal, the pipe closes and the provider exits instead of living on.
const PYTHON_LAUNCHER: &str = "\
import os, sys, threading
def _watch_parent():
    try:
        while sys.stdin.buffer.read(65536):
            pass
    finally:
        os._exit(0)
threading.Thread(target=_watch_parent, daemon=True).start()
from oidc_provider_mock.__main__ import run
run()
";

/// What [`MockProvider::start`] says when [`PROVIDER_VAR`] is not set.
fn missing_message() -> String {
    format!(
        "this test needs the OpenID Connect provider, but {PROVIDER_VAR} is not set: \
         run `source scripts/ci-oidc.sh` first (a plain `cargo test` ignores this test)"
    )
}

/// An HTTP client for talking to test servers: no proxy (whatever the environment
/// says), redirects returned rather than followed, every status returned as a response
/// rather than an error, and a 10 s limit per request.
pub fn agent() -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .proxy(None)
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build();
    ureq::Agent::new_with_config(config)
}

/// A running OpenID Connect provider, stopped when this value is dropped.
#[derive(Debug)]
pub struct MockProvider {
    /// The issuer URL, `http://127.0.0.1:<port>`, as the provider's discovery document
    /// and ID tokens state it.
    pub issuer: String,
    child: Child,
    stdin: Option<ChildStdin>,
    log: Arc<Mutex<VecDeque<String>>>,
    agent: ureq::Agent,
}

impl MockProvider {
    /// Starts the provider named by [`PROVIDER_VAR`] and waits until its discovery
    /// document answers.
    ///
    /// # Panics
    ///
    /// When [`PROVIDER_VAR`] is not set, with a message that names it and
    /// `scripts/ci-oidc.sh`: the caller is an ignored test that was asked to run
    /// (`--include-ignored`), and it must fail rather than pass without the provider.
    /// Panics with the provider's log when the variable is set but the provider does not
    /// start within [`START_TIMEOUT`].
    #[track_caller]
    pub fn start() -> MockProvider {
        MockProvider::start_from(std::env::var_os(PROVIDER_VAR))
    }

    /// [`MockProvider::start`] with the variable's value given, `None` when unset.
    #[allow(clippy::panic)]
    #[track_caller]
    fn start_from(program: Option<std::ffi::OsString>) -> MockProvider {
        let Some(program) = program.filter(|p| !p.is_empty()) else {
            panic!("{}", missing_message());
        };
        match MockProvider::start_with(Path::new(&program)) {
            Ok(provider) => provider,
            Err(e) => panic!("cannot start the OIDC provider from {PROVIDER_VAR}: {e}"),
        }
    }

    /// Starts the provider from `program`: a Python interpreter (a file name starting
    /// with `python`) that can import `oidc_provider_mock`, or the `oidc-provider-mock`
    /// console script. Only the interpreter form stops the provider when the test
    /// process is killed rather than dropping this value.
    ///
    /// # Errors
    ///
    /// A message with the provider's log when it cannot be started, exits, or does not
    /// answer discovery within [`START_TIMEOUT`].
    pub fn start_with(program: &Path) -> Result<MockProvider, String> {
        let deadline = Instant::now() + START_TIMEOUT;
        let is_python = program
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("python"));
        let mut command = Command::new(program);
        if is_python {
            command.args(["-W", "ignore", "-c", PYTHON_LAUNCHER]);
        }
        command
            .args(["--host", "127.0.0.1", "--port", "0"])
            .env("PYTHONUNBUFFERED", "1")
            .env("NO_COLOR", "1")
            .env_remove("FORCE_COLOR")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        let stdin = child.stdin.take();
        let log = Arc::new(Mutex::new(VecDeque::with_capacity(LOG_LINES)));
        let (port_tx, port_rx) = mpsc::channel();
        if let Some(stderr) = child.stderr.take() {
            let log = Arc::clone(&log);
            // Reads the log to its end, so the provider never blocks on a full pipe.
            std::thread::spawn(move || {
                let mut port_tx = Some(port_tx);
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    if let Some(port) = announced_port(&line)
                        && let Some(tx) = port_tx.take()
                    {
                        let _ = tx.send(port);
                    }
                    if let Ok(mut log) = log.lock() {
                        if log.len() == LOG_LINES {
                            log.pop_front();
                        }
                        log.push_back(line);
                    }
                }
            });
        }
        let mut provider = MockProvider {
            issuer: String::new(),
            child,
            stdin,
            log,
            agent: agent(),
        };

        // With `--port 0` the operating system picks a free port, which uvicorn
        // announces ("Uvicorn running on http://127.0.0.1:<port>"); no other process can
        // take it between choosing and binding.
        let wait = deadline.saturating_duration_since(Instant::now());
        let port = match port_rx.recv_timeout(wait) {
            Ok(port) => port,
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = provider.child.wait().map(|s| s.to_string());
                return Err(format!(
                    "the provider exited ({}) before it listened\n{}",
                    status.unwrap_or_else(|e| e.to_string()),
                    provider.log()
                ));
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(format!(
                    "the provider announced no port within {START_TIMEOUT:?}\n{}",
                    provider.log()
                ));
            }
        };
        provider.issuer = format!("http://127.0.0.1:{port}");

        let discovery = provider.discovery_url();
        loop {
            if let Ok(mut response) = provider.agent.get(&discovery).call()
                && response.status() == 200
            {
                let body = response.body_mut().read_to_string().unwrap_or_default();
                let document: Value = serde_json::from_str(&body)
                    .map_err(|e| format!("discovery at {discovery} is not JSON: {e}: {body}"))?;
                if document["issuer"] == provider.issuer.as_str() {
                    return Ok(provider);
                }
                return Err(format!(
                    "discovery at {discovery} names issuer {}, not {}",
                    document["issuer"], provider.issuer
                ));
            }
            if let Ok(Some(status)) = provider.child.try_wait() {
                return Err(format!(
                    "the provider exited ({status})\n{}",
                    provider.log()
                ));
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "{discovery} did not answer within {START_TIMEOUT:?}\n{}",
                    provider.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The URL of the discovery document, `{issuer}/.well-known/openid-configuration`.
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer)
    }

    /// Logs in as `subject` with the claims `email` and `name`; see
    /// [`MockProvider::authorize_with_claims`].
    ///
    /// # Errors
    ///
    /// As [`MockProvider::authorize_with_claims`].
    pub fn authorize(
        &self,
        authorization_url: &str,
        subject: &str,
        email: &str,
        name: &str,
    ) -> Result<String, String> {
        let claims = serde_json::json!({ "email": email, "name": name });
        self.authorize_with_claims(authorization_url, subject, &claims)
    }

    /// Plays the browser at the provider: opens `authorization_url` (the URL the
    /// application redirected the browser to), gives the provider the user's `claims`
    /// (a JSON object; `sub` is `subject`), submits the login form as `subject`, and
    /// returns the URL the provider redirects the browser to, without following it.
    /// On success that is the client's `redirect_uri` with `code` and `state`; a refused
    /// request gives the `redirect_uri` with `error`, as a real provider does.
    ///
    /// # Errors
    ///
    /// A message with the provider's answer and log when the authorization page does not
    /// show the login form (a bad request: unknown response type, missing client id, …),
    /// the claims are refused, or the form is not answered with a redirect.
    pub fn authorize_with_claims(
        &self,
        authorization_url: &str,
        subject: &str,
        claims: &Value,
    ) -> Result<String, String> {
        self.login_page(authorization_url)?;

        let mut user_url = url::Url::parse(&self.issuer).map_err(|e| e.to_string())?;
        user_url
            .path_segments_mut()
            .map_err(|()| format!("{} cannot have a path", self.issuer))?
            .extend(["users", subject]);
        let (status, _, body) = self.exchange(
            self.agent
                .put(user_url.as_str())
                .content_type("application/json")
                .send(claims.to_string()),
            user_url.as_str(),
        )?;
        if status != 204 {
            return Err(self.failure(&format!("PUT {user_url}"), status, &body));
        }

        // The form has no `action`: a browser posts it back to the page's own URL.
        let response = self
            .agent
            .post(authorization_url)
            .send_form([("sub", subject)]);
        self.redirect(response, authorization_url)
    }

    /// Plays the browser at the provider and presses "Deny": returns the URL the provider
    /// redirects to, the client's `redirect_uri` with `error=access_denied` and `state`.
    ///
    /// # Errors
    ///
    /// As [`MockProvider::authorize_with_claims`].
    pub fn deny(&self, authorization_url: &str) -> Result<String, String> {
        self.login_page(authorization_url)?;
        let response = self
            .agent
            .post(authorization_url)
            .send_form([("action", "deny")]);
        self.redirect(response, authorization_url)
    }

    /// The provider's last log lines (its stderr), for failure messages.
    pub fn log(&self) -> String {
        match self.log.lock() {
            Ok(log) => log.iter().map(|l| format!("  | {l}\n")).collect(),
            Err(_) => String::new(),
        }
    }

    /// GETs the authorization page and checks that it is the login form.
    fn login_page(&self, authorization_url: &str) -> Result<(), String> {
        let (status, _, body) =
            self.exchange(self.agent.get(authorization_url).call(), authorization_url)?;
        if status == 200 && body.contains("name=\"sub\"") {
            Ok(())
        } else {
            Err(self.failure(&format!("GET {authorization_url}"), status, &body))
        }
    }

    /// Expects a redirect and returns its `Location`.
    fn redirect(
        &self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        url: &str,
    ) -> Result<String, String> {
        let (status, location, body) = self.exchange(response, url)?;
        match location {
            Some(location) if (300..400).contains(&status) => Ok(location),
            _ => Err(self.failure(&format!("POST {url}"), status, &body)),
        }
    }

    /// Status, `Location` and body of a response, or the transport error.
    fn exchange(
        &self,
        response: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        url: &str,
    ) -> Result<(u16, Option<String>, String), String> {
        let mut response = response
            .map_err(|e| format!("cannot reach the provider at {url}: {e}\n{}", self.log()))?;
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = response.body_mut().read_to_string().unwrap_or_default();
        Ok((response.status().as_u16(), location, body))
    }

    fn failure(&self, what: &str, status: u16, body: &str) -> String {
        let excerpt: String = body.chars().take(2000).collect();
        format!(
            "{what} answered {status}:\n{excerpt}\nprovider log:\n{}",
            self.log()
        )
    }
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        // Closing stdin alone stops an interpreter-launched provider; kill covers both.
        drop(self.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The port in uvicorn's "Uvicorn running on http://127.0.0.1:<port>" line.
fn announced_port(line: &str) -> Option<u16> {
    let (_, rest) = line.split_once("running on http://127.0.0.1:")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&port| port != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_announced_port() {
        let line = "00:51:39.870 INFO   uvicorn.error Uvicorn running on \
                    http://127.0.0.1:40515 (Press CTRL+C to quit)";
        assert_eq!(announced_port(line), Some(40515));
        assert_eq!(
            announced_port("Uvicorn running on http://127.0.0.1:0"),
            None
        );
        assert_eq!(announced_port("Started server process [22107]"), None);
    }

    #[test]
    #[should_panic(
        expected = "this test needs the OpenID Connect provider, but NIVEAU_TEST_OIDC_PROVIDER \
                    is not set: run `source scripts/ci-oidc.sh` first"
    )]
    fn without_the_variable_a_test_fails_and_names_the_variable_and_the_script() {
        let _ = MockProvider::start_from(None);
    }

    #[test]
    #[should_panic(expected = "NIVEAU_TEST_OIDC_PROVIDER is not set")]
    fn an_empty_variable_counts_as_unset() {
        let _ = MockProvider::start_from(Some(std::ffi::OsString::new()));
    }

    #[test]
    fn the_ignore_reason_names_the_script_of_the_message() {
        assert_eq!(
            IGNORE_REASON,
            "needs the OIDC provider: source scripts/ci-oidc.sh"
        );
        assert!(missing_message().contains("source scripts/ci-oidc.sh"));
    }
}
