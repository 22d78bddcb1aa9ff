//! The product process from idea to product (#13): the stages and transitions of
//! models/product-process.toml ([`table`]), the rules that allow or refuse a step
//! ([`rules`]), and the operations: what a product's process looks like to the caller
//! ([`view`]) and taking a step ([`step`]). Every step is a `stadie` decision in the
//! decision log, written in the store's transaction after the rules have been checked
//! against the product and its log as they are in that transaction. The board's steps
//! come from its decisions on board cases ([`crate::board`]).
//!
//! | step (`id`) | from | to | decided by | needs |
//! |---|---|---|---|---|
//! | koncept | idé | koncept | sekretariat | a level |
//! | tilbageloeb | koncept | idé | sekretariat, bestyrelse | reasons |
//! | igangsaet | koncept | projekt | sekretariat, bestyrelse | a level; at level 2/3 the board's approval |
//! | genovervej | projekt | idé | bestyrelse | reasons |
//! | produkt | projekt | produkt | sekretariat, bestyrelse | a level; at level 2/3 the board's approval; a user organisation |
//! | afvis | idé, koncept, projekt | afvist | sekretariat, bestyrelse (at level 2/3 only the board) | reasons |
//! | pause | idé, koncept, projekt, produkt | pauset | sekretariat, bestyrelse | reasons |
//! | genoptag | pauset | the stage before | sekretariat, bestyrelse | the board's approval to return to projekt/produkt at level 2/3 |
//! | ny-ide | afvist | idé | sekretariat | |
//! | traek-tilbage | idé, koncept | lukket | initiativtager, sekretariat | |
//! | luk | projekt, produkt, pauset | lukket | sekretariat, bestyrelse (at level 2/3 only the board) | reasons |
//!
//! A level 1 project or product (which the board does not approve) gets an orientation of
//! the board prepared in the same transaction as its step (an undecided `orientering`
//! case), unless the board is informed already or an orientation waits.
//!
//! Who may act for a decider ([`Action::TakeStep`]): the secretariat records its own and
//! the board's decisions (it keeps the log), board members the board's, a product's
//! editors the initiator's.

pub mod rules;
pub mod table;

use chrono::NaiveDate;
use niveau_model::Msg;
use niveau_store::StoreError;
use niveau_store::decisions::DecisionInput;
use niveau_store::entity::{decision, product};
use niveau_store::types::{DecidedBy, DecisionKind, ParticipantRole, Stage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed, require};
use crate::principal::Caller;
use crate::visibility::resolve_product;

pub use rules::{State, board_approved, board_level, check};
pub use table::{Need, ProcessTable, Target, Transition, builtin};

/// A step the caller may consider for a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepOption {
    /// The transition's id.
    pub id: String,
    /// Its name, in Danish and English.
    #[schema(value_type = Object)]
    pub name: Msg,
    /// The stage it would lead to, when known.
    #[schema(value_type = Option<String>)]
    pub to: Option<Stage>,
    /// The deciders the caller may record it for.
    #[schema(value_type = Vec<String>)]
    pub deciders: Vec<DecidedBy>,
    /// Whether the rules allow it now for the first of those deciders (reasons aside).
    pub allowed: bool,
    /// Why not, when not.
    #[schema(value_type = Option<Object>)]
    pub refusal: Option<Msg>,
}

/// A product's place in the process, as the caller sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessView {
    /// The product.
    pub product_id: i32,
    /// Its stage.
    #[schema(value_type = String)]
    pub stage: Stage,
    /// The level it is placed on (target level).
    pub level: Option<String>,
    /// Whether the board has approved it (since the last tilbageløb).
    pub board_approved: bool,
    /// The steps from its stage the caller may record (empty for readers).
    pub steps: Vec<StepOption>,
    /// Its stage, approval and orientation decisions, oldest first.
    pub log: Vec<decision::Model>,
}

/// A step as a client sends it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// The transition's id (`koncept`, `igangsaet`, …).
    pub transition: String,
    /// Who decided.
    #[schema(value_type = String)]
    pub decided_by: DecidedBy,
    /// The day of the decision.
    pub decided_on: NaiveDate,
    /// Why (the reasons, for tilbageløb, pause, rejection and closure).
    pub basis: String,
    /// Reference (minutes, case number).
    #[serde(default)]
    pub reference: Option<String>,
}

/// How many organisations use `product` (participants `anvender` naming an organisation).
async fn user_organisations(app: &App, product: &product::Model) -> AppResult<usize> {
    Ok(app
        .store()
        .participants(product.id)
        .await?
        .iter()
        .filter(|p| p.role == ParticipantRole::Anvender && p.organisation_id.is_some())
        .count())
}

/// Product `key`'s place in the process, and the steps the caller may record from it.
pub async fn view(app: &App, who: Caller<'_>, key: &str) -> AppResult<ProcessView> {
    let product = resolve_product(app.store(), who, key).await?;
    let table = builtin()?;
    let log = app.store().process_log(product.id).await?;
    let users = user_organisations(app, &product).await?;
    let state = State {
        stage: product.stage,
        level: product.target_level.as_deref(),
        log: &log,
        user_organisations: users,
    };
    let mut steps = Vec::new();
    for t in table
        .transitions
        .iter()
        .filter(|t| t.from.contains(&product.stage))
    {
        let deciders: Vec<DecidedBy> =
            t.by.iter()
                .copied()
                .filter(|b| allowed(who, Action::TakeStep(*b, product.id)))
                .collect();
        let Some(first) = deciders.first().copied() else {
            continue;
        };
        // Reasons are what the caller is about to write: judged without them here.
        let verdict = check(t, &state, first, &"x".repeat(rules::REASONS_MIN));
        steps.push(StepOption {
            id: t.id.clone(),
            name: t.name.clone(),
            to: match (t.to, &verdict) {
                (Target::Stage(s), _) => Some(s),
                (Target::Previous, Ok(s)) => Some(*s),
                (Target::Previous, Err(_)) => None,
            },
            deciders,
            allowed: verdict.is_ok(),
            refusal: verdict.err(),
        });
    }
    Ok(ProcessView {
        product_id: product.id,
        stage: product.stage,
        level: product.target_level.clone(),
        board_approved: board_approved(&log),
        steps,
        log,
    })
}

/// Product `key` if the caller may record some step of its process (for some decider);
/// asked before a step's body is read, so a refused caller learns nothing about it.
pub async fn authorise_step(app: &App, who: Caller<'_>, key: &str) -> AppResult<product::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    let any = DecidedBy::ALL
        .iter()
        .find(|b| allowed(who, Action::TakeStep(**b, product.id)))
        .copied()
        .unwrap_or(DecidedBy::Sekretariat);
    require(who, Action::TakeStep(any, product.id))?;
    Ok(product)
}

/// Take step `input.transition` for product `key`: allowed only to a caller who may act
/// for `input.decided_by`, from the stages the process allows, with its conditions met;
/// written as a `stadie` decision that moves the product, in one transaction.
pub async fn step(
    app: &App,
    who: Caller<'_>,
    key: &str,
    input: StepInput,
) -> AppResult<decision::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    let principal = require(who, Action::TakeStep(input.decided_by, product.id))?;
    let table = builtin()?;
    let transition = table.get(input.transition.trim()).ok_or_else(|| {
        let known: Vec<&str> = table.transitions.iter().map(|t| t.id.as_str()).collect();
        AppError::invalid(
            "transition",
            Msg::new(
                format!(
                    "'{}' er ikke et trin i processen; mulige: {}",
                    input.transition,
                    known.join(", ")
                ),
                format!(
                    "'{}' is not a step of the process; possible: {}",
                    input.transition,
                    known.join(", ")
                ),
            ),
        )
    })?;
    let users = user_organisations(app, &product).await?;
    // An orientation already waiting for the board is not prepared twice.
    let waiting = app
        .store()
        .list_cases(
            &niveau_store::board::CaseFilter {
                product_id: Some(product.id),
                meeting_id: None,
                open: Some(true),
            },
            &niveau_store::ListParams::default(),
        )
        .await?
        .items
        .iter()
        .any(|c| c.kind == niveau_store::types::BoardCaseKind::Orientering);
    let (written, _) = app
        .store()
        .record_process_step(&principal.actor(), product.id, |product, log| {
            let state = State {
                stage: product.stage,
                level: product.target_level.as_deref(),
                log,
                user_organisations: users,
            };
            let to = check(transition, &state, input.decided_by, &input.basis)
                .map_err(StoreError::State)?;
            let orientation = (!waiting)
                .then(|| orientation_case(product, to, &state, &input))
                .flatten();
            Ok((
                vec![stage_decision(product.id, to, &input)],
                orientation.into_iter().collect(),
            ))
        })
        .await?;
    written
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("the process step wrote no decision"))
}

/// The orientation of the board that a step prepares: a level 1 project or product
/// (which the board does not approve) is presented to the board "ved næstkommende
/// bestyrelsesmøde" (seeds/governance-model-three-levels.txt:163), unless the board has
/// already been informed of it or approved it. The case is undecided and on no meeting
/// yet: the secretariat puts it on the next meeting's agenda.
fn orientation_case(
    product: &product::Model,
    to: Stage,
    state: &State<'_>,
    input: &StepInput,
) -> Option<niveau_store::board::CaseInput> {
    let informed = state.log.iter().any(|d| {
        d.decided_by == DecidedBy::Bestyrelse
            && matches!(
                d.kind,
                DecisionKind::Orientering | DecisionKind::Godkendelse
            )
    });
    if informed || state.level != Some("1") || !matches!(to, Stage::Projekt | Stage::Produkt) {
        return None;
    }
    let what = if to == Stage::Projekt {
        ("projekt", "igangsat")
    } else {
        ("produkt", "blevet et produkt")
    };
    Some(niveau_store::board::CaseInput {
        product_id: product.id,
        kind: niveau_store::types::BoardCaseKind::Orientering,
        meeting_id: None,
        title: format!("Orientering: {} er {}", product.name, what.1),
        presentation: format!(
            "{} er {} ({}) den {} på niveau 1. Bestyrelsen orienteres ved næstkommende bestyrelsesmøde, som governancemodellen kræver for niveau 1. Grundlag: {}",
            product.name,
            what.1,
            what.0,
            input.decided_on,
            input.basis.trim()
        ),
        material: vec![format!("/produkter/{}/proces", product.slug)],
        group_id: None,
        evaluation_id: None,
        version: None,
    })
}

/// The `stadie` decision of a step.
pub(crate) fn stage_decision(product_id: i32, to: Stage, input: &StepInput) -> DecisionInput {
    DecisionInput {
        product_id: Some(product_id),
        decided_on: input.decided_on,
        kind: DecisionKind::Stadie,
        to: Some(to.as_str().to_owned()),
        model_id: None,
        basis: input.basis.clone(),
        decided_by: input.decided_by,
        reference: input.reference.clone(),
    }
}

#[cfg(test)]
mod tests;
