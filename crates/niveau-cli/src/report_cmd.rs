//! `niveau report …`: import, render, new, propose.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use clap::{Subcommand, ValueEnum};
use niveau_model::{ProposalTable, Registry};
use niveau_report::Lang;
use niveau_report::document::Report;
use niveau_report::import::{ImportOptions, import_bytes};
use niveau_report::summary::{
    SummaryOk, SummaryRow, assess, render_import_text, render_summary_table,
};

use crate::{EXIT_INVALID, EXIT_USAGE};

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
    /// With several files a summary table follows. Exit code 0 when every file was
    /// read, 1 when any could not be read as a report, 2 on usage errors.
    Import {
        /// Report files (.md or .json).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ImportFormat,
        /// Read against this model instead of detecting it (see `niveau model list`).
        #[arg(long)]
        model: Option<String>,
    },
}

fn read(path: &Path) -> Result<Vec<u8>> {
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    let limit = niveau_report::import::MAX_INPUT_BYTES as u64;
    if meta.len() > limit {
        return Err(anyhow!(
            "{}: the file is {} bytes; the importer reads at most {limit} bytes",
            path.display(),
            meta.len()
        ));
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
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
    let registry = Registry::builtin()
        .map_err(|p| anyhow!("a built-in model is broken (please report this):\n{p}"))?;
    let table = ProposalTable::builtin()
        .map_err(|p| anyhow!("the built-in proposal table is broken:\n{p}"))?;
    match cmd {
        ReportCommand::Import {
            files,
            format,
            model,
        } => {
            if let Some(m) = &model {
                registry.get(m)?;
            }
            let opts = ImportOptions { model };
            let mut summary = Vec::new();
            let mut json_out = Vec::new();
            let mut failed = false;
            for path in &files {
                let name = path.display().to_string();
                let result = read(path).and_then(|bytes| {
                    import_bytes(&bytes, &name, &registry, &opts).map_err(anyhow::Error::from)
                });
                match result {
                    Ok(report) => {
                        let model = registry.get(report.model.id.as_str())?;
                        let assessment = assess(&report, model, &table);
                        match format {
                            ImportFormat::Text => {
                                print!("{}", render_import_text(&report, model, assessment.as_ref(), lang));
                                println!();
                            }
                            ImportFormat::Json => json_out.push(serde_json::json!({
                                "schema": niveau_report::document::REPORT_SCHEMA,
                                "report": &report,
                                "assessment": &assessment,
                            })),
                        }
                        summary.push(SummaryRow {
                            file: name,
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
                    Err(e) => {
                        failed = true;
                        let message = format!("{e:#}");
                        if format == ImportFormat::Text {
                            eprintln!("{}: {message}", lang.pick("fejl", "error"));
                        } else {
                            json_out.push(serde_json::json!({ "file": name, "error": message }));
                        }
                        summary.push(SummaryRow {
                            file: name,
                            result: Err(message),
                        });
                    }
                }
            }
            match format {
                ImportFormat::Text => {
                    if files.len() > 1 {
                        print!("{}", render_summary_table(&summary, lang));
                    }
                }
                ImportFormat::Json => {
                    let value = if json_out.len() == 1 {
                        json_out.remove(0)
                    } else {
                        serde_json::Value::Array(json_out)
                    };
                    println!("{}", serde_json::to_string_pretty(&value)?);
                }
            }
            Ok(if failed {
                ExitCode::from(EXIT_INVALID)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

#[allow(dead_code)]
const _: u8 = EXIT_USAGE;
