//! A line-oriented scanner for OS2's Markdown reports: front matter, headings, tables
//! (with the line of every row), quoted header fields and prose, skipping code blocks
//! (mermaid) and HTML comments.
//!
//! Hand-written rather than built on a CommonMark parser (comrak) on purpose: the
//! importer must keep every cell exactly as written with its line number, and recover
//! rows that a GFM parser silently repairs or drops (a cell too many is cut off, a row
//! without a leading pipe is not a row, a table without a delimiter row is a
//! paragraph). OS2's files are tables and labelled lines, so a scanner of lines is
//! enough, runs in linear time and cannot recurse.

use crate::document::Warning;

/// A heading (`#`…`######`, also written `\#`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1-based line.
    pub line: usize,
    /// Number of `#`.
    pub level: usize,
    /// Text after the `#`s, trimmed, with trailing `#`s removed.
    pub text: String,
}

/// One table row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableRow {
    /// 1-based line.
    pub line: usize,
    /// Cells, trimmed, as written.
    pub cells: Vec<String>,
}

/// A table: a header row (if followed by a delimiter row) and body rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Header cells; empty if the table has no delimiter row.
    pub header: Vec<String>,
    /// 1-based line of the first line of the table.
    pub line: usize,
    /// Body rows (or every row, if there is no header).
    pub rows: Vec<TableRow>,
}

/// A line that is not part of a table, heading, code block or comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextLine {
    /// 1-based line.
    pub line: usize,
    /// The text, with a leading `>` quote marker removed and trimmed.
    pub text: String,
    /// Whether the line was quoted (`>`).
    pub quoted: bool,
}

/// A block of the document, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading.
    Heading(Heading),
    /// A table.
    Table(Table),
    /// A line of prose or a quoted line.
    Text(TextLine),
}

/// A scanned document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    /// The front matter between the opening and closing `---`, verbatim.
    pub front_matter: Option<String>,
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// What was odd.
    pub warnings: Vec<Warning>,
    /// Number of lines.
    pub lines: usize,
    /// Whether the text ends with a line break.
    pub final_newline: bool,
}

impl Scanned {
    /// The headings.
    pub fn headings(&self) -> impl Iterator<Item = &Heading> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading(h) => Some(h),
            _ => None,
        })
    }

    /// The tables.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    }

    /// The text lines.
    pub fn texts(&self) -> impl Iterator<Item = &TextLine> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Text(t) => Some(t),
            _ => None,
        })
    }
}

fn warn(line: usize, code: &str, da: String, en: String) -> Warning {
    Warning::at_line(line, code, da, en)
}

/// Splits a table line into cells: pipes separate cells unless escaped (`\|`) or inside
/// a code span. Returns the cells and whether the line had a leading and a trailing pipe.
pub fn split_row(line: &str) -> (Vec<String>, bool, bool) {
    let t = line.trim();
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    // A backtick opens a code span only if another one follows on the line: real files
    // use ` as an apostrophe ("OS2`s").
    let mut backticks_left = t.matches('`').count();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                current.push(c);
                if let Some(&next) = chars.peek() {
                    current.push(next);
                    chars.next();
                }
            }
            '`' => {
                backticks_left -= 1;
                if in_code || backticks_left > 0 {
                    in_code = !in_code;
                }
                current.push(c);
            }
            '|' if !in_code => {
                cells.push(std::mem::take(&mut current));
            }
            _ => current.push(c),
        }
    }
    cells.push(current);
    let leading = t.starts_with('|');
    let trailing = t.len() > 1 && t.ends_with('|') && !t.ends_with("\\|");
    if leading && !cells.is_empty() {
        cells.remove(0);
    }
    if trailing && !cells.is_empty() {
        cells.pop();
    }
    let cells = cells.into_iter().map(|c| c.trim().to_owned()).collect();
    (cells, leading, trailing)
}

/// Whether cells form a delimiter row (`---`, `:---`, `---:`, `:---:`).
pub fn is_delimiter(cells: &[String]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            let inner = c.trim_start_matches(':').trim_end_matches(':');
            !inner.is_empty() && inner.chars().all(|ch| ch == '-' || ch == ' ')
        })
}

fn heading_of(line: &str) -> Option<(usize, String)> {
    let t = line.trim_start();
    let t = t.strip_prefix('\\').unwrap_or(t);
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    // "#Heading" without a space is still read as a heading (seen in real files: "##LOG").
    let text = rest.trim().trim_end_matches('#').trim().to_owned();
    Some((hashes, text))
}

/// Scans `text` (already valid UTF-8) into blocks.
pub fn scan(text: &str) -> Scanned {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Scanned {
        final_newline: text.ends_with('\n'),
        ..Scanned::default()
    };
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let lines = if out.final_newline {
        &lines[..lines.len().saturating_sub(1)]
    } else {
        &lines[..]
    };
    out.lines = lines.len();
    let mut i = 0;
    // Front matter.
    if lines.first().map(|l| l.trim_end()) == Some("---") {
        if let Some(end) = lines
            .iter()
            .skip(1)
            .position(|l| l.trim_end() == "---" || l.trim_end() == "...")
        {
            out.front_matter = Some(lines[1..=end].join("\n"));
            i = end + 2;
        } else {
            out.warnings.push(warn(
                1,
                "unclosed-front-matter",
                "Front matter starter med --- men slutter aldrig; resten af filen læses som Markdown.".into(),
                "Front matter starts with --- but never ends; the rest of the file is read as Markdown.".into(),
            ));
            i = 1;
        }
    }
    let mut fence: Option<(usize, String)> = None;
    let mut in_comment: Option<usize> = None;
    let mut table: Option<Table> = None;
    while i < lines.len() {
        let n = i + 1;
        let raw = lines[i];
        i += 1;
        let trimmed = raw.trim();
        if let Some((start, marker)) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                let _ = start;
                fence = None;
            }
            continue;
        }
        if in_comment.is_some() {
            if trimmed.contains("-->") {
                in_comment = None;
            }
            continue;
        }
        let is_row = trimmed.starts_with('|')
            || (table.is_some() && trimmed.contains('|') && !trimmed.is_empty());
        if !is_row && let Some(t) = table.take() {
            out.blocks.push(Block::Table(t));
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some((n, trimmed[..3].to_owned()));
            continue;
        }
        if trimmed.starts_with("<!--") {
            if !trimmed.contains("-->") {
                in_comment = Some(n);
            }
            continue;
        }
        if is_row {
            let (cells, leading, trailing) = split_row(raw);
            match table.as_mut() {
                None => {
                    // A new table: is the next line a delimiter row?
                    let delimiter_next = lines
                        .get(i)
                        .map(|next| is_delimiter(&split_row(next).0))
                        .unwrap_or(false);
                    if delimiter_next {
                        i += 1;
                        table = Some(Table {
                            header: cells,
                            line: n,
                            rows: Vec::new(),
                        });
                    } else if is_delimiter(&cells) {
                        // A delimiter row with no header above it.
                        out.warnings.push(warn(
                            n,
                            "table-without-header",
                            "Tabellen har ingen overskriftsrække; kolonnerne genkendes på indholdet.".into(),
                            "The table has no header row; columns are recognised by their content.".into(),
                        ));
                        table = Some(Table {
                            header: Vec::new(),
                            line: n,
                            rows: Vec::new(),
                        });
                    } else {
                        table = Some(Table {
                            header: Vec::new(),
                            line: n,
                            rows: vec![TableRow { line: n, cells }],
                        });
                        if lines.get(i).is_some_and(|l| l.trim().starts_with('|')) {
                            out.warnings.push(warn(
                                n,
                                "table-without-header",
                                "Tabellen har ingen skillelinje (| --- |) under overskriften; alle rækker læses som data.".into(),
                                "The table has no delimiter row (| --- |) under its header; every row is read as data.".into(),
                            ));
                        }
                    }
                }
                Some(t) => {
                    if is_delimiter(&cells) {
                        continue;
                    }
                    if !leading {
                        out.warnings.push(warn(
                            n,
                            "row-without-leading-pipe",
                            "Rækken begynder ikke med |; den læses som en række i tabellen ovenfor.".into(),
                            "The row does not start with |; it is read as a row of the table above.".into(),
                        ));
                    } else if !trailing {
                        out.warnings.push(warn(
                            n,
                            "row-without-trailing-pipe",
                            "Rækken slutter ikke med |.".into(),
                            "The row does not end with |.".into(),
                        ));
                    }
                    if raw.starts_with(' ') || raw.starts_with('\t') {
                        out.warnings.push(warn(
                            n,
                            "row-indented",
                            "Rækken begynder med mellemrum.".into(),
                            "The row starts with whitespace.".into(),
                        ));
                    }
                    t.rows.push(TableRow { line: n, cells });
                }
            }
            continue;
        }
        if let Some((level, text)) = heading_of(raw) {
            out.blocks.push(Block::Heading(Heading {
                line: n,
                level,
                text,
            }));
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        let (quoted, text) = match trimmed.strip_prefix('>') {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        if text.is_empty() {
            continue;
        }
        out.blocks.push(Block::Text(TextLine {
            line: n,
            text: text.to_owned(),
            quoted,
        }));
    }
    if let Some(t) = table.take() {
        out.blocks.push(Block::Table(t));
    }
    if let Some((start, _)) = fence {
        out.warnings.push(warn(
            start,
            "unclosed-code-block",
            "Kodeblokken lukkes aldrig; resten af filen er sprunget over.".into(),
            "The code block is never closed; the rest of the file was skipped.".into(),
        ));
    }
    if let Some(start) = in_comment {
        out.warnings.push(warn(
            start,
            "unclosed-comment",
            "HTML-kommentaren lukkes aldrig; resten af filen er sprunget over.".into(),
            "The HTML comment is never closed; the rest of the file was skipped.".into(),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_rows_with_escapes_and_missing_pipes() {
        let (c, l, t) = split_row("| a | b \\| c | `x|y` |");
        assert_eq!(c, ["a", "b \\| c", "`x|y`"]);
        assert!(l && t);
        let (c, l, t) = split_row(" | R1 | text");
        assert_eq!(c, ["R1", "text"]);
        assert!(l && !t);
        let (c, _, _) = split_row("| [x] | S3 | OS2`s vision | Se S1. | 2 |");
        assert_eq!(c, ["[x]", "S3", "OS2`s vision", "Se S1.", "2"]);
        let (c, _, _) = split_row("|     |  #  | Krav |");
        assert_eq!(c, ["", "#", "Krav"]);
        assert!(is_delimiter(&split_row("|-----|:---:|--------:|").0));
        assert!(!is_delimiter(&split_row("| R1 | --- |").0));
    }

    #[test]
    fn scans_front_matter_headings_tables_and_skips_code_and_comments() {
        let text = "---\ntitle: X\n---\n\n\\# RELEVANS\n\n| # | Krav |\n|---|---|\n| R1 | a |\n | R2 | b\n\n<!--\n| R9 | hidden |\n-->\n```mermaid\n| R8 | hidden |\n```\n> **Dato:** 01-02-2026\nprose";
        let s = scan(text);
        assert_eq!(s.front_matter.as_deref(), Some("title: X"));
        let h: Vec<_> = s.headings().collect();
        assert_eq!(h[0].text, "RELEVANS");
        assert_eq!(h[0].line, 5);
        let tables: Vec<_> = s.tables().collect();
        assert_eq!(tables.len(), 1);
        assert_eq!(tables[0].header, ["#", "Krav"]);
        assert_eq!(tables[0].rows.len(), 2);
        assert_eq!(tables[0].rows[1].line, 10);
        let codes: Vec<&str> = s.warnings.iter().map(|w| w.code.as_str()).collect();
        assert!(codes.contains(&"row-without-trailing-pipe"));
        assert!(codes.contains(&"row-indented"));
        let texts: Vec<_> = s.texts().collect();
        assert!(texts[0].quoted);
        assert_eq!(texts[0].text, "**Dato:** 01-02-2026");
        assert_eq!(texts[1].text, "prose");
        assert!(!s.final_newline);
    }
}
