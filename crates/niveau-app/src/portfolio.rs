//! The portfolio overview: every product the caller may see with stage, official level,
//! target level, number of municipalities and the date of its last published
//! evaluation; search, filters and sort orders (the portfolio page and its CSV).
//!
//! The theme-gap filter (`tema=<theme id>`) keeps the products whose newest published
//! evaluation rates at least one requirement of that theme yellow, red, or grey without
//! an explanation (niveau-model's `engine::gap`, in the model the evaluation was made
//! in); products without a published evaluation have no known gaps and are left out.

use std::collections::HashMap;

use niveau_model::{Gap, Model, Msg, RatingEntry, Registry};
use niveau_store::ListParams;
use niveau_store::portfolio::PortfolioRow;
use niveau_store::products::ProductFilter;
use niveau_store::types::Stage;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed};
use crate::principal::Caller;

/// The model whose themes the gap filter always offers: the current OS2 model.
pub const CURRENT_MODEL: &str = "os2-1.1.0";

/// The sort orders offered: (value, Danish, English).
pub const SORTS: &[(&str, &str, &str)] = &[
    ("name", "Navn", "Name"),
    ("stage", "Stadie", "Stage"),
    (
        "level",
        "Officielt niveau (højest først)",
        "Official level (highest first)",
    ),
    ("municipalities", "Flest kommuner", "Most municipalities"),
    ("evaluated", "Senest evalueret", "Most recently evaluated"),
];

/// The levels offered in the filter (`none`: not assessed).
pub const LEVELS: &[&str] = &["sandkasse", "1", "2", "3", "none"];

/// What the visitor asks for (the portfolio page's query); every value as written,
/// empty meaning "all".
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct PortfolioQuery {
    /// Free text in name or slug.
    pub q: Option<String>,
    /// A stage (Danish value).
    pub stage: Option<String>,
    /// One of [`LEVELS`].
    pub level: Option<String>,
    /// An organisation id.
    pub organisation: Option<String>,
    /// One of [`SORTS`] (default `name`).
    pub sort: Option<String>,
    /// A theme id (`formkrav`): only products with gaps in that theme.
    pub tema: Option<String>,
}

/// The filtered, sorted rows and what was wrong with the query.
#[derive(Debug)]
pub struct Selection {
    /// The products, in the order asked for.
    pub rows: Vec<PortfolioRow>,
    /// What in the query was not understood (and ignored).
    pub problems: Vec<Msg>,
    /// The themes the gap filter offers: (id, name).
    pub themes: Vec<(String, String)>,
    /// The chosen theme's name, when the gap filter is on.
    pub theme: Option<String>,
    /// Per product id, its gaps in the chosen theme: (requirement id, gap).
    pub gaps: HashMap<i32, Vec<(String, Gap)>>,
}

/// A query value, trimmed, if it is not empty (an empty select means "all").
fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// "Ukendt x: «v»" / "Unknown x: «v»".
fn unknown(da: &str, en: &str, value: &str) -> Msg {
    Msg::new(format!("{da} «{value}»"), format!("{en} «{value}»"))
}

/// The themes the gap filter offers: the current model's, then those of the models the
/// rows' published evaluations were made in, by theme id (models that share an id share
/// the theme), in that order.
fn theme_choices(registry: &Registry, rows: &[PortfolioRow]) -> Vec<(String, String)> {
    let mut models = vec![CURRENT_MODEL];
    for e in rows.iter().filter_map(|r| r.published.as_ref()) {
        if !models.contains(&e.model_id.as_str()) {
            models.push(&e.model_id);
        }
    }
    let mut themes: Vec<(String, String)> = Vec::new();
    for model in models.into_iter().filter_map(|id| registry.get(id).ok()) {
        for t in model.themes() {
            if !themes.iter().any(|(id, _)| id == t.id.as_str()) {
                themes.push((t.id.to_string(), t.name.clone()));
            }
        }
    }
    themes
}

/// The requirements of `theme` that `entries` rate not green: yellow, red, or grey
/// without an explanation, as the level engine judges them. A requirement not rated is
/// no gap here: nothing was said about it.
fn theme_gaps(model: &Model, entries: &[RatingEntry], theme: &str) -> Vec<(String, Gap)> {
    let ratings = niveau_model::evaluation::ratings_of(entries);
    model
        .requirements()
        .iter()
        .filter(|r| r.theme.as_str() == theme)
        .filter_map(|r| match niveau_model::engine::gap(r, &ratings) {
            None | Some(Gap::NotRated) => None,
            Some(gap) => Some((r.id.to_string(), gap)),
        })
        .collect()
}

/// Levels in order, unassessed lowest.
pub fn level_rank(level: Option<&str>) -> i32 {
    match level {
        None => -1,
        Some("sandkasse") | Some("0") => 0,
        Some(other) => other.parse().unwrap_or(0),
    }
}

/// The portfolio as the caller may see it (published products for the public), filtered
/// and sorted as `query` asks. A value that is not understood is left out of the
/// selection and named in [`Selection::problems`].
pub async fn select(app: &App, who: Caller<'_>, query: &PortfolioQuery) -> AppResult<Selection> {
    let mut problems = Vec::new();
    let mut filter = ProductFilter::default();
    if !allowed(who, Action::ReadPortfolio) {
        filter.published = Some(true);
    }
    if let Some(stage) = non_empty(&query.stage) {
        match Stage::parse(stage) {
            Some(s) => filter.stage = Some(s),
            None => problems.push(unknown("Ukendt stadie:", "Unknown stage:", stage)),
        }
    }
    if let Some(org) = non_empty(&query.organisation) {
        match org.parse::<i32>() {
            Ok(id) => filter.organisation_id = Some(id),
            Err(_) => problems.push(unknown(
                "Ukendt organisation:",
                "Unknown organisation:",
                org,
            )),
        }
    }
    let level = non_empty(&query.level);
    if let Some(level) = level
        && !LEVELS.contains(&level)
    {
        problems.push(unknown("Ukendt niveau:", "Unknown level:", level));
    }
    let params = ListParams {
        limit: Some(niveau_store::list::MAX_LIMIT),
        q: non_empty(&query.q).map(str::to_owned),
        ..Default::default()
    };
    let store = app.store();
    let today = store.now().date_naive();
    let mut rows = store.portfolio(&filter, &params, today).await?.items;
    if let Some(level) = level.filter(|l| LEVELS.contains(l)) {
        rows.retain(|r| match level {
            "none" => r.product.official_level.is_none(),
            wanted => r.product.official_level.as_deref() == Some(wanted),
        });
    }
    let themes = theme_choices(app.registry(), &rows);
    let mut theme = None;
    let mut gaps = HashMap::new();
    if let Some(wanted) = non_empty(&query.tema) {
        match themes.iter().find(|(id, _)| id == wanted) {
            None => problems.push(unknown("Ukendt tema:", "Unknown theme:", wanted)),
            Some((id, name)) => {
                theme = Some(name.clone());
                let mut stored = store.published_ratings(&rows).await?;
                for row in &rows {
                    let (Some(evaluation), Some(json)) =
                        (row.published.as_ref(), stored.remove(&row.product.id))
                    else {
                        continue;
                    };
                    let Ok(model) = app.registry().get(&evaluation.model_id) else {
                        tracing::warn!(model = %evaluation.model_id, "a published evaluation names an unknown model");
                        continue;
                    };
                    let entries: Vec<RatingEntry> =
                        serde_json::from_value(json).map_err(AppError::internal)?;
                    let found = theme_gaps(model, &entries, id);
                    if !found.is_empty() {
                        gaps.insert(row.product.id, found);
                    }
                }
                rows.retain(|r| gaps.contains_key(&r.product.id));
            }
        }
    }
    match non_empty(&query.sort).unwrap_or("name") {
        "stage" => rows.sort_by_key(|r| r.product.stage),
        "level" => {
            rows.sort_by_key(|r| std::cmp::Reverse(level_rank(r.product.official_level.as_deref())))
        }
        "municipalities" => rows.sort_by_key(|r| std::cmp::Reverse(r.municipalities)),
        "evaluated" => rows.sort_by_key(|r| std::cmp::Reverse(r.last_evaluation)),
        "name" => {}
        other => problems.push(unknown("Ukendt sortering:", "Unknown sort order:", other)),
    }
    Ok(Selection {
        rows,
        problems,
        themes,
        theme,
        gaps,
    })
}

#[cfg(test)]
mod tests {
    use niveau_store::types::Role;

    use super::*;
    use crate::products::testing::{app, product, who};

    #[tokio::test]
    async fn the_public_portfolio_holds_published_products_and_names_what_it_did_not_understand() {
        let app = app().await;
        product(&app, "b-offentlig", true).await;
        product(&app, "a-offentlig", true).await;
        product(&app, "skjult", false).await;
        let query = PortfolioQuery {
            level: Some("9".into()),
            sort: Some("alder".into()),
            stage: Some(" ".into()),
            ..Default::default()
        };
        let public = select(&app, None, &query).await.expect("public");
        let slugs: Vec<&str> = public
            .rows
            .iter()
            .map(|r| r.product.slug.as_str())
            .collect();
        assert_eq!(slugs, ["a-offentlig", "b-offentlig"]);
        let problems: Vec<&str> = public.problems.iter().map(|m| m.en.as_str()).collect();
        assert_eq!(
            problems,
            ["Unknown level: «9»", "Unknown sort order: «alder»"]
        );
        assert_eq!(public.problems[0].da, "Ukendt niveau: «9»");
        assert!(
            public.themes.iter().any(|(id, _)| id == "formkrav"),
            "the current model's themes are offered"
        );

        let reader = who(&[Role::Laeser], &[]);
        let all = select(
            &app,
            Some(&reader),
            &PortfolioQuery {
                level: Some("none".into()),
                ..Default::default()
            },
        )
        .await
        .expect("reader");
        assert_eq!(all.rows.len(), 3);
        assert!(all.problems.is_empty());
    }

    #[test]
    fn levels_rank_unassessed_lowest() {
        assert_eq!(level_rank(None), -1);
        assert_eq!(level_rank(Some("sandkasse")), 0);
        assert_eq!(level_rank(Some("3")), 3);
    }
}
