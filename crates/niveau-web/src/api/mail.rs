//! E-mail (#16): the secretariat's view of the outbox (`/outbox`, with `?status=failed`
//! for what needs attention, and `/outbox/{id}/retry` to send a failed message again) and
//! the caller's notification settings (`/me/notifications`). The rules are
//! [`niveau_app::mail`]'s.

use axum::Json;
use axum::extract::{Path, State};
use niveau_app::mail::{self, NotificationSettings};
use niveau_app::permissions::Action;
use niveau_store::entity::outbox_message;
use niveau_store::outbox::OutboxFilter;
use niveau_store::{ListParams, Page};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::principal::Auth;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{JsonBody, LaterQuery};
use crate::state::AppState;

/// The routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_outbox))
        .routes(routes!(retry_message))
        .routes(routes!(my_notifications, put_my_notifications))
}

/// The outbox, newest first (the secretariat). `status=failed` lists the messages that
/// were given up, with the last error.
#[utoipa::path(get, path = "/outbox", tag = "konti",
    params(ListParams, OutboxFilter),
    responses((status = 200, body = Page<outbox_message::Model>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_outbox(
    State(state): State<AppState>,
    auth: Auth,
    params: LaterQuery<ListParams>,
    filter: LaterQuery<OutboxFilter>,
) -> ApiResult<Json<Page<outbox_message::Model>>> {
    auth.require(Action::ReadOutbox)?;
    let params = params.parse()?;
    let filter = filter.parse()?;
    Ok(Json(
        mail::outbox(state.app(), auth.who(), &filter, &params).await?,
    ))
}

/// Send a failed message again: it is queued with fresh attempts (the secretariat).
#[utoipa::path(post, path = "/outbox/{id}/retry", tag = "konti",
    params(("id" = i32, Path)),
    responses((status = 200, body = outbox_message::Model), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn retry_message(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<i32>,
) -> ApiResult<Json<outbox_message::Model>> {
    auth.require(Action::ManageOutbox)?;
    Ok(Json(mail::send_again(state.app(), auth.who(), id).await?))
}

/// The caller's notification settings: `immediate`, `digest` (one e-mail a day) or
/// `off`, and the language (`da`, `en`).
#[utoipa::path(get, path = "/me/notifications", tag = "konti",
    responses((status = 200, body = NotificationSettings), (status = 401, body = ErrorBody)))]
pub async fn my_notifications(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<NotificationSettings>> {
    auth.require(Action::ReadOwnAccount)?;
    Ok(Json(mail::my_settings(state.app(), auth.who()).await?))
}

/// Change the caller's notification settings.
#[utoipa::path(put, path = "/me/notifications", tag = "konti", request_body = NotificationSettings,
    responses((status = 200, body = NotificationSettings), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_my_notifications(
    State(state): State<AppState>,
    auth: Auth,
    body: JsonBody<NotificationSettings>,
) -> ApiResult<Json<NotificationSettings>> {
    auth.require(Action::OwnAccount)?;
    let input: NotificationSettings = body.parse()?;
    Ok(Json(
        mail::put_my_settings(state.app(), auth.who(), input).await?,
    ))
}
