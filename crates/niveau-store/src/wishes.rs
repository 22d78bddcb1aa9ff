//! Development wishes (udviklingsønsker): raised, screened, described and estimated by a
//! supplier, decided (who pays, co-funding), ordered and delivered. Every state change is a
//! row of `wish_transition` and an audit event; every change of a wish bumps its version,
//! so two people acting on the same wish at once get a conflict instead of overwriting
//! each other. Pledges lock the wish's row and bump its version in the same transaction:
//! two pledges sent at once cannot both take the last amount of a target.
//!
//! The store keeps the data whole and bounded; which state may follow which, who may do
//! what and when a wish counts as funded are niveau-app's rules, passed in as a check that
//! runs inside the write's transaction on the locked row.

use std::collections::BTreeMap;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

pub use crate::validate::MAX_AMOUNT_ORE;

use crate::Store;
use crate::entity::{
    organisation, product, wish, wish_comment, wish_pledge, wish_settings, wish_transition,
};
use crate::error::{Result, StoreError};
use crate::json::{Screening, StringList};
use crate::list::{ListParams, Page};
use crate::organisations::ensure_organisation;
use crate::query::{lower_like, order, page};
use crate::types::{WishPayer, WishPriority, WishState};
use crate::validate;
use crate::versioned::ensure_exists;
use crate::write::{Actor, Tx, at_version, load_locked, save};

/// The most transitions, pledges and comments one wish's page reads.
pub const DETAIL_LIMIT: u64 = 500;
/// The most wishes the portfolio overview and the statistics read.
pub const FACTS_LIMIT: u64 = 50_000;
/// The default target time from raised to delivered: six months, as OS2's product groups
/// set it.
pub const DEFAULT_TARGET_DAYS: i32 = 183;

/// What a person sends to raise a wish, or to change its description.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WishInput {
    /// Title.
    pub title: String,
    /// The business need (forretningsbehov).
    pub need: String,
    /// The proposed change.
    #[serde(default)]
    pub proposal: Option<String>,
    /// The value it brings.
    #[serde(default)]
    pub value: Option<String>,
    /// The organisation raising it.
    #[serde(default)]
    pub organisation_id: Option<i32>,
    /// The person raising it (the signed-in user's name when left out).
    #[serde(default)]
    pub raised_by: Option<String>,
    /// The person's e-mail address.
    #[serde(default)]
    pub raised_by_email: Option<String>,
    /// The priority the requester perceives.
    #[serde(default = "default_priority")]
    pub priority: WishPriority,
    /// Why high or critical (required then).
    #[serde(default)]
    pub priority_reason: Option<String>,
    /// The version the change is based on (changes only).
    #[serde(default)]
    pub version: Option<i32>,
}

fn default_priority() -> WishPriority {
    WishPriority::Middel
}

/// A wish's description, checked.
struct Description {
    title: String,
    need: String,
    proposal: Option<String>,
    value: Option<String>,
    organisation_id: Option<i32>,
    raised_by: Option<String>,
    raised_by_email: Option<String>,
    priority: WishPriority,
    priority_reason: Option<String>,
}

fn describe(input: &WishInput) -> Result<Description> {
    let priority_reason =
        validate::optional("priority_reason", input.priority_reason.as_deref(), 5_000)?;
    if matches!(input.priority, WishPriority::Hoej | WishPriority::Kritisk)
        && priority_reason.is_none()
    {
        return Err(StoreError::invalid(
            "priority_reason",
            "skal udfyldes, når prioriteten er høj eller kritisk",
            "is required when the priority is high or critical",
        ));
    }
    Ok(Description {
        title: validate::required("title", &input.title, 300)?,
        need: validate::required("need", &input.need, 20_000)?,
        proposal: validate::optional("proposal", input.proposal.as_deref(), 20_000)?,
        value: validate::optional("value", input.value.as_deref(), 20_000)?,
        organisation_id: input.organisation_id,
        raised_by: validate::optional("raised_by", input.raised_by.as_deref(), 200)?,
        raised_by_email: validate::email("raised_by_email", input.raised_by_email.as_deref())?,
        priority: input.priority,
        priority_reason,
    })
}

/// A wish taken from an existing backlog: its description, where it stands, when it was
/// raised and its key there.
#[derive(Debug, Clone)]
pub struct ImportedWish {
    /// The description.
    pub input: WishInput,
    /// Its state in the backlog.
    pub state: WishState,
    /// When it was raised there, if known (else now).
    pub created: Option<chrono::NaiveDate>,
    /// Its key there (Jira key, GitHub URL).
    pub external_key: Option<String>,
    /// The estimate in hours.
    pub estimate_hours: Option<i64>,
    /// The estimate in øre.
    pub estimate_ore: Option<i64>,
    /// Who pays, when the backlog says.
    pub payer: Option<WishPayer>,
    /// The co-funding target in øre, when the backlog says.
    pub target_ore: Option<i64>,
}

/// What the coordination group (or the supplier) sends as the solution and its estimate.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EstimateInput {
    /// The supplier that describes and estimates.
    pub supplier_id: i32,
    /// The solution description.
    pub solution: String,
    /// Link to a longer description.
    #[serde(default)]
    pub solution_url: Option<String>,
    /// Hours.
    #[serde(default)]
    pub estimate_hours: Option<i64>,
    /// Price in øre.
    #[serde(default)]
    pub estimate_ore: Option<i64>,
    /// The version the change is based on.
    pub version: i32,
}

/// What the coordination or steering group decides: who pays, a co-funding target, the
/// wish's place in the order of priority.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingInput {
    /// Who pays.
    pub payer: WishPayer,
    /// The co-funding target in øre (pledges are collected until it is reached).
    #[serde(default)]
    pub target_ore: Option<i64>,
    /// Its place in the order of priority (1 first).
    #[serde(default)]
    pub rank: Option<i32>,
    /// The group that decided.
    #[serde(default)]
    pub group_id: Option<i32>,
    /// The reasons.
    #[serde(default)]
    pub reason: Option<String>,
    /// The version the change is based on.
    pub version: i32,
}

/// A screening as the product group sends it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningInput {
    /// One entry per criterion.
    pub entries: Vec<crate::json::ScreeningEntry>,
    /// The version the change is based on.
    pub version: i32,
}

/// A state change as a person asks for it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// The state to move to.
    pub to: WishState,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
    /// The version the change is based on.
    pub version: i32,
}

/// A pledge of co-funding as an organisation's representative sends it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PledgeInput {
    /// The organisation pledging.
    pub organisation_id: i32,
    /// The amount in øre.
    pub amount_ore: i64,
    /// A note (conditions, budget year).
    #[serde(default)]
    pub note: Option<String>,
    /// The version of the wish the pledge is based on.
    pub version: i32,
}

/// A product's settings for wishes as a client sends them.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsInput {
    /// The screening criteria.
    pub criteria: Vec<String>,
    /// Whether pledges may exceed a wish's target.
    #[serde(default)]
    pub allow_overfunding: bool,
    /// The target number of days from raised to delivered.
    #[serde(default = "default_target_days")]
    pub target_days: i32,
    /// The version the change is based on (none when the product has no settings yet).
    #[serde(default)]
    pub version: Option<i32>,
}

fn default_target_days() -> i32 {
    DEFAULT_TARGET_DAYS
}

/// Filters for the wish list.
#[derive(Debug, Clone, Default, Deserialize, Serialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WishFilter {
    /// Only this product's wishes.
    pub product_id: Option<i32>,
    /// Only wishes in this state.
    pub state: Option<WishState>,
    /// Only wishes still on their way (true) or only delivered and rejected (false).
    pub open: Option<bool>,
    /// Only wishes raised by this organisation.
    pub organisation_id: Option<i32>,
}

/// A wish in a list, with what is pledged for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishRow {
    /// The wish.
    #[serde(flatten)]
    pub wish: wish::Model,
    /// The sum of the pledges not withdrawn, in øre.
    pub pledged_ore: i64,
}

/// A wish with its history, pledges and comments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishDetail {
    /// The wish.
    pub wish: wish::Model,
    /// Its state changes, oldest first.
    pub transitions: Vec<wish_transition::Model>,
    /// Its pledges, withdrawn ones included, oldest first.
    pub pledges: Vec<wish_pledge::Model>,
    /// Its comments, oldest first.
    pub comments: Vec<wish_comment::Model>,
}

impl WishDetail {
    /// The sum of the pledges not withdrawn, in øre.
    pub fn pledged_ore(&self) -> i64 {
        pledged(&self.pledges)
    }
}

fn pledged(pledges: &[wish_pledge::Model]) -> i64 {
    pledges
        .iter()
        .filter(|p| p.withdrawn_at.is_none())
        .map(|p| p.amount_ore)
        .sum()
}

/// What the application's rules see when a wish changes: the locked wish, what is pledged
/// and the product's settings.
#[derive(Debug)]
pub struct WishContext<'a> {
    /// The wish as stored, locked.
    pub wish: &'a wish::Model,
    /// The sum of the pledges not withdrawn, in øre.
    pub pledged_ore: i64,
    /// The product's settings (the defaults when it has none).
    pub settings: &'a wish_settings::Model,
}

/// The facts about a wish that the overview and the statistics read: no texts.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult, Serialize, ToSchema)]
pub struct WishFacts {
    /// Id.
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// Title.
    pub title: String,
    /// The organisation that raised it.
    pub organisation_id: Option<i32>,
    /// Priority.
    pub priority: WishPriority,
    /// State.
    pub state: WishState,
    /// Since when.
    pub state_since: chrono::DateTime<chrono::Utc>,
    /// Who pays.
    pub payer: Option<WishPayer>,
    /// The estimate in øre.
    pub estimate_ore: Option<i64>,
    /// The co-funding target in øre.
    pub target_ore: Option<i64>,
    /// Rank.
    pub rank: Option<i32>,
    /// Raised.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Delivered.
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The facts about a pledge that the overview and the statistics read.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult, Serialize, ToSchema)]
pub struct PledgeFacts {
    /// Id.
    pub id: i32,
    /// The wish.
    pub wish_id: i32,
    /// The organisation.
    pub organisation_id: i32,
    /// Amount in øre.
    pub amount_ore: i64,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The facts about a state change that the bottleneck statistics read.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult, Serialize, ToSchema)]
pub struct TransitionFacts {
    /// The wish.
    pub wish_id: i32,
    /// The state entered.
    pub to_state: WishState,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// Everything the overview and the statistics read about the portfolio's wishes, bounded
/// by [`FACTS_LIMIT`].
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct WishPortfolio {
    /// The wishes, oldest first.
    pub wishes: Vec<WishFacts>,
    /// Their pledges not withdrawn.
    pub pledges: Vec<PledgeFacts>,
    /// Their state changes, oldest first.
    pub transitions: Vec<TransitionFacts>,
    /// Whether there were more wishes than were read.
    pub truncated: bool,
}

/// The settings a product without any has.
pub fn default_settings(
    product_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> wish_settings::Model {
    wish_settings::Model {
        id: 0,
        product_id,
        criteria: StringList::default(),
        allow_overfunding: false,
        target_days: DEFAULT_TARGET_DAYS,
        version: 0,
        created_at: now,
        updated_at: now,
    }
}

async fn settings_in(
    db: &impl sea_orm::ConnectionTrait,
    product_id: i32,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<wish_settings::Model> {
    Ok(wish_settings::Entity::find()
        .filter(wish_settings::Column::ProductId.eq(product_id))
        .one(db)
        .await?
        .unwrap_or_else(|| default_settings(product_id, now)))
}

async fn pledges_of(
    db: &impl sea_orm::ConnectionTrait,
    wish_id: i32,
) -> Result<Vec<wish_pledge::Model>> {
    Ok(wish_pledge::Entity::find()
        .filter(wish_pledge::Column::WishId.eq(wish_id))
        .order_by_asc(wish_pledge::Column::Id)
        .limit(DETAIL_LIMIT)
        .all(db)
        .await?)
}

/// Lock wish `id`, check it is at `expected`, and hand the rules its context.
async fn lock_wish<'a, F>(
    tx: &Tx<'a>,
    id: i32,
    expected: i32,
    check: F,
) -> Result<(wish::Model, i64)>
where
    F: FnOnce(&WishContext<'_>) -> Result<()>,
{
    let before =
        at_version::<wish::Entity>(load_locked::<wish::Entity>(&tx.txn, id).await?, expected)?;
    let pledged_ore = pledged(&pledges_of(&tx.txn, id).await?);
    let settings = settings_in(&tx.txn, before.product_id, tx.now).await?;
    check(&WishContext {
        wish: &before,
        pledged_ore,
        settings: &settings,
    })?;
    Ok((before, pledged_ore))
}

async fn transition(
    tx: &Tx<'_>,
    wish_id: i32,
    from: Option<WishState>,
    to: WishState,
    at: chrono::DateTime<chrono::Utc>,
    reason: Option<String>,
) -> Result<wish_transition::Model> {
    Ok(wish_transition::ActiveModel {
        wish_id: Set(wish_id),
        from_state: Set(from),
        to_state: Set(to),
        at: Set(at),
        actor: Set(tx.actor.name.clone()),
        actor_user_id: Set(tx.actor.user_id),
        reason: Set(reason),
        ..Default::default()
    }
    .insert(&tx.txn)
    .await?)
}

async fn check_references(txn: &DatabaseTransaction, d: &Description) -> Result<()> {
    if let Some(org) = d.organisation_id {
        ensure_organisation(txn, "organisation_id", org).await?;
    }
    Ok(())
}

async fn insert_wish(
    tx: &Tx<'_>,
    product_id: i32,
    d: Description,
    state: WishState,
    created: chrono::DateTime<chrono::Utc>,
    extra: wish::ActiveModel,
) -> Result<wish::Model> {
    let mut row = extra;
    row.product_id = Set(product_id);
    row.title = Set(d.title);
    row.need = Set(d.need);
    row.proposal = Set(d.proposal);
    row.value = Set(d.value);
    row.organisation_id = Set(d.organisation_id);
    row.raised_by = Set(d.raised_by.unwrap_or_else(|| tx.actor.name.clone()));
    row.raised_by_email = Set(d.raised_by_email);
    row.raised_by_user_id = Set(tx.actor.user_id);
    row.priority = Set(d.priority);
    row.priority_reason = Set(d.priority_reason);
    row.state = Set(state);
    row.state_since = Set(created);
    row.version = Set(1);
    row.created_at = Set(created);
    row.updated_at = Set(tx.now);
    Ok(row.insert(&tx.txn).await?)
}

impl Store {
    /// Raise a wish for a product that exists and is not archived; it starts as `ny`,
    /// with its first transition.
    pub async fn raise_wish(
        &self,
        actor: &Actor,
        product_id: i32,
        input: &WishInput,
    ) -> Result<wish::Model> {
        let d = describe(input)?;
        let tx = self.tx(actor).await?;
        ensure_exists::<product::Entity>(&tx.txn, "product_id", product_id, ("produkt", "product"))
            .await?;
        check_references(&tx.txn, &d).await?;
        let now = tx.now;
        let row = insert_wish(&tx, product_id, d, WishState::Ny, now, Default::default()).await?;
        transition(&tx, row.id, None, WishState::Ny, now, None).await?;
        tx.audit("create", "wish", Some(row.id), None::<&()>, Some(&row))
            .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Import wishes from an existing backlog into a product, all or nothing. A key that
    /// the product already holds is refused (the file was imported before).
    pub async fn import_wishes(
        &self,
        actor: &Actor,
        product_id: i32,
        rows: &[ImportedWish],
        source: &str,
    ) -> Result<Vec<wish::Model>> {
        let mut checked = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let d = describe(&row.input).map_err(|e| prefix(i, e))?;
            let hours =
                validate::hours("estimate_hours", row.estimate_hours).map_err(|e| prefix(i, e))?;
            let ore =
                validate::amount_ore("estimate_ore", row.estimate_ore).map_err(|e| prefix(i, e))?;
            validate::amount_ore("target_ore", row.target_ore).map_err(|e| prefix(i, e))?;
            checked.push((row, d, hours, ore));
        }
        let tx = self.tx(actor).await?;
        ensure_exists::<product::Entity>(&tx.txn, "product_id", product_id, ("produkt", "product"))
            .await?;
        let keys: Vec<String> = rows.iter().filter_map(|r| r.external_key.clone()).collect();
        let taken: Vec<(String, i32)> = wish::Entity::find()
            .select_only()
            .column(wish::Column::ExternalKey)
            .column(wish::Column::Id)
            .filter(wish::Column::ProductId.eq(product_id))
            .filter(wish::Column::ExternalKey.is_in(keys))
            .into_tuple::<(Option<String>, i32)>()
            .all(&tx.txn)
            .await?
            .into_iter()
            .filter_map(|(k, id)| k.map(|k| (k, id)))
            .collect();
        if let Some((key, id)) = taken.first() {
            return Err(StoreError::invalid(
                "external_key",
                format!("{key} er allerede importeret som ønske {id}"),
                format!("{key} was already imported as wish {id}"),
            ));
        }
        let mut out = Vec::with_capacity(checked.len());
        for (i, (row, d, hours, ore)) in checked.into_iter().enumerate() {
            check_references(&tx.txn, &d)
                .await
                .map_err(|e| prefix(i, e))?;
            let created = row
                .created
                .and_then(|day| day.and_hms_opt(12, 0, 0))
                .map(|t| t.and_utc())
                .filter(|t| *t <= tx.now)
                .unwrap_or(tx.now);
            let extra = wish::ActiveModel {
                external_key: Set(row.external_key.clone()),
                estimate_hours: Set(hours),
                estimate_ore: Set(ore),
                payer: Set(row.payer),
                target_ore: Set(row.target_ore),
                delivered_at: Set((row.state == WishState::Leveret).then_some(created)),
                ..Default::default()
            };
            let w = insert_wish(&tx, product_id, d, row.state, created, extra).await?;
            transition(
                &tx,
                w.id,
                None,
                row.state,
                created,
                Some(format!("importeret fra {source}")),
            )
            .await?;
            tx.audit("import", "wish", Some(w.id), None::<&()>, Some(&w))
                .await?;
            out.push(w);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Change a wish's description (its state, screening, estimate and funding change
    /// through their own operations).
    pub async fn describe_wish(
        &self,
        actor: &Actor,
        id: i32,
        input: &WishInput,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<wish::Model> {
        let d = describe(input)?;
        let expected = input
            .version
            .ok_or_else(|| StoreError::invalid("version", "skal udfyldes", "is required"))?;
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, id, expected, check).await?;
        check_references(&tx.txn, &d).await?;
        let changes = wish::ActiveModel {
            title: Set(d.title),
            need: Set(d.need),
            proposal: Set(d.proposal),
            value: Set(d.value),
            organisation_id: Set(d.organisation_id),
            raised_by: Set(d.raised_by.unwrap_or_else(|| before.raised_by.clone())),
            raised_by_email: Set(d.raised_by_email),
            priority: Set(d.priority),
            priority_reason: Set(d.priority_reason),
            ..Default::default()
        };
        finish(tx, "update", before, expected, changes).await
    }

    /// Move a wish to another state, if `check` allows it; records the transition.
    pub async fn move_wish(
        &self,
        actor: &Actor,
        id: i32,
        input: &StepInput,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<wish::Model> {
        let reason = validate::optional("reason", input.reason.as_deref(), 5_000)?;
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, id, input.version, check).await?;
        let now = tx.now;
        transition(&tx, id, Some(before.state), input.to, now, reason).await?;
        let changes = wish::ActiveModel {
            state: Set(input.to),
            state_since: Set(now),
            delivered_at: Set((input.to == WishState::Leveret).then_some(now)),
            ..Default::default()
        };
        finish(tx, "transition", before, input.version, changes).await
    }

    /// Record the product group's screening, if `check` allows it.
    pub async fn screen_wish(
        &self,
        actor: &Actor,
        id: i32,
        input: &ScreeningInput,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<wish::Model> {
        let mut entries = Vec::with_capacity(input.entries.len());
        for (i, e) in input.entries.iter().enumerate() {
            entries.push(crate::json::ScreeningEntry {
                criterion: validate::required(
                    &format!("entries[{i}].criterion"),
                    &e.criterion,
                    200,
                )?,
                rating: e.rating,
                note: validate::optional(&format!("entries[{i}].note"), e.note.as_deref(), 5_000)?,
            });
        }
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, id, input.version, check).await?;
        let changes = wish::ActiveModel {
            screening: Set(Some(Screening(entries))),
            screened_by: Set(Some(actor.name.clone())),
            screened_at: Set(Some(tx.now)),
            ..Default::default()
        };
        finish(tx, "screen", before, input.version, changes).await
    }

    /// Attach the supplier's solution description and estimate, if `check` allows it.
    pub async fn estimate_wish(
        &self,
        actor: &Actor,
        id: i32,
        input: &EstimateInput,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<wish::Model> {
        let solution = validate::required("solution", &input.solution, 20_000)?;
        let solution_url = validate::url("solution_url", input.solution_url.as_deref())?;
        let hours = validate::hours("estimate_hours", input.estimate_hours)?;
        let ore = validate::amount_ore("estimate_ore", input.estimate_ore)?;
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, id, input.version, check).await?;
        ensure_organisation(&tx.txn, "supplier_id", input.supplier_id).await?;
        let changes = wish::ActiveModel {
            supplier_id: Set(Some(input.supplier_id)),
            solution: Set(Some(solution)),
            solution_url: Set(solution_url),
            estimate_hours: Set(hours),
            estimate_ore: Set(ore),
            ..Default::default()
        };
        finish(tx, "estimate", before, input.version, changes).await
    }

    /// Record who pays, the co-funding target and the rank, if `check` allows it.
    pub async fn fund_wish(
        &self,
        actor: &Actor,
        id: i32,
        input: &FundingInput,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<wish::Model> {
        let target = validate::amount_ore("target_ore", input.target_ore)?;
        let reason = validate::optional("reason", input.reason.as_deref(), 5_000)?;
        check_rank(input.rank)?;
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, id, input.version, check).await?;
        if let Some(group) = input.group_id {
            ensure_exists::<crate::entity::work_group::Entity>(
                &tx.txn,
                "group_id",
                group,
                ("gruppe", "group"),
            )
            .await?;
        }
        let changes = wish::ActiveModel {
            payer: Set(Some(input.payer)),
            target_ore: Set(target),
            rank: Set(input.rank),
            decided_by_group_id: Set(input.group_id),
            decision_reason: Set(reason),
            ..Default::default()
        };
        finish(tx, "fund", before, input.version, changes).await
    }

    /// Set only a wish's place in the order of priority (the prioritisation view).
    pub async fn rank_wish(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        rank: Option<i32>,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<wish::Model> {
        check_rank(rank)?;
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, id, expected, check).await?;
        let changes = wish::ActiveModel {
            rank: Set(rank),
            ..Default::default()
        };
        finish(tx, "rank", before, expected, changes).await
    }

    /// Pledge co-funding, if `check` allows it (it sees what is pledged already, on the
    /// locked wish). The wish's version is bumped, so a second pledge based on the same
    /// version is a conflict.
    pub async fn pledge(
        &self,
        actor: &Actor,
        wish_id: i32,
        input: &PledgeInput,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<(wish::Model, wish_pledge::Model)> {
        let amount = validate::amount_ore("amount_ore", Some(input.amount_ore))?.unwrap_or(0);
        if amount == 0 {
            return Err(StoreError::invalid(
                "amount_ore",
                "et tilsagn skal være større end 0 kr.",
                "a pledge must be more than DKK 0",
            ));
        }
        let note = validate::optional("note", input.note.as_deref(), 2_000)?;
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, wish_id, input.version, check).await?;
        ensure_organisation(&tx.txn, "organisation_id", input.organisation_id).await?;
        let row = wish_pledge::ActiveModel {
            wish_id: Set(wish_id),
            organisation_id: Set(input.organisation_id),
            amount_ore: Set(amount),
            note: Set(note),
            pledged_by: Set(actor.name.clone()),
            created_at: Set(tx.now),
            withdrawn_at: Set(None),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        tx.audit(
            "create",
            "wish_pledge",
            Some(row.id),
            None::<&()>,
            Some(&row),
        )
        .await?;
        let after = finish(tx, "pledge", before, input.version, Default::default()).await?;
        Ok((after, row))
    }

    /// Withdraw a pledge, if `check` allows it; it stays in the history as withdrawn.
    pub async fn withdraw_pledge(
        &self,
        actor: &Actor,
        wish_id: i32,
        pledge_id: i32,
        expected: i32,
        check: impl FnOnce(&WishContext<'_>) -> Result<()> + Send,
    ) -> Result<wish::Model> {
        let tx = self.tx(actor).await?;
        let (before, _) = lock_wish(&tx, wish_id, expected, check).await?;
        let pledge = wish_pledge::Entity::find_by_id(pledge_id)
            .one(&tx.txn)
            .await?
            .filter(|p| p.wish_id == wish_id)
            .ok_or_else(|| StoreError::not_found("wish_pledge", pledge_id))?;
        if pledge.withdrawn_at.is_some() {
            return Err(StoreError::state(
                "tilsagnet er allerede trukket tilbage",
                "the pledge is already withdrawn",
            ));
        }
        let mut active: wish_pledge::ActiveModel = pledge.clone().into();
        active.withdrawn_at = Set(Some(tx.now));
        let after_pledge = active.update(&tx.txn).await?;
        tx.audit(
            "withdraw",
            "wish_pledge",
            Some(pledge_id),
            Some(&pledge),
            Some(&after_pledge),
        )
        .await?;
        finish(tx, "pledge", before, expected, Default::default()).await
    }

    /// Comment on a wish (append-only).
    pub async fn comment_on_wish(
        &self,
        actor: &Actor,
        wish_id: i32,
        body: &str,
    ) -> Result<wish_comment::Model> {
        let body = validate::required("body", body, 10_000)?;
        let tx = self.tx(actor).await?;
        ensure_exists::<wish::Entity>(&tx.txn, "wish_id", wish_id, ("ønske", "wish")).await?;
        let row = wish_comment::ActiveModel {
            wish_id: Set(wish_id),
            author: Set(actor.name.clone()),
            author_user_id: Set(actor.user_id),
            body: Set(body),
            created_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        tx.audit(
            "create",
            "wish_comment",
            Some(row.id),
            None::<&()>,
            Some(&row),
        )
        .await?;
        tx.commit().await?;
        Ok(row)
    }

    /// One wish's row, without its history, pledges and comments.
    pub async fn wish_row(&self, id: i32) -> Result<wish::Model> {
        wish::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("wish", id))
    }

    /// One wish with its history, pledges and comments (each bounded by [`DETAIL_LIMIT`]).
    pub async fn wish(&self, id: i32) -> Result<WishDetail> {
        let wish = self.wish_row(id).await?;
        let transitions = wish_transition::Entity::find()
            .filter(wish_transition::Column::WishId.eq(id))
            .order_by_asc(wish_transition::Column::At)
            .order_by_asc(wish_transition::Column::Id)
            .limit(DETAIL_LIMIT)
            .all(self.conn())
            .await?;
        let comments = wish_comment::Entity::find()
            .filter(wish_comment::Column::WishId.eq(id))
            .order_by_asc(wish_comment::Column::Id)
            .limit(DETAIL_LIMIT)
            .all(self.conn())
            .await?;
        Ok(WishDetail {
            pledges: pledges_of(self.conn(), id).await?,
            wish,
            transitions,
            comments,
        })
    }

    /// Wishes (of the products `within`, when given) with what is pledged for each; sort
    /// keys `created_at`, `title`, `state`, `priority`, `rank`, `state_since`, `updated_at`.
    pub async fn list_wishes(
        &self,
        filter: &WishFilter,
        within: Option<&[i32]>,
        params: &ListParams,
    ) -> Result<Page<WishRow>> {
        use wish::Column as C;
        let mut q = wish::Entity::find();
        if let Some(ids) = within {
            q = q.filter(C::ProductId.is_in(ids.to_vec()));
        }
        if let Some(product) = filter.product_id {
            q = q.filter(C::ProductId.eq(product));
        }
        if let Some(state) = filter.state {
            q = q.filter(C::State.eq(state));
        }
        if let Some(org) = filter.organisation_id {
            q = q.filter(C::OrganisationId.eq(org));
        }
        match filter.open {
            Some(true) => q = q.filter(C::State.is_not_in([WishState::Leveret, WishState::Afvist])),
            Some(false) => q = q.filter(C::State.is_in([WishState::Leveret, WishState::Afvist])),
            None => {}
        }
        if let Some(text) = params.query() {
            q = q.filter(lower_like(C::Title, &text));
        }
        let (key, desc) = params.sort_key(
            &[
                "created_at",
                "title",
                "state",
                "priority",
                "rank",
                "state_since",
                "updated_at",
            ],
            "-created_at",
        )?;
        let col = match key {
            "title" => C::Title,
            "state" => C::State,
            "priority" => C::Priority,
            "rank" => C::Rank,
            "state_since" => C::StateSince,
            "updated_at" => C::UpdatedAt,
            _ => C::CreatedAt,
        };
        q = q.order_by(col, order(desc)).order_by(C::Id, order(desc));
        let page = page(q, params, self.conn()).await?;
        let sums = pledge_sums(self.conn(), page.items.iter().map(|w| w.id).collect()).await?;
        Ok(page.map(|wish| WishRow {
            pledged_ore: sums.get(&wish.id).copied().unwrap_or(0),
            wish,
        }))
    }

    /// The facts about every wish (at most [`FACTS_LIMIT`], oldest first), their pledges
    /// and their state changes: what the overview and the statistics count. Reads no texts.
    pub async fn wish_portfolio(&self, product_id: Option<i32>) -> Result<WishPortfolio> {
        use wish::Column as C;
        let mut q = wish::Entity::find()
            .select_only()
            .columns([
                C::Id,
                C::ProductId,
                C::Title,
                C::OrganisationId,
                C::Priority,
                C::State,
                C::StateSince,
                C::Payer,
                C::EstimateOre,
                C::TargetOre,
                C::Rank,
                C::CreatedAt,
                C::DeliveredAt,
            ])
            .order_by_asc(C::CreatedAt)
            .order_by_asc(C::Id)
            .limit(FACTS_LIMIT + 1);
        if let Some(product) = product_id {
            q = q.filter(C::ProductId.eq(product));
        }
        let mut wishes = q.into_model::<WishFacts>().all(self.conn()).await?;
        let truncated = wishes.len() as u64 > FACTS_LIMIT;
        wishes.truncate(FACTS_LIMIT as usize);
        let (Some(first), Some(last)) = (
            wishes.iter().map(|w| w.id).min(),
            wishes.iter().map(|w| w.id).max(),
        ) else {
            return Ok(WishPortfolio::default());
        };
        let ids: std::collections::BTreeSet<i32> = wishes.iter().map(|w| w.id).collect();
        // By id range, not by a list of ids: a list of 50 000 bound parameters is more
        // than SQLite and PostgreSQL accept in one statement.
        let pledges = wish_pledge::Entity::find()
            .select_only()
            .columns([
                wish_pledge::Column::Id,
                wish_pledge::Column::WishId,
                wish_pledge::Column::OrganisationId,
                wish_pledge::Column::AmountOre,
                wish_pledge::Column::CreatedAt,
            ])
            .filter(wish_pledge::Column::WithdrawnAt.is_null())
            .filter(wish_pledge::Column::WishId.between(first, last))
            .order_by_asc(wish_pledge::Column::Id)
            .limit(FACTS_LIMIT * 20)
            .into_model::<PledgeFacts>()
            .all(self.conn())
            .await?
            .into_iter()
            .filter(|p| ids.contains(&p.wish_id))
            .collect();
        let transitions = wish_transition::Entity::find()
            .select_only()
            .columns([
                wish_transition::Column::WishId,
                wish_transition::Column::ToState,
                wish_transition::Column::At,
            ])
            .filter(wish_transition::Column::WishId.between(first, last))
            .order_by_asc(wish_transition::Column::At)
            .order_by_asc(wish_transition::Column::Id)
            .limit(FACTS_LIMIT * 20)
            .into_model::<TransitionFacts>()
            .all(self.conn())
            .await?
            .into_iter()
            .filter(|t| ids.contains(&t.wish_id))
            .collect();
        Ok(WishPortfolio {
            wishes,
            pledges,
            transitions,
            truncated,
        })
    }

    /// Every product's settings for wishes that has set any (at most [`FACTS_LIMIT`]).
    pub async fn all_wish_settings(&self) -> Result<Vec<wish_settings::Model>> {
        Ok(wish_settings::Entity::find()
            .order_by_asc(wish_settings::Column::ProductId)
            .limit(FACTS_LIMIT)
            .all(self.conn())
            .await?)
    }

    /// A product's settings for wishes (the defaults when it has none).
    pub async fn wish_settings(&self, product_id: i32) -> Result<wish_settings::Model> {
        settings_in(self.conn(), product_id, self.now()).await
    }

    /// Set a product's settings for wishes: created at version 1, or changed at the version
    /// the caller saw.
    pub async fn put_wish_settings(
        &self,
        actor: &Actor,
        product_id: i32,
        input: &SettingsInput,
    ) -> Result<wish_settings::Model> {
        if input.criteria.len() > 20 {
            return Err(StoreError::invalid(
                "criteria",
                "højst 20 kriterier",
                "at most 20 criteria",
            ));
        }
        let mut criteria: Vec<String> = Vec::with_capacity(input.criteria.len());
        for (i, c) in input.criteria.iter().enumerate() {
            let c = validate::required(&format!("criteria[{i}]"), c, 200)?;
            if criteria.contains(&c) {
                return Err(StoreError::invalid(
                    format!("criteria[{i}]"),
                    format!("'{c}' står der allerede"),
                    format!("'{c}' is already listed"),
                ));
            }
            criteria.push(c);
        }
        if !(1..=3650).contains(&input.target_days) {
            return Err(StoreError::invalid(
                "target_days",
                "et antal dage fra 1 til 3650",
                "a number of days from 1 to 3650",
            ));
        }
        let tx = self.tx(actor).await?;
        ensure_exists::<product::Entity>(&tx.txn, "product_id", product_id, ("produkt", "product"))
            .await?;
        let before = wish_settings::Entity::find()
            .filter(wish_settings::Column::ProductId.eq(product_id))
            .one(&tx.txn)
            .await?;
        let after = match (&before, input.version) {
            (None, _) => {
                wish_settings::ActiveModel {
                    product_id: Set(product_id),
                    criteria: Set(StringList(criteria)),
                    allow_overfunding: Set(input.allow_overfunding),
                    target_days: Set(input.target_days),
                    version: Set(1),
                    created_at: Set(tx.now),
                    updated_at: Set(tx.now),
                    ..Default::default()
                }
                .insert(&tx.txn)
                .await?
            }
            (Some(b), expected) => {
                let expected = expected.unwrap_or(0);
                let changes = wish_settings::ActiveModel {
                    criteria: Set(StringList(criteria)),
                    allow_overfunding: Set(input.allow_overfunding),
                    target_days: Set(input.target_days),
                    updated_at: Set(tx.now),
                    ..Default::default()
                };
                save::<wish_settings::Entity>(&tx.txn, b.id, expected, changes).await?
            }
        };
        tx.audit(
            if before.is_some() { "update" } else { "create" },
            "wish_settings",
            Some(after.id),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The ids of the organisations with these names, compared trimmed and without regard
    /// to case (Unicode, so `ÆRØ` finds `Ærø`), for an import. Reads ids and names only.
    pub async fn organisations_named(&self, names: &[String]) -> Result<BTreeMap<String, i32>> {
        let wanted: std::collections::BTreeSet<String> =
            names.iter().map(|n| n.trim().to_lowercase()).collect();
        if wanted.is_empty() {
            return Ok(BTreeMap::new());
        }
        let all: Vec<(i32, String)> = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::Name)
            .limit(100_000)
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(all
            .into_iter()
            .map(|(id, name)| (name.trim().to_lowercase(), id))
            .filter(|(name, _)| wanted.contains(name))
            .collect())
    }
}

/// A place in the order of priority: 1 (first) to 10 000, or none.
fn check_rank(rank: Option<i32>) -> Result<()> {
    match rank {
        Some(r) if !(1..=10_000).contains(&r) => Err(StoreError::invalid(
            "rank",
            "et tal fra 1 (først) til 10000",
            "a number from 1 (first) to 10000",
        )),
        _ => Ok(()),
    }
}

/// The sums of the pledges not withdrawn of these wishes, by wish.
async fn pledge_sums(
    db: &impl sea_orm::ConnectionTrait,
    ids: Vec<i32>,
) -> Result<BTreeMap<i32, i64>> {
    if ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows: Vec<(i32, i64)> = wish_pledge::Entity::find()
        .select_only()
        .column(wish_pledge::Column::WishId)
        .column(wish_pledge::Column::AmountOre)
        .filter(wish_pledge::Column::WishId.is_in(ids))
        .filter(wish_pledge::Column::WithdrawnAt.is_null())
        .into_tuple()
        .all(db)
        .await?;
    let mut sums = BTreeMap::new();
    for (wish, amount) in rows {
        *sums.entry(wish).or_insert(0) += amount;
    }
    Ok(sums)
}

/// Write `changes` to the locked wish at `expected`, record the audit event and commit.
async fn finish(
    tx: Tx<'_>,
    action: &str,
    before: wish::Model,
    expected: i32,
    mut changes: wish::ActiveModel,
) -> Result<wish::Model> {
    changes.updated_at = Set(tx.now);
    let after = save::<wish::Entity>(&tx.txn, before.id, expected, changes).await?;
    tx.audit(action, "wish", Some(before.id), Some(&before), Some(&after))
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// An import row's error, named by its place in the file's rows (`rows[3].title`).
fn prefix(index: usize, err: StoreError) -> StoreError {
    match err {
        StoreError::Invalid { field, message } => StoreError::Invalid {
            field: format!("rows[{index}].{field}"),
            message,
        },
        other => other,
    }
}
