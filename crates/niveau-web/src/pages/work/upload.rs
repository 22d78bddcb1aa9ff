//! Uploading an existing OS2 report into the self-evaluation editor
//! (`/produkter/{slug}/selvevaluering/upload`), and the product's upload quota
//! (`/produkter/{slug}/selvevaluering/kvote`, for the secretariat).

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::self_evaluations::{self as ops, Upload, UploadKind};
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_store::StoreError;
use niveau_store::versions::UploadQuotaInput;

use super::selfeval::Editing;
use crate::auth::principal::FormAuth;
use crate::error::ApiError;
use crate::pages::form::{FormPost, see_other};
use crate::pages::lang::PageLang;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// What an uploaded file is, from its name first (browsers send
/// `application/octet-stream` for `.md`), then from what the browser said.
fn upload_kind(file_name: &str, declared: &str) -> UploadKind {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        UploadKind::Json
    } else if lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".txt") {
        UploadKind::Markdown
    } else if declared.contains("json") {
        UploadKind::Json
    } else {
        UploadKind::Markdown
    }
}

/// A multipart field that could not be read, as a refusal of `field`.
fn unreadable(field: &str, e: &axum::extract::multipart::MultipartError) -> ApiError {
    // axum's text is English only: the Danish message says it in its own words.
    ApiError::invalid(
        field,
        Msg::new(
            "formularens indhold kunne ikke læses (afbrudt eller forkert opbygget)",
            e.body_text(),
        ),
    )
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
        .map_err(|e| unreadable("fil", &e))?
    {
        let name = part.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf_token" => {
                csrf = part
                    .text()
                    .await
                    .map_err(|e| unreadable("csrf_token", &e))?
            }
            "based_on" => {
                based_on = part
                    .text()
                    .await
                    .map_err(|e| unreadable("based_on", &e))?
                    .trim()
                    .parse()
                    .ok();
            }
            "fil" => {
                let file_name = part.file_name().unwrap_or_default().to_owned();
                let declared = part.content_type().unwrap_or_default().to_owned();
                let bytes = part.bytes().await.map_err(|e| unreadable("fil", &e))?;
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
    auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let editing = &editing;
    let refuse_with = |message: String, status: StatusCode| async move {
        let draft = editing.current_draft()?;
        editing.refuse(&draft, message, status).await
    };
    let refuse = |message: String| refuse_with(message, StatusCode::UNPROCESSABLE_ENTITY);
    let Some((file_name, declared, bytes)) = file.filter(|(_, _, b)| !b.is_empty()) else {
        return refuse(
            lang.pick("Vælg en fil at uploade.", "Choose a file to upload.")
                .to_owned(),
        )
        .await;
    };
    let upload = Upload {
        kind: upload_kind(&file_name, &declared),
        body: &bytes,
        based_on: Some(based_on.unwrap_or(0)),
    };
    match ops::submit(state.app(), auth.who(), product, upload).await {
        Ok(row) => Ok(see_other(&format!(
            "/produkter/{}/selvevaluering?gemt={}",
            product.slug, row.number
        ))),
        Err(AppError::Store(StoreError::Conflict { actual, .. })) => {
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
        // The upload limits name the limit and the use.
        Err(e @ AppError::Store(_)) if e.kind() == ErrorKind::TooLarge => {
            refuse_with(
                format!("{file_name}: {}", lang.msg(&e.message())),
                StatusCode::PAYLOAD_TOO_LARGE,
            )
            .await
        }
        Err(AppError::Store(other)) => Err(other.into()),
        // The file cannot be read: the importer's message names the line.
        Err(e) if e.kind() != ErrorKind::Internal => {
            refuse(format!("{file_name}: {}", lang.msg(&e.message()))).await
        }
        Err(e) => Err(e.into()),
    }
}

/// Bytes from a number of megabytes as a person writes it (`75`, `12,5`); `None` for an
/// empty field (the server's default), an error for anything else.
fn parse_megabytes(text: &str) -> Result<Option<i64>, ()> {
    let text = text.trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    let mb: f64 = text.parse().map_err(|_| ())?;
    if !mb.is_finite() || mb <= 0.0 {
        return Err(());
    }
    let bytes = (mb * 1_048_576.0).round();
    if bytes > niveau_store::versions::MAX_UPLOAD_QUOTA_BYTES as f64 {
        return Err(());
    }
    Ok(Some(bytes as i64))
}

/// `POST /produkter/{slug}/selvevaluering/kvote` (`kvote_mb`, `version`): the
/// secretariat sets the product's upload quota; an empty field restores the server's
/// default. Audited by the store; a stale product version is refused.
pub async fn quota(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, path, ..
    } = &post;
    let editing = match Editing::open(&state, auth, *lang, &slug, path).await {
        Ok(e) => e,
        Err(page) => return Ok(page),
    };
    let lang = *lang;
    auth.require(Action::EditPortfolio)?;
    let product = &editing.product;
    let editing = &editing;
    let refuse = |message: String, status: StatusCode| async move {
        let draft = editing.current_draft()?;
        editing.refuse(&draft, message, status).await
    };
    let Ok(quota) = parse_megabytes(post.fields.one("kvote_mb")) else {
        let max = niveau_store::versions::MAX_UPLOAD_QUOTA_BYTES / 1_048_576;
        return refuse(
            format!(
                "{} {max} MB.",
                lang.pick(
                    "Kvoten skal være et tal i MB større end 0 og højst",
                    "The quota must be a number of MB above 0 and at most"
                )
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let input = UploadQuotaInput {
        upload_quota_bytes: quota,
        version: post.fields.one("version").trim().parse().unwrap_or(0),
    };
    match ops::set_upload_quota(state.app(), auth.who(), product, input).await {
        Ok(_) => Ok(see_other(&format!(
            "/produkter/{}/selvevaluering?kvote=1",
            product.slug
        ))),
        Err(AppError::Store(StoreError::Conflict { .. })) => {
            refuse(
                lang.pick(
                    "Produktet er ændret imens. Kvoten er ikke gemt; prøv igen.",
                    "The product was changed meanwhile. The quota was not saved; try again.",
                )
                .to_owned(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
