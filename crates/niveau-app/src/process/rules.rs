//! Whether a step of the process may be taken: pure, on the product's stage, level and
//! process log. The message of a refusal names the step that is missing.

use niveau_model::Msg;
use niveau_store::entity::decision;
use niveau_store::types::{DecidedBy, DecisionKind, Stage};

use super::table::{Need, Target, Transition};

/// The fewest characters of reasons where a step needs them.
pub const REASONS_MIN: usize = 20;

/// What the rules read of a product.
#[derive(Debug, Clone, Copy)]
pub struct State<'a> {
    /// The product's stage.
    pub stage: Stage,
    /// The level it is placed on (its target level: `sandkasse`, `1`, `2`, `3`).
    pub level: Option<&'a str>,
    /// Its stage, approval and orientation decisions, oldest first.
    pub log: &'a [decision::Model],
    /// How many organisations use it (participants `anvender`).
    pub user_organisations: usize,
}

/// Whether `level` is 2 or 3 (the levels where the board approves).
pub fn board_level(level: Option<&str>) -> bool {
    level
        .and_then(|l| l.trim().parse::<u8>().ok())
        .is_some_and(|n| n >= 2)
}

/// Whether the board has approved the concept or the product after the last tilbageløb
/// (a stage decision back to idé).
pub fn board_approved(log: &[decision::Model]) -> bool {
    let since = log
        .iter()
        .rposition(|d| d.kind == DecisionKind::Stadie && d.to_value.as_deref() == Some("idé"))
        .map_or(0, |i| i + 1);
    log[since..].iter().any(|d| {
        d.kind == DecisionKind::Godkendelse
            && d.decided_by == DecidedBy::Bestyrelse
            && matches!(d.to_value.as_deref(), Some("koncept" | "produkt"))
    })
}

/// The stage before the product's newest pause.
pub fn before_pause(log: &[decision::Model]) -> Option<Stage> {
    log.iter()
        .rev()
        .find(|d| d.kind == DecisionKind::Stadie && d.to_value.as_deref() == Some("pauset"))
        .and_then(|d| d.from_value.as_deref())
        .and_then(Stage::parse)
}

fn stage_da(stage: Stage) -> &'static str {
    stage.as_str()
}

fn stage_en(stage: Stage) -> &'static str {
    match stage {
        Stage::Ide => "idea",
        Stage::Koncept => "concept",
        Stage::Projekt => "project",
        Stage::Produkt => "product",
        Stage::Pauset => "paused",
        Stage::Lukket => "closed",
        Stage::Afvist => "rejected",
    }
}

fn decider_en(by: DecidedBy) -> &'static str {
    match by {
        DecidedBy::Sekretariat => "the secretariat",
        DecidedBy::Bestyrelse => "the board",
        DecidedBy::Initiativtager => "the initiator",
    }
}

fn decider_da(by: DecidedBy) -> &'static str {
    match by {
        DecidedBy::Sekretariat => "sekretariatet",
        DecidedBy::Bestyrelse => "bestyrelsen",
        DecidedBy::Initiativtager => "initiativtageren",
    }
}

fn level_name(level: Option<&str>) -> (String, String) {
    match level {
        Some("sandkasse") => ("sandkasse".into(), "sandbox".into()),
        Some(l) => (format!("niveau {l}"), format!("level {l}")),
        None => ("intet niveau".into(), "no level".into()),
    }
}

/// The stage `t` leads to from `state`, or why it may not be taken by `by` with `basis`.
pub fn check(t: &Transition, state: &State<'_>, by: DecidedBy, basis: &str) -> Result<Stage, Msg> {
    if !t.from.contains(&state.stage) {
        let from_da: Vec<&str> = t.from.iter().map(|s| stage_da(*s)).collect();
        let from_en: Vec<&str> = t.from.iter().map(|s| stage_en(*s)).collect();
        return Err(Msg::new(
            format!(
                "«{}» tages fra stadiet {}; produktet er i stadiet {}",
                t.name.da,
                from_da.join(" eller "),
                stage_da(state.stage)
            ),
            format!(
                "\"{}\" is taken from the stage {}; the product is in the stage {}",
                t.name.en,
                from_en.join(" or "),
                stage_en(state.stage)
            ),
        ));
    }
    if !t.by.contains(&by) {
        let da: Vec<&str> = t.by.iter().map(|b| decider_da(*b)).collect();
        let en: Vec<&str> = t.by.iter().map(|b| decider_en(*b)).collect();
        return Err(Msg::new(
            format!(
                "«{}» besluttes af {}, ikke af {}",
                t.name.da,
                da.join(" eller "),
                decider_da(by)
            ),
            format!(
                "\"{}\" is decided by {}, not by {}",
                t.name.en,
                en.join(" or "),
                decider_en(by)
            ),
        ));
    }
    let to = match t.to {
        Target::Stage(s) => s,
        Target::Previous => before_pause(state.log).ok_or_else(|| {
            Msg::new(
                "beslutningsloggen viser ikke, hvilket stadie produktet havde før pausen; registrér stadiet med en beslutning",
                "the decision log does not show which stage the product had before the pause; record the stage with a decision",
            )
        })?,
    };
    let board = board_level(state.level);
    let (level_da, level_en) = level_name(state.level);
    for need in &t.needs {
        match need {
            Need::Level if state.level.is_none() => {
                return Err(Msg::new(
                    format!(
                        "«{}» kræver, at sekretariatet først har indplaceret produktet på et niveau (målniveau)",
                        t.name.da
                    ),
                    format!(
                        "\"{}\" needs the secretariat to place the product on a level (target level) first",
                        t.name.en
                    ),
                ));
            }
            Need::BoardApproval
                if board
                    && matches!(to, Stage::Projekt | Stage::Produkt)
                    && !board_approved(state.log) =>
            {
                let what = if state.stage == Stage::Koncept {
                    ("koncept", "concept")
                } else {
                    ("produkt", "product")
                };
                return Err(Msg::new(
                    format!(
                        "et {} på {level_da} skal først godkendes af bestyrelsen: forelæg det i en bestyrelsessag",
                        what.0
                    ),
                    format!(
                        "a {level_en} {} must be approved by the board first: present it in a board case",
                        what.1
                    ),
                ));
            }
            Need::BoardDecides if board && by != DecidedBy::Bestyrelse => {
                return Err(Msg::new(
                    format!(
                        "på {level_da} træffer bestyrelsen beslutningen «{}»: forelæg den i en bestyrelsessag",
                        t.name.da
                    ),
                    format!(
                        "at {level_en} the board takes the decision \"{}\": present it in a board case",
                        t.name.en
                    ),
                ));
            }
            Need::UserOrganisation if state.user_organisations == 0 => {
                return Err(Msg::new(
                    "et projekt bliver et produkt, når det er implementeret i de første organisationer: registrér mindst én anvender som deltager",
                    "a project becomes a product once implemented in its first organisations: register at least one user organisation as a participant",
                ));
            }
            Need::Reasons if basis.trim().chars().count() < REASONS_MIN => {
                return Err(Msg::new(
                    format!(
                        "«{}» kræver en begrundelse på mindst {REASONS_MIN} tegn",
                        t.name.da
                    ),
                    format!(
                        "\"{}\" needs reasons of at least {REASONS_MIN} characters",
                        t.name.en
                    ),
                ));
            }
            _ => {}
        }
    }
    Ok(to)
}

/// Whether a product at `stage` may be placed on `new_level`: a project or a product
/// raised to level 2 or 3 needs the board's approval first, as starting one there does.
pub fn check_level_change(
    stage: Stage,
    old_level: Option<&str>,
    new_level: Option<&str>,
    log: &[decision::Model],
) -> Result<(), Msg> {
    let raised = board_level(new_level) && !board_level(old_level);
    if raised && matches!(stage, Stage::Projekt | Stage::Produkt) && !board_approved(log) {
        let (da, en) = level_name(new_level);
        return Err(Msg::new(
            format!(
                "et {} på {da} skal først godkendes af bestyrelsen: forelæg det i en bestyrelsessag, før målniveauet hæves",
                stage_da(stage)
            ),
            format!(
                "a {en} {} must be approved by the board first: present it in a board case before raising the target level",
                stage_en(stage)
            ),
        ));
    }
    Ok(())
}
