//! From self-evaluation answers to proposed ratings.
//!
//! A proposal table (TOML, documented in docs/models.md; the default is
//! models/answer-proposals.toml) lists rules. The first rule whose answers and
//! documentation condition match an answer gives the proposal: a rating, a confidence
//! 1–5 and a reason in Danish and English. A proposal is only a proposal: the
//! secretariat confirms or changes it.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::Msg;
use crate::answer::{AnswerValue, answer_key};
use crate::error::{Problems, Rule};
use crate::evaluation::{Answer, SelfEvaluation};
use crate::ids::RequirementId;
use crate::load::{Reporter, Shape, deserialize_array, deserialize_value, parse_document};
use crate::model::Model;
use crate::rating::{Rated, Rating};

/// The key that matches every answer.
pub const ANY: &str = "*";

/// One rule of a proposal table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposalRule {
    /// Answer keys this rule matches (`ja`, `nej`, `planlagt`, `ikke relevant`,
    /// `ved ikke`, `blank`, a free value such as `delvist`, or `*` for any).
    pub answers: Vec<String>,
    /// `Some(true)`: only when documentation is given; `Some(false)`: only when not;
    /// `None`: either.
    pub documented: Option<bool>,
    /// The rating proposed.
    pub rating: Rating,
    /// How sure the proposal is, 1 (guess) to 5 (certain).
    pub confidence: u8,
    /// Why, in Danish.
    pub reason: String,
    /// Why, in English.
    pub reason_en: String,
}

impl ProposalRule {
    fn matches(&self, key: &str, documented: bool) -> bool {
        let answer_ok = self.answers.iter().any(|a| a == ANY || a == key);
        let doc_ok = self.documented.is_none_or(|d| d == documented);
        answer_ok && doc_ok
    }
}

/// A configurable table of rules from answers to proposed ratings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposalTable {
    /// Table id, e.g. `os2-standard`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What the table is for.
    pub description: Option<String>,
    /// Rules, tried in order.
    pub rules: Vec<ProposalRule>,
}

/// Where a proposal comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalSource {
    /// The product's self-evaluation answer.
    Answer,
    /// A repository scan.
    Scan,
    /// Portfolio data (groups, agreements, decisions).
    Portfolio,
}

/// A proposed rating for one requirement, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The requirement.
    pub requirement: RequirementId,
    /// The proposed rating.
    pub rating: Rating,
    /// Proposed basis: the product's documentation, which for Grey is the explanation.
    pub basis: Option<String>,
    /// 1 (guess) to 5 (certain).
    pub confidence: u8,
    /// Why, in Danish.
    pub reason: String,
    /// Why, in English.
    pub reason_en: String,
    /// Where it comes from.
    pub source: ProposalSource,
    /// The 1-based number of the table rule that matched.
    pub rule: usize,
}

impl Proposal {
    /// The proposal as a rating the level engine can read.
    pub fn rated(&self) -> Rated {
        Rated {
            rating: self.rating,
            basis: self.basis.clone(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    name: Spanned<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    answers: Spanned<Vec<String>>,
    documented: Option<bool>,
    rating: Spanned<String>,
    confidence: Spanned<i64>,
    reason: Spanned<String>,
    reason_en: Spanned<String>,
}

const TABLE_SHAPE: Shape = Shape {
    fields: &["id", "name", "description"],
    nested: &[],
};
const RULE_SHAPE: Shape = Shape {
    fields: &[
        "answers",
        "documented",
        "rating",
        "confidence",
        "reason",
        "reason_en",
    ],
    nested: &[],
};

/// The built-in table, models/answer-proposals.toml.
pub const DEFAULT_TABLE_TOML: &str = include_str!("../../../models/answer-proposals.toml");

impl ProposalTable {
    /// The built-in table.
    pub fn builtin() -> Result<ProposalTable, Problems> {
        ProposalTable::from_toml(DEFAULT_TABLE_TOML, "models/answer-proposals.toml")
    }

    /// Loads and validates a table from TOML text; `file` names the origin in messages.
    pub fn from_toml(text: &str, file: &str) -> Result<ProposalTable, Problems> {
        let mut rep = Reporter::new(file, text);
        let Some(doc) = parse_document(text, &mut rep) else {
            return Err(rep.into_problems());
        };
        let mut header = None;
        let mut raw_rules: Vec<(RawRule, Range<usize>)> = Vec::new();
        for (key, value) in doc.get_ref().iter() {
            match key.get_ref().as_ref() {
                "table" => header = deserialize_value::<RawHeader>(value, &TABLE_SHAPE, &mut rep),
                "rule" => raw_rules = deserialize_array("rule", value, &RULE_SHAPE, &mut rep),
                other => rep.report(
                    &key.span(),
                    Rule::Structure,
                    Msg::new(
                        format!("ukendt afsnit `{other}`; en forslagstabel har: table, rule"),
                        format!("unknown section `{other}`; a proposal table has: table, rule"),
                    ),
                ),
            }
        }
        let mut rules = Vec::new();
        for (r, _) in &raw_rules {
            let answers: Vec<String> = r.answers.get_ref().iter().map(|a| key_of(a)).collect();
            if answers.is_empty() || answers.iter().any(|a| a.is_empty()) {
                rep.report(
                    &r.answers.span(),
                    Rule::EmptyText,
                    Msg::new(
                        "`answers` skal nævne mindst ét svar, der ikke er tomt (brug \"blank\" for intet svar, \"*\" for ethvert)",
                        "`answers` must list at least one non-empty answer (use \"blank\" for no answer, \"*\" for any)",
                    ),
                );
            }
            let rating = match r.rating.get_ref().trim().to_lowercase().as_str() {
                "green" => Some(Rating::Green),
                "yellow" => Some(Rating::Yellow),
                "red" => Some(Rating::Red),
                "grey" | "gray" => Some(Rating::Grey),
                other => {
                    rep.report(
                        &r.rating.span(),
                        Rule::InvalidValue,
                        Msg::new(
                            format!("rating `{other}` skal være green, yellow, red eller grey"),
                            format!("rating `{other}` must be green, yellow, red or grey"),
                        ),
                    );
                    None
                }
            };
            let confidence = *r.confidence.get_ref();
            if !(1..=5).contains(&confidence) {
                rep.report(
                    &r.confidence.span(),
                    Rule::InvalidValue,
                    Msg::new(
                        format!("confidence {confidence} skal være mellem 1 og 5"),
                        format!("confidence {confidence} must be between 1 and 5"),
                    ),
                );
            }
            for text in [&r.reason, &r.reason_en] {
                if text.get_ref().trim().is_empty() {
                    rep.report(
                        &text.span(),
                        Rule::EmptyText,
                        Msg::new("begrundelsen er ikke udfyldt", "the reason is empty"),
                    );
                }
            }
            if let Some(rating) = rating {
                rules.push(ProposalRule {
                    answers,
                    documented: r.documented,
                    rating,
                    confidence: u8::try_from(confidence.clamp(1, 5)).unwrap_or(1),
                    reason: r.reason.get_ref().trim().to_owned(),
                    reason_en: r.reason_en.get_ref().trim().to_owned(),
                });
            }
        }
        let is_catch_all =
            |r: &ProposalRule| r.documented.is_none() && r.answers.iter().any(|a| a == ANY);
        match rules.iter().position(is_catch_all) {
            None if !rep.has_problems() => rep.report(
                &(0..0),
                Rule::Structure,
                Msg::new(
                    "tabellen skal have en regel med answers = [\"*\"] og uden `documented`-betingelse, så ethvert svar får et forslag",
                    "the table needs a rule with answers = [\"*\"] and no `documented` condition, so that every answer gets a proposal",
                ),
            ),
            Some(i) if i + 1 < raw_rules.len() => {
                if let Some((_, span)) = raw_rules.get(i + 1) {
                    rep.report(
                        span,
                        Rule::Structure,
                        Msg::new(
                            format!(
                                "denne regel kan aldrig bruges: regel {} før den (answers = [\"*\"]) passer på ethvert svar",
                                i + 1
                            ),
                            format!(
                                "this rule can never match: rule {} before it (answers = [\"*\"]) matches every answer",
                                i + 1
                            ),
                        ),
                    );
                }
            }
            _ => {}
        }
        let header = match header {
            Some(h) => Some(h),
            None => {
                rep.report(
                    &(0..0),
                    Rule::Structure,
                    Msg::new(
                        "afsnittet [table] med id og name mangler",
                        "missing [table] section with id and name",
                    ),
                );
                None
            }
        };
        if rep.has_problems() {
            return Err(rep.into_problems());
        }
        let Some(h) = header else {
            return Err(rep.into_problems());
        };
        rep.finish(ProposalTable {
            id: h.id.get_ref().trim().to_owned(),
            name: h.name.get_ref().trim().to_owned(),
            description: h.description,
            rules,
        })
    }

    /// Proposes a rating for one answer.
    pub fn propose(&self, answer: &Answer) -> Proposal {
        let key = answer.value.key();
        let documented = answer.is_documented();
        let found = self
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.matches(&key, documented));
        let basis = answer
            .documentation
            .clone()
            .filter(|_| documented)
            .or_else(|| (!answer.evidence.is_empty()).then(|| answer.evidence.join("\n")));
        match found {
            Some((i, rule)) => Proposal {
                requirement: answer.requirement.clone(),
                rating: rule.rating,
                basis,
                confidence: rule.confidence,
                reason: rule.reason.clone(),
                reason_en: rule.reason_en.clone(),
                source: ProposalSource::Answer,
                rule: i + 1,
            },
            // Unreachable for a validated table (it has a catch-all rule), but a table
            // built by hand may not: propose nothing better than Red.
            None => Proposal {
                requirement: answer.requirement.clone(),
                rating: Rating::Red,
                basis,
                confidence: 1,
                reason: "Svaret passer ikke på nogen regel i forslagstabellen.".into(),
                reason_en: "The answer matches no rule of the proposal table.".into(),
                source: ProposalSource::Answer,
                rule: 0,
            },
        }
    }

    /// Proposes a rating for every requirement of `model`; a requirement the
    /// self-evaluation does not answer is treated as blank.
    pub fn propose_all(&self, model: &Model, evaluation: &SelfEvaluation) -> Vec<Proposal> {
        model
            .requirements()
            .iter()
            .map(|req| match evaluation.answer(req.id.as_str()) {
                Some(a) => self.propose(a),
                None => self.propose(&Answer::new(req.id.clone(), AnswerValue::Unanswered)),
            })
            .collect()
    }
}

fn key_of(text: &str) -> String {
    let t = text.trim();
    if t == ANY {
        ANY.to_owned()
    } else {
        answer_key(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(value: &str, documentation: Option<&str>) -> Answer {
        let mut a = Answer::new("F1", AnswerValue::parse(value));
        a.original = Some(value.to_owned());
        a.documentation = documentation.map(str::to_owned);
        a
    }

    #[test]
    fn builtin_table_loads() {
        let table = ProposalTable::builtin().unwrap();
        assert!(table.rules.len() >= 8);
    }

    #[test]
    fn yes_with_documentation_is_green() {
        let t = ProposalTable::builtin().unwrap();
        let p = t.propose(&answer("Ja", Some("https://github.com/OS2borgerPC")));
        assert_eq!(p.rating, Rating::Green);
        assert_eq!(p.basis.as_deref(), Some("https://github.com/OS2borgerPC"));
    }

    #[test]
    fn yes_without_documentation_is_not_green_and_says_so() {
        let t = ProposalTable::builtin().unwrap();
        for doc in [None, Some(""), Some("[Ikke udfyldt]")] {
            let p = t.propose(&answer("Ja", doc));
            assert_ne!(p.rating, Rating::Green, "documentation {doc:?}");
            assert!(p.reason.contains("dokumentation"), "{}", p.reason);
        }
    }

    #[test]
    fn every_kind_of_answer_gets_a_proposal() {
        let t = ProposalTable::builtin().unwrap();
        let cases = [
            ("Nej", Rating::Red),
            ("Planlagt", Rating::Red),
            ("Ved ikke", Rating::Yellow),
            ("", Rating::Red),
            ("Delvist", Rating::Yellow),
            ("I gang", Rating::Yellow),
            ("Måske en dag", Rating::Yellow),
        ];
        for (value, expected) in cases {
            let p = t.propose(&answer(value, Some("noget dokumentation")));
            assert_eq!(p.rating, expected, "answer {value:?}");
            assert!(p.rule > 0);
            assert!(!p.reason.is_empty());
        }
    }

    #[test]
    fn not_relevant_is_grey_and_carries_its_explanation() {
        let t = ProposalTable::builtin().unwrap();
        let p = t.propose(&answer("Ikke relevant", Some("Internt værktøj")));
        assert_eq!(p.rating, Rating::Grey);
        assert!(p.rated().counts_as_met());
        let p = t.propose(&answer("Ikke relevant", None));
        assert_eq!(p.rating, Rating::Grey);
        assert!(!p.rated().counts_as_met());
        assert!(p.reason.contains("forklaring"), "{}", p.reason);
    }

    #[test]
    fn table_errors_name_line_and_rule() {
        let text = "[table]\nid = \"x\"\nname = \"X\"\n\n[[rule]]\nanswers = [\"ja\"]\nrating = \"blue\"\nconfidence = 9\nreason = \"r\"\nreason_en = \"r\"\n";
        let err = ProposalTable::from_toml(text, "t.toml").unwrap_err();
        let rendered = err.to_string();
        assert!(
            rendered.contains("t.toml:7:10: error[invalid-value]: rating `blue`"),
            "{rendered}"
        );
        assert!(
            rendered.contains("t.toml:8:14: error[invalid-value]: confidence 9"),
            "{rendered}"
        );
    }

    #[test]
    fn a_table_without_catch_all_is_rejected() {
        let text = "[table]\nid = \"x\"\nname = \"X\"\n\n[[rule]]\nanswers = [\"ja\"]\nrating = \"green\"\nconfidence = 3\nreason = \"r\"\nreason_en = \"r\"\n";
        let err = ProposalTable::from_toml(text, "t.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert!(err.problems[0].message.contains("answers = [\"*\"]"));
    }

    #[test]
    fn a_rule_after_the_catch_all_is_reported_as_unreachable() {
        let text = "[table]\nid = \"x\"\nname = \"X\"\n\n[[rule]]\nanswers = [\"*\"]\nrating = \"yellow\"\nconfidence = 1\nreason = \"r\"\nreason_en = \"r\"\n\n[[rule]]\nanswers = [\"ja\"]\nrating = \"green\"\nconfidence = 3\nreason = \"r\"\nreason_en = \"r\"\n";
        let err = ProposalTable::from_toml(text, "t.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].location.line, 12);
        assert!(err.problems[0].message.contains("can never match"), "{err}");
    }
}
