//! The secretariat's overview of the portfolio's wishes (`/oensker`): per product the open
//! wishes, the oldest one's age, how many are over the product's target, the median time
//! to delivery against the target; the wishes waiting for co-funding; and where wishes
//! wait (the median days per state). For readers of the portfolio.

use askama::Template;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use niveau_app::wishes::overview::{self, Overview};

use super::super::product_work::refusal;
use super::super::workspace::here;
use super::super::{Layout, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::lang::PageLang;
use crate::state::AppState;

struct ProductRow {
    slug: String,
    name: String,
    open: usize,
    oldest: String,
    over_target: usize,
    delivered: usize,
    median: String,
    target_days: i32,
    /// The median is over the target (said in words, not only by colour).
    late: bool,
    unfunded: usize,
}

struct UnfundedRow {
    id: i32,
    title: String,
    product: String,
    slug: String,
    target: String,
    pledged: String,
    age_days: i64,
}

struct StateRow {
    state: String,
    now: usize,
    stays: usize,
    median: String,
}

#[derive(Template)]
#[template(path = "wish_overview.html")]
struct OverviewPage {
    layout: Layout,
    products: Vec<ProductRow>,
    unfunded: Vec<UnfundedRow>,
    states: Vec<StateRow>,
    truncated: bool,
}

fn days(d: Option<i64>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "–".into())
}

/// `GET /oensker`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/oensker").to_owned();
    let o: Overview = match overview::overview(state.app(), auth.who()).await {
        Ok(o) => o,
        Err(e) => return Ok(refusal(&state, &auth, lang, &path, e)),
    };
    let products = o
        .products
        .iter()
        .map(|p| ProductRow {
            slug: p.slug.clone(),
            name: p.name.clone(),
            open: p.open,
            oldest: days(p.oldest_days),
            over_target: p.over_target,
            delivered: p.delivered,
            median: days(p.median_delivery_days),
            target_days: p.target_days,
            late: p
                .median_delivery_days
                .is_some_and(|m| m > i64::from(p.target_days)),
            unfunded: p.unfunded,
        })
        .collect();
    let unfunded = o
        .unfunded
        .iter()
        .map(|u| UnfundedRow {
            id: u.id,
            title: u.title.clone(),
            product: u.product.clone(),
            slug: u.slug.clone(),
            target: super::kroner(u.target_ore, lang),
            pledged: super::kroner(u.pledged_ore, lang),
            age_days: u.age_days,
        })
        .collect();
    let states = o
        .states
        .iter()
        .map(|s| StateRow {
            state: super::state(s.state, lang).to_owned(),
            now: s.now,
            stays: s.stays,
            median: days(s.median_days),
        })
        .collect();
    let title = lang.pick(
        "Udviklingsønsker i porteføljen",
        "Development wishes in the portfolio",
    );
    Ok(render(&OverviewPage {
        layout: Layout::new(&state, &auth, lang, title, "wishes", &path),
        products,
        unfunded,
        states,
        truncated: o.truncated,
    }))
}
