//! The controlled vocabularies of the portfolio, with their Danish values.
//!
//! Each vocabulary is stored as its Danish text, serialised as the same text in JSON and
//! named the same in the OpenAPI document. One macro declares all three from one list so
//! the database value and the JSON value can never drift apart (a derive crate such as
//! strum would still need the names written twice, once for serde and once for SeaORM).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum,
            Serialize, Deserialize, ToSchema,
        )]
        #[sea_orm(rs_type = "String", db_type = "Text")]
        pub enum $name {
            $(
                $(#[$vmeta])*
                #[sea_orm(string_value = $text)]
                #[serde(rename = $text)]
                $variant,
            )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The Danish text of the value, as stored and serialised.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parse the Danish text (exact match).
            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }

            /// The accepted values, comma-separated, for error messages.
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Kind of organisation.
    OrgKind {
        /// A municipality.
        Kommune = "kommune",
        /// A region.
        Region = "region",
        /// A state authority.
        StatsligMyndighed = "statslig myndighed",
        /// A supplier.
        Leverandor = "leverandør",
        /// An association.
        Forening = "forening",
        /// Anything else.
        Andet = "andet",
    }
}

vocabulary! {
    /// The stage of a product in the process from idea to product.
    Stage {
        /// An idea.
        Ide = "idé",
        /// A concept.
        Koncept = "koncept",
        /// A project.
        Projekt = "projekt",
        /// A product.
        Produkt = "produkt",
        /// Paused.
        Pauset = "pauset",
        /// Closed.
        Lukket = "lukket",
        /// Rejected by the board or the secretariat (it may return as a new idea).
        Afvist = "afvist",
    }
}

vocabulary! {
    /// The role an organisation (or person) has in a product.
    ParticipantRole {
        /// Started the product.
        Initiativtager = "initiativtager",
        /// Uses the product.
        Anvender = "anvender",
        /// Develops it.
        Udviklingsleverandor = "udviklingsleverandør",
        /// Operates it.
        Driftsleverandor = "driftsleverandør",
        /// Supports it.
        Supportleverandor = "supportleverandør",
        /// Hosts it.
        Hostingleverandor = "hostingleverandør",
        /// Reviews code or architecture.
        Reviewer = "reviewer",
        /// Project lead.
        Projektleder = "projektleder",
        /// Coordinator.
        Tovholder = "tovholder",
        /// Product owner.
        Produktejer = "produktejer",
    }
}

vocabulary! {
    /// The kind of a group.
    GroupKind {
        /// Steering group.
        Styregruppe = "styregruppe",
        /// Coordination group.
        Koordinationsgruppe = "koordinationsgruppe",
        /// Architecture group.
        Arkitekturgruppe = "arkitekturgruppe",
        /// Professional group.
        Faggruppe = "faggruppe",
    }
}

vocabulary! {
    /// The role of a member in a group.
    GroupRole {
        /// Chair.
        Formand = "formand",
        /// Member.
        Medlem = "medlem",
        /// The board's representative.
        Bestyrelsesrepraesentant = "bestyrelsesrepræsentant",
        /// Secretary.
        Sekretaer = "sekretær",
    }
}

vocabulary! {
    /// The kind of an agreement.
    AgreementKind {
        /// Joining agreement.
        Tilslutningsaftale = "tilslutningsaftale",
        /// Cooperation agreement.
        Samarbejdsaftale = "samarbejdsaftale",
        /// Development agreement.
        Udviklingsaftale = "udviklingsaftale",
        /// Operations agreement.
        Driftsaftale = "driftsaftale",
        /// Supplier partner agreement.
        Leverandorpartneraftale = "leverandørpartneraftale",
        /// Anything else.
        Andet = "andet",
    }
}

vocabulary! {
    /// The status of an evaluation: kladde → i dialog → endelig → offentliggjort.
    EvaluationStatus {
        /// Draft, only the secretariat sees it.
        Kladde = "kladde",
        /// Shared with the product for dialogue.
        IDialog = "i dialog",
        /// Final: the official level is set.
        Endelig = "endelig",
        /// Published.
        Offentliggjort = "offentliggjort",
        /// Discarded: a draft (or one in dialogue) the secretariat set aside; kept in the
        /// history, never shown outside the secretariat.
        Kasseret = "kasseret",
    }
}

impl EvaluationStatus {
    /// Whether the status may move from `self` to `next`.
    pub fn may_become(self, next: EvaluationStatus) -> bool {
        use EvaluationStatus::*;
        matches!(
            (self, next),
            (Kladde, IDialog)
                | (IDialog, Kladde)
                | (Kladde, Endelig)
                | (IDialog, Endelig)
                | (Endelig, Offentliggjort)
                | (Kladde, Kasseret)
                | (IDialog, Kasseret)
        )
    }

    /// Whether the evaluation is open: a draft or in dialogue (one per product at a
    /// time).
    pub fn is_open(self) -> bool {
        self.is_editable()
    }

    /// Whether only the secretariat may see an evaluation in this status.
    pub fn is_secretariat_only(self) -> bool {
        matches!(self, EvaluationStatus::Kladde | EvaluationStatus::Kasseret)
    }

    /// Whether ratings may still change.
    pub fn is_editable(self) -> bool {
        matches!(self, EvaluationStatus::Kladde | EvaluationStatus::IDialog)
    }
}

vocabulary! {
    /// What a decision changes.
    DecisionKind {
        /// The official level.
        Niveau = "niveau",
        /// The stage.
        Stadie = "stadie",
        /// Admission into the portfolio.
        Optagelse = "optagelse",
        /// Anything else worth logging.
        Andet = "andet",
        /// The board's approval of a concept, a product or a steering group (`to` says
        /// which: `koncept`, `produkt`, `styregruppe`).
        Godkendelse = "godkendelse",
        /// The board has been informed ("orientering til bestyrelsen"), e.g. of a level 1
        /// project.
        Orientering = "orientering",
    }
}

vocabulary! {
    /// Who decided.
    DecidedBy {
        /// The secretariat.
        Sekretariat = "sekretariat",
        /// The board.
        Bestyrelse = "bestyrelse",
        /// The initiator of an idea (e.g. withdrawing it).
        Initiativtager = "initiativtager",
    }
}

vocabulary! {
    /// What the board is asked to decide (the kind of a board case, sagsoplæg).
    BoardCaseKind {
        /// Approve and prioritise a level 2 or 3 concept.
        Koncept = "koncept",
        /// Approve a product.
        Produkt = "produkt",
        /// Approve a steering group.
        Styregruppe = "styregruppe",
        /// An evaluation escalated to the board.
        Evaluering = "evaluering",
        /// Reconsider a project (progress or economy off course).
        Genovervejelse = "genovervejelse",
        /// Inform the board (a level 1 project or product).
        Orientering = "orientering",
    }
}

vocabulary! {
    /// The board's decision on a case.
    BoardOutcome {
        /// Approved (with a priority for a concept).
        Godkendt = "godkendt",
        /// Sent back through the idea process once more, with reasons.
        Tilbageloeb = "tilbageløb",
        /// Rejected.
        Afvist = "afvist",
        /// Noted (an orientation).
        TagetTilEfterretning = "taget til efterretning",
    }
}

vocabulary! {
    /// How a project is doing, as its progress report says.
    ProgressStatus {
        /// On track.
        PaaSporet = "på sporet",
        /// Late or at risk.
        Forsinket = "forsinket",
        /// Off course: time, economy or delivery cannot be met as planned.
        Kritisk = "kritisk",
    }
}

vocabulary! {
    /// Where a development wish (udviklingsønske) is on its way from raised to delivered.
    WishState {
        /// Raised, not yet looked at.
        Ny = "ny",
        /// The product group screens it against its criteria.
        Screening = "screening",
        /// Waiting for the supplier's solution description and estimate.
        AfventerLoesningsbeskrivelse = "afventer løsningsbeskrivelse",
        /// Described and estimated; the coordination group prioritises and decides.
        KlarTilPrioritering = "klar til prioritering",
        /// Ordered from the supplier.
        Bestilt = "bestilt hos leverandør",
        /// Being built.
        IGang = "i gang",
        /// Being tested.
        ITest = "i test",
        /// Delivered.
        Leveret = "leveret",
        /// Rejected.
        Afvist = "afvist",
        /// Parked for later.
        Parkeret = "parkeret",
    }
}

impl WishState {
    /// Whether the wish is still on its way (neither delivered nor rejected).
    pub fn is_open(self) -> bool {
        !matches!(self, WishState::Leveret | WishState::Afvist)
    }
}

vocabulary! {
    /// How urgent the person raising a wish finds it.
    WishPriority {
        /// Low.
        Lav = "lav",
        /// Medium.
        Middel = "middel",
        /// High (needs a reason).
        Hoej = "høj",
        /// Critical (needs a reason).
        Kritisk = "kritisk",
    }
}

vocabulary! {
    /// Who pays for a development wish.
    WishPayer {
        /// The requester pays (opgavestiller betaler).
        Opgavestiller = "opgavestiller",
        /// The community pays (fællesskabet betaler), possibly co-funded by pledges.
        Faellesskabet = "fællesskabet",
    }
}

vocabulary! {
    /// A screening criterion's rating, like a requirement's.
    ScreeningRating {
        /// Met.
        Groen = "grøn",
        /// Partly met.
        Gul = "gul",
        /// Not met.
        Roed = "rød",
    }
}

vocabulary! {
    /// The form a self-evaluation arrived in.
    SubmissionFormat {
        /// Niveau JSON.
        Json = "json",
        /// An OS2 Markdown report.
        Markdown = "markdown",
        /// OS2's form JSON.
        Formular = "formular",
    }
}

vocabulary! {
    /// The state of a background job or scan run.
    JobStatus {
        /// Waiting for a worker.
        Queued = "queued",
        /// Taken by a worker.
        Running = "running",
        /// Finished.
        Done = "done",
        /// Failed for good.
        Failed = "failed",
    }
}

vocabulary! {
    /// A user's role. Permissions are decided in one place in niveau-web.
    Role {
        /// Everything, including accounts.
        Admin = "admin",
        /// The secretariat: portfolio, evaluations, decisions.
        Sekretariat = "sekretariat",
        /// The board: decisions, reading everything.
        Bestyrelse = "bestyrelse",
        /// Edits named products and their self-evaluations.
        Produktredaktor = "produktredaktør",
        /// Reads everything, changes nothing.
        Laeser = "læser",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ActiveEnum;

    #[test]
    fn database_json_and_text_agree() {
        for stage in Stage::ALL {
            let json = serde_json::to_value(stage).unwrap();
            assert_eq!(json, serde_json::Value::String(stage.as_str().into()));
            assert_eq!(stage.to_value(), stage.as_str());
            assert_eq!(Stage::parse(stage.as_str()), Some(*stage));
        }
        assert_eq!(OrgKind::StatsligMyndighed.as_str(), "statslig myndighed");
        assert_eq!(Role::parse("produktredaktør"), Some(Role::Produktredaktor));
        assert_eq!(Role::parse("Admin"), None);
        assert_eq!(
            DecidedBy::expected(),
            "sekretariat, bestyrelse, initiativtager".to_string()
        );
    }

    #[test]
    fn evaluation_status_moves_forward_only_through_dialogue() {
        use EvaluationStatus::*;
        assert!(Kladde.may_become(IDialog));
        assert!(IDialog.may_become(Endelig));
        assert!(Endelig.may_become(Offentliggjort));
        assert!(!Endelig.may_become(Kladde));
        assert!(!Offentliggjort.may_become(Endelig));
        assert!(!Kladde.may_become(Offentliggjort));
        assert!(!Endelig.is_editable());
        assert!(Kladde.may_become(Kasseret));
        assert!(IDialog.may_become(Kasseret));
        assert!(!Endelig.may_become(Kasseret));
        assert!(!Kasseret.may_become(Kladde));
        assert!(!Kasseret.is_editable());
        assert!(Kasseret.is_secretariat_only());
    }
}
