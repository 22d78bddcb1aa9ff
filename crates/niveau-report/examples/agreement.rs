//! Agreement between Niveau's proposals and the secretariat's ratings.
//!
//! ```text
//! cargo run -p niveau-report --example agreement -- SELF.md EVALUATION.md [SELF.md EVALUATION.md …]
//! cargo run -p niveau-report --example agreement -- --dir crates/niveau-report/tests/pairs
//! ```
//!
//! With `--dir`, every `NAME-selvevaluering.md` that has a `NAME-evaluering.md` beside it
//! is a pair. An evaluation that also holds the product's answers (the self-evaluation's
//! columns followed by Vurdering, Vurderingsgrundlag, Anbefaling) is a pair by itself:
//! give it as both files. Prints Markdown: per pair the figures and every disagreement,
//! then the total over the pairs that are judgments (OS2's generator copies are not
//! counted). The figures are recorded in docs/quality.md.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use niveau_model::{ProposalTable, Registry};
use niveau_report::agreement::{compare, render_markdown};
use niveau_report::import::{ImportOptions, import_bytes};

fn pairs_in(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, String> {
    let mut pairs = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if let Some(stem) = name.strip_suffix("-selvevaluering.md") {
            let evaluation = dir.join(format!("{stem}-evaluering.md"));
            if evaluation.exists() {
                pairs.push((path.clone(), evaluation));
            }
        }
    }
    Ok(pairs)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("agreement: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let pairs = match args.as_slice() {
        [flag, dir] if flag == "--dir" => pairs_in(Path::new(dir))?,
        files if !files.is_empty() && files.len() % 2 == 0 => files
            .chunks(2)
            .map(|c| (PathBuf::from(&c[0]), PathBuf::from(&c[1])))
            .collect(),
        _ => return Err("usage: agreement SELF EVALUATION [SELF EVALUATION …] | --dir DIR".into()),
    };
    let registry = Registry::builtin().map_err(|e| e.to_string())?;
    let table = ProposalTable::builtin().map_err(|e| e.to_string())?;
    let opts = ImportOptions::default();
    let read = |p: &Path| {
        let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
        import_bytes(&bytes, &p.display().to_string(), &registry, &opts).map_err(|e| e.to_string())
    };
    let (mut compared, mut proposals, mut naive) = (0, 0, 0);
    for (se_path, ev_path) in pairs {
        let se_report = read(&se_path)?;
        let ev = read(&ev_path)?;
        let Some(se) = se_report.self_evaluation.as_ref() else {
            return Err(format!(
                "{}: holds no self-evaluation answers",
                se_path.display()
            ));
        };
        let model = registry
            .get(se.model.id.as_str())
            .map_err(|e| format!("{}: {e}", se_path.display()))?;
        let a = compare(se, &ev, model, &table);
        println!("{}", render_markdown(&a));
        if !a.generated {
            compared += a.compared();
            proposals += a.proposals_agree();
            naive += a.naive_agrees();
        }
    }
    let pct = |k: usize| {
        if compared == 0 {
            0.0
        } else {
            100.0 * k as f64 / compared as f64
        }
    };
    println!(
        "### Total\n\nCompared: {compared} requirements in judged pairs. Proposals agree: {proposals} ({:.0} %). Naive mapping agrees: {naive} ({:.0} %).",
        pct(proposals),
        pct(naive)
    );
    Ok(())
}
