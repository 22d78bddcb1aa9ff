//! What a claim's documentation proves: the evidence in the text a product writes next
//! to its answer, weighed against what the requirement asks for.
//!
//! OS2 rates a requirement yellow or red when its fulfilment is not documented. A "Ja" is
//! a green candidate only when its documentation names something checkable (a URL, a file
//! in the repository, a document, a decision, a group, a licence), or — where the
//! requirement's guideline only asks the product to describe or confirm something — when
//! the documentation does describe or confirm it. Everything else is a claim without
//! documentation: empty, a placeholder, the answer repeated, a promise, or a general
//! statement.
//!
//! The words are data, in models/claim-evidence.toml ([`ClaimTable::builtin`]); URLs and
//! file names are recognised by their form here, because they are shapes, not words.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::Msg;
use crate::answer::is_placeholder;
use crate::model::Requirement;

/// The built-in table, models/claim-evidence.toml.
pub const DEFAULT_CLAIM_TABLE_TOML: &str = include_str!("../../../models/claim-evidence.toml");

/// What a requirement's guideline asks the product to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Demand {
    /// Something checkable: a link, a reference, an attachment.
    Reference,
    /// A named person or party.
    Name,
    /// A confirmation in the product's own words.
    Confirmation,
    /// A description in the product's own words.
    Description,
}

impl Demand {
    /// The demand in words, for a reason.
    pub fn msg(self) -> Msg {
        match self {
            Demand::Reference => Msg::new(
                "kravet beder om en henvisning (link, fil, dokument eller beslutning)",
                "the requirement asks for a reference (link, file, document or decision)",
            ),
            Demand::Name => Msg::new(
                "kravet beder om et navn (en person eller en part)",
                "the requirement asks for a name (a person or a party)",
            ),
            Demand::Confirmation => Msg::new(
                "kravet beder om en bekræftelse med produktets egne ord",
                "the requirement asks for a confirmation in the product's own words",
            ),
            Demand::Description => Msg::new(
                "kravet beder om en beskrivelse",
                "the requirement asks for a description",
            ),
        }
    }
}

/// How much a claim's documentation proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceClass {
    /// Nothing, or one of OS2's placeholders ("[Ikke udfyldt]").
    Missing,
    /// Only the answer again ("Ja.").
    Repeat,
    /// A promise of documentation ("link indsættes", "kan fremsendes").
    Promise,
    /// The documentation states its own gap ("…, men udviklingen foregår et andet sted").
    Hedged,
    /// A statement that names nothing checkable and does not answer what is asked.
    Statement,
    /// A description or confirmation that answers a requirement asking for one.
    Described,
    /// Names something checkable: a URL, a file, a document, a decision, a group.
    Named,
}

impl EvidenceClass {
    /// Whether the documentation is enough for a green candidate.
    pub fn substantiates(self) -> bool {
        matches!(self, EvidenceClass::Described | EvidenceClass::Named)
    }

    /// The table key of the class (`missing`, `repeat`, `promise`, `statement`,
    /// `described`, `named`).
    pub fn key(self) -> &'static str {
        match self {
            EvidenceClass::Missing => "missing",
            EvidenceClass::Repeat => "repeat",
            EvidenceClass::Promise => "promise",
            EvidenceClass::Hedged => "hedged",
            EvidenceClass::Statement => "statement",
            EvidenceClass::Described => "described",
            EvidenceClass::Named => "named",
        }
    }

    /// Every class key, for validating a table.
    pub const KEYS: [&'static str; 7] = [
        "missing",
        "repeat",
        "promise",
        "hedged",
        "statement",
        "described",
        "named",
    ];
}

/// One checkable thing a claim names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// `url`, `file`, `name`, or a kind of the table (`document`, `decision`, `group`,
    /// `licence`).
    pub kind: String,
    /// The text as written (a URL, a path, or the word that matched).
    pub text: String,
}

/// The evidence in one claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimAssessment {
    /// How much the documentation proves.
    pub class: EvidenceClass,
    /// What the requirement asks for.
    pub demand: Demand,
    /// What the documentation names (URLs first, then files, then words of the table).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    /// Words in the documentation.
    pub words: usize,
}

impl ClaimAssessment {
    /// Why the documentation counts or not, in one sentence.
    pub fn explain(&self, table: &ClaimTable) -> Msg {
        match self.class {
            EvidenceClass::Missing => Msg::new(
                "Dokumentationen er tom eller en pladsholder.",
                "The documentation is empty or a placeholder.",
            ),
            EvidenceClass::Repeat => Msg::new(
                "Dokumentationen gentager kun svaret.",
                "The documentation only repeats the answer.",
            ),
            EvidenceClass::Promise => Msg::new(
                "Dokumentationen lover dokumentation i stedet for at give den.",
                "The documentation promises documentation instead of giving it.",
            ),
            EvidenceClass::Hedged => Msg::new(
                "Dokumentationen nævner selv en mangel.",
                "The documentation itself states a gap.",
            ),
            EvidenceClass::Statement => {
                let demand = self.demand.msg();
                Msg::new(
                    format!(
                        "Dokumentationen er et generelt udsagn uden link, fil, dokument, beslutning eller gruppe, og {}.",
                        demand.da
                    ),
                    format!(
                        "The documentation is a general statement naming no link, file, document, decision or group, and {}.",
                        demand.en
                    ),
                )
            }
            EvidenceClass::Described => match self.demand {
                Demand::Confirmation => Msg::new(
                    "Kravet beder om en bekræftelse, og produktet bekræfter med egne ord.",
                    "The requirement asks for a confirmation, and the product confirms in its own words.",
                ),
                _ => Msg::new(
                    "Kravet beder om en beskrivelse, og produktet giver en.",
                    "The requirement asks for a description, and the product gives one.",
                ),
            },
            EvidenceClass::Named => {
                let named = self.named_list(table);
                Msg::new(
                    format!("Dokumentationen henviser til {}.", named.da),
                    format!("The documentation refers to {}.", named.en),
                )
            }
        }
    }

    /// What the secretariat checks: the references, or what would settle the claim.
    pub fn check(&self, requirement: Option<&Requirement>) -> Msg {
        if self.class == EvidenceClass::Named {
            let items: Vec<&str> = self
                .references
                .iter()
                .filter(|r| matches!(r.kind.as_str(), "url" | "file"))
                .map(|r| r.text.as_str())
                .collect();
            if !items.is_empty() {
                let list = items.join(", ");
                return Msg::new(
                    format!("Kontrollér at {list} viser det, kravet kræver."),
                    format!("Check that {list} shows what the requirement asks for."),
                );
            }
            let words: Vec<&str> = self.references.iter().map(|r| r.text.as_str()).collect();
            let list = words.join(", ");
            return Msg::new(
                format!("Bed om eller find det nævnte ({list}) og kontrollér det."),
                format!("Ask for or find what is named ({list}) and check it."),
            );
        }
        let settle = requirement
            .and_then(|r| r.guideline.as_deref().or(r.criterion.as_deref()))
            .map(str::trim)
            .filter(|t| !t.is_empty());
        match (self.class, settle) {
            (EvidenceClass::Described, _) => Msg::new(
                "Vurdér om beskrivelsen er dækkende.",
                "Judge whether the description is sufficient.",
            ),
            (_, Some(s)) => Msg::new(
                format!("Det, der kan afgøre kravet: {s}"),
                // The guideline is OS2's Danish text; it stays as written.
                format!("What would settle the requirement (OS2's guideline): {s}"),
            ),
            (_, None) => Msg::new(
                "Bed produktet om dokumentation: et link, en fil, et dokument eller en beslutning.",
                "Ask the product for documentation: a link, a file, a document or a decision.",
            ),
        }
    }

    fn named_list(&self, table: &ClaimTable) -> Msg {
        let mut da: Vec<String> = Vec::new();
        let mut en: Vec<String> = Vec::new();
        for r in &self.references {
            let (d, e) = match r.kind.as_str() {
                "url" => (format!("linket {}", r.text), format!("the link {}", r.text)),
                "file" => (format!("filen {}", r.text), format!("the file {}", r.text)),
                "name" => (format!("navnet {}", r.text), format!("the name {}", r.text)),
                "date" => (format!("datoen {}", r.text), format!("the date {}", r.text)),
                kind => match table.kinds.iter().find(|k| k.id == kind) {
                    Some(k) => (
                        format!("{} (»{}«)", k.da, r.text),
                        format!("{} (“{}”)", k.en, r.text),
                    ),
                    None => (r.text.clone(), r.text.clone()),
                },
            };
            if !da.contains(&d) {
                da.push(d);
                en.push(e);
            }
        }
        da.truncate(4);
        en.truncate(4);
        Msg::new(da.join(", "), en.join(", "))
    }
}

/// A kind of named thing (document, decision, group, licence) and its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceKind {
    /// The kind's id.
    pub id: String,
    /// The kind in a Danish sentence ("et dokument").
    pub da: String,
    /// The kind in an English sentence ("a document").
    pub en: String,
    /// Lower-case words that name a thing of this kind.
    pub words: Vec<String>,
}

/// The guideline words that decide a requirement's [`Demand`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandWords {
    /// Markers after which words are optional ("evt.").
    pub optional: Vec<String>,
    /// Words asking for a reference.
    pub reference: Vec<String>,
    /// Words asking for a name.
    pub name: Vec<String>,
    /// Words asking for a confirmation.
    pub confirmation: Vec<String>,
    /// Words asking for a description.
    pub description: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    description_words: usize,
    confirmation_words: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Promises {
    phrases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hedges {
    phrases: Vec<String>,
    #[serde(rename = "except")]
    exceptions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    table: Header,
    demand: DemandWords,
    promise: Promises,
    hedge: Hedges,
    kind: Vec<ReferenceKind>,
}

/// The words that tell what a claim names and what a requirement asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimTable {
    /// Table id.
    pub id: String,
    /// Words a description needs at least.
    pub description_words: usize,
    /// Words a confirmation needs at least.
    pub confirmation_words: usize,
    /// Guideline words per demand.
    pub demand: DemandWords,
    /// Phrases that promise documentation.
    pub promises: Vec<String>,
    /// Phrases in which a claim states its own gap.
    pub hedges: Vec<String>,
    /// Phrases removed before looking for hedges ("men også").
    pub hedge_exceptions: Vec<String>,
    /// Kinds of named things.
    pub kinds: Vec<ReferenceKind>,
}

/// A claim table that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ClaimTableError {
    /// The file.
    pub file: String,
    /// What is wrong, with the line where TOML says it.
    pub message: String,
}

impl ClaimTableError {
    /// The error for a person.
    pub fn msg(&self) -> Msg {
        Msg::new(
            format!(
                "{}: påstandstabellen kan ikke læses: {}",
                self.file, self.message
            ),
            format!(
                "{}: the claim table cannot be read: {}",
                self.file, self.message
            ),
        )
    }
}

impl ClaimTable {
    /// The built-in table (models/claim-evidence.toml), read once.
    pub fn builtin() -> Result<&'static ClaimTable, ClaimTableError> {
        static TABLE: OnceLock<Result<ClaimTable, ClaimTableError>> = OnceLock::new();
        TABLE
            .get_or_init(|| {
                ClaimTable::from_toml(DEFAULT_CLAIM_TABLE_TOML, "models/claim-evidence.toml")
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Reads a table from TOML; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<ClaimTable, ClaimTableError> {
        let raw: RawTable = toml::from_str(text).map_err(|e| ClaimTableError {
            file: file.to_owned(),
            message: e.to_string(),
        })?;
        let lower = |v: Vec<String>| -> Vec<String> {
            v.into_iter()
                .map(|w| w.trim().to_lowercase())
                .filter(|w| !w.is_empty())
                .collect()
        };
        let demand = DemandWords {
            optional: lower(raw.demand.optional),
            reference: lower(raw.demand.reference),
            name: lower(raw.demand.name),
            confirmation: lower(raw.demand.confirmation),
            description: lower(raw.demand.description),
        };
        let mut kinds = Vec::new();
        for k in raw.kind {
            if matches!(k.id.as_str(), "url" | "file" | "name" | "date") || k.id.trim().is_empty() {
                return Err(ClaimTableError {
                    file: file.to_owned(),
                    message: format!(
                        "kind `{}`: url, file, name and date are recognised by their form; choose another id",
                        k.id
                    ),
                });
            }
            kinds.push(ReferenceKind {
                words: lower(k.words),
                ..k
            });
        }
        Ok(ClaimTable {
            id: raw.table.id,
            description_words: raw.table.description_words,
            confirmation_words: raw.table.confirmation_words,
            demand,
            promises: lower(raw.promise.phrases),
            hedges: raw
                .hedge
                .phrases
                .into_iter()
                .map(|p| p.to_lowercase())
                .filter(|p| !p.trim().is_empty())
                .collect(),
            hedge_exceptions: lower(raw.hedge.exceptions),
            kinds,
        })
    }

    /// What `requirement`'s guideline asks for (see the table's `[demand]`).
    pub fn demand(&self, requirement: Option<&Requirement>) -> Demand {
        let Some(guideline) = requirement.and_then(|r| r.guideline.as_deref()) else {
            return Demand::Reference;
        };
        let mut text = guideline.to_lowercase();
        // An optional marker, the word it qualifies ("Vedlæg evt. …") and the rest of its
        // sentence do not count; "Bekræft, evt. med …" keeps "Bekræft".
        for marker in &self.demand.optional {
            while let Some(at) = text.find(marker.as_str()) {
                let after = at + marker.len();
                let end = text[after..]
                    .find(['.', '!', '?'])
                    .map_or(text.len(), |e| after + e + 1);
                let before = text[..at].trim_end();
                let start = match before.rfind(char::is_whitespace) {
                    _ if before.ends_with([',', '.', ';', ':', '–']) || before.is_empty() => at,
                    Some(space) => space + 1,
                    None => 0,
                };
                text.replace_range(start..end, " ");
            }
        }
        let has = |words: &[String]| words.iter().any(|w| text.contains(w.as_str()));
        if has(&self.demand.reference) {
            Demand::Reference
        } else if has(&self.demand.name) {
            Demand::Name
        } else if has(&self.demand.confirmation) {
            Demand::Confirmation
        } else if has(&self.demand.description) {
            Demand::Description
        } else {
            Demand::Reference
        }
    }

    /// Weighs `documentation` (as written next to an answer whose own words are
    /// `answer_text`) against what `requirement` asks for.
    pub fn assess(
        &self,
        documentation: Option<&str>,
        answer_text: Option<&str>,
        requirement: Option<&Requirement>,
    ) -> ClaimAssessment {
        let demand = self.demand(requirement);
        let text = documentation.map(clean).unwrap_or_default();
        let words = text.split_whitespace().count();
        let done = |class, references| ClaimAssessment {
            class,
            demand,
            references,
            words,
        };
        if text.trim().is_empty() || is_placeholder(&text) || only_placeholders(&text) {
            return done(EvidenceClass::Missing, Vec::new());
        }
        if is_repeat(&text, answer_text) {
            return done(EvidenceClass::Repeat, Vec::new());
        }
        let lower = text.to_lowercase();
        let mut references = find_urls(&text);
        let promise = self.promises.iter().any(|p| lower.contains(p.as_str()));
        if promise && references.is_empty() {
            return done(EvidenceClass::Promise, Vec::new());
        }
        let mut unhedged = lower.clone();
        for e in &self.hedge_exceptions {
            unhedged = unhedged.replace(e.as_str(), " ");
        }
        if self.hedges.iter().any(|h| unhedged.contains(h.as_str())) {
            return done(EvidenceClass::Hedged, references);
        }
        references.extend(find_files(&text));
        references.extend(find_dates(&text));
        if demand == Demand::Name {
            references.extend(find_names(&text));
        } else {
            for kind in &self.kinds {
                if let Some(w) = kind.words.iter().find(|w| named_and_not_denied(&lower, w)) {
                    references.push(Reference {
                        kind: kind.id.clone(),
                        text: w.clone(),
                    });
                }
            }
        }
        if !references.is_empty() {
            return done(EvidenceClass::Named, references);
        }
        let enough = match demand {
            Demand::Description => self.description_words,
            Demand::Confirmation => self.confirmation_words,
            Demand::Reference | Demand::Name => usize::MAX,
        };
        if words >= enough {
            done(EvidenceClass::Described, Vec::new())
        } else {
            done(EvidenceClass::Statement, Vec::new())
        }
    }
}

/// The documentation without HTML line breaks and Markdown emphasis.
fn clean(text: &str) -> String {
    text.replace("<br/>", " ")
        .replace("<br>", " ")
        .replace("<br />", " ")
        .replace(['*', '`'], "")
}

/// Placeholders in brackets that OS2's generator and templates leave behind.
fn only_placeholders(text: &str) -> bool {
    let t = text.trim();
    (t.starts_with('[') && t.ends_with(']') && !t.contains("](")) || {
        let lower = t.to_lowercase();
        lower.starts_with("[indsæt") || lower == "link" || lower == "n/a"
    }
}

fn is_repeat(text: &str, answer_text: Option<&str>) -> bool {
    let key = crate::answer::answer_key(text);
    let answer = answer_text.map(crate::answer::answer_key);
    matches!(
        key.as_str(),
        "ja" | "yes" | "nej" | "no" | "x" | "ok" | "✅"
    ) || answer.is_some_and(|a| !a.is_empty() && a == key)
}

/// A word of the table in a sentence of `lower` that denies nothing: "Bestyrelsen har
/// ikke godkendt det" names neither a group nor a decision.
fn named_and_not_denied(lower: &str, word: &str) -> bool {
    lower.split(['.', '!', '?', '\n']).any(|sentence| {
        let denied = sentence
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| matches!(w, "ikke" | "ingen" | "intet" | "not" | "no"));
        !denied && contains_word(sentence, word)
    })
}

/// A word of the table inside `lower`: at a word's start (so that "mit license" does not
/// match "kommit license" and "apache" matches "apache-2.0"); compounds count, since the
/// word may continue ("styregruppen", "bestyrelsesbeslutning" through "beslutning").
fn contains_word(lower: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(at) = lower[from..].find(word) {
        let start = from + at;
        let before = lower[..start].chars().next_back();
        let short = word.chars().count() <= 4;
        let starts_word = before.is_none_or(|c| !c.is_alphanumeric());
        // Long words also count inside compounds ("bestyrelsesbeslutning"); short ones
        // ("mpl", "gpl", "dpia") only as words of their own.
        if starts_word || !short {
            if !short {
                return true;
            }
            let end = start + word.len();
            let after = lower[end..].chars().next();
            if after.is_none_or(|c| !c.is_alphabetic()) {
                return true;
            }
        }
        from = start + word.len().max(1);
        if from >= lower.len() {
            break;
        }
    }
    false
}

fn trim_token(t: &str) -> &str {
    t.trim_matches(|c: char| {
        matches!(
            c,
            '(' | ')' | '[' | ']' | '<' | '>' | ',' | ';' | '"' | '\'' | '»' | '«' | '“' | '”'
        )
    })
    .trim_end_matches(['.', ':', '!', '?'])
}

const TOP_LEVEL_DOMAINS: &[&str] = &[
    "dk", "eu", "com", "org", "net", "io", "gov", "info", "de", "se", "no", "uk", "dev",
];

/// URLs: `http(s)://…`, `www.…`, Markdown link targets, and bare domains with a known
/// top-level domain (`audit.os2.eu`).
pub fn find_urls(text: &str) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let mut push = |u: &str| {
        if !out.iter().any(|r| r.text == u) {
            out.push(Reference {
                kind: "url".into(),
                text: u.to_owned(),
            });
        }
    };
    for raw in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '|') {
        let t = trim_token(raw);
        let lower = t.to_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            if t.len() > "https://".len() {
                push(t);
            }
        } else if (lower.starts_with("www.") && t.len() > 6) || is_bare_domain(&lower) {
            push(t);
        }
    }
    out
}

fn is_bare_domain(lower: &str) -> bool {
    let host = lower.split('/').next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        && labels
            .last()
            .is_some_and(|tld| TOP_LEVEL_DOMAINS.contains(tld))
        // A file name like "README.md" is not a domain; "os2.eu" is.
        && !labels.iter().any(|l| l.chars().all(|c| c.is_ascii_digit()))
}

const FILE_EXTENSIONS: &[&str] = &[
    "md", "pdf", "docx", "doc", "pptx", "ppt", "xlsx", "odt", "odp", "ods", "yml", "yaml", "txt",
    "html", "rst", "adoc", "json", "toml", "sh",
];

const FILE_NAMES: &[&str] = &[
    "readme",
    "license",
    "licence",
    "security",
    "contributing",
    "changelog",
    "dockerfile",
    "docker-compose",
    "code_of_conduct",
    "publiccode",
];

/// Files named in the text: a path with an extension (`docs/drift.md`), or a well-known
/// repository file (`README`, `SECURITY.md`, `Dockerfile`). URLs are not files.
pub fn find_files(text: &str) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    for raw in text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '|') {
        let t = trim_token(raw);
        let lower = t.to_lowercase();
        if lower.contains("://") || lower.starts_with("www.") || t.is_empty() {
            continue;
        }
        let name = lower.rsplit('/').next().unwrap_or_default();
        let (stem, ext) = match name.rsplit_once('.') {
            Some((s, e)) => (s, Some(e)),
            None => (name, None),
        };
        let known_ext = ext.is_some_and(|e| FILE_EXTENSIONS.contains(&e)) && !stem.is_empty();
        let known_name =
            FILE_NAMES.contains(&stem) && (ext.is_some() || t.chars().any(|c| c.is_uppercase()));
        if (known_ext || known_name) && !out.iter().any(|r| r.text == t) {
            out.push(Reference {
                kind: "file".into(),
                text: t.to_owned(),
            });
        }
    }
    out
}

const MONTHS: &[&str] = &[
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
    "january",
    "february",
    "march",
    "may",
    "june",
    "july",
    "october",
];

fn is_year(t: &str) -> bool {
    t.len() == 4
        && t.chars().all(|c| c.is_ascii_digit())
        && (t.starts_with("19") || t.starts_with("20"))
}

/// Dates that make an event checkable: a month and a year ("maj 2018"), or a full date
/// (`2026-06-30`, `30-06-2026`, `30.6.2026`).
pub fn find_dates(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let tokens: Vec<&str> = text.split_whitespace().map(trim_token).collect();
    for (i, t) in tokens.iter().enumerate() {
        let lower = t.to_lowercase();
        if MONTHS.contains(&lower.as_str()) && tokens.get(i + 1).is_some_and(|y| is_year(y)) {
            out.push(Reference {
                kind: "date".into(),
                text: format!("{t} {}", tokens[i + 1]),
            });
            continue;
        }
        let parts: Vec<&str> = t.split(['-', '.', '/']).collect();
        let numeric = parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if numeric && (is_year(parts[0]) || is_year(parts[2])) {
            out.push(Reference {
                kind: "date".into(),
                text: (*t).to_owned(),
            });
        }
    }
    out
}

/// Named persons: an e-mail address, or two capitalised words in a row that do not start a
/// sentence ("Mette Valbjørn"). An organisation ("medarbejder i KL") names no person.
pub fn find_names(text: &str) -> Vec<Reference> {
    let mut out: Vec<Reference> = Vec::new();
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut sentence_start = true;
    let mut previous_capitalised: Option<&str> = None;
    for raw in &tokens {
        let t = trim_token(raw);
        if t.contains('@') && t.contains('.') {
            out.push(Reference {
                kind: "name".into(),
                text: t.to_owned(),
            });
        }
        let capitalised = t.chars().next().is_some_and(char::is_uppercase)
            && t.chars().skip(1).any(char::is_lowercase);
        match (capitalised && !sentence_start, previous_capitalised) {
            (true, Some(first)) => {
                out.push(Reference {
                    kind: "name".into(),
                    text: format!("{first} {t}"),
                });
                previous_capitalised = None;
            }
            (true, None) => previous_capitalised = Some(t),
            (false, _) => previous_capitalised = None,
        }
        sentence_start = raw.ends_with(['.', '!', '?', ':']);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Registry;

    fn table() -> &'static ClaimTable {
        ClaimTable::builtin().unwrap()
    }

    fn req(id: &str) -> Requirement {
        Registry::builtin()
            .unwrap()
            .get("os2-1.1.0")
            .unwrap()
            .requirement(id)
            .unwrap()
            .clone()
    }

    #[test]
    fn the_builtin_table_reads() {
        let t = table();
        assert_eq!(t.id, "os2-claims");
        assert!(t.kinds.iter().any(|k| k.id == "decision"));
        assert!(t.promises.iter().any(|p| p == "indsættes"));
    }

    #[test]
    fn what_each_requirement_of_1_1_0_asks_for() {
        use Demand::{Confirmation as C, Description as D, Name as N, Reference as R};
        let expected: &[(&str, Demand)] = &[
            ("R1", D),
            ("R2", R),
            ("R3", D),
            ("R4", R),
            ("F1", R),
            ("F2", R),
            ("F3", C),
            ("F4", D),
            ("F5", R),
            ("F6", R),
            ("F7", R),
            ("F10", R),
            ("F11", R),
            ("F12", C),
            ("F13", R),
            ("F14", R),
            ("F15", D),
            ("F16", D),
            ("F17", D),
            ("F18", D),
            ("F19", D),
            ("F20", R),
            ("F21", R),
            ("F22", R),
            ("S1", D),
            ("S2", D),
            ("S3", D),
            ("S4", D),
            ("S5", D),
            ("G1", R),
            ("G2", C),
            ("G3", N),
            ("G4", R),
            ("G5", R),
            ("G6", D),
            ("G7", D),
            ("G8", D),
            ("G9", R),
            ("G10", R),
            ("G11", R),
            ("G12", N),
            ("G13", R),
            ("G14", R),
        ];
        let model = Registry::builtin()
            .unwrap()
            .get("os2-1.1.0")
            .unwrap()
            .clone();
        assert_eq!(expected.len(), model.requirements().len());
        for (id, demand) in expected {
            assert_eq!(
                table().demand(Some(&req(id))),
                *demand,
                "{id}: {:?}",
                req(id).guideline
            );
        }
    }

    /// Real claims from OS2's published self-evaluations, and what they prove.
    #[test]
    fn a_table_of_real_claims() {
        use EvidenceClass::{Described as D, Hedged as H, Missing as M, Named as N, Promise as P};
        use EvidenceClass::{Repeat as Rp, Statement as S};
        let cases: &[(&str, &str, &str, EvidenceClass)] = &[
            // (requirement, answer, documentation, class)
            ("G7", "Ja", "[Ikke udfyldt]", M),
            ("F5", "Ja", "", M),
            ("F5", "Ja", "Ja.", Rp),
            ("F13", "Ja", "Link indsættes", P),
            ("F4", "Ja", "Kan fremsendes hvis nødvendigt", P),
            ("F6", "Ja", "[indsæt link til git organisation/repo]", M),
            // os2-test (OS2's own test product).
            ("F7", "Ja", "Skabelonen anvendes en til en.", S),
            (
                "F5",
                "Ja",
                "Er beskrevet i repo, https://github.com/OS2offdig/os2-product-audits",
                N,
            ),
            (
                "F10",
                "Ja",
                "Værktøjes publiceres under OS2s governanceinformation of som et subdomæne til os2.eu. På audit.os2.eu.",
                N,
            ),
            ("F2", "Ja", "Der anvendes CC BY SA og MPL 2.0", N),
            ("F3", "Ja", "Løsningen er egen udviklet.", D),
            (
                "F12",
                "Ja",
                "Der vedligeholdes og udvikles kun en version.",
                D,
            ),
            (
                "G4",
                "Ja",
                "Løsningen er et resultat af en bestyrelsesbeslutning.",
                N,
            ),
            ("G13", "Ja", "Dækkes af OS2s budget.", S),
            ("G3", "Ja", "Sekretariatschefen er produktejer.", S),
            (
                "R1",
                "Ja",
                "Det er en løsning som hjælper OS2 med at evaluere produktniveau",
                D,
            ),
            ("R4", "Ja", "Bestyrelsen har ikke godkendt det endnu", S),
            // OS2-SkadesØkonomi's 2026 self-evaluation.
            (
                "G1",
                "Ja",
                "Der er løbende dialog med OS2-sekretariatet.",
                S,
            ),
            (
                "G3",
                "Ja",
                "Projektlederrolle varetages af medarbejder i KL.",
                S,
            ),
            ("G8", "Ja", "Projektet er gennemført agilt.", S),
            (
                "F13",
                "Ja",
                "Der er lavet diverse Power Points, som beskriver projektet og løsningen.",
                N,
            ),
            (
                "R3",
                "Ja",
                "Løsningen er ikke kun relevant for den danske kommune, men også stat, forsyninger, rådgivere, mv.<br/>Løsningen vil kunne udbredes til anvendelse, fx i EU.",
                D,
            ),
            (
                "G3",
                "Ja",
                "Produktkoordinator Mette Valbjørn har ansvaret.",
                N,
            ),
            (
                "G7",
                "Ja",
                "Grundet et ønske om agilitet, så varetage styregruppen også koordinationsgruppens opgaver. På sigt er det forventningen af der skal nedsættes en koordinationsgruppe.",
                H,
            ),
            // OS2rollekatalog's 2026 self-evaluation.
            (
                "F1",
                "Ja",
                "Kodebasen er tilgængelig og nye releases offentliggøres i GitHub for OS2rollekatalog, men udviklingen foregår et andet sted. Link til GitHub: https://github.com/OS2rollekatalog",
                H,
            ),
            (
                "F2",
                "Ja",
                "Synligt i GitHub. Softwaren OS2rollekatalog er frigivet på en godkendt licens.",
                S,
            ),
            (
                "G9",
                "Ja",
                "Er gjort en gang i maj 2018. Udarbejdet af Strong Minds.",
                N,
            ),
            (
                "G10",
                "Ja",
                "Alle anvendere skal tilslutte sig produktet via en erklæring, der fremsendes til OS2 sekretariatet.",
                N,
            ),
            (
                "R3",
                "Ja",
                "52 kommuner og Datatilsynet anvender produktet aktivt.",
                D,
            ),
            (
                "F4",
                "Ja",
                "Der er i høj grad tænkt på sikkerheden i løsningen. Der kan fremsendes dokumentation, hvis nødvendigt.",
                P,
            ),
            // OS2faktor's 2026 self-evaluation: a contrast is no gap.
            (
                "R1",
                "Ja",
                "Gevinsten ligger ikke som en direkte besparelse på én konto, men som reduceret risiko og mindre manuel håndtering i kommunerne.",
                D,
            ),
        ];
        for (id, answer, doc, class) in cases {
            let r = req(id);
            let a = table().assess(Some(doc), Some(answer), Some(&r));
            assert_eq!(a.class, *class, "{id} {doc:?}: {a:?}");
            assert_eq!(
                a.class.substantiates(),
                matches!(class, D | N),
                "{id} {doc:?}"
            );
        }
    }

    #[test]
    fn urls_files_and_names_are_found_by_their_form() {
        let urls = find_urls(
            "Se https://github.com/OS2borgerPC/admin-site, (www.os2.eu) og audit.os2.eu. README.md er ikke en URL.",
        );
        let texts: Vec<&str> = urls.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "https://github.com/OS2borgerPC/admin-site",
                "www.os2.eu",
                "audit.os2.eu"
            ]
        );
        let files = find_files(
            "Se README.md, docs/drift/vejledning.pdf og SECURITY. Version 2.0 er ikke en fil.",
        );
        let texts: Vec<&str> = files.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(
            texts,
            ["README.md", "docs/drift/vejledning.pdf", "SECURITY"]
        );
        let names =
            find_names("Ansvarlig er Mette Valbjørn fra KL. Kontakt: mv@kl.dk. OS2 koordinerer.");
        let texts: Vec<&str> = names.iter().map(|r| r.text.as_str()).collect();
        assert_eq!(texts, ["Mette Valbjørn", "mv@kl.dk"]);
    }

    #[test]
    fn the_reason_and_the_check_say_what_is_missing_and_what_to_look_at() {
        let f5 = req("F5");
        let a = table().assess(
            Some("Se https://github.com/x/y og README.md"),
            Some("Ja"),
            Some(&f5),
        );
        assert_eq!(a.class, EvidenceClass::Named);
        assert!(
            a.explain(table())
                .da
                .contains("linket https://github.com/x/y")
        );
        assert!(
            a.check(Some(&f5))
                .da
                .contains("https://github.com/x/y, README.md")
        );
        let g5 = req("G5");
        let a = table().assess(Some("Ja."), Some("Ja"), Some(&g5));
        let check = a.check(Some(&g5));
        assert!(
            check
                .da
                .starts_with("Det, der kan afgøre kravet: Vedlæg dokumentation"),
            "{}",
            check.da
        );
        assert_eq!(
            a.explain(table()).en,
            "The documentation only repeats the answer."
        );
    }

    #[test]
    fn a_table_that_does_not_read_names_the_file() {
        let e = ClaimTable::from_toml("[table]\nid = 1", "mine.toml").unwrap_err();
        assert!(
            e.msg()
                .da
                .starts_with("mine.toml: påstandstabellen kan ikke læses")
        );
        let bad = DEFAULT_CLAIM_TABLE_TOML.replace("id = \"group\"", "id = \"url\"");
        assert!(
            ClaimTable::from_toml(&bad, "x.toml")
                .unwrap_err()
                .message
                .contains("url")
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_assessed_without_panicking(doc in "\\PC{0,200}", answer in "\\PC{0,10}") {
            let r = req("F5");
            let a = table().assess(Some(&doc), Some(&answer), Some(&r));
            let _ = a.explain(table());
            let _ = a.check(Some(&r));
        }
    }
}
