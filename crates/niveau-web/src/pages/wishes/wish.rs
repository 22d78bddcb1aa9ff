//! A wish's page (`/oensker/{id}`): its description, its state with the time spent in
//! each state, the history (who, when, why), the screening per criterion, the supplier's
//! solution and estimate, the funding with its pledges, and the comments. For the
//! product group, a form for each operation: a step (the allowed steps, and why the
//! others are refused), the screening, the estimate, the funding decision, a pledge and
//! its withdrawal. Every form carries the wish's version; a refused post, a stale
//! version included, shows the page again with what was typed kept.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use niveau_app::wishes::{self, Detail, WishPage};
use niveau_app::{AppError, groups, organisations};
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::groups::GroupFilter;
use niveau_store::json::ScreeningEntry;
use niveau_store::organisations::OrganisationFilter;
use niveau_store::types::{OrgKind, ScreeningRating, WishPayer, WishState};
use niveau_store::wishes::{EstimateInput, FundingInput, PledgeInput, ScreeningInput, StepInput};

use super::super::product_work::{
    Errors, FieldError, in_lang, is_internal, refusal, see_other, sends_away, status_of,
    with_status,
};
use super::super::{Choice, Layout, labels, render};
use super::list::Funding;
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{FormPost, NoticeQuery};
use crate::pages::lang::PageLang;
use crate::state::AppState;

/// What was typed in one of the page's forms, with its errors.
#[derive(Debug, Default)]
struct Typed {
    /// Which form: `trin`, `screening`, `estimat`, `finansiering`, `tilsagn`, `traek`,
    /// `kommentar`.
    form: &'static str,
    fields: Vec<(String, String)>,
    errors: Errors,
}

impl Typed {
    fn new(form: &'static str, fields: &crate::pages::form::Fields) -> Typed {
        Typed {
            form,
            fields: fields.0.clone(),
            errors: Errors::default(),
        }
    }

    fn one(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .unwrap_or("")
    }
}

struct StepRow {
    id: String,
    label: String,
    needs_reason: bool,
    refused: String,
}

struct HistoryRow {
    at: String,
    from: String,
    to: String,
    who: String,
    reason: String,
}

/// One criterion in the screening table and form.
struct CriterionRow {
    index: usize,
    criterion: String,
    /// The stored rating in words (empty when not rated).
    rating: String,
    note: String,
    /// The form's radios: (value, label, checked, id suffix).
    radios: Vec<(String, String, bool, &'static str)>,
    /// The form's note.
    form_note: String,
}

struct PledgeRow {
    id: i32,
    organisation: String,
    amount: String,
    note: String,
    by: String,
    at: String,
    withdrawn: String,
}

struct CommentRow {
    author: String,
    at: String,
    body: String,
}

#[derive(Template)]
#[template(path = "wish_page.html")]
struct PageT {
    layout: Layout,
    notice: String,
    version: i32,
    product: String,
    slug: String,
    title: String,
    state: String,
    state_since: String,
    priority: String,
    priority_reason: String,
    age_days: i64,
    details: bool,
    need: String,
    proposal: String,
    value: String,
    organisation: String,
    raised_by: String,
    email: String,
    external_key: String,
    time_in_states: Vec<(String, i64)>,
    history: Vec<HistoryRow>,
    criteria: Vec<CriterionRow>,
    screened: String,
    supplier: String,
    solution: String,
    solution_url: String,
    hours: String,
    estimate: String,
    funding: Funding,
    target: String,
    pledged: String,
    remaining: String,
    rank: String,
    decision_reason: String,
    /// The stored values as the forms show them.
    form_hours: String,
    form_estimate: String,
    form_target: String,
    form_rank: String,
    pledges: Vec<PledgeRow>,
    comments: Vec<CommentRow>,
    may_manage: bool,
    may_comment: bool,
    signed_in: bool,
    before_order: bool,
    steps: Vec<StepRow>,
    step_choices: Vec<Choice>,
    suppliers: Vec<Choice>,
    payers: Vec<Choice>,
    groups: Vec<Choice>,
    organisations: Vec<Choice>,
    /// The typed values of the form that was refused, and its errors.
    typed: Typed,
    /// The form actions (with `?lang=en` on an English page).
    base: String,
    lang_query: String,
}

impl PageT {
    /// The value of `field` in `form`: what was typed if that form was refused, else
    /// `stored`.
    fn v(&self, form: &str, field: &str, stored: &str) -> String {
        if self.typed.form == form {
            self.typed.one(field).to_owned()
        } else {
            stored.to_owned()
        }
    }

    /// The message at field `id` (empty when none).
    fn err(&self, id: &str) -> &str {
        self.typed.errors.at(id)
    }

    /// The errors of `form`, for the box above it.
    fn failed(&self, form: &str) -> &[FieldError] {
        if self.typed.form == form {
            self.typed.errors.all()
        } else {
            &[]
        }
    }

    /// `/oensker/{id}/{what}` in the page's language.
    fn action(&self, what: &str) -> String {
        format!("{}/{what}{}", self.base, self.lang_query)
    }
}

fn or_dash(text: Option<&str>) -> String {
    text.filter(|t| !t.trim().is_empty())
        .unwrap_or("–")
        .to_owned()
}

fn notice(key: Option<&str>, lang: Lang) -> String {
    let (da, en) = match key.unwrap_or("") {
        "rejst" => (
            "Tak – ønsket er rejst. Produktgruppen ser det nu og screener det; du kan følge det her.",
            "Thank you – the wish is raised. The product group sees it now and will screen it; you can follow it here.",
        ),
        "trin" => ("Ønsket er flyttet.", "The wish is moved."),
        "screening" => ("Screeningen er gemt.", "The screening is saved."),
        "estimat" => (
            "Løsningsbeskrivelsen og estimatet er gemt.",
            "The solution description and estimate are saved.",
        ),
        "finansiering" => (
            "Beslutningen om finansiering er gemt.",
            "The funding decision is saved.",
        ),
        "tilsagn" => ("Tilsagnet er registreret.", "The pledge is registered."),
        "traek" => ("Tilsagnet er trukket tilbage.", "The pledge is withdrawn."),
        "kommentar" => ("Kommentaren er tilføjet.", "The comment is added."),
        _ => return String::new(),
    };
    lang.pick(da, en).to_owned()
}

#[allow(clippy::too_many_lines)]
async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    notice: String,
    typed: Typed,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let path = in_lang(&format!("/oensker/{id}"), lang);
    let page: WishPage = match wishes::page(state.app(), auth.who(), id).await {
        Ok(p) => p,
        Err(e) => return Ok(refusal(state, auth, lang, &path, e)),
    };
    let v = &page.wish;
    let w = &v.wish;
    let details = v.detail >= Detail::Details;
    let en = lang == Lang::En;
    let mut steps = Vec::new();
    let mut step_choices = Vec::new();
    let chosen_step = if typed.form == "trin" {
        typed.one("to").to_owned()
    } else {
        String::new()
    };
    for s in &page.steps {
        let refused = s
            .refused
            .as_ref()
            .map(|m| m.pick(en).to_owned())
            .unwrap_or_default();
        if refused.is_empty() {
            step_choices.push(Choice {
                value: s.to.as_str().to_owned(),
                label: super::state(s.to, lang).to_owned(),
                selected: s.to.as_str() == chosen_step,
            });
        }
        steps.push(StepRow {
            id: s.to.as_str().replace(' ', "-"),
            label: super::state(s.to, lang).to_owned(),
            needs_reason: s.needs_reason,
            refused,
        });
    }
    let stored: HashMap<&str, &ScreeningEntry> = w
        .screening
        .as_ref()
        .map(|s| s.0.iter().map(|e| (e.criterion.as_str(), e)).collect())
        .unwrap_or_default();
    let criteria = page
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let entry = stored.get(c.as_str());
            let (chosen, form_note) = if typed.form == "screening" {
                (
                    typed.one(&format!("rating-{i}")).to_owned(),
                    typed.one(&format!("note-{i}")).to_owned(),
                )
            } else {
                (
                    entry
                        .map(|e| e.rating.as_str().to_owned())
                        .unwrap_or_default(),
                    entry.and_then(|e| e.note.clone()).unwrap_or_default(),
                )
            };
            CriterionRow {
                index: i,
                criterion: c.clone(),
                rating: entry
                    .map(|e| super::rating(e.rating, lang).to_owned())
                    .unwrap_or_default(),
                note: entry.and_then(|e| e.note.clone()).unwrap_or_default(),
                radios: ScreeningRating::ALL
                    .iter()
                    .map(|r| {
                        (
                            r.as_str().to_owned(),
                            super::rating(*r, lang).to_owned(),
                            r.as_str() == chosen,
                            match r {
                                ScreeningRating::Groen => "groen",
                                ScreeningRating::Gul => "gul",
                                ScreeningRating::Roed => "roed",
                            },
                        )
                    })
                    .collect(),
                form_note,
            }
        })
        .collect();
    let (suppliers, groups_, orgs) = if page.may_manage {
        let app = state.app();
        let suppliers = organisations::list(
            app,
            auth.who(),
            &OrganisationFilter {
                kind: Some(OrgKind::Leverandor),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items;
        let groups_ = groups::list(app, auth.who(), &GroupFilter::default(), &ListParams::all())
            .await?
            .items;
        let orgs = organisations::all_current(app).await?;
        (suppliers, groups_, orgs)
    } else {
        (Vec::new(), Vec::new(), Vec::new())
    };
    let pick = |form: &str, field: &str, stored: String| -> String {
        if typed.form == form {
            typed.one(field).to_owned()
        } else {
            stored
        }
    };
    let supplier_chosen = pick(
        "estimat",
        "supplier_id",
        w.supplier_id.map(|i| i.to_string()).unwrap_or_default(),
    );
    let mut supplier_choices = vec![Choice {
        value: String::new(),
        label: lang.pick("(vælg leverandør)", "(choose a supplier)").into(),
        selected: supplier_chosen.is_empty(),
    }];
    supplier_choices.extend(suppliers.iter().map(|o| Choice {
        value: o.id.to_string(),
        label: o.name.clone(),
        selected: o.id.to_string() == supplier_chosen,
    }));
    let payer_chosen = pick(
        "finansiering",
        "payer",
        w.payer.map(|p| p.as_str().to_owned()).unwrap_or_default(),
    );
    let payers = super::options(
        WishPayer::ALL
            .iter()
            .map(|p| (p.as_str().to_owned(), super::payer(*p, lang).to_owned()))
            .collect(),
        &payer_chosen,
    );
    let group_chosen = pick(
        "finansiering",
        "group_id",
        w.decided_by_group_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
    );
    let mut group_choices = vec![Choice {
        value: String::new(),
        label: lang.pick("(ingen)", "(none)").into(),
        selected: group_chosen.is_empty(),
    }];
    group_choices.extend(groups_.iter().filter(|g| !g.archived).map(|g| Choice {
        value: g.id.to_string(),
        label: format!("{} ({})", g.name, labels::group_kind(g.kind, lang)),
        selected: g.id.to_string() == group_chosen,
    }));
    let org_chosen = pick("tilsagn", "organisation_id", String::new());
    let mut org_choices = vec![Choice {
        value: String::new(),
        label: lang
            .pick("(vælg organisation)", "(choose an organisation)")
            .into(),
        selected: org_chosen.is_empty(),
    }];
    org_choices.extend(orgs.iter().map(|o| Choice {
        value: o.id.to_string(),
        label: o.name.clone(),
        selected: o.id.to_string() == org_chosen,
    }));
    let history = page
        .transitions
        .iter()
        .rev()
        .map(|t| HistoryRow {
            at: labels::date_time(t.at),
            from: t
                .from_state
                .map(|s| super::state(s, lang).to_owned())
                .unwrap_or_else(|| lang.pick("(rejst)", "(raised)").to_owned()),
            to: super::state(t.to_state, lang).to_owned(),
            who: t.actor.clone(),
            reason: t.reason.clone().unwrap_or_default(),
        })
        .collect();
    let pledges = page
        .pledges
        .iter()
        .map(|p| PledgeRow {
            id: p.pledge.id,
            organisation: p.organisation.clone(),
            amount: super::kroner(p.pledge.amount_ore, lang),
            note: p.pledge.note.clone().unwrap_or_default(),
            by: p.pledge.pledged_by.clone(),
            at: p.pledge.created_at.date_naive().to_string(),
            withdrawn: p
                .pledge
                .withdrawn_at
                .map(|d| d.date_naive().to_string())
                .unwrap_or_default(),
        })
        .collect();
    let comments = page
        .comments
        .iter()
        .map(|c| CommentRow {
            author: c.author.clone(),
            at: labels::date_time(c.created_at),
            body: c.body.clone(),
        })
        .collect();
    let money = |o: Option<i64>| {
        o.map(|o| super::kroner(o, lang))
            .unwrap_or_else(|| "–".into())
    };
    let time_in_states = page
        .time_in_states
        .iter()
        .map(|(s, d)| {
            (
                WishState::parse(s)
                    .map(|s| super::state(s, lang).to_owned())
                    .unwrap_or_else(|| s.clone()),
                *d,
            )
        })
        .collect();
    let title = format!("{} – {}", w.title, page.product.name);
    let response = render(&PageT {
        layout: Layout::new(state, auth, lang, title, "portfolio", &path),
        notice,
        version: w.version,
        product: page.product.name.clone(),
        slug: page.product.slug.clone(),
        title: w.title.clone(),
        state: super::state(w.state, lang).to_owned(),
        state_since: w.state_since.date_naive().to_string(),
        priority: super::priority(w.priority, lang).to_owned(),
        priority_reason: w.priority_reason.clone().unwrap_or_default(),
        age_days: v.age_days,
        details,
        need: w.need.clone(),
        proposal: or_dash(w.proposal.as_deref()),
        value: or_dash(w.value.as_deref()),
        organisation: or_dash(page.organisation.as_deref()),
        raised_by: or_dash(Some(&w.raised_by)),
        email: w.raised_by_email.clone().unwrap_or_default(),
        external_key: w.external_key.clone().unwrap_or_default(),
        time_in_states,
        history,
        criteria,
        screened: match (&w.screened_by, w.screened_at) {
            (Some(by), Some(at)) => format!("{by}, {}", labels::date_time(at)),
            _ => String::new(),
        },
        supplier: or_dash(page.supplier.as_deref()),
        solution: w.solution.clone().unwrap_or_default(),
        solution_url: w.solution_url.clone().unwrap_or_default(),
        hours: w
            .estimate_hours
            .map(|h| h.to_string())
            .unwrap_or_else(|| "–".into()),
        estimate: money(w.estimate_ore),
        funding: Funding::of(v, lang),
        target: money(w.target_ore),
        pledged: super::kroner(v.pledged_ore, lang),
        remaining: money(v.remaining_ore),
        rank: w.rank.map(|r| r.to_string()).unwrap_or_else(|| "–".into()),
        decision_reason: w.decision_reason.clone().unwrap_or_default(),
        form_hours: w.estimate_hours.map(|h| h.to_string()).unwrap_or_default(),
        form_estimate: super::kroner_field(w.estimate_ore),
        form_target: super::kroner_field(w.target_ore),
        form_rank: w.rank.map(|r| r.to_string()).unwrap_or_default(),
        pledges,
        comments,
        may_manage: page.may_manage,
        may_comment: page.may_comment,
        signed_in: auth.0.is_some(),
        before_order: niveau_app::wishes::rules::before_order(w.state),
        steps,
        step_choices,
        suppliers: supplier_choices,
        payers,
        groups: group_choices,
        organisations: org_choices,
        typed,
        base: format!("/oensker/{id}"),
        lang_query: if en { "?lang=en".into() } else { String::new() },
    });
    Ok(with_status(response, status))
}

/// `GET /oensker/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    Path(id): Path<i32>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    show(
        &state,
        &auth,
        lang,
        id,
        notice(q.notice(), lang),
        Typed::default(),
        StatusCode::OK,
    )
    .await
}

/// What every post of the page does after reading its input: call the operation, go to
/// the page with a confirmation, or show the page again with what was typed and the
/// refusal at its field (`fields`: the operation's field → (form id, label)).
#[allow(clippy::too_many_arguments)]
async fn finish<T>(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    mut typed: Typed,
    result: Result<T, AppError>,
    fields: &[(&str, &str, &str)],
    fallback: &str,
) -> Result<Response, ApiError> {
    let path = format!("/oensker/{id}");
    match result {
        Ok(_) => Ok(see_other(
            &format!("/oensker/{id}?besked={}#{}", typed.form, typed.form),
            lang,
        )),
        Err(e) if sends_away(&e) => Ok(refusal(state, auth, lang, &path, e)),
        Err(e) if is_internal(&e) => Err(e.into()),
        Err(e) => {
            typed.errors = super::refusal_at(&e, lang, fields, fallback);
            let status = status_of(&e);
            show(state, auth, lang, id, String::new(), typed, status).await
        }
    }
}

/// Typed input refused before the operation: the page again with the errors.
async fn refused(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    mut typed: Typed,
    errors: Vec<FieldError>,
) -> Result<Response, ApiError> {
    typed.errors = Errors(errors);
    show(
        state,
        auth,
        lang,
        id,
        String::new(),
        typed,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The version of the wish the form was based on, or the error at `fallback`.
fn version(typed: &Typed, fallback: &str, lang: Lang) -> Result<i32, FieldError> {
    typed.one("version").parse().map_err(|_| FieldError {
        field: fallback.to_owned(),
        message: lang
            .pick(
                "Formularen mangler ønskets version. Hent siden igen.",
                "The form lacks the wish's version. Reload the page.",
            )
            .to_owned(),
    })
}

/// The wish if the visitor handles it, or the answer that sends them away.
async fn managed(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: i32,
    path: &str,
) -> Result<(), Response> {
    wishes::authorise_manage(state.app(), auth.who(), id)
        .await
        .map(|_| ())
        .map_err(|e| refusal(state, auth, lang, path, e))
}

fn opt(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// `POST /oensker/{id}/trin`: move the wish.
pub async fn step(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(answer) = managed(&state, &auth, lang, id, &path).await {
        return Ok(answer);
    }
    let typed = Typed::new("trin", &fields);
    let mut errors = Vec::new();
    let to = WishState::parse(typed.one("to"));
    if to.is_none() {
        errors.push(super::at(
            "trin-til",
            lang.pick("Til", "To"),
            lang.pick("vælg et trin", "choose a step"),
        ));
    }
    let v = version(&typed, "trin-til", lang);
    let (Some(to), Ok(version)) = (to, v.clone()) else {
        errors.extend(v.err());
        return refused(&state, &auth, lang, id, typed, errors).await;
    };
    let input = StepInput {
        to,
        reason: opt(typed.one("reason")),
        version,
    };
    let result = wishes::step(state.app(), auth.who(), id, &input).await;
    let reason = lang.pick("Begrundelse", "Reason");
    finish(
        &state,
        &auth,
        lang,
        id,
        typed,
        result,
        &[
            ("to", "trin-til", "Til"),
            ("reason", "trin-begrundelse", reason),
        ],
        "trin-til",
    )
    .await
}

/// `POST /oensker/{id}/screening`: the product group's screening, one rating and note
/// per criterion.
pub async fn screen(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(answer) = managed(&state, &auth, lang, id, &path).await {
        return Ok(answer);
    }
    let typed = Typed::new("screening", &fields);
    let mut errors = Vec::new();
    let mut entries = Vec::new();
    for i in 0..100 {
        let criterion = typed.one(&format!("criterion-{i}"));
        if criterion.is_empty() {
            break;
        }
        match ScreeningRating::parse(typed.one(&format!("rating-{i}"))) {
            Some(rating) => entries.push(ScreeningEntry {
                criterion: criterion.to_owned(),
                rating,
                note: opt(typed.one(&format!("note-{i}"))),
            }),
            None => errors.push(super::at(
                &format!("screening-{i}-groen"),
                criterion,
                lang.pick("vælg grøn, gul eller rød", "choose green, yellow or red"),
            )),
        }
    }
    let v = version(&typed, "screening-0-groen", lang);
    errors.extend(v.clone().err());
    let Ok(version) = v else {
        return refused(&state, &auth, lang, id, typed, errors).await;
    };
    if !errors.is_empty() {
        return refused(&state, &auth, lang, id, typed, errors).await;
    }
    let input = ScreeningInput { entries, version };
    let result = wishes::screen(state.app(), auth.who(), id, &input).await;
    finish(
        &state,
        &auth,
        lang,
        id,
        typed,
        result,
        &[],
        "screening-0-groen",
    )
    .await
}

/// `POST /oensker/{id}/estimat`: the supplier's solution and estimate.
pub async fn estimate(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(answer) = managed(&state, &auth, lang, id, &path).await {
        return Ok(answer);
    }
    let typed = Typed::new("estimat", &fields);
    let supplier_l = lang.pick("Leverandør", "Supplier");
    let hours_l = lang.pick("Timer", "Hours");
    let amount_l = lang.pick("Pris i kroner", "Price in kroner");
    let solution_l = lang.pick("Løsningsbeskrivelse", "Solution description");
    let url_l = lang.pick("Link til beskrivelsen", "Link to the description");
    let mut errors = Vec::new();
    let supplier = match typed.one("supplier_id").parse::<i32>() {
        Ok(s) => Some(s),
        Err(_) => {
            errors.push(super::at(
                "estimat-leverandoer",
                supplier_l,
                lang.pick("vælg leverandøren", "choose the supplier"),
            ));
            None
        }
    };
    let hours = match super::parse_number(typed.one("estimate_hours"), lang) {
        Ok(Some(h)) if h < 0 => {
            errors.push(super::at(
                "estimat-timer",
                hours_l,
                lang.pick("må ikke være negativt", "must not be negative"),
            ));
            None
        }
        Ok(h) => h,
        Err(m) => {
            errors.push(super::at("estimat-timer", hours_l, &m));
            None
        }
    };
    let amount = match super::parse_kroner(typed.one("estimate")) {
        Ok(a) => a,
        Err(m) => {
            errors.push(super::at(
                "estimat-beloeb",
                amount_l,
                m.pick(lang == Lang::En),
            ));
            None
        }
    };
    let v = version(&typed, "estimat-leverandoer", lang);
    errors.extend(v.clone().err());
    let (Some(supplier_id), Ok(version), true) = (supplier, v, errors.is_empty()) else {
        return refused(&state, &auth, lang, id, typed, errors).await;
    };
    let input = EstimateInput {
        supplier_id,
        solution: typed.one("solution").to_owned(),
        solution_url: opt(typed.one("solution_url")),
        estimate_hours: hours,
        estimate_ore: amount,
        version,
    };
    let result = wishes::estimate(state.app(), auth.who(), id, &input).await;
    finish(
        &state,
        &auth,
        lang,
        id,
        typed,
        result,
        &[
            ("supplier_id", "estimat-leverandoer", supplier_l),
            ("solution", "estimat-loesning", solution_l),
            ("solution_url", "estimat-url", url_l),
            ("estimate_hours", "estimat-timer", hours_l),
            ("estimate_ore", "estimat-beloeb", amount_l),
        ],
        "estimat-leverandoer",
    )
    .await
}

/// `POST /oensker/{id}/finansiering`: the coordination group's decision on who pays.
pub async fn fund(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(answer) = managed(&state, &auth, lang, id, &path).await {
        return Ok(answer);
    }
    let typed = Typed::new("finansiering", &fields);
    let payer_l = lang.pick("Hvem betaler", "Who pays");
    let target_l = lang.pick(
        "Mål for samfinansiering i kroner",
        "Co-funding target in kroner",
    );
    let rank_l = lang.pick("Rang", "Rank");
    let group_l = lang.pick("Besluttet af gruppe", "Decided by group");
    let reason_l = lang.pick("Begrundelse", "Reasons");
    let mut errors = Vec::new();
    let payer = WishPayer::parse(typed.one("payer"));
    if payer.is_none() {
        errors.push(super::at(
            "finansiering-betaler",
            payer_l,
            lang.pick("vælg, hvem der betaler", "choose who pays"),
        ));
    }
    let target = match super::parse_kroner(typed.one("target")) {
        Ok(t) => t,
        Err(m) => {
            errors.push(super::at(
                "finansiering-maal",
                target_l,
                m.pick(lang == Lang::En),
            ));
            None
        }
    };
    let rank = match super::parse_number(typed.one("rank"), lang) {
        Ok(r) => r.and_then(|r| i32::try_from(r).ok()),
        Err(m) => {
            errors.push(super::at("finansiering-rang", rank_l, &m));
            None
        }
    };
    let group = match super::super::workspace::chosen_id(typed.one("group_id"), lang) {
        Ok(g) => g,
        Err(m) => {
            errors.push(super::at("finansiering-gruppe", group_l, &m));
            None
        }
    };
    let v = version(&typed, "finansiering-betaler", lang);
    errors.extend(v.clone().err());
    let (Some(payer), Ok(version), true) = (payer, v, errors.is_empty()) else {
        return refused(&state, &auth, lang, id, typed, errors).await;
    };
    let input = FundingInput {
        payer,
        target_ore: target,
        rank,
        group_id: group,
        reason: opt(typed.one("reason")),
        version,
    };
    let result = wishes::fund(state.app(), auth.who(), id, &input).await;
    finish(
        &state,
        &auth,
        lang,
        id,
        typed,
        result,
        &[
            ("payer", "finansiering-betaler", payer_l),
            ("target_ore", "finansiering-maal", target_l),
            ("rank", "finansiering-rang", rank_l),
            ("group_id", "finansiering-gruppe", group_l),
            ("reason", "finansiering-begrundelse", reason_l),
        ],
        "finansiering-betaler",
    )
    .await
}

/// `POST /oensker/{id}/tilsagn`: an organisation's pledge of co-funding.
pub async fn pledge(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(answer) = managed(&state, &auth, lang, id, &path).await {
        return Ok(answer);
    }
    let typed = Typed::new("tilsagn", &fields);
    let org_l = lang.pick("Organisation", "Organisation");
    let amount_l = lang.pick("Beløb i kroner", "Amount in kroner");
    let note_l = lang.pick("Note", "Note");
    let mut errors = Vec::new();
    let org = match typed.one("organisation_id").parse::<i32>() {
        Ok(o) => Some(o),
        Err(_) => {
            errors.push(super::at(
                "tilsagn-organisation",
                org_l,
                lang.pick("vælg organisationen", "choose the organisation"),
            ));
            None
        }
    };
    let amount = match super::parse_kroner(typed.one("amount")) {
        Ok(Some(a)) if a > 0 => Some(a),
        Ok(_) => {
            errors.push(super::at(
                "tilsagn-beloeb",
                amount_l,
                lang.pick("skriv et beløb over 0 kr.", "give an amount over DKK 0"),
            ));
            None
        }
        Err(m) => {
            errors.push(super::at(
                "tilsagn-beloeb",
                amount_l,
                m.pick(lang == Lang::En),
            ));
            None
        }
    };
    let v = version(&typed, "tilsagn-organisation", lang);
    errors.extend(v.clone().err());
    let (Some(organisation_id), Some(amount_ore), Ok(version), true) =
        (org, amount, v, errors.is_empty())
    else {
        return refused(&state, &auth, lang, id, typed, errors).await;
    };
    let input = PledgeInput {
        organisation_id,
        amount_ore,
        note: opt(typed.one("note")),
        version,
    };
    let result = wishes::pledge(state.app(), auth.who(), id, &input).await;
    finish(
        &state,
        &auth,
        lang,
        id,
        typed,
        result,
        &[
            ("organisation_id", "tilsagn-organisation", org_l),
            ("amount_ore", "tilsagn-beloeb", amount_l),
            ("note", "tilsagn-note", note_l),
        ],
        "tilsagn-organisation",
    )
    .await
}

/// `POST /oensker/{id}/tilsagn/{pledge}/traek-tilbage`: withdraw a pledge.
pub async fn withdraw(
    State(state): State<AppState>,
    Path((id, pledge)): Path<(i32, i32)>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(answer) = managed(&state, &auth, lang, id, &path).await {
        return Ok(answer);
    }
    let typed = Typed::new("traek", &fields);
    let version = match version(&typed, "tilsagn-liste", lang) {
        Ok(v) => v,
        Err(e) => return refused(&state, &auth, lang, id, typed, vec![e]).await,
    };
    let result = wishes::withdraw(state.app(), auth.who(), id, pledge, version).await;
    finish(&state, &auth, lang, id, typed, result, &[], "tilsagn-liste").await
}

/// `POST /oensker/{id}/kommentarer`: comment on the wish (anyone signed in).
pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(e) = wishes::authorise_comment(state.app(), auth.who(), id).await {
        return Ok(refusal(&state, &auth, lang, &path, e));
    }
    let typed = Typed::new("kommentar", &fields);
    let body = typed.one("body").to_owned();
    let result = wishes::comment(state.app(), auth.who(), id, &body).await;
    let label = lang.pick("Kommentar", "Comment");
    finish(
        &state,
        &auth,
        lang,
        id,
        typed,
        result,
        &[("body", "kommentar-tekst", label)],
        "kommentar-tekst",
    )
    .await
}
