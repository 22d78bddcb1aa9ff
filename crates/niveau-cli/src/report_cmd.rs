//! `niveau report …`: import, render, new, propose, and the board's annual report draft
//! from the database (`annual`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use niveau_model::{Msg, ProposalTable, Registry};
use niveau_report::Lang;
use niveau_report::document::Report;
use niveau_report::import::{ImportError, ImportOptions, import_bytes};
use niveau_report::summary::{
    SummaryOk, SummaryRow, assess, render_import_text, render_summary_table,
};

use crate::{EXIT_INVALID, OrBilingual, error_text, fail, read_failed};

/// Output formats of `report import`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Plain text for a terminal.
    Text,
    /// JSON (schema niveau.report/1 per document, with the indicated level).
    Json,
}

/// The `niveau report` subcommands.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Read OS2 self-evaluations and evaluations (Markdown of every generation since
    /// 2021, the self-evaluation form's JSON, Niveau's JSON) and say what was found:
    /// the kind and model, warnings with their lines, consistency findings, the
    /// indicated level and what blocks the next one.
    ///
    /// With several files a summary table follows. A directory is read recursively
    /// (its .md and .json files; files in it that are not reports are skipped). Exit code
    /// 0 when every file was read, 1 when any could not be read as a report, 2 on usage
    /// errors.
    Import {
        /// Report files (.md or .json) or directories.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ImportFormat,
        /// Read against this model instead of detecting it (see `niveau model list`).
        #[arg(long)]
        model: Option<String>,
    },
    /// Write a document in another format: OS2's official Markdown (self-evaluation as
    /// governance report 1.1.0, evaluation as evaluation report 0.9.2), Niveau's JSON,
    /// CSV (one row per requirement), an HTML fragment, or an SVG chart or level badge.
    Render {
        /// The document (.md or .json) to read.
        file: PathBuf,
        /// Output format (also `--format`).
        #[arg(long, value_enum, alias = "format")]
        to: RenderFormat,
        /// For `--to svg`: which chart.
        #[arg(long, value_enum, default_value = "pies")]
        chart: Chart,
        /// Read against this model instead of detecting it.
        #[arg(long)]
        model: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Start a blank official template for a product: every requirement of the model,
    /// nothing answered or rated.
    New {
        /// Self-evaluation or evaluation.
        #[arg(long, value_enum)]
        kind: Kind,
        /// The model (see `niveau model list`).
        #[arg(long, default_value = "os2-1.1.0")]
        model: String,
        /// The product's name.
        #[arg(long)]
        product: String,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        to: RenderFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// The board's annual report draft for YEAR, from the database (like `niveau
    /// serve`): members, products by stage and level and their change over the year,
    /// groups and agreements of the products in operation, evaluations, level decisions,
    /// development wishes delivered and co-funding pledged, with the narrative left to
    /// the board as marked placeholders. Example: `niveau report annual 2018 --format
    /// pdf --out beretning-2018.pdf`.
    Annual {
        /// The year the figures are for.
        year: i32,
        /// Output format.
        #[arg(long, value_enum, default_value = "md")]
        format: AnnualFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: crate::db_cmd::DbArgs,
    },
    /// Propose a draft evaluation from a self-evaluation: for every requirement the
    /// rating that the answer suggests, with its reason and confidence, for the
    /// secretariat to confirm or change. `--to text` lists the proposals; `md` and
    /// `json` write the draft evaluation.
    Propose {
        /// The self-evaluation (.md or .json).
        file: PathBuf,
        /// Output format: text, md (evaluation report 0.9.2) or json.
        #[arg(long, value_enum, default_value = "text")]
        to: ProposeFormat,
        /// Use this proposal table instead of the built-in one (docs/models.md).
        #[arg(long)]
        table: Option<PathBuf>,
        /// Read against this model instead of detecting it.
        #[arg(long)]
        model: Option<String>,
        /// Evidence from repository scans: the JSON of `niveau check --format json` (one
        /// report, or several in an array). Claims are weighed against the findings, and
        /// links into the scanned repositories are resolved against their files.
        #[arg(long)]
        scan: Vec<PathBuf>,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// Formats of `report annual`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AnnualFormat {
    /// Editable Markdown, charts embedded as SVG images.
    Md,
    /// PDF for board papers.
    Pdf,
}

/// Formats of `report render` and `report new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RenderFormat {
    /// OS2's official Markdown.
    Md,
    /// Niveau's JSON (schema niveau.report/1).
    Json,
    /// CSV, one row per requirement.
    Csv,
    /// An HTML fragment.
    Html,
    /// An SVG chart (see --chart).
    Svg,
    /// A PDF for board papers (the document, its counts and charts), in the language
    /// of --lang.
    Pdf,
}

/// Charts of `report render --to svg`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Chart {
    /// A pie per level and in total.
    Pies,
    /// Stacked bars per theme.
    Bars,
    /// A level badge for a README ("OS2 niveau 2").
    Badge,
}

/// Document kinds of `report new`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// A self-evaluation (governancerapport).
    Selfeval,
    /// An evaluation (evalueringsrapport).
    Evaluation,
}

/// Formats of `report propose`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProposeFormat {
    /// The proposals, one per requirement, for people.
    Text,
    /// The draft evaluation as OS2's evaluation report 0.9.2.
    Md,
    /// The draft evaluation as Niveau's JSON.
    Json,
}

/// The proposals from the answers, weighed against the scans in `scan_files` (niveau-app's
/// merge: claim and evidence together).
fn weigh(
    registry: &Registry,
    model: &niveau_model::Model,
    proposals: &[niveau_model::Proposal],
    scan_files: &[PathBuf],
) -> Result<Vec<niveau_app::proposals::RatingProposal>> {
    use niveau_app::proposals;
    let mut candidates = proposals::from_answers(proposals);
    for path in scan_files {
        let text = read_text(path)?;
        let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            fail(
                format!(
                    "{}, linje {}, kolonne {}: ikke JSON fra `niveau check --format json`: {e}",
                    path.display(),
                    e.line(),
                    e.column()
                ),
                format!(
                    "{}, line {}, column {}: not JSON from `niveau check --format json`: {e}",
                    path.display(),
                    e.line(),
                    e.column()
                ),
            )
        })?;
        let trees = proposals::links::trees_from_scan(&json);
        let links = proposals::links::candidates(&candidates, &trees);
        candidates.extend(links);
        candidates.extend(proposals::from_scan(registry, model, 0, &json));
    }
    Ok(proposals::merge(model, candidates))
}

/// `niveau report annual YEAR`.
fn annual(
    year: i32,
    format: AnnualFormat,
    out: Option<&Path>,
    db: &crate::db_cmd::DbArgs,
    lang: Lang,
) -> Result<ExitCode> {
    let config = db.load_config(None)?;
    crate::logging::init(&config.log, crate::logging::COMMAND_LEVEL)?;
    let registry = crate::builtin_registry()?;
    let who = niveau_app::principal::Principal::system("niveau report annual");
    let figures = crate::db_cmd::runtime()?.block_on(async {
        let store = crate::db_cmd::connect(&config, true, lang).await?;
        let app = niveau_app::App::new(store, std::sync::Arc::new(registry));
        niveau_app::annual::figures(&app, Some(&who), year)
            .await
            .map_err(|e| {
                let m = crate::app_msg(e);
                fail(m.da, m.en)
            })
    })?;
    let bytes = match format {
        AnnualFormat::Md => niveau_report::annual::markdown(&figures, lang).into_bytes(),
        AnnualFormat::Pdf => niveau_report::annual::pdf(&figures, lang).map_err(|e| {
            let m = e.msg();
            fail(format!("{}: {e}", m.da), format!("{}: {e}", m.en))
        })?,
    };
    write_out(out, &bytes)?;
    Ok(ExitCode::SUCCESS)
}

fn write_out(output: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match output {
        Some(path) => std::fs::write(path, bytes).map_err(|e| {
            let io = Msg::io(&e);
            fail(
                format!("kan ikke skrive {}: {}", path.display(), io.da),
                format!("cannot write {}: {}", path.display(), io.en),
            )
        }),
        None => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
                Err(e) => Err(e.into()),
            }
        }
    }
}

fn load(path: &Path, registry: &Registry, model: Option<String>) -> Result<Report> {
    if let Some(m) = &model {
        registry.get(m).bilingual()?;
    }
    let bytes = read(path)?;
    let opts = ImportOptions { model };
    import_bytes(&bytes, &path.display().to_string(), registry, &opts).bilingual()
}

fn render(
    report: &Report,
    registry: &Registry,
    table: &ProposalTable,
    to: RenderFormat,
    chart: Chart,
    lang: Lang,
) -> Result<Vec<u8>> {
    use niveau_report::export;
    let model = registry.get(report.model.id.as_str()).bilingual()?;
    if to == RenderFormat::Pdf {
        let today = report.date().unwrap_or_default();
        return niveau_report::pdf::evaluation(report, model, lang, today).map_err(|e| {
            tracing::error!(error = %e, "PDF");
            let m = e.msg();
            fail(format!("{}: {e}", m.da), format!("{}: {e}", m.en))
        });
    }
    let text = match to {
        RenderFormat::Md => export::official_markdown(report, model).bilingual()?,
        RenderFormat::Json => export::json(report).bilingual()? + "\n",
        RenderFormat::Csv => export::csv::render(report, model).bilingual()?,
        RenderFormat::Html => export::html::render(report, model, lang),
        RenderFormat::Svg => {
            let ratings = match assess(report, model, table) {
                Some(a) => a.ratings,
                None => niveau_model::Ratings::new(),
            };
            let tables = niveau_model::count(model, &ratings);
            match chart {
                Chart::Pies => niveau_report::svg::level_pies(model, &tables, lang),
                Chart::Bars => niveau_report::svg::theme_bars(model, &tables, lang),
                Chart::Badge => {
                    let stated = report
                        .evaluation
                        .as_ref()
                        .and_then(|e| e.recommended_level.clone());
                    let level = stated
                        .or_else(|| assess(report, model, table).and_then(|a| a.indication.level));
                    let label = level.map(|l| l.to_string());
                    niveau_report::svg::level_badge(label.as_deref(), lang)
                }
            }
        }
        RenderFormat::Pdf => unreachable!("handled above"),
    };
    Ok(text.into_bytes())
}

/// A bounded read of a text file, refused with the file named when it is not UTF-8.
fn read_text(path: &Path) -> Result<String> {
    String::from_utf8(read(path)?).map_err(|_| {
        fail(
            format!("{}: ikke UTF-8-tekst", path.display()),
            format!("{}: not UTF-8 text", path.display()),
        )
    })
}

fn read(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).map_err(|e| read_failed(path, &e))?;
    let limit = niveau_report::import::MAX_INPUT_BYTES;
    if meta.len() > limit as u64 {
        return Err(ImportError::TooLarge {
            file: path.display().to_string(),
            size: usize::try_from(meta.len()).unwrap_or(usize::MAX),
            limit,
        })
        .bilingual();
    }
    std::fs::read(path).map_err(|e| read_failed(path, &e))
}

/// The files to import: the files given, and the .md and .json files below the
/// directories given (sorted). The flag says whether a file came from a directory.
fn expand(paths: &[PathBuf]) -> Result<Vec<(PathBuf, bool)>> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push((p.clone(), false));
            continue;
        }
        let mut stack = vec![p.clone()];
        let mut found = Vec::new();
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| read_failed(&dir, &e))?;
            for entry in entries {
                let entry = entry.map_err(|e| read_failed(&dir, &e))?;
                let path = entry.path();
                let kind = entry.file_type().map_err(|e| read_failed(&path, &e))?;
                if kind.is_dir() {
                    stack.push(path);
                } else if kind.is_file()
                    && path.extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("json")
                    })
                {
                    found.push(path);
                }
            }
        }
        found.sort();
        out.extend(found.into_iter().map(|f| (f, true)));
    }
    Ok(out)
}

fn level_label(report: &Report, registry: &Registry, table: &ProposalTable, lang: Lang) -> String {
    let Ok(model) = registry.get(report.model.id.as_str()) else {
        return "-".into();
    };
    match assess(report, model, table).and_then(|a| a.indication.level) {
        Some(l) => model
            .level(l.as_str())
            .map(|l| l.name.clone())
            .unwrap_or_else(|| l.to_string()),
        None => lang.pick("intet", "none").into(),
    }
}

/// Runs a `niveau report` subcommand.
pub fn run(cmd: ReportCommand, lang: Lang) -> Result<ExitCode> {
    if let ReportCommand::Annual {
        year,
        format,
        out,
        db,
    } = cmd
    {
        return annual(year, format, out.as_deref(), &db, lang);
    }
    let registry = crate::builtin_registry()?;
    let table = crate::builtin_table()?;
    match cmd {
        ReportCommand::Import {
            files,
            format,
            model,
        } => {
            if let Some(m) = &model {
                registry.get(m).bilingual()?;
            }
            let opts = ImportOptions { model };
            let mut summary = Vec::new();
            let mut json_out = Vec::new();
            let mut failed = false;
            let expanded = expand(&files)?;
            let many = expanded.len() > 1;
            for (path, from_dir) in &expanded {
                let name = path.display().to_string();
                let result = read(path)
                    .map(|bytes| import_bytes(&bytes, &name, &registry, &opts))
                    .map_err(|e| error_text(&e, lang));
                // A file in a directory that is not a report (a README, a note) is skipped.
                if *from_dir && matches!(result, Ok(Err(ImportError::NoRequirementTable { .. }))) {
                    summary.push(SummaryRow {
                        file: name,
                        skipped: true,
                        result: Err(lang.pick("ikke en rapport", "not a report").to_owned()),
                    });
                    continue;
                }
                let result =
                    result.and_then(|r| r.map_err(|e| e.msg().pick(lang == Lang::En).to_owned()));
                match result {
                    Ok(report) => {
                        let model = registry.get(report.model.id.as_str()).bilingual()?;
                        let assessment = assess(&report, model, &table);
                        match format {
                            ImportFormat::Text => {
                                out!(
                                    "{}",
                                    render_import_text(&report, model, assessment.as_ref(), lang)
                                );
                                outln!();
                            }
                            ImportFormat::Json => json_out.push(serde_json::json!({
                                "schema": niveau_report::document::IMPORT_SCHEMA,
                                "report": &report,
                                "assessment": &assessment,
                            })),
                        }
                        summary.push(SummaryRow {
                            file: name,
                            skipped: false,
                            result: Ok(SummaryOk {
                                kind: report.kind,
                                generation: report.generation.name(),
                                model: report.model.id.to_string(),
                                product: report.product().to_owned(),
                                level: level_label(&report, &registry, &table, lang),
                                warnings: report.warnings.len(),
                                findings: report.findings.len(),
                            }),
                        });
                    }
                    Err(message) => {
                        failed = true;
                        if format == ImportFormat::Text {
                            eprintln!("{}: {message}", lang.pick("fejl", "error"));
                        } else {
                            json_out.push(serde_json::json!({ "file": name, "error": message }));
                        }
                        summary.push(SummaryRow {
                            file: name,
                            skipped: false,
                            result: Err(message),
                        });
                    }
                }
            }
            match format {
                ImportFormat::Text => {
                    if many {
                        out!("{}", render_summary_table(&summary, lang));
                    }
                }
                ImportFormat::Json => {
                    let value = if json_out.len() == 1 {
                        json_out.remove(0)
                    } else {
                        serde_json::Value::Array(json_out)
                    };
                    outln!("{}", serde_json::to_string_pretty(&value)?);
                }
            }
            Ok(if failed {
                ExitCode::from(EXIT_INVALID)
            } else {
                ExitCode::SUCCESS
            })
        }
        ReportCommand::Annual { .. } => unreachable!("handled above"),
        ReportCommand::Render {
            file,
            to,
            chart,
            model,
            output,
        } => {
            let report = load(&file, &registry, model)?;
            let text = render(&report, &registry, &table, to, chart, lang)?;
            write_out(output.as_deref(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::New {
            kind,
            model,
            product,
            to,
            output,
        } => {
            let model = registry.get(&model).bilingual()?;
            let kind = match kind {
                Kind::Selfeval => niveau_report::document::DocumentKind::SelfEvaluation,
                Kind::Evaluation => niveau_report::document::DocumentKind::Evaluation,
            };
            let report = niveau_report::draft::blank(kind, model, &product);
            let text = render(&report, &registry, &table, to, Chart::Pies, lang)?;
            write_out(output.as_deref(), &text)?;
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Propose {
            file,
            to,
            table: table_file,
            model,
            scan,
            output,
        } => {
            let table = match table_file {
                None => table,
                Some(path) => {
                    let text = read_text(&path)?;
                    ProposalTable::from_toml(&text, &path.display().to_string()).bilingual()?
                }
            };
            let report = load(&file, &registry, model)?;
            let model = registry.get(report.model.id.as_str()).bilingual()?;
            let se = report.self_evaluation.as_ref().ok_or_else(|| {
                fail(
                    format!(
                        "{} er en evaluering, ikke en selvevaluering",
                        file.display()
                    ),
                    format!("{} is an evaluation, not a self-evaluation", file.display()),
                )
            })?;
            let (draft, proposals) = niveau_report::draft::propose(&report, se, model, &table);
            let text = match to {
                ProposeFormat::Text => {
                    let merged = weigh(&registry, model, &proposals, &scan)?;
                    crate::propose_view::render(&merged, model, lang)
                }
                ProposeFormat::Md => {
                    niveau_report::export::official_markdown(&draft, model).bilingual()?
                }
                ProposeFormat::Json => niveau_report::export::json(&draft).bilingual()? + "\n",
            };
            write_out(output.as_deref(), text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
