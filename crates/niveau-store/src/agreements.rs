//! Agreements and their parties.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::entity::{agreement, agreement_party};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::organisations::ensure_organisation;
use crate::products::ensure_product;
use crate::query::{lower_like, order, page};
use crate::types::AgreementKind;
use crate::validate;
use crate::write::{Actor, load_current, map_unique, save};

/// A party as a client sends it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    /// The organisation.
    pub organisation_id: i32,
    /// Its role (free text, e.g. "part", "leverandør").
    #[serde(default = "default_party_role")]
    pub role: String,
}

fn default_party_role() -> String {
    "part".to_string()
}

/// What a client sends to create or change an agreement. The parties are replaced as a whole.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    /// The product, if any.
    #[serde(default)]
    pub product_id: Option<i32>,
    /// Kind.
    pub kind: AgreementKind,
    /// Title.
    pub title: String,
    /// Period start.
    #[serde(default)]
    pub starts_on: Option<chrono::NaiveDate>,
    /// Period end.
    #[serde(default)]
    pub ends_on: Option<chrono::NaiveDate>,
    /// The economy.
    #[serde(default)]
    pub economy: Option<String>,
    /// Link to the document.
    #[serde(default)]
    pub document_url: Option<String>,
    /// Parties.
    #[serde(default)]
    pub parties: Vec<PartyInput>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// Filters for the agreement list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgreementFilter {
    /// Only agreements about this product.
    pub product_id: Option<i32>,
    /// Only this kind.
    pub kind: Option<AgreementKind>,
    /// Only agreements this organisation is party to.
    pub organisation_id: Option<i32>,
    /// Include archived agreements.
    pub archived: Option<bool>,
}

/// An agreement with its parties.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgreementWithParties {
    /// The agreement.
    #[serde(flatten)]
    pub agreement: agreement::Model,
    /// Its parties.
    pub parties: Vec<agreement_party::Model>,
}

struct AgreementFields {
    title: String,
    economy: Option<String>,
    document_url: Option<String>,
}

fn check(input: &AgreementInput) -> Result<AgreementFields> {
    validate::period("ends_on", input.starts_on, input.ends_on)?;
    for (i, party) in input.parties.iter().enumerate() {
        validate::required(&format!("parties[{i}].role"), &party.role, 100)?;
    }
    Ok(AgreementFields {
        title: validate::required("title", &input.title, 300)?,
        economy: validate::optional("economy", input.economy.as_deref(), 5000)?,
        document_url: validate::url("document_url", input.document_url.as_deref())?,
    })
}

async fn write_parties(
    txn: &sea_orm::DatabaseTransaction,
    agreement_id: i32,
    parties: &[PartyInput],
) -> Result<Vec<agreement_party::Model>> {
    agreement_party::Entity::delete_many()
        .filter(agreement_party::Column::AgreementId.eq(agreement_id))
        .exec(txn)
        .await?;
    let mut out = Vec::with_capacity(parties.len());
    for (i, party) in parties.iter().enumerate() {
        ensure_organisation(
            txn,
            &format!("parties[{i}].organisation_id"),
            party.organisation_id,
        )
        .await?;
        out.push(
            agreement_party::ActiveModel {
                agreement_id: Set(agreement_id),
                organisation_id: Set(party.organisation_id),
                role: Set(party.role.trim().to_string()),
                ..Default::default()
            }
            .insert(txn)
            .await?,
        );
    }
    Ok(out)
}

async fn parties_of(
    db: &impl sea_orm::ConnectionTrait,
    agreement_ids: Vec<i32>,
) -> Result<Vec<agreement_party::Model>> {
    Ok(agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.is_in(agreement_ids))
        .order_by_asc(agreement_party::Column::Id)
        .all(db)
        .await?)
}

impl Store {
    /// Create an agreement with its parties.
    pub async fn create_agreement(
        &self,
        actor: &Actor,
        input: AgreementInput,
    ) -> Result<AgreementWithParties> {
        let fields = check(&input)?;
        let tx = self.tx(actor).await?;
        if let Some(product) = input.product_id {
            ensure_product(&tx.txn, "product_id", product).await?;
        }
        let agreement = agreement::ActiveModel {
            product_id: Set(input.product_id),
            kind: Set(input.kind),
            title: Set(fields.title),
            starts_on: Set(input.starts_on),
            ends_on: Set(input.ends_on),
            economy: Set(fields.economy),
            document_url: Set(fields.document_url),
            archived: Set(false),
            version: Set(1),
            created_at: Set(tx.now),
            updated_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await
        .map_err(map_unique)?;
        let parties = write_parties(&tx.txn, agreement.id, &input.parties).await?;
        let after = AgreementWithParties { agreement, parties };
        tx.audit(
            "create",
            "agreement",
            Some(after.agreement.id),
            None::<&()>,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Change an agreement that is still at version `expected`; its parties are replaced.
    pub async fn update_agreement(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: AgreementInput,
    ) -> Result<AgreementWithParties> {
        let fields = check(&input)?;
        let tx = self.tx(actor).await?;
        let before_agreement = load_current::<agreement::Entity>(&tx.txn, id, expected).await?;
        let before = AgreementWithParties {
            parties: parties_of(&tx.txn, vec![id]).await?,
            agreement: before_agreement,
        };
        if let Some(product) = input.product_id {
            ensure_product(&tx.txn, "product_id", product).await?;
        }
        let agreement = save::<agreement::Entity>(
            &tx.txn,
            id,
            expected,
            agreement::ActiveModel {
                product_id: Set(input.product_id),
                kind: Set(input.kind),
                title: Set(fields.title),
                starts_on: Set(input.starts_on),
                ends_on: Set(input.ends_on),
                economy: Set(fields.economy),
                document_url: Set(fields.document_url),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        let parties = write_parties(&tx.txn, id, &input.parties).await?;
        let after = AgreementWithParties { agreement, parties };
        tx.audit("update", "agreement", Some(id), Some(&before), Some(&after))
            .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Archive an agreement.
    pub async fn archive_agreement(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<agreement::Model> {
        let tx = self.tx(actor).await?;
        let before = load_current::<agreement::Entity>(&tx.txn, id, expected).await?;
        let after = save::<agreement::Entity>(
            &tx.txn,
            id,
            expected,
            agreement::ActiveModel {
                archived: Set(true),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        tx.audit(
            "archive",
            "agreement",
            Some(id),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// One agreement with its parties.
    pub async fn agreement(&self, id: i32) -> Result<AgreementWithParties> {
        let agreement = agreement::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("agreement", id))?;
        Ok(AgreementWithParties {
            parties: parties_of(self.conn(), vec![id]).await?,
            agreement,
        })
    }

    /// Agreements with their parties; sort keys `title`, `kind`, `starts_on`, `ends_on`, `updated_at`.
    pub async fn list_agreements(
        &self,
        filter: &AgreementFilter,
        params: &ListParams,
    ) -> Result<Page<AgreementWithParties>> {
        use agreement::Column as C;
        let mut q = agreement::Entity::find();
        if !filter.archived.unwrap_or(false) {
            q = q.filter(C::Archived.eq(false));
        }
        if let Some(product) = filter.product_id {
            q = q.filter(C::ProductId.eq(product));
        }
        if let Some(kind) = filter.kind {
            q = q.filter(C::Kind.eq(kind));
        }
        if let Some(org) = filter.organisation_id {
            let ids: Vec<i32> = agreement_party::Entity::find()
                .filter(agreement_party::Column::OrganisationId.eq(org))
                .all(self.conn())
                .await?
                .into_iter()
                .map(|p| p.agreement_id)
                .collect();
            q = q.filter(C::Id.is_in(ids));
        }
        if let Some(text) = params.query() {
            q = q.filter(lower_like(C::Title, &text));
        }
        let (key, desc) = params.sort_key(
            &["title", "kind", "starts_on", "ends_on", "updated_at"],
            "title",
        )?;
        let col = match key {
            "kind" => C::Kind,
            "starts_on" => C::StartsOn,
            "ends_on" => C::EndsOn,
            "updated_at" => C::UpdatedAt,
            _ => C::Title,
        };
        q = q.order_by(col, order(desc)).order_by_asc(C::Id);
        let page = page(q, params, self.conn()).await?;
        let mut parties =
            parties_of(self.conn(), page.items.iter().map(|a| a.id).collect()).await?;
        Ok(page.map(|agreement| {
            let (mine, rest): (Vec<_>, Vec<_>) = parties
                .drain(..)
                .partition(|p| p.agreement_id == agreement.id);
            parties = rest;
            AgreementWithParties {
                agreement,
                parties: mine,
            }
        }))
    }
}
