//! The built-in governance models (`/admin/modeller`, read-only): each with its
//! version, levels, number of themes and requirements, and source; and one model's
//! themes with their requirements (`/admin/modeller/{id}`). Models are TOML files
//! (docs/models.md) checked by `niveau model validate`; they are not edited here.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use niveau_model::{Model, Msg};

use super::{here, may_administer, refuse};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::lang::PageLang;
use crate::pages::{Layout, error_page, render};
use crate::state::AppState;

/// Where a model comes from.
struct SourceView {
    title: String,
    url: String,
    licence: String,
    attribution: String,
}

impl SourceView {
    fn of(model: &Model) -> SourceView {
        let s = model.source();
        SourceView {
            title: s.title.clone(),
            url: s.url.clone().unwrap_or_default(),
            licence: s.license.clone().unwrap_or_default(),
            attribution: s.attribution.clone().unwrap_or_default(),
        }
    }
}

/// A model in the list.
struct ModelRow {
    id: String,
    name: String,
    /// The language of the model's texts (`da`).
    language: String,
    version: String,
    levels: String,
    themes: usize,
    requirements: usize,
    source: SourceView,
}

/// A requirement on the model's page.
struct RequirementRow {
    id: String,
    text: String,
    level: String,
    obligation: &'static str,
}

/// A theme with its requirements.
struct ThemeBlock {
    id: String,
    name: String,
    requirements: Vec<RequirementRow>,
}

#[derive(Template)]
#[template(path = "admin_models.html")]
struct ModelsPage {
    layout: Layout,
    models: Vec<ModelRow>,
}

#[derive(Template)]
#[template(path = "admin_model.html")]
struct ModelPage {
    layout: Layout,
    id: String,
    language: String,
    version: String,
    description: String,
    levels: String,
    requirements: usize,
    source: SourceView,
    themes: Vec<ThemeBlock>,
}

fn level_names(model: &Model) -> String {
    model
        .levels()
        .iter()
        .map(|l| l.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `GET /admin/modeller`.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin/modeller");
    if let Some(answer) = refuse(&state, &auth, lang, path, may_administer(&auth)) {
        return Ok(answer);
    }
    let models = state
        .registry()
        .models()
        .iter()
        .map(|m| ModelRow {
            id: m.id().to_string(),
            name: m.name().to_owned(),
            language: m.language().to_owned(),
            version: m.version().to_owned(),
            levels: level_names(m),
            themes: m.themes().len(),
            requirements: m.requirements().len(),
            source: SourceView::of(m),
        })
        .collect();
    Ok(render(&ModelsPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Modeller", "Models"),
            "admin",
            path,
        ),
        models,
    }))
}

/// `GET /admin/modeller/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin/modeller");
    if let Some(answer) = refuse(&state, &auth, lang, path, may_administer(&auth)) {
        return Ok(answer);
    }
    let Ok(model) = state.registry().get(&id) else {
        return Ok(error_page(
            &state,
            &auth,
            lang,
            path,
            ApiError::not_found(Msg::new(
                format!("modellen {id}"),
                format!("the model {id}"),
            )),
        ));
    };
    let themes = model
        .themes()
        .iter()
        .map(|t| ThemeBlock {
            id: t.id.to_string(),
            name: t.name.clone(),
            requirements: model
                .requirements_in(&t.id)
                .map(|r| RequirementRow {
                    id: r.id.to_string(),
                    text: r.short_text.clone().unwrap_or_else(|| r.text.clone()),
                    level: model
                        .level(r.level.as_str())
                        .map(|l| l.name.clone())
                        .unwrap_or_else(|| r.level.to_string()),
                    obligation: lang.pick(r.obligation.label_da(), r.obligation.label_en()),
                })
                .collect(),
        })
        .collect();
    Ok(render(&ModelPage {
        layout: Layout::new(&state, &auth, lang, model.name().to_owned(), "admin", path),
        id: model.id().to_string(),
        language: model.language().to_owned(),
        version: model.version().to_owned(),
        description: model.description().unwrap_or_default().to_owned(),
        levels: level_names(model),
        requirements: model.requirements().len(),
        source: SourceView::of(model),
        themes,
    }))
}
