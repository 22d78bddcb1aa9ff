//! Typed JSON columns: lists that are stored as one JSON value in a row.

use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A list of strings stored as a JSON array (repositories, scopes…).
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema,
)]
#[serde(transparent)]
pub struct StringList(pub Vec<String>);

/// A list of row ids stored as a JSON array (a product editor's products).
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema,
)]
#[serde(transparent)]
pub struct IdList(pub Vec<i32>);

/// The roles of an account, stored as a JSON array of their Danish names.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema,
)]
#[serde(transparent)]
pub struct RoleList(pub Vec<crate::types::Role>);

impl RoleList {
    /// Whether the list holds `role`.
    pub fn has(&self, role: crate::types::Role) -> bool {
        self.0.contains(&role)
    }
}
