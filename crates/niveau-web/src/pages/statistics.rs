//! Portfolio statistics (`/statistik`): the figures of the board's annual report —
//! members over time, products over time, products by stage and by official level, and
//! how many products have a coordination group, a steering group and a joining
//! agreement — as accessible SVG charts with the numbers in tables too.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use niveau_store::ListParams;
use niveau_store::agreements::AgreementFilter;
use niveau_store::decisions::DecisionFilter;
use niveau_store::groups::GroupFilter;
use niveau_store::types::{AgreementKind, DecisionKind, GroupKind, OrgKind, Stage};

use super::charts::{Bar, bars};
use super::lang::PageLang;
use super::{Layout, labels, render, visible_products};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::Action;

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
    let store = state.store();
    let today = store.now().date_naive();
    let products = visible_products(&state, &auth).await?;
    let products: Vec<_> = products.into_iter().filter(|p| !p.archived).collect();
    let organisations = store
        .list_organisations(&Default::default(), &ListParams::all())
        .await?
        .items;
    let decisions = store
        .list_decisions(
            &DecisionFilter {
                kind: Some(DecisionKind::Stadie),
                public_only: !auth.can(Action::ReadPortfolio),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items;
    let mut figures = Vec::new();

    // Members (municipalities, regions and others with a membership date) at each year end.
    let first = organisations
        .iter()
        .filter_map(|o| o.member_since)
        .map(|d| d.year())
        .min();
    if let Some(first) = first {
        let data = (first..=today.year())
            .map(|year| {
                let end = year_end(year);
                let n = organisations
                    .iter()
                    .filter(|o| {
                        o.kind != OrgKind::Leverandor
                            && o.member_since.is_some_and(|d| d <= end)
                            && o.left_on.is_none_or(|d| d > end)
                    })
                    .count() as u32;
                (year.to_string(), n)
            })
            .collect();
        figures.push(figure(
            "medlemmer",
            lang.pick(
                "Medlemmer ved årets udgang",
                "Members at the end of each year",
            )
            .into(),
            data,
        ));
    }

    // Products in stage "produkt" at each year end, from the decision log (a product
    // without stage decisions counts from the year it was registered, at its stage now).
    let ids: HashSet<i32> = products.iter().map(|p| p.id).collect();
    let mut timeline: HashMap<i32, Vec<(NaiveDate, Stage)>> = HashMap::new();
    for d in &decisions {
        if let (Some(pid), Some(to)) = (d.product_id, d.to_value.as_deref().and_then(Stage::parse))
            && ids.contains(&pid)
        {
            timeline.entry(pid).or_default().push((d.decided_on, to));
        }
    }
    for steps in timeline.values_mut() {
        steps.sort();
    }
    let first_year = timeline
        .values()
        .filter_map(|s| s.first().map(|(d, _)| d.year()))
        .min();
    // Products with no stage decision have no dated history: they are left out of the
    // series (and the page says how many), rather than counted from the day they were
    // registered in Niveau.
    let undated = products
        .iter()
        .filter(|p| !timeline.contains_key(&p.id))
        .count() as u32;
    if let Some(first_year) = first_year {
        let data = (first_year..=today.year())
            .map(|year| {
                let end = year_end(year);
                let n = timeline
                    .values()
                    .filter(|steps| {
                        steps
                            .iter()
                            .take_while(|(d, _)| *d <= end)
                            .last()
                            .is_some_and(|(_, s)| *s == Stage::Produkt)
                    })
                    .count() as u32;
                (year.to_string(), n)
            })
            .collect();
        let mut f = figure(
            "produkter",
            lang.pick(
                "Produkter på stadiet «produkt» ved årets udgang",
                "Products at the stage \"product\" at the end of each year",
            )
            .into(),
            data,
        );
        if undated > 0 {
            f.note = format!(
                "{undated} {}",
                lang.pick(
                    "produkt(er) uden beslutninger om stadie i beslutningsloggen indgår ikke.",
                    "product(s) without stage decisions in the decision log are not included.",
                )
            );
        }
        figures.push(f);
    }

    // Now: by stage and by official level.
    let by_stage = Stage::ALL
        .iter()
        .map(|s| {
            (
                labels::stage(*s, lang).to_owned(),
                products.iter().filter(|p| p.stage == *s).count() as u32,
            )
        })
        .collect();
    figures.push(figure(
        "stadier",
        lang.pick("Produkter efter stadie i dag", "Products by stage today")
            .into(),
        by_stage,
    ));
    let mut levels: BTreeMap<i32, (String, u32)> = BTreeMap::new();
    for p in &products {
        let rank = match p.official_level.as_deref() {
            None => -1,
            Some("sandkasse") | Some("0") => 0,
            Some(l) => l.parse().unwrap_or(0),
        };
        levels
            .entry(rank)
            .or_insert_with(|| (labels::level(p.official_level.as_deref(), lang), 0))
            .1 += 1;
    }
    figures.push(figure(
        "niveauer",
        lang.pick(
            "Produkter efter officielt niveau i dag",
            "Products by official level today",
        )
        .into(),
        levels.into_values().collect(),
    ));

    // The governance figures, for products at the stage "produkt".
    let in_stage: Vec<i32> = products
        .iter()
        .filter(|p| p.stage == Stage::Produkt)
        .map(|p| p.id)
        .collect();
    let groups = store
        .list_groups(&GroupFilter::default(), &ListParams::all())
        .await?
        .items;
    let with_group = |kind: GroupKind| {
        in_stage
            .iter()
            .filter(|id| {
                groups
                    .iter()
                    .any(|g| g.product_id == Some(**id) && g.kind == kind)
            })
            .count() as u32
    };
    let agreements = store
        .list_agreements(&AgreementFilter::default(), &ListParams::all())
        .await?
        .items;
    let with_agreement = in_stage
        .iter()
        .filter(|id| {
            agreements.iter().any(|a| {
                a.agreement.product_id == Some(**id)
                    && a.agreement.kind == AgreementKind::Tilslutningsaftale
            })
        })
        .count() as u32;
    let of = in_stage.len() as u32;
    let shares = vec![
        Share {
            label: lang
                .pick("har en koordinationsgruppe", "have a coordination group")
                .into(),
            count: with_group(GroupKind::Koordinationsgruppe),
            of,
        },
        Share {
            label: lang
                .pick("har en styregruppe", "have a steering group")
                .into(),
            count: with_group(GroupKind::Styregruppe),
            of,
        },
        Share {
            label: lang
                .pick("har en tilslutningsaftale", "have a joining agreement")
                .into(),
            count: with_agreement,
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

/// 31 December of `year`.
fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}
