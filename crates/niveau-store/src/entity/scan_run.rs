//! `scan_run`: a scan of a product's repositories and its findings.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::JobStatus;

/// A scan run.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "scan_run")]
#[schema(as = ScanRun)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// Status.
    pub status: JobStatus,
    /// Who asked for it.
    pub requested_by: String,
    /// When.
    pub requested_at: chrono::DateTime<chrono::Utc>,
    /// When a worker started it.
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it finished.
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The results: one `niveau.check/1` report per repository.
    #[sea_orm(column_type = "Json", nullable)]
    pub result: Option<Json>,
    /// Why it failed.
    pub error: Option<String>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
