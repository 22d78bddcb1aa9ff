#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Fuzzing the API's input handling: random JSON values and random bytes sent to the
//! endpoints that take bodies never produce a 5xx or a panic, and never write anything
//! when refused.

use crate::common;

use axum::body::Body;
use axum::http::{Request, header};
use common::TestApp;
use proptest::prelude::*;
use serde_json::{Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(vec![
            "os2mo",
            "kommune",
            "idé",
            "produkt",
            "2026-01-01",
            "2026-13-40",
            "niveau",
            "stadie",
            "bestyrelse",
            "-1",
            "",
            "æøå",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "slug",
                    "name",
                    "kind",
                    "version",
                    "stage",
                    "repositories",
                    "organisation_id",
                    "product_id",
                    "role",
                    "parties",
                    "decided_on",
                    "to",
                    "basis",
                    "decided_by",
                    "model_id",
                    "title",
                    "opens_on",
                    "roles",
                    "published",
                    "x",
                ])
                .prop_map(str::to_string),
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const ENDPOINTS: &[&str] = &[
    "/api/v1/products",
    "/api/v1/organisations",
    "/api/v1/persons",
    "/api/v1/groups",
    "/api/v1/agreements",
    "/api/v1/rounds",
    "/api/v1/decisions",
    "/api/v1/users",
    "/api/v1/me/tokens",
    "/api/v1/auth/login",
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    #[test]
    fn random_json_is_refused_cleanly(value in json_value(), endpoint in prop::sample::select(ENDPOINTS.to_vec())) {
        let rt = runtime();
        rt.block_on(async {
            let app = TestApp::new().await;
            let before = app.store().list_audit(&Default::default(), &Default::default()).await.unwrap().total;
            let answer = app.post(endpoint, Some("admin"), value.clone()).await;
            prop_assert!(answer.status.as_u16() < 500, "{endpoint} {value} → {} {}", answer.status, answer.body);
            if !answer.status.is_success() {
                prop_assert!(answer.body["error"]["code"].is_string(), "{}", answer.body);
                let after = app.store().list_audit(&Default::default(), &Default::default()).await.unwrap().total;
                prop_assert_eq!(before, after, "a refused request wrote something");
            }
            Ok(())
        })?;
    }

    #[test]
    fn random_bytes_are_refused_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..300), endpoint in prop::sample::select(ENDPOINTS.to_vec())) {
        let rt = runtime();
        rt.block_on(async {
            let app = TestApp::new().await;
            let req = Request::post(endpoint)
                .header(header::AUTHORIZATION, format!("Bearer {}", app.tokens["admin"]))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(bytes.clone()))
                .unwrap();
            let answer = app.send(req).await;
            prop_assert!(answer.status.as_u16() < 500, "{endpoint} → {}", answer.status);
            Ok(())
        })?;
    }
}
