//! The evaluation workbench (`/evalueringer/{id}`), for the secretariat; readers of the
//! product's evaluations see it read-only once it is in dialogue.
//!
//! Per requirement: the product's answer with its documentation and evidence, the
//! proposals (answer, scan, portfolio) with source and confidence, the rating with its
//! basis and recommendation, and the comment thread of the dialogue with the product.
//! Above them the indicated level, the count table and the charts, computed from the
//! ratings in the form at every post ("Opdater" recomputes without saving). Below: the
//! summary, overall assessment and recommendations. The status moves kladde ⇄ i dialog →
//! endelig (finalising sets the official level through a decision in the log) →
//! offentliggjort. Every change is a new version; a stale one is answered with the
//! current state beside one's own ratings, which stay in the form.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::AppError;
use niveau_app::evaluations::{self as ops, CommentInput, EvaluationUpdate, Opened, RatingInput};
use niveau_model::Msg;
use niveau_model::{Answer, AnswerValue, Model, Rating, RatingEntry, Ratings};
use niveau_report::Lang;
use niveau_store::StoreError;
use niveau_store::entity::{evaluation, evaluation_comment, product};
use niveau_store::evaluations::{EvaluationView, FinaliseInput};
use niveau_store::types::{DecidedBy, EvaluationStatus};

use super::{Missing, ProposalView, Section, indication_text, proposal_view, sections};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost, NoticeQuery, see_other};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, error_page, labels, ratings, render, to_login};
use crate::state::AppState;
use niveau_app::permissions::Action;
use niveau_app::proposals::RatingProposal;
use niveau_app::visibility::may_comment;

/// One comment as shown.
struct CommentView {
    author: String,
    at: String,
    body: String,
}

/// One requirement on the workbench.
struct Item {
    id: String,
    title: String,
    criterion: String,
    obligation: &'static str,
    answer: String,
    documentation: String,
    links: Vec<String>,
    proposals: Vec<ProposalView>,
    conflict: bool,
    options: Vec<Choice>,
    rating: String,
    class: &'static str,
    basis: String,
    recommendation: String,
    gap: String,
    comments: Vec<CommentView>,
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    layout: Layout,
    id: i32,
    product: String,
    slug: String,
    status: &'static str,
    status_code: &'static str,
    version: i32,
    model_name: String,
    self_evaluation: String,
    created: String,
    notice: String,
    errors: Vec<String>,
    stale: Vec<String>,
    editable: bool,
    can_evaluate: bool,
    can_comment: bool,
    level: String,
    next_level: String,
    missing: Vec<Missing>,
    counts: Vec<ratings::CountRow>,
    pies: String,
    bars: String,
    sections: Vec<Section<Item>>,
    summary: String,
    overall: String,
    recommendations: String,
    levels: Vec<Choice>,
    deciders: Vec<Choice>,
    today: String,
    comment_ids: Vec<String>,
}

/// What the page shows besides the stored evaluation.
#[derive(Default)]
struct Extras {
    notice: String,
    errors: Vec<String>,
    /// Requirements whose stored rating differs from the one in the form (after a
    /// conflict).
    stale: Vec<String>,
    /// The answer's status (200 unless a refusal says otherwise).
    status: StatusCode,
}

/// The form's content: ratings and texts, as posted or as stored.
struct Sheet {
    entries: Vec<RatingEntry>,
    summary: Option<String>,
    overall: Option<String>,
    recommendations: Option<String>,
}

impl Sheet {
    fn stored(view: &EvaluationView) -> Result<Sheet, ApiError> {
        Ok(Sheet {
            entries: ratings::entries(view)?,
            summary: view.current.summary.clone(),
            overall: view.current.overall.clone(),
            recommendations: view.current.recommendations.clone(),
        })
    }
}

/// The product's answers (in the evaluation's model) of the self-evaluation it answers.
/// The number of the self-evaluation the evaluation answers, and its answers (in the
/// evaluation's model); one read of the stored version.
async fn answers(
    state: &AppState,
    auth: &Auth,
    head: &evaluation::Model,
    model: &Model,
) -> Result<(Option<i32>, HashMap<String, Answer>), ApiError> {
    let Some(se_id) = head.self_evaluation_id else {
        return Ok((None, HashMap::new()));
    };
    let row = niveau_app::self_evaluations::get(state.app(), auth.who(), se_id).await?;
    let report: niveau_report::document::Report = match serde_json::from_value(row.document) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, self_evaluation = se_id, "an unreadable stored self-evaluation");
            return Ok((Some(row.number), HashMap::new()));
        }
    };
    let answers = report
        .self_evaluation
        .map(|se| se.answers)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| {
            model
                .requirement(a.requirement.as_str())
                .map(|r| (r.id.to_string(), a.clone()))
        })
        .collect();
    Ok((Some(row.number), answers))
}

fn rating_options(current: Option<Rating>, lang: Lang) -> Vec<Choice> {
    let mut options = vec![Choice {
        value: String::new(),
        label: lang.pick("Ikke vurderet", "Not rated").to_owned(),
        selected: current.is_none(),
    }];
    options.extend(Rating::ALL.iter().map(|r| {
        Choice {
            value: match r {
                Rating::Green => "green",
                Rating::Yellow => "yellow",
                Rating::Red => "red",
                Rating::Grey => "grey",
            }
            .to_owned(),
            label: ratings::label(Some(*r), lang),
            selected: current == Some(*r),
        }
    }));
    options
}

/// The evaluation, its product and its model, if the caller may see the workbench.
async fn load<'a>(
    state: &'a AppState,
    auth: &Auth,
    id: i32,
) -> Result<(EvaluationView, product::Model, &'a Model), ApiError> {
    let Opened {
        view,
        product,
        model,
    } = ops::open(state.app(), auth.who(), id).await?;
    Ok((view, product, model))
}

#[allow(clippy::too_many_arguments)]
async fn workbench(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    view: &EvaluationView,
    product: &product::Model,
    model: &Model,
    sheet: &Sheet,
    extras: Extras,
) -> Result<Response, ApiError> {
    let head = &view.head;
    let (answered, answers) = answers(state, auth, head, model).await?;
    let proposals: Vec<RatingProposal> =
        serde_json::from_value(view.current.proposals.clone()).unwrap_or_default();
    let proposals: HashMap<&str, &RatingProposal> = proposals
        .iter()
        .map(|p| (p.requirement.as_str(), p))
        .collect();
    let mut comments: HashMap<String, Vec<evaluation_comment::Model>> = HashMap::new();
    for c in state.store().comments(head.id).await? {
        comments.entry(c.requirement.clone()).or_default().push(c);
    }
    let entries: HashMap<&str, &RatingEntry> = sheet
        .entries
        .iter()
        .map(|e| (e.requirement.as_str(), e))
        .collect();
    let rated: Ratings = niveau_model::evaluation::ratings_of(&sheet.entries);
    let indication = niveau_model::indicate(model, &rated);
    let (level, next_level, missing) = indication_text(model, &indication, lang);
    let gaps: HashMap<&str, &'static str> =
        missing.iter().map(|m| (m.id.as_str(), m.gap)).collect();
    let (counts, pies, bars) = ratings::counts_and_charts(model, &rated, lang);
    let sections = sections(model, |r| {
        let id = r.id.as_str();
        let entry = entries.get(id).copied();
        let rating = entry.and_then(|e| e.rating);
        let answer = answers.get(id);
        let proposal = proposals.get(id).copied();
        let mut shown: Vec<ProposalView> = Vec::new();
        if let Some(p) = proposal {
            shown.push(proposal_view(&p.chosen, true, lang));
            shown.extend(p.alternatives.iter().map(|c| proposal_view(c, false, lang)));
        }
        Item {
            id: id.to_owned(),
            title: r.short_text.clone().unwrap_or_else(|| r.text.clone()),
            criterion: r.criterion.clone().unwrap_or_default(),
            obligation: lang.pick(r.obligation.label_da(), r.obligation.label_en()),
            answer: match answer.map(|a| &a.value) {
                None | Some(AnswerValue::Unanswered) => {
                    lang.pick("(ikke besvaret)", "(not answered)").to_owned()
                }
                Some(v) => lang.pick(v.label_da(), v.label_en()).to_owned(),
            },
            documentation: answer
                .and_then(|a| a.documentation.clone())
                .unwrap_or_default(),
            links: answer.map(|a| a.evidence.clone()).unwrap_or_default(),
            proposals: shown,
            conflict: proposal.is_some_and(|p| p.conflict),
            options: rating_options(rating, lang),
            rating: ratings::label(rating, lang),
            class: ratings::class(rating),
            basis: entry.and_then(|e| e.basis.clone()).unwrap_or_default(),
            recommendation: entry
                .and_then(|e| e.recommendation.clone())
                .unwrap_or_default(),
            gap: gaps.get(id).map(|g| (*g).to_owned()).unwrap_or_default(),
            comments: comments
                .get(id)
                .map(|list| {
                    list.iter()
                        .map(|c| CommentView {
                            author: c.author.clone(),
                            at: labels::date_time(c.created_at),
                            body: c.body.clone(),
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    });
    let can_evaluate = auth.can(Action::Evaluate);
    let editable = can_evaluate && head.status.is_editable();
    let can_comment = may_comment(auth.who(), head);
    let indicated = indication.level.as_ref().map(|l| l.as_str().to_owned());
    let levels = model
        .levels()
        .iter()
        .map(|l| Choice {
            value: l.id.to_string(),
            label: l.name.clone(),
            selected: indicated.as_deref() == Some(l.id.as_str()),
        })
        .collect();
    let deciders = DecidedBy::ALL
        .iter()
        .map(|d| Choice {
            value: d.as_str().to_owned(),
            label: labels::decided_by(*d, lang).to_owned(),
            selected: *d == DecidedBy::Sekretariat,
        })
        .collect();
    let self_evaluation = match answered {
        Some(number) => format!("{} {number}", lang.pick("version", "version")),
        None => lang.pick("ingen", "none").to_owned(),
    };
    let path = format!("/evalueringer/{}", head.id);
    let title = format!(
        "{} – {}",
        lang.pick("Evaluering", "Evaluation"),
        product.name
    );
    let extras_status = extras.status;
    let mut response = render(&WorkbenchPage {
        layout: Layout::new(state, auth, lang, title, "evaluations", &path).live(),
        id: head.id,
        product: product.name.clone(),
        slug: product.slug.clone(),
        status: labels::evaluation_status(Some(head.status), lang),
        status_code: head.status.as_str(),
        version: head.version,
        model_name: format!("{} ({})", model.name(), model.version()),
        self_evaluation,
        created: format!(
            "{} {} {}",
            labels::date_time(head.created_at),
            lang.pick("af", "by"),
            head.created_by
        ),
        notice: extras.notice,
        errors: extras.errors,
        stale: extras.stale,
        editable,
        can_evaluate,
        can_comment,
        level,
        next_level,
        missing,
        counts,
        pies,
        bars,
        comment_ids: if can_comment {
            model
                .requirements()
                .iter()
                .map(|r| r.id.to_string())
                .collect()
        } else {
            Vec::new()
        },
        sections,
        summary: sheet.summary.clone().unwrap_or_default(),
        overall: sheet.overall.clone().unwrap_or_default(),
        recommendations: sheet.recommendations.clone().unwrap_or_default(),
        levels,
        deciders,
        today: state.store().now().date_naive().to_string(),
    });
    if response.status() == StatusCode::OK {
        *response.status_mut() = extras_status;
    }
    Ok(response)
}

fn message(code: &str, lang: Lang) -> String {
    match code {
        "oprettet" => lang.pick(
            "Kladden er oprettet med foreslåede vurderinger. Gennemgå dem, og gem.",
            "The draft has been created with proposed ratings. Review them, and save.",
        ),
        "gemt" => lang.pick("Gemt.", "Saved."),
        "status" => lang.pick("Status er ændret.", "The status has changed."),
        "endelig" => lang.pick(
            "Evalueringen er endelig, og det officielle niveau er skrevet i beslutningsloggen.",
            "The evaluation is final, and the official level is written in the decision log.",
        ),
        "offentliggjort" => lang.pick(
            "Evalueringen er offentliggjort på produktets side.",
            "The evaluation is published on the product's page.",
        ),
        "kommentar" => lang.pick("Kommentaren er tilføjet.", "The comment has been added."),
        _ => "",
    }
    .to_owned()
}

/// Renders an error of a page handler as a page.
fn as_page(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    result: Result<Response, ApiError>,
) -> Response {
    result.unwrap_or_else(|e| error_page(state, auth, lang, path, e))
}

/// `GET /evalueringer/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<i32>,
    Query(query): Query<NoticeQuery>,
) -> Response {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/")
        .to_owned();
    if auth.0.is_none() {
        return to_login(&path);
    }
    let result = async {
        let (view, product, model) = load(&state, &auth, id).await?;
        let sheet = Sheet::stored(&view)?;
        let notice = query.notice().map(|m| message(m, lang)).unwrap_or_default();
        workbench(
            &state,
            &auth,
            lang,
            &view,
            &product,
            model,
            &sheet,
            Extras {
                notice,
                ..Extras::default()
            },
        )
        .await
    }
    .await;
    as_page(&state, &auth, lang, &path, result)
}

/// The ratings and texts of a posted workbench form, checked against the model, and the
/// same as the change to save.
fn sheet_from_form(model: &Model, fields: &Fields) -> Result<(Sheet, EvaluationUpdate), ApiError> {
    let inputs: Vec<RatingInput> = model
        .requirements()
        .iter()
        .map(|r| {
            let id = r.id.as_str();
            let text = |name: &str| Some(fields.one(&format!("{name}-{id}")).to_owned());
            let rating = fields.one(&format!("vurdering-{id}")).trim();
            RatingInput {
                requirement: id.to_owned(),
                rating: (!rating.is_empty()).then(|| rating.to_owned()),
                basis: text("grundlag"),
                recommendation: text("anbefaling"),
                original: None,
            }
        })
        .collect();
    let entries = ops::check_ratings(model, &inputs)?;
    let text = |name: &str| {
        let v = fields.one(name).trim();
        (!v.is_empty()).then(|| v.to_owned())
    };
    let sheet = Sheet {
        entries,
        summary: text("resume"),
        overall: text("samlet"),
        recommendations: text("anbefalinger"),
    };
    let update = EvaluationUpdate {
        ratings: inputs,
        summary: sheet.summary.clone(),
        overall: sheet.overall.clone(),
        recommendations: sheet.recommendations.clone(),
        version: None,
    };
    Ok((sheet, update))
}

/// `POST /evalueringer/{id}`: `handling=gem` saves the ratings and texts as a new
/// version; anything else recomputes the level, counts and charts without saving.
pub async fn save(State(state): State<AppState>, Path(id): Path<i32>, post: FormPost) -> Response {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    let result = async {
        auth.require(Action::Evaluate)?;
        let (view, product, model) = load(&state, &auth, id).await?;
        let (sheet, update) = sheet_from_form(model, &fields)?;
        if fields.one("handling") != "gem" {
            let notice = lang.pick("Beregnet ud fra formularen; ikke gemt endnu.", "Computed from the form; not saved yet.").to_owned();
            return workbench(&state, &auth, lang, &view, &product, model, &sheet, Extras { notice, ..Extras::default() }).await;
        }
        let version = version_of(&fields)?;
        match ops::save_ratings(state.app(), auth.who(), id, version, update).await {
            Ok(_) => Ok(see_other(&format!("/evalueringer/{id}?besked=gemt"))),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                let current = ops::get(state.app(), auth.who(), id).await?;
                let theirs = ratings::entries(&current)?;
                let mine: HashMap<&str, Option<Rating>> = sheet.entries.iter().map(|e| (e.requirement.as_str(), e.rating)).collect();
                let stale = theirs
                    .iter()
                    .filter(|t| mine.get(t.requirement.as_str()).copied().flatten() != t.rating)
                    .map(|t| format!("{}: {} {}", t.requirement, lang.pick("gemt som", "saved as"), ratings::label(t.rating, lang)))
                    .collect();
                let errors = vec![format!(
                    "{} {} ({}). {}",
                    lang.pick("Evalueringen blev ændret imens af", "The evaluation was changed meanwhile by"),
                    current.current.created_by,
                    labels::date_time(current.current.created_at),
                    lang.pick("Dine vurderinger er ikke gemt; de står i formularen. Gem igen for at lægge dem oven på.", "Your ratings are not saved; they are in the form. Save again to put them on top.")
                )];
                workbench(&state, &auth, lang, &current, &product, model, &sheet, Extras { errors, stale, status: StatusCode::CONFLICT, ..Extras::default() }).await
            }
            Err(other) => {
                let e = ApiError::from(other);
                let errors = vec![e.message_in(lang).to_owned()];
                workbench(&state, &auth, lang, &view, &product, model, &sheet, Extras { errors, status: e.status, ..Extras::default() }).await
            }
        }
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// A refused form post: the workbench with the message, and the error's status.
async fn answer_form_error(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    id: i32,
    result: Result<Response, ApiError>,
) -> Response {
    let error = match result {
        Ok(r) => return r,
        Err(e) => e,
    };
    let shown = async {
        let (view, product, model) = load(state, auth, id).await?;
        let sheet = Sheet::stored(&view)?;
        let mut message = error.message_in(lang).to_owned();
        if let Some(f) = &error.detail.field {
            message = format!("{f}: {message}");
        }
        let extras = Extras {
            errors: vec![message],
            status: error.status,
            ..Extras::default()
        };
        workbench(state, auth, lang, &view, &product, model, &sheet, extras).await
    }
    .await;
    match shown {
        Ok(r) if error.status != StatusCode::NOT_FOUND && error.status != StatusCode::FORBIDDEN => {
            r
        }
        _ => error_page(state, auth, lang, path, error),
    }
}

/// An operation's refusal of a field, named as the form names it (`level` is the form's
/// `niveau`).
fn form_fields(e: AppError, names: &[(&str, &str)]) -> AppError {
    match e {
        AppError::Invalid { field, message } => {
            let field = names
                .iter()
                .find(|(op, _)| *op == field)
                .map_or(field, |(_, form)| (*form).to_owned());
            AppError::Invalid { field, message }
        }
        other => other,
    }
}

fn version_of(fields: &Fields) -> Result<i32, ApiError> {
    fields
        .one("version")
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid("version", Msg::new("mangler", "missing")))
}

/// `POST /evalueringer/{id}/status`: `status` = `kladde` or `i dialog`.
pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Response {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    let result = async {
        auth.require(Action::Evaluate)?;
        let status = EvaluationStatus::parse(fields.one("status")).ok_or_else(|| {
            ApiError::invalid("status", Msg::new("ukendt status", "unknown status"))
        })?;
        ops::set_status(state.app(), auth.who(), id, version_of(&fields)?, status).await?;
        Ok(see_other(&format!("/evalueringer/{id}?besked=status")))
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// `POST /evalueringer/{id}/endelig`: final, with the official level as a decision.
pub async fn finalise(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Response {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    let result = async {
        auth.require(Action::Evaluate)?;
        let decided_on = match fields.one("dato").trim() {
            "" => None,
            d => Some(
                chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| {
                    ApiError::invalid(
                        "dato",
                        Msg::new(
                            format!("'{d}' er ikke en dato (ÅÅÅÅ-MM-DD)"),
                            format!("'{d}' is not a date (YYYY-MM-DD)"),
                        ),
                    )
                })?,
            ),
        };
        let reference = fields.one("reference").trim();
        let input = FinaliseInput {
            // The store refuses a stale version (409) as it does for every change.
            version: version_of(&fields)?,
            level: fields.one("niveau").to_owned(),
            decided_on,
            decided_by: DecidedBy::parse(fields.one("besluttet_af")),
            basis: fields.one("grundlag").trim().to_owned(),
            reference: (!reference.is_empty()).then(|| reference.to_owned()),
        };
        ops::finalise(state.app(), auth.who(), id, input)
            .await
            .map_err(|e| form_fields(e, &[("level", "niveau"), ("basis", "grundlag")]))?;
        Ok(see_other(&format!("/evalueringer/{id}?besked=endelig")))
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// `POST /evalueringer/{id}/offentliggoer`.
pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Response {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    let result = async {
        auth.require(Action::Evaluate)?;
        ops::publish(state.app(), auth.who(), id, version_of(&fields)?).await?;
        Ok(see_other(&format!(
            "/evalueringer/{id}?besked=offentliggjort"
        )))
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// `POST /evalueringer/{id}/kommentarer`: `krav` and `tekst`.
pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Response {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    let result = async {
        let input = CommentInput {
            requirement: fields.one("krav").to_owned(),
            body: fields.one("tekst").to_owned(),
        };
        let created = ops::comment(state.app(), auth.who(), id, &input).await?;
        Ok(see_other(&format!(
            "/evalueringer/{id}?besked=kommentar#krav-{}",
            created.requirement
        )))
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}
