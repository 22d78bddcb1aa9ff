//! The configuration of the commands that use the database (`serve`, `migrate`, `user`,
//! `backup`, `restore`, `demo`).
//!
//! Sources, each overriding the one before it:
//!
//! 1. built-in defaults (the `Default` impls below and [`WebConfig`]'s);
//! 2. a TOML file: `--config FILE`, or `./niveau.toml` when that file exists;
//! 3. environment variables `NIVEAU_<SECTION>__<KEY>`, `__` for each level of nesting
//!    (`NIVEAU_DATABASE__URL`, `NIVEAU_WEB__LOGIN__MAX_FAILURES`). Only variables with a
//!    `__` are configuration: `NIVEAU_LANG` and the test suites' `NIVEAU_TEST_*` are not;
//! 4. command-line flags (`--database`, `--listen`).
//!
//! Every section and key is checked: an unknown key is an error that names the key and
//! where it came from (the file, or the environment variable), and so is a value of the
//! wrong type. The merging is figment's; the messages are ours, so that they say
//! "niveau.toml: server.listn: unknown key" rather than figment's profile paths.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format as _, Serialized, Toml};
use niveau_model::Msg;
use niveau_web::WebConfig;
use serde::Deserialize;

/// The file read when `--config` is not given, if it exists in the working directory.
pub const DEFAULT_CONFIG_FILE: &str = "niveau.toml";

/// The prefix of configuration environment variables.
pub const ENV_PREFIX: &str = "NIVEAU_";

/// The whole configuration.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `[database]`: where the data live.
    pub database: DatabaseConfig,
    /// `[server]`: the HTTP listener and shutdown.
    pub server: ServerConfig,
    /// `[log]`: the log output.
    pub log: LogConfig,
    /// `[web]`: the web application (`[web.login]`, `[web.worker]`, `[web.oidc]`).
    pub web: WebConfig,
    /// `[mail]`: the SMTP server for e-mail notifications; none: nothing is sent (the
    /// notifications wait in the outbox).
    pub mail: Option<niveau_app::mail::MailConfig>,
    /// `[publish]`: the static site the server publishes after each publication of an
    /// evaluation (off by default).
    pub publish: niveau_web::config::PublishConfig,
}

/// `[database]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// A SQLite file (`niveau.db`, `sqlite:/var/lib/niveau/niveau.db`) or a PostgreSQL
    /// URL (`postgres://user:password@host/db`). A SQLite file is created when missing.
    pub url: String,
    /// The largest number of pooled connections.
    pub max_connections: u32,
    /// How long SQLite waits for a lock held by another process, in milliseconds.
    pub busy_timeout_ms: u64,
    /// Log every SQL statement (at debug level).
    pub log_statements: bool,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig {
            url: "niveau.db".into(),
            max_connections: 16,
            busy_timeout_ms: 5000,
            log_statements: false,
        }
    }
}

impl DatabaseConfig {
    /// The store's connection options.
    pub fn store_options(&self) -> niveau_store::StoreOptions {
        niveau_store::StoreOptions {
            max_connections: self.max_connections.max(1),
            busy_timeout: std::time::Duration::from_millis(self.busy_timeout_ms),
            log_statements: self.log_statements,
        }
    }
}

/// `[server]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// The address to listen on, `host:port`. Port 0 picks a free port; the address
    /// actually used is printed.
    pub listen: String,
    /// After SIGTERM or Ctrl-C, how long requests in flight may take to finish before
    /// the server exits anyway, in seconds.
    pub shutdown_grace_seconds: u64,
    /// How many background workers (repository scans) this instance runs when
    /// `web.worker.enabled` is true.
    pub workers: u32,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            listen: "127.0.0.1:8080".into(),
            shutdown_grace_seconds: 30,
            workers: 1,
        }
    }
}

/// The log output's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One readable line per event.
    #[default]
    Human,
    /// One JSON object per line, for a log collector.
    Json,
}

/// `[log]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// `human` or `json`.
    pub format: LogFormat,
    /// Which events to write, as a tracing filter: `info`, `warn`,
    /// `info,niveau_store=debug`, `info,tower_http=debug`. Default: `info` for
    /// `niveau serve`, `warn` for the other commands (whose results are their output).
    pub level: Option<String>,
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig {
            format: LogFormat::Human,
            level: None,
        }
    }
}

impl LogConfig {
    /// The filter: the configured one, or `default`.
    pub fn filter<'a>(&'a self, default: &'a str) -> &'a str {
        self.level.as_deref().unwrap_or(default)
    }
}

/// Values from command-line flags; `None` leaves the setting to the other sources.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// `--database`.
    pub database_url: Option<String>,
    /// `--listen`.
    pub listen: Option<String>,
}

/// A configuration that cannot be used. The message names the source and the key, in
/// both languages; `Display` gives the English one.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.en)]
pub struct ConfigError(Msg);

impl ConfigError {
    fn new(da: impl Into<String>, en: impl Into<String>) -> Self {
        ConfigError(Msg::new(da, en))
    }

    /// The error in both languages.
    pub fn msg(&self) -> Msg {
        self.0.clone()
    }
}

/// Which file to read: the explicit one (which must exist), or `./niveau.toml` if present.
fn config_file(explicit: Option<&Path>) -> Result<Option<PathBuf>, ConfigError> {
    match explicit {
        Some(path) if path.is_file() => Ok(Some(path.to_path_buf())),
        Some(path) => Err(ConfigError::new(
            format!(
                "{}: konfigurationsfilen findes ikke eller er ikke en fil",
                path.display()
            ),
            format!(
                "{}: the configuration file does not exist or is not a file",
                path.display()
            ),
        )),
        None => {
            let default = Path::new(DEFAULT_CONFIG_FILE);
            Ok(default.is_file().then(|| default.to_path_buf()))
        }
    }
}

/// The environment provider: `NIVEAU_A__B_C=v` → `a.b_c = v`; variables without `__`
/// are not configuration.
fn env_provider() -> Env {
    Env::prefixed(ENV_PREFIX).filter_map(|key| {
        let key = key.as_str();
        key.contains("__").then(|| key.replace("__", ".").into())
    })
}

/// Load the configuration from every source.
pub fn load(explicit_file: Option<&Path>, overrides: &Overrides) -> Result<Config, ConfigError> {
    let file = config_file(explicit_file)?;
    let mut figment = Figment::new();
    if let Some(file) = &file {
        figment = figment.merge(Toml::file_exact(file));
    }
    figment = figment.merge(env_provider());
    if let Some(url) = &overrides.database_url {
        figment = figment.merge(Serialized::default("database.url", url));
    }
    if let Some(listen) = &overrides.listen {
        figment = figment.merge(Serialized::default("server.listen", listen));
    }
    let mut config: Config = figment
        .extract()
        .map_err(|e| describe(e, file.as_deref()))?;
    config.web.publish = config.publish.clone();
    check(&config)?;
    Ok(config)
}

/// Checks that serde cannot express.
fn check(config: &Config) -> Result<(), ConfigError> {
    if config.database.url.trim().is_empty() {
        return Err(ConfigError::new(
            "database.url: må ikke være tom",
            "database.url: must not be empty",
        ));
    }
    if let Some(level) = &config.log.level
        && let Err(e) = tracing_subscriber::EnvFilter::try_new(level)
    {
        return Err(ConfigError::new(
            format!(
                "log.level: '{level}' er ikke et logfilter; eksempler: info, warn, info,niveau_store=debug"
            ),
            format!(
                "log.level: '{level}' is not a log filter ({e}); examples: info, warn, info,niveau_store=debug"
            ),
        ));
    }
    Ok(())
}

/// Figment's problem in both languages: unknown and missing keys in our words, the rest
/// (serde's sentences, TOML syntax) translated where known.
fn problem_msg(kind: &figment::error::Kind) -> Msg {
    use figment::error::Kind;
    match kind {
        Kind::UnknownField(_, []) => Msg::new("ukendt nøgle", "unknown key"),
        Kind::UnknownField(_, expected) => {
            let known = expected.join(", ");
            Msg::new(
                format!("ukendt nøgle; kendte nøgler her: {known}"),
                format!("unknown key; known keys here: {known}"),
            )
        }
        Kind::MissingField(_) => Msg::new("mangler", "missing"),
        Kind::UnknownVariant(found, expected) => Msg::new(
            format!(
                "ukendt værdi `{found}`; mulige værdier: {}",
                expected.join(", ")
            ),
            kind.to_string(),
        ),
        Kind::InvalidType(..) => Msg::new("værdien har en forkert type", kind.to_string()),
        Kind::InvalidValue(..) => Msg::new("ugyldig værdi", kind.to_string()),
        Kind::InvalidLength(..) => Msg::new("forkert antal elementer", kind.to_string()),
        Kind::Message(message) => {
            // The TOML provider's syntax error: "TOML parse error at line L, column C …".
            let place = message
                .split_once(" at line ")
                .and_then(|(_, rest)| rest.split_once(", column "))
                .and_then(|(line, rest)| {
                    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
                    (line.parse::<usize>().is_ok() && !column.is_empty())
                        .then(|| format!("linje {line}, kolonne {column}"))
                });
            match place {
                Some(place) if message.contains("TOML") => {
                    Msg::new(format!("ugyldig TOML i {place}"), message.clone())
                }
                _ => Msg::serde(message, "ugyldig værdi"),
            }
        }
        other => Msg::new("ugyldig værdi", other.to_string()),
    }
}

/// Turn figment's errors into "SOURCE: KEY: PROBLEM" lines.
fn describe(error: figment::Error, file: Option<&Path>) -> ConfigError {
    let mut da = String::new();
    let mut en = String::new();
    for (i, e) in error.into_iter().enumerate() {
        if i > 0 {
            da.push('\n');
            en.push('\n');
        }
        let mut path: Vec<String> = e.path.clone();
        // The key at fault ends the path.
        let field = match &e.kind {
            figment::error::Kind::UnknownField(field, _) => Some(field.as_str()),
            figment::error::Kind::MissingField(field) => Some(field.as_ref()),
            _ => None,
        };
        if let Some(field) = field
            && path.last().map(String::as_str) != Some(field)
        {
            path.push(field.to_owned());
        }
        let problem = problem_msg(&e.kind);
        let key = path.join(".");
        let source = match e.metadata.as_ref() {
            Some(md) if md.name.contains("environment") => {
                let var = format!("{ENV_PREFIX}{}", path.join("__").to_uppercase());
                Msg::new(
                    format!("miljøvariablen {var}"),
                    format!("environment variable {var}"),
                )
            }
            Some(md) => match &md.source {
                Some(figment::Source::File(path)) => {
                    let p = path.display().to_string();
                    Msg::new(p.clone(), p)
                }
                _ if md.name.contains("Serialized") => {
                    Msg::new("kommandolinjeflag", "command-line flag")
                }
                _ => Msg::new(md.name.to_string(), md.name.to_string()),
            },
            None => match file {
                Some(f) => Msg::new(f.display().to_string(), f.display().to_string()),
                None => Msg::new("konfigurationen", "configuration"),
            },
        };
        for (out, english) in [(&mut da, false), (&mut en, true)] {
            let (source, problem) = (source.pick(english), problem.pick(english));
            if key.is_empty() {
                let _ = write!(out, "{source}: {problem}");
            } else {
                let _ = write!(out, "{source}: {key}: {problem}");
            }
        }
    }
    ConfigError(Msg::new(da, en))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("niveau-config-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn defaults_without_a_file() {
        let missing = Path::new("/nonexistent/niveau.toml");
        let err = load(Some(missing), &Overrides::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "/nonexistent/niveau.toml: the configuration file does not exist or is not a file"
        );
        let c = Config::default();
        assert_eq!(c.database.url, "niveau.db");
        assert_eq!(c.server.listen, "127.0.0.1:8080");
        assert_eq!(c.server.shutdown_grace_seconds, 30);
        assert_eq!(c.log.format, LogFormat::Human);
        assert_eq!(c.log.filter("info"), "info");
        assert_eq!(c.web.login.max_failures, 5);
    }

    #[test]
    fn file_values_and_flags_override_defaults() {
        let path = write(
            "full.toml",
            "[database]\nurl = \"from-file.db\"\nmax_connections = 4\n\n[server]\nlisten = \"0.0.0.0:9000\"\n\n[log]\nformat = \"json\"\nlevel = \"warn\"\n\n[web]\ndemo = true\n\n[web.login]\nmax_failures = 9\n\n[web.worker]\nenabled = false\n",
        );
        let c = load(Some(&path), &Overrides::default()).unwrap();
        assert_eq!(c.database.url, "from-file.db");
        assert_eq!(c.database.max_connections, 4);
        assert_eq!(c.server.listen, "0.0.0.0:9000");
        assert_eq!(c.log.format, LogFormat::Json);
        assert_eq!(c.log.filter("info"), "warn");
        assert!(c.web.demo);
        assert_eq!(c.web.login.max_failures, 9);
        assert_eq!(c.web.login.lock_minutes, 15);
        assert!(!c.web.worker.enabled);

        let flags = Overrides {
            database_url: Some("flag.db".into()),
            listen: Some("127.0.0.1:0".into()),
        };
        let c = load(Some(&path), &flags).unwrap();
        assert_eq!(c.database.url, "flag.db");
        assert_eq!(c.server.listen, "127.0.0.1:0");
        assert_eq!(c.database.max_connections, 4);
    }

    #[test]
    fn unknown_keys_name_the_file_and_the_key() {
        let path = write("unknown.toml", "[server]\nlistn = \"0.0.0.0:1\"\n");
        let err = load(Some(&path), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{}: server.listn: unknown key", path.display())),
            "{err}"
        );
        assert!(err.contains("listen"), "{err}");

        let path = write("unknown-nested.toml", "[web.login]\nmax_failure = 3\n");
        let err = load(Some(&path), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!(
                "{}: web.login.max_failure: unknown key",
                path.display()
            )),
            "{err}"
        );

        let path = write("section.toml", "[databse]\nurl = \"x\"\n");
        let err = load(Some(&path), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{}: databse: unknown key", path.display())),
            "{err}"
        );
    }

    #[test]
    fn errors_in_both_languages() {
        let missing = Path::new("/nonexistent/niveau.toml");
        let err = load(Some(missing), &Overrides::default()).unwrap_err();
        assert_eq!(
            err.msg().da,
            "/nonexistent/niveau.toml: konfigurationsfilen findes ikke eller er ikke en fil"
        );

        let path = write("unknown-da.toml", "[server]\nlistn = \"0.0.0.0:1\"\n");
        let m = load(Some(&path), &Overrides::default()).unwrap_err().msg();
        assert!(
            m.da.starts_with(&format!(
                "{}: server.listn: ukendt nøgle; kendte nøgler her: ",
                path.display()
            )),
            "{}",
            m.da
        );
        assert_eq!(
            m.en,
            load(Some(&path), &Overrides::default())
                .unwrap_err()
                .to_string()
        );

        let path = write("type-da.toml", "[database]\nmax_connections = \"many\"\n");
        let m = load(Some(&path), &Overrides::default()).unwrap_err().msg();
        assert_eq!(
            m.da,
            format!(
                "{}: database.max_connections: værdien har en forkert type",
                path.display()
            )
        );

        let path = write("syntax-da.toml", "[server]\nlisten = \n");
        let m = load(Some(&path), &Overrides::default()).unwrap_err().msg();
        assert!(m.da.contains("syntax-da.toml"), "{}", m.da);
        assert!(
            m.da.contains("ugyldig TOML i linje 2, kolonne "),
            "{}",
            m.da
        );

        let path = write("format-da.toml", "[log]\nformat = \"xml\"\n");
        let m = load(Some(&path), &Overrides::default()).unwrap_err().msg();
        assert!(
            m.da.starts_with(&format!(
                "{}: log.format: ukendt værdi `xml`; mulige værdier: human",
                path.display()
            )),
            "{}",
            m.da
        );

        let path = write("level-da.toml", "[log]\nlevel = \"info,[\"\n");
        let m = load(Some(&path), &Overrides::default()).unwrap_err().msg();
        assert_eq!(
            m.da,
            "log.level: 'info,[' er ikke et logfilter; eksempler: info, warn, info,niveau_store=debug"
        );
    }

    #[test]
    fn wrong_types_and_bad_toml_name_the_place() {
        let path = write("type.toml", "[database]\nmax_connections = \"many\"\n");
        let err = load(Some(&path), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{}: database.max_connections:", path.display())),
            "{err}"
        );

        let path = write("syntax.toml", "[server]\nlisten = \n");
        let err = load(Some(&path), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(err.contains("syntax.toml"), "{err}");
        assert!(err.contains("line 2"), "{err}");

        let path = write("format.toml", "[log]\nformat = \"xml\"\n");
        let err = load(Some(&path), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(&format!("{}: log.format:", path.display())),
            "{err}"
        );
        assert!(err.contains("human"), "{err}");

        let path = write("level.toml", "[log]\nlevel = \"info,[\"\n");
        let err = load(Some(&path), &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("log.level: 'info,[' is not a log filter"),
            "{err}"
        );
    }
}
