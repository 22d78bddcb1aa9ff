//! Portfolio statistics (`/statistik`): the figures of the board's annual report —
//! members over time, products over time, products by stage and by official level, and
//! how many products have a coordination group, a steering group and a joining
//! agreement — as accessible SVG charts with the numbers in tables too.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use super::charts::{Bar, bars};
use super::lang::PageLang;
use super::{Layout, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// A row of a figure table.
struct Row {
    label: String,
    value: u32,
}

/// One figure: a chart and its table.
struct Figure {
    id: &'static str,
    /// A note under the chart, or empty.
    note: String,
    title: String,
    svg: String,
    rows: Vec<Row>,
}

/// "16 af 17 produkter har en koordinationsgruppe".
struct Share {
    label: String,
    count: u32,
    of: u32,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    layout: Layout,
    figures: Vec<Figure>,
    shares: Vec<Share>,
    products_in_stage: u32,
}

fn figure(id: &'static str, title: String, data: Vec<(String, u32)>) -> Figure {
    let chart: Vec<Bar> = data
        .iter()
        .map(|(label, value)| Bar {
            label: label.clone(),
            value: *value,
        })
        .collect();
    Figure {
        id,
        note: String::new(),
        svg: bars(id, &title, &chart),
        title,
        rows: data
            .into_iter()
            .map(|(label, value)| Row { label, value })
            .collect(),
    }
}

/// `GET /statistik`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let stats = niveau_app::statistics::figures(state.app(), auth.who()).await?;
    let mut figures = Vec::new();
    let years = |series: &[(i32, u32)]| -> Vec<(String, u32)> {
        series.iter().map(|(y, n)| (y.to_string(), *n)).collect()
    };
    if !stats.members.is_empty() {
        figures.push(figure(
            "medlemmer",
            lang.pick(
                "Medlemmer ved årets udgang",
                "Members at the end of each year",
            )
            .into(),
            years(&stats.members),
        ));
    }
    if !stats.products_in_stage_by_year.is_empty() {
        let mut f = figure(
            "produkter",
            lang.pick(
                "Produkter på stadiet «produkt» ved årets udgang",
                "Products at the stage \"product\" at the end of each year",
            )
            .into(),
            years(&stats.products_in_stage_by_year),
        );
        if stats.undated > 0 {
            f.note = format!(
                "{} {}",
                stats.undated,
                lang.pick(
                    "produkt(er) uden beslutninger om stadie i beslutningsloggen indgår fra den dag, de blev registreret.",
                    "product(s) without stage decisions in the decision log are counted from the day they were registered.",
                )
            );
        }
        figures.push(f);
    }
    figures.push(figure(
        "stadier",
        lang.pick("Produkter efter stadie i dag", "Products by stage today")
            .into(),
        stats
            .by_stage
            .iter()
            .map(|(s, n)| (labels::stage(*s, lang).to_owned(), *n))
            .collect(),
    ));
    figures.push(figure(
        "niveauer",
        lang.pick(
            "Produkter efter officielt niveau i dag",
            "Products by official level today",
        )
        .into(),
        stats
            .by_level
            .iter()
            .map(|(level, n)| (labels::level(level.as_deref(), lang), *n))
            .collect(),
    ));
    let of = stats.in_stage;
    let shares = vec![
        Share {
            label: lang
                .pick("har en koordinationsgruppe", "have a coordination group")
                .into(),
            count: stats.with_coordination_group,
            of,
        },
        Share {
            label: lang
                .pick("har en styregruppe", "have a steering group")
                .into(),
            count: stats.with_steering_group,
            of,
        },
        Share {
            label: lang
                .pick("har en tilslutningsaftale", "have a joining agreement")
                .into(),
            count: stats.with_joining_agreement,
            of,
        },
    ];

    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/statistik");
    Ok(render(&StatisticsPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Statistik", "Statistics"),
            "statistics",
            path,
        ),
        figures,
        shares,
        products_in_stage: of,
    }))
}
