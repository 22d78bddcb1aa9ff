//! The language of rendered documents: Danish by default, English on request.

use std::fmt;
use std::str::FromStr;

/// A user-interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// Danish (the default).
    #[default]
    Da,
    /// English.
    En,
}

impl Lang {
    /// Picks the Danish or English text.
    pub fn pick<'a>(self, da: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Da => da,
            Lang::En => en,
        }
    }

    /// A bilingual message in this language.
    pub fn msg(self, m: &niveau_model::Msg) -> &str {
        m.pick(self == Lang::En)
    }

    /// The BCP 47 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A language code that is neither Danish nor English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`; use da (dansk) or en (English)")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Accepts `da`, `dansk`, `en`, `english` and region variants such as `da-DK`, `en-GB`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        let primary = lower.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "da" | "dansk" | "danish" => Ok(Lang::Da),
            "en" | "english" | "engelsk" => Ok(Lang::En),
            _ => Err(UnknownLang(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        assert_eq!("da".parse::<Lang>(), Ok(Lang::Da));
        assert_eq!("en-GB".parse::<Lang>(), Ok(Lang::En));
        assert_eq!("DA_dk".parse::<Lang>(), Ok(Lang::Da));
        assert!("de".parse::<Lang>().is_err());
    }
}
