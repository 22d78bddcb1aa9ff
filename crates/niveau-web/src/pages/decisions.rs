//! The decision log (`/beslutninger`): every decision by year, newest first, with
//! filters for product and kind. Public: anonymous visitors see decisions about
//! published products and decisions that concern no product.

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use chrono::Datelike;
use niveau_app::{decisions, visibility};
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::decisions::DecisionFilter;
use niveau_store::types::DecisionKind;
use serde::Deserialize;

use super::lang::PageLang;
use super::product_work::Errors;
use super::product_work::decision::{self, DecisionForm};
use super::{Choice, Layout, labels, non_empty, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The query of the page.
#[derive(Debug, Default, Deserialize)]
pub struct DecisionQuery {
    /// A year, or empty for all.
    #[serde(default)]
    year: Option<String>,
    /// A product slug, or empty.
    #[serde(default)]
    product: Option<String>,
    /// A kind (Danish value), or empty.
    #[serde(default)]
    kind: Option<String>,
    /// A confirmation after recording a decision (`registreret`).
    #[serde(default)]
    besked: Option<String>,
}

/// A decision as shown.
struct Row {
    date: String,
    product_name: String,
    product_slug: String,
    what: String,
    decided_by: &'static str,
    basis: String,
    reference: String,
}

/// One year of decisions.
struct Year {
    year: i32,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "decisions.html")]
struct DecisionsPage {
    layout: Layout,
    years: Vec<Year>,
    year_choices: Vec<Choice>,
    products: Vec<Choice>,
    kinds: Vec<Choice>,
    count: usize,
    problems: Vec<String>,
    /// The form for recording a decision, for those who may.
    form: Option<DecisionForm>,
}

/// `GET /beslutninger`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<DecisionQuery>,
) -> Result<Response, ApiError> {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/beslutninger");
    let products = visibility::visible_products(state.store(), auth.who()).await?;
    let notice = match query.besked.as_deref() {
        Some("registreret") => lang
            .pick(
                "Beslutningen er registreret i loggen.",
                "The decision is recorded in the log.",
            )
            .to_owned(),
        _ => String::new(),
    };
    let form = decision::form(
        &state,
        &auth,
        lang,
        &products,
        None,
        Errors::default(),
        notice,
    );
    show(&state, &auth, lang, path, query, form, StatusCode::OK).await
}

/// The decision log as [`page`] shows it, with the decision `form` (kept after a refused
/// post), answered with `status`.
pub async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    query: DecisionQuery,
    form: Option<DecisionForm>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let mut problems = Vec::new();
    // The products a visitor may see, for names and the product filter.
    let products = visibility::visible_products(state.store(), auth.who()).await?;
    let mut filter = DecisionFilter::default();
    if let Some(slug) = non_empty(&query.product) {
        match products.iter().find(|p| p.slug == slug) {
            Some(p) => filter.product_id = Some(p.id),
            None => problems.push(format!(
                "{} «{slug}»",
                lang.pick("Ukendt produkt:", "Unknown product:")
            )),
        }
    }
    if let Some(kind) = non_empty(&query.kind) {
        match DecisionKind::parse(kind) {
            Some(k) => filter.kind = Some(k),
            None => problems.push(format!(
                "{} «{kind}»",
                lang.pick("Ukendt slags beslutning:", "Unknown kind of decision:")
            )),
        }
    }
    let wanted_year = match non_empty(&query.year) {
        None => None,
        Some(y) => match y.parse::<i32>() {
            Ok(y) => Some(y),
            Err(_) => {
                problems.push(format!(
                    "{} «{y}»",
                    lang.pick("Ukendt år:", "Unknown year:")
                ));
                None
            }
        },
    };
    let decisions = if problems.is_empty() {
        // The public sees only decisions about products it may see (the operation's rule).
        decisions::list(state.app(), auth.who(), filter.clone(), &ListParams::all())
            .await?
            .items
    } else {
        Vec::new()
    };
    let all_years: BTreeSet<i32> = decisions.iter().map(|d| d.decided_on.year()).collect();
    let names: HashMap<i32, (&str, &str)> = products
        .iter()
        .map(|p| (p.id, (p.name.as_str(), p.slug.as_str())))
        .collect();
    let mut years: Vec<Year> = Vec::new();
    let mut count = 0;
    for d in &decisions {
        let year = d.decided_on.year();
        if wanted_year.is_some_and(|w| w != year) {
            continue;
        }
        let (product_name, product_slug) = d
            .product_id
            .and_then(|id| names.get(&id).copied())
            .unwrap_or((lang.pick("Fællesskabet", "The community"), ""));
        let row = Row {
            date: d.decided_on.to_string(),
            product_name: product_name.to_owned(),
            product_slug: product_slug.to_owned(),
            what: labels::decision(d, lang),
            decided_by: labels::decided_by(d.decided_by, lang),
            basis: d.basis.clone(),
            reference: d.reference.clone().unwrap_or_default(),
        };
        count += 1;
        match years.last_mut() {
            Some(y) if y.year == year => y.rows.push(row),
            _ => years.push(Year {
                year,
                rows: vec![row],
            }),
        }
    }
    let mut year_choices = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle år", "All years").into(),
        selected: wanted_year.is_none(),
    }];
    year_choices.extend(all_years.iter().rev().map(|y| Choice {
        value: y.to_string(),
        label: y.to_string(),
        selected: wanted_year == Some(*y),
    }));
    let mut product_choices = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle produkter", "All products").into(),
        selected: filter.product_id.is_none(),
    }];
    product_choices.extend(products.iter().map(|p| Choice {
        value: p.slug.clone(),
        label: p.name.clone(),
        selected: filter.product_id == Some(p.id),
    }));
    let mut kinds = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle slags", "All kinds").into(),
        selected: filter.kind.is_none(),
    }];
    kinds.extend(DecisionKind::ALL.iter().map(|k| Choice {
        value: k.as_str().into(),
        label: labels::decision_kind(*k, lang).into(),
        selected: filter.kind == Some(*k),
    }));
    let mut response = render(&DecisionsPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Beslutningsloggen", "The decision log"),
            "decisions",
            path,
        ),
        years,
        year_choices,
        products: product_choices,
        kinds,
        count,
        problems,
        form,
    });
    if response.status() == StatusCode::OK {
        *response.status_mut() = status;
    }
    Ok(response)
}
