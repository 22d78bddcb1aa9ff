//! Single sign-on redirects: /auth/oidc/login sends the browser to the provider;
//! /auth/oidc/callback checks the answer and starts a session. These are browser
//! navigations, not API calls, so they live outside the OpenAPI document.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use niveau_app::accounts::{self, SsoAccount, SsoFlow, SsoIdentity};
use niveau_model::Msg;
use serde::Deserialize;

use crate::auth::session;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/oidc/login", get(oidc_login))
        .route("/auth/oidc/callback", get(oidc_callback))
}

/// Query of the login start.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    /// A local path to return to afterwards.
    pub return_to: Option<String>,
}

/// Only local paths: never an open redirect.
fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

async fn oidc_login(
    State(state): State<AppState>,
    Query(q): Query<LoginQuery>,
) -> ApiResult<Response> {
    let Some(client) = state.oidc() else {
        return Err(ApiError::not_found(Msg::new(
            "single sign-on",
            "single sign-on",
        )));
    };
    let request = client.authorize_url();
    accounts::begin_sso(
        state.app(),
        SsoFlow {
            state: request.state,
            nonce: request.nonce,
            pkce_verifier: request.pkce_verifier,
            return_to: safe_return(q.return_to.as_deref()),
        },
    )
    .await?;
    Ok(Redirect::to(&request.url).into_response())
}

/// What the provider sends back.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    /// The authorization code.
    pub code: Option<String>,
    /// The state we sent.
    pub state: Option<String>,
    /// An error from the provider (`access_denied`).
    pub error: Option<String>,
}

async fn oidc_callback(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<CallbackQuery>,
) -> ApiResult<Response> {
    let Some(client) = state.oidc() else {
        return Err(ApiError::not_found(Msg::new(
            "single sign-on",
            "single sign-on",
        )));
    };
    if let Some(error) = q.error {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "sso_denied",
            Msg::new(
                format!("login hos udbyderen blev afvist: {error}"),
                format!("the provider refused the login: {error}"),
            ),
        ));
    }
    let (Some(code), Some(flow_state)) = (q.code, q.state) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "sso_invalid",
            Msg::new("mangler code eller state", "code or state is missing"),
        ));
    };
    let Some(flow) = accounts::take_sso(state.app(), &flow_state).await? else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "sso_invalid",
            Msg::new(
                "ukendt eller udløbet login; start forfra",
                "unknown or expired login; start again",
            ),
        ));
    };
    let identity = client
        .exchange(&code, &flow.pkce_verifier, &flow.nonce)
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "single sign-on exchange failed");
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                "sso_failed",
                Msg::new(
                    format!("login kunne ikke bekræftes: {e}"),
                    format!("the login could not be confirmed: {e}"),
                ),
            )
        })?;
    let create_with = state
        .config()
        .oidc
        .as_ref()
        .filter(|c| c.create_users)
        .map(|c| c.default_roles.clone());
    let identity = SsoIdentity {
        issuer: identity.issuer,
        subject: identity.subject,
        email: identity.email,
        name: identity.name,
    };
    let user = match accounts::single_sign_on(state.app(), identity, create_with).await? {
        SsoAccount::Ready(user) => *user,
        SsoAccount::NoAccount => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "no_account",
                Msg::new(
                    "du er logget ind hos udbyderen, men har ingen konto her; kontakt sekretariatet",
                    "you are logged in with the provider, but have no account here; contact the secretariat",
                ),
            ));
        }
        SsoAccount::Disabled => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "disabled",
                Msg::new("kontoen er spærret", "the account is disabled"),
            ));
        }
    };
    let started = session::start(&state, &user).await?;
    Ok((jar.add(started.cookie), Redirect::to(&flow.return_to)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_return_paths() {
        assert_eq!(safe_return(Some("/produkter/os2mo")), "/produkter/os2mo");
        assert_eq!(safe_return(Some("//evil.example")), "/");
        assert_eq!(safe_return(Some("https://evil.example")), "/");
        assert_eq!(safe_return(Some("/\\evil")), "/");
        assert_eq!(safe_return(None), "/");
    }
}
