//! The form to raise a wish (`/produkter/{slug}/oensker/nyt`). Any signed-in person may
//! raise one — a municipal employee needs only a Niveau login of any role, no developer
//! account: plain fields for the title, the business need, the proposed change, the
//! value, the organisation, the person and the priority (with a reason when high or
//! critical). An anonymous visitor is shown a link to log in and come back.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::wishes;
use niveau_report::Lang;
use niveau_store::entity::product;
use niveau_store::types::WishPriority;
use niveau_store::wishes::WishInput;

use super::super::product_work::{
    Errors, FieldError, in_lang, is_internal, refusal, see_other, sends_away, status_of,
    with_status,
};
use super::super::workspace::here;
use super::super::{Choice, Layout, encode_component, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost};
use crate::pages::lang::PageLang;
use crate::state::AppState;

/// What was typed.
#[derive(Debug, Default, Clone)]
struct Draft {
    title: String,
    need: String,
    proposal: String,
    value: String,
    organisation: String,
    raised_by: String,
    email: String,
    priority: String,
    priority_reason: String,
}

/// The form's fields: (the operation's name, the form's id, the label in Danish and
/// English).
const FIELDS: &[(&str, &str, &str, &str)] = &[
    ("title", "titel", "Titel", "Title"),
    ("need", "behov", "Forretningsbehov", "Business need"),
    (
        "proposal",
        "forslag",
        "Foreslået ændring",
        "Proposed change",
    ),
    ("value", "vaerdi", "Værdi", "Value"),
    (
        "organisation_id",
        "organisation",
        "Organisation",
        "Organisation",
    ),
    ("raised_by", "navn", "Dit navn", "Your name"),
    (
        "raised_by_email",
        "email",
        "Din e-mailadresse",
        "Your e-mail address",
    ),
    ("priority", "prioritet", "Prioritet", "Priority"),
    (
        "priority_reason",
        "prioritet-begrundelse",
        "Begrundelse for prioriteten",
        "Reason for the priority",
    ),
];

fn label(id: &str, lang: Lang) -> &'static str {
    FIELDS
        .iter()
        .find(|f| f.1 == id)
        .map(|f| lang.pick(f.2, f.3))
        .unwrap_or("")
}

fn opt(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.trim().to_owned())
}

impl Draft {
    fn read(f: &Fields) -> Draft {
        Draft {
            title: f.one("title").to_owned(),
            need: f.one("need").to_owned(),
            proposal: f.one("proposal").to_owned(),
            value: f.one("value").to_owned(),
            organisation: f.one("organisation_id").to_owned(),
            raised_by: f.one("raised_by").to_owned(),
            email: f.one("raised_by_email").to_owned(),
            priority: f.one("priority").to_owned(),
            priority_reason: f.one("priority_reason").to_owned(),
        }
    }

    fn input(&self, lang: Lang) -> Result<WishInput, Errors> {
        let mut errors = Vec::new();
        let organisation_id = match super::super::workspace::chosen_id(&self.organisation, lang) {
            Ok(id) => id,
            Err(m) => {
                errors.push(super::at("organisation", label("organisation", lang), &m));
                None
            }
        };
        let priority = match WishPriority::parse(&self.priority) {
            Some(p) => p,
            None => {
                errors.push(super::at(
                    "prioritet",
                    label("prioritet", lang),
                    lang.pick("vælg en prioritet", "choose a priority"),
                ));
                WishPriority::Middel
            }
        };
        if matches!(priority, WishPriority::Hoej | WishPriority::Kritisk)
            && self.priority_reason.trim().is_empty()
        {
            errors.push(super::at(
                "prioritet-begrundelse",
                label("prioritet-begrundelse", lang),
                lang.pick(
                    "skal udfyldes, når prioriteten er høj eller kritisk",
                    "is required when the priority is high or critical",
                ),
            ));
        }
        if !errors.is_empty() {
            return Err(Errors(errors));
        }
        Ok(WishInput {
            title: self.title.clone(),
            need: self.need.clone(),
            proposal: opt(&self.proposal),
            value: opt(&self.value),
            organisation_id,
            raised_by: opt(&self.raised_by),
            raised_by_email: opt(&self.email),
            priority,
            priority_reason: opt(&self.priority_reason),
            version: None,
        })
    }
}

#[derive(Template)]
#[template(path = "wish_new.html")]
struct NewPage {
    layout: Layout,
    product: String,
    slug: String,
    signed_in: bool,
    login_href: String,
    action: String,
    draft: Draft,
    errors: Errors,
    organisations: Vec<Choice>,
    priorities: Vec<Choice>,
}

impl NewPage {
    /// The message at field `id` (empty when none).
    fn err(&self, id: &str) -> &str {
        self.errors.at(id)
    }
}

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    product: &product::Model,
    draft: Draft,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let base = format!("/produkter/{}/oensker/nyt", product.slug);
    let orgs = niveau_app::organisations::all_current(state.app()).await?;
    let mut organisations = vec![Choice {
        value: String::new(),
        label: lang
            .pick("(vælg din organisation)", "(choose your organisation)")
            .into(),
        selected: draft.organisation.is_empty(),
    }];
    organisations.extend(orgs.iter().map(|o| Choice {
        value: o.id.to_string(),
        label: o.name.clone(),
        selected: o.id.to_string() == draft.organisation,
    }));
    let priorities = super::options(
        WishPriority::ALL
            .iter()
            .map(|p| (p.as_str().to_owned(), super::priority(*p, lang).to_owned()))
            .collect(),
        &draft.priority,
    );
    let title = format!(
        "{} – {}",
        lang.pick("Rejs et ønske", "Raise a wish"),
        product.name
    );
    let page = NewPage {
        layout: Layout::new(state, auth, lang, title, "portfolio", &in_lang(&base, lang)),
        product: product.name.clone(),
        slug: product.slug.clone(),
        signed_in: auth.0.is_some(),
        login_href: format!("/log-ind?next={}", encode_component(&in_lang(&base, lang))),
        action: in_lang(&base, lang),
        draft,
        errors,
        organisations,
        priorities,
    };
    Ok(with_status(render(&page), status))
}

/// `GET /produkter/{slug}/oensker/nyt`: the form, or for an anonymous visitor the way to
/// log in first.
pub async fn form(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/").to_owned();
    let product =
        match niveau_app::visibility::resolve_product(state.store(), auth.who(), &slug).await {
            Ok(p) => p,
            Err(e) => return Ok(refusal(&state, &auth, lang, &path, e)),
        };
    let draft = Draft {
        priority: WishPriority::Middel.as_str().to_owned(),
        raised_by: auth
            .0
            .as_ref()
            .map(|p| p.display_name.clone())
            .unwrap_or_default(),
        ..Draft::default()
    };
    show(
        &state,
        &auth,
        lang,
        &product,
        draft,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /produkter/{slug}/oensker/nyt`: raise the wish.
pub async fn raise(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    let product = match wishes::authorise_raise(state.app(), auth.who(), &slug).await {
        Ok(p) => p,
        Err(e) => return Ok(refusal(&state, &auth, lang, &path, e)),
    };
    let draft = Draft::read(&fields);
    let input = match draft.input(lang) {
        Ok(i) => i,
        Err(errors) => {
            return show(
                &state,
                &auth,
                lang,
                &product,
                draft,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match wishes::raise(state.app(), auth.who(), &slug, &input).await {
        Ok(w) => Ok(see_other(&format!("/oensker/{}?besked=rejst", w.id), lang)),
        Err(e) if sends_away(&e) => Ok(refusal(&state, &auth, lang, &path, e)),
        Err(e) if is_internal(&e) => Err(e.into()),
        Err(e) => {
            let message = super::super::product_work::message(&e, lang);
            let name = e.field().unwrap_or("");
            let error = match FIELDS.iter().find(|f| f.0 == name) {
                Some(f) => super::at(f.1, lang.pick(f.2, f.3), &message),
                None => FieldError {
                    field: String::new(),
                    message,
                },
            };
            let status = status_of(&e);
            show(
                &state,
                &auth,
                lang,
                &product,
                draft,
                Errors(vec![error]),
                status,
            )
            .await
        }
    }
}
