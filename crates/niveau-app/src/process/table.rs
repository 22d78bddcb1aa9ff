//! The process table (models/product-process.toml): transitions as data, read once.

use std::sync::OnceLock;

use niveau_model::Msg;
use niveau_store::types::{DecidedBy, Stage};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;

/// The built-in table, as written.
const BUILTIN: &str = include_str!("../../../../models/product-process.toml");

/// Where a transition leads: a stage, or the stage before the pause (`tidligere`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A stage.
    Stage(Stage),
    /// The stage the product had before it was paused (`tidligere`).
    Previous,
}

impl Serialize for Target {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Target::Stage(stage) => s.serialize_str(stage.as_str()),
            Target::Previous => s.serialize_str("tidligere"),
        }
    }
}

/// A condition of a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// The product is placed on a level (its target level is set).
    Level,
    /// At level 2 or 3, reaching projekt or produkt: the board has approved the concept
    /// or the product after the last tilbageløb.
    BoardApproval,
    /// At level 2 or 3 only the board takes the step.
    BoardDecides,
    /// At least one organisation uses the product (a participant `anvender`).
    UserOrganisation,
    /// The basis states the reasons.
    Reasons,
}

/// One transition of the process.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Transition {
    /// Stable id (`igangsaet`).
    pub id: String,
    /// Its name in Danish and English.
    #[schema(value_type = Object)]
    pub name: Msg,
    /// The stages it starts from.
    #[schema(value_type = Vec<String>)]
    pub from: Vec<Stage>,
    /// Where it leads: a stage, or `tidligere` (the stage before the pause).
    #[schema(value_type = String)]
    pub to: Target,
    /// Who may decide it.
    #[schema(value_type = Vec<String>)]
    pub by: Vec<DecidedBy>,
    /// Its conditions.
    pub needs: Vec<Need>,
}

/// The product process.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProcessTable {
    /// Table id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Where the rules come from.
    pub source: String,
    /// The transitions, in the table's order.
    pub transitions: Vec<Transition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    id: String,
    name: String,
    source: String,
    transition: Vec<RawTransition>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransition {
    id: String,
    name: String,
    name_en: String,
    from: Vec<String>,
    to: String,
    by: Vec<String>,
    needs: Vec<Need>,
}

/// A table that does not read: where and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.en)]
pub struct TableError(pub Msg);

fn stage(text: &str, place: &str) -> Result<Stage, TableError> {
    Stage::parse(text).ok_or_else(|| {
        TableError(Msg::new(
            format!(
                "{place}: '{text}' er ikke et stadie; mulige: {}",
                Stage::expected()
            ),
            format!(
                "{place}: '{text}' is not a stage; possible: {}",
                Stage::expected()
            ),
        ))
    })
}

impl ProcessTable {
    /// Read a table from TOML; errors name the line or the transition and field.
    pub fn parse(text: &str) -> Result<ProcessTable, TableError> {
        let raw: RawTable = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].lines().count().max(1))
                .unwrap_or(0);
            TableError(Msg::new(
                format!("linje {line}: {}", e.message()),
                format!("line {line}: {}", e.message()),
            ))
        })?;
        let mut transitions: Vec<Transition> = Vec::new();
        for (i, t) in raw.transition.into_iter().enumerate() {
            let place = format!("transition[{i}] ({})", t.id);
            if transitions.iter().any(|o| o.id == t.id) {
                return Err(TableError(Msg::new(
                    format!("{place}: id'et findes allerede"),
                    format!("{place}: the id is taken"),
                )));
            }
            let from = t
                .from
                .iter()
                .map(|s| stage(s, &format!("{place}.from")))
                .collect::<Result<Vec<_>, _>>()?;
            let to = if t.to == "tidligere" {
                Target::Previous
            } else {
                Target::Stage(stage(&t.to, &format!("{place}.to"))?)
            };
            let by =
                t.by.iter()
                    .map(|b| {
                        DecidedBy::parse(b).ok_or_else(|| {
                            TableError(Msg::new(
                                format!(
                                    "{place}.by: '{b}' er ikke en beslutningstager; mulige: {}",
                                    DecidedBy::expected()
                                ),
                                format!(
                                    "{place}.by: '{b}' is not a decider; possible: {}",
                                    DecidedBy::expected()
                                ),
                            ))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
            if from.is_empty() || by.is_empty() {
                return Err(TableError(Msg::new(
                    format!("{place}: from og by må ikke være tomme"),
                    format!("{place}: from and by must not be empty"),
                )));
            }
            transitions.push(Transition {
                id: t.id,
                name: Msg::new(t.name, t.name_en),
                from,
                to,
                by,
                needs: t.needs,
            });
        }
        Ok(ProcessTable {
            id: raw.id,
            name: raw.name,
            source: raw.source,
            transitions,
        })
    }

    /// The transition `id`.
    pub fn get(&self, id: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.id == id)
    }
}

/// The built-in process table, read once.
pub fn builtin() -> Result<&'static ProcessTable, AppError> {
    static TABLE: OnceLock<Result<ProcessTable, String>> = OnceLock::new();
    TABLE
        .get_or_init(|| ProcessTable::parse(BUILTIN).map_err(|e| e.0.en))
        .as_ref()
        .map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_builtin_table_reads() {
        let table = ProcessTable::parse(BUILTIN).unwrap();
        assert_eq!(table.id, "os2-produktproces");
        let start = table.get("igangsaet").unwrap();
        assert_eq!(start.from, vec![Stage::Koncept]);
        assert_eq!(start.to, Target::Stage(Stage::Projekt));
        assert_eq!(start.needs, vec![Need::Level, Need::BoardApproval]);
        assert_eq!(table.get("genoptag").unwrap().to, Target::Previous);
    }

    #[test]
    fn a_bad_table_names_the_place() {
        let err = ProcessTable::parse(
            "id = \"x\"\nname = \"x\"\nsource = \"x\"\n[[transition]]\nid = \"a\"\nname = \"A\"\nname_en = \"A\"\nfrom = [\"idé\"]\nto = \"færdig\"\nby = [\"sekretariat\"]\nneeds = []\n",
        )
        .unwrap_err();
        assert_eq!(
            err.0.en,
            "transition[0] (a).to: 'færdig' is not a stage; possible: idé, koncept, projekt, produkt, pauset, lukket, afvist"
        );
        let err = ProcessTable::parse("id = \"x\"\nname = 3\n").unwrap_err();
        assert!(err.0.da.starts_with("linje 2:"), "{}", err.0.da);
        let err = ProcessTable::parse(
            "id = \"x\"\nname = \"x\"\nsource = \"x\"\n[[transition]]\nid = \"a\"\nname = \"A\"\nname_en = \"A\"\nfrom = [\"idé\"]\nto = \"koncept\"\nby = [\"sekretariat\"]\nneeds = [\"luck\"]\n",
        )
        .unwrap_err();
        assert!(err.0.en.starts_with("line 11:"), "{}", err.0.en);
    }
}
