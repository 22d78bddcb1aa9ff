//! `wish_pledge`: an organisation's pledge of co-funding for a wish.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One pledge. Withdrawn pledges are kept with the time they were withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "wish_pledge")]
#[schema(as = WishPledge)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The wish.
    pub wish_id: i32,
    /// The organisation that pledges.
    pub organisation_id: i32,
    /// The amount in øre.
    pub amount_ore: i64,
    /// A note (conditions, budget year).
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    /// Who registered it.
    pub pledged_by: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was withdrawn, if it was.
    pub withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// No relations are declared; queries join by id.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
