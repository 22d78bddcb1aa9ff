//! The e-mail outbox for the secretariat (`/admin/udbakke`): the messages that failed
//! (refused for good by the SMTP server, or out of attempts) with the last error, each
//! with a "send igen" button, and the messages waiting or being retried. The operations
//! are the API's ([`niveau_app::mail`]).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use niveau_app::mail;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::entity::outbox_message::{self, OutboxStatus};
use niveau_store::outbox::OutboxFilter;

use super::{here, refuse};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{FormPost, NoticeQuery, see_other};
use crate::pages::lang::PageLang;
use crate::pages::{Layout, render};
use crate::state::AppState;
use niveau_app::permissions::Action;

/// A message as listed.
struct Row {
    id: i32,
    recipient: String,
    subject: String,
    kind: String,
    attempts: i32,
    when: String,
    error: String,
}

#[derive(Template)]
#[template(path = "admin_outbox.html")]
struct OutboxPage {
    layout: Layout,
    notice: String,
    failed: Vec<Row>,
    waiting: Vec<Row>,
    total_failed: u64,
}

fn rows(items: Vec<outbox_message::Model>, next: bool) -> Vec<Row> {
    items
        .into_iter()
        .map(|m| Row {
            id: m.id,
            recipient: m.recipient,
            subject: m.subject,
            kind: m.event_kind,
            attempts: m.attempts,
            when: if next {
                m.next_attempt_at
            } else {
                m.created_at
            }
            .format("%Y-%m-%d %H:%M")
            .to_string(),
            error: m.last_error.unwrap_or_default(),
        })
        .collect()
}

/// `GET /admin/udbakke`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin/udbakke");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ReadOutbox)) {
        return Ok(answer);
    }
    let params = ListParams {
        limit: Some(200),
        ..ListParams::default()
    };
    let failed = mail::outbox(
        state.app(),
        auth.who(),
        &OutboxFilter {
            status: Some(OutboxStatus::Failed),
        },
        &params,
    )
    .await?;
    let waiting = mail::outbox(
        state.app(),
        auth.who(),
        &OutboxFilter {
            status: Some(OutboxStatus::Queued),
        },
        &params,
    )
    .await?;
    Ok(render(&OutboxPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Udbakke", "Outbox"),
            "admin",
            path,
        ),
        notice: notice(query.notice(), lang),
        total_failed: failed.total,
        failed: rows(failed.items, false),
        waiting: rows(waiting.items, true),
    }))
}

fn notice(key: Option<&str>, lang: Lang) -> String {
    match key {
        Some("sendes-igen") => lang
            .pick(
                "Beskeden er sat i kø og sendes igen.",
                "The message is queued and will be sent again.",
            )
            .to_owned(),
        _ => String::new(),
    }
}

/// `POST /admin/udbakke/{id}/send-igen`: send a failed message again.
pub async fn retry(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost { auth, lang, .. } = post;
    if let Some(answer) = refuse(
        &state,
        &auth,
        lang,
        "/admin/udbakke",
        auth.can(Action::ManageOutbox),
    ) {
        return Ok(answer);
    }
    mail::send_again(state.app(), auth.who(), id).await?;
    Ok(see_other("/admin/udbakke?besked=sendes-igen"))
}
