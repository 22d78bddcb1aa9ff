//! Import: every generation of OS2's self-evaluations and evaluations (Markdown), the
//! JSON of OS2's self-evaluation form, and Niveau's own JSON → [`Report`].
//!
//! The importer recovers what it can and records a [`crate::document::Warning`] with the
//! line for everything odd; every original cell is kept in [`Report::rows`]. A document
//! without any requirement table is refused, not guessed at.

pub mod backlog;
pub mod cells;
mod checks;
pub mod columns;
mod form;
pub mod hints;
mod markdown;
pub mod meta;
mod printed;
pub mod scan;

use niveau_model::{Msg, Registry, UnknownModel};

use crate::document::{IMPORT_SCHEMA, REPORT_SCHEMA, Report};

/// The largest document the importer reads (8 MiB). Real reports are 5–25 KB.
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Read the requirements against this model instead of detecting it.
    pub model: Option<String>,
}

/// Why a document could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Larger than [`MAX_INPUT_BYTES`].
    #[error("{file}: the file is {size} bytes; the importer reads at most {limit} bytes")]
    TooLarge {
        /// File name.
        file: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// Not UTF-8 text.
    #[error("{file}:{line}:{column}: the file is not UTF-8 text")]
    NotUtf8 {
        /// File name.
        file: String,
        /// Line of the first bad byte.
        line: usize,
        /// Column of the first bad byte.
        column: usize,
    },
    /// No requirement table: e.g. a free prose review.
    #[error(
        "{file}: no requirement table found (a table with requirement ids such as R1, F7, G10); \
         the document is not an OS2 self-evaluation or evaluation, or it is written as prose"
    )]
    NoRequirementTable {
        /// File name.
        file: String,
    },
    /// JSON that is not valid, or not a form or Niveau document.
    #[error("{file}:{line}:{column}: {message}")]
    Json {
        /// File name.
        file: String,
        /// Line.
        line: usize,
        /// Column.
        column: usize,
        /// What is wrong, in English (serde_json's message, or the importer's).
        message: String,
        /// What is wrong, in Danish.
        message_da: String,
    },
    /// The model asked for (or detected) is not known.
    #[error(transparent)]
    UnknownModel(#[from] UnknownModel),
}

impl ImportError {
    /// The error in both languages, with the file (and line and column where known).
    /// The English text is the `Display` text.
    pub fn msg(&self) -> Msg {
        let da = match self {
            ImportError::TooLarge { file, size, limit } => {
                format!("{file}: filen er {size} bytes; der læses højst {limit} bytes")
            }
            ImportError::NotUtf8 { file, line, column } => {
                format!("{file}:{line}:{column}: filen er ikke UTF-8-tekst")
            }
            ImportError::NoRequirementTable { file } => format!(
                "{file}: ingen kravtabel fundet (en tabel med krav-id'er som R1, F7, G10); \
                 dokumentet er ikke en OS2-selvevaluering eller -evaluering, eller det er skrevet \
                 som fri tekst"
            ),
            ImportError::Json {
                file,
                line,
                column,
                message_da,
                ..
            } => format!("{file}:{line}:{column}: {message_da}"),
            ImportError::UnknownModel(e) => return e.msg(),
        };
        Msg::new(da, self.to_string())
    }
}

/// Imports a document from bytes: checks size and encoding, then reads JSON (OS2's
/// form or Niveau's own) or Markdown.
pub fn import_bytes(
    bytes: &[u8],
    source: &str,
    registry: &Registry,
    opts: &ImportOptions,
) -> Result<Report, ImportError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            file: source.to_owned(),
            size: bytes.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = String::from_utf8_lossy(&bytes[..valid]);
        let (line, column) = niveau_model::error::LineIndex::new(&prefix).line_column(valid);
        ImportError::NotUtf8 {
            file: source.to_owned(),
            line,
            column,
        }
    })?;
    import_str(text, source, registry, opts)
}

/// Imports a document from text.
pub fn import_str(
    text: &str,
    source: &str,
    registry: &Registry,
    opts: &ImportOptions,
) -> Result<Report, ImportError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            file: source.to_owned(),
            size: text.len(),
            limit: MAX_INPUT_BYTES,
        });
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        return import_json(trimmed, source, registry, opts);
    }
    markdown::import(text, source, registry, opts)
}

fn json_error(source: &str, e: &serde_json::Error) -> ImportError {
    ImportError::Json {
        file: source.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
        message_da: json_message_da(e),
    }
}

/// serde_json's error in Danish, without the place (which the error names already).
fn json_message_da(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let fallback = match e.classify() {
        Category::Eof => "JSON-teksten slutter for tidligt",
        Category::Data => "dokumentet passer ikke til skemaet",
        Category::Syntax | Category::Io => "ugyldig JSON",
    };
    let message = e.to_string();
    // serde_json's message ends with "at line L column C".
    let message = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => &message,
    };
    let da = Msg::serde(message, fallback).da;
    if da == fallback || e.classify() != Category::Data {
        da
    } else {
        format!("{fallback}: {da}")
    }
}

fn import_json(
    text: &str,
    source: &str,
    registry: &Registry,
    opts: &ImportOptions,
) -> Result<Report, ImportError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| json_error(source, &e))?;
    match value.get("schema").and_then(|s| s.as_str()) {
        Some(schema) if schema == REPORT_SCHEMA => {
            let mut report: Report =
                serde_json::from_value(value).map_err(|e| json_error(source, &e))?;
            report.source = source.to_owned();
            Ok(report)
        }
        Some(schema) if schema == IMPORT_SCHEMA => {
            let inner = value.get("report").cloned().unwrap_or_default();
            let mut report: Report =
                serde_json::from_value(inner).map_err(|e| json_error(source, &e))?;
            report.source = source.to_owned();
            Ok(report)
        }
        Some(other) => Err(ImportError::Json {
            file: source.to_owned(),
            line: 1,
            column: 1,
            message: format!(
                "unsupported schema `{other}`; this version of Niveau reads `{REPORT_SCHEMA}`, `{IMPORT_SCHEMA}` and OS2's self-evaluation form"
            ),
            message_da: format!(
                "skemaet `{other}` understøttes ikke; denne version af Niveau læser `{REPORT_SCHEMA}`, `{IMPORT_SCHEMA}` og OS2's selvevalueringsformular"
            ),
        }),
        None if value.get("krav").is_some() => form::import(&value, source, registry, opts),
        None => Err(ImportError::NoRequirementTable {
            file: source.to_owned(),
        }),
    }
}

/// The links in a text: Markdown link targets and bare `http(s)://` URLs, in order,
/// without duplicates.
pub fn links(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |url: &str| {
        let url = url.trim_end_matches(['.', ',', ';', ')', ']', '>']);
        if (url.starts_with("http://") || url.starts_with("https://"))
            && url.len() > 8
            && !out.iter().any(|u| u == url)
        {
            out.push(url.to_owned());
        }
    };
    let mut from = 0;
    while let Some(i) = text[from..].find("http") {
        let rest = &text[from + i..];
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '<' | '"' | '|' | ']'))
            .unwrap_or(rest.len());
        push(&rest[..end]);
        // Continue after this candidate, so that the scan stays linear.
        from += i + end.max(4);
    }
    out
}

/// Word overlap of two texts (the Dice coefficient over lower-case words of three or
/// more letters),
/// from 0 to 1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let words = |t: &str| -> std::collections::BTreeSet<String> {
        t.to_lowercase()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_owned)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let common = a.intersection(&b).count() as f64;
    common / (a.len() + b.len()) as f64 * 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::builtin().unwrap()
    }

    #[test]
    fn errors_in_both_languages() {
        let opts = ImportOptions::default();
        let err = import_str("Bare fri tekst.\n", "anm.md", &registry(), &opts).unwrap_err();
        let m = err.msg();
        assert!(
            m.da.starts_with("anm.md: ingen kravtabel fundet (en tabel med krav-id'er"),
            "{}",
            m.da
        );
        assert!(
            m.da.ends_with("eller det er skrevet som fri tekst"),
            "{}",
            m.da
        );
        assert_eq!(m.en, err.to_string());
        assert!(m.en.starts_with("anm.md: no requirement table found"));

        let err = import_bytes(b"ok\n\xff", "x.md", &registry(), &opts).unwrap_err();
        assert_eq!(err.msg().da, "x.md:2:1: filen er ikke UTF-8-tekst");
        assert_eq!(err.msg().en, "x.md:2:1: the file is not UTF-8 text");

        let err = import_str("{\"krav\": [1,}", "f.json", &registry(), &opts).unwrap_err();
        assert_eq!(err.msg().da, "f.json:1:13: ugyldig JSON");
        assert_eq!(
            err.msg().en,
            "f.json:1:13: expected value at line 1 column 13"
        );

        let err = import_str("{\"schema\": \"x/9\"}", "s.json", &registry(), &opts).unwrap_err();
        assert!(
            err.msg()
                .da
                .starts_with("s.json:1:1: skemaet `x/9` understøttes ikke; denne version")
        );
        assert!(
            err.msg()
                .en
                .starts_with("s.json:1:1: unsupported schema `x/9`")
        );

        let opts = ImportOptions {
            model: Some("os2-1999".into()),
        };
        let err = import_str("| R1 | x |\n", "m.md", &registry(), &opts).unwrap_err();
        assert!(
            err.msg()
                .da
                .starts_with("ukendt model `os2-1999`; kendte modeller: "),
            "{}",
            err.msg().da
        );
        assert!(
            err.msg()
                .en
                .starts_with("unknown model `os2-1999`; known models: ")
        );
    }

    #[test]
    fn json_schema_errors_name_the_field_in_danish() {
        let text = format!("{{\"schema\": \"{REPORT_SCHEMA}\"}}");
        let err = import_str(&text, "r.json", &registry(), &ImportOptions::default()).unwrap_err();
        let m = err.msg();
        // serde_json gives no place for a value read from a parsed document.
        assert_eq!(
            m.da,
            "r.json:0:0: dokumentet passer ikke til skemaet: feltet `source` mangler"
        );
        assert_eq!(m.en, "r.json:0:0: missing field `source`");
    }

    #[test]
    fn finds_links() {
        assert_eq!(
            links("Se [her](https://a.dk/x) og https://b.dk. Igen https://a.dk/x"),
            ["https://a.dk/x", "https://b.dk"]
        );
        assert!(links("ingen").is_empty());
    }

    #[test]
    fn similarity_of_texts() {
        assert!(
            similarity(
                "Der er udarbejdet præsentationsmateriale",
                "Der er udarbejdet præsentationsmateriale af løsningen"
            ) > 0.6
        );
        assert!(
            similarity(
                "kommunikationsmateriale til strategisk niveau",
                "præsentationsmateriale af løsningen"
            ) < 0.2
        );
        assert_eq!(similarity("", "x"), 0.0);
    }
}
