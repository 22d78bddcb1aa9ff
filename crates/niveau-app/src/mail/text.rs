//! The one escaping function for user text in e-mails, and the frame of every message.
//!
//! Subjects, addresses and display names go into headers, where a line break would start
//! a new header (header injection). [`header_safe`] is used for every one of them: it
//! turns every control character (CR, LF, tab, NUL, …) and the Unicode line and paragraph
//! separators into a space, collapses runs of spaces and bounds the length. Bodies are
//! plain text (`text/plain; charset=utf-8`, encoded by lettre), so user text in a body
//! needs no escaping beyond dropping control characters other than line breaks
//! ([`body_safe`]).

/// The longest subject kept, in characters.
pub const MAX_SUBJECT_CHARS: usize = 200;

/// Text safe for a header: no control characters or line separators, single spaces,
/// at most [`MAX_SUBJECT_CHARS`] characters.
pub fn header_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = if c.is_control() || c == '\u{2028}' || c == '\u{2029}' {
            ' '
        } else {
            c
        };
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    let trimmed = out.trim_end();
    trimmed.chars().take(MAX_SUBJECT_CHARS).collect()
}

/// Text safe for a plain-text body: line breaks kept (as `\n`), other control
/// characters dropped.
pub fn body_safe(text: &str) -> String {
    text.replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect()
}

/// The body as sent: the text, the link to the page (the server's address in front of
/// the stored path) and a footer saying where to change the settings.
pub fn full_body(body: &str, link: Option<&str>, base_url: &str, english: bool) -> String {
    let base = base_url.trim_end_matches('/');
    let mut out = body_safe(body);
    if let Some(link) = link {
        out.push_str("\n\n");
        out.push_str(if english { "Open: " } else { "Åbn: " });
        out.push_str(base);
        out.push_str(&header_safe(link).replace(' ', "%20"));
    }
    out.push_str("\n\n-- \n");
    if english {
        out.push_str("Niveau, OS2. Choose which e-mails you get on your profile: ");
    } else {
        out.push_str("Niveau, OS2. Vælg hvilke e-mails du får på din profil: ");
    }
    out.push_str(base);
    out.push_str("/profil\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_cannot_break_out_of_a_header() {
        let hostile = "Hej\r\nBcc: alle@example.org\r\n\r\nFalsk tekst\u{2028}X-Evil: 1\0";
        let safe = header_safe(hostile);
        assert_eq!(safe, "Hej Bcc: alle@example.org Falsk tekst X-Evil: 1");
        assert!(!safe.contains('\r') && !safe.contains('\n'));
        assert_eq!(
            header_safe(&"ø".repeat(500)).chars().count(),
            MAX_SUBJECT_CHARS
        );
    }

    #[test]
    fn bodies_keep_lines_and_get_the_link_and_footer() {
        let body = full_body(
            "Linje 1\r\nLinje 2\u{7}",
            Some("/ønsker/3"),
            "https://n.example/",
            false,
        );
        assert_eq!(
            body,
            "Linje 1\nLinje 2\n\nÅbn: https://n.example/ønsker/3\n\n-- \nNiveau, OS2. Vælg hvilke e-mails du får på din profil: https://n.example/profil\n"
        );
    }
}
