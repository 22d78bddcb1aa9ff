//! Portfolio statistics (`/statistik`): the figures of the board's annual report —
//! members over time, products over time, products by stage and by official level, and
//! how many products have a coordination group, a steering group and a joining
//! agreement — as accessible SVG charts with the numbers in tables too. Issue 14 adds the
//! development wishes (raised, delivered and rejected per year and product, time to
//! delivery, who pays, pledges) and, for readers of the portfolio, supplier concentration.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;

use super::charts::{Bar, Group, bars, grouped};
use super::lang::PageLang;
use super::{Layout, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::Action;
use niveau_report::Lang;

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

/// Issue 14: the development wishes' figures.
struct WishFigures {
    svg: String,
    years: Vec<niveau_app::wishes::overview::YearCount>,
    products: Vec<(niveau_app::wishes::overview::ProductCount, String)>,
    median_days: String,
    requester_paid: usize,
    community_paid: usize,
    undecided: usize,
    /// "40 %" of the decided wishes the requester pays, or empty.
    requester_share: String,
    pledged: String,
    pledges: usize,
    pledging_organisations: usize,
    cofunded_reached: usize,
}

/// Issue 14: supplier concentration for readers of the portfolio.
struct SupplierFigures {
    products: usize,
    single_supplier: usize,
    self_review: usize,
    no_third_party_review: usize,
    loads: Vec<niveau_app::suppliers::SupplierLoad>,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatisticsPage {
    layout: Layout,
    figures: Vec<Figure>,
    shares: Vec<Share>,
    products_in_stage: u32,
    wishes: WishFigures,
    suppliers: Option<SupplierFigures>,
}

fn wish_figures(w: niveau_app::wishes::overview::WishStatistics, lang: Lang) -> WishFigures {
    let series = [
        (lang.pick("Rejst", "Raised"), "R"),
        (lang.pick("Leveret", "Delivered"), lang.pick("L", "D")),
        (lang.pick("Afvist", "Rejected"), lang.pick("A", "X")),
    ];
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let groups: Vec<Group> = w
        .years
        .iter()
        .map(|y| Group {
            label: y.year.to_string(),
            values: vec![to_u32(y.raised), to_u32(y.delivered), to_u32(y.rejected)],
        })
        .collect();
    let decided = w.requester_paid + w.community_paid;
    WishFigures {
        svg: grouped(
            "oensker-aar",
            lang.pick(
                "Udviklingsønsker rejst, leveret og afvist pr. år",
                "Development wishes raised, delivered and rejected per year",
            ),
            &series,
            &groups,
        ),
        years: w.years,
        products: w
            .products
            .into_iter()
            .map(|p| {
                let pledged = labels::kroner(p.pledged_ore / 100, lang);
                (p, pledged)
            })
            .collect(),
        median_days: w
            .median_delivery_days
            .map(|d| format!("{d} {}", lang.pick("dage", "days")))
            .unwrap_or_else(|| {
                lang.pick("intet leveret endnu", "nothing delivered yet")
                    .into()
            }),
        requester_paid: w.requester_paid,
        community_paid: w.community_paid,
        undecided: w.undecided,
        requester_share: (w.requester_paid * 100)
            .checked_div(decided)
            .map(|p| format!("{p} %"))
            .unwrap_or_default(),
        pledged: labels::kroner(w.pledged_ore / 100, lang),
        pledges: w.pledges,
        pledging_organisations: w.pledging_organisations,
        cofunded_reached: w.cofunded_reached,
    }
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

    let wishes = wish_figures(
        niveau_app::wishes::overview::statistics(state.app(), auth.who()).await?,
        lang,
    );
    let suppliers = if auth.can(Action::ReadPortfolio) {
        let c = niveau_app::suppliers::concentration(state.app(), auth.who()).await?;
        Some(SupplierFigures {
            products: c.products.len(),
            single_supplier: c.single_supplier,
            self_review: c.self_review,
            no_third_party_review: c.no_third_party_review,
            loads: c.suppliers,
        })
    } else {
        None
    };
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
        wishes,
        suppliers,
    }))
}
