//! PDFs generated in process with typst: the published evaluation ([`evaluation`]) and
//! the board's annual report draft ([`crate::annual`]), Danish by default, English on
//! request, for board papers.
//!
//! # How user text reaches the PDF
//!
//! There is one fixed template (`pdf/template.typ`, part of the binary). A document is
//! a [`PdfDoc`]: a title and a list of [`Block`]s (headings, paragraphs, tables, images,
//! placeholders). It is serialised to JSON and handed to the template as the virtual
//! file `/data.json`, which the template reads with `json()`. Strings from that file
//! are placed into content as *values*: typst shows a string as text and never parses
//! it as markup or code. A product name such as `#panic()` or `*$x$*` is therefore
//! printed exactly as written, and no escaping is needed on this path. Text is shown
//! as plain text (blank lines separate paragraphs, single newlines break lines), except
//! the evaluation's free-text fields, which are Markdown: [`rich`] parses them with
//! comrak into blocks of plain strings with style flags ([`Block::Rich`]), and the
//! template applies the styles — the strings are still values, never markup.
//!
//! [`escape_markup`] exists for the other path — writing user text into typst *markup*
//! — which Niveau does not use; it is kept (and tested with hostile text) for code
//! that must splice text into markup, e.g. a future template fragment.
//!
//! # The world
//!
//! The typst world ([`world`]) is closed: the template, the data file and the chart
//! SVGs as in-memory files; the fonts bundled by `typst-assets` (Libertinus Serif, New
//! Computer Modern, DejaVu Sans Mono, all with æ, ø and å); no system fonts, no disk,
//! no network, no packages. Charts from [`crate::svg`] are embedded as SVG images.

use std::fmt::Write as _;

use serde::Serialize;
use typst::diag::SourceDiagnostic;
use typst_layout::PagedDocument;

mod evaluation;
pub mod rich;
mod world;

pub use evaluation::{evaluation, evaluation_doc};

/// The template every PDF is typeset with.
const TEMPLATE: &str = include_str!("template.typ");

/// A PDF could not be made. It carries typst's messages, for the log; people get
/// [`PdfError::msg`].
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document's data could not be serialised.
    #[error("PDF data: {0}")]
    Data(#[from] serde_json::Error),
    /// typst reported errors while typesetting.
    #[error("PDF typesetting failed: {0}")]
    Compile(String),
    /// The typeset document could not be written as PDF.
    #[error("PDF export failed: {0}")]
    Export(String),
}

impl PdfError {
    /// The error for the person who asked for the PDF, in both languages.
    pub fn msg(&self) -> niveau_model::Msg {
        niveau_model::Msg::new(
            "PDF-filen kunne ikke dannes",
            "the PDF file could not be made",
        )
    }
}

/// A document for the PDF template: everything it shows, as data.
#[derive(Debug, Clone, Serialize)]
pub struct PdfDoc {
    /// Document language (`da` or `en`), for hyphenation and quotes.
    pub lang: String,
    /// The large title on the first page (also the PDF's title metadata).
    pub title: String,
    /// A line under the title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Left part of every page's footer (the page number is on the right).
    pub footer: String,
    /// The content, in order.
    pub blocks: Vec<Block>,
    /// Images referred to by [`Block::Image`]: virtual path (`/charts/x.svg`) → bytes.
    #[serde(skip)]
    pub files: Vec<(String, Vec<u8>)>,
}

/// One block of a [`PdfDoc`].
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// A heading, level 1 to 3.
    Heading {
        /// 1 (section) to 3.
        level: u8,
        /// The heading text.
        text: String,
    },
    /// Text; blank lines separate paragraphs, single newlines break lines.
    Paragraphs {
        /// The text.
        text: String,
    },
    /// Markdown text from a person, as parsed blocks ([`rich::from_markdown`]).
    Rich {
        /// The blocks.
        blocks: Vec<rich::Rich>,
    },
    /// A framed, highlighted box marking text someone still has to write.
    Placeholder {
        /// What to write there.
        text: String,
    },
    /// Label–value pairs (document information).
    Facts {
        /// `(label, value)` in order.
        items: Vec<(String, String)>,
    },
    /// A table with a header row.
    Table {
        /// Column widths: 0 is "as wide as the content", n > 0 is n shares of the rest.
        columns: Vec<u8>,
        /// The header cells.
        header: Vec<Cell>,
        /// The rows, each as many cells as there are columns.
        rows: Vec<Vec<Cell>>,
    },
    /// An image from [`PdfDoc::files`], centred.
    Image {
        /// Its virtual path, e.g. `/charts/levels.svg`.
        file: String,
        /// The alternative text (tagged PDF).
        alt: String,
        /// Width in percent of the text width; 0 for the image's own size.
        width: u8,
    },
    /// A bullet list.
    List {
        /// The points.
        items: Vec<String>,
    },
    /// Start a new page (unless already at the top of one).
    PageBreak,
}

/// One table cell.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cell {
    /// The text.
    pub text: String,
    /// A colour square before the text (`#RRGGBB`), e.g. a rating's colour.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub swatch: Option<String>,
    /// Bold.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub strong: bool,
}

impl Cell {
    /// A plain cell.
    pub fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    /// A bold cell.
    pub fn strong(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            strong: true,
            ..Cell::default()
        }
    }

    /// A cell with a colour square before the text.
    pub fn swatch(colour: &str, text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            swatch: Some(colour.to_owned()),
            strong: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::text(text)
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::text(text)
    }
}

/// Typesets `doc` with the template and returns the PDF's bytes. `today` is the
/// document's date (typst's `datetime.today()`, and the PDF's creation date).
pub fn render(doc: &PdfDoc, today: chrono::NaiveDate) -> Result<Vec<u8>, PdfError> {
    let result = typeset(doc, today).and_then(|document| export(&document));
    // typst memoises across compilations; a server makes many different PDFs, so drop
    // what this one cached instead of letting the caches grow.
    typst::comemo::evict(0);
    result
}

/// The text `doc` shows once typeset, for tests: the text of every text item in the
/// order of the frames, items separated by a space (so compare without white space).
#[doc(hidden)]
pub fn typeset_text(doc: &PdfDoc) -> Result<String, PdfError> {
    let result = typeset(doc, chrono::NaiveDate::default()).map(|d| document_text(&d));
    typst::comemo::evict(0);
    result
}

fn typeset(doc: &PdfDoc, today: chrono::NaiveDate) -> Result<PagedDocument, PdfError> {
    let data = serde_json::to_vec(doc)?;
    let files = std::iter::once(("/data.json".to_owned(), data)).chain(doc.files.iter().cloned());
    compile_document(TEMPLATE, files, today)
}

fn export(document: &PagedDocument) -> Result<Vec<u8>, PdfError> {
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("niveau".to_owned()),
        creator: typst::foundations::Smart::Custom(Some("Niveau".to_owned())),
        ..typst_pdf::PdfOptions::default()
    };
    typst_pdf::pdf(document, &options).map_err(|errors| PdfError::Export(messages(&errors)))
}

/// Compiles `source` to a laid-out document.
fn compile_document(
    source: &str,
    files: impl IntoIterator<Item = (String, Vec<u8>)>,
    today: chrono::NaiveDate,
) -> Result<PagedDocument, PdfError> {
    let world = world::NiveauWorld::new(source, files, today);
    typst::compile::<PagedDocument>(&world)
        .output
        .map_err(|errors| PdfError::Compile(messages(&errors)))
}

fn messages(errors: &[SourceDiagnostic]) -> String {
    let mut out = String::new();
    for (i, e) in errors.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(&e.message);
        for hint in &e.hints {
            let _ = write!(out, " (hint: {})", hint.v);
        }
    }
    out
}

/// Escapes `text` for typst *markup* mode, so that it is shown as written: every ASCII
/// punctuation character (`# $ * _ < > @ [ ] \` and the rest, including `` ` `` for raw
/// blocks, `=`/`-`/`+`/`/` that start headings and lists at the start of a line, `~`,
/// quotes and `:` of autolinks) is preceded by a backslash, which typst reads as "this
/// character literally". Letters, digits, spaces and newlines are kept (a backslash
/// before a space or newline would be a line break), and so is every non-ASCII
/// character. Blank lines still separate paragraphs.
///
/// Only for markup mode: inside code (`#{…}`) or a string literal the rules differ.
/// Niveau's PDFs do not use this; see the module documentation.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        // A carriage return would pair with the newline anyway; drop it so "\r\n"
        // behaves like "\n".
        if c == '\r' {
            continue;
        }
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text typst markup shows once typeset (see [`typeset_text`]), for the tests of
/// [`escape_markup`].
#[doc(hidden)]
pub fn markup_text(markup: &str) -> Result<String, PdfError> {
    let result = compile_document(markup, std::iter::empty(), chrono::NaiveDate::default())
        .map(|d| document_text(&d));
    typst::comemo::evict(0);
    result
}

fn document_text(doc: &PagedDocument) -> String {
    let mut out = String::new();
    for page in doc.pages() {
        frame_text(&page.frame, &mut out);
    }
    out
}

fn frame_text(frame: &typst::layout::Frame, out: &mut String) {
    use typst::layout::FrameItem;
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(group) => frame_text(&group.frame, out),
            FrameItem::Text(text) => {
                out.push_str(&text.text);
                out.push(' ');
            }
            _ => {}
        }
    }
}
