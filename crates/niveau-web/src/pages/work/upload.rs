//! Uploading an existing OS2 report into the self-evaluation editor
//! (`/produkter/{slug}/selvevaluering/upload`), and the product's upload quota
//! (`/produkter/{slug}/selvevaluering/kvote`, for the secretariat).

use axum::extract::{Multipart, Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use niveau_app::self_evaluations::{self as ops, ModelChoice, Upload, UploadChoices, UploadKind};
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_store::StoreError;
use niveau_store::versions::UploadQuotaInput;

use super::selfeval::{Editing, Extras, FieldError, PendingUpload};
use crate::auth::principal::FormAuth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost, see_other};
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
/// OS2's form JSON becomes a new version to go on from. The upload button is part of the
/// editor's form, so the post carries the editor's fields too: whatever is refused, the
/// page comes back with them in the form and the error at the file field. An
/// unreadable file is refused with the importer's message, which names the line; nothing
/// is stored then. A report that names another product of the portfolio, that is in
/// another model than the product's self-evaluation, or that would replace changes not
/// saved yet, is kept in the form (as text) with the question to answer (409).
pub async fn upload(
    State(state): State<AppState>,
    auth: FormAuth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, ApiError> {
    let path = uri.path().to_owned();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut file: Option<(String, String, Vec<u8>)> = None;
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|e| unreadable("fil", &e))?
    {
        let name = part.name().unwrap_or_default().to_owned();
        if name == "fil" {
            let file_name = part.file_name().unwrap_or_default().to_owned();
            let declared = part.content_type().unwrap_or_default().to_owned();
            let bytes = part.bytes().await.map_err(|e| unreadable("fil", &e))?;
            if !bytes.is_empty() {
                file = Some((file_name, declared, bytes.to_vec()));
            }
        } else {
            let value = part.text().await.map_err(|e| unreadable(&name, &e))?;
            pairs.push((name, value));
        }
    }
    let fields = Fields(pairs);
    let auth = auth.verify(fields.one("csrf_token"))?;
    let editing = match Editing::open(&state, &auth, lang, &slug, &path).await {
        Ok(e) => e,
        Err(page) => return Ok(page),
    };
    let product = &editing.product;
    auth.require(Action::SubmitSelfEvaluation(product.id))?;
    let (draft, mut errors) = editing.posted_draft(&fields)?;
    let editor_post = !fields.one("model").is_empty();
    let editing = &editing;
    let draft = &draft;
    let refuse_with = |errors: Vec<FieldError>, status: StatusCode| async move {
        let extras = Extras {
            errors,
            ..Extras::default()
        };
        editing.render(draft, extras, status).await
    };
    // A file chosen now, or the one kept in the form while a question was asked.
    // (base64: the bytes come back exactly, line endings included).
    let file = file.or_else(|| {
        let bytes = STANDARD.decode(fields.one("upload_data")).ok()?;
        (!bytes.is_empty()).then(|| (fields.one("upload_navn").to_owned(), String::new(), bytes))
    });
    let Some((file_name, declared, bytes)) = file else {
        errors.push(FieldError {
            field: "fil".into(),
            message: lang
                .pick("Vælg en fil at uploade.", "Choose a file to upload.")
                .to_owned(),
        });
        return refuse_with(errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let file_error = |message: String| FieldError {
        field: "fil".into(),
        message: format!("{file_name}: {message}"),
    };
    let confirmed_unsaved = fields.one("erstat_ugemte") == "1";
    let confirmed_product = fields.one("bekraeft_produkt") == "1";
    let pending = |product: String, model: String, unsaved: bool| PendingUpload {
        file_name: file_name.clone(),
        data: STANDARD.encode(&bytes),
        product,
        model,
        target_model: ops::current_model(&editing.product, editing.latest.as_ref())
            .unwrap_or_default(),
        unsaved,
        confirmed_unsaved,
        confirmed_product,
    };
    let ask = |pending: PendingUpload| async move {
        let extras = Extras {
            pending: Some(pending),
            ..Extras::default()
        };
        editing.render(draft, extras, StatusCode::CONFLICT).await
    };
    if editor_post && !confirmed_unsaved && editing.unsaved(draft) {
        return ask(pending(String::new(), String::new(), true)).await;
    }
    let upload = Upload {
        kind: upload_kind(&file_name, &declared),
        body: &bytes,
        based_on: Some(editing.latest.as_ref().map_or(0, |l| l.number)),
    };
    let choices = UploadChoices {
        confirm_product: confirmed_product,
        model: ModelChoice::parse(fields.one("model_valg")),
    };
    match ops::submit_upload(state.app(), auth.who(), product, upload, choices).await {
        Ok((row, carried)) => Ok(see_other(&format!(
            "/produkter/{}/selvevaluering?gemt={}{}",
            product.slug,
            row.number,
            if carried.is_some() {
                "&overfoert=1"
            } else {
                ""
            }
        ))),
        Err(e) if e.code() == "product_mismatch" => {
            ask(pending(
                lang.msg(&e.message()).to_owned(),
                String::new(),
                false,
            ))
            .await
        }
        Err(e) if e.code() == "model_mismatch" => {
            ask(pending(
                String::new(),
                lang.msg(&e.message()).to_owned(),
                false,
            ))
            .await
        }
        Err(AppError::Store(StoreError::Conflict { actual, .. })) => {
            errors.push(file_error(format!(
                "{} {actual} {}",
                lang.pick("nogen har gemt version", "someone saved version"),
                lang.pick(
                    "imens. Filen er ikke gemt; upload den igen for at lægge den oven på.",
                    "meanwhile. The file was not stored; upload it again to put it on top."
                )
            )));
            refuse_with(errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        // The upload limits name the limit and the use.
        Err(e @ AppError::Store(_)) if e.kind() == ErrorKind::TooLarge => {
            errors.push(file_error(lang.msg(&e.message()).to_owned()));
            refuse_with(errors, StatusCode::PAYLOAD_TOO_LARGE).await
        }
        Err(AppError::Store(other)) => Err(other.into()),
        // The file cannot be read: the importer's message names the line.
        Err(e) if e.kind() != ErrorKind::Internal => {
            errors.push(file_error(lang.msg(&e.message()).to_owned()));
            refuse_with(errors, StatusCode::UNPROCESSABLE_ENTITY).await
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
    let (draft, _) = editing.posted_draft(&post.fields)?;
    let draft = &draft;
    let refuse = |message: String, status: StatusCode| async move {
        editing.refuse(draft, message, status).await
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
        // From the editor's form: the page again, with what was typed still in it.
        Ok(_) if !post.fields.one("model").is_empty() => {
            let extras = Extras {
                notice: lang
                    .pick("Uploadkvoten er ændret.", "The upload quota was changed.")
                    .to_owned(),
                ..Extras::default()
            };
            editing.render(draft, extras, StatusCode::OK).await
        }
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
