//! Small text helpers shared by the renderers: XML/HTML escaping and plain-text tables.

/// Escapes text for XML content and attribute values: `&`, `<`, `>`, `"` and `'` become
/// entities; tab, line feed and carriage return become character references (so parsers
/// keep them as written, also in attributes); characters that XML 1.0 does not allow
/// (other control characters, U+FFFE, U+FFFF) become U+FFFD.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Display width of a text in a terminal, counted in characters.
pub fn width(text: &str) -> usize {
    text.chars().count()
}

/// `text` padded with spaces to `w` characters.
pub fn pad(text: &str, w: usize) -> String {
    let mut s = text.to_owned();
    s.extend(std::iter::repeat_n(' ', w.saturating_sub(width(text))));
    s
}

/// A plain-text table: columns padded to their widest cell and separated by two
/// spaces, the last column not padded, trailing spaces trimmed. Control characters in
/// cells are written visibly ([`niveau_model::terminal::printable`]).
pub fn text_table(header: &[&str], rows: &[Vec<String>]) -> String {
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|c| niveau_model::terminal::printable(c).into_owned())
                .collect()
        })
        .collect();
    let rows = &rows[..];
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(c));
            }
        }
    }
    let line = |cells: &[&str]| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&pad(c, widths.get(i).copied().unwrap_or(0)));
                s.push_str("  ");
            }
        }
        s.trim_end().to_owned()
    };
    let mut out = line(header);
    out.push('\n');
    for row in rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        out.push_str(&line(&cells));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_pad_all_but_the_last_column() {
        let t = text_table(&["ID", "NAVN"], &[vec!["os2-1.1.0".into(), "x".into()]]);
        assert_eq!(t, "ID         NAVN\nos2-1.1.0  x\n");
    }
}

/// `text` on one line of at most `max` characters: HTML line breaks and newlines become
/// spaces, runs of white space one space, and a longer text is cut with "…". For
/// summaries in terminal output and report tables (escape for the format afterwards).
pub fn one_line(text: &str, max: usize) -> String {
    let spaced = text
        .replace("<br/>", " ")
        .replace("<br />", " ")
        .replace("<br>", " ");
    let t = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.chars().count() <= max {
        t
    } else {
        let cut: String = t.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod one_line_tests {
    use super::one_line;

    #[test]
    fn breaks_become_spaces_and_long_text_is_cut() {
        assert_eq!(one_line("a<br/>b\n  c", 10), "a b c");
        assert_eq!(one_line("abcdefghij", 5), "abcd…");
        assert_eq!(one_line("æøå", 3), "æøå");
    }
}
