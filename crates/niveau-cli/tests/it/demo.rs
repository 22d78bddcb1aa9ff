//! The example portfolio: `niveau demo` and `niveau serve --demo` load
//! data/demo/portfolio.toml into a database, and what is stored is what the file says.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::Datelike;

use niveau_app::App;
use niveau_model::Registry;
use niveau_store::agreements::AgreementFilter;
use niveau_store::audit::AuditFilter;
use niveau_store::decisions::DecisionFilter;
use niveau_store::evaluations::EvaluationFilter;
use niveau_store::organisations::{OrganisationFilter, OrganisationInput, PersonFilter};
use niveau_store::products::ProductFilter;
use niveau_store::types::{
    AgreementKind, BoardCaseKind, BoardOutcome, DecidedBy, DecisionKind, EvaluationStatus, OrgKind,
    ProgressStatus, Stage,
};
use niveau_store::{Actor, ListParams, Store, StoreOptions};
use nix::sys::signal::Signal;
use support::{Server, get, run, run_ok};

fn all() -> ListParams {
    ListParams {
        limit: Some(500),
        ..Default::default()
    }
}

/// (slug, stage, number of decisions in the log) as the TOML states them, read from the
/// file itself: its own decisions, one level decision per published evaluation and one
/// approval per board case the board decided (approvals of a product or steering group).
fn stated() -> (BTreeMap<String, (String, usize)>, usize) {
    let text =
        std::fs::read_to_string(niveau_testkit::repo_root().join("data/demo/portfolio.toml"))
            .unwrap();
    let doc: toml::Table = toml::from_str(&text).unwrap();
    let mut out = BTreeMap::new();
    let mut decisions = 0;
    for p in doc["product"].as_array().unwrap() {
        let n = p
            .get("decision")
            .and_then(|d| d.as_array())
            .map_or(0, Vec::len)
            + p.get("report").and_then(|r| r.as_array()).map_or(0, |r| {
                r.iter()
                    .filter(|r| r["kind"].as_str() == Some("evaluering"))
                    .count()
            })
            + p.get("board_case")
                .and_then(|c| c.as_array())
                .map_or(0, |c| {
                    c.iter().filter(|c| c.get("outcome").is_some()).count()
                });
        decisions += n;
        out.insert(
            p["slug"].as_str().unwrap().to_string(),
            (p["stage"].as_str().unwrap().to_string(), n),
        );
    }
    (out, decisions)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_example_portfolio_is_stored_as_the_file_states() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap().to_string();
    let out = run_ok(dir.path(), &["--lang", "en", "demo", "--database", &db], "");
    assert!(
        out.contains("loaded: 21 organisations, 13 products, 14 participants, 10 groups, 21 group members, 6 agreements, 14 decisions, 4 self-evaluations, 1 published evaluations, 3 board meetings, 3 board cases, 1 progress reports"),
        "{out}"
    );
    assert!(!out.contains("skipped"), "{out}");

    let store = Store::connect(&db, &StoreOptions::default()).await.unwrap();
    let (stated, stated_decisions) = stated();
    assert_eq!(stated.len(), 13);

    let products = store
        .list_products(&ProductFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(products.total, 13);
    for slug in [
        "os2mo",
        "os2faktor",
        "os2autoproces",
        "os2udoglaer",
        "os2datascanner",
        "os2iot",
    ] {
        let product = store.product_by_slug(slug).await.unwrap();
        assert_eq!(product.stage.as_str(), stated[slug].0, "{slug}");
        assert!(product.published, "{slug} is published");
        // Marked as example data; the sources stay in the file.
        assert!(
            product
                .long_description
                .ends_with("Eksempeldata (ikke OS2's officielle portefølje)."),
            "{slug}: {}",
            product.long_description
        );
        assert!(
            !product.long_description.contains("seeds/"),
            "{slug}: {}",
            product.long_description
        );
        let decisions = store
            .list_decisions(
                &DecisionFilter {
                    product_id: Some(product.id),
                    ..Default::default()
                },
                &all(),
            )
            .await
            .unwrap();
        assert_eq!(decisions.total as usize, stated[slug].1, "{slug}");
    }
    for (slug, (stage, _)) in &stated {
        let product = store.product_by_slug(slug).await.unwrap();
        assert_eq!(product.stage, Stage::parse(stage).unwrap(), "{slug}");
    }
    assert_eq!(
        store
            .product_by_slug("os2bankintegration")
            .await
            .unwrap()
            .stage,
        Stage::Koncept
    );

    // Every decision is there, and OS2mo's log replays projekt → pauset → projekt → produkt.
    let decisions = store
        .list_decisions(&DecisionFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(decisions.total as usize, stated_decisions);
    assert_eq!(stated_decisions, 15);
    let os2mo = store.product_by_slug("os2mo").await.unwrap();
    let mut log: Vec<_> = decisions
        .items
        .iter()
        .filter(|d| d.product_id == Some(os2mo.id) && d.kind == DecisionKind::Stadie)
        .collect();
    log.sort_by_key(|d| d.decided_on);
    let steps: Vec<(String, String, String)> = log
        .iter()
        .map(|d| {
            (
                d.decided_on.to_string(),
                d.from_value.clone().unwrap(),
                d.to_value.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("2017-03-01".into(), "projekt".into(), "pauset".into()),
            ("2017-11-01".into(), "pauset".into(), "projekt".into()),
            ("2018-01-01".into(), "projekt".into(), "produkt".into()),
        ]
    );
    assert!(
        log[2]
            .reference
            .as_deref()
            .unwrap()
            .starts_with("Bestyrelsens beretning 2019 (Eksempeldata"),
        "{:?}",
        log[2].reference
    );
    assert_eq!(log[2].recorded_by, "eksempeldata");
    // OS2mo and OS2kitos are at level 3 in the 2018 model, as the board's report places
    // them.
    assert_eq!(os2mo.official_level.as_deref(), Some("3"));
    assert_eq!(os2mo.official_model.as_deref(), Some("os2-2018"));

    // No personal names: no person rows.
    let persons = store
        .list_persons(
            &PersonFilter {
                archived: Some(true),
                ..Default::default()
            },
            &all(),
        )
        .await
        .unwrap();
    assert_eq!(persons.total, 0);

    // Organisations are marked, groups and members are there.
    let orgs = store
        .list_organisations(&OrganisationFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(orgs.total, 21);
    assert!(orgs.items.iter().all(|o| {
        o.note
            .as_deref()
            .is_some_and(|n| n.contains("Eksempeldata (ikke OS2's officielle portefølje)"))
    }));
    let groups = store.groups_of_product(os2mo.id).await.unwrap();
    let shape: Vec<(String, usize)> = groups
        .iter()
        .map(|g| (g.group.name.clone(), g.members.len()))
        .collect();
    assert_eq!(
        shape,
        vec![
            ("Arkitekturgruppen for OS2mo".to_string(), 7),
            ("Styregruppen for OS2mo".to_string(), 4)
        ]
    );

    // The reports are self-evaluations, imported as an upload would be.
    let iot = store.product_by_slug("os2iot").await.unwrap();
    let latest = store.latest_self_evaluation(iot.id).await.unwrap().unwrap();
    assert_eq!(latest.number, 1);
    assert_eq!(latest.submitted_by, "eksempeldata");
    assert_eq!(
        latest.source_text.as_deref(),
        Some(niveau_testkit::fixture("os2/reports/selfeval-2021-os2iot.md").as_str())
    );
    let faktor = store.product_by_slug("os2faktor").await.unwrap();
    assert!(
        store
            .latest_self_evaluation(faktor.id)
            .await
            .unwrap()
            .is_none()
    );

    // OS2faktor's 2025 evaluation is a published evaluation with the report's ratings, and
    // its recommendation (level 1) is the official level, decided on the report's date.
    assert_eq!(faktor.official_level.as_deref(), Some("1"));
    assert_eq!(faktor.official_model.as_deref(), Some("os2-1.1.0"));
    let evaluations = store
        .list_evaluations(
            &EvaluationFilter {
                product_id: Some(faktor.id),
                ..Default::default()
            },
            &all(),
        )
        .await
        .unwrap();
    assert_eq!(evaluations.total, 1);
    let evaluation = store.evaluation(evaluations.items[0].id).await.unwrap();
    assert_eq!(evaluation.head.status, EvaluationStatus::Offentliggjort);
    let ratings = evaluation.current.ratings.as_array().unwrap();
    assert_eq!(ratings.len(), 43);
    let g6 = ratings.iter().find(|r| r["requirement"] == "G6").unwrap();
    assert_eq!(g6["rating"], "red");
    assert!(
        g6["basis"]
            .as_str()
            .unwrap()
            .starts_with("Der findes pt. ikke en aktiv og dokumenteret styregruppe"),
        "{g6}"
    );
    let level = decisions
        .items
        .iter()
        .find(|d| d.product_id == Some(faktor.id) && d.kind == DecisionKind::Niveau)
        .unwrap();
    assert_eq!(level.decided_on.to_string(), "2025-11-16");
    assert_eq!(level.decided_by, DecidedBy::Sekretariat);
    assert_eq!(level.to_value.as_deref(), Some("1"));
    assert_eq!(
        level.reference.as_deref(),
        Some(
            "Evalueringsrapport for OS2faktor, 16-11-2025 (Eksempeldata (ikke OS2's officielle portefølje))"
        )
    );

    // OS2autoproces: the 42 municipalities and 2 regions the board's report counts, in
    // the joining agreement and the description; none is named, so none is made up.
    let autoproces = store.product_by_slug("os2autoproces").await.unwrap();
    let joined = store
        .list_agreements(
            &AgreementFilter {
                product_id: Some(autoproces.id),
                ..Default::default()
            },
            &all(),
        )
        .await
        .unwrap();
    assert_eq!(joined.total, 1);
    assert_eq!(
        joined.items[0].agreement.kind,
        AgreementKind::Tilslutningsaftale
    );
    assert_eq!(
        joined.items[0].agreement.title,
        "Tilslutning til OS2autoproces (42 kommuner og 2 regioner)"
    );
    assert!(joined.items[0].parties.is_empty());
    assert!(
        autoproces
            .long_description
            .contains("42 kommuner og 2 regioner tilsluttet")
    );

    // The statistics for 2018 next to the board's annual report 2019 (docs/demo-data.md).
    let app = App::new(store.clone(), Arc::new(Registry::builtin().unwrap()));

    // The supplier concentration on the demo: OS2mo is developed by Magenta and reviewed
    // by Strong Minds (seeds/os2mo-case-article-2018.txt:11,29), a third party; neither
    // has a partner agreement the sources date, so both are flagged.
    let reader = niveau_app::principal::Principal::system("test");
    let conc = niveau_app::suppliers::concentration(&app, Some(&reader))
        .await
        .unwrap();
    let os2mo = conc.products.iter().find(|p| p.slug == "os2mo").unwrap();
    let names = |i: usize| -> Vec<&str> {
        os2mo.roles[i]
            .suppliers
            .iter()
            .map(|s| s.name.as_str())
            .collect()
    };
    assert_eq!(names(0), vec!["Magenta"], "udvikling");
    assert_eq!(names(1), vec!["Strong Minds"], "kvalitetssikring/review");
    assert!(!os2mo.self_review && !os2mo.single_supplier && !os2mo.no_third_party_review);
    assert_eq!(os2mo.without_agreement, vec!["Magenta", "Strong Minds"]);
    // The OS2mo 2.5 wishes are ordered; the illustration waits for 100.000 kr.
    let overview = niveau_app::wishes::overview::overview(&app, Some(&reader))
        .await
        .unwrap();
    let mo = overview
        .products
        .iter()
        .find(|p| p.slug == "os2mo")
        .unwrap();
    assert_eq!((mo.open, mo.unfunded), (5, 1));
    assert_eq!(
        overview.unfunded[0].title,
        "Illustration: et samfinansieret udviklingsønske"
    );
    assert_eq!(
        (
            overview.unfunded[0].target_ore,
            overview.unfunded[0].pledged_ore
        ),
        (30_000_000, 20_000_000)
    );
    let wish_stats = niveau_app::wishes::overview::statistics(&app, None)
        .await
        .unwrap();
    assert_eq!(wish_stats.community_paid, 5);
    assert_eq!(wish_stats.pledging_organisations, 2);
    assert_eq!(
        wish_stats.years.first().map(|y| (y.year, y.raised)),
        Some((2018, 4))
    );
    let stats = niveau_app::statistics::figures(&app, None).await.unwrap();
    let year = |y: i32| {
        stats
            .products_in_stage_by_year
            .iter()
            .find(|(x, _)| *x == y)
            .map(|(_, n)| *n)
    };
    // The report counts 17 products in operation in 2018 without naming them all; the
    // demo holds the 7 the sources name as products by the end of 2018.
    assert_eq!(year(2017), Some(0));
    assert_eq!(year(2018), Some(7));
    assert_eq!(year(2021), Some(8), "OS2iot, by its 2021 report");
    // This year every product at the stage counts, also those without a dated decision.
    let this_year = store.now().year();
    assert_eq!(year(this_year), Some(11));
    assert_eq!(
        stats.undated, 5,
        "OS2kitos, OS2loop, OS2borgerPC, OS2bankintegration and the illustration of an idea"
    );
    // No source names a member or a membership date: no members figure.
    assert!(stats.members.is_empty());
    // Today, over the 11 products at the stage.
    assert_eq!(stats.in_stage, 11);
    assert_eq!(stats.with_coordination_group, 4);
    assert_eq!(stats.with_steering_group, 4);
    assert_eq!(stats.with_joining_agreement, 4);
    let stage = |s: Stage| {
        stats
            .by_stage
            .iter()
            .find(|(x, _)| *x == s)
            .map(|(_, n)| *n)
    };
    assert_eq!(stage(Stage::Produkt), Some(11));
    assert_eq!(stage(Stage::Koncept), Some(1));
    assert_eq!(stage(Stage::Ide), Some(1), "the illustration of an idea");
    assert_eq!(
        stats.by_level,
        [
            (None, 10),
            (Some("1".to_string()), 1),
            (Some("3".to_string()), 2)
        ]
    );

    // The board: two meetings the sources date, each with the one case the source names,
    // decided by the board at the meeting through the process (niveau_app::board), and
    // the illustration's planned meeting, newest first.
    let meetings = store.list_meetings(&all()).await.unwrap();
    let held: Vec<(String, String)> = meetings
        .items
        .iter()
        .map(|m| (m.held_on.to_string(), m.title.clone()))
        .collect();
    assert_eq!(
        held,
        vec![
            (
                "2027-03-11".to_string(),
                "Illustration: planlagt bestyrelsesmøde marts 2027".to_string()
            ),
            (
                "2019-05-23".to_string(),
                "Bestyrelsesmøde 23. maj 2019".to_string()
            ),
            (
                "2017-08-17".to_string(),
                "Bestyrelsesmøde 17. august 2017".to_string()
            ),
        ]
    );
    let may_2019 = store.meeting(meetings.items[1].id).await.unwrap();
    assert!(
        may_2019
            .meeting
            .agenda
            .as_deref()
            .unwrap()
            .ends_with("Eksempeldata (ikke OS2's officielle portefølje).")
    );
    assert_eq!(may_2019.cases.len(), 1);
    let case = &may_2019.cases[0];
    assert_eq!(case.product_id, iot.id);
    assert_eq!(case.kind, BoardCaseKind::Styregruppe);
    assert_eq!(case.title, "Godkendelse af styregruppen for OS2iot");
    assert_eq!(case.outcome, Some(BoardOutcome::Godkendt));
    assert_eq!(case.decided_on.unwrap().to_string(), "2019-05-23");
    assert_eq!(case.created_by, "eksempeldata");
    assert!(
        case.presentation
            .ends_with("Eksempeldata (ikke OS2's officielle portefølje)."),
        "{}",
        case.presentation
    );
    assert!(!case.presentation.contains("fixtures/"));
    let iot_groups = store.groups_of_product(iot.id).await.unwrap();
    let steering = iot_groups
        .iter()
        .find(|g| g.group.name == "Styregruppen for OS2iot")
        .unwrap();
    assert_eq!(case.group_id, Some(steering.group.id));
    // The board's decision wrote the approval of the steering group in the log.
    let approval = store.decision(case.decision_id.unwrap()).await.unwrap();
    assert_eq!(approval.product_id, Some(iot.id));
    assert_eq!(approval.kind, DecisionKind::Godkendelse);
    assert_eq!(approval.to_value.as_deref(), Some("styregruppe"));
    assert_eq!(approval.decided_on.to_string(), "2019-05-23");
    assert_eq!(approval.decided_by, DecidedBy::Bestyrelse);
    // The board's reference (the minutes) stays, with the group beside it.
    let reference = approval.reference.clone().unwrap_or_default();
    assert!(
        reference.starts_with("Referat og dagsorden, OS2-bestyrelsesmøde 23.05.2019")
            && reference.ends_with(&format!("; gruppe {}", steering.group.id)),
        "{reference}"
    );
    assert_eq!(
        approval.basis,
        format!(
            "Bestyrelsens afgørelse i sag {}: Godkendelse af styregruppen for OS2iot",
            case.id
        )
    );
    // The 2017 meeting: the board approved the product, with the minutes as reference.
    let august_2017 = store.meeting(meetings.items[2].id).await.unwrap();
    assert_eq!(august_2017.cases.len(), 1);
    let product_case = &august_2017.cases[0];
    assert_eq!(product_case.kind, BoardCaseKind::Produkt);
    let product_approval = store
        .decision(product_case.decision_id.unwrap())
        .await
        .unwrap();
    assert_eq!(product_approval.kind, DecisionKind::Godkendelse);
    assert_eq!(product_approval.to_value.as_deref(), Some("produkt"));
    assert_eq!(product_approval.decided_on.to_string(), "2017-08-17");
    assert_eq!(
        product_approval.reference.as_deref(),
        Some(
            "Dagsorden og referat, OS2-bestyrelsesmøde 17.08.2017 (Eksempeldata (ikke OS2's officielle portefølje))"
        )
    );
    // One case waits for the board: the illustration (marked as one in its title), the
    // concept of OS2bankintegration on a planned meeting; the sources name no pending case.
    let open = store
        .list_cases(
            &niveau_store::board::CaseFilter {
                open: Some(true),
                ..Default::default()
            },
            &all(),
        )
        .await
        .unwrap();
    assert_eq!(open.total, 1);
    let waiting = &open.items[0];
    assert_eq!(waiting.kind, niveau_store::types::BoardCaseKind::Koncept);
    assert!(
        waiting
            .title
            .starts_with("Illustration: OS2bankintegration"),
        "{}",
        waiting.title
    );
    assert!(
        waiting
            .presentation
            .starts_with("Illustration, ikke fra kilderne")
    );
    assert_eq!(waiting.outcome, None);
    let planned = store.meeting(waiting.meeting_id.unwrap()).await.unwrap();
    assert_eq!(planned.meeting.held_on.to_string(), "2027-03-11");
    assert!(planned.meeting.title.starts_with("Illustration:"));

    // OS2iot's progress report from 2019, while it was a project: late, no amounts.
    let reports = store.progress_reports(iot.id, &all()).await.unwrap();
    assert_eq!(reports.total, 1);
    let report = &reports.items[0];
    assert_eq!(report.status, ProgressStatus::Forsinket);
    assert_eq!(report.period_from.to_string(), "2019-01-01");
    assert_eq!(report.period_to.to_string(), "2019-03-31");
    assert_eq!(
        (report.budget, report.spent, report.expected_total),
        (None, None, None)
    );
    assert!(
        report
            .progress
            .starts_with("Projektet skulle have været igangsat i starten af 2019"),
        "{}",
        report.progress
    );
    assert!(
        report
            .progress
            .ends_with("Eksempeldata (ikke OS2's officielle portefølje).")
    );
    assert_eq!(report.reported_by, "eksempeldata");
    // OS2iot's log: the board's two approvals and the registered stage change.
    let iot_log: Vec<(String, String, Option<String>)> = decisions
        .items
        .iter()
        .filter(|d| d.product_id == Some(iot.id))
        .map(|d| {
            (
                d.decided_on.to_string(),
                d.kind.as_str().to_owned(),
                d.to_value.clone(),
            )
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(
        iot_log,
        vec![
            (
                "2017-08-17".into(),
                "godkendelse".into(),
                Some("produkt".into())
            ),
            (
                "2019-05-23".into(),
                "godkendelse".into(),
                Some("styregruppe".into())
            ),
            ("2021-12-31".into(), "stadie".into(), Some("produkt".into())),
        ]
    );

    // The portfolio evidence: a draft evaluation of OS2iot (against its 2021
    // self-evaluation's model) proposes G11 green from the board's decision, and G5
    // green from the approval of the product.
    let secretariat = niveau_app::principal::Principal::system("test");
    let draft = niveau_app::evaluations::start_draft(&app, Some(&secretariat), &iot)
        .await
        .unwrap();
    assert_eq!(draft.head.model_id, "os2-2021");
    let proposals = draft.current.proposals.as_array().unwrap();
    let from_portfolio = |requirement: &str| -> serde_json::Value {
        let p = proposals
            .iter()
            .find(|p| p["requirement"] == requirement)
            .unwrap_or_else(|| panic!("no proposal for {requirement}"));
        // The chosen proposal's fields are the entry's own; the others are alternatives.
        std::iter::once(p)
            .chain(p["alternatives"].as_array().unwrap())
            .find(|c| c["source"] == "portfolio")
            .unwrap_or_else(|| panic!("no portfolio proposal for {requirement}: {p}"))
            .clone()
    };
    let g11 = from_portfolio("G11");
    assert_eq!(g11["rating"], "green", "{g11}");
    assert_eq!(g11["detail"], "portfolio.board-approved-steering-group");
    assert_eq!(g11["evidence"][0]["table"], "decision", "{g11}");
    assert_eq!(g11["evidence"][0]["id"], approval.id, "{g11}");
    assert_eq!(
        g11["basis"],
        "Bestyrelsen godkendte styregruppen 2019-05-23 (beslutningsloggen)."
    );
    let g5 = from_portfolio("G5");
    assert_eq!(g5["rating"], "green", "{g5}");
    assert_eq!(g5["evidence"][0]["id"], product_approval.id, "{g5}");
    // The checklist's ticked box (`[x]`) is the product's Ja: the registry confirms the
    // claim, and the sources do not disagree.
    for requirement in ["G5", "G11"] {
        let p = proposals
            .iter()
            .find(|p| p["requirement"] == requirement)
            .unwrap();
        assert_eq!(p["verdict"], "confirmed", "{p}");
        assert_eq!(p["claim"]["answer"], "Ja", "{p}");
        assert_eq!(p["claim"]["positive"], true, "{p}");
        assert!(p.get("disagreement").is_none(), "{p}");
    }

    // The audit log names the loader: that is how `serve` knows the data are examples.
    let audit = store
        .list_audit(
            &AuditFilter {
                actor: Some("eksempeldata".into()),
                ..Default::default()
            },
            &all(),
        )
        .await
        .unwrap();
    // One event per organisation (21), product (13: twelve and the illustration), participant (14), group (10), member
    // (21), agreement (6) and self-evaluation (4); two per stage or level decision (the
    // decision and the product's change: 10 stage, 2 level); per board meeting (3) and
    // case (3) its creation, per decided case the decision it writes and the case's
    // decision (2 × 2); the progress report (1); and the evaluation's draft, ratings,
    // finalisation, publication and the level decision with the product's change (6);
    // the imported wishes (5) and per pledge its creation and the wish's change (2 × 2).
    assert_eq!(
        audit.total,
        21 + 13 + 14 + 10 + 21 + 6 + 4 + 12 * 2 + 3 + 3 + 2 * 2 + 1 + 6 + 5 + 2 * 2
    );
    assert!(store.integrity_check().await.unwrap().is_empty());

    // Loading twice is refused.
    let again = run(dir.path(), &["--lang", "en", "demo", "--database", &db], "");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds the example data"));
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_demo_serves_the_examples_and_refuses_a_database_with_other_data() {
    let dir = tempfile::tempdir().unwrap();
    let token = support::account_with_token(dir.path(), "demo.db", "laeser", "læser");
    let server = Server::start(dir.path(), &["--demo", "--database", "demo.db"]);
    // The API tells a logged-in caller that these are example data.
    let (status, body) = get(&server.url("/api/v1/me"), Some(&token));
    assert_eq!(status, 200, "{body}");
    let me: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(me["demo"], true);
    // And so does the public meta endpoint.
    let (status, body) = get(&server.url("/api/v1/meta"), None);
    assert_eq!(status, 200, "{body}");
    let meta: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(meta["demo"], true);
    assert_eq!(meta["name"], "Niveau");
    let (status, body) = get(&server.url("/api/v1/products?limit=100"), None);
    assert_eq!(status, 200);
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(page["total"], 13, "the public sees every example product");
    let (status, body) = get(&server.url("/api/v1/products/os2mo"), None);
    assert_eq!(status, 200);
    let os2mo: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(os2mo["product"]["stage"], "produkt");
    assert_eq!(os2mo["decisions"].as_array().unwrap().len(), 4);
    // OS2faktor's official level is the one its published evaluation recommends.
    let (status, body) = get(&server.url("/api/v1/products/os2faktor"), None);
    assert_eq!(status, 200);
    let faktor: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(faktor["product"]["official_level"], "1", "{faktor}");
    // The statistics page: 7 products in operation at the end of 2018 (the named ones of
    // the report's 17), and the shares counted today.
    let (status, body) = get(&server.url("/statistik"), None);
    assert_eq!(status, 200);
    let products_2018 = body
        .split("<section aria-labelledby=\"produkter\">")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .and_then(|s| {
            s.split("<th scope=\"row\">2018</th><td class=\"num\">")
                .nth(1)
        })
        .and_then(|s| s.split('<').next())
        .map(str::to_owned);
    assert_eq!(products_2018.as_deref(), Some("7"), "{body}");
    assert!(
        body.contains("<li><strong>4</strong> af 11 har en koordinationsgruppe</li>"),
        "{body}"
    );
    let stderr = server.stderr.lock().unwrap().clone();
    assert!(
        stderr.contains("Databasen indeholder eksempeldata (data/demo/portfolio.toml), ikke OS2's officielle portefølje."),
        "{stderr}"
    );
    // The demo secretariat account: the start prints how to log in, and it works.
    for _ in 0..100 {
        if server.stdout.lock().unwrap().contains("adgangskoden") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let stdout = server.stdout.lock().unwrap().clone();
    let line = stdout
        .lines()
        .find(|l| l.starts_with("Log ind på http://"))
        .unwrap_or_else(|| panic!("no login line in:\n{stdout}"));
    assert!(
        line.contains("/log-ind som demo-sekretariat med adgangskoden "),
        "{line}"
    );
    let password = line.rsplit(' ').next().unwrap().to_owned();
    assert_eq!(password.len(), 16, "{line}");
    let no_redirects: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let login = |password: &str| {
        no_redirects
            .post(&server.url("/log-ind"))
            .content_type("application/x-www-form-urlencoded")
            .send(format!("username=demo-sekretariat&password={password}"))
            .unwrap()
    };
    let ok = login(&password);
    assert_eq!(ok.status().as_u16(), 303);
    assert!(ok.headers().get("set-cookie").is_some());
    assert_eq!(login("forkert-adgangskode").status().as_u16(), 401);
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    // A second start with --demo keeps the data and loads nothing more.
    let server = Server::start(dir.path(), &["--demo", "--database", "demo.db"]);
    // The account gets a new password on every start; the old one no longer works.
    let stdout = server.stdout.lock().unwrap().clone();
    assert!(!stdout.contains(&password), "{stdout}");
    let (_, body) = get(&server.url("/api/v1/products?limit=100"), None);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"],
        13
    );
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    // A database with real data is refused.
    let real = dir.path().join("real.db");
    let store = Store::connect(real.to_str().unwrap(), &StoreOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    store
        .create_organisation(
            &Actor::system("test"),
            OrganisationInput {
                name: "Aarhus Kommune".into(),
                kind: OrgKind::Kommune,
                member_since: None,
                left_on: None,
                supplier_partner_since: None,
                note: None,
                version: None,
            },
        )
        .await
        .unwrap();
    let out = run(
        dir.path(),
        &[
            "serve",
            "--demo",
            "--database",
            "real.db",
            "--listen",
            "127.0.0.1:0",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("real.db indeholder allerede data, som ikke er eksempeldata; --demo indlæser kun eksempeldata i en tom database"),
        "{stderr}"
    );
    let orgs = store
        .list_organisations(&OrganisationFilter::default(), &all())
        .await
        .unwrap();
    assert_eq!(orgs.total, 1, "nothing was loaded");
}

/// The password line `niveau serve --demo` printed, waiting for it.
fn demo_password(server: &Server) -> String {
    for _ in 0..100 {
        if server.stdout.lock().unwrap().contains("adgangskoden") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let stdout = server.stdout.lock().unwrap().clone();
    let line = stdout
        .lines()
        .find(|l| l.contains("demo-sekretariat med adgangskoden "))
        .unwrap_or_else(|| panic!("no login line in:\n{stdout}"));
    line.rsplit(' ').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn lesser_serve_without_demo_keeps_demo_password() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(dir.path(), &["--demo", "--database", "demo.db"]);
    let password = demo_password(&server);
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));

    // A plain start of the same database: still example data, but the password stays.
    let server = Server::start(dir.path(), &["--database", "demo.db"]);
    let (_, body) = get(&server.url("/api/v1/meta"), None);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["demo"],
        true
    );
    let no_redirects: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let ok = no_redirects
        .post(&server.url("/log-ind"))
        .content_type("application/x-www-form-urlencoded")
        .send(format!("username=demo-sekretariat&password={password}"))
        .unwrap();
    assert_eq!(ok.status().as_u16(), 303, "the old password still works");
    let stdout = server.stdout.lock().unwrap().clone();
    assert!(!stdout.contains("adgangskoden"), "{stdout}");
    let stderr = server.stderr.lock().unwrap().clone();
    assert!(
        stderr.contains(
            "Kontoen demo-sekretariat beholder sin adgangskode; start med --demo for at få en ny."
        ),
        "{stderr}"
    );
    let store = Store::connect(
        dir.path().join("demo.db").to_str().unwrap(),
        &StoreOptions::default(),
    )
    .await
    .unwrap();
    let user = store
        .user_by_username("demo-sekretariat")
        .await
        .unwrap()
        .unwrap();
    let changes = store
        .history("user", user.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "password")
        .count();
    assert_eq!(changes, 0, "created once, never reset");
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait().0.code(), Some(0));
}

/// The annual report draft for 2018 on the demo (#16) next to the board's annual report
/// 2019 (seeds/board-annual-report-2019.txt), figure by figure where the demo holds the
/// facts; docs/demo-data.md lists the figures it cannot answer and why.
#[tokio::test]
async fn the_annual_report_2018_matches_the_board_report_where_the_demo_holds_the_facts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap().to_string();
    run_ok(dir.path(), &["demo", "--database", &db], "");
    let store = Store::connect(&db, &StoreOptions::default()).await.unwrap();
    let app = App::new(store.clone(), Arc::new(Registry::builtin().unwrap()));
    let sec = niveau_app::principal::Principal::system("test");
    let f = niveau_app::annual::figures(&app, Some(&sec), 2018)
        .await
        .unwrap();

    // Line 46-60, "Nye produkter": OS2autoproces, OS2faktor, OS2udoglær and OS2mo went
    // from project to product in 2018 (OS2datascanner is "et ældre produkt", registered
    // in the demo at the end of 2018); OS2faktor on 1 April (line 50).
    let to_product: Vec<(&str, String)> = f
        .stage_changes
        .iter()
        .filter(|c| c.to.da == "produkt")
        .map(|c| (c.product.as_str(), c.date.to_string()))
        .collect();
    for name in [
        "OS2autoproces",
        "OS2faktor",
        "OS2udoglær",
        "OS2mo",
        "OS2datascanner",
    ] {
        assert!(
            to_product.iter().any(|(p, _)| *p == name),
            "{name} is a new product of 2018: {to_product:?}"
        );
    }
    assert!(to_product.contains(&("OS2faktor", "2018-04-01".to_owned())));
    // The products in operation at the end of 2018 include every one the report names
    // as a product of 2018; the report's 17 are not all named (docs/demo-data.md).
    let names: Vec<&str> = f.in_operation.iter().map(|p| p.product.as_str()).collect();
    assert_eq!(
        names,
        [
            "OS2autoproces",
            "OS2datascanner",
            "OS2faktor",
            "OS2mo",
            "OS2opgavefordeler",
            "OS2rollekatalog",
            "OS2udoglær"
        ]
    );
    // Line 40: OS2mo is among the products with a steering group (its group is named in
    // seeds/os2mo-case-article-2018.txt:78); OS2faktor and OS2autoproces have joining
    // agreements (lines 48 and 50: the municipalities "tilsluttet").
    let gov = |name: &str| f.in_operation.iter().find(|p| p.product == name).unwrap();
    assert!(gov("OS2mo").steering_group);
    assert!(gov("OS2faktor").joining_agreement);
    assert!(gov("OS2autoproces").joining_agreement);
    assert_eq!(
        (
            f.with_coordination_group(),
            f.with_steering_group(),
            f.with_joining_agreement()
        ),
        (1, 1, 2),
        "OS2faktor's coordination group (today), OS2mo's steering group"
    );
    // Levels at the end of 2018: none assessed yet (the placements are of 2019).
    assert_eq!(f.by_level.len(), 1, "{:?}", f.by_level);
    assert_eq!(
        (f.by_level[0].label.da.as_str(), f.by_level[0].end),
        ("ikke vurderet", 7)
    );
    // No source dates a member, a board meeting of 2018, an evaluation, a wish delivered
    // or a pledge in 2018: the draft says 0, and docs/demo-data.md says why.
    assert_eq!((f.members_joined, f.members_total), (0, 0));
    assert_eq!(f.board_meetings, 0);
    assert!(f.evaluations.is_empty());
    assert_eq!((f.wishes_delivered, f.pledges), (0, 0));
    // Line 130: OS2mo and OS2kitos are "prestigeprojekter på niveau 3", placed in the
    // demo on 2019-01-01, so they are the level decisions of the 2019 draft.
    let f2019 = niveau_app::annual::figures(&app, Some(&sec), 2019)
        .await
        .unwrap();
    let level3: Vec<&str> = f2019
        .level_decisions
        .iter()
        .filter(|c| c.to.da == "Niveau 3")
        .map(|c| c.product.as_str())
        .collect();
    assert_eq!(level3, ["OS2kitos", "OS2mo"]);

    // The command writes the same figures as Markdown, and a PDF.
    let md = run_ok(
        dir.path(),
        &["report", "annual", "2018", "--database", &db],
        "",
    );
    assert!(md.starts_with("# Bestyrelsens beretning 2019\n"), "{md}");
    assert!(
        md.contains("Ved udgangen af 2018 er der 7 driftsklare produkter"),
        "{md}"
    );
    assert!(
        md.contains("| 01-04-2018 | OS2faktor | projekt | produkt |"),
        "{md}"
    );
    let pdf = dir.path().join("beretning-2018.pdf");
    run_ok(
        dir.path(),
        &[
            "report",
            "annual",
            "2018",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
            "--database",
            &db,
        ],
        "",
    );
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if std::env::var_os("NIVEAU_TEST_PDFTOTEXT").is_some() {
        let out = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("pdf");
        niveau_testkit::pdf::first_page_png(&bytes, &out, "demo-aarsrapport-2018");
        let text = niveau_testkit::pdf::text(&bytes);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            flat.contains("Ved udgangen af 2018 er der 7 driftsklare produkter"),
            "{flat}"
        );
        assert!(flat.contains("OS2udoglær"), "{flat}");
    }
}

/// `niveau report render --format pdf` writes the evaluation as a PDF whose text has the
/// product, the ratings and the Danish letters (pdftotext).
#[test]
#[ignore = "needs pdftotext (scripts/ci-pdf.sh)"]
fn report_render_writes_a_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let file = niveau_testkit::fixture_path("os2/reports/evaluation-0.9-os2faktor-2025.md");
    let pdf = dir.path().join("os2faktor.pdf");
    run_ok(
        dir.path(),
        &[
            "report",
            "render",
            file.to_str().unwrap(),
            "--format",
            "pdf",
            "-o",
            pdf.to_str().unwrap(),
        ],
        "",
    );
    let text = niveau_testkit::pdf::text_of_file(&pdf);
    assert!(
        text.contains("Evaluering af OS2-produkt: OS2faktor"),
        "{text}"
    );
    assert!(
        text.contains("Optælling") && text.contains("Grøn"),
        "{text}"
    );
}
