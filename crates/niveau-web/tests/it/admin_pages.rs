#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The administration pages (users and roles, organisations, models), the public
//! organisation index and the portfolio's theme-gap filter, driven through their HTML
//! forms with a real session and CSRF token.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{
    Answer, TestApp, csrf_in, form_value, html, location, page, publish_evaluation_with, text,
};
use niveau_store::Actor;
use niveau_store::accounts::NewUser;
use niveau_store::types::Role;
use serde_json::json;

/// GET a page with the session cookie.
async fn get(app: &TestApp, path: &str, cookie: &str) -> String {
    html(&page(app, path, &[(header::COOKIE, cookie)]).await).to_owned()
}

/// POST a form.
async fn form(app: &TestApp, path: &str, body: &str, cookie: &str) -> Answer {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie);
    app.send(req.body(Body::from(body.to_owned())).unwrap())
        .await
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

/// Log in with the login form; the session cookie.
async fn login(app: &TestApp, username: &str, password: &str) -> Answer {
    let req = Request::post("/log-ind")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "username={}&password={}",
            form_value(username),
            form_value(password)
        )))
        .unwrap();
    app.send(req).await
}

async fn session(app: &TestApp, username: &str, password: &str) -> String {
    let ok = login(app, username, password).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{:?}", ok.body);
    ok.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// An admin account that logs in with a password.
async fn add_admin(app: &TestApp, username: &str, password: &str) -> i32 {
    app.store()
        .create_user(
            &Actor::system("test"),
            NewUser {
                username: username.into(),
                display_name: "Administratoren".into(),
                email: None,
                password_hash: Some(niveau_web::auth::password::hash_password(password).unwrap()),
                roles: vec![Role::Admin],
                product_ids: vec![],
                oidc: None,
            },
        )
        .await
        .unwrap()
        .id
}

/// The `Location` of a redirect.
/// The id in `/admin/…/{id}?besked=…`.
fn id_in(location: &str) -> i32 {
    location
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The table row that holds `needle`.
fn row_of<'a>(body: &'a str, needle: &str) -> &'a str {
    let at = body
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {body}"));
    let start = body[..at].rfind("<tr").unwrap();
    let end = at + body[at..].find("</tr>").unwrap();
    &body[start..end]
}

async fn create_product(app: &TestApp, slug: &str, name: &str, published: bool) -> i64 {
    let a = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": slug, "name": name, "short_description": "x", "published": published}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body["id"].as_i64().unwrap()
}

async fn create_org(app: &TestApp, name: &str, kind: &str) -> i64 {
    let a = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": name, "kind": kind}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    a.body["id"].as_i64().unwrap()
}

async fn take_part(app: &TestApp, slug: &str, org: i64, role: &str) {
    let a = app
        .post(
            &format!("/api/v1/products/{slug}/participants"),
            Some("sekretariat"),
            json!({"organisation_id": org, "role": role}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
}

#[tokio::test]
async fn an_admin_manages_users_through_the_forms() {
    let app = TestApp::new().await;
    let admin = add_admin(&app, "chef", "korrekt-hest-batteri").await;
    let mo = create_product(&app, "os2mo", "OS2mo", true).await;
    let cookie = session(&app, "chef", "korrekt-hest-batteri").await;

    let overview = get(&app, "/admin", &cookie).await;
    assert!(overview.contains("<h1>Administration</h1>"), "{overview}");
    for href in ["/admin/brugere", "/admin/organisationer", "/admin/modeller"] {
        assert!(overview.contains(&format!("<a href=\"{href}\">")), "{href}");
    }
    assert!(overview.contains("<a href=\"/admin\" aria-current=\"page\">Administration</a>"));

    let list = get(&app, "/admin/brugere", &cookie).await;
    let csrf = csrf_in(&list);
    assert!(
        list.contains(&format!("<option value=\"{mo}\">OS2mo</option>")),
        "{list}"
    );
    assert!(
        list.contains("<a href=\"/admin/brugere/"),
        "the test accounts are listed"
    );

    // A password under the API's twelve characters: refused, nothing stored, input kept.
    let short = form(
        &app,
        "/admin/brugere",
        &format!("csrf_token={csrf}&username=rita&display_name=Rita+Redakt%C3%B8r&roles=produktredakt%C3%B8r&product_ids={mo}&password=kort"),
        &cookie,
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&short);
    assert!(
        body.contains("role=\"alert\" id=\"fejl\">Adgangskoden skal være mindst 12 tegn.</p>"),
        "{body}"
    );
    assert!(body.contains("value=\"rita\"") && body.contains("value=\"Rita Redaktør\""));
    assert!(body.contains(&format!("<option value=\"{mo}\" selected>OS2mo</option>")));
    assert!(
        !body.contains("value=\"kort\""),
        "a password is never echoed"
    );
    assert!(
        app.store()
            .user_by_username("rita")
            .await
            .unwrap()
            .is_none()
    );

    // Without the CSRF token nothing is created.
    let forged = form(
        &app,
        "/admin/brugere",
        "username=rita&display_name=Rita&roles=l%C3%A6ser&password=korrekt-hest-batteri",
        &cookie,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(
        app.store()
            .user_by_username("rita")
            .await
            .unwrap()
            .is_none()
    );

    // Created: to the user's page, listed with roles and products, and able to log in.
    let created = form(
        &app,
        "/admin/brugere",
        &format!("csrf_token={csrf}&username=rita&display_name=Rita+Redakt%C3%B8r&email=rita%40example.org&roles=produktredakt%C3%B8r&product_ids={mo}&password=rita-har-et-langt-kodeord"),
        &cookie,
    )
    .await;
    let to = location(&created).to_owned();
    assert!(to.ends_with("?besked=oprettet"), "{to}");
    let rita = id_in(&to);
    let stored = app.store().user(rita).await.unwrap();
    assert_eq!(stored.username, "rita");
    assert_eq!(stored.display_name, "Rita Redaktør");
    assert_eq!(stored.email.as_deref(), Some("rita@example.org"));
    assert_eq!(stored.roles.0, vec![Role::Produktredaktor]);
    assert_eq!(stored.product_ids.0, vec![mo as i32]);
    assert!(
        get(&app, &to, &cookie)
            .await
            .contains("role=\"status\">Oprettet.</p>")
    );
    let list = get(&app, "/admin/brugere", &cookie).await;
    let row = row_of(
        &list,
        &format!("<a href=\"/admin/brugere/{rita}\">rita</a>"),
    );
    assert!(
        row.contains("<td>Rita Redaktør</td>")
            && row.contains("<td>Produktredaktør</td>")
            && row.contains("<td>OS2mo</td>")
            && row.contains("aktiv"),
        "{row}"
    );
    assert!(
        row.contains("<td class=\"hide-small\">–</td>"),
        "never logged in: {row}"
    );
    session(&app, "rita", "rita-har-et-langt-kodeord").await;
    let row = row_of(
        &get(&app, "/admin/brugere", &cookie).await,
        &format!("/admin/brugere/{rita}\">"),
    )
    .to_owned();
    assert!(row.contains(" UTC</td>"), "the last login is shown: {row}");

    // The same name again is refused by the store's rule.
    let again = form(
        &app,
        "/admin/brugere",
        &format!("csrf_token={csrf}&username=rita&display_name=Rita+2&roles=l%C3%A6ser&password=korrekt-hest-batteri"),
        &cookie,
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&again).contains("Brugernavn: rita er allerede i brug"),
        "{}",
        text(&again)
    );

    // Edit: roles and products, based on the version the form showed.
    let edit = get(&app, &format!("/admin/brugere/{rita}"), &cookie).await;
    assert_eq!(version_of(&edit), "1");
    assert!(edit.contains("<input type=\"checkbox\" id=\"role-4\" name=\"roles\" value=\"produktredaktør\" checked>"), "{edit}");
    let saved = form(
        &app,
        &format!("/admin/brugere/{rita}"),
        &format!("csrf_token={csrf}&version=1&display_name=Rita+R.&email=&roles=l%C3%A6ser"),
        &cookie,
    )
    .await;
    assert_eq!(
        location(&saved),
        format!("/admin/brugere/{rita}?besked=gemt")
    );
    let stored = app.store().user(rita).await.unwrap();
    assert_eq!(stored.roles.0, vec![Role::Laeser]);
    assert!(stored.product_ids.0.is_empty());
    assert_eq!(
        (stored.display_name.as_str(), stored.version),
        ("Rita R.", 2)
    );

    // A second edit based on the old version: the conflict is said, nothing is saved,
    // the input stays in the form and the stored version is shown.
    let stale = form(
        &app,
        &format!("/admin/brugere/{rita}"),
        &format!("csrf_token={csrf}&version=1&display_name=Rita+Gammel&roles=bestyrelse"),
        &cookie,
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(
        body.contains("Brugeren er ændret af en anden, siden du hentede siden. Intet er gemt."),
        "{body}"
    );
    assert!(body.contains("value=\"Rita Gammel\""), "the input is kept");
    assert!(
        body.contains("value=\"bestyrelse\" checked>"),
        "the chosen role is kept"
    );
    let stored_block = body.split("id=\"gemt-udgave\"").nth(1).unwrap();
    assert!(stored_block.contains("<dd>Rita R.</dd>") && stored_block.contains("<dd>Læser</dd>"));
    assert_eq!(
        version_of(body),
        "2",
        "saving again replaces the stored version"
    );
    let stored = app.store().user(rita).await.unwrap();
    assert_eq!(
        (stored.display_name.as_str(), stored.version),
        ("Rita R.", 2)
    );

    // Disable: the user can no longer log in; enable again.
    let off = form(
        &app,
        &format!("/admin/brugere/{rita}/status"),
        &format!("csrf_token={csrf}&version=2&disabled=true"),
        &cookie,
    )
    .await;
    assert_eq!(location(&off), "/admin/brugere?besked=deaktiveret");
    assert!(app.store().user(rita).await.unwrap().disabled);
    assert_eq!(
        login(&app, "rita", "rita-har-et-langt-kodeord")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let list = get(&app, "/admin/brugere?besked=deaktiveret", &cookie).await;
    assert!(list.contains("role=\"status\">Brugeren er deaktiveret og logget ud.</p>"));
    assert!(row_of(&list, &format!("/admin/brugere/{rita}\">")).contains("deaktiveret"));
    let stale_on = form(
        &app,
        &format!("/admin/brugere/{rita}/status"),
        &format!("csrf_token={csrf}&version=2&disabled=false"),
        &cookie,
    )
    .await;
    assert_eq!(stale_on.status, StatusCode::CONFLICT);
    assert!(app.store().user(rita).await.unwrap().disabled);
    let on = form(
        &app,
        &format!("/admin/brugere/{rita}/status"),
        &format!("csrf_token={csrf}&version=3&disabled=false"),
        &cookie,
    )
    .await;
    assert_eq!(location(&on), "/admin/brugere?besked=aktiveret");
    assert!(!app.store().user(rita).await.unwrap().disabled);

    // A new password: the old one stops working.
    let weak = form(
        &app,
        &format!("/admin/brugere/{rita}/adgangskode"),
        &format!("csrf_token={csrf}&password=abc"),
        &cookie,
    )
    .await;
    assert_eq!(weak.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&weak).contains("Adgangskoden skal være mindst 12 tegn."));
    let new = form(
        &app,
        &format!("/admin/brugere/{rita}/adgangskode"),
        &format!("csrf_token={csrf}&password=et-helt-nyt-kodeord"),
        &cookie,
    )
    .await;
    assert_eq!(
        location(&new),
        format!("/admin/brugere/{rita}?besked=adgangskode")
    );
    assert_eq!(
        login(&app, "rita", "rita-har-et-langt-kodeord")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    session(&app, "rita", "et-helt-nyt-kodeord").await;

    // An admin cannot lock themself out.
    let me = get(&app, &format!("/admin/brugere/{admin}"), &cookie).await;
    assert!(!me.contains("Deaktivér brugeren"));
    let self_off = form(
        &app,
        &format!("/admin/brugere/{admin}/status"),
        &format!("csrf_token={csrf}&version=1&disabled=true"),
        &cookie,
    )
    .await;
    assert_eq!(self_off.status, StatusCode::UNPROCESSABLE_ENTITY);
    let demote = form(
        &app,
        &format!("/admin/brugere/{admin}"),
        &format!("csrf_token={csrf}&version=1&display_name=Chef&roles=l%C3%A6ser"),
        &cookie,
    )
    .await;
    assert_eq!(demote.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&demote).contains("Du kan ikke fjerne din egen administratorrolle."));
    let me = app.store().user(admin).await.unwrap();
    assert_eq!((me.roles.0, me.disabled), (vec![Role::Admin], false));

    // In English.
    let en = get(&app, "/admin/brugere?lang=en", &cookie).await;
    assert!(en.contains("<h1>Users and roles</h1>") && en.contains("Product editor"));
}

#[tokio::test]
async fn who_may_see_the_administration() {
    let app = TestApp::new().await;
    app.add_password_user("sek", "Sekretariatet", "korrekt-hest-batteri")
        .await;
    // Anonymous: to the login page, coming back.
    for path in [
        "/admin",
        "/admin/brugere",
        "/admin/organisationer",
        "/admin/modeller",
    ] {
        let a = page(&app, path, &[]).await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            a.headers[header::LOCATION],
            format!("/log-ind?next={}", path.replace('/', "%2F"))
        );
    }
    // Logged in without the role: a 403 page in the site's layout.
    for (who, path) in [
        ("læser", "/admin"),
        ("bestyrelse", "/admin/modeller"),
        ("produktredaktør", "/admin/organisationer"),
        ("sekretariat", "/admin/brugere"),
        ("sekretariat", "/admin/brugere/1"),
    ] {
        let a = app.get(path, Some(who)).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{who} {path}");
        let body = text(&a);
        assert!(
            body.contains("<h1>Ingen adgang</h1>"),
            "{who} {path}: {body}"
        );
    }
    // The menu shows the administration only to those who may see it.
    assert!(!text(&app.get("/", Some("læser")).await).contains("href=\"/admin\""));
    assert!(!text(&page(&app, "/", &[]).await).contains("href=\"/admin\""));
    assert!(text(&app.get("/", Some("sekretariat")).await).contains("href=\"/admin\""));
    assert!(text(&app.get("/", Some("admin")).await).contains("href=\"/admin\""));
    // The secretariat: organisations and models, not users.
    let overview = text(&app.get("/admin", Some("sekretariat")).await).to_owned();
    assert!(overview.contains("<a href=\"/admin/organisationer\">"));
    assert!(overview.contains("<a href=\"/admin/modeller\">"));
    assert!(!overview.contains("<a href=\"/admin/brugere\">"));
    assert!(overview.contains("Brugere og roller administreres af en administrator."));
    for path in [
        "/admin/organisationer",
        "/admin/modeller",
        "/admin/modeller/os2-2018",
    ] {
        assert_eq!(
            app.get(path, Some("sekretariat")).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
    // A secretariat session with a valid token still cannot create a user.
    let cookie = session(&app, "sek", "korrekt-hest-batteri").await;
    let csrf = csrf_in(&get(&app, "/admin", &cookie).await);
    let refused = form(
        &app,
        "/admin/brugere",
        &format!("csrf_token={csrf}&username=snig&display_name=Snig&roles=admin&password=korrekt-hest-batteri"),
        &cookie,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        app.store()
            .user_by_username("snig")
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn organisations_are_created_edited_and_archived() {
    let app = TestApp::new().await;
    app.add_password_user("sek", "Sekretariatet", "korrekt-hest-batteri")
        .await;
    let cookie = session(&app, "sek", "korrekt-hest-batteri").await;
    let list = get(&app, "/admin/organisationer", &cookie).await;
    assert!(list.contains("Der er ingen organisationer endnu."));
    assert!(list.contains("<option value=\"statslig myndighed\">Statslig myndighed</option>"));
    let csrf = csrf_in(&list);

    // Refused input: a bad date, a supplier date on a municipality, no CSRF token.
    let bad_date = form(
        &app,
        "/admin/organisationer",
        &format!("csrf_token={csrf}&name=Odense+Kommune&kind=kommune&member_since=1.1.2019"),
        &cookie,
    )
    .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&bad_date).contains("Medlem siden: «1.1.2019» er ikke en dato (skriv ÅÅÅÅ-MM-DD)."),
        "{}",
        text(&bad_date)
    );
    assert!(text(&bad_date).contains("value=\"Odense Kommune\""));
    let partner = form(
        &app,
        "/admin/organisationer",
        &format!(
            "csrf_token={csrf}&name=Odense+Kommune&kind=kommune&supplier_partner_since=2020-01-01"
        ),
        &cookie,
    )
    .await;
    assert_eq!(partner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&partner)
            .contains("Leverandørpartner siden: kun leverandører har en leverandørpartneraftale")
    );
    let forged = form(
        &app,
        "/admin/organisationer",
        "name=Odense+Kommune&kind=kommune",
        &cookie,
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let none = app
        .store()
        .list_organisations(
            &niveau_store::organisations::OrganisationFilter {
                archived: Some(true),
                ..Default::default()
            },
            &niveau_store::ListParams::all(),
        )
        .await
        .unwrap();
    assert_eq!(none.items.len(), 0, "nothing was stored");

    // Created.
    let created = form(
        &app,
        "/admin/organisationer",
        &format!("csrf_token={csrf}&name=Odense+Kommune&kind=kommune&member_since=2019-01-01&note=Med+fra+start"),
        &cookie,
    )
    .await;
    let to = location(&created).to_owned();
    let odense = id_in(&to);
    let stored = app.store().organisation(odense).await.unwrap();
    assert_eq!(stored.name, "Odense Kommune");
    assert_eq!(stored.kind, niveau_store::types::OrgKind::Kommune);
    assert_eq!(stored.member_since.unwrap().to_string(), "2019-01-01");
    assert_eq!(stored.note.as_deref(), Some("Med fra start"));
    let edit = get(&app, &to, &cookie).await;
    assert!(
        edit.contains("<h1>Odense Kommune</h1>") && edit.contains("role=\"status\">Oprettet.</p>")
    );
    assert!(edit.contains("<option value=\"kommune\" selected>Kommune</option>"));
    assert!(edit.contains("name=\"member_since\" type=\"date\" value=\"2019-01-01\""));

    // Edited, based on version 1; a second edit on version 1 is a conflict.
    let saved = form(
        &app,
        &format!("/admin/organisationer/{odense}"),
        &format!("csrf_token={csrf}&version=1&name=Odense+Kommune+%28OS2%29&kind=kommune&member_since=2019-01-01"),
        &cookie,
    )
    .await;
    assert_eq!(
        location(&saved),
        format!("/admin/organisationer/{odense}?besked=gemt")
    );
    let stale = form(
        &app,
        &format!("/admin/organisationer/{odense}"),
        &format!("csrf_token={csrf}&version=1&name=Odense&kind=region"),
        &cookie,
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale);
    assert!(body.contains("Organisationen er ændret af en anden, siden du hentede siden."));
    assert!(body.contains("name=\"name\" required maxlength=\"200\" value=\"Odense\""));
    assert!(body.contains("<option value=\"region\" selected>Region</option>"));
    let block = body.split("id=\"gemt-udgave\"").nth(1).unwrap();
    assert!(block.contains("<dd>Odense Kommune (OS2)</dd>") && block.contains("<dd>Kommune</dd>"));
    let stored = app.store().organisation(odense).await.unwrap();
    assert_eq!(
        (stored.name.as_str(), stored.version),
        ("Odense Kommune (OS2)", 2)
    );
    assert!(
        stored.note.is_none(),
        "the note was emptied by the first edit"
    );

    // Listed; in the public index; archived with the right version only.
    let list = get(&app, "/admin/organisationer", &cookie).await;
    let row = row_of(&list, "Odense Kommune (OS2)");
    assert!(
        row.contains("<td>Kommune</td>") && row.contains("<td>aktiv</td>"),
        "{row}"
    );
    assert!(text(&page(&app, "/organisationer", &[]).await).contains("Odense Kommune (OS2)"));
    let stale_archive = form(
        &app,
        &format!("/admin/organisationer/{odense}/arkiver"),
        &format!("csrf_token={csrf}&version=1"),
        &cookie,
    )
    .await;
    assert_eq!(stale_archive.status, StatusCode::CONFLICT);
    assert!(!app.store().organisation(odense).await.unwrap().archived);
    let archived = form(
        &app,
        &format!("/admin/organisationer/{odense}/arkiver"),
        &format!("csrf_token={csrf}&version=2"),
        &cookie,
    )
    .await;
    assert_eq!(
        location(&archived),
        "/admin/organisationer?besked=arkiveret"
    );
    assert!(app.store().organisation(odense).await.unwrap().archived);
    let list = get(&app, "/admin/organisationer?besked=arkiveret", &cookie).await;
    assert!(list.contains("role=\"status\">Organisationen er arkiveret.</p>"));
    assert!(row_of(&list, "Odense Kommune (OS2)").contains("<td>arkiveret</td>"));
    assert!(!text(&page(&app, "/organisationer", &[]).await).contains("Odense"));
    let again = get(&app, &format!("/admin/organisationer/{odense}"), &cookie).await;
    assert!(again.contains("<strong>Arkiveret.</strong>"));
    assert!(!again.contains("/arkiver\""), "no second archive button");
    // An unknown organisation.
    assert_eq!(
        page(
            &app,
            "/admin/organisationer/999",
            &[(header::COOKIE, &cookie)]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_built_in_models() {
    let app = TestApp::new().await;
    let list = text(&app.get("/admin/modeller", Some("sekretariat")).await).to_owned();
    assert!(list.contains("niveau model validate"));
    assert!(list.contains("docs/models.md"));
    let row = row_of(&list, "<a href=\"/admin/modeller/os2-1.1.0\">os2-1.1.0</a>");
    assert!(row.contains("<td>1.1.0</td>"), "{row}");
    assert!(
        row.contains("<td>Sandkasse, Niveau 1, Niveau 2, Niveau 3</td>"),
        "{row}"
    );
    assert!(
        row.contains("<td class=\"num\">4</td>\n    <td class=\"num\">43</td>"),
        "four themes, 43 requirements: {row}"
    );
    assert!(row.contains("CC BY-SA 4.0"), "{row}");
    for id in ["os2-2018", "os2-2021"] {
        assert!(list.contains(&format!("<a href=\"/admin/modeller/{id}\">{id}</a>")));
    }

    let model = text(&app.get("/admin/modeller/os2-1.1.0", Some("admin")).await).to_owned();
    assert!(model.contains("<dt>Krav</dt><dd>43</dd>"), "{model}");
    let rows = model.matches("<tr><th scope=\"row\">").count();
    assert_eq!(rows, 43, "one row per requirement");
    assert!(model.contains("<h2 id=\"tema-formkrav\"><span lang=\"da\">Formkrav</span>"));
    assert!(
        model.contains("<tr><th scope=\"row\">R1</th><td lang=\"da\">"),
        "{model}"
    );
    assert!(model.contains("<td lang=\"da\">Sandkasse</td><td>skal</td></tr>"));
    assert!(
        model.contains("<td>bør (anbefaling)</td>"),
        "recommendations are marked"
    );
    let en = text(
        &app.get("/admin/modeller/os2-1.1.0?lang=en", Some("admin"))
            .await,
    )
    .to_owned();
    assert!(en.contains("<td>must</td>") && en.contains("<dt>Requirements</dt><dd>43</dd>"));
    assert_eq!(
        app.get("/admin/modeller/findes-ikke", Some("admin"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_organisation_index_counts_visible_products() {
    organisation_index(TestApp::new().await).await;
}

/// The same on PostgreSQL (ignored unless asked for: needs NIVEAU_TEST_DATABASE_URL).
#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn the_organisation_index_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    organisation_index(TestApp::on(&db.url).await).await;
}

async fn organisation_index(app: TestApp) {
    let aarhus = create_org(&app, "Aarhus Kommune", "kommune").await;
    let ballerup = create_org(&app, "Ballerup Kommune", "kommune").await;
    let magenta = create_org(&app, "Magenta ApS", "leverandør").await;
    let midt = create_org(&app, "Region Midtjylland", "region").await;
    create_product(&app, "os2mo", "OS2mo", true).await;
    create_product(&app, "os2faktor", "OS2faktor", true).await;
    create_product(&app, "hemmelig", "Hemmeligt produkt", false).await;
    take_part(&app, "os2mo", aarhus, "anvender").await;
    take_part(&app, "os2mo", aarhus, "initiativtager").await;
    take_part(&app, "hemmelig", aarhus, "anvender").await;
    take_part(&app, "os2mo", ballerup, "anvender").await;
    take_part(&app, "os2faktor", ballerup, "anvender").await;
    take_part(&app, "os2mo", magenta, "udviklingsleverandør").await;

    let count = |body: &str, id: i64, name: &str| {
        let row = row_of(
            body,
            &format!("<a href=\"/organisationer/{id}\">{name}</a>"),
        );
        row.split("<td class=\"num\">")
            .nth(1)
            .unwrap()
            .split('<')
            .next()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    };
    let public = html(&page(&app, "/organisationer", &[]).await).to_owned();
    assert!(public.contains("<h1>Organisationer</h1>"));
    assert!(
        public.contains("<a href=\"/organisationer\" aria-current=\"page\">Organisationer</a>")
    );
    // Two roles in one product count once; the unpublished product is not counted.
    assert_eq!(count(&public, aarhus, "Aarhus Kommune"), 1);
    assert_eq!(count(&public, ballerup, "Ballerup Kommune"), 2);
    assert_eq!(count(&public, magenta, "Magenta ApS"), 1);
    assert_eq!(count(&public, midt, "Region Midtjylland"), 0);
    // Grouped by kind, in the vocabulary's order.
    let headings: Vec<&str> = public
        .split("<h2 id=\"type-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(headings, ["kommune", "region", "leverandor"]);
    assert!(public.contains(">Kommuner <span class=\"meta\">(2)</span></h2>"));
    assert!(public.contains("<p>4 organisationer</p>"));

    // A logged-in reader counts the unpublished product too.
    let reader = text(&app.get("/organisationer", Some("læser")).await).to_owned();
    assert_eq!(count(&reader, aarhus, "Aarhus Kommune"), 2);

    // Filtered by kind; an unknown kind is said.
    let suppliers = html(&page(&app, "/organisationer?kind=leverand%C3%B8r", &[]).await).to_owned();
    assert!(suppliers.contains("Magenta ApS") && !suppliers.contains("Aarhus"));
    assert!(suppliers.contains("<option value=\"leverandør\" selected>Leverandør</option>"));
    assert!(suppliers.contains("<p>1 organisation</p>"));
    let wrong = html(&page(&app, "/organisationer?kind=planet", &[]).await).to_owned();
    assert!(wrong.contains("role=\"alert\">Ukendt type: «planet»"));

    // An archived organisation: gone for the public, marked for readers.
    let version = app
        .get(
            &format!("/api/v1/organisations/{midt}"),
            Some("sekretariat"),
        )
        .await
        .body["version"]
        .as_i64()
        .unwrap();
    let archived = app
        .delete(
            &format!("/api/v1/organisations/{midt}"),
            Some("sekretariat"),
            version as i32,
        )
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
    assert!(!html(&page(&app, "/organisationer", &[]).await).contains("Region Midtjylland"));
    let reader = text(&app.get("/organisationer", Some("læser")).await).to_owned();
    assert!(row_of(&reader, "Region Midtjylland").contains("(arkiveret)"));

    let en = html(&page(&app, "/organisationer?lang=en", &[]).await).to_owned();
    assert!(en.contains("<h1>Organisations</h1>") && en.contains(">Municipalities <span"));
}

/// Publish an evaluation of `slug` in os2-1.1.0: every requirement green with a basis,
/// except `special` (requirement, rating, basis).
async fn publish(app: &TestApp, slug: &str, special: &[(&str, &str, Option<&str>)]) {
    let rate = |req: &str| match special.iter().find(|(id, _, _)| *id == req) {
        Some((_, "", _)) => json!({"requirement": req}),
        Some((_, rating, basis)) => json!({"requirement": req, "rating": rating, "basis": basis}),
        None => json!({"requirement": req, "rating": "green", "basis": "Opfyldt"}),
    };
    publish_evaluation_with(app, slug, rate, "Runden").await;
}

/// The product slugs of the portfolio table, in order.
fn slugs(body: &str) -> Vec<String> {
    body.split("<th scope=\"row\"><a href=\"/produkter/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_theme_gap_filter() {
    theme_gaps(TestApp::new().await).await;
}

/// The same on PostgreSQL, where the ratings query's correlated subquery runs on the
/// other SQL dialect (ignored unless asked for: needs NIVEAU_TEST_DATABASE_URL).
#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn the_theme_gap_filter_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    theme_gaps(TestApp::on(&db.url).await).await;
}

async fn theme_gaps(app: TestApp) {
    for slug in ["alfa", "beta", "gamma", "delta", "epsilon", "zeta"] {
        create_product(&app, slug, &slug.to_uppercase(), true).await;
    }
    publish(&app, "alfa", &[("F2", "red", Some("Ingen licens"))]).await;
    publish(
        &app,
        "beta",
        &[("F3", "grey", Some("Ikke relevant: ingen data"))],
    )
    .await;
    publish(
        &app,
        "gamma",
        &[("R1", "yellow", Some("Delvist")), ("F3", "grey", None)],
    )
    .await;
    // Epsilon had a gap, but its newest published evaluation has none.
    publish(&app, "epsilon", &[("F2", "red", Some("Før"))]).await;
    publish(&app, "epsilon", &[]).await;
    // Zeta left a requirement unrated: nothing was said about it, so it is no gap.
    publish(&app, "zeta", &[("F4", "", None)]).await;

    let shown = |path: &'static str| {
        let app = &app;
        async move { slugs(html(&page(app, path, &[]).await)) }
    };
    assert_eq!(
        shown("/").await,
        ["alfa", "beta", "delta", "epsilon", "gamma", "zeta"]
    );
    // Explained grey (beta) is no gap; grey without explanation (gamma) is; a product
    // without a published evaluation (delta) is left out; only the newest evaluation counts.
    assert_eq!(shown("/?tema=formkrav").await, ["alfa", "gamma"]);
    assert_eq!(shown("/?tema=relevans").await, ["gamma"]);
    assert!(shown("/?tema=governance").await.is_empty());
    assert_eq!(shown("/?tema=formkrav&q=alf").await, ["alfa"]);

    let body = html(&page(&app, "/?tema=formkrav", &[]).await).to_owned();
    assert!(body.contains("<th scope=\"col\">Huller i tema</th>"));
    assert!(body.contains("<option value=\"formkrav\" selected>Formkrav</option>"));
    assert!(body.contains("temaet «Formkrav» vurderet gul, rød eller grå uden forklaring"));
    assert!(row_of(&body, "/produkter/alfa\"").contains("<td class=\"gaps\">F2 (rød)</td>"));
    assert!(
        row_of(&body, "/produkter/gamma\"")
            .contains("<td class=\"gaps\">F3 (grå uden forklaring)</td>")
    );
    let plain = html(&page(&app, "/", &[]).await).to_owned();
    assert!(!plain.contains("Huller i tema</th>"));
    assert!(
        plain.contains("<option value=\"strategisk-sammenhaeng\">Strategisk sammenhæng</option>")
    );
    let en = html(&page(&app, "/?tema=relevans&lang=en", &[]).await).to_owned();
    assert!(en.contains("<th scope=\"col\">Gaps in theme</th>") && en.contains("R1 (yellow)"));
    let wrong = html(&page(&app, "/?tema=farver", &[]).await).to_owned();
    assert!(wrong.contains("role=\"alert\">Ukendt tema: «farver»"));

    // The CSV follows the filter, with the gaps as a column.
    let csv = page(&app, "/produkter.csv?tema=formkrav", &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    let lines: Vec<&str> = text(&csv).lines().collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines[0].ends_with(",\"licens\",\"huller i tema\""),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("\"alfa\",\"ALFA\",") && lines[1].ends_with(",\"F2 (rød)\""),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("\"gamma\",\"GAMMA\",")
            && lines[2].ends_with(",\"F3 (grå uden forklaring)\""),
        "{}",
        lines[2]
    );
    let all = page(&app, "/produkter.csv", &[]).await;
    assert!(text(&all).lines().next().unwrap().ends_with(",\"licens\""));
    assert_eq!(
        page(&app, "/produkter.csv?tema=farver", &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn lesser_password_change_revokes_sessions_and_tokens() {
    let app = TestApp::new().await;
    let admin = add_admin(&app, "chef", "chefens-lange-kodeord").await;
    let cookie = session(&app, "chef", "chefens-lange-kodeord").await;
    let csrf = csrf_in(&get(&app, "/admin/brugere", &cookie).await);
    app.add_password_user("sek", "Sekretariatet", "korrekt-hest-batteri")
        .await;
    let sek = app
        .store()
        .user_by_username("sek")
        .await
        .unwrap()
        .unwrap()
        .id;
    let token_of = |name: &'static str| {
        let app = &app;
        async move {
            let secret = niveau_web::auth::token::new_api_token();
            app.store()
                .create_api_token(
                    &Actor::system("test"),
                    sek,
                    name,
                    &niveau_web::auth::token::hash_secret(&secret),
                    vec!["read".into()],
                    None,
                )
                .await
                .unwrap();
            secret
        }
    };
    let works = |secret: String| {
        let app = &app;
        async move {
            app.send(
                Request::get("/api/v1/me")
                    .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .status
                == StatusCode::OK
        }
    };
    let their_session = session(&app, "sek", "korrekt-hest-batteri").await;
    let token = token_of("script").await;
    assert!(works(token.clone()).await);

    // The form says what a new password ends, and offers to keep the tokens.
    let shown = get(&app, &format!("/admin/brugere/{sek}"), &cookie).await;
    assert!(
        shown.contains("Brugerens sessioner afsluttes, og brugerens API-tokens tilbagekaldes.")
    );
    assert!(shown.contains("name=\"keep_tokens\" value=\"true\""));
    assert!(!shown.contains("name=\"keep_tokens\" value=\"true\" checked"));

    // By default: the session ends and the token is revoked.
    let set = form(
        &app,
        &format!("/admin/brugere/{sek}/adgangskode"),
        &format!("csrf_token={csrf}&password=et-helt-nyt-kodeord"),
        &cookie,
    )
    .await;
    assert_eq!(
        location(&set),
        format!("/admin/brugere/{sek}?besked=adgangskode")
    );
    let told = get(&app, location(&set), &cookie).await;
    assert!(told.contains("Adgangskoden er sat. Brugerens sessioner er afsluttet, og brugerens API-tokens er tilbagekaldt."));
    assert!(!works(token).await);
    let theirs = page(&app, "/profil", &[(header::COOKIE, &their_session)]).await;
    assert_ne!(theirs.status, StatusCode::OK, "the session ended");

    // Keeping the tokens: the new token still works.
    let kept = token_of("kept").await;
    let set = form(
        &app,
        &format!("/admin/brugere/{sek}/adgangskode"),
        &format!("csrf_token={csrf}&password=endnu-et-nyt-kodeord&keep_tokens=true"),
        &cookie,
    )
    .await;
    assert_eq!(
        location(&set),
        format!("/admin/brugere/{sek}?besked=adgangskode-tokens-beholdt")
    );
    assert!(works(kept).await);

    // Admins who set their own password stay logged in; their other sessions end.
    let other = session(&app, "chef", "chefens-lange-kodeord").await;
    let own = form(
        &app,
        &format!("/admin/brugere/{admin}/adgangskode"),
        &format!("csrf_token={csrf}&password=chefens-nye-kodeord"),
        &cookie,
    )
    .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page(&app, "/admin/brugere", &[(header::COOKIE, &cookie)])
            .await
            .status,
        StatusCode::OK
    );
    assert_ne!(
        page(&app, "/admin/brugere", &[(header::COOKIE, &other)])
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn finding_2_admins_see_which_accounts_a_client_waits_for() {
    let app = TestApp::new().await;
    add_admin(&app, "chef", "chefens-lange-kodeord").await;
    let cookie = session(&app, "chef", "chefens-lange-kodeord").await;
    app.add_password_user("sek", "Sekretariatet", "korrekt-hest-batteri")
        .await;
    let sek = app
        .store()
        .user_by_username("sek")
        .await
        .unwrap()
        .unwrap()
        .id;
    for _ in 0..6 {
        assert_eq!(
            login(&app, "sek", "forkert-forkert").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let list = get(&app, "/admin/brugere", &cookie).await;
    assert!(row_of(&list, &format!("/admin/brugere/{sek}\">")).contains("forsøg bremset"));
    let one = get(&app, &format!("/admin/brugere/{sek}"), &cookie).await;
    assert!(one.contains("mindst én klient må vente efter forkerte forsøg"));
    // A new password forgets the failures.
    let csrf = csrf_in(&list);
    form(
        &app,
        &format!("/admin/brugere/{sek}/adgangskode"),
        &format!("csrf_token={csrf}&password=et-helt-nyt-kodeord"),
        &cookie,
    )
    .await;
    let list = get(&app, "/admin/brugere", &cookie).await;
    assert!(!row_of(&list, &format!("/admin/brugere/{sek}\">")).contains("forsøg bremset"));
    session(&app, "sek", "et-helt-nyt-kodeord").await;
}
