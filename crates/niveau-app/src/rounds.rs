//! Evaluation rounds (årshjulet): opening a round with its deadlines and the products in
//! scope, changing it, the list, and how far each product has come.
//!
//! Who may: the secretariat opens and changes rounds ([`Action::EditPortfolio`]);
//! logged-in readers read them.

use chrono::NaiveDate;
use niveau_model::Msg;
use niveau_store::entity::evaluation_round;
use niveau_store::{ListParams, Page};

pub use niveau_store::rounds::{RoundInput, RoundProductStatus, RoundView};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, require};
use crate::principal::Caller;
use crate::products::ProductRef;

/// Whether a product's self-evaluation counts as updated in a round: by the report's own
/// date ("Dato for udfyldelse") of the newest version stored since the round opened, on
/// or after the opening; only a report without a date counts by when it was stored.
pub fn updated_in_round(opens_on: NaiveDate, status: &RoundProductStatus) -> bool {
    match (
        status.self_evaluation_imported_at,
        status.self_evaluation_date,
    ) {
        (None, _) => false,
        (Some(_), Some(date)) => date >= opens_on,
        (Some(imported), None) => imported.date_naive() >= opens_on,
    }
}

/// The round with each product's "updated in the round" decided by [`updated_in_round`].
fn by_report_date(mut view: RoundView) -> RoundView {
    let opens_on = view.round.opens_on;
    for p in &mut view.products {
        p.self_evaluation_submitted = updated_in_round(opens_on, p);
    }
    view
}

/// The rounds, newest first, one page (logged-in readers).
pub async fn list(
    app: &App,
    who: Caller<'_>,
    params: &ListParams,
) -> AppResult<Page<evaluation_round::Model>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().list_rounds(params).await?)
}

/// Open a round (the secretariat): a unique name, the deadline for self-evaluations on
/// or after the opening, the deadline for evaluations on or after that, and products
/// that exist.
pub async fn create(app: &App, who: Caller<'_>, input: RoundInput) -> AppResult<RoundView> {
    let who = require(who, Action::EditPortfolio)?;
    let view = by_report_date(app.store().create_round(&who.actor(), input).await?);
    crate::notifications::round_opened(app, &view).await;
    Ok(view)
}

/// Round `id` with how far each product in scope has come (logged-in readers).
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<RoundView> {
    require(who, Action::ReadPortfolio)?;
    Ok(by_report_date(app.store().round(id).await?))
}

/// Change round `id`, still at version `expected`; the products sent replace those in
/// scope.
pub async fn update(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: RoundInput,
) -> AppResult<RoundView> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(by_report_date(
        app.store()
            .update_round(&who.actor(), id, expected, input)
            .await?,
    ))
}

/// Whether a product with `official_level` belongs in a new round by default: an
/// official level of 1 or higher ("1", "2", "3"); not sandkasse ("0"/"sandkasse") and
/// not a product without a level.
pub fn in_default_scope(official_level: Option<&str>) -> bool {
    official_level
        .and_then(|l| l.trim().parse::<u8>().ok())
        .is_some_and(|n| n >= 1)
}

/// The products a new round covers by default: every product, not archived, whose
/// official level is 1 or higher ([`in_default_scope`]), by id.
pub fn default_scope(products: &[niveau_store::entity::product::Model]) -> Vec<i32> {
    products
        .iter()
        .filter(|p| !p.archived && in_default_scope(p.official_level.as_deref()))
        .map(|p| p.id)
        .collect()
}

/// The dates and name a new round is offered with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSuggestion {
    /// "Forår 2027" / "Efterår 2026".
    pub name: String,
    /// Opening date.
    pub opens_on: NaiveDate,
    /// Deadline for self-evaluations.
    pub self_evaluation_deadline: NaiveDate,
    /// Deadline for evaluations.
    pub evaluation_deadline: NaiveDate,
}

/// The next half-year round after `today` whose name is not `taken`. OS2 evaluates twice
/// a year; the suggestion is our choice of a regular calendar, which the secretariat
/// changes in the form as it likes: the spring round ("Forår ÅÅÅÅ") opens 1 March with
/// self-evaluations due 1 April and evaluations due 15 May; the autumn round ("Efterår
/// ÅÅÅÅ") opens 1 September with self-evaluations due 1 October and evaluations due 15
/// November (the dates of the rounds the tests and the demo use). "Next" is the first
/// of those openings after today; a name already used moves on to the following half-year.
pub fn suggest_next(today: NaiveDate, taken: &[String]) -> RoundSuggestion {
    use chrono::Datelike;
    let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).unwrap_or(today);
    let round = |year: i32, spring: bool| {
        if spring {
            RoundSuggestion {
                name: format!("Forår {year}"),
                opens_on: date(year, 3, 1),
                self_evaluation_deadline: date(year, 4, 1),
                evaluation_deadline: date(year, 5, 15),
            }
        } else {
            RoundSuggestion {
                name: format!("Efterår {year}"),
                opens_on: date(year, 9, 1),
                self_evaluation_deadline: date(year, 10, 1),
                evaluation_deadline: date(year, 11, 15),
            }
        }
    };
    let (mut year, mut spring) = (today.year(), true);
    let mut candidate = round(year, spring);
    // At most a few half-years are taken; the bound keeps a pathological list finite.
    for _ in 0..200 {
        if candidate.opens_on > today && !taken.iter().any(|t| t == &candidate.name) {
            break;
        }
        if spring {
            spring = false;
        } else {
            spring = true;
            year += 1;
        }
        candidate = round(year, spring);
    }
    candidate
}

/// Where a round stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundState {
    /// Not opened yet.
    Planned,
    /// Opened, and its deadline for evaluations has not passed.
    Open,
    /// Its deadline for evaluations has passed, or it was closed ([`close`]).
    Closed,
}

/// Where `round` stands on `today`: closed once it was closed ([`close`]) or the day of
/// its deadline for evaluations is over.
pub fn state(round: &evaluation_round::Model, today: NaiveDate) -> RoundState {
    if round.closed_on.is_some() || today > round.evaluation_deadline {
        RoundState::Closed
    } else if today < round.opens_on {
        RoundState::Planned
    } else {
        RoundState::Open
    }
}

/// Close round `id`, still at version `expected` (the secretariat), today (the store's
/// clock): it is [`RoundState::Closed`] from now on; its dates, products and note stay,
/// and the day it was closed is kept (`closed_on`). Refused for a round that was closed
/// already, and for one that has not opened yet (change its dates instead).
pub async fn close(app: &App, who: Caller<'_>, id: i32, expected: i32) -> AppResult<RoundView> {
    let who = require(who, Action::EditPortfolio)?;
    let view = app.store().round(id).await?;
    let today = app.store().now().date_naive();
    let round = view.round;
    // A round past its deadline may still be closed (to record the day); one that was
    // closed is not closed again.
    if round.version == expected && round.closed_on.is_some() {
        return Err(AppError::invalid(
            "version",
            Msg::new(
                "runden er allerede afsluttet",
                "the round is closed already",
            ),
        ));
    }
    if round.version == expected && round.opens_on > today {
        return Err(AppError::invalid(
            "opens_on",
            Msg::new(
                "runden er ikke åbnet endnu og kan ikke afsluttes; ret dens datoer i stedet",
                "the round has not opened yet and cannot be closed; change its dates instead",
            ),
        ));
    }
    Ok(app
        .store()
        .close_round(&who.actor(), id, expected, today)
        .await?)
}

/// A round as its page shows it.
#[derive(Debug)]
pub struct RoundProgress {
    /// The round.
    pub round: evaluation_round::Model,
    /// The products in scope that the caller may see, with their progress, by name.
    pub products: Vec<(RoundProductStatus, ProductRef)>,
}

/// Round `id` with the progress of the products in scope that the caller may see
/// (logged-in readers).
pub async fn progress(app: &App, who: Caller<'_>, id: i32) -> AppResult<RoundProgress> {
    let view = get(app, who, id).await.map_err(|e| match e {
        AppError::Store(niveau_store::StoreError::NotFound { .. }) => {
            AppError::not_found(Msg::new(format!("runde {id}"), format!("round {id}")))
        }
        other => other,
    })?;
    let names = crate::products::visible_refs(app, who).await?;
    let mut products: Vec<(RoundProductStatus, ProductRef)> = view
        .products
        .into_iter()
        .filter_map(|p| {
            let product = names.get(&p.product_id)?.clone();
            Some((p, product))
        })
        .collect();
    products.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    Ok(RoundProgress {
        round: view.round,
        products,
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use niveau_store::types::Role;

    use super::*;
    use crate::error::ErrorKind;
    use crate::products::testing::{app, product, secretariat, who};

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    fn input(name: &str, product_ids: Vec<i32>) -> RoundInput {
        RoundInput {
            name: name.into(),
            opens_on: day("2026-09-01"),
            self_evaluation_deadline: day("2026-10-01"),
            evaluation_deadline: day("2026-11-15"),
            note: None,
            product_ids,
            version: None,
        }
    }

    #[tokio::test]
    async fn the_secretariat_opens_a_round_with_ordered_deadlines_and_existing_products() {
        let app = app().await;
        let a = product(&app, "a", true).await;
        let b = product(&app, "b", false).await;
        let reader = who(&[Role::Laeser], &[]);
        assert!(matches!(
            create(&app, Some(&reader), input("Efterår 2026", vec![a.id])).await,
            Err(AppError::Forbidden)
        ));
        let mut backwards = input("Efterår 2026", vec![a.id]);
        backwards.evaluation_deadline = day("2026-09-15");
        let refused = create(&app, Some(&secretariat()), backwards)
            .await
            .expect_err("evaluations due before self-evaluations");
        assert_eq!(refused.kind(), ErrorKind::Invalid);
        assert_eq!(refused.field(), Some("evaluation_deadline"));
        let unknown = create(&app, Some(&secretariat()), input("Efterår 2026", vec![999]))
            .await
            .expect_err("no such product");
        assert_eq!(unknown.field(), Some("product_ids[0]"));

        let round = create(
            &app,
            Some(&secretariat()),
            input("Efterår 2026", vec![b.id, a.id, a.id]),
        )
        .await
        .expect("opened");
        assert_eq!(round.round.name, "Efterår 2026");
        let mut ids: Vec<i32> = round.products.iter().map(|p| p.product_id).collect();
        ids.sort();
        assert_eq!(ids, [a.id, b.id], "a product is in scope once");
        assert!(round.products.iter().all(|p| !p.self_evaluation_submitted));

        let again = create(&app, Some(&secretariat()), input("Efterår 2026", vec![]))
            .await
            .expect_err("the name is taken");
        assert_eq!(again.code(), "duplicate");

        let shown = progress(&app, Some(&reader), round.round.id)
            .await
            .expect("a reader follows it");
        let names: Vec<&str> = shown
            .products
            .iter()
            .map(|(_, p)| p.name.as_str())
            .collect();
        assert_eq!(names, ["A", "B"]);
        let missing = progress(&app, Some(&reader), 999).await.expect_err("none");
        assert_eq!(missing.message().en, "round 999 does not exist");
        assert!(matches!(
            progress(&app, None, round.round.id).await,
            Err(AppError::Unauthenticated)
        ));

        let changed = update(
            &app,
            Some(&secretariat()),
            round.round.id,
            round.round.version,
            input("Efterår 2026", vec![a.id]),
        )
        .await
        .expect("changed");
        assert_eq!(changed.products.len(), 1);
    }

    #[tokio::test]
    async fn a_self_evaluation_counts_in_a_round_by_its_own_date() {
        let app = app().await;
        let a = product(&app, "a", true).await;
        let today = app.store().now().date_naive();
        let mut round_input = input("Runde", vec![a.id]);
        round_input.opens_on = today - chrono::Days::new(10);
        round_input.self_evaluation_deadline = today + chrono::Days::new(10);
        round_input.evaluation_deadline = today + chrono::Days::new(20);
        let round = create(&app, Some(&secretariat()), round_input)
            .await
            .expect("opened");
        assert!(!round.products[0].self_evaluation_submitted);
        let reg = niveau_model::Registry::builtin().expect("models");
        let model = reg.get("os2-1.1.0").expect("1.1.0");
        let save = |date: Option<NaiveDate>| {
            let mut report = niveau_report::draft::blank(
                niveau_report::document::DocumentKind::SelfEvaluation,
                model,
                "A",
            );
            if let Some(se) = report.self_evaluation.as_mut() {
                se.date = date;
            }
            let app = &app;
            let a = &a;
            async move {
                crate::self_evaluations::submit_report(
                    app,
                    Some(&secretariat()),
                    a,
                    &report,
                    &Default::default(),
                    None,
                )
                .await
                .expect("saved")
            }
        };
        // Imported today, but filled in two years ago: not updated in this round.
        save(Some(day("2024-11-01"))).await;
        let shown = get(&app, Some(&secretariat()), round.round.id)
            .await
            .expect("round");
        let p = &shown.products[0];
        assert!(!p.self_evaluation_submitted);
        assert_eq!(p.self_evaluation_date, Some(day("2024-11-01")));
        assert_eq!(
            p.self_evaluation_imported_at.map(|t| t.date_naive()),
            Some(today)
        );
        // Filled in since the round opened: updated.
        save(Some(today - chrono::Days::new(2))).await;
        let shown = get(&app, Some(&secretariat()), round.round.id)
            .await
            .expect("round");
        assert!(shown.products[0].self_evaluation_submitted);
        // No date in the report: counted by when it was imported.
        save(None).await;
        let shown = progress(&app, Some(&secretariat()), round.round.id)
            .await
            .expect("round");
        assert!(shown.products[0].0.self_evaluation_submitted);
        assert_eq!(shown.products[0].0.self_evaluation_date, None);
    }

    #[test]
    fn a_new_round_covers_every_product_at_level_1_or_higher() {
        assert!(in_default_scope(Some("1")));
        assert!(in_default_scope(Some("3")));
        assert!(!in_default_scope(Some("0")));
        assert!(!in_default_scope(Some("sandkasse")));
        assert!(!in_default_scope(None));
    }

    #[tokio::test]
    async fn the_default_scope_is_the_products_with_an_official_level_of_1_or_more() {
        let app = app().await;
        let mut products = Vec::new();
        for (slug, level, archived) in [
            ("a", Some("1"), false),
            ("b", Some("sandkasse"), false),
            ("c", None, false),
            ("d", Some("2"), false),
            ("e", Some("3"), true),
        ] {
            let mut p = product(&app, slug, true).await;
            p.official_level = level.map(str::to_owned);
            p.archived = archived;
            products.push(p);
        }
        let ids = default_scope(&products);
        assert_eq!(ids, [products[0].id, products[3].id]);
    }

    #[test]
    fn the_next_half_year_round_is_suggested() {
        let taken: Vec<String> = vec![];
        let next = suggest_next(day("2026-12-05"), &taken);
        assert_eq!(
            next,
            RoundSuggestion {
                name: "Forår 2027".into(),
                opens_on: day("2027-03-01"),
                self_evaluation_deadline: day("2027-04-01"),
                evaluation_deadline: day("2027-05-15"),
            }
        );
        assert_eq!(suggest_next(day("2026-01-10"), &taken).name, "Forår 2026");
        let autumn = suggest_next(day("2026-03-01"), &taken);
        assert_eq!(autumn.name, "Efterår 2026");
        assert_eq!(autumn.opens_on, day("2026-09-01"));
        assert_eq!(autumn.evaluation_deadline, day("2026-11-15"));
        // A half-year whose name is used moves on to the following one.
        let taken = vec!["Efterår 2026".to_string()];
        assert_eq!(suggest_next(day("2026-06-01"), &taken).name, "Forår 2027");
    }

    #[tokio::test]
    async fn closing_a_round_keeps_the_day_it_was_closed() {
        let app = app().await;
        let a = product(&app, "a", true).await;
        let today = app.store().now().date_naive();
        let mut open = input("Åben", vec![a.id]);
        open.opens_on = today - chrono::Days::new(30);
        open.self_evaluation_deadline = today + chrono::Days::new(10);
        open.evaluation_deadline = today + chrono::Days::new(40);
        let round = create(&app, Some(&secretariat()), open)
            .await
            .expect("opened");
        assert_eq!(state(&round.round, today), RoundState::Open);
        let reader = who(&[Role::Laeser], &[]);
        assert!(matches!(
            close(&app, Some(&reader), round.round.id, 1).await,
            Err(AppError::Forbidden)
        ));
        let stale = close(&app, Some(&secretariat()), round.round.id, 7)
            .await
            .expect_err("stale");
        assert_eq!(stale.code(), "conflict");
        let closed = close(&app, Some(&secretariat()), round.round.id, 1)
            .await
            .expect("closed");
        assert_eq!(closed.round.closed_on, Some(today));
        assert_eq!(
            closed.round.evaluation_deadline,
            today + chrono::Days::new(40),
            "the dates stay"
        );
        assert_eq!(closed.products.len(), 1, "the products stay");
        assert_eq!(state(&closed.round, today), RoundState::Closed);
        let again = close(&app, Some(&secretariat()), round.round.id, 2)
            .await
            .expect_err("closed already");
        assert_eq!(again.message().en, "the round is closed already");

        let mut planned = input("Planlagt", vec![]);
        planned.opens_on = today + chrono::Days::new(3);
        planned.self_evaluation_deadline = today + chrono::Days::new(10);
        planned.evaluation_deadline = today + chrono::Days::new(20);
        let planned = create(&app, Some(&secretariat()), planned)
            .await
            .expect("planned");
        assert_eq!(state(&planned.round, today), RoundState::Planned);
        let early = close(&app, Some(&secretariat()), planned.round.id, 1)
            .await
            .expect_err("not opened");
        assert_eq!(early.field(), Some("opens_on"));
    }
}
