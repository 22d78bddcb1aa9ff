//! The rules of the wish process, as pure functions of the stored wish: which step may be
//! taken and why not, when a screening is complete, when a wish is funded, what a pledge
//! may be. The store runs them inside its write transaction on the locked wish.

use niveau_model::Msg;
use niveau_store::StoreError;
use niveau_store::entity::{wish, wish_settings};
use niveau_store::json::ScreeningEntry;
use niveau_store::types::{WishPayer, WishState};
use serde::Serialize;
use utoipa::ToSchema;

use super::money::kroner;
use super::table::{Need, WishTable, builtin};

/// What the rules read about a wish.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The wish as stored.
    pub wish: &'a wish::Model,
    /// The sum of the pledges not withdrawn, in øre.
    pub pledged_ore: i64,
    /// The product's screening criteria.
    pub criteria: &'a [String],
    /// Whether pledges may exceed the target.
    pub allow_overfunding: bool,
}

/// The product's screening criteria: its own, or the table's defaults when it has none.
pub fn criteria(settings: &wish_settings::Model) -> Vec<String> {
    if settings.criteria.0.is_empty() {
        builtin().default_criteria.clone()
    } else {
        settings.criteria.0.clone()
    }
}

/// Whether every criterion is rated in the wish's screening.
pub fn screening_complete(wish: &wish::Model, criteria: &[String]) -> bool {
    let Some(s) = &wish.screening else {
        return false;
    };
    criteria
        .iter()
        .all(|c| s.0.iter().any(|e| &e.criterion == c))
}

/// What is left of the co-funding target, in øre (none without a target).
pub fn remaining(wish: &wish::Model, pledged_ore: i64) -> Option<i64> {
    wish.target_ore.map(|t| (t - pledged_ore).max(0))
}

/// Whether the wish's funding is in place: who pays is decided and the co-funding target,
/// if there is one, is reached.
pub fn funded(wish: &wish::Model, pledged_ore: i64) -> bool {
    wish.payer.is_some() && remaining(wish, pledged_ore).is_none_or(|r| r == 0)
}

/// Why `need` is not met, or none when it is.
fn missing(need: Need, f: &Facts<'_>, reason: Option<&str>) -> Option<Msg> {
    let w = f.wish;
    match need {
        Need::Screening if !screening_complete(w, f.criteria) => Some(Msg::new(
            "ønsket skal først screenes mod alle produktgruppens kriterier",
            "the wish must first be screened against every criterion of the product group",
        )),
        Need::Estimate if w.solution.is_none() => Some(Msg::new(
            "leverandørens løsningsbeskrivelse og estimat mangler",
            "the supplier's solution description and estimate are missing",
        )),
        Need::Decision if w.payer.is_none() => Some(Msg::new(
            "koordinationsgruppen har ikke besluttet, hvem der betaler",
            "the coordination group has not decided who pays",
        )),
        Need::Funded if !funded(w, f.pledged_ore) => {
            let left = kroner(remaining(w, f.pledged_ore).unwrap_or(0));
            Some(Msg::new(
                format!(
                    "samfinansieringen mangler {}; ønsket kan først bestilles, når målet er nået",
                    left.da
                ),
                format!(
                    "the co-funding lacks {}; the wish can be ordered only when the target is reached",
                    left.en
                ),
            ))
        }
        Need::Reason if reason.is_none_or(|r| r.trim().is_empty()) => {
            Some(Msg::new("angiv en begrundelse", "give a reason"))
        }
        _ => None,
    }
}

/// Why the step from the wish's state to `to` is refused, or none when it may be taken.
pub fn refusal(
    table: &WishTable,
    f: &Facts<'_>,
    to: WishState,
    reason: Option<&str>,
) -> Option<Msg> {
    let from = f.wish.state;
    let Some(t) = table.find(from, to) else {
        let next: Vec<&str> = table.from(from).map(|t| t.to.as_str()).collect();
        let next = if next.is_empty() {
            "ingen".to_owned()
        } else {
            next.join(", ")
        };
        let next_en = if next == "ingen" {
            "none".to_owned()
        } else {
            next.clone()
        };
        return Some(Msg::new(
            format!("et ønske går ikke fra {from} til {to}; muligt herfra: {next}"),
            format!("a wish does not go from {from} to {to}; possible from here: {next_en}"),
        ));
    };
    t.needs.iter().find_map(|n| missing(*n, f, reason))
}

/// The step, checked: a store error that names what is missing.
pub fn check_step(f: &Facts<'_>, to: WishState, reason: Option<&str>) -> Result<(), StoreError> {
    match refusal(builtin(), f, to, reason) {
        None => Ok(()),
        Some(msg) => Err(StoreError::State(msg)),
    }
}

/// A step the wish's page offers, with why it is refused now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StepOption {
    /// The state it leads to.
    #[schema(value_type = String)]
    pub to: WishState,
    /// Whether it asks for a reason.
    pub needs_reason: bool,
    /// Why it cannot be taken now (ignoring the reason, which the form asks for).
    #[schema(value_type = Option<Object>)]
    pub refused: Option<Msg>,
}

/// The steps that leave the wish's state, each with why it is refused now.
pub fn steps(f: &Facts<'_>) -> Vec<StepOption> {
    let table = builtin();
    table
        .from(f.wish.state)
        .map(|t| StepOption {
            to: t.to,
            needs_reason: t.needs.contains(&Need::Reason),
            refused: refusal(table, f, t.to, Some("-")),
        })
        .collect()
}

/// The screening, checked: every criterion of the product exactly once, nothing else.
pub fn check_screening(entries: &[ScreeningEntry], criteria: &[String]) -> Result<(), StoreError> {
    for (i, e) in entries.iter().enumerate() {
        if !criteria.iter().any(|c| c == e.criterion.trim()) {
            return Err(StoreError::invalid(
                format!("entries[{i}].criterion"),
                format!(
                    "'{}' er ikke et af produktgruppens kriterier: {}",
                    e.criterion,
                    criteria.join("; ")
                ),
                format!(
                    "'{}' is not one of the product group's criteria: {}",
                    e.criterion,
                    criteria.join("; ")
                ),
            ));
        }
        if entries[..i]
            .iter()
            .any(|x| x.criterion.trim() == e.criterion.trim())
        {
            return Err(StoreError::invalid(
                format!("entries[{i}].criterion"),
                format!("'{}' er vurderet to gange", e.criterion),
                format!("'{}' is rated twice", e.criterion),
            ));
        }
    }
    if let Some(c) = criteria
        .iter()
        .find(|c| !entries.iter().any(|e| e.criterion.trim() == c.as_str()))
    {
        return Err(StoreError::invalid(
            "entries",
            format!("kriteriet '{c}' er ikke vurderet"),
            format!("the criterion '{c}' is not rated"),
        ));
    }
    Ok(())
}

/// Whether the wish is still before its order: screening, estimate and funding may change.
pub fn before_order(state: WishState) -> bool {
    matches!(
        state,
        WishState::Ny
            | WishState::Screening
            | WishState::AfventerLoesningsbeskrivelse
            | WishState::KlarTilPrioritering
            | WishState::Parkeret
    )
}

/// A change of screening, estimate or funding, checked against the wish's state.
pub fn check_before_order(wish: &wish::Model) -> Result<(), StoreError> {
    if before_order(wish.state) {
        Ok(())
    } else {
        Err(StoreError::state(
            format!(
                "ønsket er {}; screening, estimat og finansiering ændres ikke efter bestillingen",
                wish.state
            ),
            format!(
                "the wish is {}; screening, estimate and funding do not change after the order",
                wish.state
            ),
        ))
    }
}

/// A pledge of `amount` øre, checked: the wish collects co-funding (a target is decided and
/// it is not yet ordered), and the pledge does not exceed what is left unless the product
/// allows over-funding.
pub fn check_pledge(f: &Facts<'_>, amount: i64) -> Result<(), StoreError> {
    check_before_order(f.wish)?;
    let Some(left) = remaining(f.wish, f.pledged_ore) else {
        return Err(StoreError::state(
            "ønsket samler ikke ind: koordinationsgruppen har ikke sat et mål for samfinansieringen",
            "the wish does not collect co-funding: the coordination group has set no target",
        ));
    };
    if f.wish.payer != Some(WishPayer::Faellesskabet) && f.wish.payer.is_some() {
        return Err(StoreError::state(
            "opgavestilleren betaler ønsket; der samles ikke tilsagn ind",
            "the requester pays for the wish; no pledges are collected",
        ));
    }
    if amount > left && !f.allow_overfunding {
        let msg = if left == 0 {
            Msg::new(
                "målet for samfinansieringen er nået; produktet tillader ikke overfinansiering",
                "the co-funding target is reached; the product does not allow over-funding",
            )
        } else {
            let left = kroner(left);
            Msg::new(
                format!("tilsagnet er større end det, der mangler ({})", left.da),
                format!("the pledge is more than what is left ({})", left.en),
            )
        };
        return Err(StoreError::Invalid {
            field: "amount_ore".into(),
            message: msg,
        });
    }
    Ok(())
}

/// A co-funding target, checked: not below what is already pledged unless the product
/// allows over-funding.
pub fn check_target(
    target: Option<i64>,
    pledged_ore: i64,
    allow_overfunding: bool,
) -> Result<(), StoreError> {
    match target {
        Some(t) if t < pledged_ore && !allow_overfunding => {
            let pledged = kroner(pledged_ore);
            Err(StoreError::Invalid {
                field: "target_ore".into(),
                message: Msg::new(
                    format!(
                        "målet er mindre end det, der allerede er givet tilsagn om ({})",
                        pledged.da
                    ),
                    format!(
                        "the target is less than what is already pledged ({})",
                        pledged.en
                    ),
                ),
            })
        }
        _ => Ok(()),
    }
}
