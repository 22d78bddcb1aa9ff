//! Starting and ending sessions: the cookie and the database row, shared by password and
//! single-sign-on logins.

use axum_extra::extract::cookie::{Cookie, SameSite};
use niveau_store::entity::user_account;

use crate::auth::principal::SESSION_COOKIE;
use crate::auth::token::{hash_secret, new_secret};
use crate::error::ApiResult;
use crate::state::AppState;

/// A new session: the cookie to set and the CSRF token to give the page.
pub struct NewSession {
    /// The cookie (HttpOnly, SameSite=Lax, Secure behind TLS).
    pub cookie: Cookie<'static>,
    /// The session's CSRF token.
    pub csrf_token: String,
}

/// Start a session for `user`.
pub async fn start(state: &AppState, user: &user_account::Model) -> ApiResult<NewSession> {
    let secret = new_secret();
    let csrf_token = new_secret();
    let ttl = state.config().session_ttl();
    state
        .store()
        .create_session(&hash_secret(&secret), user.id, &csrf_token, ttl)
        .await?;
    state.store().record_login_success(user.id).await?;
    Ok(NewSession {
        cookie: session_cookie(state, secret, ttl),
        csrf_token,
    })
}

fn session_cookie(state: &AppState, value: String, ttl: chrono::Duration) -> Cookie<'static> {
    let mut cookie = Cookie::new(SESSION_COOKIE, value);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_secure(state.config().cookies_secure());
    cookie.set_path("/");
    cookie.set_max_age(cookie::time::Duration::seconds(ttl.num_seconds()));
    cookie
}

/// A cookie that removes the session cookie.
pub fn clear_cookie(state: &AppState) -> Cookie<'static> {
    let mut cookie = session_cookie(state, String::new(), chrono::Duration::zero());
    cookie.make_removal();
    cookie
}
