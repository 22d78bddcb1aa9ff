//! `product`: the portfolio.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::json::StringList;
use crate::types::Stage;

/// A product (or idea, concept, project) in the portfolio.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "product")]
#[schema(as = Product)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// URL name, unique, lowercase ASCII (`os2mo`).
    #[sea_orm(unique)]
    pub slug: String,
    /// Display name.
    pub name: String,
    /// One sentence.
    pub short_description: String,
    /// Longer description (Markdown).
    pub long_description: String,
    /// Stage; changed only by a decision.
    pub stage: Stage,
    /// The level the steering group aims for.
    pub target_level: Option<String>,
    /// The official level; set only by a final evaluation or a decision.
    pub official_level: Option<String>,
    /// The model the official level refers to (`os2-1.1.0`).
    pub official_model: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// SPDX licence expression.
    pub license: Option<String>,
    /// Git repositories (URLs).
    #[sea_orm(column_type = "Json")]
    pub repositories: StringList,
    /// The product's publiccode.yml, as JSON.
    #[sea_orm(column_type = "Json", nullable)]
    pub publiccode: Option<Json>,
    /// Visible to the public.
    pub published: bool,
    /// Archived ("deleted").
    pub archived: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// The most bytes this product's stored self-evaluation versions may take together;
    /// empty means the server's default. Raised by the secretariat
    /// ([`crate::Store::set_upload_quota`]), never by a product's editors.
    #[serde(default)]
    pub upload_quota_bytes: Option<i64>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
