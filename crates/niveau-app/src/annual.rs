//! The figures of the board's annual report draft for one year (issue 16), for the
//! board and the secretariat: members joined and in total, products by stage and by
//! official level at the start and end of the year, the governance of each product in
//! operation, the year's stage changes, level decisions and published evaluations, board
//! meetings, development wishes delivered and co-funding pledged. Rendered by
//! [`niveau_report::annual`] as Markdown and PDF.
//!
//! Dated facts are counted as of 31 December: stages and levels from the decision log
//! (a product without a decision of the kind stands at its current value from the day
//! it was registered, as in [`crate::statistics`]). Groups have no dates in the store,
//! so a product's groups are today's; agreements count when their period covers the
//! year's end (an agreement without dates counts).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use niveau_model::Msg;
use niveau_report::annual::{AnnualFigures, Change, EvaluationDone, ProductGovernance, StartEnd};
use niveau_store::ListParams;
use niveau_store::agreements::AgreementFilter;
use niveau_store::decisions::DecisionFilter;
use niveau_store::evaluations::EvaluationFilter;
use niveau_store::groups::GroupFilter;
use niveau_store::types::{
    AgreementKind, DecisionKind, EvaluationStatus, GroupKind, OrgKind, Stage, WishState,
};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, require};
use crate::portfolio::level_rank;
use crate::principal::Caller;

/// The first and last year a draft can be made for.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// "Idé" / "Idea" …
pub fn stage_label(stage: Stage) -> Msg {
    let (da, en) = match stage {
        Stage::Ide => ("idé", "idea"),
        Stage::Koncept => ("koncept", "concept"),
        Stage::Projekt => ("projekt", "project"),
        Stage::Produkt => ("produkt", "product"),
        Stage::Pauset => ("pauset", "paused"),
        Stage::Lukket => ("lukket", "closed"),
        Stage::Afvist => ("afvist", "rejected"),
    };
    Msg::new(da, en)
}

/// "Niveau 2" / "Level 2", "Sandkasse" / "Sandbox", "Ikke vurderet" / "Not assessed".
pub fn level_label(level: Option<&str>) -> Msg {
    match level {
        None | Some("") => Msg::new("ikke vurderet", "not assessed"),
        Some("sandkasse") | Some("0") => Msg::new("Sandkasse", "Sandbox"),
        Some(other) => Msg::new(format!("Niveau {other}"), format!("Level {other}")),
    }
}

/// Where each product stood on a date, from its dated steps.
fn at<T: Clone>(steps: &[(NaiveDate, T)], day: NaiveDate) -> Option<T> {
    steps
        .iter()
        .take_while(|(d, _)| *d <= day)
        .last()
        .map(|(_, v)| v.clone())
}

/// The figures of `year` as the caller may see them (the board and the secretariat).
pub async fn figures(app: &App, who: Caller<'_>, year: i32) -> AppResult<AnnualFigures> {
    require(who, Action::ReadBoard)?;
    if !YEARS.contains(&year) {
        return Err(AppError::invalid(
            "year",
            Msg::new(
                format!(
                    "året skal ligge mellem {} og {}",
                    YEARS.start(),
                    YEARS.end()
                ),
                format!(
                    "the year must be between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
            ),
        ));
    }
    let store = app.store();
    let (start, end) = (year_end(year - 1), year_end(year));
    let in_year = |d: NaiveDate| d > start && d <= end;
    let products: Vec<_> = crate::visibility::visible_products(store, who)
        .await?
        .into_iter()
        .filter(|p| !p.archived)
        .collect();
    let names: HashMap<i32, String> = products.iter().map(|p| (p.id, p.name.clone())).collect();

    // Members.
    let organisations = crate::organisations::all_current(app).await?;
    let members_at = |day: NaiveDate| {
        organisations
            .iter()
            .filter(|o| {
                o.kind != OrgKind::Leverandor
                    && o.member_since.is_some_and(|d| d <= day)
                    && o.left_on.is_none_or(|d| d > day)
            })
            .count() as u32
    };
    let members_joined = organisations
        .iter()
        .filter(|o| o.kind != OrgKind::Leverandor && o.member_since.is_some_and(in_year))
        .count() as u32;
    let first_member = organisations
        .iter()
        .filter_map(|o| o.member_since)
        .map(|d| d.year())
        .min();
    let members_by_year = first_member
        .map(|first| {
            (first..=year)
                .map(|y| (y, members_at(year_end(y))))
                .collect()
        })
        .unwrap_or_default();

    // Stages and levels from the decision log.
    let all = ListParams::all();
    let stage_filter = DecisionFilter {
        kind: Some(DecisionKind::Stadie),
        ..Default::default()
    };
    let level_filter = DecisionFilter {
        kind: Some(DecisionKind::Niveau),
        ..Default::default()
    };
    let stage_decisions = store.list_decisions(&stage_filter, &all).await?.items;
    let level_decisions = store.list_decisions(&level_filter, &all).await?.items;
    let mut stages: HashMap<i32, Vec<(NaiveDate, Stage)>> = HashMap::new();
    let mut stage_changes = Vec::new();
    for d in &stage_decisions {
        let (Some(pid), Some(to)) = (d.product_id, d.to_value.as_deref().and_then(Stage::parse))
        else {
            continue;
        };
        let Some(name) = names.get(&pid) else {
            continue;
        };
        stages.entry(pid).or_default().push((d.decided_on, to));
        if in_year(d.decided_on) {
            stage_changes.push(Change {
                date: d.decided_on,
                product: name.clone(),
                from: d
                    .from_value
                    .as_deref()
                    .and_then(Stage::parse)
                    .map(stage_label)
                    .unwrap_or_else(|| Msg::new("–", "–")),
                to: stage_label(to),
            });
        }
    }
    let mut levels: HashMap<i32, Vec<(NaiveDate, Option<String>)>> = HashMap::new();
    let mut level_changes = Vec::new();
    for d in &level_decisions {
        let Some(pid) = d.product_id else { continue };
        let Some(name) = names.get(&pid) else {
            continue;
        };
        levels
            .entry(pid)
            .or_default()
            .push((d.decided_on, d.to_value.clone()));
        if in_year(d.decided_on) {
            level_changes.push(Change {
                date: d.decided_on,
                product: name.clone(),
                from: level_label(d.from_value.as_deref()),
                to: level_label(d.to_value.as_deref()),
            });
        }
    }
    for p in &products {
        let registered = p.created_at.date_naive();
        let steps = stages.entry(p.id).or_default();
        if steps.is_empty() {
            steps.push((registered, p.stage));
        }
        steps.sort_by_key(|(d, _)| *d);
        let steps = levels.entry(p.id).or_default();
        if steps.is_empty() {
            steps.push((registered, p.official_level.clone()));
        }
        steps.sort_by_key(|(d, _)| *d);
    }
    stage_changes.sort_by(|a, b| (a.date, &a.product).cmp(&(b.date, &b.product)));
    level_changes.sort_by(|a, b| (a.date, &a.product).cmp(&(b.date, &b.product)));

    let by_stage = Stage::ALL
        .iter()
        .map(|s| {
            let count = |day| {
                stages
                    .values()
                    .filter(|steps| at(steps, day) == Some(*s))
                    .count() as u32
            };
            StartEnd {
                label: stage_label(*s),
                start: count(start),
                end: count(end),
            }
        })
        .filter(|r| r.start > 0 || r.end > 0)
        .collect();
    // Levels: over the products that exist on the day by their stage history; a product
    // without a level decision by then is not assessed.
    let mut level_keys: Vec<Option<String>> = levels
        .values()
        .flat_map(|steps| steps.iter().map(|(_, l)| l.clone()))
        .chain(std::iter::once(None))
        .collect();
    level_keys.sort_by_key(|l| level_rank(l.as_deref()));
    level_keys.dedup();
    let level_on = |pid: i32, day: NaiveDate| -> Option<Option<String>> {
        let exists = stages
            .get(&pid)
            .and_then(|s| s.first())
            .is_some_and(|(d, _)| *d <= day);
        exists.then(|| levels.get(&pid).and_then(|steps| at(steps, day)).flatten())
    };
    let by_level = level_keys
        .into_iter()
        .map(|key| {
            let count = |day| {
                products
                    .iter()
                    .filter(|p| level_on(p.id, day).as_ref() == Some(&key))
                    .count() as u32
            };
            StartEnd {
                label: level_label(key.as_deref()),
                start: count(start),
                end: count(end),
            }
        })
        .filter(|r| r.start > 0 || r.end > 0)
        .collect();

    // Products in operation at the end of the year, with their governance.
    let groups = store
        .list_groups(&GroupFilter::default(), &ListParams::all())
        .await?
        .items;
    let agreements = store
        .list_agreements(&AgreementFilter::default(), &ListParams::all())
        .await?
        .items;
    let mut in_operation: Vec<ProductGovernance> = products
        .iter()
        .filter(|p| {
            stages
                .get(&p.id)
                .and_then(|steps| at(steps, end))
                .is_some_and(|s| s == Stage::Produkt)
        })
        .map(|p| {
            let group = |kind| {
                groups
                    .iter()
                    .any(|g| g.product_id == Some(p.id) && g.kind == kind)
            };
            ProductGovernance {
                product: p.name.clone(),
                coordination_group: group(GroupKind::Koordinationsgruppe),
                steering_group: group(GroupKind::Styregruppe),
                joining_agreement: agreements.iter().any(|a| {
                    let a = &a.agreement;
                    a.product_id == Some(p.id)
                        && !a.archived
                        && a.kind == AgreementKind::Tilslutningsaftale
                        && a.starts_on.is_none_or(|d| d <= end)
                        && a.ends_on.is_none_or(|d| d >= end)
                }),
            }
        })
        .collect();
    in_operation.sort_by(|a, b| a.product.cmp(&b.product));

    // Evaluations published in the year.
    let mut evaluations: Vec<EvaluationDone> = store
        .list_evaluations(
            &EvaluationFilter {
                status: Some(EvaluationStatus::Offentliggjort),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items
        .into_iter()
        .filter_map(|e| {
            let date = e.published_at?.date_naive();
            let product = names.get(&e.product_id)?.clone();
            in_year(date).then_some(EvaluationDone { date, product })
        })
        .collect();
    evaluations.sort_by(|a, b| (a.date, &a.product).cmp(&(b.date, &b.product)));

    // Board meetings held in the year.
    let board_meetings = store
        .list_meetings(&ListParams::all())
        .await?
        .items
        .iter()
        .filter(|m| in_year(m.held_on))
        .count() as u32;

    // Wishes delivered and co-funding pledged in the year.
    let wishes = store.wish_portfolio(None).await?;
    let wish_ids: std::collections::HashSet<i32> = wishes
        .wishes
        .iter()
        .filter(|w| names.contains_key(&w.product_id))
        .map(|w| w.id)
        .collect();
    let wishes_delivered = wishes
        .wishes
        .iter()
        .filter(|w| wish_ids.contains(&w.id) && w.state == WishState::Leveret)
        .filter(|w| w.delivered_at.is_some_and(|d| in_year(d.date_naive())))
        .count() as u32;
    let pledges: Vec<_> = wishes
        .pledges
        .iter()
        .filter(|p| wish_ids.contains(&p.wish_id) && in_year(p.created_at.date_naive()))
        .collect();

    // Products in operation at each year end, for the chart.
    let first_product = stages
        .values()
        .filter_map(|s| s.first().map(|(d, _)| d.year()))
        .min();
    let products_by_year = first_product
        .map(|first| {
            (first.min(year)..=year)
                .map(|y| {
                    let day = year_end(y);
                    let n = stages
                        .values()
                        .filter(|steps| at(steps, day) == Some(Stage::Produkt))
                        .count() as u32;
                    (y, n)
                })
                .collect()
        })
        .unwrap_or_default();

    Ok(AnnualFigures {
        year,
        made_on: store.now().date_naive(),
        members_joined,
        members_total: members_at(end),
        members_by_year,
        products_by_year,
        by_stage,
        by_level,
        in_operation,
        stage_changes,
        level_decisions: level_changes,
        evaluations,
        board_meetings,
        wishes_delivered,
        pledges: pledges.len() as u32,
        pledged_ore: pledges.iter().map(|p| p.amount_ore).sum(),
    })
}
