//! The server publishes the static site by itself (#16): publishing an evaluation queues
//! a `publish` job when `[publish]` is set up, the request does not wait for it, and the
//! worker writes the site and pushes it to a local bare repository; a failing push is
//! tried again later, and nothing is queued when publishing is off.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::path::Path;
use std::process::Command;

use axum::http::StatusCode;
use common::TestApp;
use niveau_web::WebConfig;
use niveau_web::config::PublishConfig;
use niveau_web::worker::run_once;
use serde_json::json;

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

async fn app_with(publish: PublishConfig, dir: &Path) -> TestApp {
    let url = dir.join("test.db").display().to_string();
    let config = WebConfig {
        publish,
        ..WebConfig::default()
    };
    let app = TestApp::with_config(&url, config).await;
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "published": true}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    app
}

async fn publish_an_evaluation(app: &TestApp) {
    common::publish_evaluation_with(
        app,
        "os2mo",
        |id| json!({"requirement": id, "rating": "green", "basis": "Set"}),
        "Evalueringsrunden efteråret 2026",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_publication_queues_the_static_site_and_the_worker_pushes_it() {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("pages.git");
    git(
        dir.path(),
        &["init", "--quiet", "--bare", bare.to_str().unwrap()],
    );
    let out = dir.path().join("site");
    let publish = PublishConfig {
        git_url: Some(format!("file://{}", bare.display())),
        out_dir: Some(out.clone()),
        base_path: "/niveau/".into(),
        allow_file_for_tests: true,
        ..PublishConfig::default()
    };
    let app = app_with(publish, dir.path()).await;
    publish_an_evaluation(&app).await;

    // The request did not publish: the job waits for the worker.
    assert_eq!(app.store().queued_jobs("publish").await.unwrap(), 1);
    assert!(!out.exists());
    assert!(run_once(&app.state, "w").await.unwrap());
    assert_eq!(app.store().queued_jobs("publish").await.unwrap(), 0);

    let evaluation = std::fs::read_dir(out.join("evalueringer/os2mo"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n != "seneste")
        .unwrap();
    let md =
        std::fs::read_to_string(out.join(format!("evalueringer/os2mo/{evaluation}/evaluering.md")))
            .unwrap();
    assert!(md.contains("OS2mo"), "{md}");
    let catalogue = std::fs::read_to_string(out.join("catalogue.json")).unwrap();
    assert!(
        catalogue.contains(&format!("/niveau/evalueringer/os2mo/{evaluation}/")),
        "{catalogue}"
    );
    let log = git(&bare, &["log", "--format=%B", "gh-pages"]);
    assert!(
        log.contains("Offentliggør: 1 ny evaluering (OS2mo)"),
        "{log}"
    );
    assert!(log.contains("Publish: 1 new evaluation (OS2mo)"), "{log}");
    let tree = git(&bare, &["ls-tree", "-r", "--name-only", "gh-pages"]);
    assert!(tree.contains(&format!("evalueringer/os2mo/{evaluation}/index.html")));
    assert!(tree.contains("en/produkter/os2mo/index.html"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failing_push_is_tried_again_later_and_off_queues_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let publish = PublishConfig {
        git_url: Some(format!("file://{}/missing.git", dir.path().display())),
        allow_file_for_tests: true,
        ..PublishConfig::default()
    };
    let app = app_with(publish, dir.path()).await;
    publish_an_evaluation(&app).await;
    assert!(run_once(&app.state, "w").await.unwrap());
    // Back in the queue, after a pause: not taken again at once.
    assert_eq!(app.store().queued_jobs("publish").await.unwrap(), 1);
    assert!(!run_once(&app.state, "w").await.unwrap());

    // A file:// location is refused unless allowed (the server's configuration never is).
    let other = tempfile::tempdir().unwrap();
    let refused = PublishConfig {
        git_url: Some(format!("file://{}/x.git", other.path().display())),
        ..PublishConfig::default()
    };
    let target = niveau_web::publish::git::GitTarget {
        url: refused.git_url.clone().unwrap(),
        branch: refused.branch.clone(),
        policy: refused.remote_policy(),
        allow_file: refused.allow_file_for_tests,
    };
    let err = niveau_web::publish::git::check_target(&target).unwrap_err();
    assert!(err.msg().en.contains("file://"), "{}", err.msg().en);
    let bad_branch = niveau_web::publish::git::GitTarget {
        branch: "--upload-pack=x".into(),
        allow_file: true,
        ..target
    };
    assert!(niveau_web::publish::git::check_target(&bad_branch).is_err());

    // Publishing off (the default): nothing queued.
    let off = tempfile::tempdir().unwrap();
    let app = app_with(PublishConfig::default(), off.path()).await;
    publish_an_evaluation(&app).await;
    assert_eq!(app.store().queued_jobs("publish").await.unwrap(), 0);
}
