//! Bounds on the work one input may cause, checked on the raw text before the YAML loader
//! runs.
//!
//! The loader (saphyr) bounds alias expansion itself (at most 100 000 nodes produced by
//! aliases), but two things happen before any node can be counted:
//!
//! - **Nesting.** Block collections nest as deep as the indentation allows, and compact
//!   notation (`- - - - x`) nests one level per two characters, so a 1 MiB line could nest
//!   half a million levels. Dropping or cloning such a tree recurses once per level and
//!   would overflow the stack. Flow collections are capped at 255 levels by the scanner.
//! - **Anchors.** The loader keeps a copy of every anchored node, so anchors on large or
//!   nested nodes cost (anchors × nodes) even without a single alias.
//!
//! Both are estimated conservatively from the text. The estimates only ever refuse
//! inputs that no real publiccode.yml resembles: lines indented or compacted beyond
//! [`MAX_STRUCTURAL_COLUMN`] columns, or dozens of anchors combined with aliases.

/// The largest column (in characters) at which a line's structure may start: leading
/// spaces plus compact indicators (`- `, `? `, `: `). Bounds block nesting to about twice
/// this many levels.
pub(super) const MAX_STRUCTURAL_COLUMN: usize = 400;

/// Budget for the nodes the loader copies when it records anchors: anchors times the
/// largest number of nodes an anchored subtree could hold.
pub(super) const ANCHOR_COPY_BUDGET: usize = 3_000_000;

/// Why the text is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Refusal {
    /// A line whose structure starts too far right (1-based line and column).
    TooDeep { line: usize, column: usize },
    /// Too many anchors for the size of the document (1-based position of the first one).
    TooManyAnchors {
        anchors: usize,
        line: usize,
        column: usize,
    },
}

/// Checks the text against the bounds above.
pub(super) fn precheck(text: &str, alias_limit: usize) -> Result<(), Refusal> {
    // YAML line breaks are LF, CR LF and CR alone; split on both characters so that a
    // CR-only file cannot hide its lines.
    for (index, line) in text.split(['\n', '\r']).enumerate() {
        let column = structural_column(line);
        if column > MAX_STRUCTURAL_COLUMN {
            return Err(Refusal::TooDeep {
                line: index + 1,
                column: column + 1,
            });
        }
    }
    let (anchors, aliases, first) = count_anchors(text);
    if anchors > 0 {
        // Every node takes at least one character of the text.
        let subtree = text.len() + if aliases > 0 { alias_limit } else { 0 };
        if anchors.saturating_mul(subtree) > ANCHOR_COPY_BUDGET {
            let (line, column) = first;
            return Err(Refusal::TooManyAnchors {
                anchors,
                line,
                column,
            });
        }
    }
    Ok(())
}

/// The column (0-based, in characters) after the leading spaces and compact block
/// indicators of a line.
fn structural_column(line: &str) -> usize {
    let chars: Vec<char> = line.chars().take(MAX_STRUCTURAL_COLUMN * 2 + 2).collect();
    let mut i = 0;
    while i < chars.len() && chars[i] == ' ' {
        i += 1;
    }
    loop {
        let indicator = matches!(chars.get(i), Some('-' | '?' | ':'));
        let followed = matches!(chars.get(i + 1), None | Some(' ' | '\t'));
        if !(indicator && followed) || i >= chars.len() {
            break;
        }
        i += 1;
        while i < chars.len() && matches!(chars[i], ' ' | '\t') {
            i += 1;
        }
    }
    i
}

/// Counts anchor (`&name`) and alias (`*name`) indicators: a `&` or `*` at the start of a
/// token (after a line start, white space or a flow indicator) and followed by a
/// non-blank character. Quoted and block scalars are not told apart, so text such as
/// ` **bold**` counts too: the count is an upper bound. Returns the counts and the 1-based
/// position of the first anchor.
fn count_anchors(text: &str) -> (usize, usize, (usize, usize)) {
    let (mut anchors, mut aliases) = (0, 0);
    let mut first = (1, 1);
    let (mut line, mut column) = (1, 0);
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        let token_start = prev.is_none_or(|p| p.is_whitespace() || matches!(p, '[' | '{' | ','));
        let named = chars.peek().is_some_and(|n| !n.is_whitespace());
        if token_start && named {
            if c == '&' {
                if anchors == 0 {
                    first = (line, column);
                }
                anchors += 1;
            } else if c == '*' {
                aliases += 1;
            }
        }
        if c == '\n' {
            line += 1;
            column = 0;
        }
        prev = Some(c);
    }
    (anchors, aliases, first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(structural_column("name: x"), 0);
        assert_eq!(structural_column("    - a"), 6);
        assert_eq!(structural_column("- - - x"), 6);
        assert_eq!(structural_column("  ? - x"), 6);
        assert_eq!(structural_column("-x"), 0);
    }

    #[test]
    fn deep_compact_nesting_is_refused() {
        let text = format!("a:\n{}x\n", "- ".repeat(1000));
        assert_eq!(
            precheck(&text, 100_000),
            Err(Refusal::TooDeep {
                line: 2,
                column: 2 * MAX_STRUCTURAL_COLUMN + 3
            })
        );
        assert_eq!(precheck("a:\n  - - - x\n", 100_000), Ok(()));
    }

    #[test]
    fn anchors() {
        assert_eq!(
            count_anchors("a: &x 1\nb: *x\nc: R&D\nd: **bold**"),
            (1, 2, (1, 4))
        );
        assert_eq!(precheck("a: &x 1\nb: *x\n", 100_000), Ok(()));
        let many: String = (0..40).map(|i| format!("k{i}: &a{i} [*a0]\n")).collect();
        assert!(matches!(
            precheck(&many, 100_000),
            Err(Refusal::TooManyAnchors {
                anchors: 40,
                line: 1,
                column: 5
            })
        ));
    }
}
