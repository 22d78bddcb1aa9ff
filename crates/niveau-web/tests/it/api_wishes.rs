#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Development wishes through the JSON API (#14): the whole way from a municipality's
//! wish to delivery with co-funding, concurrent pledges, bad input, and who sees what.

use crate::common;

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use common::{Answer, TestApp};
use serde_json::{Value, json};

/// The four default screening criteria of models/wish-process.toml.
const CRITERIA: [&str; 4] = [
    "Passer til produktets formål og køreplan",
    "Gavner flere organisationer end den, der ønsker det",
    "Er teknisk og arkitektonisk forsvarligt",
    "Kan finansieres",
];

/// A clock the test moves forward.
#[derive(Clone)]
struct Clock(Arc<Mutex<DateTime<Utc>>>);

impl Clock {
    fn advance(&self, days: i64) {
        let mut now = self.0.lock().unwrap();
        *now += Duration::days(days);
    }
}

/// `app` with its store on a clock the test moves.
fn on_clock(mut app: TestApp) -> (TestApp, Clock) {
    let start = Utc::now();
    let clock = Clock(Arc::new(Mutex::new(start)));
    let read = clock.clone();
    let store = app
        .store()
        .clone()
        .with_clock(Arc::new(move || *read.0.lock().unwrap()));
    let registry = Arc::new(niveau_model::Registry::builtin().unwrap());
    app.state = niveau_web::AppState::new(store, app.state.config().clone(), registry, None);
    app.router = niveau_web::app(app.state.clone());
    (app, clock)
}

async fn product(app: &TestApp, slug: &str, published: bool) -> i64 {
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": slug, "name": slug.to_uppercase(), "published": published}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.body["id"].as_i64().unwrap()
}

async fn organisation(app: &TestApp, name: &str, kind: &str) -> i64 {
    let created = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": name, "kind": kind}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    created.body["id"].as_i64().unwrap()
}

fn ok(answer: &Answer, status: StatusCode) {
    assert_eq!(answer.status, status, "{}", answer.body);
}

fn version(answer: &Answer) -> i64 {
    answer.body["version"].as_i64().unwrap()
}

/// A wish raised by the læser for `slug`; returns it.
async fn raise(app: &TestApp, slug: &str, org: i64) -> Value {
    let raised = app
        .post(
            &format!("/api/v1/products/{slug}/wishes"),
            Some("læser"),
            json!({
                "title": "Orlov i organisationsdiagrammet",
                "need": "HR skal kunne se medarbejdere på orlov uden at slette dem",
                "proposal": "En ny status for engagementer",
                "value": "Færre fejl i lønsystemet",
                "organisation_id": org,
                "raised_by": "Karen Hansen",
                "raised_by_email": "karen@aarhus.dk",
                "priority": "høj",
                "priority_reason": "Lønkørslen fejler hver måned"
            }),
        )
        .await;
    ok(&raised, StatusCode::CREATED);
    raised.body
}

fn screening(version: i64) -> Value {
    json!({
        "entries": CRITERIA.iter().enumerate().map(|(i, c)| json!({
            "criterion": c,
            "rating": if i == 3 { "gul" } else { "grøn" },
            "note": format!("Vurdering {i}")
        })).collect::<Vec<_>>(),
        "version": version
    })
}

async fn step(app: &TestApp, id: i64, who: &str, to: &str, version: i64) -> Answer {
    app.post(
        &format!("/api/v1/wishes/{id}/steps"),
        Some(who),
        json!({"to": to, "version": version}),
    )
    .await
}

#[tokio::test]
async fn a_wish_from_raised_to_delivered_with_co_funding() {
    story(TestApp::new().await).await;
}

/// The same on PostgreSQL (ignored unless asked for: needs NIVEAU_TEST_DATABASE_URL).
#[tokio::test]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn a_wish_from_raised_to_delivered_with_co_funding_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    story(TestApp::on(&db.url).await).await;
}

async fn story(app: TestApp) {
    let (app, clock) = on_clock(app);
    let pid = product(&app, "os2mo", true).await;
    app.set_editor_products(vec![pid as i32]).await;
    let aarhus = organisation(&app, "Aarhus Kommune", "kommune").await;
    let odense = organisation(&app, "Odense Kommune", "kommune").await;
    let ballerup = organisation(&app, "Ballerup Kommune", "kommune").await;
    let magenta = organisation(&app, "Magenta ApS", "leverandør").await;

    // A læser (a municipal employee with only a Niveau login) raises the wish.
    let wish = raise(&app, "os2mo", aarhus).await;
    let id = wish["id"].as_i64().unwrap();
    assert_eq!(wish["state"], "ny");
    assert_eq!(wish["version"], 1);
    assert_eq!(wish["raised_by_user_id"], app.users["læser"]);
    // The læser does not handle it.
    let refused = step(&app, id, "læser", "screening", 1).await;
    ok(&refused, StatusCode::FORBIDDEN);

    // The product's editor screens it.
    clock.advance(2);
    let w = step(&app, id, "produktredaktør", "screening", 1).await;
    ok(&w, StatusCode::OK);
    assert_eq!(w.body["state"], "screening");
    // Asking for a solution before the screening is refused, naming what is missing.
    let early = step(
        &app,
        id,
        "produktredaktør",
        "afventer løsningsbeskrivelse",
        version(&w),
    )
    .await;
    ok(&early, StatusCode::CONFLICT);
    assert_eq!(early.body["error"]["code"], "invalid_state");
    assert!(
        early.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("screenes"),
        "{}",
        early.body
    );
    clock.advance(1);
    let settings = app
        .get("/api/v1/products/os2mo/wish-settings", Some("læser"))
        .await;
    ok(&settings, StatusCode::OK);
    assert_eq!(settings.body["criteria"], json!(CRITERIA));
    let w = app
        .put(
            &format!("/api/v1/wishes/{id}/screening"),
            Some("produktredaktør"),
            screening(version(&w)),
        )
        .await;
    ok(&w, StatusCode::OK);
    assert_eq!(w.body["screening"].as_array().unwrap().len(), 4);
    assert_eq!(w.body["screening"][3]["rating"], "gul");
    clock.advance(2);
    let w = step(
        &app,
        id,
        "produktredaktør",
        "afventer løsningsbeskrivelse",
        version(&w),
    )
    .await;
    ok(&w, StatusCode::OK);

    // The supplier's solution and estimate, then ready for prioritisation.
    clock.advance(7);
    let w = app
        .put(
            &format!("/api/v1/wishes/{id}/estimate"),
            Some("produktredaktør"),
            json!({
                "supplier_id": magenta,
                "solution": "Ny engagementsstatus 'orlov' i MO og i integrationen til løn",
                "solution_url": "https://os2mo.readthedocs.io/orlov",
                "estimate_hours": 240,
                "estimate_ore": 28_000_000,
                "version": version(&w)
            }),
        )
        .await;
    ok(&w, StatusCode::OK);
    assert_eq!(w.body["supplier_id"], magenta);
    assert_eq!(w.body["estimate_ore"], 28_000_000);
    let w = step(
        &app,
        id,
        "produktredaktør",
        "klar til prioritering",
        version(&w),
    )
    .await;
    ok(&w, StatusCode::OK);
    let prio = app
        .get(
            "/api/v1/products/os2mo/wishes/prioritisation",
            Some("produktredaktør"),
        )
        .await;
    ok(&prio, StatusCode::OK);
    assert_eq!(prio.body.as_array().unwrap().len(), 1);
    assert_eq!(prio.body[0]["id"], id);

    // The coordination group decides: the community pays, co-funded to DKK 300,000.
    clock.advance(3);
    let w = app
        .put(
            &format!("/api/v1/wishes/{id}/funding"),
            Some("sekretariat"),
            json!({
                "payer": "fællesskabet",
                "target_ore": 30_000_000,
                "rank": 1,
                "reason": "Gavner alle kommuner med OS2mo",
                "version": version(&w)
            }),
        )
        .await;
    ok(&w, StatusCode::OK);
    assert_eq!(w.body["payer"], "fællesskabet");
    assert_eq!(w.body["target_ore"], 30_000_000);
    let v = version(&w);

    // Ordering is refused until the co-funding is in place, naming what is missing.
    let refused = step(&app, id, "sekretariat", "bestilt hos leverandør", v).await;
    ok(&refused, StatusCode::CONFLICT);
    assert_eq!(refused.body["error"]["code"], "invalid_state");
    let msg = refused.body["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("samfinansieringen mangler 300.000 kr."),
        "{msg}"
    );
    let refused_en = app
        .post(
            &format!("/api/v1/wishes/{id}/steps?lang=en"),
            Some("sekretariat"),
            json!({"to": "bestilt hos leverandør", "version": v}),
        )
        .await;
    let msg = refused_en.body["error"]["message"].as_str().unwrap();
    assert!(msg.contains("the co-funding lacks DKK 300,000"), "{msg}");

    // Three municipalities pledge DKK 100,000 each.
    let mut v = v;
    for (i, org) in [aarhus, odense, ballerup].into_iter().enumerate() {
        clock.advance(1);
        let p = app
            .post(
                &format!("/api/v1/wishes/{id}/pledges"),
                Some("produktredaktør"),
                json!({"organisation_id": org, "amount_ore": 10_000_000, "note": "Budget 2027", "version": v}),
            )
            .await;
        ok(&p, StatusCode::CREATED);
        assert_eq!(p.body["pledge"]["organisation_id"], org);
        assert_eq!(p.body["pledge"]["amount_ore"], 10_000_000);
        assert_eq!(p.body["wish"]["version"], v + 1, "pledge {i}");
        v = p.body["wish"]["version"].as_i64().unwrap();
    }
    // A fourth is refused: the target is reached.
    let fourth = app
        .post(
            &format!("/api/v1/wishes/{id}/pledges"),
            Some("produktredaktør"),
            json!({"organisation_id": magenta, "amount_ore": 100, "version": v}),
        )
        .await;
    ok(&fourth, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fourth.body["error"]["field"], "amount_ore");
    assert!(
        fourth.body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("målet for samfinansieringen er nået"),
        "{}",
        fourth.body
    );
    let page = app
        .get(&format!("/api/v1/wishes/{id}"), Some("læser"))
        .await;
    ok(&page, StatusCode::OK);
    assert_eq!(page.body["wish"]["version"], v);
    assert_eq!(page.body["wish"]["pledged_ore"], 30_000_000);
    assert_eq!(page.body["wish"]["remaining_ore"], 0);
    assert_eq!(page.body["wish"]["funded"], true);
    assert_eq!(page.body["pledges"].as_array().unwrap().len(), 3);
    assert_eq!(page.body["pledges"][1]["organisation"], "Odense Kommune");

    // Ordered, started, delivered.
    clock.advance(5);
    let w = step(&app, id, "sekretariat", "bestilt hos leverandør", v).await;
    ok(&w, StatusCode::OK);
    clock.advance(1);
    let w = step(&app, id, "produktredaktør", "i gang", version(&w)).await;
    ok(&w, StatusCode::OK);
    clock.advance(29);
    let w = step(&app, id, "produktredaktør", "leveret", version(&w)).await;
    ok(&w, StatusCode::OK);
    assert_eq!(w.body["state"], "leveret");
    assert!(w.body["delivered_at"].is_string());
    // Once ordered, the funding does not change.
    let late = app
        .post(
            &format!("/api/v1/wishes/{id}/pledges"),
            Some("sekretariat"),
            json!({"organisation_id": magenta, "amount_ore": 100, "version": version(&w)}),
        )
        .await;
    ok(&late, StatusCode::CONFLICT);
    assert_eq!(late.body["error"]["code"], "invalid_state");

    // The page shows every transition in order, and the days spent in each state.
    let page = app
        .get(&format!("/api/v1/wishes/{id}"), Some("produktredaktør"))
        .await;
    ok(&page, StatusCode::OK);
    let states: Vec<&str> = page.body["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["to_state"].as_str().unwrap())
        .collect();
    let expected = [
        "ny",
        "screening",
        "afventer løsningsbeskrivelse",
        "klar til prioritering",
        "bestilt hos leverandør",
        "i gang",
        "leveret",
    ];
    assert_eq!(states, expected);
    let from: Vec<Value> = page.body["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["from_state"].clone())
        .collect();
    assert_eq!(from[0], Value::Null);
    assert_eq!(from[4], "klar til prioritering");
    let times: Vec<(String, i64)> =
        serde_json::from_value(page.body["time_in_states"].clone()).unwrap();
    let days: Vec<(&str, i64)> = times.iter().map(|(s, d)| (s.as_str(), *d)).collect();
    assert_eq!(
        days,
        [
            ("ny", 2),
            ("screening", 3),
            ("afventer løsningsbeskrivelse", 7),
            ("klar til prioritering", 11),
            ("bestilt hos leverandør", 1),
            ("i gang", 29),
            ("leveret", 0),
        ]
    );
    assert_eq!(page.body["wish"]["age_days"], 53);
    assert_eq!(page.body["wish"]["state"], "leveret");
    assert_eq!(page.body["wish"]["raised_by_email"], "karen@aarhus.dk");
    assert_eq!(page.body["organisation"], "Aarhus Kommune");
    assert_eq!(page.body["supplier"], "Magenta ApS");
    assert_eq!(page.body["may_manage"], true);
    assert_eq!(page.body["steps"], json!([]));

    // The audit log has every change of the wish, and the pledges.
    let history = app
        .get(&format!("/api/v1/audit/wish/{id}"), Some("sekretariat"))
        .await;
    ok(&history, StatusCode::OK);
    let actions: Vec<&str> = history
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "transition",
            "screen",
            "transition",
            "estimate",
            "transition",
            "fund",
            "pledge",
            "pledge",
            "pledge",
            "transition",
            "transition",
            "transition",
        ]
    );
    let last = &history.body[12];
    assert_eq!(last["before"]["state"], "i gang");
    assert_eq!(last["after"]["state"], "leveret");
    let pledges = app
        .get("/api/v1/audit?entity=wish_pledge", Some("sekretariat"))
        .await;
    ok(&pledges, StatusCode::OK);
    assert_eq!(pledges.body["total"], 3);

    // The portfolio overview counts the delivery against the target of 183 days.
    let overview = app
        .get("/api/v1/wishes/overview", Some("sekretariat"))
        .await;
    ok(&overview, StatusCode::OK);
    let row = &overview.body["products"][0];
    assert_eq!(row["slug"], "os2mo");
    assert_eq!(row["open"], 0);
    assert_eq!(row["delivered"], 1);
    assert_eq!(row["median_delivery_days"], 53);
    assert_eq!(row["target_days"], 183);
    assert_eq!(overview.body["unfunded"], json!([]));

    // The list filters by state.
    let delivered = app.get("/api/v1/wishes?state=leveret", Some("læser")).await;
    ok(&delivered, StatusCode::OK);
    assert_eq!(delivered.body["total"], 1);
    assert_eq!(delivered.body["items"][0]["funded"], true);
    let open = app.get("/api/v1/wishes?open=true", Some("læser")).await;
    assert_eq!(open.body["total"], 0);
}

/// Two pledges sent at once, based on the same version, against a target with room for
/// one: exactly one is registered, the other is a conflict.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_pledges_cannot_both_take_the_last_amount() {
    concurrent_pledges(TestApp::new().await).await;
}

/// The same on PostgreSQL (ignored unless asked for: needs NIVEAU_TEST_DATABASE_URL).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn concurrent_pledges_on_postgres() {
    let db = niveau_testkit::postgres::TestDatabase::create();
    concurrent_pledges(TestApp::on(&db.url).await).await;
}

async fn concurrent_pledges(app: TestApp) {
    product(&app, "os2mo", true).await;
    let aarhus = organisation(&app, "Aarhus Kommune", "kommune").await;
    let odense = organisation(&app, "Odense Kommune", "kommune").await;
    let id = raise(&app, "os2mo", aarhus).await["id"].as_i64().unwrap();
    let w = app
        .put(
            &format!("/api/v1/wishes/{id}/funding"),
            Some("sekretariat"),
            json!({"payer": "fællesskabet", "target_ore": 10_000_000, "version": 1}),
        )
        .await;
    ok(&w, StatusCode::OK);
    let v = version(&w);
    let path = format!("/api/v1/wishes/{id}/pledges");
    let (a, b) = tokio::join!(
        app.post(
            &path,
            Some("sekretariat"),
            json!({"organisation_id": aarhus, "amount_ore": 10_000_000, "version": v}),
        ),
        app.post(
            &path,
            Some("admin"),
            json!({"organisation_id": odense, "amount_ore": 10_000_000, "version": v}),
        ),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::CONFLICT],
        "{} / {}",
        a.body,
        b.body
    );
    let loser = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert_eq!(loser.body["error"]["code"], "conflict");
    assert_eq!(loser.body["error"]["current"]["version"], v + 1);
    let page = app
        .get(&format!("/api/v1/wishes/{id}"), Some("sekretariat"))
        .await;
    assert_eq!(page.body["pledges"].as_array().unwrap().len(), 1);
    assert_eq!(page.body["wish"]["pledged_ore"], 10_000_000);
    assert_eq!(page.body["wish"]["remaining_ore"], 0);
    assert_eq!(page.body["wish"]["version"], v + 1);
}

/// Bad input is refused with the field named, and nothing stored changes.
#[tokio::test]
async fn bad_input_names_the_field_and_changes_nothing() {
    let app = TestApp::new().await;
    product(&app, "os2mo", true).await;
    let aarhus = organisation(&app, "Aarhus Kommune", "kommune").await;
    let id = raise(&app, "os2mo", aarhus).await["id"].as_i64().unwrap();
    let w = app
        .put(
            &format!("/api/v1/wishes/{id}/funding"),
            Some("sekretariat"),
            json!({"payer": "fællesskabet", "target_ore": 10_000_000, "version": 1}),
        )
        .await;
    ok(&w, StatusCode::OK);
    let v = version(&w);
    let before = app
        .get(&format!("/api/v1/wishes/{id}"), Some("sekretariat"))
        .await
        .body;
    let audit_before = app.get("/api/v1/audit", Some("sekretariat")).await.body["total"].clone();

    let pledges = format!("/api/v1/wishes/{id}/pledges");
    let cases: Vec<(&str, String, Value, StatusCode, &str)> = vec![
        (
            "POST",
            pledges.clone(),
            json!({"organisation_id": aarhus, "amount_ore": -500, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_ore",
        ),
        (
            "POST",
            pledges.clone(),
            json!({"organisation_id": aarhus, "amount_ore": 0, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_ore",
        ),
        (
            "POST",
            pledges.clone(),
            json!({"organisation_id": aarhus, "amount_ore": 100_000_000_001_i64, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_ore",
        ),
        (
            "POST",
            pledges.clone(),
            json!({"organisation_id": aarhus, "amount_ore": 12.5, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_ore",
        ),
        (
            "POST",
            pledges.clone(),
            json!({"organisation_id": aarhus, "amount_ore": 10_000_001, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "amount_ore",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}/funding"),
            json!({"payer": "fællesskabet", "target_ore": 500_000_000_000_i64, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "target_ore",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}/estimate"),
            json!({"supplier_id": aarhus, "solution": "x", "estimate_ore": -1, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "estimate_ore",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}"),
            json!({"title": "Ny titel", "need": "Behov", "priority": "høj", "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "priority_reason",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}"),
            json!({"title": "Ny titel", "need": "Behov", "priority": "akut", "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "priority",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}/screening"),
            json!({"entries": [{"criterion": "Er billigt", "rating": "grøn"}], "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "entries[0].criterion",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}/screening"),
            json!({"entries": [{"criterion": CRITERIA[0], "rating": "grøn"}], "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "entries",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}/rank"),
            json!({"rank": 0, "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "rank",
        ),
        (
            "POST",
            format!("/api/v1/wishes/{id}/steps"),
            json!({"to": "færdig", "version": v}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "to",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}"),
            json!({"title": "Ny titel", "need": "Behov", "version": v - 1}),
            StatusCode::CONFLICT,
            "",
        ),
        (
            "POST",
            pledges.clone(),
            json!({"organisation_id": aarhus, "amount_ore": 100, "version": v - 1}),
            StatusCode::CONFLICT,
            "",
        ),
        (
            "PUT",
            format!("/api/v1/wishes/{id}"),
            json!({"title": "Ny titel", "need": "Behov"}),
            StatusCode::PRECONDITION_REQUIRED,
            "version",
        ),
    ];
    for (method, path, body, status, field) in cases {
        let method: axum::http::Method = method.parse().unwrap();
        let answer = app
            .call(
                method.clone(),
                &path,
                Some("sekretariat"),
                Some(body.clone()),
            )
            .await;
        assert_eq!(
            answer.status, status,
            "{method} {path} {body}: {}",
            answer.body
        );
        if status == StatusCode::CONFLICT {
            assert_eq!(answer.body["error"]["code"], "conflict");
            assert_eq!(answer.body["error"]["current"]["version"], v);
            assert_eq!(
                answer.body["error"]["current"]["title"],
                before["wish"]["title"]
            );
        } else {
            assert_eq!(
                answer.body["error"]["field"], field,
                "{method} {path} {body}"
            );
        }
        let message = answer.body["error"]["message"].as_str().unwrap();
        assert!(!message.is_empty());
    }
    // Raising a wish: high priority without a reason, an empty title.
    for (body, field) in [
        (
            json!({"title": "Hastesag", "need": "Behov", "priority": "høj"}),
            "priority_reason",
        ),
        (
            json!({"title": "Hastesag", "need": "Behov", "priority": "kritisk", "priority_reason": "  "}),
            "priority_reason",
        ),
        (json!({"title": " ", "need": "Behov"}), "title"),
        (
            json!({"title": "Ønske", "need": "Behov", "raised_by_email": "ikke en adresse"}),
            "raised_by_email",
        ),
    ] {
        let answer = app
            .post("/api/v1/products/os2mo/wishes", Some("læser"), body.clone())
            .await;
        ok(&answer, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer.body["error"]["field"], field, "{body}");
    }
    // Settings: an unknown field, a target of no days.
    let answer = app
        .put(
            "/api/v1/products/os2mo/wish-settings",
            Some("sekretariat"),
            json!({"criteria": ["A"], "target_days": 0}),
        )
        .await;
    ok(&answer, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.body["error"]["field"], "target_days");
    let answer = app
        .call(
            axum::http::Method::PUT,
            "/api/v1/products/os2mo/wish-settings",
            Some("sekretariat"),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Nothing stored changed (the product's default settings are made up on each read).
    let mut after = app
        .get(&format!("/api/v1/wishes/{id}"), Some("sekretariat"))
        .await
        .body;
    let mut before = before;
    for page in [&mut before, &mut after] {
        page.as_object_mut().unwrap().remove("settings");
    }
    assert_eq!(after, before);
    let list = app.get("/api/v1/wishes", Some("sekretariat")).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(
        app.get("/api/v1/audit", Some("sekretariat")).await.body["total"],
        audit_before
    );
    let settings = app
        .get("/api/v1/products/os2mo/wish-settings", Some("sekretariat"))
        .await;
    assert_eq!(settings.body["settings"]["version"], 0);
}

/// The public sees a summary of a published product's wishes; signed-in readers the
/// details but not the requester's e-mail; those who handle the wish everything.
#[tokio::test]
async fn who_sees_what_of_a_wish() {
    let app = TestApp::new().await;
    let pid = product(&app, "os2mo", true).await;
    product(&app, "hemmelig", false).await;
    app.set_editor_products(vec![pid as i32]).await;
    let aarhus = organisation(&app, "Aarhus Kommune", "kommune").await;
    let id = raise(&app, "os2mo", aarhus).await["id"].as_i64().unwrap();
    let hidden = raise(&app, "hemmelig", aarhus).await["id"]
        .as_i64()
        .unwrap();
    let c = app
        .post(
            &format!("/api/v1/wishes/{id}/comments"),
            Some("læser"),
            json!({"body": "Vi har samme behov i Odense"}),
        )
        .await;
    ok(&c, StatusCode::CREATED);
    assert_eq!(c.body["body"], "Vi har samme behov i Odense");

    // The public: a summary, the unpublished product's wish not at all.
    let list = app.get("/api/v1/products/os2mo/wishes", None).await;
    ok(&list, StatusCode::OK);
    assert_eq!(list.body["total"], 1);
    let item = &list.body["items"][0];
    assert_eq!(item["detail"], "summary");
    assert_eq!(item["title"], "Orlov i organisationsdiagrammet");
    assert_eq!(item["state"], "ny");
    assert_eq!(item["priority"], "høj");
    assert_eq!(item["need"], "");
    assert_eq!(item["raised_by"], "");
    assert_eq!(item["priority_reason"], Value::Null);
    assert_eq!(item["raised_by_email"], Value::Null);
    assert_eq!(item["raised_by_user_id"], Value::Null);
    let all = app.get("/api/v1/wishes", None).await;
    assert_eq!(all.body["total"], 1);
    ok(
        &app.get("/api/v1/products/hemmelig/wishes", None).await,
        StatusCode::NOT_FOUND,
    );
    ok(
        &app.get(&format!("/api/v1/wishes/{hidden}"), None).await,
        StatusCode::NOT_FOUND,
    );
    let page = app.get(&format!("/api/v1/wishes/{id}"), None).await;
    ok(&page, StatusCode::OK);
    assert_eq!(page.body["wish"]["need"], "");
    assert_eq!(page.body["wish"]["raised_by_email"], Value::Null);
    assert_eq!(page.body["comments"], json!([]));
    assert_eq!(page.body["transitions"][0]["actor"], "");
    assert_eq!(page.body["may_comment"], false);
    ok(
        &app.post(
            &format!("/api/v1/wishes/{id}/comments"),
            None,
            json!({"body": "Anonym"}),
        )
        .await,
        StatusCode::UNAUTHORIZED,
    );

    // A læser: the details, not the e-mail address.
    let list = app
        .get("/api/v1/products/os2mo/wishes", Some("læser"))
        .await;
    let item = &list.body["items"][0];
    assert_eq!(item["detail"], "details");
    assert_eq!(
        item["need"],
        "HR skal kunne se medarbejdere på orlov uden at slette dem"
    );
    assert_eq!(item["raised_by"], "Karen Hansen");
    assert_eq!(item["priority_reason"], "Lønkørslen fejler hver måned");
    assert_eq!(item["raised_by_email"], Value::Null);
    let page = app
        .get(&format!("/api/v1/wishes/{id}"), Some("læser"))
        .await;
    assert_eq!(
        page.body["comments"][0]["body"],
        "Vi har samme behov i Odense"
    );
    assert_eq!(page.body["wish"]["raised_by_email"], Value::Null);
    assert_eq!(page.body["may_manage"], false);
    assert_eq!(page.body["steps"], json!([]));
    // Signed-in readers see every product's wishes.
    assert_eq!(
        app.get("/api/v1/wishes", Some("læser")).await.body["total"],
        2
    );

    // The product's editor and the secretariat: everything, with the steps they may take.
    for role in ["produktredaktør", "sekretariat"] {
        let list = app.get("/api/v1/products/os2mo/wishes", Some(role)).await;
        let item = &list.body["items"][0];
        assert_eq!(item["detail"], "full", "{role}");
        assert_eq!(item["raised_by_email"], "karen@aarhus.dk", "{role}");
        let page = app.get(&format!("/api/v1/wishes/{id}"), Some(role)).await;
        assert_eq!(page.body["may_manage"], true);
        let steps: Vec<&str> = page.body["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["to"].as_str().unwrap())
            .collect();
        assert_eq!(steps, ["screening", "afvist", "parkeret"], "{role}");
    }
    // An editor of another product sees the details only.
    let list = app
        .get("/api/v1/products/hemmelig/wishes", Some("produktredaktør"))
        .await;
    assert_eq!(list.body["items"][0]["detail"], "details");
    assert_eq!(list.body["items"][0]["raised_by_email"], Value::Null);
}

/// The wish process is public and says what each step needs.
#[tokio::test]
async fn the_wish_process_is_public() {
    let app = TestApp::new().await;
    let table = app.get("/api/v1/wish-process", None).await;
    ok(&table, StatusCode::OK);
    assert_eq!(table.body["default_criteria"], json!(CRITERIA));
    let order = table.body["transitions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "order")
        .unwrap();
    assert_eq!(order["to"], "bestilt hos leverandør");
    assert_eq!(order["needs"], json!(["estimate", "decision", "funded"]));
    let doc = app.get("/api/v1/openapi.json", None).await.body;
    for path in [
        "/api/v1/wishes",
        "/api/v1/wishes/overview",
        "/api/v1/wishes/{id}",
        "/api/v1/wishes/{id}/pledges",
        "/api/v1/wishes/{id}/pledges/{pledge_id}/withdrawal",
        "/api/v1/products/{key}/wish-settings",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    assert!(doc["components"]["schemas"]["PledgeInput"].is_object());
    // Every schema the wish endpoints refer to is in the document.
    fn refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
        match v {
            Value::Object(map) => {
                if let Some(Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|x| refs(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.contains(&"#/components/schemas/WishPage"));
    for r in found {
        let name = r.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} is not in the document"
        );
    }
}

/// Settings: the product's own criteria replace the defaults; a second change needs the
/// version; a pledge is withdrawn and stays in the history.
#[tokio::test]
async fn settings_and_a_withdrawn_pledge() {
    let app = TestApp::new().await;
    let pid = product(&app, "os2mo", true).await;
    app.set_editor_products(vec![pid as i32]).await;
    let aarhus = organisation(&app, "Aarhus Kommune", "kommune").await;
    let put = app
        .put(
            "/api/v1/products/os2mo/wish-settings",
            Some("produktredaktør"),
            json!({"criteria": ["Passer til køreplanen", "Kan finansieres"], "allow_overfunding": true, "target_days": 120}),
        )
        .await;
    ok(&put, StatusCode::OK);
    assert_eq!(put.body["settings"]["version"], 1);
    assert_eq!(
        put.body["criteria"],
        json!(["Passer til køreplanen", "Kan finansieres"])
    );
    let stale = app
        .put(
            "/api/v1/products/os2mo/wish-settings",
            Some("produktredaktør"),
            json!({"criteria": ["Kan finansieres"], "version": 7}),
        )
        .await;
    ok(&stale, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["current"]["target_days"], 120);

    let id = raise(&app, "os2mo", aarhus).await["id"].as_i64().unwrap();
    let w = app
        .put(
            &format!("/api/v1/wishes/{id}/funding"),
            Some("produktredaktør"),
            json!({"payer": "fællesskabet", "target_ore": 1_000_000, "version": 1}),
        )
        .await;
    ok(&w, StatusCode::OK);
    // Over-funding is allowed by this product.
    let p = app
        .post(
            &format!("/api/v1/wishes/{id}/pledges"),
            Some("produktredaktør"),
            json!({"organisation_id": aarhus, "amount_ore": 1_500_000, "version": version(&w)}),
        )
        .await;
    ok(&p, StatusCode::CREATED);
    let pledge_id = p.body["pledge"]["id"].as_i64().unwrap();
    let v = p.body["wish"]["version"].as_i64().unwrap();
    let path = format!("/api/v1/wishes/{id}/pledges/{pledge_id}/withdrawal");
    let missing = app.post(&path, Some("produktredaktør"), json!({})).await;
    ok(&missing, StatusCode::PRECONDITION_REQUIRED);
    let withdrawn = app
        .post(&path, Some("produktredaktør"), json!({"version": v}))
        .await;
    ok(&withdrawn, StatusCode::OK);
    assert_eq!(withdrawn.body["version"], v + 1);
    let again = app
        .post(&path, Some("produktredaktør"), json!({"version": v + 1}))
        .await;
    ok(&again, StatusCode::CONFLICT);
    assert_eq!(again.body["error"]["code"], "invalid_state");
    let page = app
        .get(&format!("/api/v1/wishes/{id}"), Some("produktredaktør"))
        .await;
    assert_eq!(page.body["wish"]["pledged_ore"], 0);
    assert_eq!(page.body["wish"]["funded"], false);
    assert!(page.body["pledges"][0]["withdrawn_at"].is_string());
    // Ranking in the prioritisation view.
    let ranked = app
        .put(
            &format!("/api/v1/wishes/{id}/rank"),
            Some("produktredaktør"),
            json!({"rank": 3, "version": v + 1}),
        )
        .await;
    ok(&ranked, StatusCode::OK);
    assert_eq!(ranked.body["rank"], 3);
    let unranked = app
        .put(
            &format!("/api/v1/wishes/{id}/rank"),
            Some("produktredaktør"),
            json!({"rank": null, "version": v + 2}),
        )
        .await;
    ok(&unranked, StatusCode::OK);
    assert_eq!(unranked.body["rank"], Value::Null);
}
