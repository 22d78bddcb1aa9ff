//! `portfolio.joining-agreement`: a current tilslutningsaftale with an economy text or
//! parties (os2-1.1.0 and os2-2021: G10; os2-2018: G12). G10 names a
//! *tilslutningserklæring*, so only a tilslutningsaftale counts.

use chrono::NaiveDate;

use super::agreements_judgement;
use crate::portfolio::input::{Agreement, Portfolio, vocabulary};
use crate::portfolio::{Judgement, PortfolioRule, Targets};

/// G10 from a registered joining agreement.
pub struct JoiningAgreement;

impl PortfolioRule for JoiningAgreement {
    fn id(&self) -> &'static str {
        "portfolio.joining-agreement"
    }

    fn targets(&self) -> Targets {
        &[
            ("os2-1.1.0", "G10"),
            ("os2-2021", "G10"),
            ("os2-2018", "G12"),
        ]
    }

    fn judge(&self, p: &Portfolio, today: NaiveDate) -> Option<Judgement> {
        let agreements: Vec<&Agreement> = p
            .agreements_of(&[vocabulary::TILSLUTNINGSAFTALE], today)
            .collect();
        agreements_judgement(&agreements)
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::rules::fixtures::*;

    #[test]
    fn its_targets_ask_for_a_joining_declaration() {
        assert_targets(&JoiningAgreement, &["tilslutning"]);
    }

    #[test]
    fn a_joining_agreement_with_economy_or_parties_meets_g10() {
        let mut data = Portfolio::default();
        // Without economy text and without parties: nothing.
        data.agreements.push(agreement(
            1,
            vocabulary::TILSLUTNINGSAFTALE,
            None,
            &[],
            None,
        ));
        assert!(run(&data, "os2-1.1.0").is_empty());
        // With an economy text: G10 (and G13) at confidence 3.
        data.agreements[0].economy = Some("10.000 kr. pr. kommune pr. år".into());
        let found = run(&data, "os2-1.1.0");
        assert_eq!(
            summary(&found),
            vec![
                ("G10".into(), Rating::Green, 3),
                ("G13".into(), Rating::Green, 3)
            ]
        );
        assert_eq!(found[0].detector, "portfolio.joining-agreement");
        assert_eq!(
            found[0].evidence[0].label,
            "Tilslutningsaftale Aftale 1: 0 parter; økonomi: 10.000 kr. pr. kommune pr. år"
        );
        assert_eq!(
            found[0].explanation.da,
            "Der er registreret en aftale, der beskriver økonomien: Aftale 1 (tilslutningsaftale)."
        );
        // Parties only: confidence 2, with a word to the secretariat.
        data.agreements[0].economy = None;
        data.agreements[0].parties = vec![3];
        let found = run(&data, "os2-2018");
        assert_eq!(found[0].requirement.as_str(), "G12");
        assert_eq!((found[0].rating, found[0].confidence), (Rating::Green, 2));
        assert_eq!(
            found[0].evidence[0].label,
            "Tilslutningsaftale Aftale 1: 1 part"
        );
        assert!(
            found[0]
                .explanation
                .da
                .ends_with("Sekretariatet bør se, om den sikrer økonomien."),
            "{:?}",
            found[0].explanation
        );
    }
}
