//! `portfolio.board-approved-product`: the board's approval of the product in the
//! decision log (os2-1.1.0 and os2-2021: G5 "Bestyrelsen har godkendt produktet";
//! os2-2018: G7 "Bestyrelsen godkender produktet"). An approval of the concept alone is
//! the approval of the project, not of the product: it is shown, at confidence 2, for the
//! secretariat to weigh.

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::{Portfolio, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// G5 from the board's approval of the product.
pub struct BoardApprovedProduct;

impl PortfolioRule for BoardApprovedProduct {
    fn id(&self) -> &'static str {
        "portfolio.board-approved-product"
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "G5"), ("os2-2021", "G5"), ("os2-2018", "G7")]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        if let Some(d) = p
            .board_decisions(vocabulary::GODKENDELSE, Some(vocabulary::PRODUKT))
            .next()
        {
            return Some(Judgement::green(
                5,
                vec![EvidenceRow::new("decision", d.id, d.label())],
                Msg::new(
                    format!(
                        "Bestyrelsen godkendte produktet {} (beslutningsloggen).",
                        d.decided_on
                    ),
                    format!(
                        "The board approved the product on {} (the decision log).",
                        d.decided_on
                    ),
                ),
            ));
        }
        let d = p
            .board_decisions(vocabulary::GODKENDELSE, Some(vocabulary::KONCEPT))
            .next()?;
        Some(Judgement::green(
            2,
            vec![EvidenceRow::new("decision", d.id, d.label())],
            Msg::new(
                format!(
                    "Bestyrelsen godkendte konceptet {}; en godkendelse af selve produktet står ikke i beslutningsloggen.",
                    d.decided_on
                ),
                format!(
                    "The board approved the concept on {}; an approval of the product itself is not in the decision log.",
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
            .filter(|f| f.detector == "portfolio.board-approved-product")
            .collect()
    }

    #[test]
    fn its_targets_ask_for_the_boards_approval_of_the_product() {
        assert_targets(&BoardApprovedProduct, &["godkend", "produktet"]);
    }

    #[test]
    fn the_product_approval_is_certain_and_the_concept_approval_a_hint() {
        let mut data = Portfolio::default();
        assert!(own(&data, "os2-1.1.0").is_empty());
        data.decisions.push(decision(
            5,
            "godkendelse",
            Some("koncept"),
            "bestyrelse",
            "2025-05-01",
        ));
        assert_eq!(
            summary(&own(&data, "os2-1.1.0")),
            vec![("G5".into(), Rating::Green, 2)]
        );
        data.decisions.push(decision(
            9,
            "godkendelse",
            Some("produkt"),
            "bestyrelse",
            "2026-09-01",
        ));
        let found = own(&data, "os2-2018");
        assert_eq!(summary(&found), vec![("G7".into(), Rating::Green, 5)]);
        assert_eq!(found[0].evidence[0].id, 9);
        assert_eq!(
            found[0].explanation.da,
            "Bestyrelsen godkendte produktet 2026-09-01 (beslutningsloggen)."
        );
    }
}
