//! `portfolio.lead`: a current participant with role projektleder or tovholder
//! (os2-1.1.0, os2-2021 and os2-2018: G3).

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::{Participant, Portfolio, current, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// G3 from the product's project lead or coordinator.
pub struct Lead;

impl PortfolioRule for Lead {
    fn id(&self) -> &'static str {
        "portfolio.lead"
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "G3"), ("os2-2021", "G3"), ("os2-2018", "G3")]
    }

    fn judge(&self, p: &Portfolio, today: NaiveDate) -> Option<Judgement> {
        let leads: Vec<&Participant> = p
            .participants
            .iter()
            .filter(|x| {
                [vocabulary::PROJEKTLEDER, vocabulary::TOVHOLDER].contains(&x.role.as_str())
            })
            .filter(|x| current(x.until, today))
            .collect();
        if leads.is_empty() {
            return None;
        }
        let names = leads
            .iter()
            .map(|x| format!("{} ({})", p.who(x.person, x.organisation), x.role))
            .collect::<Vec<_>>()
            .join(", ");
        Some(Judgement::green(
            4,
            leads
                .iter()
                .map(|x| {
                    EvidenceRow::new(
                        "participant",
                        x.id,
                        format!("{}: {}", x.role, p.who(x.person, x.organisation)),
                    )
                })
                .collect(),
            Msg::new(
                format!("Porteføljen har en projektleder/tovholder: {names}."),
                format!("The portfolio names a project lead/coordinator: {names}."),
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::rules::fixtures::*;

    #[test]
    fn its_targets_ask_for_a_project_lead_or_coordinator() {
        assert_targets(&Lead, &["projektleder/tovholder"]);
    }

    #[test]
    fn a_project_lead_or_coordinator_meets_g3() {
        let mut data = Portfolio::default();
        data.persons.insert(5, person("Ane Andersen"));
        data.participants
            .push(participant(1, None, Some(5), vocabulary::TOVHOLDER));
        data.participants
            .push(participant(2, None, None, "anvender"));
        let found = run(&data, "os2-1.1.0");
        assert_eq!(summary(&found), vec![("G3".into(), Rating::Green, 4)]);
        assert_eq!(found[0].detector, "portfolio.lead");
        assert_eq!(
            found[0].evidence,
            vec![EvidenceRow::new(
                "participant",
                1,
                "tovholder: Ane Andersen"
            )]
        );
        assert_eq!(
            found[0].explanation.da,
            "Porteføljen har en projektleder/tovholder: Ane Andersen (tovholder)."
        );
        let found = run(&data, "os2-2018");
        assert_eq!(summary(&found), vec![("G3".into(), Rating::Green, 4)]);

        // A lead whose participation ended does not count.
        data.participants[0].until = NaiveDate::from_ymd_opt(2025, 12, 31);
        assert!(run(&data, "os2-1.1.0").is_empty());
    }
}
