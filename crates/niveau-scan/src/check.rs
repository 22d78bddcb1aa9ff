//! A check of one repository: run every detector, combine their findings per
//! requirement, translate to the model asked for, and work out the level the
//! automatable requirements alone would allow.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use niveau_model::{
    LevelId, Model, ModelRef, Msg, NextLevel, Rated, Rating, Ratings, Registry, RequirementId,
    indicate,
};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::detectors;
use crate::error::ScanError;
use crate::finding::{Evidence, Finding, RestsOn, ScanWarning};
use crate::git::GitSource;
use crate::publiccode::{Outcome, Problem};
use crate::source::{HeadInfo, Limits, RepoSource};

/// The model the detectors speak.
pub const DETECTOR_MODEL: &str = "os2-1.1.0";

/// Options of a check.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The model to report against (the detectors' os2-1.1.0 findings are translated).
    pub model: String,
    /// Scan this revision instead of HEAD.
    pub rev: Option<String>,
    /// Read limits.
    pub limits: Limits,
    /// "Now", seconds since the Unix epoch.
    pub now: i64,
    /// Other tools' results given outside the repository (OpenSSF Scorecard, OpenSSF
    /// Best Practices), read as evidence besides those found in it.
    pub tool_results: Vec<detectors::tool_results::ToolResultFile>,
}

/// The combined result for one requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementResult {
    /// The requirement (in the model reported against).
    pub requirement: RequirementId,
    /// The proposed rating.
    pub rating: Rating,
    /// 1–5.
    pub confidence: u8,
    /// The explanation of the deciding finding.
    pub explanation: Msg,
    /// Evidence from every finding about it.
    pub evidence: Vec<Evidence>,
    /// The detectors that looked at it.
    pub detectors: Vec<String>,
}

/// publiccode.yml as found in the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PubliccodeSummary {
    /// Its path.
    pub path: String,
    /// valid, valid with warnings, invalid.
    pub outcome: String,
    /// Its problems.
    pub problems: Vec<Problem>,
}

/// Numbers about what was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Files in the tree.
    pub files: usize,
    /// Commits walked.
    pub commits: usize,
    /// Whether the history was read whole.
    pub history_complete: bool,
    /// Whether the repository is a shallow clone.
    pub shallow: bool,
    /// Branches besides the default one.
    pub branches: usize,
    /// Time taken, milliseconds (of the scan itself, also when the result was reused).
    pub duration_ms: u128,
    /// When the scan ran ("now" of its age-based findings), seconds since the Unix epoch.
    #[serde(default)]
    pub scanned_at: i64,
    /// Whether this result is a stored one, reused because the repository's HEAD, its
    /// branches and the scanner are unchanged ([`crate::cache`]).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cached: bool,
}

/// The result of checking one repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// What was checked (path or URL as given).
    pub target: String,
    /// The commit checked.
    pub head: HeadInfo,
    /// The scanner that produced the result: [`crate::cache::SCANNER_VERSION`] (the
    /// crate's version and the fingerprint of everything that can change a result).
    #[serde(default)]
    pub scanner: String,
    /// The model reported against.
    pub model: ModelRef,
    /// One combined result per automatable requirement, in model order.
    pub requirements: Vec<RequirementResult>,
    /// Every detector finding (in os2-1.1.0 ids).
    pub findings: Vec<Finding>,
    /// The highest level that the automatable requirements alone allow (the others
    /// counted as met).
    pub allowed_level: Option<LevelId>,
    /// What the automatable requirements lack for the next level.
    pub next: Option<NextLevel>,
    /// publiccode.yml, if there is one.
    pub publiccode: Option<PubliccodeSummary>,
    /// What was read.
    pub stats: Stats,
    /// What could not be read.
    pub warnings: Vec<ScanWarning>,
    /// The paths at the checked commit (at most [`MAX_LISTED_FILES`]), so that links in a
    /// self-evaluation can be resolved against the tree without the network.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
}

/// The most paths a report lists in `files`.
pub const MAX_LISTED_FILES: usize = 20_000;

fn strength(r: Rating) -> u8 {
    match r {
        Rating::Red => 0,
        Rating::Yellow => 1,
        Rating::Grey => 2,
        Rating::Green => 3,
    }
}

/// Combines the findings about one requirement: the most confident finding decides (the
/// weaker rating on a tie); the evidence of all is kept.
fn combine(requirement: RequirementId, findings: &[&Finding]) -> Option<RequirementResult> {
    let decider = findings
        .iter()
        .max_by_key(|f| (f.confidence, std::cmp::Reverse(strength(f.rating))))?;
    Some(RequirementResult {
        requirement,
        rating: decider.rating,
        confidence: decider.confidence,
        explanation: decider.explanation.clone(),
        evidence: findings
            .iter()
            .flat_map(|f| f.evidence.iter().cloned())
            .collect(),
        detectors: findings.iter().map(|f| f.detector.clone()).collect(),
    })
}

/// Opens the git repository at `path` and checks it.
pub fn check_repository(
    path: &Path,
    registry: &Registry,
    opts: &CheckOptions,
) -> Result<CheckReport, ScanError> {
    let start = Instant::now();
    let source = GitSource::open(path, opts.rev.as_deref(), opts.limits)?;
    let mut report = check_source(&source, &path.display().to_string(), registry, opts)?;
    report.stats.duration_ms = start.elapsed().as_millis();
    Ok(report)
}

/// Checks a repository source.
pub fn check_source(
    source: &dyn RepoSource,
    target: &str,
    registry: &Registry,
    opts: &CheckOptions,
) -> Result<CheckReport, ScanError> {
    let start = Instant::now();
    let base = registry.get(DETECTOR_MODEL)?;
    let model = registry.get(&opts.model)?;
    let mut tool_warnings = Vec::new();
    let inputs = detectors::tool_results::load(&opts.tool_results, &mut tool_warnings);
    let cx = Context::new(source, opts.now).with_tool_inputs(inputs);
    let mut findings: Vec<Finding> = detectors::all()
        .iter()
        .flat_map(|d| d.detect(&cx))
        .collect();
    // Freshness: a finding rests on HEAD unless its detector said otherwise.
    let head = &source.snapshot().head.commit;
    let head_rests = source
        .snapshot()
        .commits
        .iter()
        .find(|c| &c.id == head)
        .map(|c| RestsOn::new(c.id.clone(), c.time));
    for f in findings.iter_mut().filter(|f| f.rests_on.is_none()) {
        f.rests_on = head_rests.clone();
    }

    // Combine per requirement (os2-1.1.0 ids), then translate.
    let mut by_req: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &findings {
        by_req.entry(f.requirement.as_str()).or_default().push(f);
    }
    let combined: Vec<RequirementResult> = by_req
        .iter()
        .filter_map(|(id, fs)| combine(RequirementId::new(*id), fs))
        .collect();
    let requirements = translate(registry, base, model, combined);

    // The level the automatable requirements alone allow: everything else counts as met.
    let mut ratings = Ratings::new();
    for r in model.requirements() {
        ratings.set(
            r.id.clone(),
            Rated::with_basis(
                Rating::Grey,
                "Kan ikke vurderes automatisk ud fra repositoriet.",
            ),
        );
    }
    for r in &requirements {
        ratings.set(
            r.requirement.clone(),
            Rated::with_basis(r.rating, r.explanation.da.clone()),
        );
    }
    let indication = indicate(model, &ratings);

    let snap = source.snapshot();
    let mut warnings = snap.warnings.clone();
    warnings.extend(tool_warnings);
    warnings.extend(cx.take_warnings());
    let publiccode = cx.publiccode().map(|(path, v)| PubliccodeSummary {
        path: path.clone(),
        outcome: match v.outcome() {
            Outcome::Valid => "valid".into(),
            Outcome::ValidWithWarnings => "valid_with_warnings".into(),
            Outcome::Invalid => "invalid".into(),
        },
        problems: v.problems.clone(),
    });
    Ok(CheckReport {
        target: target.to_owned(),
        head: snap.head.clone(),
        scanner: crate::cache::SCANNER_VERSION.to_owned(),
        model: ModelRef {
            id: model.id().clone(),
            version: model.version().to_owned(),
        },
        requirements,
        findings,
        allowed_level: indication.level.clone(),
        next: indication.next.clone(),
        publiccode,
        stats: Stats {
            files: snap.files.len(),
            commits: snap.commits.len(),
            history_complete: snap.history_complete,
            shallow: snap.shallow,
            branches: snap.branches.len(),
            duration_ms: start.elapsed().as_millis(),
            scanned_at: opts.now,
            cached: false,
        },
        warnings,
        files: snap
            .files
            .iter()
            .take(MAX_LISTED_FILES)
            .map(|f| f.path.clone())
            .collect(),
    })
}

/// Results in os2-1.1.0 ids → results in `model`'s ids, through the registry's chain of
/// mappings (or by id if none links them); several sources for one target keep the
/// weakest rating.
fn translate(
    registry: &Registry,
    base: &Model,
    model: &Model,
    results: Vec<RequirementResult>,
) -> Vec<RequirementResult> {
    if base.id() == model.id() {
        return order(model, results);
    }
    let pairs: Vec<(RequirementId, RequirementId)> = match registry.pairs_between(base, model) {
        Some((pairs, _)) => pairs,
        None => niveau_model::diff::pairs_by_id(base, model),
    };
    let mut out: BTreeMap<RequirementId, RequirementResult> = BTreeMap::new();
    for r in results {
        for (_, to) in pairs.iter().filter(|(from, _)| *from == r.requirement) {
            let mut t = r.clone();
            t.requirement = to.clone();
            match out.get(to) {
                Some(existing) if strength(existing.rating) <= strength(t.rating) => {}
                _ => {
                    out.insert(to.clone(), t);
                }
            }
        }
    }
    order(model, out.into_values().collect())
}

fn order(model: &Model, mut results: Vec<RequirementResult>) -> Vec<RequirementResult> {
    results.sort_by_key(|r| {
        model
            .requirements()
            .iter()
            .position(|q| q.id == r.requirement)
            .unwrap_or(usize::MAX)
    });
    results
}
