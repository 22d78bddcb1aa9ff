//! The static site (`niveau publish`): the public part of the portfolio as files that
//! need no server.
//!
//! # How pages are made
//!
//! Every page is rendered by the live server's own router ([`crate::app`]), in process,
//! with an anonymous `GET` request (tower `oneshot`): the same handlers, niveau-app
//! operations, permission checks and askama templates as the live public pages, so the
//! static site can never show more than an anonymous visitor of the server sees, and a
//! change to a page shows up in both. Calling the handlers' render functions directly
//! was the alternative; going through the router is more robust because the handlers'
//! extractors (language, principal, path) and the error pages stay exactly as live.
//! *Which* pages exist is decided by niveau-app ([`niveau_app::publish::public_site`]);
//! pages linked from them that an anonymous visitor may open (organisations, the style
//! sheet) are found in the rendered pages and published when the server answers 200.
//!
//! The rendered HTML is then rewritten with `lol_html` (an HTML-aware streaming
//! rewriter, not text replacement): every absolute link to a published page becomes a
//! relative link to its file (`../../statistik/index.html`), so the site works from any
//! sub-path (GitHub Pages project sites) and from disk; links to pages that are not
//! published (log in, wishes, filtered lists) keep their text but lose the link; forms
//! (search, filters) are removed, since static files cannot answer them; elements the
//! layout marks `data-live-only` (log in, the API link) are removed.
//!
//! # Languages
//!
//! Static files cannot read `?lang=` or a cookie, so each language has its own tree:
//! Danish at the root, English under `en/` with the same paths. The language switch
//! links to the same page in the other tree. Downloads (Markdown, JSON, the evaluation's
//! CSV), badges and the style sheet are language-neutral and live at the root only.
//!
//! # Permanent addresses
//!
//! A published evaluation lives at `evalueringer/<product-slug>/<id>-<version>/` (page
//! and downloads); `evalueringer/<product-slug>/seneste/` leads to the newest. A
//! publication into a directory that holds an earlier one ([`write_site`]) never deletes
//! a file under `evalueringer/`, and a renamed product leaves redirect stubs (meta refresh
//! and a link) at its old addresses. What the previous publication wrote is read from
//! its manifest, [`MANIFEST`].

pub mod git;
mod links;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use niveau_model::Msg;
use niveau_report::Lang;
use serde::{Deserialize, Serialize};
use tower::ServiceExt as _;

use crate::state::AppState;

/// The manifest of a publication, at the root of the site.
pub const MANIFEST: &str = ".niveau-publish.json";

/// The evaluation downloads the static site holds, by file extension: each is fetched
/// from the live download route `/produkter/SLUG/evaluering-ID.EXT` and written to the
/// evaluation's permanent directory as `evaluering.EXT`.
/// This is the one place the static site's download list is built.
pub const DOWNLOADS: &[&str] = &["md", "json", "csv", "pdf"];

/// How many pages are rendered at once.
const CONCURRENCY: usize = 8;

/// The largest page or download read from the router.
const MAX_BODY: usize = 64 * 1024 * 1024;

/// A failed publication.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The application layer refused or failed.
    #[error("application: {0}")]
    App(#[from] niveau_app::AppError),
    /// A page that must be published did not render.
    #[error("{path} answered {status}")]
    Render {
        /// The live path.
        path: String,
        /// Its status.
        status: u16,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The git repository could not be used.
    #[error("{}", .0.en)]
    Git(Msg),
}

impl PublishError {
    /// The error in Danish and English.
    pub fn msg(&self) -> Msg {
        match self {
            PublishError::App(e) => e.message(),
            PublishError::Render { path, status } => Msg::new(
                format!("siden {path} kunne ikke laves (svar {status})"),
                format!("the page {path} could not be rendered (status {status})"),
            ),
            PublishError::Io { path, source } => {
                let io = Msg::io(source);
                Msg::new(format!("{path}: {}", io.da), format!("{path}: {}", io.en))
            }
            PublishError::Git(m) => m.clone(),
        }
    }

    fn io(path: &Path, source: std::io::Error) -> PublishError {
        PublishError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Settings of a publication.
#[derive(Debug, Clone)]
pub struct PublishOptions {
    /// The path the site is served under (`/` or `/niveau/`), for the permanent URLs in
    /// `catalogue.json`; links between pages are relative and do not need it.
    pub base_path: String,
}

impl Default for PublishOptions {
    fn default() -> Self {
        PublishOptions {
            base_path: "/".to_owned(),
        }
    }
}

/// `/sub` → `/sub/`, `` → `/`.
pub fn normalise_base_path(base: &str) -> String {
    let trimmed = base.trim().trim_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else {
        format!("/{trimmed}/")
    }
}

/// A published evaluation in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEvaluation {
    /// The product's id.
    pub product: i32,
    /// The product's name when published (for commit messages).
    pub product_name: String,
    /// Its permanent directory (`evalueringer/os2mo/12-3`).
    pub dir: String,
}

/// What a publication wrote: read by the next one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Product id → slug.
    pub products: BTreeMap<i32, String>,
    /// Evaluation id → where it lives.
    pub evaluations: BTreeMap<i32, ManifestEvaluation>,
    /// Every file the publications wrote (pages, downloads, stubs), relative to the root.
    pub files: BTreeSet<String>,
    /// Redirect stubs: file → the file it leads to (kept by every later publication).
    pub redirects: BTreeMap<String, String>,
}

/// A rendered site: files by path relative to the root, and its manifest.
#[derive(Debug, Clone, Default)]
pub struct Site {
    /// File path (`produkter/os2mo/index.html`) → content.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Products and evaluations of this publication (files and redirects are filled in
    /// by [`write_site`]).
    pub manifest: Manifest,
}

/// What a publication changed, for the commit message and the command's output.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Names of the products of newly published evaluations, one per evaluation.
    pub new_evaluations: Vec<String>,
    /// Product pages added or changed.
    pub products_changed: usize,
    /// Products whose address changed (redirect stubs written).
    pub products_renamed: usize,
    /// Files written (new or different).
    pub written: usize,
    /// Files removed (pages no longer public; never a published evaluation's).
    pub removed: usize,
}

impl Changes {
    /// Whether nothing changed on disk.
    pub fn is_empty(&self) -> bool {
        self.written == 0 && self.removed == 0
    }

    /// "2 nye evalueringer (OS2mo, OS2borgerPC), 1 produkt ændret" and its English.
    pub fn summary(&self) -> Msg {
        let mut da = Vec::new();
        let mut en = Vec::new();
        let n = self.new_evaluations.len();
        if n > 0 {
            let names = self.new_evaluations.join(", ");
            da.push(format!(
                "{n} {} ({names})",
                if n == 1 {
                    "ny evaluering"
                } else {
                    "nye evalueringer"
                }
            ));
            en.push(format!(
                "{n} new {} ({names})",
                if n == 1 { "evaluation" } else { "evaluations" }
            ));
        }
        let c = self.products_changed;
        if c > 0 {
            da.push(format!(
                "{c} {} ændret",
                if c == 1 { "produkt" } else { "produkter" }
            ));
            en.push(format!(
                "{c} {} changed",
                if c == 1 { "product" } else { "products" }
            ));
        }
        let r = self.products_renamed;
        if r > 0 {
            da.push(format!(
                "{r} {} ny adresse",
                if r == 1 {
                    "produkt har"
                } else {
                    "produkter har"
                }
            ));
            en.push(format!(
                "{r} {} a new address",
                if r == 1 {
                    "product has"
                } else {
                    "products have"
                }
            ));
        }
        if da.is_empty() {
            da.push("sider opdateret".to_owned());
            en.push("pages updated".to_owned());
        }
        Msg::new(da.join(", "), en.join(", "))
    }

    /// The commit message: the Danish line first, then the English one.
    pub fn commit_message(&self) -> String {
        let s = self.summary();
        format!("Offentliggør: {}\n\nPublish: {}\n", s.da, s.en)
    }
}

/// A page to render: the live path, the language, the file it becomes.
#[derive(Debug, Clone)]
struct Job {
    live: String,
    lang: Lang,
    file: String,
    html: bool,
    /// A page that must exist (a failure stops the publication); a discovered one is
    /// left out when the server does not answer 200.
    required: bool,
}

/// The tree of a language: `` for Danish, `en/` for English.
pub fn lang_prefix(lang: Lang) -> &'static str {
    match lang {
        Lang::Da => "",
        Lang::En => "en/",
    }
}

/// The permanent directory of an evaluation.
pub fn evaluation_dir(slug: &str, id: i32, version: i32) -> String {
    format!("evalueringer/{slug}/{id}-{version}")
}

/// Render the public part of the portfolio as files.
pub async fn render_site(state: &AppState, options: &PublishOptions) -> Result<Site, PublishError> {
    let base = normalise_base_path(&options.base_path);
    let public = niveau_app::publish::public_site(state.app()).await?;
    let router = crate::app(state.clone());

    // live path (without language) → file (without language prefix), and which are
    // language-neutral.
    let mut map = links::LinkMap::default();
    let mut jobs = Vec::new();
    let mut manifest = Manifest::default();
    for lang in [Lang::Da, Lang::En] {
        let prefix = lang_prefix(lang);
        for (live, file) in [
            ("/", "index.html"),
            ("/beslutninger", "beslutninger/index.html"),
            ("/statistik", "statistik/index.html"),
        ] {
            jobs.push(page_job(live, lang, &format!("{prefix}{file}"), true));
        }
        jobs.push(Job {
            live: "/produkter.csv".into(),
            lang,
            file: format!("{prefix}produkter.csv"),
            html: false,
            required: true,
        });
    }
    map.page("/", "index.html");
    map.page("/beslutninger", "beslutninger/index.html");
    map.page("/statistik", "statistik/index.html");
    map.page("/produkter.csv", "produkter.csv");

    for p in &public.products {
        manifest.products.insert(p.id, p.slug.clone());
        let product_file = format!("produkter/{}/index.html", p.slug);
        map.page(&format!("/produkter/{}", p.slug), &product_file);
        map.neutral(
            &format!("/badge/{}.svg", p.slug),
            &format!("badge/{}.svg", p.slug),
        );
        jobs.push(Job {
            live: format!("/badge/{}.svg", p.slug),
            lang: Lang::Da,
            file: format!("badge/{}.svg", p.slug),
            html: false,
            required: true,
        });
        for lang in [Lang::Da, Lang::En] {
            jobs.push(page_job(
                &format!("/produkter/{}", p.slug),
                lang,
                &format!("{}{product_file}", lang_prefix(lang)),
                true,
            ));
        }
        for (i, e) in p.evaluations.iter().enumerate() {
            let dir = evaluation_dir(&p.slug, e.id, e.version);
            manifest.evaluations.insert(
                e.id,
                ManifestEvaluation {
                    product: p.id,
                    product_name: p.name.clone(),
                    dir: dir.clone(),
                },
            );
            let live_page = format!("/produkter/{}/evalueringer/{}", p.slug, e.id);
            map.page(&live_page, &format!("{dir}/index.html"));
            for lang in [Lang::Da, Lang::En] {
                jobs.push(page_job(
                    &live_page,
                    lang,
                    &format!("{}{dir}/index.html", lang_prefix(lang)),
                    true,
                ));
            }
            for ext in DOWNLOADS {
                let file = format!("{dir}/evaluering.{ext}");
                let live = format!("/produkter/{}/evaluering-{}.{ext}", p.slug, e.id);
                map.neutral(&live, &file);
                if i == 0 {
                    map.neutral(&format!("/produkter/{}/evaluering.{ext}", p.slug), &file);
                }
                jobs.push(Job {
                    live,
                    lang: Lang::Da,
                    file,
                    html: false,
                    required: true,
                });
            }
        }
    }

    // Render everything once, as the server answers.
    let mut rendered = render_all(&router, jobs).await?;

    // Pages linked from the published ones that the public may open: organisations and
    // the static assets.
    let mut extra = Vec::new();
    let mut seen = BTreeSet::new();
    for page in rendered.iter().filter(|r| r.job.html) {
        for live in links::absolute_links(&page.body) {
            if !seen.insert((live.clone(), page.job.lang.code())) || map.contains(&live) {
                continue;
            }
            if let Some(file) = links::discoverable(&live) {
                let neutral = live.starts_with("/static/");
                extra.push(Job {
                    file: if neutral {
                        file.clone()
                    } else {
                        format!("{}{file}", lang_prefix(page.job.lang))
                    },
                    live,
                    lang: if neutral { Lang::Da } else { page.job.lang },
                    html: !neutral,
                    required: false,
                });
            }
        }
    }
    extra.sort_by(|a, b| a.file.cmp(&b.file));
    extra.dedup_by(|a, b| a.file == b.file);
    let found = render_all(&router, extra).await?;
    for page in &found {
        if page.job.live.starts_with("/static/") {
            map.neutral(&page.job.live, &page.job.file);
        } else {
            let file = page
                .job
                .file
                .strip_prefix(lang_prefix(page.job.lang))
                .unwrap_or(&page.job.file)
                .to_owned();
            map.page(&page.job.live, &file);
        }
    }
    rendered.extend(found);

    // Rewrite the HTML pages' links and collect the files.
    let map = Arc::new(map);
    let mut files = BTreeMap::new();
    for page in rendered {
        let body = if page.job.html {
            links::rewrite(&page.body, &page.job.file, page.job.lang, &map)
                .map_err(|e| PublishError::Render {
                    path: format!("{} ({e})", page.job.live),
                    status: 500,
                })?
                .into_bytes()
        } else {
            page.body
        };
        files.insert(page.job.file, body);
    }

    // The stable "latest" address of each product's evaluations.
    for p in &public.products {
        if let Some(e) = p.evaluations.first() {
            let dir = evaluation_dir(&p.slug, e.id, e.version);
            for lang in [Lang::Da, Lang::En] {
                let prefix = lang_prefix(lang);
                let from = format!("{prefix}evalueringer/{}/seneste/index.html", p.slug);
                let to = format!("{prefix}{dir}/index.html");
                files.insert(from.clone(), redirect_stub(&from, &to, lang).into_bytes());
            }
        }
    }
    files.insert(
        "catalogue.json".to_owned(),
        catalogue(&public, &base)?.into_bytes(),
    );
    // GitHub Pages: serve the files as they are (no Jekyll).
    files.insert(".nojekyll".to_owned(), Vec::new());
    Ok(Site { files, manifest })
}

fn page_job(live: &str, lang: Lang, file: &str, required: bool) -> Job {
    Job {
        live: live.to_owned(),
        lang,
        file: file.to_owned(),
        html: true,
        required,
    }
}

struct Rendered {
    job: Job,
    body: Vec<u8>,
}

/// Render `jobs` through the router, [`CONCURRENCY`] at a time, in the order given.
async fn render_all(router: &Router, jobs: Vec<Job>) -> Result<Vec<Rendered>, PublishError> {
    let semaphore = Arc::new(tokio::sync::Semaphore::new(CONCURRENCY));
    let mut set = tokio::task::JoinSet::new();
    for (i, job) in jobs.into_iter().enumerate() {
        let router = router.clone();
        let semaphore = semaphore.clone();
        set.spawn(async move {
            let _permit = semaphore.acquire_owned().await;
            let result = fetch(router, &job.live, job.lang).await;
            (i, job, result)
        });
    }
    let mut out = Vec::new();
    while let Some(joined) = set.join_next().await {
        let (i, job, result) = joined.map_err(|e| PublishError::Render {
            path: format!("task: {e}"),
            status: 500,
        })?;
        match result {
            Ok(body) => out.push((i, Rendered { job, body })),
            Err(status) if !job.required => {
                tracing::debug!(path = %job.live, status, "not public; left out of the site");
            }
            Err(status) => {
                return Err(PublishError::Render {
                    path: job.live,
                    status,
                });
            }
        }
    }
    out.sort_by_key(|(i, _)| *i);
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// One anonymous `GET` through the router: the body on 200, else the status.
async fn fetch(router: Router, path: &str, lang: Lang) -> Result<Vec<u8>, u16> {
    let request = Request::get(path)
        .header(
            header::COOKIE,
            format!("{}={}", crate::pages::lang::COOKIE, lang.code()),
        )
        .body(Body::empty())
        .map_err(|_| 400u16)?;
    let response = router.oneshot(request).await.map_err(|_| 500u16)?;
    if response.status() != StatusCode::OK {
        return Err(response.status().as_u16());
    }
    axum::body::to_bytes(response.into_body(), MAX_BODY)
        .await
        .map(|b| b.to_vec())
        .map_err(|_| 500u16)
}

/// A page that leads on to `to` (both paths relative to the root): a meta refresh and a
/// link, for a static host that cannot answer with a redirect.
pub fn redirect_stub(from: &str, to: &str, lang: Lang) -> String {
    let href = links::relative(from, to);
    let href = links::escape_attr(&href);
    let (title, text) = match lang {
        Lang::Da => ("Siden er flyttet", "Siden er flyttet til"),
        Lang::En => ("The page has moved", "The page has moved to"),
    };
    format!(
        "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title} – Niveau</title>\n<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n<link rel=\"canonical\" href=\"{href}\">\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{text} <a href=\"{href}\">{href}</a>.</p>\n</main>\n</body>\n</html>\n",
        lang.code()
    )
}

/// `catalogue.json`: products, levels, evaluations with their permanent URLs.
fn catalogue(public: &niveau_app::publish::PublicSite, base: &str) -> Result<String, PublishError> {
    #[derive(Serialize)]
    struct Evaluation {
        id: i32,
        version: i32,
        model: String,
        published: Option<String>,
        url: String,
        url_en: String,
        downloads: BTreeMap<String, String>,
    }
    #[derive(Serialize)]
    struct Product {
        slug: String,
        name: String,
        stage: String,
        official_level: Option<String>,
        url: String,
        url_en: String,
        badge: String,
        latest_evaluation: Option<String>,
        evaluations: Vec<Evaluation>,
    }
    #[derive(Serialize)]
    struct Catalogue {
        schema: &'static str,
        base_path: String,
        levels: Vec<&'static str>,
        products: Vec<Product>,
    }
    let products = public
        .products
        .iter()
        .map(|p| Product {
            url: format!("{base}produkter/{}/", p.slug),
            url_en: format!("{base}en/produkter/{}/", p.slug),
            badge: format!("{base}badge/{}.svg", p.slug),
            latest_evaluation: p
                .evaluations
                .first()
                .map(|_| format!("{base}evalueringer/{}/seneste/", p.slug)),
            evaluations: p
                .evaluations
                .iter()
                .map(|e| {
                    let dir = evaluation_dir(&p.slug, e.id, e.version);
                    Evaluation {
                        id: e.id,
                        version: e.version,
                        model: e.model_id.clone(),
                        published: e.published_at.map(|d| d.format("%Y-%m-%d").to_string()),
                        url: format!("{base}{dir}/"),
                        url_en: format!("{base}en/{dir}/"),
                        downloads: DOWNLOADS
                            .iter()
                            .map(|ext| ((*ext).to_owned(), format!("{base}{dir}/evaluering.{ext}")))
                            .collect(),
                    }
                })
                .collect(),
            slug: p.slug.clone(),
            name: p.name.clone(),
            stage: p.stage.clone(),
            official_level: p.official_level.clone(),
        })
        .collect();
    let doc = Catalogue {
        schema: "niveau.catalogue/1",
        base_path: base.to_owned(),
        levels: niveau_app::portfolio::LEVELS.to_vec(),
        products,
    };
    serde_json::to_string_pretty(&doc)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| PublishError::Render {
            path: format!("catalogue.json ({e})"),
            status: 500,
        })
}

/// Whether `path` (relative to the root) is part of a published evaluation's permanent
/// address (never deleted).
pub fn is_permanent(path: &str) -> bool {
    path.starts_with("evalueringer/") || path.starts_with("en/evalueringer/")
}

/// Read the manifest of the publication in `dir` (empty when there is none).
pub fn read_manifest(dir: &Path) -> Result<Manifest, PublishError> {
    let path = dir.join(MANIFEST);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| PublishError::Io {
            path: path.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(PublishError::io(&path, e)),
    }
}

/// A path of the site as a path under `dir`, refusing anything that could leave it.
fn under(dir: &Path, rel: &str) -> Result<PathBuf, PublishError> {
    let mut out = dir.to_path_buf();
    for part in rel.split('/') {
        if part.is_empty() || part == "." || part == ".." || part.contains('\\') {
            return Err(PublishError::io(
                Path::new(rel),
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "unsafe path"),
            ));
        }
        out.push(part);
    }
    Ok(out)
}

/// Write `site` into `dir`, which may hold an earlier publication: files that differ are
/// written, pages no longer public are removed, a published evaluation's files are never
/// removed, and a renamed product's old addresses become redirect stubs.
pub fn write_site(dir: &Path, site: &Site) -> Result<Changes, PublishError> {
    std::fs::create_dir_all(dir).map_err(|e| PublishError::io(dir, e))?;
    let previous = read_manifest(dir)?;
    let mut files = site.files.clone();
    let mut manifest = site.manifest.clone();
    let mut changes = Changes::default();

    // Redirects: every earlier stub stays, and renamed products and moved evaluations
    // get new ones.
    let mut redirects = previous.redirects.clone();
    for (id, old) in &previous.products {
        match manifest.products.get(id) {
            Some(new) if new != old => {
                changes.products_renamed += 1;
                for lang in [Lang::Da, Lang::En] {
                    let prefix = lang_prefix(lang);
                    redirects.insert(
                        format!("{prefix}produkter/{old}/index.html"),
                        format!("{prefix}produkter/{new}/index.html"),
                    );
                    let latest_old = format!("{prefix}evalueringer/{old}/seneste/index.html");
                    let latest_new = format!("{prefix}evalueringer/{new}/seneste/index.html");
                    if files.contains_key(&latest_new) {
                        redirects.insert(latest_old, latest_new);
                    }
                }
            }
            _ => {}
        }
    }
    for (id, old) in &previous.evaluations {
        if let Some(new) = manifest.evaluations.get(id)
            && new.dir != old.dir
        {
            for lang in [Lang::Da, Lang::En] {
                let prefix = lang_prefix(lang);
                redirects.insert(
                    format!("{prefix}{}/index.html", old.dir),
                    format!("{prefix}{}/index.html", new.dir),
                );
            }
        }
    }
    // An address that is a real page again is no longer a redirect.
    redirects.retain(|from, _| !files.contains_key(from));
    for (from, to) in &redirects {
        let lang = if from.starts_with("en/") {
            Lang::En
        } else {
            Lang::Da
        };
        files.insert(from.clone(), redirect_stub(from, to, lang).into_bytes());
    }
    // Evaluations published earlier and no longer listed (the product hidden, say) keep
    // their entry, so that their files stay.
    for (id, old) in &previous.evaluations {
        manifest
            .evaluations
            .entry(*id)
            .or_insert_with(|| old.clone());
    }

    for (rel, content) in &files {
        let path = under(dir, rel)?;
        let same = std::fs::read(&path).is_ok_and(|old| &old == content);
        if same {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| PublishError::io(parent, e))?;
        }
        std::fs::write(&path, content).map_err(|e| PublishError::io(&path, e))?;
        changes.written += 1;
        if rel.starts_with("produkter/") && rel.ends_with("/index.html") {
            changes.products_changed += 1;
        }
    }
    for (id, e) in &site.manifest.evaluations {
        if !previous.evaluations.contains_key(id) {
            changes.new_evaluations.push(e.product_name.clone());
        }
    }

    // Files of the earlier publication that are gone now: removed, unless they belong
    // to a published evaluation.
    let mut kept: BTreeSet<String> = files.keys().cloned().collect();
    for old in &previous.files {
        if kept.contains(old) {
            continue;
        }
        if is_permanent(old) {
            kept.insert(old.clone());
            continue;
        }
        let path = under(dir, old)?;
        match std::fs::remove_file(&path) {
            Ok(()) => changes.removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(PublishError::io(&path, e)),
        }
    }
    manifest.files = kept;
    manifest.redirects = redirects;
    let text = serde_json::to_vec_pretty(&manifest).map_err(|e| PublishError::Io {
        path: MANIFEST.to_owned(),
        source: std::io::Error::other(e),
    })?;
    let manifest_path = dir.join(MANIFEST);
    if std::fs::read(&manifest_path).ok().as_deref() != Some(text.as_slice()) {
        std::fs::write(&manifest_path, &text).map_err(|e| PublishError::io(&manifest_path, e))?;
        changes.written += 1;
    }
    Ok(changes)
}

/// Render the site and write it into `dir` ([`render_site`], [`write_site`]).
pub async fn publish_to_dir(
    state: &AppState,
    options: &PublishOptions,
    dir: &Path,
) -> Result<Changes, PublishError> {
    let site = render_site(state, options).await?;
    let dir = dir.to_path_buf();
    tokio::task::spawn_blocking(move || write_site(&dir, &site))
        .await
        .map_err(|e| {
            PublishError::Git(Msg::new(
                format!("intern fejl: {e}"),
                format!("internal error: {e}"),
            ))
        })?
}

/// After an evaluation was published: queue a publication of the static site when
/// `[publish]` is set up. Never fails the request: a queue error is logged.
pub async fn after_publication(state: &AppState, who: niveau_app::Caller<'_>) {
    if !state.config().publish.enabled() {
        return;
    }
    if let Err(e) = niveau_app::publish::request(state.app(), who).await {
        tracing::warn!(error = %e, "could not queue a publication of the static site");
    }
}
