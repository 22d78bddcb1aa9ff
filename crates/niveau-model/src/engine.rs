//! The level engine: from ratings to the indicated level.
//!
//! The rule (ARCHITECTURE.md): the indicated level is the highest level L such that every
//! Must requirement at L or below is Green, or Grey with an explanation. Should
//! requirements never block. Yellow and Red block; so does a requirement not rated yet.
//! Levels are cumulative. The result is advice: the official level is what the
//! secretariat decides.

use serde::{Deserialize, Serialize};

use crate::ids::{LevelId, RequirementId};
use crate::model::{Model, Obligation, Requirement};
use crate::rating::{Rating, Ratings};

/// Why a requirement is not met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gap {
    /// No rating yet.
    NotRated,
    /// 🟡 partly met.
    Yellow,
    /// 🔴 not met.
    Red,
    /// ⚪ without the explanation that follow-or-explain requires.
    GreyWithoutExplanation,
}

impl Gap {
    /// Danish explanation for people.
    pub fn label_da(self) -> &'static str {
        match self {
            Gap::NotRated => "ikke vurderet",
            Gap::Yellow => "gul: delvist opfyldt",
            Gap::Red => "rød: ikke opfyldt",
            Gap::GreyWithoutExplanation => "grå uden forklaring (følg-eller-forklar)",
        }
    }

    /// English explanation for people.
    pub fn label_en(self) -> &'static str {
        match self {
            Gap::NotRated => "not rated",
            Gap::Yellow => "yellow: partly met",
            Gap::Red => "red: not met",
            Gap::GreyWithoutExplanation => "grey without explanation (follow-or-explain)",
        }
    }
}

/// A requirement that is not met, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmet {
    /// The requirement.
    pub requirement: RequirementId,
    /// The level it belongs to.
    pub level: LevelId,
    /// Why it is not met.
    pub gap: Gap,
}

/// The state of one level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelStatus {
    /// The level.
    pub level: LevelId,
    /// Requirements at this level that are met (Must and Should).
    pub met: Vec<RequirementId>,
    /// Must requirements at this level that are not met: they block the level.
    pub blocking: Vec<Unmet>,
    /// Should requirements at this level that are not met: advice only, never blocking.
    pub open_recommendations: Vec<Unmet>,
    /// Whether this level's own Must requirements are all met.
    pub satisfied: bool,
    /// Whether this level and every level below it are satisfied.
    pub reached: bool,
}

/// What it takes to reach the next level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextLevel {
    /// The next level above the indicated one (the lowest level if none is indicated).
    pub level: LevelId,
    /// Every Must requirement at that level or below that is not met.
    pub missing: Vec<Unmet>,
}

/// The result of [`indicate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indication {
    /// The indicated level, or `None` if not even the lowest level is reached.
    pub level: Option<LevelId>,
    /// Every level from lowest to highest.
    pub levels: Vec<LevelStatus>,
    /// What is missing for the next level; `None` when the highest level is reached.
    pub next: Option<NextLevel>,
}

impl Indication {
    /// The status of one level.
    pub fn status(&self, level: &str) -> Option<&LevelStatus> {
        self.levels.iter().find(|s| s.level.as_str() == level)
    }

    /// Every Must requirement at `level` or below that is not met (what blocks `level`).
    pub fn missing_for(&self, level: &str) -> Vec<Unmet> {
        let mut out = Vec::new();
        for s in &self.levels {
            out.extend(s.blocking.iter().cloned());
            if s.level.as_str() == level {
                break;
            }
        }
        out
    }
}

/// Whether a requirement is met, and if not, why.
pub fn gap(requirement: &Requirement, ratings: &Ratings) -> Option<Gap> {
    match ratings.get(requirement.id.as_str()) {
        None => Some(Gap::NotRated),
        Some(r) => match r.rating {
            Rating::Green => None,
            Rating::Grey if r.is_explained() => None,
            Rating::Grey => Some(Gap::GreyWithoutExplanation),
            Rating::Yellow => Some(Gap::Yellow),
            Rating::Red => Some(Gap::Red),
        },
    }
}

/// Applies the level rule to `ratings` (by requirement id; ids the model does not know
/// are ignored).
pub fn indicate(model: &Model, ratings: &Ratings) -> Indication {
    let mut levels = Vec::with_capacity(model.levels().len());
    let mut all_below = true;
    let mut indicated = None;
    for level in model.levels() {
        let mut status = LevelStatus {
            level: level.id.clone(),
            met: Vec::new(),
            blocking: Vec::new(),
            open_recommendations: Vec::new(),
            satisfied: true,
            reached: false,
        };
        for req in model.requirements_at(&level.id) {
            match gap(req, ratings) {
                None => status.met.push(req.id.clone()),
                Some(gap) => {
                    let unmet = Unmet {
                        requirement: req.id.clone(),
                        level: level.id.clone(),
                        gap,
                    };
                    match req.obligation {
                        Obligation::Must => status.blocking.push(unmet),
                        Obligation::Should => status.open_recommendations.push(unmet),
                    }
                }
            }
        }
        status.satisfied = status.blocking.is_empty();
        all_below = all_below && status.satisfied;
        status.reached = all_below;
        if status.reached {
            indicated = Some(level.id.clone());
        }
        levels.push(status);
    }
    let next_position = match &indicated {
        None => Some(0),
        Some(id) => model
            .level_position(id)
            .map(|p| p + 1)
            .filter(|&p| p < model.levels().len()),
    };
    let mut indication = Indication {
        level: indicated,
        levels,
        next: None,
    };
    if let Some(level) = next_position.and_then(|p| model.levels().get(p)) {
        indication.next = Some(NextLevel {
            level: level.id.clone(),
            missing: indication.missing_for(level.id.as_str()),
        });
    }
    indication
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::Registry;
    use crate::rating::Rated;

    fn all_green(model: &Model) -> Ratings {
        model
            .requirements()
            .iter()
            .map(|r| (r.id.clone(), Rated::new(Rating::Green)))
            .collect()
    }

    #[test]
    fn everything_green_reaches_the_top() {
        let reg = Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let ind = indicate(model, &all_green(model));
        assert_eq!(ind.level.as_ref().map(|l| l.as_str()), Some("3"));
        assert!(ind.next.is_none());
    }

    #[test]
    fn nothing_rated_reaches_nothing_and_lists_sandkasse() {
        let reg = Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let ind = indicate(model, &Ratings::new());
        assert_eq!(ind.level, None);
        let next = ind.next.unwrap();
        assert_eq!(next.level.as_str(), "sandkasse");
        let ids: Vec<&str> = next
            .missing
            .iter()
            .map(|u| u.requirement.as_str())
            .collect();
        assert_eq!(ids, ["R1", "F1", "F2", "F3", "F4", "F5"]);
        assert!(next.missing.iter().all(|u| u.gap == Gap::NotRated));
    }

    #[test]
    fn red_should_does_not_block_but_red_must_does() {
        let reg = Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let mut ratings = all_green(model);
        // F19 is "(anbefaling)": a Should.
        ratings.set("F19", Rated::new(Rating::Red));
        let ind = indicate(model, &ratings);
        assert_eq!(ind.level.as_ref().map(|l| l.as_str()), Some("3"));
        let l2 = ind.status("2").unwrap();
        assert_eq!(l2.open_recommendations.len(), 1);
        // G12 is a Must at level 3.
        ratings.set("G12", Rated::new(Rating::Yellow));
        let ind = indicate(model, &ratings);
        assert_eq!(ind.level.as_ref().map(|l| l.as_str()), Some("2"));
        let next = ind.next.unwrap();
        assert_eq!(next.level.as_str(), "3");
        assert_eq!(next.missing.len(), 1);
        assert_eq!(next.missing[0].requirement.as_str(), "G12");
        assert_eq!(next.missing[0].gap, Gap::Yellow);
    }

    #[test]
    fn levels_are_cumulative() {
        let reg = Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let mut ratings = all_green(model);
        // A red sandkasse requirement blocks everything above, even with level 1-3 green.
        ratings.set("F2", Rated::new(Rating::Red));
        let ind = indicate(model, &ratings);
        assert_eq!(ind.level, None);
        assert!(ind.status("3").unwrap().satisfied);
        assert!(!ind.status("3").unwrap().reached);
    }

    #[test]
    fn grey_needs_an_explanation() {
        let reg = Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let mut ratings = all_green(model);
        ratings.set("R4", Rated::new(Rating::Grey));
        let ind = indicate(model, &ratings);
        assert_eq!(ind.level.as_ref().map(|l| l.as_str()), Some("2"));
        assert_eq!(
            ind.next.unwrap().missing[0].gap,
            Gap::GreyWithoutExplanation
        );
        ratings.set(
            "R4",
            Rated::with_basis(
                Rating::Grey,
                "Internt værktøj; nationale strategier er ikke relevante.",
            ),
        );
        let ind = indicate(model, &ratings);
        assert_eq!(ind.level.as_ref().map(|l| l.as_str()), Some("3"));
    }
}
