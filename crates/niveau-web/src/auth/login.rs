//! The HTTP side of a password login, shared by the API's `/auth/login` and the login
//! page: which client asks ([`client_key`]), the login guard around the application
//! layer's check of the credentials ([`authenticate`]), and how a client that must wait
//! is told so ([`retry_after_seconds`], [`rate_limited`]).

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use niveau_app::accounts::{self, Credentials};
use niveau_model::Msg;
use niveau_store::entity::user_account;

use crate::error::ApiError;
use crate::state::AppState;

/// The key the login guard counts a client by: its IP address, an IPv6 address by its /64
/// prefix (one client usually holds a whole /64).
///
/// The address is the TCP peer's. Only when `trust_forwarded_for` is set is it taken from
/// `X-Forwarded-For`, and then from its **last** entry: the one your own reverse proxy
/// appended. Earlier entries come from the client and can say anything. An entry that is
/// not an IP address is ignored and the peer address used.
pub fn client_key(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    let forwarded = state
        .config()
        .trust_forwarded_for
        .then(|| last_forwarded(headers))
        .flatten();
    match forwarded.or(peer.map(|p| p.ip())) {
        Some(ip) => ip_key(ip),
        None => "unknown".into(),
    }
}

/// The last address of the last `X-Forwarded-For` header, if it is an IP address.
fn last_forwarded(headers: &HeaderMap) -> Option<IpAddr> {
    let value = headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?;
    value.rsplit(',').next()?.trim().parse().ok()
}

/// An IPv4 address as is; an IPv6 address by its /64 prefix (an IPv4-mapped one as IPv4).
fn ip_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        },
    }
}

/// The answer to wrong credentials: `401 bad_credentials`.
pub fn bad_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        accounts::refused_login(),
    )
}

/// Why a login was refused.
#[derive(Debug)]
pub enum Refused {
    /// This client must wait this long before trying (this account) again.
    Wait(Duration),
    /// Wrong name or password, a disabled account (all `bad_credentials`), or a store error.
    Error(ApiError),
}

/// Check a login by name and password for the client `key`: the login guard
/// ([`crate::auth::ratelimit`]) first, then the application layer's check
/// ([`niveau_app::accounts::authenticate`], which costs the same for unknown, disabled
/// and real accounts); the guard counts the answer. The user on success.
pub async fn authenticate(
    state: &AppState,
    key: &str,
    username: &str,
    password: &str,
) -> Result<user_account::Model, Refused> {
    let guard = state.login_guard();
    let name = username.trim();
    if let Err(wait) = guard.check(name, key, Instant::now()) {
        return Err(Refused::Wait(wait));
    }
    match accounts::authenticate(state.app(), name, password).await {
        Ok(Credentials::Valid(user)) => {
            guard.success(name, key);
            Ok(*user)
        }
        Ok(Credentials::Refused) => {
            if let Some(wait) = guard.failure(name, key, Instant::now()) {
                tracing::warn!(
                    client = key,
                    wait_seconds = wait.as_secs(),
                    "repeated failed logins: the client waits before its next attempt on this account"
                );
            }
            Err(Refused::Error(bad_credentials()))
        }
        Err(e) => Err(Refused::Error(e.into())),
    }
}

/// A wait in whole seconds, rounded up (a client that waits that long is let in), at least 1.
pub fn retry_after_seconds(wait: Duration) -> u64 {
    let rounded_up = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0));
    rounded_up.max(1)
}

/// The 429 answer with Retry-After.
pub fn rate_limited(wait: Duration) -> Response {
    let seconds = retry_after_seconds(wait);
    let mut e = ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        Msg::new(
            format!("for mange forsøg; prøv igen om {seconds} sekunder"),
            format!("too many attempts; try again in {seconds} seconds"),
        ),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        e.headers_mut().insert(header::RETRY_AFTER, v);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for v in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        headers
    }

    #[test]
    fn finding_2_forwarded_for_is_read_from_its_last_entry() {
        let last = |values: &[&str]| last_forwarded(&forwarded(values)).map(ip_key);
        assert_eq!(last(&["198.51.100.9"]).as_deref(), Some("198.51.100.9"));
        assert_eq!(
            last(&["1.1.1.1, 2.2.2.2,198.51.100.9"]).as_deref(),
            Some("198.51.100.9")
        );
        assert_eq!(
            last(&["1.1.1.1", "203.0.113.5"]).as_deref(),
            Some("203.0.113.5")
        );
        assert_eq!(last(&["1.1.1.1, not-an-address"]), None);
        assert_eq!(last(&[]), None);
    }

    #[test]
    fn ipv6_clients_count_by_their_64_prefix() {
        let key = |s: &str| ip_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:bbbb::7"), "2001:db8:1:2::/64");
        assert_eq!(key("::ffff:198.51.100.4"), "198.51.100.4");
        assert_eq!(key("198.51.100.4"), "198.51.100.4");
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_seconds(Duration::from_millis(59_001)), 60);
        assert_eq!(retry_after_seconds(Duration::from_secs(60)), 60);
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
    }
}
