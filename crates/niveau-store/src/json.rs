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

/// One criterion of a wish's screening with its rating and note.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScreeningEntry {
    /// The criterion, as the product's settings name it.
    pub criterion: String,
    /// Grøn, gul or rød.
    pub rating: crate::types::ScreeningRating,
    /// Why.
    #[serde(default)]
    pub note: Option<String>,
}

/// A wish's screening: one entry per criterion, stored as a JSON array.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema,
)]
#[serde(transparent)]
pub struct Screening(pub Vec<ScreeningEntry>);

/// A contact person of a supplier.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// What the person does (e.g. "kontaktperson", "teknisk ansvarlig").
    #[serde(default)]
    pub role: Option<String>,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
}

/// A supplier's contact persons, stored as a JSON array.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult, ToSchema,
)]
#[serde(transparent)]
pub struct ContactList(pub Vec<Contact>);
