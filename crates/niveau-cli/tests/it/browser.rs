//! The browser suite (`browser/suite.mjs`): Debian's chromium, driven by playwright-core,
//! against a real `niveau serve --demo`. Every page type in Danish and English with
//! axe-core, page weight and keyboard checks, the flows that exist, and screenshots in
//! `target/browser-screenshots/`.
//!
//! It needs Node.js, `browser/node_modules` (`npm ci --prefix browser`) and chromium,
//! which `source scripts/ci-browser.sh` installs (`.ci/run` does). A plain `cargo test`
//! lists the suite as ignored; `-- --include-ignored` runs it, and then a missing piece
//! fails it with a message that names the piece and the script.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use nix::sys::signal::Signal;
use support::Server;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

/// What is missing to run the suite, if anything.
fn missing(chromium: &str) -> Option<String> {
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node".into());
    }
    let modules = workspace().join("browser/node_modules/playwright-core");
    if !modules.is_dir() {
        return Some(format!("{} (npm ci --prefix browser)", modules.display()));
    }
    if !Path::new(chromium).is_file() {
        return Some(chromium.to_owned());
    }
    None
}

#[test]
#[ignore = "needs chromium: source scripts/ci-browser.sh"]
fn every_page_in_a_real_browser() {
    let chromium = std::env::var("NIVEAU_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if let Some(what) = missing(&chromium) {
        panic!(
            "the browser suite needs {what}, which is missing: run \
             `source scripts/ci-browser.sh` first (a plain `cargo test` ignores this test)"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo", "--database", "demo.db"]);
    // The line after the address says how to log in (read by another thread: wait for it).
    let mut password = None;
    for _ in 0..100 {
        let stdout = server.stdout.lock().unwrap().clone();
        password = stdout
            .lines()
            .find(|l| l.contains("demo-sekretariat"))
            .and_then(|l| l.rsplit(' ').next())
            .map(str::to_owned);
        if password.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let password = password.expect("niveau serve --demo printed no login line");
    // A municipal employee with a plain reader's login and no developer account, who
    // raises a development wish in the wish flows (browser/wishes.mjs).
    let reader_password = "kommune-medarbejder-adgang";
    let added = support::run(
        dir.path(),
        &[
            "user",
            "--database",
            "demo.db",
            "add",
            "--role",
            "læser",
            "--display-name",
            "Kommunal medarbejder",
            "--password-stdin",
            "kommune-medarbejder",
        ],
        &format!("{reader_password}\n"),
    );
    assert!(
        added.status.success(),
        "niveau user add: {}",
        String::from_utf8_lossy(&added.stderr)
    );
    // The static site (#16): the demo portfolio published, served by a plain static file
    // server under a sub-path as GitHub Pages serves a project site.
    let published = dir.path().join("static/niveau-site");
    let out = support::run(
        dir.path(),
        &[
            "publish",
            "--database",
            "demo.db",
            "--out",
            published.to_str().unwrap(),
            "--base-path",
            "/niveau-site/",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "niveau publish: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut static_server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(dir.path().join("static"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("python3 -m http.server");
    let static_url = format!("http://127.0.0.1:{port}/niveau-site/");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let shots = workspace().join("target/browser-screenshots");
    let output = Command::new("node")
        .arg(workspace().join("browser/suite.mjs"))
        .env("NIVEAU_BASE_URL", server.url(""))
        .env("NIVEAU_SCREENSHOTS", &shots)
        .env("NIVEAU_CHROMIUM", &chromium)
        .env("NIVEAU_DEMO_PASSWORD", &password)
        .env("NIVEAU_READER_USER", "kommune-medarbejder")
        .env("NIVEAU_READER_PASSWORD", reader_password)
        .env("NIVEAU_STATIC_URL", &static_url)
        .output()
        .unwrap();
    let _ = static_server.kill();
    let _ = static_server.wait();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    assert!(
        output.status.success(),
        "the browser suite failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    assert!(stdout.contains("all browser checks passed"), "{stdout}");
    for name in ["portfolio-da", "portfolio-en", "product-da", "product-en"] {
        let png = shots.join(format!("{name}.png"));
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG"),
            "{} is not a PNG",
            png.display()
        );
    }
    server.signal(Signal::SIGTERM);
    let (status, log) = server.wait();
    assert_eq!(status.code(), Some(0), "{log}");
}
