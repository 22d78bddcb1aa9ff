//! `participant`: an organisation or person in a product, with a role.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::ParticipantRole;

/// An organisation (or a person) taking part in a product.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "participant")]
#[schema(as = Participant)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// The organisation, if any.
    pub organisation_id: Option<i32>,
    /// The person, if any.
    pub person_id: Option<i32>,
    /// The role.
    pub role: ParticipantRole,
    /// Since.
    pub since: Option<chrono::NaiveDate>,
    /// Until.
    pub until: Option<chrono::NaiveDate>,
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
