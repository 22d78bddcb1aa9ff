//! `niveau publish`: the public part of the portfolio as a static site
//! (niveau_web::publish), written to a directory and/or committed to a branch of a git
//! repository and pushed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Result;
use clap::Args;
use niveau_report::Lang;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_web::AppState;
use niveau_web::publish::{self, PublishOptions, git::GitTarget};

use crate::db_cmd::{DbArgs, connect_migrated, runtime};
use crate::{Bilingual, fail};

/// `niveau publish`.
#[derive(Debug, Args)]
pub struct PublishArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Write the site into this directory (an earlier publication in it is updated; the
    /// files of published evaluations are never removed).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Commit the site to a branch of this git repository and push it (https://, ssh://
    /// or file://). An unchanged portfolio makes no commit.
    #[arg(long, value_name = "URL")]
    pub git: Option<String>,
    /// The branch for --git.
    #[arg(long, value_name = "BRANCH", default_value = "gh-pages")]
    pub branch: String,
    /// The path the site is served under, e.g. /niveau/ for a GitHub Pages project site
    /// (used for the permanent URLs in catalogue.json; links are relative).
    #[arg(long, value_name = "PATH", default_value = "/")]
    pub base_path: String,
}

/// Run `niveau publish`.
pub fn run(args: PublishArgs, lang: Lang) -> Result<ExitCode> {
    if args.out.is_none() && args.git.is_none() {
        return Err(fail(
            "angiv --out DIR og/eller --git URL",
            "give --out DIR and/or --git URL",
        ));
    }
    let mut config = args.db.load_config(None)?;
    crate::logging::init(&config.log, crate::logging::COMMAND_LEVEL)?;
    let registry = Arc::new(crate::builtin_registry()?);
    runtime()?.block_on(async {
        let store = connect_migrated(&config, lang).await?;
        config.web.demo = crate::demo::is_demo(&store).await?;
        let state = AppState::new(store, config.web.clone(), registry, None);
        let options = PublishOptions {
            base_path: args.base_path.clone(),
        };
        let started = std::time::Instant::now();
        let site = publish::render_site(&state, &options)
            .await
            .map_err(|e| Bilingual(e.msg()))?;
        let pages = site.files.len();
        if let Some(out) = &args.out {
            let changes = publish::write_site(out, &site).map_err(|e| Bilingual(e.msg()))?;
            outln!(
                "{} {}: {} ({} {}, {} {})",
                lang.pick("Skrevet til", "Written to"),
                out.display(),
                lang.msg(&changes.summary()),
                changes.written,
                lang.pick("filer skrevet", "files written"),
                changes.removed,
                lang.pick("fjernet", "removed"),
            );
        }
        if let Some(url) = &args.git {
            // The person running the command chooses the location: any host, and a
            // repository on this machine (file://).
            let target = GitTarget {
                url: url.clone(),
                branch: args.branch.clone(),
                policy: RemotePolicy::local_user(),
                allow_file: true,
            };
            let site = site.clone();
            let outcome =
                tokio::task::spawn_blocking(move || publish::git::publish(&site, &target))
                    .await?
                    .map_err(|e| Bilingual(e.msg()))?;
            match outcome.commit {
                Some(commit) => outln!(
                    "{} {commit} {} {}: {}",
                    lang.pick("Commit", "Commit"),
                    lang.pick("skubbet til", "pushed to"),
                    args.branch,
                    lang.msg(&outcome.changes.summary()),
                ),
                None => outln!(
                    "{}",
                    lang.pick("Uændret: ingen ny commit.", "Unchanged: no new commit.")
                ),
            }
        }
        outln!(
            "{pages} {} {} {:.2} s",
            lang.pick("filer", "files"),
            lang.pick("på", "in"),
            started.elapsed().as_secs_f64()
        );
        Ok(ExitCode::SUCCESS)
    })
}
