#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The board's and the secretariat's pages for meetings, cases and the projects'
//! follow-up, driven through their HTML forms with real sessions and CSRF tokens: a
//! concept at level 2 goes to the board, is sent back (the product returns to idé and
//! the decision is in the log), comes back and is approved with a priority (the product
//! is a project); a refusal keeps what was typed; a board member reads and decides but
//! does not prepare; editors and readers are refused; the follow-up shows a project over
//! budget.

use crate::common;

use axum::http::StatusCode;
use common::{Session, TestApp, html, location, text};
use niveau_store::Actor;
use serde_json::json;

const PASSWORD: &str = "en-lang-adgangskode-til-bestyrelsen";

async fn secretariat(app: &TestApp) -> Session<'_> {
    app.add_password_user("sekretaer", "Sekretariatet", PASSWORD)
        .await;
    app.session("sekretaer", PASSWORD).await
}

/// A session of a new account with `role`.
async fn session_as<'a>(app: &'a TestApp, username: &str, role: &str) -> Session<'a> {
    app.store()
        .create_user(
            &Actor::system("test"),
            niveau_store::accounts::NewUser {
                username: username.into(),
                display_name: username.into(),
                email: None,
                password_hash: Some(niveau_web::auth::password::hash_password(PASSWORD).unwrap()),
                roles: vec![niveau_store::types::Role::parse(role).unwrap()],
                product_ids: vec![],
                oidc: None,
            },
        )
        .await
        .unwrap();
    app.session(username, PASSWORD).await
}

/// A published product placed on level 2, through the API; its id.
async fn product_on_level_2(app: &TestApp, slug: &str, name: &str) -> i64 {
    let a = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": slug, "name": name, "short_description": "x", "published": true,
                   "target_level": "2"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body["id"].as_i64().unwrap()
}

/// The secretariat takes the step to koncept through the process API.
async fn to_concept(app: &TestApp, slug: &str, on: &str) {
    let a = app
        .post(
            &format!("/api/v1/products/{slug}/process/steps"),
            Some("sekretariat"),
            json!({"transition": "koncept", "decided_on": on,
                   "basis": "Konceptet er beskrevet", "decided_by": "sekretariat"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
}

async fn stage(app: &TestApp, slug: &str) -> String {
    let a = app
        .get(
            &format!("/api/v1/products/{slug}/process"),
            Some("sekretariat"),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    a.body["stage"].as_str().unwrap().to_owned()
}

/// The id in `/…/{id}?besked=…`.
fn id_in(location: &str) -> String {
    location
        .split(['?', '#'])
        .next()
        .unwrap()
        .rsplit('/')
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

/// The option values of the select `id`.
fn options_in(body: &str, id: &str) -> Vec<String> {
    let start = body
        .find(&format!("<select id=\"{id}\""))
        .unwrap_or_else(|| panic!("no select {id}"));
    let end = start + body[start..].find("</select>").unwrap();
    body[start..end]
        .split("<option value=\"")
        .skip(1)
        .map(|o| o.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_concept_goes_through_the_board_sent_back_once_then_approved() {
    let app = TestApp::new().await;
    let pid = product_on_level_2(&app, "os2ide", "OS2idé")
        .await
        .to_string();
    to_concept(&app, "os2ide", "2026-02-01").await;
    let s = secretariat(&app).await;

    let overview = html(&s.get("/bestyrelse").await).to_owned();
    assert!(overview.contains("<h1>Bestyrelsen</h1>"), "{overview}");
    assert!(overview.contains("<a href=\"/bestyrelse\" aria-current=\"page\">Bestyrelsen</a>"));
    assert!(overview.contains("<a href=\"/fremdrift\">Fremdrift</a>"));
    assert!(overview.contains("Der er ingen kommende møder."));

    // A meeting without a title: refused at the field, the date and agenda kept.
    let refused = s
        .post(
            "/bestyrelse/moeder",
            &[
                ("held_on", "2026-04-01"),
                ("title", " "),
                ("agenda", "1. Referat"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains("id=\"fejl-title\""), "{body}");
    assert!(body.contains("value=\"2026-04-01\""));
    assert!(body.contains(">1. Referat</textarea>"));
    // Without the CSRF token nothing is created.
    let forged = s
        .post(
            "/bestyrelse/moeder",
            &[("held_on", "2026-04-01"), ("title", "Falsk")],
            false,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let planned = s
        .post(
            "/bestyrelse/moeder",
            &[
                ("held_on", "2026-04-01"),
                ("title", "Bestyrelsesmøde april"),
                (
                    "agenda",
                    "1. Referat\n2. **Sager** <script>alert(1)</script>",
                ),
            ],
            true,
        )
        .await;
    let at = location(&planned).to_owned();
    assert!(at.ends_with("?besked=oprettet"), "{at}");
    let meeting = id_in(&at);
    let page = html(&s.get(&at).await).to_owned();
    assert!(page.contains("<h1>Bestyrelsesmøde april</h1>"), "{page}");
    assert!(page.contains("<strong>Sager</strong>"));
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("Der er ingen sager på mødet endnu."));

    // Another page links to the case form with the product and kind filled in.
    let prefilled = html(
        &s.get(&format!(
            "/bestyrelse?produkt=os2ide&art=koncept&moede={meeting}"
        ))
        .await,
    )
    .to_owned();
    assert_eq!(selected_in(&prefilled, "product_id"), pid);
    assert_eq!(selected_in(&prefilled, "kind"), "koncept");
    assert_eq!(selected_in(&prefilled, "meeting_id"), meeting);

    // A case without a presentation: refused at the field, the rest kept.
    let refused = s
        .post(
            "/bestyrelse/sager",
            &[
                ("product_id", &pid),
                ("kind", "koncept"),
                ("meeting_id", &meeting),
                ("title", "Godkendelse af OS2idé"),
                ("presentation", ""),
                ("material", "https://example.org/koncept.pdf"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains("id=\"fejl-presentation\""), "{body}");
    assert_eq!(selected_in(body, "kind"), "koncept");
    assert_eq!(selected_in(body, "meeting_id"), meeting);
    assert!(body.contains("value=\"Godkendelse af OS2idé\""));
    assert!(body.contains(">https://example.org/koncept.pdf</textarea>"));

    let case_fields = |title: &'static str| {
        vec![
            ("product_id", pid.clone()),
            ("kind", "koncept".to_owned()),
            ("meeting_id", meeting.clone()),
            ("title", title.to_owned()),
            (
                "presentation",
                "Konceptet er **klar** <script>alert(2)</script>".to_owned(),
            ),
            (
                "material",
                "https://example.org/koncept.pdf\n\n/produkter/os2ide".to_owned(),
            ),
        ]
    };
    let fields = case_fields("Godkendelse af OS2idé");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let prepared = s.post("/bestyrelse/sager", &pairs, true).await;
    let at = location(&prepared).to_owned();
    assert!(at.starts_with("/bestyrelse/sager/") && at.ends_with("?besked=oprettet"));
    let first = id_in(&at);
    let page = html(&s.get(&at).await).to_owned();
    assert!(page.contains("<h1>Godkendelse af OS2idé</h1>"));
    assert!(page.contains("<dd>Godkendelse af koncept</dd>"));
    assert!(page.contains("<a href=\"/produkter/os2ide\">OS2idé</a> (Koncept, Niveau 2)"));
    assert!(page.contains("Konceptet er <strong>klar</strong>"));
    assert!(!page.contains("<script>alert"));
    assert!(page.contains(
        "<a href=\"https://example.org/koncept.pdf\" rel=\"noopener noreferrer\">https://example.org/koncept.pdf</a>"
    ));
    assert!(page.contains("<a href=\"/produkter/os2ide\" rel=\"noopener noreferrer\">"));
    assert!(page.contains("Produktet står nu i stadiet <strong>Koncept</strong> (Niveau 2)."));
    assert_eq!(
        options_in(&page, &format!("outcome-{first}")),
        ["", "godkendt", "tilbageløb", "afvist"]
    );

    // On the meeting page: the case with its decision form. Tilbageløb without reasons
    // is refused there, at the field, with the choice kept.
    let page = html(&s.get(&format!("/bestyrelse/moeder/{meeting}")).await).to_owned();
    assert!(page.contains(&format!(
        "<h3 id=\"sag-{first}\"><a href=\"/bestyrelse/sager/{first}\">Godkendelse af OS2idé</a></h3>"
    )));
    assert!(page.contains(&format!("action=\"/bestyrelse/sager/{first}/afgoer\"")));
    let version = "1";
    let refused = s
        .post(
            &format!("/bestyrelse/sager/{first}/afgoer"),
            &[
                ("fra", "moede"),
                ("version", version),
                ("outcome", "tilbageløb"),
                ("decided_on", "2026-04-01"),
                ("reasons", "For kort"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(body.contains("<h1>Bestyrelsesmøde april</h1>"), "{body}");
    assert!(body.contains(
        "id=\"fejl-reasons\">bestyrelsens begrundelse skal skrives ved tilbageløb (mindst 20 tegn)"
    ));
    assert_eq!(selected_in(body, &format!("outcome-{first}")), "tilbageløb");
    assert!(body.contains(">For kort</textarea>"));
    assert_eq!(stage(&app, "os2ide").await, "koncept");

    let reasons = "Økonomien er ikke beskrevet; konceptet skal igennem idéprocessen igen";
    let decided = s
        .post(
            &format!("/bestyrelse/sager/{first}/afgoer"),
            &[
                ("fra", "moede"),
                ("version", version),
                ("outcome", "tilbageløb"),
                ("decided_on", "2026-04-01"),
                ("reasons", reasons),
                ("reference", "Referat april"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&decided),
        format!("/bestyrelse/moeder/{meeting}?besked=afgjort#sag-{first}")
    );
    assert_eq!(stage(&app, "os2ide").await, "idé");
    let page = html(&s.get(&format!("/bestyrelse/moeder/{meeting}")).await).to_owned();
    assert!(
        page.contains("Bestyrelsens afgørelse</strong>")
            || page.contains("Bestyrelsens afgørelse:")
    );
    assert!(page.contains("<strong>Bestyrelsens afgørelse: Tilbageløb</strong> · <time datetime=\"2026-04-01\">2026-04-01</time>"), "{page}");
    assert!(page.contains(reasons));
    assert!(page.contains("<a href=\"/beslutninger?product=os2ide&#38;year=2026\">Se afgørelsen i beslutningsloggen</a>"), "{page}");
    assert!(!page.contains(&format!("action=\"/bestyrelse/sager/{first}/afgoer\"")));
    let log = html(&s.get("/beslutninger?product=os2ide&year=2026").await).to_owned();
    assert!(log.contains(&format!(
        "Bestyrelsens afgørelse i sag {first}: Godkendelse af OS2idé. {reasons}"
    )));
    assert!(log.contains("Referat april"));

    // A second decision on the decided case (a stale tab): refused as such, what was
    // typed kept.
    let twice = s
        .post(
            &format!("/bestyrelse/sager/{first}/afgoer"),
            &[
                ("version", version),
                ("outcome", "godkendt"),
                ("decided_on", "2026-04-02"),
                ("priority", "3"),
                ("reasons", "Godkendt alligevel efter en ny drøftelse"),
            ],
            true,
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let body = text(&twice);
    assert!(body.contains(&format!(
        "bestyrelsen har allerede truffet afgørelse i sag {first} (tilbageløb 2026-04-01); en afgørelse registreres kun én gang"
    )), "{body}");
    assert!(body.contains(">Godkendt alligevel efter en ny drøftelse</textarea>"));
    assert!(body.contains("value=\"2026-04-02\""));
    assert!(body.contains("value=\"3\""));
    assert_eq!(selected_in(body, &format!("outcome-{first}")), "godkendt");
    assert_eq!(stage(&app, "os2ide").await, "idé");

    // A concept case for a product back at idé cannot be approved: the process refuses.
    let fields = case_fields("Godkendelse af OS2idé, anden gang");
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let second = id_in(location(&s.post("/bestyrelse/sager", &pairs, true).await));
    let early = s
        .post(
            &format!("/bestyrelse/sager/{second}/afgoer"),
            &[
                ("version", "1"),
                ("outcome", "godkendt"),
                ("decided_on", "2026-05-01"),
                ("priority", "1"),
            ],
            true,
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    let body = text(&early);
    assert!(
        body.contains("tages fra stadiet koncept; produktet er i stadiet idé"),
        "{body}"
    );
    assert!(body.contains("value=\"2026-05-01\""));
    assert_eq!(stage(&app, "os2ide").await, "idé");

    // The concept comes back; approved with priority 1 on the case page.
    to_concept(&app, "os2ide", "2026-04-20").await;
    let approved = s
        .post(
            &format!("/bestyrelse/sager/{second}/afgoer"),
            &[
                ("version", "1"),
                ("outcome", "godkendt"),
                ("decided_on", "2026-05-01"),
                ("priority", "1"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&approved),
        format!("/bestyrelse/sager/{second}?besked=afgjort")
    );
    assert_eq!(stage(&app, "os2ide").await, "projekt");
    let page = html(
        &s.get(&format!("/bestyrelse/sager/{second}?besked=afgjort"))
            .await,
    )
    .to_owned();
    assert!(page.contains("Bestyrelsens afgørelse er registreret og skrevet i beslutningsloggen."));
    assert!(page.contains("<strong>Bestyrelsens afgørelse: Godkendt</strong>"));
    assert!(page.contains("<dt>Prioritet</dt><dd>1</dd>"));
    assert!(page.contains("Produktet står nu i stadiet <strong>Projekt</strong> (Niveau 2); bestyrelsen har godkendt konceptet."));
    // Decided: neither the decision form nor the case form.
    assert!(!page.contains("afgoer\""));
    assert!(!page.contains("Ret sagen"));
    let edit = s
        .post(
            &format!("/bestyrelse/sager/{second}"),
            &[
                ("version", "2"),
                ("kind", "koncept"),
                ("title", "Ny titel"),
                ("presentation", "x"),
            ],
            true,
        )
        .await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
    assert!(
        text(&edit).contains("en afgørelse registreres kun én gang"),
        "{}",
        text(&edit)
    );

    // In English, with nothing Danish of the page's own.
    let en = html(
        &s.get(&format!("/bestyrelse/moeder/{meeting}?lang=en"))
            .await,
    )
    .to_owned();
    assert!(en.contains("<h2 id=\"dagsorden\">Agenda</h2>"));
    assert!(
        en.contains("<strong>The board&#39;s decision: Sent back</strong>")
            || en.contains("<strong>The board's decision: Sent back</strong>"),
        "{en}"
    );
    assert!(en.contains(">Approval of a concept</dd>"));
    assert!(!en.contains("Tilbageløb") && !en.contains("Dagsorden<"));
}

#[tokio::test]
async fn the_meeting_and_the_case_keep_what_was_typed_on_a_conflict() {
    let app = TestApp::new().await;
    let pid = product_on_level_2(&app, "os2ide", "OS2idé")
        .await
        .to_string();
    let s = secretariat(&app).await;
    let meeting = id_in(location(
        &s.post(
            "/bestyrelse/moeder",
            &[("held_on", "2026-06-01"), ("title", "Junimødet")],
            true,
        )
        .await,
    ));
    let saved = s
        .post(
            &format!("/bestyrelse/moeder/{meeting}"),
            &[
                ("version", "1"),
                ("held_on", "2026-06-02"),
                ("title", "Junimødet, flyttet"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&saved),
        format!("/bestyrelse/moeder/{meeting}?besked=gemt")
    );
    let stale = s
        .post(
            &format!("/bestyrelse/moeder/{meeting}"),
            &[
                ("version", "1"),
                ("held_on", "2026-06-03"),
                ("title", "Min titel"),
                ("agenda", "Mit punkt"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains("Mødet er ændret af en anden, siden du hentede siden."));
    assert!(body.contains("id=\"gemt-udgave\""));
    assert!(body.contains("<dd>Junimødet, flyttet</dd>"));
    assert!(body.contains("value=\"Min titel\""));
    assert!(body.contains(">Mit punkt</textarea>"));
    assert!(body.contains("name=\"version\" value=\"2\""));

    let case = id_in(location(
        &s.post(
            "/bestyrelse/sager",
            &[
                ("product_id", &pid),
                ("kind", "orientering"),
                ("title", "Orientering om OS2idé"),
                ("presentation", "Til orientering"),
            ],
            true,
        )
        .await,
    ));
    let overview = html(&s.get("/bestyrelse").await).to_owned();
    assert!(overview.contains(&format!(
        "<a href=\"/bestyrelse/sager/{case}\">Orientering om OS2idé</a></th><td>Orientering</td>"
    )));
    let moved = s
        .post(
            &format!("/bestyrelse/sager/{case}"),
            &[
                ("version", "1"),
                ("kind", "orientering"),
                ("meeting_id", &meeting),
                ("title", "Orientering om OS2idé"),
                ("presentation", "Til orientering"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&moved),
        format!("/bestyrelse/sager/{case}?besked=gemt")
    );
    let stale = s
        .post(
            &format!("/bestyrelse/sager/{case}"),
            &[
                ("version", "1"),
                ("kind", "orientering"),
                ("title", "Min sag"),
                ("presentation", "Mit oplæg"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains("Sagen er ændret af en anden, siden du hentede siden."));
    assert!(body.contains("value=\"Min sag\""));
    assert!(body.contains(">Mit oplæg</textarea>"));
    // A steering-group case needs a group of the product: refused at the field.
    let no_group = s
        .post(
            "/bestyrelse/sager",
            &[
                ("product_id", &pid),
                ("kind", "styregruppe"),
                ("title", "Styregruppen"),
                ("presentation", "Godkend styregruppen"),
            ],
            true,
        )
        .await;
    assert_eq!(no_group.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&no_group).contains(
        "id=\"fejl-group_id\">en sag om godkendelse af en styregruppe skal nævne gruppen"
    ));
}

#[tokio::test]
async fn a_board_member_reads_and_decides_but_does_not_prepare() {
    let app = TestApp::new().await;
    let pid = product_on_level_2(&app, "os2ide", "OS2idé")
        .await
        .to_string();
    let s = secretariat(&app).await;
    let meeting = id_in(location(
        &s.post(
            "/bestyrelse/moeder",
            &[("held_on", "2026-06-01"), ("title", "Junimødet")],
            true,
        )
        .await,
    ));
    let case = id_in(location(
        &s.post(
            "/bestyrelse/sager",
            &[
                ("product_id", &pid),
                ("kind", "orientering"),
                ("meeting_id", &meeting),
                ("title", "Orientering om OS2idé"),
                ("presentation", "Til orientering"),
            ],
            true,
        )
        .await,
    ));

    let board = session_as(&app, "bestyrelsesmedlem", "bestyrelse").await;
    let overview = html(&board.get("/bestyrelse").await).to_owned();
    assert!(overview.contains("<a href=\"/bestyrelse\" aria-current=\"page\">Bestyrelsen</a>"));
    assert!(overview.contains("Junimødet"));
    assert!(!overview.contains("action=\"/bestyrelse/sager\""));
    assert!(!overview.contains("action=\"/bestyrelse/moeder\""));
    let page = html(&board.get(&format!("/bestyrelse/moeder/{meeting}")).await).to_owned();
    assert!(page.contains(&format!("action=\"/bestyrelse/sager/{case}/afgoer\"")));
    assert!(!page.contains("Ret mødet"));
    assert_eq!(
        options_in(&page, &format!("outcome-{case}")),
        ["taget til efterretning"]
    );
    let case_page = html(&board.get(&format!("/bestyrelse/sager/{case}")).await).to_owned();
    assert!(!case_page.contains("Ret sagen"));
    html(&board.get("/fremdrift").await);
    for (path, fields) in [
        (
            "/bestyrelse/moeder".to_owned(),
            vec![("held_on", "2026-07-01"), ("title", "Mit møde")],
        ),
        (
            "/bestyrelse/sager".to_owned(),
            vec![
                ("product_id", pid.as_str()),
                ("kind", "orientering"),
                ("title", "x"),
                ("presentation", "x"),
            ],
        ),
        (
            format!("/bestyrelse/moeder/{meeting}"),
            vec![("version", "1"), ("held_on", "2026-07-01"), ("title", "x")],
        ),
        (
            format!("/bestyrelse/sager/{case}"),
            vec![
                ("version", "1"),
                ("kind", "orientering"),
                ("title", "x"),
                ("presentation", "x"),
            ],
        ),
    ] {
        let refused = board.post(&path, &fields, true).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
    }
    let noted = board
        .post(
            &format!("/bestyrelse/sager/{case}/afgoer"),
            &[
                ("fra", "moede"),
                ("version", "1"),
                ("outcome", "taget til efterretning"),
                ("decided_on", "2026-06-01"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&noted),
        format!("/bestyrelse/moeder/{meeting}?besked=afgjort#sag-{case}")
    );
    let page = html(&board.get(&format!("/bestyrelse/moeder/{meeting}")).await).to_owned();
    assert!(page.contains("<strong>Bestyrelsens afgørelse: Taget til efterretning</strong>"));

    // Editors and readers see neither the board's pages nor the menu entries.
    for role in ["produktredaktør", "læser"] {
        let other = session_as(&app, &format!("bruger-{role}"), role).await;
        for path in [
            "/bestyrelse".to_owned(),
            format!("/bestyrelse/moeder/{meeting}"),
            format!("/bestyrelse/sager/{case}"),
            "/fremdrift".to_owned(),
        ] {
            assert_eq!(
                other.get(&path).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        let refused = other
            .post(
                &format!("/bestyrelse/sager/{case}/afgoer"),
                &[
                    ("version", "2"),
                    ("outcome", "godkendt"),
                    ("decided_on", "2026-06-01"),
                ],
                true,
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{role}");
        let home = html(&other.get("/").await).to_owned();
        assert!(!home.contains("href=\"/bestyrelse\"") && !home.contains("href=\"/fremdrift\""));
    }
    // Anonymous visitors are sent to log in.
    let anonymous = app.get("/bestyrelse", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_follow_up_shows_a_project_over_budget_and_late_ones() {
    let app = TestApp::new().await;
    let ide = product_on_level_2(&app, "os2ide", "OS2idé").await;
    let stille = product_on_level_2(&app, "os2stille", "OS2stille").await;
    let s = secretariat(&app).await;
    for (slug, pid) in [("os2ide", ide), ("os2stille", stille)] {
        to_concept(&app, slug, "2026-01-10").await;
        // At level 2 the board approves the concept, which starts the project.
        let case = app
            .post(
                "/api/v1/board/cases",
                Some("sekretariat"),
                json!({"product_id": pid, "kind": "koncept", "title": "Koncept",
                       "presentation": "Konceptet"}),
            )
            .await;
        assert_eq!(case.status, StatusCode::CREATED, "{:?}", case.body);
        let id = case.body["id"].as_i64().unwrap();
        let decided = app
            .post(
                &format!("/api/v1/board/cases/{id}/decision"),
                Some("bestyrelse"),
                json!({"outcome": "godkendt", "decided_on": "2026-01-20", "priority": 1,
                       "version": 1}),
            )
            .await;
        assert_eq!(decided.status, StatusCode::OK, "{:?}", decided.body);
        assert_eq!(stage(&app, slug).await, "projekt");
    }
    let today = app.store().now().date_naive();
    let from = (today - chrono::Duration::days(100)).to_string();
    let to = (today - chrono::Duration::days(10)).to_string();
    let report = app
        .post(
            "/api/v1/products/os2ide/progress",
            Some("sekretariat"),
            json!({"period_from": from, "period_to": to, "status": "kritisk",
                   "budget": 1_000_000, "spent": 800_000, "expected_total": 1_250_000,
                   "progress": "Integrationen er forsinket"}),
        )
        .await;
    assert_eq!(report.status, StatusCode::CREATED, "{:?}", report.body);

    let page = html(&s.get("/fremdrift").await).to_owned();
    assert!(page.contains("<h1>Fremdrift og økonomi</h1>"));
    assert!(page.contains("<a href=\"/fremdrift\" aria-current=\"page\">Fremdrift</a>"));
    assert!(page.contains("2 projekter kræver opmærksomhed."), "{page}");
    let row = page
        .split("<tr id=\"projekt-os2ide\">")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        row.contains(&format!("<td>{from} – {to}</td><td>Kritisk</td>")),
        "{row}"
    );
    assert!(row.contains("<td class=\"num\">1.000.000 kr.</td><td class=\"num\">800.000 kr.</td>"));
    assert!(
        row.contains("<strong class=\"gap\">1.250.000 kr.<br>over budget med 250.000 kr.</strong>")
    );
    assert!(row.contains("<td class=\"num\">10</td>"), "{row}");
    assert!(row.contains(
        "<a href=\"/bestyrelse?produkt=os2ide&#38;art=genovervejelse#ny-sag\">Forelæg for bestyrelsen"
    ));
    let silent = page
        .split("<tr id=\"projekt-os2stille\">")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(silent.contains("<td>ingen rapport</td>"), "{silent}");
    assert!(silent.contains("<strong class=\"gap\">ingen rapport<br>for sent</strong>"));

    // The link fills in the case form for a reconsideration.
    let form = html(&s.get("/bestyrelse?produkt=os2ide&art=genovervejelse").await).to_owned();
    assert_eq!(selected_in(&form, "kind"), "genovervejelse");

    let en = html(&s.get("/fremdrift?lang=en").await).to_owned();
    assert!(en.contains("<h1>Progress and economy</h1>"));
    assert!(en.contains("DKK 1,250,000<br>over budget by DKK 250,000"));
    assert!(en.contains("Present to the board"));
    assert!(!en.contains("Forelæg") && !en.contains("kr."));
}

/// The annual report draft (#16): the board reads this year's figures on the page and
/// downloads the editable Markdown and the PDF; an unknown file is not found.
#[tokio::test]
async fn the_board_reads_and_downloads_the_annual_report_draft() {
    let app = TestApp::new().await;
    product_on_level_2(&app, "os2mo", "OS2mo").await;
    let year = chrono::Datelike::year(&app.store().now());
    let board = session_as(&app, "bestyrelsesmedlem", "bestyrelse").await;
    let page = board.get(&format!("/bestyrelse/aarsrapport/{year}")).await;
    let body = html(&page);
    assert!(body.contains(&format!("Bestyrelsens beretning {} (udkast)", year + 1)));
    assert!(body.contains(&format!("href=\"/bestyrelse/aarsrapport/{year}.pdf\"")));
    assert!(
        body.contains("BESTYRELSEN SKRIVER"),
        "the placeholders are marked"
    );
    assert!(body.contains("role=\"img\""), "the products chart");
    let md = board
        .get(&format!("/bestyrelse/aarsrapport/{year}.md"))
        .await;
    assert_eq!(md.status, StatusCode::OK);
    let md = text(&md);
    assert!(
        md.starts_with(&format!("# Bestyrelsens beretning {}\n", year + 1)),
        "{md}"
    );
    assert!(md.contains("| idé | 0 | 1 | +1 |"), "{md}");
    let pdf = board
        .get(&format!("/bestyrelse/aarsrapport/{year}.pdf"))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(
        pdf.headers[axum::http::header::CONTENT_TYPE],
        "application/pdf"
    );
    assert!(text(&pdf).starts_with("%PDF-"));
    let en = board
        .get(&format!("/bestyrelse/aarsrapport/{year}.md?lang=en"))
        .await;
    assert!(text(&en).starts_with(&format!("# The board's annual report {}", year + 1)));
    assert_eq!(
        board.get("/bestyrelse/aarsrapport/x.exe").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        location(&board.get("/bestyrelse/aarsrapport").await),
        format!("/bestyrelse/aarsrapport/{}", year - 1)
    );
}
