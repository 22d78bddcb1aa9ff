//! Small helpers for writing Markdown.

/// Text made safe for one cell of a Markdown table: `|` escaped, line breaks written as
/// `<br/>` (as OS2's own reports do), surrounding whitespace trimmed.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let lines: Vec<&str> = text.trim().lines().map(str::trim_end).collect();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push_str("<br/>");
        }
        for ch in line.chars() {
            if ch == '|' {
                out.push('\\');
            }
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_pipes_and_breaks_lines() {
        assert_eq!(cell(" a | b "), "a \\| b");
        assert_eq!(cell("one\ntwo  \r\nthree"), "one<br/>two<br/>three");
        assert_eq!(cell(""), "");
    }
}
