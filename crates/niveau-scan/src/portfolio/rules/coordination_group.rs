//! `portfolio.coordination-group`: a group of kind koordinationsgruppe with at least one
//! member (os2-1.1.0 and os2-2021: G7; os2-2018: G9).

use chrono::NaiveDate;
use niveau_model::Msg;

use super::groups_judgement;
use crate::portfolio::input::{Group, Portfolio, vocabulary};
use crate::portfolio::{Judgement, PortfolioRule, Targets};

/// G7 from a registered coordination group.
pub struct CoordinationGroup;

impl PortfolioRule for CoordinationGroup {
    fn id(&self) -> &'static str {
        "portfolio.coordination-group"
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "G7"), ("os2-2021", "G7"), ("os2-2018", "G9")]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let groups: Vec<&Group> = p.groups_of(vocabulary::KOORDINATIONSGRUPPE).collect();
        groups_judgement(
            &groups,
            4,
            Msg::new(
                "Der er registreret en koordinationsgruppe i porteføljen.",
                "The portfolio has a coordination group.",
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
    fn its_targets_ask_for_a_coordination_group() {
        assert_targets(&CoordinationGroup, &["koordinationsgruppe"]);
    }

    #[test]
    fn a_coordination_group_meets_g7() {
        let mut data = Portfolio::default();
        data.groups.push(group(
            8,
            vocabulary::KOORDINATIONSGRUPPE,
            &[(80, None, "medlem")],
        ));
        assert_eq!(
            summary(&run(&data, "os2-1.1.0")),
            vec![("G7".into(), Rating::Green, 4)]
        );
        assert_eq!(
            summary(&run(&data, "os2-2018")),
            vec![("G9".into(), Rating::Green, 4)]
        );
        // Without members it shows nothing.
        data.groups[0].members.clear();
        assert!(run(&data, "os2-1.1.0").is_empty());
    }
}
