//! CSV of development wishes (udviklingsønsker), one row per wish, for spreadsheets and
//! for the secretariat's portfolio overview. Danish snake_case headers, dates as
//! `yyyy-mm-dd`, amounts as plain numbers in kroner (`12500`, `12500,50` with a decimal
//! comma only when there are øre), written through [`super::csv::writer`] and
//! [`super::csv::write_row`] (every field quoted, formulas neutralised).
//!
//! The file is also a backlog that [`crate::import::backlog::parse_backlog`] reads back:
//! `titel`, `status`, `prioritet`, `rejst_af`, `organisation`, `oprettet`,
//! `estimat_timer` and `estimat_kr` are columns of the import table, and the `'` that
//! neutralises a formula is removed again on import.

use chrono::NaiveDate;

use super::ExportError;
use super::csv::{write_row, writer};
use crate::amount::plain_kr;

/// The header row.
pub const HEADER: [&str; 16] = [
    "produkt",
    "id",
    "titel",
    "status",
    "prioritet",
    "rejst_af",
    "organisation",
    "oprettet",
    "status_siden",
    "alder_dage",
    "betaler",
    "estimat_timer",
    "estimat_kr",
    "maal_kr",
    "tilsagn_kr",
    "leveret",
];

/// One wish as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishCsvRow {
    /// The product's name.
    pub product: String,
    /// The wish's id.
    pub id: i32,
    /// The title.
    pub title: String,
    /// The state (`ny`, `i gang`, …).
    pub state: String,
    /// The priority (`lav`, `middel`, `høj`, `kritisk`).
    pub priority: String,
    /// The person who raised it.
    pub raised_by: String,
    /// The organisation that raised it.
    pub organisation: String,
    /// When it was raised.
    pub created: NaiveDate,
    /// Since when it has its state.
    pub state_since: NaiveDate,
    /// Its age in days.
    pub age_days: i64,
    /// Who pays (`opgavestiller`, `fællesskabet`, or empty when undecided).
    pub payer: String,
    /// The estimate in hours.
    pub estimate_hours: Option<i64>,
    /// The estimate in øre.
    pub estimate_ore: Option<i64>,
    /// The co-funding target in øre.
    pub target_ore: Option<i64>,
    /// The sum of pledges in øre.
    pub pledged_ore: i64,
    /// When it was delivered.
    pub delivered: Option<NaiveDate>,
}

fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The wishes as CSV, with [`HEADER`].
pub fn wishes_csv(rows: &[WishCsvRow]) -> Result<String, ExportError> {
    let mut w = writer();
    write_row(&mut w, HEADER)?;
    for r in rows {
        write_row(
            &mut w,
            [
                r.product.clone(),
                r.id.to_string(),
                r.title.clone(),
                r.state.clone(),
                r.priority.clone(),
                r.raised_by.clone(),
                r.organisation.clone(),
                date(r.created),
                date(r.state_since),
                r.age_days.to_string(),
                r.payer.clone(),
                r.estimate_hours.map(|h| h.to_string()).unwrap_or_default(),
                r.estimate_ore.map(plain_kr).unwrap_or_default(),
                r.target_ore.map(plain_kr).unwrap_or_default(),
                plain_kr(r.pledged_ore),
                r.delivered.map(date).unwrap_or_default(),
            ],
        )?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ExportError::Csv(::csv::Error::from(e.into_error())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
