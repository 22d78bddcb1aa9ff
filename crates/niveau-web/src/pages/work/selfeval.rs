//! The self-evaluation editor (`/produkter/{slug}/selvevaluering`), for the product's
//! editors and the secretariat.
//!
//! Every requirement of the model, grouped by theme and level, with the answer, the
//! documentation and evidence links; beside it what the scan and the portfolio registry
//! propose, each with its evidence, confidence and a "use this" button; at the top the
//! level the answers indicate and what the next level lacks, computed again at every
//! post ("Opdater niveau" recomputes without saving). Saving makes a new version through
//! the same import path as an uploaded Niveau JSON document; if someone saved meanwhile,
//! nothing is stored, the editor keeps one's own answers in the form and shows the other
//! version's differences beside them. Uploading a report to start from is [`super::upload`];
//! the versions with their diffs, downloads and restores are [`super::versions`].
//!
//! Nothing typed is lost: every button of the page (update, "use this", save, carry to a
//! newer model, upload, the secretariat's quota) belongs to the one editor form, so every
//! post carries all fields, and every answer that is not a redirect after a stored change
//! renders the posted fields again, with errors named at their fields. Each answer's
//! rating and explanation and the indicated level are computed from the answer, the
//! documentation and the links together; they are `data-live-part`s, which the live
//! script refreshes on every change of a select, text field or text area. Requirements
//! marked "to re-answer" after a carry keep their mark (a hidden field) until answered
//! and saved.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::AppError;
use niveau_app::self_evaluations as ops;
use niveau_app::visibility::resolve_product;
use niveau_model::{Answer, AnswerValue, Model, Rating, SelfEvaluation};
use niveau_report::Lang;
use niveau_report::document::{DocumentKind, Report};
use niveau_store::StoreError;
use niveau_store::entity::{product, self_evaluation};
use serde::Deserialize;

use super::diff::{self, AnswerDiff};
use super::{
    DEFAULT_MODEL, Missing, ProposalView, Section, evidence_text, indication_text, proposal_view,
    sections,
};
use crate::auth::principal::Auth;
use crate::error::{ApiError, megabytes};
use crate::pages::form::{Fields, FormPost, see_other};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, error_page, labels, ratings, render, to_login};
use crate::state::AppState;
use niveau_app::evaluations::model_of;
use niveau_app::permissions::Action;
use niveau_app::proposals::{self, Candidate};
use niveau_model::Msg;

/// The answers OS2's form offers, as the select shows them (value = OS2's Danish word).
const ANSWERS: [AnswerValue; 5] = [
    AnswerValue::Yes,
    AnswerValue::No,
    AnswerValue::Planned,
    AnswerValue::NotRelevant,
    AnswerValue::DontKnow,
];

/// What the editor holds: a self-evaluation being edited, stored or not.
pub(super) struct Draft {
    pub(super) model_id: String,
    /// The number of the newest stored version the editor started from.
    pub(super) based_on: Option<i32>,
    pub(super) se: SelfEvaluation,
    /// Requirements marked "to re-answer" (after a carry to a newer model), with why.
    pub(super) marks: BTreeMap<String, Msg>,
    /// A date typed that is not a date, given back as typed.
    pub(super) typed_date: Option<String>,
}

/// One requirement in the editor.
struct Item {
    id: String,
    title: String,
    text: String,
    guideline: String,
    obligation: &'static str,
    options: Vec<Choice>,
    documentation: String,
    links: String,
    /// Why it is to be answered again (after a carry to a newer model), or empty.
    reanswer: String,
    /// The mark as it goes back with the form (JSON), or empty.
    reanswer_field: String,
    /// What the answer amounts to by the proposal table.
    proposed: String,
    proposed_class: &'static str,
    proposed_reason: String,
    /// Why it blocks the next level, if it does.
    gap: String,
    suggestions: Vec<ProposalView>,
}

/// The version saved meanwhile, beside one's own.
pub(super) struct Conflict {
    number: i32,
    by: String,
    at: String,
    differences: Vec<AnswerDiff>,
}

/// A refusal of one field: shown in the summary at the top, linked to the field, and at
/// the field itself.
pub(super) struct FieldError {
    /// The field's id (`dato`, `fil`), empty for the form as a whole.
    pub(super) field: String,
    /// The message.
    pub(super) message: String,
}

impl FieldError {
    /// A refusal of the form as a whole.
    pub(super) fn form(message: String) -> FieldError {
        FieldError {
            field: String::new(),
            message,
        }
    }
}

/// An upload that needs the user's choice before it is stored: the file's text goes back
/// with the form, so nothing has to be chosen again.
pub(super) struct PendingUpload {
    /// The file's name.
    pub(super) file_name: String,
    /// The file's bytes, base64-encoded.
    pub(super) data: String,
    /// The report names another product: why, and the confirmation is asked for.
    pub(super) product: String,
    /// The report is in another model: why, and a choice is asked for.
    pub(super) model: String,
    /// The model the product's self-evaluation follows, to carry to.
    pub(super) target_model: String,
    /// The form holds changes that are not saved, which the upload would replace.
    pub(super) unsaved: bool,
    /// Replacing the unsaved changes was confirmed already.
    pub(super) confirmed_unsaved: bool,
    /// Importing into this product was confirmed already.
    pub(super) confirmed_product: bool,
}

#[derive(Template)]
#[template(path = "selfeval.html")]
struct EditorPage {
    layout: Layout,
    product: String,
    slug: String,
    model_id: String,
    model_name: String,
    based_on: String,
    version_line: String,
    notice: String,
    errors: Vec<FieldError>,
    /// The error at the date field, if any.
    date_error: String,
    warnings: Vec<String>,
    conflict: Option<Conflict>,
    /// An upload waiting for the user's choice, kept in the form.
    pending: Option<PendingUpload>,
    /// A newer model the self-evaluation can be carried to: (id, name).
    carry_to: Option<(String, String)>,
    /// Requirements marked "to re-answer".
    reanswer_count: usize,
    filled_by: String,
    date: String,
    repository: String,
    target_levels: Vec<Choice>,
    level: String,
    next_level: String,
    missing: Vec<Missing>,
    sections: Vec<Section<Item>>,
    answered: usize,
    total: usize,
    /// "1,2 MB of 50,0 MB used by 3 versions".
    volume: String,
    /// For the secretariat: the form that raises the product's upload quota.
    quota_form: Option<QuotaForm>,
}

/// The secretariat's form for a product's upload quota.
struct QuotaForm {
    /// The product's version the change is based on.
    version: i32,
    /// The product's own quota in MB, empty when the server's default applies.
    own_mb: String,
    /// The server's default, for the hint.
    default: String,
}

/// The query of the editor: `gemt=N` after a save, `kvote=1` after a quota change.
#[derive(Debug, Default, Deserialize)]
pub struct EditorQuery {
    #[serde(default)]
    gemt: Option<i32>,
    #[serde(default)]
    kvote: Option<String>,
    #[serde(default)]
    overfoert: Option<String>,
    #[serde(default)]
    gendannet: Option<i32>,
}

/// The stored self-evaluation's answers and facts.
pub(super) fn stored_draft(row: &self_evaluation::Model) -> Result<Draft, ApiError> {
    let report: Report = serde_json::from_value(row.document.clone()).map_err(|e| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_self_evaluation",
            Msg::new(
                format!(
                    "selvevaluering version {} kan ikke læses: {e}; upload den igen",
                    row.number
                ),
                format!(
                    "self-evaluation version {} cannot be read: {e}; upload it again",
                    row.number
                ),
            ),
        )
    })?;
    let se = report
        .self_evaluation
        .ok_or_else(|| ApiError::internal(&"a stored self-evaluation without answers"))?;
    Ok(Draft {
        model_id: row.model_id.clone(),
        based_on: Some(row.number),
        se,
        marks: ops::reanswer_marks(&row.document),
        typed_date: None,
    })
}

/// A blank self-evaluation for a product that has none.
fn blank_draft(model: &Model, product: &product::Model) -> Draft {
    let report = niveau_report::draft::blank(DocumentKind::SelfEvaluation, model, &product.name);
    let mut se = report.self_evaluation.unwrap_or_else(|| SelfEvaluation {
        model: Report::model_ref(model),
        product: product.name.clone(),
        date: None,
        filled_by: None,
        target_level: None,
        repository: None,
        answers: Vec::new(),
    });
    se.repository = product.repositories.0.first().cloned();
    se.target_level = product.target_level.clone().map(Into::into);
    Draft {
        model_id: model.id().to_string(),
        based_on: None,
        se,
        marks: BTreeMap::new(),
        typed_date: None,
    }
}

/// The editor's answers from a posted form; errors name the field.
pub(super) fn draft_from_form(
    model: &Model,
    product: &product::Model,
    fields: &Fields,
    lang: Lang,
) -> (Draft, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut draft = blank_draft(model, product);
    draft.based_on = fields.one("based_on").trim().parse().ok();
    let text = |name: &str| {
        let v = fields.one(name).trim();
        (!v.is_empty()).then(|| v.to_owned())
    };
    draft.se.filled_by = text("udfyldt_af");
    draft.se.repository = text("repository");
    draft.se.target_level = text("maalniveau")
        .filter(|l| model.level(l).is_some())
        .map(Into::into);
    draft.se.date = match text("dato") {
        None => None,
        Some(d) => match chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(FieldError {
                    field: "dato".into(),
                    message: format!(
                        "{}: '{d}' {}",
                        lang.pick("Dato for udfyldelse", "Date filled in"),
                        lang.pick("er ikke en dato (ÅÅÅÅ-MM-DD)", "is not a date (YYYY-MM-DD)")
                    ),
                });
                draft.typed_date = Some(d);
                None
            }
        },
    };
    for r in model.requirements() {
        let id = r.id.as_str();
        if let Ok(mark) = serde_json::from_str::<Msg>(fields.one(&format!("genbesvar-{id}"))) {
            draft.marks.insert(id.to_owned(), mark);
        }
        let value = AnswerValue::parse(fields.one(&format!("svar-{id}")));
        let documentation = text(&format!("dok-{id}"));
        let evidence: Vec<String> = fields
            .one(&format!("links-{id}"))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        if value == AnswerValue::Unanswered && documentation.is_none() && evidence.is_empty() {
            continue;
        }
        let mut answer = Answer::new(r.id.clone(), value);
        answer.documentation = documentation;
        answer.evidence = evidence;
        draft.se.answers.push(answer);
    }
    (draft, errors)
}

/// The draft as a Niveau report, for the level engine and for saving.
pub(super) fn report_of(model: &Model, draft: &Draft) -> Report {
    let mut report =
        niveau_report::draft::blank(DocumentKind::SelfEvaluation, model, &draft.se.product);
    report.self_evaluation = Some(draft.se.clone());
    report
}

/// "Use this": the strongest proposal for `id` goes into the answer — green means Ja,
/// red Nej, anything else leaves the answer as it is — and its reason and evidence are
/// added to the documentation, for the editor to check before saving.
fn apply_suggestion(
    draft: &mut Draft,
    model: &Model,
    id: &str,
    found: &HashMap<String, Vec<Candidate>>,
    lang: Lang,
) {
    let (Some(requirement), Some(best)) =
        (model.requirement(id), found.get(id).and_then(|l| l.first()))
    else {
        return;
    };
    let position = draft
        .se
        .answers
        .iter()
        .position(|a| a.requirement == requirement.id);
    let answer = match position {
        Some(i) => &mut draft.se.answers[i],
        None => {
            draft
                .se
                .answers
                .push(Answer::new(requirement.id.clone(), AnswerValue::Unanswered));
            let last = draft.se.answers.len() - 1;
            &mut draft.se.answers[last]
        }
    };
    match best.rating {
        Rating::Green => answer.value = AnswerValue::Yes,
        Rating::Red => answer.value = AnswerValue::No,
        Rating::Yellow | Rating::Grey => {}
    }
    let mut line = best.reason.pick(lang == Lang::En).to_owned();
    let evidence: Vec<String> = best.evidence.iter().map(evidence_text).collect();
    if !evidence.is_empty() {
        line = format!("{line} ({})", evidence.join("; "));
    }
    let existing = answer.documentation.clone().unwrap_or_default();
    if !existing.contains(&line) {
        answer.documentation = Some(if existing.trim().is_empty() {
            line
        } else {
            format!("{}\n{line}", existing.trim_end())
        });
    }
}

/// Everything the editor page shows besides the draft itself.
#[derive(Default)]
pub(super) struct Extras {
    pub(super) notice: String,
    pub(super) errors: Vec<FieldError>,
    pub(super) conflict: Option<Conflict>,
    pub(super) pending: Option<PendingUpload>,
}

/// One request to the editor: who asks, in which language, for which product, and the
/// newest stored version (read once per request).
pub(super) struct Editing<'a> {
    pub(super) state: &'a AppState,
    pub(super) auth: &'a Auth,
    pub(super) lang: Lang,
    pub(super) product: product::Model,
    pub(super) latest: Option<self_evaluation::Model>,
}

impl<'a> Editing<'a> {
    /// The product and the newest version, if the caller may edit the product's
    /// self-evaluation; otherwise the page to answer with (login, 404, 403).
    pub(super) async fn open(
        state: &'a AppState,
        auth: &'a Auth,
        lang: Lang,
        slug: &str,
        path: &str,
    ) -> Result<Editing<'a>, Response> {
        if auth.0.is_none() {
            return Err(to_login(path));
        }
        let page = |e: ApiError| error_page(state, auth, lang, path, e);
        let product = resolve_product(state.store(), auth.who(), slug)
            .await
            .map_err(|e| page(e.into()))?;
        if !auth.can(Action::SubmitSelfEvaluation(product.id)) {
            return Err(page(ApiError::forbidden()));
        }
        let latest = ops::latest(state.app(), auth.who(), &product)
            .await
            .map_err(|e| page(e.into()))?;
        Ok(Editing {
            state,
            auth,
            lang,
            product,
            latest,
        })
    }

    /// The newest stored version as a draft, or a blank one.
    pub(super) fn current_draft(&self) -> Result<Draft, ApiError> {
        match &self.latest {
            Some(row) => stored_draft(row),
            None => {
                let registry = self.state.registry();
                let model = registry
                    .get(
                        self.product
                            .official_model
                            .as_deref()
                            .unwrap_or(DEFAULT_MODEL),
                    )
                    .or_else(|_| registry.get(DEFAULT_MODEL))
                    .map_err(|e| ApiError::internal(&e))?;
                Ok(blank_draft(model, &self.product))
            }
        }
    }

    /// The editor page with `draft` in the form, answered with `status`.
    pub(super) async fn render(
        &self,
        draft: &Draft,
        extras: Extras,
        status: StatusCode,
    ) -> Result<Response, ApiError> {
        let mut response = editor(self, draft, extras).await?;
        *response.status_mut() = status;
        Ok(response)
    }

    /// The editor page with `draft` in the form and one error, answered with `status`.
    pub(super) async fn refuse(
        &self,
        draft: &Draft,
        message: String,
        status: StatusCode,
    ) -> Result<Response, ApiError> {
        let extras = Extras {
            errors: vec![FieldError::form(message)],
            ..Extras::default()
        };
        self.render(draft, extras, status).await
    }

    /// The draft the post carries: the editor's fields when the post came from the
    /// editor's form (it names the model), else the newest stored version. Errors in
    /// the posted fields are returned with it.
    pub(super) fn posted_draft(
        &self,
        fields: &Fields,
    ) -> Result<(Draft, Vec<FieldError>), ApiError> {
        let id = fields.one("model");
        if id.is_empty() {
            return Ok((self.current_draft()?, Vec::new()));
        }
        let model = model_of(self.state.app(), "model", id)?;
        Ok(draft_from_form(model, &self.product, fields, self.lang))
    }

    /// Whether `draft` differs from the stored version it is based on (or, with none
    /// stored, holds any answer or fact): unsaved work that a replacing action would lose.
    pub(super) fn unsaved(&self, draft: &Draft) -> bool {
        let stored = match &self.latest {
            Some(row) if Some(row.number) == draft.based_on => match stored_draft(row) {
                Ok(d) => d,
                Err(_) => return true,
            },
            Some(_) => return true,
            None => {
                return !draft.se.answers.is_empty()
                    || draft.se.filled_by.is_some()
                    || draft.se.date.is_some();
            }
        };
        let Ok(model) = self.state.registry().get(&draft.model_id) else {
            return true;
        };
        stored.model_id != draft.model_id
            || !diff::answers(model, &stored.se.answers, &draft.se.answers, self.lang).is_empty()
            || stored.se.filled_by != draft.se.filled_by
            || stored.se.date != draft.se.date
            || stored.se.repository != draft.se.repository
            || stored.se.target_level != draft.se.target_level
    }
}

async fn editor(
    editing: &Editing<'_>,
    draft: &Draft,
    extras: Extras,
) -> Result<Response, ApiError> {
    let Editing {
        state,
        auth,
        lang,
        ref product,
        ref latest,
    } = *editing;
    let model = model_of(state.app(), "model", &draft.model_id)?;
    let found = ops::suggestions(state.app(), auth.who(), product, model).await?;
    let report = report_of(model, draft);
    let table = proposals::default_table()?;
    let proposed: HashMap<String, niveau_model::Proposal> = table
        .propose_all(model, &draft.se)
        .into_iter()
        .map(|p| (p.requirement.to_string(), p))
        .collect();
    let assessment = niveau_report::summary::assess(&report, model, table);
    let (level, next_level, missing) = match &assessment {
        Some(a) => indication_text(model, &a.indication, lang),
        None => (String::new(), String::new(), Vec::new()),
    };
    let gaps: HashMap<&str, &'static str> =
        missing.iter().map(|m| (m.id.as_str(), m.gap)).collect();
    let answers: HashMap<&str, &Answer> = draft
        .se
        .answers
        .iter()
        .map(|a| (a.requirement.as_str(), a))
        .collect();
    let answered = draft
        .se
        .answers
        .iter()
        .filter(|a| a.value != AnswerValue::Unanswered)
        .count();
    let sections = sections(model, |r| {
        let id = r.id.as_str();
        let answer = answers.get(id).copied();
        let value = answer
            .map(|a| a.value.clone())
            .unwrap_or(AnswerValue::Unanswered);
        let mut options = vec![Choice {
            value: String::new(),
            label: lang.pick("(ikke besvaret)", "(not answered)").to_owned(),
            selected: value == AnswerValue::Unanswered,
        }];
        options.extend(ANSWERS.iter().map(|a| Choice {
            value: a.label_da().to_owned(),
            label: lang.pick(a.label_da(), a.label_en()).to_owned(),
            selected: *a == value,
        }));
        if value != AnswerValue::Unanswered && !ANSWERS.contains(&value) {
            // A free answer (or "Delvist") from an uploaded report is kept, not silently
            // replaced.
            options.push(Choice {
                value: value.label_da().to_owned(),
                label: lang.pick(value.label_da(), value.label_en()).to_owned(),
                selected: true,
            });
        }
        let p = proposed.get(id);
        let rating = assessment
            .as_ref()
            .and_then(|a| a.ratings.get(id))
            .map(|r| r.rating);
        Item {
            id: id.to_owned(),
            title: r.short_text.clone().unwrap_or_else(|| r.text.clone()),
            text: if r.short_text.is_some() {
                r.text.clone()
            } else {
                String::new()
            },
            guideline: r.guideline.clone().unwrap_or_default(),
            obligation: lang.pick(r.obligation.label_da(), r.obligation.label_en()),
            options,
            reanswer: draft
                .marks
                .get(id)
                .map(|m| lang.msg(m).to_owned())
                .unwrap_or_default(),
            reanswer_field: draft
                .marks
                .get(id)
                .and_then(|m| serde_json::to_string(m).ok())
                .unwrap_or_default(),
            documentation: answer
                .and_then(|a| a.documentation.clone())
                .unwrap_or_default(),
            links: answer.map(|a| a.evidence.join("\n")).unwrap_or_default(),
            proposed: ratings::label(rating, lang),
            proposed_class: ratings::class(rating),
            proposed_reason: p
                .map(|p| lang.pick(&p.reason, &p.reason_en).to_owned())
                .unwrap_or_default(),
            gap: gaps.get(id).map(|g| (*g).to_owned()).unwrap_or_default(),
            suggestions: found
                .get(id)
                .map(|list| list.iter().map(|c| proposal_view(c, false, lang)).collect())
                .unwrap_or_default(),
        }
    });
    let version_line = match latest {
        Some(l) => format!(
            "{} {} · {} {} {}",
            lang.pick("Seneste gemte version:", "Latest saved version:"),
            l.number,
            labels::date_time(l.submitted_at),
            lang.pick("af", "by"),
            l.submitted_by
        ),
        None => lang
            .pick(
                "Produktet har ingen selvevaluering endnu. Udfyld den her, eller upload en eksisterende rapport.",
                "The product has no self-evaluation yet. Fill it in here, or upload an existing report.",
            )
            .to_owned(),
    };
    let warnings = latest
        .as_ref()
        .filter(|l| Some(l.number) == draft.based_on)
        .and_then(|l| l.warnings.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|w| {
            let message = w["message"][lang.code()].as_str().unwrap_or_default();
            match w["line"].as_u64() {
                Some(line) => format!("{} {line}: {message}", lang.pick("Linje", "Line")),
                None => message.to_owned(),
            }
        })
        .collect();
    let mut target_levels = vec![Choice {
        value: String::new(),
        label: lang.pick("(intet)", "(none)").to_owned(),
        selected: draft.se.target_level.is_none(),
    }];
    target_levels.extend(model.levels().iter().map(|l| Choice {
        value: l.id.to_string(),
        label: l.name.clone(),
        selected: draft.se.target_level.as_ref() == Some(&l.id),
    }));
    let volume = ops::upload_volume(state.app(), auth.who(), product).await?;
    let quota_form = auth.can(Action::EditPortfolio).then(|| QuotaForm {
        version: product.version,
        own_mb: product
            .upload_quota_bytes
            .map(|b| format!("{}", b as f64 / 1_048_576.0))
            .unwrap_or_default(),
        default: megabytes(volume.default_quota_bytes, lang),
    });
    let (used, quota) = (
        megabytes(volume.used_bytes, lang),
        megabytes(volume.quota_bytes, lang),
    );
    let volume = match lang {
        Lang::Da => format!(
            "Gemte versioner fylder {used} af produktets uploadkvote på {quota} ({} versioner).",
            volume.versions
        ),
        Lang::En => format!(
            "Stored versions take {used} of the product's upload quota of {quota} ({} versions).",
            volume.versions
        ),
    };
    // A newer model to carry to: the product's official model, else OS2's current one.
    let carry_to = product
        .official_model
        .as_deref()
        .and_then(|m| state.registry().get(m).ok())
        .or_else(|| state.registry().get(DEFAULT_MODEL).ok())
        .filter(|target| target.id() != model.id())
        .filter(|_| {
            latest
                .as_ref()
                .is_some_and(|l| l.model_id == draft.model_id)
        })
        .map(|target| {
            (
                target.id().to_string(),
                format!("{} ({})", target.name(), target.version()),
            )
        });
    let date_error = extras
        .errors
        .iter()
        .find(|e| e.field == "dato")
        .map(|e| e.message.clone())
        .unwrap_or_default();
    let path = format!("/produkter/{}/selvevaluering", product.slug);
    let title = format!(
        "{} – {}",
        lang.pick("Selvevaluering", "Self-evaluation"),
        product.name
    );
    Ok(render(&EditorPage {
        layout: Layout::new(state, auth, lang, title, "", &path).live(),
        product: product.name.clone(),
        slug: product.slug.clone(),
        model_id: model.id().to_string(),
        model_name: format!("{} ({})", model.name(), model.version()),
        based_on: draft.based_on.map(|n| n.to_string()).unwrap_or_default(),
        version_line,
        notice: extras.notice,
        errors: extras.errors,
        date_error,
        warnings,
        conflict: extras.conflict,
        pending: extras.pending,
        carry_to,
        reanswer_count: draft.marks.len(),
        filled_by: draft.se.filled_by.clone().unwrap_or_default(),
        date: draft
            .typed_date
            .clone()
            .or_else(|| draft.se.date.map(|d| d.to_string()))
            .unwrap_or_default(),
        repository: draft.se.repository.clone().unwrap_or_default(),
        target_levels,
        level,
        next_level,
        missing,
        sections,
        answered,
        total: model.requirements().len(),
        volume,
        quota_form,
    }))
}

/// `GET /produkter/{slug}/selvevaluering`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(query): Query<EditorQuery>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let editing = match Editing::open(&state, &auth, lang, &slug, path).await {
        Ok(e) => e,
        Err(page) => return Ok(page),
    };
    let draft = editing.current_draft()?;
    let notice = match (query.gemt, query.kvote) {
        (Some(n), _) if query.overfoert.is_some() => format!(
            "{} {n}. {}",
            lang.pick(
                "Overført til den nyere model og gemt som version",
                "Carried to the newer model and saved as version"
            ),
            lang.pick(
                "Krav markeret »Besvar igen« skal besvares på ny; den gamle version er i historikken.",
                "Requirements marked \"Answer again\" are to be answered anew; the old version is in the history."
            )
        ),
        (Some(n), _) if query.gendannet.is_some() => format!(
            "{} {} {} {n}.",
            lang.pick("Version", "Version"),
            query.gendannet.unwrap_or_default(),
            lang.pick("er gendannet som version", "was restored as version")
        ),
        (Some(n), _) => format!("{} {n}.", lang.pick("Gemt som version", "Saved as version")),
        (None, Some(_)) => lang
            .pick("Uploadkvoten er ændret.", "The upload quota was changed.")
            .to_owned(),
        (None, None) => String::new(),
    };
    let extras = Extras {
        notice,
        ..Extras::default()
    };
    editing.render(&draft, extras, StatusCode::OK).await
}

/// `POST /produkter/{slug}/selvevaluering`: `handling` is `gem` (save a new version),
/// `brug:ID` (take the proposal for requirement ID into the form) or anything else
/// (recompute the indicated level without saving).
pub async fn submit(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    let editing = match Editing::open(&state, &auth, lang, &slug, &path).await {
        Ok(e) => e,
        Err(page) => return Ok(page),
    };
    let product = &editing.product;
    let model = match model_of(state.app(), "model", fields.one("model")) {
        Ok(m) => m,
        Err(e) => return Ok(error_page(&state, &auth, lang, &path, e.into())),
    };
    let (mut draft, errors) = draft_from_form(model, product, &fields, lang);
    let action = fields.one("handling");
    if let Some(id) = action.strip_prefix("brug:") {
        let found = ops::suggestions(state.app(), auth.who(), product, model).await?;
        apply_suggestion(&mut draft, model, id, &found, lang);
        let notice = format!(
            "{} {id} {}",
            lang.pick("Forslaget til", "The proposal for"),
            lang.pick(
                "er sat ind i formularen. Det er ikke gemt endnu.",
                "is in the form. It is not saved yet."
            )
        );
        let extras = Extras {
            notice,
            errors,
            ..Extras::default()
        };
        return editing.render(&draft, extras, StatusCode::OK).await;
    }
    if action == "overfoer" && errors.is_empty() {
        return carry(&editing, draft, fields.one("overfoer_model")).await;
    }
    if action != "gem" || !errors.is_empty() {
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        let extras = Extras {
            errors,
            ..Extras::default()
        };
        return editing.render(&draft, extras, status).await;
    }
    save(&editing, model, draft).await
}

/// "Carry to a newer model": the stored version becomes a new version in `target`. Work
/// not saved yet would not be in it, so the form is given back with it, asking to save
/// first.
async fn carry(editing: &Editing<'_>, draft: Draft, target: &str) -> Result<Response, ApiError> {
    let lang = editing.lang;
    if editing.unsaved(&draft) {
        let message = lang
            .pick(
                "Formularen har ændringer, der ikke er gemt. Gem dem først, og overfør så til den nyere model.",
                "The form has changes that are not saved. Save them first, then carry to the newer model.",
            )
            .to_owned();
        return editing
            .refuse(&draft, message, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let product = &editing.product;
    match ops::carry_to(
        editing.state.app(),
        editing.auth.who(),
        product,
        target,
        draft.based_on,
    )
    .await
    {
        Ok((row, _)) => Ok(see_other(&format!(
            "/produkter/{}/selvevaluering?gemt={}&overfoert=1",
            product.slug, row.number
        ))),
        Err(e) if e.kind() == niveau_app::ErrorKind::Internal => Err(e.into()),
        Err(e) => {
            let e = ApiError::from(e);
            let message = e.message_in(lang).to_owned();
            editing.refuse(&draft, message, e.status).await
        }
    }
}

async fn save(editing: &Editing<'_>, model: &Model, draft: Draft) -> Result<Response, ApiError> {
    let (state, product) = (editing.state, &editing.product);
    let stored = ops::submit_report(
        state.app(),
        editing.auth.who(),
        product,
        &report_of(model, &draft),
        &draft.marks,
        // The first version has nothing to conflict with but a first version saved
        // meanwhile: based_on 0 says "I saw none".
        Some(draft.based_on.unwrap_or(0)),
    )
    .await;
    match stored {
        Ok(row) => Ok(see_other(&format!(
            "/produkter/{}/selvevaluering?gemt={}",
            product.slug, row.number
        ))),
        Err(AppError::Store(StoreError::Conflict { .. })) => conflict(editing, model, draft).await,
        Err(e) => {
            // The upload limits name the limit and the use in the page's language.
            let e = ApiError::from(e);
            let message = e.message_in(editing.lang).to_owned();
            editing.refuse(&draft, message, e.status).await
        }
    }
}

/// Someone saved meanwhile: the editor with one's own answers still in the form, now
/// based on the newest version, and the differences to it beside them (409).
async fn conflict(
    editing: &Editing<'_>,
    model: &Model,
    mut draft: Draft,
) -> Result<Response, ApiError> {
    let (state, lang) = (editing.state, editing.lang);
    let Some(theirs) = ops::latest(state.app(), editing.auth.who(), &editing.product).await? else {
        return Err(ApiError::internal(&"a conflict without a stored version"));
    };
    let their_draft = stored_draft(&theirs)?;
    let their_model = state.registry().get(&their_draft.model_id).unwrap_or(model);
    let differences = diff::answers(
        their_model,
        &their_draft.se.answers,
        &draft.se.answers,
        lang,
    );
    draft.based_on = Some(theirs.number);
    let conflict = Conflict {
        number: theirs.number,
        by: theirs.submitted_by.clone(),
        at: labels::date_time(theirs.submitted_at),
        differences,
    };
    // Shown against the version saved meanwhile, which is now the newest.
    let newest = Editing {
        latest: Some(theirs),
        product: editing.product.clone(),
        ..*editing
    };
    let extras = Extras {
        conflict: Some(conflict),
        ..Extras::default()
    };
    newest.render(&draft, extras, StatusCode::CONFLICT).await
}
