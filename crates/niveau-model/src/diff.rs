//! Differences between two models: requirements added, removed, renumbered, merged,
//! split, moved between levels or themes, changed obligation or text.
//!
//! Requirements are paired through a mapping when either model declares one onto the
//! other (the mapping is read backwards if only the newer model declares it); otherwise
//! by id and alias. Levels are compared by rank, so `sandkasse` (rank 0) in one model
//! equals `minimum` (rank 0) in another.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::ids::{LevelId, ModelId, RequirementId, ThemeId};
use crate::model::{Model, Obligation, Requirement};

/// A requirement as seen in a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReqRef {
    /// Id.
    pub id: RequirementId,
    /// Level id.
    pub level: LevelId,
    /// Level name.
    pub level_name: String,
    /// Level rank.
    pub level_rank: u32,
    /// Theme id.
    pub theme: ThemeId,
    /// Theme name.
    pub theme_name: String,
    /// Must or Should.
    pub obligation: Obligation,
    /// Text.
    pub text: String,
}

impl ReqRef {
    fn of(model: &Model, r: &Requirement) -> ReqRef {
        let level = model.level(r.level.as_str());
        ReqRef {
            id: r.id.clone(),
            level: r.level.clone(),
            level_name: level.map(|l| l.name.clone()).unwrap_or_default(),
            level_rank: level.map(|l| l.rank).unwrap_or_default(),
            theme: r.theme.clone(),
            theme_name: model
                .theme(r.theme.as_str())
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            obligation: r.obligation,
            text: r.text.clone(),
        }
    }
}

/// One change from the old model to the new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Only in the new model.
    Added {
        /// The new requirement.
        to: ReqRef,
    },
    /// Only in the old model.
    Removed {
        /// The old requirement.
        from: ReqRef,
    },
    /// Same requirement, new id.
    Renumbered {
        /// Old.
        from: ReqRef,
        /// New.
        to: ReqRef,
    },
    /// Several old requirements became one.
    Merged {
        /// Old ones.
        from: Vec<ReqRef>,
        /// New one.
        to: ReqRef,
    },
    /// One old requirement became several.
    Split {
        /// Old one.
        from: ReqRef,
        /// New ones.
        to: Vec<ReqRef>,
    },
    /// Moved to another level.
    LevelMoved {
        /// Old.
        from: ReqRef,
        /// New.
        to: ReqRef,
    },
    /// Moved to another theme.
    ThemeMoved {
        /// Old.
        from: ReqRef,
        /// New.
        to: ReqRef,
    },
    /// Must became Should or the other way round.
    ObligationChanged {
        /// Old.
        from: ReqRef,
        /// New.
        to: ReqRef,
    },
    /// The wording changed.
    TextChanged {
        /// Old.
        from: ReqRef,
        /// New.
        to: ReqRef,
    },
}

/// One declared mapping used to pair requirements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappingStep {
    /// The model paired from in this step.
    pub from: ModelId,
    /// The model paired to in this step.
    pub to: ModelId,
    /// The model whose file declares the mapping.
    pub declared_in: ModelId,
    /// Whether it was read backwards (declared by `to` onto `from`).
    pub reversed: bool,
}

/// Which mappings paired the requirements: one step when one model maps onto the
/// other, several when the models are linked through others (os2-2018 → os2-2021 →
/// os2-1.1.0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MappingUsed {
    /// The steps, from the old model to the new.
    pub steps: Vec<MappingStep>,
}

/// Pairs of (old requirement, new requirement).
pub type Pairs = Vec<(RequirementId, RequirementId)>;

/// The pairs given by a mapping that `from` declares onto `to`, or `to` onto `from`
/// (read backwards).
pub fn direct_pairs(from: &Model, to: &Model) -> Option<(Pairs, MappingStep)> {
    if let Some(m) = from.mapping_to(to.id().as_str()) {
        let pairs = m
            .correspondences(from, to)
            .into_iter()
            .flat_map(|c| c.to.into_iter().map(move |t| (c.from.clone(), t)))
            .collect();
        return Some((
            pairs,
            MappingStep {
                from: from.id().clone(),
                to: to.id().clone(),
                declared_in: from.id().clone(),
                reversed: false,
            },
        ));
    }
    let m = to.mapping_to(from.id().as_str())?;
    let pairs = m
        .correspondences(to, from)
        .into_iter()
        .flat_map(|c| c.to.into_iter().map(move |old| (old, c.from.clone())))
        .collect();
    Some((
        pairs,
        MappingStep {
            from: from.id().clone(),
            to: to.id().clone(),
            declared_in: to.id().clone(),
            reversed: true,
        },
    ))
}

/// Pairs by id (and alias), for models without a mapping between them.
pub fn pairs_by_id(from: &Model, to: &Model) -> Pairs {
    from.requirements()
        .iter()
        .filter_map(|r| {
            to.requirement(r.id.as_str())
                .or_else(|| r.aliases.iter().find_map(|a| to.requirement(a.as_str())))
                .map(|t| (r.id.clone(), t.id.clone()))
        })
        .collect()
}

/// Composes two pair relations: (a, c) wherever (a, b) and (b, c).
pub fn compose(first: &Pairs, second: &Pairs) -> Pairs {
    let mut out: Pairs = Vec::new();
    for (a, b) in first {
        for (b2, c) in second {
            if b == b2 && !out.iter().any(|(x, y)| x == a && y == c) {
                out.push((a.clone(), c.clone()));
            }
        }
    }
    out
}

/// The differences between two models.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelDiff {
    /// Old model id and version.
    pub from: (ModelId, String),
    /// New model id and version.
    pub to: (ModelId, String),
    /// The mapping used, if any (otherwise requirements are paired by id).
    pub mapping: Option<MappingUsed>,
    /// The changes, grouped by kind in the order of [`Change`]'s variants.
    pub changes: Vec<Change>,
}

impl ModelDiff {
    /// Whether the models have the same requirements in the same places with the same
    /// texts.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Compares `from` (old) with `to` (new), pairing requirements through a mapping that
/// one of them declares onto the other, or else by id. See also
/// [`crate::Registry::diff`], which also follows chains of mappings through other models.
pub fn diff(from: &Model, to: &Model) -> ModelDiff {
    match direct_pairs(from, to) {
        Some((pairs, step)) => {
            diff_with_pairs(from, to, &pairs, Some(MappingUsed { steps: vec![step] }))
        }
        None => diff_with_pairs(from, to, &pairs_by_id(from, to), None),
    }
}

/// Compares `from` with `to` using the given pairs of (old id, new id).
pub fn diff_with_pairs(
    from: &Model,
    to: &Model,
    pairs: &Pairs,
    mapping: Option<MappingUsed>,
) -> ModelDiff {
    // Keep only pairs of requirements that exist (a mapping may name retired ids).
    let pairs: Vec<(&Requirement, &Requirement)> = pairs
        .iter()
        .filter_map(|(a, b)| Some((from.requirement(a.as_str())?, to.requirement(b.as_str())?)))
        .collect();

    let old_ref = |r: &Requirement| ReqRef::of(from, r);
    let new_ref = |r: &Requirement| ReqRef::of(to, r);
    let mut changes = Vec::new();

    let paired_old: BTreeSet<&str> = pairs.iter().map(|(a, _)| a.id.as_str()).collect();
    let paired_new: BTreeSet<&str> = pairs.iter().map(|(_, b)| b.id.as_str()).collect();
    for r in to.requirements() {
        if !paired_new.contains(r.id.as_str()) {
            changes.push(Change::Added { to: new_ref(r) });
        }
    }
    for r in from.requirements() {
        if !paired_old.contains(r.id.as_str()) {
            changes.push(Change::Removed { from: old_ref(r) });
        }
    }
    let sources_of = |b: &Requirement| -> Vec<&Requirement> {
        pairs
            .iter()
            .filter(|(_, y)| y.id == b.id)
            .map(|(x, _)| *x)
            .collect()
    };
    let targets_of = |a: &Requirement| -> Vec<&Requirement> {
        pairs
            .iter()
            .filter(|(x, _)| x.id == a.id)
            .map(|(_, y)| *y)
            .collect()
    };
    for (a, b) in &pairs {
        if a.id != b.id && sources_of(b).len() == 1 && targets_of(a).len() == 1 {
            changes.push(Change::Renumbered {
                from: old_ref(a),
                to: new_ref(b),
            });
        }
    }
    for b in to.requirements() {
        let sources = sources_of(b);
        if sources.len() > 1 {
            changes.push(Change::Merged {
                from: sources.iter().map(|a| old_ref(a)).collect(),
                to: new_ref(b),
            });
        }
    }
    for a in from.requirements() {
        let targets = targets_of(a);
        if targets.len() > 1 {
            changes.push(Change::Split {
                from: old_ref(a),
                to: targets.iter().map(|b| new_ref(b)).collect(),
            });
        }
    }
    let mut moved = Vec::new();
    let mut themed = Vec::new();
    let mut obliged = Vec::new();
    let mut worded = Vec::new();
    for (a, b) in &pairs {
        let (ra, rb) = (old_ref(a), new_ref(b));
        if ra.level_rank != rb.level_rank {
            moved.push(Change::LevelMoved {
                from: ra.clone(),
                to: rb.clone(),
            });
        }
        if ra.theme.as_str().to_lowercase() != rb.theme.as_str().to_lowercase() {
            themed.push(Change::ThemeMoved {
                from: ra.clone(),
                to: rb.clone(),
            });
        }
        if ra.obligation != rb.obligation {
            obliged.push(Change::ObligationChanged {
                from: ra.clone(),
                to: rb.clone(),
            });
        }
        if squash(&ra.text) != squash(&rb.text) {
            worded.push(Change::TextChanged { from: ra, to: rb });
        }
    }
    changes.extend(moved);
    changes.extend(themed);
    changes.extend(obliged);
    changes.extend(worded);
    ModelDiff {
        from: (from.id().clone(), from.version().to_owned()),
        to: (to.id().clone(), to.version().to_owned()),
        mapping,
        changes,
    }
}
