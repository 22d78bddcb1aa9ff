//! `niveau check` (repository evidence, like a linter) and `niveau publiccode validate`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use niveau_model::{Msg, Registry};
use niveau_report::Lang;
use niveau_scan::cache::{CheckCache, check_and_store, check_repository_cached};
use niveau_scan::check::{CheckOptions, CheckReport};
use niveau_scan::clone::{CloneLimits, clone_to_cache, file_url_path, is_url};
use niveau_scan::detectors::tool_results::{ToolKind, ToolResultFile};
use niveau_scan::forge_org::{self, ListLimits, OrgLocation, OrgSource, Token};
use niveau_scan::publiccode::{DirFiles, Outcome, validate_bytes};
use niveau_scan::remote_policy::RemotePolicy;
use niveau_scan::{Limits, render};
use rayon::prelude::*;

use crate::{Bilingual, EXIT_INVALID, EXIT_USAGE, OrBilingual, error_text, fail};

/// Output formats of `niveau check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Plain text for people.
    Text,
    /// JSON for machines (schema niveau.check/1).
    Json,
    /// Markdown for a pull-request comment.
    Md,
}

/// Arguments of `niveau check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Repositories: paths (a work tree or a bare repository), `file://` URLs (read in
    /// place, like paths) or https://, http:// and ssh:// URLs (cloned into the cache
    /// first).
    #[arg(required_unless_present_any = ["mirrors", "org"])]
    pub targets: Vec<String>,
    /// Treat the repositories as one product with this name: one verdict per requirement
    /// for the product, with each repository's evidence and a table of repositories.
    #[arg(long)]
    pub product: Option<String>,
    /// Every git repository directly under this directory is a repository of the product
    /// (named after the directory unless `--product` names it).
    #[arg(long)]
    pub mirrors: Option<PathBuf>,
    /// Every repository of a forge organisation is a repository of the product (named
    /// after the organisation unless `--product` names it): `https://github.com/ORG`,
    /// `https://codeberg.org/ORG`, `https://gitlab.com/GROUP`, or with the kind named,
    /// `github:ORG`, `forgejo:https://HOST/ORG`, `gitlab:https://HOST/GROUP`. Archived
    /// repositories, forks and private ones are skipped. A token for the forge's API is
    /// read from NIVEAU_FORGE_TOKEN.
    #[arg(long, value_name = "LOCATION")]
    pub org: Option<String>,
    /// The API base of the forge named by `--org` (GitHub Enterprise:
    /// `https://HOST/api/v3`), instead of the one its host implies.
    #[arg(long, value_name = "URL", requires = "org")]
    pub forge_api: Option<String>,
    /// With `--org`: check archived repositories too.
    #[arg(long, requires = "org")]
    pub include_archived: bool,
    /// With `--org`: check forks too.
    #[arg(long, requires = "org")]
    pub include_forks: bool,
    /// The model to report against.
    #[arg(long, default_value = "os2-1.1.0")]
    pub model: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Exit with code 1 when the level the automatable requirements allow is below this
    /// level (e.g. `sandkasse`, `1`, `2`) — for CI.
    #[arg(long)]
    pub min_level: Option<String>,
    /// How many repositories to scan at once (default: all cores).
    #[arg(long)]
    pub jobs: Option<usize>,
    /// Scan this revision (branch, tag, commit) instead of HEAD.
    #[arg(long)]
    pub rev: Option<String>,
    /// Where URLs are cloned (default: $XDG_CACHE_HOME/niveau/repos or
    /// ~/.cache/niveau/repos); check results are kept in its `checks` folder (default:
    /// $XDG_CACHE_HOME/niveau/checks).
    #[arg(long)]
    pub cache_dir: Option<PathBuf>,
    /// An OpenSSF Scorecard JSON result (`scorecard --format json`) to read as evidence.
    #[arg(long)]
    pub scorecard: Option<PathBuf>,
    /// An OpenSSF Best Practices project JSON to read as evidence.
    #[arg(long)]
    pub best_practices: Option<PathBuf>,
    /// Scan every repository again, even when its HEAD, its branches and the scanner are
    /// unchanged since a stored result of today (the result is still stored).
    #[arg(long)]
    pub no_cache: bool,
}

/// `niveau publiccode …`.
#[derive(Debug, Subcommand)]
pub enum PubliccodeCommand {
    /// Check publiccode.yml files against the publiccode.yml standard (0.2–0.5): valid,
    /// valid with warnings, or invalid, each problem with key, line and column. Exit code
    /// 0 when every file is valid (warnings allowed), 1 when one is invalid, 2 when one
    /// cannot be read. Relative paths in a file (logo, screenshots, authors file) must
    /// exist beside it. No network access is needed or attempted.
    Validate {
        /// publiccode.yml files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

fn cache_base() -> PathBuf {
    std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir)
        .join("niveau")
}

fn cache_dir(arg: Option<PathBuf>) -> PathBuf {
    arg.unwrap_or_else(|| cache_base().join("repos"))
}

/// Where check results are kept: `checks` in `--cache-dir`, or next to the default clone
/// cache.
fn checks_cache(arg: Option<&Path>) -> CheckCache {
    CheckCache::new(match arg {
        Some(dir) => dir.join("checks"),
        None => cache_base().join("checks"),
    })
}

/// What identifies a repository in the check cache: a URL as given, a path (or
/// `file://` location) as its canonical path.
fn cache_identity(target: &str, path: &Path) -> String {
    if is_url(target) && file_url_path(target).is_none() {
        return target.trim().to_owned();
    }
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_owned())
        .display()
        .to_string()
}

/// Checks `path`, through the check cache unless `--no-cache`: a stored result of today
/// for the same HEAD, branches, scanner, model, rev and limits is reused; a fresh result
/// is stored either way.
fn check_with_cache(
    target: &str,
    path: &Path,
    registry: &Registry,
    opts: &CheckOptions,
    checks: &CheckCache,
    no_cache: bool,
) -> Result<CheckReport> {
    let identity = cache_identity(target, path);
    if no_cache {
        return check_and_store(path, &identity, registry, opts, checks).bilingual();
    }
    check_repository_cached(path, &identity, registry, opts, checks).bilingual()
}

fn check_one(
    target: &str,
    cache: &Path,
    registry: &Registry,
    opts: &CheckOptions,
    checks: &CheckCache,
    no_cache: bool,
) -> Result<CheckReport> {
    // A `file://` location is read where it is, like a path: cloning it would start
    // `git-upload-pack`, and no git process is ever run.
    let path = if let Some(local) = file_url_path(target) {
        local
    } else if is_url(target) {
        clone_to_cache(
            target,
            cache,
            &RemotePolicy::local_user(),
            &CloneLimits::default(),
        )
        .bilingual()?
    } else {
        PathBuf::from(target)
    };
    if !path.exists() {
        // Said in both languages here rather than as git's English "does not appear to be
        // a git repository".
        return Err(fail(
            format!("{target}: ikke et læsbart git-repositorie: stien findes ikke"),
            format!("{target}: not a readable git repository: the path does not exist"),
        ));
    }
    let mut report = check_with_cache(target, &path, registry, opts, checks, no_cache)?;
    report.target = target.to_owned();
    Ok(report)
}

/// The result files given with `--scorecard` and `--best-practices`.
fn tool_result_files(
    scorecard: Option<PathBuf>,
    best_practices: Option<PathBuf>,
) -> Vec<ToolResultFile> {
    let scorecard = scorecard.map(|path| ToolResultFile {
        kind: ToolKind::Scorecard,
        path,
    });
    let best_practices = best_practices.map(|path| ToolResultFile {
        kind: ToolKind::BestPractices,
        path,
    });
    scorecard.into_iter().chain(best_practices).collect()
}

/// Runs `niveau check`.
pub fn run_check(mut args: CheckArgs, lang: Lang) -> Result<ExitCode> {
    let org = org_targets(&mut args, lang)?;
    let mut product_name = product_targets(&mut args)?;
    if let Some((location, _)) = &org
        && args.product.is_none()
    {
        product_name = Some(location.name().to_owned());
    }
    let registry = crate::builtin_registry()?;
    let model = registry.get(&args.model).bilingual()?.clone();
    let min_rank = match &args.min_level {
        Some(l) => Some(
            model
                .level(l)
                .ok_or_else(|| {
                    let known: Vec<&str> = model.levels().iter().map(|x| x.id.as_str()).collect();
                    let known = known.join(", ");
                    fail(
                        format!("ukendt niveau `{l}` i {}; niveauer: {known}", model.id()),
                        format!("unknown level `{l}` in {}; levels: {known}", model.id()),
                    )
                })?
                .rank,
        ),
        None => None,
    };
    let opts = CheckOptions {
        model: args.model.clone(),
        rev: args.rev.clone(),
        limits: Limits::default(),
        now: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0),
        tool_results: tool_result_files(args.scorecard, args.best_practices),
    };
    let checks = checks_cache(args.cache_dir.as_deref());
    let cache = cache_dir(args.cache_dir);
    let jobs = args
        .jobs
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .map_err(|e| {
            fail(
                "kan ikke starte trådene til kontrollen",
                format!("cannot start the worker threads: {e}"),
            )
        })?;
    let progress = if args.targets.len() > 1 && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(args.targets.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let results: Vec<(String, Result<CheckReport>)> = pool.install(|| {
        args.targets
            .par_iter()
            .map(|t| {
                let r = check_one(t, &cache, &registry, &opts, &checks, args.no_cache);
                progress.inc(1);
                progress.set_message(t.clone());
                (t.clone(), r)
            })
            .collect()
    });
    progress.finish_and_clear();

    if let Some(name) = product_name {
        let source =
            org.map(|(location, listing)| OrgSource::new(&location, &listing, lang == Lang::En));
        return report_product(
            &name,
            &results,
            &model,
            min_rank,
            args.format,
            lang,
            source.as_ref(),
        );
    }
    let english = lang == Lang::En;
    let mut worst = 0u8;
    let mut json_out = Vec::new();
    let mut summary = Vec::new();
    for (target, result) in &results {
        match result {
            Ok(report) => {
                let below = match (min_rank, report.allowed_level.as_ref()) {
                    (Some(min), Some(l)) => model.level(l.as_str()).is_none_or(|x| x.rank < min),
                    (Some(_), None) => true,
                    (None, _) => false,
                };
                if below {
                    worst = worst.max(EXIT_INVALID);
                }
                match args.format {
                    CheckFormat::Text => {
                        out!("{}", render::text(report, &model, english));
                        if results.len() > 1 {
                            outln!();
                        }
                    }
                    CheckFormat::Md => out!("{}", render::markdown(report, &model, english)),
                    CheckFormat::Json => json_out.push(serde_json::from_str::<serde_json::Value>(
                        &render::json(report)?,
                    )?),
                }
                let level = niveau_scan::check::headline(
                    &model,
                    report.allowed_level.as_ref(),
                    report.outcome,
                    english,
                );
                let count = |r: niveau_model::Rating| {
                    report.requirements.iter().filter(|x| x.rating == r).count()
                };
                summary.push(vec![
                    target.clone(),
                    if below {
                        lang.pick("UNDER", "BELOW")
                    } else {
                        "ok"
                    }
                    .to_owned(),
                    level,
                    format!(
                        "🟢 {} 🟡 {} 🔴 {}",
                        count(niveau_model::Rating::Green),
                        count(niveau_model::Rating::Yellow),
                        count(niveau_model::Rating::Red)
                    ),
                    report.warnings.len().to_string(),
                ]);
            }
            Err(e) => {
                worst = worst.max(EXIT_USAGE);
                let message = error_text(e, lang);
                // A clone's error can quote the remote: print its escapes, do not obey them.
                eprintln!(
                    "{}: {}",
                    lang.pick("fejl", "error"),
                    niveau_model::terminal::printable(&message)
                );
                if args.format == CheckFormat::Json {
                    json_out.push(serde_json::json!({ "target": target, "error": message }));
                }
                summary.push(vec![
                    target.clone(),
                    lang.pick("FEJL", "ERROR").to_owned(),
                    String::new(),
                    String::new(),
                    message,
                ]);
            }
        }
    }
    match args.format {
        CheckFormat::Json => {
            let value = if json_out.len() == 1 {
                json_out.remove(0)
            } else {
                serde_json::Value::Array(json_out)
            };
            outln!("{}", serde_json::to_string_pretty(&value)?);
        }
        CheckFormat::Text if results.len() > 1 => {
            let header = [
                lang.pick("REPOSITORIE", "REPOSITORY"),
                lang.pick("RESULTAT", "RESULT"),
                lang.pick("NIVEAU", "LEVEL"),
                lang.pick("FORSLAG", "PROPOSALS"),
                lang.pick("ADVARSLER", "WARNINGS"),
            ];
            out!("{}", niveau_report::text::text_table(&header, &summary));
        }
        _ => {}
    }
    Ok(ExitCode::from(worst))
}

/// The product's name if the targets are one product (`--product` or `--mirrors`); adds
/// the repositories under `--mirrors` to the targets.
fn product_targets(args: &mut CheckArgs) -> Result<Option<String>> {
    let Some(dir) = args.mirrors.clone() else {
        return Ok(args.product.clone());
    };
    let entries = std::fs::read_dir(&dir).map_err(|e| {
        let io = Msg::io(&e);
        fail(
            format!("{}: kan ikke læse mappen: {}", dir.display(), io.da),
            format!("{}: cannot read the directory: {}", dir.display(), io.en),
        )
    })?;
    let mut found: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter_map(|p| git_repository_at(&p))
        .map(|p| p.display().to_string())
        .collect();
    found.sort();
    if found.is_empty() && args.targets.is_empty() {
        return Err(fail(
            format!("{}: ingen git-repositorier i mappen", dir.display()),
            format!("{}: no git repositories in the directory", dir.display()),
        ));
    }
    args.targets.extend(found);
    let name = args.product.clone().unwrap_or_else(|| {
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string())
    });
    Ok(Some(name))
}

/// Lists the repositories of `--org` and adds their clone URLs to the targets; says on
/// standard error which were listed and which skipped, and why.
fn org_targets(
    args: &mut CheckArgs,
    lang: Lang,
) -> Result<Option<(OrgLocation, forge_org::OrgListing)>> {
    let Some(raw) = args.org.clone() else {
        return Ok(None);
    };
    let location = OrgLocation::parse(&raw, args.forge_api.as_deref())
        .map_err(|e| anyhow::Error::from(Bilingual(e.msg())))?;
    let limits = ListLimits {
        include_archived: args.include_archived,
        include_forks: args.include_forks,
        ..ListLimits::default()
    };
    let listing = forge_org::list_repositories(
        &location,
        &RemotePolicy::local_user(),
        Token::from_env().as_ref(),
        &limits,
    )
    .map_err(|e| anyhow::Error::from(Bilingual(e.msg())))?;
    let english = lang == Lang::En;
    let show = |s: &str| niveau_model::terminal::printable(s).into_owned();
    eprintln!(
        "{}",
        if english {
            format!(
                "{}: {} repositories listed, {} skipped",
                location.display(),
                listing.listed.len(),
                listing.skipped.len()
            )
        } else {
            format!(
                "{}: {} repositorier fundet, {} sprunget over",
                location.display(),
                listing.listed.len(),
                listing.skipped.len()
            )
        }
    );
    for r in &listing.listed {
        eprintln!("  + {} ({})", show(&r.name), show(&r.clone_url));
    }
    for s in &listing.skipped {
        eprintln!("  - {}: {}", show(&s.name), show(s.reason.pick(english)));
    }
    if listing.truncated {
        eprintln!(
            "{}",
            lang.pick(
                "  listen stoppede ved en grænse (højst 1.000 repositorier, 21 sider); resten er ikke med",
                "  the listing stopped at a limit (at most 1,000 repositories, 21 pages); the rest are not included",
            )
        );
    }
    if listing.listed.is_empty() && args.targets.is_empty() && args.mirrors.is_none() {
        return Err(fail(
            format!("{}: ingen repositorier at kontrollere", location.display()),
            format!("{}: no repositories to check", location.display()),
        ));
    }
    args.targets
        .extend(listing.listed.iter().map(|r| r.clone_url.clone()));
    Ok(Some((location, listing)))
}

/// The repository at `path`: a work tree (has `.git`), a bare repository (has `HEAD`
/// and `objects`), or a mirror directory holding either as `repo`.
fn git_repository_at(path: &Path) -> Option<PathBuf> {
    let bare = |p: &Path| p.join("HEAD").is_file() && p.join("objects").is_dir();
    if !path.is_dir() {
        None
    } else if path.join(".git").exists() || bare(path) {
        Some(path.to_path_buf())
    } else if bare(&path.join("repo")) || path.join("repo").join(".git").exists() {
        Some(path.join("repo"))
    } else {
        None
    }
}

/// Prints one product's verdict from its repositories' reports; exit 1 when the product
/// is below `--min-level`, 2 when a repository could not be read (the product's verdict
/// is then given from the others).
fn report_product(
    name: &str,
    results: &[(String, Result<CheckReport>)],
    model: &niveau_model::Model,
    min_rank: Option<u32>,
    format: CheckFormat,
    lang: Lang,
    source: Option<&OrgSource>,
) -> Result<ExitCode> {
    let english = lang == Lang::En;
    let mut worst = 0u8;
    let mut reports = Vec::new();
    let mut errors = Vec::new();
    for (target, result) in results {
        match result {
            Ok(r) => reports.push(r.clone()),
            Err(e) => {
                worst = worst.max(EXIT_USAGE);
                let message = error_text(e, lang);
                eprintln!(
                    "{}: {}",
                    lang.pick("fejl", "error"),
                    niveau_model::terminal::printable(&message)
                );
                errors.push(serde_json::json!({ "target": target, "error": message }));
            }
        }
    }
    let product = niveau_scan::product::combine(name, model, &reports);
    let below = match (min_rank, product.allowed_level.as_ref()) {
        (Some(min), Some(l)) => model.level(l.as_str()).is_none_or(|x| x.rank < min),
        (Some(_), None) => true,
        (None, _) => false,
    };
    if below {
        worst = worst.max(EXIT_INVALID);
    }
    match format {
        CheckFormat::Text => out!("{}", render::product_text(&product, model, english)),
        CheckFormat::Md => out!("{}", render::product_markdown(&product, model, english)),
        CheckFormat::Json => {
            let mut value: serde_json::Value =
                serde_json::from_str(&render::product_json(&product)?)?;
            if !errors.is_empty() {
                value["errors"] = serde_json::Value::Array(errors);
            }
            if let Some(source) = source {
                value["source"] = serde_json::to_value(source)?;
            }
            outln!("{}", serde_json::to_string_pretty(&value)?);
        }
    }
    Ok(ExitCode::from(worst))
}

/// Runs `niveau publiccode …`.
pub fn run_publiccode(cmd: PubliccodeCommand, lang: Lang) -> Result<ExitCode> {
    let PubliccodeCommand::Validate { files } = cmd;
    let mut worst = 0u8;
    for path in files {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                let io = Msg::io(&e);
                eprintln!(
                    "{}: {}: {}",
                    lang.pick("fejl", "error"),
                    path.display(),
                    io.pick(lang == Lang::En)
                );
                worst = worst.max(EXIT_USAGE);
                continue;
            }
        };
        // Relative paths in the file (logo, screenshots) are checked against its
        // directory on disk; nothing is fetched.
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let v = validate_bytes(&bytes, &DirFiles::new(dir));
        let outcome = match v.outcome() {
            Outcome::Valid => lang.pick("gyldig", "valid"),
            Outcome::ValidWithWarnings => lang.pick("gyldig med advarsler", "valid with warnings"),
            Outcome::Invalid => {
                worst = worst.max(EXIT_INVALID);
                lang.pick("ugyldig", "invalid")
            }
        };
        for p in &v.problems {
            outln!("{}:{}", path.display(), p.msg().pick(lang == Lang::En));
        }
        let version = v.version.as_deref().unwrap_or("?");
        outln!("{}: {outcome} (publiccode.yml {version})", path.display());
    }
    Ok(ExitCode::from(worst))
}
