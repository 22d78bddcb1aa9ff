//! Agreements and their parties.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
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
use crate::versioned::{self, Aggregate, Change};
use crate::write::Actor;

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

/// An agreement input, checked.
struct AgreementChange {
    title: String,
    economy: Option<String>,
    document_url: Option<String>,
    input: AgreementInput,
}

fn check(input: AgreementInput) -> Result<AgreementChange> {
    validate::period("ends_on", input.starts_on, input.ends_on)?;
    for (i, party) in input.parties.iter().enumerate() {
        validate::required(&format!("parties[{i}].role"), &party.role, 100)?;
    }
    Ok(AgreementChange {
        title: validate::required("title", &input.title, 300)?,
        economy: validate::optional("economy", input.economy.as_deref(), 5000)?,
        document_url: validate::url("document_url", input.document_url.as_deref())?,
        input,
    })
}

/// An agreement is recorded in the audit log with its parties.
impl Aggregate for agreement::Entity {
    type View = AgreementWithParties;

    async fn view(
        txn: &DatabaseTransaction,
        agreement: agreement::Model,
    ) -> Result<AgreementWithParties> {
        Ok(AgreementWithParties {
            parties: parties_of(txn, vec![agreement.id]).await?,
            agreement,
        })
    }
}

impl Change for AgreementChange {
    type Of = agreement::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        _before: Option<&agreement::Model>,
    ) -> Result<()> {
        if let Some(product) = self.input.product_id {
            ensure_product(txn, "product_id", product).await?;
        }
        Ok(())
    }

    fn fields(&self) -> agreement::ActiveModel {
        agreement::ActiveModel {
            product_id: Set(self.input.product_id),
            kind: Set(self.input.kind),
            title: Set(self.title.clone()),
            starts_on: Set(self.input.starts_on),
            ends_on: Set(self.input.ends_on),
            economy: Set(self.economy.clone()),
            document_url: Set(self.document_url.clone()),
            ..Default::default()
        }
    }

    /// The parties are replaced as a whole.
    async fn written(
        self,
        txn: &DatabaseTransaction,
        agreement: agreement::Model,
    ) -> Result<AgreementWithParties> {
        let parties = write_parties(txn, agreement.id, &self.input.parties).await?;
        Ok(AgreementWithParties { agreement, parties })
    }
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
        versioned::create(self, actor, check(input)?).await
    }

    /// Change an agreement that is still at version `expected`; its parties are replaced.
    pub async fn update_agreement(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: AgreementInput,
    ) -> Result<AgreementWithParties> {
        versioned::update(self, actor, id, expected, check(input)?).await
    }

    /// Archive an agreement (recorded in the audit log without its parties).
    pub async fn archive_agreement(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<agreement::Model> {
        versioned::archive::<agreement::Entity>(self, actor, id, expected).await
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
