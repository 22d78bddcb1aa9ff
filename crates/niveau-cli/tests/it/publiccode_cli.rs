//! `niveau publiccode validate FILE`: relative paths are checked against the file's
//! directory on disk, and the file must be UTF-8 (issue #15), on the reference parser's
//! own test files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common::*;
use std::path::{Path, PathBuf};

/// The reference parser's vendored v0 test files.
fn reference(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../niveau-scan/tests/fixtures/publiccode-parser-go/v0")
        .join(path)
}

/// A fresh directory under the test process's temporary directory.
fn fresh(name: &str) -> PathBuf {
    let dir = tmp_dir().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(from, to).unwrap();
}

#[test]
fn logo_and_screenshots_are_checked_beside_the_file() {
    let yml = reference("valid/no-network/valid.yml");
    // With its assets: valid.
    let ok = fresh("publiccode-with-assets");
    copy(&yml, &ok.join("publiccode.yml"));
    for img in ["logo.png", "sshot1.png", "sshot2.png", "sshot3.png"] {
        copy(
            &reference(&format!("valid/no-network/assets/img/{img}")),
            &ok.join("assets/img").join(img),
        );
    }
    let file = ok.join("publiccode.yml");
    let o = niveau(&[
        "--lang",
        "en",
        "publiccode",
        "validate",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).ends_with(": valid (publiccode.yml 0)\n"),
        "{}",
        stdout(&o)
    );

    // Without them: the logo and every screenshot are missing.
    let bare = fresh("publiccode-without-assets");
    copy(&yml, &bare.join("publiccode.yml"));
    let file = bare.join("publiccode.yml");
    let o = niveau(&[
        "--lang",
        "en",
        "publiccode",
        "validate",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let out = stdout(&o);
    assert!(
        out.contains(
            "publiccode.yml:14:1: error: logo: the file \"assets/img/logo.png\" does not exist in the repository\n"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            ":168:9: error: description.en.screenshots[0]: the file \"assets/img/sshot1.png\" does not exist in the repository\n"
        ),
        "{out}"
    );
    let o = niveau(&[
        "--lang",
        "da",
        "publiccode",
        "validate",
        file.to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).contains(
            ":14:1: fejl: logo: filen \"assets/img/logo.png\" findes ikke i repositoriet\n"
        ),
        "{}",
        stdout(&o)
    );

    // A text file named .png is not a PNG logo.
    let fake = fresh("publiccode-fake-png");
    let file = fake.join("publiccode.yml");
    copy(&reference("invalid/no-network/logo_invalid_png.yml"), &file);
    copy(
        &reference("invalid/no-network/assets/img/not-an-image.png"),
        &fake.join("assets/img/not-an-image.png"),
    );
    let o = niveau(&[
        "--lang",
        "en",
        "publiccode",
        "validate",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains(
            ":18:1: error: logo: the file \"assets/img/not-an-image.png\" is not a PNG image\n"
        ),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_file_that_is_not_utf8_is_invalid() {
    let file = reference("invalid/file_encoding.yml");
    let o = niveau(&[
        "--lang",
        "en",
        "publiccode",
        "validate",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(
            ": error: the file is not valid UTF-8; a publiccode.yml must be encoded in UTF-8\n"
        ),
        "{out}"
    );
    assert!(out.ends_with(": invalid (publiccode.yml ?)\n"), "{out}");
    let o = niveau(&[
        "--lang",
        "da",
        "publiccode",
        "validate",
        file.to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).contains(
            ": fejl: filen er ikke gyldig UTF-8; en publiccode.yml skal være kodet som UTF-8\n"
        ),
        "{}",
        stdout(&o)
    );
}
