//! PDF tests: the text of a PDF by Debian's `pdftotext` (poppler-utils, installed by
//! scripts/ci-pdf.sh, which exports `NIVEAU_TEST_PDFTOTEXT`), and a PNG of its first
//! page by `pdftoppm` from the same package, for people to look at.
//!
//! Tests that use these are `#[ignore = "needs pdftotext (scripts/ci-pdf.sh)"]` and
//! fail (not pass) when the variable is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The `pdftotext` program from `NIVEAU_TEST_PDFTOTEXT`; panics with what to do when it
/// is not set, so a test run with `--include-ignored` fails without it.
pub fn pdftotext() -> PathBuf {
    match std::env::var_os("NIVEAU_TEST_PDFTOTEXT") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => panic!("NIVEAU_TEST_PDFTOTEXT is not set: run `source scripts/ci-pdf.sh` first"),
    }
}

/// The text of `pdf` (bytes) as `pdftotext -layout` reads it, UTF-8.
pub fn text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temporary directory: {e}"));
    let input = dir.path().join("in.pdf");
    std::fs::write(&input, pdf).unwrap_or_else(|e| panic!("write {}: {e}", input.display()));
    text_of_file(&input)
}

/// The text of the PDF file at `path`.
pub fn text_of_file(path: &Path) -> String {
    let out = Command::new(pdftotext())
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("run pdftotext: {e}"));
    assert!(
        out.status.success(),
        "pdftotext failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("pdftotext gave no UTF-8: {e}"))
}

/// Writes `pdf` to `dir/name.pdf` and its first page as `dir/name-1.png` (pdftoppm,
/// next to pdftotext, 80 dpi), and returns the PNG's path.
pub fn first_page_png(pdf: &[u8], dir: &Path, name: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    let file = dir.join(format!("{name}.pdf"));
    std::fs::write(&file, pdf).unwrap_or_else(|e| panic!("write {}: {e}", file.display()));
    let pdftoppm = pdftotext().with_file_name("pdftoppm");
    let prefix = dir.join(name);
    let status = Command::new(&pdftoppm)
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(&prefix)
        .status()
        .unwrap_or_else(|e| panic!("run {}: {e}", pdftoppm.display()));
    assert!(status.success(), "pdftoppm failed on {}", file.display());
    prefix.with_extension("png")
}
