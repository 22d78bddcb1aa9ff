//! The figures of the board's annual report: members over time, products over time,
//! products by stage and by official level, and how many products have a coordination
//! group, a steering group and a joining agreement. Counted over the products the caller
//! may see (published ones for the public) and, for the history, over the decisions the
//! caller may read.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use niveau_store::ListParams;
use niveau_store::agreements::AgreementFilter;
use niveau_store::decisions::DecisionFilter;
use niveau_store::groups::GroupFilter;
use niveau_store::types::{AgreementKind, DecisionKind, GroupKind, OrgKind, Stage};

use crate::App;
use crate::error::AppResult;
use crate::permissions::{Action, allowed};
use crate::portfolio::level_rank;
use crate::principal::Caller;

/// The figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statistics {
    /// Members (organisations other than suppliers with a membership date) at the end of
    /// each year, from the first membership year to this year; empty without members.
    pub members: Vec<(i32, u32)>,
    /// Products at the stage "produkt" at the end of each year, from the decision log,
    /// from the first year a product is known at a stage to this year: a product with
    /// stage decisions stands where its latest decision by then put it; a product without
    /// any stands at its current stage from the day it was registered. Empty without
    /// products.
    pub products_in_stage_by_year: Vec<(i32, u32)>,
    /// Products without a stage decision: in the series above only from the day they
    /// were registered.
    pub undated: u32,
    /// Products by stage today, every stage in order.
    pub by_stage: Vec<(Stage, u32)>,
    /// Products by official level today, lowest first (unassessed first): a level as
    /// one of its products writes it, and how many.
    pub by_level: Vec<(Option<String>, u32)>,
    /// Products at the stage "produkt" today.
    pub in_stage: u32,
    /// Of those, how many have a coordination group.
    pub with_coordination_group: u32,
    /// … a steering group.
    pub with_steering_group: u32,
    /// … a joining agreement.
    pub with_joining_agreement: u32,
}

/// 31 December of `year`.
fn year_end(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// The figures as the caller may see them, counted up to today.
pub async fn figures(app: &App, who: Caller<'_>) -> AppResult<Statistics> {
    let store = app.store();
    let today = store.now().date_naive();
    let products: Vec<_> = crate::visibility::visible_products(store, who)
        .await?
        .into_iter()
        .filter(|p| !p.archived)
        .collect();
    let organisations = crate::organisations::all_current(app).await?;
    let decisions = store
        .list_decisions(
            &DecisionFilter {
                kind: Some(DecisionKind::Stadie),
                public_only: !allowed(who, Action::ReadPortfolio),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items;

    // Members at each year end.
    let first = organisations
        .iter()
        .filter_map(|o| o.member_since)
        .map(|d| d.year())
        .min();
    let members = match first {
        None => Vec::new(),
        Some(first) => (first..=today.year())
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
                (year, n)
            })
            .collect(),
    };

    // Products in stage "produkt" at each year end, from the decision log. A product with
    // no stage decision has no dated history before it was registered: it counts at its
    // current stage from that day (and in `undated`), so this year's figure is the number
    // of products at the stage today, not only those with a decision.
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
    let undated = products
        .iter()
        .filter(|p| !timeline.contains_key(&p.id))
        .count() as u32;
    for p in &products {
        timeline
            .entry(p.id)
            .or_insert_with(|| vec![(p.created_at.date_naive(), p.stage)]);
    }
    let first_year = timeline
        .values()
        .filter_map(|s| s.first().map(|(d, _)| d.year()))
        .min();
    let products_in_stage_by_year = match first_year {
        None => Vec::new(),
        Some(first_year) => (first_year..=today.year())
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
                (year, n)
            })
            .collect(),
    };

    // Now: by stage and by official level.
    let by_stage = Stage::ALL
        .iter()
        .map(|s| (*s, products.iter().filter(|p| p.stage == *s).count() as u32))
        .collect();
    let mut levels: BTreeMap<i32, (Option<String>, u32)> = BTreeMap::new();
    for p in &products {
        levels
            .entry(level_rank(p.official_level.as_deref()))
            .or_insert_with(|| (p.official_level.clone(), 0))
            .1 += 1;
    }

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
    let with_joining_agreement = in_stage
        .iter()
        .filter(|id| {
            agreements.iter().any(|a| {
                a.agreement.product_id == Some(**id)
                    && a.agreement.kind == AgreementKind::Tilslutningsaftale
            })
        })
        .count() as u32;
    Ok(Statistics {
        members,
        products_in_stage_by_year,
        undated,
        by_stage,
        by_level: levels.into_values().collect(),
        in_stage: in_stage.len() as u32,
        with_coordination_group: with_group(GroupKind::Koordinationsgruppe),
        with_steering_group: with_group(GroupKind::Styregruppe),
        with_joining_agreement,
    })
}

#[cfg(test)]
mod tests {
    use niveau_store::types::Role;

    use super::*;
    use crate::organisations::testing::organisation_input;
    use crate::products::testing::{app, product, secretariat, who};

    #[tokio::test]
    async fn the_public_figures_count_published_products_and_members_per_year() {
        let app = app().await;
        product(&app, "offentlig", true).await;
        product(&app, "skjult", false).await;
        let mut kbh = organisation_input("Københavns Kommune");
        kbh.member_since = NaiveDate::from_ymd_opt(2020, 3, 1);
        crate::organisations::create(&app, Some(&secretariat()), kbh)
            .await
            .expect("member");
        let public = figures(&app, None).await.expect("public");
        let ide = public
            .by_stage
            .iter()
            .find(|(s, _)| *s == Stage::Ide)
            .map(|(_, n)| *n);
        assert_eq!(ide, Some(1), "the unpublished product is not counted");
        assert_eq!(public.by_level, [(None, 1)]);
        assert_eq!(public.undated, 1);
        let this_year = app.store().now().year();
        assert_eq!(
            public.products_in_stage_by_year,
            [(this_year, 0)],
            "an idea registered this year, at no product stage"
        );
        assert_eq!(public.in_stage, 0);
        assert_eq!(public.members.first(), Some(&(2020, 1)));
        assert_eq!(public.members.last(), Some(&(this_year, 1)));

        let reader = who(&[Role::Laeser], &[]);
        let all = figures(&app, Some(&reader)).await.expect("reader");
        assert_eq!(all.by_level, [(None, 2)]);
    }
    #[tokio::test]
    async fn products_without_a_stage_decision_count_from_the_day_they_were_registered() {
        use crate::products::testing::product_input;
        use niveau_store::decisions::DecisionInput;
        use niveau_store::types::DecidedBy;

        let app = app().await;
        let sec = secretariat();
        // One product became a product in 2018 by a decision in the log …
        let decided = product(&app, "besluttet", true).await;
        crate::decisions::register_history(
            &app,
            Some(&sec),
            DecisionInput {
                product_id: Some(decided.id),
                decided_on: NaiveDate::from_ymd_opt(2018, 4, 1).expect("date"),
                kind: DecisionKind::Stadie,
                to: Some("produkt".into()),
                model_id: None,
                basis: "Gik fra projekt til produkt".into(),
                decided_by: DecidedBy::Bestyrelse,
                reference: None,
            },
        )
        .await
        .expect("stage decision");
        // … another was registered at the stage today, with no decision.
        let mut input = product_input("registreret", true);
        input.stage = Some(Stage::Produkt);
        crate::products::create(
            &app,
            Some(&sec),
            input,
            &crate::products::testing::locations(),
        )
        .await
        .expect("registered");
        let stats = figures(&app, None).await.expect("figures");
        let this_year = app.store().now().year();
        assert_eq!(stats.undated, 1);
        assert_eq!(stats.products_in_stage_by_year.first(), Some(&(2018, 1)));
        assert_eq!(
            stats.products_in_stage_by_year.last(),
            Some(&(this_year, 2)),
            "this year's figure is the number of products at the stage today"
        );
        assert_eq!(stats.in_stage, 2);
    }
}
