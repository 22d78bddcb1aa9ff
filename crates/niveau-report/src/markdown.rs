//! Writing people's text into Markdown that OS2 publishes through Jekyll (kramdown and
//! Liquid) or GitHub (CommonMark/GFM), safely.
//!
//! Every Markdown writer of the crate embeds text through the functions here:
//! [`inline`] (the one escaping function), [`cell`] (a table cell), [`line`] (a
//! single-line value) and [`block`] (a multi-line section), and writes front matter
//! through [`front_matter_value`] / [`yaml_scalar`] and [`front_matter`].
//!
//! What [`inline`] neutralises, and how it keeps ordinary text byte for byte:
//!
//! - **Raw HTML and autolinks**: `<` followed by a letter, `/`, `!` or `?` (the only way
//!   a tag, comment or autolink can start) becomes `&lt;`. `a < b` stays as written.
//! - **Entities**: `&` that would start a character reference (`&#…`, `&name;`) becomes
//!   `&amp;`, so `&#106;avascript:` stays text and an entity cannot smuggle a character
//!   past these rules. `Drift & support` stays as written.
//! - **Links and images with unsafe destinations**: `](` or `]:` whose destination has a
//!   scheme other than `http`, `https` or `mailto` (after skipping white space, control
//!   characters and backslash escapes, as browsers and CommonMark do) is written
//!   `]&#40;` / `]&#58;`: the text stays readable, but no link, image or reference
//!   definition is formed. Relative links and ordinary URLs are untouched.
//! - **Liquid and kramdown extensions**: `{` followed by `{`, `%` or `:` (a Liquid output
//!   or tag, or a kramdown attribute list such as `{:onclick="…"}`) becomes `&#123;`.
//!
//! The importer undoes exactly these entities ([`crate::import::cells::unescape`]), so
//! text exported by Niveau imports back unchanged (tables additionally trim lines and
//! write line breaks as `<br/>`).

use std::fmt::Write as _;

/// The link schemes a link or image may use; everything else is written inert.
pub const SAFE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Whether the destination that starts at `rest` (just after `](` or `]:`) is unsafe:
/// it has a scheme (letters up to a `:` before any `/`, `?` or `#`) other than
/// [`SAFE_SCHEMES`]. White space, control characters and `<` before it, and control
/// characters and backslash escapes inside it, are skipped as a browser or CommonMark
/// would.
fn unsafe_destination(rest: &str) -> bool {
    let mut scheme = String::new();
    let mut chars = rest.chars().peekable();
    // Leading white space (also line breaks) and an opening `<`.
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || c.is_control() || c == '<' {
            chars.next();
        } else {
            break;
        }
    }
    while let Some(c) = chars.next() {
        match c {
            ':' => {
                let s = scheme.to_ascii_lowercase();
                return !SAFE_SCHEMES.contains(&s.as_str());
            }
            '/' | '?' | '#' | ')' | '>' | '"' | '\'' | ' ' | '\n' => return false,
            '\\' => {
                // `\:` is a `:` to CommonMark.
                if let Some(&next) = chars.peek()
                    && next.is_ascii_punctuation()
                {
                    chars.next();
                    if next == ':' {
                        let s = scheme.to_ascii_lowercase();
                        return !SAFE_SCHEMES.contains(&s.as_str());
                    }
                    scheme.push(next);
                }
            }
            c if c.is_control() => {}
            c => scheme.push(c),
        }
        if scheme.len() > 64 {
            return false;
        }
    }
    false
}

/// Whether `rest` (just after an `&`) would be read as a character reference.
fn entity_like(rest: &str) -> bool {
    if rest.starts_with('#') {
        return true;
    }
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    !name.is_empty() && rest[name.len()..].starts_with(';')
}

/// Text made safe to embed in Markdown (see the module documentation): raw HTML,
/// entities, unsafe link destinations and Liquid/kramdown markers neutralised; all
/// other Markdown (emphasis, ordinary links, line breaks) kept as written.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let rest = &text[i + c.len_utf8()..];
        let next = rest.chars().next();
        match c {
            '<' if next
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;");
            }
            '&' if entity_like(rest) => out.push_str("&amp;"),
            '{' if matches!(next, Some('{' | '%' | ':')) => out.push_str("&#123;"),
            '(' if prev == Some(']') && unsafe_destination(rest) => out.push_str("&#40;"),
            ':' if prev == Some(']') && unsafe_destination(rest) => out.push_str("&#58;"),
            c => out.push(c),
        }
        prev = Some(c);
    }
    out
}

/// Text made safe for one cell of a Markdown table: [`inline`], then `|` escaped (a
/// backslash right before it written `&#92;`, so it cannot unescape the pipe), line
/// breaks written as `<br/>` (as OS2's own reports do), surrounding white space and
/// trailing white space of every line trimmed.
pub fn cell(text: &str) -> String {
    let safe = inline(text);
    let mut out = String::with_capacity(safe.len());
    let lines: Vec<&str> = safe.trim().lines().map(str::trim_end).collect();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("<br/>");
        }
        let mut chars = line.chars().peekable();
        while let Some(ch) = chars.next() {
            match ch {
                '\\' if chars.peek() == Some(&'|') => out.push_str("&#92;"),
                '|' => out.push_str("\\|"),
                ch => out.push(ch),
            }
        }
    }
    out
}

/// A single-line value (a product name in a heading, a header field): [`inline`], with
/// every line break and the white space around it written as one space, trimmed. A
/// value cannot start a new line, so it cannot add a heading, a table row or a block.
pub fn line(text: &str) -> String {
    let safe = inline(text);
    safe.split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A multi-line section written by a person (an evaluation's summary), kept as the
/// Markdown it is, with [`inline`] applied.
pub fn block(text: &str) -> String {
    inline(text)
}

/// Whether `s` is written by YAML as the same string without quotes, in YAML 1.1
/// (Jekyll's Psych) and 1.2 alike: no indicator at the start, no `: ` or ` #`, no
/// control characters, no surrounding white space, and not a word or number that YAML
/// reads as something else (`true`, `no`, `~`, `5`, `1e3`, `0x1`, `.inf`).
fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if first.is_whitespace()
        || s.ends_with(char::is_whitespace)
        || "-?:,[]{}#&*!|>'\"%@`+=".contains(first)
        || s.contains(": ")
        || s.contains(" #")
        || s.ends_with(':')
        || s.chars()
            .any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}'))
    {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    const SPECIAL: &[&str] = &[
        "true", "false", "yes", "no", "y", "n", "on", "off", "null", "~",
    ];
    if SPECIAL.contains(&lower.as_str()) {
        return false;
    }
    // Anything that starts like a number (ints, floats, octal, hex, sexagesimal, dates,
    // .inf, .nan) is quoted: being careful costs only two quotes.
    let numeric_start = first.is_ascii_digit()
        || (first == '.'
            && s[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric()));
    if numeric_start {
        let all_simple = s
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '_' | ':' | '-' | '+' | 'e' | 'E'));
        let lower_starts =
            lower.starts_with("0x") || lower.starts_with("0o") || lower.starts_with("0b");
        if all_simple || lower_starts || first == '.' {
            return false;
        }
    }
    true
}

/// A string as a YAML scalar: as written if YAML reads it back as the same string
/// without quotes, else double-quoted with `\\`, `\"` and every control or line
/// separator character escaped. Parsing the result always gives back exactly `s`, and
/// the result is always one line, so a value can never add a key.
pub fn yaml_scalar(s: &str) -> String {
    if plain_is_safe(s) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A front-matter value written by a person (a title): line breaks written as spaces,
/// `<` that could start a tag written `&lt;` (Jekyll themes put `title` into the page's
/// HTML unescaped) and Liquid/kramdown markers written `&#123;`, then [`yaml_scalar`].
/// Unlike [`inline`] it leaves `&` alone, so that writing a value again does not change
/// it: the value is never imported, only shown.
pub fn front_matter_value(text: &str) -> String {
    let one_line = text
        .split(['\n', '\r'])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(one_line.len());
    let mut chars = one_line.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '<' if next
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')) =>
            {
                out.push_str("&lt;");
            }
            '{' if matches!(next, Some('{' | '%' | ':')) => out.push_str("&#123;"),
            c => out.push(c),
        }
    }
    yaml_scalar(&out)
}

/// The keys Niveau keeps from a document's own front matter: the ones OS2's site uses
/// to place a page in its navigation. Others (`permalink`, `redirect_from`, …) are
/// dropped, so an uploaded document cannot move or replace another page of the site.
pub const FRONT_MATTER_KEYS: [&str; 9] = [
    "title",
    "layout",
    "parent",
    "grand_parent",
    "nav_exclude",
    "nav_order",
    "has_children",
    "has_toc",
    "description",
];

/// A scalar as a document wrote it, decoded: a single- or double-quoted string (simple
/// escapes) or plain text. `None` for anything else (block scalars, flow collections,
/// anchors, tags), which is not kept.
fn read_scalar(raw: &str) -> Option<String> {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
        if inner.replace("''", "").contains('\'') {
            return None;
        }
        return Some(inner.replace("''", "'"));
    }
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next()? {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    ' ' => out.push(' '),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                    }
                    _ => return None,
                },
                '"' => return None,
                c => out.push(c),
            }
        }
        return Some(out);
    }
    let plain = raw.split(" #").next().unwrap_or_default().trim();
    if plain.is_empty() || "[{&*!|>%@`".contains(plain.chars().next().unwrap_or(' ')) {
        return None;
    }
    Some(plain.to_owned())
}

/// Front matter for an official document: the document's own front matter if it has
/// one (only `key: value` lines with a key of [`FRONT_MATTER_KEYS`] kept, each value
/// rewritten through [`front_matter_value`] unless it is a plain word, number or
/// boolean that is safe as written), else `default` (pairs written through
/// [`front_matter_value`], except `true`/`false`/numbers given as such by Niveau).
/// Returns the lines between the `---` markers.
pub fn front_matter(own: Option<&str>, default: &[(&str, FrontValue<'_>)]) -> String {
    let mut lines = Vec::new();
    if let Some(own) = own {
        for raw in own.lines() {
            let Some((key, value)) = raw.split_once(':') else {
                continue;
            };
            if !FRONT_MATTER_KEYS.contains(&key) {
                continue;
            }
            let Some(value) = read_scalar(value) else {
                continue;
            };
            let literal = value == "true"
                || value == "false"
                || (!value.is_empty()
                    && value.len() < 10
                    && value.chars().all(|c| c.is_ascii_digit()));
            let quoted = raw[key.len() + 1..].trim_start().starts_with(['"', '\'']);
            if literal && !quoted {
                lines.push(format!("{key}: {value}"));
            } else {
                lines.push(format!("{key}: {}", front_matter_value(&value)));
            }
        }
    }
    if own.is_none() {
        for (key, value) in default {
            match value {
                FrontValue::Text(t) => lines.push(format!("{key}: {}", front_matter_value(t))),
                FrontValue::Literal(l) => lines.push(format!("{key}: {l}")),
            }
        }
    }
    lines.join("\n")
}

/// A value of Niveau's own front matter.
#[derive(Debug, Clone, Copy)]
pub enum FrontValue<'a> {
    /// Text, quoted as needed ([`front_matter_value`]).
    Text(&'a str),
    /// A YAML literal Niveau writes as is (`true`).
    Literal(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_pipes_and_breaks_lines() {
        assert_eq!(cell(" a | b "), "a \\| b");
        assert_eq!(cell("one\ntwo  \r\nthree"), "one<br/>two<br/>three");
        assert_eq!(cell(""), "");
        assert_eq!(cell("a\\|b"), "a&#92;\\|b");
    }

    #[test]
    fn ordinary_text_is_kept_byte_for_byte() {
        for t in [
            "Se [her](https://os2.eu/produkt/os2mo) og [der](docs/README.md)",
            "Drift & support, 3 < 4 > 2, æøå ÆØÅ «citat» – OS2`s vision",
            "**fed** _kursiv_ `kode` [mail](mailto:a@b.dk) http://x.dk?a=1&b=2",
            "Ikke relevant: se afsnit 2. Tidsplan: {år} [x]: nej",
        ] {
            assert_eq!(inline(t), t);
        }
    }

    #[test]
    fn neutralises_html_links_entities_and_liquid() {
        assert_eq!(inline("<script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(inline("<!-- x -->"), "&lt;!-- x -->");
        assert_eq!(inline("<javascript:alert(1)>"), "&lt;javascript:alert(1)>");
        assert_eq!(
            inline("[a](javascript:alert(1))"),
            "[a]&#40;javascript:alert(1))"
        );
        assert_eq!(inline("![a]( JavaScript:x)"), "![a]&#40; JavaScript:x)");
        assert_eq!(inline("[a](java\tscript:x)"), "[a]&#40;java\tscript:x)");
        assert_eq!(inline("[a](javascript\\:x)"), "[a]&#40;javascript\\:x)");
        assert_eq!(
            inline("[a](<data:text/html,x>)"),
            "[a]&#40;&lt;data:text/html,x>)"
        );
        assert_eq!(inline("[a]: vbscript:x"), "[a]&#58; vbscript:x");
        assert_eq!(
            inline("[a](&#106;avascript:x)"),
            "[a](&amp;#106;avascript:x)"
        );
        assert_eq!(inline("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
        assert_eq!(
            inline("{{ site.x }} {% include x %} {:onclick=\"y\"}"),
            "&#123;{ site.x }} &#123;% include x %} &#123;:onclick=\"y\"}"
        );
    }

    #[test]
    fn lines_cannot_break_out() {
        assert_eq!(line("OS2mo\nlayout: evil\r\n# x"), "OS2mo layout: evil # x");
    }

    #[test]
    fn yaml_scalars_are_plain_only_when_safe() {
        assert_eq!(
            yaml_scalar("OS2borgerPC governancerapport"),
            "OS2borgerPC governancerapport"
        );
        assert_eq!(yaml_scalar("OS2-test-assessment"), "OS2-test-assessment");
        assert_eq!(yaml_scalar("a\nlayout: x"), "\"a\\nlayout: x\"");
        assert_eq!(yaml_scalar("true"), "\"true\"");
        assert_eq!(yaml_scalar("2026"), "\"2026\"");
        assert_eq!(yaml_scalar("x: y"), "\"x: y\"");
        assert_eq!(yaml_scalar("\"q\" \\"), "\"\\\"q\\\" \\\\\"");
        assert_eq!(yaml_scalar(""), "\"\"");
        assert_eq!(yaml_scalar("- a"), "\"- a\"");
    }

    #[test]
    fn own_front_matter_keeps_navigation_keys_only() {
        let own = "title: OS2-test-assessment\nlayout: default\npermalink: /index.html\nnav_exclude: true\nnav_order: 5\ntitle2: x\n  nested: y\nparent: 'Selv''evalueringer'";
        assert_eq!(
            front_matter(Some(own), &[]),
            "title: OS2-test-assessment\nlayout: default\nnav_exclude: true\nnav_order: 5\nparent: Selv'evalueringer"
        );
        assert_eq!(
            front_matter(
                None,
                &[
                    ("title", FrontValue::Text("<b>x</b>\npermalink: /")),
                    ("nav_exclude", FrontValue::Literal("true"))
                ]
            ),
            "title: \"&lt;b>x&lt;/b> permalink: /\"\nnav_exclude: true"
        );
    }
}
