//! The TOML model format (documented in docs/models.md): parsing and validation.
//!
//! The file is parsed with the `toml` crate's recoverable parser, then each section and
//! each `[[requirement]]` (etc.) is deserialised on its own, so one bad entry gives one
//! problem and does not hide problems in the others. Semantic rules (duplicate ids,
//! unknown levels and themes, empty texts, alias collisions, level order) are checked
//! afterwards, each problem with its own line and column.

use std::collections::HashMap;
use std::ops::Range;

use serde::Deserialize;
use serde::de::IntoDeserializer;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{LineIndex, Location, Problem, Problems, Rule};
use crate::ids::{LevelId, ModelId, RequirementId, ThemeId, normalise_requirement_id};
use crate::mapping::{Mapping, MappingEntry};
use crate::model::{
    Edition, Level, Model, ModelIndex, Obligation, Requirement, Retired, Source, Theme,
};

/// The sections a model file may have.
const SECTIONS: &[&str] = &[
    "model",
    "level",
    "theme",
    "requirement",
    "retired",
    "edition",
    "mapping",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    id: Spanned<String>,
    version: Spanned<String>,
    name: Spanned<String>,
    description: Option<String>,
    language: Option<String>,
    source: RawSource,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: Spanned<String>,
    url: Option<String>,
    license: Option<String>,
    attribution: Option<String>,
    notes: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    id: Spanned<String>,
    name: Spanned<String>,
    rank: Spanned<i64>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: Spanned<String>,
    name: Spanned<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequirement {
    id: Spanned<String>,
    theme: Spanned<String>,
    level: Spanned<String>,
    text: Spanned<String>,
    short_text: Option<Spanned<String>>,
    guideline: Option<String>,
    criterion: Option<String>,
    obligation: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRetired {
    id: Spanned<String>,
    merged_into: Option<Spanned<String>>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPair {
    from: Spanned<String>,
    to: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    id: Spanned<String>,
    title: Spanned<String>,
    note: Option<String>,
    #[serde(default)]
    renumber: Vec<RawPair>,
    #[serde(default)]
    absent: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    target: Spanned<String>,
    description: Option<String>,
    #[serde(default)]
    levels: Vec<RawPair>,
    #[serde(default)]
    entry: Vec<RawMappingEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMappingEntry {
    from: Spanned<String>,
    to: Vec<Spanned<String>>,
    note: Option<String>,
}

/// Collects problems with locations for one file.
pub(crate) struct Reporter<'a> {
    file: String,
    index: LineIndex<'a>,
    problems: Vec<Problem>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(file: &str, text: &'a str) -> Self {
        Reporter {
            file: file.to_owned(),
            index: LineIndex::new(text),
            problems: Vec::new(),
        }
    }

    pub(crate) fn location(&self, span: &Range<usize>) -> Location {
        self.index.location(&self.file, span.start)
    }

    pub(crate) fn report(&mut self, span: &Range<usize>, rule: Rule, message: impl Into<String>) {
        let location = self.location(span);
        self.problems.push(Problem {
            location,
            rule,
            message: message.into(),
        });
    }

    pub(crate) fn toml_error(
        &mut self,
        error: &toml::de::Error,
        fallback: &Range<usize>,
        rule: Rule,
    ) {
        let span = error.span().unwrap_or_else(|| fallback.clone());
        let message = error.message().trim().to_owned();
        self.report(&span, rule, message);
    }

    pub(crate) fn finish<T>(self, value: T) -> Result<T, Problems> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(self.into_problems())
        }
    }

    pub(crate) fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    pub(crate) fn into_problems(mut self) -> Problems {
        self.problems.sort_by(|a, b| {
            (a.location.line, a.location.column).cmp(&(b.location.line, b.location.column))
        });
        Problems {
            problems: self.problems,
        }
    }
}

/// Parses a TOML document, reporting every syntax error. `None` if there were any.
pub(crate) fn parse_document<'i>(
    text: &'i str,
    reporter: &mut Reporter<'_>,
) -> Option<Spanned<DeTable<'i>>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if errors.is_empty() {
        return Some(doc);
    }
    for e in &errors {
        reporter.toml_error(e, &(0..0), Rule::Syntax);
    }
    None
}

/// The keys a table may have, and the shapes of its nested tables. Unknown keys are
/// reported one by one at their own position (serde would report only the first, at the
/// table), with a suggestion when a known key is close.
pub(crate) struct Shape {
    pub(crate) fields: &'static [&'static str],
    pub(crate) nested: &'static [(&'static str, &'static Shape)],
}

fn strip_unknown_keys(value: &mut Spanned<DeValue<'_>>, shape: &Shape, rep: &mut Reporter<'_>) {
    let DeValue::Table(table) = value.get_mut() else {
        return;
    };
    let unknown: Vec<(String, Range<usize>)> = table
        .iter()
        .filter(|(k, _)| !shape.fields.contains(&k.get_ref().as_ref()))
        .map(|(k, _)| (k.get_ref().to_string(), k.span()))
        .collect();
    for (key, span) in &unknown {
        let suggestion = suggest(key, shape.fields);
        rep.report(
            span,
            Rule::Structure,
            format!(
                "unknown key `{key}`{suggestion} (allowed here: {})",
                shape.fields.join(", ")
            ),
        );
    }
    if !unknown.is_empty() {
        let kept: DeTable<'_> = std::mem::take(table)
            .into_iter()
            .filter(|(k, _)| shape.fields.contains(&k.get_ref().as_ref()))
            .collect();
        *table = kept;
    }
    for (name, sub) in shape.nested {
        for (k, v) in table.iter_mut() {
            if k.get_ref().as_ref() == *name {
                strip_unknown_keys(v, sub, rep);
            }
        }
    }
}

/// "; did you mean `x`?" when a candidate is within two edits of `key`.
pub(crate) fn suggest(key: &str, candidates: &[&str]) -> String {
    candidates
        .iter()
        .map(|f| (strsim::damerau_levenshtein(key, f), *f))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, f)| format!("; did you mean `{f}`?"))
        .unwrap_or_default()
}

/// Deserialises one value, reporting each unknown key, and a structure problem if it has
/// the wrong shape otherwise (missing key, wrong type).
pub(crate) fn deserialize_value<'de, T: Deserialize<'de>>(
    value: &Spanned<DeValue<'de>>,
    shape: &Shape,
    reporter: &mut Reporter<'_>,
) -> Option<T> {
    let span = value.span();
    let mut value = value.clone();
    strip_unknown_keys(&mut value, shape, reporter);
    match T::deserialize(value.into_deserializer()) {
        Ok(v) => Some(v),
        Err(e) => {
            reporter.toml_error(&e, &span, Rule::Structure);
            None
        }
    }
}

/// Deserialises every table of an array of tables (`[[requirement]]`), one problem per
/// bad entry.
pub(crate) fn deserialize_array<'de, T: Deserialize<'de>>(
    name: &str,
    value: &Spanned<DeValue<'de>>,
    shape: &Shape,
    reporter: &mut Reporter<'_>,
) -> Vec<(T, Range<usize>)> {
    let Some(items) = value.get_ref().as_array() else {
        reporter.report(
            &value.span(),
            Rule::Structure,
            format!("`{name}` must be an array of tables, written [[{name}]]"),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| deserialize_value::<T>(item, shape, reporter).map(|v| (v, item.span())))
        .collect()
}

const SOURCE_SHAPE: Shape = Shape {
    fields: &["title", "url", "license", "attribution", "notes"],
    nested: &[],
};
const HEADER_SHAPE: Shape = Shape {
    fields: &["id", "version", "name", "description", "language", "source"],
    nested: &[("source", &SOURCE_SHAPE)],
};
const LEVEL_SHAPE: Shape = Shape {
    fields: &["id", "name", "rank", "aliases", "description"],
    nested: &[],
};
const THEME_SHAPE: Shape = Shape {
    fields: &["id", "name", "description"],
    nested: &[],
};
const REQUIREMENT_SHAPE: Shape = Shape {
    fields: &[
        "id",
        "theme",
        "level",
        "text",
        "short_text",
        "guideline",
        "criterion",
        "obligation",
        "aliases",
    ],
    nested: &[],
};
const RETIRED_SHAPE: Shape = Shape {
    fields: &["id", "merged_into", "note"],
    nested: &[],
};
const EDITION_SHAPE: Shape = Shape {
    fields: &["id", "title", "note", "renumber", "absent"],
    nested: &[],
};
const MAPPING_SHAPE: Shape = Shape {
    fields: &["target", "description", "levels", "entry"],
    nested: &[],
};

fn non_empty(value: &Spanned<String>, what: &str, reporter: &mut Reporter<'_>) -> Option<String> {
    let text = value.get_ref().trim();
    if text.is_empty() {
        reporter.report(&value.span(), Rule::EmptyText, format!("{what} is empty"));
        None
    } else {
        Some(text.to_owned())
    }
}

fn valid_id(value: &Spanned<String>, what: &str, reporter: &mut Reporter<'_>) -> Option<String> {
    let text = non_empty(value, what, reporter)?;
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        reporter.report(
            &value.span(),
            Rule::InvalidValue,
            format!("{what} `{text}` must not contain whitespace"),
        );
        return None;
    }
    Some(text)
}

/// Loads and validates a model from TOML text. `file` names the origin in messages.
pub fn load_model(text: &str, file: &str) -> Result<Model, Problems> {
    let mut rep = Reporter::new(file, text);
    let Some(doc) = parse_document(text, &mut rep) else {
        return Err(rep.into_problems());
    };
    let table = doc.get_ref();

    for (key, _) in table.iter() {
        if !SECTIONS.contains(&key.get_ref().as_ref()) {
            rep.report(
                &key.span(),
                Rule::Structure,
                format!(
                    "unknown section `{}`{} (a model file has: {})",
                    key.get_ref(),
                    suggest(key.get_ref(), SECTIONS),
                    SECTIONS.join(", ")
                ),
            );
        }
    }
    let section = |name: &str| {
        table
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == name)
            .map(|(_, v)| v)
    };

    let header = match section("model") {
        Some(v) => deserialize_value::<RawHeader>(v, &HEADER_SHAPE, &mut rep),
        None => {
            rep.report(
                &(0..0),
                Rule::Structure,
                "missing [model] section with id, version, name and [model.source]",
            );
            None
        }
    };
    let raw_levels: Vec<(RawLevel, _)> = section("level")
        .map(|v| deserialize_array("level", v, &LEVEL_SHAPE, &mut rep))
        .unwrap_or_default();
    let raw_themes: Vec<(RawTheme, _)> = section("theme")
        .map(|v| deserialize_array("theme", v, &THEME_SHAPE, &mut rep))
        .unwrap_or_default();
    let raw_reqs: Vec<(RawRequirement, _)> = section("requirement")
        .map(|v| deserialize_array("requirement", v, &REQUIREMENT_SHAPE, &mut rep))
        .unwrap_or_default();
    let raw_retired: Vec<(RawRetired, _)> = section("retired")
        .map(|v| deserialize_array("retired", v, &RETIRED_SHAPE, &mut rep))
        .unwrap_or_default();
    let raw_editions: Vec<(RawEdition, _)> = section("edition")
        .map(|v| deserialize_array("edition", v, &EDITION_SHAPE, &mut rep))
        .unwrap_or_default();
    let raw_mappings: Vec<(RawMapping, _)> = section("mapping")
        .map(|v| deserialize_array("mapping", v, &MAPPING_SHAPE, &mut rep))
        .unwrap_or_default();

    for (name, empty) in [
        ("level", section("level").is_none()),
        ("theme", section("theme").is_none()),
        ("requirement", section("requirement").is_none()),
    ] {
        if empty {
            rep.report(
                &(0..0),
                Rule::Structure,
                format!("the model has no [[{name}]] entries"),
            );
        }
    }

    let levels = check_levels(&raw_levels, &mut rep);
    let themes = check_themes(&raw_themes, &mut rep);
    let requirements = check_requirements(&raw_reqs, &levels, &themes, &mut rep);
    let retired = check_retired(&raw_retired, &requirements, &mut rep);
    let editions = check_editions(&raw_editions, &requirements, &mut rep);
    let mappings = check_mappings(&raw_mappings, &requirements, &levels, &mut rep);

    let header = header.and_then(|h| {
        let id = valid_id(&h.id, "model id", &mut rep)?;
        let version = non_empty(&h.version, "model version", &mut rep)?;
        let name = non_empty(&h.name, "model name", &mut rep)?;
        let title = non_empty(&h.source.title, "source title", &mut rep)?;
        Some((h, id, version, name, title))
    });

    if rep.has_problems() {
        return Err(rep.into_problems());
    }
    let Some((h, id, version, name, title)) = header else {
        return Err(rep.into_problems());
    };
    let index = ModelIndex::build(&levels, &themes, &requirements, &retired);
    let model = Model {
        id: ModelId::new(id),
        version,
        name,
        description: h.description,
        language: h.language.unwrap_or_else(|| "da".to_owned()),
        source: Source {
            title,
            url: h.source.url,
            license: h.source.license,
            attribution: h.source.attribution,
            notes: h.source.notes,
        },
        levels,
        themes,
        requirements,
        retired,
        editions,
        mappings,
        index,
    };
    rep.finish(model)
}

fn check_levels(raw: &[(RawLevel, Range<usize>)], rep: &mut Reporter<'_>) -> Vec<Level> {
    let mut levels = Vec::new();
    let mut seen: HashMap<String, (Location, &str)> = HashMap::new();
    let mut last_rank: Option<(i64, String)> = None;
    for (l, _) in raw {
        let id = valid_id(&l.id, "level id", rep);
        let name = non_empty(&l.name, "level name", rep);
        let rank = *l.rank.get_ref();
        if rank < 0 {
            rep.report(
                &l.rank.span(),
                Rule::InvalidValue,
                format!("level rank {rank} must be 0 or more"),
            );
        }
        if let Some((prev, prev_id)) = &last_rank
            && rank <= *prev
        {
            rep.report(
                &l.rank.span(),
                Rule::LevelsOutOfOrder,
                format!(
                    "level `{}` has rank {rank}, but the level before it (`{prev_id}`) has rank {prev}; \
                     list levels from lowest to highest with strictly increasing ranks",
                    l.id.get_ref()
                ),
            );
        }
        last_rank = Some((rank, l.id.get_ref().clone()));
        let mut names = vec![(l.id.clone(), "level id")];
        names.extend(l.aliases.iter().map(|a| (a.clone(), "level alias")));
        for (n, what) in &names {
            let key = n.get_ref().trim().to_lowercase();
            if key.is_empty() {
                rep.report(&n.span(), Rule::EmptyText, format!("{what} is empty"));
                continue;
            }
            if let Some((first, first_what)) = seen.get(&key) {
                // Two ids clash: a duplicate. An alias on either side: a collision.
                let rule = if *what == "level id" && *first_what == "level id" {
                    Rule::DuplicateId
                } else {
                    Rule::AliasCollision
                };
                rep.report(
                    &n.span(),
                    rule,
                    format!(
                        "{what} `{}` is already used as a {first_what} at line {}",
                        n.get_ref(),
                        first.line
                    ),
                );
            } else {
                seen.insert(key, (rep.location(&n.span()), *what));
            }
        }
        if let (Some(id), Some(name)) = (id, name)
            && rank >= 0
        {
            levels.push(Level {
                id: LevelId::new(id),
                name,
                rank: u32::try_from(rank).unwrap_or(u32::MAX),
                aliases: l
                    .aliases
                    .iter()
                    .map(|a| a.get_ref().trim().to_owned())
                    .collect(),
                description: l.description.clone(),
            });
        }
    }
    levels
}

fn check_themes(raw: &[(RawTheme, Range<usize>)], rep: &mut Reporter<'_>) -> Vec<Theme> {
    let mut themes = Vec::new();
    let mut seen: HashMap<String, Location> = HashMap::new();
    for (t, _) in raw {
        let id = valid_id(&t.id, "theme id", rep);
        let name = non_empty(&t.name, "theme name", rep);
        if let Some(id) = &id {
            let key = id.to_lowercase();
            if let Some(first) = seen.get(&key) {
                rep.report(
                    &t.id.span(),
                    Rule::DuplicateId,
                    format!("theme id `{id}` is already used at line {}", first.line),
                );
                continue;
            }
            seen.insert(key, rep.location(&t.id.span()));
        }
        if let (Some(id), Some(name)) = (id, name) {
            themes.push(Theme {
                id: ThemeId::new(id),
                name,
                description: t.description.clone(),
            });
        }
    }
    themes
}

fn find_level<'a>(levels: &'a [Level], text: &str) -> Option<&'a Level> {
    let key = text.trim().to_lowercase();
    levels.iter().find(|l| {
        l.id.as_str().to_lowercase() == key || l.aliases.iter().any(|a| a.to_lowercase() == key)
    })
}

fn check_requirements(
    raw: &[(RawRequirement, Range<usize>)],
    levels: &[Level],
    themes: &[Theme],
    rep: &mut Reporter<'_>,
) -> Vec<Requirement> {
    let level_list = levels
        .iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let theme_list = themes
        .iter()
        .map(|t| t.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    // First pass: ids, so that aliases can be checked against every id wherever it is.
    let mut ids: HashMap<String, Location> = HashMap::new();
    let mut duplicate = vec![false; raw.len()];
    for (i, (r, _)) in raw.iter().enumerate() {
        let key = normalise_requirement_id(r.id.get_ref());
        if key.is_empty() {
            continue;
        }
        if let Some(first) = ids.get(&key) {
            rep.report(
                &r.id.span(),
                Rule::DuplicateId,
                format!(
                    "requirement id `{}` is already used at line {}",
                    r.id.get_ref().trim(),
                    first.line
                ),
            );
            duplicate[i] = true;
        } else {
            ids.insert(key, rep.location(&r.id.span()));
        }
    }
    let mut aliases: HashMap<String, Location> = HashMap::new();
    let mut out = Vec::new();
    for (i, (r, _)) in raw.iter().enumerate() {
        let id = valid_id(&r.id, "requirement id", rep);
        let text = non_empty(
            &r.text,
            &format!("text of requirement {}", r.id.get_ref()),
            rep,
        );
        let short_text = r.short_text.as_ref().and_then(|s| {
            non_empty(
                s,
                &format!("short_text of requirement {}", r.id.get_ref()),
                rep,
            )
        });
        let level = find_level(levels, r.level.get_ref());
        if level.is_none() && !levels.is_empty() {
            rep.report(
                &r.level.span(),
                Rule::UnknownLevel,
                format!(
                    "requirement {} refers to level `{}`, which this model does not define (levels: {level_list})",
                    r.id.get_ref(),
                    r.level.get_ref()
                ),
            );
        }
        let theme_key = r.theme.get_ref().trim().to_lowercase();
        let theme = themes
            .iter()
            .find(|t| t.id.as_str().to_lowercase() == theme_key);
        if theme.is_none() && !themes.is_empty() {
            rep.report(
                &r.theme.span(),
                Rule::UnknownTheme,
                format!(
                    "requirement {} refers to theme `{}`, which this model does not define (themes: {theme_list})",
                    r.id.get_ref(),
                    r.theme.get_ref()
                ),
            );
        }
        let obligation = match r.obligation.as_ref() {
            None => Some(Obligation::Must),
            Some(o) => match o.get_ref().trim().to_lowercase().as_str() {
                "must" | "skal" => Some(Obligation::Must),
                "should" | "bør" | "anbefaling" => Some(Obligation::Should),
                other => {
                    rep.report(
                        &o.span(),
                        Rule::InvalidValue,
                        format!(
                            "obligation `{other}` of requirement {} must be `must` or `should`",
                            r.id.get_ref()
                        ),
                    );
                    None
                }
            },
        };
        let mut req_aliases = Vec::new();
        for a in &r.aliases {
            let key = normalise_requirement_id(a.get_ref());
            if key.is_empty() {
                rep.report(&a.span(), Rule::EmptyText, "requirement alias is empty");
                continue;
            }
            if let Some(at) = ids.get(&key) {
                rep.report(
                    &a.span(),
                    Rule::AliasCollision,
                    format!(
                        "alias `{}` of requirement {} is the id of the requirement at line {}",
                        a.get_ref(),
                        r.id.get_ref(),
                        at.line
                    ),
                );
                continue;
            }
            if let Some(at) = aliases.get(&key) {
                rep.report(
                    &a.span(),
                    Rule::AliasCollision,
                    format!(
                        "alias `{}` of requirement {} is already an alias at line {}",
                        a.get_ref(),
                        r.id.get_ref(),
                        at.line
                    ),
                );
                continue;
            }
            aliases.insert(key.clone(), rep.location(&a.span()));
            req_aliases.push(RequirementId::new(key));
        }
        if duplicate[i] {
            continue;
        }
        if let (Some(id), Some(text), Some(level), Some(theme), Some(obligation)) =
            (id, text, level, theme, obligation)
        {
            out.push(Requirement {
                id: RequirementId::new(normalise_requirement_id(&id)),
                theme: theme.id.clone(),
                level: level.id.clone(),
                text,
                short_text,
                guideline: r.guideline.clone().filter(|g| !g.trim().is_empty()),
                criterion: r.criterion.clone().filter(|c| !c.trim().is_empty()),
                obligation,
                aliases: req_aliases,
            });
        }
    }
    out
}

fn known_requirement(requirements: &[Requirement], id: &str) -> Option<RequirementId> {
    let key = normalise_requirement_id(id);
    requirements
        .iter()
        .find(|r| r.id.as_str() == key || r.aliases.iter().any(|a| a.as_str() == key))
        .map(|r| r.id.clone())
}

fn check_retired(
    raw: &[(RawRetired, Range<usize>)],
    requirements: &[Requirement],
    rep: &mut Reporter<'_>,
) -> Vec<Retired> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (r, _) in raw {
        let Some(id) = valid_id(&r.id, "retired id", rep) else {
            continue;
        };
        let key = normalise_requirement_id(&id);
        if known_requirement(requirements, &key).is_some() {
            rep.report(
                &r.id.span(),
                Rule::DuplicateId,
                format!("retired id `{id}` is still the id or alias of a requirement"),
            );
            continue;
        }
        if let Some(line) = seen.get(&key) {
            rep.report(
                &r.id.span(),
                Rule::DuplicateId,
                format!("retired id `{id}` is already listed at line {line}"),
            );
            continue;
        }
        seen.insert(key.clone(), rep.location(&r.id.span()).line);
        let merged_into = match &r.merged_into {
            None => None,
            Some(m) => match known_requirement(requirements, m.get_ref()) {
                Some(target) => Some(target),
                None => {
                    rep.report(
                        &m.span(),
                        Rule::UnknownRequirement,
                        format!(
                            "`{id}` is merged into `{}`, which is not a requirement of this model",
                            m.get_ref()
                        ),
                    );
                    continue;
                }
            },
        };
        out.push(Retired {
            id: RequirementId::new(key),
            merged_into,
            note: r.note.clone(),
        });
    }
    out
}

fn check_editions(
    raw: &[(RawEdition, Range<usize>)],
    requirements: &[Requirement],
    rep: &mut Reporter<'_>,
) -> Vec<Edition> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (e, _) in raw {
        let Some(id) = valid_id(&e.id, "edition id", rep) else {
            continue;
        };
        if let Some(line) = seen.get(&id) {
            rep.report(
                &e.id.span(),
                Rule::DuplicateId,
                format!("edition `{id}` is already defined at line {line}"),
            );
            continue;
        }
        seen.insert(id.clone(), rep.location(&e.id.span()).line);
        let title = non_empty(&e.title, "edition title", rep).unwrap_or_default();
        let mut renumber = Vec::new();
        let mut from_seen: HashMap<String, usize> = HashMap::new();
        for pair in &e.renumber {
            let from = normalise_requirement_id(pair.from.get_ref());
            if let Some(line) = from_seen.get(&from) {
                rep.report(
                    &pair.from.span(),
                    Rule::DuplicateId,
                    format!("edition {id} renumbers `{from}` twice (first at line {line})"),
                );
                continue;
            }
            from_seen.insert(from.clone(), rep.location(&pair.from.span()).line);
            match known_requirement(requirements, pair.to.get_ref()) {
                Some(to) => renumber.push((RequirementId::new(from), to)),
                None => rep.report(
                    &pair.to.span(),
                    Rule::UnknownRequirement,
                    format!(
                        "edition {id} renumbers `{from}` to `{}`, which is not a requirement of this model",
                        pair.to.get_ref()
                    ),
                ),
            }
        }
        let mut absent = Vec::new();
        for a in &e.absent {
            match known_requirement(requirements, a.get_ref()) {
                Some(r) => absent.push(r),
                None => rep.report(
                    &a.span(),
                    Rule::UnknownRequirement,
                    format!(
                        "edition {id} lists `{}` as absent, but it is not a requirement of this model",
                        a.get_ref()
                    ),
                ),
            }
        }
        out.push(Edition {
            id,
            title,
            note: e.note.clone(),
            renumber,
            absent,
        });
    }
    out
}

fn check_mappings(
    raw: &[(RawMapping, Range<usize>)],
    requirements: &[Requirement],
    levels: &[Level],
    rep: &mut Reporter<'_>,
) -> Vec<Mapping> {
    let mut out = Vec::new();
    let mut targets: HashMap<String, usize> = HashMap::new();
    for (m, span) in raw {
        let Some(target) = valid_id(&m.target, "mapping target", rep) else {
            continue;
        };
        if let Some(line) = targets.get(&target) {
            rep.report(
                &m.target.span(),
                Rule::DuplicateId,
                format!("a mapping onto `{target}` is already declared at line {line}"),
            );
            continue;
        }
        targets.insert(target.clone(), rep.location(&m.target.span()).line);
        let mut pairs = Vec::new();
        for pair in &m.levels {
            match find_level(levels, pair.from.get_ref()) {
                Some(l) => pairs.push((l.id.clone(), LevelId::new(pair.to.get_ref().trim()))),
                None => rep.report(
                    &pair.from.span(),
                    Rule::UnknownLevel,
                    format!(
                        "mapping onto {target} maps level `{}`, which this model does not define",
                        pair.from.get_ref()
                    ),
                ),
            }
        }
        let mut entries = Vec::new();
        let mut from_seen: HashMap<String, usize> = HashMap::new();
        for e in &m.entry {
            let Some(from) = known_requirement(requirements, e.from.get_ref()) else {
                rep.report(
                    &e.from.span(),
                    Rule::UnknownRequirement,
                    format!(
                        "mapping onto {target} has an entry for `{}`, which is not a requirement of this model",
                        e.from.get_ref()
                    ),
                );
                continue;
            };
            if let Some(line) = from_seen.get(from.as_str()) {
                rep.report(
                    &e.from.span(),
                    Rule::DuplicateId,
                    format!("mapping onto {target} maps {from} twice (first at line {line})"),
                );
                continue;
            }
            from_seen.insert(from.as_str().to_owned(), rep.location(&e.from.span()).line);
            entries.push(MappingEntry {
                from,
                to: e
                    .to
                    .iter()
                    .map(|t| RequirementId::new(normalise_requirement_id(t.get_ref())))
                    .collect(),
                note: e.note.clone(),
                at: Some(rep.location(&e.from.span())),
            });
        }
        out.push(Mapping {
            target: ModelId::new(target),
            description: m.description.clone(),
            levels: pairs,
            entries,
            at: Some(rep.location(span)),
        });
    }
    out
}
