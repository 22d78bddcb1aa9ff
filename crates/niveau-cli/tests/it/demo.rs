//! The example portfolio: `niveau demo` and `niveau serve --demo` load
//! data/demo/portfolio.toml into a database, and what is stored is what the file says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::collections::BTreeMap;

use niveau_store::audit::AuditFilter;
use niveau_store::decisions::DecisionFilter;
use niveau_store::organisations::{OrganisationFilter, OrganisationInput, PersonFilter};
use niveau_store::products::ProductFilter;
use niveau_store::types::{OrgKind, Stage};
use niveau_store::{Actor, ListParams, Store, StoreOptions};
use nix::sys::signal::Signal;
use support::{Server, get, run, run_ok};

fn all() -> ListParams {
    ListParams {
        limit: Some(500),
        ..Default::default()
    }
}

/// (slug, stage, number of decisions) as the TOML states them, read from the file itself.
fn stated() -> (BTreeMap<String, (String, usize)>, usize) {
    let text =
        std::fs::read_to_string(niveau_testkit::repo_root().join("data/demo/portfolio.toml"))
            .unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    let mut decisions = 0;
    for p in doc["product"].as_array().unwrap() {
        let n = p
            .get("decision")
            .and_then(|d| d.as_array())
            .map_or(0, Vec::len);
        decisions += n;
        out.insert(
            p["slug"].as_str().unwrap().to_string(),
            (p["stage"].as_str().unwrap().to_string(), n),
        );
    }
    (out, decisions)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_portfolio_is_stored_as_the_file_states() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap().to_string();
    let out = run_ok(dir.path(), &["--lang", "en", "demo", "--database", &db], "");
    assert!(
        out.contains("loaded: 20 organisations, 12 products, 10 participants, 4 groups, 17 group members, 2 agreements, 5 decisions, 4 self-evaluations"),
        "{out}"
    );
    assert!(
        out.contains("skipped: reports/evaluation-0.9-os2faktor-2025.md (os2faktor): an evaluation, not a self-evaluation"),
        "{out}"
    );

    let store = Store::connect(&db, &StoreOptions::default()).await.unwrap();
    let (stated, stated_decisions) = stated();
    assert_eq!(stated.len(), 12);

    let products = store
        .list_products(&ProductFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(products.total, 12);
    for slug in [
        "os2mo",
        "os2faktor",
        "os2autoproces",
        "os2udoglaer",
        "os2datascanner",
        "os2iot",
    ] {
        let product = store.product_by_slug(slug).await.unwrap();
        assert_eq!(product.stage.as_str(), stated[slug].0, "{slug}");
        assert!(product.published, "{slug} is published");
        assert!(
            product
                .long_description
                .contains("Eksempeldata (ikke OS2's officielle portefølje). Kilde: "),
            "{slug}: {}",
            product.long_description
        );
        let decisions = store
            .list_decisions(
                &DecisionFilter {
                    product_id: Some(product.id),
                    ..Default::default()
                },
                &all(),
            )
            .await
            .unwrap();
        assert_eq!(decisions.total as usize, stated[slug].1, "{slug}");
    }
    for (slug, (stage, _)) in &stated {
        let product = store.product_by_slug(slug).await.unwrap();
        assert_eq!(product.stage, Stage::parse(stage).unwrap(), "{slug}");
    }
    assert_eq!(
        store
            .product_by_slug("os2bankintegration")
            .await
            .unwrap()
            .stage,
        Stage::Projekt
    );

    // Every decision is there, and OS2mo's log replays projekt → pauset → projekt → produkt.
    let decisions = store
        .list_decisions(&DecisionFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(decisions.total as usize, stated_decisions);
    assert_eq!(stated_decisions, 5);
    let os2mo = store.product_by_slug("os2mo").await.unwrap();
    let mut log: Vec<_> = decisions
        .items
        .iter()
        .filter(|d| d.product_id == Some(os2mo.id))
        .collect();
    log.sort_by_key(|d| d.decided_on);
    let steps: Vec<(String, String, String)> = log
        .iter()
        .map(|d| {
            (
                d.decided_on.to_string(),
                d.from_value.clone().unwrap(),
                d.to_value.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("2017-03-01".into(), "projekt".into(), "pauset".into()),
            ("2017-11-01".into(), "pauset".into(), "projekt".into()),
            ("2018-01-01".into(), "projekt".into(), "produkt".into()),
        ]
    );
    assert!(
        log[2]
            .reference
            .as_deref()
            .unwrap()
            .starts_with("Bestyrelsens beretning 2019 (Eksempeldata"),
        "{:?}",
        log[2].reference
    );
    assert_eq!(log[2].recorded_by, "eksempeldata");

    // No personal names: no person rows.
    let persons = store
        .list_persons(
            &PersonFilter {
                archived: Some(true),
                ..Default::default()
            },
            &all(),
        )
        .await
        .unwrap();
    assert_eq!(persons.total, 0);

    // Organisations are marked, groups and members are there.
    let orgs = store
        .list_organisations(&OrganisationFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(orgs.total, 20);
    assert!(orgs.items.iter().all(|o| {
        o.note
            .as_deref()
            .is_some_and(|n| n.contains("Eksempeldata (ikke OS2's officielle portefølje)"))
    }));
    let groups = store.groups_of_product(os2mo.id).await.unwrap();
    let shape: Vec<(String, usize)> = groups
        .iter()
        .map(|g| (g.group.name.clone(), g.members.len()))
        .collect();
    assert_eq!(
        shape,
        vec![
            ("Arkitekturgruppen for OS2mo".to_string(), 7),
            ("Styregruppen for OS2mo".to_string(), 4)
        ]
    );

    // The reports are self-evaluations, imported as an upload would be.
    let iot = store.product_by_slug("os2iot").await.unwrap();
    let latest = store.latest_self_evaluation(iot.id).await.unwrap().unwrap();
    assert_eq!(latest.number, 1);
    assert_eq!(latest.submitted_by, "eksempeldata");
    assert_eq!(
        latest.source_text.as_deref(),
        Some(niveau_testkit::fixture("os2/reports/selfeval-2021-os2iot.md").as_str())
    );
    let faktor = store.product_by_slug("os2faktor").await.unwrap();
    assert!(
        store
            .latest_self_evaluation(faktor.id)
            .await
            .unwrap()
            .is_none()
    );

    // The audit log names the loader: that is how `serve` knows the data are examples.
    let audit = store
        .list_audit(
            &AuditFilter {
                actor: Some("eksempeldata".into()),
                ..Default::default()
            },
            &all(),
        )
        .await
        .unwrap();
    // One event per organisation (20), product (12), participant (10), group (4), member
    // (17), agreement (2) and self-evaluation (4); two per stage decision (the decision
    // and the product's change, 5 × 2).
    assert_eq!(audit.total, 20 + 12 + 10 + 4 + 17 + 2 + 4 + 5 * 2);
    assert!(store.integrity_check().await.unwrap().is_empty());

    // Loading twice is refused.
    let again = run(dir.path(), &["--lang", "en", "demo", "--database", &db], "");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds the example data"));
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_demo_serves_the_examples_and_refuses_a_database_with_other_data() {
    let dir = tempfile::tempdir().unwrap();
    let token = support::account_with_token(dir.path(), "demo.db", "laeser", "læser");
    let server = Server::start(dir.path(), &["--demo", "--database", "demo.db"]);
    // The API tells a logged-in caller that these are example data.
    let (status, body) = get(&server.url("/api/v1/me"), Some(&token));
    assert_eq!(status, 200, "{body}");
    let me: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(me["demo"], true);
    // And so does the public meta endpoint.
    let (status, body) = get(&server.url("/api/v1/meta"), None);
    assert_eq!(status, 200, "{body}");
    let meta: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(meta["demo"], true);
    assert_eq!(meta["name"], "Niveau");
    let (status, body) = get(&server.url("/api/v1/products?limit=100"), None);
    assert_eq!(status, 200);
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 12, "the public sees every example product");
    let (status, body) = get(&server.url("/api/v1/products/os2mo"), None);
    assert_eq!(status, 200);
    let os2mo: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(os2mo["product"]["stage"], "produkt");
    assert_eq!(os2mo["decisions"].as_array().unwrap().len(), 3);
    let stderr = server.stderr.lock().unwrap().clone();
    assert!(
        stderr.contains("Databasen indeholder eksempeldata (data/demo/portfolio.toml), ikke OS2's officielle portefølje."),
        "{stderr}"
    );
    // The demo secretariat account: the start prints how to log in, and it works.
    for _ in 0..100 {
        if server.stdout.lock().unwrap().contains("adgangskoden") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let stdout = server.stdout.lock().unwrap().clone();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Log ind på http://"))
        .unwrap_or_else(|| panic!("no login line in:\n{stdout}"));
    assert!(
        line.contains("/log-ind som demo-sekretariat med adgangskoden "),
        "{line}"
    );
    let password = line.rsplit(' ').next().unwrap().to_owned();
    assert_eq!(password.len(), 16, "{line}");
    let no_redirects: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let login = |password: &str| {
        no_redirects
            .post(&server.url("/log-ind"))
            .content_type("application/x-www-form-urlencoded")
            .send(format!("username=demo-sekretariat&password={password}"))
            .unwrap()
    };
    let ok = login(&password);
    assert_eq!(ok.status().as_u16(), 303);
    assert!(ok.headers().get("set-cookie").is_some());
    assert_eq!(login("forkert-adgangskode").status().as_u16(), 401);
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    // A second start with --demo keeps the data and loads nothing more.
    let server = Server::start(dir.path(), &["--demo", "--database", "demo.db"]);
    // The account gets a new password on every start; the old one no longer works.
    let stdout = server.stdout.lock().unwrap().clone();
    assert!(!stdout.contains(&password), "{stdout}");
    let (_, body) = get(&server.url("/api/v1/products?limit=100"), None);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"],
        12
    );
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    // A database with real data is refused.
    let real = dir.path().join("real.db");
    let store = Store::connect(real.to_str().unwrap(), &StoreOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
        .create_organisation(
            &Actor::system("test"),
            OrganisationInput {
                name: "Aarhus Kommune".into(),
                kind: OrgKind::Kommune,
                member_since: None,
                left_on: None,
                supplier_partner_since: None,
                note: None,
                version: None,
            },
        )
        .await
        .unwrap();
    let out = run(
        dir.path(),
        &[
            "serve",
            "--demo",
            "--database",
            "real.db",
            "--listen",
            "127.0.0.1:0",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("real.db indeholder allerede data, som ikke er eksempeldata; --demo indlæser kun eksempeldata i en tom database"),
        "{stderr}"
    );
    let orgs = store
        .list_organisations(&OrganisationFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(orgs.total, 1, "nothing was loaded");
}

/// The password line `niveau serve --demo` printed, waiting for it.
fn demo_password(server: &Server) -> String {
    for _ in 0..100 {
        if server.stdout.lock().unwrap().contains("adgangskoden") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let stdout = server.stdout.lock().unwrap().clone();
    let line = stdout
        .lines()
        .find(|l| l.contains("demo-sekretariat med adgangskoden "))
        .unwrap_or_else(|| panic!("no login line in:\n{stdout}"));
    line.rsplit(' ').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn lesser_serve_without_demo_keeps_demo_password() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo", "--database", "demo.db"]);
    let password = demo_password(&server);
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    // A plain start of the same database: still example data, but the password stays.
    let server = Server::start(dir.path(), &["--database", "demo.db"]);
    let (_, body) = get(&server.url("/api/v1/meta"), None);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["demo"],
        true
    );
    let no_redirects: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let ok = no_redirects
        .post(&server.url("/log-ind"))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("username=demo-sekretariat&password={password}"))
        .unwrap();
    assert_eq!(ok.status().as_u16(), 303, "the old password still works");
    let stdout = server.stdout.lock().unwrap().clone();
    assert!(!stdout.contains("adgangskoden"), "{stdout}");
    let stderr = server.stderr.lock().unwrap().clone();
    assert!(
        stderr.contains(
            "Kontoen demo-sekretariat beholder sin adgangskode; start med --demo for at få en ny."
        ),
        "{stderr}"
    );
    let store = Store::connect(
        dir.path().join("demo.db").to_str().unwrap(),
        &StoreOptions::default(),
    )
    .await
    .unwrap();
    let user = store
        .user_by_username("demo-sekretariat")
        .await
        .unwrap()
        .unwrap();
    let changes = store
        .history("user", user.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "password")
        .count();
    assert_eq!(changes, 0, "created once, never reset");
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));
}
