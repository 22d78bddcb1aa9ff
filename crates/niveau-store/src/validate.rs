//! Field checks shared by the inputs. Each names the field it rejects.

use crate::error::{Result, StoreError};

/// A required text: trimmed, not empty, at most `max` characters.
pub(crate) fn required(field: &str, value: &str, max: usize) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(StoreError::invalid(field, "skal udfyldes", "is required"));
    }
    bounded(field, value, max)?;
    Ok(value.to_string())
}

/// An optional text: trimmed; empty becomes none.
pub(crate) fn optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => {
            bounded(field, v, max)?;
            Ok(Some(v.to_string()))
        }
        None => Ok(None),
    }
}

fn bounded(field: &str, value: &str, max: usize) -> Result<()> {
    let chars = value.chars().count();
    if chars > max {
        return Err(StoreError::invalid(
            field,
            format!("må højst være {max} tegn (er {chars})"),
            format!("must be at most {max} characters (is {chars})"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(StoreError::invalid(
            field,
            "indeholder kontroltegn",
            "contains control characters",
        ));
    }
    Ok(())
}

/// A URL slug: 1–64 of `a-z 0-9 -`, starting with a letter or digit.
pub(crate) fn slug(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    let ok = !value.is_empty()
        && value.len() <= 64
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if !ok {
        return Err(StoreError::invalid(
            field,
            "skal være 1-64 tegn af a-z, 0-9 og bindestreg og starte med et bogstav eller tal",
            "must be 1-64 characters of a-z, 0-9 and hyphen, starting with a letter or digit",
        ));
    }
    Ok(value.to_string())
}

/// An optional http(s) URL.
pub(crate) fn url(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = optional(field, value, 2000)? else {
        return Ok(None);
    };
    if !(value.starts_with("https://") || value.starts_with("http://"))
        || value.contains(char::is_whitespace)
    {
        return Err(StoreError::invalid(
            field,
            "skal være en adresse der begynder med https:// eller http://",
            "must be an address that begins with https:// or http://",
        ));
    }
    Ok(Some(value))
}

/// A repository location: an http(s) or ssh git URL.
pub(crate) fn repository(field: &str, value: &str) -> Result<String> {
    let value = required(field, value, 2000)?;
    let ok = (value.starts_with("https://")
        || value.starts_with("http://")
        || value.starts_with("ssh://")
        || value.starts_with("git@"))
        && !value.contains(char::is_whitespace);
    if !ok {
        return Err(StoreError::invalid(
            field,
            "skal være en git-adresse (https://, ssh:// eller git@)",
            "must be a git address (https://, ssh:// or git@)",
        ));
    }
    Ok(value)
}

/// A level id as models name them (`sandkasse`, `1`, `2`, `3`): short, no spaces.
pub(crate) fn level(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = optional(field, value, 32)? else {
        return Ok(None);
    };
    if value.contains(char::is_whitespace) {
        return Err(StoreError::invalid(
            field,
            "er ikke et niveau",
            "is not a level",
        ));
    }
    Ok(Some(value))
}

/// `start` must not come after `end`.
pub(crate) fn period(
    field: &str,
    start: Option<chrono::NaiveDate>,
    end: Option<chrono::NaiveDate>,
) -> Result<()> {
    if let (Some(start), Some(end)) = (start, end)
        && start > end
    {
        return Err(StoreError::invalid(
            field,
            format!("slutter ({end}) før den begynder ({start})"),
            format!("ends ({end}) before it begins ({start})"),
        ));
    }
    Ok(())
}

/// The largest amount Niveau takes: 1 000 000 000 kr. (in øre). Anything above is a typo.
pub const MAX_AMOUNT_ORE: i64 = 100_000_000_000;

/// An amount in øre: whole, from 0 to [`MAX_AMOUNT_ORE`].
pub(crate) fn amount_ore(field: &str, value: Option<i64>) -> Result<Option<i64>> {
    match value {
        Some(v) if !(0..=MAX_AMOUNT_ORE).contains(&v) => Err(StoreError::invalid(
            field,
            "et beløb fra 0 til 1.000.000.000 kr.",
            "an amount from DKK 0 to DKK 1,000,000,000",
        )),
        other => Ok(other),
    }
}

/// A number of hours: whole, from 0 to 1 000 000.
pub(crate) fn hours(field: &str, value: Option<i64>) -> Result<Option<i64>> {
    match value {
        Some(v) if !(0..=1_000_000).contains(&v) => Err(StoreError::invalid(
            field,
            "et helt antal timer fra 0 til 1.000.000",
            "a whole number of hours from 0 to 1,000,000",
        )),
        other => Ok(other),
    }
}

/// An optional e-mail address: trimmed, one `@` with text on both sides, no spaces, at
/// most 254 characters.
pub(crate) fn email(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = optional(field, value, 254)? else {
        return Ok(None);
    };
    let ok = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !value.contains(char::is_whitespace)
        }
        None => false,
    };
    if !ok {
        return Err(StoreError::invalid(
            field,
            "er ikke en e-mailadresse",
            "is not an e-mail address",
        ));
    }
    Ok(Some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_the_field() {
        let err = required("name", "  ", 10).unwrap_err();
        assert_eq!(err.to_string(), "name: skal udfyldes");
        assert_eq!(required("name", " OS2mo ", 10).unwrap(), "OS2mo");
        assert!(required("name", "abcdefghijk", 10).is_err());
        assert!(required("name", "a\u{0}b", 10).is_err());
        assert_eq!(slug("slug", "os2mo").unwrap(), "os2mo");
        assert!(slug("slug", "OS2mo").is_err());
        assert!(slug("slug", "-x").is_err());
        assert!(slug("slug", "æble").is_err());
        assert!(url("website", Some("ftp://x")).is_err());
        assert_eq!(url("website", Some("  ")).unwrap(), None);
        assert!(repository("repositories[0]", "https://github.com/OS2mo/os2mo").is_ok());
        assert!(repository("repositories[0]", "/etc/passwd").is_err());
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        assert!(period("period", d("2026-01-02"), d("2026-01-01")).is_err());
        assert!(period("period", d("2026-01-01"), None).is_ok());
    }
}
