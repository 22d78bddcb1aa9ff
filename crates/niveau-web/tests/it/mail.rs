#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! E-mail notifications end to end, against a real SMTP server on localhost (aiosmtpd,
//! see [`crate::smtp`]): the operations of niveau-app put messages in the outbox, the
//! sender of niveau-serve (`niveau_web::mailer`) sends them. Delivery (recipients,
//! subjects, links, language), refusals (4xx retried later, 5xx failed and listed for
//! the secretariat), a server that drops the connection or disappears (nothing lost), a
//! restarted sender and two senders at once (nothing sent twice).

use std::sync::{Arc, Mutex};

use niveau_app::Principal;
use niveau_app::mail::{MailConfig, Mailer, NotificationSettings, TlsMode};
use niveau_store::accounts::NewUser;
use niveau_store::entity::notification_setting::NotifyMode;
use niveau_store::entity::outbox_message::OutboxStatus;
use niveau_store::outbox::OutboxFilter;
use niveau_store::types::{Role, WishState};
use niveau_store::{Actor, ListParams, Store, StoreOptions};
use niveau_web::{AppState, WebConfig};

use crate::smtp::{Mode, SmtpServer};

/// An application over a store whose clock the test moves.
struct MailApp {
    state: AppState,
    now: Arc<Mutex<chrono::DateTime<chrono::Utc>>>,
    product_id: i32,
    editor: Principal,
    _dir: Option<tempfile::TempDir>,
}

impl MailApp {
    async fn new() -> MailApp {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("mail.db").display().to_string();
        let mut app = MailApp::on(&url).await;
        app._dir = Some(dir);
        app
    }

    async fn on(url: &str) -> MailApp {
        let now = Arc::new(Mutex::new(chrono::Utc::now()));
        let clock = now.clone();
        let store = Store::connect(url, &StoreOptions::default())
            .await
            .unwrap()
            .with_clock(Arc::new(move || *clock.lock().unwrap()));
        store.migrate().await.unwrap();
        let actor = Actor::system("test");
        let product = store
            .create_product(
                &actor,
                serde_json::from_value(serde_json::json!({"slug": "os2mo", "name": "OS2mo"}))
                    .unwrap(),
            )
            .await
            .unwrap();
        let user = |name: &str, role: Role, email: &str, products: Vec<i32>| NewUser {
            username: name.into(),
            display_name: format!("Test {name}"),
            email: Some(email.into()),
            password_hash: None,
            roles: vec![role],
            product_ids: products,
            oidc: None,
        };
        let editor = store
            .create_user(
                &actor,
                user(
                    "redaktoer",
                    Role::Produktredaktor,
                    "redaktoer@kommune.example",
                    vec![product.id],
                ),
            )
            .await
            .unwrap();
        store
            .create_user(
                &actor,
                user("sekr", Role::Sekretariat, "sekr@os2.example", vec![]),
            )
            .await
            .unwrap();
        store
            .create_user(
                &actor,
                user("laeser", Role::Laeser, "laeser@kommune.example", vec![]),
            )
            .await
            .unwrap();
        let registry = Arc::new(niveau_model::Registry::builtin().unwrap());
        let mut config = WebConfig::default();
        config.worker.enabled = false;
        let state = AppState::new(store, config, registry, None);
        MailApp {
            state,
            now,
            product_id: product.id,
            editor: Principal {
                user_id: editor.id,
                username: editor.username.clone(),
                display_name: editor.display_name.clone(),
                roles: vec![Role::Produktredaktor],
                product_ids: vec![product.id],
                can_write: true,
                system: false,
            },
            _dir: None,
        }
    }

    fn store(&self) -> &Store {
        self.state.app().store()
    }

    fn advance(&self, seconds: i64) {
        *self.now.lock().unwrap() += chrono::Duration::seconds(seconds);
    }

    /// Raise a wish as a citizen of a municipality with an address, move it to screening.
    async fn wish_moved(&self, title: &str) -> i32 {
        let system = Principal::system("test");
        let w = niveau_app::wishes::raise(
            self.state.app(),
            Some(&system),
            "os2mo",
            &serde_json::from_value(serde_json::json!({
                "title": title,
                "need": "Bedre overblik",
                "raised_by": "Rikke Rekvirent",
                "raised_by_email": "rikke@kommune.example",
            }))
            .unwrap(),
        )
        .await
        .unwrap();
        niveau_app::wishes::step(
            self.state.app(),
            Some(&system),
            w.id,
            &niveau_store::wishes::StepInput {
                to: WishState::Screening,
                reason: None,
                version: w.version,
            },
        )
        .await
        .unwrap();
        w.id
    }

    async fn round(&self, name: &str) {
        let today = self.store().now().date_naive();
        niveau_app::rounds::create(
            self.state.app(),
            Some(&Principal::system("test")),
            serde_json::from_value(serde_json::json!({
                "name": name,
                "opens_on": today,
                "self_evaluation_deadline": today + chrono::Duration::days(30),
                "evaluation_deadline": today + chrono::Duration::days(60),
                "product_ids": [self.product_id],
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    }

    async fn count(&self, status: OutboxStatus) -> u64 {
        self.store()
            .list_outbox(
                &OutboxFilter {
                    status: Some(status),
                },
                &ListParams::default(),
            )
            .await
            .unwrap()
            .total
    }
}

fn mailer(server: &SmtpServer) -> Mailer {
    let config = MailConfig {
        host: "127.0.0.1".into(),
        port: Some(server.port),
        tls: TlsMode::None,
        from: "Niveau <niveau@os2.example>".into(),
        base_url: "https://niveau.example".into(),
        retry_seconds: 60,
        lease_seconds: 60,
        timeout_seconds: 10,
        allow_loopback_for_tests: true,
        ..MailConfig::default()
    };
    Mailer::new(config).unwrap()
}

#[tokio::test]
#[ignore = "needs aiosmtpd (scripts/ci-smtp.sh)"]
async fn messages_arrive_with_the_right_recipients_subjects_links_and_language() {
    let server = SmtpServer::start();
    let app = MailApp::new().await;
    // The editor reads English; everyone else gets Danish.
    niveau_app::mail::put_my_settings(
        app.state.app(),
        Some(&app.editor),
        NotificationSettings {
            mode: NotifyMode::Immediate,
            language: "en".into(),
        },
    )
    .await
    .unwrap();
    app.round("Efterår 2026").await;
    let wish = app.wish_moved("Eksport til CSV").await;
    let mailer = mailer(&server);
    let report = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!((report.sent, report.retried, report.failed), (2, 0, 0));
    let got = server.received();
    assert_eq!(got.len(), 2);
    let round = got
        .iter()
        .find(|m| m.rcpt_tos == ["redaktoer@kommune.example"])
        .unwrap();
    let deadline = (app.store().now().date_naive() + chrono::Duration::days(30))
        .format("%d-%m-%Y")
        .to_string();
    assert_eq!(
        round.subject,
        format!("Efterår 2026: self-evaluation of OS2mo due {deadline}")
    );
    assert!(
        round
            .body
            .contains("Open: https://niveau.example/produkter/os2mo/selvevaluering"),
        "{}",
        round.body
    );
    assert_eq!(round.mail_from, "niveau@os2.example");
    assert!(
        round.message_id.starts_with("<niveau-outbox-"),
        "{}",
        round.message_id
    );
    // The wish's requester alone hears of its state, in Danish, and sees no other address.
    let moved = got
        .iter()
        .find(|m| m.rcpt_tos == ["rikke@kommune.example"])
        .unwrap();
    assert_eq!(
        moved.subject,
        "Dit udviklingsønske «Eksport til CSV» er nu: screening"
    );
    assert!(
        moved
            .body
            .contains(&format!("Åbn: https://niveau.example/oensker/{wish}"))
    );
    assert!(
        moved.body.contains("fra «ny» til «screening»"),
        "{}",
        moved.body
    );
    for m in &got {
        assert_eq!(
            m.data.matches('@').count(),
            {
                // From, To, Message-ID: no other address anywhere in the message.
                3
            },
            "{}",
            m.data
        );
    }
    // Sent once: another round finds nothing to do.
    let again = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert!(!again.took_any());
    assert_eq!(app.count(OutboxStatus::Sent).await, 2);
}

#[tokio::test]
#[ignore = "needs aiosmtpd (scripts/ci-smtp.sh)"]
async fn hostile_text_cannot_add_headers_or_recipients() {
    let server = SmtpServer::start();
    let app = MailApp::new().await;
    app.wish_moved("Ønske\r\nBcc: alle@evil.example\r\n\r\nX")
        .await;
    let report = niveau_web::mailer::run_once(&app.state, &mailer(&server), "s1", false)
        .await
        .unwrap();
    assert_eq!(report.sent, 1);
    let got = server.received();
    assert_eq!(got[0].rcpt_tos, ["rikke@kommune.example"]);
    // The header section: no line of it is a header the text made up (a folded
    // continuation line starts with a space).
    let data = got[0].data.replace("\r\n", "\n");
    let headers = data.split("\n\n").next().unwrap();
    let names: Vec<&str> = headers
        .lines()
        .filter(|l| !l.starts_with(' '))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert_eq!(
        names,
        [
            "From",
            "To",
            "Subject",
            "Message-ID",
            "Content-Type",
            "Content-Transfer-Encoding",
            "Date"
        ],
        "{data}"
    );
    assert_eq!(
        got[0].subject,
        "Dit udviklingsønske «Ønske Bcc: alle@evil.example X» er nu: screening"
    );
}

#[tokio::test]
#[ignore = "needs aiosmtpd (scripts/ci-smtp.sh)"]
async fn a_temporary_refusal_is_retried_later_and_a_permanent_one_fails_visibly() {
    let server = SmtpServer::start();
    let app = MailApp::new().await;
    let mailer = mailer(&server);
    app.wish_moved("Første").await;
    server.set_mode(Mode::Refuse4);
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!((r.sent, r.retried, r.failed), (0, 1, 0));
    server.set_mode(Mode::Accept);
    // Not due before the backoff (60 s after the first attempt).
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert!(!r.took_any());
    app.advance(61);
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!(r.sent, 1);
    assert_eq!(server.received().len(), 1);

    // 5xx: failed at once, listed for the secretariat, and sent again on request.
    app.wish_moved("Andet").await;
    server.set_mode(Mode::Refuse5);
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!(r.failed, 1);
    let secretariat = Principal::system("sekretariat");
    let failed = niveau_app::mail::outbox(
        app.state.app(),
        Some(&secretariat),
        &OutboxFilter {
            status: Some(OutboxStatus::Failed),
        },
        &ListParams::default(),
    )
    .await
    .unwrap();
    assert_eq!(failed.total, 1);
    assert!(
        failed.items[0]
            .last_error
            .as_deref()
            .unwrap()
            .contains("550"),
        "{:?}",
        failed.items[0].last_error
    );
    // Not for the product's editor.
    assert!(
        niveau_app::mail::outbox(
            app.state.app(),
            Some(&app.editor),
            &OutboxFilter::default(),
            &ListParams::default()
        )
        .await
        .is_err()
    );
    server.set_mode(Mode::Accept);
    niveau_app::mail::send_again(app.state.app(), Some(&secretariat), failed.items[0].id)
        .await
        .unwrap();
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!(r.sent, 1);
    let got = server.received();
    assert_eq!(got.len(), 2);
    assert!(got[1].subject.contains("«Andet»"));
}

#[tokio::test]
#[ignore = "needs aiosmtpd (scripts/ci-smtp.sh)"]
async fn a_server_that_drops_the_connection_or_disappears_loses_nothing() {
    let mut server = SmtpServer::start();
    let app = MailApp::new().await;
    let mailer = mailer(&server);
    app.wish_moved("Tabt forbindelse").await;
    server.set_mode(Mode::Drop);
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!((r.sent, r.retried), (0, 1));
    assert!(server.received().is_empty());
    // The server goes away entirely.
    server.stop();
    app.advance(61);
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!((r.sent, r.retried), (0, 1));
    // It comes back; after the (doubled) backoff the message arrives, once.
    server.resume();
    server.set_mode(Mode::Accept);
    app.advance(121);
    let r = niveau_web::mailer::run_once(&app.state, &mailer, "s1", false)
        .await
        .unwrap();
    assert_eq!(r.sent, 1);
    let got = server.received();
    assert_eq!(got.len(), 1);
    assert!(got[0].subject.contains("«Tabt forbindelse»"));
    let sent = app
        .store()
        .list_outbox(&OutboxFilter::default(), &ListParams::default())
        .await
        .unwrap();
    assert_eq!(sent.items[0].attempts, 3);
}

#[tokio::test]
#[ignore = "needs aiosmtpd (scripts/ci-smtp.sh)"]
async fn a_restarted_sender_sends_nothing_twice() {
    let server = SmtpServer::start();
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("restart.db").display().to_string();
    let app = MailApp::on(&url).await;
    app.wish_moved("Et").await;
    app.wish_moved("To").await;
    // A sender takes both messages and dies before sending them.
    let taken = app
        .store()
        .claim_mail("dead", std::time::Duration::from_secs(60), 10)
        .await
        .unwrap();
    assert_eq!(taken.len(), 2);
    // A new process (a new store and application on the same database) starts a sender:
    // it leaves the dead sender's messages alone until the lease runs out.
    let store = Store::connect(&url, &StoreOptions::default())
        .await
        .unwrap()
        .with_clock({
            let now = app.now.clone();
            Arc::new(move || *now.lock().unwrap())
        });
    let registry = Arc::new(niveau_model::Registry::builtin().unwrap());
    let fresh = AppState::new(store, WebConfig::default(), registry, None);
    let mailer = mailer(&server);
    let r = niveau_web::mailer::run_once(&fresh, &mailer, "new", false)
        .await
        .unwrap();
    assert!(!r.took_any());
    app.advance(61);
    let r = niveau_web::mailer::run_once(&fresh, &mailer, "new", false)
        .await
        .unwrap();
    assert_eq!(r.sent, 2);
    // The dead sender cannot mark them, and yet another restart finds nothing to send.
    assert!(!app.store().mail_sent(taken[0].id, "dead").await.unwrap());
    for _ in 0..2 {
        let r = niveau_web::mailer::run_once(&app.state, &mailer, "third", false)
            .await
            .unwrap();
        assert!(!r.took_any());
    }
    assert_eq!(server.received().len(), 2);
}

async fn two_senders(app: MailApp) {
    let server = SmtpServer::start();
    for i in 0..12 {
        app.wish_moved(&format!("Ønske {i}")).await;
    }
    let mailer = mailer(&server);
    let mut tasks = Vec::new();
    for s in 0..2 {
        let state = app.state.clone();
        let mailer = mailer.clone();
        tasks.push(tokio::spawn(async move {
            let name = format!("sender-{s}");
            let mut sent = 0;
            loop {
                let r = niveau_web::mailer::run_once(&state, &mailer, &name, false)
                    .await
                    .unwrap();
                if !r.took_any() {
                    break;
                }
                sent += r.sent;
            }
            sent
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 12);
    let got = server.received();
    assert_eq!(got.len(), 12, "each message once");
    let ids: std::collections::BTreeSet<_> = got.iter().map(|m| m.message_id.clone()).collect();
    assert_eq!(ids.len(), 12);
    assert_eq!(app.count(OutboxStatus::Sent).await, 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs aiosmtpd (scripts/ci-smtp.sh)"]
async fn two_senders_send_each_message_once_on_sqlite() {
    two_senders(MailApp::new().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs aiosmtpd and PostgreSQL (scripts/ci-smtp.sh, scripts/ci-postgres.sh)"]
async fn two_senders_send_each_message_once_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    two_senders(MailApp::on(&db.url).await).await;
}

#[tokio::test]
#[ignore = "needs aiosmtpd (scripts/ci-smtp.sh)"]
async fn digest_and_off_settings_and_the_daily_reminders() {
    let server = SmtpServer::start();
    let app = MailApp::new().await;
    let mailer = mailer(&server);
    // The editor wants a daily digest.
    niveau_app::mail::put_my_settings(
        app.state.app(),
        Some(&app.editor),
        NotificationSettings {
            mode: NotifyMode::Digest,
            language: "da".into(),
        },
    )
    .await
    .unwrap();
    app.round("Forår 2027").await;
    // 17 days later, 13 days before the deadline, the daily check reminds the product
    // (not updated), once however often it runs.
    app.advance(17 * 86400);
    for _ in 0..3 {
        niveau_web::mailer::run_once(&app.state, &mailer, "s1", true)
            .await
            .unwrap();
    }
    let got = server.received();
    assert_eq!(got.len(), 1, "one digest");
    assert_eq!(got[0].rcpt_tos, ["redaktoer@kommune.example"]);
    assert_eq!(got[0].subject, "Niveau: 2 notifikationer");
    assert!(
        got[0].body.contains("Påmindelse: selvevaluering af OS2mo"),
        "{}",
        got[0].body
    );
    assert!(
        got[0].body.contains("Forår 2027: selvevaluering af OS2mo"),
        "{}",
        got[0].body
    );
    // Turned off: the 3-day reminder is not sent to them.
    niveau_app::mail::put_my_settings(
        app.state.app(),
        Some(&app.editor),
        NotificationSettings {
            mode: NotifyMode::Off,
            language: "da".into(),
        },
    )
    .await
    .unwrap();
    app.advance(11 * 86400);
    niveau_web::mailer::run_once(&app.state, &mailer, "s1", true)
        .await
        .unwrap();
    assert_eq!(server.received().len(), 1);
}
