//! Accounts: password login and logout, the caller's profile and API tokens, and account
//! management for admins. Single-sign-on redirects live in [`crate::auth::routes`].

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use niveau_store::accounts::{
    ApiTokenView, MAX_TOKEN_DAYS, NewUser, PasswordChange, PasswordChanged, UserUpdate, UserView,
    token_expiry,
};
use niveau_store::types::Role;
use niveau_store::{ListParams, Page};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::password::{dummy_verify, hash_password, verify_password};
use crate::auth::principal::{Auth, SESSION_COOKIE};
use crate::auth::session;
use crate::auth::token::{hash_secret, new_api_token};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::{ApiJson, JsonBody, LaterQuery, expected_version};
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(providers))
        .routes(routes!(me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(set_user_password))
}

/// Login with a local account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// The logged-in caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// The account.
    pub user: UserView,
    /// Send this in `X-CSRF-Token` with unsafe requests made with the session cookie.
    pub csrf_token: Option<String>,
    /// The database holds example data.
    pub demo: bool,
}

/// How people can log in.
#[derive(Debug, Serialize, ToSchema)]
pub struct Providers {
    /// Local accounts with passwords.
    pub local: bool,
    /// Single sign-on, when configured.
    pub oidc: Option<OidcProvider>,
}

/// The single-sign-on button.
#[derive(Debug, Serialize, ToSchema)]
pub struct OidcProvider {
    /// Button text.
    pub label: String,
    /// Where the button goes.
    pub login_url: String,
}

/// A token to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// A name for people ("CI-job").
    pub name: String,
    /// `read`, `write` (default: read).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Expires after this many days, 1 to 3650 (default: never).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_days: Option<u32>,
}

fn default_scopes() -> Vec<String> {
    vec!["read".into()]
}

/// A new token: the secret is shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewToken {
    /// The secret: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// The stored token.
    pub info: ApiTokenView,
}

/// An account to create.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Password (at least 12 characters); none for single-sign-on-only accounts.
    #[serde(default)]
    pub password: Option<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Products for a produktredaktør.
    #[serde(default)]
    pub product_ids: Vec<i32>,
}

/// A new password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    /// The password (at least 12 characters).
    pub password: String,
    /// Revoke the account's API tokens too (default: true).
    #[serde(default = "yes")]
    pub revoke_tokens: bool,
}

fn yes() -> bool {
    true
}

/// Hash a password off the async threads, after checking its length.
pub async fn hash_checked(password: String) -> ApiResult<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid_da(
            "password",
            format!("adgangskoden skal være mindst {MIN_PASSWORD_CHARS} tegn"),
        ));
    }
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))
}

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

fn bad_credentials() -> ApiError {
    ApiError::danish(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        "forkert brugernavn eller adgangskode",
    )
}

/// Log in with a password. Sets the session cookie and returns the CSRF token. A wrong
/// password, an unknown account and a disabled one all get the same `401`. A client that
/// has failed too often (on this account, or on any) must wait: `429` with `Retry-After`,
/// whether or not the account exists. Waiting is per client: another client can still
/// log into the account.
#[utoipa::path(post, path = "/auth/login", tag = "konti", request_body = LoginInput,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    peer: Result<ConnectInfo<SocketAddr>, axum::extract::rejection::ExtensionRejection>,
    headers: HeaderMap,
    jar: CookieJar,
    ApiJson(input): ApiJson<LoginInput>,
) -> ApiResult<Response> {
    let key = client_key(&state, &headers, peer.ok().map(|ConnectInfo(p)| p));
    let user = match authenticate(&state, &key, &input.username, &input.password).await {
        Ok(user) => user,
        Err(Refused::Wait(wait)) => return Ok(rate_limited(wait)),
        Err(Refused::Error(e)) => return Err(e),
    };
    let started = session::start(&state, &user).await?;
    let user = state.store().user(user.id).await?;
    let body = Me {
        user: UserView::from(&user),
        csrf_token: Some(started.csrf_token),
        demo: state.config().demo,
    };
    Ok((jar.add(started.cookie), Json(body)).into_response())
}

/// Why a login was refused.
#[derive(Debug)]
pub enum Refused {
    /// This client must wait this long before trying (this account) again.
    Wait(std::time::Duration),
    /// Wrong name or password, a disabled account (all `bad_credentials`), or a store error.
    Error(ApiError),
}

impl From<ApiError> for Refused {
    fn from(e: ApiError) -> Self {
        Refused::Error(e)
    }
}

impl From<niveau_store::StoreError> for Refused {
    fn from(e: niveau_store::StoreError) -> Self {
        Refused::Error(e.into())
    }
}

/// Check a login by name and password for the client `key`, through the login guard
/// ([`crate::auth::ratelimit`]): the user on success. The API's login and the login page
/// share it.
///
/// Every refusal but a wait is the same `bad_credentials` error, and every attempt that
/// is not made to wait runs one argon2id verification (a dummy one when the account does
/// not exist or has no password), so neither the answer nor its time tells whether the
/// account exists. An account's stored `locked_until` (earlier versions locked an account
/// for everyone) is not consulted: no account is locked for all clients.
pub async fn authenticate(
    state: &AppState,
    key: &str,
    username: &str,
    password: &str,
) -> Result<niveau_store::entity::user_account::Model, Refused> {
    let guard = state.login_guard();
    let name = username.trim();
    if let Err(wait) = guard.check(name, key, Instant::now()) {
        return Err(Refused::Wait(wait));
    }
    let user = state.store().user_by_username(name).await?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let password = password.to_owned();
    let verified = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            dummy_verify(&password);
            false
        }
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    match user {
        Some(user) if verified && !user.disabled => {
            guard.success(name, key);
            Ok(user)
        }
        _ => {
            if let Some(wait) = guard.failure(name, key, Instant::now()) {
                tracing::warn!(
                    client = key,
                    wait_seconds = wait.as_secs(),
                    "repeated failed logins: the client waits before its next attempt on this account"
                );
            }
            Err(bad_credentials().into())
        }
    }
}

/// A wait in whole seconds, rounded up (a client that waits that long is let in), at least 1.
pub fn retry_after_seconds(wait: std::time::Duration) -> u64 {
    let rounded_up = wait
        .as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0));
    rounded_up.max(1)
}

/// The 429 answer with Retry-After.
pub fn rate_limited(wait: std::time::Duration) -> Response {
    let seconds = retry_after_seconds(wait);
    let mut e = ApiError::danish(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        format!("for mange forsøg; prøv igen om {seconds} sekunder"),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
        e.headers_mut().insert(header::RETRY_AFTER, v);
    }
    e
}

/// Log out: the session ends and the cookie is removed.
#[utoipa::path(post, path = "/auth/logout", tag = "konti", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
) -> ApiResult<Response> {
    if auth.0.is_some()
        && let Some(cookie) = jar.get(SESSION_COOKIE)
    {
        state
            .store()
            .delete_session(&hash_secret(cookie.value()))
            .await?;
    }
    Ok((
        StatusCode::NO_CONTENT,
        jar.add(session::clear_cookie(&state)),
    )
        .into_response())
}

/// How one can log in here.
#[utoipa::path(get, path = "/auth/providers", tag = "konti", responses((status = 200, body = Providers)))]
pub async fn providers(State(state): State<AppState>) -> Json<Providers> {
    Json(Providers {
        local: true,
        oidc: state
            .config()
            .oidc
            .as_ref()
            .filter(|_| state.oidc().is_some())
            .map(|o| OidcProvider {
                label: o.label.clone(),
                login_url: "/auth/oidc/login".into(),
            }),
    })
}

/// The logged-in caller, with the CSRF token for session requests.
#[utoipa::path(get, path = "/me", tag = "konti", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<Me>> {
    let who = auth.require(Action::ReadOwnAccount)?;
    let user = state.store().user(who.user_id).await?;
    Ok(Json(Me {
        user: UserView::from(&user),
        csrf_token: who.csrf_token.clone(),
        demo: state.config().demo,
    }))
}

/// The caller's API tokens (never the secrets).
#[utoipa::path(get, path = "/me/tokens", tag = "konti", responses((status = 200, body = Vec<ApiTokenView>)))]
pub async fn list_tokens(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<ApiTokenView>>> {
    let who = auth.require(Action::ReadOwnAccount)?;
    let tokens = state.store().api_tokens(who.user_id).await?;
    Ok(Json(tokens.iter().map(ApiTokenView::from).collect()))
}

/// Create an API token for the caller; the secret is in the answer only. Needs a token
/// with the `write` scope (or a session).
#[utoipa::path(post, path = "/me/tokens", tag = "konti", request_body = TokenInput,
    responses((status = 201, body = NewToken), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<TokenInput>,
) -> ApiResult<(StatusCode, Json<NewToken>)> {
    let who = auth.require(Action::OwnAccount)?;
    let input: TokenInput = body.parse()?;
    let expires_at = match input.expires_days {
        None => None,
        Some(days) => Some(token_expiry(state.store().now(), days).ok_or_else(|| {
            ApiError::invalid_da(
                "expires_days",
                format!("expires_days skal være mellem 1 og {MAX_TOKEN_DAYS} dage; udelad feltet for et token uden udløb"),
            )
        })?),
    };
    let secret = new_api_token();
    let token = state
        .store()
        .create_api_token(
            &who.actor(),
            who.user_id,
            &input.name,
            &hash_secret(&secret),
            input.scopes,
            expires_at,
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewToken {
            token: secret,
            info: ApiTokenView::from(&token),
        }),
    ))
}

/// Revoke a token (one's own; admins any). Needs a token with the `write` scope (or a
/// session): a read-only token cannot revoke anything.
#[utoipa::path(delete, path = "/me/tokens/{id}", tag = "konti", params(("id" = i32, Path)),
    responses((status = 200, body = ApiTokenView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<ApiTokenView>> {
    let who = auth.require(Action::OwnAccount)?;
    let token = state.store().api_token_by_id(id).await?;
    if token.user_id != who.user_id && !auth.can(Action::ManageUsers) {
        return Err(ApiError::not_found_da(&format!("token {id}")));
    }
    let revoked = state.store().revoke_api_token(&who.actor(), id).await?;
    Ok(Json(ApiTokenView::from(&revoked)))
}

/// Accounts (admins).
#[utoipa::path(get, path = "/users", tag = "konti", params(ListParams), responses((status = 200, body = Page<UserView>)))]
pub async fn list_users(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
) -> ApiResult<Json<Page<UserView>>> {
    auth.require(Action::ManageUsers)?;
    let params = params.parse()?;
    Ok(Json(state.store().list_users(&params).await?))
}

/// Create an account (admins).
#[utoipa::path(post, path = "/users", tag = "konti", request_body = UserInput,
    responses((status = 201, body = UserView), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<UserInput>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let who = auth.require(Action::ManageUsers)?;
    let input = body.parse()?;
    let password_hash = match input.password {
        Some(p) => Some(hash_checked(p).await?),
        None => None,
    };
    let user = state
        .store()
        .create_user(
            &who.actor(),
            NewUser {
                username: input.username,
                display_name: input.display_name,
                email: input.email,
                password_hash,
                roles: input.roles,
                product_ids: input.product_ids,
                oidc: None,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user)))
}

/// One account (admins).
#[utoipa::path(get, path = "/users/{id}", tag = "konti", params(("id" = i32, Path)), responses((status = 200, body = UserView)))]
pub async fn get_user(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<UserView>> {
    auth.require(Action::ManageUsers)?;
    Ok(Json(UserView::from(&state.store().user(id).await?)))
}

/// Change an account's roles, products, name or state (admins).
#[utoipa::path(put, path = "/users/{id}", tag = "konti", params(("id" = i32, Path)), request_body = UserUpdate,
    responses((status = 200, body = UserView), (status = 409, body = ErrorBody)))]
pub async fn update_user(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    headers: HeaderMap,
    body: JsonBody<UserUpdate>,
) -> ApiResult<Json<UserView>> {
    let who = auth.require(Action::ManageUsers)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        state
            .store()
            .update_user(&who.actor(), id, version, input)
            .await?,
    ))
}

/// Set an account's password (admins). All the account's sessions end (but the caller's
/// own session, when admins set their own password), and its API tokens are revoked
/// unless `revoke_tokens` is `false`. The answer says how many of each ended.
#[utoipa::path(post, path = "/users/{id}/password", tag = "konti", params(("id" = i32, Path)), request_body = PasswordInput,
    responses((status = 200, body = PasswordChanged), (status = 422, body = ErrorBody)))]
pub async fn set_user_password(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    jar: CookieJar,
    body: JsonBody<PasswordInput>,
) -> ApiResult<Json<PasswordChanged>> {
    let who = auth.require(Action::ManageUsers)?;
    let input = body.parse()?;
    let user = state.store().user(id).await?;
    let hash = hash_checked(input.password).await?;
    let own_session = (who.user_id == id)
        .then(|| jar.get(SESSION_COOKIE).map(|c| hash_secret(c.value())))
        .flatten();
    let changed = state
        .store()
        .set_password_with(
            &who.actor(),
            id,
            hash,
            PasswordChange {
                keep_session: own_session.as_deref(),
                revoke_tokens: input.revoke_tokens,
            },
        )
        .await?;
    state.login_guard().forget_account(&user.username);
    Ok(Json(changed))
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
        use std::time::Duration;
        assert_eq!(retry_after_seconds(Duration::from_millis(59_001)), 60);
        assert_eq!(retry_after_seconds(Duration::from_secs(60)), 60);
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
    }
}
