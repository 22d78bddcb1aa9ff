//! Import of an existing backlog of development wishes from CSV: Jira's export, GitHub
//! Projects' export, and Niveau's own template and wish export (docs/wishes-import.md).
//!
//! The column names and the words other tools use for states and priorities are data,
//! in models/backlog-import.toml ([`ImportTable`]). [`parse_backlog`] reads the whole
//! file or nothing: every row that cannot be read is reported with its line and column,
//! and then no row is returned, so that a caller never imports half a backlog.
//!
//! What is read:
//!
//! - comma-, semicolon- or tab-separated text in UTF-8, with or without a byte order mark,
//!   and with or without Excel's `sep=;` first line; the header is the first line;
//! - the title is required (at most [`MAX_TITLE_CHARS`] characters); other texts are
//!   optional and bounded ([`MAX_TEXT_CHARS`]); a leading `'` that Niveau's CSV export
//!   put before a formula character (`'=…`) is removed again;
//! - the state and the priority through the table; empty reads as `ny` / `middel`, an
//!   unknown word is an error that names it and lists the accepted values;
//! - dates as `2024-03-05`, `05-03-2024`, `05.03.2024`, or Jira's `05/Mar/24 10:12 AM`
//!   (English or Danish month names); a time after the date is ignored; `05/03/2024` is
//!   refused, because a US export means 3 May by it;
//! - hours as a whole or decimal number (`7,5` or `7.5`, rounded **up** to whole hours,
//!   so an estimate is never made smaller), or Jira's original estimate in seconds
//!   (also rounded up to whole hours); amounts through [`crate::amount::parse_dkk`];
//! - labels from every labels column (Jira repeats the column), each cell split at commas
//!   (GitHub writes `bug, enhancement` in one cell).

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use niveau_model::Msg;
use serde::{Deserialize, Serialize};

use crate::amount::parse_dkk;
use crate::export::csv::FORMULA_START;

/// The built-in table, as written.
pub const TABLE_TOML: &str = include_str!("../../../../models/backlog-import.toml");

/// The largest file read: 5 MB.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
/// The most rows read from one file.
pub const MAX_ROWS: usize = 5000;
/// The longest title.
pub const MAX_TITLE_CHARS: usize = 300;
/// The longest short text (key, person, organisation, label).
pub const MAX_SHORT_CHARS: usize = 300;
/// The longest text (need, proposal, value, reason).
pub const MAX_TEXT_CHARS: usize = 20_000;
/// The largest estimate in hours (about 60 person-years); more is a typing error.
pub const MAX_HOURS: i64 = 100_000;

/// Niveau's states of a development wish, in the order of the process.
pub const STATES: [&str; 10] = [
    "ny",
    "screening",
    "afventer løsningsbeskrivelse",
    "klar til prioritering",
    "bestilt hos leverandør",
    "i gang",
    "i test",
    "leveret",
    "afvist",
    "parkeret",
];

/// Niveau's priorities of a development wish, lowest first.
pub const PRIORITIES: [&str; 4] = ["lav", "middel", "høj", "kritisk"];

/// One wish read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BacklogRow {
    /// The 1-based line of the file where the record begins.
    pub line: u64,
    /// The other tool's key (`OS2MO-123`, an issue URL).
    pub key: Option<String>,
    /// The title.
    pub title: String,
    /// The business need (forretningsbehov); Jira's and GitHub's description.
    pub need: Option<String>,
    /// The proposed change (løsningsforslag).
    pub proposal: Option<String>,
    /// The value (værdi).
    pub value: Option<String>,
    /// One of [`STATES`].
    pub state: String,
    /// One of [`PRIORITIES`].
    pub priority: String,
    /// Why the priority is high or critical.
    pub priority_reason: Option<String>,
    /// The person who raised it.
    pub raised_by: Option<String>,
    /// The organisation that raised it (a municipality).
    pub organisation: Option<String>,
    /// When it was raised.
    pub created: Option<NaiveDate>,
    /// The estimate in whole hours (rounded up).
    pub estimate_hours: Option<i64>,
    /// The estimate in øre.
    pub estimate_ore: Option<i64>,
    /// Labels, in the file's order, without repeats.
    pub labels: Vec<String>,
}

/// A row, or a cell of a row, that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The 1-based line of the file where the record begins.
    pub line: u64,
    /// The column as the file's header names it; `None` for the whole row.
    pub column: Option<String>,
    /// What is wrong and what is accepted.
    pub message: Msg,
}

/// Why a backlog could not be imported; nothing is imported then.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BacklogError {
    /// The file as a whole: no title column, not UTF-8, empty, too many rows or too large.
    #[error("{}", .0.en)]
    Header(Msg),
    /// Every row that could not be read.
    #[error("{} row(s) could not be read; nothing was imported", .0.len())]
    Rows(Vec<RowError>),
}

impl BacklogError {
    /// The error in Danish and English (for [`BacklogError::Rows`] a summary; the rows
    /// carry their own messages).
    pub fn msg(&self) -> Msg {
        match self {
            BacklogError::Header(m) => m.clone(),
            BacklogError::Rows(rows) => Msg::new(
                format!(
                    "{} række(r) kunne ikke læses; intet er importeret",
                    rows.len()
                ),
                self.to_string(),
            ),
        }
    }
}

/// The columns of [`ImportTable`]: for each field, the column names that hold it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// The other tool's key.
    pub key: Vec<String>,
    /// The title (required).
    pub title: Vec<String>,
    /// The need.
    pub need: Vec<String>,
    /// The proposed change.
    pub proposal: Vec<String>,
    /// The value.
    pub value: Vec<String>,
    /// The state.
    pub state: Vec<String>,
    /// The priority.
    pub priority: Vec<String>,
    /// The reason for the priority.
    pub priority_reason: Vec<String>,
    /// The person who raised it.
    pub raised_by: Vec<String>,
    /// The organisation.
    pub organisation: Vec<String>,
    /// The date it was raised.
    pub created: Vec<String>,
    /// The estimate in hours.
    pub estimate_hours: Vec<String>,
    /// The estimate in seconds (Jira).
    pub estimate_seconds: Vec<String>,
    /// The estimate in kroner.
    pub estimate_kr: Vec<String>,
    /// Labels (every matching column).
    pub labels: Vec<String>,
}

impl Columns {
    fn all(&self) -> [(&'static str, &Vec<String>); 15] {
        [
            ("key", &self.key),
            ("title", &self.title),
            ("need", &self.need),
            ("proposal", &self.proposal),
            ("value", &self.value),
            ("state", &self.state),
            ("priority", &self.priority),
            ("priority_reason", &self.priority_reason),
            ("raised_by", &self.raised_by),
            ("organisation", &self.organisation),
            ("created", &self.created),
            ("estimate_hours", &self.estimate_hours),
            ("estimate_seconds", &self.estimate_seconds),
            ("estimate_kr", &self.estimate_kr),
            ("labels", &self.labels),
        ]
    }
}

/// The import table (models/backlog-import.toml).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportTable {
    /// Table id.
    pub id: String,
    /// Column names per field.
    pub columns: Columns,
    /// Foreign words per Niveau state.
    pub states: BTreeMap<String, Vec<String>>,
    /// Foreign words per Niveau priority.
    pub priorities: BTreeMap<String, Vec<String>>,
}

impl ImportTable {
    /// Reads and checks a table: known fields and values, no column name or word twice.
    pub fn parse(text: &str) -> Result<ImportTable, Msg> {
        let raw: ImportTable = toml::from_str(text).map_err(|e| {
            Msg::new(
                format!("importtabellen kan ikke læses: {e}"),
                format!("the import table cannot be read: {e}"),
            )
        })?;
        let mut seen = HashSet::new();
        for (field, names) in raw.columns.all() {
            if names.is_empty() && field == "title" {
                return Err(Msg::new(
                    "importtabellen har intet kolonnenavn for titlen",
                    "the import table has no column name for the title",
                ));
            }
            for n in names {
                if !seen.insert(header_key(n)) {
                    return Err(Msg::new(
                        format!("kolonnenavnet «{n}» står to gange i importtabellen"),
                        format!("the column name «{n}» is listed twice in the import table"),
                    ));
                }
            }
        }
        for (kind, map, known) in [
            ("state", &raw.states, &STATES[..]),
            ("priority", &raw.priorities, &PRIORITIES[..]),
        ] {
            let mut words = HashSet::new();
            for (value, aliases) in map {
                if !known.contains(&value.as_str()) {
                    return Err(Msg::new(
                        format!("importtabellen kender ikke værdien «{value}» ({kind})"),
                        format!("the import table has an unknown {kind} «{value}»"),
                    ));
                }
                for w in aliases.iter().chain(std::iter::once(value)) {
                    if !words.insert(word_key(w)) {
                        return Err(Msg::new(
                            format!("ordet «{w}» står to gange i importtabellen ({kind})"),
                            format!("the word «{w}» is listed twice in the import table ({kind})"),
                        ));
                    }
                }
            }
        }
        Ok(raw)
    }

    /// The built-in table, read once.
    pub fn builtin() -> Result<&'static ImportTable, Msg> {
        static TABLE: OnceLock<Result<ImportTable, Msg>> = OnceLock::new();
        TABLE
            .get_or_init(|| ImportTable::parse(TABLE_TOML))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Niveau's state for a word of another tool; `None` if unknown.
    pub fn state(&self, word: &str) -> Option<&'static str> {
        lookup(&self.states, &STATES, word)
    }

    /// Niveau's priority for a word of another tool; `None` if unknown.
    pub fn priority(&self, word: &str) -> Option<&'static str> {
        lookup(&self.priorities, &PRIORITIES, word)
    }
}

fn lookup(
    map: &BTreeMap<String, Vec<String>>,
    known: &[&'static str],
    word: &str,
) -> Option<&'static str> {
    let key = word_key(word);
    known.iter().copied().find(|v| {
        word_key(v) == key
            || map
                .get(*v)
                .is_some_and(|aliases| aliases.iter().any(|a| word_key(a) == key))
    })
}

/// A column name as matched: trimmed, lower case, `_` as a space, runs of spaces as one,
/// and Jira's `Custom field (Kommune)` as its inner name.
fn header_key(name: &str) -> String {
    let lower = name.trim_start_matches('\u{feff}').trim().to_lowercase();
    let inner = lower
        .strip_prefix("custom field (")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(&lower);
    inner
        .replace('_', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A state or priority word as matched: lower case, without emoji or punctuation at the
/// ends, without apostrophes, `_` and `-` as a space, runs of spaces as one.
fn word_key(word: &str) -> String {
    word.to_lowercase()
        .replace(['\'', '’', '‘', '`'], "")
        .replace(['_', '-'], " ")
        .trim_matches(|c: char| !c.is_alphanumeric())
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Where each field is in the file.
struct Layout {
    /// Per field name: (column index, header as written).
    single: BTreeMap<&'static str, (usize, String)>,
    /// Every labels column: (column index, header as written).
    labels: Vec<(usize, String)>,
    /// The number of columns of the header.
    width: usize,
}

fn layout(table: &ImportTable, header: &[String]) -> Layout {
    let keys: Vec<String> = header.iter().map(|h| header_key(h)).collect();
    let mut single = BTreeMap::new();
    let mut labels = Vec::new();
    for (field, names) in table.columns.all() {
        if field == "labels" {
            let wanted: HashSet<String> = names.iter().map(|n| header_key(n)).collect();
            labels = (0..keys.len())
                .filter(|&i| wanted.contains(&keys[i]))
                .map(|i| (i, header[i].trim().to_owned()))
                .collect();
            continue;
        }
        let found = names
            .iter()
            .find_map(|n| keys.iter().position(|k| *k == header_key(n)));
        if let Some(i) = found {
            single.insert(field, (i, header[i].trim().to_owned()));
        }
    }
    Layout {
        single,
        labels,
        width: header.len(),
    }
}

/// The delimiter of the file: the most frequent of `,`, `;` and a tab outside quotes on
/// its first line; a comma when none appears.
fn delimiter(first_line: &str) -> u8 {
    let mut in_quotes = false;
    let (mut comma, mut semi, mut tab) = (0, 0, 0);
    for c in first_line.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => comma += 1,
            ';' if !in_quotes => semi += 1,
            '\t' if !in_quotes => tab += 1,
            _ => {}
        }
    }
    if semi > comma && semi >= tab {
        b';'
    } else if tab > comma && tab > semi {
        b'\t'
    } else {
        b','
    }
}

/// Reads a backlog; see the [module documentation](self).
pub fn parse_backlog(bytes: &[u8]) -> Result<Vec<BacklogRow>, BacklogError> {
    let table = ImportTable::builtin().map_err(BacklogError::Header)?;
    parse_with(table, bytes)
}

/// Reads a backlog with the given table.
pub fn parse_with(table: &ImportTable, bytes: &[u8]) -> Result<Vec<BacklogRow>, BacklogError> {
    if bytes.len() > MAX_BYTES {
        return Err(BacklogError::Header(Msg::new(
            format!(
                "filen fylder {} byte; der kan højst importeres 5 MB ad gangen — del den op",
                bytes.len()
            ),
            format!(
                "the file is {} bytes; at most 5 MB can be imported at a time — split it",
                bytes.len()
            ),
        )));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            return Err(BacklogError::Header(Msg::new(
                format!(
                    "filen er ikke UTF-8 (første ugyldige tegn i linje {line}); gem den i \
                     Excel som «CSV UTF-8 (kommasepareret)»"
                ),
                format!(
                    "the file is not UTF-8 (first invalid byte on line {line}); save it from \
                     Excel as «CSV UTF-8 (Comma delimited)»"
                ),
            )));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(empty_file());
    }
    let first_line = text.lines().next().unwrap_or_default();
    let sep_hint = first_line
        .trim()
        .strip_prefix("sep=")
        .and_then(|s| s.trim_matches('"').bytes().next());
    let delim = match sep_hint {
        Some(d) => d,
        None => delimiter(first_line),
    };
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());

    let mut header: Option<Vec<String>> = None;
    let mut records: Vec<(u64, Vec<String>)> = Vec::new();
    let mut skipped_sep = sep_hint.is_none();
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map_or(0, |p| line_at(text, p.byte()));
            BacklogError::Header(Msg::new(
                format!("linje {line} kan ikke læses som CSV"),
                format!("line {line} cannot be read as CSV"),
            ))
        })?;
        let line = record.position().map_or(0, |p| line_at(text, p.byte()));
        let cells: Vec<String> = record.iter().map(str::to_owned).collect();
        if !skipped_sep {
            skipped_sep = true;
            continue;
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if header.is_none() {
            header = Some(cells);
            continue;
        }
        if records.len() >= MAX_ROWS {
            return Err(BacklogError::Header(Msg::new(
                format!(
                    "filen har mere end {MAX_ROWS} rækker; del den op og importér den i flere \
                     omgange"
                ),
                format!("the file has more than {MAX_ROWS} rows; split it and import it in parts"),
            )));
        }
        records.push((line, cells));
    }
    let Some(header) = header else {
        return Err(empty_file());
    };
    let layout = layout(table, &header);
    if !layout.single.contains_key("title") {
        let names = table.columns.title.join(", ");
        return Err(BacklogError::Header(Msg::new(
            format!(
                "første linje har ingen kolonne med titlen; den skal hedde en af: {names} \
                 (kolonnerne er adskilt med «{}»)",
                delim as char
            ),
            format!(
                "the first line has no title column; it must be named one of: {names} \
                 (the columns are separated by «{}»)",
                delim as char
            ),
        )));
    }
    if records.is_empty() {
        return Err(BacklogError::Header(Msg::new(
            "filen har en overskriftslinje, men ingen rækker",
            "the file has a header line but no rows",
        )));
    }

    let mut rows = Vec::with_capacity(records.len());
    let mut errors = Vec::new();
    for (line, cells) in &records {
        match read_row(table, &layout, *line, cells) {
            Ok(row) => rows.push(row),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(BacklogError::Rows(errors))
    }
}

/// The 1-based line of the record that begins at `byte`. The reader's own line count
/// goes wrong with Windows line ends and blank lines, so it is counted here; a record
/// never begins with a line end (blank lines are skipped), so line ends at `byte`
/// belong before it.
fn line_at(text: &str, byte: u64) -> u64 {
    let start = usize::try_from(byte).unwrap_or(usize::MAX).min(text.len());
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len() && matches!(bytes[end], b'\r' | b'\n') {
        end += 1;
    }
    let newlines = bytes[..end].iter().filter(|&&b| b == b'\n').count();
    newlines as u64 + 1
}

fn empty_file() -> BacklogError {
    BacklogError::Header(Msg::new("filen er tom", "the file is empty"))
}

/// A cell as text: a leading `'` before a formula character (Niveau's CSV export) removed,
/// Windows line ends as `\n`, trimmed; `None` when empty.
fn clean(cell: &str) -> Option<String> {
    let unquoted = match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    };
    let t = unquoted.replace("\r\n", "\n");
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Collects the errors of one row.
struct RowReader<'a> {
    layout: &'a Layout,
    cells: &'a [String],
    line: u64,
    errors: Vec<RowError>,
}

impl RowReader<'_> {
    fn column(&self, field: &str) -> Option<String> {
        self.layout.single.get(field).map(|(_, h)| h.clone())
    }

    fn error(&mut self, field: &str, da: String, en: String) {
        let column = self.column(field);
        self.errors.push(RowError {
            line: self.line,
            column,
            message: Msg::new(da, en),
        });
    }

    fn raw(&self, field: &str) -> Option<String> {
        let (i, _) = self.layout.single.get(field)?;
        clean(self.cells.get(*i)?)
    }

    fn text(&mut self, field: &str, max: usize) -> Option<String> {
        let t = self.raw(field)?;
        let n = t.chars().count();
        if n > max {
            self.error(
                field,
                format!("teksten har {n} tegn; højst {max} tegn"),
                format!("the text has {n} characters; at most {max}"),
            );
            return None;
        }
        Some(t)
    }
}

fn read_row(
    table: &ImportTable,
    layout: &Layout,
    line: u64,
    cells: &[String],
) -> Result<BacklogRow, Vec<RowError>> {
    let mut r = RowReader {
        layout,
        cells,
        line,
        errors: Vec::new(),
    };
    if cells.len() > layout.width {
        r.errors.push(RowError {
            line,
            column: None,
            message: Msg::new(
                format!(
                    "rækken har {} felter, men overskriften {}; er der et komma eller semikolon \
                     uden anførselstegn om?",
                    cells.len(),
                    layout.width
                ),
                format!(
                    "the row has {} fields but the header {}; is there a comma or semicolon \
                     without quotes around it?",
                    cells.len(),
                    layout.width
                ),
            ),
        });
        return Err(r.errors);
    }

    let title = r.text("title", MAX_TITLE_CHARS);
    if title.is_none() && r.raw("title").is_none() {
        r.error(
            "title",
            "titlen mangler; hver række skal have en titel".to_owned(),
            "the title is missing; every row needs a title".to_owned(),
        );
    }
    let key = r.text("key", MAX_SHORT_CHARS);
    let need = r.text("need", MAX_TEXT_CHARS);
    let proposal = r.text("proposal", MAX_TEXT_CHARS);
    let value = r.text("value", MAX_TEXT_CHARS);
    let priority_reason = r.text("priority_reason", MAX_TEXT_CHARS);
    let raised_by = r.text("raised_by", MAX_SHORT_CHARS);
    let organisation = r.text("organisation", MAX_SHORT_CHARS);

    let state = match r.raw("state") {
        None => Some(STATES[0]),
        Some(word) => match table.state(&word) {
            Some(s) => Some(s),
            None => {
                let list = STATES.join(", ");
                r.error(
                    "state",
                    format!(
                        "ukendt status «{word}»; kendte statusser er {list} og de ord fra Jira \
                         og GitHub, der står i models/backlog-import.toml"
                    ),
                    format!(
                        "unknown status «{word}»; the accepted ones are {list} and the Jira and \
                         GitHub words listed in models/backlog-import.toml"
                    ),
                );
                None
            }
        },
    };
    let priority = match r.raw("priority") {
        None => Some(PRIORITIES[1]),
        Some(word) => match table.priority(&word) {
            Some(p) => Some(p),
            None => {
                let list = PRIORITIES.join(", ");
                r.error(
                    "priority",
                    format!(
                        "ukendt prioritet «{word}»; kendte prioriteter er {list} (og Lowest, \
                         Low, Medium, High, Highest, Critical, Blocker)"
                    ),
                    format!(
                        "unknown priority «{word}»; the accepted ones are {list} (and Lowest, \
                         Low, Medium, High, Highest, Critical, Blocker)"
                    ),
                );
                None
            }
        },
    };

    let created = match r.raw("created") {
        None => None,
        Some(t) => match parse_created(&t) {
            Ok(d) => Some(d),
            Err(()) => {
                r.error(
                    "created",
                    format!(
                        "«{}» er ikke en dato; skriv fx 2024-03-05, 05-03-2024 eller \
                         05/Mar/24 (Jira)",
                        short(&t)
                    ),
                    format!(
                        "«{}» is not a date; write e.g. 2024-03-05, 05-03-2024 or 05/Mar/24 \
                         (Jira)",
                        short(&t)
                    ),
                );
                None
            }
        },
    };

    let mut estimate_hours = None;
    if let Some(t) = r.raw("estimate_hours") {
        match parse_hours(&t) {
            Ok(h) => estimate_hours = Some(h),
            Err(()) => r.error(
                "estimate_hours",
                format!(
                    "«{}» er ikke et antal timer; skriv fx 40 eller 7,5 (rundes op til hele \
                     timer), højst {MAX_HOURS}",
                    short(&t)
                ),
                format!(
                    "«{}» is not a number of hours; write e.g. 40 or 7.5 (rounded up to whole \
                     hours), at most {MAX_HOURS}",
                    short(&t)
                ),
            ),
        }
    } else if let Some(t) = r.raw("estimate_seconds") {
        match parse_seconds(&t) {
            Ok(h) => estimate_hours = Some(h),
            Err(()) => r.error(
                "estimate_seconds",
                format!(
                    "«{}» er ikke et estimat i sekunder, som Jira skriver det (fx 27000)",
                    short(&t)
                ),
                format!(
                    "«{}» is not an estimate in seconds as Jira writes it (e.g. 27000)",
                    short(&t)
                ),
            ),
        }
    }
    let estimate_ore = match r.raw("estimate_kr") {
        None => None,
        Some(t) => match parse_dkk(&t) {
            Ok(ore) => Some(ore),
            Err(e) => {
                let m = e.msg();
                r.error("estimate_kr", m.da, m.en);
                None
            }
        },
    };

    let mut labels: Vec<String> = Vec::new();
    for (i, column) in &layout.labels {
        let Some(cell) = cells.get(*i).and_then(|c| clean(c)) else {
            continue;
        };
        for label in cell.split(',').map(str::trim).filter(|l| !l.is_empty()) {
            let n = label.chars().count();
            if n > MAX_SHORT_CHARS {
                r.errors.push(RowError {
                    line,
                    column: Some(column.clone()),
                    message: Msg::new(
                        format!("en etiket har {n} tegn; højst {MAX_SHORT_CHARS}"),
                        format!("a label has {n} characters; at most {MAX_SHORT_CHARS}"),
                    ),
                });
            } else if !labels.iter().any(|l| l == label) {
                labels.push(label.to_owned());
            }
        }
    }

    match (title, state, priority) {
        (Some(title), Some(state), Some(priority)) if r.errors.is_empty() => Ok(BacklogRow {
            line,
            key,
            title,
            need,
            proposal,
            value,
            state: state.to_owned(),
            priority: priority.to_owned(),
            priority_reason,
            raised_by,
            organisation,
            created,
            estimate_hours,
            estimate_ore,
            labels,
        }),
        _ => Err(r.errors),
    }
}

/// A value as shown in an error message: at most 40 characters.
fn short(t: &str) -> String {
    if t.chars().count() > 40 {
        let mut s: String = t.chars().take(40).collect();
        s.push('…');
        s
    } else {
        t.to_owned()
    }
}

/// Month names as Jira writes them, in English and Danish.
fn month(name: &str) -> Option<u32> {
    let n = name.to_lowercase();
    let n = n.trim_end_matches('.');
    let m = match n {
        "jan" | "january" | "januar" => 1,
        "feb" | "february" | "februar" => 2,
        "mar" | "march" | "marts" => 3,
        "apr" | "april" => 4,
        "may" | "maj" => 5,
        "jun" | "june" | "juni" => 6,
        "jul" | "july" | "juli" => 7,
        "aug" | "august" => 8,
        "sep" | "sept" | "september" => 9,
        "oct" | "okt" | "october" | "oktober" => 10,
        "nov" | "november" => 11,
        "dec" | "december" => 12,
        _ => return None,
    };
    Some(m)
}

/// A creation date; see the module documentation for the formats.
fn parse_created(text: &str) -> Result<NaiveDate, ()> {
    let first = text.split_whitespace().next().ok_or(())?;
    let first = match first.find('T') {
        Some(10) => &first[..10],
        _ => first,
    };
    let date = if let [d, m, y] = first.split('/').collect::<Vec<_>>()[..] {
        // Jira: 05/Mar/24 — only with a month name.
        let month = month(m).ok_or(())?;
        let day: u32 = d.parse().map_err(|_| ())?;
        if !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let year: i32 = match y.len() {
            2 => 2000 + y.parse::<i32>().map_err(|_| ())?,
            4 => y.parse().map_err(|_| ())?,
            _ => return Err(()),
        };
        NaiveDate::from_ymd_opt(year, month, day).ok_or(())?
    } else {
        ["%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
            .iter()
            .find_map(|f| NaiveDate::parse_from_str(first, f).ok())
            .ok_or(())?
    };
    if (1970..=2100).contains(&date.year()) {
        Ok(date)
    } else {
        Err(())
    }
}

/// Hours: whole or with one decimal separator, rounded up; `t`, `timer`, `h` after it.
fn parse_hours(text: &str) -> Result<i64, ()> {
    let lower = text.trim().to_lowercase();
    let mut t = lower.as_str();
    for suffix in ["timer", "time", "hours", "hour", "t", "h"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim_end();
            break;
        }
    }
    let (int, frac) = match t.split_once([',', '.']) {
        Some((i, f)) => (i, f),
        None => (t, ""),
    };
    if int.is_empty()
        || int.len() > 9
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 9
        || !frac.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(());
    }
    let whole: i64 = int.parse().map_err(|_| ())?;
    let up = i64::from(frac.bytes().any(|b| b != b'0'));
    let hours = whole + up;
    if hours > MAX_HOURS {
        return Err(());
    }
    Ok(hours)
}

/// Jira's seconds, rounded up to whole hours.
fn parse_seconds(text: &str) -> Result<i64, ()> {
    let t = text.trim();
    if t.is_empty() || t.len() > 12 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let seconds: i64 = t.parse().map_err(|_| ())?;
    let hours = (seconds + 3599) / 3600;
    if hours > MAX_HOURS {
        return Err(());
    }
    Ok(hours)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn the_builtin_table_is_consistent() {
        let t = ImportTable::builtin().unwrap();
        assert_eq!(t.id, "niveau-backlog-import");
        for s in STATES {
            assert_eq!(t.state(s), Some(s));
        }
        for p in PRIORITIES {
            assert_eq!(t.priority(p), Some(p));
        }
        for (word, state) in [
            ("To Do", "ny"),
            ("Backlog", "ny"),
            ("Open", "ny"),
            ("In Progress", "i gang"),
            ("IN_PROGRESS", "i gang"),
            ("🏗 In progress", "i gang"),
            ("In Review", "i test"),
            ("QA", "i test"),
            ("Test", "i test"),
            ("Done", "leveret"),
            ("✅ Done", "leveret"),
            ("Closed", "leveret"),
            ("Resolved", "leveret"),
            ("Won't Do", "afvist"),
            ("Won’t do", "afvist"),
            ("Rejected", "afvist"),
            ("On hold", "parkeret"),
            ("På hold", "parkeret"),
            ("Selected for Development", "bestilt hos leverandør"),
            ("I GANG", "i gang"),
            ("Igang", "i gang"),
            ("Færdig", "leveret"),
            (
                "Afventer løsningsbeskrivelse",
                "afventer løsningsbeskrivelse",
            ),
        ] {
            assert_eq!(t.state(word), Some(state), "{word}");
        }
        for (word, p) in [
            ("Lowest", "lav"),
            ("Low", "lav"),
            ("Medium", "middel"),
            ("High", "høj"),
            ("Highest", "kritisk"),
            ("Critical", "kritisk"),
            ("Blocker", "kritisk"),
            ("HØJ", "høj"),
            ("P0", "kritisk"),
        ] {
            assert_eq!(t.priority(word), Some(p), "{word}");
        }
        assert_eq!(t.state("Waiting for customer"), None);
        assert_eq!(t.priority("Whenever"), None);
    }

    #[test]
    fn a_broken_table_is_refused() {
        let ok = TABLE_TOML;
        let unknown_state = ok.replace("\"parkeret\" = [", "\"pauset\" = [");
        assert!(ImportTable::parse(&unknown_state).is_err());
        let twice = ok.replace("\"lav\" = [\"lowest\"", "\"lav\" = [\"high\"");
        assert!(ImportTable::parse(&twice).is_err());
        let column_twice = ok.replace("key = [\"nøgle\"", "key = [\"status\"");
        assert!(ImportTable::parse(&column_twice).is_err());
    }

    #[test]
    fn headers_and_words_are_normalised() {
        assert_eq!(
            header_key("\u{feff} Prioritet_Begrundelse "),
            "prioritet begrundelse"
        );
        assert_eq!(header_key("Custom field (Kommune)"), "kommune");
        assert_eq!(word_key("  ✅ Won't  Do! "), "wont do");
    }

    #[test]
    fn dates_hours_and_seconds() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for (text, date) in [
            ("05/Mar/24 10:12 AM", d(2024, 3, 5)),
            ("5/maj/2024", d(2024, 5, 5)),
            ("2024-03-05 10:12", d(2024, 3, 5)),
            ("2024-03-05T10:12:00Z", d(2024, 3, 5)),
            ("05-03-2024", d(2024, 3, 5)),
            ("05.03.2024", d(2024, 3, 5)),
        ] {
            assert_eq!(parse_created(text), Ok(date), "{text}");
        }
        for bad in [
            "05/03/2024",
            "2024-02-30",
            "i går",
            "05-03-24",
            "31/Foo/24",
            "05/Mar/-1",
            "",
        ] {
            assert_eq!(parse_created(bad), Err(()), "{bad}");
        }
        assert_eq!(parse_hours("7,5"), Ok(8));
        assert_eq!(parse_hours("7.5"), Ok(8));
        assert_eq!(parse_hours("8"), Ok(8));
        assert_eq!(parse_hours("8,00"), Ok(8));
        assert_eq!(parse_hours("40 timer"), Ok(40));
        assert_eq!(parse_hours("12h"), Ok(12));
        assert_eq!(parse_hours("-3"), Err(()));
        assert_eq!(parse_hours("mange"), Err(()));
        assert_eq!(parse_hours("100001"), Err(()));
        assert_eq!(parse_seconds("27000"), Ok(8));
        assert_eq!(parse_seconds("28800"), Ok(8));
        assert_eq!(parse_seconds("1"), Ok(1));
        assert_eq!(parse_seconds("2h"), Err(()));
    }
}
