//! The secretariat's portfolio overview of development wishes (open wishes per product,
//! their age, time to delivery against the product's target, unfunded wishes, where
//! wishes wait) and the statistics of wishes (raised, delivered, rejected per year and
//! product; median time to delivery; who pays; pledges). Both count from the store's
//! facts, which carry no texts.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Utc};
use niveau_store::types::{WishPayer, WishState};
use niveau_store::wishes::{DEFAULT_TARGET_DAYS, WishFacts, WishPortfolio};
use serde::Serialize;
use utoipa::ToSchema;

use super::rules;
use crate::App;
use crate::error::AppResult;
use crate::permissions::{Action, require};
use crate::principal::Caller;
use crate::visibility::visible_products;

/// One product's wishes in the overview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductWishes {
    /// The product.
    pub product_id: i32,
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Open wishes (neither delivered nor rejected).
    pub open: usize,
    /// The oldest open wish's age in days.
    pub oldest_days: Option<i64>,
    /// Open wishes older than the target.
    pub over_target: usize,
    /// Wishes delivered.
    pub delivered: usize,
    /// The median days from raised to delivered.
    pub median_delivery_days: Option<i64>,
    /// The product's target in days.
    pub target_days: i32,
    /// Wishes decided with a co-funding target not yet reached.
    pub unfunded: usize,
}

/// A wish whose funding is not in place, in the overview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnfundedWish {
    /// The wish.
    pub id: i32,
    /// Its title.
    pub title: String,
    /// The product's name.
    pub product: String,
    /// The product's slug.
    pub slug: String,
    /// The target in øre.
    pub target_ore: i64,
    /// Pledged in øre.
    pub pledged_ore: i64,
    /// Days since raised.
    pub age_days: i64,
}

/// Where wishes wait: the median days spent in a state, over every stay in it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StateTime {
    /// The state.
    #[schema(value_type = String)]
    pub state: WishState,
    /// Wishes there now.
    pub now: usize,
    /// Stays counted (finished and current).
    pub stays: usize,
    /// The median days of a stay.
    pub median_days: Option<i64>,
}

/// The secretariat's overview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    /// Per product with wishes, the ones with the most open first.
    pub products: Vec<ProductWishes>,
    /// Wishes waiting for co-funding, the oldest first.
    pub unfunded: Vec<UnfundedWish>,
    /// Where wishes wait, in the order of the process.
    pub states: Vec<StateTime>,
    /// Whether more wishes exist than were counted.
    pub truncated: bool,
}

/// Per year: raised, delivered and rejected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct YearCount {
    /// The year.
    pub year: i32,
    /// Raised that year.
    pub raised: usize,
    /// Delivered that year.
    pub delivered: usize,
    /// Rejected that year.
    pub rejected: usize,
}

/// Per product: raised, delivered, rejected, pledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ProductCount {
    /// The product's name.
    pub name: String,
    /// Its slug.
    pub slug: String,
    /// Raised.
    pub raised: usize,
    /// Delivered.
    pub delivered: usize,
    /// Rejected.
    pub rejected: usize,
    /// Pledged in øre.
    pub pledged_ore: i64,
}

/// The statistics of wishes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishStatistics {
    /// Per year, oldest first.
    pub years: Vec<YearCount>,
    /// Per product with wishes, by name.
    pub products: Vec<ProductCount>,
    /// The median days from raised to delivered.
    pub median_delivery_days: Option<i64>,
    /// Wishes the requester pays.
    pub requester_paid: usize,
    /// Wishes the community pays.
    pub community_paid: usize,
    /// Wishes not yet decided.
    pub undecided: usize,
    /// The sum of pledges not withdrawn, in øre.
    pub pledged_ore: i64,
    /// Pledges not withdrawn.
    pub pledges: usize,
    /// Organisations that pledged.
    pub pledging_organisations: usize,
    /// Wishes with a co-funding target that reached it.
    pub cofunded_reached: usize,
}

/// The median of `values` (the lower middle of an even count), none when empty.
pub fn median(mut values: Vec<i64>) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(values[(values.len() - 1) / 2])
}

fn days(from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
    (to - from).num_days().max(0)
}

/// The sum pledged per wish.
fn pledged_by_wish(p: &WishPortfolio) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for x in &p.pledges {
        *out.entry(x.wish_id).or_insert(0) += x.amount_ore;
    }
    out
}

fn funding_open(w: &WishFacts, pledged: i64) -> bool {
    w.state.is_open() && rules::before_order(w.state) && w.target_ore.is_some_and(|t| pledged < t)
}

/// The overview over `data`, for the products named in `products` (id → (slug, name)).
pub fn overview_of(
    data: &WishPortfolio,
    products: &BTreeMap<i32, (String, String)>,
    targets: &BTreeMap<i32, i32>,
    now: DateTime<Utc>,
) -> Overview {
    let pledged = pledged_by_wish(data);
    let mut per: BTreeMap<i32, Vec<&WishFacts>> = BTreeMap::new();
    for w in data
        .wishes
        .iter()
        .filter(|w| products.contains_key(&w.product_id))
    {
        per.entry(w.product_id).or_default().push(w);
    }
    let mut out_products = Vec::new();
    let mut unfunded = Vec::new();
    for (pid, wishes) in &per {
        let Some((slug, name)) = products.get(pid) else {
            continue;
        };
        let target = targets.get(pid).copied().unwrap_or(DEFAULT_TARGET_DAYS);
        let open: Vec<&&WishFacts> = wishes.iter().filter(|w| w.state.is_open()).collect();
        let ages: Vec<i64> = open.iter().map(|w| days(w.created_at, now)).collect();
        let delivered: Vec<i64> = wishes
            .iter()
            .filter_map(|w| w.delivered_at.map(|d| days(w.created_at, d)))
            .collect();
        let mut n_unfunded = 0;
        for w in wishes {
            let p = pledged.get(&w.id).copied().unwrap_or(0);
            if funding_open(w, p) {
                n_unfunded += 1;
                unfunded.push(UnfundedWish {
                    id: w.id,
                    title: w.title.clone(),
                    product: name.clone(),
                    slug: slug.clone(),
                    target_ore: w.target_ore.unwrap_or(0),
                    pledged_ore: p,
                    age_days: days(w.created_at, now),
                });
            }
        }
        out_products.push(ProductWishes {
            product_id: *pid,
            slug: slug.clone(),
            name: name.clone(),
            open: open.len(),
            oldest_days: ages.iter().copied().max(),
            over_target: ages.iter().filter(|a| **a > i64::from(target)).count(),
            delivered: delivered.len(),
            median_delivery_days: median(delivered),
            target_days: target,
            unfunded: n_unfunded,
        });
    }
    out_products.sort_by(|a, b| b.open.cmp(&a.open).then(a.name.cmp(&b.name)));
    unfunded.sort_by(|a, b| b.age_days.cmp(&a.age_days).then(a.id.cmp(&b.id)));
    Overview {
        products: out_products,
        unfunded,
        states: state_times(data, products, now),
        truncated: data.truncated,
    }
}

/// The median stay in each state, from the transitions (a stay ends at the next
/// transition of the same wish, or now).
fn state_times(
    data: &WishPortfolio,
    products: &BTreeMap<i32, (String, String)>,
    now: DateTime<Utc>,
) -> Vec<StateTime> {
    let shown: BTreeSet<i32> = data
        .wishes
        .iter()
        .filter(|w| products.contains_key(&w.product_id))
        .map(|w| w.id)
        .collect();
    let mut by_wish: BTreeMap<i32, Vec<(WishState, DateTime<Utc>)>> = BTreeMap::new();
    for t in data
        .transitions
        .iter()
        .filter(|t| shown.contains(&t.wish_id))
    {
        by_wish
            .entry(t.wish_id)
            .or_default()
            .push((t.to_state, t.at));
    }
    let mut stays: BTreeMap<WishState, Vec<i64>> = BTreeMap::new();
    for list in by_wish.values() {
        for (i, (state, at)) in list.iter().enumerate() {
            if !state.is_open() {
                continue;
            }
            let until = list.get(i + 1).map(|(_, t)| *t).unwrap_or(now);
            stays.entry(*state).or_default().push(days(*at, until));
        }
    }
    WishState::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| StateTime {
            state: *s,
            now: data
                .wishes
                .iter()
                .filter(|w| shown.contains(&w.id) && w.state == *s)
                .count(),
            stays: stays.get(s).map(Vec::len).unwrap_or(0),
            median_days: stays.get(s).and_then(|v| median(v.clone())),
        })
        .collect()
}

/// The statistics of `data`, for the products named in `products`.
pub fn statistics_of(
    data: &WishPortfolio,
    products: &BTreeMap<i32, (String, String)>,
) -> WishStatistics {
    let pledged = pledged_by_wish(data);
    let wishes: Vec<&WishFacts> = data
        .wishes
        .iter()
        .filter(|w| products.contains_key(&w.product_id))
        .collect();
    let shown: BTreeSet<i32> = wishes.iter().map(|w| w.id).collect();
    // The day a wish was rejected: its last transition to `afvist`.
    let mut rejected_at: BTreeMap<i32, DateTime<Utc>> = BTreeMap::new();
    for t in &data.transitions {
        if t.to_state == WishState::Afvist && shown.contains(&t.wish_id) {
            rejected_at.insert(t.wish_id, t.at);
        }
    }
    fn year(years: &mut BTreeMap<i32, YearCount>, y: i32) -> &mut YearCount {
        years.entry(y).or_insert(YearCount {
            year: y,
            raised: 0,
            delivered: 0,
            rejected: 0,
        })
    }
    let mut years: BTreeMap<i32, YearCount> = BTreeMap::new();
    for w in &wishes {
        year(&mut years, w.created_at.year()).raised += 1;
        if let Some(d) = w.delivered_at {
            year(&mut years, d.year()).delivered += 1;
        }
        if w.state == WishState::Afvist
            && let Some(r) = rejected_at.get(&w.id)
        {
            year(&mut years, r.year()).rejected += 1;
        }
    }
    let mut per_product: BTreeMap<i32, ProductCount> = BTreeMap::new();
    for w in &wishes {
        let Some((slug, name)) = products.get(&w.product_id) else {
            continue;
        };
        let c = per_product.entry(w.product_id).or_insert(ProductCount {
            name: name.clone(),
            slug: slug.clone(),
            raised: 0,
            delivered: 0,
            rejected: 0,
            pledged_ore: 0,
        });
        c.raised += 1;
        c.delivered += usize::from(w.state == WishState::Leveret);
        c.rejected += usize::from(w.state == WishState::Afvist);
        c.pledged_ore += pledged.get(&w.id).copied().unwrap_or(0);
    }
    let mut product_counts: Vec<ProductCount> = per_product.into_values().collect();
    product_counts.sort_by(|a, b| a.name.cmp(&b.name));
    let shown_pledges: Vec<_> = data
        .pledges
        .iter()
        .filter(|p| shown.contains(&p.wish_id))
        .collect();
    WishStatistics {
        years: years.into_values().collect(),
        products: product_counts,
        median_delivery_days: median(
            wishes
                .iter()
                .filter_map(|w| w.delivered_at.map(|d| days(w.created_at, d)))
                .collect(),
        ),
        requester_paid: wishes
            .iter()
            .filter(|w| w.payer == Some(WishPayer::Opgavestiller))
            .count(),
        community_paid: wishes
            .iter()
            .filter(|w| w.payer == Some(WishPayer::Faellesskabet))
            .count(),
        undecided: wishes.iter().filter(|w| w.payer.is_none()).count(),
        pledged_ore: shown_pledges.iter().map(|p| p.amount_ore).sum(),
        pledges: shown_pledges.len(),
        pledging_organisations: shown_pledges
            .iter()
            .map(|p| p.organisation_id)
            .collect::<BTreeSet<_>>()
            .len(),
        cofunded_reached: wishes
            .iter()
            .filter(|w| {
                w.target_ore
                    .is_some_and(|t| pledged.get(&w.id).copied().unwrap_or(0) >= t)
            })
            .count(),
    }
}

/// The products the caller may see, by id: (slug, name).
async fn names(app: &App, who: Caller<'_>) -> AppResult<BTreeMap<i32, (String, String)>> {
    Ok(visible_products(app.store(), who)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.slug, p.name)))
        .collect())
}

/// The secretariat's overview of the portfolio's wishes (readers of the portfolio).
pub async fn overview(app: &App, who: Caller<'_>) -> AppResult<Overview> {
    require(who, Action::ReadPortfolio)?;
    let products = names(app, who).await?;
    let data = app.store().wish_portfolio(None).await?;
    let targets: BTreeMap<i32, i32> = app
        .store()
        .all_wish_settings()
        .await?
        .into_iter()
        .map(|s| (s.product_id, s.target_days))
        .collect();
    Ok(overview_of(&data, &products, &targets, app.store().now()))
}

/// The statistics of wishes over the products the caller may see (the public: published
/// products only).
pub async fn statistics(app: &App, who: Caller<'_>) -> AppResult<WishStatistics> {
    let products = names(app, who).await?;
    let data = app.store().wish_portfolio(None).await?;
    Ok(statistics_of(&data, &products))
}
