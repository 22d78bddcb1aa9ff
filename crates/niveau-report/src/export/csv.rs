//! CSV: one row per requirement of the model, with the answer, the rating and every
//! text, for spreadsheets. UTF-8, comma-separated, every field quoted, Danish headers.
//!
//! Every CSV that Niveau writes (this export, the web application's `/produkter.csv`)
//! goes through [`writer`] and [`write_row`], which neutralise formulas as OWASP's
//! "CSV Injection" guidance describes: a cell that begins with `=`, `+`, `-`, `@`, a tab,
//! a carriage return or a line feed gets a leading `'` ([`cell`]), so that Excel,
//! LibreOffice and Google Sheets show it as text instead of evaluating it, and every
//! field is quoted, so that a spreadsheet that splits on `;` (Danish Excel) cannot cut
//! a cell in two and start a new one with `=`. The rest of the cell is kept as written.
//! Numbers (`-3`, `+4,5`) are left as they are, so numeric columns stay numbers; only
//! text that begins with one of those characters changes. A person reading the file
//! sees the `'`; the one CSV that Niveau reads back, a backlog of development wishes
//! ([`crate::import::backlog`]), removes a `'` that stands before one of those
//! characters again.

use std::borrow::Cow;

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

/// The characters that make a spreadsheet read a cell as a formula when they begin it.
pub const FORMULA_START: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// Whether the text is a plain number (`12`, `-3`, `+4.5`, `-4,5`), which a spreadsheet
/// reads as the number and nothing else.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = match digits.split_once(['.', ',']) {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()))
}

/// One cell made safe for a spreadsheet: text that begins with one of
/// [`FORMULA_START`] gets a leading `'`; numbers and all other text are returned as they
/// are.
pub fn cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_START) && !is_number(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A CSV writer as every CSV of Niveau uses it: comma-separated, every field quoted.
pub fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new()
        .quote_style(::csv::QuoteStyle::Always)
        .from_writer(Vec::new())
}

/// Writes one row, every cell through [`cell`].
pub fn write_row<I, T>(w: &mut ::csv::Writer<Vec<u8>>, row: I) -> Result<(), ::csv::Error>
where
    I: IntoIterator<Item = T>,
    T: AsRef<str>,
{
    w.write_record(row.into_iter().map(|c| cell(c.as_ref()).into_owned()))
}

/// Writes the document as CSV.
pub fn render(report: &Report, model: &Model) -> Result<String, ExportError> {
    let mut w = writer();
    write_row(&mut w, HEADER)?;
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
        write_row(
            &mut w,
            [
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
            ],
        )?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(::csv::Error::from(e.into_error())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_get_a_quote_and_numbers_stay_numbers() {
        for (given, written) in [
            (
                "=HYPERLINK(\"http://x\";\"klik\")",
                "'=HYPERLINK(\"http://x\";\"klik\")",
            ),
            ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-3", "-3"),
            ("+4,5", "+4,5"),
            ("12", "12"),
            ("OS2mo", "OS2mo"),
            ("MPL-2.0", "MPL-2.0"),
            ("", ""),
        ] {
            assert_eq!(cell(given), written, "{given:?}");
        }
        let mut w = writer();
        write_row(&mut w, ["a", "=1+1", "a;=1+1", "-1"]).unwrap();
        let bytes = w.into_inner().unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "\"a\",\"'=1+1\",\"a;=1+1\",\"-1\"\n"
        );
    }
}
