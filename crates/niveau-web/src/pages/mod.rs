//! The HTML pages, rendered on the server with askama templates (`templates/`).
//!
//! Every page works without JavaScript, is Danish by default and English on request
//! ([`lang`]), and shares one layout ([`Layout`]): skip link, main menu, language switch,
//! the example-data notice. Static assets are embedded ([`assets`]). User text is escaped
//! by the templates; Markdown from users goes through niveau-report's sanitiser.

mod admin;
mod agreements;
pub mod assets;
mod board;
pub mod charts;
mod decisions;
pub mod form;
mod groups;
pub mod labels;
pub mod lang;
mod login;
mod organisation;
mod portfolio;
mod product;
pub mod product_work;
mod profile;
pub mod ratings;
mod round_forms;
mod round_issues;
mod rounds;
mod statistics;
mod wishes;
// Issue 14: suppliers and partner agreements.
mod suppliers;
mod work;
pub mod workspace;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use niveau_report::Lang;

use crate::auth::principal::Auth;
use crate::state::AppState;

/// The page routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(portfolio::page))
        .route("/produkter.csv", get(portfolio::csv))
        .route("/produkter/{slug}", get(product::page))
        .route("/produkter/{slug}/{file}", get(product::download))
        .route(
            "/produkter/{slug}/evalueringer/{id}",
            get(product::evaluation_page),
        )
        .route("/beslutninger", get(decisions::page))
        .route("/organisationer/{id}", get(organisation::page))
        .route("/statistik", get(statistics::page))
        .route("/profil", get(profile::page))
        .route("/profil/tokens", axum::routing::post(profile::create))
        .route(
            "/profil/notifikationer",
            axum::routing::post(profile::notifications),
        )
        .route(
            "/profil/tokens/{id}/tilbagekald",
            axum::routing::post(profile::revoke),
        )
        .route("/runder", get(rounds::list))
        .route("/runder/{id}", get(rounds::page))
        .route("/log-ind", get(login::form).post(login::submit))
        .route("/log-ud", axum::routing::post(login::logout))
        .route("/sprog", get(lang::switch))
        .route("/static/{file}", get(assets::serve))
        .merge(admin::routes())
        .merge(work::routes())
        .merge(workspace_routes())
        // The product workspace: create, edit, participants, scans, decisions.
        .merge(product_work::routes())
        // The board's meetings and cases, and the projects' follow-up.
        .merge(board::routes())
        // Development wishes: lists, the form to raise one, the wish page, the
        // prioritisation view, settings and the secretariat's overview (#14).
        .merge(wishes::routes())
        // Issue 14: supplier concentration and partner agreements.
        .merge(supplier_routes())
}

/// The supplier pages: concentration and the partner agreement's forms.
fn supplier_routes() -> Router<AppState> {
    use axum::routing::post;
    Router::new()
        .route("/leverandoerer", get(suppliers::page))
        .route("/organisationer/{id}/partneraftale", post(suppliers::save))
        .route(
            "/organisationer/{id}/partneraftale/fjern",
            post(suppliers::remove),
        )
}

/// The secretariat's workspace pages for groups, agreements and opening, changing and
/// closing evaluation rounds.
fn workspace_routes() -> Router<AppState> {
    use axum::routing::post;
    Router::new()
        .route("/grupper", get(groups::list).post(groups::create))
        .route("/grupper/{id}", get(groups::page).post(groups::update))
        .route("/grupper/{id}/arkiver", post(groups::archive))
        .route("/grupper/{id}/medlemmer", post(groups::add_member))
        .route(
            "/grupper/{id}/medlemmer/{member}",
            post(groups::update_member),
        )
        .route(
            "/grupper/{id}/medlemmer/{member}/fjern",
            post(groups::remove_member),
        )
        .route("/grupper/{id}/moeder", post(groups::add_meeting))
        .route(
            "/grupper/{id}/moeder/{meeting}/fjern",
            post(groups::remove_meeting),
        )
        .route("/aftaler", get(agreements::list).post(agreements::create))
        .route(
            "/aftaler/{id}",
            get(agreements::page).post(agreements::update),
        )
        .route("/aftaler/{id}/arkiver", post(agreements::archive))
        .route(
            "/runder/ny",
            get(round_forms::new).post(round_forms::create),
        )
        .route(
            "/runder/{id}/rediger",
            get(round_forms::edit).post(round_forms::update),
        )
        .route("/runder/{id}/afslut", post(round_forms::close))
        .route("/runder/{id}/issues", post(round_issues::set))
        .route("/runder/{id}/issues/koer", post(round_issues::run))
}

/// An option of a select in a filter form.
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// What the visitor reads.
    pub label: String,
    /// Whether it is the current choice.
    pub selected: bool,
}

/// A query value, trimmed, if it is not empty (an empty select means "all").
pub fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// 303 to the login page, coming back to `path`.
pub fn to_login(path: &str) -> Response {
    form::see_other(&format!("/log-ind?next={}", encode_component(path)))
}

/// What the layout of every page needs.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The page's language.
    pub lang: Lang,
    /// The page title (before " – Niveau").
    pub title: String,
    /// The style sheet's path.
    pub css: String,
    /// Which main-menu entry is current.
    pub section: &'static str,
    /// The language switch: the other language's link, code and name.
    pub switch_href: String,
    /// `en` on a Danish page, `da` on an English one.
    pub other_code: &'static str,
    /// "English" on a Danish page, "Dansk" on an English one.
    pub other_name: &'static str,
    /// Whether the server holds example data.
    pub demo: bool,
    /// The logged-in user's name, if any.
    pub user: Option<String>,
    /// The session's CSRF token, for the forms on the page (logout in the header).
    pub csrf: String,
    /// The page's own path and query, for "log in and come back".
    pub here: String,
    /// Whether the visitor may see the administration (the menu shows it).
    pub admin: bool,
    /// Whether the visitor may read the board's meetings and the projects' follow-up
    /// (the board and the secretariat: the menu shows them).
    pub board: bool,
    /// The live forms' script, on the pages that have one (empty elsewhere: pages
    /// carry no script unless they need it).
    pub script: String,
}

impl Layout {
    /// The same layout with the live forms' script ([`assets::js_path`]).
    pub fn live(mut self) -> Layout {
        self.script = assets::js_path();
        self
    }

    /// The layout for a page at `path_and_query`.
    pub fn new(
        state: &AppState,
        auth: &Auth,
        lang: Lang,
        title: impl Into<String>,
        section: &'static str,
        path_and_query: &str,
    ) -> Layout {
        let (other, other_name) = match lang {
            Lang::Da => (Lang::En, "English"),
            Lang::En => (Lang::Da, "Dansk"),
        };
        // The page's own query without `lang=`, so the switch is not overridden.
        let next = strip_lang(path_and_query);
        Layout {
            lang,
            title: title.into(),
            css: assets::css_path(),
            section,
            switch_href: format!(
                "/sprog?lang={}&next={}",
                other.code(),
                encode_component(&next)
            ),
            other_code: other.code(),
            other_name,
            demo: state.config().demo,
            user: auth.0.as_ref().map(|p| {
                if p.display_name.trim().is_empty() {
                    p.username.clone()
                } else {
                    p.display_name.clone()
                }
            }),
            csrf: auth
                .0
                .as_ref()
                .and_then(|p| p.csrf_token.clone())
                .unwrap_or_default(),
            here: encode_component(&next),
            admin: admin::may_administer(auth),
            board: auth.can(niveau_app::permissions::Action::ReadBoard),
            script: String::new(),
        }
    }
}

/// `path?a=1&lang=en&b=2` → `path?a=1&b=2`.
fn strip_lang(path_and_query: &str) -> String {
    match path_and_query.split_once('?') {
        None => path_and_query.to_owned(),
        Some((path, query)) => {
            let kept: Vec<&str> = query
                .split('&')
                .filter(|p| !p.is_empty() && !p.starts_with("lang="))
                .collect();
            if kept.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{}", kept.join("&"))
            }
        }
    }
}

/// Percent-encode everything but unreserved characters (RFC 3986), for a query value.
pub fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    message: String,
}

/// An API error as a page in the site's layout, with the error's status: a visitor who
/// follows a dead link gets a page to navigate from, not JSON.
pub fn error_page(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    error: crate::error::ApiError,
) -> Response {
    let (heading, message) = match error.status {
        StatusCode::NOT_FOUND => (
            lang.pick("Siden findes ikke", "Page not found"),
            lang.pick(
                "Siden findes ikke, eller den er ikke offentlig.",
                "The page does not exist, or it is not public.",
            ),
        ),
        StatusCode::FORBIDDEN => (
            lang.pick("Ingen adgang", "Access denied"),
            lang.pick(
                "Din rolle giver ikke adgang til denne side.",
                "Your role does not give access to this page.",
            ),
        ),
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => (
            lang.pick("Forkert forespørgsel", "Bad request"),
            lang.pick(
                "Adressen indeholder en ugyldig værdi.",
                "The address holds an invalid value.",
            ),
        ),
        _ => (
            lang.pick("Noget gik galt", "Something went wrong"),
            lang.pick(
                "Siden kunne ikke vises. Prøv igen om lidt.",
                "The page could not be shown. Please try again shortly.",
            ),
        ),
    };
    message_page(state, auth, lang, path, error.status, heading, message)
}

/// A page with a heading and a message in the site's layout, with `status`: for a
/// refusal whose own message says what to do.
pub fn message_page(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response {
    let mut response = render(&ErrorPage {
        layout: Layout::new(state, auth, lang, heading, "", path),
        heading: heading.to_owned(),
        message: message.to_owned(),
    });
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

/// Render a template into a page; a template error is logged and answered with 500.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(body) => {
            let mut response = Html(body).into_response();
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
            response
        }
        Err(err) => {
            tracing::error!(error = %err, "rendering a page");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Intern fejl / internal error",
            )
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_keeps_the_query_but_not_the_language() {
        assert_eq!(
            strip_lang("/?q=mo&lang=en&stage=produkt"),
            "/?q=mo&stage=produkt"
        );
        assert_eq!(strip_lang("/?lang=da"), "/");
        assert_eq!(strip_lang("/produkter/os2mo"), "/produkter/os2mo");
        assert_eq!(
            encode_component("/?q=a b&x=æ"),
            "%2F%3Fq%3Da%20b%26x%3D%C3%A6"
        );
    }
}
