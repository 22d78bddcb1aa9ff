//! Portfolio evidence: what the secretariat's own registry (participants, groups,
//! agreements, organisations) shows about a product's governance requirements.
//!
//! The findings are shaped like a repository scan's findings (requirement, detector,
//! proposed rating, confidence 1–5, explanation in Danish and English, evidence), so that
//! a draft evaluation can weigh them next to the answers and the scan
//! ([`crate::proposals`]). Like every proposal they are advice: the secretariat confirms.
//!
//! Only what the registry *shows* becomes a finding. A missing steering group in the
//! registry is no proof that the product has none (the registry may be incomplete), so
//! no rule proposes Red from an absence.
//!
//! | rule (`detector`) | what counts | os2-1.1.0 | os2-2021 | os2-2018 |
//! |---|---|---|---|---|
//! | `portfolio.lead` | a current participant with role projektleder or tovholder | G3 | G3 | G3 |
//! | `portfolio.steering-group` | a group of kind styregruppe with at least one member | G6 | G6 | G8 |
//! | `portfolio.coordination-group` | a group of kind koordinationsgruppe with at least one member | G7 | G7 | G9 |
//! | `portfolio.joining-agreement` | a current tilslutningsaftale with an economy text or parties | G10 | G10 | G12 |
//! | `portfolio.economy-agreement` | a current tilslutningsaftale, samarbejdsaftale or driftsaftale with an economy text or parties | G13 | G13 | G15 |
//! | `portfolio.board-in-steering-group` | a member with role bestyrelsesrepræsentant in a styregruppe | G12 | G12 | G14 (majority, see below) |
//! | `portfolio.municipalities` | current participants from two or more distinct organisations of kind kommune | – | – | G6 |
//! | `portfolio.professional-group` | a group of kind faggruppe with at least one member | G14 | G14 | G16 |
//!
//! The ids were checked against the models' texts (the unit tests check them again):
//! 1.1.0 and 2021 share the governance numbering (G3 "projektleder/tovholder", G6
//! "styregruppe", G7 "koordinationsgruppe", G10 "tilslutningserklæring til sikring af
//! økonomi", G12 "Bestyrelsen er repræsenteret i styregruppen", G13 "aftale der sikrer
//! økonomi", G14 "fagligt fællesskab"); 2018 numbers them G3, G8, G9, G12, G14, G15, G16
//! and has G6 "Involverede kommuner: +1", which no later model has. 2018's G14 asks that
//! the board has the *majority of votes* in the steering group: Green only when the
//! board's representatives are more than half of the registered members, otherwise
//! Yellow (represented, majority not shown). G10 names a *tilslutningserklæring*, so
//! only a tilslutningsaftale counts for it; G13 asks for any agreement that secures the
//! economy.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use niveau_model::{Model, Msg, Rating};
use niveau_store::agreements::{AgreementFilter, AgreementWithParties};
use niveau_store::entity::{organisation, participant, person};
use niveau_store::groups::GroupWithMembers;
use niveau_store::types::{AgreementKind, GroupKind, GroupRole, OrgKind, ParticipantRole};
use niveau_store::{ListParams, Store, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// One row of the registry that a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct EvidenceRow {
    /// Always `row` (scan evidence uses `file`, `commit`, `value`).
    pub kind: String,
    /// The table: `participant`, `work_group`, `group_member`, `agreement`, `organisation`.
    pub table: String,
    /// The row's id.
    pub id: i32,
    /// What the row says, for people (`Styregruppe OS2borgerPC (3 medlemmer)`).
    pub label: String,
}

impl EvidenceRow {
    fn new(table: &str, id: i32, label: impl Into<String>) -> EvidenceRow {
        EvidenceRow {
            kind: "row".into(),
            table: table.into(),
            id,
            label: label.into(),
        }
    }
}

/// A proposed rating of one requirement from the portfolio registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PortfolioFinding {
    /// The requirement, in the model asked for.
    pub requirement: String,
    /// The rule that produced it (`portfolio.steering-group`).
    pub detector: String,
    /// The proposed rating: `green`, `yellow`, `red` or `grey`.
    #[schema(value_type = String)]
    pub rating: Rating,
    /// How sure the rule is: 1 (a hint) to 5 (certain).
    pub confidence: u8,
    /// Where the evidence is.
    pub evidence: Vec<EvidenceRow>,
    /// One sentence, in Danish (`da`) and English (`en`).
    #[schema(value_type = Object)]
    pub explanation: Msg,
}

/// Everything the rules read about one product.
#[derive(Debug, Clone, Default)]
pub struct PortfolioData {
    /// The product's participants.
    pub participants: Vec<participant::Model>,
    /// The product's groups (not archived) with members.
    pub groups: Vec<GroupWithMembers>,
    /// The product's agreements (not archived) with parties.
    pub agreements: Vec<AgreementWithParties>,
    /// Organisations referred to by participants, members and parties.
    pub organisations: BTreeMap<i32, organisation::Model>,
    /// Persons referred to by participants and members.
    pub persons: BTreeMap<i32, person::Model>,
}

/// Reads what the rules need about `product_id` from the store.
pub async fn load(store: &Store, product_id: i32) -> Result<PortfolioData, StoreError> {
    let participants = store.participants(product_id).await?;
    let groups = store.groups_of_product(product_id).await?;
    let mut agreements = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .list_agreements(
                &AgreementFilter {
                    product_id: Some(product_id),
                    ..Default::default()
                },
                &ListParams {
                    limit: Some(niveau_store::list::MAX_LIMIT),
                    offset: Some(offset),
                    ..Default::default()
                },
            )
            .await?;
        let n = page.items.len() as u64;
        agreements.extend(page.items);
        offset += n;
        if n == 0 || offset >= page.total {
            break;
        }
    }
    let org_ids: BTreeSet<i32> = participants
        .iter()
        .filter_map(|p| p.organisation_id)
        .chain(
            groups
                .iter()
                .flat_map(|g| g.members.iter().filter_map(|m| m.organisation_id)),
        )
        .chain(
            agreements
                .iter()
                .flat_map(|a| a.parties.iter().map(|p| p.organisation_id)),
        )
        .collect();
    let person_ids: BTreeSet<i32> = participants
        .iter()
        .filter_map(|p| p.person_id)
        .chain(
            groups
                .iter()
                .flat_map(|g| g.members.iter().filter_map(|m| m.person_id)),
        )
        .collect();
    // One query each; ids that no longer resolve are left out rather than failing.
    let org_ids: Vec<i32> = org_ids.into_iter().collect();
    let person_ids: Vec<i32> = person_ids.into_iter().collect();
    let organisations = store
        .organisations_by_ids(&org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let persons = store
        .persons_by_ids(&person_ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    Ok(PortfolioData {
        participants,
        groups,
        agreements,
        organisations,
        persons,
    })
}

/// Where each rule lands in each built-in model: (model id, requirement id).
mod targets {
    pub const LEAD: &[(&str, &str)] =
        &[("os2-1.1.0", "G3"), ("os2-2021", "G3"), ("os2-2018", "G3")];
    pub const STEERING: &[(&str, &str)] =
        &[("os2-1.1.0", "G6"), ("os2-2021", "G6"), ("os2-2018", "G8")];
    pub const COORDINATION: &[(&str, &str)] =
        &[("os2-1.1.0", "G7"), ("os2-2021", "G7"), ("os2-2018", "G9")];
    pub const JOINING: &[(&str, &str)] = &[
        ("os2-1.1.0", "G10"),
        ("os2-2021", "G10"),
        ("os2-2018", "G12"),
    ];
    pub const ECONOMY: &[(&str, &str)] = &[
        ("os2-1.1.0", "G13"),
        ("os2-2021", "G13"),
        ("os2-2018", "G15"),
    ];
    pub const BOARD_REPRESENTED: &[(&str, &str)] = &[("os2-1.1.0", "G12"), ("os2-2021", "G12")];
    pub const BOARD_MAJORITY: &[(&str, &str)] = &[("os2-2018", "G14")];
    pub const MUNICIPALITIES: &[(&str, &str)] = &[("os2-2018", "G6")];
    pub const PROFESSIONAL: &[(&str, &str)] = &[
        ("os2-1.1.0", "G14"),
        ("os2-2021", "G14"),
        ("os2-2018", "G16"),
    ];

    /// Every table with the rule name, for the tests.
    #[cfg(test)]
    pub const ALL: &[(&str, &[(&str, &str)])] = &[
        ("lead", LEAD),
        ("steering", STEERING),
        ("coordination", COORDINATION),
        ("joining", JOINING),
        ("economy", ECONOMY),
        ("board-represented", BOARD_REPRESENTED),
        ("board-majority", BOARD_MAJORITY),
        ("municipalities", MUNICIPALITIES),
        ("professional", PROFESSIONAL),
    ];
}

fn target(table: &[(&str, &str)], model: &Model) -> Option<String> {
    let (_, id) = table.iter().find(|(m, _)| *m == model.id().as_str())?;
    // A model that lost the requirement (or a differently loaded model under the same id)
    // gets no finding rather than one about a requirement it does not have.
    model.requirement(id).map(|r| r.id.to_string())
}

/// Whether a participation or agreement that ends on `until` still holds on `today`.
fn current(until: Option<NaiveDate>, today: NaiveDate) -> bool {
    until.is_none_or(|u| u >= today)
}

impl PortfolioData {
    fn organisation_name(&self, id: Option<i32>) -> Option<&str> {
        id.and_then(|id| self.organisations.get(&id))
            .map(|o| o.name.as_str())
    }

    fn person_name(&self, id: Option<i32>) -> Option<&str> {
        id.and_then(|id| self.persons.get(&id))
            .map(|p| p.name.as_str())
    }

    fn who(&self, person: Option<i32>, organisation: Option<i32>) -> String {
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

    fn groups_of(&self, kind: GroupKind) -> impl Iterator<Item = &GroupWithMembers> {
        self.groups
            .iter()
            .filter(move |g| g.group.kind == kind && !g.group.archived && !g.members.is_empty())
    }

    fn group_row(g: &GroupWithMembers) -> EvidenceRow {
        EvidenceRow::new(
            "work_group",
            g.group.id,
            format!(
                "{} {} ({} {})",
                capitalise(g.group.kind.as_str()),
                g.group.name,
                g.members.len(),
                if g.members.len() == 1 {
                    "medlem"
                } else {
                    "medlemmer"
                }
            ),
        )
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

struct Draft {
    table: &'static [(&'static str, &'static str)],
    detector: &'static str,
    rating: Rating,
    confidence: u8,
    evidence: Vec<EvidenceRow>,
    explanation: Msg,
}

/// The findings the registry supports for `model`, in the model's requirement order.
/// `today` decides which participations and agreements are still current.
pub fn findings(data: &PortfolioData, model: &Model, today: NaiveDate) -> Vec<PortfolioFinding> {
    let mut drafts: Vec<Draft> = Vec::new();

    // Project lead or coordinator.
    let leads: Vec<&participant::Model> = data
        .participants
        .iter()
        .filter(|p| {
            matches!(
                p.role,
                ParticipantRole::Projektleder | ParticipantRole::Tovholder
            )
        })
        .filter(|p| current(p.until, today))
        .collect();
    if !leads.is_empty() {
        let names: Vec<String> = leads
            .iter()
            .map(|p| format!("{} ({})", data.who(p.person_id, p.organisation_id), p.role))
            .collect();
        drafts.push(Draft {
            table: targets::LEAD,
            detector: "portfolio.lead",
            rating: Rating::Green,
            confidence: 4,
            evidence: leads
                .iter()
                .map(|p| {
                    EvidenceRow::new(
                        "participant",
                        p.id,
                        format!("{}: {}", p.role, data.who(p.person_id, p.organisation_id)),
                    )
                })
                .collect(),
            explanation: Msg::new(
                format!(
                    "Porteføljen har en projektleder/tovholder: {}.",
                    names.join(", ")
                ),
                format!(
                    "The portfolio names a project lead/coordinator: {}.",
                    names.join(", ")
                ),
            ),
        });
    }

    // Steering group, and the board in it.
    let steering: Vec<&GroupWithMembers> = data.groups_of(GroupKind::Styregruppe).collect();
    if !steering.is_empty() {
        let members: usize = steering.iter().map(|g| g.members.len()).sum();
        drafts.push(Draft {
            table: targets::STEERING,
            detector: "portfolio.steering-group",
            rating: Rating::Green,
            confidence: 4,
            evidence: steering
                .iter()
                .map(|g| PortfolioData::group_row(g))
                .collect(),
            explanation: Msg::new(
                format!(
                    "Der er registreret en styregruppe med {members} {} i porteføljen.",
                    if members == 1 { "medlem" } else { "medlemmer" }
                ),
                format!("The portfolio has a steering group with {members} member(s)."),
            ),
        });
        let board: Vec<(
            &GroupWithMembers,
            &niveau_store::entity::group_member::Model,
        )> = steering
            .iter()
            .flat_map(|g| g.members.iter().map(move |m| (*g, m)))
            .filter(|(_, m)| m.role == GroupRole::Bestyrelsesrepraesentant)
            .collect();
        if !board.is_empty() {
            let evidence: Vec<EvidenceRow> = board
                .iter()
                .map(|(g, m)| {
                    EvidenceRow::new(
                        "group_member",
                        m.id,
                        format!(
                            "{} i {}: {}",
                            m.role,
                            g.group.name,
                            data.who(m.person_id, m.organisation_id)
                        ),
                    )
                })
                .collect();
            drafts.push(Draft {
                table: targets::BOARD_REPRESENTED,
                detector: "portfolio.board-in-steering-group",
                rating: Rating::Green,
                confidence: 4,
                evidence: evidence.clone(),
                explanation: Msg::new(
                    format!(
                        "Bestyrelsen er repræsenteret i styregruppen ({} bestyrelsesrepræsentant{}).",
                        board.len(),
                        if board.len() == 1 { "" } else { "er" }
                    ),
                    format!(
                        "The board is represented in the steering group ({} board representative(s)).",
                        board.len()
                    ),
                ),
            });
            // 2018: the board must hold the majority of votes.
            let majority = board.len() * 2 > members;
            drafts.push(Draft {
                table: targets::BOARD_MAJORITY,
                detector: "portfolio.board-in-steering-group",
                rating: if majority {
                    Rating::Green
                } else {
                    Rating::Yellow
                },
                confidence: if majority { 3 } else { 2 },
                evidence,
                explanation: if majority {
                    Msg::new(
                        format!(
                            "Bestyrelsens repræsentanter er {} af styregruppens {members} registrerede medlemmer, altså et flertal.",
                            board.len()
                        ),
                        format!(
                            "The board's representatives are {} of the steering group's {members} registered members: a majority.",
                            board.len()
                        ),
                    )
                } else {
                    Msg::new(
                        format!(
                            "Bestyrelsen er repræsenteret i styregruppen, men med {} af {members} registrerede medlemmer ikke med flertal.",
                            board.len()
                        ),
                        format!(
                            "The board is represented in the steering group, but with {} of {members} registered members not with a majority.",
                            board.len()
                        ),
                    )
                },
            });
        }
    }

    // Coordination group and professional group.
    for (kind, table, detector, confidence, da, en) in [
        (
            GroupKind::Koordinationsgruppe,
            targets::COORDINATION,
            "portfolio.coordination-group",
            4,
            "Der er registreret en koordinationsgruppe i porteføljen.",
            "The portfolio has a coordination group.",
        ),
        (
            GroupKind::Faggruppe,
            targets::PROFESSIONAL,
            "portfolio.professional-group",
            2,
            "Der er registreret en faggruppe, hvor erfaringer kan udveksles; sekretariatet bør se, om den er et fagligt fællesskab bag løsningen.",
            "The portfolio has a professional group where experience can be shared; the secretariat should check that it is a community behind the solution.",
        ),
    ] {
        let groups: Vec<&GroupWithMembers> = data.groups_of(kind).collect();
        if !groups.is_empty() {
            drafts.push(Draft {
                table,
                detector,
                rating: Rating::Green,
                confidence,
                evidence: groups.iter().map(|g| PortfolioData::group_row(g)).collect(),
                explanation: Msg::new(da, en),
            });
        }
    }

    // Agreements that secure the economy.
    let economy_agreements: Vec<&AgreementWithParties> = data
        .agreements
        .iter()
        .filter(|a| {
            matches!(
                a.agreement.kind,
                AgreementKind::Tilslutningsaftale
                    | AgreementKind::Samarbejdsaftale
                    | AgreementKind::Driftsaftale
            )
        })
        .filter(|a| !a.agreement.archived)
        .filter(|a| current(a.agreement.ends_on, today))
        .filter(|a| has_economy(a) || !a.parties.is_empty())
        .collect();
    let agreement_draft = |table, detector, agreements: &[&AgreementWithParties]| {
        let with_economy = agreements.iter().any(|a| has_economy(a));
        let titles: Vec<String> = agreements
            .iter()
            .map(|a| format!("{} ({})", a.agreement.title, a.agreement.kind))
            .collect();
        Draft {
            table,
            detector,
            rating: Rating::Green,
            confidence: if with_economy { 3 } else { 2 },
            evidence: agreements
                .iter()
                .map(|a| {
                    EvidenceRow::new(
                        "agreement",
                        a.agreement.id,
                        format!(
                            "{} {}: {} {}{}",
                            capitalise(a.agreement.kind.as_str()),
                            a.agreement.title,
                            a.parties.len(),
                            if a.parties.len() == 1 {
                                "part"
                            } else {
                                "parter"
                            },
                            a.agreement
                                .economy
                                .as_deref()
                                .filter(|e| !e.trim().is_empty())
                                .map(|e| format!("; økonomi: {}", e.trim()))
                                .unwrap_or_default()
                        ),
                    )
                })
                .collect(),
            explanation: if with_economy {
                Msg::new(
                    format!(
                        "Der er registreret en aftale, der beskriver økonomien: {}.",
                        titles.join(", ")
                    ),
                    format!(
                        "The portfolio has an agreement that describes the economy: {}.",
                        titles.join(", ")
                    ),
                )
            } else {
                Msg::new(
                    format!(
                        "Der er registreret en aftale med parter, men uden beskrevet økonomi: {}. Sekretariatet bør se, om den sikrer økonomien.",
                        titles.join(", ")
                    ),
                    format!(
                        "The portfolio has an agreement with parties but no economy described: {}. The secretariat should check that it secures the economy.",
                        titles.join(", ")
                    ),
                )
            },
        }
    };
    let joining: Vec<&AgreementWithParties> = economy_agreements
        .iter()
        .copied()
        .filter(|a| a.agreement.kind == AgreementKind::Tilslutningsaftale)
        .collect();
    if !joining.is_empty() {
        drafts.push(agreement_draft(
            targets::JOINING,
            "portfolio.joining-agreement",
            &joining,
        ));
    }
    if !economy_agreements.is_empty() {
        drafts.push(agreement_draft(
            targets::ECONOMY,
            "portfolio.economy-agreement",
            &economy_agreements,
        ));
    }

    // More than one municipality involved.
    let mut municipalities: BTreeMap<i32, &participant::Model> = BTreeMap::new();
    for p in &data.participants {
        let Some(org) = p.organisation_id else {
            continue;
        };
        let is_kommune = data
            .organisations
            .get(&org)
            .is_some_and(|o| o.kind == OrgKind::Kommune);
        if is_kommune && current(p.until, today) {
            municipalities.entry(org).or_insert(p);
        }
    }
    if municipalities.len() >= 2 {
        let names: Vec<&str> = municipalities
            .keys()
            .filter_map(|id| data.organisation_name(Some(*id)))
            .collect();
        drafts.push(Draft {
            table: targets::MUNICIPALITIES,
            detector: "portfolio.municipalities",
            rating: Rating::Green,
            confidence: 4,
            evidence: municipalities
                .iter()
                .map(|(org, p)| {
                    EvidenceRow::new(
                        "organisation",
                        *org,
                        format!(
                            "{} ({}, deltager {})",
                            data.organisation_name(Some(*org)).unwrap_or("ukendt"),
                            p.role,
                            p.id
                        ),
                    )
                })
                .collect(),
            explanation: Msg::new(
                format!(
                    "{} kommuner deltager i produktet: {}.",
                    municipalities.len(),
                    names.join(", ")
                ),
                format!(
                    "{} municipalities take part in the product: {}.",
                    municipalities.len(),
                    names.join(", ")
                ),
            ),
        });
    }

    let mut out: Vec<PortfolioFinding> = drafts
        .into_iter()
        .filter_map(|d| {
            Some(PortfolioFinding {
                requirement: target(d.table, model)?,
                detector: d.detector.to_owned(),
                rating: d.rating,
                confidence: d.confidence,
                evidence: d.evidence,
                explanation: d.explanation,
            })
        })
        .collect();
    out.sort_by_key(|f| {
        model
            .requirements()
            .iter()
            .position(|r| r.id.as_str() == f.requirement)
            .unwrap_or(usize::MAX)
    });
    out
}

fn has_economy(a: &AgreementWithParties) -> bool {
    a.agreement
        .economy
        .as_deref()
        .is_some_and(|e| !e.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use niveau_model::Registry;
    use niveau_store::entity::{agreement, agreement_party, group_member, work_group};

    fn now() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp(1_780_000_000, 0).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
    }

    fn org(id: i32, name: &str, kind: OrgKind) -> organisation::Model {
        organisation::Model {
            id,
            name: name.into(),
            kind,
            member_since: None,
            left_on: None,
            supplier_partner_since: None,
            note: None,
            archived: false,
            version: 1,
            created_at: now(),
            updated_at: now(),
        }
    }

    fn person(id: i32, name: &str) -> person::Model {
        person::Model {
            id,
            name: name.into(),
            email: None,
            organisation_id: None,
            archived: false,
            version: 1,
            created_at: now(),
            updated_at: now(),
        }
    }

    fn participant(
        id: i32,
        org: Option<i32>,
        person: Option<i32>,
        role: ParticipantRole,
    ) -> participant::Model {
        participant::Model {
            id,
            product_id: 1,
            organisation_id: org,
            person_id: person,
            role,
            since: None,
            until: None,
            version: 1,
            created_at: now(),
            updated_at: now(),
        }
    }

    fn group(
        id: i32,
        kind: GroupKind,
        members: &[(i32, Option<i32>, GroupRole)],
    ) -> GroupWithMembers {
        GroupWithMembers {
            group: work_group::Model {
                id,
                product_id: Some(1),
                kind,
                name: format!("Gruppe {id}"),
                archived: false,
                version: 1,
                created_at: now(),
                updated_at: now(),
            },
            members: members
                .iter()
                .map(|(mid, person, role)| group_member::Model {
                    id: *mid,
                    group_id: id,
                    person_id: *person,
                    organisation_id: None,
                    role: *role,
                    version: 1,
                    created_at: now(),
                    updated_at: now(),
                })
                .collect(),
        }
    }

    fn agreement(
        id: i32,
        kind: AgreementKind,
        economy: Option<&str>,
        parties: &[i32],
        ends_on: Option<NaiveDate>,
    ) -> AgreementWithParties {
        AgreementWithParties {
            agreement: agreement::Model {
                id,
                product_id: Some(1),
                kind,
                title: format!("Aftale {id}"),
                starts_on: None,
                ends_on,
                economy: economy.map(str::to_owned),
                document_url: None,
                archived: false,
                version: 1,
                created_at: now(),
                updated_at: now(),
            },
            parties: parties
                .iter()
                .enumerate()
                .map(|(i, org)| agreement_party::Model {
                    id: i32::try_from(i).unwrap() + 100,
                    agreement_id: id,
                    organisation_id: *org,
                    role: "part".into(),
                })
                .collect(),
        }
    }

    fn registry() -> Registry {
        Registry::builtin().unwrap()
    }

    fn summary(found: &[PortfolioFinding]) -> Vec<(String, Rating, u8)> {
        found
            .iter()
            .map(|f| (f.requirement.clone(), f.rating, f.confidence))
            .collect()
    }

    #[test]
    fn every_target_names_the_requirement_its_rule_is_about() {
        let reg = registry();
        // A word of each rule that the requirement text must contain.
        let words: BTreeMap<&str, &[&str]> = BTreeMap::from([
            ("lead", &["projektleder/tovholder"][..]),
            ("steering", &["styregruppe"][..]),
            ("coordination", &["koordinationsgruppe"][..]),
            ("joining", &["tilslutning"][..]),
            ("economy", &["økonomi til koordiner", "videreudvikling"][..]),
            (
                "board-represented",
                &["Bestyrelsen er repræsenteret i styregruppen"][..],
            ),
            (
                "board-majority",
                &["Bestyrelsen har stemmemajoritet i styregruppen"][..],
            ),
            ("municipalities", &["Involverede kommuner"][..]),
            ("professional", &[][..]),
        ]);
        for (rule, table) in targets::ALL {
            for (model_id, req) in *table {
                let model = reg.get(model_id).unwrap();
                let requirement = model
                    .requirement(req)
                    .unwrap_or_else(|| panic!("{rule}: {model_id} has no {req}"));
                for word in words[rule] {
                    assert!(
                        requirement
                            .text
                            .to_lowercase()
                            .contains(&word.to_lowercase()),
                        "{rule}: {model_id} {req} is {:?}",
                        requirement.text
                    );
                }
            }
        }
        // The professional group: "fagligt fællesskab" (1.1.0, 2021 spell it differently)
        // and "Faggruppe(r)" (2018).
        assert!(
            reg.get("os2-1.1.0")
                .unwrap()
                .requirement("G14")
                .unwrap()
                .text
                .contains("fagligt fællesskab")
        );
        assert!(
            reg.get("os2-2021")
                .unwrap()
                .requirement("G14")
                .unwrap()
                .text
                .contains("fagligt fælleskab")
        );
        assert_eq!(
            reg.get("os2-2018")
                .unwrap()
                .requirement("G16")
                .unwrap()
                .text,
            "Faggruppe(r) etableres."
        );
    }

    #[test]
    fn nothing_registered_means_no_findings() {
        let reg = registry();
        for model in reg.models() {
            assert!(findings(&PortfolioData::default(), model, today()).is_empty());
        }
    }

    #[test]
    fn a_project_lead_or_coordinator_meets_g3() {
        let reg = registry();
        let mut data = PortfolioData::default();
        data.persons.insert(5, person(5, "Ane Andersen"));
        data.participants
            .push(participant(1, None, Some(5), ParticipantRole::Tovholder));
        data.participants
            .push(participant(2, None, None, ParticipantRole::Anvender));
        let found = findings(&data, reg.get("os2-1.1.0").unwrap(), today());
        assert_eq!(summary(&found), vec![("G3".into(), Rating::Green, 4)]);
        assert_eq!(found[0].detector, "portfolio.lead");
        assert_eq!(
            found[0].evidence,
            vec![EvidenceRow::new(
                "participant",
                1,
                "tovholder: Ane Andersen"
            )]
        );
        assert!(
            found[0].explanation.da.contains("Ane Andersen"),
            "{:?}",
            found[0].explanation
        );
        let found = findings(&data, reg.get("os2-2018").unwrap(), today());
        assert_eq!(summary(&found), vec![("G3".into(), Rating::Green, 4)]);

        // A lead whose participation ended does not count.
        data.participants[0].until = NaiveDate::from_ymd_opt(2025, 12, 31);
        assert!(findings(&data, reg.get("os2-1.1.0").unwrap(), today()).is_empty());
    }

    #[test]
    fn a_steering_group_needs_a_member() {
        let reg = registry();
        let mut data = PortfolioData::default();
        data.groups.push(group(7, GroupKind::Styregruppe, &[]));
        assert!(findings(&data, reg.get("os2-1.1.0").unwrap(), today()).is_empty());
        data.groups = vec![group(
            7,
            GroupKind::Styregruppe,
            &[(70, None, GroupRole::Formand)],
        )];
        let found = findings(&data, reg.get("os2-1.1.0").unwrap(), today());
        assert_eq!(summary(&found), vec![("G6".into(), Rating::Green, 4)]);
        assert_eq!(
            found[0].evidence,
            vec![EvidenceRow::new(
                "work_group",
                7,
                "Styregruppe Gruppe 7 (1 medlem)"
            )]
        );
        let found = findings(&data, reg.get("os2-2018").unwrap(), today());
        assert_eq!(summary(&found), vec![("G8".into(), Rating::Green, 4)]);
    }

    #[test]
    fn a_coordination_group_meets_g7_and_a_professional_group_g14() {
        let reg = registry();
        let mut data = PortfolioData::default();
        data.groups.push(group(
            8,
            GroupKind::Koordinationsgruppe,
            &[(80, None, GroupRole::Medlem)],
        ));
        data.groups.push(group(
            9,
            GroupKind::Faggruppe,
            &[(90, None, GroupRole::Medlem)],
        ));
        let found = findings(&data, reg.get("os2-1.1.0").unwrap(), today());
        assert_eq!(
            summary(&found),
            vec![
                ("G7".into(), Rating::Green, 4),
                ("G14".into(), Rating::Green, 2)
            ]
        );
        let found = findings(&data, reg.get("os2-2018").unwrap(), today());
        assert_eq!(
            summary(&found),
            vec![
                ("G9".into(), Rating::Green, 4),
                ("G16".into(), Rating::Green, 2)
            ]
        );
    }

    #[test]
    fn agreements_on_the_economy_meet_g10_and_g13() {
        let reg = registry();
        let m = reg.get("os2-1.1.0").unwrap();
        let mut data = PortfolioData::default();
        // Without economy text and without parties: nothing.
        data.agreements.push(agreement(
            1,
            AgreementKind::Tilslutningsaftale,
            None,
            &[],
            None,
        ));
        assert!(findings(&data, m, today()).is_empty());
        // With an economy text: G10 and G13 at confidence 3.
        data.agreements = vec![agreement(
            1,
            AgreementKind::Tilslutningsaftale,
            Some("10.000 kr. pr. kommune pr. år"),
            &[],
            None,
        )];
        let found = findings(&data, m, today());
        assert_eq!(
            summary(&found),
            vec![
                ("G10".into(), Rating::Green, 3),
                ("G13".into(), Rating::Green, 3)
            ]
        );
        assert!(
            found[0].evidence[0].label.contains("økonomi: 10.000 kr."),
            "{:?}",
            found[0].evidence
        );
        // A driftsaftale with parties only: G13 at confidence 2, not G10 (which asks for a
        // tilslutningserklæring).
        data.agreements = vec![agreement(
            2,
            AgreementKind::Driftsaftale,
            None,
            &[3, 4],
            None,
        )];
        let found = findings(&data, m, today());
        assert_eq!(summary(&found), vec![("G13".into(), Rating::Green, 2)]);
        assert_eq!(found[0].detector, "portfolio.economy-agreement");
        // The 2018 model numbers them G12 and G15.
        data.agreements = vec![
            agreement(3, AgreementKind::Samarbejdsaftale, Some("x"), &[], None),
            agreement(4, AgreementKind::Tilslutningsaftale, None, &[3], None),
        ];
        let found = findings(&data, reg.get("os2-2018").unwrap(), today());
        assert_eq!(
            summary(&found),
            vec![
                ("G12".into(), Rating::Green, 2),
                ("G15".into(), Rating::Green, 3)
            ]
        );
        // An expired agreement and an unrelated kind do not count.
        data.agreements = vec![
            agreement(
                5,
                AgreementKind::Tilslutningsaftale,
                Some("x"),
                &[],
                NaiveDate::from_ymd_opt(2026, 4, 30),
            ),
            agreement(6, AgreementKind::Udviklingsaftale, Some("x"), &[1], None),
        ];
        assert!(findings(&data, m, today()).is_empty());
    }

    #[test]
    fn a_board_member_in_the_steering_group_meets_g12() {
        let reg = registry();
        let mut data = PortfolioData::default();
        data.persons.insert(1, person(1, "Bo Bestyrelse"));
        data.groups.push(group(
            7,
            GroupKind::Styregruppe,
            &[
                (70, Some(1), GroupRole::Bestyrelsesrepraesentant),
                (71, None, GroupRole::Formand),
                (72, None, GroupRole::Medlem),
            ],
        ));
        let found = findings(&data, reg.get("os2-1.1.0").unwrap(), today());
        assert_eq!(
            summary(&found),
            vec![
                ("G6".into(), Rating::Green, 4),
                ("G12".into(), Rating::Green, 4)
            ]
        );
        assert_eq!(
            found[1].evidence,
            vec![EvidenceRow::new(
                "group_member",
                70,
                "bestyrelsesrepræsentant i Gruppe 7: Bo Bestyrelse"
            )]
        );
        // 2018 asks for the majority: 1 of 3 is represented, not a majority.
        let found = findings(&data, reg.get("os2-2018").unwrap(), today());
        assert_eq!(
            summary(&found),
            vec![
                ("G8".into(), Rating::Green, 4),
                ("G14".into(), Rating::Yellow, 2)
            ]
        );
        // 2 of 3 is a majority.
        data.groups[0].members[1].role = GroupRole::Bestyrelsesrepraesentant;
        let found = findings(&data, reg.get("os2-2018").unwrap(), today());
        assert_eq!(found[1].requirement, "G14");
        assert_eq!((found[1].rating, found[1].confidence), (Rating::Green, 3));
    }

    #[test]
    fn two_municipalities_meet_2018_g6_only() {
        let reg = registry();
        let mut data = PortfolioData::default();
        data.organisations
            .insert(1, org(1, "Aarhus Kommune", OrgKind::Kommune));
        data.organisations
            .insert(2, org(2, "Magenta ApS", OrgKind::Leverandor));
        data.organisations
            .insert(3, org(3, "Odense Kommune", OrgKind::Kommune));
        data.participants.push(participant(
            1,
            Some(1),
            None,
            ParticipantRole::Initiativtager,
        ));
        data.participants
            .push(participant(2, Some(1), None, ParticipantRole::Anvender));
        data.participants.push(participant(
            3,
            Some(2),
            None,
            ParticipantRole::Udviklingsleverandor,
        ));
        // One municipality (twice) and a supplier: not more than one municipality.
        assert!(findings(&data, reg.get("os2-2018").unwrap(), today()).is_empty());
        data.participants
            .push(participant(4, Some(3), None, ParticipantRole::Anvender));
        let found = findings(&data, reg.get("os2-2018").unwrap(), today());
        assert_eq!(summary(&found), vec![("G6".into(), Rating::Green, 4)]);
        assert_eq!(
            found[0].explanation.da,
            "2 kommuner deltager i produktet: Aarhus Kommune, Odense Kommune."
        );
        assert_eq!(found[0].evidence.len(), 2);
        // The later models have no such requirement.
        assert!(findings(&data, reg.get("os2-1.1.0").unwrap(), today()).is_empty());
        assert!(findings(&data, reg.get("os2-2021").unwrap(), today()).is_empty());
    }
}
