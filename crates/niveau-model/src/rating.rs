//! The secretariat's judgment of a requirement (vurdering): 🟢 🟡 🔴 ⚪.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::RequirementId;

/// A rating of one requirement. Kept apart from the product's own answer
/// ([`crate::answer::AnswerValue`]): a rating is the secretariat's judgment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// 🟢 Grøn: met.
    Green,
    /// 🟡 Gul: partly met.
    Yellow,
    /// 🔴 Rød: not met.
    Red,
    /// ⚪ Grå: not relevant; counts as met only with an explanation (follow-or-explain).
    Grey,
}

impl Rating {
    /// All ratings in the order OS2's tables print them: 🟢 🟡 🔴 ⚪.
    pub const ALL: [Rating; 4] = [Rating::Green, Rating::Yellow, Rating::Red, Rating::Grey];

    /// The traffic-light symbol OS2's reports use.
    pub fn symbol(self) -> &'static str {
        match self {
            Rating::Green => "🟢",
            Rating::Yellow => "🟡",
            Rating::Red => "🔴",
            Rating::Grey => "⚪",
        }
    }

    /// The Danish name (Grøn, Gul, Rød, Grå).
    pub fn label_da(self) -> &'static str {
        match self {
            Rating::Green => "Grøn",
            Rating::Yellow => "Gul",
            Rating::Red => "Rød",
            Rating::Grey => "Grå",
        }
    }

    /// The English name.
    pub fn label_en(self) -> &'static str {
        match self {
            Rating::Green => "Green",
            Rating::Yellow => "Yellow",
            Rating::Red => "Red",
            Rating::Grey => "Grey",
        }
    }

    /// Reads a rating from its symbol or name in Danish or English (case-insensitive).
    /// Returns `None` for anything else, including OS2's unfilled placeholder
    /// `🟢 / 🟡 / 🔴 / ⚪`.
    pub fn parse(text: &str) -> Option<Rating> {
        let t = text
            .trim()
            .trim_matches(|c: char| c == '*' || c == '_')
            .trim();
        let lower = t.to_lowercase();
        let rating = match lower.as_str() {
            "🟢" | "grøn" | "groen" | "green" => Rating::Green,
            "🟡" | "gul" | "yellow" => Rating::Yellow,
            "🔴" | "rød" | "roed" | "red" => Rating::Red,
            "⚪" | "⚪️" | "grå" | "graa" | "grey" | "gray" => Rating::Grey,
            _ => {
                // "🟢 Grøn" or "🟢 Opfyldt": exactly one symbol among other words.
                let mut present = Rating::ALL.iter().filter(|r| t.contains(r.symbol()));
                return match (present.next(), present.next()) {
                    (Some(&r), None) => Some(r),
                    _ => None,
                };
            }
        };
        Some(rating)
    }

    /// The lowercase English id used in JSON and TOML (`green`, `yellow`, `red`, `grey`).
    pub fn as_id(self) -> &'static str {
        match self {
            Rating::Green => "green",
            Rating::Yellow => "yellow",
            Rating::Red => "red",
            Rating::Grey => "grey",
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.symbol(), self.label_da())
    }
}

/// A rating with its basis (vurderingsgrundlag). For a Grey rating the basis is the
/// follow-or-explain explanation: without it, Grey does not count as met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rated {
    /// The rating.
    pub rating: Rating,
    /// The basis or explanation; empty or whitespace counts as none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

impl Rated {
    /// A rating without a basis.
    pub fn new(rating: Rating) -> Self {
        Rated {
            rating,
            basis: None,
        }
    }

    /// A rating with a basis.
    pub fn with_basis(rating: Rating, basis: impl Into<String>) -> Self {
        Rated {
            rating,
            basis: Some(basis.into()),
        }
    }

    /// Whether a non-blank basis is present.
    pub fn is_explained(&self) -> bool {
        self.basis.as_deref().is_some_and(|b| !b.trim().is_empty())
    }

    /// Whether this rating counts as met for the level rule: Green, or Grey with an
    /// explanation.
    pub fn counts_as_met(&self) -> bool {
        match self.rating {
            Rating::Green => true,
            Rating::Grey => self.is_explained(),
            Rating::Yellow | Rating::Red => false,
        }
    }
}

/// Ratings of a model's requirements, by requirement id. A requirement without an entry
/// is not rated yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Ratings(BTreeMap<RequirementId, Rated>);

impl Ratings {
    /// No ratings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets (or replaces) the rating of a requirement.
    pub fn set(&mut self, id: impl Into<RequirementId>, rated: Rated) {
        self.0.insert(id.into(), rated);
    }

    /// Removes the rating of a requirement.
    pub fn remove(&mut self, id: &str) -> Option<Rated> {
        self.0.remove(id)
    }

    /// The rating of a requirement, if rated.
    pub fn get(&self, id: &str) -> Option<&Rated> {
        self.0.get(id)
    }

    /// A mutable reference to the rating of a requirement, if rated.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Rated> {
        self.0.get_mut(id)
    }

    /// All ratings in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&RequirementId, &Rated)> {
        self.0.iter()
    }

    /// Number of rated requirements.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is rated.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(RequirementId, Rated)> for Ratings {
    fn from_iter<T: IntoIterator<Item = (RequirementId, Rated)>>(iter: T) -> Self {
        Ratings(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_symbols_and_words() {
        assert_eq!(Rating::parse("🟢"), Some(Rating::Green));
        assert_eq!(Rating::parse(" Gul "), Some(Rating::Yellow));
        assert_eq!(Rating::parse("RØD"), Some(Rating::Red));
        assert_eq!(Rating::parse("⚪"), Some(Rating::Grey));
        assert_eq!(Rating::parse("🟢 Grøn"), Some(Rating::Green));
        assert_eq!(Rating::parse("🟢 / 🟡 / 🔴 / ⚪"), None);
        assert_eq!(Rating::parse(""), None);
        assert_eq!(Rating::parse("måske"), None);
    }

    #[test]
    fn grey_counts_only_with_explanation() {
        assert!(!Rated::new(Rating::Grey).counts_as_met());
        assert!(!Rated::with_basis(Rating::Grey, "  ").counts_as_met());
        assert!(Rated::with_basis(Rating::Grey, "Ikke relevant: intern løsning").counts_as_met());
        assert!(Rated::new(Rating::Green).counts_as_met());
        assert!(!Rated::with_basis(Rating::Yellow, "delvist").counts_as_met());
    }
}
