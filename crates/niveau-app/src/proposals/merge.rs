//! The merge: one proposal per requirement from the candidates of all sources (the
//! precedence is described in the [module documentation](super)), and what follows from
//! the winners: the draft's initial ratings and the level they indicate.

use std::collections::BTreeMap;

use niveau_model::{Model, ProposalSource, Rating, RatingEntry, RequirementId, indicate};

use super::{Candidate, RatingProposal};

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
    use niveau_model::{Msg, ProposalTable, Registry};

    use crate::proposals::from_answers;

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
        let mut se = crate::proposals::self_evaluation(&m, Vec::new());
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
    fn a_table_of_merge_cases() {
        use ProposalSource::{Answer as A, Portfolio as P, Scan as S};
        use Rating::{Green as G, Grey as E, Red as R, Yellow as Y};
        // (candidates as (source, rating, confidence), the winner, conflict, alternatives)
        type Case = (
            &'static [(ProposalSource, Rating, u8)],
            (ProposalSource, Rating, u8),
            bool,
            usize,
        );
        let cases: &[Case] = &[
            // One candidate wins alone, without conflict.
            (&[(A, G, 3)], (A, G, 3), false, 0),
            // Confidence decides between sources, whatever the rating.
            (&[(A, G, 2), (S, R, 3)], (S, R, 3), true, 1),
            (&[(S, R, 2), (A, G, 4)], (A, G, 4), true, 1),
            (&[(P, Y, 2), (A, G, 3)], (A, G, 3), true, 1),
            // Equal confidence: portfolio before scan before answer.
            (&[(A, R, 3), (S, G, 3)], (S, G, 3), true, 1),
            (&[(S, R, 4), (P, G, 4)], (P, G, 4), true, 1),
            (&[(A, G, 2), (S, G, 2), (P, G, 2)], (P, G, 2), false, 2),
            // Within a source the weakest rating stands, even when less confident.
            (&[(S, G, 5), (S, Y, 1)], (S, Y, 1), true, 1),
            (&[(S, G, 5), (S, Y, 1), (A, G, 2)], (A, G, 2), true, 2),
            // Within a source, on equal ratings the more confident one.
            (&[(S, R, 1), (S, R, 3)], (S, R, 3), false, 1),
            // Grey is weaker than Green, stronger than Yellow.
            (&[(A, G, 3), (A, E, 3)], (A, E, 3), true, 1),
            (&[(A, Y, 3), (A, E, 3)], (A, Y, 3), true, 1),
        ];
        let m = model();
        for (i, (cands, (source, rating, confidence), conflict, alternatives)) in
            cases.iter().enumerate()
        {
            let p = one(&m, cands.iter().map(|(s, r, c)| cand(*s, *r, *c)).collect());
            assert_eq!(
                (p.chosen.source, p.chosen.rating, p.chosen.confidence),
                (*source, *rating, *confidence),
                "case {i}: {cands:?}"
            );
            assert_eq!(p.conflict, *conflict, "case {i}: conflict");
            assert_eq!(
                p.alternatives.len(),
                *alternatives,
                "case {i}: alternatives"
            );
            assert_eq!(p.requirement, "G6");
            // The draft's rating is the winner's, with its basis.
            let ratings = initial_ratings(&m, std::slice::from_ref(&p));
            let g6 = ratings
                .iter()
                .find(|e| e.requirement.as_str() == "G6")
                .unwrap();
            assert_eq!(g6.rating, Some(*rating), "case {i}: rating");
            assert_eq!(
                g6.basis.as_deref(),
                Some(format!("{source:?} {rating:?}").as_str())
            );
        }
    }
}
