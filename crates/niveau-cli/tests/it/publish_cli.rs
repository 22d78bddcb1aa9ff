//! `niveau publish`: the demo portfolio as a static site in a directory and on a branch
//! of a local bare repository; relative links that all resolve, both languages, an
//! unchanged portfolio makes no commit, and a renamed product keeps its old addresses.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use niveau_app::{App, Principal};
use niveau_model::Registry;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_store::products::ProductInput;
use niveau_store::{Store, StoreOptions};

use crate::support::run_ok;

/// Every file under `root`, relative, with `/`.
fn files(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(root).unwrap();
                out.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out
}

/// The values of `attr="…"` in `html`.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').unwrap();
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

/// The link checker: every link of every HTML file is relative (or to another site, or
/// a fragment) and its target file exists. Returns the number of links checked.
fn check_links(root: &Path) -> usize {
    let all = files(root);
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in all.iter().filter(|f| f.ends_with(".html")) {
        let html = std::fs::read_to_string(root.join(file)).unwrap();
        let mut values = attribute_values(&html, "href");
        values.extend(attribute_values(&html, "src"));
        // A redirect stub's meta refresh.
        if let Some(i) = html.find("content=\"0; url=") {
            let rest = &html[i + "content=\"0; url=".len()..];
            values.push(&rest[..rest.find('"').unwrap()]);
        }
        for value in values {
            if value.starts_with('#')
                || value.starts_with("https://")
                || value.starts_with("http://")
                || value.starts_with("mailto:")
            {
                continue;
            }
            assert!(
                !value.starts_with('/'),
                "{file}: absolute link {value} (must be relative)"
            );
            let path = value.split('#').next().unwrap();
            let dir = Path::new(file).parent().unwrap_or(Path::new(""));
            let target = normalise(&dir.join(path));
            checked += 1;
            if !all.contains(&target) {
                broken.push(format!("{file} → {value}"));
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    checked
}

/// `a/b/../c` → `a/c` (panics when it leaves the root).
fn normalise(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                assert!(parts.pop().is_some(), "{} leaves the site", path.display());
            }
            std::path::Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            _ => {}
        }
    }
    parts.join("/")
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn checkout(bare: &Path, into: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(into);
    git(
        into.parent().unwrap(),
        &[
            "clone",
            "--quiet",
            "--branch",
            "gh-pages",
            bare.to_str().unwrap(),
            into.to_str().unwrap(),
        ],
    );
    into.to_path_buf()
}

/// The demo portfolio published to a directory and to a local bare repository, then
/// published again unchanged (no commit), then with a product renamed (old addresses kept).
#[tokio::test(flavor = "multi_thread")]
async fn the_demo_portfolio_publishes_as_a_static_site_with_permanent_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db").to_str().unwrap().to_owned();
    run_ok(dir.path(), &["demo", "--database", &db], "");

    // To a directory.
    let out = dir.path().join("site");
    let printed = run_ok(
        dir.path(),
        &[
            "--lang",
            "en",
            "publish",
            "--database",
            &db,
            "--out",
            out.to_str().unwrap(),
            "--base-path",
            "/niveau",
        ],
        "",
    );
    assert!(
        printed.contains("1 new evaluation (OS2faktor)"),
        "{printed}"
    );
    let written = files(&out);
    for expected in [
        "index.html",
        "en/index.html",
        "beslutninger/index.html",
        "en/beslutninger/index.html",
        "statistik/index.html",
        "en/statistik/index.html",
        "produkter.csv",
        "en/produkter.csv",
        "produkter/os2mo/index.html",
        "en/produkter/os2mo/index.html",
        "produkter/os2faktor/index.html",
        "evalueringer/os2faktor/1-4/index.html",
        "en/evalueringer/os2faktor/1-4/index.html",
        "evalueringer/os2faktor/1-4/evaluering.md",
        "evalueringer/os2faktor/1-4/evaluering.json",
        "evalueringer/os2faktor/1-4/evaluering.csv",
        "evalueringer/os2faktor/seneste/index.html",
        "badge/os2faktor.svg",
        "catalogue.json",
        ".nojekyll",
    ] {
        assert!(
            written.contains(expected),
            "{expected} missing: {written:?}"
        );
    }
    assert!(
        written
            .iter()
            .any(|f| f.starts_with("static/niveau-") && f.ends_with(".css"))
    );
    assert!(written.iter().any(|f| f.starts_with("organisationer/")));
    let links = check_links(&out);
    assert!(links > 400, "only {links} links checked");

    // Pages: the public layout, each language in its tree, the switch to the same page.
    let faktor = std::fs::read_to_string(out.join("produkter/os2faktor/index.html")).unwrap();
    assert!(faktor.contains("<html lang=\"da\">"));
    assert!(
        faktor.contains("href=\"../../en/produkter/os2faktor/index.html\""),
        "{faktor}"
    );
    assert!(faktor.contains("href=\"../../evalueringer/os2faktor/1-4/evaluering.md\""));
    assert!(
        !faktor.contains("Log ind") && !faktor.contains("<form"),
        "{faktor}"
    );
    let en = std::fs::read_to_string(out.join("en/produkter/os2faktor/index.html")).unwrap();
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Latest published evaluation"));
    assert!(
        en.contains("href=\"../../../produkter/os2faktor/index.html\""),
        "{en}"
    );
    let md = std::fs::read_to_string(out.join("evalueringer/os2faktor/1-4/evaluering.md")).unwrap();
    assert!(md.contains("OS2faktor"), "{md}");
    let latest =
        std::fs::read_to_string(out.join("evalueringer/os2faktor/seneste/index.html")).unwrap();
    assert!(latest.contains("url=../1-4/index.html"), "{latest}");

    // The catalogue: products, levels, the evaluation's permanent URLs under the base path.
    let catalogue: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalogue.json")).unwrap())
            .unwrap();
    assert_eq!(catalogue["schema"], "niveau.catalogue/1");
    assert_eq!(catalogue["base_path"], "/niveau/");
    let products = catalogue["products"].as_array().unwrap();
    assert_eq!(products.len(), 13);
    let faktor_entry = products.iter().find(|p| p["slug"] == "os2faktor").unwrap();
    assert_eq!(faktor_entry["url"], "/niveau/produkter/os2faktor/");
    assert_eq!(
        faktor_entry["evaluations"][0]["url"],
        "/niveau/evalueringer/os2faktor/1-4/"
    );
    assert_eq!(
        faktor_entry["evaluations"][0]["downloads"]["md"],
        "/niveau/evalueringer/os2faktor/1-4/evaluering.md"
    );
    assert!(catalogue["levels"].as_array().unwrap().len() >= 3);

    // The same again: nothing written.
    let again = run_ok(
        dir.path(),
        &[
            "--lang",
            "en",
            "publish",
            "--database",
            &db,
            "--out",
            out.to_str().unwrap(),
            "--base-path",
            "/niveau/",
        ],
        "",
    );
    assert!(again.contains("(0 files written, 0 removed)"), "{again}");

    // To a local bare repository.
    let bare = dir.path().join("pages.git");
    git(
        dir.path(),
        &["init", "--quiet", "--bare", bare.to_str().unwrap()],
    );
    let url = format!("file://{}", bare.display());
    let pushed = run_ok(
        dir.path(),
        &["--lang", "en", "publish", "--database", &db, "--git", &url],
        "",
    );
    assert!(pushed.contains("pushed to gh-pages"), "{pushed}");
    let log = git(&bare, &["log", "--format=%s", "gh-pages"]);
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(
        log.starts_with("Offentliggør: 1 ny evaluering (OS2faktor)"),
        "{log}"
    );
    let work = checkout(&bare, &dir.path().join("checkout"));
    assert!(
        work.join("evalueringer/os2faktor/1-4/evaluering.json")
            .is_file()
    );
    assert!(work.join("en/produkter/os2mo/index.html").is_file());
    check_links(&work);

    // Unchanged: no new commit.
    let unchanged = run_ok(
        dir.path(),
        &["--lang", "en", "publish", "--database", &db, "--git", &url],
        "",
    );
    assert!(
        unchanged.contains("Unchanged: no new commit."),
        "{unchanged}"
    );
    assert_eq!(git(&bare, &["rev-list", "--count", "gh-pages"]).trim(), "1");

    // OS2faktor renamed: the old product and evaluation addresses stay, as stubs that
    // lead on, and the evaluation's downloads stay where they were.
    {
        let store = Store::connect(&db, &StoreOptions::default()).await.unwrap();
        let app = App::new(store.clone(), Arc::new(Registry::builtin().unwrap()));
        let who = Principal::system("test");
        let p = store.product_by_slug("os2faktor").await.unwrap();
        let input = ProductInput {
            slug: "os2faktor-login".into(),
            name: p.name.clone(),
            short_description: p.short_description.clone(),
            long_description: p.long_description.clone(),
            stage: None,
            official_level: None,
            target_level: p.target_level.clone(),
            website: p.website.clone(),
            license: p.license.clone(),
            repositories: p.repositories.0.clone(),
            publiccode: p.publiccode.clone(),
            published: p.published,
            version: Some(p.version),
        };
        niveau_app::products::update(
            &app,
            Some(&who),
            "os2faktor",
            p.version,
            input,
            &RemotePolicy::local_user(),
        )
        .await
        .unwrap();
        let _ = store.close().await;
    }
    let renamed = run_ok(
        dir.path(),
        &["--lang", "en", "publish", "--database", &db, "--git", &url],
        "",
    );
    assert!(renamed.contains("1 product has a new address"), "{renamed}");
    run_ok(
        dir.path(),
        &["publish", "--database", &db, "--out", out.to_str().unwrap()],
        "",
    );
    assert_eq!(git(&bare, &["rev-list", "--count", "gh-pages"]).trim(), "2");
    let work = checkout(&bare, &dir.path().join("checkout"));
    for site in [&work, &out] {
        for kept in [
            "evalueringer/os2faktor/1-4/evaluering.md",
            "evalueringer/os2faktor/1-4/evaluering.json",
            "evalueringer/os2faktor/1-4/evaluering.csv",
            "evalueringer/os2faktor-login/1-4/evaluering.md",
            "evalueringer/os2faktor-login/1-4/index.html",
        ] {
            assert!(
                site.join(kept).is_file(),
                "{kept} missing in {}",
                site.display()
            );
        }
        let stub =
            std::fs::read_to_string(site.join("evalueringer/os2faktor/1-4/index.html")).unwrap();
        assert!(
            stub.contains("url=../../os2faktor-login/1-4/index.html"),
            "{stub}"
        );
        let product_stub =
            std::fs::read_to_string(site.join("produkter/os2faktor/index.html")).unwrap();
        assert!(
            product_stub.contains("href=\"../os2faktor-login/index.html\""),
            "{product_stub}"
        );
        let en_stub =
            std::fs::read_to_string(site.join("en/produkter/os2faktor/index.html")).unwrap();
        assert!(en_stub.contains("The page has moved"), "{en_stub}");
        check_links(site);
    }
}
