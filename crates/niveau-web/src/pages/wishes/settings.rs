//! The product group's settings for wishes (`/produkter/{slug}/oensker/indstillinger`):
//! the screening criteria (one per line; none means the built-in defaults), whether
//! pledges may exceed a wish's target, and the target days from raised to delivered.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use niveau_app::wishes;
use niveau_report::Lang;
use niveau_store::wishes::SettingsInput;

use super::super::product_work::{
    Errors, in_lang, is_internal, refusal, see_other, sends_away, status_of, with_status,
};
use super::super::{Layout, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{FormPost, NoticeQuery};
use crate::pages::lang::PageLang;
use crate::state::AppState;

/// What was typed.
#[derive(Debug, Default, Clone)]
struct Draft {
    criteria: String,
    overfunding: bool,
    target_days: String,
}

#[derive(Template)]
#[template(path = "wish_settings.html")]
struct SettingsPage {
    layout: Layout,
    product: String,
    slug: String,
    notice: String,
    version: i32,
    draft: Draft,
    errors: Errors,
    defaults: Vec<String>,
    own: bool,
    action: String,
}

async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    slug: &str,
    notice: String,
    typed: Option<(Draft, Errors)>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let path = in_lang(&format!("/produkter/{slug}/oensker/indstillinger"), lang);
    if let Err(e) = wishes::authorise_settings(state.app(), auth.who(), slug).await {
        return Ok(refusal(state, auth, lang, &path, e));
    }
    let (product, settings, criteria) = match wishes::settings(state.app(), auth.who(), slug).await
    {
        Ok(found) => found,
        Err(e) => return Ok(refusal(state, auth, lang, &path, e)),
    };
    let own = !settings.criteria.0.is_empty();
    let (draft, errors) = typed.unwrap_or_else(|| {
        (
            Draft {
                criteria: criteria.join("\n"),
                overfunding: settings.allow_overfunding,
                target_days: settings.target_days.to_string(),
            },
            Errors::default(),
        )
    });
    let title = format!(
        "{} – {}",
        lang.pick("Indstillinger for ønsker", "Settings for wishes"),
        product.name
    );
    let response = render(&SettingsPage {
        layout: Layout::new(state, auth, lang, title, "portfolio", &path),
        product: product.name,
        slug: product.slug,
        notice,
        version: settings.version,
        draft,
        errors,
        defaults: wishes::table::builtin().default_criteria.clone(),
        own,
        action: path,
    });
    Ok(with_status(response, status))
}

/// `GET /produkter/{slug}/oensker/indstillinger`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    Path(slug): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let notice = match q.notice() {
        Some("gemt") => lang.pick("Indstillingerne er gemt.", "The settings are saved."),
        _ => "",
    }
    .to_owned();
    show(&state, &auth, lang, &slug, notice, None, StatusCode::OK).await
}

/// `POST /produkter/{slug}/oensker/indstillinger`.
pub async fn save(
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
    let draft = Draft {
        criteria: fields.raw("criteria").to_owned(),
        overfunding: !fields.one("allow_overfunding").is_empty(),
        target_days: fields.one("target_days").to_owned(),
    };
    let days_l = lang.pick("Mål i dage", "Target in days");
    let target_days = match super::parse_number(&draft.target_days, lang) {
        Ok(Some(d)) if (1..=3650).contains(&d) => d as i32,
        Ok(_) => {
            let e = Errors(vec![super::at(
                "maal-dage",
                days_l,
                lang.pick(
                    "skriv et antal dage mellem 1 og 3650",
                    "give a number of days from 1 to 3650",
                ),
            )]);
            return show(
                &state,
                &auth,
                lang,
                &slug,
                String::new(),
                Some((draft, e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        Err(m) => {
            let e = Errors(vec![super::at("maal-dage", days_l, &m)]);
            return show(
                &state,
                &auth,
                lang,
                &slug,
                String::new(),
                Some((draft, e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let version = fields.one("version").parse::<i32>().ok().filter(|v| *v > 0);
    let input = SettingsInput {
        criteria: draft
            .criteria
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect(),
        allow_overfunding: draft.overfunding,
        target_days,
        version,
    };
    match wishes::put_settings(state.app(), auth.who(), &slug, &input).await {
        Ok(_) => Ok(see_other(
            &format!("/produkter/{slug}/oensker/indstillinger?besked=gemt"),
            lang,
        )),
        Err(e) if sends_away(&e) => Ok(refusal(&state, &auth, lang, &path, e)),
        Err(e) if is_internal(&e) => Err(e.into()),
        Err(e) => {
            let errors = super::refusal_at(
                &e,
                lang,
                &[
                    (
                        "criteria",
                        "kriterier",
                        lang.pick("Screeningskriterier", "Screening criteria"),
                    ),
                    ("target_days", "maal-dage", days_l),
                ],
                "kriterier",
            );
            let status = status_of(&e);
            show(
                &state,
                &auth,
                lang,
                &slug,
                String::new(),
                Some((draft, errors)),
                status,
            )
            .await
        }
    }
}
