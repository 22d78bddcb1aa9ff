//! The governance model as data: levels, themes and requirements.
//!
//! A [`Model`] is only built by the loader (see [`crate::load`]), which validates it, so
//! every requirement refers to a level and a theme that exist, ids are unique and levels
//! are in order. The model is read-only afterwards.

use std::collections::HashMap;

use serde::Serialize;

use crate::ids::{LevelId, ModelId, RequirementId, ThemeId, normalise_requirement_id};
use crate::mapping::Mapping;

/// Whether a requirement must be met ("skal") or is a recommendation ("bør", "anbefaling").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Obligation {
    /// "skal": an unmet Must requirement blocks its level.
    Must,
    /// "bør" / "(anbefaling)": never blocks a level.
    Should,
}

impl Obligation {
    /// The Danish word OS2 uses.
    pub fn label_da(self) -> &'static str {
        match self {
            Obligation::Must => "skal",
            Obligation::Should => "bør (anbefaling)",
        }
    }

    /// The English word.
    pub fn label_en(self) -> &'static str {
        match self {
            Obligation::Must => "must",
            Obligation::Should => "should (recommendation)",
        }
    }
}

/// Where a model comes from, so that every built-in model can cite its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Title of the source document.
    pub title: String,
    /// Where it is published.
    pub url: Option<String>,
    /// The licence of the source text, e.g. `CC BY-SA 4.0`.
    pub license: Option<String>,
    /// Who to attribute, e.g. `OS2 – Offentligt digitaliseringsfællesskab`.
    pub attribution: Option<String>,
    /// Free notes on how the model was derived from the source.
    pub notes: Option<String>,
}

/// A level (niveau) of a model, e.g. sandkasse, 1, 2, 3. Levels are cumulative: reaching
/// a level requires every Must requirement at that level and all levels below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Level {
    /// Stable id, e.g. `sandkasse` or `2`.
    pub id: LevelId,
    /// Display name, e.g. `Niveau 2`.
    pub name: String,
    /// Position in the order of levels; strictly increasing through the model.
    pub rank: u32,
    /// Other ways documents write this level, e.g. `0` for sandkasse.
    pub aliases: Vec<String>,
    /// What the level means, from the source.
    pub description: Option<String>,
}

/// A theme (tema) of a model, e.g. Relevans or Formkrav.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Theme {
    /// Stable id, e.g. `relevans`.
    pub id: ThemeId,
    /// Display name, e.g. `Strategisk sammenhæng`.
    pub name: String,
    /// Description from the source.
    pub description: Option<String>,
}

/// A requirement (krav).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// Id, unique within the model (e.g. `F7`).
    pub id: RequirementId,
    /// The theme it belongs to.
    pub theme: ThemeId,
    /// The level at which it first applies.
    pub level: LevelId,
    /// The requirement text, exactly as the source writes it.
    pub text: String,
    /// A shorter wording where the source has one (OS2's evaluation template).
    pub short_text: Option<String>,
    /// Guidance for the product (retningslinje).
    pub guideline: Option<String>,
    /// How the secretariat assesses it (vurderingskriterie).
    pub criterion: Option<String>,
    /// Must or Should.
    pub obligation: Obligation,
    /// Other ids by which documents refer to this requirement.
    pub aliases: Vec<RequirementId>,
}

/// A requirement id that is no longer used, e.g. F8 and F9 merged into F7 in OS2 1.1.0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retired {
    /// The retired id.
    pub id: RequirementId,
    /// The requirement that now covers it, if any.
    pub merged_into: Option<RequirementId>,
    /// Why, in the source's words.
    pub note: Option<String>,
}

/// An earlier edition of the same model whose documents number some requirements
/// differently (e.g. OS2's 2021 checklist, where S4 is today's S5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    /// Edition id, e.g. `2021`.
    pub id: String,
    /// Title of the edition.
    pub title: String,
    /// What differs.
    pub note: Option<String>,
    /// Id as written in this edition → id in the model.
    pub renumber: Vec<(RequirementId, RequirementId)>,
    /// Model requirements that this edition does not have (a document of this edition
    /// is not expected to answer them).
    pub absent: Vec<RequirementId>,
}

/// The result of looking up an id in a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved<'a> {
    /// The id (or one of its aliases) names this requirement.
    Requirement(&'a Requirement),
    /// The id is retired and merged into this requirement.
    MergedInto(&'a Requirement, &'a Retired),
    /// The id is retired without a successor.
    Retired(&'a Retired),
}

/// A governance model: levels, themes and requirements, with its source.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    pub(crate) id: ModelId,
    pub(crate) version: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) language: String,
    pub(crate) source: Source,
    pub(crate) levels: Vec<Level>,
    pub(crate) themes: Vec<Theme>,
    pub(crate) requirements: Vec<Requirement>,
    pub(crate) retired: Vec<Retired>,
    pub(crate) editions: Vec<Edition>,
    pub(crate) mappings: Vec<Mapping>,
    #[serde(skip)]
    pub(crate) index: ModelIndex,
}

/// Lookup tables built once when the model is loaded.
#[derive(Debug, Clone, Default)]
pub(crate) struct ModelIndex {
    pub(crate) requirement_by_id: HashMap<String, usize>,
    pub(crate) level_by_id: HashMap<String, usize>,
    pub(crate) theme_by_id: HashMap<String, usize>,
    pub(crate) retired_by_id: HashMap<String, usize>,
}

impl ModelIndex {
    pub(crate) fn build(
        levels: &[Level],
        themes: &[Theme],
        requirements: &[Requirement],
        retired: &[Retired],
    ) -> Self {
        let mut index = ModelIndex::default();
        for (i, level) in levels.iter().enumerate() {
            index
                .level_by_id
                .insert(level.id.as_str().to_lowercase(), i);
            for alias in &level.aliases {
                index.level_by_id.insert(alias.to_lowercase(), i);
            }
        }
        for (i, theme) in themes.iter().enumerate() {
            index
                .theme_by_id
                .insert(theme.id.as_str().to_lowercase(), i);
        }
        for (i, req) in requirements.iter().enumerate() {
            index
                .requirement_by_id
                .insert(normalise_requirement_id(req.id.as_str()), i);
            for alias in &req.aliases {
                index
                    .requirement_by_id
                    .insert(normalise_requirement_id(alias.as_str()), i);
            }
        }
        for (i, r) in retired.iter().enumerate() {
            index
                .retired_by_id
                .insert(normalise_requirement_id(r.id.as_str()), i);
        }
        index
    }
}

impl Model {
    /// The model id, e.g. `os2-1.1.0`.
    pub fn id(&self) -> &ModelId {
        &self.id
    }

    /// The model version, e.g. `1.1.0`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Description, if any.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The language of the requirement texts (BCP 47, e.g. `da`).
    pub fn language(&self) -> &str {
        &self.language
    }

    /// Where the model comes from.
    pub fn source(&self) -> &Source {
        &self.source
    }

    /// Levels from lowest to highest.
    pub fn levels(&self) -> &[Level] {
        &self.levels
    }

    /// Themes in the order the source presents them.
    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    /// Requirements in the order the source presents them.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// Retired ids.
    pub fn retired(&self) -> &[Retired] {
        &self.retired
    }

    /// Earlier editions with different numbering.
    pub fn editions(&self) -> &[Edition] {
        &self.editions
    }

    /// Declared mappings onto other models.
    pub fn mappings(&self) -> &[Mapping] {
        &self.mappings
    }

    /// The mapping from this model onto `target`, if the model declares one.
    pub fn mapping_to(&self, target: &str) -> Option<&Mapping> {
        self.mappings.iter().find(|m| m.target.as_str() == target)
    }

    /// A level by id or alias (case-insensitive, e.g. `Sandkasse`, `0`, `2`; also
    /// `Niveau 2` / `niveau 2`).
    pub fn level(&self, id: &str) -> Option<&Level> {
        let key = id.trim().to_lowercase();
        let key = key
            .strip_prefix("niveau")
            .map(str::trim)
            .unwrap_or(key.as_str());
        self.index
            .level_by_id
            .get(key)
            .and_then(|&i| self.levels.get(i))
    }

    /// The position of a level in the model's order (0 = lowest).
    pub fn level_position(&self, id: &LevelId) -> Option<usize> {
        self.levels.iter().position(|l| &l.id == id)
    }

    /// A theme by id (case-insensitive).
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.index
            .theme_by_id
            .get(&id.trim().to_lowercase())
            .and_then(|&i| self.themes.get(i))
    }

    /// A requirement by id or alias. The text is normalised first (`f07` finds `F7`).
    /// Retired ids are not found here; see [`Model::resolve`].
    pub fn requirement(&self, id: &str) -> Option<&Requirement> {
        self.index
            .requirement_by_id
            .get(&normalise_requirement_id(id))
            .and_then(|&i| self.requirements.get(i))
    }

    /// Resolves an id as written in a document: a requirement, an alias, or a retired id
    /// (with the requirement it was merged into).
    pub fn resolve(&self, id: &str) -> Option<Resolved<'_>> {
        if let Some(req) = self.requirement(id) {
            return Some(Resolved::Requirement(req));
        }
        let retired = self
            .index
            .retired_by_id
            .get(&normalise_requirement_id(id))
            .and_then(|&i| self.retired.get(i))?;
        match retired
            .merged_into
            .as_ref()
            .and_then(|target| self.requirement(target.as_str()))
        {
            Some(req) => Some(Resolved::MergedInto(req, retired)),
            None => Some(Resolved::Retired(retired)),
        }
    }

    /// Resolves an id as written in a document of the given edition (see [`Edition`]):
    /// renumbered ids are translated first; ids absent from the edition are not found.
    pub fn resolve_in_edition(&self, edition: &str, id: &str) -> Option<Resolved<'_>> {
        let Some(ed) = self.editions.iter().find(|e| e.id == edition) else {
            return self.resolve(id);
        };
        let key = normalise_requirement_id(id);
        if let Some((_, to)) = ed.renumber.iter().find(|(from, _)| from.as_str() == key) {
            return self.resolve(to.as_str());
        }
        // A model id that the edition reaches only through renumbering (S5 in 2021, where
        // it was written S4) is not an id of that edition.
        if ed.renumber.iter().any(|(_, to)| to.as_str() == key) {
            return None;
        }
        self.resolve(&key)
    }

    /// Requirements at exactly this level.
    pub fn requirements_at<'a>(
        &'a self,
        level: &'a LevelId,
    ) -> impl Iterator<Item = &'a Requirement> + 'a {
        self.requirements.iter().filter(move |r| &r.level == level)
    }

    /// Requirements of this theme.
    pub fn requirements_in<'a>(
        &'a self,
        theme: &'a ThemeId,
    ) -> impl Iterator<Item = &'a Requirement> + 'a {
        self.requirements.iter().filter(move |r| &r.theme == theme)
    }
}
