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
    Ok(by_report_date(
        app.store().create_round(&who.actor(), input).await?,
    ))
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
}

/// Close round `id` (at version `expected`) today (the secretariat); a closed round is
/// not closed again.
pub async fn close(app: &App, who: Caller<'_>, id: i32, expected: i32) -> AppResult<RoundView> {
    let who = require(who, Action::EditPortfolio)?;
    let today = app.store().now().date_naive();
    Ok(app
        .store()
        .close_round(&who.actor(), id, expected, today)
        .await?)
}
