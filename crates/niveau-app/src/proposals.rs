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

use std::collections::BTreeMap;
use std::sync::OnceLock;

use niveau_model::diff::Pairs;
use niveau_model::{
    Model, Msg, Proposal, ProposalSource, ProposalTable, Rating, RatingEntry, Registry,
    RequirementId, indicate,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::evidence::PortfolioFinding;

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
}

/// The built-in proposal table, read once.
pub fn default_table() -> Result<&'static ProposalTable, AppError> {
    static TABLE: OnceLock<Result<ProposalTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| ProposalTable::builtin().map_err(|p| p.to_string()))
        .as_ref()
        .map_err(AppError::internal)
}

fn strength(r: Rating) -> u8 {
    match r {
        Rating::Red => 0,
        Rating::Yellow => 1,
        Rating::Grey => 2,
        Rating::Green => 3,
    }
}

fn precedence(s: ProposalSource) -> u8 {
    match s {
        ProposalSource::Answer => 0,
        ProposalSource::Scan => 1,
        ProposalSource::Portfolio => 2,
    }
}

/// Candidates from the proposal table's proposals (niveau-model's `Proposal`).
pub fn from_answers(proposals: &[Proposal]) -> Vec<(RequirementId, Candidate)> {
    proposals
        .iter()
        .map(|p| {
            (
                p.requirement.clone(),
                Candidate {
                    source: ProposalSource::Answer,
                    rating: p.rating,
                    confidence: p.confidence,
                    reason: Msg::new(p.reason.clone(), p.reason_en.clone()),
                    basis: p.basis.clone(),
                    detail: (p.rule > 0).then(|| format!("regel {}", p.rule)),
                    evidence: Vec::new(),
                },
            )
        })
        .collect()
}

/// Candidates from portfolio evidence.
pub fn from_portfolio(findings: &[PortfolioFinding]) -> Vec<(RequirementId, Candidate)> {
    findings
        .iter()
        .map(|f| {
            (
                RequirementId::new(f.requirement.clone()),
                Candidate {
                    source: ProposalSource::Portfolio,
                    rating: f.rating,
                    confidence: f.confidence,
                    reason: f.explanation.clone(),
                    basis: Some(f.explanation.da.clone()),
                    detail: Some(f.detector.clone()),
                    evidence: f
                        .evidence
                        .iter()
                        .filter_map(|e| serde_json::to_value(e).ok())
                        .collect(),
                },
            )
        })
        .collect()
}

#[derive(Deserialize)]
struct ScanModel {
    id: String,
}

#[derive(Deserialize)]
struct ScanRequirement {
    requirement: String,
    rating: Rating,
    confidence: u8,
    explanation: Msg,
    #[serde(default)]
    evidence: Vec<serde_json::Value>,
    #[serde(default)]
    detectors: Vec<String>,
}

#[derive(Deserialize)]
struct ScanReport {
    target: String,
    model: ScanModel,
    requirements: Vec<ScanRequirement>,
}

/// Candidates from a scan run's result (one `niveau.check/1` report per repository;
/// entries that are errors are skipped), in `model`'s ids: a report made against
/// another model is translated through the registry's mappings.
pub fn from_scan(
    registry: &Registry,
    model: &Model,
    scan_run_id: i32,
    result: &serde_json::Value,
) -> Vec<(RequirementId, Candidate)> {
    let entries: Vec<serde_json::Value> = match result {
        serde_json::Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let mut out = Vec::new();
    for entry in entries {
        let Ok(report) = serde_json::from_value::<ScanReport>(entry) else {
            continue;
        };
        let candidates: Vec<(RequirementId, Candidate)> = report
            .requirements
            .into_iter()
            .map(|r| {
                (
                    RequirementId::new(r.requirement),
                    Candidate {
                        source: ProposalSource::Scan,
                        rating: r.rating,
                        confidence: r.confidence.clamp(1, 5),
                        basis: Some(r.explanation.da.clone()),
                        reason: r.explanation,
                        detail: Some(format!(
                            "scanning {scan_run_id} af {} ({})",
                            report.target,
                            r.detectors.join(", ")
                        )),
                        evidence: r.evidence,
                    },
                )
            })
            .collect();
        if report.model.id == model.id().as_str() {
            out.extend(candidates);
        } else if let Ok(from) = registry.get(&report.model.id) {
            out.extend(translate(registry, from, model, candidates));
        }
    }
    out
}

/// Candidates in `from`'s ids → candidates in `to`'s ids, through the registry's chain of
/// mappings. A translated candidate loses one point of confidence and says where it came
/// from. Without a mapping, ids that both models have are kept as they are.
pub fn translate(
    registry: &Registry,
    from: &Model,
    to: &Model,
    candidates: Vec<(RequirementId, Candidate)>,
) -> Vec<(RequirementId, Candidate)> {
    if from.id() == to.id() {
        return candidates;
    }
    let pairs: Pairs = match registry.pairs_between(from, to) {
        Some((pairs, _)) => pairs,
        None => niveau_model::diff::pairs_by_id(from, to),
    };
    let mut out = Vec::new();
    for (id, c) in candidates {
        for (_, target) in pairs.iter().filter(|(old, _)| *old == id) {
            let mut t = c.clone();
            t.confidence = t.confidence.saturating_sub(1).max(1);
            let note = format!("oversat fra {} {}", from.id(), id);
            t.detail = Some(match t.detail {
                Some(d) => format!("{d}; {note}"),
                None => note,
            });
            out.push((target.clone(), t));
        }
    }
    out
}

/// Merges the candidates into one proposal per requirement, in `model`'s order (see the
/// module documentation for the precedence). Candidates for requirements the model does
/// not have are dropped.
pub fn merge(model: &Model, candidates: Vec<(RequirementId, Candidate)>) -> Vec<RatingProposal> {
    let mut by_requirement: BTreeMap<String, Vec<Candidate>> = BTreeMap::new();
    for (id, c) in candidates {
        if let Some(req) = model.requirement(id.as_str()) {
            by_requirement
                .entry(req.id.to_string())
                .or_default()
                .push(c);
        }
    }
    let mut out = Vec::new();
    for req in model.requirements() {
        let Some(mut all) = by_requirement.remove(req.id.as_str()) else {
            continue;
        };
        // 1. Within a source, the weakest rating (then the higher confidence) stands.
        let mut representatives: BTreeMap<u8, usize> = BTreeMap::new();
        for (i, c) in all.iter().enumerate() {
            let key = precedence(c.source);
            let better = match representatives.get(&key) {
                None => true,
                Some(&j) => {
                    let r = &all[j];
                    (strength(c.rating), std::cmp::Reverse(c.confidence))
                        < (strength(r.rating), std::cmp::Reverse(r.confidence))
                }
            };
            if better {
                representatives.insert(key, i);
            }
        }
        // 2. Between sources, the most confident; then the source; then the weaker.
        let Some(winner) = representatives.values().copied().max_by_key(|&i| {
            let c = &all[i];
            (
                c.confidence,
                precedence(c.source),
                std::cmp::Reverse(strength(c.rating)),
            )
        }) else {
            continue;
        };
        let chosen = all.remove(winner);
        let conflict = all.iter().any(|c| c.rating != chosen.rating);
        out.push(RatingProposal {
            requirement: req.id.to_string(),
            chosen,
            conflict,
            alternatives: all,
        });
    }
    out
}

/// The draft's initial ratings: every requirement of the model, in order, with the
/// winning proposal's rating and basis, or unrated.
pub fn initial_ratings(model: &Model, proposals: &[RatingProposal]) -> Vec<RatingEntry> {
    model
        .requirements()
        .iter()
        .map(|req| {
            let p = proposals.iter().find(|p| p.requirement == req.id.as_str());
            RatingEntry {
                requirement: req.id.clone(),
                rating: p.map(|p| p.chosen.rating),
                original: None,
                basis: p.and_then(|p| p.chosen.basis.clone()),
                recommendation: None,
            }
        })
        .collect()
}

/// The level that rating entries indicate under the model's level rule.
pub fn indicated_level(model: &Model, entries: &[RatingEntry]) -> Option<String> {
    indicate(model, &niveau_model::evaluation::ratings_of(entries))
        .level
        .map(|l| l.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Registry::builtin()
            .unwrap()
            .get("os2-1.1.0")
            .unwrap()
            .clone()
    }

    fn cand(source: ProposalSource, rating: Rating, confidence: u8) -> Candidate {
        Candidate {
            source,
            rating,
            confidence,
            reason: Msg::new("grund", "reason"),
            basis: Some(format!("{source:?} {rating:?}")),
            detail: None,
            evidence: Vec::new(),
        }
    }

    fn one(model: &Model, cands: Vec<Candidate>) -> RatingProposal {
        let merged = merge(
            model,
            cands
                .into_iter()
                .map(|c| (RequirementId::new("G6"), c))
                .collect(),
        );
        assert_eq!(merged.len(), 1);
        merged.into_iter().next().unwrap()
    }

    #[test]
    fn the_most_confident_source_wins_and_the_others_are_kept() {
        let m = model();
        let p = one(
            &m,
            vec![
                cand(ProposalSource::Answer, Rating::Red, 4),
                cand(ProposalSource::Portfolio, Rating::Green, 3),
            ],
        );
        assert_eq!(p.chosen.source, ProposalSource::Answer);
        assert_eq!((p.chosen.rating, p.chosen.confidence), (Rating::Red, 4));
        assert!(p.conflict);
        assert_eq!(p.alternatives.len(), 1);
        assert_eq!(p.alternatives[0].source, ProposalSource::Portfolio);
    }

    #[test]
    fn on_equal_confidence_portfolio_beats_scan_beats_answer() {
        let m = model();
        let p = one(
            &m,
            vec![
                cand(ProposalSource::Answer, Rating::Green, 3),
                cand(ProposalSource::Scan, Rating::Red, 3),
            ],
        );
        assert_eq!(
            (p.chosen.source, p.chosen.rating),
            (ProposalSource::Scan, Rating::Red)
        );
        let p = one(
            &m,
            vec![
                cand(ProposalSource::Answer, Rating::Red, 3),
                cand(ProposalSource::Scan, Rating::Yellow, 3),
                cand(ProposalSource::Portfolio, Rating::Green, 3),
            ],
        );
        assert_eq!(
            (p.chosen.source, p.chosen.rating),
            (ProposalSource::Portfolio, Rating::Green)
        );
        assert_eq!(p.alternatives.len(), 2);
        assert!(p.conflict);
    }

    #[test]
    fn within_a_source_the_weakest_rating_stands() {
        let m = model();
        // Two repositories: one meets the requirement confidently, the other fails it.
        let p = one(
            &m,
            vec![
                cand(ProposalSource::Scan, Rating::Green, 4),
                cand(ProposalSource::Scan, Rating::Red, 2),
            ],
        );
        assert_eq!((p.chosen.rating, p.chosen.confidence), (Rating::Red, 2));
        assert!(p.conflict);
        // Agreeing candidates are no conflict.
        let p = one(
            &m,
            vec![
                cand(ProposalSource::Answer, Rating::Green, 3),
                cand(ProposalSource::Portfolio, Rating::Green, 4),
            ],
        );
        assert_eq!(p.chosen.source, ProposalSource::Portfolio);
        assert!(!p.conflict);
    }

    #[test]
    fn proposals_follow_the_model_and_drop_unknown_ids() {
        let m = model();
        let merged = merge(
            &m,
            vec![
                (
                    RequirementId::new("G6"),
                    cand(ProposalSource::Portfolio, Rating::Green, 4),
                ),
                (
                    RequirementId::new("R1"),
                    cand(ProposalSource::Answer, Rating::Green, 3),
                ),
                (
                    RequirementId::new("X99"),
                    cand(ProposalSource::Scan, Rating::Green, 5),
                ),
            ],
        );
        let ids: Vec<&str> = merged.iter().map(|p| p.requirement.as_str()).collect();
        assert_eq!(ids, ["R1", "G6"]);
        let ratings = initial_ratings(&m, &merged);
        assert_eq!(ratings.len(), m.requirements().len());
        assert_eq!(ratings[0].requirement.as_str(), "R1");
        assert_eq!(ratings[0].rating, Some(Rating::Green));
        assert_eq!(ratings[1].rating, None);
    }

    #[test]
    fn an_unexplained_grey_answer_does_not_count_as_met() {
        let m = model();
        let table = ProposalTable::builtin().unwrap();
        let mut se = niveau_model::SelfEvaluation {
            model: niveau_model::ModelRef {
                id: m.id().clone(),
                version: m.version().into(),
            },
            product: "X".into(),
            date: None,
            filled_by: None,
            target_level: None,
            repository: None,
            answers: Vec::new(),
        };
        for r in m.requirements() {
            let mut a = niveau_model::Answer::new(r.id.clone(), niveau_model::AnswerValue::Yes);
            a.documentation = Some("https://os2.eu/produkt/x".into());
            se.answers.push(a);
        }
        let merged = merge(&m, from_answers(&table.propose_all(&m, &se)));
        let all_green = initial_ratings(&m, &merged);
        assert_eq!(indicated_level(&m, &all_green).as_deref(), Some("3"));
        // R1 answered "Ikke relevant" without an explanation: Grey, not explained.
        se.answers[0] = niveau_model::Answer::new("R1", niveau_model::AnswerValue::NotRelevant);
        let merged = merge(&m, from_answers(&table.propose_all(&m, &se)));
        assert_eq!(merged[0].chosen.rating, Rating::Grey);
        assert_eq!(merged[0].chosen.basis, None);
        assert_eq!(indicated_level(&m, &initial_ratings(&m, &merged)), None);
    }

    #[test]
    fn scan_results_are_read_and_translated() {
        let reg = Registry::builtin().unwrap();
        let m = reg.get("os2-1.1.0").unwrap();
        let result = serde_json::json!([
            {"schema": "niveau.check/1", "target": "https://example.org/a.git",
             "model": {"id": "os2-1.1.0", "version": "1.1.0"},
             "requirements": [
                {"requirement": "F19", "rating": "green", "confidence": 4,
                 "explanation": {"da": "Løsningen kan bygges som container (Dockerfile).", "en": "Container."},
                 "evidence": [{"kind": "file", "path": "Dockerfile"}], "detectors": ["container"]}
             ]},
            {"target": "https://example.org/b.git", "error": "kunne ikke klones"}
        ]);
        let found = from_scan(&reg, m, 12, &result);
        assert_eq!(found.len(), 1);
        let (id, c) = &found[0];
        assert_eq!(id.as_str(), "F19");
        assert_eq!(
            (c.source, c.rating, c.confidence),
            (ProposalSource::Scan, Rating::Green, 4)
        );
        assert_eq!(
            c.detail.as_deref(),
            Some("scanning 12 af https://example.org/a.git (container)")
        );
        assert_eq!(c.evidence.len(), 1);
        // Against the 2018 model, 1.1.0's F19 (container) is F14 there, one point less sure.
        let old = reg.get("os2-2018").unwrap();
        let found = from_scan(&reg, old, 12, &result);
        let ids: Vec<(&str, u8)> = found
            .iter()
            .map(|(id, c)| (id.as_str(), c.confidence))
            .collect();
        assert_eq!(ids, [("F14", 3)]);
        assert_eq!(
            old.requirement("F14").unwrap().text,
            "Løsningen bør leveres i containerformat f.eks. Docker eller der medleveres installationsscript(s)."
        );
    }
}
