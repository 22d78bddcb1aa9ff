//! The pages of development wishes (udviklingsønsker, issue #14): a product's wish list
//! ([`list`]), the form to raise a wish ([`new`]), the wish's own page with the product
//! group's forms ([`wish`]), the coordination group's prioritisation view
//! ([`prioritisation`]), the product group's settings ([`settings`]) and the
//! secretariat's overview of the portfolio ([`overview`]).
//!
//! Every page calls one `niveau_app::wishes` operation and follows its permissions: the
//! public reads a published product's wishes in summary, signed-in people read the
//! details, raise wishes and comment (a municipal employee needs only a Niveau login of
//! any role), the product group handles them. Every form carries the session's CSRF
//! token and, for a change of a wish, the wish's version; a refused post shows the page
//! again with everything typed kept and the message at its field.

mod list;
mod new;
mod overview;
mod prioritisation;
mod settings;
mod wish;

use axum::Router;
use axum::routing::{get, post};
use niveau_app::AppError;
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::types::{ScreeningRating, WishPayer, WishPriority, WishState};

use super::Choice;
use super::product_work::{Errors, FieldError};
use crate::state::AppState;

/// The routes of the wish pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oensker", get(overview::page))
        .route("/produkter/{slug}/oensker", get(list::page))
        .route(
            "/produkter/{slug}/oensker/nyt",
            get(new::form).post(new::raise),
        )
        .route(
            "/produkter/{slug}/oensker/prioritering",
            get(prioritisation::page).post(prioritisation::rank),
        )
        .route(
            "/produkter/{slug}/oensker/indstillinger",
            get(settings::page).post(settings::save),
        )
        .route("/oensker/{id}", get(wish::page))
        .route("/oensker/{id}/trin", post(wish::step))
        .route("/oensker/{id}/screening", post(wish::screen))
        .route("/oensker/{id}/estimat", post(wish::estimate))
        .route("/oensker/{id}/finansiering", post(wish::fund))
        .route("/oensker/{id}/tilsagn", post(wish::pledge))
        .route(
            "/oensker/{id}/tilsagn/{pledge}/traek-tilbage",
            post(wish::withdraw),
        )
        .route("/oensker/{id}/kommentarer", post(wish::comment))
}

/// A wish's state as people read it: "Klar til prioritering" / "Ready for prioritisation".
pub fn state(state: WishState, lang: Lang) -> &'static str {
    let (da, en) = match state {
        WishState::Ny => ("Ny", "New"),
        WishState::Screening => ("Screening", "Screening"),
        WishState::AfventerLoesningsbeskrivelse => (
            "Afventer løsningsbeskrivelse",
            "Awaiting solution description",
        ),
        WishState::KlarTilPrioritering => ("Klar til prioritering", "Ready for prioritisation"),
        WishState::Bestilt => ("Bestilt hos leverandør", "Ordered from the supplier"),
        WishState::IGang => ("I gang", "In progress"),
        WishState::ITest => ("I test", "In test"),
        WishState::Leveret => ("Leveret", "Delivered"),
        WishState::Afvist => ("Afvist", "Rejected"),
        WishState::Parkeret => ("Parkeret", "Parked"),
    };
    lang.pick(da, en)
}

/// "Høj" / "High".
pub fn priority(priority: WishPriority, lang: Lang) -> &'static str {
    let (da, en) = match priority {
        WishPriority::Lav => ("Lav", "Low"),
        WishPriority::Middel => ("Middel", "Medium"),
        WishPriority::Hoej => ("Høj", "High"),
        WishPriority::Kritisk => ("Kritisk", "Critical"),
    };
    lang.pick(da, en)
}

/// "Fællesskabet betaler" / "The community pays".
pub fn payer(payer: WishPayer, lang: Lang) -> &'static str {
    let (da, en) = match payer {
        WishPayer::Opgavestiller => ("Opgavestiller betaler", "The requester pays"),
        WishPayer::Faellesskabet => ("Fællesskabet betaler", "The community pays"),
    };
    lang.pick(da, en)
}

/// A screening rating with its symbol and in words (never colour alone).
pub fn rating(rating: ScreeningRating, lang: Lang) -> &'static str {
    let (da, en) = match rating {
        ScreeningRating::Groen => ("🟢 Grøn – opfyldt", "🟢 Green – met"),
        ScreeningRating::Gul => ("🟡 Gul – delvist opfyldt", "🟡 Yellow – partly met"),
        ScreeningRating::Roed => ("🔴 Rød – ikke opfyldt", "🔴 Red – not met"),
    };
    lang.pick(da, en)
}

/// Øre as kroner for people: `12.500,50 kr.` / `DKK 12,500.50`.
pub fn kroner(ore: i64, lang: Lang) -> String {
    niveau_app::wishes::money::kroner(ore)
        .pick(lang == Lang::En)
        .to_owned()
}

/// Øre as the form shows them again: `12.500,50` (Danish, which [`parse_kroner`] reads).
pub fn kroner_field(ore: Option<i64>) -> String {
    match ore {
        None => String::new(),
        Some(o) => niveau_app::wishes::money::kroner(o)
            .da
            .trim_end_matches(" kr.")
            .to_owned(),
    }
}

/// An amount typed in kroner, as øre, read by the one amount parser
/// ([`niveau_report::amount::parse_dkk`]): `12.500,50`, `12500`, `12 500 kr.`; empty is
/// none. The message names no field: the caller puts it at its field.
pub fn parse_kroner(text: &str) -> Result<Option<i64>, Msg> {
    match niveau_report::amount::parse_dkk(text) {
        Ok(ore) => Ok(Some(ore)),
        Err(niveau_report::amount::AmountError::Empty) => Ok(None),
        Err(e) => Err(e.msg()),
    }
}

/// A whole number typed in a field (hours, rank, days); empty is none.
pub fn parse_number(text: &str, lang: Lang) -> Result<Option<i64>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<i64>().map(Some).map_err(|_| {
        format!(
            "«{text}» {}",
            lang.pick("er ikke et helt tal.", "is not a whole number.")
        )
    })
}

/// The options of a vocabulary: `(value, label)` with the one equal to `chosen` selected.
pub fn options(items: Vec<(String, String)>, chosen: &str) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == chosen,
            value,
            label,
        })
        .collect()
}

/// An error at form field `id`, its message prefixed with the field's `label` so the
/// summary names the field.
pub fn at(id: &str, label: &str, message: &str) -> FieldError {
    FieldError {
        field: id.to_owned(),
        message: format!("{label}: {message}"),
    }
}

/// The conflict message of a form whose wish was changed by someone else.
pub fn conflict(lang: Lang) -> String {
    lang.pick(
        "Ønsket er ændret af en anden, siden du hentede siden. Intet er gemt; det du skrev, står stadig i formularen, og ønsket som det er gemt nu, står på siden. Send formularen igen for at gemme dine ændringer.",
        "The wish was changed by someone else after you loaded the page. Nothing was saved; what you typed is still in the form, and the wish as stored now is shown on the page. Send the form again to save your changes.",
    )
    .to_owned()
}

/// An operation's refusal at the field of a form: `fields` maps the operation's field
/// names to (form field id, label); anything else lands on `fallback`.
pub fn refusal_at(
    error: &AppError,
    lang: Lang,
    fields: &[(&str, &str, &str)],
    fallback: &str,
) -> Errors {
    if super::product_work::is_conflict(error) {
        return Errors::one(fallback, conflict(lang));
    }
    let message = super::product_work::message(error, lang);
    let name = error.field().unwrap_or("");
    let base = name.split(['[', '.']).next().unwrap_or(name);
    match fields.iter().find(|(f, ..)| *f == base) {
        Some((_, id, label)) => Errors(vec![at(id, label, &message)]),
        None => Errors::one(fallback, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn danish_amounts_are_read_as_ore() {
        assert_eq!(parse_kroner("12.500,50"), Ok(Some(1_250_050)));
        assert_eq!(parse_kroner("12500"), Ok(Some(1_250_000)));
        assert_eq!(parse_kroner("12 500 kr."), Ok(Some(1_250_000)));
        assert_eq!(parse_kroner("0,5"), Ok(Some(50)));
        assert_eq!(parse_kroner(" "), Ok(None));
        assert!(parse_kroner("-100").unwrap_err().da.contains("negativt"));
        assert!(parse_kroner("12,345").is_err());
        assert!(parse_kroner("tolv").unwrap_err().en.contains("«tolv»"));
        assert!(parse_kroner("99999999999999999999").is_err());
        assert_eq!(kroner_field(Some(1_250_050)), "12.500,50");
        assert_eq!(
            parse_kroner(&kroner_field(Some(1_250_050))),
            Ok(Some(1_250_050))
        );
    }

    #[test]
    fn ratings_and_states_have_words() {
        assert_eq!(
            rating(ScreeningRating::Roed, Lang::Da),
            "🔴 Rød – ikke opfyldt"
        );
        assert_eq!(
            state(WishState::KlarTilPrioritering, Lang::En),
            "Ready for prioritisation"
        );
        assert_eq!(kroner(1_250_050, Lang::En), "DKK 12,500.50");
    }
}
