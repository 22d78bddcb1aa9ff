//! The portfolio rules: one file per rule, each behind [`PortfolioRule`], listed in
//! [`all`], and the pieces of evidence and verdict that several rules build alike.

use niveau_model::Msg;

use super::input::{Agreement, Group};
use super::{EvidenceRow, Judgement, PortfolioRule};
use crate::detectors::count;

pub mod board_approved_product;
pub mod board_approved_steering_group;
pub mod board_in_steering_group;
pub mod board_informed;
pub mod co_funding;
pub mod coordination_group;
pub mod economy_agreement;
pub mod joining_agreement;
pub mod lead;
pub mod municipalities;
pub mod professional_group;
pub mod several_organisations;
pub mod steering_group;
pub mod third_party_review;

/// Every rule, in the order of the governance requirements they speak about.
pub fn all() -> Vec<Box<dyn PortfolioRule>> {
    vec![
        Box::new(several_organisations::SeveralOrganisations),
        Box::new(lead::Lead),
        Box::new(board_informed::BoardInformed),
        Box::new(board_approved_product::BoardApprovedProduct),
        Box::new(municipalities::Municipalities),
        Box::new(steering_group::SteeringGroup),
        Box::new(coordination_group::CoordinationGroup),
        Box::new(third_party_review::ThirdPartyReview),
        Box::new(joining_agreement::JoiningAgreement),
        Box::new(board_approved_steering_group::BoardApprovedSteeringGroup),
        Box::new(board_in_steering_group::BoardRepresented),
        Box::new(board_in_steering_group::BoardMajority),
        Box::new(economy_agreement::EconomyAgreement),
        Box::new(co_funding::CoFunding),
        Box::new(professional_group::ProfessionalGroup),
    ]
}

/// `text` with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A group as evidence: `Styregruppe OS2borgerPC (3 medlemmer)`.
pub fn group_row(g: &Group) -> EvidenceRow {
    EvidenceRow::new(
        "work_group",
        g.id,
        format!(
            "{} {} ({})",
            capitalise(&g.kind),
            g.name,
            count(g.members.len(), "medlem", "medlemmer")
        ),
    )
}

/// Green with the groups as evidence, or nothing when there are none.
pub fn groups_judgement(groups: &[&Group], confidence: u8, explanation: Msg) -> Option<Judgement> {
    (!groups.is_empty()).then(|| {
        Judgement::green(
            confidence,
            groups.iter().map(|g| group_row(g)).collect(),
            explanation,
        )
    })
}

/// An agreement as evidence: `Tilslutningsaftale X: 2 parter; økonomi: 10.000 kr.`.
pub fn agreement_row(a: &Agreement) -> EvidenceRow {
    EvidenceRow::new(
        "agreement",
        a.id,
        format!(
            "{} {}: {}{}",
            capitalise(&a.kind),
            a.title,
            count(a.parties.len(), "part", "parter"),
            a.economy()
                .map(|e| format!("; økonomi: {e}"))
                .unwrap_or_default()
        ),
    )
}

/// Green for agreements that secure the economy: confidence 3 when one of them describes
/// the economy, 2 when they only have parties (the secretariat should look). Nothing when
/// there are none.
pub fn agreements_judgement(agreements: &[&Agreement]) -> Option<Judgement> {
    if agreements.is_empty() {
        return None;
    }
    let with_economy = agreements.iter().any(|a| a.economy().is_some());
    let titles = agreements
        .iter()
        .map(|a| format!("{} ({})", a.title, a.kind))
        .collect::<Vec<_>>()
        .join(", ");
    let explanation = if with_economy {
        Msg::new(
            format!("Der er registreret en aftale, der beskriver økonomien: {titles}."),
            format!("The portfolio has an agreement that describes the economy: {titles}."),
        )
    } else {
        Msg::new(
            format!(
                "Der er registreret en aftale med parter, men uden beskrevet økonomi: {titles}. Sekretariatet bør se, om den sikrer økonomien."
            ),
            format!(
                "The portfolio has an agreement with parties but no economy described: {titles}. The secretariat should check that it secures the economy."
            ),
        )
    };
    Some(Judgement::green(
        if with_economy { 3 } else { 2 },
        agreements.iter().map(|a| agreement_row(a)).collect(),
        explanation,
    ))
}

/// Builders of registry rows and checks shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use chrono::NaiveDate;
    use niveau_model::{Rating, Registry};

    use crate::portfolio::input::{
        Agreement, Decision, Group, Member, Organisation, Participant, PartnerAgreement, Person,
        Pledge, Portfolio, Wish,
    };
    use crate::portfolio::{PortfolioFinding, PortfolioRule, findings};

    /// The day the tests judge on.
    pub fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
    }

    /// The built-in models.
    pub fn registry() -> Registry {
        Registry::builtin().unwrap()
    }

    /// The findings for the built-in model `model_id`.
    pub fn run(p: &Portfolio, model_id: &str) -> Vec<PortfolioFinding> {
        findings(p, registry().get(model_id).unwrap(), today())
    }

    /// The findings of the rule `detector` alone for the built-in model `model_id`.
    pub fn run_rule(p: &Portfolio, model_id: &str, detector: &str) -> Vec<PortfolioFinding> {
        run(p, model_id)
            .into_iter()
            .filter(|f| f.detector == detector)
            .collect()
    }

    /// (requirement, rating, confidence) of each finding.
    pub fn summary(found: &[PortfolioFinding]) -> Vec<(String, Rating, u8)> {
        found
            .iter()
            .map(|f| (f.requirement.to_string(), f.rating, f.confidence))
            .collect()
    }

    /// A decision of `kind` about `to` by `by` on `date` (YYYY-MM-DD).
    pub fn decision(id: i32, kind: &str, to: Option<&str>, by: &str, date: &str) -> Decision {
        Decision {
            id,
            kind: kind.into(),
            to: to.map(str::to_owned),
            decided_on: date.parse().unwrap(),
            decided_by: by.into(),
            reference: None,
        }
    }

    /// An organisation.
    pub fn org(name: &str, kind: &str) -> Organisation {
        Organisation {
            name: name.into(),
            kind: kind.into(),
            partner_agreement: None,
        }
    }

    /// A supplier (kind leverandør) with a current partner agreement signed 2025-01-01.
    pub fn partner(name: &str) -> Organisation {
        Organisation {
            partner_agreement: Some(PartnerAgreement {
                id: 1,
                signed_on: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                ends_on: None,
                code_of_conduct: true,
            }),
            ..org(name, crate::portfolio::input::vocabulary::LEVERANDOER)
        }
    }

    /// A wish titled `title` in state `state`, raised by `raised_by`, with a co-funding
    /// target in øre and pledges (id, organisation, amount in øre).
    pub fn wish(
        id: i32,
        title: &str,
        state: &str,
        raised_by: Option<i32>,
        target_ore: Option<i64>,
        pledges: &[(i32, i32, i64)],
    ) -> Wish {
        Wish {
            id,
            title: title.into(),
            state: state.into(),
            raised_by,
            payer: None,
            target_ore,
            pledges: pledges
                .iter()
                .map(|(pid, organisation, amount_ore)| Pledge {
                    id: *pid,
                    organisation: *organisation,
                    amount_ore: *amount_ore,
                })
                .collect(),
        }
    }

    /// A person.
    pub fn person(name: &str) -> Person {
        Person { name: name.into() }
    }

    /// A current participant.
    pub fn participant(
        id: i32,
        organisation: Option<i32>,
        person: Option<i32>,
        role: &str,
    ) -> Participant {
        Participant {
            id,
            organisation,
            person,
            role: role.into(),
            since: None,
            until: None,
        }
    }

    /// A group named `Gruppe {id}` with members (id, person, role).
    pub fn group(id: i32, kind: &str, members: &[(i32, Option<i32>, &str)]) -> Group {
        Group {
            id,
            kind: kind.into(),
            name: format!("Gruppe {id}"),
            archived: false,
            members: members
                .iter()
                .map(|(mid, person, role)| Member {
                    id: *mid,
                    person: *person,
                    organisation: None,
                    role: (*role).into(),
                })
                .collect(),
        }
    }

    /// An agreement titled `Aftale {id}`.
    pub fn agreement(
        id: i32,
        kind: &str,
        economy: Option<&str>,
        parties: &[i32],
        ends_on: Option<NaiveDate>,
    ) -> Agreement {
        Agreement {
            id,
            kind: kind.into(),
            title: format!("Aftale {id}"),
            starts_on: None,
            ends_on,
            economy: economy.map(str::to_owned),
            archived: false,
            parties: parties.to_vec(),
        }
    }

    /// Checks that every requirement `rule` targets exists and its text contains each of
    /// `words` (case-insensitive).
    pub fn assert_targets(rule: &dyn PortfolioRule, words: &[&str]) {
        let reg = registry();
        for (model_id, req) in rule.targets() {
            let model = reg.get(model_id).unwrap();
            let requirement = model
                .requirement(req)
                .unwrap_or_else(|| panic!("{}: {model_id} has no {req}", rule.id()));
            for word in words {
                assert!(
                    requirement
                        .text
                        .to_lowercase()
                        .contains(&word.to_lowercase()),
                    "{}: {model_id} {req} is {:?}",
                    rule.id(),
                    requirement.text
                );
            }
        }
    }
}
