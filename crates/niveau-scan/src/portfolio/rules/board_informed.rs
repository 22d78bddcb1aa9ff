//! `portfolio.board-informed`: the board has been informed of the product — an
//! orientation ("orientering til bestyrelsen") or an approval by the board in the
//! decision log (os2-1.1.0, os2-2021 and os2-2018: G4).

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::{Portfolio, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// G4 from the board's orientation (or approval) in the log.
pub struct BoardInformed;

impl PortfolioRule for BoardInformed {
    fn id(&self) -> &'static str {
        "portfolio.board-informed"
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "G4"), ("os2-2021", "G4"), ("os2-2018", "G4")]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let found: Vec<_> = p
            .board_decisions(vocabulary::ORIENTERING, None)
            .chain(p.board_decisions(vocabulary::GODKENDELSE, None))
            .collect();
        let newest = found.first()?;
        Some(Judgement::green(
            5,
            found
                .iter()
                .map(|d| EvidenceRow::new("decision", d.id, d.label()))
                .collect(),
            Msg::new(
                format!(
                    "Beslutningsloggen viser, at bestyrelsen er orienteret om produktet ({} {}).",
                    newest.kind, newest.decided_on
                ),
                format!(
                    "The decision log shows that the board has been informed of the product ({} {}).",
                    newest.kind, newest.decided_on
                ),
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
    fn its_targets_ask_for_the_board_to_be_informed() {
        assert_targets(&BoardInformed, &["orient"]);
    }

    #[test]
    fn an_orientation_by_the_board_counts_and_the_secretariats_does_not() {
        let mut data = Portfolio::default();
        data.decisions.push(decision(
            3,
            "orientering",
            None,
            "sekretariat",
            "2026-02-01",
        ));
        assert!(run(&data, "os2-1.1.0").is_empty());
        data.decisions
            .push(decision(4, "orientering", None, "bestyrelse", "2026-03-12"));
        let found = run(&data, "os2-1.1.0");
        assert_eq!(summary(&found), vec![("G4".into(), Rating::Green, 5)]);
        assert_eq!(
            found[0].evidence,
            vec![EvidenceRow::new(
                "decision",
                4,
                "Bestyrelsens orientering 2026-03-12"
            )]
        );
        assert_eq!(
            found[0].explanation.en,
            "The decision log shows that the board has been informed of the product (orientering 2026-03-12)."
        );
        // An approval by the board tells that it is informed too.
        let mut approved = Portfolio::default();
        approved
            .decisions
            .push(decision(8, "godkendelse", Some("koncept"), "bestyrelse", "2025-01-01"));
        assert!(
            run(&approved, "os2-2021")
                .iter()
                .any(|f| f.requirement.as_str() == "G4" && f.evidence[0].id == 8)
        );
        assert_eq!(
            summary(&run(&data, "os2-2018")),
            vec![("G4".into(), Rating::Green, 5)]
        );
    }
}
