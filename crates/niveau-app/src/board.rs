//! The board's work: meetings and cases (sagsoplæg) prepared by the secretariat, and the
//! board's decision on each case, recorded once and applied to the product through the
//! process ([`crate::process`]):
//!
//! | case (`kind`) | outcomes | what the decision writes in the log |
//! |---|---|---|
//! | koncept | godkendt (with priority), tilbageløb, afvist | approval `godkendelse`/koncept and the step `igangsaet`; the step `tilbageloeb`; the step `afvis` |
//! | produkt | godkendt, afvist | approval `godkendelse`/produkt; a note (`andet`) |
//! | styregruppe | godkendt, afvist | approval `godkendelse`/styregruppe (reference: the group); a note |
//! | evaluering | godkendt, afvist | a note (`andet`) with the reasons |
//! | genovervejelse | godkendt, tilbageløb, afvist | a note that the project continues; the step `genovervej`; the step `afvis` |
//! | orientering | taget til efterretning | `orientering` |
//!
//! Every decision is the board's (`decided_by` bestyrelse), dated as the board decided.

use niveau_model::Msg;
use niveau_store::StoreError;
use niveau_store::board::{
    CaseDecisionInput, CaseFilter, CaseInput, DecisionContext, MeetingInput, MeetingView,
};
use niveau_store::decisions::DecisionInput;
use niveau_store::entity::{board_case, board_meeting, decision};
use niveau_store::list::{ListParams, Page};
use niveau_store::types::{BoardCaseKind, BoardOutcome, DecidedBy, DecisionKind};
use serde::Serialize;
use utoipa::ToSchema;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, require};
use crate::principal::Caller;
use crate::process::{self, State, StepInput, check};

/// The outcomes a case of `kind` may have.
pub fn outcomes(kind: BoardCaseKind) -> &'static [BoardOutcome] {
    use BoardOutcome::*;
    match kind {
        BoardCaseKind::Koncept | BoardCaseKind::Genovervejelse => &[Godkendt, Tilbageloeb, Afvist],
        BoardCaseKind::Produkt | BoardCaseKind::Styregruppe | BoardCaseKind::Evaluering => {
            &[Godkendt, Afvist]
        }
        BoardCaseKind::Orientering => &[TagetTilEfterretning],
    }
}

/// A case with the board's decision and what it wrote in the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecidedCase {
    /// The case as decided.
    pub case: board_case::Model,
    /// The decisions written in the log, in order.
    pub decisions: Vec<decision::Model>,
}

/// Create a board meeting (the secretariat).
pub async fn create_meeting(
    app: &App,
    who: Caller<'_>,
    input: MeetingInput,
) -> AppResult<board_meeting::Model> {
    let who = require(who, Action::PrepareBoard)?;
    Ok(app.store().create_meeting(&who.actor(), input).await?)
}

/// Change a meeting at version `expected` (the secretariat).
pub async fn update_meeting(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: MeetingInput,
) -> AppResult<board_meeting::Model> {
    let who = require(who, Action::PrepareBoard)?;
    Ok(app
        .store()
        .update_meeting(&who.actor(), id, expected, input)
        .await?)
}

/// One meeting with its cases (the board and the secretariat).
pub async fn meeting(app: &App, who: Caller<'_>, id: i32) -> AppResult<MeetingView> {
    require(who, Action::ReadBoard)?;
    Ok(app.store().meeting(id).await?)
}

/// The meetings (the board and the secretariat).
pub async fn meetings(
    app: &App,
    who: Caller<'_>,
    params: &ListParams,
) -> AppResult<Page<board_meeting::Model>> {
    require(who, Action::ReadBoard)?;
    Ok(app.store().list_meetings(params).await?)
}

/// Per meeting: the cases on its agenda and how many are undecided (the board and the
/// secretariat).
pub async fn case_counts(
    app: &App,
    who: Caller<'_>,
) -> AppResult<std::collections::HashMap<i32, (u64, u64)>> {
    require(who, Action::ReadBoard)?;
    Ok(app.store().case_counts_by_meeting().await?)
}

/// Prepare a case (the secretariat).
pub async fn create_case(
    app: &App,
    who: Caller<'_>,
    input: CaseInput,
) -> AppResult<board_case::Model> {
    let who = require(who, Action::PrepareBoard)?;
    Ok(app.store().create_case(&who.actor(), input).await?)
}

/// Change an undecided case at version `expected` (the secretariat).
pub async fn update_case(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: CaseInput,
) -> AppResult<board_case::Model> {
    let who = require(who, Action::PrepareBoard)?;
    Ok(app
        .store()
        .update_case(&who.actor(), id, expected, input)
        .await?)
}

/// One case (the board and the secretariat).
pub async fn case(app: &App, who: Caller<'_>, id: i32) -> AppResult<board_case::Model> {
    require(who, Action::ReadBoard)?;
    Ok(app.store().case(id).await?)
}

/// Cases (the board and the secretariat).
pub async fn cases(
    app: &App,
    who: Caller<'_>,
    filter: &CaseFilter,
    params: &ListParams,
) -> AppResult<Page<board_case::Model>> {
    require(who, Action::ReadBoard)?;
    Ok(app.store().list_cases(filter, params).await?)
}

/// Record the board's decision on case `id` (at version `expected`), once, and apply it:
/// the decisions of the table in the module docs, checked by the process's rules inside
/// the store's transaction. A refusal writes nothing.
pub async fn decide(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: CaseDecisionInput,
) -> AppResult<DecidedCase> {
    let who = require(who, Action::DecideBoard)?;
    let current = app.store().case(id).await?;
    if !outcomes(current.kind).contains(&input.outcome) {
        let possible: Vec<&str> = outcomes(current.kind).iter().map(|o| o.as_str()).collect();
        return Err(AppError::invalid(
            "outcome",
            Msg::new(
                format!(
                    "en sag om {} kan afgøres med: {}",
                    current.kind,
                    possible.join(", ")
                ),
                format!(
                    "a case about {} can be decided with: {}",
                    current.kind,
                    possible.join(", ")
                ),
            ),
        ));
    }
    let reasons = input.reasons.clone().unwrap_or_default();
    if matches!(
        input.outcome,
        BoardOutcome::Tilbageloeb | BoardOutcome::Afvist
    ) && reasons.trim().chars().count() < process::rules::REASONS_MIN
    {
        return Err(AppError::invalid(
            "reasons",
            Msg::new(
                format!(
                    "bestyrelsens begrundelse skal skrives ved {} (mindst {} tegn)",
                    input.outcome,
                    process::rules::REASONS_MIN
                ),
                format!(
                    "the board's reasons must be written for {} (at least {} characters)",
                    input.outcome,
                    process::rules::REASONS_MIN
                ),
            ),
        ));
    }
    let table = process::builtin()?;
    let users = app
        .store()
        .participants(current.product_id)
        .await?
        .iter()
        .filter(|p| {
            p.role == niveau_store::types::ParticipantRole::Anvender && p.organisation_id.is_some()
        })
        .count();
    let decision_input = input.clone();
    let (case, decisions) = app
        .store()
        .decide_case(&who.actor(), id, expected, &input, move |ctx| {
            writes(table, ctx, &decision_input, users)
        })
        .await?;
    Ok(DecidedCase { case, decisions })
}

/// The decisions the board's decision on `ctx.case` writes.
fn writes(
    table: &process::ProcessTable,
    ctx: &DecisionContext<'_>,
    input: &CaseDecisionInput,
    users: usize,
) -> Result<Vec<DecisionInput>, StoreError> {
    let case = ctx.case;
    let basis = {
        let reasons = input.reasons.as_deref().map(str::trim).unwrap_or_default();
        let mut b = format!("Bestyrelsens afgørelse i sag {}: {}", case.id, case.title);
        if !reasons.is_empty() {
            b.push_str(". ");
            b.push_str(reasons);
        }
        if let Some(p) = input.priority {
            b.push_str(&format!(" (prioritet {p})"));
        }
        b
    };
    let reference = input
        .reference
        .clone()
        .or_else(|| Some(format!("bestyrelsessag {}", case.id)));
    let note = |kind: DecisionKind, to: Option<&str>| DecisionInput {
        product_id: Some(case.product_id),
        decided_on: input.decided_on,
        kind,
        to: to.map(str::to_owned),
        model_id: None,
        basis: basis.clone(),
        decided_by: DecidedBy::Bestyrelse,
        reference: reference.clone(),
    };
    // A step of the process, checked against the log with `before` written first.
    let step = |id: &str, before: &[DecisionInput]| -> Result<DecisionInput, StoreError> {
        let t = table.get(id).ok_or_else(|| {
            StoreError::state(
                format!("trin {id} mangler"),
                format!("step {id} is missing"),
            )
        })?;
        let mut log: Vec<decision::Model> = ctx.log.to_vec();
        for b in before {
            log.push(pending(b));
        }
        let state = State {
            stage: ctx.product.stage,
            level: ctx.product.target_level.as_deref(),
            log: &log,
            user_organisations: users,
        };
        let step_input = StepInput {
            transition: id.to_owned(),
            decided_by: DecidedBy::Bestyrelse,
            decided_on: input.decided_on,
            basis: basis.clone(),
            reference: reference.clone(),
        };
        let to = check(t, &state, DecidedBy::Bestyrelse, &basis).map_err(StoreError::State)?;
        Ok(process::stage_decision(case.product_id, to, &step_input))
    };
    use BoardCaseKind as K;
    use BoardOutcome as O;
    Ok(match (case.kind, input.outcome) {
        (K::Koncept, O::Godkendt) => {
            let approval = note(DecisionKind::Godkendelse, Some("koncept"));
            let start = step("igangsaet", std::slice::from_ref(&approval))?;
            vec![approval, start]
        }
        (K::Koncept, O::Tilbageloeb) => vec![step("tilbageloeb", &[])?],
        (K::Koncept | K::Genovervejelse, O::Afvist) => vec![step("afvis", &[])?],
        (K::Genovervejelse, O::Tilbageloeb) => vec![step("genovervej", &[])?],
        (K::Produkt, O::Godkendt) => vec![note(DecisionKind::Godkendelse, Some("produkt"))],
        (K::Styregruppe, O::Godkendt) => {
            let mut approval = note(DecisionKind::Godkendelse, Some("styregruppe"));
            // The group is named beside the board's own reference (the minutes), which
            // stays.
            if let Some(group) = case.group_id {
                approval.reference = Some(match input.reference.as_deref() {
                    Some(r) if !r.trim().is_empty() => format!("{}; gruppe {group}", r.trim()),
                    _ => format!("gruppe {group}"),
                });
            }
            vec![approval]
        }
        (K::Orientering, O::TagetTilEfterretning) => {
            vec![note(DecisionKind::Orientering, None)]
        }
        (K::Genovervejelse, O::Godkendt)
        | (K::Produkt | K::Styregruppe | K::Evaluering, O::Afvist)
        | (K::Evaluering, O::Godkendt) => vec![note(DecisionKind::Andet, None)],
        (kind, outcome) => {
            return Err(StoreError::invalid(
                "outcome",
                format!("en sag om {kind} kan ikke afgøres med {outcome}"),
                format!("a case about {kind} cannot be decided with {outcome}"),
            ));
        }
    })
}

/// A decision about to be written, as the rules read the log.
fn pending(d: &DecisionInput) -> decision::Model {
    decision::Model {
        id: 0,
        product_id: d.product_id,
        decided_on: d.decided_on,
        kind: d.kind,
        from_value: None,
        to_value: d.to.clone(),
        model_id: None,
        basis: d.basis.clone(),
        decided_by: d.decided_by,
        reference: d.reference.clone(),
        evaluation_id: None,
        recorded_by: String::new(),
        recorded_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
    }
}
