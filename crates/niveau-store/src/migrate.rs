//! Running the migrations.

use sea_orm_migration::MigratorTrait;

use crate::Store;
use crate::error::Result;
use crate::migration::Migrator;

/// What `migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    /// Migrations applied now.
    pub applied: Vec<String>,
    /// All migrations the database has after the run.
    pub total: usize,
}

impl Store {
    /// Apply every pending migration (in one transaction on PostgreSQL).
    pub async fn migrate(&self) -> Result<MigrationReport> {
        let _guard = self.write_guard().await;
        let pending: Vec<String> = Migrator::get_pending_migrations(self.conn())
            .await?
            .iter()
            .map(|m| m.name().to_string())
            .collect();
        Migrator::up(self.conn(), None).await?;
        Ok(MigrationReport {
            applied: pending,
            total: Migrator::migrations().len(),
        })
    }

    /// Migrations not yet applied.
    pub async fn pending_migrations(&self) -> Result<Vec<String>> {
        Ok(Migrator::get_pending_migrations(self.conn())
            .await?
            .iter()
            .map(|m| m.name().to_string())
            .collect())
    }

    /// The name of the newest applied migration.
    pub async fn schema_version(&self) -> Result<Option<String>> {
        Ok(Migrator::get_applied_migrations(self.conn())
            .await?
            .last()
            .map(|m| m.name().to_string()))
    }
}
