//! Agreements (joining agreements and the others) with their parties.
//!
//! Who may: the secretariat changes them ([`Action::EditPortfolio`]); logged-in readers
//! read them.

use niveau_store::entity::agreement;
use niveau_store::{ListParams, Page};

pub use niveau_store::agreements::{
    AgreementFilter, AgreementInput, AgreementWithParties, PartyInput,
};

use crate::App;
use crate::error::AppResult;
use crate::permissions::{Action, require};
use crate::principal::Caller;

/// The agreements with their parties, one page (logged-in readers).
pub async fn list(
    app: &App,
    who: Caller<'_>,
    filter: &AgreementFilter,
    params: &ListParams,
) -> AppResult<Page<AgreementWithParties>> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().list_agreements(filter, params).await?)
}

/// Register an agreement with its parties (the secretariat).
pub async fn create(
    app: &App,
    who: Caller<'_>,
    input: AgreementInput,
) -> AppResult<AgreementWithParties> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app.store().create_agreement(&who.actor(), input).await?)
}

/// Agreement `id` with its parties (logged-in readers).
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<AgreementWithParties> {
    require(who, Action::ReadPortfolio)?;
    Ok(app.store().agreement(id).await?)
}

/// Change agreement `id`, still at version `expected`; the parties sent replace the
/// stored ones.
pub async fn update(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: AgreementInput,
) -> AppResult<AgreementWithParties> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .update_agreement(&who.actor(), id, expected, input)
        .await?)
}

/// Archive agreement `id` ("delete"), still at version `expected`.
pub async fn archive(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
) -> AppResult<agreement::Model> {
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .archive_agreement(&who.actor(), id, expected)
        .await?)
}

/// How far ahead [`ending_soon`] looks: three months.
pub const ENDING_WITHIN_MONTHS: u32 = 3;

/// The agreements of `agreements` that are not archived and end on or after `today` and
/// at most [`ENDING_WITHIN_MONTHS`] months after it (calendar months: from 2026-11-30 to
/// 2027-02-28), soonest first.
pub fn ending_within(
    today: chrono::NaiveDate,
    agreements: Vec<AgreementWithParties>,
) -> Vec<AgreementWithParties> {
    let until = today
        .checked_add_months(chrono::Months::new(ENDING_WITHIN_MONTHS))
        .unwrap_or(chrono::NaiveDate::MAX);
    let mut ending: Vec<AgreementWithParties> = agreements
        .into_iter()
        .filter(|a| !a.agreement.archived)
        .filter(|a| {
            a.agreement
                .ends_on
                .is_some_and(|end| end >= today && end <= until)
        })
        .collect();
    ending.sort_by(|a, b| {
        (a.agreement.ends_on, &a.agreement.title).cmp(&(b.agreement.ends_on, &b.agreement.title))
    });
    ending
}

/// The agreements ending within three months of today (the store's clock), soonest
/// first (logged-in readers): the list the secretariat renews from.
pub async fn ending_soon(app: &App, who: Caller<'_>) -> AppResult<Vec<AgreementWithParties>> {
    require(who, Action::ReadPortfolio)?;
    let today = app.store().now().date_naive();
    let all = app
        .store()
        .list_agreements(&AgreementFilter::default(), &ListParams::all())
        .await?
        .items;
    Ok(ending_within(today, all))
}

#[cfg(test)]
mod tests {
    use niveau_store::types::{AgreementKind, Role};

    use super::*;
    use crate::AppError;
    use crate::error::ErrorKind;
    use crate::products::testing::{app, product, secretariat, who};

    #[tokio::test]
    async fn an_agreement_names_existing_parties_and_its_parties_are_replaced_on_change() {
        let app = app().await;
        let p = product(&app, "os2mo", true).await;
        let org = crate::organisations::create(
            &app,
            Some(&secretariat()),
            crate::organisations::testing::organisation_input("Aarhus Kommune"),
        )
        .await
        .expect("organisation");
        let input = |parties: Vec<PartyInput>| AgreementInput {
            product_id: Some(p.id),
            kind: AgreementKind::Tilslutningsaftale,
            title: "Tilslutning".into(),
            starts_on: None,
            ends_on: None,
            economy: None,
            document_url: None,
            parties,
            version: None,
        };
        let party = |organisation_id| PartyInput {
            organisation_id,
            role: "part".into(),
        };
        let editor = who(&[Role::Produktredaktor], &[p.id]);
        assert!(matches!(
            create(&app, Some(&editor), input(vec![party(org.id)])).await,
            Err(AppError::Forbidden)
        ));
        let unknown = create(&app, Some(&secretariat()), input(vec![party(999)]))
            .await
            .expect_err("no such organisation");
        assert_eq!(unknown.kind(), ErrorKind::Invalid);
        let created = create(&app, Some(&secretariat()), input(vec![party(org.id)]))
            .await
            .expect("created");
        assert_eq!(created.parties.len(), 1);
        let changed = update(
            &app,
            Some(&secretariat()),
            created.agreement.id,
            1,
            input(vec![]),
        )
        .await
        .expect("changed");
        assert!(changed.parties.is_empty());
        assert_eq!(changed.agreement.version, 2);
        let read = get(&app, Some(&editor), created.agreement.id)
            .await
            .expect("an editor reads");
        assert_eq!(read.agreement.title, "Tilslutning");
        let archived = archive(&app, Some(&secretariat()), created.agreement.id, 2)
            .await
            .expect("archived");
        assert!(archived.archived);
    }

    fn agreement(title: &str, ends_on: Option<&str>, archived: bool) -> AgreementWithParties {
        let at = chrono::DateTime::<chrono::Utc>::default();
        AgreementWithParties {
            agreement: agreement::Model {
                id: 1,
                product_id: None,
                kind: AgreementKind::Driftsaftale,
                title: title.into(),
                starts_on: None,
                ends_on: ends_on.map(|d| d.parse().expect("a date")),
                economy: None,
                document_url: None,
                archived,
                version: 1,
                created_at: at,
                updated_at: at,
            },
            parties: vec![],
        }
    }

    #[test]
    fn agreements_ending_within_three_calendar_months_soonest_first() {
        let today: chrono::NaiveDate = "2026-11-30".parse().expect("a date");
        let all = vec![
            agreement("Ingen slutdato", None, false),
            agreement("Udløbet i går", Some("2026-11-29"), false),
            agreement("Sidste dag", Some("2027-02-28"), false),
            agreement("Dagen efter", Some("2027-03-01"), false),
            agreement("I dag", Some("2026-11-30"), false),
            agreement("Arkiveret", Some("2026-12-15"), true),
            agreement("Til jul", Some("2026-12-24"), false),
        ];
        let titles: Vec<String> = ending_within(today, all)
            .into_iter()
            .map(|a| a.agreement.title)
            .collect();
        assert_eq!(titles, ["I dag", "Til jul", "Sidste dag"]);
    }

    #[tokio::test]
    async fn the_list_of_agreements_ending_soon_follows_the_stores_clock() {
        let app = app().await;
        let today = app.store().now().date_naive();
        let input = |title: &str, days: u64| AgreementInput {
            product_id: None,
            kind: AgreementKind::Samarbejdsaftale,
            title: title.into(),
            starts_on: None,
            ends_on: Some(today + chrono::Days::new(days)),
            economy: None,
            document_url: None,
            parties: vec![],
            version: None,
        };
        for (title, days) in [("Om et år", 365), ("Om en måned", 30), ("Om en uge", 7)] {
            create(&app, Some(&secretariat()), input(title, days))
                .await
                .expect("created");
        }
        let reader = who(&[Role::Laeser], &[]);
        let soon: Vec<String> = ending_soon(&app, Some(&reader))
            .await
            .expect("a reader reads it")
            .into_iter()
            .map(|a| a.agreement.title)
            .collect();
        assert_eq!(soon, ["Om en uge", "Om en måned"]);
        assert!(matches!(
            ending_soon(&app, None).await,
            Err(AppError::Unauthenticated)
        ));
    }
}
