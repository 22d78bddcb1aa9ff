//! An organisation's page (`/organisationer/{id}`): what a municipality, region or
//! supplier takes part in — products and roles, seats in groups, agreements. Public, but
//! the public sees only published products and what belongs to them; people are never
//! shown here.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::Response;
use niveau_app::products::ProductRef;
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;

use super::lang::PageLang;
use super::{Layout, error_page, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

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
    let found = match id.parse::<i32>() {
        Ok(id) => niveau_app::organisations::involvement(state.app(), auth.who(), id).await,
        Err(_) => Err(AppError::not_found(Msg::new(
            format!("organisation {id}"),
            format!("organisation {id}"),
        ))),
    };
    let found = match found {
        Ok(found) => found,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(error_page(&state, &auth, lang, path, e.into()));
        }
        Err(e) => return Err(e.into()),
    };
    let community = || lang.pick("Fællesskabet", "The community").to_owned();
    let named = |product: Option<ProductRef>| match product {
        Some(p) => (p.slug, p.name),
        None => (String::new(), community()),
    };
    let parts: Vec<Part> = found
        .parts
        .into_iter()
        .map(|(p, product)| Part {
            slug: product.slug,
            product: product.name,
            role: labels::role(p.role, lang),
            since: p.since.map(|d| d.to_string()).unwrap_or_default(),
        })
        .collect();
    let seats = found
        .seats
        .into_iter()
        .map(|(member, group, product)| {
            let (product_slug, product) = named(product);
            Seat {
                group: group.name,
                kind: labels::group_kind(group.kind, lang),
                product_slug,
                product,
                role: labels::group_role(member.role, lang),
            }
        })
        .collect();
    let agreements = found
        .agreements
        .into_iter()
        .map(|(agreement, product)| {
            let (product_slug, product) = named(product);
            Party {
                title: agreement.title,
                kind: labels::agreement_kind(agreement.kind, lang),
                product_slug,
                product,
            }
        })
        .collect();
    let organisation = found.organisation;
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
