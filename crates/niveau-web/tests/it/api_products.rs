#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The product endpoints: create, read (public and logged-in), update, conflict, archive.

use crate::common;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::json;

#[tokio::test]
async fn products_through_the_api() {
    let app = TestApp::new().await;
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "short_description": "Organisation", "repositories": ["https://github.com/OS2mo/os2mo"]}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    assert_eq!(created.body["stage"], "idé");
    assert_eq!(created.body["version"], 1);

    // Unpublished: the public does not see it; a reader does.
    assert_eq!(
        app.get("/api/v1/products/os2mo", None).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/api/v1/products", None).await.body["total"], 0);
    let page = app.get("/api/v1/products/os2mo", Some("læser")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.body["product"]["slug"], "os2mo");

    // Publish it (an update with the version it is based on).
    let updated = app
        .put(
            "/api/v1/products/os2mo",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "published": true, "version": 1}),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{:?}", updated.body);
    assert_eq!(updated.body["version"], 2);
    let list = app.get("/api/v1/products?sort=-name&limit=10", None).await;
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["slug"], "os2mo");

    // A stale update: 409 with the current record.
    let stale = app
        .put(
            "/api/v1/products/os2mo",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "Old", "version": 1}),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["error"]["code"], "conflict");
    assert_eq!(stale.body["error"]["current"]["version"], 2);

    // Bad input names the field; nothing is written.
    let bad = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "Not A Slug", "name": "x"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "slug");
    let bad = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "x", "name": "x", "repositories": [1]}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["error"]["field"], "repositories[0]");
    let bad = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "x", "name": "x", "stage": "færdig"}),
        )
        .await;
    assert_eq!(bad.body["error"]["field"], "stage");
    assert_eq!(
        app.get("/api/v1/products", Some("læser")).await.body["total"],
        1
    );

    // Roles: a reader may not create; anonymous must log in.
    let denied = app
        .post(
            "/api/v1/products",
            Some("læser"),
            json!({"slug": "y", "name": "y"}),
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let anon = app
        .post("/api/v1/products", None, json!({"slug": "y", "name": "y"}))
        .await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);

    // Archive ("delete") needs the version too.
    let archived = app
        .delete("/api/v1/products/os2mo", Some("sekretariat"), 2)
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{:?}", archived.body);
    assert_eq!(archived.body["archived"], true);
    assert_eq!(
        app.get("/api/v1/products/os2mo", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_openapi_document_is_generated_from_the_handlers() {
    let app = TestApp::new().await;
    let doc = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert!(doc.body["paths"]["/api/v1/products"]["get"].is_object());
    assert!(doc.body["paths"]["/api/v1/products/{key}"]["put"].is_object());
    assert!(doc.body["components"]["schemas"]["Product"].is_object());
}

/// Issue #10, lesser finding: a product's editor could publish, unpublish and rename
/// (change the slug of) their product. Those are the secretariat's; the editor may still
/// change the other fields.
#[tokio::test]
async fn lesser_editor_cannot_publish_or_rename_slug() {
    let app = TestApp::new().await;
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let id = created.body["id"].as_i64().unwrap();
    app.set_editor_products(vec![i32::try_from(id).unwrap()])
        .await;
    let path = format!("/api/v1/products/{id}");
    let editor = Some("produktredaktør");

    for (body, field) in [
        (
            json!({"slug": "os2mo", "name": "OS2mo", "published": true, "version": 1}),
            "published",
        ),
        (
            json!({"slug": "os2-mo", "name": "OS2mo", "published": false, "version": 1}),
            "slug",
        ),
    ] {
        let refused = app.put(&path, editor, body).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{:?}", refused.body);
        assert_eq!(refused.body["error"]["field"], field);
        assert_eq!(
            refused.body["error"]["message"],
            "kun sekretariatet kan offentliggøre eller skjule et produkt og ændre dets slug"
        );
    }
    let stored = app
        .store()
        .product(i32::try_from(id).unwrap())
        .await
        .unwrap();
    assert_eq!(
        (stored.slug.as_str(), stored.published, stored.version),
        ("os2mo", false, 1)
    );

    // The other fields are the editor's.
    let edited = app
        .put(
            &path,
            editor,
            json!({"slug": " os2mo ", "name": "OS2mo", "short_description": "Organisation", "published": false, "version": 1}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    assert_eq!(edited.body["short_description"], "Organisation");

    // The secretariat publishes and renames; then the editor edits the published
    // product, and may not unpublish it.
    let published = app
        .put(
            &path,
            Some("sekretariat"),
            json!({"slug": "os2-mo", "name": "OS2mo", "published": true, "version": 2}),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    let unpublish = app
        .put(
            &path,
            editor,
            json!({"slug": "os2-mo", "name": "OS2mo", "published": false, "version": 3}),
        )
        .await;
    assert_eq!(
        unpublish.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        unpublish.body
    );
    let edited = app
        .put(
            &path,
            editor,
            json!({"slug": "os2-mo", "name": "OS2 MO", "published": true, "version": 3}),
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{:?}", edited.body);
    // Archiving stays the secretariat's.
    assert_eq!(
        app.delete(&path, editor, 4).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Errors follow the caller's language: Danish by default, English when the request asks
/// for it (Accept-Language or ?lang=), never a mix; code and field stay the same.
#[tokio::test]
async fn errors_are_answered_in_the_callers_language() {
    use axum::body::Body;
    use axum::http::{Request, header};

    let app = TestApp::new().await;
    let ask = |accept: Option<&str>, path: &str| {
        let mut req = Request::builder().uri(path);
        if let Some(accept) = accept {
            req = req.header(header::ACCEPT_LANGUAGE, accept);
        }
        req.body(Body::empty()).unwrap()
    };

    let danish = app.send(ask(None, "/api/v1/products/ukendt")).await;
    assert_eq!(danish.status, StatusCode::NOT_FOUND);
    assert_eq!(danish.body["error"]["code"], "not_found");
    assert_eq!(
        danish.body["error"]["message"],
        "produkt ukendt findes ikke"
    );

    let english = app
        .send(ask(Some("en-GB,en;q=0.9"), "/api/v1/products/ukendt"))
        .await;
    assert_eq!(english.status, StatusCode::NOT_FOUND);
    assert_eq!(english.body["error"]["code"], "not_found");
    assert_eq!(
        english.body["error"]["message"],
        "product ukendt does not exist"
    );

    let by_query = app
        .send(ask(Some("da"), "/api/v1/products/ukendt?lang=en"))
        .await;
    assert_eq!(
        by_query.body["error"]["message"],
        "product ukendt does not exist"
    );

    // A refusal made before any handler runs (the permission check) is translated too.
    let refused = app.send(ask(Some("en"), "/api/v1/audit")).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.body["error"]["message"],
        "log in to see or change this"
    );

    // A JSON syntax error names the place in the caller's language.
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/v1/products")
        .header(header::ACCEPT_LANGUAGE, "en")
        .header(header::CONTENT_TYPE, "application/json")
        .header(
            header::AUTHORIZATION,
            format!("Bearer {}", app.tokens["sekretariat"]),
        );
    req = req.header(header::ACCEPT, "application/json");
    let bad = app.send(req.body(Body::from("{\"slug\": ")).unwrap()).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let message = bad.body["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("invalid JSON at line 1, column 9"),
        "{message}"
    );
    assert!(!message.contains("ugyldig"), "{message}");
}
