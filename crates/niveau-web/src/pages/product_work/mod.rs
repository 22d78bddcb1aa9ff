//! The workspace pages of a product, for the secretariat and the product's editors:
//! creating a product from an idea and editing or archiving it ([`edit`]), its
//! participants ([`participants`]), asking for a scan of its repositories and reading
//! the results ([`scans`]), its place in the product process with the steps to take and
//! its progress reports ([`process`]), and the secretariat's form in the decision log
//! ([`decision`]).
//!
//! Every page calls the same niveau-app operation as the API and follows its
//! permissions. Every form carries the session's CSRF token; a refused post renders the
//! page again with what was typed kept in the form and the error at its field; a change
//! based on a stale version shows the stored values beside the form. Pages are Danish
//! by default and English with `?lang=en`, which the forms and redirects carry on.

pub mod decision;
mod edit;
mod participants;
mod process;
mod scans;

use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use niveau_app::AppError;
use niveau_report::Lang;

use super::{error_page, form, to_login};
use crate::auth::principal::Auth;
use crate::state::AppState;

pub use scans::LatestScan;
pub use scans::latest_for_product_page;

/// The routes of the product workspace.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/produkter/ny", get(edit::new_form).post(edit::create))
        .route(
            "/produkter/{slug}/rediger",
            get(edit::page).post(edit::update),
        )
        .route("/produkter/{slug}/arkiver", post(edit::archive))
        .route(
            "/produkter/{slug}/deltagere",
            get(participants::page).post(participants::add),
        )
        .route(
            "/produkter/{slug}/deltagere/{id}",
            post(participants::update),
        )
        .route(
            "/produkter/{slug}/deltagere/{id}/fjern",
            post(participants::remove),
        )
        .route(
            "/produkter/{slug}/scanninger",
            get(scans::page).post(scans::request),
        )
        .route(
            "/produkter/{slug}/proces",
            get(process::page).post(process::step),
        )
        .route("/produkter/{slug}/fremdrift", post(process::report))
        .route("/beslutninger", post(decision::record))
}

/// A refusal of one field: in the summary at the top (linked to the field) and at the
/// field itself.
#[derive(Debug, Clone)]
pub struct FieldError {
    /// The id of the field in the form, empty for the form as a whole.
    pub field: String,
    /// The message, in the page's language.
    pub message: String,
}

/// The errors of one form.
#[derive(Debug, Default, Clone)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    /// One error.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> Errors {
        Errors(vec![FieldError {
            field: field.into(),
            message: message.into(),
        }])
    }

    /// The message at field `id`, or empty.
    pub fn at(&self, id: &str) -> &str {
        self.0
            .iter()
            .find(|e| e.field == id)
            .map(|e| e.message.as_str())
            .unwrap_or("")
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors, for the summary.
    pub fn all(&self) -> &[FieldError] {
        &self.0
    }
}

/// `path` with `?lang=en` (or `&lang=en`) on an English page, so forms and redirects
/// stay in the page's language.
pub fn in_lang(path: &str, lang: Lang) -> String {
    if lang == Lang::Da {
        return path.to_owned();
    }
    // The language goes into the query, before a fragment.
    let (address, fragment) = match path.split_once('#') {
        Some((address, fragment)) => (address, format!("#{fragment}")),
        None => (path, String::new()),
    };
    let joiner = if address.contains('?') { '&' } else { '?' };
    format!("{address}{joiner}lang=en{fragment}")
}

/// `None` when the visitor is allowed; otherwise the answer: the login page for an
/// anonymous visitor, the error page (404 for a product hidden from the visitor, 403)
/// for anyone else.
pub fn refusal(state: &AppState, auth: &Auth, lang: Lang, path: &str, error: AppError) -> Response {
    if auth.0.is_none() && matches!(error, AppError::Unauthenticated | AppError::Forbidden) {
        return to_login(path);
    }
    error_page(state, auth, lang, path, error.into())
}

/// Whether an operation's error is one the visitor must be sent away for (not logged
/// in, not allowed, not found) rather than a refusal of what was typed.
pub fn sends_away(error: &AppError) -> bool {
    use niveau_app::ErrorKind as K;
    matches!(
        error.kind(),
        K::Unauthenticated | K::Forbidden | K::NotFound
    ) && error.field().is_none()
}

/// Whether an operation's error is a stale version.
pub fn is_conflict(error: &AppError) -> bool {
    error.kind() == niveau_app::ErrorKind::Conflict
}

/// An operation's error as the message the page shows, in its language.
pub fn message(error: &AppError, lang: Lang) -> String {
    error.message().pick(lang == Lang::En).to_owned()
}

pub use super::workspace::date;

/// 303 to `path` in the page's language.
pub fn see_other(path: &str, lang: Lang) -> Response {
    form::see_other(&in_lang(path, lang))
}

/// A page answer with `status`.
pub fn with_status(mut response: Response, status: axum::http::StatusCode) -> Response {
    if response.status() == axum::http::StatusCode::OK {
        *response.status_mut() = status;
    }
    response
}

/// The status a refusal of what was typed is answered with.
pub fn status_of(error: &AppError) -> axum::http::StatusCode {
    crate::error::status_of(error.kind())
}

/// Whether an operation's error is the server's own (answered with the 500 page, not
/// shown at a field).
pub fn is_internal(error: &AppError) -> bool {
    error.kind() == niveau_app::ErrorKind::Internal
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_stays_in_the_query_before_the_fragment() {
        assert_eq!(in_lang("/produkter/ny", Lang::Da), "/produkter/ny");
        assert_eq!(in_lang("/produkter/ny", Lang::En), "/produkter/ny?lang=en");
        assert_eq!(
            in_lang("/beslutninger?besked=registreret#aar-2026", Lang::En),
            "/beslutninger?besked=registreret&lang=en#aar-2026"
        );
    }
}
