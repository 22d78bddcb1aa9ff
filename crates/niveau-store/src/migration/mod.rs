//! Versioned schema migrations. They run on start (`niveau serve`) and with `niveau migrate`.
//! A migration, once released, is never edited: a change to the schema is a new file.

use sea_orm_migration::prelude::*;

mod m20261124_000001_initial;
mod m20261124_000002_dialog;
mod m20261125_000003_upload_volume;
mod m20261205_000004_evaluation_decision;
mod m20261205_000005_process;
mod m20261205_000006_wishes;
mod m20261205_000007_outbox;
mod m20261205_000008_forge_issues;

/// The list of migrations, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261124_000001_initial::Migration),
            Box::new(m20261124_000002_dialog::Migration),
            Box::new(m20261125_000003_upload_volume::Migration),
            Box::new(m20261205_000004_evaluation_decision::Migration),
            Box::new(m20261205_000005_process::Migration),
            Box::new(m20261205_000006_wishes::Migration),
            Box::new(m20261205_000007_outbox::Migration),
            Box::new(m20261205_000008_forge_issues::Migration),
        ]
    }

    fn migration_table_name() -> DynIden {
        "niveau_migration".into_iden()
    }
}
