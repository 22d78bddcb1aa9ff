//! What detectors see: the snapshot, cached bounded reads of files, the parsed
//! publiccode.yml, and small text helpers shared by several detectors.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::HashMap;

use crate::finding::ScanWarning;
use crate::publiccode::{self, Validation};
use crate::source::{Content, FileEntry, RepoSource, Snapshot};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The detectors' view of one repository.
pub struct Context<'a> {
    source: &'a dyn RepoSource,
    /// "Now", seconds since the Unix epoch (fixed in tests). Private: a detector asks
    /// [`Context::older_than`] or [`Context::within`], so that the context knows until
    /// when the result holds (see [`Context::valid_until`]).
    now: i64,
    /// The earliest moment at which a time-based decision taken so far would turn out
    /// differently (`i64::MAX`: none).
    valid_until: Cell<i64>,
    cache: RefCell<HashMap<String, Content>>,
    warnings: RefCell<Vec<ScanWarning>>,
    publiccode: OnceCell<Option<(String, Validation)>>,
    tool_inputs: Vec<crate::detectors::tool_results::ToolInput>,
}

impl<'a> Context<'a> {
    /// A context over `source` at time `now`.
    pub fn new(source: &'a dyn RepoSource, now: i64) -> Self {
        Context {
            source,
            now,
            valid_until: Cell::new(i64::MAX),
            cache: RefCell::new(HashMap::new()),
            warnings: RefCell::new(Vec::new()),
            publiccode: OnceCell::new(),
            tool_inputs: Vec::new(),
        }
    }

    /// The same context with other tools' results given outside the repository (e.g.
    /// `niveau check --scorecard FILE`).
    pub fn with_tool_inputs(
        mut self,
        inputs: Vec<crate::detectors::tool_results::ToolInput>,
    ) -> Self {
        self.tool_inputs = inputs;
        self
    }

    /// Other tools' results given outside the repository.
    pub fn tool_inputs(&self) -> &[crate::detectors::tool_results::ToolInput] {
        &self.tool_inputs
    }

    /// How many files `commit` changed (see [`RepoSource::changed_files`]).
    pub fn changed_files(&self, commit: &str) -> Option<usize> {
        self.source.changed_files(commit)
    }

    /// The last change of each of `paths` (see [`RepoSource::last_changes`]).
    pub fn last_changes(&self, paths: &[&str]) -> Option<Vec<Option<crate::source::LastChange>>> {
        self.source.last_changes(paths)
    }

    /// The snapshot.
    pub fn snapshot(&self) -> &Snapshot {
        self.source.snapshot()
    }

    /// All files, sorted by path.
    pub fn files(&self) -> &[FileEntry] {
        &self.snapshot().files
    }

    /// The file at exactly this path.
    pub fn file(&self, path: &str) -> Option<&FileEntry> {
        let files = self.files();
        files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .and_then(|i| files.get(i))
    }

    /// Files whose lower-case path satisfies `pred`.
    pub fn find(&self, pred: impl Fn(&str) -> bool) -> Vec<&FileEntry> {
        self.files()
            .iter()
            .filter(|f| pred(&f.path.to_lowercase()))
            .collect()
    }

    /// Files at the root (or in `dirs`, e.g. `.github`, `docs`) whose lower-case name
    /// starts with one of `prefixes`.
    pub fn named(&self, dirs: &[&str], prefixes: &[&str]) -> Vec<&FileEntry> {
        self.files()
            .iter()
            .filter(|f| dirs.contains(&f.dir()) || f.dir().is_empty())
            .filter(|f| {
                let n = f.lower_name();
                prefixes.iter().any(|p| n.starts_with(p))
            })
            .collect()
    }

    /// The root README (README.md preferred over other README files).
    pub fn readme(&self) -> Option<&FileEntry> {
        let mut candidates: Vec<&FileEntry> = self
            .files()
            .iter()
            .filter(|f| f.dir().is_empty() && f.lower_name().starts_with("readme"))
            .collect();
        candidates.sort_by_key(|f| {
            let n = f.lower_name();
            (n != "readme.md", n.len())
        });
        candidates.first().copied()
    }

    /// The text of a file under the limits, cached. `None` (with a warning, once) if it
    /// is binary, too large, not a file or unreadable.
    pub fn text(&self, file: &FileEntry) -> Option<String> {
        if let Some(c) = self.cache.borrow().get(&file.path) {
            return c.text().map(str::to_owned);
        }
        let content = self.source.read(file);
        match &content {
            Content::Text(_) | Content::Binary | Content::NotAFile => {}
            Content::TooLarge(size) => self.warn(ScanWarning::new(
                "file-too-large",
                Some(file.path.clone()),
                format!(
                    "{} er {size} byte; filer over grænsen læses ikke.",
                    file.path
                ),
                format!(
                    "{} is {size} bytes; files over the limit are not read.",
                    file.path
                ),
            )),
            Content::Unreadable(why) => self.warn(ScanWarning::new(
                "missing-object",
                Some(file.path.clone()),
                format!("{} kan ikke læses ({why}).", file.path),
                format!("{} cannot be read ({why}).", file.path),
            )),
        }
        let text = content.text().map(str::to_owned);
        self.cache.borrow_mut().insert(file.path.clone(), content);
        text
    }

    /// Records a warning.
    pub fn warn(&self, w: ScanWarning) {
        self.warnings.borrow_mut().push(w);
    }

    /// The warnings recorded while detecting.
    pub fn take_warnings(&self) -> Vec<ScanWarning> {
        std::mem::take(&mut self.warnings.borrow_mut())
    }

    /// The root publiccode.yml (or publiccode.yaml), validated; `None` if there is none
    /// or it cannot be read.
    pub fn publiccode(&self) -> Option<&(String, Validation)> {
        self.publiccode
            .get_or_init(|| {
                let file = self
                    .file("publiccode.yml")
                    .or_else(|| self.file("publiccode.yaml"))?;
                let text = self.text(file)?;
                // Paths in it (logo, screenshots) are checked against the scanned tree.
                let exists = |path: &str| self.file(path).is_some();
                Some((
                    file.path.clone(),
                    publiccode::validate_lossy(&text, &exists),
                ))
            })
            .as_ref()
    }

    /// Evidence pointing at a key of publiccode.yml (its line, or the file).
    pub fn publiccode_location(&self, key: &str) -> Option<crate::finding::Evidence> {
        let (path, v) = self.publiccode()?;
        let line = v.data.as_ref().and_then(|d| d.lines.get(key).copied());
        Some(match line {
            Some(l) => crate::finding::Evidence::line(path.clone(), l),
            None => crate::finding::Evidence::file(path.clone()),
        })
    }

    /// Days between `time` and now, for what a finding shows ("last commit 12 days
    /// ago"): such numbers are read as of the scan's time (`stats.scanned_at`). A
    /// decision that depends on the clock uses [`Context::older_than`] or
    /// [`Context::within`] instead.
    pub fn days_ago(&self, time: i64) -> i64 {
        (self.now - time) / DAY
    }

    /// Whether `time` lies more than `days` whole days before now (`days_ago(time) >
    /// days`). While it does not, the answer changes at `time + (days + 1)` days, which
    /// bounds how long the result holds; once it does, it stays so.
    pub fn older_than(&self, time: i64, days: i64) -> bool {
        let flip = time.saturating_add(days.saturating_add(1).saturating_mul(DAY));
        if self.now >= flip {
            true
        } else {
            self.holds_until(flip);
            false
        }
    }

    /// Whether `time` lies within the last `days` days (`time >= now - days`). A time
    /// inside the window leaves it `days` days after `time`, which bounds how long the
    /// result holds; a time before the window stays before it.
    pub fn within(&self, time: i64, days: i64) -> bool {
        let span = days.saturating_mul(DAY);
        let inside = time >= self.now.saturating_sub(span);
        if inside {
            self.holds_until(time.saturating_add(span).saturating_add(1));
        }
        inside
    }

    /// "Now" itself, for a decision that cannot say when it changes: the result is then
    /// taken to hold for one day only.
    pub fn now(&self) -> i64 {
        self.holds_until(self.now.saturating_add(DAY));
        self.now
    }

    fn holds_until(&self, time: i64) {
        if time > self.now && time < self.valid_until.get() {
            self.valid_until.set(time);
        }
    }

    /// Until when (seconds since the Unix epoch) every time-based decision taken through
    /// this context stays the same, when the repository does not change; `None` when no
    /// decision depended on the time. A stored result is reused only before this moment.
    pub fn valid_until(&self) -> Option<i64> {
        let v = self.valid_until.get();
        (v != i64::MAX).then_some(v)
    }
}

/// A Markdown heading: 1-based line, level and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1-based line.
    pub line: usize,
    /// Number of `#`.
    pub level: usize,
    /// The text, lower-case.
    pub text: String,
}

/// The ATX headings (`# …`) of a Markdown text, outside code fences; also reStructuredText
/// and AsciiDoc headings are not recognised (README.md is OS2's format).
pub fn headings(text: &str) -> Vec<Heading> {
    let mut out = Vec::new();
    let mut fence = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence {
            continue;
        }
        let level = t.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&level) {
            let rest = t[level..].trim().trim_end_matches('#').trim();
            if !rest.is_empty() {
                out.push(Heading {
                    line: i + 1,
                    level,
                    text: rest.to_lowercase(),
                });
            }
        }
    }
    out
}

/// The first heading whose text contains one of `words`.
pub fn heading_with<'h>(headings: &'h [Heading], words: &[&str]) -> Option<&'h Heading> {
    headings
        .iter()
        .find(|h| words.iter().any(|w| h.text.contains(w)))
}

/// The number of words of prose: outside code fences, tables, HTML tags and link
/// targets.
pub fn prose_words(text: &str) -> usize {
    let mut fence = false;
    let mut words = 0;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = !fence;
            continue;
        }
        if fence || t.starts_with('|') || t.starts_with('<') || t.starts_with("[![") {
            continue;
        }
        words += t
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic) && !w.contains("://"))
            .count();
    }
    words
}

/// Template placeholders left in a text: `[Produktnavn]`, `[Indsæt …]`, `TODO`,
/// `Lorem ipsum`, `<insert …>`, `{{ … }}`. Returns (line, snippet).
pub fn placeholders(text: &str) -> Vec<(usize, String)> {
    const MARKERS: &[&str] = &[
        "[produktnavn]",
        "[produkt navn]",
        "[product name]",
        "[indsæt",
        "[insert",
        "<insert",
        "<indsæt",
        "lorem ipsum",
        "{{",
        "todo:",
        "tbd",
        "[beskriv",
        "beskriv her",
        "[describe",
    ];
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lower = line.to_lowercase();
        if let Some(m) = MARKERS.iter().find(|m| {
            lower.contains(*m) && (**m != "tbd" || lower.split_whitespace().any(|w| w == "tbd"))
        }) {
            let snippet: String = line.trim().chars().take(80).collect();
            out.push((i + 1, format!("{snippet} ({m})")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_outside_code() {
        let h = headings("# Titel\ntekst\n```\n# ikke\n```\n## Installation ##\n");
        assert_eq!(h.len(), 2);
        assert_eq!(h[1].text, "installation");
        assert_eq!(h[1].line, 6);
    }

    #[test]
    fn counts_prose_and_finds_placeholders() {
        assert_eq!(
            prose_words("Et godt produkt til kommuner.\n| a | b |\n```\nkode her\n```"),
            5
        );
        let p = placeholders("# [Produktnavn]\nOK\nTODO: skriv mere");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].0, 1);
        assert!(placeholders("Standard text with tbdx and no markers.").is_empty());
    }
}
