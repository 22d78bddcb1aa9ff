//! E-mail (#16): the SMTP settings, sending the outbox, the secretariat's view of it and
//! each account's notification settings.
//!
//! Notifications are rows of the store's outbox ([`niveau_store::outbox`]) before they are
//! e-mails; [`crate::notifications`] decides who gets what. [`send_due`] is one round of
//! a sender (niveau-serve runs it in a loop next to the scan worker): it combines held
//! messages into daily digests, takes due messages with a lease, sends each through SMTP
//! (lettre) and marks it sent only after the server accepted it. A 5xx answer fails the
//! message for good (listed for the secretariat, who can send it again); a 4xx answer,
//! a dropped connection or a timeout puts it back with exponential backoff
//! (`retry_seconds` doubled per attempt, at most six hours) until its attempts run out.
//! Each message carries a stable `Message-ID` (`<niveau-outbox-ID@domain>`), so the one
//! duplicate the outbox cannot rule out (a sender dying between the server's acceptance
//! and the `sent` mark) is recognisable as the same message.
//!
//! The server connects only to the addresses the configured host resolves to, and never
//! to a loopback, private, link-local or otherwise internal address (the remote policy's
//! classification, [`niveau_scan::remote_policy::classify`]) unless a test enables
//! loopback. The password is read from a file or an environment variable and never
//! logged or shown.

pub mod text;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use niveau_model::Msg;
use niveau_scan::remote_policy::{AddressClass, classify};
use niveau_store::entity::notification_setting::NotifyMode;
use niveau_store::entity::outbox_message::{self, OutboxStatus};
use niveau_store::outbox::OutboxFilter;
use niveau_store::{ListParams, Page};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{Action, App, AppError, AppResult, Caller, require};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain connection upgraded with STARTTLS (required); port 587 by default.
    #[default]
    Starttls,
    /// TLS from the start (SMTPS); port 465 by default.
    Tls,
    /// No encryption; port 25 by default. Only for a relay on a trusted network.
    None,
}

/// A password that never shows in logs or debug output.
#[derive(Clone, Default)]
pub struct Password(String);

impl Password {
    /// Wrap a password.
    pub fn new(secret: impl Into<String>) -> Password {
        Password(secret.into())
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// `[mail]` in niveau.toml. Without it no e-mail is sent (notifications still wait in
/// the outbox).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailConfig {
    /// The SMTP server's host name.
    pub host: String,
    /// Its port (default by `tls`: 587, 465 or 25).
    pub port: Option<u16>,
    /// `starttls`, `tls` or `none`.
    pub tls: TlsMode,
    /// User name for SMTP authentication; none: no authentication.
    pub username: Option<String>,
    /// A file holding the password (its first line).
    pub password_file: Option<PathBuf>,
    /// The name of an environment variable holding the password.
    pub password_env: Option<String>,
    /// The sender, `Niveau <niveau@os2.eu>`.
    pub from: String,
    /// The address people use, put in front of links (`https://niveau.os2.eu`).
    pub base_url: String,
    /// How long a sender waits when nothing is due, in seconds.
    pub poll_seconds: u64,
    /// How long a sender holds a message it took, in seconds.
    pub lease_seconds: u64,
    /// Messages taken at a time.
    pub batch: u64,
    /// The first wait after a temporary failure, in seconds; doubled per attempt.
    pub retry_seconds: u64,
    /// The SMTP conversation's timeout, in seconds.
    pub timeout_seconds: u64,
    /// Hours between an account's digests.
    pub digest_hours: i64,
    /// The password, read by the program from `password_file` or `password_env`
    /// ([`MailConfig::read_password`]); never from the file itself.
    #[serde(skip)]
    pub password: Option<Password>,
    /// Let the sender connect to loopback addresses: only for tests with an SMTP server
    /// on 127.0.0.1. Never read from the configuration file or environment.
    #[serde(skip)]
    pub allow_loopback_for_tests: bool,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            host: String::new(),
            port: None,
            tls: TlsMode::Starttls,
            username: None,
            password_file: None,
            password_env: None,
            from: String::new(),
            base_url: String::new(),
            poll_seconds: 10,
            lease_seconds: 120,
            batch: 20,
            retry_seconds: 60,
            timeout_seconds: 30,
            digest_hours: 24,
            password: None,
            allow_loopback_for_tests: false,
        }
    }
}

impl MailConfig {
    /// The port connected to.
    pub fn port(&self) -> u16 {
        self.port.unwrap_or(match self.tls {
            TlsMode::Starttls => 587,
            TlsMode::Tls => 465,
            TlsMode::None => 25,
        })
    }

    /// Read the password from `password_file` or the variable `password_env` (looked
    /// up with `env`).
    pub fn read_password(&mut self, env: impl Fn(&str) -> Option<String>) -> Result<(), Msg> {
        if let Some(path) = &self.password_file {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Msg::new(
                    format!("mail.password_file {}: {}", path.display(), Msg::io(&e).da),
                    format!("mail.password_file {}: {}", path.display(), Msg::io(&e).en),
                )
            })?;
            self.password = Some(Password::new(text.lines().next().unwrap_or_default()));
        } else if let Some(name) = &self.password_env {
            let value = env(name).ok_or_else(|| {
                Msg::new(
                    format!("mail.password_env: variablen {name} er ikke sat"),
                    format!("mail.password_env: the variable {name} is not set"),
                )
            })?;
            self.password = Some(Password::new(value));
        }
        Ok(())
    }
}

/// A configured sender.
#[derive(Debug, Clone)]
pub struct Mailer {
    config: MailConfig,
    from: Mailbox,
    domain: String,
}

impl Mailer {
    /// Check the settings.
    pub fn new(config: MailConfig) -> Result<Mailer, Msg> {
        if config.host.trim().is_empty() {
            return Err(Msg::new("mail.host mangler", "mail.host is missing"));
        }
        let from: Mailbox = text::header_safe(&config.from).parse().map_err(|_| {
            Msg::new(
                format!("mail.from: '{}' er ikke en e-mailadresse", config.from),
                format!("mail.from: '{}' is not an e-mail address", config.from),
            )
        })?;
        if !(config.base_url.starts_with("https://") || config.base_url.starts_with("http://")) {
            return Err(Msg::new(
                "mail.base_url skal begynde med https:// eller http://",
                "mail.base_url must start with https:// or http://",
            ));
        }
        if config.username.is_some() && config.password.is_none() {
            return Err(Msg::new(
                "mail.username kræver mail.password_file eller mail.password_env",
                "mail.username needs mail.password_file or mail.password_env",
            ));
        }
        let domain = from.email.domain().to_string();
        Ok(Mailer {
            config,
            from,
            domain,
        })
    }

    /// The settings.
    pub fn config(&self) -> &MailConfig {
        &self.config
    }

    /// The addresses to connect to: the host's, each checked.
    async fn addresses(&self) -> Result<Vec<SocketAddr>, String> {
        let host = self.config.host.trim();
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host, self.config.port()))
            .await
            .map_err(|e| format!("{host}: {e}"))?
            .collect();
        if addrs.is_empty() {
            return Err(format!("{host}: no address"));
        }
        for a in &addrs {
            match classify(a.ip()) {
                None => {}
                Some(AddressClass::Loopback) if self.config.allow_loopback_for_tests => {}
                Some(class) => {
                    return Err(format!(
                        "{host} resolves to {} ({class:?}); the server does not connect to internal addresses",
                        a.ip()
                    ));
                }
            }
        }
        Ok(addrs)
    }

    async fn transport(&self) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
        let addrs = self.addresses().await?;
        let Some(addr) = addrs.first() else {
            return Err("no address".into());
        };
        let host = self.config.host.trim().to_string();
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
                .port(addr.port())
                .timeout(Some(Duration::from_secs(
                    self.config.timeout_seconds.max(1),
                )));
        builder = match self.config.tls {
            TlsMode::None => builder.tls(Tls::None),
            TlsMode::Starttls => builder.tls(Tls::Required(
                TlsParameters::new(host).map_err(|e| e.to_string())?,
            )),
            TlsMode::Tls => builder.tls(Tls::Wrapper(
                TlsParameters::new(host).map_err(|e| e.to_string())?,
            )),
        };
        if let (Some(user), Some(password)) = (&self.config.username, &self.config.password) {
            builder = builder.credentials(Credentials::new(user.clone(), password.0.clone()));
        }
        Ok(builder.build())
    }

    fn message(&self, m: &outbox_message::Model) -> Result<Message, String> {
        let to: Mailbox = text::header_safe(&m.recipient)
            .parse()
            .map_err(|e| format!("recipient: {e}"))?;
        let english = m.language == "en";
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(text::header_safe(&m.subject))
            .message_id(Some(format!(
                "<niveau-outbox-{}.{}@{}>",
                m.id,
                m.created_at.timestamp(),
                self.domain
            )))
            .header(ContentType::TEXT_PLAIN)
            .body(text::full_body(
                &m.body,
                m.link.as_deref(),
                &self.config.base_url,
                english,
            ))
            .map_err(|e| e.to_string())
    }

    fn backoff(&self, attempts: i32) -> Duration {
        let base = self.config.retry_seconds.max(1);
        let factor = 1u64 << attempts.clamp(1, 16).saturating_sub(1);
        Duration::from_secs(base.saturating_mul(factor).min(6 * 3600))
    }
}

/// What one round of a sender did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SendReport {
    /// Digests made.
    pub digests: u64,
    /// Messages accepted by the SMTP server.
    pub sent: u32,
    /// Messages put back for a later attempt.
    pub retried: u32,
    /// Messages failed for good.
    pub failed: u32,
}

impl SendReport {
    /// Whether any message was taken.
    pub fn took_any(&self) -> bool {
        self.sent + self.retried + self.failed > 0
    }
}

/// One round of sender `sender`: make the due digests, take up to `batch` due messages
/// and send them. A server that cannot be reached at all leaves the messages untaken.
pub async fn send_due(app: &App, mailer: &Mailer, sender: &str) -> AppResult<SendReport> {
    let store = app.store();
    let digests = store
        .make_digests(
            chrono::Duration::hours(mailer.config.digest_hours.max(1)),
            crate::notifications::compose_digest,
        )
        .await?;
    let mut report = SendReport {
        digests,
        ..SendReport::default()
    };
    let transport = mailer
        .transport()
        .await
        .map_err(|e| AppError::internal(format!("SMTP {}: {e}", mailer.config.host)))?;
    let lease = Duration::from_secs(mailer.config.lease_seconds.max(5));
    let taken = store
        .claim_mail(sender, lease, mailer.config.batch.max(1))
        .await?;
    for m in taken {
        let outcome = match mailer.message(&m) {
            Ok(email) => match transport.send(email).await {
                Ok(_) => Ok(()),
                Err(e) if e.is_permanent() => Err((e.to_string(), None)),
                Err(e) => Err((e.to_string(), Some(mailer.backoff(m.attempts)))),
            },
            // A message that cannot be built will never be sent.
            Err(e) => Err((e, None)),
        };
        match outcome {
            Ok(()) => {
                if store.mail_sent(m.id, sender).await? {
                    report.sent += 1;
                } else {
                    tracing::warn!(message = m.id, sender, "sent after the lease ran out");
                    report.sent += 1;
                }
            }
            Err((error, retry)) => {
                tracing::warn!(message = m.id, sender, error = %error, "e-mail not sent");
                match store.mail_failed(m.id, sender, &error, retry).await? {
                    OutboxStatus::Failed => report.failed += 1,
                    _ => report.retried += 1,
                }
            }
        }
    }
    Ok(report)
}

/// The outbox for the secretariat, newest first (filter by status: `failed` lists what
/// needs attention).
pub async fn outbox(
    app: &App,
    who: Caller<'_>,
    filter: &OutboxFilter,
    params: &ListParams,
) -> AppResult<Page<outbox_message::Model>> {
    require(who, Action::ReadOutbox)?;
    Ok(app.store().list_outbox(filter, params).await?)
}

/// Send a failed message again. For the secretariat.
pub async fn send_again(app: &App, who: Caller<'_>, id: i32) -> AppResult<outbox_message::Model> {
    let who = require(who, Action::ManageOutbox)?;
    app.store().outbox_message(id).await.map_err(|_| {
        AppError::not_found(Msg::new(
            format!("beskeden {id}"),
            format!("the message {id}"),
        ))
    })?;
    Ok(app.store().retry_mail(&who.actor(), id).await?)
}

/// An account's notification settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// `immediate`, `digest` (one e-mail a day) or `off`.
    pub mode: NotifyMode,
    /// `da` or `en`.
    pub language: String,
}

/// The caller's notification settings (immediately, in Danish, until chosen).
pub async fn my_settings(app: &App, who: Caller<'_>) -> AppResult<NotificationSettings> {
    let who = require(who, Action::ReadOwnAccount)?;
    Ok(match app.store().notification_setting(who.user_id).await? {
        Some(s) => NotificationSettings {
            mode: s.mode,
            language: s.language,
        },
        None => NotificationSettings {
            mode: NotifyMode::Immediate,
            language: "da".into(),
        },
    })
}

/// Change the caller's notification settings.
pub async fn put_my_settings(
    app: &App,
    who: Caller<'_>,
    input: NotificationSettings,
) -> AppResult<NotificationSettings> {
    let who = require(who, Action::OwnAccount)?;
    if who.system {
        return Err(AppError::state(Msg::new(
            "konsollen har ingen konto at gemme indstillinger på",
            "the console has no account to keep settings on",
        )));
    }
    if !matches!(input.language.as_str(), "da" | "en") {
        return Err(AppError::invalid(
            "language",
            Msg::new(
                "sproget skal være da eller en",
                "the language must be da or en",
            ),
        ));
    }
    let saved = app
        .store()
        .put_notification_setting(&who.actor(), who.user_id, input.mode, &input.language)
        .await?;
    Ok(NotificationSettings {
        mode: saved.mode,
        language: saved.language,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn parse(toml_text: &str) -> Result<MailConfig, toml::de::Error> {
        toml::from_str(toml_text)
    }

    #[test]
    fn the_password_comes_from_the_environment_and_never_shows() {
        let mut c = parse(
            "host = \"smtp.example.dk\"\nusername = \"niveau\"\npassword_env = \"SMTP_PW\"\nfrom = \"Niveau <niveau@os2.eu>\"\nbase_url = \"https://niveau.os2.eu\"\n",
        )
        .unwrap();
        assert_eq!((c.tls, c.port()), (TlsMode::Starttls, 587));
        assert!(
            Mailer::new(c.clone()).is_err(),
            "a user name needs a password"
        );
        c.read_password(|name| (name == "SMTP_PW").then(|| "hemmelig-kode".to_string()))
            .unwrap();
        let shown = format!("{:?}", Mailer::new(c).unwrap());
        assert!(!shown.contains("hemmelig"), "{shown}");
        assert!(shown.contains("Password(***)"));
        let mut missing = parse("password_env = \"NONE\"").unwrap();
        assert_eq!(
            missing.read_password(|_| None).unwrap_err().en,
            "mail.password_env: the variable NONE is not set"
        );
    }

    #[test]
    fn unknown_keys_and_the_loopback_switch_are_refused() {
        assert!(parse("hots = \"x\"").is_err());
        assert!(parse("allow_loopback_for_tests = true").is_err());
        assert!(parse("tls = \"ssl\"").is_err());
        let c = parse("tls = \"tls\"").unwrap();
        assert_eq!(c.port(), 465);
        assert!(!c.allow_loopback_for_tests);
    }

    #[tokio::test]
    async fn the_sender_never_connects_to_an_internal_address() {
        let c = MailConfig {
            host: "127.0.0.1".into(),
            from: "niveau@os2.eu".into(),
            base_url: "https://niveau.os2.eu".into(),
            ..MailConfig::default()
        };
        let err = Mailer::new(c).unwrap().addresses().await.unwrap_err();
        assert!(err.contains("Loopback"), "{err}");
    }
}
