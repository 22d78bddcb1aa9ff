//! `outbox_message`: e-mails waiting to be sent, being sent, sent or failed.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Where a message is on its way out.
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
pub enum OutboxStatus {
    /// Waiting for the next attempt.
    #[sea_orm(string_value = "queued")]
    Queued,
    /// Taken by a sender, whose lease is in `locked_until`.
    #[sea_orm(string_value = "sending")]
    Sending,
    /// Accepted by the SMTP server.
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Given up: refused for good or out of attempts. The secretariat can send it again.
    #[sea_orm(string_value = "failed")]
    Failed,
    /// Waiting for the recipient's daily digest.
    #[sea_orm(string_value = "held")]
    Held,
    /// Sent as part of a digest (`digest_id`).
    #[sea_orm(string_value = "digested")]
    Digested,
}

impl OutboxStatus {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sending => "sending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Held => "held",
            OutboxStatus::Digested => "digested",
        }
    }
}

/// One e-mail to one recipient.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, Serialize, Deserialize, ToSchema)]
#[sea_orm(table_name = "outbox_message")]
#[schema(as = OutboxMessage)]
pub struct Model {
    /// Id.
    #[sea_orm(primary_key)]
    pub id: i32,
    /// The event that caused it (`wish_state:12:godkendt`); with the recipient, unique.
    pub event_key: String,
    /// The kind of event (`round_opened`, `wish_state`, …).
    pub event_kind: String,
    /// The entity the event is about (`wish`, `evaluation`, …).
    pub entity: String,
    /// Its id.
    pub entity_id: Option<i32>,
    /// The recipient's account, if the recipient has one.
    pub recipient_user_id: Option<i32>,
    /// The recipient's address.
    pub recipient: String,
    /// `da` or `en`.
    pub language: String,
    /// Subject (no line breaks).
    pub subject: String,
    /// Plain-text body.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// Path of the page the message is about (`/evalueringer/3`); the sender puts the
    /// server's address in front.
    pub link: Option<String>,
    /// Status.
    pub status: OutboxStatus,
    /// Attempts so far.
    pub attempts: i32,
    /// Give up after this many attempts.
    pub max_attempts: i32,
    /// Not before.
    pub next_attempt_at: chrono::DateTime<chrono::Utc>,
    /// The sender holding it.
    pub locked_by: Option<String>,
    /// The sender's lease ends; after that another sender may take the message.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    /// The last error.
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// The digest message this one went out in.
    pub digest_id: Option<i32>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Accepted by the SMTP server.
    pub sent_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// No navigated relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
