//! Small helpers over saphyr's marked YAML nodes: what kind of value a node holds, where it
//! is, and the source text of a scalar.

use saphyr::{AnnotatedMapping, MarkedYaml, Scalar, YamlData};
use std::cell::OnceCell;

/// A YAML mapping with positions, as saphyr builds it.
pub(super) type Map<'y> = AnnotatedMapping<'y, MarkedYaml<'y>>;

/// The value of a node, with tags looked through.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind<'a, 'y> {
    /// `~`, `null` or nothing.
    Null,
    /// A string scalar.
    Str(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// An integer or a floating point number.
    Number,
    /// A sequence.
    Seq(&'a [MarkedYaml<'y>]),
    /// A mapping.
    Map(&'a Map<'y>),
    /// A value saphyr could not resolve (e.g. `!!int foo`).
    Bad,
}

impl Kind<'_, '_> {
    /// The kind in words, for messages ("a list", "a string", …).
    pub(super) fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "nothing",
            Kind::Str(_) => "a string",
            Kind::Bool(_) => "a boolean",
            Kind::Number => "a number",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
            Kind::Bad => "an unreadable value",
        }
    }

    /// [`Kind::describe`] in Danish.
    pub(super) fn describe_da(&self) -> &'static str {
        match self {
            Kind::Null => "ingenting",
            Kind::Str(_) => "en tekst",
            Kind::Bool(_) => "en boolesk værdi",
            Kind::Number => "et tal",
            Kind::Seq(_) => "en liste",
            Kind::Map(_) => "en mapping",
            Kind::Bad => "en ulæselig værdi",
        }
    }
}

/// What `node` holds. Tagged nodes are looked through: `!custom foo` is the string `foo`.
pub(super) fn kind<'a, 'y>(node: &'a MarkedYaml<'y>) -> Kind<'a, 'y> {
    let mut node = node;
    loop {
        return match &node.data {
            YamlData::Tagged(_, inner) => {
                node = inner;
                continue;
            }
            YamlData::Value(Scalar::Null) => Kind::Null,
            YamlData::Value(Scalar::String(s)) => Kind::Str(s),
            YamlData::Representation(s, _, _) => Kind::Str(s),
            YamlData::Value(Scalar::Boolean(b)) => Kind::Bool(*b),
            YamlData::Value(Scalar::Integer(_) | Scalar::FloatingPoint(_)) => Kind::Number,
            YamlData::Sequence(items) => Kind::Seq(items),
            YamlData::Mapping(map) => Kind::Map(map),
            YamlData::Alias(_) | YamlData::BadValue => Kind::Bad,
        };
    }
}

/// The 1-based line and column where `node` starts.
pub(super) fn pos(node: &MarkedYaml<'_>) -> (usize, usize) {
    (node.span.start.line(), node.span.start.col() + 1)
}

/// The children of a node (mapping keys and values, sequence items, a tagged node's
/// content), for walks that look at every node.
pub(super) fn children<'a, 'y>(node: &'a MarkedYaml<'y>, out: &mut Vec<&'a MarkedYaml<'y>>) {
    match &node.data {
        YamlData::Sequence(items) => out.extend(items.iter()),
        YamlData::Mapping(map) => {
            for (k, v) in map.iter() {
                out.push(k);
                out.push(v);
            }
        }
        YamlData::Tagged(_, inner) => out.push(inner),
        _ => {}
    }
}

/// The input text, with character-offset slicing (saphyr's markers count characters).
pub(super) struct Source<'t> {
    text: &'t str,
    /// Byte offset of every character, built on first use for non-ASCII texts.
    offsets: OnceCell<Vec<usize>>,
}

impl<'t> Source<'t> {
    /// Wraps the text that was parsed.
    pub(super) fn new(text: &'t str) -> Self {
        Source {
            text,
            offsets: OnceCell::new(),
        }
    }

    fn byte_offset(&self, char_index: usize) -> usize {
        if self.text.is_ascii() {
            return char_index.min(self.text.len());
        }
        let offsets = self
            .offsets
            .get_or_init(|| self.text.char_indices().map(|(i, _)| i).collect());
        offsets.get(char_index).copied().unwrap_or(self.text.len())
    }

    /// The text a scalar node was written as (`1.10` for the float 1.1), trimmed.
    pub(super) fn text_of(&self, node: &MarkedYaml<'_>) -> &'t str {
        let start = self.byte_offset(node.span.start.index());
        let end = self.byte_offset(node.span.end.index()).max(start);
        self.text.get(start..end).unwrap_or("").trim()
    }
}
