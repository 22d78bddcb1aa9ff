//! The language of a page: Danish by default, English on request.
//!
//! In order: `?lang=` on the request (a link can name its language), the `niveau_lang`
//! cookie set by the language switch ([`switch`]), the browser's `Accept-Language`, and
//! Danish.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use niveau_report::Lang;
use serde::Deserialize;

/// The cookie that remembers the chosen language.
pub const COOKIE: &str = "niveau_lang";

/// The page's language (an extractor; it never fails).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(PageLang(negotiate(parts.uri.query(), &parts.headers)))
    }
}

/// The language for a request with this query string and these headers.
pub fn negotiate(query: Option<&str>, headers: &HeaderMap) -> Lang {
    if let Some(lang) = query.and_then(from_query) {
        return lang;
    }
    if let Some(lang) = from_cookie(headers) {
        return lang;
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(from_accept_language)
        .unwrap_or_default()
}

fn from_query(query: &str) -> Option<Lang> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "lang")
        .and_then(|(_, value)| value.parse().ok())
}

fn from_cookie(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == COOKIE)
        .and_then(|(_, value)| value.parse().ok())
}

/// The supported language the browser prefers most (`da-DK,da;q=0.9,en;q=0.8`); languages
/// with q=0 are refused, `*` is skipped.
pub fn from_accept_language(value: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let Ok(lang) = tag.parse::<Lang>() else {
            continue;
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

/// What the language switch receives.
#[derive(Debug, Deserialize)]
pub struct Switch {
    /// `da` or `en`.
    lang: String,
    /// The local page to return to.
    next: Option<String>,
}

/// `GET /sprog?lang=en&next=/produkter/os2mo`: remember the language in a cookie and go
/// back to the page. `next` must be a local path; anything else goes to the portfolio.
pub async fn switch(Query(switch): Query<Switch>) -> Response {
    let Ok(lang) = switch.lang.parse::<Lang>() else {
        return (StatusCode::BAD_REQUEST, "lang: da eller en / da or en").into_response();
    };
    let next = switch
        .next
        .filter(|n| is_local_path(n))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!(
        "{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(location), Ok(cookie)) =
        (HeaderValue::from_str(&next), HeaderValue::from_str(&cookie))
    {
        headers.insert(header::LOCATION, location);
        headers.insert(header::SET_COOKIE, cookie);
    }
    response
}

/// A path on this site: starts with one `/`, not `//` or `/\` (which browsers treat as
/// another host), and holds no control characters.
pub fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.starts_with("/\\")
        && !path.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn query_beats_cookie_beats_accept_language() {
        let h = headers(&[
            (header::COOKIE, "a=b; niveau_lang=en"),
            (header::ACCEPT_LANGUAGE, "da"),
        ]);
        assert_eq!(negotiate(Some("lang=da"), &h), Lang::Da);
        assert_eq!(negotiate(Some("q=x"), &h), Lang::En);
        let h = headers(&[(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,da;q=0.5")]);
        assert_eq!(negotiate(None, &h), Lang::En);
        assert_eq!(negotiate(None, &HeaderMap::new()), Lang::Da);
    }

    #[test]
    fn accept_language_weights() {
        assert_eq!(
            from_accept_language("de, en;q=0.4, da;q=0.7"),
            Some(Lang::Da)
        );
        assert_eq!(from_accept_language("en;q=0, da;q=0.1"), Some(Lang::Da));
        assert_eq!(from_accept_language("de, fr;q=0.8, *"), None);
        assert_eq!(from_accept_language(";;q=,,"), None);
    }

    #[test]
    fn only_local_paths() {
        assert!(is_local_path("/produkter/os2mo?x=1"));
        assert!(!is_local_path("//evil.example"));
        assert!(!is_local_path("/\\evil.example"));
        assert!(!is_local_path("https://evil.example"));
        assert!(!is_local_path("/a\nb"));
    }
}
