#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The pages where the work is done: the self-evaluation editor (answers, "use this",
//! the live level, save, conflicts, upload, versions and diffs, downloads) and the
//! evaluation workbench (proposals, ratings, counts, comments, status, finalising and
//! publishing, and what the public then sees).

use crate::common;

use axum::http::{StatusCode, header};
use common::{TestApp, location, text};
use niveau_store::Actor;
use niveau_store::accounts::NewUser;
use niveau_store::types::Role;
use serde_json::json;

const PASSWORD: &str = "korrekt-hest-batteri";

/// OS2mo (published, with a project lead registered) and OS2faktor; the secretariat
/// `sek` and the product editor `red` of OS2mo log in with passwords.
async fn setup() -> (TestApp, i64) {
    let app = TestApp::new().await;
    for (slug, name) in [("os2mo", "OS2mo"), ("os2faktor", "OS2faktor")] {
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
    let person = app
        .post(
            "/api/v1/persons",
            Some("sekretariat"),
            json!({"name": "Ane Andersen"}),
        )
        .await;
    assert_eq!(person.status, StatusCode::CREATED, "{:?}", person.body);
    let a = app
        .post(
            "/api/v1/products/os2mo/participants",
            Some("sekretariat"),
            json!({"person_id": person.body["id"], "role": "tovholder"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{:?}", a.body);
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
    (app, mo)
}

async fn stored_versions(app: &TestApp) -> Vec<serde_json::Value> {
    let list = app
        .get(
            "/api/v1/products/os2mo/self-evaluations",
            Some("sekretariat"),
        )
        .await;
    list.body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_self_evaluation_editor() {
    let (app, _) = setup().await;
    let anonymous = app
        .send(
            axum::http::Request::get("/produkter/os2mo/selvevaluering")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&anonymous),
        "/log-ind?next=%2Fprodukter%2Fos2mo%2Fselvevaluering"
    );

    let red = app.session("red", PASSWORD).await;
    assert_eq!(
        red.get("/produkter/os2faktor/selvevaluering").await.status,
        StatusCode::FORBIDDEN,
        "an editor of another product"
    );
    let blank = red.get("/produkter/os2mo/selvevaluering").await;
    assert_eq!(blank.status, StatusCode::OK);
    let body = text(&blank);
    assert_eq!(body.matches("<fieldset class=\"req\"").count(), 43);
    assert!(
        body.contains(
            "id=\"indikeret\" data-live-part aria-live=\"polite\">Intet niveau endnu</p>"
        ),
        "{body}"
    );
    assert!(body.contains("<span id=\"besvaret\" data-live-part>0</span> af 43 krav besvaret"));
    // The portfolio registry's proposal for G3 (a project lead) is beside G3.
    let g3 = body.split("id=\"krav-G3\"").nth(1).unwrap();
    let g3 = &g3[..g3.find("</fieldset>").unwrap()];
    assert!(
        g3.contains(
            "Porteføljen</strong>: <span class=\"rating-green\">🟢 Grøn</span>, sikkerhed 4/5"
        ),
        "{g3}"
    );
    assert!(g3.contains("value=\"brug:G3\""));

    // "Use this" puts the proposal in the form without saving.
    let used = red
        .post(
            "/produkter/os2mo/selvevaluering",
            &[
                ("model", "os2-1.1.0"),
                ("based_on", ""),
                ("handling", "brug:G3"),
            ],
            true,
        )
        .await;
    assert_eq!(used.status, StatusCode::OK);
    let body = text(&used);
    let g3 = body.split("id=\"krav-G3\"").nth(1).unwrap();
    assert!(
        g3.contains("<option value=\"Ja\" selected>Ja</option>"),
        "{g3}"
    );
    assert!(
        g3.contains("Ane Andersen"),
        "the reason and evidence go into the documentation"
    );
    assert!(stored_versions(&app).await.is_empty(), "nothing saved yet");

    // Updating the level computes without saving.
    let mut sandkasse: Vec<(String, String)> = Vec::new();
    let reg = niveau_model::Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    for r in model.requirements_at(&"sandkasse".into()) {
        sandkasse.push((format!("svar-{}", r.id), "Ja".into()));
        sandkasse.push((
            format!("dok-{}", r.id),
            format!("Se https://os2.eu/produkt/os2mo/{}", r.id),
        ));
    }
    let fields = |extra: &[(&str, &str)]| -> Vec<(String, String)> {
        // A browser sends each field once: an extra field replaces the sandkasse answer.
        let mut f: Vec<(String, String)> = vec![("model".into(), "os2-1.1.0".into())];
        f.extend(
            sandkasse
                .iter()
                .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k))
                .cloned(),
        );
        f.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        f
    };
    let preview_fields = fields(&[("based_on", ""), ("handling", "opdater")]);
    let preview = red
        .post(
            "/produkter/os2mo/selvevaluering",
            &pairs(&preview_fields),
            true,
        )
        .await;
    assert!(
        text(&preview)
            .contains("id=\"indikeret\" data-live-part aria-live=\"polite\">Sandkasse</p>"),
        "{}",
        text(&preview)
    );
    assert!(text(&preview).contains("Mangler for Niveau 1:"));
    assert!(stored_versions(&app).await.is_empty());

    // Without the CSRF token nothing is stored.
    let save_fields = fields(&[("based_on", ""), ("handling", "gem"), ("udfyldt_af", "Ane")]);
    let forged = red
        .post(
            "/produkter/os2mo/selvevaluering",
            &pairs(&save_fields),
            false,
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    // A bad date names the field, and nothing is stored.
    let bad_date = fields(&[
        ("based_on", ""),
        ("handling", "gem"),
        ("dato", "24-11-2026"),
    ]);
    let refused = red
        .post("/produkter/os2mo/selvevaluering", &pairs(&bad_date), true)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&refused).contains("Dato for udfyldelse: &#39;24-11-2026&#39; er ikke en dato"),
        "{}",
        text(&refused)
    );
    assert!(stored_versions(&app).await.is_empty());

    let saved = red
        .post(
            "/produkter/os2mo/selvevaluering",
            &pairs(&save_fields),
            true,
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", text(&saved));
    assert_eq!(location(&saved), "/produkter/os2mo/selvevaluering?gemt=1");
    let versions = stored_versions(&app).await;
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["indicated_level"], "sandkasse");
    assert_eq!(versions[0]["submitted_by"], "red");
    let one = app
        .get(
            &format!("/api/v1/self-evaluations/{}", versions[0]["id"]),
            Some("sekretariat"),
        )
        .await;
    let answers = &one.body["document"]["self_evaluation"]["answers"];
    assert_eq!(answers.as_array().unwrap().len(), sandkasse.len() / 2);
    assert_eq!(answers[0]["value"]["kind"], "yes");
    assert_eq!(one.body["document"]["self_evaluation"]["filled_by"], "Ane");
    let reopened = red.get("/produkter/os2mo/selvevaluering?gemt=1").await;
    assert!(text(&reopened).contains("Gemt som version 1."));
    assert!(text(&reopened).contains("name=\"based_on\" value=\"1\""));

    // The secretariat saves on top of version 1 ...
    let sek = app.session("sek", PASSWORD).await;
    let theirs = fields(&[
        ("based_on", "1"),
        ("handling", "gem"),
        ("svar-F2", "Planlagt"),
    ]);
    let r = sek
        .post("/produkter/os2mo/selvevaluering", &pairs(&theirs), true)
        .await;
    assert_eq!(location(&r), "/produkter/os2mo/selvevaluering?gemt=2");
    // ... while the editor, who also started from version 1, changes R1: a conflict.
    let mut mine = fields(&[("based_on", "1"), ("handling", "gem")]);
    for f in &mut mine {
        if f.0 == "svar-R1" {
            f.1 = "Nej".into();
        }
    }
    let conflict = red
        .post("/produkter/os2mo/selvevaluering", &pairs(&mine), true)
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    let body = text(&conflict);
    assert!(body.contains("Nogen har gemt imens"), "{body}");
    assert!(body.contains("Version 2 blev gemt"), "{body}");
    // Both versions side by side: theirs saved F2, mine says Nej to R1.
    assert!(
        body.contains("<a href=\"#krav-R1\">R1</a></th><td><strong>Ja</strong>"),
        "{body}"
    );
    assert!(
        body.contains("<a href=\"#krav-F2\">F2</a></th><td><strong>Planlagt</strong>"),
        "{body}"
    );
    // Nothing lost: mine are still in the form, now based on version 2.
    let r1 = body.split("id=\"svar-R1\"").nth(1).unwrap();
    assert!(r1[..r1.find("</select>").unwrap()].contains("<option value=\"Nej\" selected>"));
    assert!(body.contains("name=\"based_on\" value=\"2\""));
    assert_eq!(stored_versions(&app).await.len(), 2);
    let mut again = mine.clone();
    for f in &mut again {
        if f.0 == "based_on" {
            f.1 = "2".into();
        }
    }
    let r = red
        .post("/produkter/os2mo/selvevaluering", &pairs(&again), true)
        .await;
    assert_eq!(location(&r), "/produkter/os2mo/selvevaluering?gemt=3");

    // Upload an OS2 Markdown report to go on from; a file that is no report is refused.
    let report = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    let bad = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("based_on", "3")],
            "noter.md",
            b"# Bare noter\n\nIngen tabel her.\n",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&bad).contains("noter.md: ingen kravtabel fundet"),
        "{}",
        text(&bad)
    );
    let up = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("based_on", "3")],
            "borgerpc.md",
            report.as_bytes(),
        )
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", text(&up));
    assert_eq!(location(&up), "/produkter/os2mo/selvevaluering?gemt=4");
    let versions = stored_versions(&app).await;
    assert_eq!(versions.len(), 4);
    assert_eq!(versions[0]["format"], "markdown");
    let after_upload = red.get("/produkter/os2mo/selvevaluering").await;
    assert!(
        text(&after_upload).contains("Linje 64:"),
        "the importer's note with its line"
    );

    // Versions and differences.
    let history = red
        .get("/produkter/os2mo/selvevaluering/versioner?fra=2&til=3")
        .await;
    let body = text(&history);
    // Version 3 is the editor's: R1 is Nej, and F2 is not answered (the secretariat's
    // Planlagt was in version 2 only).
    assert!(body.contains("Version 2 → 3: 2 krav ændret"), "{body}");
    assert!(body.contains("<th scope=\"row\">F2</th><td><strong>Planlagt</strong>"));
    assert!(body.contains("<th scope=\"row\">R1</th><td><strong>Ja</strong>"));
    let default_diff = red.get("/produkter/os2mo/selvevaluering/versioner").await;
    assert!(text(&default_diff).contains("Version 3 → 4:"));

    // Downloads: the upload as it came, and OS2's Markdown that imports again.
    let original = red
        .get("/produkter/os2mo/selvevaluering/v4-original.md")
        .await;
    assert_eq!(original.body.as_str().unwrap(), report);
    let md = red.get("/produkter/os2mo/selvevaluering/v3.md").await;
    assert_eq!(md.status, StatusCode::OK);
    let reread = niveau_report::import::import_str(
        md.body.as_str().unwrap(),
        "v3.md",
        &reg,
        &niveau_report::import::ImportOptions::default(),
    )
    .unwrap();
    let r1 = reread
        .self_evaluation
        .unwrap()
        .answers
        .into_iter()
        .find(|a| a.requirement.as_str() == "R1")
        .unwrap();
    assert_eq!(r1.value, niveau_model::AnswerValue::No);
    let csv = red.get("/produkter/os2mo/selvevaluering/v3.csv").await;
    assert_eq!(csv.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let csv = csv.body.as_str().unwrap();
    assert_eq!(
        csv.lines().count(),
        44,
        "a header and one row per requirement"
    );
    let r1 = csv.lines().find(|l| l.starts_with("\"R1\",")).unwrap();
    assert!(r1.contains("Nej"), "{r1}");
    assert_eq!(
        red.get("/produkter/os2mo/selvevaluering/v9.json")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// All rating fields of the workbench form as they are, with some changed.
fn rating_fields(body: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in body.split("<select id=\"vurdering-").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        let select = &part[..part.find("</select>").unwrap()];
        let selected = select
            .split("<option value=\"")
            .skip(1)
            .find(|o| o.contains("\" selected>"))
            .map(|o| o[..o.find('"').unwrap()].to_owned())
            .unwrap_or_default();
        let value = changes
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| (*v).to_owned())
            .unwrap_or(selected);
        out.push((format!("vurdering-{id}"), value));
    }
    out
}

fn count_row<'a>(body: &'a str, level: &str) -> &'a str {
    let row = body
        .split(&format!("<th scope=\"row\">{level}</th>"))
        .nth(1)
        .unwrap();
    &row[..row.find("</tr>").unwrap()]
}

#[tokio::test]
async fn the_evaluation_workbench() {
    let (app, mo) = setup().await;
    // R2 (a Must of level 2) answered "Ikke relevant" with an explanation: the claim
    // needs the secretariat's judgment.
    let report = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md").replace(
        "| Ja | Vi har tilslutningsaftale fra 19 kommuner.",
        "| Ikke relevant | Vi har tilslutningsaftale fra 19 kommuner.",
    );
    let red = app.session("red", PASSWORD).await;
    let up = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[],
            "borgerpc.md",
            report.as_bytes(),
        )
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", text(&up));

    // Product editors do not evaluate.
    assert_eq!(
        red.post("/evalueringer", &[("produkt", "os2mo")], true)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let sek = app.session("sek", PASSWORD).await;
    let created = sek
        .post("/evalueringer", &[("produkt", "os2mo")], true)
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", text(&created));
    let path = location(&created).split('?').next().unwrap().to_owned();
    let id: i32 = path.trim_start_matches("/evalueringer/").parse().unwrap();
    let page = sek.get(&format!("{path}?besked=oprettet")).await;
    let body = text(&page).to_owned();
    assert!(body.contains("Kladden er oprettet med foreslåede vurderinger"));
    assert!(body.contains("id=\"status\">kladde</strong>"));
    assert_eq!(body.matches("<fieldset class=\"req\"").count(), 43);
    // The product's answer, and the proposals with their sources.
    let g3 = body.split("id=\"krav-G3\"").nth(1).unwrap();
    let g3 = &g3[..g3.find("</fieldset>").unwrap()];
    assert!(g3.contains("Porteføljen"), "{g3}");
    assert!(g3.contains("Selvevalueringens svar"), "{g3}");
    // The claims that lack evidence, collected at the top in the model's order: R1 is
    // answered Ja with a bare statement ("Idriftsat i ca. 7 kommuner") where the
    // requirement asks for a description; F5 and F2 name a URL and a licence, so they
    // are not there.
    let top = body.split("id=\"mangler-evidens\">").nth(1).unwrap();
    let top = &top[..top.find("</ul>").unwrap()];
    let listed: Vec<&str> = top
        .split("<a href=\"#krav-")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert_eq!(listed.first(), Some(&"R1"), "{top}");
    assert!(listed.contains(&"F12"), "{listed:?}");
    assert!(
        !listed.contains(&"F5") && !listed.contains(&"F2"),
        "{listed:?}"
    );
    assert!(
        top.contains("R1</a>: Ja »Idriftsat i ca. 7 kommuner« — Det, der kan afgøre kravet: Beskriv den konkrete værdi"),
        "{top}"
    );
    let judged = body.split("id=\"skoen-liste\">").nth(1).unwrap();
    let judged = &judged[..judged.find("</ul>").unwrap()];
    assert!(
        judged.starts_with(
            "<li><a href=\"#krav-R2\">R2</a>: Ikke relevant »Vi har tilslutningsaftale"
        ),
        "{judged}"
    );
    assert_eq!(judged.matches("<li>").count(), 1, "{judged}");
    let r2 = body.split("id=\"krav-R2\"").nth(1).unwrap();
    let r2 = &r2[..r2.find("</fieldset>").unwrap()];
    assert!(r2.contains("(kræver sekretariatets skøn)"), "{r2}");
    // Per requirement: the verdict, the lacking claim and what would settle it.
    let r1 = body.split("id=\"krav-R1\"").nth(1).unwrap();
    let r1 = &r1[..r1.find("</fieldset>").unwrap()];
    assert!(
        r1.contains("<strong>Påstand og evidens:</strong> kun påstanden"),
        "{r1}"
    );
    assert!(r1.contains("id=\"mangler-R1\""), "{r1}");
    assert!(r1.contains("Idriftsat i ca. 7 kommuner"), "{r1}");
    let f5 = body.split("id=\"krav-F5\"").nth(1).unwrap();
    let f5 = &f5[..f5.find("</fieldset>").unwrap()];
    assert!(!f5.contains("id=\"mangler-F5\""), "{f5}");
    // In English, the same in one language.
    let en = sek.get(&format!("{path}?lang=en")).await;
    let en = text(&en);
    assert!(en.contains(">Claims without documentation</h2>"), "{en}");
    assert!(
        en.contains("<strong>Claim and evidence:</strong> claim only"),
        "{en}"
    );
    assert!(!en.contains("Påstand og evidens"), "{en}");
    // The list shows it; drafts are not for product editors.
    assert!(
        text(&sek.get("/evalueringer").await)
            .contains(&format!("<a href=\"/evalueringer/{id}\">OS2mo</a>"))
    );
    assert!(!text(&red.get("/evalueringer").await).contains(&format!("/evalueringer/{id}\"")));
    assert_eq!(red.get(&path).await.status, StatusCode::NOT_FOUND);

    // Everything green: the counts follow, without saving.
    let mut all_green: Vec<(String, String)> = rating_fields(&body, &[])
        .into_iter()
        .map(|(k, _)| (k, "green".to_owned()))
        .collect();
    all_green.push(("handling".into(), "opdater".into()));
    all_green.push(("version".into(), "1".into()));
    let preview = sek.post(&path, &pairs(&all_green), true).await;
    let body = text(&preview).to_owned();
    assert!(
        body.contains("id=\"indikeret\" data-live-part aria-live=\"polite\">Niveau 3</p>"),
        "{body}"
    );
    let level1: usize = model_count("1");
    assert!(
        count_row(&body, "Niveau 1").starts_with(&format!(
            "<td class=\"num\">{level1}</td><td class=\"num\">0</td>"
        )),
        "{}",
        count_row(&body, "Niveau 1")
    );
    assert_eq!(
        app.store().evaluation(id).await.unwrap().head.version,
        1,
        "not saved"
    );

    // Save with F7 red and the texts: a new version.
    let mut save = all_green.clone();
    for f in &mut save {
        if f.0 == "vurdering-F7" {
            f.1 = "red".into();
        }
        if f.0 == "handling" {
            f.1 = "gem".into();
        }
    }
    save.push(("grundlag-F7".into(), "Ingen byggevejledning".into()));
    save.push(("samlet".into(), "Et modent produkt".into()));
    save.push(("anbefalinger".into(), "Skriv en byggevejledning".into()));
    let saved = sek.post(&path, &pairs(&save), true).await;
    assert_eq!(location(&saved), format!("{path}?besked=gemt"));
    let view = app.store().evaluation(id).await.unwrap();
    assert_eq!(view.head.version, 2);
    assert_eq!(view.current.overall.as_deref(), Some("Et modent produkt"));
    assert_eq!(
        view.current.recommendations.as_deref(),
        Some("Skriv en byggevejledning")
    );
    let page = sek.get(&path).await;
    let body = text(&page).to_owned();
    assert!(
        body.contains("<a href=\"#krav-F7\">F7</a> – rød: ikke opfyldt"),
        "{body}"
    );
    assert!(
        !body.contains("id=\"indikeret\" data-live-part aria-live=\"polite\">Niveau 3</p>"),
        "a red Must requirement blocks level 3"
    );

    // Saving again on version 1: stale. The form keeps one's ratings; the stored ones are listed.
    let stale_fields: Vec<(String, String)> = all_green
        .iter()
        .map(|(k, v)| {
            let v = if k == "handling" { "gem" } else { v.as_str() };
            (k.clone(), v.to_owned())
        })
        .collect();
    let stale = sek.post(&path, &pairs(&stale_fields), true).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let body = text(&stale).to_owned();
    assert!(body.contains("Evalueringen blev ændret imens"), "{body}");
    assert!(body.contains("<li>F7: gemt som 🔴 Rød</li>"), "{body}");
    assert_eq!(app.store().evaluation(id).await.unwrap().head.version, 2);

    // The dialogue: the secretariat comments, sends it to dialogue, the editor answers.
    let c = sek
        .post(
            &format!("{path}/kommentarer"),
            &[("krav", "F7"), ("tekst", "Hvor er byggevejledningen?")],
            true,
        )
        .await;
    assert_eq!(location(&c), format!("{path}?besked=kommentar#krav-F7"));
    let dialog = sek
        .post(
            &format!("{path}/status"),
            &[("version", "2"), ("status", "i dialog")],
            true,
        )
        .await;
    assert_eq!(location(&dialog), format!("{path}?besked=status"));
    let editor_view = red.get(&path).await;
    assert_eq!(editor_view.status, StatusCode::OK);
    let body = text(&editor_view).to_owned();
    assert!(
        !body.contains("<select id=\"vurdering-"),
        "read-only for the product"
    );
    assert!(body.contains("Hvor er byggevejledningen?"));
    let answer = red
        .post(
            &format!("{path}/kommentarer"),
            &[("krav", "f7"), ("tekst", "Se docs/build.md")],
            true,
        )
        .await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", text(&answer));
    let comments = app
        .get(
            &format!("/api/v1/evaluations/{id}/comments"),
            Some("sekretariat"),
        )
        .await;
    let thread: Vec<(&str, &str, &str)> = comments
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["requirement"].as_str().unwrap(),
                c["author"].as_str().unwrap(),
                c["body"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        thread,
        [
            ("F7", "sek", "Hvor er byggevejledningen?"),
            ("F7", "red", "Se docs/build.md")
        ]
    );
    let unknown = red
        .post(
            &format!("{path}/kommentarer"),
            &[("krav", "Z9"), ("tekst", "?")],
            true,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        text(&unknown).contains("requirement: kravet &#39;Z9&#39; findes ikke"),
        "{}",
        text(&unknown)
    );

    // Finalising needs a basis; then the level is official and in the decision log.
    let no_basis = sek
        .post(
            &format!("{path}/endelig"),
            &[("version", "3"), ("niveau", "2"), ("grundlag", " ")],
            true,
        )
        .await;
    assert_eq!(no_basis.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(text(&no_basis).contains("grundlag: skriv grundlaget for beslutningen"));
    let fin = sek
        .post(
            &format!("{path}/endelig"),
            &[
                ("version", "3"),
                ("niveau", "2"),
                ("dato", "2026-11-20"),
                ("besluttet_af", "bestyrelse"),
                ("grundlag", "Evaluering 2026"),
                ("begrundelse", "Bestyrelsen vægter den nye byggevejledning"),
                ("reference", "Bestyrelsesmøde 20.11.2026"),
            ],
            true,
        )
        .await;
    assert_eq!(location(&fin), format!("{path}?besked=endelig"));
    // Final, not published: the level and the decision wait for publication (#12).
    let product = app.store().product(mo as i32).await.unwrap();
    assert_eq!(product.official_level, None);
    let public_log = || async {
        let log = app
            .send(
                axum::http::Request::get("/beslutninger")
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await;
        text(&log).to_owned()
    };
    assert!(!public_log().await.contains("Evaluering 2026"));
    // Comments close with the evaluation.
    let late = sek
        .post(
            &format!("{path}/kommentarer"),
            &[("krav", "F7"), ("tekst", "For sent")],
            true,
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);

    // Publishing puts it on the public product page, with downloads.
    let anon = |p: &str| {
        let p = p.to_owned();
        let app = &app;
        async move {
            app.send(
                axum::http::Request::get(p.as_str())
                    .body(axum::body::Body::empty())
                    .unwrap(),
            )
            .await
        }
    };
    assert!(
        text(&anon("/produkter/os2mo").await)
            .contains("Produktet har ingen offentliggjort evaluering endnu.")
    );
    // The workbench shows the decision waiting for publication, with the justification.
    let waiting = text(&sek.get(&path).await).to_owned();
    let waiting = waiting.split("id=\"ventende-beslutning\"").nth(1).unwrap();
    assert!(waiting.contains("<dd>Niveau 2</dd>"), "{waiting}");
    assert!(
        waiting.contains(
            "Evaluering 2026\n\nBegrundelse for et niveau over det, vurderingerne peger på"
        ),
        "{waiting}"
    );
    // Publishing asks for confirmation: the box must be ticked.
    let unconfirmed = sek
        .post(&format!("{path}/offentliggoer"), &[("version", "4")], true)
        .await;
    assert_eq!(unconfirmed.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&unconfirmed).to_owned();
    assert!(
        body.contains("<strong class=\"field-error\" id=\"fejl-bekraeft\">Bekræft offentliggørelsen: sæt flueben, og tryk Offentliggør igen.</strong>"),
        "{body}"
    );
    assert_eq!(
        app.store()
            .evaluation(id)
            .await
            .unwrap()
            .head
            .status
            .as_str(),
        "endelig"
    );
    let published = sek
        .post(
            &format!("{path}/offentliggoer"),
            &[("version", "4"), ("bekraeft", "ja")],
            true,
        )
        .await;
    assert_eq!(
        location(&published),
        format!("{path}?besked=offentliggjort")
    );
    let product = app.store().product(mo as i32).await.unwrap();
    assert_eq!(product.official_level.as_deref(), Some("2"));
    let log = public_log().await;
    assert!(log.contains("Evaluering 2026"), "{log}");
    assert!(
        log.contains("Bestyrelsen vægter den nye byggevejledning"),
        "the justification is logged with the decision"
    );
    let public = anon("/produkter/os2mo").await;
    let body = text(&public).to_owned();
    assert!(
        body.contains("<span class=\"level level-2\">Niveau 2</span>"),
        "{body}"
    );
    assert!(body.contains("Seneste offentliggjorte evaluering"));
    assert!(
        !body.contains("Hvor er byggevejledningen?"),
        "the dialogue is not public"
    );
    let md = anon(&format!("/produkter/os2mo/evaluering-{id}.md")).await;
    assert_eq!(md.status, StatusCode::OK);
    let md = md.body.as_str().unwrap();
    assert!(
        md.contains("Et modent produkt"),
        "the overall assessment is in the report"
    );
    assert!(
        md.contains("> **Evaluering lavet af:** Sekretariatet<br/>"),
        "the evaluator is named: {md}"
    );
    assert!(!md.contains("[Navn]"));
    assert_eq!(
        anon(&format!("/produkter/os2faktor/evaluering-{id}.md"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        anon(&path).await.status,
        StatusCode::SEE_OTHER,
        "the workbench is not public"
    );
}

/// How many requirements os2-1.1.0 has at `level`.
fn model_count(level: &str) -> usize {
    let reg = niveau_model::Registry::builtin().unwrap();
    let model = reg.get("os2-1.1.0").unwrap();
    model.requirements_at(&level.into()).count()
}

/// Owned form fields as the pairs `Session::post` takes.
fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Finding 5: with 600 stored versions the history is paged, the oldest version is
/// reachable and downloads read one version; the API lists metadata a page at a time.
#[tokio::test]
async fn finding_5_version_read_loads_one_version() {
    let (app, mo) = setup().await;
    let store = app.store();
    let system = Actor::system("test");
    let product = store.product(mo as i32).await.unwrap();
    store
        .set_upload_quota(&system, product.id, product.version, Some(1 << 30))
        .await
        .unwrap();
    let report = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    let sek = app.session("sek", PASSWORD).await;
    let first = sek
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("based_on", "0")],
            "rapport.md",
            report.as_bytes(),
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", text(&first));
    let v1 = store.self_evaluation_version(product.id, 1).await.unwrap();
    for _ in 2..=600 {
        store
            .create_self_evaluation(
                &system,
                niveau_store::evaluations::NewSelfEvaluation {
                    product_id: product.id,
                    model_id: v1.model_id.clone(),
                    model_version: v1.model_version.clone(),
                    format: niveau_store::types::SubmissionFormat::Json,
                    source_text: None,
                    document: v1.document.clone(),
                    warnings: json!([]),
                    indicated_level: v1.indicated_level.clone(),
                    based_on: None,
                },
            )
            .await
            .unwrap();
    }

    // The history: 50 per page, newest first, a link to the older ones.
    let newest = sek.get("/produkter/os2mo/selvevaluering/versioner").await;
    assert_eq!(newest.status, StatusCode::OK);
    let body = text(&newest);
    assert!(body.contains("Versioner 1–50 af 600"), "{body}");
    assert!(body.contains("v600.md") && body.contains("v551.md"));
    assert!(!body.contains("v550.md"));
    assert!(
        body.contains("href=\"/produkter/os2mo/selvevaluering/versioner?side=2\" rel=\"next\"")
    );
    assert!(body.contains("Version 599 → 600:") || body.contains("id=\"ingen-forskelle\""));
    let oldest = sek
        .get("/produkter/os2mo/selvevaluering/versioner?side=12")
        .await;
    let body = text(&oldest);
    assert!(body.contains("Versioner 551–600 af 600"), "{body}");
    assert!(body.contains("v1.md") && body.contains("v1-original.md"));
    assert!(body.contains("?side=11\" rel=\"prev\""));
    // A comparison across pages reads the two versions it names.
    let across = sek
        .get("/produkter/os2mo/selvevaluering/versioner?fra=1&til=600")
        .await;
    assert!(
        text(&across).contains("id=\"ingen-forskelle\""),
        "{}",
        text(&across)
    );

    // Downloads read one version, however old.
    let original = sek
        .get("/produkter/os2mo/selvevaluering/v1-original.md")
        .await;
    assert_eq!(original.status, StatusCode::OK);
    assert_eq!(original.body.as_str().unwrap(), report);
    let json = sek.get("/produkter/os2mo/selvevaluering/v1.json").await;
    assert_eq!(json.status, StatusCode::OK);
    assert_eq!(
        sek.get("/produkter/os2mo/selvevaluering/v601.json")
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The API: a page of at most 100, metadata only, and a link to the next page.
    let list = app
        .get(
            "/api/v1/products/os2mo/self-evaluations?limit=1000",
            Some("læser"),
        )
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["total"], 600);
    assert_eq!(list.body["limit"], 100);
    let items = list.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 100);
    assert_eq!(items[0]["number"], 600);
    for key in ["document", "source_text", "warnings"] {
        assert!(items[0].get(key).is_none(), "{key} in a list");
    }
    assert!(items[0]["size_bytes"].as_i64().unwrap() > 0);
    assert_eq!(
        list.headers[header::LINK],
        "</api/v1/products/os2mo/self-evaluations?limit=100&offset=100>; rel=\"next\""
    );
    let one = app
        .get("/api/v1/products/os2mo/self-evaluations/1", Some("læser"))
        .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.body["number"], 1);
    assert_eq!(one.body["source_text"].as_str().unwrap(), report);
}

/// Finding 5 on the pages: the editor shows what the versions take against the quota;
/// the secretariat raises the quota there, a product editor cannot.
#[tokio::test]
async fn finding_5_upload_quota_refuses_and_secretariat_can_raise() {
    let (app, mo) = setup().await;
    let red = app.session("red", PASSWORD).await;
    let sek = app.session("sek", PASSWORD).await;
    let editor = red.get("/produkter/os2mo/selvevaluering").await;
    let body = text(&editor);
    assert!(
        body.contains(
            "Gemte versioner fylder 0,0 MB af produktets uploadkvote på 50,0 MB (0 versioner)."
        ),
        "{body}"
    );
    assert!(!body.contains("name=\"kvote_mb\""));
    let denied = red
        .post(
            "/produkter/os2mo/selvevaluering/kvote",
            &[("kvote_mb", "5000"), ("version", "1")],
            true,
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);

    // The secretariat lowers it to 1 KB: an upload is then refused, naming the limit.
    let page = sek.get("/produkter/os2mo/selvevaluering").await;
    assert!(text(&page).contains("name=\"kvote_mb\""));
    let version = app
        .store()
        .product(mo as i32)
        .await
        .unwrap()
        .version
        .to_string();
    let bad = sek
        .post(
            "/produkter/os2mo/selvevaluering/kvote",
            &[("kvote_mb", "nul"), ("version", &version)],
            true,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let set = sek
        .post(
            "/produkter/os2mo/selvevaluering/kvote",
            &[("kvote_mb", "0,001"), ("version", &version)],
            true,
        )
        .await;
    assert_eq!(location(&set), "/produkter/os2mo/selvevaluering?kvote=1");
    let report = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    let refused = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("based_on", "0")],
            "rapport.md",
            report.as_bytes(),
        )
        .await;
    assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
    let body = text(&refused);
    assert!(
        body.contains("rapport.md: Produktets uploadkvote er 0,0 MB; 0,0 MB er brugt"),
        "{body}"
    );
    assert!(body.contains("Intet er gemt. Sekretariatet kan hæve kvoten."));
    assert_eq!(
        app.store().upload_volume(mo as i32).await.unwrap().versions,
        0
    );

    // Raised to 20 MB, the same upload is stored.
    let version = app
        .store()
        .product(mo as i32)
        .await
        .unwrap()
        .version
        .to_string();
    let set = sek
        .post(
            "/produkter/os2mo/selvevaluering/kvote",
            &[("kvote_mb", "20"), ("version", &version)],
            true,
        )
        .await;
    assert_eq!(location(&set), "/produkter/os2mo/selvevaluering?kvote=1");
    let stored = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[("based_on", "0")],
            "rapport.md",
            report.as_bytes(),
        )
        .await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", text(&stored));
    let volume = app.store().upload_volume(mo as i32).await.unwrap();
    assert_eq!((volume.versions, volume.quota_bytes), (1, 20 * 1_048_576));
    let editor = red.get("/produkter/os2mo/selvevaluering").await;
    assert!(text(&editor).contains("af produktets uploadkvote på 20,0 MB (1 versioner)."));
}

/// The value of the textarea `name` in a page (unescaped only as far as the test needs).
fn textarea<'a>(body: &'a str, name: &str) -> &'a str {
    let start = body
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no {name}"));
    let rest = &body[start..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</textarea>").unwrap();
    &rest[open..close]
}

/// Issue #12: every post from the workbench keeps what was typed; a new draft's basis is
/// empty, with the proposal offered as a marked proposal; one open evaluation per
/// product; discarding; a level above the indicated one needs a justification.
#[tokio::test]
async fn the_workbench_never_loses_typed_work() {
    let (app, _) = setup().await;
    let report = niveau_testkit::fixture("os2/reports/selfeval-1.1.0-os2borgerpc-2026.md");
    let red = app.session("red", PASSWORD).await;
    let up = red
        .upload(
            "/produkter/os2mo/selvevaluering/upload",
            &[],
            "borgerpc.md",
            report.as_bytes(),
        )
        .await;
    assert_eq!(up.status, StatusCode::SEE_OTHER, "{}", text(&up));
    let sek = app.session("sek", PASSWORD).await;
    let created = sek
        .post("/evalueringer", &[("produkt", "os2mo")], true)
        .await;
    let path = location(&created).split('?').next().unwrap().to_owned();
    let id: i32 = path.trim_start_matches("/evalueringer/").parse().unwrap();

    // The basis starts empty; the proposal's reason is offered, marked as a proposal, and
    // the product's documentation is shown beside it.
    let view = app.store().evaluation(id).await.unwrap();
    let proposals: Vec<niveau_app::proposals::RatingProposal> =
        serde_json::from_value(view.current.proposals.clone()).unwrap();
    let f5 = proposals.iter().find(|p| p.requirement == "F5").unwrap();
    let page = sek.get(&path).await;
    let body = text(&page).to_owned();
    assert_eq!(textarea(&body, "grundlag-F5"), "");
    let block = body.split("id=\"krav-F5\"").nth(1).unwrap();
    let block = &block[..block.find("</fieldset>").unwrap()];
    assert!(block.contains("<strong>Forslag</strong> <span class=\"meta\">(ikke sekretariatets tekst; gemmes kun, hvis du bruger det)</span>"), "{block}");
    assert!(
        block.contains("Produktets dokumentation (fra selvevalueringen)"),
        "{block}"
    );
    assert!(
        block.contains("name=\"handling\" value=\"brug-F5\""),
        "{block}"
    );

    // "Use the proposal" without JavaScript: the form comes back with it as the basis,
    // nothing saved.
    let mut fields = rating_fields(&body, &[]);
    fields.push(("version".into(), "1".into()));
    fields.push(("handling".into(), "brug-F5".into()));
    fields.push(("grundlag-F5".into(), String::new()));
    fields.push(("anbefaling-F7".into(), "Skriv en byggevejledning".into()));
    let used = sek.post(&path, &pairs(&fields), true).await;
    assert_eq!(used.status, StatusCode::OK);
    let used = text(&used).to_owned();
    let expected = f5
        .chosen
        .reason
        .da
        .replace('\'', "&#39;")
        .replace('"', "&quot;");
    assert_eq!(textarea(&used, "grundlag-F5"), expected);
    assert_eq!(
        textarea(&used, "anbefaling-F7"),
        "Skriv en byggevejledning",
        "typed text kept"
    );
    assert_eq!(
        app.store().evaluation(id).await.unwrap().head.version,
        1,
        "not saved"
    );

    // A comment posted with unsaved ratings, basis and recommendation keeps them: they
    // are saved in the same request.
    let mut fields = rating_fields(&body, &[("F7", "red")]);
    fields.push(("version".into(), "1".into()));
    fields.push(("grundlag-F7".into(), "Ingen byggevejledning fundet".into()));
    fields.push(("anbefaling-F7".into(), "Skriv en byggevejledning".into()));
    fields.push(("kommentar-F7".into(), "Hvor er byggevejledningen?".into()));
    fields.push(("krav".into(), "F7".into()));
    let c = sek
        .post(&format!("{path}/kommentarer"), &pairs(&fields), true)
        .await;
    assert_eq!(location(&c), format!("{path}?besked=kommentar#krav-F7"));
    let view = app.store().evaluation(id).await.unwrap();
    assert_eq!(view.head.version, 2);
    let entries: Vec<niveau_model::RatingEntry> =
        serde_json::from_value(view.current.ratings).unwrap();
    let f7 = entries
        .iter()
        .find(|e| e.requirement.as_str() == "F7")
        .unwrap();
    assert_eq!(f7.rating, Some(niveau_model::Rating::Red));
    assert_eq!(f7.basis.as_deref(), Some("Ingen byggevejledning fundet"));
    assert_eq!(
        f7.recommendation.as_deref(),
        Some("Skriv en byggevejledning")
    );
    let f5_saved = entries
        .iter()
        .find(|e| e.requirement.as_str() == "F5")
        .unwrap();
    assert_eq!(
        f5_saved.basis, None,
        "a proposal not taken is never saved as the basis"
    );
    assert_eq!(
        app.get(
            &format!("/api/v1/evaluations/{id}/comments"),
            Some("sekretariat")
        )
        .await
        .body[0]["body"],
        "Hvor er byggevejledningen?"
    );

    // A status change saves the typed ratings too.
    let page = text(&sek.get(&path).await).to_owned();
    let mut fields = rating_fields(&page, &[("F5", "yellow")]);
    fields.push(("version".into(), "2".into()));
    fields.push(("grundlag-F7".into(), "Ingen byggevejledning fundet".into()));
    fields.push(("anbefaling-F7".into(), "Skriv en byggevejledning".into()));
    fields.push(("grundlag-F5".into(), "README beskriver formålet".into()));
    fields.push(("status".into(), "i dialog".into()));
    let moved = sek
        .post(&format!("{path}/status"), &pairs(&fields), true)
        .await;
    assert_eq!(location(&moved), format!("{path}?besked=status"));
    let view = app.store().evaluation(id).await.unwrap();
    assert_eq!(view.head.status.as_str(), "i dialog");
    assert_eq!(view.head.version, 4, "saved, then moved");
    assert_eq!(
        view.current
            .ratings
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["requirement"] == "F5")
            .unwrap()["basis"],
        "README beskriver formålet"
    );

    // A refused finalising re-renders every typed value, the message at its field.
    let page = text(&sek.get(&path).await).to_owned();
    let mut fields = rating_fields(&page, &[]);
    fields.push(("version".into(), "4".into()));
    fields.push(("grundlag-F7".into(), "Ingen byggevejledning fundet".into()));
    fields.push(("anbefaling-F7".into(), "Skriv en byggevejledning".into()));
    fields.push(("grundlag-F5".into(), "README beskriver formålet".into()));
    fields.push(("grundlag-R1".into(), "Bruges i 60 kommuner".into()));
    fields.push(("kommentar-R1".into(), "Et spørgsmål".into()));
    fields.push(("niveau".into(), "3".into()));
    fields.push(("grundlag".into(), "Runden 2026".into()));
    fields.push(("reference".into(), "Møde 1".into()));
    fields.push(("begrundelse".into(), String::new()));
    let refused = sek
        .post(&format!("{path}/endelig"), &pairs(&fields), true)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = text(&refused).to_owned();
    assert!(body.contains("<strong class=\"field-error\" id=\"fejl-begrundelse\">Niveau 3 er over det niveau, vurderingerne peger på"), "{body}");
    assert_eq!(textarea(&body, "grundlag-R1"), "Bruges i 60 kommuner");
    assert_eq!(textarea(&body, "kommentar-R1"), "Et spørgsmål");
    assert_eq!(textarea(&body, "grundlag"), "Runden 2026");
    assert!(body.contains("name=\"reference\" maxlength=\"500\" value=\"Møde 1\""));
    assert!(
        body.contains("<option value=\"3\" selected>"),
        "the chosen level kept"
    );
    let view = app.store().evaluation(id).await.unwrap();
    assert_eq!(view.head.status.as_str(), "i dialog", "not finalised");

    // One open evaluation per product: starting another shows the open one.
    let again = sek
        .post("/evalueringer", &[("produkt", "os2mo")], true)
        .await;
    assert_eq!(location(&again), format!("{path}?besked=findes"));
    assert_eq!(
        app.get("/api/v1/evaluations?product_id=1", Some("sekretariat"))
            .await
            .body["total"],
        1
    );

    // Discarding: only the secretariat; kept in the history.
    let version = app
        .store()
        .evaluation(id)
        .await
        .unwrap()
        .head
        .version
        .to_string();
    let denied = red
        .post(
            &format!("{path}/kasser"),
            &[("version", version.as_str())],
            true,
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let discarded = sek
        .post(
            &format!("{path}/kasser"),
            &[("version", version.as_str())],
            true,
        )
        .await;
    assert_eq!(location(&discarded), format!("{path}?besked=kasseret"));
    let page = text(&sek.get(&format!("{path}?besked=kasseret")).await).to_owned();
    assert!(page.contains("id=\"status\">kasseret</strong>"), "{page}");
    assert!(
        !page.contains("<select id=\"vurdering-"),
        "no longer editable"
    );
    assert_eq!(red.get(&path).await.status, StatusCode::NOT_FOUND);
    let fresh = sek
        .post("/evalueringer", &[("produkt", "os2mo")], true)
        .await;
    assert!(
        location(&fresh).ends_with("?besked=oprettet"),
        "{}",
        location(&fresh)
    );
}
