//! The e-mail outbox (#16). Every notification is a row here before it is an e-mail, so
//! nothing is lost when the SMTP server is away, and any server instance's sender can
//! send any message.
//!
//! - **Once per event and recipient**: `(event_key, recipient)` is unique; enqueueing an
//!   event again (a retried operation, a daily check that runs twice) adds nothing.
//! - **One sender at a time**: a sender takes a message with one conditional UPDATE
//!   (`queued` → `sending`, its name and a lease), like the job queue; exactly one of
//!   several racing senders gets it, on SQLite and on PostgreSQL.
//! - **Sent only when accepted**: a message becomes `sent` only after the SMTP server
//!   accepted it, and only by the sender holding it. A sender that dies while holding a
//!   message loses it when the lease runs out, and another sender tries again. If it died
//!   between the server's acceptance and the `sent` mark, nothing tells the two cases
//!   apart, so that message is sent a second time: at most once more, and only in that
//!   window (one round trip to the database).
//! - **Retries with backoff**: a temporary failure puts the message back with a later
//!   `next_attempt_at`; a permanent one, or too many attempts, makes it `failed`, listed
//!   for the secretariat, who can send it again.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set, SqlErr,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::Store;
use crate::entity::notification_setting::{self, NotifyMode};
use crate::entity::outbox_message::{self, OutboxStatus};
use crate::error::{Result, StoreError};
use crate::list::{ListParams, Page};
use crate::query::page;
use crate::write::Actor;

/// How many attempts a message gets before it fails for good.
pub const MAX_ATTEMPTS: i32 = 6;

/// A message to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    /// The event that caused it; with the recipient, unique.
    pub event_key: String,
    /// The kind of event.
    pub event_kind: String,
    /// The entity the event is about.
    pub entity: String,
    /// Its id.
    pub entity_id: Option<i32>,
    /// The recipient's account.
    pub recipient_user_id: Option<i32>,
    /// The recipient's address.
    pub recipient: String,
    /// `da` or `en`.
    pub language: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body.
    pub body: String,
    /// Path of the page it is about.
    pub link: Option<String>,
    /// Hold it for the recipient's daily digest instead of sending it now.
    pub hold: bool,
}

/// Filters for the outbox listing.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxFilter {
    /// Only messages in this status (`queued`, `sending`, `sent`, `failed`, `held`, `digested`).
    pub status: Option<OutboxStatus>,
}

fn available(now: chrono::DateTime<chrono::Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(outbox_message::Column::Status.eq(OutboxStatus::Queued))
                .add(outbox_message::Column::NextAttemptAt.lte(now)),
        )
        .add(
            // A sender that died keeps its message only until its lease runs out.
            Condition::all()
                .add(outbox_message::Column::Status.eq(OutboxStatus::Sending))
                .add(outbox_message::Column::LockedUntil.lt(now)),
        )
}

fn none_time() -> Option<chrono::DateTime<chrono::Utc>> {
    None
}

impl Store {
    /// Put messages in the outbox, leaving out those whose event already produced a
    /// message for the same recipient. Returns how many were added.
    pub async fn enqueue_mail(&self, messages: &[NewMessage]) -> Result<u64> {
        // Not `INSERT … ON CONFLICT DO NOTHING`: SQLite checks the conflict target when it
        // prepares the statement, against the schema the connection last read, and a
        // pooled connection that read it during the migration (before the unique index
        // existed) refuses the statement. A look first, and the unique index as the
        // arbiter between instances racing: a violation means the other one added it.
        let mut added = 0;
        let now = self.now();
        for m in messages {
            let exists = outbox_message::Entity::find()
                .filter(outbox_message::Column::EventKey.eq(m.event_key.as_str()))
                .filter(outbox_message::Column::Recipient.eq(m.recipient.as_str()))
                .one(self.conn())
                .await?
                .is_some();
            if exists {
                continue;
            }
            let row = outbox_message::ActiveModel {
                event_key: Set(m.event_key.clone()),
                event_kind: Set(m.event_kind.clone()),
                entity: Set(m.entity.clone()),
                entity_id: Set(m.entity_id),
                recipient_user_id: Set(m.recipient_user_id),
                recipient: Set(m.recipient.clone()),
                language: Set(m.language.clone()),
                subject: Set(m.subject.clone()),
                body: Set(m.body.clone()),
                link: Set(m.link.clone()),
                status: Set(if m.hold {
                    OutboxStatus::Held
                } else {
                    OutboxStatus::Queued
                }),
                attempts: Set(0),
                max_attempts: Set(MAX_ATTEMPTS),
                next_attempt_at: Set(now),
                created_at: Set(now),
                ..Default::default()
            };
            let guard = self.write_guard().await;
            let inserted = outbox_message::Entity::insert(row)
                .exec_without_returning(self.conn())
                .await;
            drop(guard);
            match inserted {
                Ok(n) => added += n,
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(added)
    }

    /// Take up to `limit` messages that are due for `sender`, holding each for `lease`.
    /// Each message is taken by one conditional update, so two senders never hold the
    /// same message.
    pub async fn claim_mail(
        &self,
        sender: &str,
        lease: std::time::Duration,
        limit: u64,
    ) -> Result<Vec<outbox_message::Model>> {
        let lease = chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
        let now = self.now();
        let candidates = outbox_message::Entity::find()
            .filter(available(now))
            .order_by_asc(outbox_message::Column::Id)
            .limit(limit)
            .all(self.conn())
            .await?;
        let mut taken = Vec::new();
        for candidate in candidates {
            let guard = self.write_guard().await;
            let result = outbox_message::Entity::update_many()
                .col_expr(
                    outbox_message::Column::Status,
                    Expr::value(OutboxStatus::Sending.as_str()),
                )
                .col_expr(outbox_message::Column::LockedBy, Expr::value(sender))
                .col_expr(
                    outbox_message::Column::LockedUntil,
                    Expr::value(now + lease),
                )
                .col_expr(
                    outbox_message::Column::Attempts,
                    Expr::col(outbox_message::Column::Attempts).add(1),
                )
                .filter(outbox_message::Column::Id.eq(candidate.id))
                .filter(outbox_message::Column::Attempts.eq(candidate.attempts))
                .filter(available(now))
                .exec(self.conn())
                .await?;
            drop(guard);
            if result.rows_affected == 1
                && let Some(row) = outbox_message::Entity::find_by_id(candidate.id)
                    .one(self.conn())
                    .await?
            {
                taken.push(row);
            }
        }
        Ok(taken)
    }

    /// Mark a message accepted by the SMTP server. Only the sender holding it may; false
    /// if it no longer holds it (its lease ran out and another sender took it).
    pub async fn mail_sent(&self, id: i32, sender: &str) -> Result<bool> {
        let now = self.now();
        let _guard = self.write_guard().await;
        let result = outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::Status,
                Expr::value(OutboxStatus::Sent.as_str()),
            )
            .col_expr(outbox_message::Column::SentAt, Expr::value(now))
            .col_expr(
                outbox_message::Column::LockedUntil,
                Expr::value(none_time()),
            )
            .col_expr(
                outbox_message::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .filter(outbox_message::Column::Id.eq(id))
            .filter(outbox_message::Column::LockedBy.eq(sender))
            .filter(outbox_message::Column::Status.eq(OutboxStatus::Sending))
            .exec(self.conn())
            .await?;
        Ok(result.rows_affected == 1)
    }

    /// Record a failed attempt. `retry_after` none: the failure is permanent (the server
    /// refused the message for good) and the message fails at once; otherwise it waits
    /// that long, unless its attempts are used up. Returns the message's new status.
    pub async fn mail_failed(
        &self,
        id: i32,
        sender: &str,
        error: &str,
        retry_after: Option<std::time::Duration>,
    ) -> Result<OutboxStatus> {
        let current = self.outbox_message(id).await?;
        let now = self.now();
        let status = match retry_after {
            Some(_) if current.attempts < current.max_attempts => OutboxStatus::Queued,
            _ => OutboxStatus::Failed,
        };
        let retry = retry_after
            .and_then(|d| chrono::Duration::from_std(d).ok())
            .unwrap_or(chrono::Duration::zero());
        let _guard = self.write_guard().await;
        let result = outbox_message::Entity::update_many()
            .col_expr(outbox_message::Column::Status, Expr::value(status.as_str()))
            .col_expr(
                outbox_message::Column::LockedUntil,
                Expr::value(none_time()),
            )
            .col_expr(
                outbox_message::Column::NextAttemptAt,
                Expr::value(now + retry),
            )
            .col_expr(outbox_message::Column::LastError, Expr::value(error))
            .filter(outbox_message::Column::Id.eq(id))
            .filter(outbox_message::Column::LockedBy.eq(sender))
            .filter(outbox_message::Column::Status.eq(OutboxStatus::Sending))
            .exec(self.conn())
            .await?;
        if result.rows_affected == 0 {
            return Err(StoreError::state(
                format!("besked {id} holdes ikke af {sender}"),
                format!("message {id} is not held by {sender}"),
            ));
        }
        Ok(status)
    }

    /// Give a message back untried (the sender is stopping): it is due again at once and
    /// the attempt does not count.
    pub async fn give_back_mail(&self, id: i32, sender: &str) -> Result<()> {
        let now = self.now();
        let _guard = self.write_guard().await;
        outbox_message::Entity::update_many()
            .col_expr(
                outbox_message::Column::Status,
                Expr::value(OutboxStatus::Queued.as_str()),
            )
            .col_expr(
                outbox_message::Column::LockedUntil,
                Expr::value(none_time()),
            )
            .col_expr(outbox_message::Column::NextAttemptAt, Expr::value(now))
            .col_expr(
                outbox_message::Column::Attempts,
                Expr::col(outbox_message::Column::Attempts).sub(1),
            )
            .filter(outbox_message::Column::Id.eq(id))
            .filter(outbox_message::Column::LockedBy.eq(sender))
            .filter(outbox_message::Column::Status.eq(OutboxStatus::Sending))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// One message.
    pub async fn outbox_message(&self, id: i32) -> Result<outbox_message::Model> {
        outbox_message::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("outbox_message", id))
    }

    /// The outbox, newest first.
    pub async fn list_outbox(
        &self,
        filter: &OutboxFilter,
        params: &ListParams,
    ) -> Result<Page<outbox_message::Model>> {
        let mut q = outbox_message::Entity::find();
        if let Some(status) = filter.status {
            q = q.filter(outbox_message::Column::Status.eq(status));
        }
        page(
            q.order_by_desc(outbox_message::Column::Id),
            params,
            self.conn(),
        )
        .await
    }

    /// Send a failed message again: it is queued with fresh attempts. Audited.
    pub async fn retry_mail(&self, actor: &Actor, id: i32) -> Result<outbox_message::Model> {
        let tx = self.tx(actor).await?;
        let before = outbox_message::Entity::find_by_id(id)
            .one(&tx.txn)
            .await?
            .ok_or_else(|| StoreError::not_found("outbox_message", id))?;
        if before.status != OutboxStatus::Failed {
            return Err(StoreError::state(
                format!("besked {id} er ikke fejlet; kun fejlede beskeder kan sendes igen"),
                format!("message {id} has not failed; only failed messages can be sent again"),
            ));
        }
        let mut row: outbox_message::ActiveModel = before.clone().into();
        row.status = Set(OutboxStatus::Queued);
        row.attempts = Set(0);
        row.next_attempt_at = Set(tx.now);
        row.locked_by = Set(None);
        row.locked_until = Set(None);
        let after = row.update(&tx.txn).await?;
        tx.audit(
            "retry",
            "outbox_message",
            Some(id),
            Some(&audit_view(&before)),
            Some(&audit_view(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The accounts that can get e-mail: enabled, with an address.
    pub async fn mail_accounts(&self) -> Result<Vec<crate::entity::user_account::Model>> {
        use crate::entity::user_account;
        Ok(user_account::Entity::find()
            .filter(user_account::Column::Disabled.eq(false))
            .filter(user_account::Column::Email.is_not_null())
            .order_by_asc(user_account::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// An account's notification settings, if it has chosen any.
    pub async fn notification_setting(
        &self,
        user_id: i32,
    ) -> Result<Option<notification_setting::Model>> {
        Ok(notification_setting::Entity::find()
            .filter(notification_setting::Column::UserId.eq(user_id))
            .one(self.conn())
            .await?)
    }

    /// The settings of the accounts among `user_ids` that have chosen any.
    pub async fn notification_settings(
        &self,
        user_ids: &[i32],
    ) -> Result<Vec<notification_setting::Model>> {
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(notification_setting::Entity::find()
            .filter(notification_setting::Column::UserId.is_in(user_ids.iter().copied()))
            .all(self.conn())
            .await?)
    }

    /// Set an account's notification settings. Audited.
    pub async fn put_notification_setting(
        &self,
        actor: &Actor,
        user_id: i32,
        mode: NotifyMode,
        language: &str,
    ) -> Result<notification_setting::Model> {
        if !matches!(language, "da" | "en") {
            return Err(StoreError::invalid(
                "language",
                "sproget skal være da eller en",
                "the language must be da or en",
            ));
        }
        let tx = self.tx(actor).await?;
        let before = notification_setting::Entity::find()
            .filter(notification_setting::Column::UserId.eq(user_id))
            .one(&tx.txn)
            .await?;
        let after = match before.clone() {
            Some(row) => {
                let mut row: notification_setting::ActiveModel = row.into();
                row.mode = Set(mode);
                row.language = Set(language.to_string());
                row.updated_at = Set(tx.now);
                row.update(&tx.txn).await?
            }
            None => {
                notification_setting::ActiveModel {
                    user_id: Set(user_id),
                    mode: Set(mode),
                    language: Set(language.to_string()),
                    last_digest_at: Set(None),
                    updated_at: Set(tx.now),
                    ..Default::default()
                }
                .insert(&tx.txn)
                .await?
            }
        };
        tx.audit(
            if before.is_some() { "update" } else { "create" },
            "notification_setting",
            Some(after.id),
            before.as_ref(),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Combine each account's held messages into one digest message, for the accounts
    /// whose last digest is at least `every` old. The digest's event key holds the
    /// account and the day, so a second run the same day adds nothing. `compose` writes
    /// the digest's subject and body from the held messages (in their language).
    /// Returns how many digests were queued.
    pub async fn make_digests(
        &self,
        every: chrono::Duration,
        compose: impl Fn(&[outbox_message::Model]) -> (String, String),
    ) -> Result<u64> {
        let actor = Actor::system("outbox");
        let tx = self.tx(&actor).await?;
        let held = outbox_message::Entity::find()
            .filter(outbox_message::Column::Status.eq(OutboxStatus::Held))
            .order_by_asc(outbox_message::Column::Id)
            .all(&tx.txn)
            .await?;
        let mut groups: std::collections::BTreeMap<(Option<i32>, String), Vec<_>> =
            std::collections::BTreeMap::new();
        for m in held {
            groups
                .entry((m.recipient_user_id, m.recipient.clone()))
                .or_default()
                .push(m);
        }
        let mut made = 0;
        for ((user, recipient), messages) in groups {
            let setting = match user {
                Some(user) => {
                    notification_setting::Entity::find()
                        .filter(notification_setting::Column::UserId.eq(user))
                        .one(&tx.txn)
                        .await?
                }
                None => None,
            };
            if setting
                .as_ref()
                .and_then(|s| s.last_digest_at)
                .is_some_and(|last| tx.now - last < every)
            {
                continue;
            }
            let Some(first) = messages.first() else {
                continue;
            };
            let (subject, body) = compose(&messages);
            let digest = outbox_message::ActiveModel {
                event_key: Set(format!(
                    "digest:{}:{}",
                    user.map_or_else(|| recipient.clone(), |u| u.to_string()),
                    tx.now.format("%Y-%m-%d")
                )),
                event_kind: Set("digest".into()),
                entity: Set("user_account".into()),
                entity_id: Set(user),
                recipient_user_id: Set(user),
                recipient: Set(recipient.clone()),
                language: Set(first.language.clone()),
                subject: Set(subject),
                body: Set(body),
                link: Set(None),
                status: Set(OutboxStatus::Queued),
                attempts: Set(0),
                max_attempts: Set(MAX_ATTEMPTS),
                next_attempt_at: Set(tx.now),
                created_at: Set(tx.now),
                ..Default::default()
            }
            .insert(&tx.txn)
            .await?;
            outbox_message::Entity::update_many()
                .col_expr(
                    outbox_message::Column::Status,
                    Expr::value(OutboxStatus::Digested.as_str()),
                )
                .col_expr(outbox_message::Column::DigestId, Expr::value(digest.id))
                .filter(outbox_message::Column::Id.is_in(messages.iter().map(|m| m.id)))
                .exec(&tx.txn)
                .await?;
            if let Some(setting) = setting {
                let mut s: notification_setting::ActiveModel = setting.into();
                s.last_digest_at = Set(Some(tx.now));
                s.update(&tx.txn).await?;
            }
            made += 1;
        }
        tx.commit().await?;
        Ok(made)
    }
}

/// What the audit log keeps of a message: not its body or address.
fn audit_view(m: &outbox_message::Model) -> serde_json::Value {
    serde_json::json!({
        "event_key": m.event_key,
        "status": m.status,
        "attempts": m.attempts,
        "last_error": m.last_error,
    })
}
