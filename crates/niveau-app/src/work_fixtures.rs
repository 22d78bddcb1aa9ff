//! Test fixtures of the evaluation, self-evaluation and scan operations: an in-memory
//! store with a product, and principals of each role.

use std::sync::Arc;

use niveau_model::Registry;
use niveau_store::entity::product;
use niveau_store::organisations::PersonInput;
use niveau_store::products::{ParticipantInput, ProductInput};
use niveau_store::types::{ParticipantRole, Role};
use niveau_store::{Actor, Store, StoreOptions};

use crate::{App, Principal};

/// An application over a fresh, migrated in-memory SQLite store.
pub async fn app() -> App {
    let store = Store::connect("sqlite::memory:", &StoreOptions::default())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    App::new(store, Arc::new(Registry::builtin().unwrap()))
}

/// An account with `roles`, editor of `products`.
pub fn who(roles: &[Role], products: &[i32]) -> Principal {
    Principal {
        user_id: 2,
        username: "redaktør".into(),
        display_name: "Redaktør".into(),
        roles: roles.to_vec(),
        product_ids: products.to_vec(),
        can_write: true,
        system: false,
    }
}

/// The secretariat.
pub fn secretariat() -> Principal {
    Principal {
        user_id: 1,
        username: "sekretariat".into(),
        display_name: "Sekretariatet".into(),
        roles: vec![Role::Sekretariat],
        product_ids: Vec::new(),
        can_write: true,
        system: false,
    }
}

/// A person in the registry.
pub async fn person(app: &App, name: &str) -> i32 {
    app.store()
        .create_person(
            &Actor::system("test"),
            PersonInput {
                name: name.into(),
                email: None,
                organisation_id: None,
                version: None,
            },
        )
        .await
        .unwrap()
        .id
}

/// A published product "Produkt" (slug `produkt`) with `repositories`, and a project
/// lead in the registry.
pub async fn product_with(app: &App, repositories: &[&str]) -> product::Model {
    let actor = Actor::system("test");
    let product = app
        .store()
        .create_product(
            &actor,
            ProductInput {
                slug: "produkt".into(),
                name: "Produkt".into(),
                short_description: String::new(),
                long_description: String::new(),
                stage: None,
                official_level: None,
                target_level: None,
                website: None,
                license: None,
                repositories: repositories.iter().map(|r| (*r).to_owned()).collect(),
                publiccode: None,
                published: true,
                version: None,
            },
        )
        .await
        .unwrap();
    let lead = person(app, "Lea Leder").await;
    app.store()
        .add_participant(
            &actor,
            product.id,
            ParticipantInput {
                organisation_id: None,
                person_id: Some(lead),
                role: ParticipantRole::Projektleder,
                since: None,
                until: None,
                version: None,
            },
        )
        .await
        .unwrap();
    app.store().product(product.id).await.unwrap()
}

/// [`product_with`] without repositories.
pub async fn product_with_groups(app: &App) -> product::Model {
    product_with(app, &[]).await
}
