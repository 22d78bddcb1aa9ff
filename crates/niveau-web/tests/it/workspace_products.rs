#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The product workspace pages (issue #13), driven through their HTML forms with a real
//! session and CSRF token: creating a product from an idea, editing it (with a version
//! conflict and refused fields), archiving it, its participants, asking for a scan and
//! reading its result, and recording a decision in the log.

use crate::common;

use std::time::Duration;

use axum::http::StatusCode;
use common::{TestApp, location, text};
use niveau_store::Actor;
use niveau_store::accounts::NewUser;
use niveau_store::types::{JobStatus, Role};
use serde_json::json;

const PASSWORD: &str = "korrekt-hest-batteri";

/// OS2mo (published; `red` edits it) and OS2faktor; the secretariat `sek`, the editor
/// `red` and the board member `best` log in with passwords.
async fn setup() -> TestApp {
    let app = TestApp::new().await;
    for (slug, name) in [("os2mo", "OS2mo"), ("os2faktor", "OS2faktor")] {
        let a = app
            .post(
                "/api/v1/products",
                Some("sekretariat"),
                json!({"slug": slug, "name": name, "published": true}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    let mo = product(&app, "os2mo").await["id"].as_i64().unwrap();
    app.add_password_user("sek", "Sekretariatet", PASSWORD)
        .await;
    for (username, role, products) in [
        ("red", Role::Produktredaktor, vec![mo as i32]),
        ("best", Role::Bestyrelse, vec![]),
        ("laes", Role::Laeser, vec![]),
    ] {
        app.store()
            .create_user(
                &Actor::system("test"),
                NewUser {
                    username: username.into(),
                    display_name: username.into(),
                    email: None,
                    password_hash: Some(
                        niveau_web::auth::password::hash_password(PASSWORD).unwrap(),
                    ),
                    roles: vec![role],
                    product_ids: products,
                    oidc: None,
                },
            )
            .await
            .unwrap();
    }
    app
}

/// The product as the API shows it to the secretariat.
async fn product(app: &TestApp, slug: &str) -> serde_json::Value {
    let a = app
        .get(&format!("/api/v1/products/{slug}"), Some("sekretariat"))
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    a.body["product"].clone()
}

/// The value of the input `name` on a page.
fn input_value(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let tag_end = at + body[at..].find('>').unwrap();
    let tag = &body[body[..at].rfind('<').unwrap()..tag_end];
    tag.split("value=\"")
        .nth(1)
        .map(|v| v.split('"').next().unwrap().to_owned())
        .unwrap_or_default()
}

/// The text of the textarea `name` on a page.
fn textarea(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let start = at + body[at..].find('>').unwrap() + 1;
    let end = start + body[start..].find("</textarea>").unwrap();
    body[start..end].to_owned()
}

#[tokio::test]
async fn a_product_is_created_from_an_idea_edited_with_a_conflict_and_archived() {
    let app = setup().await;
    let sek = app.session("sek", PASSWORD).await;

    // The portfolio links the secretariat to the form.
    let home = sek.get("/").await;
    assert!(text(&home).contains("href=\"/produkter/ny\""));
    let form = sek.get("/produkter/ny").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!text(&form).contains("name=\"stage\""), "no stage field");

    // A name missing: refused at the field, the rest kept.
    let refused = sek
        .post(
            "/produkter/ny",
            &[("name", ""), ("short_description", "Login for alle")],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains("id=\"name-fejl\""), "{body}");
    assert!(body.contains("href=\"#name\""));
    assert_eq!(input_value(body, "short_description"), "Login for alle");

    // Created with a slug suggested from the name, as an idea, unpublished.
    let created = sek
        .post(
            "/produkter/ny",
            &[
                ("name", "OS2 Fælles Login"),
                ("slug", ""),
                ("short_description", "Login for alle kommuner"),
                ("long_description", "En **idé** fra Aarhus."),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&created),
        "/produkter/os2-faelles-login/rediger?besked=oprettet"
    );
    let stored = product(&app, "os2-faelles-login").await;
    assert_eq!(stored["name"], "OS2 Fælles Login");
    assert_eq!(stored["stage"], "idé");
    assert_eq!(stored["published"], false);
    assert_eq!(stored["long_description"], "En **idé** fra Aarhus.");
    assert_eq!(stored["version"], 1);

    // The same slug again: refused at the slug, what was typed kept.
    let twice = sek
        .post(
            "/produkter/ny",
            &[("name", "OS2 Fælles Login"), ("short_description", "Igen")],
            true,
        )
        .await;
    assert_eq!(
        twice.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        text(&twice)
    );
    assert!(text(&twice).contains("os2-faelles-login er allerede i brug"));
    assert!(text(&twice).contains("id=\"slug-fejl\""));
    assert_eq!(input_value(text(&twice), "slug"), "os2-faelles-login");
    assert_eq!(input_value(text(&twice), "short_description"), "Igen");

    // Editing: the target level is a choice of the model's levels.
    let page = sek.get(location(&created)).await;
    let body = text(&page);
    assert!(body.contains("Produktet er oprettet som idé"));
    assert_eq!(input_value(body, "version"), "1");
    assert!(body.contains("<option value=\"2\">"), "levels of os2-1.1.0");
    let edit = |version: &'static str, name: &'static str, website: &'static str| {
        vec![
            ("version", version),
            ("name", name),
            ("slug", "os2-faelles-login"),
            ("short_description", "Login for alle kommuner"),
            ("long_description", "En **idé** fra Aarhus."),
            (
                "repositories",
                "https://github.com/OS2web/login\r\nhttps://github.com/OS2web/login-admin\r\n",
            ),
            ("website", website),
            ("license", "MPL-2.0"),
            ("target_level", "2"),
            ("published", "1"),
        ]
    };
    let saved = sek
        .post(
            "/produkter/os2-faelles-login/rediger",
            &edit("1", "OS2 Fælles Login", "https://os2.eu/produkt/login"),
            true,
        )
        .await;
    assert_eq!(
        location(&saved),
        "/produkter/os2-faelles-login/rediger?besked=gemt"
    );
    let stored = product(&app, "os2-faelles-login").await;
    assert_eq!(
        stored["repositories"],
        json!([
            "https://github.com/OS2web/login",
            "https://github.com/OS2web/login-admin"
        ])
    );
    assert_eq!(stored["license"], "MPL-2.0");
    assert_eq!(stored["target_level"], "2");
    assert_eq!(stored["website"], "https://os2.eu/produkt/login");
    assert_eq!(stored["published"], true);
    assert_eq!(stored["stage"], "idé", "the stage is not the form's");
    assert_eq!(stored["version"], 2);

    // A stale version: nothing saved, the typed values kept, the stored ones shown.
    let stale = sek
        .post(
            "/produkter/os2-faelles-login/rediger",
            &edit("1", "Mit nye navn", "https://example.org/login"),
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains("ændret af en anden"), "{body}");
    assert_eq!(input_value(body, "name"), "Mit nye navn");
    assert_eq!(input_value(body, "website"), "https://example.org/login");
    let box_start = body.find("id=\"gemt-udgave\"").expect("the stored version");
    let stored_box = &body[box_start..box_start + body[box_start..].find("</section>").unwrap()];
    assert!(
        stored_box.contains("<dd>OS2 Fælles Login</dd>"),
        "{stored_box}"
    );
    assert!(stored_box.contains("https://os2.eu/produkt/login"));
    assert_eq!(
        input_value(body, "version"),
        "2",
        "now based on the stored one"
    );
    assert_eq!(
        product(&app, "os2-faelles-login").await["name"],
        "OS2 Fælles Login"
    );
    // Saving again replaces it deliberately.
    let again = sek
        .post(
            "/produkter/os2-faelles-login/rediger",
            &edit("2", "Mit nye navn", "https://os2.eu/produkt/login"),
            true,
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(
        product(&app, "os2-faelles-login").await["name"],
        "Mit nye navn"
    );

    // A repository the server may not fetch: refused at the field, in English on ?lang=en.
    let mut bad = edit("3", "Mit nye navn", "https://os2.eu/produkt/login");
    bad[5] = ("repositories", "http://127.0.0.1/x.git");
    let refused = sek
        .post("/produkter/os2-faelles-login/rediger?lang=en", &bad, true)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("id=\"repositories-fejl\""), "{body}");
    assert!(body.contains("Not saved"));
    assert!(!body.contains("Ikke gemt"), "never mixed");
    assert_eq!(textarea(body, "repositories"), "http://127.0.0.1/x.git");
    assert!(body.contains("action=\"/produkter/os2-faelles-login/rediger?lang=en\""));

    // Archiving asks for confirmation.
    let unconfirmed = sek
        .post(
            "/produkter/os2-faelles-login/arkiver",
            &[("version", "3")],
            true,
        )
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&unconfirmed).contains("id=\"bekraeft-fejl\""));
    assert_eq!(product(&app, "os2-faelles-login").await["archived"], false);
    let archived = sek
        .post(
            "/produkter/os2-faelles-login/arkiver",
            &[("version", "3"), ("bekraeft", "1")],
            true,
        )
        .await;
    assert_eq!(
        location(&archived),
        "/produkter/os2-faelles-login/rediger?besked=arkiveret"
    );
    let stored = product(&app, "os2-faelles-login").await;
    assert_eq!(stored["archived"], true);
    assert_eq!(stored["published"], false);
    let public = app.get("/api/v1/products/os2-faelles-login", None).await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_editor_edits_their_product_but_does_not_publish_rename_or_archive_it() {
    let app = setup().await;
    let red = app.session("red", PASSWORD).await;
    assert_eq!(red.get("/produkter/ny").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        red.get("/produkter/os2faktor/rediger").await.status,
        StatusCode::FORBIDDEN
    );
    let page = red.get("/produkter/os2mo/rediger").await;
    let body = text(&page);
    assert_eq!(page.status, StatusCode::OK);
    assert!(!body.contains("name=\"published\""), "no publish box");
    assert!(!body.contains("name=\"slug\""), "no slug field");
    assert!(!body.contains("/arkiver"), "no archive form");
    // The product page links the editor to the workspace.
    let product_page = red.get("/produkter/os2mo").await;
    assert!(text(&product_page).contains("href=\"/produkter/os2mo/rediger\""));
    assert!(text(&product_page).contains("href=\"/produkter/os2mo/deltagere\""));

    // What the editor may not change is taken from the stored product, whatever is sent.
    let saved = red
        .post(
            "/produkter/os2mo/rediger",
            &[
                ("version", "1"),
                ("name", "OS2mo"),
                ("slug", "omdoebt"),
                ("short_description", "Medarbejdere og organisation"),
                ("license", "MPL-2.0"),
            ],
            true,
        )
        .await;
    assert_eq!(location(&saved), "/produkter/os2mo/rediger?besked=gemt");
    let stored = product(&app, "os2mo").await;
    assert_eq!(stored["slug"], "os2mo");
    assert_eq!(stored["published"], true);
    assert_eq!(stored["short_description"], "Medarbejdere og organisation");
    assert_eq!(stored["license"], "MPL-2.0");
    let archive = red
        .post(
            "/produkter/os2mo/arkiver",
            &[("version", "2"), ("bekraeft", "1")],
            true,
        )
        .await;
    assert_eq!(archive.status, StatusCode::FORBIDDEN);
    assert_eq!(product(&app, "os2mo").await["archived"], false);

    // Anonymous visitors are sent to log in.
    let anonymous = app.get("/produkter/os2mo/rediger", None).await;
    assert_eq!(
        location(&anonymous),
        "/log-ind?next=%2Fprodukter%2Fos2mo%2Frediger"
    );
}

#[tokio::test]
async fn participants_are_added_changed_ended_and_removed() {
    let app = setup().await;
    let org = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": "Aarhus Kommune", "kind": "kommune"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let person = app
        .post(
            "/api/v1/persons",
            Some("sekretariat"),
            json!({"name": "Ane Andersen"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let red = app.session("red", PASSWORD).await;
    let page = red.get("/produkter/os2mo/deltagere").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(text(&page).contains("Ingen deltagere registreret endnu."));
    assert!(text(&page).contains(&format!("<option value=\"{org}\">Aarhus Kommune (Kommune)")));

    // Neither organisation nor person: refused at the field, dates kept.
    let refused = red
        .post(
            "/produkter/os2mo/deltagere",
            &[
                ("organisation", ""),
                ("person", ""),
                ("role", "anvender"),
                ("since", "2024-01-01"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&refused).contains("id=\"ny-organisation-fejl\""),
        "{}",
        text(&refused)
    );
    assert_eq!(input_value(text(&refused), "since"), "2024-01-01");
    // A date that is not one: refused at the date, as typed.
    let bad_date = red
        .post(
            "/produkter/os2mo/deltagere",
            &[
                ("organisation", &org),
                ("role", "anvender"),
                ("since", "1. januar"),
            ],
            true,
        )
        .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&bad_date).contains("id=\"ny-fra-fejl\""));
    assert!(text(&bad_date).contains("value=\"1. januar\""));

    for (org, person, role) in [
        (org.as_str(), "", "anvender"),
        ("", person.as_str(), "tovholder"),
    ] {
        let added = red
            .post(
                "/produkter/os2mo/deltagere",
                &[
                    ("organisation", org),
                    ("person", person),
                    ("role", role),
                    ("since", "2024-01-01"),
                ],
                true,
            )
            .await;
        assert_eq!(
            location(&added),
            "/produkter/os2mo/deltagere?besked=tilfoejet"
        );
    }
    let list = app
        .get("/api/v1/products/os2mo/participants", Some("sekretariat"))
        .await
        .body;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let municipality = list.iter().find(|p| p["role"] == "anvender").unwrap();
    assert_eq!(municipality["organisation_id"].to_string(), org);
    assert_eq!(municipality["since"], "2024-01-01");
    let id = municipality["id"].as_i64().unwrap();
    let path = format!("/produkter/os2mo/deltagere/{id}");

    // Changed: role and dates.
    let changed = red
        .post(
            &path,
            &[
                ("version", "1"),
                ("role", "driftsleverandør"),
                ("since", "2023-05-01"),
                ("until", ""),
            ],
            true,
        )
        .await;
    assert_eq!(location(&changed), "/produkter/os2mo/deltagere?besked=gemt");
    // A stale version: the typed role kept, the stored one shown.
    let stale = red
        .post(
            &path,
            &[
                ("version", "1"),
                ("role", "reviewer"),
                ("since", "2023-05-01"),
                ("until", ""),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains(&format!("id=\"d{id}-gemt\"")), "{body}");
    assert!(body.contains("Den gemte udgave: Driftsleverandør, fra 2023-05-01"));
    assert!(body.contains("<option value=\"reviewer\" selected>"));
    // Ended today.
    let ended = red
        .post(
            &path,
            &[
                ("version", "2"),
                ("role", "driftsleverandør"),
                ("since", "2023-05-01"),
                ("until", ""),
                ("handling", "afslut"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&ended),
        "/produkter/os2mo/deltagere?besked=afsluttet"
    );
    let today = app.store().now().date_naive().to_string();
    let stored = app
        .get("/api/v1/products/os2mo/participants", Some("sekretariat"))
        .await
        .body;
    let stored = stored
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone();
    assert_eq!(stored["role"], "driftsleverandør");
    assert_eq!(stored["until"], today.as_str());
    // The product page lists the participants.
    let product_page = app.get("/produkter/os2mo", None).await;
    assert!(text(&product_page).contains("Driftsleverandør"));

    // Removed.
    let removed = red
        .post(&format!("{path}/fjern"), &[("version", "3")], true)
        .await;
    assert_eq!(
        location(&removed),
        "/produkter/os2mo/deltagere?besked=fjernet"
    );
    let left = app
        .get("/api/v1/products/os2mo/participants", Some("sekretariat"))
        .await
        .body;
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert_eq!(left[0]["role"], "tovholder");
    // Another product's participant is not found through this product.
    let elsewhere = red
        .post(
            &format!(
                "/produkter/os2mo/deltagere/{}",
                left[0]["id"].as_i64().unwrap() + 100
            ),
            &[("version", "1"), ("role", "anvender")],
            true,
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_scan_is_requested_from_the_product_page_and_its_result_shown() {
    let app = setup().await;
    let red = app.session("red", PASSWORD).await;
    // Without repositories the request is refused with what to do.
    let refused = red.post("/produkter/os2mo/scanninger", &[], true).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&refused)
            .contains("OS2mo har ingen repositorier; tilføj dem til produktet før en scanning"),
        "{}",
        text(&refused)
    );
    let a = app
        .put(
            "/api/v1/products/os2mo",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "published": true, "version": 1,
                   "repositories": ["https://github.com/OS2mo/os2mo"]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);

    let product_page = red.get("/produkter/os2mo").await;
    let body = text(&product_page);
    assert!(
        body.contains("action=\"/produkter/os2mo/scanninger\""),
        "the button"
    );
    assert!(body.contains("Scanninger af kildekoden</a>: ingen endnu"));
    let requested = red.post("/produkter/os2mo/scanninger", &[], true).await;
    assert_eq!(
        location(&requested),
        "/produkter/os2mo/scanninger?besked=bestilt"
    );
    // A queued job and a queued scan run.
    let scans = app.get("/api/v1/scans", Some("sekretariat")).await.body;
    assert_eq!(scans["total"], 1);
    assert_eq!(scans["items"][0]["status"], "queued");
    assert_eq!(scans["items"][0]["requested_by"], "red");
    let page = red.get("/produkter/os2mo/scanninger?besked=bestilt").await;
    let body = text(&page);
    assert!(body.contains("Scanningen står i kø."));
    assert!(body.contains("data-status=\"queued\">I kø<"), "{body}");
    let product_page = red.get("/produkter/os2mo").await;
    assert!(text(&product_page).contains("data-status=\"queued\""));

    // The worker takes the job and records a report: the page shows it per repository.
    let job = niveau_app::scans::claim_job(app.state.app(), "w", Duration::from_secs(60))
        .await
        .unwrap()
        .expect("the queued job");
    assert_eq!(job.kind, niveau_store::jobs::SCAN_JOB);
    let task = niveau_app::scans::begin_scan(app.state.app(), "w", job)
        .await
        .unwrap()
        .unwrap();
    let report = json!({
        "schema": "niveau.check/1",
        "target": "https://github.com/OS2mo/os2mo",
        "head": {"commit": "0123456789abcdef", "branch": "master"},
        "allowed_level": "1",
        "requirements": [
            {"requirement": "R5", "rating": "green"},
            {"requirement": "R6", "rating": "green"},
            {"requirement": "F2", "rating": "red"}
        ],
        "findings": [{}, {}, {}, {}],
        "warnings": []
    });
    let outcome = niveau_app::scans::record_scan(
        app.state.app(),
        "w",
        &task,
        vec![niveau_app::scans::RepositoryResult::Scanned(report)],
    )
    .await
    .unwrap();
    assert_eq!(outcome, niveau_app::scans::ScanOutcome::Done);
    let run = app.store().scan_run(task.scan_run_id).await.unwrap();
    assert_eq!(run.status, JobStatus::Done);

    let page = app
        .get("/produkter/os2mo/scanninger?lang=en", Some("læser"))
        .await;
    let body = text(&page);
    assert_eq!(page.status, StatusCode::OK);
    assert!(body.contains("data-status=\"done\">Done<"), "{body}");
    assert!(body.contains("<th scope=\"row\">https://github.com/OS2mo/os2mo</th><td><code>0123456789</code></td><td>Level 1</td>"));
    assert!(body.contains("2 × "), "two green");
    assert!(body.contains("<td>4</td>"), "four findings");
    assert!(
        !body.contains("Request a scan"),
        "a reader may not ask for one"
    );
    // The public neither sees scans nor may ask for them.
    let anonymous = app.get("/produkter/os2mo/scanninger", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(!text(&app.get("/produkter/os2mo", None).await).contains("scanninger"));
}

/// A product of two repositories gets one verdict on its scan page (#15 "whole
/// products"), from the real reports of two repositories the worker would store: the
/// core has a licence, the plugin has none, so F2 ("must hold in every main repository")
/// is contradicted and names the plugin, while the core's README carries F5 for both.
#[tokio::test]
async fn a_scan_of_several_repositories_gives_one_verdict_for_the_product() {
    use niveau_testkit::repo::TestRepo;
    let app = setup().await;
    let core_url = "https://github.com/OS2mo/os2mo";
    let plugin_url = "https://github.com/OS2mo/os2mo-plugin";
    let a = app
        .put(
            "/api/v1/products/os2mo",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "published": true, "version": 1,
                   "repositories": [core_url, plugin_url]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    let now = chrono::Utc::now().timestamp();
    let build = |tag: &str, licence: bool| {
        let r = TestRepo::new();
        r.write(
            "README.md",
            format!(
                "# {tag}\n\n## Formål\n\n{}\n\n## Installation\n\nx\n",
                "OS2mo holder styr på organisationen. ".repeat(12)
            ),
        );
        if licence {
            r.write("LICENSE", include_str!("../../../../LICENSE"));
        }
        for i in 0..12i64 {
            r.write(format!("src/{tag}.txt"), format!("{tag} {i}\n"));
            let who = if i % 2 == 0 {
                "anne@kommune.dk"
            } else {
                "bo@leverandor.dk"
            };
            r.commit_as(
                &format!("Fix #{i}"),
                "Udvikler",
                who,
                &format!("{} +0000", now - (12 - i) * 20 * 86_400),
            );
        }
        r
    };
    let core = build("core", true);
    let plugin = build("plugin", false);
    let registry = niveau_model::Registry::builtin().unwrap();
    let options = niveau_scan::check::CheckOptions {
        model: "os2-1.1.0".into(),
        rev: None,
        limits: niveau_scan::Limits::default(),
        now,
        tool_results: Vec::new(),
    };
    let report = |repo: &TestRepo, url: &str| {
        let mut r = niveau_scan::check_repository(repo.path(), &registry, &options).unwrap();
        r.target = url.to_owned();
        serde_json::to_value(r).unwrap()
    };
    let results = vec![
        niveau_app::scans::RepositoryResult::Scanned(report(&core, core_url)),
        niveau_app::scans::RepositoryResult::Scanned(report(&plugin, plugin_url)),
    ];

    let red = app.session("red", PASSWORD).await;
    let requested = red.post("/produkter/os2mo/scanninger", &[], true).await;
    assert_eq!(requested.status, StatusCode::SEE_OTHER);
    let job = niveau_app::scans::claim_job(app.state.app(), "w", Duration::from_secs(60))
        .await
        .unwrap()
        .expect("the queued job");
    let task = niveau_app::scans::begin_scan(app.state.app(), "w", job)
        .await
        .unwrap()
        .unwrap();
    niveau_app::scans::record_scan(app.state.app(), "w", &task, results)
        .await
        .unwrap();

    let page = app
        .get("/produkter/os2mo/scanninger?lang=en", Some("læser"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let body = text(&page);
    let section = body
        .split("id=\"produktvurdering\"")
        .nth(1)
        .expect("the product's verdict")
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        section.contains("The whole product: No level</h2>"),
        "{section}"
    );
    assert!(section.contains("Combined from 2 repositories"));
    let row = |id: &str| {
        section
            .split(&format!("<tr data-requirement=\"{id}\""))
            .nth(1)
            .unwrap_or_else(|| panic!("{id} in {section}"))
            .split("</tr>")
            .next()
            .unwrap()
            .to_owned()
    };
    let f2 = row("F2");
    assert!(f2.starts_with(" data-verdict=\"contradicted\""), "{f2}");
    assert!(
        f2.contains(&format!(
            "must hold in every main repository (lacking in {plugin_url})"
        )),
        "{f2}"
    );
    assert!(f2.contains(&format!("<td>{plugin_url}</td>")), "{f2}");
    assert!(
        f2.contains(&format!(
            "{core_url}: supported; {plugin_url}: contradicted"
        )),
        "{f2}"
    );
    // In Danish too, and only for logged-in readers (the page itself needs a login).
    let da = app.get("/produkter/os2mo/scanninger", Some("læser")).await;
    let da = text(&da);
    assert!(da.contains("Hele produktet: Intet niveau</h2>"), "{da}");
    assert!(da.contains("skal gælde i alle hovedrepositorier (mangler i"));

    // One repository: its own report is the product's, no combined section.
    let single = app
        .put(
            "/api/v1/products/os2mo",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "published": true, "version": 2,
                   "repositories": [core_url]}),
        )
        .await;
    assert_eq!(single.status, StatusCode::OK, "{:?}", single.body);
    red.post("/produkter/os2mo/scanninger", &[], true).await;
    let job = niveau_app::scans::claim_job(app.state.app(), "w", Duration::from_secs(60))
        .await
        .unwrap()
        .expect("the second job");
    let task = niveau_app::scans::begin_scan(app.state.app(), "w", job)
        .await
        .unwrap()
        .unwrap();
    niveau_app::scans::record_scan(
        app.state.app(),
        "w",
        &task,
        vec![niveau_app::scans::RepositoryResult::Scanned(report(
            &core, core_url,
        ))],
    )
    .await
    .unwrap();
    let single_page = app.get("/produkter/os2mo/scanninger", Some("læser")).await;
    assert!(!text(&single_page).contains("id=\"produktvurdering\""));
}

#[tokio::test]
async fn a_decision_is_recorded_in_the_log_and_stage_changes_are_not_offered() {
    let app = setup().await;
    let sek = app.session("sek", PASSWORD).await;
    let log = sek.get("/beslutninger").await;
    let body = text(&log);
    assert!(body.contains("Registrér en beslutning"));
    assert!(body.contains("Stadieskift (pause, lukning, …) registreres gennem produktprocessen"));
    let form_start = body.find("id=\"beslutning-slags\"").unwrap();
    let select = &body[form_start..form_start + body[form_start..].find("</select>").unwrap()];
    assert!(select.contains("value=\"optagelse\""));
    assert!(select.contains("value=\"andet\""));
    assert!(!select.contains("value=\"stadie\""));
    assert!(!select.contains("value=\"niveau\""));

    // A stage change sent anyway is refused, the basis kept, nothing recorded.
    let refused = sek
        .post(
            "/beslutninger",
            &[
                ("kind", "stadie"),
                ("decided_on", "2026-03-01"),
                ("product", "os2mo"),
                ("basis", "Pause efter bestyrelsesmødet"),
                ("decided_by", "bestyrelse"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&refused).contains("id=\"beslutning-slags-fejl\""));
    assert!(text(&refused).contains(">Pause efter bestyrelsesmødet</textarea>"));
    // An empty basis is refused at its field (the store's rule).
    let empty = sek
        .post(
            "/beslutninger",
            &[
                ("kind", "optagelse"),
                ("decided_on", "2026-03-01"),
                ("product", "os2mo"),
                ("basis", ""),
                ("decided_by", "bestyrelse"),
                ("reference", "Referat 2026-03-01"),
            ],
            true,
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&empty).contains("id=\"beslutning-grundlag-fejl\""),
        "{}",
        text(&empty)
    );
    assert!(text(&empty).contains("value=\"Referat 2026-03-01\""));
    let none = app.get("/api/v1/decisions", Some("sekretariat")).await.body;
    assert_eq!(none["total"], 0);

    let recorded = sek
        .post(
            "/beslutninger",
            &[
                ("kind", "optagelse"),
                ("decided_on", "2026-03-01"),
                ("product", "os2mo"),
                ("basis", "OS2mo optages i porteføljen"),
                ("decided_by", "bestyrelse"),
                ("reference", "Referat 2026-03-01, pkt. 4"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&recorded),
        "/beslutninger?besked=registreret#aar-2026"
    );
    let all = app.get("/api/v1/decisions", Some("sekretariat")).await.body;
    assert_eq!(all["total"], 1);
    let d = &all["items"][0];
    assert_eq!(d["kind"], "optagelse");
    assert_eq!(d["decided_on"], "2026-03-01");
    assert_eq!(d["decided_by"], "bestyrelse");
    assert_eq!(d["basis"], "OS2mo optages i porteføljen");
    assert_eq!(d["reference"], "Referat 2026-03-01, pkt. 4");
    assert_eq!(d["recorded_by"], "sek");
    // The log shows it to everyone; the product keeps its stage.
    let public = app.get("/beslutninger", None).await;
    let body = text(&public);
    assert!(body.contains("OS2mo optages i porteføljen"));
    assert!(body.contains("Referat 2026-03-01, pkt. 4"));
    assert!(
        !body.contains("Registrér en beslutning"),
        "no form for the public"
    );
    assert_eq!(product(&app, "os2mo").await["stage"], "idé");

    // The board records too, a decision about no product; a reader sees no form and
    // may not post.
    let best = app.session("best", PASSWORD).await;
    let board = best
        .post(
            "/beslutninger?lang=en",
            &[
                ("kind", "andet"),
                ("decided_on", "2026-04-01"),
                ("product", ""),
                ("basis", "Ny mødekalender"),
                ("decided_by", "bestyrelse"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&board),
        "/beslutninger?besked=registreret&lang=en#aar-2026"
    );
    let laes = app.session("laes", PASSWORD).await;
    assert!(!text(&laes.get("/beslutninger").await).contains("Registrér en beslutning"));
    let refused = laes
        .post(
            "/beslutninger",
            &[
                ("kind", "andet"),
                ("decided_on", "2026-04-01"),
                ("basis", "x"),
                ("decided_by", "sekretariat"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let all = app.get("/api/v1/decisions", Some("sekretariat")).await.body;
    assert_eq!(all["total"], 2);
}
