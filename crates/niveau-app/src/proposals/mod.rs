//! Proposed ratings for a draft evaluation, from three sources, merged into one proposal
//! per requirement.
//!
//! | source (`source`) | where it comes from | typical confidence |
//! |---|---|---|
//! | `answer` | the self-evaluation's answers through the proposal table (models/answer-proposals.toml) | 1–4 (Ja with documentation: 3) |
//! | `scan` | the latest finished repository scan (niveau-scan's combined result per requirement) | 1–5, per detector |
//! | `portfolio` | the registry: participants, groups, agreements ([`crate::evidence`]) | 2–4 |
//!
//! The ids are niveau-model's [`ProposalSource`] values.
//!
//! **Precedence.** For each requirement:
//!
//! 1. Within one source the *weakest* rating stands (🔴 < 🟡 < ⚪ < 🟢; on equal ratings the
//!    higher confidence): a requirement is not met by one repository when another fails
//!    it, and a translated answer does not count twice.
//! 2. Between sources the *most confident* proposal wins. On equal confidence the source
//!    decides: `portfolio` before `scan` before `answer`, because the secretariat's own
//!    registry is checked data, a scan observes the repository, and an answer is the
//!    product's claim. On a tie in both, the weaker rating wins.
//! 3. Every other candidate is kept in `alternatives`, and `conflict` says that some
//!    source proposed a different rating, so the secretariat sees the disagreement.
//!
//! The draft's initial ratings are the winning proposals (requirements without any
//! proposal stay unrated). The basis of a rating is the product's documentation for an
//! answer (so that an unexplained "Ikke relevant" stays an unexplained Grey, which does
//! not count as met) and the explanation of the evidence for a scan or the portfolio.
//!
//! The module is pure (no store): [`sources`] turns answers, scan results and portfolio
//! findings into [`Candidate`]s, [`merge`](mod@merge) chooses among them.

use std::sync::OnceLock;

use niveau_model::{EvidenceClass, Msg, ProposalSource, ProposalTable, Rating, Reference};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;

pub mod links;
pub mod merge;
pub mod sources;

pub use merge::{indicated_level, initial_ratings, merge};
pub use sources::{from_answers, from_portfolio, from_scan, translate};

/// One source's proposal for a requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Candidate {
    /// Where it comes from: `answer`, `scan` or `portfolio`.
    #[schema(value_type = String)]
    pub source: ProposalSource,
    /// The proposed rating: `green`, `yellow`, `red`, `grey`.
    #[schema(value_type = String)]
    pub rating: Rating,
    /// 1 (a guess) to 5 (certain).
    pub confidence: u8,
    /// Why, in Danish (`da`) and English (`en`).
    #[schema(value_type = Object)]
    pub reason: Msg,
    /// The basis the rating gets if this proposal is taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Which rule, detector or repository, for people (`regel 1`, `portfolio.lead`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The evidence, as the source gives it (files, commits, values, registry rows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub evidence: Vec<serde_json::Value>,
    /// For an `answer` candidate: the product's claim and what its documentation proves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<Claim>,
}

/// The product's claim for a requirement: its answer and documentation, and what the
/// documentation proves (niveau-model's claim module).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Claim {
    /// The answer as written ("Ja", "Planlagt").
    pub answer: Option<String>,
    /// The documentation as written.
    pub documentation: Option<String>,
    /// What the documentation proves: `missing`, `repeat`, `promise`, `statement`,
    /// `described` or `named`.
    #[schema(value_type = Option<String>)]
    pub evidence: Option<EvidenceClass>,
    /// What the documentation names (URLs, files, documents, decisions, groups).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub references: Vec<Reference>,
    /// Whether the answer claims the requirement is met ("Ja", "Delvist").
    pub positive: bool,
    /// A positive answer whose documentation names nothing checkable.
    pub lacks_evidence: bool,
    /// What to check, or what evidence would settle the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub check: Option<Msg>,
    /// Needs the secretariat's judgment (e.g. "Ikke relevant" on a Must).
    pub flagged: bool,
}

/// How the claim and the evidence relate, for one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Only the product's claim: no scan or registry evidence for the requirement.
    ClaimOnly,
    /// No claim (no self-evaluation, or not answered): the evidence alone.
    EvidenceOnly,
    /// The evidence confirms the claim.
    Confirmed,
    /// The evidence contradicts the claim.
    Contradicted,
    /// The evidence is too uncertain to settle the claim; the claim stands.
    Unsettled,
}

impl Verdict {
    /// The verdict's name in Danish, as the workbench and the CLI show it.
    pub fn label_da(self) -> &'static str {
        match self {
            Verdict::ClaimOnly => "kun påstanden",
            Verdict::EvidenceOnly => "kun evidens",
            Verdict::Confirmed => "bekræftet",
            Verdict::Contradicted => "modsagt",
            Verdict::Unsettled => "uafklaret",
        }
    }

    /// The verdict's name in English.
    pub fn label_en(self) -> &'static str {
        match self {
            Verdict::ClaimOnly => "claim only",
            Verdict::EvidenceOnly => "evidence only",
            Verdict::Confirmed => "confirmed",
            Verdict::Contradicted => "contradicted",
            Verdict::Unsettled => "unsettled",
        }
    }
}

/// The proposal for one requirement: the winning candidate, and the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RatingProposal {
    /// The requirement.
    pub requirement: String,
    /// The winning candidate: source, rating, confidence, reason, basis, evidence.
    #[serde(flatten)]
    pub chosen: Candidate,
    /// Whether another candidate proposes a different rating.
    pub conflict: bool,
    /// The candidates that did not win.
    #[serde(default)]
    pub alternatives: Vec<Candidate>,
    /// How claim and evidence relate.
    #[serde(default = "claim_only")]
    pub verdict: Verdict,
    /// The product's claim, if it answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<Claim>,
    /// A positive claim without documentation that no evidence confirms: one to ask the
    /// product about.
    #[serde(default)]
    pub lacks_evidence: bool,
    /// Where the sources disagree, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub disagreement: Option<Msg>,
}

fn claim_only() -> Verdict {
    Verdict::ClaimOnly
}

/// The built-in proposal table, read once.
pub fn default_table() -> Result<&'static ProposalTable, AppError> {
    static TABLE: OnceLock<Result<ProposalTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| ProposalTable::builtin().map_err(|p| p.to_string()))
        .as_ref()
        .map_err(AppError::internal)
}

/// A self-evaluation of product `X` against `model` with `answers`, for the tests.
#[cfg(test)]
pub(crate) fn self_evaluation(
    model: &niveau_model::Model,
    answers: Vec<niveau_model::Answer>,
) -> niveau_model::SelfEvaluation {
    niveau_model::SelfEvaluation {
        model: niveau_model::ModelRef {
            id: model.id().clone(),
            version: model.version().into(),
        },
        product: "X".into(),
        date: None,
        filled_by: None,
        target_level: None,
        repository: None,
        answers,
    }
}
