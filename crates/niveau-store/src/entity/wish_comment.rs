//! `wish_comment`: a comment on a wish. Append-only.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One comment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "wish_comment")]
#[schema(as = WishComment)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The wish.
    pub wish_id: i32,
    /// Who wrote it.
    pub author: String,
    /// The author's account.
    pub author_user_id: Option<i32>,
    /// The text.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// No relations are declared; queries join by id.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
