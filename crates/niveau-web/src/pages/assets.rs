//! Static assets, embedded in the binary.
//!
//! Each asset is served under a name that carries a hash of its content
//! (`/static/niveau-3f2a9c1d.css`), with a year's `Cache-Control: immutable`: a browser
//! fetches it once per release, and a changed file gets a new name. Other names are 404.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// The style sheet.
const CSS: &str = include_str!("../../assets/niveau.css");

/// The style sheet's file name under /static/.
static CSS_NAME: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(CSS.as_bytes());
    format!("niveau-{}.css", hex::encode(&digest[..4]))
});

/// The script of the live forms (a progressive enhancement; see the file).
const JS: &str = include_str!("../../assets/live.js");

/// The script's file name under /static/.
static JS_NAME: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(JS.as_bytes());
    format!("niveau-{}.js", hex::encode(&digest[..4]))
});

/// The style sheet's URL path.
pub fn css_path() -> String {
    format!("/static/{}", CSS_NAME.as_str())
}

/// The live forms' script's URL path.
pub fn js_path() -> String {
    format!("/static/{}", JS_NAME.as_str())
}

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let (content_type, body) = if file == *CSS_NAME {
        ("text/css; charset=utf-8", CSS)
    } else if file == *JS_NAME {
        ("text/javascript; charset=utf-8", JS)
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_follows_the_content() {
        let path = css_path();
        assert!(
            path.starts_with("/static/niveau-") && path.ends_with(".css"),
            "{path}"
        );
        assert_eq!(path.len(), "/static/niveau-".len() + 8 + ".css".len());
        let js = js_path();
        assert!(
            js.starts_with("/static/niveau-") && js.ends_with(".js"),
            "{js}"
        );
        assert_ne!(js.trim_end_matches(".js"), path.trim_end_matches(".css"));
    }
}
