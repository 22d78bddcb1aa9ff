//! Who gets which e-mail (#16). Each event kind has its file: it decides the recipients
//! and writes the subject and body in Danish and English. Everything goes through
//! [`notify`]: it drops recipients who turned notifications off, holds messages of
//! those who chose a daily digest, picks each recipient's language (their setting; Danish
//! without one) and puts one message per recipient in the outbox, whose unique event key
//! makes a repeated event add nothing.
//!
//! **When**: the store's operations commit their own transactions, so notifications are
//! enqueued right after the change commits, in the same operation. A crash between the
//! two loses that notification (never the change); a failing enqueue is logged and does
//! not fail the operation. The daily checks (reminders, endings) are idempotent by their
//! event keys, so they may run on every instance and every poll.
//!
//! **Addresses**: a message goes to one recipient and names no other address; texts name
//! people by their display names only. Subjects pass through the one escaping function,
//! [`crate::mail::text::header_safe`]; bodies through [`crate::mail::text::body_safe`].

mod comment;
mod dialogue;
mod ending;
mod published;
mod reminder;
mod round_opened;
mod wish_state;

pub use comment::evaluation_commented;
pub use dialogue::evaluation_in_dialogue;
pub use ending::endings_due;
pub use published::evaluation_published;
pub use reminder::reminders_due;
pub use round_opened::round_opened;
pub use wish_state::wish_changed;

use std::collections::BTreeMap;

use niveau_model::Msg;
use niveau_store::entity::notification_setting::NotifyMode;
use niveau_store::entity::outbox_message;
use niveau_store::entity::user_account;
use niveau_store::outbox::NewMessage;
use niveau_store::types::{ParticipantRole, Role};

use crate::mail::text::{body_safe, header_safe};
use crate::{App, AppResult};

/// One recipient: an address, and the account it belongs to if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The account (for its settings).
    pub user_id: Option<i32>,
    /// The address.
    pub address: String,
}

/// An event to tell people about.
#[derive(Debug, Clone)]
pub struct Event {
    /// Kind (`round_opened`, `wish_state`, …).
    pub kind: &'static str,
    /// The entity it is about.
    pub entity: &'static str,
    /// Its id.
    pub entity_id: Option<i32>,
    /// Unique per event: the same key never makes two messages for one recipient.
    pub key: String,
    /// Subject.
    pub subject: Msg,
    /// Body.
    pub body: Msg,
    /// Path of the page it is about.
    pub link: Option<String>,
}

/// Put the event's messages in the outbox; errors are logged, not returned (the change
/// the event reports has been committed already).
pub async fn notify(app: &App, event: Event, recipients: Vec<Recipient>) {
    match enqueue(app, &event, recipients).await {
        Ok(n) => tracing::debug!(event = %event.key, added = n, "notifications queued"),
        Err(e) => tracing::warn!(event = %event.key, error = %e, "notifications not queued"),
    }
}

/// [`notify`], returning how many messages were added.
pub async fn enqueue(app: &App, event: &Event, recipients: Vec<Recipient>) -> AppResult<u64> {
    let mut by_address: BTreeMap<String, Recipient> = BTreeMap::new();
    for r in recipients {
        let address = header_safe(&r.address);
        if address.contains('@') {
            by_address
                .entry(address.to_lowercase())
                .or_insert(Recipient {
                    user_id: r.user_id,
                    address,
                });
        }
    }
    let ids: Vec<i32> = by_address.values().filter_map(|r| r.user_id).collect();
    let settings: BTreeMap<i32, _> = app
        .store()
        .notification_settings(&ids)
        .await?
        .into_iter()
        .map(|s| (s.user_id, s))
        .collect();
    let mut messages = Vec::new();
    for r in by_address.into_values() {
        let setting = r.user_id.and_then(|id| settings.get(&id));
        let mode = setting.map_or(NotifyMode::Immediate, |s| s.mode);
        if mode == NotifyMode::Off {
            continue;
        }
        let english = setting.is_some_and(|s| s.language == "en");
        messages.push(NewMessage {
            event_key: event.key.clone(),
            event_kind: event.kind.to_string(),
            entity: event.entity.to_string(),
            entity_id: event.entity_id,
            recipient_user_id: r.user_id,
            recipient: r.address,
            language: if english { "en" } else { "da" }.to_string(),
            subject: header_safe(event.subject.pick(english)),
            body: body_safe(event.body.pick(english)),
            link: event.link.clone(),
            hold: mode == NotifyMode::Digest,
        });
    }
    Ok(app.store().enqueue_mail(&messages).await?)
}

/// The subject and body of a digest of `messages` (one recipient's, in their language).
pub fn compose_digest(messages: &[outbox_message::Model]) -> (String, String) {
    let english = messages.first().is_some_and(|m| m.language == "en");
    let subject = if english {
        format!("Niveau: {} notifications", messages.len())
    } else {
        format!("Niveau: {} notifikationer", messages.len())
    };
    let mut body = String::new();
    body.push_str(if english {
        "Today's notifications:\n"
    } else {
        "Dagens notifikationer:\n"
    });
    for m in messages {
        body.push_str("\n* ");
        body.push_str(&m.subject);
        body.push('\n');
        for line in m.body.lines() {
            body.push_str("  ");
            body.push_str(line);
            body.push('\n');
        }
        if let Some(link) = &m.link {
            body.push_str(if english { "  Page: " } else { "  Side: " });
            body.push_str(link);
            body.push('\n');
        }
    }
    (subject, body)
}

/// The roles of a product's contacts among its participants.
const CONTACT_ROLES: &[ParticipantRole] = &[
    ParticipantRole::Produktejer,
    ParticipantRole::Tovholder,
    ParticipantRole::Projektleder,
];

fn account_recipient(a: &user_account::Model) -> Option<Recipient> {
    a.email.as_ref().map(|e| Recipient {
        user_id: Some(a.id),
        address: e.clone(),
    })
}

/// The secretariat: enabled accounts with the admin or sekretariat role and an address.
pub async fn secretariat(app: &App) -> AppResult<Vec<Recipient>> {
    Ok(app
        .store()
        .mail_accounts()
        .await?
        .iter()
        .filter(|a| a.roles.0.contains(&Role::Sekretariat) || a.roles.0.contains(&Role::Admin))
        .filter_map(account_recipient)
        .collect())
}

/// A product's editors: enabled accounts that are produktredaktør for it.
pub async fn editors(app: &App, product_id: i32) -> AppResult<Vec<Recipient>> {
    Ok(app
        .store()
        .mail_accounts()
        .await?
        .iter()
        .filter(|a| {
            a.roles.0.contains(&Role::Produktredaktor) && a.product_ids.0.contains(&product_id)
        })
        .filter_map(account_recipient)
        .collect())
}

/// A product's contacts: its editors, and the persons who are its product owner,
/// coordinator or project lead (with an address).
pub async fn contacts(app: &App, product_id: i32) -> AppResult<Vec<Recipient>> {
    let mut out = editors(app, product_id).await?;
    let participants = app.store().participants(product_id).await?;
    let ids: Vec<i32> = participants
        .iter()
        .filter(|p| CONTACT_ROLES.contains(&p.role))
        .filter_map(|p| p.person_id)
        .collect();
    let accounts = app.store().mail_accounts().await?;
    for person in app.store().persons_by_ids(&ids).await? {
        if person.archived {
            continue;
        }
        if let Some(email) = person.email {
            // The person's own account, if one has the address (for their settings).
            let user_id = accounts
                .iter()
                .find(|a| {
                    a.email
                        .as_deref()
                        .is_some_and(|e| e.eq_ignore_ascii_case(&email))
                })
                .map(|a| a.id);
            out.push(Recipient {
                user_id,
                address: email,
            });
        }
    }
    Ok(out)
}

/// The product's name and slug for texts and links.
pub(crate) async fn product_names(app: &App, product_id: i32) -> AppResult<(String, String)> {
    let p = app.store().product(product_id).await?;
    Ok((p.name, p.slug))
}

/// The daily checks: reminders before self-evaluation deadlines and agreements ending.
/// Idempotent by their event keys; returns (products reminded, agreements announced).
pub async fn daily_checks(app: &App, today: chrono::NaiveDate) -> AppResult<(usize, usize)> {
    let reminded = reminders_due(app, today).await?;
    let announced = endings_due(app, today).await?;
    Ok((reminded, announced))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use niveau_store::accounts::NewUser;
    use niveau_store::entity::outbox_message::OutboxStatus;
    use niveau_store::outbox::OutboxFilter;
    use niveau_store::{Actor, ListParams};

    use super::*;
    use crate::work_fixtures;

    async fn account(app: &App, name: &str, role: Role, email: &str) -> i32 {
        app.store()
            .create_user(
                &Actor::system("test"),
                NewUser {
                    username: name.into(),
                    display_name: name.into(),
                    email: Some(email.into()),
                    password_hash: None,
                    roles: vec![role],
                    product_ids: vec![],
                    oidc: None,
                },
            )
            .await
            .unwrap()
            .id
    }

    #[tokio::test]
    async fn endings_go_to_the_secretariat_once_per_end_date_and_off_means_none() {
        let app = work_fixtures::app().await;
        account(&app, "sekr", Role::Sekretariat, "sekr@os2.example").await;
        let admin = account(&app, "admin", Role::Admin, "admin@os2.example").await;
        account(&app, "laeser", Role::Laeser, "laeser@os2.example").await;
        app.store()
            .put_notification_setting(&Actor::system("t"), admin, NotifyMode::Off, "da")
            .await
            .unwrap();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        for (title, ends) in [("Snart", "2026-12-20"), ("Senere", "2027-06-01")] {
            app.store()
                .create_agreement(
                    &Actor::system("t"),
                    serde_json::from_value(serde_json::json!({
                        "kind": "tilslutningsaftale", "title": title, "ends_on": ends
                    }))
                    .unwrap(),
                )
                .await
                .unwrap();
        }
        assert_eq!(endings_due(&app, today).await.unwrap(), 1);
        // Again the next day: announced, but nothing new in the outbox.
        endings_due(&app, today.succ_opt().unwrap()).await.unwrap();
        let queued = app
            .store()
            .list_outbox(
                &OutboxFilter {
                    status: Some(OutboxStatus::Queued),
                },
                &ListParams::default(),
            )
            .await
            .unwrap();
        assert_eq!(
            queued.total, 1,
            "the secretariat, not the admin who chose off"
        );
        let m = &queued.items[0];
        assert_eq!(m.recipient, "sekr@os2.example");
        assert_eq!(m.subject, "Aftalen «Snart» udløber 20-12-2026");
        assert_eq!(m.link.as_deref(), Some("/aftaler"));
    }

    #[test]
    fn a_digest_lists_each_message_in_the_recipients_language() {
        let now = chrono::Utc::now();
        let m = |subject: &str, lang: &str| outbox_message::Model {
            id: 1,
            event_key: "k".into(),
            event_kind: "k".into(),
            entity: "wish".into(),
            entity_id: None,
            recipient_user_id: Some(1),
            recipient: "a@example.org".into(),
            language: lang.into(),
            subject: subject.into(),
            body: "Linje".into(),
            link: Some("/oensker/1".into()),
            status: OutboxStatus::Held,
            attempts: 0,
            max_attempts: 6,
            next_attempt_at: now,
            locked_by: None,
            locked_until: None,
            last_error: None,
            digest_id: None,
            created_at: now,
            sent_at: None,
        };
        let (subject, body) = compose_digest(&[m("Et", "en"), m("To", "en")]);
        assert_eq!(subject, "Niveau: 2 notifications");
        assert_eq!(
            body,
            "Today's notifications:\n\n* Et\n  Linje\n  Page: /oensker/1\n\n* To\n  Linje\n  Page: /oensker/1\n"
        );
    }
}
