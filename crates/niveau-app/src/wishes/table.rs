//! The wish process (models/wish-process.toml): which state may follow which and what must
//! be in place first, as data, read once.

use std::sync::OnceLock;

use niveau_model::Msg;
use niveau_store::types::WishState;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The built-in table, as written.
const BUILTIN: &str = include_str!("../../../../models/wish-process.toml");

/// What must be in place before a transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Every screening criterion of the product is rated.
    Screening,
    /// The supplier's solution description is attached.
    Estimate,
    /// The coordination group has decided who pays.
    Decision,
    /// The co-funding target, if any, is reached.
    Funded,
    /// The person gives a reason.
    Reason,
}

/// One transition.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Transition {
    /// Stable name (`order`).
    pub name: String,
    /// The states it leaves from.
    pub from: Vec<WishState>,
    /// The state it enters.
    pub to: WishState,
    /// What must be in place first.
    pub needs: Vec<Need>,
}

/// The wish process.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WishTable {
    /// The transitions, in the table's order.
    pub transitions: Vec<Transition>,
    /// The screening criteria of a product that has set none.
    pub default_criteria: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    transition: Vec<RawTransition>,
    screening: RawScreening,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTransition {
    name: String,
    from: Vec<String>,
    to: String,
    #[serde(default)]
    needs: Vec<Need>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScreening {
    default_criteria: Vec<String>,
}

/// A table that does not read: where and why, in both languages.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.en)]
pub struct TableError(pub Msg);

fn state(text: &str, place: &str) -> Result<WishState, TableError> {
    WishState::parse(text).ok_or_else(|| {
        TableError(Msg::new(
            format!(
                "{place}: '{text}' er ikke en status; mulige: {}",
                WishState::expected()
            ),
            format!(
                "{place}: '{text}' is not a state; possible: {}",
                WishState::expected()
            ),
        ))
    })
}

impl WishTable {
    /// Read a table from TOML; errors name the line or the transition and field.
    pub fn parse(text: &str) -> Result<WishTable, TableError> {
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
        let mut transitions = Vec::with_capacity(raw.transition.len());
        for (i, t) in raw.transition.into_iter().enumerate() {
            let place = format!("transition[{i}] ({})", t.name);
            let from = t
                .from
                .iter()
                .map(|f| state(f, &format!("{place}.from")))
                .collect::<Result<Vec<_>, _>>()?;
            let to = state(&t.to, &format!("{place}.to"))?;
            if transitions
                .iter()
                .any(|x: &Transition| x.to == to && x.from.iter().any(|f| from.contains(f)))
            {
                return Err(TableError(Msg::new(
                    format!("{place}: en anden overgang fører allerede fra samme status til {to}"),
                    format!(
                        "{place}: another transition already leads from the same state to {to}"
                    ),
                )));
            }
            transitions.push(Transition {
                name: t.name,
                from,
                to,
                needs: t.needs,
            });
        }
        Ok(WishTable {
            transitions,
            default_criteria: raw.screening.default_criteria,
        })
    }

    /// The transition from `from` to `to`, if the table has one.
    pub fn find(&self, from: WishState, to: WishState) -> Option<&Transition> {
        self.transitions
            .iter()
            .find(|t| t.to == to && t.from.contains(&from))
    }

    /// The transitions that leave `from`.
    pub fn from(&self, from: WishState) -> impl Iterator<Item = &Transition> {
        self.transitions
            .iter()
            .filter(move |t| t.from.contains(&from))
    }
}

/// The built-in table (read once; a broken built-in table is a build error, caught by the
/// tests, so this falls back to an empty table instead of panicking).
pub fn builtin() -> &'static WishTable {
    static TABLE: OnceLock<WishTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        WishTable::parse(BUILTIN).unwrap_or_else(|e| {
            tracing::error!(error = %e, "the built-in wish process does not read");
            WishTable {
                transitions: Vec::new(),
                default_criteria: Vec::new(),
            }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_table_reads_and_leads_to_delivery() {
        let t = WishTable::parse(BUILTIN).unwrap();
        assert_eq!(t.transitions.len(), 10);
        assert_eq!(t.default_criteria.len(), 4);
        let order = t
            .find(WishState::KlarTilPrioritering, WishState::Bestilt)
            .unwrap();
        assert_eq!(
            order.needs,
            vec![Need::Estimate, Need::Decision, Need::Funded]
        );
        assert!(t.find(WishState::Ny, WishState::Leveret).is_none());
        assert!(t.find(WishState::Leveret, WishState::Afvist).is_none());
        // Every state but the end states can be left.
        for s in WishState::ALL {
            assert_eq!(t.from(*s).next().is_some(), s.is_open(), "{s}");
        }
    }

    #[test]
    fn a_bad_table_names_the_place() {
        let e = WishTable::parse(
            "[[transition]]\nname = \"x\"\nfrom = [\"ny\"]\nto = \"færdig\"\n[screening]\ndefault_criteria = []\n",
        )
        .unwrap_err();
        assert!(
            e.0.da.contains("transition[0] (x).to: 'færdig'"),
            "{}",
            e.0.da
        );
        let e = WishTable::parse("[[transition]]\nname = 1\n").unwrap_err();
        assert!(e.0.en.starts_with("line 2:"), "{}", e.0.en);
    }
}
