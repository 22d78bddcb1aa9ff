//! The participants of a product (`/produkter/{slug}/deltagere`): the organisations and
//! people taking part, with their role and period; adding one, changing one (or ending
//! it today), and removing one, with [`niveau_app::products`]' operations. For the
//! product's editors and the secretariat.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::AppError;
use niveau_app::organisations;
use niveau_app::products::{self, ParticipantInput};
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::entity::{participant, product};
use niveau_store::organisations::{OrganisationFilter, PersonFilter};
use niveau_store::types::ParticipantRole;

use super::{
    Errors, FieldError, date, in_lang, is_conflict, is_internal, message, refusal, see_other,
    sends_away, status_of, with_status,
};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost, NoticeQuery};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, labels, render};
use crate::state::AppState;

/// What was typed for one participant, as text.
#[derive(Debug, Default, Clone)]
struct Draft {
    organisation: String,
    person: String,
    role: String,
    since: String,
    until: String,
}

impl Draft {
    fn read(fields: &Fields) -> Draft {
        Draft {
            organisation: fields.one("organisation").to_owned(),
            person: fields.one("person").to_owned(),
            role: fields.one("role").to_owned(),
            since: fields.one("since").to_owned(),
            until: fields.one("until").to_owned(),
        }
    }

    fn of(p: &participant::Model) -> Draft {
        let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Draft {
            organisation: p.organisation_id.map(|i| i.to_string()).unwrap_or_default(),
            person: p.person_id.map(|i| i.to_string()).unwrap_or_default(),
            role: p.role.as_str().to_owned(),
            since: d(p.since),
            until: d(p.until),
        }
    }

    /// The operation's input, or the errors of what cannot be read (`prefix` names the
    /// form's field ids).
    fn input(&self, prefix: &str, lang: Lang) -> Result<ParticipantInput, Errors> {
        let mut errors = Vec::new();
        let mut id = |text: &str, field: &str| -> Option<i32> {
            if text.is_empty() {
                return None;
            }
            match text.parse() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(FieldError {
                        field: format!("{prefix}-{field}"),
                        message: lang
                            .pick("Vælg fra listen.", "Choose from the list.")
                            .into(),
                    });
                    None
                }
            }
        };
        let organisation_id = id(&self.organisation, "organisation");
        let person_id = id(&self.person, "person");
        let role = ParticipantRole::parse(&self.role);
        if role.is_none() {
            errors.push(FieldError {
                field: format!("{prefix}-rolle"),
                message: lang.pick("Vælg en rolle.", "Choose a role.").into(),
            });
        }
        let mut day = |text: &str, field: &str| match date(text, lang) {
            Ok(d) => d,
            Err(message) => {
                errors.push(FieldError {
                    field: format!("{prefix}-{field}"),
                    message,
                });
                None
            }
        };
        let since = day(&self.since, "fra");
        let until = day(&self.until, "til");
        match role {
            Some(role) if errors.is_empty() => Ok(ParticipantInput {
                organisation_id,
                person_id,
                role,
                since,
                until,
                version: None,
            }),
            _ => Err(Errors(errors)),
        }
    }
}

/// An operation's refusal at the fields of the form with `prefix`.
fn errors_of(error: &AppError, prefix: &str, lang: Lang) -> Errors {
    if is_conflict(error) {
        return Errors::one(
            format!("{prefix}-rolle"),
            lang.pick(
                "Deltageren er ændret af en anden, siden du hentede siden. Intet er gemt; dine ændringer står i formularen, og den gemte udgave står ved siden af. Gem igen for at erstatte den.",
                "The participant was changed by someone else after you loaded the page. Nothing was saved; your changes are in the form, and the stored version is shown beside them. Save again to replace it.",
            ),
        );
    }
    let field = match error.field().unwrap_or("") {
        "organisation_id" => "organisation",
        "person_id" => "person",
        "role" => "rolle",
        "since" => "fra",
        "until" => "til",
        _ => "",
    };
    let field = if field.is_empty() {
        String::new()
    } else {
        format!("{prefix}-{field}")
    };
    Errors(vec![FieldError {
        field,
        message: message(error, lang),
    }])
}

/// One participant with its form.
struct Row {
    id: i32,
    name: String,
    version: i32,
    roles: Vec<Choice>,
    since: String,
    until: String,
    errors: Errors,
    /// After a conflict: the stored role, since and until.
    stored: Option<(String, String, String)>,
    action: String,
    remove_action: String,
}

#[derive(Template)]
#[template(path = "product_participants.html")]
struct ParticipantsPage {
    layout: Layout,
    product: String,
    slug: String,
    notice: String,
    rows: Vec<Row>,
    add_action: String,
    add: Draft,
    add_errors: Errors,
    organisations: Vec<Choice>,
    persons: Vec<Choice>,
    roles: Vec<Choice>,
    /// Every error on the page, for the summary.
    summary: Vec<FieldError>,
}

fn role_choices(chosen: &str, lang: Lang) -> Vec<Choice> {
    let mut choices = vec![Choice {
        value: String::new(),
        label: lang.pick("Vælg …", "Choose …").to_owned(),
        selected: chosen.is_empty(),
    }];
    choices.extend(ParticipantRole::ALL.iter().map(|r| Choice {
        value: r.as_str().to_owned(),
        label: labels::role(*r, lang),
        selected: r.as_str() == chosen,
    }));
    choices
}

/// What the page shows: which row (by id) is being edited with what, and the add form.
#[derive(Default)]
struct Shown {
    row: Option<(i32, Draft, Errors, bool)>,
    add: Draft,
    add_errors: Errors,
    notice: String,
}

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    product: &product::Model,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let app = state.app();
    let participants = products::participants(app, auth.who(), &product.slug).await?;
    let orgs = organisations::list(
        app,
        auth.who(),
        &OrganisationFilter {
            archived: Some(true),
            ..Default::default()
        },
        &ListParams::all(),
    )
    .await?
    .items;
    let persons = organisations::list_persons(
        app,
        auth.who(),
        &PersonFilter {
            archived: Some(true),
            ..Default::default()
        },
        &ListParams::all(),
    )
    .await?
    .items;
    let org_names: HashMap<i32, &str> = orgs.iter().map(|o| (o.id, o.name.as_str())).collect();
    let person_names: HashMap<i32, &str> =
        persons.iter().map(|p| (p.id, p.name.as_str())).collect();
    let name_of = |p: &participant::Model| {
        let org = p.organisation_id.and_then(|i| org_names.get(&i).copied());
        let person = p.person_id.and_then(|i| person_names.get(&i).copied());
        match (person, org) {
            (Some(p), Some(o)) => format!("{p}, {o}"),
            (Some(p), None) => p.to_owned(),
            (None, Some(o)) => o.to_owned(),
            (None, None) => lang.pick("(ukendt)", "(unknown)").to_owned(),
        }
    };
    let base = format!("/produkter/{}/deltagere", product.slug);
    let mut summary = shown.add_errors.all().to_vec();
    let rows = participants
        .iter()
        .map(|p| {
            let editing = shown.row.as_ref().filter(|(id, ..)| *id == p.id);
            let stored = Draft::of(p);
            let (draft, errors, conflict) = match editing {
                Some((_, draft, errors, conflict)) => (draft.clone(), errors.clone(), *conflict),
                None => (stored.clone(), Errors::default(), false),
            };
            summary.extend(errors.all().iter().cloned());
            Row {
                id: p.id,
                name: name_of(p),
                version: p.version,
                roles: role_choices(&draft.role, lang),
                since: draft.since,
                until: draft.until,
                errors,
                stored: conflict.then(|| {
                    (
                        labels::role(p.role, lang),
                        stored.since.clone(),
                        stored.until.clone(),
                    )
                }),
                action: in_lang(&format!("{base}/{}", p.id), lang),
                remove_action: in_lang(&format!("{base}/{}/fjern", p.id), lang),
            }
        })
        .collect();
    let mut org_choices = vec![Choice {
        value: String::new(),
        label: lang.pick("(ingen)", "(none)").to_owned(),
        selected: shown.add.organisation.is_empty(),
    }];
    org_choices.extend(orgs.iter().filter(|o| !o.archived).map(|o| Choice {
        value: o.id.to_string(),
        label: format!("{} ({})", o.name, labels::org_kind(o.kind, lang)),
        selected: o.id.to_string() == shown.add.organisation,
    }));
    let mut person_choices = vec![Choice {
        value: String::new(),
        label: lang.pick("(ingen)", "(none)").to_owned(),
        selected: shown.add.person.is_empty(),
    }];
    person_choices.extend(persons.iter().filter(|p| !p.archived).map(|p| Choice {
        value: p.id.to_string(),
        label: match p.organisation_id.and_then(|i| org_names.get(&i)) {
            Some(org) => format!("{}, {org}", p.name),
            None => p.name.clone(),
        },
        selected: p.id.to_string() == shown.add.person,
    }));
    let page = ParticipantsPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            format!(
                "{} – {}",
                lang.pick("Deltagere", "Participants"),
                product.name
            ),
            "portfolio",
            &in_lang(&base, lang),
        ),
        product: product.name.clone(),
        slug: product.slug.clone(),
        notice: shown.notice,
        rows,
        add_action: in_lang(&base, lang),
        roles: role_choices(&shown.add.role, lang),
        add: shown.add,
        add_errors: shown.add_errors,
        organisations: org_choices,
        persons: person_choices,
        summary,
    };
    Ok(with_status(render(&page), status))
}

/// The product `slug` if the visitor may change its participants, or the answer that
/// sends them away.
async fn editable(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    slug: &str,
    path: &str,
) -> Result<Result<product::Model, Response>, ApiError> {
    match products::editable(state.app(), auth.who(), slug).await {
        Ok(p) => Ok(Ok(p)),
        Err(e) if sends_away(&e) => Ok(Err(refusal(state, auth, lang, path, e))),
        Err(e) => Err(e.into()),
    }
}

fn notice(key: Option<&str>, lang: Lang) -> String {
    let (da, en) = match key.unwrap_or("") {
        "tilfoejet" => ("Deltageren er tilføjet.", "The participant is added."),
        "gemt" => ("Ændringerne er gemt.", "The changes are saved."),
        "afsluttet" => (
            "Deltagelsen er afsluttet i dag.",
            "The participation is ended today.",
        ),
        "fjernet" => (
            "Deltageren er fjernet (revisionsloggen gemmer den).",
            "The participant is removed (the audit log keeps it).",
        ),
        _ => return String::new(),
    };
    lang.pick(da, en).to_owned()
}

/// `GET /produkter/{slug}/deltagere`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let product = match editable(&state, &auth, lang, &slug, path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    let shown = Shown {
        notice: notice(query.notice(), lang),
        ..Default::default()
    };
    show(&state, &auth, lang, &product, shown, StatusCode::OK).await
}

/// `POST /produkter/{slug}/deltagere`: add a participant.
pub async fn add(
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
    let product = match editable(&state, &auth, lang, &slug, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    let draft = Draft::read(&fields);
    let refused = |draft: Draft, errors: Errors| Shown {
        add: draft,
        add_errors: errors,
        ..Default::default()
    };
    let input = match draft.input("ny", lang) {
        Ok(input) => input,
        Err(errors) => {
            let shown = refused(draft, errors);
            return show(
                &state,
                &auth,
                lang,
                &product,
                shown,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match products::add_participant(state.app(), auth.who(), &product.slug, input).await {
        Ok(_) => Ok(see_other(
            &format!("/produkter/{}/deltagere?besked=tilfoejet", product.slug),
            lang,
        )),
        Err(e) if is_internal(&e) || sends_away(&e) => Err(e.into()),
        Err(e) => {
            let status = status_of(&e);
            let shown = refused(draft, errors_of(&e, "ny", lang));
            show(&state, &auth, lang, &product, shown, status).await
        }
    }
}

/// The participant `id` of `product`, or the 404 page.
async fn participant_of(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    product: &product::Model,
    id: &str,
    path: &str,
) -> Result<Result<participant::Model, Response>, ApiError> {
    let missing = || {
        AppError::not_found(niveau_model::Msg::new(
            format!("deltager {id}"),
            format!("participant {id}"),
        ))
    };
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(refusal(state, auth, lang, path, missing())));
    };
    match products::participant_editable(state.app(), auth.who(), number).await {
        Ok(p) if p.product_id == product.id => Ok(Ok(p)),
        Ok(_) => Ok(Err(refusal(state, auth, lang, path, missing()))),
        Err(e) if sends_away(&e) => Ok(Err(refusal(state, auth, lang, path, e))),
        Err(e) => Err(e.into()),
    }
}

/// `POST /produkter/{slug}/deltagere/{id}`: change a participant, or end it today
/// (`handling=afslut`), based on the form's version.
pub async fn update(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    let product = match editable(&state, &auth, lang, &slug, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    let current = match participant_of(&state, &auth, lang, &product, &id, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    // The row's form holds role and dates; who takes part stays as stored.
    let stored = Draft::of(&current);
    let ending = fields.one("handling") == "afslut";
    let mut draft = Draft {
        role: fields.one("role").to_owned(),
        since: fields.one("since").to_owned(),
        until: fields.one("until").to_owned(),
        ..stored
    };
    if ending {
        draft.until = state.store().now().date_naive().to_string();
    }
    let prefix = format!("d{}", current.id);
    let refused = |draft: Draft, errors: Errors, conflict: bool| Shown {
        row: Some((current.id, draft, errors, conflict)),
        ..Default::default()
    };
    let checked = fields
        .version(lang)
        .map_err(|m| Errors::one(format!("{prefix}-rolle"), m))
        .and_then(|v| draft.input(&prefix, lang).map(|input| (v, input)));
    let (version, input) = match checked {
        Ok(ok) => ok,
        Err(errors) => {
            let shown = refused(draft, errors, false);
            return show(
                &state,
                &auth,
                lang,
                &product,
                shown,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match products::update_participant(state.app(), auth.who(), current.id, version, input).await {
        Ok(_) => Ok(see_other(
            &format!(
                "/produkter/{}/deltagere?besked={}",
                product.slug,
                if ending { "afsluttet" } else { "gemt" }
            ),
            lang,
        )),
        Err(e) if is_internal(&e) || sends_away(&e) => Err(e.into()),
        Err(e) => {
            let status = status_of(&e);
            let conflict = is_conflict(&e);
            let shown = refused(draft, errors_of(&e, &prefix, lang), conflict);
            show(&state, &auth, lang, &product, shown, status).await
        }
    }
}

/// `POST /produkter/{slug}/deltagere/{id}/fjern`: remove a participant, based on the
/// form's version (the audit log keeps it).
pub async fn remove(
    State(state): State<AppState>,
    Path((slug, id)): Path<(String, String)>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    let product = match editable(&state, &auth, lang, &slug, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    let current = match participant_of(&state, &auth, lang, &product, &id, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    let prefix = format!("d{}", current.id);
    let refused = |errors: Errors| Shown {
        row: Some((current.id, Draft::of(&current), errors, false)),
        ..Default::default()
    };
    let version = match fields.version(lang) {
        Ok(v) => v,
        Err(m) => {
            let shown = refused(Errors::one(format!("{prefix}-rolle"), m));
            return show(
                &state,
                &auth,
                lang,
                &product,
                shown,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match products::remove_participant(state.app(), auth.who(), current.id, version).await {
        Ok(()) => Ok(see_other(
            &format!("/produkter/{}/deltagere?besked=fjernet", product.slug),
            lang,
        )),
        Err(e) if is_internal(&e) || sends_away(&e) => Err(e.into()),
        Err(e) => {
            let status = status_of(&e);
            let message = if is_conflict(&e) {
                lang.pick(
                    "Deltageren er ændret af en anden, siden du hentede siden. Den er ikke fjernet; siden viser nu den gemte udgave.",
                    "The participant was changed by someone else after you loaded the page. It was not removed; the page now shows the stored version.",
                )
                .to_owned()
            } else {
                message(&e, lang)
            };
            let shown = refused(Errors::one(format!("{prefix}-rolle"), message));
            show(&state, &auth, lang, &product, shown, status).await
        }
    }
}
