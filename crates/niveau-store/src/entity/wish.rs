//! `wish`: a development wish (udviklingsønske) for a product, from raised to delivered.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::json::Screening;
use crate::types::{WishPayer, WishPriority, WishState};

/// One development wish. Amounts are in øre.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "wish")]
#[schema(as = Wish)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// Title.
    pub title: String,
    /// The business need (forretningsbehov).
    #[sea_orm(column_type = "Text")]
    pub need: String,
    /// The proposed change.
    #[sea_orm(column_type = "Text", nullable)]
    pub proposal: Option<String>,
    /// The value it brings.
    #[sea_orm(column_type = "Text", nullable)]
    pub value: Option<String>,
    /// The organisation that raised it.
    pub organisation_id: Option<i32>,
    /// The person who raised it.
    pub raised_by: String,
    /// The person's e-mail address (shown only to the product group and the secretariat).
    pub raised_by_email: Option<String>,
    /// The person's account, when raised by a signed-in user.
    pub raised_by_user_id: Option<i32>,
    /// The priority the requester perceives.
    pub priority: WishPriority,
    /// Why high or critical.
    #[sea_orm(column_type = "Text", nullable)]
    pub priority_reason: Option<String>,
    /// Where it is.
    pub state: WishState,
    /// Since when it is there.
    pub state_since: chrono::DateTime<chrono::Utc>,
    /// The product group's screening against its criteria.
    #[sea_orm(column_type = "Json", nullable)]
    pub screening: Option<Screening>,
    /// Who screened it.
    pub screened_by: Option<String>,
    /// When it was screened.
    pub screened_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The supplier that described and estimated the solution.
    pub supplier_id: Option<i32>,
    /// The supplier's solution description.
    #[sea_orm(column_type = "Text", nullable)]
    pub solution: Option<String>,
    /// Link to the solution description.
    pub solution_url: Option<String>,
    /// The estimate in hours.
    pub estimate_hours: Option<i64>,
    /// The estimate in øre.
    pub estimate_ore: Option<i64>,
    /// Who pays, once decided.
    pub payer: Option<WishPayer>,
    /// The co-funding target in øre, when pledges are collected.
    pub target_ore: Option<i64>,
    /// The coordination group's order of priority (1 first).
    pub rank: Option<i32>,
    /// The group that decided.
    pub decided_by_group_id: Option<i32>,
    /// The reasons of the decision.
    #[sea_orm(column_type = "Text", nullable)]
    pub decision_reason: Option<String>,
    /// When it was delivered.
    pub delivered_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Its key in the backlog it was imported from (Jira key, GitHub URL).
    pub external_key: Option<String>,
    /// Version.
    pub version: i32,
    /// Created (raised).
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No relations are declared; queries join by id.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
