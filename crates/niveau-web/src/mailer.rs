//! The e-mail sender: runs in niveau-serve next to the scan worker, on every instance
//! that has a `[mail]` section. Each round runs the daily checks (at most once an hour;
//! they are idempotent) and then [`niveau_app::mail::send_due`], which takes due messages
//! from the outbox with a lease, sends them and records the outcome. Several instances
//! may run it at once: the outbox gives each message to one sender at a time. Everything
//! it does is an operation of niveau-app; this loop only paces them.

use std::time::{Duration, Instant};

use niveau_app::mail::{Mailer, SendReport, send_due};
use niveau_app::{AppError, notifications};
use tokio::sync::watch;

use crate::state::AppState;

/// How often the daily checks run on one instance.
const CHECK_EVERY: Duration = Duration::from_secs(3600);

/// One round: the daily checks if `check`, then the due messages.
pub async fn run_once(
    state: &AppState,
    mailer: &Mailer,
    sender: &str,
    check: bool,
) -> Result<SendReport, AppError> {
    if check {
        let today = state.app().store().now().date_naive();
        let (reminded, announced) = notifications::daily_checks(state.app(), today).await?;
        tracing::debug!(reminded, announced, "daily notification checks done");
    }
    send_due(state.app(), mailer, sender).await
}

/// Runs the sender until `shutdown` turns true (or its sender is dropped). When nothing
/// was due it waits `mail.poll_seconds`. A batch in flight at shutdown is finished (the
/// SMTP conversation is bounded by `mail.timeout_seconds`).
pub async fn run_mailer(
    state: AppState,
    mailer: Mailer,
    sender: String,
    mut shutdown: watch::Receiver<bool>,
) {
    let poll = Duration::from_secs(mailer.config().poll_seconds.max(1));
    let mut last_check: Option<Instant> = None;
    tracing::info!(sender = %sender, host = %mailer.config().host, "mail sender started");
    loop {
        if *shutdown.borrow() {
            break;
        }
        let check = last_check.is_none_or(|t| t.elapsed() >= CHECK_EVERY);
        let idle = match run_once(&state, &mailer, &sender, check).await {
            Ok(report) => {
                if check {
                    last_check = Some(Instant::now());
                }
                if report.took_any() {
                    tracing::info!(
                        sender = %sender,
                        sent = report.sent,
                        retried = report.retried,
                        failed = report.failed,
                        "mail round"
                    );
                }
                !report.took_any()
            }
            Err(e) => {
                tracing::warn!(sender = %sender, error = %e, "mail round failed");
                true
            }
        };
        if idle {
            tokio::select! {
                () = tokio::time::sleep(poll) => {}
                _ = shutdown.wait_for(|stop| *stop) => break,
            }
        }
    }
    tracing::info!(sender = %sender, "mail sender stopped");
}
