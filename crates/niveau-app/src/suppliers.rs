//! Suppliers: their partner agreements (leverandørpartneraftaler) and their roles on the
//! products (udvikling, kvalitetssikring/review, drift, hosting, support), and the views
//! that show supplier concentration — products with one supplier in every role, products
//! whose code is reviewed by the supplier that develops it, suppliers in a role without a
//! current partner agreement, and agreements and supplier periods ending soon. OS2's aim
//! is "intet vendor lock-in": no product held by one supplier.
//!
//! A supplier's role on a product is a participant row with a supplier role and a period
//! (`since`/`until`); the registry has no second place for it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use niveau_model::Msg;
use niveau_store::agreements::AgreementFilter;
use niveau_store::entity::{organisation, participant, partner_agreement};
use niveau_store::list::ListParams;
use niveau_store::partners::PartnerInput;
use niveau_store::types::{OrgKind, ParticipantRole};
use serde::Serialize;
use utoipa::ToSchema;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed, require};
use crate::principal::Caller;
use crate::visibility::{resolve_product, visible_products};

/// The supplier roles, in the order the views show them.
pub const SUPPLIER_ROLES: &[ParticipantRole] = &[
    ParticipantRole::Udviklingsleverandor,
    ParticipantRole::Reviewer,
    ParticipantRole::Driftsleverandor,
    ParticipantRole::Hostingleverandor,
    ParticipantRole::Supportleverandor,
];

/// Agreements and periods that end within this many days are "ending soon".
pub const ENDING_SOON_DAYS: u64 = 90;

/// Whether a participation holds on `today`.
fn current(p: &participant::Model, today: NaiveDate) -> bool {
    p.since.is_none_or(|s| s <= today) && p.until.is_none_or(|u| u >= today)
}

/// A supplier in a role on a product.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupplierInRole {
    /// The participant row.
    pub participant_id: i32,
    /// The organisation.
    pub organisation_id: i32,
    /// Its name.
    pub name: String,
    /// Since when.
    pub since: Option<NaiveDate>,
    /// Until when.
    pub until: Option<NaiveDate>,
    /// Whether it is a supplier (kind leverandør) without a current partner agreement.
    pub without_agreement: bool,
}

/// One role on a product with its current suppliers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleSuppliers {
    /// The role.
    #[schema(value_type = String)]
    pub role: ParticipantRole,
    /// Its current suppliers.
    pub suppliers: Vec<SupplierInRole>,
}

/// One product's suppliers and what is worth a look.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProductSuppliers {
    /// The product.
    pub product_id: i32,
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Every supplier role with its current suppliers (empty roles included).
    pub roles: Vec<RoleSuppliers>,
    /// Distinct organisations in a supplier role now.
    pub organisations: usize,
    /// One organisation holds every filled role (and at least one role is filled).
    pub single_supplier: bool,
    /// The code is reviewed by a supplier that also develops it.
    pub self_review: bool,
    /// No third party reviews the code (no reviewer, or only the developer).
    pub no_third_party_review: bool,
    /// Suppliers in a role without a current partner agreement.
    pub without_agreement: Vec<String>,
}

/// Something ending soon.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ending {
    /// What: `partner_agreement`, `participant` or `agreement`.
    pub kind: &'static str,
    /// Its row.
    pub id: i32,
    /// For people: the supplier and role, or the agreement's title.
    pub label: String,
    /// The product, if any.
    pub product: Option<String>,
    /// The last day.
    pub ends_on: NaiveDate,
    /// Days from today.
    pub days_left: i64,
}

/// The portfolio's supplier concentration.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Concentration {
    /// The products with at least one supplier role filled, the most concentrated first.
    pub products: Vec<ProductSuppliers>,
    /// Products with one supplier in every role.
    pub single_supplier: usize,
    /// Products reviewed by their own developer.
    pub self_review: usize,
    /// Products with suppliers but no third-party review.
    pub no_third_party_review: usize,
    /// Per supplier: the products it has a role in, the most first.
    pub suppliers: Vec<SupplierLoad>,
    /// Partner agreements, supplier periods and agreements ending within
    /// [`ENDING_SOON_DAYS`], the soonest first.
    pub ending_soon: Vec<Ending>,
    /// The day it was counted on.
    pub today: NaiveDate,
}

/// How many products one supplier holds a role in.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupplierLoad {
    /// The organisation.
    pub organisation_id: i32,
    /// Its name.
    pub name: String,
    /// Products it has a current role in.
    pub products: usize,
    /// Products it develops.
    pub develops: usize,
    /// Whether it has a current partner agreement.
    pub partner: bool,
}

/// What the views count from: participants in supplier roles, organisations, agreements.
pub struct SupplierData {
    /// Participants in supplier roles.
    pub participants: Vec<participant::Model>,
    /// Organisations by id.
    pub organisations: BTreeMap<i32, organisation::Model>,
    /// Partner agreements by organisation.
    pub partners: BTreeMap<i32, partner_agreement::Model>,
}

impl SupplierData {
    fn lacks_agreement(&self, org: i32, today: NaiveDate) -> bool {
        let supplier = self
            .organisations
            .get(&org)
            .is_some_and(|o| o.kind == OrgKind::Leverandor);
        supplier && !self.partners.get(&org).is_some_and(|a| a.is_current(today))
    }

    fn name(&self, org: i32) -> String {
        self.organisations
            .get(&org)
            .map(|o| o.name.clone())
            .unwrap_or_else(|| format!("#{org}"))
    }
}

/// One product's suppliers from `data` on `today`.
pub fn product_suppliers(
    data: &SupplierData,
    product_id: i32,
    slug: &str,
    name: &str,
    today: NaiveDate,
) -> ProductSuppliers {
    let mine: Vec<&participant::Model> = data
        .participants
        .iter()
        .filter(|p| p.product_id == product_id && current(p, today))
        .collect();
    let roles: Vec<RoleSuppliers> = SUPPLIER_ROLES
        .iter()
        .map(|role| RoleSuppliers {
            role: *role,
            suppliers: mine
                .iter()
                .filter(|p| p.role == *role)
                .filter_map(|p| {
                    let org = p.organisation_id?;
                    Some(SupplierInRole {
                        participant_id: p.id,
                        organisation_id: org,
                        name: data.name(org),
                        since: p.since,
                        until: p.until,
                        without_agreement: data.lacks_agreement(org, today),
                    })
                })
                .collect(),
        })
        .collect();
    let orgs_in = |role: ParticipantRole| -> BTreeSet<i32> {
        roles
            .iter()
            .filter(|r| r.role == role)
            .flat_map(|r| r.suppliers.iter().map(|s| s.organisation_id))
            .collect()
    };
    let all: BTreeSet<i32> = roles
        .iter()
        .flat_map(|r| r.suppliers.iter().map(|s| s.organisation_id))
        .collect();
    let developers = orgs_in(ParticipantRole::Udviklingsleverandor);
    let reviewers = orgs_in(ParticipantRole::Reviewer);
    let self_review = reviewers.iter().any(|r| developers.contains(r));
    let third_party = reviewers.iter().any(|r| !developers.contains(r));
    let without: BTreeSet<String> = roles
        .iter()
        .flat_map(|r| r.suppliers.iter())
        .filter(|s| s.without_agreement)
        .map(|s| s.name.clone())
        .collect();
    ProductSuppliers {
        product_id,
        slug: slug.to_owned(),
        name: name.to_owned(),
        organisations: all.len(),
        single_supplier: all.len() == 1,
        self_review,
        no_third_party_review: !all.is_empty() && !third_party,
        without_agreement: without.into_iter().collect(),
        roles,
    }
}

/// Load what the views count from.
async fn load(app: &App) -> AppResult<SupplierData> {
    let participants = app.store().participants_in_roles(SUPPLIER_ROLES).await?;
    let partners: BTreeMap<i32, partner_agreement::Model> = app
        .store()
        .partner_agreements()
        .await?
        .into_iter()
        .map(|a| (a.organisation_id, a))
        .collect();
    let mut ids: BTreeSet<i32> = participants
        .iter()
        .filter_map(|p| p.organisation_id)
        .collect();
    ids.extend(partners.keys());
    let organisations = app
        .store()
        .organisations_by_ids(&ids.into_iter().collect::<Vec<_>>())
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    Ok(SupplierData {
        participants,
        organisations,
        partners,
    })
}

/// The portfolio's supplier concentration over the products the caller may see (readers
/// of the portfolio).
pub async fn concentration(app: &App, who: Caller<'_>) -> AppResult<Concentration> {
    require(who, Action::ReadPortfolio)?;
    let today = app.store().now().date_naive();
    let data = load(app).await?;
    let products: BTreeMap<i32, (String, String)> = visible_products(app.store(), who)
        .await?
        .into_iter()
        .filter(|p| !p.archived)
        .map(|p| (p.id, (p.slug, p.name)))
        .collect();
    let mut views: Vec<ProductSuppliers> = products
        .iter()
        .map(|(id, (slug, name))| product_suppliers(&data, *id, slug, name, today))
        .filter(|p| p.organisations > 0)
        .collect();
    views.sort_by(|a, b| {
        (b.single_supplier, b.self_review, b.no_third_party_review)
            .cmp(&(a.single_supplier, a.self_review, a.no_third_party_review))
            .then(a.name.cmp(&b.name))
    });
    let mut load_by: BTreeMap<i32, (BTreeSet<i32>, BTreeSet<i32>)> = BTreeMap::new();
    for p in data
        .participants
        .iter()
        .filter(|p| current(p, today) && products.contains_key(&p.product_id))
    {
        let Some(org) = p.organisation_id else {
            continue;
        };
        let entry = load_by.entry(org).or_default();
        entry.0.insert(p.product_id);
        if p.role == ParticipantRole::Udviklingsleverandor {
            entry.1.insert(p.product_id);
        }
    }
    let mut suppliers: Vec<SupplierLoad> = load_by
        .into_iter()
        .map(|(org, (all, dev))| SupplierLoad {
            organisation_id: org,
            name: data.name(org),
            products: all.len(),
            develops: dev.len(),
            partner: data.partners.get(&org).is_some_and(|a| a.is_current(today)),
        })
        .collect();
    suppliers.sort_by(|a, b| b.products.cmp(&a.products).then(a.name.cmp(&b.name)));
    let ending_soon = ending_soon(app, &data, &products, today).await?;
    Ok(Concentration {
        single_supplier: views.iter().filter(|p| p.single_supplier).count(),
        self_review: views.iter().filter(|p| p.self_review).count(),
        no_third_party_review: views.iter().filter(|p| p.no_third_party_review).count(),
        products: views,
        suppliers,
        ending_soon,
        today,
    })
}

async fn ending_soon(
    app: &App,
    data: &SupplierData,
    products: &BTreeMap<i32, (String, String)>,
    today: NaiveDate,
) -> AppResult<Vec<Ending>> {
    let horizon = today
        .checked_add_days(Days::new(ENDING_SOON_DAYS))
        .unwrap_or(today);
    let soon = |d: Option<NaiveDate>| d.filter(|d| *d >= today && *d <= horizon);
    let mut out = Vec::new();
    for a in data.partners.values() {
        if let Some(end) = soon(a.ends_on) {
            out.push(Ending {
                kind: "partner_agreement",
                id: a.id,
                label: format!("Leverandørpartneraftale: {}", data.name(a.organisation_id)),
                product: None,
                ends_on: end,
                days_left: (end - today).num_days(),
            });
        }
    }
    for p in &data.participants {
        let (Some(end), Some(org)) = (soon(p.until), p.organisation_id) else {
            continue;
        };
        let Some((_, product)) = products.get(&p.product_id) else {
            continue;
        };
        out.push(Ending {
            kind: "participant",
            id: p.id,
            label: format!("{}: {}", p.role, data.name(org)),
            product: Some(product.clone()),
            ends_on: end,
            days_left: (end - today).num_days(),
        });
    }
    let agreements = app
        .store()
        .list_agreements(&AgreementFilter::default(), &ListParams::all())
        .await?
        .items;
    for a in agreements {
        let Some(end) = soon(a.agreement.ends_on) else {
            continue;
        };
        let product = a
            .agreement
            .product_id
            .and_then(|id| products.get(&id))
            .map(|(_, n)| n.clone());
        if a.agreement.product_id.is_some() && product.is_none() {
            continue;
        }
        out.push(Ending {
            kind: "agreement",
            id: a.agreement.id,
            label: format!("{}: {}", a.agreement.kind, a.agreement.title),
            product,
            ends_on: end,
            days_left: (end - today).num_days(),
        });
    }
    out.sort_by(|a, b| a.ends_on.cmp(&b.ends_on).then(a.label.cmp(&b.label)));
    Ok(out)
}

/// Product `key`'s suppliers (readers of the portfolio; the public sees a published
/// product's supplier roles without the flags about agreements).
pub async fn of_product(app: &App, who: Caller<'_>, key: &str) -> AppResult<ProductSuppliers> {
    let product = resolve_product(app.store(), who, key).await?;
    let today = app.store().now().date_naive();
    let data = load(app).await?;
    let mut view = product_suppliers(&data, product.id, &product.slug, &product.name, today);
    if !allowed(who, Action::ReadPortfolio) {
        view.without_agreement.clear();
        for r in &mut view.roles {
            for s in &mut r.suppliers {
                s.without_agreement = false;
            }
        }
    }
    Ok(view)
}

/// Organisation `id`'s partner agreement (readers of the portfolio: it names contact
/// persons).
pub async fn partner(
    app: &App,
    who: Caller<'_>,
    id: i32,
) -> AppResult<(organisation::Model, Option<partner_agreement::Model>)> {
    require(who, Action::ReadPortfolio)?;
    let org = app.store().organisation(id).await.map_err(|_| {
        AppError::not_found(Msg::new(
            format!("organisation {id}"),
            format!("organisation {id}"),
        ))
    })?;
    let agreement = app.store().partner_agreement(id).await?;
    Ok((org, agreement))
}

/// Record or renew organisation `id`'s partner agreement (the secretariat).
pub async fn put_partner(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: &PartnerInput,
) -> AppResult<partner_agreement::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .put_partner_agreement(&who.actor(), id, input)
        .await?)
}

/// Remove organisation `id`'s partner agreement (the secretariat).
pub async fn remove_partner(app: &App, who: Caller<'_>, id: i32, version: i32) -> AppResult<()> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .remove_partner_agreement(&who.actor(), id, version)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: i32, name: &str, kind: OrgKind) -> organisation::Model {
        let t = chrono::DateTime::UNIX_EPOCH;
        organisation::Model {
            id,
            name: name.into(),
            kind,
            member_since: None,
            left_on: None,
            supplier_partner_since: None,
            note: None,
            archived: false,
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn part(
        id: i32,
        product: i32,
        org: i32,
        role: ParticipantRole,
        until: Option<&str>,
    ) -> participant::Model {
        let t = chrono::DateTime::UNIX_EPOCH;
        participant::Model {
            id,
            product_id: product,
            organisation_id: Some(org),
            person_id: None,
            role,
            since: None,
            until: until.map(|u| u.parse().unwrap()),
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn partner(org: i32, signed: &str, ends: Option<&str>, coc: bool) -> partner_agreement::Model {
        let t = chrono::DateTime::UNIX_EPOCH;
        partner_agreement::Model {
            id: org * 10,
            organisation_id: org,
            signed_on: signed.parse().unwrap(),
            ends_on: ends.map(|e| e.parse().unwrap()),
            code_of_conduct: coc,
            contacts: Default::default(),
            competences: Default::default(),
            logo_url: None,
            document_url: None,
            note: None,
            version: 1,
            created_at: t,
            updated_at: t,
        }
    }

    fn data() -> SupplierData {
        use ParticipantRole::*;
        SupplierData {
            participants: vec![
                // OS2mo: Magenta develops and hosts, Strong Minds reviews.
                part(1, 1, 10, Udviklingsleverandor, None),
                part(2, 1, 11, Reviewer, None),
                part(3, 1, 10, Hostingleverandor, None),
                // Product 2: one supplier everywhere, reviewing itself.
                part(4, 2, 12, Udviklingsleverandor, None),
                part(5, 2, 12, Reviewer, None),
                part(6, 2, 12, Driftsleverandor, Some("2027-01-31")),
                // An ended role does not count.
                part(7, 2, 11, Supportleverandor, Some("2025-12-31")),
            ],
            organisations: [
                org(10, "Magenta ApS", OrgKind::Leverandor),
                org(11, "Strong Minds", OrgKind::Leverandor),
                org(12, "Eneleverandøren A/S", OrgKind::Leverandor),
            ]
            .into_iter()
            .map(|o| (o.id, o))
            .collect(),
            partners: [
                partner(10, "2019-06-01", None, true),
                partner(11, "2020-01-01", None, false),
            ]
            .into_iter()
            .map(|a| (a.organisation_id, a))
            .collect(),
        }
    }

    #[test]
    fn os2mo_is_reviewed_by_a_third_party() {
        let today: NaiveDate = "2026-12-05".parse().unwrap();
        let v = product_suppliers(&data(), 1, "os2mo", "OS2mo", today);
        assert_eq!(v.organisations, 2);
        assert!(!v.single_supplier);
        assert!(!v.self_review);
        assert!(!v.no_third_party_review);
        let dev = &v.roles[0];
        assert_eq!(dev.role, ParticipantRole::Udviklingsleverandor);
        assert_eq!(dev.suppliers[0].name, "Magenta ApS");
        assert!(!dev.suppliers[0].without_agreement);
        // Strong Minds has not accepted the code of conduct: no current agreement.
        assert_eq!(v.without_agreement, vec!["Strong Minds".to_owned()]);
        assert!(v.roles[1].suppliers[0].without_agreement);
        assert!(v.roles[2].suppliers.is_empty());
    }

    #[test]
    fn one_supplier_everywhere_reviewing_itself_is_flagged() {
        let today: NaiveDate = "2026-12-05".parse().unwrap();
        let v = product_suppliers(&data(), 2, "p2", "P2", today);
        assert_eq!(v.organisations, 1, "the ended support role does not count");
        assert!(v.single_supplier);
        assert!(v.self_review);
        assert!(v.no_third_party_review);
        assert_eq!(v.without_agreement, vec!["Eneleverandøren A/S".to_owned()]);
        // After the operations period ends, the product has no operations supplier.
        let later: NaiveDate = "2027-02-01".parse().unwrap();
        let v = product_suppliers(&data(), 2, "p2", "P2", later);
        assert!(v.roles[2].suppliers.is_empty());
    }
}
