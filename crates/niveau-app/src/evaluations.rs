//! Evaluations: the secretariat's assessment of a product against a model.
//!
//! A draft is made from a self-evaluation with ratings *proposed* from the answers, the
//! latest scan and the portfolio registry ([`crate::proposals`]); the secretariat changes
//! the ratings ([`save_ratings`]), takes the evaluation into dialogue with the product
//! ([`set_status`], [`comment`]), finalises it with the official level — which needs a
//! level of the evaluation's model, a basis, and a justification for a level above the
//! indicated one ([`finalise`]) — and publishes it, which writes the decision in the log
//! and sets the official level ([`publish`]); nothing of it is public before. A product
//! has one open evaluation (kladde or i dialog) at a time ([`open_evaluation`]); an open
//! one can be discarded and is kept in the history ([`discard`]). A new draft carries the
//! proposed ratings but no basis: the basis is the secretariat's text, and the
//! proposals' reasons stay proposals. [`product_evidence`] shows what the registry says
//! about a product.
//!
//! Who sees what ([`crate::visibility`]): drafts (kladde) and discarded ones (kasseret)
//! only the secretariat;
//! evaluations in dialogue and final ones readers of the product's evaluations
//! ([`Action::ReadEvaluation`]: not a product editor of another product); published ones
//! also the public, when the product is published.

use niveau_model::{Model, Msg, Rating, RatingEntry, RequirementId};
use niveau_report::document::Report;
use niveau_store::decisions::DecisionInput;
use niveau_store::entity::{decision, evaluation, evaluation_comment, evaluation_version, product};
use niveau_store::evaluations::{
    EvaluationChange, EvaluationFilter, EvaluationView, FinaliseInput, NewEvaluation,
};
use niveau_store::types::EvaluationStatus;
use niveau_store::{ListParams, Page, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::evidence::{self, PortfolioFinding};
use crate::permissions::{Action, allowed, require};
use crate::principal::{Caller, Principal};
use crate::proposals::Candidate;
use crate::visibility::{ensure_evaluation_visible, may_comment, readable_products};
use crate::{App, proposals};

/// The model a draft is made in when the product has no self-evaluation and no official
/// model: OS2's current one.
pub const DEFAULT_MODEL: &str = "os2-1.1.0";

/// What a client may send to create a draft; every field is optional, and so is the body.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEvaluationInput {
    /// The model to evaluate against (default: the self-evaluation's model).
    #[serde(default)]
    pub model_id: Option<String>,
    /// The self-evaluation to answer (default: the product's newest).
    #[serde(default)]
    pub self_evaluation_id: Option<i32>,
    /// An overall remark to start with.
    #[serde(default)]
    pub summary: Option<String>,
}

/// One rating as a client sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RatingInput {
    /// The requirement id (`F7`), in the evaluation's model.
    pub requirement: String,
    /// `green`, `yellow`, `red`, `grey` (also 🟢 🟡 🔴 ⚪ and the Danish names), or null
    /// for not rated.
    #[serde(default)]
    pub rating: Option<String>,
    /// The basis (vurderingsgrundlag); for grey the explanation that follow-or-explain
    /// requires.
    #[serde(default)]
    pub basis: Option<String>,
    /// A recommendation for this requirement.
    #[serde(default)]
    pub recommendation: Option<String>,
    /// The rating as written in a source document (kept as sent).
    #[serde(default)]
    pub original: Option<String>,
}

/// A change of an evaluation: the ratings replace the current ones as a whole.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvaluationUpdate {
    /// Every rating of the new version.
    pub ratings: Vec<RatingInput>,
    /// The summary (opsummering).
    #[serde(default)]
    pub summary: Option<String>,
    /// The overall assessment (samlet vurdering).
    #[serde(default)]
    pub overall: Option<String>,
    /// Recommendations to the product (anbefalinger).
    #[serde(default)]
    pub recommendations: Option<String>,
    /// The version the change is based on (or If-Match).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A status change.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusInput {
    /// `kladde` or `i dialog`.
    pub status: EvaluationStatus,
    /// The version the change is based on (or If-Match).
    #[serde(default)]
    pub version: Option<i32>,
}

/// The version a publication is based on.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    /// The version (or If-Match).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A finalised evaluation and the official-level decision taken, which is written in
/// the decision log (and sets the product's official level) when the evaluation is
/// published: nothing of it is public before.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Finalised {
    /// The evaluation, now endelig.
    pub evaluation: EvaluationView,
    /// The decision, waiting for publication.
    pub pending_decision: DecisionInput,
}

/// A published evaluation and the decision its publication wrote in the log.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Published {
    /// The evaluation, now offentliggjort.
    pub evaluation: EvaluationView,
    /// The official-level decision now in the log (none for an evaluation finalised
    /// before decisions waited for publication).
    pub decision: Option<decision::Model>,
}

/// What the portfolio registry shows about a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PortfolioEvidence {
    /// The product.
    pub product_id: i32,
    /// The model the findings are in.
    pub model_id: String,
    /// One finding per requirement the registry supports.
    pub findings: Vec<PortfolioFinding>,
}

/// A comment as a client sends it.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    /// The requirement (`F7`), in the evaluation's model.
    pub requirement: String,
    /// The comment, plain text.
    pub body: String,
}

/// An evaluation opened for the workbench: the evaluation, its product and its model.
#[derive(Debug, Clone)]
pub struct Opened<'a> {
    /// The evaluation with its current version.
    pub view: EvaluationView,
    /// Its product.
    pub product: product::Model,
    /// Its model.
    pub model: &'a Model,
}

/// The model `model_id`, or a refusal naming `field` and the models that exist.
pub fn model_of<'a>(app: &'a App, field: &str, model_id: &str) -> AppResult<&'a Model> {
    app.registry().get(model_id).map_err(|e| {
        AppError::invalid(
            field,
            Msg::new(
                format!(
                    "ukendt model `{}`; kendte modeller: {}",
                    e.id,
                    e.known.join(", ")
                ),
                e.to_string(),
            ),
        )
    })
}

/// The stored model of an evaluation (a failure of the server's, not the caller's, when
/// it is not known any more).
fn stored_model<'a>(app: &'a App, head: &evaluation::Model) -> AppResult<&'a Model> {
    app.registry()
        .get(&head.model_id)
        .map_err(AppError::internal)
}

fn to_json<T: Serialize>(value: &T) -> AppResult<serde_json::Value> {
    serde_json::to_value(value).map_err(AppError::internal)
}

/// "kravet 'x' findes ikke i modellen m" as a refusal of `field`.
fn unknown_requirement(field: &str, requirement: &str, model: &Model) -> AppError {
    AppError::invalid(
        field,
        Msg::new(
            format!(
                "kravet '{requirement}' findes ikke i modellen {}",
                model.id()
            ),
            format!(
                "the requirement '{requirement}' does not exist in the model {}",
                model.id()
            ),
        ),
    )
}

/// Checks ratings sent by a client against the model: known requirement ids (each at
/// most once), known ratings. Returns them in the model's order with canonical ids; a
/// blank basis, recommendation or original is none.
pub fn check_ratings(model: &Model, inputs: &[RatingInput]) -> AppResult<Vec<RatingEntry>> {
    let mut entries: Vec<(usize, RatingEntry)> = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let found = model.requirement(&input.requirement);
        let Some(position) =
            found.and_then(|req| model.requirements().iter().position(|r| r.id == req.id))
        else {
            return Err(unknown_requirement(
                &format!("ratings[{i}].requirement"),
                &input.requirement,
                model,
            ));
        };
        let requirement = &model.requirements()[position];
        if entries.iter().any(|(p, _)| *p == position) {
            return Err(AppError::invalid(
                format!("ratings[{i}].requirement"),
                Msg::new(
                    format!("kravet {} er vurderet to gange", requirement.id),
                    format!("the requirement {} is rated twice", requirement.id),
                ),
            ));
        }
        let rating = match input.rating.as_deref() {
            None => None,
            Some(text) => Some(Rating::parse(text).ok_or_else(|| {
                AppError::invalid(
                    format!("ratings[{i}].rating"),
                    Msg::new(
                        format!(
                            "ukendt vurdering '{text}'; brug green, yellow, red eller grey (🟢 🟡 🔴 ⚪), eller null for ikke vurderet"
                        ),
                        format!(
                            "unknown rating '{text}'; use green, yellow, red or grey (🟢 🟡 🔴 ⚪), or null for not rated"
                        ),
                    ),
                )
            })?),
        };
        let blank = |t: &Option<String>| t.clone().filter(|s| !s.trim().is_empty());
        entries.push((
            position,
            RatingEntry {
                requirement: requirement.id.clone(),
                rating,
                original: blank(&input.original),
                basis: blank(&input.basis),
                recommendation: blank(&input.recommendation),
            },
        ));
    }
    entries.sort_by_key(|(p, _)| *p);
    Ok(entries.into_iter().map(|(_, e)| e).collect())
}

/// What the latest finished scan and the portfolio registry propose for `product_id`'s
/// requirements, in `model` (one candidate per source and requirement, unmerged), and
/// what the scanned trees say about the links of the `claims` (answer candidates).
pub(crate) async fn evidence_candidates(
    app: &App,
    product_id: i32,
    model: &Model,
    claims: &[(RequirementId, Candidate)],
) -> AppResult<Vec<(RequirementId, Candidate)>> {
    let store = app.store();
    let mut candidates = Vec::new();
    if let Some(run) = store.latest_scan(product_id).await?
        && let Some(result) = &run.result
    {
        let trees = proposals::links::trees_from_scan(result);
        candidates.extend(proposals::links::candidates(claims, &trees));
        candidates.extend(proposals::from_scan(app.registry(), model, run.id, result));
    }
    let data = evidence::load(store, product_id).await?;
    let found = evidence::findings(&data, model, store.now().date_naive());
    candidates.extend(proposals::from_portfolio(&found));
    Ok(candidates)
}

/// Creates an evaluation draft of `product` (found with
/// [`crate::visibility::resolve_product`]), answering its newest self-evaluation (or
/// `self_evaluation_id`). Every requirement gets the rating *proposed* from the answers,
/// the latest finished scan and the portfolio registry; `proposals` keeps each proposal
/// with its source, confidence, reason and the proposals that lost. For the secretariat.
///
/// Refuses a self-evaluation of another product, a product without a self-evaluation
/// when no model is named, an unknown model, and a stored self-evaluation that no longer
/// reads.
pub async fn create_draft(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    input: NewEvaluationInput,
) -> AppResult<EvaluationView> {
    let who = require(who, Action::Evaluate)?;
    let store = app.store();
    let registry = app.registry();
    let self_evaluation = match input.self_evaluation_id {
        Some(id) => {
            let found = match store.self_evaluation(id).await {
                Ok(se) => Some(se),
                Err(StoreError::NotFound { .. }) => None,
                Err(other) => return Err(other.into()),
            };
            match found {
                Some(se) if se.product_id == product.id => Some(se),
                _ => {
                    return Err(AppError::invalid(
                        "self_evaluation_id",
                        Msg::new(
                            format!("selvevaluering {id} hører ikke til {}", product.name),
                            format!("self-evaluation {id} does not belong to {}", product.name),
                        ),
                    ));
                }
            }
        }
        None => store.latest_self_evaluation(product.id).await?,
    };
    let Some(model_id) = input
        .model_id
        .clone()
        .or_else(|| self_evaluation.as_ref().map(|s| s.model_id.clone()))
    else {
        return Err(AppError::invalid(
            "model_id",
            Msg::new(
                format!(
                    "{} har ingen selvevaluering; angiv den model, der evalueres efter",
                    product.name
                ),
                format!(
                    "{} has no self-evaluation; name the model to evaluate against",
                    product.name
                ),
            ),
        ));
    };
    let model = model_of(app, "model_id", &model_id)?;
    if let Some(open) = open_evaluation(app, Some(who), product).await? {
        return Err(already_open(product, open.id, open.status));
    }
    let mut candidates = Vec::new();

    // (a) The answers, through the proposal table, translated if the models differ.
    if let Some(se) = &self_evaluation {
        // A stored document that no longer reads (written by hand into the database, or by
        // a future format) is the caller's to fix, not a server fault.
        let report: Report = serde_json::from_value(se.document.clone()).map_err(|e| {
            AppError::coded(
                ErrorKind::Invalid,
                "unreadable_self_evaluation",
                "self_evaluation_id",
                Msg::new(
                    format!(
                        "selvevaluering {} (version {}) kan ikke læses: {e}; indsend den igen",
                        se.id, se.number
                    ),
                    format!(
                        "self-evaluation {} (version {}) cannot be read: {e}; submit it again",
                        se.id, se.number
                    ),
                ),
            )
        })?;
        if let (Some(answers), Ok(se_model)) =
            (report.self_evaluation.as_ref(), registry.get(&se.model_id))
        {
            let table = proposals::default_table()?;
            let (_, from_answers) =
                niveau_report::draft::propose(&report, answers, se_model, table);
            candidates.extend(proposals::translate(
                registry,
                se_model,
                model,
                proposals::from_answers(&from_answers),
            ));
        }
    }
    // (b) The latest finished scan (its findings, and the claims' links against its
    // trees), (c) the portfolio registry.
    let evidence = evidence_candidates(app, product.id, model, &candidates).await?;
    candidates.extend(evidence);

    let merged = proposals::merge(model, candidates);
    // The proposed rating is kept; the basis is the secretariat's to write. A proposal's
    // reason stays in `proposals`, where the workbench shows it as a proposal (#12).
    let mut ratings = proposals::initial_ratings(model, &merged);
    for entry in &mut ratings {
        entry.basis = None;
    }
    let indicated_level = proposals::indicated_level(model, &ratings);
    // The store checks again, in its transaction: a draft started meanwhile is refused
    // with the same message.
    store
        .create_evaluation(
            &who.actor(),
            NewEvaluation {
                product_id: product.id,
                self_evaluation_id: self_evaluation.as_ref().map(|s| s.id),
                model_id: model.id().to_string(),
                model_version: model.version().to_owned(),
                ratings: to_json(&ratings)?,
                proposals: to_json(&merged)?,
                summary: input.summary,
                indicated_level,
            },
        )
        .await
        .map_err(|e| match e {
            StoreError::OpenEvaluation { id, status } => already_open(product, id, status),
            other => other.into(),
        })
}

/// The product's open evaluation (kladde or i dialog), if it has one: a product has at
/// most one at a time. For the secretariat.
pub async fn open_evaluation(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
) -> AppResult<Option<evaluation::Model>> {
    require(who, Action::ReadEvaluationDrafts)?;
    Ok(app.store().open_evaluation(product.id).await?)
}

/// The refusal of a second open evaluation: names the open one and where it is.
fn already_open(product: &product::Model, id: i32, status: EvaluationStatus) -> AppError {
    AppError::coded(
        ErrorKind::State,
        "open_evaluation",
        "product",
        Msg::new(
            format!(
                "{} har allerede en åben evaluering (evaluering {id}, {}): /evalueringer/{id}. Arbejd videre i den, eller kassér den først.",
                product.name,
                status.as_str()
            ),
            format!(
                "{} already has an open evaluation (evaluation {id}, {}): /evalueringer/{id}. Continue it, or discard it first.",
                product.name,
                status.as_str()
            ),
        ),
    )
}

/// Starts a draft of `product` as the workbench does: answering the newest
/// self-evaluation, or, when the product has none, in the product's official model (else
/// [`DEFAULT_MODEL`]) with proposals from the scan and the portfolio only.
pub async fn start_draft(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
) -> AppResult<EvaluationView> {
    require(who, Action::Evaluate)?;
    let model_id = match app.store().latest_self_evaluation(product.id).await? {
        Some(_) => None,
        None => Some(
            product
                .official_model
                .clone()
                .unwrap_or_else(|| DEFAULT_MODEL.to_owned()),
        ),
    };
    let input = NewEvaluationInput {
        model_id,
        ..NewEvaluationInput::default()
    };
    create_draft(app, who, product, input).await
}

/// What the portfolio registry shows about a product's governance requirements, in
/// `model_id` (default: the product's official model, else its newest self-evaluation's,
/// else the detectors' model). For logged-in readers.
pub async fn product_evidence(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    model_id: Option<String>,
) -> AppResult<PortfolioEvidence> {
    require(who, Action::ReadPortfolio)?;
    let model_id = match model_id.or_else(|| product.official_model.clone()) {
        Some(m) => m,
        None => app
            .store()
            .latest_self_evaluation(product.id)
            .await?
            .map(|s| s.model_id)
            .unwrap_or_else(|| niveau_scan::check::DETECTOR_MODEL.to_owned()),
    };
    let model = model_of(app, "model_id", &model_id)?;
    let data = evidence::load(app.store(), product.id).await?;
    let findings = evidence::findings(&data, model, app.store().now().date_naive());
    Ok(PortfolioEvidence {
        product_id: product.id,
        model_id: model.id().to_string(),
        findings,
    })
}

/// Evaluations (heads) the caller may see, by `filter`: drafts only for the secretariat
/// (asking for drafts without that right is forbidden); a product editor sees only the
/// evaluations of their products; the public sees published evaluations of published
/// products.
pub async fn list(
    app: &App,
    who: Caller<'_>,
    mut filter: EvaluationFilter,
    params: &ListParams,
) -> AppResult<Page<evaluation::Model>> {
    if who.is_none() {
        if filter
            .status
            .is_some_and(|s| s != EvaluationStatus::Offentliggjort)
        {
            filter.products = Some(Vec::new());
        }
        filter.status = Some(EvaluationStatus::Offentliggjort);
        filter.public_only = true;
        return Ok(app.store().list_evaluations(&filter, params).await?);
    }
    filter.products = readable_products(who);
    let drafts = allowed(who, Action::ReadEvaluationDrafts);
    if filter
        .status
        .is_some_and(EvaluationStatus::is_secretariat_only)
        && !drafts
    {
        return Err(AppError::Forbidden);
    }
    filter.exclude_drafts = !drafts;
    Ok(app.store().list_evaluations(&filter, params).await?)
}

/// One evaluation with its current version, if the caller may see it.
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<EvaluationView> {
    let view = app.store().evaluation(id).await?;
    ensure_evaluation_visible(app.store(), who, &view.head).await?;
    Ok(view)
}

/// An evaluation, its product and its model, for a reader of the product's evaluations
/// (the workbench).
pub async fn open<'a>(app: &'a App, who: Caller<'_>, id: i32) -> AppResult<Opened<'a>> {
    let view = get(app, who, id).await?;
    require(who, Action::ReadEvaluation(view.head.product_id))?;
    let product = app.store().product(view.head.product_id).await?;
    let model = stored_model(app, &view.head)?;
    Ok(Opened {
        view,
        product,
        model,
    })
}

/// An evaluation's versions, oldest first, one page at a time; draft versions only for
/// the secretariat. For readers of the product's evaluations.
pub async fn versions(
    app: &App,
    who: Caller<'_>,
    id: i32,
    params: &ListParams,
) -> AppResult<Page<evaluation_version::Model>> {
    let view = get(app, who, id).await?;
    require(who, Action::ReadEvaluation(view.head.product_id))?;
    let drafts = allowed(who, Action::ReadEvaluationDrafts);
    Ok(app.store().evaluation_versions(id, drafts, params).await?)
}

/// Saves ratings (replaced as a whole) and texts as a new version based on `version`;
/// each requirement must be one of the evaluation's model, each rating known. The
/// indicated level is computed again. For the secretariat; a stale version is a conflict.
pub async fn save_ratings(
    app: &App,
    who: Caller<'_>,
    id: i32,
    version: i32,
    input: EvaluationUpdate,
) -> AppResult<EvaluationView> {
    let who = require(who, Action::Evaluate)?;
    let current = app.store().evaluation(id).await?;
    let model = model_of(app, "model_id", &current.head.model_id)?;
    let ratings = check_ratings(model, &input.ratings)?;
    let indicated_level = proposals::indicated_level(model, &ratings);
    Ok(app
        .store()
        .update_evaluation(
            &who.actor(),
            id,
            version,
            EvaluationChange {
                ratings: to_json(&ratings)?,
                summary: input.summary,
                overall: input.overall,
                recommendations: input.recommendations,
                indicated_level,
            },
        )
        .await?)
}

/// Moves an evaluation between kladde and i dialog. For the secretariat.
pub async fn set_status(
    app: &App,
    who: Caller<'_>,
    id: i32,
    version: i32,
    status: EvaluationStatus,
) -> AppResult<EvaluationView> {
    let who = require(who, Action::Evaluate)?;
    let view = app
        .store()
        .set_evaluation_status(&who.actor(), id, version, status)
        .await?;
    if view.head.status == EvaluationStatus::IDialog {
        crate::notifications::evaluation_in_dialogue(app, &view).await;
    }
    Ok(view)
}

/// Makes an evaluation final with the official level: the evaluation becomes endelig,
/// and the `niveau` decision waits on it until it is published ([`publish`]). For the
/// secretariat, who is named as the evaluator. Refuses a level the evaluation's model
/// does not have (`level`, naming the possible ones), an empty basis (`basis`), and a
/// level above the one the saved ratings indicate without a justification
/// (`justification`), which is logged with the decision.
pub async fn finalise(
    app: &App,
    who: Caller<'_>,
    id: i32,
    mut input: FinaliseInput,
) -> AppResult<Finalised> {
    let who = require(who, Action::Evaluate)?;
    let current = app.store().evaluation(id).await?;
    let model = model_of(app, "model_id", &current.head.model_id)?;
    let Some(level) = model.level(&input.level) else {
        let known: Vec<&str> = model.levels().iter().map(|l| l.id.as_str()).collect();
        return Err(AppError::invalid(
            "level",
            Msg::new(
                format!(
                    "niveauet '{}' findes ikke i {}; mulige: {}",
                    input.level,
                    model.id(),
                    known.join(", ")
                ),
                format!(
                    "the level '{}' does not exist in {}; possible: {}",
                    input.level,
                    model.id(),
                    known.join(", ")
                ),
            ),
        ));
    };
    if input.basis.trim().is_empty() {
        return Err(AppError::invalid(
            "basis",
            Msg::new(
                "skriv grundlaget for beslutningen",
                "write the basis of the decision",
            ),
        ));
    }
    let justification = input
        .justification
        .as_deref()
        .map(str::trim)
        .filter(|j| !j.is_empty())
        .map(str::to_owned);
    let indicated = current
        .current
        .indicated_level
        .as_deref()
        .and_then(|l| model.level(l));
    let above = match indicated {
        Some(i) => model.level_position(&level.id) > model.level_position(&i.id),
        None => true,
    };
    if above {
        let Some(justification) = &justification else {
            let indicated_name = indicated.map_or("intet niveau", |l| l.name.as_str());
            let indicated_en = indicated.map_or("no level", |l| l.name.as_str());
            return Err(AppError::invalid(
                "justification",
                Msg::new(
                    format!(
                        "{} er over det niveau, vurderingerne peger på ({indicated_name}); skriv begrundelsen for det højere niveau",
                        level.name
                    ),
                    format!(
                        "{} is above the level the ratings indicate ({indicated_en}); write why the higher level is justified",
                        level.name
                    ),
                ),
            ));
        };
        // The justification is logged with the decision, in its basis.
        input.basis = format!(
            "{}\n\nBegrundelse for et niveau over det, vurderingerne peger på ({}): {justification}",
            input.basis.trim(),
            indicated.map_or("intet niveau", |l| l.name.as_str())
        );
    }
    input.justification = justification;
    input.level = level.id.to_string();
    let (evaluation, pending_decision) = app
        .store()
        .finalise_evaluation(&who.actor(), id, input, &who.display_name)
        .await?;
    Ok(Finalised {
        evaluation,
        pending_decision,
    })
}

/// Publishes a final evaluation: its official-level decision is written in the log and
/// sets the product's official level, together. For the secretariat.
pub async fn publish(app: &App, who: Caller<'_>, id: i32, version: i32) -> AppResult<Published> {
    let who = require(who, Action::Evaluate)?;
    let (evaluation, decision) = app
        .store()
        .publish_evaluation(&who.actor(), id, version)
        .await?;
    crate::notifications::evaluation_published(
        app,
        &evaluation.head,
        decision.as_ref().and_then(|d| d.to_value.as_deref()),
    )
    .await;
    Ok(Published {
        evaluation,
        decision,
    })
}

/// Discards an evaluation in kladde or i dialog: it becomes kasseret, is kept with its
/// versions and comments (seen by the secretariat only), and no longer counts as the
/// product's open evaluation. For the secretariat.
pub async fn discard(
    app: &App,
    who: Caller<'_>,
    id: i32,
    version: i32,
) -> AppResult<EvaluationView> {
    let who = require(who, Action::Evaluate)?;
    Ok(app
        .store()
        .discard_evaluation(&who.actor(), id, version)
        .await?)
}

/// Whether the caller may comment on evaluation `id` now: the caller and the evaluation,
/// or a refusal (not logged in, forbidden, not found; a state error when the dialogue is
/// closed). The HTTP layer asks this before it reads the comment.
pub async fn check_may_comment<'p>(
    app: &App,
    who: Caller<'p>,
    id: i32,
) -> AppResult<(&'p Principal, EvaluationView)> {
    let principal = require(who, Action::ReadPortfolio)?;
    let view = get(app, who, id).await?;
    if !may_comment(who, &view.head) {
        return Err(if view.head.status.is_editable() {
            require(who, Action::Evaluate)
                .err()
                .unwrap_or(AppError::Forbidden)
        } else {
            let status = view.head.status;
            AppError::state(Msg::new(
                format!("evalueringen er {status} og dialogen er lukket"),
                format!("the evaluation is {status} and the dialogue is closed"),
            ))
        });
    }
    Ok((principal, view))
}

/// Adds a comment to the thread of one requirement, as the caller: the secretariat while
/// the evaluation is kladde or i dialog, the product's editors while it is i dialog.
/// Refuses a requirement the evaluation's model does not have.
pub async fn comment(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &CommentInput,
) -> AppResult<evaluation_comment::Model> {
    let (who, view) = check_may_comment(app, who, id).await?;
    let model = model_of(app, "model_id", &view.head.model_id)?;
    let Some(requirement) = model.requirement(&input.requirement) else {
        return Err(unknown_requirement(
            "requirement",
            &input.requirement,
            model,
        ));
    };
    let comment = app
        .store()
        .add_comment(&who.actor(), id, requirement.id.as_str(), &input.body)
        .await?;
    crate::notifications::evaluation_commented(
        app,
        view.head.product_id,
        &comment,
        &who.display_name,
        who.is_staff(),
    )
    .await;
    Ok(comment)
}

/// The dialogue about an evaluation: every comment, oldest first. For readers of the
/// product's evaluations; not public.
pub async fn comments(
    app: &App,
    who: Caller<'_>,
    id: i32,
) -> AppResult<Vec<evaluation_comment::Model>> {
    let view = get(app, who, id).await?;
    require(who, Action::ReadEvaluation(view.head.product_id))?;
    Ok(app.store().comments(id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::work_fixtures::{app, product_with_groups, secretariat, who};
    use niveau_store::types::Role;

    fn input(requirement: &str, rating: Option<&str>) -> RatingInput {
        RatingInput {
            requirement: requirement.into(),
            rating: rating.map(str::to_owned),
            basis: Some("  ".into()),
            recommendation: None,
            original: None,
        }
    }

    #[test]
    fn ratings_are_checked_against_the_model() {
        let reg = niveau_model::Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let entries = check_ratings(
            model,
            &[
                input("g6", Some("🟢")),
                input("R1", Some("yellow")),
                input("F2", None),
            ],
        )
        .unwrap();
        let got: Vec<(&str, Option<Rating>)> = entries
            .iter()
            .map(|e| (e.requirement.as_str(), e.rating))
            .collect();
        assert_eq!(
            got,
            [
                ("R1", Some(Rating::Yellow)),
                ("F2", None),
                ("G6", Some(Rating::Green))
            ]
        );
        assert_eq!(entries[0].basis, None, "a blank basis is no basis");

        let err =
            check_ratings(model, &[input("R1", None), input("F8", Some("green"))]).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Invalid);
        assert_eq!(err.field(), Some("ratings[1].requirement"));
        assert_eq!(
            err.message().da,
            "kravet 'F8' findes ikke i modellen os2-1.1.0"
        );
        assert_eq!(
            err.message().en,
            "the requirement 'F8' does not exist in the model os2-1.1.0"
        );

        let err = check_ratings(model, &[input("R1", Some("blå"))]).unwrap_err();
        assert_eq!(err.field(), Some("ratings[0].rating"));

        let err = check_ratings(model, &[input("R1", None), input("r1", None)]).unwrap_err();
        assert_eq!(err.field(), Some("ratings[1].requirement"));
        assert_eq!(err.message().da, "kravet R1 er vurderet to gange");
        assert_eq!(err.message().en, "the requirement R1 is rated twice");
    }

    #[tokio::test]
    async fn a_draft_takes_its_proposals_from_the_portfolio() {
        let app = app().await;
        let sek = secretariat();
        let product = product_with_groups(&app).await;
        // Only the secretariat makes drafts.
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        assert!(matches!(
            start_draft(&app, Some(&editor), &product).await,
            Err(AppError::Forbidden)
        ));
        // Without a self-evaluation the API needs a model …
        let err = create_draft(&app, Some(&sek), &product, NewEvaluationInput::default())
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("model_id"));
        assert_eq!(
            err.message().en,
            "Produkt has no self-evaluation; name the model to evaluate against"
        );
        // … and the workbench takes OS2's current one.
        let draft = start_draft(&app, Some(&sek), &product).await.unwrap();
        assert_eq!(draft.head.model_id, DEFAULT_MODEL);
        assert_eq!(draft.head.status, EvaluationStatus::Kladde);
        let merged: Vec<proposals::RatingProposal> =
            serde_json::from_value(draft.current.proposals.clone()).unwrap();
        let lead = merged
            .iter()
            .find(|p| p.chosen.source == niveau_model::ProposalSource::Portfolio)
            .expect("a proposal from the portfolio");
        let ratings: Vec<RatingEntry> =
            serde_json::from_value(draft.current.ratings.clone()).unwrap();
        let rated = ratings
            .iter()
            .find(|e| e.requirement.as_str() == lead.requirement)
            .unwrap();
        assert_eq!(rated.rating, Some(lead.chosen.rating));
        // A self-evaluation of another product is refused.
        let err = create_draft(
            &app,
            Some(&sek),
            &product,
            NewEvaluationInput {
                self_evaluation_id: Some(999),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert_eq!(
            err.message().da,
            "selvevaluering 999 hører ikke til Produkt"
        );
    }

    #[tokio::test]
    async fn finalising_needs_a_level_of_the_model_and_a_basis() {
        let app = app().await;
        let sek = secretariat();
        let product = product_with_groups(&app).await;
        let draft = start_draft(&app, Some(&sek), &product).await.unwrap();
        let id = draft.head.id;
        let finalise_input = |level: &str, basis: &str| FinaliseInput {
            version: draft.head.version,
            level: level.into(),
            decided_on: None,
            decided_by: None,
            basis: basis.into(),
            reference: None,
            justification: None,
        };
        let reader = who(&[Role::Bestyrelse], &[]);
        assert!(matches!(
            finalise(&app, Some(&reader), id, finalise_input("2", "x")).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            finalise(&app, None, id, finalise_input("2", "x")).await,
            Err(AppError::Unauthenticated)
        ));
        let err = finalise(&app, Some(&sek), id, finalise_input("7", "x"))
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("level"));
        assert!(
            err.message()
                .da
                .starts_with("niveauet '7' findes ikke i os2-1.1.0; mulige: "),
            "{}",
            err.message().da
        );
        let err = finalise(&app, Some(&sek), id, finalise_input("1", "  "))
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("basis"));
        assert_eq!(err.message().en, "write the basis of the decision");
        // Nothing was changed by the refusals.
        assert_eq!(
            get(&app, Some(&sek), id).await.unwrap().head.status,
            EvaluationStatus::Kladde
        );
        let done = finalise(
            &app,
            Some(&sek),
            id,
            FinaliseInput {
                justification: Some("Bestyrelsen har set dokumentationen".into()),
                ..finalise_input("Niveau 2", "Evalueringsrunden")
            },
        )
        .await
        .unwrap();
        assert_eq!(done.evaluation.head.status, EvaluationStatus::Endelig);
        assert_eq!(done.pending_decision.to.as_deref(), Some("2"));
        assert_eq!(
            done.evaluation.head.evaluated_by.as_deref(),
            Some("Sekretariatet"),
            "the evaluator is the finaliser's display name"
        );
    }

    #[tokio::test]
    async fn the_dialogue_follows_the_status() {
        let app = app().await;
        let sek = secretariat();
        let product = product_with_groups(&app).await;
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        let other_editor = who(&[Role::Produktredaktor], &[product.id + 1]);
        let draft = start_draft(&app, Some(&sek), &product).await.unwrap();
        let id = draft.head.id;
        let say = |text: &str| CommentInput {
            requirement: "f7".into(),
            body: text.into(),
        };
        // A draft: the secretariat only; the product's editor does not know it exists.
        assert!(comment(&app, Some(&sek), id, &say("kladde")).await.is_ok());
        let err = comment(&app, Some(&editor), id, &say("x"))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::NotFound);
        assert!(matches!(
            comment(&app, None, id, &say("x")).await,
            Err(AppError::Unauthenticated)
        ));
        // In dialogue: the product's editors too, but not another product's.
        let view = set_status(&app, Some(&sek), id, 1, EvaluationStatus::IDialog)
            .await
            .unwrap();
        let said = comment(&app, Some(&editor), id, &say("svar"))
            .await
            .unwrap();
        assert_eq!(said.requirement, "F7");
        assert_eq!(said.author, "redaktør");
        assert!(matches!(
            comment(&app, Some(&other_editor), id, &say("x")).await,
            Err(AppError::Forbidden)
        ));
        let err = comment(
            &app,
            Some(&sek),
            id,
            &CommentInput {
                requirement: "Z9".into(),
                body: "x".into(),
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.field(), Some("requirement"));
        let thread = comments(&app, Some(&editor), id).await.unwrap();
        let bodies: Vec<&str> = thread.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["kladde", "svar"]);
        // Final: the dialogue is closed for everyone.
        finalise(
            &app,
            Some(&sek),
            id,
            FinaliseInput {
                version: view.head.version,
                level: "1".into(),
                decided_on: None,
                decided_by: None,
                basis: "Runden".into(),
                reference: None,
                justification: Some("Runden".into()),
            },
        )
        .await
        .unwrap();
        let err = comment(&app, Some(&sek), id, &say("x")).await.unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::State);
        assert_eq!(
            err.message().da,
            "evalueringen er endelig og dialogen er lukket"
        );
        assert_eq!(
            err.message().en,
            "the evaluation is endelig and the dialogue is closed"
        );
    }
    /// A fresh draft as the secretariat, finalised at `level` with `justification`.
    async fn finalised(
        app: &App,
        product: &product::Model,
        level: &str,
        justification: Option<&str>,
    ) -> AppResult<Finalised> {
        let sek = secretariat();
        let draft = start_draft(app, Some(&sek), product).await?;
        finalise(
            app,
            Some(&sek),
            draft.head.id,
            FinaliseInput {
                version: draft.head.version,
                level: level.into(),
                decided_on: None,
                decided_by: None,
                basis: "Evalueringsrunden".into(),
                reference: None,
                justification: justification.map(str::to_owned),
            },
        )
        .await
    }

    #[tokio::test]
    async fn a_new_draft_proposes_ratings_but_writes_no_basis() {
        let app = app().await;
        let sek = secretariat();
        let product = product_with_groups(&app).await;
        let draft = start_draft(&app, Some(&sek), &product).await.unwrap();
        let ratings: Vec<RatingEntry> =
            serde_json::from_value(draft.current.ratings.clone()).unwrap();
        let merged: Vec<proposals::RatingProposal> =
            serde_json::from_value(draft.current.proposals.clone()).unwrap();
        assert!(!merged.is_empty());
        for p in &merged {
            let entry = ratings
                .iter()
                .find(|e| e.requirement.as_str() == p.requirement)
                .unwrap();
            assert_eq!(entry.rating, Some(p.chosen.rating), "{}", p.requirement);
            assert_eq!(
                entry.basis, None,
                "{}: no basis in the secretariat's name",
                p.requirement
            );
            assert!(
                !p.chosen.reason.da.is_empty(),
                "the reason stays a proposal"
            );
        }
    }

    #[tokio::test]
    async fn one_open_evaluation_per_product_and_a_draft_can_be_discarded() {
        let app = app().await;
        let sek = secretariat();
        let product = product_with_groups(&app).await;
        let first = start_draft(&app, Some(&sek), &product).await.unwrap();
        let found = open_evaluation(&app, Some(&sek), &product).await.unwrap();
        assert_eq!(found.map(|h| h.id), Some(first.head.id));
        // A second one is refused, naming the open one; in dialogue too.
        let err = start_draft(&app, Some(&sek), &product).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::State);
        assert_eq!(err.code(), "open_evaluation");
        let id = first.head.id;
        assert_eq!(
            err.message().da,
            format!(
                "Produkt har allerede en åben evaluering (evaluering {id}, kladde): /evalueringer/{id}. Arbejd videre i den, eller kassér den først."
            )
        );
        assert_eq!(
            err.message().en,
            format!(
                "Produkt already has an open evaluation (evaluation {id}, kladde): /evalueringer/{id}. Continue it, or discard it first."
            )
        );
        let in_dialog = set_status(&app, Some(&sek), id, 1, EvaluationStatus::IDialog)
            .await
            .unwrap();
        assert!(start_draft(&app, Some(&sek), &product).await.is_err());
        // Only the secretariat discards.
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        assert!(matches!(
            discard(&app, Some(&editor), id, in_dialog.head.version).await,
            Err(AppError::Forbidden)
        ));
        let discarded = discard(&app, Some(&sek), id, in_dialog.head.version)
            .await
            .unwrap();
        assert_eq!(discarded.head.status, EvaluationStatus::Kasseret);
        // Kept, for the secretariat only: the product's editor no longer sees it.
        assert_eq!(
            get(&app, Some(&sek), id).await.unwrap().head.status,
            EvaluationStatus::Kasseret
        );
        let err = get(&app, Some(&editor), id).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let theirs = list(
            &app,
            Some(&editor),
            EvaluationFilter::default(),
            &ListParams::all(),
        )
        .await
        .unwrap();
        assert_eq!(theirs.total, 0);
        // A discarded one is not open: a new draft may start, and it is not editable.
        let err = discard(&app, Some(&sek), id, discarded.head.version)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::State);
        let second = start_draft(&app, Some(&sek), &product).await.unwrap();
        assert_ne!(second.head.id, id);
    }

    #[tokio::test]
    async fn a_level_above_the_indicated_one_needs_a_justification_in_the_log() {
        let app = app().await;
        let product = product_with_groups(&app).await;
        // The proposals of a product with no self-evaluation indicate no level at all.
        let err = finalised(&app, &product, "3", None).await.unwrap_err();
        assert_eq!(err.field(), Some("justification"));
        assert!(
            err.message()
                .da
                .contains("er over det niveau, vurderingerne peger på"),
            "{}",
            err.message().da
        );
        assert!(
            err.message()
                .en
                .contains("write why the higher level is justified")
        );
        let sek = secretariat();
        let open = open_evaluation(&app, Some(&sek), &product)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(open.status, EvaluationStatus::Kladde, "nothing changed");
        discard(&app, Some(&sek), open.id, open.version)
            .await
            .unwrap();
        let done = finalised(
            &app,
            &product,
            "3",
            Some("  Bestyrelsen besluttede det 1. juni  "),
        )
        .await
        .unwrap();
        let basis = &done.pending_decision.basis;
        assert!(
            basis.starts_with(
                "Evalueringsrunden\n\nBegrundelse for et niveau over det, vurderingerne peger på ("
            ),
            "{basis}"
        );
        assert!(
            basis.ends_with("): Bestyrelsen besluttede det 1. juni"),
            "{basis}"
        );
        let published = publish(
            &app,
            Some(&sek),
            done.evaluation.head.id,
            done.evaluation.head.version,
        )
        .await
        .unwrap();
        let decision = published
            .decision
            .expect("the decision is logged at publication");
        assert_eq!(
            &decision.basis, basis,
            "the justification is logged with the decision"
        );
        assert_eq!(decision.to_value.as_deref(), Some("3"));
    }

    #[tokio::test]
    async fn nothing_of_an_evaluation_is_public_before_it_is_published() {
        let app = app().await;
        let sek = secretariat();
        let product = product_with_groups(&app).await;
        let done = finalised(&app, &product, "1", Some("Runden"))
            .await
            .unwrap();
        let id = done.evaluation.head.id;
        let public_decisions = || async {
            crate::decisions::list(&app, None, Default::default(), &ListParams::all())
                .await
                .unwrap()
                .total
        };
        // Final, not published: no official level, no decision, no evaluation in public.
        assert_eq!(
            app.store()
                .product(product.id)
                .await
                .unwrap()
                .official_level,
            None
        );
        assert_eq!(public_decisions().await, 0);
        assert_eq!(
            crate::decisions::list(&app, Some(&sek), Default::default(), &ListParams::all())
                .await
                .unwrap()
                .total,
            0,
            "not in the internal log either until it is published"
        );
        assert_eq!(
            get(&app, None, id).await.unwrap_err().kind(),
            ErrorKind::NotFound
        );
        assert_eq!(
            list(&app, None, EvaluationFilter::default(), &ListParams::all())
                .await
                .unwrap()
                .total,
            0
        );
        assert!(
            crate::products::published_evaluation(&app, None, "produkt", None)
                .await
                .is_err()
        );
        // Published: all of it, together.
        publish(&app, Some(&sek), id, done.evaluation.head.version)
            .await
            .unwrap();
        let product = app.store().product(product.id).await.unwrap();
        assert_eq!(product.official_level.as_deref(), Some("1"));
        assert_eq!(public_decisions().await, 1);
        assert_eq!(
            get(&app, None, id).await.unwrap().head.status,
            EvaluationStatus::Offentliggjort
        );
        let (_, view) = crate::products::published_evaluation(&app, None, "produkt", None)
            .await
            .unwrap();
        assert_eq!(view.head.evaluated_by.as_deref(), Some("Sekretariatet"));
    }
}
