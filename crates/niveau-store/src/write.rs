//! The write path shared by every aggregate: one transaction per change, the SQLite write
//! lock, the audit event, and the optimistic version check.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, SqlErr, TransactionTrait,
};
use serde::Serialize;
use tokio::sync::MutexGuard;

use crate::Store;
use crate::entity::audit_event;
use crate::error::{Result, StoreError};

/// Who makes a change. Every change names its actor in the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account, when a person acts.
    pub user_id: Option<i32>,
    /// The name written in the audit log (user name, `system`, `demo`…).
    pub name: String,
}

impl Actor {
    /// A person acting through their account.
    pub fn user(user_id: i32, name: impl Into<String>) -> Actor {
        Actor {
            user_id: Some(user_id),
            name: name.into(),
        }
    }

    /// The system itself (migrations, workers, command-line tools).
    pub fn system(name: impl Into<String>) -> Actor {
        Actor {
            user_id: None,
            name: name.into(),
        }
    }
}

/// An open write transaction. Dropping it without [`Tx::commit`] rolls everything back,
/// so an error anywhere leaves nothing half-written.
pub(crate) struct Tx<'a> {
    pub(crate) txn: DatabaseTransaction,
    pub(crate) actor: &'a Actor,
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    _guard: Option<MutexGuard<'a, ()>>,
}

impl Store {
    /// Begin a write transaction for `actor`.
    pub(crate) async fn tx<'a>(&'a self, actor: &'a Actor) -> Result<Tx<'a>> {
        let guard = self.write_guard().await;
        let txn = self.conn().begin().await?;
        Ok(Tx {
            txn,
            actor,
            now: self.now(),
            _guard: guard,
        })
    }
}

impl Tx<'_> {
    /// Record an audit event in this transaction.
    pub(crate) async fn audit<B: Serialize, A: Serialize>(
        &self,
        action: &str,
        entity: &str,
        entity_id: Option<i32>,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<()> {
        let event = audit_event::ActiveModel {
            at: sea_orm::Set(self.now),
            actor: sea_orm::Set(self.actor.name.clone()),
            actor_user_id: sea_orm::Set(self.actor.user_id),
            action: sea_orm::Set(action.to_string()),
            entity: sea_orm::Set(entity.to_string()),
            entity_id: sea_orm::Set(entity_id),
            before: sea_orm::Set(before.map(serde_json::to_value).transpose()?),
            after: sea_orm::Set(after.map(serde_json::to_value).transpose()?),
            ..Default::default()
        };
        audit_event::Entity::insert(event).exec(&self.txn).await?;
        Ok(())
    }

    /// Commit.
    pub(crate) async fn commit(self) -> Result<()> {
        self.txn.commit().await?;
        Ok(())
    }
}

/// An entity with an integer id and an optimistic-concurrency `version` column.
pub(crate) trait Versioned: EntityTrait
where
    Self::Model: Serialize + IntoActiveModel<Self::ActiveModel> + Sync,
    Self::ActiveModel: ActiveModelTrait<Entity = Self> + Send,
{
    /// The entity's name in errors and the audit log.
    const NAME: &'static str;
    /// The id column.
    fn id_col() -> Self::Column;
    /// The version column.
    fn version_col() -> Self::Column;
    /// A model's version.
    fn version_of(model: &Self::Model) -> i32;
}

macro_rules! versioned {
    ($($module:ident => $name:literal),+ $(,)?) => {
        $(
            impl Versioned for crate::entity::$module::Entity {
                const NAME: &'static str = $name;
                fn id_col() -> Self::Column {
                    crate::entity::$module::Column::Id
                }
                fn version_col() -> Self::Column {
                    crate::entity::$module::Column::Version
                }
                fn version_of(model: &Self::Model) -> i32 {
                    model.version
                }
            }
        )+
    };
}

versioned! {
    organisation => "organisation",
    person => "person",
    product => "product",
    participant => "participant",
    work_group => "group",
    group_member => "group_member",
    agreement => "agreement",
    evaluation => "evaluation",
    evaluation_round => "evaluation_round",
    user_account => "user",
}

/// Load `id` of `E`, or fail with not-found.
pub(crate) async fn load<E>(txn: &DatabaseTransaction, id: i32) -> Result<E::Model>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    E::find()
        .filter(E::id_col().eq(id))
        .one(txn)
        .await?
        .ok_or_else(|| StoreError::not_found(E::NAME, id))
}

/// Load `id` and check that it is still at `expected` version.
pub(crate) async fn load_current<E>(
    txn: &DatabaseTransaction,
    id: i32,
    expected: i32,
) -> Result<E::Model>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let current = load::<E>(txn, id).await?;
    let actual = E::version_of(&current);
    if actual != expected {
        return Err(StoreError::Conflict {
            entity: E::NAME,
            id,
            expected,
            actual,
            current: serde_json::to_value(&current)?,
        });
    }
    Ok(current)
}

/// Write `changes` to row `id` if it is still at version `expected`, bumping the version.
/// The version condition is part of the UPDATE itself, so two writers that both read
/// version N cannot both succeed: the second one updates no row and gets a conflict.
pub(crate) async fn save<E>(
    txn: &DatabaseTransaction,
    id: i32,
    expected: i32,
    mut changes: E::ActiveModel,
) -> Result<E::Model>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    changes.not_set(E::id_col());
    changes.set(E::version_col(), (expected + 1).into());
    let result = E::update_many()
        .set(changes)
        .filter(E::id_col().eq(id))
        .filter(E::version_col().eq(expected))
        .exec(txn)
        .await
        .map_err(map_unique)?;
    if result.rows_affected == 0 {
        let current = load::<E>(txn, id).await?;
        return Err(StoreError::Conflict {
            entity: E::NAME,
            id,
            expected,
            actual: E::version_of(&current),
            current: serde_json::to_value(&current)?,
        });
    }
    load::<E>(txn, id).await
}

/// Bump only the version (and nothing else) of row `id`, used when a child row changes.
pub(crate) async fn touch<E>(txn: &DatabaseTransaction, id: i32) -> Result<()>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    E::update_many()
        .col_expr(E::version_col(), Expr::col(E::version_col()).add(1))
        .filter(E::id_col().eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Turn a unique-constraint violation into [`StoreError::Duplicate`]; other errors pass.
pub(crate) fn map_unique(err: DbErr) -> StoreError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(detail)) => StoreError::Duplicate {
            field: "unique",
            value: detail,
        },
        Some(SqlErr::ForeignKeyConstraintViolation(detail)) => StoreError::invalid(
            "reference",
            format!("henviser til en række der ikke findes ({detail})"),
        ),
        _ => StoreError::Db(err),
    }
}
