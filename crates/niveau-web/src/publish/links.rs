//! Links of the static site: which live paths are published where, and the HTML-aware
//! rewrite of a rendered page's links into relative ones (`lol_html`).

use std::collections::{BTreeMap, BTreeSet};

use lol_html::html_content::Element;
use lol_html::{RewriteStrSettings, element, rewrite_str};
use niveau_report::Lang;

use super::lang_prefix;

/// Live path → file of the static site.
#[derive(Debug, Default)]
pub struct LinkMap {
    /// Pages with a file in each language tree (`statistik/index.html` under the root
    /// and under `en/`).
    pages: BTreeMap<String, String>,
    /// Language-neutral files (downloads, badges, assets), at the root only.
    neutral: BTreeMap<String, String>,
}

impl LinkMap {
    /// A page published in both language trees.
    pub fn page(&mut self, live: &str, file: &str) {
        self.pages.insert(live.to_owned(), file.to_owned());
    }

    /// A file published once, at the root.
    pub fn neutral(&mut self, live: &str, file: &str) {
        self.neutral.insert(live.to_owned(), file.to_owned());
    }

    /// Whether `live` is published.
    pub fn contains(&self, live: &str) -> bool {
        self.pages.contains_key(live) || self.neutral.contains_key(live)
    }

    /// The file of `live` in the tree of `lang`.
    pub fn file(&self, live: &str, lang: Lang) -> Option<String> {
        if let Some(file) = self.pages.get(live) {
            return Some(format!("{}{file}", lang_prefix(lang)));
        }
        self.neutral.get(live).cloned()
    }
}

/// The live path of a discovered link that may be published when the server answers
/// 200 to an anonymous request, with its file (without the language prefix).
pub fn discoverable(live: &str) -> Option<String> {
    if let Some(id) = live.strip_prefix("/organisationer/")
        && !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_digit())
    {
        return Some(format!("organisationer/{id}/index.html"));
    }
    if let Some(file) = live.strip_prefix("/static/")
        && !file.is_empty()
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
        && !file.starts_with('.')
    {
        return Some(format!("static/{file}"));
    }
    None
}

/// The absolute links (`href`, `src`) of a page rendered by this server, without query
/// or fragment. Only for finding pages to publish (the pages' own templates quote every
/// attribute with `"`); the rewrite itself is HTML-aware ([`rewrite`]).
pub fn absolute_links(html: &[u8]) -> BTreeSet<String> {
    let text = String::from_utf8_lossy(html);
    let mut found = BTreeSet::new();
    for needle in [" href=\"", " src=\""] {
        let mut rest: &str = &text;
        while let Some(i) = rest.find(needle) {
            rest = &rest[i + needle.len()..];
            let Some(end) = rest.find('"') else { break };
            if let Some(link) = Link::parse(&decode_entities(&rest[..end])) {
                found.insert(link.path);
            }
            rest = &rest[end..];
        }
    }
    found
}

/// An absolute link on this site: path, query, fragment.
struct Link {
    path: String,
    query: String,
    fragment: String,
}

impl Link {
    /// `/a/b?q#f`; `None` for other sites (`https://`, `//host`), relative links,
    /// fragments and `mailto:`.
    fn parse(value: &str) -> Option<Link> {
        let value = value.trim();
        if !value.starts_with('/') || value.starts_with("//") {
            return None;
        }
        let (rest, fragment) = value.split_once('#').unwrap_or((value, ""));
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        Some(Link {
            path: path.to_owned(),
            query: query.to_owned(),
            fragment: fragment.to_owned(),
        })
    }
}

/// Rewrite a rendered page (published as `file`, in `lang`) for the static site.
pub fn rewrite(html: &[u8], file: &str, lang: Lang, map: &LinkMap) -> Result<String, String> {
    let text = String::from_utf8_lossy(html);
    let target = |value: &str| -> Option<String> { resolve(value, file, lang, map) };
    let target2 = target;
    rewrite_str(
        &text,
        RewriteStrSettings::new()
            // The layout's log-in link and the API link: no server behind them.
            .append_element_content_handler(element!("[data-live-only]", |el| {
                el.remove();
                Ok(())
            }))
            // Search and filters need the server.
            .append_element_content_handler(element!("form", |el| {
                el.remove();
                Ok(())
            }))
            .append_element_content_handler(element!("a[href], link[href]", move |el| {
                let Some(value) = el.get_attribute("href") else {
                    return Ok(());
                };
                if Link::parse(&value).is_none() {
                    return Ok(());
                }
                match target(&value) {
                    Some(relative) => el.set_attribute("href", &relative)?,
                    None => unlink(el),
                }
                Ok(())
            }))
            .append_element_content_handler(element!("img[src], script[src]", move |el| {
                let Some(value) = el.get_attribute("src") else {
                    return Ok(());
                };
                if Link::parse(&value).is_none() {
                    return Ok(());
                }
                match target2(&value) {
                    Some(relative) => el.set_attribute("src", &relative)?,
                    None => el.remove(),
                }
                Ok(())
            })),
    )
    .map_err(|e| e.to_string())
}

/// A link to an unpublished page: its text stays, the link goes (a `<link>` goes wholly).
fn unlink(el: &mut Element<'_, '_>) {
    if el.tag_name() == "a" {
        el.remove_and_keep_content();
    } else {
        el.remove();
    }
}

/// The relative link from `file` for the absolute link `value`, if its target is
/// published.
fn resolve(value: &str, file: &str, lang: Lang, map: &LinkMap) -> Option<String> {
    // The rewriter hands over attribute values as written (`&#38;` between pairs).
    let value = decode_entities(value);
    let link = Link::parse(&value)?;
    // The language switch: the same page in the other tree.
    if link.path == "/sprog" {
        let mut other = None;
        let mut next = None;
        for pair in link.query.split('&') {
            match pair.split_once('=') {
                Some(("lang", v)) => other = v.parse::<Lang>().ok(),
                Some(("next", v)) => next = Some(percent_decode(v)),
                _ => {}
            }
        }
        let other = other?;
        let next = Link::parse(&next?)?;
        if !next.query.is_empty() {
            return None;
        }
        let to = map.file(&next.path, other)?;
        return Some(relative(file, &to));
    }
    if !link.query.is_empty() {
        return None;
    }
    let to = map.file(&link.path, lang)?;
    let mut out = relative(file, &to);
    if !link.fragment.is_empty() {
        out.push('#');
        out.push_str(&link.fragment);
    }
    Some(out)
}

/// The relative link from the file `from` to the file `to` (both relative to the root).
pub fn relative(from: &str, to: &str) -> String {
    let from_dir: Vec<&str> = from.split('/').collect::<Vec<_>>();
    let from_dir = &from_dir[..from_dir.len().saturating_sub(1)];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(to_parts.iter())
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len().saturating_sub(1));
    let mut out = String::new();
    for _ in common..from_dir.len() {
        out.push_str("../");
    }
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// `%2Fa%20b` → `/a b` (invalid escapes stay as they are).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 3 <= bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        if bytes[i] == b'+' {
            out.push(b' ');
        } else {
            out.push(bytes[i]);
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Character references in an attribute value as written (`&amp;`, `&#38;`, `&#x26;`,
/// `&quot;`, `&lt;`, `&gt;`, `&#39;`) decoded; anything else stays as it is.
pub fn decode_entities(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse::<u32>().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escape a value for a double-quoted HTML attribute.
pub fn escape_attr(value: &str) -> String {
    value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_out_of_the_directory() {
        assert_eq!(
            relative("index.html", "statistik/index.html"),
            "statistik/index.html"
        );
        assert_eq!(
            relative("produkter/os2mo/index.html", "statistik/index.html"),
            "../../statistik/index.html"
        );
        assert_eq!(
            relative("en/produkter/os2mo/index.html", "static/a.css"),
            "../../../static/a.css"
        );
        assert_eq!(
            relative("produkter/os2mo/index.html", "produkter/os2mo/index.html"),
            "index.html"
        );
        assert_eq!(relative("en/index.html", "index.html"), "../index.html");
        assert_eq!(percent_decode("%2Fprodukter%2Fos2mo"), "/produkter/os2mo");
        assert_eq!(
            decode_entities("a=1&#38;b=2&amp;c&#x26;d&x"),
            "a=1&b=2&c&d&x"
        );
    }

    #[test]
    fn pages_lose_forms_and_unpublished_links() {
        let mut map = LinkMap::default();
        map.page("/", "index.html");
        map.page("/produkter/a", "produkter/a/index.html");
        let html = r#"<nav><ul><li data-live-only><a href="/log-ind?next=%2F">Log ind</a></li><li><a href="/sprog?lang=en&amp;next=%2Fprodukter%2Fa">English</a></li></ul></nav><form action="/"><input name="q"></form><a href="/">Home</a> <a href="/oensker">Wishes</a> <a href="https://os2.eu/">OS2</a> <a href="/produkter/a#x">A</a>"#;
        let out = rewrite(html.as_bytes(), "produkter/a/index.html", Lang::Da, &map).unwrap();
        assert!(!out.contains("Log ind"), "{out}");
        assert!(!out.contains("<form"), "{out}");
        assert!(
            out.contains(r#"<a href="../../en/produkter/a/index.html">English</a>"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<a href="../../index.html">Home</a>"#),
            "{out}"
        );
        assert!(out.contains(" Wishes "), "{out}");
        assert!(out.contains(r#"<a href="https://os2.eu/">"#), "{out}");
        assert!(out.contains(r#"<a href="index.html#x">A</a>"#), "{out}");
    }
}
