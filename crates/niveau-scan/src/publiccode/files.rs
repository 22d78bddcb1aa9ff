//! The files beside a publiccode.yml: what the checks of `logo`, `monochromeLogo`,
//! `description.*.screenshots` and `legal.authorsFile` ask of the repository.
//!
//! The reference parser, run without network, resolves a relative path against the
//! directory of the publiccode.yml and checks that the file exists, that its extension is
//! supported and, for a PNG logo, that it is an image. Niveau asks the same questions of
//! the scanned tree (the scan's file list) or, for `niveau publiccode validate FILE`, of
//! the file's directory on disk. URLs are never fetched.

use std::io::Read;
use std::path::PathBuf;

/// The files of the repository (or directory) a publiccode.yml belongs to.
///
/// Paths are relative to the directory of the publiccode.yml, `/`-separated and
/// normalised: no empty, `.` or `..` segments and no leading `/`. A path that would leave
/// that directory is never asked about (it is reported as missing).
///
/// Any `Fn(&str) -> bool` is a `RepoFiles` that answers whether a file exists and cannot
/// read contents.
pub trait RepoFiles {
    /// Whether a file exists at `path`; `None` when the files are unknown, and then the
    /// checks that need them are skipped.
    fn exists(&self, path: &str) -> Option<bool>;

    /// Up to `max` bytes from the start of the file at `path`, to tell whether a `.png`
    /// is a PNG image; `None` when they cannot be read (the check is then skipped).
    fn head(&self, path: &str, max: usize) -> Option<Vec<u8>> {
        let _ = (path, max);
        None
    }
}

/// No files known: only the syntax of paths is checked ([`super::validate`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl RepoFiles for NoFiles {
    fn exists(&self, _path: &str) -> Option<bool> {
        None
    }
}

impl<F: Fn(&str) -> bool> RepoFiles for F {
    fn exists(&self, path: &str) -> Option<bool> {
        Some(self(path))
    }
}

/// The files under a directory on disk (the directory of the publiccode.yml). Symbolic
/// links are not followed out of it: a path counts as existing only when it is a regular
/// file that is not a symlink.
#[derive(Debug, Clone)]
pub struct DirFiles {
    dir: PathBuf,
}

impl DirFiles {
    /// The files under `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        DirFiles { dir: dir.into() }
    }

    fn file(&self, path: &str) -> Option<PathBuf> {
        let full = self.dir.join(path);
        let meta = std::fs::symlink_metadata(&full).ok()?;
        meta.file_type().is_file().then_some(full)
    }
}

impl RepoFiles for DirFiles {
    fn exists(&self, path: &str) -> Option<bool> {
        Some(self.file(path).is_some())
    }

    fn head(&self, path: &str, max: usize) -> Option<Vec<u8>> {
        let file = std::fs::File::open(self.file(path)?).ok()?;
        let mut out = Vec::with_capacity(max);
        file.take(u64::try_from(max).ok()?)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    }
}

/// `value` as a normalised path relative to the publiccode.yml's directory, or `None`
/// when it leaves that directory. `./a//b/../c.png` is `a/c.png`.
pub(super) fn normalise(value: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in value.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The lower-case extension of a path, with its dot (`.png`), as Go's `filepath.Ext`
/// gives it: empty when the last segment has no dot.
pub(super) fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rfind('.')
        .map(|i| name[i..].to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether the bytes start like a PNG image whose header Go's `image.DecodeConfig` reads:
/// the signature, then an `IHDR` chunk of 13 bytes.
pub(super) fn looks_like_png(head: &[u8]) -> bool {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    head.len() >= 33
        && head.starts_with(SIGNATURE)
        && head.get(8..12) == Some(&[0, 0, 0, 13][..])
        && head.get(12..16) == Some(&b"IHDR"[..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_inside_the_directory() {
        assert_eq!(normalise("logo.png").as_deref(), Some("logo.png"));
        assert_eq!(normalise("./a//b/../c.png").as_deref(), Some("a/c.png"));
        assert_eq!(normalise("../logo.png"), None);
        assert_eq!(normalise("a/../../logo.png"), None);
        assert_eq!(extension("assets/img/Logo.PNG"), ".png");
        assert_eq!(extension("assets.d/logo"), "");
        assert_eq!(extension("logo.svgz"), ".svgz");
    }

    #[test]
    fn png_headers() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&[0; 17]);
        assert!(looks_like_png(&png));
        assert!(!looks_like_png(&png[..20]));
        assert!(!looks_like_png(
            b"this is not an image, just text in a file"
        ));
    }
}
