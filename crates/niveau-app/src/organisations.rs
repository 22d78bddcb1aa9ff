//! Organisations (municipalities, regions, suppliers) and persons: registering, changing
//! and archiving them, the lists, and what one organisation takes part in.
//!
//! Who may: the secretariat changes them ([`Action::EditPortfolio`]); logged-in readers
//! read them (persons hold e-mail addresses, so the lists are not public). An
//! organisation's own page is public: its name and kind, and what it takes part in among
//! the products the caller may see; archived organisations are for logged-in readers.

use niveau_model::Msg;
use niveau_store::agreements::AgreementFilter;
use niveau_store::entity::{
    agreement, group_member, organisation, participant, person, work_group,
};
use niveau_store::{ListParams, Page};

pub use niveau_store::organisations::{
    OrganisationFilter, OrganisationInput, PersonFilter, PersonInput,
};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed, require};
use crate::principal::Caller;
use crate::products::ProductRef;

/// "organisation x" / "organisation x".
fn organisation_name(id: impl std::fmt::Display) -> Msg {
    Msg::new(format!("organisation {id}"), format!("organisation {id}"))
}

/// The organisations, one page (logged-in readers).
pub async fn list(
    app: &App,
    who: Caller<'_>,
    filter: &OrganisationFilter,
    params: &ListParams,
) -> AppResult<Page<organisation::Model>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().list_organisations(filter, params).await?)
}

/// Every organisation that is not archived, by name: their names and kinds are public
/// (the portfolio's filter, the statistics).
pub async fn all_current(app: &App) -> AppResult<Vec<organisation::Model>> {
    Ok(app
        .store()
        .list_organisations(&OrganisationFilter::default(), &ListParams::all())
        .await?
        .items)
}

/// Register an organisation (the secretariat).
pub async fn create(
    app: &App,
    who: Caller<'_>,
    input: OrganisationInput,
) -> AppResult<organisation::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app.store().create_organisation(&who.actor(), input).await?)
}

/// Organisation `id` (logged-in readers).
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<organisation::Model> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().organisation(id).await?)
}

/// Change organisation `id`, still at version `expected` (the secretariat).
pub async fn update(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: OrganisationInput,
) -> AppResult<organisation::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .update_organisation(&who.actor(), id, expected, input)
        .await?)
}

/// Archive organisation `id` ("delete"; the secretariat): it leaves the lists, its
/// history stays.
pub async fn archive(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
) -> AppResult<organisation::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .archive_organisation(&who.actor(), id, expected)
        .await?)
}

/// The persons, one page (logged-in readers).
pub async fn list_persons(
    app: &App,
    who: Caller<'_>,
    filter: &PersonFilter,
    params: &ListParams,
) -> AppResult<Page<person::Model>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().list_persons(filter, params).await?)
}

/// Register a person (the secretariat).
pub async fn create_person(
    app: &App,
    who: Caller<'_>,
    input: PersonInput,
) -> AppResult<person::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app.store().create_person(&who.actor(), input).await?)
}

/// Person `id` (logged-in readers).
pub async fn get_person(app: &App, who: Caller<'_>, id: i32) -> AppResult<person::Model> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().person(id).await?)
}

/// Change person `id`, still at version `expected` (the secretariat).
pub async fn update_person(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: PersonInput,
) -> AppResult<person::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .update_person(&who.actor(), id, expected, input)
        .await?)
}

/// Archive person `id` ("delete"; the secretariat).
pub async fn archive_person(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
) -> AppResult<person::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .archive_person(&who.actor(), id, expected)
        .await?)
}

/// What one organisation takes part in, among the products the caller may see.
#[derive(Debug)]
pub struct Involvement {
    /// The organisation.
    pub organisation: organisation::Model,
    /// Its participations with their products, by product name.
    pub parts: Vec<(participant::Model, ProductRef)>,
    /// Its seats in groups; the product is `None` for a community-wide group.
    pub seats: Vec<(group_member::Model, work_group::Model, Option<ProductRef>)>,
    /// The agreements it is party to; the product is `None` for a community-wide one.
    pub agreements: Vec<(agreement::Model, Option<ProductRef>)>,
}

/// What organisation `id` takes part in (public): products and roles, seats in groups,
/// agreements, among the products the caller may see (a product's group or agreement is
/// shown when its product is; community-wide ones always). An archived organisation is
/// not found for the public.
pub async fn involvement(app: &App, who: Caller<'_>, id: i32) -> AppResult<Involvement> {
    let store = app.store();
    let organisation = store
        .organisation(id)
        .await
        .ok()
        .filter(|o| !o.archived || allowed(who, Action::ReadPortfolio))
        .ok_or_else(|| AppError::not_found(organisation_name(id)))?;
    let products = crate::products::visible_refs(app, who).await?;
    // A product's group or agreement is shown when its product is; `None` hides it.
    let product_of = |product_id: Option<i32>| -> Option<Option<ProductRef>> {
        match product_id {
            Some(pid) => products.get(&pid).cloned().map(Some),
            None => Some(None),
        }
    };
    let found = store.organisation_involvement(organisation.id).await?;
    let mut parts: Vec<(participant::Model, ProductRef)> = found
        .participations
        .into_iter()
        .filter_map(|p| {
            let product = products.get(&p.product_id)?.clone();
            Some((p, product))
        })
        .collect();
    parts.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let seats = found
        .seats
        .into_iter()
        .filter_map(|(member, group)| {
            let product = product_of(group.product_id)?;
            Some((member, group, product))
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
            let product = product_of(a.agreement.product_id)?;
            Some((a.agreement, product))
        })
        .collect();
    Ok(Involvement {
        organisation,
        parts,
        seats,
        agreements,
    })
}

/// Inputs for the tests of the portfolio operations.
#[cfg(test)]
pub(crate) mod testing {
    use niveau_store::types::OrgKind;

    use super::*;

    /// A municipality's input.
    pub fn organisation_input(name: &str) -> OrganisationInput {
        OrganisationInput {
            name: name.into(),
            kind: OrgKind::Kommune,
            member_since: None,
            left_on: None,
            supplier_partner_since: None,
            note: None,
            version: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use niveau_store::products::ParticipantInput;
    use niveau_store::types::{ParticipantRole, Role};

    use super::testing::organisation_input;
    use super::*;
    use crate::error::ErrorKind;
    use crate::products::testing::{app, product, secretariat, who};

    #[tokio::test]
    async fn only_the_secretariat_changes_organisations_and_readers_read_them() {
        let app = app().await;
        let reader = who(&[Role::Laeser], &[]);
        assert!(matches!(
            create(&app, Some(&reader), organisation_input("Aarhus Kommune")).await,
            Err(AppError::Forbidden)
        ));
        let created = create(
            &app,
            Some(&secretariat()),
            organisation_input("Aarhus Kommune"),
        )
        .await
        .expect("created");
        assert_eq!(created.version, 1);
        assert!(matches!(
            get(&app, None, created.id).await,
            Err(AppError::Unauthenticated)
        ));
        assert_eq!(
            get(&app, Some(&reader), created.id)
                .await
                .expect("a reader reads")
                .name,
            "Aarhus Kommune"
        );
        let mut input = organisation_input("Aarhus");
        input.note = Some("Kort navn".into());
        let changed = update(&app, Some(&secretariat()), created.id, 1, input)
            .await
            .expect("changed");
        assert_eq!((changed.name.as_str(), changed.version), ("Aarhus", 2));
        let stale = archive(&app, Some(&secretariat()), created.id, 1)
            .await
            .expect_err("stale");
        assert_eq!(stale.kind(), ErrorKind::Conflict);
        let archived = archive(&app, Some(&secretariat()), created.id, 2)
            .await
            .expect("archived");
        assert!(archived.archived);
        let listed = list(
            &app,
            Some(&reader),
            &OrganisationFilter::default(),
            &ListParams::all(),
        )
        .await
        .expect("list");
        assert_eq!(listed.total, 0, "archived organisations leave the list");
    }

    #[tokio::test]
    async fn an_organisations_page_shows_only_the_products_the_caller_may_see() {
        let app = app().await;
        let org = create(
            &app,
            Some(&secretariat()),
            organisation_input("Aarhus Kommune"),
        )
        .await
        .expect("organisation");
        for (slug, published) in [("offentlig", true), ("skjult", false)] {
            product(&app, slug, published).await;
            crate::products::add_participant(
                &app,
                Some(&secretariat()),
                slug,
                ParticipantInput {
                    organisation_id: Some(org.id),
                    person_id: None,
                    role: ParticipantRole::Anvender,
                    since: None,
                    until: None,
                    version: None,
                },
            )
            .await
            .expect("participant");
        }
        let public = involvement(&app, None, org.id).await.expect("public");
        let slugs: Vec<&str> = public.parts.iter().map(|(_, p)| p.slug.as_str()).collect();
        assert_eq!(slugs, ["offentlig"]);
        let reader = who(&[Role::Laeser], &[]);
        let all = involvement(&app, Some(&reader), org.id)
            .await
            .expect("reader");
        let names: Vec<&str> = all.parts.iter().map(|(_, p)| p.name.as_str()).collect();
        assert_eq!(names, ["OFFENTLIG", "SKJULT"]);

        archive(&app, Some(&secretariat()), org.id, 1)
            .await
            .expect("archived");
        let gone = involvement(&app, None, org.id).await.expect_err("archived");
        assert_eq!(gone.kind(), ErrorKind::NotFound);
        assert!(involvement(&app, Some(&reader), org.id).await.is_ok());
    }
}
