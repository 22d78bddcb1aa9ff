//! Text for a terminal: strings that come from repositories, documents or the network
//! (file names, commit messages, remote URLs, cell texts) can hold control characters.
//! Printed raw, an escape sequence recolours, hides or rewrites what the terminal shows
//! (`\x1b[2J` clears the screen, `\r` overwrites a line, U+202E turns text around).
//! Every text renderer passes its output through [`printable`]; JSON output needs no
//! such step, because JSON escapes control characters itself.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character is neutralised by [`printable`]: C0 controls except line feed
/// and tab, DEL, C1 controls, and the bidirectional overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{200e}' | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}')
}

/// `text` with every character of [`is_unsafe`] written visibly as an escape
/// (`\x1b`, `\r`, `\u{202e}`), so the terminal prints it instead of obeying it. Line
/// feeds, tabs and all other text are kept; text without such characters is returned
/// as it is.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            c if is_unsafe(c) && (c as u32) < 0x100 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if is_unsafe(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_visibly() {
        assert_eq!(
            printable("LICENSE\u{1b}[31mred\u{7}\r\u{9b}\u{202e}x"),
            "LICENSE\\x1b[31mred\\x07\\r\\x9b\\u{202e}x"
        );
        assert_eq!(printable("æøå\tok\n🟢"), "æøå\tok\n🟢");
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }
}
