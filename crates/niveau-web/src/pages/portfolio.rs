//! The portfolio (`/`): every product with stage, official level, target level, number of
//! municipalities and the date of its last published evaluation; search, filters, sort,
//! and the same list as CSV (`/produkter.csv`).
//!
//! The theme-gap filter (`tema=<theme id>`) keeps the products whose newest published
//! evaluation rates at least one requirement of that theme yellow, red, or grey without
//! an explanation (niveau-model's `engine::gap`, in the model the evaluation was made
//! in); products without a published evaluation have no known gaps and are left out.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use niveau_model::{Gap, Model, RatingEntry, Registry};
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::portfolio::PortfolioRow;
use niveau_store::products::ProductFilter;
use niveau_store::types::Stage;
use serde::Deserialize;

use super::lang::PageLang;
use super::{Choice, Layout, labels, non_empty, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The query of the portfolio page and its CSV.
#[derive(Debug, Default, Deserialize)]
pub struct PortfolioQuery {
    /// Free text in name or slug.
    #[serde(default)]
    q: Option<String>,
    /// A stage (Danish value), or empty for all.
    #[serde(default)]
    stage: Option<String>,
    /// `sandkasse`, `1`, `2`, `3`, `none` (not assessed), or empty.
    #[serde(default)]
    level: Option<String>,
    /// An organisation id, or empty.
    #[serde(default)]
    organisation: Option<String>,
    /// `name`, `stage`, `level`, `municipalities`, `evaluated`.
    #[serde(default)]
    sort: Option<String>,
    /// A theme id (`formkrav`): only products with gaps in that theme, or empty.
    #[serde(default)]
    tema: Option<String>,
}

/// The model whose themes the gap filter always offers: the current OS2 model.
const CURRENT_MODEL: &str = "os2-1.1.0";

/// The sort orders offered.
const SORTS: &[(&str, &str, &str)] = &[
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

/// The levels offered in the filter.
const LEVELS: &[&str] = &["sandkasse", "1", "2", "3", "none"];

/// One row as the template shows it.
pub struct Row {
    slug: String,
    name: String,
    short_description: String,
    stage: &'static str,
    level: String,
    level_class: &'static str,
    target: String,
    municipalities: usize,
    evaluated: String,
    gaps: String,
}

#[derive(Template)]
#[template(path = "portfolio.html")]
struct PortfolioPage {
    layout: Layout,
    rows: Vec<Row>,
    q: String,
    stages: Vec<Choice>,
    levels: Vec<Choice>,
    organisations: Vec<Choice>,
    sorts: Vec<Choice>,
    themes: Vec<Choice>,
    theme_name: String,
    csv_href: String,
    problems: Vec<String>,
    filtered: bool,
}

/// The filtered, sorted rows and what was wrong with the query.
struct Selection {
    rows: Vec<PortfolioRow>,
    problems: Vec<String>,
    /// The themes the gap filter offers: (id, name).
    themes: Vec<(String, String)>,
    /// The chosen theme's name, when the gap filter is on.
    theme: Option<String>,
    /// Per product id, its gaps in the chosen theme, for people.
    gaps: HashMap<i32, String>,
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

/// "R2 (gul), G4 (rød)".
fn describe_gaps(gaps: &[(String, Gap)], lang: Lang) -> String {
    gaps.iter()
        .map(|(id, gap)| {
            let (da, en) = match gap {
                Gap::Yellow => ("gul", "yellow"),
                Gap::Red => ("rød", "red"),
                Gap::GreyWithoutExplanation => ("grå uden forklaring", "grey without explanation"),
                Gap::NotRated => ("ikke vurderet", "not rated"),
            };
            format!("{id} ({})", lang.pick(da, en))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

async fn select(
    state: &AppState,
    auth: &Auth,
    query: &PortfolioQuery,
    lang: Lang,
) -> Result<Selection, ApiError> {
    let mut problems = Vec::new();
    let mut filter = ProductFilter::default();
    if !auth.can(Action::ReadPortfolio) {
        filter.published = Some(true);
    }
    if let Some(stage) = non_empty(&query.stage) {
        match Stage::parse(stage) {
            Some(s) => filter.stage = Some(s),
            None => problems.push(format!(
                "{} «{stage}»",
                lang.pick("Ukendt stadie:", "Unknown stage:")
            )),
        }
    }
    if let Some(org) = non_empty(&query.organisation) {
        match org.parse::<i32>() {
            Ok(id) => filter.organisation_id = Some(id),
            Err(_) => problems.push(format!(
                "{} «{org}»",
                lang.pick("Ukendt organisation:", "Unknown organisation:")
            )),
        }
    }
    let level = non_empty(&query.level);
    if let Some(level) = level
        && !LEVELS.contains(&level)
    {
        problems.push(format!(
            "{} «{level}»",
            lang.pick("Ukendt niveau:", "Unknown level:")
        ));
    }
    let params = ListParams {
        limit: Some(niveau_store::list::MAX_LIMIT),
        q: non_empty(&query.q).map(str::to_owned),
        ..Default::default()
    };
    let today = state.store().now().date_naive();
    let mut rows = state
        .store()
        .portfolio(&filter, &params, today)
        .await?
        .items;
    if let Some(level) = level.filter(|l| LEVELS.contains(l)) {
        rows.retain(|r| match level {
            "none" => r.product.official_level.is_none(),
            wanted => r.product.official_level.as_deref() == Some(wanted),
        });
    }
    let themes = theme_choices(state.registry(), &rows);
    let mut theme = None;
    let mut gaps = HashMap::new();
    if let Some(wanted) = non_empty(&query.tema) {
        match themes.iter().find(|(id, _)| id == wanted) {
            None => problems.push(format!(
                "{} «{wanted}»",
                lang.pick("Ukendt tema:", "Unknown theme:")
            )),
            Some((id, name)) => {
                theme = Some(name.clone());
                let mut stored = state.store().published_ratings(&rows).await?;
                for row in &rows {
                    let (Some(evaluation), Some(json)) =
                        (row.published.as_ref(), stored.remove(&row.product.id))
                    else {
                        continue;
                    };
                    let Ok(model) = state.registry().get(&evaluation.model_id) else {
                        tracing::warn!(model = %evaluation.model_id, "a published evaluation names an unknown model");
                        continue;
                    };
                    let entries: Vec<RatingEntry> =
                        serde_json::from_value(json).map_err(|e| ApiError::internal(&e))?;
                    let found = theme_gaps(model, &entries, id);
                    if !found.is_empty() {
                        gaps.insert(row.product.id, describe_gaps(&found, lang));
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
        other => problems.push(format!(
            "{} «{other}»",
            lang.pick("Ukendt sortering:", "Unknown sort order:")
        )),
    }
    Ok(Selection {
        rows,
        problems,
        themes,
        theme,
        gaps,
    })
}

/// Levels in order, unassessed lowest.
fn level_rank(level: Option<&str>) -> i32 {
    match level {
        None => -1,
        Some("sandkasse") | Some("0") => 0,
        Some(other) => other.parse().unwrap_or(0),
    }
}

fn date(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `GET /`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let mut selection = select(&state, &auth, &query, lang).await?;
    let rows = selection
        .rows
        .into_iter()
        .map(|r| Row {
            gaps: selection.gaps.remove(&r.product.id).unwrap_or_default(),
            level: labels::level(r.product.official_level.as_deref(), lang),
            level_class: labels::level_class(r.product.official_level.as_deref()),
            target: r
                .product
                .target_level
                .as_deref()
                .map(|t| labels::level(Some(t), lang))
                .unwrap_or_default(),
            stage: labels::stage(r.product.stage, lang),
            municipalities: r.municipalities,
            evaluated: date(r.last_evaluation),
            slug: r.product.slug,
            name: r.product.name,
            short_description: r.product.short_description,
        })
        .collect();
    let chosen = |value: &Option<String>, option: &str| non_empty(value) == Some(option);
    let mut stages = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle stadier", "All stages").into(),
        selected: non_empty(&query.stage).is_none(),
    }];
    stages.extend(Stage::ALL.iter().map(|s| Choice {
        value: s.as_str().into(),
        label: labels::stage(*s, lang).into(),
        selected: chosen(&query.stage, s.as_str()),
    }));
    let mut levels = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle niveauer", "All levels").into(),
        selected: non_empty(&query.level).is_none(),
    }];
    levels.extend(LEVELS.iter().map(|l| Choice {
        value: (*l).into(),
        label: labels::level((*l != "none").then_some(*l), lang),
        selected: chosen(&query.level, l),
    }));
    let mut organisations = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle organisationer", "All organisations").into(),
        selected: non_empty(&query.organisation).is_none(),
    }];
    let orgs = state
        .store()
        .list_organisations(&Default::default(), &ListParams::all())
        .await?;
    organisations.extend(orgs.items.into_iter().map(|o| Choice {
        selected: chosen(&query.organisation, &o.id.to_string()),
        value: o.id.to_string(),
        label: o.name,
    }));
    let sorts = SORTS
        .iter()
        .map(|(value, da, en)| Choice {
            value: (*value).into(),
            label: lang.pick(da, en).into(),
            selected: non_empty(&query.sort).unwrap_or("name") == *value,
        })
        .collect();
    let mut themes = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle produkter", "All products").into(),
        selected: non_empty(&query.tema).is_none(),
    }];
    themes.extend(selection.themes.into_iter().map(|(id, name)| Choice {
        selected: chosen(&query.tema, &id),
        value: id,
        label: name,
    }));
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let csv_href = match uri.query() {
        Some(q) if !q.is_empty() => format!("/produkter.csv?{q}"),
        _ => "/produkter.csv".to_owned(),
    };
    let filtered = [
        &query.q,
        &query.stage,
        &query.level,
        &query.organisation,
        &query.tema,
    ]
    .iter()
    .any(|v| non_empty(v).is_some());
    Ok(render(&PortfolioPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Porteføljen", "The portfolio"),
            "portfolio",
            path,
        ),
        rows,
        q: query.q.clone().unwrap_or_default(),
        stages,
        levels,
        organisations,
        sorts,
        themes,
        theme_name: selection.theme.unwrap_or_default(),
        csv_href,
        problems: selection.problems,
        filtered,
    }))
}

/// `GET /produkter.csv`: the portfolio as the page shows it, one product a row.
pub async fn csv(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    Query(query): Query<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let selection = select(&state, &auth, &query, lang).await?;
    if let Some(problem) = selection.problems.first() {
        return Err(ApiError::invalid_da("query", problem.clone()));
    }
    // Every cell goes through the one CSV writer that neutralises formulas.
    let mut out = niveau_report::export::csv::writer();
    let gaps_column = selection.theme.is_some();
    let header = match lang {
        Lang::Da => [
            "slug",
            "navn",
            "stadie",
            "officielt niveau",
            "målniveau",
            "kommuner",
            "seneste evaluering",
            "hjemmeside",
            "licens",
        ],
        Lang::En => [
            "slug",
            "name",
            "stage",
            "official level",
            "target level",
            "municipalities",
            "last evaluation",
            "website",
            "licence",
        ],
    };
    let write = |out: &mut csv::Writer<Vec<u8>>, record: &[String]| {
        niveau_report::export::csv::write_row(out, record).map_err(|e| ApiError::internal(&e))
    };
    let mut header: Vec<String> = header.map(str::to_owned).to_vec();
    if gaps_column {
        header.push(lang.pick("huller i tema", "gaps in theme").to_owned());
    }
    write(&mut out, &header)?;
    let mut gaps = selection.gaps;
    for r in selection.rows {
        let gap = gaps.remove(&r.product.id).unwrap_or_default();
        let p = r.product;
        let mut record = vec![
            p.slug,
            p.name,
            p.stage.as_str().to_owned(),
            p.official_level.unwrap_or_default(),
            p.target_level.unwrap_or_default(),
            r.municipalities.to_string(),
            date(r.last_evaluation),
            p.website.unwrap_or_default(),
            p.license.unwrap_or_default(),
        ];
        if gaps_column {
            record.push(gap);
        }
        write(&mut out, &record)?;
    }
    let body = out.into_inner().map_err(|e| ApiError::internal(&e))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"os2-portefoelje.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
