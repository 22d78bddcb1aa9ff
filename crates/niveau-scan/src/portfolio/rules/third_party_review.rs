//! `portfolio.third-party-review`: a current participant with role reviewer from an
//! organisation that is not also a current udviklingsleverandør of the product
//! (os2-1.1.0 and os2-2021: G9 "Review af kode foretages af tredjepart (anbefaling)";
//! os2-2018: G11 "Review af kode af 3. part bør foretages").
//!
//! - Green (3): some reviewer is not a developer; (2) when no developer is registered at
//!   all, so the registry does not show that the review is done by a third party.
//! - Yellow (2): every reviewer also develops the product: the developing supplier
//!   reviews its own code.
//! - A reviewing supplier (kind leverandør) without a current partner agreement is named
//!   in the explanation; the rating stands.
//! - Nothing without a current reviewer. Reviewers registered as a person without an
//!   organisation do not count: the registry does not show whom they review for.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::{Participant, Portfolio, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// G9 (2018: G11) from the product's reviewers and developers.
pub struct ThirdPartyReview;

/// The current participants with `role` that name an organisation.
fn with_role<'a>(p: &'a Portfolio, role: &str, today: NaiveDate) -> Vec<&'a Participant> {
    p.participants
        .iter()
        .filter(|x| x.role == role && x.organisation.is_some() && x.is_current(today))
        .collect()
}

/// `Reviewer: Strong Minds` / `Udviklingsleverandør: Magenta`.
fn row(p: &Portfolio, x: &Participant, what: &str) -> EvidenceRow {
    EvidenceRow::new(
        "participant",
        x.id,
        format!("{what}: {}", p.who(x.person, x.organisation)),
    )
}

/// The organisations' names, distinct, in order: `Magenta, Strong Minds`.
fn names(p: &Portfolio, xs: &[&Participant]) -> String {
    let mut seen = BTreeSet::new();
    xs.iter()
        .filter(|x| seen.insert(x.organisation))
        .map(|x| p.organisation_name(x.organisation).unwrap_or("ukendt"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl PortfolioRule for ThirdPartyReview {
    fn id(&self) -> &'static str {
        "portfolio.third-party-review"
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "G9"), ("os2-2021", "G9"), ("os2-2018", "G11")]
    }

    fn judge(&self, p: &Portfolio, today: NaiveDate) -> Option<Judgement> {
        let reviewers = with_role(p, vocabulary::REVIEWER, today);
        if reviewers.is_empty() {
            return None;
        }
        let developers = with_role(p, vocabulary::UDVIKLINGSLEVERANDOER, today);
        let developing: BTreeSet<Option<i32>> = developers.iter().map(|x| x.organisation).collect();
        let third: Vec<&Participant> = reviewers
            .iter()
            .copied()
            .filter(|x| !developing.contains(&x.organisation))
            .collect();
        let developer_rows = developers.iter().map(|x| row(p, x, "Udviklingsleverandør"));
        if third.is_empty() {
            let own = names(p, &reviewers);
            return Some(Judgement::yellow(
                2,
                reviewers
                    .iter()
                    .map(|x| row(p, x, "Reviewer"))
                    .chain(developer_rows)
                    .collect(),
                Msg::new(
                    format!(
                        "Koden reviewes af udviklingsleverandøren selv ({own}); der er ikke registreret review af en tredjepart."
                    ),
                    format!(
                        "The code is reviewed by the developing supplier itself ({own}); no third-party review is registered."
                    ),
                ),
            ));
        }
        let reviewing = names(p, &third);
        let (da, en, confidence) = if developers.is_empty() {
            (
                format!(
                    "Koden reviewes af {reviewing}; der er ikke registreret en udviklingsleverandør, så det er ikke vist, at reviewet foretages af en tredjepart."
                ),
                format!(
                    "The code is reviewed by {reviewing}; no developing supplier is registered, so the registry does not show that the review is done by a third party."
                ),
                2,
            )
        } else {
            let developing = names(p, &developers);
            (
                format!(
                    "Koden reviewes af {reviewing}, som ikke er udviklingsleverandør ({developing})."
                ),
                format!(
                    "The code is reviewed by {reviewing}, which is not the developing supplier ({developing})."
                ),
                3,
            )
        };
        // Reviewing suppliers without a current partner agreement, flagged.
        let mut flagged = BTreeSet::new();
        let without: Vec<&str> = third
            .iter()
            .filter_map(|x| {
                let id = x.organisation?;
                let o = p.organisations.get(&id)?;
                (o.is_supplier()
                    && !o
                        .partner_agreement
                        .as_ref()
                        .is_some_and(|a| a.current(today))
                    && flagged.insert(id))
                .then_some(o.name.as_str())
            })
            .collect();
        let (da, en) = if without.is_empty() {
            (da, en)
        } else {
            let list = without.join(", ");
            (
                format!("{da} {list} har ingen gældende leverandørpartneraftale."),
                format!("{en} {list}: no current supplier partner agreement."),
            )
        };
        Some(Judgement::green(
            confidence,
            third
                .iter()
                .map(|x| row(p, x, "Reviewer"))
                .chain(developer_rows)
                .collect(),
            Msg::new(da, en),
        ))
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::input::PartnerAgreement;
    use crate::portfolio::rules::fixtures::*;

    const ID: &str = "portfolio.third-party-review";

    #[test]
    fn its_targets_ask_for_review_by_a_third_party() {
        assert_targets(&ThirdPartyReview, &["review af kode", "part"]);
    }

    /// OS2mo per the seeds: Magenta develops, Strong Minds reviews.
    fn os2mo() -> Portfolio {
        let mut data = Portfolio::default();
        data.organisations.insert(1, partner("Magenta"));
        data.organisations.insert(2, partner("Strong Minds"));
        data.organisations
            .insert(3, org("Aarhus Kommune", vocabulary::KOMMUNE));
        data.participants.push(participant(
            10,
            Some(1),
            None,
            vocabulary::UDVIKLINGSLEVERANDOER,
        ));
        data.participants
            .push(participant(11, Some(2), None, vocabulary::REVIEWER));
        data.participants
            .push(participant(12, Some(3), None, "anvender"));
        data
    }

    #[test]
    fn a_reviewer_who_does_not_develop_meets_g9_in_every_model() {
        let data = os2mo();
        for (model, req) in [("os2-1.1.0", "G9"), ("os2-2021", "G9"), ("os2-2018", "G11")] {
            let found = run_rule(&data, model, ID);
            assert_eq!(summary(&found), vec![(req.into(), Rating::Green, 3)]);
            assert_eq!(found[0].detector, "portfolio.third-party-review");
        }
        let found = run_rule(&data, "os2-1.1.0", ID);
        assert_eq!(
            found[0].evidence,
            vec![
                EvidenceRow::new("participant", 11, "Reviewer: Strong Minds"),
                EvidenceRow::new("participant", 10, "Udviklingsleverandør: Magenta"),
            ]
        );
        assert_eq!(
            found[0].explanation.da,
            "Koden reviewes af Strong Minds, som ikke er udviklingsleverandør (Magenta)."
        );
        assert_eq!(
            found[0].explanation.en,
            "The code is reviewed by Strong Minds, which is not the developing supplier (Magenta)."
        );
    }

    #[test]
    fn a_reviewing_supplier_without_a_current_partner_agreement_is_named() {
        let mut data = os2mo();
        // Signed, but the code of conduct was never accepted.
        data.organisations.get_mut(&2).unwrap().partner_agreement = Some(PartnerAgreement {
            id: 7,
            signed_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            ends_on: None,
            code_of_conduct: false,
        });
        let found = run_rule(&data, "os2-2021", ID);
        assert_eq!(summary(&found), vec![("G9".into(), Rating::Green, 3)]);
        assert_eq!(
            found[0].explanation.da,
            "Koden reviewes af Strong Minds, som ikke er udviklingsleverandør (Magenta). Strong Minds har ingen gældende leverandørpartneraftale."
        );
        assert_eq!(
            found[0].explanation.en,
            "The code is reviewed by Strong Minds, which is not the developing supplier (Magenta). Strong Minds: no current supplier partner agreement."
        );
        // No agreement at all: the same. A municipality reviewing needs none.
        data.organisations.get_mut(&2).unwrap().partner_agreement = None;
        assert!(
            run_rule(&data, "os2-2021", ID)[0]
                .explanation
                .da
                .ends_with("Strong Minds har ingen gældende leverandørpartneraftale.")
        );
        data.participants[1].organisation = Some(3);
        let found = run_rule(&data, "os2-2021", ID);
        assert_eq!(
            found[0].explanation.da,
            "Koden reviewes af Aarhus Kommune, som ikke er udviklingsleverandør (Magenta)."
        );
    }

    #[test]
    fn review_by_the_developing_supplier_itself_is_yellow() {
        let mut data = os2mo();
        data.participants[1].organisation = Some(1);
        let found = run_rule(&data, "os2-2018", ID);
        assert_eq!(summary(&found), vec![("G11".into(), Rating::Yellow, 2)]);
        assert_eq!(
            found[0].evidence,
            vec![
                EvidenceRow::new("participant", 11, "Reviewer: Magenta"),
                EvidenceRow::new("participant", 10, "Udviklingsleverandør: Magenta"),
            ]
        );
        assert_eq!(
            found[0].explanation.da,
            "Koden reviewes af udviklingsleverandøren selv (Magenta); der er ikke registreret review af en tredjepart."
        );
        assert_eq!(
            found[0].explanation.en,
            "The code is reviewed by the developing supplier itself (Magenta); no third-party review is registered."
        );
        // A second, independent reviewer makes it Green, citing only that reviewer.
        data.participants
            .push(participant(13, Some(2), None, vocabulary::REVIEWER));
        let found = run_rule(&data, "os2-2018", ID);
        assert_eq!(summary(&found), vec![("G11".into(), Rating::Green, 3)]);
        assert_eq!(found[0].evidence[0].id, 13);
        assert_eq!(found[0].evidence.len(), 2);
        // Once Magenta no longer develops, its review is a third party's too.
        data.participants[0].until = NaiveDate::from_ymd_opt(2026, 4, 30);
        let found = run_rule(&data, "os2-2018", ID);
        assert_eq!(summary(&found), vec![("G11".into(), Rating::Green, 2)]);
        assert_eq!(
            found[0].explanation.da,
            "Koden reviewes af Magenta, Strong Minds; der er ikke registreret en udviklingsleverandør, så det er ikke vist, at reviewet foretages af en tredjepart."
        );
    }

    #[test]
    fn no_current_reviewer_shows_nothing() {
        let mut data = os2mo();
        // Ended yesterday.
        data.participants[1].until = NaiveDate::from_ymd_opt(2026, 4, 30);
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
        // Not begun yet.
        data.participants[1].until = None;
        data.participants[1].since = NaiveDate::from_ymd_opt(2026, 5, 2);
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
        // A person without an organisation does not show who reviews.
        data.persons.insert(5, person("Ane Andersen"));
        data.participants[1] = participant(11, None, Some(5), vocabulary::REVIEWER);
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
    }
}
