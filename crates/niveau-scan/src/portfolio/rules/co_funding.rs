//! `portfolio.co-funding`: a development wish with a co-funding target and pledges from
//! two or more distinct organisations (os2-1.1.0 and os2-2021: G13; os2-2018: G15, "en
//! aftale der sikrer økonomi til koordinering og videreudvikling"): the organisations
//! pay for further development together.
//!
//! The requirement is the one `portfolio.economy-agreement` speaks about too; both
//! findings are kept side by side (the workbench's merge shows the surer one and keeps
//! the other as an alternative). Green (2): pledges show the will to pay, not an
//! agreement, so the secretariat confirms. A rejected wish (afvist) does not count.
//! Nothing otherwise.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use niveau_model::Msg;

use crate::portfolio::input::{Portfolio, Wish, kroner, kroner_en, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// G13 (2018: G15) from co-funded development wishes.
pub struct CoFunding;

/// The distinct organisations that pledged to `w`.
fn funders(w: &Wish) -> usize {
    w.pledges
        .iter()
        .map(|x| x.organisation)
        .collect::<BTreeSet<_>>()
        .len()
}

impl PortfolioRule for CoFunding {
    fn id(&self) -> &'static str {
        "portfolio.co-funding"
    }

    fn targets(&self) -> Targets {
        &[
            ("os2-1.1.0", "G13"),
            ("os2-2021", "G13"),
            ("os2-2018", "G15"),
        ]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let wishes: Vec<(&Wish, i64)> = p
            .wishes
            .iter()
            .filter(|w| w.state != vocabulary::AFVIST && funders(w) >= 2)
            .filter_map(|w| Some((w, w.target_ore.filter(|t| *t > 0)?)))
            .collect();
        if wishes.is_empty() {
            return None;
        }
        let evidence = wishes
            .iter()
            .flat_map(|(w, _)| {
                w.pledges.iter().map(|x| {
                    EvidenceRow::new(
                        "wish_pledge",
                        x.id,
                        format!(
                            "Tilsagn {} fra {} til \"{}\"",
                            kroner(x.amount_ore),
                            p.organisation_name(Some(x.organisation))
                                .unwrap_or("ukendt"),
                            w.title
                        ),
                    )
                })
            })
            .collect();
        let n = wishes.len();
        let reached = wishes.iter().filter(|(w, _)| w.funded()).count();
        let (mut da, mut en) = (Vec::new(), Vec::new());
        for (w, target) in &wishes {
            let (k, pledged) = (funders(w), w.pledged_ore());
            let (yes_da, yes_en) = if w.funded() {
                ("målet er nået", "target reached")
            } else {
                ("målet er ikke nået", "target not reached")
            };
            da.push(format!(
                "\"{}\" ({k} organisationer, {} af {}: {yes_da})",
                w.title,
                kroner(pledged),
                kroner(*target)
            ));
            en.push(format!(
                "\"{}\" ({k} organisations, {} of {}: {yes_en})",
                w.title,
                kroner_en(pledged),
                kroner_en(*target)
            ));
        }
        let (da, en) = (da.join(", "), en.join(", "));
        let explanation = if n == 1 {
            Msg::new(
                format!(
                    "1 udviklingsønske er samfinansieret af flere organisationer: {da}. Tilsagn er ikke en aftale; sekretariatet bør se, om de sikrer økonomien til videreudvikling."
                ),
                format!(
                    "1 development wish is co-funded by several organisations: {en}. Pledges are not an agreement; the secretariat should check that they secure the economy for further development."
                ),
            )
        } else {
            Msg::new(
                format!(
                    "{n} udviklingsønsker er samfinansieret af flere organisationer, og målet er nået for {reached} af dem: {da}. Tilsagn er ikke en aftale; sekretariatet bør se, om de sikrer økonomien til videreudvikling."
                ),
                format!(
                    "{n} development wishes are co-funded by several organisations, {reached} of them reached their target: {en}. Pledges are not an agreement; the secretariat should check that they secure the economy for further development."
                ),
            )
        };
        Some(Judgement::green(2, evidence, explanation))
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::rules::fixtures::*;

    const ID: &str = "portfolio.co-funding";

    #[test]
    fn its_targets_ask_for_economy_for_further_development() {
        assert_targets(&CoFunding, &["økonomi til koordiner", "videreudvikling"]);
    }

    /// OS2mo 2.5 needed more municipalities to join the co-funding.
    fn product() -> Portfolio {
        let mut data = Portfolio::default();
        data.organisations
            .insert(1, org("Aarhus Kommune", vocabulary::KOMMUNE));
        data.organisations
            .insert(2, org("Odense Kommune", vocabulary::KOMMUNE));
        data.organisations
            .insert(3, org("Vejle Kommune", vocabulary::KOMMUNE));
        data.wishes.push(wish(
            20,
            "OS2mo 2.5",
            "klar til prioritering",
            Some(1),
            Some(40_000_000),
            &[(30, 1, 15_000_000), (31, 2, 15_000_050)],
        ));
        data
    }

    #[test]
    fn pledges_from_two_organisations_meet_g13_and_2018_g15() {
        let data = product();
        for (model, req) in [
            ("os2-1.1.0", "G13"),
            ("os2-2021", "G13"),
            ("os2-2018", "G15"),
        ] {
            let found = run_rule(&data, model, ID);
            assert_eq!(summary(&found), vec![(req.into(), Rating::Green, 2)]);
            assert_eq!(found[0].detector, "portfolio.co-funding");
        }
        let found = run_rule(&data, "os2-1.1.0", ID);
        assert_eq!(
            found[0].evidence,
            vec![
                EvidenceRow::new(
                    "wish_pledge",
                    30,
                    "Tilsagn 150.000 kr. fra Aarhus Kommune til \"OS2mo 2.5\""
                ),
                EvidenceRow::new(
                    "wish_pledge",
                    31,
                    "Tilsagn 150.000,50 kr. fra Odense Kommune til \"OS2mo 2.5\""
                ),
            ]
        );
        assert_eq!(
            found[0].explanation.da,
            "1 udviklingsønske er samfinansieret af flere organisationer: \"OS2mo 2.5\" (2 organisationer, 300.000,50 kr. af 400.000 kr.: målet er ikke nået). Tilsagn er ikke en aftale; sekretariatet bør se, om de sikrer økonomien til videreudvikling."
        );
        assert_eq!(
            found[0].explanation.en,
            "1 development wish is co-funded by several organisations: \"OS2mo 2.5\" (2 organisations, DKK 300,000.50 of DKK 400,000: target not reached). Pledges are not an agreement; the secretariat should check that they secure the economy for further development."
        );
    }

    #[test]
    fn the_explanation_counts_the_wishes_that_reached_their_target() {
        let mut data = product();
        data.wishes[0]
            .pledges
            .push(crate::portfolio::input::Pledge {
                id: 32,
                organisation: 3,
                amount_ore: 9_999_950,
            });
        data.wishes.push(wish(
            21,
            "Ny integration",
            vocabulary::LEVERET,
            Some(2),
            Some(1_000_000),
            &[(33, 2, 500_000), (34, 3, 500_000)],
        ));
        let found = run_rule(&data, "os2-2018", ID);
        assert_eq!(summary(&found), vec![("G15".into(), Rating::Green, 2)]);
        assert_eq!(
            found[0].evidence.iter().map(|e| e.id).collect::<Vec<_>>(),
            [30, 31, 32, 33, 34]
        );
        assert_eq!(
            found[0].explanation.da,
            "2 udviklingsønsker er samfinansieret af flere organisationer, og målet er nået for 2 af dem: \"OS2mo 2.5\" (3 organisationer, 400.000 kr. af 400.000 kr.: målet er nået), \"Ny integration\" (2 organisationer, 10.000 kr. af 10.000 kr.: målet er nået). Tilsagn er ikke en aftale; sekretariatet bør se, om de sikrer økonomien til videreudvikling."
        );
        assert!(
            found[0]
                .explanation
                .en
                .starts_with("2 development wishes are co-funded by several organisations, 2 of them reached their target: ")
        );
    }

    #[test]
    fn one_funder_no_target_or_a_rejected_wish_show_nothing() {
        let mut data = product();
        // Two pledges from the same organisation are not co-funding.
        data.wishes[0].pledges[1].organisation = 1;
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
        data.wishes[0].pledges[1].organisation = 2;
        // Pledges without a target (or a zero target) are not a co-funding.
        data.wishes[0].target_ore = None;
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
        data.wishes[0].target_ore = Some(0);
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
        data.wishes[0].target_ore = Some(40_000_000);
        data.wishes[0].state = vocabulary::AFVIST.into();
        assert!(run_rule(&data, "os2-1.1.0", ID).is_empty());
    }
}
