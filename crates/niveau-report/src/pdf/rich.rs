//! Markdown in the free-text fields of an evaluation (summary, overall assessment,
//! recommendation) as structured blocks for the PDF template.
//!
//! The secretariat writes these fields in Markdown, as OS2's reports always have
//! (`**ikke**`, bullet lists, `### Høj prioritet`). Printed as written they clutter a
//! board paper; spliced into typst markup they could run code. So the text is parsed
//! with comrak and turned into [`Rich`] blocks whose text is plain strings with style
//! flags: the template places each string as a value (never parsed as typst markup or
//! code) and applies bold, italics, code and links itself. Links keep only `http`,
//! `https` and `mailto` destinations; raw HTML is shown as written; images show their
//! alternative text.

use std::borrow::Cow;

use comrak::nodes::{AstNode, ListType, NodeValue};
use serde::Serialize;

/// How deep lists and inline styles are followed; deeper content is kept as text of
/// the level above (comrak's own limits keep real documents far below this).
const MAX_DEPTH: usize = 24;

/// A run of text with one style.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Span {
    /// The text; `\n` is a hard line break.
    pub text: String,
    /// Bold.
    #[serde(skip_serializing_if = "is_false")]
    pub strong: bool,
    /// Italics.
    #[serde(skip_serializing_if = "is_false")]
    pub emph: bool,
    /// Inline code.
    #[serde(skip_serializing_if = "is_false")]
    pub code: bool,
    /// A link destination (http, https or mailto only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One block of Markdown text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rich {
    /// A paragraph.
    Paragraph {
        /// Its text.
        spans: Vec<Span>,
    },
    /// A heading inside the field (shown as a bold line, below the document's own
    /// headings).
    Heading {
        /// Its text.
        spans: Vec<Span>,
    },
    /// A list item's paragraph: `marker` is "•", "3." or empty for a second paragraph
    /// of the same item.
    Item {
        /// Nesting, 0 for a top-level list.
        depth: u8,
        /// The bullet or number.
        marker: String,
        /// Its text.
        spans: Vec<Span>,
    },
    /// A code block, shown in a fixed-width font.
    Code {
        /// The code.
        text: String,
    },
}

/// The blocks of `markdown`.
pub fn from_markdown(markdown: &str) -> Vec<Rich> {
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, markdown, &comrak::Options::default());
    let mut out = Vec::new();
    blocks(root, 0, None, &mut out);
    out
}

/// Where a paragraph goes: a list item at `depth` whose first paragraph takes `marker`.
struct InItem {
    depth: u8,
    marker: Option<String>,
}

fn blocks<'a>(node: &'a AstNode<'a>, depth: usize, mut item: Option<InItem>, out: &mut Vec<Rich>) {
    for child in node.children() {
        let value = child.data().value.clone();
        match value {
            NodeValue::Paragraph => {
                let spans = inline_spans(child);
                if spans.is_empty() {
                    continue;
                }
                match item.as_mut() {
                    Some(it) => out.push(Rich::Item {
                        depth: it.depth,
                        marker: it.marker.take().unwrap_or_default(),
                        spans,
                    }),
                    None => out.push(Rich::Paragraph { spans }),
                }
            }
            NodeValue::Heading(_) => {
                let spans = inline_spans(child);
                if !spans.is_empty() {
                    out.push(Rich::Heading { spans });
                }
            }
            NodeValue::List(list) => {
                let list_depth = item.as_ref().map_or(0, |it| it.depth + 1);
                let mut number = list.start;
                for entry in child.children() {
                    let marker = match list.list_type {
                        ListType::Bullet => "•".to_owned(),
                        ListType::Ordered => format!("{number}."),
                    };
                    number += 1;
                    let it = InItem {
                        depth: list_depth.min(8),
                        marker: Some(marker),
                    };
                    if depth < MAX_DEPTH {
                        let before = out.len();
                        blocks(entry, depth + 1, Some(it), out);
                        if out.len() == before {
                            // An empty item still shows its marker.
                            out.push(Rich::Item {
                                depth: list_depth.min(8),
                                marker: match list.list_type {
                                    ListType::Bullet => "•".to_owned(),
                                    ListType::Ordered => format!("{}.", number - 1),
                                },
                                spans: Vec::new(),
                            });
                        }
                    } else {
                        push_text(entry, out);
                    }
                }
            }
            NodeValue::CodeBlock(code) => out.push(Rich::Code {
                text: code.literal.trim_end_matches('\n').to_owned(),
            }),
            NodeValue::HtmlBlock(html) => {
                let text = html.literal.trim_end_matches('\n').to_owned();
                if !text.is_empty() {
                    out.push(Rich::Paragraph {
                        spans: vec![Span {
                            text,
                            ..Span::default()
                        }],
                    });
                }
            }
            NodeValue::ThematicBreak => {}
            _ => {
                // Block quotes, items and anything else that holds blocks.
                if depth < MAX_DEPTH {
                    blocks(child, depth + 1, item.take(), out);
                } else {
                    push_text(child, out);
                }
            }
        }
    }
}

/// Everything below `node` as one plain paragraph (past [`MAX_DEPTH`]).
fn push_text<'a>(node: &'a AstNode<'a>, out: &mut Vec<Rich>) {
    let mut text = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            _ => {}
        }
    }
    if !text.trim().is_empty() {
        out.push(Rich::Paragraph {
            spans: vec![Span {
                text,
                ..Span::default()
            }],
        });
    }
}

fn inline_spans<'a>(node: &'a AstNode<'a>) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    inline(node, &Span::default(), 0, &mut spans);
    // Trim the paragraph's ends.
    if let Some(first) = spans.first_mut() {
        first.text = first.text.trim_start().to_owned();
    }
    if let Some(last) = spans.last_mut() {
        last.text = last.text.trim_end().to_owned();
    }
    spans.retain(|s| !s.text.is_empty());
    spans
}

fn push(spans: &mut Vec<Span>, style: &Span, text: Cow<'_, str>, code: bool) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = spans.last_mut()
        && last.strong == style.strong
        && last.emph == style.emph
        && last.code == code
        && last.link == style.link
    {
        last.text.push_str(&text);
        return;
    }
    spans.push(Span {
        text: text.into_owned(),
        strong: style.strong,
        emph: style.emph,
        code,
        link: style.link.clone(),
    });
}

/// A link destination the PDF may carry.
fn safe_link(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        .then(|| url.trim().to_owned())
}

fn inline<'a>(node: &'a AstNode<'a>, style: &Span, depth: usize, spans: &mut Vec<Span>) {
    for child in node.children() {
        let value = child.data().value.clone();
        match value {
            NodeValue::Text(t) => push(spans, style, Cow::Owned(t.to_string()), false),
            NodeValue::Code(c) => push(spans, style, Cow::Owned(c.literal), true),
            NodeValue::SoftBreak => push(spans, style, Cow::Borrowed(" "), false),
            NodeValue::LineBreak => push(spans, style, Cow::Borrowed("\n"), false),
            NodeValue::HtmlInline(html) => push(spans, style, Cow::Owned(html), false),
            _ if depth >= MAX_DEPTH => {
                for d in child.descendants() {
                    if let NodeValue::Text(t) = &d.data().value {
                        push(spans, style, Cow::Owned(t.to_string()), false);
                    }
                }
            }
            NodeValue::Strong => {
                let s = Span {
                    strong: true,
                    ..style.clone()
                };
                inline(child, &s, depth + 1, spans);
            }
            NodeValue::Emph => {
                let s = Span {
                    emph: true,
                    ..style.clone()
                };
                inline(child, &s, depth + 1, spans);
            }
            NodeValue::Link(link) => {
                let s = Span {
                    link: safe_link(&link.url).or_else(|| style.link.clone()),
                    ..style.clone()
                };
                inline(child, &s, depth + 1, spans);
            }
            _ => inline(child, style, depth + 1, spans),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Span {
        Span {
            text: text.to_owned(),
            ..Span::default()
        }
    }

    #[test]
    fn bold_lists_and_headings_from_an_os2_summary() {
        let md = "OS2faktor er **ikke** på niveau 1.\n\n### Høj prioritet\n\n- **Etabler en styregruppe**\n  - Udpeg formand\n- Roadmap\n\n1. Første\n2. Anden";
        let blocks = from_markdown(md);
        assert_eq!(
            blocks,
            vec![
                Rich::Paragraph {
                    spans: vec![
                        plain("OS2faktor er "),
                        Span {
                            strong: true,
                            ..plain("ikke")
                        },
                        plain(" på niveau 1."),
                    ]
                },
                Rich::Heading {
                    spans: vec![plain("Høj prioritet")]
                },
                Rich::Item {
                    depth: 0,
                    marker: "•".into(),
                    spans: vec![Span {
                        strong: true,
                        ..plain("Etabler en styregruppe")
                    }]
                },
                Rich::Item {
                    depth: 1,
                    marker: "•".into(),
                    spans: vec![plain("Udpeg formand")]
                },
                Rich::Item {
                    depth: 0,
                    marker: "•".into(),
                    spans: vec![plain("Roadmap")]
                },
                Rich::Item {
                    depth: 0,
                    marker: "1.".into(),
                    spans: vec![plain("Første")]
                },
                Rich::Item {
                    depth: 0,
                    marker: "2.".into(),
                    spans: vec![plain("Anden")]
                },
            ]
        );
    }

    #[test]
    fn typst_markup_stays_text_and_only_web_links_are_kept() {
        let blocks = from_markdown(
            "#panic(\"boom\") $x$ <b>fed</b>\n\n[ok](https://os2.eu) [nej](javascript:alert(1))\n\n```\n#import \"x\"\n```",
        );
        assert_eq!(
            blocks,
            vec![
                Rich::Paragraph {
                    spans: vec![plain("#panic(\"boom\") $x$ <b>fed</b>")]
                },
                Rich::Paragraph {
                    spans: vec![
                        Span {
                            link: Some("https://os2.eu".into()),
                            ..plain("ok")
                        },
                        plain(" nej"),
                    ]
                },
                Rich::Code {
                    text: "#import \"x\"".into()
                },
            ]
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}x", "> ".repeat(200));
        let blocks = from_markdown(&deep);
        assert!(!blocks.is_empty());
        let star = format!("{}x{}", "*_".repeat(100), "_*".repeat(100));
        assert!(!from_markdown(&star).is_empty());
        let list: String = (0..60)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        assert!(!from_markdown(&list).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_text_gives_blocks_without_panicking(s in "\\PC{0,200}") {
            let _ = from_markdown(&s);
        }
    }
}
