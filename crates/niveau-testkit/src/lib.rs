//! # niveau-testkit
//!
//! Development-only helpers shared by the test suites of the other crates. It is never
//! a dependency of the `niveau` binary.
//!
//! Today it locates the repository's fixtures (real OS2 documents, byte-exact, under
//! `fixtures/os2/`) and damages texts for fuzzing ([`mutate`]). [`repo::TestRepo`]
//! builds temporary git repositories (commits, branches, clones, missing objects, large
//! synthetic histories) for the scanner's tests. Test databases join it with the store.
//! [`postgres::TestDatabase`] creates and drops a throw-away PostgreSQL database through
//! `NIVEAU_TEST_DATABASE_URL`, and [`oidc::MockProvider`] runs a real OpenID Connect
//! provider (oidc-provider-mock) named by `NIVEAU_TEST_OIDC_PROVIDER` and logs a chosen
//! user in through it; `scripts/ci-postgres.sh` and `scripts/ci-oidc.sh` set both up.
//! [`forge_stub::ForgeStub`] stands in for a forge's API on 127.0.0.1 (canned pages,
//! recorded requests) and serves git repositories over smart HTTP for `niveau check --org`.
//! Tests that use them are `#[ignore = "needs …: source scripts/ci-….sh"]`
//! ([`postgres::IGNORE_REASON`], [`oidc::IGNORE_REASON`]) and fail, naming the variable
//! and the script, when run with `--include-ignored` without it.

pub mod forge_stub;
pub mod mutate;
pub mod oidc;
pub mod pdf;
pub mod postgres;
pub mod repo;

use std::path::PathBuf;

/// The repository root (the workspace directory).
pub fn repo_root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent()
        .and_then(|p| p.parent())
        .map(PathBuf::from)
        .unwrap_or(here)
}

/// The path of a fixture file below `fixtures/`, e.g. `os2/templates/governance-report-1.1.0.md`.
pub fn fixture_path(relative: &str) -> PathBuf {
    repo_root().join("fixtures").join(relative)
}

/// The text of a fixture file below `fixtures/`.
///
/// # Panics
///
/// Panics with the path if the file cannot be read: fixtures are part of the repository,
/// so a missing one is a broken checkout, and this is only used from tests.
#[allow(clippy::panic)]
pub fn fixture(relative: &str) -> String {
    let path = fixture_path(relative);
    match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("cannot read fixture {}: {e}", path.display()),
    }
}

/// Splits a Markdown table row into trimmed cells (`| a | b |` → `["a", "b"]`). Only
/// for reading expected values out of fixtures in tests; the real importer is in
/// niveau-report.
pub fn table_cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_start_matches('|')
        .trim_end_matches('|')
        .split('|')
        .map(|c| c.trim().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_fixtures() {
        let text = fixture("os2/SOURCES.md");
        assert!(text.contains("CC BY-SA 4.0"));
    }

    #[test]
    fn splits_cells() {
        assert_eq!(table_cells("| R1 | Sandkasse |"), vec!["R1", "Sandkasse"]);
        assert_eq!(table_cells(" R1 | x"), vec!["R1", "x"]);
    }
}
