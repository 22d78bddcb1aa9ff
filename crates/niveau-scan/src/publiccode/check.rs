//! The rules of the standard, applied to a loaded document.
//!
//! One function per section. Each looks at the keys of its mapping, reports unknown keys,
//! checks the type and the value of every known key, then reports the required keys that
//! are missing. Values that pass their checks are copied into [`PublicCode`].

use super::files::{self, RepoFiles};
use super::spec::{
    self, CATEGORIES, DEVELOPMENT_STATUS, MAINTENANCE_TYPES, SCOPES, SOFTWARE_TYPES,
    SUPPORTED_VERSIONS, SpecVersion,
};
use super::syntax::{self, CountryCase};
use super::yaml::{Kind, Map, Source, kind, pos};
use super::{Problem, PublicCode, Severity};
use niveau_model::Msg;
use saphyr::MarkedYaml;

/// Maximum length of `shortDescription` (all versions).
const SHORT_DESCRIPTION_MAX: usize = 150;
/// Minimum length of `longDescription` (0.3 and later; the reference applies it to all).
const LONG_DESCRIPTION_MIN: usize = 150;
/// Minimum length of `longDescription` in 0.2.
const LONG_DESCRIPTION_MIN_0_2: usize = 500;
/// Maximum length of `longDescription` (all versions).
const LONG_DESCRIPTION_MAX: usize = 10_000;
/// Maximum length of `genericName` (all versions while it exists).
const GENERIC_NAME_MAX: usize = 35;
/// Maximum length of each feature in 0.2 (the limit was removed in 0.3).
const FEATURE_MAX_0_2: usize = 100;

/// What the checks found.
pub(super) struct Checked {
    /// `publiccodeYmlVersion` as written.
    pub(super) version: Option<String>,
    /// The version whose rules were applied, when the file named a supported one.
    pub(super) spec: Option<SpecVersion>,
    /// Every problem, in the order the checks found them.
    pub(super) problems: Vec<Problem>,
    /// The values that passed their checks; `None` when the version is unsupported and the
    /// rest of the file was not checked.
    pub(super) data: Option<PublicCode>,
}

/// One key of a mapping.
struct Entry<'a, 'y> {
    name: &'a str,
    key: &'a MarkedYaml<'y>,
    value: &'a MarkedYaml<'y>,
}

impl Entry<'_, '_> {
    fn pos(&self) -> (usize, usize) {
        pos(self.key)
    }
}

/// The result of reading a typed value.
enum Got<T> {
    /// Null or absent: the caller decides whether that is a problem.
    Missing,
    /// The value has the wrong type or format; the problem is already reported.
    Wrong,
    /// A valid value.
    Ok(T),
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn find<'e, 'a, 'y>(entries: &'e [Entry<'a, 'y>], name: &str) -> Option<&'e Entry<'a, 'y>> {
    entries.iter().find(|e| e.name == name)
}

/// Formats a value list for messages: `"a", "b" or "c"`.
fn one_of(values: &[&str]) -> Msg {
    let quoted: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => Msg::new(
            format!("{} eller {last}", rest.join(", ")),
            format!("{} or {last}", rest.join(", ")),
        ),
        _ => Msg::new(quoted.join(""), quoted.join("")),
    }
}

/// A text in Danish and English that goes into a sentence ("a string", a hint).
type Hint = (&'static str, &'static str);

const A_STRING: Hint = ("en tekst", "a string");
const A_BOOLEAN: Hint = (
    "en boolesk værdi (true eller false)",
    "a boolean (true or false)",
);
const A_MAPPING: Hint = ("en mapping af nøgler", "a mapping of keys");
const A_LIST: Hint = ("en liste", "a list");
/// Which file a path names.
#[derive(Clone, Copy)]
enum FileKind {
    /// `logo` or `monochromeLogo`.
    Logo,
    /// An item of `description.*.screenshots`.
    Screenshot,
    /// `legal.authorsFile`.
    AuthorsFile,
}

const SAFE_TO_REMOVE: Hint = ("den kan roligt fjernes", "it is safe to remove it");

fn missing_key() -> Msg {
    Msg::new("påkrævet nøgle mangler", "required key is missing")
}

fn empty_value() -> Msg {
    Msg::new("påkrævet værdi er tom", "required value is empty")
}

fn at_least_one_language() -> Msg {
    Msg::new(
        "skal indeholde mindst ét sprog",
        "must contain at least one language",
    )
}

/// Checks a document whose top level is a mapping.
pub(super) fn run(
    text: &str,
    root: &MarkedYaml<'_>,
    map: &Map<'_>,
    files: &dyn RepoFiles,
) -> Checked {
    let mut c = Checker {
        src: Source::new(text),
        files,
        spec: SpecVersion::LATEST,
        problems: Vec::new(),
        data: PublicCode::default(),
    };
    let entries = c.entries("", map);
    let root_pos = pos(root);
    let (version, spec) = match find(&entries, "publiccodeYmlVersion") {
        None => {
            c.error("publiccodeYmlVersion", root_pos, missing_key());
            (None, None)
        }
        Some(e) => match c.version(e) {
            VersionRead::Supported(written, spec) => (Some(written), Some(spec)),
            VersionRead::Unsupported(written) => {
                return Checked {
                    version: Some(written),
                    spec: None,
                    problems: c.problems,
                    data: None,
                };
            }
            VersionRead::Unreadable => (None, None),
        },
    };
    // Without a readable version, the latest rules are applied.
    c.spec = spec.unwrap_or(SpecVersion::LATEST);
    c.data.version = version.clone();
    c.root(root_pos, &entries);
    Checked {
        version,
        spec,
        problems: c.problems,
        data: Some(c.data),
    }
}

enum VersionRead {
    Supported(String, SpecVersion),
    Unsupported(String),
    Unreadable,
}

struct Checker<'t> {
    src: Source<'t>,
    files: &'t dyn RepoFiles,
    spec: SpecVersion,
    problems: Vec<Problem>,
    data: PublicCode,
}

impl<'t> Checker<'t> {
    fn push(&mut self, severity: Severity, key: &str, at: (usize, usize), message: Msg) {
        self.problems.push(Problem {
            key: key.to_owned(),
            line: at.0,
            column: at.1,
            severity,
            message: message.en,
            message_da: message.da,
        });
    }

    fn error(&mut self, key: &str, at: (usize, usize), message: Msg) {
        self.push(Severity::Error, key, at, message);
    }

    fn warn(&mut self, key: &str, at: (usize, usize), message: Msg) {
        self.push(Severity::Warning, key, at, message);
    }

    fn line(&mut self, key: &str, at: (usize, usize)) {
        self.data.lines.insert(key.to_owned(), at.0);
    }

    /// The keys of a mapping. Keys that are not strings are reported as unknown.
    fn entries<'a, 'y>(&mut self, path: &str, map: &'a Map<'y>) -> Vec<Entry<'a, 'y>> {
        let mut out = Vec::with_capacity(map.len());
        for (key, value) in map.iter() {
            match kind(key) {
                Kind::Str(name) => out.push(Entry { name, key, value }),
                other => {
                    let written = match other {
                        Kind::Seq(_) | Kind::Map(_) => "?".to_owned(),
                        _ => self.src.text_of(key).to_owned(),
                    };
                    self.error(
                        &join(path, &written),
                        pos(key),
                        Msg::new(
                            format!(
                                "ukendt nøgle: nøgler skal være tekster, fandt {}",
                                other.describe_da()
                            ),
                            format!(
                                "unknown key: keys must be strings, found {}",
                                other.describe()
                            ),
                        ),
                    );
                }
            }
        }
        out
    }

    fn unknown(&mut self, path: &str, e: &Entry<'_, '_>) {
        let message = Msg::new(
            format!(
                "ukendt nøgle, ikke en del af publiccode.yml {}",
                self.spec.as_str()
            ),
            format!(
                "unknown key, not part of publiccode.yml {}",
                self.spec.as_str()
            ),
        );
        self.error(&join(path, e.name), e.pos(), message);
    }

    /// A key that a later version added: accepted (the reference parser validates every
    /// 0.x file with the latest rules), with a warning for files that declare an older
    /// version.
    fn since(&mut self, key: &str, e: &Entry<'_, '_>, since: SpecVersion) {
        if self.spec < since {
            let message = Msg::new(
                format!(
                    "nøglen kom til i publiccode.yml {since} og er ikke en del af {}",
                    self.spec
                ),
                format!(
                    "this key was added in publiccode.yml {since} and is not part of {}",
                    self.spec
                ),
            );
            self.warn(key, e.pos(), message);
        }
    }

    fn deprecated(&mut self, key: &str, e: &Entry<'_, '_>, since: SpecVersion, hint: Hint) {
        if self.spec >= since {
            let message = Msg::new(
                format!(
                    "nøglen er forældet siden publiccode.yml {since}; {}",
                    hint.0
                ),
                format!(
                    "this key is deprecated since publiccode.yml {since}; {}",
                    hint.1
                ),
            );
            self.warn(key, e.pos(), message);
        }
    }

    // ---- typed values ---------------------------------------------------------------

    /// A string. Numbers and booleans are accepted with a warning and read as written
    /// (lenient reading: YAML turns `softwareVersion: 1.10` into a number, and the standard
    /// asks for strings).
    fn string(&mut self, key: &str, at: (usize, usize), node: &MarkedYaml<'_>) -> Got<String> {
        match kind(node) {
            Kind::Null => Got::Missing,
            Kind::Str(s) => Got::Ok(s.to_owned()),
            k @ (Kind::Number | Kind::Bool(_)) => {
                let written = self.src.text_of(node).to_owned();
                self.warn(
                    key,
                    at,
                    Msg::new(
                        format!(
                            "forventede en tekst, fandt {}; sæt værdien i anførselstegn for at bevare den præcis som skrevet",
                            k.describe_da()
                        ),
                        format!(
                            "expected a string, found {}; quote the value to keep it exactly as written",
                            k.describe()
                        ),
                    ),
                );
                Got::Ok(written)
            }
            other => {
                self.wrong_type(key, at, A_STRING, other);
                Got::Wrong
            }
        }
    }

    fn wrong_type(&mut self, key: &str, at: (usize, usize), expected: Hint, found: Kind<'_, '_>) {
        self.error(
            key,
            at,
            Msg::new(
                format!(
                    "forkert type: forventede {}, fandt {}",
                    expected.0,
                    found.describe_da()
                ),
                format!(
                    "wrong type: expected {}, found {}",
                    expected.1,
                    found.describe()
                ),
            ),
        );
    }

    /// An optional string key.
    fn opt_string(&mut self, key: &str, e: &Entry<'_, '_>) -> Option<String> {
        match self.string(key, e.pos(), e.value) {
            Got::Ok(s) => Some(s),
            Got::Missing | Got::Wrong => None,
        }
    }

    /// A required string key that is present: null or empty is an error.
    fn req_string(&mut self, key: &str, e: &Entry<'_, '_>) -> Option<String> {
        match self.string(key, e.pos(), e.value) {
            Got::Ok(s) if !s.trim().is_empty() => Some(s),
            Got::Ok(_) | Got::Missing => {
                self.error(key, e.pos(), empty_value());
                None
            }
            Got::Wrong => None,
        }
    }

    /// A required key that is absent from its mapping.
    fn missing(&mut self, key: &str, parent: (usize, usize)) {
        self.error(key, parent, missing_key());
    }

    /// A boolean. YAML 1.1 words (`yes`, `off`, …) are errors with a hint: the standard
    /// asks for YAML 1.2, where they are strings, and the reference rejects them.
    fn boolean(&mut self, key: &str, e: &Entry<'_, '_>) -> Got<bool> {
        match kind(e.value) {
            Kind::Null => Got::Missing,
            Kind::Bool(b) => Got::Ok(b),
            Kind::Str(s) => {
                let value = match s {
                    "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
                    "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
                    _ => None,
                };
                match value {
                    Some(b) => {
                        self.error(
                            key,
                            e.pos(),
                            Msg::new(
                                format!("forkert type: \"{s}\" er kun en boolesk værdi i YAML 1.1, som standarden ikke bruger; skriv {b}"),
                                format!("wrong type: \"{s}\" is a boolean only in YAML 1.1, which the standard does not use; write {b}"),
                            ),
                        );
                        Got::Wrong
                    }
                    None => {
                        self.wrong_type(key, e.pos(), A_BOOLEAN, Kind::Str(s));
                        Got::Wrong
                    }
                }
            }
            other => {
                self.wrong_type(key, e.pos(), A_BOOLEAN, other);
                Got::Wrong
            }
        }
    }

    /// A mapping value; wrong types are reported.
    fn mapping<'a, 'y>(&mut self, key: &str, e: &Entry<'a, 'y>) -> Got<&'a Map<'y>> {
        match kind(e.value) {
            Kind::Map(m) => Got::Ok(m),
            Kind::Null => Got::Missing,
            other => {
                self.wrong_type(key, e.pos(), A_MAPPING, other);
                Got::Wrong
            }
        }
    }

    /// A list value; wrong types are reported.
    fn list<'a, 'y>(&mut self, key: &str, e: &Entry<'a, 'y>) -> Got<&'a [MarkedYaml<'y>]> {
        match kind(e.value) {
            Kind::Seq(items) => Got::Ok(items),
            Kind::Null => Got::Missing,
            other => {
                self.wrong_type(key, e.pos(), A_LIST, other);
                Got::Wrong
            }
        }
    }

    /// A list of strings, each checked by `check` (which reports its own problems and
    /// says whether the item is valid). Returns the valid items.
    fn string_list(
        &mut self,
        key: &str,
        e: &Entry<'_, '_>,
        mut check: impl FnMut(&mut Self, &str, (usize, usize), &str) -> bool,
    ) -> Got<Vec<String>> {
        let items = match self.list(key, e) {
            Got::Ok(items) => items,
            Got::Missing => return Got::Missing,
            Got::Wrong => return Got::Wrong,
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let item_key = format!("{key}[{i}]");
            let at = pos(item);
            match self.string(&item_key, at, item) {
                Got::Ok(s) => {
                    if check(self, &item_key, at, &s) {
                        out.push(s);
                    }
                }
                Got::Missing => self.error(
                    &item_key,
                    at,
                    Msg::new("tomt element i listen", "empty list item"),
                ),
                Got::Wrong => {}
            }
        }
        Got::Ok(out)
    }

    fn enumeration(&mut self, key: &str, e: &Entry<'_, '_>, allowed: &[&str]) -> Option<String> {
        let value = self.req_string(key, e)?;
        if allowed.contains(&value.as_str()) {
            Some(value)
        } else {
            self.error(key, e.pos(), {
                let allowed = one_of(allowed);
                Msg::new(
                    format!("skal være {}, fandt \"{value}\"", allowed.da),
                    format!("must be one of {}, found \"{value}\"", allowed.en),
                )
            });
            None
        }
    }

    fn url(&mut self, key: &str, at: (usize, usize), value: &str, http: bool) -> bool {
        let ok = if http {
            syntax::is_http_url(value)
        } else {
            syntax::is_url(value)
        };
        if !ok {
            let what = if http {
                ("en HTTP- eller HTTPS-URL", "an HTTP or HTTPS URL")
            } else {
                ("en gyldig URL", "a valid URL")
            };
            self.error(
                key,
                at,
                Msg::new(
                    format!("skal være {}, fandt \"{value}\"", what.0),
                    format!("must be {}, found \"{value}\"", what.1),
                ),
            );
        }
        ok
    }

    fn opt_url(&mut self, key: &str, e: &Entry<'_, '_>, http: bool) {
        if let Some(value) = self.opt_string(key, e) {
            self.url(key, e.pos(), &value, http);
        }
    }

    /// A path or URL to a file in the repository (logo, screenshots, authorsFile): the
    /// reference rejects absolute paths and `file:` URLs. Whether the file exists and what
    /// it contains is not checked (no file or network access).
    fn relative_path(&mut self, key: &str, at: (usize, usize), value: &str) -> bool {
        if value.starts_with('/') {
            self.error(
                key,
                at,
                Msg::new(
                    "er en absolut sti; kun relative stier og HTTP(S)-URL'er er tilladt",
                    "is an absolute path; only relative paths or HTTP(S) URLs are allowed",
                ),
            );
            false
        } else if value.to_ascii_lowercase().starts_with("file:") {
            self.error(
                key,
                at,
                Msg::new(
                    "er en file:-URL; kun relative stier og HTTP(S)-URL'er er tilladt",
                    "is a file: URL; only relative paths or HTTP(S) URLs are allowed",
                ),
            );
            false
        } else {
            true
        }
    }

    /// A path or URL to a file beside the publiccode.yml: the syntax of
    /// [`Self::relative_path`], then, for a relative path, what the reference checks
    /// offline: the extension (logo: `.svg`, `.svgz`, `.png`; screenshots: `.jpg`,
    /// `.png`), that the file exists in the repository, and that a PNG logo starts like a
    /// PNG image. URLs are not fetched. Returns whether the value passed.
    fn local_file(&mut self, key: &str, at: (usize, usize), value: &str, what: FileKind) -> bool {
        if value.is_empty() {
            return true;
        }
        if !self.relative_path(key, at, value) {
            return false;
        }
        if syntax::has_scheme(value) {
            return true;
        }
        let ext = files::extension(value);
        let allowed: &[&str] = match what {
            FileKind::Logo => &[".svg", ".svgz", ".png"],
            FileKind::Screenshot => &[".jpg", ".png"],
            FileKind::AuthorsFile => &[],
        };
        if !allowed.is_empty() && !allowed.contains(&ext.as_str()) {
            let list = allowed.join(", ");
            self.error(
                key,
                at,
                Msg::new(
                    format!("\"{value}\" har ikke en understøttet filendelse ({list})"),
                    format!("\"{value}\" does not have a supported file extension ({list})"),
                ),
            );
            return false;
        }
        let path = files::normalise(value);
        let exists = match &path {
            Some(p) => self.files.exists(p),
            // Outside the repository: missing, when the files are known at all.
            None => self.files.exists("").map(|_| false),
        };
        if exists == Some(false) {
            self.error(
                key,
                at,
                Msg::new(
                    format!("filen \"{value}\" findes ikke i repositoriet"),
                    format!("the file \"{value}\" does not exist in the repository"),
                ),
            );
            return false;
        }
        if let (FileKind::Logo, ".png", Some(p)) = (what, ext.as_str(), &path)
            && let Some(head) = self.files.head(p, 64)
            && !files::looks_like_png(&head)
        {
            self.error(
                key,
                at,
                Msg::new(
                    format!("filen \"{value}\" er ikke et PNG-billede"),
                    format!("the file \"{value}\" is not a PNG image"),
                ),
            );
            return false;
        }
        true
    }

    /// A video URL must match the URL scheme of an oEmbed provider.
    fn oembed(&mut self, key: &str, at: (usize, usize), value: &str) -> bool {
        let ok = syntax::is_oembed_url(value);
        if !ok {
            self.error(
                key,
                at,
                Msg::new(
                    format!(
                        "\"{value}\" er ikke en video-URL fra en udbyder, der understøtter oEmbed"
                    ),
                    format!("\"{value}\" is not a video URL of a provider supporting oEmbed"),
                ),
            );
        }
        ok
    }

    fn date(&mut self, key: &str, at: (usize, usize), value: &str) -> Option<chrono::NaiveDate> {
        let date = syntax::parse_date(value);
        if date.is_none() {
            self.error(
                key,
                at,
                Msg::new(
                    format!("skal være en dato på formen ÅÅÅÅ-MM-DD, fandt \"{value}\""),
                    format!("must be a date in the format YYYY-MM-DD, found \"{value}\""),
                ),
            );
        }
        date
    }

    fn length_max(&mut self, key: &str, at: (usize, usize), value: &str, max: usize) -> bool {
        let n = syntax::text_length(value);
        if n > max {
            self.error(
                key,
                at,
                Msg::new(
                    format!("er {n} tegn lang; højst {max} er tilladt"),
                    format!("is {n} characters long; the maximum is {max}"),
                ),
            );
        }
        n <= max
    }

    // ---- publiccodeYmlVersion -------------------------------------------------------

    fn version(&mut self, e: &Entry<'_, '_>) -> VersionRead {
        let key = "publiccodeYmlVersion";
        let written = match kind(e.value) {
            Kind::Str(s) => s.to_owned(),
            Kind::Number => {
                // `publiccodeYmlVersion: 0.4` is a YAML float. The reference parser stops
                // at this error; here the version is read as written and checking goes on.
                let written = self.src.text_of(e.value).to_owned();
                self.error(
                    key,
                    e.pos(),
                    Msg::new(
                        format!("skal være en tekst, fandt tallet {written}; skriv det i anførselstegn: \"{written}\""),
                        format!("must be a string, found the number {written}; write it in quotes: \"{written}\""),
                    ),
                );
                written
            }
            Kind::Null => {
                self.error(key, e.pos(), empty_value());
                return VersionRead::Unreadable;
            }
            other => {
                self.wrong_type(key, e.pos(), A_STRING, other);
                return VersionRead::Unreadable;
            }
        };
        self.line(key, e.pos());
        let Some((spec, known_patch)) = SpecVersion::parse(&written) else {
            self.error(
                key,
                e.pos(),
                Msg::new(
                    format!(
                        "versionen \"{written}\" understøttes ikke; understøttede versioner er {SUPPORTED_VERSIONS}"
                    ),
                    format!(
                        "unsupported version \"{written}\"; supported versions are {SUPPORTED_VERSIONS}"
                    ),
                ),
            );
            return VersionRead::Unsupported(written);
        };
        if !known_patch {
            self.warn(
                key,
                e.pos(),
                Msg::new(
                    format!(
                        "publiccode.yml {spec} har ingen udgave \"{written}\"; filen kontrolleres efter {spec}"
                    ),
                    format!(
                        "publiccode.yml {spec} has no release \"{written}\"; the file is checked against {spec}"
                    ),
                ),
            );
        }
        if spec < SpecVersion::LATEST {
            self.warn(
                key,
                e.pos(),
                Msg::new(
                    format!(
                        "version {written} er ikke standardens nyeste version; den nyeste er {}",
                        SpecVersion::LATEST
                    ),
                    format!(
                        "version {written} is not the latest version of the standard; the latest is {}",
                        SpecVersion::LATEST
                    ),
                ),
            );
        }
        VersionRead::Supported(written, spec)
    }

    // ---- top level --------------------------------------------------------------------

    fn root(&mut self, root_pos: (usize, usize), entries: &[Entry<'_, '_>]) {
        for e in entries {
            let key = e.name;
            match key {
                "publiccodeYmlVersion" => {}
                "name" => {
                    if let Some(v) = self.req_string(key, e) {
                        self.line(key, e.pos());
                        self.data.name = Some(v);
                    }
                }
                "applicationSuite" | "softwareVersion" => {
                    if let Some(v) = self.opt_string(key, e)
                        && key == "softwareVersion"
                    {
                        self.line(key, e.pos());
                        self.data.software_version = Some(v);
                    }
                }
                "url" => {
                    if let Some(v) = self.req_string(key, e)
                        && self.url(key, e.pos(), &v, false)
                    {
                        self.line(key, e.pos());
                        self.data.url = Some(v);
                    }
                }
                "landingURL" | "roadmap" => self.opt_url(key, e, true),
                "isBasedOn" => self.is_based_on(e),
                "releaseDate" => {
                    if let Some(v) = self.opt_string(key, e)
                        && let Some(d) = self.date(key, e.pos(), &v)
                    {
                        self.line(key, e.pos());
                        self.data.release_date = Some(d);
                    }
                }
                "logo" | "monochromeLogo" => {
                    if key == "monochromeLogo" {
                        self.deprecated(
                            key,
                            e,
                            SpecVersion::V0_3,
                            ("brug logo i stedet", "use logo instead"),
                        );
                    }
                    if let Some(v) = self.opt_string(key, e) {
                        self.local_file(key, e.pos(), &v, FileKind::Logo);
                    }
                }
                "supports" => self.supports(e),
                "organisation" => {
                    self.since(key, e, SpecVersion::V0_5);
                    self.organisation(key, e, true);
                }
                "fundedBy" => {
                    self.since(key, e, SpecVersion::V0_5);
                    self.funded_by(e);
                }
                "inputTypes" | "outputTypes" => {
                    self.deprecated(key, e, SpecVersion::V0_3, SAFE_TO_REMOVE);
                    self.string_list(key, e, |c, k, at, v| {
                        let ok = syntax::is_mime_type(v);
                        if !ok {
                            c.error(
                                k,
                                at,
                                Msg::new(
                                    format!("\"{v}\" er ikke en gyldig MIME-type"),
                                    format!("\"{v}\" is not a valid MIME type"),
                                ),
                            );
                        }
                        ok
                    });
                }
                "platforms" => self.platforms(e),
                "categories" => self.categories(e),
                "usedBy" => {
                    self.string_list(key, e, |_, _, _, _| true);
                }
                "developmentStatus" => {
                    if let Some(v) = self.enumeration(key, e, DEVELOPMENT_STATUS) {
                        self.line(key, e.pos());
                        self.data.development_status = Some(v);
                    }
                }
                "softwareType" => {
                    if let Some(v) = self.enumeration(key, e, SOFTWARE_TYPES) {
                        self.line(key, e.pos());
                        self.data.software_type = Some(v);
                    }
                }
                "intendedAudience" => self.intended_audience(e),
                "description" => self.description(e),
                "legal" => self.legal(e),
                "maintenance" => self.maintenance(e),
                "localisation" => self.localisation(e),
                "dependsOn" => self.depends_on(e),
                // The Italian country-specific section, the only one the reference knows.
                "IT" | "it" => self.italian(e, find(entries, "IT").is_some()),
                _ => self.unknown("", e),
            }
        }
        let mut required = vec![
            "name",
            "url",
            "platforms",
            "developmentStatus",
            "softwareType",
            "description",
            "legal",
            "maintenance",
            "localisation",
        ];
        required.retain(|k| find(entries, k).is_none());
        for key in required {
            self.missing(key, root_pos);
        }
        // Keys the older versions required and the reference parser (which validates
        // every 0.x file with the latest rules) no longer does: a warning, not an error.
        if self.spec <= SpecVersion::V0_3 && find(entries, "releaseDate").is_none() {
            let message = Msg::new(
                format!(
                    "er obligatorisk i publiccode.yml {} (valgfri siden 0.4)",
                    self.spec
                ),
                format!(
                    "is mandatory in publiccode.yml {} (optional since 0.4)",
                    self.spec
                ),
            );
            self.warn("releaseDate", root_pos, message);
        }
        if self.spec <= SpecVersion::V0_4 && find(entries, "categories").is_none() {
            let message = Msg::new(
                format!(
                    "er obligatorisk i publiccode.yml {} (valgfri siden 0.5)",
                    self.spec
                ),
                format!(
                    "is mandatory in publiccode.yml {} (optional since 0.5)",
                    self.spec
                ),
            );
            self.warn("categories", root_pos, message);
        }
    }

    /// `supports` (the reference's 0.7): a list of `{id}`, each a known alias
    /// (`alias:gdpr`) or a URI.
    fn supports(&mut self, e: &Entry<'_, '_>) {
        let key = "supports";
        let Got::Ok(items) = self.list(key, e) else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let item_key = format!("{key}[{i}]");
            let map = match kind(item) {
                Kind::Map(map) => map,
                other => {
                    self.wrong_type(&item_key, pos(item), A_MAPPING, other);
                    continue;
                }
            };
            let entries = self.entries(&item_key, map);
            for f in &entries {
                let k = join(&item_key, f.name);
                match f.name {
                    "id" => {
                        let Some(v) = self.req_string(&k, f) else {
                            continue;
                        };
                        let message = match v.strip_prefix("alias:") {
                            Some(alias) if !spec::SUPPORTS_ALIASES.contains(&alias) => {
                                Some(Msg::new(
                                    format!(
                                        "\"{alias}\" er ikke et kendt alias (se https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst)"
                                    ),
                                    format!(
                                        "\"{alias}\" is not a known alias (see https://github.com/publiccodeyml/publiccode.yml/blob/main/docs/standard/aliases-list.rst)"
                                    ),
                                ))
                            }
                            Some(_) => None,
                            None if syntax::is_organisation_uri(&v) => None,
                            None => Some(Msg::new(
                                format!(
                                    "skal være et kendt alias ('alias:<navn>') eller en URI, fandt \"{v}\""
                                ),
                                format!(
                                    "must be a known alias ('alias:<name>') or a URI, found \"{v}\""
                                ),
                            )),
                        };
                        if let Some(m) = message {
                            self.error(&k, f.pos(), m);
                        }
                    }
                    _ => self.unknown(&item_key, f),
                }
            }
            if find(&entries, "id").is_none() {
                self.missing(&join(&item_key, "id"), pos(item));
            }
        }
    }

    /// The Italian country-specific section, `IT` (or the deprecated `it`), with the keys
    /// the reference knows. Whether `riuso.codiceIPA` is a registered code needs the iPA
    /// registry, which is not shipped: it is not checked.
    fn italian(&mut self, e: &Entry<'_, '_>, has_upper: bool) {
        let key = e.name;
        if key == "it" {
            let message = if has_upper {
                Msg::new(
                    "nøglen IT findes allerede; fjern denne nøgle",
                    "the key IT is already present; remove this key",
                )
            } else {
                Msg::new(
                    "landekoder med små bogstaver er forældede; brug IT",
                    "lowercase country codes are deprecated; use IT instead",
                )
            };
            if has_upper {
                self.error(key, e.pos(), message);
                return;
            }
            // `it` was the section's name until 0.5 made country codes upper case.
            if self.spec >= SpecVersion::V0_5 {
                self.warn(key, e.pos(), message);
            }
        }
        let Got::Ok(map) = self.mapping(key, e) else {
            return;
        };
        let entries = self.entries(key, map);
        for f in &entries {
            let k = join(key, f.name);
            match f.name {
                "countryExtensionVersion" => {
                    self.enumeration(&k, f, &["0.2", "1.0"]);
                }
                "conforme" => {
                    // Deprecated by the Italian extension 1.0, which came with 0.5.
                    if self.spec >= SpecVersion::V0_5 {
                        self.warn(
                            &k,
                            f.pos(),
                            Msg::new(
                                format!("nøglen er forældet; {}", SAFE_TO_REMOVE.0),
                                format!("this key is deprecated; {}", SAFE_TO_REMOVE.1),
                            ),
                        );
                    }
                    self.flags(
                        &k,
                        f,
                        &[
                            "lineeGuidaDesign",
                            "modelloInteroperabilita",
                            "misureMinimeSicurezza",
                            "gdpr",
                        ],
                    );
                }
                "piattaforme" => {
                    self.flags(&k, f, &["spid", "pagopa", "cie", "anpr", "io"]);
                }
                "riuso" => {
                    let Got::Ok(riuso) = self.mapping(&k, f) else {
                        continue;
                    };
                    for g in &self.entries(&k, riuso) {
                        let gk = join(&k, g.name);
                        if g.name != "codiceIPA" {
                            self.unknown(&k, g);
                        } else if let Some(code) = self.opt_string(&gk, g)
                            && !code.is_empty()
                        {
                            self.warn(
                                &gk,
                                g.pos(),
                                Msg::new(
                                    format!("nøglen er forældet; brug organisation.uri med værdien \"urn:x-italian-pa:{code}\""),
                                    format!("this key is deprecated; use organisation.uri set to \"urn:x-italian-pa:{code}\""),
                                ),
                            );
                        }
                    }
                }
                _ => self.unknown(key, f),
            }
        }
    }

    /// A mapping of booleans with these keys.
    fn flags(&mut self, key: &str, e: &Entry<'_, '_>, names: &[&str]) {
        let Got::Ok(map) = self.mapping(key, e) else {
            return;
        };
        for f in &self.entries(key, map) {
            if names.contains(&f.name) {
                self.boolean(&join(key, f.name), f);
            } else {
                self.unknown(key, f);
            }
        }
    }

    fn is_based_on(&mut self, e: &Entry<'_, '_>) {
        let key = "isBasedOn";
        match kind(e.value) {
            Kind::Seq(_) => {
                self.string_list(key, e, |c, k, at, v| c.url(k, at, v, false));
            }
            _ => {
                if let Some(v) = self.opt_string(key, e) {
                    self.url(key, e.pos(), &v, false);
                }
            }
        }
    }

    /// `organisation` (0.5) or an item of `fundedBy`: `uri` (required) and `name`
    /// (optional).
    fn organisation(&mut self, key: &str, e: &Entry<'_, '_>, record: bool) {
        let Got::Ok(map) = self.mapping(key, e) else {
            return;
        };
        self.organisation_map(key, e.pos(), map, record);
    }

    fn organisation_map(&mut self, key: &str, at: (usize, usize), map: &Map<'_>, record: bool) {
        let entries = self.entries(key, map);
        for e in &entries {
            let k = join(key, e.name);
            match e.name {
                "name" => {
                    if let Some(v) = self.opt_string(&k, e)
                        && record
                    {
                        self.line(&k, e.pos());
                        self.data.organisation = Some(v);
                    }
                }
                "uri" => {
                    if let Some(v) = self.req_string(&k, e)
                        && !syntax::is_organisation_uri(&v)
                    {
                        self.error(
                            &k,
                            e.pos(),
                            Msg::new(
                                format!("\"{v}\" er ikke en gyldig URI"),
                                format!("\"{v}\" is not a valid URI"),
                            ),
                        );
                    }
                }
                _ => self.unknown(key, e),
            }
        }
        if find(&entries, "uri").is_none() {
            self.missing(&join(key, "uri"), at);
        }
    }

    fn funded_by(&mut self, e: &Entry<'_, '_>) {
        let key = "fundedBy";
        let Got::Ok(items) = self.list(key, e) else {
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let item_key = format!("{key}[{i}]");
            match kind(item) {
                Kind::Map(map) => self.organisation_map(&item_key, pos(item), map, false),
                other => self.wrong_type(&item_key, pos(item), A_MAPPING, other),
            }
        }
    }

    fn platforms(&mut self, e: &Entry<'_, '_>) {
        let key = "platforms";
        let values = match kind(e.value) {
            Kind::Str(s) if !s.trim().is_empty() => {
                // The standard's text reads "enumerated string or array of strings", but
                // its schema, the reference parser and so every catalogue that indexes
                // publiccode.yml files read a list only: a single string is an error.
                self.error(
                    key,
                    e.pos(),
                    Msg::new(
                        format!("forkert type: forventede en liste af platforme, fandt teksten \"{s}\"; skriv [{s}]"),
                        format!("wrong type: expected a list of platforms, found the string \"{s}\"; write [{s}]"),
                    ),
                );
                return;
            }
            _ => match self.string_list(key, e, |_, _, _, _| true) {
                Got::Ok(v) => v,
                Got::Missing => Vec::new(),
                Got::Wrong => return,
            },
        };
        if values.is_empty() {
            self.error(
                key,
                e.pos(),
                Msg::new(
                    "skal indeholde mindst én platform",
                    "must contain at least one platform",
                ),
            );
            return;
        }
        self.line(key, e.pos());
        self.data.platforms = values;
    }

    fn categories(&mut self, e: &Entry<'_, '_>) {
        let key = "categories";
        let spec = self.spec;
        let got = self.string_list(key, e, |c, k, at, v| match spec::category_since(v) {
            None => {
                c.error(
                    k,
                    at,
                    Msg::new(
                        format!(
                            "\"{v}\" står ikke på standardens liste over kategorier ({} kategorier)",
                            CATEGORIES.len()
                        ),
                        format!(
                            "\"{v}\" is not on the categories list of the standard ({} categories)",
                            CATEGORIES.len()
                        ),
                    ),
                );
                false
            }
            Some(since) if since > spec => {
                c.warn(
                    k,
                    at,
                    Msg::new(
                        format!(
                            "\"{v}\" kom på listen over kategorier i publiccode.yml {since} og er ikke en del af {spec}"
                        ),
                        format!(
                            "\"{v}\" was added to the categories list in publiccode.yml {since} and is not part of {spec}"
                        ),
                    ),
                );
                true
            }
            Some(_) => true,
        });
        if let Got::Ok(values) = got {
            self.line(key, e.pos());
            self.data.categories = values;
        }
    }

    fn intended_audience(&mut self, e: &Entry<'_, '_>) {
        let key = "intendedAudience";
        let Got::Ok(map) = self.mapping(key, e) else {
            return;
        };
        let spec = self.spec;
        for e in &self.entries(key, map) {
            let k = join(key, e.name);
            match e.name {
                "scope" => {
                    self.string_list(&k, e, |c, k, at, v| {
                        let ok = SCOPES.contains(&v);
                        if !ok {
                            c.error(
                                k,
                                at,
                                Msg::new(
                                    format!("\"{v}\" står ikke på standardens liste over anvendelsesområder"),
                                    format!("\"{v}\" is not on the scope list of the standard"),
                                ),
                            );
                        }
                        ok
                    });
                }
                "countries" | "unsupportedCountries" => {
                    self.string_list(&k, e, |c, k, at, v| match syntax::country_code(v) {
                        None => {
                            c.error(
                                k,
                                at,
                                Msg::new(
                                    format!("\"{v}\" er ikke en landekode efter ISO 3166-1 alpha-2"),
                                    format!("\"{v}\" is not an ISO 3166-1 alpha-2 country code"),
                                ),
                            );
                            false
                        }
                        Some(CountryCase::Lower) if spec >= SpecVersion::V0_5 => {
                            let upper = v.to_ascii_uppercase();
                            c.warn(
                                k,
                                at,
                                Msg::new(
                                    format!("landekoder med små bogstaver er forældede siden publiccode.yml 0.5; skriv \"{upper}\""),
                                    format!("lowercase country codes are deprecated since publiccode.yml 0.5; write \"{upper}\""),
                                ),
                            );
                            true
                        }
                        Some(_) => true,
                    });
                }
                _ => self.unknown(key, e),
            }
        }
    }

    // ---- description ------------------------------------------------------------------

    fn description(&mut self, e: &Entry<'_, '_>) {
        let key = "description";
        let map = match self.mapping(key, e) {
            Got::Ok(map) => map,
            Got::Missing => {
                self.error(key, e.pos(), at_least_one_language());
                return;
            }
            Got::Wrong => return,
        };
        let entries = self.entries(key, map);
        if entries.is_empty() {
            self.error(key, e.pos(), at_least_one_language());
            return;
        }
        // (path, position, has longDescription, has features) per language.
        let mut seen = Vec::new();
        for lang in &entries {
            let path = join(key, lang.name);
            let valid_tag = syntax::is_bcp47(lang.name);
            if !valid_tag {
                self.error(
                    &path,
                    lang.pos(),
                    Msg::new(
                        format!("\"{}\" er ikke et gyldigt BCP 47-sprogmærke", lang.name),
                        format!("\"{}\" is not a valid BCP 47 language tag", lang.name),
                    ),
                );
            }
            let Got::Ok(inner) = self.mapping(&path, lang) else {
                if matches!(kind(lang.value), Kind::Null) {
                    self.error(&path, lang.pos(), empty_value());
                }
                continue;
            };
            if valid_tag {
                self.line(&path, lang.pos());
                self.data.languages.push(lang.name.to_owned());
            }
            let (has_long, has_features) = self.language(&path, lang, inner, valid_tag);
            seen.push((path, pos(lang.value), has_long, has_features));
        }
        // The standard requires longDescription and features "for at least one
        // language"; the reference validator requires them in every language.
        for (field, index) in [("longDescription", 0), ("features", 1)] {
            let any = seen.iter().any(|s| if index == 0 { s.2 } else { s.3 });
            for (path, at, has_long, has_features) in &seen {
                let has = if index == 0 { *has_long } else { *has_features };
                if has {
                    continue;
                }
                let k = join(path, field);
                if any {
                    self.warn(
                        &k,
                        *at,
                        Msg::new(
                            "mangler på dette sprog; standarden kræver den på mindst ét sprog, referencevalidatoren på alle sprog",
                            "is missing in this language; the standard requires it in at least one language, the reference validator in every language",
                        ),
                    );
                } else {
                    self.missing(&k, *at);
                }
            }
        }
    }

    /// One language of `description`. Returns whether it has a valid-typed
    /// `longDescription` and a non-empty `features` list.
    fn language(
        &mut self,
        path: &str,
        lang: &Entry<'_, '_>,
        map: &Map<'_>,
        record: bool,
    ) -> (bool, bool) {
        let entries = self.entries(path, map);
        let (mut has_long, mut has_features) = (false, false);
        for e in &entries {
            let k = join(path, e.name);
            match e.name {
                "localisedName" => {
                    self.opt_string(&k, e);
                }
                "genericName" => {
                    self.deprecated(&k, e, SpecVersion::V0_3, SAFE_TO_REMOVE);
                    if let Some(v) = self.opt_string(&k, e) {
                        self.length_max(&k, e.pos(), &v, GENERIC_NAME_MAX);
                    }
                }
                "shortDescription" => {
                    if let Some(v) = self.req_string(&k, e)
                        && self.length_max(&k, e.pos(), &v, SHORT_DESCRIPTION_MAX)
                        && record
                    {
                        self.line(&k, e.pos());
                        self.data.short_descriptions.push((lang.name.to_owned(), v));
                    }
                }
                "longDescription" => {
                    if let Some(v) = self.req_string(&k, e) {
                        has_long = true;
                        let n = syntax::text_length(&v);
                        if n < LONG_DESCRIPTION_MIN {
                            self.error(
                                &k,
                                e.pos(),
                                Msg::new(
                                    format!(
                                        "er {n} tegn lang; mindst {LONG_DESCRIPTION_MIN} kræves"
                                    ),
                                    format!(
                                        "is {n} characters long; the minimum is {LONG_DESCRIPTION_MIN}"
                                    ),
                                ),
                            );
                        } else if n > LONG_DESCRIPTION_MAX {
                            self.error(
                                &k,
                                e.pos(),
                                Msg::new(
                                    format!(
                                        "er {n} tegn lang; højst {LONG_DESCRIPTION_MAX} er tilladt"
                                    ),
                                    format!(
                                        "is {n} characters long; the maximum is {LONG_DESCRIPTION_MAX}"
                                    ),
                                ),
                            );
                        } else if n < LONG_DESCRIPTION_MIN_0_2 && self.spec == SpecVersion::V0_2 {
                            self.warn(
                                &k,
                                e.pos(),
                                Msg::new(
                                    format!("er {n} tegn lang; publiccode.yml 0.2 kræver mindst {LONG_DESCRIPTION_MIN_0_2} (150 siden 0.3)"),
                                    format!("is {n} characters long; publiccode.yml 0.2 asks for at least {LONG_DESCRIPTION_MIN_0_2} (150 since 0.3)"),
                                ),
                            );
                        }
                    } else {
                        // Present but empty or of the wrong type: reported; do not report
                        // it as missing as well.
                        has_long = true;
                    }
                }
                "documentation" | "apiDocumentation" => self.opt_url(&k, e, true),
                "features" => {
                    let spec = self.spec;
                    match self.string_list(&k, e, |c, k, at, v| {
                        let n = syntax::text_length(v);
                        if spec == SpecVersion::V0_2 && n > FEATURE_MAX_0_2 {
                            c.warn(
                                k,
                                at,
                                Msg::new(
                                    format!("er {n} tegn lang; publiccode.yml 0.2 tillader højst {FEATURE_MAX_0_2} (ingen grænse siden 0.3)"),
                                    format!("is {n} characters long; publiccode.yml 0.2 allows at most {FEATURE_MAX_0_2} (no limit since 0.3)"),
                                ),
                            );
                        }
                        true
                    }) {
                        Got::Ok(items) if items.is_empty() => {
                            self.error(
                                &k,
                                e.pos(),
                                Msg::new(
                                    "skal indeholde mindst én egenskab",
                                    "must contain at least one feature",
                                ),
                            );
                            has_features = true;
                        }
                        Got::Ok(_) | Got::Wrong => has_features = true,
                        Got::Missing => {}
                    }
                }
                "screenshots" => {
                    self.string_list(&k, e, |c, k, at, v| {
                        c.local_file(k, at, v, FileKind::Screenshot)
                    });
                }
                "videos" => {
                    // The reference matches the URL against the oEmbed providers' URL
                    // schemes (a list it ships; no network).
                    self.string_list(&k, e, |c, k, at, v| {
                        c.url(k, at, v, true) && c.oembed(k, at, v)
                    });
                }
                "awards" => {
                    self.string_list(&k, e, |_, _, _, _| true);
                }
                _ => self.unknown(path, e),
            }
        }
        if find(&entries, "shortDescription").is_none() {
            self.missing(&join(path, "shortDescription"), pos(lang.value));
        }
        if self.spec == SpecVersion::V0_2 && find(&entries, "genericName").is_none() {
            self.warn(
                &join(path, "genericName"),
                pos(lang.value),
                Msg::new(
                    "er obligatorisk i publiccode.yml 0.2 (valgfri og forældet siden 0.3)",
                    "is mandatory in publiccode.yml 0.2 (optional and deprecated since 0.3)",
                ),
            );
        }
        (has_long, has_features)
    }

    // ---- legal, maintenance, localisation, dependsOn -----------------------------------

    fn legal(&mut self, e: &Entry<'_, '_>) {
        let key = "legal";
        let map = match self.mapping(key, e) {
            Got::Ok(map) => map,
            Got::Missing => {
                self.missing("legal.license", e.pos());
                return;
            }
            Got::Wrong => return,
        };
        let entries = self.entries(key, map);
        for e in &entries {
            let k = join(key, e.name);
            match e.name {
                "license" => {
                    if let Some(v) = self.req_string(&k, e) {
                        if syntax::is_spdx_expression(&v) {
                            self.line(&k, e.pos());
                            self.data.license = Some(v);
                        } else {
                            self.error(
                                &k,
                                e.pos(),
                                Msg::new(
                                    format!("\"{v}\" er ikke et gyldigt SPDX-licensudtryk (se https://spdx.org/licenses)"),
                                    format!("\"{v}\" is not a valid SPDX license expression (see https://spdx.org/licenses)"),
                                ),
                            );
                        }
                    }
                }
                "mainCopyrightOwner" => {
                    if let Some(v) = self.opt_string(&k, e) {
                        self.line(&k, e.pos());
                        self.data.main_copyright_owner = Some(v);
                    }
                }
                "repoOwner" => {
                    self.deprecated(
                        &k,
                        e,
                        SpecVersion::V0_5,
                        (
                            "brug organisation.name i stedet",
                            "use organisation.name instead",
                        ),
                    );
                    self.opt_string(&k, e);
                }
                "authorsFile" => {
                    self.deprecated(&k, e, SpecVersion::V0_4, SAFE_TO_REMOVE);
                    if let Some(v) = self.opt_string(&k, e) {
                        self.local_file(&k, e.pos(), &v, FileKind::AuthorsFile);
                    }
                }
                _ => self.unknown(key, e),
            }
        }
        if find(&entries, "license").is_none() {
            self.missing("legal.license", pos(e.value));
        }
    }

    fn maintenance(&mut self, e: &Entry<'_, '_>) {
        let key = "maintenance";
        let map = match self.mapping(key, e) {
            Got::Ok(map) => map,
            Got::Missing => {
                self.missing("maintenance.type", e.pos());
                return;
            }
            Got::Wrong => return,
        };
        let here = pos(e.value);
        let entries = self.entries(key, map);
        let mut ty = None;
        for e in &entries {
            let k = join(key, e.name);
            match e.name {
                "type" => {
                    ty = self.enumeration(&k, e, MAINTENANCE_TYPES);
                    if let Some(t) = &ty {
                        self.line(&k, e.pos());
                        self.data.maintenance_type = Some(t.clone());
                    }
                }
                "contractors" => self.people(&k, e, true),
                "contacts" => self.people(&k, e, false),
                _ => self.unknown(key, e),
            }
        }
        if find(&entries, "type").is_none() {
            self.missing("maintenance.type", here);
        }
        let Some(ty) = ty else {
            return;
        };
        // A list with at least one item counts as present.
        let present = |name: &str| {
            find(&entries, name)
                .is_some_and(|e| matches!(kind(e.value), Kind::Seq(items) if !items.is_empty()))
        };
        let at = |name: &str| find(&entries, name).map_or(here, Entry::pos);
        if ty == "contract" && !present("contractors") {
            self.error(
                "maintenance.contractors",
                at("contractors"),
                Msg::new(
                    "påkrævet, når maintenance.type er \"contract\"",
                    "required when maintenance.type is \"contract\"",
                ),
            );
        }
        if ty != "contract"
            && let Some(c) = find(&entries, "contractors")
        {
            self.error(
                "maintenance.contractors",
                c.pos(),
                Msg::new(
                    "må kun være der, når maintenance.type er \"contract\"",
                    "must not be present unless maintenance.type is \"contract\"",
                ),
            );
        }
        if (ty == "internal" || ty == "community") && !present("contacts") {
            self.error(
                "maintenance.contacts",
                at("contacts"),
                Msg::new(
                    format!("påkrævet, når maintenance.type er \"{ty}\""),
                    format!("required when maintenance.type is \"{ty}\""),
                ),
            );
        }
    }

    /// `maintenance.contractors` (`contractor` true) or `maintenance.contacts`.
    fn people(&mut self, key: &str, e: &Entry<'_, '_>, contractor: bool) {
        let Got::Ok(items) = self.list(key, e) else {
            return;
        };
        let allowed: &[&str] = if contractor {
            &["name", "email", "website", "until"]
        } else {
            &["name", "email", "affiliation", "phone"]
        };
        for (i, item) in items.iter().enumerate() {
            let item_key = format!("{key}[{i}]");
            let map = match kind(item) {
                Kind::Map(map) => map,
                other => {
                    self.wrong_type(&item_key, pos(item), A_MAPPING, other);
                    continue;
                }
            };
            let entries = self.entries(&item_key, map);
            let mut name = None;
            for f in &entries {
                let k = join(&item_key, f.name);
                if !allowed.contains(&f.name) {
                    self.unknown(&item_key, f);
                    continue;
                }
                match f.name {
                    "name" => name = self.req_string(&k, f),
                    "email" => {
                        if let Some(v) = self.opt_string(&k, f)
                            && !syntax::is_email(&v)
                        {
                            self.error(
                                &k,
                                f.pos(),
                                Msg::new(
                                    format!("\"{v}\" er ikke en gyldig e-mailadresse"),
                                    format!("\"{v}\" is not a valid e-mail address"),
                                ),
                            );
                        }
                    }
                    "website" => self.opt_url(&k, f, true),
                    "until" => {
                        if let Some(v) = self.req_string(&k, f) {
                            self.date(&k, f.pos(), &v);
                        }
                    }
                    "phone" => {
                        // A number (`+391624231322`) is read as written, like the
                        // reference does: phone numbers are often left unquoted.
                        if !matches!(kind(f.value), Kind::Number) {
                            self.opt_string(&k, f);
                        }
                    }
                    _ => {
                        self.opt_string(&k, f);
                    }
                }
            }
            let required: &[&str] = if contractor {
                &["name", "until"]
            } else {
                &["name"]
            };
            for r in required {
                if find(&entries, r).is_none() {
                    self.missing(&join(&item_key, r), pos(item));
                }
            }
            if let (false, Some(n)) = (contractor, name) {
                if self.data.maintenance_contacts.is_empty() {
                    self.line(key, e.pos());
                }
                self.data.maintenance_contacts.push(n);
            }
        }
    }

    fn localisation(&mut self, e: &Entry<'_, '_>) {
        let key = "localisation";
        let map = match self.mapping(key, e) {
            Got::Ok(map) => map,
            Got::Missing => {
                self.missing("localisation.localisationReady", e.pos());
                self.missing("localisation.availableLanguages", e.pos());
                return;
            }
            Got::Wrong => return,
        };
        let here = pos(e.value);
        let entries = self.entries(key, map);
        for e in &entries {
            let k = join(key, e.name);
            match e.name {
                "localisationReady" => match self.boolean(&k, e) {
                    Got::Ok(b) => {
                        self.line(&k, e.pos());
                        self.data.localisation_ready = Some(b);
                    }
                    Got::Missing => self.error(&k, e.pos(), empty_value()),
                    Got::Wrong => {}
                },
                "availableLanguages" => {
                    let got = self.string_list(&k, e, |c, k, at, v| {
                        let ok = syntax::is_bcp47(v);
                        if !ok {
                            c.error(
                                k,
                                at,
                                Msg::new(
                                    format!("\"{v}\" er ikke et gyldigt BCP 47-sprogmærke"),
                                    format!("\"{v}\" is not a valid BCP 47 language tag"),
                                ),
                            );
                        }
                        ok
                    });
                    match got {
                        Got::Ok(langs) => {
                            let empty = matches!(kind(e.value), Kind::Seq([]));
                            if empty {
                                self.error(&k, e.pos(), at_least_one_language());
                            } else if !langs.is_empty() {
                                self.line(&k, e.pos());
                                self.data.available_languages = langs;
                            }
                        }
                        Got::Missing => self.error(&k, e.pos(), empty_value()),
                        Got::Wrong => {}
                    }
                }
                _ => self.unknown(key, e),
            }
        }
        for r in ["localisationReady", "availableLanguages"] {
            if find(&entries, r).is_none() {
                self.missing(&join(key, r), here);
            }
        }
    }

    fn depends_on(&mut self, e: &Entry<'_, '_>) {
        let key = "dependsOn";
        let Got::Ok(map) = self.mapping(key, e) else {
            return;
        };
        for e in &self.entries(key, map) {
            let k = join(key, e.name);
            if !matches!(e.name, "open" | "proprietary" | "hardware") {
                self.unknown(key, e);
                continue;
            }
            let Got::Ok(items) = self.list(&k, e) else {
                continue;
            };
            for (i, item) in items.iter().enumerate() {
                let item_key = format!("{k}[{i}]");
                let map = match kind(item) {
                    Kind::Map(map) => map,
                    other => {
                        self.wrong_type(&item_key, pos(item), A_MAPPING, other);
                        continue;
                    }
                };
                let entries = self.entries(&item_key, map);
                for f in &entries {
                    let fk = join(&item_key, f.name);
                    match f.name {
                        "name" => {
                            self.req_string(&fk, f);
                        }
                        "versionMin" | "versionMax" | "version" => {
                            self.opt_string(&fk, f);
                        }
                        "optional" => {
                            if let Got::Missing = self.boolean(&fk, f) {
                                self.error(&fk, f.pos(), empty_value());
                            }
                        }
                        _ => self.unknown(&item_key, f),
                    }
                }
                if find(&entries, "name").is_none() {
                    self.missing(&join(&item_key, "name"), pos(item));
                }
            }
        }
    }
}
