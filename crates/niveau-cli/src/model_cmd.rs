//! `niveau model …`: list, show, validate, diff and proposals.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use niveau_model::error::LineIndex;
use niveau_model::{Model, ProposalTable, Registry, load_model};
use niveau_report::Lang;
use niveau_report::model_doc::{
    diff_json, model_json, proposals_json, render_diff_markdown, render_diff_text,
    render_model_list, render_model_markdown, render_model_text, render_proposals_markdown,
    render_proposals_text,
};

use crate::{EXIT_INVALID, EXIT_USAGE, Format, OrBilingual, error_text, fail, read_failed};

/// The `niveau model` subcommands.
#[derive(Debug, Subcommand)]
pub enum ModelCommand {
    /// List the built-in models with their number of requirements and levels.
    List {
        /// Output format: text or json.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Show every requirement of a model, grouped by theme, with level and must/should.
    ///
    /// MODEL is a built-in id (see `niveau model list`) or the path of a model file
    /// (.toml). Example: `niveau model show os2-1.1.0 --format md`.
    Show {
        /// Built-in model id or path of a model file.
        model: String,
        /// Output format: text, json (schema niveau.model/1) or md (Markdown).
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Check model files and report every problem with file, line, column and rule.
    ///
    /// Exit code 0 when every file is valid, 1 when a file has problems, 2 when a file
    /// cannot be read. The format is described in docs/models.md.
    Validate {
        /// Model files (.toml).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Compare two models: requirements added, removed, renumbered, merged, moved between
    /// levels or themes, changed from must to should, reworded.
    ///
    /// Requirements are paired through the mappings the models declare (directly, or
    /// through other built-in models, e.g. os2-2018 → os2-2021 → os2-1.1.0); models no
    /// mapping links are paired by id. Example: `niveau model diff os2-2021 os2-1.1.0`.
    Diff {
        /// The old model: built-in id or file.
        old: String,
        /// The new model: built-in id or file.
        new: String,
        /// Output format: text, json (schema niveau.model-diff/1) or md.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Show how self-evaluation answers (Ja, Nej, Planlagt, …) become proposed ratings
    /// (🟢🟡🔴⚪) for the secretariat to confirm.
    Proposals {
        /// Use this proposal table instead of the built-in one (format: docs/models.md).
        #[arg(long)]
        table: Option<PathBuf>,
        /// Output format: text, json (schema niveau.proposal-table/1) or md.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

/// Runs a `niveau model` subcommand.
pub fn run(cmd: ModelCommand, lang: Lang) -> Result<ExitCode> {
    let registry = crate::builtin_registry()?;
    let english = lang == Lang::En;
    match cmd {
        ModelCommand::List { format } => {
            let models: Vec<&Model> = registry.models().iter().collect();
            match format {
                Format::Json => {
                    let list: Vec<serde_json::Value> = models
                        .iter()
                        .map(|m| {
                            serde_json::json!({
                                "id": m.id(),
                                "version": m.version(),
                                "name": m.name(),
                                "requirements": m.requirements().len(),
                                "levels": m.levels().iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    outln!(
                        "{}",
                        serde_json::to_string_pretty(&serde_json::json!({
                            "schema": "niveau.model-list/1",
                            "models": list
                        }))?
                    );
                }
                Format::Text | Format::Md => out!("{}", render_model_list(&models, lang)),
            }
            Ok(ExitCode::SUCCESS)
        }
        ModelCommand::Show { model, format } => {
            let model = resolve(&registry, &model)?;
            match format {
                Format::Text => out!("{}", render_model_text(&model, lang)),
                Format::Md => out!("{}", render_model_markdown(&model, lang)),
                Format::Json => outln!("{}", model_json(&model)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        ModelCommand::Validate { files } => validate(&registry, &files, lang),
        ModelCommand::Diff { old, new, format } => {
            let old = resolve(&registry, &old)?;
            let new = resolve(&registry, &new)?;
            let d = registry.diff(&old, &new);
            match format {
                Format::Text => out!("{}", render_diff_text(&d, lang)),
                Format::Md => out!("{}", render_diff_markdown(&d, lang)),
                Format::Json => outln!("{}", diff_json(&d)?),
            }
            Ok(ExitCode::SUCCESS)
        }
        ModelCommand::Proposals { table, format } => {
            let table = match table {
                None => crate::builtin_table()?,
                Some(path) => {
                    let text = read_text(&path)?;
                    match ProposalTable::from_toml(&text, &path.display().to_string()) {
                        Ok(t) => t,
                        Err(problems) => {
                            eprintln!("{}", problems.msg().pick(english));
                            return Ok(ExitCode::from(EXIT_INVALID));
                        }
                    }
                }
            };
            match format {
                Format::Json => outln!("{}", proposals_json(&table)?),
                Format::Md => out!("{}", render_proposals_markdown(&table, lang)),
                Format::Text => out!("{}", render_proposals_text(&table, lang)),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Whether an argument names a file rather than a built-in model id.
fn looks_like_file(arg: &str) -> bool {
    arg.ends_with(".toml") || arg.contains('/') || arg.contains('\\')
}

/// A built-in model by id, or a model loaded from a file.
fn resolve(registry: &Registry, arg: &str) -> Result<Model> {
    if !looks_like_file(arg) {
        match registry.get(arg) {
            Ok(m) => return Ok(m.clone()),
            Err(unknown) if !Path::new(arg).is_file() => return Err(unknown).bilingual(),
            Err(_) => {}
        }
    }
    let path = Path::new(arg);
    let text = read_text(path)?;
    load_model(&text, &path.display().to_string()).bilingual()
}

/// Reads a UTF-8 text file; a file that is not UTF-8 gets an error naming the line and
/// column of the first bad byte.
fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| read_failed(path, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
        let (line, column) = LineIndex::new(&prefix).line_column(valid);
        fail(
            format!(
                "{}:{line}:{column}: filen er ikke gyldig UTF-8-tekst",
                path.display()
            ),
            format!(
                "{}:{line}:{column}: the file is not valid UTF-8 text",
                path.display()
            ),
        )
    })
}

fn validate(registry: &Registry, files: &[PathBuf], lang: Lang) -> Result<ExitCode> {
    let english = lang == Lang::En;
    let mut worst = 0u8;
    for path in files {
        let text = match read_text(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}: {}", lang.pick("fejl", "error"), error_text(&e, lang));
                worst = worst.max(EXIT_USAGE);
                continue;
            }
        };
        let name = path.display().to_string();
        // A proposal table (models/answer-proposals.toml) is validated as one.
        if text.lines().any(|l| l.trim() == "[table]") && text.contains("[[rule]]") {
            match ProposalTable::from_toml(&text, &name) {
                Ok(t) => outln!(
                    "{name}: {} — {} ({} {})",
                    lang.pick("gyldig forslagstabel", "valid proposal table"),
                    t.id,
                    t.rules.len(),
                    lang.pick("regler", "rules")
                ),
                Err(problems) => {
                    eprintln!("{}", problems.msg().pick(english));
                    worst = worst.max(EXIT_INVALID);
                }
            }
            continue;
        }
        match load_model(&text, &name) {
            Err(problems) => {
                eprintln!("{}", problems.msg().pick(english));
                eprintln!(
                    "{name}: {} {}",
                    problems.problems.len(),
                    lang.pick("problem(er)", "problem(s)")
                );
                worst = worst.max(EXIT_INVALID);
            }
            Ok(model) => {
                let mut reg = registry.clone();
                reg.insert(model.clone());
                let (problems, unknown) = reg.check_mappings(&model);
                for p in &problems {
                    eprintln!("{}", p.msg().pick(english));
                }
                for target in &unknown {
                    eprintln!(
                        "{name}: {} `{target}` {}",
                        lang.pick("bemærk: mappingen til", "note: the mapping onto"),
                        lang.pick(
                            "er ikke kontrolleret, fordi modellen ikke er kendt",
                            "is not checked because that model is not known"
                        )
                    );
                }
                if problems.is_empty() {
                    outln!(
                        "{name}: {} — {} {} {}: {} {}, {} {}, {} {}",
                        lang.pick("gyldig", "valid"),
                        model.id(),
                        lang.pick("version", "version"),
                        model.version(),
                        model.requirements().len(),
                        lang.pick("krav", "requirements"),
                        model.levels().len(),
                        lang.pick("niveauer", "levels"),
                        model.themes().len(),
                        lang.pick("temaer", "themes"),
                    );
                } else {
                    eprintln!(
                        "{name}: {} {}",
                        problems.len(),
                        lang.pick("problem(er)", "problem(s)")
                    );
                    worst = worst.max(EXIT_INVALID);
                }
            }
        }
    }
    Ok(ExitCode::from(worst))
}
