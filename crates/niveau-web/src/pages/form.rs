//! What every page with a form shares: the posted fields, the 303 after a change, and the
//! `?besked=` confirmation that follows it.

use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use niveau_report::Lang;
use serde::Deserialize;

use super::lang::PageLang;
use crate::auth::principal::{Auth, FormAuth};
use crate::error::ApiError;
use crate::state::AppState;

/// A posted HTML form whose CSRF token (the field `csrf_token`) is the session's: the
/// caller, the page's language, the request's path and the fields. Take it as a handler's
/// last argument (it reads the body).
pub struct FormPost {
    /// The caller, verified.
    pub auth: Auth,
    /// The page's language.
    pub lang: Lang,
    /// The path the form posted to.
    pub path: String,
    /// The fields.
    pub fields: Fields,
}

impl FromRequest<AppState> for FormPost {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (mut parts, body) = req.into_parts();
        let form_auth = FormAuth::from_request_parts(&mut parts, state).await?;
        let Ok(PageLang(lang)) = PageLang::from_request_parts(&mut parts, state).await;
        let path = parts.uri.path().to_owned();
        let Form(pairs) =
            Form::<Vec<(String, String)>>::from_request(Request::from_parts(parts, body), state)
                .await
                .map_err(|e| {
                    tracing::debug!(rejection = %e, "form body refused");
                    ApiError::invalid(
                        "body",
                        niveau_model::Msg::new(
                            "formularen kunne ikke læses",
                            "the form could not be read",
                        ),
                    )
                })?;
        let fields = Fields(pairs);
        let auth = form_auth.verify(fields.one("csrf_token"))?;
        Ok(FormPost {
            auth,
            lang,
            path,
            fields,
        })
    }
}

/// 303 to `location` (a path of ours).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// A posted form as its name–value pairs, in order. Checkboxes and multiple selects send
/// one pair per chosen value, which a struct cannot take from axum's `Form`.
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value named `name`, trimmed; empty when there is none.
    pub fn one(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }

    /// The first value named `name` exactly as sent (passwords keep their spaces).
    pub fn raw(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every non-empty value named `name`, trimmed.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// The version the form was based on.
    pub fn version(&self, lang: Lang) -> Result<i32, String> {
        self.one("version").parse().map_err(|_| {
            lang.pick(
                "Formularen mangler sin version. Hent siden igen.",
                "The form lacks its version. Reload the page.",
            )
            .to_owned()
        })
    }
}

/// `?besked=` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    /// Which confirmation to show (see [`notice`]).
    #[serde(default)]
    besked: Option<String>,
}

impl NoticeQuery {
    /// The key of the confirmation, if any.
    pub fn notice(&self) -> Option<&str> {
        self.besked.as_deref()
    }
}
