//! Uploading an existing OS2 report into the self-evaluation editor
//! (`/produkter/{slug}/selvevaluering/upload`).

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_store::StoreError;

use super::selfeval::Editing;
use crate::auth::principal::FormAuth;
use crate::error::ApiError;
use crate::pages::form::see_other;
use crate::pages::lang::PageLang;
use crate::permissions::Action;
use crate::state::AppState;
use crate::submission::prepare_self_evaluation;

/// The content type of an uploaded file, from its name first (browsers send
/// `application/octet-stream` for `.md`), then from what the browser said.
fn upload_type(file_name: &str, declared: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        "application/json"
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".txt") {
        "text/markdown"
    } else if declared.contains("json") {
        "application/json"
    } else {
        "text/markdown"
    }
}

/// `POST /produkter/{slug}/selvevaluering/upload` (multipart): an OS2 Markdown report or
/// OS2's form JSON becomes a new version to go on from. An unreadable file is refused
/// with the importer's message, which names the line; nothing is stored then.
pub async fn upload(
    State(state): State<AppState>,
    auth: FormAuth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let path = uri.path().to_owned();
    let mut csrf = String::new();
    let mut based_on: Option<i32> = None;
    let mut file: Option<(String, String, Vec<u8>)> = None;
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::invalid("fil", e.body_text()))?
    {
        let name = part.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf_token" => {
                csrf = part
                    .text()
                    .await
                    .map_err(|e| ApiError::invalid("csrf_token", e.body_text()))?
            }
            "based_on" => {
                based_on = part
                    .text()
                    .await
                    .map_err(|e| ApiError::invalid("based_on", e.body_text()))?
                    .trim()
                    .parse()
                    .ok();
            }
            "fil" => {
                let file_name = part.file_name().unwrap_or_default().to_owned();
                let declared = part.content_type().unwrap_or_default().to_owned();
                let bytes = part
                    .bytes()
                    .await
                    .map_err(|e| ApiError::invalid("fil", e.body_text()))?;
                file = Some((file_name, declared, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let auth = auth.verify(&csrf)?;
    let editing = match Editing::open(&state, &auth, lang, &slug, &path).await {
        Ok(e) => e,
        Err(page) => return Ok(page),
    };
    let product = &editing.product;
    let who = auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let refuse = |message: String| async {
        let draft = editing.current_draft()?;
        editing
            .refuse(&draft, message, StatusCode::UNPROCESSABLE_ENTITY)
            .await
    };
    let Some((file_name, declared, bytes)) = file.filter(|(_, _, b)| !b.is_empty()) else {
        return refuse(
            lang.pick("Vælg en fil at uploade.", "Choose a file to upload.")
                .to_owned(),
        )
        .await;
    };
    let prepared = prepare_self_evaluation(
        state.registry(),
        product.id,
        upload_type(&file_name, &declared),
        &bytes,
        Some(based_on.unwrap_or(0)),
    );
    let input = match prepared {
        Ok(input) => input,
        Err(e) => {
            return refuse(format!("{file_name}: {}", e.detail.message)).await;
        }
    };
    match state
        .store()
        .create_self_evaluation(&who.actor(), input)
        .await
    {
        Ok(row) => Ok(see_other(&format!(
            "/produkter/{}/selvevaluering?gemt={}",
            product.slug, row.number
        ))),
        Err(StoreError::Conflict { actual, .. }) => {
            refuse(format!(
                "{} {actual} {}",
                lang.pick("Nogen har gemt version", "Someone saved version"),
                lang.pick(
                    "imens. Filen er ikke gemt; upload den igen for at lægge den oven på.",
                    "meanwhile. The file was not stored; upload it again to put it on top."
                )
            ))
            .await
        }
        Err(other) => Err(other.into()),
    }
}
