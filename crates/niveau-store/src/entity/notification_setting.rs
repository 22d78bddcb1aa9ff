//! `notification_setting`: how an account wants its e-mail notifications.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// When notifications are sent.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "lowercase")]
pub enum NotifyMode {
    /// Each message as it happens.
    #[sea_orm(string_value = "immediate")]
    Immediate,
    /// One message a day with the day's events.
    #[sea_orm(string_value = "digest")]
    Digest,
    /// None.
    #[sea_orm(string_value = "off")]
    Off,
}

impl NotifyMode {
    /// Parse the stored text.
    pub fn parse(text: &str) -> Option<NotifyMode> {
        match text {
            "immediate" => Some(NotifyMode::Immediate),
            "digest" => Some(NotifyMode::Digest),
            "off" => Some(NotifyMode::Off),
            _ => None,
        }
    }

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyMode::Immediate => "immediate",
            NotifyMode::Digest => "digest",
            NotifyMode::Off => "off",
        }
    }
}

/// One account's settings. An account without a row gets immediate messages in Danish.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "notification_setting")]
#[schema(as = NotificationSetting)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The account.
    pub user_id: i32,
    /// Immediately, daily digest or off.
    pub mode: NotifyMode,
    /// `da` or `en`.
    pub language: String,
    /// When the last digest was made.
    pub last_digest_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Changed.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
