//! Logical backup and restore: every table as JSON rows, read in one snapshot transaction
//! (so a backup taken while the server writes is consistent), restorable on SQLite or
//! PostgreSQL whichever it came from. Sessions and single-sign-on logins in progress are
//! left out: a restore logs everyone out.

use std::collections::BTreeMap;

use niveau_model::Msg;
use sea_orm::{
    AccessMode, ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseBackend,
    EntityTrait, IntoActiveModel, IsolationLevel, PaginatorTrait, Statement, TransactionTrait,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::Store;
use crate::db::Backend;
use crate::entity::*;
use crate::error::{Result, StoreError};

/// The format name written into every backup.
pub const BACKUP_FORMAT: &str = "niveau-backup/1";

/// A backup: metadata and the rows of every table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupFile {
    /// Always [`BACKUP_FORMAT`].
    pub format: String,
    /// When the snapshot was taken.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The newest migration of the database it came from.
    pub schema: Option<String>,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// Table name → rows.
    pub tables: BTreeMap<String, Vec<serde_json::Value>>,
}

impl BackupFile {
    /// Rows per table.
    pub fn counts(&self) -> BTreeMap<String, usize> {
        self.tables
            .iter()
            .map(|(k, v)| (k.clone(), v.len()))
            .collect()
    }
}

/// Calls `$m!(table_name, module)` for every backed-up table, parents before children.
macro_rules! tables {
    ($m:ident) => {
        $m!("organisation", organisation);
        $m!("person", person);
        $m!("product", product);
        $m!("participant", participant);
        $m!("work_group", work_group);
        $m!("group_member", group_member);
        $m!("group_meeting", group_meeting);
        $m!("agreement", agreement);
        $m!("agreement_party", agreement_party);
        $m!("self_evaluation", self_evaluation);
        $m!("evaluation", evaluation);
        $m!("evaluation_version", evaluation_version);
        $m!("evaluation_comment", evaluation_comment);
        $m!("decision", decision);
        $m!("evaluation_round", evaluation_round);
        $m!("round_product", round_product);
        $m!("board_meeting", board_meeting);
        $m!("board_case", board_case);
        $m!("progress_report", progress_report);
        $m!("forge_round", forge_round);
        $m!("forge_issue", forge_issue);
        $m!("partner_agreement", partner_agreement);
        $m!("wish_settings", wish_settings);
        $m!("wish", wish);
        $m!("wish_transition", wish_transition);
        $m!("wish_pledge", wish_pledge);
        $m!("wish_comment", wish_comment);
        $m!("scan_run", scan_run);
        $m!("job", job);
        $m!("outbox_message", outbox_message);
        $m!("audit_event", audit_event);
        $m!("user_account", user_account);
        $m!("api_token", api_token);
        $m!("notification_setting", notification_setting);
    };
}

/// Every table with an integer id, in restore order (children last).
const TABLES: &[&str] = &[
    "organisation",
    "person",
    "product",
    "participant",
    "work_group",
    "group_member",
    "group_meeting",
    "agreement",
    "agreement_party",
    "self_evaluation",
    "evaluation",
    "evaluation_version",
    "evaluation_comment",
    "decision",
    "evaluation_round",
    "round_product",
    "board_meeting",
    "board_case",
    "progress_report",
    "forge_round",
    "forge_issue",
    "partner_agreement",
    "wish_settings",
    "wish",
    "wish_transition",
    "wish_pledge",
    "wish_comment",
    "scan_run",
    "job",
    "outbox_message",
    "audit_event",
    "user_account",
    "api_token",
    "notification_setting",
];

async fn dump<E>(db: &impl ConnectionTrait) -> Result<Vec<serde_json::Value>>
where
    E: EntityTrait,
    E::Model: Serialize,
{
    let rows = E::find().all(db).await?;
    rows.iter()
        .map(|r| serde_json::to_value(r).map_err(StoreError::from))
        .collect()
}

async fn load<E>(db: &impl ConnectionTrait, table: &str, rows: &[serde_json::Value]) -> Result<()>
where
    E: EntityTrait,
    E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
    E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
{
    for (start, chunk) in rows.chunks(200).enumerate().map(|(i, c)| (i * 200, c)) {
        let mut models = Vec::with_capacity(chunk.len());
        for (i, row) in chunk.iter().enumerate() {
            let model: E::Model = serde_json::from_value(row.clone()).map_err(|e| {
                let why = Msg::serde(&e.to_string(), "rækken passer ikke til tabellen");
                StoreError::Backup(Msg::new(
                    format!("{table}[{}]: {}", start + i, why.da),
                    format!("{table}[{}]: {}", start + i, why.en),
                ))
            })?;
            models.push(model.into_active_model().reset_all());
        }
        E::insert_many(models).exec_without_returning(db).await?;
    }
    Ok(())
}

impl Store {
    /// Take a consistent snapshot of every table.
    pub async fn backup(&self) -> Result<BackupFile> {
        let txn = match self.backend() {
            Backend::Postgres => {
                self.conn()
                    .begin_with_config(
                        Some(IsolationLevel::RepeatableRead),
                        Some(AccessMode::ReadOnly),
                    )
                    .await?
            }
            // A SQLite read transaction in WAL mode sees one snapshot from its first read.
            Backend::Sqlite => self.conn().begin().await?,
        };
        let schema = self.schema_version().await?;
        let mut tables = BTreeMap::new();
        macro_rules! dump_table {
            ($name:literal, $module:ident) => {
                tables.insert($name.to_string(), dump::<$module::Entity>(&txn).await?);
            };
        }
        tables!(dump_table);
        txn.commit().await?;
        Ok(BackupFile {
            format: BACKUP_FORMAT.to_string(),
            created_at: self.now(),
            schema,
            backend: match self.backend() {
                Backend::Sqlite => "sqlite",
                Backend::Postgres => "postgres",
            }
            .to_string(),
            tables,
        })
    }

    /// Whether the database holds any portfolio data or accounts.
    pub async fn is_empty(&self) -> Result<bool> {
        Ok(product::Entity::find().count(self.conn()).await? == 0
            && organisation::Entity::find().count(self.conn()).await? == 0
            && user_account::Entity::find().count(self.conn()).await? == 0
            && audit_event::Entity::find().count(self.conn()).await? == 0)
    }

    /// Restore a backup into this (migrated) database. Refuses a database that holds data
    /// unless `force`, in which case everything in it is replaced. All or nothing: one
    /// transaction.
    pub async fn restore(&self, backup: &BackupFile, force: bool) -> Result<()> {
        if backup.format != BACKUP_FORMAT {
            return Err(StoreError::Backup(Msg::new(
                format!("formatet '{}' er ikke {BACKUP_FORMAT}", backup.format),
                format!("format '{}' is not {BACKUP_FORMAT}", backup.format),
            )));
        }
        let known: Vec<String> =
            <crate::migration::Migrator as sea_orm_migration::MigratorTrait>::migrations()
                .iter()
                .map(|m| m.name().to_string())
                .collect();
        if let Some(schema) = &backup.schema
            && !known.contains(schema)
        {
            return Err(StoreError::Backup(Msg::new(
                format!(
                    "sikkerhedskopiens skema {schema} er nyere end dette program; opgradér niveau først"
                ),
                format!(
                    "the backup's schema {schema} is newer than this program; upgrade niveau first"
                ),
            )));
        }
        for table in backup.tables.keys() {
            if !TABLES.contains(&table.as_str()) {
                return Err(StoreError::Backup(Msg::new(
                    format!("ukendt tabel '{table}'"),
                    format!("unknown table '{table}'"),
                )));
            }
        }
        if !force && !self.is_empty().await? {
            return Err(StoreError::Backup(Msg::new(
                "databasen er ikke tom; brug --force for at erstatte dens indhold",
                "the database is not empty; use --force to replace its contents",
            )));
        }
        let _guard = self.write_guard().await;
        let txn = self.begin_write().await?;
        for table in TABLES.iter().rev().chain(["session", "auth_flow"].iter()) {
            txn.execute_raw(Statement::from_string(
                self.conn().get_database_backend(),
                format!("DELETE FROM \"{table}\""),
            ))
            .await?;
        }
        let empty = Vec::new();
        macro_rules! load_table {
            ($name:literal, $module:ident) => {
                load::<$module::Entity>(&txn, $name, backup.tables.get($name).unwrap_or(&empty))
                    .await?;
            };
        }
        tables!(load_table);
        if self.backend() == Backend::Postgres {
            for table in TABLES {
                txn.execute_raw(Statement::from_string(
                    DatabaseBackend::Postgres,
                    format!(
                        "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), \
                         COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
                    ),
                ))
                .await?;
            }
        }
        txn.commit().await?;
        Ok(())
    }
}
