//! Syntax checks for the value formats publiccode.yml uses: URLs, e-mail addresses, dates,
//! BCP 47 language tags, ISO 3166-1 country codes, MIME types, SPDX expressions and text
//! lengths.
//!
//! Each check is a pure function of the text. Nothing here touches the network or the
//! file system. The URL, e-mail, BCP 47, MIME and grapheme helpers are hand-written: the
//! crate may not take new dependencies for this module, and each of them is a few dozen
//! lines that mirror the rule the reference validator (publiccode-parser-go, through
//! go-playground/validator) applies. Where the reference consults a registry (the IANA
//! language subtag registry, oEmbed providers), only the syntax is checked here.

use chrono::NaiveDate;
use spdx::{Expression, ParseMode};

/// The scheme of an absolute URI and the rest after the colon, if `s` starts with a valid
/// RFC 3986 scheme (`ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"`).
fn split_scheme(s: &str) -> Option<(&str, &str)> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    if !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    Some((scheme, &s[colon + 1..]))
}

/// Whether `s` starts with a URL scheme (`https:`, `urn:`): Go's `url.ParseRequestURI`,
/// which the reference uses to tell URLs from relative paths, accepts it as absolute.
pub(super) fn has_scheme(s: &str) -> bool {
    split_scheme(s).is_some()
}

/// The URL schemes of the oEmbed providers (oembed.com's `providers.json`, MIT licence,
/// as publiccode-parser-go ships them in `data/oembed_schemes.json`): `*` matches any
/// run of characters.
static OEMBED_SCHEMES: &str = include_str!("oembed_schemes.json");

fn oembed_schemes() -> &'static [String] {
    static SCHEMES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    SCHEMES.get_or_init(|| serde_json::from_str(OEMBED_SCHEMES).unwrap_or_default())
}

/// Whether `url` matches the URL scheme of an oEmbed provider, as the reference checks
/// `description.*.videos` (the whole URL, `*` as any run of characters).
pub(super) fn is_oembed_url(url: &str) -> bool {
    oembed_schemes().iter().any(|p| glob_match(p, url))
}

/// `*`-only glob matching over bytes, linear backtracking on the last star.
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == b'*')
}

/// The parts of a URL that the checks below need.
struct UrlParts<'a> {
    scheme: &'a str,
    /// The host (without user info and port), when the URL has an authority (`//…`).
    host: Option<&'a str>,
    /// The opaque part (`mailto:x`, `urn:a:b`), before any query or fragment.
    opaque: &'a str,
    fragment: &'a str,
}

/// Splits a URL like Go's `net/url.Parse` does, for the parts the validators look at.
/// Returns `None` where Go's parser fails: no scheme, control characters, or characters
/// that cannot appear in a host.
fn parse_url(s: &str) -> Option<UrlParts<'_>> {
    if s.is_empty() || s.chars().any(|c| c.is_control()) {
        return None;
    }
    let (scheme, rest) = split_scheme(s)?;
    let (rest, fragment) = match rest.find('#') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find(['/', '?']).unwrap_or(after.len());
        let authority = &after[..end];
        let host_port = authority.rsplit('@').next().unwrap_or(authority);
        let host = if host_port.starts_with('[') {
            // An IPv6 literal: keep the brackets' content.
            let close = host_port.find(']')?;
            &host_port[1..close]
        } else {
            host_port.split(':').next().unwrap_or(host_port)
        };
        let host_ok = host
            .chars()
            .all(|c| c.is_alphanumeric() || "-._~%!$&'()*+,;=:".contains(c));
        if !host_ok {
            return None;
        }
        return Some(UrlParts {
            scheme,
            host: Some(host),
            opaque: "",
            fragment,
        });
    }
    let opaque = if rest.starts_with('/') {
        ""
    } else {
        rest.split('?').next().unwrap_or("")
    };
    Some(UrlParts {
        scheme,
        host: None,
        opaque,
        fragment,
    })
}

/// Whether `s` is a URL in the sense of the reference validator's `url_url` rule: an
/// absolute URL with a scheme and a host, an opaque part (`mailto:…`) or a fragment.
/// `file:/…` URLs are accepted, as go-playground/validator does.
pub(super) fn is_url(s: &str) -> bool {
    let lower = s.to_lowercase();
    if lower.starts_with("file:/") {
        return !s.chars().any(char::is_control);
    }
    match parse_url(&lower) {
        Some(u) => {
            u.host.is_some_and(|h| !h.is_empty()) || !u.opaque.is_empty() || !u.fragment.is_empty()
        }
        None => false,
    }
}

/// Whether `s` is an HTTP or HTTPS URL with a host (the reference's `url_http_url` rule).
pub(super) fn is_http_url(s: &str) -> bool {
    let lower = s.to_lowercase();
    match parse_url(&lower) {
        Some(u) => {
            (u.scheme == "http" || u.scheme == "https") && u.host.is_some_and(|h| !h.is_empty())
        }
        None => false,
    }
}

/// Whether `s` is a valid `organisation.uri` / `fundedBy[].uri` (0.5): an absolute URI with
/// a host, or a URN following RFC 2141. The Italian `urn:x-italian-pa:` code list is part
/// of the Italian extension and is not checked.
pub(super) fn is_organisation_uri(s: &str) -> bool {
    let Some(u) = parse_url(s) else {
        return false;
    };
    if u.scheme.eq_ignore_ascii_case("urn") {
        return is_urn_rfc2141(s);
    }
    u.host.is_some_and(|h| !h.is_empty())
}

/// `urn:<NID>:<NSS>` as in RFC 2141: the NID is 1 to 32 letters, digits and hyphens, not
/// starting with a hyphen; the NSS is non-empty and uses the RFC's character set.
fn is_urn_rfc2141(s: &str) -> bool {
    let mut parts = s.splitn(3, ':');
    let (Some(urn), Some(nid), Some(nss)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    if !urn.eq_ignore_ascii_case("urn") {
        return false;
    }
    let nid_ok = !nid.is_empty()
        && nid.len() <= 32
        && !nid.starts_with('-')
        && !nid.eq_ignore_ascii_case("urn")
        && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let nss_ok = !nss.is_empty()
        && nss
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "()+,-.:=@;$_!*'%/?#".contains(c));
    nid_ok && nss_ok
}

/// Whether `s` looks like an e-mail address: a local part and a domain separated by one
/// `@`. The local part is dot-separated atoms of RFC 5322 `atext` (or a quoted string);
/// the domain is dot-separated labels of letters, digits and hyphens, or an address
/// literal in brackets. Internationalised (non-ASCII) letters are accepted, like the
/// reference's HTML5-style rule.
pub(super) fn is_email(s: &str) -> bool {
    let Some(at) = s.rfind('@') else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || domain.is_empty() || local.len() > 64 || s.len() > 254 {
        return false;
    }
    let local_ok = if local.starts_with('"') && local.ends_with('"') && local.len() >= 2 {
        !local[1..local.len() - 1]
            .chars()
            .any(|c| c == '"' || c.is_control())
    } else {
        local.split('.').all(|atom| {
            !atom.is_empty()
                && atom
                    .chars()
                    .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c))
        })
    };
    let domain_ok = if domain.starts_with('[') && domain.ends_with(']') {
        domain.len() > 2
    } else {
        domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
    };
    local_ok && domain_ok
}

/// A date in the only format the standard allows, `YYYY-MM-DD` (two-digit month and day),
/// that exists in the calendar.
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    let year = s[0..4].parse().ok()?;
    let month = s[5..7].parse().ok()?;
    let day = s[8..10].parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Grandfathered tags of RFC 5646 (section 2.2.8), which match no regular production.
const GRANDFATHERED: &[&str] = &[
    "en-gb-oed",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-ch-de",
    "art-lojban",
    "cel-gaulish",
    "no-bok",
    "no-nyn",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-xiang",
];

fn all_alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn all_digit(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

fn all_alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// The ISO 639 language codes (639-1 two-letter codes, 639-3 and 639-5 three-letter
/// codes), lower case, from Debian's iso-codes 4.15.0: the language subtags the IANA
/// registry, and so the reference's `golang.org/x/text/language`, knows.
static LANGUAGES: &str = include_str!("languages.txt");

/// Whether a lower-case primary language subtag is an ISO 639 code or in the private-use
/// range `qaa`–`qtz`.
pub(super) fn is_language_code(lang: &str) -> bool {
    static CODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let codes = CODES.get_or_init(|| {
        let mut codes: Vec<&str> = LANGUAGES.split_whitespace().collect();
        codes.sort_unstable();
        codes
    });
    let b = lang.as_bytes();
    let private = b.len() == 3 && b[0] == b'q' && (b'a'..=b't').contains(&b[1]);
    private || codes.binary_search(&lang).is_ok()
}

/// Whether `s` is a well-formed BCP 47 language tag (RFC 5646 syntax, case-insensitive).
///
/// Like the reference's strict rule, the primary language must be a 2 or 3 letter subtag
/// (4 letters are reserved, 5 to 8 letters are unused) and POSIX forms such as `en_GB`
/// are rejected. The primary language is looked up like the reference does, in the ISO
/// 639 codes ([`is_language_code`]); the other subtags are checked for their syntax only.
pub(super) fn is_bcp47(s: &str) -> bool {
    if s.is_empty() || !s.is_ascii() {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    if GRANDFATHERED.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    if subtags
        .iter()
        .any(|t| t.is_empty() || t.len() > 8 || !all_alnum(t))
    {
        return false;
    }
    let mut i = 0;
    // Private use only: x-…
    if subtags[0] == "x" {
        return subtags.len() > 1;
    }
    // language = 2*3ALPHA ["-" extlang]; extlang = 3ALPHA *2("-" 3ALPHA)
    let lang = subtags[0];
    if !(2..=3).contains(&lang.len()) || !all_alpha(lang) || !is_language_code(lang) {
        return false;
    }
    i += 1;
    let mut extlangs = 0;
    while i < subtags.len() && extlangs < 3 && subtags[i].len() == 3 && all_alpha(subtags[i]) {
        i += 1;
        extlangs += 1;
    }
    // script = 4ALPHA
    if i < subtags.len() && subtags[i].len() == 4 && all_alpha(subtags[i]) {
        i += 1;
    }
    // region = 2ALPHA / 3DIGIT
    if i < subtags.len()
        && ((subtags[i].len() == 2 && all_alpha(subtags[i]))
            || (subtags[i].len() == 3 && all_digit(subtags[i])))
    {
        i += 1;
    }
    // variant = 5*8alphanum / (DIGIT 3alphanum)
    while i < subtags.len() {
        let t = subtags[i];
        let variant =
            (5..=8).contains(&t.len()) || (t.len() == 4 && t.as_bytes()[0].is_ascii_digit());
        if !variant {
            break;
        }
        i += 1;
    }
    // extension = singleton 1*("-" (2*8alphanum)); singleton is not "x"
    while i < subtags.len() && subtags[i].len() == 1 && subtags[i] != "x" {
        i += 1;
        let start = i;
        while i < subtags.len() && subtags[i].len() >= 2 {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    // privateuse = "x" 1*("-" (1*8alphanum))
    if i < subtags.len() && subtags[i] == "x" {
        return i + 1 < subtags.len();
    }
    i == subtags.len()
}

/// The officially assigned ISO 3166-1 alpha-2 codes (249 codes).
pub(super) const COUNTRY_CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// How a country code is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CountryCase {
    /// An assigned code in upper case (`DK`), the form 0.5 asks for.
    Upper,
    /// An assigned code in lower case (`dk`), the form up to 0.4 asks for.
    Lower,
}

/// Whether `s` is an assigned ISO 3166-1 alpha-2 code, all upper or all lower case (mixed
/// case is rejected, like the reference does).
pub(super) fn country_code(s: &str) -> Option<CountryCase> {
    if s.len() != 2 || !all_alpha(s) {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    if !COUNTRY_CODES.contains(&upper.as_str()) {
        return None;
    }
    if s == upper {
        Some(CountryCase::Upper)
    } else if s == s.to_ascii_lowercase() {
        Some(CountryCase::Lower)
    } else {
        None
    }
}

/// Whether `s` is a MIME type as the reference accepts it
/// (`type/subtype`, RFC 2045 token characters, optional surrounding spaces).
pub(super) fn is_mime_type(s: &str) -> bool {
    let t = s.trim_matches(' ');
    let Some((ty, sub)) = t.split_once('/') else {
        return false;
    };
    let part = |p: &str, extra: &str| {
        let mut cs = p.chars();
        match cs.next() {
            Some(c) if c.is_ascii_alphanumeric() => {}
            _ => return false,
        }
        p.len() <= 127 && cs.all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
    };
    part(ty, "!#$&^_-") && part(sub, "!#$&^_.+-")
}

/// Whether `s` is an SPDX license expression as the reference accepts it (github/go-spdx):
/// valid syntax over known license and exception identifiers, deprecated identifiers
/// included, identifiers and operators matched case-insensitively.
pub(super) fn is_spdx_expression(s: &str) -> bool {
    let mode = ParseMode {
        allow_deprecated: true,
        ..ParseMode::STRICT
    };
    if Expression::parse_mode(s, mode).is_ok() {
        return true;
    }
    let canonical = canonical_case(s);
    canonical != s && Expression::parse_mode(&canonical, mode).is_ok()
}

/// Rewrites the identifiers and operators of an SPDX expression in their canonical case
/// (`mit or apache-2.0` → `MIT OR Apache-2.0`), leaving anything unknown as it is.
fn canonical_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if word.is_empty() {
            return;
        }
        let (base, plus) = match word.strip_suffix('+') {
            Some(b) => (b, "+"),
            None => (word.as_str(), ""),
        };
        let upper = base.to_ascii_uppercase();
        if matches!(upper.as_str(), "AND" | "OR" | "WITH") {
            out.push_str(&upper);
        } else if let Some(l) = spdx::identifiers::LICENSES
            .iter()
            .find(|l| l.name.eq_ignore_ascii_case(base))
        {
            out.push_str(l.name);
        } else if let Some(e) = spdx::identifiers::EXCEPTIONS
            .iter()
            .find(|e| e.name.eq_ignore_ascii_case(base))
        {
            out.push_str(e.name);
        } else {
            out.push_str(base);
        }
        out.push_str(plus);
        word.clear();
    };
    for c in s.chars() {
        if c.is_whitespace() || c == '(' || c == ')' {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Whether `c` extends the grapheme cluster before it (approximation, see [`text_length`]).
fn is_extending(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F   // combining diacritical marks
        | 0x0483..=0x0489 // Cyrillic combining marks
        | 0x0591..=0x05BD // Hebrew points
        | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 // Arabic marks
        | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0951..=0x0957 // Devanagari signs
        | 0x1AB0..=0x1AFF // combining diacritical marks extended
        | 0x1DC0..=0x1DFF // combining diacritical marks supplement
        | 0x200C..=0x200D // zero-width non-joiner and joiner
        | 0x20D0..=0x20FF // combining marks for symbols
        | 0x302A..=0x302F | 0x3099..=0x309A // CJK and kana marks
        | 0xFE00..=0xFE0F // variation selectors
        | 0xFE20..=0xFE2F // combining half marks
        | 0x1F3FB..=0x1F3FF // emoji skin tone modifiers
        | 0xE0020..=0xE007F // tag characters
        | 0xE0100..=0xE01EF // variation selectors supplement
    )
}

/// The length of a text in user-perceived characters, the unit the reference uses for its
/// length limits (`uniseg.GraphemeClusterCount`).
///
/// Hand-written approximation of Unicode grapheme clusters (UAX #29), because the crate
/// has no segmentation library: characters are counted, except combining marks and other
/// extenders of the common scripts, the character after a zero-width joiner (emoji
/// sequences), the second of a pair of regional indicators (flags) and the LF of a CRLF.
/// For Latin, Greek, Cyrillic and CJK text it is exact; for scripts with combining marks
/// outside the listed ranges it counts high, never low.
pub(super) fn text_length(s: &str) -> usize {
    let mut count = 0;
    let mut prev: Option<char> = None;
    let mut pending_flag = false;
    for c in s.chars() {
        let joined = prev == Some('\u{200D}');
        let crlf = prev == Some('\r') && c == '\n';
        let regional = ('\u{1F1E6}'..='\u{1F1FF}').contains(&c);
        let flag_pair = regional && pending_flag;
        if !(is_extending(c) || joined || crlf || flag_pair) {
            count += 1;
        }
        pending_flag = regional && !flag_pair;
        prev = Some(c);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes() {
        for ok in ["da", "en", "kl", "fo", "sgn", "yue", "qaa", "qtz"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["xxx", "qq", "quu", "zz"] {
            assert!(!is_language_code(bad), "{bad}");
        }
        assert!(is_bcp47("da-DK"));
        assert!(!is_bcp47("xxx"));
    }

    #[test]
    fn oembed_urls() {
        assert!(oembed_schemes().len() > 500);
        assert!(is_oembed_url("https://www.youtube.com/watch?v=RaHmGbBOP84"));
        assert!(is_oembed_url("https://vimeo.com/54003097"));
        assert!(!is_oembed_url("https://google.com"));
        assert!(!is_oembed_url("ABC"));
        assert!(glob_match("a*b*c", "axxbyyc"));
        assert!(!glob_match("a*b", "axxbyyc"));
    }

    #[test]
    fn urls() {
        assert!(is_url("https://github.com/OS2offdig/niveau"));
        assert!(!is_url("git@github.com:a/b.git"));
        assert!(is_url("ssh://git@github.com/a/b.git"));
        assert!(is_url("mailto:someone@example.org"));
        assert!(is_url("file:///tmp/x"));
        assert!(!is_url("foobar"));
        assert!(!is_url("http:"));
        assert!(!is_url("http://exa mple.org"));
        assert!(!is_url(""));
        assert!(is_http_url("https://example.org/x?y#z"));
        assert!(is_http_url("HTTP://EXAMPLE.ORG"));
        assert!(!is_http_url("ftp://example.org"));
        assert!(!is_http_url("https:///path"));
        assert!(!is_http_url("???"));
    }

    #[test]
    fn organisation_uris() {
        assert!(is_organisation_uri("https://example.org/my-organisation"));
        assert!(is_organisation_uri("urn:x-italian-pa:pcm"));
        assert!(!is_organisation_uri("urn::x"));
        assert!(!is_organisation_uri("my organisation"));
    }

    #[test]
    fn emails() {
        assert!(is_email("sekretariat@os2.eu"));
        assert!(is_email("first.last+tag@sub.example.org"));
        assert!(is_email("user@localhost"));
        assert!(!is_email("no-at-sign"));
        assert!(!is_email("a@@b"));
        assert!(!is_email("a..b@example.org"));
        assert!(!is_email("a@-example.org"));
        assert!(!is_email("@example.org"));
    }

    #[test]
    fn dates() {
        assert_eq!(
            parse_date("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-2-01"), None);
        assert_eq!(parse_date("01-02-2023"), None);
        assert_eq!(parse_date("2023-02-01T00:00"), None);
    }

    #[test]
    fn language_tags() {
        for ok in [
            "da",
            "en",
            "en-GB",
            "sl-IT-nedis",
            "zh-Hant-TW",
            "de-CH-1996",
            "es-419",
            "x-klingon",
            "en-a-bbb-x-ccc",
            "i-klingon",
            "zh-yue",
        ] {
            assert!(is_bcp47(ok), "{ok}");
        }
        for bad in [
            "", "en_GB", "e", "english", "abcd", "en-", "en--GB", "x", "en-a", "dæ",
        ] {
            assert!(!is_bcp47(bad), "{bad}");
        }
    }

    #[test]
    fn countries() {
        assert_eq!(COUNTRY_CODES.len(), 249);
        assert!(COUNTRY_CODES.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(country_code("DK"), Some(CountryCase::Upper));
        assert_eq!(country_code("dk"), Some(CountryCase::Lower));
        assert_eq!(country_code("Dk"), None);
        assert_eq!(country_code("XX"), None);
        assert_eq!(country_code("DNK"), None);
    }

    #[test]
    fn mime_types() {
        assert!(is_mime_type("text/plain"));
        assert!(is_mime_type("application/vnd.oasis.opendocument.text"));
        assert!(is_mime_type(" image/svg+xml "));
        assert!(!is_mime_type("foobar"));
        assert!(!is_mime_type("text/"));
        assert!(!is_mime_type("/plain"));
    }

    #[test]
    fn spdx_expressions() {
        assert!(is_spdx_expression("MPL-2.0"));
        assert!(is_spdx_expression("AGPL-3.0-or-later"));
        assert!(is_spdx_expression("MIT OR Apache-2.0"));
        assert!(is_spdx_expression(
            "GPL-2.0-only WITH Classpath-exception-2.0"
        ));
        assert!(
            is_spdx_expression("GPL-3.0"),
            "deprecated identifiers are accepted"
        );
        assert!(
            is_spdx_expression("mit or apache-2.0"),
            "case-insensitive like go-spdx"
        );
        assert!(is_spdx_expression("LicenseRef-Proprietary"));
        assert!(!is_spdx_expression("Invalid License"));
        assert!(!is_spdx_expression("MIT OR"));
        assert!(!is_spdx_expression(""));
    }

    #[test]
    fn lengths() {
        assert_eq!(text_length("abc"), 3);
        assert_eq!(text_length("Værktøj"), 7);
        assert_eq!(text_length("e\u{0301}"), 1);
        assert_eq!(text_length("👩\u{200D}💻"), 1);
        assert_eq!(text_length("🇩🇰🇮🇹"), 2);
        assert_eq!(text_length("a\r\nb"), 3);
        assert_eq!(text_length("👍🏽"), 1);
    }
}
