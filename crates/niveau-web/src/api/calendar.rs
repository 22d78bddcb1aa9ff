//! /calendar.ics (and /kalender.ics outside the API): the iCalendar feed of round
//! deadlines and board meetings ([`niveau_app::calendar`]).
//!
//! A calendar program that subscribes to a feed cannot log in with a cookie and rarely
//! sends an Authorization header, so besides the usual session or bearer token the feed
//! takes a personal API token in the address: `?token=niv_…`. Only a read-only token
//! (scope `read`, created and revoked on the profile page) is accepted there: a token
//! that may write never belongs in an address that ends up in calendar programs and
//! proxies (403 `token_not_read_only`). The access log records the path without the
//! query, so the token is not written there either. An anonymous caller gets an empty
//! calendar: nothing in it is public.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use niveau_app::calendar::{self, FeedContext};
use niveau_model::Msg;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::extract::LaterQuery;
use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(calendar_feed))
}

/// The feed's query.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct FeedQuery {
    /// A read-only API token, for calendar programs that cannot send a header.
    pub token: Option<String>,
    /// `en` for English summaries (Danish by default).
    pub lang: Option<String>,
}

/// The iCalendar feed (RFC 5545) of round dates (logged-in readers) and board meetings
/// (the board and the secretariat); empty for anonymous callers.
#[utoipa::path(get, path = "/calendar.ics", tag = "kalender",
    params(FeedQuery),
    responses((status = 200, content_type = "text/calendar", body = String),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn calendar_feed(
    State(state): State<AppState>,
    auth: Auth,
    query: LaterQuery<FeedQuery>,
) -> ApiResult<Response> {
    let query = query.parse()?;
    let who = match (&auth.0, query.token.as_deref()) {
        (None, Some(secret)) => Some(read_only_principal(&state, secret).await?),
        (Some(p), _) => Some(p.who.clone()),
        (None, None) => None,
    };
    let english = match query.lang.as_deref() {
        Some(lang) => lang.eq_ignore_ascii_case("en"),
        None => crate::error::request_lang() == niveau_report::Lang::En,
    };
    let ctx = FeedContext {
        public_url: state.config().public_url.clone(),
        english,
    };
    let body = calendar::feed(state.app(), who.as_ref(), &ctx).await?;
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"niveau.ics\""),
    );
    Ok(response)
}

/// The account of a read-only API token given in the address.
async fn read_only_principal(state: &AppState, secret: &str) -> ApiResult<niveau_app::Principal> {
    let found = niveau_app::accounts::principal_from_token(state.app(), secret.trim()).await?;
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
    if who.can_write {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "token_not_read_only",
            Msg::new(
                "et API-token i en adresse skal være skrivebeskyttet (kun 'read'); opret et til kalenderen på din profil",
                "an API token in an address must be read-only ('read' only); create one for the calendar on your profile",
            ),
        ));
    }
    Ok(who)
}
