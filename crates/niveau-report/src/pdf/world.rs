//! The typst [`World`] of Niveau's PDFs: one fixed main source (our template), virtual
//! data files given by the caller, and the fonts bundled in the binary. Nothing is read
//! from the disk or the network: any other path is "not found", and there are no
//! packages (`@preview/…` imports fail).

use std::collections::HashMap;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The standard library, built once: no `sys.inputs`, user data comes in files.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

/// The bundled fonts (typst-assets: Libertinus Serif, New Computer Modern, DejaVu Sans
/// Mono) and their book, parsed once.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    let book = FontBook::from_fonts(&fonts);
    (LazyHash::new(book), fonts)
});

/// A file id for an absolute virtual path such as `/main.typ`. The paths used here
/// are fixed by our code, never by users; a path that does not parse falls back to
/// `/invalid`, which no file has.
pub(crate) fn file_id(path: &str) -> FileId {
    let vpath = VirtualPath::new(path)
        .or_else(|_| VirtualPath::new("/invalid"))
        .unwrap_or_else(|_| unreachable_path());
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

#[cold]
fn unreachable_path() -> VirtualPath {
    // `VirtualPath::new("/invalid")` cannot fail; keep a total function anyway.
    #[allow(clippy::unwrap_used)]
    VirtualPath::new("/").unwrap()
}

/// A closed world: the template as `/main.typ`, plus in-memory files.
pub(crate) struct NiveauWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl NiveauWorld {
    /// A world whose main file is `template`, with `files` (absolute virtual path →
    /// bytes) readable by `read()`, `json()` and `image()`.
    pub(crate) fn new(
        template: &str,
        files: impl IntoIterator<Item = (String, Vec<u8>)>,
        today: chrono::NaiveDate,
    ) -> Self {
        use chrono::Datelike as _;
        let main = Source::new(file_id("/main.typ"), template.to_owned());
        let files = files
            .into_iter()
            .map(|(path, bytes)| (file_id(&path), Bytes::new(bytes)))
            .collect();
        let today = Datetime::from_ymd(
            today.year(),
            u8::try_from(today.month()).unwrap_or(1),
            u8::try_from(today.day()).unwrap_or(1),
        );
        NiveauWorld { main, files, today }
    }
}

impl World for NiveauWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_owned()));
        }
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.get().vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}
