//! Where candidates come from: the self-evaluation's answers, a scan run's result and
//! the portfolio evidence, each turned into [`Candidate`]s in the model's ids.

use niveau_model::diff::Pairs;
use niveau_model::{Model, Msg, Proposal, ProposalSource, Rating, Registry, RequirementId};
use serde::Deserialize;

use super::{Candidate, Claim};

use crate::evidence::PortfolioFinding;

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
                    claim: Some(Claim {
                        answer: p.answer.clone(),
                        documentation: p.documentation.clone(),
                        evidence: p.claim.as_ref().map(|c| c.class),
                        references: p
                            .claim
                            .as_ref()
                            .map(|c| c.references.clone())
                            .unwrap_or_default(),
                        positive: p.positive,
                        lacks_evidence: p.lacks_evidence,
                        check: p.check.clone(),
                        flagged: p.flagged,
                    }),
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
                    claim: None,
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
                        claim: None,
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

#[cfg(test)]
mod tests {
    use niveau_model::Registry;

    use super::*;
    use crate::evidence::{EvidenceRow, PortfolioFinding};

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

    #[test]
    fn portfolio_findings_become_candidates_with_their_rows() {
        let finding = PortfolioFinding {
            requirement: "G6".into(),
            detector: "portfolio.steering-group".into(),
            rating: Rating::Green,
            confidence: 4,
            evidence: vec![EvidenceRow {
                kind: "row".into(),
                table: "work_group".into(),
                id: 7,
                label: "Styregruppe X (2 medlemmer)".into(),
            }],
            explanation: Msg::new("Der er en styregruppe.", "There is a steering group."),
        };
        let found = from_portfolio(&[finding]);
        assert_eq!(found.len(), 1);
        let (id, c) = &found[0];
        assert_eq!(id.as_str(), "G6");
        assert_eq!(
            (c.source, c.rating, c.confidence),
            (ProposalSource::Portfolio, Rating::Green, 4)
        );
        assert_eq!(c.basis.as_deref(), Some("Der er en styregruppe."));
        assert_eq!(c.detail.as_deref(), Some("portfolio.steering-group"));
        assert_eq!(
            c.evidence,
            vec![
                serde_json::json!({"kind": "row", "table": "work_group", "id": 7,
                                    "label": "Styregruppe X (2 medlemmer)"})
            ]
        );
    }

    #[test]
    fn two_portfolio_rules_on_one_requirement_both_reach_the_proposal() {
        use niveau_scan::portfolio::input::{Pledge, Wish, vocabulary};
        use niveau_scan::portfolio::{self, Agreement, Organisation, Portfolio};

        // An operations agreement and a co-funded wish both speak about G13.
        let mut p = Portfolio::default();
        p.agreements.push(Agreement {
            id: 5,
            kind: vocabulary::DRIFTSAFTALE.into(),
            title: "Drift".into(),
            starts_on: None,
            ends_on: None,
            economy: Some("10.000 kr. pr. år".into()),
            archived: false,
            parties: vec![1],
        });
        for (id, name) in [(1, "Aarhus Kommune"), (2, "Odense Kommune")] {
            p.organisations.insert(
                id,
                Organisation {
                    name: name.into(),
                    kind: vocabulary::KOMMUNE.into(),
                    ..Default::default()
                },
            );
        }
        p.wishes.push(Wish {
            id: 20,
            title: "Ønske".into(),
            state: "klar til prioritering".into(),
            raised_by: Some(1),
            payer: Some(vocabulary::FAELLESSKABET.into()),
            target_ore: Some(20_000),
            pledges: vec![
                Pledge {
                    id: 30,
                    organisation: 1,
                    amount_ore: 10_000,
                },
                Pledge {
                    id: 31,
                    organisation: 2,
                    amount_ore: 10_000,
                },
            ],
        });
        let reg = Registry::builtin().unwrap();
        let m = reg.get("os2-1.1.0").unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let found: Vec<PortfolioFinding> = portfolio::findings(&p, m, today)
            .into_iter()
            .map(PortfolioFinding::from)
            .collect();
        let merged = crate::proposals::merge(m, from_portfolio(&found));
        let g13 = merged.iter().find(|x| x.requirement == "G13").unwrap();
        // The surer finding is chosen, the other kept beside it; they agree.
        assert_eq!(
            g13.chosen.detail.as_deref(),
            Some("portfolio.economy-agreement")
        );
        assert_eq!(g13.chosen.confidence, 3);
        let others: Vec<(Option<&str>, Rating, u8)> = g13
            .alternatives
            .iter()
            .map(|c| (c.detail.as_deref(), c.rating, c.confidence))
            .collect();
        assert_eq!(others, [(Some("portfolio.co-funding"), Rating::Green, 2)]);
        assert_eq!(g13.alternatives[0].evidence.len(), 2);
        assert_eq!(
            g13.alternatives[0].evidence[0]["label"],
            "Tilsagn 100 kr. fra Aarhus Kommune til \"Ønske\""
        );
        assert!(!g13.conflict);
    }

    #[test]
    fn answers_become_candidates_with_their_rule() {
        let reg = Registry::builtin().unwrap();
        let m = reg.get("os2-1.1.0").unwrap();
        let table = niveau_model::ProposalTable::builtin().unwrap();
        let mut a = niveau_model::Answer::new("F2", niveau_model::AnswerValue::Yes);
        a.documentation = Some("https://os2.eu/produkt/x/licens".into());
        let se = crate::proposals::self_evaluation(m, vec![a]);
        let found = from_answers(&table.propose_all(m, &se));
        let (id, c) = found.iter().find(|(id, _)| id.as_str() == "F2").unwrap();
        assert_eq!(id.as_str(), "F2");
        assert_eq!(
            (c.source, c.rating),
            (ProposalSource::Answer, Rating::Green)
        );
        assert!(
            c.detail.as_deref().is_some_and(|d| d.starts_with("regel ")),
            "{c:?}"
        );
        assert!(c.evidence.is_empty());
    }
}
