//! `forge_round`: whether a round opens issues in the products' repositories (#16).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A round's setting for repository issues.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "forge_round")]
#[schema(as = ForgeRound)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The round.
    #[sea_orm(unique)]
    pub round_id: i32,
    /// Issues are opened, updated and closed for the round.
    pub enabled: bool,
    /// When a run was last queued (daily while the round is open).
    pub last_queued_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
