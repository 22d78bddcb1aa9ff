//! # niveau-model
//!
//! The governance model as data and the rules that turn ratings into a level. Pure: no
//! I/O, no printing, no environment; every error is a typed value.
//!
//! - [`Model`] with its [`Level`]s, [`Theme`]s and [`Requirement`]s, loaded from TOML by
//!   [`load_model`] (format: docs/models.md) with problems that name file, line, column
//!   and the rule broken; the built-in models are in [`Registry::builtin`].
//! - [`AnswerValue`] / [`Answer`] (the product's claim) and [`Rating`] / [`Rated`] (the
//!   secretariat's judgment) are different types; [`SelfEvaluation`] and [`Evaluation`]
//!   hold them as plain data.
//! - [`indicate`] applies the level rule; [`count`] makes OS2's two count tables.
//! - [`ProposalTable`] proposes ratings from answers; [`diff()`] compares two models;
//!   [`Mapping`] translates ratings from an old model to a new one.

pub mod answer;
pub mod builtin;
pub mod claim;
pub mod counts;
pub mod diff;
pub mod engine;
pub mod error;
pub mod evaluation;
pub mod ids;
pub mod load;
pub mod mapping;
pub mod model;
pub mod money;
pub mod msg;
pub mod proposal;
pub mod rating;
pub mod terminal;

pub use answer::AnswerValue;
pub use builtin::{BUILTIN_FILES, Registry};
pub use claim::{ClaimAssessment, ClaimTable, Demand, EvidenceClass, Reference};
pub use counts::{CountTables, Counts, ThemeRow, count};
pub use diff::{Change, ModelDiff, diff};
pub use engine::{Gap, Indication, LevelStatus, NextLevel, Unmet, indicate};
pub use error::{Location, Problem, Problems, Rule, UnknownModel};
pub use evaluation::{Answer, Evaluation, EvaluationStatus, ModelRef, RatingEntry, SelfEvaluation};
pub use ids::{LevelId, ModelId, RequirementId, ThemeId, normalise_requirement_id};
pub use load::load_model;
pub use mapping::{Correspondence, Mapping, MappingEntry};
pub use model::{Edition, Level, Model, Obligation, Requirement, Resolved, Retired, Source, Theme};
pub use msg::Msg;
pub use proposal::{Proposal, ProposalRule, ProposalSource, ProposalTable};
pub use rating::{Rated, Rating, Ratings};
