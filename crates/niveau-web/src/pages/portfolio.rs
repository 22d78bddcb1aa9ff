//! The portfolio (`/`): every product with stage, official level, target level, number of
//! municipalities and the date of its last published evaluation; search, filters, sort,
//! and the same list as CSV (`/produkter.csv`).
//!
//! The theme-gap filter (`tema=<theme id>`) keeps the products whose newest published
//! evaluation rates at least one requirement of that theme yellow, red, or grey without
//! an explanation (niveau-model's `engine::gap`, in the model the evaluation was made
//! in); products without a published evaluation have no known gaps and are left out.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{Uri, header};
use axum::response::{IntoResponse, Response};
use niveau_app::portfolio::{self, LEVELS, PortfolioQuery, SORTS};
use niveau_model::Gap;
use niveau_report::Lang;
use niveau_store::types::Stage;

use super::lang::PageLang;
use super::{Choice, Layout, labels, non_empty, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

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
    /// May create a product (the secretariat): the page links to the form.
    can_create: bool,
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
    let selection = portfolio::select(state.app(), auth.who(), &query).await?;
    let mut gaps = selection.gaps;
    let rows = selection
        .rows
        .into_iter()
        .map(|r| Row {
            gaps: gaps
                .remove(&r.product.id)
                .map(|g| describe_gaps(&g, lang))
                .unwrap_or_default(),
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
    let orgs = niveau_app::organisations::all_current(state.app()).await?;
    organisations.extend(orgs.into_iter().map(|o| Choice {
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
        problems: selection
            .problems
            .iter()
            .map(|m| lang.msg(m).to_owned())
            .collect(),
        filtered,
        can_create: auth.can(niveau_app::permissions::Action::EditPortfolio),
    }))
}

/// `GET /produkter.csv`: the portfolio as the page shows it, one product a row.
pub async fn csv(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    Query(query): Query<PortfolioQuery>,
) -> Result<Response, ApiError> {
    let selection = portfolio::select(state.app(), auth.who(), &query).await?;
    if let Some(problem) = selection.problems.first() {
        return Err(ApiError::invalid("query", problem.clone()));
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
        let gap = gaps
            .remove(&r.product.id)
            .map(|g| describe_gaps(&g, lang))
            .unwrap_or_default();
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
