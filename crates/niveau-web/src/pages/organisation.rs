//! An organisation's page (`/organisationer/{id}`): what a municipality, region or
//! supplier takes part in — products and roles, seats in groups, agreements. Public, but
//! the public sees only published products and what belongs to them; people are never
//! shown here.
//!
//! A supplier's partner agreement is shown too (signed, code of conduct, competences,
//! logo; its contact persons to signed-in readers only), with the secretariat's form to
//! record, renew or remove it ([`super::suppliers`] takes the posts).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::products::ProductRef;
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::json::Contact;
use niveau_store::types::OrgKind;
use serde::Deserialize;

use super::lang::PageLang;
use super::suppliers::Draft;
use super::workspace::Errors;
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

/// A supplier's partner agreement as shown.
struct Partner {
    signed_on: String,
    ends_on: String,
    current: bool,
    code_of_conduct: bool,
    competences: Vec<String>,
    logo_url: String,
    document_url: String,
    note: String,
    /// Empty for the public.
    contacts: Vec<Contact>,
}

/// The state of the secretariat's partner form after a post (default: as stored).
#[derive(Default)]
pub struct PartnerForm {
    /// What the visitor typed (none: the stored agreement).
    pub draft: Option<Draft>,
    /// What went wrong.
    pub errors: Errors,
    /// Whether the post met a newer version (the stored one is shown beside the form).
    pub conflict: bool,
    /// The version the form carries (none: the stored one's).
    pub version: Option<i32>,
    /// A confirmation.
    pub notice: String,
}

/// `?besked=` after a change.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    besked: Option<String>,
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
    /// Whether it is a supplier (the partner section is shown).
    supplier: bool,
    partner: Option<Partner>,
    /// Signed-in readers see contact persons.
    show_contacts: bool,
    /// The secretariat sees the form.
    can_edit: bool,
    id: i32,
    /// The version the form is based on (empty for a new agreement).
    version: String,
    /// The stored version's version number (for removal).
    stored_version: i32,
    draft: Draft,
    errors: Errors,
    conflict: bool,
    notice: String,
}

/// `GET /organisationer/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let Ok(number) = id.parse::<i32>() else {
        let e = AppError::not_found(Msg::new(
            format!("organisation {id}"),
            format!("organisation {id}"),
        ));
        return Ok(error_page(&state, &auth, lang, path, e.into()));
    };
    let notice = match query.besked.as_deref() {
        Some("partneraftale-gemt") => lang.pick(
            "Leverandørpartneraftalen er gemt.",
            "The partner agreement is saved.",
        ),
        Some("partneraftale-fjernet") => lang.pick(
            "Leverandørpartneraftalen er fjernet.",
            "The partner agreement is removed.",
        ),
        _ => "",
    };
    show(
        &state,
        &auth,
        lang,
        path,
        number,
        PartnerForm {
            notice: notice.to_owned(),
            ..PartnerForm::default()
        },
        StatusCode::OK,
    )
    .await
}

/// The page of organisation `id` with the partner form in the state `form`, answered
/// with `status`.
pub async fn show(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    id: i32,
    form: PartnerForm,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let found = niveau_app::organisations::involvement(state.app(), auth.who(), id).await;
    let found = match found {
        Ok(found) => found,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(error_page(state, auth, lang, path, e.into()));
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
    let supplier = organisation.kind == OrgKind::Leverandor;
    let show_contacts = auth.can(Action::ReadPortfolio);
    let stored = if !supplier {
        None
    } else if show_contacts {
        niveau_app::suppliers::partner(state.app(), auth.who(), id)
            .await?
            .1
    } else {
        // The public sees what OS2 publishes about its partners (involvement above has
        // shown the organisation is public); the contact persons are left out below.
        state.store().partner_agreement(id).await?
    };
    let today = state.store().now().date_naive();
    let partner = stored.as_ref().map(|a| Partner {
        signed_on: a.signed_on.to_string(),
        ends_on: date(a.ends_on),
        current: a.is_current(today),
        code_of_conduct: a.code_of_conduct,
        competences: a.competences.0.clone(),
        logo_url: a.logo_url.clone().unwrap_or_default(),
        document_url: a.document_url.clone().unwrap_or_default(),
        note: a.note.clone().unwrap_or_default(),
        contacts: if show_contacts {
            a.contacts.0.clone()
        } else {
            Vec::new()
        },
    });
    let stored_version = stored.as_ref().map(|a| a.version).unwrap_or(0);
    let version = form
        .version
        .or(stored.as_ref().map(|a| a.version))
        .map(|v| v.to_string())
        .unwrap_or_default();
    let draft = form
        .draft
        .or_else(|| stored.as_ref().map(Draft::of))
        .unwrap_or_default();
    let mut response = render(&OrganisationPage {
        layout: Layout::new(state, auth, lang, organisation.name.clone(), "", path),
        kind: labels::org_kind(organisation.kind, lang),
        member_since: date(organisation.member_since),
        left_on: date(organisation.left_on),
        supplier_partner_since: date(organisation.supplier_partner_since),
        name: organisation.name,
        parts,
        seats,
        agreements,
        supplier,
        partner,
        show_contacts,
        can_edit: supplier && auth.can(Action::EditPortfolio),
        id,
        version,
        stored_version,
        draft,
        errors: form.errors,
        conflict: form.conflict,
        notice: form.notice,
    });
    *response.status_mut() = status;
    Ok(response)
}
