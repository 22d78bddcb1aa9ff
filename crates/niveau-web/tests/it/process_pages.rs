#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The product's process page (`/produkter/{slug}/proces`, issue #13) driven through its
//! forms: the steps the visitor may take and why the others are refused, a step refused
//! with the typed basis kept, the board's approval through a board case (API), the step
//! to a project, a progress report over budget, and the English page.

use crate::common;

use axum::http::StatusCode;
use common::{TestApp, location, text};
use serde_json::json;

const PASSWORD: &str = "korrekt-hest-batteri";

#[tokio::test]
async fn from_idea_to_project_on_the_process_page() {
    let app = TestApp::new().await;
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "os2ny", "name": "OS2ny", "published": true, "target_level": "2"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    app.add_password_user("sek", "Sekretariatet", PASSWORD)
        .await;
    let s = app.session("sek", PASSWORD).await;

    let page = s.get("/produkter/os2ny/proces").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = text(&page).to_owned();
    assert!(body.contains("<dd id=\"stadie\">Idé</dd>"), "{body}");
    assert!(
        body.contains("<dd id=\"indplacering\">Niveau 2</dd>"),
        "{body}"
    );
    assert!(body.contains("<dd id=\"godkendt\">nej</dd>"));
    // From idé: the concept, a rejection (the board's at level 2) and a withdrawal.
    let concept = body.split("id=\"trin-koncept\"").nth(1).unwrap();
    let concept = &concept[..concept.find("</tr>").unwrap()];
    assert!(concept.contains("<td>ja</td>"), "{concept}");
    let reject = body.split("id=\"trin-afvis\"").nth(1).unwrap();
    let reject = &reject[..reject.find("</tr>").unwrap()];
    assert!(
        reject.contains("på niveau 2 træffer bestyrelsen beslutningen «Afvist»"),
        "{reject}"
    );

    // idé → koncept through the form.
    let done = s
        .post(
            "/produkter/os2ny/proces",
            &[
                ("transition", "koncept"),
                ("decided_by", "sekretariat"),
                ("decided_on", "2026-03-01"),
                ("basis", "Idéen er formet til et koncept"),
            ],
            true,
        )
        .await;
    assert_eq!(location(&done), "/produkter/os2ny/proces?besked=trin");
    let body = text(&s.get("/produkter/os2ny/proces?besked=trin").await).to_owned();
    assert!(body.contains("Trinnet er registreret i beslutningsloggen."));
    assert!(body.contains("<dd id=\"stadie\">Koncept</dd>"));
    assert!(
        body.contains("Idéen er formet til et koncept"),
        "the log shows it"
    );

    // Starting the project is refused until the board approves: the message names the
    // missing step and what was typed stays.
    let refused = s
        .post(
            "/produkter/os2ny/proces",
            &[
                ("transition", "igangsaet"),
                ("decided_by", "sekretariat"),
                ("decided_on", "2026-03-02"),
                ("basis", "Vi går i gang med det samme"),
                ("reference", "Mail af 2. marts"),
            ],
            true,
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    let body = text(&refused).to_owned();
    assert!(
        body.contains("et koncept på niveau 2 skal først godkendes af bestyrelsen: forelæg det i en bestyrelsessag"),
        "{body}"
    );
    assert!(body.contains(">Vi går i gang med det samme</textarea>"));
    assert!(body.contains("value=\"Mail af 2. marts\""));
    assert!(body.contains("value=\"2026-03-02\""));

    // The board approves the concept on a case: the project starts.
    let case = app
        .post(
            "/api/v1/board/cases",
            Some("sekretariat"),
            json!({"product_id": id, "kind": "koncept", "title": "OS2ny", "presentation": "Konceptet"}),
        )
        .await;
    assert_eq!(case.status, StatusCode::CREATED, "{:?}", case.body);
    let decided = app
        .post(
            &format!("/api/v1/board/cases/{}/decision", case.body["id"]),
            Some("bestyrelse"),
            json!({"outcome": "godkendt", "decided_on": "2026-04-01", "priority": 1, "version": 1}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::OK, "{:?}", decided.body);
    let body = text(&s.get("/produkter/os2ny/proces").await).to_owned();
    assert!(body.contains("<dd id=\"stadie\">Projekt</dd>"), "{body}");
    assert!(body.contains("<dd id=\"godkendt\">ja</dd>"));

    // A progress report: a bad amount keeps what was typed; then saved, over budget.
    let bad = s
        .post(
            "/produkter/os2ny/fremdrift",
            &[
                ("period_from", "2026-04-01"),
                ("period_to", "2026-06-30"),
                ("status", "forsinket"),
                ("budget", "en million"),
                ("progress", "Første version i test"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&bad).to_owned();
    assert!(
        body.contains("«en million» er ikke et beløb i hele kroner."),
        "{body}"
    );
    assert!(body.contains(">Første version i test</textarea>"));
    let saved = s
        .post(
            "/produkter/os2ny/fremdrift",
            &[
                ("period_from", "2026-04-01"),
                ("period_to", "2026-06-30"),
                ("status", "forsinket"),
                ("budget", "1.000.000"),
                ("spent", "700000"),
                ("expected_total", "1.200.000"),
                ("progress", "Første version i test"),
                ("risks", "Leverandørens kapacitet"),
            ],
            true,
        )
        .await;
    assert_eq!(
        location(&saved),
        "/produkter/os2ny/proces?besked=fremdrift#fremdrift"
    );
    let body = text(&s.get("/produkter/os2ny/proces").await).to_owned();
    let reports = body.split("id=\"rapporter\"").nth(1).unwrap();
    assert!(reports.contains("<th scope=\"row\">2026-04-01 – 2026-06-30</th><td>Forsinket</td><td class=\"num\">1.000.000 kr.</td><td class=\"num\">700.000 kr.</td>"), "{reports}");
    assert!(reports.contains("1.200.000 kr. (over budget)"), "{reports}");

    // English, in one language.
    let en = text(&s.get("/produkter/os2ny/proces?lang=en").await).to_owned();
    assert!(en.contains("<dd id=\"stadie\">Project</dd>"), "{en}");
    assert!(en.contains("Progress and economy"));
    assert!(!en.contains("Fremdrift og økonomi"));
}
