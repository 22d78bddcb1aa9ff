//! `niveau check --org`: a whole forge organisation as one product. A stub forge on
//! 127.0.0.1 ([`niveau_testkit::forge_stub`]) answers GitHub-, Forgejo- and
//! GitLab-shaped pages and serves the repositories over smart HTTP; nothing leaves the
//! machine.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use niveau_testkit::forge_stub::{ForgeStub, Reply, git_root};
use niveau_testkit::repo::TestRepo;
use serde_json::{Value, json};

fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    format!("{secs} +0000")
}

/// `niveau ARGS` with `NIVEAU_FORGE_TOKEN` set to `token` (or unset), its caches in
/// `cache`.
fn niveau(args: &[&str], token: Option<&str>, cache: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_niveau"));
    cmd.args(args)
        .env_remove("NIVEAU_LANG")
        .env_remove("NIVEAU_FORGE_TOKEN")
        .env("XDG_CACHE_HOME", cache)
        .current_dir(niveau_testkit::repo_root());
    if let Some(t) = token {
        cmd.env("NIVEAU_FORGE_TOKEN", t);
    }
    cmd.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Two repositories of a product (one with a licence and README, one bare-bones), and
/// one more each for an archived repository, a fork and a repository whose clone URL
/// points at another host.
struct Org {
    _sources: Vec<TestRepo>,
    _root: tempfile::TempDir,
    stub: ForgeStub,
    cache: tempfile::TempDir,
}

impl Org {
    fn new() -> Org {
        let alpha = TestRepo::new();
        alpha
            .write("README.md", "# Alpha\n\nAlpha hjælper kommunerne.\n")
            .write("LICENSE", include_str!("../../../../LICENSE"));
        alpha.commit("Første version", &now());
        let beta = TestRepo::new();
        beta.write("a.txt", "x");
        beta.commit("Start", &now());
        let (root, _) = git_root(
            "acme",
            &[
                ("alpha", alpha.path()),
                ("beta", beta.path()),
                ("old", beta.path()),
                ("forked", beta.path()),
                ("elsewhere", beta.path()),
            ],
        );
        let stub = ForgeStub::start(root.path());
        Org {
            _sources: vec![alpha, beta],
            _root: root,
            stub,
            cache: tempfile::tempdir().unwrap(),
        }
    }

    fn clone_url(&self, name: &str) -> String {
        format!("{}/git/acme/{name}.git", self.stub.base())
    }

    fn port(&self) -> &str {
        self.stub.base().rsplit(':').next().unwrap()
    }

    /// The repositories as (name, clone URL, archived, fork).
    fn entries(&self) -> Vec<(&'static str, String, bool, bool)> {
        vec![
            ("alpha", self.clone_url("alpha"), false, false),
            ("old", self.clone_url("old"), true, false),
            ("forked", self.clone_url("forked"), false, true),
            // Same port, another host name: the forge cannot send the clone elsewhere.
            (
                "elsewhere",
                format!("http://localhost:{}/git/acme/elsewhere.git", self.port()),
                false,
                false,
            ),
            ("beta", self.clone_url("beta"), false, false),
        ]
    }

    fn run(&self, args: &[&str], token: Option<&str>) -> Output {
        niveau(args, token, self.cache.path())
    }

    /// The product's JSON from checking the two repositories given as arguments.
    fn by_arguments(&self) -> Value {
        let (a, b) = (self.clone_url("alpha"), self.clone_url("beta"));
        let o = self.run(
            &["check", &a, &b, "--product", "acme", "--format", "json"],
            None,
        );
        assert!(o.status.success(), "{}", text(&o.stderr));
        serde_json::from_str(&text(&o.stdout)).unwrap()
    }
}

/// Routes the repositories as two pages; the first says there is a next one.
fn two_pages(
    org: &Org,
    page_url: impl Fn(usize) -> String,
    shape: impl Fn(&(&str, String, bool, bool)) -> Value,
) {
    let entries = org.entries();
    let (first, second) = entries.split_at(3);
    let page = |items: &[(&str, String, bool, bool)]| {
        Value::Array(items.iter().map(&shape).collect()).to_string()
    };
    org.stub.route(
        &page_url(1),
        Reply::json(page(first)).header(
            "Link",
            &format!("<{}{}>; rel=\"next\"", org.stub.base(), page_url(2)),
        ),
    );
    org.stub.route(&page_url(2), Reply::json(page(second)));
}

/// What is the same whichever way the repositories were named.
fn verdict(v: &Value) -> Value {
    json!({
        "requirements": v["requirements"],
        "verdicts": v["verdicts"],
        "allowed_level": v["allowed_level"],
        "outcome": v["outcome"],
        "repositories": v["repositories"].as_array().unwrap().iter().map(|r| r["target"].clone()).collect::<Vec<_>>(),
    })
}

fn assert_listed_and_skipped(v: &Value, org: &Org) {
    let source = &v["source"];
    assert_eq!(source["listed"], json!(["alpha", "beta"]), "{source}");
    let skipped: Vec<(String, String)> = source["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_owned(),
                s["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let names: Vec<&str> = skipped.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.iter().any(|n| n.ends_with("old")), "{skipped:?}");
    assert_eq!(names.len(), 3, "{skipped:?}");
    assert!(skipped[0].1.starts_with("arkiveret"), "{skipped:?}");
    assert!(skipped[1].1.starts_with("en fork"), "{skipped:?}");
    assert_eq!(
        skipped[2].1,
        format!(
            "klon-adressen http://localhost:{}/git/acme/elsewhere.git er ikke på organisationens vært (127.0.0.1); den hentes ikke",
            org.port()
        )
    );
    assert_eq!(source["truncated"], false);
}

#[test]
fn a_github_organisation_is_listed_page_by_page_with_the_token_and_checked_as_one_product() {
    let org = Org::new();
    two_pages(
        &org,
        |p| format!("/orgs/acme/repos?per_page=100&page={p}"),
        |(name, url, archived, fork)| {
            json!({"name": name, "clone_url": url, "default_branch": "main", "archived": archived,
                   "fork": fork, "private": false, "pushed_at": "2026-11-01T10:00:00Z", "owner": {"login": "acme"}})
        },
    );
    let location = format!("github:{}/acme", org.stub.base());
    let o = org.run(
        &[
            "check",
            "--org",
            &location,
            "--forge-api",
            org.stub.base(),
            "--format",
            "json",
        ],
        Some("s3cret-token"),
    );
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(!err.contains("s3cret") && !text(&o.stdout).contains("s3cret"));
    assert!(
        err.contains("2 repositorier fundet, 3 sprunget over"),
        "{err}"
    );
    assert!(err.contains("  - old: arkiveret"), "{err}");
    let api = org.stub.api_requests();
    let targets: Vec<&str> = api.iter().map(|r| r.target.as_str()).collect();
    assert_eq!(
        targets,
        [
            "/orgs/acme/repos?per_page=100&page=1",
            "/orgs/acme/repos?per_page=100&page=2"
        ]
    );
    assert!(
        api.iter()
            .all(|r| r.header("authorization") == Some("Bearer s3cret-token"))
    );
    // The token is for the API only: the clones do not carry it.
    let git: Vec<_> = org
        .stub
        .requests()
        .into_iter()
        .filter(|r| r.target.starts_with("/git/"))
        .collect();
    assert!(!git.is_empty());
    assert!(git.iter().all(|r| r.header("authorization").is_none()));
    assert!(!git.iter().any(|r| r.target.contains("old.git")
        || r.target.contains("forked.git")
        || r.target.contains("elsewhere")));

    let v: Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(v["schema"], "niveau.product/1");
    assert_eq!(v["product"], "acme");
    assert_eq!(v["source"]["kind"], "github");
    assert_eq!(v["source"]["location"], location.as_str());
    assert_listed_and_skipped(&v, &org);
    assert_eq!(verdict(&v), verdict(&org.by_arguments()));

    // Archived repositories and forks when asked for, in English.
    let o = org.run(
        &[
            "--lang",
            "en",
            "check",
            "--org",
            &location,
            "--forge-api",
            org.stub.base(),
            "--include-archived",
            "--include-forks",
            "--product",
            "Acme",
            "--format",
            "json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(v["product"], "Acme");
    assert_eq!(
        v["source"]["listed"],
        json!(["alpha", "old", "forked", "beta"])
    );
    assert_eq!(v["source"]["skipped"][0]["name"], "elsewhere");
    assert!(
        v["source"]["skipped"][0]["reason"]
            .as_str()
            .unwrap()
            .ends_with("is not on the organisation's host (127.0.0.1); it is not fetched")
    );
    let last = org.stub.api_requests();
    assert!(
        last[2..]
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
}

#[test]
fn a_forgejo_organisation_without_a_token() {
    let org = Org::new();
    two_pages(
        &org,
        |p| format!("/api/v1/orgs/acme/repos?limit=50&page={p}"),
        |(name, url, archived, fork)| {
            json!({"id": 1, "name": name, "full_name": format!("acme/{name}"), "clone_url": url,
                   "ssh_url": "git@x:y", "default_branch": "main", "archived": archived, "fork": fork,
                   "private": false, "updated_at": "2026-11-01T10:00:00Z"})
        },
    );
    let location = format!("forgejo:{}/acme", org.stub.base());
    let o = org.run(&["check", "--org", &location, "--format", "json"], None);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let api = org.stub.api_requests();
    assert_eq!(
        api.iter().map(|r| r.target.as_str()).collect::<Vec<_>>(),
        [
            "/api/v1/orgs/acme/repos?limit=50&page=1",
            "/api/v1/orgs/acme/repos?limit=50&page=2"
        ]
    );
    assert!(api.iter().all(|r| r.header("authorization").is_none()));
    let v: Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(v["source"]["kind"], "forgejo");
    assert_listed_and_skipped(&v, &org);
    assert_eq!(verdict(&v), verdict(&org.by_arguments()));
}

#[test]
fn a_gitlab_group_with_subgroups() {
    let org = Org::new();
    two_pages(
        &org,
        |p| format!("/api/v4/groups/acme/projects?per_page=100&page={p}&include_subgroups=true"),
        |(name, url, archived, fork)| {
            let mut p = json!({"id": 7, "path": name, "path_with_namespace": name, "http_url_to_repo": url,
                   "default_branch": "main", "archived": archived, "visibility": "public",
                   "last_activity_at": "2026-11-01T10:00:00Z"});
            if *fork {
                p["forked_from_project"] = json!({"id": 1});
            }
            p
        },
    );
    let location = format!("gitlab:{}/acme", org.stub.base());
    let o = org.run(
        &["check", "--org", &location, "--format", "json"],
        Some("glpat-x"),
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let api = org.stub.api_requests();
    assert_eq!(api.len(), 2);
    assert!(
        api.iter()
            .all(|r| r.header("authorization") == Some("Bearer glpat-x"))
    );
    let v: Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(v["source"]["kind"], "gitlab");
    assert_listed_and_skipped(&v, &org);
    assert_eq!(verdict(&v), verdict(&org.by_arguments()));
}

#[test]
fn a_malformed_page_or_a_missing_organisation_is_exit_2_naming_the_url() {
    let org = Org::new();
    let page1 = "/api/v1/orgs/acme/repos?limit=50&page=1";
    org.stub.route(page1, Reply::json(r#"{"oops": "#));
    let location = format!("forgejo:{}/acme", org.stub.base());
    let o = org.run(&["--lang", "en", "check", "--org", &location], None);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "{}{page1}: the answer is not the expected JSON list of repositories",
            org.stub.base()
        )),
        "{err}"
    );

    let o = org.run(&["check", "--org", &location], None);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "{}{page1}: svaret er ikke den forventede JSON-liste af repositorier",
            org.stub.base()
        )) && !err.contains("expected"),
        "{err}"
    );
    // Rate limited: the status, and a hint at the token.
    org.stub.route(page1, Reply::status(403));
    let o = org.run(&["--lang", "en", "check", "--org", &location], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains(&format!(
            "{page1}: the forge answered HTTP 403 (access denied or too many requests; a token in NIVEAU_FORGE_TOKEN may help)"
        )),
        "{}",
        text(&o.stderr)
    );

    // GitHub: no organisation, then no user either.
    let location = format!("github:{}/nobody", org.stub.base());
    let o = org.run(
        &["check", "--org", &location, "--forge-api", org.stub.base()],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!(
            "{}/users/nobody/repos?per_page=100&page=1: HTTP 404: organisationen findes ikke på forgen",
            org.stub.base()
        )),
        "{err}"
    );
    let targets: Vec<String> = org
        .stub
        .api_requests()
        .into_iter()
        .map(|r| r.target)
        .collect();
    assert_eq!(
        &targets[3..],
        [
            "/orgs/nobody/repos?per_page=100&page=1",
            "/users/nobody/repos?per_page=100&page=1"
        ]
    );

    // A location whose kind cannot be guessed, and one that is no organisation.
    let o = org.run(
        &[
            "--lang",
            "en",
            "check",
            "--org",
            "https://git.example.org/acme",
        ],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("cannot be guessed"),
        "{}",
        text(&o.stderr)
    );
    let o = org.run(&["check", "--org", "https://github.com/"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("ikke en organisation"),
        "{}",
        text(&o.stderr)
    );
}
