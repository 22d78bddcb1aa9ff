#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The self-evaluation editor never loses work: every post (update, "use this", save,
//! upload, quota, carry) gives the typed values back; the explanation and the indicated
//! level follow documentation and links, not only the answer; an upload that names
//! another product or follows another model asks first; earlier versions are restored as
//! new versions; a self-evaluation is carried to a newer model with the mapping; and a
//! round counts a self-evaluation by the report's own date.

use crate::common;

use axum::http::StatusCode;
use common::{TestApp, location, text};
use niveau_model::{Answer, AnswerValue, Registry};
use niveau_report::document::DocumentKind;
use niveau_store::Actor;
use niveau_store::accounts::NewUser;
use niveau_store::types::Role;
use serde_json::json;

const PASSWORD: &str = "korrekt-hest-batteri";

/// OS2mo and OS2iot (published); `red` edits OS2mo, `sek` is the secretariat.
async fn setup() -> TestApp {
    let app = TestApp::new().await;
    for (slug, name) in [("os2mo", "OS2mo"), ("os2iot", "OS2iot")] {
        let a = app
            .post(
                "/api/v1/products",
                Some("sekretariat"),
                json!({"slug": slug, "name": name, "published": true}),
            )
            .await;
        assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
    }
    let mo = app.get("/api/v1/products/os2mo", None).await.body["product"]["id"]
        .as_i64()
        .unwrap();
    app.add_password_user("sek", "Sekretariatet", PASSWORD)
        .await;
    app.store()
        .create_user(
            &Actor::system("test"),
            NewUser {
                username: "red".into(),
                display_name: "Redaktøren".into(),
                email: None,
                password_hash: Some(niveau_web::auth::password::hash_password(PASSWORD).unwrap()),
                roles: vec![Role::Produktredaktor],
                product_ids: vec![mo as i32],
                oidc: None,
            },
        )
        .await
        .unwrap();
    app.set_editor_products(vec![mo as i32]).await;
    app
}

const EDITOR: &str = "/produkter/os2mo/selvevaluering";

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e < 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "amp" => Some('&'),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The value of `attr` in a tag's text.
fn attr(tag: &str, attr: &str) -> Option<String> {
    let key = format!(" {attr}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The fields the editor's form would send as the page shows it (without the CSRF token
/// and the buttons), the way a browser collects them.
fn form_fields(body: &str) -> Vec<(String, String)> {
    let start = body
        .find("id=\"selvevaluering\"")
        .expect("the editor's form");
    let form = &body[start..start + body[start..].find("</form>").unwrap()];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        if tag.starts_with("<input") {
            let kind = attr(tag, "type").unwrap_or_default();
            let checked = tag.contains(" checked");
            if let Some(name) = attr(tag, "name")
                && name != "csrf_token"
                && kind != "file"
                && ((kind != "checkbox" && kind != "radio") || checked)
            {
                out.push((name, attr(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<select") {
            let name = attr(tag, "name").unwrap();
            let close = rest.find("</select>").unwrap();
            let options = &rest[..close];
            let chosen = options
                .split("<option")
                .skip(1)
                .find(|o| o[..o.find('>').unwrap()].contains(" selected"))
                .or_else(|| options.split("<option").nth(1))
                .map(|o| attr(&format!(" {}", &o[..o.find('>').unwrap()]), "value"))
                .unwrap_or_default()
                .unwrap_or_default();
            out.push((name, chosen));
        } else if tag.starts_with("<textarea") {
            let name = attr(tag, "name").unwrap();
            let close = rest.find("</textarea>").unwrap();
            out.push((name, unescape(&rest[end + 1..close])));
        }
        rest = &rest[end + 1..];
    }
    out
}

/// `fields` with `changes` applied (a field named in `changes` replaced, or added).
fn with(fields: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = fields
        .iter()
        .filter(|(k, _)| !changes.iter().any(|(c, _)| c == k))
        .cloned()
        .collect();
    out.extend(
        changes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    out
}

/// The uploaded file kept in the form while a question is asked.
fn kept_file(fields: &[(String, String)]) -> String {
    use base64::Engine as _;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(field(fields, "upload_data"))
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// The inner HTML of the element with `id`, up to `close`.
fn part<'a>(body: &'a str, id: &str, close: &str) -> &'a str {
    let marker = format!("id=\"{id}\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("{id} in the page"));
    let start = start + body[start..].find('>').unwrap() + 1;
    &body[start..start + body[start..].find(close).unwrap()]
}

async fn versions(app: &TestApp) -> Vec<serde_json::Value> {
    app.get(
        "/api/v1/products/os2mo/self-evaluations",
        Some("sekretariat"),
    )
    .await
    .body["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn every_post_from_the_editor_keeps_what_was_typed() {
    let app = setup().await;
    let red = app.session("red", PASSWORD).await;
    let blank = form_fields(text(&red.get(EDITOR).await));
    assert_eq!(field(&blank, "model"), "os2-1.1.0");
    let typed = with(
        &blank,
        &[
            ("svar-R1", "Ja"),
            ("dok-R1", "Strategien er vedtaget <2025> & \"godkendt\""),
            (
                "links-R1",
                "https://os2.eu/strategi\nhttps://os2.eu/referat",
            ),
            ("udfyldt_af", "Ane Andersen"),
            ("svar-F2", "Planlagt"),
        ],
    );
    let kept = |body: &str| {
        let now = form_fields(body);
        for name in ["svar-R1", "dok-R1", "links-R1", "udfyldt_af", "svar-F2"] {
            assert_eq!(field(&now, name), field(&typed, name), "{name} kept");
        }
    };
    // "Opdater niveau", "use this" on another requirement.
    for action in ["opdater", "brug:G3"] {
        let r = red
            .post(EDITOR, &pairs(&with(&typed, &[("handling", action)])), true)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{action}");
        kept(text(&r));
    }
    // Save with a bad date: refused, everything kept, the error named at its field.
    let bad = with(&typed, &[("handling", "gem"), ("dato", "24-11-2026")]);
    let r = red.post(EDITOR, &pairs(&bad), true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&r);
    kept(body);
    assert_eq!(field(&form_fields(body), "dato"), "24-11-2026");
    assert!(
        body.contains("<a href=\"#dato\">Dato for udfyldelse: &#39;24-11-2026&#39; er ikke en dato (ÅÅÅÅ-MM-DD)</a>"),
        "{body}"
    );
    assert!(body.contains("aria-invalid=\"true\" aria-describedby=\"dato-fejl\""));
    assert_eq!(
        part(body, "dato-fejl", "</strong>"),
        "Dato for udfyldelse: &#39;24-11-2026&#39; er ikke en dato (ÅÅÅÅ-MM-DD)"
    );
    assert!(versions(&app).await.is_empty());

    // Upload without a file, and an unreadable file: the form comes back as typed, the
    // error at the file field.
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &pairs(&with(&typed, &[("handling", "upload")])),
            "",
            b"",
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    kept(text(&r));
    assert!(text(&r).contains("<a href=\"#fil\">Vælg en fil at uploade.</a>"));
    // An upload with unsaved work in the form asks first, the file kept in the form.
    let report = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &pairs(&with(&typed, &[("handling", "upload")])),
            "borgerpc.md",
            report.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let body = text(&r);
    kept(body);
    let asked = form_fields(body);
    assert_eq!(kept_file(&asked), report);
    assert_eq!(field(&asked, "upload_navn"), "borgerpc.md");
    assert!(body.contains("name=\"erstat_ugemte\" value=\"1\""));
    assert!(versions(&app).await.is_empty(), "nothing stored yet");
    // Carry with unsaved work: refused, kept.
    let r = red
        .post(
            EDITOR,
            &pairs(&with(
                &typed,
                &[("handling", "overfoer"), ("overfoer_model", "os2-2021")],
            )),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    kept(text(&r));
    assert!(text(&r).contains("Gem dem først"));
    // The quota, set by the secretariat from the editor's form: kept too.
    let sek = app.session("sek", PASSWORD).await;
    let sek_form = form_fields(text(&sek.get(EDITOR).await));
    let sek_typed = with(
        &sek_form,
        &[
            ("svar-R1", "Ja"),
            ("dok-R1", "Strategien er vedtaget <2025> & \"godkendt\""),
            (
                "links-R1",
                "https://os2.eu/strategi\nhttps://os2.eu/referat",
            ),
            ("udfyldt_af", "Ane Andersen"),
            ("svar-F2", "Planlagt"),
            ("kvote_mb", "75"),
            ("handling", "kvote"),
        ],
    );
    let r = sek
        .post(
            "/produkter/os2mo/selvevaluering/kvote",
            &pairs(&sek_typed),
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    kept(text(&r));
    assert!(text(&r).contains("Uploadkvoten er ændret."));

    // Confirming the upload replaces the unsaved work, as asked.
    let confirmed = with(&asked, &[("erstat_ugemte", "1"), ("handling", "upload")]);
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &pairs(&confirmed),
            "",
            b"",
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r));
    assert_eq!(location(&r), "/produkter/os2mo/selvevaluering?gemt=1");
    assert_eq!(versions(&app).await[0]["model_id"], "os2-1.1.0");
}

#[tokio::test]
async fn the_explanation_and_level_follow_the_documentation() {
    let app = setup().await;
    let red = app.session("red", PASSWORD).await;
    let blank = form_fields(text(&red.get(EDITOR).await));
    let reg = Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    let table = niveau_app::proposals::default_table().unwrap();
    // Every Sandkasse requirement answered Ja with a link, R1 (a Sandkasse requirement)
    // with or without documentation.
    let sandkasse: Vec<String> = model
        .requirements_at(&"sandkasse".into())
        .map(|r| r.id.to_string())
        .collect();
    assert!(sandkasse.contains(&"R1".to_owned()));
    let expected = |r1_doc: Option<&str>| {
        let mut report = niveau_report::draft::blank(DocumentKind::SelfEvaluation, model, "OS2mo");
        let se = report.self_evaluation.as_mut().unwrap();
        se.answers.clear();
        for id in &sandkasse {
            let mut a = Answer::new(id.as_str(), AnswerValue::Yes);
            a.documentation = if id == "R1" {
                r1_doc.map(str::to_owned)
            } else {
                Some(format!("https://os2.eu/{id}"))
            };
            se.answers.push(a);
        }
        let reason = table
            .propose_all(model, se)
            .into_iter()
            .find(|p| p.requirement.as_str() == "R1")
            .unwrap()
            .reason;
        let level = niveau_report::summary::assess(&report, model, table)
            .and_then(|a| a.indication.level)
            .map(|l| model.level(l.as_str()).unwrap().name.clone())
            .unwrap_or_else(|| "Intet niveau endnu".to_owned());
        (reason, level)
    };
    let post = |r1_doc: &str| {
        let mut changes: Vec<(String, String)> = Vec::new();
        for id in &sandkasse {
            changes.push((format!("svar-{id}"), "Ja".into()));
            changes.push((
                format!("dok-{id}"),
                if id == "R1" {
                    r1_doc.to_owned()
                } else {
                    format!("https://os2.eu/{id}")
                },
            ));
        }
        changes.push(("handling".into(), "opdater".into()));
        let c: Vec<(&str, &str)> = changes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        with(&blank, &c)
    };
    let shown = |body: &str| {
        (
            unescape(part(body, "forklaring-R1", "</p>")),
            unescape(part(body, "indikeret", "</p>")),
            part(body, "svarvurdering-R1", "</span></span>").to_owned(),
        )
    };
    let empty = red.post(EDITOR, &pairs(&post("")), true).await;
    let (reason_empty, level_empty, rating_empty) = shown(text(&empty));
    let url = red
        .post(EDITOR, &pairs(&post("https://os2.eu/strategi")), true)
        .await;
    let (reason_url, level_url, rating_url) = shown(text(&url));
    let back = red.post(EDITOR, &pairs(&post("")), true).await;
    // Only R1's documentation changed, and the explanation, the rating and the level
    // follow it, there and back: never the stale one.
    assert_eq!((reason_empty.clone(), level_empty.clone()), expected(None));
    assert_eq!(
        (reason_url.clone(), level_url.clone()),
        expected(Some("https://os2.eu/strategi"))
    );
    assert_ne!(reason_empty, reason_url);
    assert_ne!(rating_empty, rating_url);
    assert_eq!(level_url, "Sandkasse");
    assert_eq!(
        shown(text(&back)),
        (reason_empty, level_empty, rating_empty)
    );
}

#[tokio::test]
async fn an_upload_naming_another_product_or_model_asks_first() {
    let app = setup().await;
    let red = app.session("red", PASSWORD).await;
    let borgerpc = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[],
            "borgerpc.md",
            borgerpc.as_bytes(),
        )
        .await;
    assert_eq!(location(&r), "/produkter/os2mo/selvevaluering?gemt=1");

    // OS2iot's report into OS2mo: the confirmation, without JavaScript.
    let iot = niveau_testkit::fixture("os2/reports/selfeval-2021-os2iot.md");
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[],
            "os2iot.md",
            iot.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let body = text(&r);
    assert!(
        body.contains("rapporten er produktet OS2iots selvevaluering, ikke OS2mos"),
        "{body}"
    );
    assert!(body.contains("name=\"bekraeft_produkt\" value=\"1\"> Ja, importér alligevel"));
    let asked = form_fields(body);
    assert_eq!(kept_file(&asked), iot);
    // Confirmed: now the model (2021–2023 checklist, the product follows 1.1.0).
    let confirmed = with(&asked, &[("bekraeft_produkt", "1")]);
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &pairs(&confirmed),
            "",
            b"",
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", text(&r));
    let body = text(&r);
    assert!(
        body.contains("rapporten er udfyldt efter modellen os2-2021 (2023), men produktets selvevaluering følger os2-1.1.0 (1.1.0)"),
        "{body}"
    );
    let asked = form_fields(body);
    assert_eq!(
        field(&asked, "bekraeft_produkt"),
        "1",
        "the confirmation stays"
    );
    assert_eq!(
        field(&asked, "model_valg"),
        "overfoer",
        "carrying is the default"
    );
    assert_eq!(versions(&app).await.len(), 1, "nothing stored while asking");
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &pairs(&asked),
            "",
            b"",
        )
        .await;
    assert_eq!(
        location(&r),
        "/produkter/os2mo/selvevaluering?gemt=2&overfoert=1"
    );
    let stored = &versions(&app).await[0];
    assert_eq!(stored["model_id"], "os2-1.1.0");
    // The editor shows the requirements to answer again.
    let page = text(
        &red.get("/produkter/os2mo/selvevaluering?gemt=2&overfoert=1")
            .await,
    )
    .to_owned();
    assert!(page.contains("Overført til den nyere model og gemt som version 2."));
    assert!(
        part(&page, "genbesvar-note-F1", "</p>")
            .starts_with("Kravet er ændret siden os2-2021 (F1): besvar det igen."),
        "{page}"
    );
    assert!(
        !page.contains("id=\"genbesvar-note-F2\""),
        "F2 kept its answer"
    );
    let marked = page.matches("class=\"gap reanswer\"").count();
    assert!(marked > 5, "{marked}");
    assert!(page.contains(&format!(
        "<p class=\"notice\" id=\"genbesvar-antal\">{marked} krav"
    )));
    // Answering F1 and saving drops its mark only.
    let form = with(
        &form_fields(&page),
        &[("svar-F1", "Ja"), ("handling", "gem")],
    );
    let r = red.post(EDITOR, &pairs(&form), true).await;
    assert_eq!(location(&r), "/produkter/os2mo/selvevaluering?gemt=3");
    let page = text(&red.get(EDITOR).await).to_owned();
    assert!(!page.contains("id=\"genbesvar-note-F1\""));
    assert_eq!(page.matches("class=\"gap reanswer\"").count(), marked - 1);

    // The API: 409 naming both products, then the model; explicit choices store.
    let send = |query: &'static str| {
        let app = &app;
        let iot = iot.clone();
        async move {
            app.send(
                axum::http::Request::post(format!(
                    "/api/v1/products/os2mo/self-evaluations{query}"
                ))
                .header(
                    "authorization",
                    format!("Bearer {}", app.tokens["produktredaktør"]),
                )
                .header("content-type", "text/markdown")
                .body(axum::body::Body::from(iot))
                .unwrap(),
            )
            .await
        }
    };
    let r = send("").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.body["error"]["code"], "product_mismatch");
    assert_eq!(r.body["error"]["field"], "confirm_product");
    let message = r.body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("OS2iot") && message.contains("OS2mo"),
        "{message}"
    );
    let r = send("?confirm_product=true").await;
    assert_eq!(r.body["error"]["code"], "model_mismatch", "{:?}", r.body);
    let r = send("?confirm_product=true&model_choice=maybe").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["error"]["field"], "model_choice");
    let r = send("?confirm_product=true&model_choice=keep").await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["model_id"], "os2-2021");
    assert_eq!(r.body["number"], 4);
}

#[tokio::test]
async fn earlier_versions_are_restored_and_carried_as_new_versions() {
    let app = setup().await;
    let red = app.session("red", PASSWORD).await;
    let iot = niveau_testkit::fixture("os2/reports/selfeval-2021-os2iot.md");
    let borgerpc = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    // Version 1: the 2021 report, kept in its model (OS2mo has no model yet).
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("bekraeft_produkt", "1")],
            "os2iot.md",
            iot.as_bytes(),
        )
        .await;
    assert_eq!(location(&r), "/produkter/os2mo/selvevaluering?gemt=1");
    // The editor offers the carry to OS2's current model; without changes it carries.
    let page = text(&red.get(EDITOR).await).to_owned();
    assert!(page.contains("value=\"overfoer\""), "{page}");
    let form = with(&form_fields(&page), &[("handling", "overfoer")]);
    assert_eq!(field(&form, "overfoer_model"), "os2-1.1.0");
    let r = red.post(EDITOR, &pairs(&form), true).await;
    assert_eq!(
        location(&r),
        "/produkter/os2mo/selvevaluering?gemt=2&overfoert=1",
        "{}",
        text(&r)
    );
    let list = versions(&app).await;
    assert_eq!(list.len(), 2, "the old version stays");
    assert_eq!(list[0]["model_id"], "os2-1.1.0");
    assert_eq!(list[1]["model_id"], "os2-2021");

    // The history offers a restore per older version.
    let history = text(&red.get("/produkter/os2mo/selvevaluering/versioner").await).to_owned();
    assert!(history.contains("name=\"gendan\" value=\"1\""), "{history}");
    assert!(
        !history.contains("name=\"gendan\" value=\"2\""),
        "the newest is current"
    );
    let r = red
        .post(
            "/produkter/os2mo/selvevaluering/versioner",
            &[("gendan", "1"), ("based_on", "2")],
            true,
        )
        .await;
    assert_eq!(
        location(&r),
        "/produkter/os2mo/selvevaluering?gemt=3&gendannet=1"
    );
    let page = text(
        &red.get("/produkter/os2mo/selvevaluering?gemt=3&gendannet=1")
            .await,
    )
    .to_owned();
    assert!(page.contains("Version 1 er gendannet som version 3."));
    let list = versions(&app).await;
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["model_id"], "os2-2021");
    let v1 = app
        .get(
            "/api/v1/products/os2mo/self-evaluations/1",
            Some("sekretariat"),
        )
        .await;
    let v3 = app
        .get(
            "/api/v1/products/os2mo/self-evaluations/3",
            Some("sekretariat"),
        )
        .await;
    assert_eq!(v3.body["document"], v1.body["document"]);
    let audit = app
        .store()
        .history("self_evaluation", v3.body["id"].as_i64().unwrap() as i32)
        .await
        .unwrap();
    assert_eq!(audit[0].action, "restore");
    assert_eq!(audit[0].before, Some(json!({"from_version": 1})));
    let v2 = app
        .get(
            "/api/v1/products/os2mo/self-evaluations/2",
            Some("sekretariat"),
        )
        .await;
    let audit = app
        .store()
        .history("self_evaluation", v2.body["id"].as_i64().unwrap() as i32)
        .await
        .unwrap();
    assert_eq!(audit[0].action, "carry");
    // Stale: someone restored meanwhile.
    let r = red
        .post(
            "/produkter/os2mo/selvevaluering/versioner",
            &[("gendan", "2"), ("based_on", "2")],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(versions(&app).await.len(), 3);
    // Anonymous and another product's editor may not restore.
    let other = red
        .post(
            "/produkter/os2iot/selvevaluering/versioner",
            &[("gendan", "1")],
            true,
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    let anonymous = app
        .send(
            axum::http::Request::post("/produkter/os2mo/selvevaluering/versioner")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(axum::body::Body::from("gendan=1"))
                .unwrap(),
        )
        .await;
    assert_ne!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(versions(&app).await.len(), 3);

    // The API: restore and carry.
    let r = app
        .post(
            "/api/v1/products/os2mo/self-evaluations/2/restore",
            Some("produktredaktør"),
            json!({"based_on": 3}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(
        (r.body["number"].as_i64(), r.body["model_id"].as_str()),
        (Some(4), Some("os2-1.1.0"))
    );
    let r = app
        .post(
            "/api/v1/products/os2mo/self-evaluations/2/restore",
            Some("produktredaktør"),
            json!({"based_on": 3}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .post(
            "/api/v1/products/os2mo/self-evaluations/carry",
            Some("produktredaktør"),
            json!({"model": "os2-1.1.0"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "already in 1.1.0: {:?}",
        r.body
    );
    assert_eq!(r.body["error"]["code"], "already_in_model");
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("model_valg", "behold")],
            "borgerpc.md",
            borgerpc.as_bytes(),
        )
        .await;
    assert_eq!(location(&r), "/produkter/os2mo/selvevaluering?gemt=5");
    let r = app
        .post(
            "/api/v1/products/os2mo/self-evaluations/3/restore",
            Some("produktredaktør"),
            json!({}),
        )
        .await;
    assert_eq!(r.body["model_id"], "os2-2021");
    let r = app
        .post(
            "/api/v1/products/os2mo/self-evaluations/carry",
            Some("produktredaktør"),
            json!({"model": "os2-1.1.0", "based_on": 6}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["self_evaluation"]["number"], 7);
    assert_eq!(r.body["kept"]["R2"], "R3");
    assert_eq!(r.body["kept"]["F2"], "F2");
    assert!(
        r.body["reanswer"]["F1"]["en"]
            .as_str()
            .unwrap()
            .starts_with("The requirement changed since os2-2021 (F1): answer it again."),
        "{:?}",
        r.body["reanswer"]
    );
    assert_eq!(
        r.body["reanswer"]["R3"]["da"]
            .as_str()
            .unwrap()
            .split(':')
            .next(),
        Some("Kravet er ændret siden os2-2021 (R2, R4)")
    );
    assert_eq!(r.body["dropped"], json!([]));
}

#[tokio::test]
async fn a_round_counts_a_self_evaluation_by_the_reports_own_date() {
    let app = setup().await;
    let red = app.session("red", PASSWORD).await;
    let mo = app.get("/api/v1/products/os2mo", None).await.body["product"]["id"].clone();
    let today = app.store().now().date_naive();
    let day = |d: u64| (today - chrono::Days::new(d)).to_string();
    let round = app
        .post(
            "/api/v1/rounds",
            Some("sekretariat"),
            json!({
                "name": "Runde", "opens_on": day(5),
                "self_evaluation_deadline": (today + chrono::Days::new(20)).to_string(),
                "evaluation_deadline": (today + chrono::Days::new(40)).to_string(),
                "product_ids": [mo]
            }),
        )
        .await;
    assert_eq!(round.status, StatusCode::CREATED, "{:?}", round.body);
    let path = format!("/runder/{}", round.body["id"]);
    // Imported today, filled in on 2026-06-24: not updated in this round.
    let borgerpc = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    red.upload(
        "/produkter/os2mo/selvevaluering/upload",
        &[],
        "borgerpc.md",
        borgerpc.as_bytes(),
    )
    .await;
    let page = text(&red.get(&path).await).to_owned();
    assert!(
        page.contains("<strong>0</strong> af 1 produkter har opdateret"),
        "{page}"
    );
    assert!(
        page.contains(
            "ikke opdateret</a> <span class=\"meta\">(rapportens dato 2026-06-24)</span>"
        ),
        "{page}"
    );
    let api = app
        .get(
            &format!("/api/v1/rounds/{}", round.body["id"]),
            Some("sekretariat"),
        )
        .await;
    assert_eq!(api.body["products"][0]["self_evaluation_submitted"], false);
    assert_eq!(
        api.body["products"][0]["self_evaluation_date"],
        "2026-06-24"
    );
    // Dated in the round from the editor: updated.
    let form = with(
        &form_fields(text(&red.get(EDITOR).await)),
        &[("dato", &day(1)), ("handling", "gem")],
    );
    let r = red.post(EDITOR, &pairs(&form), true).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r));
    let page = text(&red.get(&path).await).to_owned();
    assert!(
        page.contains("<strong>1</strong> af 1 produkter har opdateret"),
        "{page}"
    );
    assert!(page.contains(&format!("(rapportens dato {})", day(1))));
    // A report without a date counts by its import time, and the page says so.
    let iot = niveau_testkit::fixture("os2/reports/selfeval-2021-os2iot.md");
    let r = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("bekraeft_produkt", "1"), ("model_valg", "behold")],
            "os2iot.md",
            iot.as_bytes(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", text(&r));
    let page = text(&red.get(&path).await).to_owned();
    assert!(
        page.contains(&format!(
            "opdateret</a> <span class=\"meta\">(importeret {today}; rapporten har ingen dato)</span>"
        )),
        "{page}"
    );
}
