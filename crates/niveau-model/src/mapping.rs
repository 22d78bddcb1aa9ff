//! Mappings from one model onto another (e.g. os2-2021 → os2-1.1.0), so that an old
//! report can be compared with a new one.
//!
//! A mapping is declared in the source model's file. Every source requirement maps to
//! zero or more target requirements: explicitly by an entry, or else implicitly to the
//! target requirement with the same id, if there is one.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::{Location, Problem, Rule};
use crate::ids::{LevelId, ModelId, RequirementId};
use crate::model::Model;
use crate::rating::{Rated, Rating, Ratings};

/// One explicit entry of a mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappingEntry {
    /// The requirement in the source model.
    pub from: RequirementId,
    /// The requirements in the target model that cover it (empty: no counterpart).
    pub to: Vec<RequirementId>,
    /// Why, e.g. "F8 og F9 er lagt sammen med F7".
    pub note: Option<String>,
    #[serde(skip)]
    pub(crate) at: Option<Location>,
}

/// A mapping from the model that declares it onto `target`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapping {
    /// The target model id.
    pub target: ModelId,
    /// What the mapping is for.
    pub description: Option<String>,
    /// Source level → target level, where the ids differ (e.g. 2018 `minimum` → `sandkasse`).
    pub levels: Vec<(LevelId, LevelId)>,
    /// Explicit entries; requirements not listed map to the same id.
    pub entries: Vec<MappingEntry>,
    #[serde(skip)]
    pub(crate) at: Option<Location>,
}

/// How a source requirement relates to the target model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correspondence {
    /// Source requirement id.
    pub from: RequirementId,
    /// Target requirement ids.
    pub to: Vec<RequirementId>,
    /// Whether an explicit entry says so (false: same id in both models).
    pub explicit: bool,
    /// The entry's note.
    pub note: Option<String>,
}

impl Mapping {
    /// The target requirements of one source requirement.
    pub fn targets(&self, target: &Model, from: &RequirementId) -> Correspondence {
        if let Some(entry) = self.entries.iter().find(|e| &e.from == from) {
            return Correspondence {
                from: from.clone(),
                to: entry.to.clone(),
                explicit: true,
                note: entry.note.clone(),
            };
        }
        let to = target
            .requirement(from.as_str())
            .map(|r| vec![r.id.clone()])
            .unwrap_or_default();
        Correspondence {
            from: from.clone(),
            to,
            explicit: false,
            note: None,
        }
    }

    /// Every source requirement with its targets, in source order.
    pub fn correspondences(&self, source: &Model, target: &Model) -> Vec<Correspondence> {
        source
            .requirements()
            .iter()
            .map(|r| self.targets(target, &r.id))
            .collect()
    }

    /// The target level of a source level: an explicit pair, else the same id, else the
    /// target level of the same rank.
    pub fn level(&self, source: &Model, target: &Model, level: &LevelId) -> Option<LevelId> {
        if let Some((_, to)) = self.levels.iter().find(|(from, _)| from == level) {
            return Some(to.clone());
        }
        if let Some(l) = target.level(level.as_str()) {
            return Some(l.id.clone());
        }
        let rank = source.level(level.as_str())?.rank;
        target
            .levels()
            .iter()
            .find(|l| l.rank == rank)
            .map(|l| l.id.clone())
    }

    /// Translates ratings made against the source model into ratings against the target.
    ///
    /// Where several source requirements map onto one target requirement (F7, F8 and F9
    /// of 2021 → F7 of 1.1.0) the weakest rating wins: Red before Yellow before an
    /// unexplained Grey before Green before an explained Grey; if any of them is unrated,
    /// the target stays unrated. The bases are joined, each prefixed with its source id.
    pub fn translate_ratings(&self, source: &Model, target: &Model, ratings: &Ratings) -> Ratings {
        let mut gathered: BTreeMap<RequirementId, Vec<(RequirementId, Option<&Rated>)>> =
            BTreeMap::new();
        for c in self.correspondences(source, target) {
            let rated = ratings.get(c.from.as_str());
            for to in c.to {
                gathered
                    .entry(to)
                    .or_default()
                    .push((c.from.clone(), rated));
            }
        }
        let mut out = Ratings::new();
        for (to, sources) in gathered {
            if sources.iter().any(|(_, r)| r.is_none()) {
                continue;
            }
            let rated: Vec<(&RequirementId, &Rated)> = sources
                .iter()
                .filter_map(|(id, r)| r.map(|r| (id, r)))
                .collect();
            let Some(weakest) = rated.iter().map(|(_, r)| strength(r)).min() else {
                continue;
            };
            let rating = rated
                .iter()
                .find(|(_, r)| strength(r) == weakest)
                .map(|(_, r)| r.rating)
                .unwrap_or(Rating::Red);
            let basis = if rated.len() == 1 {
                rated[0].1.basis.clone()
            } else {
                let lines: Vec<String> = rated
                    .iter()
                    .filter_map(|(id, r)| {
                        r.basis
                            .as_deref()
                            .filter(|b| !b.trim().is_empty())
                            .map(|b| format!("{id}: {b}"))
                    })
                    .collect();
                (!lines.is_empty()).then(|| lines.join("\n"))
            };
            out.set(to, Rated { rating, basis });
        }
        out
    }

    /// Checks the mapping against its target model: every target id must exist there.
    pub fn check(&self, source: &Model, target: &Model) -> Vec<Problem> {
        let mut problems = Vec::new();
        let here = |at: &Option<Location>| {
            at.clone().unwrap_or_else(|| Location {
                file: format!("<{}>", source.id()),
                line: 1,
                column: 1,
            })
        };
        for entry in &self.entries {
            for to in &entry.to {
                if target.requirement(to.as_str()).is_none() {
                    problems.push(Problem {
                        location: here(&entry.at),
                        rule: Rule::UnknownRequirement,
                        message: format!(
                            "mapping entry for {} names {to}, which is not a requirement of {}",
                            entry.from,
                            target.id()
                        ),
                        message_da: format!(
                            "mappingen af {} nævner {to}, som ikke er et krav i {}",
                            entry.from,
                            target.id()
                        ),
                    });
                }
            }
        }
        for (from, to) in &self.levels {
            if target.level(to.as_str()).is_none() {
                problems.push(Problem {
                    location: here(&self.at),
                    rule: Rule::UnknownLevel,
                    message: format!(
                        "mapping maps level {from} to {to}, which is not a level of {}",
                        target.id()
                    ),
                    message_da: format!(
                        "mappingen mapper niveau {from} til {to}, som ikke er et niveau i {}",
                        target.id()
                    ),
                });
            }
        }
        problems
    }
}

/// Order used when merging ratings: lower is weaker.
fn strength(r: &Rated) -> u8 {
    match r.rating {
        Rating::Red => 0,
        Rating::Yellow => 1,
        Rating::Grey if !r.is_explained() => 2,
        Rating::Green => 3,
        Rating::Grey => 4,
    }
}
