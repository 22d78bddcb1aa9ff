//! `portfolio.board-in-steering-group`: a member with role bestyrelsesrepræsentant in a
//! styregruppe. The rule reads the registry two ways, because the models ask two things:
//!
//! - [`BoardRepresented`] (os2-1.1.0 and os2-2021: G12 "Bestyrelsen er repræsenteret i
//!   styregruppen"): Green when the board has a representative;
//! - [`BoardMajority`] (os2-2018: G14 "Bestyrelsen har stemmemajoritet i
//!   styregruppen"): Green only when the board's representatives are more than half of
//!   the registered members, otherwise Yellow (represented, majority not shown).

use chrono::NaiveDate;
use niveau_model::{Msg, Rating};

use crate::portfolio::input::{Group, Member, Portfolio, vocabulary};
use crate::portfolio::{EvidenceRow, Judgement, PortfolioRule, Targets};

/// The rule's id, shared by both readings.
pub const ID: &str = "portfolio.board-in-steering-group";

/// The board's representatives in the steering groups, and how many members those groups
/// have in all; none when the board has no representative there.
struct Board<'a> {
    representatives: Vec<(&'a Group, &'a Member)>,
    members: usize,
}

impl<'a> Board<'a> {
    fn of(p: &'a Portfolio) -> Option<Board<'a>> {
        let steering: Vec<&Group> = p.groups_of(vocabulary::STYREGRUPPE).collect();
        let representatives: Vec<(&Group, &Member)> = steering
            .iter()
            .flat_map(|g| g.members.iter().map(move |m| (*g, m)))
            .filter(|(_, m)| m.role == vocabulary::BESTYRELSESREPRAESENTANT)
            .collect();
        (!representatives.is_empty()).then(|| Board {
            representatives,
            members: steering.iter().map(|g| g.members.len()).sum(),
        })
    }

    fn evidence(&self, p: &Portfolio) -> Vec<EvidenceRow> {
        self.representatives
            .iter()
            .map(|(g, m)| {
                EvidenceRow::new(
                    "group_member",
                    m.id,
                    format!(
                        "{} i {}: {}",
                        m.role,
                        g.name,
                        p.who(m.person, m.organisation)
                    ),
                )
            })
            .collect()
    }
}

/// G12 (1.1.0, 2021): the board is represented in the steering group.
pub struct BoardRepresented;

impl PortfolioRule for BoardRepresented {
    fn id(&self) -> &'static str {
        ID
    }

    fn targets(&self) -> Targets {
        &[("os2-1.1.0", "G12"), ("os2-2021", "G12")]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let board = Board::of(p)?;
        let n = board.representatives.len();
        Some(Judgement::green(
            4,
            board.evidence(p),
            Msg::new(
                format!(
                    "Bestyrelsen er repræsenteret i styregruppen ({n} bestyrelsesrepræsentant{}).",
                    if n == 1 { "" } else { "er" }
                ),
                format!(
                    "The board is represented in the steering group ({n} board representative(s))."
                ),
            ),
        ))
    }
}

/// G14 (2018): the board holds the majority of votes in the steering group.
pub struct BoardMajority;

impl PortfolioRule for BoardMajority {
    fn id(&self) -> &'static str {
        ID
    }

    fn targets(&self) -> Targets {
        &[("os2-2018", "G14")]
    }

    fn judge(&self, p: &Portfolio, _today: NaiveDate) -> Option<Judgement> {
        let board = Board::of(p)?;
        let (n, members) = (board.representatives.len(), board.members);
        let majority = n * 2 > members;
        Some(Judgement {
            rating: if majority {
                Rating::Green
            } else {
                Rating::Yellow
            },
            confidence: if majority { 3 } else { 2 },
            evidence: board.evidence(p),
            explanation: if majority {
                Msg::new(
                    format!(
                        "Bestyrelsens repræsentanter er {n} af styregruppens {members} registrerede medlemmer, altså et flertal."
                    ),
                    format!(
                        "The board's representatives are {n} of the steering group's {members} registered members: a majority."
                    ),
                )
            } else {
                Msg::new(
                    format!(
                        "Bestyrelsen er repræsenteret i styregruppen, men med {n} af {members} registrerede medlemmer ikke med flertal."
                    ),
                    format!(
                        "The board is represented in the steering group, but with {n} of {members} registered members not with a majority."
                    ),
                )
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portfolio::rules::fixtures::*;

    #[test]
    fn its_targets_ask_for_the_board_in_the_steering_group() {
        assert_targets(
            &BoardRepresented,
            &["Bestyrelsen er repræsenteret i styregruppen"],
        );
        assert_targets(
            &BoardMajority,
            &["Bestyrelsen har stemmemajoritet i styregruppen"],
        );
    }

    #[test]
    fn a_board_member_in_the_steering_group_meets_g12() {
        let mut data = Portfolio::default();
        data.persons.insert(1, person("Bo Bestyrelse"));
        data.groups.push(group(
            7,
            vocabulary::STYREGRUPPE,
            &[
                (70, Some(1), vocabulary::BESTYRELSESREPRAESENTANT),
                (71, None, "formand"),
                (72, None, "medlem"),
            ],
        ));
        let found = run(&data, "os2-1.1.0");
        assert_eq!(
            summary(&found),
            vec![
                ("G6".into(), Rating::Green, 4),
                ("G12".into(), Rating::Green, 4)
            ]
        );
        assert_eq!(found[1].detector, ID);
        assert_eq!(
            found[1].evidence,
            vec![EvidenceRow::new(
                "group_member",
                70,
                "bestyrelsesrepræsentant i Gruppe 7: Bo Bestyrelse"
            )]
        );
        assert_eq!(
            found[1].explanation.da,
            "Bestyrelsen er repræsenteret i styregruppen (1 bestyrelsesrepræsentant)."
        );
        // 2018 asks for the majority: 1 of 3 is represented, not a majority.
        let found = run(&data, "os2-2018");
        assert_eq!(
            summary(&found),
            vec![
                ("G8".into(), Rating::Green, 4),
                ("G14".into(), Rating::Yellow, 2)
            ]
        );
        assert_eq!(found[1].detector, ID);
        // 2 of 3 is a majority.
        data.groups[0].members[1].role = vocabulary::BESTYRELSESREPRAESENTANT.into();
        let found = run(&data, "os2-2018");
        assert_eq!(found[1].requirement.as_str(), "G14");
        assert_eq!((found[1].rating, found[1].confidence), (Rating::Green, 3));
        assert_eq!(
            found[1].explanation.da,
            "Bestyrelsens repræsentanter er 2 af styregruppens 3 registrerede medlemmer, altså et flertal."
        );
    }

    #[test]
    fn a_board_member_outside_a_steering_group_does_not_count() {
        let mut data = Portfolio::default();
        data.groups.push(group(
            8,
            vocabulary::KOORDINATIONSGRUPPE,
            &[(80, None, vocabulary::BESTYRELSESREPRAESENTANT)],
        ));
        assert_eq!(
            summary(&run(&data, "os2-1.1.0")),
            vec![("G7".into(), Rating::Green, 4)]
        );
    }
}
