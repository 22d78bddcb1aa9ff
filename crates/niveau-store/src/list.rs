//! Paging and sorting for list endpoints.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The largest page a client may ask for.
pub const MAX_LIMIT: u64 = 500;
/// The page size when none is asked for.
pub const DEFAULT_LIMIT: u64 = 50;

/// Paging, sorting and free-text search, common to every list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page size (1–500, default 50).
    pub limit: Option<u64>,
    /// Rows to skip.
    pub offset: Option<u64>,
    /// Sort key; a leading `-` sorts descending (`-updated_at`). Each list names its keys.
    pub sort: Option<String>,
    /// Free text matched against names (case-insensitive).
    pub q: Option<String>,
}

impl ListParams {
    /// The largest page, from the start, unsorted by request: for callers that show a
    /// whole list (a community's portfolio is a few hundred rows at most).
    pub fn all() -> ListParams {
        ListParams {
            limit: Some(MAX_LIMIT),
            ..Default::default()
        }
    }

    /// The effective limit.
    pub fn limit(&self) -> u64 {
        self.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
    }

    /// The effective offset.
    pub fn offset(&self) -> u64 {
        self.offset.unwrap_or(0)
    }

    /// The sort key and whether it is descending, checked against `allowed`.
    pub fn sort_key<'a>(
        &'a self,
        allowed: &[&str],
        default: &'a str,
    ) -> crate::Result<(&'a str, bool)> {
        let raw = self.sort.as_deref().unwrap_or(default);
        let (key, desc) = match raw.strip_prefix('-') {
            Some(key) => (key, true),
            None => (raw, false),
        };
        if !allowed.contains(&key) {
            return Err(crate::StoreError::invalid(
                "sort",
                format!("ukendt sortering '{key}'; mulige: {}", allowed.join(", ")),
                format!("unknown sort '{key}'; possible: {}", allowed.join(", ")),
            ));
        }
        Ok((key, desc))
    }

    /// The search text, trimmed, lowercased, `None` when empty.
    pub fn query(&self) -> Option<String> {
        self.q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_lowercase)
    }
}

/// One page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Rows matching the filter, over all pages.
    pub total: u64,
    /// Page size used.
    pub limit: u64,
    /// Offset used.
    pub offset: u64,
}

impl<T> Page<T> {
    /// Map the rows.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            limit: self.limit,
            offset: self.offset,
        }
    }
}

/// A `LIKE` pattern that matches `text` anywhere, with the pattern characters escaped.
pub(crate) fn contains_pattern(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_sorting() {
        let p = ListParams {
            limit: Some(10_000),
            sort: Some("-name".into()),
            ..Default::default()
        };
        assert_eq!(p.limit(), MAX_LIMIT);
        assert_eq!(p.sort_key(&["name"], "name").unwrap(), ("name", true));
        assert!(p.sort_key(&["slug"], "slug").is_err());
        assert_eq!(ListParams::default().limit(), DEFAULT_LIMIT);
        assert_eq!(contains_pattern("50%_a"), "%50\\%\\_a%");
    }
}
