//! Portfolio evidence: the loading of the registry rows about a product, and the run of
//! the rules over them.
//!
//! The rules themselves live in niveau-scan beside the repository detectors
//! ([`niveau_scan::portfolio`], one file per rule, with the table of what each rule
//! counts and which requirement it lands on in each model). They are pure: this module
//! reads the store ([`load`]), turns the rows into the rules' plain input
//! ([`PortfolioData::portfolio`]) and runs them ([`findings`]). The findings are shaped
//! like a repository scan's findings, so that a draft evaluation can weigh them next to
//! the answers and the scan ([`crate::proposals`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use niveau_model::{Model, Msg, Rating};
use niveau_scan::portfolio::{self, Portfolio};
use niveau_store::agreements::{AgreementFilter, AgreementWithParties};
use niveau_store::entity::{organisation, participant, person};
use niveau_store::groups::GroupWithMembers;
use niveau_store::{ListParams, Store, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// One row of the registry that a finding rests on (the API's form of
/// [`niveau_scan::portfolio::EvidenceRow`]).
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

impl From<portfolio::EvidenceRow> for EvidenceRow {
    fn from(row: portfolio::EvidenceRow) -> EvidenceRow {
        EvidenceRow {
            kind: "row".into(),
            table: row.table,
            id: row.id,
            label: row.label,
        }
    }
}

/// A proposed rating of one requirement from the portfolio registry (the API's form of
/// [`niveau_scan::portfolio::PortfolioFinding`]).
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

impl From<portfolio::PortfolioFinding> for PortfolioFinding {
    fn from(f: portfolio::PortfolioFinding) -> PortfolioFinding {
        PortfolioFinding {
            requirement: f.requirement.to_string(),
            detector: f.detector,
            rating: f.rating,
            confidence: f.confidence,
            evidence: f.evidence.into_iter().map(EvidenceRow::from).collect(),
            explanation: f.explanation,
        }
    }
}

/// Everything the rules read about one product, as the store has it (the product page
/// shows the same rows).
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
    /// The product's stage, approval and orientation decisions (bounded:
    /// [`niveau_store::decisions::PROCESS_LOG_LIMIT`]).
    pub decisions: Vec<niveau_store::entity::decision::Model>,
    /// The product's development wishes (facts, no texts; bounded:
    /// [`niveau_store::wishes::FACTS_LIMIT`]) and their pledges not withdrawn.
    pub wishes: niveau_store::wishes::WishPortfolio,
    /// The partner agreements of the organisations referred to, by organisation.
    pub partners: BTreeMap<i32, niveau_store::entity::partner_agreement::Model>,
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
    let wishes = store.wish_portfolio(Some(product_id)).await?;
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
        .chain(wishes.wishes.iter().filter_map(|w| w.organisation_id))
        .chain(wishes.pledges.iter().map(|p| p.organisation_id))
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
    let decisions = store.process_log(product_id).await?;
    let partners = store
        .partner_agreements()
        .await?
        .into_iter()
        .filter(|a| org_ids.contains(&a.organisation_id))
        .map(|a| (a.organisation_id, a))
        .collect();
    Ok(PortfolioData {
        participants,
        groups,
        agreements,
        organisations,
        persons,
        decisions,
        wishes,
        partners,
    })
}

impl PortfolioData {
    /// The rows as the rules' plain input: vocabulary values as their Danish texts.
    pub fn portfolio(&self) -> Portfolio {
        Portfolio {
            participants: self
                .participants
                .iter()
                .map(|p| portfolio::Participant {
                    id: p.id,
                    organisation: p.organisation_id,
                    person: p.person_id,
                    role: p.role.as_str().to_owned(),
                    since: p.since,
                    until: p.until,
                })
                .collect(),
            groups: self
                .groups
                .iter()
                .map(|g| portfolio::Group {
                    id: g.group.id,
                    kind: g.group.kind.as_str().to_owned(),
                    name: g.group.name.clone(),
                    archived: g.group.archived,
                    members: g
                        .members
                        .iter()
                        .map(|m| portfolio::Member {
                            id: m.id,
                            person: m.person_id,
                            organisation: m.organisation_id,
                            role: m.role.as_str().to_owned(),
                        })
                        .collect(),
                })
                .collect(),
            agreements: self
                .agreements
                .iter()
                .map(|a| portfolio::Agreement {
                    id: a.agreement.id,
                    kind: a.agreement.kind.as_str().to_owned(),
                    title: a.agreement.title.clone(),
                    starts_on: a.agreement.starts_on,
                    ends_on: a.agreement.ends_on,
                    economy: a.agreement.economy.clone(),
                    archived: a.agreement.archived,
                    parties: a.parties.iter().map(|p| p.organisation_id).collect(),
                })
                .collect(),
            organisations: self
                .organisations
                .iter()
                .map(|(id, o)| {
                    (
                        *id,
                        portfolio::Organisation {
                            name: o.name.clone(),
                            kind: o.kind.as_str().to_owned(),
                            partner_agreement: self.partners.get(id).map(|a| {
                                portfolio::PartnerAgreement {
                                    id: a.id,
                                    signed_on: a.signed_on,
                                    ends_on: a.ends_on,
                                    code_of_conduct: a.code_of_conduct,
                                }
                            }),
                        },
                    )
                })
                .collect(),
            persons: self
                .persons
                .iter()
                .map(|(id, p)| {
                    (
                        *id,
                        portfolio::Person {
                            name: p.name.clone(),
                        },
                    )
                })
                .collect(),
            decisions: self
                .decisions
                .iter()
                .map(|d| portfolio::Decision {
                    id: d.id,
                    kind: d.kind.as_str().to_owned(),
                    to: d.to_value.clone(),
                    decided_on: d.decided_on,
                    decided_by: d.decided_by.as_str().to_owned(),
                    reference: d.reference.clone(),
                })
                .collect(),
            wishes: self
                .wishes
                .wishes
                .iter()
                .map(|w| portfolio::Wish {
                    id: w.id,
                    title: w.title.clone(),
                    state: w.state.as_str().to_owned(),
                    raised_by: w.organisation_id,
                    payer: w.payer.map(|p| p.as_str().to_owned()),
                    target_ore: w.target_ore,
                    pledges: self
                        .wishes
                        .pledges
                        .iter()
                        .filter(|p| p.wish_id == w.id)
                        .map(|p| portfolio::Pledge {
                            id: p.id,
                            organisation: p.organisation_id,
                            amount_ore: p.amount_ore,
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The findings the registry supports for `model`, in the model's requirement order:
/// the rules of [`niveau_scan::portfolio`] run over `data`. `today` decides which
/// participations and agreements are still current.
pub fn findings(data: &PortfolioData, model: &Model, today: NaiveDate) -> Vec<PortfolioFinding> {
    portfolio::findings(&data.portfolio(), model, today)
        .into_iter()
        .map(PortfolioFinding::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use niveau_model::Registry;
    use niveau_scan::portfolio::input::vocabulary;
    use niveau_store::agreements::{AgreementInput, PartyInput};
    use niveau_store::groups::{GroupInput, MemberInput};
    use niveau_store::organisations::{OrganisationInput, PersonInput};
    use niveau_store::products::{ParticipantInput, ProductInput};
    use niveau_store::types::{AgreementKind, GroupKind, GroupRole, OrgKind, ParticipantRole};
    use niveau_store::{Actor, StoreOptions};

    use super::*;

    /// The Danish texts of every value of a store vocabulary.
    fn texts<T: Copy>(all: &[T], text: fn(T) -> &'static str) -> Vec<&'static str> {
        all.iter().map(|v| text(*v)).collect()
    }

    #[test]
    fn the_rules_vocabulary_is_the_stores() {
        use vocabulary::*;
        let cases: [(&[&str], Vec<&str>); 10] = [
            (
                &[GODKENDELSE, ORIENTERING],
                texts(
                    niveau_store::types::DecisionKind::ALL,
                    niveau_store::types::DecisionKind::as_str,
                ),
            ),
            (
                &[BESTYRELSE],
                texts(
                    niveau_store::types::DecidedBy::ALL,
                    niveau_store::types::DecidedBy::as_str,
                ),
            ),
            (
                &[PRODUKT, KONCEPT],
                texts(
                    niveau_store::types::BoardCaseKind::ALL,
                    niveau_store::types::BoardCaseKind::as_str,
                ),
            ),
            (
                &[PROJEKTLEDER, TOVHOLDER, UDVIKLINGSLEVERANDOER, REVIEWER],
                texts(ParticipantRole::ALL, ParticipantRole::as_str),
            ),
            (
                &[KOMMUNE, LEVERANDOER],
                texts(OrgKind::ALL, OrgKind::as_str),
            ),
            (
                &[STYREGRUPPE, KOORDINATIONSGRUPPE, FAGGRUPPE],
                texts(GroupKind::ALL, GroupKind::as_str),
            ),
            (
                &[BESTYRELSESREPRAESENTANT],
                texts(GroupRole::ALL, GroupRole::as_str),
            ),
            (
                &[TILSLUTNINGSAFTALE, SAMARBEJDSAFTALE, DRIFTSAFTALE],
                texts(AgreementKind::ALL, AgreementKind::as_str),
            ),
            (
                &[FAELLESSKABET, OPGAVESTILLER],
                texts(
                    niveau_store::types::WishPayer::ALL,
                    niveau_store::types::WishPayer::as_str,
                ),
            ),
            (
                &[BESTILT, I_GANG, I_TEST, LEVERET, AFVIST],
                texts(
                    niveau_store::types::WishState::ALL,
                    niveau_store::types::WishState::as_str,
                ),
            ),
        ];
        for (values, vocabulary) in cases {
            for value in values {
                assert!(vocabulary.contains(value), "{value} not in {vocabulary:?}");
            }
        }
        assert_eq!(
            GroupRole::parse(BESTYRELSESREPRAESENTANT),
            Some(GroupRole::Bestyrelsesrepraesentant)
        );
    }

    fn organisation(name: &str, kind: OrgKind) -> OrganisationInput {
        OrganisationInput {
            name: name.into(),
            kind,
            member_since: None,
            left_on: None,
            supplier_partner_since: None,
            note: None,
            version: None,
        }
    }

    /// A product with a coordinator, two municipalities, a steering group with the
    /// board's representative and a joining agreement, in an in-memory store.
    async fn registered() -> (Store, i32) {
        let store = Store::connect("sqlite::memory:", &StoreOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let sek = Actor::user(1, "sekretariat-1");
        let aarhus = store
            .create_organisation(&sek, organisation("Aarhus Kommune", OrgKind::Kommune))
            .await
            .unwrap();
        let odense = store
            .create_organisation(&sek, organisation("Odense Kommune", OrgKind::Kommune))
            .await
            .unwrap();
        let ane = store
            .create_person(
                &sek,
                PersonInput {
                    name: "Ane Andersen".into(),
                    email: None,
                    organisation_id: Some(aarhus.id),
                    version: None,
                },
            )
            .await
            .unwrap();
        let product = store
            .create_product(
                &sek,
                ProductInput {
                    slug: "os2test".into(),
                    name: "OS2test".into(),
                    short_description: "Et testprodukt".into(),
                    long_description: String::new(),
                    stage: None,
                    official_level: None,
                    target_level: None,
                    website: None,
                    license: None,
                    repositories: Vec::new(),
                    publiccode: None,
                    published: true,
                    version: None,
                },
            )
            .await
            .unwrap();
        for (org, person, role) in [
            (Some(aarhus.id), Some(ane.id), ParticipantRole::Tovholder),
            (Some(odense.id), None, ParticipantRole::Anvender),
        ] {
            store
                .add_participant(
                    &sek,
                    product.id,
                    ParticipantInput {
                        organisation_id: org,
                        person_id: person,
                        role,
                        since: None,
                        until: None,
                        version: None,
                    },
                )
                .await
                .unwrap();
        }
        let steering = store
            .create_group(
                &sek,
                GroupInput {
                    product_id: Some(product.id),
                    kind: GroupKind::Styregruppe,
                    name: "Styregruppen".into(),
                    version: None,
                    mandate_url: None,
                },
            )
            .await
            .unwrap();
        for (person, organisation, role) in [
            (Some(ane.id), None, GroupRole::Bestyrelsesrepraesentant),
            (None, Some(odense.id), GroupRole::Medlem),
        ] {
            store
                .add_member(
                    &sek,
                    steering.id,
                    MemberInput {
                        person_id: person,
                        organisation_id: organisation,
                        role,
                        version: None,
                        since: None,
                        until: None,
                    },
                )
                .await
                .unwrap();
        }
        store
            .create_agreement(
                &sek,
                AgreementInput {
                    product_id: Some(product.id),
                    kind: AgreementKind::Tilslutningsaftale,
                    title: "Tilslutning 2026".into(),
                    starts_on: None,
                    ends_on: None,
                    economy: Some("10.000 kr. pr. år".into()),
                    document_url: None,
                    parties: vec![PartyInput {
                        organisation_id: odense.id,
                        role: "part".into(),
                    }],
                    version: None,
                },
            )
            .await
            .unwrap();
        (store, product.id)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
    }

    #[tokio::test]
    async fn the_registry_rows_become_the_rules_input() {
        let (store, product) = registered().await;
        let data = load(&store, product).await.unwrap();
        let input = data.portfolio();
        let roles: Vec<(&str, Option<&str>)> = input
            .participants
            .iter()
            .map(|p| (p.role.as_str(), input.organisation_name(p.organisation)))
            .collect();
        assert_eq!(
            roles,
            [
                ("tovholder", Some("Aarhus Kommune")),
                ("anvender", Some("Odense Kommune"))
            ]
        );
        assert_eq!(input.groups.len(), 1);
        assert_eq!(input.groups[0].kind, "styregruppe");
        let members: Vec<&str> = input.groups[0]
            .members
            .iter()
            .map(|m| m.role.as_str())
            .collect();
        assert_eq!(members, ["bestyrelsesrepræsentant", "medlem"]);
        assert_eq!(input.agreements.len(), 1);
        assert_eq!(input.agreements[0].kind, "tilslutningsaftale");
        assert_eq!(input.agreements[0].economy(), Some("10.000 kr. pr. år"));
        assert_eq!(input.agreements[0].parties.len(), 1);
        assert_eq!(input.persons.len(), 1);
        assert_eq!(input.organisations.len(), 2);
        assert_eq!(
            input
                .organisations
                .values()
                .map(|o| o.kind.as_str())
                .collect::<Vec<_>>(),
            ["kommune", "kommune"]
        );
    }

    #[tokio::test]
    async fn findings_from_the_store_per_model() {
        let (store, product) = registered().await;
        let data = load(&store, product).await.unwrap();
        let reg = Registry::builtin().unwrap();
        let summary = |model: &str| -> Vec<(String, String, Rating, u8)> {
            findings(&data, reg.get(model).unwrap(), today())
                .into_iter()
                .map(|f| (f.requirement, f.detector, f.rating, f.confidence))
                .collect()
        };
        let row = |r: &str, d: &str, rating: Rating, c: u8| {
            (r.to_owned(), format!("portfolio.{d}"), rating, c)
        };
        // Two municipalities take part: a shared potential (R3) besides the governance.
        assert_eq!(
            summary("os2-1.1.0"),
            [
                row("R3", "several-organisations", Rating::Green, 2),
                row("G3", "lead", Rating::Green, 4),
                row("G6", "steering-group", Rating::Green, 4),
                row("G10", "joining-agreement", Rating::Green, 3),
                row("G12", "board-in-steering-group", Rating::Green, 4),
                row("G13", "economy-agreement", Rating::Green, 3),
            ]
        );
        assert_eq!(
            summary("os2-2018"),
            [
                row("R3", "several-organisations", Rating::Green, 2),
                row("G3", "lead", Rating::Green, 4),
                row("G6", "municipalities", Rating::Green, 4),
                row("G8", "steering-group", Rating::Green, 4),
                row("G12", "joining-agreement", Rating::Green, 3),
                // 1 of 2 members is not a majority.
                row("G14", "board-in-steering-group", Rating::Yellow, 2),
                row("G15", "economy-agreement", Rating::Green, 3),
            ]
        );
        let found = findings(&data, reg.get("os2-1.1.0").unwrap(), today());
        assert_eq!(
            found[1].explanation.da,
            "Porteføljen har en projektleder/tovholder: Ane Andersen (Aarhus Kommune) (tovholder)."
        );
        // The API's JSON of a finding is unchanged: rows carry `"kind": "row"`.
        let json = serde_json::to_value(&found[2]).unwrap();
        assert_eq!(json["evidence"][0]["kind"], "row");
        assert_eq!(json["evidence"][0]["table"], "work_group");
        assert_eq!(
            json["evidence"][0]["label"],
            "Styregruppe Styregruppen (2 medlemmer)"
        );
        assert_eq!(json["rating"], "green");
        assert_eq!(
            json["explanation"]["en"],
            "The portfolio has a steering group with 2 member(s)."
        );
    }
}
