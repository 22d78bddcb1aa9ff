//! `niveau migrate`, `niveau backup` and `niveau restore`, and what every command that
//! uses the database shares: the flags, the configuration, the connection.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::backup::BackupFile;
use niveau_store::{Backend, Store};

use crate::config::{self, Config, Overrides};
use crate::{OrBilingual, fail};

/// The flags of every command that uses the database.
#[derive(Debug, Clone, Args)]
pub struct DbArgs {
    /// The configuration file (default: ./niveau.toml if it exists).
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,
    /// The database: a SQLite file (created when missing) or a postgres:// URL.
    /// Overrides [database] url and NIVEAU_DATABASE__URL. Default: niveau.db.
    #[arg(long, value_name = "URL", global = true)]
    pub database: Option<String>,
}

impl DbArgs {
    /// The configuration with these flags applied (and `listen`, for `serve`).
    pub fn load_config(&self, listen: Option<String>) -> Result<Config> {
        config::load(
            self.config.as_deref(),
            &Overrides {
                database_url: self.database.clone(),
                listen,
            },
        )
        .bilingual()
    }
}

/// `niveau migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// Only show the schema version and the pending migrations; change nothing.
    #[arg(long)]
    pub status: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// `niveau backup`.
#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The file to write (JSON, format niveau-backup/1). It is written to a temporary
    /// file next to it and renamed into place, so a reader never sees half a backup.
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArgs,
}

/// `niveau restore`.
#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// A file written by `niveau backup`.
    pub file: PathBuf,
    /// Replace the contents of a database that is not empty.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// A multi-threaded runtime for the commands that talk to the database.
pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            let io = Msg::io(&e);
            fail(
                format!("kan ikke starte den asynkrone kørsel: {}", io.da),
                format!("cannot start the async runtime: {}", io.en),
            )
        })
}

/// The database URL with any password replaced by `***`, for messages and logs.
pub fn display_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// The SQLite file a URL names, if it names one (not PostgreSQL, not `:memory:`).
pub fn sqlite_file(url: &str) -> Result<Option<PathBuf>> {
    let (driver, backend) = niveau_store::normalise_url(url)?;
    if backend != Backend::Sqlite || driver == "sqlite::memory:" {
        return Ok(None);
    }
    let file = driver
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap_or_default();
    Ok(Some(PathBuf::from(file)))
}

/// Connect to the configured database. With `must_exist`, a SQLite file that is not
/// there is an error instead of being created.
pub async fn connect(config: &Config, must_exist: bool, lang: Lang) -> Result<Store> {
    let url = &config.database.url;
    if must_exist
        && let Some(file) = sqlite_file(url)?
        && !file.exists()
    {
        bail!(
            "{}: {}",
            file.display(),
            lang.pick(
                "databasefilen findes ikke (niveau migrate eller niveau serve opretter den)",
                "the database file does not exist (niveau migrate or niveau serve creates it)"
            )
        );
    }
    Store::connect(url, &config.database.store_options())
        .await
        .map_err(|e| {
            let url = display_url(url);
            crate::store_failed(
                Msg::new(
                    format!("kan ikke åbne databasen {url}"),
                    format!("cannot open the database {url}"),
                ),
                e,
            )
        })
}

/// Connect and apply pending migrations, logging what was applied.
pub async fn connect_migrated(config: &Config, lang: Lang) -> Result<Store> {
    let store = connect(config, false, lang).await?;
    let report = store.migrate().await.map_err(|e| {
        crate::store_failed(
            Msg::new(
                "databasen kunne ikke migreres",
                "the database could not be migrated",
            ),
            e,
        )
    })?;
    for name in &report.applied {
        tracing::info!(migration = %name, "applied migration");
    }
    Ok(store)
}

/// `niveau migrate [--status]`.
pub fn run_migrate(args: MigrateArgs, lang: Lang) -> Result<ExitCode> {
    let config = args.db.load_config(None)?;
    crate::logging::init(&config.log, crate::logging::COMMAND_LEVEL)?;
    runtime()?.block_on(async {
        if args.status {
            let store = connect(&config, true, lang).await?;
            let version = store.schema_version().await?;
            let pending = store.pending_migrations().await?;
            outln!(
                "{}: {}",
                lang.pick("database", "database"),
                display_url(&config.database.url)
            );
            outln!(
                "{}: {}",
                lang.pick("skemaversion", "schema version"),
                version.as_deref().unwrap_or(lang.pick("(tom)", "(empty)"))
            );
            if pending.is_empty() {
                outln!(
                    "{}",
                    lang.pick("ingen ventende migreringer", "no pending migrations")
                );
            } else {
                outln!(
                    "{} ({}):",
                    lang.pick("ventende migreringer", "pending migrations"),
                    pending.len()
                );
                for name in &pending {
                    outln!("  {name}");
                }
            }
            return Ok(ExitCode::SUCCESS);
        }
        let store = connect(&config, false, lang).await?;
        let report = store.migrate().await?;
        if report.applied.is_empty() {
            outln!(
                "{} ({} {})",
                lang.pick(
                    "databasen er opdateret; intet at migrere",
                    "the database is up to date; nothing to migrate"
                ),
                report.total,
                lang.pick("migreringer", "migrations")
            );
        } else {
            outln!(
                "{} {}:",
                lang.pick("anvendte migreringer på", "applied migrations to"),
                display_url(&config.database.url)
            );
            for name in &report.applied {
                outln!("  {name}");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Write `bytes` to `path` atomically: a temporary file in the same directory, synced,
/// renamed over `path`, and the directory synced, so that after a crash `path` holds
/// either the old content or the new, never a mixture.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let failed = |place: &Path, da: &str, en: &str, e: &std::io::Error| {
        let io = Msg::io(e);
        fail(
            format!("{}: {da}: {}", place.display(), io.da),
            format!("{}: {en}: {}", place.display(), io.en),
        )
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".niveau-backup-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| {
            failed(
                dir,
                "kan ikke oprette en midlertidig fil",
                "cannot create a temporary file",
                &e,
            )
        })?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| failed(tmp.path(), "kan ikke skrive", "cannot write", &e))?;
    tmp.persist(path).map_err(|e| {
        failed(
            path,
            "kan ikke omdøbes på plads",
            "cannot rename into place",
            &e.error,
        )
    })?;
    // Make the rename itself durable.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

fn print_counts(backup: &BackupFile, lang: Lang) -> Result<()> {
    let counts = backup.counts();
    let width = counts.keys().map(String::len).max().unwrap_or(0);
    for (table, rows) in &counts {
        outln!("  {table:<width$}  {rows:>7}");
    }
    let total: usize = counts.values().sum();
    outln!(
        "  {:<width$}  {total:>7}",
        lang.pick("i alt", "total"),
        width = width
    );
    Ok(())
}

/// `niveau backup FILE`.
pub fn run_backup(args: BackupArgs, lang: Lang) -> Result<ExitCode> {
    let config = args.db.load_config(None)?;
    crate::logging::init(&config.log, crate::logging::COMMAND_LEVEL)?;
    runtime()?.block_on(async {
        let store = connect(&config, true, lang).await?;
        let backup = store.backup().await.map_err(|e| {
            crate::store_failed(
                Msg::new("sikkerhedskopien mislykkedes", "the backup failed"),
                e,
            )
        })?;
        let json = serde_json::to_vec_pretty(&backup)?;
        write_atomic(&args.file, &json)?;
        outln!(
            "{} {} ({} {}, {} {}):",
            lang.pick("sikkerhedskopi skrevet til", "backup written to"),
            args.file.display(),
            lang.pick("skema", "schema"),
            backup.schema.as_deref().unwrap_or("-"),
            json.len(),
            lang.pick("bytes", "bytes"),
        );
        print_counts(&backup, lang)?;
        Ok(ExitCode::SUCCESS)
    })
}

/// Read and parse a backup file; errors name the file, and for JSON the line and column.
pub fn read_backup(path: &Path, lang: Lang) -> Result<BackupFile> {
    let english = lang == Lang::En;
    // The system's error in the chosen language, under "PATH: cannot be read".
    let bytes = std::fs::read(path)
        .map_err(|e| anyhow!("{}", Msg::io(&e).pick(english)))
        .with_context(|| {
            format!(
                "{}: {}",
                path.display(),
                lang.pick("kan ikke læses", "cannot be read")
            )
        })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        // serde_json's message ends with "at line L column C"; the place is said once.
        let message = e.to_string();
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        let fallback = match e.classify() {
            serde_json::error::Category::Data => "passer ikke til formatet",
            serde_json::error::Category::Eof => "JSON-teksten slutter for tidligt",
            _ => "ugyldig JSON",
        };
        anyhow!(
            "{}:{}:{}: {}: {}",
            path.display(),
            e.line(),
            e.column(),
            lang.pick("ikke en Niveau-sikkerhedskopi", "not a Niveau backup"),
            Msg::serde(&message, fallback).pick(english)
        )
    })
}

/// `niveau restore FILE [--force]`.
pub fn run_restore(args: RestoreArgs, lang: Lang) -> Result<ExitCode> {
    let config = args.db.load_config(None)?;
    crate::logging::init(&config.log, crate::logging::COMMAND_LEVEL)?;
    let backup = read_backup(&args.file, lang)?;
    runtime()?.block_on(async {
        let store = connect_migrated(&config, lang).await?;
        if !args.force && !store.is_empty().await? {
            bail!(
                "{} {} {}",
                display_url(&config.database.url),
                lang.pick(
                    "indeholder allerede data; gendannelsen ville erstatte dem. Brug --force for at erstatte alt i databasen med sikkerhedskopien",
                    "already holds data, which the restore would replace. Use --force to replace everything in the database with the backup"
                ),
                args.file.display()
            );
        }
        store
            .restore(&backup, args.force)
            .await
            .map_err(|e| {
                let file = args.file.display().to_string();
                crate::store_failed(Msg::new(file.clone(), file), e)
            })?;
        let problems = store.integrity_check().await?;
        if !problems.is_empty() {
            bail!(
                "{}:\n  {}",
                lang.pick(
                    "integritetstjekket efter gendannelsen fandt fejl",
                    "the integrity check after the restore found problems"
                ),
                problems.join("\n  ")
            );
        }
        outln!(
            "{} {} {} {} ({}):",
            lang.pick("gendannet", "restored"),
            args.file.display(),
            lang.pick("til", "into"),
            display_url(&config.database.url),
            lang.pick("integritetstjek: ok", "integrity check: ok"),
        );
        print_counts(&backup, lang)?;
        outln!(
            "{}",
            lang.pick(
                "Alle er logget ud: sessioner gemmes ikke i sikkerhedskopien.",
                "Everyone is logged out: sessions are not part of a backup."
            )
        );
        Ok(ExitCode::SUCCESS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_in_urls() {
        assert_eq!(
            display_url("postgres://niveau:secret@db.example:5432/niveau"),
            "postgres://niveau:***@db.example:5432/niveau"
        );
        assert_eq!(
            display_url("postgres://niveau@db/niveau"),
            "postgres://niveau@db/niveau"
        );
        assert_eq!(display_url("niveau.db"), "niveau.db");
        assert_eq!(
            display_url("postgres://u:p@ss@h/db"),
            "postgres://u:***@h/db"
        );
    }

    #[test]
    fn sqlite_files_are_found_in_urls() {
        assert_eq!(
            sqlite_file("data/niveau.db").unwrap(),
            Some(PathBuf::from("data/niveau.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/niveau/niveau.db").unwrap(),
            Some(PathBuf::from("/var/lib/niveau/niveau.db"))
        );
        assert_eq!(sqlite_file("postgres://u@h/db").unwrap(), None);
        assert_eq!(sqlite_file(":memory:").unwrap(), None);
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.json");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "second");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["b.json".to_string()]);
    }

    #[test]
    fn a_broken_backup_names_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.json");
        std::fs::write(
            &path,
            "{\n  \"format\": \"niveau-backup/1\",\n  \"tables\": [\n",
        )
        .unwrap();
        let err = read_backup(&path, Lang::En).unwrap_err().to_string();
        assert!(
            err == format!(
                "{}:3:12: not a Niveau backup: invalid type: sequence, expected a map",
                path.display()
            ),
            "{err}"
        );
        let err = read_backup(&dir.path().join("missing.json"), Lang::En)
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("missing.json: cannot be read"), "{err}");
    }
}
