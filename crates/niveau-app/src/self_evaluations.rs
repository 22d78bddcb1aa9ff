//! Self-evaluations: the products' own claims, as immutable versions, and the upload
//! quota their versions count against.
//!
//! Three kinds of upload are read, all with niveau-report's importer:
//!
//! | [`UploadKind`] (from the `Content-Type`) | body | stored `format` |
//! |---|---|---|
//! | `Markdown` (`text/markdown`, `text/x-markdown`, `text/plain`) | an OS2 Markdown report (checklists 2021–2025, governance report 1.1.0) | `markdown` |
//! | `Json` (`application/json` or `…+json`) | OS2's self-evaluation form (`{productName, …, krav: […]}`) | `formular` |
//! | `Json` | Niveau's JSON (`niveau.report/1`, or `niveau.import/1`) | `json` |
//!
//! The upload is kept as it came (`source_text`), the document as Niveau JSON
//! (`document`, schema `niveau.report/1`, with its findings), the importer's warnings with
//! their lines or JSON paths (`warnings`), and the level the answers indicate when the
//! proposal table's ratings are taken as given (`indicated_level`). An upload that cannot
//! be read is refused with a message in Danish and English that names the line (and
//! column) where that is known; nothing is stored then. The self-evaluation editor saves
//! through the same path, as Niveau JSON ([`submit_report`]).

use std::collections::{BTreeMap, HashMap};

use niveau_model::{Model, Msg, Registry};
use niveau_report::document::{DocumentKind, Report};
use niveau_report::import::{ImportError, ImportOptions, MAX_INPUT_BYTES, import_bytes};
use niveau_store::entity::{product, self_evaluation};
use niveau_store::evaluations::NewSelfEvaluation;
use niveau_store::types::SubmissionFormat;
use niveau_store::versions::{SelfEvaluationVersion, UploadQuotaInput, UploadVolume};
use niveau_store::{ListParams, Page};

use crate::App;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::permissions::{Action, require};
use crate::principal::Caller;
use crate::proposals::Candidate;

pub mod carry;

/// What an upload says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadKind {
    /// An OS2 Markdown report.
    Markdown,
    /// OS2's form JSON or Niveau JSON.
    Json,
}

impl UploadKind {
    /// The kind a media type (`Content-Type`, parameters allowed) names, if any.
    pub fn from_media_type(content_type: &str) -> Option<UploadKind> {
        let media = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        match media.as_str() {
            "text/markdown" | "text/x-markdown" | "text/plain" => Some(UploadKind::Markdown),
            "application/json" => Some(UploadKind::Json),
            m if m.starts_with("application/") && m.ends_with("+json") => Some(UploadKind::Json),
            _ => None,
        }
    }
}

/// An uploaded self-evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// What it says it is.
    pub kind: UploadKind,
    /// The bytes as uploaded.
    pub body: &'a [u8],
    /// The number of the newest self-evaluation the submitter saw (0: none); if a newer
    /// one was stored meanwhile, the submission is a conflict and nothing is stored.
    /// `None` skips the check.
    pub based_on: Option<i32>,
}

/// A refusal of the upload's body.
fn refuse(message: Msg) -> AppError {
    AppError::invalid("body", message)
}

/// The importer's error, naming the line in both languages.
fn import_error(err: ImportError) -> AppError {
    match err {
        ImportError::TooLarge { size, limit, .. } => AppError::coded(
            ErrorKind::TooLarge,
            "too_large",
            "body",
            Msg::new(
                format!("filen er {size} bytes; der læses højst {limit} bytes"),
                format!("the file is {size} bytes; at most {limit} bytes are read"),
            ),
        ),
        ImportError::NotUtf8 { line, column, .. } => refuse(Msg::new(
            format!(
                "filen er ikke UTF-8-tekst (første ugyldige byte i linje {line}, kolonne {column})"
            ),
            format!(
                "the file is not UTF-8 text (first invalid byte on line {line}, column {column})"
            ),
        )),
        ImportError::NoRequirementTable { .. } => refuse(Msg::new(
            "ingen kravtabel fundet (en tabel med krav-id'er som R1, F7, G10); dokumentet er ikke \
             en OS2-selvevaluering, eller det er skrevet som fri tekst",
            "no requirement table found (a table with requirement ids such as R1, F7, G10); the \
             document is not an OS2 self-evaluation, or it is written as free text",
        )),
        ImportError::Json {
            line,
            column,
            message,
            ..
        } => {
            // serde_json's message ends with "at line L column C"; the place is said once.
            let message = match message.find(" at line ") {
                Some(i) => message[..i].to_owned(),
                None => message,
            };
            refuse(Msg::new(
                format!("ugyldig JSON i linje {line}, kolonne {column}: {message}"),
                format!("invalid JSON on line {line}, column {column}: {message}"),
            ))
        }
        ImportError::UnknownModel(e) => unknown_model(&e),
    }
}

/// An unknown model named by the document.
fn unknown_model(e: &niveau_model::UnknownModel) -> AppError {
    AppError::invalid(
        "model",
        Msg::new(
            format!(
                "ukendt model `{}`; kendte modeller: {}",
                e.id,
                e.known.join(", ")
            ),
            e.to_string(),
        ),
    )
}

/// Whether JSON text is OS2's form (no `schema`, but `krav`), as niveau-report decides.
fn is_form(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
        .ok()
        .is_some_and(|v| v.get("schema").is_none() && v.get("krav").is_some())
}

/// Imports an uploaded self-evaluation for `product_id` and prepares the row to store
/// (no permission check: [`submit`] checks, and the CLI's demo loading acts as the
/// console).
///
/// Refuses (naming the line where known) an upload that is not UTF-8, not valid JSON,
/// has no requirement table, or is an evaluation rather than a self-evaluation; an upload
/// above the importer's limit is too large (`too_large`).
pub fn prepare(
    registry: &Registry,
    product_id: i32,
    upload: Upload<'_>,
) -> AppResult<NewSelfEvaluation> {
    let (report, format, text) = import(registry, upload)?;
    row_of(
        registry,
        product_id,
        &report,
        format,
        Some(text),
        upload.based_on,
        &BTreeMap::new(),
    )
}

/// Reads an upload into a self-evaluation report, with the stored format and the text.
fn import(
    registry: &Registry,
    upload: Upload<'_>,
) -> AppResult<(Report, SubmissionFormat, String)> {
    let Upload { kind, body, .. } = upload;
    if body.len() > MAX_INPUT_BYTES {
        return Err(import_error(ImportError::TooLarge {
            file: String::new(),
            size: body.len(),
            limit: MAX_INPUT_BYTES,
        }));
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        let valid = e.valid_up_to();
        let prefix = String::from_utf8_lossy(body.get(..valid).unwrap_or_default());
        let (line, column) = niveau_model::error::LineIndex::new(&prefix).line_column(valid);
        import_error(ImportError::NotUtf8 {
            file: String::new(),
            line,
            column,
        })
    })?;
    let starts_json = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{');
    match (kind, starts_json) {
        (UploadKind::Json, false) => {
            return Err(refuse(Msg::new(
                "ugyldig JSON i linje 1, kolonne 1: indholdet er ikke et JSON-objekt; send \
                 Markdown som text/markdown",
                "invalid JSON on line 1, column 1: the content is not a JSON object; send \
                 Markdown as text/markdown",
            )));
        }
        (UploadKind::Markdown, true) => {
            return Err(refuse(Msg::new(
                "indholdet er JSON, men Content-Type siger Markdown; send det som application/json",
                "the content is JSON, but the Content-Type says Markdown; send it as application/json",
            )));
        }
        _ => {}
    }
    let source = match kind {
        UploadKind::Markdown => "upload.md",
        UploadKind::Json => "upload.json",
    };
    let report: Report =
        import_bytes(body, source, registry, &ImportOptions::default()).map_err(import_error)?;
    if report.kind != DocumentKind::SelfEvaluation {
        return Err(refuse(Msg::new(
            "dokumentet er en evaluering, ikke en selvevaluering; evalueringer laves under \
             /evaluations",
            "the document is an evaluation, not a self-evaluation; evaluations are made under \
             /evaluations",
        )));
    }
    if report.self_evaluation.is_none() {
        return Err(refuse(Msg::new(
            "dokumentet har ingen svar",
            "the document has no answers",
        )));
    }
    let format = match kind {
        UploadKind::Markdown => SubmissionFormat::Markdown,
        UploadKind::Json if is_form(text) => SubmissionFormat::Formular,
        UploadKind::Json => SubmissionFormat::Json,
    };
    Ok((report, format, text.to_owned()))
}

/// The row to store for a self-evaluation report: the document as Niveau JSON, the
/// warnings, and the level the answers indicate.
fn row_of(
    registry: &Registry,
    product_id: i32,
    report: &Report,
    format: SubmissionFormat,
    source_text: Option<String>,
    based_on: Option<i32>,
    marks: &BTreeMap<String, Msg>,
) -> AppResult<NewSelfEvaluation> {
    let model = registry
        .get(report.model.id.as_str())
        .map_err(|e| unknown_model(&e))?;
    let table = crate::proposals::default_table()?;
    let indicated_level = niveau_report::summary::assess(report, model, table)
        .and_then(|a| a.indication.level)
        .map(|l| l.to_string());
    let mut document = niveau_report::export::json(report)
        .map_err(AppError::internal)
        .and_then(|text| {
            serde_json::from_str::<serde_json::Value>(&text).map_err(AppError::internal)
        })?;
    if !marks.is_empty()
        && let Some(object) = document.as_object_mut()
    {
        let marks = serde_json::to_value(marks).map_err(AppError::internal)?;
        object.insert(REANSWER.to_owned(), marks);
    }
    let warnings = serde_json::to_value(&report.warnings).map_err(AppError::internal)?;
    Ok(NewSelfEvaluation {
        product_id,
        model_id: report.model.id.to_string(),
        model_version: report.model.version.clone(),
        format,
        source_text,
        document,
        warnings,
        indicated_level,
        based_on,
    })
}

/// Submits a self-evaluation of `product` (found with
/// [`crate::visibility::resolve_product`]) as a new version: for the product's editors and
/// the secretariat. Refuses an unreadable upload ([`prepare`]), a stale `based_on`
/// (conflict), and a version larger than a version may be or than the product's upload
/// quota leaves.
pub async fn submit(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    upload: Upload<'_>,
) -> AppResult<self_evaluation::Model> {
    let who = require(who, Action::SubmitSelfEvaluation(product.id))?;
    let input = prepare(app.registry(), product.id, upload)?;
    Ok(app
        .store()
        .create_self_evaluation(&who.actor(), input)
        .await?)
}

/// The key of the stored document's "to re-answer" marks: requirement id → why.
pub const REANSWER: &str = "reanswer";

/// The "to re-answer" marks of a stored document (see [`carry`]), by requirement id.
pub fn reanswer_marks(document: &serde_json::Value) -> BTreeMap<String, Msg> {
    document
        .get(REANSWER)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default()
}

/// Submits a self-evaluation written in the editor: the report goes through the same
/// import path as an uploaded Niveau JSON document ([`submit`]). `marks` are the
/// requirements still marked "to re-answer"; a requirement answered now loses its mark.
pub async fn submit_report(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    report: &Report,
    marks: &BTreeMap<String, Msg>,
    based_on: Option<i32>,
) -> AppResult<self_evaluation::Model> {
    let actor = require(who, Action::SubmitSelfEvaluation(product.id))?.actor();
    let answered = |id: &str| {
        report
            .self_evaluation
            .as_ref()
            .and_then(|se| se.answer(id))
            .is_some_and(|a| a.value != niveau_model::AnswerValue::Unanswered)
    };
    let marks: BTreeMap<String, Msg> = marks
        .iter()
        .filter(|(id, _)| !answered(id))
        .map(|(id, m)| (id.clone(), m.clone()))
        .collect();
    let body = niveau_report::export::json(report).map_err(AppError::internal)?;
    let upload = Upload {
        kind: UploadKind::Json,
        body: body.as_bytes(),
        based_on,
    };
    let (report, format, text) = import(app.registry(), upload)?;
    let input = row_of(
        app.registry(),
        product.id,
        &report,
        format,
        Some(text),
        based_on,
        &marks,
    )?;
    Ok(app.store().create_self_evaluation(&actor, input).await?)
}

/// What the uploader chose when a report names another product of the portfolio or is
/// in another model than the product's self-evaluation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UploadChoices {
    /// Import it although the report names another product of the portfolio.
    pub confirm_product: bool,
    /// What to do with a report in another model; `None` refuses such a report (409).
    pub model: Option<ModelChoice>,
}

/// What to do with a report in another model than the product's self-evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelChoice {
    /// Store it in the report's own model.
    Keep,
    /// Carry it to the product's model ([`carry::carry`]).
    Carry,
}

impl ModelChoice {
    /// `keep`/`behold` or `carry`/`overfoer`; anything else is no choice.
    pub fn parse(text: &str) -> Option<ModelChoice> {
        match text.trim().to_ascii_lowercase().as_str() {
            "keep" | "behold" => Some(ModelChoice::Keep),
            "carry" | "overfoer" | "overfør" => Some(ModelChoice::Carry),
            _ => None,
        }
    }
}

/// A product name as compared with another: letters and digits, lower case.
fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The model a product's self-evaluation follows now: its newest version's, else the
/// product's official model.
pub fn current_model(
    product: &product::Model,
    latest: Option<&self_evaluation::Model>,
) -> Option<String> {
    latest
        .map(|l| l.model_id.clone())
        .or_else(|| product.official_model.clone())
}

/// A model's name for messages: "os2-2021 (2023)".
fn model_label(model: &Model) -> String {
    format!("{} ({})", model.id(), model.version())
}

/// Submits an upload like [`submit`], but first checks it against the product: a report
/// whose product name is another product's in the portfolio is refused
/// (`product_mismatch`, 409) unless `choices.confirm_product`; a report in another model
/// than the product's self-evaluation ([`current_model`]) is refused (`model_mismatch`,
/// 409) unless `choices.model` says to keep its model or to carry it to the product's
/// (then the stored version is in the product's model, with the changed and new
/// requirements marked "to re-answer"). Returns the stored version and, when carried,
/// what the carry did.
pub async fn submit_upload(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    upload: Upload<'_>,
    choices: UploadChoices,
) -> AppResult<(self_evaluation::Model, Option<carry::Carry>)> {
    let actor = require(who, Action::SubmitSelfEvaluation(product.id))?.actor();
    let registry = app.registry();
    let (mut report, format, text) = import(registry, upload)?;
    let named = report
        .self_evaluation
        .as_ref()
        .map(|se| se.product.clone())
        .unwrap_or_default();
    let key = name_key(&named);
    if !choices.confirm_product
        && !key.is_empty()
        && key != name_key(&product.name)
        && key != name_key(&product.slug)
    {
        let others = crate::products::visible_refs(app, who).await?;
        if let Some(other) = others
            .iter()
            .filter(|(id, _)| **id != product.id)
            .map(|(_, p)| p)
            .find(|p| name_key(&p.name) == key || name_key(&p.slug) == key)
        {
            return Err(AppError::coded(
                ErrorKind::Conflict,
                "product_mismatch",
                "confirm_product",
                Msg::new(
                    format!(
                        "rapporten er produktet {}s selvevaluering, ikke {}s; bekræft, hvis den \
                         alligevel skal importeres til {}",
                        other.name, product.name, product.name
                    ),
                    format!(
                        "the report is the self-evaluation of {}, not of {}; confirm to import \
                         it into {} all the same",
                        other.name, product.name, product.name
                    ),
                ),
            ));
        }
    }
    let latest = app.store().latest_self_evaluation(product.id).await?;
    let mut carried = None;
    let current = current_model(product, latest.as_ref())
        .filter(|m| *m != report.model.id.as_str())
        .and_then(|m| registry.get(&m).ok());
    if let Some(target) = current {
        let from = registry
            .get(report.model.id.as_str())
            .map_err(|e| unknown_model(&e))?;
        match choices.model {
            None => {
                return Err(AppError::coded(
                    ErrorKind::Conflict,
                    "model_mismatch",
                    "model_choice",
                    Msg::new(
                        format!(
                            "rapporten er udfyldt efter modellen {}, men produktets \
                             selvevaluering følger {}; vælg at beholde rapportens model eller \
                             at overføre den til {} (uændrede krav beholder svarene, ændrede og \
                             nye markeres til at blive besvaret igen)",
                            model_label(from),
                            model_label(target),
                            target.id()
                        ),
                        format!(
                            "the report follows the model {}, but the product's \
                             self-evaluation follows {}; choose to keep the report's model or to \
                             carry it to {} (unchanged requirements keep their answers, changed \
                             and new ones are marked to be answered again)",
                            model_label(from),
                            model_label(target),
                            target.id()
                        ),
                    ),
                ));
            }
            Some(ModelChoice::Keep) => {}
            Some(ModelChoice::Carry) => {
                if let Some(se) = report.self_evaluation.as_ref() {
                    let c = carry::carry(registry, from, target, se);
                    report.model = Report::model_ref(target);
                    report.self_evaluation = Some(c.self_evaluation.clone());
                    carried = Some(c);
                }
            }
        }
    }
    let input = row_of(
        registry,
        product.id,
        &report,
        format,
        Some(text),
        upload.based_on,
        &carried
            .as_ref()
            .map(|c: &carry::Carry| c.marks.clone())
            .unwrap_or_default(),
    )?;
    let action = if carried.is_some() { "carry" } else { "submit" };
    let row = app
        .store()
        .create_self_evaluation_as(&actor, input, action, None)
        .await?;
    Ok((row, carried))
}

/// Restores version `number` of a product's self-evaluation as a new version (the
/// versions in between stay in the history), audited as `restore` from that version.
/// For the product's editors and the secretariat; a stale `based_on` is a conflict.
pub async fn restore(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    number: i32,
    based_on: Option<i32>,
) -> AppResult<self_evaluation::Model> {
    let actor = require(who, Action::SubmitSelfEvaluation(product.id))?.actor();
    let old = app
        .store()
        .self_evaluation_version(product.id, number)
        .await
        .map_err(|e| match e {
            niveau_store::StoreError::NotFound { .. } => AppError::not_found(Msg::new(
                format!("selvevaluering version {number}"),
                format!("self-evaluation version {number}"),
            )),
            other => other.into(),
        })?;
    let input = NewSelfEvaluation {
        product_id: product.id,
        model_id: old.model_id,
        model_version: old.model_version,
        format: old.format,
        source_text: old.source_text,
        document: old.document,
        warnings: old.warnings,
        indicated_level: old.indicated_level,
        based_on,
    };
    Ok(app
        .store()
        .create_self_evaluation_as(&actor, input, "restore", Some(number))
        .await?)
}

/// Carries the newest version of a product's self-evaluation to model `target` (a newer
/// model version) as a new version, through the registry's mappings ([`carry::carry`]):
/// unchanged requirements keep their answers, changed and new ones are marked "to
/// re-answer"; the old version stays in the history. Audited as `carry`. For the
/// product's editors and the secretariat; a stale `based_on` is a conflict.
pub async fn carry_to(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    target: &str,
    based_on: Option<i32>,
) -> AppResult<(self_evaluation::Model, carry::Carry)> {
    let actor = require(who, Action::SubmitSelfEvaluation(product.id))?.actor();
    let registry = app.registry();
    let to = registry.get(target).map_err(|e| unknown_model(&e))?;
    let Some(latest) = app.store().latest_self_evaluation(product.id).await? else {
        return Err(AppError::coded(
            ErrorKind::State,
            "no_self_evaluation",
            "model",
            Msg::new(
                "produktet har ingen selvevaluering at overføre",
                "the product has no self-evaluation to carry",
            ),
        ));
    };
    let from = registry
        .get(&latest.model_id)
        .map_err(|e| unknown_model(&e))?;
    if from.id() == to.id() {
        return Err(AppError::coded(
            ErrorKind::State,
            "already_in_model",
            "model",
            Msg::new(
                format!("selvevalueringen følger allerede {}", model_label(to)),
                format!("the self-evaluation already follows {}", model_label(to)),
            ),
        ));
    }
    let mut report: Report =
        serde_json::from_value(latest.document.clone()).map_err(AppError::internal)?;
    let Some(se) = report.self_evaluation.as_ref() else {
        return Err(AppError::internal(
            "a stored self-evaluation without answers",
        ));
    };
    let c = carry::carry(registry, from, to, se);
    report.model = Report::model_ref(to);
    report.self_evaluation = Some(c.self_evaluation.clone());
    report.warnings = Vec::new();
    let text = niveau_report::export::json(&report).map_err(AppError::internal)?;
    let input = row_of(
        registry,
        product.id,
        &report,
        SubmissionFormat::Json,
        Some(text),
        Some(based_on.unwrap_or(latest.number)),
        &c.marks,
    )?;
    let row = app
        .store()
        .create_self_evaluation_as(&actor, input, "carry", Some(latest.number))
        .await?;
    Ok((row, c))
}

/// What the latest scan and the portfolio registry propose for each requirement of
/// `model`, by requirement id, most confident first: the editor offers them as answers.
/// For those who may submit the product's self-evaluation.
pub async fn suggestions(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    model: &Model,
) -> AppResult<HashMap<String, Vec<Candidate>>> {
    require(who, Action::SubmitSelfEvaluation(product.id))?;
    let candidates = crate::evaluations::evidence_candidates(app, product.id, model, &[]).await?;
    let mut by_id: HashMap<String, Vec<Candidate>> = HashMap::new();
    for (id, c) in candidates {
        by_id.entry(id.to_string()).or_default().push(c);
    }
    for list in by_id.values_mut() {
        list.sort_by_key(|c| std::cmp::Reverse(c.confidence));
    }
    Ok(by_id)
}

/// The newest self-evaluation of `product`, for those who may submit one (the editor
/// starts from it).
pub async fn latest(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
) -> AppResult<Option<self_evaluation::Model>> {
    require(who, Action::SubmitSelfEvaluation(product.id))?;
    Ok(app.store().latest_self_evaluation(product.id).await?)
}

/// A product's self-evaluation versions, newest first, one page at a time: metadata only.
/// For logged-in readers.
pub async fn versions(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    params: &ListParams,
) -> AppResult<Page<SelfEvaluationVersion>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app
        .store()
        .self_evaluation_versions(product.id, params)
        .await?)
}

/// Version `number` of a product's self-evaluation, with the uploaded text, the document
/// and the warnings. For logged-in readers.
pub async fn version(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    number: i32,
) -> AppResult<self_evaluation::Model> {
    require(who, Action::ReadPortfolio)?;
    Ok(app
        .store()
        .self_evaluation_version(product.id, number)
        .await?)
}

/// One self-evaluation by id. For logged-in readers.
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<self_evaluation::Model> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().self_evaluation(id).await?)
}

/// What a product's self-evaluation versions take against its upload quota; for the
/// product's editors and the secretariat.
pub async fn upload_volume(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
) -> AppResult<UploadVolume> {
    require(who, Action::SubmitSelfEvaluation(product.id))?;
    Ok(app.store().upload_volume(product.id).await?)
}

/// Sets a product's upload quota (none: the server's default), based on the product's
/// version; for the secretariat, audited. Returns the volume under the new quota.
pub async fn set_upload_quota(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    input: UploadQuotaInput,
) -> AppResult<UploadVolume> {
    let who = require(who, Action::EditPortfolio)?;
    app.store()
        .set_upload_quota(
            &who.actor(),
            product.id,
            input.version,
            input.upload_quota_bytes,
        )
        .await?;
    Ok(app.store().upload_volume(product.id).await?)
}

#[cfg(test)]
mod tests {
    use niveau_store::StoreError;
    use niveau_store::types::Role;

    use super::*;
    use crate::work_fixtures::{app, product_with, secretariat, who};

    fn registry() -> Registry {
        Registry::builtin().unwrap()
    }

    fn fixture(path: &str) -> String {
        niveau_testkit::fixture(&format!("os2/{path}"))
    }

    fn upload(kind: UploadKind, body: &[u8]) -> Upload<'_> {
        Upload {
            kind,
            body,
            based_on: None,
        }
    }

    #[test]
    fn media_types_name_the_kind() {
        assert_eq!(
            UploadKind::from_media_type("text/markdown; charset=utf-8"),
            Some(UploadKind::Markdown)
        );
        assert_eq!(
            UploadKind::from_media_type("application/vnd.os2+json"),
            Some(UploadKind::Json)
        );
        assert_eq!(UploadKind::from_media_type("application/pdf"), None);
    }

    #[test]
    fn a_markdown_report_keeps_text_warnings_and_level() {
        let text = fixture("reports/selfeval-1.1.0-os2borgerpc-2026.md");
        let row = prepare(
            &registry(),
            7,
            Upload {
                kind: UploadKind::Markdown,
                body: text.as_bytes(),
                based_on: Some(2),
            },
        )
        .unwrap();
        assert_eq!(row.product_id, 7);
        assert_eq!(row.model_id, "os2-1.1.0");
        assert_eq!(row.model_version, "1.1.0");
        assert_eq!(row.format, SubmissionFormat::Markdown);
        assert_eq!(row.source_text.as_deref(), Some(text.as_str()));
        assert_eq!(row.based_on, Some(2));
        // Under OS2's evaluation principle a claim must be documented: R1 (a sandbox
        // requirement) answers Ja with "Idriftsat i ca. 7 kommuner", too thin a
        // description of the value, so the answers indicate no level yet.
        assert_eq!(row.indicated_level, None);
        assert_eq!(row.document["schema"], "niveau.report/1");
        assert_eq!(row.document["self_evaluation"]["product"], "OS2BorgerPC");
        // The one warning of this report: OS2's generator indents the G1 row (line 64).
        assert_eq!(
            row.warnings,
            serde_json::json!([{
                "line": 64,
                "code": "row-indented",
                "message": row.warnings[0]["message"].clone()
            }])
        );
    }

    #[test]
    fn form_json_and_niveau_json_are_told_apart() {
        let text = fixture("forms/selfeval-form-os2-test.json");
        let row = prepare(&registry(), 1, upload(UploadKind::Json, text.as_bytes())).unwrap();
        assert_eq!(row.format, SubmissionFormat::Formular);
        assert_eq!(row.document["generation"]["kind"], "self_evaluation_form");
        // The stored document uploads again, as Niveau JSON.
        let again = serde_json::to_vec(&row.document).unwrap();
        let row2 = prepare(&registry(), 1, upload(UploadKind::Json, &again)).unwrap();
        assert_eq!(row2.format, SubmissionFormat::Json);
        assert_eq!(row2.indicated_level, row.indicated_level);
        assert_eq!(
            row2.document["self_evaluation"],
            row.document["self_evaluation"]
        );
    }

    #[test]
    fn unreadable_uploads_name_the_line_in_both_languages() {
        let reg = registry();
        let text = fixture("forms/selfeval-form-os2-test.json");
        let cut = &text[..text.len() / 2];
        let err = prepare(&reg, 1, upload(UploadKind::Json, cut.as_bytes())).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert_eq!(err.field(), Some("body"));
        let lines = cut.lines().count();
        let message = err.message();
        assert!(
            message
                .da
                .starts_with(&format!("ugyldig JSON i linje {lines}, kolonne")),
            "{} (lines {lines})",
            message.da
        );
        assert!(
            message
                .en
                .starts_with(&format!("invalid JSON on line {lines}, column")),
            "{}",
            message.en
        );

        let err = prepare(
            &reg,
            1,
            upload(UploadKind::Markdown, b"# Referat\n\nIngen tabel her.\n"),
        )
        .unwrap_err();
        assert!(err.message().da.starts_with("ingen kravtabel fundet"));
        assert!(err.message().en.starts_with("no requirement table found"));

        let err = prepare(&reg, 1, upload(UploadKind::Markdown, b"# A\n\n\xff\n")).unwrap_err();
        assert_eq!(
            err.message().da,
            "filen er ikke UTF-8-tekst (første ugyldige byte i linje 3, kolonne 1)"
        );
        assert_eq!(
            err.message().en,
            "the file is not UTF-8 text (first invalid byte on line 3, column 1)"
        );

        let err = prepare(&reg, 1, upload(UploadKind::Markdown, b"{\"a\": 1}")).unwrap_err();
        assert_eq!(
            err.message().en,
            "the content is JSON, but the Content-Type says Markdown; send it as application/json"
        );

        let evaluation = fixture("reports/evaluation-0.9.2-os2-test.md");
        let err =
            prepare(&reg, 1, upload(UploadKind::Markdown, evaluation.as_bytes())).unwrap_err();
        assert!(
            err.message().da.contains("ikke en selvevaluering"),
            "{}",
            err.message().da
        );
        assert!(err.message().en.contains("not a self-evaluation"));

        let big = vec![b'a'; MAX_INPUT_BYTES + 1];
        let err = prepare(&reg, 1, upload(UploadKind::Markdown, &big)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert_eq!(err.code(), "too_large");
        assert_eq!(
            err.message().en,
            format!(
                "the file is {} bytes; at most {MAX_INPUT_BYTES} bytes are read",
                MAX_INPUT_BYTES + 1
            )
        );
    }

    #[tokio::test]
    async fn only_the_products_editors_and_the_secretariat_submit() {
        let app = app().await;
        let product = product_with(&app, &[]).await;
        let text = fixture("forms/selfeval-form-os2-test.json");
        let form = upload(UploadKind::Json, text.as_bytes());
        let other = who(&[Role::Produktredaktor], &[product.id + 1]);
        assert!(matches!(
            submit(&app, Some(&other), &product, form).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            submit(&app, None, &product, form).await,
            Err(AppError::Unauthenticated)
        ));
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        let first = submit(&app, Some(&editor), &product, form).await.unwrap();
        assert_eq!(first.number, 1);
        assert_eq!(first.submitted_by, "redaktør");
        // Based on "none seen" while version 1 exists: a conflict, nothing stored.
        let stale = Upload {
            based_on: Some(0),
            ..form
        };
        let err = submit(&app, Some(&editor), &product, stale)
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Store(StoreError::Conflict { .. })));
        let latest = latest(&app, Some(&editor), &product).await.unwrap();
        assert_eq!(latest.map(|l| l.number), Some(1));
    }

    #[tokio::test]
    async fn the_quota_is_the_secretariats_and_counts_the_versions() {
        let app = app().await;
        let product = product_with(&app, &[]).await;
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        let text = fixture("forms/selfeval-form-os2-test.json");
        submit(
            &app,
            Some(&editor),
            &product,
            upload(UploadKind::Json, text.as_bytes()),
        )
        .await
        .unwrap();
        let volume = upload_volume(&app, Some(&editor), &product).await.unwrap();
        assert_eq!(volume.versions, 1);
        assert!(volume.used_bytes > 0);
        assert_eq!(volume.quota_bytes, volume.default_quota_bytes);

        let input = |bytes| UploadQuotaInput {
            version: product.version,
            upload_quota_bytes: bytes,
        };
        assert!(matches!(
            set_upload_quota(&app, Some(&editor), &product, input(Some(1))).await,
            Err(AppError::Forbidden)
        ));
        let sek = secretariat();
        let set = set_upload_quota(&app, Some(&sek), &product, input(Some(volume.used_bytes)))
            .await
            .unwrap();
        assert_eq!(set.quota_bytes, volume.used_bytes);
        // The quota is full: the next version is refused as too large, in both languages.
        let err = submit(
            &app,
            Some(&editor),
            &product,
            upload(UploadKind::Json, text.as_bytes()),
        )
        .await
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooLarge);
        assert!(
            err.message().da.starts_with("Produktets uploadkvote er"),
            "{}",
            err.message().da
        );
        assert!(
            err.message()
                .en
                .starts_with("The product's upload quota is")
        );
    }

    fn choices(confirm_product: bool, model: Option<ModelChoice>) -> UploadChoices {
        UploadChoices {
            confirm_product,
            model,
        }
    }

    #[tokio::test]
    async fn an_upload_naming_another_product_or_model_needs_a_choice() {
        let app = app().await;
        let product = product_with(&app, &[]).await;
        crate::products::testing::product(&app, "os2iot", true).await;
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        // OS2BorgerPC is not in this portfolio: nothing to confirm.
        let borger = fixture("reports/selfeval-1.1.0-os2borgerpc-2026.md");
        let md = |text: &'static str| Upload {
            kind: UploadKind::Markdown,
            body: text.as_bytes(),
            based_on: None,
        };
        let borger: &'static str = Box::leak(borger.into_boxed_str());
        let (first, carried) = submit_upload(
            &app,
            Some(&editor),
            &product,
            md(borger),
            choices(false, None),
        )
        .await
        .unwrap();
        assert_eq!((first.number, first.model_id.as_str()), (1, "os2-1.1.0"));
        assert!(carried.is_none());

        let iot: &'static str =
            Box::leak(fixture("reports/selfeval-2021-os2iot.md").into_boxed_str());
        let err = submit_upload(&app, Some(&editor), &product, md(iot), choices(false, None))
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.code()),
            (ErrorKind::Conflict, "product_mismatch")
        );
        assert_eq!(err.field(), Some("confirm_product"));
        assert_eq!(
            err.message().da,
            "rapporten er produktet OS2IOTs selvevaluering, ikke Produkts; bekræft, hvis den \
             alligevel skal importeres til Produkt"
        );
        // Confirmed, but the report is in the 2021–2023 model: the user chooses.
        let err = submit_upload(&app, Some(&editor), &product, md(iot), choices(true, None))
            .await
            .unwrap_err();
        assert_eq!(
            (err.kind(), err.code()),
            (ErrorKind::Conflict, "model_mismatch")
        );
        assert!(
            err.message()
                .en
                .starts_with("the report follows the model os2-2021 (2023), but the product's self-evaluation follows os2-1.1.0 (1.1.0)"),
            "{}",
            err.message().en
        );
        assert_eq!(
            app.store()
                .latest_self_evaluation(product.id)
                .await
                .unwrap()
                .unwrap()
                .number,
            1
        );
        // Carried to the product's model: marked to re-answer where the model changed.
        let (second, carried) = submit_upload(
            &app,
            Some(&editor),
            &product,
            md(iot),
            choices(true, Some(ModelChoice::Carry)),
        )
        .await
        .unwrap();
        assert_eq!((second.number, second.model_id.as_str()), (2, "os2-1.1.0"));
        assert_eq!(second.format, SubmissionFormat::Markdown);
        assert_eq!(second.source_text.as_deref(), Some(iot));
        let marks = reanswer_marks(&second.document);
        assert_eq!(marks.len(), carried.unwrap().reanswer().len());
        assert!(
            marks["F1"]
                .da
                .starts_with("Kravet er ændret siden os2-2021 (F1)")
        );
        assert!(!marks.contains_key("F2"));
        // Kept in its own model.
        let (third, carried) = submit_upload(
            &app,
            Some(&editor),
            &product,
            md(iot),
            choices(true, Some(ModelChoice::Keep)),
        )
        .await
        .unwrap();
        assert_eq!((third.number, third.model_id.as_str()), (3, "os2-2021"));
        assert!(carried.is_none());
        assert!(reanswer_marks(&third.document).is_empty());
        assert_eq!(ModelChoice::parse("overfoer"), Some(ModelChoice::Carry));
        assert_eq!(ModelChoice::parse("x"), None);
    }

    #[tokio::test]
    async fn restoring_and_carrying_make_new_audited_versions() {
        let app = app().await;
        let product = product_with(&app, &[]).await;
        let editor = who(&[Role::Produktredaktor], &[product.id]);
        let iot = fixture("reports/selfeval-2021-os2iot.md");
        let first = submit(
            &app,
            Some(&editor),
            &product,
            upload(UploadKind::Markdown, iot.as_bytes()),
        )
        .await
        .unwrap();
        assert_eq!(first.model_id, "os2-2021");
        assert!(matches!(
            carry_to(
                &app,
                Some(&who(&[Role::Laeser], &[])),
                &product,
                "os2-1.1.0",
                None
            )
            .await,
            Err(AppError::Forbidden)
        ));
        let (carried, c) = carry_to(&app, Some(&editor), &product, "os2-1.1.0", Some(1))
            .await
            .unwrap();
        assert_eq!(
            (carried.number, carried.model_id.as_str()),
            (2, "os2-1.1.0")
        );
        assert_eq!(carried.document["model"]["id"], "os2-1.1.0");
        assert_eq!(reanswer_marks(&carried.document), c.marks);
        assert!(c.marks.contains_key("F7"), "F7, F8, F9 were merged");
        let err = carry_to(&app, Some(&editor), &product, "os2-1.1.0", None)
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("model"));
        assert_eq!(
            (err.kind(), err.code()),
            (ErrorKind::State, "already_in_model")
        );
        assert_eq!(
            err.message().en,
            "the self-evaluation already follows os2-1.1.0 (1.1.0)"
        );

        // Version 1 again, as version 3; versions 1 and 2 stay.
        let restored = restore(&app, Some(&editor), &product, 1, Some(2))
            .await
            .unwrap();
        assert_eq!(restored.number, 3);
        assert_eq!(restored.model_id, "os2-2021");
        assert_eq!(restored.document, first.document);
        assert_eq!(restored.source_text, first.source_text);
        let stale = restore(&app, Some(&editor), &product, 1, Some(2))
            .await
            .unwrap_err();
        assert!(matches!(
            stale,
            AppError::Store(StoreError::Conflict { .. })
        ));
        let missing = restore(&app, Some(&editor), &product, 9, None)
            .await
            .unwrap_err();
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        let versions = versions(&app, Some(&editor), &product, &ListParams::default())
            .await
            .unwrap();
        assert_eq!(versions.total, 3);
        let audit = app
            .store()
            .history("self_evaluation", restored.id)
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "restore");
        assert_eq!(
            audit[0].before,
            Some(serde_json::json!({"from_version": 1}))
        );
        let audit = app
            .store()
            .history("self_evaluation", carried.id)
            .await
            .unwrap();
        assert_eq!(audit[0].action, "carry");

        // Saving from the editor drops the mark of an answered requirement only.
        let mut report: Report = serde_json::from_value(carried.document.clone()).unwrap();
        let se = report.self_evaluation.as_mut().unwrap();
        se.answers.retain(|a| a.requirement.as_str() != "F1");
        se.answers.push(niveau_model::Answer::new(
            "F1",
            niveau_model::AnswerValue::Yes,
        ));
        let saved = submit_report(&app, Some(&editor), &product, &report, &c.marks, Some(3))
            .await
            .unwrap();
        let marks = reanswer_marks(&saved.document);
        assert!(!marks.contains_key("F1"));
        assert!(marks.contains_key("F7"));
        assert_eq!(marks.len(), c.marks.len() - 1);
    }
}
