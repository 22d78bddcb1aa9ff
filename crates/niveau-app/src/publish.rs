//! What the static site (`niveau publish`) holds: the public part of the portfolio.
//!
//! Everything here is read as the public reads it (no principal): the products the
//! public may see ([`crate::visibility::visible_products`]) and their published
//! evaluations. The web crate renders the listed pages through the live pages' handlers
//! with an anonymous request, so a page's content is exactly what an anonymous visitor
//! of the server sees; this module only decides *which* pages and files exist.

use std::collections::BTreeMap;

use niveau_store::ListParams;
use niveau_store::evaluations::EvaluationFilter;
use niveau_store::types::EvaluationStatus;

use crate::App;
use crate::error::AppResult;

/// A published evaluation as the static site lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicEvaluation {
    /// Id (stable: part of the permanent address).
    pub id: i32,
    /// The evaluation's version number (part of the permanent address).
    pub version: i32,
    /// Model id (`os2-1.1.0`).
    pub model_id: String,
    /// When it was published.
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A public product with its published evaluations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicProduct {
    /// Id (stable across renames).
    pub id: i32,
    /// URL name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Stage (`produkt`).
    pub stage: String,
    /// The official level, if any.
    pub official_level: Option<String>,
    /// The published evaluations, newest first.
    pub evaluations: Vec<PublicEvaluation>,
}

/// The public part of the portfolio, products by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicSite {
    /// The products the public may see, sorted by slug.
    pub products: Vec<PublicProduct>,
}

/// The public part of the portfolio, as an anonymous visitor may see it.
pub async fn public_site(app: &App) -> AppResult<PublicSite> {
    let store = app.store();
    let products = crate::visibility::visible_products(store, None).await?;
    let evaluations = store
        .list_evaluations(
            &EvaluationFilter {
                status: Some(EvaluationStatus::Offentliggjort),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items;
    let mut by_product: BTreeMap<i32, Vec<PublicEvaluation>> = BTreeMap::new();
    for e in evaluations {
        by_product
            .entry(e.product_id)
            .or_default()
            .push(PublicEvaluation {
                id: e.id,
                version: e.version,
                model_id: e.model_id,
                published_at: e.published_at,
            });
    }
    let mut products: Vec<PublicProduct> = products
        .into_iter()
        .map(|p| {
            let mut evaluations = by_product.remove(&p.id).unwrap_or_default();
            evaluations.sort_by(|a, b| b.published_at.cmp(&a.published_at).then(b.id.cmp(&a.id)));
            PublicProduct {
                id: p.id,
                slug: p.slug,
                name: p.name,
                stage: p.stage.as_str().to_owned(),
                official_level: p.official_level,
                evaluations,
            }
        })
        .collect();
    products.sort_by(|a, b| a.slug.cmp(&b.slug));
    Ok(PublicSite { products })
}

/// The job kind that publishes the static site (the worker renders and pushes it).
pub const PUBLISH_JOB: &str = "publish";

/// How long a failed publication waits before the next attempt, times the attempts
/// made so far (1 min, 2 min, …).
pub const RETRY_BASE: std::time::Duration = std::time::Duration::from_secs(60);

/// Queue a publication of the static site, e.g. after an evaluation was published. The
/// caller answers its request at once; the worker does the work. A publication already
/// waiting in the queue makes this one unnecessary (it will include the change).
pub async fn request(app: &App, who: crate::principal::Caller<'_>) -> AppResult<()> {
    let actor = match who {
        Some(p) => p.actor(),
        None => niveau_store::Actor::system("publish"),
    };
    if app.store().queued_jobs(PUBLISH_JOB).await? > 0 {
        return Ok(());
    }
    app.store()
        .enqueue_job(&actor, PUBLISH_JOB, serde_json::json!({}))
        .await?;
    Ok(())
}

/// Record what became of a publication job: done, or given back to be tried again after
/// [`RETRY_BASE`] times its attempts (failed for good when they are used up; the job
/// keeps the error for the secretariat).
pub async fn record(
    app: &App,
    worker: &str,
    job: &niveau_store::entity::job::Model,
    result: Result<(), String>,
) -> AppResult<()> {
    let store = app.store();
    match result {
        Ok(()) => store.complete_job(job.id, worker).await?,
        Err(message) => {
            let attempts = u32::try_from(job.attempts.max(1)).unwrap_or(1);
            store
                .fail_job(job.id, worker, &message, RETRY_BASE * attempts)
                .await?;
        }
    }
    Ok(())
}
