//! An organisation's page (`/organisationer/{id}`): what a municipality, region or
//! supplier takes part in — products and roles, seats in groups, agreements. Public, but
//! the public sees only published products and what belongs to them; people are never
//! shown here.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use niveau_store::ListParams;
use niveau_store::agreements::AgreementFilter;

use super::lang::PageLang;
use super::{Layout, error_page, labels, product_names, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// A product the organisation takes part in.
struct Part {
    slug: String,
    product: String,
    role: String,
    since: String,
}

/// A seat in a group.
struct Seat {
    group: String,
    kind: &'static str,
    product_slug: String,
    product: String,
    role: &'static str,
}

/// An agreement it is party to.
struct Party {
    title: String,
    kind: &'static str,
    product_slug: String,
    product: String,
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct OrganisationPage {
    layout: Layout,
    name: String,
    kind: &'static str,
    member_since: String,
    left_on: String,
    supplier_partner_since: String,
    parts: Vec<Part>,
    seats: Vec<Seat>,
    agreements: Vec<Party>,
}

/// `GET /organisationer/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let store = state.store();
    let organisation = match id.parse::<i32>() {
        Ok(id) => store.organisation(id).await.ok(),
        Err(_) => None,
    };
    let Some(organisation) =
        organisation.filter(|o| !o.archived || auth.can(Action::ReadPortfolio))
    else {
        return Ok(error_page(
            &state,
            &auth,
            lang,
            path,
            ApiError::not_found_da("organisation"),
        ));
    };
    // The products this visitor may see, by id.
    let products: HashMap<i32, (String, String)> = product_names(&state, &auth).await?;
    let involvement = store.organisation_involvement(organisation.id).await?;
    let mut parts: Vec<Part> = involvement
        .participations
        .iter()
        .filter_map(|p| {
            let (slug, name) = products.get(&p.product_id)?;
            Some(Part {
                slug: slug.clone(),
                product: name.clone(),
                role: labels::role(p.role, lang),
                since: p.since.map(|d| d.to_string()).unwrap_or_default(),
            })
        })
        .collect();
    parts.sort_by(|a, b| a.product.cmp(&b.product));
    let seats = involvement
        .seats
        .iter()
        .filter_map(|(member, group)| {
            // A product's group is shown when its product is; community-wide groups always.
            let (product_slug, product) = match group.product_id {
                Some(pid) => products.get(&pid)?.clone(),
                None => (
                    String::new(),
                    lang.pick("Fællesskabet", "The community").to_owned(),
                ),
            };
            Some(Seat {
                group: group.name.clone(),
                kind: labels::group_kind(group.kind, lang),
                product_slug,
                product,
                role: labels::group_role(member.role, lang),
            })
        })
        .collect();
    let agreements = store
        .list_agreements(
            &AgreementFilter {
                organisation_id: Some(organisation.id),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items
        .into_iter()
        .filter_map(|a| {
            let (product_slug, product) = match a.agreement.product_id {
                Some(pid) => products.get(&pid)?.clone(),
                None => (
                    String::new(),
                    lang.pick("Fællesskabet", "The community").to_owned(),
                ),
            };
            Some(Party {
                title: a.agreement.title,
                kind: labels::agreement_kind(a.agreement.kind, lang),
                product_slug,
                product,
            })
        })
        .collect();
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(render(&OrganisationPage {
        layout: Layout::new(&state, &auth, lang, organisation.name.clone(), "", path),
        kind: labels::org_kind(organisation.kind, lang),
        member_since: date(organisation.member_since),
        left_on: date(organisation.left_on),
        supplier_partner_since: date(organisation.supplier_partner_since),
        name: organisation.name,
        parts,
        seats,
        agreements,
    }))
}
