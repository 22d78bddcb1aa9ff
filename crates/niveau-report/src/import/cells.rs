//! Reading single cells: check boxes, answers, ratings, levels and free text.

use niveau_model::{AnswerValue, Rating};

/// The state of a check box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckBox {
    /// `[x]`, `[X]`, `☑`, `☑︎`.
    Checked,
    /// `[ ]`, `[]`, `☐`.
    Unchecked,
}

/// Removes HTML tags (`<ul><li>`, `</li>`, `<br/>` …) from a cell, leaving their text.
pub fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Reads a check box in any of OS2's styles: `<ul><li> [x] </li>`, `[x]`, `[X]`,
/// `[ ]`, `[]`, `☑︎`, `☐`. `None` if the cell is not a check box.
pub fn checkbox(cell: &str) -> Option<CheckBox> {
    let t = strip_tags(cell);
    let t = t.trim().trim_start_matches(['-', '*']).trim();
    match t {
        "[x]" | "[X]" | "[ x ]" | "[ X ]" | "☑" | "☑\u{fe0e}" | "☑\u{fe0f}" | "✓" | "✔" => {
            Some(CheckBox::Checked)
        }
        "[ ]" | "[]" | "[  ]" | "☐" => Some(CheckBox::Unchecked),
        _ => None,
    }
}

/// Reads an answer word or marker (Ja, Nej, ✅, ❌ …), see [`AnswerValue::parse`].
pub fn answer(cell: &str) -> AnswerValue {
    AnswerValue::parse(&strip_tags(cell))
}

/// How a rating cell was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingCell {
    /// A rating.
    Rated(Rating),
    /// Empty, or OS2's unfilled placeholder `🟢 / 🟡 / 🔴 / ⚪`.
    Blank,
    /// Something else.
    Unreadable,
}

/// Reads a rating cell.
pub fn rating(cell: &str) -> RatingCell {
    let t = strip_tags(cell);
    let t = t.trim();
    if t.is_empty() || niveau_model::answer::is_placeholder(t) {
        return RatingCell::Blank;
    }
    let symbols = Rating::ALL
        .iter()
        .filter(|r| t.contains(r.symbol()))
        .count();
    if symbols > 1 && t.contains('/') {
        return RatingCell::Blank;
    }
    match Rating::parse(t) {
        Some(r) => RatingCell::Rated(r),
        None => RatingCell::Unreadable,
    }
}

/// Free text of a cell as a value: `<br/>`, `<br />` and `<br>` become line breaks,
/// `\|` becomes `|`, links and other Markdown are kept, lines are trimmed. Empty text
/// and OS2's placeholders (`[Ikke udfyldt]`) give `None`.
pub fn text(cell: &str) -> Option<String> {
    let t = normalise_breaks(cell);
    let t = t.replace("\\|", "|");
    let t: Vec<&str> = t.lines().map(str::trim).collect();
    let t = t.join("\n").trim().to_owned();
    if t.is_empty() || niveau_model::answer::is_placeholder(&t) || is_template_hint(&t) {
        None
    } else {
        Some(t)
    }
}

/// Free text of a Markdown cell ([`text`]) with the entities that Niveau's Markdown
/// writer adds undone ([`unescape`]).
pub fn md_text(cell: &str) -> Option<String> {
    text(cell).map(|t| unescape(&t))
}

/// Undoes exactly the neutralisation of [`crate::markdown::inline`] and
/// [`crate::markdown::cell`], in one pass: `&amp;` → `&`, `&lt;` → `<`, `&#123;` → `{`,
/// `&#40;` → `(`, `&#58;` → `:`, `&#92;` → `\`. Other entities are kept as written.
pub fn unescape(text: &str) -> String {
    const ENTITIES: [(&str, char); 6] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&#123;", '{'),
        ("&#40;", '('),
        ("&#58;", ':'),
        ("&#92;", '\\'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos..];
        match ENTITIES.iter().find(|(e, _)| after.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &after[e.len()..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Markdown autolinks lose their angle brackets: `<https://x.dk>` → `https://x.dk`
/// (also `http://` and `mailto:`); other `<…>` text is kept.
pub fn strip_autolinks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let is_link = ["https://", "http://", "mailto:"].iter().any(|p| {
            after
                .get(..p.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(p))
        });
        let end = after.find('>');
        match end {
            Some(e) if is_link && e > 0 && !after[..e].contains(char::is_whitespace) => {
                out.push_str(&after[..e]);
                rest = &after[e + 1..];
            }
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `<br/>`, `<br />`, `<br>` (any case) → `\n`.
pub fn normalise_breaks(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos..];
        let end = after.find('>');
        let tag = end.map(|e| &after[..=e]);
        let is_br = tag.is_some_and(|t| {
            let inner: String = t[1..t.len() - 1]
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            inner == "br" || inner == "br/"
        });
        match (is_br, end) {
            (true, Some(e)) => {
                out.push('\n');
                rest = &after[e + 1..];
            }
            (_, None) => {
                // No closing '>' anywhere after: the rest is text.
                out.push_str(after);
                rest = "";
                break;
            }
            _ => {
                out.push('<');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Bracketed instructions from OS2's blank templates, e.g. `[Navn]`, `[dd-mm-yyyy]`,
/// `[indsæt link til git organisation/repo]`, `[Her skrives et kort resumé …]`.
pub fn is_template_hint(text: &str) -> bool {
    let t = text.trim();
    if !(t.starts_with('[') && t.ends_with(']')) || t.contains("](") {
        return false;
    }
    let inner = t[1..t.len() - 1].to_lowercase();
    const HINTS: &[&str] = &[
        "navn",
        "name",
        "dd-mm-yyyy",
        "produktnavn",
        "indsæt",
        "insert",
        "her skrives",
        "email",
        "ikke udfyldt",
        "udfyldes",
    ];
    HINTS.iter().any(|h| inner.contains(h))
}

/// Markdown emphasis and spaces stripped from a label: `**Dato for udfyldelse:**` →
/// `Dato for udfyldelse`.
pub fn clean_label(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
        .trim_end_matches(':')
        .trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace())
        .to_owned()
}

/// Whether the text has a Markdown link that is not closed: `[text](http://…` without
/// `)`, or `[text]` directly followed by `(` that never closes.
pub fn has_broken_link(text: &str) -> bool {
    let mut rest = text;
    while let Some(pos) = rest.find("](") {
        let after = &rest[pos + 2..];
        match after.find(')') {
            None => return true,
            Some(close) => {
                if after[..close].contains(' ') && after[..close].contains('[') {
                    return true;
                }
                rest = &after[close..];
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_checkbox_style() {
        assert_eq!(checkbox("<ul><li> [x] </li>"), Some(CheckBox::Checked));
        assert_eq!(checkbox(" <ul><li> [X] </li>"), Some(CheckBox::Checked));
        assert_eq!(checkbox("[x]"), Some(CheckBox::Checked));
        assert_eq!(checkbox("[ ]"), Some(CheckBox::Unchecked));
        assert_eq!(checkbox("[]"), Some(CheckBox::Unchecked));
        assert_eq!(checkbox("☑︎"), Some(CheckBox::Checked));
        assert_eq!(checkbox("☐"), Some(CheckBox::Unchecked));
        assert_eq!(checkbox("Ja"), None);
    }

    #[test]
    fn reads_ratings_and_placeholders() {
        assert_eq!(rating("🟢"), RatingCell::Rated(Rating::Green));
        assert_eq!(rating("⚪"), RatingCell::Rated(Rating::Grey));
        assert_eq!(rating("🟢 / 🟡 / 🔴 / ⚪"), RatingCell::Blank);
        assert_eq!(rating("🟢 / 🟡 / 🔴"), RatingCell::Blank);
        assert_eq!(rating(""), RatingCell::Blank);
        assert_eq!(rating("måske"), RatingCell::Unreadable);
    }

    #[test]
    fn text_keeps_links_and_breaks_lines() {
        assert_eq!(
            text("Se [her](https://x.dk)<br/>og<br />her<BR>"),
            Some("Se [her](https://x.dk)\nog\nher".into())
        );
        assert_eq!(text("[Ikke udfyldt]"), None);
        assert_eq!(text("  "), None);
        assert_eq!(text("a \\| b"), Some("a | b".into()));
        assert_eq!(text("[Her skrives et kort resumé]"), None);
        assert_eq!(text("[Navn]"), None);
        assert_eq!(
            text("[OS2iot](https://os2iot.dk)"),
            Some("[OS2iot](https://os2iot.dk)".into())
        );
    }

    #[test]
    fn unescape_inverts_the_markdown_writer() {
        for t in [
            "<script>&lt;{{x}} [a](javascript:y) [b]: data:z a\\|b &#40;",
            "Drift & support &amp; &#92; &#58;",
        ] {
            assert_eq!(unescape(&crate::markdown::inline(t)), t);
        }
        assert_eq!(
            md_text(&crate::markdown::cell("a\\|b\n<b>x</b> | {%y%}")),
            Some("a\\|b\n<b>x</b> | {%y%}".into())
        );
    }

    #[test]
    fn autolinks_lose_their_brackets() {
        assert_eq!(
            strip_autolinks("<https://github.com/OS2iot>"),
            "https://github.com/OS2iot"
        );
        assert_eq!(
            strip_autolinks("Se <HTTP://a.dk/x> og <mailto:a@b.dk>."),
            "Se HTTP://a.dk/x og mailto:a@b.dk."
        );
        assert_eq!(
            strip_autolinks("a < b og <b>fed</b>"),
            "a < b og <b>fed</b>"
        );
        assert_eq!(strip_autolinks("<https://x y>"), "<https://x y>");
        assert_eq!(strip_autolinks("<https://"), "<https://");
        assert_eq!(strip_autolinks("<ææææææ>"), "<ææææææ>");
        assert_eq!(strip_autolinks("æ<https://ø.dk>å"), "æhttps://ø.dkå");
    }

    #[test]
    fn finds_broken_links() {
        assert!(has_broken_link("Se [her](https://x.dk"));
        assert!(!has_broken_link("Se [her](https://x.dk) og [der](y)"));
        assert!(!has_broken_link("ingen links"));
    }

    #[test]
    fn cleans_labels() {
        assert_eq!(
            clean_label("**Dato for udfyldelse:**"),
            "Dato for udfyldelse"
        );
        assert_eq!(clean_label(" Audit made by: "), "Audit made by");
    }
}
