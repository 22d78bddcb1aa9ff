//! `job`: the background job queue, shared by every instance.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::types::JobStatus;

/// A background job.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "job")]
#[schema(as = Job)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What to do (`scan`).
    pub kind: String,
    /// Arguments.
    #[sea_orm(column_type = "Json")]
    pub payload: Json,
    /// Status.
    pub status: JobStatus,
    /// How many times a worker has taken it.
    pub attempts: i32,
    /// Give up after this many attempts.
    pub max_attempts: i32,
    /// Not before.
    pub run_after: chrono::DateTime<chrono::Utc>,
    /// The worker holding it.
    pub locked_by: Option<String>,
    /// The worker's lease ends; after that another worker may take the job.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    /// The last error.
    pub last_error: Option<String>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Finished.
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
