//! A product that lives in several repositories: one verdict per requirement from the
//! repositories' [`CheckReport`]s, with the evidence per repository, the headline of
//! [`assess`] on the combined results, and the repositories that duplicate each other.
//!
//! How the repositories' results are combined depends on the kind of requirement (the
//! table [`RULES`], documented in docs/detectors.md): activity comes from the most active
//! repositories, a licence must hold in every main repository, documentation may live in
//! any repository, and practices (issue references, code standards) are weighted by the
//! commits of the last year. A repository is a main repository when it has at least
//! [`MAIN_SHARE_PERCENT`] % of the product's commits of the last year.

use serde::{Deserialize, Serialize};

use niveau_model::{LevelId, Model, ModelRef, Msg, NextLevel, Rating, RequirementId};

use crate::check::{
    Assessment, CheckReport, LevelReason, Outcome, RequirementResult, RequirementVerdict, Verdict,
    assess, verdict_of,
};
use crate::finding::Evidence;

/// How the repositories' results for one requirement make the product's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The best result among the main repositories: the product is developed actively if
    /// its most active repositories are (F1).
    MostActive,
    /// The weakest result among the main repositories, the ones that lack it listed (F2
    /// licence; F12 one core code, where repositories duplicating each other also count).
    EveryMain,
    /// The best result of any repository: a document may live in any of them (F4, F5, F7,
    /// F13, F15, F17, F19, F20).
    AnyRepository,
    /// The rating carried by most of the last year's commits (F11, F16, and requirements
    /// the table does not name).
    Weighted,
}

impl Rule {
    /// The rule in words.
    pub fn describe(self) -> Msg {
        match self {
            Rule::MostActive => Msg::new(
                "de mest aktive repositorier afgør",
                "the most active repositories decide",
            ),
            Rule::EveryMain => Msg::new(
                "skal gælde i alle hovedrepositorier",
                "must hold in every main repository",
            ),
            Rule::AnyRepository => Msg::new(
                "kan ligge i et hvilket som helst repositorie",
                "may live in any repository",
            ),
            Rule::Weighted => Msg::new(
                "vægtet efter det seneste års commits",
                "weighted by the last year's commits",
            ),
        }
    }
}

/// The rule per requirement of os2-1.1.0 (the detectors' model); requirements not named
/// here, and every requirement of another model, use [`Rule::Weighted`].
pub const RULES: &[(&str, Rule)] = &[
    ("F1", Rule::MostActive),
    ("F2", Rule::EveryMain),
    ("F4", Rule::AnyRepository),
    ("F5", Rule::AnyRepository),
    ("F7", Rule::AnyRepository),
    ("F11", Rule::Weighted),
    ("F12", Rule::EveryMain),
    ("F13", Rule::AnyRepository),
    ("F15", Rule::AnyRepository),
    ("F16", Rule::Weighted),
    ("F17", Rule::AnyRepository),
    ("F19", Rule::AnyRepository),
    ("F20", Rule::AnyRepository),
];

/// The rule for a requirement of `model`.
pub fn rule_for(model: &str, requirement: &str) -> Rule {
    if model != crate::check::DETECTOR_MODEL {
        return Rule::Weighted;
    }
    RULES
        .iter()
        .find(|(id, _)| *id == requirement)
        .map_or(Rule::Weighted, |(_, r)| *r)
}

/// A repository with at least this share of the product's commits in the last year is a
/// main repository (the most active one always is).
pub const MAIN_SHARE_PERCENT: usize = 10;

/// Two repositories sharing at least this share of their files (estimated from their
/// fingerprints) duplicate each other.
pub const DUPLICATE_SHARE_PERCENT: u8 = 70;

/// Trees with fewer distinct files than this are not compared (a licence and a README
/// alone would look alike).
pub const DUPLICATE_MIN_FILES: usize = 10;

/// One repository's result for a requirement of the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepositoryResult {
    /// The repository (as given).
    pub target: String,
    /// Its rating.
    pub rating: Rating,
    /// Its confidence.
    pub confidence: u8,
    /// Its verdict.
    pub verdict: Verdict,
}

/// The product's result for one requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProductRequirement {
    /// The combined result (its explanation names the deciding repository).
    #[serde(flatten)]
    pub result: RequirementResult,
    /// How it was combined.
    pub rule: Rule,
    /// The repository whose finding decided.
    pub decided_by: String,
    /// Each repository's result.
    pub repositories: Vec<RepositoryResult>,
    /// Main repositories whose result is not green (for [`Rule::EveryMain`]).
    pub lacking: Vec<String>,
}

/// Two repositories of the product that duplicate each other (F12: one core code).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Duplicate {
    /// One repository.
    pub a: String,
    /// The other.
    pub b: String,
    /// Whether their histories start with the same commit (one is a copy of the other).
    pub same_first_commit: bool,
    /// The estimated share of identical files at their checked commits.
    pub shared_files_percent: Option<u8>,
}

/// One row of the product's table of repositories.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepositoryRow {
    /// The repository (as given).
    pub target: String,
    /// The commit checked.
    pub head: String,
    /// The branch checked.
    pub branch: Option<String>,
    /// Its own headline level.
    pub allowed_level: Option<LevelId>,
    /// Its own headline outcome.
    pub outcome: Outcome,
    /// Its commits in the last year (its weight).
    pub commits_365_days: usize,
    /// Whether it is a main repository.
    pub main: bool,
    /// Requirements confident findings contradict in it.
    pub contradicted: Vec<RequirementId>,
}

/// The verdict for a product of several repositories.
#[derive(Debug, Clone, Serialize)]
pub struct ProductReport {
    /// The product's name.
    pub product: String,
    /// The model reported against.
    pub model: ModelRef,
    /// One combined result per requirement, in model order.
    pub requirements: Vec<ProductRequirement>,
    /// The highest level the product's evidence carries (as for one repository).
    pub allowed_level: Option<LevelId>,
    /// The next level and what it lacks.
    pub next: Option<NextLevel>,
    /// The verdict per requirement.
    pub verdicts: Vec<RequirementVerdict>,
    /// Level, no level, or not enough evidence.
    pub outcome: Outcome,
    /// Why.
    pub allowed_level_reason: Msg,
    /// Per level, why.
    pub level_reasons: Vec<LevelReason>,
    /// The repositories, most active first.
    pub repositories: Vec<RepositoryRow>,
    /// Repositories that duplicate each other.
    pub duplicates: Vec<Duplicate>,
}

type Entry<'a> = (&'a CheckReport, &'a RequirementResult);

/// How favourable a result is: supported before no evidence before contradicted, then
/// the stronger rating, then a more confident green or a less confident red or yellow.
fn favour(x: &RequirementResult) -> (u8, u8, u8) {
    let verdict = match verdict_of(x.rating, x.confidence) {
        Verdict::Supported => 2,
        Verdict::NoEvidence => 1,
        Verdict::Contradicted => 0,
    };
    let sure = if x.rating == Rating::Green {
        x.confidence
    } else {
        5u8.saturating_sub(x.confidence)
    };
    (verdict, strength(x.rating), sure)
}

/// The most favourable result of a list.
fn best<'a>(list: &[&Entry<'a>]) -> Option<Entry<'a>> {
    list.iter().max_by_key(|(_, x)| favour(x)).map(|e| **e)
}

fn strength(r: Rating) -> u8 {
    match r {
        Rating::Red => 0,
        Rating::Yellow => 1,
        Rating::Grey => 2,
        Rating::Green => 3,
    }
}

/// Repositories of the product that duplicate each other: the same first commit, or most
/// files identical.
pub fn duplicates(reports: &[CheckReport]) -> Vec<Duplicate> {
    let mut out = Vec::new();
    for (i, a) in reports.iter().enumerate() {
        for b in reports.iter().skip(i + 1) {
            let (fa, fb) = (&a.fingerprint, &b.fingerprint);
            let same_first_commit = fa.first_commit.is_some() && fa.first_commit == fb.first_commit;
            let shared = if fa.blobs.min(fb.blobs) >= DUPLICATE_MIN_FILES {
                fa.shared_percent(fb)
            } else {
                None
            };
            if same_first_commit || shared.is_some_and(|p| p >= DUPLICATE_SHARE_PERCENT) {
                out.push(Duplicate {
                    a: a.target.clone(),
                    b: b.target.clone(),
                    same_first_commit,
                    shared_files_percent: shared,
                });
            }
        }
    }
    out
}

/// Combines the reports of a product's repositories (checked against the same model)
/// into one verdict. `reports` must not be empty for a meaningful result; an empty list
/// gives a product without evidence.
pub fn combine(product: &str, model: &Model, reports: &[CheckReport]) -> ProductReport {
    let total: usize = reports.iter().map(|r| r.fingerprint.commits_365_days).sum();
    let heaviest = reports
        .iter()
        .map(|r| r.fingerprint.commits_365_days)
        .max()
        .unwrap_or(0);
    let is_main = |r: &CheckReport| {
        let w = r.fingerprint.commits_365_days;
        total == 0 || w == heaviest || w * 100 >= MAIN_SHARE_PERCENT * total
    };
    let weight = |r: &CheckReport| {
        if total == 0 {
            1
        } else {
            r.fingerprint.commits_365_days
        }
    };
    let dups = duplicates(reports);
    let model_id = model.id().to_string();

    let mut requirements = Vec::new();
    for req in model.requirements() {
        let entries: Vec<(&CheckReport, &RequirementResult)> = reports
            .iter()
            .filter_map(|rep| {
                rep.requirements
                    .iter()
                    .find(|x| x.requirement == req.id)
                    .map(|x| (rep, x))
            })
            .collect();
        if entries.is_empty() {
            continue;
        }
        let rule = rule_for(&model_id, req.id.as_str());
        let main: Vec<&(&CheckReport, &RequirementResult)> =
            entries.iter().filter(|(rep, _)| is_main(rep)).collect();
        let pool: Vec<&(&CheckReport, &RequirementResult)> = if main.is_empty() {
            entries.iter().collect()
        } else {
            main
        };
        let decider = match rule {
            Rule::MostActive => best(&pool),
            Rule::AnyRepository => best(&entries.iter().collect::<Vec<_>>()),
            Rule::EveryMain => pool.iter().min_by_key(|(_, x)| favour(x)).map(|e| **e),
            Rule::Weighted => {
                let mut by_rating: Vec<(Rating, usize)> = Vec::new();
                for (rep, x) in &entries {
                    match by_rating.iter_mut().find(|(r, _)| *r == x.rating) {
                        Some((_, w)) => *w += weight(rep),
                        None => by_rating.push((x.rating, weight(rep))),
                    }
                }
                let winner = by_rating
                    .iter()
                    .max_by_key(|(r, w)| (*w, std::cmp::Reverse(strength(*r))))
                    .map(|(r, _)| *r);
                entries
                    .iter()
                    .filter(|(_, x)| Some(x.rating) == winner)
                    .max_by_key(|(rep, x)| (weight(rep), x.confidence))
                    .copied()
            }
        };
        let Some((deciding_report, deciding)) = decider else {
            continue;
        };
        let lacking: Vec<String> = if rule == Rule::EveryMain {
            pool.iter()
                .filter(|(_, x)| x.rating != Rating::Green)
                .map(|(rep, _)| rep.target.clone())
                .collect()
        } else {
            Vec::new()
        };
        let mut result = deciding.clone();
        let rule_text = rule.describe();
        let target = &deciding_report.target;
        result.explanation = Msg::new(
            format!("{target} ({}): {}", rule_text.da, deciding.explanation.da),
            format!("{target} ({}): {}", rule_text.en, deciding.explanation.en),
        );
        if !lacking.is_empty() && reports.len() > 1 {
            let pool_len = pool.len();
            result.explanation = Msg::new(
                format!(
                    "{} af {pool_len} hovedrepositorier mangler det ({}). {}",
                    lacking.len(),
                    crate::check::summarise(&lacking, false),
                    result.explanation.da
                ),
                format!(
                    "{} of {pool_len} main repositories lack it ({}). {}",
                    lacking.len(),
                    crate::check::summarise(&lacking, true),
                    result.explanation.en
                ),
            );
        }
        if req.id.as_str() == "F12" && model_id == crate::check::DETECTOR_MODEL && !dups.is_empty()
        {
            let pairs: Vec<String> = dups.iter().map(|d| format!("{} = {}", d.a, d.b)).collect();
            result.rating = Rating::Yellow;
            result.confidence = 3;
            result.evidence = dups
                .iter()
                .take(crate::detectors::FIRST_FEW)
                .map(|d| {
                    Evidence::value(
                        "duplicate_repositories",
                        format!(
                            "{} = {}{}",
                            d.a,
                            d.b,
                            d.shared_files_percent
                                .map(|p| format!(" ({p} %)"))
                                .unwrap_or_default()
                        ),
                    )
                })
                .collect();
            result.explanation = Msg::new(
                format!(
                    "Produktets repositorier dublerer hinanden: {}. Er det parallelle versioner af kernekoden?",
                    crate::detectors::first_few(
                        &pairs,
                        crate::detectors::FIRST_FEW,
                        "par",
                        "par",
                        "fx"
                    )
                ),
                format!(
                    "Repositories of the product duplicate each other: {}. Are they parallel versions of the core code?",
                    crate::detectors::first_few(
                        &pairs,
                        crate::detectors::FIRST_FEW,
                        "pair",
                        "pairs",
                        "e.g."
                    )
                ),
            );
        }
        requirements.push(ProductRequirement {
            decided_by: target.clone(),
            repositories: entries
                .iter()
                .map(|(rep, x)| RepositoryResult {
                    target: rep.target.clone(),
                    rating: x.rating,
                    confidence: x.confidence,
                    verdict: verdict_of(x.rating, x.confidence),
                })
                .collect(),
            result,
            rule,
            lacking,
        });
    }
    let combined: Vec<RequirementResult> = requirements.iter().map(|r| r.result.clone()).collect();
    let Assessment {
        verdicts,
        allowed_level,
        outcome,
        levels,
        reason,
        next,
    } = assess(model, &combined);
    let mut repositories: Vec<RepositoryRow> = reports
        .iter()
        .map(|r| RepositoryRow {
            target: r.target.clone(),
            head: r.head.commit.clone(),
            branch: r.head.branch.clone(),
            allowed_level: r.allowed_level.clone(),
            outcome: r.outcome,
            commits_365_days: r.fingerprint.commits_365_days,
            main: is_main(r),
            contradicted: r
                .verdicts
                .iter()
                .filter(|v| v.verdict == Verdict::Contradicted)
                .map(|v| v.requirement.clone())
                .collect(),
        })
        .collect();
    repositories.sort_by(|a, b| {
        b.commits_365_days
            .cmp(&a.commits_365_days)
            .then_with(|| a.target.cmp(&b.target))
    });
    ProductReport {
        product: product.to_owned(),
        model: ModelRef {
            id: model.id().clone(),
            version: model.version().to_owned(),
        },
        requirements,
        allowed_level,
        next,
        verdicts,
        outcome,
        allowed_level_reason: reason,
        level_reasons: levels,
        repositories,
        duplicates: dups,
    }
}
