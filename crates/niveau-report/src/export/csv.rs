//! CSV: one row per requirement of the model, with the answer, the rating and every
//! text, for spreadsheets. UTF-8, comma-separated, RFC 4180 quoting, Danish headers.

use niveau_model::{AnswerValue, Model, Obligation};

use super::ExportError;
use crate::document::Report;

/// The header row.
pub const HEADER: [&str; 13] = [
    "krav_id",
    "tema",
    "niveau",
    "krav",
    "skal_bør",
    "svar",
    "svar_original",
    "dokumentation",
    "vurdering",
    "vurdering_original",
    "vurderingsgrundlag",
    "anbefaling",
    "kilde_linje",
];

/// Writes the document as CSV.
pub fn render(report: &Report, model: &Model) -> Result<String, ExportError> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    for r in model.requirements() {
        let answer = report
            .self_evaluation
            .as_ref()
            .and_then(|s| s.answer(r.id.as_str()));
        let rating = report
            .evaluation
            .as_ref()
            .and_then(|e| e.ratings.iter().find(|x| x.requirement == r.id));
        let line = report
            .rows
            .iter()
            .find(|row| row.requirement.as_ref() == Some(&r.id))
            .map(|row| row.line.to_string())
            .unwrap_or_default();
        let theme = model
            .theme(r.theme.as_str())
            .map(|t| t.name.as_str())
            .unwrap_or(r.theme.as_str());
        let level = model
            .level(r.level.as_str())
            .map(|l| l.name.as_str())
            .unwrap_or(r.level.as_str());
        let answer_value = answer
            .map(|a| match &a.value {
                AnswerValue::Unanswered => String::new(),
                v => v.label_da().to_owned(),
            })
            .unwrap_or_default();
        w.write_record([
            r.id.as_str(),
            theme,
            level,
            r.text.as_str(),
            match r.obligation {
                Obligation::Must => "skal",
                Obligation::Should => "bør",
            },
            answer_value.as_str(),
            answer
                .and_then(|a| a.original.as_deref())
                .unwrap_or_default(),
            answer
                .and_then(|a| a.documentation.as_deref())
                .unwrap_or_default(),
            rating
                .and_then(|x| x.rating)
                .map(|x| x.label_da())
                .unwrap_or_default(),
            rating
                .and_then(|x| x.original.as_deref())
                .unwrap_or_default(),
            rating.and_then(|x| x.basis.as_deref()).unwrap_or_default(),
            rating
                .and_then(|x| x.recommendation.as_deref())
                .unwrap_or_default(),
            line.as_str(),
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(::csv::Error::from(e.into_error())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
