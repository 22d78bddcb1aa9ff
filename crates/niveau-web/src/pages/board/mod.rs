//! The board's and the secretariat's pages for board meetings, board cases and the
//! projects' follow-up (#13):
//!
//! - `/bestyrelse`: the meetings (coming and held, newest first), the undecided cases not
//!   yet on a meeting's agenda, and the secretariat's forms to plan a meeting and prepare
//!   a case (`?produkt=SLUG&art=KIND&moede=ID` fill in the case form, so other pages can
//!   link to it);
//! - `/bestyrelse/moeder/{id}` ([`meeting`]): a meeting with its agenda and cases, the
//!   board's decision form at each undecided case, and the form to change the meeting;
//! - `/bestyrelse/sager/{id}` ([`case`]): one case, its form while undecided, and the
//!   decision form;
//! - `/fremdrift` ([`progress`]): the projects' follow-up;
//! - `/bestyrelse/aarsrapport/{year}` ([`annual`]): the annual report draft, with its
//!   Markdown and PDF.
//!
//! Every page calls niveau-app's operations ([`niveau_app::board`],
//! [`niveau_app::progress`], [`niveau_app::process`]); a refusal (a rule of the process,
//! a decision recorded twice, a stale version) is shown at the form with what the
//! visitor typed.

mod annual;
mod case;
mod meeting;
mod progress;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use niveau_app::board;
use niveau_app::permissions::Action;
use niveau_app::products;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::board::{CaseDecisionInput, CaseFilter, CaseInput, MeetingInput};
use niveau_store::entity::{board_case, board_meeting};
use niveau_store::groups::GroupFilter;
use niveau_store::products::ProductFilter;
use niveau_store::types::{BoardCaseKind, BoardOutcome, Stage};
use serde::Deserialize;

use super::form::{Fields, FormPost, see_other};
use super::lang::PageLang;
use super::workspace::{Errors, chosen_id, date, here, in_lang, refuse};
use super::{Choice, Layout, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The board's pages.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/bestyrelse", get(overview))
        .route("/bestyrelse/moeder", post(create_meeting))
        .route(
            "/bestyrelse/moeder/{id}",
            get(meeting::page).post(meeting::update),
        )
        .route("/bestyrelse/sager", post(create_case))
        .route("/bestyrelse/sager/{id}", get(case::page).post(case::update))
        .route("/bestyrelse/sager/{id}/afgoer", post(case::decide))
        .route("/fremdrift", get(progress::page))
        .route("/bestyrelse/aarsrapport", get(annual::latest))
        .route("/bestyrelse/aarsrapport/{file}", get(annual::page))
}

/// The fields of the case form that errors can be shown at.
const CASE_FIELDS: &[&str] = &[
    "product_id",
    "kind",
    "meeting_id",
    "title",
    "presentation",
    "material",
    "group_id",
    "evaluation_id",
];

/// The fields of the meeting form that errors can be shown at.
const MEETING_FIELDS: &[&str] = &["held_on", "title", "agenda"];

/// The fields of the decision form that errors can be shown at.
const DECISION_FIELDS: &[&str] = &["outcome", "decided_on", "priority", "reasons", "reference"];

/// What a case is about, as the pages name it.
fn kind_label(kind: BoardCaseKind, lang: Lang) -> &'static str {
    let (da, en) = match kind {
        BoardCaseKind::Koncept => ("Godkendelse af koncept", "Approval of a concept"),
        BoardCaseKind::Produkt => ("Godkendelse af produkt", "Approval of a product"),
        BoardCaseKind::Styregruppe => {
            ("Godkendelse af styregruppe", "Approval of a steering group")
        }
        BoardCaseKind::Evaluering => ("Eskaleret evaluering", "Escalated evaluation"),
        BoardCaseKind::Genovervejelse => {
            ("Genovervejelse af projekt", "Reconsideration of a project")
        }
        BoardCaseKind::Orientering => ("Orientering", "Information"),
    };
    lang.pick(da, en)
}

/// The board's decision, as the pages name it.
fn outcome_label(outcome: BoardOutcome, lang: Lang) -> &'static str {
    let (da, en) = match outcome {
        BoardOutcome::Godkendt => ("Godkendt", "Approved"),
        BoardOutcome::Tilbageloeb => ("Tilbageløb", "Sent back"),
        BoardOutcome::Afvist => ("Afvist", "Rejected"),
        BoardOutcome::TagetTilEfterretning => ("Taget til efterretning", "Noted"),
    };
    lang.pick(da, en)
}

/// The confirmation named by `?besked=` (a fixed set, so the address cannot put words on
/// the page).
fn notice(key: Option<&str>, lang: Lang) -> String {
    let (da, en) = match key.unwrap_or("") {
        "oprettet" => ("Oprettet.", "Created."),
        "gemt" => ("Ændringerne er gemt.", "The changes are saved."),
        "afgjort" => (
            "Bestyrelsens afgørelse er registreret og skrevet i beslutningsloggen.",
            "The board's decision is recorded and written in the decision log.",
        ),
        _ => return String::new(),
    };
    lang.pick(da, en).to_owned()
}

/// A product as the board's pages name it.
struct ProductName {
    id: i32,
    slug: String,
    name: String,
    stage: Stage,
    level: Option<String>,
}

/// The products the caller may see, by name.
struct Products(Vec<ProductName>);

impl Products {
    async fn load(state: &AppState, auth: &Auth) -> Result<Products, ApiError> {
        let mut all: Vec<ProductName> = products::list(
            state.app(),
            auth.who(),
            ProductFilter::default(),
            &ListParams::all(),
        )
        .await?
        .items
        .into_iter()
        .map(|p| ProductName {
            id: p.id,
            slug: p.slug,
            name: p.name,
            stage: p.stage,
            level: p.target_level,
        })
        .collect();
        all.sort_by_key(|p| p.name.to_lowercase());
        Ok(Products(all))
    }

    fn get(&self, id: i32) -> Option<&ProductName> {
        self.0.iter().find(|p| p.id == id)
    }

    fn by_slug(&self, slug: &str) -> Option<&ProductName> {
        self.0.iter().find(|p| p.slug == slug)
    }

    /// (name, slug) of product `id`; a product the caller cannot see by its number.
    fn name(&self, id: i32, lang: Lang) -> (String, String) {
        match self.get(id) {
            Some(p) => (p.name.clone(), p.slug.clone()),
            None => (
                format!("{} {id}", lang.pick("produkt", "product")),
                String::new(),
            ),
        }
    }

    fn choices(&self, chosen: &str, lang: Lang) -> Vec<Choice> {
        let mut out = vec![Choice {
            value: String::new(),
            label: lang.pick("Vælg …", "Choose …").to_owned(),
            selected: chosen.is_empty(),
        }];
        out.extend(self.0.iter().map(|p| Choice {
            value: p.id.to_string(),
            label: p.name.clone(),
            selected: p.id.to_string() == chosen,
        }));
        out
    }
}

fn kind_choices(chosen: &str, lang: Lang) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: String::new(),
        label: lang.pick("Vælg …", "Choose …").to_owned(),
        selected: chosen.is_empty(),
    }];
    out.extend(BoardCaseKind::ALL.iter().map(|k| Choice {
        value: k.as_str().to_owned(),
        label: kind_label(*k, lang).to_owned(),
        selected: k.as_str() == chosen,
    }));
    out
}

/// The meetings as choices for a case (newest first), none chosen meaning "not yet".
fn meeting_choices(meetings: &[board_meeting::Model], chosen: &str, lang: Lang) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: String::new(),
        label: lang
            .pick("Ikke på et møde endnu", "Not on a meeting yet")
            .to_owned(),
        selected: chosen.is_empty(),
    }];
    out.extend(meetings.iter().map(|m| Choice {
        value: m.id.to_string(),
        label: format!("{} – {}", m.held_on, m.title),
        selected: m.id.to_string() == chosen,
    }));
    out
}

/// The groups a `styregruppe` case can name: those of the chosen product, or, when none
/// is chosen yet, every product's groups with the product's name.
async fn group_choices(
    state: &AppState,
    auth: &Auth,
    products: &Products,
    product: &str,
    chosen: &str,
    lang: Lang,
) -> Result<Vec<Choice>, ApiError> {
    let product_id = product.parse::<i32>().ok();
    let filter = GroupFilter {
        product_id,
        kind: None,
        archived: Some(false),
    };
    let groups = niveau_app::groups::list(state.app(), auth.who(), &filter, &ListParams::all())
        .await?
        .items;
    let mut out = vec![Choice {
        value: String::new(),
        label: lang
            .pick(
                "Ingen (kun ved styregruppe)",
                "None (steering group cases only)",
            )
            .to_owned(),
        selected: chosen.is_empty(),
    }];
    for g in groups {
        let Some(owner) = g.product_id else { continue };
        let label = if product_id.is_some() {
            g.name.clone()
        } else {
            format!("{} – {}", products.name(owner, lang).0, g.name)
        };
        out.push(Choice {
            value: g.id.to_string(),
            label,
            selected: g.id.to_string() == chosen,
        });
    }
    Ok(out)
}

/// What the visitor wrote in a meeting form (as text, so nothing is lost).
#[derive(Debug, Default, Clone)]
struct MeetingDraft {
    held_on: String,
    title: String,
    agenda: String,
}

impl MeetingDraft {
    fn read(fields: &Fields) -> MeetingDraft {
        MeetingDraft {
            held_on: fields.one("held_on").to_owned(),
            title: fields.one("title").to_owned(),
            agenda: fields.one("agenda").to_owned(),
        }
    }

    fn of(m: &board_meeting::Model) -> MeetingDraft {
        MeetingDraft {
            held_on: m.held_on.to_string(),
            title: m.title.clone(),
            agenda: m.agenda.clone().unwrap_or_default(),
        }
    }

    fn input(&self, version: Option<i32>, lang: Lang) -> Result<MeetingInput, Errors> {
        let held_on = date(&self.held_on, lang)
            .map_err(|e| Errors::at_field("held_on", e))?
            .ok_or_else(|| {
                Errors::at_field(
                    "held_on",
                    lang.pick("Skriv mødets dato.", "Write the meeting's date.")
                        .to_owned(),
                )
            })?;
        Ok(MeetingInput {
            held_on,
            title: self.title.clone(),
            agenda: (!self.agenda.is_empty()).then(|| self.agenda.clone()),
            version,
        })
    }
}

/// What the visitor wrote in a case form.
#[derive(Debug, Default, Clone)]
struct CaseDraft {
    product_id: String,
    kind: String,
    meeting_id: String,
    title: String,
    presentation: String,
    /// The material links, one a line.
    material: String,
    group_id: String,
    evaluation_id: String,
}

impl CaseDraft {
    fn read(fields: &Fields) -> CaseDraft {
        CaseDraft {
            product_id: fields.one("product_id").to_owned(),
            kind: fields.one("kind").to_owned(),
            meeting_id: fields.one("meeting_id").to_owned(),
            title: fields.one("title").to_owned(),
            presentation: fields.one("presentation").to_owned(),
            material: fields.one("material").to_owned(),
            group_id: fields.one("group_id").to_owned(),
            evaluation_id: fields.one("evaluation_id").to_owned(),
        }
    }

    fn of(c: &board_case::Model) -> CaseDraft {
        let id = |v: Option<i32>| v.map(|v| v.to_string()).unwrap_or_default();
        CaseDraft {
            product_id: c.product_id.to_string(),
            kind: c.kind.as_str().to_owned(),
            meeting_id: id(c.meeting_id),
            title: c.title.clone(),
            presentation: c.presentation.clone(),
            material: c.material.0.join("\n"),
            group_id: id(c.group_id),
            evaluation_id: id(c.evaluation_id),
        }
    }

    fn input(&self, version: Option<i32>, lang: Lang) -> Result<CaseInput, Errors> {
        let product_id = chosen_id(&self.product_id, lang)
            .map_err(|e| Errors::at_field("product_id", e))?
            .ok_or_else(|| {
                Errors::at_field(
                    "product_id",
                    lang.pick("Vælg et produkt.", "Choose a product.")
                        .to_owned(),
                )
            })?;
        let kind = BoardCaseKind::parse(&self.kind).ok_or_else(|| {
            Errors::at_field(
                "kind",
                lang.pick(
                    "Vælg hvad sagen drejer sig om.",
                    "Choose what the case is about.",
                )
                .to_owned(),
            )
        })?;
        let meeting_id =
            chosen_id(&self.meeting_id, lang).map_err(|e| Errors::at_field("meeting_id", e))?;
        let group_id =
            chosen_id(&self.group_id, lang).map_err(|e| Errors::at_field("group_id", e))?;
        let evaluation_id = chosen_id(&self.evaluation_id, lang)
            .map_err(|e| Errors::at_field("evaluation_id", e))?;
        Ok(CaseInput {
            product_id,
            kind,
            meeting_id,
            title: self.title.clone(),
            presentation: self.presentation.clone(),
            material: self
                .material
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            group_id,
            evaluation_id,
            version,
        })
    }
}

/// What the visitor wrote in a decision form.
#[derive(Debug, Default, Clone)]
struct DecisionDraft {
    outcome: String,
    decided_on: String,
    priority: String,
    reasons: String,
    reference: String,
}

impl DecisionDraft {
    fn read(fields: &Fields) -> DecisionDraft {
        DecisionDraft {
            outcome: fields.one("outcome").to_owned(),
            decided_on: fields.one("decided_on").to_owned(),
            priority: fields.one("priority").to_owned(),
            reasons: fields.one("reasons").to_owned(),
            reference: fields.one("reference").to_owned(),
        }
    }

    fn input(&self, version: Option<i32>, lang: Lang) -> Result<CaseDecisionInput, Errors> {
        let outcome = BoardOutcome::parse(&self.outcome).ok_or_else(|| {
            Errors::at_field(
                "outcome",
                lang.pick(
                    "Vælg bestyrelsens afgørelse.",
                    "Choose the board's decision.",
                )
                .to_owned(),
            )
        })?;
        let decided_on = date(&self.decided_on, lang)
            .map_err(|e| Errors::at_field("decided_on", e))?
            .ok_or_else(|| {
                Errors::at_field(
                    "decided_on",
                    lang.pick(
                        "Skriv datoen for afgørelsen.",
                        "Write the date of the decision.",
                    )
                    .to_owned(),
                )
            })?;
        let priority = if self.priority.is_empty() {
            None
        } else {
            Some(self.priority.parse::<i32>().map_err(|_| {
                Errors::at_field(
                    "priority",
                    format!(
                        "«{}» {}",
                        self.priority,
                        lang.pick(
                            "er ikke et tal (1 er højeste prioritet).",
                            "is not a number (1 is the highest priority)."
                        )
                    ),
                )
            })?)
        };
        let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        Ok(CaseDecisionInput {
            outcome,
            decided_on,
            priority,
            reasons: optional(&self.reasons),
            reference: optional(&self.reference),
            version,
        })
    }
}

/// The board's decision form at one case.
struct DecisionForm {
    outcomes: Vec<Choice>,
    draft: DecisionDraft,
    errors: Errors,
    version: i32,
    /// A concept is approved with a priority.
    priority: bool,
}

impl DecisionForm {
    /// The form for `case`: what the visitor typed, or an empty one dated `today`.
    fn new(
        case: &board_case::Model,
        draft: Option<DecisionDraft>,
        errors: Errors,
        version: i32,
        today: NaiveDate,
        lang: Lang,
    ) -> DecisionForm {
        let draft = draft.unwrap_or_else(|| DecisionDraft {
            decided_on: today.to_string(),
            ..Default::default()
        });
        let possible = board::outcomes(case.kind);
        let mut outcomes = Vec::new();
        if possible.len() > 1 {
            outcomes.push(Choice {
                value: String::new(),
                label: lang.pick("Vælg …", "Choose …").to_owned(),
                selected: draft.outcome.is_empty(),
            });
        }
        outcomes.extend(possible.iter().map(|o| Choice {
            value: o.as_str().to_owned(),
            label: outcome_label(*o, lang).to_owned(),
            selected: o.as_str() == draft.outcome || possible.len() == 1,
        }));
        DecisionForm {
            outcomes,
            draft,
            errors,
            version,
            priority: case.kind == BoardCaseKind::Koncept,
        }
    }
}

/// A refused decision to show again at its case: what was typed, why, and the version.
struct Refused {
    case_id: i32,
    draft: DecisionDraft,
    errors: Errors,
    version: i32,
}

/// The board's decision on a case, as shown.
struct Decided {
    outcome: &'static str,
    on: String,
    reasons: String,
    priority: String,
    /// The decision log, at the product and the year of the decision.
    log_href: String,
}

/// A link to material.
struct Link {
    href: String,
    text: String,
}

/// A case as the meeting and case pages show it.
struct CaseView {
    id: i32,
    title: String,
    kind: &'static str,
    product_name: String,
    product_slug: String,
    stage: String,
    level: String,
    /// The presentation, Markdown rendered and sanitised.
    presentation_html: String,
    material: Vec<Link>,
    meeting: Option<(i32, String)>,
    group: String,
    evaluation_id: String,
    created_by: String,
    decided: Option<Decided>,
    /// The decision form, for a caller who may decide an undecided case (or who was just
    /// refused).
    decision: Option<DecisionForm>,
}

#[allow(clippy::too_many_arguments)]
fn case_view(
    c: &board_case::Model,
    products: &Products,
    meetings: &[board_meeting::Model],
    groups: &[(i32, String)],
    may_decide: bool,
    refused: Option<Refused>,
    today: NaiveDate,
    lang: Lang,
) -> CaseView {
    let (product_name, product_slug) = products.name(c.product_id, lang);
    let product = products.get(c.product_id);
    let decided = c.outcome.map(|o| Decided {
        outcome: outcome_label(o, lang),
        on: c.decided_on.map(|d| d.to_string()).unwrap_or_default(),
        reasons: c.reasons.clone().unwrap_or_default(),
        priority: c.priority.map(|p| p.to_string()).unwrap_or_default(),
        log_href: match (c.decision_id, c.decided_on, product_slug.is_empty()) {
            (Some(_), Some(on), false) => format!(
                "/beslutninger?product={}&year={}",
                super::encode_component(&product_slug),
                chrono::Datelike::year(&on)
            ),
            (Some(_), _, _) => "/beslutninger".to_owned(),
            (None, _, _) => String::new(),
        },
    });
    let decision = match refused {
        Some(r) if r.case_id == c.id => Some(DecisionForm::new(
            c,
            Some(r.draft),
            r.errors,
            r.version,
            today,
            lang,
        )),
        _ if may_decide && c.outcome.is_none() => Some(DecisionForm::new(
            c,
            None,
            Errors::none(),
            c.version,
            today,
            lang,
        )),
        _ => None,
    };
    CaseView {
        id: c.id,
        title: c.title.clone(),
        kind: kind_label(c.kind, lang),
        product_name,
        product_slug,
        stage: product
            .map(|p| labels::stage(p.stage, lang).to_owned())
            .unwrap_or_default(),
        level: product
            .map(|p| labels::level(p.level.as_deref(), lang))
            .unwrap_or_default(),
        presentation_html: niveau_report::export::html::user_markdown(&c.presentation),
        material: c
            .material
            .0
            .iter()
            .map(|l| Link {
                href: l.clone(),
                text: l.clone(),
            })
            .collect(),
        meeting: c.meeting_id.map(|id| {
            let title = meetings
                .iter()
                .find(|m| m.id == id)
                .map(|m| format!("{} – {}", m.held_on, m.title))
                .unwrap_or_else(|| format!("{} {id}", lang.pick("møde", "meeting")));
            (id, title)
        }),
        group: c
            .group_id
            .map(|g| {
                groups
                    .iter()
                    .find(|x| x.0 == g)
                    .map(|x| x.1.clone())
                    .unwrap_or_else(|| format!("{} {g}", lang.pick("gruppe", "group")))
            })
            .unwrap_or_default(),
        evaluation_id: c.evaluation_id.map(|e| e.to_string()).unwrap_or_default(),
        created_by: c.created_by.clone(),
        decided,
        decision,
    }
}

/// Every group by id and name, archived ones too (for naming a case's steering group).
async fn group_names(state: &AppState, auth: &Auth) -> Result<Vec<(i32, String)>, ApiError> {
    let all = GroupFilter {
        archived: Some(true),
        ..Default::default()
    };
    Ok(
        niveau_app::groups::list(state.app(), auth.who(), &all, &ListParams::all())
            .await?
            .items
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect(),
    )
}

/// Every meeting, newest first.
async fn all_meetings(
    state: &AppState,
    auth: &Auth,
) -> Result<Vec<board_meeting::Model>, ApiError> {
    Ok(board::meetings(state.app(), auth.who(), &ListParams::all())
        .await?
        .items)
}

/// `?produkt=&art=&moede=&besked=` of the overview.
#[derive(Debug, Default, Deserialize)]
pub struct OverviewQuery {
    #[serde(default)]
    produkt: Option<String>,
    #[serde(default)]
    art: Option<String>,
    #[serde(default)]
    moede: Option<String>,
    #[serde(default)]
    besked: Option<String>,
}

/// A meeting in the overview.
struct MeetingRow {
    id: i32,
    held_on: String,
    title: String,
    cases: usize,
    open: usize,
}

/// An undecided case in the overview.
struct WaitingCase {
    id: i32,
    title: String,
    kind: &'static str,
    product_name: String,
    product_slug: String,
}

#[derive(Template)]
#[template(path = "board.html")]
struct OverviewPage {
    layout: Layout,
    notice: String,
    upcoming: Vec<MeetingRow>,
    past: Vec<MeetingRow>,
    waiting: Vec<WaitingCase>,
    may_prepare: bool,
    meeting_errors: Errors,
    meeting_draft: MeetingDraft,
    errors: Errors,
    draft: CaseDraft,
    products: Vec<Choice>,
    kinds: Vec<Choice>,
    meetings: Vec<Choice>,
    groups: Vec<Choice>,
}

/// `GET /bestyrelse`.
pub async fn overview(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/bestyrelse");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ReadBoard)) {
        return Ok(answer);
    }
    let products = Products::load(&state, &auth).await?;
    // The case form filled in from the address (a link from another page).
    let draft = CaseDraft {
        product_id: super::non_empty(&query.produkt)
            .and_then(|slug| products.by_slug(slug))
            .map(|p| p.id.to_string())
            .unwrap_or_default(),
        kind: super::non_empty(&query.art)
            .and_then(BoardCaseKind::parse)
            .map(|k| k.as_str().to_owned())
            .unwrap_or_default(),
        meeting_id: super::non_empty(&query.moede)
            .filter(|m| m.parse::<i32>().is_ok())
            .unwrap_or("")
            .to_owned(),
        ..Default::default()
    };
    show_overview(
        &state,
        &auth,
        lang,
        path,
        Overview {
            notice: notice(query.besked.as_deref(), lang),
            products,
            meeting_errors: Errors::none(),
            meeting_draft: MeetingDraft::default(),
            errors: Errors::none(),
            draft,
        },
        StatusCode::OK,
    )
    .await
}

/// What the overview shows besides the stored meetings and cases.
struct Overview {
    notice: String,
    products: Products,
    meeting_errors: Errors,
    meeting_draft: MeetingDraft,
    errors: Errors,
    draft: CaseDraft,
}

async fn show_overview(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    o: Overview,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let today = state.store().now().date_naive();
    let meetings = all_meetings(state, auth).await?;
    // The undecided cases only (the waiting list); the agenda counts from the database.
    let cases = board::cases(
        state.app(),
        auth.who(),
        &CaseFilter {
            open: Some(true),
            ..CaseFilter::default()
        },
        &ListParams::all(),
    )
    .await?
    .items;
    let counts = board::case_counts(state.app(), auth.who()).await?;
    let row = |m: &board_meeting::Model| {
        let (total, open) = counts.get(&m.id).copied().unwrap_or((0, 0));
        MeetingRow {
            id: m.id,
            held_on: m.held_on.to_string(),
            title: m.title.clone(),
            cases: usize::try_from(total).unwrap_or(usize::MAX),
            open: usize::try_from(open).unwrap_or(usize::MAX),
        }
    };
    let upcoming = meetings
        .iter()
        .filter(|m| m.held_on >= today)
        .map(row)
        .collect();
    let past = meetings
        .iter()
        .filter(|m| m.held_on < today)
        .map(row)
        .collect();
    let mut waiting: Vec<WaitingCase> = cases
        .iter()
        .filter(|c| c.outcome.is_none() && c.meeting_id.is_none())
        .map(|c| {
            let (product_name, product_slug) = o.products.name(c.product_id, lang);
            WaitingCase {
                id: c.id,
                title: c.title.clone(),
                kind: kind_label(c.kind, lang),
                product_name,
                product_slug,
            }
        })
        .collect();
    waiting.sort_by_key(|c| c.id);
    let may_prepare = auth.can(Action::PrepareBoard);
    let groups = if may_prepare {
        group_choices(
            state,
            auth,
            &o.products,
            &o.draft.product_id,
            &o.draft.group_id,
            lang,
        )
        .await?
    } else {
        Vec::new()
    };
    let mut response = render(&OverviewPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Bestyrelsen", "The board"),
            "board",
            path,
        ),
        notice: o.notice,
        upcoming,
        past,
        waiting,
        may_prepare,
        meeting_errors: o.meeting_errors,
        meeting_draft: o.meeting_draft,
        errors: o.errors,
        products: o.products.choices(&o.draft.product_id, lang),
        kinds: kind_choices(&o.draft.kind, lang),
        meetings: meeting_choices(&meetings, &o.draft.meeting_id, lang),
        groups,
        draft: o.draft,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /bestyrelse/moeder`: plan a meeting; on success to its page.
pub async fn create_meeting(
    State(state): State<AppState>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = "/bestyrelse";
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::PrepareBoard)) {
        return Ok(answer);
    }
    let draft = MeetingDraft::read(&fields);
    let result = match draft.input(None, lang) {
        Ok(input) => board::create_meeting(state.app(), auth.who(), input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                (
                    Errors::of(&e, lang, ("Mødet", "The meeting"), MEETING_FIELDS),
                    e.status,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match result {
        Ok(m) => Ok(see_other(&format!(
            "/bestyrelse/moeder/{}?besked=oprettet",
            m.id
        ))),
        Err((errors, status)) => {
            let products = Products::load(&state, &auth).await?;
            show_overview(
                &state,
                &auth,
                lang,
                path,
                Overview {
                    notice: String::new(),
                    products,
                    meeting_errors: errors,
                    meeting_draft: draft,
                    errors: Errors::none(),
                    draft: CaseDraft::default(),
                },
                status,
            )
            .await
        }
    }
}

/// `POST /bestyrelse/sager`: prepare a case; on success to its page.
pub async fn create_case(
    State(state): State<AppState>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = "/bestyrelse";
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::PrepareBoard)) {
        return Ok(answer);
    }
    let draft = CaseDraft::read(&fields);
    let result = match draft.input(None, lang) {
        Ok(input) => board::create_case(state.app(), auth.who(), input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                (
                    Errors::of(&e, lang, ("Sagen", "The case"), CASE_FIELDS),
                    e.status,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match result {
        Ok(c) => Ok(see_other(&format!(
            "/bestyrelse/sager/{}?besked=oprettet",
            c.id
        ))),
        Err((errors, status)) => {
            let products = Products::load(&state, &auth).await?;
            show_overview(
                &state,
                &auth,
                lang,
                path,
                Overview {
                    notice: String::new(),
                    products,
                    meeting_errors: Errors::none(),
                    meeting_draft: MeetingDraft::default(),
                    errors,
                    draft,
                },
                status,
            )
            .await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decision_form_offers_only_the_kinds_outcomes() {
        let case = board_case::Model {
            id: 1,
            product_id: 1,
            kind: BoardCaseKind::Orientering,
            meeting_id: None,
            title: "t".into(),
            presentation: "p".into(),
            material: Default::default(),
            group_id: None,
            evaluation_id: None,
            outcome: None,
            priority: None,
            reasons: None,
            decided_on: None,
            decision_id: None,
            created_by: "x".into(),
            version: 1,
            created_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
            updated_at: chrono::DateTime::<chrono::Utc>::MIN_UTC,
        };
        let today = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        let form = DecisionForm::new(&case, None, Errors::none(), 1, today, Lang::Da);
        let values: Vec<&str> = form.outcomes.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["taget til efterretning"]);
        assert!(form.outcomes[0].selected);
        assert_eq!(form.draft.decided_on, "2026-03-01");
        assert!(!form.priority);
        let koncept = board_case::Model {
            kind: BoardCaseKind::Koncept,
            ..case
        };
        let form = DecisionForm::new(&koncept, None, Errors::none(), 1, today, Lang::En);
        let values: Vec<&str> = form.outcomes.iter().map(|c| c.value.as_str()).collect();
        assert_eq!(values, ["", "godkendt", "tilbageløb", "afvist"]);
        assert_eq!(form.outcomes[2].label, "Sent back");
        assert!(form.priority);
    }
}
