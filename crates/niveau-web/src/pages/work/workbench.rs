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
//!
//! Nothing typed is lost: the ratings, the finalising fields and the comment boxes are
//! one form, and every button of the workbench posts all of it (`formaction`). A status
//! change, a comment, finalising or discarding first saves the posted ratings when they
//! differ from the stored ones, as part of the same request; a refusal re-renders the
//! page with every posted value and the message at its field. A new draft's basis is
//! empty: the chosen proposal's reason is shown as a marked proposal ("Forslag") the
//! secretary can take with a button, never saved unless taken. Publishing needs a
//! ticked confirmation.

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
use niveau_report::text::one_line;
use niveau_store::StoreError;
use niveau_store::decisions::DecisionInput;
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

/// A claim collected at the top of the workbench: lacking evidence, or flagged.
struct ClaimRow {
    /// The requirement.
    id: String,
    /// The answer as written.
    answer: String,
    /// The documentation, on one line and shortened.
    documentation: String,
    /// What to check or ask the product for.
    check: String,
}

impl ClaimRow {
    fn of(p: &RatingProposal, lang: Lang) -> ClaimRow {
        let claim = p.claim.as_ref();
        ClaimRow {
            id: p.requirement.clone(),
            answer: claim
                .and_then(|c| c.answer.clone())
                .unwrap_or_else(|| "–".to_owned()),
            documentation: claim
                .and_then(|c| c.documentation.as_deref())
                .map(|d| one_line(d, 120))
                .unwrap_or_default(),
            check: claim
                .and_then(|c| c.check.as_ref())
                .map(|m| m.pick(lang == Lang::En).to_owned())
                .unwrap_or_default(),
        }
    }
}

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
    /// How the claim and the evidence relate ("bekræftet", "modsagt", …); empty without
    /// a proposal.
    verdict: &'static str,
    /// Where the claim and the evidence disagree, in words.
    disagreement: String,
    /// A positive claim without checkable documentation.
    lacks_evidence: bool,
    /// What to check, or what evidence would settle the claim.
    check: String,
    /// The claim needs the secretariat's judgment (e.g. "Ikke relevant" on a Must).
    flagged: bool,
    options: Vec<Choice>,
    rating: String,
    class: &'static str,
    basis: String,
    /// The chosen proposal's reason, offered as a basis while the basis is empty.
    basis_proposal: String,
    recommendation: String,
    gap: String,
    comments: Vec<CommentView>,
    /// The comment typed but not posted yet (kept through a refusal).
    comment_draft: String,
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
    /// Whether the draft has proposals at all (one made from a self-evaluation or a scan).
    has_proposals: bool,
    /// The positive claims without documentation, in the model's order: what to ask
    /// the product for.
    lacking: Vec<ClaimRow>,
    /// The claims that need the secretariat's judgment.
    flagged: Vec<ClaimRow>,
    summary: String,
    overall: String,
    recommendations: String,
    levels: Vec<Choice>,
    deciders: Vec<Choice>,
    finalising: FinaliseForm,
    /// The form field a refusal names, and its message.
    field_error: Option<(String, String)>,
    /// The level the form's ratings indicate (empty: none).
    indicated_level: String,
    /// The decision waiting for publication: the level's name and the basis.
    pending: Option<(String, String)>,
}

impl WorkbenchPage {
    /// The refusal's message if it names `field`, else nothing.
    fn error_at(&self, field: &str) -> &str {
        match &self.field_error {
            Some((f, m)) if f == field => m,
            _ => "",
        }
    }
}

/// The finalising fields, as posted or with their defaults.
#[derive(Default, Clone)]
struct FinaliseForm {
    level: String,
    date: String,
    decided_by: String,
    basis: String,
    reference: String,
    justification: String,
}

impl FinaliseForm {
    fn posted(fields: &Fields) -> FinaliseForm {
        FinaliseForm {
            level: fields.one("niveau").to_owned(),
            date: fields.one("dato").to_owned(),
            decided_by: fields.one("besluttet_af").to_owned(),
            basis: fields.raw("grundlag").to_owned(),
            reference: fields.one("reference").to_owned(),
            justification: fields.raw("begrundelse").to_owned(),
        }
    }
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
    /// The finalising fields as posted (empty: the defaults).
    finalising: Option<FinaliseForm>,
    /// The form field a refusal names, and its message.
    field_error: Option<(String, String)>,
    /// Comments typed but not posted, by requirement.
    comment_drafts: HashMap<String, String>,
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
    let has_proposals = !proposals.is_empty();
    let order: HashMap<&str, usize> = model
        .requirements()
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let mut in_order: Vec<&RatingProposal> = proposals.iter().collect();
    in_order.sort_by_key(|p| {
        order
            .get(p.requirement.as_str())
            .copied()
            .unwrap_or(usize::MAX)
    });
    let lacking: Vec<ClaimRow> = in_order
        .iter()
        .filter(|p| p.lacks_evidence)
        .map(|p| ClaimRow::of(p, lang))
        .collect();
    let flagged: Vec<ClaimRow> = in_order
        .iter()
        .filter(|p| p.claim.as_ref().is_some_and(|c| c.flagged))
        .map(|p| ClaimRow::of(p, lang))
        .collect();
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
            verdict: proposal
                .map(|p| lang.pick(p.verdict.label_da(), p.verdict.label_en()))
                .unwrap_or_default(),
            disagreement: proposal
                .and_then(|p| p.disagreement.as_ref())
                .map(|m| m.pick(lang == Lang::En).to_owned())
                .unwrap_or_default(),
            lacks_evidence: proposal.is_some_and(|p| p.lacks_evidence),
            check: proposal
                .and_then(|p| p.claim.as_ref())
                .and_then(|c| c.check.as_ref())
                .map(|m| m.pick(lang == Lang::En).to_owned())
                .unwrap_or_default(),
            flagged: proposal.is_some_and(|p| p.claim.as_ref().is_some_and(|c| c.flagged)),
            options: rating_options(rating, lang),
            rating: ratings::label(rating, lang),
            class: ratings::class(rating),
            basis: entry.and_then(|e| e.basis.clone()).unwrap_or_default(),
            basis_proposal: proposal
                .map(|p| p.chosen.reason.da.clone())
                .unwrap_or_default(),
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
            comment_draft: extras.comment_drafts.get(id).cloned().unwrap_or_default(),
        }
    });
    let can_evaluate = auth.can(Action::Evaluate);
    let editable = can_evaluate && head.status.is_editable();
    let can_comment = may_comment(auth.who(), head);
    let indicated = indication.level.as_ref().map(|l| l.as_str().to_owned());
    let today = state.store().now().date_naive().to_string();
    let finalising = extras.finalising.clone().unwrap_or_else(|| FinaliseForm {
        level: indicated.clone().unwrap_or_default(),
        date: today.clone(),
        decided_by: DecidedBy::Sekretariat.as_str().to_owned(),
        ..FinaliseForm::default()
    });
    let levels = model
        .levels()
        .iter()
        .map(|l| Choice {
            value: l.id.to_string(),
            label: l.name.clone(),
            selected: finalising.level == l.id.as_str(),
        })
        .collect();
    let deciders = DecidedBy::ALL
        .iter()
        .map(|d| Choice {
            value: d.as_str().to_owned(),
            label: labels::decided_by(*d, lang).to_owned(),
            selected: finalising.decided_by == d.as_str(),
        })
        .collect();
    let indicated_level = indication
        .level
        .as_ref()
        .and_then(|l| model.level(l.as_str()))
        .map(|l| l.name.clone())
        .unwrap_or_default();
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
        sections,
        has_proposals,
        lacking,
        flagged,
        summary: sheet.summary.clone().unwrap_or_default(),
        overall: sheet.overall.clone().unwrap_or_default(),
        recommendations: sheet.recommendations.clone().unwrap_or_default(),
        levels,
        deciders,
        finalising,
        field_error: extras.field_error,
        indicated_level,
        pending: head
            .pending_decision
            .clone()
            .and_then(|v| serde_json::from_value::<DecisionInput>(v).ok())
            .map(|d| {
                let level = d.to.unwrap_or_default();
                let name = model
                    .level(&level)
                    .map_or(level.clone(), |l| l.name.clone());
                (name, d.basis)
            }),
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
        "kasseret" => lang.pick(
            "Evalueringen er kasseret. Den er gemt i historikken og kan ikke længere ændres.",
            "The evaluation has been discarded. It is kept in the history and can no longer be changed.",
        ),
        "findes" => lang.pick(
            "Produktet har allerede en åben evaluering; her er den.",
            "The product already has an open evaluation; here it is.",
        ),
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

/// The ratings and texts of a posted workbench form: the sheet to show (a rating that
/// does not read is shown as not rated; the operation names it when saving) and the
/// change to save.
fn sheet_from_form(model: &Model, fields: &Fields) -> (Sheet, EvaluationUpdate) {
    let inputs: Vec<RatingInput> = model
        .requirements()
        .iter()
        .map(|r| {
            let id = r.id.as_str();
            let text = |name: &str| Some(fields.raw(&format!("{name}-{id}")).to_owned());
            let rating = fields.one(&format!("vurdering-{id}"));
            RatingInput {
                requirement: id.to_owned(),
                rating: (!rating.is_empty()).then(|| rating.to_owned()),
                basis: text("grundlag"),
                recommendation: text("anbefaling"),
                original: None,
            }
        })
        .collect();
    let blank = |t: &Option<String>| t.clone().filter(|s| !s.trim().is_empty());
    let entries = inputs
        .iter()
        .zip(model.requirements())
        .map(|(input, r)| RatingEntry {
            requirement: r.id.clone(),
            rating: input.rating.as_deref().and_then(Rating::parse),
            original: None,
            basis: blank(&input.basis),
            recommendation: blank(&input.recommendation),
        })
        .collect();
    let text = |name: &str| {
        let v = fields.raw(name);
        (!v.trim().is_empty()).then(|| v.to_owned())
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
    (sheet, update)
}

/// Whether the post carries the workbench's ratings (the secretariat's form while the
/// evaluation is editable).
fn has_sheet(model: &Model, fields: &Fields) -> bool {
    model.requirements().first().is_some_and(|r| {
        fields
            .0
            .iter()
            .any(|(k, _)| *k == format!("vurdering-{}", r.id))
    })
}

/// Whether the posted sheet says what the stored evaluation says.
fn same_as_stored(posted: &Sheet, stored: &Sheet) -> bool {
    let norm = |t: &Option<String>| t.as_deref().map(str::trim).unwrap_or("").to_owned();
    posted.entries.len() == stored.entries.len()
        && posted.entries.iter().all(|p| {
            let s = stored
                .entries
                .iter()
                .find(|s| s.requirement == p.requirement);
            match s {
                Some(s) => {
                    s.rating == p.rating
                        && norm(&s.basis) == norm(&p.basis)
                        && norm(&s.recommendation) == norm(&p.recommendation)
                }
                None => p.rating.is_none() && p.basis.is_none() && p.recommendation.is_none(),
            }
        })
        && norm(&posted.summary) == norm(&stored.summary)
        && norm(&posted.overall) == norm(&stored.overall)
        && norm(&posted.recommendations) == norm(&stored.recommendations)
}

/// The comments typed in the form, by requirement.
fn comment_drafts(fields: &Fields) -> HashMap<String, String> {
    fields
        .0
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("kommentar-")
                .filter(|_| !v.trim().is_empty())
                .map(|id| (id.to_owned(), v.clone()))
        })
        .collect()
}

/// The form field an operation's refusal names (`ratings[3].rating` is the fourth
/// requirement's `vurdering-ID`, `level` the finalising `niveau`, …).
fn form_field(model: &Model, field: &str, comment_on: &str) -> String {
    if let Some(rest) = field.strip_prefix("ratings[")
        && let Some((index, part)) = rest.split_once("].")
        && let Ok(i) = index.parse::<usize>()
        && let Some(r) = model.requirements().get(i)
    {
        let name = match part {
            "basis" => "grundlag",
            "recommendation" => "anbefaling",
            _ => "vurdering",
        };
        return format!("{name}-{}", r.id);
    }
    match field {
        "summary" => "resume".to_owned(),
        "overall" => "samlet".to_owned(),
        "recommendations" => "anbefalinger".to_owned(),
        "level" => "niveau".to_owned(),
        "basis" => "grundlag".to_owned(),
        "justification" => "begrundelse".to_owned(),
        "decided_on" => "dato".to_owned(),
        "body" | "requirement" if !comment_on.is_empty() => format!("kommentar-{comment_on}"),
        other => other.to_owned(),
    }
}

/// What a post from the workbench carries besides its action: the posted sheet (when
/// the secretariat's ratings are in it) and the rest of the typed values.
struct Posted {
    sheet: Option<(Sheet, EvaluationUpdate)>,
    finalising: FinaliseForm,
    comments: HashMap<String, String>,
}

impl Posted {
    fn of(model: &Model, fields: &Fields) -> Posted {
        Posted {
            sheet: has_sheet(model, fields).then(|| sheet_from_form(model, fields)),
            finalising: FinaliseForm::posted(fields),
            comments: comment_drafts(fields),
        }
    }
}

/// The workbench again with every posted value and the refusal at its field.
#[allow(clippy::too_many_arguments)]
async fn refused_with_posted(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    posted: Posted,
    error: ApiError,
    comment_on: &str,
) -> Result<Response, ApiError> {
    let (view, product, model) = load(state, auth, id).await?;
    let sheet = match posted.sheet {
        Some((sheet, _)) => sheet,
        None => Sheet::stored(&view)?,
    };
    let message = error.message_in(lang).to_owned();
    let field_error = error
        .detail
        .field
        .as_deref()
        .map(|f| (form_field(model, f, comment_on), message.clone()));
    // The summary at the top names the field too (as the form names it; a comment's
    // as the operation does).
    let summary = match (&field_error, error.detail.field.as_deref()) {
        (Some((form, _)), Some(op)) if form.starts_with("kommentar-") => format!("{op}: {message}"),
        (Some((form, _)), _) => format!("{form}: {message}"),
        _ => message.clone(),
    };
    let extras = Extras {
        errors: vec![summary],
        status: error.status,
        finalising: Some(posted.finalising),
        field_error,
        comment_drafts: posted.comments,
        ..Extras::default()
    };
    workbench(state, auth, lang, &view, &product, model, &sheet, extras).await
}

/// Saves the posted ratings first, when the post carries them and they differ from the
/// stored ones: the version the action is to be based on, or the page to answer with
/// (a refusal, with every posted value).
#[allow(clippy::too_many_arguments)]
async fn save_posted_first(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    fields: &Fields,
    posted: &mut Posted,
    comment_on: &str,
) -> Result<Result<i32, Response>, ApiError> {
    let (view, product, model) = load(state, auth, id).await?;
    let Some((sheet, update)) = posted.sheet.take() else {
        // A comment needs no version (a product editor's post has none).
        return match version_of(fields) {
            Ok(v) => Ok(Ok(v)),
            Err(_) if !comment_on.is_empty() => Ok(Ok(0)),
            Err(e) => Err(e),
        };
    };
    let version = version_of(fields)?;
    if !view.head.status.is_editable() || same_as_stored(&sheet, &Sheet::stored(&view)?) {
        posted.sheet = Some((sheet, update));
        return Ok(Ok(version));
    }
    match ops::save_ratings(state.app(), auth.who(), id, version, update.clone()).await {
        Ok(saved) => {
            posted.sheet = Some((sheet, update));
            Ok(Ok(saved.head.version))
        }
        Err(AppError::Store(StoreError::Conflict { .. })) => {
            let page = conflict(state, auth, lang, id, &product, model, sheet, posted).await?;
            Ok(Err(page))
        }
        Err(other) => {
            let posted = Posted {
                sheet: Some((sheet, update)),
                finalising: posted.finalising.clone(),
                comments: std::mem::take(&mut posted.comments),
            };
            let page = refused_with_posted(state, auth, lang, id, posted, other.into(), comment_on)
                .await?;
            Ok(Err(page))
        }
    }
}

/// A stale form: the current state, with one's own ratings still in the form and the
/// requirements saved differently meanwhile listed.
#[allow(clippy::too_many_arguments)]
async fn conflict(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    product: &product::Model,
    model: &Model,
    sheet: Sheet,
    posted: &mut Posted,
) -> Result<Response, ApiError> {
    let current = ops::get(state.app(), auth.who(), id).await?;
    let theirs = ratings::entries(&current)?;
    let mine: HashMap<&str, Option<Rating>> = sheet
        .entries
        .iter()
        .map(|e| (e.requirement.as_str(), e.rating))
        .collect();
    let stale = theirs
        .iter()
        .filter(|t| mine.get(t.requirement.as_str()).copied().flatten() != t.rating)
        .map(|t| {
            format!(
                "{}: {} {}",
                t.requirement,
                lang.pick("gemt som", "saved as"),
                ratings::label(t.rating, lang)
            )
        })
        .collect();
    let errors = vec![format!(
        "{} {} ({}). {}",
        lang.pick(
            "Evalueringen blev ændret imens af",
            "The evaluation was changed meanwhile by"
        ),
        current.current.created_by,
        labels::date_time(current.current.created_at),
        lang.pick(
            "Dine vurderinger er ikke gemt; de står i formularen. Gem igen for at lægge dem oven på.",
            "Your ratings are not saved; they are in the form. Save again to put them on top."
        )
    )];
    let extras = Extras {
        errors,
        stale,
        status: StatusCode::CONFLICT,
        finalising: Some(posted.finalising.clone()),
        comment_drafts: std::mem::take(&mut posted.comments),
        ..Extras::default()
    };
    workbench(state, auth, lang, &current, product, model, &sheet, extras).await
}

/// `POST /evalueringer/{id}`: `handling=gem` saves the ratings and texts as a new
/// version; `handling=brug-ID` takes the proposal as requirement ID's basis (in the
/// form, not saved); anything else recomputes the level, counts and charts without
/// saving.
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
        let mut posted = Posted::of(model, &fields);
        let Some((mut sheet, update)) = posted.sheet.take() else {
            return Err(ApiError::invalid(
                "vurderinger",
                Msg::new(
                    "formularen mangler vurderingerne",
                    "the form lacks the ratings",
                ),
            ));
        };
        let action = fields.one("handling");
        if action != "gem" {
            let mut notice = lang
                .pick(
                    "Beregnet ud fra formularen; ikke gemt endnu.",
                    "Computed from the form; not saved yet.",
                )
                .to_owned();
            if let Some(requirement) = action.strip_prefix("brug-") {
                let proposals: Vec<RatingProposal> =
                    serde_json::from_value(view.current.proposals.clone()).unwrap_or_default();
                if let Some(p) = proposals.iter().find(|p| p.requirement == requirement)
                    && let Some(entry) = sheet
                        .entries
                        .iter_mut()
                        .find(|e| e.requirement.as_str() == requirement)
                {
                    entry.basis = Some(p.chosen.reason.da.clone());
                    notice = format!(
                        "{} {requirement}. {}",
                        lang.pick(
                            "Forslaget er sat ind som vurderingsgrundlag for",
                            "The proposal has been put in as the basis of"
                        ),
                        lang.pick("Ret det til, og gem.", "Edit it, and save.")
                    );
                }
            }
            let extras = Extras {
                notice,
                finalising: Some(posted.finalising),
                comment_drafts: posted.comments,
                ..Extras::default()
            };
            return workbench(&state, &auth, lang, &view, &product, model, &sheet, extras).await;
        }
        let version = version_of(&fields)?;
        match ops::save_ratings(state.app(), auth.who(), id, version, update.clone()).await {
            Ok(_) => Ok(see_other(&format!("/evalueringer/{id}?besked=gemt"))),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                conflict(&state, &auth, lang, id, &product, model, sheet, &mut posted).await
            }
            Err(other) => {
                posted.sheet = Some((sheet, update));
                refused_with_posted(&state, &auth, lang, id, posted, other.into(), "").await
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

fn version_of(fields: &Fields) -> Result<i32, ApiError> {
    fields
        .one("version")
        .trim()
        .parse()
        .map_err(|_| ApiError::invalid("version", Msg::new("mangler", "missing")))
}

/// Runs `action` on the version the posted ratings were saved at (they are saved first
/// when they changed); a refusal of the action re-renders the page with every posted
/// value and the message at its field.
async fn after_saving<F, Fut>(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    fields: &Fields,
    comment_on: &str,
    action: F,
) -> Result<Response, ApiError>
where
    F: FnOnce(i32) -> Fut,
    Fut: std::future::Future<Output = Result<Response, ApiError>>,
{
    let (_, _, model) = load(state, auth, id).await?;
    let mut posted = Posted::of(model, fields);
    let version =
        match save_posted_first(state, auth, lang, id, fields, &mut posted, comment_on).await? {
            Ok(v) => v,
            Err(page) => return Ok(page),
        };
    match action(version).await {
        Ok(done) => Ok(done),
        Err(e) if e.status == StatusCode::NOT_FOUND || e.status == StatusCode::FORBIDDEN => Err(e),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => Err(e),
        Err(e) => refused_with_posted(state, auth, lang, id, posted, e, comment_on).await,
    }
}

/// `POST /evalueringer/{id}/status`: `status` = `kladde` or `i dialog`; the posted
/// ratings are saved first.
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
        let (st, au) = (&state, &auth);
        after_saving(st, au, lang, id, &fields, "", |version| async move {
            ops::set_status(st.app(), au.who(), id, version, status).await?;
            Ok(see_other(&format!("/evalueringer/{id}?besked=status")))
        })
        .await
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// `POST /evalueringer/{id}/kasser`: discards the evaluation (kept in the history); the
/// posted ratings are saved first.
pub async fn discard(
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
        let (st, au) = (&state, &auth);
        after_saving(st, au, lang, id, &fields, "", |version| async move {
            ops::discard(st.app(), au.who(), id, version).await?;
            Ok(see_other(&format!("/evalueringer/{id}?besked=kasseret")))
        })
        .await
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// `POST /evalueringer/{id}/endelig`: final, with the official level as a decision that
/// waits for publication; the posted ratings are saved first.
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
        let (st, au, fields) = (&state, &auth, &fields);
        after_saving(st, au, lang, id, fields, "", |version| async move {
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
            let justification = fields.one("begrundelse");
            let input = FinaliseInput {
                // The store refuses a stale version (409) as it does for every change.
                version,
                level: fields.one("niveau").to_owned(),
                decided_on,
                decided_by: DecidedBy::parse(fields.one("besluttet_af")),
                basis: fields.one("grundlag").trim().to_owned(),
                reference: (!reference.is_empty()).then(|| reference.to_owned()),
                justification: (!justification.is_empty()).then(|| justification.to_owned()),
            };
            ops::finalise(st.app(), au.who(), id, input).await?;
            Ok(see_other(&format!("/evalueringer/{id}?besked=endelig")))
        })
        .await
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// `POST /evalueringer/{id}/offentliggoer`: needs `bekraeft=ja` (the ticked
/// confirmation).
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
        let version = version_of(&fields)?;
        if fields.one("bekraeft") != "ja" {
            let (view, product, model) = load(&state, &auth, id).await?;
            let sheet = Sheet::stored(&view)?;
            let message = lang
                .pick(
                    "Bekræft offentliggørelsen: sæt flueben, og tryk Offentliggør igen.",
                    "Confirm the publication: tick the box, and press Publish again.",
                )
                .to_owned();
            let extras = Extras {
                errors: vec![message.clone()],
                status: StatusCode::UNPROCESSABLE_ENTITY,
                field_error: Some(("bekraeft".to_owned(), message)),
                ..Extras::default()
            };
            return workbench(&state, &auth, lang, &view, &product, model, &sheet, extras).await;
        }
        ops::publish(state.app(), auth.who(), id, version).await?;
        crate::publish::after_publication(&state, auth.who()).await;
        Ok(see_other(&format!(
            "/evalueringer/{id}?besked=offentliggjort"
        )))
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}

/// `POST /evalueringer/{id}/kommentarer`: `krav` and its `kommentar-KRAV` (or `tekst`);
/// the secretariat's posted ratings are saved first.
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
        let requirement = fields.one("krav").to_owned();
        ops::check_may_comment(state.app(), auth.who(), id).await?;
        let body = match fields.raw(&format!("kommentar-{requirement}")) {
            "" => fields.raw("tekst").to_owned(),
            typed => typed.to_owned(),
        };
        let on = requirement.clone();
        after_saving(&state, &auth, lang, id, &fields, &on, |_| async {
            let input = CommentInput { requirement, body };
            let created = ops::comment(state.app(), auth.who(), id, &input).await?;
            Ok(see_other(&format!(
                "/evalueringer/{id}?besked=kommentar#krav-{}",
                created.requirement
            )))
        })
        .await
    }
    .await;
    answer_form_error(&state, &auth, lang, &path, id, result).await
}
