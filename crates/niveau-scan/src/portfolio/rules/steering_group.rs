//! `portfolio.steering-group`: a group of kind styregruppe with at least one member
//! (os2-1.1.0 and os2-2021: G6; os2-2018: G8).

use chrono::NaiveDate;
use niveau_model::Msg;

use super::groups_judgement;
use crate::detectors::count;
use crate::portfolio::input::{Group, Portfolio, vocabulary};
use crate::portfolio::{Judgement, PortfolioRule, Targets};

/// G6 from a registered steering group.
pub struct SteeringGroup;

impl PortfolioRule for SteeringGroup {
    fn id(&self) -> &'static str {
        "portfolio.steering-group"
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "G6"), ("os2-2021", "G6"), ("os2-2018", "G8")]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let groups: Vec<&Group> = p.groups_of(vocabulary::STYREGRUPPE).collect();
        let members: usize = groups.iter().map(|g| g.members.len()).sum();
        groups_judgement(
            &groups,
            4,
            Msg::new(
                format!(
                    "Der er registreret en styregruppe med {} i porteføljen.",
                    count(members, "medlem", "medlemmer")
                ),
                format!("The portfolio has a steering group with {members} member(s)."),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use niveau_model::Rating;

    use super::*;
    use crate::portfolio::EvidenceRow;
    use crate::portfolio::rules::fixtures::*;

    #[test]
    fn its_targets_ask_for_a_steering_group() {
        assert_targets(&SteeringGroup, &["styregruppe"]);
    }

    #[test]
    fn a_steering_group_needs_a_member() {
        let mut data = Portfolio::default();
        data.groups.push(group(7, vocabulary::STYREGRUPPE, &[]));
        assert!(run(&data, "os2-1.1.0").is_empty());
        data.groups = vec![group(7, vocabulary::STYREGRUPPE, &[(70, None, "formand")])];
        let found = run(&data, "os2-1.1.0");
        assert_eq!(summary(&found), vec![("G6".into(), Rating::Green, 4)]);
        assert_eq!(
            found[0].evidence,
            vec![EvidenceRow::new(
                "work_group",
                7,
                "Styregruppe Gruppe 7 (1 medlem)"
            )]
        );
        let found = run(&data, "os2-2018");
        assert_eq!(summary(&found), vec![("G8".into(), Rating::Green, 4)]);
    }

    #[test]
    fn an_archived_steering_group_does_not_count() {
        let mut data = Portfolio::default();
        data.groups.push(group(
            7,
            vocabulary::STYREGRUPPE,
            &[(70, None, "formand"), (71, None, "medlem")],
        ));
        let found = run(&data, "os2-2021");
        assert_eq!(
            found[0].explanation.da,
            "Der er registreret en styregruppe med 2 medlemmer i porteføljen."
        );
        data.groups[0].archived = true;
        assert!(run(&data, "os2-2021").is_empty());
    }
}
