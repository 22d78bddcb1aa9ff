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
use crate::claim::{ClaimAssessment, ClaimTable, EvidenceClass};
use crate::error::{Problems, Rule};
use crate::evaluation::{Answer, SelfEvaluation};
use crate::ids::RequirementId;
use crate::load::{Reporter, Shape, deserialize_array, deserialize_value, parse_document};
use crate::model::{Model, Obligation, Requirement};
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
    /// Only when the claim's evidence is of one of these classes (`missing`, `repeat`,
    /// `promise`, `statement`, `described`, `named`; see [`crate::claim`]); `None`: any.
    pub evidence: Option<Vec<String>>,
    /// Only for requirements of this obligation; `None`: any.
    pub obligation: Option<Obligation>,
    /// The proposal needs the secretariat's judgment (shown flagged).
    pub flag: bool,
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
    fn matches(
        &self,
        key: &str,
        documented: bool,
        class: EvidenceClass,
        obligation: Obligation,
    ) -> bool {
        let answer_ok = self.answers.iter().any(|a| a == ANY || a == key);
        let doc_ok = self.documented.is_none_or(|d| d == documented);
        let evidence_ok = self
            .evidence
            .as_ref()
            .is_none_or(|e| e.iter().any(|c| c == class.key()));
        let obligation_ok = self.obligation.is_none_or(|o| o == obligation);
        answer_ok && doc_ok && evidence_ok && obligation_ok
    }

    /// Whether the rule has no condition besides its answers.
    fn unconditional(&self) -> bool {
        self.documented.is_none() && self.evidence.is_none() && self.obligation.is_none()
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
    /// The answer as written ("Ja", "Planlagt"), if any.
    pub answer: Option<String>,
    /// The product's documentation as written (the claim's text), if any.
    pub documentation: Option<String>,
    /// What the documentation proves, weighed against the requirement.
    pub claim: Option<ClaimAssessment>,
    /// Whether the answer claims the requirement is met ("Ja", "Delvist"), as the
    /// importer read it (a checked box `[x]` of the 2021 checklists is a Ja).
    pub positive: bool,
    /// A positive answer ("Ja", "Delvist") whose documentation names nothing checkable:
    /// a claim to ask the product about.
    pub lacks_evidence: bool,
    /// What the secretariat should check, or what evidence would settle the claim.
    pub check: Option<Msg>,
    /// The proposal needs the secretariat's judgment (e.g. "Ikke relevant" on a Must).
    pub flagged: bool,
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
    evidence: Option<Spanned<Vec<String>>>,
    obligation: Option<Spanned<String>>,
    flag: Option<bool>,
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
        "evidence",
        "obligation",
        "flag",
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
            let evidence = r.evidence.as_ref().map(|e| {
                let keys: Vec<String> = e
                    .get_ref()
                    .iter()
                    .map(|k| k.trim().to_lowercase())
                    .collect();
                for k in &keys {
                    if !EvidenceClass::KEYS.contains(&k.as_str()) {
                        rep.report(
                            &e.span(),
                            Rule::InvalidValue,
                            Msg::new(
                                format!(
                                    "evidence `{k}` skal være en af: {}",
                                    EvidenceClass::KEYS.join(", ")
                                ),
                                format!(
                                    "evidence `{k}` must be one of: {}",
                                    EvidenceClass::KEYS.join(", ")
                                ),
                            ),
                        );
                    }
                }
                keys
            });
            let obligation = r.obligation.as_ref().and_then(|o| {
                match o.get_ref().trim().to_lowercase().as_str() {
                    "must" => Some(Obligation::Must),
                    "should" => Some(Obligation::Should),
                    other => {
                        rep.report(
                            &o.span(),
                            Rule::InvalidValue,
                            Msg::new(
                                format!("obligation `{other}` skal være must eller should"),
                                format!("obligation `{other}` must be must or should"),
                            ),
                        );
                        None
                    }
                }
            });
            if let Some(rating) = rating {
                rules.push(ProposalRule {
                    answers,
                    documented: r.documented,
                    evidence,
                    obligation,
                    flag: r.flag.unwrap_or(false),
                    rating,
                    confidence: u8::try_from(confidence.clamp(1, 5)).unwrap_or(1),
                    reason: r.reason.get_ref().trim().to_owned(),
                    reason_en: r.reason_en.get_ref().trim().to_owned(),
                });
            }
        }
        let is_catch_all =
            |r: &ProposalRule| r.unconditional() && r.answers.iter().any(|a| a == ANY);
        match rules.iter().position(is_catch_all) {
            None if !rep.has_problems() => rep.report(
                &(0..0),
                Rule::Structure,
                Msg::new(
                    "tabellen skal have en regel med answers = [\"*\"] og uden betingelser (documented, evidence, obligation), så ethvert svar får et forslag",
                    "the table needs a rule with answers = [\"*\"] and no conditions (documented, evidence, obligation), so that every answer gets a proposal",
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

    /// Proposes a rating for one answer, without knowing its requirement (its evidence
    /// is weighed as for a requirement that asks for a reference, and it counts as Must).
    pub fn propose(&self, answer: &Answer) -> Proposal {
        self.propose_for(answer, None)
    }

    /// Proposes a rating for one answer to `requirement`: the answer, its documentation's
    /// evidence ([`crate::claim`]) and the requirement's obligation choose the rule.
    pub fn propose_for(&self, answer: &Answer, requirement: Option<&Requirement>) -> Proposal {
        let key = answer.value.key();
        let documented = answer.is_documented();
        let claims = ClaimTable::builtin().ok();
        let documentation = answer
            .documentation
            .clone()
            .into_iter()
            .chain(answer.evidence.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n");
        let claim = claims.map(|t| {
            t.assess(
                Some(documentation.as_str()),
                answer.original.as_deref(),
                requirement,
            )
        });
        let class = claim.as_ref().map_or(
            if documented {
                EvidenceClass::Named
            } else {
                EvidenceClass::Missing
            },
            |c| c.class,
        );
        let obligation = requirement.map_or(Obligation::Must, |r| r.obligation);
        let found = self
            .rules
            .iter()
            .enumerate()
            .find(|(_, r)| r.matches(&key, documented, class, obligation));
        let basis = answer
            .documentation
            .clone()
            .filter(|_| documented)
            .or_else(|| (!answer.evidence.is_empty()).then(|| answer.evidence.join("\n")));
        let positive = answer.value.claims_met();
        // A claim that states its own gap is not one without evidence: it says what is missing.
        let lacks_evidence = positive && !class.substantiates() && class != EvidenceClass::Hedged;
        let mut reason_da = String::new();
        let mut reason_en = String::new();
        let (rating, confidence, rule, flag) = match found {
            Some((i, rule)) => {
                reason_da.push_str(&rule.reason);
                reason_en.push_str(&rule.reason_en);
                (rule.rating, rule.confidence, i + 1, rule.flag)
            }
            // Unreachable for a validated table (it has a catch-all rule), but a table
            // built by hand may not: propose nothing better than Red.
            None => {
                reason_da.push_str("Svaret passer ikke på nogen regel i forslagstabellen.");
                reason_en.push_str("The answer matches no rule of the proposal table.");
                (Rating::Red, 1, 0, false)
            }
        };
        // Say what the documentation proves, where the answer claims something.
        if let (Some(c), Some(t), true) = (&claim, claims, positive) {
            let why = c.explain(t);
            reason_da.push(' ');
            reason_da.push_str(&why.da);
            reason_en.push(' ');
            reason_en.push_str(&why.en);
        }
        let check = claim
            .as_ref()
            .filter(|_| positive || flag)
            .map(|c| c.check(requirement));
        Proposal {
            requirement: answer.requirement.clone(),
            rating,
            basis,
            confidence,
            reason: reason_da,
            reason_en,
            source: ProposalSource::Answer,
            rule,
            // The answer as written where it reads as itself; the value's name where the
            // original is markup (`<ul><li> [x] </li>`).
            answer: answer
                .original
                .clone()
                .filter(|o| !o.trim().is_empty() && AnswerValue::parse(o) == answer.value)
                .or_else(|| {
                    (answer.value != AnswerValue::Unanswered)
                        .then(|| answer.value.label_da().to_owned())
                }),
            documentation: answer
                .documentation
                .clone()
                .filter(|d| !d.trim().is_empty()),
            claim,
            positive,
            lacks_evidence,
            check,
            flagged: flag,
        }
    }

    /// Proposes a rating for every requirement of `model`; a requirement the
    /// self-evaluation does not answer is treated as blank.
    pub fn propose_all(&self, model: &Model, evaluation: &SelfEvaluation) -> Vec<Proposal> {
        model
            .requirements()
            .iter()
            .map(|req| match evaluation.answer(req.id.as_str()) {
                Some(a) => self.propose_for(a, Some(req)),
                None => self.propose_for(
                    &Answer::new(req.id.clone(), AnswerValue::Unanswered),
                    Some(req),
                ),
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

    fn requirement(id: &str) -> Requirement {
        crate::Registry::builtin()
            .unwrap()
            .get("os2-1.1.0")
            .unwrap()
            .requirement(id)
            .unwrap()
            .clone()
    }

    /// The built-in table as a table of cases: (requirement, answer, documentation) →
    /// (rating, lacks evidence, flagged). F5 is a Must asking for a reference, R1 a Must
    /// asking for a description, F19 and G7 are Should.
    #[test]
    fn a_table_of_proposals() {
        use Rating::{Green as G, Grey as E, Red as R, Yellow as Y};
        type Case<'a> = (&'a str, &'a str, Option<&'a str>, Rating, bool, bool);
        let cases: &[Case] = &[
            // A Ja is green only with documentation that can be checked or that answers.
            (
                "F5",
                "Ja",
                Some("https://github.com/OS2borgerPC/admin-site#readme"),
                G,
                false,
                false,
            ),
            (
                "F5",
                "Ja",
                Some("Se README.md i repositoriet"),
                G,
                false,
                false,
            ),
            ("F5", "Ja", None, Y, true, false),
            ("F5", "Ja", Some("[Ikke udfyldt]"), Y, true, false),
            ("F5", "Ja", Some("Ja."), Y, true, false),
            ("F5", "Ja", Some("Link indsættes"), Y, true, false),
            (
                "F5",
                "Ja",
                Some("Kan fremsendes hvis nødvendigt"),
                Y,
                true,
                false,
            ),
            (
                "F5",
                "Ja",
                Some(
                    "Formålet er beskrevet mange steder og er velkendt af alle brugere i kommunerne.",
                ),
                Y,
                true,
                false,
            ),
            (
                "R1",
                "Ja",
                Some(
                    "Formålet er beskrevet mange steder og er velkendt af alle brugere i kommunerne.",
                ),
                G,
                false,
                false,
            ),
            ("R1", "Ja", Some("Giver værdi."), Y, true, false),
            // Nej to a Must is red; to a Should yellow (a recommendation cannot block).
            ("F5", "Nej", None, R, false, false),
            ("F19", "Nej", Some("[Ikke udfyldt]"), Y, false, false),
            // Planlagt, Delvist and Ved ikke are yellow.
            (
                "F5",
                "Planlagt",
                Some("Kommer i næste release"),
                Y,
                false,
                false,
            ),
            (
                "F5",
                "Delvist",
                Some("README findes, men mangler målgruppe"),
                Y,
                false,
                false,
            ),
            ("F5", "Delvist", None, Y, true, false),
            ("F5", "Ved ikke", None, Y, false, false),
            // Ikke relevant on a Must: grey only with an explanation, and flagged.
            (
                "F5",
                "Ikke relevant",
                Some("Produktet har ingen kode; det er en standard."),
                E,
                false,
                true,
            ),
            (
                "F5",
                "Ikke relevant",
                Some("[Ikke udfyldt]"),
                Y,
                false,
                false,
            ),
            (
                "G7",
                "Ikke relevant",
                Some("Styregruppen varetager koordinationen."),
                E,
                false,
                false,
            ),
            ("G7", "Ikke relevant", None, E, false, false),
            // Not answered: red on a Must, yellow on a Should.
            ("F5", "", None, R, false, false),
            ("G7", "", None, Y, false, false),
            // Anything else needs the secretariat.
            ("F5", "Måske en dag", Some("noget"), Y, false, false),
        ];
        let t = ProposalTable::builtin().unwrap();
        for (id, value, doc, rating, lacks, flagged) in cases {
            let mut a = answer(value, *doc);
            a.requirement = RequirementId::new(*id);
            let r = requirement(id);
            let p = t.propose_for(&a, Some(&r));
            let case = format!("{id} {value:?} {doc:?}: {}", p.reason);
            assert_eq!(p.rating, *rating, "{case}");
            assert_eq!(p.lacks_evidence, *lacks, "lacks evidence: {case}");
            assert_eq!(p.flagged, *flagged, "flagged: {case}");
            assert!(p.rule > 0, "{case}");
            if *lacks {
                if *value == "Ja" {
                    assert!(p.reason.starts_with("Påstand uden dokumentation"), "{case}");
                }
                let check = p.check.as_ref().expect("a check");
                assert!(check.da.starts_with("Det, der kan afgøre kravet"), "{case}");
            }
        }
    }

    #[test]
    fn a_green_candidate_says_what_to_check() {
        let t = ProposalTable::builtin().unwrap();
        let mut a = answer(
            "Ja",
            Some("Er beskrevet i repo, https://github.com/OS2offdig/os2-product-audits"),
        );
        a.requirement = RequirementId::new("F5");
        let p = t.propose_for(&a, Some(&requirement("F5")));
        assert_eq!(p.rating, Rating::Green);
        assert!(
            p.reason
                .contains("linket https://github.com/OS2offdig/os2-product-audits"),
            "{}",
            p.reason
        );
        assert_eq!(
            p.check.unwrap().da,
            "Kontrollér at https://github.com/OS2offdig/os2-product-audits viser det, kravet kræver."
        );
        assert_eq!(p.answer.as_deref(), Some("Ja"));
    }

    #[test]
    fn not_relevant_carries_its_explanation() {
        let t = ProposalTable::builtin().unwrap();
        let p = t.propose(&answer("Ikke relevant", Some("Internt værktøj")));
        assert_eq!(p.rating, Rating::Grey);
        assert!(p.flagged);
        assert!(p.rated().counts_as_met());
        let p = t.propose(&answer("Ikke relevant", None));
        assert_eq!(p.rating, Rating::Yellow);
        assert!(p.reason.contains("forklar"), "{}", p.reason);
    }

    #[test]
    fn rule_conditions_are_checked_when_a_table_is_read() {
        let text = "[table]\nid = \"x\"\nname = \"X\"\n\n[[rule]]\nanswers = [\"ja\"]\nevidence = [\"proven\"]\nobligation = \"may\"\nrating = \"green\"\nconfidence = 3\nreason = \"r\"\nreason_en = \"r\"\n\n[[rule]]\nanswers = [\"*\"]\nrating = \"yellow\"\nconfidence = 1\nreason = \"r\"\nreason_en = \"r\"\n";
        let err = ProposalTable::from_toml(text, "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.toml:7:12: error[invalid-value]: evidence `proven`"),
            "{err}"
        );
        assert!(
            err.contains("t.toml:8:14: error[invalid-value]: obligation `may`"),
            "{err}"
        );
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
