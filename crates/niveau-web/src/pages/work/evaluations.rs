//! The list of evaluations (`/evalueringer`) and starting one (`POST /evalueringer`).

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_report::Lang;
use niveau_store::evaluations::EvaluationFilter;

use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{FormPost, see_other};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, error_page, labels, render, to_login};
use crate::state::AppState;
use niveau_app::evaluations;
use niveau_app::permissions::Action;
use niveau_app::visibility::{resolve_product, visible_products};

/// One evaluation in the list.
struct Row {
    id: i32,
    product: String,
    status: &'static str,
    version: i32,
    level: String,
    updated: String,
}

#[derive(Template)]
#[template(path = "evaluations.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<Row>,
    products: Vec<Choice>,
    can_evaluate: bool,
}

/// `GET /evalueringer`: the evaluations the caller may read, newest change first, and
/// (for the secretariat) a form to start one.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if auth.0.is_none() {
        return Ok(to_login(path));
    }
    let heads = evaluations::list(
        state.app(),
        auth.who(),
        EvaluationFilter::default(),
        &niveau_store::ListParams::all(),
    )
    .await?
    .items;
    let products = visible_products(state.store(), auth.who()).await?;
    let names: HashMap<i32, &str> = products.iter().map(|p| (p.id, p.name.as_str())).collect();
    let current = state.store().current_versions(&heads).await?;
    let mut rows = Vec::with_capacity(heads.len());
    for h in &heads {
        rows.push(Row {
            id: h.id,
            product: names
                .get(&h.product_id)
                .map(|n| (*n).to_owned())
                .unwrap_or_else(|| format!("#{}", h.product_id)),
            status: labels::evaluation_status(Some(h.status), lang),
            version: h.version,
            level: labels::level(
                current
                    .get(&h.id)
                    .and_then(|v| v.indicated_level.as_deref()),
                lang,
            ),
            updated: labels::date_time(h.updated_at),
        });
    }
    let can_evaluate = auth.can(Action::Evaluate);
    Ok(render(&ListPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Evalueringer", "Evaluations"),
            "evaluations",
            path,
        ),
        rows,
        products: products
            .iter()
            .filter(|p| !p.archived)
            .map(|p| Choice {
                value: p.slug.clone(),
                label: p.name.clone(),
                selected: false,
            })
            .collect(),
        can_evaluate,
    }))
}

/// `POST /evalueringer` with `produkt` (a slug): a new draft with proposed ratings from
/// the product's newest self-evaluation, the latest scan and the portfolio registry.
pub async fn create(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        path,
        fields,
    } = post;
    let result = async {
        auth.require(Action::Evaluate)?;
        let product = resolve_product(state.store(), auth.who(), fields.one("produkt")).await?;
        // One open evaluation per product: starting another shows the open one.
        if let Some(open) = evaluations::open_evaluation(state.app(), auth.who(), &product).await? {
            return Ok(see_other(&format!(
                "/evalueringer/{}?besked=findes",
                open.id
            )));
        }
        // Without a self-evaluation the draft is made in the product's official model (or
        // OS2's current one), with proposals from the scan and the portfolio only.
        let created = evaluations::start_draft(state.app(), auth.who(), &product).await?;
        Ok::<Response, ApiError>(see_other(&format!(
            "/evalueringer/{}?besked=oprettet",
            created.head.id
        )))
    }
    .await;
    Ok(match result {
        Ok(r) => r,
        // No self-evaluation to answer, say: the message names what is missing.
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            error_with_message(&state, &auth, lang, &path, e)
        }
        Err(e) => error_page(&state, &auth, lang, &path, e),
    })
}

/// An error page that shows the refusal's own message (it names what is missing).
fn error_with_message(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    e: ApiError,
) -> Response {
    crate::pages::message_page(
        state,
        auth,
        lang,
        path,
        e.status,
        lang.pick(
            "Kan ikke oprette evalueringen",
            "Cannot create the evaluation",
        ),
        e.message_in(lang),
    )
}
