//! A product's place in the product process (`/produkter/{slug}/proces`): its stage, the
//! level it is placed on, whether the board has approved it, the steps the visitor may
//! record (and why the others are not allowed yet), the form to take a step
//! ([`niveau_app::process::step`]), the process decisions in the log, and for a project
//! its progress reports with the form to report ([`niveau_app::progress::report`]).
//! Readers of the portfolio see the page; the forms are for those who may take a step or
//! report. A refused post shows the page again with everything typed and the message at
//! its field.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::process::{self, ProcessView, StepInput};
use niveau_app::{AppError, progress};
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::entity::{product, progress_report};
use niveau_store::progress::ProgressInput;
use niveau_store::types::{DecidedBy, ProgressStatus};

use super::{
    Errors, FieldError, date, in_lang, is_internal, message, refusal, see_other, sends_away,
    status_of, with_status,
};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost, NoticeQuery};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, labels, render};
use crate::state::AppState;

/// How many progress reports the page shows (the newest).
const REPORTS_SHOWN: u64 = 20;

/// A step as the page lists it.
struct StepRow {
    id: String,
    name: String,
    to: String,
    deciders: String,
    allowed: bool,
    refusal: String,
}

/// A process decision as the page lists it.
struct LogRow {
    date: String,
    what: String,
    by: String,
    basis: String,
}

/// A progress report as the page lists it.
struct ReportRow {
    period: String,
    status: String,
    budget: String,
    spent: String,
    expected: String,
    over: bool,
    progress: String,
    risks: String,
}

/// What was typed in the step form.
#[derive(Debug, Default, Clone)]
struct StepDraft {
    transition: String,
    decided_by: String,
    decided_on: String,
    basis: String,
    reference: String,
}

/// What was typed in the progress form.
#[derive(Debug, Default, Clone)]
struct ReportDraft {
    period_from: String,
    period_to: String,
    status: String,
    budget: String,
    spent: String,
    expected_total: String,
    progress: String,
    risks: String,
}

#[derive(Template)]
#[template(path = "product_process.html")]
struct ProcessPage {
    layout: Layout,
    product: String,
    slug: String,
    stage: String,
    level: String,
    approved: bool,
    notice: String,
    steps: Vec<StepRow>,
    /// The form's choices: the allowed steps and the deciders the visitor may act for.
    step_choices: Vec<Choice>,
    decider_choices: Vec<Choice>,
    step: StepDraft,
    step_errors: Errors,
    step_action: String,
    log: Vec<LogRow>,
    is_project: bool,
    reports: Vec<ReportRow>,
    can_report: bool,
    report: ReportDraft,
    report_errors: Errors,
    report_action: String,
    status_choices: Vec<Choice>,
    summary: Vec<FieldError>,
}

fn kroner(v: Option<i64>, lang: Lang) -> String {
    v.map(|v| labels::kroner(v, lang))
        .unwrap_or_else(|| "–".to_owned())
}

fn report_row(r: &progress_report::Model, lang: Lang) -> ReportRow {
    ReportRow {
        period: format!("{} – {}", r.period_from, r.period_to),
        status: labels::progress_status(r.status, lang).to_owned(),
        budget: kroner(r.budget, lang),
        spent: kroner(r.spent, lang),
        expected: kroner(r.expected_total, lang),
        over: progress::overrun(Some(r)).is_some(),
        progress: r.progress.clone(),
        risks: r.risks.clone().unwrap_or_default(),
    }
}

/// The page, with `step`/`report` typed and their errors kept.
#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    slug: &str,
    notice: String,
    step: Option<(StepDraft, Errors)>,
    report: Option<(ReportDraft, Errors)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let path = format!("/produkter/{slug}/proces");
    let view: ProcessView = match process::view(state.app(), auth.who(), slug).await {
        Ok(v) => v,
        Err(e) => return Ok(refusal(state, auth, lang, &path, e)),
    };
    if !auth.can(Action::ReadPortfolio) {
        return Ok(refusal(state, auth, lang, &path, AppError::Unauthenticated));
    }
    let (product, reports) = match progress::reports(
        state.app(),
        auth.who(),
        slug,
        &ListParams {
            limit: Some(REPORTS_SHOWN),
            ..Default::default()
        },
    )
    .await
    {
        Ok(found) => found,
        Err(e) => return Ok(refusal(state, auth, lang, &path, e)),
    };
    let product: product::Model = product;
    let decider = |b: DecidedBy| labels::decided_by(b, lang).to_owned();
    let steps: Vec<StepRow> = view
        .steps
        .iter()
        .map(|s| StepRow {
            id: s.id.clone(),
            name: s.name.pick(lang == Lang::En).to_owned(),
            to: s
                .to
                .map(|t| labels::stage(t, lang).to_owned())
                .unwrap_or_else(|| {
                    lang.pick("stadiet før pausen", "the stage before the pause")
                        .to_owned()
                }),
            deciders: s
                .deciders
                .iter()
                .map(|b| decider(*b))
                .collect::<Vec<_>>()
                .join(", "),
            allowed: s.allowed,
            refusal: s
                .refusal
                .as_ref()
                .map(|m| m.pick(lang == Lang::En).to_owned())
                .unwrap_or_default(),
        })
        .collect();
    let (step, step_errors) = step.unwrap_or_else(|| {
        (
            StepDraft {
                decided_on: state.store().now().date_naive().to_string(),
                ..StepDraft::default()
            },
            Errors::default(),
        )
    });
    let step_choices: Vec<Choice> = view
        .steps
        .iter()
        .filter(|s| s.allowed)
        .map(|s| Choice {
            value: s.id.clone(),
            label: s.name.pick(lang == Lang::En).to_owned(),
            selected: s.id == step.transition,
        })
        .collect();
    let mut deciders: Vec<DecidedBy> = Vec::new();
    for s in view.steps.iter().filter(|s| s.allowed) {
        for b in &s.deciders {
            if !deciders.contains(b) {
                deciders.push(*b);
            }
        }
    }
    let decider_choices = deciders
        .iter()
        .map(|b| Choice {
            value: b.as_str().to_owned(),
            label: decider(*b),
            selected: b.as_str() == step.decided_by,
        })
        .collect();
    let log = view
        .log
        .iter()
        .rev()
        .map(|d| LogRow {
            date: d.decided_on.to_string(),
            what: labels::decision(d, lang),
            by: decider(d.decided_by),
            basis: d.basis.clone(),
        })
        .collect();
    let (report, report_errors) = report.unwrap_or_default();
    let report = if report.status.is_empty() {
        ReportDraft {
            status: ProgressStatus::PaaSporet.as_str().to_owned(),
            ..report
        }
    } else {
        report
    };
    let status_choices = ProgressStatus::ALL
        .iter()
        .map(|s| Choice {
            value: s.as_str().to_owned(),
            label: labels::progress_status(*s, lang).to_owned(),
            selected: s.as_str() == report.status,
        })
        .collect();
    let mut summary: Vec<FieldError> = step_errors.all().to_vec();
    summary.extend(report_errors.all().iter().cloned());
    let level = labels::level(view.level.as_deref(), lang);
    let title = format!("{} – {}", lang.pick("Proces", "Process"), product.name);
    let response = render(&ProcessPage {
        layout: Layout::new(state, auth, lang, title, "portfolio", &path),
        product: product.name.clone(),
        slug: product.slug.clone(),
        stage: labels::stage(view.stage, lang).to_owned(),
        level,
        approved: view.board_approved,
        notice,
        steps,
        step_choices,
        decider_choices,
        step,
        step_errors,
        step_action: in_lang(&format!("/produkter/{}/proces", product.slug), lang),
        log,
        is_project: view.stage == niveau_store::types::Stage::Projekt,
        reports: reports.items.iter().map(|r| report_row(r, lang)).collect(),
        can_report: auth.can(Action::ReportProgress(product.id)),
        report,
        report_errors,
        report_action: in_lang(&format!("/produkter/{}/fremdrift", product.slug), lang),
        status_choices,
        summary,
    });
    Ok(with_status(response, status))
}

/// `GET /produkter/{slug}/proces`.
pub async fn page(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    auth: Auth,
    PageLang(lang): PageLang,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let notice = match q.notice() {
        Some("trin") => lang.pick(
            "Trinnet er registreret i beslutningsloggen.",
            "The step is recorded in the decision log.",
        ),
        Some("fremdrift") => lang.pick(
            "Fremdriftsrapporten er gemt.",
            "The progress report is saved.",
        ),
        _ => "",
    }
    .to_owned();
    show(
        &state,
        &auth,
        lang,
        &slug,
        notice,
        None,
        None,
        StatusCode::OK,
    )
    .await
}

impl StepDraft {
    fn read(f: &Fields) -> StepDraft {
        StepDraft {
            transition: f.one("transition").to_owned(),
            decided_by: f.one("decided_by").to_owned(),
            decided_on: f.one("decided_on").to_owned(),
            basis: f.one("basis").to_owned(),
            reference: f.one("reference").to_owned(),
        }
    }

    fn input(&self, lang: Lang) -> Result<StepInput, Errors> {
        let mut errors = Vec::new();
        let decided_by = DecidedBy::parse(&self.decided_by);
        if decided_by.is_none() {
            errors.push(FieldError {
                field: "trin-af".into(),
                message: lang
                    .pick("Vælg, hvem der besluttede.", "Choose who decided.")
                    .into(),
            });
        }
        let decided_on = match date(&self.decided_on, lang) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError {
                    field: "trin-dato".into(),
                    message: lang
                        .pick(
                            "Skriv datoen for beslutningen.",
                            "Give the date of the decision.",
                        )
                        .into(),
                });
                None
            }
            Err(m) => {
                errors.push(FieldError {
                    field: "trin-dato".into(),
                    message: m,
                });
                None
            }
        };
        match (decided_by, decided_on) {
            (Some(decided_by), Some(decided_on)) if errors.is_empty() => Ok(StepInput {
                transition: self.transition.clone(),
                decided_by,
                decided_on,
                basis: self.basis.clone(),
                reference: (!self.reference.trim().is_empty()).then(|| self.reference.clone()),
            }),
            _ => Err(Errors(errors)),
        }
    }
}

/// `POST /produkter/{slug}/proces`: take a step.
pub async fn step(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/produkter/{slug}/proces");
    if let Err(e) = process::authorise_step(state.app(), auth.who(), &slug).await {
        return Ok(refusal(&state, &auth, lang, &path, e));
    }
    let draft = StepDraft::read(&fields);
    let refused = |errors: Errors, status: StatusCode, draft: StepDraft| {
        let state = &state;
        let auth = &auth;
        let slug = &slug;
        async move {
            show(
                state,
                auth,
                lang,
                slug,
                String::new(),
                Some((draft, errors)),
                None,
                status,
            )
            .await
        }
    };
    let input = match draft.input(lang) {
        Ok(i) => i,
        Err(errors) => return refused(errors, StatusCode::UNPROCESSABLE_ENTITY, draft).await,
    };
    match process::step(state.app(), auth.who(), &slug, input).await {
        Ok(_) => Ok(see_other(
            &format!("/produkter/{slug}/proces?besked=trin"),
            lang,
        )),
        Err(e) if sends_away(&e) => Ok(refusal(&state, &auth, lang, &path, e)),
        Err(e) if is_internal(&e) => Err(e.into()),
        Err(e) => {
            let field = match e.field().unwrap_or("") {
                "transition" => "trin-valg",
                "decided_on" => "trin-dato",
                "decided_by" => "trin-af",
                "reference" => "trin-reference",
                _ => "trin-grundlag",
            };
            let status = status_of(&e);
            refused(Errors::one(field, message(&e, lang)), status, draft).await
        }
    }
}

impl ReportDraft {
    fn read(f: &Fields) -> ReportDraft {
        ReportDraft {
            period_from: f.one("period_from").to_owned(),
            period_to: f.one("period_to").to_owned(),
            status: f.one("status").to_owned(),
            budget: f.one("budget").to_owned(),
            spent: f.one("spent").to_owned(),
            expected_total: f.one("expected_total").to_owned(),
            progress: f.one("progress").to_owned(),
            risks: f.one("risks").to_owned(),
        }
    }

    fn input(&self, lang: Lang) -> Result<ProgressInput, Errors> {
        let mut errors = Vec::new();
        let mut day = |text: &str, field: &str| match date(text, lang) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push(FieldError {
                    field: field.into(),
                    message: lang.pick("Skriv en dato.", "Give a date.").into(),
                });
                None
            }
            Err(m) => {
                errors.push(FieldError {
                    field: field.into(),
                    message: m,
                });
                None
            }
        };
        let from = day(&self.period_from, "fremdrift-fra");
        let to = day(&self.period_to, "fremdrift-til");
        let mut amount = |text: &str, field: &str| -> Option<i64> {
            let cleaned: String = text
                .chars()
                .filter(|c| !matches!(c, '.' | ' ' | ','))
                .collect();
            if cleaned.is_empty() {
                return None;
            }
            match cleaned.parse::<i64>() {
                Ok(v) => Some(v),
                Err(_) => {
                    errors.push(FieldError {
                        field: field.into(),
                        message: format!(
                            "«{text}» {}",
                            lang.pick(
                                "er ikke et beløb i hele kroner.",
                                "is not an amount in whole kroner."
                            )
                        ),
                    });
                    None
                }
            }
        };
        let budget = amount(&self.budget, "fremdrift-budget");
        let spent = amount(&self.spent, "fremdrift-forbrug");
        let expected_total = amount(&self.expected_total, "fremdrift-forventet");
        let status = ProgressStatus::parse(&self.status);
        if status.is_none() {
            errors.push(FieldError {
                field: "fremdrift-status".into(),
                message: lang.pick("Vælg en status.", "Choose a status.").into(),
            });
        }
        match (from, to, status) {
            (Some(period_from), Some(period_to), Some(status)) if errors.is_empty() => {
                Ok(ProgressInput {
                    period_from,
                    period_to,
                    status,
                    budget,
                    spent,
                    expected_total,
                    progress: self.progress.clone(),
                    risks: (!self.risks.trim().is_empty()).then(|| self.risks.clone()),
                })
            }
            _ => Err(Errors(errors)),
        }
    }
}

/// `POST /produkter/{slug}/fremdrift`: report a project's progress.
pub async fn report(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/produkter/{slug}/proces");
    if let Err(e) = progress::authorise_report(state.app(), auth.who(), &slug).await {
        return Ok(refusal(&state, &auth, lang, &path, e));
    }
    let draft = ReportDraft::read(&fields);
    let refused = |errors: Errors, status: StatusCode, draft: ReportDraft| {
        let state = &state;
        let auth = &auth;
        let slug = &slug;
        async move {
            show(
                state,
                auth,
                lang,
                slug,
                String::new(),
                None,
                Some((draft, errors)),
                status,
            )
            .await
        }
    };
    let input = match draft.input(lang) {
        Ok(i) => i,
        Err(errors) => return refused(errors, StatusCode::UNPROCESSABLE_ENTITY, draft).await,
    };
    match progress::report(state.app(), auth.who(), &slug, input).await {
        Ok(_) => Ok(see_other(
            &format!("/produkter/{slug}/proces?besked=fremdrift#fremdrift"),
            lang,
        )),
        Err(e) if sends_away(&e) => Ok(refusal(&state, &auth, lang, &path, e)),
        Err(e) if is_internal(&e) => Err(e.into()),
        Err(e) => {
            let field = match e.field().unwrap_or("") {
                "period_from" => "fremdrift-fra",
                "period_to" => "fremdrift-til",
                "budget" => "fremdrift-budget",
                "spent" => "fremdrift-forbrug",
                "expected_total" => "fremdrift-forventet",
                "risks" => "fremdrift-risici",
                "progress" => "fremdrift-tekst",
                _ => "fremdrift-status",
            };
            let status = status_of(&e);
            refused(Errors::one(field, message(&e, lang)), status, draft).await
        }
    }
}
