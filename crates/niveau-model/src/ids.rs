//! Identifier newtypes, so that a requirement id is never confused with a level id.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a string as this kind of identifier, exactly as given.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }
    };
}

id_type!(
    /// The id of a governance model, such as `os2-1.1.0`.
    ModelId
);
id_type!(
    /// The id of a requirement within its model, such as `R1`, `F7` or `G10`.
    ///
    /// Requirement ids are compared exactly; use [`normalise_requirement_id`] on text from
    /// a document before looking it up.
    RequirementId
);
id_type!(
    /// The id of a level within its model, such as `sandkasse`, `1`, `2` or `3`.
    LevelId
);
id_type!(
    /// The id of a theme within its model, such as `relevans` or `formkrav`.
    ThemeId
);

/// Normalises requirement-id text as people write it (`" f7 "`, `"F07"`, `"**G10**"`)
/// into the canonical form used by the built-in models (`F7`, `G10`): trimmed, markup
/// stars and underscores removed, upper-case letters, leading zeros of the number dropped.
pub fn normalise_requirement_id(text: &str) -> String {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`'))
        .collect::<String>()
        .trim()
        .to_uppercase();
    let split = cleaned
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i);
    match split {
        Some(i) if i > 0 && cleaned[i..].chars().all(|c| c.is_ascii_digit()) => {
            let (prefix, digits) = cleaned.split_at(i);
            let trimmed = digits.trim_start_matches('0');
            let digits = if trimmed.is_empty() { "0" } else { trimmed };
            format!("{prefix}{digits}")
        }
        _ => cleaned,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_common_spellings() {
        assert_eq!(normalise_requirement_id(" f7 "), "F7");
        assert_eq!(normalise_requirement_id("F07"), "F7");
        assert_eq!(normalise_requirement_id("**G10**"), "G10");
        assert_eq!(normalise_requirement_id("R0"), "R0");
        assert_eq!(normalise_requirement_id("x"), "X");
        assert_eq!(normalise_requirement_id(""), "");
        assert_eq!(normalise_requirement_id("12"), "12");
    }
}
