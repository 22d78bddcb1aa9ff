//! The write primitives shared by every aggregate: one transaction per change, the SQLite
//! write lock, the audit event, and the optimistic version check. The generic create,
//! update, archive and removal of the versioned aggregates are built on them in
//! `versioned.rs`.
//!
//! On SQLite every write transaction begins with `BEGIN IMMEDIATE`, taking the database's
//! write lock before its first read. A deferred transaction that reads and then writes
//! cannot wait for another process's lock (SQLite answers "database is locked" at once to
//! avoid a deadlock), so the server and `niveau user add` on one file failed each other.
//! An immediate `BEGIN` waits for the lock up to the busy timeout, and a `BEGIN` that is
//! answered "busy" sooner is tried again a few times within the same timeout.

use std::time::{Duration, Instant};

use sea_orm::sea_query::{Expr, ExprTrait, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, RuntimeErr, SqlErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};
use serde::Serialize;
use tokio::sync::MutexGuard;

use crate::Store;
use crate::db::Backend;
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
        let txn = self.begin_write().await?;
        Ok(Tx {
            txn,
            actor,
            now: self.now(),
            _guard: guard,
        })
    }

    /// Begin a transaction that is going to write. On SQLite it holds the write lock from
    /// its `BEGIN` (`BEGIN IMMEDIATE`); a `BEGIN` that SQLite answers with "busy" is retried
    /// after a short, jittered pause, at most [`BUSY_RETRIES`] times and never beyond the
    /// busy timeout. On PostgreSQL it is a plain read-committed transaction; what must not
    /// interleave there takes a row lock ([`load_locked`]).
    pub(crate) async fn begin_write(&self) -> Result<DatabaseTransaction> {
        if self.backend() == Backend::Postgres {
            return Ok(self.conn().begin().await?);
        }
        let options = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        let deadline = Instant::now() + self.busy_timeout();
        let mut attempt = 0;
        loop {
            match self.conn().begin_with_options(options).await {
                Ok(txn) => return Ok(txn),
                Err(err) if is_busy(&err) && attempt < BUSY_RETRIES => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(err.into());
                    }
                    attempt += 1;
                    let pause = busy_pause(attempt).min(left);
                    tracing::debug!(
                        attempt,
                        pause_ms = pause.as_millis() as u64,
                        "the SQLite database is busy; beginning the write transaction again"
                    );
                    tokio::time::sleep(pause).await;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }
}

/// How often a `BEGIN IMMEDIATE` answered with "busy" is tried again.
pub(crate) const BUSY_RETRIES: u32 = 5;

/// Whether SQLite answered "busy" or "locked" (`SQLITE_BUSY`, `SQLITE_LOCKED` and their
/// extended codes): another connection holds a lock this one needs.
pub(crate) fn is_busy(err: &DbErr) -> bool {
    let (DbErr::Conn(RuntimeErr::SqlxError(e))
    | DbErr::Exec(RuntimeErr::SqlxError(e))
    | DbErr::Query(RuntimeErr::SqlxError(e))) = err
    else {
        return false;
    };
    let Some(db) = e.as_database_error() else {
        return false;
    };
    if db
        .try_downcast_ref::<sea_orm::sqlx::sqlite::SqliteError>()
        .is_none()
    {
        return false;
    }
    let primary = db
        .code()
        .and_then(|code| code.parse::<i32>().ok())
        .map(|code| code & 0xff);
    matches!(primary, Some(5 | 6)) || db.message().contains("database is locked")
}

/// A pause of 10–50 ms times the attempt, jittered so that writers retrying together
/// spread out. The jitter comes from the clock's nanoseconds and a hasher's random keys;
/// it needs to be uneven, not unpredictable.
fn busy_pause(attempt: u32) -> Duration {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    let jitter = hasher.finish() % 41;
    Duration::from_millis((10 + jitter) * u64::from(attempt))
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

/// An entity with an integer id, an optimistic-concurrency `version` column and the
/// `created_at`/`updated_at` times; some also have an `archived` flag.
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
    /// The creation time column.
    fn created_at_col() -> Self::Column;
    /// The last-change time column.
    fn updated_at_col() -> Self::Column;
    /// The `archived` column, for entities that are archived instead of deleted.
    fn archived_col() -> Option<Self::Column>;
    /// A model's id.
    fn id_of(model: &Self::Model) -> i32;
    /// A model's version.
    fn version_of(model: &Self::Model) -> i32;
}

macro_rules! versioned {
    (@archived $module:ident archived) => {
        Some(crate::entity::$module::Column::Archived)
    };
    (@archived $module:ident) => {
        None
    };
    ($($module:ident => $name:literal $(, $archived:ident)?;)+) => {
        $(
            impl Versioned for crate::entity::$module::Entity {
                const NAME: &'static str = $name;
                fn id_col() -> Self::Column {
                    crate::entity::$module::Column::Id
                }
                fn version_col() -> Self::Column {
                    crate::entity::$module::Column::Version
                }
                fn created_at_col() -> Self::Column {
                    crate::entity::$module::Column::CreatedAt
                }
                fn updated_at_col() -> Self::Column {
                    crate::entity::$module::Column::UpdatedAt
                }
                fn archived_col() -> Option<Self::Column> {
                    versioned!(@archived $module $($archived)?)
                }
                fn id_of(model: &Self::Model) -> i32 {
                    model.id
                }
                fn version_of(model: &Self::Model) -> i32 {
                    model.version
                }
            }
        )+
    };
}

versioned! {
    organisation => "organisation", archived;
    person => "person", archived;
    product => "product", archived;
    participant => "participant";
    work_group => "group", archived;
    group_member => "group_member";
    group_meeting => "group_meeting";
    agreement => "agreement", archived;
    evaluation => "evaluation";
    evaluation_round => "evaluation_round";
    board_meeting => "board_meeting";
    board_case => "board_case";
    user_account => "user";
    wish => "wish";
    wish_settings => "wish_settings";
    partner_agreement => "partner_agreement";
}

/// Load `id` of `E`, or fail with not-found.
pub(crate) async fn load<E>(txn: &DatabaseTransaction, id: i32) -> Result<E::Model>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    find_one::<E>(txn, id, None).await
}

/// Load `id` of `E` and lock its row until the transaction ends, so that transactions
/// which read the row (or rows that hang under it) and then write take turns. On
/// PostgreSQL this is `SELECT … FOR NO KEY UPDATE`, which leaves inserts of rows pointing
/// at it free; on SQLite the clause is left out, as a write transaction there already holds
/// the database's write lock from its `BEGIN`.
pub(crate) async fn load_locked<E>(txn: &DatabaseTransaction, id: i32) -> Result<E::Model>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    find_one::<E>(txn, id, Some(LockType::NoKeyUpdate)).await
}

/// Row `id` of `E`, with `lock` if given, or not-found.
async fn find_one<E>(txn: &DatabaseTransaction, id: i32, lock: Option<LockType>) -> Result<E::Model>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let mut query = E::find().filter(E::id_col().eq(id));
    if let Some(lock) = lock {
        query = query.lock(lock);
    }
    query
        .one(txn)
        .await?
        .ok_or_else(|| StoreError::not_found(E::NAME, id))
}

/// `row` of `E` if it is at version `expected`, else the conflict with the stored row (for
/// writes that load the row their own way, locked or by another key, before checking).
pub(crate) fn at_version<E>(row: E::Model, expected: i32) -> Result<E::Model>
where
    E: Versioned,
    E::Model: Serialize + IntoActiveModel<E::ActiveModel> + Sync,
    E::ActiveModel: ActiveModelTrait<Entity = E> + Send,
{
    let actual = E::version_of(&row);
    if actual == expected {
        return Ok(row);
    }
    Err(StoreError::Conflict {
        entity: E::NAME,
        id: E::id_of(&row),
        expected,
        actual,
        current: serde_json::to_value(&row)?,
    })
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
    at_version::<E>(load::<E>(txn, id).await?, expected)
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
            format!("refers to a row that does not exist ({detail})"),
        ),
        _ => StoreError::Db(err),
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use crate::{Store, StoreError, StoreOptions};

    use super::is_busy;

    #[tokio::test]
    async fn a_busy_sqlite_write_waits_for_the_lock_within_the_busy_timeout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.db");
        let url = path.to_str().unwrap();
        let holder = Store::connect(url, &StoreOptions::default()).await.unwrap();
        holder.migrate().await.unwrap();
        let waiter = Store::connect(
            url,
            &StoreOptions {
                busy_timeout: Duration::from_millis(300),
                ..StoreOptions::default()
            },
        )
        .await
        .unwrap();

        // Another "process" holds the write lock past the waiter's busy timeout.
        let held = holder.begin_write().await.unwrap();
        let started = Instant::now();
        match waiter.begin_write().await {
            Err(StoreError::Db(err)) => assert!(is_busy(&err), "{err}"),
            Err(other) => panic!("expected a busy error, got {other}"),
            Ok(_) => panic!("the write lock was taken twice"),
        }
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(250) && waited < Duration::from_secs(3),
            "waited {waited:?}"
        );

        // Released within the timeout: the waiter gets the lock.
        let release = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(100)).await;
            held.commit().await.unwrap();
        });
        let txn = waiter.begin_write().await.unwrap();
        txn.commit().await.unwrap();
        release.await.unwrap();
        // Reads never wait for the write lock (WAL).
        let _held = holder.begin_write().await.unwrap();
        let started = Instant::now();
        assert!(waiter.pending_migrations().await.unwrap().is_empty());
        assert!(started.elapsed() < Duration::from_millis(250));
    }
}
