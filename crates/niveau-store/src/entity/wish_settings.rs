//! `wish_settings`: how a product's group handles wishes: its screening criteria,
//! whether pledges may exceed a target, and its target time from raised to delivered.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::json::StringList;

/// One product's settings.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "wish_settings")]
#[schema(as = WishSettings)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product.
    #[sea_orm(unique)]
    pub product_id: i32,
    /// The screening criteria.
    #[sea_orm(column_type = "Json")]
    pub criteria: StringList,
    /// Whether pledges may exceed a wish's target.
    pub allow_overfunding: bool,
    /// The target number of days from raised to delivered.
    pub target_days: i32,
    /// Version.
    pub version: i32,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No relations are declared; queries join by id.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
