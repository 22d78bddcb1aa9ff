//! `agreement_party`: the parties of an agreement.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A party of an agreement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "agreement_party")]
#[schema(as = AgreementParty)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The agreement.
    pub agreement_id: i32,
    /// The organisation.
    pub organisation_id: i32,
    /// Its role in the agreement (free text, e.g. "part", "leverandør").
    pub role: String,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
