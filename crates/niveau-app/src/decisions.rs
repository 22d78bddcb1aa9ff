//! The decision log. Append-only: a decision is recorded once and never changed or
//! removed; a wrong decision is corrected by a new one. A `stadie` decision moves its
//! product to the new stage, a `niveau` decision sets its official level in a model.
//!
//! The log is public, except decisions about products the public may not see
//! (unpublished or archived ones): for the public those do not exist.

use niveau_model::{Msg, Registry};
use niveau_store::decisions::{DecisionFilter, DecisionInput};
use niveau_store::entity::decision;
use niveau_store::types::DecisionKind;
use niveau_store::{ListParams, Page, StoreError};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed, require};
use crate::principal::Caller;

/// Record a decision (the board, the secretariat, admins). A `niveau` decision must name
/// a known model and one of its levels; they are written as the model's own ids
/// (`Niveau 2` becomes `2`), so a product's official level is always a level id of its
/// model. The store checks the rest (a basis, a product for `niveau` and `stadie`, a
/// stage that differs from the current one).
pub async fn record(
    app: &App,
    who: Caller<'_>,
    mut input: DecisionInput,
) -> AppResult<decision::Model> {
    let who = require(who, Action::Decide)?;
    if input.kind == DecisionKind::Stadie {
        return Err(AppError::coded(
            crate::error::ErrorKind::State,
            "use_process",
            "kind",
            Msg::new(
                "et stadie ændres gennem produktprocessen: POST /api/v1/products/{produkt}/process/steps (eller processen på produktets side), så reglerne for hvert trin gælder",
                "a stage changes through the product process: POST /api/v1/products/{product}/process/steps (or the process on the product's page), so that the rules of each step apply",
            ),
        ));
    }
    check_level(app.registry(), &mut input)?;
    Ok(app.store().record_decision(&who.actor(), input).await?)
}

/// Register a decision from before Niveau, as the organisation's records state it (the
/// example portfolio, an import of an existing log): a `stadie` decision is written as
/// history, not checked against the process, which applies to every step from then on.
/// The secretariat only; not offered by the API.
pub async fn register_history(
    app: &App,
    who: Caller<'_>,
    mut input: DecisionInput,
) -> AppResult<decision::Model> {
    let who = require(who, Action::EditPortfolio)?;
    require(Some(who), Action::Decide)?;
    check_level(app.registry(), &mut input)?;
    Ok(app.store().record_decision(&who.actor(), input).await?)
}

/// Check a `niveau` decision against the governance models and write the model's own
/// ids into it. Other kinds pass unchanged.
pub fn check_level(registry: &Registry, input: &mut DecisionInput) -> AppResult<()> {
    if input.kind != DecisionKind::Niveau {
        return Ok(());
    }
    let known = registry.ids().join(", ");
    let Some(model_id) = input
        .model_id
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    else {
        return Err(AppError::invalid(
            "model_id",
            Msg::new(
                format!("et niveau hører til en model; angiv model_id (mulige: {known})"),
                format!("a level belongs to a model; give model_id (possible: {known})"),
            ),
        ));
    };
    let model = registry.get(model_id).map_err(|_| {
        AppError::invalid(
            "model_id",
            Msg::new(
                format!("'{model_id}' er ikke en kendt model; mulige: {known}"),
                format!("'{model_id}' is not a known model; possible: {known}"),
            ),
        )
    })?;
    let levels = model
        .levels()
        .iter()
        .map(|l| l.id.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let Some(to) = input.to.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Err(AppError::invalid(
            "to",
            Msg::new(
                format!("angiv det nye niveau; mulige i {}: {levels}", model.id()),
                format!("give the new level; possible in {}: {levels}", model.id()),
            ),
        ));
    };
    let Some(level) = model.level(to) else {
        return Err(AppError::invalid(
            "to",
            Msg::new(
                format!(
                    "'{to}' er ikke et niveau i {}; mulige: {levels}",
                    model.id()
                ),
                format!(
                    "'{to}' is not a level in {}; possible: {levels}",
                    model.id()
                ),
            ),
        ));
    };
    input.model_id = Some(model.id().as_str().to_owned());
    input.to = Some(level.id.as_str().to_owned());
    Ok(())
}

/// The decision log, newest first unless `params` sort otherwise. The public sees
/// decisions about published products and decisions about no product; logged-in readers
/// see all.
pub async fn list(
    app: &App,
    who: Caller<'_>,
    mut filter: DecisionFilter,
    params: &ListParams,
) -> AppResult<Page<decision::Model>> {
    filter.public_only = !allowed(who, Action::ReadPortfolio);
    Ok(app.store().list_decisions(&filter, params).await?)
}

/// One decision. For the public, a decision about a product it may not see does not
/// exist (the same answer as for an id nobody used).
pub async fn get(app: &App, who: Caller<'_>, id: i32) -> AppResult<decision::Model> {
    let found = app.store().decision(id).await?;
    if !allowed(who, Action::ReadPortfolio)
        && let Some(product_id) = found.product_id
    {
        let hidden = match app.store().product(product_id).await {
            Ok(product) => !product.published || product.archived,
            Err(StoreError::NotFound { .. }) => true,
            Err(other) => return Err(other.into()),
        };
        if hidden {
            return Err(StoreError::not_found("decision", id).into());
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use niveau_store::products::ProductInput;
    use niveau_store::types::{DecidedBy, Role};
    use niveau_store::{Store, StoreOptions};

    use super::*;
    use crate::{ErrorKind, Principal};

    async fn app() -> App {
        let store = Store::connect("sqlite::memory:", &StoreOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        App::new(store, Arc::new(niveau_model::Registry::builtin().unwrap()))
    }

    fn who(roles: &[Role]) -> Principal {
        Principal {
            user_id: 7,
            username: "x".into(),
            display_name: "X".into(),
            roles: roles.to_vec(),
            product_ids: vec![],
            can_write: true,
            system: false,
        }
    }

    async fn product(app: &App, slug: &str, published: bool) -> i32 {
        app.store()
            .create_product(
                &Principal::system("test").actor(),
                ProductInput {
                    slug: slug.into(),
                    name: slug.to_uppercase(),
                    short_description: "Et produkt".into(),
                    long_description: String::new(),
                    stage: None,
                    official_level: None,
                    target_level: None,
                    website: None,
                    license: None,
                    repositories: vec![],
                    publiccode: None,
                    published,
                    version: None,
                },
            )
            .await
            .unwrap()
            .id
    }

    fn level_decision(product_id: i32, model_id: Option<&str>, to: Option<&str>) -> DecisionInput {
        DecisionInput {
            product_id: Some(product_id),
            decided_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(),
            kind: DecisionKind::Niveau,
            to: to.map(str::to_owned),
            model_id: model_id.map(str::to_owned),
            basis: "Bestyrelsesmøde".into(),
            decided_by: DecidedBy::Bestyrelse,
            reference: None,
        }
    }

    #[tokio::test]
    async fn only_the_board_and_the_secretariat_record_decisions() {
        let app = app().await;
        let id = product(&app, "os2mo", true).await;
        let model = app.registry().ids()[0].clone();
        let level = app.registry().get(&model).unwrap().levels()[0]
            .id
            .as_str()
            .to_owned();
        let input = level_decision(id, Some(&model), Some(&level));
        assert!(matches!(
            record(&app, None, input.clone()).await,
            Err(AppError::Unauthenticated)
        ));
        for roles in [&[Role::Laeser][..], &[Role::Produktredaktor]] {
            assert!(matches!(
                record(&app, Some(&who(roles)), input.clone()).await,
                Err(AppError::Forbidden)
            ));
        }
        let mut read_only = who(&[Role::Bestyrelse]);
        read_only.can_write = false;
        assert!(matches!(
            record(&app, Some(&read_only), input.clone()).await,
            Err(AppError::ReadOnlyToken)
        ));
        let recorded = record(&app, Some(&who(&[Role::Bestyrelse])), input)
            .await
            .unwrap();
        assert_eq!(recorded.model_id.as_deref(), Some(model.as_str()));
        assert_eq!(recorded.to_value.as_deref(), Some(level.as_str()));
        assert_eq!(recorded.recorded_by, "x");
        let stored = app.store().product(id).await.unwrap();
        assert_eq!(stored.official_level.as_deref(), Some(level.as_str()));
    }

    #[tokio::test]
    async fn a_level_decision_names_a_known_model_and_level() {
        let app = app().await;
        let id = product(&app, "os2mo", true).await;
        let board = who(&[Role::Bestyrelse]);
        let model = app.registry().ids()[0].clone();
        let cases = [
            (
                level_decision(id, None, Some("1")),
                "model_id",
                "et niveau hører til en model",
            ),
            (
                level_decision(id, Some("ingen"), Some("1")),
                "model_id",
                "'ingen' er ikke en kendt model",
            ),
            (
                level_decision(id, Some(&model), Some(" ")),
                "to",
                "angiv det nye niveau",
            ),
            (
                level_decision(id, Some(&model), Some("99")),
                "to",
                "'99' er ikke et niveau i",
            ),
        ];
        for (input, field, start) in cases {
            let err = record(&app, Some(&board), input).await.unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Invalid);
            assert_eq!(err.field(), Some(field));
            assert!(err.message().da.starts_with(start), "{}", err.message().da);
            assert_ne!(err.message().da, err.message().en);
        }
        let mut no_basis = level_decision(id, Some(&model), Some("1"));
        no_basis.basis = "  ".into();
        let err = record(&app, Some(&board), no_basis).await.unwrap_err();
        assert_eq!(err.field(), Some("basis"));
        let all = list(
            &app,
            Some(&board),
            DecisionFilter::default(),
            &ListParams::all(),
        )
        .await
        .unwrap();
        assert_eq!(all.total, 0, "nothing was recorded");
    }

    #[tokio::test]
    async fn the_public_does_not_see_decisions_about_hidden_products() {
        let app = app().await;
        let open = product(&app, "aaben", true).await;
        let hidden = product(&app, "skjult", false).await;
        let board = who(&[Role::Bestyrelse]);
        let model = app.registry().ids()[0].clone();
        let level = app.registry().get(&model).unwrap().levels()[0]
            .id
            .as_str()
            .to_owned();
        let seen = record(
            &app,
            Some(&board),
            level_decision(open, Some(&model), Some(&level)),
        )
        .await
        .unwrap();
        let secret = record(
            &app,
            Some(&board),
            level_decision(hidden, Some(&model), Some(&level)),
        )
        .await
        .unwrap();
        let public = list(&app, None, DecisionFilter::default(), &ListParams::all())
            .await
            .unwrap();
        assert_eq!(
            public.items.iter().map(|d| d.id).collect::<Vec<_>>(),
            [seen.id]
        );
        let reader = who(&[Role::Laeser]);
        let all = list(
            &app,
            Some(&reader),
            DecisionFilter::default(),
            &ListParams::all(),
        )
        .await
        .unwrap();
        assert_eq!(all.total, 2);

        assert_eq!(get(&app, None, seen.id).await.unwrap().id, seen.id);
        let refused = get(&app, None, secret.id).await.unwrap_err();
        let missing = get(&app, None, secret.id + 10).await.unwrap_err();
        assert_eq!(refused.kind(), ErrorKind::NotFound);
        assert_eq!(
            refused.message().da,
            format!("beslutning {} findes ikke", secret.id)
        );
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        assert_eq!(
            get(&app, Some(&reader), secret.id).await.unwrap().id,
            secret.id
        );
    }
}
