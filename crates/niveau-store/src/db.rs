//! Connecting: URL handling, SQLite pragmas, the write lock, the clock.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use niveau_model::Msg;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection};
use tokio::sync::{Mutex, MutexGuard};

use crate::error::{Result, StoreError};

/// A source of "now", replaceable in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Which database the store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Connection options beyond the URL.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Largest number of pooled connections.
    pub max_connections: u32,
    /// How long SQLite waits for a lock held by another process.
    pub busy_timeout: Duration,
    /// Log every SQL statement at debug level.
    pub log_statements: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 16,
            busy_timeout: Duration::from_secs(5),
            log_statements: false,
        }
    }
}

/// The store: a pooled connection plus what the store needs around it.
#[derive(Clone)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    backend: Backend,
    /// SQLite allows one writer at a time. Serialising write transactions inside the process
    /// turns lock errors into a short wait; PostgreSQL needs no such lock.
    write_lock: Option<Arc<Mutex<()>>>,
    /// How long SQLite waits for another connection's lock (see [`StoreOptions`]).
    busy_timeout: Duration,
    clock: Clock,
    /// What self-evaluation versions may take (see [`crate::versions`]).
    pub(crate) upload_limits: crate::versions::UploadLimits,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

/// Turn what a user may write (`niveau.db`, `sqlite:niveau.db`, `sqlite://…`,
/// `postgres://…`) into a driver URL and the backend it names.
pub fn normalise_url(url: &str) -> Result<(String, Backend)> {
    let url = url.trim();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((url.to_string(), Backend::Postgres));
    }
    if url == "sqlite::memory:" || url == ":memory:" {
        return Ok(("sqlite::memory:".to_string(), Backend::Sqlite));
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.is_empty() {
        return Err(StoreError::Config(Msg::new(
            "databasens sti er tom",
            "empty database path",
        )));
    }
    if path.contains("://") {
        return Err(StoreError::Config(Msg::new(
            format!("{url}: kun SQLite-filer og postgres://-adresser understøttes"),
            format!("{url}: only sqlite files and postgres:// URLs are supported"),
        )));
    }
    let (file, query) = match path.split_once('?') {
        Some((file, query)) => (file, Some(query)),
        None => (path, None),
    };
    let mut driver = format!("sqlite://{file}?mode=rwc");
    if let Some(query) = query {
        for part in query.split('&').filter(|p| !p.starts_with("mode=")) {
            driver.push('&');
            driver.push_str(part);
        }
    }
    Ok((driver, Backend::Sqlite))
}

impl Store {
    /// Connect to `url` (see [`normalise_url`]). A SQLite file is created when missing, with
    /// WAL journalling, foreign keys on and full synchronous commits (an acknowledged write
    /// survives a crash of the process and of the machine).
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Store> {
        let (driver_url, backend) = normalise_url(url)?;
        if backend == Backend::Sqlite && driver_url != "sqlite::memory:" {
            let file = driver_url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap_or_default();
            if let Some(parent) = Path::new(file).parent()
                && !parent.as_os_str().is_empty()
                && !parent.exists()
            {
                std::fs::create_dir_all(parent).map_err(|source| StoreError::Io {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
        }
        let mut opts = ConnectOptions::new(driver_url.clone());
        let max = if driver_url == "sqlite::memory:" {
            // Every in-memory connection would be its own database.
            1
        } else {
            options.max_connections.max(1)
        };
        opts.max_connections(max)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30))
            .sqlx_logging(options.log_statements)
            .sqlx_logging_level(tracing::log::LevelFilter::Debug);
        if backend == Backend::Postgres {
            // A PostgreSQL connection can die while it waits in the pool (a server restart,
            // a proxy or firewall closing idle connections), so one that has been idle for a
            // while is pinged before use. Pinging every connection on every acquire, sqlx's
            // default, cost a round trip per query under load (docs/performance.md, "API").
            opts.test_before_acquire_if_idle_for(Duration::from_secs(10));
        }
        if backend == Backend::Sqlite {
            // A SQLite connection is a file handle in this process: it cannot go stale the
            // way a network connection can, so the pool's ping before every acquire only
            // costs a round trip to the connection's worker thread (two per list request).
            opts.test_before_acquire(false);
            let busy = options.busy_timeout.as_millis();
            opts.map_sqlx_sqlite_opts(move |o| {
                o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_millis(busy as u64))
            });
        }
        let db = Database::connect(opts).await?;
        Ok(Store {
            db,
            backend,
            write_lock: (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(()))),
            busy_timeout: options.busy_timeout,
            clock: Arc::new(Utc::now),
            upload_limits: crate::versions::UploadLimits::default(),
        })
    }

    /// Which database this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// How long a SQLite connection waits for a lock held by another connection or process.
    pub fn busy_timeout(&self) -> Duration {
        self.busy_timeout
    }

    /// Replace the clock (tests).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// Now, by the store's clock. Timestamps are kept to the millisecond, the same on every backend.
    pub fn now(&self) -> DateTime<Utc> {
        let now = (self.clock)();
        DateTime::from_timestamp_millis(now.timestamp_millis()).unwrap_or(now)
    }

    /// Hold this while a write transaction is open.
    pub(crate) async fn write_guard(&self) -> Option<MutexGuard<'_, ()>> {
        match &self.write_lock {
            Some(lock) => Some(lock.lock().await),
            None => None,
        }
    }

    /// Close the pool. On SQLite the write-ahead log is first folded into the database
    /// file (a checkpoint), so a stopped server leaves one self-contained file behind.
    pub async fn close(&self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            let _guard = self.write_guard().await;
            self.db
                .execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                .await?;
        }
        self.db.clone().close().await?;
        Ok(())
    }

    /// A cheap query that proves the database answers (for /readyz).
    pub async fn ping(&self) -> Result<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// The connection, for code in this crate.
    pub(crate) fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Check the database's own integrity: `PRAGMA integrity_check` and
    /// `PRAGMA foreign_key_check` on SQLite; on PostgreSQL, that every foreign key
    /// points at a row (the server guards its own pages). Returns the problems found.
    pub async fn integrity_check(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        match self.backend {
            Backend::Sqlite => {
                let rows = self
                    .db
                    .query_all_raw(sea_orm::Statement::from_string(
                        DatabaseBackend::Sqlite,
                        "PRAGMA integrity_check",
                    ))
                    .await?;
                for row in rows {
                    let line: String = row.try_get_by_index(0)?;
                    if line != "ok" {
                        problems.push(line);
                    }
                }
                let rows = self
                    .db
                    .query_all_raw(sea_orm::Statement::from_string(
                        DatabaseBackend::Sqlite,
                        "PRAGMA foreign_key_check",
                    ))
                    .await?;
                for row in rows {
                    let table: String = row.try_get_by_index(0)?;
                    let rowid: i64 = row.try_get_by_index(1).unwrap_or_default();
                    let parent: String = row.try_get_by_index(2).unwrap_or_default();
                    problems.push(format!(
                        "{table} row {rowid} points at a missing {parent} row"
                    ));
                }
            }
            Backend::Postgres => {
                for (table, column, parent) in crate::FOREIGN_KEYS {
                    let sql = format!(
                        "SELECT COUNT(*) FROM \"{table}\" c WHERE c.\"{column}\" IS NOT NULL \
                         AND NOT EXISTS (SELECT 1 FROM \"{parent}\" p WHERE p.id = c.\"{column}\")"
                    );
                    let row = self
                        .db
                        .query_one_raw(sea_orm::Statement::from_string(
                            DatabaseBackend::Postgres,
                            sql,
                        ))
                        .await?;
                    let count: i64 = match row {
                        Some(row) => row.try_get_by_index(0)?,
                        None => 0,
                    };
                    if count > 0 {
                        problems.push(format!(
                            "{table}.{column}: {count} rows point at a missing {parent} row"
                        ));
                    }
                }
            }
        }
        Ok(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised() {
        assert_eq!(
            normalise_url("niveau.db").unwrap(),
            ("sqlite://niveau.db?mode=rwc".to_string(), Backend::Sqlite)
        );
        assert_eq!(
            normalise_url("sqlite:data/x.db").unwrap().0,
            "sqlite://data/x.db?mode=rwc"
        );
        assert_eq!(
            normalise_url("sqlite:///abs/x.db?mode=ro").unwrap().0,
            "sqlite:///abs/x.db?mode=rwc"
        );
        assert_eq!(
            normalise_url("postgres://u:p@localhost/db").unwrap().1,
            Backend::Postgres
        );
        assert!(normalise_url("mysql://x").is_err());
        assert!(normalise_url("").is_err());
    }
}
