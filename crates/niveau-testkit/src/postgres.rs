//! Throw-away PostgreSQL databases for tests.
//!
//! The switch is the environment variable [`DATABASE_URL_VAR`]
//! (`NIVEAU_TEST_DATABASE_URL`): a URL of a role that may create databases, e.g.
//! `postgres://niveau:niveau@127.0.0.1:5432/postgres`. `scripts/ci-postgres.sh` installs
//! and starts a local server, creates that role and exports the variable; CI always runs
//! it.
//!
//! A test that needs PostgreSQL carries [`IGNORE_REASON`]'s text as
//! `#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]`, so a plain
//! `cargo test` lists it as ignored (not as a pass), and it runs with
//! `cargo test -- --include-ignored`. Run that way without the variable,
//! [`TestDatabase::create`] panics and names the variable and the script: a test that
//! was asked to run never passes without having run. A story that runs on both SQLite
//! and PostgreSQL is two tests, `…_on_sqlite` (not ignored) and `…_on_postgres`.
//!
//! Databases are created and dropped with the `psql` client (`postgresql-client`), so
//! this crate needs no database driver of its own and cannot disagree with the store's
//! driver about anything but SQL. The password travels in `PGPASSWORD`, never on the
//! command line.
//!
//! ```no_run
//! use niveau_testkit::postgres::TestDatabase;
//!
//! // In a test marked #[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]:
//! let db = TestDatabase::create(); // panics if NIVEAU_TEST_DATABASE_URL is not set
//! // Connect the store to `db.url`; the database is dropped when `db` goes out of scope.
//! # let _ = db.url;
//! ```

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use percent_encoding::percent_decode_str;
use url::Url;

/// The environment variable that holds the administrative test database URL.
pub const DATABASE_URL_VAR: &str = "NIVEAU_TEST_DATABASE_URL";

/// The reason a PostgreSQL test gives in its `#[ignore = "…"]` attribute. Attributes
/// take only literals, so tests repeat this text; it is here to be found by grep.
pub const IGNORE_REASON: &str = "needs PostgreSQL: source scripts/ci-postgres.sh";

/// The administrative URL from [`DATABASE_URL_VAR`], if it is set and not empty.
///
/// Tests create their own databases through it ([`TestDatabase::create`]); they never
/// write into the database it names.
pub fn admin_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR)
        .ok()
        .map(|url| url.trim().to_owned())
        .filter(|url| !url.is_empty())
}

/// A database that exists for one test and is dropped when this value is dropped.
#[derive(Debug)]
pub struct TestDatabase {
    /// The connection URL of this database, with the password, ready for the store
    /// (`postgres://user:password@host:port/niveau_test_…`).
    pub url: String,
    /// The database's name, `niveau_test_<pid>_<counter>_<random>`.
    pub name: String,
    admin_url: String,
}

impl TestDatabase {
    /// Creates a new, empty database with a unique name, owned by the role of
    /// [`admin_url`].
    ///
    /// # Panics
    ///
    /// When [`DATABASE_URL_VAR`] is not set, with a message that names it and
    /// `scripts/ci-postgres.sh`: the caller is an ignored test that was asked to run
    /// (`--include-ignored`), and it must fail rather than pass without PostgreSQL.
    /// Panics with `psql`'s message when the variable is set but the database cannot be
    /// created (server down, wrong password, role without CREATEDB, no `psql`).
    #[track_caller]
    pub fn create() -> TestDatabase {
        TestDatabase::create_from(admin_url())
    }

    /// [`TestDatabase::create`] with the administrative URL given, `None` when unset.
    #[allow(clippy::panic)]
    #[track_caller]
    fn create_from(admin_url: Option<String>) -> TestDatabase {
        let Some(admin_url) = admin_url else {
            panic!("{}", missing_message());
        };
        match TestDatabase::create_at(&admin_url) {
            Ok(db) => db,
            Err(e) => panic!("cannot create a test database through {DATABASE_URL_VAR}: {e}"),
        }
    }

    /// Creates a new database through the given administrative URL.
    ///
    /// # Errors
    ///
    /// A message when the URL cannot be parsed or `psql` fails.
    pub fn create_at(admin_url: &str) -> Result<TestDatabase, String> {
        let name = unique_name();
        let mut url = Url::parse(admin_url).map_err(|e| format!("bad URL {admin_url:?}: {e}"))?;
        url.set_path(&format!("/{name}"));
        psql(admin_url, &format!("CREATE DATABASE \"{name}\""))?;
        Ok(TestDatabase {
            url: url.to_string(),
            name,
            admin_url: admin_url.to_owned(),
        })
    }

    /// Runs SQL in this database with `psql` and returns its unaligned, tuples-only
    /// output (see [`psql`]).
    ///
    /// # Errors
    ///
    /// `psql`'s message when the statement fails.
    pub fn psql(&self, sql: &str) -> Result<String, String> {
        psql(&self.url, sql)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // Best effort: `WITH (FORCE)` (PostgreSQL 13+) ends sessions a test left open.
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Err(e) = psql(&self.admin_url, &sql) {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}

/// What [`TestDatabase::create`] says when [`DATABASE_URL_VAR`] is not set.
fn missing_message() -> String {
    format!(
        "this test needs PostgreSQL, but {DATABASE_URL_VAR} is not set: \
         run `source scripts/ci-postgres.sh` first (a plain `cargo test` ignores this test)"
    )
}

/// Runs SQL with the `psql` client against the database that `url` names and returns
/// its output, unaligned and without headers (`psql -At`), so `SELECT 1` gives `"1\n"`.
///
/// The password in `url`, if any, is passed in `PGPASSWORD` and removed from the URL
/// that `psql` sees on its command line. No `~/.psqlrc` is read, and the first error
/// stops the script.
///
/// # Errors
///
/// A message with `psql`'s exit status and stderr when it fails or cannot be started.
pub fn psql(url: &str, sql: &str) -> Result<String, String> {
    let mut parsed = Url::parse(url).map_err(|e| format!("bad URL {url:?}: {e}"))?;
    // `url` keeps the password percent-encoded; libpq wants it as it is.
    let password = parsed
        .password()
        .map(|p| percent_decode_str(p).decode_utf8_lossy().into_owned());
    // Setting the password of a URL that has a host cannot fail.
    let _ = parsed.set_password(None);

    let mut command = Command::new("psql");
    command
        .args(["-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d"])
        .arg(parsed.as_str())
        .args(["-c", sql])
        .env("PGCONNECT_TIMEOUT", "10")
        .env_remove("PGPASSWORD");
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run psql (install postgresql-client): {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(format!(
            "psql failed ({}) running {sql:?} on {parsed}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// `niveau_test_<pid>_<counter>_<random>`: unique within the process by the counter,
/// across processes on one machine by the pid, and across machines or pid reuse (a
/// database left behind by a killed run) by the random part.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "niveau_test_{}_{counter}_{:08x}",
        std::process::id(),
        random_u32()
    )
}

/// 32 random bits. Hand-written because a name suffix needs no random-number crate:
/// std's `RandomState` is seeded from the operating system's randomness, mixed here
/// with the clock.
fn random_u32() -> u32 {
    let mut hasher = RandomState::new().build_hasher();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    hasher.write_u128(nanos);
    (hasher.finish() >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_valid_identifiers() {
        let a = unique_name();
        let b = unique_name();
        assert_ne!(a, b);
        let prefix = format!("niveau_test_{}_", std::process::id());
        assert!(a.starts_with(&prefix), "{a}");
        assert!(
            a.len() <= 63,
            "PostgreSQL truncates names past 63 bytes: {a}"
        );
        assert!(
            a.bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_'),
            "{a}"
        );
    }

    #[test]
    #[should_panic(
        expected = "this test needs PostgreSQL, but NIVEAU_TEST_DATABASE_URL is not set: \
                    run `source scripts/ci-postgres.sh` first"
    )]
    fn without_the_variable_a_test_fails_and_names_the_variable_and_the_script() {
        let _ = TestDatabase::create_from(None);
    }

    #[test]
    fn the_ignore_reason_names_the_script_of_the_message() {
        assert_eq!(
            IGNORE_REASON,
            "needs PostgreSQL: source scripts/ci-postgres.sh"
        );
        assert!(missing_message().contains("source scripts/ci-postgres.sh"));
    }
}
