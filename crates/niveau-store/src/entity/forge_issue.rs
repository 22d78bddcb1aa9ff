//! `forge_issue`: the issue a round opened in a product's repository (#16), one per round
//! × product × repository, with its state on the forge and the last error.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An issue on a forge (GitHub, Forgejo/Gitea) for a round.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "forge_issue")]
#[schema(as = ForgeIssue)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The round.
    pub round_id: i32,
    /// The product.
    pub product_id: i32,
    /// The repository's address, as the product names it.
    pub repository: String,
    /// The issue's number on the forge; none until it was opened.
    pub number: Option<i64>,
    /// The issue's page on the forge.
    pub url: Option<String>,
    /// `open`, `closed`, or `failed` (never opened: see `last_error`).
    pub state: String,
    /// The HTTP status of the last failed request, if the last attempt failed.
    pub last_status: Option<i32>,
    /// Why the last attempt failed; none when it succeeded.
    pub last_error: Option<String>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
