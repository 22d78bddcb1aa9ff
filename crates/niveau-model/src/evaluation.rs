//! Self-evaluations (the product's claim) and evaluations (the secretariat's judgment) as
//! plain data. They are deliberately separate types: an answer is never a rating.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::answer::AnswerValue;
use crate::ids::{LevelId, ModelId, RequirementId};
use crate::rating::{Rated, Rating, Ratings};

/// Which model (and version) a document was made against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelRef {
    /// Model id, e.g. `os2-1.1.0`.
    pub id: ModelId,
    /// Model version, e.g. `1.1.0`.
    pub version: String,
}

/// The product's answer to one requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The requirement answered.
    pub requirement: RequirementId,
    /// The normalised answer.
    pub value: AnswerValue,
    /// The answer exactly as written in the source, if it came from a document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// The documentation (dokumentation / henvisning) the product gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// Links to evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

impl Answer {
    /// An answer without documentation.
    pub fn new(requirement: impl Into<RequirementId>, value: AnswerValue) -> Self {
        Answer {
            requirement: requirement.into(),
            value,
            original: None,
            documentation: None,
            evidence: Vec::new(),
        }
    }

    /// Whether documentation is present: a non-blank text that is not one of OS2's
    /// placeholders (`[Ikke udfyldt]`), or at least one evidence link.
    pub fn is_documented(&self) -> bool {
        let placeholder = self
            .documentation
            .as_deref()
            .is_none_or(crate::answer::is_placeholder);
        !placeholder || !self.evidence.is_empty()
    }
}

/// A self-evaluation (selvevaluering / governancerapport): the product's claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfEvaluation {
    /// The model answered.
    pub model: ModelRef,
    /// Product name as written.
    pub product: String,
    /// Date filled in (dato for udfyldelse).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Who filled it in (udfyldt af).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filled_by: Option<String>,
    /// The level the product claims or aims for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_level: Option<LevelId>,
    /// Link to the git organisation or repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// One answer per requirement answered.
    pub answers: Vec<Answer>,
}

impl SelfEvaluation {
    /// The answer to a requirement, if given.
    pub fn answer(&self, id: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.requirement.as_str() == id)
    }
}

/// Status of an evaluation in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvaluationStatus {
    /// Kladde.
    Draft,
    /// I dialog med produktet.
    InDialogue,
    /// Endelig.
    Final,
    /// Offentliggjort.
    Published,
}

impl EvaluationStatus {
    /// Danish label.
    pub fn label_da(self) -> &'static str {
        match self {
            EvaluationStatus::Draft => "kladde",
            EvaluationStatus::InDialogue => "i dialog",
            EvaluationStatus::Final => "endelig",
            EvaluationStatus::Published => "offentliggjort",
        }
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        match self {
            EvaluationStatus::Draft => "draft",
            EvaluationStatus::InDialogue => "in dialogue",
            EvaluationStatus::Final => "final",
            EvaluationStatus::Published => "published",
        }
    }
}

/// The secretariat's rating of one requirement, with the original cell text kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingEntry {
    /// The requirement rated.
    pub requirement: RequirementId,
    /// The rating, or `None` if not rated yet.
    pub rating: Option<Rating>,
    /// The rating exactly as written in the source document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// The basis (vurderingsgrundlag); for Grey it is the explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// A recommendation for this requirement (anbefaling), where the document has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
}

/// An evaluation (evalueringsrapport): the secretariat's judgment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The model used.
    pub model: ModelRef,
    /// Product name as written.
    pub product: String,
    /// Date of the evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Who evaluated (evaluering lavet af).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluated_by: Option<String>,
    /// Link to the product's git organisation or repository.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Status.
    pub status: EvaluationStatus,
    /// Resumé.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Overordnet vurdering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall: Option<String>,
    /// Anbefaling.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommendation: Option<String>,
    /// The level the evaluation recommends, where it states one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_level: Option<LevelId>,
    /// One entry per requirement.
    pub ratings: Vec<RatingEntry>,
}

impl Evaluation {
    /// The ratings in the form the level engine reads. Unrated entries are left out.
    pub fn ratings(&self) -> Ratings {
        ratings_of(&self.ratings)
    }
}

/// Rating entries in the form the level engine reads. Unrated entries are left out.
pub fn ratings_of(entries: &[RatingEntry]) -> Ratings {
    entries
        .iter()
        .filter_map(|e| {
            e.rating.map(|rating| {
                (
                    e.requirement.clone(),
                    Rated {
                        rating,
                        basis: e.basis.clone(),
                    },
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_documentation_is_not_documentation() {
        let mut a = Answer::new("F1", AnswerValue::Yes);
        assert!(!a.is_documented());
        a.documentation = Some("[Ikke udfyldt]".into());
        assert!(!a.is_documented());
        a.documentation = Some("Udfyldes".into());
        assert!(!a.is_documented());
        a.documentation = Some("https://github.com/OS2borgerPC".into());
        assert!(a.is_documented());
        a.documentation = None;
        a.evidence.push("https://example.org/README.md".into());
        assert!(a.is_documented());
    }
}
