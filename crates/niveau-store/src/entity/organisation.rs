//! `organisation`: municipalities, regions, suppliers and others.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::OrgKind;

/// An organisation in the community.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "organisation")]
#[schema(as = Organisation)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Name, unique.
    #[sea_orm(unique)]
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Member of the community since.
    pub member_since: Option<chrono::NaiveDate>,
    /// Left the community on.
    pub left_on: Option<chrono::NaiveDate>,
    /// Date of the supplier partner agreement (leverandørpartneraftale).
    pub supplier_partner_since: Option<chrono::NaiveDate>,
    /// Free text.
    pub note: Option<String>,
    /// Archived instead of deleted.
    pub archived: bool,
    /// Optimistic-concurrency version, starts at 1.
    pub version: i32,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations; queries join by id.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
