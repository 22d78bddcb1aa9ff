//! `/bestyrelse/sager/{id}`: one board case with the product's place in the process, the
//! secretariat's form while the board has not decided (based on the version it was
//! loaded at), and the board's decision form, which also answers the decision forms of
//! the meeting page (`fra=moede` shows a refusal there).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::{AppError, ErrorKind, board, process};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::entity::board_case;
use serde::Deserialize;

use super::super::form::{FormPost, see_other};
use super::super::lang::PageLang;
use super::super::workspace::{Errors, here, in_lang, refuse};
use super::super::{Choice, Layout, error_page, labels, render};
use super::meeting::{self, Shown};
use super::{
    CASE_FIELDS, CaseDraft, CaseView, DECISION_FIELDS, DecisionDraft, Products, Refused,
    all_meetings, case_view, group_choices, group_names, kind_choices, kind_label, meeting_choices,
    notice,
};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// `?besked=` of a case's page.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    besked: Option<String>,
}

/// The stored case, shown next to the form after a conflict.
struct Stored {
    title: String,
    kind: &'static str,
    meeting: String,
    presentation: String,
    material: String,
}

/// The product's place in the process, as the case page shows it.
struct Process {
    stage: &'static str,
    level: String,
    approved: bool,
}

#[derive(Template)]
#[template(path = "board_case.html")]
struct CasePage {
    layout: Layout,
    notice: String,
    case: CaseView,
    process: Option<Process>,
    /// The secretariat's form is shown (the case is undecided, or a change was refused).
    editable: bool,
    errors: Errors,
    draft: CaseDraft,
    version: i32,
    stored: Option<Stored>,
    kinds: Vec<Choice>,
    meetings: Vec<Choice>,
    groups: Vec<Choice>,
}

/// Case `id` (from the path), or the 404 page.
async fn find(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: &str,
) -> Result<Result<board_case::Model, Response>, ApiError> {
    let missing = |e: AppError| {
        error_page(
            state,
            auth,
            lang,
            &format!("/bestyrelse/sager/{id}"),
            e.into(),
        )
    };
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(missing(AppError::not_found(Msg::new(
            format!("bestyrelsessag {id}"),
            format!("board case {id}"),
        )))));
    };
    match board::case(state.app(), auth.who(), number).await {
        Ok(c) => Ok(Ok(c)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Err(missing(e))),
        Err(e) => Err(e.into()),
    }
}

/// What the case page shows besides the stored case.
struct CaseShown {
    notice: String,
    draft: Option<CaseDraft>,
    errors: Errors,
    conflict: bool,
    version: Option<i32>,
    refused: Option<Refused>,
}

impl CaseShown {
    fn plain(notice: String) -> CaseShown {
        CaseShown {
            notice,
            draft: None,
            errors: Errors::none(),
            conflict: false,
            version: None,
            refused: None,
        }
    }
}

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    stored: &board_case::Model,
    shown: CaseShown,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let today = state.store().now().date_naive();
    let products = Products::load(state, auth).await?;
    let meetings = all_meetings(state, auth).await?;
    let groups = group_names(state, auth).await?;
    let process = process::view(state.app(), auth.who(), &stored.product_id.to_string())
        .await
        .ok()
        .map(|v| Process {
            stage: labels::stage(v.stage, lang),
            level: labels::level(v.level.as_deref(), lang),
            approved: v.board_approved,
        });
    // The form stays while the case is undecided, and after a refused change (also of a
    // case decided meanwhile) so that what was typed is kept.
    let editable =
        auth.can(Action::PrepareBoard) && (stored.outcome.is_none() || shown.draft.is_some());
    let draft = shown.draft.unwrap_or_else(|| CaseDraft::of(stored));
    let group_options = if editable {
        group_choices(
            state,
            auth,
            &products,
            &stored.product_id.to_string(),
            &draft.group_id,
            lang,
        )
        .await?
    } else {
        Vec::new()
    };
    let view = case_view(
        stored,
        &products,
        &meetings,
        &groups,
        auth.can(Action::DecideBoard),
        shown.refused,
        today,
        lang,
    );
    let mut response = render(&CasePage {
        layout: Layout::new(
            state,
            auth,
            lang,
            stored.title.clone(),
            "board",
            &format!("/bestyrelse/sager/{}", stored.id),
        ),
        notice: shown.notice,
        process,
        editable,
        errors: shown.errors,
        version: shown.version.unwrap_or(stored.version),
        stored: shown.conflict.then(|| Stored {
            title: stored.title.clone(),
            kind: kind_label(stored.kind, lang),
            meeting: view
                .meeting
                .as_ref()
                .map(|m| m.1.clone())
                .unwrap_or_default(),
            presentation: stored.presentation.clone(),
            material: stored.material.0.join("\n"),
        }),
        kinds: kind_choices(&draft.kind, lang),
        meetings: meeting_choices(&meetings, &draft.meeting_id, lang),
        groups: group_options,
        draft,
        case: view,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /bestyrelse/sager/{id}`.
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
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    show(
        &state,
        &auth,
        lang,
        &stored,
        CaseShown::plain(notice(query.besked.as_deref(), lang)),
        StatusCode::OK,
    )
    .await
}

/// `POST /bestyrelse/sager/{id}`: change the undecided case, based on the form's
/// version; its product stays.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/bestyrelse/sager/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::PrepareBoard)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let mut draft = CaseDraft::read(&fields);
    draft.product_id = stored.product_id.to_string();
    let checked = fields
        .version(lang)
        .map_err(Errors::general)
        .and_then(|v| draft.input(Some(v), lang).map(|input| (v, input)));
    let (version, input) = match checked {
        Ok(ok) => ok,
        Err(errors) => {
            let shown = CaseShown {
                draft: Some(draft),
                errors,
                version: fields.version(lang).ok(),
                ..CaseShown::plain(String::new())
            };
            return show(
                &state,
                &auth,
                lang,
                &stored,
                shown,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match board::update_case(state.app(), auth.who(), stored.id, version, input).await {
        Ok(saved) => Ok(see_other(&format!(
            "/bestyrelse/sager/{}?besked=gemt",
            saved.id
        ))),
        Err(e) => {
            let e = in_lang(e.into(), lang);
            let conflict = e.detail.code == "conflict";
            let errors = Errors::of(&e, lang, ("Sagen", "The case"), CASE_FIELDS);
            // Show the case as it is now (a decision may have come in between).
            let now = board::case(state.app(), auth.who(), stored.id)
                .await
                .unwrap_or(stored);
            let shown = CaseShown {
                draft: Some(draft),
                errors,
                conflict,
                version: (!conflict).then_some(version),
                ..CaseShown::plain(String::new())
            };
            show(&state, &auth, lang, &now, shown, e.status).await
        }
    }
}

/// `POST /bestyrelse/sager/{id}/afgoer`: record the board's decision, based on the
/// form's version. `fra=moede` comes from the meeting page: back there on success, and a
/// refusal is shown there, at the case. A case the board has already decided is refused
/// as such by the store (not as a stale version): a decision is recorded once.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/bestyrelse/sager/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::DecideBoard)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let from_meeting = fields.one("fra") == "moede" && stored.meeting_id.is_some();
    let draft = DecisionDraft::read(&fields);
    let form_version = fields.version(lang);
    let result = match form_version
        .clone()
        .map_err(Errors::general)
        .and_then(|v| draft.input(Some(v), lang).map(|input| (v, input)))
    {
        Ok((version, input)) => board::decide(state.app(), auth.who(), stored.id, version, input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                let conflict = e.detail.code == "conflict";
                (
                    Errors::of(&e, lang, ("Sagen", "The case"), DECISION_FIELDS),
                    e.status,
                    conflict,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY, false)),
    };
    let (errors, status, conflict) = match result {
        Ok(decided) => {
            let to = match (from_meeting, decided.case.meeting_id) {
                (true, Some(m)) => {
                    format!(
                        "/bestyrelse/moeder/{m}?besked=afgjort#sag-{}",
                        decided.case.id
                    )
                }
                _ => format!("/bestyrelse/sager/{}?besked=afgjort", decided.case.id),
            };
            return Ok(see_other(&to));
        }
        Err(refusal) => refusal,
    };
    // Shown with the case as it is now; after a conflict with its stored version.
    let now = board::case(state.app(), auth.who(), stored.id)
        .await
        .unwrap_or(stored);
    let refused = Refused {
        case_id: now.id,
        draft,
        errors,
        version: match form_version {
            Ok(v) if !conflict => v,
            _ => now.version,
        },
    };
    if from_meeting && let Some(m) = now.meeting_id {
        match meeting::find(&state, &auth, lang, &m.to_string()).await? {
            Ok(view) => {
                let shown = Shown {
                    refused: Some(refused),
                    ..Shown::plain(String::new())
                };
                return meeting::show(&state, &auth, lang, &view, shown, status).await;
            }
            Err(answer) => return Ok(answer),
        }
    }
    let shown = CaseShown {
        refused: Some(refused),
        ..CaseShown::plain(String::new())
    };
    show(&state, &auth, lang, &now, shown, status).await
}
