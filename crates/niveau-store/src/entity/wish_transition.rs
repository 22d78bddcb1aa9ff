//! `wish_transition`: one change of a wish's state, who made it, when and why.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::WishState;

/// One state change.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "wish_transition")]
#[schema(as = WishTransition)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The wish.
    pub wish_id: i32,
    /// The state before (none when raised).
    pub from_state: Option<WishState>,
    /// The state after.
    pub to_state: WishState,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
    /// Who.
    pub actor: String,
    /// The account, if a person.
    pub actor_user_id: Option<i32>,
    /// Why.
    #[sea_orm(column_type = "Text", nullable)]
    pub reason: Option<String>,
}

/// No relations are declared; queries join by id.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
