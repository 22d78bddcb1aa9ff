//! `niveau serve`: the web application and its background workers.
//!
//! Start-up: read the configuration, connect (a SQLite file is created when missing),
//! apply pending migrations, load the example portfolio with `--demo` into an empty
//! database, discover the single-sign-on provider if one is configured, start the
//! workers, listen, and print the address. On SIGTERM or Ctrl-C: stop accepting
//! connections, let the requests in flight finish (at most
//! `server.shutdown_grace_seconds`), stop the workers, exit 0.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use niveau_report::Lang;
use niveau_web::AppState;
use niveau_web::auth::oidc::OidcClient;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::config::Config;
use crate::db_cmd::{DbArgs, connect_migrated, display_url, runtime};
use crate::demo;

/// `niveau serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on, host:port (default 127.0.0.1:8080). Port 0 picks a
    /// free port; the address used is printed. Overrides [server] listen.
    #[arg(long, value_name = "ADDR")]
    pub listen: Option<String>,
    /// Load the example portfolio (data/demo/portfolio.toml, not OS2's official data)
    /// into an empty database first. A database that already holds other data is
    /// refused.
    #[arg(long)]
    pub demo: bool,
    #[command(flatten)]
    pub db: DbArgs,
}

/// Run `niveau serve`.
pub fn run(args: ServeArgs, lang: Lang) -> Result<ExitCode> {
    let config = args.db.load_config(args.listen.clone())?;
    crate::logging::init(&config.log, crate::logging::SERVE_LEVEL)?;
    runtime()?.block_on(serve(config, args.demo, lang))
}

/// Resolves at the first SIGINT or SIGTERM. The handlers are installed when this is
/// called, not when it is first polled, so a signal that arrives right after start-up
/// is not lost (nor does it kill the process the default way).
#[cfg(unix)]
fn shutdown_signal() -> Result<impl std::future::Future<Output = &'static str>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    let mut int = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = term.recv() => "SIGTERM",
            _ = int.recv() => "SIGINT",
        }
    })
}

/// Resolves at Ctrl-C (platforms without SIGTERM).
#[cfg(not(unix))]
fn shutdown_signal() -> Result<impl std::future::Future<Output = &'static str>> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    })
}

async fn serve(mut config: Config, load_demo: bool, lang: Lang) -> Result<ExitCode> {
    let registry = Arc::new(crate::builtin_registry()?);
    let store = connect_migrated(&config, lang).await?;
    tracing::info!(database = %display_url(&config.database.url), "database ready");

    if load_demo {
        if demo::is_demo(&store).await? {
            tracing::info!("the database already holds the example data; nothing loaded");
        } else if demo::has_portfolio(&store).await? {
            bail!(
                "{} {}",
                display_url(&config.database.url),
                lang.pick(
                    "indeholder allerede data, som ikke er eksempeldata; --demo indlæser kun eksempeldata i en tom database. Brug en anden database, fx --database demo.db",
                    "already holds data that are not example data; --demo only loads example data into an empty database. Use another database, e.g. --database demo.db"
                )
            );
        } else {
            let portfolio = demo::shipped()?;
            let app = niveau_app::App::new(store.clone(), registry.clone());
            let locations = config.web.worker.remote_policy();
            let summary = demo::load(&app, &locations, &portfolio).await?;
            tracing::info!(
                organisations = summary.organisations,
                products = summary.products,
                decisions = summary.decisions,
                self_evaluations = summary.self_evaluations,
                "example data loaded"
            );
        }
    }
    // Only `serve --demo` sets the demo secretariat's password: a plain `serve` of a
    // database with example data leaves it alone, so whoever set it keeps it.
    let mut demo_password = None;
    if demo::is_demo(&store).await? {
        config.web.demo = true;
        if load_demo {
            demo_password = Some(
                demo::demo_account(&niveau_app::App::new(store.clone(), registry.clone())).await?,
            );
        }
        eprintln!(
            "{}",
            lang.pick(
                "Databasen indeholder eksempeldata (data/demo/portfolio.toml), ikke OS2's officielle portefølje.",
                "The database holds example data (data/demo/portfolio.toml), not OS2's official portfolio."
            )
        );
        if !load_demo && store.user_by_username(demo::DEMO_USER).await?.is_some() {
            eprintln!(
                "{} {} {}",
                lang.pick("Kontoen", "The account"),
                demo::DEMO_USER,
                lang.pick(
                    "beholder sin adgangskode; start med --demo for at få en ny.",
                    "keeps its password; start with --demo to get a new one."
                )
            );
        }
    }

    let oidc = match &config.web.oidc {
        Some(oidc) => {
            let client = OidcClient::discover(&oidc.settings()).await.with_context(|| {
                format!(
                    "{} {} ({})",
                    lang.pick(
                        "single sign-on: kan ikke nå udbyderen",
                        "single sign-on: cannot reach the provider"
                    ),
                    oidc.issuer_url,
                    lang.pick(
                        "ret [web.oidc] issuer_url, eller fjern [web.oidc] for at starte uden single sign-on",
                        "fix [web.oidc] issuer_url, or remove [web.oidc] to start without single sign-on"
                    )
                )
            })?;
            tracing::info!(issuer = %oidc.issuer_url, "single sign-on ready");
            Some(client)
        }
        None => None,
    };

    if !store.has_users().await? {
        let mut command = "niveau user add --admin".to_string();
        if config.database.url != crate::config::DatabaseConfig::default().url {
            command.push_str(&format!(
                " --database {}",
                display_url(&config.database.url)
            ));
        }
        eprintln!(
            "{}\n\n    {command} {}\n\n{}",
            lang.pick(
                "Der er ingen konti endnu. Opret den første administrator med:",
                "There are no accounts yet. Create the first administrator with:"
            ),
            lang.pick("NAVN", "NAME"),
            lang.pick(
                "Kommandoen spørger efter en adgangskode på mindst 12 tegn (eller læser den fra standard input med --password-stdin).",
                "The command asks for a password of at least 12 characters (or reads it from standard input with --password-stdin)."
            )
        );
    }

    let listener = tokio::net::TcpListener::bind(&config.server.listen)
        .await
        .map_err(|e| {
            let io = niveau_model::Msg::io(&e);
            let at = &config.server.listen;
            crate::fail(
                format!("kan ikke lytte på {at}: {}", io.da),
                format!("cannot listen on {at}: {}", io.en),
            )
        })?;
    let addr = listener.local_addr()?;
    let signal = shutdown_signal()?;

    let state = AppState::new(store.clone(), config.web.clone(), registry, oidc);
    let app = niveau_web::app(state.clone());
    let (shutdown_tx, shutdown_rx) = watch::channel(false);

    let upkeep = tokio::spawn(state.metrics().clone().upkeep(Duration::from_secs(5)));
    let mut workers = JoinSet::new();
    if config.web.worker.enabled {
        let host = addr.to_string();
        for i in 0..config.server.workers {
            let id = format!("{host}/{}/{i}", std::process::id());
            workers.spawn(niveau_web::worker::run_worker(
                state.clone(),
                id,
                shutdown_rx.clone(),
            ));
        }
        tracing::info!(workers = config.server.workers, "workers started");
    }
    if let Some(mail) = config.mail.clone() {
        let mut mail = mail;
        mail.read_password(|name| std::env::var(name).ok())
            .map_err(|m| crate::fail(m.da, m.en))?;
        let mailer = niveau_app::mail::Mailer::new(mail).map_err(|m| crate::fail(m.da, m.en))?;
        let id = format!("{addr}/{}/mail", std::process::id());
        workers.spawn(niveau_web::mailer::run_mailer(
            state.clone(),
            mailer,
            id,
            shutdown_rx.clone(),
        ));
        tracing::info!("mail sender started");
    }

    let mut server_rx = shutdown_rx.clone();
    let mut server = tokio::spawn(niveau_web::serve(listener, app, async move {
        let _ = server_rx.wait_for(|stop| *stop).await;
    }));
    tracing::info!(%addr, "listening");
    outln!(
        "{} http://{addr}",
        lang.pick("Niveau lytter på", "Niveau listening on")
    );
    if let Some(password) = &demo_password {
        outln!(
            "{} http://{addr}/log-ind {} {} {} {password}",
            lang.pick("Log ind på", "Log in at"),
            lang.pick("som", "as"),
            demo::DEMO_USER,
            lang.pick("med adgangskoden", "with the password"),
        );
    }

    let grace = Duration::from_secs(config.server.shutdown_grace_seconds);
    tokio::select! {
        name = signal => {
            tracing::info!(signal = name, grace_seconds = grace.as_secs(), "shutting down: no new connections, finishing requests in flight");
        }
        result = &mut server => {
            let _ = shutdown_tx.send(true);
            return match result {
                Ok(Ok(())) => Err(anyhow!("the server stopped unexpectedly")),
                Ok(Err(e)) => Err(anyhow!(e).context("the server failed")),
                Err(e) => Err(anyhow!(e).context("the server task failed")),
            };
        }
    }
    let _ = shutdown_tx.send(true);
    let mut clean = true;
    match tokio::time::timeout(grace, &mut server).await {
        Ok(Ok(Ok(()))) => tracing::info!("all requests finished"),
        Ok(Ok(Err(e))) => {
            tracing::error!(error = %e, "the server failed while shutting down");
            clean = false;
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "the server task failed while shutting down");
            clean = false;
        }
        Err(_) => {
            tracing::warn!(
                grace_seconds = grace.as_secs(),
                "grace period over; the connections still open are closed"
            );
            server.abort();
        }
    }
    let stopped = tokio::time::timeout(grace, async {
        while let Some(result) = workers.join_next().await {
            if let Err(e) = result {
                tracing::error!(error = %e, "a worker failed");
            }
        }
    })
    .await;
    if stopped.is_err() {
        tracing::warn!(
            "workers did not stop within the grace period; their jobs are picked up again after their lease"
        );
        workers.abort_all();
    }
    upkeep.abort();
    drop(state);
    if let Err(e) = store.close().await {
        tracing::warn!(error = %e, "closing the database");
    }
    tracing::info!("stopped");
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
