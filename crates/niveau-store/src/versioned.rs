//! The one write path of the versioned aggregates (organisations, persons, products and
//! their participants, groups and their members, agreements, rounds, accounts).
//!
//! Every create, update, archive and removal has the same shape: one transaction, the
//! aggregate's rules, the insert at version 1 or the update at the version the caller
//! saw (a stale version is a [`StoreError::Conflict`](crate::StoreError::Conflict) with
//! the stored record), the children and the parent's version, one audit event with what
//! was before and what is after, and the commit. That shape lives here once, in
//! [`create`], [`update`], [`archive`] and [`remove`]; an aggregate says only what is its
//! own:
//!
//! - [`Versioned`] (in `write.rs`): its table's name and columns;
//! - [`Aggregate`]: what the audit log records of a row (the row, or the row with its
//!   children) and which row it hangs under;
//! - [`Change`], on its checked input: the rules that need the database, the fields it
//!   sets, and the children it writes.
//!
//! The checks that need no database run before the transaction begins, in the caller
//! (`Store::create_organisation` checks its input, then hands the checked change here).

use std::future::Future;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, ModelTrait, QueryFilter,
};
use serde::Serialize;

use crate::Store;
use crate::error::{Result, StoreError};
use crate::write::{Actor, Versioned, load_current, map_unique, save};

/// A row of `E`.
pub(crate) type Row<E> = <E as EntityTrait>::Model;
/// The changes to a row of `E`.
pub(crate) type Fields<E> = <E as EntityTrait>::ActiveModel;
/// What a change to `C`'s aggregate returns and the audit log records.
pub(crate) type ViewOf<C> = <<C as Change>::Of as Aggregate>::View;

/// An aggregate written through this module.
pub(crate) trait Aggregate: Versioned
where
    Self::Model: Serialize + IntoActiveModel<Self::ActiveModel> + Sync,
    Self::ActiveModel: ActiveModelTrait<Entity = Self> + Send,
{
    /// What the audit log records of a row and what a create or update returns: the row
    /// itself, or the row with its children.
    type View: Serialize + Send;

    /// The view of a stored row (what an update records as before).
    fn view(
        txn: &DatabaseTransaction,
        row: Row<Self>,
    ) -> impl Future<Output = Result<Self::View>> + Send;

    /// Bump the version of the row this one hangs under, if any, after it changed (a
    /// product's participants, a group's members), so that a client holding the parent
    /// sees that it changed.
    fn touch_parent(
        _txn: &DatabaseTransaction,
        _row: &Row<Self>,
    ) -> impl Future<Output = Result<()>> + Send {
        async { Ok(()) }
    }

    /// What archiving changes besides the `archived` flag (a product is unpublished).
    fn archive_also(_changes: &mut Fields<Self>) {}
}

/// Implement [`Aggregate`] for entities whose view is the row itself; `child =>
/// parent.column` names the row a child hangs under, whose version its changes bump.
macro_rules! plain_aggregate {
    ($($module:ident $(=> $parent:ident . $column:ident)?),+ $(,)?) => {
        $(
            impl crate::versioned::Aggregate for crate::entity::$module::Entity {
                type View = crate::entity::$module::Model;

                async fn view(
                    _txn: &sea_orm::DatabaseTransaction,
                    row: crate::entity::$module::Model,
                ) -> crate::error::Result<Self::View> {
                    Ok(row)
                }

                $(
                    async fn touch_parent(
                        txn: &sea_orm::DatabaseTransaction,
                        row: &crate::entity::$module::Model,
                    ) -> crate::error::Result<()> {
                        crate::write::touch::<crate::entity::$parent::Entity>(txn, row.$column)
                            .await
                    }
                )?
            }
        )+
    };
}
pub(crate) use plain_aggregate;

/// A checked create or update of an aggregate: its rules, its fields and its children.
pub(crate) trait Change: Send + Sized
where
    Row<Self::Of>: Serialize + IntoActiveModel<Fields<Self::Of>> + Sync,
    Fields<Self::Of>: ActiveModelTrait<Entity = Self::Of> + Send,
{
    /// The aggregate changed.
    type Of: Aggregate;

    /// The rules that need the database, checked in the write's transaction before it
    /// writes (references exist, a name is free); `before` is the stored row on an update
    /// (already checked to be at the caller's version), none on a create.
    fn check_in(
        &self,
        _txn: &DatabaseTransaction,
        _before: Option<&Row<Self::Of>>,
    ) -> impl Future<Output = Result<()>> + Send {
        async { Ok(()) }
    }

    /// The fields the change sets, on a create and an update alike. The id, the version
    /// and the times are set by the write path.
    fn fields(&self) -> Fields<Self::Of>;

    /// The fields only a create sets (the parent, the initial stage), added to
    /// [`Change::fields`].
    fn created(&self, _row: &mut Fields<Self::Of>) {}

    /// After the row is written: write its children and give the view that the audit log
    /// records and the caller gets. By default the stored row's [`Aggregate::view`].
    fn written(
        self,
        txn: &DatabaseTransaction,
        row: Row<Self::Of>,
    ) -> impl Future<Output = Result<ViewOf<Self>>> + Send {
        <Self::Of as Aggregate>::view(txn, row)
    }
}

/// Create a row of `change`'s aggregate: its checks, the insert at version 1 (created and
/// updated now, not archived), its children, its parent's version, and the audit event
/// `create` with the view as after; one transaction.
pub(crate) async fn create<C: Change>(store: &Store, actor: &Actor, change: C) -> Result<ViewOf<C>>
where
    Row<C::Of>: Serialize + IntoActiveModel<Fields<C::Of>> + Sync,
    Fields<C::Of>: ActiveModelTrait<Entity = C::Of> + Send,
{
    let tx = store.tx(actor).await?;
    change.check_in(&tx.txn, None).await?;
    let mut row = change.fields();
    change.created(&mut row);
    row.set(C::Of::version_col(), 1.into());
    row.set(C::Of::created_at_col(), tx.now.into());
    row.set(C::Of::updated_at_col(), tx.now.into());
    if let Some(archived) = C::Of::archived_col() {
        row.set(archived, false.into());
    }
    let row = row.insert(&tx.txn).await.map_err(map_unique)?;
    let id = C::Of::id_of(&row);
    C::Of::touch_parent(&tx.txn, &row).await?;
    let view = change.written(&tx.txn, row).await?;
    tx.audit("create", C::Of::NAME, Some(id), None::<&()>, Some(&view))
        .await?;
    tx.commit().await?;
    Ok(view)
}

/// Change row `id` of `change`'s aggregate if it is still at version `expected` (else a
/// conflict with the stored record): its checks, the update with the version bumped and
/// updated now, its children, its parent's version, and the audit event `update` with
/// the views before and after; one transaction.
pub(crate) async fn update<C: Change>(
    store: &Store,
    actor: &Actor,
    id: i32,
    expected: i32,
    change: C,
) -> Result<ViewOf<C>>
where
    Row<C::Of>: Serialize + IntoActiveModel<Fields<C::Of>> + Sync,
    Fields<C::Of>: ActiveModelTrait<Entity = C::Of> + Send,
{
    let tx = store.tx(actor).await?;
    let before = load_current::<C::Of>(&tx.txn, id, expected).await?;
    let before_view = C::Of::view(&tx.txn, before.clone()).await?;
    change.check_in(&tx.txn, Some(&before)).await?;
    let mut changes = change.fields();
    changes.set(C::Of::updated_at_col(), tx.now.into());
    let after = save::<C::Of>(&tx.txn, id, expected, changes).await?;
    C::Of::touch_parent(&tx.txn, &after).await?;
    let after_view = change.written(&tx.txn, after).await?;
    tx.audit(
        "update",
        C::Of::NAME,
        Some(id),
        Some(&before_view),
        Some(&after_view),
    )
    .await?;
    tx.commit().await?;
    Ok(after_view)
}

/// Archive row `id` of `E` (its `archived` flag set, nothing deleted) if it is still at
/// version `expected`, with the audit event `archive` and the rows before and after.
pub(crate) async fn archive<E: Aggregate>(
    store: &Store,
    actor: &Actor,
    id: i32,
    expected: i32,
) -> Result<Row<E>>
where
    Row<E>: Serialize + IntoActiveModel<Fields<E>> + Sync,
    Fields<E>: ActiveModelTrait<Entity = E> + Send,
{
    let tx = store.tx(actor).await?;
    let before = load_current::<E>(&tx.txn, id, expected).await?;
    let mut changes = <Fields<E> as ActiveModelTrait>::default();
    if let Some(archived) = E::archived_col() {
        changes.set(archived, true.into());
    }
    E::archive_also(&mut changes);
    changes.set(E::updated_at_col(), tx.now.into());
    let after = save::<E>(&tx.txn, id, expected, changes).await?;
    tx.audit("archive", E::NAME, Some(id), Some(&before), Some(&after))
        .await?;
    tx.commit().await?;
    Ok(after)
}

/// Delete row `id` of `E` if it is still at version `expected`; its parent's version is
/// bumped and the audit event `delete` keeps what it was.
pub(crate) async fn remove<E: Aggregate>(
    store: &Store,
    actor: &Actor,
    id: i32,
    expected: i32,
) -> Result<()>
where
    Row<E>: Serialize + IntoActiveModel<Fields<E>> + Sync,
    Fields<E>: ActiveModelTrait<Entity = E> + Send + sea_orm::ActiveModelBehavior,
{
    let tx = store.tx(actor).await?;
    let before = load_current::<E>(&tx.txn, id, expected).await?;
    before.clone().delete(&tx.txn).await?;
    E::touch_parent(&tx.txn, &before).await?;
    tx.audit("delete", E::NAME, Some(id), Some(&before), None::<&()>)
        .await?;
    tx.commit().await
}

/// Fail with [`StoreError::Duplicate`] on `field` if a row of `E` other than `except` has
/// `value` in `column` (a name or slug that must be unique).
pub(crate) async fn ensure_free<E: Versioned>(
    txn: &DatabaseTransaction,
    column: E::Column,
    field: &'static str,
    value: &str,
    except: Option<i32>,
) -> Result<()>
where
    Row<E>: Serialize + IntoActiveModel<Fields<E>> + Sync,
    Fields<E>: ActiveModelTrait<Entity = E> + Send,
{
    let mut q = E::find().filter(column.eq(value));
    if let Some(id) = except {
        q = q.filter(E::id_col().ne(id));
    }
    if q.one(txn).await?.is_some() {
        return Err(StoreError::Duplicate {
            field,
            value: value.to_string(),
        });
    }
    Ok(())
}

/// Fail with [`StoreError::Invalid`] on `field` unless row `id` of `E` exists; `name` is
/// what the entity is called in Danish and English.
pub(crate) async fn ensure_exists<E: Versioned>(
    db: &impl ConnectionTrait,
    field: &str,
    id: i32,
    name: (&str, &str),
) -> Result<()>
where
    Row<E>: Serialize + IntoActiveModel<Fields<E>> + Sync,
    Fields<E>: ActiveModelTrait<Entity = E> + Send,
{
    if E::find()
        .filter(E::id_col().eq(id))
        .one(db)
        .await?
        .is_none()
    {
        return Err(not_there(field, id, name));
    }
    Ok(())
}

/// The error of a reference `field` to row `id` that does not exist.
pub(crate) fn not_there(field: &str, id: i32, (da, en): (&str, &str)) -> StoreError {
    StoreError::invalid(
        field,
        format!("{da} {id} findes ikke"),
        format!("{en} {id} does not exist"),
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use sea_orm::{DatabaseTransaction, Set};

    use super::*;
    use crate::entity::{participant, person};
    use crate::types::ParticipantRole;
    use crate::{StoreOptions, products::ProductInput};

    /// The smallest aggregate change: a person's name, with one rule that needs the
    /// database (no other person has it) and one that needs the stored row (a name that
    /// starts with `!` may not replace one that starts with `#`).
    struct Name(&'static str);

    impl Change for Name {
        type Of = person::Entity;

        async fn check_in(
            &self,
            txn: &DatabaseTransaction,
            before: Option<&person::Model>,
        ) -> Result<()> {
            if before.is_some_and(|b| b.name.starts_with('#')) && self.0.starts_with('!') {
                return Err(StoreError::state("låst", "locked"));
            }
            let except = before.map(|b| b.id);
            ensure_free::<person::Entity>(txn, person::Column::Name, "name", self.0, except).await
        }

        fn fields(&self) -> person::ActiveModel {
            person::ActiveModel {
                name: Set(self.0.to_string()),
                ..Default::default()
            }
        }
    }

    /// A child: an organisation-less participant of a product, by person.
    struct Joins {
        product_id: i32,
        person_id: i32,
    }

    impl Change for Joins {
        type Of = participant::Entity;

        fn fields(&self) -> participant::ActiveModel {
            participant::ActiveModel {
                person_id: Set(Some(self.person_id)),
                role: Set(ParticipantRole::Anvender),
                ..Default::default()
            }
        }

        fn created(&self, row: &mut participant::ActiveModel) {
            row.product_id = Set(self.product_id);
        }
    }

    async fn store() -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("versioned.db");
        let store = Store::connect(path.to_str().unwrap(), &StoreOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        (store, dir)
    }

    async fn audit(
        store: &Store,
        entity: &str,
        id: i32,
    ) -> Vec<(String, serde_json::Value, serde_json::Value)> {
        store
            .history(entity, id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| {
                let none = serde_json::Value::Null;
                (
                    e.action,
                    e.before.unwrap_or(none.clone()),
                    e.after.unwrap_or(none),
                )
            })
            .collect()
    }

    #[tokio::test]
    async fn create_update_archive_bump_the_version_and_audit_before_and_after() {
        let (store, _dir) = store().await;
        let actor = Actor::user(7, "tester");

        let created = create(&store, &actor, Name("Ada")).await.unwrap();
        assert_eq!(created.version, 1);
        assert_eq!(created.name, "Ada");
        assert!(!created.archived);
        assert_eq!(created.created_at, created.updated_at);

        let updated = update(&store, &actor, created.id, 1, Name("Ada L."))
            .await
            .unwrap();
        assert_eq!(updated.version, 2);
        assert_eq!(updated.name, "Ada L.");
        assert_eq!(updated.created_at, created.created_at);

        let archived = archive::<person::Entity>(&store, &actor, created.id, 2)
            .await
            .unwrap();
        assert_eq!(archived.version, 3);
        assert!(archived.archived);
        assert_eq!(archived.name, "Ada L.");

        let json = |m: &person::Model| serde_json::to_value(m).unwrap();
        assert_eq!(
            audit(&store, "person", created.id).await,
            vec![
                ("create".into(), serde_json::Value::Null, json(&created)),
                ("update".into(), json(&created), json(&updated)),
                ("archive".into(), json(&updated), json(&archived)),
            ]
        );
        let events = store.history("person", created.id).await.unwrap();
        assert!(
            events
                .iter()
                .all(|e| e.actor == "tester" && e.actor_user_id == Some(7))
        );
    }

    #[tokio::test]
    async fn a_stale_version_is_a_conflict_with_the_stored_record_and_writes_nothing() {
        let (store, _dir) = store().await;
        let actor = Actor::system("test");
        let first = create(&store, &actor, Name("Grace")).await.unwrap();
        let second = update(&store, &actor, first.id, 1, Name("Grace H."))
            .await
            .unwrap();

        let err = update(&store, &actor, first.id, 1, Name("Grace Hopper"))
            .await
            .unwrap_err();
        let StoreError::Conflict {
            entity,
            id,
            expected,
            actual,
            current,
        } = err
        else {
            panic!("expected a conflict, got {err}");
        };
        assert_eq!((entity, id, expected, actual), ("person", first.id, 1, 2));
        assert_eq!(current, serde_json::to_value(&second).unwrap());

        let err = archive::<person::Entity>(&store, &actor, first.id, 1)
            .await
            .unwrap_err();
        assert!(
            matches!(err, StoreError::Conflict { actual: 2, .. }),
            "{err}"
        );

        let stored = store.person(first.id).await.unwrap();
        assert_eq!(stored, second);
        assert_eq!(audit(&store, "person", first.id).await.len(), 2);

        let err = update(&store, &actor, 999, 1, Name("Nobody"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::NotFound {
                    entity: "person",
                    ..
                }
            ),
            "{err}"
        );
    }

    #[tokio::test]
    async fn the_rules_run_in_the_transaction_and_a_refusal_writes_nothing() {
        let (store, _dir) = store().await;
        let actor = Actor::system("test");
        let ada = create(&store, &actor, Name("Ada")).await.unwrap();
        let err = create(&store, &actor, Name("Ada")).await.unwrap_err();
        assert!(
            matches!(&err, StoreError::Duplicate { field: "name", value } if value == "Ada"),
            "{err}"
        );
        // Its own name is no duplicate on an update.
        let ada = update(&store, &actor, ada.id, 1, Name("Ada"))
            .await
            .unwrap();
        assert_eq!(ada.version, 2);

        let hash = create(&store, &actor, Name("#1")).await.unwrap();
        let err = update(&store, &actor, hash.id, 1, Name("!2"))
            .await
            .unwrap_err();
        let StoreError::State(message) = &err else {
            panic!("{err}");
        };
        assert_eq!(message.en, "locked");
        assert_eq!(store.person(hash.id).await.unwrap().version, 1);
        assert_eq!(audit(&store, "person", hash.id).await.len(), 1);
    }

    #[tokio::test]
    async fn a_child_bumps_its_parents_version_and_its_removal_is_audited() {
        let (store, _dir) = store().await;
        let actor = Actor::system("test");
        let product = store
            .create_product(
                &actor,
                ProductInput {
                    slug: "os2mo".into(),
                    name: "OS2mo".into(),
                    short_description: String::new(),
                    long_description: String::new(),
                    stage: None,
                    official_level: None,
                    target_level: None,
                    website: None,
                    license: None,
                    repositories: Vec::new(),
                    publiccode: None,
                    published: false,
                    version: None,
                },
            )
            .await
            .unwrap();
        let ada = create(&store, &actor, Name("Ada")).await.unwrap();

        let joined = create(
            &store,
            &actor,
            Joins {
                product_id: product.id,
                person_id: ada.id,
            },
        )
        .await
        .unwrap();
        assert_eq!((joined.product_id, joined.version), (product.id, 1));
        assert_eq!(store.product(product.id).await.unwrap().version, 2);

        remove::<participant::Entity>(&store, &actor, joined.id, 1)
            .await
            .unwrap();
        assert!(store.participants(product.id).await.unwrap().is_empty());
        assert_eq!(store.product(product.id).await.unwrap().version, 3);
        let json = serde_json::to_value(&joined).unwrap();
        assert_eq!(
            audit(&store, "participant", joined.id).await,
            vec![
                ("create".into(), serde_json::Value::Null, json.clone()),
                ("delete".into(), json, serde_json::Value::Null),
            ]
        );
    }

    #[test]
    fn a_missing_reference_names_the_field_in_both_languages() {
        let err = not_there("product_id", 4, ("produkt", "product"));
        assert_eq!(err.to_string(), "product_id: produkt 4 findes ikke");
        let StoreError::Invalid { message, .. } = err else {
            panic!("{err}");
        };
        assert_eq!(message.en, "product 4 does not exist");
    }
}
