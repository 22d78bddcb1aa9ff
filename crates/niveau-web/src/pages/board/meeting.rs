//! `/bestyrelse/moeder/{id}`: a board meeting with its agenda and the cases on it, the
//! board's decision form at each undecided case, and the secretariat's form to change
//! the meeting (based on the version it was loaded at; a conflict shows the stored
//! values next to what the visitor typed).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::board;
use niveau_app::permissions::Action;
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::board::MeetingView;
use serde::Deserialize;

use super::super::form::{FormPost, see_other};
use super::super::lang::PageLang;
use super::super::workspace::{Errors, here, in_lang, refuse};
use super::super::{Layout, error_page, render};
use super::{
    CaseView, MEETING_FIELDS, MeetingDraft, Products, Refused, all_meetings, case_view,
    group_names, notice,
};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// `?besked=` of a meeting's page.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    besked: Option<String>,
}

/// The stored meeting, shown next to the form after a conflict.
struct Stored {
    held_on: String,
    title: String,
    agenda: String,
}

#[derive(Template)]
#[template(path = "board_meeting.html")]
struct MeetingPage {
    layout: Layout,
    id: i32,
    held_on: String,
    notice: String,
    agenda_html: String,
    cases: Vec<CaseView>,
    may_prepare: bool,
    errors: Errors,
    draft: MeetingDraft,
    version: i32,
    stored: Option<Stored>,
}

/// Meeting `id` (from the path), or the 404 page.
pub(super) async fn find(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: &str,
) -> Result<Result<MeetingView, Response>, ApiError> {
    let missing = |e: AppError| {
        error_page(
            state,
            auth,
            lang,
            &format!("/bestyrelse/moeder/{id}"),
            e.into(),
        )
    };
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(missing(AppError::not_found(Msg::new(
            format!("bestyrelsesmøde {id}"),
            format!("board meeting {id}"),
        )))));
    };
    match board::meeting(state.app(), auth.who(), number).await {
        Ok(m) => Ok(Ok(m)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Err(missing(e))),
        Err(e) => Err(e.into()),
    }
}

/// What the meeting page shows besides the stored meeting.
pub(super) struct Shown {
    pub(super) notice: String,
    /// The edit form: what was typed and why it was refused, or none for the stored one.
    pub(super) draft: Option<MeetingDraft>,
    pub(super) errors: Errors,
    pub(super) conflict: bool,
    pub(super) version: Option<i32>,
    /// A refused decision at one of the cases.
    pub(super) refused: Option<Refused>,
}

impl Shown {
    pub(super) fn plain(notice: String) -> Shown {
        Shown {
            notice,
            draft: None,
            errors: Errors::none(),
            conflict: false,
            version: None,
            refused: None,
        }
    }
}

pub(super) async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    view: &MeetingView,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let today = state.store().now().date_naive();
    let products = Products::load(state, auth).await?;
    let meetings = all_meetings(state, auth).await?;
    let groups = group_names(state, auth).await?;
    let may_decide = auth.can(Action::DecideBoard);
    let m = &view.meeting;
    let mut refused = shown.refused;
    let cases = view
        .cases
        .iter()
        .map(|c| {
            let mine = refused.take_if(|r| r.case_id == c.id);
            case_view(
                c, &products, &meetings, &groups, may_decide, mine, today, lang,
            )
        })
        .collect();
    let mut response = render(&MeetingPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            m.title.clone(),
            "board",
            &format!("/bestyrelse/moeder/{}", m.id),
        ),
        id: m.id,
        held_on: m.held_on.to_string(),
        notice: shown.notice,
        agenda_html: niveau_report::export::html::user_markdown(
            m.agenda.as_deref().unwrap_or_default(),
        ),
        cases,
        may_prepare: auth.can(Action::PrepareBoard),
        errors: shown.errors,
        draft: shown.draft.unwrap_or_else(|| MeetingDraft::of(m)),
        version: shown.version.unwrap_or(m.version),
        stored: shown.conflict.then(|| Stored {
            held_on: m.held_on.to_string(),
            title: m.title.clone(),
            agenda: m.agenda.clone().unwrap_or_default(),
        }),
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /bestyrelse/moeder/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/bestyrelse");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ReadBoard)) {
        return Ok(answer);
    }
    let view = match find(&state, &auth, lang, &id).await? {
        Ok(v) => v,
        Err(answer) => return Ok(answer),
    };
    show(
        &state,
        &auth,
        lang,
        &view,
        Shown::plain(notice(query.besked.as_deref(), lang)),
        StatusCode::OK,
    )
    .await
}

/// `POST /bestyrelse/moeder/{id}`: change the meeting, based on the form's version.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/bestyrelse/moeder/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::PrepareBoard)) {
        return Ok(answer);
    }
    let view = match find(&state, &auth, lang, &id).await? {
        Ok(v) => v,
        Err(answer) => return Ok(answer),
    };
    let draft = MeetingDraft::read(&fields);
    let checked = fields
        .version(lang)
        .map_err(Errors::general)
        .and_then(|v| draft.input(Some(v), lang).map(|input| (v, input)));
    let (version, input) = match checked {
        Ok(ok) => ok,
        Err(errors) => {
            let version = fields.version(lang).ok();
            let shown = Shown {
                draft: Some(draft),
                errors,
                version,
                ..Shown::plain(String::new())
            };
            return show(
                &state,
                &auth,
                lang,
                &view,
                shown,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match board::update_meeting(state.app(), auth.who(), view.meeting.id, version, input).await {
        Ok(saved) => Ok(see_other(&format!(
            "/bestyrelse/moeder/{}?besked=gemt",
            saved.id
        ))),
        Err(e) => {
            let e = in_lang(e.into(), lang);
            let conflict = e.detail.code == "conflict";
            let errors = Errors::of(&e, lang, ("Mødet", "The meeting"), MEETING_FIELDS);
            // After a conflict the form carries the stored version: saving again is a
            // deliberate choice to replace it.
            let shown = Shown {
                draft: Some(draft),
                errors,
                conflict,
                version: (!conflict).then_some(version),
                ..Shown::plain(String::new())
            };
            show(&state, &auth, lang, &view, shown, e.status).await
        }
    }
}
