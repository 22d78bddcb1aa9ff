//! `portfolio.economy-agreement`: a current tilslutningsaftale, samarbejdsaftale or
//! driftsaftale with an economy text or parties (os2-1.1.0 and os2-2021: G13;
//! os2-2018: G15): any agreement that secures the economy.

use chrono::NaiveDate;

use super::agreements_judgement;
use crate::portfolio::input::{Agreement, Portfolio, vocabulary};
use crate::portfolio::{Judgement, PortfolioRule, Targets};

/// The kinds of agreement that can secure the economy.
pub const KINDS: &[&str] = &[
    vocabulary::TILSLUTNINGSAFTALE,
    vocabulary::SAMARBEJDSAFTALE,
    vocabulary::DRIFTSAFTALE,
];

/// G13 from registered agreements on the economy.
pub struct EconomyAgreement;

impl PortfolioRule for EconomyAgreement {
    fn id(&self) -> &'static str {
        "portfolio.economy-agreement"
    }

    fn targets(&self) -> Targets {
        &[
            ("os2-1.1.0", "G13"),
            ("os2-2021", "G13"),
            ("os2-2018", "G15"),
        ]
    }

    fn judge(&self, p: &Portfolio, today: NaiveDate) -> Option<Judgement> {
        let agreements: Vec<&Agreement> = p.agreements_of(KINDS, today).collect();
        agreements_judgement(&agreements)
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::rules::fixtures::*;

    #[test]
    fn its_targets_ask_for_economy_for_coordination_and_development() {
        assert_targets(
            &EconomyAgreement,
            &["økonomi til koordiner", "videreudvikling"],
        );
    }

    #[test]
    fn agreements_on_the_economy_meet_g10_and_g13() {
        // A driftsaftale with parties only: G13 at confidence 2, not G10 (which asks for a
        // tilslutningserklæring).
        let mut data = Portfolio {
            agreements: vec![agreement(2, vocabulary::DRIFTSAFTALE, None, &[3, 4], None)],
            ..Default::default()
        };
        let found = run(&data, "os2-1.1.0");
        assert_eq!(summary(&found), vec![("G13".into(), Rating::Green, 2)]);
        assert_eq!(found[0].detector, "portfolio.economy-agreement");
        // The 2018 model numbers them G12 and G15.
        data.agreements = vec![
            agreement(3, vocabulary::SAMARBEJDSAFTALE, Some("x"), &[], None),
            agreement(4, vocabulary::TILSLUTNINGSAFTALE, None, &[3], None),
        ];
        let found = run(&data, "os2-2018");
        assert_eq!(
            summary(&found),
            vec![
                ("G12".into(), Rating::Green, 2),
                ("G15".into(), Rating::Green, 3)
            ]
        );
        assert_eq!(found[1].evidence.len(), 2);
        // An expired agreement, an archived one and an unrelated kind do not count.
        data.agreements = vec![
            agreement(
                5,
                vocabulary::TILSLUTNINGSAFTALE,
                Some("x"),
                &[],
                NaiveDate::from_ymd_opt(2026, 4, 30),
            ),
            agreement(6, "udviklingsaftale", Some("x"), &[1], None),
            agreement(7, vocabulary::DRIFTSAFTALE, Some("x"), &[1], None),
        ];
        data.agreements[2].archived = true;
        assert!(run(&data, "os2-1.1.0").is_empty());
    }
}
