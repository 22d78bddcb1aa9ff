//! Running the `niveau` binary from tests.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `niveau ARGS…` in the repository root with the default language.
pub fn niveau(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_niveau"))
        .args(args)
        .env_remove("NIVEAU_LANG")
        // The check cache and clones go to a folder of this test run, never to the
        // developer's own ~/.cache.
        .env(
            "XDG_CACHE_HOME",
            std::env::temp_dir().join(format!("niveau-cli-tests-{}", std::process::id())),
        )
        .current_dir(niveau_testkit::repo_root())
        .output()
        .unwrap()
}

/// Standard output as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// A temporary directory for this test process.
pub fn tmp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("niveau-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes a file into [`tmp_dir`] and returns its path.
pub fn tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let path = tmp_dir().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
