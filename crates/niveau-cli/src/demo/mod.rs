//! The example portfolio (`niveau serve --demo`, `niveau demo`): data/demo/portfolio.toml,
//! embedded in the binary, loaded through niveau-app's operations (the rules the API and
//! the pages apply) as the console operator [`DEMO_ACTOR`], so every row has the same
//! audit trail as data entered by hand.
//!
//! The file's format is described in docs/demo-data.md. Loading is planned in full
//! (every reference resolved, every stage change replayed) before the first write, so a
//! mistake in the file is reported with its place and leaves the database untouched.
//!
//! How the file's values become store values:
//!
//! - `kind`, `role`, `stage` and `decided_by` are the store's Danish vocabularies and are
//!   read as such; an unknown value is an error with the line and column.
//! - A product is created at the stage *before* its first stage change (a `stadie`
//!   decision's `from`, or where a decided board case starts), or at its stated stage
//!   when it has none; the decisions are then replayed in date order, and each must start
//!   where the product stands, so the decision log ends at the stage the file states.
//!   `stadie` decisions are history from before the process
//!   (`niveau_app::decisions::register_history`).
//! - `[[board_meeting]]` and `[[product.board_case]]` are created through
//!   `niveau_app::board`; a case with an `outcome` is decided with `board::decide` on its
//!   meeting's day, in date order with the history, and the board's decision writes the
//!   log entries the process says. `[[product.progress]]` is recorded through
//!   `niveau_app::progress::report` at the end of its period; the plan refuses it, with
//!   its line in the file, unless the product is at `projekt` then.
//! - `source` stays in the file: it is the reference for whoever checks the data, and is
//!   never written into a description, note or reference that users read. Organisation
//!   notes, product descriptions and decision references carry only the "Eksempeldata"
//!   marker.
//! - `[[product.report]]` with `kind = "selvevaluering"` is stored as a self-evaluation,
//!   imported from the embedded fixture exactly as an upload would be. A report with
//!   `kind = "evaluering"` is the secretariat's published evaluation: it is read by the
//!   report importer and stored through the evaluation operations ([`published`]): a
//!   draft with the document's ratings, finalised at the level the file states (which
//!   must be the level the document recommends, on the document's date) and published,
//!   which writes the level decision in the log and sets the official level.
//! - No person rows are made: groups and participants are organisations only. Where a
//!   source gives only a count ("42 kommuner og 2 regioner"), the count is in the text of
//!   the product or agreement, and no organisations are made up.
//!
//! The database holds example data when its audit log has events by [`DEMO_ACTOR`];
//! `niveau serve` then sets `web.demo`, and pages and the API say so.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;
use niveau_app::principal::{Caller, Principal};
use niveau_app::self_evaluations::{self, Upload, UploadKind};
use niveau_app::{
    App, accounts, agreements, board, decisions, groups, organisations, products, progress, wishes,
};

pub mod published;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_store::agreements::{AgreementInput, PartyInput};
use niveau_store::audit::AuditFilter;
use niveau_store::board::{CaseDecisionInput, CaseInput, MeetingInput};
use niveau_store::decisions::DecisionInput;
use niveau_store::groups::{GroupInput, MemberInput};
use niveau_store::organisations::{OrganisationFilter, OrganisationInput};
use niveau_store::products::{ParticipantInput, ProductFilter, ProductInput};
use niveau_store::progress::ProgressInput;
use niveau_store::types::{
    AgreementKind, BoardCaseKind, BoardOutcome, DecidedBy, DecisionKind, GroupKind, GroupRole,
    OrgKind, ParticipantRole, ProgressStatus, Stage, WishPayer, WishPriority, WishState,
};
use niveau_store::{ListParams, Store};
use serde::Deserialize;
use toml::Spanned;

/// The name of the actor that writes the example data (in the audit log).
pub const DEMO_ACTOR: &str = "eksempeldata";

/// Where the file lives in the repository (for messages).
pub const PORTFOLIO_PATH: &str = "data/demo/portfolio.toml";

/// The example portfolio, as shipped.
pub const PORTFOLIO_TOML: &str = include_str!("../../../../data/demo/portfolio.toml");

/// The marker put before the source of every organisation, product and decision.
pub const MARKER: &str = "Eksempeldata (ikke OS2's officielle portefølje)";

/// The reports the file may link to, by their path below fixtures/os2/, embedded
/// byte-exact.
const REPORTS: &[(&str, &str)] = &[
    (
        "reports/evaluation-0.9-os2faktor-2025.md",
        include_str!("../../../../fixtures/os2/reports/evaluation-0.9-os2faktor-2025.md"),
    ),
    (
        "reports/selfeval-2021-os2iot.md",
        include_str!("../../../../fixtures/os2/reports/selfeval-2021-os2iot.md"),
    ),
    (
        "reports/selfeval-2023-os2loop.md",
        include_str!("../../../../fixtures/os2/reports/selfeval-2023-os2loop.md"),
    ),
    (
        "reports/selfeval-1.1.0-os2borgerpc-2026.md",
        include_str!("../../../../fixtures/os2/reports/selfeval-1.1.0-os2borgerpc-2026.md"),
    ),
    (
        "reports/selfeval-2025-emoji-os2bankintegration.md",
        include_str!("../../../../fixtures/os2/reports/selfeval-2025-emoji-os2bankintegration.md"),
    ),
];

/// The whole file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Portfolio {
    /// What the data are.
    pub meta: Meta,
    /// Organisations.
    #[serde(default, rename = "organisation")]
    pub organisations: Vec<Organisation>,
    /// Products with what belongs to them.
    #[serde(default, rename = "product")]
    pub products: Vec<Product>,
    /// Community-wide groups.
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    /// Board meetings the products' board cases are on the agenda of.
    #[serde(default, rename = "board_meeting")]
    pub meetings: Vec<BoardMeeting>,
}

/// `[[board_meeting]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardMeeting {
    /// The key a case refers to it by.
    pub key: String,
    /// The day of the meeting.
    pub held_on: NaiveDate,
    /// Title.
    pub title: String,
    /// The agenda beyond the cases (stored followed by the example-data marker).
    #[serde(default)]
    pub agenda: Option<String>,
    /// Where the meeting and its date come from.
    pub source: String,
}

/// `[meta]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Title.
    pub title: String,
    /// The "this is example data" note.
    pub note: String,
    /// The documents the data come from.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// `[[organisation]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// The key other entries refer to it by.
    pub key: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
    /// Member since.
    #[serde(default)]
    pub member_since: Option<NaiveDate>,
    /// Left on.
    #[serde(default)]
    pub left_on: Option<NaiveDate>,
    /// Supplier partner agreement date.
    #[serde(default)]
    pub supplier_partner_since: Option<NaiveDate>,
    /// Where the facts come from.
    pub source: String,
}

/// `[[product]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// URL name.
    pub slug: String,
    /// Name.
    pub name: String,
    /// One sentence.
    #[serde(default)]
    pub short_description: Option<String>,
    /// Longer text.
    #[serde(default)]
    pub long_description: Option<String>,
    /// The stage the product is at (after its decisions).
    pub stage: Stage,
    /// Target level.
    #[serde(default)]
    pub target_level: Option<String>,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
    /// Licence.
    #[serde(default)]
    pub license: Option<String>,
    /// Repositories.
    #[serde(default)]
    pub repositories: Vec<String>,
    /// Where the facts come from.
    pub source: String,
    /// Participants.
    #[serde(default, rename = "participant")]
    pub participants: Vec<Participant>,
    /// The product's groups.
    #[serde(default, rename = "group")]
    pub groups: Vec<Group>,
    /// Agreements about the product.
    #[serde(default, rename = "agreement")]
    pub agreements: Vec<Agreement>,
    /// Decisions about the product.
    #[serde(default, rename = "decision")]
    pub decisions: Vec<Decision>,
    /// Published reports.
    #[serde(default, rename = "report")]
    pub reports: Vec<Report>,
    /// Cases about the product on a board meeting's agenda, with the board's decision.
    #[serde(default, rename = "board_case")]
    pub cases: Vec<BoardCase>,
    /// Progress reports of the product while it was a project.
    #[serde(default, rename = "progress")]
    pub progress: Vec<Spanned<Progress>>,
    /// Development wishes, imported as a backlog (`eksempeldata`) after the products.
    #[serde(default, rename = "wish")]
    pub wishes: Vec<Wish>,
}

/// `[[product.wish]]`: a development wish as the sources name it, imported in the state
/// the sources give (through `niveau_app::wishes::transfer::import_rows`), with its
/// pledges registered through `niveau_app::wishes::pledge`. Amounts only where the source
/// states them, or on an illustration.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wish {
    /// Title.
    pub title: String,
    /// The need (stored followed by the example-data marker).
    pub need: String,
    /// The proposed change.
    #[serde(default)]
    pub proposal: Option<String>,
    /// The organisation key of the requester.
    #[serde(default)]
    pub organisation: Option<String>,
    /// Who raised it (a group, not a person: the demo names no persons).
    #[serde(default)]
    pub raised_by: Option<String>,
    /// Where it stands.
    pub state: WishState,
    /// The day it was raised.
    pub created: NaiveDate,
    /// Who pays.
    #[serde(default)]
    pub payer: Option<WishPayer>,
    /// The co-funding target in whole kroner.
    #[serde(default)]
    pub target_kr: Option<i64>,
    /// Pledges.
    #[serde(default, rename = "pledge")]
    pub pledges: Vec<Pledge>,
    /// Where the facts come from.
    pub source: String,
}

/// `[[product.wish.pledge]]`: an organisation's pledge of co-funding.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    /// Organisation key.
    pub organisation: String,
    /// Amount in whole kroner.
    pub amount_kr: i64,
}

/// `[[product.board_case]]`: a case the secretariat prepared for a board meeting and,
/// with `outcome`, the board's decision on it at that meeting (recorded through
/// `niveau_app::board::decide`, which writes the decisions in the log).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardCase {
    /// The key of the `[[board_meeting]]`.
    pub meeting: String,
    /// What the board is asked to decide.
    pub kind: BoardCaseKind,
    /// Title.
    pub title: String,
    /// The secretariat's presentation (stored followed by the example-data marker).
    pub presentation: String,
    /// Links to the material (http(s) addresses).
    #[serde(default)]
    pub material: Vec<String>,
    /// For a `styregruppe` case: the name of the product's steering group.
    #[serde(default)]
    pub group: Option<String>,
    /// The board's decision, taken on the meeting's day; none: the case is pending.
    #[serde(default)]
    pub outcome: Option<BoardOutcome>,
    /// The priority given to an approved concept.
    #[serde(default)]
    pub priority: Option<i32>,
    /// The board's reasons.
    #[serde(default)]
    pub reasons: Option<String>,
    /// The decision's reference (minutes), stored followed by the marker.
    #[serde(default)]
    pub reference: Option<String>,
    /// Where the case and its decision come from.
    pub source: String,
}

/// `[[product.progress]]`: a progress report (fremdrift og økonomi), recorded through
/// `niveau_app::progress::report` at the end of its period, when the product must be a
/// project. Amounts only where the source states them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// First day of the period.
    pub period_from: NaiveDate,
    /// Last day of the period.
    pub period_to: NaiveDate,
    /// How the project was doing.
    pub status: ProgressStatus,
    /// The approved budget, in whole kroner.
    #[serde(default)]
    pub budget: Option<i64>,
    /// Spent so far, in whole kroner.
    #[serde(default)]
    pub spent: Option<i64>,
    /// The expected total, in whole kroner.
    #[serde(default)]
    pub expected_total: Option<i64>,
    /// Progress in words (stored followed by the example-data marker).
    pub progress: String,
    /// Risks.
    #[serde(default)]
    pub risks: Option<String>,
    /// Where the facts come from.
    pub source: String,
    /// `file:line` of the table, set by [`parse`] (for messages).
    #[serde(skip)]
    pub place: String,
}

/// `[[product.participant]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Organisation key.
    pub organisation: String,
    /// Role.
    pub role: ParticipantRole,
    /// Since.
    #[serde(default)]
    pub since: Option<NaiveDate>,
    /// Until.
    #[serde(default)]
    pub until: Option<NaiveDate>,
    /// Where the fact comes from. Read so the file is checked; the store has no field
    /// for it (the product's own `source` is kept).
    #[serde(default, rename = "source")]
    _source: Option<String>,
}

/// `[[group]]` and `[[product.group]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Kind.
    pub kind: GroupKind,
    /// Name.
    pub name: String,
    /// Where the facts come from. Read so the file is checked; the store has no field
    /// for it.
    #[serde(default, rename = "source")]
    _source: Option<String>,
    /// Members (organisations).
    #[serde(default, rename = "member")]
    pub members: Vec<Member>,
}

/// `[[….member]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Organisation key.
    pub organisation: String,
    /// Role in the group.
    pub role: GroupRole,
}

/// `[[product.agreement]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// Kind.
    pub kind: AgreementKind,
    /// Title.
    pub title: String,
    /// Period start.
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    /// Period end.
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    /// Economy.
    #[serde(default)]
    pub economy: Option<String>,
    /// Link to the document.
    #[serde(default)]
    pub document_url: Option<String>,
    /// Where the facts come from. Read so the file is checked; the store has no field
    /// for it.
    #[serde(default, rename = "source")]
    _source: Option<String>,
    /// Parties (may be none).
    #[serde(default, rename = "party")]
    pub parties: Vec<Party>,
}

/// `[[product.agreement.party]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Organisation key.
    pub organisation: String,
    /// Free-text role.
    pub role: String,
}

/// `[[product.decision]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Date.
    pub decided_on: NaiveDate,
    /// Kind.
    pub kind: DecisionKind,
    /// The stage (or level) before, as the source states it.
    #[serde(default)]
    pub from: Option<String>,
    /// The new stage or level.
    #[serde(default)]
    pub to: Option<String>,
    /// The model of a level decision.
    #[serde(default)]
    pub model_id: Option<String>,
    /// Why.
    pub basis: String,
    /// Who decided.
    pub decided_by: DecidedBy,
    /// Minutes, report, case number.
    #[serde(default)]
    pub reference: Option<String>,
    /// Where the fact comes from.
    #[serde(default)]
    pub source: Option<String>,
}

/// The kinds of report a product entry may link to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ReportKind {
    /// A self-evaluation (governancerapport).
    #[serde(rename = "selvevaluering")]
    Selvevaluering,
    /// The secretariat's evaluation.
    #[serde(rename = "evaluering")]
    Evaluering,
}

/// `[[product.report]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Path below fixtures/os2/.
    pub file: String,
    /// Kind.
    pub kind: ReportKind,
    /// For an evaluation: the official level it sets (the level the document
    /// recommends).
    #[serde(default)]
    pub level: Option<String>,
    /// For an evaluation: the date of the level decision (the document's date).
    #[serde(default)]
    pub decided_on: Option<NaiveDate>,
    /// For an evaluation: the decision's reference.
    #[serde(default)]
    pub reference: Option<String>,
    /// For an evaluation: the basis of the level decision, in the document's words.
    #[serde(default)]
    pub basis: Option<String>,
    /// For an evaluation: why the level is above the one its ratings indicate, when it
    /// is (the evaluation operations require it then).
    #[serde(default)]
    pub justification: Option<String>,
    /// Where the link comes from. Read so the file is checked.
    #[serde(default, rename = "source")]
    _source: Option<String>,
}

/// Parse the portfolio; errors name the file, line and column.
pub fn parse(text: &str, file: &str) -> Result<Portfolio> {
    let mut portfolio: Portfolio = toml::from_str(text).map_err(|e| {
        let place = match e.span() {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                format!("{file}:{line}:{column}")
            }
            None => file.to_string(),
        };
        anyhow!("{place}: {}", e.message())
    })?;
    for product in &mut portfolio.products {
        for report in &mut product.progress {
            let (line, _) = line_column(text, report.span().start);
            report.get_mut().place = format!("{file}:{line}");
        }
    }
    Ok(portfolio)
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The shipped portfolio.
pub fn shipped() -> Result<Portfolio> {
    parse(PORTFOLIO_TOML, PORTFOLIO_PATH)
}

/// One decision in the order it is recorded.
#[derive(Debug, Clone)]
pub struct PlannedDecision {
    /// Index into [`Portfolio::products`].
    pub product: usize,
    /// The decision.
    pub decision: Decision,
}

/// One write of the replay, in the order they are made.
#[derive(Debug, Clone)]
pub enum Step {
    /// A decision from before the process, registered as history.
    History(PlannedDecision),
    /// The board's decision on case `case` of product `product`, on its meeting's day.
    Board {
        /// Index into [`Portfolio::products`].
        product: usize,
        /// Index into that product's cases.
        case: usize,
        /// The meeting's day.
        decided_on: NaiveDate,
    },
    /// Progress report `report` of product `product`, at the end of its period.
    Progress {
        /// Index into [`Portfolio::products`].
        product: usize,
        /// Index into that product's progress reports.
        report: usize,
    },
}

impl Step {
    /// The day the step happens on.
    fn date(&self, portfolio: &Portfolio) -> NaiveDate {
        match self {
            Step::History(d) => d.decision.decided_on,
            Step::Board { decided_on, .. } => *decided_on,
            Step::Progress { product, report } => {
                portfolio.products[*product].progress[*report]
                    .get_ref()
                    .period_to
            }
        }
    }

    /// Of the steps of one day: history first, then the board, then progress reports.
    fn rank(&self) -> u8 {
        match self {
            Step::History(_) => 0,
            Step::Board { .. } => 1,
            Step::Progress { .. } => 2,
        }
    }
}

/// What will be written: the stage each product is created at and the steps in date
/// order.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The stage each product is created at, by index.
    pub initial_stages: Vec<Stage>,
    /// Every step, by date (history, then the board, then progress reports on the same
    /// day; ties in file order).
    pub steps: Vec<Step>,
}

/// The stage a board case's decision moves the product from and to, as
/// `niveau_app::board::decide` applies it (its table); `None`: the product stays.
pub fn board_move(kind: BoardCaseKind, outcome: BoardOutcome) -> Option<(Stage, Stage)> {
    use BoardCaseKind as K;
    use BoardOutcome as O;
    match (kind, outcome) {
        (K::Koncept, O::Godkendt) => Some((Stage::Koncept, Stage::Projekt)),
        (K::Koncept, O::Tilbageloeb) => Some((Stage::Koncept, Stage::Ide)),
        (K::Koncept, O::Afvist) => Some((Stage::Koncept, Stage::Afvist)),
        (K::Genovervejelse, O::Tilbageloeb) => Some((Stage::Projekt, Stage::Ide)),
        (K::Genovervejelse, O::Afvist) => Some((Stage::Projekt, Stage::Afvist)),
        _ => None,
    }
}

/// Check that `source` lists references of the form `seeds/<file>:<line>` or
/// `fixtures/<path>:<line>` (`<line>` a number), comma-separated.
/// The `source` of an illustration: an item that is not a fact from the sources but
/// shows a step of the process the sources give no example of (a concept waiting for the
/// board). Its title must say so (`Illustration: …`), and docs/demo-data.md lists it.
const ILLUSTRATION: &str = "illustration";

/// Check the source of an item titled `title`: a reference, or [`ILLUSTRATION`] for an
/// item whose title begins with "Illustration:".
fn check_source_or_illustration(source: &str, title: &str, place: &str) -> Result<()> {
    if source.trim() == ILLUSTRATION {
        if !title.starts_with("Illustration:") {
            bail!(
                "{place}: an illustration's title must begin with 'Illustration:', so no one takes it for a fact"
            );
        }
        return Ok(());
    }
    check_source(source, place)
}

fn check_source(source: &str, place: &str) -> Result<()> {
    for part in source.split(',') {
        let part = part.trim();
        let known = part.starts_with("seeds/") || part.starts_with("fixtures/");
        let line_ok = part
            .rsplit_once(':')
            .is_some_and(|(_, line)| !line.is_empty() && line.chars().all(|c| c.is_ascii_digit()));
        if !known || !line_ok {
            bail!("{place}: source '{part}' is not seeds/<file>:<line> or fixtures/<path>:<line>");
        }
    }
    Ok(())
}

/// Check every reference and replay the stage changes, board decisions and progress
/// reports; nothing is written.
pub fn plan(portfolio: &Portfolio) -> Result<Plan> {
    let mut keys = HashMap::new();
    for (i, org) in portfolio.organisations.iter().enumerate() {
        if keys.insert(org.key.as_str(), i).is_some() {
            bail!("organisation '{}' is listed twice", org.key);
        }
        check_source(&org.source, &format!("organisation {}", org.key))?;
    }
    let check_org = |key: &str, place: &str| -> Result<()> {
        if keys.contains_key(key) {
            Ok(())
        } else {
            Err(anyhow!("{place}: no organisation with key '{key}'"))
        }
    };
    let mut meetings: HashMap<&str, &BoardMeeting> = HashMap::new();
    for m in &portfolio.meetings {
        if meetings.insert(m.key.as_str(), m).is_some() {
            bail!("board meeting '{}' is listed twice", m.key);
        }
        check_source_or_illustration(&m.source, &m.title, &format!("board meeting {}", m.key))?;
    }
    let mut slugs = HashMap::new();
    let mut initial_stages = Vec::new();
    let mut steps: Vec<Step> = Vec::new();
    for (pi, product) in portfolio.products.iter().enumerate() {
        let slug = product.slug.as_str();
        if slugs.insert(slug, pi).is_some() {
            bail!("product '{slug}' is listed twice");
        }
        check_source_or_illustration(&product.source, &product.name, &format!("product {slug}"))?;
        for d in &product.decisions {
            let place = format!("product {slug}, decision of {}", d.decided_on);
            match &d.source {
                Some(source) => check_source(source, &place)?,
                None => bail!("{place}: a decision needs `source`"),
            }
        }
        for p in &product.participants {
            check_org(&p.organisation, &format!("product {slug}, participant"))?;
        }
        for w in &product.wishes {
            let place = format!("product {slug}, wish '{}'", w.title);
            check_source_or_illustration(&w.source, &w.title, &place)?;
            if let Some(o) = &w.organisation {
                check_org(o, &place)?;
            }
            for p in &w.pledges {
                check_org(&p.organisation, &place)?;
            }
            if (w.target_kr.is_some() || !w.pledges.is_empty()) && w.source.trim() != ILLUSTRATION {
                bail!(
                    "{place}: the sources state no amounts; only an illustration has a target or pledges"
                );
            }
        }
        for g in &product.groups {
            for m in &g.members {
                check_org(
                    &m.organisation,
                    &format!("product {slug}, group '{}'", g.name),
                )?;
            }
        }
        for a in &product.agreements {
            for p in &a.parties {
                check_org(
                    &p.organisation,
                    &format!("product {slug}, agreement '{}'", a.title),
                )?;
            }
        }
        for r in &product.reports {
            if r.kind == ReportKind::Evaluering
                && (r.level.is_none() || r.decided_on.is_none() || r.basis.is_none())
            {
                bail!(
                    "product {slug}: the evaluation '{}' needs `level`, `decided_on` and `basis`",
                    r.file
                );
            }
            if report_text(&r.file).is_none() {
                bail!(
                    "product {slug}: report '{}' is not one of the embedded fixtures ({})",
                    r.file,
                    REPORTS
                        .iter()
                        .map(|(f, _)| *f)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }

        // The product's own steps: its history decisions, the board's decisions on its
        // cases, its progress reports.
        let mut own: Vec<Step> = product
            .decisions
            .iter()
            .map(|d| {
                Step::History(PlannedDecision {
                    product: pi,
                    decision: d.clone(),
                })
            })
            .collect();
        for (ci, case) in product.cases.iter().enumerate() {
            let place = format!("product {slug}, board case '{}'", case.title);
            check_source_or_illustration(&case.source, &case.title, &place)?;
            let meeting = meetings
                .get(case.meeting.as_str())
                .ok_or_else(|| anyhow!("{place}: no board meeting with key '{}'", case.meeting))?;
            match (&case.group, case.kind) {
                (None, BoardCaseKind::Styregruppe) => {
                    bail!(
                        "{place}: a styregruppe case needs `group`, the name of the product's steering group"
                    )
                }
                (Some(name), BoardCaseKind::Styregruppe) => {
                    if !product.groups.iter().any(|g| &g.name == name) {
                        bail!("{place}: the product has no group named '{name}'");
                    }
                }
                (Some(_), kind) => {
                    bail!("{place}: only a styregruppe case names a group, not a {kind} case")
                }
                (None, BoardCaseKind::Evaluering) => {
                    bail!("{place}: the example data have no case about an evaluation")
                }
                (None, _) => {}
            }
            if let Some(outcome) = case.outcome {
                if !board::outcomes(case.kind).contains(&outcome) {
                    bail!("{place}: a {} case cannot be decided {outcome}", case.kind);
                }
                own.push(Step::Board {
                    product: pi,
                    case: ci,
                    decided_on: meeting.held_on,
                });
            }
        }
        for (ri, report) in product.progress.iter().enumerate() {
            let r = report.get_ref();
            let place = format!("{}: product {slug}, progress report", r.place);
            check_source(&r.source, &place)?;
            if r.period_from > r.period_to {
                bail!("{place}: the period ends before it begins");
            }
            own.push(Step::Progress {
                product: pi,
                report: ri,
            });
        }
        // Stable: the steps of one day keep the file's order.
        own.sort_by_key(|s| (s.date(portfolio), s.rank()));

        // The stage before the first change: where the product is created.
        let mut initial = product.stage;
        for step in &own {
            match step {
                Step::History(d) if d.decision.kind == DecisionKind::Stadie => {
                    let first = &d.decision;
                    let from = first.from.as_deref().ok_or_else(|| {
                        anyhow!(
                            "product {slug}, decision of {}: a stadie decision needs `from`",
                            first.decided_on
                        )
                    })?;
                    initial = parse_stage(from, slug, first.decided_on)?;
                    break;
                }
                Step::Board { case, .. } => {
                    let case = &product.cases[*case];
                    if let Some((from, _)) = case.outcome.and_then(|o| board_move(case.kind, o)) {
                        initial = from;
                        break;
                    }
                }
                _ => {}
            }
        }
        let mut current = initial;
        for step in &own {
            match step {
                Step::History(planned) => {
                    let d = &planned.decision;
                    if d.kind != DecisionKind::Stadie {
                        continue;
                    }
                    let from = match d.from.as_deref() {
                        Some(f) => parse_stage(f, slug, d.decided_on)?,
                        None => current,
                    };
                    if from != current {
                        bail!(
                            "product {slug}, decision of {}: `from` is {from} but the product is at {current} then",
                            d.decided_on
                        );
                    }
                    let to = d.to.as_deref().ok_or_else(|| {
                        anyhow!(
                            "product {slug}, decision of {}: a stadie decision needs `to`",
                            d.decided_on
                        )
                    })?;
                    current = parse_stage(to, slug, d.decided_on)?;
                }
                Step::Board {
                    case, decided_on, ..
                } => {
                    let case = &product.cases[*case];
                    let Some(outcome) = case.outcome else {
                        continue;
                    };
                    if let Some((from, to)) = board_move(case.kind, outcome) {
                        if from != current {
                            bail!(
                                "product {slug}, board case '{}' of {decided_on}: deciding a {} case {outcome} needs the product at {from}, but it is at {current} then",
                                case.title,
                                case.kind
                            );
                        }
                        current = to;
                    }
                }
                Step::Progress { report, .. } => {
                    let r = product.progress[*report].get_ref();
                    if current != Stage::Projekt {
                        bail!(
                            "{}: product {slug}, progress report {} to {}: the product is at {current} then; only a project (stage projekt) reports progress",
                            r.place,
                            r.period_from,
                            r.period_to
                        );
                    }
                }
            }
        }
        if current != product.stage {
            bail!(
                "product {slug}: the decisions end at stage {current}, but the product states stage {}",
                product.stage
            );
        }
        initial_stages.push(initial);
        steps.extend(own);
    }
    for g in &portfolio.groups {
        for m in &g.members {
            check_org(&m.organisation, &format!("group '{}'", g.name))?;
        }
    }
    // Stable: steps of the same day and rank keep the file's order.
    steps.sort_by_key(|s| (s.date(portfolio), s.rank()));
    Ok(Plan {
        initial_stages,
        steps,
    })
}

fn parse_stage(text: &str, slug: &str, date: NaiveDate) -> Result<Stage> {
    Stage::parse(text).ok_or_else(|| {
        anyhow!(
            "product {slug}, decision of {date}: '{text}' is not a stage; known: {}",
            Stage::expected()
        )
    })
}

/// The embedded text of a report the file may link to.
pub fn report_text(file: &str) -> Option<&'static str> {
    REPORTS.iter().find(|(f, _)| *f == file).map(|(_, t)| *t)
}

/// A text users read, followed by the example-data marker (the file's `source` stays in
/// the file).
fn with_marker(text: Option<&str>) -> String {
    let mut out = text.map(str::trim).unwrap_or_default().to_string();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(MARKER);
    out.push('.');
    out
}

/// A decision's reference followed by the example-data marker.
fn marked_reference(reference: Option<&str>) -> String {
    match reference {
        Some(r) => format!("{r} ({MARKER})"),
        None => MARKER.to_string(),
    }
}

/// What was loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Organisations created.
    pub organisations: usize,
    /// Products created.
    pub products: usize,
    /// Participants added.
    pub participants: usize,
    /// Groups created.
    pub groups: usize,
    /// Group members added.
    pub members: usize,
    /// Agreements created.
    pub agreements: usize,
    /// Decisions recorded.
    pub decisions: usize,
    /// Self-evaluations stored.
    pub self_evaluations: usize,
    /// Evaluations stored and published.
    pub evaluations: usize,
    /// Board meetings created.
    pub meetings: usize,
    /// Board cases prepared.
    pub cases: usize,
    /// Board cases decided.
    pub board_decisions: usize,
    /// Progress reports recorded.
    pub progress_reports: usize,
    /// Development wishes imported.
    pub wishes: usize,
    /// Pledges registered.
    pub pledges: usize,
}

/// Whether the database holds example data (its audit log names [`DEMO_ACTOR`]).
pub async fn is_demo(store: &Store) -> Result<bool> {
    let page = store
        .list_audit(
            &AuditFilter {
                actor: Some(DEMO_ACTOR.to_string()),
                ..Default::default()
            },
            &ListParams {
                limit: Some(1),
                ..Default::default()
            },
        )
        .await?;
    Ok(page.total > 0)
}

/// Whether the database holds any product or organisation (archived ones included).
/// Accounts do not count: an administrator may be made before the example data are loaded.
pub async fn has_portfolio(store: &Store) -> Result<bool> {
    let one = ListParams {
        limit: Some(1),
        ..Default::default()
    };
    let products = store
        .list_products(
            &ProductFilter {
                archived: Some(true),
                ..Default::default()
            },
            &one,
        )
        .await?;
    let organisations = store
        .list_organisations(
            &OrganisationFilter {
                archived: Some(true),
                ..Default::default()
            },
            &one,
        )
        .await?;
    Ok(products.total > 0 || organisations.total > 0)
}

/// Load `portfolio` through the application layer's operations (the same rules as the
/// API and the pages, acting as the console operator `demo`) into the store of `app`,
/// which must hold no portfolio yet. The products' repositories must be locations that
/// `locations` allows (the server's worker policy).
pub async fn load(app: &App, locations: &RemotePolicy, portfolio: &Portfolio) -> Result<Summary> {
    let store = app.store();
    let plan = plan(portfolio).with_context(|| PORTFOLIO_PATH.to_string())?;
    if has_portfolio(store).await? {
        bail!(
            "the database already holds products or organisations; example data are only loaded into an empty portfolio"
        );
    }
    let demo = Principal::system(DEMO_ACTOR);
    let who = Some(&demo);
    let mut summary = Summary::default();

    let mut org_ids: BTreeMap<&str, i32> = BTreeMap::new();
    for org in &portfolio.organisations {
        let created = organisations::create(
            app,
            who,
            OrganisationInput {
                name: org.name.clone(),
                kind: org.kind,
                member_since: org.member_since,
                left_on: org.left_on,
                supplier_partner_since: org.supplier_partner_since,
                note: Some(with_marker(org.note.as_deref())),
                version: None,
            },
        )
        .await
        .with_context(|| format!("organisation {}", org.key))?;
        org_ids.insert(org.key.as_str(), created.id);
        summary.organisations += 1;
    }
    let org = |key: &str| -> Result<i32> {
        org_ids
            .get(key)
            .copied()
            .ok_or_else(|| anyhow!("no organisation with key '{key}'"))
    };

    let mut product_ids = Vec::with_capacity(portfolio.products.len());
    let mut group_ids: HashMap<(usize, &str), i32> = HashMap::new();
    for (product, stage) in portfolio.products.iter().zip(&plan.initial_stages) {
        let slug = &product.slug;
        let created = products::create(
            app,
            who,
            ProductInput {
                slug: slug.clone(),
                name: product.name.clone(),
                short_description: product.short_description.clone().unwrap_or_default(),
                long_description: with_marker(product.long_description.as_deref()),
                stage: Some(*stage),
                official_level: None,
                target_level: product.target_level.clone(),
                website: product.website.clone(),
                license: product.license.clone(),
                repositories: product.repositories.clone(),
                publiccode: None,
                published: true,
                version: None,
            },
            locations,
        )
        .await
        .with_context(|| format!("product {slug}"))?;
        product_ids.push(created.clone());
        summary.products += 1;
        for p in &product.participants {
            products::add_participant(
                app,
                who,
                &created.id.to_string(),
                ParticipantInput {
                    organisation_id: Some(org(&p.organisation)?),
                    person_id: None,
                    role: p.role,
                    since: p.since,
                    until: p.until,
                    version: None,
                },
            )
            .await
            .with_context(|| format!("product {slug}, participant {}", p.organisation))?;
            summary.participants += 1;
        }
        for g in &product.groups {
            let id = load_group(app, who, Some(created.id), g, &org, &mut summary)
                .await
                .with_context(|| format!("product {slug}, group '{}'", g.name))?;
            group_ids.insert((product_ids.len() - 1, g.name.as_str()), id);
        }
        for a in &product.agreements {
            let mut parties = Vec::with_capacity(a.parties.len());
            for p in &a.parties {
                parties.push(PartyInput {
                    organisation_id: org(&p.organisation)?,
                    role: p.role.clone(),
                });
            }
            agreements::create(
                app,
                who,
                AgreementInput {
                    product_id: Some(created.id),
                    kind: a.kind,
                    title: a.title.clone(),
                    starts_on: a.starts_on,
                    ends_on: a.ends_on,
                    economy: a.economy.clone(),
                    document_url: a.document_url.clone(),
                    parties,
                    version: None,
                },
            )
            .await
            .with_context(|| format!("product {slug}, agreement '{}'", a.title))?;
            summary.agreements += 1;
        }
    }

    for g in &portfolio.groups {
        load_group(app, who, None, g, &org, &mut summary)
            .await
            .with_context(|| format!("group '{}'", g.name))?;
    }

    // The board's meetings and the cases on their agendas, prepared before the replay.
    let mut meeting_ids: HashMap<&str, i32> = HashMap::new();
    for m in &portfolio.meetings {
        let created = board::create_meeting(
            app,
            who,
            MeetingInput {
                held_on: m.held_on,
                title: m.title.clone(),
                agenda: Some(with_marker(m.agenda.as_deref())),
                version: None,
            },
        )
        .await
        .map_err(|e| anyhow!("board meeting {}: {}", m.key, e.message().en))?;
        meeting_ids.insert(m.key.as_str(), created.id);
        summary.meetings += 1;
    }
    let mut case_ids: HashMap<(usize, usize), (i32, i32)> = HashMap::new();
    for (pi, product) in portfolio.products.iter().enumerate() {
        for (ci, case) in product.cases.iter().enumerate() {
            let group_id = match &case.group {
                Some(name) => Some(
                    group_ids
                        .get(&(pi, name.as_str()))
                        .copied()
                        .ok_or_else(|| anyhow!("product {}: no group '{name}'", product.slug))?,
                ),
                None => None,
            };
            let meeting_id = meeting_ids
                .get(case.meeting.as_str())
                .copied()
                .ok_or_else(|| anyhow!("no board meeting with key '{}'", case.meeting))?;
            let created = board::create_case(
                app,
                who,
                CaseInput {
                    product_id: product_ids[pi].id,
                    kind: case.kind,
                    meeting_id: Some(meeting_id),
                    title: case.title.clone(),
                    presentation: with_marker(Some(&case.presentation)),
                    material: case.material.clone(),
                    group_id,
                    evaluation_id: None,
                    version: None,
                },
            )
            .await
            .map_err(|e| {
                anyhow!(
                    "product {}, board case '{}': {}",
                    product.slug,
                    case.title,
                    e.message().en
                )
            })?;
            case_ids.insert((pi, ci), (created.id, created.version));
            summary.cases += 1;
        }
    }

    for step in &plan.steps {
        match step {
            Step::History(planned) => {
                let product = &portfolio.products[planned.product];
                let d = &planned.decision;
                decisions::register_history(
                    app,
                    who,
                    DecisionInput {
                        product_id: Some(product_ids[planned.product].id),
                        decided_on: d.decided_on,
                        kind: d.kind,
                        to: d.to.clone(),
                        model_id: d.model_id.clone(),
                        basis: d.basis.clone(),
                        decided_by: d.decided_by,
                        reference: Some(marked_reference(d.reference.as_deref())),
                    },
                )
                .await
                .with_context(|| {
                    format!("product {}, decision of {}", product.slug, d.decided_on)
                })?;
                summary.decisions += 1;
            }
            Step::Board {
                product: pi,
                case: ci,
                decided_on,
            } => {
                let product = &portfolio.products[*pi];
                let case = &product.cases[*ci];
                let (Some(outcome), Some(&(id, version))) =
                    (case.outcome, case_ids.get(&(*pi, *ci)))
                else {
                    bail!(
                        "product {}, board case '{}' is not prepared",
                        product.slug,
                        case.title
                    );
                };
                let decided = board::decide(
                    app,
                    who,
                    id,
                    version,
                    CaseDecisionInput {
                        outcome,
                        decided_on: *decided_on,
                        priority: case.priority,
                        reasons: case.reasons.clone(),
                        reference: Some(marked_reference(case.reference.as_deref())),
                        version: None,
                    },
                )
                .await
                .map_err(|e| {
                    anyhow!(
                        "product {}, board case '{}' of {decided_on}: {}",
                        product.slug,
                        case.title,
                        e.message().en
                    )
                })?;
                summary.decisions += decided.decisions.len();
                summary.board_decisions += 1;
            }
            Step::Progress {
                product: pi,
                report,
            } => {
                let product = &portfolio.products[*pi];
                let r = product.progress[*report].get_ref();
                progress::report(
                    app,
                    who,
                    &product_ids[*pi].id.to_string(),
                    ProgressInput {
                        period_from: r.period_from,
                        period_to: r.period_to,
                        status: r.status,
                        budget: r.budget,
                        spent: r.spent,
                        expected_total: r.expected_total,
                        progress: with_marker(Some(&r.progress)),
                        risks: r.risks.clone(),
                    },
                )
                .await
                .map_err(|e| {
                    anyhow!(
                        "{}: product {}, progress report: {}",
                        r.place,
                        product.slug,
                        e.message().en
                    )
                })?;
                summary.progress_reports += 1;
            }
        }
    }

    for (product, stored) in portfolio.products.iter().zip(&product_ids) {
        for r in &product.reports {
            match r.kind {
                ReportKind::Evaluering => {
                    let text = report_text(&r.file)
                        .ok_or_else(|| anyhow!("report '{}' is not embedded", r.file))?;
                    published::import_evaluation(app, who, stored, &r.file, text, r)
                        .await
                        .with_context(|| format!("product {}, report {}", product.slug, r.file))?;
                    summary.evaluations += 1;
                }
                ReportKind::Selvevaluering => {
                    let text = report_text(&r.file)
                        .ok_or_else(|| anyhow!("report '{}' is not embedded", r.file))?;
                    self_evaluations::submit(
                        app,
                        who,
                        stored,
                        Upload {
                            kind: UploadKind::Markdown,
                            body: text.as_bytes(),
                            based_on: None,
                        },
                    )
                    .await
                    .map_err(|e| {
                        anyhow!(
                            "product {}, report {}: {}",
                            product.slug,
                            r.file,
                            e.message().en
                        )
                    })?;
                    summary.self_evaluations += 1;
                }
            }
        }
    }
    for (product, stored) in portfolio.products.iter().zip(&product_ids) {
        load_wishes(app, who, product, stored, &org, &mut summary).await?;
    }
    Ok(summary)
}

/// Import a product's wishes as one backlog, then register the illustration's pledges.
async fn load_wishes(
    app: &App,
    who: Caller<'_>,
    product: &Product,
    stored: &niveau_store::entity::product::Model,
    org: &impl Fn(&str) -> Result<i32>,
    summary: &mut Summary,
) -> Result<()> {
    if product.wishes.is_empty() {
        return Ok(());
    }
    let mut rows = Vec::with_capacity(product.wishes.len());
    for w in &product.wishes {
        rows.push(niveau_store::wishes::ImportedWish {
            input: niveau_store::wishes::WishInput {
                title: w.title.clone(),
                need: with_marker(Some(&w.need)),
                proposal: w.proposal.clone(),
                value: None,
                organisation_id: w.organisation.as_deref().map(org).transpose()?,
                raised_by: w.raised_by.clone(),
                raised_by_email: None,
                priority: WishPriority::Middel,
                priority_reason: None,
                version: None,
            },
            state: w.state,
            created: Some(w.created),
            external_key: None,
            estimate_hours: None,
            estimate_ore: None,
            payer: w.payer,
            target_ore: w.target_kr.map(|kr| kr * 100),
        });
    }
    let created =
        wishes::transfer::import_rows(app, who, &stored.id.to_string(), &rows, "eksempeldata")
            .await
            .map_err(|e| anyhow!("product {}, wishes: {}", product.slug, e.message().en))?;
    summary.wishes += created.len();
    for (w, stored_wish) in product.wishes.iter().zip(&created) {
        let mut version = stored_wish.version;
        for p in &w.pledges {
            let (after, _) = wishes::pledge(
                app,
                who,
                stored_wish.id,
                &niveau_store::wishes::PledgeInput {
                    organisation_id: org(&p.organisation)?,
                    amount_ore: p.amount_kr * 100,
                    note: Some(MARKER.to_owned()),
                    version,
                },
            )
            .await
            .map_err(|e| {
                anyhow!(
                    "product {}, wish '{}', pledge of {}: {}",
                    product.slug,
                    w.title,
                    p.organisation,
                    e.message().en
                )
            })?;
            version = after.version;
            summary.pledges += 1;
        }
    }
    Ok(())
}

async fn load_group(
    app: &App,
    who: Caller<'_>,
    product_id: Option<i32>,
    g: &Group,
    org: &impl Fn(&str) -> Result<i32>,
    summary: &mut Summary,
) -> Result<i32> {
    let group = groups::create(
        app,
        who,
        GroupInput {
            product_id,
            kind: g.kind,
            name: g.name.clone(),
            version: None,
            mandate_url: None,
        },
    )
    .await?;
    summary.groups += 1;
    for m in &g.members {
        groups::add_member(
            app,
            who,
            group.id,
            MemberInput {
                person_id: None,
                organisation_id: Some(org(&m.organisation)?),
                role: m.role,
                version: None,
                since: None,
                until: None,
            },
        )
        .await
        .with_context(|| format!("member {}", m.organisation))?;
        summary.members += 1;
    }
    Ok(group.id)
}

/// `niveau demo`: load the example portfolio into a database without serving it.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub db: crate::db_cmd::DbArgs,
}

/// Run `niveau demo`.
pub fn run(args: DemoArgs, lang: niveau_report::Lang) -> Result<std::process::ExitCode> {
    let config = args.db.load_config(None)?;
    crate::logging::init(&config.log, crate::logging::COMMAND_LEVEL)?;
    let registry = std::sync::Arc::new(crate::builtin_registry()?);
    let portfolio = shipped()?;
    crate::db_cmd::runtime()?.block_on(async {
        let store = crate::db_cmd::connect_migrated(&config, lang).await?;
        if is_demo(&store).await? {
            bail!(
                "{} {}",
                crate::db_cmd::display_url(&config.database.url),
                lang.pick(
                    "indeholder allerede eksempeldata",
                    "already holds the example data"
                )
            );
        }
        if has_portfolio(&store).await? {
            bail!(
                "{} {}",
                crate::db_cmd::display_url(&config.database.url),
                lang.pick(
                    "indeholder allerede produkter eller organisationer; eksempeldata indlæses kun i en tom portefølje",
                    "already holds products or organisations; example data are only loaded into an empty portfolio"
                )
            );
        }
        let app = App::new(store.clone(), registry.clone());
        let summary = load(&app, &config.web.worker.remote_policy(), &portfolio).await?;
        outln!("{}", portfolio.meta.title);
        outln!("{}", portfolio.meta.note);
        outln!(
            "{}: {}",
            lang.pick("kilder", "sources"),
            portfolio.meta.sources.join(", ")
        );
        outln!(
            "{}: {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}",
            lang.pick("indlæst", "loaded"),
            summary.organisations,
            lang.pick("organisationer", "organisations"),
            summary.products,
            lang.pick("produkter", "products"),
            summary.participants,
            lang.pick("deltagere", "participants"),
            summary.groups,
            lang.pick("grupper", "groups"),
            summary.members,
            lang.pick("gruppemedlemmer", "group members"),
            summary.agreements,
            lang.pick("aftaler", "agreements"),
            summary.decisions,
            lang.pick("beslutninger", "decisions"),
            summary.self_evaluations,
            lang.pick("selvevalueringer", "self-evaluations"),
            summary.evaluations,
            lang.pick("offentliggjorte evalueringer", "published evaluations"),
            summary.meetings,
            lang.pick("bestyrelsesmøder", "board meetings"),
            summary.cases,
            lang.pick("bestyrelsessager", "board cases"),
            summary.progress_reports,
            lang.pick("fremdriftsrapporter", "progress reports"),
        );
        Ok(std::process::ExitCode::SUCCESS)
    })
}

/// The account a newcomer logs in with on the example data.
pub const DEMO_USER: &str = "demo-sekretariat";

/// Create the demo secretariat account, or give it a new password if it exists (its
/// sessions end and its API tokens are revoked), and return that password. Called only by
/// `niveau serve --demo`, so the password it prints is the current one; a plain
/// `niveau serve` of the same database leaves the password alone. The password is never
/// stored in clear. The account exists only in a database that holds the example data.
pub async fn demo_account(app: &App) -> Result<String> {
    // 16 characters of a 43-character random secret: about 96 bits, short enough to type.
    let password: String = niveau_app::secrets::new_secret().chars().take(16).collect();
    let demo = Principal::system(DEMO_ACTOR);
    let who = Some(&demo);
    match app.store().user_by_username(DEMO_USER).await? {
        Some(user) => {
            accounts::set_password(
                app,
                who,
                user.id,
                accounts::SetPassword {
                    password: password.clone(),
                    revoke_tokens: true,
                    own_session: None,
                },
            )
            .await?;
        }
        None => {
            accounts::create_user(
                app,
                who,
                accounts::UserInput {
                    username: DEMO_USER.into(),
                    display_name: "Demo-sekretariatet".into(),
                    email: None,
                    password: Some(password.clone()),
                    roles: vec![niveau_store::types::Role::Sekretariat],
                    product_ids: vec![],
                },
            )
            .await?;
        }
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_stage_of(p: &Portfolio, slug: &str) -> Option<Stage> {
        p.products.iter().find(|x| x.slug == slug).map(|x| x.stage)
    }

    #[test]
    fn the_shipped_file_parses_and_plans() {
        let p = shipped().unwrap();
        assert_eq!(p.organisations.len(), 21);
        // Twelve products from the sources and the illustration of an idea.
        assert_eq!(p.products.len(), 13);
        assert_eq!(
            plan_stage_of(&p, "illustration-ide"),
            Some(Stage::Ide),
            "the illustration is an idea"
        );
        assert_eq!(p.groups.len(), 1);
        let plan = plan(&p).unwrap();
        let index = |slug: &str| p.products.iter().position(|x| x.slug == slug).unwrap();
        assert_eq!(plan.initial_stages[index("os2mo")], Stage::Projekt);
        assert_eq!(plan.initial_stages[index("os2faktor")], Stage::Projekt);
        assert_eq!(plan.initial_stages[index("os2iot")], Stage::Projekt);
        assert_eq!(plan.initial_stages[index("os2kitos")], Stage::Produkt);
        assert_eq!(
            plan.initial_stages[index("os2bankintegration")],
            Stage::Koncept
        );
        let steps: Vec<String> = plan
            .steps
            .iter()
            .map(|s| match s {
                Step::History(d) => format!(
                    "{} {} {}",
                    d.decision.decided_on, p.products[d.product].slug, d.decision.kind
                ),
                Step::Board {
                    product,
                    case,
                    decided_on,
                } => format!(
                    "{decided_on} {} bestyrelsen: {}",
                    p.products[*product].slug, p.products[*product].cases[*case].kind
                ),
                Step::Progress { product, report } => format!(
                    "{} {} fremdrift",
                    p.products[*product].progress[*report].get_ref().period_to,
                    p.products[*product].slug
                ),
            })
            .collect();
        assert_eq!(
            steps,
            vec![
                "2017-03-01 os2mo stadie",
                "2017-08-17 os2iot bestyrelsen: produkt",
                "2017-11-01 os2mo stadie",
                "2018-01-01 os2mo stadie",
                "2018-01-01 os2autoproces stadie",
                "2018-01-01 os2udoglaer stadie",
                "2018-04-01 os2faktor stadie",
                "2018-10-24 os2rollekatalog stadie",
                "2018-10-24 os2opgavefordeler stadie",
                "2018-12-31 os2datascanner stadie",
                "2019-01-01 os2mo niveau",
                "2019-01-01 os2kitos niveau",
                "2019-03-31 os2iot fremdrift",
                "2019-05-23 os2iot bestyrelsen: styregruppe",
                "2021-12-31 os2iot stadie",
            ]
        );
        // The progress report knows its line in the file.
        let iot = &p.products[index("os2iot")];
        let line = PORTFOLIO_TOML
            .lines()
            .position(|l| l.trim() == "[[product.progress]]")
            .unwrap()
            + 1;
        assert_eq!(
            iot.progress[0].get_ref().place,
            format!("data/demo/portfolio.toml:{line}")
        );
    }

    #[test]
    fn a_progress_report_is_refused_unless_the_product_is_a_project_then() {
        // After OS2iot became a product (2021-12-31), it no longer reports progress.
        let mut p = shipped().unwrap();
        let iot = p.products.iter_mut().find(|x| x.slug == "os2iot").unwrap();
        let report = iot.progress[0].get_mut();
        report.period_from = "2022-01-01".parse().unwrap();
        report.period_to = "2022-03-31".parse().unwrap();
        let place = report.place.clone();
        let err = plan(&p).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "{place}: product os2iot, progress report 2022-01-01 to 2022-03-31: the product is at produkt then; only a project (stage projekt) reports progress"
            )
        );
        assert!(place.starts_with("data/demo/portfolio.toml:"), "{place}");

        // A concept does not report progress either.
        let mut p = shipped().unwrap();
        let report = p
            .products
            .iter()
            .find(|x| x.slug == "os2iot")
            .unwrap()
            .progress[0]
            .clone();
        let bank = p
            .products
            .iter_mut()
            .find(|x| x.slug == "os2bankintegration")
            .unwrap();
        bank.progress.push(report);
        let err = plan(&p).unwrap_err().to_string();
        assert!(
            err.ends_with(
                "product os2bankintegration, progress report 2019-01-01 to 2019-03-31: the product is at koncept then; only a project (stage projekt) reports progress"
            ),
            "{err}"
        );
    }

    /// The stage `slug` is created at once its progress reports are left out.
    fn plan_initial_stage_if_reports_go(p: &Portfolio, slug: &str) -> Stage {
        let mut p = p.clone();
        let i = p.products.iter().position(|x| x.slug == slug).unwrap();
        p.products[i].progress.clear();
        plan(&p).unwrap().initial_stages[i]
    }

    #[test]
    fn board_cases_are_checked_before_anything_is_written() {
        let case = |p: &mut Portfolio| -> BoardCase {
            p.products
                .iter()
                .find(|x| x.slug == "os2iot")
                .unwrap()
                .cases[1]
                .clone()
        };
        let mut p = shipped().unwrap();
        let mut c = case(&mut p);
        c.meeting = "nowhere".into();
        p.products
            .iter_mut()
            .find(|x| x.slug == "os2iot")
            .unwrap()
            .cases[1] = c;
        assert_eq!(
            plan(&p).unwrap_err().to_string(),
            "product os2iot, board case 'Godkendelse af styregruppen for OS2iot': no board meeting with key 'nowhere'"
        );

        let mut p = shipped().unwrap();
        let mut c = case(&mut p);
        c.group = Some("Styregruppen for OS2mo".into());
        p.products
            .iter_mut()
            .find(|x| x.slug == "os2iot")
            .unwrap()
            .cases[1] = c;
        assert_eq!(
            plan(&p).unwrap_err().to_string(),
            "product os2iot, board case 'Godkendelse af styregruppen for OS2iot': the product has no group named 'Styregruppen for OS2mo'"
        );

        let mut p = shipped().unwrap();
        let mut c = case(&mut p);
        c.outcome = Some(BoardOutcome::Tilbageloeb);
        p.products
            .iter_mut()
            .find(|x| x.slug == "os2iot")
            .unwrap()
            .cases[1] = c;
        assert_eq!(
            plan(&p).unwrap_err().to_string(),
            "product os2iot, board case 'Godkendelse af styregruppen for OS2iot': a styregruppe case cannot be decided tilbageløb"
        );

        // A concept approved by the board becomes a project: the replay follows the
        // board's table, so OS2iot would be a concept until 23 May 2019, and its report
        // of the first quarter of 2019 comes from a concept.
        let mut p = shipped().unwrap();
        let mut c = case(&mut p);
        c.kind = BoardCaseKind::Koncept;
        c.group = None;
        p.products
            .iter_mut()
            .find(|x| x.slug == "os2iot")
            .unwrap()
            .cases[1] = c;
        let err = plan(&p).unwrap_err().to_string();
        assert!(
            err.ends_with(
                ": product os2iot, progress report 2019-01-01 to 2019-03-31: the product is at koncept then; only a project (stage projekt) reports progress"
            ),
            "{err}"
        );
        assert_eq!(
            plan_initial_stage_if_reports_go(&p, "os2iot"),
            Stage::Koncept
        );
        assert_eq!(
            board_move(BoardCaseKind::Koncept, BoardOutcome::Godkendt),
            Some((Stage::Koncept, Stage::Projekt))
        );
        assert_eq!(
            board_move(BoardCaseKind::Styregruppe, BoardOutcome::Godkendt),
            None
        );

        let mut p = shipped().unwrap();
        p.meetings[0].source = "referatet".into();
        assert_eq!(
            plan(&p).unwrap_err().to_string(),
            "board meeting bestyrelsesmoede-2017-08-17: source 'referatet' is not seeds/<file>:<line> or fixtures/<path>:<line>"
        );
    }

    #[test]
    fn parse_errors_name_line_and_column() {
        let text = "[meta]\ntitle = \"t\"\nnote = \"n\"\n\n[[organisation]]\nkey = \"a\"\nname = \"A\"\nkind = \"kommun\"\nsource = \"s\"\n";
        let err = parse(text, "x.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("x.toml:8:8: unknown variant `kommun`"),
            "{err}"
        );
        let err = parse(
            "[meta]\ntitle = \"t\"\nnote = \"n\"\ncolour = 1\n",
            "x.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("x.toml:4:1: unknown field `colour`"),
            "{err}"
        );
    }

    #[test]
    fn the_plan_refuses_decisions_that_do_not_follow_each_other() {
        let mut p = shipped().unwrap();
        let mo = p.products.iter_mut().find(|x| x.slug == "os2mo").unwrap();
        mo.decisions[1].from = Some("idé".into());
        let err = plan(&p).unwrap_err().to_string();
        assert_eq!(
            err,
            "product os2mo, decision of 2017-11-01: `from` is idé but the product is at pauset then"
        );

        let mut p = shipped().unwrap();
        let mo = p.products.iter_mut().find(|x| x.slug == "os2mo").unwrap();
        mo.stage = Stage::Lukket;
        let err = plan(&p).unwrap_err().to_string();
        assert_eq!(
            err,
            "product os2mo: the decisions end at stage produkt, but the product states stage lukket"
        );

        let mut p = shipped().unwrap();
        p.products[0].decisions[0].source = Some("bestyrelsen".into());
        let err = plan(&p).unwrap_err().to_string();
        assert_eq!(
            err,
            "product os2mo, decision of 2017-03-01: source 'bestyrelsen' is not seeds/<file>:<line> or fixtures/<path>:<line>"
        );

        let mut p = shipped().unwrap();
        p.products[0].participants[0].organisation = "nowhere".into();
        let err = plan(&p).unwrap_err().to_string();
        assert_eq!(
            err,
            "product os2mo, participant: no organisation with key 'nowhere'"
        );
    }

    #[test]
    fn texts_carry_the_marker_and_no_sources() {
        assert_eq!(
            with_marker(Some("Tekst. ")),
            "Tekst.\n\nEksempeldata (ikke OS2's officielle portefølje)."
        );
        assert_eq!(
            with_marker(None),
            "Eksempeldata (ikke OS2's officielle portefølje)."
        );
        // No text a user reads names a source file: the file's `source` lines stay in the
        // file.
        let p = shipped().unwrap();
        let mut texts: Vec<&str> = Vec::new();
        for o in &p.organisations {
            texts.extend(o.note.as_deref());
        }
        for x in &p.products {
            texts.extend(x.short_description.as_deref());
            texts.extend(x.long_description.as_deref());
            for d in &x.decisions {
                texts.push(&d.basis);
                texts.extend(d.reference.as_deref());
            }
            for a in &x.agreements {
                texts.push(&a.title);
                texts.extend(a.economy.as_deref());
            }
            for r in &x.reports {
                texts.extend(r.basis.as_deref());
                texts.extend(r.justification.as_deref());
                texts.extend(r.reference.as_deref());
            }
            for c in &x.cases {
                texts.push(&c.title);
                texts.push(&c.presentation);
                texts.extend(c.reasons.as_deref());
                texts.extend(c.reference.as_deref());
            }
            for r in &x.progress {
                texts.push(&r.get_ref().progress);
                texts.extend(r.get_ref().risks.as_deref());
            }
        }
        for m in &p.meetings {
            texts.push(&m.title);
            texts.extend(m.agenda.as_deref());
        }
        for t in texts {
            assert!(
                !t.contains("seeds/") && !t.contains("fixtures/") && !t.contains(".txt"),
                "{t}"
            );
        }
    }

    #[test]
    fn an_evaluation_needs_its_level_date_and_basis() {
        let mut p = shipped().unwrap();
        let faktor = p
            .products
            .iter_mut()
            .find(|x| x.slug == "os2faktor")
            .unwrap();
        faktor.reports[0].level = None;
        let err = plan(&p).unwrap_err().to_string();
        assert_eq!(
            err,
            "product os2faktor: the evaluation 'reports/evaluation-0.9-os2faktor-2025.md' needs `level`, `decided_on` and `basis`"
        );
    }
}
