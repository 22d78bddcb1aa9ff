//! Suppliers' partner agreements (leverandørpartneraftaler): one per organisation, with
//! the day it was signed, whether the code of conduct is accepted, contact persons, core
//! competences and a logo. A renewal changes the agreement; the audit log keeps what it
//! said before.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Store;
use crate::entity::{organisation, participant, partner_agreement};
use crate::error::{Result, StoreError};
use crate::json::{Contact, ContactList, StringList};
use crate::types::{OrgKind, ParticipantRole};
use crate::validate;
use crate::write::{Actor, at_version, load_locked, save};

/// The most partner agreements one read returns (OS2 has a few dozen suppliers).
pub const PARTNERS_LIMIT: u64 = 5_000;

/// What the secretariat sends to record or renew a supplier's partner agreement.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerInput {
    /// Signed on.
    pub signed_on: chrono::NaiveDate,
    /// Ends on (inclusive), if it ends.
    #[serde(default)]
    pub ends_on: Option<chrono::NaiveDate>,
    /// Whether OS2's code of conduct is accepted.
    #[serde(default)]
    pub code_of_conduct: bool,
    /// Contact persons.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Core competences.
    #[serde(default)]
    pub competences: Vec<String>,
    /// Link to the logo (https).
    #[serde(default)]
    pub logo_url: Option<String>,
    /// Link to the signed agreement.
    #[serde(default)]
    pub document_url: Option<String>,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
    /// The version the change is based on (none for a new agreement).
    #[serde(default)]
    pub version: Option<i32>,
}

struct Checked {
    contacts: Vec<Contact>,
    competences: Vec<String>,
    logo_url: Option<String>,
    document_url: Option<String>,
    note: Option<String>,
}

fn check(input: &PartnerInput) -> Result<Checked> {
    validate::period("ends_on", Some(input.signed_on), input.ends_on)?;
    if input.contacts.len() > 20 {
        return Err(StoreError::invalid(
            "contacts",
            "højst 20 kontaktpersoner",
            "at most 20 contact persons",
        ));
    }
    if input.competences.len() > 50 {
        return Err(StoreError::invalid(
            "competences",
            "højst 50 kompetencer",
            "at most 50 competences",
        ));
    }
    let mut contacts = Vec::with_capacity(input.contacts.len());
    for (i, c) in input.contacts.iter().enumerate() {
        contacts.push(Contact {
            name: validate::required(&format!("contacts[{i}].name"), &c.name, 200)?,
            role: validate::optional(&format!("contacts[{i}].role"), c.role.as_deref(), 200)?,
            email: validate::email(&format!("contacts[{i}].email"), c.email.as_deref())?,
            phone: validate::optional(&format!("contacts[{i}].phone"), c.phone.as_deref(), 50)?,
        });
    }
    let mut competences = Vec::with_capacity(input.competences.len());
    for (i, c) in input.competences.iter().enumerate() {
        let c = validate::required(&format!("competences[{i}]"), c, 200)?;
        if !competences.contains(&c) {
            competences.push(c);
        }
    }
    Ok(Checked {
        contacts,
        competences,
        logo_url: validate::url("logo_url", input.logo_url.as_deref())?,
        document_url: validate::url("document_url", input.document_url.as_deref())?,
        note: validate::optional("note", input.note.as_deref(), 5_000)?,
    })
}

impl Store {
    /// Record or renew organisation `organisation_id`'s partner agreement. Only a supplier
    /// (kind `leverandør`) signs one. A new agreement needs no version; a change needs the
    /// version the caller saw.
    pub async fn put_partner_agreement(
        &self,
        actor: &Actor,
        organisation_id: i32,
        input: &PartnerInput,
    ) -> Result<partner_agreement::Model> {
        let c = check(input)?;
        let tx = self.tx(actor).await?;
        let org = match load_locked::<organisation::Entity>(&tx.txn, organisation_id).await {
            Ok(org) => org,
            Err(StoreError::NotFound { .. }) => {
                return Err(StoreError::invalid(
                    "organisation_id",
                    format!("organisation {organisation_id} findes ikke"),
                    format!("organisation {organisation_id} does not exist"),
                ));
            }
            Err(e) => return Err(e),
        };
        if org.kind != OrgKind::Leverandor {
            return Err(StoreError::invalid(
                "organisation_id",
                format!(
                    "{} er ikke en leverandør; kun leverandører indgår leverandørpartneraftaler",
                    org.name
                ),
                format!(
                    "{} is not a supplier; only suppliers sign partner agreements",
                    org.name
                ),
            ));
        }
        let before = partner_agreement::Entity::find()
            .filter(partner_agreement::Column::OrganisationId.eq(organisation_id))
            .one(&tx.txn)
            .await?;
        let fields = partner_agreement::ActiveModel {
            signed_on: Set(input.signed_on),
            ends_on: Set(input.ends_on),
            code_of_conduct: Set(input.code_of_conduct),
            contacts: Set(ContactList(c.contacts)),
            competences: Set(StringList(c.competences)),
            logo_url: Set(c.logo_url),
            document_url: Set(c.document_url),
            note: Set(c.note),
            updated_at: Set(tx.now),
            ..Default::default()
        };
        let after = match &before {
            None => {
                let mut row = fields;
                row.organisation_id = Set(organisation_id);
                row.version = Set(1);
                row.created_at = Set(tx.now);
                row.insert(&tx.txn).await?
            }
            Some(b) => {
                let expected = input.version.ok_or_else(|| {
                    StoreError::invalid(
                        "version",
                        "skal udfyldes, når aftalen ændres",
                        "is required when the agreement changes",
                    )
                })?;
                save::<partner_agreement::Entity>(&tx.txn, b.id, expected, fields).await?
            }
        };
        tx.audit(
            if before.is_some() { "update" } else { "create" },
            "partner_agreement",
            Some(after.id),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Remove organisation `organisation_id`'s partner agreement (it was recorded in error
    /// or is terminated and should not be shown); at the version the caller saw.
    pub async fn remove_partner_agreement(
        &self,
        actor: &Actor,
        organisation_id: i32,
        expected: i32,
    ) -> Result<()> {
        let tx = self.tx(actor).await?;
        let before = partner_agreement::Entity::find()
            .filter(partner_agreement::Column::OrganisationId.eq(organisation_id))
            .one(&tx.txn)
            .await?
            .ok_or_else(|| StoreError::not_found("partner_agreement", organisation_id))?;
        let before = at_version::<partner_agreement::Entity>(before, expected)?;
        partner_agreement::Entity::delete_by_id(before.id)
            .exec(&tx.txn)
            .await?;
        tx.audit(
            "delete",
            "partner_agreement",
            Some(before.id),
            Some(&before),
            None::<&()>,
        )
        .await?;
        tx.commit().await
    }

    /// Organisation `organisation_id`'s partner agreement, if it has one.
    pub async fn partner_agreement(
        &self,
        organisation_id: i32,
    ) -> Result<Option<partner_agreement::Model>> {
        Ok(partner_agreement::Entity::find()
            .filter(partner_agreement::Column::OrganisationId.eq(organisation_id))
            .one(self.conn())
            .await?)
    }

    /// Every participation of an organisation in one of `roles` across the portfolio (at
    /// most 50 000 rows), by product: what the supplier views count.
    pub async fn participants_in_roles(
        &self,
        roles: &[ParticipantRole],
    ) -> Result<Vec<participant::Model>> {
        Ok(participant::Entity::find()
            .filter(participant::Column::Role.is_in(roles.to_vec()))
            .filter(participant::Column::OrganisationId.is_not_null())
            .order_by_asc(participant::Column::ProductId)
            .order_by_asc(participant::Column::Id)
            .limit(50_000)
            .all(self.conn())
            .await?)
    }

    /// Every partner agreement (at most [`PARTNERS_LIMIT`]), by organisation.
    pub async fn partner_agreements(&self) -> Result<Vec<partner_agreement::Model>> {
        Ok(partner_agreement::Entity::find()
            .order_by_asc(partner_agreement::Column::OrganisationId)
            .limit(PARTNERS_LIMIT)
            .all(self.conn())
            .await?)
    }
}
