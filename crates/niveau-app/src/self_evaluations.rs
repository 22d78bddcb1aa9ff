//! Self-evaluations: the products' own claims, as immutable versions, and the upload
//! quota their versions count against.
//!
//! Three kinds of upload are read, all with niveau-report's importer:
//!
//! | [`UploadKind`] (from the `Content-Type`) | body | stored `format` |
//! |---|---|---|
//! | `Markdown` (`text/markdown`, `text/x-markdown`, `text/plain`) | an OS2 Markdown report (checklists 2021–2025, governance report 1.1.0) | `markdown` |
//! | `Json` (`application/json` or `…+json`) | OS2's self-evaluation form (`{productName, …, krav: […]}`) | `formular` |
//! | `Json` | Niveau's JSON (`niveau.report/1`, or `niveau.import/1`) | `json` |
//!
//! The upload is kept as it came (`source_text`), the document as Niveau JSON
//! (`document`, schema `niveau.report/1`, with its findings), the importer's warnings with
//! their lines or JSON paths (`warnings`), and the level the answers indicate when the
//! proposal table's ratings are taken as given (`indicated_level`). An upload that cannot
//! be read is refused with a message in Danish and English that names the line (and
//! column) where that is known; nothing is stored then. The self-evaluation editor saves
//! through the same path, as Niveau JSON ([`submit_report`]).

use std::collections::HashMap;

use niveau_model::{Model, Msg, Registry};
use niveau_report::document::{DocumentKind, Report};
use niveau_report::import::{ImportError, ImportOptions, MAX_INPUT_BYTES, import_bytes};
use niveau_store::entity::{product, self_evaluation};
use niveau_store::evaluations::NewSelfEvaluation;
use niveau_store::types::SubmissionFormat;
use niveau_store::versions::{SelfEvaluationVersion, UploadQuotaInput, UploadVolume};
use niveau_store::{ListParams, Page};

use crate::App;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::permissions::{Action, require};
use crate::principal::Caller;
use crate::proposals::Candidate;

/// What an upload says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// An OS2 Markdown report.
    Markdown,
    /// OS2's form JSON or Niveau JSON.
    Json,
}

impl UploadKind {
    /// The kind a media type (`Content-Type`, parameters allowed) names, if any.
    pub fn from_media_type(content_type: &str) -> Option<UploadKind> {
        let media = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "text/markdown" | "text/x-markdown" | "text/plain" => Some(UploadKind::Markdown),
            "application/json" => Some(UploadKind::Json),
            m if m.starts_with("application/") && m.ends_with("+json") => Some(UploadKind::Json),
            _ => None,
        }
    }
}

/// An uploaded self-evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// What it says it is.
    pub kind: UploadKind,
    /// The bytes as uploaded.
    pub body: &'a [u8],
    /// The number of the newest self-evaluation the submitter saw (0: none); if a newer
    /// one was stored meanwhile, the submission is a conflict and nothing is stored.
    /// `None` skips the check.
    pub based_on: Option<i32>,
}

/// A refusal of the upload's body.
fn refuse(message: Msg) -> AppError {
    AppError::invalid("body", message)
}

/// The importer's error, naming the line in both languages.
fn import_error(err: ImportError) -> AppError {
    match err {
        ImportError::TooLarge { size, limit, .. } => AppError::coded(
            ErrorKind::TooLarge,
            "too_large",
            "body",
            Msg::new(
                format!("filen er {size} bytes; der læses højst {limit} bytes"),
                format!("the file is {size} bytes; at most {limit} bytes are read"),
            ),
        ),
        ImportError::NotUtf8 { line, column, .. } => refuse(Msg::new(
            format!(
                "filen er ikke UTF-8-tekst (første ugyldige byte i linje {line}, kolonne {column})"
            ),
            format!(
                "the file is not UTF-8 text (first invalid byte on line {line}, column {column})"
            ),
        )),
        ImportError::NoRequirementTable { .. } => refuse(Msg::new(
            "ingen kravtabel fundet (en tabel med krav-id'er som R1, F7, G10); dokumentet er ikke \
             en OS2-selvevaluering, eller det er skrevet som fri tekst",
            "no requirement table found (a table with requirement ids such as R1, F7, G10); the \
             document is not an OS2 self-evaluation, or it is written as free text",
        )),
        ImportError::Json {
            line,
            column,
            message,
            ..
        } => {
            // serde_json's message ends with "at line L column C"; the place is said once.
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            refuse(Msg::new(
                format!("ugyldig JSON i linje {line}, kolonne {column}: {message}"),
                format!("invalid JSON on line {line}, column {column}: {message}"),
            ))
        }
        ImportError::UnknownModel(e) => unknown_model(&e),
    }
}

/// An unknown model named by the document.
fn unknown_model(e: &niveau_model::UnknownModel) -> AppError {
    AppError::invalid(
        "model",
        Msg::new(
            format!(
                "ukendt model `{}`; kendte modeller: {}",
                e.id,
                e.known.join(", ")
            ),
            e.to_string(),
        ),
    )
}

/// Whether JSON text is OS2's form (no `schema`, but `krav`), as niveau-report decides.
fn is_form(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
        .ok()
        .is_some_and(|v| v.get("schema").is_none() && v.get("krav").is_some())
}

/// Imports an uploaded self-evaluation for `product_id` and prepares the row to store
/// (no permission check: [`submit`] checks, and the CLI's demo loading acts as the
/// console).
///
/// Refuses (naming the line where known) an upload that is not UTF-8, not valid JSON,
/// has no requirement table, or is an evaluation rather than a self-evaluation; an upload
/// above the importer's limit is too large (`too_large`).
pub fn prepare(
    registry: &Registry,
    product_id: i32,
    upload: Upload<'_>,
) -> AppResult<NewSelfEvaluation> {
    let Upload {
        kind,
        body,
        based_on,
    } = upload;
    if body.len() > MAX_INPUT_BYTES {
        return Err(import_error(ImportError::TooLarge {
            file: String::new(),
            size: body.len(),
            limit: MAX_INPUT_BYTES,
        }));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = String::from_utf8_lossy(body.get(..valid).unwrap_or_default());
        let (line, column) = niveau_model::error::LineIndex::new(&prefix).line_column(valid);
        import_error(ImportError::NotUtf8 {
            file: String::new(),
            line,
            column,
        })
    })?;
    let starts_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    match (kind, starts_json) {
        (UploadKind::Json, false) => {
            return Err(refuse(Msg::new(
                "ugyldig JSON i linje 1, kolonne 1: indholdet er ikke et JSON-objekt; send \
                 Markdown som text/markdown",
                "invalid JSON on line 1, column 1: the content is not a JSON object; send \
                 Markdown as text/markdown",
            )));
        }
        (UploadKind::Markdown, true) => {
            return Err(refuse(Msg::new(
                "indholdet er JSON, men Content-Type siger Markdown; send det som application/json",
                "the content is JSON, but the Content-Type says Markdown; send it as application/json",
            )));
        }
        _ => {}
    }
    let source = match kind {
        UploadKind::Markdown => "upload.md",
        UploadKind::Json => "upload.json",
    };
    let report: Report =
        import_bytes(body, source, registry, &ImportOptions::default()).map_err(import_error)?;
    if report.kind != DocumentKind::SelfEvaluation {
        return Err(refuse(Msg::new(
            "dokumentet er en evaluering, ikke en selvevaluering; evalueringer laves under \
             /evaluations",
            "the document is an evaluation, not a self-evaluation; evaluations are made under \
             /evaluations",
        )));
    }
    let Some(_) = report.self_evaluation.as_ref() else {
        return Err(refuse(Msg::new(
            "dokumentet har ingen svar",
            "the document has no answers",
        )));
    };
    let format = match kind {
        UploadKind::Markdown => SubmissionFormat::Markdown,
        UploadKind::Json if is_form(text) => SubmissionFormat::Formular,
        UploadKind::Json => SubmissionFormat::Json,
    };
    let model = registry
        .get(report.model.id.as_str())
        .map_err(|e| unknown_model(&e))?;
    let table = crate::proposals::default_table()?;
    let indicated_level = niveau_report::summary::assess(&report, model, table)
        .and_then(|a| a.indication.level)
        .map(|l| l.to_string());
    let document = niveau_report::export::json(&report)
        .map_err(AppError::internal)
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text).map_err(AppError::internal)
        })?;
    let warnings = serde_json::to_value(&report.warnings).map_err(AppError::internal)?;
    Ok(NewSelfEvaluation {
        product_id,
        model_id: report.model.id.to_string(),
        model_version: report.model.version.clone(),
        format,
        source_text: Some(text.to_owned()),
        document,
        warnings,
        indicated_level,
        based_on,
    })
}

/// Submits a self-evaluation of `product` (found with
/// [`crate::visibility::resolve_product`]) as a new version: for the product's editors and
/// the secretariat. Refuses an unreadable upload ([`prepare`]), a stale `based_on`
/// (conflict), and a version larger than a version may be or than the product's upload
/// quota leaves.
pub async fn submit(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    upload: Upload<'_>,
) -> AppResult<self_evaluation::Model> {
    let who = require(who, Action::SubmitSelfEvaluation(product.id))?;
    let input = prepare(app.registry(), product.id, upload)?;
    Ok(app
        .store()
        .create_self_evaluation(&who.actor(), input)
        .await?)
}

/// Submits a self-evaluation written in the editor: the report goes through the same
/// import path as an uploaded Niveau JSON document ([`submit`]).
pub async fn submit_report(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    report: &Report,
    based_on: Option<i32>,
) -> AppResult<self_evaluation::Model> {
    require(who, Action::SubmitSelfEvaluation(product.id))?;
    let body = niveau_report::export::json(report).map_err(AppError::internal)?;
    submit(
        app,
        who,
        product,
        Upload {
            kind: UploadKind::Json,
            body: body.as_bytes(),
            based_on,
        },
    )
    .await
}

/// What the latest scan and the portfolio registry propose for each requirement of
/// `model`, by requirement id, most confident first: the editor offers them as answers.
/// For those who may submit the product's self-evaluation.
pub async fn suggestions(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    model: &Model,
) -> AppResult<HashMap<String, Vec<Candidate>>> {
    require(who, Action::SubmitSelfEvaluation(product.id))?;
    let candidates = crate::evaluations::evidence_candidates(app, product.id, model).await?;
    let mut by_id: HashMap<String, Vec<Candidate>> = HashMap::new();
    for (id, c) in candidates {
        by_id.entry(id.to_string()).or_default().push(c);
    }
    for list in by_id.values_mut() {
        list.sort_by_key(|c| std::cmp::Reverse(c.confidence));
    }
    Ok(by_id)
}

/// The newest self-evaluation of `product`, for those who may submit one (the editor
/// starts from it).
pub async fn latest(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
) -> AppResult<Option<self_evaluation::Model>> {
    require(who, Action::SubmitSelfEvaluation(product.id))?;
    Ok(app.store().latest_self_evaluation(product.id).await?)
}

/// A product's self-evaluation versions, newest first, one page at a time: metadata only.
/// For logged-in readers.
pub async fn versions(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    params: &ListParams,
) -> AppResult<Page<SelfEvaluationVersion>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app
        .store()
        .self_evaluation_versions(product.id, params)
        .await?)
}

/// Version `number` of a product's self-evaluation, with the uploaded text, the document
/// and the warnings. For logged-in readers.
pub async fn version(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    number: i32,
) -> AppResult<self_evaluation::Model> {
    require(who, Action::ReadPortfolio)?;
    Ok(app
        .store()
        .self_evaluation_version(product.id, number)
        .await?)
}

/// One self-evaluation by id. For logged-in readers.
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<self_evaluation::Model> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().self_evaluation(id).await?)
}

/// What a product's self-evaluation versions take against its upload quota; for the
/// product's editors and the secretariat.
pub async fn upload_volume(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
) -> AppResult<UploadVolume> {
    require(who, Action::SubmitSelfEvaluation(product.id))?;
    Ok(app.store().upload_volume(product.id).await?)
}

/// Sets a product's upload quota (none: the server's default), based on the product's
/// version; for the secretariat, audited. Returns the volume under the new quota.
pub async fn set_upload_quota(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    input: UploadQuotaInput,
) -> AppResult<UploadVolume> {
    let who = require(who, Action::EditPortfolio)?;
    app.store()
        .set_upload_quota(
            &who.actor(),
            product.id,
            input.version,
            input.upload_quota_bytes,
        )
        .await?;
    Ok(app.store().upload_volume(product.id).await?)
}

#[cfg(test)]
mod tests {
    use niveau_store::StoreError;
    use niveau_store::types::Role;

    use super::*;
    use crate::work_fixtures::{app, product_with, secretariat, who};

    fn registry() -> Registry {
        Registry::builtin().unwrap()
    }

    fn fixture(path: &str) -> String {
        niveau_testkit::fixture(&format!("os2/{path}"))
    }

    fn upload(kind: UploadKind, body: &[u8]) -> Upload<'_> {
        Upload {
            kind,
            body,
            based_on: None,
        }
    }

    #[test]
    fn media_types_name_the_kind() {
        assert_eq!(
            UploadKind::from_media_type("text/markdown; charset=utf-8"),
            Some(UploadKind::Markdown)
        );
        assert_eq!(
            UploadKind::from_media_type("application/vnd.os2+json"),
            Some(UploadKind::Json)
        );
        assert_eq!(UploadKind::from_media_type("application/pdf"), None);
    }

    #[test]
    fn a_markdown_report_keeps_text_warnings_and_level() {
        let text = fixture("reports/selfeval-1.1.0-os2borgerpc-2026.md");
        let row = prepare(
            &registry(),
            7,
            Upload {
                kind: UploadKind::Markdown,
                body: text.as_bytes(),
                based_on: Some(2),
            },
        )
        .unwrap();
        assert_eq!(row.product_id, 7);
        assert_eq!(row.model_id, "os2-1.1.0");
        assert_eq!(row.model_version, "1.1.0");
        assert_eq!(row.format, SubmissionFormat::Markdown);
        assert_eq!(row.source_text.as_deref(), Some(text.as_str()));
        assert_eq!(row.based_on, Some(2));
        // Under OS2's evaluation principle a claim must be documented: R1 (a sandbox
        // requirement) answers Ja with "Idriftsat i ca. 7 kommuner", too thin a
        // description of the value, so the answers indicate no level yet.
        assert_eq!(row.indicated_level, None);
        assert_eq!(row.document["schema"], "niveau.report/1");
        assert_eq!(row.document["self_evaluation"]["product"], "OS2BorgerPC");
        // The one warning of this report: OS2's generator indents the G1 row (line 64).
        assert_eq!(
            row.warnings,
            serde_json::json!([{
                "line": 64,
                "code": "row-indented",
                "message": row.warnings[0]["message"].clone()
            }])
        );
    }

    #[test]
    fn form_json_and_niveau_json_are_told_apart() {
        let text = fixture("forms/selfeval-form-os2-test.json");
        let row = prepare(&registry(), 1, upload(UploadKind::Json, text.as_bytes())).unwrap();
        assert_eq!(row.format, SubmissionFormat::Formular);
        assert_eq!(row.document["generation"]["kind"], "self_evaluation_form");
        // The stored document uploads again, as Niveau JSON.
        let again = serde_json::to_vec(&row.document).unwrap();
        let row2 = prepare(&registry(), 1, upload(UploadKind::Json, &again)).unwrap();
        assert_eq!(row2.format, SubmissionFormat::Json);
        assert_eq!(row2.indicated_level, row.indicated_level);
        assert_eq!(
            row2.document["self_evaluation"],
            row.document["self_evaluation"]
        );
    }

    #[test]
    fn unreadable_uploads_name_the_line_in_both_languages() {
        let reg = registry();
        let text = fixture("forms/selfeval-form-os2-test.json");
        let cut = &text[..text.len() / 2];
        let err = prepare(&reg, 1, upload(UploadKind::Json, cut.as_bytes())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert_eq!(err.field(), Some("body"));
        let lines = cut.lines().count();
        let message = err.message();
        assert!(
            message
                .da
                .starts_with(&format!("ugyldig JSON i linje {lines}, kolonne")),
            "{} (lines {lines})",
            message.da
        );
        assert!(
            message
                .en
                .starts_with(&format!("invalid JSON on line {lines}, column")),
            "{}",
            message.en
        );

        let err = prepare(
            &reg,
            1,
            upload(UploadKind::Markdown, b"# Referat\n\nIngen tabel her.\n"),
        )
        .unwrap_err();
        assert!(err.message().da.starts_with("ingen kravtabel fundet"));
        assert!(err.message().en.starts_with("no requirement table found"));

        let err = prepare(&reg, 1, upload(UploadKind::Markdown, b"# A\n\n\xff\n")).unwrap_err();
        assert_eq!(
            err.message().da,
            "filen er ikke UTF-8-tekst (første ugyldige byte i linje 3, kolonne 1)"
        );
        assert_eq!(
            err.message().en,
            "the file is not UTF-8 text (first invalid byte on line 3, column 1)"
        );

        let err = prepare(&reg, 1, upload(UploadKind::Markdown, b"{\"a\": 1}")).unwrap_err();
        assert_eq!(
            err.message().en,
            "the content is JSON, but the Content-Type says Markdown; send it as application/json"
        );

        let evaluation = fixture("reports/evaluation-0.9.2-os2-test.md");
        let err =
            prepare(&reg, 1, upload(UploadKind::Markdown, evaluation.as_bytes())).unwrap_err();
        assert!(
            err.message().da.contains("ikke en selvevaluering"),
            "{}",
            err.message().da
        );
        assert!(err.message().en.contains("not a self-evaluation"));

        let big = vec![b'a'; MAX_INPUT_BYTES + 1];
        let err = prepare(&reg, 1, upload(UploadKind::Markdown, &big)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(err.code(), "too_large");
        assert_eq!(
            err.message().en,
            format!(
                "the file is {} bytes; at most {MAX_INPUT_BYTES} bytes are read",
                MAX_INPUT_BYTES + 1
            )
        );
    }

    #[tokio::test]
    async fn only_the_products_editors_and_the_secretariat_submit() {
        let app = app().await;
        let product = product_with(&app, &[]).await;
        let text = fixture("forms/selfeval-form-os2-test.json");
        let form = upload(UploadKind::Json, text.as_bytes());
        let other = who(&[Role::Produktredaktor], &[product.id + 1]);
        assert!(matches!(
            submit(&app, Some(&other), &product, form).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            submit(&app, None, &product, form).await,
            Err(AppError::Unauthenticated)
        ));
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        let first = submit(&app, Some(&editor), &product, form).await.unwrap();
        assert_eq!(first.number, 1);
        assert_eq!(first.submitted_by, "redaktør");
        // Based on "none seen" while version 1 exists: a conflict, nothing stored.
        let stale = Upload {
            based_on: Some(0),
            ..form
        };
        let err = submit(&app, Some(&editor), &product, stale)
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Store(StoreError::Conflict { .. })));
        let latest = latest(&app, Some(&editor), &product).await.unwrap();
        assert_eq!(latest.map(|l| l.number), Some(1));
    }

    #[tokio::test]
    async fn the_quota_is_the_secretariats_and_counts_the_versions() {
        let app = app().await;
        let product = product_with(&app, &[]).await;
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        let text = fixture("forms/selfeval-form-os2-test.json");
        submit(
            &app,
            Some(&editor),
            &product,
            upload(UploadKind::Json, text.as_bytes()),
        )
        .await
        .unwrap();
        let volume = upload_volume(&app, Some(&editor), &product).await.unwrap();
        assert_eq!(volume.versions, 1);
        assert!(volume.used_bytes > 0);
        assert_eq!(volume.quota_bytes, volume.default_quota_bytes);

        let input = |bytes| UploadQuotaInput {
            version: product.version,
            upload_quota_bytes: bytes,
        };
        assert!(matches!(
            set_upload_quota(&app, Some(&editor), &product, input(Some(1))).await,
            Err(AppError::Forbidden)
        ));
        let sek = secretariat();
        let set = set_upload_quota(&app, Some(&sek), &product, input(Some(volume.used_bytes)))
            .await
            .unwrap();
        assert_eq!(set.quota_bytes, volume.used_bytes);
        // The quota is full: the next version is refused as too large, in both languages.
        let err = submit(
            &app,
            Some(&editor),
            &product,
            upload(UploadKind::Json, text.as_bytes()),
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert!(
            err.message().da.starts_with("Produktets uploadkvote er"),
            "{}",
            err.message().da
        );
        assert!(
            err.message()
                .en
                .starts_with("The product's upload quota is")
        );
    }
}
