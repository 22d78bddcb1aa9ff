//! The organisation index (`/organisationer`, public): every organisation grouped by
//! kind, filterable by kind, with the number of products it takes part in, each linking
//! to its own page. Counts follow the organisation page's rule: only the products this
//! visitor may see (published ones for the public), in any role. Archived organisations
//! are listed, marked, only for logged-in readers.

use std::collections::HashSet;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::Uri;
use axum::response::Response;
use niveau_store::ListParams;
use niveau_store::organisations::OrganisationFilter;
use niveau_store::types::OrgKind;
use serde::Deserialize;

use super::here;
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, labels, non_empty, render};
use crate::state::AppState;
use niveau_app::permissions::Action;

/// The query of the index.
#[derive(Debug, Default, Deserialize)]
pub struct IndexQuery {
    /// A kind (its Danish value), or empty for all.
    #[serde(default)]
    kind: Option<String>,
}

/// An organisation in the index.
struct Entry {
    id: i32,
    name: String,
    products: usize,
    archived: bool,
}

/// The organisations of one kind.
struct Group {
    anchor: String,
    heading: &'static str,
    entries: Vec<Entry>,
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct IndexPage {
    layout: Layout,
    groups: Vec<Group>,
    kinds: Vec<Choice>,
    total: usize,
    problems: Vec<String>,
    filtered: bool,
}

/// An id for a kind's heading: `type-statslig-myndighed`, `type-leverandor`.
fn anchor(kind: OrgKind) -> String {
    let ascii: String = kind
        .as_str()
        .chars()
        .map(|c| match c {
            'æ' => 'e',
            'ø' => 'o',
            'å' => 'a',
            ' ' => '-',
            c => c,
        })
        .collect();
    format!("type-{ascii}")
}

/// `GET /organisationer`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<IndexQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/organisationer");
    let mut problems = Vec::new();
    let chosen = match non_empty(&query.kind) {
        None => None,
        Some(text) => match OrgKind::parse(text) {
            Some(kind) => Some(kind),
            None => {
                problems.push(format!(
                    "{} «{text}»",
                    lang.pick("Ukendt type:", "Unknown kind:")
                ));
                None
            }
        },
    };
    let reader = auth.can(Action::ReadPortfolio);
    let organisations = state
        .store()
        .list_organisations(
            &OrganisationFilter {
                kind: chosen,
                archived: Some(reader),
            },
            &ListParams::all(),
        )
        .await?
        .items;
    let visible: HashSet<i32> = niveau_app::visibility::product_names(state.store(), auth.who())
        .await?
        .into_keys()
        .collect();
    let taking_part = state.store().organisation_products().await?;
    let total = organisations.len();
    let groups = OrgKind::ALL
        .iter()
        .filter_map(|kind| {
            let entries: Vec<Entry> = organisations
                .iter()
                .filter(|o| o.kind == *kind)
                .map(|o| Entry {
                    id: o.id,
                    name: o.name.clone(),
                    products: taking_part
                        .get(&o.id)
                        .map(|ids| ids.iter().filter(|p| visible.contains(p)).count())
                        .unwrap_or(0),
                    archived: o.archived,
                })
                .collect();
            (!entries.is_empty()).then(|| Group {
                anchor: anchor(*kind),
                heading: labels::org_kind_plural(*kind, lang),
                entries,
            })
        })
        .collect();
    let mut kinds = vec![Choice {
        value: String::new(),
        label: lang.pick("Alle typer", "All kinds").to_owned(),
        selected: chosen.is_none(),
    }];
    kinds.extend(OrgKind::ALL.iter().map(|k| Choice {
        value: k.as_str().to_owned(),
        label: labels::org_kind(*k, lang).to_owned(),
        selected: chosen == Some(*k),
    }));
    Ok(render(&IndexPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Organisationer", "Organisations"),
            "organisations",
            path,
        ),
        groups,
        kinds,
        total,
        problems,
        filtered: non_empty(&query.kind).is_some(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_ascii() {
        assert_eq!(anchor(OrgKind::Leverandor), "type-leverandor");
        assert_eq!(
            anchor(OrgKind::StatsligMyndighed),
            "type-statslig-myndighed"
        );
        assert_eq!(anchor(OrgKind::Kommune), "type-kommune");
    }
}
