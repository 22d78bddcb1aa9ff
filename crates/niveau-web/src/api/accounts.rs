//! Accounts: password login and logout, the caller's profile and API tokens, and account
//! management for admins. Single-sign-on redirects live in [`crate::auth::routes`].

use std::net::SocketAddr;
use std::time::Instant;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use niveau_store::accounts::{
    ApiTokenView, MAX_TOKEN_DAYS, NewUser, UserUpdate, UserView, token_expiry,
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
use crate::permissions::Action;
use crate::state::AppState;

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
}

/// Hash a password off the async threads, after checking its length.
pub async fn hash_checked(password: String) -> ApiResult<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid(
            "password",
            format!("adgangskoden skal være mindst {MIN_PASSWORD_CHARS} tegn"),
        ));
    }
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))
}

/// The key the login rate limit counts by: the peer address, or the first
/// X-Forwarded-For address when the configuration trusts a proxy.
pub fn client_key(state: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> String {
    if state.config().trust_forwarded_for
        && let Some(first) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return first.trim().to_string();
    }
    peer.map(|p| p.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

fn bad_credentials() -> ApiError {
    ApiError::new(
        StatusCode::UNAUTHORIZED,
        "bad_credentials",
        "forkert brugernavn eller adgangskode",
    )
}

/// Log in with a password. Sets the session cookie and returns the CSRF token. After
/// too many failures in a row the account is locked for a while (423); too many attempts
/// from one address are refused (429).
#[utoipa::path(post, path = "/auth/login", tag = "konti", request_body = LoginInput,
    responses((status = 200, body = Me), (status = 401, body = ErrorBody), (status = 423, body = ErrorBody), (status = 429, body = ErrorBody)))]
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
    /// Too many attempts from this client: wait this long.
    Wait(std::time::Duration),
    /// Wrong name or password, a locked or disabled account, or a store error.
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

/// Check a login by name and password, with the rate limit for `key` (the client) and
/// the account's lockout: the user on success. The API's login and the login page share it.
pub async fn authenticate(
    state: &AppState,
    key: &str,
    username: &str,
    password: &str,
) -> Result<niveau_store::entity::user_account::Model, Refused> {
    if let Err(wait) = state.login_limiter().check_and_record(key, Instant::now()) {
        return Err(Refused::Wait(wait));
    }
    let user = state.store().user_by_username(username).await?;
    let password = password.to_owned();
    let Some(user) = user else {
        tokio::task::spawn_blocking(move || dummy_verify(&password))
            .await
            .map_err(|e| ApiError::internal(&e))?;
        return Err(bad_credentials().into());
    };
    let now = state.store().now();
    if let Some(until) = user.locked_until
        && until > now
    {
        return Err(ApiError::new(
            StatusCode::LOCKED,
            "locked",
            format!(
                "kontoen er låst efter for mange forkerte forsøg indtil {}",
                until.format("%H:%M UTC")
            ),
        )
        .into());
    }
    let hash = user.password_hash.clone();
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            dummy_verify(&password);
            false
        }
    })
    .await
    .map_err(|e| ApiError::internal(&e))?;
    if !ok || user.disabled {
        let login = &state.config().login;
        let locked = state
            .store()
            .record_login_failure(
                user.id,
                login.max_failures,
                chrono::Duration::minutes(login.lock_minutes),
            )
            .await?;
        if locked.is_some() {
            return Err(ApiError::new(
                StatusCode::LOCKED,
                "locked",
                format!(
                    "kontoen er nu låst i {} minutter efter for mange forkerte forsøg",
                    login.lock_minutes
                ),
            )
            .into());
        }
        return Err(bad_credentials().into());
    }
    state.login_limiter().reset(key);
    Ok(user)
}

/// The 429 answer with Retry-After.
pub fn rate_limited(wait: std::time::Duration) -> Response {
    let seconds = wait.as_secs().max(1);
    let mut e = ApiError::new(
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
            ApiError::invalid(
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
        return Err(ApiError::not_found(&format!("token {id}")));
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

/// Set an account's password (admins); its sessions end.
#[utoipa::path(post, path = "/users/{id}/password", tag = "konti", params(("id" = i32, Path)), request_body = PasswordInput,
    responses((status = 204), (status = 422, body = ErrorBody)))]
pub async fn set_user_password(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
    body: JsonBody<PasswordInput>,
) -> ApiResult<StatusCode> {
    let who = auth.require(Action::ManageUsers)?;
    let input = body.parse()?;
    state.store().user(id).await?;
    let hash = hash_checked(input.password).await?;
    state.store().set_password(&who.actor(), id, hash).await?;
    Ok(StatusCode::NO_CONTENT)
}
