//! The merge: one proposal per requirement from the candidates of all sources (the
//! precedence is described in the [module documentation](super)), and what follows from
//! the winners: the draft's initial ratings and the level they indicate.

use std::collections::BTreeMap;

use niveau_model::{Model, Msg, ProposalSource, Rating, RatingEntry, RequirementId, indicate};

use super::{Candidate, RatingProposal, Verdict};

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

fn source_name(s: ProposalSource) -> Msg {
    match s {
        ProposalSource::Answer => Msg::new("selvevalueringen", "the self-evaluation"),
        ProposalSource::Scan => Msg::new("scanningen af repositoriet", "the repository scan"),
        ProposalSource::Portfolio => Msg::new("porteføljeregistret", "the portfolio registry"),
    }
}

/// Evidence at or above this confidence settles a claim; below it the claim stands.
pub const SETTLING_CONFIDENCE: u8 = 3;

/// Merges the candidates into one proposal per requirement, in `model`'s order (see the
/// module documentation for the rules). Candidates for requirements the model does not
/// have are dropped.
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
        let Some(all) = by_requirement.remove(req.id.as_str()) else {
            continue;
        };
        if let Some(p) = combine(req.id.as_str(), all) {
            out.push(p);
        }
    }
    out
}

/// One requirement's proposal from its candidates.
fn combine(requirement: &str, mut all: Vec<Candidate>) -> Option<RatingProposal> {
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
    let claim_at = representatives
        .get(&precedence(ProposalSource::Answer))
        .copied();
    // 2. The evidence: the most confident of scan and registry, then the registry.
    let evidence_at = representatives
        .iter()
        .filter(|(k, _)| **k != precedence(ProposalSource::Answer))
        .map(|(_, i)| *i)
        .max_by_key(|&i| {
            let c = &all[i];
            (
                c.confidence,
                precedence(c.source),
                std::cmp::Reverse(strength(c.rating)),
            )
        });
    // 3. Claim and evidence together.
    let (chosen_at, verdict, replacement) = match (claim_at, evidence_at) {
        (None, None) => return None,
        (Some(c), None) => (c, Verdict::ClaimOnly, None),
        (None, Some(e)) => (e, Verdict::EvidenceOnly, None),
        (Some(c), Some(e)) => {
            let claim = &all[c];
            let ev = &all[e];
            let positive = claim
                .claim
                .as_ref()
                .map_or(claim.rating == Rating::Green, |k| k.positive);
            let grey = claim.rating == Rating::Grey;
            if ev.confidence < SETTLING_CONFIDENCE || grey {
                // Too uncertain to settle, or a follow-or-explain the secretariat judges.
                let verdict = if ev.rating == claim.rating {
                    Verdict::Confirmed
                } else {
                    Verdict::Unsettled
                };
                (c, verdict, None)
            } else if positive {
                let source = source_name(ev.source);
                let mut chosen = ev.clone();
                chosen.confidence = ev.confidence.max(claim.confidence);
                if ev.rating == Rating::Green {
                    chosen.reason = Msg::new(
                        format!("Påstanden bekræftes af {}: {}", source.da, ev.reason.da),
                        format!("The claim is confirmed by {}: {}", source.en, ev.reason.en),
                    );
                    (e, Verdict::Confirmed, Some(chosen))
                } else {
                    chosen.reason = Msg::new(
                        format!(
                            "Produktet svarer {}, men {} siger noget andet: {}",
                            answer_of(claim, "Ja"),
                            source.da,
                            ev.reason.da
                        ),
                        format!(
                            "The product answers {}, but {} says otherwise: {}",
                            answer_of(claim, "Yes"),
                            source.en,
                            ev.reason.en
                        ),
                    );
                    (e, Verdict::Contradicted, Some(chosen))
                }
            } else if ev.rating == Rating::Green {
                // The product says not met, the evidence says met: the evidence shows what
                // is there, one point less sure, and the disagreement is stated.
                let source = source_name(ev.source);
                let mut chosen = ev.clone();
                chosen.confidence = ev.confidence.saturating_sub(1).max(1);
                chosen.reason = Msg::new(
                    format!(
                        "Produktet svarer {}, men {} finder det: {}",
                        answer_of(claim, "Nej"),
                        source.da,
                        ev.reason.da
                    ),
                    format!(
                        "The product answers {}, but {} finds it: {}",
                        answer_of(claim, "No"),
                        source.en,
                        ev.reason.en
                    ),
                );
                (e, Verdict::Contradicted, Some(chosen))
            } else {
                // Both say not (fully) met: the weaker rating, the surer of the two.
                let weaker = if strength(ev.rating) < strength(claim.rating) {
                    e
                } else {
                    c
                };
                let mut chosen = all[weaker].clone();
                chosen.confidence = claim.confidence.max(ev.confidence);
                (weaker, Verdict::Confirmed, Some(chosen))
            }
        }
    };
    let claim = claim_at.and_then(|c| all[c].claim.clone());
    let mut chosen = all.remove(chosen_at);
    if let Some(r) = replacement {
        chosen = r;
    }
    let conflict =
        all.iter().any(|c| c.rating != chosen.rating) || (verdict == Verdict::Contradicted);
    let disagreement = conflict.then(|| disagreement(&chosen, &all));
    let lacks_evidence = claim
        .as_ref()
        .is_some_and(|k| k.lacks_evidence && verdict != Verdict::Confirmed);
    Some(RatingProposal {
        requirement: requirement.to_owned(),
        chosen,
        conflict,
        alternatives: all,
        verdict,
        claim,
        lacks_evidence,
        disagreement,
    })
}

fn answer_of(claim: &Candidate, default: &str) -> String {
    claim
        .claim
        .as_ref()
        .and_then(|k| k.answer.clone())
        .unwrap_or_else(|| default.to_owned())
}

/// "Kilderne er uenige: selvevalueringen 🟢, scanningen af repositoriet 🔴."
fn disagreement(chosen: &Candidate, others: &[Candidate]) -> Msg {
    let mut da = Vec::new();
    let mut en = Vec::new();
    for c in std::iter::once(chosen).chain(others) {
        let name = source_name(c.source);
        let d = format!("{} {}", name.da, c.rating.symbol());
        if !da.contains(&d) {
            da.push(d);
            en.push(format!("{} {}", name.en, c.rating.symbol()));
        }
    }
    Msg::new(
        format!("Kilderne er uenige: {}.", da.join(", ")),
        format!("The sources disagree: {}.", en.join(", ")),
    )
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
            claim: None,
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
    fn an_unexplained_not_relevant_on_a_must_is_not_met() {
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
        // R1 (a Must) answered "Ikke relevant" without an explanation: a claim without
        // documentation (yellow), which does not count as met.
        se.answers[0] = niveau_model::Answer::new("R1", niveau_model::AnswerValue::NotRelevant);
        let merged = merge(&m, from_answers(&table.propose_all(&m, &se)));
        assert_eq!(merged[0].chosen.rating, Rating::Yellow);
        assert_eq!(merged[0].chosen.basis, None);
        assert_eq!(indicated_level(&m, &initial_ratings(&m, &merged)), None);
    }

    #[test]
    fn a_table_of_merge_cases() {
        use ProposalSource::{Answer as A, Portfolio as P, Scan as S};
        use Rating::{Green as G, Grey as E, Red as R, Yellow as Y};
        use Verdict::{ClaimOnly, Confirmed, Contradicted, EvidenceOnly, Unsettled};
        // (candidates as (source, rating, confidence), the winner, verdict, conflict,
        // alternatives)
        type Case = (
            &'static [(ProposalSource, Rating, u8)],
            (ProposalSource, Rating, u8),
            Verdict,
            bool,
            usize,
        );
        let cases: &[Case] = &[
            // One source alone.
            (&[(A, G, 3)], (A, G, 3), ClaimOnly, false, 0),
            (&[(S, R, 3)], (S, R, 3), EvidenceOnly, false, 0),
            // A claim the evidence confirms: green on the evidence, the surer confidence.
            (&[(A, G, 3), (S, G, 4)], (S, G, 4), Confirmed, false, 1),
            (&[(A, G, 4), (P, G, 3)], (P, G, 4), Confirmed, false, 1),
            // A claim the evidence contradicts: the evidence's rating, stated.
            (&[(A, G, 2), (S, R, 3)], (S, R, 3), Contradicted, true, 1),
            (&[(A, G, 3), (P, Y, 4)], (P, Y, 4), Contradicted, true, 1),
            // "Nej" while the evidence finds it: the evidence, one point less sure.
            (&[(A, R, 4), (S, G, 3)], (S, G, 2), Contradicted, true, 1),
            // Both say not met: the weaker rating, the surer confidence.
            (&[(A, Y, 3), (P, R, 4)], (P, R, 4), Confirmed, true, 1),
            (&[(A, R, 4), (S, Y, 3)], (A, R, 4), Confirmed, true, 1),
            // Evidence too uncertain to settle: the claim stands.
            (&[(A, G, 4), (S, R, 2)], (A, G, 4), Unsettled, true, 1),
            // Follow-or-explain is the secretariat's to judge: the grey claim stands.
            (&[(A, E, 3), (S, R, 4)], (A, E, 3), Unsettled, true, 1),
            // Within a source the weakest rating stands, even when less confident.
            (&[(S, G, 5), (S, Y, 1)], (S, Y, 1), EvidenceOnly, true, 1),
            // Between evidence sources the most confident, then the registry.
            (&[(S, R, 4), (P, G, 4)], (P, G, 4), EvidenceOnly, true, 1),
        ];
        let m = model();
        for (i, (cands, (source, rating, confidence), verdict, conflict, alternatives)) in
            cases.iter().enumerate()
        {
            let p = one(&m, cands.iter().map(|(s, r, c)| cand(*s, *r, *c)).collect());
            assert_eq!(
                (p.chosen.source, p.chosen.rating, p.chosen.confidence),
                (*source, *rating, *confidence),
                "case {i}: {cands:?}"
            );
            assert_eq!(p.verdict, *verdict, "case {i}: verdict");
            assert_eq!(p.conflict, *conflict, "case {i}: conflict");
            assert_eq!(
                p.disagreement.is_some(),
                *conflict,
                "case {i}: disagreement"
            );
            assert_eq!(
                p.alternatives.len(),
                *alternatives,
                "case {i}: alternatives"
            );
            let ratings = initial_ratings(&m, std::slice::from_ref(&p));
            let g6 = ratings
                .iter()
                .find(|e| e.requirement.as_str() == "G6")
                .unwrap();
            assert_eq!(g6.rating, Some(*rating), "case {i}: rating");
        }
    }

    #[test]
    fn a_claim_without_documentation_confirmed_by_the_scan_no_longer_lacks_evidence() {
        let m = model();
        let table = ProposalTable::builtin().unwrap();
        let mut a = niveau_model::Answer::new("F2", niveau_model::AnswerValue::Yes);
        a.original = Some("Ja".into());
        a.documentation = Some("Ja.".into());
        let se = crate::proposals::self_evaluation(&m, vec![a]);
        let answers = from_answers(&table.propose_all(&m, &se));
        let f2 = |cands: Vec<(RequirementId, Candidate)>| {
            merge(&m, cands)
                .into_iter()
                .find(|p| p.requirement == "F2")
                .unwrap()
        };
        let alone = f2(answers.clone());
        assert_eq!(alone.chosen.rating, Rating::Yellow);
        assert!(alone.lacks_evidence);
        assert!(
            alone
                .chosen
                .reason
                .da
                .starts_with("Påstand uden dokumentation")
        );
        let mut scan = cand(ProposalSource::Scan, Rating::Green, 4);
        scan.reason = Msg::new(
            "Licensen MPL-2.0 er angivet i LICENSE.",
            "MPL-2.0 in LICENSE.",
        );
        let mut with_scan = answers.clone();
        with_scan.push((RequirementId::new("F2"), scan));
        let p = f2(with_scan);
        assert_eq!(
            (p.chosen.rating, p.verdict),
            (Rating::Green, Verdict::Confirmed)
        );
        assert!(!p.lacks_evidence);
        assert_eq!(
            p.chosen.reason.da,
            "Påstanden bekræftes af scanningen af repositoriet: Licensen MPL-2.0 er angivet i LICENSE."
        );
        assert_eq!(
            p.claim.as_ref().and_then(|c| c.answer.as_deref()),
            Some("Ja")
        );
        // A scan that finds no licence contradicts the claim, and says so.
        let mut none = cand(ProposalSource::Scan, Rating::Red, 4);
        none.reason = Msg::new("Ingen licens fundet.", "No licence found.");
        let mut contra = answers;
        contra.push((RequirementId::new("F2"), none));
        let p = f2(contra);
        assert_eq!(
            (p.chosen.rating, p.verdict),
            (Rating::Red, Verdict::Contradicted)
        );
        assert_eq!(
            p.chosen.reason.da,
            "Produktet svarer Ja, men scanningen af repositoriet siger noget andet: Ingen licens fundet."
        );
        assert_eq!(
            p.disagreement.unwrap().da,
            "Kilderne er uenige: scanningen af repositoriet 🔴, selvevalueringen 🟡."
        );
    }
}
