//! Who is asking: the account behind a session cookie or an API token, checked once per
//! request. Unsafe requests (POST, PUT, PATCH, DELETE) that come with a session cookie
//! must carry the session's CSRF token in `X-CSRF-Token`; token requests need none, as
//! a browser never adds an Authorization header by itself.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum_extra::extract::CookieJar;

use crate::auth::token::constant_time_eq;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::{Action, allowed};
use niveau_model::Msg;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "niveau_session";
/// The header that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// An authenticated account, as the HTTP layer knows it: the application layer's
/// [`niveau_app::Principal`] plus the session's CSRF token. Derefs to the former, so
/// `principal.roles` and `principal.actor()` read as before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Who acts.
    pub who: niveau_app::Principal,
    /// The session's CSRF token (sessions only).
    pub csrf_token: Option<String>,
}

impl std::ops::Deref for Principal {
    type Target = niveau_app::Principal;

    fn deref(&self) -> &niveau_app::Principal {
        &self.who
    }
}

/// The request's principal, if any. Extracting it fails only for a bad API token (401) or
/// a missing CSRF token (403); an unknown or expired cookie just means anonymous.
#[derive(Debug, Clone)]
pub struct Auth(pub Option<Principal>);

impl Auth {
    /// The principal if it may do `action`; otherwise 401 (anonymous) or 403. A token
    /// without the `write` scope gets a 403 that says so for every action that changes
    /// something.
    pub fn require(&self, action: Action) -> Result<&Principal, ApiError> {
        niveau_app::require(self.who(), action)?;
        self.0.as_ref().ok_or_else(ApiError::unauthenticated)
    }

    /// Whether the request may do `action` (anonymous included).
    pub fn can(&self, action: Action) -> bool {
        allowed(self.who(), action)
    }

    /// The caller as the application layer's operations take it.
    pub fn who(&self) -> niveau_app::Caller<'_> {
        self.0.as_ref().map(|p| &p.who)
    }
}

fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(value) = parts.headers.get(header::AUTHORIZATION) {
            let token = value
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::UNAUTHORIZED,
                        "invalid_token",
                        Msg::new(
                            "Authorization skal være 'Bearer <token>'",
                            "Authorization must be 'Bearer <token>'",
                        ),
                    )
                })?;
            let found = niveau_app::accounts::principal_from_token(state.app(), token).await?;
            let Some(who) = found else {
                return Err(ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "invalid_token",
                    Msg::new(
                        "ukendt, udløbet eller tilbagekaldt API-token",
                        "unknown, expired or revoked API token",
                    ),
                ));
            };
            return Ok(Auth(Some(Principal {
                who,
                csrf_token: None,
            })));
        }
        let Some(principal) = session_principal(&parts.headers, state).await? else {
            return Ok(Auth(None));
        };
        if is_unsafe(&parts.method) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            check_csrf(&principal, sent)?;
        }
        Ok(Auth(Some(principal)))
    }
}

/// The principal of the session cookie in `headers`, if it names a live session.
async fn session_principal(
    headers: &axum::http::HeaderMap,
    state: &AppState,
) -> Result<Option<Principal>, ApiError> {
    let jar = CookieJar::from_headers(headers);
    let Some(cookie) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    let found = niveau_app::accounts::principal_from_session(
        state.app(),
        cookie.value(),
        state.config().session_ttl(),
    )
    .await?;
    Ok(found.map(|(who, csrf)| Principal {
        who,
        csrf_token: Some(csrf),
    }))
}

/// 403 unless `sent` is the session's CSRF token (compared in constant time).
fn check_csrf(principal: &Principal, sent: &str) -> Result<(), ApiError> {
    match &principal.csrf_token {
        Some(token) if constant_time_eq(sent, token) => Ok(()),
        _ => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            Msg::new(
                "mangler eller forkert CSRF-token (X-CSRF-Token, eller feltet csrf_token i en formular); hent det fra /api/v1/me",
                "missing or wrong CSRF token (X-CSRF-Token, or the field csrf_token in a form); get it from /api/v1/me",
            ),
        )),
    }
}

/// The session of an HTML form post, before its CSRF token is checked. A form cannot
/// send the X-CSRF-Token header, so it sends the token as the field `csrf_token`; the
/// handler reads its body and calls [`FormAuth::verify`], which is the only way to get
/// an [`Auth`] out of it. Bearer tokens are not accepted here: forms come from browsers.
#[derive(Debug)]
pub struct FormAuth(Option<Principal>);

impl FormAuth {
    /// The caller, if the form's `csrf_token` is the session's; 403 otherwise, also when
    /// there is no session.
    pub fn verify(self, sent: &str) -> Result<Auth, ApiError> {
        match self.0 {
            Some(principal) => {
                check_csrf(&principal, sent)?;
                Ok(Auth(Some(principal)))
            }
            None => Err(ApiError::unauthenticated()),
        }
    }
}

impl FromRequestParts<AppState> for FormAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(FormAuth(session_principal(&parts.headers, state).await?))
    }
}
