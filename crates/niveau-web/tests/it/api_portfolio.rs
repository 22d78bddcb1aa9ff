#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The portfolio around the products: organisations, persons, groups and members,
//! agreements, rounds, the decision log and the audit log, through the API with each role.

use crate::common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

/// Create a product as the secretariat, published or not; returns its id.
async fn product(app: &TestApp, slug: &str, published: bool) -> i64 {
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": slug, "name": slug.to_uppercase(), "published": published}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["published"], published);
    created.body["id"].as_i64().unwrap()
}

/// Create an organisation as the secretariat; returns its id.
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

fn ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn organisations_through_the_api() {
    let app = TestApp::new().await;

    // Nothing here is public: anonymous must log in, even for a row that does not exist.
    for path in [
        "/api/v1/organisations",
        "/api/v1/organisations/999",
        "/api/v1/persons",
        "/api/v1/persons/999",
    ] {
        let anon = app.get(path, None).await;
        assert_eq!(anon.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(anon.body["error"]["code"], "unauthenticated");
    }
    assert_eq!(
        app.get("/api/v1/organisations/999", Some("læser"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Only the secretariat (and admin) edits organisations.
    let body = json!({"name": "Aarhus Kommune", "kind": "kommune", "member_since": "2015-01-01"});
    for role in ["læser", "bestyrelse", "produktredaktør"] {
        let denied = app
            .post("/api/v1/organisations", Some(role), body.clone())
            .await;
        assert_eq!(denied.status, StatusCode::FORBIDDEN, "{role}");
    }
    let created = app
        .post("/api/v1/organisations", Some("sekretariat"), body.clone())
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["name"], "Aarhus Kommune");
    assert_eq!(created.body["kind"], "kommune");
    assert_eq!(created.body["member_since"], "2015-01-01");
    assert_eq!(created.body["version"], 1);
    let id = created.body["id"].as_i64().unwrap();
    let supplier = organisation(&app, "Magenta ApS", "leverandør").await;

    // Bad input names the field.
    let bad = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": "   ", "kind": "kommune"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "name");
    let dup = app
        .post("/api/v1/organisations", Some("admin"), body.clone())
        .await;
    assert_eq!(dup.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(dup.body["error"]["code"], "duplicate");
    assert_eq!(dup.body["error"]["field"], "name");
    let bad = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": "Odense Kommune", "kind": "kommune", "supplier_partner_since": "2020-01-01"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "supplier_partner_since");
    let bad = app
        .post(
            "/api/v1/organisations",
            Some("sekretariat"),
            json!({"name": "Odense Kommune", "kind": "by"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "kind");

    // Read, list with filter and search.
    let got = app
        .get(&format!("/api/v1/organisations/{id}"), Some("læser"))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["name"], "Aarhus Kommune");
    let all = app.get("/api/v1/organisations", Some("læser")).await;
    assert_eq!(all.body["total"], 2);
    assert_eq!(ids(&all.body), vec![id, supplier]);
    let suppliers = app
        .get("/api/v1/organisations?kind=leverand%C3%B8r", Some("læser"))
        .await;
    assert_eq!(suppliers.status, StatusCode::OK, "{:?}", suppliers.body);
    assert_eq!(ids(&suppliers.body), vec![supplier]);
    let search = app
        .get("/api/v1/organisations?q=aarhus", Some("læser"))
        .await;
    assert_eq!(ids(&search.body), vec![id]);

    // Update, stale update, missing version, roles.
    let path = format!("/api/v1/organisations/{id}");
    let updated = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "Aarhus Kommune (MBU)", "kind": "kommune", "version": 1}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["name"], "Aarhus Kommune (MBU)");
    assert_eq!(updated.body["version"], 2);
    let stale = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "Aarhus", "kind": "kommune", "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["code"], "conflict");
    assert_eq!(stale.body["error"]["current"]["version"], 2);
    assert_eq!(
        stale.body["error"]["current"]["name"],
        "Aarhus Kommune (MBU)"
    );
    let unversioned = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "Aarhus", "kind": "kommune"}),
        )
        .await;
    assert_eq!(unversioned.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(unversioned.body["error"]["field"], "version");
    let denied = app
        .put(
            &path,
            Some("læser"),
            json!({"name": "Aarhus", "kind": "kommune", "version": 2}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.delete(&path, Some("læser"), 2).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.delete("/api/v1/organisations/999", None, 1)
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );

    // Archive: gone from the list, still there with archived=true and by id.
    let stale = app.delete(&path, Some("sekretariat"), 1).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let archived = app.delete(&path, Some("sekretariat"), 2).await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
    assert_eq!(archived.body["archived"], true);
    assert_eq!(archived.body["version"], 3);
    let list = app.get("/api/v1/organisations", Some("læser")).await;
    assert_eq!(ids(&list.body), vec![supplier]);
    let list = app
        .get("/api/v1/organisations?archived=true", Some("læser"))
        .await;
    assert_eq!(ids(&list.body), vec![id, supplier]);
    assert_eq!(app.get(&path, Some("læser")).await.body["archived"], true);
}

#[tokio::test]
async fn persons_through_the_api() {
    let app = TestApp::new().await;
    let org = organisation(&app, "Københavns Kommune", "kommune").await;

    let denied = app
        .post(
            "/api/v1/persons",
            Some("læser"),
            json!({"name": "Jens Hansen"}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let created = app
        .post(
            "/api/v1/persons",
            Some("sekretariat"),
            json!({"name": "Jens Hansen", "email": "jens@kk.dk", "organisation_id": org}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["email"], "jens@kk.dk");
    assert_eq!(created.body["organisation_id"], org);
    let id = created.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/persons/{id}");

    let bad = app
        .post(
            "/api/v1/persons",
            Some("sekretariat"),
            json!({"name": "Ukendt", "organisation_id": 9999}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "organisation_id");
    let bad = app
        .post("/api/v1/persons", Some("sekretariat"), json!({"name": ""}))
        .await;
    assert_eq!(bad.body["error"]["field"], "name");
    let bad = app
        .post(
            "/api/v1/persons",
            Some("sekretariat"),
            json!({"name": "X", "phone": "12345678"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // E-mail addresses are for logged-in readers only.
    assert_eq!(app.get(&path, None).await.status, StatusCode::UNAUTHORIZED);
    let got = app.get(&path, Some("læser")).await;
    assert_eq!(got.body["email"], "jens@kk.dk");
    let of_org = app
        .get(
            &format!("/api/v1/persons?organisation_id={org}"),
            Some("læser"),
        )
        .await;
    assert_eq!(ids(&of_org.body), vec![id]);
    let of_other = app
        .get("/api/v1/persons?organisation_id=9999", Some("læser"))
        .await;
    assert_eq!(of_other.body["total"], 0);

    let updated = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "Jens Hansen", "email": "jh@kk.dk", "organisation_id": org, "version": 1}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["email"], "jh@kk.dk");
    assert_eq!(updated.body["version"], 2);
    let stale = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "J", "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["current"]["version"], 2);
    assert_eq!(stale.body["error"]["current"]["email"], "jh@kk.dk");

    let archived = app.delete(&path, Some("sekretariat"), 2).await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
    assert_eq!(archived.body["archived"], true);
    assert_eq!(
        app.get("/api/v1/persons", Some("læser")).await.body["total"],
        0
    );
    assert_eq!(
        ids(&app
            .get("/api/v1/persons?archived=true", Some("læser"))
            .await
            .body),
        vec![id]
    );
}

#[tokio::test]
async fn groups_and_members_through_the_api() {
    let app = TestApp::new().await;
    let pid = product(&app, "os2mo", false).await;
    let org = organisation(&app, "Aarhus Kommune", "kommune").await;
    let person = app
        .post(
            "/api/v1/persons",
            Some("sekretariat"),
            json!({"name": "Mette", "organisation_id": org}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();

    assert_eq!(
        app.get("/api/v1/groups", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let body = json!({"product_id": pid, "kind": "styregruppe", "name": "Styregruppen for OS2mo"});
    assert_eq!(
        app.post("/api/v1/groups", Some("læser"), body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let created = app.post("/api/v1/groups", Some("sekretariat"), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["kind"], "styregruppe");
    assert_eq!(created.body["product_id"], pid);
    let gid = created.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/groups/{gid}");

    let bad = app
        .post(
            "/api/v1/groups",
            Some("sekretariat"),
            json!({"kind": "faggruppe", "name": " "}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "name");
    let bad = app
        .post(
            "/api/v1/groups",
            Some("sekretariat"),
            json!({"kind": "faggruppe", "name": "Jura", "product_id": 9999}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "product_id");

    // Members.
    let members = format!("{path}/members");
    assert_eq!(
        app.post(
            &members,
            Some("læser"),
            json!({"organisation_id": org, "role": "formand"})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let chair = app
        .post(
            &members,
            Some("sekretariat"),
            json!({"person_id": person, "organisation_id": org, "role": "formand"}),
        )
        .await;
    assert_eq!(chair.status, StatusCode::CREATED, "{:?}", chair.body);
    assert_eq!(chair.body["group_id"], gid);
    assert_eq!(chair.body["role"], "formand");
    let mid = chair.body["id"].as_i64().unwrap();
    let nobody = app
        .post(&members, Some("sekretariat"), json!({"role": "medlem"}))
        .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nobody.body["error"]["field"], "organisation_id");
    let bad_role = app
        .post(
            &members,
            Some("sekretariat"),
            json!({"organisation_id": org, "role": "konge"}),
        )
        .await;
    assert_eq!(bad_role.body["error"]["field"], "role");
    let no_group = app
        .post(
            "/api/v1/groups/9999/members",
            Some("sekretariat"),
            json!({"organisation_id": org, "role": "medlem"}),
        )
        .await;
    assert_eq!(no_group.status, StatusCode::NOT_FOUND);

    let got = app.get(&path, Some("læser")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["name"], "Styregruppen for OS2mo");
    assert_eq!(got.body["members"].as_array().unwrap().len(), 1);
    assert_eq!(got.body["members"][0]["person_id"], person);
    // Adding a member touches the group's version.
    let group_version = got.body["version"].as_i64().unwrap();
    assert_eq!(group_version, 2);

    let member_path = format!("/api/v1/members/{mid}");
    let changed = app
        .put(
            &member_path,
            Some("sekretariat"),
            json!({"organisation_id": org, "role": "medlem", "version": 1}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["role"], "medlem");
    assert_eq!(changed.body["person_id"], Value::Null);
    assert_eq!(changed.body["version"], 2);
    let stale = app
        .put(
            &member_path,
            Some("sekretariat"),
            json!({"organisation_id": org, "role": "formand", "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["current"]["version"], 2);
    assert_eq!(stale.body["error"]["current"]["role"], "medlem");
    assert_eq!(
        app.delete(&member_path, Some("læser"), 2).await.status,
        StatusCode::FORBIDDEN
    );
    let removed = app.delete(&member_path, Some("sekretariat"), 2).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{:?}", removed.body);
    let got = app.get(&path, Some("læser")).await;
    assert_eq!(got.body["members"], json!([]));
    let group_version = got.body["version"].as_i64().unwrap();
    assert_eq!(group_version, 4);

    // The group itself.
    let listed = app
        .get(&format!("/api/v1/groups?product_id={pid}"), Some("læser"))
        .await;
    assert_eq!(ids(&listed.body), vec![gid]);
    let renamed = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"product_id": pid, "kind": "koordinationsgruppe", "name": "Koordinationsgruppen", "version": group_version}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{:?}", renamed.body);
    assert_eq!(renamed.body["kind"], "koordinationsgruppe");
    assert_eq!(renamed.body["version"], group_version + 1);
    let stale = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"kind": "faggruppe", "name": "X", "version": group_version}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["current"]["version"], group_version + 1);
    let archived = app
        .delete(&path, Some("sekretariat"), (group_version + 1) as i32)
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
    assert_eq!(archived.body["archived"], true);
    assert_eq!(
        app.get("/api/v1/groups?kind=koordinationsgruppe", Some("læser"))
            .await
            .body["total"],
        0
    );
}

#[tokio::test]
async fn agreements_through_the_api() {
    let app = TestApp::new().await;
    let pid = product(&app, "os2forms", false).await;
    let town = organisation(&app, "Aalborg Kommune", "kommune").await;
    let supplier = organisation(&app, "Bellcom", "leverandør").await;

    let body = json!({
        "product_id": pid,
        "kind": "tilslutningsaftale",
        "title": "Tilslutning til OS2forms",
        "starts_on": "2024-01-01",
        "ends_on": "2026-12-31",
        "parties": [{"organisation_id": town}, {"organisation_id": supplier, "role": "leverandør"}]
    });
    assert_eq!(
        app.get("/api/v1/agreements", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post("/api/v1/agreements", Some("bestyrelse"), body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let created = app
        .post("/api/v1/agreements", Some("sekretariat"), body)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["title"], "Tilslutning til OS2forms");
    assert_eq!(created.body["version"], 1);
    assert_eq!(created.body["parties"][0]["organisation_id"], town);
    assert_eq!(created.body["parties"][0]["role"], "part");
    assert_eq!(created.body["parties"][1]["role"], "leverandør");
    let id = created.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/agreements/{id}");

    // An unknown party names its place; nothing is written.
    let bad = app
        .post(
            "/api/v1/agreements",
            Some("sekretariat"),
            json!({"kind": "andet", "title": "Forkert", "parties": [{"organisation_id": 9999}]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "parties[0].organisation_id");
    let bad = app
        .post(
            "/api/v1/agreements",
            Some("sekretariat"),
            json!({"kind": "andet", "title": "Baglæns", "starts_on": "2025-01-01", "ends_on": "2024-01-01"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "ends_on");
    let bad = app
        .post(
            "/api/v1/agreements",
            Some("sekretariat"),
            json!({"kind": "andet", "title": "", "parties": []}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "title");
    let bad = app
        .post(
            "/api/v1/agreements",
            Some("sekretariat"),
            json!({"kind": "andet", "title": "Type", "parties": [{"organisation_id": "Bellcom"}]}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "parties[0].organisation_id");
    let all = app.get("/api/v1/agreements", Some("læser")).await;
    assert_eq!(ids(&all.body), vec![id]);

    let of_supplier = app
        .get(
            &format!("/api/v1/agreements?organisation_id={supplier}"),
            Some("læser"),
        )
        .await;
    assert_eq!(ids(&of_supplier.body), vec![id]);
    let got = app.get(&path, Some("læser")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["parties"].as_array().unwrap().len(), 2);

    // The parties are replaced as a whole.
    let updated = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"product_id": pid, "kind": "tilslutningsaftale", "title": "Tilslutning til OS2forms",
                   "parties": [{"organisation_id": town}], "version": 1}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["version"], 2);
    assert_eq!(updated.body["ends_on"], Value::Null);
    assert_eq!(updated.body["parties"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.get(
            &format!("/api/v1/agreements?organisation_id={supplier}"),
            Some("læser")
        )
        .await
        .body["total"],
        0
    );
    let stale = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"kind": "andet", "title": "X", "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["current"]["version"], 2);

    let archived = app.delete(&path, Some("sekretariat"), 2).await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
    assert_eq!(archived.body["archived"], true);
    assert_eq!(
        app.get("/api/v1/agreements", Some("læser")).await.body["total"],
        0
    );
}

#[tokio::test]
async fn rounds_through_the_api() {
    let app = TestApp::new().await;
    let a = product(&app, "os2mo", true).await;
    let b = product(&app, "os2kitos", false).await;
    let body = json!({
        "name": "Efterår 2026",
        "opens_on": "2026-09-01",
        "self_evaluation_deadline": "2026-10-01",
        "evaluation_deadline": "2026-11-15",
        "product_ids": [b, a, b]
    });
    assert_eq!(
        app.get("/api/v1/rounds", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.post("/api/v1/rounds", Some("læser"), body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let created = app.post("/api/v1/rounds", Some("sekretariat"), body).await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["name"], "Efterår 2026");
    assert_eq!(created.body["version"], 1);
    assert_eq!(
        created.body["products"],
        json!([
            {"product_id": a, "self_evaluation_submitted": false, "self_evaluation_date": null, "self_evaluation_imported_at": null, "evaluation_status": null, "evaluation_id": null},
            {"product_id": b, "self_evaluation_submitted": false, "self_evaluation_date": null, "self_evaluation_imported_at": null, "evaluation_status": null, "evaluation_id": null}
        ])
    );
    let id = created.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/rounds/{id}");

    let bad = app
        .post(
            "/api/v1/rounds",
            Some("sekretariat"),
            json!({"name": "Forår 2027", "opens_on": "2027-03-01",
                   "self_evaluation_deadline": "2027-04-01", "evaluation_deadline": "2027-03-15"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "evaluation_deadline");
    let bad = app
        .post(
            "/api/v1/rounds",
            Some("sekretariat"),
            json!({"name": "Forår 2027", "opens_on": "2027-03-01",
                   "self_evaluation_deadline": "2027-02-01", "evaluation_deadline": "2027-05-15"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "self_evaluation_deadline");
    let bad = app
        .post(
            "/api/v1/rounds",
            Some("sekretariat"),
            json!({"name": "Forår 2027", "opens_on": "2027-03-01",
                   "self_evaluation_deadline": "2027-04-01", "evaluation_deadline": "2027-05-15",
                   "product_ids": [a, 9999]}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "product_ids[1]");
    let bad = app
        .post(
            "/api/v1/rounds",
            Some("sekretariat"),
            json!({"name": "Forår 2027", "opens_on": "1. marts",
                   "self_evaluation_deadline": "2027-04-01", "evaluation_deadline": "2027-05-15"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "opens_on");
    let spring = app
        .post(
            "/api/v1/rounds",
            Some("sekretariat"),
            json!({"name": "Forår 2026", "opens_on": "2026-03-01",
                   "self_evaluation_deadline": "2026-04-01", "evaluation_deadline": "2026-05-15"}),
        )
        .await;
    assert_eq!(spring.status, StatusCode::CREATED, "{:?}", spring.body);
    let spring_id = spring.body["id"].as_i64().unwrap();

    // Newest first.
    let list = app.get("/api/v1/rounds", Some("læser")).await;
    assert_eq!(ids(&list.body), vec![id, spring_id]);
    let got = app.get(&path, Some("læser")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["evaluation_deadline"], "2026-11-15");
    assert_eq!(got.body["products"].as_array().unwrap().len(), 2);

    let updated = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "Efterår 2026", "opens_on": "2026-09-01",
                   "self_evaluation_deadline": "2026-10-15", "evaluation_deadline": "2026-11-30",
                   "product_ids": [a], "version": 1}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["version"], 2);
    assert_eq!(updated.body["self_evaluation_deadline"], "2026-10-15");
    assert_eq!(updated.body["products"][0]["product_id"], a);
    assert_eq!(updated.body["products"].as_array().unwrap().len(), 1);
    let stale = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "Efterår 2026", "opens_on": "2026-09-01",
                   "self_evaluation_deadline": "2026-10-01", "evaluation_deadline": "2026-11-15",
                   "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["current"]["version"], 2);
    let taken = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"name": "Forår 2026", "opens_on": "2026-09-01",
                   "self_evaluation_deadline": "2026-10-01", "evaluation_deadline": "2026-11-15",
                   "version": 2}),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(taken.body["error"]["code"], "duplicate");
    assert_eq!(taken.body["error"]["field"], "name");
    assert_eq!(
        app.put(
            &path,
            Some("bestyrelse"),
            json!({"name": "X", "opens_on": "2026-09-01",
                   "self_evaluation_deadline": "2026-10-01", "evaluation_deadline": "2026-11-15",
                   "version": 2}),
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_decision_log() {
    let app = TestApp::new().await;
    let public = product(&app, "os2mo", true).await;
    let hidden = product(&app, "os2hemmelig", false).await;

    let stage = json!({"product_id": public, "decided_on": "2026-03-01", "kind": "stadie",
                       "to": "produkt", "basis": "Godkendt på bestyrelsesmødet",
                       "decided_by": "bestyrelse", "reference": "Referat 2026-03"});
    // Who may record decisions: the board and the secretariat.
    assert_eq!(
        app.post("/api/v1/decisions", None, stage.clone())
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    for role in ["læser", "produktredaktør"] {
        assert_eq!(
            app.post("/api/v1/decisions", Some(role), stage.clone())
                .await
                .status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
    // A stage changes only through the product process (#13): no jump from idé to
    // produkt through the log.
    let refused = app
        .post("/api/v1/decisions", Some("bestyrelse"), stage.clone())
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"]["code"], "use_process");
    assert_eq!(refused.body["error"]["field"], "kind");
    assert_eq!(
        app.get("/api/v1/products/os2mo", None).await.body["product"]["stage"],
        "idé"
    );
    // History from before the process is registered through the store.
    let moved = app.register_decision(stage).await;
    assert_eq!(moved.from_value.as_deref(), Some("idé"));
    assert_eq!(moved.to_value.as_deref(), Some("produkt"));
    let stage_id = i64::from(moved.id);
    let page = app.get("/api/v1/products/os2mo", None).await;
    assert_eq!(page.body["product"]["stage"], "produkt");
    assert_eq!(page.body["decisions"][0]["id"], stage_id);

    // A level decision is checked against the model and stored with the model's ids.
    let level = |model: &str, to: &str| {
        json!({"product_id": public, "decided_on": "2026-04-01", "kind": "niveau",
               "model_id": model, "to": to, "basis": "Evaluering forår 2026",
               "decided_by": "sekretariat"})
    };
    let unknown_model = app
        .post(
            "/api/v1/decisions",
            Some("sekretariat"),
            level("os2-1999", "2"),
        )
        .await;
    assert_eq!(unknown_model.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_model.body["error"]["field"], "model_id");
    assert_eq!(
        unknown_model.body["error"]["message"],
        "'os2-1999' er ikke en kendt model; mulige: os2-1.1.0, os2-2018, os2-2021"
    );
    let unknown_level = app
        .post(
            "/api/v1/decisions",
            Some("sekretariat"),
            level("os2-1.1.0", "4"),
        )
        .await;
    assert_eq!(unknown_level.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown_level.body["error"]["field"], "to");
    assert_eq!(
        unknown_level.body["error"]["message"],
        "'4' er ikke et niveau i os2-1.1.0; mulige: sandkasse, 1, 2, 3"
    );
    let no_model = app
        .post(
            "/api/v1/decisions",
            Some("sekretariat"),
            json!({"product_id": public, "decided_on": "2026-04-01", "kind": "niveau",
                   "to": "2", "basis": "x", "decided_by": "sekretariat"}),
        )
        .await;
    assert_eq!(no_model.body["error"]["field"], "model_id");
    assert_eq!(
        app.get("/api/v1/products/os2mo", None).await.body["product"]["official_level"],
        Value::Null
    );
    let set = app
        .post(
            "/api/v1/decisions",
            Some("sekretariat"),
            level(" os2-1.1.0 ", "Niveau 2"),
        )
        .await;
    assert_eq!(set.status, StatusCode::CREATED, "{:?}", set.body);
    assert_eq!(set.body["to_value"], "2");
    assert_eq!(set.body["model_id"], "os2-1.1.0");
    assert_eq!(set.body["from_value"], Value::Null);
    let level_id = set.body["id"].as_i64().unwrap();
    let page = app.get("/api/v1/products/os2mo", None).await;
    assert_eq!(page.body["product"]["official_level"], "2");
    assert_eq!(page.body["product"]["official_model"], "os2-1.1.0");

    // Other bad input names the field.
    let bad = app
        .post(
            "/api/v1/decisions",
            Some("sekretariat"),
            json!({"product_id": public, "decided_on": "2026-04-01", "kind": "stadie",
                   "to": "færdig", "basis": "x", "decided_by": "sekretariat"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "kind");
    assert_eq!(bad.body["error"]["code"], "use_process");
    let bad = app
        .post(
            "/api/v1/decisions",
            Some("sekretariat"),
            json!({"decided_on": "2026-04-01", "kind": "andet", "basis": " ",
                   "decided_by": "sekretariat"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "basis");

    // A decision about an unpublished product, and one about no product.
    let secret = app
        .post(
            "/api/v1/decisions",
            Some("sekretariat"),
            json!({"product_id": hidden, "decided_on": "2026-05-01", "kind": "optagelse",
                   "basis": "Optaget som idé", "decided_by": "bestyrelse"}),
        )
        .await;
    assert_eq!(secret.status, StatusCode::CREATED, "{:?}", secret.body);
    let secret_id = secret.body["id"].as_i64().unwrap();
    let general = app
        .post(
            "/api/v1/decisions",
            Some("admin"),
            json!({"decided_on": "2026-02-01", "kind": "andet",
                   "basis": "Ny governancemodel vedtaget", "decided_by": "bestyrelse"}),
        )
        .await;
    assert_eq!(general.status, StatusCode::CREATED, "{:?}", general.body);
    let general_id = general.body["id"].as_i64().unwrap();

    // The public log hides the unpublished product's decision; readers see everything.
    let public_log = app.get("/api/v1/decisions", None).await;
    assert_eq!(public_log.status, StatusCode::OK);
    assert_eq!(ids(&public_log.body), vec![level_id, stage_id, general_id]);
    assert_eq!(public_log.body["total"], 3);
    let hidden_filter = app
        .get(&format!("/api/v1/decisions?product_id={hidden}"), None)
        .await;
    assert_eq!(hidden_filter.body["total"], 0);
    let full_log = app.get("/api/v1/decisions", Some("læser")).await;
    assert_eq!(
        ids(&full_log.body),
        vec![secret_id, level_id, stage_id, general_id]
    );
    let levels = app
        .get("/api/v1/decisions?kind=niveau", Some("læser"))
        .await;
    assert_eq!(ids(&levels.body), vec![level_id]);
    let range = app
        .get(
            "/api/v1/decisions?from_date=2026-03-01&to_date=2026-04-30&sort=decided_on",
            None,
        )
        .await;
    assert_eq!(ids(&range.body), vec![stage_id, level_id]);

    let got = app
        .get(&format!("/api/v1/decisions/{stage_id}"), None)
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.body["basis"], "Godkendt på bestyrelsesmødet");
    assert_eq!(
        app.get(&format!("/api/v1/decisions/{general_id}"), None)
            .await
            .status,
        StatusCode::OK
    );
    let not_public = app
        .get(&format!("/api/v1/decisions/{secret_id}"), None)
        .await;
    assert_eq!(not_public.status, StatusCode::NOT_FOUND);
    assert_eq!(not_public.body["error"]["code"], "not_found");
    let for_reader = app
        .get(&format!("/api/v1/decisions/{secret_id}"), Some("læser"))
        .await;
    assert_eq!(for_reader.status, StatusCode::OK);
    assert_eq!(for_reader.body["product_id"], hidden);

    // Append-only: no route changes or removes a decision.
    let put = app
        .call(
            Method::PUT,
            &format!("/api/v1/decisions/{stage_id}"),
            Some("admin"),
            Some(json!({"basis": "omskrevet"})),
        )
        .await;
    assert_eq!(put.status, StatusCode::METHOD_NOT_ALLOWED);
    let delete = app
        .delete(&format!("/api/v1/decisions/{stage_id}"), Some("admin"), 1)
        .await;
    assert_eq!(delete.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        app.get(&format!("/api/v1/decisions/{stage_id}"), None)
            .await
            .body["basis"],
        "Godkendt på bestyrelsesmødet"
    );
}

#[tokio::test]
async fn the_audit_log() {
    let app = TestApp::new().await;
    let id = organisation(&app, "Gladsaxe Kommune", "kommune").await;
    let updated = app
        .put(
            &format!("/api/v1/organisations/{id}"),
            Some("admin"),
            json!({"name": "Gladsaxe Kommune", "kind": "kommune", "note": "Medlem siden 2013", "version": 1}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);

    let path = format!("/api/v1/audit/organisation/{id}");
    assert_eq!(app.get(&path, None).await.status, StatusCode::UNAUTHORIZED);
    for role in ["læser", "produktredaktør"] {
        assert_eq!(
            app.get(&path, Some(role)).await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
        assert_eq!(
            app.get("/api/v1/audit", Some(role)).await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
    }
    assert_eq!(
        app.get("/api/v1/audit", None).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The history of one row, oldest first, with the record before and after.
    let history = app.get(&path, Some("bestyrelse")).await;
    assert_eq!(history.status, StatusCode::OK, "{:?}", history.body);
    let events = history.body.as_array().unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0]["action"], "create");
    assert_eq!(events[0]["actor"], "sekretariat-1");
    assert_eq!(events[0]["before"], Value::Null);
    assert_eq!(events[0]["after"]["name"], "Gladsaxe Kommune");
    assert_eq!(events[0]["after"]["note"], Value::Null);
    assert_eq!(events[1]["action"], "update");
    assert_eq!(events[1]["actor"], "admin-1");
    assert_eq!(events[1]["before"]["version"], 1);
    assert_eq!(events[1]["before"]["note"], Value::Null);
    assert_eq!(events[1]["after"]["version"], 2);
    assert_eq!(events[1]["after"]["note"], "Medlem siden 2013");
    assert_eq!(
        app.get("/api/v1/audit/organisation/9999", Some("sekretariat"))
            .await
            .body,
        json!([])
    );

    // The log, newest first, filtered.
    let log = app
        .get(
            &format!("/api/v1/audit?entity=organisation&entity_id={id}"),
            Some("sekretariat"),
        )
        .await;
    assert_eq!(log.body["total"], 2);
    assert_eq!(log.body["items"][0]["action"], "update");
    assert_eq!(log.body["items"][1]["action"], "create");
    let by_admin = app
        .get(
            "/api/v1/audit?entity=organisation&actor=admin-1",
            Some("sekretariat"),
        )
        .await;
    assert_eq!(by_admin.body["total"], 1);
    assert_eq!(by_admin.body["items"][0]["entity_id"], id);

    // A stage decision writes the product's change into the audit log too.
    let pid = product(&app, "os2kitos", true).await;
    let placed = app
        .put(
            &format!("/api/v1/products/{pid}"),
            Some("sekretariat"),
            json!({"slug": "os2kitos", "name": "OS2KITOS", "published": true, "target_level": "1", "version": 1}),
        )
        .await;
    assert_eq!(placed.status, StatusCode::OK, "{:?}", placed.body);
    let decided = app
        .post(
            "/api/v1/products/os2kitos/process/steps",
            Some("bestyrelse"),
            json!({"transition": "koncept", "decided_on": "2026-03-01",
                   "basis": "Koncept godkendt", "decided_by": "sekretariat"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::FORBIDDEN, "{:?}", decided.body);
    let decided = app
        .post(
            "/api/v1/products/os2kitos/process/steps",
            Some("sekretariat"),
            json!({"transition": "koncept", "decided_on": "2026-03-01",
                   "basis": "Koncept godkendt", "decided_by": "sekretariat"}),
        )
        .await;
    assert_eq!(decided.status, StatusCode::CREATED, "{:?}", decided.body);
    let product_history = app
        .get(&format!("/api/v1/audit/product/{pid}"), Some("admin"))
        .await;
    let events = product_history.body.as_array().unwrap();
    // Created, placed on level 1, then the step: three updates of the product's row.
    assert_eq!(events.len(), 3);
    assert_eq!(events[2]["action"], "update");
    assert_eq!(events[2]["actor"], "sekretariat-1");
    assert_eq!(events[2]["before"]["stage"], "idé");
    assert_eq!(events[2]["after"]["stage"], "koncept");
}

#[tokio::test]
async fn the_openapi_document_lists_the_portfolio_routes() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    let paths = &doc.body["paths"];
    for (path, methods) in [
        ("/api/v1/organisations", &["get", "post"][..]),
        ("/api/v1/organisations/{id}", &["get", "put", "delete"][..]),
        ("/api/v1/persons", &["get", "post"][..]),
        ("/api/v1/persons/{id}", &["get", "put", "delete"][..]),
        ("/api/v1/groups", &["get", "post"][..]),
        ("/api/v1/groups/{id}", &["get", "put", "delete"][..]),
        ("/api/v1/groups/{id}/members", &["post"][..]),
        ("/api/v1/members/{id}", &["put", "delete"][..]),
        ("/api/v1/agreements", &["get", "post"][..]),
        ("/api/v1/agreements/{id}", &["get", "put", "delete"][..]),
        ("/api/v1/rounds", &["get", "post"][..]),
        ("/api/v1/rounds/{id}", &["get", "put"][..]),
        ("/api/v1/decisions", &["get", "post"][..]),
        ("/api/v1/decisions/{id}", &["get"][..]),
        ("/api/v1/audit", &["get"][..]),
        ("/api/v1/audit/{entity}/{id}", &["get"][..]),
    ] {
        for method in methods {
            assert!(paths[path][method].is_object(), "{method} {path}");
        }
    }
    assert!(paths["/api/v1/decisions/{id}"]["put"].is_null());
    assert!(paths["/api/v1/rounds/{id}"]["delete"].is_null());
    assert_eq!(
        paths["/api/v1/decisions"]["get"]["tags"],
        json!(["beslutninger"])
    );
    assert_eq!(
        paths["/api/v1/persons"]["get"]["tags"],
        json!(["organisationer"])
    );
    let schemas = &doc.body["components"]["schemas"];
    for schema in [
        "Organisation",
        "Person",
        "GroupWithMembers",
        "AgreementWithParties",
        "RoundView",
        "Decision",
        "AuditEvent",
        "DecisionInput",
    ] {
        assert!(schemas[schema].is_object(), "{schema}");
    }
}

#[tokio::test]
async fn the_public_log_without_any_published_product() {
    let app = TestApp::new().await;
    let hidden = product(&app, "os2ide", false).await;
    for (product_id, basis) in [(Some(hidden), "Idé modtaget"), (None, "Årsmøde")] {
        let made = app
            .post(
                "/api/v1/decisions",
                Some("sekretariat"),
                json!({"product_id": product_id, "decided_on": "2026-01-10", "kind": "andet",
                       "basis": basis, "decided_by": "sekretariat"}),
            )
            .await;
        assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    }
    let public_log = app.get("/api/v1/decisions", None).await;
    assert_eq!(public_log.status, StatusCode::OK, "{:?}", public_log.body);
    assert_eq!(public_log.body["total"], 1);
    assert_eq!(public_log.body["items"][0]["basis"], "Årsmøde");
    assert_eq!(
        app.get("/api/v1/decisions", Some("bestyrelse")).await.body["total"],
        2
    );
}
