//! Amounts in Danish kroner, as a person or a spreadsheet writes them, held in øre
//! (`i64`), never as floating point.
//!
//! [`parse_dkk`] reads what people write: `12500`, `12.500`, `12 500`, `12.500,50`,
//! `12500,5`, `12.500 kr.`, `kr. 12.500,-`, `DKK 12,500.50`, `12,500.50`, `12500.50`.
//! The rules:
//!
//! - a currency mark (`kr.`, `kr`, `DKK`) before or after the number, and a final `,-`
//!   or `.-` (Danish "no øre"), are dropped;
//! - a `.` or `,` followed by exactly one or two digits at the end is the decimal
//!   separator; when both `.` and `,` appear, the last one is the decimal separator and
//!   the other separates thousands (`12.500,50`, `12,500.50`);
//! - thousands are separated by `.`, `,` or spaces, in groups of exactly three digits
//!   (`1.250.000`, `1 250 000`, `1,250,000`);
//! - a single `.` followed by three digits separates thousands (`12.500` is 12 500 kr.,
//!   the Danish reading);
//! - a single `,` followed by three digits is refused: in Danish the comma is the
//!   decimal separator, so `12,500` reads as three decimals, which kroner do not have.
//!   Write `12.500` or `12500`. The one exception is the English form with `DKK` in
//!   front (`DKK 12,500`), which is what [`format_dkk`] writes in English;
//! - refused: empty text, negative amounts, more than two decimals, letters, misplaced
//!   separators and amounts above 1 000 000 000 kr. ([`MAX_ORE`]).

use niveau_model::Msg;

use crate::lang::Lang;

/// The largest amount accepted: 1 000 000 000 kr., in øre. Anything larger is a typing
/// error in a development wish, not a budget.
pub const MAX_ORE: i64 = 100_000_000_000;

/// How an amount is written, for error messages (Danish).
const ACCEPTED_DA: &str =
    "Skriv beløbet i kroner, fx 12500, 12.500, 12 500, 12.500,50 eller 12.500 kr.";
/// How an amount is written, for error messages (English).
const ACCEPTED_EN: &str =
    "Write the amount in Danish kroner, e.g. 12500, 12.500, 12 500, 12.500,50 or DKK 12,500.50.";

/// Why a text is not an amount. The English text is the `Display` text; [`AmountError::msg`]
/// gives both languages with what is accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    /// Nothing but spaces (or only a currency mark).
    #[error("no amount given")]
    Empty,
    /// A minus sign.
    #[error("«{0}» is negative; an amount is 0 or more")]
    Negative(String),
    /// More than two decimals (including `12,500`, read the Danish way).
    #[error("«{0}» has more than two decimals")]
    TooManyDecimals(String),
    /// Letters other than a currency mark.
    #[error("«{0}» contains letters")]
    Letters(String),
    /// A separator in a place where no way of writing numbers puts it.
    #[error("«{0}» has a separator in the wrong place")]
    Misplaced(String),
    /// A character that is neither a digit, a separator nor a space.
    #[error("«{0}» contains the character «{1}»")]
    Character(String, char),
    /// More than 1 000 000 000 kr.
    #[error("«{0}» is more than 1,000,000,000 kroner")]
    TooLarge(String),
}

impl AmountError {
    /// The error in Danish and English, with what is accepted.
    pub fn msg(&self) -> Msg {
        let (da, en) = match self {
            AmountError::Empty => (
                "der er intet beløb".to_owned(),
                "no amount given".to_owned(),
            ),
            AmountError::Negative(t) => (
                format!("«{t}» er negativt; et beløb er 0 kr. eller mere"),
                format!("«{t}» is negative; an amount is 0 or more"),
            ),
            AmountError::TooManyDecimals(t) => (
                format!(
                    "«{t}» har mere end to decimaler; komma er decimaltegn, så 12,500 læses som \
                     12 kroner med tre decimaler — mente du 12.500?"
                ),
                format!(
                    "«{t}» has more than two decimals; the comma is the Danish decimal \
                     separator, so 12,500 reads as twelve kroner and three decimals — did you \
                     mean 12.500 or 12500?"
                ),
            ),
            AmountError::Letters(t) => (
                format!("«{t}» indeholder bogstaver; kun kr. eller DKK må stå ved tallet"),
                format!("«{t}» contains letters; only kr. or DKK may stand by the number"),
            ),
            AmountError::Misplaced(t) => (
                format!(
                    "«{t}» har punktum, komma eller mellemrum et forkert sted; tusinder \
                     skrives i grupper på tre cifre"
                ),
                format!(
                    "«{t}» has a dot, comma or space in the wrong place; thousands are \
                     written in groups of three digits"
                ),
            ),
            AmountError::Character(t, c) => (
                format!("«{t}» indeholder tegnet «{c}»"),
                format!("«{t}» contains the character «{c}»"),
            ),
            AmountError::TooLarge(t) => (
                format!("«{t}» er mere end 1.000.000.000 kr."),
                format!("«{t}» is more than DKK 1,000,000,000"),
            ),
        };
        Msg::new(
            format!("{da}. {ACCEPTED_DA}"),
            format!("{en}. {ACCEPTED_EN}"),
        )
    }
}

/// The text as shown in an error message: at most 40 characters.
fn shown(text: &str) -> String {
    let t = text.trim();
    if t.chars().count() > 40 {
        let mut s: String = t.chars().take(40).collect();
        s.push('…');
        s
    } else {
        t.to_owned()
    }
}

/// Spaces that spreadsheets and word processors put between groups of thousands.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Strips `prefix` (ASCII, lower case) from the start of `t`, ignoring case.
fn strip_prefix_ci<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let head = t.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &t[prefix.len()..])
}

/// Strips `suffix` (ASCII, lower case) from the end of `t`, ignoring case.
fn strip_suffix_ci<'a>(t: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = t.len().checked_sub(suffix.len())?;
    let tail = t.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &t[..cut])
}

/// Trims ordinary and non-breaking spaces.
fn trim(t: &str) -> &str {
    t.trim_matches(|c: char| c.is_whitespace() || is_space(c))
}

/// Parses an amount in Danish kroner into øre; see the [module documentation](self) for
/// what is accepted and what is refused.
pub fn parse_dkk(text: &str) -> Result<i64, AmountError> {
    let original = shown(text);
    let mut t = trim(text);
    if t.starts_with(['-', '−']) {
        return Err(AmountError::Negative(original));
    }
    // The currency mark: at most one before and one after the number.
    let mut english = false;
    for prefix in ["dkk", "kr.", "kr"] {
        if let Some(rest) = strip_prefix_ci(t, prefix) {
            english = prefix == "dkk";
            t = trim(rest);
            break;
        }
    }
    for suffix in ["dkk", "kr.", "kr"] {
        if let Some(rest) = strip_suffix_ci(t, suffix) {
            t = trim(rest);
            break;
        }
    }
    for suffix in [",-", ".-"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = trim(rest);
            break;
        }
    }
    if t.is_empty() {
        return Err(AmountError::Empty);
    }
    if t.starts_with(['-', '−']) {
        return Err(AmountError::Negative(original));
    }
    if t.chars().any(char::is_alphabetic) {
        return Err(AmountError::Letters(original));
    }
    if let Some(c) = t
        .chars()
        .find(|&c| !(c.is_ascii_digit() || c == '.' || c == ',' || is_space(c)))
    {
        return Err(AmountError::Character(original, c));
    }

    // Which separator, if any, is the decimal one.
    let last_sep = t.rfind(['.', ',']);
    let (int_part, frac_part) = match last_sep {
        None => (t, ""),
        Some(i) => {
            let sep = &t[i..i + 1];
            let after = &t[i + 1..];
            let dots = t.matches('.').count();
            let commas = t.matches(',').count();
            let both = dots > 0 && commas > 0;
            let this_count = if sep == "." { dots } else { commas };
            if after.chars().any(is_space) {
                return Err(AmountError::Misplaced(original));
            }
            if both {
                // The last separator is the decimal one and occurs once.
                if this_count > 1 || after.is_empty() {
                    return Err(AmountError::Misplaced(original));
                }
                if after.len() > 2 {
                    return Err(AmountError::TooManyDecimals(original));
                }
                (&t[..i], after)
            } else if this_count > 1 {
                // Only thousands separators.
                (t, "")
            } else {
                match after.len() {
                    0 => return Err(AmountError::Misplaced(original)),
                    1 | 2 => (&t[..i], after),
                    3 if sep == "." || english => (t, ""),
                    _ => return Err(AmountError::TooManyDecimals(original)),
                }
            }
        }
    };

    // The integer part: digits, possibly in groups of three after the first.
    let thousands: Vec<char> = int_part.chars().filter(|&c| !c.is_ascii_digit()).collect();
    let group_char = thousands.first().copied();
    if thousands
        .iter()
        .any(|&c| Some(c) != group_char && !(is_space(c) && group_char.is_some_and(is_space)))
    {
        return Err(AmountError::Misplaced(original));
    }
    let groups: Vec<&str> = if group_char.is_some() {
        int_part.split(|c: char| !c.is_ascii_digit()).collect()
    } else {
        vec![int_part]
    };
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return Err(AmountError::Misplaced(original));
        }
    }
    if groups.iter().all(|g| g.is_empty()) {
        return Err(AmountError::Misplaced(original));
    }

    let mut kroner: i64 = 0;
    for c in groups.iter().flat_map(|g| g.chars()) {
        let d = i64::from(c.to_digit(10).unwrap_or(0));
        kroner = kroner
            .checked_mul(10)
            .and_then(|k| k.checked_add(d))
            .filter(|&k| k <= MAX_ORE / 100)
            .ok_or_else(|| AmountError::TooLarge(original.clone()))?;
    }
    let ore_part: i64 = match frac_part.len() {
        0 => 0,
        1 => i64::from(frac_part.as_bytes()[0] - b'0') * 10,
        _ => {
            i64::from(frac_part.as_bytes()[0] - b'0') * 10
                + i64::from(frac_part.as_bytes()[1] - b'0')
        }
    };
    let ore = kroner * 100 + ore_part;
    if ore > MAX_ORE {
        return Err(AmountError::TooLarge(original));
    }
    Ok(ore)
}

/// An amount in øre as people read it: Danish `12.500 kr.` / `12.500,50 kr.`, English
/// `DKK 12,500` / `DKK 12,500.50`. Øre are shown only when there are any. [`parse_dkk`]
/// reads both forms back.
pub fn format_dkk(ore: i64, lang: Lang) -> String {
    match lang {
        Lang::Da => niveau_model::money::kroner_da(ore),
        Lang::En => niveau_model::money::kroner_en(ore),
    }
}

/// An amount in øre as a plain number in kroner for a spreadsheet: `12500`, or
/// `12500,50` with a decimal comma when there are øre. [`parse_dkk`] reads it back.
pub fn plain_kr(ore: i64) -> String {
    let sign = if ore < 0 { "-" } else { "" };
    let abs = ore.unsigned_abs();
    let (kroner, rest) = (abs / 100, abs % 100);
    if rest == 0 {
        format!("{sign}{kroner}")
    } else {
        format!("{sign}{kroner},{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_what_people_and_spreadsheets_write() {
        for (text, ore) in [
            ("12500", 1_250_000),
            ("12.500", 1_250_000),
            ("12 500", 1_250_000),
            ("12\u{a0}500", 1_250_000),
            ("12.500,50", 1_250_050),
            ("12500,5", 1_250_050),
            ("12500,05", 1_250_005),
            ("12.500 kr.", 1_250_000),
            ("12.500 kr", 1_250_000),
            ("12.500 KR.", 1_250_000),
            ("kr. 12.500,-", 1_250_000),
            ("12.500,- kr.", 1_250_000),
            ("DKK 12,500.50", 1_250_050),
            ("DKK 12,500", 1_250_000),
            ("dkk 1,250,000", 125_000_000),
            ("12500 DKK", 1_250_000),
            ("12,500.50", 1_250_050),
            ("12500.50", 1_250_050),
            ("12500.5", 1_250_050),
            ("1.250.000", 125_000_000),
            ("1,250,000", 125_000_000),
            ("1 250 000,00", 125_000_000),
            ("1.250.000,75", 125_000_075),
            ("0", 0),
            ("0,50", 50),
            ("  450  ", 45_000),
            ("1.000.000.000", MAX_ORE),
            ("1000000000,00", MAX_ORE),
        ] {
            assert_eq!(parse_dkk(text), Ok(ore), "{text:?}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        for (text, kind) in [
            ("", "empty"),
            ("   ", "empty"),
            ("kr.", "empty"),
            ("-12", "negative"),
            ("kr. -12", "negative"),
            ("−12", "negative"),
            ("12,500", "decimals"),
            ("12,505", "decimals"),
            ("12.500,505", "decimals"),
            ("12,5055", "decimals"),
            ("12.5055", "decimals"),
            ("12 tusind", "letters"),
            ("ca. 12000", "letters"),
            ("12k", "letters"),
            ("EUR 12", "letters"),
            ("12.", "misplaced"),
            ("12,", "misplaced"),
            ("1.2.3", "misplaced"),
            ("12.50.000", "misplaced"),
            ("1.000,000,00", "misplaced"),
            ("12,500.500", "decimals"),
            ("1 2", "misplaced"),
            ("12,5 0", "misplaced"),
            (".", "misplaced"),
            (",50", "misplaced"),
            ("1.000 000", "misplaced"),
            ("12$", "character"),
            ("+12", "character"),
            ("1e5", "letters"),
            ("1.000.000.001", "large"),
            ("1000000000,01", "large"),
            ("99999999999999999999999", "large"),
        ] {
            let err = parse_dkk(text).unwrap_err();
            let got = match err {
                AmountError::Empty => "empty",
                AmountError::Negative(_) => "negative",
                AmountError::TooManyDecimals(_) => "decimals",
                AmountError::Letters(_) => "letters",
                AmountError::Misplaced(_) => "misplaced",
                AmountError::Character(..) => "character",
                AmountError::TooLarge(_) => "large",
            };
            assert_eq!(got, kind, "{text:?}: {err:?}");
            let m = err.msg();
            assert!(m.da.contains("12.500"), "{m:?}");
            assert!(m.en.contains("DKK 12,500.50"), "{m:?}");
        }
    }

    #[test]
    fn the_danish_comma_is_explained() {
        let m = parse_dkk("12,500").unwrap_err().msg();
        assert!(m.da.contains("mere end to decimaler"), "{}", m.da);
        assert!(m.da.contains("mente du 12.500?"), "{}", m.da);
        assert!(m.en.contains("more than two decimals"), "{}", m.en);
    }

    #[test]
    fn formats_in_both_languages() {
        assert_eq!(format_dkk(1_250_000, Lang::Da), "12.500 kr.");
        assert_eq!(format_dkk(1_250_050, Lang::Da), "12.500,50 kr.");
        assert_eq!(format_dkk(1_250_000, Lang::En), "DKK 12,500");
        assert_eq!(format_dkk(1_250_050, Lang::En), "DKK 12,500.50");
        assert_eq!(format_dkk(5, Lang::Da), "0,05 kr.");
        assert_eq!(format_dkk(0, Lang::En), "DKK 0");
        assert_eq!(format_dkk(MAX_ORE, Lang::Da), "1.000.000.000 kr.");
        assert_eq!(format_dkk(99_900, Lang::Da), "999 kr.");
        assert_eq!(format_dkk(100_000, Lang::En), "DKK 1,000");
        assert_eq!(plain_kr(1_250_000), "12500");
        assert_eq!(plain_kr(1_250_050), "12500,50");
        assert_eq!(plain_kr(7), "0,07");
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(ore in 0i64..=MAX_ORE) {
            prop_assert_eq!(parse_dkk(&format_dkk(ore, Lang::Da)), Ok(ore));
            prop_assert_eq!(parse_dkk(&format_dkk(ore, Lang::En)), Ok(ore));
            prop_assert_eq!(parse_dkk(&plain_kr(ore)), Ok(ore));
        }

        #[test]
        fn never_panics(text in any::<String>()) {
            let _ = parse_dkk(&text);
        }

        #[test]
        fn never_panics_on_number_like_text(text in "[0-9 .,\u{a0}krDK-]{0,24}") {
            if let Ok(ore) = parse_dkk(&text) {
                prop_assert!((0..=MAX_ORE).contains(&ore));
            }
        }
    }
}
