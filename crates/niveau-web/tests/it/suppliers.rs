#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Suppliers (#14) on the API and the pages: a product with one supplier in every role
//! that reviews its own code, a product reviewed by a third party whose reviewer has not
//! accepted the code of conduct, the flags in words, partner agreements recorded and
//! renewed with versions, and hostile text in contacts and competences escaped.

use crate::common;

use axum::http::{Method, Request, StatusCode, header};
use common::{Session, TestApp, html};
use serde_json::{Value, json};

/// A page's HTML whatever its status.
fn body_of(a: &common::Answer) -> String {
    a.body.as_str().unwrap_or_default().to_owned()
}

const PASSWORD: &str = "en-lang-adgangskode-til-test";

async fn product(app: &TestApp, slug: &str, name: &str) {
    let a = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": slug, "name": name, "short_description": "x", "published": true}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
}

async fn org(app: &TestApp, name: &str, kind: &str) -> i64 {
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

async fn role(app: &TestApp, slug: &str, org: i64, role: &str) {
    let a = app
        .post(
            &format!("/api/v1/products/{slug}/participants"),
            Some("sekretariat"),
            json!({"organisation_id": org, "role": role}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
}

/// OS2mo: Magenta develops and hosts, Strong Minds reviews. OS2ene: Eneleverandøren
/// develops, reviews and operates. Magenta has a current partner agreement; Strong
/// Minds has one without the code of conduct; Eneleverandøren none.
struct World {
    magenta: i64,
    strong: i64,
    ene: i64,
    kommune: i64,
}

async fn world(app: &TestApp) -> World {
    product(app, "os2mo", "OS2mo").await;
    product(app, "os2ene", "OS2ene").await;
    let magenta = org(app, "Magenta ApS", "leverandør").await;
    let strong = org(app, "Strong Minds", "leverandør").await;
    let ene = org(app, "Eneleverandøren <A/S>", "leverandør").await;
    let kommune = org(app, "Aarhus Kommune", "kommune").await;
    role(app, "os2mo", magenta, "udviklingsleverandør").await;
    role(app, "os2mo", strong, "reviewer").await;
    role(app, "os2mo", magenta, "hostingleverandør").await;
    role(app, "os2ene", ene, "udviklingsleverandør").await;
    role(app, "os2ene", ene, "reviewer").await;
    role(app, "os2ene", ene, "driftsleverandør").await;
    let a = app
        .put(
            &format!("/api/v1/organisations/{magenta}/partner-agreement"),
            Some("sekretariat"),
            json!({"signed_on": "2019-06-01", "code_of_conduct": true,
                   "competences": ["Drift", "Python"],
                   "contacts": [{"name": "Anne Hansen", "email": "anne@magenta.dk"}]}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    assert_eq!(a.body["version"], 1);
    let a = app
        .put(
            &format!("/api/v1/organisations/{strong}/partner-agreement"),
            Some("sekretariat"),
            json!({"signed_on": "2020-01-01", "code_of_conduct": false}),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
    World {
        magenta,
        strong,
        ene,
        kommune,
    }
}

async fn raw(app: &TestApp, method: Method, path: &str, who: &str, body: &str) -> common::Answer {
    app.send(
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", app.tokens[who]))
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body.to_owned()))
            .unwrap(),
    )
    .await
}

#[tokio::test]
async fn concentration_flags_partner_agreements_and_versions_on_the_api() {
    let app = TestApp::new().await;
    let w = world(&app).await;

    let c = app
        .get("/api/v1/suppliers/concentration", Some("læser"))
        .await;
    assert_eq!(c.status, StatusCode::OK, "{:?}", c.body);
    assert_eq!(c.body["single_supplier"], 1);
    assert_eq!(c.body["self_review"], 1);
    assert_eq!(c.body["no_third_party_review"], 1);
    // The most concentrated first.
    assert_eq!(c.body["products"][0]["slug"], "os2ene");
    assert_eq!(
        c.body["products"][0]["without_agreement"],
        json!(["Eneleverandøren <A/S>"])
    );
    assert_eq!(c.body["products"][1]["slug"], "os2mo");
    assert_eq!(
        c.body["products"][1]["without_agreement"],
        json!(["Strong Minds"])
    );
    let magenta = c.body["suppliers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Magenta ApS")
        .unwrap();
    assert_eq!(magenta["products"], 1);
    assert_eq!(magenta["develops"], 1);
    assert_eq!(magenta["partner"], true);
    assert_eq!(
        app.get("/api/v1/suppliers/concentration", None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // The public sees the roles without the flags about agreements.
    let public = app.get("/api/v1/products/os2mo/suppliers", None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.body["without_agreement"], json!([]));
    let roles: Vec<&str> = public.body["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "udviklingsleverandør",
            "reviewer",
            "driftsleverandør",
            "hostingleverandør",
            "supportleverandør"
        ]
    );
    assert_eq!(
        public.body["roles"][3]["suppliers"][0]["name"],
        "Magenta ApS"
    );
    let reader = app
        .get("/api/v1/products/os2mo/suppliers", Some("læser"))
        .await;
    assert_eq!(reader.body["without_agreement"], json!(["Strong Minds"]));
    assert_eq!(
        reader.body["roles"][1]["suppliers"][0]["without_agreement"],
        true
    );

    // Reading an agreement names contacts: signed-in readers only.
    let path = format!("/api/v1/organisations/{}/partner-agreement", w.magenta);
    assert_eq!(app.get(&path, None).await.status, StatusCode::UNAUTHORIZED);
    let got = app.get(&path, Some("læser")).await;
    assert_eq!(got.body["organisation"]["name"], "Magenta ApS");
    assert_eq!(got.body["agreement"]["contacts"][0]["name"], "Anne Hansen");
    let none = app
        .get(
            &format!("/api/v1/organisations/{}/partner-agreement", w.ene),
            Some("læser"),
        )
        .await;
    assert_eq!(none.body["agreement"], Value::Null);

    // Authorise before reading the body: a reader with garbage gets 403, not 400/422.
    let refused = raw(&app, Method::PUT, &path, "læser", "{not json").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
    // Field errors name the field.
    let bad = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"signed_on": "2019-06-01", "contacts": [{"name": "X", "email": "ikke-en-mail"}], "version": 1}),
        )
        .await;
    assert_eq!(
        bad.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bad.body
    );
    assert_eq!(bad.body["error"]["field"], "contacts[0].email");
    let bad = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"signed_on": "2019-06-01", "ends_on": "2018-01-01", "version": 1}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "ends_on", "{:?}", bad.body);
    let not_supplier = app
        .put(
            &format!("/api/v1/organisations/{}/partner-agreement", w.kommune),
            Some("sekretariat"),
            json!({"signed_on": "2019-06-01"}),
        )
        .await;
    assert_eq!(not_supplier.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(not_supplier.body["error"]["field"], "organisation_id");
    // A renewal at the version seen; a stale one is 409 with the stored record.
    let renewed = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"signed_on": "2025-06-01", "ends_on": "2029-05-31", "code_of_conduct": true, "version": 1}),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{:?}", renewed.body);
    assert_eq!(renewed.body["version"], 2);
    assert_eq!(renewed.body["ends_on"], "2029-05-31");
    let stale = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"signed_on": "2019-06-01", "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{:?}", stale.body);
    assert_eq!(stale.body["error"]["current"]["signed_on"], "2025-06-01");

    // Removal: the version is required; a stale one is 409 with the stored record.
    let missing = raw(&app, Method::DELETE, &path, "sekretariat", "").await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(missing.body["error"]["field"], "version");
    let stale = raw(
        &app,
        Method::DELETE,
        &format!("{path}?version=1"),
        "sekretariat",
        "",
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["current"]["version"], 2);
    let refused = raw(&app, Method::DELETE, &path, "læser", r#"{"version": 2}"#).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let gone = raw(
        &app,
        Method::DELETE,
        &path,
        "sekretariat",
        r#"{"version": 2}"#,
    )
    .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT, "{:?}", gone.body);
    let after = app
        .get("/api/v1/suppliers/concentration", Some("læser"))
        .await;
    let magenta = after.body["suppliers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Magenta ApS")
        .unwrap()
        .clone();
    assert_eq!(magenta["partner"], false);
    let _ = w.strong;
}

async fn secretariat(app: &TestApp) -> Session<'_> {
    app.add_password_user("sekretaer", "Sekretariatet", PASSWORD)
        .await;
    app.session("sekretaer", PASSWORD).await
}

#[tokio::test]
async fn supplier_pages_show_the_flags_in_words_and_the_partner_form_keeps_input() {
    let app = TestApp::new().await;
    let w = world(&app).await;
    let s = secretariat(&app).await;

    let page = s.get("/leverandoerer").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = html(&page).to_owned();
    assert!(
        body.contains("aria-current=\"page\">Leverandører</a>"),
        "menu"
    );
    assert!(body.contains("<strong>1</strong> produkt(er) med én leverandør i alle roller"));
    assert!(
        body.contains("<li>én leverandør i alle roller</li>"),
        "{body}"
    );
    assert!(body.contains("<li>review af egen kode</li>"));
    assert!(
        body.contains(
            "<li>uden gældende leverandørpartneraftale: Eneleverandøren &#60;A/S&#62;</li>"
        ),
        "{}",
        &body[body.find("leverandoer-tabel").unwrap_or(0)..]
    );
    assert!(body.contains("<li>uden gældende leverandørpartneraftale: Strong Minds</li>"));
    assert!(body.contains("<th scope=\"col\">Kvalitetssikring (review)</th>"));
    assert!(body.contains("<th scope=\"col\">Hosting</th>"));
    assert!(!body.contains("Eneleverandøren <A/S>"), "escaped");
    let en = html(&s.get("/leverandoerer?lang=en").await).to_owned();
    assert!(en.contains("<li>one supplier in every role</li>"));
    assert!(en.contains("<li>reviews its own code</li>"));
    // Anonymous visitors are sent to log in.
    let anon = common::page(&app, "/leverandoerer", &[]).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);

    // The product page: roles for everybody, the agreement flags for readers only.
    let public = html(&common::page(&app, "/produkter/os2ene", &[]).await).to_owned();
    assert!(public.contains("<h2 id=\"leverandoerer\">Leverandører</h2>"));
    assert!(public.contains("<li>én leverandør i alle roller</li>"));
    assert!(!public.contains("uden gældende leverandørpartneraftale"));
    assert!(!public.contains("(uden aftale)"));
    let inside = html(&s.get("/produkter/os2ene").await).to_owned();
    assert!(
        inside.contains("uden gældende leverandørpartneraftale: Eneleverandøren &#60;A/S&#62;")
    );
    assert!(inside.contains("(uden aftale)"));

    // The participant form offers the hosting role.
    let form = html(&s.get("/produkter/os2mo/deltagere").await).to_owned();
    assert!(
        form.contains("value=\"hostingleverandør\">Hostingleverandør</option>"),
        "{form}"
    );

    // Record Eneleverandøren's agreement with hostile text: escaped everywhere.
    let org_path = format!("/organisationer/{}", w.ene);
    let blank = html(&s.get(&org_path).await).to_owned();
    assert!(blank.contains("Der er ikke registreret en leverandørpartneraftale."));
    assert!(blank.contains("Registrér aftalen"));
    let post = format!("{org_path}/partneraftale");
    // A bad date keeps what was typed and names the field.
    let refused = s
        .post(
            &post,
            &[
                ("signed_on", "1. juni"),
                ("contacts", "Bo <b>; drift; bo@ene.dk"),
                ("competences", "<script>alert(1)</script>"),
                ("version", ""),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = body_of(&refused).to_owned();
    assert!(
        body.contains("id=\"fejl-signed_on\">«1. juni» er ikke en dato"),
        "{body}"
    );
    assert!(body.contains("Bo &#60;b&#62;; drift; bo@ene.dk</textarea>"));
    assert!(body.contains("&#60;script&#62;alert(1)&#60;/script&#62;</textarea>"));
    let saved = s
        .post(
            &post,
            &[
                ("signed_on", "2024-02-01"),
                ("code_of_conduct", "ja"),
                ("contacts", "Bo <b>; drift; bo@ene.dk; 12345678\nAnne"),
                ("competences", "<script>alert(1)</script>\nJava"),
                ("logo_url", "https://ene.example/logo.png"),
                ("version", ""),
            ],
            true,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", body_of(&saved));
    let shown = html(
        &s.get(&format!("{org_path}?besked=partneraftale-gemt"))
            .await,
    )
    .to_owned();
    assert!(shown.contains("Leverandørpartneraftalen er gemt."));
    assert!(shown.contains("<li>&#60;script&#62;alert(1)&#60;/script&#62;</li>"));
    assert!(!shown.contains("<script>alert(1)"));
    assert!(shown.contains("<td>Bo &#60;b&#62;</td><td>drift</td>"));
    assert!(shown.contains("<a href=\"mailto:bo@ene.dk\">bo@ene.dk</a>"));
    assert!(shown.contains("alt=\"Logo for Eneleverandøren &#60;A/S&#62;\""));
    assert!(shown.contains("<dd>accepteret</dd>"));
    // The public sees competences and logo, not the contact persons.
    let public = html(&common::page(&app, &org_path, &[]).await).to_owned();
    assert!(public.contains("<li>Java</li>"));
    assert!(!public.contains("bo@ene.dk"));
    assert!(public.contains("Kontaktpersoner vises kun for brugere, der er logget ind."));
    assert!(
        !public.contains("partneraftale\" class=\"stacked\""),
        "no form"
    );
    // Now the flag about the missing agreement is gone.
    let page = html(&s.get("/leverandoerer").await).to_owned();
    assert!(!page.contains("uden gældende leverandørpartneraftale: Eneleverandøren"));

    // A stale version: nothing saved, the typed text kept, the stored version shown.
    let stale = s
        .post(
            &post,
            &[
                ("signed_on", "2024-03-01"),
                ("competences", "Fornyet kompetence"),
                ("version", "7"),
            ],
            true,
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = body_of(&stale).to_owned();
    assert!(body.contains("Leverandørpartneraftalen er ændret af en anden"));
    assert!(body.contains("Fornyet kompetence</textarea>"));
    assert!(body.contains("<li>Java</li>"), "the stored agreement above");
    assert!(body.contains("name=\"version\" value=\"1\""), "{body}");
    // Remove it at a stale version, then at the right one.
    let stale = s
        .post(&format!("{post}/fjern"), &[("version", "5")], true)
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let gone = s
        .post(&format!("{post}/fjern"), &[("version", "1")], true)
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let after = html(&s.get(&org_path).await).to_owned();
    assert!(after.contains("Der er ikke registreret en leverandørpartneraftale."));
    // Without CSRF nothing happens.
    let forged = s
        .post(
            &post,
            &[("signed_on", "2024-02-01"), ("version", "")],
            false,
        )
        .await;
    assert!(forged.status.is_client_error());
    let _ = (w.magenta, w.strong, w.kommune);
}

#[tokio::test]
async fn statistics_show_wishes_and_supplier_concentration() {
    let app = TestApp::new().await;
    world(&app).await;
    let store = app.store();
    let os2mo = store.product_by_slug("os2mo").await.unwrap();
    for title in ["Eksport til CSV", "Bedre søgning"] {
        let input: niveau_store::wishes::WishInput = serde_json::from_value(
            json!({"title": title, "need": "Et behov", "priority": "middel"}),
        )
        .unwrap();
        store
            .raise_wish(&niveau_store::Actor::system("test"), os2mo.id, &input)
            .await
            .unwrap();
    }
    let year = chrono::Datelike::year(&store.now());
    let s = secretariat(&app).await;
    let body = html(&s.get("/statistik").await).to_owned();
    assert!(
        body.contains(&format!(
            "<desc id=\"oensker-aar-d\">{year}: Rejst 2, Leveret 0, Afvist 0.</desc>"
        )),
        "{body}"
    );
    assert!(body.contains(&format!(
        "<tr><th scope=\"row\">{year}</th><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">0</td></tr>"
    )));
    assert!(body.contains("<a href=\"/produkter/os2mo\">OS2mo</a></th><td class=\"num\">2</td>"));
    assert!(body.contains("<strong>intet leveret endnu</strong>"));
    assert!(body.contains("ikke afgjort: <strong>2</strong>"));
    assert!(
        body.contains("<strong>0 kr.</strong> i 0 tilsagn fra <strong>0</strong> organisation(er)")
    );
    assert!(body.contains("<h2 id=\"oensker\">Udviklingsønsker</h2>"));
    assert!(body.contains("<h2 id=\"leverandoerer\">Leverandører</h2>"));
    assert!(
        body.contains("Af de 2 produkter med registrerede leverandører:"),
        "{body}"
    );
    assert!(body.contains("<li><strong>1</strong> har én leverandør i alle roller</li>"));
    // The public sees the wishes, not the suppliers.
    let public = html(&common::page(&app, "/statistik?lang=en", &[]).await).to_owned();
    assert!(public.contains("Development wishes"));
    assert!(!public.contains("id=\"leverandoerer\""));
}
