//! A product's wish list (`/produkter/{slug}/oensker`): the public summary of every wish
//! (title, state, priority, age, funding) for everyone on a published product, and the
//! need and who raised it for signed-in readers; filtered by open or closed and by state.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::wishes::{self, Detail, WishView};
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::types::WishState;
use niveau_store::wishes::WishFilter;
use serde::Deserialize;

use super::super::product_work::{in_lang, refusal};
use super::super::workspace::here;
use super::super::{Choice, Layout, non_empty, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::lang::PageLang;
use crate::state::AppState;

/// The list's filters.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `aabne` (open, the default), `lukkede` (delivered or rejected) or `alle`.
    #[serde(default)]
    vis: Option<String>,
    /// One state.
    #[serde(default)]
    status: Option<String>,
}

/// A wish's funding as a list or page shows it: a progress bar with its text.
pub struct Funding {
    /// "Fællesskabet betaler", "Ikke besluttet", …
    pub payer: String,
    /// "4.000 kr. af 10.000 kr." (empty without a target).
    pub text: String,
    /// The pledged share of the target, 0–100 (none without a target).
    pub percent: Option<i64>,
    /// Whether the funding is in place.
    pub funded: bool,
}

impl Funding {
    /// The funding of `v`.
    pub fn of(v: &WishView, lang: Lang) -> Funding {
        let w = &v.wish;
        let payer = match w.payer {
            Some(p) => super::payer(p, lang).to_owned(),
            None => lang.pick("Ikke besluttet", "Not decided").to_owned(),
        };
        let (text, percent) = match w.target_ore {
            Some(t) => (
                format!(
                    "{} {} {}",
                    super::kroner(v.pledged_ore, lang),
                    lang.pick("af", "of"),
                    super::kroner(t, lang)
                ),
                Some(if t > 0 {
                    (v.pledged_ore.saturating_mul(100) / t).clamp(0, 100)
                } else {
                    100
                }),
            ),
            None => (String::new(), None),
        };
        Funding {
            payer,
            text,
            percent,
            funded: v.funded,
        }
    }
}

/// One wish in the list.
struct Row {
    id: i32,
    title: String,
    state: String,
    priority: String,
    age_days: i64,
    funding: Funding,
    need: String,
    raised_by: String,
}

#[derive(Template)]
#[template(path = "wish_list.html")]
struct ListPage {
    layout: Layout,
    product: String,
    slug: String,
    rows: Vec<Row>,
    total: u64,
    details: bool,
    may_manage: bool,
    signed_in: bool,
    shows: Vec<Choice>,
    states: Vec<Choice>,
    new_href: String,
}

fn excerpt(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

/// `GET /produkter/{slug}/oensker`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/").to_owned();
    let show = non_empty(&q.vis).unwrap_or("aabne").to_owned();
    let chosen_state = non_empty(&q.status).and_then(WishState::parse);
    let filter = WishFilter {
        state: chosen_state,
        open: match show.as_str() {
            "lukkede" => Some(false),
            "alle" => None,
            _ if chosen_state.is_some() => None,
            _ => Some(true),
        },
        ..Default::default()
    };
    let (product, found) =
        match wishes::of_product(state.app(), auth.who(), &slug, &filter, &ListParams::all()).await
        {
            Ok(found) => found,
            Err(e) => return Ok(refusal(&state, &auth, lang, &path, e)),
        };
    let details = wishes::detail_for(auth.who(), product.id) >= Detail::Details;
    let names: HashMap<i32, String> = if details {
        niveau_app::organisations::all_current(state.app())
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect()
    } else {
        HashMap::new()
    };
    let rows = found
        .items
        .iter()
        .map(|v| {
            let w = &v.wish;
            let org = w.organisation_id.and_then(|i| names.get(&i)).cloned();
            Row {
                id: w.id,
                title: w.title.clone(),
                state: super::state(w.state, lang).to_owned(),
                priority: super::priority(w.priority, lang).to_owned(),
                age_days: v.age_days,
                funding: Funding::of(v, lang),
                need: excerpt(&w.need, 160),
                raised_by: match org {
                    Some(o) if !w.raised_by.is_empty() => format!("{}, {o}", w.raised_by),
                    Some(o) => o,
                    None => w.raised_by.clone(),
                },
            }
        })
        .collect();
    let shows = super::options(
        vec![
            (
                "aabne".into(),
                lang.pick("Åbne ønsker", "Open wishes").into(),
            ),
            (
                "lukkede".into(),
                lang.pick("Leverede og afviste", "Delivered and rejected")
                    .into(),
            ),
            ("alle".into(), lang.pick("Alle", "All").into()),
        ],
        &show,
    );
    let mut states = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle statusser", "Every state").to_owned(),
        selected: chosen_state.is_none(),
    }];
    states.extend(WishState::ALL.iter().map(|s| Choice {
        value: s.as_str().to_owned(),
        label: super::state(*s, lang).to_owned(),
        selected: Some(*s) == chosen_state,
    }));
    let title = format!(
        "{} – {}",
        lang.pick("Udviklingsønsker", "Development wishes"),
        product.name
    );
    Ok(render(&ListPage {
        layout: Layout::new(&state, &auth, lang, title, "portfolio", &path),
        new_href: in_lang(&format!("/produkter/{}/oensker/nyt", product.slug), lang),
        may_manage: auth.can(Action::ManageWishes(product.id)),
        signed_in: auth.0.is_some(),
        product: product.name,
        slug: product.slug,
        rows,
        total: found.total,
        details,
        shows,
        states,
    }))
}
