//! How a check box of the 2021 and 2023 checklists is read together with the text next
//! to it: the blank templates' hint texts, the box the templates tick themselves, and a
//! small table of how the author's own text next to an unticked box reads.
//!
//! The rules (documented for users in docs/reports.md, "Afkrydsningsfelter"):
//!
//! | box      | text next to it                                   | answer                  |
//! |----------|---------------------------------------------------|-------------------------|
//! | ticked   | anything                                          | Ja                      |
//! | ticked   | the template's own tick (R1) and its hint text    | not answered, warning   |
//! | unticked | empty or a hint text of the blank templates        | not answered            |
//! | unticked | "Ikke relevant …"                                 | Ikke relevant, warning  |
//! | unticked | the author's text denying or postponing ("Nej", "Afventer …", "… ikke …") | Nej |
//! | unticked | the author's text claiming compliance ("Ja.", a link, "Se …") | not answered, warning (a conflict) |
//! | unticked | any other text of the author's                    | Nej                     |

use niveau_model::Msg;

/// The hint texts of the Henvisning column in OS2's blank checklists of 2021
/// (`governance_report_template` README.md @6268e80) and 2023 (@a7b4899), as written
/// there. A cell that still holds one of them (compared by [`hint_key`]) holds nothing
/// the author wrote. Checked against the templates in the integration tests.
pub const HINTS: &[&str] = &[
    "Hvordan?",
    "Hvordan/hvilke?",
    "Hvor?",
    "Hvem?",
    "Hvem? evt. link til beskrivelse af ansvar/opgaver",
    "fx tilslutningserklæring",
    "fx link til referat",
    "Indsæt link",
    "Indsæt link(s)",
    "Indsæt vedtaget licens",
    "Kan udfyldes",
    "Link til kommissorium",
    "Link til aftale",
    "Henvisning til en faggruppe eller et forum",
    "Hvem drifter løsningen? er der sat økonomi af til vedligholdelse?",
    "Hvor? ([eksemple](https://os2mo.readthedocs.io/en/development/operation/cookbook.html) )",
];

/// Requirements (as the checklists number them) whose box the blank templates tick
/// themselves: a tick there next to the unchanged hint text is the template's, not the
/// author's.
pub const TICKED_IN_TEMPLATE: &[&str] = &["R1"];

/// A cell text compared with the hints: lower case, inner whitespace collapsed,
/// trailing `?`, `.`, `:` and `!` removed.
pub fn hint_key(text: &str) -> String {
    let t = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    t.trim_end_matches(['?', '.', ':', '!', ' ']).to_owned()
}

/// Whether a documentation cell holds one of the blank templates' hint texts.
pub fn is_hint(text: &str) -> bool {
    let key = hint_key(text);
    !key.is_empty() && HINTS.iter().any(|h| hint_key(h) == key)
}

/// How the author's own text next to an unticked box reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unticked {
    /// Empty, or the template's hint text: not answered.
    Blank,
    /// "Ikke relevant …".
    NotRelevant,
    /// The text denies, postpones or simply describes: Nej.
    No,
    /// The text claims compliance although the box is not ticked: a conflict; the
    /// reason says what in the text claims it.
    Claims(Msg),
}

/// What a rule looks for in the author's text.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    /// The text starts with these words.
    Starts(&'static str),
    /// The first sentence has this word.
    Word(&'static str),
    /// The text has a link (Markdown or a bare URL).
    Link,
}

/// What a matching rule reads.
#[derive(Debug, Clone, Copy)]
enum Reading {
    NotRelevant,
    No,
    /// A claim of compliance, with what claims it (Danish, English).
    Claims(&'static str, &'static str),
}

/// The cases, first match wins. Denials come before claims, so that "Endnu ikke
/// udarbejdet, se [plan](…)" stays Nej; a text that starts with "Ja" is a claim even if
/// it goes on with "ikke".
const CASES: &[(Pattern, Reading)] = &[
    (Pattern::Starts("ikke relevant"), Reading::NotRelevant),
    (Pattern::Starts("nej"), Reading::No),
    (Pattern::Starts("no"), Reading::No),
    (Pattern::Starts("ikke"), Reading::No),
    (Pattern::Starts("endnu ikke"), Reading::No),
    (Pattern::Starts("er ikke"), Reading::No),
    (Pattern::Starts("afventer"), Reading::No),
    (Pattern::Starts("mangler"), Reading::No),
    (Pattern::Starts("planlagt"), Reading::No),
    (Pattern::Starts("delvist"), Reading::No),
    (Pattern::Starts("not"), Reading::No),
    (
        Pattern::Starts("ja"),
        Reading::Claims("teksten svarer «Ja»", "the text answers “Ja” (yes)"),
    ),
    (
        Pattern::Starts("yes"),
        Reading::Claims("teksten svarer «Yes»", "the text answers “Yes”"),
    ),
    (Pattern::Word("ikke"), Reading::No),
    (Pattern::Word("not"), Reading::No),
    (Pattern::Word("aldrig"), Reading::No),
    (
        Pattern::Link,
        Reading::Claims("teksten henviser til et link", "the text gives a link"),
    ),
    (
        Pattern::Starts("se"),
        Reading::Claims(
            "teksten henviser til dokumentation («Se …»)",
            "the text refers to documentation (“Se …”)",
        ),
    ),
    (
        Pattern::Starts("see"),
        Reading::Claims(
            "teksten henviser til dokumentation («See …»)",
            "the text refers to documentation (“See …”)",
        ),
    ),
    (
        Pattern::Starts("tilgås"),
        Reading::Claims(
            "teksten henviser til dokumentation («Tilgås …»)",
            "the text refers to documentation (“Tilgås …”)",
        ),
    ),
    (
        Pattern::Starts("kan findes"),
        Reading::Claims(
            "teksten henviser til dokumentation («Kan findes …»)",
            "the text refers to documentation (“Kan findes …”)",
        ),
    ),
    (
        Pattern::Starts("overholder"),
        Reading::Claims(
            "teksten siger, at kravet overholdes",
            "the text says the requirement is complied with",
        ),
    ),
    (
        Pattern::Starts("opfyldt"),
        Reading::Claims(
            "teksten siger, at kravet er opfyldt",
            "the text says the requirement is met",
        ),
    ),
];

/// The lower-case words of a text (letters and digits).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn matches(pattern: Pattern, text: &str) -> bool {
    match pattern {
        Pattern::Starts(start) => {
            let want = words(start);
            let have = words(text);
            have.len() >= want.len() && have[..want.len()] == want[..]
        }
        Pattern::Word(word) => {
            let first = text.split(['.', '\n', ';']).next().unwrap_or_default();
            words(first).iter().any(|w| w == word)
        }
        Pattern::Link => text.contains("](") || !super::links(text).is_empty(),
    }
}

/// Reads the text next to an unticked box (`None`: an empty cell or a placeholder).
pub fn unticked(text: Option<&str>) -> Unticked {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Unticked::Blank;
    };
    if is_hint(text) {
        return Unticked::Blank;
    }
    for (pattern, reading) in CASES {
        if matches(*pattern, text) {
            return match reading {
                Reading::NotRelevant => Unticked::NotRelevant,
                Reading::No => Unticked::No,
                Reading::Claims(da, en) => Unticked::Claims(Msg::new(*da, *en)),
            };
        }
    }
    Unticked::No
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_are_recognised_loosely() {
        assert!(is_hint("Hvor?"));
        assert!(is_hint(" hvor "));
        assert!(is_hint("Link til kommissorium"));
        assert!(is_hint("fx  link til referat"));
        assert!(!is_hint("Hvor? Se [her](https://x.dk)"));
        assert!(!is_hint(""));
    }

    #[test]
    fn the_table_of_cases() {
        let claims = |t: &str| matches!(unticked(Some(t)), Unticked::Claims(_));
        assert_eq!(unticked(None), Unticked::Blank);
        assert_eq!(unticked(Some("Hvordan?")), Unticked::Blank);
        assert_eq!(unticked(Some("Ikke relevant pt.")), Unticked::NotRelevant);
        assert_eq!(unticked(Some("Nej - Men flere")), Unticked::No);
        assert_eq!(unticked(Some("Afventer beskrivelse")), Unticked::No);
        assert_eq!(unticked(Some("Er ikke dokumenteret.")), Unticked::No);
        assert_eq!(
            unticked(Some("Endnu ikke udarbejdet, se [plan](https://x.dk)")),
            Unticked::No
        );
        assert_eq!(unticked(Some("Der er ikke udarbejdet noget")), Unticked::No);
        assert_eq!(unticked(Some("Nogle kommuner bruger det")), Unticked::No);
        assert!(claims("Ja."));
        assert!(claims("Ja, men ikke helt"));
        assert!(claims("https://github.com/os2x"));
        assert!(claims("[Referat](https://os2.eu/r.pdf)"));
        assert!(claims("Se dokumentationen"));
        assert!(claims("Tilgås her"));
        // "Sekretariatet" starts with "se" but is not the word "Se".
        assert_eq!(unticked(Some("Sekretariatet kender til det")), Unticked::No);
    }
}
