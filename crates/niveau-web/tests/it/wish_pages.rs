#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The pages of development wishes (issue #14) driven through their forms: a reader
//! without any developer account raises a wish (a refusal keeps every typed field and
//! names the field), the public summary hides the need and the requester, the product
//! group screens, estimates (Danish amounts), decides co-funding, prioritises, collects
//! pledges until the target and orders; a stale version keeps the typed input; the
//! settings and the secretariat's overview show real values; forms need their CSRF token.

use crate::common;

use axum::http::StatusCode;
use common::{Session, TestApp, html, location, text};
use niveau_store::Actor;
use niveau_store::types::{Role, WishState};
use niveau_store::wishes::WishFilter;
use serde_json::json;

const PASSWORD: &str = "korrekt-hest-batteri";

/// A published product `os2mo` and two municipalities; returns (product id, org ids).
async fn setup(app: &TestApp) -> (i32, i32, i32) {
    let created = app
        .post(
            "/api/v1/products",
            Some("sekretariat"),
            json!({"slug": "os2mo", "name": "OS2mo", "published": true}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{:?}", created.body);
    let org = |name: &str, kind: &str| {
        let store = app.store().clone();
        let input = serde_json::from_value(json!({"name": name, "kind": kind})).unwrap();
        async move {
            store
                .create_organisation(&Actor::system("test"), input)
                .await
                .unwrap()
                .id
        }
    };
    let aarhus = org("Aarhus Kommune", "kommune").await;
    let odense = org("Odense Kommune", "kommune").await;
    org("Magenta ApS", "leverandør").await;
    (created.body["id"].as_i64().unwrap() as i32, aarhus, odense)
}

/// A session of a new account with `role` only.
async fn session_as<'a>(app: &'a TestApp, username: &str, role: Role) -> Session<'a> {
    app.store()
        .create_user(
            &Actor::system("test"),
            niveau_store::accounts::NewUser {
                username: username.into(),
                display_name: format!("Medarbejder {username}"),
                email: None,
                password_hash: Some(niveau_web::auth::password::hash_password(PASSWORD).unwrap()),
                roles: vec![role],
                product_ids: vec![],
                oidc: None,
            },
        )
        .await
        .unwrap();
    app.session(username, PASSWORD).await
}

/// The product's wishes in the store.
async fn stored(app: &TestApp) -> Vec<niveau_store::entity::wish::Model> {
    app.store()
        .list_wishes(
            &WishFilter::default(),
            None,
            &niveau_store::ListParams::all(),
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|r| r.wish)
        .collect()
}

fn as_refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn wish_id(location: &str) -> i32 {
    location
        .trim_start_matches("/oensker/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[tokio::test]
async fn a_reader_without_a_developer_account_raises_a_wish_through_the_form() {
    let app = TestApp::new().await;
    let (product, aarhus, _) = setup(&app).await;

    // Anonymous: the explanation and a login that returns to the form; no form.
    let anon = common::page(&app, "/produkter/os2mo/oensker/nyt", &[]).await;
    let body = html(&anon);
    assert!(body.contains("Hvad sker der, når du har sendt ønsket?"));
    assert!(
        body.contains("href=\"/log-ind?next=%2Fprodukter%2Fos2mo%2Foensker%2Fnyt\""),
        "{body}"
    );
    assert!(!body.contains("id=\"oenske-form\""));

    let reader = session_as(&app, "anne", Role::Laeser).await;
    let form = reader.get("/produkter/os2mo/oensker/nyt").await;
    let body = html(&form);
    assert!(body.contains("id=\"oenske-form\""));
    assert!(
        body.contains("value=\"Medarbejder anne\""),
        "the name is filled in"
    );
    assert!(body.contains(&format!(
        "<option value=\"{aarhus}\">Aarhus Kommune</option>"
    )));

    // High priority without a reason: refused, the field named, everything kept.
    let typed = [
        ("title", "Fraværsregistrering for timelønnede"),
        ("need", "Vi registrerer fravær for timelønnede på papir"),
        ("proposal", "Et felt for timer i fraværsskemaet"),
        ("value", "Færre fejl i lønnen"),
        ("organisation_id", &aarhus.to_string()),
        ("raised_by", "Anne Jensen"),
        ("raised_by_email", "anne@aarhus.dk"),
        ("priority", "høj"),
        ("priority_reason", ""),
    ];
    let refused = reader
        .post("/produkter/os2mo/oensker/nyt", &typed, true)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(
        body.contains(
            "Begrundelse for prioriteten: skal udfyldes, når prioriteten er høj eller kritisk"
        ),
        "{body}"
    );
    assert!(body.contains("aria-invalid=\"true\" aria-describedby=\"prioritet-begrundelse-fejl\""));
    assert!(body.contains("value=\"Fraværsregistrering for timelønnede\""));
    assert!(body.contains(">Vi registrerer fravær for timelønnede på papir</textarea>"));
    assert!(body.contains(">Et felt for timer i fraværsskemaet</textarea>"));
    assert!(body.contains(">Færre fejl i lønnen</textarea>"));
    assert!(body.contains("value=\"anne@aarhus.dk\""));
    assert!(body.contains("<option value=\"høj\" selected>Høj</option>"));
    assert!(body.contains(&format!("<option value=\"{aarhus}\" selected>")));
    assert!(stored(&app).await.is_empty(), "nothing was saved");

    // Without the CSRF token: refused, nothing saved.
    let forged = reader
        .post("/produkter/os2mo/oensker/nyt", &typed, false)
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // With a reason: raised, and the wish page says what happens next.
    let mut fixed = typed.to_vec();
    fixed[8] = ("priority_reason", "Lønkørslen i januar");
    let done = reader
        .post("/produkter/os2mo/oensker/nyt", &fixed, true)
        .await;
    let to = location(&done).to_owned();
    assert!(to.ends_with("?besked=rejst"), "{to}");
    let wishes = stored(&app).await;
    assert_eq!(wishes.len(), 1);
    let w = &wishes[0];
    assert_eq!(w.product_id, product);
    assert_eq!(w.title, "Fraværsregistrering for timelønnede");
    assert_eq!(w.need, "Vi registrerer fravær for timelønnede på papir");
    assert_eq!(w.organisation_id, Some(aarhus));
    assert_eq!(w.raised_by, "Anne Jensen");
    assert_eq!(w.raised_by_email.as_deref(), Some("anne@aarhus.dk"));
    assert_eq!(w.priority_reason.as_deref(), Some("Lønkørslen i januar"));
    assert_eq!(w.state, WishState::Ny);
    assert_eq!(wish_id(&to), w.id);
    let page = reader.get(&to).await;
    let body = html(&page);
    assert!(body.contains("Tak – ønsket er rejst."));
    assert!(body.contains("<dd id=\"status\">Ny"));
    assert!(body.contains("<dd id=\"organisation\">Aarhus Kommune</dd>"));
    // A reader does not handle the wish: no forms but the comment, no e-mail address.
    assert!(!body.contains("id=\"trin-form\""));
    assert!(!body.contains("id=\"screening-form\""));
    assert!(!body.contains("anne@aarhus.dk"));
    assert!(body.contains("id=\"kommentar\""));
    let commented = reader
        .post(
            &format!("/oensker/{}/kommentarer", w.id),
            &[("body", "Vi kan teste i februar")],
            true,
        )
        .await;
    assert!(location(&commented).ends_with("besked=kommentar#kommentar"));
    assert!(
        html(&reader.get(&format!("/oensker/{}", w.id)).await).contains("Vi kan teste i februar")
    );

    // The product page links the list with the count; the English form works too.
    let product_page = common::page(&app, "/produkter/os2mo", &[]).await;
    assert!(html(&product_page).contains("Udviklingsønsker</a>: 1 åbne"));
    let en = reader.get("/produkter/os2mo/oensker/nyt?lang=en").await;
    assert!(html(&en).contains("What happens after you send the wish?"));
}

#[tokio::test]
async fn the_public_reads_a_summary_without_the_need_or_the_requester() {
    let app = TestApp::new().await;
    setup(&app).await;
    let reader = session_as(&app, "bo", Role::Laeser).await;
    let done = reader
        .post(
            "/produkter/os2mo/oensker/nyt",
            &[
                ("title", "Eksport til regneark"),
                ("need", "Ledere skal kunne trække lister ud"),
                ("raised_by", "Bo Hansen"),
                ("priority", "lav"),
            ],
            true,
        )
        .await;
    let id = wish_id(location(&done));

    let public = common::page(&app, "/produkter/os2mo/oensker", &[]).await;
    let body = html(&public);
    assert!(body.contains(&format!(
        "<a href=\"/oensker/{id}\">Eksport til regneark</a>"
    )));
    assert!(body.contains("<td>Ny</td><td>Lav</td>"), "{body}");
    assert!(!body.contains("Ledere skal kunne trække lister ud"));
    assert!(!body.contains("Bo Hansen"));
    let page = common::page(&app, &format!("/oensker/{id}"), &[]).await;
    let body = html(&page);
    assert!(body.contains("<h1>Eksport til regneark</h1>"));
    assert!(!body.contains("Ledere skal kunne trække lister ud"));
    assert!(!body.contains("Bo Hansen"));
    assert!(!body.contains("id=\"kommentar\""));

    let signed_in = reader.get("/produkter/os2mo/oensker").await;
    let body = html(&signed_in);
    assert!(body.contains("Ledere skal kunne trække lister ud"));
    assert!(body.contains("Bo Hansen"));
    // The filters: closed wishes hold none yet; a state filter finds it.
    let closed = reader.get("/produkter/os2mo/oensker?vis=lukkede").await;
    assert!(html(&closed).contains("id=\"ingen-oensker\""));
    let by_state = reader
        .get("/produkter/os2mo/oensker?status=ny&lang=en")
        .await;
    assert!(html(&by_state).contains("Eksport til regneark"));
    // A reader has no prioritisation view nor settings.
    assert_eq!(
        reader
            .get("/produkter/os2mo/oensker/prioritering")
            .await
            .status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_product_group_screens_estimates_funds_prioritises_and_orders_on_the_pages() {
    let app = TestApp::new().await;
    let (_, aarhus, odense) = setup(&app).await;
    app.add_password_user("sek", "Sekretariatet", PASSWORD)
        .await;
    let s = app.session("sek", PASSWORD).await;
    let supplier = app
        .store()
        .list_organisations(
            &niveau_store::organisations::OrganisationFilter::default(),
            &niveau_store::ListParams::all(),
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|o| o.name == "Magenta ApS")
        .unwrap()
        .id;
    let done = s
        .post(
            "/produkter/os2mo/oensker/nyt",
            &[
                ("title", "Organisationsdiagram som PDF"),
                ("need", "Vi skal kunne udskrive diagrammet"),
                ("organisation_id", &aarhus.to_string()),
                ("priority", "middel"),
            ],
            true,
        )
        .await;
    let id = wish_id(location(&done));
    let base = format!("/oensker/{id}");
    let version = |app: &TestApp| {
        let store = app.store().clone();
        async move { store.wish(id).await.unwrap().wish.version }
    };

    // The steps from `ny`, with why the others are refused.
    let body = html(&s.get(&base).await).to_owned();
    assert!(body.contains("id=\"trin-form\""));
    let afvist = body.split("id=\"trin-afvist\"").nth(1).unwrap();
    assert!(afvist[..afvist.find("</tr>").unwrap()].contains("kræver en begrundelse"));
    let moved = s
        .post(
            &format!("{base}/trin"),
            &[
                ("to", "screening"),
                ("version", &version(&app).await.to_string()),
            ],
            true,
        )
        .await;
    assert!(location(&moved).starts_with(&format!("{base}?besked=trin")));

    // Screening: one criterion left out is refused at its radio, the others kept.
    let v = version(&app).await.to_string();
    let criteria = niveau_app::wishes::table::builtin()
        .default_criteria
        .clone();
    let mut fields: Vec<(String, String)> = vec![("version".into(), v.clone())];
    for (i, c) in criteria.iter().enumerate() {
        fields.push((format!("criterion-{i}"), c.clone()));
        if i > 0 {
            fields.push((
                format!("rating-{i}"),
                if i == 3 { "gul" } else { "grøn" }.into(),
            ));
        }
        fields.push((format!("note-{i}"), format!("Note {i}")));
    }
    let refused = s
        .post(&format!("{base}/screening"), &as_refs(&fields), true)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused);
    assert!(
        body.contains(&format!("{}: vælg grøn, gul eller rød", criteria[0])),
        "{body}"
    );
    assert!(body.contains("value=\"Note 2\""));
    assert!(body.contains("id=\"screening-3-gul\" name=\"rating-3\" value=\"gul\" checked"));
    fields.push(("rating-0".into(), "rød".into()));
    let saved = s
        .post(&format!("{base}/screening"), &as_refs(&fields), true)
        .await;
    assert!(location(&saved).contains("besked=screening"));
    let body = html(&s.get(&base).await).to_owned();
    assert!(body.contains("🔴 Rød – ikke opfyldt"));
    assert!(body.contains("🟡 Gul – delvist opfyldt"));

    // The estimate: a negative amount is refused at its field with everything kept.
    let v = version(&app).await.to_string();
    let estimate = |amount: &'static str, version: String| {
        vec![
            ("supplier_id".to_owned(), supplier.to_string()),
            (
                "solution".to_owned(),
                "En PDF-eksport i diagrammodulet".to_owned(),
            ),
            (
                "solution_url".to_owned(),
                "https://example.org/pdf".to_owned(),
            ),
            ("estimate_hours".to_owned(), "40".to_owned()),
            ("estimate".to_owned(), amount.to_owned()),
            ("version".to_owned(), version),
        ]
    };
    let bad = s
        .post(
            &format!("{base}/estimat"),
            &as_refs(&estimate("-5.000", v.clone())),
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&bad);
    assert!(
        body.contains("Pris i kroner: «-5.000» er negativt; et beløb er 0 kr. eller mere"),
        "{body}"
    );
    assert!(body.contains(">En PDF-eksport i diagrammodulet</textarea>"));
    assert!(body.contains("value=\"-5.000\""));
    assert!(body.contains("value=\"https://example.org/pdf\""));
    assert!(body.contains(&format!(
        "<option value=\"{supplier}\" selected>Magenta ApS</option>"
    )));
    let ok = s
        .post(
            &format!("{base}/estimat"),
            &as_refs(&estimate("12.500,50", v.clone())),
            true,
        )
        .await;
    assert!(location(&ok).contains("besked=estimat"));
    let w = app.store().wish(id).await.unwrap().wish;
    assert_eq!(w.estimate_ore, Some(1_250_050));
    assert_eq!(w.estimate_hours, Some(40));
    assert_eq!(w.supplier_id, Some(supplier));

    // A stale version: the conflict is shown and the typed text stays.
    let mut stale = estimate("13.000", v.clone());
    stale[1].1 = "En ny løsning, skrevet oven på en gammel side".into();
    let conflict = s
        .post(&format!("{base}/estimat"), &as_refs(&stale), true)
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    let body = text(&conflict);
    assert!(
        body.contains("Ønsket er ændret af en anden, siden du hentede siden."),
        "{body}"
    );
    assert!(body.contains(">En ny løsning, skrevet oven på en gammel side</textarea>"));
    assert!(body.contains("value=\"13.000\""));
    assert!(
        body.contains("<dd id=\"estimat\">12.500,50 kr.</dd>"),
        "the stored value is shown"
    );

    // Ready for prioritisation; the community pays with a co-funding target.
    let v = version(&app).await.to_string();
    let moved = s
        .post(
            &format!("{base}/trin"),
            &[("to", "klar til prioritering"), ("version", &v)],
            true,
        )
        .await;
    assert!(location(&moved).contains("besked=trin"));
    let v = version(&app).await.to_string();
    let funded = s
        .post(
            &format!("{base}/finansiering"),
            &[
                ("payer", "fællesskabet"),
                ("target", "10.000"),
                ("reason", "Gavner alle kommuner"),
                ("version", &v),
            ],
            true,
        )
        .await;
    assert!(location(&funded).contains("besked=finansiering"));
    let body = html(&s.get(&base).await).to_owned();
    assert!(body.contains("<dd id=\"betaler\">Fællesskabet betaler</dd>"));
    assert!(body.contains("<dd id=\"maal\">10.000 kr.</dd>"));
    assert!(body.contains("<dd id=\"mangler\">10.000 kr.</dd>"));
    // Ordering is refused until the target is reached, and the page says why.
    let bestilt = body
        .split("id=\"trin-bestilt-hos-leverandør\"")
        .nth(1)
        .unwrap();
    assert!(
        bestilt[..bestilt.find("</tr>").unwrap()].contains("samfinansieringen mangler 10.000 kr."),
        "{bestilt}"
    );

    // The prioritisation view ranks it.
    let view = s.get("/produkter/os2mo/oensker/prioritering").await;
    let body = html(&view).to_owned();
    assert!(body.contains("Organisationsdiagram som PDF"));
    assert!(body.contains("12.500,50 kr."));
    let v = version(&app).await.to_string();
    let bad_rank = s
        .post(
            "/produkter/os2mo/oensker/prioritering",
            &[
                ("wish", &id.to_string()),
                ("rank", "først"),
                ("version", &v),
            ],
            true,
        )
        .await;
    assert_eq!(bad_rank.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&bad_rank).contains("value=\"først\""));
    assert!(text(&bad_rank).contains("Rang: «først» er ikke et helt tal."));
    let ranked = s
        .post(
            "/produkter/os2mo/oensker/prioritering",
            &[("wish", &id.to_string()), ("rank", "1"), ("version", &v)],
            true,
        )
        .await;
    assert_eq!(
        location(&ranked),
        "/produkter/os2mo/oensker/prioritering?besked=rang"
    );
    assert_eq!(app.store().wish(id).await.unwrap().wish.rank, Some(1));

    // Pledges until the target: a negative amount is refused; two pledges reach it.
    let v = version(&app).await.to_string();
    let neg = s
        .post(
            &format!("{base}/tilsagn"),
            &[
                ("organisation_id", &aarhus.to_string()),
                ("amount", "-1"),
                ("note", "Budget 2027"),
                ("version", &v),
            ],
            true,
        )
        .await;
    assert_eq!(neg.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&neg).contains("Beløb i kroner: «-1» er negativt; et beløb er 0 kr. eller mere"));
    assert!(text(&neg).contains("value=\"Budget 2027\""));
    for (org, amount) in [(aarhus, "4.000"), (odense, "6.000")] {
        let v = version(&app).await.to_string();
        let p = s
            .post(
                &format!("{base}/tilsagn"),
                &[
                    ("organisation_id", &org.to_string()),
                    ("amount", amount),
                    ("version", &v),
                ],
                true,
            )
            .await;
        assert!(location(&p).contains("besked=tilsagn"));
    }
    let body = html(&s.get(&base).await).to_owned();
    assert!(body.contains("<dd id=\"givet\">10.000 kr.</dd>"));
    assert!(
        body.contains("10.000 kr. af 10.000 kr. (100 %) – målet er nået"),
        "{body}"
    );
    let v = version(&app).await.to_string();
    let ordered = s
        .post(
            &format!("{base}/trin"),
            &[("to", "bestilt hos leverandør"), ("version", &v)],
            true,
        )
        .await;
    assert!(location(&ordered).contains("besked=trin"));
    assert_eq!(
        app.store().wish(id).await.unwrap().wish.state,
        WishState::Bestilt
    );
    let body = html(&s.get(&format!("{base}?lang=en")).await).to_owned();
    assert!(body.contains("Ordered from the supplier"));
    assert!(
        !body.contains("id=\"estimat-form\""),
        "no estimate after the order"
    );

    // The overview counts it; the settings page shows the defaults and saves.
    let overview = html(&s.get("/oensker").await).to_owned();
    assert!(
        overview.contains(
            "<a href=\"/produkter/os2mo/oensker\">OS2mo</a></th><td class=\"num\">1</td>"
        ),
        "{overview}"
    );
    let settings = html(&s.get("/produkter/os2mo/oensker/indstillinger").await).to_owned();
    assert!(settings.contains(&criteria[0]));
    assert!(settings.contains("value=\"183\""));
    let bad = s
        .post(
            "/produkter/os2mo/oensker/indstillinger",
            &[
                ("criteria", "Passer til formålet\nKan finansieres"),
                ("target_days", "aldrig"),
                ("version", "0"),
            ],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&bad).contains("Mål i dage: «aldrig» er ikke et helt tal."));
    assert!(text(&bad).contains(">Passer til formålet\nKan finansieres</textarea>"));
    let saved = s
        .post(
            "/produkter/os2mo/oensker/indstillinger",
            &[
                ("criteria", "Passer til formålet\nKan finansieres"),
                ("allow_overfunding", "1"),
                ("target_days", "90"),
                ("version", "0"),
            ],
            true,
        )
        .await;
    assert!(location(&saved).ends_with("besked=gemt"));
    let product = app.store().product_by_slug("os2mo").await.unwrap();
    let st = app.store().wish_settings(product.id).await.unwrap();
    assert_eq!(
        st.criteria.0,
        vec!["Passer til formålet", "Kan finansieres"]
    );
    assert!(st.allow_overfunding);
    assert_eq!(st.target_days, 90);
}
