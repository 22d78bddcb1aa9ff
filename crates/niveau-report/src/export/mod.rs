//! Export: OS2's official Markdown (self-evaluation 1.1.0, evaluation 0.9.2), Niveau's
//! versioned JSON, CSV (one row per requirement; one row per development wish), an HTML
//! fragment, and SVG charts.

pub mod csv;
pub mod evaluation_md;
pub mod html;
pub mod selfeval_md;
pub mod wishes_csv;

use chrono::NaiveDate;
use niveau_model::{LevelId, Model, ThemeId};
use serde::Serialize;

use crate::document::{DocumentKind, REPORT_SCHEMA, Report};

/// Why a document cannot be written in a format.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The document has no self-evaluation (for a self-evaluation format) or no
    /// evaluation (for an evaluation format).
    #[error("the document has no {0}; choose the other kind")]
    Missing(&'static str),
    /// The document's model is not the one given.
    #[error("the document is made against model {document}, not {given}")]
    WrongModel {
        /// The document's model.
        document: String,
        /// The model given.
        given: String,
    },
    /// JSON serialisation failed.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// CSV writing failed.
    #[error("CSV: {0}")]
    Csv(#[from] ::csv::Error),
}

impl ExportError {
    /// The error in both languages; the English text is the `Display` text.
    pub fn msg(&self) -> niveau_model::Msg {
        let da = match self {
            ExportError::Missing(what) => {
                let what = match *what {
                    "self-evaluation" => "selvevaluering",
                    "evaluation" => "evaluering",
                    other => other,
                };
                format!("dokumentet har ingen {what}; vælg den anden slags")
            }
            ExportError::WrongModel { document, given } => {
                format!("dokumentet er lavet efter model {document}, ikke {given}")
            }
            ExportError::Json(_) => "JSON kunne ikke skrives".to_owned(),
            ExportError::Csv(_) => "CSV kunne ikke skrives".to_owned(),
        };
        niveau_model::Msg::new(da, self.to_string())
    }
}

fn check_model(report: &Report, model: &Model) -> Result<(), ExportError> {
    if report.model.id != *model.id() {
        return Err(ExportError::WrongModel {
            document: report.model.id.to_string(),
            given: model.id().to_string(),
        });
    }
    Ok(())
}

/// The document in OS2's official Markdown for its kind: the self-evaluation as
/// governance report 1.1.0, the evaluation as evaluation report 0.9.2.
pub fn official_markdown(report: &Report, model: &Model) -> Result<String, ExportError> {
    check_model(report, model)?;
    match report.kind {
        DocumentKind::SelfEvaluation => {
            let se = report
                .self_evaluation
                .as_ref()
                .ok_or(ExportError::Missing("self-evaluation"))?;
            Ok(selfeval_md::render(report, se, model))
        }
        DocumentKind::Evaluation => {
            let ev = report
                .evaluation
                .as_ref()
                .ok_or(ExportError::Missing("evaluation"))?;
            Ok(evaluation_md::render(report, ev, model))
        }
    }
}

#[derive(Serialize)]
struct Versioned<'a> {
    schema: &'static str,
    #[serde(flatten)]
    report: &'a Report,
}

/// The document as Niveau's JSON (schema `niveau.report/1`, docs/reports.md).
pub fn json(report: &Report) -> Result<String, ExportError> {
    Ok(serde_json::to_string_pretty(&Versioned {
        schema: REPORT_SCHEMA,
        report,
    })?)
}

/// Text for one Markdown table cell (see [`crate::markdown::cell`]).
pub fn md_cell(text: &str) -> String {
    crate::markdown::cell(text)
}

/// The date as the document wrote it if that still says the same date, else
/// `dd-mm-yyyy`; OS2's placeholder `[dd-mm-yyyy]` if there is no date.
pub fn date_text(date: Option<NaiveDate>, original: Option<&str>) -> String {
    match (date, original) {
        (Some(d), Some(o)) if crate::import::meta::parse_date(o) == Ok(Some(d)) => {
            o.trim().to_owned()
        }
        (Some(d), _) => d.format("%d-%m-%Y").to_string(),
        (None, _) => "[dd-mm-yyyy]".to_owned(),
    }
}

/// A level as OS2's evaluation tables write it: the number for numbered levels, the
/// name otherwise (`Sandkasse`).
pub fn level_label(model: &Model, level: &LevelId) -> String {
    if level.as_str().chars().all(|c| c.is_ascii_digit()) {
        level.to_string()
    } else {
        model
            .level(level.as_str())
            .map(|l| l.name.clone())
            .unwrap_or_else(|| level.to_string())
    }
}

/// ", minus F8 og F9 som er sammenlagt med F7" for the retired ids of a theme.
pub fn retired_note(model: &Model, theme: &ThemeId) -> String {
    let mut by_target: Vec<(String, Vec<String>)> = Vec::new();
    for r in model.retired() {
        let Some(target) = &r.merged_into else {
            continue;
        };
        let Some(req) = model.requirement(target.as_str()) else {
            continue;
        };
        if &req.theme != theme {
            continue;
        }
        match by_target.iter_mut().find(|(t, _)| t == target.as_str()) {
            Some((_, ids)) => ids.push(r.id.to_string()),
            None => by_target.push((target.to_string(), vec![r.id.to_string()])),
        }
    }
    by_target
        .into_iter()
        .map(|(target, ids)| {
            let list = match ids.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} og {last}", rest.join(", ")),
                _ => ids.join(""),
            };
            format!(", minus {list} som er sammenlagt med {target}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use niveau_model::Registry;

    #[test]
    fn dates_keep_their_written_form() {
        let d = NaiveDate::from_ymd_opt(2026, 6, 24);
        assert_eq!(date_text(d, Some("2026-06-24")), "2026-06-24");
        assert_eq!(date_text(d, Some("01-01-2020")), "24-06-2026");
        assert_eq!(date_text(d, None), "24-06-2026");
        assert_eq!(date_text(None, None), "[dd-mm-yyyy]");
    }

    #[test]
    fn retired_ids_are_named_with_their_theme() {
        let reg = Registry::builtin().unwrap();
        let m = reg.get("os2-1.1.0").unwrap();
        assert_eq!(
            retired_note(m, &"formkrav".into()),
            ", minus F8 og F9 som er sammenlagt med F7"
        );
        assert_eq!(retired_note(m, &"relevans".into()), "");
    }
}
