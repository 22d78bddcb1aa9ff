//! `partner_agreement`: a supplier's partner agreement with OS2
//! (leverandørpartneraftale): open source, transparent prices, the code of conduct.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::json::{ContactList, StringList};

/// One organisation's partner agreement.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "partner_agreement")]
#[schema(as = PartnerAgreement)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The supplier.
    #[sea_orm(unique)]
    pub organisation_id: i32,
    /// Signed on.
    pub signed_on: chrono::NaiveDate,
    /// Ends on (inclusive), if it ends.
    pub ends_on: Option<chrono::NaiveDate>,
    /// Whether OS2's code of conduct is accepted.
    pub code_of_conduct: bool,
    /// Contact persons.
    #[sea_orm(column_type = "Json")]
    pub contacts: ContactList,
    /// Core competences.
    #[sea_orm(column_type = "Json")]
    pub competences: StringList,
    /// Link to the logo.
    pub logo_url: Option<String>,
    /// Link to the signed agreement.
    pub document_url: Option<String>,
    /// A note.
    #[sea_orm(column_type = "Text", nullable)]
    pub note: Option<String>,
    /// Version.
    pub version: i32,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Last changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Model {
    /// Whether the agreement holds on `today`: signed, not ended, code of conduct accepted.
    pub fn is_current(&self, today: chrono::NaiveDate) -> bool {
        self.code_of_conduct && self.signed_on <= today && self.ends_on.is_none_or(|e| e >= today)
    }
}

/// No relations are declared; queries join by id.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
