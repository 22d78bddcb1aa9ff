//! How ratings look on every page that shows them (the product page, the workbench):
//! the traffic light and its word, its CSS class, the count table per level, and an
//! evaluation as an OS2 report for the downloads.

use niveau_model::{Model, Rating, RatingEntry, Ratings};
use niveau_report::Lang;
use niveau_report::document::{DocumentKind, Report};
use niveau_store::entity::product;
use niveau_store::evaluations::EvaluationView;

use crate::error::ApiError;

/// One row of the count table.
pub struct CountRow {
    /// The level's name.
    pub level: String,
    /// 🟢
    pub green: u32,
    /// 🟡
    pub yellow: u32,
    /// 🔴
    pub red: u32,
    /// ⚪
    pub grey: u32,
    /// Requirements of the level without a rating.
    pub unrated: u32,
}

/// The count table (OS2's "antal pr. niveau") of `ratings` in `model`.
pub fn count_rows(model: &Model, tables: &niveau_model::counts::CountTables) -> Vec<CountRow> {
    tables
        .by_level
        .iter()
        .map(|(level, c)| CountRow {
            level: model
                .level(level.as_str())
                .map(|l| l.name.clone())
                .unwrap_or_else(|| level.to_string()),
            green: c.get(Rating::Green),
            yellow: c.get(Rating::Yellow),
            red: c.get(Rating::Red),
            grey: c.get(Rating::Grey),
            unrated: c.requirements().saturating_sub(c.rated()),
        })
        .collect()
}

/// The count tables and both charts (pies per level, bars per theme) of `ratings`.
pub fn counts_and_charts(
    model: &Model,
    ratings: &Ratings,
    lang: Lang,
) -> (Vec<CountRow>, String, String) {
    let tables = niveau_model::counts::count(model, ratings);
    (
        count_rows(model, &tables),
        niveau_report::svg::level_pies(model, &tables, lang),
        niveau_report::svg::theme_bars(model, &tables, lang),
    )
}

/// "🟢 Grøn", or "Ikke vurderet".
pub fn label(rating: Option<Rating>, lang: Lang) -> String {
    match rating {
        Some(x) => format!("{} {}", x.symbol(), lang.pick(x.label_da(), x.label_en())),
        None => lang.pick("Ikke vurderet", "Not rated").to_owned(),
    }
}

/// The CSS class of a rating cell.
pub fn class(rating: Option<Rating>) -> &'static str {
    match rating {
        Some(Rating::Green) => "rating-green",
        Some(Rating::Yellow) => "rating-yellow",
        Some(Rating::Red) => "rating-red",
        Some(Rating::Grey) => "rating-grey",
        None => "rating-none",
    }
}

/// The stored ratings of an evaluation version.
pub fn entries(view: &EvaluationView) -> Result<Vec<RatingEntry>, ApiError> {
    serde_json::from_value(view.current.ratings.clone()).map_err(|e| ApiError::internal(&e))
}

/// An evaluation as an OS2 evaluation report (for the Markdown, JSON and CSV downloads).
pub fn evaluation_report(
    product: &product::Model,
    view: &EvaluationView,
    model: &Model,
) -> Result<Report, ApiError> {
    let mut report = niveau_report::draft::blank(DocumentKind::Evaluation, model, &product.name);
    if let Some(evaluation) = report.evaluation.as_mut() {
        evaluation.ratings = entries(view)?;
        evaluation.date = view
            .head
            .published_at
            .or(view.head.finalised_at)
            .map(|d| d.date_naive());
        evaluation.status = match view.head.status {
            niveau_store::types::EvaluationStatus::Offentliggjort => {
                niveau_model::EvaluationStatus::Published
            }
            niveau_store::types::EvaluationStatus::Endelig => niveau_model::EvaluationStatus::Final,
            _ => niveau_model::EvaluationStatus::Draft,
        };
        evaluation.summary = view.current.summary.clone();
        evaluation.overall = view.current.overall.clone();
        evaluation.recommendation = view.current.recommendations.clone();
        evaluation.repository = product.repositories.0.first().cloned();
        // The evaluator: whoever finalised it (their name as shown), else for an
        // evaluation finalised before that was kept, who made its current version.
        evaluation.evaluated_by = view
            .head
            .evaluated_by
            .clone()
            .or_else(|| Some(view.current.created_by.clone()));
    }
    Ok(report)
}
