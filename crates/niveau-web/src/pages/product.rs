//! A product's page (`/produkter/{slug}`): description, links, licence, who takes part
//! in which role, groups, agreements, the official level with its history from the
//! decision log, and the latest published evaluation with its ratings, count table and
//! charts. Organisations and roles are public; people are shown to logged-in readers only.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use niveau_app::ErrorKind;
use niveau_model::{Msg, RatingEntry};
use niveau_report::Lang;
use niveau_report::export::html::user_markdown;

use super::lang::PageLang;
use super::{Layout, labels, ratings, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// A participant as shown.
struct Participant {
    name: String,
    organisation_id: String,
    kind: String,
    role: String,
    since: String,
}

/// A group as shown.
struct Group {
    name: String,
    kind: String,
    members: Vec<String>,
}

/// An agreement as shown.
struct Agreement {
    title: String,
    kind: String,
    period: String,
    parties: String,
    economy: String,
    document_url: String,
}

/// A decision as shown.
struct Decision {
    date: String,
    what: String,
    decided_by: String,
    basis: String,
    reference: String,
}

/// One requirement of the evaluation.
struct Rated {
    id: String,
    text: String,
    rating: String,
    class: &'static str,
    basis: String,
    recommendation: String,
}

/// The latest published evaluation as shown.
struct Evaluation {
    /// The evaluation's id (the downloads of one evaluation: `evaluering-ID.EXT`).
    id: i32,
    /// `/produkter/SLUG`, for the downloads.
    download_base: String,
    published: String,
    model: String,
    indicated: String,
    /// Who finalised it ("Evaluering lavet af").
    evaluated_by: String,
    counts: Vec<ratings::CountRow>,
    pies: String,
    bars: String,
    requirements: Vec<Rated>,
}

#[derive(Template)]
#[template(path = "product.html")]
struct ProductPage {
    layout: Layout,
    name: String,
    short_description: String,
    description_html: String,
    stage: &'static str,
    level: String,
    level_class: &'static str,
    target: String,
    badge_svg: String,
    website: String,
    license: String,
    repositories: Vec<String>,
    participants: Vec<Participant>,
    groups: Vec<Group>,
    agreements: Vec<Agreement>,
    decisions: Vec<Decision>,
    evaluation: Option<Evaluation>,
    /// Every published evaluation, newest first: (id, date), for the downloads.
    published: Vec<(i32, String)>,
    show_people: bool,
    can_edit_self_evaluation: bool,
    can_evaluate: bool,
    /// May change the product's fields and participants (its editors, the secretariat).
    can_edit: bool,
    /// May ask for a scan of its repositories.
    can_request_scan: bool,
    /// The newest scan (logged-in readers).
    latest_scan: Option<super::product_work::LatestScan>,
    /// The product's open development wishes (a count; the list is its own page).
    open_wishes: u64,
    slug: String,
    /// Issue 14: the suppliers per role (none when no supplier role is filled).
    suppliers: Option<super::suppliers::SupplierRow>,
    /// The supplier roles' headings.
    supplier_roles: Vec<&'static str>,
}

/// `GET /produkter/{slug}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let view = match niveau_app::products::view(state.app(), auth.who(), &slug).await {
        Ok(view) => view,
        Err(error) => return Ok(super::error_page(&state, &auth, lang, path, error.into())),
    };
    let data = &view.page;
    let show_people = auth.can(Action::ReadPortfolio);
    let orgs: HashMap<i32, &niveau_store::entity::organisation::Model> =
        data.organisations.iter().map(|o| (o.id, o)).collect();
    let org_name = |id: Option<i32>| {
        id.and_then(|id| orgs.get(&id))
            .map(|o| o.name.clone())
            .unwrap_or_default()
    };
    let person_names = &view.people;
    let who = |org: Option<i32>, person: Option<i32>| -> Option<String> {
        let org = org_name(org);
        let person = person.and_then(|p| person_names.get(&p).cloned());
        match (person, org.is_empty()) {
            (Some(p), true) => Some(p),
            (Some(p), false) => Some(format!("{p}, {org}")),
            (None, false) => Some(org),
            (None, true) => None,
        }
    };
    let participants = data
        .participants
        .iter()
        .filter_map(|p| {
            let name = who(p.organisation_id, p.person_id)?;
            let kind = p
                .organisation_id
                .and_then(|id| orgs.get(&id))
                .map(|o| labels::org_kind(o.kind, lang).to_owned())
                .unwrap_or_default();
            Some(Participant {
                name,
                organisation_id: p
                    .organisation_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                kind,
                role: labels::role(p.role, lang),
                since: p.since.map(|d| d.to_string()).unwrap_or_default(),
            })
        })
        .collect();
    let groups = data
        .groups
        .iter()
        .map(|g| Group {
            name: g.group.name.clone(),
            kind: labels::group_kind(g.group.kind, lang).to_owned(),
            members: g
                .members
                .iter()
                .filter_map(|m| {
                    who(m.organisation_id, m.person_id)
                        .map(|name| format!("{name} ({})", labels::group_role(m.role, lang)))
                })
                .collect(),
        })
        .collect();
    let agreements = data
        .agreements
        .iter()
        .map(|a| Agreement {
            title: a.agreement.title.clone(),
            kind: labels::agreement_kind(a.agreement.kind, lang).to_owned(),
            period: match (a.agreement.starts_on, a.agreement.ends_on) {
                (Some(s), Some(e)) => format!("{s} – {e}"),
                (Some(s), None) => format!("{} {s}", lang.pick("fra", "from")),
                (None, Some(e)) => format!("{} {e}", lang.pick("til", "until")),
                (None, None) => String::new(),
            },
            parties: a
                .parties
                .iter()
                .map(|p| org_name(Some(p.organisation_id)))
                .collect::<Vec<_>>()
                .join(", "),
            economy: a.agreement.economy.clone().unwrap_or_default(),
            document_url: a.agreement.document_url.clone().unwrap_or_default(),
        })
        .collect();
    let decisions = data
        .decisions
        .iter()
        .map(|d| Decision {
            date: d.decided_on.to_string(),
            what: labels::decision(d, lang),
            decided_by: labels::decided_by(d.decided_by, lang).to_owned(),
            basis: d.basis.clone(),
            reference: d.reference.clone().unwrap_or_default(),
        })
        .collect();
    let evaluation = match &view.latest_published {
        Some(latest) => published_evaluation(&state, latest, &data.product.slug, lang)?,
        None => None,
    };
    let published = view
        .published
        .iter()
        .map(|e| {
            (
                e.id,
                e.published_at
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let p = &data.product;
    let open_wishes = niveau_app::wishes::of_product(
        state.app(),
        auth.who(),
        &p.slug,
        &niveau_store::wishes::WishFilter {
            open: Some(true),
            ..Default::default()
        },
        &niveau_store::ListParams {
            limit: Some(1),
            ..Default::default()
        },
    )
    .await
    .map(|(_, page)| page.total)
    .unwrap_or(0);
    let latest_scan =
        super::product_work::latest_for_product_page(&state, &auth, p.id, lang).await?;
    // Issue 14: the product's suppliers (the public sees the roles without the flags
    // about partner agreements; of_product leaves them out).
    let suppliers = niveau_app::suppliers::of_product(state.app(), auth.who(), &p.slug).await?;
    let suppliers = (suppliers.organisations > 0).then(|| super::suppliers::row(&suppliers, lang));
    Ok(render(&ProductPage {
        layout: Layout::new(&state, &auth, lang, p.name.clone(), "portfolio", path),
        name: p.name.clone(),
        short_description: p.short_description.clone(),
        description_html: user_markdown(&p.long_description),
        stage: labels::stage(p.stage, lang),
        level: labels::level(p.official_level.as_deref(), lang),
        level_class: labels::level_class(p.official_level.as_deref()),
        target: p
            .target_level
            .as_deref()
            .map(|t| labels::level(Some(t), lang))
            .unwrap_or_default(),
        badge_svg: niveau_report::svg::level_badge(p.official_level.as_deref(), lang),
        website: p.website.clone().unwrap_or_default(),
        license: p.license.clone().unwrap_or_default(),
        repositories: p.repositories.0.clone(),
        participants,
        groups,
        agreements,
        decisions,
        evaluation,
        published,
        show_people,
        can_edit_self_evaluation: auth.can(Action::SubmitSelfEvaluation(p.id)),
        can_evaluate: auth.can(Action::Evaluate),
        can_edit: auth.can(Action::EditProduct(p.id)),
        can_request_scan: auth.can(Action::RequestScan(p.id)),
        latest_scan,
        open_wishes,
        slug: p.slug.clone(),
        suppliers,
        supplier_roles: super::suppliers::role_headings(lang),
    }))
}

/// The newest published evaluation with its ratings, counts and charts.
fn published_evaluation(
    state: &AppState,
    view: &niveau_store::evaluations::EvaluationView,
    slug: &str,
    lang: Lang,
) -> Result<Option<Evaluation>, ApiError> {
    let Ok(model) = state.registry().get(&view.head.model_id) else {
        tracing::warn!(model = %view.head.model_id, "a published evaluation names an unknown model");
        return Ok(None);
    };
    let entries = ratings::entries(view)?;
    let (counts, pies, bars) =
        ratings::counts_and_charts(model, &niveau_model::evaluation::ratings_of(&entries), lang);
    let by_id: HashMap<&str, &RatingEntry> = entries
        .iter()
        .map(|e| (e.requirement.as_str(), e))
        .collect();
    let requirements = model
        .requirements()
        .iter()
        .map(|r| {
            let entry = by_id.get(r.id.as_str());
            let rating = entry.and_then(|e| e.rating);
            Rated {
                id: r.id.to_string(),
                text: r.short_text.clone().unwrap_or_else(|| r.text.clone()),
                rating: ratings::label(rating, lang),
                class: ratings::class(rating),
                basis: entry.and_then(|e| e.basis.clone()).unwrap_or_default(),
                recommendation: entry
                    .and_then(|e| e.recommendation.clone())
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(Some(Evaluation {
        id: view.head.id,
        download_base: format!("/produkter/{slug}"),
        published: view
            .head
            .published_at
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        model: model.name().to_owned(),
        indicated: labels::level(view.current.indicated_level.as_deref(), lang),
        evaluated_by: view
            .head
            .evaluated_by
            .clone()
            .unwrap_or_else(|| view.current.created_by.clone()),
        counts,
        pies,
        bars,
        requirements,
    }))
}

#[derive(Template)]
#[template(path = "published_evaluation.html")]
struct PublishedEvaluationPage {
    layout: Layout,
    name: String,
    slug: String,
    e: Evaluation,
}

/// `GET /produkter/{slug}/evalueringer/{id}`: one published evaluation of the product
/// with its ratings, counts, charts and downloads, for everyone who may see the product.
/// The static site's permanent address of an evaluation is this page.
pub async fn evaluation_page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let Ok(id) = id.parse::<i32>() else {
        let what = Msg::new(format!("evalueringen {id}"), format!("the evaluation {id}"));
        return Ok(super::error_page(
            &state,
            &auth,
            lang,
            path,
            ApiError::not_found(what),
        ));
    };
    let found =
        niveau_app::products::published_evaluation(state.app(), auth.who(), &slug, Some(id)).await;
    let (product, view) = match found {
        Ok(found) => found,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(super::error_page(&state, &auth, lang, path, e.into()));
        }
        Err(e) => return Err(e.into()),
    };
    let Some(e) = published_evaluation(&state, &view, &product.slug, lang)? else {
        let what = Msg::new(format!("evalueringen {id}"), format!("the evaluation {id}"));
        return Ok(super::error_page(
            &state,
            &auth,
            lang,
            path,
            ApiError::not_found(what),
        ));
    };
    let title = format!(
        "{} – {} {}",
        product.name,
        lang.pick("evaluering", "evaluation"),
        e.published
    );
    Ok(render(&PublishedEvaluationPage {
        layout: Layout::new(&state, &auth, lang, title, "portfolio", path),
        name: product.name,
        slug: product.slug,
        e,
    }))
}

/// `GET /produkter/{slug}/{file}` with `file` one of `evaluering.md` (OS2's official
/// evaluation report 0.9.2), `evaluering.json` (Niveau's `niveau.report/1`) and
/// `evaluering.csv` (one row per requirement) and `evaluering.pdf` (for board papers, in
/// the page's language): the latest published evaluation, for everyone who may see the
/// product.
pub async fn download(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path((slug, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    // `evaluering.EXT` is the newest published evaluation, `evaluering-ID.EXT` any
    // published one of the product.
    let (stem, ext) = file.rsplit_once('.').unwrap_or((file.as_str(), ""));
    let wanted: Option<Option<i32>> = match stem.strip_prefix("evaluering") {
        Some("") => Some(None),
        Some(rest) => rest
            .strip_prefix('-')
            .and_then(|id| id.parse::<i32>().ok())
            .map(Some),
        None => None,
    };
    let (content_type, ext) = match (wanted, ext) {
        (Some(_), "md") => ("text/markdown; charset=utf-8", "md"),
        (Some(_), "json") => ("application/json", "json"),
        (Some(_), "csv") => ("text/csv; charset=utf-8", "csv"),
        (Some(_), "pdf") => ("application/pdf", "pdf"),
        _ => {
            return Ok(super::error_page(
                &state,
                &auth,
                lang,
                path,
                ApiError::not_found(Msg::new(
                    format!("filen {file}"),
                    format!("the file {file}"),
                )),
            ));
        }
    };
    let found = niveau_app::products::published_evaluation(
        state.app(),
        auth.who(),
        &slug,
        wanted.flatten(),
    )
    .await;
    let (product, view) = match found {
        Ok(found) => found,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(super::error_page(&state, &auth, lang, path, e.into()));
        }
        Err(e) => return Err(e.into()),
    };
    let model = state
        .registry()
        .get(&view.head.model_id)
        .map_err(|e| ApiError::internal(&e))?;
    let report = ratings::evaluation_report(&product, &view, model)?;
    let body: Vec<u8> = match ext {
        "pdf" => {
            // Typesetting takes a while: off the async workers. The PDF is dated by the
            // evaluation, so one evaluation always gives the same bytes (the static
            // site's permanent files do not change from one publication to the next).
            let model = model.clone();
            let today = report
                .date()
                .unwrap_or_else(|| state.app().store().now().date_naive());
            tokio::task::spawn_blocking(move || {
                niveau_report::pdf::evaluation(&report, &model, lang, today)
            })
            .await
            .map_err(|e| ApiError::internal(&e))?
            .map_err(|e| ApiError::internal(&e))?
        }
        "md" => niveau_report::export::official_markdown(&report, model)
            .map_err(|e| ApiError::internal(&e))?
            .into_bytes(),
        "json" => niveau_report::export::json(&report)
            .map_err(|e| ApiError::internal(&e))?
            .into_bytes(),
        _ => niveau_report::export::csv::render(&report, model)
            .map_err(|e| ApiError::internal(&e))?
            .into_bytes(),
    };
    let disposition = format!(
        "attachment; filename=\"{}-evaluering-{}.{ext}\"",
        product.slug,
        view.head
            .published_at
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    );
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
