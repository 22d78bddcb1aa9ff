//! `portfolio.professional-group`: a group of kind faggruppe with at least one member
//! (os2-1.1.0 and os2-2021: G14 "fagligt fællesskab"; os2-2018: G16 "Faggruppe(r)").
//! Confidence 2: whether the group is the community behind the solution is for the
//! secretariat to see.

use chrono::NaiveDate;
use niveau_model::Msg;

use super::groups_judgement;
use crate::portfolio::input::{Group, Portfolio, vocabulary};
use crate::portfolio::{Judgement, PortfolioRule, Targets};

/// G14 from a registered professional group.
pub struct ProfessionalGroup;

impl PortfolioRule for ProfessionalGroup {
    fn id(&self) -> &'static str {
        "portfolio.professional-group"
    }

    fn targets(&self) -> Targets {
        &[
            ("os2-1.1.0", "G14"),
            ("os2-2021", "G14"),
            ("os2-2018", "G16"),
        ]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let groups: Vec<&Group> = p.groups_of(vocabulary::FAGGRUPPE).collect();
        groups_judgement(
            &groups,
            2,
            Msg::new(
                "Der er registreret en faggruppe, hvor erfaringer kan udveksles; sekretariatet bør se, om den er et fagligt fællesskab bag løsningen.",
                "The portfolio has a professional group where experience can be shared; the secretariat should check that it is a community behind the solution.",
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::rules::fixtures::*;

    #[test]
    fn its_targets_ask_for_a_professional_community() {
        assert_targets(&ProfessionalGroup, &[]);
        // "fagligt fællesskab" (1.1.0, 2021 spell it differently) and "Faggruppe(r)" (2018).
        let reg = registry();
        let text = |model: &str, req: &str| {
            reg.get(model)
                .unwrap()
                .requirement(req)
                .unwrap()
                .text
                .clone()
        };
        assert!(text("os2-1.1.0", "G14").contains("fagligt fællesskab"));
        assert!(text("os2-2021", "G14").contains("fagligt fælleskab"));
        assert_eq!(text("os2-2018", "G16"), "Faggruppe(r) etableres.");
    }

    #[test]
    fn a_professional_group_meets_g14_with_a_low_confidence() {
        let mut data = Portfolio::default();
        data.groups.push(group(
            8,
            vocabulary::KOORDINATIONSGRUPPE,
            &[(80, None, "medlem")],
        ));
        data.groups
            .push(group(9, vocabulary::FAGGRUPPE, &[(90, None, "medlem")]));
        assert_eq!(
            summary(&run(&data, "os2-1.1.0")),
            vec![
                ("G7".into(), Rating::Green, 4),
                ("G14".into(), Rating::Green, 2)
            ]
        );
        assert_eq!(
            summary(&run(&data, "os2-2018")),
            vec![
                ("G9".into(), Rating::Green, 4),
                ("G16".into(), Rating::Green, 2)
            ]
        );
    }
}
