//! `niveau`: the command line of Niveau, the software that runs OS2's governance model.
//!
//! The binary wires the library crates together, maps their typed errors to messages and
//! exit codes (anyhow lives only here), and prints.

/// `print!` that ends the program quietly when standard output is closed (`niveau … |
/// head`) instead of panicking, and returns other write errors.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!($($arg)*))?
    };
}

/// `println!` counterpart of [`out!`].
macro_rules! outln {
    () => {
        $crate::write_stdout("\n")?
    };
    ($($arg:tt)*) => {
        $crate::write_stdout(&format!("{}\n", format!($($arg)*)))?
    };
}

mod check_cmd;
mod config;
mod db_cmd;
mod demo;
mod logging;
mod model_cmd;
mod propose_view;
mod publish_cmd;
mod report_cmd;
mod serve_cmd;
mod user_cmd;

use std::process::ExitCode;

/// mimalloc instead of glibc's allocator: under `niveau serve`'s load, glibc's per-arena
/// locks and free-list consolidation took about a sixth of the server's CPU time in
/// profiles (docs/performance.md, "API"); mimalloc's thread-local heaps avoid both. Built
/// without transparent huge pages (`no_thp`), which doubled its resident memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use niveau_model::Msg;
use niveau_report::Lang;

/// Exit code: the input was read but is not valid (e.g. a model file with problems).
pub const EXIT_INVALID: u8 = 1;
/// Exit code: usage error, or an input that could not be read at all.
pub const EXIT_USAGE: u8 = 2;

/// Niveau runs the governance model of a public-sector open-source community, first of
/// all OS2: the level model (sandkasse, 1, 2, 3), self-evaluations, the secretariat's
/// evaluations, the decision log and the portfolio.
///
/// Danish is the default language of the output; use --lang en for English.
#[derive(Debug, Parser)]
#[command(name = "niveau", version, about, long_about, propagate_version = true)]
struct Cli {
    /// Language of the output: da (dansk) or en (English).
    #[arg(long, global = true, env = "NIVEAU_LANG", default_value = "da", value_parser = parse_lang)]
    lang: Lang,

    #[command(subcommand)]
    command: Command,
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse::<Lang>().map_err(|e| e.to_string())
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Governance models: list, show, validate and compare them, and see how answers
    /// become proposed ratings.
    ///
    /// A model is the set of requirements (krav) a product is measured against, grouped
    /// in themes and levels. Three OS2 models are built in: os2-2018 (the model as
    /// revised in 2018), os2-2021 (the checklists of 2021–2023) and os2-1.1.0 (the
    /// governance report 1.1.0 used today).
    #[command(subcommand)]
    Model(model_cmd::ModelCommand),
    /// OS2 governance documents: import self-evaluations and evaluations of every
    /// generation, render them in OS2's official formats (Markdown, JSON, CSV, HTML,
    /// SVG), start a blank report, and propose ratings from a self-evaluation.
    #[command(subcommand)]
    Report(report_cmd::ReportCommand),
    /// Read evidence for OS2's formal requirements from source repositories, like a
    /// linter: per requirement a proposed rating (🟢🟡🔴), a confidence and the evidence,
    /// and the level those requirements alone would allow.
    ///
    /// A PATH is a local repository (work tree or bare); a URL is cloned into a cache
    /// first. Nothing from a repository is run. Exit code 0 ok, 1 below --min-level,
    /// 2 usage or read error, so it works as a CI gate.
    /// Example: `niveau check . --min-level 2`.
    Check(check_cmd::CheckArgs),
    /// publiccode.yml files: validate them against the standard.
    #[command(subcommand)]
    Publiccode(check_cmd::PubliccodeCommand),
    /// Run the web application: the JSON API, login, badges, /healthz, /readyz and
    /// /metrics, and the background workers.
    ///
    /// By default on the SQLite file niveau.db in the working directory (created and
    /// migrated on the first start); --database postgres://… runs on PostgreSQL.
    /// Settings: niveau.toml, NIVEAU_* variables and flags (docs/operations.md).
    /// Stops gracefully on SIGTERM or Ctrl-C.
    /// Example: `niveau serve --demo --database demo.db`.
    Serve(serve_cmd::ServeArgs),
    /// Apply pending database migrations and list them; --status only shows them.
    Migrate(db_cmd::MigrateArgs),
    /// Accounts and API tokens: add, list, passwd, token, disable, enable.
    User(user_cmd::UserArgs),
    /// Write a consistent backup of the whole database to a JSON file. Safe while the
    /// server runs.
    Backup(db_cmd::BackupArgs),
    /// Restore a backup into a database (refuses one that holds data, unless --force),
    /// then check its integrity.
    Restore(db_cmd::RestoreArgs),
    /// Load the example portfolio (data/demo/portfolio.toml, not OS2's official data)
    /// into an empty database, without starting the server.
    Demo(demo::DemoArgs),
    /// Write the public part of the portfolio as a static site that needs no server:
    /// the portfolio, product pages, published evaluations with their downloads, the
    /// decision log, statistics, badges and catalogue.json, Danish at the root and
    /// English under en/, with relative links. --out writes a directory; --git commits
    /// to a branch (default gh-pages) and pushes. Published evaluations keep permanent
    /// addresses (evalueringer/PRODUCT/ID-VERSION/) that later publications never break.
    /// Example: `niveau publish --out site --base-path /niveau/`.
    Publish(publish_cmd::PublishArgs),
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// JSON for programs (versioned schema, see docs/models.md).
    Json,
    /// Markdown, e.g. for a wiki or a pull-request comment.
    Md,
}

/// An error worded in Danish and English; `main` prints it in the language asked for.
/// `Display` gives the Danish text (the default language), e.g. for logs.
#[derive(Debug)]
pub struct Bilingual(pub Msg);

impl std::fmt::Display for Bilingual {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.da)
    }
}

impl std::error::Error for Bilingual {}

/// An error in Danish and English, for `anyhow` (`return Err(fail(da, en))`).
pub fn fail(da: impl Into<String>, en: impl Into<String>) -> anyhow::Error {
    Bilingual(Msg::new(da, en)).into()
}

/// "PLACE: cannot read: why" for a file that could not be read, in both languages.
pub fn read_failed(path: &std::path::Path, error: &std::io::Error) -> anyhow::Error {
    let io = Msg::io(error);
    fail(
        format!("kan ikke læse {}: {}", path.display(), io.da),
        format!("cannot read {}: {}", path.display(), io.en),
    )
}

/// A store failure under `context` ("kan ikke åbne databasen X"), wholly in each
/// language: the store's refusals in its own words, a file error in the system's words
/// ([`Msg::io`]); what the database driver said (English only) is given in English.
pub fn store_failed(context: Msg, error: niveau_store::StoreError) -> anyhow::Error {
    let cause = store_msg(error);
    fail(
        format!("{}: {}", context.da, cause.da),
        format!("{}: {}", context.en, cause.en),
    )
}

/// A store error in both languages (see [`store_failed`]).
pub fn store_msg(error: niveau_store::StoreError) -> Msg {
    use niveau_store::StoreError;
    match error {
        StoreError::Io { path, source } => {
            let io = Msg::io(&source);
            Msg::new(format!("{path}: {}", io.da), format!("{path}: {}", io.en))
        }
        StoreError::Config(m) => Msg::new(
            format!("databasens opsætning kan ikke bruges: {}", m.da),
            format!("database configuration: {}", m.en),
        ),
        // The driver's and serde's words are English only: the Danish text says what
        // happened and where to read their words.
        StoreError::Db(e) => Msg::new(
            "databasen svarede med en fejl (driverens besked står på engelsk med --lang en)",
            format!("database: {e}"),
        ),
        StoreError::Json(e) => Msg::new(
            "et gemt dokument kan ikke læses (detaljen står på engelsk med --lang en)",
            format!("a stored document cannot be read (json: {e})"),
        ),
        StoreError::Backup(m) => Msg::new(
            format!("sikkerhedskopien kan ikke bruges: {}", m.da),
            format!("the backup cannot be used: {}", m.en),
        ),
        other => niveau_app::AppError::Store(other).message(),
    }
}

/// An application error in both languages; a store failure with its cause (the operator
/// reads it, not a web visitor), an internal one with the text meant for the log.
pub fn app_msg(error: niveau_app::AppError) -> Msg {
    match error {
        niveau_app::AppError::Store(e) => store_msg(e),
        niveau_app::AppError::Internal(text) => Msg::new(
            format!("der skete en intern fejl ({text})"),
            format!("an internal error occurred ({text})"),
        ),
        other => other.message(),
    }
}

/// The built-in models; a broken one is a bug, reported in both languages.
pub fn builtin_registry() -> anyhow::Result<niveau_model::Registry> {
    niveau_model::Registry::builtin().map_err(|p| {
        let p = p.msg();
        fail(
            format!(
                "en indbygget model er i stykker (meld det venligst):\n{}",
                p.da
            ),
            format!("a built-in model is broken (please report this):\n{}", p.en),
        )
    })
}

/// The built-in proposal table; a broken one is a bug, reported in both languages.
pub fn builtin_table() -> anyhow::Result<niveau_model::ProposalTable> {
    niveau_model::ProposalTable::builtin().map_err(|p| {
        let p = p.msg();
        fail(
            format!("den indbyggede forslagstabel er i stykker:\n{}", p.da),
            format!("the built-in proposal table is broken:\n{}", p.en),
        )
    })
}

/// A library error that says itself in both languages.
pub trait Describe {
    /// The error in Danish and English.
    fn describe(&self) -> Msg;
}

impl Describe for niveau_model::UnknownModel {
    fn describe(&self) -> Msg {
        self.msg()
    }
}

impl Describe for niveau_model::Problems {
    fn describe(&self) -> Msg {
        self.msg()
    }
}

impl Describe for niveau_report::import::ImportError {
    fn describe(&self) -> Msg {
        self.msg()
    }
}

impl Describe for niveau_report::export::ExportError {
    fn describe(&self) -> Msg {
        self.msg()
    }
}

impl Describe for niveau_scan::ScanError {
    fn describe(&self) -> Msg {
        self.msg()
    }
}

impl Describe for config::ConfigError {
    fn describe(&self) -> Msg {
        self.msg()
    }
}

/// Turns a library error into a [`Bilingual`] one where it enters the binary:
/// `registry.get(id).bilingual()?`.
pub trait OrBilingual<T> {
    /// The result, its error in both languages.
    fn bilingual(self) -> anyhow::Result<T>;
}

impl<T, E: Describe> OrBilingual<T> for Result<T, E> {
    fn bilingual(self) -> anyhow::Result<T> {
        self.map_err(|e| Bilingual(e.describe()).into())
    }
}

/// An error as the user reads it: a [`Bilingual`] one wholly in `lang`; any other (from
/// code that does not word its errors in both languages yet) as `anyhow` prints it.
pub fn error_text(err: &anyhow::Error, lang: Lang) -> String {
    match err.downcast_ref::<Bilingual>() {
        Some(Bilingual(msg)) => lang.msg(msg).to_owned(),
        None => format!("{err:#}"),
    }
}

/// Writes to standard output; a closed pipe ends the program with success.
pub fn write_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(e.into()),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Model(cmd) => model_cmd::run(cmd, cli.lang),
        Command::Report(cmd) => report_cmd::run(cmd, cli.lang),
        Command::Check(args) => check_cmd::run_check(args, cli.lang),
        Command::Publiccode(cmd) => check_cmd::run_publiccode(cmd, cli.lang),
        Command::Serve(args) => serve_cmd::run(args, cli.lang),
        Command::Migrate(args) => db_cmd::run_migrate(args, cli.lang),
        Command::User(args) => user_cmd::run(args, cli.lang),
        Command::Backup(args) => db_cmd::run_backup(args, cli.lang),
        Command::Restore(args) => db_cmd::run_restore(args, cli.lang),
        Command::Demo(args) => demo::run(args, cli.lang),
        Command::Publish(args) => publish_cmd::run(args, cli.lang),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            let label = cli.lang.pick("fejl", "error");
            eprintln!("{label}: {}", error_text(&err, cli.lang));
            ExitCode::from(EXIT_USAGE)
        }
    }
}
