#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The secretariat's workspace pages for groups, agreements and evaluation rounds, driven
//! through their HTML forms with a real session and CSRF token: what is created shows up
//! with its values, a refused post keeps what was typed and names the field, a stale
//! version shows the stored values, and English pages are English.

use crate::common;

use axum::http::{StatusCode, header};
use common::{Session, TestApp, html, location, publish_evaluation_with, text};
use serde_json::json;

const PASSWORD: &str = "en-lang-adgangskode-til-test";

async fn secretariat(app: &TestApp) -> Session<'_> {
    app.add_password_user("sekretaer", "Sekretariatet", PASSWORD)
        .await;
    app.session("sekretaer", PASSWORD).await
}

async fn create_product(app: &TestApp, slug: &str, name: &str) -> i64 {
    let a = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": slug, "name": name, "short_description": "x", "published": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body["id"].as_i64().unwrap()
}

async fn create_org(app: &TestApp, name: &str) -> i64 {
    let a = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": name, "kind": "kommune"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body["id"].as_i64().unwrap()
}

/// The id in `/…/{id}?besked=…`.
fn id_in(location: &str) -> String {
    location
        .split('?')
        .next()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// The value of the hidden `version` field of the first form that has one.
fn version_of(body: &str) -> String {
    body.split("name=\"version\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

/// The selected option's value of the select `id`.
fn selected_in(body: &str, id: &str) -> String {
    let start = body
        .find(&format!("<select id=\"{id}\""))
        .unwrap_or_else(|| panic!("no select {id}"));
    let end = start + body[start..].find("</select>").unwrap();
    body[start..end]
        .split("<option value=\"")
        .skip(1)
        .find(|o| o.contains("\" selected>"))
        .map(|o| o.split('"').next().unwrap().to_owned())
        .unwrap_or_default()
}

#[tokio::test]
async fn the_secretariat_manages_a_group_and_its_members_in_the_browser() {
    let app = TestApp::new().await;
    let os2mo = create_product(&app, "os2mo", "OS2mo").await.to_string();
    let aarhus = create_org(&app, "Aarhus Kommune").await.to_string();
    let s = secretariat(&app).await;

    let list = html(&s.get("/grupper").await).to_owned();
    assert!(list.contains("<h1>Grupper</h1>"), "{list}");
    assert!(list.contains("<a href=\"/grupper\" aria-current=\"page\">Grupper</a>"));
    assert!(list.contains("Ingen grupper svarer til valget."));

    // A group without a name: refused at the field, the rest kept.
    let refused = s
        .post(
            "/grupper",
            &[
                ("name", " "),
                ("kind", "styregruppe"),
                ("product_id", &os2mo),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains("id=\"fejl-name\""), "{body}");
    assert!(body.contains("aria-describedby=\"fejl-name\""));
    assert_eq!(selected_in(body, "kind"), "styregruppe");
    assert_eq!(selected_in(body, "product_id"), os2mo);

    // Without the CSRF token nothing is created.
    let forged = s
        .post(
            "/grupper",
            &[("name", "Falsk"), ("kind", "faggruppe")],
            false,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let created = s
        .post(
            "/grupper",
            &[
                ("name", "Styregruppen for OS2mo"),
                ("kind", "styregruppe"),
                ("product_id", &os2mo),
            ],
            true,
        )
        .await;
    let at = location(&created).to_owned();
    assert!(at.ends_with("?besked=oprettet"), "{at}");
    let id = id_in(&at);
    let page = html(&s.get(&at).await).to_owned();
    assert!(page.contains("<h1>Styregruppen for OS2mo</h1>"));
    assert!(page.contains("<p class=\"notice\" role=\"status\">Oprettet.</p>"));
    assert!(page.contains("<a href=\"/produkter/os2mo\">OS2mo</a>"));
    assert!(page.contains("Gruppen har ingen medlemmer endnu."));

    let filtered = html(&s.get("/grupper?produkt=os2mo&type=styregruppe").await).to_owned();
    assert!(filtered.contains(&format!(
        "<a href=\"/grupper/{id}\">Styregruppen for OS2mo</a></th><td>Styregruppe</td><td>OS2mo</td><td>aktiv</td>"
    )));
    let other_kind = html(&s.get("/grupper?produkt=os2mo&type=faggruppe").await).to_owned();
    assert!(!other_kind.contains("Styregruppen for OS2mo"));
    assert!(other_kind.contains("Ingen grupper svarer til valget."));

    // A member who is nobody: the store's message, at the organisation.
    let nobody = s
        .post(
            &format!("/grupper/{id}/medlemmer"),
            &[
                ("organisation_id", ""),
                ("person_id", ""),
                ("role", "formand"),
            ],
            true,
        )
        .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&nobody);
    assert!(
        body.contains(
            "<strong class=\"field-error\" id=\"fejl-organisation_id\">angiv en person eller en organisation</strong>"
        ),
        "{body}"
    );
    assert_eq!(selected_in(body, "role"), "formand");

    let added = s
        .post(
            &format!("/grupper/{id}/medlemmer"),
            &[("organisation_id", &aarhus), ("role", "formand")],
            true,
        )
        .await;
    assert_eq!(
        location(&added),
        format!("/grupper/{id}?besked=medlem-tilfoejet#medlemmer")
    );
    let page = html(&s.get(&format!("/grupper/{id}")).await).to_owned();
    assert!(
        page.contains("<th scope=\"row\">Aarhus Kommune</th><td>formand</td>"),
        "{page}"
    );
    let member = page
        .split("<tr id=\"medlem-")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    // The product page lists the group with its member.
    let product = html(&common::page(&app, "/produkter/os2mo", &[]).await).to_owned();
    assert!(product.contains("Styregruppen for OS2mo"), "{product}");
    assert!(product.contains("Aarhus Kommune (formand)"), "{product}");

    // Changing the member's role.
    let changed = s
        .post(
            &format!("/grupper/{id}/medlemmer/{member}"),
            &[
                ("version", "1"),
                ("organisation_id", &aarhus),
                ("role", "bestyrelsesrepræsentant"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&changed),
        format!("/grupper/{id}?besked=medlem-gemt#medlemmer")
    );
    // The same change again from the old page: a conflict, the typed role kept and the
    // stored member shown.
    let stale = s
        .post(
            &format!("/grupper/{id}/medlemmer/{member}"),
            &[
                ("version", "1"),
                ("organisation_id", &aarhus),
                ("role", "medlem"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(
        body.contains("Gemt: Aarhus Kommune, bestyrelsesrepræsentant"),
        "{body}"
    );
    assert_eq!(selected_in(body, &format!("rolle-{member}")), "medlem");

    // Editing the group from a stale page: the typed name kept, the stored one shown.
    let stale = s
        .post(
            &format!("/grupper/{id}"),
            &[
                ("version", "1"),
                ("name", "Min nye styregruppe"),
                ("kind", "styregruppe"),
                ("product_id", &os2mo),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains("value=\"Min nye styregruppe\""));
    assert!(body.contains("id=\"gemt-udgave\""));
    assert!(body.contains("<dd>Styregruppen for OS2mo</dd>"));
    assert!(body.contains("Gruppen er ændret af en anden"));
    // The form now carries the stored version: saving again replaces it.
    let version = version_of(body);
    assert_eq!(version, "3");
    let saved = s
        .post(
            &format!("/grupper/{id}"),
            &[
                ("version", &version),
                ("name", "Min nye styregruppe"),
                ("kind", "koordinationsgruppe"),
                ("product_id", &os2mo),
            ],
            true,
        )
        .await;
    assert_eq!(location(&saved), format!("/grupper/{id}?besked=gemt"));

    // Removing the member, then archiving the group.
    let page = html(&s.get(&format!("/grupper/{id}")).await).to_owned();
    assert!(page.contains("<h1>Min nye styregruppe</h1>"));
    let member_version = page
        .split(&format!(
            "action=\"/grupper/{id}/medlemmer/{member}/fjern\""
        ))
        .nth(1)
        .map(version_of)
        .unwrap();
    let removed = s
        .post(
            &format!("/grupper/{id}/medlemmer/{member}/fjern"),
            &[("version", &member_version)],
            true,
        )
        .await;
    assert_eq!(
        location(&removed),
        format!("/grupper/{id}?besked=medlem-fjernet#medlemmer")
    );
    let page = html(&s.get(&format!("/grupper/{id}")).await).to_owned();
    assert!(!page.contains("<th scope=\"row\">Aarhus Kommune</th>"));
    let version = version_of(&page);
    let archived = s
        .post(
            &format!("/grupper/{id}/arkiver"),
            &[("version", &version)],
            true,
        )
        .await;
    assert_eq!(
        location(&archived),
        format!("/grupper/{id}?besked=arkiveret")
    );
    let list = html(&s.get("/grupper").await).to_owned();
    assert!(!list.contains("Min nye styregruppe"));
    let all = html(&s.get("/grupper?arkiverede=ja").await).to_owned();
    assert!(all.contains("<td>Koordinationsgruppe</td><td>OS2mo</td><td>arkiveret</td>"));

    // In English, all English.
    let en = html(&s.get("/grupper?lang=en&arkiverede=ja").await).to_owned();
    assert!(en.contains("<h1>Groups</h1>"));
    assert!(en.contains("<td>Coordination group</td><td>OS2mo</td><td>archived</td>"));
    assert!(en.contains("Create group") && !en.contains("Opret gruppe"));
    let missing = s.get("/grupper/999").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn agreements_ending_within_three_months_are_listed_first() {
    let app = TestApp::new().await;
    let os2mo = create_product(&app, "os2mo", "OS2mo").await.to_string();
    let aarhus = create_org(&app, "Aarhus Kommune").await.to_string();
    let odense = create_org(&app, "Odense Kommune").await.to_string();
    let s = secretariat(&app).await;
    let today = app.store().now().date_naive();
    let soon = (today + chrono::Days::new(30)).to_string();
    let later = (today + chrono::Days::new(200)).to_string();

    let empty = html(&s.get("/aftaler").await).to_owned();
    assert!(empty.contains("Ingen aftaler udløber inden for tre måneder."));
    assert!(empty.contains(&format!("<time datetime=\"{today}\">")));

    // A date that is not one, and a period that ends before it starts: at the fields.
    let refused = s
        .post(
            "/aftaler",
            &[
                ("title", "Driftsaftale for OS2mo"),
                ("kind", "driftsaftale"),
                ("product_id", &os2mo),
                ("ends_on", "31-12-2026"),
                ("parties", &aarhus),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains(
        "<strong class=\"field-error\" id=\"fejl-ends_on\">«31-12-2026» er ikke en dato (skriv ÅÅÅÅ-MM-DD).</strong>"
    ), "{body}");
    assert!(body.contains("value=\"Driftsaftale for OS2mo\""));
    assert_eq!(selected_in(body, "parties"), aarhus);
    let backwards = s
        .post(
            "/aftaler",
            &[
                ("title", "Driftsaftale for OS2mo"),
                ("kind", "driftsaftale"),
                ("starts_on", &later),
                ("ends_on", &soon),
            ],
            true,
        )
        .await;
    assert_eq!(backwards.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&backwards).contains("id=\"fejl-ends_on\""),
        "{}",
        text(&backwards)
    );
    let bad_link = s
        .post(
            "/aftaler",
            &[
                ("title", "Driftsaftale for OS2mo"),
                ("kind", "driftsaftale"),
                ("document_url", "javascript:alert(1)"),
            ],
            true,
        )
        .await;
    assert_eq!(bad_link.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&bad_link).contains("id=\"fejl-document_url\""));

    let created = s
        .post(
            "/aftaler",
            &[
                ("title", "Driftsaftale for OS2mo"),
                ("kind", "driftsaftale"),
                ("product_id", &os2mo),
                ("starts_on", "2024-01-01"),
                ("ends_on", &soon),
                ("economy", "120.000 kr. om året"),
                ("document_url", "https://os2.eu/aftaler/os2mo-drift.pdf"),
                ("parties", &aarhus),
                ("parties", &odense),
            ],
            true,
        )
        .await;
    let at = location(&created).to_owned();
    let id = id_in(&at);
    s.post(
        "/aftaler",
        &[
            ("title", "Samarbejdsaftale"),
            ("kind", "samarbejdsaftale"),
            ("ends_on", &later),
        ],
        true,
    )
    .await;
    let list = html(&s.get("/aftaler").await).to_owned();
    let (ending, all) = list.split_once("id=\"alle-aftaler\"").unwrap();
    assert!(ending.contains(&format!(
        "<a href=\"/aftaler/{id}\">Driftsaftale for OS2mo</a></th><td><time datetime=\"{soon}\">{soon}</time></td><td>Driftsaftale</td><td>OS2mo</td><td>Aarhus Kommune, Odense Kommune</td>"
    )), "{ending}");
    assert!(!ending.contains("Samarbejdsaftale</a>"));
    assert!(all.contains("Driftsaftale for OS2mo</a>") && all.contains("Samarbejdsaftale</a>"));
    assert!(all.contains(&format!("<td>2024-01-01 – {soon}</td>")));
    let filtered = html(&s.get("/aftaler?type=samarbejdsaftale").await).to_owned();
    let (_, all) = filtered.split_once("id=\"alle-aftaler\"").unwrap();
    assert!(!all.contains("Driftsaftale for OS2mo</a>"));

    // The agreement's page; a stale edit keeps the typed values and shows the stored.
    let page = html(&s.get(&at).await).to_owned();
    assert!(page.contains("120.000 kr. om året"));
    assert!(page.contains(
        "<a href=\"https://os2.eu/aftaler/os2mo-drift.pdf\" rel=\"noopener noreferrer\">"
    ));
    let saved = s
        .post(
            &format!("/aftaler/{id}"),
            &[
                ("version", "1"),
                ("title", "Driftsaftale for OS2mo"),
                ("kind", "driftsaftale"),
                ("ends_on", &later),
                ("parties", &odense),
            ],
            true,
        )
        .await;
    assert_eq!(location(&saved), format!("/aftaler/{id}?besked=gemt"));
    let stale = s
        .post(
            &format!("/aftaler/{id}"),
            &[
                ("version", "1"),
                ("title", "Mit forslag"),
                ("kind", "driftsaftale"),
                ("economy", "Min tekst"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains("value=\"Mit forslag\"") && body.contains(">Min tekst</textarea>"));
    assert!(body.contains("id=\"gemt-udgave\""));
    assert!(body.contains(&format!("<dd> – {later}</dd>")), "{body}");
    assert!(body.contains("<dd>Odense Kommune</dd>"));
    // No longer ending soon.
    let list = html(&s.get("/aftaler").await).to_owned();
    assert!(list.contains("Ingen aftaler udløber inden for tre måneder."));

    let version = version_of(html(&s.get(&at).await));
    let archived = s
        .post(
            &format!("/aftaler/{id}/arkiver"),
            &[("version", &version)],
            true,
        )
        .await;
    assert_eq!(
        location(&archived),
        format!("/aftaler/{id}?besked=arkiveret")
    );
    let list = html(&s.get("/aftaler").await).to_owned();
    assert!(!list.contains("Driftsaftale for OS2mo"));

    let en = html(&s.get("/aftaler?lang=en").await).to_owned();
    assert!(en.contains("<h2 id=\"udloeber\">Agreements ending within three months</h2>"));
    // The kind is translated; the title is the secretariat's own text.
    assert!(
        en.contains("<td>Cooperation agreement</td>") && !en.contains("<td>Samarbejdsaftale</td>")
    );
    assert!(en.contains(">Samarbejdsaftale</a>"));
}

#[tokio::test]
async fn rounds_are_opened_with_the_next_half_year_and_the_products_at_level_1() {
    let app = TestApp::new().await;
    create_product(&app, "os2mo", "OS2mo").await;
    let sandbox = create_product(&app, "os2sandkasse", "OS2sandkasse").await;
    let rate = |id: &str| json!({"requirement": id, "rating": "green", "basis": "Opfyldt"});
    publish_evaluation_with(&app, "os2mo", rate, "Runden").await;
    let os2mo = app.store().product_by_slug("os2mo").await.unwrap();
    assert_eq!(os2mo.official_level.as_deref(), Some("1"));
    let s = secretariat(&app).await;
    let today = app.store().now().date_naive();

    let rounds = html(&s.get("/runder").await).to_owned();
    assert!(rounds.contains("<a class=\"button\" href=\"/runder/ny\">Ny evalueringsrunde</a>"));
    let form = html(&s.get("/runder/ny").await).to_owned();
    let next = niveau_app::rounds::suggest_next(today, &[]);
    assert!(next.name.starts_with("Forår ") || next.name.starts_with("Efterår "));
    assert!(form.contains(&format!("value=\"{}\"", next.name)), "{form}");
    assert!(form.contains(&format!(
        "name=\"opens_on\" type=\"date\" required value=\"{}\"",
        next.opens_on
    )));
    assert!(form.contains(&format!(
        "name=\"evaluation_deadline\" type=\"date\" required value=\"{}\"",
        next.evaluation_deadline
    )));
    // OS2mo (level 1) is ticked, the product without a level is not.
    assert!(form.contains(&format!(
        "id=\"produkt-{}\" name=\"product_ids\" value=\"{}\" checked>",
        os2mo.id, os2mo.id
    )));
    assert!(form.contains(&format!(
        "id=\"produkt-{sandbox}\" name=\"product_ids\" value=\"{sandbox}\">"
    )));

    // Deadlines in the wrong order: at the field, the rest kept.
    let os2mo_id = os2mo.id.to_string();
    let refused = s
        .post(
            "/runder/ny",
            &[
                ("name", "Efterår 2030"),
                ("opens_on", "2030-09-01"),
                ("self_evaluation_deadline", "2030-10-01"),
                ("evaluation_deadline", "2030-09-15"),
                ("product_ids", &os2mo_id),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains("id=\"fejl-evaluation_deadline\""), "{body}");
    assert!(body.contains("value=\"Efterår 2030\""));
    assert!(!body.contains(&format!("value=\"{sandbox}\" checked")));

    let opened = (today - chrono::Days::new(20)).to_string();
    let self_due = (today + chrono::Days::new(10)).to_string();
    let due = (today + chrono::Days::new(40)).to_string();
    let created = s
        .post(
            "/runder/ny",
            &[
                ("name", "Efterår 2030"),
                ("opens_on", &opened),
                ("self_evaluation_deadline", &self_due),
                ("evaluation_deadline", &due),
                ("product_ids", &os2mo_id),
            ],
            true,
        )
        .await;
    let at = location(&created).to_owned();
    let id = id_in(&at);
    let page = html(&s.get(&at).await).to_owned();
    assert!(page.contains("<h1>Efterår 2030</h1>"));
    assert!(page.contains("<strong id=\"status\">Åben</strong>"));
    assert!(page.contains("<a href=\"/produkter/os2mo\">OS2mo</a>"));
    assert!(!page.contains("OS2sandkasse"));
    assert!(page.contains(&format!(
        "<a href=\"/runder/{id}/rediger\">Ret eller afslut runden</a>"
    )));

    // A stale edit keeps the typed values and shows the stored round.
    let edit = html(&s.get(&format!("/runder/{id}/rediger")).await).to_owned();
    assert_eq!(version_of(&edit), "1");
    let sandbox_id = sandbox.to_string();
    let saved = s
        .post(
            &format!("/runder/{id}/rediger"),
            &[
                ("version", "1"),
                ("name", "Efterår 2030"),
                ("opens_on", &opened),
                ("self_evaluation_deadline", &self_due),
                ("evaluation_deadline", &due),
                ("product_ids", &os2mo_id),
                ("product_ids", &sandbox_id),
            ],
            true,
        )
        .await;
    assert_eq!(location(&saved), format!("/runder/{id}?besked=gemt"));
    let stale = s
        .post(
            &format!("/runder/{id}/rediger"),
            &[
                ("version", "1"),
                ("name", "Mit navn"),
                ("opens_on", &opened),
                ("self_evaluation_deadline", &self_due),
                ("evaluation_deadline", &due),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains("value=\"Mit navn\""));
    assert!(body.contains("<dd>OS2mo, OS2sandkasse</dd>"), "{body}");
    assert!(!body.contains(&format!("value=\"{sandbox}\" checked")));

    // Closing: the day it was closed is kept; the dates stay.
    let closed = s
        .post(&format!("/runder/{id}/afslut"), &[("version", "2")], true)
        .await;
    assert_eq!(location(&closed), format!("/runder/{id}?besked=afsluttet"));
    let page = html(&s.get(&format!("/runder/{id}?besked=afsluttet")).await).to_owned();
    assert!(page.contains("<strong id=\"status\">Afsluttet</strong>"));
    assert!(page.contains("Runden er afsluttet i dag; dens datoer og produkter står uændret."));
    assert!(
        page.contains(&format!("<time datetime=\"{due}\">")),
        "{page}"
    );
    let stored = app.store().round(id.parse().unwrap()).await.unwrap();
    assert_eq!(stored.round.closed_on, Some(today));
    let again = s
        .post(&format!("/runder/{id}/afslut"), &[("version", "3")], true)
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&again).contains("runden er allerede afsluttet"));

    let en = html(&s.get("/runder/ny?lang=en").await).to_owned();
    assert!(en.contains("<h1>New evaluation round</h1>") && en.contains("Create the round"));
    assert!(!en.contains("Opret runden"));
    // Anonymous visitors go to the login page.
    let anonymous = common::page(&app, "/runder/ny", &[]).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(
        anonymous.headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/log-ind")
    );
}

#[tokio::test]
async fn a_groups_mandate_members_periods_and_meetings() {
    let app = TestApp::new().await;
    let product = create_product(&app, "os2mo", "OS2mo").await;
    let org = create_org(&app, "Aarhus Kommune").await;
    let s = secretariat(&app).await;
    let product = product.to_string();
    let created = s
        .post(
            "/grupper",
            &[
                ("name", "Styregruppen for OS2mo"),
                ("kind", "styregruppe"),
                ("product_id", &product),
                ("mandate_url", "https://os2.eu/os2mo/kommissorium.pdf"),
            ],
            true,
        )
        .await;
    let at = location(&created).to_owned();
    let id = id_in(&at);
    // A member with a period; a period that ends before it begins is refused at the
    // field, with what was typed kept.
    let org = org.to_string();
    let refused = s
        .post(
            &format!("/grupper/{id}/medlemmer"),
            &[
                ("organisation_id", &org),
                ("role", "formand"),
                ("since", "2026-05-01"),
                ("until", "2026-01-01"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused).to_owned();
    assert!(body.contains("id=\"fejl-until\""), "{body}");
    assert!(body.contains("value=\"2026-05-01\""), "{body}");
    let added = s
        .post(
            &format!("/grupper/{id}/medlemmer"),
            &[
                ("organisation_id", &org),
                ("role", "formand"),
                ("since", "2026-01-01"),
            ],
            true,
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", text(&added));
    // A meeting: a date is needed; the minutes' link must be an address.
    let bad = s
        .post(
            &format!("/grupper/{id}/moeder"),
            &[
                ("held_on", ""),
                ("title", "Styregruppemøde i marts"),
                ("minutes_url", "referat.pdf"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&bad).to_owned();
    assert!(body.contains("Skriv mødets dato."), "{body}");
    assert!(body.contains("value=\"Styregruppemøde i marts\""));
    let bad = s
        .post(
            &format!("/grupper/{id}/moeder"),
            &[
                ("held_on", "2026-03-12"),
                ("title", "Styregruppemøde i marts"),
                ("minutes_url", "referat.pdf"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&bad).contains("id=\"fejl-minutes_url\""));
    let ok = s
        .post(
            &format!("/grupper/{id}/moeder"),
            &[
                ("held_on", "2026-03-12"),
                ("title", "Styregruppemøde i marts"),
                ("minutes_url", "https://os2.eu/os2mo/referat-2026-03-12.pdf"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&ok),
        format!("/grupper/{id}?besked=moede-tilfoejet#moeder")
    );
    let page = html(&s.get(&format!("/grupper/{id}")).await).to_owned();
    assert!(page.contains("value=\"https://os2.eu/os2mo/kommissorium.pdf\""));
    assert!(page.contains("<td>2026-01-01 – </td>"), "{page}");
    assert!(page.contains("<td>2026-03-12</td><th scope=\"row\">Styregruppemøde i marts</th><td><a href=\"https://os2.eu/os2mo/referat-2026-03-12.pdf\""), "{page}");
    // The API shows the same, and the meeting can be removed there.
    let group = app
        .get(&format!("/api/v1/groups/{id}"), Some("læser"))
        .await
        .body;
    assert_eq!(
        group["mandate_url"],
        "https://os2.eu/os2mo/kommissorium.pdf"
    );
    assert_eq!(group["members"][0]["since"], "2026-01-01");
    let meeting = group["meetings"][0]["id"].as_i64().unwrap();
    let removed = app
        .delete(
            &format!("/api/v1/group-meetings/{meeting}"),
            Some("sekretariat"),
            1,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{:?}", removed.body);
    let page = html(&s.get(&format!("/grupper/{id}")).await).to_owned();
    assert!(page.contains("Ingen møder registreret."));
}
