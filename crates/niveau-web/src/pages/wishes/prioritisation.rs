//! The coordination group's prioritisation view (`/produkter/{slug}/oensker/prioritering`):
//! the product's wishes ready for prioritisation, by rank (unranked last), with their
//! estimate, who pays and the funding, and their age; a rank field per wish posts
//! [`niveau_app::wishes::rank`] with the wish's version.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use niveau_app::wishes;
use niveau_report::Lang;
use niveau_store::entity::product;

use super::super::product_work::{
    in_lang, is_conflict, is_internal, message, refusal, see_other, sends_away, status_of,
    with_status,
};
use super::super::{Layout, render};
use super::list::Funding;
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{FormPost, NoticeQuery};
use crate::pages::lang::PageLang;
use crate::state::AppState;

struct Row {
    id: i32,
    version: i32,
    title: String,
    priority: String,
    rank: String,
    estimate: String,
    funding: Funding,
    age_days: i64,
    /// The rank as the form shows it (what was typed after a refusal).
    form_rank: String,
    error: String,
}

#[derive(Template)]
#[template(path = "wish_prioritisation.html")]
struct PrioritisationPage {
    layout: Layout,
    product: String,
    slug: String,
    notice: String,
    rows: Vec<Row>,
    action: String,
}

/// A refused rank: (wish, what was typed, the message).
type Refused = (i32, String, String);

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    slug: &str,
    notice: String,
    refused: Option<Refused>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let path = in_lang(&format!("/produkter/{slug}/oensker/prioritering"), lang);
    let (product, views): (product::Model, _) =
        match wishes::prioritisation(state.app(), auth.who(), slug).await {
            Ok(found) => found,
            Err(e) => return Ok(refusal(state, auth, lang, &path, e)),
        };
    let rows = views
        .iter()
        .map(|v| {
            let w = &v.wish;
            let stored = w.rank.map(|r| r.to_string()).unwrap_or_default();
            let (form_rank, error) = match &refused {
                Some((id, typed, message)) if *id == w.id => (typed.clone(), message.clone()),
                _ => (stored.clone(), String::new()),
            };
            Row {
                id: w.id,
                version: w.version,
                title: w.title.clone(),
                priority: super::priority(w.priority, lang).to_owned(),
                rank: if stored.is_empty() {
                    "–".into()
                } else {
                    stored
                },
                estimate: w
                    .estimate_ore
                    .map(|o| super::kroner(o, lang))
                    .unwrap_or_else(|| "–".into()),
                funding: Funding::of(v, lang),
                age_days: v.age_days,
                form_rank,
                error,
            }
        })
        .collect();
    let title = format!(
        "{} – {}",
        lang.pick("Prioritering af ønsker", "Prioritisation of wishes"),
        product.name
    );
    let response = render(&PrioritisationPage {
        layout: Layout::new(state, auth, lang, title, "portfolio", &path),
        action: path.clone(),
        product: product.name,
        slug: product.slug,
        notice,
        rows,
    });
    Ok(with_status(response, status))
}

/// `GET /produkter/{slug}/oensker/prioritering`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let notice = match q.notice() {
        Some("rang") => lang.pick("Rangen er gemt.", "The rank is saved."),
        _ => "",
    }
    .to_owned();
    show(&state, &auth, lang, &slug, notice, None, StatusCode::OK).await
}

/// `POST /produkter/{slug}/oensker/prioritering`: set one wish's rank (`wish`, `rank`,
/// `version`; an empty rank takes the wish out of the order).
pub async fn rank(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    if let Err(e) = wishes::authorise_settings(state.app(), auth.who(), &slug).await {
        return Ok(refusal(&state, &auth, lang, &path, e));
    }
    let Ok(id) = fields.one("wish").parse::<i32>() else {
        return Ok(refusal(
            &state,
            &auth,
            lang,
            &path,
            niveau_app::AppError::not_found(niveau_model::Msg::new("ønsket", "the wish")),
        ));
    };
    let typed = fields.one("rank").to_owned();
    let label = lang.pick("Rang", "Rank");
    let refuse = |message: String, status: StatusCode| {
        let (state, auth, slug, typed) = (&state, &auth, &slug, typed.clone());
        async move {
            show(
                state,
                auth,
                lang,
                slug,
                String::new(),
                Some((id, typed, format!("{label}: {message}"))),
                status,
            )
            .await
        }
    };
    let rank = match super::parse_number(&typed, lang) {
        Ok(Some(r)) if r < 1 || r > i64::from(i32::MAX) => {
            return refuse(
                lang.pick("skal være 1 eller mere", "must be 1 or more")
                    .into(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Ok(r) => r.and_then(|r| i32::try_from(r).ok()),
        Err(m) => return refuse(m, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let Ok(version) = fields.version(lang) else {
        return refuse(
            lang.pick(
                "formularen mangler ønskets version; hent siden igen",
                "the form lacks the wish's version; reload the page",
            )
            .into(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match wishes::rank(state.app(), auth.who(), id, version, rank).await {
        Ok(_) => Ok(see_other(
            &format!("/produkter/{slug}/oensker/prioritering?besked=rang"),
            lang,
        )),
        Err(e) if sends_away(&e) => Ok(refusal(&state, &auth, lang, &path, e)),
        Err(e) if is_internal(&e) => Err(e.into()),
        Err(e) => {
            let text = if is_conflict(&e) {
                super::conflict(lang)
            } else {
                message(&e, lang)
            };
            refuse(text, status_of(&e)).await
        }
    }
}
