//! The profile (`/profil`): who you are, your roles, and your API tokens — create one
//! (its secret is shown once, on the page that answers the form, and never again) and
//! revoke one. The operations are the API's ([`niveau_app::accounts`]); forms carry the
//! session's CSRF token.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use niveau_report::Lang;
use serde::Deserialize;

use super::lang::PageLang;
use super::{Layout, render, to_login};
use crate::auth::principal::{Auth, FormAuth};
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::accounts::{self, TokenInput};
use niveau_app::permissions::Action;
use niveau_store::accounts::MAX_TOKEN_DAYS;

/// A token as listed.
struct TokenRow {
    id: i32,
    name: String,
    scopes: String,
    created: String,
    expires: String,
    last_used: String,
    state: &'static str,
    active: bool,
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    layout: Layout,
    username: String,
    display_name: String,
    roles: String,
    tokens: Vec<TokenRow>,
    new_secret: String,
    new_name: String,
    error: String,
    typed: Typed,
    /// The notification setting: `immediate`, `digest` or `off`.
    notify_mode: &'static str,
    /// The notification language: `da` or `en`.
    notify_lang: String,
}

/// What the token form shows in its fields: what was typed, after a refused post.
struct Typed {
    name: String,
    days: String,
    write: bool,
}

impl Default for Typed {
    fn default() -> Self {
        Typed {
            name: String::new(),
            days: "90".into(),
            write: false,
        }
    }
}

impl Typed {
    fn from_form(form: &TokenForm) -> Typed {
        Typed {
            name: form.name.clone(),
            days: form.expires_days.clone().unwrap_or_default(),
            write: form.write.is_some(),
        }
    }
}

/// What the token form posts.
#[derive(Debug, Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    /// Checkbox: the write scope (read is always given).
    #[serde(default)]
    write: Option<String>,
    /// Days until it expires; empty for never.
    #[serde(default)]
    expires_days: Option<String>,
}

/// What the revoke form posts.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf_token: String,
}

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    new_secret: String,
    new_name: String,
    error: String,
    typed: Typed,
) -> Result<Response, ApiError> {
    let who = auth.require(Action::ReadOwnAccount)?;
    let now = state.store().now();
    let notify = niveau_app::mail::my_settings(state.app(), auth.who()).await?;
    let date = |d: Option<chrono::DateTime<chrono::Utc>>| {
        d.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let tokens = accounts::tokens(state.app(), auth.who())
        .await?
        .into_iter()
        .map(|t| {
            let (state, active) = if t.revoked_at.is_some() {
                (lang.pick("tilbagekaldt", "revoked"), false)
            } else if t.expires_at.is_some_and(|e| e <= now) {
                (lang.pick("udløbet", "expired"), false)
            } else {
                (lang.pick("aktiv", "active"), true)
            };
            TokenRow {
                id: t.id,
                name: t.name,
                scopes: t.scopes.0.join(", "),
                created: date(Some(t.created_at)),
                expires: date(t.expires_at),
                last_used: date(t.last_used_at),
                state,
                active,
            }
        })
        .collect();
    Ok(render(&ProfilePage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Profil", "Profile"),
            "profile",
            "/profil",
        ),
        username: who.username.clone(),
        display_name: who.display_name.clone(),
        roles: who
            .roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        tokens,
        new_secret,
        new_name,
        error,
        typed,
        notify_mode: notify.mode.as_str(),
        notify_lang: notify.language,
    }))
}

/// `POST /profil/notifikationer`: the caller's e-mail notification settings (mode and
/// language); back to the profile.
pub async fn notifications(
    State(state): State<AppState>,
    post: crate::pages::form::FormPost,
) -> Result<Response, ApiError> {
    let crate::pages::form::FormPost { auth, fields, .. } = post;
    auth.require(Action::OwnAccount)?;
    let Some(mode) =
        niveau_store::entity::notification_setting::NotifyMode::parse(fields.one("mode"))
    else {
        return Err(ApiError::invalid(
            "mode",
            niveau_model::Msg::new(
                "vælg straks, dagligt sammendrag eller fra",
                "choose immediately, daily digest or off",
            ),
        ));
    };
    let input = niveau_app::mail::NotificationSettings {
        mode,
        language: fields.one("language").to_owned(),
    };
    niveau_app::mail::put_my_settings(state.app(), auth.who(), input).await?;
    Ok(crate::pages::form::see_other("/profil#notifikationer"))
}

/// `GET /profil`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    if !auth.can(Action::ReadOwnAccount) {
        let path = uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/profil");
        return Ok(to_login(path));
    }
    show(
        &state,
        &auth,
        lang,
        String::new(),
        String::new(),
        String::new(),
        Typed::default(),
    )
    .await
}

/// `POST /profil/tokens`: a new token; the answer shows its secret once.
pub async fn create(
    State(state): State<AppState>,
    auth: FormAuth,
    PageLang(lang): PageLang,
    Form(form): Form<TokenForm>,
) -> Result<Response, ApiError> {
    let auth = auth.verify(&form.csrf_token)?;
    auth.require(Action::OwnAccount)?;
    let days = form
        .expires_days
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    let expires_days = match days.map(str::parse::<u32>) {
        None => None,
        Some(Ok(days)) => Some(days),
        Some(Err(_)) => return refused_expiry(&state, &auth, lang, &form).await,
    };
    let mut scopes = vec!["read".to_owned()];
    if form.write.is_some() {
        scopes.push("write".to_owned());
    }
    let input = TokenInput {
        name: form.name.clone(),
        scopes,
        expires_days,
    };
    match accounts::create_token(state.app(), auth.who(), input).await {
        Ok(made) => {
            let mut r = show(
                &state,
                &auth,
                lang,
                made.token,
                made.info.name,
                String::new(),
                Typed::default(),
            )
            .await?;
            *r.status_mut() = StatusCode::CREATED;
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            Ok(r)
        }
        Err(e) if e.field() == Some("expires_days") => {
            refused_expiry(&state, &auth, lang, &form).await
        }
        Err(e) => {
            let e = ApiError::from(e);
            let mut r = show(
                &state,
                &auth,
                lang,
                String::new(),
                String::new(),
                e.message_in(lang).to_owned(),
                Typed::from_form(&form),
            )
            .await?;
            *r.status_mut() = e.status;
            Ok(r)
        }
    }
}

/// The profile again with the typed token, refusing its expiry (422).
async fn refused_expiry(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    form: &TokenForm,
) -> Result<Response, ApiError> {
    let mut r = show(
        state,
        auth,
        lang,
        String::new(),
        String::new(),
        match lang {
            Lang::Da => format!(
                "Udløb skal være et helt antal dage fra 1 til {MAX_TOKEN_DAYS}, eller tomt for aldrig."
            ),
            Lang::En => format!(
                "Expiry must be a whole number of days from 1 to {MAX_TOKEN_DAYS}, or empty for never."
            ),
        },
        Typed::from_form(form),
    )
    .await?;
    *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(r)
}

/// `POST /profil/tokens/{id}/tilbagekald`: revoke one of one's own tokens.
pub async fn revoke(
    State(state): State<AppState>,
    auth: FormAuth,
    Path(id): Path<i32>,
    Form(form): Form<RevokeForm>,
) -> Result<Response, ApiError> {
    let auth = auth.verify(&form.csrf_token)?;
    auth.require(Action::OwnAccount)?;
    accounts::revoke_token(state.app(), auth.who(), id).await?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/profil"));
    Ok(response)
}
