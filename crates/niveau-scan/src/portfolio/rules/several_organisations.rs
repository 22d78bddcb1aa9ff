//! `portfolio.several-organisations`: two or more distinct organisations that are not
//! suppliers involved in the product, through current participations, development
//! wishes they raised or pledges of co-funding. That the product is used or wanted across
//! authorities is evidence of its shared public value: os2-1.1.0 R3 "Løsningen har fælles
//! offentligt potentiale", os2-2021 R4 "Løsningen har tværkommunal potentiale
//! (anbefaling)" (the requirement the model's mapping translates to 1.1.0's R3; 2021's
//! R2 "skaber potentielt værdi for andre" is a level 1 requirement about value, not
//! about several authorities), os2-2018 R3 "Løsningen bør have et tværkommunal
//! potentiale".
//!
//! Green (2): the registry shows involvement, not the potential itself, so the
//! secretariat confirms. Organisations that are not in the registry's organisations, or
//! of kind leverandør, do not count. Nothing otherwise.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::Portfolio;
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// R3 (2021: R4) from the organisations involved in the product.
pub struct SeveralOrganisations;

impl PortfolioRule for SeveralOrganisations {
    fn id(&self) -> &'static str {
        "portfolio.several-organisations"
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "R3"), ("os2-2021", "R4"), ("os2-2018", "R3")]
    }

    fn judge(&self, p: &Portfolio, today: NaiveDate) -> Option<Judgement> {
        let counts = |id: i32| p.organisations.get(&id).is_some_and(|o| !o.is_supplier());
        let name = |id: i32| p.organisation_name(Some(id)).unwrap_or("ukendt");
        // The first row that shows each organisation: participations, then wishes, then
        // pledges.
        let mut seen = BTreeSet::new();
        let mut rows = Vec::new();
        for x in p.participants.iter().filter(|x| x.is_current(today)) {
            if let Some(o) = x.organisation.filter(|o| counts(*o) && seen.insert(*o)) {
                rows.push((
                    o,
                    EvidenceRow::new(
                        "participant",
                        x.id,
                        format!("{}: deltager ({})", name(o), x.role),
                    ),
                ));
            }
        }
        for w in &p.wishes {
            if let Some(o) = w.raised_by.filter(|o| counts(*o) && seen.insert(*o)) {
                rows.push((
                    o,
                    EvidenceRow::new(
                        "wish",
                        w.id,
                        format!("{}: har rejst ønsket \"{}\"", name(o), w.title),
                    ),
                ));
            }
        }
        for w in &p.wishes {
            for pledge in &w.pledges {
                let o = pledge.organisation;
                if counts(o) && seen.insert(o) {
                    rows.push((
                        o,
                        EvidenceRow::new(
                            "wish_pledge",
                            pledge.id,
                            format!("{}: tilsagn til ønsket \"{}\"", name(o), w.title),
                        ),
                    ));
                }
            }
        }
        if rows.len() < 2 {
            return None;
        }
        let n = rows.len();
        let names = rows
            .iter()
            .map(|(o, _)| name(*o))
            .collect::<Vec<_>>()
            .join(", ");
        Some(Judgement::green(
            2,
            rows.into_iter().map(|(_, row)| row).collect(),
            Msg::new(
                format!(
                    "{n} organisationer ud over leverandørerne er involveret i produktet: {names}. Det peger på et fælles potentiale på tværs af myndigheder."
                ),
                format!(
                    "{n} organisations other than suppliers are involved in the product: {names}. This points to a shared potential across authorities."
                ),
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::input::vocabulary;
    use crate::portfolio::rules::fixtures::*;

    const ID: &str = "portfolio.several-organisations";

    #[test]
    fn its_targets_ask_for_a_shared_potential() {
        assert_targets(&SeveralOrganisations, &["potentiale"]);
    }

    /// Aarhus takes part, Magenta develops; Odense and Vejle (a region here) are not
    /// involved yet.
    fn product() -> Portfolio {
        let mut data = Portfolio::default();
        data.organisations
            .insert(1, org("Aarhus Kommune", vocabulary::KOMMUNE));
        data.organisations.insert(2, partner("Magenta"));
        data.organisations
            .insert(3, org("Odense Kommune", vocabulary::KOMMUNE));
        data.organisations
            .insert(4, org("Region Midtjylland", "region"));
        data.participants
            .push(participant(10, Some(1), None, "anvender"));
        data.participants.push(participant(
            11,
            Some(2),
            None,
            vocabulary::UDVIKLINGSLEVERANDOER,
        ));
        data
    }

    #[test]
    fn one_organisation_and_a_supplier_show_nothing() {
        let mut data = product();
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
        // A wish raised by the supplier, and one by the same municipality, add nobody.
        data.wishes
            .push(wish(20, "Ny rapport", "ny", Some(2), None, &[(30, 2, 100)]));
        data.wishes
            .push(wish(21, "Eksport", "ny", Some(1), None, &[]));
        assert!(run_rule(&data, "os2-2018", ID).is_empty());
        // An organisation the registry does not know does not count.
        data.wishes[1].raised_by = Some(99);
        assert!(run_rule(&data, "os2-2018", ID).is_empty());
    }

    #[test]
    fn participants_wishes_and_pledges_each_show_an_organisation() {
        let mut data = product();
        data.wishes.push(wish(
            20,
            "Ny rapport",
            "screening",
            Some(3),
            Some(40_000_000),
            &[(30, 1, 100), (31, 4, 200), (32, 3, 300)],
        ));
        for (model, req) in [("os2-1.1.0", "R3"), ("os2-2021", "R4"), ("os2-2018", "R3")] {
            let found = run_rule(&data, model, ID);
            assert_eq!(summary(&found), vec![(req.into(), Rating::Green, 2)]);
            assert_eq!(found[0].detector, "portfolio.several-organisations");
        }
        let found = run_rule(&data, "os2-1.1.0", ID);
        // One row each, the first that shows the organisation.
        assert_eq!(
            found[0].evidence,
            vec![
                EvidenceRow::new("participant", 10, "Aarhus Kommune: deltager (anvender)"),
                EvidenceRow::new(
                    "wish",
                    20,
                    "Odense Kommune: har rejst ønsket \"Ny rapport\""
                ),
                EvidenceRow::new(
                    "wish_pledge",
                    31,
                    "Region Midtjylland: tilsagn til ønsket \"Ny rapport\""
                ),
            ]
        );
        assert_eq!(
            found[0].explanation.da,
            "3 organisationer ud over leverandørerne er involveret i produktet: Aarhus Kommune, Odense Kommune, Region Midtjylland. Det peger på et fælles potentiale på tværs af myndigheder."
        );
        assert_eq!(
            found[0].explanation.en,
            "3 organisations other than suppliers are involved in the product: Aarhus Kommune, Odense Kommune, Region Midtjylland. This points to a shared potential across authorities."
        );
    }

    #[test]
    fn a_participation_that_ended_does_not_count() {
        let mut data = product();
        data.participants
            .push(participant(12, Some(3), None, "initiativtager"));
        let found = run_rule(&data, "os2-2021", ID);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].evidence[1].label,
            "Odense Kommune: deltager (initiativtager)"
        );
        data.participants[2].until = NaiveDate::from_ymd_opt(2026, 4, 30);
        assert!(run_rule(&data, "os2-2021", ID).is_empty());
    }
}
