//! Organisations and persons.

use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::entity::{organisation, person};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::query::{lower_like, order, page};
use crate::types::OrgKind;
use crate::validate;
use crate::versioned::{self, Change, ensure_exists, ensure_free, plain_aggregate};
use crate::write::Actor;

/// What a client sends to create or change an organisation.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    /// Name, unique.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Member since.
    #[serde(default)]
    pub member_since: Option<chrono::NaiveDate>,
    /// Left on.
    #[serde(default)]
    pub left_on: Option<chrono::NaiveDate>,
    /// Supplier partner agreement date.
    #[serde(default)]
    pub supplier_partner_since: Option<chrono::NaiveDate>,
    /// Free text.
    #[serde(default)]
    pub note: Option<String>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// Filters for the organisation list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganisationFilter {
    /// Only this kind.
    pub kind: Option<OrgKind>,
    /// Include archived organisations.
    #[serde(default)]
    pub archived: Option<bool>,
}

/// What a client sends to create or change a person.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// Name.
    pub name: String,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Organisation.
    #[serde(default)]
    pub organisation_id: Option<i32>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// Filters for the person list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonFilter {
    /// Only people of this organisation.
    pub organisation_id: Option<i32>,
    /// Include archived persons.
    #[serde(default)]
    pub archived: Option<bool>,
}

plain_aggregate!(organisation, person);

/// An organisation input, checked.
struct OrgChange {
    name: String,
    note: Option<String>,
    input: OrganisationInput,
}

fn check_org(input: OrganisationInput) -> Result<OrgChange> {
    let name = validate::required("name", &input.name, 200)?;
    let note = validate::optional("note", input.note.as_deref(), 5000)?;
    validate::period("left_on", input.member_since, input.left_on)?;
    if input.supplier_partner_since.is_some() && input.kind != OrgKind::Leverandor {
        return Err(StoreError::invalid(
            "supplier_partner_since",
            "kun leverandører har en leverandørpartneraftale",
            "only suppliers have a supplier partner agreement",
        ));
    }
    Ok(OrgChange { name, note, input })
}

impl Change for OrgChange {
    type Of = organisation::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        before: Option<&organisation::Model>,
    ) -> Result<()> {
        let except = before.map(|b| b.id);
        ensure_free::<organisation::Entity>(
            txn,
            organisation::Column::Name,
            "name",
            &self.name,
            except,
        )
        .await
    }

    fn fields(&self) -> organisation::ActiveModel {
        organisation::ActiveModel {
            name: Set(self.name.clone()),
            kind: Set(self.input.kind),
            member_since: Set(self.input.member_since),
            left_on: Set(self.input.left_on),
            supplier_partner_since: Set(self.input.supplier_partner_since),
            note: Set(self.note.clone()),
            ..Default::default()
        }
    }
}

/// A person input, checked.
struct PersonChange {
    name: String,
    email: Option<String>,
    organisation_id: Option<i32>,
}

fn check_person(input: PersonInput) -> Result<PersonChange> {
    Ok(PersonChange {
        name: validate::required("name", &input.name, 200)?,
        email: validate::optional("email", input.email.as_deref(), 320)?,
        organisation_id: input.organisation_id,
    })
}

impl Change for PersonChange {
    type Of = person::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        _before: Option<&person::Model>,
    ) -> Result<()> {
        if let Some(org) = self.organisation_id {
            ensure_organisation(txn, "organisation_id", org).await?;
        }
        Ok(())
    }

    fn fields(&self) -> person::ActiveModel {
        person::ActiveModel {
            name: Set(self.name.clone()),
            email: Set(self.email.clone()),
            organisation_id: Set(self.organisation_id),
            ..Default::default()
        }
    }
}

/// Check that an organisation exists (named `field` in the error).
pub(crate) async fn ensure_organisation(
    db: &impl sea_orm::ConnectionTrait,
    field: &str,
    id: i32,
) -> Result<()> {
    ensure_exists::<organisation::Entity>(db, field, id, ("organisation", "organisation")).await
}

/// Check that a person exists.
pub(crate) async fn ensure_person(
    db: &impl sea_orm::ConnectionTrait,
    field: &str,
    id: i32,
) -> Result<()> {
    ensure_exists::<person::Entity>(db, field, id, ("person", "person")).await
}

impl Store {
    /// Create an organisation.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: OrganisationInput,
    ) -> Result<organisation::Model> {
        versioned::create(self, actor, check_org(input)?).await
    }

    /// Change an organisation that is still at version `expected`.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: OrganisationInput,
    ) -> Result<organisation::Model> {
        versioned::update(self, actor, id, expected, check_org(input)?).await
    }

    /// Archive an organisation (nothing is deleted).
    pub async fn archive_organisation(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<organisation::Model> {
        versioned::archive::<organisation::Entity>(self, actor, id, expected).await
    }

    /// One organisation.
    pub async fn organisation(&self, id: i32) -> Result<organisation::Model> {
        organisation::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("organisation", id))
    }

    /// The organisations with these ids (archived ones included), ordered by id; ids
    /// that do not exist are left out. One query, for pages that refer to several.
    pub async fn organisations_by_ids(&self, ids: &[i32]) -> Result<Vec<organisation::Model>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(ids.iter().copied()))
            .order_by_asc(organisation::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// Organisations; sort keys `name`, `kind`, `member_since`, `updated_at`.
    pub async fn list_organisations(
        &self,
        filter: &OrganisationFilter,
        params: &ListParams,
    ) -> Result<Page<organisation::Model>> {
        use organisation::Column as C;
        let mut q = organisation::Entity::find();
        if !filter.archived.unwrap_or(false) {
            q = q.filter(C::Archived.eq(false));
        }
        if let Some(kind) = filter.kind {
            q = q.filter(C::Kind.eq(kind));
        }
        if let Some(text) = params.query() {
            q = q.filter(lower_like(C::Name, &text));
        }
        let (key, desc) =
            params.sort_key(&["name", "kind", "member_since", "updated_at"], "name")?;
        let col = match key {
            "kind" => C::Kind,
            "member_since" => C::MemberSince,
            "updated_at" => C::UpdatedAt,
            _ => C::Name,
        };
        q = q.order_by(col, order(desc)).order_by_asc(C::Id);
        page(q, params, self.conn()).await
    }

    /// Create a person.
    pub async fn create_person(&self, actor: &Actor, input: PersonInput) -> Result<person::Model> {
        versioned::create(self, actor, check_person(input)?).await
    }

    /// Change a person that is still at version `expected`.
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: PersonInput,
    ) -> Result<person::Model> {
        versioned::update(self, actor, id, expected, check_person(input)?).await
    }

    /// Archive a person.
    pub async fn archive_person(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<person::Model> {
        versioned::archive::<person::Entity>(self, actor, id, expected).await
    }

    /// The persons with these ids, ordered by id; ids that do not exist are left out.
    pub async fn persons_by_ids(&self, ids: &[i32]) -> Result<Vec<person::Model>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(person::Entity::find()
            .filter(person::Column::Id.is_in(ids.iter().copied()))
            .order_by_asc(person::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// One person.
    pub async fn person(&self, id: i32) -> Result<person::Model> {
        person::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("person", id))
    }

    /// Persons; sort keys `name`, `updated_at`.
    pub async fn list_persons(
        &self,
        filter: &PersonFilter,
        params: &ListParams,
    ) -> Result<Page<person::Model>> {
        use person::Column as C;
        let mut q = person::Entity::find();
        if !filter.archived.unwrap_or(false) {
            q = q.filter(C::Archived.eq(false));
        }
        if let Some(org) = filter.organisation_id {
            q = q.filter(C::OrganisationId.eq(org));
        }
        if let Some(text) = params.query() {
            q = q.filter(lower_like(C::Name, &text));
        }
        let (key, desc) = params.sort_key(&["name", "updated_at"], "name")?;
        let col = if key == "updated_at" {
            C::UpdatedAt
        } else {
            C::Name
        };
        q = q.order_by(col, order(desc)).order_by_asc(C::Id);
        page(q, params, self.conn()).await
    }
}
