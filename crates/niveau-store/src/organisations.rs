//! Organisations and persons.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::entity::{organisation, person};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::query::{lower_like, order, page};
use crate::types::OrgKind;
use crate::validate;
use crate::write::{Actor, load_current, map_unique, save};

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

struct OrgFields {
    name: String,
    note: Option<String>,
}

fn check_org(input: &OrganisationInput) -> Result<OrgFields> {
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
    Ok(OrgFields { name, note })
}

async fn ensure_org_name_free(
    txn: &sea_orm::DatabaseTransaction,
    name: &str,
    except: Option<i32>,
) -> Result<()> {
    let mut q = organisation::Entity::find().filter(organisation::Column::Name.eq(name));
    if let Some(id) = except {
        q = q.filter(organisation::Column::Id.ne(id));
    }
    if q.one(txn).await?.is_some() {
        return Err(StoreError::Duplicate {
            field: "name",
            value: name.to_string(),
        });
    }
    Ok(())
}

/// Check that an organisation exists (named `field` in the error).
pub(crate) async fn ensure_organisation(
    db: &impl sea_orm::ConnectionTrait,
    field: &str,
    id: i32,
) -> Result<()> {
    if organisation::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_none()
    {
        return Err(StoreError::invalid(
            field,
            format!("organisation {id} findes ikke"),
            format!("organisation {id} does not exist"),
        ));
    }
    Ok(())
}

/// Check that a person exists.
pub(crate) async fn ensure_person(
    db: &impl sea_orm::ConnectionTrait,
    field: &str,
    id: i32,
) -> Result<()> {
    if person::Entity::find_by_id(id).one(db).await?.is_none() {
        return Err(StoreError::invalid(
            field,
            format!("person {id} findes ikke"),
            format!("person {id} does not exist"),
        ));
    }
    Ok(())
}

impl Store {
    /// Create an organisation.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        input: OrganisationInput,
    ) -> Result<organisation::Model> {
        let fields = check_org(&input)?;
        let tx = self.tx(actor).await?;
        ensure_org_name_free(&tx.txn, &fields.name, None).await?;
        let model = organisation::ActiveModel {
            name: Set(fields.name),
            kind: Set(input.kind),
            member_since: Set(input.member_since),
            left_on: Set(input.left_on),
            supplier_partner_since: Set(input.supplier_partner_since),
            note: Set(fields.note),
            archived: Set(false),
            version: Set(1),
            created_at: Set(tx.now),
            updated_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await
        .map_err(map_unique)?;
        tx.audit(
            "create",
            "organisation",
            Some(model.id),
            None::<&()>,
            Some(&model),
        )
        .await?;
        tx.commit().await?;
        Ok(model)
    }

    /// Change an organisation that is still at version `expected`.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: OrganisationInput,
    ) -> Result<organisation::Model> {
        let fields = check_org(&input)?;
        let tx = self.tx(actor).await?;
        let before = load_current::<organisation::Entity>(&tx.txn, id, expected).await?;
        ensure_org_name_free(&tx.txn, &fields.name, Some(id)).await?;
        let after = save::<organisation::Entity>(
            &tx.txn,
            id,
            expected,
            organisation::ActiveModel {
                name: Set(fields.name),
                kind: Set(input.kind),
                member_since: Set(input.member_since),
                left_on: Set(input.left_on),
                supplier_partner_since: Set(input.supplier_partner_since),
                note: Set(fields.note),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        tx.audit(
            "update",
            "organisation",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Archive an organisation (nothing is deleted).
    pub async fn archive_organisation(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<organisation::Model> {
        let tx = self.tx(actor).await?;
        let before = load_current::<organisation::Entity>(&tx.txn, id, expected).await?;
        let after = save::<organisation::Entity>(
            &tx.txn,
            id,
            expected,
            organisation::ActiveModel {
                archived: Set(true),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        tx.audit(
            "archive",
            "organisation",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
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
        let name = validate::required("name", &input.name, 200)?;
        let email = validate::optional("email", input.email.as_deref(), 320)?;
        let tx = self.tx(actor).await?;
        if let Some(org) = input.organisation_id {
            ensure_organisation(&tx.txn, "organisation_id", org).await?;
        }
        let model = person::ActiveModel {
            name: Set(name),
            email: Set(email),
            organisation_id: Set(input.organisation_id),
            archived: Set(false),
            version: Set(1),
            created_at: Set(tx.now),
            updated_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await
        .map_err(map_unique)?;
        tx.audit(
            "create",
            "person",
            Some(model.id),
            None::<&()>,
            Some(&model),
        )
        .await?;
        tx.commit().await?;
        Ok(model)
    }

    /// Change a person that is still at version `expected`.
    pub async fn update_person(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: PersonInput,
    ) -> Result<person::Model> {
        let name = validate::required("name", &input.name, 200)?;
        let email = validate::optional("email", input.email.as_deref(), 320)?;
        let tx = self.tx(actor).await?;
        let before = load_current::<person::Entity>(&tx.txn, id, expected).await?;
        if let Some(org) = input.organisation_id {
            ensure_organisation(&tx.txn, "organisation_id", org).await?;
        }
        let after = save::<person::Entity>(
            &tx.txn,
            id,
            expected,
            person::ActiveModel {
                name: Set(name),
                email: Set(email),
                organisation_id: Set(input.organisation_id),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        tx.audit("update", "person", Some(id), Some(&before), Some(&after))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Archive a person.
    pub async fn archive_person(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<person::Model> {
        let tx = self.tx(actor).await?;
        let before = load_current::<person::Entity>(&tx.txn, id, expected).await?;
        let after = save::<person::Entity>(
            &tx.txn,
            id,
            expected,
            person::ActiveModel {
                archived: Set(true),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        tx.audit("archive", "person", Some(id), Some(&before), Some(&after))
            .await?;
        tx.commit().await?;
        Ok(after)
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
