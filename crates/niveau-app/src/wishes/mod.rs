//! Development wishes (udviklingsønsker): a municipality or a supplier raises a wish for a
//! product; the product group screens it against its criteria; the supplier describes and
//! estimates a solution; the coordination group decides who pays — the requester
//! (opgavestiller betaler) or the community (fællesskabet betaler), possibly co-funded by
//! pledges from several organisations — and prioritises; the wish is ordered when it is
//! funded, built, tested and delivered. Every state change is kept with who, when and why.
//!
//! Who may do what ([`crate::permissions`]): anyone may read the public summary of a
//! published product's wishes; every signed-in person may read the details, raise a wish
//! and comment (a municipal employee needs no developer account, only a Niveau login);
//! the product's group (its editors) and the secretariat handle them. The requester's
//! e-mail address is shown only to those who handle the wish.

pub mod money;
pub mod overview;
pub mod rules;
pub mod table;
pub mod transfer;

use std::collections::BTreeMap;

use niveau_model::Msg;
use niveau_store::entity::{
    product, wish, wish_comment, wish_pledge, wish_settings, wish_transition,
};
use niveau_store::list::{ListParams, Page};
use niveau_store::wishes::{
    EstimateInput, FundingInput, PledgeInput, ScreeningInput, SettingsInput, StepInput,
    WishContext, WishFilter, WishInput,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed, require};
use crate::principal::Caller;
use crate::visibility::{may_see_product, resolve_product, visible_products};

pub use rules::StepOption;

/// How much of a wish the caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// The public summary: title, state, priority, dates, funding. No texts, no names.
    Summary,
    /// Everything but the requester's e-mail address (signed-in readers).
    Details,
    /// Everything (the product group and the secretariat).
    Full,
}

/// What `who` sees of product `product_id`'s wishes.
pub fn detail_for(who: Caller<'_>, product_id: i32) -> Detail {
    if allowed(who, Action::ManageWishes(product_id)) {
        Detail::Full
    } else if allowed(who, Action::ReadPortfolio) {
        Detail::Details
    } else {
        Detail::Summary
    }
}

/// `wish` with what `detail` may not see left out.
pub fn redact(mut w: wish::Model, detail: Detail) -> wish::Model {
    if detail < Detail::Full {
        w.raised_by_email = None;
        w.raised_by_user_id = None;
    }
    if detail < Detail::Details {
        w.need = String::new();
        w.proposal = None;
        w.value = None;
        w.raised_by = String::new();
        w.priority_reason = None;
        w.screening = None;
        w.screened_by = None;
        w.solution = None;
        w.solution_url = None;
        w.decision_reason = None;
    }
    w
}

/// A wish as a list or page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishView {
    /// The wish (texts and names left out for the public: see `detail`).
    #[serde(flatten)]
    pub wish: wish::Model,
    /// How much of it the caller sees.
    pub detail: Detail,
    /// The sum of the pledges not withdrawn, in øre.
    pub pledged_ore: i64,
    /// What is left of the co-funding target, in øre.
    pub remaining_ore: Option<i64>,
    /// Who pays is decided and the target, if any, is reached.
    pub funded: bool,
    /// Days since it was raised.
    pub age_days: i64,
}

fn view(app: &App, w: wish::Model, pledged_ore: i64, detail: Detail) -> WishView {
    let today = app.store().now();
    WishView {
        remaining_ore: rules::remaining(&w, pledged_ore),
        funded: rules::funded(&w, pledged_ore),
        age_days: (w.delivered_at.unwrap_or(today) - w.created_at).num_days(),
        wish: redact(w, detail),
        detail,
        pledged_ore,
    }
}

/// A pledge with its organisation's name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PledgeView {
    /// The pledge.
    #[serde(flatten)]
    pub pledge: wish_pledge::Model,
    /// The organisation's name.
    pub organisation: String,
}

/// A wish's page: the wish, its history, pledges, comments and what the caller may do.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishPage {
    /// The product.
    pub product: product::Model,
    /// The wish.
    pub wish: WishView,
    /// The organisation that raised it.
    pub organisation: Option<String>,
    /// The supplier that estimated it.
    pub supplier: Option<String>,
    /// The state changes, oldest first.
    pub transitions: Vec<wish_transition::Model>,
    /// Days spent in each state so far, in the order first entered.
    pub time_in_states: Vec<(String, i64)>,
    /// The pledges, withdrawn ones included.
    pub pledges: Vec<PledgeView>,
    /// The comments (signed-in readers only).
    pub comments: Vec<wish_comment::Model>,
    /// The product's screening criteria.
    pub criteria: Vec<String>,
    /// The product's settings.
    pub settings: wish_settings::Model,
    /// The steps the caller may take from here, each with why it is refused now (empty
    /// for those who do not handle the wish).
    pub steps: Vec<StepOption>,
    /// Whether the caller handles the wish.
    pub may_manage: bool,
    /// Whether the caller may comment.
    pub may_comment: bool,
}

fn wish_name(id: i32) -> Msg {
    Msg::new(format!("ønske {id}"), format!("wish {id}"))
}

/// Wish `id` and its product, if the caller may see the product.
async fn visible_wish(
    app: &App,
    who: Caller<'_>,
    id: i32,
) -> AppResult<(wish::Model, product::Model)> {
    let hidden = || AppError::not_found(wish_name(id));
    let w = app.store().wish_row(id).await.map_err(|_| hidden())?;
    let product = app.store().product(w.product_id).await?;
    if !may_see_product(who, &product) {
        return Err(hidden());
    }
    Ok((w, product))
}

/// Product `key` if the caller may raise a wish for it (asked before the body is read).
pub async fn authorise_raise(app: &App, who: Caller<'_>, key: &str) -> AppResult<product::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    require(who, Action::RaiseWish)?;
    Ok(product)
}

/// Wish `id` if the caller handles its product's wishes (asked before the body is read).
pub async fn authorise_manage(app: &App, who: Caller<'_>, id: i32) -> AppResult<wish::Model> {
    let (w, _) = visible_wish(app, who, id).await?;
    require(who, Action::ManageWishes(w.product_id))?;
    Ok(w)
}

/// Wish `id` if the caller may comment on it (asked before the body is read).
pub async fn authorise_comment(app: &App, who: Caller<'_>, id: i32) -> AppResult<wish::Model> {
    let (w, _) = visible_wish(app, who, id).await?;
    require(who, Action::RaiseWish)?;
    Ok(w)
}

/// Raise a wish for product `key`. Closed, rejected and archived products take none.
pub async fn raise(
    app: &App,
    who: Caller<'_>,
    key: &str,
    input: &WishInput,
) -> AppResult<wish::Model> {
    let product = authorise_raise(app, who, key).await?;
    let who = require(who, Action::RaiseWish)?;
    if product.archived
        || matches!(
            product.stage,
            niveau_store::types::Stage::Lukket | niveau_store::types::Stage::Afvist
        )
    {
        return Err(AppError::State(Msg::new(
            format!(
                "{} er {}; der kan ikke rejses ønsker til det",
                product.name, product.stage
            ),
            format!(
                "{} is {}; no wishes can be raised for it",
                product.name, product.stage
            ),
        )));
    }
    Ok(app
        .store()
        .raise_wish(&who.actor(), product.id, input)
        .await?)
}

/// The wishes the caller may see, filtered, with what each has pledged.
pub async fn list(
    app: &App,
    who: Caller<'_>,
    filter: &WishFilter,
    params: &ListParams,
) -> AppResult<Page<WishView>> {
    // Readers of the portfolio see every product's wishes; the public only the published
    // products', which are read only then.
    let visible: Option<Vec<i32>> = if allowed(who, Action::ReadPortfolio) {
        None
    } else {
        Some(
            visible_products(app.store(), who)
                .await?
                .into_iter()
                .map(|p| p.id)
                .collect(),
        )
    };
    let page = app
        .store()
        .list_wishes(filter, visible.as_deref(), params)
        .await?;
    Ok(page.map(|row| {
        let detail = detail_for(who, row.wish.product_id);
        view(app, row.wish, row.pledged_ore, detail)
    }))
}

/// Product `key`'s wishes, newest first unless sorted otherwise.
pub async fn of_product(
    app: &App,
    who: Caller<'_>,
    key: &str,
    filter: &WishFilter,
    params: &ListParams,
) -> AppResult<(product::Model, Page<WishView>)> {
    let product = resolve_product(app.store(), who, key).await?;
    let filter = WishFilter {
        product_id: Some(product.id),
        ..filter.clone()
    };
    let page = list(app, who, &filter, params).await?;
    Ok((product, page))
}

/// Days in each state, in the order first entered, from the transitions (the current
/// state counts until now).
pub fn time_in_states(
    transitions: &[(
        niveau_store::types::WishState,
        chrono::DateTime<chrono::Utc>,
    )],
    now: chrono::DateTime<chrono::Utc>,
) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for (i, (state, at)) in transitions.iter().enumerate() {
        let until = transitions.get(i + 1).map(|(_, t)| *t).unwrap_or(now);
        let days = (until - *at).num_days().max(0);
        match out.iter_mut().find(|(s, _)| s == state.as_str()) {
            Some((_, d)) => *d += days,
            None => out.push((state.as_str().to_owned(), days)),
        }
    }
    out
}

/// Wish `id`'s page.
pub async fn page(app: &App, who: Caller<'_>, id: i32) -> AppResult<WishPage> {
    let (_, product) = visible_wish(app, who, id).await?;
    let detail = app.store().wish(id).await?;
    let pledged = detail.pledged_ore();
    let level = detail_for(who, product.id);
    let settings = app.store().wish_settings(product.id).await?;
    let criteria = rules::criteria(&settings);
    let may_manage = level == Detail::Full;
    let steps = if may_manage {
        rules::steps(&rules::Facts {
            wish: &detail.wish,
            pledged_ore: pledged,
            criteria: &criteria,
            allow_overfunding: settings.allow_overfunding,
        })
    } else {
        Vec::new()
    };
    let mut org_ids: Vec<i32> = detail.pledges.iter().map(|p| p.organisation_id).collect();
    org_ids.extend(detail.wish.organisation_id);
    org_ids.extend(detail.wish.supplier_id);
    let names: BTreeMap<i32, String> = app
        .store()
        .organisations_by_ids(&org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let name = |id: Option<i32>| id.and_then(|id| names.get(&id).cloned());
    let now = app.store().now();
    let time_in_states = time_in_states(
        &detail
            .transitions
            .iter()
            .map(|t| (t.to_state, t.at))
            .collect::<Vec<_>>(),
        now,
    );
    let signed_in = level >= Detail::Details;
    Ok(WishPage {
        organisation: name(detail.wish.organisation_id),
        supplier: if signed_in {
            name(detail.wish.supplier_id)
        } else {
            None
        },
        pledges: detail
            .pledges
            .iter()
            .map(|p| PledgeView {
                organisation: names.get(&p.organisation_id).cloned().unwrap_or_default(),
                pledge: if signed_in {
                    p.clone()
                } else {
                    wish_pledge::Model {
                        note: None,
                        pledged_by: String::new(),
                        ..p.clone()
                    }
                },
            })
            .collect(),
        transitions: if signed_in {
            detail.transitions.clone()
        } else {
            detail
                .transitions
                .iter()
                .map(|t| wish_transition::Model {
                    actor: String::new(),
                    actor_user_id: None,
                    reason: None,
                    ..t.clone()
                })
                .collect()
        },
        comments: if signed_in {
            detail.comments.clone()
        } else {
            Vec::new()
        },
        wish: view(app, detail.wish, pledged, level),
        time_in_states,
        criteria,
        settings,
        steps,
        may_manage,
        may_comment: allowed(who, Action::RaiseWish),
        product,
    })
}

/// Run `f` with the rules' view of the locked wish.
fn facts<'a>(ctx: &'a WishContext<'a>, criteria: &'a [String]) -> rules::Facts<'a> {
    rules::Facts {
        wish: ctx.wish,
        pledged_ore: ctx.pledged_ore,
        criteria,
        allow_overfunding: ctx.settings.allow_overfunding,
    }
}

/// The screening criteria of the product of `ctx`.
fn ctx_criteria(ctx: &WishContext<'_>) -> Vec<String> {
    rules::criteria(ctx.settings)
}

/// Change wish `id`'s description (while it is before its order).
pub async fn describe(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &WishInput,
) -> AppResult<wish::Model> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    Ok(app
        .store()
        .describe_wish(&who.actor(), id, input, |ctx| {
            rules::check_before_order(ctx.wish)
        })
        .await?)
}

/// Move wish `id` to another state, if the process allows it now.
pub async fn step(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &StepInput,
) -> AppResult<wish::Model> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    let after = app
        .store()
        .move_wish(&who.actor(), id, input, |ctx| {
            let criteria = ctx_criteria(ctx);
            rules::check_step(&facts(ctx, &criteria), input.to, input.reason.as_deref())
        })
        .await?;
    crate::notifications::wish_changed(app, w.state, &after).await;
    Ok(after)
}

/// Record the product group's screening of wish `id` against the product's criteria.
pub async fn screen(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &ScreeningInput,
) -> AppResult<wish::Model> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    let after = app
        .store()
        .screen_wish(&who.actor(), id, input, |ctx| {
            rules::check_before_order(ctx.wish)?;
            rules::check_screening(&input.entries, &ctx_criteria(ctx))
        })
        .await?;
    crate::notifications::wish_changed(app, w.state, &after).await;
    Ok(after)
}

/// Attach the supplier's solution description and estimate to wish `id`.
pub async fn estimate(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &EstimateInput,
) -> AppResult<wish::Model> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    let after = app
        .store()
        .estimate_wish(&who.actor(), id, input, |ctx| {
            rules::check_before_order(ctx.wish)
        })
        .await?;
    crate::notifications::wish_changed(app, w.state, &after).await;
    Ok(after)
}

/// Record the coordination group's decision on wish `id`: who pays, a co-funding target,
/// its rank. A target below what is already pledged is refused unless over-funding is
/// allowed.
pub async fn fund(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &FundingInput,
) -> AppResult<wish::Model> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    let after = app
        .store()
        .fund_wish(&who.actor(), id, input, |ctx| {
            rules::check_before_order(ctx.wish)?;
            rules::check_target(
                input.target_ore,
                ctx.pledged_ore,
                ctx.settings.allow_overfunding,
            )
        })
        .await?;
    crate::notifications::wish_changed(app, w.state, &after).await;
    Ok(after)
}

/// Set wish `id`'s place in the order of priority (the prioritisation view).
pub async fn rank(
    app: &App,
    who: Caller<'_>,
    id: i32,
    version: i32,
    rank: Option<i32>,
) -> AppResult<wish::Model> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    Ok(app
        .store()
        .rank_wish(&who.actor(), id, version, rank, |ctx| {
            rules::check_before_order(ctx.wish)
        })
        .await?)
}

/// Register an organisation's pledge of co-funding for wish `id`.
pub async fn pledge(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &PledgeInput,
) -> AppResult<(wish::Model, wish_pledge::Model)> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    Ok(app
        .store()
        .pledge(&who.actor(), id, input, |ctx| {
            let criteria = ctx_criteria(ctx);
            rules::check_pledge(&facts(ctx, &criteria), input.amount_ore)
        })
        .await?)
}

/// Withdraw pledge `pledge_id` of wish `id` (before the order).
pub async fn withdraw(
    app: &App,
    who: Caller<'_>,
    id: i32,
    pledge_id: i32,
    version: i32,
) -> AppResult<wish::Model> {
    let w = authorise_manage(app, who, id).await?;
    let who = require(who, Action::ManageWishes(w.product_id))?;
    Ok(app
        .store()
        .withdraw_pledge(&who.actor(), id, pledge_id, version, |ctx| {
            rules::check_before_order(ctx.wish)
        })
        .await?)
}

/// Comment on wish `id`.
pub async fn comment(
    app: &App,
    who: Caller<'_>,
    id: i32,
    body: &str,
) -> AppResult<wish_comment::Model> {
    authorise_comment(app, who, id).await?;
    let who = require(who, Action::RaiseWish)?;
    Ok(app.store().comment_on_wish(&who.actor(), id, body).await?)
}

/// Product `key`'s settings for wishes and its effective criteria (readers of the
/// portfolio).
pub async fn settings(
    app: &App,
    who: Caller<'_>,
    key: &str,
) -> AppResult<(product::Model, wish_settings::Model, Vec<String>)> {
    let product = resolve_product(app.store(), who, key).await?;
    require(who, Action::ReadPortfolio)?;
    let settings = app.store().wish_settings(product.id).await?;
    let criteria = rules::criteria(&settings);
    Ok((product, settings, criteria))
}

/// Product `key` if the caller handles its wishes (asked before the body is read).
pub async fn authorise_settings(
    app: &App,
    who: Caller<'_>,
    key: &str,
) -> AppResult<product::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    require(who, Action::ManageWishes(product.id))?;
    Ok(product)
}

/// Set product `key`'s settings for wishes (its product group).
pub async fn put_settings(
    app: &App,
    who: Caller<'_>,
    key: &str,
    input: &SettingsInput,
) -> AppResult<wish_settings::Model> {
    let product = authorise_settings(app, who, key).await?;
    let who = require(who, Action::ManageWishes(product.id))?;
    Ok(app
        .store()
        .put_wish_settings(&who.actor(), product.id, input)
        .await?)
}

/// The coordination group's prioritisation view of product `key`: the wishes ready for
/// prioritisation and those decided but not yet ordered, by rank (unranked last), then age.
pub async fn prioritisation(
    app: &App,
    who: Caller<'_>,
    key: &str,
) -> AppResult<(product::Model, Vec<WishView>)> {
    let product = authorise_settings(app, who, key).await?;
    let page = app
        .store()
        .list_wishes(
            &WishFilter {
                product_id: Some(product.id),
                state: Some(niveau_store::types::WishState::KlarTilPrioritering),
                ..Default::default()
            },
            None,
            &ListParams::all(),
        )
        .await?;
    let mut out: Vec<WishView> = page
        .items
        .into_iter()
        .map(|row| view(app, row.wish, row.pledged_ore, Detail::Full))
        .collect();
    out.sort_by_key(|v| (v.wish.rank.is_none(), v.wish.rank, v.wish.created_at));
    Ok((product, out))
}
