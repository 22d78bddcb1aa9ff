//! `agreement`: joining agreements and the other agreements that secure the economy.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::AgreementKind;

/// An agreement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "agreement")]
#[schema(as = Agreement)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product, if the agreement is about one.
    pub product_id: Option<i32>,
    /// Kind.
    pub kind: AgreementKind,
    /// Title.
    pub title: String,
    /// Period start.
    pub starts_on: Option<chrono::NaiveDate>,
    /// Period end.
    pub ends_on: Option<chrono::NaiveDate>,
    /// The economy, as text (who pays what).
    pub economy: Option<String>,
    /// Link to the signed document.
    pub document_url: Option<String>,
    /// Archived instead of deleted.
    pub archived: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
