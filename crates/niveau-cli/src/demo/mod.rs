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
//! - A product is created at the stage *before* its first `stadie` decision (that
//!   decision's `from`), or at its stated stage when it has none; the decisions are then
//!   recorded in date order, and each must start where the product stands, so the
//!   decision log ends at the stage the file states.
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
use niveau_app::{App, accounts, agreements, decisions, groups, organisations, products};

pub mod published;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_store::agreements::{AgreementInput, PartyInput};
use niveau_store::audit::AuditFilter;
use niveau_store::decisions::DecisionInput;
use niveau_store::groups::{GroupInput, MemberInput};
use niveau_store::organisations::{OrganisationFilter, OrganisationInput};
use niveau_store::products::{ParticipantInput, ProductFilter, ProductInput};
use niveau_store::types::{
    AgreementKind, DecidedBy, DecisionKind, GroupKind, GroupRole, OrgKind, ParticipantRole, Stage,
};
use niveau_store::{ListParams, Store};
use serde::Deserialize;

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
    toml::from_str(text).map_err(|e| {
        let place = match e.span() {
            Some(span) => {
                let (line, column) = line_column(text, span.start);
                format!("{file}:{line}:{column}")
            }
            None => file.to_string(),
        };
        anyhow!("{place}: {}", e.message())
    })
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

/// What will be written: the stage each product is created at and the decisions in
/// date order.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The stage each product is created at, by index.
    pub initial_stages: Vec<Stage>,
    /// Every decision, by date (ties in file order).
    pub decisions: Vec<PlannedDecision>,
}

/// Check that `source` lists references of the form `seeds/<file>:<line>` or
/// `fixtures/<path>:<line>` (`<line>` a number), comma-separated.
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

/// Check every reference and replay the stage changes; nothing is written.
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
    let mut slugs = HashMap::new();
    let mut initial_stages = Vec::new();
    let mut decisions = Vec::new();
    for (pi, product) in portfolio.products.iter().enumerate() {
        let slug = product.slug.as_str();
        if slugs.insert(slug, pi).is_some() {
            bail!("product '{slug}' is listed twice");
        }
        check_source(&product.source, &format!("product {slug}"))?;
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
        let mut own: Vec<&Decision> = product.decisions.iter().collect();
        own.sort_by_key(|d| d.decided_on);
        let stage_changes: Vec<&&Decision> = own
            .iter()
            .filter(|d| d.kind == DecisionKind::Stadie)
            .collect();
        let initial = match stage_changes.first() {
            Some(first) => {
                let from = first.from.as_deref().ok_or_else(|| {
                    anyhow!(
                        "product {slug}, decision of {}: a stadie decision needs `from`",
                        first.decided_on
                    )
                })?;
                parse_stage(from, slug, first.decided_on)?
            }
            None => product.stage,
        };
        let mut current = initial;
        for d in &stage_changes {
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
        if current != product.stage {
            bail!(
                "product {slug}: the decisions end at stage {current}, but the product states stage {}",
                product.stage
            );
        }
        initial_stages.push(initial);
        decisions.extend(own.into_iter().map(|d| PlannedDecision {
            product: pi,
            decision: d.clone(),
        }));
    }
    for g in &portfolio.groups {
        for m in &g.members {
            check_org(&m.organisation, &format!("group '{}'", g.name))?;
        }
    }
    // Stable: decisions of the same day keep the file's order.
    decisions.sort_by_key(|d| d.decision.decided_on);
    Ok(Plan {
        initial_stages,
        decisions,
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
            load_group(app, who, Some(created.id), g, &org, &mut summary)
                .await
                .with_context(|| format!("product {slug}, group '{}'", g.name))?;
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

    for planned in &plan.decisions {
        let product = &portfolio.products[planned.product];
        let d = &planned.decision;
        let reference = Some(match &d.reference {
            Some(r) => format!("{r} ({MARKER})"),
            None => MARKER.to_string(),
        });
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
                reference,
            },
        )
        .await
        .with_context(|| format!("product {}, decision of {}", product.slug, d.decided_on))?;
        summary.decisions += 1;
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
    Ok(summary)
}

async fn load_group(
    app: &App,
    who: Caller<'_>,
    product_id: Option<i32>,
    g: &Group,
    org: &impl Fn(&str) -> Result<i32>,
    summary: &mut Summary,
) -> Result<()> {
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
    Ok(())
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
            "{}: {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}, {} {}",
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

    #[test]
    fn the_shipped_file_parses_and_plans() {
        let p = shipped().unwrap();
        assert_eq!(p.organisations.len(), 21);
        assert_eq!(p.products.len(), 12);
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
        let dates: Vec<String> = plan
            .decisions
            .iter()
            .map(|d| format!("{} {}", d.decision.decided_on, p.products[d.product].slug))
            .collect();
        assert_eq!(
            dates,
            vec![
                "2017-03-01 os2mo",
                "2017-11-01 os2mo",
                "2018-01-01 os2mo",
                "2018-01-01 os2autoproces",
                "2018-01-01 os2udoglaer",
                "2018-04-01 os2faktor",
                "2018-10-24 os2rollekatalog",
                "2018-10-24 os2opgavefordeler",
                "2018-12-31 os2datascanner",
                "2019-01-01 os2mo",
                "2019-01-01 os2kitos",
                "2019-05-23 os2iot",
                "2021-12-31 os2iot",
            ]
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
