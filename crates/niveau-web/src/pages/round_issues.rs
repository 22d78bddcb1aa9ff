//! The round page's repository issues (#16): the secretariat turns them on or off
//! (`POST /runder/{id}/issues`, field `enabled` = `ja`/`nej`) and runs them now
//! (`POST /runder/{id}/issues/koer`); the round page lists each issue with its state and
//! last error ([`niveau_app::forge`]).

use axum::extract::{Path, State};
use axum::response::Response;
use niveau_app::forge;
use niveau_app::permissions::Action;
use niveau_model::Msg;

use super::form::{FormPost, see_other};
use super::workspace::{in_lang, refuse};
use crate::error::ApiError;
use crate::state::AppState;

fn round_id(id: &str) -> Result<i32, ApiError> {
    id.parse::<i32>()
        .map_err(|_| ApiError::not_found(Msg::new(format!("runde {id}"), format!("round {id}"))))
}

/// `POST /runder/{id}/issues`: turn the round's repository issues on or off.
pub async fn set(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/runder/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let id = round_id(&id).map_err(|e| in_lang(e, lang))?;
    let enabled = fields.one("enabled") == "ja";
    forge::set_enabled(state.app(), auth.who(), id, enabled)
        .await
        .map_err(|e| in_lang(e.into(), lang))?;
    let notice = if enabled { "issues-til" } else { "issues-fra" };
    Ok(see_other(&format!("/runder/{id}?besked={notice}#issues")))
}

/// `POST /runder/{id}/issues/koer`: queue a run now.
pub async fn run(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost { auth, lang, .. } = post;
    let path = format!("/runder/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let id = round_id(&id).map_err(|e| in_lang(e, lang))?;
    forge::run_now(state.app(), auth.who(), id)
        .await
        .map_err(|e| in_lang(e.into(), lang))?;
    Ok(see_other(&format!(
        "/runder/{id}?besked=issues-koert#issues"
    )))
}
