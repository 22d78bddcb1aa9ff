//! What the portfolio rules read: the registry's rows about one product, as plain data.
//!
//! The application layer fills it from the store (`niveau_app::evidence::load`); the
//! rules never see a database. Vocabulary values (roles, kinds) are the registry's Danish
//! texts, as stored; the ones the rules look for are the constants in [`vocabulary`].

use std::collections::BTreeMap;

use chrono::NaiveDate;

/// The registry's vocabulary values that the rules look for: the same Danish texts the
/// store keeps (niveau-app's tests check that each one is a value of the store's
/// vocabulary).
pub mod vocabulary {
    /// Participant role: project lead.
    pub const PROJEKTLEDER: &str = "projektleder";
    /// Participant role: coordinator.
    pub const TOVHOLDER: &str = "tovholder";
    /// Organisation kind: a municipality.
    pub const KOMMUNE: &str = "kommune";
    /// Group kind: steering group.
    pub const STYREGRUPPE: &str = "styregruppe";
    /// Group kind: coordination group.
    pub const KOORDINATIONSGRUPPE: &str = "koordinationsgruppe";
    /// Group kind: professional group.
    pub const FAGGRUPPE: &str = "faggruppe";
    /// Group role: the board's representative.
    pub const BESTYRELSESREPRAESENTANT: &str = "bestyrelsesrepræsentant";
    /// Agreement kind: joining agreement.
    pub const TILSLUTNINGSAFTALE: &str = "tilslutningsaftale";
    /// Agreement kind: cooperation agreement.
    pub const SAMARBEJDSAFTALE: &str = "samarbejdsaftale";
    /// Agreement kind: operations agreement.
    pub const DRIFTSAFTALE: &str = "driftsaftale";
    /// Decision kind: the board's approval.
    pub const GODKENDELSE: &str = "godkendelse";
    /// Decision kind: the board informed.
    pub const ORIENTERING: &str = "orientering";
    /// Decider: the board.
    pub const BESTYRELSE: &str = "bestyrelse";
    /// What an approval approves: the product.
    pub const PRODUKT: &str = "produkt";
    /// What an approval approves: the concept.
    pub const KONCEPT: &str = "koncept";
}

/// Everything the rules read about one product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Portfolio {
    /// The product's participants.
    pub participants: Vec<Participant>,
    /// The product's groups with their members.
    pub groups: Vec<Group>,
    /// The product's agreements with their parties.
    pub agreements: Vec<Agreement>,
    /// Organisations referred to by participants, members and parties, by id.
    pub organisations: BTreeMap<i32, Organisation>,
    /// Persons referred to by participants and members, by id.
    pub persons: BTreeMap<i32, Person>,
    /// The product's approval and orientation decisions in the decision log.
    pub decisions: Vec<Decision>,
}

/// A decision of the log about the product (the board's approvals and orientations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The decision's id.
    pub id: i32,
    /// The kind (`godkendelse`, `orientering`, …).
    pub kind: String,
    /// What it approves (`koncept`, `produkt`, `styregruppe`), if anything.
    pub to: Option<String>,
    /// The day of the decision.
    pub decided_on: NaiveDate,
    /// Who decided (`bestyrelse`, …).
    pub decided_by: String,
    /// Reference (minutes, case, group).
    pub reference: Option<String>,
}

impl Decision {
    /// The decision as evidence: `Bestyrelsens godkendelse (produkt) 2027-03-12 (referat 4)`.
    pub fn label(&self) -> String {
        let what = self
            .to
            .as_deref()
            .map(|t| format!(" ({t})"))
            .unwrap_or_default();
        let reference = self
            .reference
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        format!(
            "Bestyrelsens {}{what} {}{reference}",
            self.kind, self.decided_on
        )
    }
}

/// An organisation or person taking part in the product.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    /// The participant row's id.
    pub id: i32,
    /// The organisation, if any.
    pub organisation: Option<i32>,
    /// The person, if any.
    pub person: Option<i32>,
    /// The role (`projektleder`, `anvender`, …).
    pub role: String,
    /// Since when.
    pub since: Option<NaiveDate>,
    /// Until when (inclusive); none while it lasts.
    pub until: Option<NaiveDate>,
}

/// A group (steering group, coordination group, …) with its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's id.
    pub id: i32,
    /// The kind (`styregruppe`, `koordinationsgruppe`, `faggruppe`, …).
    pub kind: String,
    /// The name.
    pub name: String,
    /// Whether it is archived.
    pub archived: bool,
    /// The members.
    pub members: Vec<Member>,
}

/// A member of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The membership row's id.
    pub id: i32,
    /// The person, if named.
    pub person: Option<i32>,
    /// The organisation, if any.
    pub organisation: Option<i32>,
    /// The role (`formand`, `medlem`, `bestyrelsesrepræsentant`, …).
    pub role: String,
}

/// An agreement about the product with its parties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// The agreement's id.
    pub id: i32,
    /// The kind (`tilslutningsaftale`, `driftsaftale`, …).
    pub kind: String,
    /// The title.
    pub title: String,
    /// Start of the period.
    pub starts_on: Option<NaiveDate>,
    /// End of the period (inclusive); none while it lasts.
    pub ends_on: Option<NaiveDate>,
    /// What it says about the economy, as written.
    pub economy: Option<String>,
    /// Whether it is archived.
    pub archived: bool,
    /// The organisations that are parties to it.
    pub parties: Vec<i32>,
}

/// An organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// The name.
    pub name: String,
    /// The kind (`kommune`, `leverandør`, …).
    pub kind: String,
}

/// A person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name.
    pub name: String,
}

/// Whether a participation or agreement that ends on `until` still holds on `today`.
pub fn current(until: Option<NaiveDate>, today: NaiveDate) -> bool {
    until.is_none_or(|u| u >= today)
}

impl Portfolio {
    /// The board's decisions of `kind` about `to` (any when `None`), newest first.
    pub fn board_decisions<'a>(
        &'a self,
        kind: &'a str,
        to: Option<&'a str>,
    ) -> impl Iterator<Item = &'a Decision> {
        let mut found: Vec<&Decision> = self
            .decisions
            .iter()
            .filter(move |d| {
                d.kind == kind
                    && d.decided_by == vocabulary::BESTYRELSE
                    && to.is_none_or(|t| d.to.as_deref() == Some(t))
            })
            .collect();
        found.sort_by(|a, b| b.decided_on.cmp(&a.decided_on).then(b.id.cmp(&a.id)));
        found.into_iter()
    }

    /// The name of organisation `id`, if it is known.
    pub fn organisation_name(&self, id: Option<i32>) -> Option<&str> {
        id.and_then(|id| self.organisations.get(&id))
            .map(|o| o.name.as_str())
    }

    /// The name of person `id`, if it is known.
    pub fn person_name(&self, id: Option<i32>) -> Option<&str> {
        id.and_then(|id| self.persons.get(&id))
            .map(|p| p.name.as_str())
    }

    /// Who a participant or member is, for people: `Ane Andersen (Aarhus Kommune)`, the
    /// person or the organisation alone, or `ukendt`.
    pub fn who(&self, person: Option<i32>, organisation: Option<i32>) -> String {
        match (
            self.person_name(person),
            self.organisation_name(organisation),
        ) {
            (Some(p), Some(o)) => format!("{p} ({o})"),
            (Some(p), None) => p.to_owned(),
            (None, Some(o)) => o.to_owned(),
            (None, None) => "ukendt".to_owned(),
        }
    }

    /// The groups of `kind` that are not archived and have at least one member.
    pub fn groups_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Group> {
        self.groups
            .iter()
            .filter(move |g| g.kind == kind && !g.archived && !g.members.is_empty())
    }

    /// The agreements of one of `kinds` that are not archived, still hold on `today` and
    /// say something: an economy text or parties.
    pub fn agreements_of<'a>(
        &'a self,
        kinds: &'a [&str],
        today: NaiveDate,
    ) -> impl Iterator<Item = &'a Agreement> {
        self.agreements.iter().filter(move |a| {
            kinds.contains(&a.kind.as_str())
                && !a.archived
                && current(a.ends_on, today)
                && (a.economy().is_some() || !a.parties.is_empty())
        })
    }
}

impl Agreement {
    /// The economy text, trimmed, if it says anything.
    pub fn economy(&self) -> Option<&str> {
        self.economy
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
    }

    #[test]
    fn a_period_ending_today_still_holds() {
        assert!(current(None, day(1)));
        assert!(current(Some(day(1)), day(1)));
        assert!(!current(Some(day(1)), day(2)));
    }

    #[test]
    fn who_names_the_person_and_the_organisation_when_known() {
        let mut p = Portfolio::default();
        p.persons.insert(
            1,
            Person {
                name: "Ane Andersen".into(),
            },
        );
        p.organisations.insert(
            2,
            Organisation {
                name: "Aarhus Kommune".into(),
                kind: vocabulary::KOMMUNE.into(),
            },
        );
        assert_eq!(p.who(Some(1), Some(2)), "Ane Andersen (Aarhus Kommune)");
        assert_eq!(p.who(Some(1), None), "Ane Andersen");
        assert_eq!(p.who(None, Some(2)), "Aarhus Kommune");
        assert_eq!(p.who(Some(9), Some(9)), "ukendt");
    }

    #[test]
    fn an_economy_of_blanks_says_nothing() {
        let mut a = Agreement {
            id: 1,
            kind: vocabulary::DRIFTSAFTALE.into(),
            title: "A".into(),
            starts_on: None,
            ends_on: None,
            economy: Some("  ".into()),
            archived: false,
            parties: Vec::new(),
        };
        assert_eq!(a.economy(), None);
        a.economy = Some(" 5 kr. ".into());
        assert_eq!(a.economy(), Some("5 kr."));
    }
}
