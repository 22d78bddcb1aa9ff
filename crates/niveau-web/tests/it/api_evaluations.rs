#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Self-evaluations and evaluations through the API, with OS2's real documents: upload,
//! refuse what cannot be read, propose a draft from answers and the portfolio, change,
//! take into dialogue, finalise with a decision, publish; and who may do what.

use crate::common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::{Answer, TestApp};
use niveau_store::Actor;
use serde_json::{Value, json};

const BORGERPC: &str = "os2/reports/selfeval-1.1.0-os2borgerpc-2026.md";
const FORM: &str = "os2/forms/selfeval-form-os2-test.json";

/// POST a raw body with a content type as `who`.
async fn upload(
    app: &TestApp,
    path: &str,
    who: Option<&str>,
    content_type: &str,
    body: &[u8],
) -> Answer {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::CONTENT_TYPE, content_type);
    if let Some(role) = who {
        req = req.header(
            header::AUTHORIZATION,
            format!("Bearer {}", app.tokens[role]),
        );
    }
    app.send(req.body(Body::from(body.to_vec())).unwrap()).await
}

/// The requirement rows of an OS2 Markdown report: table rows whose first cell is an id.
fn requirement_rows(markdown: &str) -> usize {
    markdown
        .lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .filter(|l| {
            let cells = niveau_testkit::table_cells(l);
            cells.first().is_some_and(|c| {
                let mut chars = c.chars();
                chars.next().is_some_and(|f| f.is_ascii_uppercase())
                    && chars.clone().count() > 0
                    && chars.all(|d| d.is_ascii_digit())
            })
        })
        .count()
}

async fn create_product(app: &TestApp, slug: &str, name: &str) -> i32 {
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": slug, "name": name, "short_description": "Test"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.body["id"].as_i64().unwrap() as i32
}

fn proposal<'a>(view: &'a Value, requirement: &str) -> &'a Value {
    view["current"]["proposals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["requirement"] == requirement)
        .unwrap_or_else(|| panic!("no proposal for {requirement}"))
}

#[tokio::test]
async fn self_evaluations_from_real_documents() {
    let app = TestApp::new().await;
    let product = create_product(&app, "os2borgerpc", "OS2borgerPC").await;
    let path = "/api/v1/products/os2borgerpc/self-evaluations";

    // OS2BorgerPC's governance report 1.1.0, as published.
    let markdown = niveau_testkit::fixture(BORGERPC);
    let stored = upload(
        &app,
        path,
        Some("sekretariat"),
        "text/markdown; charset=utf-8",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    let body = &stored.body;
    assert_eq!(body["product_id"], product);
    assert_eq!(body["number"], 1);
    assert_eq!(body["format"], "markdown");
    assert_eq!(body["model_id"], "os2-1.1.0");
    assert_eq!(body["model_version"], "1.1.0");
    assert_eq!(body["submitted_by"], "sekretariat-1");
    assert_eq!(body["source_text"].as_str().unwrap(), markdown);
    let rows = requirement_rows(&markdown);
    assert_eq!(rows, 43);
    assert_eq!(
        body["document"]["self_evaluation"]["answers"]
            .as_array()
            .unwrap()
            .len(),
        rows
    );
    assert_eq!(body["document"]["rows"].as_array().unwrap().len(), rows);
    // The importer's one warning, with its line: the G1 row is indented (line 64).
    let warnings = body["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["line"], 64);
    assert_eq!(warnings[0]["code"], "row-indented");
    assert!(markdown.lines().nth(63).unwrap().starts_with(" | G1 |"));
    // Its findings stay in the document: ten answers Ja without documentation.
    let findings = body["document"]["findings"].as_array().unwrap();
    assert_eq!(
        findings
            .iter()
            .filter(|f| f["code"] == "yes-without-documentation")
            .count(),
        10
    );
    // R1's claim names no evidence (see the proposals), so no level is indicated yet.
    assert_eq!(body["indicated_level"], serde_json::Value::Null);
    let first_id = body["id"].as_i64().unwrap();

    // OS2's form JSON, based on the first.
    let form = niveau_testkit::fixture(FORM);
    let stored = upload(
        &app,
        &format!("{path}?based_on=1"),
        Some("sekretariat"),
        "application/json",
        form.as_bytes(),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{:?}", stored.body);
    assert_eq!(stored.body["number"], 2);
    assert_eq!(stored.body["format"], "formular");
    assert_eq!(
        stored.body["document"]["generation"]["kind"],
        "self_evaluation_form"
    );
    let krav = serde_json::from_str::<Value>(&form).unwrap()["krav"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(
        stored.body["document"]["self_evaluation"]["answers"]
            .as_array()
            .unwrap()
            .len(),
        krav
    );

    // Based on a self-evaluation that is no longer the newest: 409, nothing stored.
    let stale = upload(
        &app,
        &format!("{path}?based_on=1"),
        Some("sekretariat"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{:?}", stale.body);
    assert_eq!(stale.body["error"]["code"], "conflict");

    // Truncated JSON: 422 naming the line, nothing stored.
    let cut = &form[..form.len() / 2];
    let broken = upload(
        &app,
        path,
        Some("sekretariat"),
        "application/json",
        cut.as_bytes(),
    )
    .await;
    assert_eq!(
        broken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        broken.body
    );
    assert_eq!(broken.body["error"]["field"], "body");
    let message = broken.body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!(
            "ugyldig JSON i linje {}, kolonne",
            cut.lines().count()
        )),
        "{message}"
    );
    // A Markdown file that is not a report (OS2's list of sources): 422.
    let prose = niveau_testkit::fixture("os2/SOURCES.md");
    let broken = upload(
        &app,
        path,
        Some("sekretariat"),
        "text/markdown",
        prose.as_bytes(),
    )
    .await;
    assert_eq!(
        broken.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        broken.body
    );
    assert!(
        broken.body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("ingen kravtabel fundet"),
        "{:?}",
        broken.body
    );
    // An evaluation report is not a self-evaluation.
    let evaluation = niveau_testkit::fixture("os2/reports/evaluation-0.9.2-os2-test.md");
    let wrong = upload(
        &app,
        path,
        Some("sekretariat"),
        "text/markdown",
        evaluation.as_bytes(),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Still two, newest first.
    let list = app.get(path, Some("læser")).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 2);
    assert_eq!(list.body["items"][0]["number"], 2);
    assert_eq!(list.body["items"][1]["number"], 1);
    // Metadata only: the warnings are counted, the texts are read one version at a time.
    assert_eq!(list.body["items"][1]["warning_count"], 1);
    assert!(list.body["items"][0].get("source_text").is_none());
    assert!(list.body["items"][0].get("document").is_none());
    assert!(list.body["items"][0].get("warnings").is_none());
    let one = app
        .get(
            &format!("/api/v1/self-evaluations/{first_id}"),
            Some("læser"),
        )
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["source_text"].as_str().unwrap(), markdown);
    assert_eq!(one.body["warnings"][0]["line"], 64);
    // Not for the public.
    assert_eq!(app.get(path, None).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.get(&format!("/api/v1/self-evaluations/{first_id}"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn product_editors_submit_for_their_own_products_only() {
    let app = TestApp::new().await;
    let mine = create_product(&app, "os2borgerpc", "OS2borgerPC").await;
    create_product(&app, "os2mo", "OS2mo").await;
    app.set_editor_products(vec![mine]).await;
    let markdown = niveau_testkit::fixture(BORGERPC);
    let own = upload(
        &app,
        "/api/v1/products/os2borgerpc/self-evaluations",
        Some("produktredaktør"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(own.status, StatusCode::CREATED, "{:?}", own.body);
    let other = upload(
        &app,
        "/api/v1/products/os2mo/self-evaluations",
        Some("produktredaktør"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let reader = upload(
        &app,
        "/api/v1/products/os2borgerpc/self-evaluations",
        Some("læser"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(reader.status, StatusCode::FORBIDDEN);
    // Editors do not evaluate.
    let denied = app
        .post(
            "/api/v1/products/os2borgerpc/evaluations",
            Some("produktredaktør"),
            json!({}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(
            "/api/v1/products/os2mo/self-evaluations",
            Some("sekretariat")
        )
        .await
        .body["total"],
        0
    );
}

#[tokio::test]
async fn an_evaluation_from_draft_to_publication() {
    let app = TestApp::new().await;
    let product = create_product(&app, "os2borgerpc", "OS2borgerPC").await;
    let markdown = niveau_testkit::fixture(BORGERPC);
    let stored = upload(
        &app,
        "/api/v1/products/os2borgerpc/self-evaluations",
        Some("sekretariat"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(stored.status, StatusCode::CREATED);
    let self_evaluation = stored.body["id"].clone();

    // A steering group with a board representative, in the registry.
    let store = app.store();
    let actor = Actor::system("test");
    let kommune = store
        .create_organisation(
            &actor,
            serde_json::from_value(json!({"name": "Aarhus Kommune", "kind": "kommune"})).unwrap(),
        )
        .await
        .unwrap();
    let group = store
        .create_group(
            &actor,
            serde_json::from_value(json!({"product_id": product, "kind": "styregruppe", "name": "Styregruppen for OS2borgerPC"}))
                .unwrap(),
        )
        .await
        .unwrap();
    for role in ["formand", "bestyrelsesrepræsentant"] {
        store
            .add_member(
                &actor,
                group.id,
                serde_json::from_value(json!({"organisation_id": kommune.id, "role": role}))
                    .unwrap(),
            )
            .await
            .unwrap();
    }
    let evidence = app
        .get("/api/v1/products/os2borgerpc/evidence", Some("læser"))
        .await;
    assert_eq!(evidence.status, StatusCode::OK, "{:?}", evidence.body);
    assert_eq!(evidence.body["model_id"], "os2-1.1.0");
    let found: Vec<(&str, &str, i64)> = evidence.body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["requirement"].as_str().unwrap(),
                f["rating"].as_str().unwrap(),
                f["confidence"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("G6", "green", 4), ("G12", "green", 4)]);
    assert_eq!(
        evidence.body["findings"][0]["evidence"][0]["table"],
        "work_group"
    );
    assert_eq!(evidence.body["findings"][0]["evidence"][0]["id"], group.id);
    // Against the 2018 model the same registry rows are G8 and G14 (no majority).
    let old = app
        .get(
            "/api/v1/products/os2borgerpc/evidence?model_id=os2-2018",
            Some("læser"),
        )
        .await;
    let found: Vec<(&str, &str)> = old.body["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["requirement"].as_str().unwrap(),
                f["rating"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(found, [("G8", "green"), ("G14", "yellow")]);

    // The draft.
    let created = app
        .call(
            Method::POST,
            "/api/v1/products/os2borgerpc/evaluations",
            Some("sekretariat"),
            None,
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let draft = created.body;
    let id = draft["id"].as_i64().unwrap();
    assert_eq!(draft["status"], "kladde");
    assert_eq!(draft["version"], 1);
    assert_eq!(draft["self_evaluation_id"], self_evaluation);
    assert_eq!(draft["model_id"], "os2-1.1.0");
    let proposals = draft["current"]["proposals"].as_array().unwrap();
    assert_eq!(proposals.len(), 43);
    for p in proposals {
        assert!(
            ["answer", "scan", "portfolio"].contains(&p["source"].as_str().unwrap()),
            "{p}"
        );
        let c = p["confidence"].as_i64().unwrap();
        assert!((1..=5).contains(&c), "{p}");
    }
    // R1: "Ja" with "Idriftsat i ca. 7 kommuner", too thin a description of the value:
    // a claim without documentation (OS2's principle), yellow from the answer.
    let r1 = proposal(&draft, "R1");
    assert_eq!(
        (
            r1["source"].as_str(),
            r1["rating"].as_str(),
            r1["confidence"].as_i64()
        ),
        (Some("answer"), Some("yellow"), Some(3))
    );
    assert_eq!(r1["lacks_evidence"], true);
    assert!(
        r1["reason"]["da"]
            .as_str()
            .unwrap()
            .starts_with("Påstand uden dokumentation"),
        "{r1}"
    );
    assert_eq!(r1["basis"], "Idriftsat i ca. 7 kommuner");
    assert_eq!(r1["conflict"], false);
    // G6: "Ja" without documentation (yellow, 2) against the registered steering group
    // (green, 4): the registry wins, and the answer is kept as the alternative.
    let g6 = proposal(&draft, "G6");
    assert_eq!(
        (
            g6["source"].as_str(),
            g6["rating"].as_str(),
            g6["confidence"].as_i64()
        ),
        (Some("portfolio"), Some("green"), Some(4))
    );
    assert_eq!(g6["conflict"], true);
    assert_eq!(g6["alternatives"][0]["source"], "answer");
    assert_eq!(g6["alternatives"][0]["rating"], "yellow");
    assert_eq!(g6["evidence"][0]["id"], group.id);
    let g12 = proposal(&draft, "G12");
    assert_eq!(
        (g12["source"].as_str(), g12["rating"].as_str()),
        (Some("portfolio"), Some("green"))
    );
    // The ratings start as the proposals.
    let ratings = draft["current"]["ratings"].as_array().unwrap();
    assert_eq!(ratings.len(), 43);
    let g6_rating = ratings.iter().find(|r| r["requirement"] == "G6").unwrap();
    assert_eq!(g6_rating["rating"], "green");
    // R1 (sandbox) is a claim without documentation: no level until it is settled.
    assert_eq!(draft["current"]["indicated_level"], serde_json::Value::Null);

    // Drafts are the secretariat's: a reader neither sees nor lists them.
    assert_eq!(
        app.get(&format!("/api/v1/evaluations/{id}"), Some("læser"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/api/v1/evaluations", Some("læser")).await.body["total"],
        0
    );
    assert_eq!(
        app.get("/api/v1/evaluations?status=kladde", Some("læser"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/evaluations", Some("sekretariat"))
            .await
            .body["total"],
        1
    );
    assert_eq!(
        app.get(&format!("/api/v1/evaluations/{id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Every requirement green with a basis: level 3.
    let all_green: Vec<Value> = ratings
        .iter()
        .map(|r| json!({"requirement": r["requirement"], "rating": "green", "basis": "Bekræftet af sekretariatet"}))
        .collect();
    let updated = app
        .put(
            &format!("/api/v1/evaluations/{id}"),
            Some("sekretariat"),
            json!({"ratings": all_green, "summary": "Godt arbejde", "version": 1}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["version"], 2);
    assert_eq!(updated.body["current"]["indicated_level"], "3");
    assert_eq!(updated.body["current"]["summary"], "Godt arbejde");
    // The proposals stay as they were made.
    assert_eq!(proposal(&updated.body, "G6")["source"], "portfolio");
    // A stale update: 409 with the current record.
    let stale = app
        .put(
            &format!("/api/v1/evaluations/{id}"),
            Some("sekretariat"),
            json!({"ratings": [], "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{:?}", stale.body);
    assert_eq!(stale.body["error"]["current"]["version"], 2);
    // Unknown requirements and ratings are refused with the field.
    let bad = app
        .put(&format!("/api/v1/evaluations/{id}"), Some("sekretariat"), json!({"ratings": [{"requirement": "R1", "rating": "green"}, {"requirement": "Z9", "rating": "green"}], "version": 2}))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "ratings[1].requirement");
    let bad = app
        .put(
            &format!("/api/v1/evaluations/{id}"),
            Some("sekretariat"),
            json!({"ratings": [{"requirement": "R1", "rating": "lilla"}], "version": 2}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "ratings[0].rating");
    // Readers and the board do not evaluate.
    let denied = app
        .put(
            &format!("/api/v1/evaluations/{id}"),
            Some("bestyrelse"),
            json!({"ratings": [], "version": 2}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // Into dialogue: now readers see it.
    let dialogue = app
        .post(
            &format!("/api/v1/evaluations/{id}/status"),
            Some("sekretariat"),
            json!({"status": "i dialog", "version": 2}),
        )
        .await;
    assert_eq!(dialogue.status, StatusCode::OK, "{:?}", dialogue.body);
    assert_eq!(dialogue.body["status"], "i dialog");
    assert_eq!(dialogue.body["version"], 3);
    let seen = app
        .get(&format!("/api/v1/evaluations/{id}"), Some("læser"))
        .await;
    assert_eq!(seen.status, StatusCode::OK);
    assert_eq!(seen.body["current"]["indicated_level"], "3");
    assert_eq!(
        app.get("/api/v1/evaluations", Some("læser")).await.body["total"],
        1
    );
    // The reader's history leaves out the draft versions.
    let versions = app
        .get(&format!("/api/v1/evaluations/{id}/versions"), Some("læser"))
        .await;
    assert_eq!(versions.body["total"], 1);
    let numbers: Vec<i64> = versions.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["number"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [3]);
    let versions = app
        .get(
            &format!("/api/v1/evaluations/{id}/versions"),
            Some("sekretariat"),
        )
        .await;
    assert_eq!(versions.body["items"].as_array().unwrap().len(), 3);
    assert_eq!(versions.body["total"], 3);
    // Not yet for the public.
    assert_eq!(
        app.get(&format!("/api/v1/evaluations/{id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Finalise: the level must be one of the model's.
    let bad = app
        .post(
            &format!("/api/v1/evaluations/{id}/finalise"),
            Some("sekretariat"),
            json!({"version": 3, "level": "4", "basis": "x"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "level");
    let finalised = app
        .post(
            &format!("/api/v1/evaluations/{id}/finalise"),
            Some("sekretariat"),
            json!({"version": 3, "level": "Niveau 2", "basis": "Evalueringsrunden foråret 2026", "decided_on": "2026-06-30"}),
        )
        .await;
    assert_eq!(finalised.status, StatusCode::OK, "{:?}", finalised.body);
    assert_eq!(finalised.body["evaluation"]["status"], "endelig");
    // The decision waits for publication (#12): no official level, nothing in the log.
    assert_eq!(finalised.body["pending_decision"]["to"], "2");
    assert_eq!(finalised.body["pending_decision"]["kind"], "niveau");
    assert_eq!(
        finalised.body["evaluation"]["evaluated_by"],
        "Test sekretariat"
    );
    let page = app
        .get("/api/v1/products/os2borgerpc", Some("sekretariat"))
        .await;
    assert_eq!(page.body["product"]["official_level"], Value::Null);
    let log = |who: Option<&'static str>| {
        let app = &app;
        async move {
            app.get(&format!("/api/v1/decisions?product_id={product}"), who)
                .await
        }
    };
    assert_eq!(log(Some("sekretariat")).await.body["total"], 0);
    // A final evaluation does not change any more.
    let frozen = app
        .put(
            &format!("/api/v1/evaluations/{id}"),
            Some("sekretariat"),
            json!({"ratings": [], "version": 4}),
        )
        .await;
    assert_eq!(frozen.status, StatusCode::CONFLICT);
    assert_eq!(frozen.body["error"]["code"], "invalid_state");

    // Publish: the public sees it once the product is published too.
    let published = app
        .post(
            &format!("/api/v1/evaluations/{id}/publish"),
            Some("sekretariat"),
            json!({"version": 4}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    assert_eq!(published.body["status"], "offentliggjort");
    // Publishing wrote the decision and set the official level, together.
    let page = app
        .get("/api/v1/products/os2borgerpc", Some("sekretariat"))
        .await;
    assert_eq!(page.body["product"]["official_level"], "2");
    assert_eq!(page.body["product"]["official_model"], "os2-1.1.0");
    let decisions = log(Some("sekretariat")).await;
    assert_eq!(decisions.status, StatusCode::OK, "{:?}", decisions.body);
    assert_eq!(decisions.body["total"], 1);
    assert_eq!(decisions.body["items"][0]["kind"], "niveau");
    assert_eq!(decisions.body["items"][0]["to_value"], "2");
    assert_eq!(decisions.body["items"][0]["decided_on"], "2026-06-30");
    assert_eq!(decisions.body["items"][0]["evaluation_id"], id);
    assert_eq!(
        app.get(&format!("/api/v1/evaluations/{id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/api/v1/evaluations", None).await.body["total"], 0);
    let version = page.body["product"]["version"].as_i64().unwrap();
    let made_public = app
        .put(
            "/api/v1/products/os2borgerpc",
            Some("sekretariat"),
            json!({"slug": "os2borgerpc", "name": "OS2borgerPC", "short_description": "Test", "published": true, "version": version}),
        )
        .await;
    assert_eq!(made_public.status, StatusCode::OK, "{:?}", made_public.body);
    let public = app.get(&format!("/api/v1/evaluations/{id}"), None).await;
    assert_eq!(public.status, StatusCode::OK, "{:?}", public.body);
    assert_eq!(public.body["status"], "offentliggjort");
    assert_eq!(public.body["current"]["indicated_level"], "3");
    let listed = app.get("/api/v1/evaluations", None).await;
    assert_eq!(listed.body["total"], 1);
    assert_eq!(listed.body["items"][0]["id"], id);
    // Its version history is for logged-in readers.
    assert_eq!(
        app.get(&format!("/api/v1/evaluations/{id}/versions"), None)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_draft_needs_a_model_and_a_matching_self_evaluation() {
    let app = TestApp::new().await;
    create_product(&app, "os2mo", "OS2mo").await;
    let other = create_product(&app, "os2borgerpc", "OS2borgerPC").await;
    // No self-evaluation and no model: 422 naming model_id.
    let none = app
        .post(
            "/api/v1/products/os2mo/evaluations",
            Some("sekretariat"),
            json!({}),
        )
        .await;
    assert_eq!(
        none.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        none.body
    );
    assert_eq!(none.body["error"]["field"], "model_id");
    // Another product's self-evaluation: 422.
    let markdown = niveau_testkit::fixture(BORGERPC);
    let se = upload(
        &app,
        "/api/v1/products/os2borgerpc/self-evaluations",
        Some("sekretariat"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    let wrong = app
        .post(
            "/api/v1/products/os2mo/evaluations",
            Some("sekretariat"),
            json!({"self_evaluation_id": se.body["id"]}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.body["error"]["field"], "self_evaluation_id");
    // An explicit model: the 1.1.0 answers are translated to the 2021 model.
    let old = app
        .post(
            "/api/v1/products/os2borgerpc/evaluations",
            Some("sekretariat"),
            json!({"model_id": "os2-2021"}),
        )
        .await;
    assert_eq!(old.status, StatusCode::CREATED, "{:?}", old.body);
    assert_eq!(old.body["model_id"], "os2-2021");
    assert_eq!(old.body["product_id"], other);
    let r1 = proposal(&old.body, "R1");
    assert_eq!(r1["source"], "answer");
    assert!(
        r1["detail"]
            .as_str()
            .unwrap()
            .contains("oversat fra os2-1.1.0"),
        "{r1}"
    );
    // A model that does not exist.
    let unknown = app
        .post(
            "/api/v1/products/os2borgerpc/evaluations",
            Some("sekretariat"),
            json!({"model_id": "os2-9"}),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.body["error"]["field"], "model_id");
}

/// Finding 5 in the API: an upload past the quota is a 413 naming the limit and the use,
/// storing nothing; editors read the volume, only the secretariat sets the quota
/// (audited); the server's default comes from the configuration.
#[tokio::test]
async fn finding_5_upload_quota_refuses_and_secretariat_can_raise() {
    let app = TestApp::new().await;
    let id = create_product(&app, "os2borgerpc", "OS2borgerPC").await;
    app.set_editor_products(vec![id]).await;
    let path = "/api/v1/products/os2borgerpc/self-evaluations";
    let markdown = niveau_testkit::fixture(BORGERPC);
    let first = upload(
        &app,
        path,
        Some("sekretariat"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let size = first.body["size_bytes"].as_i64().unwrap();
    assert!(size > markdown.len() as i64);
    let quota = "/api/v1/products/os2borgerpc/upload-quota";
    let volume = app.get(quota, Some("produktredaktør")).await;
    assert_eq!(volume.status, StatusCode::OK);
    assert_eq!(volume.body["used_bytes"], size);
    assert_eq!(volume.body["quota_bytes"], 50 * 1_048_576);
    assert_eq!(volume.body["own_quota"], false);
    assert_eq!(
        app.get(quota, Some("læser")).await.status,
        StatusCode::FORBIDDEN
    );
    let version = app
        .get("/api/v1/products/os2borgerpc", Some("sekretariat"))
        .await
        .body["product"]["version"]
        .as_i64()
        .unwrap();
    let denied = app
        .put(
            quota,
            Some("produktredaktør"),
            json!({"upload_quota_bytes": 1_000_000_000, "version": version}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let lowered = app
        .put(
            quota,
            Some("sekretariat"),
            json!({"upload_quota_bytes": size + 10, "version": version}),
        )
        .await;
    assert_eq!(lowered.status, StatusCode::OK, "{:?}", lowered.body);
    assert_eq!(lowered.body["own_quota"], true);
    let refused = upload(
        &app,
        path,
        Some("produktredaktør"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(refused.body["error"]["code"], "quota_exceeded");
    let message = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Produktets uploadkvote er "),
        "{message}"
    );
    assert!(message.contains("Intet er gemt."), "{message}");
    assert_eq!(app.get(path, Some("læser")).await.body["total"], 1);
    let raised = app
        .put(
            quota,
            Some("sekretariat"),
            json!({"upload_quota_bytes": size * 3, "version": version + 1}),
        )
        .await;
    assert_eq!(raised.status, StatusCode::OK, "{:?}", raised.body);
    let second = upload(
        &app,
        path,
        Some("produktredaktør"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(second.status, StatusCode::CREATED, "{:?}", second.body);
    let trail = app
        .get(&format!("/api/v1/audit/product/{id}"), Some("sekretariat"))
        .await;
    let changes = trail.body.to_string().matches("upload_quota\"").count();
    assert!(changes >= 2, "{}", trail.body);

    // The server's default, from the configuration.
    let dir = tempfile::tempdir().unwrap();
    let small = TestApp::with_config(
        &dir.path().join("small.db").display().to_string(),
        niveau_web::WebConfig {
            upload_quota_bytes: 1_000,
            ..Default::default()
        },
    )
    .await;
    create_product(&small, "os2borgerpc", "OS2borgerPC").await;
    let refused = upload(
        &small,
        path,
        Some("sekretariat"),
        "text/markdown",
        markdown.as_bytes(),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{:?}",
        refused.body
    );
    assert_eq!(small.get(path, Some("læser")).await.body["total"], 0);
}

/// Issue #12's guard rails through the API: one open evaluation per product (409 naming
/// it), discarding (kept for the secretariat), a level above the indicated one only with
/// a justification that the log keeps, and nothing public — evaluation, official level,
/// decision, badge, statistics — before publication.
#[tokio::test]
async fn guard_rails_of_an_evaluation() {
    let app = TestApp::new().await;
    create_product(&app, "os2mo", "OS2mo").await;
    // Published, so that the public may see what is published of it.
    let made_public = app
        .put(
            "/api/v1/products/os2mo",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "short_description": "Test", "published": true, "version": 1}),
        )
        .await;
    assert_eq!(made_public.status, StatusCode::OK, "{:?}", made_public.body);
    let create = || async {
        app.post(
            "/api/v1/products/os2mo/evaluations",
            Some("sekretariat"),
            json!({"model_id": "os2-1.1.0"}),
        )
        .await
    };
    let first = create().await;
    assert_eq!(first.status, StatusCode::CREATED, "{:?}", first.body);
    let id = first.body["id"].as_i64().unwrap();
    // No basis in the secretariat's name on a new draft.
    for r in first.body["current"]["ratings"].as_array().unwrap() {
        assert!(r.get("basis").is_none(), "{r}");
    }

    // A second one: 409, naming the open one.
    let second = create().await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{:?}", second.body);
    assert_eq!(second.body["error"]["code"], "open_evaluation");
    assert_eq!(
        second.body["error"]["message"],
        format!(
            "OS2mo har allerede en åben evaluering (evaluering {id}, kladde): /evalueringer/{id}. Arbejd videre i den, eller kassér den først."
        )
    );
    assert_eq!(
        app.get("/api/v1/evaluations", Some("sekretariat"))
            .await
            .body["total"],
        1
    );

    // Discard: kept for the secretariat, and a new draft may start.
    let denied = app
        .post(
            &format!("/api/v1/evaluations/{id}/discard"),
            Some("bestyrelse"),
            json!({"version": 1}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let discarded = app
        .post(
            &format!("/api/v1/evaluations/{id}/discard"),
            Some("sekretariat"),
            json!({"version": 1}),
        )
        .await;
    assert_eq!(discarded.status, StatusCode::OK, "{:?}", discarded.body);
    assert_eq!(discarded.body["status"], "kasseret");
    let kept = app
        .get(&format!("/api/v1/evaluations/{id}"), Some("sekretariat"))
        .await;
    assert_eq!(kept.body["status"], "kasseret");
    assert_eq!(
        app.get(&format!("/api/v1/evaluations/{id}"), Some("læser"))
            .await
            .status,
        StatusCode::NOT_FOUND,
        "a discarded draft stays the secretariat's"
    );
    let again = create().await;
    assert_eq!(again.status, StatusCode::CREATED, "{:?}", again.body);
    let id = again.body["id"].as_i64().unwrap();

    // Nothing rated: the ratings indicate no level, so level 1 needs a justification.
    let finalise = |body: Value| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/evaluations/{id}/finalise"),
                Some("sekretariat"),
                body,
            )
            .await
        }
    };
    let refused = finalise(json!({"version": 1, "level": "1", "basis": "Runden"})).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.body["error"]["field"], "justification");
    let done = finalise(json!({"version": 1, "level": "1", "basis": "Runden", "justification": "Styregruppen er nedsat"})).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);

    // Final, not published: nothing of it is public.
    let public_checks = || async {
        let product = app.get("/api/v1/products/os2mo", None).await;
        let decisions = app.get("/api/v1/decisions", None).await;
        let evaluations = app.get("/api/v1/evaluations", None).await;
        let one = app.get(&format!("/api/v1/evaluations/{id}"), None).await;
        let badge = app.get("/badge/os2mo.svg", None).await;
        (
            product.body["product"]["official_level"].clone(),
            decisions.body["total"].clone(),
            evaluations.body["total"].clone(),
            one.status,
            badge.body.as_str().unwrap_or_default().to_owned(),
        )
    };
    let (level, decisions, evaluations, one, badge_before) = public_checks().await;
    assert_eq!(
        (level, decisions, evaluations, one),
        (Value::Null, json!(0), json!(0), StatusCode::NOT_FOUND)
    );
    assert!(badge_before.contains("<svg"), "{badge_before}");
    let published = app
        .post(
            &format!("/api/v1/evaluations/{id}/publish"),
            Some("sekretariat"),
            json!({"version": 2}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    let (level, decisions, evaluations, one, badge_after) = public_checks().await;
    assert_eq!(
        (level, decisions, evaluations, one),
        (json!("1"), json!(1), json!(1), StatusCode::OK)
    );
    assert_ne!(
        badge_before, badge_after,
        "the badge shows the level only after publication"
    );
    let log = app.get("/api/v1/decisions", None).await;
    assert_eq!(
        log.body["items"][0]["basis"],
        "Runden\n\nBegrundelse for et niveau over det, vurderingerne peger på (intet niveau): Styregruppen er nedsat",
        "the justification is logged with the decision"
    );
    assert_eq!(log.body["items"][0]["evaluation_id"], id);
}
