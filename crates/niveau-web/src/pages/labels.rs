//! What the pages call the portfolio's vocabularies, in Danish and English.
//!
//! The stored values are Danish (niveau-store's `types`); Danish pages show them with a
//! capital letter, English pages translate them here.

use niveau_report::Lang;
use niveau_store::types::{
    AgreementKind, DecidedBy, DecisionKind, GroupKind, GroupRole, OrgKind, ParticipantRole, Stage,
};

/// "Idé" / "Idea".
pub fn stage(stage: Stage, lang: Lang) -> &'static str {
    let (da, en) = match stage {
        Stage::Ide => ("Idé", "Idea"),
        Stage::Koncept => ("Koncept", "Concept"),
        Stage::Projekt => ("Projekt", "Project"),
        Stage::Produkt => ("Produkt", "Product"),
        Stage::Pauset => ("Pauset", "Paused"),
        Stage::Lukket => ("Lukket", "Closed"),
        Stage::Afvist => ("Afvist", "Rejected"),
    };
    lang.pick(da, en)
}

/// "Niveau 2" / "Level 2", "Sandkasse" / "Sandbox", "Ikke vurderet" / "Not assessed".
pub fn level(level: Option<&str>, lang: Lang) -> String {
    match level {
        None => lang.pick("Ikke vurderet", "Not assessed").to_owned(),
        Some("sandkasse") | Some("0") => lang.pick("Sandkasse", "Sandbox").to_owned(),
        Some(other) => format!("{} {other}", lang.pick("Niveau", "Level")),
    }
}

/// The CSS class of a level badge.
pub fn level_class(level: Option<&str>) -> &'static str {
    match level {
        None => "level-none",
        Some("sandkasse") | Some("0") => "level-sandkasse",
        Some("1") => "level-1",
        Some("2") => "level-2",
        Some("3") => "level-3",
        Some(_) => "level-none",
    }
}

/// "Kommune" / "Municipality".
pub fn org_kind(kind: OrgKind, lang: Lang) -> &'static str {
    let (da, en) = match kind {
        OrgKind::Kommune => ("Kommune", "Municipality"),
        OrgKind::Region => ("Region", "Region"),
        OrgKind::StatsligMyndighed => ("Statslig myndighed", "State authority"),
        OrgKind::Leverandor => ("Leverandør", "Supplier"),
        OrgKind::Forening => ("Forening", "Association"),
        OrgKind::Andet => ("Andet", "Other"),
    };
    lang.pick(da, en)
}

/// "Kommuner" / "Municipalities": a heading over organisations of one kind.
pub fn org_kind_plural(kind: OrgKind, lang: Lang) -> &'static str {
    let (da, en) = match kind {
        OrgKind::Kommune => ("Kommuner", "Municipalities"),
        OrgKind::Region => ("Regioner", "Regions"),
        OrgKind::StatsligMyndighed => ("Statslige myndigheder", "State authorities"),
        OrgKind::Leverandor => ("Leverandører", "Suppliers"),
        OrgKind::Forening => ("Foreninger", "Associations"),
        OrgKind::Andet => ("Andre", "Others"),
    };
    lang.pick(da, en)
}

/// "Anvender" / "User", and so on.
pub fn role(role: ParticipantRole, lang: Lang) -> String {
    let en = match role {
        ParticipantRole::Initiativtager => "Initiator",
        ParticipantRole::Anvender => "User",
        ParticipantRole::Udviklingsleverandor => "Development supplier",
        ParticipantRole::Driftsleverandor => "Operations supplier",
        ParticipantRole::Supportleverandor => "Support supplier",
        ParticipantRole::Hostingleverandor => "Hosting supplier",
        ParticipantRole::Reviewer => "Reviewer",
        ParticipantRole::Projektleder => "Project lead",
        ParticipantRole::Tovholder => "Coordinator",
        ParticipantRole::Produktejer => "Product owner",
    };
    match lang {
        Lang::En => en.to_owned(),
        Lang::Da => capitalise(role.as_str()),
    }
}

/// "formand" / "chair", in running text (lower case).
pub fn group_role(role: GroupRole, lang: Lang) -> &'static str {
    match lang {
        Lang::Da => role.as_str(),
        Lang::En => match role {
            GroupRole::Formand => "chair",
            GroupRole::Medlem => "member",
            GroupRole::Bestyrelsesrepraesentant => "board representative",
            GroupRole::Sekretaer => "secretary",
        },
    }
}

/// "Styregruppe" / "Steering group".
pub fn group_kind(kind: GroupKind, lang: Lang) -> &'static str {
    let (da, en) = match kind {
        GroupKind::Styregruppe => ("Styregruppe", "Steering group"),
        GroupKind::Koordinationsgruppe => ("Koordinationsgruppe", "Coordination group"),
        GroupKind::Arkitekturgruppe => ("Arkitekturgruppe", "Architecture group"),
        GroupKind::Faggruppe => ("Faggruppe", "Professional group"),
    };
    lang.pick(da, en)
}

/// "Tilslutningsaftale" / "Joining agreement".
pub fn agreement_kind(kind: AgreementKind, lang: Lang) -> &'static str {
    let (da, en) = match kind {
        AgreementKind::Tilslutningsaftale => ("Tilslutningsaftale", "Joining agreement"),
        AgreementKind::Samarbejdsaftale => ("Samarbejdsaftale", "Cooperation agreement"),
        AgreementKind::Udviklingsaftale => ("Udviklingsaftale", "Development agreement"),
        AgreementKind::Driftsaftale => ("Driftsaftale", "Operations agreement"),
        AgreementKind::Leverandorpartneraftale => {
            ("Leverandørpartneraftale", "Supplier partner agreement")
        }
        AgreementKind::Andet => ("Andet", "Other"),
    };
    lang.pick(da, en)
}

/// "Bestyrelse" / "Board".
pub fn decided_by(by: DecidedBy, lang: Lang) -> &'static str {
    let (da, en) = match by {
        DecidedBy::Sekretariat => ("Sekretariat", "Secretariat"),
        DecidedBy::Bestyrelse => ("Bestyrelse", "Board"),
        DecidedBy::Initiativtager => ("Initiativtager", "Initiator"),
    };
    lang.pick(da, en)
}

/// "Niveau" / "Level", "Stadie" / "Stage", "Optagelse" / "Admission", "Andet" / "Other".
pub fn decision_kind(kind: DecisionKind, lang: Lang) -> &'static str {
    let (da, en) = match kind {
        DecisionKind::Niveau => ("Niveau", "Level"),
        DecisionKind::Stadie => ("Stadie", "Stage"),
        DecisionKind::Optagelse => ("Optagelse", "Admission"),
        DecisionKind::Andet => ("Andet", "Other"),
        DecisionKind::Godkendelse => ("Godkendelse", "Approval"),
        DecisionKind::Orientering => ("Orientering", "Orientation"),
    };
    lang.pick(da, en)
}

/// A decision in one line: "Stadie: koncept → produkt", "Niveau (os2-1.1.0): – → 2".
pub fn decision(d: &niveau_store::entity::decision::Model, lang: Lang) -> String {
    // Stage values in the page's language; levels and other values as stored.
    let value = |v: Option<&str>| match (d.kind, v) {
        (_, None) => "–".to_owned(),
        (DecisionKind::Stadie, Some(v)) => match Stage::parse(v) {
            Some(s) if lang == Lang::En => stage(s, lang).to_lowercase(),
            _ => v.to_owned(),
        },
        (_, Some(v)) => v.to_owned(),
    };
    let from = value(d.from_value.as_deref());
    let to = value(d.to_value.as_deref());
    let kind = match d.kind {
        DecisionKind::Stadie => lang.pick("Stadie", "Stage").to_owned(),
        DecisionKind::Niveau => match &d.model_id {
            Some(model) => format!("{} ({model})", lang.pick("Niveau", "Level")),
            None => lang.pick("Niveau", "Level").to_owned(),
        },
        other => decision_kind(other, lang).to_owned(),
    };
    format!("{kind}: {from} → {to}")
}

/// An account's role: "Sekretariat" / "Secretariat", "Produktredaktør" / "Product editor".
pub fn account_role(role: niveau_store::types::Role, lang: Lang) -> &'static str {
    use niveau_store::types::Role;
    let (da, en) = match role {
        Role::Admin => ("Administrator", "Administrator"),
        Role::Sekretariat => ("Sekretariat", "Secretariat"),
        Role::Bestyrelse => ("Bestyrelse", "Board"),
        Role::Produktredaktor => ("Produktredaktør", "Product editor"),
        Role::Laeser => ("Læser", "Reader"),
    };
    lang.pick(da, en)
}

/// The first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An evaluation's status in the page's language; `None` is "not started".
pub fn evaluation_status(
    status: Option<niveau_store::types::EvaluationStatus>,
    lang: Lang,
) -> &'static str {
    use niveau_store::types::EvaluationStatus as S;
    match status {
        None => lang.pick("ikke påbegyndt", "not started"),
        Some(S::Kladde) => lang.pick("kladde", "draft"),
        Some(S::IDialog) => lang.pick("i dialog", "in dialogue"),
        Some(S::Endelig) => lang.pick("endelig", "final"),
        Some(S::Offentliggjort) => lang.pick("offentliggjort", "published"),
        Some(S::Kasseret) => lang.pick("kasseret", "discarded"),
    }
}

/// A moment for people: `2026-11-24 06:13 UTC` (the store keeps UTC).
pub fn date_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_in_both_languages() {
        assert_eq!(stage(Stage::Ide, Lang::Da), "Idé");
        assert_eq!(stage(Stage::Lukket, Lang::En), "Closed");
        assert_eq!(level(Some("2"), Lang::Da), "Niveau 2");
        assert_eq!(level(Some("sandkasse"), Lang::En), "Sandbox");
        assert_eq!(level(None, Lang::Da), "Ikke vurderet");
        assert_eq!(org_kind(OrgKind::Leverandor, Lang::Da), "Leverandør");
        assert_eq!(
            role(ParticipantRole::Udviklingsleverandor, Lang::Da),
            "Udviklingsleverandør"
        );
        assert_eq!(role(ParticipantRole::Anvender, Lang::En), "User");
        assert_eq!(capitalise("ærø"), "Ærø");
        assert_eq!(group_role(GroupRole::Formand, Lang::En), "chair");
        assert_eq!(group_role(GroupRole::Sekretaer, Lang::Da), "sekretær");
    }
}

/// How a project is doing: "På sporet" / "On track", "Forsinket" / "Delayed", "Kritisk" /
/// "Critical".
pub fn progress_status(status: niveau_store::types::ProgressStatus, lang: Lang) -> &'static str {
    use niveau_store::types::ProgressStatus;
    let (da, en) = match status {
        ProgressStatus::PaaSporet => ("På sporet", "On track"),
        ProgressStatus::Forsinket => ("Forsinket", "Delayed"),
        ProgressStatus::Kritisk => ("Kritisk", "Critical"),
    };
    lang.pick(da, en)
}

/// Whole kroner with thousands separators: `1.250.000 kr.` / `DKK 1,250,000`.
pub fn kroner(amount: i64, lang: Lang) -> String {
    let digits = amount.unsigned_abs().to_string();
    let sep = lang.pick(".", ",");
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push_str(sep);
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    match lang {
        Lang::Da => format!("{sign}{grouped} kr."),
        Lang::En => format!("DKK {sign}{grouped}"),
    }
}

#[cfg(test)]
mod money_tests {
    use super::*;

    #[test]
    fn kroner_are_grouped_in_each_language() {
        assert_eq!(kroner(1_250_000, Lang::Da), "1.250.000 kr.");
        assert_eq!(kroner(1_250_000, Lang::En), "DKK 1,250,000");
        assert_eq!(kroner(999, Lang::Da), "999 kr.");
        assert_eq!(kroner(-1000, Lang::Da), "-1.000 kr.");
        assert_eq!(kroner(0, Lang::En), "DKK 0");
    }
}
