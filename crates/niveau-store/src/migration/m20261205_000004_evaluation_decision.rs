//! The official-level decision waits for publication: `evaluation.pending_decision` holds
//! the decision taken when the evaluation was finalised (written in the decision log, and
//! applied to the product, only when the evaluation is published), and
//! `evaluation.evaluated_by` the name of the person who finalised it (the official
//! report's "Evaluering lavet af").

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Adds `evaluation.pending_decision` and `evaluation.evaluated_by`.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(t("evaluation"))
                .add_column(json_null(t("pending_decision")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(t("evaluation"))
                .add_column(string_null(t("evaluated_by")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(t("evaluation"))
                .drop_column(t("evaluated_by"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(t("evaluation"))
                .drop_column(t("pending_decision"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
