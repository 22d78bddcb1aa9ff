//! Repository issues for a round (#16): whether a round opens issues in the products'
//! repositories (`forge_round`), and per round × product × repository the issue on the
//! forge, its state and the last error (`forge_issue`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Creates `forge_round` and `forge_issue`.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from_table: &str, from_col: &str, to_table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(t(from_table), t(from_col))
        .to(t(to_table), t("id"))
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(t("forge_round"))
                .col(pk_auto(t("id")))
                .col(integer(t("round_id")).unique_key())
                .col(boolean(t("enabled")))
                .col(timestamp_with_time_zone_null(t("last_queued_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk("forge_round", "round_id", "evaluation_round"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(t("forge_issue"))
                .col(pk_auto(t("id")))
                .col(integer(t("round_id")))
                .col(integer(t("product_id")))
                .col(string(t("repository")))
                .col(big_integer_null(t("number")))
                .col(string_null(t("url")))
                .col(string(t("state")))
                .col(integer_null(t("last_status")))
                .col(text_null(t("last_error")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk("forge_issue", "round_id", "evaluation_round"))
                .foreign_key(&mut fk("forge_issue", "product_id", "product"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_forge_issue_round_product_repository")
                .table(t("forge_issue"))
                .col(t("round_id"))
                .col(t("product_id"))
                .col(t("repository"))
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(t("forge_issue")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(t("forge_round")).to_owned())
            .await?;
        Ok(())
    }
}
