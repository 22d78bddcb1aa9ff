//! Administration pages: users and roles ([`users`]), organisations ([`organisations`]),
//! the built-in models ([`models`]); and the public organisation index ([`index`]).
//!
//! `/admin` is for the secretariat and admins. Managing accounts is for admins only
//! (`Action::ManageUsers`); organisations for whoever the API lets edit them
//! (`Action::EditPortfolio`); the models are read-only. Anonymous visitors are sent to
//! the login page, other logged-in users get a 403 page. Every form posts the session's
//! CSRF token, and a change based on a stale version is refused with the stored record
//! shown and the visitor's input kept in the form.

mod index;
mod models;
mod organisations;
mod outbox;
mod users;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::{get, post};
use niveau_report::Lang;

use super::lang::PageLang;
use super::{Layout, error_page, render, to_login};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The administration routes and the organisation index.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(overview))
        .route("/admin/brugere", get(users::list).post(users::create))
        .route("/admin/brugere/{id}", get(users::page).post(users::update))
        .route("/admin/brugere/{id}/status", post(users::status))
        .route("/admin/brugere/{id}/adgangskode", post(users::password))
        .route(
            "/admin/organisationer",
            get(organisations::list).post(organisations::create),
        )
        .route(
            "/admin/organisationer/{id}",
            get(organisations::page).post(organisations::update),
        )
        .route(
            "/admin/organisationer/{id}/arkiver",
            post(organisations::archive),
        )
        .route("/admin/udbakke", get(outbox::page))
        .route("/admin/udbakke/{id}/send-igen", post(outbox::retry))
        .route("/admin/modeller", get(models::list))
        .route("/admin/modeller/{id}", get(models::page))
        .route("/organisationer", get(index::page))
}

/// Whether `auth` may see the administration: the secretariat and admins.
pub fn may_administer(auth: &Auth) -> bool {
    auth.can(Action::EditPortfolio) || auth.can(Action::ManageUsers)
}

/// The request's path and query, or `fallback`.
fn here<'a>(uri: &'a Uri, fallback: &'a str) -> &'a str {
    uri.path_and_query().map(|p| p.as_str()).unwrap_or(fallback)
}

/// `None` when the visitor is `allowed`; otherwise the answer: the login page for an
/// anonymous visitor, a 403 page for anyone else.
fn refuse(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    allowed: bool,
) -> Option<Response> {
    if allowed {
        None
    } else if auth.0.is_none() {
        Some(to_login(path))
    } else {
        Some(error_page(state, auth, lang, path, ApiError::forbidden()))
    }
}

/// The confirmation named by `?besked=` after a change (a fixed set of texts, so the
/// address cannot put words on the page).
fn notice(key: Option<&str>, lang: Lang) -> String {
    let (da, en) = match key.unwrap_or("") {
        "oprettet" => ("Oprettet.", "Created."),
        "gemt" => ("Ændringerne er gemt.", "The changes are saved."),
        "adgangskode" => (
            "Adgangskoden er sat. Brugerens sessioner er afsluttet, og brugerens API-tokens er tilbagekaldt.",
            "The password is set. The user's sessions have ended, and the user's API tokens are revoked.",
        ),
        "adgangskode-tokens-beholdt" => (
            "Adgangskoden er sat. Brugerens sessioner er afsluttet; brugerens API-tokens virker stadig.",
            "The password is set. The user's sessions have ended; the user's API tokens still work.",
        ),
        "aktiveret" => ("Brugeren er aktiveret.", "The user is enabled."),
        "deaktiveret" => (
            "Brugeren er deaktiveret og logget ud.",
            "The user is disabled and logged out.",
        ),
        "arkiveret" => (
            "Organisationen er arkiveret.",
            "The organisation is archived.",
        ),
        _ => return String::new(),
    };
    lang.pick(da, en).to_owned()
}

/// What went wrong with a change, for people: a stale version in the page's language,
/// anything else in the page's language as the operation says it, with the field.
fn problem(error: &ApiError, lang: Lang, what: (&str, &str)) -> String {
    if error.detail.code == "conflict" {
        return format!(
            "{} {}",
            lang.pick(
                &format!("{} er ændret af en anden, siden du hentede siden.", what.0),
                &format!("{} was changed by someone else after you loaded the page.", what.1),
            ),
            lang.pick(
                "Intet er gemt. Dine ændringer står stadig i formularen, og den gemte udgave står herunder. Gem igen for at erstatte den med dine ændringer.",
                "Nothing was saved. Your changes are still in the form, and the stored version is shown below. Save again to replace it with your changes.",
            )
        );
    }
    match &error.detail.field {
        Some(field) => format!("{}: {}", field_label(field, lang), error.message_in(lang)),
        None => error.message_in(lang).to_owned(),
    }
}

/// The form label of a field the store names in an error.
fn field_label(field: &str, lang: Lang) -> String {
    let (da, en) = match field.split('[').next().unwrap_or(field) {
        "username" => ("Brugernavn", "User name"),
        "display_name" => ("Navn", "Name"),
        "email" => ("E-mail", "E-mail"),
        "password" => ("Adgangskode", "Password"),
        "roles" => ("Roller", "Roles"),
        "product_ids" => ("Produkter", "Products"),
        "name" => ("Navn", "Name"),
        "kind" => ("Type", "Kind"),
        "member_since" => ("Medlem siden", "Member since"),
        "left_on" => ("Udtrådt", "Left"),
        "supplier_partner_since" => ("Leverandørpartner siden", "Supplier partner since"),
        "note" => ("Note", "Note"),
        "version" => ("Version", "Version"),
        _ => return field.to_owned(),
    };
    lang.pick(da, en).to_owned()
}

/// A part of the administration on the overview.
struct Part {
    href: &'static str,
    title: &'static str,
    text: &'static str,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct OverviewPage {
    layout: Layout,
    parts: Vec<Part>,
    users_admin_only: bool,
}

/// `GET /admin`: the parts of the administration this visitor may use.
pub async fn overview(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin");
    if let Some(answer) = refuse(&state, &auth, lang, path, may_administer(&auth)) {
        return Ok(answer);
    }
    let mut parts = Vec::new();
    let users = auth.can(Action::ManageUsers);
    if users {
        parts.push(Part {
            href: "/admin/brugere",
            title: lang.pick("Brugere og roller", "Users and roles"),
            text: lang.pick(
                "Opret brugere, giv dem roller og produkter, sæt adgangskoder, deaktivér brugere.",
                "Create users, give them roles and products, set passwords, disable users.",
            ),
        });
    }
    if auth.can(Action::EditPortfolio) {
        parts.push(Part {
            href: "/admin/organisationer",
            title: lang.pick("Organisationer", "Organisations"),
            text: lang.pick(
                "Kommuner, regioner, leverandører og andre: opret, ret og arkivér.",
                "Municipalities, regions, suppliers and others: create, edit and archive.",
            ),
        });
    }
    if auth.can(Action::ReadOutbox) {
        parts.push(Part {
            href: "/admin/udbakke",
            title: lang.pick("Udbakke", "Outbox"),
            text: lang.pick(
                "E-mails, der ikke er kommet frem, med fejlen; send dem igen.",
                "E-mails that did not get through, with the error; send them again.",
            ),
        });
    }
    parts.push(Part {
        href: "/admin/modeller",
        title: lang.pick("Modeller", "Models"),
        text: lang.pick(
            "De indbyggede styringsmodeller med niveauer, temaer og krav.",
            "The built-in governance models with levels, themes and requirements.",
        ),
    });
    Ok(render(&OverviewPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Administration", "Administration"),
            "admin",
            path,
        ),
        parts,
        users_admin_only: !users,
    }))
}
