#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The development wish story on SQLite and PostgreSQL, through the application's
//! operations and rules: a municipality raises a wish → screening → the supplier's
//! estimate → the coordination group decides that the community pays with co-funding →
//! three pledges reach the target (two sent at once for the last amount: one wins) →
//! ordered → delivered. Every transition is in the history and the audit log, the
//! statistics change accordingly, and all of it survives backup and restore.

use std::sync::Arc;

use niveau_app::wishes::{self, overview, rules};
use niveau_app::{App, AppError, Principal};
use niveau_model::Registry;
use niveau_store::json::ScreeningEntry;
use niveau_store::organisations::OrganisationInput;
use niveau_store::types::*;
use niveau_store::wishes::{
    EstimateInput, FundingInput, PledgeInput, ScreeningInput, StepInput, WishInput,
};
use niveau_store::{Actor, Store, StoreError, StoreOptions};

fn principal(id: i32, name: &str, roles: &[Role], products: &[i32]) -> Principal {
    Principal {
        user_id: id,
        username: name.into(),
        display_name: name.into(),
        roles: roles.to_vec(),
        product_ids: products.to_vec(),
        can_write: true,
        system: false,
    }
}

async fn organisation(store: &Store, name: &str, kind: OrgKind) -> i32 {
    store
        .create_organisation(
            &Actor::system("test"),
            OrganisationInput {
                name: name.into(),
                kind,
                member_since: None,
                left_on: None,
                supplier_partner_since: None,
                note: None,
                version: None,
            },
        )
        .await
        .unwrap()
        .id
}

fn step(to: WishState, version: i32) -> StepInput {
    StepInput {
        to,
        reason: None,
        version,
    }
}

fn state_msg(err: AppError) -> String {
    match err {
        AppError::Store(StoreError::State(m)) => m.da,
        other => panic!("expected a state refusal, got {other:?}"),
    }
}

async fn story(url: &str, copy: &str) {
    let store = Store::connect(url, &StoreOptions::default()).await.unwrap();
    store.migrate().await.unwrap();
    let app = App::new(store.clone(), Arc::new(Registry::builtin().unwrap()));
    let sek = Actor::system("sekretariat");
    let product = store
        .create_product(
            &sek,
            serde_json::from_value(serde_json::json!({
                "slug": "os2mo", "name": "OS2mo", "stage": "produkt", "published": true
            }))
            .unwrap(),
        )
        .await
        .unwrap();
    let aarhus = organisation(&store, "Aarhus Kommune", OrgKind::Kommune).await;
    let kbh = organisation(&store, "Københavns Kommune", OrgKind::Kommune).await;
    let odense = organisation(&store, "Odense Kommune", OrgKind::Kommune).await;
    let magenta = organisation(&store, "Magenta ApS", OrgKind::Leverandor).await;

    // A municipal employee with a plain reader's login raises the wish.
    let reader = principal(7, "medarbejder@aarhus.dk", &[Role::Laeser], &[]);
    let wish = wishes::raise(
        &app,
        Some(&reader),
        "os2mo",
        &WishInput {
            title: "Orlov i organisationen".into(),
            need: "Vi skal kunne registrere orlov, så ledere ser, hvem der er væk.".into(),
            proposal: Some("Et nyt felt for orlov på engagementet".into()),
            value: Some("Færre fejl i lønsystemet".into()),
            organisation_id: Some(aarhus),
            raised_by: Some("Ane Andersen".into()),
            raised_by_email: Some("ane@aarhus.dk".into()),
            priority: WishPriority::Hoej,
            priority_reason: Some("Lovkrav fra 1. juli".into()),
            version: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(wish.state, WishState::Ny);
    assert_eq!(wish.raised_by_user_id, Some(7));

    // The reader may not handle it; the product group may.
    let refused = wishes::step(&app, Some(&reader), wish.id, &step(WishState::Screening, 1)).await;
    assert!(matches!(refused, Err(AppError::Forbidden)), "{refused:?}");
    let group = principal(8, "koordinator", &[Role::Produktredaktor], &[product.id]);
    let g = Some(&group);
    let w = wishes::step(&app, g, wish.id, &step(WishState::Screening, 1))
        .await
        .unwrap();

    // Asking for a solution before the screening is refused, naming the screening.
    let early = wishes::step(
        &app,
        g,
        wish.id,
        &step(WishState::AfventerLoesningsbeskrivelse, w.version),
    )
    .await
    .unwrap_err();
    assert!(state_msg(early).contains("screenes"));

    let criteria = rules::criteria(&store.wish_settings(product.id).await.unwrap());
    assert_eq!(criteria.len(), 4);
    let entries: Vec<ScreeningEntry> = criteria
        .iter()
        .enumerate()
        .map(|(i, c)| ScreeningEntry {
            criterion: c.clone(),
            rating: if i == 3 {
                ScreeningRating::Gul
            } else {
                ScreeningRating::Groen
            },
            note: (i == 3).then(|| "Kræver samfinansiering".into()),
        })
        .collect();
    // An incomplete screening is refused and names the criterion left out.
    let partial = wishes::screen(
        &app,
        g,
        wish.id,
        &ScreeningInput {
            entries: entries[..3].to_vec(),
            version: w.version,
        },
    )
    .await
    .unwrap_err();
    assert!(partial.to_string().contains("Kan finansieres"), "{partial}");
    let w = wishes::screen(
        &app,
        g,
        wish.id,
        &ScreeningInput {
            entries,
            version: w.version,
        },
    )
    .await
    .unwrap();
    assert_eq!(w.screened_by.as_deref(), Some("koordinator"));
    let w = wishes::step(
        &app,
        g,
        wish.id,
        &step(WishState::AfventerLoesningsbeskrivelse, w.version),
    )
    .await
    .unwrap();
    let w = wishes::estimate(
        &app,
        g,
        wish.id,
        &EstimateInput {
            supplier_id: magenta,
            solution: "Orlov som ny engagementstype med start- og slutdato".into(),
            solution_url: Some("https://os2mo.readthedocs.io/orlov".into()),
            estimate_hours: Some(240),
            estimate_ore: Some(30_000_000),
            version: w.version,
        },
    )
    .await
    .unwrap();
    let w = wishes::step(
        &app,
        g,
        wish.id,
        &step(WishState::KlarTilPrioritering, w.version),
    )
    .await
    .unwrap();
    // Not decided yet: ordering names the missing decision.
    let undecided = wishes::step(&app, g, wish.id, &step(WishState::Bestilt, w.version))
        .await
        .unwrap_err();
    assert!(state_msg(undecided).contains("hvem der betaler"));
    let w = wishes::fund(
        &app,
        g,
        wish.id,
        &FundingInput {
            payer: WishPayer::Faellesskabet,
            target_ore: Some(30_000_000),
            rank: Some(1),
            group_id: None,
            reason: Some("Gavner alle kommuner; samfinansieres".into()),
            version: w.version,
        },
    )
    .await
    .unwrap();
    let unfunded = wishes::step(&app, g, wish.id, &step(WishState::Bestilt, w.version))
        .await
        .unwrap_err();
    assert_eq!(
        state_msg(unfunded),
        "samfinansieringen mangler 300.000 kr.; ønsket kan først bestilles, når målet er nået"
    );
    // The secretariat's overview lists it as unfunded.
    let sekr = principal(1, "sekretariat", &[Role::Sekretariat], &[]);
    let before = overview::overview(&app, Some(&sekr)).await.unwrap();
    assert_eq!(before.unfunded.len(), 1);
    assert_eq!(before.unfunded[0].target_ore, 30_000_000);
    let stats_before = overview::statistics(&app, None).await.unwrap();
    assert_eq!(
        stats_before
            .years
            .iter()
            .map(|y| y.delivered)
            .sum::<usize>(),
        0
    );
    assert_eq!(stats_before.community_paid, 1);

    // Pledges: a negative one names the field; two pledges of 100.000 kr. go in.
    let pledge = |org: i32, kr: i64, version: i32| PledgeInput {
        organisation_id: org,
        amount_ore: kr * 100,
        note: None,
        version,
    };
    let negative = wishes::pledge(&app, g, wish.id, &pledge(aarhus, -5, w.version))
        .await
        .unwrap_err();
    assert!(
        negative.to_string().starts_with("amount_ore:"),
        "{negative}"
    );
    let (w, _) = wishes::pledge(&app, g, wish.id, &pledge(aarhus, 100_000, w.version))
        .await
        .unwrap();
    let (w, _) = wishes::pledge(&app, g, wish.id, &pledge(kbh, 100_000, w.version))
        .await
        .unwrap();
    // More than what is left is refused, naming what is left.
    let too_much = wishes::pledge(&app, g, wish.id, &pledge(odense, 150_000, w.version))
        .await
        .unwrap_err();
    assert_eq!(
        too_much.to_string(),
        "amount_ore: tilsagnet er større end det, der mangler (100.000 kr.)"
    );
    // Two pledges for the last 100.000 kr. sent at once on the same version: one wins.
    // (Odense's two representatives pledge at the same moment.)
    let (first, second) = (
        pledge(odense, 100_000, w.version),
        pledge(odense, 100_000, w.version),
    );
    let (a, b) = tokio::join!(
        wishes::pledge(&app, g, wish.id, &first),
        wishes::pledge(&app, g, wish.id, &second),
    );
    assert_eq!(
        [a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(),
        1,
        "{a:?} {b:?}"
    );
    let lost = match (a, b) {
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => e,
        other => panic!("exactly one pledge wins: {other:?}"),
    };
    assert!(
        matches!(lost, AppError::Store(StoreError::Conflict { .. })),
        "{lost:?}"
    );
    let page = wishes::page(&app, g, wish.id).await.unwrap();
    assert_eq!(page.wish.pledged_ore, 30_000_000);
    assert_eq!(page.wish.remaining_ore, Some(0));
    assert!(page.wish.funded);
    assert_eq!(page.pledges.len(), 3);
    // The target is reached: a fourth pledge is refused.
    let full = wishes::pledge(&app, g, wish.id, &pledge(aarhus, 1, page.wish.wish.version))
        .await
        .unwrap_err();
    assert!(
        full.to_string()
            .contains("målet for samfinansieringen er nået"),
        "{full}"
    );

    // Ordered, built, tested, delivered.
    let mut v = page.wish.wish.version;
    for to in [
        WishState::Bestilt,
        WishState::IGang,
        WishState::ITest,
        WishState::Leveret,
    ] {
        v = wishes::step(&app, g, wish.id, &step(to, v))
            .await
            .unwrap()
            .version;
    }
    let page = wishes::page(&app, g, wish.id).await.unwrap();
    assert_eq!(page.wish.wish.state, WishState::Leveret);
    assert!(page.wish.wish.delivered_at.is_some());
    let states: Vec<WishState> = page.transitions.iter().map(|t| t.to_state).collect();
    assert_eq!(
        states,
        vec![
            WishState::Ny,
            WishState::Screening,
            WishState::AfventerLoesningsbeskrivelse,
            WishState::KlarTilPrioritering,
            WishState::Bestilt,
            WishState::IGang,
            WishState::ITest,
            WishState::Leveret,
        ]
    );
    assert_eq!(page.transitions[1].actor, "koordinator");
    assert_eq!(page.transitions[0].from_state, None);
    assert_eq!(
        page.transitions[4].from_state,
        Some(WishState::KlarTilPrioritering)
    );
    assert!(page.steps.is_empty(), "a delivered wish goes nowhere");
    // The public sees the summary only.
    let public = wishes::page(&app, None, wish.id).await.unwrap();
    assert!(public.wish.wish.need.is_empty());
    assert_eq!(public.wish.wish.raised_by_email, None);
    assert_eq!(public.wish.wish.raised_by, "");
    assert!(public.comments.is_empty());
    // A reader sees the need but not the e-mail address; the group sees both.
    let read = wishes::page(&app, Some(&reader), wish.id).await.unwrap();
    assert!(read.wish.wish.need.starts_with("Vi skal"));
    assert_eq!(read.wish.wish.raised_by_email, None);
    assert_eq!(
        page.wish.wish.raised_by_email.as_deref(),
        Some("ane@aarhus.dk")
    );

    // The audit log has every change: created, 7 transitions, screening, estimate,
    // funding, and 3 pledges on the wish.
    let history = store.history("wish", wish.id).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions.iter().filter(|a| **a == "transition").count(), 7);
    assert_eq!(actions.iter().filter(|a| **a == "pledge").count(), 3);
    for action in ["create", "screen", "estimate", "fund"] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }

    // The statistics changed accordingly.
    let stats = overview::statistics(&app, None).await.unwrap();
    let year = stats.years.last().unwrap();
    assert_eq!((year.raised, year.delivered, year.rejected), (1, 1, 0));
    assert_eq!(stats.median_delivery_days, Some(0));
    assert_eq!(stats.pledged_ore, 30_000_000);
    assert_eq!(stats.pledges, 3);
    assert_eq!(stats.pledging_organisations, 3);
    assert_eq!(stats.cofunded_reached, 1);
    assert_eq!(stats.products[0].delivered, 1);
    let after = overview::overview(&app, Some(&sekr)).await.unwrap();
    assert!(after.unfunded.is_empty());
    assert_eq!(after.products[0].delivered, 1);
    assert_eq!(after.products[0].open, 0);

    // The evaluation's portfolio evidence sees the co-funding (G13 in os2-1.1.0).
    let data = niveau_app::evidence::load(&store, product.id)
        .await
        .unwrap();
    let model = app.registry().get("os2-1.1.0").unwrap();
    let found = niveau_app::evidence::findings(&data, model, chrono::Utc::now().date_naive());
    assert!(
        found
            .iter()
            .any(|f| f.detector == "portfolio.co-funding" && f.requirement == "G13"),
        "{found:?}"
    );

    // Backup and restore keep all of it.
    let backup = store.backup().await.unwrap();
    let other = Store::connect(copy, &StoreOptions::default())
        .await
        .unwrap();
    other.migrate().await.unwrap();
    other.restore(&backup, false).await.unwrap();
    let restored = other.wish(wish.id).await.unwrap();
    assert_eq!(restored.wish, store.wish(wish.id).await.unwrap().wish);
    assert_eq!(restored.transitions.len(), 8);
    assert_eq!(restored.pledged_ore(), 30_000_000);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wish_story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    story(
        dir.path().join("a.db").to_str().unwrap(),
        dir.path().join("b.db").to_str().unwrap(),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: source scripts/ci-postgres.sh"]
async fn wish_story_on_postgres() {
    let a = niveau_testkit::postgres::TestDatabase::create();
    let b = niveau_testkit::postgres::TestDatabase::create();
    story(&a.url, &b.url).await;
}
