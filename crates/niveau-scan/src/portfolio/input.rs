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
    /// Participant role: the developing supplier.
    pub const UDVIKLINGSLEVERANDOER: &str = "udviklingsleverandør";
    /// Participant role: reviews code or architecture.
    pub const REVIEWER: &str = "reviewer";
    /// Organisation kind: a supplier.
    pub const LEVERANDOER: &str = "leverandør";
    /// Who pays for a wish: the community.
    pub const FAELLESSKABET: &str = "fællesskabet";
    /// Who pays for a wish: the organisation that raised it.
    pub const OPGAVESTILLER: &str = "opgavestiller";
    /// Wish state: ordered from the supplier.
    pub const BESTILT: &str = "bestilt hos leverandør";
    /// Wish state: in progress.
    pub const I_GANG: &str = "i gang";
    /// Wish state: in test.
    pub const I_TEST: &str = "i test";
    /// Wish state: delivered.
    pub const LEVERET: &str = "leveret";
    /// Wish state: rejected.
    pub const AFVIST: &str = "afvist";
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
    /// Organisations referred to by participants, members, parties, wishes (who raised
    /// them) and pledges, by id.
    pub organisations: BTreeMap<i32, Organisation>,
    /// Persons referred to by participants and members, by id.
    pub persons: BTreeMap<i32, Person>,
    /// The product's approval and orientation decisions in the decision log.
    pub decisions: Vec<Decision>,
    /// The product's development wishes with their pledges.
    pub wishes: Vec<Wish>,
}

/// A development wish (udviklingsønske).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wish {
    /// The wish's id.
    pub id: i32,
    /// The title.
    pub title: String,
    /// The state text: "ny", "screening", "afventer løsningsbeskrivelse", "klar til
    /// prioritering", "bestilt hos leverandør", "i gang", "i test", "leveret", "afvist",
    /// "parkeret".
    pub state: String,
    /// The organisation that raised it.
    pub raised_by: Option<i32>,
    /// Who pays: "opgavestiller" or "fællesskabet", once decided.
    pub payer: Option<String>,
    /// The co-funding target in øre, if the wish is co-funded.
    pub target_ore: Option<i64>,
    /// The pledges of co-funding.
    pub pledges: Vec<Pledge>,
}

impl Wish {
    /// The sum of the pledges, in øre (saturating: absurd sums do not wrap).
    pub fn pledged_ore(&self) -> i64 {
        self.pledges
            .iter()
            .fold(0i64, |sum, x| sum.saturating_add(x.amount_ore))
    }

    /// Whether the pledges reach the co-funding target (false without a target).
    pub fn funded(&self) -> bool {
        self.target_ore.is_some_and(|t| self.pledged_ore() >= t)
    }
}

/// A pledge of co-funding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pledge {
    /// The pledge row's id.
    pub id: i32,
    /// The organisation that pledges.
    pub organisation: i32,
    /// The amount in øre.
    pub amount_ore: i64,
}

/// A supplier's partner agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerAgreement {
    /// The agreement's id.
    pub id: i32,
    /// The day it was signed.
    pub signed_on: NaiveDate,
    /// The day it ends (inclusive); none while it lasts.
    pub ends_on: Option<NaiveDate>,
    /// Whether the supplier accepted OS2's code of conduct.
    pub code_of_conduct: bool,
}

impl PartnerAgreement {
    /// Signed on or before `today`, not ended, code of conduct accepted.
    pub fn current(&self, today: NaiveDate) -> bool {
        self.signed_on <= today && current(self.ends_on, today) && self.code_of_conduct
    }
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Organisation {
    /// The name.
    pub name: String,
    /// The kind (`kommune`, `leverandør`, …).
    pub kind: String,
    /// The supplier's partner agreement (leverandørpartneraftale), if it has one.
    pub partner_agreement: Option<PartnerAgreement>,
}

impl Organisation {
    /// Whether it is a supplier (kind `leverandør`).
    pub fn is_supplier(&self) -> bool {
        self.kind == vocabulary::LEVERANDOER
    }
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

impl Participant {
    /// Whether the participation has begun (or has no start) and still holds on `today`.
    pub fn is_current(&self, today: NaiveDate) -> bool {
        self.since.is_none_or(|s| s <= today) && current(self.until, today)
    }
}

/// An amount in øre as Danish kroner: `150.000 kr.`, `150.000,50 kr.`, `-5 kr.`.
pub use niveau_model::money::kroner_da as kroner;
/// An amount in øre as kroner for English text: `DKK 150,000`, `DKK 150,000.50`.
pub use niveau_model::money::kroner_en;

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
                partner_agreement: None,
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

    #[test]
    fn amounts_are_written_as_danish_kroner() {
        assert_eq!(kroner(0), "0 kr.");
        assert_eq!(kroner(15_000_000), "150.000 kr.");
        assert_eq!(kroner(15_000_050), "150.000,50 kr.");
        assert_eq!(kroner(99_999), "999,99 kr.");
        assert_eq!(kroner(12_345_678_900), "123.456.789 kr.");
        assert_eq!(kroner(-500), "-5 kr.");
        assert_eq!(kroner(5), "0,05 kr.");
        assert_eq!(kroner(i64::MIN), "-92.233.720.368.547.758,08 kr.");
        assert_eq!(kroner_en(15_000_050), "DKK 150,000.50");
        assert_eq!(kroner_en(100_000), "DKK 1,000");
    }

    #[test]
    fn a_partner_agreement_is_current_when_signed_not_ended_and_the_code_accepted() {
        let mut a = PartnerAgreement {
            id: 1,
            signed_on: day(1),
            ends_on: None,
            code_of_conduct: true,
        };
        assert!(a.current(day(1)));
        assert!(!a.current(NaiveDate::from_ymd_opt(2026, 4, 30).unwrap()));
        a.ends_on = Some(day(3));
        assert!(a.current(day(3)));
        assert!(!a.current(day(4)));
        a.ends_on = None;
        a.code_of_conduct = false;
        assert!(!a.current(day(2)));
    }

    #[test]
    fn a_participant_is_current_between_since_and_until() {
        let x = Participant {
            id: 1,
            organisation: None,
            person: None,
            role: vocabulary::REVIEWER.into(),
            since: Some(day(2)),
            until: Some(day(4)),
        };
        assert!(!x.is_current(day(1)));
        assert!(x.is_current(day(2)));
        assert!(x.is_current(day(4)));
        assert!(!x.is_current(day(5)));
    }

    #[test]
    fn a_wish_is_funded_when_its_pledges_reach_the_target() {
        let pledge = |id, amount_ore| Pledge {
            id,
            organisation: id,
            amount_ore,
        };
        let mut w = Wish {
            id: 1,
            title: "Ønske".into(),
            state: "ny".into(),
            raised_by: None,
            payer: None,
            target_ore: None,
            pledges: vec![pledge(1, 100), pledge(2, 50)],
        };
        assert_eq!(w.pledged_ore(), 150);
        assert!(!w.funded());
        w.target_ore = Some(150);
        assert!(w.funded());
        w.target_ore = Some(151);
        assert!(!w.funded());
        w.pledges.push(pledge(3, i64::MAX));
        assert_eq!(w.pledged_ore(), i64::MAX);
    }
}
