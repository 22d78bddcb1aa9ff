//! What the secretariat's workspace pages for groups ([`super::groups`]), agreements
//! ([`super::agreements`]) and the round forms ([`super::round_forms`]) share: who may
//! use them, the confirmations after a change, reading dates and versions from a form,
//! and the errors shown at the field they are about.

use axum::http::Uri;
use axum::response::Response;
use chrono::NaiveDate;
use niveau_app::AppError;
use niveau_model::Msg;
use niveau_report::Lang;

use super::form::Fields;
use super::{Choice, error_page, to_login};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The request's path and query, or `fallback`.
pub fn here<'a>(uri: &'a Uri, fallback: &'a str) -> &'a str {
    uri.path_and_query().map(|p| p.as_str()).unwrap_or(fallback)
}

/// `None` when the visitor is `allowed`; otherwise the answer: the login page for an
/// anonymous visitor, a 403 page for anyone else.
pub fn refuse(
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
pub fn notice(key: Option<&str>, lang: Lang) -> String {
    let (da, en) = match key.unwrap_or("") {
        "oprettet" => ("Oprettet.", "Created."),
        "gemt" => ("Ændringerne er gemt.", "The changes are saved."),
        "arkiveret" => ("Arkiveret.", "Archived."),
        "medlem-tilfoejet" => ("Medlemmet er tilføjet.", "The member is added."),
        "medlem-gemt" => ("Medlemmet er ændret.", "The member is changed."),
        "medlem-fjernet" => ("Medlemmet er fjernet.", "The member is removed."),
        "moede-tilfoejet" => ("Mødet er registreret.", "The meeting is recorded."),
        "moede-fjernet" => ("Mødet er fjernet.", "The meeting is removed."),
        "afsluttet" => (
            "Runden er afsluttet i dag; dens datoer og produkter står uændret.",
            "The round is closed today; its dates and products stay as they were.",
        ),
        "issues-til" => (
            "Issues i repositorierne er slået til; de første oprettes om lidt.",
            "Repository issues are on; the first are opened shortly.",
        ),
        "issues-fra" => (
            "Issues i repositorierne er slået fra.",
            "Repository issues are off.",
        ),
        "issues-koert" => (
            "Issues i repositorierne opdateres om lidt.",
            "The repository issues are updated shortly.",
        ),
        _ => return String::new(),
    };
    lang.pick(da, en).to_owned()
}

/// `error` with its message in `lang`, as the page shows it.
pub fn in_lang(mut error: ApiError, lang: Lang) -> ApiError {
    error.detail.message = error.message_in(lang).to_owned();
    error
}

/// The form's version, or why it cannot be read (in both languages).
pub fn form_version(fields: &Fields) -> Result<i32, AppError> {
    fields.version(Lang::Da).map_err(|da| {
        let en = fields.version(Lang::En).err().unwrap_or_else(|| da.clone());
        AppError::invalid("version", Msg::new(da, en))
    })
}

/// A date typed as `ÅÅÅÅ-MM-DD`; empty is none.
pub fn date(text: &str, lang: Lang) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| {
            format!(
                "«{text}» {}",
                lang.pick(
                    "er ikke en dato (skriv ÅÅÅÅ-MM-DD).",
                    "is not a date (write YYYY-MM-DD)."
                )
            )
        })
}

/// An id chosen in a select; empty is none.
pub fn chosen_id(text: &str, lang: Lang) -> Result<Option<i32>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.parse().map(Some).map_err(|_| {
        format!(
            "«{text}» {}",
            lang.pick("er ikke et gyldigt valg.", "is not a valid choice.")
        )
    })
}

/// The options of a select: a first empty option labelled `empty` (if any), then
/// `items` (value, label), the one equal to `chosen` selected.
pub fn choices(items: &[(String, String)], chosen: &str, empty: Option<&str>) -> Vec<Choice> {
    let mut out = Vec::with_capacity(items.len() + 1);
    if let Some(label) = empty {
        out.push(Choice {
            value: String::new(),
            label: label.to_owned(),
            selected: chosen.is_empty(),
        });
    }
    out.extend(items.iter().map(|(value, label)| Choice {
        value: value.clone(),
        label: label.clone(),
        selected: value == chosen,
    }));
    out
}

/// What went wrong with a post: a message for the whole form (a conflict, or anything
/// not about one field) and messages at the fields they are about.
#[derive(Debug, Default)]
pub struct Errors {
    /// For the whole form, shown above it.
    pub general: String,
    /// (form field, message).
    fields: Vec<(String, String)>,
}

impl Errors {
    /// No errors.
    pub fn none() -> Errors {
        Errors::default()
    }

    /// One message at `field`.
    pub fn at_field(field: &str, message: String) -> Errors {
        Errors {
            general: String::new(),
            fields: vec![(field.to_owned(), message)],
        }
    }

    /// One message for the whole form.
    pub fn general(message: String) -> Errors {
        Errors {
            general: message,
            fields: Vec::new(),
        }
    }

    /// The message at `field` (empty when there is none).
    pub fn at(&self, field: &str) -> &str {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
            .unwrap_or("")
    }

    /// The attributes that tie an input to its error (`aria-invalid`, `aria-describedby`
    /// naming the message's id `fejl-FIELD`); empty when the field has none. `field` is a
    /// fixed name from a template, never user text.
    pub fn attrs(&self, field: &str) -> String {
        if self.at(field).is_empty() {
            String::new()
        } else {
            format!(" aria-invalid=\"true\" aria-describedby=\"fejl-{field}\"")
        }
    }

    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.general.is_empty() && self.fields.is_empty()
    }

    /// An operation's refusal as the page shows it: a stale version for the whole form
    /// (what `what` names was changed by someone else); an error about a field the form
    /// has (`known`) at that field; anything else for the whole form. A field such as
    /// `product_ids[0]` or `parties[1].organisation_id` is shown at `product_ids` or
    /// `parties`.
    pub fn of(error: &ApiError, lang: Lang, what: (&str, &str), known: &[&str]) -> Errors {
        if error.detail.code == "conflict" {
            return Errors::general(format!(
                "{} {}",
                lang.pick(
                    &format!("{} er ændret af en anden, siden du hentede siden.", what.0),
                    &format!(
                        "{} was changed by someone else after you loaded the page.",
                        what.1
                    ),
                ),
                lang.pick(
                    "Intet er gemt. Dine ændringer står stadig i formularen, og den gemte udgave står ved siden af. Gem igen for at erstatte den med dine ændringer.",
                    "Nothing was saved. Your changes are still in the form, and the stored version is shown next to it. Save again to replace it with your changes.",
                ),
            ));
        }
        let message = error.message_in(lang).to_owned();
        match error.detail.field.as_deref() {
            Some(field) => {
                let base = field.split(['[', '.']).next().unwrap_or(field).to_owned();
                if known.contains(&base.as_str()) {
                    Errors::at_field(&base, message)
                } else {
                    Errors::general(message)
                }
            }
            None => Errors::general(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::StatusCode;

    #[test]
    fn an_error_lands_at_its_field_or_above_the_form() {
        let invalid = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            Msg::new("findes ikke", "does not exist"),
        )
        .field("product_ids[2]");
        let shown = Errors::of(
            &invalid,
            Lang::En,
            ("Runden", "The round"),
            &["product_ids"],
        );
        assert_eq!(shown.at("product_ids"), "does not exist");
        assert!(shown.general.is_empty());
        assert_eq!(
            shown.attrs("product_ids"),
            " aria-invalid=\"true\" aria-describedby=\"fejl-product_ids\""
        );
        assert_eq!(shown.attrs("name"), "");
        let elsewhere = Errors::of(&invalid, Lang::Da, ("Runden", "The round"), &["name"]);
        assert_eq!(elsewhere.general, "findes ikke");
        let conflict = ApiError::new(StatusCode::CONFLICT, "conflict", Msg::new("x", "x"));
        let shown = Errors::of(&conflict, Lang::Da, ("Runden", "The round"), &[]);
        assert!(
            shown
                .general
                .starts_with("Runden er ændret af en anden, siden du hentede siden."),
            "{}",
            shown.general
        );
    }
}
