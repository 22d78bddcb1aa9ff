#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The HTML pages: the portfolio in both languages, its filters and CSV, the language
//! switch, static assets and the security headers.

use crate::common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Answer, TestApp, csrf_in, html, page, publish_evaluation_with};
use serde_json::json;

/// Three products: OS2mo (produkt, level 2, two municipalities and a supplier), OS2faktor
/// (koncept, not assessed, one municipality, a name with markup), and an unpublished one.
async fn portfolio() -> (TestApp, i64) {
    let app = TestApp::new().await;
    let org = |name: &str, kind: &str| {
        let app = &app;
        let body = json!({"name": name, "kind": kind});
        async move {
            let a = app
                .post("/api/v1/organisations", Some("sekretariat"), body)
                .await;
            assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
            a.body["id"].as_i64().unwrap()
        }
    };
    let aarhus = org("Aarhus Kommune", "kommune").await;
    let ballerup = org("Ballerup Kommune", "kommune").await;
    let magenta = org("Magenta ApS", "leverandør").await;
    for (slug, name, published) in [
        ("os2mo", "OS2mo", true),
        ("os2faktor", "OS2faktor <b>login</b>", true),
        ("hemmelig", "Hemmeligt produkt", false),
    ] {
        let a = app
            .post(
                "/api/v1/products",
                Some("sekretariat"),
                json!({"slug": slug, "name": name, "short_description": format!("Om {name}"), "published": published, "target_level": "3", "website": "https://os2.eu", "license": "MPL-2.0"}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    for (slug, org, role) in [
        ("os2mo", aarhus, "anvender"),
        ("os2mo", ballerup, "initiativtager"),
        ("os2mo", magenta, "udviklingsleverandør"),
        ("os2faktor", ballerup, "anvender"),
    ] {
        let a = app
            .post(
                &format!("/api/v1/products/{slug}/participants"),
                Some("sekretariat"),
                json!({"organisation_id": org, "role": role}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    let mo = app.get("/api/v1/products/os2mo", None).await.body["product"]["id"].clone();
    let faktor = app.get("/api/v1/products/os2faktor", None).await.body["product"]["id"].clone();
    for body in [
        json!({"product_id": mo, "decided_on": "2024-06-01", "kind": "stadie", "to": "produkt", "basis": "Godkendt", "decided_by": "bestyrelse"}),
        json!({"product_id": mo, "decided_on": "2025-11-20", "kind": "niveau", "model_id": "os2-1.1.0", "to": "2", "basis": "Evaluering", "decided_by": "bestyrelse"}),
        json!({"product_id": faktor, "decided_on": "2025-01-10", "kind": "stadie", "to": "koncept", "basis": "Godkendt koncept", "decided_by": "bestyrelse"}),
    ] {
        if body["kind"] == "stadie" {
            app.register_decision(body).await;
            continue;
        }
        let a = app
            .post("/api/v1/decisions", Some("sekretariat"), body)
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    (app, aarhus)
}

/// The product slugs of the portfolio table, in order.
fn slugs(body: &str) -> Vec<&str> {
    body.split("<th scope=\"row\"><a href=\"/produkter/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[tokio::test]
async fn the_portfolio_in_danish_and_english() {
    let (app, _) = portfolio().await;
    let da = page(&app, "/", &[]).await;
    assert_eq!(da.headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    let csp = da.headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    let body = html(&da);
    assert!(body.len() < 150 * 1024, "{} bytes", body.len());
    assert!(body.starts_with("<!doctype html>\n<html lang=\"da\">"));
    assert!(body.contains("<h1>Porteføljen</h1>"));
    assert!(body.contains("href=\"#indhold\""), "skip link");
    // Sorted by name; the unpublished product is not shown to the public.
    assert_eq!(slugs(body), ["os2faktor", "os2mo"]);
    assert!(!body.contains("Hemmeligt"));
    // Markup in a name is escaped.
    assert!(
        body.contains("OS2faktor &#60;b&#62;login&#60;/b&#62;")
            || body.contains("OS2faktor &lt;b&gt;login&lt;/b&gt;"),
        "{body}"
    );
    assert!(!body.contains("<b>login</b>"));
    // OS2mo's row: stage, official level, target, municipalities (2; the supplier is not counted).
    let mo = body.split("/produkter/os2mo").nth(1).unwrap();
    let row = mo.split("</tr>").next().unwrap();
    assert!(row.contains("<td class=\"stage\">Produkt</td>"), "{row}");
    assert!(
        row.contains("<span class=\"level level-2\">Niveau 2</span>"),
        "{row}"
    );
    assert!(
        row.contains("<td class=\"hide-small\">Niveau 3</td>"),
        "{row}"
    );
    assert!(row.contains("<td class=\"num\">2</td>"), "{row}");
    let faktor = body.split("/produkter/os2faktor").nth(1).unwrap();
    let row = faktor.split("</tr>").next().unwrap();
    assert!(
        row.contains("Ikke vurderet") && row.contains("<td class=\"num\">1</td>"),
        "{row}"
    );

    let en = page(&app, "/?lang=en", &[]).await;
    let body = html(&en);
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("<h1>The portfolio</h1>"));
    assert!(body.contains("Level 2") && body.contains("Not assessed"));
    // The switch leads back to Danish.
    assert!(
        body.contains("href=\"/sprog?lang=da&amp;next=%2F\"")
            || body.contains("href=\"/sprog?lang=da&#38;next=%2F\""),
        "{body}"
    );

    let browser = page(
        &app,
        "/",
        &[(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,da;q=0.5")],
    )
    .await;
    assert!(html(&browser).contains("<html lang=\"en\">"));
    let cookie = page(
        &app,
        "/",
        &[
            (header::ACCEPT_LANGUAGE, "en"),
            (header::COOKIE, "niveau_lang=da"),
        ],
    )
    .await;
    assert!(html(&cookie).contains("<html lang=\"da\">"));

    // A logged-in reader also sees the unpublished product.
    let reader = app.get("/", Some("læser")).await;
    assert_eq!(slugs(html(&reader)), ["hemmelig", "os2faktor", "os2mo"]);
}

#[tokio::test]
async fn filters_and_sorting() {
    let (app, aarhus) = portfolio().await;
    let shown = |path: String| {
        let app = &app;
        async move {
            slugs(html(&page(app, &path, &[]).await))
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(shown("/?stage=produkt".into()).await, ["os2mo"]);
    assert_eq!(shown("/?stage=koncept".into()).await, ["os2faktor"]);
    assert_eq!(shown("/?level=2".into()).await, ["os2mo"]);
    assert_eq!(shown("/?level=none".into()).await, ["os2faktor"]);
    assert_eq!(shown(format!("/?organisation={aarhus}")).await, ["os2mo"]);
    assert_eq!(shown("/?q=FAKTOR".into()).await, ["os2faktor"]);
    assert_eq!(
        shown("/?sort=municipalities".into()).await,
        ["os2mo", "os2faktor"]
    );
    assert_eq!(shown("/?sort=level".into()).await, ["os2mo", "os2faktor"]);
    assert!(shown("/?q=findes-ikke".into()).await.is_empty());
    // The chosen filter stays selected.
    let body = page(&app, "/?stage=koncept", &[]).await;
    assert!(html(&body).contains("<option value=\"koncept\" selected>Koncept</option>"));
    // A wrong value is said, not guessed at.
    let wrong = page(&app, "/?stage=færdig", &[]).await;
    assert!(html(&wrong).contains("role=\"alert\">Ukendt stadie: «færdig»"));
}

#[tokio::test]
async fn the_portfolio_as_csv() {
    let (app, _) = portfolio().await;
    let csv = page(&app, "/produkter.csv?sort=municipalities", &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(
        csv.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        csv.body.as_str().unwrap(),
        "\"slug\",\"navn\",\"stadie\",\"officielt niveau\",\"målniveau\",\"kommuner\",\"seneste evaluering\",\"hjemmeside\",\"licens\"\n\
         \"os2mo\",\"OS2mo\",\"produkt\",\"2\",\"3\",\"2\",\"\",\"https://os2.eu\",\"MPL-2.0\"\n\
         \"os2faktor\",\"OS2faktor <b>login</b>\",\"koncept\",\"\",\"3\",\"1\",\"\",\"https://os2.eu\",\"MPL-2.0\"\n"
    );
    let en = page(&app, "/produkter.csv?lang=en&stage=produkt", &[]).await;
    assert!(
        en.body
            .as_str()
            .unwrap()
            .starts_with("\"slug\",\"name\",\"stage\",\"official level\",")
    );
    assert_eq!(en.body.as_str().unwrap().lines().count(), 2);
    let wrong = page(&app, "/produkter.csv?level=9", &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn finding_3_csv_formula_injection_is_neutralised() {
    let (app, _) = portfolio().await;
    // A product editor's text that a spreadsheet would run as a formula.
    let a = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "formel", "name": "=HYPERLINK(\"https://evil.example\";\"Klik\")", "short_description": "x", "published": true, "target_level": "3", "website": "https://os2.eu", "license": "+cmd|' /C calc'!A0"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let csv = page(&app, "/produkter.csv", &[]).await;
    let text = csv.body.as_str().unwrap();
    let line = text.lines().find(|l| l.contains("formel")).unwrap();
    assert_eq!(
        line,
        "\"formel\",\"'=HYPERLINK(\"\"https://evil.example\"\";\"\"Klik\"\")\",\"idé\",\"\",\"3\",\"0\",\"\",\"https://os2.eu\",\"'+cmd|' /C calc'!A0\""
    );
    // The evaluation CSV: the basis of a rating, written by the secretariat.
    let rate =
        |id: &str| json!({"requirement": id, "rating": "grøn", "basis": format!("@SUM({id})")});
    publish_evaluation_with(&app, "os2mo", rate, "-1+1").await;
    let csv = page(&app, "/produkter/os2mo/evaluering.csv", &[]).await;
    let text = csv.body.as_str().unwrap();
    let r1 = text.lines().find(|l| l.starts_with("\"R1\"")).unwrap();
    assert!(r1.contains(",\"'@SUM(R1)\","), "{r1}");
    assert!(!text.contains("\"@") && !text.contains("\"="), "{text}");
}

#[tokio::test]
async fn language_switch_and_assets() {
    let app = TestApp::new().await;
    let switch = page(&app, "/sprog?lang=en&next=%2F%3Fstage%3Dprodukt", &[]).await;
    assert_eq!(switch.status, StatusCode::SEE_OTHER);
    assert_eq!(switch.headers[header::LOCATION], "/?stage=produkt");
    assert!(
        switch.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("niveau_lang=en;")
    );
    // Only local paths: anything else goes to the portfolio.
    for next in [
        "%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
        "%2F%5Cevil.example",
    ] {
        let a = page(&app, &format!("/sprog?lang=da&next={next}"), &[]).await;
        assert_eq!(a.headers[header::LOCATION], "/", "{next}");
    }
    assert_eq!(
        page(&app, "/sprog?lang=fr", &[]).await.status,
        StatusCode::BAD_REQUEST
    );

    let body = html(&page(&app, "/", &[]).await).to_owned();
    let css = body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let a = page(&app, css, &[]).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(
        a.headers[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(a.body.as_str().unwrap().contains(":focus-visible"));
    assert_eq!(
        page(&app, "/static/niveau-00000000.css", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    // An empty portfolio says so.
    assert!(body.contains("Ingen produkter passer til søgningen."));
    assert!(body.contains("0 produkter"));
}

/// Rate every requirement of a new evaluation of `slug`: green, except `red` ones, and take
/// it through dialogue, finalising and publishing.
async fn publish_evaluation(app: &TestApp, slug: &str, red: &[&str]) {
    let rate = |id: &str| {
        let rating = if red.contains(&id) { "red" } else { "green" };
        json!({"requirement": id, "rating": rating, "basis": format!("Set af sekretariatet ({id})")})
    };
    publish_evaluation_with(app, slug, rate, "Evalueringsrunden efteråret 2026").await;
}

#[tokio::test]
async fn a_product_page() {
    let (app, _) = portfolio().await;
    // A description in Markdown, with a script that must not survive.
    let current = app.get("/api/v1/products/os2mo", None).await.body["product"].clone();
    let mut change = json!({"slug": "os2mo", "name": "OS2mo", "short_description": "Organisation", "long_description": "Bruges af **mange** kommuner.\n\n<script>alert(1)</script>", "published": true, "target_level": "3", "website": "https://os2.eu", "license": "MPL-2.0", "repositories": ["https://github.com/OS2mo/os2mo"]});
    change["version"] = current["version"].clone();
    let a = app
        .put("/api/v1/products/os2mo", Some("sekretariat"), change)
        .await;
    assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);

    let body = html(&page(&app, "/produkter/os2mo", &[]).await).to_owned();
    assert!(body.len() < 150 * 1024, "{} bytes", body.len());
    assert!(body.contains("<h1>OS2mo</h1>"));
    assert!(body.contains("<strong>mange</strong>"));
    assert!(!body.contains("<script"), "scripts are removed");
    assert!(body.contains("<a href=\"https://github.com/OS2mo/os2mo\">"));
    assert!(
        body.contains("Aarhus Kommune</a></td><td>Kommune</td><td>Anvender</td>"),
        "{body}"
    );
    assert!(body.contains("Magenta ApS</a></td><td>Leverandør</td><td>Udviklingsleverandør</td>"));
    // The decision log: newest first.
    let stage = body.find("Stadie: idé → produkt").unwrap();
    let level = body.find("Niveau (os2-1.1.0): – → 2").unwrap();
    assert!(level < stage);
    assert!(
        body.contains("role=\"img\"") && body.contains("OS2 niveau: 2"),
        "the badge"
    );
    assert!(body.contains("Produktet har ingen offentliggjort evaluering endnu."));

    // A published evaluation: counts, charts and traffic lights.
    publish_evaluation(&app, "os2mo", &["F2", "G1"]).await;
    let body = html(&page(&app, "/produkter/os2mo?lang=en", &[]).await).to_owned();
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("Latest published evaluation"));
    assert!(
        body.contains("Level (os2-1.1.0): 2 → 1"),
        "the finalised level is logged"
    );
    assert!(body.contains("<span class=\"level level-1\">Level 1</span>"));
    let red: Vec<&str> = body
        .split("<td class=\"rating-red\">")
        .skip(1)
        .map(|s| s.split('<').next().unwrap())
        .collect();
    assert_eq!(red, ["🔴 Red", "🔴 Red"]);
    assert_eq!(body.matches("<td class=\"rating-green\">").count(), 41);
    assert!(body.contains("<title>"), "the charts have titles");
    // Downloads: OS2's official Markdown reads back with the same ratings; JSON and CSV too.
    assert!(body.contains("href=\"/produkter/os2mo/evaluering.md\""));
    let md = page(&app, "/produkter/os2mo/evaluering.md", &[]).await;
    assert_eq!(md.status, StatusCode::OK);
    assert_eq!(
        md.headers[header::CONTENT_TYPE],
        "text/markdown; charset=utf-8"
    );
    assert!(
        md.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"os2mo-evaluering-")
    );
    let registry = niveau_model::Registry::builtin().unwrap();
    let back = niveau_report::import::import_str(
        md.body.as_str().unwrap(),
        "evaluering.md",
        &registry,
        &Default::default(),
    )
    .unwrap();
    let ratings = &back.evaluation.as_ref().unwrap().ratings;
    assert_eq!(ratings.len(), 43);
    let red: Vec<&str> = ratings
        .iter()
        .filter(|r| r.rating == Some(niveau_model::Rating::Red))
        .map(|r| r.requirement.as_str())
        .collect();
    assert_eq!(red, ["F2", "G1"]);
    let json = page(&app, "/produkter/os2mo/evaluering.json", &[]).await;
    assert_eq!(json.body["schema"], "niveau.report/1");
    let csv = page(&app, "/produkter/os2mo/evaluering.csv", &[]).await;
    assert_eq!(
        csv.body.as_str().unwrap().lines().count(),
        44,
        "a header and 43 rows"
    );
    // The PDF for board papers (#16), linked next to the others, in the page's language.
    assert!(body.contains("href=\"/produkter/os2mo/evaluering.pdf\""));
    let pdf = page(&app, "/produkter/os2mo/evaluering.pdf?lang=en", &[]).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers[header::CONTENT_TYPE], "application/pdf");
    assert!(pdf.body.as_str().unwrap().starts_with("%PDF-"));
    // Dated by the evaluation, not the day it is fetched: the same bytes every time.
    let again = page(&app, "/produkter/os2mo/evaluering.pdf?lang=en", &[]).await;
    assert_eq!(pdf.body, again.body);
    assert!(
        pdf.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with(".pdf\"")
    );
    assert_eq!(
        page(&app, "/produkter/hemmelig/evaluering.pdf", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The evaluation's own page (the static site's permanent address), for everyone who
    // may see the product; other products' and unknown evaluations are not found.
    let own = body
        .split("href=\"/produkter/os2mo/evalueringer/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let evaluation = page(
        &app,
        &format!("/produkter/os2mo/evalueringer/{own}?lang=en"),
        &[],
    )
    .await;
    assert_eq!(evaluation.status, StatusCode::OK);
    let text = html(&evaluation).to_owned();
    assert!(text.contains("<h1>OS2mo: evaluation "), "{text}");
    assert!(text.contains(&format!("href=\"/produkter/os2mo/evaluering-{own}.md\"")));
    assert_eq!(text.matches("<td class=\"rating-red\">").count(), 2);
    assert_eq!(text.matches("<td class=\"rating-green\">").count(), 41);
    for missing in [
        format!("/produkter/os2faktor/evalueringer/{own}"),
        format!("/produkter/hemmelig/evalueringer/{own}"),
        "/produkter/os2mo/evalueringer/999999".to_owned(),
        "/produkter/os2mo/evalueringer/x".to_owned(),
    ] {
        assert_eq!(
            page(&app, &missing, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    assert_eq!(
        page(&app, "/produkter/os2faktor/evaluering.md", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&app, "/produkter/os2mo/evaluering.exe", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&app, "/produkter/hemmelig/evaluering.md", &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(body.len() < 150 * 1024, "{} bytes", body.len());

    // Unpublished products are not found by the public.
    let hidden = page(&app, "/produkter/hemmelig", &[]).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let body = hidden.body.as_str().unwrap();
    assert!(
        body.contains("<h1>Siden findes ikke</h1>") && !body.contains("Hemmeligt"),
        "{body}"
    );
    assert_eq!(
        app.get("/produkter/hemmelig", Some("læser")).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_decision_log() {
    let (app, _) = portfolio().await;
    // A decision about the unpublished product stays out of the public log.
    let hidden = app
        .get("/api/v1/products/hemmelig", Some("læser"))
        .await
        .body["product"]["id"]
        .clone();
    app.register_decision(
        json!({"product_id": hidden, "decided_on": "2025-03-01", "kind": "stadie", "to": "koncept", "basis": "Hemmeligt grundlag", "decided_by": "sekretariat"}),
    )
    .await;

    let body = html(&page(&app, "/beslutninger", &[]).await).to_owned();
    assert!(body.contains("<h1>Beslutningsloggen</h1>"));
    assert!(body.contains("<p>3 beslutninger</p>"), "{body}");
    assert!(!body.contains("Hemmeligt grundlag"));
    // By year, newest first; in a year, newest first.
    let y2025 = body.find("<h2 id=\"aar-2025\">2025</h2>").unwrap();
    let y2024 = body.find("<h2 id=\"aar-2024\">2024</h2>").unwrap();
    assert!(y2025 < y2024);
    let level = body.find("Niveau (os2-1.1.0): – → 2").unwrap();
    let concept = body.find("Stadie: idé → koncept").unwrap();
    assert!(
        y2025 < level && level < concept && concept < y2024,
        "{body}"
    );
    assert!(body.contains("<a href=\"/produkter/os2mo\">OS2mo</a>"));
    assert!(body.contains("<td>Bestyrelse</td>"));

    let filtered =
        html(&page(&app, "/beslutninger?product=os2mo&kind=stadie", &[]).await).to_owned();
    assert!(filtered.contains("<p>1 beslutning</p>"), "{filtered}");
    assert!(filtered.contains("Stadie: idé → produkt"));
    let year = html(&page(&app, "/beslutninger?year=2024&lang=en", &[]).await).to_owned();
    assert!(
        year.contains("<p>1 decision</p>")
            && year.contains("Stage: idea → product")
            && year.contains("<td>Board</td>"),
        "{year}"
    );
    let wrong = html(&page(&app, "/beslutninger?product=findes-ikke", &[]).await).to_owned();
    assert!(wrong.contains("role=\"alert\">Ukendt produkt: «findes-ikke»"));

    // A reader sees the decision about the unpublished product too.
    let reader = app.get("/beslutninger", Some("læser")).await;
    assert!(reader.body.as_str().unwrap().contains("Hemmeligt grundlag"));
}

/// POST a form.
async fn form(
    app: &TestApp,
    path: &str,
    body: &str,
    headers: &[(header::HeaderName, &str)],
) -> Answer {
    let mut req =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    app.send(req.body(Body::from(body.to_owned())).unwrap())
        .await
}

/// The session cookie (`name=value`) of a successful login answer.
fn session_cookie(answer: &Answer) -> String {
    answer.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn logging_in_and_out_in_the_browser() {
    let (app, _) = portfolio().await;
    app.add_password_user("sek", "Sekretariatet", "korrekt-hest-batteri")
        .await;

    let login = html(&page(&app, "/log-ind?next=%2Fbeslutninger", &[]).await).to_owned();
    assert!(login.contains("<label for=\"username\">Brugernavn</label>"));
    assert!(
        login.contains("name=\"next\" value=\"/beslutninger\""),
        "{login}"
    );
    assert!(!login.contains("single sign-on"), "no SSO configured");

    // Wrong password: the form again, with the message and the name kept.
    let wrong = form(
        &app,
        "/log-ind",
        "username=sek&password=forkert&next=%2Fbeslutninger",
        &[],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let body = wrong.body.as_str().unwrap();
    assert!(
        body.contains("role=\"alert\" id=\"login-fejl\">Forkert brugernavn eller adgangskode."),
        "{body}"
    );
    assert!(body.contains("value=\"sek\""));
    // A post from another site is refused before the password is looked at.
    let foreign = form(
        &app,
        "/log-ind",
        "username=sek&password=korrekt-hest-batteri",
        &[
            (header::ORIGIN, "https://evil.example"),
            (header::HOST, "niveau.test"),
        ],
    )
    .await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    assert!(foreign.headers.get(header::SET_COOKIE).is_none());

    // The right password: a session cookie and back to where the visitor was going.
    let ok = form(
        &app,
        "/log-ind",
        "username=sek&password=korrekt-hest-batteri&next=%2Fbeslutninger",
        &[
            (header::ORIGIN, "http://niveau.test"),
            (header::HOST, "niveau.test"),
        ],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{:?}", ok.body);
    assert_eq!(ok.headers[header::LOCATION], "/beslutninger");
    let cookie = session_cookie(&ok);
    // An open redirect is not possible.
    let away = form(
        &app,
        "/log-ind",
        "username=sek&password=korrekt-hest-batteri&next=%2F%2Fevil.example",
        &[],
    )
    .await;
    assert_eq!(away.headers[header::LOCATION], "/");

    // Logged in: the header names the user, the unpublished product is listed.
    let home = html(&page(&app, "/", &[(header::COOKIE, &cookie)]).await).to_owned();
    assert!(home.contains("<a class=\"who\" href=\"/profil\">Sekretariatet</a>"));
    assert!(home.contains("/produkter/hemmelig"));
    let csrf = csrf_in(&home);
    assert!(csrf.len() >= 20, "{csrf}");

    // Logging out needs the form's CSRF token.
    let forged = form(
        &app,
        "/log-ud",
        "csrf_token=gaet",
        &[(header::COOKIE, &cookie)],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let out = form(
        &app,
        "/log-ud",
        &format!("csrf_token={csrf}"),
        &[(header::COOKIE, &cookie)],
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.headers[header::LOCATION], "/");
    let after = html(&page(&app, "/", &[(header::COOKIE, &cookie)]).await).to_owned();
    assert!(
        !after.contains("/produkter/hemmelig"),
        "the session is gone"
    );
    assert!(after.contains(">Log ind</a>"));
}

#[tokio::test]
async fn an_organisation_page() {
    let (app, aarhus) = portfolio().await;
    // Aarhus is also in the unpublished product, and chairs OS2mo's steering group.
    for (path, body) in [(
        "/api/v1/products/hemmelig/participants",
        json!({"organisation_id": aarhus, "role": "anvender"}),
    )] {
        let a = app.post(path, Some("sekretariat"), body).await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    let mo = app.get("/api/v1/products/os2mo", None).await.body["product"]["id"].clone();
    let group = app
        .post(
            "/api/v1/groups",
            Some("sekretariat"),
            json!({"product_id": mo, "kind": "styregruppe", "name": "Styregruppen for OS2mo"}),
        )
        .await;
    assert_eq!(group.status, StatusCode::CREATED, "{:?}", group.body);
    let gid = group.body["id"].as_i64().unwrap();
    let seat = app
        .post(
            &format!("/api/v1/groups/{gid}/members"),
            Some("sekretariat"),
            json!({"organisation_id": aarhus, "role": "formand"}),
        )
        .await;
    assert_eq!(seat.status, StatusCode::CREATED, "{:?}", seat.body);

    let body = html(&page(&app, &format!("/organisationer/{aarhus}"), &[]).await).to_owned();
    assert!(body.contains("<h1>Aarhus Kommune</h1>"));
    assert!(body.contains("<dd>Kommune</dd>"));
    assert!(
        body.contains("<td><a href=\"/produkter/os2mo\">OS2mo</a></td><td>Anvender</td>"),
        "{body}"
    );
    assert!(
        !body.contains("Hemmeligt"),
        "the unpublished product is not shown"
    );
    assert!(body.contains("Styregruppen for OS2mo<br><span class=\"meta\">Styregruppe</span>"));
    assert!(body.contains("<td>formand</td>"));
    let en = html(&page(&app, &format!("/organisationer/{aarhus}?lang=en"), &[]).await).to_owned();
    assert!(
        en.contains("<dd>Municipality</dd>")
            && en.contains("<td>User</td>")
            && en.contains("<td>chair</td>"),
        "{en}"
    );
    let reader = app
        .get(&format!("/organisationer/{aarhus}"), Some("læser"))
        .await;
    assert!(reader.body.as_str().unwrap().contains("Hemmeligt produkt"));
    assert_eq!(
        page(&app, "/organisationer/9999", &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        page(&app, "/organisationer/abc", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

/// The value of the row `label` in the table of figure `id`.
fn figure_value(body: &str, id: &str, label: &str) -> Option<u32> {
    let section = body
        .split(&format!("<section aria-labelledby=\"{id}\">"))
        .nth(1)?;
    let section = section.split("</section>").next()?;
    let row = section
        .split(&format!("<th scope=\"row\">{label}</th><td class=\"num\">"))
        .nth(1)?;
    row.split('<').next()?.parse().ok()
}

#[tokio::test]
async fn statistics_as_charts_and_tables() {
    let (app, aarhus) = portfolio().await;
    for body in [
        json!({"name": "Ballerup Kommune (medlem)", "kind": "kommune", "member_since": "2016-01-01"}),
        json!({"name": "Region Midt", "kind": "region", "member_since": "2020-05-01", "left_on": "2022-03-01"}),
        json!({"name": "Leverandør ApS", "kind": "leverandør", "member_since": "2019-01-01"}),
    ] {
        let a = app
            .post("/api/v1/organisations", Some("sekretariat"), body)
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    let mo = app.get("/api/v1/products/os2mo", None).await.body["product"]["id"].clone();
    let a = app
        .post("/api/v1/groups", Some("sekretariat"), json!({"product_id": mo, "kind": "koordinationsgruppe", "name": "Koordinationsgruppen"}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    let a = app
        .post("/api/v1/agreements", Some("sekretariat"), json!({"product_id": mo, "kind": "tilslutningsaftale", "title": "Tilslutningsaftale", "parties": [{"organisation_id": aarhus}]}))
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);

    let body = html(&page(&app, "/statistik", &[]).await).to_owned();
    assert!(body.len() < 150 * 1024);
    // Members at each year end: suppliers do not count, leaving counts.
    assert_eq!(figure_value(&body, "medlemmer", "2016"), Some(1));
    assert_eq!(figure_value(&body, "medlemmer", "2019"), Some(1));
    assert_eq!(figure_value(&body, "medlemmer", "2021"), Some(2));
    assert_eq!(figure_value(&body, "medlemmer", "2022"), Some(1));
    // Products at the stage "produkt", from the decision log.
    assert_eq!(figure_value(&body, "produkter", "2024"), Some(1));
    assert_eq!(figure_value(&body, "produkter", "2025"), Some(1));
    // OS2faktor's only stage decision is koncept; the unpublished product has none, but the
    // public does not see it, so no product is counted only from its registration.
    assert!(!body.contains("blev registreret"));
    // Today, as the public sees it (the unpublished product is not counted).
    assert_eq!(figure_value(&body, "stadier", "Produkt"), Some(1));
    assert_eq!(figure_value(&body, "stadier", "Koncept"), Some(1));
    assert_eq!(figure_value(&body, "stadier", "Idé"), Some(0));
    assert_eq!(figure_value(&body, "niveauer", "Niveau 2"), Some(1));
    assert_eq!(figure_value(&body, "niveauer", "Ikke vurderet"), Some(1));
    assert!(
        body.contains("<li><strong>1</strong> af 1 har en koordinationsgruppe</li>"),
        "{body}"
    );
    assert!(body.contains("<li><strong>0</strong> af 1 har en styregruppe</li>"));
    assert!(body.contains("<li><strong>1</strong> af 1 har en tilslutningsaftale</li>"));
    // Every chart says its numbers in text.
    assert!(body.contains("<desc id=\"stadier-d\">Idé: 0, Koncept: 1, Projekt: 0, Produkt: 1, Pauset: 0, Lukket: 0, Afvist: 0.</desc>"), "{body}");
    let en = html(&page(&app, "/statistik?lang=en", &[]).await).to_owned();
    assert_eq!(figure_value(&en, "stadier", "Concept"), Some(1));
    assert!(en.contains("have a joining agreement"));
    // A reader counts the unpublished product too.
    let reader = app.get("/statistik", Some("læser")).await;
    assert_eq!(
        figure_value(reader.body.as_str().unwrap(), "stadier", "Idé"),
        Some(1)
    );
}

#[tokio::test]
async fn an_evaluation_round_for_the_secretariat() {
    let (app, _) = portfolio().await;
    let id = |slug: &str| {
        let app = &app;
        let slug = slug.to_owned();
        async move {
            app.get(&format!("/api/v1/products/{slug}"), Some("læser"))
                .await
                .body["product"]["id"]
                .as_i64()
                .unwrap()
        }
    };
    let (mo, faktor) = (id("os2mo").await, id("os2faktor").await);
    let round = app
        .post(
            "/api/v1/rounds",
            Some("sekretariat"),
            json!({"name": "Efterår 2026", "opens_on": "2026-01-01", "self_evaluation_deadline": "2026-10-15", "evaluation_deadline": "2099-11-30", "note": "Årets runde", "product_ids": [mo, faktor]}),
        )
        .await;
    assert_eq!(round.status, StatusCode::CREATED, "{:?}", round.body);
    let rid = round.body["id"].as_i64().unwrap();
    // OS2faktor sends its report; OS2mo is evaluated and published.
    let report = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    let upload = Request::post("/api/v1/products/os2faktor/self-evaluations")
        .header(header::CONTENT_TYPE, "text/markdown")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", app.tokens["sekretariat"]),
        )
        .body(Body::from(report))
        .unwrap();
    let a = app.send(upload).await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    publish_evaluation(&app, "os2mo", &[]).await;

    // The public is sent to the login page.
    let anonymous = page(&app, &format!("/runder/{rid}"), &[]).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        anonymous.headers[header::LOCATION],
        format!("/log-ind?next=%2Frunder%2F{rid}")
    );
    assert_eq!(
        page(&app, "/runder", &[]).await.status,
        StatusCode::SEE_OTHER
    );

    let list = html(&app.get("/runder", Some("læser")).await).to_owned();
    assert!(
        list.contains(&format!("<a href=\"/runder/{rid}\">Efterår 2026</a>")),
        "{list}"
    );
    let body = html(
        &app.get(&format!("/runder/{rid}"), Some("sekretariat"))
            .await,
    )
    .to_owned();
    assert!(body.contains("<h1>Efterår 2026</h1>"));
    assert!(
        body.contains("2026-10-15</time> (overskredet for")
            || body.contains("2026-10-15</time> (om"),
        "{body}"
    );
    assert!(
        body.contains("<strong>1</strong> af 2 produkter har opdateret selvevalueringen"),
        "{body}"
    );
    assert!(body.contains("<strong>1</strong> er evalueret"));
    let faktor_row = body
        .split("/produkter/os2faktor\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        faktor_row.contains("<td>✓ <a href=\"/produkter/os2faktor/selvevaluering/versioner\"")
            && faktor_row.contains(
                "\">opdateret</a> <span class=\"meta\">(rapportens dato 2026-06-24)</span></td><td>ikke påbegyndt</td>"
            ),
        "{faktor_row}"
    );
    let mo_row = body
        .split("/produkter/os2mo\"")
        .nth(1)
        .unwrap()
        .split("</tr>")
        .next()
        .unwrap();
    assert!(
        mo_row.contains("ikke opdateret</a></td><td>✓ <a href=\"/evalueringer/"),
        "{mo_row}"
    );
    assert!(mo_row.contains("\">offentliggjort</a></td>"), "{mo_row}");
    let en = html(
        &app.get(&format!("/runder/{rid}?lang=en"), Some("sekretariat"))
            .await,
    )
    .to_owned();
    assert!(en.contains("\">published</a>") && en.contains("Self-evaluations due"));
    assert_eq!(
        app.get("/runder/999", Some("læser")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_profile_and_api_tokens() {
    let app = TestApp::new().await;
    app.add_password_user("sek", "Sekretariatet", "korrekt-hest-batteri")
        .await;
    assert_eq!(
        page(&app, "/profil", &[]).await.headers[header::LOCATION],
        "/log-ind?next=%2Fprofil"
    );
    let ok = form(
        &app,
        "/log-ind",
        "username=sek&password=korrekt-hest-batteri",
        &[],
    )
    .await;
    let cookie = session_cookie(&ok);
    let body = html(&page(&app, "/profil", &[(header::COOKIE, &cookie)]).await).to_owned();
    assert!(body.contains("<dd>sekretariat</dd>"), "{body}");
    assert!(body.contains("Du har ingen tokens."));
    let csrf = csrf_in(&body);

    // Without the CSRF token nothing is created.
    let forged = form(
        &app,
        "/profil/tokens",
        "name=CI&write=on",
        &[(header::COOKIE, &cookie)],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let created = form(
        &app,
        "/profil/tokens",
        &format!("csrf_token={csrf}&name=CI-job&write=on&expires_days=30"),
        &[(header::COOKIE, &cookie)],
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.headers[header::CACHE_CONTROL], "no-store");
    let body = created.body.as_str().unwrap();
    let secret = body
        .split("<code id=\"nyt-token\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert!(secret.starts_with("niveau_"), "{secret}");
    assert!(
        body.contains("<th scope=\"row\">CI-job</th><td>read, write</td>"),
        "{body}"
    );
    // The token works in the API, and the profile never shows the secret again.
    let me = app
        .send(
            Request::get("/api/v1/me")
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK, "{:?}", me.body);
    let again = html(&page(&app, "/profil", &[(header::COOKIE, &cookie)]).await).to_owned();
    assert!(!again.contains(&secret));
    let bad = form(
        &app,
        "/profil/tokens",
        &format!("csrf_token={csrf}&name=x&expires_days=aldrig"),
        &[(header::COOKIE, &cookie)],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Revoke it.
    let id = again
        .split("/profil/tokens/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let revoked = form(
        &app,
        &format!("/profil/tokens/{id}/tilbagekald"),
        &format!("csrf_token={csrf}"),
        &[(header::COOKIE, &cookie)],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    let me = app
        .send(
            Request::get("/api/v1/me")
                .header(header::AUTHORIZATION, format!("Bearer {secret}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    let after = html(&page(&app, "/profil", &[(header::COOKIE, &cookie)]).await).to_owned();
    assert!(
        after.contains("<td>tilbagekaldt</td>") || after.contains(">tilbagekaldt"),
        "{after}"
    );
}

#[tokio::test]
async fn finding_2_login_page_waits_like_the_api_and_keeps_the_name() {
    let dir = tempfile::tempdir().unwrap();
    let url = dir.path().join("login.db").display().to_string();
    let config = niveau_web::WebConfig {
        trust_forwarded_for: true,
        ..Default::default()
    };
    let app = TestApp::with_config(&url, config).await;
    app.add_password_user("sek", "Sekretariatet", "korrekt-hest-batteri")
        .await;
    // An existing and an unknown account, each guessed at from its own client, get the
    // same answers; the typed name stays in the form.
    let mut seen = Vec::new();
    for (name, client) in [("sek", "198.51.100.1"), ("ingen", "198.51.100.2")] {
        let mut answers = Vec::new();
        for _ in 0..7 {
            let a = form(
                &app,
                "/log-ind",
                &format!("username={name}&password=forkert-forkert"),
                &[(header::HeaderName::from_static("x-forwarded-for"), client)],
            )
            .await;
            let body = a.body.as_str().unwrap().to_owned();
            assert!(body.contains(&format!("value=\"{name}\"")), "{body}");
            answers.push((
                a.status,
                a.headers.get(header::RETRY_AFTER).cloned(),
                body.replace(&format!("value=\"{name}\""), "value=\"NAME\""),
            ));
        }
        seen.push(answers);
    }
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0][5].0, StatusCode::UNAUTHORIZED);
    let (status, retry, body) = &seen[0][6];
    assert_eq!(*status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry.as_ref().unwrap(), "60");
    assert!(
        body.contains("For mange forsøg. Prøv igen om 60 sekunder."),
        "{body}"
    );
    // The right password from the waiting client waits; from another client it works.
    let waits = form(
        &app,
        "/log-ind",
        "username=sek&password=korrekt-hest-batteri",
        &[(
            header::HeaderName::from_static("x-forwarded-for"),
            "198.51.100.1",
        )],
    )
    .await;
    assert_eq!(waits.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(waits.body.as_str().unwrap().contains("value=\"sek\""));
    let ok = form(
        &app,
        "/log-ind",
        "username=sek&password=korrekt-hest-batteri",
        &[(
            header::HeaderName::from_static("x-forwarded-for"),
            "203.0.113.20",
        )],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
}
