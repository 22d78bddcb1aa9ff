//! publiccode.yml: parsing and validation against the
//! [publiccode.yml standard](https://yml.publiccode.tools), versions 0.2 to 0.5.
//!
//! [`validate`] reads the text of a `publiccode.yml` and returns a [`Validation`]: every
//! problem with its dotted key, line, column and severity, the outcome
//! ([`Outcome::Valid`], [`Outcome::ValidWithWarnings`] or [`Outcome::Invalid`]), and the
//! values Niveau uses as evidence ([`PublicCode`]), each with its line.
//!
//! # What is checked
//!
//! The rules follow the standard's `schema.core.rst` and the reference validator,
//! `pcvalidate` from [publiccode-parser-go](https://github.com/italia/publiccode-parser-go)
//! (v5), run with `--no-network`:
//!
//! - **Required keys** (all versions): `publiccodeYmlVersion`, `name`, `url`, `platforms`
//!   (a non-empty list), `developmentStatus`, `softwareType`, `description` (at least one
//!   language), `legal.license`, `maintenance.type`, `localisation.localisationReady` and
//!   `localisation.availableLanguages` (non-empty); `maintenance.contractors` when the
//!   type is `contract` (and not otherwise), `maintenance.contacts` when it is `internal`
//!   or `community`; `name` for every contact, contractor, dependency and organisation,
//!   `until` for every contractor; `uri` for `organisation` and every `fundedBy` item
//!   (their `name` is optional).
//! - **Descriptions**: every language key is a BCP 47 tag whose language is an ISO 639
//!   code; every language has a
//!   `shortDescription` of at most 150 characters; `longDescription` (150 to 10 000
//!   characters) and `features` (a non-empty list) are required in at least one language.
//!   Lengths count user-perceived characters (grapheme clusters) like the reference; the
//!   count is a close approximation, exact for Latin, Greek, Cyrillic and CJK text.
//! - **Values**: the enumerations of `developmentStatus`, `softwareType` and
//!   `maintenance.type`; the categories and scope lists; ISO 3166-1 alpha-2 country codes;
//!   dates as `YYYY-MM-DD`; `legal.license` as an SPDX expression (deprecated identifiers
//!   and any letter case accepted, like the reference); URLs (`url`, `isBasedOn`) and
//!   HTTP(S) URLs (`landingURL`, `roadmap`, documentation links, videos, contractor
//!   websites); e-mail addresses; MIME types; `organisation.uri` as a URI or URN;
//!   relative paths or URLs for `logo`, screenshots and `legal.authorsFile`; video URLs
//!   of oEmbed providers; `supports` ids (an `alias:` or a URI); the type of every known
//!   key (a list where a string is expected, a YAML 1.1 boolean such as `yes`, a single
//!   string for `platforms` are errors).
//! - **Files** ([`validate_in`], [`validate_bytes`]): a relative `logo`,
//!   `monochromeLogo`, screenshot or `legal.authorsFile` must exist in the repository
//!   ([`RepoFiles`]) and have a supported extension; a PNG logo must start with a PNG
//!   header. The file must be UTF-8 ([`validate_bytes`]).
//! - **Unknown keys** are errors, as in the reference. The Italian country section (`IT`,
//!   or the deprecated `it`) is checked for its keys; whether `riuso.codiceIPA` or an
//!   `urn:x-italian-pa:` URI names a registered Italian administration is not (the iPA
//!   registry is not shipped).
//!
//! # Versions
//!
//! `publiccodeYmlVersion` must be a string: `0.2`, `0.2.0`, `0.2.1`, `0.2.2`, `0.3`,
//! `0.3.0`, `0.4`, `0.4.0`, `0.5`, `0.5.0`, or `0` (the latest 0.x, as the reference
//! accepts). An unpublished patch release such as `0.4.7` is checked as 0.4 with a
//! warning. Any other version is an error, and the rest of the file is not checked.
//!
//! The reference parser checks every 0.x file with the rules of the latest version and
//! warns that an older version is not the latest. This module does the same, so the
//! outcome matches the reference, and adds warnings where the declared version's own
//! text differs ([`SpecVersion`] orders them):
//!
//! | rule | 0.2 | 0.3 | 0.4 | 0.5 |
//! |---|---|---|---|---|
//! | `releaseDate` missing | warning | warning | – | – |
//! | `categories` missing | warning | warning | warning | – |
//! | `genericName` missing | warning | – | – | – |
//! | `longDescription` under 500 characters | warning | – | – | – |
//! | a feature over 100 characters | warning | – | – | – |
//! | `genericName`, `monochromeLogo`, `inputTypes`, `outputTypes` | – | deprecated | deprecated | deprecated |
//! | `legal.authorsFile` | – | – | deprecated | deprecated |
//! | `legal.repoOwner`, lowercase country codes | – | – | – | deprecated |
//! | `organisation`, `fundedBy` | added later | added later | added later | – |
//! | a category added later (e.g. `whistleblowing` in 0.2) | added later | … | … | – |
//!
//! Deprecated keys and keys added later are warnings. An older version itself is a
//! warning ("not the latest version").
//!
//! # Differences from pcvalidate, and what is left out
//!
//! - No network: whether URLs are reachable, whether `url` is a code repository and
//!   whether logos given as URLs exist are not checked. Files in the repository are, when
//!   the caller gives them ([`validate_in`]); [`validate`] checks paths for syntax only.
//! - The agreement on the reference's own test files is measured by the test
//!   `publiccode_conformance`; docs/detectors.md lists the remaining differences.
//! - `longDescription` and `features` missing in one language while another has them is a
//!   warning (the standard asks for them "for at least one language"); the reference
//!   requires them in every language.
//! - Numbers and booleans where a string is expected are read as written, with a warning
//!   (a phone number written as a number without one, as the reference reads it).
//! - Of a BCP 47 tag only the language subtag is looked up (in ISO 639); the other
//!   subtags are checked for syntax.
//!
//! # Bounds
//!
//! Inputs over [`MAX_INPUT_BYTES`] are refused. The text is checked for nesting and anchor
//! counts that could make the YAML loader recurse deeply or copy many nodes (see
//! `limits.rs`); aliases may expand to at most [`MAX_NODES`] nodes (saphyr's own alias
//! budget), and a document with more than [`MAX_NODES`] nodes in all is not validated.
//! At most [`MAX_PROBLEMS`] problems are reported. [`validate`] never panics.

mod check;
mod files;
mod limits;
mod spec;
mod syntax;
mod yaml;

pub use files::{DirFiles, NoFiles, RepoFiles};
pub use spec::SpecVersion;

use chrono::NaiveDate;
use niveau_model::Msg;
use saphyr::{LoadableYamlNode, MarkedYaml};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The largest input [`validate`] reads: 1 MiB.
pub const MAX_INPUT_BYTES: usize = 1024 * 1024;

/// The largest number of YAML nodes (keys, values and list items, after alias expansion)
/// a document may have to be validated.
pub const MAX_NODES: usize = 100_000;

/// The largest number of problems reported for one document; further problems are
/// summarised in one last error.
pub const MAX_PROBLEMS: usize = 1_000;

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file does not conform to the standard.
    Error,
    /// The file conforms, but something should be improved (deprecated or unknown keys,
    /// an older version of the standard, a lenient reading).
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One finding about a publiccode.yml file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Problem {
    /// The dotted path of the key, e.g. `description.da.shortDescription`,
    /// `legal.license` or `categories[1]` for a list item. Empty for problems with the
    /// whole file (size, YAML syntax).
    pub key: String,
    /// 1-based line. For a value, the line of its key (of the item, in a list); for a
    /// missing key, the line where its parent mapping starts.
    pub line: usize,
    /// 1-based column (in characters), on the same rule as `line`.
    pub column: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one English sentence.
    pub message: String,
    /// What is wrong, in one Danish sentence.
    #[serde(skip)]
    pub message_da: String,
}

impl Problem {
    /// The problem in both languages, as `Display` gives it in English:
    /// `LINE:COLUMN: fejl|advarsel: KEY: …` / `LINE:COLUMN: error|warning: KEY: …`.
    pub fn msg(&self) -> niveau_model::Msg {
        let key = if self.key.is_empty() {
            String::new()
        } else {
            format!("{}: ", self.key)
        };
        let severity = match self.severity {
            Severity::Error => "fejl",
            Severity::Warning => "advarsel",
        };
        niveau_model::Msg::new(
            format!(
                "{}:{}: {severity}: {key}{}",
                self.line, self.column, self.message_da
            ),
            self.to_string(),
        )
    }
}

impl fmt::Display for Problem {
    /// `LINE:COLUMN: error|warning: KEY: message`; the `KEY: ` part is left out when the
    /// key is empty.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}: ", self.line, self.column, self.severity)?;
        if !self.key.is_empty() {
            write!(f, "{}: ", self.key)?;
        }
        f.write_str(&self.message)
    }
}

/// The verdict on a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Outcome {
    /// No problems.
    Valid,
    /// Warnings only.
    ValidWithWarnings,
    /// At least one error.
    Invalid,
}

/// The values of a publiccode.yml that Niveau uses as evidence.
///
/// Each field holds a value only when it passed its checks (an invalid license is `None`,
/// an invalid category is left out of the list). [`PublicCode::lines`] gives the line of
/// each recorded key, so evidence can point at it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PublicCode {
    /// `publiccodeYmlVersion` as written.
    pub version: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `url`, the source code repository.
    pub url: Option<String>,
    /// `softwareVersion`, as written.
    pub software_version: Option<String>,
    /// `releaseDate`.
    pub release_date: Option<NaiveDate>,
    /// `developmentStatus` (concept, development, beta, stable, obsolete).
    pub development_status: Option<String>,
    /// `softwareType` (standalone/web, library, …).
    pub software_type: Option<String>,
    /// `platforms`.
    pub platforms: Vec<String>,
    /// `categories` that are on the categories list.
    pub categories: Vec<String>,
    /// `organisation.name` (0.5).
    pub organisation: Option<String>,
    /// `legal.license`, a valid SPDX expression as written.
    pub license: Option<String>,
    /// `legal.mainCopyrightOwner`.
    pub main_copyright_owner: Option<String>,
    /// `maintenance.type` (internal, contract, community, none).
    pub maintenance_type: Option<String>,
    /// The names of `maintenance.contacts`.
    pub maintenance_contacts: Vec<String>,
    /// The languages of `description` that are valid BCP 47 tags, in file order.
    pub languages: Vec<String>,
    /// `(language, shortDescription)` for every language with a valid short description.
    pub short_descriptions: Vec<(String, String)>,
    /// `localisation.localisationReady`.
    pub localisation_ready: Option<bool>,
    /// `localisation.availableLanguages` that are valid BCP 47 tags.
    pub available_languages: Vec<String>,
    /// The line of each recorded key, by dotted key: `name`, `url`, `softwareVersion`,
    /// `releaseDate`, `developmentStatus`, `softwareType`, `platforms`, `categories`,
    /// `organisation.name`, `legal.license`, `legal.mainCopyrightOwner`,
    /// `maintenance.type`, `maintenance.contacts`, `description.<lang>`,
    /// `description.<lang>.shortDescription`, `localisation.localisationReady`,
    /// `localisation.availableLanguages` and `publiccodeYmlVersion`.
    pub lines: BTreeMap<String, usize>,
}

/// The result of [`validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Validation {
    /// `publiccodeYmlVersion` as written, when it could be read.
    pub version: Option<String>,
    /// The version of the standard whose rules were applied, when the file declares a
    /// supported one. Files without a readable version are checked with the latest rules.
    pub spec: Option<SpecVersion>,
    /// Every problem, in file order (by line and column).
    pub problems: Vec<Problem>,
    /// The values read from the file; `None` when the file could not be read as a
    /// publiccode.yml at all (too large, YAML syntax error, not a mapping, unsupported
    /// version).
    pub data: Option<PublicCode>,
}

impl Validation {
    /// The verdict: [`Outcome::Invalid`] if there is an error, otherwise
    /// [`Outcome::ValidWithWarnings`] if there is a warning, otherwise [`Outcome::Valid`].
    pub fn outcome(&self) -> Outcome {
        if self.errors().next().is_some() {
            Outcome::Invalid
        } else if self.problems.is_empty() {
            Outcome::Valid
        } else {
            Outcome::ValidWithWarnings
        }
    }

    /// The problems of severity [`Severity::Error`].
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
    }

    /// The problems of severity [`Severity::Warning`].
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Warning)
    }

    /// The data of a valid file (warnings allowed), or the problems of an invalid one.
    ///
    /// # Errors
    ///
    /// [`Invalid`] with every problem when the outcome is [`Outcome::Invalid`].
    pub fn into_result(self) -> Result<PublicCode, Invalid> {
        match (self.outcome(), self.data) {
            (Outcome::Invalid, _) | (_, None) => Err(Invalid {
                problems: self.problems,
            }),
            (_, Some(data)) => Ok(data),
        }
    }
}

/// A publiccode.yml that does not conform to the standard.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe_invalid(.problems))]
pub struct Invalid {
    /// Every problem found, errors and warnings, in file order.
    pub problems: Vec<Problem>,
}

fn describe_invalid(problems: &[Problem]) -> String {
    let errors = problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    match problems.iter().find(|p| p.severity == Severity::Error) {
        Some(first) => format!("invalid publiccode.yml: {errors} error(s), first at {first}"),
        None => "invalid publiccode.yml".to_owned(),
    }
}

/// A validation that stopped at a problem with the whole file.
fn refused(key: &str, line: usize, column: usize, message: niveau_model::Msg) -> Validation {
    Validation {
        version: None,
        spec: None,
        problems: vec![Problem {
            key: key.to_owned(),
            line,
            column,
            severity: Severity::Error,
            message: message.en,
            message_da: message.da,
        }],
        data: None,
    }
}

/// Validates the text of a publiccode.yml file against the standard (see the module
/// documentation for the rules), without the files beside it: paths (`logo`,
/// screenshots, `legal.authorsFile`) are checked for their syntax only. Never panics;
/// every input gives a [`Validation`].
pub fn validate(text: &str) -> Validation {
    validate_in(text, &NoFiles)
}

/// Validates the bytes of a publiccode.yml file, as the reference parser reads a file:
/// they must be UTF-8 (a byte order mark is allowed and skipped), and relative paths are
/// checked against `files`. Never panics.
pub fn validate_bytes(bytes: &[u8], files: &dyn RepoFiles) -> Validation {
    match std::str::from_utf8(bytes) {
        Ok(text) => validate_in(text, files),
        Err(e) => not_utf8(bytes, e.valid_up_to()),
    }
}

/// Validates text that was decoded from bytes with invalid UTF-8 sequences replaced by
/// U+FFFD (how a scan reads files): a U+FFFD is taken as the sign of a file that is not
/// UTF-8, and refused like [`validate_bytes`] refuses one. Never panics.
pub fn validate_lossy(text: &str, files: &dyn RepoFiles) -> Validation {
    match text.find('\u{FFFD}') {
        Some(at) => not_utf8(text.as_bytes(), at),
        None => validate_in(text, files),
    }
}

/// The refusal of a file that is not UTF-8; `at` is the byte offset of the first bad
/// sequence.
fn not_utf8(bytes: &[u8], at: usize) -> Validation {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    refused(
        "",
        line,
        column,
        Msg::new(
            "filen er ikke gyldig UTF-8; en publiccode.yml skal være kodet som UTF-8",
            "the file is not valid UTF-8; a publiccode.yml must be encoded in UTF-8",
        ),
    )
}

/// Validates the text of a publiccode.yml file against the standard, checking relative
/// paths against `files` (whether the file exists, its extension, and for a PNG logo its
/// header). Never panics; every input gives a [`Validation`].
pub fn validate_in(text: &str, files: &dyn RepoFiles) -> Validation {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if text.len() > MAX_INPUT_BYTES {
        return refused(
            "",
            1,
            1,
            Msg::new(
                format!(
                    "filen er {} bytes, mere end de {MAX_INPUT_BYTES} bytes (1 MiB), en publiccode.yml må fylde her; den er ikke læst",
                    text.len()
                ),
                format!(
                    "the file is {} bytes long, more than the {MAX_INPUT_BYTES} bytes (1 MiB) a publiccode.yml may have here; it was not read",
                    text.len()
                ),
            ),
        );
    }
    if let Err(refusal) = limits::precheck(text, MAX_NODES) {
        return match refusal {
            limits::Refusal::TooDeep { line, column } => refused(
                "",
                line,
                column,
                Msg::new(
                    format!(
                        "strukturen er indlejret eller indrykket ud over kolonne {}; filen er ikke læst",
                        limits::MAX_STRUCTURAL_COLUMN
                    ),
                    format!(
                        "the structure is nested or indented beyond column {}; the file was not read",
                        limits::MAX_STRUCTURAL_COLUMN
                    ),
                ),
            ),
            limits::Refusal::TooManyAnchors {
                anchors,
                line,
                column,
            } => refused(
                "",
                line,
                column,
                Msg::new(
                    format!(
                        "filen har {anchors} YAML-ankre, for mange til dens størrelse og aliasser; filen er ikke læst"
                    ),
                    format!(
                        "the file has {anchors} YAML anchors, too many for its size and aliases; the file was not read"
                    ),
                ),
            ),
        };
    }
    // saphyr is fuzzed upstream, but it is third-party code reading untrusted input:
    // should it ever panic, the file is refused instead of taking the caller down.
    let loaded = std::panic::catch_unwind(|| MarkedYaml::load_from_str(text));
    let docs = match loaded {
        Ok(Ok(docs)) => docs,
        Err(_) => {
            return refused(
                "",
                1,
                1,
                Msg::new(
                    "YAML-læseren fejlede på filen; den er ikke læst",
                    "the YAML parser failed on this file; it was not read",
                ),
            );
        }
        Ok(Err(e)) => {
            let (line, column) = (e.marker().line(), e.marker().col() + 1);
            let message = if e.info().contains("alias expansion") {
                Msg::new(
                    format!(
                        "YAML-aliasserne udfoldes til mere end {MAX_NODES} knuder (et \"billion laughs\"-dokument); filen er ikke læst"
                    ),
                    format!(
                        "YAML aliases expand to more than {MAX_NODES} nodes (a \"billion laughs\" document); the file was not read"
                    ),
                )
            } else {
                // The parser's own words are quoted after "YAML:" in Danish.
                Msg::new(
                    format!("ugyldig YAML (YAML: {})", e.info()),
                    format!("YAML syntax error: {}", e.info()),
                )
            };
            return refused("", line, column, message);
        }
    };
    let mut docs = docs.iter();
    let Some(root) = docs.next() else {
        return refused("", 1, 1, Msg::new("filen er tom", "the file is empty"));
    };
    if let Some(second) = docs.next() {
        let (line, column) = yaml::pos(second);
        return refused(
            "",
            line,
            column,
            Msg::new(
                "filen indeholder mere end ét YAML-dokument; en publiccode.yml skal indeholde præcis ét",
                "the file holds more than one YAML document; a publiccode.yml must hold exactly one",
            ),
        );
    }
    if exceeds_nodes(root, MAX_NODES) {
        let (line, column) = yaml::pos(root);
        return refused(
            "",
            line,
            column,
            Msg::new(
                format!(
                    "dokumentet har mere end {MAX_NODES} YAML-knuder; det er ikke kontrolleret"
                ),
                format!("the document has more than {MAX_NODES} YAML nodes; it was not validated"),
            ),
        );
    }
    let map = match yaml::kind(root) {
        yaml::Kind::Map(map) => map,
        yaml::Kind::Null | yaml::Kind::Bad => {
            return refused("", 1, 1, Msg::new("filen er tom", "the file is empty"));
        }
        other => {
            let (line, column) = yaml::pos(root);
            return refused(
                "",
                line,
                column,
                Msg::new(
                    format!(
                        "øverste niveau skal være en mapping af nøgler, fandt {}",
                        other.describe_da()
                    ),
                    format!(
                        "the top level must be a mapping of keys, found {}",
                        other.describe()
                    ),
                ),
            );
        }
    };
    let checked = check::run(text, root, map, files);
    let mut problems = checked.problems;
    problems.sort_by_key(|p| (p.line, p.column));
    if problems.len() > MAX_PROBLEMS {
        let omitted = problems.split_off(MAX_PROBLEMS);
        let severity = if omitted.iter().any(|p| p.severity == Severity::Error) {
            Severity::Error
        } else {
            Severity::Warning
        };
        let (line, column) = omitted.first().map_or((1, 1), |p| (p.line, p.column));
        let omitted = omitted.len();
        problems.push(Problem {
            key: String::new(),
            line,
            column,
            severity,
            message: format!("{omitted} further problems are not listed"),
            message_da: format!("{omitted} problemer mere er ikke vist"),
        });
    }
    Validation {
        version: checked.version,
        spec: checked.spec,
        problems,
        data: checked.data,
    }
}

/// Whether the tree has more than `limit` nodes. Walks with an explicit stack (the tree
/// may be deep) and stops as soon as the limit is passed.
fn exceeds_nodes(root: &MarkedYaml<'_>, limit: usize) -> bool {
    let mut stack = vec![root];
    let mut count = 0usize;
    while let Some(node) = stack.pop() {
        count += 1;
        if count > limit {
            return true;
        }
        yaml::children(node, &mut stack);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let text = "publiccodeYmlVersion: \"0.5\"\nname: Blå\n";
        let plain = validate(text);
        // A UTF-8 byte order mark is skipped.
        let bom = validate_bytes(format!("\u{FEFF}{text}").as_bytes(), &NoFiles);
        assert_eq!(bom.problems, plain.problems);
        // Latin-1: refused at the first bad byte, line 2, column 9.
        let latin1 = b"publiccodeYmlVersion: \"0.5\"\nname: Bl\xe5\n";
        let v = validate_bytes(latin1, &NoFiles);
        assert_eq!(v.outcome(), Outcome::Invalid);
        assert_eq!(
            (v.problems.len(), v.problems[0].line, v.problems[0].column),
            (1, 2, 9)
        );
        assert_eq!(
            v.problems[0].message,
            "the file is not valid UTF-8; a publiccode.yml must be encoded in UTF-8"
        );
        // What a scan reads of the same bytes (invalid sequences replaced): the same.
        let lossy = String::from_utf8_lossy(latin1);
        assert_eq!(validate_lossy(&lossy, &NoFiles).problems, v.problems);
        assert_eq!(validate_lossy(text, &NoFiles).problems, plain.problems);
    }

    #[test]
    fn problems_in_both_languages() {
        let v = validate(
            "publiccodeYmlVersion: \"0.5\"\nname: X\nurl: not a url\ndevelopmentStatus: maybe\n",
        );
        let url = v.problems.iter().find(|p| p.key == "url").unwrap();
        assert_eq!(
            url.msg().da,
            "3:1: fejl: url: skal være en gyldig URL, fandt \"not a url\""
        );
        assert_eq!(
            url.msg().en,
            "3:1: error: url: must be a valid URL, found \"not a url\""
        );
        let status = v
            .problems
            .iter()
            .find(|p| p.key == "developmentStatus")
            .unwrap();
        assert!(
            status
                .msg()
                .da
                .starts_with("4:1: fejl: developmentStatus: skal være \"concept\", "),
            "{}",
            status.msg().da
        );
        assert!(
            status
                .msg()
                .da
                .contains(" eller \"obsolete\", fandt \"maybe\"")
        );
        let missing = v.problems.iter().find(|p| p.key == "legal").unwrap();
        assert_eq!(missing.msg().da, "1:1: fejl: legal: påkrævet nøgle mangler");
        // Every problem has a Danish text, and none of them is the English one.
        for p in &v.problems {
            assert!(!p.message_da.is_empty(), "{p}");
            assert_ne!(p.message_da, p.message, "{p}");
        }

        let v = validate("");
        assert_eq!(v.problems[0].msg().da, "1:1: fejl: filen er tom");
        let v = validate("publiccodeYmlVersion: \"0.4\"\n");
        let old = v
            .problems
            .iter()
            .find(|p| p.severity == Severity::Warning)
            .unwrap();
        assert_eq!(
            old.msg().da,
            "1:1: advarsel: publiccodeYmlVersion: version 0.4 er ikke standardens nyeste version; den nyeste er 0.5"
        );
    }
}
