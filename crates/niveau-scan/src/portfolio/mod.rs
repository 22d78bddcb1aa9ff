//! Portfolio evidence: what the secretariat's own registry (participants, groups,
//! agreements, organisations) shows about a product's governance requirements — the
//! registry's counterpart of the repository [`detectors`](crate::detectors).
//!
//! The rules are pure: they read a [`Portfolio`] (plain rows, filled by the application
//! layer from the store) and the date `today`, and return findings shaped like a scan's
//! [`Finding`](crate::Finding)s (requirement, detector, proposed rating, confidence 1–5,
//! evidence, explanation in Danish and English), so that a draft evaluation can weigh
//! them next to the answers and the scan (`niveau_app::proposals`). Like every proposal
//! they are advice: the secretariat confirms.
//!
//! One file per rule under [`rules`], each behind [`PortfolioRule`], listed in
//! [`rules::all`]; [`findings`] runs them for one model. How to add one is described in
//! docs/detectors.md.
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
//! | `portfolio.board-informed` | the board's orientation or approval in the decision log | G4 | G4 | G4 |
//! | `portfolio.board-approved-product` | the board's approval of the product in the decision log | G5 | G5 | G7 |
//! | `portfolio.board-approved-steering-group` | the board's approval of the steering group in the decision log | G11 | G11 | G13 |
//! | `portfolio.third-party-review` | a current reviewer from an organisation that is not also a current udviklingsleverandør (Yellow when the developer reviews itself) | G9 | G9 | G11 |
//! | `portfolio.several-organisations` | two or more organisations that are not suppliers involved through current participations, wishes they raised or pledges | R3 | R4 | R3 |
//! | `portfolio.co-funding` | a wish (not afvist) with a co-funding target and pledges from two or more organisations | G13 | G13 | G15 |
//!
//! The ids were checked against the models' texts (each rule's unit tests check them
//! again): 1.1.0 and 2021 share the governance numbering (G3 "projektleder/tovholder",
//! G6 "styregruppe", G7 "koordinationsgruppe", G10 "tilslutningserklæring til sikring af
//! økonomi", G12 "Bestyrelsen er repræsenteret i styregruppen", G13 "aftale der sikrer
//! økonomi", G14 "fagligt fællesskab"); 2018 numbers them G3, G8, G9, G12, G14, G15, G16
//! and has G6 "Involverede kommuner: +1", which no later model has. 2018's G14 asks that
//! the board has the *majority of votes* in the steering group: Green only when the
//! board's representatives are more than half of the registered members, otherwise
//! Yellow (represented, majority not shown). G10 names a *tilslutningserklæring*, so
//! only a tilslutningsaftale counts for it; G13 asks for any agreement that secures the
//! economy. Co-funding of development wishes speaks about G13 too: both findings are
//! kept, and the workbench's merge shows the surer one with the other as an
//! alternative. 1.1.0's R3 "fælles offentligt potentiale" is 2021's R4 "tværkommunal
//! potentiale" (the model's mapping) and 2018's R3; G9 (2018: G11) asks for review of
//! the code by a third party.

use chrono::NaiveDate;
use niveau_model::{Model, Msg, Rating, RequirementId};
use serde::Serialize;

pub mod input;
pub mod rules;

pub use input::{
    Agreement, Decision, Group, Member, Organisation, Participant, PartnerAgreement, Person,
    Pledge, Portfolio, Wish,
};

/// Where a rule lands in the built-in models: (model id, requirement id) pairs.
pub type Targets = &'static [(&'static str, &'static str)];

/// A rule that reads the registry for one requirement per model.
pub trait PortfolioRule: Send + Sync {
    /// Stable id, e.g. `portfolio.lead` (the finding's `detector`).
    fn id(&self) -> &'static str;
    /// The requirement it speaks about in each built-in model; a model not listed gets
    /// no finding from it.
    fn targets(&self) -> Targets;
    /// What the registry shows on `today`, or `None` when it shows nothing.
    fn judge(&self, portfolio: &Portfolio, today: NaiveDate) -> Option<Judgement>;
}

/// A rule's verdict, before it is placed on a model's requirement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judgement {
    /// The proposed rating.
    pub rating: Rating,
    /// How sure the rule is: 1 (a hint) to 5 (certain).
    pub confidence: u8,
    /// The rows it rests on.
    pub evidence: Vec<EvidenceRow>,
    /// One sentence, in Danish and English.
    pub explanation: Msg,
}

impl Judgement {
    /// A Green verdict.
    pub fn green(confidence: u8, evidence: Vec<EvidenceRow>, explanation: Msg) -> Judgement {
        Judgement {
            rating: Rating::Green,
            confidence,
            evidence,
            explanation,
        }
    }

    /// A Yellow verdict: partly met, or met in a way the secretariat should look at.
    pub fn yellow(confidence: u8, evidence: Vec<EvidenceRow>, explanation: Msg) -> Judgement {
        Judgement {
            rating: Rating::Yellow,
            confidence,
            evidence,
            explanation,
        }
    }
}

/// One row of the registry that a finding rests on. Serialised with `"kind": "row"`
/// (scan evidence uses `file`, `commit`, `value`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename = "row")]
pub struct EvidenceRow {
    /// The table: `participant`, `work_group`, `group_member`, `agreement`, `organisation`,
    /// `decision`, `wish`, `wish_pledge`.
    pub table: String,
    /// The row's id.
    pub id: i32,
    /// What the row says, for people (`Styregruppe OS2borgerPC (3 medlemmer)`).
    pub label: String,
}

impl EvidenceRow {
    /// A row as evidence.
    pub fn new(table: &str, id: i32, label: impl Into<String>) -> EvidenceRow {
        EvidenceRow {
            table: table.into(),
            id,
            label: label.into(),
        }
    }
}

/// A proposed rating of one requirement from the portfolio registry: a scan
/// [`Finding`](crate::Finding) whose evidence is registry rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PortfolioFinding {
    /// The requirement, in the model asked for.
    pub requirement: RequirementId,
    /// The rule that produced it (`portfolio.steering-group`).
    pub detector: String,
    /// The proposed rating.
    pub rating: Rating,
    /// How sure the rule is: 1 (a hint) to 5 (certain).
    pub confidence: u8,
    /// Where the evidence is.
    pub evidence: Vec<EvidenceRow>,
    /// One sentence, in Danish and English.
    pub explanation: Msg,
}

/// The requirement of `model` that `targets` names, if the model has it. A model that
/// lost the requirement (or a differently loaded model under the same id) gets no finding
/// rather than one about a requirement it does not have.
pub fn target(targets: Targets, model: &Model) -> Option<RequirementId> {
    let (_, id) = targets.iter().find(|(m, _)| *m == model.id().as_str())?;
    model.requirement(id).map(|r| r.id.clone())
}

/// The findings the registry supports for `model`, in the model's requirement order.
/// `today` decides which participations and agreements are still current.
pub fn findings(portfolio: &Portfolio, model: &Model, today: NaiveDate) -> Vec<PortfolioFinding> {
    let mut out: Vec<PortfolioFinding> = rules::all()
        .iter()
        .filter_map(|rule| {
            let requirement = target(rule.targets(), model)?;
            let judgement = rule.judge(portfolio, today)?;
            Some(PortfolioFinding {
                requirement,
                detector: rule.id().to_owned(),
                rating: judgement.rating,
                confidence: judgement.confidence.clamp(1, 5),
                evidence: judgement.evidence,
                explanation: judgement.explanation,
            })
        })
        .collect();
    out.sort_by_key(|f| {
        model
            .requirements()
            .iter()
            .position(|r| r.id == f.requirement)
            .unwrap_or(usize::MAX)
    });
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::rules::fixtures::*;
    use super::*;

    #[test]
    fn nothing_registered_means_no_findings() {
        let reg = registry();
        for model in reg.models() {
            assert!(findings(&Portfolio::default(), model, today()).is_empty());
        }
    }

    /// The requirements two rules speak about on purpose: an agreement and co-funding both
    /// secure the economy for further development.
    const SHARED: &[(&str, &str)] = &[
        ("os2-1.1.0", "G13"),
        ("os2-2021", "G13"),
        ("os2-2018", "G15"),
    ];

    #[test]
    fn every_target_exists_and_only_the_economy_is_shared_by_two_rules() {
        let reg = registry();
        let mut seen = BTreeSet::new();
        let mut shared = BTreeSet::new();
        let mut ids = BTreeSet::new();
        for rule in rules::all() {
            assert!(rule.id().starts_with("portfolio."), "{}", rule.id());
            let mut own = BTreeSet::new();
            for (model_id, req) in rule.targets() {
                let model = reg.get(model_id).unwrap();
                assert!(
                    model.requirement(req).is_some(),
                    "{}: {model_id} has no {req}",
                    rule.id()
                );
                assert!(
                    own.insert((*model_id, *req)),
                    "{}: {model_id} {req} is targeted twice by the rule",
                    rule.id()
                );
                if !seen.insert((*model_id, *req)) {
                    assert!(
                        SHARED.contains(&(*model_id, *req)),
                        "{}: {model_id} {req} is targeted by another rule too",
                        rule.id()
                    );
                    shared.insert((*model_id, *req));
                }
            }
            ids.insert(rule.id());
        }
        assert_eq!(shared.into_iter().collect::<Vec<_>>().len(), SHARED.len());
        // Twelve in os2-1.1.0 and os2-2021 each, thirteen in os2-2018.
        assert_eq!(seen.len(), 37);
        // Every rule file is listed once in `all()` (board-in-steering-group has two
        // readings under one id).
        assert_eq!(ids.len(), 14);
        let files = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/src/portfolio/rules"))
            .unwrap()
            .filter(|e| {
                let name = e.as_ref().unwrap().file_name();
                name != "mod.rs"
            })
            .count();
        assert_eq!(ids.len(), files);
    }

    #[test]
    fn an_agreement_and_co_funding_both_speak_about_the_economy() {
        let reg = registry();
        let mut p = Portfolio::default();
        p.agreements.push(agreement(
            5,
            input::vocabulary::DRIFTSAFTALE,
            Some("10.000 kr. pr. år"),
            &[1],
            None,
        ));
        for (id, name) in [(1, "Aarhus Kommune"), (2, "Odense Kommune")] {
            p.organisations
                .insert(id, org(name, input::vocabulary::KOMMUNE));
        }
        p.wishes.push(wish(
            20,
            "Ønske",
            "ny",
            None,
            Some(200),
            &[(30, 1, 100), (31, 2, 100)],
        ));
        for (model, req) in [
            ("os2-1.1.0", "G13"),
            ("os2-2021", "G13"),
            ("os2-2018", "G15"),
        ] {
            let found = findings(&p, reg.get(model).unwrap(), today());
            let economy: Vec<(&str, &str, Rating, u8)> = found
                .iter()
                .filter(|f| f.requirement.as_str() == req)
                .map(|f| {
                    (
                        f.requirement.as_str(),
                        f.detector.as_str(),
                        f.rating,
                        f.confidence,
                    )
                })
                .collect();
            assert_eq!(
                economy,
                [
                    (req, "portfolio.economy-agreement", Rating::Green, 3),
                    (req, "portfolio.co-funding", Rating::Green, 2)
                ],
                "{model}"
            );
        }
    }

    #[test]
    fn findings_come_in_the_models_order_with_the_rules_id() {
        let reg = registry();
        let mut p = Portfolio::default();
        p.groups.push(group(
            9,
            input::vocabulary::FAGGRUPPE,
            &[(90, None, "medlem")],
        ));
        p.groups.push(group(
            7,
            input::vocabulary::STYREGRUPPE,
            &[(70, None, "formand")],
        ));
        p.participants
            .push(participant(1, None, None, input::vocabulary::PROJEKTLEDER));
        let found = findings(&p, reg.get("os2-2018").unwrap(), today());
        let ids: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.requirement.as_str(), f.detector.as_str()))
            .collect();
        assert_eq!(
            ids,
            [
                ("G3", "portfolio.lead"),
                ("G8", "portfolio.steering-group"),
                ("G16", "portfolio.professional-group")
            ]
        );
    }

    #[test]
    fn a_finding_serialises_like_a_scan_finding_with_rows() {
        let reg = registry();
        let mut p = Portfolio::default();
        p.groups.push(group(
            7,
            input::vocabulary::STYREGRUPPE,
            &[(70, None, "formand")],
        ));
        let found = findings(&p, reg.get("os2-1.1.0").unwrap(), today());
        let json = serde_json::to_value(&found[0]).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "requirement": "G6",
                "detector": "portfolio.steering-group",
                "rating": "green",
                "confidence": 4,
                "evidence": [{"kind": "row", "table": "work_group", "id": 7,
                              "label": "Styregruppe Gruppe 7 (1 medlem)"}],
                "explanation": {
                    "da": "Der er registreret en styregruppe med 1 medlem i porteføljen.",
                    "en": "The portfolio has a steering group with 1 member(s)."
                }
            })
        );
    }
}
