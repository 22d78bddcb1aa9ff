//! Turning an uploaded self-evaluation into a row to store.
//!
//! Three kinds of upload are read, all with niveau-report's importer:
//!
//! | `Content-Type` | body | stored `format` |
//! |---|---|---|
//! | `text/markdown` (also `text/x-markdown`, `text/plain`) | an OS2 Markdown report (checklists 2021–2025, governance report 1.1.0) | `markdown` |
//! | `application/json` (or `…+json`) | OS2's self-evaluation form (`{productName, …, krav: […]}`) | `formular` |
//! | `application/json` | Niveau's JSON (`niveau.report/1`, or `niveau.import/1`) | `json` |
//!
//! The upload is kept as it came (`source_text`), the document as Niveau JSON
//! (`document`, schema `niveau.report/1`, with its findings), the importer's warnings with
//! their lines or JSON paths (`warnings`), and the level the answers indicate when the
//! proposal table's ratings are taken as given (`indicated_level`). An upload that cannot
//! be read is refused with a message that names the line (and column) where that is
//! known; nothing is stored then.

use axum::http::StatusCode;
use niveau_model::Registry;
use niveau_report::document::{DocumentKind, Report};
use niveau_report::import::{ImportError, ImportOptions, MAX_INPUT_BYTES, import_bytes};
use niveau_store::evaluations::NewSelfEvaluation;
use niveau_store::types::SubmissionFormat;

use crate::error::ApiError;

/// What the `Content-Type` of an upload says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Declared {
    Markdown,
    Json,
}

fn declared(content_type: &str) -> Option<Declared> {
    let media = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media.as_str() {
        "text/markdown" | "text/x-markdown" | "text/plain" => Some(Declared::Markdown),
        "application/json" => Some(Declared::Json),
        m if m.starts_with("application/") && m.ends_with("+json") => Some(Declared::Json),
        _ => None,
    }
}

fn refuse(message: impl Into<String>) -> ApiError {
    ApiError::invalid_da("body", message)
}

/// The importer's error as a 422 (413 for size) with a Danish message naming the line.
fn import_error(err: ImportError) -> ApiError {
    match err {
        ImportError::TooLarge { size, limit, .. } => ApiError::danish(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("filen er {size} bytes; der læses højst {limit} bytes"),
        )
        .field("body"),
        ImportError::NotUtf8 { line, column, .. } => refuse(format!(
            "filen er ikke UTF-8-tekst (første ugyldige byte i linje {line}, kolonne {column})"
        )),
        ImportError::NoRequirementTable { .. } => refuse(
            "ingen kravtabel fundet (en tabel med krav-id'er som R1, F7, G10); dokumentet er ikke \
             en OS2-selvevaluering, eller det er skrevet som fri tekst",
        ),
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
            refuse(format!(
                "ugyldig JSON i linje {line}, kolonne {column}: {message}"
            ))
        }
        ImportError::UnknownModel(e) => ApiError::invalid_da("model", e.to_string()),
    }
}

/// Whether JSON text is OS2's form (no `schema`, but `krav`), as niveau-report decides.
fn is_form(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
        .ok()
        .is_some_and(|v| v.get("schema").is_none() && v.get("krav").is_some())
}

/// Imports an uploaded self-evaluation for `product_id` and prepares the row to store.
///
/// `content_type` is the request's `Content-Type`; `based_on` the number of the latest
/// self-evaluation the submitter saw (the store answers a stale one with a conflict).
/// Refuses (422, naming the line where known) an upload that is not UTF-8, not valid
/// JSON, has no requirement table, or is an evaluation rather than a self-evaluation;
/// 415 for a content type that is none of Markdown and JSON; 413 above the importer's
/// limit.
pub fn prepare_self_evaluation(
    registry: &Registry,
    product_id: i32,
    content_type: &str,
    body: &[u8],
    based_on: Option<i32>,
) -> Result<NewSelfEvaluation, ApiError> {
    let Some(declared) = declared(content_type) else {
        return Err(ApiError::danish(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "invalid",
            "send en selvevaluering som text/markdown (OS2's Markdown) eller application/json \
             (OS2's formular eller Niveaus JSON)",
        )
        .field("content-type"));
    };
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
    match (declared, starts_json) {
        (Declared::Json, false) => {
            return Err(refuse(
                "ugyldig JSON i linje 1, kolonne 1: indholdet er ikke et JSON-objekt; send \
                 Markdown som text/markdown",
            ));
        }
        (Declared::Markdown, true) => {
            return Err(refuse(
                "indholdet er JSON, men Content-Type siger Markdown; send det som application/json",
            ));
        }
        _ => {}
    }
    let source = match declared {
        Declared::Markdown => "upload.md",
        Declared::Json => "upload.json",
    };
    let report: Report =
        import_bytes(body, source, registry, &ImportOptions::default()).map_err(import_error)?;
    if report.kind != DocumentKind::SelfEvaluation {
        return Err(refuse(
            "dokumentet er en evaluering, ikke en selvevaluering; evalueringer laves under \
             /evaluations",
        ));
    }
    let Some(_) = report.self_evaluation.as_ref() else {
        return Err(refuse("dokumentet har ingen svar"));
    };
    let format = match declared {
        Declared::Markdown => SubmissionFormat::Markdown,
        Declared::Json if is_form(text) => SubmissionFormat::Formular,
        Declared::Json => SubmissionFormat::Json,
    };
    let model = registry
        .get(report.model.id.as_str())
        .map_err(|e| ApiError::invalid_da("model", e.to_string()))?;
    let table = niveau_app::proposals::default_table()?;
    let indicated_level = niveau_report::summary::assess(&report, model, table)
        .and_then(|a| a.indication.level)
        .map(|l| l.to_string());
    let document = niveau_report::export::json(&report)
        .map_err(|e| ApiError::internal(&e))
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text).map_err(|e| ApiError::internal(&e))
        })?;
    let warnings = serde_json::to_value(&report.warnings).map_err(|e| ApiError::internal(&e))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::builtin().unwrap()
    }

    fn fixture(path: &str) -> String {
        niveau_testkit::fixture(&format!("os2/{path}"))
    }

    #[test]
    fn a_markdown_report_keeps_text_warnings_and_level() {
        let text = fixture("reports/selfeval-1.1.0-os2borgerpc-2026.md");
        let row = prepare_self_evaluation(
            &registry(),
            7,
            "text/markdown; charset=utf-8",
            text.as_bytes(),
            Some(2),
        )
        .unwrap();
        assert_eq!(row.product_id, 7);
        assert_eq!(row.model_id, "os2-1.1.0");
        assert_eq!(row.model_version, "1.1.0");
        assert_eq!(row.format, SubmissionFormat::Markdown);
        assert_eq!(row.source_text.as_deref(), Some(text.as_str()));
        assert_eq!(row.based_on, Some(2));
        assert_eq!(row.indicated_level.as_deref(), Some("sandkasse"));
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
        let row =
            prepare_self_evaluation(&registry(), 1, "application/json", text.as_bytes(), None)
                .unwrap();
        assert_eq!(row.format, SubmissionFormat::Formular);
        assert_eq!(row.document["generation"]["kind"], "self_evaluation_form");
        // The stored document uploads again, as Niveau JSON.
        let again = serde_json::to_vec(&row.document).unwrap();
        let row2 =
            prepare_self_evaluation(&registry(), 1, "application/json", &again, None).unwrap();
        assert_eq!(row2.format, SubmissionFormat::Json);
        assert_eq!(row2.indicated_level, row.indicated_level);
        assert_eq!(
            row2.document["self_evaluation"],
            row.document["self_evaluation"]
        );
    }

    #[test]
    fn unreadable_uploads_name_the_line() {
        let reg = registry();
        let text = fixture("forms/selfeval-form-os2-test.json");
        let cut = &text[..text.len() / 2];
        let err =
            prepare_self_evaluation(&reg, 1, "application/json", cut.as_bytes(), None).unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        let lines = cut.lines().count();
        assert!(
            err.detail
                .message
                .starts_with(&format!("ugyldig JSON i linje {lines}, kolonne")),
            "{} (lines {lines})",
            err.detail.message
        );
        assert_eq!(err.detail.field.as_deref(), Some("body"));

        let err = prepare_self_evaluation(
            &reg,
            1,
            "text/markdown",
            b"# Referat\n\nIngen tabel her.\n",
            None,
        )
        .unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err.detail.message.starts_with("ingen kravtabel fundet"));

        let err =
            prepare_self_evaluation(&reg, 1, "text/markdown", b"# A\n\n\xff\n", None).unwrap_err();
        assert_eq!(
            err.detail.message,
            "filen er ikke UTF-8-tekst (første ugyldige byte i linje 3, kolonne 1)"
        );

        let err = prepare_self_evaluation(&reg, 1, "application/pdf", b"%PDF", None).unwrap_err();
        assert_eq!(err.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

        let evaluation = fixture("reports/evaluation-0.9.2-os2-test.md");
        let err = prepare_self_evaluation(&reg, 1, "text/markdown", evaluation.as_bytes(), None)
            .unwrap_err();
        assert!(
            err.detail.message.contains("ikke en selvevaluering"),
            "{}",
            err.detail.message
        );
    }
}
