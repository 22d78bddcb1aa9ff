//! Opening, changing and closing an evaluation round in the browser (the secretariat):
//! `/runder/ny` offers the next half-year round (niveau-app's `rounds::suggest_next`:
//! "Forår" opening 1 March, "Efterår" opening 1 September) with every product whose
//! official level is 1 or higher ticked (`rounds::default_scope`); `/runder/{id}/rediger`
//! changes a round and closes it (`rounds::close`: the day it was closed is kept; its dates stay). Every
//! change is based on the version the form was made from; a refusal shows the form again
//! with what the visitor typed, the error at its field and, after a conflict, the stored
//! round.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::products::{self, ProductFilter};
use niveau_app::rounds::{self, RoundInput, RoundView};
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::entity::product;

use super::form::{Fields, FormPost, see_other};
use super::lang::PageLang;
use super::workspace::{Errors, date, form_version, here, in_lang, refuse};
use super::{Layout, error_page, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The fields of the round form that errors can be shown at.
const FIELDS: &[&str] = &[
    "name",
    "opens_on",
    "self_evaluation_deadline",
    "evaluation_deadline",
    "note",
    "product_ids",
];

/// What the visitor wrote in a round form (as text, so nothing is lost).
#[derive(Debug, Default)]
struct Draft {
    name: String,
    opens_on: String,
    self_evaluation_deadline: String,
    evaluation_deadline: String,
    note: String,
    product_ids: Vec<String>,
}

impl Draft {
    fn read(fields: &Fields) -> Draft {
        Draft {
            name: fields.one("name").to_owned(),
            opens_on: fields.one("opens_on").to_owned(),
            self_evaluation_deadline: fields.one("self_evaluation_deadline").to_owned(),
            evaluation_deadline: fields.one("evaluation_deadline").to_owned(),
            note: fields.one("note").to_owned(),
            product_ids: fields
                .all("product_ids")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn of(view: &RoundView) -> Draft {
        let r = &view.round;
        Draft {
            name: r.name.clone(),
            opens_on: r.opens_on.to_string(),
            self_evaluation_deadline: r.self_evaluation_deadline.to_string(),
            evaluation_deadline: r.evaluation_deadline.to_string(),
            note: r.note.clone().unwrap_or_default(),
            product_ids: view
                .products
                .iter()
                .map(|p| p.product_id.to_string())
                .collect(),
        }
    }

    fn input(&self, version: Option<i32>, lang: Lang) -> Result<RoundInput, Errors> {
        let required = |field: &str, text: &str| -> Result<chrono::NaiveDate, Errors> {
            match date(text, lang) {
                Ok(Some(d)) => Ok(d),
                Ok(None) => Err(Errors::at_field(
                    field,
                    lang.pick("Skriv en dato.", "Write a date.").to_owned(),
                )),
                Err(e) => Err(Errors::at_field(field, e)),
            }
        };
        let mut product_ids = Vec::new();
        for text in &self.product_ids {
            let id = text.parse::<i32>().map_err(|_| {
                Errors::at_field(
                    "product_ids",
                    lang.pick("Ukendt produkt.", "Unknown product.").to_owned(),
                )
            })?;
            product_ids.push(id);
        }
        Ok(RoundInput {
            name: self.name.clone(),
            opens_on: required("opens_on", &self.opens_on)?,
            self_evaluation_deadline: required(
                "self_evaluation_deadline",
                &self.self_evaluation_deadline,
            )?,
            evaluation_deadline: required("evaluation_deadline", &self.evaluation_deadline)?,
            note: (!self.note.is_empty()).then(|| self.note.clone()),
            product_ids,
            version,
        })
    }
}

/// A product's checkbox.
struct ProductBox {
    id: i32,
    name: String,
    level: String,
    checked: bool,
}

/// The stored round, shown next to the form after a conflict.
struct Stored {
    name: String,
    opens_on: String,
    self_evaluation_deadline: String,
    evaluation_deadline: String,
    products: String,
}

#[derive(Template)]
#[template(path = "round_form.html")]
struct RoundFormPage {
    layout: Layout,
    /// 0 for a new round.
    id: i32,
    version: i32,
    errors: Errors,
    draft: Draft,
    products: Vec<ProductBox>,
    stored: Option<Stored>,
    /// Why closing was refused.
    close_error: String,
    /// "Planlagt", "Åben", "Afsluttet".
    state: String,
    closed: bool,
}

/// The products a round may cover: every product the visitor sees that is not archived,
/// by name.
async fn all_products(state: &AppState, auth: &Auth) -> Result<Vec<product::Model>, ApiError> {
    let mut all = products::list(
        state.app(),
        auth.who(),
        ProductFilter::default(),
        &ListParams::all(),
    )
    .await?
    .items;
    all.sort_by_key(|a| a.name.to_lowercase());
    Ok(all)
}

fn boxes(all: &[product::Model], chosen: &[String], lang: Lang) -> Vec<ProductBox> {
    all.iter()
        .map(|p| ProductBox {
            id: p.id,
            name: p.name.clone(),
            level: labels::level(p.official_level.as_deref(), lang),
            checked: chosen.iter().any(|c| c == &p.id.to_string()),
        })
        .collect()
}

fn state_label(state: rounds::RoundState, lang: Lang) -> &'static str {
    match state {
        rounds::RoundState::Planned => lang.pick("Planlagt", "Planned"),
        rounds::RoundState::Open => lang.pick("Åben", "Open"),
        rounds::RoundState::Closed => lang.pick("Afsluttet", "Closed"),
    }
}

/// What the form page shows besides the stored round (none for a new one).
struct Shown {
    draft: Draft,
    errors: Errors,
    conflict: bool,
    version: Option<i32>,
    close_error: String,
    status: StatusCode,
}

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    stored: Option<&RoundView>,
    shown: Shown,
) -> Result<Response, ApiError> {
    let all = all_products(state, auth).await?;
    let today = state.store().now().date_naive();
    let (id, title, path, round_state) = match stored {
        Some(v) => (
            v.round.id,
            format!("{} {}", lang.pick("Ret", "Edit"), v.round.name),
            format!("/runder/{}/rediger", v.round.id),
            Some(rounds::state(&v.round, today)),
        ),
        None => (
            0,
            lang.pick("Ny evalueringsrunde", "New evaluation round")
                .to_owned(),
            "/runder/ny".to_owned(),
            None,
        ),
    };
    let stored_shown = match (shown.conflict, stored) {
        (true, Some(v)) => {
            let r = &v.round;
            let names: Vec<String> = all
                .iter()
                .filter(|p| v.products.iter().any(|s| s.product_id == p.id))
                .map(|p| p.name.clone())
                .collect();
            Some(Stored {
                name: r.name.clone(),
                opens_on: r.opens_on.to_string(),
                self_evaluation_deadline: r.self_evaluation_deadline.to_string(),
                evaluation_deadline: r.evaluation_deadline.to_string(),
                products: names.join(", "),
            })
        }
        _ => None,
    };
    let mut response = render(&RoundFormPage {
        layout: Layout::new(state, auth, lang, title, "rounds", &path),
        id,
        version: shown
            .version
            .or(stored.map(|v| v.round.version))
            .unwrap_or(0),
        errors: shown.errors,
        products: boxes(&all, &shown.draft.product_ids, lang),
        draft: shown.draft,
        stored: stored_shown,
        close_error: shown.close_error,
        state: round_state
            .map(|s| state_label(s, lang).to_owned())
            .unwrap_or_default(),
        closed: round_state == Some(rounds::RoundState::Closed),
    });
    *response.status_mut() = shown.status;
    Ok(response)
}

/// `GET /runder/ny`: the next half-year round, with the products at level 1 or higher.
pub async fn new(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/runder/ny");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let taken: Vec<String> = rounds::list(state.app(), auth.who(), &ListParams::all())
        .await?
        .items
        .into_iter()
        .map(|r| r.name)
        .collect();
    let next = rounds::suggest_next(state.store().now().date_naive(), &taken);
    let all = all_products(&state, &auth).await?;
    let draft = Draft {
        name: next.name,
        opens_on: next.opens_on.to_string(),
        self_evaluation_deadline: next.self_evaluation_deadline.to_string(),
        evaluation_deadline: next.evaluation_deadline.to_string(),
        note: String::new(),
        product_ids: rounds::default_scope(&all)
            .into_iter()
            .map(|id| id.to_string())
            .collect(),
    };
    show(
        &state,
        &auth,
        lang,
        None,
        Shown {
            draft,
            errors: Errors::none(),
            conflict: false,
            version: None,
            close_error: String::new(),
            status: StatusCode::OK,
        },
    )
    .await
}

/// `POST /runder/ny`: open a round; on success to its page.
pub async fn create(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    if let Some(answer) = refuse(
        &state,
        &auth,
        lang,
        "/runder/ny",
        auth.can(Action::EditPortfolio),
    ) {
        return Ok(answer);
    }
    let draft = Draft::read(&fields);
    let result = match draft.input(None, lang) {
        Ok(input) => rounds::create(state.app(), auth.who(), input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                (
                    Errors::of(&e, lang, ("Runden", "The round"), FIELDS),
                    e.status,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match result {
        Ok(created) => Ok(see_other(&format!(
            "/runder/{}?besked=oprettet",
            created.round.id
        ))),
        Err((errors, status)) => {
            show(
                &state,
                &auth,
                lang,
                None,
                Shown {
                    draft,
                    errors,
                    conflict: false,
                    version: None,
                    close_error: String::new(),
                    status,
                },
            )
            .await
        }
    }
}

/// Round `id` (from the path), or the 404 page.
async fn find(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: &str,
) -> Result<Result<RoundView, Response>, ApiError> {
    let missing = |e: AppError| {
        error_page(
            state,
            auth,
            lang,
            &format!("/runder/{id}/rediger"),
            e.into(),
        )
    };
    let not_found = || AppError::not_found(Msg::new(format!("runde {id}"), format!("round {id}")));
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(missing(not_found())));
    };
    match rounds::get(state.app(), auth.who(), number).await {
        Ok(v) => Ok(Ok(v)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Err(missing(not_found()))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /runder/{id}/rediger`.
pub async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/runder");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(v) => v,
        Err(answer) => return Ok(answer),
    };
    show(
        &state,
        &auth,
        lang,
        Some(&stored),
        Shown {
            draft: Draft::of(&stored),
            errors: Errors::none(),
            conflict: false,
            version: None,
            close_error: String::new(),
            status: StatusCode::OK,
        },
    )
    .await
}

/// `POST /runder/{id}/rediger`: change it, based on the form's version; the products
/// ticked replace those in scope.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/runder/{id}/rediger");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(v) => v,
        Err(answer) => return Ok(answer),
    };
    let draft = Draft::read(&fields);
    let checked = fields
        .version(lang)
        .map_err(Errors::general)
        .and_then(|v| draft.input(Some(v), lang).map(|input| (v, input)));
    let (version, input) = match checked {
        Ok(ok) => ok,
        Err(errors) => {
            let version = fields.version(lang).ok();
            return show(
                &state,
                &auth,
                lang,
                Some(&stored),
                Shown {
                    draft,
                    errors,
                    conflict: false,
                    version,
                    close_error: String::new(),
                    status: StatusCode::UNPROCESSABLE_ENTITY,
                },
            )
            .await;
        }
    };
    match rounds::update(state.app(), auth.who(), stored.round.id, version, input).await {
        Ok(saved) => Ok(see_other(&format!(
            "/runder/{}?besked=gemt",
            saved.round.id
        ))),
        Err(e) => {
            let e = in_lang(e.into(), lang);
            let conflict = e.detail.code == "conflict";
            show(
                &state,
                &auth,
                lang,
                Some(&stored),
                Shown {
                    draft,
                    errors: Errors::of(&e, lang, ("Runden", "The round"), FIELDS),
                    conflict,
                    // After a conflict the form carries the stored version: saving again
                    // is a deliberate choice to replace it.
                    version: (!conflict).then_some(version),
                    close_error: String::new(),
                    status: e.status,
                },
            )
            .await
        }
    }
}

/// `POST /runder/{id}/afslut`: close it (the day it was closed is kept), based on the
/// form's version.
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/runder/{id}/rediger");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(v) => v,
        Err(answer) => return Ok(answer),
    };
    let result = match form_version(&fields) {
        Ok(version) => rounds::close(state.app(), auth.who(), stored.round.id, version).await,
        Err(error) => Err(error),
    }
    .map_err(|e| in_lang(e.into(), lang));
    match result {
        Ok(v) => Ok(see_other(&format!(
            "/runder/{}?besked=afsluttet",
            v.round.id
        ))),
        Err(e) => {
            let close_error = if e.detail.code == "conflict" {
                lang.pick(
                    "Runden er ændret af en anden, siden du hentede siden. Den er ikke afsluttet; siden viser nu den gemte udgave.",
                    "The round was changed by someone else after you loaded the page. It was not closed; the page now shows the stored version.",
                )
                .to_owned()
            } else {
                e.message_in(lang).to_owned()
            };
            show(
                &state,
                &auth,
                lang,
                Some(&stored),
                Shown {
                    draft: Draft::of(&stored),
                    errors: Errors::none(),
                    conflict: false,
                    version: None,
                    close_error,
                    status: e.status,
                },
            )
            .await
        }
    }
}
