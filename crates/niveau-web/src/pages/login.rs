//! Logging in and out in the browser: `/log-ind` (name and password, or single sign-on
//! when it is configured) and `/log-ud`.
//!
//! The login form posts name and password; the checks are the API's
//! ([`crate::auth::login::authenticate`]: the login guard of [`crate::auth::ratelimit`]
//! around [`niveau_app::accounts::authenticate`]), and so are the answers: the same `401` and message for a wrong password and an
//! unknown or disabled account, `429` with `Retry-After` for a client that must wait. The
//! typed user name stays in the form after a refusal (the password never does). A form post
//! from another site is refused by its `Origin` header (login CSRF). Logging out is a
//! form with the session's CSRF token.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use super::lang::{PageLang, is_local_path};
use super::{Layout, render};
use crate::auth::login::{Refused, authenticate, client_key, retry_after_seconds};
use crate::auth::principal::{Auth, FormAuth};
use crate::auth::session;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    error: String,
    single_sign_on: bool,
}

/// `?next=` of the login page.
#[derive(Debug, Default, Deserialize)]
pub struct Next {
    #[serde(default)]
    next: Option<String>,
}

/// What the login form posts.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: Option<String>,
}

/// What the logout form posts.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

fn local_or_home(next: Option<&str>) -> String {
    next.filter(|n| is_local_path(n)).unwrap_or("/").to_owned()
}

fn page(
    state: &AppState,
    auth: &Auth,
    lang: niveau_report::Lang,
    username: String,
    next: String,
    error: String,
) -> Response {
    render(&LoginPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Log ind", "Log in"),
            "login",
            "/log-ind",
        ),
        username,
        next,
        error,
        single_sign_on: state.oidc().is_some(),
    })
}

/// `GET /log-ind`.
pub async fn form(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    Query(next): Query<Next>,
) -> Response {
    let next = local_or_home(next.next.as_deref());
    page(&state, &auth, lang, String::new(), next, String::new())
}

/// Whether a form post comes from this site: no `Origin` (older browsers, tools), or an
/// `Origin` whose host is the request's `Host`.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    !host.is_empty() && origin_host == host
}

/// `POST /log-ind`.
pub async fn submit(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    peer: Result<ConnectInfo<SocketAddr>, axum::extract::rejection::ExtensionRejection>,
    headers: HeaderMap,
    jar: CookieJar,
    Form(input): Form<LoginForm>,
) -> Response {
    let anonymous = Auth(None);
    let next = local_or_home(input.next.as_deref());
    if !same_origin(&headers) {
        let mut r = page(
            &state,
            &anonymous,
            lang,
            input.username,
            next,
            lang.pick(
                "Formularen kom fra en anden side og blev afvist.",
                "The form came from another site and was refused.",
            )
            .into(),
        );
        *r.status_mut() = StatusCode::FORBIDDEN;
        return r;
    }
    let key = client_key(&state, &headers, peer.ok().map(|ConnectInfo(p)| p));
    let mut retry_after = None;
    let (status, message) = match authenticate(&state, &key, &input.username, &input.password).await
    {
        Ok(user) => match session::start(&state, &user).await {
            Ok(started) => {
                let mut response = (jar.add(started.cookie), StatusCode::SEE_OTHER).into_response();
                if let Ok(location) = HeaderValue::from_str(&next) {
                    response.headers_mut().insert(header::LOCATION, location);
                }
                return response;
            }
            Err(e) => (e.status, e.message_in(lang).to_owned()),
        },
        Err(Refused::Wait(wait)) => {
            let seconds = retry_after_seconds(wait);
            retry_after = Some(seconds);
            (
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "{} {seconds} {}",
                    lang.pick(
                        "For mange forsøg. Prøv igen om",
                        "Too many attempts. Try again in"
                    ),
                    lang.pick("sekunder.", "seconds.")
                ),
            )
        }
        Err(Refused::Error(e)) => {
            let message = match e.detail.code.as_str() {
                "bad_credentials" => lang
                    .pick(
                        "Forkert brugernavn eller adgangskode.",
                        "Wrong user name or password.",
                    )
                    .to_owned(),
                _ => e.message_in(lang).to_owned(),
            };
            (e.status, message)
        }
    };
    let mut r = page(&state, &anonymous, lang, input.username, next, message);
    *r.status_mut() = status;
    if let Some(seconds) = retry_after
        && let Ok(value) = HeaderValue::from_str(&seconds.to_string())
    {
        r.headers_mut().insert(header::RETRY_AFTER, value);
    }
    r
}

/// `POST /log-ud`: end the session (the form carries its CSRF token) and go to the
/// portfolio.
pub async fn logout(
    State(state): State<AppState>,
    auth: FormAuth,
    jar: CookieJar,
    Form(form): Form<LogoutForm>,
) -> Result<Response, ApiError> {
    auth.verify(&form.csrf_token)?;
    session::end(&state, &jar).await?;
    let mut response = (
        jar.add(session::clear_cookie(&state)),
        StatusCode::SEE_OTHER,
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h));
        h.insert(header::HOST, HeaderValue::from_static("niveau.os2.eu"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://niveau.os2.eu"),
        );
        assert!(same_origin(&h));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        assert!(!same_origin(&h));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
    }
}
