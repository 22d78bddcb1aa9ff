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

use crate::Msg;
use crate::error::{LineIndex, Location, Problem, Problems, Rule};
use crate::ids::{LevelId, ModelId, RequirementId, ThemeId, normalise_requirement_id};
use crate::mapping::{Mapping, MappingEntry};
use crate::model::{
    Edition, Level, Model, ModelIndex, Obligation, Requirement, Retired, Source, Theme,
};

/// The level id and a level alias, as [`What`]s.
const LEVEL_ID: What<'static> = ("niveau-id", "level id");
const LEVEL_ALIAS: What<'static> = ("niveau-alias", "level alias");

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

    pub(crate) fn report(&mut self, span: &Range<usize>, rule: Rule, message: Msg) {
        let location = self.location(span);
        self.problems.push(Problem {
            location,
            rule,
            message: message.en,
            message_da: message.da,
        });
    }

    pub(crate) fn toml_error(
        &mut self,
        error: &toml::de::Error,
        fallback: &Range<usize>,
        rule: Rule,
    ) {
        let span = error.span().unwrap_or_else(|| fallback.clone());
        let message = toml_message(error.message(), rule);
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

/// The `toml` crate's (English) message in both languages. Serde's sentences are
/// translated (see [`Msg::serde`]); for a syntax error the Danish text names the tokens
/// the parser expected (`expected `.`, `=`` → "forventede `.`, `=`").
fn toml_message(message: &str, rule: Rule) -> Msg {
    let message = message.trim();
    if rule != Rule::Syntax {
        return Msg::serde(message, "forkert opbygning");
    }
    let expected: Vec<&str> = message
        .find("expected")
        .map(|at| {
            message[at..]
                .split('`')
                .skip(1)
                .step_by(2)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let da = if expected.is_empty() {
        "ugyldig TOML".to_owned()
    } else {
        let tokens: Vec<String> = expected.iter().map(|t| format!("`{t}`")).collect();
        format!("ugyldig TOML; forventede {}", tokens.join(", "))
    };
    Msg::new(da, message)
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
        let allowed = shape.fields.join(", ");
        rep.report(
            span,
            Rule::Structure,
            Msg::new(
                format!(
                    "ukendt nøgle `{key}`{} (tilladt her: {allowed})",
                    suggestion.da
                ),
                format!(
                    "unknown key `{key}`{} (allowed here: {allowed})",
                    suggestion.en
                ),
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

/// "; did you mean `x`?" when a candidate is within two edits of `key`, in both
/// languages; empty texts otherwise.
pub(crate) fn suggest(key: &str, candidates: &[&str]) -> Msg {
    candidates
        .iter()
        .map(|f| (strsim::damerau_levenshtein(key, f), *f))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, f)| {
            Msg::new(
                format!("; mente du `{f}`?"),
                format!("; did you mean `{f}`?"),
            )
        })
        .unwrap_or_else(|| Msg::new("", ""))
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
            Msg::new(
                format!("`{name}` skal være en liste af tabeller, skrevet [[{name}]]"),
                format!("`{name}` must be an array of tables, written [[{name}]]"),
            ),
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

/// What a text is, in Danish and English ("model-id", "model id").
type What<'a> = (&'a str, &'a str);

fn non_empty(
    value: &Spanned<String>,
    what: What<'_>,
    reporter: &mut Reporter<'_>,
) -> Option<String> {
    let text = value.get_ref().trim();
    if text.is_empty() {
        reporter.report(&value.span(), Rule::EmptyText, empty(what));
        None
    } else {
        Some(text.to_owned())
    }
}

/// "… is empty" in both languages.
fn empty((da, en): What<'_>) -> Msg {
    Msg::new(format!("{da} er ikke udfyldt"), format!("{en} is empty"))
}

fn valid_id(
    value: &Spanned<String>,
    what: What<'_>,
    reporter: &mut Reporter<'_>,
) -> Option<String> {
    let text = non_empty(value, what, reporter)?;
    if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
        reporter.report(
            &value.span(),
            Rule::InvalidValue,
            Msg::new(
                format!("{} `{text}` må ikke indeholde mellemrum", what.0),
                format!("{} `{text}` must not contain whitespace", what.1),
            ),
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
            let suggestion = suggest(key.get_ref(), SECTIONS);
            let sections = SECTIONS.join(", ");
            rep.report(
                &key.span(),
                Rule::Structure,
                Msg::new(
                    format!(
                        "ukendt afsnit `{}`{} (en modelfil har: {sections})",
                        key.get_ref(),
                        suggestion.da
                    ),
                    format!(
                        "unknown section `{}`{} (a model file has: {sections})",
                        key.get_ref(),
                        suggestion.en
                    ),
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
                Msg::new(
                    "afsnittet [model] med id, version, name og [model.source] mangler",
                    "missing [model] section with id, version, name and [model.source]",
                ),
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
                Msg::new(
                    format!("modellen har ingen [[{name}]]-poster"),
                    format!("the model has no [[{name}]] entries"),
                ),
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
        let id = valid_id(&h.id, ("model-id", "model id"), &mut rep)?;
        let version = non_empty(&h.version, ("modelversion", "model version"), &mut rep)?;
        let name = non_empty(&h.name, ("modelnavn", "model name"), &mut rep)?;
        let title = non_empty(&h.source.title, ("kildens titel", "source title"), &mut rep)?;
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
    let mut seen: HashMap<String, (Location, What<'static>)> = HashMap::new();
    let mut last_rank: Option<(i64, String)> = None;
    for (l, _) in raw {
        let id = valid_id(&l.id, LEVEL_ID, rep);
        let name = non_empty(&l.name, ("niveaunavn", "level name"), rep);
        let rank = *l.rank.get_ref();
        if rank < 0 {
            rep.report(
                &l.rank.span(),
                Rule::InvalidValue,
                Msg::new(
                    format!("niveauets rang {rank} skal være 0 eller mere"),
                    format!("level rank {rank} must be 0 or more"),
                ),
            );
        }
        if let Some((prev, prev_id)) = &last_rank
            && rank <= *prev
        {
            rep.report(
                &l.rank.span(),
                Rule::LevelsOutOfOrder,
                Msg::new(
                    format!(
                        "niveau `{}` har rang {rank}, men niveauet før det (`{prev_id}`) har rang {prev}; \
                         skriv niveauerne fra laveste til højeste med stigende rang",
                        l.id.get_ref()
                    ),
                    format!(
                        "level `{}` has rank {rank}, but the level before it (`{prev_id}`) has rank {prev}; \
                         list levels from lowest to highest with strictly increasing ranks",
                        l.id.get_ref()
                    ),
                ),
            );
        }
        last_rank = Some((rank, l.id.get_ref().clone()));
        let mut names = vec![(l.id.clone(), LEVEL_ID)];
        names.extend(l.aliases.iter().map(|a| (a.clone(), LEVEL_ALIAS)));
        for (n, what) in &names {
            let key = n.get_ref().trim().to_lowercase();
            if key.is_empty() {
                rep.report(&n.span(), Rule::EmptyText, empty(*what));
                continue;
            }
            if let Some((first, first_what)) = seen.get(&key) {
                // Two ids clash: a duplicate. An alias on either side: a collision.
                let rule = if *what == LEVEL_ID && *first_what == LEVEL_ID {
                    Rule::DuplicateId
                } else {
                    Rule::AliasCollision
                };
                rep.report(
                    &n.span(),
                    rule,
                    Msg::new(
                        format!(
                            "{} `{}` bruges allerede som {} i linje {}",
                            what.0,
                            n.get_ref(),
                            first_what.0,
                            first.line
                        ),
                        format!(
                            "{} `{}` is already used as a {} at line {}",
                            what.1,
                            n.get_ref(),
                            first_what.1,
                            first.line
                        ),
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
        let id = valid_id(&t.id, ("tema-id", "theme id"), rep);
        let name = non_empty(&t.name, ("temanavn", "theme name"), rep);
        if let Some(id) = &id {
            let key = id.to_lowercase();
            if let Some(first) = seen.get(&key) {
                rep.report(
                    &t.id.span(),
                    Rule::DuplicateId,
                    Msg::new(
                        format!("tema-id `{id}` bruges allerede i linje {}", first.line),
                        format!("theme id `{id}` is already used at line {}", first.line),
                    ),
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
                Msg::new(
                    format!(
                        "krav-id `{}` bruges allerede i linje {}",
                        r.id.get_ref().trim(),
                        first.line
                    ),
                    format!(
                        "requirement id `{}` is already used at line {}",
                        r.id.get_ref().trim(),
                        first.line
                    ),
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
        let id = valid_id(&r.id, ("krav-id", "requirement id"), rep);
        let rid = r.id.get_ref();
        let text = non_empty(
            &r.text,
            (
                &format!("teksten til krav {rid}"),
                &format!("text of requirement {rid}"),
            ),
            rep,
        );
        let short_text = r.short_text.as_ref().and_then(|s| {
            non_empty(
                s,
                (
                    &format!("short_text til krav {rid}"),
                    &format!("short_text of requirement {rid}"),
                ),
                rep,
            )
        });
        let level = find_level(levels, r.level.get_ref());
        if level.is_none() && !levels.is_empty() {
            rep.report(
                &r.level.span(),
                Rule::UnknownLevel,
                Msg::new(
                    format!(
                        "krav {} henviser til niveau `{}`, som modellen ikke definerer (niveauer: {level_list})",
                        r.id.get_ref(),
                        r.level.get_ref()
                    ),
                    format!(
                        "requirement {} refers to level `{}`, which this model does not define (levels: {level_list})",
                        r.id.get_ref(),
                        r.level.get_ref()
                    ),
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
                Msg::new(
                    format!(
                        "krav {} henviser til tema `{}`, som modellen ikke definerer (temaer: {theme_list})",
                        r.id.get_ref(),
                        r.theme.get_ref()
                    ),
                    format!(
                        "requirement {} refers to theme `{}`, which this model does not define (themes: {theme_list})",
                        r.id.get_ref(),
                        r.theme.get_ref()
                    ),
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
                        Msg::new(
                            format!(
                                "obligation `{other}` for krav {} skal være `must` eller `should`",
                                r.id.get_ref()
                            ),
                            format!(
                                "obligation `{other}` of requirement {} must be `must` or `should`",
                                r.id.get_ref()
                            ),
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
                rep.report(
                    &a.span(),
                    Rule::EmptyText,
                    empty(("kravets alias", "requirement alias")),
                );
                continue;
            }
            if let Some(at) = ids.get(&key) {
                rep.report(
                    &a.span(),
                    Rule::AliasCollision,
                    Msg::new(
                        format!(
                            "alias `{}` for krav {} er id'et for kravet i linje {}",
                            a.get_ref(),
                            r.id.get_ref(),
                            at.line
                        ),
                        format!(
                            "alias `{}` of requirement {} is the id of the requirement at line {}",
                            a.get_ref(),
                            r.id.get_ref(),
                            at.line
                        ),
                    ),
                );
                continue;
            }
            if let Some(at) = aliases.get(&key) {
                rep.report(
                    &a.span(),
                    Rule::AliasCollision,
                    Msg::new(
                        format!(
                            "alias `{}` for krav {} er allerede et alias i linje {}",
                            a.get_ref(),
                            r.id.get_ref(),
                            at.line
                        ),
                        format!(
                            "alias `{}` of requirement {} is already an alias at line {}",
                            a.get_ref(),
                            r.id.get_ref(),
                            at.line
                        ),
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
        let Some(id) = valid_id(&r.id, ("udgået id", "retired id"), rep) else {
            continue;
        };
        let key = normalise_requirement_id(&id);
        if known_requirement(requirements, &key).is_some() {
            rep.report(
                &r.id.span(),
                Rule::DuplicateId,
                Msg::new(
                    format!("udgået id `{id}` er stadig id eller alias for et krav"),
                    format!("retired id `{id}` is still the id or alias of a requirement"),
                ),
            );
            continue;
        }
        if let Some(line) = seen.get(&key) {
            rep.report(
                &r.id.span(),
                Rule::DuplicateId,
                Msg::new(
                    format!("udgået id `{id}` står allerede i linje {line}"),
                    format!("retired id `{id}` is already listed at line {line}"),
                ),
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
                        Msg::new(
                            format!(
                                "`{id}` er lagt sammen med `{}`, som ikke er et krav i modellen",
                                m.get_ref()
                            ),
                            format!(
                                "`{id}` is merged into `{}`, which is not a requirement of this model",
                                m.get_ref()
                            ),
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
        let Some(id) = valid_id(&e.id, ("udgave-id", "edition id"), rep) else {
            continue;
        };
        if let Some(line) = seen.get(&id) {
            rep.report(
                &e.id.span(),
                Rule::DuplicateId,
                Msg::new(
                    format!("udgave `{id}` er allerede defineret i linje {line}"),
                    format!("edition `{id}` is already defined at line {line}"),
                ),
            );
            continue;
        }
        seen.insert(id.clone(), rep.location(&e.id.span()).line);
        let title =
            non_empty(&e.title, ("udgavens titel", "edition title"), rep).unwrap_or_default();
        let mut renumber = Vec::new();
        let mut from_seen: HashMap<String, usize> = HashMap::new();
        for pair in &e.renumber {
            let from = normalise_requirement_id(pair.from.get_ref());
            if let Some(line) = from_seen.get(&from) {
                rep.report(
                    &pair.from.span(),
                    Rule::DuplicateId,
                    Msg::new(
                        format!("udgave {id} omnummererer `{from}` to gange (første gang i linje {line})"),
                        format!("edition {id} renumbers `{from}` twice (first at line {line})"),
                    ),
                );
                continue;
            }
            from_seen.insert(from.clone(), rep.location(&pair.from.span()).line);
            match known_requirement(requirements, pair.to.get_ref()) {
                Some(to) => renumber.push((RequirementId::new(from), to)),
                None => rep.report(
                    &pair.to.span(),
                    Rule::UnknownRequirement,
                    Msg::new(
                        format!(
                            "udgave {id} omnummererer `{from}` til `{}`, som ikke er et krav i modellen",
                            pair.to.get_ref()
                        ),
                        format!(
                            "edition {id} renumbers `{from}` to `{}`, which is not a requirement of this model",
                            pair.to.get_ref()
                        ),
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
                    Msg::new(
                        format!(
                            "udgave {id} angiver `{}` som fraværende, men det er ikke et krav i modellen",
                            a.get_ref()
                        ),
                        format!(
                            "edition {id} lists `{}` as absent, but it is not a requirement of this model",
                            a.get_ref()
                        ),
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
        let Some(target) = valid_id(&m.target, ("mappingens mål", "mapping target"), rep) else {
            continue;
        };
        if let Some(line) = targets.get(&target) {
            rep.report(
                &m.target.span(),
                Rule::DuplicateId,
                Msg::new(
                    format!("en mapping til `{target}` er allerede erklæret i linje {line}"),
                    format!("a mapping onto `{target}` is already declared at line {line}"),
                ),
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
                    Msg::new(
                        format!(
                            "mappingen til {target} mapper niveau `{}`, som modellen ikke definerer",
                            pair.from.get_ref()
                        ),
                        format!(
                            "mapping onto {target} maps level `{}`, which this model does not define",
                            pair.from.get_ref()
                        ),
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
                    Msg::new(
                        format!(
                            "mappingen til {target} har en post for `{}`, som ikke er et krav i modellen",
                            e.from.get_ref()
                        ),
                        format!(
                            "mapping onto {target} has an entry for `{}`, which is not a requirement of this model",
                            e.from.get_ref()
                        ),
                    ),
                );
                continue;
            };
            if let Some(line) = from_seen.get(from.as_str()) {
                rep.report(
                    &e.from.span(),
                    Rule::DuplicateId,
                    Msg::new(
                        format!("mappingen til {target} mapper {from} to gange (første gang i linje {line})"),
                        format!("mapping onto {target} maps {from} twice (first at line {line})"),
                    ),
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
