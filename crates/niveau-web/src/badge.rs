//! /badge/{slug}.svg: a product's official level as an embeddable badge.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use niveau_report::lang::Lang;

use crate::state::AppState;

/// The badge of a published product. Unknown or unpublished products get 404.
pub async fn badge(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(slug) = file.strip_suffix(".svg") else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let product = match state.store().product_by_slug(slug).await {
        Ok(p) if p.published && !p.archived => p,
        _ => return (StatusCode::NOT_FOUND, "not found\n").into_response(),
    };
    // The level id ("2", "sandkasse") is what the badge shows after "OS2 niveau".
    let label = product.official_level.as_deref();
    let svg = niveau_report::svg::level_badge(label, Lang::Da);
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        svg,
    )
        .into_response()
}
