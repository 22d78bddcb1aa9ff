//! The product's own claim about a requirement (efterlevet?): Ja, Nej, Planlagt, …

use std::fmt;

use serde::{Deserialize, Serialize};

/// A self-evaluation answer, normalised. The original text is kept next to it in
/// [`crate::evaluation::Answer`]; free values that are not one of OS2's five answers are
/// kept as [`AnswerValue::Other`] rather than guessed at.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "text")]
pub enum AnswerValue {
    /// "Ja", a ticked box, ✅.
    Yes,
    /// "Nej", an empty box in a filled report, ❌.
    No,
    /// "Planlagt".
    Planned,
    /// "Delvist" (partly met): "delvis", "delvist opfyldt", "partly", "partially".
    Partly,
    /// "Ikke relevant", ➖.
    NotRelevant,
    /// "Ved ikke", ❓.
    DontKnow,
    /// Nothing written, or a placeholder such as `[Ikke udfyldt]`.
    Unanswered,
    /// Any other value, e.g. "I gang", kept as written (trimmed).
    Other(String),
}

impl AnswerValue {
    /// Whether the answer claims the requirement is met, fully or partly ("Ja",
    /// "Delvist"): a claim whose documentation proposals weigh.
    pub fn claims_met(&self) -> bool {
        matches!(self, AnswerValue::Yes | AnswerValue::Partly)
    }

    /// Normalises an answer as written in a report or form. Recognises OS2's five words
    /// (case-insensitive, with common spelling variants), the emoji markers of the 2025
    /// checklist, and placeholders. Everything else becomes [`AnswerValue::Other`].
    pub fn parse(text: &str) -> AnswerValue {
        let t = text.trim();
        let key = answer_key(t);
        if is_placeholder(t) {
            return AnswerValue::Unanswered;
        }
        match key.as_str() {
            "ja" | "yes" | "x" | "✅" | "✔" | "✔️" | "☑" | "☑︎" | "☑️" => {
                AnswerValue::Yes
            }
            "nej" | "no" | "❌" | "✖" | "✖️" | "☐" => AnswerValue::No,
            "planlagt" | "planned" => AnswerValue::Planned,
            "delvist" | "delvis" | "delvist opfyldt" | "delvis opfyldt" | "partly"
            | "partially" | "partly met" | "partially met" => AnswerValue::Partly,
            "ikke relevant" | "ikke-relevant" | "not relevant" | "n/a" | "na" | "➖" => {
                AnswerValue::NotRelevant
            }
            "ved ikke" | "ved-ikke" | "don't know" | "dont know" | "unknown" | "❓" | "?" => {
                AnswerValue::DontKnow
            }
            _ => AnswerValue::Other(t.to_owned()),
        }
    }

    /// The key used to match this answer in a proposal table: OS2's Danish word in lower
    /// case (`ja`, `nej`, `planlagt`, `delvist`, `ikke relevant`, `ved ikke`), `blank`, or the free
    /// value in lower case.
    pub fn key(&self) -> String {
        match self {
            AnswerValue::Yes => "ja".into(),
            AnswerValue::No => "nej".into(),
            AnswerValue::Planned => "planlagt".into(),
            AnswerValue::Partly => "delvist".into(),
            AnswerValue::NotRelevant => "ikke relevant".into(),
            AnswerValue::DontKnow => "ved ikke".into(),
            AnswerValue::Unanswered => "blank".into(),
            AnswerValue::Other(text) => answer_key(text),
        }
    }

    /// The Danish label OS2's form writes.
    pub fn label_da(&self) -> &str {
        match self {
            AnswerValue::Yes => "Ja",
            AnswerValue::No => "Nej",
            AnswerValue::Planned => "Planlagt",
            AnswerValue::Partly => "Delvist",
            AnswerValue::NotRelevant => "Ikke relevant",
            AnswerValue::DontKnow => "Ved ikke",
            AnswerValue::Unanswered => "",
            AnswerValue::Other(text) => text,
        }
    }

    /// The English label.
    pub fn label_en(&self) -> &str {
        match self {
            AnswerValue::Yes => "Yes",
            AnswerValue::No => "No",
            AnswerValue::Planned => "Planned",
            AnswerValue::Partly => "Partly",
            AnswerValue::NotRelevant => "Not relevant",
            AnswerValue::DontKnow => "Don't know",
            AnswerValue::Unanswered => "",
            AnswerValue::Other(text) => text,
        }
    }
}

impl fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerValue::Unanswered => f.write_str("(ikke besvaret)"),
            other => f.write_str(other.label_da()),
        }
    }
}

/// Whether a cell holds nothing a person wrote: empty, a dash, or one of OS2's
/// placeholders (`[Ikke udfyldt]`, `[Udfyldes i selvevaluering]`, `Udfyldes`).
pub fn is_placeholder(text: &str) -> bool {
    matches!(
        answer_key(text).as_str(),
        "" | "-"
            | "–"
            | "ikke udfyldt"
            | "udfyldes i selvevaluering"
            | "udfyldes"
            | "udfyldes senere"
    )
}

/// Lower-case, trimmed, inner whitespace collapsed, brackets and trailing punctuation
/// removed: `"[Ikke udfyldt]"` → `ikke udfyldt`, `" I  gang. "` → `i gang`.
pub fn answer_key(text: &str) -> String {
    let t = text
        .trim()
        .trim_matches(|c: char| matches!(c, '[' | ']' | '(' | ')' | '*' | '_'))
        .trim()
        .trim_end_matches(['.', '!', ':'])
        .trim();
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_os2_answers() {
        assert_eq!(AnswerValue::parse("Ja"), AnswerValue::Yes);
        assert_eq!(AnswerValue::parse(" nej "), AnswerValue::No);
        assert_eq!(AnswerValue::parse("Planlagt"), AnswerValue::Planned);
        assert_eq!(
            AnswerValue::parse("Ikke relevant"),
            AnswerValue::NotRelevant
        );
        assert_eq!(AnswerValue::parse("Ved ikke"), AnswerValue::DontKnow);
        assert_eq!(AnswerValue::parse("✅"), AnswerValue::Yes);
        assert_eq!(AnswerValue::parse("❌"), AnswerValue::No);
        assert_eq!(AnswerValue::parse("➖"), AnswerValue::NotRelevant);
        assert_eq!(AnswerValue::parse("❓"), AnswerValue::DontKnow);
        assert_eq!(AnswerValue::parse(""), AnswerValue::Unanswered);
        assert_eq!(
            AnswerValue::parse("[Ikke udfyldt]"),
            AnswerValue::Unanswered
        );
        assert_eq!(
            AnswerValue::parse("[Udfyldes i selvevaluering]"),
            AnswerValue::Unanswered
        );
    }

    #[test]
    fn partly_is_an_answer_of_its_own() {
        for t in [
            "Delvist",
            " delvis ",
            "Delvist opfyldt.",
            "delvis opfyldt",
            "Partly",
            "partially",
            "**Delvist**",
        ] {
            assert_eq!(AnswerValue::parse(t), AnswerValue::Partly, "{t}");
        }
        assert_eq!(AnswerValue::Partly.key(), "delvist");
        assert_eq!(AnswerValue::Partly.label_da(), "Delvist");
        assert_eq!(AnswerValue::Partly.label_en(), "Partly");
        assert_eq!(
            AnswerValue::parse(AnswerValue::Partly.label_da()),
            AnswerValue::Partly
        );
        assert_eq!(
            serde_json::to_string(&AnswerValue::Partly).unwrap(),
            r#"{"kind":"partly"}"#
        );
    }

    #[test]
    fn keeps_free_values() {
        assert_eq!(
            AnswerValue::parse(" Delvist i gang "),
            AnswerValue::Other("Delvist i gang".into())
        );
        assert_eq!(AnswerValue::parse("I  gang.").key(), "i gang");
        assert_eq!(AnswerValue::Unanswered.key(), "blank");
    }
}
