//! A check of one repository: run every detector, combine their findings per
//! requirement, translate to the model asked for, and work out the level the
//! automatable requirements alone would allow.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use niveau_model::{
    Gap, LevelId, Model, ModelRef, Msg, NextLevel, Obligation, Rating, Registry, RequirementId,
    Unmet,
};
use serde::{Deserialize, Serialize};

use crate::context::Context;
use crate::detectors;
use crate::error::ScanError;
use crate::finding::{Evidence, Finding, RestsOn, ScanWarning};
use crate::git::GitSource;
use crate::publiccode::{Outcome as PubliccodeOutcome, Problem};
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
    /// Until when the time-based findings (activity in the last 90 days, branches older
    /// than 180 days, documents older than three years …) stay as they are if the
    /// repository does not change, seconds since the Unix epoch; absent when no finding
    /// depends on the time. A stored result is reused only before this moment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<i64>,
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
    /// The highest level the evidence carries (see [`assess`]): every Must requirement the
    /// scan can assess at it and below is [`Verdict::Supported`], and the level has such a
    /// requirement of its own; the requirements a scan cannot assess are left to a person.
    /// Before issue #15 this counted unknown requirements as met.
    pub allowed_level: Option<LevelId>,
    /// The next level above `allowed_level` and what it lacks.
    pub next: Option<NextLevel>,
    /// The verdict per assessed requirement: supported, contradicted or no evidence.
    pub verdicts: Vec<RequirementVerdict>,
    /// Level, no level, or not enough evidence for a level.
    pub outcome: Outcome,
    /// Why `allowed_level` is what it is, in one or two sentences.
    pub allowed_level_reason: Msg,
    /// Per level: what it requires and what the evidence says about each.
    pub level_reasons: Vec<LevelReason>,
    /// What identifies the repository's history and tree, for products of several
    /// repositories (duplicates, activity weights).
    pub fingerprint: Fingerprint,
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

/// How many blob ids a [`Fingerprint`] keeps.
pub const TREE_SKETCH: usize = 128;

/// What identifies a repository: its oldest commit, its activity in the last year and a
/// small sketch of the file contents at the checked commit (the [`TREE_SKETCH`] smallest
/// blob ids, a bottom-k sketch from which the share of identical files between two
/// repositories is estimated).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// The oldest commit of the history, when the history was read whole.
    pub first_commit: Option<String>,
    /// Commits in the last 365 days.
    pub commits_365_days: usize,
    /// Distinct blob ids at the checked commit.
    pub blobs: usize,
    /// The smallest blob ids at the checked commit, sorted.
    pub tree_sketch: Vec<String>,
}

impl Fingerprint {
    fn of(snap: &crate::source::Snapshot, cx: &Context<'_>) -> Self {
        let mut blobs: Vec<&str> = snap.files.iter().map(|f| f.id.as_str()).collect();
        blobs.sort_unstable();
        blobs.dedup();
        Fingerprint {
            first_commit: if snap.history_complete {
                snap.commits
                    .iter()
                    .min_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)))
                    .map(|c| c.id.clone())
            } else {
                None
            },
            commits_365_days: snap
                .commits
                .iter()
                .filter(|c| cx.within(c.time, 365))
                .count(),
            blobs: blobs.len(),
            tree_sketch: blobs
                .iter()
                .take(TREE_SKETCH)
                .map(|b| (*b).to_owned())
                .collect(),
        }
    }

    /// The estimated share (0–100) of distinct files two repositories have in common
    /// (Jaccard similarity from the two sketches); `None` if either tree is empty.
    pub fn shared_percent(&self, other: &Fingerprint) -> Option<u8> {
        if self.tree_sketch.is_empty() || other.tree_sketch.is_empty() {
            return None;
        }
        let mut union: Vec<&String> = self.tree_sketch.iter().chain(&other.tree_sketch).collect();
        union.sort_unstable();
        union.dedup();
        union.truncate(TREE_SKETCH);
        let both = union
            .iter()
            .filter(|b| {
                self.tree_sketch.binary_search(b).is_ok()
                    && other.tree_sketch.binary_search(b).is_ok()
            })
            .count();
        u8::try_from(both * 100 / union.len()).ok()
    }
}

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

    // The headline: what the evidence carries (requirements no detector covers are left
    // to a person and do not count either way).
    let assessment = assess(model, &requirements);

    let snap = source.snapshot();
    let mut warnings = snap.warnings.clone();
    warnings.extend(tool_warnings);
    warnings.extend(cx.take_warnings());
    let publiccode = cx.publiccode().map(|(path, v)| PubliccodeSummary {
        path: path.clone(),
        outcome: match v.outcome() {
            PubliccodeOutcome::Valid => "valid".into(),
            PubliccodeOutcome::ValidWithWarnings => "valid_with_warnings".into(),
            PubliccodeOutcome::Invalid => "invalid".into(),
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
        allowed_level: assessment.allowed_level,
        next: assessment.next,
        verdicts: assessment.verdicts,
        outcome: assessment.outcome,
        allowed_level_reason: assessment.reason,
        level_reasons: assessment.levels,
        fingerprint: Fingerprint::of(snap, &cx),
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
            valid_until: cx.valid_until(),
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

// ------------------------------------------------------------------ the headline

/// What the evidence says about one requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A green finding confident enough to carry a level ([`SUPPORT_MIN`]).
    Supported,
    /// A red or yellow finding confident enough to block a level ([`CONTRADICT_MIN`]).
    Contradicted,
    /// Nothing confident enough either way: not counted as met.
    NoEvidence,
}

impl Verdict {
    /// "understøttet", "modsagt", "ingen evidens".
    pub fn label_da(self) -> &'static str {
        match self {
            Verdict::Supported => "understøttet",
            Verdict::Contradicted => "modsagt",
            Verdict::NoEvidence => "ingen evidens",
        }
    }

    /// "supported", "contradicted", "no evidence".
    pub fn label_en(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Contradicted => "contradicted",
            Verdict::NoEvidence => "no evidence",
        }
    }

    /// The label in Danish or English.
    pub fn label(self, english: bool) -> &'static str {
        if english {
            self.label_en()
        } else {
            self.label_da()
        }
    }
}

/// A green finding carries a level from this confidence: 2 means "the document is in the
/// repository; a person judges its content" — evidence that it exists.
pub const SUPPORT_MIN: u8 = 2;

/// A red or yellow finding blocks as contradicting evidence from this confidence. Below
/// it, a red or yellow finding mostly means "not found in the repository" (the material
/// may live on os2.eu or a wiki): absence of a file is not evidence of absence.
pub const CONTRADICT_MIN: u8 = 3;

/// The verdict of a combined result.
pub fn verdict_of(rating: Rating, confidence: u8) -> Verdict {
    match rating {
        Rating::Green if confidence >= SUPPORT_MIN => Verdict::Supported,
        Rating::Red | Rating::Yellow if confidence >= CONTRADICT_MIN => Verdict::Contradicted,
        _ => Verdict::NoEvidence,
    }
}

/// One requirement's verdict in the headline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequirementVerdict {
    /// The requirement.
    pub requirement: RequirementId,
    /// What the evidence says.
    pub verdict: Verdict,
    /// The rating it rests on.
    pub rating: Rating,
    /// The confidence of that rating, 1–5.
    pub confidence: u8,
}

/// What the headline says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The evidence carries a level (`allowed_level`).
    Level,
    /// Confident findings contradict the lowest level.
    NoLevel,
    /// Nothing contradicts the lowest level, but too little is known to allow it.
    NotEnoughEvidence,
}

/// Why one level is or is not allowed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelReason {
    /// The level.
    pub level: LevelId,
    /// Its Must requirements that the scan can assess, in model order.
    pub requires: Vec<RequirementId>,
    /// Of those: supported.
    pub supported: Vec<RequirementId>,
    /// Of those: contradicted.
    pub contradicted: Vec<RequirementId>,
    /// Of those: without evidence.
    pub no_evidence: Vec<RequirementId>,
    /// Its Must requirements the scan cannot assess (a person rates them).
    pub not_automatable: Vec<RequirementId>,
    /// Whether the evidence carries this level and every level below it.
    pub allowed: bool,
}

/// The headline of a check: a verdict per requirement and the level the evidence
/// carries, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessment {
    /// One verdict per assessed requirement, in model order.
    pub verdicts: Vec<RequirementVerdict>,
    /// The highest level the evidence carries: every assessable Must requirement at it and
    /// below supported, and the level has at least one assessable Must requirement of its
    /// own (a level the repository says nothing about is never given by a scan).
    pub allowed_level: Option<LevelId>,
    /// Level, no level, or not enough evidence.
    pub outcome: Outcome,
    /// Per level, why.
    pub levels: Vec<LevelReason>,
    /// The reason in one or two sentences.
    pub reason: Msg,
    /// The level above the allowed one and what it lacks (a Must requirement without
    /// supporting evidence is listed as not rated, a contradicted one with its colour).
    pub next: Option<NextLevel>,
}

fn ids(list: &[RequirementId]) -> Vec<&str> {
    list.iter().map(RequirementId::as_str).collect()
}

/// Works out the headline from combined results (in `model`'s ids).
pub fn assess(model: &Model, results: &[RequirementResult]) -> Assessment {
    let verdicts: Vec<RequirementVerdict> = results
        .iter()
        .map(|r| RequirementVerdict {
            requirement: r.requirement.clone(),
            verdict: verdict_of(r.rating, r.confidence),
            rating: r.rating,
            confidence: r.confidence,
        })
        .collect();
    let verdict = |id: &RequirementId| verdicts.iter().find(|v| &v.requirement == id);
    let mut levels = Vec::new();
    let mut allowed_level = None;
    let mut still = true;
    for level in model.levels() {
        let mut reason = LevelReason {
            level: level.id.clone(),
            requires: Vec::new(),
            supported: Vec::new(),
            contradicted: Vec::new(),
            no_evidence: Vec::new(),
            not_automatable: Vec::new(),
            allowed: false,
        };
        for req in model.requirements_at(&level.id) {
            if req.obligation != Obligation::Must {
                continue;
            }
            match verdict(&req.id) {
                None => reason.not_automatable.push(req.id.clone()),
                Some(v) => {
                    reason.requires.push(req.id.clone());
                    match v.verdict {
                        Verdict::Supported => reason.supported.push(req.id.clone()),
                        Verdict::Contradicted => reason.contradicted.push(req.id.clone()),
                        Verdict::NoEvidence => reason.no_evidence.push(req.id.clone()),
                    }
                }
            }
        }
        still = still
            && !reason.requires.is_empty()
            && reason.contradicted.is_empty()
            && reason.no_evidence.is_empty();
        reason.allowed = still;
        if still {
            allowed_level = Some(level.id.clone());
        }
        levels.push(reason);
    }
    let first_blocked = levels.iter().find(|l| !l.allowed);
    let outcome = match (&allowed_level, first_blocked) {
        (Some(_), _) => Outcome::Level,
        (None, Some(b)) if !b.contradicted.is_empty() => Outcome::NoLevel,
        (None, _) => Outcome::NotEnoughEvidence,
    };
    let next = first_blocked.map(|b| NextLevel {
        level: b.level.clone(),
        missing: levels
            .iter()
            .take_while(|l| l.level != b.level)
            .chain(std::iter::once(b))
            .flat_map(|l| {
                let contradicted = l.contradicted.iter().filter_map(|id| {
                    verdict(id).map(|v| {
                        (
                            id,
                            if v.rating == Rating::Red {
                                Gap::Red
                            } else {
                                Gap::Yellow
                            },
                        )
                    })
                });
                let unknown = l.no_evidence.iter().map(|id| (id, Gap::NotRated));
                let manual = if l.requires.is_empty() {
                    l.not_automatable
                        .iter()
                        .map(|id| (id, Gap::NotRated))
                        .collect()
                } else {
                    Vec::new()
                };
                contradicted
                    .chain(unknown)
                    .chain(manual)
                    .map(|(id, gap)| Unmet {
                        requirement: id.clone(),
                        level: l.level.clone(),
                        gap,
                    })
                    .collect::<Vec<_>>()
            })
            .collect(),
    });
    let reason = reason_text(model, &allowed_level, outcome, first_blocked, &verdicts);
    Assessment {
        verdicts,
        allowed_level,
        outcome,
        levels,
        reason,
        next,
    }
}

fn level_label(model: &Model, id: &LevelId) -> String {
    model
        .level(id.as_str())
        .map(|l| l.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// "F4 (rød 2/5), F13 (rød 1/5)": requirements with their rating and confidence, at most a
/// few named.
fn with_ratings(list: &[RequirementId], verdicts: &[RequirementVerdict], english: bool) -> String {
    let named: Vec<String> = list
        .iter()
        .map(|id| match verdicts.iter().find(|v| &v.requirement == id) {
            Some(v) => format!(
                "{id} ({} {}/5)",
                if english {
                    v.rating.label_en()
                } else {
                    v.rating.label_da()
                }
                .to_lowercase(),
                v.confidence
            ),
            None => id.to_string(),
        })
        .collect();
    summarise(&named, english)
}

/// "a, b, c" or, for a long list, "a, b, …, h, … (20 i alt)".
pub(crate) fn summarise<S: AsRef<str>>(items: &[S], english: bool) -> String {
    let shown: Vec<&str> = items
        .iter()
        .take(crate::detectors::FIRST_FEW + 3)
        .map(AsRef::as_ref)
        .collect();
    if items.len() > shown.len() {
        format!(
            "{}, … ({} {})",
            shown.join(", "),
            items.len(),
            if english { "in all" } else { "i alt" }
        )
    } else {
        shown.join(", ")
    }
}

fn reason_text(
    model: &Model,
    allowed: &Option<LevelId>,
    outcome: Outcome,
    blocked: Option<&LevelReason>,
    verdicts: &[RequirementVerdict],
) -> Msg {
    let part = |english: bool| {
        let mut out = String::new();
        if let Some(level) = allowed {
            let _ = write!(
                out,
                "{} {}",
                if english {
                    "The evidence carries"
                } else {
                    "Evidensen bærer"
                },
                level_label(model, level)
            );
        } else {
            let text = headline(model, None, outcome, english);
            let mut chars = text.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
        let Some(b) = blocked else {
            out.push('.');
            return out;
        };
        let name = level_label(model, &b.level);
        if b.requires.is_empty() {
            let _ = write!(
                out,
                "; {name} {} {}, {}.",
                if english { "requires" } else { "kræver" },
                summarise(&ids(&b.not_automatable), english),
                if english {
                    "none of which can be assessed from a repository"
                } else {
                    "og intet af det kan vurderes ud fra et repositorie"
                }
            );
            return out;
        }
        let _ = write!(
            out,
            "; {name} {} {}",
            if english { "requires" } else { "kræver" },
            summarise(&ids(&b.requires), english)
        );
        if !b.contradicted.is_empty() {
            let _ = write!(
                out,
                "; {} {}",
                if english { "contradicted:" } else { "modsagt:" },
                with_ratings(&b.contradicted, verdicts, english)
            );
        }
        if !b.no_evidence.is_empty() {
            let _ = write!(
                out,
                "; {} {}",
                if english {
                    "no evidence for"
                } else {
                    "ingen evidens for"
                },
                with_ratings(&b.no_evidence, verdicts, english)
            );
        }
        out.push('.');
        out
    };
    Msg::new(part(false), part(true))
}

/// The headline in one line: "Niveau 2", "intet niveau" or "ikke nok evidens til et
/// niveau".
pub fn headline(
    model: &Model,
    allowed: Option<&LevelId>,
    outcome: Outcome,
    english: bool,
) -> String {
    match (allowed, outcome) {
        (Some(l), _) => level_label(model, l),
        (None, Outcome::NotEnoughEvidence) => if english {
            "not enough evidence for a level"
        } else {
            "ikke nok evidens til et niveau"
        }
        .to_owned(),
        (None, _) => if english { "no level" } else { "intet niveau" }.to_owned(),
    }
}
