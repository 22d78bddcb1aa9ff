//! `portfolio.board-approved-steering-group`: the board's approval of the product's
//! steering group in the decision log (os2-1.1.0 and os2-2021: G11 "Bestyrelsen har
//! godkendt styregruppen"; os2-2018: G13 "Bestyrelsen godkender styregruppen").

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::{Portfolio, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// What an approval of a steering group approves.
const STYREGRUPPE: &str = "styregruppe";

/// G11 from the board's approval of the steering group.
pub struct BoardApprovedSteeringGroup;

impl PortfolioRule for BoardApprovedSteeringGroup {
    fn id(&self) -> &'static str {
        "portfolio.board-approved-steering-group"
    }

    fn targets(&self) -> Targets {
        &[
            ("os2-1.1.0", "G11"),
            ("os2-2021", "G11"),
            ("os2-2018", "G13"),
        ]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let d = p
            .board_decisions(vocabulary::GODKENDELSE, Some(STYREGRUPPE))
            .next()?;
        Some(Judgement::green(
            5,
            vec![EvidenceRow::new("decision", d.id, d.label())],
            Msg::new(
                format!(
                    "Bestyrelsen godkendte styregruppen {} (beslutningsloggen).",
                    d.decided_on
                ),
                format!(
                    "The board approved the steering group on {} (the decision log).",
                    d.decided_on
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

    /// This rule's findings (an approval also tells that the board is informed, G4).
    fn own(data: &Portfolio, model: &str) -> Vec<crate::portfolio::PortfolioFinding> {
        run(data, model)
            .into_iter()
            .filter(|f| f.detector == "portfolio.board-approved-steering-group")
            .collect()
    }

    #[test]
    fn its_targets_ask_for_the_boards_approval_of_the_steering_group() {
        assert_targets(&BoardApprovedSteeringGroup, &["godkend", "styregruppe"]);
    }

    #[test]
    fn the_approval_cites_the_decision_and_its_reference() {
        let mut data = Portfolio::default();
        let mut d = decision(
            12,
            "godkendelse",
            Some("styregruppe"),
            "bestyrelse",
            "2019-05-23",
        );
        d.reference = Some("gruppe 7".into());
        data.decisions.push(d);
        let found = own(&data, "os2-1.1.0");
        assert_eq!(summary(&found), vec![("G11".into(), Rating::Green, 5)]);
        assert_eq!(
            found[0].evidence,
            vec![EvidenceRow::new(
                "decision",
                12,
                "Bestyrelsens godkendelse (styregruppe) 2019-05-23 (gruppe 7)"
            )]
        );
        assert_eq!(
            summary(&own(&data, "os2-2018")),
            vec![("G13".into(), Rating::Green, 5)]
        );
    }
}
