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
}
