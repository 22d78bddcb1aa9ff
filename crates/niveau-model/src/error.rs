//! Errors of the model loader: one [`Problem`] per thing wrong, each with file, line,
//! column and the rule broken.

use std::fmt;

use serde::Serialize;

use crate::Msg;

/// A place in a text file. Line and column are 1-based; the column counts characters
/// (Unicode scalar values), as editors show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file name or other origin (`<built-in os2-1.1.0>`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// Converts byte offsets into line and column.
///
/// Hand-written because it is a dozen lines and every crate that offers it brings a
/// larger API than this needs.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// The 1-based line and character column of a byte offset. Offsets past the end or
    /// inside a character are clamped to the nearest valid position before them.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let column = self.text[start..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// A [`Location`] in `file` for a byte offset.
    pub fn location(&self, file: &str, offset: usize) -> Location {
        let (line, column) = self.line_column(offset);
        Location {
            file: file.to_owned(),
            line,
            column,
        }
    }
}

/// The rule a problem breaks. The kebab-case name is shown to users and documented in
/// docs/models.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// Not valid TOML.
    Syntax,
    /// Valid TOML with the wrong shape: unknown or missing key, wrong type.
    Structure,
    /// The same id twice.
    DuplicateId,
    /// A requirement refers to a level the model does not define.
    UnknownLevel,
    /// A requirement refers to a theme the model does not define.
    UnknownTheme,
    /// A reference to a requirement the model does not define.
    UnknownRequirement,
    /// A text that must not be empty is empty.
    EmptyText,
    /// An alias equals an id or another alias.
    AliasCollision,
    /// Level ranks are not strictly increasing in the order the levels are listed.
    LevelsOutOfOrder,
    /// A value outside what the field allows.
    InvalidValue,
}

impl Rule {
    /// The kebab-case name of the rule.
    pub fn name(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::Structure => "structure",
            Rule::DuplicateId => "duplicate-id",
            Rule::UnknownLevel => "unknown-level",
            Rule::UnknownTheme => "unknown-theme",
            Rule::UnknownRequirement => "unknown-requirement",
            Rule::EmptyText => "empty-text",
            Rule::AliasCollision => "alias-collision",
            Rule::LevelsOutOfOrder => "levels-out-of-order",
            Rule::InvalidValue => "invalid-value",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One thing wrong in a model (or proposal table) file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{location}: error[{rule}]: {message}")]
pub struct Problem {
    /// Where.
    pub location: Location,
    /// Which rule.
    pub rule: Rule,
    /// What is wrong, in an English sentence (the text of `Display`, for logs).
    pub message: String,
    /// What is wrong, in a Danish sentence.
    #[serde(skip)]
    pub message_da: String,
}

impl Problem {
    /// The problem in both languages, with its place and rule:
    /// `FILE:LINE:COLUMN: fejl[RULE]: …` / `FILE:LINE:COLUMN: error[RULE]: …`. The rule's
    /// name is an identifier (docs/models.md) and the same in both.
    pub fn msg(&self) -> Msg {
        let Problem {
            location,
            rule,
            message,
            message_da,
        } = self;
        Msg::new(
            format!("{location}: fejl[{rule}]: {message_da}"),
            format!("{location}: error[{rule}]: {message}"),
        )
    }
}

/// Everything wrong with a file; never empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct Problems {
    /// The problems, in file order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl Problems {
    /// Every problem in both languages, one per line (see [`Problem::msg`]).
    pub fn msg(&self) -> Msg {
        let all: Vec<Msg> = self.problems.iter().map(Problem::msg).collect();
        let join = |english: bool| {
            all.iter()
                .map(|m| m.pick(english))
                .collect::<Vec<_>>()
                .join("\n")
        };
        Msg::new(join(false), join(true))
    }
}

/// A model id that is neither built in nor registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown model `{id}`; known models: {}", known.join(", "))]
pub struct UnknownModel {
    /// The id asked for.
    pub id: String,
    /// The ids that exist.
    pub known: Vec<String>,
}

impl UnknownModel {
    /// The error in both languages.
    pub fn msg(&self) -> Msg {
        let known = self.known.join(", ");
        Msg::new(
            format!("ukendt model `{}`; kendte modeller: {known}", self.id),
            format!("unknown model `{}`; known models: {known}", self.id),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_in_both_languages() {
        let unknown = UnknownModel {
            id: "os2-9".into(),
            known: vec!["os2-2018".into(), "os2-2021".into()],
        };
        assert_eq!(
            unknown.msg(),
            Msg::new(
                "ukendt model `os2-9`; kendte modeller: os2-2018, os2-2021",
                "unknown model `os2-9`; known models: os2-2018, os2-2021"
            )
        );
        assert_eq!(unknown.msg().en, unknown.to_string());

        let problems = crate::load_model(
            "[model]\nid = \"x\"\nversion = \"1\"\nnme = \"y\"\n",
            "m.toml",
        )
        .unwrap_err();
        let m = problems.msg();
        assert_eq!(m.en, problems.to_string());
        let da: Vec<&str> = m.da.lines().collect();
        assert_eq!(
            da,
            [
                "m.toml:1:1: fejl[structure]: feltet `name` mangler",
                "m.toml:1:1: fejl[structure]: modellen har ingen [[level]]-poster",
                "m.toml:1:1: fejl[structure]: modellen har ingen [[theme]]-poster",
                "m.toml:1:1: fejl[structure]: modellen har ingen [[requirement]]-poster",
                "m.toml:4:1: fejl[structure]: ukendt nøgle `nme`; mente du `name`? \
                 (tilladt her: id, version, name, description, language, source)",
            ]
        );
        assert!(
            m.en.contains("m.toml:4:1: error[structure]: unknown key `nme`; did you mean `name`?")
        );
    }

    #[test]
    fn syntax_errors_name_the_expected_tokens_in_danish() {
        let problems = crate::load_model("[model\n", "s.toml").unwrap_err();
        let p = &problems.problems[0];
        assert_eq!(p.rule, Rule::Syntax);
        assert!(p.msg().da.starts_with("s.toml:1:"), "{}", p.msg().da);
        assert!(p.message_da.starts_with("ugyldig TOML"), "{}", p.message_da);
        assert!(!p.message_da.contains("expected"), "{}", p.message_da);
        assert!(p.msg().en.contains(": error[syntax]: "), "{}", p.msg().en);
    }

    #[test]
    fn line_and_column_count_characters() {
        let text = "a = 1\nø = \"x\"\n\nlast";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_column(0), (1, 1));
        assert_eq!(idx.line_column(6), (2, 1));
        // 'ø' is two bytes; the space after it is column 2.
        assert_eq!(idx.line_column(8), (2, 2));
        assert_eq!(idx.line_column(text.len()), (4, 5));
        assert_eq!(idx.line_column(10_000), (4, 5));
        // Inside the two bytes of 'ø': clamped back to its start.
        assert_eq!(idx.line_column(7), (2, 1));
    }
}
