//! Starting and ending sessions in the browser: the cookie, shared by password and
//! single-sign-on logins. The session itself (its stored hash, its CSRF token, the
//! recorded login) is the application layer's ([`niveau_app::accounts::start_session`]).

use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use niveau_app::accounts;
use niveau_store::entity::user_account;

use crate::auth::principal::SESSION_COOKIE;
use crate::error::ApiResult;
use crate::state::AppState;

/// A new session: the cookie to set and the CSRF token to give the page.
pub struct NewSession {
    /// The cookie (HttpOnly, SameSite=Lax, Secure behind TLS).
    pub cookie: Cookie<'static>,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The account, as stored after the login.
    pub user: user_account::Model,
}

/// Start a session for `user`, whose credentials were just found valid.
pub async fn start(state: &AppState, user: &user_account::Model) -> ApiResult<NewSession> {
    let ttl = state.config().session_ttl();
    let started = accounts::start_session(state.app(), user, ttl).await?;
    Ok(NewSession {
        cookie: session_cookie(state, started.secret, ttl),
        csrf_token: started.csrf_token,
        user: started.user,
    })
}

/// End the session of the cookie in `jar`, if there is one.
pub async fn end(state: &AppState, jar: &CookieJar) -> ApiResult<()> {
    if let Some(cookie) = jar.get(SESSION_COOKIE) {
        accounts::end_session(state.app(), cookie.value()).await?;
    }
    Ok(())
}

/// The value of the session cookie in `jar`, if there is one.
pub fn secret(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_owned())
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
