//! Accounts: password login and logout, the caller's profile and API tokens, and account
//! management for admins. Single-sign-on redirects live in [`crate::auth::routes`].

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use niveau_app::accounts::{self, NewToken, SetPassword, TokenInput, UserInput};
use niveau_store::accounts::{ApiTokenView, PasswordChanged, UserUpdate, UserView};
use niveau_store::{ListParams, Page};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::login::{Refused, authenticate, client_key, rate_limited};
use crate::auth::principal::Auth;
use crate::auth::session;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, JsonBody, LaterQuery, expected_version};
use crate::state::AppState;
use niveau_app::permissions::Action;

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
    let body = Me {
        user: UserView::from(&started.user),
        csrf_token: Some(started.csrf_token),
        demo: state.config().demo,
    };
    Ok((jar.add(started.cookie), Json(body)).into_response())
}

/// Log out: the session ends and the cookie is removed.
#[utoipa::path(post, path = "/auth/logout", tag = "konti", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    auth: Auth,
    jar: CookieJar,
) -> ApiResult<Response> {
    if auth.0.is_some() {
        session::end(&state, &jar).await?;
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
    let user = accounts::me(state.app(), auth.who()).await?;
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
    auth.require(Action::ReadOwnAccount)?;
    let tokens = accounts::tokens(state.app(), auth.who()).await?;
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
    auth.require(Action::OwnAccount)?;
    let input: TokenInput = body.parse()?;
    let made = accounts::create_token(state.app(), auth.who(), input).await?;
    Ok((StatusCode::CREATED, Json(made)))
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
    auth.require(Action::OwnAccount)?;
    let revoked = accounts::revoke_token(state.app(), auth.who(), id).await?;
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
    Ok(Json(
        accounts::list_users(state.app(), auth.who(), &params).await?,
    ))
}

/// Create an account (admins).
#[utoipa::path(post, path = "/users", tag = "konti", request_body = UserInput,
    responses((status = 201, body = UserView), (status = 422, body = ErrorBody)))]
pub async fn create_user(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<UserInput>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    auth.require(Action::ManageUsers)?;
    let input = body.parse()?;
    let user = accounts::create_user(state.app(), auth.who(), input).await?;
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
    Ok(Json(accounts::user(state.app(), auth.who(), id).await?))
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
    auth.require(Action::ManageUsers)?;
    let input = body.parse()?;
    let version = expected_version(&headers, input.version)?;
    Ok(Json(
        accounts::update_user(state.app(), auth.who(), id, version, input).await?,
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
    auth.require(Action::ManageUsers)?;
    let input: PasswordInput = body.parse()?;
    let set = accounts::set_password(
        state.app(),
        auth.who(),
        id,
        SetPassword {
            password: input.password,
            revoke_tokens: input.revoke_tokens,
            own_session: session::secret(&jar),
        },
    )
    .await?;
    state.login_guard().forget_account(&set.username);
    Ok(Json(set.changed))
}
