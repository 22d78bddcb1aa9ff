//! Other tools' results as evidence: an OpenSSF Scorecard JSON result
//! (`scorecard --format json`: `checks[].name/score/reason`) and an OpenSSF Best
//! Practices project JSON (`.bestpractices.json`, or the project's JSON exported from
//! bestpractices.dev: `*_status` fields "Met"/"Unmet"/"N/A"/"?"), read when present in
//! the repository or given on the command line. Each check that bears on a requirement
//! becomes its own evidence with its source, check name and score: security policy
//! (F4), licence (F2), issue tracker (F11), CI and tests (F16), maintenance and public
//! version control (F1). These are other tools' verdicts, so their findings are hints
//! (confidence 2): the repository's own detectors decide when both speak.

use std::collections::BTreeMap;
use std::path::PathBuf;

use niveau_model::Rating;
use serde::Deserialize;

use super::{Detector, finding};
use crate::context::Context;
use crate::finding::{Evidence, Finding, ScanWarning};

/// Which tool produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToolKind {
    /// OpenSSF Scorecard (`scorecard --format json`).
    Scorecard,
    /// OpenSSF Best Practices badge project JSON.
    BestPractices,
}

impl ToolKind {
    fn label(self) -> &'static str {
        match self {
            ToolKind::Scorecard => "scorecard",
            ToolKind::BestPractices => "bestpractices",
        }
    }
}

/// A result file given outside the repository (e.g. `niveau check --scorecard FILE`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolResultFile {
    /// The tool.
    pub kind: ToolKind,
    /// The file.
    pub path: PathBuf,
}

/// A result read (not yet parsed): its tool, where it came from, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolInput {
    /// The tool.
    pub kind: ToolKind,
    /// Where it came from: a repository path or a file given on the command line.
    pub source: String,
    /// The JSON text.
    pub text: String,
}

/// The largest result file read from outside the repository.
pub const MAX_TOOL_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads result files given outside the repository; files that cannot be read become
/// warnings.
pub fn load(files: &[ToolResultFile], warnings: &mut Vec<ScanWarning>) -> Vec<ToolInput> {
    let mut out = Vec::new();
    for f in files {
        let source = f.path.display().to_string();
        let read = std::fs::metadata(&f.path).and_then(|m| {
            if m.len() > MAX_TOOL_FILE_BYTES {
                Err(std::io::Error::other(format!("{} bytes", m.len())))
            } else {
                std::fs::read(&f.path)
            }
        });
        match read {
            Ok(bytes) => out.push(ToolInput {
                kind: f.kind,
                source,
                text: String::from_utf8_lossy(&bytes).into_owned(),
            }),
            Err(e) => warnings.push(ScanWarning::new(
                "tool-result-unreadable",
                Some(source.clone()),
                format!("{source} kan ikke læses ({e})."),
                format!("{source} cannot be read ({e})."),
            )),
        }
    }
    out
}

/// An OpenSSF Scorecard JSON result (only what is read).
#[derive(Debug, Clone, Deserialize)]
pub struct ScorecardResult {
    /// When it was produced.
    #[serde(default)]
    pub date: Option<String>,
    /// The repository and commit it scored.
    #[serde(default)]
    pub repo: Option<ScorecardRepo>,
    /// The aggregate score, 0–10.
    #[serde(default)]
    pub score: Option<f64>,
    /// The checks.
    #[serde(default)]
    pub checks: Vec<ScorecardCheck>,
}

/// The repository a Scorecard result is about.
#[derive(Debug, Clone, Deserialize)]
pub struct ScorecardRepo {
    /// e.g. `github.com/OS2mo/os2mo`.
    #[serde(default)]
    pub name: Option<String>,
    /// The commit scored.
    #[serde(default)]
    pub commit: Option<String>,
}

/// One Scorecard check.
#[derive(Debug, Clone, Deserialize)]
pub struct ScorecardCheck {
    /// e.g. `Security-Policy`.
    pub name: String,
    /// 0–10, or -1 when the check could not run.
    pub score: f64,
    /// Why.
    #[serde(default)]
    pub reason: Option<String>,
}

/// An OpenSSF Best Practices project JSON: its name, badge level and every
/// `<criterion>_status` field.
#[derive(Debug, Clone, Deserialize)]
pub struct BestPracticesProject {
    /// Project id on bestpractices.dev.
    #[serde(default)]
    pub id: Option<serde_json::Value>,
    /// Project name.
    #[serde(default)]
    pub name: Option<String>,
    /// `in_progress`, `passing`, `silver`, `gold`.
    #[serde(default)]
    pub badge_level: Option<String>,
    /// Every other field; the `*_status` ones are read.
    #[serde(flatten)]
    pub fields: BTreeMap<String, serde_json::Value>,
}

/// A criterion's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Met.
    Met,
    /// Unmet.
    Unmet,
    /// Not applicable.
    NotApplicable,
    /// Not answered.
    Unknown,
}

impl BestPracticesProject {
    /// The status of `criterion` (e.g. `report_tracker`), accepting both the strings of
    /// the JSON API ("Met", "Unmet", "N/A", "?") and the numbers of the database
    /// export (3, 1, 2, 0).
    pub fn status(&self, criterion: &str) -> Option<Status> {
        let v = self.fields.get(&format!("{criterion}_status"))?;
        Some(match v {
            serde_json::Value::String(s) => match s.to_lowercase().as_str() {
                "met" => Status::Met,
                "unmet" => Status::Unmet,
                "n/a" | "na" => Status::NotApplicable,
                _ => Status::Unknown,
            },
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(3) => Status::Met,
                Some(1) => Status::Unmet,
                Some(2) => Status::NotApplicable,
                _ => Status::Unknown,
            },
            _ => Status::Unknown,
        })
    }
}

/// A parse failure: the serde message with its line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseProblem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What serde said.
    pub message: String,
}

fn problem(e: &serde_json::Error) -> ParseProblem {
    ParseProblem {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// Parses a Scorecard JSON result.
pub fn parse_scorecard(text: &str) -> Result<ScorecardResult, ParseProblem> {
    serde_json::from_str(text).map_err(|e| problem(&e))
}

/// Parses a Best Practices project JSON.
pub fn parse_best_practices(text: &str) -> Result<BestPracticesProject, ParseProblem> {
    serde_json::from_str(text).map_err(|e| problem(&e))
}

/// Scorecard checks → the os2-1.1.0 requirement they bear on.
const SCORECARD_MAP: &[(&str, &str)] = &[
    ("Security-Policy", "F4"),
    ("Vulnerabilities", "F4"),
    ("Dependency-Update-Tool", "F4"),
    ("License", "F2"),
    ("CI-Tests", "F16"),
    ("SAST", "F16"),
    ("Maintained", "F1"),
];

/// Best Practices criteria → the os2-1.1.0 requirement they bear on.
const BEST_PRACTICES_MAP: &[(&str, &str)] = &[
    ("vulnerability_report_process", "F4"),
    ("vulnerability_report_private", "F4"),
    ("security_policy", "F4"),
    ("floss_license", "F2"),
    ("license_location", "F2"),
    ("report_tracker", "F11"),
    ("report_process", "F11"),
    ("test_continuous_integration", "F16"),
    ("build", "F16"),
    ("test", "F16"),
    ("repo_public", "F1"),
    ("repo_track", "F1"),
];

/// Paths in the repository where results are looked for.
const SCORECARD_PATHS: &[&str] = &[
    "scorecard.json",
    ".scorecard.json",
    "scorecard-results.json",
    ".github/scorecard.json",
    "docs/scorecard.json",
];
const BEST_PRACTICES_PATHS: &[&str] = &[
    ".bestpractices.json",
    "bestpractices.json",
    ".github/bestpractices.json",
    "docs/bestpractices.json",
];

/// Evidence and scores (0–10) gathered per requirement.
#[derive(Default)]
struct PerRequirement {
    evidence: Vec<Evidence>,
    scores: Vec<f64>,
    sources: Vec<String>,
}

/// Other tools' results.
pub struct ToolResults;

impl ToolResults {
    fn inputs(&self, cx: &Context<'_>) -> Vec<ToolInput> {
        let mut out = Vec::new();
        for (kind, paths) in [
            (ToolKind::Scorecard, SCORECARD_PATHS),
            (ToolKind::BestPractices, BEST_PRACTICES_PATHS),
        ] {
            for p in paths {
                if let Some(f) = cx.file(p)
                    && let Some(text) = cx.text(f)
                {
                    out.push(ToolInput {
                        kind,
                        source: f.path.clone(),
                        text,
                    });
                }
            }
        }
        out.extend(cx.tool_inputs().iter().cloned());
        out
    }
}

fn bad_json(cx: &Context<'_>, input: &ToolInput, p: &ParseProblem) {
    let what = input.kind.label();
    cx.warn(ScanWarning::new(
        "tool-result-invalid",
        Some(input.source.clone()),
        format!(
            "{} er ikke et gyldigt {what}-resultat (linje {}, kolonne {}): {}",
            input.source, p.line, p.column, p.message
        ),
        format!(
            "{} is not a valid {what} result (line {}, column {}): {}",
            input.source, p.line, p.column, p.message
        ),
    ));
}

impl Detector for ToolResults {
    fn id(&self) -> &'static str {
        "tool_results"
    }

    fn requirements(&self) -> &'static [&'static str] {
        &["F1", "F2", "F4", "F11", "F16"]
    }

    fn detect(&self, cx: &Context<'_>) -> Vec<Finding> {
        let mut by_req: BTreeMap<&'static str, PerRequirement> = BTreeMap::new();
        for input in self.inputs(cx) {
            match input.kind {
                ToolKind::Scorecard => match parse_scorecard(&input.text) {
                    Ok(result) => {
                        for check in &result.checks {
                            let Some((_, req)) =
                                SCORECARD_MAP.iter().find(|(n, _)| *n == check.name)
                            else {
                                continue;
                            };
                            let entry = by_req.entry(req).or_default();
                            let score = if check.score < 0.0 {
                                "?".to_owned()
                            } else {
                                entry.scores.push(check.score.min(10.0));
                                format!("{}/10", check.score)
                            };
                            let reason: String = check
                                .reason
                                .as_deref()
                                .unwrap_or_default()
                                .chars()
                                .take(160)
                                .collect();
                            entry.evidence.push(Evidence::value(
                                format!("scorecard:{}", check.name),
                                format!("{score} — {reason} ({})", input.source),
                            ));
                            if !entry.sources.contains(&input.source) {
                                entry.sources.push(input.source.clone());
                            }
                        }
                    }
                    Err(p) => bad_json(cx, &input, &p),
                },
                ToolKind::BestPractices => match parse_best_practices(&input.text) {
                    Ok(project) => {
                        for (criterion, req) in BEST_PRACTICES_MAP {
                            let Some(status) = project.status(criterion) else {
                                continue;
                            };
                            let entry = by_req.entry(req).or_default();
                            let label = match status {
                                Status::Met => {
                                    entry.scores.push(10.0);
                                    "Met"
                                }
                                Status::Unmet => {
                                    entry.scores.push(0.0);
                                    "Unmet"
                                }
                                Status::NotApplicable => "N/A",
                                Status::Unknown => "?",
                            };
                            entry.evidence.push(Evidence::value(
                                format!("bestpractices:{criterion}"),
                                format!(
                                    "{label} (badge: {}; {})",
                                    project.badge_level.as_deref().unwrap_or("?"),
                                    input.source
                                ),
                            ));
                            if !entry.sources.contains(&input.source) {
                                entry.sources.push(input.source.clone());
                            }
                        }
                    }
                    Err(p) => bad_json(cx, &input, &p),
                },
            }
        }
        by_req
            .into_iter()
            .map(|(req, per)| {
                let sources = per.sources.join(", ");
                let (rating, da, en) = if per.scores.is_empty() {
                    (
                        Rating::Grey,
                        format!("Andre værktøjers resultater ({sources}) kunne ikke vurdere dette."),
                        format!("Other tools' results ({sources}) could not judge this."),
                    )
                } else {
                    #[allow(clippy::cast_precision_loss)]
                    let mean = per.scores.iter().sum::<f64>() / per.scores.len() as f64;
                    let rating = if mean >= 7.0 {
                        Rating::Green
                    } else if mean >= 4.0 {
                        Rating::Yellow
                    } else {
                        Rating::Red
                    };
                    (
                        rating,
                        format!(
                            "Andre værktøjers resultater ({sources}) giver i gennemsnit {mean:.1} af 10 for dette krav."
                        ),
                        format!(
                            "Other tools' results ({sources}) average {mean:.1} out of 10 for this requirement."
                        ),
                    )
                };
                let confidence = if per.scores.is_empty() { 1 } else { 2 };
                finding(req, self.id(), rating, confidence, per.evidence, da, en)
            })
            .collect()
    }
}
