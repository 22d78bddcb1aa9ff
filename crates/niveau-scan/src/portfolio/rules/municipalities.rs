//! `portfolio.municipalities`: current participants from two or more distinct
//! organisations of kind kommune (os2-2018: G6 "Involverede kommuner: +1"; the later
//! models have no such requirement).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::{Participant, Portfolio, current, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// 2018's G6 from the participating municipalities.
pub struct Municipalities;

impl PortfolioRule for Municipalities {
    fn id(&self) -> &'static str {
        "portfolio.municipalities"
    }

    fn targets(&self) -> Targets {
        &[("os2-2018", "G6")]
    }

    fn judge(&self, p: &Portfolio, today: NaiveDate) -> Option<Judgement> {
        // The first current participation of each municipality.
        let mut municipalities: BTreeMap<i32, &Participant> = BTreeMap::new();
        for x in &p.participants {
            let Some(org) = x.organisation else {
                continue;
            };
            let is_kommune = p
                .organisations
                .get(&org)
                .is_some_and(|o| o.kind == vocabulary::KOMMUNE);
            if is_kommune && current(x.until, today) {
                municipalities.entry(org).or_insert(x);
            }
        }
        if municipalities.len() < 2 {
            return None;
        }
        let n = municipalities.len();
        let names = municipalities
            .keys()
            .filter_map(|id| p.organisation_name(Some(*id)))
            .collect::<Vec<_>>()
            .join(", ");
        Some(Judgement::green(
            4,
            municipalities
                .iter()
                .map(|(org, x)| {
                    EvidenceRow::new(
                        "organisation",
                        *org,
                        format!(
                            "{} ({}, deltager {})",
                            p.organisation_name(Some(*org)).unwrap_or("ukendt"),
                            x.role,
                            x.id
                        ),
                    )
                })
                .collect(),
            Msg::new(
                format!("{n} kommuner deltager i produktet: {names}."),
                format!("{n} municipalities take part in the product: {names}."),
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::rules::fixtures::*;

    const ID: &str = "portfolio.municipalities";

    #[test]
    fn its_target_asks_for_municipalities() {
        assert_targets(&Municipalities, &["Involverede kommuner"]);
    }

    #[test]
    fn two_municipalities_meet_2018_g6_only() {
        let mut data = Portfolio::default();
        data.organisations
            .insert(1, org("Aarhus Kommune", vocabulary::KOMMUNE));
        data.organisations
            .insert(2, org("Magenta ApS", "leverandør"));
        data.organisations
            .insert(3, org("Odense Kommune", vocabulary::KOMMUNE));
        data.participants
            .push(participant(1, Some(1), None, "initiativtager"));
        data.participants
            .push(participant(2, Some(1), None, "anvender"));
        data.participants
            .push(participant(3, Some(2), None, "udviklingsleverandør"));
        // One municipality (twice) and a supplier: not more than one municipality.
        assert!(run_rule(&data, "os2-2018", ID).is_empty());
        data.participants
            .push(participant(4, Some(3), None, "anvender"));
        let found = run_rule(&data, "os2-2018", ID);
        assert_eq!(summary(&found), vec![("G6".into(), Rating::Green, 4)]);
        assert_eq!(
            found[0].explanation.da,
            "2 kommuner deltager i produktet: Aarhus Kommune, Odense Kommune."
        );
        assert_eq!(
            found[0].evidence,
            vec![
                EvidenceRow::new(
                    "organisation",
                    1,
                    "Aarhus Kommune (initiativtager, deltager 1)"
                ),
                EvidenceRow::new("organisation", 3, "Odense Kommune (anvender, deltager 4)"),
            ]
        );
        // Two municipalities also show a shared potential (portfolio.several-organisations).
        assert_eq!(
            summary(&run(&data, "os2-2018")),
            vec![
                ("R3".into(), Rating::Green, 2),
                ("G6".into(), Rating::Green, 4)
            ]
        );
        // The later models have no such requirement.
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
        assert!(run_rule(&data, "os2-2021", ID).is_empty());
        // A municipality that left no longer counts.
        data.participants[3].until = NaiveDate::from_ymd_opt(2026, 1, 1);
        assert!(run_rule(&data, "os2-2018", ID).is_empty());
    }
}
