//! Organisations (`/admin/organisationer`): the list with archived ones, creating,
//! editing (based on the version the form was made from) and archiving. For whoever the
//! API lets edit organisations (`Action::EditPortfolio`: the secretariat and admins).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::NaiveDate;
use niveau_app::organisations::{self, OrganisationFilter, OrganisationInput};
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::entity::organisation;
use niveau_store::types::OrgKind;

use super::{here, notice, problem, refuse};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost, NoticeQuery, see_other};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, error_page, labels, render};
use crate::state::AppState;
use niveau_app::permissions::Action;

/// An organisation in the list.
struct OrgRow {
    id: i32,
    name: String,
    kind: &'static str,
    member_since: String,
    left_on: String,
    archived: bool,
}

/// What the visitor wrote in an organisation form (as text, so nothing is lost).
#[derive(Debug, Default)]
struct Draft {
    name: String,
    kind: String,
    member_since: String,
    left_on: String,
    supplier_partner_since: String,
    note: String,
}

impl Draft {
    fn read(fields: &Fields) -> Draft {
        Draft {
            name: fields.one("name").to_owned(),
            kind: fields.one("kind").to_owned(),
            member_since: fields.one("member_since").to_owned(),
            left_on: fields.one("left_on").to_owned(),
            supplier_partner_since: fields.one("supplier_partner_since").to_owned(),
            note: fields.one("note").to_owned(),
        }
    }

    fn of(o: &organisation::Model) -> Draft {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Draft {
            name: o.name.clone(),
            kind: o.kind.as_str().to_owned(),
            member_since: date(o.member_since),
            left_on: date(o.left_on),
            supplier_partner_since: date(o.supplier_partner_since),
            note: o.note.clone().unwrap_or_default(),
        }
    }

    /// The store's input, or what cannot be read.
    fn input(&self, version: Option<i32>, lang: Lang) -> Result<OrganisationInput, String> {
        let kind = OrgKind::parse(&self.kind).ok_or_else(|| {
            format!(
                "{} «{}»",
                lang.pick("Vælg en type:", "Choose a kind:"),
                self.kind
            )
        })?;
        let date = |label: (&str, &str), text: &str| -> Result<Option<NaiveDate>, String> {
            if text.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    format!(
                        "{}: «{text}» {}",
                        lang.pick(label.0, label.1),
                        lang.pick(
                            "er ikke en dato (skriv ÅÅÅÅ-MM-DD).",
                            "is not a date (write YYYY-MM-DD)."
                        )
                    )
                })
        };
        Ok(OrganisationInput {
            name: self.name.clone(),
            kind,
            member_since: date(("Medlem siden", "Member since"), &self.member_since)?,
            left_on: date(("Udtrådt", "Left"), &self.left_on)?,
            supplier_partner_since: date(
                ("Leverandørpartner siden", "Supplier partner since"),
                &self.supplier_partner_since,
            )?,
            note: (!self.note.is_empty()).then(|| self.note.clone()),
            version,
        })
    }
}

#[derive(Template)]
#[template(path = "admin_organisations.html")]
struct OrganisationsPage {
    layout: Layout,
    organisations: Vec<OrgRow>,
    notice: String,
    error: String,
    draft: Draft,
    kinds: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "admin_organisation.html")]
struct OrganisationPage {
    layout: Layout,
    id: i32,
    archived: bool,
    version: i32,
    draft: Draft,
    kinds: Vec<Choice>,
    notice: String,
    error: String,
    stored: Option<Draft>,
}

fn kind_choices(chosen: &str, lang: Lang) -> Vec<Choice> {
    let mut choices = vec![Choice {
        value: String::new(),
        label: lang.pick("Vælg …", "Choose …").to_owned(),
        selected: chosen.is_empty(),
    }];
    choices.extend(OrgKind::ALL.iter().map(|k| Choice {
        value: k.as_str().to_owned(),
        label: labels::org_kind(*k, lang).to_owned(),
        selected: k.as_str() == chosen,
    }));
    choices
}

async fn show_list(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    notice: String,
    error: String,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let organisations = organisations::list(
        state.app(),
        auth.who(),
        &OrganisationFilter {
            archived: Some(true),
            ..Default::default()
        },
        &ListParams::all(),
    )
    .await?
    .items
    .into_iter()
    .map(|o| OrgRow {
        id: o.id,
        kind: labels::org_kind(o.kind, lang),
        member_since: date(o.member_since),
        left_on: date(o.left_on),
        archived: o.archived,
        name: o.name,
    })
    .collect();
    let mut response = render(&OrganisationsPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Organisationer", "Organisations"),
            "admin",
            "/admin/organisationer",
        ),
        organisations,
        notice,
        error,
        kinds: kind_choices(&draft.kind, lang),
        draft,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The edit page of `stored`, with the visitor's `draft` if there is one; after a
/// conflict the stored record is shown next to the form.
#[allow(clippy::too_many_arguments)]
async fn show_one(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    stored: &organisation::Model,
    draft: Option<Draft>,
    notice: String,
    error: String,
    conflict: bool,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let draft = draft.unwrap_or_else(|| Draft::of(stored));
    let mut response = render(&OrganisationPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            stored.name.clone(),
            "admin",
            &format!("/admin/organisationer/{}", stored.id),
        ),
        id: stored.id,
        archived: stored.archived,
        version: stored.version,
        kinds: kind_choices(&draft.kind, lang),
        draft,
        notice,
        error,
        stored: conflict.then(|| {
            let mut shown = Draft::of(stored);
            if let Some(kind) = OrgKind::parse(&shown.kind) {
                shown.kind = labels::org_kind(kind, lang).to_owned();
            }
            shown
        }),
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The organisation `id` (from the path), or the 404 page.
async fn find(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: &str,
) -> Result<Result<organisation::Model, Response>, ApiError> {
    let missing = |e: AppError| {
        error_page(
            state,
            auth,
            lang,
            &format!("/admin/organisationer/{id}"),
            e.into(),
        )
    };
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(missing(AppError::not_found(Msg::new(
            format!("organisation {id}"),
            format!("organisation {id}"),
        )))));
    };
    match organisations::get(state.app(), auth.who(), number).await {
        Ok(o) => Ok(Ok(o)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Err(missing(e))),
        Err(e) => Err(e.into()),
    }
}

/// The form's version, or why it cannot be read (in both languages).
fn form_version(fields: &Fields) -> Result<i32, AppError> {
    fields.version(Lang::Da).map_err(|da| {
        let en = fields.version(Lang::En).err().unwrap_or_else(|| da.clone());
        AppError::invalid("version", Msg::new(da, en))
    })
}

/// `error` with its message in `lang`, as the page shows it.
fn in_lang(mut error: ApiError, lang: Lang) -> ApiError {
    error.detail.message = error.message_in(lang).to_owned();
    error
}

/// `GET /admin/organisationer`.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin/organisationer");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    show_list(
        &state,
        &auth,
        lang,
        notice(query.notice(), lang),
        String::new(),
        Draft::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/organisationer`: a new organisation; on success to its edit page.
pub async fn create(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = "/admin/organisationer";
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let draft = Draft::read(&fields);
    let input = match draft.input(None, lang) {
        Ok(input) => input,
        Err(error) => {
            return show_list(
                &state,
                &auth,
                lang,
                String::new(),
                error,
                draft,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match organisations::create(state.app(), auth.who(), input).await {
        Ok(created) => Ok(see_other(&format!(
            "/admin/organisationer/{}?besked=oprettet",
            created.id
        ))),
        Err(e) => {
            let e = in_lang(e.into(), lang);
            let error = problem(&e, lang, ("Organisationen", "The organisation"));
            show_list(&state, &auth, lang, String::new(), error, draft, e.status).await
        }
    }
}

/// `GET /admin/organisationer/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin/organisationer");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(o) => o,
        Err(answer) => return Ok(answer),
    };
    show_one(
        &state,
        &auth,
        lang,
        &stored,
        None,
        notice(query.notice(), lang),
        String::new(),
        false,
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/organisationer/{id}`: change it, based on the form's version.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/admin/organisationer/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(o) => o,
        Err(answer) => return Ok(answer),
    };
    let draft = Draft::read(&fields);
    let checked = fields
        .version(lang)
        .and_then(|v| draft.input(Some(v), lang).map(|input| (v, input)));
    let (version, input) = match checked {
        Ok(ok) => ok,
        Err(error) => {
            return show_one(
                &state,
                &auth,
                lang,
                &stored,
                Some(draft),
                String::new(),
                error,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match organisations::update(state.app(), auth.who(), stored.id, version, input).await {
        Ok(saved) => Ok(see_other(&format!(
            "/admin/organisationer/{}?besked=gemt",
            saved.id
        ))),
        Err(e) => {
            let e = in_lang(e.into(), lang);
            let conflict = e.detail.code == "conflict";
            let error = problem(&e, lang, ("Organisationen", "The organisation"));
            // After a conflict the form carries the stored version: saving again is a
            // deliberate choice to replace it. Otherwise it keeps the version it had.
            let mut shown = stored;
            if !conflict {
                shown.version = version;
            }
            show_one(
                &state,
                &auth,
                lang,
                &shown,
                Some(draft),
                String::new(),
                error,
                conflict,
                e.status,
            )
            .await
        }
    }
}

/// `POST /admin/organisationer/{id}/arkiver`: archive it (it leaves the lists; its
/// history stays), based on the form's version.
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/admin/organisationer/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(o) => o,
        Err(answer) => return Ok(answer),
    };
    let result = match form_version(&fields) {
        Ok(version) => organisations::archive(state.app(), auth.who(), stored.id, version).await,
        Err(error) => Err(error),
    }
    .map_err(|e| in_lang(e.into(), lang));
    match result {
        Ok(_) => Ok(see_other("/admin/organisationer?besked=arkiveret")),
        Err(e) => {
            let conflict = e.detail.code == "conflict";
            let error = if conflict {
                lang.pick(
                    "Organisationen er ændret af en anden, siden du hentede siden. Den er ikke arkiveret; siden viser nu den gemte udgave.",
                    "The organisation was changed by someone else after you loaded the page. It was not archived; the page now shows the stored version.",
                )
                .to_owned()
            } else {
                problem(&e, lang, ("Organisationen", "The organisation"))
            };
            show_one(
                &state,
                &auth,
                lang,
                &stored,
                None,
                String::new(),
                error,
                false,
                e.status,
            )
            .await
        }
    }
}
